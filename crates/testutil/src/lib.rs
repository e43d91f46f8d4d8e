//! Dev-only test helpers. Depends on none of the project's crates.
//!
//! The real-data corpus lives outside the repository (`../shared/corpus` next to
//! the clone; `MYNAWATCH_CORPUS` overrides). Tests must never copy it into the repo.
#![deny(missing_docs)]

use std::path::PathBuf;

/// The repository root (the workspace folder): found from the running test's package
/// (`CARGO_MANIFEST_DIR`, which `cargo test` sets at run time) upwards, so two checkouts
/// sharing one target dir (cargo gives a path dependency the same artifact in both) never
/// read each other's fixtures; this crate's own folder when not run by cargo.
pub fn repo_root() -> PathBuf {
    let is_root =
        |d: &std::path::Path| d.join("fixtures").is_dir() && d.join("Cargo.lock").is_file();
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|start| start.ancestors().find(|d| is_root(d)).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

/// The real-data corpus folder: `$MYNAWATCH_CORPUS`, else `../shared/corpus` beside the clone.
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("MYNAWATCH_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => repo_root().join("../shared/corpus"),
    }
}

/// A file in the corpus, e.g. `corpus_file("figures/negative/x.xlsx")`. Panics with a
/// clear message when the corpus is missing: a test on real data must not pass silently.
pub fn corpus_file(rel: &str) -> PathBuf {
    let p = corpus_dir().join(rel);
    assert!(
        p.exists(),
        "corpus file {} not found (set MYNAWATCH_CORPUS)",
        p.display()
    );
    p
}

/// Read a corpus file's bytes.
pub fn corpus_bytes(rel: &str) -> Vec<u8> {
    std::fs::read(corpus_file(rel)).expect("read corpus file")
}

/// The repository's own `fixtures/` folder.
pub fn fixtures_dir() -> PathBuf {
    repo_root().join("fixtures")
}

/// Read a file from `fixtures/`.
pub fn fixture_bytes(rel: &str) -> Vec<u8> {
    let p = fixtures_dir().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()))
}

/// Every file under `dir`, in any sub-folder (none when `dir` is absent), sorted.
pub fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                folders.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
