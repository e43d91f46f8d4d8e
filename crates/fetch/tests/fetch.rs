//! The fetcher against the mirror over real loopback HTTP: politeness measured in the
//! server, retries and Retry-After, conditional GET, robots.txt, timeouts, caps,
//! redirects, charsets, and error pages served as files.

use std::path::Path;
use std::time::{Duration, Instant};

use mynawatch_fetch::{FetchConfig, FetchRequest, FetchResponse, Fetcher, SnapshotStore};
use mynawatch_model::content::Expected;
use mynawatch_model::FetchOutcome;
use mynawatch_sim::mirror::{serve, MirrorHandle};

struct Site {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    mirror: MirrorHandle,
}

impl Site {
    async fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let mirror = serve(root.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        Site {
            _dir: dir,
            root,
            mirror,
        }
    }

    fn put(&self, path: &str, bytes: impl AsRef<[u8]>) {
        let p = self.root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    fn faults(&self, toml: &str) {
        std::fs::write(self.root.join("_mirror.toml"), toml).unwrap();
    }

    fn url(&self, path: &str) -> String {
        self.mirror.url(path)
    }
}

fn quick() -> FetchConfig {
    FetchConfig {
        min_interval_ms: 0,
        backoff_base_ms: 10,
        read_timeout_ms: 2_000,
        connect_timeout_ms: 1_000,
        ..FetchConfig::default()
    }
}

fn req(url: String) -> FetchRequest {
    FetchRequest {
        run_id: "r1".into(),
        source_id: "src".into(),
        url: url.clone(),
        expected: Expected::from_url(&url),
        validators: None,
        politeness: None,
    }
}

async fn get(cfg: FetchConfig, url: String) -> FetchResponse {
    Fetcher::new(cfg).unwrap().fetch(req(url)).await
}

const PAGE: &str = "<!DOCTYPE html><html><head><meta charset=\"UTF-8\"><title>t</title></head><body><p>資格確認書</p></body></html>";

fn assert_failed_naming(r: &FetchResponse, url: &str, cause: &str) {
    assert_eq!(r.record.outcome, FetchOutcome::Failed, "{:?}", r.record);
    let err = r.record.error.as_deref().unwrap_or("");
    assert!(err.starts_with("src: "), "error names the source: {err}");
    assert!(err.contains(url), "error names the URL: {err}");
    assert!(
        err.contains(cause),
        "error names the cause `{cause}`: {err}"
    );
    assert!(r.body.is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn never_more_requests_in_flight_per_host_than_configured() {
    let site = Site::new().await;
    let mut faults = String::new();
    for i in 0..6 {
        site.put(&format!("p{i}.html"), PAGE);
        faults.push_str(&format!(
            "[[fault]]\npath = \"/p{i}.html\"\nkind = \"delay_ms\"\nms = 80\n"
        ));
    }
    site.faults(&faults);
    for limit in [1usize, 3] {
        site.mirror.stats.reset();
        let f = Fetcher::new(FetchConfig {
            per_host_concurrency: limit,
            obey_robots: false,
            ..quick()
        })
        .unwrap();
        let tasks: Vec<_> = (0..6)
            .map(|i| {
                let f = f.clone();
                let url = site.url(&format!("p{i}.html"));
                tokio::spawn(async move { f.fetch(req(url)).await })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().record.outcome, FetchOutcome::Fetched);
        }
        let seen = site.mirror.stats.max_in_flight();
        assert!(seen <= limit, "limit {limit}, server saw {seen} in flight");
        assert!(seen >= 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_minimum_interval_spaces_request_starts_per_host() {
    let site = Site::new().await;
    site.put("a.html", PAGE);
    site.put("b.html", PAGE);
    let f = Fetcher::new(FetchConfig {
        min_interval_ms: 300,
        obey_robots: false,
        ..quick()
    })
    .unwrap();
    let start = Instant::now();
    f.fetch(req(site.url("a.html"))).await;
    f.fetch(req(site.url("b.html"))).await;
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "second request waited for the interval"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_are_retried_until_they_clear() {
    let site = Site::new().await;
    site.put("flaky.csv", "a,b\n1,2\n");
    site.faults("[[fault]]\npath = \"/flaky.csv\"\nkind = \"status\"\nstatus = 503\ntimes = 2\n");
    let r = get(quick(), site.url("flaky.csv")).await;
    assert_eq!(r.record.outcome, FetchOutcome::Fetched);
    assert_eq!(r.record.attempts, 3);
    assert_eq!(r.body.as_deref(), Some(&b"a,b\n1,2\n"[..]));
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_in_seconds_is_honoured() {
    let site = Site::new().await;
    site.put("busy.html", PAGE);
    site.faults("[[fault]]\npath = \"/busy.html\"\nkind = \"retry_after\"\nretry_after = \"1\"\ntimes = 1\n");
    let start = Instant::now();
    let r = get(quick(), site.url("busy.html")).await;
    assert_eq!(r.record.outcome, FetchOutcome::Fetched);
    assert_eq!(r.record.attempts, 2);
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "waited as Retry-After said"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_as_an_http_date_is_honoured_and_an_excessive_one_fails() {
    let site = Site::new().await;
    site.put("busy.html", PAGE);
    let when = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    site.faults(&format!("[[fault]]\npath = \"/busy.html\"\nkind = \"retry_after\"\nretry_after = \"{when}\"\ntimes = 1\n"));
    let start = Instant::now();
    let r = get(quick(), site.url("busy.html")).await;
    assert_eq!(r.record.outcome, FetchOutcome::Fetched);
    assert!(start.elapsed() >= Duration::from_millis(900));

    site.faults(
        "[[fault]]\npath = \"/busy.html\"\nkind = \"retry_after\"\nretry_after = \"3600\"\n",
    );
    let r = get(
        FetchConfig {
            max_retry_after_ms: 5_000,
            ..quick()
        },
        site.url("busy.html"),
    )
    .await;
    assert_failed_naming(&r, "busy.html", "exceeds the cap");
    assert_eq!(r.record.status_code, Some(429));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conditional_request_gets_304_and_confirms_the_stored_snapshot() {
    let site = Site::new().await;
    site.put("stats.csv", "年月,件数\n2025/5/1,100\n");
    let dir = tempfile::tempdir().unwrap();
    let store = SnapshotStore::open(dir.path()).unwrap();
    let f = Fetcher::new(quick()).unwrap();
    let first = f.fetch(req(site.url("stats.csv"))).await;
    assert_eq!(first.record.outcome, FetchOutcome::Fetched);
    let sha = store.put(first.body.as_ref().unwrap()).unwrap();
    assert!(first.record.etag.is_some() && first.record.last_modified.is_some());
    let mut again = req(site.url("stats.csv"));
    again.validators = Some(mynawatch_fetch::Validators {
        etag: first.record.etag.clone(),
        last_modified: first.record.last_modified.clone(),
        sha256: sha.clone(),
    });
    let second = f.fetch(again).await;
    assert_eq!(second.record.outcome, FetchOutcome::NotModified);
    assert_eq!(second.record.status_code, Some(304));
    assert_eq!(second.record.sha256.as_deref(), Some(sha.as_str()));
    assert!(second.body.is_none());
    assert_eq!(site.mirror.stats.not_modified(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn robots_txt_is_fetched_once_per_host_and_obeyed() {
    let site = Site::new().await;
    site.put("robots.txt", "User-agent: *\nDisallow: /private/\n");
    site.put("private/a.html", PAGE);
    site.put("public/a.html", PAGE);
    let f = Fetcher::new(quick()).unwrap();
    let blocked = f.fetch(req(site.url("private/a.html"))).await;
    assert_eq!(blocked.record.outcome, FetchOutcome::SkippedRobots);
    assert!(blocked
        .record
        .error
        .as_deref()
        .unwrap()
        .contains("robots.txt"));
    assert_eq!(
        site.mirror.stats.requests("/private/a.html"),
        0,
        "a disallowed URL is never requested"
    );
    let ok = f.fetch(req(site.url("public/a.html"))).await;
    assert_eq!(ok.record.outcome, FetchOutcome::Fetched);
    assert_eq!(site.mirror.stats.requests("/robots.txt"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_server_times_out_after_the_configured_attempts() {
    let site = Site::new().await;
    site.put("slow.html", PAGE);
    site.faults("[[fault]]\npath = \"/slow.html\"\nkind = \"delay_ms\"\nms = 1500\n");
    let r = get(
        FetchConfig {
            read_timeout_ms: 300,
            max_attempts: 2,
            ..quick()
        },
        site.url("slow.html"),
    )
    .await;
    assert_failed_naming(&r, "slow.html", "timed out");
    assert_eq!(r.record.attempts, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_over_the_cap_fails_instead_of_being_truncated() {
    let site = Site::new().await;
    site.put("huge.html", PAGE);
    site.faults("[[fault]]\npath = \"/huge.html\"\nkind = \"oversize\"\nbytes = 3000000\n");
    let r = get(
        FetchConfig {
            max_body_bytes: 1_000_000,
            ..quick()
        },
        site.url("huge.html"),
    )
    .await;
    assert_failed_naming(&r, "huge.html", "exceeds the cap of 1000000 bytes");
    assert_eq!(r.record.attempts, 1, "a cap violation is not retried");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_cut_short_is_a_failure() {
    let site = Site::new().await;
    site.put("cut.html", PAGE.repeat(50));
    site.faults("[[fault]]\npath = \"/cut.html\"\nkind = \"truncate\"\n");
    let r = get(
        FetchConfig {
            max_attempts: 2,
            ..quick()
        },
        site.url("cut.html"),
    )
    .await;
    assert_eq!(r.record.outcome, FetchOutcome::Failed);
    let err = r.record.error.unwrap();
    assert!(
        err.contains("cut short") || err.contains("truncated"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn redirect_loops_long_chains_and_non_http_targets_are_refused() {
    let site = Site::new().await;
    site.put("end.html", PAGE);
    let mut chain = String::from("[[fault]]\npath = \"/loop.html\"\nkind = \"redirect_loop\"\n\n[[fault]]\npath = \"/ftp.html\"\nkind = \"redirect\"\nto = \"ftp://example.invalid/x\"\n");
    for i in 0..7 {
        let next = if i == 6 {
            "/end.html".to_string()
        } else {
            format!("/r{}.html", i + 1)
        };
        chain.push_str(&format!(
            "[[fault]]\npath = \"/r{i}.html\"\nkind = \"redirect\"\nto = \"{next}\"\n"
        ));
    }
    site.faults(&chain);
    let r = get(quick(), site.url("loop.html")).await;
    assert_failed_naming(&r, "loop.html", "redirect");
    let r = get(quick(), site.url("ftp.html")).await;
    assert_failed_naming(&r, "ftp.html", "non-http(s)");
    let r = get(quick(), site.url("r0.html")).await;
    assert_failed_naming(&r, "r0.html", "more than 5 redirects");
    let ok = get(quick(), site.url("r3.html")).await;
    assert_eq!(
        ok.record.outcome,
        FetchOutcome::Fetched,
        "four redirects are fine"
    );
    assert!(ok.record.final_url.ends_with("/end.html"));
}

fn sjis(text: &str) -> Vec<u8> {
    encoding_rs::SHIFT_JIS.encode(text).0.into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn shift_jis_pages_are_decoded_with_or_without_a_correct_declaration() {
    let site = Site::new().await;
    let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"><title>国民健康保険</title></head><body><p>資格確認書は令和8年7月31日まで有効です。</p></body></html>";
    site.put("sjis.html", sjis(page));
    site.put("sjis_wrong.html", sjis(page));
    site.put(
        "sjis_bare.html",
        sjis(&page.replace("; charset=Shift_JIS", "")),
    );
    site.faults(
        "[[fault]]\npath = \"/sjis_wrong.html\"\nkind = \"charset\"\ncharset = \"UTF-8\"\n",
    );
    for (path, header_has) in [
        ("sjis.html", "Shift_JIS"),
        ("sjis_wrong.html", "UTF-8"),
        ("sjis_bare.html", "Shift_JIS"),
    ] {
        let r = get(quick(), site.url(path)).await;
        assert_eq!(r.record.outcome, FetchOutcome::Fetched, "{path}");
        assert!(
            r.record
                .content_type
                .as_deref()
                .unwrap()
                .contains(header_has),
            "{path}: {:?}",
            r.record.content_type
        );
        assert_eq!(r.record.charset.as_deref(), Some("Shift_JIS"), "{path}");
        let text = mynawatch_model::content::decode(
            r.body.as_ref().unwrap(),
            r.record.content_type.as_deref(),
        )
        .text;
        assert!(
            text.contains("資格確認書は令和8年7月31日まで有効です。"),
            "{path}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_html_error_page_served_as_xlsx_fails_with_its_title() {
    let site = Site::new().await;
    let real = mynawatch_testutil::corpus_bytes(
        "figures/negative/soumu_404_page_saved_as_mynumber_card_data_detailed.xlsx",
    );
    site.put("main_content/001028752.xlsx", real);
    let r = get(quick(), site.url("main_content/001028752.xlsx")).await;
    assert_failed_naming(&r, "001028752.xlsx", "ご利用のページが見つかりません");
    assert_eq!(r.record.attempts, 1, "wrong content is not retried");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_host_fails_with_the_cause() {
    // A port nothing listens on: bind, note it, drop.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/x.html");
    let r = get(
        FetchConfig {
            max_attempts: 2,
            obey_robots: false,
            ..quick()
        },
        url.clone(),
    )
    .await;
    assert_failed_naming(&r, &url, "error");
    assert_eq!(r.record.attempts, 2);
    let _ = Path::new("unused");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_reset_after_the_headers_fails_after_retrying() {
    let site = Site::new().await;
    site.put("reset.html", PAGE);
    site.faults("[[fault]]\npath = \"/reset.html\"\nkind = \"reset\"\n");
    let r = get(
        FetchConfig {
            max_attempts: 2,
            ..quick()
        },
        site.url("reset.html"),
    )
    .await;
    assert_eq!(r.record.outcome, FetchOutcome::Failed, "{:?}", r.record);
    let err = r.record.error.as_deref().unwrap_or("");
    assert!(
        err.starts_with("src: ") && err.contains("reset.html"),
        "{err}"
    );
    assert_eq!(r.record.attempts, 2, "a reset is transient and retried");
    assert_eq!(site.mirror.stats.requests("/reset.html"), 2);
    assert!(r.body.is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_200_is_a_failure_not_an_empty_snapshot() {
    let site = Site::new().await;
    site.put("data.csv", "都道府県名,人口\n北海道,5092000\n");
    site.faults("[[fault]]\npath = \"/data.csv\"\nkind = \"empty\"\n");
    let r = get(
        FetchConfig {
            max_attempts: 1,
            ..quick()
        },
        site.url("data.csv"),
    )
    .await;
    assert_failed_naming(&r, "data.csv", "empty body");
    assert_eq!(r.record.sha256, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_per_host_limit_is_counted_per_host_name() {
    let site = Site::new().await;
    let mut faults = String::new();
    for i in 0..4 {
        site.put(&format!("h{i}.html"), PAGE);
        faults.push_str(&format!(
            "[[fault]]\npath = \"/h{i}.html\"\nkind = \"delay_ms\"\nms = 60\n"
        ));
    }
    site.faults(&faults);
    let port = site.mirror.addr.port();
    let hosts = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    let f = Fetcher::new(FetchConfig {
        per_host_concurrency: 1,
        obey_robots: false,
        ..quick()
    })
    .unwrap();
    let tasks: Vec<_> = hosts
        .iter()
        .flat_map(|h| (0..4).map(move |i| format!("http://{h}/h{i}.html")))
        .map(|url| {
            let f = f.clone();
            tokio::spawn(async move { f.fetch(req(url)).await })
        })
        .collect();
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.record.outcome, FetchOutcome::Fetched, "{:?}", r.record);
    }
    for h in &hosts {
        assert_eq!(
            site.mirror.stats.max_in_flight_for_host(h),
            1,
            "{h}: one request in flight at a time"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hosts_politeness_set_from_the_config_holds_for_every_request_to_it() {
    let site = Site::new().await;
    for i in 0..3 {
        site.put(&format!("q{i}.html"), PAGE);
    }
    let f = Fetcher::new(FetchConfig {
        obey_robots: false,
        per_host_concurrency: 4,
        ..quick()
    })
    .unwrap();
    // One source on this host asked for 150 ms between requests; requests that carry
    // no override of their own (another source, reaching the host first) still get it.
    f.set_host_politeness(
        &site.url("q0.html"),
        &mynawatch_fetch::HostPoliteness {
            per_host_concurrency: Some(1),
            min_interval: Some(Duration::from_millis(150)),
        },
    )
    .await;
    let tasks: Vec<_> = (0..3)
        .map(|i| {
            let f = f.clone();
            let url = site.url(&format!("q{i}.html"));
            tokio::spawn(async move { f.fetch(req(url)).await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().record.outcome, FetchOutcome::Fetched);
    }
    let host = site.mirror.stats.hosts().into_iter().next().unwrap();
    assert_eq!(site.mirror.stats.max_in_flight_for_host(&host), 1);
    let gap = site.mirror.stats.min_gap_for_host(&host).unwrap();
    assert!(gap >= Duration::from_millis(140), "{gap:?}");
}
