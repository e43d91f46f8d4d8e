//! Source health between runs: the state a source carries to the next run (last good
//! extraction, failure streak) and the one `source_broken` alert per streak, sent after
//! `alerts.broken_after_failures` failed runs in a row.

use chrono::{DateTime, Utc};
use mynawatch_model::{Change, ChangeKind};
use mynawatch_store::SourceState;

use super::SourceOutcome;

/// The source's state after this run.
pub(crate) fn next_state(
    family: &str,
    first_url: &str,
    prev: Option<SourceState>,
    outcome: &SourceOutcome,
    run_id: &str,
    now: DateTime<Utc>,
) -> SourceState {
    let mut s = prev.unwrap_or_else(|| SourceState {
        family: family.to_string(),
        ..SourceState::default()
    });
    s.family = family.to_string();
    s.last_run = Some(run_id.to_string());
    s.last_url = first_url.to_string();
    match outcome {
        SourceOutcome::Extracted {
            snapshots, wrote, ..
        } => {
            s.last_good_snapshots = snapshots.clone();
            if *wrote {
                s.last_good_run = Some(run_id.to_string());
            }
            healthy(&mut s, "extracted");
        }
        SourceOutcome::Unchanged => healthy(&mut s, "unchanged"),
        SourceOutcome::FetchFailed(e) | SourceOutcome::Broken(e) => {
            s.consecutive_failures += 1;
            s.broken_since.get_or_insert(now);
            s.last_error = Some(e.cause());
            s.last_outcome = match outcome {
                SourceOutcome::FetchFailed(_) => "fetch_failed".into(),
                _ => "broken".into(),
            };
        }
    }
    s
}

fn healthy(s: &mut SourceState, outcome: &str) {
    s.consecutive_failures = 0;
    s.broken_since = None;
    s.broken_alerted = false;
    s.last_error = None;
    s.last_outcome = outcome.into();
}

/// A source-health change row (`table = sources`, `field = status`).
pub(crate) fn status_change(
    run_id: &str,
    source_id: &str,
    now: DateTime<Utc>,
    kind: ChangeKind,
    url: String,
    cause: Option<String>,
    summary: String,
) -> Change {
    Change {
        run_id: run_id.to_string(),
        detected_at: now,
        source_id: source_id.to_string(),
        table: "sources".into(),
        entity_key: source_id.to_string(),
        field: "status".into(),
        old_value: None,
        new_value: cause,
        kind,
        summary,
        url,
    }
}

/// The `source_broken` alert for a streak that just reached the threshold (once per
/// streak); marks the state as alerted.
pub(crate) fn broken_alert(
    source_id: &str,
    state: &mut SourceState,
    outcome: &SourceOutcome,
    broken_after: u32,
    run_id: &str,
    now: DateTime<Utc>,
) -> Option<Change> {
    if state.consecutive_failures < broken_after.max(1) || state.broken_alerted {
        return None;
    }
    let (url, cause) = match outcome {
        SourceOutcome::FetchFailed(e) | SourceOutcome::Broken(e) => {
            (e.url().to_string(), e.cause())
        }
        _ => (state.last_url.clone(), String::new()),
    };
    state.broken_alerted = true;
    let summary = format!(
        "{source_id}: broken for {} consecutive run(s): {cause} (last good data kept)",
        state.consecutive_failures
    );
    Some(status_change(
        run_id,
        source_id,
        now,
        ChangeKind::SourceBroken,
        url,
        Some(cause),
        summary,
    ))
}
