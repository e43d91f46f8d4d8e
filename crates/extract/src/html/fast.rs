//! The fast parser: well-formed pages straight into a [`Dom`], without html5ever.
//!
//! Most pages a CMS writes are well formed: `<html>`, `<head>` and `<body>` written out, every
//! element closed in order, tables with their rows. For such a page the HTML standard's tree
//! construction is plain nesting, and this parser builds exactly the tree html5ever would
//! build, borrowing text from the page instead of copying it (about seven times faster than
//! html5ever on the MHLW page). Wherever the standard's tree would differ from plain nesting
//! (a missing `</li>`, a `<div>` inside a `<p>`, text or a `<div>` directly in a `<table>`, an
//! unknown `&entity`, `<svg>`, `<template>`, …) it declines, and the caller parses the page
//! with html5ever. It declines rather than guesses: a test holds the two parsers' pages
//! equal on every page of the corpus.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::contains_ignore_ascii_case;
use super::dom::{Data, Dom, Element, NodeId, MAX_DEPTH};

/// Parse a well-formed page; `None` when html5ever is needed. `html` has no `\r`.
pub(crate) fn parse(html: &str) -> Option<Dom<'_>> {
    if html.contains('\0') {
        return None;
    }
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    let mut b = Builder {
        src: html,
        pos: 0,
        // About one node per 30 bytes of a CMS page.
        dom: Dom::with_capacity(html.len() / 30),
        stack: Vec::new(),
        mode: Mode::Initial,
        virtual_tbody: Vec::new(),
        skip_lf: false,
    };
    b.run()?;
    matches!(b.mode, Mode::InBody | Mode::AfterBody | Mode::AfterHtml).then_some(b.dom)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Initial,
    BeforeHead,
    InHead,
    AfterHead,
    InBody,
    AfterBody,
    AfterHtml,
}

struct Builder<'a> {
    src: &'a str,
    pos: usize,
    dom: Dom<'a>,
    /// Open elements: node and name.
    stack: Vec<(NodeId, Cow<'a, str>)>,
    mode: Mode,
    /// `<tbody>` elements the standard inserts around rows written directly in a `<table>`.
    virtual_tbody: Vec<NodeId>,
    /// Drop one newline right after `<pre>` / `<listing>`.
    skip_lf: bool,
}

const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
];
/// Elements whose content is raw text up to their end tag (scripting on, as in html5ever).
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript",
];
/// Elements whose content is text with character references up to their end tag.
const RCDATA: &[&str] = &["title", "textarea"];
/// Allowed in `<head>`.
const HEAD: &[&str] = &[
    "base", "basefont", "bgsound", "link", "meta", "title", "noscript", "noframes", "style",
    "script",
];
/// Start tags that close an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "plaintext",
    "table",
    "hr",
    "xmp",
    "li",
    "dd",
    "dt",
];
/// Start tags with tree-construction rules this parser does not follow.
const DECLINED: &[&str] = &[
    "html",
    "head",
    "body",
    "frameset",
    "frame",
    "plaintext",
    "image",
    "isindex",
    "math",
    "svg",
    "template",
    "caption",
    "col",
    "colgroup",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "optgroup",
    "option",
    "rb",
    "rp",
    "rt",
    "rtc",
    "select",
    "menuitem",
];
/// Elements that end the search for an open list item of the same list.
const LIST_BOUNDS: &[&str] = &["ul", "ol", "dl", "menu", "dir", "table", "td", "th"];
const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c')
}

const IS_VOID: u8 = 1;
const IS_RAW_TEXT: u8 = 2;
const IS_RCDATA: u8 = 4;
const IN_HEAD: u8 = 8;
const CLOSES_A_P: u8 = 16;
const IS_DECLINED: u8 = 32;
const HEADING: u8 = 64;

