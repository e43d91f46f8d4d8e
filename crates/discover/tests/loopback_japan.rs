//! Discovery over the generated loopback Japan: every site a real host name from the real
//! list, served by the real mirror over loopback, fetched by the real client through its
//! resolver override. Measures recall and precision against the ground truth, and
//! politeness from the server's side (per-`Host` counters).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use mynawatch_discover::{
    discover, read_list, read_prefectures, union_issuers, DiscoverConfig, Issuer,
};
use mynawatch_fetch::{FetchConfig, Fetcher};
use mynawatch_sim::japan::{generate_with_unions, score, JapanOptions};
use mynawatch_sim::mirror::{serve, MirrorHandle};

const SEED: u64 = 20_260_709;
const INTERVAL_MS: u64 = 25;

/// The real municipal list and the real prefecture list.
fn real_list() -> Option<(Vec<Issuer>, Vec<mynawatch_discover::list::Prefecture>)> {
    let dir = mynawatch_testutil::corpus_dir().join("municipal_list");
    let p = dir.join("localgovjp-utf8_20260709_cd94f841.csv");
    let q = dir.join("prefjp-utf8_4c7b5625.csv");
    if !p.exists() || !q.exists() {
        eprintln!(
            "SKIP: the real municipal lists in {} are absent (set MYNAWATCH_CORPUS)",
            dir.display()
        );
        return None;
    }
    Some((
        read_list(&p).expect("the real list parses"),
        read_prefectures(&q).expect("the real prefecture list parses"),
    ))
}

/// The generated Japan's issuers: its municipalities, then its 47 広域連合.
fn issuers_of(j: &mynawatch_sim::japan::Japan) -> Vec<Issuer> {
    let mut issuers = read_list(&j.list).unwrap();
    if let Some(p) = &j.prefecture_list {
        let unions = union_issuers(&read_prefectures(p).unwrap(), &issuers);
        issuers.extend(unions);
    }
    issuers
}

fn fetcher(mirror: &MirrorHandle) -> Fetcher {
    let mut cfg = FetchConfig {
        min_interval_ms: INTERVAL_MS,
        per_host_concurrency: 1,
        global_concurrency: 16,
        backoff_base_ms: 10,
        max_attempts: 2,
        read_timeout_ms: 5_000,
        connect_timeout_ms: 2_000,
        ..FetchConfig::default()
    };
    cfg.resolve.insert("*".into(), mirror.addr.to_string());
    Fetcher::new(cfg).expect("client builds")
}

