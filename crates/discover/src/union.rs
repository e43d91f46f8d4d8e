//! The 47 後期高齢者医療広域連合: finding each one's own site, then its notice.
//!
//! The list gives no 広域連合 site, so discovery looks for a link to it: first on the
//! prefecture's official site, then on the capital's municipal site (its 後期高齢者医療
//! page usually names the 広域連合). Each of those sites is crawled politely like a
//! municipal one (same fetcher, budget `union_hunt_budget`, links best first by
//! [`union_link_score`]), and the first page holding an off-site link that
//! [`union_candidate`] accepts (anchor naming a 後期高齢者医療広域連合) ends the search.
//! That link is the only off-site move discovery makes; it is recorded in the rows'
//! evidence. The 広域連合's host is then crawled like a municipal site for 後期 notices
//! only ([`crate::crawl`]).
//!
//! Status: `found` / `not_found` (its site has no notice, or no site linked it) /
//! `site_unreachable` (the linked site, or every site looked on, is down) /
//! `robots_denied` (the same, refused by robots.txt).

use mynawatch_extract::classify::{is_document_url, word_score, Scheme};
use mynawatch_fetch::Fetcher;
use mynawatch_model::MunicipalPage;

use crate::crawl::{analyse, crawl_site, page_key, site_key, Frontier, Got, Site};
use crate::list::Issuer;
use crate::DiscoverConfig;

/// Anchor words leading towards a 広域連合 link on a prefecture's or city's site.
const ANCHOR_WORDS: &[(&str, i32)] = &[
    ("後期高齢者医療広域連合", 30),
    ("広域連合", 12),
    ("後期高齢者", 10),
    ("長寿医療", 6),
    ("高齢者", 3),
    ("医療保険", 5),
    ("保険・年金", 5),
    ("健康保険", 2),
    ("医療", 2),
    ("健康", 1),
    ("福祉", 2),
    ("保険", 1),
    ("くらし", 1),
    ("暮らし", 1),
    ("観光", -3),
    ("English", -6),
    ("イベント", -2),
    ("入札", -2),
];

/// URL words for the same.
const URL_WORDS: &[(&str, i32)] = &[
    ("kouki", 5),
    ("koki", 3),
    ("kourei", 3),
    ("iryo", 1),
    ("hoken", 1),
    ("fukushi", 1),
    ("kenko", 1),
    ("/en/", -6),
    ("kanko", -3),
];

/// How promising an on-site link looks on the way to the 広域連合 link.
pub fn union_link_score(url: &str, anchor: &str) -> i32 {
    word_score(url, anchor, ANCHOR_WORDS, URL_WORDS)
}

/// An off-site link that is the 広域連合's own site: its anchor names a 広域連合 and
/// either 後期高齢者 or, on a host named for it (`kouki`, `koki`), nothing else. Other
/// 広域連合 (関西広域連合, a waste or fire-fighting union) are not it. Higher is surer.
pub fn union_candidate(url: &str, anchor: &str) -> Option<i32> {
    let text = mynawatch_ja::normalize(anchor);
    if !text.contains("広域連合") || is_document_url(url) {
        return None;
    }
    let host = url::Url::parse(url)
        .ok()?
        .host_str()
        .unwrap_or("")
        .to_ascii_lowercase();
    let named_host = host.contains("kouki") || host.contains("koki");
    if text.contains("後期高齢者") {
        Some(20 + i32::from(named_host) * 5)
    } else if named_host {
        Some(10)
    } else {
        None
    }
}

/// What looking on one site gave.
enum Hunt {
    Found {
        url: url::Url,
        anchor: String,
        from: String,
    },
    NotLinked,
    Robots,
    Unreachable(String),
}

/// Look for the 広域連合 link on the site at `start`; `fetched` counts requests.
async fn hunt(
    fetcher: &Fetcher,
    issuer: &Issuer,
    cfg: &DiscoverConfig,
    run_id: &str,
    start: &str,
    fetched: &mut usize,
) -> Hunt {
    let Ok(start) = url::Url::parse(start) else {
        return Hunt::Unreachable(format!("bad URL `{start}`"));
    };
    let mut site = Site::new(fetcher, cfg, run_id, issuer, &start);
    let result = hunt_on(&mut site, &start).await;
    *fetched += site.fetched;
    result
}

