//! The network side of mynawatch, and where raw bytes are kept.
//!
//! - [`Fetcher`]: the one HTTP client: per-host politeness, a global concurrency cap,
//!   retries with backoff that honour `Retry-After`, conditional GET, robots.txt,
//!   timeouts, a body-size cap, http(s)-only redirects, charset detection and content
//!   sniffing. It never panics and never returns a half body as a success: every
//!   request ends in one [`mynawatch_model::FetchRecord`].
//! - [`SnapshotStore`]: raw bytes by sha256, written before any parsing, plus the
//!   validators (`ETag`, `Last-Modified`) of each URL.
//!
//! The loopback mirror that tests and the demo fetch from lives in `mynawatch-sim`.
//!
//! Extraction is not done here: this crate hands bytes to the pipeline.
#![deny(missing_docs)]

mod client;
mod snapshot;

pub use client::{FetchConfig, FetchRequest, FetchResponse, Fetcher, HostPoliteness};
pub use snapshot::{sha256_hex, SnapshotStore, Validators};

use std::path::PathBuf;

/// Errors of this crate. Fetch failures are not errors: they are `FetchRecord`s.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// A file in the data folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The HTTP client could not be built (bad user agent, TLS setup).
    #[error("http client: {0}")]
    Client(String),
    /// A snapshot that should be in the store is not.
    #[error("snapshot {0} is not in the store")]
    MissingSnapshot(String),
}

pub(crate) fn io_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> FetchError {
    let path = path.into();
    move |source| FetchError::Io { path, source }
}

/// Write `bytes` to `path` durably ([`mynawatch_durable::write_atomic`]). Two tasks of one
/// run may store the same bytes at once (two sources serving one file): each writes its
/// own temp file.
pub(crate) fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<(), FetchError> {
    mynawatch_durable::write_atomic(path, bytes).map_err(io_err(path))
}
