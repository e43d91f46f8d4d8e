//! One run per data folder.
//!
//! `<data>/run.lock` is created with `create_new` and holds the holder's pid, run id
//! and start time. A lock whose pid is no longer alive was left by a killed run: it is
//! reported ([`StaleLock`]) and taken over. Dropping the [`RunLock`] removes the file.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{io_err, FetchError};

/// The held lock; released on drop.
#[derive(Debug)]
pub struct RunLock {
    path: PathBuf,
}

/// What a killed run left behind.
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
    /// Take the lock of `data_dir` for `run_id`.
    pub fn acquire(
        data_dir: &Path,
        run_id: &str,
    ) -> Result<(RunLock, Option<StaleLock>), FetchError> {
        std::fs::create_dir_all(data_dir).map_err(io_err(data_dir))?;
        let path = data_dir.join("run.lock");
        let mine = StaleLock {
            pid: std::process::id(),
            run_id: run_id.to_string(),
            since: chrono::Utc::now().to_rfc3339(),
        };
        let mut stale = None;
        for _ in 0..3 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let body = serde_json::to_vec(&mine).expect("lock serializes");
                    f.write_all(&body)
                        .and_then(|_| f.sync_all())
                        .map_err(io_err(&path))?;
                    return Ok((RunLock { path }, stale));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let held: Option<StaleLock> = std::fs::read(&path)
                        .ok()
                        .and_then(|b| serde_json::from_slice(&b).ok());
                    match held {
                        Some(h) if pid_alive(h.pid) => {
                            return Err(FetchError::LockHeld {
                                path,
                                pid: h.pid,
                                run_id: h.run_id,
                                since: h.since,
                            })
                        }
                        // Unreadable and brand new: another run is writing it right now.
                        None if lock_age(&path) < std::time::Duration::from_secs(10) => {
                            return Err(FetchError::LockHeld {
                                path,
                                pid: 0,
                                run_id: "starting".into(),
                                since: "just now".into(),
                            })
                        }
                        // Dead holder, or a lock file cut short by a crash while being written.
                        h => {
                            stale = Some(h.unwrap_or(StaleLock {
                                pid: 0,
                                run_id: "unknown".into(),
                                since: "unknown".into(),
                            }));
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => return Err(io_err(&path)(e)),
            }
        }
        Err(FetchError::Io {
            path,
            source: std::io::Error::other("could not take the run lock"),
        })
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn lock_age(path: &Path) -> std::time::Duration {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .unwrap_or(std::time::Duration::MAX)
}

fn pid_alive(pid: u32) -> bool {
    if pid == 0 {
        return false;
    }
    // A zombie (killed but not yet reaped) is as good as dead for a lock.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_holder_blocks_a_second_run() {
        let dir = tempfile::tempdir().unwrap();
        let (lock, stale) = RunLock::acquire(dir.path(), "r1").unwrap();
        assert!(stale.is_none());
        let err = RunLock::acquire(dir.path(), "r2").unwrap_err();
        assert!(matches!(err, FetchError::LockHeld { ref run_id, .. } if run_id == "r1"));
        drop(lock);
        assert!(RunLock::acquire(dir.path(), "r3").is_ok());
    }

    #[test]
    fn a_lock_file_still_being_written_by_another_run_counts_as_held() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("run.lock"), b"").unwrap();
        assert!(matches!(
            RunLock::acquire(dir.path(), "r2"),
            Err(FetchError::LockHeld { .. })
        ));
    }

    #[test]
    fn a_lock_left_by_a_dead_process_is_reported_and_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        // pid 0 is never a live process here; a dead holder's file looks the same.
        std::fs::write(
            dir.path().join("run.lock"),
            r#"{"pid":0,"run_id":"killed","since":"2026-11-24T00:00:00Z"}"#,
        )
        .unwrap();
        let (_lock, stale) = RunLock::acquire(dir.path(), "r2").unwrap();
        assert_eq!(stale.unwrap().run_id, "killed");
    }
}
