//! The family contract, checked for every registered family over its fixtures in
//! `fixtures/<family>/` (options in `<file>.options.json`; a `.fail.` file must fail; a
//! `.links.` file is an index that yields only links):
//! extraction is deterministic, every row carries full provenance, expectations are
//! declared and met, and garbage or empty input is an error, never an empty success.

use std::path::PathBuf;

use mynawatch_extract::{registry, ExtractError, Extraction, Family, Input};
use mynawatch_model::{Provenance, SnapshotMeta};
use mynawatch_testutil::fixtures_dir;

fn fixtures_of(family: &str) -> Vec<PathBuf> {
    let dir = fixtures_dir().join(family);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|_| panic!("family `{family}` has no fixtures folder {}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name != "README.md" && !name.ends_with(".options.json")
        })
        .collect();
    files.sort();
    files
}

fn run(f: &dyn Family, path: &PathBuf) -> Result<Extraction, ExtractError> {
    let bytes = std::fs::read(path).unwrap();
    let options_path = PathBuf::from(format!("{}.options.json", path.display()));
    let options: serde_json::Value = std::fs::read(&options_path)
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap_or(serde_json::Value::Null);
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let mut meta = SnapshotMeta::for_file(
        f.name(),
        &format!("https://fixtures.example.jp/{name}"),
        "ab".repeat(32),
    );
    meta.run_id = "conformance".into();
    let input = Input {
        bytes: &bytes,
        meta: &meta,
        options: &options,
    };
    if name.ends_with(".txt") {
        let text = String::from_utf8(bytes.clone()).unwrap();
        return f
            .extract_text(&text, &input)
            .unwrap_or_else(|| panic!("{}: .txt fixture but no text layer", f.name()));
    }
    f.extract(&input)
}

fn check_provenance(family: &str, file: &str, p: &Provenance) {
    let ctx = format!("{family} {file}");
    assert_eq!(p.source_id, family, "{ctx}: source_id");
    assert!(
        p.url.starts_with("https://fixtures.example.jp/"),
        "{ctx}: url {}",
        p.url
    );
    assert_eq!(p.snapshot_sha256.len(), 64, "{ctx}: sha256");
    assert!(!p.locator.is_empty(), "{ctx}: empty locator");
    assert_eq!(p.run_id, "conformance", "{ctx}: run_id");
}

#[test]
fn every_family_meets_the_contract_on_its_fixtures() {
    let families = registry();
    assert!(
        families.len() >= 4,
        "families registered: {}",
        families.len()
    );
    for f in &families {
        let name = f.name();
        let expect = f.expectations(&serde_json::Value::Null);
        assert!(
            expect.min_rows >= 1 && !expect.required_tables.is_empty(),
            "{name}: expectations must be declared"
        );
        let files = fixtures_of(name);
        let ok_files: Vec<_> = files
            .iter()
            .filter(|p| !p.to_string_lossy().contains(".fail."))
            .collect();
        assert!(
            !ok_files.is_empty(),
            "{name}: at least one fixture must extract"
        );
        for path in &files {
            let file = path.file_name().unwrap().to_string_lossy().to_string();
            let first = run(f.as_ref(), path);
            if file.contains(".fail.") {
                assert!(
                    first.is_err(),
                    "{name} {file}: must fail, got {:?}",
                    first.map(|x| x.row_count())
                );
                continue;
            }
            let x = first.unwrap_or_else(|e| panic!("{name} {file}: {e}"));
            let again = run(f.as_ref(), path).unwrap();
            assert_eq!(x, again, "{name} {file}: extraction is not deterministic");
            // Links are the pipeline's next targets: absolute http(s) URLs with a locator.
            for l in &x.links {
                assert!(
                    l.url.starts_with("http://") || l.url.starts_with("https://"),
                    "{name} {file}: link not absolute: {}",
                    l.url
                );
                assert!(!l.locator.is_empty(), "{name} {file}: link without locator");
            }
            if file.contains(".links.") {
                // An index page: no rows of its own, only the links the pipeline follows.
                assert!(
                    !x.links.is_empty() && x.row_count() == 0,
                    "{name} {file}: an index yields links only"
                );
                continue;
            }
            expect
                .check(&x)
                .unwrap_or_else(|e| panic!("{name} {file}: {e}"));
            let r = &x.rows;
            r.figures.iter().for_each(|row| {
                check_provenance(name, &file, &row.provenance);
                assert!(
                    !row.provenance.raw_text.is_empty(),
                    "{name} {file}: a figure without raw_text"
                );
                assert!(
                    !row.metric.is_empty() && !row.unit.is_empty(),
                    "{name} {file}: metric and unit"
                );
            });
            r.events
                .iter()
                .for_each(|row| check_provenance(name, &file, &row.provenance));
            r.statements
                .iter()
                .for_each(|row| check_provenance(name, &file, &row.provenance));
            r.notices.iter().for_each(|row| {
                check_provenance(
                    name,
                    &file,
                    row.provenance.as_ref().expect("notice provenance"),
                )
            });
        }
    }
}

