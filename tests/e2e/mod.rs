//! Shared harness: a site folder served by the real mirror, a config pointing at it,
//! and runs of the real pipeline into a temporary data folder.

mod bill_topics;
mod bills;
mod changes;
mod chaos;
mod cli;
mod clock;
mod config_errors;
mod crash;
mod delivery;
mod discover;
mod health;
mod honest;
mod html_parsers;
mod nationwide;
mod object_storage;
mod readable;
mod reextract;
mod reextract_bench;
mod report;
mod review;
mod run_lock;
mod scenario;
mod year;

use std::path::{Path, PathBuf};

use mynawatch::config::Config;
use mynawatch::run::{run, RunOptions, RunSummary};
use mynawatch_sim::mirror::{serve, MirrorHandle};

/// A site on the mirror plus a data folder.
pub struct Site {
    pub root: PathBuf,
    pub data: PathBuf,
    pub mirror: MirrorHandle,
    _tmp: tempfile::TempDir,
}

impl Site {
    pub async fn new() -> Site {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        let data = tmp.path().join("data");
        std::fs::create_dir_all(&root).unwrap();
        let mirror = serve(root.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .expect("mirror starts");
        Site {
            root,
            data,
            mirror,
            _tmp: tmp,
        }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.mirror.addr)
    }

    /// Write a file of the site (creating folders).
    pub fn put(&self, path: &str, bytes: impl AsRef<[u8]>) {
        let p = self.root.join(path.trim_start_matches('/'));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// Replace the mirror's fault file (`_mirror.toml`); empty string clears it.
    pub fn faults(&self, toml: &str) {
        std::fs::write(self.root.join("_mirror.toml"), toml).unwrap();
    }

    /// Config text with fast politeness for loopback, and `{base}` replaced.
    pub fn config(&self, sources: &str) -> Config {
        let text = format!(
            "[fetch]\nmin_interval_ms = 0\nper_host_concurrency = 4\nbackoff_base_ms = 10\nmax_attempts = 2\nread_timeout_ms = 700\nconnect_timeout_ms = 1000\n\n{}",
            sources.replace("{base}", &self.base())
        );
        Config::parse(&text, Path::new("test.toml")).expect("test config parses")
    }

    pub async fn run(&self, cfg: &Config) -> RunSummary {
        run(cfg, &self.data, &RunOptions::default())
            .await
            .expect("run completes")
    }

    pub fn query(&self, sql: &str) -> Vec<serde_json::Value> {
        let out = mynawatch::commands::query(&self.data, sql, mynawatch::args::Format::Json)
            .expect("query runs");
        out.lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    }
}

/// A small deterministic generator (an LCG), so a failing random test replays from its seed.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number in `0..n`.
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Read a corpus file.
pub fn corpus(rel: &str) -> Vec<u8> {
    mynawatch_testutil::corpus_bytes(rel)
}

/// The loopback Japan generated under `dir` from the real municipal list (seed 20260709, at
/// most `limit` municipalities): what the nationwide, year and reextract benchmarks run on.
/// `None`, with a SKIPPED line, when the corpus is absent.
pub fn generated_japan(dir: &Path, limit: Option<usize>) -> Option<mynawatch_sim::japan::Japan> {
    let list = mynawatch_testutil::corpus_dir()
        .join("municipal_list/localgovjp-utf8_20260709_cd94f841.csv");
    if !list.exists() {
        eprintln!("SKIPPED: the real municipal list is absent (set MYNAWATCH_CORPUS)");
        return None;
    }
    let issuers = mynawatch_discover::read_list(&list).expect("the real list parses");
    let options = mynawatch_sim::japan::JapanOptions {
        seed: 20260709,
        limit,
    };
    Some(mynawatch_sim::japan::generate(&issuers, dir, &options).expect("the generated Japan"))
}

/// The `[fetch]` section of a config that sends every host to the loopback web at `addr`:
/// `interval_ms` between requests to one host, `at_once` requests in flight, quick retries.
pub fn loopback_fetch(addr: std::net::SocketAddr, interval_ms: u64, at_once: usize) -> String {
    format!(
        "[fetch]\nmin_interval_ms = {interval_ms}\nglobal_concurrency = {at_once}\nbackoff_base_ms = 10\nmax_attempts = 2\nresolve = {{ \"*\" = \"{addr}\" }}\n\n"
    )
}
