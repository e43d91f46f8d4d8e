//! `mynawatch reextract`: the documents of each selected source's last good extraction,
//! read back from the snapshot store with the metadata of the fetch that stored them, so
//! a fixed extractor backfills exactly what the source served last, nothing it served
//! before and nothing of the sources not selected.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use mynawatch_store::{SourceStates, Store};

use super::follow::{meta_of, Doc, Fetched};
use super::{Ctx, SourceError};
use crate::config::SourceConfig;

/// What re-extraction will read for each selected source: the snapshots of its last good
/// extraction with the metadata of the fetch that stored them, but not their bytes. The
/// bytes are read one source at a time ([`Stored::take`]) as that source settles, so memory
/// is bounded by the largest source, not by the history of every source selected.
pub(crate) struct Stored(BTreeMap<String, Result<Plan, SourceError>>);

/// One source's documents to read back.
pub(crate) struct Plan {
    docs: Vec<mynawatch_model::SnapshotMeta>,
    listed: BTreeSet<String>,
}

/// For each selected source with a last good extraction, where its documents are.
pub(crate) fn stored_documents(
    store: &Store,
    ctx: &Ctx,
    states: &SourceStates,
    sources: &[&SourceConfig],
) -> Result<Stored> {
    let fetches = store.snapshot_fetches()?;
    let mut out = BTreeMap::new();
    for src in sources {
        let id = &src.id;
        let Some(state) = states.get(id).filter(|s| s.last_good_run.is_some()) else {
            out.insert(
                id.clone(),
                Err(SourceError::Extract {
                    url: src.urls[0].clone(),
                    cause: "no stored snapshots to re-extract".into(),
                }),
            );
            continue;
        };
        let mut docs = Vec::new();
        let mut missing = Vec::new();
        for sha in &state.last_good_snapshots {
            // The newest fetch that stored or confirmed this snapshot.
            let Some(f) = fetches.newest.get(&(id.clone(), sha.clone())) else {
                missing.push(sha.clone());
                continue;
            };
            if ctx.snaps.contains(sha) {
                docs.push(meta_of(f, id, &ctx.run_id, sha.clone()));
            } else {
                missing.push(format!("{sha} (not in the snapshot store)"));
            }
        }
        let result = if missing.is_empty() {
            // Nothing was fetched, so nothing is evidence of a removal: every page the
            // source ever fetched counts as still listed.
            let listed: BTreeSet<String> = fetches.urls.get(id).cloned().unwrap_or_default();
            Ok(Plan { docs, listed })
        } else {
            Err(unreadable(src, &missing))
        };
        out.insert(id.clone(), result);
    }
    Ok(Stored(out))
}

fn unreadable(src: &SourceConfig, missing: &[String]) -> SourceError {
    SourceError::Extract {
        url: src.urls[0].clone(),
        cause: format!(
            "snapshots of the last good extraction are not readable: {}",
            missing.join(", ")
        ),
    }
}

impl Stored {
    /// `src`'s documents, their bytes read now from the snapshot store.
    pub(crate) fn take(&mut self, ctx: &Ctx, src: &SourceConfig) -> Result<Fetched, SourceError> {
        let plan = self.0.remove(&src.id).unwrap_or_else(|| {
            Err(SourceError::Extract {
                url: src.urls[0].clone(),
                cause: "no stored snapshots to re-extract".into(),
            })
        })?;
        let mut docs = Vec::with_capacity(plan.docs.len());
        let mut missing = Vec::new();
        for meta in plan.docs {
            match ctx.snaps.get(&meta.sha256) {
                Ok(bytes) => docs.push(Doc { meta, bytes }),
                Err(e) => missing.push(format!("{} ({e})", meta.sha256)),
            }
        }
        if !missing.is_empty() {
            return Err(unreadable(src, &missing));
        }
        Ok(Fetched {
            docs,
            extraction: None,
            listed: plan.listed,
            listings: BTreeSet::new(),
        })
    }
}
