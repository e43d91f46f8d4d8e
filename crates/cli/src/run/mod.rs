//! One pipeline run: plan → fetch → snapshot → extract → validate → diff → commit → alert.
//!
//! Sources are fetched concurrently (the fetcher enforces per-host politeness); each
//! source then settles on its own ([`settle`]) and ends in exactly one
//! [`SourceOutcome`]: whatever fails there (fetch, extractor, validation, storage) is
//! that source's outcome and the run goes on with the others. A failed source keeps
//! its last good data and yields a `source_broken` change, never a data change. Bytes
//! are in the snapshot store before any extractor sees them, tables and alert digests
//! are published together through [`mynawatch_store::commit`], and digests are delivered from the
//! outbox only after that.
//!
//! The parts: [`follow`] fetches a source's documents, [`extract`] runs its family,
//! [`settle`] validates, diffs and stages, [`health`] carries the source's state to the
//! next run, [`derived`] computes cross-source figures, [`reextract`] reads stored
//! snapshots back instead of fetching. A source's first extraction is its *baseline*:
//! its rows are recorded as `added` changes, but sinks get one summary line per source.

pub(crate) mod bill_topics;
mod derived;
mod extract;
mod follow;
mod health;
mod reextract;
mod settle;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use mynawatch_alert::{AlertItem, Baseline, Dispatcher};
use mynawatch_fetch::{Fetcher, SnapshotStore};
use mynawatch_model::{Change, ChangeKind, FetchRecord, Rows, RunRecord, RunStatus};
use mynawatch_store::diff::group_thousands;
use mynawatch_store::Store;
use tokio::task::JoinSet;
use tracing::{info, warn};

use crate::config::{Config, SourceConfig};
use follow::{fetch_source, SourceResult};
use mynawatch_store::commit::{self, CommitRecord};
use settle::Settled;

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
    /// Where "now" comes from (run id, fetch and change times); the system clock unless a
    /// test or a simulation sets one.
    pub clock: Option<mynawatch_model::clock::SharedClock>,
    /// Commit but do not deliver: the caller publishes the data folder elsewhere first
    /// (object storage) and then calls [`deliver_committed`], so no alert leaves for a run
    /// that never became visible.
    pub defer_delivery: bool,
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
    /// A fetch failed ([`SourceError::Fetch`]): last good data kept.
    FetchFailed(SourceError),
    /// Extraction, validation or storage failed: last good data kept.
    Broken(SourceError),
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
    /// The run's alert items before routing (baseline summaries and rows, data changes,
    /// health), for the summary `run` and `demo` print.
    pub alert_items: Vec<AlertItem>,
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

/// Why a source did not yield data this run. Each maps to one [`SourceOutcome`].
#[derive(Debug, Clone, thiserror::Error)]
pub enum SourceError {
    /// A document could not be fetched (after retries).
    #[error("{url}: {cause}")]
    Fetch {
        /// The URL at fault.
        url: String,
        /// Why.
        cause: String,
    },
    /// The extractor returned an error (or panicked) on a document.
    #[error("extraction failed at {url}: {cause}")]
    Extract {
        /// The document at fault.
        url: String,
        /// Why.
        cause: String,
    },
    /// The extraction ran but fails a check: expectations, unique keys, or the
    /// comparison with the last good extraction.
    #[error("validation failed at {url}: {cause}")]
    Validation {
        /// The source's first URL.
        url: String,
        /// Why.
        cause: String,
    },
    /// The source's rows could not be read or staged.
    #[error("storage error for {url}: {cause}")]
    Storage {
        /// The source's first URL.
        url: String,
        /// Why.
        cause: String,
    },
}

impl SourceError {
    /// The URL at fault (the source's first URL when no document is).
    pub fn url(&self) -> &str {
        match self {
            SourceError::Fetch { url, .. }
            | SourceError::Extract { url, .. }
            | SourceError::Validation { url, .. }
            | SourceError::Storage { url, .. } => url,
        }
    }

