//! People's word on facts: the `reviews` table's row, the fields a person may check or
//! correct, how a value is checked against its field's type, and how a review applies to
//! the current row it was made on.
//!
//! A review is pinned to the document it was made on (`text_sha256`: a notice's main text,
//! a figure's snapshot). When the document changes, the review is *stale*: the machine
//! value is shown again and the fact goes back to the review queue.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{Figure, Notice};

/// One row of the `reviews` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, crate::table::Table)]
#[table(name = "reviews")]
pub struct Review {
    /// `notices` or `figures`.
    pub table: String,
    /// The row's natural key, as `changes.entity_key`.
    pub entity_key: String,
    /// The reviewed field (`issuance_policy`, `valid_until`, `value`, …).
    pub field: String,
    /// What the reader had stored when the person looked (empty for none).
    pub machine_value: String,
    /// What the person says is right (equal to `machine_value` for a confirmation; empty
    /// when the page states none).
    pub reviewed_value: String,
    /// `confirmed` or `corrected`.
    pub action: String,
    /// The person's note.
    pub note: String,
    /// Who reviewed.
    pub by: String,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// The document reviewed: the notice's `text_sha256`, or the figure's snapshot sha256.
    pub text_sha256: String,
    /// Source id of the row.
    pub source_id: String,
    /// URL of the row's page.
    pub url: String,
}

/// How a current row's field stands with people (`review_status` in the current views).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Nobody has reviewed it: the reader's value.
    Machine,
    /// A person confirmed the reader's value on this document.
    Confirmed,
    /// A person corrected it on this document: the corrected value is shown.
    Corrected,
    /// Reviewed on an earlier version of the document: the reader's value is shown again.
    Stale,
}

impl ReviewStatus {
    /// The stable string stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Machine => "machine",
            ReviewStatus::Confirmed => "confirmed",
            ReviewStatus::Corrected => "corrected",
            ReviewStatus::Stale => "stale",
        }
    }
}

/// The type of a reviewable field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// `YYYY-MM-DD`.
    Date,
    /// One of a fixed list.
    OneOf(&'static [&'static str]),
    /// Free text (a mailing method as the page writes it).
    Text,
    /// A number.
    Number,
}

/// Values of `notices.issuance_policy`.
pub const POLICIES: &[&str] = &[
    "all_insured",
    "unregistered_only",
    "on_application",
    "mixed",
    "unknown",
];

/// Values of `notices.scheme`.
pub const SCHEMES: &[&str] = &["kokuho", "koki", "kokuho+koki"];

/// The fields a person may review, per table, most important first (the queue's order).
pub fn fields(table: &str) -> &'static [(&'static str, FieldType)] {
    match table {
        "notices" => &[
            ("issuance_policy", FieldType::OneOf(POLICIES)),
            ("scheme", FieldType::OneOf(SCHEMES)),
            ("mailing_start", FieldType::Date),
            ("mailing_end", FieldType::Date),
            ("valid_from", FieldType::Date),
            ("valid_until", FieldType::Date),
            ("mailing_method", FieldType::Text),
        ],
        "figures" => &[("value", FieldType::Number)],
        _ => &[],
    }
}

/// Why a reviewed value was refused; the message names what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// No such reviewable field.
    #[error("`{field}` is not a reviewable field of {table}; one of: {known}")]
    UnknownField {
        /// The table.
        table: String,
        /// The field asked for.
        field: String,
        /// The reviewable fields, comma-separated.
        known: String,
    },
    /// A field that must hold one of its values was given none.
    #[error("{field} cannot be empty; one of: {allowed}")]
    Empty {
        /// The field.
        field: String,
        /// What it takes.
        allowed: String,
    },
    /// Not a real day.
    #[error("{field} takes a date `YYYY-MM-DD` (or `-` for none); `{value}` is not a real date")]
    NotADate {
        /// The field.
        field: String,
        /// What was given.
        value: String,
    },
    /// Not one of the field's values.
    #[error("{field} is one of: {allowed}; not `{value}`")]
    NotOneOf {
        /// The field.
        field: String,
        /// Its values, comma-separated.
        allowed: String,
        /// What was given.
        value: String,
    },
    /// Not a number.
    #[error("{field} takes a number (or `-` for none); not `{value}`")]
    NotANumber {
        /// The field.
        field: String,
        /// What was given.
        value: String,
    },
}

