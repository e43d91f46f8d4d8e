//! One pipeline run: plan → fetch → snapshot → extract → validate → diff → commit → alert.
//!
//! Sources are processed concurrently (the fetcher enforces per-host politeness); each
//! source ends in exactly one [`SourceOutcome`]. A source that fails to fetch or whose
//! extraction fails its expectations keeps its last good data and yields a
//! `source_broken` change, never a data change. Bytes are in the snapshot store before
//! any extractor sees them, and tables are published through [`crate::commit`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use mynawatch_alert::{AlertItem, Digest, Dispatcher};
use mynawatch_extract::{Extraction, Family, Input};
use mynawatch_fetch::{FetchRequest, Fetcher, HostPoliteness, SnapshotStore, Validators};
use mynawatch_model::content::Expected;
use mynawatch_model::{
    Change, ChangeKind, FetchOutcome, FetchRecord, Link, Rows, RunRecord, RunStatus, SnapshotMeta,
};
use mynawatch_store::diff::{diff_rows, DiffContext};
use mynawatch_store::{SourceState, Store};
use tokio::task::JoinSet;
use tracing::{info, warn};

use crate::commit::{self, CommitRecord};
use crate::config::{Config, FollowVia, SourceConfig};

/// What `run` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Only these source ids (empty: all enabled).
    pub only: Vec<String>,
    /// Draw a progress bar on a terminal.
    pub progress: bool,
    /// Re-extract the last good snapshots from the store instead of fetching
    /// (`mynawatch reextract`, after an extractor fix).
    pub reextract: bool,
}

/// How one source ended.
#[derive(Debug)]
pub enum SourceOutcome {
    /// New content extracted (its changes may be none when only bytes changed).
    Extracted {
        /// Content rows.
        rows: usize,
        /// sha256 of every document, sorted: the next run compares against these.
        snapshots: Vec<String>,
        /// Rows were written under this run (first extraction, or content changed).
        wrote: bool,
    },
    /// Same snapshots as the last good extraction: nothing to do.
    Unchanged,
    /// A fetch failed: last good data kept.
    FetchFailed {
        /// The URL that failed.
        url: String,
        /// Why.
        cause: String,
    },
    /// Extraction failed or missed its expectations: last good data kept.
    Broken {
        /// The URL of the document at fault (or the source's first URL).
        url: String,
        /// Why.
        cause: String,
    },
}

/// The result of a whole run.
#[derive(Debug)]
pub struct RunSummary {
    /// The `runs` row.
    pub run: RunRecord,
    /// Per source id.
    pub outcomes: BTreeMap<String, SourceOutcome>,
    /// Change rows written.
    pub changes: Vec<Change>,
    /// The data folder.
    pub data_dir: PathBuf,
    /// Alert delivery failures (the change rows are stored regardless).
    pub alert_errors: Vec<String>,
}

impl RunSummary {
    /// True when every selected source ended fetched-and-extracted or unchanged.
    pub fn all_ok(&self) -> bool {
        self.outcomes.values().all(|o| {
            matches!(
                o,
                SourceOutcome::Extracted { .. } | SourceOutcome::Unchanged
            )
        })
    }
}

/// A document of a source, in the snapshot store.
struct Doc {
    meta: SnapshotMeta,
    bytes: Vec<u8>,
}

/// What a source task hands back to the run.
struct SourceResult {
    id: String,
    fetches: Vec<FetchRecord>,
    result: Result<Fetched, (String, String, bool)>,
}

/// A source whose documents were all fetched (or confirmed by 304).
struct Fetched {
    docs: Vec<Doc>,
    /// Rows from documents the family read while following (index pages with `via = family`).
    extraction: Option<Result<Extraction, String>>,
}

/// Shared by all source tasks.
struct Ctx {
    run_id: String,
    fetcher: Fetcher,
    snaps: SnapshotStore,
}