/// The lists above a tag name is on, as bits, looked up once per tag.
fn class_of(name: &str) -> u8 {
    const LISTS: [(&[&str], u8); 7] = [
        (VOID, IS_VOID),
        (RAW_TEXT, IS_RAW_TEXT),
        (RCDATA, IS_RCDATA),
        (HEAD, IN_HEAD),
        (CLOSES_P, CLOSES_A_P),
        (DECLINED, IS_DECLINED),
        (HEADINGS, HEADING),
    ];
    // Names of up to 8 bytes as integers, sorted: a binary search instead of ~100 string
    // comparisons per tag.
    static SHORT: LazyLock<Vec<(u64, u8)>> = LazyLock::new(|| {
        let mut all: Vec<(u64, u8)> = LISTS
            .iter()
            .flat_map(|(names, bit)| {
                names
                    .iter()
                    .filter(|n| n.len() <= 8)
                    .map(|n| (pack(n), *bit))
            })
            .collect();
        all.sort_unstable();
        all.dedup_by(|b, a| {
            let same = a.0 == b.0;
            if same {
                a.1 |= b.1;
            }
            same
        });
        all
    });
    if name.len() <= 8 {
        let key = pack(name);
        return SHORT
            .binary_search_by_key(&key, |(k, _)| *k)
            .map_or(0, |i| SHORT[i].1);
    }
    LISTS
        .iter()
        .filter(|(names, _)| names.contains(&name))
        .fold(0, |acc, (_, bit)| acc | bit)
}

/// Up to 8 bytes of a name as one integer (names differ in a byte or in length; no tag
/// name holds a NUL).
fn pack(name: &str) -> u64 {
    let mut b = [0u8; 8];
    b[..name.len()].copy_from_slice(name.as_bytes());
    u64::from_le_bytes(b)
}

/// The standard's table modes: a current node where text and most tags do not nest plainly.
fn in_table_context(current: &str) -> bool {
    matches!(
        current,
        "table" | "tbody" | "thead" | "tfoot" | "tr" | "colgroup"
    )
}

fn all_ws(s: &str) -> bool {
    s.bytes().all(is_ws)
}

impl<'a> Builder<'a> {
    fn run(&mut self) -> Option<()> {
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() {
            let text_start = self.pos;
            let text_end = self.next_markup(text_start);
            if text_end > text_start {
                let text = decode(&self.src[text_start..text_end], false)?;
                self.text(text)?;
            }
            self.pos = text_end;
            if text_end >= bytes.len() {
                break;
            }
            self.markup()?;
        }
        Some(())
    }

