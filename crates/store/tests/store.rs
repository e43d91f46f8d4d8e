//! The store's contract: what is written reads back exactly, SQL sees every table
//! (empty ones too), crash leftovers are ignored, and the diff reports only content.

use chrono::{NaiveDate, TimeZone, Utc};
use mynawatch_model::*;
use mynawatch_store::diff::{diff_rows, DiffContext};
use mynawatch_store::{render, OutputFormat, SourceState, SourceStates, Store};

fn prov(locator: &str, raw: &str) -> Provenance {
    Provenance {
        source_id: "mic".into(),
        url: "https://www.soumu.go.jp/main_content/000490028.pdf".into(),
        fetched_at: Utc.with_ymd_and_hms(2026, 11, 24, 1, 2, 3).unwrap(),
        snapshot_sha256: "ab".repeat(32),
        locator: locator.into(),
        raw_text: raw.into(),
        run_id: "20261124T010203Z-0001".into(),
    }
}

fn shibuya(value: f64, as_of: NaiveDate) -> Figure {
    Figure {
        metric: "card.holdings".into(),
        area_code: "131130".into(),
        area_name: "東京都渋谷区".into(),
        as_of: Some(as_of),
        period_start: None,
        period_end: None,
        value: Some(value),
        unit: "count".into(),
        scale: 1.0,
        qualifier: None,
        status: FigureStatus::Final,
        dimensions: String::new(),
        derived_from: String::new(),
        provenance: prov("000490028_17.csv!r12c4", "23,007"),
    }
}

fn notice(text: &str, valid_until: Option<NaiveDate>) -> Notice {
    Notice {
        area_code: "131130".into(),
        area_name: "東京都渋谷区".into(),
        title: "資格確認書の一斉送付について".into(),
        updated_on: NaiveDate::from_ymd_opt(2025, 6, 20),
        text_sha256: format!("{:x}", text.len()),
        text: text.into(),
        issuance_policy: "all_insured".into(),
        policy_evidence: "保有の有無にかかわらず、加入者全員に資格確認書を送付します。".into(),
        valid_until,
        provenance: Some(prov("main#main", "")),
        ..Notice::default()
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ctx() -> DiffContext<'static> {
    DiffContext {
        run_id: "r2",
        detected_at: Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap(),
        source_id: "mic",
        url: "https://example.jp",
    }
}

#[test]
fn rows_read_back_exactly_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut f = shibuya(23007.0, d(2017, 3, 8));
    f.qualifier = Some(Qualifier::Approx);
    let mut missing = shibuya(0.0, d(2017, 3, 8));
    missing.metric = "card.holding_rate".into();
    missing.value = None;
    missing.status = FigureStatus::Suppressed;
    let rows = Rows {
        figures: vec![f, missing],
        notices: vec![notice(
            "資格確認書\n有効期限 令和8年7月31日",
            Some(d(2026, 7, 31)),
        )],
        events: vec![Event {
            event_id: "0000194708_00838".into(),
            kind: "press_conference".into(),
            date: Some(d(2025, 8, 8)),
            start_time: Some("10:48".into()),
            end_time: Some("10:59".into()),
            venue: "省内会見室".into(),
            body: "厚生労働省".into(),
            title: "福岡大臣会見概要".into(),
            principal: "福岡資麿".into(),
            provenance: prov("main h1", "福岡大臣会見概要"),
        }],
        statements: vec![Statement {
            event_id: "0000194708_00838".into(),
            turn: 1,
            speaker: "大臣".into(),
            speaker_role: "minister".into(),
            speaker_group: String::new(),
            text: "スマホのマイナ保険証について…".into(),
            topics: vec!["mynumber_insurance".into(), "ehr_sharing".into()],
            char_start: 10,
            char_end: 40,
            provenance: prov("main p:nth-of-type(3)", "大臣:"),
        }],
    };
    store.write_rows("r1", "mic", &rows).unwrap();
    assert_eq!(store.load_rows("r1", "mic").unwrap(), rows);
    assert!(store.load_rows("r0", "mic").unwrap().is_empty());
}

#[test]
fn sql_sees_all_tables_including_empty_ones_and_ignores_crash_leftovers() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let rows = Rows {
        figures: vec![
            shibuya(23007.0, d(2017, 3, 8)),
            shibuya(135186.0, d(2022, 12, 31)),
        ],
        ..Rows::default()
    };
    store.write_rows("r1", "mic", &rows).unwrap();
    std::fs::write(
        dir.path().join("tables/figures/.r2__mic.parquet.999.tmp"),
        b"half a file",
    )
    .unwrap();
    let mut df = store
        .query("select metric, as_of, value from figures where area_code = '131130' order by as_of")
        .unwrap();
    let json = render(&mut df, OutputFormat::Json).unwrap();
    assert_eq!(
        json,
        "{\"metric\":\"card.holdings\",\"as_of\":\"2017-03-08\",\"value\":23007.0}\n{\"metric\":\"card.holdings\",\"as_of\":\"2022-12-31\",\"value\":135186.0}\n"
    );
    let mut empty = store.query("select count(*) as n from changes").unwrap();
    assert_eq!(render(&mut empty, OutputFormat::Csv).unwrap(), "n\n0\n");
    let table = render(&mut df, OutputFormat::Table).unwrap();
    assert!(
        table.contains("135186") && table.ends_with("(2 rows)\n"),
        "{table}"
    );
}

