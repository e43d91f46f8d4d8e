//! `diet_bills`: the Diet's 議案 経過 as `bills` rows, and one `events` row
//! (`kind = bill_stage`) per stage a bill reached, titled with the alert sentence
//! (`医療法等の一部を改正する法律案: 衆議院本会議 修正 (2025-11-27, 多数/起立)`).
//!
//! Every document is first reduced to label → value records, then one of two mappers
//! (the House of Councillors' schema, the House of Representatives' schema) reads them:
//! - the open datasets that republish both houses daily: JSON (an array of arrays, header
//!   row first, cells numbers or strings) and CSV (a header row in which a name may repeat);
//! - the House of Councillors' pages: the session list `gian/{回次}/gian.htm` (links to the
//!   bills' `meisai/m….htm`) and a bill's page, a label/value table per house and stage under
//!   a heading; a label becomes `{heading} - {label}`, the datasets' column name;
//! - the House of Representatives' pages: the session list `kaiji{回次}.htm` (Shift_JIS, one
//!   table per kind with 審議状況 and a link to each 経過 page) and the 経過 page
//!   (`td[headers=KOMOKU]` label / `td[headers=NAIYO]` value, empty cells as `<br>` or `／`).
//!
//! The key is 種類 + 提出回次 + 番号 (`閣法-217-21`), never the title. A bill has a row or
//! page per session (審議回次) it sits in; they are merged with [`Rows::push_bill`] so that
//! an emptier later session never erases an earlier fact. Event ids are
//! `{key}/{house}/{session}/{stage}` (`{key}/submitted`, `{key}/withdrawn`,
//! `{key}/promulgated` once per bill), so the same stage read from either house's data has
//! the same id, and a bill carried over in two sessions keeps both carry-overs.
//!
//! **The 経過 page model** (every kind the House lists: 閣法, 衆法, 参法, 予算, 条約, 承認,
//! 承諾, 決算, 決議, NHK決算, …), read from the template's labels only:
//! - the page's session: its breadcrumb's link to `kaiji{N}.htm`, else a comment naming
//!   `第N回国会`, else any `kaiji{N}.htm` link, else the source option `session` (the list
//!   the pages were reached from), else the URL. The `<title>`'s 第N回国会 is the session
//!   the bill was submitted in and is never used;
//! - the origin house: the kind (衆法, 予算, and a House's own 決議 / 規則 / 規程 in the
//!   衆議院; 参法 in the 参議院), a 予備審査 copy in the other house, a plenary vote
//!   before the other house received it, the house that received it first or alone;
//! - stages per house: `preliminary_received` (予備審査議案受理), `preliminary_referred`
//!   (予備付託), `referred` (付託) or `committee_omitted` (`審査省略`, `審査省略要求`: never a
//!   committee name), `committee_*`, `plenary_*`, `carried_over` (閉会中審査, 継続審査),
//!   `lapsed` (審査未了, 審議未了, 未決), `interim_report` (中間報告); the bill's
//!   `submitted` (受理 in the origin house, on the page of the submission session only),
//!   `withdrawn` (撤回, 撤回許可, 撤回承諾) and `promulgated`;
//! - the House lists a step on a bill as a page of its own with the bill's key: a 回付案
//!   (`returned`, then `agreed` / `disagreed`), a 両院協議会 report (`conference_failed`),
//!   a consent to a request about the bill (`consented`), a second vote after the other
//!   house rejected it (`returned`, `repassed`); their 受理 is never the submission;
//! - the current stage follows the process, not the order of dates (`process.rs`).
//!
//! Dates may be ISO or 和暦 with space padding (`令和 7年 1月17日`); whitespace in 備考 is normalized
//! so `\r\r\n` → `\n\n` is no change. Link-only fields (PDFs, vote pages) are not facts.
//!
//! A bill's text or 要旨 (the PDFs a bill page links) holds no 経過. A PDF one, followed from a
//! bill page or watched as a URL, is read like the `page` family reads a PDF (see
//! [`crate::pdf`]): its text as one `notices` row with `page:N` locators and its links, so a
//! rewritten 要旨 is a `notice_text_changed`; no stage is read from its prose (a wrong stage
//! is worse than none). Plain prose (`extract --text`) is refused with a cause that says so.
//!
//! Options: `match` (keep bills whose title contains one of these strings) and `kinds`
//! (keep these kinds: `閣法`, `衆法`, `参法`, …); both empty = every bill.

mod process;

use std::collections::BTreeMap;
use std::sync::OnceLock;

pub use process::{current_stage, effective_date, house_stage, rank, sort_key, StageRef};

use chrono::NaiveDate;
use mynawatch_model::{
    content::{sniff, Sniffed},
    Bill, Event, HouseProgress, Link, Rows, SnapshotMeta,
};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde::Deserialize;

use crate::{common, html::collapse, Declared, ExtractError, Extraction, Input};

/// The Diet bill-status family.
#[derive(Debug, Default)]
pub struct DietBills;

/// Options of the `diet_bills` family (see the module docs).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Keep bills whose title contains one of these.
    #[serde(rename = "match")]
    matches: Vec<String>,
    /// Keep bills of these kinds.
    kinds: Vec<String>,
    /// The session (回次) of the list the pages were reached from: a 経過 page that
    /// names no session of its own (breadcrumb, comment) is about this one.
    session: Option<u32>,
}

