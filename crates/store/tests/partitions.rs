//! The tables are hive-partitioned (`source=<id>/run_month=<YYYY-MM>/`) so DuckDB,
//! polars, Spark and pyarrow prune by source and month; a store written in the old flat
//! layout is moved into partitions without changing any answer; `compact` merges only
//! within a partition.

use chrono::{NaiveDate, TimeZone, Utc};
use mynawatch_model::*;
use mynawatch_store::{partition_path, render, OutputFormat, Store};
use polars::prelude::*;

const NOV: &str = "20261101T030000.000Z-0a1b";
const DEC: &str = "20261201T030000.000Z-0c2d";

fn fig(source: &str, run: &str, area: &str, v: f64) -> Figure {
    Figure {
        metric: "card.holdings".into(),
        area_code: area.into(),
        area_name: String::new(),
        as_of: NaiveDate::from_ymd_opt(2025, 4, 30),
        period_start: None,
        period_end: None,
        value: Some(v),
        unit: "count".into(),
        scale: 1.0,
        qualifier: None,
        status: FigureStatus::Final,
        dimensions: String::new(),
        derived_from: String::new(),
        evidence: String::new(),
        provenance: Provenance {
            source_id: source.into(),
            url: format!("https://example.jp/{source}"),
            fetched_at: Utc.with_ymd_and_hms(2026, 11, 1, 3, 0, 0).unwrap(),
            snapshot_sha256: "cd".repeat(32),
            locator: "A1".into(),
            raw_text: v.to_string(),
            run_id: run.into(),
        },
    }
}

fn change(run: &str) -> Change {
    Change {
        run_id: run.into(),
        detected_at: Utc.with_ymd_and_hms(2026, 11, 1, 3, 0, 0).unwrap(),
        source_id: "mic".into(),
        table: "figures".into(),
        entity_key: "card.holdings|131130".into(),
        field: "value".into(),
        old_value: None,
        new_value: Some("1".into()),
        kind: ChangeKind::Added,
        summary: "added".into(),
        url: "https://example.jp/mic".into(),
    }
}

/// Two sources over two months, and a change file per run.
fn four_files(store: &Store) {
    for (run, base) in [(NOV, 1.0), (DEC, 2.0)] {
        for source in ["mic", "digital"] {
            let rows = Rows {
                figures: vec![
                    fig(source, run, "131130", base),
                    fig(source, run, "000000", base * 10.0),
                ],
                ..Rows::default()
            };
            store.write_rows(run, source, &rows).unwrap();
        }
        store.append_changes(run, &[change(run)]).unwrap();
    }
}

fn answer(store: &Store, sql: &str) -> Vec<String> {
    let mut df = store.query(sql).unwrap();
    let csv = render(&mut df, OutputFormat::Csv).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    lines[1..].sort();
    lines
}

#[test]
fn files_land_in_source_and_month_folders() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    four_files(&store);
    let t = dir.path().join("tables");
    assert!(t
        .join("figures/source=mic/run_month=2026-11")
        .join(format!("{NOV}__mic.parquet"))
        .is_file());
    assert!(t
        .join("figures/source=digital/run_month=2026-12")
        .join(format!("{DEC}__digital.parquet"))
        .is_file());
    assert!(t
        .join("changes/run_month=2026-12")
        .join(format!("{DEC}.parquet"))
        .is_file());
    assert_eq!(
        partition_path("r1", Some("a b")),
        std::path::PathBuf::from("source=a_b/run_month=unknown/r1__a_b.parquet")
    );
    // The folder keys are not columns: the table has the same columns as before.
    let cols = answer(&store, "select * from figures limit 0");
    assert!(!cols[0].contains("run_month") && !cols[0].contains("source,"));
    assert_eq!(answer(&store, "select count(*) as n from figures")[1], "8");
}

#[test]
fn a_hive_reader_prunes_by_source_and_month() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    four_files(&store);
    // What an analyst types in polars (DuckDB: read_parquet('…/**/*.parquet',
    // hive_partitioning = true)): the folder keys become columns to filter on.
    let glob = dir.path().join("tables/figures/**/*.parquet");
    let args = ScanArgsParquet {
        hive_options: HiveOptions::new_enabled(),
        ..ScanArgsParquet::default()
    };
    let df = LazyFrame::scan_parquet(PlRefPath::new(glob.to_string_lossy().as_ref()), args)
        .unwrap()
        .filter(
            col("source")
                .eq(lit("mic"))
                .and(col("run_month").eq(lit("2026-12"))),
        )
        .select([col("source_id"), col("run_id"), col("value")])
        .collect()
        .unwrap();
    assert_eq!(df.height(), 2);
    let runs = df.column("run_id").unwrap().str().unwrap();
    let sources = df.column("source_id").unwrap().str().unwrap();
    for i in 0..df.height() {
        assert_eq!(runs.get(i), Some(DEC));
        assert_eq!(sources.get(i), Some("mic"));
    }
}

