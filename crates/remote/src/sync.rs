//! The commit log, and moving the data folder between the bucket and the local cache.
//!
//! A commit record (`commits/<seq:020>.json`) names every file of the data folder as it
//! is after that commit: its sha256, size and object key. Table files keep their path as
//! their key (`tables/…`, so listing readers find them) and are uploaded to
//! `staging/<token>/…` first; every other file (state, HTTP cache, outbox, feeds) is a
//! content-addressed blob (`blobs/<aa>/<sha256>`), so a record never points at an object
//! that a later writer overwrites. Snapshots are not listed (there can be very many): they
//! are content-addressed under `snapshots/`, uploaded before the record that needs them,
//! and pulled when the state points at them.
//!
//! Nothing here relies on listing to decide what is committed: the latest record is the
//! highest-numbered one, and the record alone says which objects make the data folder.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use futures::{StreamExt, TryStreamExt};
use mynawatch_model::{is_sha256_hex, snapshot_rel_path};
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tracing::{info, warn};

use crate::{failpoint, local_err, Lease, Remote, RemoteError};

/// Records kept: older ones, and the blobs only they name, are deleted by the next writer.
const KEEP_COMMITS: u64 = 8;
/// Requests in flight at once when pulling or uploading.
const PARALLEL: usize = 16;
/// The cache's own record of what it holds (not part of the data folder).
const PULLED: &str = ".mynawatch-remote.json";

/// One file of the data folder in a commit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Content hash.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
    /// Its object key, relative to the prefix.
    pub key: String,
    /// For a table file committed by this record: where it was staged (copied to `key`
    /// right after the commit; read from here until then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staged: Option<String>,
}

/// A commit record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Commit {
    /// Format version.
    pub format: u32,
    /// Its number (the key's `<seq>`).
    pub seq: u64,
    /// The run (or command) that made it.
    pub run_id: String,
    /// Unique per commit: the staging prefix `staging/<token>/` and the tell of this
    /// writer's own (retried) create.
    pub token: String,
    /// When it was made (the writer's clock).
    pub committed_at: chrono::DateTime<chrono::Utc>,
    /// Every file of the data folder, by path relative to it (`/`-separated).
    pub files: BTreeMap<String, Entry>,
}

/// What a cache holds: the record it was made equal to, and file stamps that let the next
/// look skip rehashing files nobody touched.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Pulled {
    url: String,
    /// The record the cache equals (none: the bucket was empty).
    pub seq: Option<u64>,
    files: BTreeMap<String, Entry>,
    /// path → (size, mtime in ns) when last hashed or written.
    stamps: BTreeMap<String, (u64, i128)>,
    /// Snapshots known to be in the bucket.
    snapshots: BTreeSet<String>,
}

impl Pulled {
    fn load(dir: &Path, url: &str) -> Pulled {
        std::fs::read(dir.join(PULLED))
            .ok()
            .and_then(|b| serde_json::from_slice::<Pulled>(&b).ok())
            .filter(|p| p.url == url)
            .unwrap_or_else(|| Pulled {
                url: url.to_string(),
                ..Pulled::default()
            })
    }

    fn save(&self, dir: &Path) -> Result<(), RemoteError> {
        let path = dir.join(PULLED);
        let body = serde_json::to_vec(self).expect("the cache record serializes");
        mynawatch_durable::write_atomic(&path, &body).map_err(local_err(&path))
    }

    /// The sha256 of `rel`, from its stamp when the file is as last seen, else hashed.
    fn sha_of(&mut self, dir: &Path, rel: &str) -> Result<(String, u64), RemoteError> {
        let path = dir.join(rel);
        let stamp = stamp(&path)?;
        if let (Some(s), Some(e)) = (self.stamps.get(rel), self.files.get(rel)) {
            if *s == stamp && e.size == stamp.0 {
                return Ok((e.sha256.clone(), stamp.0));
            }
        }
        let sha = hash_file(&path)?;
        self.stamps.insert(rel.to_string(), stamp);
        Ok((sha, stamp.0))
    }
}

