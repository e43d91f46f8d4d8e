//! The data folder on object storage (`--data s3://…`), end to end: the real binary against
//! a real S3 server on loopback (`tools/s3s-cas`, files on disk, SigV4, conditional writes
//! checked and applied as one step).
//!
//! The server binary comes from `MYNAWATCH_S3_SERVER`, else the cache `.ci/run` builds it
//! into (`~/.cache/mynawatch-tools/s3s-cas/release/s3s-cas`), else it is built there now.
//! Without it (or without Python with pyarrow and polars, `MYNAWATCH_PYTHON` or the cache's
//! venv) a test says SKIPPED, unless `MYNAWATCH_REQUIRE_TOOLS=1` (CI) makes that a failure.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::{Lcg, Site};

const BUCKET: &str = "mynawatch";
const KEY: &str = "test-access";
const SECRET: &str = "test-secret-123";

fn required() -> bool {
    std::env::var("MYNAWATCH_REQUIRE_TOOLS").is_ok_and(|v| v == "1")
}

fn skip(what: &str) -> Option<()> {
    assert!(!required(), "{what} (MYNAWATCH_REQUIRE_TOOLS=1)");
    eprintln!("SKIPPED: {what}");
    None
}

fn tools_dir() -> PathBuf {
    std::env::var_os("MYNAWATCH_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/mynawatch-tools")
        })
}

/// The S3 server binary, built once per test process when missing.
fn server_bin() -> Option<PathBuf> {
    static BIN: OnceLock<Option<PathBuf>> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(b) = std::env::var_os("MYNAWATCH_S3_SERVER") {
            return Some(PathBuf::from(b));
        }
        let target = tools_dir().join("s3s-cas");
        let bin = target.join("release/s3s-cas");
        if bin.exists() {
            return Some(bin);
        }
        eprintln!(
            "building tools/s3s-cas into {} (about 3 minutes)",
            target.display()
        );
        let manifest = mynawatch_testutil::repo_root().join("tools/s3s-cas/Cargo.toml");
        let ok = std::process::Command::new(env!("CARGO"))
            .args(["build", "--release", "--locked", "--manifest-path"])
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .is_ok_and(|s| s.success());
        (ok && bin.exists()).then_some(bin)
    })
    .clone()
}

