//! HTML → main text blocks with locators, links, title and page dates.
//!
//! The first layer of every text family. The main content is the first of `<main>`,
//! `[role=main]`, and the ids and classes Japanese CMSs use (`#main`, `#contents`,
//! `#tmp_contents`, …) that holds text; inside it, site chrome (navigation, header,
//! footer, breadcrumbs, scripts, "skip to content" links) is dropped. Comments are not
//! text, so processing instructions hidden in comments (`<?ra break?>`) and `&nbsp;` vs
//! `&#160;` do not change the result. Pure: bytes in, values out.

mod dom;
mod fast;

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

use dom::{Data, Dom, Element, NodeId};

/// One block of main text (a paragraph, heading, list item, table row, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Whitespace-collapsed text.
    pub text: String,
    /// CSS-like path (`main#content > div.l-contentMain > p:nth-of-type(3)`).
    pub locator: String,
    /// Tag name (`p`, `h2`, `li`, `tr`, …).
    pub tag: String,
}

impl Block {
    /// True for `h1`–`h6`.
    pub fn is_heading(&self) -> bool {
        matches!(self.tag.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
    }
}

/// A document link in the main content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// Absolute URL.
    pub url: String,
    /// Link text.
    pub text: String,
    /// `4.5MB` from `［4.5MB］` in or right after the link text.
    pub size_label: String,
    /// Nearest preceding heading.
    pub heading: String,
    /// CSS-like path of the `<a>`.
    pub locator: String,
}

/// What the HTML layer gives the rules above it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// `<title>`.
    pub title: String,
    /// `<link rel=canonical>` or `og:url`, if any.
    pub canonical: Option<String>,
    /// Locator of the main content element.
    pub main_locator: String,
    /// Main text blocks in document order.
    pub blocks: Vec<Block>,
    /// Links in the main content.
    pub links: Vec<PageLink>,
    /// `更新日` / `最終更新日` found anywhere on the page.
    pub updated_on: Option<NaiveDate>,
    /// `掲載日` / `公開日` found anywhere on the page.
    pub published_on: Option<NaiveDate>,
}

impl Page {
    /// Main text: blocks joined by newlines.
    pub fn main_text(&self) -> String {
        self.blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Headings in order.
    pub fn headings(&self) -> Vec<&str> {
        self.blocks
            .iter()
            .filter(|b| b.is_heading())
            .map(|b| b.text.as_str())
            .collect()
    }
}

const MAIN_SELECTORS: &[Sel] = &[
    Sel::Tag("main"),
    Sel::Attr("role", "main"),
    Sel::Id("main"),
    Sel::Id("tmp_contents"),
    Sel::Id("contents"),
    Sel::Id("content"),
    Sel::Id("main-contents"),
    Sel::Id("mainContents"),
    Sel::Class("main-contents"),
    Sel::Tag("article"),
    Sel::Id("container"),
    Sel::Tag("body"),
];

/// Elements that are site chrome, not content, wherever they sit.
const CHROME: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template",
    "iframe", "button", "select",
];

const CHROME_CLASS_HINTS: &[&str] = &[
    "breadcrumb",
    "navbreadcrumb",
    "skip",
    "pagetop",
    "sns",
    "share",
    "gnav",
    "globalnav",
    "megamenu",
];

const BLOCK_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "dt",
    "dd",
    "caption",
    "pre",
    "blockquote",
    "figcaption",
    "address",
];

