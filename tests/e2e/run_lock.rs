//! Two runs of the real binary started together on one data folder: the OS lock lets
//! exactly one through; the other exits 4 and names the holder. On a normal folder and
//! with the data folder (so the lock file) on tmpfs.

use std::path::Path;
use std::process::Output;

use super::Site;

const PAGE: &str = "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>資格確認書について｜テスト市</title></head>\
<body><main><h1>資格確認書について</h1><p>資格確認書は、マイナ保険証をお持ちでない方に送付します。</p></main></body></html>";

async fn run(config: &Path) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
        .args(["run", "--config", config.to_str().unwrap()])
        .output()
        .await
        .expect("binary runs")
}

/// Start two runs at once on `data`; the slow page keeps the winner inside its run
/// long after the loser has tried the lock.
async fn two_runs_at_once(data: &Path) {
    let site = Site::new().await;
    site.put("slow.html", PAGE);
    site.faults("[[fault]]\npath = \"/slow.html\"\nkind = \"delay_ms\"\nms = 1500\n");
    let config = site.data.parent().unwrap().join("lock.toml");
    std::fs::write(
        &config,
        format!(
            "data_dir = \"{}\"\n[fetch]\nmin_interval_ms = 0\nmax_attempts = 1\n\n[[source]]\nid = \"slow\"\nfamily = \"page\"\nurls = [\"{}/slow.html\"]\n",
            data.display(),
            site.base()
        ),
    )
    .unwrap();
    let (a, b) = tokio::join!(run(&config), run(&config));
    let mut codes = [a.status.code(), b.status.code()];
    codes.sort();
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(
        codes,
        [Some(0), Some(4)],
        "one run completes, the other is refused\nA: {}\nB: {}",
        stderr(&a),
        stderr(&b)
    );
    let refused = if a.status.code() == Some(4) { &a } else { &b };
    assert!(
        stderr(refused).contains("run.lock"),
        "the refused run names the lock: {}",
        stderr(refused)
    );
    // The lock is free again once the winner has finished.
    let again = run(&config).await;
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_runs_started_together_one_exits_4() {
    let tmp = tempfile::tempdir().unwrap();
    two_runs_at_once(&tmp.path().join("data")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_runs_started_together_with_the_lock_on_tmpfs_one_exits_4() {
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() {
        println!("/dev/shm not present: tmpfs lock test skipped");
        return;
    }
    let tmp = tempfile::tempdir_in(shm).unwrap();
    two_runs_at_once(&tmp.path().join("data")).await;
}
