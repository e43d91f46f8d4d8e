//! The fast HTML parser reads a page exactly as html5ever does, or declines it.
//!
//! `html::parse` reads well-formed pages with its own parser and hands every other page to
//! html5ever. These tests hold the two to the same `Page` (title, blocks with locators,
//! links, dates) on every HTML file of the repo's fixtures and the corpus, on thousands of
//! random edits of them (dropped end tags, stray tags, entities, cut pages), and on the
//! shapes where the HTML standard's tree is not plain nesting.

use std::path::{Path, PathBuf};

use mynawatch_extract::html;
use proptest::prelude::*;

const URL: &str = "https://www.city.example.lg.jp/kurashi/hoken/index.html";

fn is_html(p: &Path) -> bool {
    p.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("html") || x.eq_ignore_ascii_case("htm"))
}

/// Every HTML page of the fixtures, and of the corpus when it is present, decoded.
fn pages() -> Vec<(PathBuf, String)> {
    let mut files = mynawatch_testutil::files_under(&mynawatch_testutil::fixtures_dir());
    files.extend(mynawatch_testutil::files_under(
        &mynawatch_testutil::corpus_dir(),
    ));
    files
        .into_iter()
        .filter(|p| is_html(p))
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read page");
            let text = mynawatch_model::content::decode(&bytes, None).text;
            (p, text)
        })
        .collect()
}

fn assert_same(html: &str, what: &str) {
    let fast = html::parse(html, URL);
    let reference = html::parse_with_html5ever(html, URL);
    assert_eq!(fast, reference, "{what}: the page differs from html5ever's");
}

#[test]
fn every_page_of_the_fixtures_and_corpus_reads_as_html5ever_reads_it() {
    let pages = pages();
    assert!(pages.len() >= 40, "only {} pages found", pages.len());
    let mut fast = 0;
    for (path, html) in &pages {
        assert_same(html, &path.display().to_string());
        fast += usize::from(html::is_fast(html));
    }
    // Most pages a CMS writes are well formed: the fast parser must read them.
    assert!(
        fast * 2 > pages.len(),
        "the fast parser read {fast} of {} pages",
        pages.len()
    );
}

#[test]
fn the_real_mhlw_page_is_read_without_html5ever() {
    let page =
        mynawatch_testutil::corpus_dir().join("mhlw_pages/mhlw_newpage_67729_20260905T182241.html");
    let Ok(bytes) = std::fs::read(&page) else {
        eprintln!("SKIPPED: corpus absent (set MYNAWATCH_CORPUS)");
        return;
    };
    let html = mynawatch_model::content::decode(&bytes, None).text;
    assert!(html::is_fast(&html));
    let p = html::parse(&html, "https://www.mhlw.go.jp/stf/newpage_67729.html");
    assert!(p.links.len() > 200, "{} links", p.links.len());
}

