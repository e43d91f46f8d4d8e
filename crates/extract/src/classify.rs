//! Discovery's page classifier: is this page a municipality's current notice about
//! 資格確認書 (or 資格情報のお知らせ), for which scheme (国保 or 後期高齢者医療), how sure
//! are we, and which sentence says so. Also the pure helpers the crawler needs: every
//! link of a page, a link's score (anchor text and URL words), sitemap and robots.txt
//! `Sitemap:` lines.
//!
//! Pure like a family: text in, values out. The deciding rules are the
//! `municipal_notice` family's own (run through its text layer), so discovery keeps a
//! page exactly when the watcher can read it; the classifier adds what tells a notice
//! from the pages around it: where 資格確認書 appears (title and headings weigh most),
//! whether the page is a list of links (an index or news list that only names the
//! notice), and whether the page says it is over (`終了`, `掲載終了`).

use std::sync::OnceLock;

use mynawatch_model::SnapshotMeta;
use scraper::{Html, Selector};

use crate::families::MunicipalNotice;
use crate::{html, Family, Input};

/// The insurance scheme a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// 国民健康保険 (the municipality is the insurer).
    Kokuho,
    /// 後期高齢者医療 (the prefecture's 広域連合 is the insurer; the municipality mails).
    Kouki,
}

impl Scheme {
    /// The value stored in `municipal_pages.scheme`, as in `notices.scheme`: `kokuho`, `koki`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Kokuho => "kokuho",
            Scheme::Kouki => "koki",
        }
    }

    /// The Japanese name (`国民健康保険`, `後期高齢者医療`).
    pub fn label(self) -> &'static str {
        match self {
            Scheme::Kokuho => "国民健康保険",
            Scheme::Kouki => "後期高齢者医療",
        }
    }

    /// Parse [`Scheme::as_str`] back.
    pub fn parse(s: &str) -> Option<Scheme> {
        match s {
            "kokuho" => Some(Scheme::Kokuho),
            "koki" => Some(Scheme::Kouki),
            _ => None,
        }
    }
}

/// What the classifier decided about one page.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The page is a current notice about 資格確認書 / 資格情報のお知らせ.
    pub is_notice: bool,
    /// The scheme, when the page says which.
    pub scheme: Option<Scheme>,
    /// Higher is surer; [`NOTICE_THRESHOLD`] and up is a notice.
    pub score: i32,
    /// The sentence (or title) that decided it, plus the signals that counted.
    pub evidence: String,
    /// The page's `<title>`.
    pub title: String,
}

/// The least score of a notice.
pub const NOTICE_THRESHOLD: i32 = 10;

const TOPIC: &[&str] = &["資格確認書", "資格情報のお知らせ"];
const ISSUE_VERBS: &[&str] = &[
    "送付",
    "発送",
    "郵送",
    "交付",
    "お送り",
    "お届け",
    "届き",
    "更新",
];
const OVER: &[&str] = &[
    "終了しました",
    "掲載終了",
    "受付終了",
    "【終了】",
    "（終了）",
];

