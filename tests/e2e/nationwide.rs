//! A run over every generated municipality (the loopback Japan of `mynawatch-discover`,
//! built from the real list of 1,741): peak memory stays under 300 MB, and a second run
//! over the same pages records no change. A benchmark, not a timed test: it is ignored
//! by default and its figures go to docs/benchmarks.md.
//!
//! `cargo test --test tests nationwide -- --ignored --nocapture`

use mynawatch_sim::mirror::serve;

/// The run's `run committed` log line (JSON logs).
fn committed(stderr: &[u8]) -> serde_json::Value {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["message"] == "run committed")
        .expect("the run logs its commit")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: generates 1,741 sites; run with --ignored"]
async fn a_run_over_every_generated_municipality_stays_under_300_mb() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(japan) = super::generated_japan(&tmp.path().join("japan"), None) else {
        return;
    };
    let mirror = serve(japan.root.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let mut toml = format!(
        "data_dir = \"{}\"\n{}",
        tmp.path().join("data").display(),
        super::loopback_fetch(mirror.addr, 0, 32)
    );
    let n = japan.found_notices().count();
    toml.push_str(&japan.notice_sources_toml());
    let cfg = tmp.path().join("nationwide.toml");
    std::fs::write(&cfg, toml).unwrap();
    let run = || async {
        let t = std::time::Instant::now();
        let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
            .args(["--log-format", "json", "run", "--config"])
            .arg(&cfg)
            .output()
            .await
            .unwrap();
        (out, t.elapsed())
    };
    let (first, took) = run().await;
    let line = committed(&first.stderr);
    let peak = line["peak_rss_mib"].as_u64().unwrap();
    println!(
        "nationwide run: {n} notice sources in {:.1} s, status {}, peak RSS {peak} MiB",
        took.as_secs_f64(),
        line["status"]
    );
    assert!(peak < 300, "peak memory {peak} MiB");
    score_against_the_ground_truth(&japan.sites, &tmp.path().join("data"));
    let (second, took) = run().await;
    let line = committed(&second.stderr);
    println!(
        "second run: {:.1} s, {} changes, peak RSS {} MiB",
        took.as_secs_f64(),
        line["changes"],
        line["peak_rss_mib"]
    );
    assert_eq!(
        line["changes"], 0,
        "a run over unchanged pages records no change"
    );
    // One file per table per run, however many sources: the store does not grow by sources.
    let data = tmp.path().join("data");
    let store = mynawatch_store::Store::open(&data).unwrap();
    let notice_files = store
        .files(mynawatch_store::TableName::Notices)
        .unwrap()
        .len();
    let all_files: usize = mynawatch_store::TABLES
        .iter()
        .map(|t| store.files(*t).unwrap().len())
        .sum();
    let t = std::time::Instant::now();
    let current = store
        .query("select count(*) as n from notices_current")
        .unwrap();
    println!(
        "store after two runs: {all_files} Parquet files ({notice_files} of notices); notices_current ({} rows) in {:.0} ms",
        current.column("n").unwrap().get(0).unwrap(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(notice_files, 1, "the notices of a run are one file");
}

/// The notices read back against the generator's ground truth: policy, mailing window and
/// validity of every found page. A wrong date is a failure; a missing one is counted.
fn score_against_the_ground_truth(
    sites: &[mynawatch_sim::japan::TruthSite],
    data: &std::path::Path,
) {
    let out = mynawatch::commands::query(
        data,
        "select source_id, issuance_policy, cast(mailing_start as varchar) as ms, \
         cast(mailing_end as varchar) as me, cast(valid_until as varchar) as vu from notices",
        mynawatch::args::Format::Json,
    )
    .expect("query runs");
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (mut policy_right, mut total) = (0, 0);
    let mut wrong_dates = Vec::new();
    let mut missing_dates = 0;
    for site in sites.iter().filter(|s| s.expected_status == "found") {
        for t in &site.notices {
            let id = format!("municipal_{}_{}", site.code, t.scheme);
            let Some(r) = rows.iter().find(|r| r["source_id"] == id.as_str()) else {
                continue;
            };
            total += 1;
            if r["issuance_policy"] == t.policy.as_str() {
                policy_right += 1;
            } else if total - policy_right <= 5 {
                println!(
                    "  policy: {id} ({}) read {} where the page says {}",
                    site.style, r["issuance_policy"], t.policy
                );
            }
            for (field, want) in [
                ("ms", t.mailing_start),
                ("me", t.mailing_end),
                ("vu", t.valid_until),
            ] {
                match r[field].as_str() {
                    None => missing_dates += 1,
                    Some(got) if got == want.to_string() => {}
                    Some(got) => wrong_dates.push(format!("{id} {field}: {got} (truth {want})")),
                }
            }
        }
    }
    println!(
        "ground truth: policy right on {policy_right}/{total} notices ({:.1}%), {} wrong dates, {missing_dates} missing",
        policy_right as f64 * 100.0 / total.max(1) as f64,
        wrong_dates.len()
    );
    assert!(
        wrong_dates.is_empty(),
        "wrong dates: {:#?}",
        &wrong_dates[..wrong_dates.len().min(20)]
    );
}