/// A reviewed value checked against its field's type, in its stored form (`-` or an
/// empty string: the page states none).
pub fn check_value(table: &str, field: &str, value: &str) -> Result<String, ValueError> {
    let Some((_, ty)) = fields(table).iter().find(|(f, _)| *f == field) else {
        let known: Vec<&str> = fields(table).iter().map(|(f, _)| *f).collect();
        return Err(ValueError::UnknownField {
            table: table.to_string(),
            field: field.to_string(),
            known: known.join(", "),
        });
    };
    let v = value.trim();
    let (field_s, value) = (field.to_string(), v.to_string());
    if v.is_empty() || v == "-" {
        return match ty {
            FieldType::OneOf(_) => Err(ValueError::Empty {
                field: field.to_string(),
                allowed: allowed(*ty),
            }),
            _ => Ok(String::new()),
        };
    }
    match ty {
        FieldType::Date => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(|d| d.to_string())
            .map_err(|_| ValueError::NotADate {
                field: field_s,
                value,
            }),
        FieldType::OneOf(list) => {
            list.contains(&v)
                .then(|| v.to_string())
                .ok_or_else(|| ValueError::NotOneOf {
                    field: field_s,
                    allowed: list.join(", "),
                    value,
                })
        }
        FieldType::Number => v
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| n.to_string())
            .ok_or(ValueError::NotANumber {
                field: field_s,
                value,
            }),
        FieldType::Text => Ok(v.to_string()),
    }
}

fn allowed(ty: FieldType) -> String {
    match ty {
        FieldType::OneOf(list) => list.join(", "),
        FieldType::Date => "a date YYYY-MM-DD".into(),
        FieldType::Number => "a number".into(),
        FieldType::Text => "text".into(),
    }
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A notice's field as stored text (empty for none); `None` for a field it has not.
pub fn notice_field(n: &Notice, field: &str) -> Option<String> {
    Some(match field {
        "issuance_policy" => n.issuance_policy.clone(),
        "scheme" => n.scheme.clone(),
        "mailing_start" => date(n.mailing_start),
        "mailing_end" => date(n.mailing_end),
        "valid_from" => date(n.valid_from),
        "valid_until" => date(n.valid_until),
        "mailing_method" => n.mailing_method.clone(),
        _ => return None,
    })
}

fn set_notice_field(n: &mut Notice, field: &str, v: &str) {
    let d = || NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    match field {
        "issuance_policy" => n.issuance_policy = v.to_string(),
        "scheme" => n.scheme = v.to_string(),
        "mailing_start" => n.mailing_start = d(),
        "mailing_end" => n.mailing_end = d(),
        "valid_from" => n.valid_from = d(),
        "valid_until" => n.valid_until = d(),
        "mailing_method" => n.mailing_method = v.to_string(),
        _ => {}
    }
}

/// The sentence or cell a notice's field was read from (`notices.evidence`), if recorded.
pub fn evidence_quote(n: &Notice, field: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(&n.evidence).ok()?;
    v[field]["quote"]
        .as_str()
        .filter(|q| !q.is_empty())
        .map(str::to_string)
}

/// A figure's reviewable value as text.
pub fn figure_field(f: &Figure, field: &str) -> Option<String> {
    (field == "value").then(|| f.value.map(|v| v.to_string()).unwrap_or_default())
}

/// The latest review of each (key, field) of `table`, in input order of `at`.
pub fn latest<'a>(reviews: &'a [Review], table: &str) -> Vec<&'a Review> {
    let mut m: std::collections::BTreeMap<(&str, &str), &Review> = Default::default();
    for r in reviews.iter().filter(|r| r.table == table) {
        let slot = m.entry((&r.entity_key, &r.field)).or_insert(r);
        if r.at >= slot.at {
            *slot = r;
        }
    }
    m.into_values().collect()
}

/// The status of one review on the document now stored (`sha`).
pub fn status_of(r: &Review, sha: &str) -> ReviewStatus {
    if r.text_sha256 != sha {
        ReviewStatus::Stale
    } else if r.action == "corrected" {
        ReviewStatus::Corrected
    } else {
        ReviewStatus::Confirmed
    }
}

