//! `mynawatch discover`: find each municipality's page about 資格確認書 (国民健康保険 and
//! 後期高齢者医療) by crawling its official site, so a scheduled run can watch all 1,741.
//!
//! - [`list`]: the list of municipalities and their sites (the real `localgovjp` CSV).
//! - [`crawl`](crawl::crawl): one site, politely, best link first; the page classifier
//!   itself is pure and lives with the extractors (`mynawatch_extract::classify`).
//! - [`discover`]: every issuer, a bounded number of sites at a time, resumable: each
//!   finished issuer is appended to a progress file, and a discover that was killed
//!   continues where it stopped.
//! - [`sources`]: the `municipal.generated.toml` a config includes.
//! - [`japan`]: the seeded "loopback Japan" generator (1,741 sites under their real host
//!   names, eight CMS styles and the ways real sites fail) with its ground truth.
//!
//! This crate writes no tables: the caller stores the rows (`municipal_pages`).
#![deny(missing_docs)]

pub mod crawl;
pub mod japan;
pub mod list;
pub mod sources;

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use mynawatch_fetch::Fetcher;
use mynawatch_model::MunicipalPage;
use serde::{Deserialize, Serialize};

pub use list::{read_list, Issuer};

/// Errors of discovery. A site that fails is not an error: it is a row.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoverError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The list file is not the expected CSV.
    #[error("municipal list {path}: {message}")]
    List {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> DiscoverError + '_ {
    move |source| DiscoverError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `[discover]` in the config. The politeness itself (interval, one request per host,
/// robots.txt, global cap) is `[fetch]`'s.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiscoverConfig {
    /// Most requests to one site (home page, robots.txt and sitemaps included).
    pub page_budget: usize,
    /// Most clicks from the home page (sitemap entries count as one).
    pub max_depth: u32,
    /// Sites crawled at once; 0 = `[fetch] global_concurrency`.
    pub concurrency: usize,
    /// A notice at least this sure ends the search for its scheme.
    pub sure_score: i32,
    /// Once the 国保 notice is sure, links scoring below this are not followed
    /// (beyond `extra_pages` of them).
    pub promising_link: i32,
    /// Neutral pages still fetched after the 国保 notice is sure, looking for the 後期
    /// one (sites listed only by a sitemap give no link words to go by).
    pub extra_pages: usize,
    /// Most URLs taken from one sitemap.
    pub max_sitemap_urls: usize,
}

impl Default for DiscoverConfig {
    fn default() -> Self {
        DiscoverConfig {
            page_budget: 60,
            max_depth: 4,
            concurrency: 0,
            sure_score: 16,
            promising_link: 1,
            extra_pages: 8,
            max_sitemap_urls: 300,
        }
    }
}

/// One finished issuer, as a line of the progress file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Done {
    code: String,
    rows: Vec<MunicipalPage>,
}

/// The rows of issuers already finished by an interrupted discover (`progress` file,
/// JSON lines). A torn last line (the process was killed mid-write) is ignored.
pub fn load_progress(
    progress: &Path,
) -> Result<BTreeMap<String, Vec<MunicipalPage>>, DiscoverError> {
    let text = match std::fs::read_to_string(progress) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(io_err(progress)(e)),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str::<Done>(l).ok())
        .map(|d| (d.code, d.rows))
        .collect())
}