/// Python with pyarrow and polars.
fn python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("MYNAWATCH_PYTHON").map(PathBuf::from),
        Some(tools_dir().join("py/bin/python")),
    ];
    candidates.into_iter().flatten().find(|p| {
        std::process::Command::new(p)
            .args(["-c", "import pyarrow.dataset, polars"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// A running server with one bucket, and a cache folder for the commands.
struct S3 {
    bin: PathBuf,
    root: PathBuf,
    port: u16,
    child: Option<std::process::Child>,
    cache: PathBuf,
    _tmp: tempfile::TempDir,
}

impl S3 {
    fn start() -> Option<S3> {
        let Some(bin) = server_bin() else {
            skip("no S3 server (tools/s3s-cas could not be built)")?;
            unreachable!()
        };
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("s3");
        std::fs::create_dir_all(root.join(BUCKET)).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut s = S3 {
            bin,
            root,
            port,
            child: None,
            cache: tmp.path().join("cache"),
            _tmp: tmp,
        };
        s.resume();
        Some(s)
    }

    /// Start (again) on the same port and files.
    fn resume(&mut self) {
        let child = std::process::Command::new(&self.bin)
            .args(["--host", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--access-key", KEY, "--secret-key", SECRET])
            .arg(&self.root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the S3 server starts");
        self.child = Some(child);
        let t = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "the S3 server listens"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The binary with the storage configured from the environment only.
    fn mynawatch(&self, endpoint: &str) -> tokio::process::Command {
        let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"));
        c.env("AWS_ENDPOINT_URL", endpoint)
            .env("AWS_ACCESS_KEY_ID", KEY)
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ALLOW_HTTP", "true")
            .env("MYNAWATCH_CACHE_DIR", &self.cache)
            .env("MYNAWATCH_LEASE_TTL_SECS", "2")
            .env_remove("MYNAWATCH_FAILPOINT")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        c
    }

    async fn cmd(&self, args: &[&str]) -> std::process::Output {
        self.mynawatch(&self.endpoint())
            .args(args)
            .output()
            .await
            .unwrap()
    }

    /// `query … --format json` rows.
    async fn query(&self, data: &str, sql: &str) -> Vec<serde_json::Value> {
        let out = self
            .cmd(&["query", "--data", data, "--format", "json", sql])
            .await;
        assert!(
            out.status.success(),
            "query {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Object keys under `prefix/under` (the server keeps objects as files).
    fn objects(&self, prefix: &str, under: &str) -> Vec<String> {
        let base = self.root.join(BUCKET).join(prefix);
        mynawatch_testutil::files_under(&base.join(under))
            .into_iter()
            .map(|p| p.strip_prefix(&base).unwrap().display().to_string())
            .filter(|k| !k.ends_with(".s3s-fs-internal") && !k.contains("/.tmp"))
            .collect()
    }
}

impl Drop for S3 {
    fn drop(&mut self) {
        self.stop();
    }
}

fn count(rows: &[serde_json::Value]) -> i64 {
    rows[0]["n"].as_i64().unwrap()
}

fn masked(text: &str) -> String {
    let re = regex::Regex::new(
        r"127\.0\.0\.1:\d+|\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{4}|\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}Z)?",
    )
    .unwrap();
    re.replace_all(text, "…").into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_on_a_bucket_gives_the_tables_and_report_of_the_demo_on_disk_and_pyarrow_and_polars_read_them_in_place(
) {
    let Some(s3) = S3::start() else { return };
    let corpus = mynawatch_testutil::corpus_dir();
    let disk = tempfile::tempdir().unwrap();
    let disk_data = disk.path().join("demo");
    let url = format!("s3://{BUCKET}/lake/demo");
    let corpus_arg = corpus.display().to_string();
    let disk_arg = disk_data.display().to_string();
    let disk_args = ["demo", "--data", &disk_arg, "--corpus", &corpus_arg];
    let bucket_args = ["demo", "--data", &url, "--corpus", &corpus_arg];
    let (on_disk, on_bucket) = tokio::join!(s3.cmd(&disk_args), s3.cmd(&bucket_args));
    for out in [&on_disk, &on_bucket] {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The runs' outcomes and changes, as the demo prints them, are the same.
    let runs = |o: &std::process::Output| {
        let t = String::from_utf8_lossy(&o.stdout).to_string();
        let start = t.find("── run 1").unwrap();
        let end = t.find("\nTables:").unwrap();
        masked(&t[start..end])
    };
    assert_eq!(runs(&on_disk), runs(&on_bucket));

    // Every table has the same rows on both.
    let mut tables = serde_json::Map::new();
    for t in mynawatch_store::TABLES {
        let sql = format!("select count(*) as n from {t}");
        let here = s3.query(&disk_arg, &sql).await;
        let there = s3.query(&url, &sql).await;
        assert_eq!(count(&here), count(&there), "rows of {t}");
        if count(&here) > 0 {
            let columns: Vec<String> = mynawatch_store::columns::empty(t)
                .unwrap()
                .schema()
                .iter_names()
                .map(|n| n.to_string())
                .collect();
            tables.insert(
                t.to_string(),
                serde_json::json!({"rows": count(&here), "columns": columns}),
            );
        }
    }
    assert!(tables.len() >= 8, "the demo fills most tables: {tables:?}");

    // The report of the bucket says what the report on disk says (times and ids aside).
    let report = disk.path().join("bucket-report.html");
    let out = s3
        .cmd(&[
            "report",
            "--data",
            &url,
            "--out",
            &report.display().to_string(),
        ])
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bucket_report = masked(&std::fs::read_to_string(&report).unwrap());
    let disk_report = masked(&std::fs::read_to_string(disk_data.join("report.html")).unwrap());
    assert!(
        bucket_report.contains("97,985,287"),
        "the report has the figures"
    );
    assert_eq!(disk_report, bucket_report, "the two reports differ");

    // Nothing staged is left, and the table files sit where hive readers look.
    assert!(s3.objects("lake/demo", "staging").is_empty());
    assert!(s3
        .objects("lake/demo", "tables")
        .iter()
        .all(|k| k.contains("/run_month=") && k.ends_with(".parquet")));

    let Some(py) = python() else {
        skip("no Python with pyarrow and polars (MYNAWATCH_PYTHON)");
        return;
    };
    let spec = serde_json::json!({
        "endpoint": s3.endpoint(), "bucket": BUCKET, "prefix": "lake/demo",
        "key": KEY, "secret": SECRET,
        "tables": tables.keys().collect::<Vec<_>>(),
    });
    let script = mynawatch_testutil::repo_root().join("tests/e2e/read_bucket.py");
    let out = tokio::process::Command::new(py)
        .arg(script)
        .arg(spec.to_string())
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (t, want) in &tables {
        for reader in ["pyarrow", "polars"] {
            let got = &read[t][reader];
            assert_eq!(got["rows"], want["rows"], "{reader} rows of {t}");
            let mut columns = want["columns"].as_array().unwrap().clone();
            columns.push("run_month".into());
            assert_eq!(
                got["columns"].as_array().unwrap(),
                &columns,
                "{reader} columns of {t}"
            );
        }
    }
}

/// A site of two notices; `slow` delays one page so a run lasts a while.
fn small_site(site: &Site, round: u32, slow_ms: u64) -> String {
    for (i, city) in ["渋谷区", "豊島区"].iter().enumerate() {
        site.put(
            &format!("n{i}.html"),
            format!(
                "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>{city} 資格確認書</title></head>\
                 <body><main><h1>{city} 資格確認書の送付</h1><p>お知らせ第{round}版。資格確認書は令和8年7月31日まで有効です。</p></main></body></html>"
            ),
        );
    }
    site.faults(&if slow_ms > 0 {
        format!("[[fault]]\npath = \"/n1.html\"\nkind = \"delay_ms\"\nms = {slow_ms}\n")
    } else {
        String::new()
    });
    let config = site.data.parent().unwrap().join("bucket.toml");
    std::fs::write(
        &config,
        format!(
            "[fetch]\nmin_interval_ms = 0\nmax_attempts = 1\nread_timeout_ms = 5000\n\n\
             [[source]]\nid = \"n0\"\nfamily = \"page\"\nurls = [\"{b}/n0.html\"]\n\n\
             [[source]]\nid = \"n1\"\nfamily = \"page\"\nurls = [\"{b}/n1.html\"]\n",
            b = site.base()
        ),
    )
    .unwrap();
    config.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_runs_started_together_on_one_bucket_one_commits_and_the_other_exits_4() {
    let Some(s3) = S3::start() else { return };
    let site = Site::new().await;
    let config = small_site(&site, 1, 1500);
    let url = format!("s3://{BUCKET}/race");
    let args = ["run", "--config", &config, "--data", &url];
    let (a, b) = tokio::join!(s3.cmd(&args), s3.cmd(&args));
    let mut codes = [a.status.code(), b.status.code()];
    codes.sort();
    assert_eq!(codes, [Some(0), Some(4)], "{a:?}\n{b:?}");
    let loser = if a.status.code() == Some(4) { &a } else { &b };
    let stderr = String::from_utf8_lossy(&loser.stderr);
    assert!(
        stderr.contains(&url) && stderr.contains("holds the lease"),
        "{stderr}"
    );
    assert_eq!(
        count(&s3.query(&url, "select count(*) as n from runs").await),
        1
    );
    // Every commit record is the winner's (its run, or its delivery), and nothing is staged.
    let winner = s3.query(&url, "select run_id from runs").await[0]["run_id"]
        .as_str()
        .unwrap()
        .to_string();
    let records = s3.objects("race", "commits");
    assert!(!records.is_empty());
    for key in records {
        let path = s3.root.join(BUCKET).join("race").join(&key);
        let record: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        assert!(
            record["run_id"].as_str().unwrap().starts_with(&winner),
            "{key}"
        );
    }
    assert!(s3.objects("race", "staging").is_empty());
}

/// The runs a reader sees, after checking that every table holds rows of those runs only
/// and every one of them has its fetches: a run is all there or not at all.
async fn committed_runs(s3: &S3, url: &str) -> Vec<String> {
    let runs: Vec<String> = s3
        .query(url, "select run_id from runs order by run_id")
        .await
        .iter()
        .map(|r| r["run_id"].as_str().unwrap().to_string())
        .collect();
    for t in ["fetches", "changes", "figures", "notices"] {
        for r in s3
            .query(url, &format!("select distinct run_id from {t}"))
            .await
        {
            let id = r["run_id"].as_str().unwrap();
            assert!(
                runs.iter().any(|x| x == id),
                "{t} holds rows of run {id}, which is not in runs"
            );
        }
    }
    for id in &runs {
        let n = s3
            .query(
                url,
                &format!("select count(*) as n from fetches where run_id = '{id}'"),
            )
            .await;
        assert!(count(&n) > 0, "run {id} is in runs but its fetches are not");
    }
    runs
}

/// `run` until it is not refused by a lease a killed run left (it expires in 2 s).
async fn run_to_completion(s3: &S3, config: &str, url: &str) {
    let t = Instant::now();
    loop {
        let out = s3.cmd(&["run", "--config", config, "--data", url]).await;
        match out.status.code() {
            Some(0) => return,
            Some(4) if t.elapsed() < Duration::from_secs(20) => {
                tokio::time::sleep(Duration::from_millis(300)).await
            }
            _ => panic!(
                "the next run fails: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_killed_at_random_points_leaves_readers_the_old_or_the_new_run_and_the_next_run_finishes(
) {
    let Some(s3) = S3::start() else { return };
    let site = Site::new().await;
    let url = format!("s3://{BUCKET}/killed");
    let config = small_site(&site, 0, 0);
    let t = Instant::now();
    run_to_completion(&s3, &config, &url).await;
    let full = t.elapsed().as_millis() as u64;
    let mut seen = committed_runs(&s3, &url).await;
    assert_eq!(seen.len(), 1);

    let mut rng = Lcg(0x26_2026_1207);
    // Ten kills at random moments of a run, then the three windows of the publication.
    let points: Vec<(Option<u64>, Option<&str>)> = (0..10)
        .map(|_| (Some(rng.next(full + 200)), None))
        .chain(
            [
                "remote_after_staging",
                "remote_after_commit",
                "remote_during_copy",
            ]
            .into_iter()
            .map(|f| (None, Some(f))),
        )
        .collect();
    for (round, (after_ms, failpoint)) in points.into_iter().enumerate() {
        small_site(&site, round as u32 + 2, 0);
        let mut cmd = s3.mynawatch(&s3.endpoint());
        cmd.args(["run", "--config", &config, "--data", &url]);
        if let Some(f) = failpoint {
            cmd.env("MYNAWATCH_FAILPOINT", f);
        }
        let mut child = cmd.spawn().unwrap();
        if let Some(ms) = after_ms {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            let _ = child.start_kill();
        }
        child.wait().await.unwrap();

        let runs = committed_runs(&s3, &url).await;
        let grew = runs.len() - seen.len();
        assert!(
            runs.starts_with(&seen) && grew <= 1,
            "round {round} ({after_ms:?} ms, {failpoint:?}): a reader sees {} runs after {}",
            runs.len(),
            seen.len()
        );
        // A listing reader never finds a file of a run that did not commit.
        for key in s3.objects("killed", "tables") {
            assert!(
                runs.iter().any(|r| key.contains(r.as_str())),
                "round {round}: {key} is in tables/ but its run never committed"
            );
        }
        run_to_completion(&s3, &config, &url).await;
        seen = committed_runs(&s3, &url).await;
        assert_eq!(
            seen.len(),
            runs.len() + 1,
            "round {round}: the next run committed"
        );
        assert!(s3.objects("killed", "staging").is_empty());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_storage_server_that_stops_or_answers_503_fails_the_run_naming_the_url_and_cause_and_loses_nothing(
) {
    let Some(mut s3) = S3::start() else { return };
    let site = Site::new().await;
    let url = format!("s3://{BUCKET}/failing");
    let config = small_site(&site, 1, 0);
    run_to_completion(&s3, &config, &url).await;

    // Stopped mid-run: the run is fetching its slow page when the server goes away.
    small_site(&site, 2, 1500);
    let run = s3
        .mynawatch(&s3.endpoint())
        .args(["run", "--config", &config, "--data", &url])
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    s3.stop();
    let out = run.wait_with_output().await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&url),
        "the error names the storage URL: {stderr}"
    );
    assert!(
        stderr.to_lowercase().contains("connect"),
        "the error names the cause: {stderr}"
    );
    s3.resume();
    assert_eq!(
        committed_runs(&s3, &url).await.len(),
        1,
        "nothing published is lost"
    );
    run_to_completion(&s3, &config, &url).await;
    assert_eq!(committed_runs(&s3, &url).await.len(), 2);

    // A server answering 503 to everything.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let busy = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 1 << 16];
                while let Ok(n) = sock.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    let body = "<Error><Code>SlowDown</Code><Message>busy</Message></Error>";
                    let reply = format!(
                        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if sock.write_all(reply.as_bytes()).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    let out = s3
        .mynawatch(&busy)
        .args(["run", "--config", &config, "--data", &url])
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains(&url) && stderr.contains("503"), "{stderr}");
    assert_eq!(
        committed_runs(&s3, &url).await.len(),
        2,
        "nothing published is lost"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_command_works_on_a_bucket() {
    let Some(s3) = S3::start() else { return };
    let site = Site::new().await;
    let url = format!("s3://{BUCKET}/commands");
    let config = small_site(&site, 1, 0);
    run_to_completion(&s3, &config, &url).await;
    small_site(&site, 2, 0);
    run_to_completion(&s3, &config, &url).await;
    let tmp = tempfile::tempdir().unwrap();
    let before = s3.query(&url, "select count(*) as n from notices").await;
    let files_before = s3.objects("commands", "tables").len();

    let ok = |o: &std::process::Output| {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let report = tmp.path().join("r.html");
    let feeds = tmp.path().join("feeds");
    assert!(ok(&s3.cmd(&["changes", "--data", &url]).await).contains("n1"));
    assert!(ok(&s3
        .cmd(&["sources", "--config", &config, "--data", &url])
        .await)
    .contains("n0"));
    ok(&s3
        .cmd(&[
            "report",
            "--data",
            &url,
            "--out",
            &report.display().to_string(),
        ])
        .await);
    assert!(report.exists());
    ok(&s3
        .cmd(&[
            "feed",
            "--data",
            &url,
            "--out",
            &feeds.display().to_string(),
        ])
        .await);
    assert!(feeds.join("all.atom").exists());
    ok(&s3.cmd(&["review", "list", "--data", &url, "--all"]).await);
    ok(&s3
        .cmd(&["reextract", "--config", &config, "--data", &url])
        .await);
    ok(&s3.cmd(&["compact", "--data", &url]).await);
    assert_eq!(
        count(&s3.query(&url, "select count(*) as n from notices").await),
        count(&before),
        "compact keeps the rows"
    );
    assert!(
        s3.objects("commands", "tables").len() < files_before,
        "compact merged files in the bucket"
    );
    // Two runs and the re-extraction.
    assert_eq!(
        count(&s3.query(&url, "select count(*) as n from runs").await),
        3
    );
}

#[test]
fn a_missing_server_is_a_clear_error_not_a_hang() {
    // No server listens on this port: the command fails quickly, naming the URL and cause.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cache = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
        .args(["query", "--data", "s3://nowhere/p", "select 1"])
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"))
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ALLOW_HTTP", "true")
        .env("MYNAWATCH_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("s3://nowhere/p") && stderr.to_lowercase().contains("connect"),
        "{stderr}"
    );
    assert!(t.elapsed() < Duration::from_secs(60));
}

#[tokio::test(flavor = "multi_thread")]
async fn storage_settings_name_the_variables_that_hold_the_endpoint_and_keys() {
    let Some(s3) = S3::start() else { return };
    let site = Site::new().await;
    let sources = small_site(&site, 1, 0);
    let config = site.data.parent().unwrap().join("lake.toml");
    std::fs::write(
        &config,
        format!(
            "data_dir = \"s3://{BUCKET}/settings\"\n\
             [storage]\nendpoint_env = \"LAKE_URL\"\naccess_key_id_env = \"LAKE_KEY\"\n\
             secret_access_key_env = \"LAKE_SECRET\"\nallow_http = true\n\n{}",
            std::fs::read_to_string(&sources).unwrap()
        ),
    )
    .unwrap();
    let run = |secret: Option<&str>| {
        let mut c = s3.mynawatch("http://unused.invalid");
        c.args(["run", "--config", &config.display().to_string()])
            .env_remove("AWS_ENDPOINT_URL")
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_ALLOW_HTTP")
            .env("LAKE_URL", s3.endpoint())
            .env("LAKE_KEY", KEY);
        if let Some(s) = secret {
            c.env("LAKE_SECRET", s);
        }
        c
    };
    let out = run(None).output().await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("LAKE_SECRET"), "{stderr}");

    let out = run(Some(SECRET)).output().await.unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(s3.objects("settings", "commits").len(), 1);
}