async fn japan(dir: &Path, limit: usize) -> Option<(mynawatch_sim::japan::Japan, MirrorHandle)> {
    let (list, prefs) = real_list()?;
    let j = generate_with_unions(
        &list,
        &prefs,
        dir,
        &JapanOptions {
            seed: SEED,
            limit: Some(limit),
        },
    )
    .unwrap();
    let mirror = serve(j.root.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("mirror starts");
    Some((j, mirror))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_finds_the_notices_of_every_style_politely() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((j, mirror)) = japan(tmp.path(), 120).await else {
        return;
    };
    let styles: std::collections::BTreeSet<&str> =
        j.sites.iter().map(|s| s.style.as_str()).collect();
    assert_eq!(
        styles.len(),
        15,
        "the sample covers every style, 4 of them ways to link a 広域連合: {styles:?}"
    );
    let issuers = issuers_of(&j);
    assert_eq!(issuers.len(), 120 + 47);
    let f = fetcher(&mirror);
    let rows = discover(
        &f,
        &issuers,
        &DiscoverConfig::default(),
        16,
        "d1",
        &tmp.path().join("progress.jsonl"),
        |_, _, _| {},
    )
    .await
    .unwrap();
    let s = score(&j.sites, &rows);
    eprintln!(
        "recall {:.4} ({}/{}), precision {:.4} ({}/{}), status right {}/{}, requests {}",
        s.recall(),
        s.found_notices,
        s.reachable_notices,
        s.precision(),
        s.correct_rows,
        s.found_rows,
        s.status_right,
        s.sites,
        mirror.stats.total_requests()
    );
    assert!(
        s.recall() >= 0.97,
        "recall {:.3}: {:#?}",
        s.recall(),
        s.misses
    );
    assert!(
        s.precision() >= 0.99,
        "precision {:.3}: {:#?}",
        s.precision(),
        s.misses
    );
    assert_eq!(s.status_right, s.sites, "{:#?}", s.misses);

    // Politeness, as the server saw it: one request in flight per host, and request
    // starts at least the interval apart (less 3 ms of loopback scheduling jitter: the
    // client paces when a request leaves, the server stamps when it is handled).
    let mut min_gap = Duration::MAX;
    for host in mirror.stats.hosts() {
        assert!(
            mirror.stats.max_in_flight_for_host(&host) <= 1,
            "{host} saw two requests in flight"
        );
        if let Some(g) = mirror.stats.min_gap_for_host(&host) {
            if g < Duration::from_millis(INTERVAL_MS) {
                eprintln!("{host}: {g:?} between two requests");
            }
            min_gap = min_gap.min(g);
        }
    }
    eprintln!("shortest gap between two requests to one host: {min_gap:?}");
    assert!(
        min_gap >= Duration::from_millis(INTERVAL_MS - 3),
        "a host saw two requests {min_gap:?} apart (interval {INTERVAL_MS} ms)"
    );
    // The 広域連合: each found through its prefecture's or capital's site, the way it was
    // found in the evidence; the dead one unreachable.
    let unions: Vec<_> = j
        .sites
        .iter()
        .filter(|t| t.style.starts_with("union_"))
        .collect();
    assert_eq!(unions.len(), 47);
    let union_score = score(
        &unions.iter().map(|t| (*t).clone()).collect::<Vec<_>>(),
        &rows,
    );
    eprintln!(
        "広域連合: recall {:.4} ({}/{}), precision {:.4} ({}/{})",
        union_score.recall(),
        union_score.found_notices,
        union_score.reachable_notices,
        union_score.precision(),
        union_score.correct_rows,
        union_score.found_rows
    );
    assert_eq!(union_score.reachable_notices, 46);
    assert_eq!(union_score.status_right, 47, "{:#?}", union_score.misses);
    for t in unions.iter().filter(|t| t.expected_status == "found") {
        let r = rows
            .iter()
            .find(|r| r.area_code == t.code && r.status == "found")
            .unwrap();
        let via_capital = t.style == "union_capital";
        assert!(
            r.evidence.contains("linked as 「") && r.evidence.contains("広域連合"),
            "{}",
            r.evidence
        );
        let from_pref = r.evidence.contains(&format!("from {}", t.url));
        assert_eq!(from_pref, !via_capital, "{}: {}", t.style, r.evidence);
    }

    // The moved sites' rows say where they went, and so do those of the sites whose
    // listed page is gone (crawled from their root).
    assert!(j.sites.iter().any(|t| t.stale == "404"));
    for t in j.sites.iter().filter(|t| !t.moved_to.is_empty()) {
        let r = rows.iter().find(|r| r.area_code == t.code).unwrap();
        assert_eq!(r.redirected_to, t.moved_to, "{} ({})", t.code, t.style);
    }
}

/// The generated fault "stale listed page": sites listed under an old top page that now
/// answers 404 or 410 are crawled from their root and their notices found, the rows
/// naming the root and the old page; sites whose whole host is gone (listed under an old
/// page or not) stay `site_unreachable`, their root never asked for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_listed_pages_are_crawled_from_the_site_root_and_dead_hosts_stay_unreachable() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((j, mirror)) = japan(tmp.path(), 80).await else {
        return;
    };
    let picked: Vec<_> = j
        .sites
        .iter()
        .filter(|t| !t.stale.is_empty() || t.style == "dead")
        .cloned()
        .collect();
    let count = |f: &str| picked.iter().filter(|t| t.stale == f).count();
    assert!(
        count("404") >= 2 && count("410") >= 1 && count("dead") >= 1,
        "404: {}, 410: {}, dead: {}",
        count("404"),
        count("410"),
        count("dead")
    );
    let issuers: Vec<Issuer> = read_list(&j.list)
        .unwrap()
        .into_iter()
        .filter(|i| picked.iter().any(|t| t.code == i.code))
        .collect();
    assert_eq!(issuers.len(), picked.len());
    let rows = discover(
        &fetcher(&mirror),
        &issuers,
        &DiscoverConfig::default(),
        16,
        "d1",
        &tmp.path().join("progress.jsonl"),
        |_, _, _| {},
    )
    .await
    .unwrap();
    let s = score(&picked, &rows);
    assert_eq!(s.status_right, s.sites, "{:#?}", s.misses);
    assert_eq!(s.found_notices, s.reachable_notices, "{:#?}", s.misses);
    assert!(s.reachable_notices >= 3, "{}", s.reachable_notices);
    assert_eq!(s.correct_rows, s.found_rows, "{:#?}", s.misses);

    for t in &picked {
        let mine: Vec<_> = rows.iter().filter(|r| r.area_code == t.code).collect();
        assert!(!mine.is_empty(), "{}: no rows", t.code);
        for r in mine {
            assert_eq!(r.site_url, t.url, "the row keeps the listed URL");
            if t.style == "dead" {
                assert_eq!(r.status, "site_unreachable", "{}: {r:?}", t.code);
                assert_eq!(r.redirected_to, "", "{}: {r:?}", t.code);
                assert_eq!(
                    r.pages_fetched, 1,
                    "{}: a gone host's root is not asked for: {r:?}",
                    t.code
                );
                assert!(!r.evidence.contains("site root"), "{}", r.evidence);
                continue;
            }
            let root = format!(
                "{}/",
                t.url.split('/').take(3).collect::<Vec<_>>().join("/")
            );
            assert_eq!(t.moved_to, root);
            assert_eq!(r.status, "found", "{}: {r:?}", t.code);
            assert_eq!(r.redirected_to, root, "{}: {r:?}", t.code);
            assert!(
                r.evidence.contains(&format!(
                    "listed page {} answered {}; crawled from the site root {root}",
                    t.url, t.stale
                )),
                "{}: {}",
                t.code,
                r.evidence
            );
        }
    }
}

