//! `mynawatch review`: the queue of facts for people to check, corrections and
//! confirmations stored as the `reviews` table, the note a change alert gets when a
//! reviewed page changed, and reviews written out as eval labels.
//!
//! What a review means for the current views (corrected, confirmed, stale) is
//! [`mynawatch_model::review`]'s; this module reads the store, checks what people type,
//! and writes under the data folder's lock.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::Utc;
use mynawatch_model::review::{self, check_value, fields, Review, ReviewStatus};
use mynawatch_model::{keys, Change, ChangeKind, Figure, Notice};
use mynawatch_store::{columns, Store};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::args::Format;
use crate::config::Config;
use crate::UsageError;

/// What `review list` shows.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    /// Only rows of sources of this family (needs the config).
    pub family: Option<String>,
    /// Only rows of this area code.
    pub area: Option<String>,
    /// Reviewed facts too.
    pub all: bool,
    /// At most this many items (0: all).
    pub limit: usize,
}

/// One fact in the queue.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Why it is listed: `stale`, `changed`, `warning`, `new`, or `reviewed` (`--all`).
    pub reason: &'static str,
    /// The row's natural key (`changes.entity_key`).
    pub key: String,
    /// `notices` or `figures`.
    pub table: &'static str,
    /// The field.
    pub field: &'static str,
    /// The reader's value (empty: none).
    pub value: String,
    /// The sentence or cell it was read from, or why it was left empty.
    pub evidence: String,
    /// The latest review of the field, as `corrected to X by N on D` / `confirmed by …`.
    pub review: String,
    /// The page.
    pub url: String,
    /// The source id.
    pub source_id: String,
}

fn rank(reason: &str) -> u8 {
    match reason {
        "stale" => 0,
        "changed" => 1,
        "warning" => 2,
        "new" => 3,
        _ => 4,
    }
}

fn describe(r: &Review) -> String {
    let day = r.at.date_naive();
    if r.action == "corrected" {
        let v = if r.reviewed_value.is_empty() {
            "none"
        } else {
            &r.reviewed_value
        };
        format!("corrected to {v} by {} on {day}", r.by)
    } else {
        format!("confirmed by {} on {day}", r.by)
    }
}

/// A row under review: the reader's current row of one table.
enum Row {
    Notice(Notice),
    Figure(Figure),
}

impl Row {
    fn key(&self) -> String {
        match self {
            Row::Notice(n) => keys::notice(n),
            Row::Figure(f) => f.key(),
        }
    }
    fn table(&self) -> &'static str {
        match self {
            Row::Notice(_) => "notices",
            Row::Figure(_) => "figures",
        }
    }
    fn value(&self, field: &str) -> Option<String> {
        match self {
            Row::Notice(n) => review::notice_field(n, field),
            Row::Figure(f) => review::figure_field(f, field),
        }
    }
    /// The document a review of this row is pinned to.
    fn document(&self) -> String {
        match self {
            Row::Notice(n) => n.text_sha256.clone(),
            Row::Figure(f) => f.provenance.snapshot_sha256.clone(),
        }
    }
    fn source_url(&self) -> (String, String) {
        match self {
            Row::Notice(n) => n
                .provenance
                .as_ref()
                .map(|p| (p.source_id.clone(), p.url.clone()))
                .unwrap_or_default(),
            Row::Figure(f) => (f.provenance.source_id.clone(), f.provenance.url.clone()),
        }
    }
    fn area(&self) -> &str {
        match self {
            Row::Notice(n) => &n.area_code,
            Row::Figure(f) => &f.area_code,
        }
    }
    /// The row's `evidence` column, parsed (null when empty).
    fn evidence_json(&self) -> serde_json::Value {
        let text = match self {
            Row::Notice(n) => &n.evidence,
            Row::Figure(f) => &f.evidence,
        };
        serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
    }

    /// Evidence of one field, from the row's parsed `evidence` (`v`): the quote (or why it
    /// was left empty) for a notice, the raw text, locator and reading of a figure; and
    /// whether the field was left empty with a warning.
    fn evidence(&self, v: &serde_json::Value, field: &str) -> (String, bool) {
        match self {
            Row::Notice(_) => {
                let e = &v[field];
                if let Some(why) = e["abstained"].as_str() {
                    return (format!("left empty: {why}"), true);
                }
                let quote = e["quote"].as_str().unwrap_or_default();
                let line = e["line"]
                    .as_u64()
                    .map(|l| format!(" (line {l})"))
                    .unwrap_or_default();
                (format!("{quote}{line}"), false)
            }
            Row::Figure(f) => {
                let why = ["how", "period", "area"]
                    .iter()
                    .filter_map(|k| v[*k].as_str().map(|x| format!("{k}: {x}")))
                    .collect::<Vec<_>>()
                    .join("; ");
                let why = if why.is_empty() {
                    String::new()
                } else {
                    format!("; {why}")
                };
                (
                    format!("{} ({}{why})", f.provenance.raw_text, f.provenance.locator),
                    false,
                )
            }
        }
    }
}

