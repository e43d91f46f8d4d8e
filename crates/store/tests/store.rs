//! The store's contract: what is written reads back exactly, SQL sees every table
//! (empty ones too), crash leftovers are ignored, and the diff reports only content.

use chrono::{NaiveDate, TimeZone, Utc};
use mynawatch_model::*;
use mynawatch_store::diff::{diff_rows, DiffContext};
use mynawatch_store::{
    partition_path, render, OutputFormat, Since, SourceState, SourceStates, Store,
};

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
        evidence: String::new(),
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
        bills: Vec::new(),
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
        dir.path()
            .join("tables/figures")
            .join(partition_path("r2", Some("mic")))
            .with_file_name(".r2__mic.parquet.999.tmp"),
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

fn change(run: &str, day: u32, kind: ChangeKind) -> Change {
    Change {
        run_id: run.into(),
        detected_at: Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap(),
        source_id: "shibuya_notice".into(),
        table: "notices".into(),
        entity_key: "shibuya_notice|131130".into(),
        field: "valid_until".into(),
        old_value: Some("2026-07-31".into()),
        new_value: None,
        kind,
        summary: "東京都渋谷区 valid_until: 2026-07-31 → (none)".into(),
        url: "https://www.city.shibuya.tokyo.jp/kurashi/kokuho/shikaku.html".into(),
    }
}

#[test]
fn fetches_runs_and_changes_read_back_and_changes_filter_by_run_or_date() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let fetched = FetchRecord {
        run_id: "r1".into(),
        source_id: "mic".into(),
        url: "https://www.soumu.go.jp/main_content/000490028.pdf".into(),
        final_url: "https://www.soumu.go.jp/main_content/000490028.pdf".into(),
        status_code: Some(200),
        outcome: FetchOutcome::Fetched,
        etag: Some("\"5a1-58d\"".into()),
        last_modified: Some("Wed, 08 Mar 2017 05:00:00 GMT".into()),
        content_type: Some("application/pdf".into()),
        charset: None,
        bytes: 1_234_567,
        sha256: Some("cd".repeat(32)),
        elapsed_ms: 812,
        attempts: 1,
        error: None,
        fetched_at: Utc.with_ymd_and_hms(2026, 11, 24, 1, 2, 3).unwrap(),
    };
    let failed = FetchRecord {
        source_id: "saitama".into(),
        url: "https://www.city.saitama.lg.jp/001/shikaku.html".into(),
        status_code: None,
        outcome: FetchOutcome::Failed,
        etag: None,
        last_modified: None,
        content_type: None,
        sha256: None,
        bytes: 0,
        attempts: 3,
        error: Some("接続がタイムアウトしました (30 s)".into()),
        ..fetched.clone()
    };
    store
        .append_fetches("r1", &[fetched.clone(), failed.clone()])
        .unwrap();
    assert_eq!(store.load_fetches().unwrap(), vec![fetched, failed]);

    let run = RunRecord {
        run_id: "r1".into(),
        started_at: Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap(),
        finished_at: Utc.with_ymd_and_hms(2026, 11, 24, 1, 5, 0).unwrap(),
        status: RunStatus::Partial,
        sources_ok: 1,
        sources_unchanged: 0,
        sources_failed: 1,
        sources_broken: 0,
        changes: 2,
        version: "0.1.0".into(),
    };
    store.write_run(&run).unwrap();
    assert_eq!(store.load_runs().unwrap(), vec![run]);

    // Written out of order on purpose: the reader orders by run.
    let later = vec![change("r2", 25, ChangeKind::Modified)];
    let earlier = vec![
        change("r1", 24, ChangeKind::Added),
        change("r1", 24, ChangeKind::SourceBroken),
    ];
    store.append_changes("r2", &later).unwrap();
    store.append_changes("r1", &earlier).unwrap();
    store.append_changes("r3", &[]).unwrap();
    assert!(!dir
        .path()
        .join("tables/changes")
        .join(partition_path("r3", None))
        .exists());
    let all: Vec<Change> = earlier.iter().chain(&later).cloned().collect();
    assert_eq!(store.load_changes(None).unwrap(), all);
    assert_eq!(
        store.load_changes(Some(Since::RunId("r2".into()))).unwrap(),
        later
    );
    assert_eq!(
        store
            .load_changes(Some(Since::Date(d(2026, 11, 25))))
            .unwrap(),
        later
    );
}

#[test]
fn a_changed_event_field_is_modified_and_statements_are_keyed_by_turn() {
    let event = Event {
        event_id: "0000194708_00838".into(),
        kind: "press_conference".into(),
        date: Some(d(2025, 8, 8)),
        start_time: None,
        end_time: None,
        venue: "省内会見室".into(),
        body: "厚生労働省".into(),
        title: "福岡大臣会見概要".into(),
        principal: "福岡資麿".into(),
        provenance: prov("main h1", "福岡大臣会見概要"),
    };
    let turn = |n: u32, text: &str| Statement {
        event_id: "0000194708_00838".into(),
        turn: n,
        speaker: "記者".into(),
        speaker_role: "reporter".into(),
        speaker_group: "日本経済新聞".into(),
        text: text.into(),
        topics: vec!["mynumber_insurance".into()],
        char_start: 0,
        char_end: text.chars().count() as u32,
        provenance: prov("main p", text),
    };
    let old = Rows {
        events: vec![event.clone()],
        statements: vec![turn(1, "マイナ保険証の利用率について"), turn(2, "以上です")],
        ..Rows::default()
    };
    let mut moved = event;
    moved.venue = "参議院議員食堂".into();
    moved.provenance.run_id = "r2".into();
    let new = Rows {
        events: vec![moved],
        statements: vec![turn(1, "マイナ保険証の利用率について")],
        ..Rows::default()
    };
    let changes = diff_rows(&old, &new, &ctx());
    let got: Vec<_> = changes
        .iter()
        .map(|c| {
            (
                c.table.as_str(),
                c.kind,
                c.field.as_str(),
                c.old_value.as_deref(),
                c.new_value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "events",
                ChangeKind::Modified,
                "venue",
                Some("省内会見室"),
                Some("参議院議員食堂")
            ),
            ("statements", ChangeKind::Removed, "", None, None),
        ]
    );
    assert!(
        changes[0].summary.contains("省内会見室 → 参議院議員食堂"),
        "{}",
        changes[0].summary
    );
}

#[test]
fn full_width_digits_and_letters_are_the_same_notice_text() {
    let old = Rows {
        notices: vec![notice(
            "お問い合わせ：０３－３４６３－１２１１（ＦＡＸ可）",
            None,
        )],
        ..Rows::default()
    };
    let new = Rows {
        notices: vec![notice("お問い合わせ: 03-3463-1211 (FAX可)", None)],
        ..Rows::default()
    };
    assert!(diff_rows(&old, &new, &ctx()).is_empty());
}