#[test]
fn a_flat_store_is_moved_into_partitions_without_changing_any_answer() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    four_files(&store);
    let queries = [
        "select * from figures",
        "select * from changes",
        "select * from figures_current",
    ];
    let before: Vec<_> = queries.iter().map(|q| answer(&store, q)).collect();

    // Rebuild the layout of a store written before partitioning: every file flat in its
    // table folder, and an old compaction file holding rows of both sources and months.
    let figures = dir.path().join("tables/figures");
    let mut merged: Option<DataFrame> = None;
    for f in store.files("figures").unwrap() {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with(NOV) {
            let df = ParquetReader::new(std::fs::File::open(&f).unwrap())
                .finish()
                .unwrap();
            match &mut merged {
                Some(m) => {
                    m.vstack_mut(&df).unwrap();
                }
                None => merged = Some(df),
            }
            std::fs::remove_file(&f).unwrap();
        } else {
            std::fs::rename(&f, figures.join(&name)).unwrap();
        }
    }
    let mut merged = merged.unwrap();
    ParquetWriter::new(std::fs::File::create(figures.join("compact-20261115.parquet")).unwrap())
        .finish(&mut merged)
        .unwrap();
    for f in store.files("changes").unwrap() {
        let name = f.file_name().unwrap().to_owned();
        std::fs::rename(&f, dir.path().join("tables/changes").join(name)).unwrap();
    }
    for d in [
        "figures/source=mic",
        "figures/source=digital",
        "changes/run_month=2026-11",
        "changes/run_month=2026-12",
    ] {
        std::fs::remove_dir_all(dir.path().join("tables").join(d)).unwrap();
    }
    // Readers see the flat layout as it is.
    let flat: Vec<_> = queries.iter().map(|q| answer(&store, q)).collect();
    assert_eq!(flat, before);
    // The pipeline still finds a last good extraction written flat.
    assert_eq!(store.load_rows(DEC, "mic").unwrap().figures.len(), 2);

    assert_eq!(store.migrate_layout().unwrap(), 5);
    let after: Vec<_> = queries.iter().map(|q| answer(&store, q)).collect();
    assert_eq!(after, before);
    for table in ["figures", "changes"] {
        for f in store.files(table).unwrap() {
            let rel = f
                .strip_prefix(dir.path().join("tables").join(table))
                .unwrap();
            assert!(
                rel.components().count() == if table == "figures" { 3 } else { 2 },
                "{} is not in a partition folder",
                rel.display()
            );
        }
    }
    // The old compaction file was split: one part per source and month.
    assert!(figures
        .join("source=digital/run_month=2026-11/compact-20261115.parquet")
        .is_file());
    assert!(figures
        .join("source=mic/run_month=2026-11/compact-20261115.parquet")
        .is_file());
    // Migrating again moves nothing.
    assert_eq!(store.migrate_layout().unwrap(), 0);
}

#[test]
fn compact_merges_within_a_partition_and_never_across_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    four_files(&store);
    // A third run in November for mic, so its November folder has two files.
    let third = "20261115T030000.000Z-0e3f";
    store
        .write_rows(
            third,
            "mic",
            &Rows {
                figures: vec![fig("mic", third, "131130", 1.5)],
                ..Rows::default()
            },
        )
        .unwrap();
    let before = answer(&store, "select * from figures");
    let done = store.compact().unwrap();
    let figures = done.iter().find(|c| c.table == "figures").unwrap();
    assert_eq!((figures.files_in, figures.files_out), (2, 1));
    let nov = dir
        .path()
        .join("tables/figures/source=mic/run_month=2026-11");
    let names: Vec<String> = std::fs::read_dir(&nov)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].starts_with("compact-"));
    // December's files and the other source's folders are untouched.
    assert_eq!(store.files("figures").unwrap().len(), 4);
    assert_eq!(answer(&store, "select * from figures"), before);
}