impl Declared for DietBills {
    type Options = Options;
    const NAME: &'static str = "diet_bills";
    const EXPECT: (usize, &'static str) = (1, "bills");

    /// Prose (a bill's text or 要旨 PDF) is not a bill record: a clear failure (module docs).
    fn read_text(
        &self,
        _text: &str,
        input: &Input<'_>,
        _options: &Self::Options,
    ) -> Option<Result<Extraction, ExtractError>> {
        Some(Err(ExtractError::WrongContent(format!(
            "{}: diet_bills reads bill lists, bill pages and the bill datasets (HTML, JSON, CSV); \
             a bill's text or 要旨 (PDF or prose) states no stages: watch it with the `page` family \
             (its text as a notices row with page:N locators)",
            input.meta.url
        ))))
    }

    fn read(&self, input: &Input<'_>, opts: &Self::Options) -> Result<Extraction, ExtractError> {
        if input.bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ExtractError::WrongContent(format!(
                "{}: empty document",
                input.meta.url
            )));
        }
        let text = common::text(input);
        let doc = match sniff(input.bytes) {
            Sniffed::Json => json_records(&text)?,
            Sniffed::Html | Sniffed::Xml => html_records(&text, &input.meta.url)?,
            Sniffed::Text => csv_records(&text)?,
            other => {
                return Err(ExtractError::WrongContent(format!(
                    "{}: expected JSON, CSV or HTML, got {other:?}",
                    input.meta.url
                )))
            }
        };
        let session_hint = opts.session.or_else(|| session_of_url(&input.meta.url));
        let mut b = Builder {
            meta: input.meta,
            rows: Rows::default(),
            warnings: Vec::new(),
        };
        for rec in &doc.records {
            let facts = match doc.schema {
                Schema::Councillors => councillors(rec, session_hint, &mut b.warnings),
                Schema::Representatives => representatives(rec, session_hint, &mut b.warnings),
            };
            let Some(facts) = facts else { continue };
            if !opts.kinds.is_empty() && !opts.kinds.contains(&facts.bill.kind) {
                continue;
            }
            if !opts.matches.is_empty()
                && !opts
                    .matches
                    .iter()
                    .any(|m| facts.bill.title.contains(m.as_str()))
            {
                continue;
            }
            b.add(facts, rec);
        }
        // Several rows or pages of one bill: its stage from all their stages together.
        restage(&mut b.rows);
        if doc.records.is_empty() && doc.links.is_empty() {
            return Err(ExtractError::Layout(format!(
                "{}: no bill records and no bill links found",
                input.meta.url
            )));
        }
        Ok(Extraction {
            rows: b.rows,
            links: doc.links,
            warnings: b.warnings,
        })
    }
}

// ── documents → records ──────────────────────────────────────────────────────

/// Whose column names a record uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schema {
    /// 参議院: `議案審議情報一覧 - 提出日`, `衆議院本会議経過情報 - 議決`, ….
    Councillors,
    /// 衆議院: `議案種類`, `衆議院審議終了年月日／衆議院審議結果`, ….
    Representatives,
}

/// One row or page: labels in order (a label may repeat) and where it was.
#[derive(Debug, Clone, Default)]
struct Record {
    fields: Vec<(String, String)>,
    locator: String,
}

impl Record {
    /// The first non-empty value of any of `names`.
    fn get(&self, names: &[&str]) -> &str {
        names
            .iter()
            .find_map(|n| {
                self.fields
                    .iter()
                    .find(|(k, v)| k == n && !v.is_empty())
                    .map(|(_, v)| v.as_str())
            })
            .unwrap_or("")
    }

    fn raw(&self) -> String {
        let s = self
            .fields
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        s.chars().take(2000).collect()
    }
}

struct Doc {
    schema: Schema,
    records: Vec<Record>,
    links: Vec<Link>,
}

fn schema_of(names: &[String]) -> Option<Schema> {
    let has = |p: &str| names.iter().any(|n| n.starts_with(p));
    if has("議案審議情報一覧") || has("参議院本会議経過情報") || has("衆議院本会議経過情報")
    {
        Some(Schema::Councillors)
    } else if has("議案種類")
        || has("衆議院審議時会派態度")
        || has("経過情報URL")
        || has("審議状況")
    {
        Some(Schema::Representatives)
    } else {
        None
    }
}

fn table_doc(header: Vec<String>, rows: Vec<Vec<String>>, unit: &str) -> Result<Doc, ExtractError> {
    let header: Vec<String> = header.into_iter().map(|h| clean(&h)).collect();
    let schema = schema_of(&header).ok_or_else(|| {
        ExtractError::Layout(format!(
            "header is neither the House of Councillors' nor the House of Representatives' bill columns: {}",
            header.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
        ))
    })?;
    let records = rows
        .into_iter()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| Record {
            fields: header
                .iter()
                .cloned()
                .zip(r.into_iter().map(|c| clean(&c)))
                .collect(),
            locator: format!("{unit}:{}", i + 2),
        })
        .collect();
    Ok(Doc {
        schema,
        records,
        links: Vec::new(),
    })
}

fn json_records(text: &str) -> Result<Doc, ExtractError> {
    let v: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
            ExtractError::Parse {
                what: "json",
                message: e.to_string(),
            }
        })?;
    let cell = |c: &serde_json::Value| match c {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    let serde_json::Value::Array(items) = v else {
        return Err(ExtractError::Layout("JSON is not an array of rows".into()));
    };
    match items.first() {
        Some(serde_json::Value::Array(h)) => {
            let header = h.iter().map(cell).collect();
            let rows = items[1..]
                .iter()
                .map(|r| match r {
                    serde_json::Value::Array(c) => c.iter().map(cell).collect(),
                    _ => Vec::new(),
                })
                .collect();
            table_doc(header, rows, "row")
        }
        Some(serde_json::Value::Object(first)) => {
            let header: Vec<String> = first.keys().cloned().collect();
            let rows = items
                .iter()
                .map(|r| {
                    header
                        .iter()
                        .map(|k| r.get(k).map(cell).unwrap_or_default())
                        .collect()
                })
                .collect();
            table_doc(header, rows, "row")
        }
        _ => Err(ExtractError::Layout("JSON array has no header row".into())),
    }
}

fn csv_records(text: &str) -> Result<Doc, ExtractError> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut all = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| ExtractError::Parse {
            what: "csv",
            message: e.to_string(),
        })?;
        all.push(rec.iter().map(str::to_string).collect::<Vec<_>>());
    }
    if all.is_empty() {
        return Err(ExtractError::Layout("CSV has no header row".into()));
    }
    let header = all.remove(0);
    table_doc(header, all, "line")
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

fn cell_text(e: ElementRef<'_>) -> String {
    clean(&e.text().collect::<String>())
}

fn absolute(base: &str, href: &str) -> String {
    url::Url::parse(base)
        .and_then(|b| b.join(href))
        .map(|u| u.to_string())
        .unwrap_or_else(|_| href.to_string())
}

fn html_records(text: &str, url: &str) -> Result<Doc, ExtractError> {
    let doc = Html::parse_document(text);
    if doc.select(&sel("td[headers~=KOMOKU]")).next().is_some() {
        return Ok(keika_page(&doc));
    }
    let headings: Vec<String> = doc
        .select(&sel("h1, h2, h3, h4, caption"))
        .map(cell_text)
        .collect();
    if headings
        .iter()
        .any(|h| h.contains("経過情報") || h.contains("議案審議情報"))
    {
        return Ok(meisai_page(&doc));
    }
    if doc.select(&sel("a[href*='meisai/m']")).next().is_some() {
        return Ok(councillors_list(&doc, url));
    }
    if doc.select(&sel("a[href*='keika/']")).next().is_some() {
        return Ok(representatives_list(&doc, url));
    }
    Err(ExtractError::Layout(format!(
        "{url}: not a bill list, 経過 page or 議案 page (no KOMOKU cells, no 経過情報 headings, no bill links)"
    )))
}

