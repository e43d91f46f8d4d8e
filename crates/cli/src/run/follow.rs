//! Fetching one source's documents: its entry URLs, and the documents its index pages
//! lead to (`follow`). Owns the snapshot-store write that must happen before any
//! extractor sees the bytes, and records which URLs the index pages *listed*, so the
//! diff can tell "fell out of the follow window" from "no longer published".

use std::collections::{BTreeSet, VecDeque};

use mynawatch_extract::Extraction;
use mynawatch_fetch::{FetchRequest, Validators};
use mynawatch_model::content::Expected;
use mynawatch_model::{FetchOutcome, FetchRecord, Link, SnapshotMeta};
use tracing::warn;

use super::extract::extract_doc;
use super::{Ctx, SourceError};
use crate::config::{FollowVia, SourceConfig};

/// A document of a source, in the snapshot store.
pub(crate) struct Doc {
    pub meta: SnapshotMeta,
    pub bytes: Vec<u8>,
}

/// A source whose documents were all fetched (or confirmed by 304).
pub(crate) struct Fetched {
    pub docs: Vec<Doc>,
    /// Rows from documents the family read while following (index pages with `via = family`).
    pub extraction: Option<Extraction>,
    /// Every URL the source's index pages list (followed or not, within `max` or beyond)
    /// plus the documents fetched. A stored row whose document is still listed here but
    /// was not fetched this run is kept, not removed.
    pub listed: BTreeSet<String>,
    /// Documents that listed others (paged listings, indexes read by the family): their
    /// rows describe a moving window, so a row missing from them is not a removal.
    pub listings: BTreeSet<String>,
}

/// What a source's fetch task hands back to the run.
pub(crate) struct SourceResult {
    pub id: String,
    pub fetches: Vec<FetchRecord>,
    pub result: Result<Fetched, SourceError>,
}

/// Fetch every document of a source (following index pages as configured).
pub(crate) async fn fetch_source(ctx: std::sync::Arc<Ctx>, src: SourceConfig) -> SourceResult {
    let mut fetches = Vec::new();
    let result = fetch_documents(&ctx, &src, &mut fetches).await;
    SourceResult {
        id: src.id.clone(),
        fetches,
        result,
    }
}

async fn fetch_documents(
    ctx: &Ctx,
    src: &SourceConfig,
    fetches: &mut Vec<FetchRecord>,
) -> Result<Fetched, SourceError> {
    let Some(follow) = &src.follow else {
        let mut docs = Vec::new();
        for url in &src.urls {
            docs.push(fetch_doc(ctx, src, url, fetches).await?);
        }
        let listed = docs.iter().map(|d| d.meta.url.clone()).collect();
        return Ok(Fetched {
            docs,
            extraction: None,
            listed,
            listings: BTreeSet::new(),
        });
    };
    let pattern = &follow.pattern;
    let family = src.extractor();
    let options = src.options_json();
    let mut seen: BTreeSet<String> = src.urls.iter().cloned().collect();
    let mut listed: BTreeSet<String> = BTreeSet::new();
    let mut listings: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, bool)> = src.urls.iter().map(|u| (u.clone(), true)).collect();
    let mut docs = Vec::new();
    let mut extraction = Extraction::default();
    let mut followed = 0usize;
    while let Some((url, is_index)) = queue.pop_front() {
        let doc = fetch_doc(ctx, src, &url, fetches).await?;
        let links: Vec<Link> = match follow.via {
            FollowVia::Page if is_index => page_links(&doc).map_err(|e| SourceError::Extract {
                url: url.clone(),
                cause: format!("index page: {e}"),
            })?,
            FollowVia::Page => Vec::new(),
            FollowVia::Family => {
                // Parsing (and poppler for a PDF) is blocking work: off the async workers.
                let x = tokio::task::block_in_place(|| extract_doc(family, &doc, options))
                    .map_err(|cause| SourceError::Extract {
                        url: url.clone(),
                        cause,
                    })?;
                let links = x.links.clone();
                extraction.extend(Extraction {
                    links: Vec::new(),
                    ..x
                });
                links
            }
        };
        let doc_url = doc.meta.url.clone();
        if follow.via == FollowVia::Family || !is_index {
            listed.insert(doc_url.clone());
            docs.push(doc);
        }
        for link in links {
            if !pattern.is_match(&link.url) {
                continue;
            }
            listings.insert(doc_url.clone());
            listed.insert(link.url.clone());
            if seen.insert(link.url.clone()) {
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
        extraction: (follow.via == FollowVia::Family).then_some(extraction),
        listed,
        listings,
    })
}

fn page_links(doc: &Doc) -> Result<Vec<Link>, String> {
    let page = mynawatch_extract::family("page").expect("page family is registered");
    extract_doc(page.as_ref(), doc, &serde_json::Value::Null).map(|x| x.links)
}

/// Fetch one URL into the snapshot store (or confirm it by 304).
async fn fetch_doc(
    ctx: &Ctx,
    src: &SourceConfig,
    url: &str,
    fetches: &mut Vec<FetchRecord>,
) -> Result<Doc, SourceError> {
    let validators = ctx
        .snaps
        .validators(url)
        .filter(|v| ctx.snaps.contains(&v.sha256));
    let politeness = src.politeness();
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
    let fail = |cause: String| SourceError::Fetch {
        url: url.to_string(),
        cause,
    };
    let doc = match record.outcome {
        FetchOutcome::Fetched => {
            let body = resp.body.unwrap_or_default();
            // The fsync'd snapshot write is blocking work: keep it off the async threads.
            let snaps = ctx.snaps.clone();
            let (body, put) = tokio::task::spawn_blocking(move || {
                let r = snaps.put(&body);
                (body, r)
            })
            .await
            .map_err(|e| fail(format!("snapshot store task: {e}")))?;
            let sha = match put {
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
            // The fetch log's error names the source and URL; the source's error names
            // the URL once (`https://…: connection refused after 3 tries`).
            let cause = record
                .error
                .as_deref()
                .map(|e| {
                    e.strip_prefix(&format!("{}: {}: ", src.id, url))
                        .unwrap_or(e)
                        .to_string()
                })
                .unwrap_or_else(|| record.outcome.as_str().to_string());
            fetches.push(record);
            return Err(fail(cause));
        }
    };
    fetches.push(record);
    Ok(doc)
}

/// The snapshot metadata an extractor sees for a fetch record.
pub(crate) fn meta_of(
    record: &FetchRecord,
    source_id: &str,
    run_id: &str,
    sha: String,
) -> SnapshotMeta {
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