impl Remote {
    /// The latest commit record, if any.
    pub async fn latest(&self) -> Result<Option<Commit>, RemoteError> {
        let seqs = self.commit_seqs().await?;
        let Some(&seq) = seqs.last() else {
            return Ok(None);
        };
        self.read_commit(seq).await.map(Some)
    }

    async fn commit_seqs(&self) -> Result<Vec<u64>, RemoteError> {
        let prefix = self.key("commits");
        let mut seqs: Vec<u64> = self
            .store
            .list(Some(&prefix))
            .map_err(|e| self.storage_err("list", &prefix, e))
            .try_filter_map(|m| async move {
                Ok(m.location
                    .filename()
                    .and_then(|f| f.strip_suffix(".json"))
                    .and_then(|s| s.parse::<u64>().ok()))
            })
            .try_collect()
            .await?;
        seqs.sort_unstable();
        // A listing may lag behind a record just created; a read of the next key does not.
        // (Safety never rests on this: creating a record that exists fails.)
        let mut next = seqs.last().map_or(1, |s| s + 1);
        loop {
            let key = self.commit_key(next);
            match self.store.head(&key).await {
                Ok(_) => seqs.push(next),
                Err(object_store::Error::NotFound { .. }) => return Ok(seqs),
                Err(e) => return Err(self.storage_err("head", &key, e)),
            }
            next += 1;
        }
    }

    fn commit_key(&self, seq: u64) -> Key {
        self.key(&format!("commits/{seq:020}.json"))
    }

    async fn read_commit(&self, seq: u64) -> Result<Commit, RemoteError> {
        let key = self.commit_key(seq);
        let bytes = self.get_bytes(&key).await?;
        serde_json::from_slice(&bytes).map_err(|e| RemoteError::Invalid {
            url: self.url.clone(),
            message: format!("commit record {key} is unreadable: {e}"),
        })
    }

    async fn get_bytes(&self, key: &Key) -> Result<bytes::Bytes, RemoteError> {
        let got = self
            .store
            .get(key)
            .await
            .map_err(|e| self.storage_err("get", key, e))?;
        got.bytes()
            .await
            .map_err(|e| self.storage_err("get", key, e))
    }