/// 衆議院 経過 page: label/value pairs in `td[headers=KOMOKU]` / `td[headers=NAIYO]`.
fn keika_page(doc: &Html) -> Doc {
    let (komoku, naiyo) = (sel("td[headers~=KOMOKU]"), sel("td[headers~=NAIYO]"));
    let mut rec = Record {
        locator: "td[headers=NAIYO]".into(),
        ..Record::default()
    };
    for tr in doc.select(&sel("tr")) {
        if let (Some(k), Some(v)) = (tr.select(&komoku).next(), tr.select(&naiyo).next()) {
            rec.fields.push((cell_text(k), cell_text(v)));
        }
    }
    if let Some(n) = session_of_keika(doc) {
        rec.fields.push(("掲載回次".into(), n.to_string()));
    }
    Doc {
        schema: Schema::Representatives,
        records: vec![rec],
        links: Vec::new(),
    }
}

const BLOCKS: [&str; 6] = [
    "議案審議情報一覧",
    "参議院委員会等経過情報",
    "参議院本会議経過情報",
    "衆議院委員会等経過情報",
    "衆議院本会議経過情報",
    "その他の情報",
];

/// 参議院 議案 page: a table per house and stage under a heading. Pairs are `th` + `td` in
/// one row, or a row of `th` over a row of `td`.
fn meisai_page(doc: &Html) -> Doc {
    let mut rec = Record {
        locator: "meisai".into(),
        ..Record::default()
    };
    let mut block = String::new();
    let mut pending_head: Vec<String> = Vec::new();
    for node in doc.root_element().descendants() {
        let Some(e) = ElementRef::wrap(node) else {
            continue;
        };
        match e.value().name() {
            "h1" | "h2" | "h3" | "h4" | "caption" => {
                let t: String = cell_text(e)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                block = BLOCKS
                    .iter()
                    .find(|b| t.contains(*b))
                    .map(|b| b.to_string())
                    .unwrap_or_default();
                pending_head.clear();
            }
            "tr" => {
                let cells: Vec<ElementRef<'_>> = e
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|c| matches!(c.value().name(), "th" | "td"))
                    .collect();
                let name = |label: &str| {
                    let label: String = label.chars().filter(|c| !c.is_whitespace()).collect();
                    if block.is_empty() {
                        label
                    } else {
                        format!("{block} - {label}")
                    }
                };
                if !cells.is_empty() && cells.iter().all(|c| c.value().name() == "th") {
                    pending_head = cells.iter().map(|c| cell_text(*c)).collect();
                    continue;
                }
                if !pending_head.is_empty() && cells.iter().all(|c| c.value().name() == "td") {
                    for (h, c) in pending_head.iter().zip(&cells) {
                        rec.fields.push((name(h), cell_text(*c)));
                    }
                    pending_head.clear();
                    continue;
                }
                let mut i = 0;
                while i + 1 < cells.len() {
                    if cells[i].value().name() == "th" && cells[i + 1].value().name() == "td" {
                        rec.fields
                            .push((name(&cell_text(cells[i])), cell_text(cells[i + 1])));
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
            }
            _ => {}
        }
    }
    if rec.get(&["審議回次"]).is_empty() {
        if let Some(n) = session_of_headings(doc) {
            rec.fields.push(("審議回次".into(), n.to_string()));
        }
    }
    Doc {
        schema: Schema::Councillors,
        records: vec![rec],
        links: Vec::new(),
    }
}

/// The session a 経過 page is about: the session list its breadcrumb (or, failing that,
/// a comment, then any link) points to: `kaiji220.htm`, `第220回国会`. The `<title>`'s
/// 第N回国会 is the session the bill was submitted in, never this one.
fn session_of_keika(doc: &Html) -> Option<u32> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"kaiji(\d{2,3})\.htm|第\s*(\d{2,3})\s*回\s*国会").expect("session regex")
    });
    let find = |t: &str| {
        let t = mynawatch_ja::normalize(t);
        re.captures(&t)
            .and_then(|c| c.get(1).or_else(|| c.get(2)))
            .and_then(|m| m.as_str().parse::<u32>().ok())
    };
    let href_session = |e: ElementRef<'_>| {
        e.select(&sel("a[href*=kaiji]"))
            .find_map(|a| a.value().attr("href").and_then(find))
    };
    let crumbs = doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| {
            let v = e.value();
            [v.id(), v.attr("class")].into_iter().flatten().any(|n| {
                let n = n.to_ascii_lowercase();
                n.contains("breadcrumb") || n.contains("pankuzu") || n.contains("topicpath")
            })
        });
    crumbs
        .and_then(href_session)
        .or_else(|| {
            doc.root_element()
                .descendants()
                .filter_map(|n| n.value().as_comment().map(|c| c.to_string()))
                .find_map(|c| find(&c))
        })
        .or_else(|| href_session(doc.root_element()))
}

/// `第219回国会` in the page's title or headings.
fn session_of_headings(doc: &Html) -> Option<u32> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"第\s*(\d{2,3})\s*回\s*国会").expect("session regex"));
    doc.select(&sel("title, h1, h2, h3"))
        .map(cell_text)
        .find_map(|t| {
            re.captures(&mynawatch_ja::normalize(&t))
                .and_then(|c| c[1].parse().ok())
        })
}

fn link(url: String, text: String, heading: &str, locator: String) -> Link {
    Link {
        url,
        text,
        size_label: String::new(),
        heading: heading.to_string(),
        locator,
    }
}

/// 参議院 session list: each bill's `meisai/m….htm` link (its rows come from that page).
fn councillors_list(doc: &Html, url: &str) -> Doc {
    let links = doc
        .select(&sel("a[href*='meisai/m']"))
        .enumerate()
        .filter_map(|(i, a)| {
            let href = a.value().attr("href")?;
            Some(link(
                absolute(url, href),
                cell_text(a),
                "",
                format!("a[href*=meisai]:nth({})", i + 1),
            ))
        })
        .collect();
    Doc {
        schema: Schema::Councillors,
        records: Vec::new(),
        links,
    }
}

