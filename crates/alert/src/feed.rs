//! Atom feeds of changes (RFC 4287): for people who follow one municipality or one kind
//! of source in a feed reader, the way change watchers publish theirs.
//!
//! An entry is one changed thing of one run: a notice with every field that changed (its
//! text diff, its dates), a figure old → new, a bill stage; in the feeds of everything
//! and of a family, a bulk of one kind from one source (a release adding 5,223 figures)
//! is one entry, as in a digest. Entry ids are derived from what the entry is (run,
//! source, table, key), never from when the feed was written, so writing the feeds
//! again gives the same ids and a reader never sees an entry twice.
//!
//! Pure: changes in, XML text out. Which files to write, and where the snapshots are, is
//! the caller's business.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use mynawatch_model::ChangeKind;
use sha2::{Digest as _, Sha256};

use crate::summary::{entries, Entry};
use crate::{digest_lines, render_item, AlertItem, Language};

/// One Atom entry.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// `urn:mynawatch:change:<sha256>`: stable across rewrites of the feed.
    pub id: String,
    /// One line: what changed.
    pub title: String,
    /// When the change was detected.
    pub updated: DateTime<Utc>,
    /// The source page.
    pub link: String,
    /// The stored snapshot the change was read from, when known.
    pub snapshot: Option<String>,
    /// The change kinds, as categories.
    pub kinds: Vec<String>,
    /// Plain text: each change's sentence, old → new or the text diff.
    pub content: String,
    /// Area codes the entry concerns (figures and notices), for per-area feeds.
    pub areas: Vec<String>,
    /// The source.
    pub source_id: String,
    /// The source's family, for per-family feeds.
    pub family: String,
}

fn stable_id(kind: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    format!("urn:mynawatch:{kind}:{}", hex::encode(&h.finalize()[..16]))
}

/// The area a change concerns: a figure's area code, a notice's (`source|code`).
pub fn area_of(table: &str, entity_key: &str) -> Option<String> {
    let code = match table {
        "figures" => mynawatch_model::keys::parse_figure(entity_key)?.area,
        "notices" => mynawatch_model::keys::notice_place(entity_key)?,
        _ => return None,
    };
    (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())).then(|| code.to_string())
}

fn one_line(item: &AlertItem) -> String {
    let c = &item.change;
    let mut line = c.summary.clone();
    // A figure added or a field set says its new value; a hash (notice text) does not help.
    let shown = |v: &Option<String>| {
        v.as_deref()
            .filter(|s| !mynawatch_model::is_sha256_hex(s))
            .map(str::to_string)
    };
    if c.kind == ChangeKind::Modified && !c.field.is_empty() && !line.contains('→') {
        let (o, n) = (shown(&c.old_value), shown(&c.new_value));
        line.push_str(&format!(
            " ({}: {} → {})",
            c.field,
            o.unwrap_or_else(|| "—".into()),
            n.unwrap_or_else(|| "—".into())
        ));
    }
    line
}

/// The entity entries of some changes: one per (run, source, table, key), in the order of
/// their first change.
pub fn entity_entries<'a>(
    items: impl IntoIterator<Item = &'a AlertItem>,
    snapshot: &dyn Fn(&AlertItem) -> Option<String>,
) -> Vec<FeedEntry> {
    let mut groups: BTreeMap<(String, String, String, String), Vec<&AlertItem>> = BTreeMap::new();
    let mut order = Vec::new();
    for i in items {
        let c = &i.change;
        let k = (
            c.run_id.clone(),
            c.source_id.clone(),
            c.table.clone(),
            c.entity_key.clone(),
        );
        let g = groups.entry(k.clone()).or_default();
        if g.is_empty() {
            order.push(k);
        }
        g.push(i);
    }
    order
        .into_iter()
        .map(|k| {
            let group = &groups[&k];
            let first = &group[0].change;
            let mut kinds: Vec<String> = group
                .iter()
                .map(|i| i.change.kind.as_str().to_string())
                .collect();
            kinds.dedup();
            let title = if group.len() == 1 {
                one_line(group[0])
            } else {
                // `東京都渋谷区 … ｜渋谷区ポータル: text changed; mailing_start, valid_until changed`
                let subject = first
                    .summary
                    .split_once(": ")
                    .map_or(first.summary.as_str(), |(s, _)| s);
                let fields: Vec<&str> = group
                    .iter()
                    .map(|i| {
                        if i.change.field.is_empty() {
                            i.change.kind.as_str()
                        } else {
                            i.change.field.as_str()
                        }
                    })
                    .collect();
                format!("{subject}: changed {}", fields.join(", "))
            };
            let content: Vec<String> = group.iter().map(|i| one_line(i)).collect();
            FeedEntry {
                id: stable_id("change", &[&k.0, &k.1, &k.2, &k.3]),
                title,
                updated: first.detected_at,
                link: first.url.clone(),
                snapshot: snapshot(group[0]),
                kinds,
                content: content.join("\n"),
                areas: area_of(&first.table, &first.entity_key)
                    .into_iter()
                    .collect(),
                source_id: first.source_id.clone(),
                family: group[0].family.clone(),
            }
        })
        .collect()
}

