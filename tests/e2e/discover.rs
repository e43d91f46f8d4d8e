//! `mynawatch discover` end to end on the generated loopback Japan: real host names from
//! the real list, served by the mirror by `Host`, found by the real client through its
//! resolver override; then the pipeline watches what was found.

use std::path::Path;
use std::time::Duration;

use mynawatch::config::Config;
use mynawatch::discover::{discover, generated_path, DiscoverOptions};
use mynawatch::run::{run, RunOptions};
use mynawatch_sim::japan::{generate_with_unions, score, JapanOptions};

const SEED: u64 = 20_260_709;
const INTERVAL_MS: u64 = 25;

fn config_text(mirror: std::net::SocketAddr) -> String {
    format!(
        "data_dir = \"data\"\ninclude = [\"municipal.generated.toml\"]\n\n[fetch]\nmin_interval_ms = {INTERVAL_MS}\n\
         per_host_concurrency = 1\nglobal_concurrency = 16\nbackoff_base_ms = 10\nmax_attempts = 2\n\
         read_timeout_ms = 5000\nconnect_timeout_ms = 2000\nresolve = {{ \"*\" = \"{mirror}\" }}\n"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn discover_finds_the_notices_politely_and_a_watch_of_them_is_stable() {
    let list = mynawatch_testutil::corpus_dir()
        .join("municipal_list/localgovjp-utf8_20260709_cd94f841.csv");
    if !list.exists() {
        eprintln!(
            "SKIP: the real municipal list {} is absent (set MYNAWATCH_CORPUS)",
            list.display()
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let issuers = mynawatch_discover::read_list(&list).unwrap();
    let prefs = mynawatch_discover::read_prefectures(&prefecture_list(&list)).unwrap();
    let japan = generate_with_unions(
        &issuers,
        &prefs,
        &tmp.path().join("japan"),
        &JapanOptions {
            seed: SEED,
            limit: Some(120),
        },
    )
    .unwrap();
    let mirror = mynawatch_sim::mirror::serve(japan.root.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let config = tmp.path().join("config/mynawatch.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, config_text(mirror.addr)).unwrap();
    let cfg = Config::load(&config).expect("a config whose include is not there yet loads");
    assert!(cfg.sources.is_empty());
    let data = tmp.path().join("data");

    let report = discover(
        &cfg,
        &data,
        &DiscoverOptions {
            list: japan.list.clone(),
            only: Vec::new(),
            out: generated_path(&config),
            progress: false,
        },
    )
    .await
    .expect("discover completes");
    let s = score(&japan.sites, &report.rows);
    eprintln!(
        "recall {:.4} ({}/{}), precision {:.4} ({}/{})",
        s.recall(),
        s.found_notices,
        s.reachable_notices,
        s.precision(),
        s.correct_rows,
        s.found_rows
    );
    assert!(s.recall() >= 0.97, "{:#?}", s.misses);
    assert!(s.precision() >= 0.99, "{:#?}", s.misses);
    assert_eq!(s.status_right, s.sites, "{:#?}", s.misses);
    assert_eq!(s.sites, 120 + 47, "the 47 広域連合 were discovered too");
    assert!(
        report.text.contains("koki_union"),
        "the summary has the 広域連合 column: {}",
        report.text
    );
    assert!(
        !data.join("state/discover_progress.jsonl").exists(),
        "progress file removed"
    );

    // Politeness from the server's side.
    for host in mirror.stats.hosts() {
        assert!(
            mirror.stats.max_in_flight_for_host(&host) <= 1,
            "{host}: two in flight"
        );
        if let Some(g) = mirror.stats.min_gap_for_host(&host) {
            assert!(
                g >= Duration::from_millis(INTERVAL_MS),
                "{host}: requests {g:?} apart"
            );
        }
    }

    // The table, as an analyst queries it.
    let by_status = query(&data, "select status, count(distinct area_code) as n from municipal_pages group by status order by status");
    let n = |st: &str| {
        by_status
            .iter()
            .find(|r| r["status"] == st)
            .and_then(|r| r["n"].as_u64())
            .unwrap_or(0) as usize
    };
    let expect = |st: &str| {
        japan
            .sites
            .iter()
            .filter(|t| t.expected_status == st)
            .count()
    };
    for st in ["found", "not_found", "site_unreachable", "robots_denied"] {
        assert_eq!(n(st), expect(st), "{st}: {by_status:?}");
    }

    // The generated sources: one per found page, watched by the pipeline.
    let cfg = Config::load(&config).expect("config with the generated include loads");
    assert_eq!(cfg.sources.len(), s.found_rows);
    assert!(cfg
        .sources
        .iter()
        .all(|src| src.family == "municipal_notice"));
    let first = run(&cfg, &data, &RunOptions::default()).await.unwrap();
    assert!(
        first.all_ok(),
        "{:?}",
        first
            .outcomes
            .iter()
            .filter(|(_, o)| !matches!(
                o,
                mynawatch::run::SourceOutcome::Extracted { .. }
                    | mynawatch::run::SourceOutcome::Unchanged
            ))
            .collect::<Vec<_>>()
    );
    let notices = query(&data, "select count(distinct area_code) as n from notices");
    assert_eq!(
        notices[0]["n"].as_u64().unwrap() as usize,
        expect("found"),
        "a notice row for every municipality with a found page"
    );
    let second = run(&cfg, &data, &RunOptions::default()).await.unwrap();
    assert!(second.all_ok());
    assert!(
        second.changes.is_empty(),
        "an unchanged Japan records no change: {:?}",
        second.changes
    );

    // The README's national picture runs and adds up: policy counts by prefecture cover
    // every watched notice, and the all_insured list gives each row its evidence and link.
    let by_pref = query(&data, "select p.prefecture, n.issuance_policy, count(*) as municipalities \
        from notices_current n join (select distinct area_code, prefecture from municipal_pages) p \
        on n.area_code = p.area_code group by p.prefecture, n.issuance_policy order by p.prefecture, n.issuance_policy");
    let counted: u64 = by_pref
        .iter()
        .map(|r| r["municipalities"].as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, s.found_rows, "{by_pref:?}");
    let all = query(
        &data,
        "select n.area_name, n.scheme, n.policy_evidence, n.url from notices_current n \
        where n.issuance_policy = 'all_insured' order by n.area_code",
    );
    assert!(!all.is_empty());
    for r in &all {
        assert!(
            r["policy_evidence"]
                .as_str()
                .unwrap()
                .contains("資格確認書"),
            "{r}"
        );
        let url = r["url"].as_str().unwrap();
        assert!(
            japan
                .sites
                .iter()
                .any(|t| t.notices.iter().any(|n| n.url == url)),
            "{url}"
        );
    }

    // The README's 広域連合 query: one row per prefecture, its page watched under the
    // prefecture's area code.
    let unions = query(
        &data,
        "select prefecture, status, url, evidence from municipal_pages \
        where area_name like '%後期高齢者医療広域連合' order by area_code",
    );
    let union_truth: Vec<_> = japan
        .sites
        .iter()
        .filter(|t| t.style.starts_with("union_"))
        .collect();
    assert_eq!(unions.len(), union_truth.len(), "{unions:?}");
    let watched_unions = query(
        &data,
        "select n.area_code, n.scheme from notices_current n \
        where n.source_id like 'municipal_%' and substr(n.area_code, 3, 3) = '000'",
    );
    assert_eq!(
        watched_unions.len(),
        union_truth
            .iter()
            .filter(|t| t.expected_status == "found")
            .count(),
        "{watched_unions:?}"
    );

    // Fifty municipalities rewrite their notices (a line added under the heading, in
    // ASCII so the page's own encoding is kept): exactly those fifty notices change.
    let mut edited = std::collections::BTreeSet::new();
    'sites: for site in japan.sites.iter().filter(|s| s.expected_status == "found") {
        for n in &site.notices {
            if edited.len() == 50 {
                break 'sites;
            }
            let url = url::Url::parse(&n.url).unwrap();
            let mut file = japan
                .root
                .join("_vhosts")
                .join(url.host_str().unwrap())
                .join(url.path().trim_start_matches('/'));
            if n.url.ends_with('/') {
                file = file.join("index.html");
            }
            let Ok(bytes) = std::fs::read(&file) else {
                continue;
            };
            let Some(at) = bytes.windows(5).position(|w| w == b"</h1>") else {
                continue;
            };
            let mut changed = bytes[..at + 5].to_vec();
            changed.extend_from_slice(b"<p>FAX 0120-000-000 (new)</p>");
            changed.extend_from_slice(&bytes[at + 5..]);
            std::fs::write(&file, changed).unwrap();
            edited.insert(n.url.clone());
        }
    }
    assert_eq!(edited.len(), 50);
    let third = run(&cfg, &data, &RunOptions::default()).await.unwrap();
    assert!(third.all_ok());
    let text_changes: std::collections::BTreeSet<String> = third
        .changes
        .iter()
        .filter(|c| c.kind == mynawatch_model::ChangeKind::NoticeTextChanged)
        .map(|c| c.url.clone())
        .collect();
    assert_eq!(
        third.changes.len(),
        50,
        "exactly the fifty rewritten notices change: {:#?}",
        third.changes
    );
    assert_eq!(text_changes, edited);
}

/// The real prefecture list beside the real municipal list.
fn prefecture_list(municipal_list: &Path) -> std::path::PathBuf {
    municipal_list.with_file_name("prefjp-utf8_4c7b5625.csv")
}

fn query(data: &Path, sql: &str) -> Vec<serde_json::Value> {
    mynawatch::commands::query(data, sql, mynawatch::args::Format::Json)
        .expect("query runs")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

/// The real binary, killed (SIGKILL) in the middle of a discover, continues from its
/// progress file on the next `discover`, which crawls only the sites not yet done.
#[tokio::test(flavor = "multi_thread")]
async fn a_killed_discover_binary_resumes_and_bad_codes_are_usage_errors() {
    let list = mynawatch_testutil::corpus_dir()
        .join("municipal_list/localgovjp-utf8_20260709_cd94f841.csv");
    if !list.exists() {
        eprintln!(
            "SKIP: the real municipal list {} is absent (set MYNAWATCH_CORPUS)",
            list.display()
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let issuers = mynawatch_discover::read_list(&list).unwrap();
    let prefs = mynawatch_discover::read_prefectures(&prefecture_list(&list)).unwrap();
    let japan = generate_with_unions(
        &issuers,
        &prefs,
        &tmp.path().join("japan"),
        &JapanOptions {
            seed: SEED + 1,
            limit: Some(40),
        },
    )
    .unwrap();
    let all = japan.sites.len();
    // Capitals' sites are also where 広域連合 links are looked for: a finished capital's
    // host may be visited again for its 広域連合.
    let generated = mynawatch_discover::read_list(&japan.list).unwrap();
    let capital_hosts: Vec<String> = mynawatch_discover::union_issuers(
        &mynawatch_discover::read_prefectures(japan.prefecture_list.as_ref().unwrap()).unwrap(),
        &generated,
    )
    .iter()
    .flat_map(|u| &u.via)
    .filter_map(|u| url::Url::parse(u).ok()?.host_str().map(str::to_string))
    .collect();
    let mirror = mynawatch_sim::mirror::serve(japan.root.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let config = tmp.path().join("config/mynawatch.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    // A slower interval and two sites at a time, so the kill lands mid-way.
    let text = config_text(mirror.addr).replace(
        &format!("min_interval_ms = {INTERVAL_MS}"),
        "min_interval_ms = 60",
    ) + "\n[discover]\nconcurrency = 2\n";
    std::fs::write(&config, text).unwrap();
    let data = tmp.path().join("data");
    let progress = data.join("state/discover_progress.jsonl");
    let cmd = |args: &[&str]| {
        let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"));
        c.arg("discover")
            .arg("--config")
            .arg(&config)
            .arg("--data")
            .arg(&data)
            .arg("--list")
            .arg(&japan.list)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        c
    };

    let bad = cmd(&["--only", "999999"]).output().await.unwrap();
    assert_eq!(
        bad.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );

    let mut child = cmd(&[]).spawn().unwrap();
    let lines = || {
        std::fs::read_to_string(&progress)
            .map(|t| t.lines().count())
            .unwrap_or(0)
    };
    let t0 = std::time::Instant::now();
    while lines() < 6 {
        assert!(
            t0.elapsed() < Duration::from_secs(120),
            "discover made no progress"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().await.unwrap();
    let done_before = lines();
    assert!(
        done_before < all,
        "killed before the end ({done_before} done)"
    );
    // The hosts of the issuers finished before the kill, and what they had seen.
    let finished: Vec<(String, usize)> = std::fs::read_to_string(&progress)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            let code = v["code"].as_str().unwrap().to_string();
            let site = japan.sites.iter().find(|t| t.code == code).unwrap();
            let host = url::Url::parse(&site.url)
                .unwrap()
                .host_str()
                .unwrap()
                .to_string();
            let seen = mirror.stats.requests_for_host(&host);
            (host, seen)
        })
        .collect();
    assert!(!finished.is_empty());
    let finished_count = finished.len();
    let finished: Vec<(String, usize)> = finished
        .into_iter()
        .filter(|(host, _)| !capital_hosts.contains(host))
        .collect();

    let out = cmd(&[]).output().await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("({finished_count} from an interrupted discover)")),
        "{stdout}"
    );
    assert!(
        stdout.contains("total"),
        "the per-prefecture summary: {stdout}"
    );
    assert!(!progress.exists());
    let rows = query(
        &data,
        "select area_code, status, url, scheme from municipal_pages",
    );
    let rows: Vec<mynawatch_model::MunicipalPage> = rows
        .iter()
        .map(|r| mynawatch_model::MunicipalPage {
            area_code: r["area_code"].as_str().unwrap().into(),
            status: r["status"].as_str().unwrap().into(),
            url: r["url"].as_str().unwrap().into(),
            scheme: r["scheme"].as_str().unwrap().into(),
            ..Default::default()
        })
        .collect();
    let s = score(&japan.sites, &rows);
    assert_eq!(s.status_right, all, "{:#?}", s.misses);
    assert!(
        s.recall() >= 0.97 && s.precision() >= 0.99,
        "{:#?}",
        s.misses
    );
    // The second discover crawled only what was left.
    for (host, seen) in finished {
        assert_eq!(
            mirror.stats.requests_for_host(&host),
            seen,
            "{host} crawled again"
        );
    }
    let generated = std::fs::read_to_string(generated_path(&config)).unwrap();
    assert_eq!(generated.matches("[[source]]").count(), s.found_rows);
}