/// 衆議院 session list: one table per kind (caption `閣法の一覧`), a row per bill with its
/// 審議状況 and a link to its 経過 page.
fn representatives_list(doc: &Html, url: &str) -> Doc {
    let mut records = Vec::new();
    let mut links = Vec::new();
    let a = sel("a[href]");
    let session = session_of_headings(doc);
    for (ti, table) in doc.select(&sel("table")).enumerate() {
        let caption = table
            .select(&sel("caption"))
            .next()
            .map(cell_text)
            .or_else(|| table.value().attr("summary").map(clean))
            .unwrap_or_default();
        let mut header: Vec<String> = Vec::new();
        for (ri, tr) in table.select(&sel("tr")).enumerate() {
            let cells: Vec<ElementRef<'_>> = tr
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| matches!(c.value().name(), "th" | "td"))
                .collect();
            if cells.iter().all(|c| c.value().name() == "th") {
                header = cells.iter().map(|c| cell_text(*c)).collect();
                continue;
            }
            if header.is_empty() {
                continue;
            }
            let mut rec = Record {
                fields: vec![("キャプション".into(), caption.clone())],
                locator: format!("table:nth({}) tr:nth({})", ti + 1, ri + 1),
            };
            for (h, c) in header.iter().zip(&cells) {
                rec.fields.push((h.clone(), cell_text(*c)));
                if let Some(href) = c.select(&a).next().and_then(|x| x.value().attr("href")) {
                    let abs = absolute(url, href);
                    rec.fields.push((format!("{h}URL"), abs.clone()));
                    if href.contains("keika/") {
                        links.push(link(abs, cell_text(*c), &caption, rec.locator.clone()));
                    }
                }
            }
            if let Some(n) = session {
                rec.fields.push(("掲載回次".into(), n.to_string()));
            }
            records.push(rec);
        }
    }
    Doc {
        schema: Schema::Representatives,
        records,
        links,
    }
}

// ── values ───────────────────────────────────────────────────────────────────

/// Trim, and make the empty spellings (`／` alone, `-`) empty.
fn clean(s: &str) -> String {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t == "／" || t == "/" {
        String::new()
    } else {
        t.to_string()
    }
}

/// 備考: each line's whitespace squeezed, blank lines and `\r` dropped.
fn remarks(s: &str) -> String {
    s.split(['\n', '\r'])
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn number(s: &str) -> Option<u32> {
    let n = mynawatch_ja::normalize(s);
    let digits: String = n.chars().filter(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// ISO (`2025-11-27`) or 和暦 with space padding (`令和 7年 1月17日`).
fn date(s: &str, what: &str, warnings: &mut Vec<String>) -> Option<NaiveDate> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return None;
    }
    if let Ok(d) = NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
        return Some(d);
    }
    match mynawatch_ja::parse_date(&t) {
        Ok(d) if d.kind == mynawatch_ja::DateKind::Date && d.span.len() == t.len() => Some(d.start),
        _ => {
            warnings.push(format!("{what}: `{s}` is not a date; left empty"));
            None
        }
    }
}

/// `令和 7年10月21日／厚生労働` → (date text, rest).
fn pair(s: &str) -> (&str, &str) {
    match s.split_once('／').or_else(|| s.split_once('/')) {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (s.trim(), ""),
    }
}

/// The 衆議院 names committees without the suffix (`厚生労働`, `災害対策特別`).
fn committee(s: &str) -> String {
    let s = collapse(s);
    if s.is_empty() || s.ends_with('会') {
        s
    } else {
        format!("{s}委員会")
    }
}

fn kind_of(s: &str) -> String {
    let n = mynawatch_ja::normalize(s).trim().to_string();
    match n.as_str() {
        "法律案(内閣提出)" => "閣法".into(),
        "法律案(衆法)" => "衆法".into(),
        "法律案(参法)" => "参法".into(),
        _ => n.trim_end_matches("の一覧").to_string(),
    }
}

fn session_of_url(url: &str) -> Option<u32> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:/gian/(\d{2,3})/|kaiji(\d{2,3})|/meisai/m(\d{3}))").expect("session regex")
    });
    let c = re.captures(url)?;
    (1..=3)
        .find_map(|i| c.get(i))
        .and_then(|m| m.as_str().parse().ok())
}

/// What a committee or plenary result means, before the step it belongs to is known.
fn outcome(result: &str) -> Option<&'static str> {
    let r: String = mynawatch_ja::normalize(result)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some(match r.as_str() {
        "" => return None,
        "撤回" | "撤回許可" | "撤回承諾" => "withdrawn",
        "同意" => "agreed",
        "不同意" => "disagreed",
        "承諾" => "consented",
        "可決" | "承認" | "是認" | "議決" | "異議がない" | "議了" => "passed",
        "修正" | "修正議決" | "修正可決" | "併合修正" => "amended",
        "否決" | "不承認" | "不承諾" => "rejected",
        "継続審査" | "閉会中審査" => "carried_over",
        "未了" | "審査未了" | "審議未了" | "未決" => "lapsed",
        r if r.contains("中間報告") => "interim_report",
        r if r.contains("両院協議会") && r.contains("一致しない") => "conference_failed",
        r if r.ends_with("承認") && !r.contains("不承認") => "passed",
        _ => "decided",
    })
}

/// `審査省略` / `審査省略要求` in a committee cell: no committee, the plenary decides
/// without one.
fn review_omitted(s: &str) -> bool {
    s.contains("審査省略")
}

// ── records → facts ──────────────────────────────────────────────────────────

/// One stage a record shows, before it becomes an `events` row.
struct Staged {
    /// `衆` or `参`; empty for a bill-level stage (`{key}/{stage}`).
    house: &'static str,
    stage: &'static str,
    date: Option<NaiveDate>,
    /// The committee, `本会議`, or empty.
    body: String,
    /// The alert sentence without the bill title and the day.
    what: String,
}

/// One record read: the bill as this row or page knows it, the session it is about and
/// the stages it shows.
struct Facts {
    bill: Bill,
    session: Option<u32>,
    stages: Vec<Staged>,
}

fn new_bill(
    kind: String,
    submitted_session: u32,
    number: u32,
    meta_prov: mynawatch_model::Provenance,
) -> Bill {
    Bill {
        bill_key: format!("{kind}-{submitted_session}-{number}"),
        kind,
        submitted_session,
        number,
        title: String::new(),
        submitter: String::new(),
        origin_house: String::new(),
        sessions: Vec::new(),
        status: String::new(),
        stage: String::new(),
        submitted_on: None,
        hor: HouseProgress::default(),
        hoc: HouseProgress::default(),
        promulgated_on: None,
        law_number: String::new(),
        remarks: String::new(),
        provenance: meta_prov,
    }
}