/// New run id: UTC time to the millisecond (so ids sort by start time) plus a short
/// random suffix.
pub fn new_run_id(now: DateTime<Utc>) -> String {
    let suffix: u16 = rand_suffix();
    format!("{}-{suffix:04x}", now.format("%Y%m%dT%H%M%S%.3fZ"))
}

fn rand_suffix() -> u16 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish() as u16
}

/// Run the pipeline once.
pub async fn run(cfg: &Config, data_dir: &Path, opts: &RunOptions) -> Result<RunSummary> {
    let started_at = Utc::now();
    let run_id = new_run_id(started_at);
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("create data dir {}", data_dir.display()))?;
    let (_lock, stale) = mynawatch_fetch::RunLock::acquire(data_dir, &run_id)?;
    if let Some(stale) = stale {
        warn!(
            ?stale,
            "a previous run was killed; its lock was stale and has been taken over"
        );
    }
    let store = Store::open(data_dir)?;
    let (forward, discarded) = commit::recover(data_dir, &store)?;
    for r in forward {
        warn!(run_id = %r, "finished publishing a run that was killed after its commit point");
    }
    for r in discarded {
        warn!(run_id = %r, "discarded the unpublished tables of a run that was killed");
    }

    let sources = cfg.select(&opts.only).map_err(crate::UsageError)?;
    let mut states = store.source_states()?;
    let ctx = Arc::new(Ctx {
        run_id: run_id.clone(),
        fetcher: Fetcher::new(cfg.fetch.clone())?,
        snaps: SnapshotStore::open(data_dir)?,
    });
    info!(run_id = %run_id, sources = sources.len(), data = %data_dir.display(), "run started");

    let bar = crate::progress::bar(sources.len() as u64, opts.progress);
    if opts.reextract {
        // Force extraction: forget which snapshots were last extracted.
        for s in states.values_mut() {
            s.last_good_snapshots.clear();
        }
    }
    let stored = if opts.reextract {
        Some(stored_documents(&store, &ctx, &states, &sources)?)
    } else {
        None
    };
    let mut fetched = Vec::new();
    let mut tasks = JoinSet::new();
    for src in &sources {
        if let Some(stored) = &stored {
            let result = match stored.get(&src.id) {
                Some(docs) => Ok(Fetched {
                    docs: docs
                        .iter()
                        .map(|(meta, bytes)| Doc {
                            meta: meta.clone(),
                            bytes: bytes.clone(),
                        })
                        .collect(),
                    extraction: None,
                }),
                None => Err((
                    src.urls[0].clone(),
                    "no stored snapshots to re-extract".to_string(),
                    false,
                )),
            };
            fetched.push(SourceResult {
                id: src.id.clone(),
                fetches: Vec::new(),
                result,
            });
            continue;
        }
        let ctx = ctx.clone();
        let src = (*src).clone();
        tasks.spawn(async move { fetch_source(ctx, src).await });
    }
    while let Some(res) = tasks.join_next().await {
        let res = res.context("source task panicked")?;
        bar.inc(1);
        bar.set_message(res.id.clone());
        fetched.push(res);
    }
    bar.finish_and_clear();
    fetched.sort_by(|a, b| a.id.cmp(&b.id));

    let staging = commit::staging_dir(data_dir, &run_id);
    let stage = Store::open(&staging)?;
    let mut all_fetches = Vec::new();
    let mut changes = Vec::new();
    let mut outcomes = BTreeMap::new();
    let now = Utc::now();
    let mut alert_items = Vec::new();
    let broken_after = cfg.alerts.broken_after_failures.max(1);
    for res in fetched {
        let src = sources
            .iter()
            .find(|s| s.id == res.id)
            .expect("source of a task");
        all_fetches.extend(res.fetches);
        let prev = states.get(&src.id).cloned();
        let before = changes.len();
        let outcome = settle_source(
            &ctx,
            &store,
            &stage,
            src,
            prev.as_ref(),
            res.result,
            now,
            &mut changes,
        )?;
        let mut state = next_state(src, prev.clone(), &outcome, &run_id, now);
        log_outcome(&src.id, &outcome);
        let was_alerted = prev.as_ref().is_some_and(|p| p.broken_alerted);
        for c in &changes[before..] {
            match c.kind {
                // Health alerts follow the threshold below, not every failed run.
                ChangeKind::SourceBroken => {}
                ChangeKind::SourceRecovered if !was_alerted => {}
                _ => alert_items.push(alert_item(cfg, c.clone())),
            }
        }
        if state.consecutive_failures >= broken_after && !state.broken_alerted {
            let (url, cause) = match &outcome {
                SourceOutcome::FetchFailed { url, cause }
                | SourceOutcome::Broken { url, cause } => (url.clone(), cause.clone()),
                _ => (state.last_url.clone(), String::new()),
            };
            alert_items.push(alert_item(
                cfg,
                Change {
                    run_id: run_id.clone(),
                    detected_at: now,
                    source_id: src.id.clone(),
                    table: "sources".into(),
                    entity_key: src.id.clone(),
                    field: "status".into(),
                    old_value: None,
                    new_value: Some(cause.clone()),
                    kind: ChangeKind::SourceBroken,
                    summary: format!(
                        "{}: broken for {} consecutive run(s): {cause} (last good data kept)",
                        src.id, state.consecutive_failures
                    ),
                    url,
                },
            ));
            state.broken_alerted = true;
        }
        states.insert(src.id.clone(), state);
        outcomes.insert(src.id.clone(), outcome);
    }

    let count = |f: fn(&SourceOutcome) -> bool| outcomes.values().filter(|o| f(o)).count() as u32;
    let sources_ok = count(|o| matches!(o, SourceOutcome::Extracted { .. }));
    let sources_unchanged = count(|o| matches!(o, SourceOutcome::Unchanged));
    let sources_failed = count(|o| matches!(o, SourceOutcome::FetchFailed { .. }));
    let sources_broken = count(|o| matches!(o, SourceOutcome::Broken { .. }));
    let status = if sources_failed + sources_broken == 0 {
        RunStatus::Ok
    } else if sources_ok + sources_unchanged > 0 {
        RunStatus::Partial
    } else {
        RunStatus::Failed
    };
    let run = RunRecord {
        run_id: run_id.clone(),
        started_at,
        finished_at: Utc::now(),
        status,
        sources_ok,
        sources_unchanged,
        sources_failed,
        sources_broken,
        changes: changes.len() as u32,
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    stage.append_fetches(&run_id, &all_fetches)?;
    stage.append_changes(&run_id, &changes)?;
    stage.write_run(&run)?;
    let digests = mynawatch_alert::route(&cfg.alerts, &run_id, &alert_items);
    let record = CommitRecord {
        run_id: run_id.clone(),
        files: commit::staged_files(&staging)?,
        states: states.clone(),
    };
    commit::commit(data_dir, &store, &record)?;
    info!(run_id = %run_id, status = status.as_str(), changes = changes.len(), "run committed");

    let alert_errors = deliver_alerts(cfg, data_dir, digests).await;
    Ok(RunSummary {
        run,
        outcomes,
        changes,
        data_dir: data_dir.to_path_buf(),
        alert_errors,
    })
}