/// A main-content selector: a tag, an id, a class or an attribute's exact value.
#[derive(Clone, Copy)]
enum Sel {
    Tag(&'static str),
    Id(&'static str),
    Class(&'static str),
    Attr(&'static str, &'static str),
}

impl Sel {
    fn matches(self, e: &Element<'_>) -> bool {
        match self {
            Sel::Tag(t) => e.name() == t,
            Sel::Id(id) => e.attr("id") == Some(id),
            Sel::Class(c) => e.has_class(c),
            Sel::Attr(a, v) => e.attr(a) == Some(v),
        }
    }
}

/// Parse `html` (already decoded) from `url`.
///
/// A well-formed page is read by the fast parser ([`fast`]); any other by html5ever. Both
/// give the same page (a test holds them equal on every page of the corpus).
pub fn parse(html: &str, url: &str) -> Page {
    let html = normalize_newlines(html);
    match fast::parse(&html) {
        Some(dom) => read(&dom, url),
        None => read(&dom::from_html5ever(&html), url),
    }
}

/// [`parse`] through html5ever only: the reference the fast parser is held to.
#[doc(hidden)]
pub fn parse_with_html5ever(html: &str, url: &str) -> Page {
    read(&dom::from_html5ever(&normalize_newlines(html)), url)
}

/// True when the fast parser reads the page (no html5ever needed).
#[doc(hidden)]
pub fn is_fast(html: &str) -> bool {
    fast::parse(&normalize_newlines(html)).is_some()
}

/// `\r\n` and `\r` as `\n`, as the HTML standard's input stream has them.
fn normalize_newlines(html: &str) -> Cow<'_, str> {
    if !html.contains('\r') {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut lines = html.split('\r').peekable();
    while let Some(part) = lines.next() {
        out.push_str(part);
        // `\r\n` is one newline: the `\n` starts the next part.
        if lines.peek().is_some_and(|next| !next.starts_with('\n')) {
            out.push('\n');
        }
    }
    Cow::Owned(out)
}

fn read(doc: &Dom<'_>, url: &str) -> Page {
    let first = |pred: &dyn Fn(&Element<'_>) -> bool| doc.find(pred);
    let title = first(&|e| e.name() == "title")
        .map(|t| collapse(&doc.texts(t).collect::<String>()))
        .unwrap_or_default();
    let attr_of =
        |id: Option<NodeId>, a: &str| id.and_then(|n| doc.element(n)?.attr(a)).map(str::to_string);
    let canonical = attr_of(
        first(&|e| e.name() == "link" && e.attr("rel") == Some("canonical")),
        "href",
    )
    .or_else(|| {
        attr_of(
            first(&|e| e.name() == "meta" && e.attr("property") == Some("og:url")),
            "content",
        )
    });
    let base = attr_of(
        first(&|e| e.name() == "base" && e.attr("href").is_some()),
        "href",
    )
    .and_then(|h| url::Url::parse(url).ok()?.join(&h).ok())
    .or_else(|| url::Url::parse(url).ok());

    let main = MAIN_SELECTORS
        .iter()
        .filter_map(|&s| first(&|e| s.matches(e)))
        .find(|&n| doc.texts(n).any(|t| !t.trim().is_empty()))
        .unwrap_or_else(|| doc.root_element());
    let main_locator = path_of(doc, main);
    let mut walker = Walker {
        doc,
        blocks: Vec::new(),
        links: Vec::new(),
        heading: String::new(),
        base,
        current: String::new(),
        loc: main_locator.clone(),
    };
    walker.walk(main);
    walker.flush(main_locator.len(), "div");

    let page_text: String = doc.texts(doc.root_element()).collect::<Vec<_>>().join("\n");
    let (updated_on, published_on) = page_dates(&page_text);
    Page {
        title,
        canonical,
        main_locator,
        blocks: walker.blocks,
        links: walker.links,
        updated_on,
        published_on,
    }
}

struct Walker<'d, 'a> {
    doc: &'d Dom<'a>,
    blocks: Vec<Block>,
    links: Vec<PageLink>,
    heading: String,
    base: Option<url::Url>,
    /// Loose text not inside a block element, flushed at the next block boundary.
    current: String,
    /// Locator of the node being walked; each level appends its step and cuts it off again,
    /// so a locator is copied only when a block or link is kept.
    loc: String,
}

impl Walker<'_, '_> {
    fn walk(&mut self, node: NodeId) {
        let doc = self.doc;
        let here = self.loc.len();
        for child in doc.children(node) {
            match doc.data(child) {
                Data::Text(t) => self.current.push_str(t),
                Data::Element(e) => {
                    let name = e.name();
                    if is_chrome(e) {
                        continue;
                    }
                    if name == "br" {
                        self.current.push('\n');
                        continue;
                    }
                    push_step(&mut self.loc, doc, child);
                    if name == "a" {
                        self.link(child);
                    }
                    if BLOCK_TAGS.contains(&name) {
                        self.flush(here, "div");
                        let text = if name == "tr" {
                            doc.children(child)
                                .filter(|&c| doc.element(c).is_some())
                                .map(|c| visible_text(doc, c))
                                .filter(|t| !t.is_empty())
                                .collect::<Vec<_>>()
                                .join(" | ")
                        } else {
                            visible_text(doc, child)
                        };
                        // Nested blocks (a list inside a list item) are walked for links only.
                        let before = self.blocks.len();
                        if name.starts_with('h') && name.len() == 2 {
                            self.heading = text.clone();
                        }
                        self.walk_links_only(child);
                        if !text.is_empty() && self.blocks.len() == before {
                            self.blocks.push(Block {
                                text,
                                locator: self.loc.clone(),
                                tag: name.to_string(),
                            });
                        }
                    } else {
                        self.walk(child);
                        if matches!(name, "div" | "section" | "table" | "ul" | "ol" | "dl") {
                            self.flush(self.loc.len(), name);
                        }
                    }
                    self.loc.truncate(here);
                }
                _ => {}
            }
        }
    }

    fn walk_links_only(&mut self, node: NodeId) {
        let doc = self.doc;
        let here = self.loc.len();
        for child in doc.children(node) {
            if let Some(el) = doc.element(child) {
                if is_chrome(el) {
                    continue;
                }
                push_step(&mut self.loc, doc, child);
                if el.name() == "a" {
                    self.link(child);
                }
                self.walk_links_only(child);
                self.loc.truncate(here);
            }
        }
    }

    /// Loose text as blocks located at the first `at` bytes of the current locator.
    fn flush(&mut self, at: usize, tag: &str) {
        if self.current.is_empty() {
            return;
        }
        for line in std::mem::take(&mut self.current).split('\n') {
            let text = collapse(line);
            if !text.is_empty() {
                self.blocks.push(Block {
                    text,
                    locator: self.loc[..at].to_string(),
                    tag: tag.to_string(),
                });
            }
        }
    }

    fn link(&mut self, a: NodeId) {
        let doc = self.doc;
        let Some(href) = doc.element(a).and_then(|e| e.attr("href")) else {
            return;
        };
        let href = href.trim();
        if href.starts_with('#')
            || href.starts_with("javascript:")
            || href.starts_with("mailto:")
            || href.starts_with("tel:")
        {
            return;
        }
        let Some(abs) = self.base.as_ref().and_then(|b| b.join(href).ok()) else {
            return;
        };
        if !matches!(abs.scheme(), "http" | "https") {
            return;
        }
        let text = visible_text(doc, a);
        let mut size_label = size_label(&text);
        if size_label.is_empty() {
            // `<a>医科点数表</a>［4.5MB］`: the size right after the link.
            if let Some(Data::Text(next)) = doc.next_sibling(a).map(|n| doc.data(n)) {
                size_label = size_label_start(next);
            }
        }
        self.links.push(PageLink {
            url: abs.into(),
            text,
            size_label,
            heading: self.heading.clone(),
            locator: self.loc.clone(),
        });
    }
}

fn is_chrome(e: &Element<'_>) -> bool {
    if CHROME.contains(&e.name()) {
        return true;
    }
    // Any word of the class or id containing a hint, ignoring ASCII case (no copies).
    let mut words = [e.attr("class"), e.attr("id")]
        .into_iter()
        .flatten()
        .flat_map(str::split_whitespace);
    words.any(|w| {
        CHROME_CLASS_HINTS
            .iter()
            .any(|h| contains_ignore_ascii_case(w, h))
    })
}

/// True when `hay` contains `needle` (not empty), ignoring ASCII case, without copies.
fn contains_ignore_ascii_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Text of an element without chrome descendants, whitespace collapsed as [`collapse`]
/// does (a `<br>` is a space), without an intermediate copy.
fn visible_text(doc: &Dom<'_>, el: NodeId) -> String {
    struct Collapsed {
        out: String,
        space: bool,
    }
    impl Collapsed {
        fn push(&mut self, text: &str) {
            for c in text.chars() {
                if is_space(c) {
                    self.space = !self.out.is_empty();
                } else {
                    if std::mem::take(&mut self.space) {
                        self.out.push(' ');
                    }
                    self.out.push(c);
                }
            }
        }
    }
    fn go(doc: &Dom<'_>, n: NodeId, out: &mut Collapsed) {
        for c in doc.children(n) {
            match doc.data(c) {
                Data::Text(t) => out.push(t),
                Data::Element(e) if !is_chrome(e) => {
                    if e.name() == "br" {
                        out.push(" ");
                    }
                    go(doc, c, out);
                }
                _ => {}
            }
        }
    }
    let mut out = Collapsed {
        out: String::new(),
        space: false,
    };
    go(doc, el, &mut out);
    out.out
}

/// One step of a locator: `div#id`, `body`, `p:nth-of-type(3)`.
fn step(doc: &Dom<'_>, node: NodeId) -> String {
    let mut s = String::new();
    write_step(&mut s, doc, node);
    s
}

/// ` > ` and the node's step after a locator.
fn push_step(loc: &mut String, doc: &Dom<'_>, node: NodeId) {
    loc.push_str(" > ");
    write_step(loc, doc, node);
}

fn write_step(out: &mut String, doc: &Dom<'_>, node: NodeId) {
    use std::fmt::Write;
    let Some(e) = doc.element(node) else {
        return;
    };
    let name = e.name();
    out.push_str(name);
    if let Some(id) = e.attr("id") {
        out.push('#');
        out.push_str(id);
        return;
    }
    if matches!(name, "body" | "main" | "head") {
        return;
    }
    let nth = std::iter::successors(doc.prev_sibling(node), |&s| doc.prev_sibling(s))
        .filter(|&s| doc.element(s).is_some_and(|p| p.name() == name))
        .count()
        + 1;
    let _ = write!(out, ":nth-of-type({nth})");
}

fn path_of(doc: &Dom<'_>, node: NodeId) -> String {
    let mut parts: Vec<String> = std::iter::successors(Some(node), |&n| doc.parent(n))
        .filter(|&n| doc.element(n).is_some())
        .map(|n| step(doc, n))
        .collect();
    parts.reverse();
    parts.retain(|p| !p.starts_with("html"));
    parts.join(" > ")
}

/// What [`collapse`] takes for a space: Unicode whitespace (NBSP, ideographic space) and
/// the byte-order mark.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Collapse whitespace (NBSP included) to single spaces, trimmed.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split(is_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn size_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[［\[]\s*(?:[A-Za-zＡ-Ｚａ-ｚ]+\s*[:：]?\s*)?([0-9０-９.,．]+\s*[KMGkmgＫＭＧ]?[BbＢ])\s*[］\]]").expect("size regex"))
}

fn size_label(text: &str) -> String {
    if !text.contains(['［', '[']) {
        // Every label opens with a bracket: most link texts need no regex search.
        return String::new();
    }
    size_re()
        .captures_iter(text)
        .last()
        .and_then(|c| c.get(1))
        .map(|m| mynawatch_ja::normalize(m.as_str()).replace(' ', ""))
        .unwrap_or_default()
}

/// The size label at the start of the text after a link, looked for in its first 40
/// bytes (cut back to a character boundary: `［PDF：123KB］ 令和7年6月1日掲載`).
fn size_label_start(text: &str) -> String {
    let t = text.trim_start();
    if t.starts_with(['［', '[']) {
        size_label(&t[..floor_char_boundary(t, 40)])
    } else {
        String::new()
    }
}

/// The largest character boundary of `s` at or before byte `at`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Also a stamp word opening a line (`更新 2025年10月28日`), and a label in brackets
        // (`【登録日】2024年12月2日`).
        Regex::new(r"(?m)(最終更新日|更新日|掲載日|公開日|作成日|登録日|投稿日|配信日|^[【\[]?更新|^[【\[]?掲載|^[【\[]?公開)[】\]]?\s*[:：]?\s*(\S[^\n]{0,30})")
            .expect("page date regex")
    })
}

