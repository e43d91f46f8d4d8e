//! Content-addressed snapshot store and per-URL validators.
//!
//! Layout: `<data>/snapshots/ab/cd/<sha256>` for bytes (immutable once written) and
//! `<data>/state/http_cache/<sha256(url)>.json` for each URL's validators, one small
//! file per URL so that 1,741 municipal sources do not rewrite one big file per fetch.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{io_err, write_atomic, FetchError};

/// What a conditional request needs, and which snapshot it confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    /// `ETag` of the stored response.
    pub etag: Option<String>,
    /// `Last-Modified` of the stored response.
    pub last_modified: Option<String>,
    /// sha256 of the stored body: a 304 means "still these bytes".
    pub sha256: String,
}

/// Raw bytes by sha256, and validators by URL.
#[derive(Debug, Clone)]
pub struct SnapshotStore {
    data_dir: PathBuf,
    cache: PathBuf,
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl SnapshotStore {
    /// Open (and create) the store under `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, FetchError> {
        let snapshots = data_dir.join("snapshots");
        let cache = data_dir.join("state").join("http_cache");
        std::fs::create_dir_all(&snapshots).map_err(io_err(&snapshots))?;
        std::fs::create_dir_all(&cache).map_err(io_err(&cache))?;
        Ok(SnapshotStore {
            data_dir: data_dir.to_path_buf(),
            cache,
        })
    }

    fn path_of(&self, sha256: &str) -> PathBuf {
        self.data_dir
            .join(mynawatch_model::snapshot_rel_path(sha256))
    }

    /// Store `bytes` (idempotent) and return their sha256.
    pub fn put(&self, bytes: &[u8]) -> Result<String, FetchError> {
        let sha = sha256_hex(bytes);
        let path = self.path_of(&sha);
        if !path.exists() {
            write_atomic(&path, bytes)?;
        }
        Ok(sha)
    }

    /// The bytes of a stored snapshot.
    pub fn get(&self, sha256: &str) -> Result<Vec<u8>, FetchError> {
        if !mynawatch_model::is_sha256_hex(sha256) {
            return Err(FetchError::MissingSnapshot(sha256.to_string()));
        }
        let path = self.path_of(sha256);
        match std::fs::read(&path) {
            Ok(b) => Ok(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(FetchError::MissingSnapshot(sha256.to_string()))
            }
            Err(e) => Err(io_err(path)(e)),
        }
    }

    /// True when the snapshot is stored.
    pub fn contains(&self, sha256: &str) -> bool {
        sha256.len() == 64 && self.path_of(sha256).exists()
    }

    fn cache_path(&self, url: &str) -> PathBuf {
        self.cache
            .join(format!("{}.json", sha256_hex(url.as_bytes())))
    }

    /// The validators saved for `url`, if any.
    pub fn validators(&self, url: &str) -> Option<Validators> {
        let bytes = std::fs::read(self.cache_path(url)).ok()?;
        let entry: CacheEntry = serde_json::from_slice(&bytes).ok()?;
        (entry.url == url).then_some(entry.validators)
    }

    /// Save the validators of `url`.
    pub fn set_validators(&self, url: &str, v: &Validators) -> Result<(), FetchError> {
        let entry = CacheEntry {
            url: url.to_string(),
            validators: v.clone(),
        };
        let bytes = serde_json::to_vec_pretty(&entry).expect("validators serialize");
        write_atomic(&self.cache_path(url), &bytes)
    }
}

#[derive(Serialize, Deserialize)]
struct CacheEntry {
    url: String,
    #[serde(flatten)]
    validators: Validators,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_is_content_addressed_and_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let s = SnapshotStore::open(dir.path()).unwrap();
        let a = s.put("資格確認書".as_bytes()).unwrap();
        let b = s.put("資格確認書".as_bytes()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, sha256_hex("資格確認書".as_bytes()));
        assert_eq!(s.get(&a).unwrap(), "資格確認書".as_bytes());
        assert!(s.contains(&a));
        assert!(matches!(
            s.get(&"0".repeat(64)),
            Err(FetchError::MissingSnapshot(_))
        ));
    }

    #[test]
    fn concurrent_puts_of_the_same_bytes_leave_one_whole_file_and_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let s = SnapshotStore::open(dir.path()).unwrap();
        let body = "都道府県名,交付枚数\n北海道,3591234\n"
            .repeat(20_000)
            .into_bytes();
        let shas: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8).map(|_| scope.spawn(|| s.put(&body))).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap().unwrap())
                .collect()
        });
        assert!(shas.iter().all(|sha| *sha == shas[0]));
        assert_eq!(s.get(&shas[0]).unwrap(), body);
        let folder = s.path_of(&shas[0]);
        let names: Vec<_> = std::fs::read_dir(folder.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec![shas[0].clone()], "no temp file left behind");
    }

    #[test]
    fn validators_round_trip_per_url() {
        let dir = tempfile::tempdir().unwrap();
        let s = SnapshotStore::open(dir.path()).unwrap();
        let v = Validators {
            etag: Some("\"abc\"".into()),
            last_modified: Some("Tue, 24 Nov 2026 00:00:00 GMT".into()),
            sha256: "f".repeat(64),
        };
        s.set_validators("https://example.jp/a.csv", &v).unwrap();
        assert_eq!(s.validators("https://example.jp/a.csv"), Some(v));
        assert_eq!(s.validators("https://example.jp/b.csv"), None);
    }
}