    /// Make `dir` equal to `commit` (an empty folder when there is none): download what
    /// differs, delete what the record does not name, fetch the snapshots the state points
    /// at. Returns what the cache now holds, for [`Remote::publish`].
    pub async fn pull(&self, dir: &Path, commit: Option<&Commit>) -> Result<Pulled, RemoteError> {
        std::fs::create_dir_all(dir).map_err(local_err(dir))?;
        let mut pulled = Pulled::load(dir, &self.url);
        let empty = BTreeMap::new();
        let want = commit.map_or(&empty, |c| &c.files);
        // The bucket is the truth: a killed local run's leftovers go.
        let staging = dir.join("staging");
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(local_err(&staging))?;
        }
        for rel in walk(dir)? {
            if !want.contains_key(&rel) {
                let path = dir.join(&rel);
                std::fs::remove_file(&path).map_err(local_err(&path))?;
                pulled.stamps.remove(&rel);
            }
        }
        let mut fetch = Vec::new();
        for (rel, e) in want {
            let path = dir.join(rel);
            let same = path.exists()
                && pulled.files.get(rel).is_some_and(|p| p.sha256 == e.sha256)
                && pulled.sha_of(dir, rel)?.0 == e.sha256;
            if !same {
                fetch.push((rel.clone(), e.clone()));
            }
        }
        let n = fetch.len();
        let stamps: Vec<(String, (u64, i128))> = futures::stream::iter(fetch)
            .map(|(rel, e)| async move {
                let bytes = self.get_entry(&e).await?;
                let path = dir.join(&rel);
                write_file(&path, &bytes)?;
                Ok::<_, RemoteError>((rel, stamp(&path)?))
            })
            .buffer_unordered(PARALLEL)
            .try_collect()
            .await?;
        pulled.stamps.extend(stamps);
        pulled.files = want.clone();
        pulled.seq = commit.map(|c| c.seq);
        let snaps = self.pull_snapshots(dir, &mut pulled).await?;
        pulled.save(dir)?;
        info!(url = %self.url, seq = ?pulled.seq, files = want.len(), downloaded = n, snapshots = snaps, "pulled the data folder");
        Ok(pulled)
    }

    /// A file of a record: from its key, or from staging when the copy has not happened yet.
    async fn get_entry(&self, e: &Entry) -> Result<bytes::Bytes, RemoteError> {
        let key = self.key(&e.key);
        match self.store.get(&key).await {
            Ok(g) => g
                .bytes()
                .await
                .map_err(|x| self.storage_err("get", &key, x)),
            Err(object_store::Error::NotFound { .. }) if e.staged.is_some() => {
                let staged = self.key(e.staged.as_deref().unwrap_or_default());
                match self.store.get(&staged).await {
                    Ok(g) => g
                        .bytes()
                        .await
                        .map_err(|x| self.storage_err("get", &staged, x)),
                    // Copied and the staging dropped between the two reads.
                    Err(object_store::Error::NotFound { .. }) => self.get_bytes(&key).await,
                    Err(x) => Err(self.storage_err("get", &staged, x)),
                }
            }
            Err(x) => Err(self.storage_err("get", &key, x)),
        }
    }

    /// The snapshots the cached state points at that the cache lacks.
    async fn pull_snapshots(&self, dir: &Path, pulled: &mut Pulled) -> Result<usize, RemoteError> {
        let need: Vec<String> = referenced_snapshots(dir)
            .into_iter()
            .filter(|sha| !dir.join(snapshot_rel_path(sha)).exists())
            .collect();
        let got: Vec<Option<String>> = futures::stream::iter(need)
            .map(|sha| async move {
                let rel = snapshot_rel_path(&sha);
                let key = self.key(&rel);
                match self.store.get(&key).await {
                    Ok(g) => {
                        let bytes = g.bytes().await.map_err(|e| self.storage_err("get", &key, e))?;
                        write_file(&dir.join(&rel), &bytes)?;
                        Ok(Some(sha))
                    }
                    Err(object_store::Error::NotFound { .. }) => {
                        warn!(url = %self.url, sha, "a snapshot the state names is not in the bucket; its source is fetched in full");
                        Ok(None)
                    }
                    Err(e) => Err(self.storage_err("get", &key, e)),
                }
            })
            .buffer_unordered(PARALLEL)
            .try_collect()
            .await?;
        let n = got.iter().flatten().count();
        pulled.snapshots.extend(got.into_iter().flatten());
        Ok(n)
    }

    /// Publish what changed in `dir` since `pulled` as the next commit, made by `run_id`.
    /// Returns the record, or `None` when nothing changed. `lease` is confirmed right
    /// before the commit point; losing the race for the record is [`RemoteError::CommitLost`].
    pub async fn publish(
        &self,
        dir: &Path,
        pulled: &mut Pulled,
        run_id: &str,
        lease: &Lease,
    ) -> Result<Option<Commit>, RemoteError> {
        let token = format!("{run_id}-{:08x}", rand::random::<u32>());
        let mut files = BTreeMap::new();
        let mut uploads: Vec<(String, Key, PutMode)> = Vec::new();
        for rel in walk(dir)? {
            let (sha256, size) = pulled.sha_of(dir, &rel)?;
            if let Some(prev) = pulled.files.get(&rel) {
                if prev.sha256 == sha256 {
                    let mut e = prev.clone();
                    e.staged = None;
                    files.insert(rel, e);
                    continue;
                }
            }
            let e = if rel.starts_with("tables/") {
                let staged = format!("staging/{token}/{rel}");
                uploads.push((rel.clone(), self.key(&staged), PutMode::Overwrite));
                Entry {
                    key: rel.clone(),
                    staged: Some(staged),
                    sha256,
                    size,
                }
            } else {
                let key = format!("blobs/{}/{sha256}", &sha256[..2]);
                uploads.push((rel.clone(), self.key(&key), PutMode::Create));
                Entry {
                    key,
                    staged: None,
                    sha256,
                    size,
                }
            };
            files.insert(rel, e);
        }
        let new_snaps: Vec<String> = walk_snapshots(dir)?
            .into_iter()
            .filter(|s| !pulled.snapshots.contains(s))
            .collect();
        for sha in &new_snaps {
            let rel = snapshot_rel_path(sha);
            uploads.push((rel.clone(), self.key(&rel), PutMode::Create));
        }
        let unchanged = uploads.is_empty()
            && files.len() == pulled.files.len()
            && files.keys().eq(pulled.files.keys());
        if unchanged {
            return Ok(None);
        }
        let n = uploads.len();
        futures::stream::iter(uploads)
            .map(|(rel, key, mode)| async move {
                let path = dir.join(&rel);
                let bytes = std::fs::read(&path).map_err(local_err(&path))?;
                self.put(&key, bytes, mode).await
            })
            .buffer_unordered(PARALLEL)
            .try_collect::<Vec<()>>()
            .await?;
        failpoint("remote_after_staging");
        lease.confirm().await?;
        let seq = pulled.seq.map_or(1, |s| s + 1);
        let record = Commit {
            format: 1,
            seq,
            run_id: run_id.to_string(),
            token: token.clone(),
            committed_at: chrono::Utc::now(),
            files,
        };
        let key = self.commit_key(seq);
        let body = serde_json::to_vec_pretty(&record).expect("a commit record serializes");
        match self
            .store
            .put_opts(
                &key,
                PutPayload::from(body),
                PutOptions::from(PutMode::Create),
            )
            .await
        {
            Ok(_) => {}
            Err(object_store::Error::AlreadyExists { .. }) => {
                let there = self.read_commit(seq).await?;
                if there.token != token {
                    self.delete_prefix(&format!("staging/{token}")).await?;
                    return Err(RemoteError::CommitLost {
                        url: self.url.clone(),
                        seq,
                        other: there.run_id,
                    });
                }
            }
            Err(e) => return Err(self.storage_err("create", &key, e)),
        }
        info!(url = %self.url, seq, run_id, uploaded = n, "committed");
        failpoint("remote_after_commit");
        let old = std::mem::take(&mut pulled.files);
        self.roll_forward(&record).await?;
        // Table files this record no longer names (merged by `compact`).
        for (rel, e) in &old {
            if e.key.starts_with("tables/") && !record.files.contains_key(rel) {
                self.delete(&self.key(&e.key)).await?;
            }
        }
        pulled.files = record.files.clone();
        pulled.seq = Some(seq);
        pulled.snapshots.extend(new_snaps);
        pulled.save(dir)?;
        Ok(Some(record))
    }

    /// Copy `record`'s staged table files to their keys, then drop its staging.
    async fn roll_forward(&self, record: &Commit) -> Result<(), RemoteError> {
        let staged: Vec<(&String, &Entry)> = record
            .files
            .iter()
            .filter(|(_, e)| e.staged.is_some())
            .collect();
        let mut first = true;
        for (_, e) in staged {
            let from = self.key(e.staged.as_deref().unwrap_or_default());
            let to = self.key(&e.key);
            match self.store.copy(&from, &to).await {
                // Copied before, and its staging already dropped.
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(x) => return Err(self.storage_err("copy", &from, x)),
            }
            if first {
                failpoint("remote_during_copy");
                first = false;
            }
        }
        self.delete_prefix(&format!("staging/{}", record.token))
            .await
    }

    /// Under the lease, before anything else: finish the latest record's copy if its
    /// writer was killed in it, drop the staging of writers that never committed, delete
    /// table files no record names, and records (and blobs) older than the kept ones.
    pub async fn recover(&self) -> Result<Option<Commit>, RemoteError> {
        let seqs = self.commit_seqs().await?;
        let latest = match seqs.last() {
            Some(&s) => Some(self.read_commit(s).await?),
            None => None,
        };
        let staging = self.list_rel("staging").await?;
        let tokens: BTreeSet<&str> = staging
            .iter()
            .filter_map(|k| k.strip_prefix("staging/")?.split('/').next())
            .collect();
        for token in tokens {
            match &latest {
                Some(c) if c.token == token => {
                    warn!(url = %self.url, run_id = %c.run_id, "finishing the publication of a run killed after its commit");
                    self.roll_forward(c).await?;
                }
                _ => {
                    warn!(url = %self.url, token, "discarding the staged files of a run that never committed");
                    self.delete_prefix(&format!("staging/{token}")).await?;
                }
            }
        }
        let Some(latest) = latest else {
            return Ok(None);
        };
        let named: BTreeSet<&str> = latest.files.values().map(|e| e.key.as_str()).collect();
        for rel in self.list_rel("tables").await? {
            if !named.contains(rel.as_str()) {
                self.delete(&self.key(&rel)).await?;
            }
        }
        self.collect_garbage(&seqs, &latest).await?;
        Ok(Some(latest))
    }

    /// Delete records before the kept ones, then every blob no kept record names.
    async fn collect_garbage(&self, seqs: &[u64], latest: &Commit) -> Result<(), RemoteError> {
        let cut = latest.seq.saturating_sub(KEEP_COMMITS - 1);
        let old: Vec<u64> = seqs.iter().copied().filter(|&s| s < cut).collect();
        if old.is_empty() {
            return Ok(());
        }
        let mut keep: BTreeSet<String> = BTreeSet::new();
        for &s in seqs.iter().filter(|&&s| s >= cut) {
            let c = if s == latest.seq {
                latest.clone()
            } else {
                self.read_commit(s).await?
            };
            keep.extend(c.files.into_values().map(|e| e.key));
        }
        for s in old {
            self.delete(&self.commit_key(s)).await?;
        }
        for rel in self.list_rel("blobs").await? {
            if !keep.contains(&rel) {
                self.delete(&self.key(&rel)).await?;
            }
        }
        Ok(())
    }

    async fn list_rel(&self, under: &str) -> Result<Vec<String>, RemoteError> {
        let prefix = self.key(under);
        self.store
            .list(Some(&prefix))
            .map_err(|e| self.storage_err("list", &prefix, e))
            .map_ok(|m| self.rel_of(m.location.as_ref()).to_string())
            .try_collect()
            .await
    }

    async fn delete_prefix(&self, under: &str) -> Result<(), RemoteError> {
        for rel in self.list_rel(under).await? {
            self.delete(&self.key(&rel)).await?;
        }
        Ok(())
    }

    async fn delete(&self, key: &Key) -> Result<(), RemoteError> {
        match self.store.delete(key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.storage_err("delete", key, e)),
        }
    }

    /// Put; for content-addressed keys (`Create`) an existing object is the same bytes.
    async fn put(&self, key: &Key, bytes: Vec<u8>, mode: PutMode) -> Result<(), RemoteError> {
        match self
            .store
            .put_opts(key, PutPayload::from(bytes), PutOptions::from(mode))
            .await
        {
            Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => Ok(()),
            Err(e) => Err(self.storage_err("put", key, e)),
        }
    }
}

