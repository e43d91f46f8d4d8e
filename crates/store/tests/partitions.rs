//! The tables are hive-partitioned by month (`run_month=<YYYY-MM>/`) and a run adds one
//! file per table however many sources it read, so DuckDB, polars, Spark and pyarrow prune
//! by month and filter the `source_id` column; stores written in older layouts (flat, or
//! one folder per source) are moved into month folders without changing any answer; the
//! pipeline finds a source's last good rows by run and source in any layout; `compact`
//! merges a month into one file.

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

/// Two sources over two months, and a change file per run, as the pipeline publishes
/// them: staged per source, joined into one file per run.
fn four_files(store: &Store) {
    for (run, base) in [(NOV, 1.0), (DEC, 2.0)] {
        for source in ["mic", "digital"] {
            store
                .write_rows(run, source, &rows(source, run, base))
                .unwrap();
        }
        store.merge_run(run).unwrap();
        store.append_changes(run, &[change(run)]).unwrap();
    }
}

fn rows(source: &str, run: &str, base: f64) -> Rows {
    Rows {
        figures: vec![
            fig(source, run, "131130", base),
            fig(source, run, "000000", base * 10.0),
        ],
        ..Rows::default()
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
fn a_run_adds_one_file_per_table_in_its_month_folder() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    four_files(&store);
    let t = dir.path().join("tables");
    for (run, month) in [(NOV, "2026-11"), (DEC, "2026-12")] {
        assert!(t
            .join(format!("figures/run_month={month}/{run}.parquet"))
            .is_file());
        assert!(t
            .join(format!("changes/run_month={month}/{run}.parquet"))
            .is_file());
    }
    assert_eq!(
        store
            .files(mynawatch_store::TableName::Figures)
            .unwrap()
            .len(),
        2,
        "not one per source"
    );
    assert!(!t.join("figures/source=mic").exists());
    // A run's staging folder keeps one file per source until the run is joined.
    assert_eq!(
        partition_path("r1", Some("a b")),
        std::path::PathBuf::from("source=a_b/run_month=unknown/r1__a_b.parquet")
    );
    // The folder key is not a column: the table has the same columns as before.
    let cols = answer(&store, "select * from figures limit 0");
    assert!(!cols[0].contains("run_month"));
    assert_eq!(answer(&store, "select count(*) as n from figures")[1], "8");
    // Each source's rows come back from the run's shared file.
    let mic = store.load_rows(DEC, "mic").unwrap().figures;
    assert_eq!(mic.len(), 2);
    assert!(mic.iter().all(|f| f.provenance.source_id == "mic"));
}

#[test]
fn a_hive_reader_prunes_by_month_and_filters_by_source() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    four_files(&store);
    // What an analyst types in polars (DuckDB: read_parquet('…/**/*.parquet',
    // hive_partitioning = true)): the month folder becomes a column to prune by.
    let glob = dir.path().join("tables/figures/**/*.parquet");
    let args = ScanArgsParquet {
        hive_options: HiveOptions::new_enabled(),
        ..ScanArgsParquet::default()
    };
    let df = LazyFrame::scan_parquet(PlRefPath::new(glob.to_string_lossy().as_ref()), args)
        .unwrap()
        .filter(
            col("run_month")
                .eq(lit("2026-12"))
                .and(col("source_id").eq(lit("mic"))),
        )
        .select([col("source_id"), col("run_id"), col("value")])
        .collect()
        .unwrap();
    assert_eq!(df.height(), 2);
    let runs = df.column("run_id").unwrap().str().unwrap();
    for i in 0..df.height() {
        assert_eq!(runs.get(i), Some(DEC));
    }
}

