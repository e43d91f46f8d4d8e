//! `mynawatch reextract`: the documents of each selected source's last good extraction,
//! read back from the snapshot store with the metadata of the fetch that stored them, so
//! a fixed extractor backfills exactly what the source served last, nothing it served
//! before and nothing of the sources not selected.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::Result;
use mynawatch_model::{FetchOutcome, FetchRecord};
use mynawatch_store::{SourceStates, Store};

use super::follow::{meta_of, Doc, Fetched};
use super::{Ctx, SourceError};
use crate::config::SourceConfig;

/// What re-extraction will read for each selected source: the snapshots of its last good
/// extraction with the metadata of the fetch that stored them, but not their bytes. The
/// bytes are read one source at a time ([`Stored::take`]) as that source settles, so memory
/// is bounded by the largest source, not by the history of every source selected.
pub(crate) struct Stored(BTreeMap<String, Result<Plan, SourceError>>);

/// One source's documents to read back.
pub(crate) struct Plan {
    docs: Vec<mynawatch_model::SnapshotMeta>,
    listed: BTreeSet<String>,
}

/// For each selected source with a last good extraction, where its documents are.
pub(crate) fn stored_documents(
    store: &Store,
    ctx: &Ctx,
    states: &SourceStates,
    sources: &[&SourceConfig],
) -> Result<Stored> {
    let fetches = store.load_fetches()?;
    // Each source's fetches that stored or confirmed a snapshot, grouped once: scanning
    // every fetch for every source was quadratic (10,000 sources, 20,000 fetches).
    let mut by_source: HashMap<&str, Vec<&FetchRecord>> = HashMap::new();
    for f in fetches
        .iter()
        .filter(|f| f.sha256.is_some())
        .filter(|f| matches!(f.outcome, FetchOutcome::Fetched | FetchOutcome::NotModified))
    {
        by_source.entry(f.source_id.as_str()).or_default().push(f);
    }
    let mut out = BTreeMap::new();
    for src in sources {
        let id = &src.id;
        let Some(state) = states.get(id).filter(|s| s.last_good_run.is_some()) else {
            out.insert(
                id.clone(),
                Err(SourceError::Extract {
                    url: src.urls[0].clone(),
                    cause: "no stored snapshots to re-extract".into(),
                }),
            );
            continue;
        };
        let mine: &[&FetchRecord] = by_source.get(id.as_str()).map_or(&[], Vec::as_slice);
        let mut docs = Vec::new();
        let mut missing = Vec::new();
        for sha in &state.last_good_snapshots {
            // The newest fetch that stored or confirmed this snapshot.
            let Some(f) = mine
                .iter()
                .filter(|f| f.sha256.as_deref() == Some(sha.as_str()))
                .max_by_key(|f| f.fetched_at)
            else {
                missing.push(sha.clone());
                continue;
            };
            if ctx.snaps.contains(sha) {
                docs.push(meta_of(f, id, &ctx.run_id, sha.clone()));
            } else {
                missing.push(format!("{sha} (not in the snapshot store)"));
            }
        }
        let result = if missing.is_empty() {
            // Nothing was fetched, so nothing is evidence of a removal: every page the
            // source ever fetched counts as still listed.
            let listed: BTreeSet<String> = mine
                .iter()
                .flat_map(|f| [f.url.clone(), f.final_url.clone()])
                .filter(|u| !u.is_empty())
                .collect();
            Ok(Plan { docs, listed })
        } else {
            Err(unreadable(src, &missing))
        };
        out.insert(id.clone(), result);
    }
    Ok(Stored(out))
}

fn unreadable(src: &SourceConfig, missing: &[String]) -> SourceError {
    SourceError::Extract {
        url: src.urls[0].clone(),
        cause: format!(
            "snapshots of the last good extraction are not readable: {}",
            missing.join(", ")
        ),
    }
}

impl Stored {
    /// `src`'s documents, their bytes read now from the snapshot store.
    pub(crate) fn take(&mut self, ctx: &Ctx, src: &SourceConfig) -> Result<Fetched, SourceError> {
        let plan = self.0.remove(&src.id).unwrap_or_else(|| {
            Err(SourceError::Extract {
                url: src.urls[0].clone(),
                cause: "no stored snapshots to re-extract".into(),
            })
        })?;
        let mut docs = Vec::with_capacity(plan.docs.len());
        let mut missing = Vec::new();
        for meta in plan.docs {
            match ctx.snaps.get(&meta.sha256) {
                Ok(bytes) => docs.push(Doc { meta, bytes }),
                Err(e) => missing.push(format!("{} ({e})", meta.sha256)),
            }
        }
        if !missing.is_empty() {
            return Err(unreadable(src, &missing));
        }
        Ok(Fetched {
            docs,
            extraction: None,
            listed: plan.listed,
            listings: BTreeSet::new(),
        })
    }
}

/// Throughput of `mynawatch reextract` (issue 15): a benchmark, not a timed test, so it is
/// ignored by default; `bench/reextract.sh` runs it on a release build and its figures go
/// to docs/benchmarks.md.
#[cfg(test)]
mod bench {
    use std::path::PathBuf;
    use std::time::Instant;

    use mynawatch_discover::read_list;
    use mynawatch_sim::japan::{generate, JapanOptions};

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
        let issuers = read_list(&list).expect("the real list parses");
        let japan = generate(
            &issuers,
            &tmp.path().join("japan"),
            &JapanOptions {
                seed: 20260709,
                limit: None,
            },
        )
        .unwrap();
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
        let mirror =
            mynawatch_sim::mirror::serve(japan.root.clone(), "127.0.0.1:0".parse().unwrap())
                .await
                .unwrap();
        let mut toml = format!(
            "data_dir = \"{}\"\n[fetch]\nmin_interval_ms = 0\nglobal_concurrency = 32\nbackoff_base_ms = 10\nmax_attempts = 2\nresolve = {{ \"*\" = \"{}\" }}\n\n",
            tmp.path().join("data").display(),
            mirror.addr
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
}