/// The data folder's files (relative, `/`-separated), without the snapshots, the staging
/// of a local run, the lock and hidden files (temp files, the cache record).
fn walk(dir: &Path) -> Result<Vec<String>, RemoteError> {
    let mut out = files_below(dir, &|rel| {
        matches!(rel, "snapshots" | "staging" | "run.lock")
            || rel.rsplit('/').next().is_some_and(|n| n.starts_with('.'))
    })?;
    out.sort();
    Ok(out)
}

/// Every snapshot in the cache, by hash.
fn walk_snapshots(dir: &Path) -> Result<Vec<String>, RemoteError> {
    Ok(files_below(&dir.join("snapshots"), &|_| false)?
        .into_iter()
        .filter_map(|rel| rel.rsplit('/').next().map(str::to_string))
        .filter(|name| is_sha256_hex(name))
        .collect())
}

/// Files below `root` (relative, `/`-separated), leaving out every path `skip` names (a
/// skipped folder is not entered). A missing `root` has none.
fn files_below(root: &Path, skip: &dyn Fn(&str) -> bool) -> Result<Vec<String>, RemoteError> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((path, rel)) = stack.pop() {
        let entries = match std::fs::read_dir(&path) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(RemoteError::Local { path, source: e }),
        };
        for entry in entries {
            let entry = entry.map_err(local_err(&path))?;
            let name = entry.file_name().to_string_lossy().to_string();
            let child = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if skip(&child) {
                continue;
            }
            let ft = entry.file_type().map_err(local_err(entry.path()))?;
            if ft.is_dir() {
                stack.push((entry.path(), child));
            } else if ft.is_file() {
                out.push(child);
            }
        }
    }
    Ok(out)
}