    /// Why, as the failing step said it (what the `source_broken` change records).
    pub fn detail(&self) -> &str {
        match self {
            SourceError::Fetch { cause, .. }
            | SourceError::Extract { cause, .. }
            | SourceError::Validation { cause, .. }
            | SourceError::Storage { cause, .. } => cause,
        }
    }

    /// Why, without the URL, a storage failure marked as such (what the source's state
    /// records as its last error).
    pub fn cause(&self) -> String {
        match self {
            SourceError::Fetch { cause, .. }
            | SourceError::Extract { cause, .. }
            | SourceError::Validation { cause, .. } => cause.clone(),
            SourceError::Storage { cause, .. } => format!("storage: {cause}"),
        }
    }

    fn into_outcome(self) -> SourceOutcome {
        match self {
            SourceError::Fetch { .. } => SourceOutcome::FetchFailed(self),
            _ => SourceOutcome::Broken(self),
        }
    }
}

/// Shared by all source tasks.
pub(crate) struct Ctx {
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

/// What every phase of one run reads: the config, the run's id and clock, the published
/// store and the run's staging store.
struct RunCtx<'a> {
    cfg: &'a Config,
    data_dir: &'a Path,
    opts: &'a RunOptions,
    clock: mynawatch_model::clock::SharedClock,
    run_id: String,
    started_at: DateTime<Utc>,
    /// The time the run's rows and changes carry.
    now: DateTime<Utc>,
    store: Store,
    staging: PathBuf,
    stage: Store,
}

/// What the sources left: the ledger and every fetch.
struct Gathered {
    ledger: Ledger,
    fetches: Vec<FetchRecord>,
}

/// Run the pipeline once, in phases: take the data folder ([`begin`]), fetch and settle
/// every source ([`gather`]), derive cross-source figures ([`derive`]), conclude the run's
/// record ([`conclude`]), publish it in one commit ([`publish`]), then deliver its alerts
/// and feeds ([`deliver_committed`]).
pub async fn run(cfg: &Config, data_dir: &Path, opts: &RunOptions) -> Result<RunSummary> {
    let clock = opts
        .clock
        .clone()
        .unwrap_or_else(mynawatch_model::clock::system);
    let started_at = clock.now();
    let run_id = new_run_id(started_at);
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("create data dir {}", data_dir.display()))?;
    let (_lock, stale) = mynawatch_store::RunLock::acquire(data_dir, &run_id, started_at)?;
    if let Some(stale) = stale {
        warn!(
            ?stale,
            "a previous run was killed; its lock was stale and has been taken over"
        );
    }
    let store = Store::open(data_dir)?.with_clock(clock.clone());
    // Before this run stages anything: what a killed run left is finished or discarded.
    let mut alert_errors = begin(cfg, data_dir, &store).await?;
    // What the run will read, before it stages anything: a bad `--only` leaves no trace.
    let sources = cfg.select(&opts.only).map_err(crate::UsageError)?;
    let ledger = Ledger {
        states: store.source_states()?,
        ..Ledger::default()
    };
    let ctx = Arc::new(Ctx {
        run_id: run_id.clone(),
        fetcher: Fetcher::with_clock(cfg.fetch.clone(), clock.clone())?,
        snaps: SnapshotStore::open(data_dir)?,
    });
    let staging = commit::staging_dir(data_dir, &run_id);
    let rc = RunCtx {
        cfg,
        data_dir,
        opts,
        now: clock.now(),
        clock,
        run_id,
        started_at,
        stage: Store::open(&staging)?,
        staging,
        store,
    };
    let mut gathered = gather(&rc, &sources, ledger, ctx).await?;
    derive(&rc, &mut gathered.ledger);
    let (run, concluded) = conclude(&rc, gathered.ledger)?;
    publish(&rc, &run, &concluded, &gathered.fetches)?;
    if !opts.defer_delivery {
        alert_errors.extend(deliver_committed(cfg, data_dir).await);
    }
    let Ledger {
        outcomes,
        changes,
        alert_items,
        ..
    } = concluded;
    Ok(RunSummary {
        run,
        outcomes,
        changes,
        data_dir: data_dir.to_path_buf(),
        alert_errors,
        alert_items,
    })
}

