//! `--data s3://bucket/prefix`: every command on a data folder in object storage.
//!
//! Commands work on a local folder as they do on disk; this module wraps them. A writer
//! (`run`, `reextract`, `compact`, `review set|confirm`, `discover`, `demo`) takes the
//! bucket's lease, finishes or discards what a killed writer left, pulls the latest commit
//! into its cache, does its work there, publishes the result as the next commit, and only
//! then delivers alerts (a second, small commit records the delivery). A reader (`query`,
//! `report`, `changes`, `sources`, `bills`, `feed`, `review list`) pulls the latest commit
//! into its own cache and reads it: it sees exactly one committed run.

use std::path::{Path, PathBuf};

use anyhow::Result;
use mynawatch_remote::{CacheLock, Lease, Pulled, Remote, StorageSettings};

use crate::config::Config;
use crate::run::{RunOptions, RunSummary};

/// Where a command's data folder is.
#[derive(Debug)]
pub enum Data {
    /// A folder on this machine.
    Local(PathBuf),
    /// A prefix in a bucket.
    Remote(Remote),
}

impl Data {
    /// `data` as given by `--data` or `data_dir`.
    pub fn of(data: &Path, settings: &StorageSettings) -> Result<Data> {
        if mynawatch_remote::is_remote(data) {
            let remote = Remote::open(&data.to_string_lossy(), settings)
                .map_err(|e| crate::UsageError(e.to_string()))?;
            Ok(Data::Remote(remote))
        } else {
            Ok(Data::Local(data.to_path_buf()))
        }
    }
}

/// A folder to read: the data folder itself, or a cache holding the bucket's latest commit
/// (held until this is dropped).
pub struct ReadPlace {
    dir: PathBuf,
    _lock: Option<CacheLock>,
}

impl ReadPlace {
    /// The folder to read.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Open `data` for reading.
pub async fn read(data: &Data) -> Result<ReadPlace> {
    match data {
        Data::Local(dir) => Ok(ReadPlace {
            dir: dir.clone(),
            _lock: None,
        }),
        Data::Remote(remote) => {
            let dir = remote.read_dir();
            let lock = remote.lock_cache(&dir)?;
            let latest = remote.latest().await?;
            if latest.is_none() {
                return Err(crate::UsageError(format!(
                    "no mynawatch data in {} (run `mynawatch run` first, or pass --data)",
                    remote.url()
                ))
                .into());
            }
            remote.pull(&dir, latest.as_ref()).await?;
            Ok(ReadPlace {
                dir,
                _lock: Some(lock),
            })
        }
    }
}

/// A writer's hold on a bucket: the lease and the pulled cache.
pub struct Writer {
    remote: Remote,
    lease: Lease,
    pulled: Pulled,
    dir: PathBuf,
}

impl Writer {
    /// Take the lease (exit 4 when another run holds it), recover, pull.
    pub async fn begin(remote: &Remote, what: &str) -> Result<Writer> {
        let lease = Lease::acquire(remote, what).await?;
        let dir = remote.work_dir();
        let pulled = async {
            let latest = remote.recover().await?;
            remote.pull(&dir, latest.as_ref()).await
        }
        .await;
        match pulled {
            Ok(pulled) => Ok(Writer {
                remote: remote.clone(),
                lease,
                pulled,
                dir,
            }),
            Err(e) => {
                lease.release().await;
                Err(e.into())
            }
        }
    }

    /// The folder to work in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Publish what changed as the next commit (nothing when nothing changed).
    pub async fn commit(&mut self, run_id: &str) -> Result<Option<u64>> {
        let r = self
            .remote
            .publish(&self.dir, &mut self.pulled, run_id, &self.lease)
            .await?;
        Ok(r.map(|c| c.seq))
    }

    /// Release the lease.
    pub async fn finish(self) {
        self.lease.release().await;
    }
}

/// Run `f` as a writer on `data`: on disk directly; on a bucket between [`Writer::begin`]
/// and one commit named `what`. An error of `f` publishes nothing.
pub async fn write<T>(
    data: &Data,
    what: &str,
    f: impl AsyncFnOnce(&Path) -> Result<T>,
) -> Result<T> {
    match data {
        Data::Local(dir) => f(dir).await,
        Data::Remote(remote) => {
            let mut w = Writer::begin(remote, what).await?;
            let out = match f(w.dir()).await {
                Ok(out) => out,
                Err(e) => {
                    w.finish().await;
                    return Err(e);
                }
            };
            let committed = w.commit(what).await;
            w.finish().await;
            committed?;
            Ok(out)
        }
    }
}

/// One pipeline run on `data`. On a bucket: the run commits in the cache, its folder is
/// published, then its alerts are delivered and the delivery published.
pub async fn run(cfg: &Config, data: &Data, opts: &RunOptions) -> Result<RunSummary> {
    match data {
        Data::Local(dir) => crate::run::run(cfg, dir, opts).await,
        Data::Remote(remote) => {
            let mut w = Writer::begin(remote, "run").await?;
            let result = async {
                let opts = RunOptions {
                    defer_delivery: true,
                    ..opts.clone()
                };
                let mut summary = crate::run::run(cfg, w.dir(), &opts).await?;
                let run_id = summary.run.run_id.clone();
                w.commit(&run_id).await?;
                let errors = crate::run::deliver_committed(cfg, w.dir()).await;
                summary.alert_errors.extend(errors);
                w.commit(&format!("{run_id}-delivery")).await?;
                summary.data_dir = PathBuf::from(remote.url());
                anyhow::Ok(summary)
            }
            .await;
            w.finish().await;
            result
        }
    }
}
