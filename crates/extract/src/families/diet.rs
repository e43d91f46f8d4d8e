//! `diet`: the 国会会議録検索システム API (`/api/meeting`, `/api/speech`), XML or JSON
//! packing → one `events` row per meeting and one `statements` row per speech.
//!
//! `speechOrder` 0 (会議録情報, the agenda header) is metadata, not a statement. Empty
//! elements are nulls. Speech text loses its leading `○name　` marker. When the response
//! has a `nextRecordPosition` the next page's URL is returned as a link (absent on the
//! last page), so a source with `follow = { via = "family" }` pages through a query.
//!
//! Options: `topics` (`{"tag": ["keyword", …]}`), replacing the default keyword table.

use std::collections::BTreeMap;

use mynawatch_model::{Event, Link, Rows, Statement};
use quick_xml::events::Event as Xml;
use serde::Deserialize;

use crate::text::{default_topics, topics};
use crate::{common, Declared, ExtractError, Extraction, Input};

/// The Diet record family.
#[derive(Debug, Default)]
pub struct Diet;

/// Options of the `diet` family (see the module docs).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    #[serde(default)]
    topics: Option<BTreeMap<String, Vec<String>>>,
}

/// The API's published page-size limits: `/api/meeting` at most 10 records per request,
/// `/api/speech` at most 100.
pub const MEETING_MAX: u32 = 10;
/// See [`MEETING_MAX`].
pub const SPEECH_MAX: u32 = 100;

/// A query URL for `endpoint` (`meeting` or `speech`) within the API's limits.
pub fn query_url(
    base: &str,
    endpoint: &str,
    keyword: &str,
    from: &str,
    until: &str,
    start: u32,
    maximum: u32,
) -> String {
    let cap = if endpoint == "meeting" {
        MEETING_MAX
    } else {
        SPEECH_MAX
    };
    let mut u = url::Url::parse(&format!("{}/api/{endpoint}", base.trim_end_matches('/')))
        .expect("base URL");
    u.query_pairs_mut()
        .append_pair("any", keyword)
        .append_pair("from", from)
        .append_pair("until", until)
        .append_pair("startRecord", &start.max(1).to_string())
        .append_pair("maximumRecords", &maximum.clamp(1, cap).to_string())
        .append_pair("recordPacking", "xml");
    u.to_string()
}

/// One speech as the API gives it (meeting fields filled from the enclosing meeting).
#[derive(Debug, Default, Clone)]
struct Speech {
    fields: BTreeMap<String, String>,
    path: String,
}

#[derive(Debug, Default)]
struct Page {
    next: Option<u32>,
    records: u32,
    meetings: Vec<(BTreeMap<String, String>, String)>,
    speeches: Vec<Speech>,
}

