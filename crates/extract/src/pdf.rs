//! PDF documents for the families, from text pages another crate already extracted
//! (`mynawatch-pdf` runs poppler's `pdftotext`; this module stays pure: no subprocess).
//!
//! Owns the PDF text layer: the pages as given ([`PdfPages`]), wrapped prose lines joined
//! back into paragraphs ([`paragraphs`]), the `page:N` locators, and the dispatch of a
//! document to a family ([`extract`]):
//! - text families (`municipal_notice`, `hodanren`, `mhlw_press`: anything with
//!   [`Family::extract_text`]) run their text rules on the paragraphs, one per line;
//!   every locator they return (`lines:A-B`, `sentence:K`) is mapped back to where the
//!   text stands in the PDF;
//! - `page` (and `diet_bills`, for a bill's text or 要旨) gives one `notices` row and the
//!   document's links (URLs written in the text and link annotations), like an HTML page;
//! - `table` reads one table per page from the `-layout` text ([`crate::pdf_table`]).
//!
//! Other families cannot read PDF text: for them a PDF stays wrong content, as
//! [`crate::common::html_page`] says. A document without a text layer (a scan) is an
//! extraction failure, never an empty success.
//!
//! Locators: `page:N:lines:A-B` (lines of page `N` as `pdftotext` printed them, from 1);
//! a span over a page break is `page:N:line:A..page:M:line:B`; a table cell adds its
//! character columns in the `-layout` text, `page:N:lines:L-L:cols:S-E`.

use std::sync::OnceLock;

use mynawatch_model::Link;
use regex::Regex;

use crate::families::page::{links_of, notice_of};
use crate::html::{Block, Page, PageLink};
use crate::{common, ExtractError, Extraction, Family, Input};

/// The text of a PDF, one string per page (page `N` is index `N - 1`), as `pdftotext`
/// printed it (form feeds already split off).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfPages {
    pages: Vec<String>,
}

impl PdfPages {
    /// Pages in order.
    pub fn new(pages: Vec<String>) -> Self {
        PdfPages { pages }
    }

    /// The pages.
    pub fn pages(&self) -> &[String] {
        &self.pages
    }

    /// Number of pages.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// True when there are no pages.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// True when some page has text (a scan has none).
    pub fn has_text(&self) -> bool {
        self.pages.iter().any(|p| !p.trim().is_empty())
    }
}

/// A PDF as the families see it: prose pages (`-raw` order), layout pages (`-layout`,
/// for tables; may be empty) and link annotations (page from 1, URL).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfDocument {
    /// Pages in prose reading order.
    pub prose: PdfPages,
    /// Pages with columns kept in place (`pdftotext -layout`).
    pub layout: PdfPages,
    /// Link annotations: (page from 1, URL).
    pub links: Vec<(usize, String)>,
}

impl PdfDocument {
    /// A document from its prose and layout pages, without link annotations.
    pub fn new(prose: Vec<String>, layout: Vec<String>) -> Self {
        PdfDocument {
            prose: PdfPages::new(prose),
            layout: PdfPages::new(layout),
            links: Vec::new(),
        }
    }
}

/// A paragraph of prose: wrapped lines joined back, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Page from 1.
    pub page: usize,
    /// First line on the page, from 1.
    pub first_line: usize,
    /// Last line on the page, from 1.
    pub last_line: usize,
    /// The joined text.
    pub text: String,
}

impl Paragraph {
    /// `page:N:lines:A-B`.
    pub fn locator(&self) -> String {
        format!(
            "page:{}:lines:{}-{}",
            self.page, self.first_line, self.last_line
        )
    }
}

/// Lines that start a new item: numbered headings (`１`, `(2)`, `③`, `第3`), bullets,
/// notes, dates at the head of a schedule row.
fn item_start() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?:[0-9０-９]{1,2}(?:[\s　.．、)）]|$)|[（(][0-9０-９一二三四五六七八九十ア-ン]{1,2}[)）]|[①-⑳]|[・･○〇●◆◇■□※▶▷◎☆★]|第[0-9０-９一二三四五六七八九十]|[ア-ン][\s　.．]|(?:令和|平成|昭和)[0-9０-９元]+年)",
        )
        .expect("item start regex")
    })
}

