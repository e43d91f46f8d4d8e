//! Source health and figures the pipeline computes: a repeatedly failing source alerts
//! once after N failed runs, `alerts test` reaches every sink, and derived figures come
//! out of a real run with their inputs named.

use super::Site;

#[tokio::test(flavor = "multi_thread")]
async fn a_source_failing_run_after_run_alerts_once_after_n_failures() {
    let site = Site::new().await;
    site.put("a.html", "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>t</title></head><body><main><p>資格確認書のお知らせ</p></main></body></html>");
    let alerts = site.data.parent().unwrap().join("alerts.jsonl");
    let cfg = site.config(&format!(
        "[alerts]\nbroken_after_failures = 2\n[alerts.sinks.log]\ntype = \"jsonl\"\npath = \"{}\"\n[[alerts.routes]]\nname = \"health\"\nsinks = [\"log\"]\nkinds = [\"source_broken\", \"source_recovered\"]\n\n\
         [[source]]\nid = \"a\"\nfamily = \"page\"\nurls = [\"{{base}}/a.html\"]\n",
        alerts.display()
    ));
    assert!(site.run(&cfg).await.all_ok());
    site.faults("[[fault]]\npath = \"/a.html\"\nkind = \"status\"\nstatus = 503\n");
    let alert_lines = || {
        std::fs::read_to_string(&alerts)
            .map(|s| s.lines().count())
            .unwrap_or(0)
    };
    let first = site.run(&cfg).await;
    assert_eq!(
        first.changes.len(),
        1,
        "the change row is written on the first failure"
    );
    assert_eq!(alert_lines(), 0, "but no alert before 2 failures in a row");
    site.run(&cfg).await;
    assert_eq!(alert_lines(), 1, "one alert at the second failure");
    site.run(&cfg).await;
    site.run(&cfg).await;
    assert_eq!(alert_lines(), 1, "and not again while it stays broken");
    let states = site.query("select count(*) as n from changes where kind = 'source_broken'");
    assert_eq!(
        states[0]["n"], 1,
        "one source_broken row per failure streak"
    );
    site.faults("");
    let healed = site.run(&cfg).await;
    assert_eq!(healed.changes.len(), 1);
    assert_eq!(
        alert_lines(),
        2,
        "the recovery of an alerted source is alerted"
    );
    let last: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&alerts)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(last["kind"], "source_recovered");
}

#[tokio::test(flavor = "multi_thread")]
async fn alerts_test_sends_a_sample_to_every_sink() {
    let site = Site::new().await;
    let dir = site.data.parent().unwrap().to_path_buf();
    let cfg_path = dir.join("alerts.toml");
    std::fs::write(
        &cfg_path,
        format!(
            "data_dir = \"{}\"\n[alerts.sinks.a]\ntype = \"jsonl\"\npath = \"{}\"\n[alerts.sinks.b]\ntype = \"jsonl\"\npath = \"{}\"\n\n[[source]]\nid = \"x\"\nfamily = \"page\"\nurls = [\"http://127.0.0.1:9/x.html\"]\n",
            site.data.display(),
            dir.join("a.jsonl").display(),
            dir.join("b.jsonl").display()
        ),
    )
    .unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
        .args([
            "alerts",
            "test",
            "--config",
            &cfg_path.display().to_string(),
        ])
        .output()
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in ["a.jsonl", "b.jsonl"] {
        let line = std::fs::read_to_string(dir.join(f)).unwrap();
        assert!(line.contains("test alert"), "{f}: {line}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_run_yields_the_registration_rate_derived_from_holdings() {
    let site = Site::new().await;
    site.put(
        "dashboard/table_01.csv",
        mynawatch_testutil::fixture_bytes("da_dashboard/penetration_rate_table_01_wide.csv"),
    );
    let cfg = site.config("[[source]]\nid = \"dashboard\"\nfamily = \"da_dashboard\"\nurls = [\"{base}/dashboard/table_01.csv\"]\n");
    let run = site.run(&cfg).await;
    assert!(run.all_ok(), "{:?}", run.outcomes);
    let rows = site.query(
        "select as_of, value, derived_from, locator from figures \
         where metric = 'insurance.registration_per_card_rate' order by as_of",
    );
    assert!(!rows.is_empty(), "derived rows exist");
    let jan = rows
        .iter()
        .find(|r| {
            r["as_of"]
                .as_str()
                .is_some_and(|d| d.starts_with("2026-01"))
        })
        .expect("2026-01");
    // Published: 91,321,958 registrations of 101,148,007 cards = 90.3%; computed to 2 decimals.
    assert_eq!(jan["value"], 90.29);
    assert_eq!(jan["derived_from"], "insurance.registrations/card.holdings");
    assert!(jan["locator"].as_str().unwrap().starts_with("derived:"));
    let published = site.query("select value from figures where metric = 'card.holdings' and as_of >= '2026-01-01' and as_of < '2026-02-01'");
    assert_eq!(published[0]["value"], 101_148_007.0);
}

#[tokio::test(flavor = "multi_thread")]
async fn reextract_reads_stored_snapshots_and_records_what_a_fixed_extractor_adds() {
    let site = Site::new().await;
    site.put(
        "usage.csv",
        mynawatch_testutil::fixture_bytes("demo/usage_rate_v1.csv"),
    );
    let source = |metrics: &str| {
        format!(
            "[[source]]\nid = \"usage\"\nfamily = \"table\"\nurls = [\"{{base}}/usage.csv\"]\n[source.options]\narea = \"全国\"\ndate = {{ column = [\"年月\"] }}\n{metrics}"
        )
    };
    let rate = "[[source.options.metrics]]\nheaders = [\"利用率\"]\nmetric = \"insurance.usage_rate\"\nunit = \"percent\"\n";
    let count = "[[source.options.metrics]]\nheaders = [\"利用件数\"]\nmetric = \"insurance.usage_count\"\nunit = \"count\"\n";
    assert!(site.run(&site.config(&source(rate))).await.all_ok());
    let requests = site.mirror.stats.total_requests();
    // The "fixed extractor": the same source now also reads the count column.
    let fixed = site.config(&source(&format!("{rate}{count}")));
    let opts = mynawatch::run::RunOptions {
        reextract: true,
        ..Default::default()
    };
    let summary = mynawatch::run::run(&fixed, &site.data, &opts)
        .await
        .unwrap();
    assert!(summary.all_ok(), "{:?}", summary.outcomes);
    assert_eq!(
        site.mirror.stats.total_requests(),
        requests,
        "re-extraction makes no request"
    );
    let kinds: Vec<(&str, String)> = summary
        .changes
        .iter()
        .map(|c| (c.kind.as_str(), c.entity_key.clone()))
        .collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(kinds
        .iter()
        .all(|(k, key)| *k == "added" && key.contains("insurance.usage_count")));
    let rows = site.query("select metric, count(*) as n from figures where run_id in (select max(run_id) from figures) group by metric order by metric");
    assert_eq!(
        rows.len(),
        2,
        "the new extraction holds both series: {rows:?}"
    );
}