fn placeholder_prov() -> mynawatch_model::Provenance {
    SnapshotMeta::for_file("", "", String::new()).provenance("", "")
}

fn house_name(h: &str) -> &'static str {
    match h {
        "衆" => "衆議院",
        "参" => "参議院",
        _ => "",
    }
}

/// Kinds that are bills in the narrow sense (a 承諾 result on their page is the House's
/// consent to a request about the bill, 撤回 or 修正, not a decision on it).
fn law_kind(kind: &str) -> bool {
    matches!(kind, "閣法" | "衆法" | "参法" | "予算" | "条約")
}

/// The committee and plenary stages of one house: 付託 (or 審査省略), the committee's
/// decision, the plenary's decision, each mapped through the process's vocabulary.
fn house_stages(kind: &str, h: &HouseProgress, short: &'static str, omitted: bool) -> Vec<Staged> {
    let house = house_name(short);
    let mut out = Vec::new();
    let st = |stage, date, body: &str, what: String| Staged {
        house: short,
        stage,
        date,
        body: body.to_string(),
        what,
    };
    if h.referred_on.is_some() || !h.committee.is_empty() {
        out.push(st(
            "referred",
            h.referred_on,
            &h.committee,
            format!("{house}{}に付託", h.committee),
        ));
    } else if omitted {
        out.push(st(
            "committee_omitted",
            None,
            "",
            format!("{house} 委員会審査省略"),
        ));
    }
    if let Some(o) = outcome(&h.committee_result) {
        let what = format!("{house}{} {}", h.committee, h.committee_result);
        let stage = match o {
            "withdrawn" => {
                out.push(Staged {
                    house: "",
                    ..st("withdrawn", h.committee_on, &h.committee, what.clone())
                });
                None
            }
            "carried_over" | "lapsed" | "interim_report" => Some(o),
            "passed" | "consented" => Some("committee_passed"),
            "amended" => Some("committee_amended"),
            "rejected" => Some("committee_rejected"),
            _ => Some("committee_decided"),
        };
        if let Some(stage) = stage {
            out.push(st(stage, h.committee_on, &h.committee, what));
        }
    }
    if let Some(o) = outcome(&h.plenary_result) {
        let how = [h.vote_manner.as_str(), h.vote_method.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("/");
        let what = if how.is_empty() {
            format!("{house}本会議 {}", h.plenary_result)
        } else {
            format!("{house}本会議 {} ({how})", h.plenary_result)
        };
        let stage = match o {
            "withdrawn" => {
                out.push(Staged {
                    house: "",
                    ..st("withdrawn", h.plenary_on, "本会議", what.clone())
                });
                None
            }
            "consented" if law_kind(kind) => Some("consented"),
            "consented" | "passed" => Some("plenary_passed"),
            "carried_over" | "lapsed" | "interim_report" | "agreed" | "disagreed"
            | "conference_failed" => Some(o),
            "amended" => Some("plenary_amended"),
            "rejected" => Some("plenary_rejected"),
            _ => Some("plenary_decided"),
        };
        if let Some(stage) = stage {
            out.push(st(stage, h.plenary_on, "本会議", what));
        }
    }
    out
}

/// The house a kind of 議案 starts in by rule: a 衆法 and a budget in the 衆議院, a 参法
/// in the 参議院, and a resolution or a House's rules in the house whose data it is.
fn origin_of_kind(kind: &str, schema: Schema) -> String {
    match (kind, schema) {
        ("衆法" | "予算", _) => "衆".into(),
        ("参法", _) => "参".into(),
        ("決議" | "規則" | "規程", Schema::Representatives) => "衆".into(),
        ("決議" | "規則" | "規程", Schema::Councillors) => "参".into(),
        _ => String::new(),
    }
}

/// The 参議院 schema (dataset columns or a 議案 page).
fn councillors(r: &Record, hint: Option<u32>, w: &mut Vec<String>) -> Option<Facts> {
    let kind = kind_of(r.get(&["種類", "種別"]));
    let (Some(ss), Some(no)) = (
        number(r.get(&["提出回次"])),
        number(r.get(&["提出番号", "番号"])),
    ) else {
        w.push(format!("{}: no 提出回次/提出番号; row skipped", r.locator));
        return None;
    };
    if kind.is_empty() {
        w.push(format!("{}: no 種類; row skipped", r.locator));
        return None;
    }
    let mut b = new_bill(kind, ss, no, placeholder_prov());
    let session = number(r.get(&["審議回次"])).or(hint);
    b.sessions.extend(session);
    b.title = collapse(r.get(&["件名"]));
    b.submitter = collapse(r.get(&["議案審議情報一覧 - 発議者", "議案審議情報一覧 - 提出者"]));
    let g = |k: &str| r.get(&[k]).to_string();
    let mut d = |k: &str| date(r.get(&[k]), k, w);
    b.submitted_on = d("議案審議情報一覧 - 提出日");
    b.hoc.received_on = d("議案審議情報一覧 - 衆議院から受領／提出日");
    b.hor.received_on = d("議案審議情報一覧 - 衆議院へ送付／提出日");
    b.origin_house = match g("議案審議情報一覧 - 先議区分").as_str() {
        "衆先議" => "衆".into(),
        "本院先議" | "参先議" => "参".into(),
        _ => origin_of_kind(&b.kind, Schema::Councillors),
    };
    let mut omitted = [false, false];
    for (i, (h, house)) in [(&mut b.hoc, "参議院"), (&mut b.hor, "衆議院")]
        .into_iter()
        .enumerate()
    {
        h.referred_on = date(
            r.get(&[&format!("{house}委員会等経過情報 - 本付託日")]),
            house,
            w,
        );
        let c = collapse(r.get(&[&format!("{house}委員会等経過情報 - 付託委員会等")]));
        omitted[i] = review_omitted(&c);
        h.committee = if omitted[i] { String::new() } else { c };
        h.committee_on = date(
            r.get(&[&format!("{house}委員会等経過情報 - 議決日")]),
            house,
            w,
        );
        h.committee_result =
            collapse(r.get(&[&format!("{house}委員会等経過情報 - 議決・継続結果")]));
        h.plenary_on = date(
            r.get(&[&format!("{house}本会議経過情報 - 議決日")]),
            house,
            w,
        );
        h.plenary_result = collapse(r.get(&[&format!("{house}本会議経過情報 - 議決")]));
        h.vote_manner = collapse(r.get(&[&format!("{house}本会議経過情報 - 採決態様")]));
        h.vote_method = collapse(r.get(&[&format!("{house}本会議経過情報 - 採決方法")]));
    }
    b.promulgated_on = date(r.get(&["その他の情報 - 公布年月日"]), "公布年月日", w);
    b.law_number = collapse(r.get(&["その他の情報 - 法律番号"]));
    b.remarks = remarks(r.get(&["備考"]));
    let mut stages = Vec::new();
    if let Some(d) = b.submitted_on {
        stages.push(submitted(&b.origin_house, d));
    }
    stages.extend(house_stages(&b.kind, &b.hor, "衆", omitted[1]));
    stages.extend(house_stages(&b.kind, &b.hoc, "参", omitted[0]));
    let (withdrawn, withdrawn_on) = withdrawal(&b.remarks, w);
    if withdrawn && !stages.iter().any(|s| s.stage == "withdrawn") {
        stages.push(Staged {
            house: "",
            stage: "withdrawn",
            date: withdrawn_on,
            body: String::new(),
            what: "撤回".into(),
        });
    }
    stages.extend(promulgation(&b));
    Some(Facts {
        bill: b,
        session,
        stages,
    })
}

fn submitted(origin: &str, d: NaiveDate) -> Staged {
    let house = house_name(origin);
    Staged {
        house: "",
        stage: "submitted",
        date: Some(d),
        body: String::new(),
        what: if house.is_empty() {
            "提出".into()
        } else {
            format!("{house}に提出")
        },
    }
}

fn promulgation(b: &Bill) -> Option<Staged> {
    if b.promulgated_on.is_none() && b.law_number.is_empty() {
        return None;
    }
    Some(Staged {
        house: "",
        stage: "promulgated",
        date: b.promulgated_on,
        body: String::new(),
        what: if b.law_number.is_empty() {
            "公布".to_string()
        } else {
            format!("公布 (法律第{}号)", b.law_number)
        },
    })
}

/// The 衆議院 schema (dataset columns, a 経過 page, or a list row).
///
/// A 経過 page shows one session. Besides the bill's own page, the House lists a page
/// for a step taken on the bill as a new item, with the same key: a 回付案 (the other
/// house's amendments, 受理 then 同意 / 不同意), a 両院協議会 report, a 承諾 of the
/// government's request to withdraw or amend. Their 受理 is not the bill's submission.
fn representatives(r: &Record, hint: Option<u32>, w: &mut Vec<String>) -> Option<Facts> {
    let mut kind = kind_of(r.get(&["議案種類", "種類"]));
    if kind.is_empty() {
        kind = kind_of(r.get(&["キャプション"]));
    }
    let Some(ss) = number(r.get(&["議案提出回次", "提出回次"])) else {
        w.push(format!("{}: no 提出回次; row skipped", r.locator));
        return None;
    };
    if kind.is_empty() {
        w.push(format!("{}: no 議案種類; row skipped", r.locator));
        return None;
    }
    let title = collapse(r.get(&["議案件名", "件名"]));
    let mut b = match number(r.get(&["議案番号", "番号"])) {
        Some(no) => new_bill(kind, ss, no, placeholder_prov()),
        // 承諾 and 決算 items carry no number: their title is all that names them.
        None if !title.is_empty() => {
            let mut b = new_bill(kind, ss, 0, placeholder_prov());
            b.bill_key = format!("{}-{ss}-{title}", b.kind);
            b
        }
        None => {
            w.push(format!("{}: no 番号 and no 件名; row skipped", r.locator));
            return None;
        }
    };
    let session = number(r.get(&["掲載回次", "審議回次"])).or(hint);
    b.sessions.extend(session);
    b.title = title;
    b.submitter = collapse(r.get(&["議案提出者"]));
    b.status = collapse(r.get(&["審議状況"]));
    let mut d = |k: &str| date(r.get(&[k]), k, w);
    let hor_prelim = d("衆議院予備審査議案受理年月日");
    let hoc_prelim = d("参議院予備審査議案受理年月日");
    let hor_recv = d("衆議院議案受理年月日");
    let hoc_recv = d("参議院議案受理年月日");
    let mut omitted = [false, false];
    let mut prelim_ref: [(Option<NaiveDate>, String); 2] = Default::default();
    for (i, (h, house)) in [(&mut b.hor, "衆議院"), (&mut b.hoc, "参議院")]
        .into_iter()
        .enumerate()
    {
        let (pd, pc) = pair(r.get(&[&format!("{house}予備付託年月日／{house}予備付託委員会")]));
        prelim_ref[i] = (date(pd, house, w), committee(pc));
        let (rd, rc) = pair(r.get(&[&format!("{house}付託年月日／{house}付託委員会")]));
        h.referred_on = date(rd, house, w);
        omitted[i] = review_omitted(rc);
        h.committee = if omitted[i] {
            String::new()
        } else {
            committee(rc)
        };
        let (cd, cr) = pair(r.get(&[&format!("{house}審査終了年月日／{house}審査結果")]));
        h.committee_on = date(cd, house, w);
        h.committee_result = collapse(cr);
        let (pd, pr) = pair(r.get(&[&format!("{house}審議終了年月日／{house}審議結果")]));
        h.plenary_on = date(pd, house, w);
        h.plenary_result = collapse(pr);
    }
    b.hor.vote_manner = collapse(r.get(&["衆議院審議時会派態度"]));
    b.hor.groups_for = collapse(r.get(&["衆議院審議時賛成会派"]));
    b.hor.groups_against = collapse(r.get(&["衆議院審議時反対会派"]));
    let (pd, law) = pair(r.get(&["公布年月日／法律番号"]));
    b.promulgated_on = date(pd, "公布年月日", w);
    b.law_number = collapse(law);
    // A page for a step on the bill (module docs): a house whose plenary decided with no
    // committee stage on a 回付案 (同意 / 不同意), a 両院協議会 report, a request (承諾),
    // or, a bill that came back rejected and nothing else on the page, its second vote.
    let bare = |h: &HouseProgress, omitted: bool| {
        h.referred_on.is_none()
            && h.committee.is_empty()
            && !omitted
            && h.committee_result.is_empty()
    };
    let nothing_in = |h: &HouseProgress, recv: Option<NaiveDate>, prelim: Option<NaiveDate>| {
        bare(h, false) && h.plenary_result.is_empty() && recv.is_none() && prelim.is_none()
    };
    let side = |h: &HouseProgress, omitted: bool, recv: Option<NaiveDate>, other_empty: bool| {
        bare(h, omitted)
            && match outcome(&h.plenary_result) {
                Some("agreed" | "disagreed" | "conference_failed") => true,
                Some("consented") => law_kind(&b.kind),
                Some("passed") => law_kind(&b.kind) && recv.is_some() && other_empty,
                _ => false,
            }
    };
    let hor_side = side(
        &b.hor,
        omitted[0],
        hor_recv,
        nothing_in(&b.hoc, hoc_recv, hoc_prelim),
    );
    let hoc_side = side(
        &b.hoc,
        omitted[1],
        hoc_recv,
        nothing_in(&b.hor, hor_recv, hor_prelim),
    );
    // House of origin: the kind, a preliminary copy in the other house, a plenary vote
    // before the other house received the bill, the house that received it first, or the
    // only house that received it. Otherwise unknown (another page will say).
    let before =
        |a: Option<NaiveDate>, b: Option<NaiveDate>| matches!((a, b), (Some(a), Some(b)) if a <= b);
    b.origin_house = match origin_of_kind(&b.kind, Schema::Representatives).as_str() {
        "" if hor_prelim.is_some() => "参".into(),
        "" if hoc_prelim.is_some() => "衆".into(),
        "" if before(b.hor.plenary_on, hoc_recv) => "衆".into(),
        "" if before(b.hoc.plenary_on, hor_recv) => "参".into(),
        "" if hor_recv.is_some() && hoc_recv.is_some() => {
            if before(hor_recv, hoc_recv) {
                "衆".into()
            } else {
                "参".into()
            }
        }
        "" if hor_recv.is_some() => "衆".into(),
        "" if hoc_recv.is_some() => "参".into(),
        o => o.to_string(),
    };
    let mut stages = Vec::new();
    for (short, recv, is_side) in [("衆", hor_recv, hor_side), ("参", hoc_recv, hoc_side)] {
        let Some(day) = recv else { continue };
        let house = house_name(short);
        let st = |stage, what: String| Staged {
            house: short,
            stage,
            date: Some(day),
            body: String::new(),
            what,
        };
        if is_side {
            if outcome(if short == "衆" {
                &b.hor.plenary_result
            } else {
                &b.hoc.plenary_result
            }) != Some("consented")
            {
                stages.push(st("returned", format!("{house}に回付")));
            }
        } else if b.origin_house == short {
            // Only the page of the session the bill was submitted in dates its submission;
            // a 受理 on a later session's page is the bill coming back.
            if session.is_none_or(|s| s <= ss) {
                b.submitted_on = Some(day);
                stages.push(submitted(short, day));
            } else {
                stages.push(st("received", format!("{house}が受理")));
            }
        } else if short == "衆" {
            b.hor.received_on = Some(day);
        } else {
            b.hoc.received_on = Some(day);
        }
    }
    for (i, (short, prelim)) in [("衆", hor_prelim), ("参", hoc_prelim)]
        .into_iter()
        .enumerate()
    {
        let house = house_name(short);
        if let Some(day) = prelim {
            stages.push(Staged {
                house: short,
                stage: "preliminary_received",
                date: Some(day),
                body: String::new(),
                what: format!("{house}に予備送付"),
            });
        }
        let (pd, pc) = &prelim_ref[i];
        if pd.is_some() || !pc.is_empty() {
            stages.push(Staged {
                house: short,
                stage: "preliminary_referred",
                date: *pd,
                body: pc.clone(),
                what: format!("{house}{pc}に予備付託"),
            });
        }
    }
    for (h, short, is_side, om) in [
        (&b.hor, "衆", hor_side, omitted[0]),
        (&b.hoc, "参", hoc_side, omitted[1]),
    ] {
        for mut s in house_stages(&b.kind, h, short, om) {
            // The second vote on a bill the other house rejected (憲法59条2項).
            if is_side && s.stage == "plenary_passed" {
                s.stage = "repassed";
            }
            stages.push(s);
        }
    }
    stages.extend(promulgation(&b));
    // A side page's decision is an event of its own; the bill's row keeps the main
    // page's plenary decision.
    for (h, is_side) in [(&mut b.hor, hor_side), (&mut b.hoc, hoc_side)] {
        if is_side {
            h.plenary_on = None;
            h.plenary_result.clear();
        }
    }
    Some(Facts {
        bill: b,
        session,
        stages,
    })
}

/// `令和7年1月28日　撤回申出` / `3月11日　撤　　回（委員会許可）` in 備考: withdrawn, on the
/// day of the line that says 撤回 without 申出 (its year from the line before).
fn withdrawal(remarks: &str, w: &mut Vec<String>) -> (bool, Option<NaiveDate>) {
    let mut year = None;
    for line in remarks.lines() {
        let l: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        let found = match year {
            Some(y) => mynawatch_ja::find_dates_with_year(&l, y),
            None => mynawatch_ja::find_dates(&l),
        };
        if let Some(f) = found.first() {
            use chrono::Datelike;
            year = Some(f.start.year());
        }
        if l.contains("撤回") && !l.contains("撤回申出") {
            let on = found.first().map(|f| f.start);
            if on.is_none() {
                w.push(format!("備考 says 撤回 without a date: `{line}`"));
            }
            return (true, on);
        }
    }
    (false, None)
}

// ── facts → rows ─────────────────────────────────────────────────────────────

struct Builder<'a> {
    meta: &'a SnapshotMeta,
    rows: Rows,
    warnings: Vec<String>,
}