/// Display width in half-width units (CJK and full-width forms count 2).
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) < 0x1100 || ('\u{FF61}'..='\u{FF9F}').contains(&c) {
                1
            } else {
                2
            }
        })
        .sum()
}

/// Close up the spaces `pdftotext` puts where a run of digits meets Japanese text
/// (`約 122,000 世帯` → `約122,000世帯`): one space between a wide character and an
/// ASCII digit (or a digit, `%`, `,`, `.` and a wide character) is removed. Spaces
/// between words are kept.
pub fn close_up(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let wide = |c: char| !c.is_whitespace() && width(&c.to_string()) == 2;
    let digitish = |c: char| c.is_ascii_digit() || matches!(c, '%' | ',' | '.');
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 && i + 1 < chars.len() {
            let (a, b) = (chars[i - 1], chars[i + 1]);
            if (wide(a) && b.is_ascii_digit()) || (digitish(a) && wide(b)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Join the wrapped lines of each page back into paragraphs. A line continues into the
/// next when it is about as wide as the page's widest line, does not end a sentence or a
/// label (`。`, `：`, `）`), and the next line does not start an item (`２`, `(1)`, `・`,
/// `※`, a 和暦 date). Blank lines and page breaks always end a paragraph. Blank lines
/// are dropped; every paragraph keeps its page and line range.
pub fn paragraphs(pages: &PdfPages) -> Vec<Paragraph> {
    let mut out = Vec::new();
    for (p, page) in pages.pages().iter().enumerate() {
        let lines: Vec<&str> = page.lines().map(|l| l.trim_end()).collect();
        let widest = lines
            .iter()
            .map(|l| width(&close_up(l.trim())))
            .max()
            .unwrap_or(0);
        let mut cur: Option<Paragraph> = None;
        let mut open = false; // the current paragraph's last line may continue
        for (i, line) in lines.iter().enumerate() {
            let t = close_up(line.trim());
            let t = t.as_str();
            if t.is_empty() {
                out.extend(cur.take());
                continue;
            }
            let continues = open && !item_start().is_match(t);
            match (&mut cur, continues) {
                (Some(par), true) => {
                    let ascii_gap = par.text.ends_with(|c: char| c.is_ascii_alphanumeric())
                        && t.starts_with(|c: char| c.is_ascii_alphanumeric());
                    if ascii_gap {
                        par.text.push(' ');
                    }
                    par.text.push_str(t);
                    par.last_line = i + 1;
                }
                _ => {
                    out.extend(cur.take());
                    cur = Some(Paragraph {
                        page: p + 1,
                        first_line: i + 1,
                        last_line: i + 1,
                        text: t.to_string(),
                    });
                }
            }
            open = width(t) * 10 >= widest * 9
                && widest >= 40
                && !t.ends_with(['。', '：', ':', '）', ')', '」', '.', '．']);
        }
        out.extend(cur.take());
    }
    out
}

/// Text for a family's text layer: one paragraph per line.
pub fn paragraph_text(paras: &[Paragraph]) -> String {
    paras
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn span_locator(a: &Paragraph, b: &Paragraph) -> String {
    if a.page == b.page {
        format!("page:{}:lines:{}-{}", a.page, a.first_line, b.last_line)
    } else {
        format!(
            "page:{}:line:{}..page:{}:line:{}",
            a.page, a.first_line, b.page, b.last_line
        )
    }
}

fn text_locator() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:lines?:(\d+)(?:-(\d+))?|sentence:(\d+))$").expect("locator regex")
    })
}

/// Map a locator a text family gave for [`paragraph_text`] (`lines:A-B` of that text,
/// or `sentence:K` of [`crate::text::sentences`] over its normalized form) to where the
/// text stands in the PDF. Other locators are kept, prefixed with the document's pages.
pub fn pdf_locator(locator: &str, paras: &[Paragraph]) -> String {
    let at = |line: usize| paras.get(line.saturating_sub(1));
    if let Some(c) = text_locator().captures(locator) {
        if let Some(k) = c.get(3).and_then(|m| m.as_str().parse::<usize>().ok()) {
            // Sentences split at `。` inside lines: count them line by line.
            let mut seen = 0;
            for p in paras {
                let n = crate::text::sentences(&mynawatch_ja::normalize(&p.text)).len();
                if k <= seen + n {
                    return p.locator();
                }
                seen += n;
            }
        } else if let Some(a) = c.get(1).and_then(|m| m.as_str().parse::<usize>().ok()) {
            let b = c
                .get(2)
                .and_then(|m| m.as_str().parse::<usize>().ok())
                .unwrap_or(a);
            if let (Some(pa), Some(pb)) = (at(a), at(b.max(a))) {
                return span_locator(pa, pb);
            }
        }
    }
    match (paras.first(), paras.last()) {
        (Some(a), Some(b)) => format!("{}:{locator}", span_locator(a, b)),
        _ => locator.to_string(),
    }
}

