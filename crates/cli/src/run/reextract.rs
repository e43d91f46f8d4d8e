//! `mynawatch reextract`: the documents of each selected source's last good extraction,
//! read back from the snapshot store with the metadata of the fetch that stored them, so
//! a fixed extractor backfills exactly what the source served last, nothing it served
//! before and nothing of the sources not selected.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use mynawatch_model::{FetchOutcome, FetchRecord};
use mynawatch_store::{SourceStates, Store};

use super::follow::{meta_of, Doc, Fetched};
use super::{Ctx, SourceError};
use crate::config::SourceConfig;

/// For each selected source with a last good extraction, its documents as [`Fetched`].
pub(crate) fn stored_documents(
    store: &Store,
    ctx: &Ctx,
    states: &SourceStates,
    sources: &[&SourceConfig],
) -> Result<BTreeMap<String, Result<Fetched, SourceError>>> {
    let fetches = store.load_fetches()?;
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
        let mine: Vec<&FetchRecord> = fetches
            .iter()
            .filter(|f| &f.source_id == id && f.sha256.is_some())
            .filter(|f| matches!(f.outcome, FetchOutcome::Fetched | FetchOutcome::NotModified))
            .collect();
        let mut docs = Vec::new();
        let mut missing = Vec::new();
        for sha in &state.last_good_snapshots {
            // The newest fetch that stored or confirmed this snapshot.
            let Some(f) = mine
                .iter()
                .filter(|f| f.sha256.as_deref() == Some(sha.as_str()))
                .max_by_key(|f| f.fetched_at)
            else {
                missing.push(sha.clone());
                continue;
            };
            match ctx.snaps.get(sha) {
                Ok(bytes) => docs.push(Doc {
                    meta: meta_of(f, id, &ctx.run_id, sha.clone()),
                    bytes,
                }),
                Err(e) => missing.push(format!("{sha} ({e})")),
            }
        }
        let result = if missing.is_empty() {
            // Nothing was fetched, so nothing is evidence of a removal: every page the
            // source ever fetched counts as still listed.
            let listed: BTreeSet<String> = mine
                .iter()
                .flat_map(|f| [f.url.clone(), f.final_url.clone()])
                .filter(|u| !u.is_empty())
                .collect();
            Ok(Fetched {
                docs,
                extraction: None,
                listed,
                listings: BTreeSet::new(),
            })
        } else {
            Err(SourceError::Extract {
                url: src.urls[0].clone(),
                cause: format!(
                    "snapshots of the last good extraction are not readable: {}",
                    missing.join(", ")
                ),
            })
        };
        out.insert(id.clone(), result);
    }
    Ok(out)
}