/// Shapes where the standard's tree is not the nesting written, each as a CMS writes it.
#[test]
fn shapes_the_standard_repairs_read_as_html5ever_reads_them() {
    let shell = |body: &str| {
        format!(
            "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>保険証｜例市</title>\n</head>\n<body>\n<div id=\"main\">\n{body}\n</div>\n</body>\n</html>\n"
        )
    };
    let cases = [
        // Rows written straight into a table get a tbody in the locator.
        "<table><tr><th>対象</th><td>全員</td></tr>\n<tr><th>時期</th><td>7月下旬</td></tr></table>",
        "<table>\n<thead><tr><th>区分</th></tr></thead>\n<tr><td>75歳以上</td></tr>\n</table>",
        // List items and paragraphs without end tags.
        "<ul><li>保険証の方<li>資格確認書の方</ul>",
        "<p>一段落目<p>二段落目<div>ブロック</div>",
        "<dl><dt>送付時期<dd>7月中旬<dt>有効期限<dd>令和8年7月31日</dl>",
        // A div inside a paragraph closes it.
        "<p>本文<div>内側</div>続き</p>",
        // Misnested inline markup and a stray end tag.
        "<p><b>太字<i>斜体</b>残り</i></p></span>",
        // Text and a div directly in a table are moved before it.
        "<table>前置き<tr><td>セル</td></tr><div>外</div></table>",
        // Entities: named with and without semicolons, numeric, in text and attributes.
        "<p>A&amp;B &copy 2025 &notit; &#x5E74; &#24180; &nbsp;&hellip</p><a href=\"/x?a=1&copy=2&amp;b=3\">リンク</a>",
        "<p>&#128; &#0; &#xD800; &#</p>",
        // Foreign content, templates and selects.
        "<p><svg viewBox=\"0 0 1 1\"><path d=\"M0\"/></svg>アイコン</p><template><p>型</p></template>",
        "<form><select name=\"s\"><option>一<option>二</select></form><p>後</p>",
        // Raw text, comments, processing instructions, a pre's first newline.
        "<script><!-- document.write('<script>x</script>'); --></script><p>後</p>",
        "<!-- コメント --><?ra break?><p>前<!-->後</p><pre>\n整形済み</pre><textarea>\n入力</textarea>",
        // Upper-case tags of an older CMS.
        "<TABLE BORDER=1><TR><TD>令和7年7月</TD></TR></TABLE><P>本文</P>",
        // Nested links and headings.
        "<a href=\"/a\">外<a href=\"/b\">内</a></a><h2>見出し<h3>下位</h3></h2>",
        "<ruby>資格<rt>しかく</rt></ruby><p>確認書</p>",
    ];
    for (i, body) in cases.iter().enumerate() {
        assert_same(&shell(body), &format!("case {i}: {body}"));
    }
    // Pages without their html, head or body tags, cut short, or with text after the body.
    for page in [
        "<title>例</title><p>本文だけ</p>".to_string(),
        "<html><body><p>頭なし</p></body></html>".to_string(),
        shell("<p>途中で切れ").replace("</div>\n</body>\n</html>\n", ""),
        shell("<p>後</p>") + "<p>本文の後</p>",
        shell("<p>改行</p>").replace('\n', "\r\n"),
        format!("\u{feff}{}", shell("<p>BOM</p>")),
    ] {
        assert_same(&page, &page);
    }
}

