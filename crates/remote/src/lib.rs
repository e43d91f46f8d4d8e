//! The data folder on object storage: `data_dir = "s3://bucket/prefix"`.
//!
//! A run never works on the bucket directly. It works on a local folder (the cache) exactly
//! as it does on disk, and this crate owns the bucket side around it:
//!
//! - [`Lease`]: the run lock across machines, one object written with create-if-absent,
//!   renewed with if-match while the run works, taken over only when it has expired.
//! - [`Remote::pull`]: make the cache equal to the latest commit (state, outbox, table files,
//!   and the snapshots the state points to), downloading only what differs.
//! - [`Remote::publish`]: upload what the run changed (table files into a staging prefix,
//!   the rest as content-addressed blobs, snapshots under their hash), then create the next
//!   commit record with create-if-absent. That one write is the commit point: of two writers
//!   that read the same latest record, exactly one creates the next. Then the staged table
//!   files are copied to `tables/`, where readers that list the bucket find them.
//! - [`Remote::recover`]: under the lease, finish the copy a killed writer left, drop the
//!   staging of a writer that never committed, and remove what no kept record names.
//!
//! Layout under the prefix: `commits/<seq:020>.json`, `tables/<table>/run_month=…/….parquet`,
//! `snapshots/<aa>/<bb>/<sha256>`, `blobs/<aa>/<sha256>`, `staging/<token>/tables/…`,
//! `run.lease`. See `docs/object-storage.md`.

mod lease;
mod settings;
mod sync;

use std::path::PathBuf;
use std::sync::Arc;

use mynawatch_model::display::error_chain;
use object_store::path::Path as Key;
use object_store::ObjectStore;

pub use lease::Lease;
pub use settings::StorageSettings;
pub use sync::{Commit, Entry, Pulled};

/// What can go wrong on the bucket side. Every variant names the storage URL.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// A request failed (after the client's retries): the operation, the key and the whole
    /// cause chain (`connection refused`, `503 Service Unavailable`, …).
    #[error("{url}: {op} {key}: {cause}")]
    Storage {
        /// The data folder's URL.
        url: String,
        /// What was being done (`get`, `put`, `list`, …).
        op: &'static str,
        /// The object key.
        key: String,
        /// The error and its sources, joined.
        cause: String,
    },
    /// Another run holds the lease (exit 4).
    #[error("{url}: another run holds the lease ({holder}); it expires {expires_in_s} s after its last renewal unless renewed")]
    LeaseHeld {
        /// The data folder's URL.
        url: String,
        /// Who holds it (run, host, pid).
        holder: String,
        /// Seconds until it expires.
        expires_in_s: i64,
    },
    /// This run's lease was taken over (it could not renew in time); nothing was published.
    #[error("{url}: this run lost its lease ({detail}); nothing of it was published")]
    LeaseLost {
        /// The data folder's URL.
        url: String,
        /// What happened.
        detail: String,
    },
    /// Another writer created the commit record this run meant to create (exit 4).
    #[error("{url}: commit {seq} was made by run {other} while this run worked; nothing of this run was published")]
    CommitLost {
        /// The data folder's URL.
        url: String,
        /// The record's number.
        seq: u64,
        /// The run that made it.
        other: String,
    },
    /// A bad URL, setting or record.
    #[error("{url}: {message}")]
    Invalid {
        /// The data folder's URL (or what was given).
        url: String,
        /// What is wrong.
        message: String,
    },
    /// The local cache could not be read or written.
    #[error("{}: {source}", path.display())]
    Local {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

impl RemoteError {
    /// True when another run holds the data folder (the CLI's exit 4).
    pub fn is_locked(&self) -> bool {
        matches!(
            self,
            RemoteError::LeaseHeld { .. } | RemoteError::CommitLost { .. }
        )
    }
}

/// True for the URLs this crate opens (`s3://…`); anything else is a local path.
pub fn is_remote(data: &std::path::Path) -> bool {
    let s = data.to_string_lossy();
    ["s3://", "s3a://", "gs://", "az://", "abfs://"]
        .iter()
        .any(|p| s.starts_with(p))
}

/// An open data folder on object storage.
#[derive(Clone)]
pub struct Remote {
    store: Arc<dyn ObjectStore>,
    /// The prefix inside the bucket, without slashes at either end (may be empty).
    prefix: String,
    url: String,
    cache: PathBuf,
    lease_ttl: std::time::Duration,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote")
            .field("url", &self.url)
            .field("cache", &self.cache)
            .finish()
    }
}