/// Classify a decoded HTML page fetched from `url`.
pub fn classify_html(html_text: &str, url: &str) -> Verdict {
    let page = html::parse(html_text, url);
    let anchors: Vec<String> = links(html_text, url)
        .into_iter()
        .map(|l| norm(&l.text))
        .filter(|t| !t.is_empty())
        .collect();
    let blocks: Vec<(String, bool)> = page
        .blocks
        .iter()
        .map(|b| (norm(&b.text), b.is_heading()))
        .collect();
    // The share of main text that is link text: index and news pages are mostly links.
    let total: usize = blocks
        .iter()
        .map(|(t, _)| t.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    let plain: usize = blocks
        .iter()
        .map(|(t, _)| {
            let mut rest = t.clone();
            for a in anchors.iter().filter(|a| a.chars().count() > 1) {
                rest = rest.replace(a.as_str(), "");
            }
            rest.chars().filter(|c| !c.is_whitespace()).count()
        })
        .sum();
    let link_share = if total == 0 {
        0.0
    } else {
        1.0 - plain as f64 / total as f64
    };
    let headings: Vec<String> = blocks
        .iter()
        .filter(|(_, h)| *h)
        .map(|(t, _)| t.clone())
        .collect();
    let text = page.main_text();
    classify_parts(&norm(&page.title), &headings, &text, link_share)
}

/// Classify from the parts of a page: title, headings, main text, and the share of the
/// main text that is link text (0 for plain text such as a PDF's).
pub fn classify_parts(title: &str, headings: &[String], text: &str, link_share: f64) -> Verdict {
    let ntext = norm(text);
    let mut score = 0;
    let mut signals: Vec<String> = Vec::new();
    let in_title = TOPIC.iter().any(|t| title.contains(t));
    let in_heading = headings.iter().any(|h| TOPIC.iter().any(|t| h.contains(t)));
    if in_title {
        score += 6;
        signals.push("title".into());
    }
    if in_heading {
        score += 3;
        signals.push("heading".into());
    }
    let mentions: usize = TOPIC.iter().map(|t| ntext.matches(t).count()).sum();
    score += mentions.min(5) as i32;
    if mentions > 0 {
        signals.push(format!("mentions={mentions}"));
    }
    let sents = crate::text::sentences(&ntext);
    let issuing = sents
        .iter()
        .find(|s| TOPIC.iter().any(|t| s.contains(t)) && ISSUE_VERBS.iter().any(|v| s.contains(v)));
    if issuing.is_some() {
        score += 3;
        signals.push("issuance".into());
    }
    // The watcher's own rules: a policy sentence, validity or mailing dates.
    let rules = notice_rules(text);
    let mut evidence = String::new();
    if let Some(n) = &rules {
        if n.issuance_policy != "unknown" && !n.issuance_policy.is_empty() {
            score += 4;
            signals.push(format!("policy={}", n.issuance_policy));
            evidence = n.policy_evidence.clone();
        }
        if n.valid_until.is_some() || n.mailing_start.is_some() {
            score += 2;
            signals.push("dates".into());
        }
    }
    if link_share > 0.5 {
        score -= 12;
        signals.push(format!("link_list={link_share:.2}"));
    }
    let over_title = OVER.iter().any(|o| title.contains(o))
        || headings
            .first()
            .is_some_and(|h| OVER.iter().any(|o| h.contains(o)));
    if over_title {
        score -= 12;
        signals.push("over".into());
    }
    if !in_title && !in_heading && mentions < 3 {
        // A passing mention (`資格確認書についてはこちら`) on a page about something else.
        score = score.min(NOTICE_THRESHOLD - 1);
    }
    if evidence.is_empty() {
        evidence = issuing.cloned().unwrap_or_else(|| title.to_string());
    }
    let scheme = scheme_of(title, headings, &ntext);
    Verdict {
        is_notice: score >= NOTICE_THRESHOLD && mentions > 0,
        scheme,
        score,
        evidence: format!("{} [{}]", evidence, signals.join(",")),
        title: title.to_string(),
    }
}

/// 後期 when the title or a heading says 後期高齢者, 国保 when it says 国民健康保険 or 国保;
/// otherwise the scheme the text names more often; `None` when it names neither.
fn scheme_of(title: &str, headings: &[String], text: &str) -> Option<Scheme> {
    let kouki = |s: &str| s.contains("後期高齢者");
    let kokuho = |s: &str| s.contains("国民健康保険") || s.contains("国保");
    for s in std::iter::once(title).chain(headings.iter().map(String::as_str)) {
        match (kokuho(s), kouki(s)) {
            (true, false) => return Some(Scheme::Kokuho),
            (false, true) => return Some(Scheme::Kouki),
            _ => {}
        }
    }
    let k = text.matches("国民健康保険").count() + text.matches("国保").count();
    let o = text.matches("後期高齢者").count();
    match (k, o) {
        (0, 0) => None,
        (k, o) if k >= o => Some(Scheme::Kokuho),
        _ => Some(Scheme::Kouki),
    }
}

fn notice_rules(text: &str) -> Option<mynawatch_model::Notice> {
    let meta = SnapshotMeta::for_file("discover", "about:blank", String::new());
    let options = serde_json::Value::Null;
    let input = Input {
        bytes: text.as_bytes(),
        meta: &meta,
        options: &options,
    };
    let x = MunicipalNotice.extract_text(text, &input)?.ok()?;
    x.rows.notices.into_iter().next()
}

fn norm(s: &str) -> String {
    mynawatch_ja::normalize(s).trim().to_string()
}

/// One `<a href>` of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Absolute URL, fragment removed.
    pub url: String,
    /// Link text (or the `alt` of an image inside), whitespace-collapsed.
    pub text: String,
}