#[test]
fn source_state_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(store.source_states().unwrap().is_empty());
    let mut s = SourceStates::new();
    s.insert(
        "mic".into(),
        SourceState {
            family: "table".into(),
            last_good_run: Some("r1".into()),
            last_good_snapshots: vec!["ab".repeat(32)],
            consecutive_failures: 2,
            ..SourceState::default()
        },
    );
    store.save_source_states(&s).unwrap();
    assert_eq!(store.source_states().unwrap(), s);
}

#[test]
fn unchanged_rows_produce_no_change() {
    let rows = Rows {
        figures: vec![shibuya(23007.0, d(2017, 3, 8))],
        notices: vec![notice("資格確認書\n有効期限", None)],
        ..Rows::default()
    };
    let mut later = rows.clone();
    later.figures[0].provenance.run_id = "r2".into();
    later.figures[0].provenance.fetched_at = Utc::now();
    assert!(diff_rows(&rows, &later, &ctx()).is_empty());
}

#[test]
fn a_restated_value_is_revised_and_a_new_period_is_added() {
    let old = Rows {
        figures: vec![shibuya(23007.0, d(2017, 3, 8))],
        ..Rows::default()
    };
    let new = Rows {
        figures: vec![
            shibuya(23010.0, d(2017, 3, 8)),
            shibuya(135186.0, d(2022, 12, 31)),
        ],
        ..Rows::default()
    };
    let changes = diff_rows(&old, &new, &ctx());
    let kinds: Vec<_> = changes.iter().map(|c| (c.kind, c.field.as_str())).collect();
    assert_eq!(
        kinds,
        vec![(ChangeKind::Revised, "value"), (ChangeKind::Added, "")]
    );
    assert_eq!(changes[0].old_value.as_deref(), Some("23007"));
    assert_eq!(changes[0].new_value.as_deref(), Some("23010"));
    assert!(
        changes[0].summary.contains("23,007 → 23,010 (+0.01%)"),
        "{}",
        changes[0].summary
    );
}

#[test]
fn a_key_missing_from_a_release_that_still_covers_its_date_is_removed() {
    let mut other = shibuya(5.0, d(2017, 3, 8));
    other.area_code = "131041".into();
    let old = Rows {
        figures: vec![shibuya(1.0, d(2017, 3, 8)), other.clone()],
        ..Rows::default()
    };
    let new = Rows {
        figures: vec![other],
        ..Rows::default()
    };
    let changes = diff_rows(&old, &new, &ctx());
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].kind, ChangeKind::Removed);
    assert!(changes[0].entity_key.contains("131130"));
}

#[test]
fn a_release_moving_to_a_new_date_keeps_the_old_date_as_history() {
    let old = Rows {
        figures: vec![shibuya(23007.0, d(2017, 3, 8))],
        ..Rows::default()
    };
    let new = Rows {
        figures: vec![shibuya(135186.0, d(2022, 12, 31))],
        ..Rows::default()
    };
    let kinds: Vec<_> = diff_rows(&old, &new, &ctx())
        .iter()
        .map(|c| c.kind)
        .collect();
    assert_eq!(kinds, vec![ChangeKind::Added]);
}

#[test]
fn a_reworded_notice_reports_the_paragraph_and_the_new_validity_date() {
    let old = Rows {
        notices: vec![notice(
            "資格確認書の一斉送付\n有効期限は令和8年7月31日です。\nお問い合わせ",
            Some(d(2026, 7, 31)),
        )],
        ..Rows::default()
    };
    let new = Rows {
        notices: vec![notice(
            "資格確認書の一斉送付\n有効期限は令和9年7月31日です。\nお問い合わせ",
            Some(d(2027, 7, 31)),
        )],
        ..Rows::default()
    };
    let changes = diff_rows(&old, &new, &ctx());
    let kinds: Vec<_> = changes.iter().map(|c| (c.kind, c.field.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            (ChangeKind::NoticeTextChanged, "text"),
            (ChangeKind::Modified, "valid_until")
        ]
    );
    assert!(
        changes[0].summary.contains(
            "reworded «有効期限は令和8年7月31日です。» → «有効期限は令和9年7月31日です。»"
        ),
        "{}",
        changes[0].summary
    );
    assert_eq!(changes[1].old_value.as_deref(), Some("2026-07-31"));
    assert_eq!(changes[1].new_value.as_deref(), Some("2027-07-31"));
}

#[test]
fn whitespace_width_timestamps_counters_and_update_dates_are_not_content() {
    let old = Rows { notices: vec![notice("更新日：2025年6月20日\n資格確認書を送付します。\nアクセス数：1234\nこのページは2025年6月20日 10:00に生成されました", None)], ..Rows::default() };
    let mut n = notice("更新日：2026年1月5日\n資格確認書を　送付します。 \nアクセス数：99999\nこのページは2026年1月5日 09:12に生成されました", None);
    n.updated_on = NaiveDate::from_ymd_opt(2026, 1, 5);
    let new = Rows {
        notices: vec![n],
        ..Rows::default()
    };
    assert!(diff_rows(&old, &new, &ctx()).is_empty());
}