/// A stored snapshot with the metadata of the fetch that stored it.
type StoredDoc = (SnapshotMeta, Vec<u8>);

/// For each source, the documents of its last good extraction with the metadata of the
/// fetch that stored them (from the `fetches` table).
fn stored_documents(
    store: &Store,
    ctx: &Ctx,
    states: &mynawatch_store::SourceStates,
    sources: &[&SourceConfig],
) -> Result<BTreeMap<String, Vec<StoredDoc>>> {
    let fetches = store.load_fetches()?;
    let mut out = BTreeMap::new();
    for src in sources {
        let id = &src.id;
        let Some(state) = states.get(id) else {
            continue;
        };
        if state.last_good_run.is_none() {
            continue;
        }
        // Index pages read only for their links are not documents of the source.
        let is_index = |url: &str| {
            src.follow
                .as_ref()
                .is_some_and(|f| f.via == FollowVia::Page)
                && src.urls.iter().any(|u| u == url)
        };
        let mut docs = Vec::new();
        let shas: BTreeSet<String> = fetches
            .iter()
            .filter(|f| {
                &f.source_id == id && f.outcome == FetchOutcome::Fetched && !is_index(&f.url)
            })
            .filter_map(|f| f.sha256.clone())
            .collect();
        // The newest fetch of each snapshot the source still has.
        let latest: Vec<&FetchRecord> = shas
            .iter()
            .filter_map(|sha| {
                fetches
                    .iter()
                    .filter(|f| &f.source_id == id && f.sha256.as_deref() == Some(sha))
                    .max_by_key(|f| f.fetched_at)
            })
            .collect();
        // Keep only the latest snapshot per URL: that is what the source serves now.
        let mut per_url: BTreeMap<&str, &FetchRecord> = BTreeMap::new();
        for f in latest {
            let e = per_url.entry(f.url.as_str()).or_insert(f);
            if f.fetched_at > e.fetched_at {
                *e = f;
            }
        }
        for f in per_url.values() {
            let sha = f.sha256.clone().unwrap_or_default();
            let bytes = ctx.snaps.get(&sha)?;
            docs.push((meta_of(f, id, &ctx.run_id, sha), bytes));
        }
        out.insert(id.clone(), docs);
    }
    Ok(out)
}

