//! One site's crawl: home page and sitemaps in, the best notice page per scheme out.
//!
//! Every request goes through the shared [`Fetcher`], so robots.txt, the per-host
//! interval, one request in flight per host and the global cap hold here as in a run.
//! On top of that the crawl keeps a page budget per site and a depth limit, fetches
//! links best first ([`link_score`]: anchor and URL words), never leaves the site (its
//! own host, the host its home page moved to, and sibling hosts such as `www02.` of the
//! same name; `http`/`https` alike), and stops early once it holds a sure notice and no
//! promising link is left. Lists go stale: a listed page that answers 404 or 410 on a
//! site that is up is replaced by the site's root, and the rows say so.
//!
//! A 後期高齢者医療広域連合 is crawled the same way once its site is known; finding that
//! site (the one off-site move discovery makes) is [`crate::union`]'s.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};

use mynawatch_extract::classify::{
    classify_html, is_document_url, is_sitemap_index, link_score, links, robots_sitemaps,
    sitemap_urls, Anchor, Scheme, Verdict,
};
use mynawatch_fetch::{FetchRequest, Fetcher};
use mynawatch_model::content::{decode, sniff, Expected, Sniffed};
use mynawatch_model::{FetchOutcome, MunicipalPage};

use crate::list::{Issuer, IssuerKind};
use crate::DiscoverConfig;

/// A fetched page's text, or why there is none.
pub(crate) enum Got {
    Text {
        text: String,
        final_url: url::Url,
    },
    Robots,
    /// The server answered that the page is not there (`404 Not Found` or `410 Gone`):
    /// the site is up, the page is not.
    Gone {
        status: u16,
        error: String,
    },
    Failed(String),
    NotText,
}

pub(crate) struct Site<'a> {
    pub(crate) fetcher: &'a Fetcher,
    pub(crate) cfg: &'a DiscoverConfig,
    pub(crate) run_id: &'a str,
    pub(crate) source_id: String,
    pub(crate) keys: Vec<String>,
    pub(crate) fetched: usize,
}

impl<'a> Site<'a> {
    /// A crawl of `issuer`'s site starting at `start` (its host is the first site key).
    pub(crate) fn new(
        fetcher: &'a Fetcher,
        cfg: &'a DiscoverConfig,
        run_id: &'a str,
        issuer: &Issuer,
        start: &url::Url,
    ) -> Site<'a> {
        Site {
            fetcher,
            cfg,
            run_id,
            source_id: format!("discover_{}", issuer.code),
            keys: vec![site_key(start.host_str().unwrap_or(""))],
            fetched: 0,
        }
    }

    pub(crate) async fn get(&mut self, url: &str) -> Got {
        self.fetched += 1;
        let resp = self
            .fetcher
            .fetch(FetchRequest {
                run_id: self.run_id.to_string(),
                source_id: self.source_id.clone(),
                url: url.to_string(),
                expected: Expected::Any,
                validators: None,
                politeness: None,
            })
            .await;
        match (resp.record.outcome, resp.body) {
            (FetchOutcome::SkippedRobots, _) => Got::Robots,
            (FetchOutcome::Fetched, Some(body)) => {
                if !matches!(sniff(&body), Sniffed::Html | Sniffed::Xml | Sniffed::Text) {
                    return Got::NotText;
                }
                let text = decode(&body, resp.record.content_type.as_deref()).text;
                let final_url = url::Url::parse(&resp.record.final_url)
                    .or_else(|_| url::Url::parse(url))
                    .expect("fetched URLs parse");
                Got::Text { text, final_url }
            }
            (_, _) => {
                let error = resp.record.error.unwrap_or_else(|| "no body".into());
                match resp.record.status_code {
                    Some(status @ (404 | 410)) => Got::Gone { status, error },
                    _ => Got::Failed(error),
                }
            }
        }
    }

    pub(crate) fn on_site(&self, u: &url::Url) -> bool {
        matches!(u.scheme(), "http" | "https")
            && u.host_str()
                .is_some_and(|h| self.keys.iter().any(|k| site_key(h) == *k))
    }
}

/// A host without its `www.`/`www2.`/`www02.` label: hosts with the same key are one site.
pub fn site_key(host: &str) -> String {
    let host = host.to_ascii_lowercase();
    if let Some((first, rest)) = host.split_once('.') {
        let digits = first.trim_start_matches("www");
        if first.starts_with("www")
            && digits.bytes().all(|b| b.is_ascii_digit())
            && rest.contains('.')
        {
            return rest.to_string();
        }
    }
    host
}