    /// The position of the next `<` that opens markup (a tag, end tag, comment, …).
    fn next_markup(&self, from: usize) -> usize {
        let bytes = self.src.as_bytes();
        let mut i = from;
        while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
            i += off;
            match bytes.get(i + 1) {
                Some(c) if c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?') => return i,
                _ => i += 1,
            }
        }
        bytes.len()
    }

    fn current(&self) -> Option<NodeId> {
        self.stack.last().map(|(id, _)| *id)
    }

    fn current_name(&self) -> &str {
        self.stack.last().map_or("", |(_, n)| n.as_ref())
    }

    fn open(&self, name: &str) -> bool {
        self.stack.iter().any(|(_, n)| *n == name)
    }

    fn text(&mut self, mut text: Cow<'a, str>) -> Option<()> {
        if std::mem::take(&mut self.skip_lf) {
            text = without_first_newline(text);
        }
        let ws = all_ws(&text);
        match self.mode {
            Mode::Initial | Mode::BeforeHead => ws.then_some(()),
            Mode::InHead | Mode::AfterHead => {
                if !ws {
                    return None;
                }
                let parent = self.current()?;
                self.dom.append_text(parent, text);
                Some(())
            }
            Mode::InBody => {
                if !ws && in_table_context(self.current_name()) {
                    return None;
                }
                let parent = self.current()?;
                self.dom.append_text(parent, text);
                Some(())
            }
            Mode::AfterBody | Mode::AfterHtml => {
                if !ws {
                    return None;
                }
                let body = self.stack.iter().find(|(_, n)| n == "body")?.0;
                self.dom.append_text(body, text);
                Some(())
            }
        }
    }

    fn markup(&mut self) -> Option<()> {
        self.skip_lf = false;
        let bytes = self.src.as_bytes();
        let rest = &self.src[self.pos..];
        match bytes[self.pos + 1] {
            b'!' if rest.starts_with("<!--") => {
                let body = &rest[4..];
                if body.starts_with('>') || body.starts_with("->") {
                    return None;
                }
                let end = body.find("-->")?;
                if body[..end].contains("--!>") {
                    return None;
                }
                self.pos += 4 + end + 3;
                self.comment();
                Some(())
            }
            b'!' | b'?' => {
                // A doctype, or a bogus comment (`<?xml …?>`, `<![CDATA[…]]>`) up to `>`.
                let end = rest.find('>')?;
                let is_doctype =
                    rest.len() >= 9 && rest.as_bytes()[2..9].eq_ignore_ascii_case(b"doctype");
                self.pos += end + 1;
                if !is_doctype {
                    self.comment();
                }
                Some(())
            }
            b'/' => self.end_tag(),
            _ => self.start_tag(),
        }
    }

    fn comment(&mut self) {
        let parent = match self.mode {
            Mode::Initial | Mode::AfterHtml => Some(Dom::DOCUMENT),
            // After `</body>` a comment goes to `<html>`, never between body texts.
            Mode::AfterBody => self.stack.first().map(|(n, _)| *n),
            _ => self.current(),
        };
        if let Some(p) = parent {
            self.dom.append(p, Data::Other);
        }
    }

    /// A tag name at `self.pos` (after `<` or `</`), lower-cased.
    fn tag_name(&mut self) -> Cow<'a, str> {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        while self.pos < bytes.len()
            && !is_ws(bytes[self.pos])
            && !matches!(bytes[self.pos], b'/' | b'>')
        {
            self.pos += 1;
        }
        lower(&self.src[start..self.pos])
    }

    fn end_tag(&mut self) -> Option<()> {
        let bytes = self.src.as_bytes();
        if !bytes.get(self.pos + 2)?.is_ascii_alphabetic() {
            return None;
        }
        self.pos += 2;
        let name = self.tag_name();
        // Nothing but spaces between the name and `>`.
        while self.pos < bytes.len() && is_ws(bytes[self.pos]) {
            self.pos += 1;
        }
        if bytes.get(self.pos) != Some(&b'>') {
            return None;
        }
        self.pos += 1;
        self.close(&name)
    }

    fn close(&mut self, name: &str) -> Option<()> {
        match (self.mode, name) {
            (Mode::InHead, "head") => {
                self.stack.pop();
                self.mode = Mode::AfterHead;
                Some(())
            }
            (Mode::InBody, "body") if self.current_name() == "body" => {
                self.mode = Mode::AfterBody;
                Some(())
            }
            (Mode::InBody, "html") if self.current_name() == "body" => {
                self.mode = Mode::AfterHtml;
                Some(())
            }
            (Mode::AfterBody, "html") => {
                self.mode = Mode::AfterHtml;
                Some(())
            }
            (Mode::InBody, _) => {
                if name == "table"
                    && self.current().is_some()
                    && self.current() == self.virtual_tbody.last().copied()
                {
                    self.virtual_tbody.pop();
                    self.stack.pop();
                }
                if self.current_name() != name || matches!(name, "body" | "html") {
                    return None;
                }
                self.stack.pop();
                Some(())
            }
            _ => None,
        }
    }

    fn start_tag(&mut self) -> Option<()> {
        self.pos += 1;
        let name = self.tag_name();
        let attrs = self.attributes()?;
        match (self.mode, name.as_ref()) {
            (Mode::Initial, "html") => {
                self.push(Dom::DOCUMENT, name, attrs);
                self.mode = Mode::BeforeHead;
            }
            (Mode::BeforeHead, "head") => {
                self.push_current(name, attrs)?;
                self.mode = Mode::InHead;
            }
            (Mode::InHead, n) if class_of(n) & IN_HEAD != 0 => self.element(name, attrs)?,
            (Mode::AfterHead, "body") => {
                self.push_current(name, attrs)?;
                self.mode = Mode::InBody;
            }
            (Mode::InBody, _) if in_table_context(self.current_name()) => {
                self.table_start(name, attrs)?
            }
            (Mode::InBody, _) => self.body_start(name, attrs)?,
            _ => return None,
        }
        Some(())
    }

    /// A start tag in the body, by the standard's "in body" rules.
    fn body_start(&mut self, name: Cow<'a, str>, attrs: Attrs<'a>) -> Option<()> {
        let n = name.as_ref();
        let class = class_of(n);
        if class & IS_DECLINED != 0 || (class & CLOSES_A_P != 0 && self.open("p")) {
            return None;
        }
        let declined = match n {
            // An open item of the same list would be closed by the standard.
            "li" | "dd" | "dt" => self
                .stack
                .iter()
                .rev()
                .map(|(_, o)| o.as_ref())
                .take_while(|o| !LIST_BOUNDS.contains(o))
                .any(|o| matches!(o, "li" | "dd" | "dt")),
            "form" | "a" | "button" | "nobr" => self.open(n),
            _ if class & HEADING != 0 => self.stack.iter().any(|(_, o)| class_of(o) & HEADING != 0),
            _ => false,
        };
        if declined {
            return None;
        }
        let skip_lf = matches!(n, "pre" | "listing");
        self.element(name, attrs)?;
        self.skip_lf = skip_lf;
        Some(())
    }

    /// A start tag whose current node is a table, table section, row or column group: only
    /// what nests plainly there (rows, cells, scripts) is accepted.
    fn table_start(&mut self, name: Cow<'a, str>, attrs: Attrs<'a>) -> Option<()> {
        let current = self.current_name();
        match (current, name.as_ref()) {
            ("colgroup", _) => return None,
            (_, "script" | "style") => return self.element(name, attrs),
            ("table", "caption" | "colgroup" | "tbody" | "thead" | "tfoot")
            | ("tbody" | "thead" | "tfoot", "tr")
            | ("tr", "td" | "th") => {}
            ("table", "tr") => {
                let table = self.current()?;
                let tbody = self.push(table, Cow::Borrowed("tbody"), Vec::new());
                self.virtual_tbody.push(tbody);
            }
            _ => return None,
        }
        self.push_current(name, attrs).map(|_| ())
    }

    /// An element at the current node: raw text, RCDATA, void or opened.
    fn element(&mut self, name: Cow<'a, str>, attrs: Attrs<'a>) -> Option<()> {
        let n = name.as_ref();
        let class = class_of(n);
        let rcdata = class & IS_RCDATA != 0;
        if class & IS_RAW_TEXT != 0 || rcdata {
            let parent = self.current()?;
            let rest = &self.src[self.pos..];
            let end = find_end_tag(rest, n)?;
            let raw = &rest[..end];
            if n == "script" && raw.contains("<!--") && contains_ignore_ascii_case(raw, "<script") {
                return None;
            }
            let mut text = if rcdata {
                decode(raw, false)?
            } else {
                Cow::Borrowed(raw)
            };
            if n == "textarea" {
                text = without_first_newline(text);
            }
            // Past the end tag: `</name`, spaces, `>`.
            let after = &rest[end + 2 + n.len()..];
            let close = after.find('>')?;
            if !all_ws(&after[..close]) {
                return None;
            }
            self.pos += end + 2 + n.len() + close + 1;
            let el = self.push(parent, name, attrs);
            self.stack.pop();
            self.dom.append_text(el, text);
            return Some(());
        }
        let void = class & IS_VOID != 0;
        self.push_current(name, attrs)?;
        if void {
            self.stack.pop();
        }
        Some(())
    }

    fn push_current(&mut self, name: Cow<'a, str>, attrs: Attrs<'a>) -> Option<NodeId> {
        // Near the depth cap html5ever's copy flattens the tree: leave such pages to it.
        if self.stack.len() + 2 >= MAX_DEPTH {
            return None;
        }
        let parent = self.current()?;
        Some(self.push(parent, name, attrs))
    }

    fn push(&mut self, parent: NodeId, name: Cow<'a, str>, attrs: Attrs<'a>) -> NodeId {
        let id = self.dom.append(
            parent,
            Data::Element(Element {
                name: name.clone(),
                attrs,
            }),
        );
        self.stack.push((id, name));
        id
    }

    /// Attributes up to and including the tag's `>`; the first of duplicates is kept.
    fn attributes(&mut self) -> Option<Attrs<'a>> {
        let src = self.src;
        let bytes = src.as_bytes();
        let mut attrs: Attrs<'a> = Vec::new();
        loop {
            while self.pos < bytes.len() && (is_ws(bytes[self.pos]) || bytes[self.pos] == b'/') {
                self.pos += 1;
            }
            if *bytes.get(self.pos)? == b'>' {
                self.pos += 1;
                return Some(attrs);
            }
            let start = self.pos;
            self.pos += 1; // the first character may be `=`
            while self.pos < bytes.len()
                && !is_ws(bytes[self.pos])
                && !matches!(bytes[self.pos], b'/' | b'>' | b'=')
            {
                self.pos += 1;
            }
            let name = lower(&src[start..self.pos]);
            if name.contains(['"', '\'', '<']) {
                return None;
            }
            while self.pos < bytes.len() && is_ws(bytes[self.pos]) {
                self.pos += 1;
            }
            let value = if bytes.get(self.pos) == Some(&b'=') {
                self.pos += 1;
                while self.pos < bytes.len() && is_ws(bytes[self.pos]) {
                    self.pos += 1;
                }
                match *bytes.get(self.pos)? {
                    q @ (b'"' | b'\'') => {
                        let len = bytes[self.pos + 1..].iter().position(|&b| b == q)?;
                        let v = &src[self.pos + 1..self.pos + 1 + len];
                        self.pos += len + 2;
                        decode(v, true)?
                    }
                    b'>' => Cow::Borrowed(""),
                    _ => {
                        let start = self.pos;
                        while self.pos < bytes.len()
                            && !is_ws(bytes[self.pos])
                            && bytes[self.pos] != b'>'
                        {
                            self.pos += 1;
                        }
                        let v = &src[start..self.pos];
                        if v.contains(['"', '\'', '<', '=', '`']) {
                            return None;
                        }
                        decode(v, true)?
                    }
                }
            } else {
                Cow::Borrowed("")
            };
            if !attrs.iter().any(|(n, _)| *n == name) {
                attrs.push((name, value));
            }
        }
    }
}