impl Declared for Diet {
    type Options = Options;
    const NAME: &'static str = "diet";
    const EXPECT: (usize, &'static str) = (1, "events");

    fn read(&self, input: &Input<'_>, opts: &Self::Options) -> Result<Extraction, ExtractError> {
        let table = match &opts.topics {
            Some(t) => t.clone().into_iter().collect(),
            None => default_topics(),
        };
        let text = common::text(input);
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        let page = if trimmed.starts_with('{') {
            parse_json(trimmed)?
        } else if trimmed.starts_with('<') {
            parse_xml(trimmed)?
        } else {
            return Err(ExtractError::WrongContent(format!(
                "{}: neither XML nor JSON",
                input.meta.url
            )));
        };
        if page.meetings.is_empty() && page.speeches.is_empty() {
            return Err(ExtractError::Layout(format!(
                "{}: no meetingRecord or speechRecord (numberOfRecords {})",
                input.meta.url, page.records
            )));
        }
        let mut x = Extraction::default();
        build_rows(&page, input, &table, &mut x.rows);
        if let Some(n) = page.next {
            if let Ok(mut u) = url::Url::parse(&input.meta.url) {
                let pairs: Vec<(String, String)> = u
                    .query_pairs()
                    .filter(|(k, _)| k != "startRecord")
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                u.query_pairs_mut()
                    .clear()
                    .extend_pairs(pairs)
                    .append_pair("startRecord", &n.to_string());
                x.links.push(Link {
                    url: u.to_string(),
                    text: format!("startRecord={n}"),
                    size_label: String::new(),
                    heading: String::new(),
                    locator: "data/nextRecordPosition".into(),
                });
            }
        }
        Ok(x)
    }
}

fn build_rows(page: &Page, input: &Input<'_>, table: &[(String, Vec<String>)], rows: &mut Rows) {
    let get = |m: &BTreeMap<String, String>, k: &str| m.get(k).cloned().unwrap_or_default();
    let mut seen = std::collections::BTreeSet::new();
    let mut event_of = |m: &BTreeMap<String, String>, path: &str, rows: &mut Rows| {
        let id = get(m, "issueID");
        if id.is_empty() || !seen.insert(id.clone()) {
            return;
        }
        let title = format!(
            "第{}回国会 {} {} {}",
            get(m, "session"),
            get(m, "nameOfHouse"),
            get(m, "nameOfMeeting"),
            get(m, "issue")
        );
        rows.events.push(Event {
            event_id: id,
            kind: "diet_meeting".into(),
            date: get(m, "date").parse().ok(),
            start_time: None,
            end_time: None,
            venue: get(m, "nameOfHouse"),
            body: get(m, "nameOfMeeting"),
            title: title.clone(),
            principal: String::new(),
            provenance: input.meta.provenance(path.to_string(), title),
        });
    };
    for (m, path) in &page.meetings {
        event_of(m, path, rows);
    }
    for s in &page.speeches {
        event_of(&s.fields, &s.path, rows);
        let order: u32 = get(&s.fields, "speechOrder").parse().unwrap_or(0);
        if order == 0 {
            continue;
        }
        let raw = get(&s.fields, "speech").replace("\r\n", "\n");
        let text = strip_marker(&raw).to_string();
        let position = get(&s.fields, "speakerPosition");
        let role_field = get(&s.fields, "speakerRole");
        rows.statements.push(Statement {
            event_id: get(&s.fields, "issueID"),
            turn: order,
            speaker: get(&s.fields, "speaker"),
            speaker_role: role(&position, &role_field).into(),
            speaker_group: get(&s.fields, "speakerGroup"),
            topics: topics(&text, table),
            char_start: 0,
            char_end: text.chars().count() as u32,
            text,
            provenance: input
                .meta
                .provenance(s.path.clone(), raw.chars().take(80).collect::<String>()),
        });
    }
}

/// `○山添拓君　本文…` → `本文…`.
fn strip_marker(speech: &str) -> &str {
    let t = speech.trim_start();
    if t.starts_with('○') {
        if let Some(i) = t.find('\u{3000}') {
            return t[i + '\u{3000}'.len_utf8()..].trim_start();
        }
    }
    t
}

fn role(position: &str, role: &str) -> &'static str {
    let p = format!("{position}{role}");
    if ["議長", "委員長", "会長", "小委員長"]
        .iter()
        .any(|k| p.contains(k))
    {
        "chair"
    } else if [
        "政府参考人",
        "副大臣",
        "大臣政務官",
        "政府特別補佐人",
        "政府委員",
    ]
    .iter()
    .any(|k| p.contains(k))
    {
        "government"
    } else if p.contains("大臣") {
        "minister"
    } else if ["参考人", "公述人", "証人"].iter().any(|k| p.contains(k)) {
        "witness"
    } else {
        "member"
    }
}

