//! Natural keys: what makes a content row *the same row* from one run to the next.
//!
//! The diff matches rows by these keys and the pipeline rejects an extraction in which
//! two rows share one ([`duplicate_keys`]): a collision would silently drop a row from
//! the diff and make a change invisible. Every table's key is part of the analyst
//! contract (docs/tables.md) and lives here, in one place.

use std::collections::HashMap;

use crate::{Bill, Event, Figure, Notice, Rows, Statement};

/// `figures`: source, metric, area, dimensions and period ([`Figure::key`]).
pub fn figure(f: &Figure) -> String {
    f.key()
}

/// A `figures` key read back into its parts ([`figure`]):
/// `source|metric|area|dimensions|as_of|period_start|period_end`. Dates are as written in
/// the key (`YYYY-MM-DD` or empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureKey<'a> {
    /// Source id.
    pub source_id: &'a str,
    /// Metric (`card.holdings`).
    pub metric: &'a str,
    /// Area code, or the area's name when it has no code.
    pub area: &'a str,
    /// Dimensions (`category=…`).
    pub dimensions: &'a str,
    /// `as_of`.
    pub as_of: &'a str,
    /// `period_start`.
    pub period_start: &'a str,
    /// `period_end`.
    pub period_end: &'a str,
}

/// The parts of a `figures` key, or `None` for a key of another shape.
pub fn parse_figure(key: &str) -> Option<FigureKey<'_>> {
    let p: Vec<&str> = key.split('|').collect();
    let [source_id, metric, area, dimensions, as_of, period_start, period_end, ..] = p[..] else {
        return None;
    };
    Some(FigureKey {
        source_id,
        metric,
        area,
        dimensions,
        as_of,
        period_start,
        period_end,
    })
}

/// The place of a `notices` key ([`notice`]): the area code, or the URL of a notice
/// without an area.
pub fn notice_place(key: &str) -> Option<&str> {
    key.split('|').nth(1)
}

/// `notices`: source + area code (+ scheme when the page names one); a notice with no
/// area (an agency page) is keyed by its URL.
pub fn notice(n: &Notice) -> String {
    let source = n
        .provenance
        .as_ref()
        .map(|p| p.source_id.as_str())
        .unwrap_or("");
    let place = if n.area_code.is_empty() {
        n.provenance.as_ref().map(|p| p.url.as_str()).unwrap_or("")
    } else {
        n.area_code.as_str()
    };
    format!("{source}|{place}")
}

/// `events`: the event id (transcript page id, Diet issueID, bill stage id).
pub fn event(e: &Event) -> String {
    e.event_id.clone()
}

/// `statements`: event id + turn.
pub fn statement(s: &Statement) -> String {
    format!("{}#{}", s.event_id, s.turn)
}

/// `bills`: 提出回次 + 種類 + 番号 ([`Bill::key`]), never the title.
pub fn bill(b: &Bill) -> String {
    b.key()
}

/// Two rows of one table on one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The table (`figures`, `notices`, ...).
    pub table: &'static str,
    /// The shared key.
    pub key: String,
    /// Locator of the first row with the key.
    pub first: String,
    /// Locator of the second row.
    pub second: String,
}

impl std::fmt::Display for DuplicateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "two {} rows share the key `{}` (at {} and at {})",
            self.table, self.key, self.first, self.second
        )
    }
}

fn dups<T>(
    table: &'static str,
    rows: &[T],
    key: impl Fn(&T) -> String,
    locator: impl Fn(&T) -> String,
    out: &mut Vec<DuplicateKey>,
) {
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let k = key(r);
        match seen.get(&k) {
            Some(&j) => out.push(DuplicateKey {
                table,
                key: k,
                first: locator(&rows[j]),
                second: locator(r),
            }),
            None => {
                seen.insert(k, i);
            }
        }
    }
}

/// Every key shared by two rows of one table, in row order.
pub fn duplicate_keys(rows: &Rows) -> Vec<DuplicateKey> {
    let mut out = Vec::new();
    let loc = |p: &crate::Provenance| format!("{} {}", p.url, p.locator);
    dups(
        "figures",
        &rows.figures,
        figure,
        |f| loc(&f.provenance),
        &mut out,
    );
    dups(
        "notices",
        &rows.notices,
        notice,
        |n| n.provenance.as_ref().map(loc).unwrap_or_default(),
        &mut out,
    );
    dups(
        "events",
        &rows.events,
        event,
        |e| loc(&e.provenance),
        &mut out,
    );
    dups(
        "statements",
        &rows.statements,
        statement,
        |s| loc(&s.provenance),
        &mut out,
    );
    dups("bills", &rows.bills, bill, |b| loc(&b.provenance), &mut out);
    out
}