/// Edits that break a page the way real pages are broken.
fn edit(html: &str, at: f64, kind: usize, len: usize) -> String {
    const INSERTS: &[&str] = &[
        "<p>",
        "</p>",
        "<li>",
        "</li>",
        "</div>",
        "<div>",
        "<tr>",
        "<td>",
        "</table>",
        "<b>",
        "</b>",
        "<a href=\"/x\">",
        "</a>",
        "&amp",
        "&",
        "<",
        "<!--",
        "-->",
        "<svg>",
        "<br/>",
        "<h2>",
        "<table>",
        "<select>",
        "</body>",
        "<dd>",
        "テキスト",
        "\r",
        "<SCRIPT>",
        "<!x>",
        "<p/>",
        "<input type=hidden>",
        "=\"",
        "'",
        "&#12",
        "<tbody>",
        "<caption>",
    ];
    let mut at = (html.len() as f64 * at) as usize;
    while !html.is_char_boundary(at) {
        at -= 1;
    }
    let mut end = (at + len).min(html.len());
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    match kind % 4 {
        0 => format!("{}{}", &html[..at], &html[end..]),
        1 => html[..at].to_string(),
        _ => format!(
            "{}{}{}",
            &html[..at],
            INSERTS[len % INSERTS.len()],
            &html[at..]
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn edited_pages_read_as_html5ever_reads_them(
        which in 0usize..1000,
        edits in prop::collection::vec((0.0f64..1.0, 0usize..4, 0usize..200), 1..4),
    ) {
        static PAGES: std::sync::OnceLock<Vec<(PathBuf, String)>> = std::sync::OnceLock::new();
        let pages = PAGES.get_or_init(pages);
        let (path, html) = &pages[which % pages.len()];
        let mut html = html.clone();
        for (at, kind, len) in &edits {
            html = edit(&html, *at, *kind, *len);
        }
        let fast = html::parse(&html, URL);
        let reference = html::parse_with_html5ever(&html, URL);
        prop_assert_eq!(fast, reference, "{} with edits {:?}", path.display(), edits);
    }
}

/// Pages made of random elements: every tag the rules treat specially, mostly nested with
/// their end tags, among stray start and end tags, text with entities and spaces, comments;
/// inside a well-formed shell or not. (Run by hand with 200,000 cases: 17,081 of them were
/// read by the fast parser, all the same as html5ever.)
fn token() -> impl Strategy<Value = String> {
    const TAGS: &[&str] = &[
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "tbody", "thead", "tr", "td",
        "th", "caption", "colgroup", "col", "a", "b", "i", "span", "h2", "h3", "br", "img", "hr",
        "pre", "textarea", "title", "script", "style", "noscript", "form", "button", "select",
        "option", "svg", "template", "ruby", "rt", "main", "section", "nav", "body", "head",
        "html", "input", "nobr", "font", "iframe", "xmp", "listing", "o:p", "TD", "P",
    ];
    const TEXTS: &[&str] = &[
        "本文",
        " ",
        "\n",
        "\n\n",
        "資格確認書を7月下旬に送付します。",
        "更新日：2025年7月16日",
        "&amp;",
        "&nbsp;",
        "&copy",
        "&notit;",
        "&#x5E74;",
        "&#24180;",
        "&lt;",
        "a < b",
        "&",
        "&zz;",
        "&#",
        "［PDF：123KB］",
        "\u{3000}",
        "\u{feff}",
        "\r\n",
        "<!-- c -->",
        "<?php x ?>",
        "<!DOCTYPE html>",
        "-->",
        "</",
        "</ >",
    ];
    const ATTRS: &[&str] = &[
        "",
        " id=\"main\"",
        " class=\"breadcrumb\"",
        " href=\"/a.pdf\"",
        " href=/b?x=1&copy=2",
        " role=main",
        " id=\"contents\" class=\"main-contents\"",
        " href=\"#top\"",
        " /",
        " rel=canonical href=\"https://e.jp/c\"",
        " ID=X",
        " class='a b'",
        " data-x=\"&amp;\"",
    ];
    let leaf = prop_oneof![
        4 => (0..TEXTS.len()).prop_map(|t| TEXTS[t].to_string()),
        1 => (0..TAGS.len(), 0..ATTRS.len()).prop_map(|(t, a)| format!("<{}{}>", TAGS[t], ATTRS[a])),
        1 => (0..TAGS.len()).prop_map(|t| format!("</{}>", TAGS[t])),
    ];
    // Mostly elements written out with their end tags, nested: the pages the fast parser
    // reads, with stray tokens among them.
    leaf.prop_recursive(4, 64, 6, |inner| {
        (
            0..TAGS.len(),
            0..ATTRS.len(),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(t, a, children)| {
                format!(
                    "<{}{}>{}</{}>",
                    TAGS[t],
                    ATTRS[a],
                    children.concat(),
                    TAGS[t]
                )
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn pages_of_random_nested_elements_read_as_html5ever_reads_them(
        tokens in prop::collection::vec(token(), 0..8),
        shell in any::<bool>(),
    ) {
        let body = tokens.concat();
        let html = if shell {
            format!("<!DOCTYPE html>\n<html>\n<head>\n<title>例</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n")
        } else {
            body
        };
        let fast = html::parse(&html, URL);
        let reference = html::parse_with_html5ever(&html, URL);
        prop_assert_eq!(fast, reference, "{:?}", html);
    }
}

#[test]
fn a_page_nested_five_thousand_deep_is_read_without_exhausting_the_stack() {
    let n = 5_000;
    let closed = format!(
        "<html><head><title>深い</title></head><body>{}本文{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let unclosed = format!("<p>前</p>{}後", "<div><span>".repeat(n));
    for html in [closed, unclosed] {
        // On a thread with a run's extraction stack (2 MiB), as `spawn_blocking` gives.
        let page = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || html::parse(&html, URL))
            .expect("thread")
            .join()
            .expect("no stack overflow");
        assert!(page.main_text().contains('後') || page.main_text().contains("本文"));
    }
}