fn no_text(input: &Input<'_>, doc: &PdfDocument) -> ExtractError {
    ExtractError::WrongContent(format!(
        "{}: the PDF has no text layer in any of its {} page(s) (a scanned image; needs OCR)",
        input.meta.url,
        doc.prose.len().max(doc.layout.len())
    ))
}

/// Run `family` on a PDF document. Text families run their text layer on the prose
/// paragraphs; `page` and `table` have PDF readers of their own (module docs). A family
/// that cannot read PDF text, and a document without text, are errors.
pub fn extract(
    family: &dyn Family,
    doc: &PdfDocument,
    input: &Input<'_>,
) -> Result<Extraction, ExtractError> {
    if !doc.prose.has_text() && !doc.layout.has_text() {
        return Err(no_text(input, doc));
    }
    match family.name() {
        // A bill's text or 要旨: kept as a page is, never read for stages.
        "page" | "diet_bills" => page(doc, input),
        "table" => {
            let o: crate::families::TableOptions = common::options(input.options)?;
            let pages = if doc.layout.has_text() {
                &doc.layout
            } else {
                &doc.prose
            };
            crate::pdf_table::extract(pages, &o, input)
        }
        _ => text_layer(family, doc, input),
    }
}

/// A family's text rules over the document's prose, with PDF locators.
pub fn text_layer(
    family: &dyn Family,
    doc: &PdfDocument,
    input: &Input<'_>,
) -> Result<Extraction, ExtractError> {
    let pages = if doc.prose.has_text() {
        &doc.prose
    } else {
        &doc.layout
    };
    let paras = paragraphs(pages);
    if paras.is_empty() {
        return Err(no_text(input, doc));
    }
    let text = paragraph_text(&paras);
    let mut x = family.extract_text(&text, input).ok_or_else(|| {
        ExtractError::WrongContent(format!(
            "{}: a PDF, and family `{}` has no text layer to read PDF text with",
            input.meta.url,
            family.name()
        ))
    })??;
    let fix = |p: &mut Option<mynawatch_model::Provenance>| {
        if let Some(p) = p {
            p.locator = pdf_locator(&p.locator, &paras);
        }
    };
    for n in &mut x.rows.notices {
        fix(&mut n.provenance);
        if let Some(t) = title(&paras) {
            n.title = t;
        }
    }
    for f in &mut x.rows.figures {
        f.provenance.locator = pdf_locator(&f.provenance.locator, &paras);
    }
    for s in &mut x.rows.statements {
        s.provenance.locator = pdf_locator(&s.provenance.locator, &paras);
    }
    for e in &mut x.rows.events {
        e.provenance.locator = pdf_locator(&e.provenance.locator, &paras);
    }
    if x.links.is_empty() {
        x.links = links(doc, &paras);
    }
    Ok(x)
}

/// The document's title: among the first lines of page 1, the first that reads like
/// one (`…について`, `…（報告）`, `【…】`); `None` when no line does (the family's own
/// choice stays).
pub fn title(paras: &[Paragraph]) -> Option<String> {
    paras
        .iter()
        .take_while(|p| p.page == 1)
        .take(12)
        .map(|p| p.text.trim())
        .find(|t| {
            !t.ends_with('。')
                && (t.contains("について")
                    || t.ends_with("報告）")
                    || t.ends_with("報告)")
                    || t.ends_with('】'))
        })
        .map(str::to_string)
}

fn url_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+").expect("url regex")
    })
}