#[test]
fn older_layouts_are_moved_into_month_folders_without_changing_any_answer() {
    let queries = [
        "select * from figures",
        "select * from changes",
        "select * from figures_current",
    ];
    let fresh = tempfile::tempdir().unwrap();
    let reference = Store::open(fresh.path()).unwrap();
    four_files(&reference);
    let before: Vec<_> = queries.iter().map(|q| answer(&reference, q)).collect();

    // The same rows as older versions left them: November in one flat compaction file,
    // December's mic in a per-source partition folder, December's digital flat.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let figures = dir.path().join("tables/figures");
    let mut nov: Option<DataFrame> = None;
    for (run, base) in [(NOV, 1.0), (DEC, 2.0)] {
        for source in ["mic", "digital"] {
            store
                .write_rows(run, source, &rows(source, run, base))
                .unwrap();
        }
        store.append_changes(run, &[change(run)]).unwrap();
    }
    for f in store.files(mynawatch_store::TableName::Figures).unwrap() {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with(NOV) {
            let df = ParquetReader::new(std::fs::File::open(&f).unwrap())
                .finish()
                .unwrap();
            match &mut nov {
                Some(m) => {
                    m.vstack_mut(&df).unwrap();
                }
                None => nov = Some(df),
            }
            std::fs::remove_file(&f).unwrap();
        } else if name.ends_with("__digital.parquet") {
            std::fs::rename(&f, figures.join(&name)).unwrap();
        }
    }
    let mut nov = nov.unwrap();
    ParquetWriter::new(std::fs::File::create(figures.join("compact-20261115.parquet")).unwrap())
        .finish(&mut nov)
        .unwrap();
    // Readers and the pipeline see the old layouts as they are.
    let old: Vec<_> = queries.iter().map(|q| answer(&store, q)).collect();
    assert_eq!(old, before);
    assert_eq!(store.load_rows(DEC, "mic").unwrap().figures.len(), 2);
    assert_eq!(store.load_rows(DEC, "digital").unwrap().figures.len(), 2);

    assert_eq!(store.migrate_layout().unwrap(), 3);
    let after: Vec<_> = queries.iter().map(|q| answer(&store, q)).collect();
    assert_eq!(after, before);
    for table in [
        mynawatch_store::TableName::Figures,
        mynawatch_store::TableName::Changes,
    ] {
        for f in store.files(table).unwrap() {
            let rel = f
                .strip_prefix(dir.path().join("tables").join(table.as_str()))
                .unwrap();
            assert_eq!(
                rel.components().count(),
                2,
                "{} is not in a month folder",
                rel.display()
            );
        }
    }
    assert!(!figures.join("source=mic").exists());
    // The old compaction file went to its month; the last good rows are still found.
    assert!(figures
        .join("run_month=2026-11/compact-20261115.parquet")
        .is_file());
    assert_eq!(store.load_rows(DEC, "mic").unwrap().figures.len(), 2);
    assert_eq!(store.load_rows(NOV, "digital").unwrap().figures.len(), 2);
    // Migrating again moves nothing.
    assert_eq!(store.migrate_layout().unwrap(), 0);
}

#[test]
fn compact_merges_a_month_into_one_file_and_the_last_good_rows_are_still_found() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    four_files(&store);
    // A third run in November for mic, so November has two files.
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
    store.merge_run(third).unwrap();
    let before = answer(&store, "select * from figures");
    let done = store.compact().unwrap();
    let figures = done.iter().find(|c| c.table == "figures").unwrap();
    assert_eq!((figures.files_in, figures.files_out), (2, 1));
    let nov = dir.path().join("tables/figures/run_month=2026-11");
    let names: Vec<String> = std::fs::read_dir(&nov)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].starts_with("compact-"));
    // December's file is untouched.
    assert_eq!(
        store
            .files(mynawatch_store::TableName::Figures)
            .unwrap()
            .len(),
        2
    );
    assert_eq!(answer(&store, "select * from figures"), before);
    // The pipeline finds a source's rows of a compacted run by run and source.
    let reopened = Store::open(dir.path()).unwrap();
    assert_eq!(reopened.load_rows(third, "mic").unwrap().figures.len(), 1);
    assert_eq!(reopened.load_rows(NOV, "digital").unwrap().figures.len(), 2);
}