/// The entries of one run for the feeds of everything and of a family: a bulk of one
/// kind from one source is one entry (its digest line), the rest are entity entries.
pub fn run_entries(
    items: &[AlertItem],
    snapshot: &dyn Fn(&AlertItem) -> Option<String>,
) -> Vec<FeedEntry> {
    let mut out = Vec::new();
    let mut singles: Vec<&AlertItem> = Vec::new();
    for e in entries(items) {
        let group = match e {
            Entry::One(i) => {
                singles.push(i);
                continue;
            }
            Entry::Baselines(_, g) | Entry::Bulk(g) => g,
        };
        let owned: Vec<AlertItem> = group.iter().map(|i| (*i).clone()).collect();
        let line = digest_lines(&owned, Language::En).join("\n");
        let first = &group[0].change;
        let mut kinds: Vec<String> = group
            .iter()
            .map(|i| i.change.kind.as_str().to_string())
            .collect();
        kinds.sort();
        kinds.dedup();
        let shown: Vec<String> = group
            .iter()
            .take(20)
            .map(|i| render_item(i, Language::En))
            .collect();
        let more = group.len().saturating_sub(shown.len());
        let mut content = format!("{line}\n\n{}", shown.join("\n"));
        if more > 0 {
            content.push_str(&format!(
                "\n… and {more} more (mynawatch changes --since {} --source {} --rows)",
                first.run_id, first.source_id
            ));
        }
        out.push(FeedEntry {
            id: stable_id(
                "bulk",
                &[
                    &first.run_id,
                    &first.source_id,
                    &first.table,
                    first.kind.as_str(),
                    &group[0].family,
                ],
            ),
            title: line
                .trim_start_matches(|c| c != ']' && c != '】')
                .trim_start_matches([']', '】'])
                .trim()
                .split(" — ")
                .next()
                .unwrap_or_default()
                .to_string(),
            updated: first.detected_at,
            link: first.url.clone(),
            snapshot: snapshot(group[0]),
            kinds,
            content,
            areas: Vec::new(),
            source_id: first.source_id.clone(),
            family: group[0].family.clone(),
        });
    }
    out.extend(entity_entries(singles, snapshot));
    out
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An Atom document: the newest `max` entries, newest first. `updated` is the newest
/// entry's time (not the time of writing), so an unchanged feed is the same bytes.
pub fn atom(
    feed_id: &str,
    title: &str,
    link: Option<&str>,
    entries: &[&FeedEntry],
    max: usize,
) -> String {
    let mut sorted: Vec<&FeedEntry> = entries.to_vec();
    sorted.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    sorted.truncate(max);
    let updated = sorted
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ja\">\n");
    x.push_str(&format!("  <id>{}</id>\n", esc(feed_id)));
    x.push_str(&format!("  <title>{}</title>\n", esc(title)));
    x.push_str(&format!("  <updated>{}</updated>\n", time(&updated)));
    x.push_str("  <author><name>mynawatch</name></author>\n");
    x.push_str(&format!(
        "  <generator version=\"{}\">mynawatch</generator>\n",
        env!("CARGO_PKG_VERSION")
    ));
    if let Some(l) = link {
        x.push_str(&format!("  <link rel=\"self\" href=\"{}\"/>\n", esc(l)));
    }
    for e in sorted {
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <id>{}</id>\n", esc(&e.id)));
        x.push_str(&format!("    <title>{}</title>\n", esc(&e.title)));
        x.push_str(&format!("    <updated>{}</updated>\n", time(&e.updated)));
        x.push_str(&format!(
            "    <published>{}</published>\n",
            time(&e.updated)
        ));
        x.push_str(&format!(
            "    <link rel=\"alternate\" href=\"{}\"/>\n",
            esc(&e.link)
        ));
        if let Some(s) = &e.snapshot {
            x.push_str(&format!(
                "    <link rel=\"related\" title=\"stored snapshot\" href=\"{}\"/>\n",
                esc(s)
            ));
        }
        for k in &e.kinds {
            x.push_str(&format!("    <category term=\"{}\"/>\n", esc(k)));
        }
        x.push_str(&format!(
            "    <category term=\"{}\" label=\"source\"/>\n",
            esc(&e.source_id)
        ));
        x.push_str(&format!(
            "    <content type=\"text\">{}</content>\n",
            esc(&e.content)
        ));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_come_from_figure_and_notice_keys_only() {
        assert_eq!(
            area_of("figures", "mic|card.holdings|131130||2022-12-31||"),
            Some("131130".into())
        );
        assert_eq!(area_of("notices", "shibuya|131130"), Some("131130".into()));
        assert_eq!(area_of("notices", "mhlw|https://example.invalid/"), None);
        assert_eq!(area_of("events", "e1"), None);
    }

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(esc("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