/// Every link of the page (navigation included: that is how a site is crawled), in
/// document order, absolute, without fragments; `javascript:` and `mailto:` dropped.
pub fn links(html_text: &str, base_url: &str) -> Vec<Anchor> {
    static A: OnceLock<Selector> = OnceLock::new();
    static IMG: OnceLock<Selector> = OnceLock::new();
    let a = A.get_or_init(|| Selector::parse("a[href], area[href]").expect("selector"));
    let img = IMG.get_or_init(|| Selector::parse("img[alt]").expect("selector"));
    let doc = Html::parse_document(html_text);
    let Ok(base) = url::Url::parse(base_url) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in doc.select(a) {
        let Some(href) = e.value().attr("href") else {
            continue;
        };
        let Ok(mut u) = base.join(href.trim()) else {
            continue;
        };
        if !matches!(u.scheme(), "http" | "https") {
            continue;
        }
        u.set_fragment(None);
        let mut text = html::collapse(&e.text().collect::<String>());
        if text.is_empty() {
            text = e
                .select(img)
                .filter_map(|i| i.value().attr("alt"))
                .collect::<Vec<_>>()
                .join(" ");
        }
        if text.is_empty() {
            text = e.value().attr("title").unwrap_or("").to_string();
        }
        out.push(Anchor {
            url: u.to_string(),
            text,
        });
    }
    out
}

/// Anchor words and their weights (normalized text).
const ANCHOR_WORDS: &[(&str, i32)] = &[
    ("資格確認書", 12),
    ("資格情報", 8),
    ("マイナ保険証", 4),
    ("国民健康保険", 7),
    ("国保", 6),
    ("後期高齢者", 6),
    ("保険・年金", 5),
    ("保険と年金", 5),
    ("年金・保険", 5),
    ("健康保険", 3),
    ("保険証", 4),
    ("医療保険", 3),
    ("保険", 1),
    ("年金", 1),
    ("くらし", 1),
    ("暮らし", 1),
    ("手続", 1),
    ("介護", -3),
    ("English", -6),
    ("イベント", -2),
    ("観光", -3),
];

/// URL words and their weights (lower-case URL).
const URL_WORDS: &[(&str, i32)] = &[
    ("shikaku", 6),
    ("kakuninsho", 6),
    ("kokuho", 6),
    ("kokuminkenko", 5),
    ("kokumin", 3),
    ("kouki", 5),
    ("koki", 3),
    ("hoken", 2),
    ("mynahoken", 3),
    ("nenkin", 1),
    ("kenko", 1),
    ("kurashi", 1),
    ("/en/", -6),
    ("english", -6),
    ("kanko", -3),
    ("kaigo", -3),
];

/// How promising a link looks for finding a notice: anchor words (国民健康保険, 国保,
/// 保険・年金, 資格確認書, マイナ保険証, 後期高齢者 …) and URL words (`kokuho`, `kouki`,
/// `shikaku` …). Zero for a neutral link; negative for links away from the topic.
pub fn link_score(url: &str, anchor: &str) -> i32 {
    word_score(url, anchor, ANCHOR_WORDS, URL_WORDS)
}

