//! `mynawatch eval`: run a family's text layer over a folder of page texts and score
//! it against hand-made labels (see `mynawatch_extract::eval` for the label format and
//! the scoring). This module only reads files and prints; the scoring is pure.

use std::path::Path;

use anyhow::{Context, Result};

use crate::args::Format;
use crate::commands::family_with_options;
use crate::UsageError;

/// Score `family` over the texts in `dir` named by the labels file; the report as text
/// (`Format::Table`/`Csv`) or one JSON object (`Format::Json`).
pub fn eval(
    family: &str,
    labels: &Path,
    dir: &Path,
    options: Option<&str>,
    format: Format,
) -> Result<String> {
    let (fam, options) = family_with_options(family, options)?;
    let tsv = std::fs::read_to_string(labels)
        .with_context(|| format!("read labels {}", labels.display()))?;
    let labels = mynawatch_extract::eval::parse_labels(&tsv)
        .map_err(|e| UsageError(format!("{}: {e}", labels.display())))?;
    if !dir.is_dir() {
        return Err(UsageError(format!("{} is not a folder", dir.display())).into());
    }
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).ok();
    let report = mynawatch_extract::eval::evaluate(
        fam.as_ref(),
        &labels,
        &options,
        chrono::Utc::now(),
        &read,
    );
    Ok(match format {
        Format::Json => {
            let mut v = serde_json::to_value(&report)?;
            let summary: serde_json::Map<String, serde_json::Value> = report
                .fields
                .iter()
                .map(|(k, s)| {
                    (
                        k.clone(),
                        serde_json::json!({"recall": s.recall(), "accuracy": s.accuracy(), "stated": s.stated()}),
                    )
                })
                .collect();
            v["summary"] = serde_json::Value::Object(summary);
            v["family"] = family.into();
            format!("{v}\n")
        }
        Format::Table | Format::Csv => mynawatch_extract::eval::render_text(&report),
    })
}