/// The reader's current rows that people review: notices, and figures read from prose
/// (survey reports, whose metrics start `survey.`).
fn current_rows(store: &Store) -> Result<Vec<Row>> {
    let notices = columns::read::<mynawatch_model::Notice>(
        &store
            .scan_latest(mynawatch_store::TableName::Notices)?
            .collect()?,
    )?;
    let figures = store.latest_figures("survey.")?;
    Ok(notices
        .into_iter()
        .map(Row::Notice)
        .chain(figures.into_iter().map(Row::Figure))
        .collect())
}

fn family_sources(cfg: Option<&Config>, family: &str) -> Result<BTreeSet<String>> {
    let cfg = cfg.ok_or_else(|| {
        UsageError(format!(
            "--family {family} needs the config that names the sources (--config)"
        ))
    })?;
    Ok(cfg
        .sources
        .iter()
        .filter(|s| s.family == family)
        .map(|s| s.id.clone())
        .collect())
}

/// The queue: stale reviews first, then facts whose value changed since they were
/// reviewed, facts read with a warning, and new facts; policy before dates.
pub fn queue(data_dir: &Path, cfg: Option<&Config>, opts: &ListOptions) -> Result<Vec<Item>> {
    let store = Store::open(data_dir)?;
    let reviews = store.load_reviews()?;
    let latest: BTreeMap<(String, String), &Review> = ["notices", "figures"]
        .iter()
        .flat_map(|t| review::latest(&reviews, t))
        .map(|r| ((r.entity_key.clone(), r.field.clone()), r))
        .collect();
    let sources = match &opts.family {
        Some(f) => Some(family_sources(cfg, f)?),
        None => None,
    };
    let mut items = Vec::new();
    for row in current_rows(&store)? {
        let (source_id, url) = row.source_url();
        if sources.as_ref().is_some_and(|s| !s.contains(&source_id))
            || opts.area.as_deref().is_some_and(|a| a != row.area())
        {
            continue;
        }
        let key = row.key();
        let parsed = row.evidence_json();
        for (field, _) in fields(row.table()) {
            let value = row.value(field).unwrap_or_default();
            let (evidence, warned) = row.evidence(&parsed, field);
            let last = latest.get(&(key.clone(), field.to_string()));
            let reason = match last {
                Some(r) if review::status_of(r, &row.document()) == ReviewStatus::Stale => "stale",
                Some(r) if r.machine_value != value => "changed",
                Some(_) => "reviewed",
                None if warned => "warning",
                // `unknown` with nothing quoted: the reader found no rule to read.
                None if *field == "issuance_policy"
                    && value == "unknown"
                    && evidence.is_empty() =>
                {
                    "none stated"
                }
                None if !value.is_empty() => "new",
                None => "none stated",
            };
            if !opts.all && matches!(reason, "reviewed" | "none stated") {
                continue;
            }
            items.push(Item {
                reason,
                key: key.clone(),
                table: row.table(),
                field,
                value,
                evidence,
                review: last.map(|r| describe(r)).unwrap_or_default(),
                url: url.clone(),
                source_id: source_id.clone(),
            });
        }
    }
    // Policy first, then what a notice or survey states, then dates, then the method.
    let weight = |field: &str| match field {
        "issuance_policy" => 0,
        "scheme" => 1,
        "value" => 2,
        "mailing_method" => 4,
        _ => 3,
    };
    let order = |i: &Item| (rank(i.reason), weight(i.field), i.key.clone());
    items.sort_by_key(order);
    Ok(items)
}