/// One URL per page: no fragment, no scheme, `index.html` folded into its folder.
pub(crate) fn page_key(u: &url::Url) -> String {
    let path = u.path();
    let path = path
        .strip_suffix("index.html")
        .or_else(|| path.strip_suffix("index.htm"))
        .unwrap_or(path);
    format!(
        "{}{}{}",
        u.host_str().unwrap_or(""),
        path,
        u.query().map(|q| format!("?{q}")).unwrap_or_default()
    )
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Queued {
    pub(crate) score: i32,
    pub(crate) depth: Reverse<u32>,
    seq: Reverse<u64>,
    pub(crate) url: String,
}

/// Pages to fetch, best first. A page queued again through a better link (higher
/// score or fewer clicks) moves up; a fetched page never comes back.
#[derive(Default)]
pub(crate) struct Frontier {
    pub(crate) queue: BinaryHeap<Queued>,
    /// Best (score, depth) each page was queued with.
    queued: HashMap<String, (i32, u32)>,
    pub(crate) fetched: HashSet<String>,
    seq: u64,
}

impl Frontier {
    pub(crate) fn push(&mut self, u: url::Url, score: i32, depth: u32) {
        let key = page_key(&u);
        if self.fetched.contains(&key) {
            return;
        }
        let best = match self.queued.get(&key) {
            Some(&(s, d)) if s >= score && d <= depth => return,
            Some(&(s, d)) => (s.max(score), d.min(depth)),
            None => (score, depth),
        };
        self.queued.insert(key, best);
        self.seq += 1;
        self.queue.push(Queued {
            score: best.0,
            depth: Reverse(best.1),
            seq: Reverse(self.seq),
            url: u.to_string(),
        });
    }
}

/// Classify a page and list its links, off the async workers (parsing is CPU work, and
/// a starved runtime would delay every other site's requests and responses).
pub(crate) async fn analyse(text: String, url: &url::Url) -> (Verdict, Vec<Anchor>) {
    let u = url.to_string();
    tokio::task::spawn_blocking(move || (classify_html(&text, &u), links(&text, &u)))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

/// Crawl one issuer's site; one row per scheme found, or one row saying why none.
/// A 広域連合's site is first looked for from its prefecture's site ([`crate::union`]).
pub async fn crawl(
    fetcher: &Fetcher,
    issuer: &Issuer,
    cfg: &DiscoverConfig,
    run_id: &str,
) -> Vec<MunicipalPage> {
    match issuer.kind {
        IssuerKind::Municipality => {
            crawl_site(
                fetcher,
                issuer,
                &issuer.url,
                &[Scheme::Kokuho, Scheme::Kouki],
                cfg,
                run_id,
            )
            .await
        }
        IssuerKind::KoukiUnion => crate::union::crawl_union(fetcher, issuer, cfg, run_id).await,
    }
}

/// The page a crawl starts from, where it landed, and a note when it is not the listed
/// page; or the row's status and evidence when there is none.
///
/// Lists go stale: when the listed page answers 404 or 410 (the site is up, the page is
/// gone) and is not the site's root, the root is asked for instead (robots.txt still
/// applies to it). Any other failure, and a host that does not answer at all, ends there.
async fn home_page(
    site: &mut Site<'_>,
    issuer: &Issuer,
    start: &url::Url,
) -> Result<(String, url::Url, Option<String>), (&'static str, String)> {
    let (status, error) = match site.get(start.as_str()).await {
        Got::Text { text, final_url } => return Ok((text, final_url, None)),
        Got::Robots => return Err(("robots_denied", format!("robots.txt disallows {start}"))),
        Got::Failed(e) => return Err(("site_unreachable", e)),
        Got::NotText => return Err(("site_unreachable", "the home page is not HTML".into())),
        Got::Gone { status, error } => (status, error),
    };
    let mut listed = start.clone();
    listed.set_fragment(None);
    let root = match start.join("/") {
        Ok(root) if root != listed => root,
        _ => return Err(("site_unreachable", error)),
    };
    let gone = format!("listed page {start} answered {status}");
    match site.get(root.as_str()).await {
        Got::Text { text, final_url } => {
            tracing::info!(
                code = %issuer.code, listed = %start, status, root = %root,
                "listed page gone; crawling from the site root"
            );
            let note = format!("{gone}; crawled from the site root {root}");
            Ok((text, final_url, Some(note)))
        }
        Got::Robots => Err((
            "robots_denied",
            format!("{gone}; robots.txt disallows the site root {root}"),
        )),
        Got::Gone { error: e, .. } | Got::Failed(e) => {
            tracing::info!(
                code = %issuer.code, listed = %start, status, root = %root, error = %e,
                "listed page gone and the site root failed too"
            );
            Err((
                "site_unreachable",
                format!("{gone}, and the site root {root} failed too: {e}"),
            ))
        }
        Got::NotText => Err((
            "site_unreachable",
            format!("{gone}, and the site root {root} is not HTML"),
        )),
    }
}

/// Crawl the site at `start_url` for `issuer`'s notices of the `wanted` schemes (the first
/// is the one whose sure notice lets the crawl stop early; all sure ends it). When the
/// listed page is gone the crawl starts from the site root ([`home_page`]): the rows then
/// name the root in `redirected_to` and say why in their evidence; `site_url` stays the
/// listed URL.
pub(crate) async fn crawl_site(
    fetcher: &Fetcher,
    issuer: &Issuer,
    start_url: &str,
    wanted: &[Scheme],
    cfg: &DiscoverConfig,
    run_id: &str,
) -> Vec<MunicipalPage> {
    let row = |status: &str, evidence: String, fetched: usize, moved: &str| MunicipalPage {
        area_code: issuer.code.clone(),
        area_name: issuer.full_name.clone(),
        prefecture: issuer.prefecture.clone(),
        scheme: String::new(),
        url: String::new(),
        score: 0,
        evidence,
        status: status.to_string(),
        site_url: start_url.to_string(),
        redirected_to: moved.to_string(),
        pages_fetched: fetched as i64,
        discovered_at: fetcher.now(),
        run_id: run_id.to_string(),
    };
    let Ok(start) = url::Url::parse(start_url) else {
        return vec![row(
            "site_unreachable",
            format!("bad URL `{start_url}`"),
            0,
            "",
        )];
    };
    let mut site = Site::new(fetcher, cfg, run_id, issuer, &start);
    let (home_text, home, stale) = match home_page(&mut site, issuer, &start).await {
        Ok(h) => h,
        Err((status, evidence)) => return vec![row(status, evidence, site.fetched, "")],
    };
    let moved_host = home.host_str() != start.host_str();
    if moved_host {
        let k = site_key(home.host_str().unwrap_or(""));
        if !site.keys.contains(&k) {
            site.keys.push(k);
        }
        tracing::info!(code = %issuer.code, from = %start, to = %home, "site moved");
    }
    // Crawled from somewhere else than the listed page: the row says where.
    let moved = if moved_host || stale.is_some() {
        home.to_string()
    } else {
        String::new()
    };
    // Every row of a crawl that started from the site root says why.
    let noted = |evidence: String| match &stale {
        Some(note) if evidence.is_empty() => note.clone(),
        Some(note) => format!("{evidence}; {note}"),
        None => evidence,
    };

    let mut frontier = Frontier::default();
    let mut best: BTreeMap<Option<Scheme>, (Verdict, String)> = BTreeMap::new();
    frontier.fetched.insert(page_key(&start));
    frontier.fetched.insert(page_key(&home));
    let push = |site: &Site, f: &mut Frontier, u: url::Url, text: &str, depth: u32| {
        if depth <= site.cfg.max_depth && site.on_site(&u) && !is_document_url(u.as_str()) {
            let score = link_score(u.as_str(), text);
            f.push(u, score, depth);
        }
    };
    let consider =
        |best: &mut BTreeMap<Option<Scheme>, (Verdict, String)>, v: Verdict, url: &str| {
            if !v.is_notice {
                return;
            }
            let better = best.get(&v.scheme).is_none_or(|(b, _)| v.score > b.score);
            if better {
                best.insert(v.scheme, (v, url.to_string()));
            }
        };

    let (verdict, anchors) = analyse(home_text, &home).await;
    consider(&mut best, verdict, home.as_str());
    for a in anchors {
        if let Ok(u) = url::Url::parse(&a.url) {
            push(&site, &mut frontier, u, &a.text, 1);
        }
    }
    // Sitemaps: robots.txt's `Sitemap:` lines, else `/sitemap.xml`.
    let robots_url = home.join("/robots.txt").expect("joins");
    let mut maps = match site.get(robots_url.as_str()).await {
        Got::Text { text, .. } => robots_sitemaps(&text),
        _ => Vec::new(),
    };
    if maps.is_empty() {
        maps.push(home.join("/sitemap.xml").expect("joins").to_string());
    }
    let mut map_budget = 3;
    while let Some(m) = maps.pop() {
        if map_budget == 0 {
            break;
        }
        map_budget -= 1;
        let Ok(mu) = url::Url::parse(&m) else {
            continue;
        };
        if !site.on_site(&mu) {
            continue;
        }
        if let Got::Text { text, .. } = site.get(mu.as_str()).await {
            let locs = sitemap_urls(&text);
            if is_sitemap_index(&text) {
                maps.extend(locs);
                continue;
            }
            for loc in locs.into_iter().take(cfg.max_sitemap_urls) {
                if let Ok(u) = url::Url::parse(&loc) {
                    push(&site, &mut frontier, u, "", 1);
                }
            }
        }
    }

    // Neutral pages fetched after the 国保 notice was sure (looking for a 後期 one).
    let mut neutral_after_sure = 0;
    while site.fetched < cfg.page_budget {
        let sure = |s: Scheme| {
            best.get(&Some(s))
                .is_some_and(|(v, _)| v.score >= cfg.sure_score)
        };
        let next_score = frontier.queue.peek().map_or(i32::MIN, |q| q.score);
        if sure(wanted[0]) {
            if wanted.iter().all(|&s| sure(s))
                || (next_score < cfg.promising_link && neutral_after_sure >= cfg.extra_pages)
            {
                break;
            }
            if next_score < cfg.promising_link {
                neutral_after_sure += 1;
            }
        }
        let Some(q) = frontier.queue.pop() else {
            break;
        };
        let depth = q.depth.0;
        let Ok(qu) = url::Url::parse(&q.url) else {
            continue;
        };
        if !frontier.fetched.insert(page_key(&qu)) {
            continue; // queued again with a better link, and already fetched
        }
        let Got::Text { text, final_url } = site.get(&q.url).await else {
            continue;
        };
        if !site.on_site(&final_url)
            || (final_url != qu && !frontier.fetched.insert(page_key(&final_url)))
        {
            continue;
        }
        let (verdict, anchors) = analyse(text, &final_url).await;
        consider(&mut best, verdict, final_url.as_str());
        for a in anchors {
            if let Ok(u) = url::Url::parse(&a.url) {
                push(&site, &mut frontier, u, &a.text, depth + 1);
            }
        }
    }

    // A page whose scheme is unclear counts only when no page names one.
    if best.keys().any(Option::is_some) {
        best.remove(&None);
    }
    if best.is_empty() {
        return vec![row(
            "not_found",
            noted(format!(
                "no notice page among {} pages fetched",
                site.fetched
            )),
            site.fetched,
            &moved,
        )];
    }
    best.into_iter()
        .map(|(scheme, (v, url))| MunicipalPage {
            scheme: scheme.map(|s| s.as_str().to_string()).unwrap_or_default(),
            url,
            score: v.score as i64,
            evidence: noted(v.evidence),
            ..row("found", String::new(), site.fetched, &moved)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sibling_hosts_share_a_site_key_and_other_towns_do_not() {
        assert_eq!(
            site_key("www.town.shibata.miyagi.jp"),
            "town.shibata.miyagi.jp"
        );
        assert_eq!(
            site_key("www02.town.shibata.miyagi.jp"),
            "town.shibata.miyagi.jp"
        );
        assert_eq!(site_key("town.shibata.miyagi.jp"), "town.shibata.miyagi.jp");
        assert_ne!(
            site_key("www.town.murata.miyagi.jp"),
            site_key("www.town.shibata.miyagi.jp")
        );
        assert_eq!(site_key("www.jp"), "www.jp");
    }

    #[test]
    fn index_pages_and_their_folders_are_one_page() {
        let a = url::Url::parse("https://h.jp/kokuho/index.html#x").unwrap();
        let b = url::Url::parse("http://h.jp/kokuho/").unwrap();
        assert_eq!(page_key(&a), page_key(&b));
    }
}