/// Links of a PDF: URLs written in the text (text = the rest of the paragraph, locator
/// = the paragraph), then link annotations not already found (locator `page:N`).
pub fn links(doc: &PdfDocument, paras: &[Paragraph]) -> Vec<Link> {
    let mut out: Vec<Link> = Vec::new();
    for p in paras {
        for m in url_re().find_iter(&p.text) {
            let url = m
                .as_str()
                .trim_end_matches(['.', ',', ')', ';'])
                .to_string();
            if out.iter().any(|l| l.url == url) {
                continue;
            }
            let text = p.text.replace(m.as_str(), " ");
            out.push(Link {
                url,
                text: text.split_whitespace().collect::<Vec<_>>().join(" "),
                size_label: String::new(),
                heading: String::new(),
                locator: p.locator(),
            });
        }
    }
    for (page, url) in &doc.links {
        if !out.iter().any(|l| &l.url == url) {
            out.push(Link {
                url: url.clone(),
                text: String::new(),
                size_label: String::new(),
                heading: String::new(),
                locator: format!("page:{page}"),
            });
        }
    }
    out
}

/// The `page` family on a PDF: one `notices` row (title, text, dates, hash) and the
/// document's links, through the same code as an HTML page.
fn page(doc: &PdfDocument, input: &Input<'_>) -> Result<Extraction, ExtractError> {
    #[derive(Default, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Options {
        #[serde(default)]
        area: Option<String>,
    }
    let opts: Options = common::options(input.options)?;
    let pages = if doc.prose.has_text() {
        &doc.prose
    } else {
        &doc.layout
    };
    let paras = paragraphs(pages);
    let text = paragraph_text(&paras);
    let (updated_on, published_on) = crate::html::page_dates(&text);
    let found = links(doc, &paras);
    let html_page = Page {
        title: title(&paras)
            .or_else(|| paras.first().map(|p| p.text.clone()))
            .unwrap_or_default(),
        canonical: None,
        main_locator: match (paras.first(), paras.last()) {
            (Some(a), Some(b)) => span_locator(a, b),
            _ => String::new(),
        },
        blocks: paras
            .iter()
            .map(|p| Block {
                text: p.text.clone(),
                locator: p.locator(),
                tag: "p".into(),
            })
            .collect(),
        links: found
            .into_iter()
            .map(|l| PageLink {
                url: l.url,
                text: l.text,
                size_label: l.size_label,
                heading: l.heading,
                locator: l.locator,
            })
            .collect(),
        updated_on,
        published_on,
    };
    let notice = notice_of(&html_page, input, opts.area.as_deref())?;
    Ok(Extraction {
        rows: mynawatch_model::Rows {
            notices: vec![notice],
            ..Default::default()
        },
        links: links_of(&html_page),
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(ps: &[&str]) -> PdfPages {
        PdfPages::new(ps.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn wrapped_lines_join_and_items_stay_apart() {
        let wide = "あいうえおかきくけこさしすせそたちつてとなにぬねの";
        let p = pages(&[&format!(
            "表題について\n\n１ 主旨\n{wide}\n続きの文。\n２ 対象\n{wide}\n(1) 項目\n"
        )]);
        let got: Vec<(String, usize, usize)> = paragraphs(&p)
            .into_iter()
            .map(|p| (p.text, p.first_line, p.last_line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("表題について".into(), 1, 1),
                ("１ 主旨".into(), 3, 3),
                (format!("{wide}続きの文。"), 4, 5),
                ("２ 対象".into(), 6, 6),
                (wide.to_string(), 7, 7),
                ("(1) 項目".into(), 8, 8),
            ]
        );
    }

    #[test]
    fn close_up_removes_spaces_between_digits_and_japanese_only() {
        assert_eq!(
            close_up("約 122,000 世帯（被保険者 約 160,000 人） 10 % A 1"),
            "約122,000世帯（被保険者 約160,000人）10 % A 1"
        );
    }

    #[test]
    fn text_locators_map_back_to_pages_and_lines() {
        let paras = paragraphs(&pages(&["一つ目。二つ目。\n三つ目\n", "\n四つ目。\n"]));
        assert_eq!(pdf_locator("lines:2-2", &paras), "page:1:lines:2-2");
        assert_eq!(
            pdf_locator("lines:1-3", &paras),
            "page:1:line:1..page:2:line:2"
        );
        assert_eq!(pdf_locator("sentence:2", &paras), "page:1:lines:1-1");
        assert_eq!(pdf_locator("sentence:4", &paras), "page:2:lines:2-2");
        assert_eq!(
            pdf_locator("title", &paras),
            "page:1:line:1..page:2:line:2:title"
        );
    }
}
