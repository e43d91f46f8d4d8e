//! Digests that summarize: what a person reads in a channel, an inbox or a terminal.
//!
//! A run can add thousands of rows (a new release restating every municipality, 1,741
//! baselines on a nationwide first run); a person needs one line for that and every
//! line for what is rare and matters. So:
//! - a *bulk* of one kind from one source and table (figures added by a release, figures
//!   revised by a restatement, statements added by a new transcript) is one line: the
//!   count, the dates, areas × metrics, the largest moves, the national value old → new;
//! - the baselines of many sources of one family (a nationwide first run) are one line
//!   per family (`1,567 municipal notices: baseline stored`);
//! - notices (text, policy and date changes), bills and bill stages, and source health
//!   are always in full, one line each.
//!
//! Pure: items in, lines out. The rows themselves stay one per change in the `changes`
//! table and in the JSON-lines sink.

use std::collections::{BTreeMap, BTreeSet};

use mynawatch_model::display::group_thousands;
use mynawatch_model::keys;
use mynawatch_model::ChangeKind;

use crate::{render_item, AlertItem, Baseline, Language};

/// The area code of all Japan.
const NATIONAL: &str = "000000";
/// A family with at least this many baselines in one digest gets one line, not one per source.
const FAMILY_BASELINE_MIN: usize = 4;
/// Added figures of one source from this many on are one line (a new month is two or three).
const FIGURES_ADDED_MIN: usize = 2;
/// Any other bulk of one kind from one source and table, from this many on.
const BULK_MIN: usize = 4;
/// Moves and national values named in a bulk line.
const NAMED: usize = 3;

/// Tables and families whose changes are always listed one by one.
fn always_in_full(item: &AlertItem) -> bool {
    let c = &item.change;
    matches!(c.table.as_str(), "notices" | "bills")
        || item.family == "diet_bills"
        || is_health(c.kind)
}

fn is_health(kind: ChangeKind) -> bool {
    matches!(kind, ChangeKind::SourceBroken | ChangeKind::SourceRecovered)
}

/// One entry of a digest before rendering.
pub(crate) enum Entry<'a> {
    /// One change, rendered as it is.
    One(&'a AlertItem),
    /// The baselines of many sources of one family.
    Baselines(&'a str, Vec<&'a AlertItem>),
    /// A bulk of one kind from one source and table.
    Bulk(Vec<&'a AlertItem>),
}

/// Group items into digest entries, in the order of their first item (health last, as
/// the items come).
pub(crate) fn entries(items: &[AlertItem]) -> Vec<Entry<'_>> {
    let mut baselines: BTreeMap<&str, Vec<&AlertItem>> = BTreeMap::new();
    let mut bulks: BTreeMap<(&str, &str, &str), Vec<&AlertItem>> = BTreeMap::new();
    for i in items {
        let c = &i.change;
        if i.baseline == Some(Baseline::Summary) {
            baselines.entry(i.family.as_str()).or_default().push(i);
        } else if !always_in_full(i) {
            bulks
                .entry((c.source_id.as_str(), c.table.as_str(), c.kind.as_str()))
                .or_default()
                .push(i);
        }
    }
    let bulk_min = |table: &str, kind: ChangeKind| {
        if table == "figures" && kind == ChangeKind::Added {
            FIGURES_ADDED_MIN
        } else {
            BULK_MIN
        }
    };
    let mut out = Vec::new();
    let mut done_families = BTreeSet::new();
    let mut done_bulks = BTreeSet::new();
    for i in items {
        let c = &i.change;
        if i.baseline == Some(Baseline::Summary) {
            let group = &baselines[i.family.as_str()];
            if group.len() < FAMILY_BASELINE_MIN {
                out.push(Entry::One(i));
            } else if done_families.insert(i.family.as_str()) {
                out.push(Entry::Baselines(i.family.as_str(), group.clone()));
            }
            continue;
        }
        if always_in_full(i) {
            out.push(Entry::One(i));
            continue;
        }
        let key = (c.source_id.as_str(), c.table.as_str(), c.kind.as_str());
        let group = &bulks[&key];
        if group.len() < bulk_min(&c.table, c.kind) {
            out.push(Entry::One(i));
        } else if done_bulks.insert(key) {
            out.push(Entry::Bulk(group.clone()));
        }
    }
    out
}

/// The digest's lines (without the header): one per entry, see the module docs.
pub fn digest_lines(items: &[AlertItem], lang: Language) -> Vec<String> {
    entries(items)
        .into_iter()
        .map(|e| match e {
            Entry::One(i) => render_item(i, lang),
            Entry::Baselines(family, group) => baselines_line(family, &group, lang),
            Entry::Bulk(group) => bulk_line(&group, lang),
        })
        .collect()
}