/// Discover every issuer: those already in `progress` are taken from it, the others are
/// crawled (`cfg.concurrency` sites at once) and appended to it as each finishes, and
/// `on_done(issuer, rows, resumed)` is called for every issuer. Returns all rows, in the
/// order of `issuers`. The caller stores them and then deletes the progress file.
pub async fn discover<F>(
    fetcher: &Fetcher,
    issuers: &[Issuer],
    cfg: &DiscoverConfig,
    global_concurrency: usize,
    run_id: &str,
    progress: &Path,
    on_done: F,
) -> Result<Vec<MunicipalPage>, DiscoverError>
where
    F: Fn(&Issuer, &[MunicipalPage], bool),
{
    let mut done = load_progress(progress)?;
    let wanted: HashSet<&str> = issuers.iter().map(|i| i.code.as_str()).collect();
    done.retain(|code, _| wanted.contains(code.as_str()));
    // Rows carried over from the killed discover belong to this one.
    for r in done.values_mut().flatten() {
        r.run_id = run_id.to_string();
    }
    for i in issuers {
        if let Some(rows) = done.get(&i.code) {
            on_done(i, rows, true);
        }
    }
    if let Some(dir) = progress.parent() {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(progress)
        .map_err(io_err(progress))?;
    let todo: Vec<usize> = (0..issuers.len())
        .filter(|&i| !done.contains_key(&issuers[i].code))
        .collect();
    let n = if cfg.concurrency == 0 {
        global_concurrency.max(1)
    } else {
        cfg.concurrency
    };
    // Indices, not references, into the stream: its futures must be `Send` for any
    // lifetime when the caller spawns `discover`.
    let crawl_one = |i: usize| {
        let issuer = &issuers[i];
        async move { (i, crawl::crawl(fetcher, issuer, cfg, run_id).await) }
    };
    let mut results = futures_util::stream::iter(todo)
        .map(crawl_one)
        .buffer_unordered(n);
    while let Some((i, rows)) = results.next().await {
        let issuer = &issuers[i];
        let line = serde_json::to_string(&Done {
            code: issuer.code.clone(),
            rows: rows.clone(),
        })
        .expect("rows serialize");
        // One write per line, flushed: a kill leaves whole lines and at most one torn one.
        file.write_all(format!("{line}\n").as_bytes())
            .and_then(|_| file.flush())
            .map_err(io_err(progress))?;
        on_done(issuer, &rows, false);
        done.insert(issuer.code.clone(), rows);
    }
    Ok(issuers
        .iter()
        .flat_map(|i| done.remove(&i.code).unwrap_or_default())
        .collect())
}

/// Counts per prefecture: (found, not_found, site_unreachable, robots_denied), each
/// issuer counted once (found when any of its rows is).
pub fn summary(rows: &[MunicipalPage]) -> BTreeMap<String, [usize; 4]> {
    let mut by_issuer: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    for r in rows {
        let k = match r.status.as_str() {
            "found" => 0,
            "not_found" => 1,
            "site_unreachable" => 2,
            _ => 3,
        };
        let e = by_issuer.entry(&r.area_code).or_insert((&r.prefecture, k));
        e.1 = e.1.min(k);
    }
    let mut out: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for (_, (pref, k)) in by_issuer {
        out.entry(pref.to_string()).or_default()[k] += 1;
    }
    out
}

/// The summary as an aligned table, prefectures in code order, with a total line.
pub fn summary_table(rows: &[MunicipalPage]) -> String {
    let s = summary(rows);
    let mut prefs: Vec<(&String, &[usize; 4])> = s.iter().collect();
    let code = |p: &str| {
        mynawatch_ja::area::prefecture(p)
            .map(|a| a.code.to_string())
            .unwrap_or_else(|| "99".into())
    };
    prefs.sort_by_key(|(p, _)| code(p));
    let mut out = format!(
        "{:<8}{:>7}{:>11}{:>13}{:>15}\n",
        "pref", "found", "not_found", "unreachable", "robots_denied"
    );
    let mut total = [0usize; 4];
    for (p, c) in prefs {
        out.push_str(&format!(
            "{:<8}{:>7}{:>11}{:>13}{:>15}\n",
            p, c[0], c[1], c[2], c[3]
        ));
        for k in 0..4 {
            total[k] += c[k];
        }
    }
    out.push_str(&format!(
        "{:<8}{:>7}{:>11}{:>13}{:>15}\n",
        "total", total[0], total[1], total[2], total[3]
    ));
    out
}