/// The sum of the weights of the words the (normalized) anchor text and the (lower-cased)
/// URL contain: the scoring of [`link_score`], with other word lists (discovery's walk to
/// a 広域連合 site uses its own).
pub fn word_score(
    url: &str,
    anchor: &str,
    anchor_words: &[(&str, i32)],
    url_words: &[(&str, i32)],
) -> i32 {
    let text = mynawatch_ja::normalize(anchor);
    let lower = url.to_ascii_lowercase();
    let hits = |words: &[(&str, i32)], hay: &str| -> i32 {
        words
            .iter()
            .filter(|(w, _)| hay.contains(w))
            .map(|(_, s)| s)
            .sum()
    };
    hits(anchor_words, &text) + hits(url_words, &lower)
}

/// True for URLs the crawler never fetches as pages (documents, images, archives).
pub fn is_document_url(url: &str) -> bool {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    [
        ".pdf", ".xlsx", ".xls", ".docx", ".doc", ".zip", ".jpg", ".jpeg", ".png", ".gif", ".csv",
        ".pptx", ".ppt", ".mp4", ".mp3", ".svg", ".ics", ".rtf", ".txt", ".js", ".css",
    ]
    .iter()
    .any(|e| path.ends_with(e))
}

/// The `<loc>` URLs of a sitemap or sitemap index (the caller tells them apart by
/// [`is_sitemap_index`]).
pub fn sitemap_urls(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<loc>") {
        let after = &rest[i + 5..];
        let Some(j) = after.find("</loc>") else {
            break;
        };
        let loc = after[..j].trim().replace("&amp;", "&");
        if !loc.is_empty() {
            out.push(loc);
        }
        rest = &after[j + 6..];
    }
    out
}

/// True for a `<sitemapindex>` (its `<loc>`s are further sitemaps).
pub fn is_sitemap_index(xml: &str) -> bool {
    xml.contains("<sitemapindex")
}

