//! Keyed diff of one source's extraction against its last good one.
//!
//! Rows are matched by natural key (figures: [`Figure::key`]; notices: source + area or
//! URL; events: event id; statements: event + turn) and compared field by field.
//! Provenance (fetch time, run, snapshot hash, locator) never counts as a change. A
//! figure whose value moved for a period it had already published is `revised`; a
//! notice whose main text changed is `notice_text_changed` with a paragraph-level
//! summary, after dropping what is not content (whitespace and width variants, 更新日
//! lines, page-generation stamps, view counters). Output order is deterministic.
//!
//! Only call this after a *successful* extraction: a failed one is a broken source,
//! not a set of removed rows.

use std::collections::BTreeMap;
use std::fmt::Display;

use chrono::{DateTime, NaiveDate, Utc};
/// Counts and values in change sentences (`5,223`): the one formatter, re-exported for
/// the crates that write run summaries.
pub use mynawatch_model::display::group_thousands;
use mynawatch_model::{Bill, Change, ChangeKind, Event, Figure, Notice, Rows, Statement};
use unicode_normalization::UnicodeNormalization;

/// Where the changes are reported from.
#[derive(Debug, Clone, Copy)]
pub struct DiffContext<'a> {
    /// The run detecting them.
    pub run_id: &'a str,
    /// When.
    pub detected_at: DateTime<Utc>,
    /// The source.
    pub source_id: &'a str,
    /// The source's URL (for the alert).
    pub url: &'a str,
}

/// All changes between `old` and `new`.
pub fn diff_rows(old: &Rows, new: &Rows, ctx: &DiffContext) -> Vec<Change> {
    let mut out = Vec::new();
    // A release that moves on to a new date does not delete the old date's figures: they
    // are history. A figure is removed only when the new extraction still covers its date.
    let covered: std::collections::BTreeSet<String> = new.figures.iter().map(period).collect();
    let still_published: Vec<Figure> = old
        .figures
        .iter()
        .filter(|f| covered.contains(&period(f)))
        .cloned()
        .collect();
    keyed(
        &still_published,
        &new.figures,
        Figure::key,
        "figures",
        ctx,
        &mut out,
        figure_fields,
        figure_label,
    );
    keyed(
        &old.notices,
        &new.notices,
        notice_key,
        "notices",
        ctx,
        &mut out,
        notice_fields,
        notice_label,
    );
    keyed(
        &bill_events_still_covered(&old.events, new),
        &new.events,
        mynawatch_model::keys::event,
        "events",
        ctx,
        &mut out,
        event_fields,
        |e| e.title.clone(),
    );
    keyed(
        &old.statements,
        &new.statements,
        mynawatch_model::keys::statement,
        "statements",
        ctx,
        &mut out,
        statement_fields,
        |s| format!("{} turn {} ({})", s.event_id, s.turn, s.speaker),
    );
    diff_bills(old, new, ctx, &mut out);
    out
}

/// Old events, minus the `bill_stage` events the new extraction does not cover: a bill
/// that left a dataset's window, or a session page no longer read, removes no fact. A
/// stage of a bill (and session) the new extraction still shows is compared as usual.
fn bill_events_still_covered(old: &[Event], new: &Rows) -> Vec<Event> {
    let bills: BTreeMap<&str, &Bill> = new.bills.iter().map(|b| (b.bill_key.as_str(), b)).collect();
    old.iter()
        .filter(|e| {
            if e.kind != "bill_stage" {
                return true;
            }
            // `{key}/{house}/{session}/{stage}` or `{key}/{stage}`.
            let parts: Vec<&str> = e.event_id.split('/').collect();
            let Some(b) = bills.get(parts[0]) else {
                return false;
            };
            match parts.get(2).and_then(|s| s.parse::<u32>().ok()) {
                Some(session) if parts.len() == 4 => b.sessions.contains(&session),
                _ => true,
            }
        })
        .cloned()
        .collect()
}