impl Remote {
    /// Open `url` (`s3://bucket/prefix`) with the client configured from the environment
    /// and `settings` (which names environment variables, never holds secrets).
    pub fn open(url: &str, settings: &StorageSettings) -> Result<Remote, RemoteError> {
        let invalid = |message: String| RemoteError::Invalid {
            url: url.to_string(),
            message,
        };
        let rest = url
            .strip_prefix("s3://")
            .or_else(|| url.strip_prefix("s3a://"))
            .ok_or_else(|| {
                invalid(
                    "only s3:// (and S3-compatible servers through AWS_ENDPOINT_URL) is built in; \
                     gs:// and az:// need object_store's gcp/azure features"
                        .into(),
                )
            })?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(invalid("no bucket name".into()));
        }
        let prefix = prefix.trim_matches('/').to_string();
        let store = settings.build_s3(bucket).map_err(invalid)?;
        let cache = settings
            .cache_root()
            .join(sanitize(&format!("{bucket}/{prefix}")));
        let url = if prefix.is_empty() {
            format!("s3://{bucket}")
        } else {
            format!("s3://{bucket}/{prefix}")
        };
        Ok(Remote {
            store: Arc::new(store),
            prefix,
            url,
            cache,
            lease_ttl: settings.lease_ttl(),
        })
    }

    /// The data folder's URL, as errors name it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The local folder writers work in (kept between runs; a stateless job starts empty).
    pub fn work_dir(&self) -> PathBuf {
        self.cache.join("work")
    }

    /// The local folder readers pull into (separate from the writers', so a reader never
    /// changes files under a running writer).
    pub fn read_dir(&self) -> PathBuf {
        self.cache.join("read")
    }

    /// Wait for and take the cache folder `dir` (readers on one machine take turns with
    /// each other; a writer's folder is guarded by the lease and the run lock).
    pub fn lock_cache(&self, dir: &std::path::Path) -> Result<CacheLock, RemoteError> {
        std::fs::create_dir_all(dir).map_err(local_err(dir))?;
        let path = dir.join(".lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(local_err(&path))?;
        fs4::FileExt::lock(&file).map_err(local_err(&path))?;
        Ok(CacheLock { _file: file })
    }

    /// The object key of `rel` (a `/`-separated path below the prefix).
    fn key(&self, rel: &str) -> Key {
        if self.prefix.is_empty() {
            Key::from(rel)
        } else {
            Key::from(format!("{}/{rel}", self.prefix))
        }
    }

    /// `key` relative to the prefix.
    fn rel_of<'a>(&self, key: &'a str) -> &'a str {
        if self.prefix.is_empty() {
            key
        } else {
            key.strip_prefix(&self.prefix)
                .and_then(|k| k.strip_prefix('/'))
                .unwrap_or(key)
        }
    }

    fn storage_err(&self, op: &'static str, key: &Key, e: object_store::Error) -> RemoteError {
        RemoteError::Storage {
            url: self.url.clone(),
            op,
            key: key.to_string(),
            cause: error_chain(&e),
        }
    }
}

/// A held cache folder; released on drop.
#[derive(Debug)]
pub struct CacheLock {
    _file: std::fs::File,
}

/// A folder name for a bucket and prefix.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Crash-test hook, as `mynawatch_store::commit::failpoint`: `MYNAWATCH_FAILPOINT=<name>`
/// aborts the process at that point, the way a `kill -9` would.
fn failpoint(name: &str) {
    if std::env::var("MYNAWATCH_FAILPOINT").is_ok_and(|v| v == name) {
        eprintln!("failpoint {name}: aborting");
        std::process::abort();
    }
}

fn local_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> RemoteError {
    let path = path.into();
    move |source| RemoteError::Local { path, source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_object_store_urls_are_remote() {
        assert!(is_remote(std::path::Path::new("s3://bucket/prefix")));
        assert!(!is_remote(std::path::Path::new("data")));
        assert!(!is_remote(std::path::Path::new("/var/lib/s3://x")));
    }

    #[test]
    fn keys_sit_below_the_prefix() {
        let r = Remote::open("s3://b/a/p/", &StorageSettings::default()).unwrap();
        assert_eq!(r.key("commits/1.json").to_string(), "a/p/commits/1.json");
        assert_eq!(r.rel_of("a/p/tables/x"), "tables/x");
        assert_eq!(r.url(), "s3://b/a/p");
        let root = Remote::open("s3://b", &StorageSettings::default()).unwrap();
        assert_eq!(root.key("run.lease").to_string(), "run.lease");
    }
}
