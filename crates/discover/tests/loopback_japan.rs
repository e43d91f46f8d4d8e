//! Discovery over the generated loopback Japan: every site a real host name from the real
//! list, served by the real mirror over loopback, fetched by the real client through its
//! resolver override. Measures recall and precision against the ground truth, and
//! politeness from the server's side (per-`Host` counters).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use mynawatch_discover::japan::{generate, score, JapanOptions};
use mynawatch_discover::{discover, read_list, DiscoverConfig, Issuer};
use mynawatch_fetch::mirror::{serve, MirrorHandle};
use mynawatch_fetch::{FetchConfig, Fetcher};

const SEED: u64 = 20_260_709;
const INTERVAL_MS: u64 = 25;

fn real_list() -> Option<Vec<Issuer>> {
    let p = mynawatch_testutil::corpus_dir()
        .join("municipal_list/localgovjp-utf8_20260709_cd94f841.csv");
    if !p.exists() {
        eprintln!(
            "SKIP: the real municipal list {} is absent (set MYNAWATCH_CORPUS)",
            p.display()
        );
        return None;
    }
    Some(read_list(&p).expect("the real list parses"))
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

async fn japan(
    dir: &Path,
    limit: usize,
) -> Option<(mynawatch_discover::japan::Japan, MirrorHandle)> {
    let list = real_list()?;
    let j = generate(
        &list,
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
        11,
        "the sample covers every style: {styles:?}"
    );
    let issuers = read_list(&j.list).unwrap();
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
    // The moved sites' rows say where they went.
    for t in j.sites.iter().filter(|t| t.style == "moved") {
        let r = rows.iter().find(|r| r.area_code == t.code).unwrap();
        assert_eq!(r.redirected_to, t.moved_to, "{}", t.code);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_discover_continues_where_it_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((j, mirror)) = japan(tmp.path(), 30).await else {
        return;
    };
    let issuers = read_list(&j.list).unwrap();
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
        finished.len() >= 10 && finished.len() < 30,
        "{}",
        finished.len()
    );
    let hosts_of = |code: &str| -> Vec<String> {
        let t = j.sites.iter().find(|t| t.code == code).unwrap();
        let h = url::Url::parse(&t.url)
            .unwrap()
            .host_str()
            .unwrap()
            .to_string();
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
    assert_eq!(codes.len(), 30, "every issuer has rows");
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
    let Some(list) = real_list() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let t0 = std::time::Instant::now();
    let j = generate(&list, tmp.path(), &JapanOptions { seed, limit: None }).unwrap();
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
    let issuers = read_list(&j.list).unwrap();
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