/// `bills` by key ([`mynawatch_model::keys::bill`]). Stage progress is reported by the
/// `bill_stage` events (one `added` per stage), so only what no event says is compared
/// here: title, kind, submitter, house of origin, the publisher's status text, and 備考
/// (whitespace ignored). A bill missing from the new extraction is not removed: datasets
/// show a window of recent rows, and a bill leaves it without ceasing to exist.
fn diff_bills(old: &Rows, new: &Rows, ctx: &DiffContext, out: &mut Vec<Change>) {
    let listed: std::collections::BTreeSet<&str> =
        new.bills.iter().map(|b| b.bill_key.as_str()).collect();
    let still_listed: Vec<Bill> = old
        .bills
        .iter()
        .filter(|b| listed.contains(b.bill_key.as_str()))
        .cloned()
        .collect();
    keyed(
        &still_listed,
        &new.bills,
        mynawatch_model::keys::bill,
        "bills",
        ctx,
        out,
        bill_fields,
        |b| format!("{} ({}): {}", b.title, b.bill_key, b.stage),
    );
}

fn bill_fields(o: &Bill, n: &Bill) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut field = |name: &'static str, a: &str, b: &str, same: bool| {
        if !same {
            out.push((
                name,
                Some(a.to_string()),
                Some(b.to_string()),
                ChangeKind::Modified,
                format!("{} ({}): {name} {a} → {b}", n.title, n.bill_key),
            ));
        }
    };
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    field("title", &o.title, &n.title, o.title == n.title);
    field("kind", &o.kind, &n.kind, o.kind == n.kind);
    field(
        "submitter",
        &o.submitter,
        &n.submitter,
        squeeze(&o.submitter) == squeeze(&n.submitter),
    );
    field(
        "origin_house",
        &o.origin_house,
        &n.origin_house,
        o.origin_house == n.origin_house,
    );
    field("status", &o.status, &n.status, o.status == n.status);
    field(
        "remarks",
        &o.remarks,
        &n.remarks,
        squeeze(&o.remarks) == squeeze(&n.remarks),
    );
    out
}

/// A field difference: name, old, new, and the kind it is.
type FieldChange = (
    &'static str,
    Option<String>,
    Option<String>,
    ChangeKind,
    String,
);

#[allow(clippy::too_many_arguments)]
fn keyed<T>(
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> String,
    table: &str,
    ctx: &DiffContext,
    out: &mut Vec<Change>,
    fields: impl Fn(&T, &T) -> Vec<FieldChange>,
    label: impl Fn(&T) -> String,
) {
    let old: BTreeMap<String, &T> = old.iter().map(|r| (key(r), r)).collect();
    let new: BTreeMap<String, &T> = new.iter().map(|r| (key(r), r)).collect();
    let change =
        |k: &str, field: &str, o: Option<String>, n: Option<String>, kind, summary: String| {
            Change {
                run_id: ctx.run_id.to_string(),
                detected_at: ctx.detected_at,
                source_id: ctx.source_id.to_string(),
                table: table.to_string(),
                entity_key: k.to_string(),
                field: field.to_string(),
                old_value: o,
                new_value: n,
                kind,
                summary,
                url: ctx.url.to_string(),
            }
        };
    for (k, n) in &new {
        match old.get(k) {
            None => out.push(change(
                k,
                "",
                None,
                None,
                ChangeKind::Added,
                format!("added: {}", label(n)),
            )),
            Some(o) => {
                for (field, ov, nv, kind, summary) in fields(o, n) {
                    out.push(change(k, field, ov, nv, kind, summary));
                }
            }
        }
    }
    for (k, o) in &old {
        if !new.contains_key(k) {
            out.push(change(
                k,
                "",
                None,
                None,
                ChangeKind::Removed,
                format!("removed: {}", label(o)),
            ));
        }
    }
}

fn opt<T: Display>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(|v| v.to_string())
}

fn fmt_value(v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => group_thousands(v as i64),
        Some(v) => format!("{v}"),
    }
}