/// The process's view of an events row (`None` for another kind of event).
fn stage_ref(e: &Event) -> Option<(String, StageRef)> {
    (e.kind == "bill_stage")
        .then(|| StageRef::from_event_id(&e.event_id, e.date))
        .flatten()
}

/// Set each bill's stage and per-house stage from every stage of it in `rows` (the
/// process's [`current_stage`]). Rows of one bill from several extractions (a page per
/// session, a 回付 page, both houses' data) merged with [`Rows::extend`] keep the stage of
/// whichever row was newest; call this on the merged rows to get the stage of them all.
pub fn restage(rows: &mut Rows) {
    let mut by_key: BTreeMap<String, Vec<StageRef>> = BTreeMap::new();
    for (key, s) in rows.events.iter().filter_map(stage_ref) {
        by_key.entry(key).or_default().push(s);
    }
    for b in &mut rows.bills {
        let Some(stages) = by_key.get(&b.bill_key) else {
            continue;
        };
        b.stage = current_stage(&b.kind, &b.origin_house, &b.status, stages);
        b.hor.stage = house_stage(stages, "衆", &b.origin_house);
        b.hoc.stage = house_stage(stages, "参", &b.origin_house);
    }
}

impl Builder<'_> {
    fn add(&mut self, f: Facts, rec: &Record) {
        let prov = self.meta.provenance(rec.locator.clone(), rec.raw());
        let mut bill = f.bill;
        bill.provenance = prov.clone();
        let key = bill.bill_key.clone();
        let sess = f.session.map(|s| s.to_string());
        let mut unique: Vec<Event> = Vec::new();
        for s in f.stages {
            let when = s
                .date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "date not published".into());
            let what = if s.what.contains('(') {
                s.what.replacen('(', &format!("({when}, "), 1)
            } else {
                format!("{} ({when})", s.what)
            };
            // The session part of an id: the session when known, else the day.
            let event_id = if s.house.is_empty() {
                format!("{key}/{}", s.stage)
            } else {
                let part = sess
                    .clone()
                    .or_else(|| s.date.map(|d| d.to_string()))
                    .unwrap_or_else(|| "-".into());
                format!("{key}/{}/{part}/{}", s.house, s.stage)
            };
            let e = Event {
                event_id,
                kind: "bill_stage".into(),
                date: s.date,
                start_time: None,
                end_time: None,
                venue: house_name(s.house).to_string(),
                body: s.body,
                title: format!("{}: {what}", bill.title),
                principal: String::new(),
                provenance: prov.clone(),
            };
            // One event per id within a record: a committee's and the plenary's 継続審査
            // are one carry-over (the plenary's, which comes later, is kept, with the
            // committee's day when it has none).
            match unique.iter_mut().find(|u| u.event_id == e.event_id) {
                Some(u) => {
                    let day = u.date;
                    *u = e;
                    if u.date.is_none() {
                        u.date = day;
                    }
                }
                None => unique.push(e),
            }
        }
        let stages: Vec<StageRef> = unique
            .iter()
            .filter_map(stage_ref)
            .map(|(_, s)| s)
            .collect();
        bill.stage = current_stage(&bill.kind, &bill.origin_house, &bill.status, &stages);
        // A page that only repeats the submission in a later session says nothing new.
        if bill.stage == "submitted" && f.session.is_some_and(|s| s > bill.submitted_session) {
            bill.stage.clear();
        }
        bill.hor.stage = house_stage(&stages, "衆", &bill.origin_house);
        bill.hoc.stage = house_stage(&stages, "参", &bill.origin_house);
        // `Rows::extend` merges the bill with its other sessions' rows and keeps one
        // event per id.
        self.rows.extend(Rows {
            events: unique,
            bills: vec![bill],
            ..Rows::default()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_padded_era_dates_and_iso_dates_parse() {
        let mut w = Vec::new();
        assert_eq!(
            date("令和 7年 1月17日", "x", &mut w),
            NaiveDate::from_ymd_opt(2025, 1, 17)
        );
        assert_eq!(
            date("2025-11-27", "x", &mut w),
            NaiveDate::from_ymd_opt(2025, 11, 27)
        );
        assert_eq!(date("未定", "x", &mut w), None);
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn a_date_and_result_pair_splits_on_the_full_width_slash() {
        assert_eq!(
            pair("令和 7年10月21日／厚生労働"),
            ("令和 7年10月21日", "厚生労働")
        );
        assert_eq!(pair("／審査未了"), ("", "審査未了"));
        assert_eq!(committee("災害対策特別"), "災害対策特別委員会");
        assert_eq!(committee("厚生労働委員会"), "厚生労働委員会");
    }

    #[test]
    fn whitespace_only_differences_in_remarks_normalize_away() {
        let a = remarks("令和7年1月28日　撤回申出\r\r\n　　　 3月11日　撤　　回（委員会許可）");
        let b = remarks("令和7年1月28日　撤回申出\n\n　　　 3月11日　撤　　回（委員会許可）");
        assert_eq!(a, b);
        let mut w = Vec::new();
        assert_eq!(
            withdrawal(&a, &mut w),
            (true, NaiveDate::from_ymd_opt(2025, 3, 11))
        );
    }

    #[test]
    fn a_linked_summary_pdf_keeps_its_text_with_page_locators_and_gives_no_stage() {
        let meta = SnapshotMeta::for_file(
            "hoc",
            "https://www.sangiin.go.jp/japanese/joho1/kousei/gian/219/pdf/580217210.pdf",
            "ab".repeat(32),
        );
        let input = Input {
            bytes: b"%PDF-1.7",
            meta: &meta,
            options: &serde_json::Value::Null,
        };
        // Text written for this test in the shape of a 議案要旨 page.
        let doc = crate::pdf::PdfDocument::new(
            vec!["試験用法律案要旨\n\n本法律案は、試験のための規定を整える。\n".into()],
            Vec::new(),
        );
        let x = crate::pdf::extract(&DietBills, &doc, &input).unwrap();
        assert!(x.rows.bills.is_empty() && x.rows.events.is_empty());
        assert_eq!(x.rows.notices.len(), 1);
        let n = &x.rows.notices[0];
        assert!(n.text.contains("試験のための規定を整える"), "{}", n.text);
        let loc = &n.provenance.as_ref().unwrap().locator;
        assert!(loc.starts_with("page:1"), "{loc}");
        // A scanned one (no text layer) is a failure that says so.
        let scan = crate::pdf::PdfDocument::new(vec![String::new()], Vec::new());
        let err = crate::pdf::extract(&DietBills, &scan, &input)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no text layer"), "{err}");
    }

    #[test]
    fn the_session_comes_from_either_house_url() {
        assert_eq!(
            session_of_url(
                "https://www.sangiin.go.jp/japanese/joho1/kousei/gian/219/meisai/m219080217021.htm"
            ),
            Some(219)
        );
        assert_eq!(
            session_of_url(
                "https://www.shugiin.go.jp/internet/itdb_gian.nsf/html/gian/kaiji208.htm"
            ),
            Some(208)
        );
        assert_eq!(
            session_of_url(
                "https://www.shugiin.go.jp/internet/itdb_gian.nsf/html/gian/keika/1DE0296.htm"
            ),
            None
        );
    }
}
