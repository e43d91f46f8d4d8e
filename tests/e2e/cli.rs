//! The binary's contract with schedulers: exit codes, stdout/stderr, JSON logs.

use std::process::Output;

use super::Site;

const PAGE: &str = "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>国民健康保険の資格確認書について｜テスト市</title></head>\
<body><header><nav><a href=\"/\">ホーム</a></nav></header><main><h1>国民健康保険の資格確認書について</h1>\
<p>更新日：2025年7月16日</p><p>資格確認書は、マイナ保険証をお持ちでない方に送付します。</p></main><footer>テスト市役所</footer></body></html>";

async fn mynawatch(args: Vec<String>) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
        .args(args)
        .env("RUST_LOG", "info")
        .output()
        .await
        .expect("binary runs")
}

fn write_config(site: &Site, sources: &str) -> std::path::PathBuf {
    let path = site.data.parent().unwrap().join("test.toml");
    let text = format!(
        "data_dir = \"{}\"\n[fetch]\nmin_interval_ms = 0\nbackoff_base_ms = 10\nmax_attempts = 2\n\n{}",
        site.data.display(),
        sources.replace("{base}", &site.base())
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn s(x: &str) -> String {
    x.to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_config_key_exits_2_and_names_the_key() {
    let site = Site::new().await;
    let cfg = write_config(
        &site,
        "[[source]]\nid = \"a\"\nfamily = \"page\"\nurls = [\"{base}/a.html\"]\nurl_typo = 1\n",
    );
    let out = mynawatch(vec![s("run"), s("--config"), cfg.display().to_string()]).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("url_typo"));
}

#[tokio::test(flavor = "multi_thread")]
async fn all_sources_ok_exits_0() {
    let site = Site::new().await;
    site.put("a.html", PAGE);
    let cfg = write_config(
        &site,
        "[[source]]\nid = \"a\"\nfamily = \"page\"\nurls = [\"{base}/a.html\"]\n",
    );
    let out = mynawatch(vec![s("run"), s("--config"), cfg.display().to_string()]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_source_exits_3_names_source_url_and_cause_and_the_rest_is_stored() {
    let site = Site::new().await;
    site.put("a.html", PAGE);
    let cfg = write_config(
        &site,
        "[[source]]\nid = \"good\"\nfamily = \"page\"\nurls = [\"{base}/a.html\"]\n\n[[source]]\nid = \"gone\"\nfamily = \"page\"\nurls = [\"{base}/missing.html\"]\n",
    );
    let out = mynawatch(vec![
        s("run"),
        s("--config"),
        cfg.display().to_string(),
        s("--log-format"),
        s("json"),
    ])
    .await;
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let failure = stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["source_id"] == "gone" && v["cause"].is_string())
        .expect("a JSON log line for the failing source");
    assert!(failure["url"].as_str().unwrap().ends_with("/missing.html"));
    assert!(
        failure["cause"].as_str().unwrap().contains("404"),
        "{failure}"
    );
    let rows = site.query("select source_id, title from notices");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["source_id"], "good");
    let fetches = site.query(
        "select source_id, outcome, status_code, error from fetches where source_id = 'gone'",
    );
    assert_eq!(fetches[0]["outcome"], "failed");
    assert_eq!(fetches[0]["status_code"], 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_run_while_one_holds_the_lock_exits_4() {
    let site = Site::new().await;
    site.put("slow.html", PAGE);
    site.faults("[[fault]]\npath = \"/slow.html\"\nkind = \"delay_ms\"\nms = 1500\n");
    let cfg = write_config(
        &site,
        "[[source]]\nid = \"slow\"\nfamily = \"page\"\nurls = [\"{base}/slow.html\"]\n",
    );
    let first = tokio::spawn(mynawatch(vec![
        s("run"),
        s("--config"),
        cfg.display().to_string(),
    ]));
    // Wait until the first run has taken the lock.
    let lock = site.data.join("run.lock");
    for _ in 0..100 {
        if lock.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(lock.exists(), "first run took the lock");
    let second = mynawatch(vec![s("run"), s("--config"), cfg.display().to_string()]).await;
    assert_eq!(
        second.status.code(),
        Some(4),
        "stderr: {}",
        String::from_utf8_lossy(&second.stderr)
    );
    let first = first.await.unwrap();
    assert_eq!(
        first.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&first.stderr)
    );
}

/// The README's notices query, verbatim.
pub const WHO_SENDS_TO_EVERYONE: &str =
    "select n.area_name, n.valid_until, n.policy_evidence from notices n \
join (select source_id, max(run_id) as run_id from notices group by source_id) latest \
on n.source_id = latest.source_id and n.run_id = latest.run_id \
where n.issuance_policy = 'all_insured' order by n.area_name";

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_query_lists_municipalities_that_send_to_everyone_with_the_current_expiry() {
    let site = Site::new().await;
    let fixture = mynawatch_testutil::fixture_bytes;
    site.put("shibuya.html", fixture("demo/shibuya_notice_v1.html"));
    site.put(
        "toshima.html",
        fixture("municipal_notice/toshima_sjis.html"),
    );
    site.put("minato.html", fixture("municipal_notice/minato.html"));
    let cfg = site.config(
        "[[source]]\nid = \"shibuya\"\nfamily = \"municipal_notice\"\nurls = [\"{base}/shibuya.html\"]\n[source.options]\narea = \"東京都渋谷区\"\n\n\
         [[source]]\nid = \"toshima\"\nfamily = \"municipal_notice\"\nurls = [\"{base}/toshima.html\"]\n[source.options]\narea = \"東京都豊島区\"\n\n\
         [[source]]\nid = \"minato\"\nfamily = \"municipal_notice\"\nurls = [\"{base}/minato.html\"]\n[source.options]\narea = \"東京都港区\"\n",
    );
    assert!(site.run(&cfg).await.all_ok());
    site.put("shibuya.html", fixture("demo/shibuya_notice_v2.html"));
    assert!(site.run(&cfg).await.all_ok());
    let rows = site.query(WHO_SENDS_TO_EVERYONE);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["area_name"], "東京都渋谷区");
    assert_eq!(
        rows[0]["valid_until"], "2027-07-31",
        "the current version, not the first"
    );

    let changes =
        mynawatch::commands::changes(&site.data, None, mynawatch::args::Format::Json).unwrap();
    let kinds: Vec<String> = changes
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "added").count(), 3);
    assert!(kinds.contains(&"notice_text_changed".to_string()));
    let today = chrono::Utc::now().date_naive().to_string();
    let since_today =
        mynawatch::commands::changes(&site.data, Some(&today), mynawatch::args::Format::Csv)
            .unwrap();
    assert_eq!(
        since_today.lines().count(),
        changes.lines().count() + 1,
        "header + every row of today"
    );
    let table =
        mynawatch::commands::sources(&cfg, &site.data, mynawatch::args::Format::Table).unwrap();
    assert!(
        table.lines().nth(1).unwrap().starts_with("shibuya"),
        "config order: {table}"
    );
    assert!(
        table.contains("unchanged") && table.contains("extracted"),
        "{table}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn extract_text_prints_the_transcript_rows_as_json_lines() {
    let file = mynawatch_testutil::fixtures_dir().join("mhlw_press/0000194708_00838.txt");
    let out = mynawatch(vec![
        s("extract"),
        s("--family"),
        s("mhlw_press"),
        s("--text"),
        s("--url"),
        s("https://www.mhlw.go.jp/stf/kaiken/daijin/0000194708_00838.html"),
        file.display().to_string(),
    ])
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[0]["table"], "events");
    assert_eq!(
        (
            rows[0]["date"].as_str(),
            rows[0]["start_time"].as_str(),
            rows[0]["end_time"].as_str()
        ),
        (Some("2025-08-08"), Some("10:48"), Some("10:59"))
    );
    assert_eq!(rows[0]["venue"], "省内会見室");
    assert_eq!(rows[0]["principal"], "福岡");
    let roles: Vec<&str> = rows[1..]
        .iter()
        .map(|r| r["speaker_role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, vec!["reporter", "minister", "reporter"]);
}

/// Many files are extracted on every core, but printed in the order given: the default and
/// `-j 1` print the same bytes, and a failing file stops the command with its name.
#[tokio::test(flavor = "multi_thread")]
async fn extract_prints_many_files_in_the_order_given_whatever_the_threads() {
    let dir = mynawatch_testutil::fixtures_dir().join("mhlw_press");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    // Each file twice, interleaved, so a reordering would show.
    let many: Vec<String> = (0..6).flat_map(|_| files.clone()).collect();
    let args = |jobs: &str| {
        let mut a = vec![s("extract"), s("--family"), s("mhlw_press"), s("--text")];
        a.extend(many.iter().cloned());
        a.extend([s("-j"), s(jobs)]);
        a
    };
    let one = mynawatch(args("1")).await;
    let four = mynawatch(args("4")).await;
    assert_eq!(
        one.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_eq!(four.status.code(), Some(0));
    assert_eq!(one.stdout, four.stdout);
    // Rows come in file order: the files their rows name, runs collapsed, are `many`.
    let mut urls: Vec<String> = Vec::new();
    for l in String::from_utf8(four.stdout).unwrap().lines() {
        let r: serde_json::Value = serde_json::from_str(l).unwrap();
        if let Some(u) = r["provenance"]["url"].as_str() {
            if urls.last().map(String::as_str) != Some(u) {
                urls.push(u.to_string());
            }
        }
    }
    let expected: Vec<String> = many.iter().map(|f| format!("file://{f}")).collect();
    assert_eq!(urls, expected);

    let mut bad = many.clone();
    bad.insert(3, dir.join("no-such-file.txt").display().to_string());
    let mut a = vec![s("extract"), s("--family"), s("mhlw_press"), s("--text")];
    a.extend(bad);
    let out = mynawatch(a).await;
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-file.txt"));
}

#[tokio::test(flavor = "multi_thread")]
async fn normalize_prints_one_json_object_per_input() {
    let out = mynawatch(vec![
        s("normalize"),
        s("約1,260万円"),
        s("令和7年8月8日(金)10:48~10:59"),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["numbers"][0]["value"], 12_600_000.0);
    assert_eq!(lines[0]["numbers"][0]["qualifier"], "approx");
    assert_eq!(lines[1]["dates"][0]["start"], "2025-08-08");
    assert_eq!(lines[1]["dates"][0]["time"]["end"], "10:59");
}

#[test]
fn the_shipped_configs_and_the_readme_example_parse_with_registered_families() {
    let root = mynawatch_testutil::repo_root();
    for file in ["config/mynawatch.toml", "config/demo.toml"] {
        let cfg = mynawatch::config::Config::load(&root.join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(!cfg.sources.is_empty(), "{file}");
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let example = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a toml example");
    // The example's webhook signs with a secret from the environment, as a deployment
    // would set it; a missing one is a config error (tested in config_errors).
    let example = example.replace(
        "secret_env = \"MYNAWATCH_WEBHOOK_SECRET\"",
        "secret_env = \"MYNAWATCH_README_TEST_SECRET\"",
    );
    std::env::set_var("MYNAWATCH_README_TEST_SECRET", "readme-test");
    let cfg = mynawatch::config::Config::parse(&example, std::path::Path::new("README.md"))
        .unwrap_or_else(|e| panic!("README example: {e}"));
    assert!(cfg.sources.len() >= 3);
    assert!(cfg.alerts.sinks.contains_key("team"));
}
