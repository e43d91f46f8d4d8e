//! The analyst views (`figures_current`, `notices_current`, `events_current`,
//! `statements_current`) hold the latest version of each natural key, and `compact`
//! merges small files without changing the answer of any query.

use chrono::{NaiveDate, TimeZone, Utc};
use mynawatch_model::*;
use mynawatch_store::{render, OutputFormat, SourceState, SourceStates, Store};

fn prov(source: &str, run: &str, locator: &str) -> Provenance {
    Provenance {
        source_id: source.into(),
        url: format!("https://example.jp/{source}"),
        fetched_at: Utc.with_ymd_and_hms(2026, 11, 24, 1, 2, 3).unwrap(),
        snapshot_sha256: "ab".repeat(32),
        locator: locator.into(),
        raw_text: "x".into(),
        run_id: run.into(),
    }
}

fn fig(source: &str, run: &str, area: &str, as_of: (i32, u32, u32), v: f64) -> Figure {
    Figure {
        metric: "card.holdings".into(),
        area_code: area.into(),
        area_name: String::new(),
        as_of: NaiveDate::from_ymd_opt(as_of.0, as_of.1, as_of.2),
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
        provenance: prov(source, run, "A1"),
    }
}

fn notice(run: &str, valid_until: (i32, u32, u32)) -> Notice {
    Notice {
        area_code: "131130".into(),
        area_name: "東京都渋谷区".into(),
        title: "資格確認書の一斉送付について".into(),
        text: format!("text of {run}"),
        issuance_policy: "all_insured".into(),
        policy_evidence: "加入者全員に送付します。".into(),
        valid_until: NaiveDate::from_ymd_opt(valid_until.0, valid_until.1, valid_until.2),
        provenance: Some(prov("shibuya", run, "main")),
        ..Notice::default()
    }
}

fn statement(run: &str, turn: u32, text: &str) -> Statement {
    Statement {
        event_id: "mhlw-2025-06-03".into(),
        turn,
        speaker: "大臣".into(),
        speaker_role: "minister".into(),
        speaker_group: String::new(),
        text: text.into(),
        topics: vec!["qualification_certificate".into()],
        char_start: 0,
        char_end: 1,
        provenance: prov("press", run, "p"),
    }
}

fn event(run: &str, title: &str) -> Event {
    Event {
        event_id: "mhlw-2025-06-03".into(),
        kind: "press_conference".into(),
        date: NaiveDate::from_ymd_opt(2025, 6, 3),
        start_time: None,
        end_time: None,
        venue: String::new(),
        body: String::new(),
        title: title.into(),
        principal: String::new(),
        provenance: prov("press", run, "h1"),
    }
}

/// Three runs of three sources: Shibuya's card count restated in r2, a notice rewritten
/// in r3, a statement corrected in r2; every source's file of every run kept.
fn three_runs(store: &Store) {
    let runs = [
        ("r1", 23_007.0, (2027, 7, 31), "旧"),
        ("r2", 23_100.0, (2027, 7, 31), "新"),
        ("r3", 23_100.0, (2028, 7, 31), "新"),
    ];
    for (run, shibuya, valid, said) in runs {
        let mut figures = vec![
            fig("mic", run, "131130", (2017, 3, 8), shibuya),
            fig("mic", run, "000000", (2017, 3, 8), 10_717_919.0),
        ];
        if run == "r3" {
            figures.push(fig("mic", run, "131130", (2022, 12, 31), 135_186.0));
        }
        store
            .write_rows(
                run,
                "mic",
                &Rows {
                    figures,
                    ..Rows::default()
                },
            )
            .unwrap();
        store
            .write_rows(
                run,
                "shibuya",
                &Rows {
                    notices: vec![notice(run, valid)],
                    ..Rows::default()
                },
            )
            .unwrap();
        store
            .write_rows(
                run,
                "press",
                &Rows {
                    events: vec![event(run, "大臣会見概要")],
                    statements: vec![statement(run, 1, said), statement(run, 2, "以上です")],
                    ..Rows::default()
                },
            )
            .unwrap();
    }
    let mut states = SourceStates::new();
    for id in ["mic", "shibuya", "press"] {
        states.insert(
            id.into(),
            SourceState {
                last_good_run: Some("r3".into()),
                ..SourceState::default()
            },
        );
    }
    store.save_source_states(&states).unwrap();
}