/// The `Sitemap:` lines of a robots.txt.
pub fn robots_sitemaps(robots: &str) -> Vec<String> {
    robots
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("sitemap")
                .then(|| v.trim().to_string())
        })
        .filter(|v| !v.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>{title}</title></head>\
             <body><nav><a href=\"/\">トップ</a><a href=\"/kurashi/\">くらし</a></nav>\
             <main>{body}</main><footer>市役所</footer></body></html>"
        )
    }

    #[test]
    fn a_kokuho_notice_with_policy_and_dates_is_a_notice_with_its_policy_sentence() {
        let html = page(
            "国民健康保険の資格確認書を送付します｜例市",
            "<h1>国民健康保険 資格確認書の送付について</h1>\
             <p>令和7年7月中旬に、マイナ保険証の保有の有無にかかわらず、加入者全員に資格確認書を簡易書留で送付します。</p>\
             <p>資格確認書の有効期限は令和8年7月31日です。</p>",
        );
        let v = classify_html(&html, "http://www.city.example.lg.jp/kurashi/a.html");
        assert!(v.is_notice, "{v:?}");
        assert_eq!(v.scheme, Some(Scheme::Kokuho));
        assert!(v.evidence.contains("加入者全員"), "{}", v.evidence);
        assert!(v.evidence.contains("policy=all_insured"), "{}", v.evidence);
    }

    #[test]
    fn a_kouki_notice_is_classified_as_kouki_by_its_heading() {
        let html = page(
            "資格確認書について",
            "<h1>後期高齢者医療制度の資格確認書について</h1>\
             <p>マイナ保険証をお持ちでない方には、令和7年7月下旬に資格確認書をお送りします。</p>\
             <p>国民健康保険から移られた方も対象です。</p>",
        );
        let v = classify_html(&html, "http://x.example.jp/a.html");
        assert!(v.is_notice, "{v:?}");
        assert_eq!(v.scheme, Some(Scheme::Kouki));
    }

    #[test]
    fn a_news_list_that_only_names_the_notice_is_not_a_notice() {
        let html = page(
            "新着情報",
            "<h1>新着情報</h1><ul>\
             <li><a href=\"/a.html\">国民健康保険資格確認書の送付について</a></li>\
             <li><a href=\"/b.html\">資格確認書の有効期限について</a></li>\
             <li><a href=\"/c.html\">後期高齢者医療の資格確認書を送付します</a></li>\
             <li><a href=\"/d.html\">資格確認書とは</a></li></ul>",
        );
        let v = classify_html(&html, "http://x.example.jp/news/");
        assert!(!v.is_notice, "{v:?}");
    }

    #[test]
    fn a_page_that_mentions_the_certificate_in_passing_is_not_a_notice() {
        let html = page(
            "マイナ保険証の利用登録について",
            "<h1>マイナ保険証を使いましょう</h1><p>マイナンバーカードを保険証として利用するには登録が必要です。</p>\
             <p>お持ちでない方への資格確認書の送付は別のページでご案内しています。</p>",
        );
        let v = classify_html(&html, "http://x.example.jp/myna.html");
        assert!(!v.is_notice, "{v:?}");
    }

    #[test]
    fn a_notice_marked_as_over_is_not_a_current_notice() {
        let html = page(
            "【受付終了】資格確認書の臨時窓口について",
            "<h1>【受付終了】資格確認書の臨時窓口について</h1>\
             <p>資格確認書の交付のための臨時窓口は受付終了しました。</p>",
        );
        let v = classify_html(&html, "http://x.example.jp/old.html");
        assert!(!v.is_notice, "{v:?}");
    }

    #[test]
    fn links_are_absolute_without_fragments_and_skip_javascript() {
        let html = "<html><body><a href=\"../kokuho/index.html#top\">国保</a>\
                    <a href=\"javascript:void(0)\">x</a><a href=\"mailto:a@b\">m</a>\
                    <a href=\"/b.html\"><img alt=\"保険・年金\" src=\"i.png\"></a></body></html>";
        let l = links(html, "http://h.example.jp/kurashi/a.html");
        assert_eq!(
            l,
            vec![
                Anchor {
                    url: "http://h.example.jp/kokuho/index.html".into(),
                    text: "国保".into()
                },
                Anchor {
                    url: "http://h.example.jp/b.html".into(),
                    text: "保険・年金".into()
                }
            ]
        );
    }

    #[test]
    fn link_scores_rank_insurance_links_above_neutral_and_tourism_links() {
        let notice = link_score("http://h/kurashi/kokuho/shikaku.html", "資格確認書の送付");
        let section = link_score("http://h/kurashi/hoken/", "保険・年金");
        let neutral = link_score("http://h/shisei/", "市政情報");
        let away = link_score("http://h/kanko/", "観光イベント");
        assert!(notice > section && section > neutral && neutral > away);
        assert_eq!(neutral, 0);
    }

    #[test]
    fn sitemaps_and_robots_lines_are_read() {
        let xml =
            "<?xml version=\"1.0\"?><urlset><url><loc>http://h/a.html?x=1&amp;y=2</loc></url>\
                   <url><loc> http://h/b.html </loc></url></urlset>";
        assert_eq!(
            sitemap_urls(xml),
            vec!["http://h/a.html?x=1&y=2", "http://h/b.html"]
        );
        assert!(!is_sitemap_index(xml));
        assert_eq!(
            robots_sitemaps("User-agent: *\nDisallow:\nSitemap: http://h/sitemap.xml\n"),
            vec!["http://h/sitemap.xml"]
        );
        assert!(is_document_url("http://h/a/list.PDF"));
        assert!(!is_document_url("http://h/a/list.html"));
    }
}