/// `更新日：2025年7月16日`, `掲載日:令和元年9月1日`, `【登録日】2024年12月2日` anywhere in the
/// page's text.
pub fn page_dates(text: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let (mut updated, mut published) = (None, None);
    for c in date_re().captures_iter(text) {
        let label = c.get(1).map(|m| m.as_str()).unwrap_or("");
        let Some(d) = c
            .get(2)
            .and_then(|m| mynawatch_ja::parse_date(m.as_str()).ok())
        else {
            continue;
        };
        if d.kind != mynawatch_ja::DateKind::Date {
            continue;
        }
        match label.trim_start_matches(['【', '[']) {
            "掲載日" | "公開日" | "作成日" | "登録日" | "投稿日" | "配信日" | "掲載" | "公開" =>
            {
                published.get_or_insert(d.start);
            }
            _ => {
                updated.get_or_insert(d.start);
            }
        }
    }
    (updated, published)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_is_dropped_and_blocks_keep_order() {
        let html = "<html><head><title>T｜市</title></head><body><header>ヘッダー</header><nav>メニュー</nav>\
            <main id=\"main\"><h1>見出し</h1><p>更新日：2025年7月16日</p><p>本文&nbsp;です。<br>二行目</p>\
            <ul><li>項目<a href=\"/a.pdf\">資料［1.2MB］</a></li></ul><table><tr><th>対象</th><td>令和8年7月31日</td></tr></table></main>\
            <footer>フッター</footer></body></html>";
        let p = parse(html, "https://www.city.example.lg.jp/kurashi/x.html");
        let texts: Vec<&str> = p.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "見出し",
                "更新日：2025年7月16日",
                "本文 です。 二行目",
                "項目資料［1.2MB］",
                "対象 | 令和8年7月31日"
            ]
        );
        assert_eq!(p.updated_on, NaiveDate::from_ymd_opt(2025, 7, 16));
        assert_eq!(p.links[0].url, "https://www.city.example.lg.jp/a.pdf");
        assert_eq!(p.links[0].size_label, "1.2MB");
        assert_eq!(p.links[0].heading, "見出し");
        assert_eq!(p.main_locator, "body > main#main");
    }

    #[test]
    fn collapse_joins_words_with_one_space_and_trims() {
        assert_eq!(
            collapse("  本文\u{a0}\u{feff} です。\n\t二行目  "),
            "本文 です。 二行目"
        );
        assert_eq!(collapse(" \u{3000}\n "), "");
        assert_eq!(collapse("一語"), "一語");
        assert_eq!(size_label("資料（PDF）"), "", "no bracket, no label");
        assert_eq!(size_label("資料［ＰＤＦ：１．２ＭＢ］"), "1.2MB");
    }

    #[test]
    fn a_size_label_followed_by_multibyte_text_is_read_without_cutting_a_character() {
        let html =
            "<main><p><a href=\"/a.pdf\">資格確認書</a>［PDF：123KB］ 令和7年6月1日掲載</p></main>";
        let p = parse(html, "https://www.city.example.lg.jp/x.html");
        assert_eq!(p.links[0].size_label, "123KB");
    }
}