/// `5223` → `5,223`.
pub(crate) fn thousands(n: usize) -> String {
    group_thousands(n as i64)
}

/// A value as people write it: integers grouped, others as they are.
fn value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        group_thousands(v as i64)
    } else {
        format!("{v}")
    }
}

fn family_noun(family: &str, n: usize, lang: Language) -> String {
    match (lang, family) {
        (Language::En, "municipal_notice") => format!("{} municipal notices", thousands(n)),
        (Language::Ja, "municipal_notice") => format!("自治体のお知らせ {} 件", thousands(n)),
        (Language::En, f) => format!("{} {f} sources", thousands(n)),
        (Language::Ja, f) => format!("{f} のソース {} 件", thousands(n)),
    }
}

fn baselines_line(family: &str, group: &[&AlertItem], lang: Language) -> String {
    let rows: usize = group
        .iter()
        .filter_map(|i| i.change.new_value.as_deref()?.parse::<usize>().ok())
        .sum();
    let noun = family_noun(family, group.len(), lang);
    match lang {
        Language::En => format!(
            "[baseline] {noun}: baseline stored ({} rows)",
            thousands(rows)
        ),
        Language::Ja => format!(
            "【初回取得】{noun}: 基準データを保存（{} 行）",
            thousands(rows)
        ),
    }
}

/// What a bulk line needs of a figure key.
struct FigureKey<'a> {
    metric: &'a str,
    area: &'a str,
    period: String,
}

fn figure_key(key: &str) -> Option<FigureKey<'_>> {
    let k = keys::parse_figure(key)?;
    let period = if !k.as_of.is_empty() {
        k.as_of.to_string()
    } else if !k.period_start.is_empty() || !k.period_end.is_empty() {
        format!("{}..{}", k.period_start, k.period_end)
    } else {
        String::new()
    };
    Some(FigureKey {
        metric: k.metric,
        area: k.area,
        period,
    })
}