fn log_outcome(id: &str, outcome: &SourceOutcome) {
    match outcome {
        SourceOutcome::Extracted { rows, .. } => info!(source_id = id, rows, "extracted"),
        SourceOutcome::Unchanged => info!(source_id = id, "unchanged"),
        SourceOutcome::FetchFailed { url, cause } => {
            warn!(source_id = id, url = %url, cause = %cause, "fetch failed; last good data kept")
        }
        SourceOutcome::Broken { url, cause } => {
            warn!(source_id = id, url = %url, cause = %cause, "extraction failed; last good data kept")
        }
    }
}

/// Fetch every document of a source (following index pages as configured).
async fn fetch_source(ctx: Arc<Ctx>, src: SourceConfig) -> SourceResult {
    let mut fetches = Vec::new();
    let result = fetch_documents(&ctx, &src, &mut fetches).await;
    SourceResult {
        id: src.id.clone(),
        fetches,
        result,
    }
}

/// `Err((url, cause, is_extraction_failure))`.
async fn fetch_documents(
    ctx: &Ctx,
    src: &SourceConfig,
    fetches: &mut Vec<FetchRecord>,
) -> Result<Fetched, (String, String, bool)> {
    let Some(follow) = &src.follow else {
        let mut docs = Vec::new();
        for url in &src.urls {
            docs.push(fetch_doc(ctx, src, url, fetches).await?);
        }
        return Ok(Fetched {
            docs,
            extraction: None,
        });
    };
    let pattern = regex::Regex::new(&follow.pattern).expect("validated in config");
    let family = family_of(src);
    let options = src.options_json();
    let mut seen: BTreeSet<String> = src.urls.iter().cloned().collect();
    let mut queue: std::collections::VecDeque<(String, bool)> =
        src.urls.iter().map(|u| (u.clone(), true)).collect();
    let mut docs = Vec::new();
    let mut extraction = Extraction::default();
    let mut followed = 0usize;
    while let Some((url, is_index)) = queue.pop_front() {
        let doc = fetch_doc(ctx, src, &url, fetches).await?;
        let links: Vec<Link> = match follow.via {
            FollowVia::Page if is_index => {
                page_links(&doc).map_err(|e| (url.clone(), format!("index page: {e}"), true))?
            }
            FollowVia::Page => Vec::new(),
            FollowVia::Family => {
                let x = extract_doc(family.as_ref(), &doc, &options)
                    .map_err(|e| (url.clone(), e, true))?;
                let links = x.links.clone();
                extraction.extend(Extraction {
                    links: Vec::new(),
                    ..x
                });
                links
            }
        };
        if follow.via == FollowVia::Family || !is_index {
            docs.push(doc);
        }
        for link in links {
            if pattern.is_match(&link.url) && seen.insert(link.url.clone()) {
                if followed >= follow.max {
                    warn!(source_id = %src.id, max = follow.max, url = %link.url, "follow.max reached; link not followed");
                    continue;
                }
                followed += 1;
                queue.push_back((link.url, false));
            }
        }
    }
    Ok(Fetched {
        docs,
        extraction: (follow.via == FollowVia::Family).then_some(Ok(extraction)),
    })
}

