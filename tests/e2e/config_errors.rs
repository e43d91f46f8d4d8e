//! Config errors are found when the config is loaded: a family option the family cannot
//! use, or a secret whose environment variable is missing, is exit 2 naming the source
//! (or sink) and the key, before anything is fetched; never a broken source on every run,
//! and never an unsigned webhook.

use std::path::PathBuf;
use std::process::Output;

use super::Site;

const PAGE: &str = "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>資格確認書について｜テスト区</title></head>\
<body><main><h1>資格確認書について</h1><p>資格確認書は、マイナ保険証をお持ちでない方に送付します。</p></main></body></html>";

/// The real binary with `args`, with `unset` removed from its environment and `set` added.
async fn mynawatch(args: &[&str], unset: &[&str], set: &[(&str, &str)]) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"));
    cmd.args(args);
    for v in unset {
        cmd.env_remove(v);
    }
    for (k, v) in set {
        cmd.env(k, v);
    }
    cmd.output().await.expect("binary runs")
}

/// A config file beside the site's (not yet created) data folder; `{base}` is the mirror.
fn config_file(site: &Site, body: &str) -> PathBuf {
    let path = site.data.parent().unwrap().join("test.toml");
    let text = format!(
        "data_dir = \"{}\"\n[fetch]\nmin_interval_ms = 0\nmax_attempts = 1\n\n{}",
        site.data.display(),
        body.replace("{base}", &site.base())
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// Run `mynawatch run` on `body` (with `env`: variables unset, variables set); assert exit 2 with every one of `named` in stderr, and
/// that nothing was fetched or written.
async fn assert_config_error(body: &str, env: (&[&str], &[(&str, &str)]), named: &[&str]) {
    let site = Site::new().await;
    site.put("notice.html", PAGE);
    let cfg = config_file(&site, body);
    let out = mynawatch(&["run", "--config", cfg.to_str().unwrap()], env.0, env.1).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    for n in named {
        assert!(stderr.contains(n), "stderr should name {n}: {stderr}");
    }
    assert_eq!(
        site.mirror.stats.total_requests(),
        0,
        "fetched before failing"
    );
    assert!(!site.data.exists(), "data folder written before failing");
}

/// `mynawatch sources` on `body` (it loads and validates the config): exit 0.
async fn assert_loads(body: &str, set: &[(&str, &str)]) {
    let site = Site::new().await;
    let cfg = config_file(&site, body);
    let out = mynawatch(&["sources", "--config", cfg.to_str().unwrap()], &[], set).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn notice_source(area: &str) -> String {
    format!(
        "[[source]]\nid = \"ward_notice\"\nfamily = \"municipal_notice\"\nurls = [\"{{base}}/notice.html\"]\n[source.options]\narea = \"{area}\"\n"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_area_exits_2_naming_the_source_the_key_and_the_value() {
    assert_config_error(
        &notice_source("東京都みなみ区"),
        (&[], &[]),
        &["ward_notice", "`area`", "東京都みなみ区"],
    )
    .await;
    // The same source with an area that exists loads.
    assert_loads(&notice_source("東京都渋谷区"), &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_table_source_without_a_metric_mapping_or_with_a_bad_date_format_exits_2() {
    let table = |options: &str| {
        format!("[[source]]\nid = \"usage_csv\"\nfamily = \"table\"\nurls = [\"{{base}}/u.csv\"]\n[source.options]\n{options}\n")
    };
    assert_config_error(
        &table("metrics = []\ndate = { column = [\"年月\"] }"),
        (&[], &[]),
        &["usage_csv", "`metrics`"],
    )
    .await;
    let metric = "[[source.options.metrics]]\nheaders = [\"利用率\"]\nmetric = \"insurance.usage_rate\"\nunit = \"percent\"";
    assert_config_error(
        &table(&format!(
            "date = {{ column = [\"年月\"], format = \"%Y-%Q\" }}\n{metric}"
        )),
        (&[], &[]),
        &["usage_csv", "`date.format`", "%Y-%Q"],
    )
    .await;
    assert_config_error(
        &table(&format!("colour = \"red\"\n{metric}")),
        (&[], &[]),
        &["usage_csv", "colour"],
    )
    .await;
    assert_loads(
        &table(&format!("date = {{ column = [\"年月\"] }}\n{metric}")),
        &[],
    )
    .await;
}

const WEBHOOK_SECRET: &str = "MYNAWATCH_E2E_CONFIG_ERRORS_WEBHOOK_SECRET";
const SMTP_USER: &str = "MYNAWATCH_E2E_CONFIG_ERRORS_SMTP_USER";
const SMTP_PASSWORD: &str = "MYNAWATCH_E2E_CONFIG_ERRORS_SMTP_PASSWORD";

/// The notice source plus one alert sink `team` (its TOML keys) on a route.
fn with_sink(sink: &str) -> String {
    format!(
        "{}\n[alerts.sinks.team]\n{sink}\n[[alerts.routes]]\nname = \"all\"\nsinks = [\"team\"]\n",
        notice_source("東京都渋谷区")
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_whose_secret_variable_is_missing_exits_2_naming_sink_and_variable() {
    let body = with_sink(&format!(
        "type = \"webhook\"\nurl = \"http://127.0.0.1:9/hook\"\nsecret_env = \"{WEBHOOK_SECRET}\""
    ));
    assert_config_error(&body, (&[WEBHOOK_SECRET], &[]), &["`team`", WEBHOOK_SECRET]).await;
    assert_loads(&body, &[(WEBHOOK_SECRET, "s3cret")]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn smtp_credentials_whose_variable_is_missing_exit_2_naming_sink_and_variable() {
    let body = with_sink(&format!(
        "type = \"smtp\"\nhost = \"127.0.0.1\"\nport = 2525\nfrom = \"watch@example.jp\"\nto = [\"team@example.jp\"]\nusername_env = \"{SMTP_USER}\"\npassword_env = \"{SMTP_PASSWORD}\""
    ));
    assert_config_error(
        &body,
        (&[SMTP_PASSWORD], &[(SMTP_USER, "watch")]),
        &["`team`", "password_env", SMTP_PASSWORD],
    )
    .await;
    assert_loads(&body, &[(SMTP_PASSWORD, "pw"), (SMTP_USER, "watch")]).await;
}