/// `2025-04-30`, `2025-03-31, 2025-04-30`, or `2017-03-08 … 2025-04-30 (12 dates)`.
fn dates(periods: &BTreeSet<String>) -> String {
    let list: Vec<&str> = periods
        .iter()
        .map(String::as_str)
        .filter(|p| !p.is_empty())
        .collect();
    match list.len() {
        0 => String::new(),
        1..=3 => list.join(", "),
        n => format!("{} … {} ({n} dates)", list[0], list[n - 1]),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

fn kind_verb(kind: ChangeKind, lang: Language) -> &'static str {
    match (lang, kind) {
        (Language::En, ChangeKind::Added) => "added",
        (Language::En, ChangeKind::Removed) => "removed",
        (Language::En, ChangeKind::Revised) => "revised",
        (Language::En, _) => "changed",
        (Language::Ja, ChangeKind::Added) => "追加",
        (Language::Ja, ChangeKind::Removed) => "削除",
        (Language::Ja, ChangeKind::Revised) => "改訂",
        (Language::Ja, _) => "変更",
    }
}

/// Relative move in percent of a change with numeric old and new values.
fn move_pct(i: &AlertItem) -> Option<f64> {
    let old: f64 = i.change.old_value.as_deref()?.parse().ok()?;
    let new: f64 = i.change.new_value.as_deref()?.parse().ok()?;
    (old != 0.0).then(|| (new - old) / old.abs() * 100.0)
}

fn bulk_line(group: &[&AlertItem], lang: Language) -> String {
    let first = &group[0].change;
    let (source, table, kind) = (&first.source_id, first.table.as_str(), first.kind);
    let verb = kind_verb(kind, lang);
    let mut details: Vec<String> = Vec::new();
    let head = if table == "figures" {
        let keys: Vec<FigureKey> = group
            .iter()
            .filter_map(|i| figure_key(&i.change.entity_key))
            .collect();
        let areas: BTreeSet<&str> = keys.iter().map(|k| k.area).collect();
        let metrics: BTreeSet<&str> = keys.iter().map(|k| k.metric).collect();
        let periods: BTreeSet<String> = keys.iter().map(|k| k.period.clone()).collect();
        let when = dates(&periods);
        let when = if when.is_empty() {
            String::new()
        } else {
            format!(" {when}")
        };
        // The national value, old → new: the line a person reads first.
        for i in group {
            let Some(k) = figure_key(&i.change.entity_key) else {
                continue;
            };
            if k.area != NATIONAL || details.len() >= NAMED {
                continue;
            }
            let national = match lang {
                Language::En => "national",
                Language::Ja => "全国",
            };
            let note = match (&i.figure, kind) {
                (Some(f), ChangeKind::Added) => match (f.previous, f.value) {
                    (Some(p), Some(v)) => {
                        format!("{national} {} {} → {}", k.metric, value(p), value(v))
                    }
                    (None, Some(v)) => format!("{national} {} {}", k.metric, value(v)),
                    _ => continue,
                },
                _ => match (&i.change.old_value, &i.change.new_value) {
                    (Some(o), Some(n)) => {
                        let f = |s: &str| s.parse::<f64>().map(value).unwrap_or(s.to_string());
                        format!("{national} {} {} → {}", k.metric, f(o), f(n))
                    }
                    _ => continue,
                },
            };
            details.push(note);
        }
        if matches!(kind, ChangeKind::Revised | ChangeKind::Modified) {
            let mut moves: Vec<(&AlertItem, f64)> = group
                .iter()
                .filter_map(|i| Some((*i, move_pct(i)?)))
                .collect();
            moves.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            let largest: Vec<String> = moves
                .iter()
                .take(NAMED)
                .map(|(i, _)| i.change.summary.clone())
                .collect();
            if !largest.is_empty() {
                details.push(match lang {
                    Language::En => format!("largest moves: {}", largest.join("; ")),
                    Language::Ja => format!("主な変動: {}", largest.join("；")),
                });
            }
        }
        match lang {
            Language::En => format!(
                "{source}{when}: {} × {} {verb} ({})",
                plural(areas.len(), "area", "areas"),
                plural(metrics.len(), "metric", "metrics"),
                plural(group.len(), "figure", "figures"),
            ),
            Language::Ja => format!(
                "{source}{when}: {} 地域 × {} 指標を{verb}（数値 {} 件）",
                thousands(areas.len()),
                thousands(metrics.len()),
                thousands(group.len())
            ),
        }
    } else {
        let mut head = match lang {
            Language::En => format!("{source}: {} {table} {verb}", thousands(group.len())),
            Language::Ja => format!("{source}: {table} {} 件を{verb}", thousands(group.len())),
        };
        if table == "statements" {
            let events: BTreeSet<&str> = group
                .iter()
                .map(|i| {
                    let k = i.change.entity_key.as_str();
                    k.rsplit_once('#').map_or(k, |(e, _)| e)
                })
                .collect();
            head.push_str(&match lang {
                Language::En => format!(" ({})", plural(events.len(), "event", "events")),
                Language::Ja => format!("（会議・会見 {} 件）", thousands(events.len())),
            });
        }
        head
    };
    let label = match lang {
        Language::En => format!("[{verb}] "),
        Language::Ja => format!("【{verb}】"),
    };
    let mut line = format!("{label}{head}");
    if !details.is_empty() {
        line.push_str(match lang {
            Language::En => "; ",
            Language::Ja => "；",
        });
        line.push_str(&details.join(match lang {
            Language::En => "; ",
            Language::Ja => "；",
        }));
    }
    match lang {
        Language::En => format!("{line} — {}", first.url),
        Language::Ja => format!("{line} {}", first.url),
    }
}

/// What a digest is about in a few words, for an email subject:
/// `3 notices changed, 5,225 figures added, 1 source broken`.
pub fn headline(items: &[AlertItem], lang: Language) -> String {
    let mut counts: BTreeMap<(u8, &'static str), BTreeSet<String>> = BTreeMap::new();
    let mut add = |order: u8, what: &'static str, key: String| {
        counts.entry((order, what)).or_default().insert(key);
    };
    for i in items {
        let c = &i.change;
        let id = format!("{}|{}", c.source_id, c.entity_key);
        match (c.table.as_str(), c.kind, i.baseline) {
            (_, ChangeKind::SourceBroken, _) => add(8, "source_broken", c.source_id.clone()),
            (_, ChangeKind::SourceRecovered, _) => add(9, "source_recovered", c.source_id.clone()),
            (_, _, Some(_)) => add(7, "baseline", c.source_id.clone()),
            ("notices", ChangeKind::Added, _) => add(1, "notice_added", id),
            ("notices", ChangeKind::Removed, _) => add(1, "notice_removed", id),
            ("notices", _, _) => add(0, "notice_changed", id),
            ("bills", _, _) => add(2, "bill_changed", id),
            (_, _, _) if always_in_full(i) => add(2, "bill_changed", id),
            ("figures", ChangeKind::Added, _) => add(3, "figure_added", id),
            ("figures", ChangeKind::Removed, _) => add(5, "figure_removed", id),
            ("figures", _, _) => add(4, "figure_revised", id),
            (_, _, _) => add(6, "other", id),
        }
    }
    let phrase = |what: &str, n: usize| -> String {
        let t = thousands(n);
        match (lang, what) {
            (Language::En, "source_broken") => plural(n, "source broken", "sources broken"),
            (Language::En, "source_recovered") => {
                plural(n, "source recovered", "sources recovered")
            }
            (Language::En, "baseline") => plural(n, "baseline stored", "baselines stored"),
            (Language::En, "notice_added") => plural(n, "notice added", "notices added"),
            (Language::En, "notice_removed") => plural(n, "notice removed", "notices removed"),
            (Language::En, "notice_changed") => plural(n, "notice changed", "notices changed"),
            (Language::En, "bill_changed") => plural(n, "bill moved", "bills moved"),
            (Language::En, "figure_added") => plural(n, "figure added", "figures added"),
            (Language::En, "figure_removed") => plural(n, "figure removed", "figures removed"),
            (Language::En, "figure_revised") => plural(n, "figure revised", "figures revised"),
            (Language::En, _) => plural(n, "other change", "other changes"),
            (Language::Ja, "source_broken") => format!("取得失敗 {t} 件"),
            (Language::Ja, "source_recovered") => format!("復旧 {t} 件"),
            (Language::Ja, "baseline") => format!("初回取得 {t} 件"),
            (Language::Ja, "notice_added") => format!("お知らせの追加 {t} 件"),
            (Language::Ja, "notice_removed") => format!("お知らせの削除 {t} 件"),
            (Language::Ja, "notice_changed") => format!("お知らせの変更 {t} 件"),
            (Language::Ja, "bill_changed") => format!("法案の進捗 {t} 件"),
            (Language::Ja, "figure_added") => format!("数値の追加 {t} 件"),
            (Language::Ja, "figure_removed") => format!("数値の削除 {t} 件"),
            (Language::Ja, "figure_revised") => format!("数値の改訂 {t} 件"),
            (Language::Ja, _) => format!("その他の変更 {t} 件"),
        }
    };
    let parts: Vec<String> = counts
        .iter()
        .map(|((_, what), keys)| phrase(what, keys.len()))
        .collect();
    if parts.is_empty() {
        return match lang {
            Language::En => "no changes".into(),
            Language::Ja => "変更なし".into(),
        };
    }
    parts.join(match lang {
        Language::En => ", ",
        Language::Ja => "、",
    })
}

/// Split a digest's text into parts of at most `max_chars` characters each, on line
/// boundaries, numbered `(1/3)` at the start of each part when there is more than one.
/// A single line longer than a part is cut (Slack rejects a longer `text` outright).
pub fn split_text(text: &str, max_chars: usize) -> Vec<String> {
    if text.chars().count() <= max_chars {
        return vec![text.to_string()];
    }
    // Room for the `(12/34) ` prefix.
    let room = max_chars.saturating_sub(16).max(64);
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut cur_len = 0usize;
    for line in text.split_inclusive('\n') {
        let mut line = line.to_string();
        loop {
            let len = line.chars().count();
            if cur_len + len <= room {
                cur.push_str(&line);
                cur_len += len;
                break;
            }
            if cur_len > 0 {
                parts.push(std::mem::take(&mut cur));
                cur_len = 0;
                continue;
            }
            // A line longer than a whole part: cut it.
            let head: String = line.chars().take(room).collect();
            line = line.chars().skip(room).collect();
            parts.push(head);
        }
    }
    if cur_len > 0 {
        parts.push(cur);
    }
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| format!("({}/{n}) {p}", i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_splits_on_lines_into_numbered_parts_under_the_limit() {
        let text: String = (0..100)
            .map(|i| format!("line {i:03} {}\n", "x".repeat(40)))
            .collect();
        let parts = split_text(&text, 1000);
        assert!(parts.len() > 4, "{}", parts.len());
        let n = parts.len();
        for (i, p) in parts.iter().enumerate() {
            assert!(p.chars().count() <= 1000);
            assert!(p.starts_with(&format!("({}/{n}) ", i + 1)), "{p}");
        }
        let joined: String = parts
            .iter()
            .map(|p| p.split_once(") ").unwrap().1)
            .collect();
        assert_eq!(joined, text, "nothing lost, nothing repeated");
        assert_eq!(split_text("short\n", 1000), vec!["short\n".to_string()]);
    }

    #[test]
    fn a_line_longer_than_a_part_is_cut_not_sent_whole() {
        let text = format!("{}\n", "長".repeat(500));
        let parts = split_text(&text, 200);
        assert!(parts.iter().all(|p| p.chars().count() <= 200));
        assert_eq!(
            parts
                .iter()
                .map(|p| p.split_once(") ").unwrap().1)
                .collect::<String>(),
            text
        );
    }

    #[test]
    fn dates_name_one_to_three_periods_and_a_range_beyond() {
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(dates(&set(&["2025-04-30"])), "2025-04-30");
        assert_eq!(
            dates(&set(&[
                "2025-01-31",
                "2025-02-28",
                "2025-03-31",
                "2025-04-30"
            ])),
            "2025-01-31 … 2025-04-30 (4 dates)"
        );
    }
}