/// Under the run's lock: finish or discard what a killed run left, move old table
/// layouts, and send the digests a killed run committed but never delivered.
async fn begin(cfg: &Config, data_dir: &Path, store: &Store) -> Result<Vec<String>> {
    let queue = queue_alerts(data_dir);
    let (forward, discarded) = commit::recover(data_dir, store, &queue)?;
    for r in &forward {
        warn!(run_id = %r, "finished publishing a run that was killed after its commit point");
    }
    for r in discarded {
        warn!(run_id = %r, "discarded the unpublished tables of a run that was killed");
    }
    let migrated = store.migrate_layout()?;
    if migrated > 0 {
        info!(
            files = migrated,
            "moved the tables' flat files into partition folders"
        );
    }
    Ok(deliver_pending(cfg, data_dir).await)
}

/// Fetch every selected source (or read its stored snapshots back, for `reextract`) and
/// settle each as soon as its documents are in, so its bodies are dropped when it is done
/// rather than held until every source has been fetched.
async fn gather(
    rc: &RunCtx<'_>,
    sources: &[&SourceConfig],
    mut ledger: Ledger,
    ctx: Arc<Ctx>,
) -> Result<Gathered> {
    info!(run_id = %rc.run_id, sources = sources.len(), data = %rc.data_dir.display(), "run started");
    let bar = crate::progress::bar(sources.len() as u64, rc.opts.progress);
    let mut fetches: Vec<FetchRecord> = Vec::new();
    let mut stored = if rc.opts.reextract {
        Some(reextract::stored_documents(
            &rc.store,
            &ctx,
            &ledger.states,
            sources,
        )?)
    } else {
        None
    };
    let mut settle_one = |res: SourceResult| {
        let src = *sources
            .iter()
            .find(|s| s.id == res.id)
            .expect("source of a task");
        fetches.extend(res.fetches);
        let prev = ledger.states.get(&src.id).cloned();
        let mut prev_for_settle = prev.clone();
        if rc.opts.reextract {
            // Re-extraction always extracts: forget which snapshots were last extracted.
            if let Some(p) = prev_for_settle.as_mut() {
                p.last_good_snapshots.clear();
            }
        }
        // Extraction, validation and Parquet staging are CPU and disk work: off the
        // async threads, so the other sources' fetches and timers keep going.
        let settled = tokio::task::block_in_place(|| {
            settle::settle_source(&ctx, rc, src, prev_for_settle.as_ref(), res.result)
        });
        account(
            rc,
            &src.id,
            &src.family,
            &src.urls[0],
            prev,
            settled,
            &mut ledger,
        );
    };
    if let Some(stored) = stored.as_mut() {
        for src in sources {
            // One source's bytes at a time, dropped when it has settled.
            let result = stored.take(&ctx, src);
            settle_one(SourceResult {
                id: src.id.clone(),
                fetches: Vec::new(),
                result,
            });
            bar.inc(1);
        }
    } else {
        // Politeness per host is settled from the config before the first request.
        for src in rc.cfg.sources.iter().filter(|s| s.enabled) {
            if let Some(p) = src.politeness() {
                for url in &src.urls {
                    ctx.fetcher.set_host_politeness(url, &p).await;
                }
            }
        }
        let mut tasks = JoinSet::new();
        for src in sources {
            let ctx = ctx.clone();
            let src = (*src).clone();
            tasks.spawn(async move { fetch_source(ctx, src).await });
        }
        while let Some(res) = tasks.join_next().await {
            let res = res.context("source task panicked")?;
            bar.set_message(res.id.clone());
            settle_one(res);
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    Ok(Gathered { ledger, fetches })
}

/// Cross-source work once every source has settled: derived figures, and the bill keys of
/// statements made in a committee that took a bill up.
fn derive(rc: &RunCtx<'_>, ledger: &mut Ledger) {
    for d in &rc.cfg.derived {
        let prev = ledger.states.get(&d.id).cloned();
        let settled = tokio::task::block_in_place(|| {
            derived::settle_derived(rc, d, &ledger.current, &ledger.states)
        });
        let first_url = settled
            .rows
            .as_ref()
            .and_then(|r| r.figures.first())
            .map(|f| f.provenance.url.clone())
            .unwrap_or_default();
        account(rc, &d.id, "derived", &first_url, prev, settled, ledger);
    }
    tokio::task::block_in_place(|| {
        bill_topics::link_statements(rc.cfg, &rc.store, &rc.stage, ledger, &rc.run_id, rc.now)
    });
}

/// The run's record, and the ledger in the order it is published: changes by source, each
/// in diff order, with the stale-review notes of pages people had reviewed.
fn conclude(rc: &RunCtx<'_>, mut ledger: Ledger) -> Result<(RunRecord, Ledger)> {
    ledger.current.clear();
    let Ledger {
        outcomes,
        changes,
        warnings,
        alert_items,
        ..
    } = &mut ledger;
    // Sources finish in any order; the change log is by source, each in diff order.
    changes.sort_by(|a: &Change, b: &Change| a.source_id.cmp(&b.source_id));
    alert_items.sort_by(|a: &AlertItem, b: &AlertItem| a.change.source_id.cmp(&b.change.source_id));
    // A page people had reviewed changed: its reviews go stale, and the alert says so.
    let reviews = rc.store.load_reviews()?;
    let reviewed = mynawatch_model::review::latest(&reviews, "notices");
    if !reviewed.is_empty() {
        for c in changes
            .iter_mut()
            .chain(alert_items.iter_mut().map(|i| &mut i.change))
        {
            crate::review::note_stale_reviews(c, &reviewed);
        }
    }
    warnings.sort_by(
        |a: &mynawatch_model::ExtractionWarning, b: &mynawatch_model::ExtractionWarning| {
            a.source_id.cmp(&b.source_id)
        },
    );
    let count = |f: fn(&SourceOutcome) -> bool| outcomes.values().filter(|o| f(o)).count() as u32;
    let sources_ok = count(|o| matches!(o, SourceOutcome::Extracted { .. }));
    let sources_unchanged = count(|o| matches!(o, SourceOutcome::Unchanged));
    let sources_failed = count(|o| matches!(o, SourceOutcome::FetchFailed(_)));
    let sources_broken = count(|o| matches!(o, SourceOutcome::Broken(_)));
    let status = if sources_failed + sources_broken == 0 {
        RunStatus::Ok
    } else if sources_ok + sources_unchanged > 0 {
        RunStatus::Partial
    } else {
        RunStatus::Failed
    };
    let run = RunRecord {
        run_id: rc.run_id.clone(),
        started_at: rc.started_at,
        finished_at: rc.clock.now(),
        status,
        sources_ok,
        sources_unchanged,
        sources_failed,
        sources_broken,
        changes: changes.len() as u32,
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    Ok((run, ledger))
}

/// Stage the run's own tables, join its files (one per table, however many sources it
/// read), and publish tables, source states and alert digests in one commit.
fn publish(rc: &RunCtx<'_>, run: &RunRecord, c: &Ledger, fetches: &[FetchRecord]) -> Result<()> {
    let run_id = &rc.run_id;
    rc.stage.append_fetches(run_id, fetches)?;
    rc.stage.append_changes(run_id, &c.changes)?;
    rc.stage.append_warnings(run_id, &c.warnings)?;
    rc.stage.write_run(run)?;
    rc.stage.merge_run(run_id)?;
    let digests = mynawatch_alert::route(&rc.cfg.alerts, run_id, &c.alert_items);
    let record = CommitRecord {
        run_id: run_id.clone(),
        files: commit::staged_files(&rc.staging)?,
        states: c.states.clone(),
        digests: serde_json::to_value(&digests).context("serialize the run's alerts")?,
    };
    commit::commit(rc.data_dir, &rc.store, &record, &queue_alerts(rc.data_dir))?;
    info!(
        run_id = %run_id,
        status = run.status.as_str(),
        changes = c.changes.len(),
        peak_rss_mib = peak_rss_mib(),
        "run committed"
    );
    commit::failpoint("before_alert_delivery");
    Ok(())
}

/// After the commit: the outbox's digests to their sinks, and the feeds. Neither fails
/// the run; what could not be delivered is said and retried by the next run.
pub async fn deliver_committed(cfg: &Config, data_dir: &Path) -> Vec<String> {
    let mut errors = deliver_pending(cfg, data_dir).await;
    if let Some(feed) = &cfg.feed {
        let dir = feed.dir_in(data_dir);
        match tokio::task::block_in_place(|| {
            crate::feed::write_feeds(data_dir, &dir, feed.max_entries)
        }) {
            Ok(r) => info!(dir = %dir.display(), files = r.files.len(), "feeds written"),
            // The run is committed; a feed that could not be written is rewritten next time.
            Err(e) => errors.push(format!("feeds in {}: {e:#}", dir.display())),
        }
    }
    errors
}

/// The process's peak resident memory so far, in MiB (Linux `VmHWM`; 0 elsewhere), for
/// the run log: a scheduled run's memory is visible without a profiler.
pub fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map(|kb| kb / 1024)
        .unwrap_or(0)
}

/// What the run has settled so far: per source, its state, outcome, changes, warnings,
/// alert items and current rows (the inputs of cross-source derived figures).
#[derive(Default)]
struct Ledger {
    states: mynawatch_store::SourceStates,
    outcomes: BTreeMap<String, SourceOutcome>,
    changes: Vec<Change>,
    warnings: Vec<mynawatch_model::ExtractionWarning>,
    alert_items: Vec<AlertItem>,
    current: BTreeMap<String, Rows>,
}

/// Record a settled source: its state for the next run, its changes and warnings, and
/// what its alerts are (a baseline summary, data changes, health).
fn account(
    rc: &RunCtx<'_>,
    id: &str,
    family: &str,
    first_url: &str,
    prev: Option<mynawatch_store::SourceState>,
    settled: Settled,
    acc: &mut Ledger,
) {
    let (cfg, run_id, now) = (rc.cfg, rc.run_id.as_str(), rc.now);
    let was_alerted = prev.as_ref().is_some_and(|p| p.broken_alerted);
    let mut state = health::next_state(family, first_url, prev, &settled.outcome, run_id, now);
    log_outcome(id, &settled.outcome);
    let notes = &settled.figure_notes;
    let item = |change: Change, baseline: Option<Baseline>| {
        let mut i = alert_item(family, change, baseline);
        if i.change.table == "figures" {
            i.figure = notes.get(&i.change.entity_key).cloned();
        }
        i
    };
    if settled.baseline {
        if let Some(rows) = &settled.rows {
            acc.alert_items.push(item(
                baseline_summary(id, first_url, rows, run_id, now),
                Some(Baseline::Summary),
            ));
        }
    }
    for c in &settled.changes {
        match c.kind {
            // Health alerts follow the threshold below, not every failed run.
            ChangeKind::SourceBroken => {}
            ChangeKind::SourceRecovered if !was_alerted => {}
            ChangeKind::SourceRecovered => acc.alert_items.push(item(c.clone(), None)),
            _ if settled.baseline => acc.alert_items.push(item(c.clone(), Some(Baseline::Row))),
            _ => acc.alert_items.push(item(c.clone(), None)),
        }
    }
    if let Some(c) = health::broken_alert(
        id,
        &mut state,
        &settled.outcome,
        cfg.alerts.broken_after_failures,
        run_id,
        now,
    ) {
        acc.alert_items.push(item(c, None));
    }
    acc.changes.extend(settled.changes);
    acc.warnings.extend(settled.warnings);
    if let Some(rows) = settled.rows {
        acc.current.insert(id.to_string(), rows);
    }
    acc.states.insert(id.to_string(), state);
    acc.outcomes.insert(id.to_string(), settled.outcome);
}

/// One line for a source's first extraction: "baseline: 5,223 figures (1,741 areas), 2 notices".
fn baseline_summary(id: &str, url: &str, rows: &Rows, run_id: &str, now: DateTime<Utc>) -> Change {
    let mut parts = Vec::new();
    if !rows.figures.is_empty() {
        let areas: std::collections::BTreeSet<&str> = rows
            .figures
            .iter()
            .map(|f| f.area_code.as_str())
            .filter(|c| !c.is_empty())
            .collect();
        parts.push(format!(
            "{} figures ({} areas)",
            group_thousands(rows.figures.len() as i64),
            group_thousands(areas.len() as i64)
        ));
    }
    let mut count = |n: usize, what: &str| {
        if n > 0 {
            parts.push(format!("{} {what}", group_thousands(n as i64)));
        }
    };
    count(rows.notices.len(), "notices");
    count(rows.events.len(), "events");
    count(rows.statements.len(), "statements");
    count(rows.bills.len(), "bills");
    // The table that holds most of the rows, so table routes still see the summary.
    // On a tie the later of figures, notices, events, statements, bills (as it always was).
    const TIE_ORDER: [&str; 5] = ["figures", "notices", "events", "statements", "bills"];
    let rank = |t: &str| TIE_ORDER.iter().position(|x| *x == t).unwrap_or(0);
    let table = rows
        .counts()
        .into_iter()
        .max_by_key(|(t, n)| (*n, rank(t)))
        .map_or("figures", |(t, _)| t);
    Change {
        run_id: run_id.to_string(),
        detected_at: now,
        source_id: id.to_string(),
        table: table.to_string(),
        entity_key: id.to_string(),
        field: "baseline".to_string(),
        old_value: None,
        new_value: Some(rows.len().to_string()),
        kind: ChangeKind::Added,
        summary: format!("{id}: baseline: {}", parts.join(", ")),
        url: url.to_string(),
    }
}

fn log_outcome(id: &str, outcome: &SourceOutcome) {
    match outcome {
        SourceOutcome::Extracted { rows, .. } => info!(source_id = id, rows, "extracted"),
        SourceOutcome::Unchanged => info!(source_id = id, "unchanged"),
        SourceOutcome::FetchFailed(e) => {
            warn!(source_id = id, url = %e.url(), cause = %e.cause(), "fetch failed; last good data kept")
        }
        SourceOutcome::Broken(e) => {
            warn!(source_id = id, url = %e.url(), cause = %e.cause(), "extraction failed; last good data kept")
        }
    }
}

fn alert_item(family: &str, change: Change, baseline: Option<Baseline>) -> AlertItem {
    let metric = (change.table == "figures" && change.field != "baseline")
        .then(|| {
            mynawatch_model::keys::parse_figure(&change.entity_key).map(|k| k.metric.to_string())
        })
        .flatten();
    AlertItem {
        change,
        family: family.to_string(),
        metric,
        baseline,
        figure: None,
    }
}

/// Publishing a run puts its alert digests in the outbox (`state/outbox/`).
fn queue_alerts(
    data_dir: &Path,
) -> impl Fn(&CommitRecord) -> Result<(), Box<dyn std::error::Error + Send + Sync>> + '_ {
    move |record: &CommitRecord| {
        let digests: Vec<mynawatch_alert::Digest> = if record.digests.is_null() {
            Vec::new()
        } else {
            serde_json::from_value(record.digests.clone())?
        };
        mynawatch_alert::enqueue(&data_dir.join("state"), &digests)
            .map_err(|e| format!("queue the run's alerts: {e}"))?;
        Ok(())
    }
}

/// Deliver what waits in the outbox (this run's digests, and any a killed run left).
/// Failures are reported, never fatal: the change rows are committed and undelivered
/// digests stay in the outbox for the next run.
async fn deliver_pending(cfg: &Config, data_dir: &Path) -> Vec<String> {
    let state = data_dir.join("state");
    if !mynawatch_alert::outbox_dir(&state).exists() {
        return Vec::new();
    }
    match Dispatcher::new(cfg.alerts.clone(), &state) {
        Ok(d) => d.deliver_pending().await.errors(),
        Err(e) => vec![format!("alerts: {e}")],
    }
}
