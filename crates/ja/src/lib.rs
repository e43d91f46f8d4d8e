//! Japanese normalization for figures and dates: the one place that reads numbers and
//! dates the way Japanese statistics and notices write them.
//!
//! - [`normalize`]: figure-safe text normalization (NFKC, CJK radicals, dashes, tildes).
//! - [`parse_number`] / [`find_numbers`]: `1億8,485万件`, `約1,260万円`, `八百八十七億円`,
//!   `△1,234`, `８．４％`, `15・7%`, `12,735 医療機関`, `少なくとも776件`, statistical symbols
//!   (`x`, `-`, `…`).
//! - [`parse_date`] / [`find_dates`]: 和暦 with era validation, `R7.3.31`, `年度`, `9月中旬`,
//!   weekday markers checked against the date, time ranges, letter-spaced PDF text.
//! - [`area`]: names → 6-digit 全国地方公共団体コード for all prefectures and municipalities.
//! - [`analyze`]: everything found in a text, as serializable JSON (`mynawatch normalize`),
//!   with rejected dates (`令和6年4月31日`, `令和7年3月3日(金)`) as warnings.
//!
//! Spans are byte ranges into the *original* input. Pure: no I/O.
//!
//! ```
//! let n = mynawatch_ja::parse_number("約1,260万円").unwrap();
//! assert_eq!(n.value, Some(12_600_000.0));
//! assert_eq!(n.unit, "jpy");
//! let d = mynawatch_ja::parse_date("令和7年8月1日").unwrap();
//! assert_eq!(d.start.to_string(), "2025-08-01");
//! ```
#![deny(missing_docs)]

pub mod area;
mod date;
mod norm;
mod number;

pub use date::{
    find_dates, find_dates_checked, find_dates_with_year, month_end, parse_date, weekday_year,
    writes_year, DateFound, DateKind, TimeRange,
};
pub use norm::{normalize, normalize_name, normalize_name_cow, Normalized};
pub use number::{find_numbers, parse_number, parse_number_scaled, status_symbol, Number};

use serde::Serialize;

/// Why a string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JaError {
    /// No number in the input.
    #[error("not a number: {0:?}")]
    NotANumber(String),
    /// No date in the input.
    #[error("not a date: {0:?}")]
    NotADate(String),
    /// A date that does not exist (平成31年5月1日, 2月30日).
    #[error("invalid date {text:?}: {reason}")]
    InvalidDate {
        /// The text.
        text: String,
        /// Why.
        reason: String,
    },
    /// A weekday marker that contradicts the date (`令和7年8月8日(木)`).
    #[error("weekday mismatch in {text:?}: {written} written, {actual} actual")]
    WeekdayMismatch {
        /// The text.
        text: String,
        /// The weekday written.
        written: String,
        /// The real weekday.
        actual: String,
    },
}

/// Everything [`analyze`] found in one text.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// The input.
    pub input: String,
    /// The normalized text.
    pub normalized: String,
    /// Numbers with value, unit, scale, qualifier, status and span.
    pub numbers: Vec<Number>,
    /// Dates and periods with spans.
    pub dates: Vec<DateFound>,
    /// Warnings (e.g. 平成32年) and rejected candidates.
    pub warnings: Vec<String>,
}

/// Find every number and date in `text`.
pub fn analyze(text: &str) -> Analysis {
    let mut warnings = Vec::new();
    let mut dates = Vec::new();
    let mut rejected = Vec::new();
    // A rejected candidate (a day that does not exist, a contradicting weekday) is a
    // warning in the output, never silently dropped.
    for found in find_dates_checked(text) {
        match found {
            Ok(d) => {
                warnings.extend(d.warning.clone());
                dates.push(d);
            }
            Err(e) => {
                // The digits of a rejected date are not reported as numbers either.
                let written = match &e {
                    JaError::InvalidDate { text, .. } | JaError::WeekdayMismatch { text, .. } => {
                        Some(text.as_str())
                    }
                    _ => None,
                };
                if let Some(at) = written.and_then(|w| text.find(w).map(|at| at..at + w.len())) {
                    rejected.push(at);
                }
                warnings.push(e.to_string());
            }
        }
    }
    let date_spans: Vec<std::ops::Range<usize>> = dates
        .iter()
        .map(|d| d.span.clone())
        .chain(rejected)
        .collect();
    // Digits that belong to a date are not also reported as numbers.
    let numbers = find_numbers(text)
        .into_iter()
        .filter(|n| {
            !date_spans
                .iter()
                .any(|s| s.start <= n.span.start && n.span.end <= s.end)
        })
        .collect();
    Analysis {
        input: text.to_string(),
        normalized: normalize(text).into_owned(),
        numbers,
        dates,
        warnings,
    }
}
