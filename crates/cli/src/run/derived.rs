//! Cross-source derived figures (`[[derived]]` in the config): a rate whose numerator and
//! denominator are published by different sources, e.g. the Digital Agency's
//! registrations over MIC's population base. Its rows are computed from the inputs'
//! current rows after every source has settled, stored under the entry's id, and diffed
//! and alerted exactly like a source's.

use std::collections::BTreeMap;

use mynawatch_model::{Figure, Rows};
use mynawatch_store::diff::{diff_rows, DiffContext};
use mynawatch_store::{SourceStates, Store};

use super::settle::Settled;
use super::{RunCtx, SourceError, SourceOutcome};
use crate::config::DerivedConfig;

/// The current figures of `source`: this run's rows if it was extracted now, else its
/// last good rows from the store.
fn current_figures(
    source: &str,
    current: &BTreeMap<String, Rows>,
    store: &Store,
    states: &SourceStates,
) -> Result<Vec<Figure>, String> {
    if let Some(rows) = current.get(source) {
        return Ok(rows.figures.clone());
    }
    match states.get(source).and_then(|s| s.last_good_run.as_deref()) {
        Some(run) => store
            .load_rows(run, source)
            .map(|r| r.figures)
            .map_err(|e| format!("{source}: {e}")),
        None => Ok(Vec::new()),
    }
}

/// Compute, diff and stage one derived entry (the run's stores and time from `rc`).
pub(crate) fn settle_derived(
    rc: &RunCtx<'_>,
    d: &DerivedConfig,
    current: &BTreeMap<String, Rows>,
    states: &SourceStates,
) -> Settled {
    let (store, stage, run_id, now) = (&rc.store, &rc.stage, rc.run_id.as_str(), rc.now);
    let mut settled = Settled::unchanged();
    let storage_failed = |cause: String| {
        SourceOutcome::Broken(SourceError::Storage {
            url: String::new(),
            cause,
        })
    };
    let broken = |cause: String| {
        SourceOutcome::Broken(SourceError::Validation {
            url: String::new(),
            cause,
        })
    };
    let inputs = current_figures(&d.numerator.source, current, store, states).and_then(|n| {
        current_figures(&d.denominator.source, current, store, states).map(|den| (n, den))
    });
    let (num, den) = match inputs {
        Ok(x) => x,
        Err(e) => {
            settled.outcome = broken(e);
            return settled;
        }
    };
    let pick = |rows: &[Figure], metric: &str| -> Vec<Figure> {
        rows.iter()
            .filter(|f| f.metric == metric)
            .cloned()
            .collect()
    };
    let mut figures = mynawatch_extract::derive::cross_ratio(
        &pick(&num, &d.numerator.metric),
        &pick(&den, &d.denominator.metric),
        &d.metric,
    );
    if figures.is_empty() {
        // Inputs not there (yet): nothing to say, and nothing removed.
        return settled;
    }
    for f in &mut figures {
        f.provenance.source_id = d.id.clone();
        f.provenance.run_id = run_id.to_string();
    }
    let rows = Rows {
        figures,
        ..Rows::default()
    };
    let last_good = states.get(&d.id).and_then(|s| s.last_good_run.clone());
    let old = match &last_good {
        Some(run) => match store.load_rows(run, &d.id) {
            Ok(r) => r,
            Err(e) => {
                settled.outcome = storage_failed(e.to_string());
                return settled;
            }
        },
        None => Rows::default(),
    };
    let url = rows.figures[0].provenance.url.clone();
    let found = diff_rows(
        &old,
        &rows,
        &DiffContext {
            run_id,
            detected_at: now,
            source_id: &d.id,
            url: &url,
        },
    );
    let first = last_good.is_none();
    if !first && found.is_empty() {
        return settled;
    }
    if let Err(e) = stage.write_rows(run_id, &d.id, &rows) {
        settled.outcome = storage_failed(e.to_string());
        return settled;
    }
    settled.changes = found;
    settled.baseline = first;
    settled.outcome = SourceOutcome::Extracted {
        rows: rows.len(),
        snapshots: Vec::new(),
        wrote: true,
    };
    settled.rows = Some(rows);
    settled
}
