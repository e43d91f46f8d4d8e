//! `mhlw_press`: the health minister's press conferences (厚生労働大臣会見概要).
//!
//! A transcript page gives one `events` row (date with its weekday checked, start and
//! end time, venue, minister) and one `statements` row per turn. Turns are found by
//! their labels (`大臣:` / `記者:`), written as plain lines or as list items (`- 大臣:`),
//! with full- or half-width colons; the answer is the text after the label up to the
//! next label. Opening remarks live under 閣議等について and may be "nothing" (特にありま
//! せん), in which case there is no statement for them. The index page gives the
//! transcript links and its pagination as links (follow with `via = "family"`).
//!
//! Topic tags come from the shared keyword table, with the press conferences' own usage
//! on top (see [`press_topics`]): measures for expired cards (`有効期限切れの保険証`,
//! `暫定措置`, `来年3月まで`) and `スマホ保険証` are `mynumber_insurance`; `医療DX` alone
//! (the umbrella word of every health-IT answer) is not `ehr_sharing`.
//! A date line whose time is not a time of day (`25:61`) gives no start or end time and
//! a warning.
//!
//! Options: `topics` (`{"tag": ["keyword", …]}`) replaces the default keyword table (and
//! the press adjustments).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use mynawatch_model::{Event, Rows, Statement};
use regex::Regex;
use serde::Deserialize;

use crate::families::page::links_of;
use crate::text::{default_topics, topics};
use crate::{common, Declared, ExtractError, Extraction, Input};

/// The MHLW press-conference family.
#[derive(Debug, Default)]
pub struct MhlwPress;

/// Options of the `mhlw_press` family (see the module docs).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    #[serde(default)]
    topics: Option<BTreeMap<String, Vec<String>>>,
}

fn label_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^\s*(?:[-・•●]\s*)?(大臣|記者|司会)\s*[:：]\s*(.*)$").expect("label regex")
    })
}

fn link_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"/stf/kaiken/daijin/(0000194708_\d+|index_?\d*)\.html$").expect("link regex")
    })
}

const NOTHING: &[&str] = &[
    "特にありません",
    "特にございません",
    "特になし",
    "ありません",
    "ございません",
];
const SECTIONS: &[&str] = &["閣議等について", "質疑", "会見の詳細", "広報室"];

