//! The run lock between processes: a live holder in another process is never taken
//! over (the second run gets `LockHeld` naming it), and a holder killed with SIGKILL has
//! its lock released by the OS. On a normal folder and on tmpfs (`/dev/shm`).
//!
//! The holder is this test binary run again as a child process (the `holder` entry
//! below, which does nothing unless the parent sets `MYNAWATCH_LOCK_HOLDER_DIR`).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use mynawatch_store::{RunLock, StoreError};

const DIR_VAR: &str = "MYNAWATCH_LOCK_HOLDER_DIR";

/// The child side: take the lock, say so, hold it until stdin closes.
#[test]
#[ignore = "run as a child process by the tests below"]
fn holder() {
    let Some(dir) = std::env::var_os(DIR_VAR) else {
        return;
    };
    let (_lock, _) = RunLock::acquire(Path::new(&dir), "child-run", chrono::Utc::now())
        .expect("child takes the lock");
    println!("LOCKED {}", std::process::id());
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}

/// Start a holder process on `dir` and wait until it holds the lock.
fn spawn_holder(dir: &Path) -> Child {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "holder",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DIR_VAR, dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("child starts");
    let out = child.stdout.take().unwrap();
    let locked = BufReader::new(out)
        .lines()
        .map_while(Result::ok)
        .any(|l| l.contains("LOCKED "));
    assert!(locked, "the child took the lock");
    child
}

fn check_between_processes(dir: &Path) {
    let mut child = spawn_holder(dir);
    let err = RunLock::acquire(dir, "parent-run", chrono::Utc::now()).unwrap_err();
    match err {
        StoreError::LockHeld { pid, run_id, .. } => {
            assert_eq!(pid, child.id(), "the holder is named");
            assert_eq!(run_id, "child-run");
        }
        other => panic!("expected LockHeld, got {other}"),
    }
    // Still held a moment later: a live holder is never taken over, however long it runs.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(matches!(
        RunLock::acquire(dir, "parent-run", chrono::Utc::now()),
        Err(StoreError::LockHeld { .. })
    ));

    // SIGKILL: no destructor runs; the OS releases the lock, and the holder's
    // information is reported as stale.
    child.kill().unwrap();
    child.wait().unwrap();
    let (_lock, stale) =
        RunLock::acquire(dir, "parent-run", chrono::Utc::now()).expect("lock free after the kill");
    assert_eq!(stale.expect("killed holder reported").run_id, "child-run");
}

#[test]
fn a_second_process_gets_lock_held_and_a_killed_holder_releases_it() {
    let dir = tempfile::tempdir().unwrap();
    check_between_processes(&dir.path().join("data"));
}

#[test]
fn the_lock_works_the_same_on_tmpfs() {
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() {
        println!("/dev/shm not present: tmpfs lock test skipped");
        return;
    }
    let dir = tempfile::tempdir_in(shm).unwrap();
    check_between_processes(&dir.path().join("data"));
}