/// The snapshots a run may read back: those the HTTP cache validates (a 304 reads the
/// stored body) and each source's last good extraction (`reextract`), as the fetch and
/// store crates write them (`state/http_cache/*.json` `sha256`, `state/sources.json`
/// `last_good_snapshots`).
fn referenced_snapshots(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Ok(entries) = std::fs::read_dir(dir.join("state").join("http_cache")) {
        for e in entries.flatten() {
            if let Some(sha) = std::fs::read(e.path())
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .and_then(|v| v.get("sha256")?.as_str().map(str::to_string))
            {
                out.insert(sha);
            }
        }
    }
    if let Some(v) = std::fs::read(dir.join("state").join("sources.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    {
        collect_named(&v, "last_good_snapshots", &mut out);
    }
    out.retain(|s| is_sha256_hex(s));
    out
}

fn collect_named(v: &serde_json::Value, field: &str, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k == field {
                    if let Some(a) = x.as_array() {
                        out.extend(a.iter().filter_map(|s| s.as_str().map(str::to_string)));
                    }
                } else {
                    collect_named(x, field, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_named(x, field, out)),
        _ => {}
    }
}

fn stamp(path: &Path) -> Result<(u64, i128), RemoteError> {
    let m = std::fs::metadata(path).map_err(local_err(path))?;
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    Ok((m.len(), mtime))
}

fn hash_file(path: &Path) -> Result<String, RemoteError> {
    let mut f = std::fs::File::open(path).map_err(local_err(path))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(local_err(path))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

fn write_file(path: &PathBuf, bytes: &[u8]) -> Result<(), RemoteError> {
    mynawatch_durable::write_atomic(path, bytes).map_err(local_err(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_leaves_out_snapshots_staging_the_lock_and_hidden_files() {
        let d = tempfile_dir();
        for f in [
            "state/sources.json",
            "tables/runs/run_month=2026-12/r.parquet",
            "snapshots/ab/cd/abcd",
            "staging/r/tables/x.parquet",
            "run.lock",
            ".mynawatch-remote.json",
            "state/.sources.json.1.0.tmp",
        ] {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, b"x").unwrap();
        }
        assert_eq!(
            walk(&d).unwrap(),
            vec![
                "state/sources.json",
                "tables/runs/run_month=2026-12/r.parquet"
            ]
        );
        std::fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn the_state_names_the_snapshots_a_run_reads_back() {
        let d = tempfile_dir();
        let (a, b) = ("a".repeat(64), "b".repeat(64));
        std::fs::create_dir_all(d.join("state/http_cache")).unwrap();
        std::fs::write(
            d.join("state/http_cache/x.json"),
            format!("{{\"url\":\"u\",\"sha256\":\"{a}\"}}"),
        )
        .unwrap();
        std::fs::write(
            d.join("state/sources.json"),
            format!("{{\"src\":{{\"last_good_snapshots\":[\"{b}\",\"not-a-hash\"]}}}}"),
        )
        .unwrap();
        assert_eq!(
            referenced_snapshots(&d).into_iter().collect::<Vec<_>>(),
            vec![a, b]
        );
        std::fs::remove_dir_all(d).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "mynawatch-remote-test-{}-{:x}",
            std::process::id(),
            rand::random::<u64>()
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