/// A notice page the classifier is sure of.
const NOTICE: &str = "<html><head><title>国民健康保険の資格確認書を送付します</title></head><body>\
    <h1>国民健康保険の資格確認書を送付します</h1>\
    <p>国民健康保険に加入していてマイナ保険証をお持ちでない方に、資格確認書を送付します。</p>\
    <p>7月中に簡易書留で順次発送します。資格確認書の有効期限は令和8年7月31日です。</p></body></html>";

/// The fallback to the site root, case by case on hand-written sites: a listed page
/// that answers 404 on a site that is up is replaced by the root (also when the host
/// moved); a root that fails too, or robots.txt refusing the root, says so with both
/// URLs; a listed page that is the root, or that fails otherwise (503), is not retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gone_listed_page_falls_back_to_the_root_only_when_that_can_help() {
    let tmp = tempfile::tempdir().unwrap();
    let v = tmp.path().join("_vhosts");
    let page = |host: &str, path: &str, body: &str| {
        let f = v.join(host).join(path);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, body).unwrap();
    };
    let allow = "User-agent: *\nDisallow:\n";
    let home = "<html><head><title>町公式ホームページ</title></head><body>\
        <a href=\"/kokuho/shikaku.html\">国民健康保険の資格確認書を送付します</a></body></html>";
    // A: the listed top page is gone (404); the root serves the site.
    page("www.town.a.jp", "robots.txt", allow);
    page("www.town.a.jp", "index.html", home);
    page("www.town.a.jp", "kokuho/shikaku.html", NOTICE);
    // B: the host answers, but 404 for everything.
    page("www.town.b.jp", "robots.txt", allow);
    // C: the listed page is the root, and it is gone.
    page("www.town.c.jp", "robots.txt", allow);
    // D: the listed page fails with 503; the root would answer.
    page("www.town.d.jp", "robots.txt", allow);
    page("www.town.d.jp", "index.html", home);
    page("www.town.d.jp", "kokuho/shikaku.html", NOTICE);
    page(
        "www.town.d.jp",
        "_mirror.toml",
        "[[fault]]\npath = \"/www/index.html\"\nkind = \"status\"\nstatus = 503\n",
    );
    // E: the listed page answers 410; robots.txt allows it but refuses the root.
    page(
        "www.town.e.jp",
        "robots.txt",
        "User-agent: *\nAllow: /top/\nDisallow: /\n",
    );
    page("www.town.e.jp", "index.html", home);
    page(
        "www.town.e.jp",
        "_mirror.toml",
        "[[fault]]\npath = \"/top/\"\nkind = \"status\"\nstatus = 410\n",
    );
    // F: the host moved; the old top page is not on the new host (404), its root is.
    page("www.town.f.jp", "_moved", "http://www.town-f.lg.jp");
    page("www.town-f.lg.jp", "robots.txt", allow);
    page("www.town-f.lg.jp", "index.html", home);
    page("www.town-f.lg.jp", "kokuho/shikaku.html", NOTICE);
    let mirror = serve(tmp.path().to_path_buf(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let town = |code: &str, url: &str| Issuer {
        code: code.into(),
        prefecture: "北海道".into(),
        full_name: format!("北海道{code}町"),
        url: url.into(),
        kind: mynawatch_discover::IssuerKind::Municipality,
        via: Vec::new(),
    };
    let issuers = vec![
        town("010001", "http://www.town.a.jp/www/index.html"),
        town("010002", "http://www.town.b.jp/forms/top/top.aspx"),
        town("010003", "http://www.town.c.jp/"),
        town("010004", "http://www.town.d.jp/www/index.html"),
        town("010005", "http://www.town.e.jp/top/"),
        town("010006", "http://www.town.f.jp/www/index.html"),
    ];
    let rows = discover(
        &fetcher(&mirror),
        &issuers,
        &DiscoverConfig::default(),
        6,
        "d1",
        &tmp.path().join("progress.jsonl"),
        |_, _, _| {},
    )
    .await
    .unwrap();
    let row = |code: &str| {
        let mine: Vec<_> = rows.iter().filter(|r| r.area_code == code).collect();
        assert_eq!(mine.len(), 1, "{mine:?}");
        mine[0].clone()
    };

    let a = row("010001");
    assert_eq!(
        (a.status.as_str(), a.scheme.as_str(), a.url.as_str()),
        (
            "found",
            "kokuho",
            "http://www.town.a.jp/kokuho/shikaku.html"
        ),
        "{a:?}"
    );
    assert_eq!(a.site_url, "http://www.town.a.jp/www/index.html");
    assert_eq!(a.redirected_to, "http://www.town.a.jp/");
    assert!(
        a.evidence.ends_with(
            "; listed page http://www.town.a.jp/www/index.html answered 404; \
             crawled from the site root http://www.town.a.jp/"
        ),
        "{}",
        a.evidence
    );

    let b = row("010002");
    assert_eq!(b.status, "site_unreachable", "{b:?}");
    assert_eq!((b.pages_fetched, b.redirected_to.as_str()), (2, ""));
    assert!(
        b.evidence.starts_with(
            "listed page http://www.town.b.jp/forms/top/top.aspx answered 404, \
             and the site root http://www.town.b.jp/ failed too: "
        ) && b
            .evidence
            .ends_with("http://www.town.b.jp/: HTTP 404 Not Found"),
        "{}",
        b.evidence
    );

    let c = row("010003");
    assert_eq!(c.status, "site_unreachable", "{c:?}");
    assert_eq!(c.pages_fetched, 1, "the root is not asked for twice");
    assert!(
        c.evidence
            .ends_with("http://www.town.c.jp/: HTTP 404 Not Found"),
        "{}",
        c.evidence
    );

    let d = row("010004");
    assert_eq!(d.status, "site_unreachable", "{d:?}");
    assert_eq!(
        d.pages_fetched, 1,
        "only a gone page sends the crawl to the root"
    );
    assert!(d.evidence.contains("503"), "{}", d.evidence);

    let e = row("010005");
    assert_eq!(e.status, "robots_denied", "{e:?}");
    assert_eq!(
        e.evidence,
        "listed page http://www.town.e.jp/top/ answered 410; \
         robots.txt disallows the site root http://www.town.e.jp/"
    );
    assert_eq!(
        mirror.stats.requests_for_host("www.town.e.jp"),
        2,
        "robots.txt and the listed page only"
    );

    let f = row("010006");
    assert_eq!(
        (f.status.as_str(), f.url.as_str()),
        ("found", "http://www.town-f.lg.jp/kokuho/shikaku.html"),
        "{f:?}"
    );
    assert_eq!(f.site_url, "http://www.town.f.jp/www/index.html");
    assert_eq!(f.redirected_to, "http://www.town-f.lg.jp/");
    assert!(
        f.evidence
            .contains("listed page http://www.town.f.jp/www/index.html answered 404; crawled from the site root http://www.town.f.jp/"),
        "{}",
        f.evidence
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_discover_continues_where_it_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((j, mirror)) = japan(tmp.path(), 30).await else {
        return;
    };
    let issuers = issuers_of(&j);
    let progress = tmp.path().join("state/progress.jsonl");
    let cfg = DiscoverConfig {
        concurrency: 4,
        ..DiscoverConfig::default()
    };

    // First discover: killed (its task aborted) after 10 issuers are done.
    let done = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let tx = std::sync::Mutex::new(Some(tx));
    let task = {
        let (issuers, progress, cfg, done, f) = (
            issuers.clone(),
            progress.clone(),
            cfg.clone(),
            done.clone(),
            fetcher(&mirror),
        );
        tokio::spawn(async move {
            discover(&f, &issuers, &cfg, 4, "d1", &progress, move |_, _, _| {
                if done.fetch_add(1, Ordering::SeqCst) + 1 == 10 {
                    if let Some(tx) = tx.lock().unwrap().take() {
                        let _ = tx.send(());
                    }
                }
            })
            .await
        })
    };
    rx.await.unwrap();
    task.abort();
    let _ = task.await;
    let finished = mynawatch_discover::load_progress(&progress).unwrap();
    assert!(
        finished.len() >= 10 && finished.len() < 30 + 47,
        "{}",
        finished.len()
    );
    // A capital's site is also where a 広域連合 link is looked for: a finished capital's
    // host may still be visited for its 広域連合.
    let capital_hosts: Vec<String> = issuers
        .iter()
        .flat_map(|i| &i.via)
        .filter_map(|u| url::Url::parse(u).ok()?.host_str().map(str::to_string))
        .collect();
    let hosts_of = |code: &str| -> Vec<String> {
        let t = j.sites.iter().find(|t| t.code == code).unwrap();
        let h = url::Url::parse(&t.url)
            .unwrap()
            .host_str()
            .unwrap()
            .to_string();
        if capital_hosts.contains(&h) {
            return Vec::new();
        }
        vec![h]
    };
    let before: Vec<(String, usize)> = finished
        .keys()
        .flat_map(|c| hosts_of(c))
        .map(|h| (h.clone(), mirror.stats.requests_for_host(&h)))
        .collect();

    // Second discover: takes the finished ones from the progress file.
    let resumed = AtomicUsize::new(0);
    let rows = discover(
        &fetcher(&mirror),
        &issuers,
        &cfg,
        4,
        "d2",
        &progress,
        |_, _, r| {
            if r {
                resumed.fetch_add(1, Ordering::SeqCst);
            }
        },
    )
    .await
    .unwrap();
    assert_eq!(resumed.load(Ordering::SeqCst), finished.len());
    for (h, n) in before {
        assert_eq!(
            mirror.stats.requests_for_host(&h),
            n,
            "{h} was crawled again after it had finished"
        );
    }
    let codes: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.area_code.as_str()).collect();
    assert_eq!(codes.len(), 30 + 47, "every issuer has rows");
    let s = score(&j.sites, &rows);
    assert!(s.recall() >= 0.97, "{:#?}", s.misses);
}

/// The full loopback Japan (all 1,741 municipalities): recall, precision, politeness and
/// time against the politeness bound. A benchmark, not a test of speed: run it with
/// `cargo test -p mynawatch-discover --test loopback_japan -- --ignored --nocapture`
/// (env: `BENCH_SEED`, `BENCH_INTERVAL_MS`, `BENCH_CONCURRENCY`); figures in
/// docs/benchmarks.md.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: all 1,741 sites, minutes"]
async fn full_japan_benchmark() {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (seed, interval, conc) = (
        env("BENCH_SEED", SEED),
        env("BENCH_INTERVAL_MS", 100),
        env("BENCH_CONCURRENCY", 8) as usize,
    );
    let Some((list, prefs)) = real_list() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let t0 = std::time::Instant::now();
    let j = generate_with_unions(
        &list,
        &prefs,
        tmp.path(),
        &JapanOptions { seed, limit: None },
    )
    .unwrap();
    let generated = t0.elapsed();
    let mirror = serve(j.root.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let mut cfg = FetchConfig {
        min_interval_ms: interval,
        per_host_concurrency: 1,
        global_concurrency: conc,
        backoff_base_ms: 10,
        max_attempts: 2,
        ..FetchConfig::default()
    };
    cfg.resolve.insert("*".into(), mirror.addr.to_string());
    let f = Fetcher::new(cfg).unwrap();
    let issuers = issuers_of(&j);
    let t1 = std::time::Instant::now();
    let rows = discover(
        &f,
        &issuers,
        &DiscoverConfig::default(),
        conc,
        "bench",
        &tmp.path().join("progress.jsonl"),
        |_, _, _| {},
    )
    .await
    .unwrap();
    let took = t1.elapsed();
    let s = score(&j.sites, &rows);
    let hosts = mirror.stats.hosts();
    let per_host: Vec<usize> = hosts
        .iter()
        .map(|h| mirror.stats.requests_for_host(h))
        .collect();
    let total: usize = per_host.iter().sum();
    // The politeness bound: a host asked n times needs n - 1 intervals between its
    // requests, and at most `conc` hosts are crawled at once.
    let waits: u64 = per_host.iter().map(|&n| n.saturating_sub(1) as u64).sum();
    let bound_ms = (waits * interval / conc as u64).max(
        per_host
            .iter()
            .copied()
            .max()
            .unwrap_or(1)
            .saturating_sub(1) as u64
            * interval,
    );
    let min_gap = hosts
        .iter()
        .filter_map(|h| mirror.stats.min_gap_for_host(h))
        .min()
        .unwrap_or_default();
    let max_in_flight = hosts
        .iter()
        .map(|h| mirror.stats.max_in_flight_for_host(h))
        .max()
        .unwrap_or(0);
    println!(
        "sites {} (generated in {generated:.1?}); seed {seed}; interval {interval} ms; concurrency {conc}\n\
         recall {:.4} ({}/{}); precision {:.4} ({}/{}); status right {}/{}\n\
         requests {total} over {} hosts; most per host {}; min gap {min_gap:?}; most in flight per host {max_in_flight}\n\
         discover took {took:.1?}; politeness bound {:.1} s; ratio {:.2}",
        j.sites.len(),
        s.recall(),
        s.found_notices,
        s.reachable_notices,
        s.precision(),
        s.correct_rows,
        s.found_rows,
        s.status_right,
        s.sites,
        hosts.len(),
        per_host.iter().max().unwrap_or(&0),
        bound_ms as f64 / 1000.0,
        took.as_millis() as f64 / bound_ms.max(1) as f64
    );
    for m in s.misses.iter().take(20) {
        println!("  {m}");
    }
    assert!(s.recall() >= 0.97 && s.precision() >= 0.99);
    assert!(max_in_flight <= 1 && min_gap >= Duration::from_millis(interval));
}

/// A 広域連合 whose site no page links is `not_found`; one whose prefecture site refuses
/// crawlers (and has no capital to ask) is `robots_denied`; one whose every site is gone
/// is `site_unreachable`; and one linked from the capital, after a prefecture site that
/// does not link it, is found there. Hand-written sites over the real mirror.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unions_status_says_why_its_site_was_not_reached() {
    let tmp = tempfile::tempdir().unwrap();
    let v = tmp.path().join("_vhosts");
    let page = |host: &str, path: &str, html: &str| {
        let f = v.join(host).join(path);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, html).unwrap();
    };
    let allow = "User-agent: *\nDisallow:\n";
    // 甲: a prefecture site with 後期 pages but no link; its capital names another union.
    page("www.pref.a.jp", "robots.txt", allow);
    page("www.pref.a.jp", "index.html",
        "<html><head><title>甲県</title></head><body><a href=\"/kenko/koki.html\">後期高齢者医療制度</a>\
         <a href=\"http://www.kouiki-a.jp/\">甲東部広域連合（消防）</a></body></html>");
    page("www.pref.a.jp", "kenko/koki.html",
        "<html><head><title>後期高齢者医療制度</title></head><body><p>運営は広域連合が行います。</p></body></html>");
    // 乙: robots.txt refuses everyone.
    page(
        "www.pref.b.jp",
        "robots.txt",
        "User-agent: *\nDisallow: /\n",
    );
    page(
        "www.pref.b.jp",
        "index.html",
        "<html><body>乙県</body></html>",
    );
    // 丁: no link on the prefecture's site, a link on the capital's 後期 page.
    page("www.pref.d.jp", "robots.txt", allow);
    page(
        "www.pref.d.jp",
        "index.html",
        "<html><head><title>丁県</title></head><body><a href=\"/kanko/\">観光</a></body></html>",
    );
    page("www.city.d.jp", "robots.txt", allow);
    page("www.city.d.jp", "index.html",
        "<html><head><title>丁市</title></head><body><a href=\"/hoken/koki.html\">後期高齢者医療</a></body></html>");
    page("www.city.d.jp", "hoken/koki.html",
        "<html><head><title>後期高齢者医療</title></head><body>\
         <a href=\"http://www.kouki-d.jp/\">丁県後期高齢者医療広域連合（外部リンク）</a></body></html>");
    page("www.kouki-d.jp", "robots.txt", allow);
    page(
        "www.kouki-d.jp",
        "index.html",
        "<html><head><title>丁県後期高齢者医療広域連合</title></head><body>\
         <a href=\"/seido/shikaku.html\">資格確認書の送付について</a></body></html>",
    );
    page("www.kouki-d.jp", "seido/shikaku.html",
        "<html><head><title>後期高齢者医療 資格確認書の送付について</title></head><body><h1>後期高齢者医療 資格確認書の送付について</h1>\
         <p>マイナ保険証の保有の有無にかかわらず、後期高齢者医療の被保険者全員に資格確認書を送付します。</p>\
         <p>7月中に簡易書留で発送します。</p></body></html>");
    let mirror = serve(tmp.path().to_path_buf(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let union = |code: &str, pref: &str, url: &str, via: &[&str]| Issuer {
        code: code.into(),
        prefecture: pref.into(),
        full_name: mynawatch_discover::list::union_name(pref),
        url: url.into(),
        kind: mynawatch_discover::IssuerKind::KoukiUnion,
        via: via.iter().map(|s| s.to_string()).collect(),
    };
    let issuers = vec![
        union("010006", "北海道", "http://www.pref.a.jp/", &[]),
        union("020001", "青森県", "http://www.pref.b.jp/", &[]),
        union(
            "030007",
            "岩手県",
            "http://www.pref.gone.jp/",
            &["http://www.city.gone.jp/"],
        ),
        union(
            "040002",
            "宮城県",
            "http://www.pref.d.jp/",
            &["http://www.city.d.jp/"],
        ),
    ];
    let rows = discover(
        &fetcher(&mirror),
        &issuers,
        &DiscoverConfig::default(),
        4,
        "d1",
        &tmp.path().join("progress.jsonl"),
        |_, _, _| {},
    )
    .await
    .unwrap();
    let status = |code: &str| {
        rows.iter()
            .find(|r| r.area_code == code)
            .map(|r| (r.status.as_str(), r.evidence.as_str()))
            .unwrap()
    };
    assert_eq!(status("010006").0, "not_found", "{:?}", status("010006"));
    assert!(!mirror.stats.hosts().iter().any(|h| h == "www.kouiki-a.jp"));
    assert_eq!(
        status("020001").0,
        "robots_denied",
        "{:?}",
        status("020001")
    );
    assert_eq!(
        status("030007").0,
        "site_unreachable",
        "{:?}",
        status("030007")
    );
    let found = rows.iter().find(|r| r.area_code == "040002").unwrap();
    assert_eq!(
        (
            found.status.as_str(),
            found.scheme.as_str(),
            found.url.as_str()
        ),
        ("found", "koki", "http://www.kouki-d.jp/seido/shikaku.html"),
        "{found:?}"
    );
    assert!(
        found
            .evidence
            .contains("from http://www.city.d.jp/hoken/koki.html"),
        "{}",
        found.evidence
    );
}

/// The generated 広域連合 notices, read by the watcher's own reader (`municipal_notice`,
/// `area` = the prefecture): the right policy, and no wrong mailing or validity date
/// (a missing one is allowed).
#[test]
fn the_reader_gets_the_generated_union_notices_right() {
    use mynawatch_extract::Family;
    let Some((list, prefs)) = real_list() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let j = generate_with_unions(
        &list,
        &prefs,
        tmp.path(),
        &JapanOptions {
            seed: SEED,
            limit: Some(20),
        },
    )
    .unwrap();
    let (mut policy_right, mut total, mut missing) = (0, 0, 0);
    let mut wrong = Vec::new();
    for t in j.sites.iter().filter(|t| t.style.starts_with("union_")) {
        for n in &t.notices {
            let bytes = std::fs::read(j.file_of(&n.url)).unwrap();
            let meta = mynawatch_model::SnapshotMeta::for_file("union", &n.url, String::new());
            let options = serde_json::json!({ "area": t.prefecture });
            let x = mynawatch_extract::families::MunicipalNotice
                .extract(&mynawatch_extract::Input {
                    bytes: &bytes,
                    meta: &meta,
                    options: &options,
                })
                .unwrap();
            let r = &x.rows.notices[0];
            total += 1;
            assert_eq!(
                r.area_code, t.code,
                "the 広域連合's rows carry its area code"
            );
            if r.issuance_policy == n.policy {
                policy_right += 1;
            } else {
                wrong.push(format!(
                    "{} policy {} (truth {})",
                    n.url, r.issuance_policy, n.policy
                ));
            }
            for (what, got, want) in [
                ("mailing_start", r.mailing_start, n.mailing_start),
                ("mailing_end", r.mailing_end, n.mailing_end),
                ("valid_until", r.valid_until, n.valid_until),
            ] {
                match got {
                    None => missing += 1,
                    Some(d) if d == want => {}
                    Some(d) => wrong.push(format!("{} {what} {d} (truth {want})", n.url)),
                }
            }
        }
    }
    eprintln!("広域連合 notices: policy {policy_right}/{total}, dates missing {missing}, wrong {wrong:#?}");
    assert_eq!(total, 46);
    assert!(policy_right * 100 >= total * 97, "{wrong:#?}");
    assert!(wrong.iter().all(|w| w.contains(" policy ")), "{wrong:#?}");
}