impl Declared for MhlwPress {
    type Options = Options;
    const NAME: &'static str = "mhlw_press";
    const EXPECT: (usize, &'static str) = (1, "events");

    fn read(&self, input: &Input<'_>, opts: &Self::Options) -> Result<Extraction, ExtractError> {
        let page = common::html_page(input)?;
        let links: Vec<_> = links_of(&page)
            .into_iter()
            .filter(|l| link_re().is_match(&l.url))
            .collect();
        let text = page.main_text();
        let canonical = page
            .canonical
            .clone()
            .unwrap_or_else(|| input.meta.url.clone());
        match transcript(&text, &canonical, input, opts)? {
            Some((rows, warnings)) => Ok(Extraction {
                rows,
                links,
                warnings,
            }),
            // An index page: no transcript, but links to transcripts and further pages.
            None if !links.is_empty() => Ok(Extraction { links, ..Extraction::default() }),
            None => Err(ExtractError::Layout(format!(
                "{}: neither a transcript (no 大臣会見概要 title and date line) nor an index of transcripts",
                input.meta.url
            ))),
        }
    }

    fn read_text(
        &self,
        text: &str,
        input: &Input<'_>,
        opts: &Self::Options,
    ) -> Option<Result<Extraction, ExtractError>> {
        Some(
            transcript(text, &input.meta.url, input, opts).and_then(|rows| {
                rows.map(|(rows, warnings)| Extraction {
                    rows,
                    warnings,
                    ..Extraction::default()
                })
                .ok_or_else(|| {
                    ExtractError::Layout(format!(
                        "{}: no 大臣会見概要 title and date line in the text",
                        input.meta.url
                    ))
                })
            }),
        )
    }
}

/// The rows of one transcript, or `None` when the text is not a transcript.
fn transcript(
    text: &str,
    url: &str,
    input: &Input<'_>,
    opts: &Options,
) -> Result<Option<(Rows, Vec<String>)>, ExtractError> {
    let custom = opts.topics.is_some();
    let table = match &opts.topics {
        Some(t) => t.clone().into_iter().collect(),
        None => default_topics(),
    };
    let mut warnings = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let Some(title_at) = lines
        .iter()
        .position(|l| l.trim().ends_with("大臣会見概要"))
    else {
        return Ok(None);
    };
    let title = lines[title_at].trim().to_string();
    let minister = title.trim_end_matches("大臣会見概要").trim().to_string();
    // The date line follows the title: （令和7年8月8日（金）10:48～10:59 省内会見室）
    let (date_line_at, found) = lines
        .iter()
        .enumerate()
        .skip(title_at + 1)
        .take(4)
        .find_map(|(i, l)| {
            let norm = mynawatch_ja::normalize(l).into_owned();
            match mynawatch_ja::parse_date(&norm) {
                Ok(d) => Some((i, Ok((norm, d)))),
                Err(e @ mynawatch_ja::JaError::WeekdayMismatch { .. }) => Some((i, Err(e))),
                Err(_) => None,
            }
        })
        .ok_or_else(|| {
            ExtractError::Layout(format!("{url}: no date line after the title {title:?}"))
        })?;
    let (norm, d) = found.map_err(|e| ExtractError::Layout(format!("{url}: {e}")))?;
    let mut after = &norm[norm.find(&d.text).map(|i| i + d.text.len()).unwrap_or(0)..];
    if let Some(w) = &d.warning {
        warnings.push(format!(
            "{url}: date line {:?}: {w}",
            lines[date_line_at].trim()
        ));
        // A rejected time (`25:61～26:10`) is not part of the venue either.
        if d.time.is_none() {
            if let Some(m) = bad_time_re().find(after) {
                after = &after[m.end()..];
            }
        }
    }
    let venue = after.trim().trim_end_matches(')').trim().to_string();
    let event_id = url
        .rsplit('/')
        .next()
        .and_then(|f| f.strip_suffix(".html"))
        .unwrap_or(url)
        .to_string();
    let mut rows = Rows::default();
    rows.events.push(Event {
        event_id: event_id.clone(),
        kind: "press_conference".into(),
        date: Some(d.start),
        start_time: d.time.as_ref().map(|t| t.start.clone()),
        end_time: d.time.as_ref().map(|t| t.end.clone()),
        venue,
        body: "厚生労働省".into(),
        title: title.clone(),
        principal: minister,
        provenance: input.meta.provenance(
            format!("lines:{}-{}", title_at + 1, date_line_at + 1),
            lines[date_line_at].trim(),
        ),
    });

    // Turns: a label starts one; lines up to the next label or section heading belong to it.
    let offsets: Vec<usize> = lines
        .iter()
        .scan(0usize, |acc, l| {
            let start = *acc;
            *acc += l.chars().count() + 1;
            Some(start)
        })
        .collect();
    let mut section = String::new();
    let mut current: Option<(String, usize, Vec<String>, String)> = None; // (label, line, text, section)
    let mut turns: Vec<(String, usize, usize, String, String)> = Vec::new(); // (label, first line, last line, text, section)
    let flush = |cur: &mut Option<(String, usize, Vec<String>, String)>,
                 end: usize,
                 turns: &mut Vec<(String, usize, usize, String, String)>| {
        if let Some((label, at, parts, sec)) = cur.take() {
            turns.push((label, at, end, parts.join("\n").trim().to_string(), sec));
        }
    };
    for (i, line) in lines.iter().enumerate().skip(date_line_at + 1) {
        let t = line.trim().trim_start_matches(['-', '・', '•']).trim();
        if SECTIONS.contains(&t) {
            flush(&mut current, i.saturating_sub(1), &mut turns);
            section = t.to_string();
            continue;
        }
        if let Some(c) = label_re().captures(line) {
            flush(&mut current, i.saturating_sub(1), &mut turns);
            let rest = c
                .get(2)
                .map(|m| m.as_str().trim().to_string())
                .unwrap_or_default();
            current = Some((
                c[1].to_string(),
                i,
                if rest.is_empty() { vec![] } else { vec![rest] },
                section.clone(),
            ));
        } else if let Some(cur) = current.as_mut() {
            if !t.is_empty() {
                cur.2.push(t.to_string());
            }
        }
    }
    flush(&mut current, lines.len().saturating_sub(1), &mut turns);
    let mut n = 0;
    for (label, first, last, body, sec) in turns {
        // "本日は私からは特にございません。": a short remark saying there is nothing.
        let nothing = body.is_empty()
            || (body.chars().count() < 40 && NOTHING.iter().any(|k| body.contains(k)));
        if nothing && sec == "閣議等について" {
            continue;
        }
        n += 1;
        rows.statements.push(Statement {
            event_id: event_id.clone(),
            turn: n,
            speaker: label.clone(),
            speaker_role: match label.as_str() {
                "大臣" => "minister",
                "記者" => "reporter",
                _ => "other",
            }
            .into(),
            speaker_group: sec,
            topics: if custom {
                topics(&body, &table)
            } else {
                press_topics(&body, topics(&body, &table))
            },
            char_start: offsets[first] as u32,
            char_end: (offsets[last] + lines[last].chars().count()) as u32,
            text: body,
            provenance: input.meta.provenance(
                format!("lines:{}-{}", first + 1, last + 1),
                format!("{label}:"),
            ),
        });
    }
    Ok(Some((rows, warnings)))
}

fn bad_time_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^\s*\d{1,2}:\d{2}(?:\s*[~\-]\s*\d{1,2}:\d{2})?").expect("time regex")
    })
}

