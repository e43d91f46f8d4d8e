//! Readers reject stored values they do not know instead of guessing: a status, a
//! qualifier or a fetch outcome this version has no name for, or a null where every
//! writer stores a time, is an error naming the table, the column and the value.
//!
//! Each case writes real rows through the store, edits one cell of the Parquet file the
//! way a newer writer (or a hand edit) would, and reads it back.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone, Utc};
use mynawatch_model::*;
use mynawatch_store::{Store, StoreError};
use polars::prelude::*;

const RUN: &str = "20261124T010203Z-0001";

fn prov() -> Provenance {
    Provenance {
        source_id: "mic".into(),
        url: "https://www.soumu.go.jp/main_content/000490028.pdf".into(),
        fetched_at: Utc.with_ymd_and_hms(2026, 11, 24, 1, 2, 3).unwrap(),
        snapshot_sha256: "ab".repeat(32),
        locator: "000490028_17.csv!r12c4".into(),
        raw_text: "23,007".into(),
        run_id: RUN.into(),
    }
}

fn figure() -> Figure {
    Figure {
        metric: "card.holdings".into(),
        area_code: "131130".into(),
        area_name: "東京都渋谷区".into(),
        as_of: NaiveDate::from_ymd_opt(2017, 3, 8),
        period_start: None,
        period_end: None,
        value: Some(23_007.0),
        unit: "count".into(),
        scale: 1.0,
        qualifier: Some(Qualifier::Approx),
        status: FigureStatus::Preliminary,
        dimensions: String::new(),
        derived_from: String::new(),
        evidence: String::new(),
        provenance: prov(),
    }
}

fn fetch() -> FetchRecord {
    FetchRecord {
        run_id: RUN.into(),
        source_id: "mic".into(),
        url: "https://www.soumu.go.jp/main_content/000490028.pdf".into(),
        final_url: "https://www.soumu.go.jp/main_content/000490028.pdf".into(),
        status_code: Some(200),
        outcome: FetchOutcome::Fetched,
        etag: None,
        last_modified: None,
        content_type: Some("application/pdf".into()),
        charset: None,
        bytes: 1234,
        sha256: Some("ab".repeat(32)),
        elapsed_ms: 80,
        attempts: 1,
        error: None,
        fetched_at: Utc.with_ymd_and_hms(2026, 11, 24, 1, 2, 3).unwrap(),
    }
}

/// The only Parquet file of `table`.
fn file_of(data: &Path, table: &str) -> PathBuf {
    let table = mynawatch_store::TableName::parse(table).expect("a table");
    let files = Store::open(data).unwrap().files(table).unwrap();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

/// Replace column `name` of `table`'s file with `column` (one row).
fn edit(data: &Path, table: &str, column: Column) {
    let path = file_of(data, table);
    let mut df = ParquetReader::new(std::fs::File::open(&path).unwrap())
        .finish()
        .unwrap();
    df.with_column(column).unwrap();
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .finish(&mut df)
        .unwrap();
}

fn string_cell(name: &str, value: &str) -> Column {
    Column::new(name.into(), vec![value.to_string()])
}

fn null_time(name: &str) -> Column {
    Column::new(name.into(), vec![None::<i64>])
        .cast(&DataType::Datetime(
            TimeUnit::Microseconds,
            Some(polars::prelude::TimeZone::UTC),
        ))
        .unwrap()
}

fn assert_bad_value<T: std::fmt::Debug>(
    got: Result<T, StoreError>,
    table: &str,
    column: &str,
    value: &str,
) {
    let err = got.expect_err("an unknown stored value must not be read as a guess");
    match &err {
        StoreError::BadValue {
            table: t,
            column: c,
            value: v,
        } => assert_eq!((*t, c.as_str(), v.as_str()), (table, column, value)),
        other => panic!("expected BadValue, got {other}"),
    }
    let message = err.to_string();
    for part in [table, column, value] {
        assert!(message.contains(part), "{message} should name {part}");
    }
}

fn store_with_figure() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let rows = Rows {
        figures: vec![figure()],
        ..Rows::default()
    };
    store.write_rows(RUN, "mic", &rows).unwrap();
    (dir, store)
}

#[test]
fn stored_figures_read_back_as_written() {
    let (_dir, store) = store_with_figure();
    assert_eq!(store.load_rows(RUN, "mic").unwrap().figures, vec![figure()]);
}

#[test]
fn an_unknown_figure_status_is_an_error_not_final() {
    let (dir, store) = store_with_figure();
    edit(dir.path(), "figures", string_cell("status", "estimated"));
    assert_bad_value(
        store.load_rows(RUN, "mic"),
        "figures",
        "status",
        "estimated",
    );
}

#[test]
fn an_unknown_qualifier_is_an_error_not_dropped() {
    let (dir, store) = store_with_figure();
    edit(dir.path(), "figures", string_cell("qualifier", "roughly"));
    assert_bad_value(
        store.load_rows(RUN, "mic"),
        "figures",
        "qualifier",
        "roughly",
    );
}

#[test]
fn a_null_fetch_time_in_provenance_is_an_error_not_1970() {
    let (dir, store) = store_with_figure();
    edit(dir.path(), "figures", null_time("fetched_at"));
    assert_bad_value(store.load_rows(RUN, "mic"), "figures", "fetched_at", "null");
}

#[test]
fn an_unknown_fetch_outcome_is_an_error_not_failed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.append_fetches(RUN, &[fetch()]).unwrap();
    assert_eq!(store.load_fetches().unwrap(), vec![fetch()]);
    edit(dir.path(), "fetches", string_cell("outcome", "teleported"));
    assert_bad_value(store.load_fetches(), "fetches", "outcome", "teleported");
}

#[test]
fn a_run_without_a_start_time_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let t = Utc.with_ymd_and_hms(2026, 11, 24, 1, 2, 3).unwrap();
    store
        .write_run(&RunRecord {
            run_id: RUN.into(),
            started_at: t,
            finished_at: t,
            status: RunStatus::Ok,
            sources_ok: 1,
            sources_unchanged: 0,
            sources_failed: 0,
            sources_broken: 0,
            changes: 0,
            version: "0.1.0".into(),
        })
        .unwrap();
    assert_eq!(store.load_runs().unwrap().len(), 1);
    edit(dir.path(), "runs", null_time("started_at"));
    assert_bad_value(store.load_runs(), "runs", "started_at", "null");
}