type Attrs<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

/// ASCII lower case, borrowed when already lower.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The text without a newline at its start (the one right after `<pre>`, `<listing>` and
/// `<textarea>` is not content), borrowed when it was.
fn without_first_newline(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(t) => Cow::Borrowed(t.strip_prefix('\n').unwrap_or(t)),
        Cow::Owned(mut t) => {
            if t.starts_with('\n') {
                t.remove(0);
            }
            Cow::Owned(t)
        }
    }
}

/// Offset of `</name` followed by a space, `/` or `>` (any case) in `s`.
fn find_end_tag(s: &str, name: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(off) = s[i..].find("</") {
        let at = i + off;
        let after = at + 2 + name.len();
        if after <= bytes.len()
            && bytes[at + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && bytes
                .get(after)
                .is_some_and(|&b| is_ws(b) || matches!(b, b'/' | b'>'))
        {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

/// Character references decoded as html5ever does; `None` for the rare forms where its
/// result is not a plain substitution (C1 code points, `&#` without a number).
fn decode(s: &str, in_attribute: bool) -> Option<Cow<'_, str>> {
    let Some(first) = s.find('&') else {
        return Some(Cow::Borrowed(s));
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    let mut rest = &s[first..];
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (text, used) = reference(rest, in_attribute)?;
        match text {
            Some(t) => out.push_str(&t),
            None => out.push('&'),
        }
        rest = &rest[used..];
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

/// The reference at the start of `s` (which starts with `&`): its text (`None`: a literal
/// `&`) and the bytes used.
fn reference(s: &str, in_attribute: bool) -> Option<(Option<String>, usize)> {
    let bytes = s.as_bytes();
    if bytes.get(1) == Some(&b'#') {
        let hex = matches!(bytes.get(2), Some(b'x' | b'X'));
        let start = if hex { 3 } else { 2 };
        let len = bytes[start..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if len == 0 || len > 8 {
            return None;
        }
        let n = u32::from_str_radix(&s[start..start + len], if hex { 16 } else { 10 }).ok()?;
        let c = match n {
            0 | 0xD800..=0xDFFF | 0x11_0000.. => '\u{fffd}',
            0x80..=0x9F | 0x01..=0x08 | 0x0B | 0x0D..=0x1F | 0x7F => return None,
            _ => char::from_u32(n)?,
        };
        let semi = usize::from(bytes.get(start + len) == Some(&b';'));
        return Some((Some(c.to_string()), start + len + semi));
    }
    let alnum = bytes[1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if alnum == 0 {
        return Some((None, 1));
    }
    let with_semi = usize::from(bytes.get(1 + alnum) == Some(&b';'));
    // The longest name in the table that the text starts with.
    for len in (1..=alnum + with_semi).rev() {
        // The table also holds every prefix of a name, with code point 0.
        let Some(&(a, b)) = markup5ever::data::NAMED_ENTITIES
            .get(&s[1..1 + len])
            .filter(|(a, _)| *a != 0)
        else {
            continue;
        };
        let legacy = !s[1..1 + len].ends_with(';');
        if legacy && in_attribute {
            let next = bytes.get(1 + len);
            if next.is_some_and(|&c| c == b'=' || c.is_ascii_alphanumeric()) {
                return Some((None, 1));
            }
        }
        let mut t = String::new();
        t.push(char::from_u32(a)?);
        if b != 0 {
            t.push(char::from_u32(b)?);
        }
        return Some((Some(t), 1 + len));
    }
    Some((None, 1))
}
