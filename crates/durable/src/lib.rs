//! The one way mynawatch puts a file in place so that a crash or a power cut leaves either
//! the old file or the new one, never a torn one, and never loses a file it reported
//! written: write a temp file in the same folder, fsync it, rename it over the target, then
//! fsync the folder (the rename is an entry in the folder; until the folder is synced a
//! power cut may forget it).
//!
//! Temp files are named `.<name>.<pid>.<n>.tmp`: hidden, unique per process and call, so two
//! tasks writing one path never share a temp file, and readers skip them ([`is_temp`]).
//! Every writer of the workspace (snapshots, tables, state, the commit record, the alert
//! outbox, feeds, the discover output) goes through [`write_atomic`] or
//! [`write_atomic_with`]; moving an already written file into place goes through
//! [`rename_durable`].
#![deny(missing_docs)]

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Write `bytes` to `path` durably and atomically (creating its folder).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// Like [`write_atomic`], the content written by `fill` into the temp file (a Parquet or
/// JSON writer). On any error the temp file is removed and the target is untouched.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = folder_of(path);
    std::fs::create_dir_all(dir)?;
    let tmp = temp_path(path);
    let written = (|| {
        let mut f = File::create(&tmp)?;
        fill(&mut f)?;
        trace::step("write");
        f.sync_all()?;
        trace::step("fsync file");
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    trace::step("rename");
    sync_dir(dir)?;
    trace::step("fsync folder");
    Ok(())
}

/// Move a finished file into place (same file system) and fsync the target's folder.
pub fn rename_durable(from: &Path, to: &Path) -> io::Result<()> {
    let dir = folder_of(to);
    std::fs::create_dir_all(dir)?;
    std::fs::rename(from, to)?;
    trace::step("rename");
    sync_dir(dir)?;
    trace::step("fsync folder");
    Ok(())
}

/// fsync a folder, so the entries renamed into it survive a power cut. A no-op where
/// folders cannot be opened for syncing (Windows).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// A temp file of [`write_atomic`] (or of an older writer: a hidden `*.tmp`), which readers
/// of a folder must skip.
pub fn is_temp(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp")
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn temp_path(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    folder_of(path).join(format!(
        ".{}.{}.{n}.tmp",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ))
}

/// The order of the durable steps, recorded per thread in this crate's tests.
mod trace {
    #[cfg(test)]
    thread_local! {
        pub static STEPS: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    #[cfg(test)]
    pub fn step(s: &'static str) {
        STEPS.with(|v| v.borrow_mut().push(s));
    }

    #[cfg(not(test))]
    #[inline(always)]
    pub fn step(_: &'static str) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps() -> Vec<&'static str> {
        trace::STEPS.with(|v| std::mem::take(&mut *v.borrow_mut()))
    }

    #[test]
    fn a_write_syncs_the_file_renames_it_then_syncs_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a/b/state.json");
        steps();
        write_atomic(&path, b"{}").unwrap();
        assert_eq!(
            steps(),
            ["write", "fsync file", "rename", "fsync folder"],
            "the folder is synced after the rename, so the new entry survives a power cut"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(left, ["state.json"], "no temp file is left behind");
    }

    #[test]
    fn a_failed_fill_leaves_the_old_file_and_no_temp_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("t.parquet");
        write_atomic(&path, b"old").unwrap();
        steps();
        let err = write_atomic_with(&path, |f| {
            f.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert!(steps().is_empty(), "nothing synced or renamed");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_move_into_place_syncs_the_target_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let from = tmp.path().join("staging/x.parquet");
        write_atomic(&from, b"x").unwrap();
        steps();
        let to = tmp.path().join("tables/x.parquet");
        rename_durable(&from, &to).unwrap();
        assert_eq!(steps(), ["rename", "fsync folder"]);
        assert!(to.exists() && !from.exists());
    }

    #[test]
    fn temp_names_are_hidden_and_unique() {
        let p = Path::new("/d/f.json");
        let (a, b) = (temp_path(p), temp_path(p));
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_string_lossy().to_string();
        assert!(is_temp(&name), "{name}");
        assert!(!is_temp("f.json"));
    }
}