/// A row's overall status from its fields' statuses: stale beats corrected beats
/// confirmed; no review is `machine`.
pub fn row_status(statuses: impl IntoIterator<Item = ReviewStatus>) -> ReviewStatus {
    statuses
        .into_iter()
        .max_by_key(|s| match s {
            ReviewStatus::Machine => 0,
            ReviewStatus::Confirmed => 1,
            ReviewStatus::Corrected => 2,
            ReviewStatus::Stale => 3,
        })
        .unwrap_or(ReviewStatus::Machine)
}

/// Apply the latest reviews of `notices` to a current notice: corrected values replace
/// the reader's on the same document; stale ones leave it. Returns the row's status.
pub fn apply_to_notice(n: &mut Notice, latest: &[&Review]) -> ReviewStatus {
    let key = crate::keys::notice(n);
    let mut statuses = Vec::new();
    for r in latest.iter().filter(|r| r.entity_key == key) {
        let s = status_of(r, &n.text_sha256);
        if s == ReviewStatus::Corrected {
            set_notice_field(n, &r.field, &r.reviewed_value);
        }
        statuses.push(s);
    }
    row_status(statuses)
}

/// Apply the latest reviews of `figures` to a current figure (see [`apply_to_notice`]).
pub fn apply_to_figure(f: &mut Figure, latest: &[&Review]) -> ReviewStatus {
    let key = f.key();
    let mut statuses = Vec::new();
    for r in latest.iter().filter(|r| r.entity_key == key) {
        let s = status_of(r, &f.provenance.snapshot_sha256);
        if s == ReviewStatus::Corrected && r.field == "value" {
            f.value = r.reviewed_value.parse().ok();
        }
        statuses.push(s);
    }
    row_status(statuses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_against_their_field_type_with_the_allowed_values_named() {
        assert_eq!(
            check_value("notices", "valid_until", "2026-07-31").unwrap(),
            "2026-07-31"
        );
        assert_eq!(check_value("notices", "valid_until", "-").unwrap(), "");
        let e = check_value("notices", "valid_until", "2025-02-30")
            .unwrap_err()
            .to_string();
        assert!(e.contains("YYYY-MM-DD"), "{e}");
        let e = check_value("notices", "issuance_policy", "everyone")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("all_insured") && e.contains("unregistered_only"),
            "{e}"
        );
        let e = check_value("notices", "color", "red")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("issuance_policy") && e.contains("valid_until"),
            "{e}"
        );
        assert_eq!(
            check_value("figures", "value", "1,234.5").unwrap(),
            "1234.5"
        );
        assert!(check_value("figures", "value", "many").is_err());
    }

    fn review(field: &str, value: &str, action: &str, sha: &str, at: i64) -> Review {
        Review {
            table: "notices".into(),
            entity_key: "city|131130".into(),
            field: field.into(),
            machine_value: String::new(),
            reviewed_value: value.into(),
            action: action.into(),
            note: String::new(),
            by: "k".into(),
            at: DateTime::from_timestamp(at, 0).unwrap(),
            text_sha256: sha.into(),
            source_id: "city".into(),
            url: String::new(),
        }
    }

    #[test]
    fn a_correction_applies_on_its_document_and_goes_stale_when_the_text_changes() {
        let mut n = Notice {
            area_code: "131130".into(),
            text_sha256: "aaa".into(),
            issuance_policy: "unknown".into(),
            provenance: Some(crate::Provenance {
                source_id: "city".into(),
                url: "http://x/".into(),
                fetched_at: DateTime::from_timestamp(0, 0).unwrap(),
                snapshot_sha256: String::new(),
                locator: String::new(),
                raw_text: String::new(),
                run_id: "r".into(),
            }),
            ..Notice::default()
        };
        let all = vec![
            review("issuance_policy", "mixed", "corrected", "aaa", 1),
            review("issuance_policy", "all_insured", "corrected", "aaa", 2),
        ];
        let l = latest(&all, "notices");
        assert_eq!(l.len(), 1, "the later review of a field wins");
        let mut cur = n.clone();
        assert_eq!(apply_to_notice(&mut cur, &l), ReviewStatus::Corrected);
        assert_eq!(cur.issuance_policy, "all_insured");
        n.text_sha256 = "bbb".into();
        assert_eq!(apply_to_notice(&mut n, &l), ReviewStatus::Stale);
        assert_eq!(
            n.issuance_policy, "unknown",
            "a stale review shows the reader's value"
        );
    }
}
