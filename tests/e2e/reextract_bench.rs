//! `reextract` throughput (issue 15, `bench/reextract.sh`, outside CI): the loopback Japan
//! (seed 20260709) stores 10,000 municipal notice snapshots and 200 copies of the real MHLW
//! pages with one `mynawatch run` of the release binary, then `mynawatch reextract` reads
//! them all back; it prints documents/second, changes and the peak RSS of each process.

use std::path::PathBuf;
use std::time::Instant;

/// How many municipal notice sources (default 10,000; `BENCH_NOTICES`).
fn notices_wanted() -> usize {
    std::env::var("BENCH_NOTICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

/// The release binary beside this test binary (`target/release/deps/..` →
/// `target/release/mynawatch`), or `MYNAWATCH_BIN`.
fn binary() -> Option<PathBuf> {
    if let Ok(b) = std::env::var("MYNAWATCH_BIN") {
        return Some(PathBuf::from(b));
    }
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("mynawatch");
    bin.exists().then_some(bin)
}

/// A copy of the page at `url` under a sibling URL, its bytes made distinct by a
/// trailing comment (not text: the extraction is the same, the snapshot is another).
fn copy_page(japan: &mynawatch_sim::japan::Japan, url: &str, k: usize) -> String {
    let from = japan.file_of(url);
    let copy_url = if url.ends_with('/') {
        format!("{url}copy{k}.html")
    } else {
        match url.rsplit_once('.') {
            Some((stem, ext)) if !ext.contains('/') => format!("{stem}_copy{k}.{ext}"),
            _ => format!("{url}_copy{k}"),
        }
    };
    let mut bytes = std::fs::read(&from).expect("generated page");
    bytes.extend_from_slice(format!("\n<!-- copy {k} -->\n").as_bytes());
    std::fs::write(japan.file_of(&copy_url), bytes).expect("write copy");
    copy_url
}

/// The JSON log line `message` of a run's stderr.
fn logged(stderr: &[u8], message: &str) -> serde_json::Value {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["message"] == message)
        .unwrap_or_else(|| {
            panic!(
                "no `{message}` line in:\n{}",
                String::from_utf8_lossy(stderr)
            )
        })
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: 10,000 stored snapshots; run with bench/reextract.sh"]
async fn reextract_throughput_over_ten_thousand_stored_snapshots() {
    let corpus = mynawatch_testutil::corpus_dir();
    let list = corpus.join("municipal_list/localgovjp-utf8_20260709_cd94f841.csv");
    let mhlw: Vec<PathBuf> = ["182241", "184534"]
        .iter()
        .map(|t| corpus.join(format!("mhlw_pages/mhlw_newpage_67729_20260905T{t}.html")))
        .collect();
    if !list.exists() || mhlw.iter().any(|p| !p.exists()) {
        eprintln!(
            "SKIPPED: the corpus (municipal list, MHLW pages) is absent (set MYNAWATCH_CORPUS)"
        );
        return;
    }
    let Some(bin) = binary() else {
        eprintln!("SKIPPED: no mynawatch binary beside the test (cargo build --release --bin mynawatch, or set MYNAWATCH_BIN)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let Some(japan) = super::generated_japan(&tmp.path().join("japan"), None) else {
        return;
    };
    // Every generated notice page, then copies of them until there are enough.
    let originals: Vec<(String, String, String)> = japan
        .sites
        .iter()
        .filter(|s| s.expected_status == "found")
        .flat_map(|s| {
            s.notices.iter().map(|n| {
                (
                    format!("municipal_{}_{}", s.code, n.scheme),
                    n.url.clone(),
                    s.full_name.clone(),
                )
            })
        })
        .collect();
    let wanted = notices_wanted();
    let mut notices = Vec::with_capacity(wanted);
    'fill: for k in 0.. {
        for (id, url, area) in &originals {
            if notices.len() == wanted {
                break 'fill;
            }
            let (id, url) = if k == 0 {
                (id.clone(), url.clone())
            } else {
                (format!("{id}_copy{k}"), copy_page(&japan, url, k))
            };
            notices.push((id, url, area.clone()));
        }
    }
    // The two real MHLW pages, 100 stored copies each, as `page` sources.
    let mhlw_dir = japan.root.join("_vhosts/www.mhlw.go.jp/stf");
    std::fs::create_dir_all(&mhlw_dir).unwrap();
    let mut pages = Vec::new();
    for (i, p) in mhlw.iter().enumerate() {
        let bytes = std::fs::read(p).unwrap();
        for k in 0..100 {
            let name = format!("newpage_67729_{i}_{k}.html");
            let mut b = bytes.clone();
            b.extend_from_slice(format!("\n<!-- copy {k} -->\n").as_bytes());
            std::fs::write(mhlw_dir.join(&name), b).unwrap();
            pages.push((
                format!("mhlw_page_{i}_{k}"),
                format!("http://www.mhlw.go.jp/stf/{name}"),
            ));
        }
    }
    let mirror = mynawatch_sim::mirror::serve(japan.root.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let mut toml = format!(
        "data_dir = \"{}\"\n{}",
        tmp.path().join("data").display(),
        super::loopback_fetch(mirror.addr, 0, 32)
    );
    for (id, url, area) in &notices {
        toml.push_str(&format!(
            "[[source]]\nid = \"{id}\"\nfamily = \"municipal_notice\"\nurls = [\"{url}\"]\n[source.options]\narea = \"{area}\"\n\n"
        ));
    }
    for (id, url) in &pages {
        toml.push_str(&format!(
            "[[source]]\nid = \"{id}\"\nfamily = \"page\"\nurls = [\"{url}\"]\n\n"
        ));
    }
    let cfg = tmp.path().join("bench.toml");
    std::fs::write(&cfg, toml).unwrap();
    let sources = notices.len() + pages.len();
    println!(
        "set up {} notice sources ({} generated pages, the rest copies) and {} MHLW page sources in {:.1} s",
        notices.len(),
        originals.len(),
        pages.len(),
        t.elapsed().as_secs_f64()
    );
    let mynawatch = |command: &'static str| {
        let bin = bin.clone();
        let cfg = cfg.clone();
        async move {
            let t = Instant::now();
            let out = tokio::process::Command::new(&bin)
                .args(["--log-format", "json", command, "--config"])
                .arg(&cfg)
                .output()
                .await
                .unwrap();
            (out, t.elapsed().as_secs_f64())
        }
    };
    let (first, took) = mynawatch("run").await;
    let line = logged(&first.stderr, "run committed");
    println!(
        "first run (fetch + extract): {sources} sources in {took:.1} s, status {}, peak RSS {} MiB",
        line["status"], line["peak_rss_mib"]
    );
    let stored = std::fs::read_dir(tmp.path().join("data/snapshots"))
        .map(|d| d.count())
        .unwrap_or(0);
    let (re, took) = mynawatch("reextract").await;
    let line = logged(&re.stderr, "run committed");
    let peak = line["peak_rss_mib"].as_u64().unwrap_or(0);
    println!(
        "reextract: {sources} sources ({} notice + {} MHLW page snapshots) re-extracted and diffed in {took:.2} s = {:.0} documents/s; {} changes; status {}; peak RSS {peak} MiB (snapshot store: {stored} entries at its top level)",
        notices.len(),
        pages.len(),
        sources as f64 / took,
        line["changes"],
        line["status"]
    );
    assert_eq!(
        line["changes"], 0,
        "the same extractors over the same snapshots change nothing"
    );
    // `ok`: every selected source was extracted again without a failure.
    assert_eq!(line["status"], "ok", "every source re-extracted");
    mirror.shutdown().await;
}
