//! `warnings` table rows: what an extraction noticed but did not turn into data.
//!
//! A row dropped for an unknown area, a cell that is not a number, a date that does
//! not parse, a figure disagreeing with its own total: each is one row here, so an
//! analyst can ask "which municipalities were skipped this month" instead of reading
//! logs. Extractors return warnings as text; the pipeline stamps them with the run,
//! source and document.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One warning of one extraction (`warnings` table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, crate::table::Table)]
#[table(name = "warnings")]
pub struct ExtractionWarning {
    /// The run that extracted.
    pub run_id: String,
    /// When.
    pub detected_at: DateTime<Utc>,
    /// The source.
    pub source_id: String,
    /// The document the warning is about (empty: the source as a whole).
    pub url: String,
    /// `dropped_row` when a row was left out, `validation` for a check on the whole
    /// extraction, `note` otherwise.
    pub kind: String,
    /// The warning as the extractor wrote it.
    pub message: String,
}

impl ExtractionWarning {
    /// A warning of one run's extraction of `source_id`, about the document at `url`.
    pub fn new(
        run_id: &str,
        detected_at: DateTime<Utc>,
        source_id: &str,
        url: &str,
        kind: &str,
        message: String,
    ) -> Self {
        ExtractionWarning {
            run_id: run_id.to_string(),
            detected_at,
            source_id: source_id.to_string(),
            url: url.to_string(),
            kind: kind.to_string(),
            message,
        }
    }

    /// Classify an extractor's warning text: messages that say a row was dropped or
    /// skipped count as `dropped_row`.
    pub fn kind_of(message: &str) -> &'static str {
        let m = message.to_ascii_lowercase();
        if m.contains("dropped") || m.contains("skipped") || m.contains("left out") {
            "dropped_row"
        } else {
            "note"
        }
    }
}