fn clip(s: &str, cols: usize) -> String {
    if s.width() <= cols {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if out.width() + c.to_string().width() > cols.saturating_sub(1) {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// `review list`: the queue as text (one block per fact, fitting 100 columns) or JSON lines.
pub fn list(
    data_dir: &Path,
    cfg: Option<&Config>,
    opts: &ListOptions,
    format: Format,
) -> Result<String> {
    let items = queue(data_dir, cfg, opts)?;
    let total = items.len();
    let shown = if opts.limit == 0 {
        total
    } else {
        opts.limit.min(total)
    };
    let mut out = String::new();
    match format {
        Format::Json => {
            for i in &items[..shown] {
                writeln!(out, "{}", serde_json::to_string(i)?)?;
            }
        }
        Format::Table | Format::Csv => {
            if total == 0 {
                out.push_str("nothing to review\n");
                return Ok(out);
            }
            for i in &items[..shown] {
                let value = if i.value.is_empty() {
                    "(none)"
                } else {
                    &i.value
                };
                writeln!(
                    out,
                    "[{}] {} {} = {}",
                    i.reason,
                    i.key,
                    i.field,
                    clip(value, 40)
                )?;
                if !i.evidence.is_empty() {
                    writeln!(out, "    {}", clip(&i.evidence, 94))?;
                }
                if !i.review.is_empty() {
                    writeln!(out, "    review: {}", i.review)?;
                }
                writeln!(out, "    {}", clip(&i.url, 94))?;
            }
            if shown < total {
                writeln!(out, "… {} more (--limit 0 lists all)", total - shown)?;
            }
        }
    }
    Ok(out)
}

/// What `review set` / `review confirm` record.
#[derive(Debug, Clone)]
pub struct Verdict<'a> {
    /// The row's key.
    pub key: &'a str,
    /// Field and the reviewed value (`None`: confirm the machine value); empty: confirm
    /// every reviewable field of the row's table.
    pub fields: Vec<(String, Option<String>)>,
    /// The person's note.
    pub note: &'a str,
    /// Who.
    pub by: &'a str,
}

/// Record corrections or confirmations of one row. Everything is checked before
/// anything is written (unknown key or field, a value of the wrong type: a usage error,
/// exit 2); the batch is written under the data folder's lock (exit 4 while a run holds
/// it).
pub fn record(data_dir: &Path, v: &Verdict<'_>) -> Result<String> {
    let store = Store::open(data_dir)?;
    let rows = current_rows(&store)?;
    let Some(row) = rows.iter().find(|r| r.key() == v.key) else {
        let near: Vec<String> = rows
            .iter()
            .map(Row::key)
            .filter(|k| {
                v.key
                    .split('|')
                    .any(|p| !p.is_empty() && k.split('|').any(|q| q == p))
            })
            .take(5)
            .collect();
        let hint = if near.is_empty() {
            "`mynawatch review list` shows the keys".to_string()
        } else {
            format!("keys like it: {}", near.join(", "))
        };
        return Err(UsageError(format!("no current row has the key `{}`; {hint}", v.key)).into());
    };
    let (source_id, url) = row.source_url();
    let at = Utc::now();
    let every: Vec<(String, Option<String>)> = fields(row.table())
        .iter()
        .map(|(f, _)| (f.to_string(), None))
        .collect();
    let wanted = if v.fields.is_empty() {
        &every
    } else {
        &v.fields
    };
    let mut batch = Vec::new();
    for (field, value) in wanted {
        let machine = row.value(field).ok_or_else(|| {
            let known: Vec<&str> = fields(row.table()).iter().map(|(f, _)| *f).collect();
            UsageError(format!(
                "`{field}` is not a reviewable field of {}; one of: {}",
                row.table(),
                known.join(", ")
            ))
        })?;
        let reviewed = match value {
            Some(x) => check_value(row.table(), field, x).map_err(|e| UsageError(e.to_string()))?,
            None => machine.clone(),
        };
        batch.push(Review {
            table: row.table().to_string(),
            entity_key: v.key.to_string(),
            field: field.clone(),
            action: if reviewed == machine {
                "confirmed"
            } else {
                "corrected"
            }
            .to_string(),
            machine_value: machine,
            reviewed_value: reviewed,
            note: v.note.to_string(),
            by: v.by.to_string(),
            at,
            text_sha256: row.document(),
            source_id: source_id.clone(),
            url: url.clone(),
        });
    }
    let batch_id = format!(
        "review-{}-{:04x}",
        at.format("%Y%m%dT%H%M%S%.3fZ"),
        std::process::id() & 0xffff
    );
    let (_lock, _stale) = mynawatch_store::RunLock::acquire(data_dir, &batch_id, at)?;
    store
        .append_reviews(&batch_id, &batch)
        .context("write the reviews")?;
    let mut out = String::new();
    for r in &batch {
        writeln!(out, "{} {}: {}", r.entity_key, r.field, describe(r))?;
    }
    Ok(out)
}

/// Append to a change of a reviewed notice whose page changed what the review had been
/// (`corrected to mixed by k on 2026-12-06; the page changed, the review is stale`);
/// `latest` is [`review::latest`] of the notices' reviews.
pub fn note_stale_reviews(c: &mut Change, latest: &[&Review]) {
    if c.table != "notices" || c.kind != ChangeKind::NoticeTextChanged {
        return;
    }
    let notes: Vec<String> = latest
        .iter()
        .filter(|r| r.entity_key == c.entity_key)
        .map(|r| format!("{} {}", r.field, describe(r)))
        .collect();
    if !notes.is_empty() {
        c.summary = format!(
            "{} (reviewed: {}; the page changed, so the review is stale and back in `mynawatch review list`)",
            c.summary,
            notes.join("; ")
        );
    }
}

/// `eval --labels-from-reviews OUT.tsv`: every reviewed notice as labels (its reviewed
/// and confirmed fields; `-` for a field reviewed as none) and its stored text as
/// `<texts>/<file>.txt`, so `mynawatch eval --labels OUT.tsv <texts>` scores the reader
/// on what people checked. Reviews gone stale are left out (their page changed).
pub fn labels_from_reviews(data_dir: &Path, out: &Path, texts: &Path) -> Result<String> {
    let store = Store::open(data_dir)?;
    let reviews = store.load_reviews()?;
    let latest = review::latest(&reviews, "notices");
    let notices = columns::read::<mynawatch_model::Notice>(
        &store
            .scan_latest(mynawatch_store::TableName::Notices)?
            .collect()?,
    )?;
    std::fs::create_dir_all(texts).with_context(|| format!("create {}", texts.display()))?;
    let mut tsv = String::from(
        "# labels written by `mynawatch eval --labels-from-reviews` from people's reviews\n\
         # file\turl\tfield\tvalue\n",
    );
    let (mut pages, mut facts) = (0, 0);
    for n in &notices {
        let key = keys::notice(n);
        let mine: Vec<&&Review> = latest
            .iter()
            .filter(|r| r.entity_key == key && r.text_sha256 == n.text_sha256)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let url = n.provenance.as_ref().map(|p| p.url.as_str()).unwrap_or("");
        let file = format!("{}.txt", &n.text_sha256[..n.text_sha256.len().min(16)]);
        std::fs::write(texts.join(&file), &n.text)
            .with_context(|| format!("write {}", texts.join(&file).display()))?;
        pages += 1;
        for r in mine {
            // The eval's fact name for the mailing method is `method`.
            let field = if r.field == "mailing_method" {
                "method"
            } else {
                &r.field
            };
            let value = if r.reviewed_value.is_empty() {
                "-"
            } else {
                &r.reviewed_value
            };
            writeln!(tsv, "{file}\t{url}\t{field}\t{value}")?;
            facts += 1;
        }
    }
    mynawatch_durable::write_atomic(out, tsv.as_bytes())
        .with_context(|| format!("write {}", out.display()))?;
    Ok(format!(
        "{facts} reviewed facts of {pages} pages in {}; texts in {}\n",
        out.display(),
        texts.display()
    ))
}