fn period(f: &Figure) -> String {
    match (f.as_of, f.period_start, f.period_end) {
        (Some(d), _, _) => d.to_string(),
        (None, Some(s), Some(e)) => format!("{s}..{e}"),
        (None, s, e) => format!(
            "{}..{}",
            opt(&s).unwrap_or_default(),
            opt(&e).unwrap_or_default()
        ),
    }
}

fn figure_label(f: &Figure) -> String {
    let dims = if f.dimensions.is_empty() {
        String::new()
    } else {
        format!(" [{}]", f.dimensions)
    };
    format!(
        "{} {}{} {} = {} {}",
        f.metric,
        f.area_name,
        dims,
        period(f),
        fmt_value(f.value),
        f.unit
    )
}

fn figure_fields(o: &Figure, n: &Figure) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let same_value = match (o.value, n.value) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        (None, None) => true,
        _ => false,
    };
    if !same_value {
        let pct = match (o.value, n.value) {
            (Some(a), Some(b)) if a != 0.0 => format!(" ({:+.2}%)", (b - a) / a.abs() * 100.0),
            _ => String::new(),
        };
        out.push((
            "value",
            o.value.map(|v| v.to_string()),
            n.value.map(|v| v.to_string()),
            ChangeKind::Revised,
            format!(
                "{} {} {}: {} → {}{pct}",
                n.metric,
                n.area_name,
                period(n),
                fmt_value(o.value),
                fmt_value(n.value)
            ),
        ));
    }
    let mut field = |name: &'static str, a: String, b: String| {
        if a != b {
            out.push((
                name,
                Some(a.clone()),
                Some(b.clone()),
                ChangeKind::Modified,
                format!(
                    "{} {} {}: {name} {a} → {b}",
                    n.metric,
                    n.area_name,
                    period(n)
                ),
            ));
        }
    };
    field("unit", o.unit.clone(), n.unit.clone());
    field("status", o.status.as_str().into(), n.status.as_str().into());
    field(
        "qualifier",
        o.qualifier.map(|q| q.as_str()).unwrap_or("").into(),
        n.qualifier.map(|q| q.as_str()).unwrap_or("").into(),
    );
    field("area_name", o.area_name.clone(), n.area_name.clone());
    out
}

fn notice_key(n: &Notice) -> String {
    mynawatch_model::keys::notice(n)
}

fn notice_label(n: &Notice) -> String {
    format!("{} {}", n.area_name, n.title).trim().to_string()
}

fn notice_fields(o: &Notice, n: &Notice) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let who = notice_label(n);
    let (ob, nb) = (content_blocks(&o.text), content_blocks(&n.text));
    if ob != nb {
        out.push((
            "text",
            Some(o.text_sha256.clone()),
            Some(n.text_sha256.clone()),
            ChangeKind::NoticeTextChanged,
            format!("{who}: {}", section_summary(&ob, &nb)),
        ));
    }
    let mut field = |name: &'static str, a: Option<String>, b: Option<String>| {
        if a != b {
            // The sentence the new value was read from, so the alert can be checked.
            let quote = mynawatch_model::review::evidence_quote(n, name)
                .map(|q| format!(" (「{}」)", q.chars().take(120).collect::<String>()))
                .unwrap_or_default();
            out.push((
                name,
                a.clone(),
                b.clone(),
                ChangeKind::Modified,
                format!(
                    "{who}: {name} {} → {}{quote}",
                    a.as_deref().unwrap_or("—"),
                    b.as_deref().unwrap_or("—")
                ),
            ));
        }
    };
    let d = |x: &Option<NaiveDate>| opt(x);
    let s = |x: &str| (!x.is_empty()).then(|| x.to_string());
    field("title", s(&o.title), s(&n.title));
    field(
        "issuance_policy",
        s(&o.issuance_policy),
        s(&n.issuance_policy),
    );
    field("mailing_start", d(&o.mailing_start), d(&n.mailing_start));
    field("mailing_end", d(&o.mailing_end), d(&n.mailing_end));
    field("mailing_method", s(&o.mailing_method), s(&n.mailing_method));
    field("valid_from", d(&o.valid_from), d(&n.valid_from));
    field("valid_until", d(&o.valid_until), d(&n.valid_until));
    field(
        "policy_by_scheme",
        s(&o.policy_by_scheme),
        s(&n.policy_by_scheme),
    );
    // 更新日 / 掲載日 alone is not content: reported only alongside a text change.
    if ob != nb {
        field("updated_on", d(&o.updated_on), d(&n.updated_on));
    }
    out
}