fn page_links(doc: &Doc) -> Result<Vec<Link>, String> {
    let page = mynawatch_extract::family("page").expect("page family is registered");
    extract_doc(page.as_ref(), doc, &serde_json::Value::Null).map(|x| x.links)
}

fn family_of(src: &SourceConfig) -> Box<dyn Family> {
    mynawatch_extract::family(&src.family).expect("validated in config")
}

/// Fetch one URL into the snapshot store (or confirm it by 304).
async fn fetch_doc(
    ctx: &Ctx,
    src: &SourceConfig,
    url: &str,
    fetches: &mut Vec<FetchRecord>,
) -> Result<Doc, (String, String, bool)> {
    let validators = ctx
        .snaps
        .validators(url)
        .filter(|v| ctx.snaps.contains(&v.sha256));
    let politeness =
        (src.per_host_concurrency.is_some() || src.min_interval_ms.is_some()).then(|| {
            HostPoliteness {
                per_host_concurrency: src.per_host_concurrency,
                min_interval: src.min_interval_ms.map(Duration::from_millis),
            }
        });
    let resp = ctx
        .fetcher
        .fetch(FetchRequest {
            run_id: ctx.run_id.clone(),
            source_id: src.id.clone(),
            url: url.to_string(),
            expected: Expected::from_url(url),
            validators: validators.clone(),
            politeness,
        })
        .await;
    let mut record = resp.record;
    let fail = |cause: String| (url.to_string(), cause, false);
    let doc = match record.outcome {
        FetchOutcome::Fetched => {
            let body = resp.body.unwrap_or_default();
            let sha = match ctx.snaps.put(&body) {
                Ok(sha) => sha,
                Err(e) => {
                    record.outcome = FetchOutcome::Failed;
                    record.error = Some(format!("snapshot store: {e}"));
                    fetches.push(record);
                    return Err(fail(format!("snapshot store: {e}")));
                }
            };
            let v = Validators {
                etag: record.etag.clone(),
                last_modified: record.last_modified.clone(),
                sha256: sha.clone(),
            };
            if let Err(e) = ctx.snaps.set_validators(url, &v) {
                warn!(url, error = %e, "could not save validators; next run refetches in full");
            }
            Doc {
                meta: meta_of(&record, &src.id, &ctx.run_id, sha),
                bytes: body,
            }
        }
        FetchOutcome::NotModified => {
            let sha = validators.map(|v| v.sha256).unwrap_or_default();
            match ctx.snaps.get(&sha) {
                Ok(bytes) => Doc {
                    meta: meta_of(&record, &src.id, &ctx.run_id, sha),
                    bytes,
                },
                Err(e) => {
                    fetches.push(record);
                    return Err(fail(format!("304 but snapshot {sha} unreadable: {e}")));
                }
            }
        }
        FetchOutcome::Failed | FetchOutcome::SkippedRobots => {
            let cause = record
                .error
                .clone()
                .unwrap_or_else(|| record.outcome.as_str().to_string());
            fetches.push(record);
            return Err(fail(cause));
        }
    };
    fetches.push(record);
    Ok(doc)
}

