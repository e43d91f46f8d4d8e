//! A killed run leaves the store consistent, and the next run finishes the job.

use std::time::Duration;

use super::{Lcg, Site};

fn page(title: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1><p>資格確認書は令和8年7月31日まで有効です。</p></main></body></html>"
    )
}

fn sources() -> &'static str {
    "[[source]]\nid = \"fast\"\nfamily = \"page\"\nurls = [\"{base}/fast.html\"]\n\n\
     [[source]]\nid = \"slow\"\nfamily = \"page\"\nurls = [\"{base}/slow.html\"]\n"
}

fn write_config(site: &Site) -> std::path::PathBuf {
    let path = site.data.parent().unwrap().join("crash.toml");
    let text = format!(
        "data_dir = \"{}\"\n[fetch]\nmin_interval_ms = 0\n\n{}",
        site.data.display(),
        sources().replace("{base}", &site.base())
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// Every table file, partition folders included.
fn parquet_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let store = mynawatch_store::Store::open(dir).unwrap();
    mynawatch_store::TABLES
        .iter()
        .flat_map(|t| store.files(*t).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_killed_mid_fetch_publishes_nothing_and_the_rerun_finishes() {
    let site = Site::new().await;
    site.put("fast.html", page("速い"));
    site.put("slow.html", page("遅い"));
    site.faults("[[fault]]\npath = \"/slow.html\"\nkind = \"delay_ms\"\nms = 20000\n");
    let cfg = write_config(&site);

    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
        .args(["run", "--config", &cfg.display().to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Let the fast source be fetched and stored as a snapshot, then kill -9.
    let snapshots = site.data.join("snapshots");
    for _ in 0..200 {
        if std::fs::read_dir(&snapshots)
            .map(|d| d.count() > 0)
            .unwrap_or(false)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    assert!(
        parquet_files(&site.data).is_empty(),
        "a killed run published no table file"
    );

    site.faults("");
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
        .args(["run", "--config", &cfg.display().to_string()])
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("stale"),
        "the stale lock is reported: {stderr}"
    );
    let rows = site.query("select source_id from notices order by source_id");
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["source_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["fast", "slow"], "each source's rows exactly once");
    assert!(
        !site.data.join("staging").exists()
            || std::fs::read_dir(site.data.join("staging"))
                .unwrap()
                .count()
                == 0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_killed_after_its_commit_record_is_rolled_forward_by_the_next_run() {
    let site = Site::new().await;
    site.put("fast.html", page("速い"));
    site.put("slow.html", page("遅い"));
    let cfg = write_config(&site);
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
        .args(["run", "--config", &cfg.display().to_string()])
        .env("MYNAWATCH_FAILPOINT", "after_commit_record")
        .output()
        .await
        .unwrap();
    assert_ne!(out.status.code(), Some(0), "the failpoint aborted the run");
    assert!(
        parquet_files(&site.data).is_empty(),
        "nothing published before the abort"
    );

    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
        .args(["run", "--config", &cfg.display().to_string()])
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("finished publishing"), "{stderr}");
    // The first run's rows were published by recovery; the second run saw unchanged content.
    let rows = site.query("select source_id, run_id from notices order by source_id");
    assert_eq!(rows.len(), 2);
    let runs = site.query("select run_id, status from runs order by run_id");
    assert_eq!(runs.len(), 2, "both runs are recorded: {runs:?}");
    assert_eq!(rows[0]["run_id"], runs[0]["run_id"]);
}

fn versioned(v: u32) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>資格確認書</title></head>\
         <body><main><h1>資格確認書について</h1><p>資格確認書は第{v}版の案内に沿って送付します。</p></main></body></html>"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn twenty_runs_killed_at_random_points_leave_a_readable_store_and_every_change_exactly_once()
{
    let site = Site::new().await;
    site.put("fast.html", versioned(0));
    site.put("slow.html", page("遅い"));
    // The slow page keeps each run open long enough to be killed anywhere in it.
    site.faults("[[fault]]\npath = \"/slow.html\"\nkind = \"delay_ms\"\nms = 300\n");
    let cfg = write_config(&site);
    let run = |kill_after: Option<u64>| {
        let cfg = cfg.clone();
        async move {
            let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
                .args(["run", "--config", &cfg.display().to_string()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            if let Some(ms) = kill_after {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                let _ = child.start_kill(); // SIGKILL; the run may already be done
            }
            child.wait().await.unwrap()
        }
    };
    assert!(run(None).await.success());
    let mut rng = Lcg(0x4b111);
    for v in 1..=20u32 {
        site.put("fast.html", versioned(v));
        run(Some(rng.next(900))).await;
        // Readable, and no half-published run: every run in a content table has its
        // `runs` row (both are published by the same commit).
        let orphans = site.query(
            "select count(*) as n from notices where run_id not in (select run_id from runs)",
        );
        assert_eq!(
            orphans[0]["n"], 0,
            "version {v}: a half-published run is visible"
        );
        let status = run(None).await;
        assert!(status.success(), "version {v}: the rerun completes");
        let latest = site.query("select text from notices_current where source_id = 'fast'");
        assert!(
            latest[0]["text"]
                .as_str()
                .unwrap()
                .contains(&format!("第{v}版")),
            "version {v}: {latest:?}"
        );
    }
    let changed = site.query(
        "select count(*) as n from changes where source_id = 'fast' and kind = 'notice_text_changed'",
    );
    assert_eq!(changed[0]["n"], 20, "each edit recorded exactly once");
    let staging = site.data.join("staging");
    let left = std::fs::read_dir(&staging).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "nothing left in staging");
}