async fn hunt_on(site: &mut Site<'_>, start: &url::Url) -> Hunt {
    let (text, home) = match site.get(start.as_str()).await {
        Got::Text { text, final_url } => (text, final_url),
        Got::Robots => return Hunt::Robots,
        Got::Gone { error: e, .. } | Got::Failed(e) => {
            return Hunt::Unreachable(format!("{start}: {e}"))
        }
        Got::NotText => return Hunt::Unreachable(format!("{start}: not HTML")),
    };
    let k = site_key(home.host_str().unwrap_or(""));
    if !site.keys.contains(&k) {
        site.keys.push(k);
    }
    let mut frontier = Frontier::default();
    frontier.fetched.insert(page_key(start));
    frontier.fetched.insert(page_key(&home));
    let mut page = Some((text, home, 0u32));
    loop {
        if let Some((text, url, depth)) = page.take() {
            let (_, anchors) = analyse(text, &url).await;
            let mut best: Option<(i32, url::Url, String)> = None;
            for a in anchors {
                let Ok(u) = url::Url::parse(&a.url) else {
                    continue;
                };
                if !site.on_site(&u) {
                    if let Some(s) = union_candidate(u.as_str(), &a.text) {
                        if best.as_ref().is_none_or(|(b, _, _)| s > *b) {
                            best = Some((s, u, a.text.clone()));
                        }
                    }
                } else if depth < site.cfg.max_depth && !is_document_url(u.as_str()) {
                    let score = union_link_score(u.as_str(), &a.text);
                    frontier.push(u, score, depth + 1);
                }
            }
            if let Some((_, u, anchor)) = best {
                return Hunt::Found {
                    url: u,
                    anchor,
                    from: url.to_string(),
                };
            }
        }
        if site.fetched >= site.cfg.union_hunt_budget {
            return Hunt::NotLinked;
        }
        let Some(q) = frontier.queue.pop() else {
            return Hunt::NotLinked;
        };
        let Ok(qu) = url::Url::parse(&q.url) else {
            continue;
        };
        if !frontier.fetched.insert(page_key(&qu)) {
            continue;
        }
        if let Got::Text { text, final_url } = site.get(&q.url).await {
            if site.on_site(&final_url) {
                page = Some((text, final_url, q.depth.0));
            }
        }
    }
}

/// Discover one 広域連合 (see the module docs).
pub(crate) async fn crawl_union(
    fetcher: &Fetcher,
    issuer: &Issuer,
    cfg: &DiscoverConfig,
    run_id: &str,
) -> Vec<MunicipalPage> {
    let mut fetched = 0;
    let mut looked = Vec::new();
    let (mut reachable, mut denied) = (false, false);
    for start in std::iter::once(&issuer.url).chain(issuer.via.iter()) {
        match hunt(fetcher, issuer, cfg, run_id, start, &mut fetched).await {
            Hunt::Found { url, anchor, from } => {
                let how = format!("広域連合 site {url} linked as 「{anchor}」 from {from}");
                return union_rows(
                    crawl_site(fetcher, issuer, url.as_str(), &[Scheme::Kouki], cfg, run_id).await,
                    &how,
                    fetched,
                );
            }
            Hunt::NotLinked => {
                reachable = true;
                looked.push(format!("{start}: no link to the 広域連合"));
            }
            Hunt::Robots => {
                denied = true;
                looked.push(format!("{start}: robots.txt disallows"));
            }
            Hunt::Unreachable(e) => looked.push(e),
        }
    }
    let status = if reachable {
        "not_found"
    } else if denied {
        "robots_denied"
    } else {
        "site_unreachable"
    };
    vec![MunicipalPage {
        area_code: issuer.code.clone(),
        area_name: issuer.full_name.clone(),
        prefecture: issuer.prefecture.clone(),
        evidence: format!("広域連合 site not found: {}", looked.join("; ")),
        status: status.into(),
        site_url: issuer.url.clone(),
        pages_fetched: fetched as i64,
        discovered_at: fetcher.now(),
        run_id: run_id.to_string(),
        ..MunicipalPage::default()
    }]
}

