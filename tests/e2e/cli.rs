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