#[test]
fn every_family_rejects_garbage_and_empty_input() {
    let meta = SnapshotMeta::for_file(
        "x",
        "https://fixtures.example.jp/garbage.bin",
        "ab".repeat(32),
    );
    for f in registry() {
        // Options that would be valid for the family, so the failure is about the bytes.
        let options = match f.name() {
            "table" => {
                serde_json::json!({"area": "全国", "date": {"value": "2025-01-01"}, "metrics": [{"headers": ["件数"], "metric": "x", "unit": "count"}]})
            }
            "municipal_notice" => serde_json::json!({"area": "東京都渋谷区"}),
            _ => serde_json::Value::Null,
        };
        for bytes in [
            &b""[..],
            &b"\x00\x01\x02\xff garbage \x00"[..],
            &b"   \n"[..],
        ] {
            let got = f.extract(&Input {
                bytes,
                meta: &meta,
                options: &options,
            });
            match got {
                Err(_) => {}
                Ok(x) => assert!(
                    f.expectations(&options).check(&x).is_err(),
                    "{}: {:?} extracted {} rows",
                    f.name(),
                    bytes,
                    x.row_count()
                ),
            }
        }
    }
}

/// Every family binds to a source's options once (when the config is loaded): bound, it
/// extracts every fixture exactly as the unbound family given the options with each
/// document, and it does not read the options of the document's `Input` again.
#[test]
fn a_bound_family_extracts_as_the_unbound_one_with_the_options_parsed_once() {
    for f in registry() {
        for path in fixtures_of(f.name()) {
            let options_path = PathBuf::from(format!("{}.options.json", path.display()));
            let options: serde_json::Value = std::fs::read(&options_path)
                .map(|b| serde_json::from_slice(&b).unwrap())
                .unwrap_or(serde_json::Value::Null);
            let Ok(Some(bound)) = f.bind(&options) else {
                continue; // options a family refuses are the option tests' business
            };
            let bytes = std::fs::read(&path).unwrap();
            let meta =
                SnapshotMeta::for_file(f.name(), "https://fixtures.example.jp/x", "ab".repeat(32));
            let input = |options| Input {
                bytes: &bytes,
                meta: &meta,
                options,
            };
            let unbound = f.extract(&input(&options));
            // The bound family is handed no options with the document: it has its own.
            let got = bound.extract(&input(&serde_json::Value::Null));
            assert_eq!(
                format!("{:?}", got.map(|x| x.rows)),
                format!("{:?}", unbound.map(|x| x.rows)),
                "{} on {}",
                f.name(),
                path.display()
            );
            // The text layer too, on text fixtures.
            if let Ok(text) = std::str::from_utf8(&bytes) {
                let unbound = f.extract_text(text, &input(&options));
                let got = bound.extract_text(text, &input(&serde_json::Value::Null));
                assert_eq!(
                    format!("{:?}", got.map(|x| x.map(|x| x.rows))),
                    format!("{:?}", unbound.map(|x| x.map(|x| x.rows))),
                    "{} text layer on {}",
                    f.name(),
                    path.display()
                );
            }
        }
    }
}