fn event_fields(o: &Event, n: &Event) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut field = |name: &'static str, a: Option<String>, b: Option<String>| {
        if a != b {
            out.push((
                name,
                a.clone(),
                b.clone(),
                ChangeKind::Modified,
                format!(
                    "{}: {name} {} → {}",
                    n.title,
                    a.unwrap_or_default(),
                    b.unwrap_or_default()
                ),
            ));
        }
    };
    field("date", opt(&o.date), opt(&n.date));
    field("start_time", o.start_time.clone(), n.start_time.clone());
    field("end_time", o.end_time.clone(), n.end_time.clone());
    field("venue", Some(o.venue.clone()), Some(n.venue.clone()));
    field("title", Some(o.title.clone()), Some(n.title.clone()));
    field(
        "principal",
        Some(o.principal.clone()),
        Some(n.principal.clone()),
    );
    out
}

fn statement_fields(o: &Statement, n: &Statement) -> Vec<FieldChange> {
    let mut out = Vec::new();
    if content_blocks(&o.text) != content_blocks(&n.text) {
        out.push((
            "text",
            Some(o.text.clone()),
            Some(n.text.clone()),
            ChangeKind::Modified,
            format!(
                "{} turn {} ({}): text reworded",
                n.event_id, n.turn, n.speaker
            ),
        ));
    }
    if o.speaker != n.speaker {
        out.push((
            "speaker",
            Some(o.speaker.clone()),
            Some(n.speaker.clone()),
            ChangeKind::Modified,
            format!(
                "{} turn {}: speaker {} → {}",
                n.event_id, n.turn, o.speaker, n.speaker
            ),
        ));
    }
    out
}

/// A notice's text as comparable blocks: NFKC, whitespace removed (in Japanese text a
/// space is layout, not content), and lines that are not content dropped (更新日/掲載日
/// lines, page-generation stamps, view counters).
pub fn content_blocks(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.nfkc().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|l| !l.is_empty() && !is_churn(l))
        .collect()
}

/// Lines that change without the content changing.
fn is_churn(line: &str) -> bool {
    const PREFIXES: [&str; 8] = [
        "更新日",
        "最終更新日",
        "掲載日",
        "公開日",
        "ページ番号",
        "ページID",
        "アクセス数",
        "閲覧数",
    ];
    let l = line.trim_start_matches(['[', '(', '【', '■', '・']);
    if PREFIXES.iter().any(|p| l.starts_with(p)) && l.chars().count() < 40 {
        return true;
    }
    // "このページは2025年11月24日 10:32に生成されました", "Generated at ...", "最終更新: ... 10:32:05".
    (l.contains("生成") && l.chars().any(|c| c.is_ascii_digit()) && l.chars().count() < 60)
        || l.to_ascii_lowercase().starts_with("generated")
        || l.contains("アクセスカウンタ")
}

