//! One run per data folder, by an OS advisory lock.
//!
//! `<data>/run.lock` is opened (never deleted) and locked exclusively with `flock` (via
//! `fs4`) without waiting. The OS holds the lock for exactly as long as the holder's file
//! is open: a live holder's lock is never taken over, and a crashed or killed holder's
//! lock is released by the kernel, so there is no liveness guessing and no stale file to
//! delete (deleting a lock file races with a process that has just opened it). Works on
//! local file systems and tmpfs alike.
//!
//! The file's content is only information: the holder writes its pid, run id and start
//! time after taking the lock (so a refused run can say who holds it) and empties the
//! file when it releases the lock. Content found by the next holder means the previous
//! run ended without releasing (killed): it is reported as a [`StaleLock`].

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use fs4::{FileExt, TryLockError};
use serde::{Deserialize, Serialize};

use crate::{io_err, StoreError};

/// The held lock; released on drop (and by the OS if the process dies).
#[derive(Debug)]
pub struct RunLock {
    path: PathBuf,
    file: File,
}

/// What a killed run left behind: the holder information of a run that never released
/// its lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleLock {
    /// The dead holder's pid.
    pub pid: u32,
    /// Its run id.
    pub run_id: String,
    /// When it started.
    pub since: String,
}

impl RunLock {
    /// Take the lock of `data_dir` for `run_id`, held from `since` (what a second run that
    /// finds it held reports), without waiting. A lock held by another process (or another
    /// open of the file) is [`StoreError::LockHeld`].
    pub fn acquire(
        data_dir: &Path,
        run_id: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<(RunLock, Option<StaleLock>), StoreError> {
        std::fs::create_dir_all(data_dir).map_err(io_err(data_dir))?;
        let path = data_dir.join("run.lock");
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err(&path))?;
        match FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let held = holder(&mut file);
                return Err(StoreError::LockHeld {
                    path,
                    pid: held.as_ref().map_or(0, |h| h.pid),
                    run_id: held
                        .as_ref()
                        .map_or_else(|| "unknown".into(), |h| h.run_id.clone()),
                    since: held.map_or_else(|| "unknown".into(), |h| h.since),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io_err(&path)(e)),
        }
        // Ours now. Whatever is in the file was left by a holder that never released.
        let stale = match holder(&mut file) {
            Some(h) => Some(h),
            None if file.metadata().map(|m| m.len() > 0).unwrap_or(false) => Some(StaleLock {
                pid: 0,
                run_id: "unknown".into(),
                since: "unknown".into(),
            }),
            None => None,
        };
        let mine = StaleLock {
            pid: std::process::id(),
            run_id: run_id.to_string(),
            since: since.to_rfc3339(),
        };
        let body = serde_json::to_vec(&mine).expect("lock info serializes");
        file.set_len(0)
            .and_then(|_| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(&body))
            .and_then(|_| file.sync_all())
            .map_err(io_err(&path))?;
        Ok((RunLock { path, file }, stale))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The holder information in the lock file, if it is complete.
fn holder(file: &mut File) -> Option<StaleLock> {
    let mut buf = Vec::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_end(&mut buf).ok()?;
    serde_json::from_slice(&buf).ok()
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Empty first, then unlock: the next holder finds no stale information. The file
        // stays; closing it releases the lock even if unlocking fails.
        let _ = self.file.set_len(0);
        let _ = FileExt::unlock(&self.file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_holder_blocks_a_second_run_and_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let (lock, stale) = RunLock::acquire(dir.path(), "r1", chrono::Utc::now()).unwrap();
        assert!(stale.is_none());
        let err = RunLock::acquire(dir.path(), "r2", chrono::Utc::now()).unwrap_err();
        assert!(
            matches!(err, StoreError::LockHeld { ref run_id, pid, .. } if run_id == "r1" && pid == std::process::id()),
            "{err}"
        );
        drop(lock);
        let (_lock, stale) = RunLock::acquire(dir.path(), "r3", chrono::Utc::now()).unwrap();
        assert!(stale.is_none(), "a released lock is not stale");
    }

    #[test]
    fn holder_information_without_a_lock_is_reported_as_stale_and_taken() {
        let dir = tempfile::tempdir().unwrap();
        // What a killed run leaves: its information, and no lock (the OS released it).
        std::fs::write(
            dir.path().join("run.lock"),
            r#"{"pid":4242,"run_id":"killed","since":"2026-11-24T00:00:00Z"}"#,
        )
        .unwrap();
        let (_lock, stale) = RunLock::acquire(dir.path(), "r2", chrono::Utc::now()).unwrap();
        assert_eq!(stale.unwrap().run_id, "killed");
    }

    #[test]
    fn the_lock_file_stays_after_release() {
        let dir = tempfile::tempdir().unwrap();
        let (lock, _) = RunLock::acquire(dir.path(), "r1", chrono::Utc::now()).unwrap();
        let path = lock.path().to_path_buf();
        drop(lock);
        assert!(path.exists());
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    }
}
