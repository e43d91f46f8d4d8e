//! Query results as text: an aligned table, CSV, or JSON lines.

use polars::prelude::*;

use crate::StoreError;

/// How `render` prints a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Aligned columns, every row.
    Table,
    /// RFC 4180 CSV with a header.
    Csv,
    /// One JSON object per row.
    Json,
}

/// Render every row of `df`.
pub fn render(df: &mut DataFrame, fmt: OutputFormat) -> Result<String, StoreError> {
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let cols = df.columns();
    let cell = |c: usize, r: usize| -> AnyValue<'_> { cols[c].get(r).unwrap_or(AnyValue::Null) };
    let mut out = String::new();
    match fmt {
        OutputFormat::Json => {
            for r in 0..df.height() {
                let mut obj = serde_json::Map::new();
                for (c, name) in names.iter().enumerate() {
                    obj.insert(name.clone(), json(&cell(c, r)));
                }
                out.push_str(&serde_json::Value::Object(obj).to_string());
                out.push('\n');
            }
        }
        OutputFormat::Csv => {
            out.push_str(
                &names
                    .iter()
                    .map(|n| csv_field(n))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push('\n');
            for r in 0..df.height() {
                let row: Vec<String> = (0..names.len())
                    .map(|c| csv_field(&text(&cell(c, r))))
                    .collect();
                out.push_str(&row.join(","));
                out.push('\n');
            }
        }
        OutputFormat::Table => {
            let cells: Vec<Vec<String>> = (0..df.height())
                .map(|r| (0..names.len()).map(|c| clip(&text(&cell(c, r)))).collect())
                .collect();
            let widths: Vec<usize> = (0..names.len())
                .map(|c| {
                    cells
                        .iter()
                        .map(|row| width(&row[c]))
                        .chain(std::iter::once(width(&names[c])))
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let line = |vals: &[String]| -> String {
                vals.iter()
                    .zip(&widths)
                    .map(|(v, w)| format!("{v}{}", " ".repeat(w - width(v))))
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            out.push_str(&line(&names));
            out.push('\n');
            out.push_str(&line(
                &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
            ));
            out.push('\n');
            for row in &cells {
                out.push_str(&line(row));
                out.push('\n');
            }
            out.push_str(&format!("({} rows)\n", df.height()));
        }
    }
    Ok(out)
}

/// Display width: East Asian wide characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !matches!(c as u32, 0xFF61..=0xFF9F) {
                2
            } else {
                1
            }
        })
        .sum()
}

fn clip(s: &str) -> String {
    let one_line = s.replace(['\n', '\r'], " ");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(59).collect::<String>())
    } else {
        one_line
    }
}

fn text(v: &AnyValue<'_>) -> String {
    match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Float64(f) => fmt_f64(*f),
        AnyValue::Float32(f) => fmt_f64(*f as f64),
        other => other.to_string().trim_matches('"').to_string(),
    }
}

fn fmt_f64(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn json(v: &AnyValue<'_>) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        AnyValue::Null => J::Null,
        AnyValue::Boolean(b) => J::Bool(*b),
        AnyValue::String(s) => J::String(s.to_string()),
        AnyValue::StringOwned(s) => J::String(s.to_string()),
        AnyValue::Float64(f) => serde_json::Number::from_f64(*f)
            .map(J::Number)
            .unwrap_or(J::Null),
        AnyValue::Float32(f) => serde_json::Number::from_f64(*f as f64)
            .map(J::Number)
            .unwrap_or(J::Null),
        AnyValue::Int64(i) => J::from(*i),
        AnyValue::Int32(i) => J::from(*i),
        AnyValue::UInt32(i) => J::from(*i),
        AnyValue::UInt64(i) => J::from(*i),
        AnyValue::Int8(i) => J::from(*i),
        AnyValue::Int16(i) => J::from(*i),
        AnyValue::UInt8(i) => J::from(*i),
        AnyValue::UInt16(i) => J::from(*i),
        other => J::String(text(other)),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