fn meta_of(record: &FetchRecord, source_id: &str, run_id: &str, sha: String) -> SnapshotMeta {
    SnapshotMeta {
        source_id: source_id.to_string(),
        url: if record.final_url.is_empty() {
            record.url.clone()
        } else {
            record.final_url.clone()
        },
        fetched_at: record.fetched_at,
        sha256: sha,
        content_type: record.content_type.clone(),
        charset: record.charset.clone(),
        run_id: run_id.to_string(),
    }
}

/// Run a family on one document; a panic inside an extractor is an extraction failure.
fn extract_doc(
    family: &dyn Family,
    doc: &Doc,
    options: &serde_json::Value,
) -> Result<Extraction, String> {
    let input = Input {
        bytes: &doc.bytes,
        meta: &doc.meta,
        options,
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| family.extract(&input))) {
        Ok(Ok(x)) => Ok(x),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("extractor `{}` panicked", family.name())),
    }
}

/// Decide a fetched source's outcome: unchanged, extracted (diffed and staged), or broken.
#[allow(clippy::too_many_arguments)]
fn settle_source(
    ctx: &Ctx,
    store: &Store,
    stage: &Store,
    src: &SourceConfig,
    prev: Option<&SourceState>,
    result: Result<Fetched, (String, String, bool)>,
    now: DateTime<Utc>,
    changes: &mut Vec<Change>,
) -> Result<SourceOutcome> {
    let health = |kind: ChangeKind, url: &str, cause: Option<String>, summary: String| Change {
        run_id: ctx.run_id.clone(),
        detected_at: now,
        source_id: src.id.clone(),
        table: "sources".to_string(),
        entity_key: src.id.clone(),
        field: "status".to_string(),
        old_value: None,
        new_value: cause,
        kind,
        summary,
        url: url.to_string(),
    };
    let was_broken = prev.is_some_and(|p| p.consecutive_failures > 0);
    let broken = |url: String, cause: String, extraction: bool, changes: &mut Vec<Change>| {
        if !was_broken {
            let what = if extraction {
                "extraction failed"
            } else {
                "fetch failed"
            };
            changes.push(health(
                ChangeKind::SourceBroken,
                &url,
                Some(cause.clone()),
                format!("{}: {what} at {url}: {cause} (last good data kept)", src.id),
            ));
        }
        if extraction {
            SourceOutcome::Broken { url, cause }
        } else {
            SourceOutcome::FetchFailed { url, cause }
        }
    };
    let fetched = match result {
        Ok(f) => f,
        Err((url, cause, extraction)) => return Ok(broken(url, cause, extraction, changes)),
    };
    let first_url = src.urls[0].clone();
    let mut shas: Vec<String> = fetched.docs.iter().map(|d| d.meta.sha256.clone()).collect();
    shas.sort();
    let recovered = |changes: &mut Vec<Change>| {
        if was_broken {
            changes.push(health(
                ChangeKind::SourceRecovered,
                &first_url,
                None,
                format!("{}: source works again", src.id),
            ));
        }
    };
    if let Some(p) = prev {
        if p.last_good_run.is_some() && p.last_good_snapshots == shas {
            recovered(changes);
            return Ok(SourceOutcome::Unchanged);
        }
    }

    let family = family_of(src);
    let options = src.options_json();
    // A `via = family` source was extracted while following its links; every other
    // source (and every re-extraction) is extracted here, document by document.
    let extracted_while_following = fetched.extraction.is_some();
    let mut extraction = match fetched.extraction {
        Some(Ok(x)) => x,
        Some(Err(e)) => return Ok(broken(first_url, e, true, changes)),
        None => Extraction::default(),
    };
    if !extracted_while_following {
        for doc in &fetched.docs {
            match extract_doc(family.as_ref(), doc, &options) {
                Ok(x) => extraction.extend(x),
                Err(e) => return Ok(broken(doc.meta.url.clone(), e, true, changes)),
            }
        }
    }
    for w in &extraction.warnings {
        warn!(source_id = %src.id, warning = %w, "extraction warning");
    }
    if let Err(e) = family.expectations(&options).check(&extraction) {
        return Ok(broken(first_url, e.to_string(), true, changes));
    }
    let mut rows = extraction.rows;
    // Derived figures (registrations ÷ holdings, running totals) are computed here, from the
    // source's own published figures, and marked with their inputs.
    let derived = mynawatch_extract::derive::derived(&rows.figures);
    rows.figures.extend(derived);
    let old = match prev.and_then(|p| p.last_good_run.as_deref()) {
        Some(run) => store.load_rows(run, &src.id)?,
        None => Rows::default(),
    };
    let diff_ctx = DiffContext {
        run_id: &ctx.run_id,
        detected_at: now,
        source_id: &src.id,
        url: &first_url,
    };
    let found = diff_rows(&old, &rows, &diff_ctx);
    let first_time = prev.and_then(|p| p.last_good_run.as_ref()).is_none();
    // Identical content under new bytes (markup churn) writes no rows: the last good
    // extraction stays the reference and the tables hold only distinct versions.
    let wrote = first_time || !found.is_empty();
    if wrote {
        stage.write_rows(&ctx.run_id, &src.id, &rows)?;
    }
    recovered(changes);
    changes.extend(found);
    Ok(SourceOutcome::Extracted {
        rows: rows.len(),
        snapshots: shas,
        wrote,
    })
}

