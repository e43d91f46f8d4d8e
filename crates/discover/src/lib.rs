//! `mynawatch discover`: find each municipality's page about 資格確認書 (国民健康保険 and
//! 後期高齢者医療) by crawling its official site, so a scheduled run can watch all 1,741.
//!
//! - [`list`]: the list of municipalities and their sites (the real `localgovjp` CSV),
//!   and the 47 後期高齢者医療広域連合 built from the prefecture list (`prefjp` CSV).
//! - [`crawl`](crawl::crawl): one site, politely, best link first; the page classifier
//!   itself is pure and lives with the extractors (`mynawatch_extract::classify`).
//! - [`union`]: a 広域連合's site, found through its prefecture's (or capital's) site.
//! - [`discover`]: every issuer, a bounded number of sites at a time, resumable: each
//!   finished issuer is appended to a progress file, and a discover that was killed
//!   continues where it stopped.
//! - [`sources`]: the `municipal.generated.toml` a config includes.
//!
//! The seeded "loopback Japan" generator the tests and benchmarks crawl lives in
//! `mynawatch-sim`.
//!
//! This crate writes no tables: the caller stores the rows (`municipal_pages`).
#![deny(missing_docs)]

pub mod crawl;
pub mod list;
pub mod sources;
pub mod union;

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use mynawatch_fetch::Fetcher;
use mynawatch_model::MunicipalPage;
use serde::{Deserialize, Serialize};

pub use list::{read_list, read_prefectures, union_issuers, Issuer, IssuerKind};

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

/// An I/O error on `path` as a [`DiscoverError`].
pub fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> DiscoverError + '_ {
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
    /// Most requests to one prefecture's (or capital's) site while looking for the link
    /// to its 後期高齢者医療広域連合.
    pub union_hunt_budget: usize,
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
            union_hunt_budget: 25,
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

/// Counts of municipalities per prefecture: (found, not_found, site_unreachable,
/// robots_denied), each counted once (found when any of its rows is). The 広域連合 are
/// not counted here: see [`union_status`].
pub fn summary(rows: &[MunicipalPage]) -> BTreeMap<String, [usize; 4]> {
    let mut by_issuer: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    for r in rows.iter().filter(|r| !list::is_union_code(&r.area_code)) {
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

/// The status of each prefecture's 後期高齢者医療広域連合 (`found` when any of its rows is).
pub fn union_status(rows: &[MunicipalPage]) -> BTreeMap<String, String> {
    let rank = |s: &str| match s {
        "found" => 0,
        "not_found" => 1,
        "site_unreachable" => 2,
        _ => 3,
    };
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for r in rows.iter().filter(|r| list::is_union_code(&r.area_code)) {
        let e = out
            .entry(r.prefecture.clone())
            .or_insert_with(|| r.status.clone());
        if rank(&r.status) < rank(e) {
            *e = r.status.clone();
        }
    }
    out
}

/// The summary as an aligned table, prefectures in code order, with a total line: the
/// municipalities' counts, then the status of the prefecture's 広域連合 (`koki_union`,
/// `-` when it was not discovered in this run).
pub fn summary_table(rows: &[MunicipalPage]) -> String {
    let mut s = summary(rows);
    let unions = union_status(rows);
    for p in unions.keys() {
        s.entry(p.clone()).or_default();
    }
    let mut prefs: Vec<(&String, &[usize; 4])> = s.iter().collect();
    let code = |p: &str| {
        mynawatch_ja::area::prefecture(p)
            .map(|a| a.code.to_string())
            .unwrap_or_else(|| "99".into())
    };
    prefs.sort_by_key(|(p, _)| code(p));
    let mut out = format!(
        "{:<8}{:>7}{:>11}{:>13}{:>15}  {}\n",
        "pref", "found", "not_found", "unreachable", "robots_denied", "koki_union"
    );
    let mut total = [0usize; 4];
    for (p, c) in prefs {
        out.push_str(&format!(
            "{:<8}{:>7}{:>11}{:>13}{:>15}  {}\n",
            p,
            c[0],
            c[1],
            c[2],
            c[3],
            unions.get(p).map_or("-", String::as_str)
        ));
        for k in 0..4 {
            total[k] += c[k];
        }
    }
    let unions_found = unions.values().filter(|s| *s == "found").count();
    out.push_str(&format!(
        "{:<8}{:>7}{:>11}{:>13}{:>15}  {}\n",
        "total",
        total[0],
        total[1],
        total[2],
        total[3],
        format_args!("{unions_found}/{} found", unions.len())
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, pref: &str, status: &str) -> MunicipalPage {
        MunicipalPage {
            area_code: code.into(),
            prefecture: pref.into(),
            status: status.into(),
            ..MunicipalPage::default()
        }
    }

    #[test]
    fn the_summary_gives_each_prefecture_its_unions_status_beside_the_municipal_counts() {
        let rows = vec![
            row("131130", "東京都", "found"),
            row("132098", "東京都", "not_found"),
            row("130001", "東京都", "found"),
            row("010006", "北海道", "site_unreachable"),
        ];
        let s = summary(&rows);
        assert_eq!(s["東京都"], [1, 1, 0, 0]);
        assert!(!s.contains_key("北海道"));
        let t = summary_table(&rows);
        let hokkaido = t.lines().find(|l| l.starts_with("北海道")).unwrap();
        assert!(hokkaido.ends_with("site_unreachable"), "{t}");
        assert!(t
            .lines()
            .find(|l| l.starts_with("東京都"))
            .unwrap()
            .ends_with("found"));
        assert!(t.lines().last().unwrap().ends_with("1/2 found"), "{t}");
    }
}
