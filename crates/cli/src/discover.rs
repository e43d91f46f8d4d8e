//! `mynawatch discover`: crawl every municipality's site for its 資格確認書 notice(s),
//! store what was found in `municipal_pages`, and write the sources file the main
//! config includes (`include = ["municipal.generated.toml"]`).
//!
//! The crawl is `mynawatch_discover`'s; this module wires it to the config, the data
//! folder's lock, the store and the terminal. A discover that is killed leaves its
//! progress file (`state/discover_progress.jsonl`); the next one continues from it and
//! deletes it once the table and the sources file are written.
//!
//! The 47 後期高齢者医療広域連合 are discovered with the municipalities when a prefecture
//! list (`prefjp` CSV) is found: `MYNAWATCH_PREFECTURE_LIST`, else a `prefjp*.csv` beside
//! the municipal list (the corpus has one). Without one, only municipalities are crawled.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use mynawatch_discover::{list, sources};
use mynawatch_fetch::Fetcher;
use mynawatch_model::MunicipalPage;
use mynawatch_store::Store;
use tracing::{debug, info};

use crate::config::Config;
use crate::UsageError;

/// What `discover` was asked.
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// The list of municipalities (`localgovjp` CSV).
    pub list: PathBuf,
    /// Area codes or 2-digit prefecture codes; empty = all.
    pub only: Vec<String>,
    /// The sources file to write.
    pub out: PathBuf,
    /// Show a progress bar when stderr is a terminal.
    pub progress: bool,
}

/// What `discover` did.
#[derive(Debug, Clone)]
pub struct DiscoverReport {
    /// The discover run id (`municipal_pages.run_id`).
    pub run_id: String,
    /// This run's rows.
    pub rows: Vec<MunicipalPage>,
    /// Issuers taken from the progress file of a killed discover.
    pub resumed: usize,
    /// The summary printed on stdout.
    pub text: String,
}

/// `municipal.generated.toml` beside the config file.
pub fn generated_path(config: &Path) -> PathBuf {
    config
        .parent()
        .unwrap_or(Path::new("."))
        .join("municipal.generated.toml")
}

/// The progress file of `data_dir`.
pub fn progress_path(data_dir: &Path) -> PathBuf {
    data_dir.join("state").join("discover_progress.jsonl")
}

/// Run discovery (see the module docs).
pub async fn discover(
    cfg: &Config,
    data_dir: &Path,
    opts: &DiscoverOptions,
) -> Result<DiscoverReport> {
    if !opts.list.exists() {
        return Err(UsageError(format!(
            "municipal list {} not found (pass --list or set MYNAWATCH_MUNICIPAL_LIST)",
            opts.list.display()
        ))
        .into());
    }
    let mut issuers = list::read_list(&opts.list)?;
    match prefecture_list(&opts.list) {
        Some(p) => {
            let prefs = list::read_prefectures(&p)?;
            let unions = list::union_issuers(&prefs, &issuers);
            info!(list = %p.display(), unions = unions.len(), "後期高齢者医療広域連合 from the prefecture list");
            issuers.extend(unions);
        }
        None => tracing::warn!(
            "no prefecture list beside {} (prefjp*.csv) nor MYNAWATCH_PREFECTURE_LIST: the 広域連合 are not discovered",
            opts.list.display()
        ),
    }
    let issuers = list::select(issuers, &opts.only).map_err(|e| UsageError(e.to_string()))?;
    let now = chrono::Utc::now();
    let run_id = format!("discover-{}", crate::run::new_run_id(now));
    let (_lock, stale) = mynawatch_store::RunLock::acquire(data_dir, &run_id, now)?;
    if let Some(stale) = stale {
        tracing::warn!(
            ?stale,
            "a previous run was killed; its lock was stale and has been taken over"
        );
    }
    let store = Store::open(data_dir)?;
    let fetcher = Fetcher::new(cfg.fetch.clone())?;
    let progress = progress_path(data_dir);
    let bar = crate::progress::bar(issuers.len() as u64, opts.progress);
    let resumed = std::sync::atomic::AtomicUsize::new(0);
    info!(run_id = %run_id, issuers = issuers.len(), "discover started");
    let rows = mynawatch_discover::discover(
        &fetcher,
        &issuers,
        &cfg.discover,
        cfg.fetch.global_concurrency,
        &run_id,
        &progress,
        |issuer, rows, was_resumed| {
            if was_resumed {
                resumed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            bar.inc(1);
            bar.set_message(issuer.full_name.clone());
            debug!(code = %issuer.code, area = %issuer.full_name, status = %rows.first().map_or("", |r| r.status.as_str()), "issuer done");
        },
    )
    .await?;
    bar.finish_and_clear();
    store.write_municipal_pages(&run_id, &rows)?;
    let all = store.load_municipal_pages()?;
    let latest = sources::latest(&all);
    let toml = sources::generated_toml(&latest);
    mynawatch_durable::write_atomic(&opts.out, toml.as_bytes())
        .with_context(|| format!("write {}", opts.out.display()))?;
    let _ = std::fs::remove_file(&progress);
    let resumed = resumed.into_inner();

    let found = rows.iter().filter(|r| r.status == "found").count();
    let watched = latest.iter().filter(|r| r.status == "found").count();
    let mut text = mynawatch_discover::summary_table(&rows);
    text.push_str(&format!(
        "\n{found} notice pages found for {} municipalities and {} 広域連合 ({} from an interrupted discover); {watched} sources in {}\n",
        issuers.iter().filter(|i| i.kind == mynawatch_discover::IssuerKind::Municipality).count(),
        issuers.iter().filter(|i| i.kind == mynawatch_discover::IssuerKind::KoukiUnion).count(),
        resumed,
        opts.out.display()
    ));
    info!(run_id = %run_id, found, "discover finished");
    Ok(DiscoverReport {
        run_id,
        rows,
        resumed,
        text,
    })
}

/// The prefecture list: `MYNAWATCH_PREFECTURE_LIST`, else the first `prefjp*.csv` (by
/// name) in the municipal list's folder.
pub fn prefecture_list(municipal_list: &Path) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("MYNAWATCH_PREFECTURE_LIST") {
        return Some(PathBuf::from(p));
    }
    let dir = municipal_list.parent().unwrap_or(Path::new("."));
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("prefjp") && n.ends_with(".csv"))
        })
        .collect();
    found.sort();
    found.into_iter().next()
}