/// Words of the expired-card measures and of the smartphone card: `mynumber_insurance`
/// on their own.
const INSURANCE_WORDS: &[&str] = &[
    "有効期限切れの保険証",
    "期限切れの保険証",
    "有効期限が切れた保険証",
    "有効期限が切れた健康保険証",
    "スマホ保険証",
    "スマートフォン保険証",
    "スマホ搭載",
    "スマートフォンへの搭載",
];

/// Words of a transitional measure: `mynumber_insurance` when the turn speaks of the
/// insurance card or its substitute (`暫定措置` alone could be any measure).
const MEASURE_WORDS: &[&str] = &[
    "暫定措置",
    "暫定的な措置",
    "暫定的な運用",
    "来年3月まで",
    "来年3月末まで",
];

/// Words that make `ehr_sharing` on their own; `医療DX` is not one of them.
const EHR_WORDS: &[&str] = &["電子カルテ", "電子処方箋", "医療情報の共有"];

/// The press conferences' adjustments to the default topic tags of one turn.
fn press_topics(body: &str, mut tags: Vec<String>) -> Vec<String> {
    let norm = mynawatch_ja::normalize(body);
    let has = |words: &[&str]| words.iter().any(|w| norm.contains(w));
    let card_context = ["保険証", "資格確認", "マイナ"]
        .iter()
        .any(|w| norm.contains(w));
    let insurance = "mynumber_insurance".to_string();
    if (has(INSURANCE_WORDS) || (has(MEASURE_WORDS) && card_context)) && !tags.contains(&insurance)
    {
        tags.push(insurance);
    }
    if !has(EHR_WORDS) {
        tags.retain(|t| t != "ehr_sharing");
    }
    // Keep the table's order of tags.
    let order: Vec<String> = default_topics().into_iter().map(|(t, _)| t).collect();
    tags.sort_by_key(|t| order.iter().position(|o| o == t).unwrap_or(usize::MAX));
    tags
}