/// A query's answer as sorted CSV lines (row order is not part of an SQL answer).
fn answer(store: &Store, sql: &str) -> Vec<String> {
    let mut df = store.query(sql).unwrap();
    let csv = render(&mut df, OutputFormat::Csv).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let header = lines.remove(0);
    lines.sort();
    lines.insert(0, header);
    lines
}

fn files(dir: &std::path::Path, table: &str) -> usize {
    let table = mynawatch_store::TableName::parse(table).expect("a table");
    Store::open(dir).unwrap().files(table).unwrap().len()
}

#[test]
fn figures_current_answers_the_shibuya_question_with_the_restated_value_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    three_runs(&store);
    let rows = answer(
        &store,
        "select as_of, value, run_id from figures_current where area_code = '131130' order by as_of",
    );
    assert_eq!(
        rows,
        vec![
            "as_of,value,run_id",
            "2017-03-08,23100,r3",
            "2022-12-31,135186,r3",
        ]
    );
    // The table itself keeps every version.
    let all = answer(
        &store,
        "select count(*) as n from figures where area_code = '131130'",
    );
    assert_eq!(all[1], "4");
}

#[test]
fn the_other_current_views_keep_the_latest_notice_event_and_statements() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    three_runs(&store);
    assert_eq!(
        answer(
            &store,
            "select area_name, valid_until, run_id from notices_current"
        ),
        vec!["area_name,valid_until,run_id", "東京都渋谷区,2028-07-31,r3"]
    );
    assert_eq!(
        answer(&store, "select event_id, run_id from events_current"),
        vec!["event_id,run_id", "mhlw-2025-06-03,r3"]
    );
    assert_eq!(
        answer(&store, "select turn, text from statements_current"),
        vec!["turn,text", "1,新", "2,以上です"]
    );
}

#[test]
fn compact_merges_small_files_and_every_query_answers_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    three_runs(&store);
    let queries = [
        "select * from figures",
        "select * from figures_current where area_code = '131130'",
        "select metric, count(*) as n, sum(value) as total from figures group by metric",
        "select * from notices",
        "select * from notices_current",
        "select * from events",
        "select * from statements_current",
        "select source_id, max(run_id) as run from figures group by source_id",
    ];
    let before: Vec<Vec<String>> = queries.iter().map(|q| answer(&store, q)).collect();
    assert_eq!(files(dir.path(), "figures"), 3);
    let rows_before = store.load_rows("r3", "mic").unwrap();

    let total: usize = answer(&store, "select count(*) as n from figures")[1]
        .parse()
        .unwrap();
    let done = store.compact().unwrap();
    // Every file of the partition merges into one, the last good run's included: the
    // pipeline finds a source's rows by run and source, not by file name.
    assert_eq!(files(dir.path(), "figures"), 1);
    assert_eq!(files(dir.path(), "statements"), 1);
    let figures = done.iter().find(|c| c.table == "figures").unwrap();
    assert_eq!(
        (figures.files_in, figures.rows, figures.skipped.clone()),
        (3, total, None)
    );

    let after: Vec<Vec<String>> = queries.iter().map(|q| answer(&store, q)).collect();
    for ((q, b), a) in queries.iter().zip(&before).zip(&after) {
        assert_eq!(b, a, "answer of `{q}` changed");
    }
    // The pipeline still reads each source's last good extraction.
    assert_eq!(store.load_rows("r3", "mic").unwrap(), rows_before);
    // Compacting again merges nothing new and changes nothing.
    store.compact().unwrap();
    assert_eq!(files(dir.path(), "figures"), 1);
    let again: Vec<Vec<String>> = queries.iter().map(|q| answer(&store, q)).collect();
    assert_eq!(before, again);
}

#[test]
fn a_compaction_killed_after_publishing_is_finished_by_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    three_runs(&store);
    let before = answer(&store, "select * from figures");
    // Simulate the kill: the merged file is published, the journal still names the
    // inputs, which are still there (their rows are now in the table twice).
    let t = dir
        .path()
        .join("tables/figures/source=mic/run_month=unknown");
    std::fs::copy(t.join("r1__mic.parquet"), t.join("compact-x.parquet")).unwrap();
    std::fs::write(
        t.join(".compact.json"),
        serde_json::json!({"output": "compact-x.parquet", "inputs": ["r1__mic.parquet"]})
            .to_string(),
    )
    .unwrap();
    store.compact().unwrap();
    assert!(!t.join(".compact.json").exists());
    assert_eq!(answer(&store, "select * from figures"), before);
}