/// The crawl of the 広域連合's site as its rows: 後期 only (a page naming no scheme is
/// 後期 there), the way the site was found in the evidence, the hunt's requests counted.
fn union_rows(rows: Vec<MunicipalPage>, how: &str, hunt_fetched: usize) -> Vec<MunicipalPage> {
    let any_found = rows.iter().any(|r| r.status == "found");
    let mut kept: Vec<MunicipalPage> = rows
        .iter()
        .filter(|r| r.status != "found" || r.scheme != Scheme::Kokuho.as_str())
        .cloned()
        .collect();
    if any_found && !kept.iter().any(|r| r.status == "found") {
        // Only 国保 pages: not a 広域連合 notice.
        let mut r = rows[0].clone();
        r.status = "not_found".into();
        r.scheme.clear();
        r.url.clear();
        r.score = 0;
        r.evidence = "only 国民健康保険 pages on the 広域連合's site".into();
        kept = vec![r];
    }
    if kept.iter().filter(|r| r.status == "found").count() > 1 {
        // Two found rows can only be 後期 and unclear: keep the surer.
        kept.sort_by_key(|r| std::cmp::Reverse(r.score));
        kept.truncate(1);
    }
    for r in &mut kept {
        if r.status == "found" {
            r.scheme = Scheme::Kouki.as_str().into();
        }
        r.pages_fetched += hunt_fetched as i64;
        r.evidence = if r.evidence.is_empty() {
            how.to_string()
        } else {
            format!("{}; {how}", r.evidence)
        };
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_link_naming_a_kouki_union_is_the_unions_site() {
        assert!(union_candidate(
            "https://www.tokyo-kouki.example.jp/",
            "東京都後期高齢者医療広域連合（外部リンク）"
        )
        .is_some());
        assert!(union_candidate("https://www.kouki-x.jp/", "広域連合のページ").is_some());
        // Other 広域連合 and plain 後期 pages are not it.
        assert_eq!(
            union_candidate("https://www.kouiki-kansai.jp/", "関西広域連合"),
            None
        );
        assert_eq!(
            union_candidate("https://www.x.jp/koki/", "後期高齢者医療制度"),
            None
        );
        assert_eq!(
            union_candidate("https://www.kouki-x.jp/a.pdf", "後期高齢者医療広域連合"),
            None
        );
    }

    #[test]
    fn links_towards_the_union_outrank_neutral_ones() {
        let koki = union_link_score("https://p.jp/kenko/koki/", "後期高齢者医療制度");
        let hoken = union_link_score("https://p.jp/kenko/", "健康・医療・福祉");
        let kanko = union_link_score("https://p.jp/kanko/", "観光・イベント");
        assert!(
            koki > hoken && hoken > 0 && kanko < 0,
            "{koki} {hoken} {kanko}"
        );
    }

    fn row(scheme: &str, score: i64) -> MunicipalPage {
        MunicipalPage {
            scheme: scheme.into(),
            status: "found".into(),
            url: format!("http://u/{scheme}"),
            score,
            evidence: "e".into(),
            ..MunicipalPage::default()
        }
    }

    #[test]
    fn a_unions_rows_are_kouki_only_and_say_how_the_site_was_found() {
        let r = union_rows(vec![row("koki", 20), row("kokuho", 30)], "via p", 4);
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].scheme.as_str(), r[0].pages_fetched), ("koki", 4));
        assert_eq!(r[0].evidence, "e; via p");
        let r = union_rows(vec![row("", 15)], "via p", 0);
        assert_eq!(r[0].scheme, "koki");
        let r = union_rows(vec![row("kokuho", 30)], "via p", 0);
        assert_eq!(r[0].status, "not_found");
    }
}