fn parse_xml(text: &str) -> Result<Page, ExtractError> {
    let mut r = quick_xml::Reader::from_str(text);
    let mut page = Page::default();
    let mut stack: Vec<String> = Vec::new();
    let mut meeting: Option<BTreeMap<String, String>> = None;
    let mut meeting_path = String::new();
    let mut speech: Option<Speech> = None;
    let (mut record_no, mut speech_no) = (0usize, 0usize);
    let mut buf = String::new();
    loop {
        match r.read_event() {
            Ok(Xml::Start(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                match name.as_str() {
                    "record" => {
                        record_no += 1;
                        speech_no = 0;
                    }
                    "meetingRecord" => {
                        meeting = Some(BTreeMap::new());
                        meeting_path =
                            format!("records/record[{record_no}]/recordData/meetingRecord");
                    }
                    "speechRecord" => {
                        speech_no += 1;
                        let base = if meeting.is_some() {
                            meeting_path.clone()
                        } else {
                            format!("records/record[{record_no}]/recordData")
                        };
                        speech = Some(Speech {
                            fields: BTreeMap::new(),
                            path: format!("{base}/speechRecord[{speech_no}]"),
                        });
                    }
                    _ => {}
                }
                stack.push(name);
                buf.clear();
            }
            Ok(Xml::Text(t)) => buf.push_str(&t.decode().map_err(|e| xml_err(e.to_string()))?),
            Ok(Xml::GeneralRef(g)) => {
                let name = String::from_utf8_lossy(g.as_ref()).into_owned();
                buf.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
            Ok(Xml::CData(c)) => buf.push_str(&String::from_utf8_lossy(&c)),
            Ok(Xml::End(_)) => {
                let name = stack.pop().unwrap_or_default();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                let value = std::mem::take(&mut buf);
                match name.as_str() {
                    "speechRecord" => {
                        if let Some(mut s) = speech.take() {
                            if let Some(m) = &meeting {
                                for (k, v) in m {
                                    s.fields.entry(k.clone()).or_insert_with(|| v.clone());
                                }
                            }
                            page.speeches.push(s);
                        }
                    }
                    "meetingRecord" => {
                        if let Some(m) = meeting.take() {
                            // Meeting fields that follow the speeches (meetingURL, pdfURL) are
                            // not needed by statements; fill issueID for speeches parsed earlier.
                            page.meetings.push((m, meeting_path.clone()));
                        }
                    }
                    "numberOfRecords" if parent == "data" => {
                        page.records = value.trim().parse().unwrap_or(0)
                    }
                    "nextRecordPosition" if parent == "data" => {
                        page.next = value.trim().parse().ok()
                    }
                    _ => {
                        if let Some(s) = speech.as_mut().filter(|_| parent == "speechRecord") {
                            s.fields.insert(name, value);
                        } else if let Some(m) =
                            meeting.as_mut().filter(|_| parent == "meetingRecord")
                        {
                            m.insert(name, value);
                        }
                    }
                }
            }
            Ok(Xml::Eof) => break,
            Err(e) => return Err(xml_err(format!("at byte {}: {e}", r.buffer_position()))),
            _ => {}
        }
    }
    // Speeches come before meetingURL/pdfURL but after issueID etc.; make sure each speech
    // carries its meeting's id even when the meeting fields came after it.
    for s in &mut page.speeches {
        if !s.fields.contains_key("issueID") {
            if let Some((m, _)) = page
                .meetings
                .iter()
                .find(|(_, p)| s.path.starts_with(p.as_str()))
            {
                for (k, v) in m {
                    s.fields.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
    }
    Ok(page)
}

fn xml_err(message: String) -> ExtractError {
    ExtractError::Parse {
        what: "xml",
        message,
    }
}

fn parse_json(text: &str) -> Result<Page, ExtractError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| ExtractError::Parse {
        what: "json",
        message: e.to_string(),
    })?;
    let obj_fields = |o: &serde_json::Map<String, serde_json::Value>| -> BTreeMap<String, String> {
        o.iter()
            .filter(|(_, v)| !v.is_array() && !v.is_object())
            .map(|(k, v)| {
                let s = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k.clone(), s)
            })
            .collect()
    };
    let mut page = Page {
        records: v["numberOfRecords"].as_u64().unwrap_or(0) as u32,
        next: v["nextRecordPosition"].as_u64().map(|n| n as u32),
        ..Page::default()
    };
    for (i, m) in v["meetingRecord"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(mo) = m.as_object() else { continue };
        let fields = obj_fields(mo);
        let path = format!("meetingRecord[{}]", i + 1);
        for (j, s) in m["speechRecord"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(so) = s.as_object() else { continue };
            let mut f = obj_fields(so);
            for (k, val) in &fields {
                f.entry(k.clone()).or_insert_with(|| val.clone());
            }
            page.speeches.push(Speech {
                fields: f,
                path: format!("{path}/speechRecord[{}]", j + 1),
            });
        }
        page.meetings.push((fields, path));
    }
    for (j, s) in v["speechRecord"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(so) = s.as_object() {
            page.speeches.push(Speech {
                fields: obj_fields(so),
                path: format!("speechRecord[{}]", j + 1),
            });
        }
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_roles_follow_position_and_role_as_the_record_writes_them() {
        let cases = [
            ("議長", "", "chair"),
            ("副議長", "", "chair"),
            ("委員長", "", "chair"),
            ("内閣総理大臣", "", "minister"),
            ("厚生労働大臣", "", "minister"),
            ("厚生労働副大臣", "", "government"),
            ("厚生労働大臣政務官", "", "government"),
            ("", "政府参考人", "government"),
            ("", "参考人", "witness"),
            ("", "", "member"),
        ];
        for (position, r, want) in cases {
            assert_eq!(role(position, r), want, "{position}/{r}");
        }
    }

    #[test]
    fn the_speaker_marker_is_dropped_up_to_the_ideographic_space() {
        assert_eq!(
            strip_marker("○議長（尾辻秀久君）　これより会議を開きます。"),
            "これより会議を開きます。"
        );
        assert_eq!(strip_marker("〔拍手〕"), "〔拍手〕");
    }
}