/// A paragraph-level account of how `old` became `new`.
fn section_summary(old: &[String], new: &[String]) -> String {
    use similar::{capture_diff_slices, Algorithm, DiffOp};
    let ops = capture_diff_slices(Algorithm::Myers, old, new);
    let short = |s: &str| {
        if s.chars().count() > 50 {
            format!("{}…", s.chars().take(49).collect::<String>())
        } else {
            s.to_string()
        }
    };
    let mut parts = Vec::new();
    for op in ops {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for s in &old[old_index..old_index + old_len] {
                    parts.push(format!("removed «{}»", short(s)));
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for s in &new[new_index..new_index + new_len] {
                    parts.push(format!("added «{}»", short(s)));
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let pairs = old_len.min(new_len);
                for i in 0..pairs {
                    parts.push(format!(
                        "reworded «{}» → «{}»",
                        short(&old[old_index + i]),
                        short(&new[new_index + i])
                    ));
                }
                for s in &old[old_index + pairs..old_index + old_len] {
                    parts.push(format!("removed «{}»", short(s)));
                }
                for s in &new[new_index + pairs..new_index + new_len] {
                    parts.push(format!("added «{}»", short(s)));
                }
            }
        }
    }
    let n = parts.len();
    if n > 4 {
        parts.truncate(4);
        parts.push(format!("and {} more", n - 4));
    }
    format!("text changed: {}", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::{content_blocks, figure_fields, notice_fields};
    use chrono::NaiveDate;
    use mynawatch_model::table::Table;
    use mynawatch_model::{Figure, FigureStatus, Notice, Provenance, Qualifier};

    /// Every field a change names is a column of its table (or the notice's `text`, whose
    /// change is its hash): the diff and the schema cannot drift apart.
    #[test]
    fn every_field_a_change_names_is_a_column_of_its_table() {
        let day = |d| NaiveDate::from_ymd_opt(2025, 8, d);
        let old = Notice::default();
        let new = Notice {
            title: "t".into(),
            text: "changed".into(),
            text_sha256: "x".into(),
            issuance_policy: "all_insured".into(),
            mailing_start: day(1),
            mailing_end: day(2),
            mailing_method: "簡易書留".into(),
            valid_from: day(3),
            valid_until: day(4),
            policy_by_scheme: "kokuho=all_insured".into(),
            updated_on: day(5),
            ..Notice::default()
        };
        let columns: Vec<String> = Notice::columns().into_iter().map(|c| c.0).collect();
        let named: Vec<&str> = notice_fields(&old, &new).iter().map(|c| c.0).collect();
        assert!(named.len() >= 9, "{named:?}");
        for f in named {
            assert!(
                f == "text" || columns.iter().any(|c| c == f),
                "notices: {f}"
            );
        }
        let figure = |value, unit: &str, status, qualifier, area: &str| Figure {
            metric: "m".into(),
            area_code: "000000".into(),
            area_name: area.into(),
            as_of: day(1),
            period_start: None,
            period_end: None,
            value,
            unit: unit.into(),
            scale: 1.0,
            qualifier,
            status,
            dimensions: String::new(),
            derived_from: String::new(),
            evidence: String::new(),
            provenance: Provenance::default(),
        };
        let a = figure(Some(1.0), "persons", FigureStatus::Final, None, "全国");
        let b = figure(
            Some(2.0),
            "percent",
            FigureStatus::Revised,
            Some(Qualifier::Approx),
            "日本",
        );
        let columns: Vec<String> = Figure::columns().into_iter().map(|c| c.0).collect();
        let named: Vec<&str> = figure_fields(&a, &b).iter().map(|c| c.0).collect();
        assert_eq!(named.len(), 5, "{named:?}");
        for f in named {
            assert!(columns.iter().any(|c| c == f), "figures: {f}");
        }
    }

    #[test]
    fn churn_lines_are_dropped_and_content_is_width_and_space_folded() {
        let text = "【更新日】2025年6月20日\n  資格確認書を　送付します。\nページ番号：1001234\n閲覧数 12,345\nこのページは2025年6月20日 10:00:01に生成されました\nGenerated at 2025-06-20T10:00\n\n問い合わせ　０３－１２３４";
        assert_eq!(
            content_blocks(text),
            vec!["資格確認書を送付します。", "問い合わせ03-1234"]
        );
    }

    #[test]
    fn a_long_paragraph_that_mentions_an_update_date_is_content() {
        // Only short stamp lines are churn: a sentence about 更新 in the body is news.
        let line = "更新日以降に届く資格確認書は、令和8年8月1日から有効です。お手元の保険証は有効期限まで使えます。";
        assert_eq!(content_blocks(line).len(), 1);
    }
}
