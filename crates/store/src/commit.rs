//! Crash-safe publication of a run's tables and source state.
//!
//! A run writes every Parquet file into `<data>/staging/<run_id>/tables/...` first.
//! When all of them are written it writes `COMMIT.json` (atomically) naming the files
//! and the new source state; only then are the files renamed into `<data>/tables/`
//! and `state/sources.json` replaced. A run killed before `COMMIT.json` leaves nothing
//! visible (its staging folder is discarded by the next run, which fetches again from
//! cheap conditional requests and the snapshot store); a run killed after it is rolled
//! forward by the next run. Either way the tables never hold half a run.
//!
//! The run's alert digests travel in the same record (`digests`, opaque here): the
//! caller's `on_publish` puts them in the alert outbox, and delivery happens only after
//! that. A crash after the commit therefore delivers them on the next run (at least once;
//! each carries an idempotency key so a receiver can drop a repeat), and a run that never
//! committed sends nothing.
//!
//! Every write and move goes through `mynawatch_durable` (fsync of file and folder), so a
//! power cut after `COMMIT.json` cannot lose a file the record names.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{io_err, SourceStates, Store, StoreError};

const COMMIT_FILE: &str = "COMMIT.json";

/// What a staged run will publish.
#[derive(Debug, Serialize, Deserialize)]
pub struct CommitRecord {
    /// The run.
    pub run_id: String,
    /// Files relative to the staging folder
    /// (`tables/figures/source=<src>/run_month=<YYYY-MM>/<run>__<src>.parquet`).
    pub files: Vec<PathBuf>,
    /// The source state after this run.
    pub states: SourceStates,
    /// The run's alert digests (as the alert crate writes them), handed to `on_publish`
    /// when the run is published.
    #[serde(default)]
    pub digests: serde_json::Value,
}

/// What publishing a record does besides moving files and saving state (queueing the
/// run's alerts); an error stops the publication, to be finished by the next run.
pub type OnPublish<'a> =
    &'a dyn Fn(&CommitRecord) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// The staging folder of `run_id`.
pub fn staging_dir(data_dir: &Path, run_id: &str) -> PathBuf {
    data_dir.join("staging").join(run_id)
}

/// Write `COMMIT.json` for a fully staged run, then publish it.
pub fn commit(
    data_dir: &Path,
    store: &Store,
    record: &CommitRecord,
    on_publish: OnPublish<'_>,
) -> Result<(), StoreError> {
    let dir = staging_dir(data_dir, &record.run_id);
    let body = serde_json::to_vec_pretty(record).expect("a commit record serializes");
    let path = dir.join(COMMIT_FILE);
    mynawatch_durable::write_atomic(&path, &body).map_err(io_err(&path))?;
    failpoint("after_commit_record");
    publish(data_dir, store, &dir, record, on_publish)
}

/// Finish or discard what a killed run left in `<data>/staging/`. Returns the run ids
/// rolled forward and discarded, for the log.
pub fn recover(
    data_dir: &Path,
    store: &Store,
    on_publish: OnPublish<'_>,
) -> Result<(Vec<String>, Vec<String>), StoreError> {
    let root = data_dir.join("staging");
    let (mut forward, mut discarded) = (Vec::new(), Vec::new());
    let Ok(entries) = std::fs::read_dir(&root) else {
        return Ok((forward, discarded));
    };
    let mut dirs: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    dirs.sort();
    for dir in dirs {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        match std::fs::read(dir.join(COMMIT_FILE)) {
            Ok(bytes) => {
                let record: CommitRecord =
                    serde_json::from_slice(&bytes).map_err(|e| StoreError::State {
                        path: dir.join(COMMIT_FILE),
                        message: e.to_string(),
                    })?;
                publish(data_dir, store, &dir, &record, on_publish)?;
                forward.push(name);
            }
            Err(_) => {
                std::fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
                discarded.push(name);
            }
        }
    }
    Ok((forward, discarded))
}

/// Move staged files into place (idempotent: a file already moved is skipped), save
/// the state, drop the staging folder.
fn publish(
    data_dir: &Path,
    store: &Store,
    dir: &Path,
    record: &CommitRecord,
    on_publish: OnPublish<'_>,
) -> Result<(), StoreError> {
    for rel in &record.files {
        let from = dir.join(rel);
        let to = data_dir.join(rel);
        if from.exists() {
            mynawatch_durable::rename_durable(&from, &to).map_err(io_err(&to))?;
        }
    }
    store.save_source_states(&record.states)?;
    on_publish(record).map_err(|message| StoreError::State {
        path: dir.join(COMMIT_FILE),
        message: format!("publishing run {}: {message}", record.run_id),
    })?;
    failpoint("after_publish");
    std::fs::remove_dir_all(dir).map_err(io_err(dir))?;
    Ok(())
}

/// Every table file below `dir/tables` (partition folders included), relative to `dir`.
pub fn staged_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut out = Vec::new();
    if !dir.join("tables").exists() {
        return Ok(out);
    }
    let staged = Store::open(dir)?;
    for table in crate::TABLES {
        for f in staged.files(table)? {
            out.push(f.strip_prefix(dir).unwrap_or(&f).to_path_buf());
        }
    }
    out.sort();
    Ok(out)
}

/// Crash-test hook: `MYNAWATCH_FAILPOINT=<name>` aborts the process at that point, the
/// way a `kill -9` or a power cut would. Used by the end-to-end crash tests.
pub fn failpoint(name: &str) {
    if std::env::var("MYNAWATCH_FAILPOINT").is_ok_and(|v| v == name) {
        eprintln!("failpoint {name}: aborting");
        std::process::abort();
    }
}