/// The source's state after this run.
fn next_state(
    src: &SourceConfig,
    prev: Option<SourceState>,
    outcome: &SourceOutcome,
    run_id: &str,
    now: DateTime<Utc>,
) -> SourceState {
    let mut s = prev.unwrap_or_else(|| SourceState {
        family: src.family.clone(),
        ..SourceState::default()
    });
    s.family = src.family.clone();
    s.last_run = Some(run_id.to_string());
    s.last_url = src.urls[0].clone();
    match outcome {
        SourceOutcome::Extracted { .. } | SourceOutcome::Unchanged => {
            if let SourceOutcome::Extracted {
                snapshots, wrote, ..
            } = outcome
            {
                s.last_good_snapshots = snapshots.clone();
                if *wrote {
                    s.last_good_run = Some(run_id.to_string());
                }
            }
            s.consecutive_failures = 0;
            s.broken_since = None;
            s.broken_alerted = false;
            s.last_error = None;
            s.last_outcome = match outcome {
                SourceOutcome::Unchanged => "unchanged".into(),
                _ => "extracted".into(),
            };
        }
        SourceOutcome::FetchFailed { cause, .. } | SourceOutcome::Broken { cause, .. } => {
            s.consecutive_failures += 1;
            s.broken_since.get_or_insert(now);
            s.last_error = Some(cause.clone());
            s.last_outcome = match outcome {
                SourceOutcome::FetchFailed { .. } => "fetch_failed".into(),
                _ => "broken".into(),
            };
        }
    }
    s
}

fn alert_item(cfg: &Config, change: Change) -> AlertItem {
    let family = cfg
        .sources
        .iter()
        .find(|s| s.id == change.source_id)
        .map(|s| s.family.clone())
        .unwrap_or_default();
    // Figure keys are `source|metric|area|...` (see `Figure::key`).
    let metric = (change.table == "figures")
        .then(|| change.entity_key.split('|').nth(1).map(str::to_string))
        .flatten();
    AlertItem {
        change,
        family,
        metric,
    }
}

/// Send the run's digests. Failures are reported, never fatal: the change rows are
/// already committed and undelivered digests wait in the outbox for the next run.
async fn deliver_alerts(cfg: &Config, data_dir: &Path, digests: Vec<Digest>) -> Vec<String> {
    let dispatcher = match Dispatcher::new(cfg.alerts.clone(), &data_dir.join("state")) {
        Ok(d) => d,
        Err(e) => return vec![format!("alerts: {e}")],
    };
    dispatcher.deliver(digests).await.errors()
}
