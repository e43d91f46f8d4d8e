//! `diet_bills` on the fixtures (both houses' HTML, written in the pages' shape) and on the
//! real datasets of `../shared/corpus/bills/` (skipped with a message when absent).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use mynawatch_extract::{family, Extraction, Input};
use mynawatch_model::{Bill, Event, Rows, SnapshotMeta};
use mynawatch_testutil::{corpus_dir, fixture_bytes};

fn extract_at(bytes: &[u8], url: &str, options: serde_json::Value) -> Extraction {
    let f = family("diet_bills").expect("registered");
    let meta = SnapshotMeta::for_file("bills", url, "ab".repeat(32));
    f.extract(&Input {
        bytes,
        meta: &meta,
        options: &options,
    })
    .unwrap_or_else(|e| panic!("{url}: {e}"))
}

fn extract(bytes: &[u8], url: &str) -> Extraction {
    extract_at(bytes, url, serde_json::Value::Null)
}

fn day(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

fn bill<'a>(rows: &'a Rows, key: &str) -> &'a Bill {
    rows.bills
        .iter()
        .find(|b| b.bill_key == key)
        .unwrap_or_else(|| panic!("no bill {key}"))
}

/// `(date, stage, title)` of a bill's events, in date order.
fn timeline(rows: &Rows, key: &str) -> Vec<(Option<NaiveDate>, String, String)> {
    let mut t: Vec<_> = rows
        .events
        .iter()
        .filter(|e| e.event_id.starts_with(&format!("{key}/")))
        .map(|e| {
            (
                e.date,
                e.event_id.rsplit('/').next().unwrap().to_string(),
                e.title.clone(),
            )
        })
        .collect();
    t.sort();
    t
}

fn corpus(rel: &str) -> Option<Vec<u8>> {
    let p = corpus_dir().join("bills").join(rel);
    if !p.exists() {
        println!(
            "SKIPPED: corpus file {} not found (set MYNAWATCH_CORPUS to the real-data corpus)",
            p.display()
        );
        return None;
    }
    Some(std::fs::read(p).unwrap())
}

const HOC_URL: &str =
    "https://github.com/smartnews-smri/house-of-councillors/raw/data/gian_sample.json";

// ── fixtures: the two houses' pages ─────────────────────────────────────────

#[test]
fn a_representatives_keika_page_in_shift_jis_gives_every_stage_with_empty_cells_left_empty() {
    let x = extract(
        &fixture_bytes("diet_bills/hor_keika_217_21_sjis.html"),
        "https://www.shugiin.go.jp/internet/itdb_gian.nsf/html/gian/keika/1DE0296.htm",
    );
    assert_eq!(x.rows.bills.len(), 1);
    let b = bill(&x.rows, "閣法-217-21");
    assert_eq!(b.title, "医療法等の一部を改正する法律案");
    assert_eq!(b.submitter, "内閣");
    assert_eq!(b.origin_house, "衆");
    assert_eq!(b.hor.referred_on, day("2025-10-21"));
    assert_eq!(b.hor.committee, "厚生労働委員会");
    assert_eq!(
        (b.hor.committee_on, b.hor.committee_result.as_str()),
        (day("2025-11-26"), "修正")
    );
    assert_eq!(
        (b.hor.plenary_on, b.hor.plenary_result.as_str()),
        (day("2025-11-27"), "修正")
    );
    assert_eq!(b.hor.vote_manner, "多数");
    assert!(b
        .hor
        .groups_for
        .starts_with("自由民主党・無所属の会; 立憲民主党・無所属"));
    assert_eq!(b.hor.groups_against, "れいわ新選組; 日本共産党");
    assert_eq!(b.hoc.received_on, day("2025-11-27"));
    assert_eq!(b.hoc.referred_on, day("2025-12-01"));
    assert_eq!(b.hoc.committee_on, day("2025-12-04"));
    assert_eq!(b.hoc.plenary_on, day("2025-12-05"));
    assert_eq!(b.promulgated_on, day("2025-12-12"));
    assert_eq!(b.law_number, "87");
    assert_eq!(b.stage, "promulgated");
    assert_eq!(
        (b.hor.stage.as_str(), b.hoc.stage.as_str()),
        ("plenary_amended", "plenary_passed")
    );
    // Empty cells (`<br>`, a bare `／`) are empty, not dates or committees.
    assert_eq!(
        b.submitted_on, None,
        "衆議院議案受理年月日 is <br> on this page"
    );
    assert!(x.warnings.is_empty(), "{:?}", x.warnings);
    let stages: Vec<_> = timeline(&x.rows, "閣法-217-21")
        .into_iter()
        .map(|(d, s, _)| (d.unwrap().to_string(), s))
        .collect();
    let want = [
        ("2025-10-21", "referred"),
        ("2025-11-26", "committee_amended"),
        ("2025-11-27", "plenary_amended"),
        ("2025-12-01", "referred"),
        ("2025-12-04", "committee_passed"),
        ("2025-12-05", "plenary_passed"),
        ("2025-12-12", "promulgated"),
    ];
    assert_eq!(
        stages,
        want.iter()
            .map(|(d, s)| (d.to_string(), s.to_string()))
            .collect::<Vec<_>>()
    );
    let plenary = x
        .rows
        .events
        .iter()
        .find(|e| e.event_id.ends_with("/plenary_amended"))
        .unwrap();
    assert_eq!(
        plenary.title,
        "医療法等の一部を改正する法律案: 衆議院本会議 修正 (2025-11-27, 多数)"
    );
    assert_eq!(plenary.kind, "bill_stage");
}

#[test]
fn a_representatives_session_list_with_several_tables_gives_each_bills_status_and_keika_links() {
    let x = extract(
        &fixture_bytes("diet_bills/hor_kaiji219_sjis.html"),
        "https://www.shugiin.go.jp/internet/itdb_gian.nsf/html/gian/kaiji219.htm",
    );
    let got: BTreeMap<String, (String, Vec<u32>)> = x
        .rows
        .bills
        .iter()
        .map(|b| (b.bill_key.clone(), (b.status.clone(), b.sessions.clone())))
        .collect();
    let want: BTreeMap<String, (String, Vec<u32>)> = [
        ("衆法-216-23", "衆議院で審議中"),
        ("衆法-217-1", "衆議院で審議中"),
        ("閣法-217-21", "参議院で審議中"),
        ("閣法-219-4", "参議院で審議中"),
        ("決算-219-1", "衆議院で審議中"),
    ]
    .into_iter()
    .map(|(k, s)| (k.to_string(), (s.to_string(), vec![219])))
    .collect();
    assert_eq!(got, want);
    assert_eq!(x.links.len(), 5);
    assert!(x.links.iter().all(|l| l
        .url
        .starts_with("https://www.shugiin.go.jp/internet/itdb_gian.nsf/html/gian/keika/")));
    assert_eq!(x.links[0].heading, "衆法の一覧");
    assert!(x.rows.events.is_empty(), "a list row has no dated stage");
}

#[test]
fn a_later_emptier_session_page_never_erases_the_earlier_sessions_facts() {
    let url = "https://www.shugiin.go.jp/internet/itdb_gian.nsf/html/gian/keika/x.htm";
    let p218 = extract(
        &fixture_bytes("diet_bills/hor_keika_217_1_session218_sjis.html"),
        url,
    );
    let p220 = extract(
        &fixture_bytes("diet_bills/hor_keika_217_1_session220_sjis.html"),
        url,
    );
    let mut forward = p218.rows.clone();
    forward.extend(p220.rows.clone());
    let mut backward = p220.rows.clone();
    backward.extend(p218.rows.clone());
    for rows in [&forward, &backward] {
        assert_eq!(rows.bills.len(), 1);
        let b = bill(rows, "衆法-217-1");
        assert_eq!(b.submitter, "中島 克仁君外十二名");
        // The newer page's referral and result are current...
        assert_eq!(b.hor.referred_on, day("2026-01-23"));
        assert_eq!(b.hor.committee_result, "審査未了");
        assert_eq!(b.stage, "lapsed");
        // ...and the older page's stages are all still there.
        let stages: Vec<_> = timeline(rows, "衆法-217-1")
            .into_iter()
            .map(|(d, s, _)| (d, s))
            .collect();
        assert_eq!(
            stages,
            vec![
                (None, "carried_over".to_string()),
                (None, "lapsed".to_string()),
                (day("2025-08-01"), "referred".to_string()),
                (day("2026-01-23"), "referred".to_string()),
            ]
        );
    }
}

#[test]
fn a_councillors_bill_page_gives_the_same_facts_and_event_ids_as_the_dataset_row() {
    let x = extract(
        &fixture_bytes("diet_bills/hoc_meisai_219_217_21.html"),
        "https://www.sangiin.go.jp/japanese/joho1/kousei/gian/219/meisai/m219080217021.htm",
    );
    let b = bill(&x.rows, "閣法-217-21");
    assert_eq!(b.sessions, vec![219]);
    assert_eq!(b.submitted_on, day("2025-02-14"));
    assert_eq!(b.origin_house, "衆");
    assert_eq!(b.hoc.received_on, day("2025-11-27"));
    assert_eq!(b.hor.referred_on, day("2025-10-21"));
    assert_eq!(b.hor.committee, "厚生労働委員会");
    assert_eq!(b.hor.vote_method, "起立");
    assert_eq!(b.stage, "sent_to_other_house");
    assert_eq!(b.hoc.stage, "");
    let t = timeline(&x.rows, "閣法-217-21");
    assert_eq!(
        t.last().unwrap().2,
        "医療法等の一部を改正する法律案: 衆議院本会議 修正 (2025-11-27, 多数/起立)"
    );
    // The session also comes from the page's heading when the URL has none.
    let y = extract(
        &fixture_bytes("diet_bills/hoc_meisai_219_217_21.html"),
        "https://mirror.example/bill.htm",
    );
    assert_eq!(
        y.rows.events,
        x.rows
            .events
            .iter()
            .map(|e| Event {
                provenance: y.rows.events[0].provenance.clone(),
                ..e.clone()
            })
            .collect::<Vec<_>>()
    );
    // Same ids and titles as the real dataset row of the same day.
    if let Some(json) = corpus("hoc_gian_sample_20251128_74b013d1.json") {
        let d = extract_at(&json, HOC_URL, serde_json::json!({"match": ["医療法等"]}));
        let from_data: BTreeSet<(String, String)> = d
            .rows
            .events
            .iter()
            .filter(|e| e.event_id.contains("/219/") || e.event_id.ends_with("/submitted"))
            .filter(|e| e.event_id.starts_with("閣法-217-21/"))
            .map(|e| (e.event_id.clone(), e.title.clone()))
            .collect();
        let from_page: BTreeSet<(String, String)> = x
            .rows
            .events
            .iter()
            .map(|e| (e.event_id.clone(), e.title.clone()))
            .collect();
        assert_eq!(from_page, from_data);
    }
}

#[test]
fn a_councillors_session_list_yields_the_bill_pages_to_follow() {
    let x = extract(
        &fixture_bytes("diet_bills/hoc_gian219.links.html"),
        "https://www.sangiin.go.jp/japanese/joho1/kousei/gian/219/gian.htm",
    );
    assert!(x.rows.is_empty());
    let urls: Vec<&str> = x.links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://www.sangiin.go.jp/japanese/joho1/kousei/gian/219/meisai/m219080217021.htm",
            "https://www.sangiin.go.jp/japanese/joho1/kousei/gian/219/meisai/m219080219004.htm",
            "https://www.sangiin.go.jp/japanese/joho1/kousei/gian/219/meisai/m219090217001.htm",
        ]
    );
}

// ── the real datasets ────────────────────────────────────────────────────────

/// Event id → title for one bill.
fn events_of(rows: &Rows, key: &str) -> BTreeMap<String, String> {
    rows.events
        .iter()
        .filter(|e| e.event_id.starts_with(&format!("{key}/")))
        .map(|e| (e.event_id.clone(), e.title.clone()))
        .collect()
}

#[test]
fn two_consecutive_councillors_snapshots_give_exactly_one_stage_change_for_the_medical_care_bill() {
    let (Some(a), Some(b)) = (
        corpus("hoc_gian_sample_20251127_4be15fff.json"),
        corpus("hoc_gian_sample_20251128_74b013d1.json"),
    ) else {
        return;
    };
    let (a, b) = (extract(&a, HOC_URL), extract(&b, HOC_URL));
    // Every one of the 500 rows is read (a bill has a row per session: fewer bills).
    assert!(a.rows.bills.len() > 300, "{}", a.rows.bills.len());
    assert!(
        a.warnings.is_empty(),
        "{:?}",
        &a.warnings[..a.warnings.len().min(5)]
    );
    let (ea, eb) = (
        events_of(&a.rows, "閣法-217-21"),
        events_of(&b.rows, "閣法-217-21"),
    );
    let added: Vec<_> = eb.iter().filter(|(k, _)| !ea.contains_key(*k)).collect();
    let gone: Vec<_> = ea.keys().filter(|k| !eb.contains_key(*k)).collect();
    let changed: Vec<_> = ea
        .iter()
        .filter(|(k, v)| eb.get(*k).is_some_and(|w| w != *v))
        .collect();
    assert_eq!(
        added,
        vec![(
            &"閣法-217-21/衆/219/plenary_amended".to_string(),
            &"医療法等の一部を改正する法律案: 衆議院本会議 修正 (2025-11-27, 多数/起立)"
                .to_string()
        )]
    );
    assert!(
        gone.is_empty() && changed.is_empty(),
        "{gone:?} {changed:?}"
    );
    let (ba, bb) = (bill(&a.rows, "閣法-217-21"), bill(&b.rows, "閣法-217-21"));
    assert_eq!(ba.sessions, vec![217, 218, 219]);
    assert_eq!(ba.stage, "committee_amended");
    assert_eq!(bb.stage, "sent_to_other_house");
    assert_eq!(bb.hor.vote_manner, "多数");
    assert_eq!(bb.hor.vote_method, "起立");
    // The earlier sessions' facts survive the merge with the 219th session's row.
    let t: Vec<_> = timeline(&b.rows, "閣法-217-21")
        .into_iter()
        .map(|(d, s, _)| (d.unwrap().to_string(), s))
        .collect();
    assert!(
        t.contains(&("2025-04-03".into(), "referred".into())),
        "{t:?}"
    );
    assert!(
        t.contains(&("2025-06-20".into(), "carried_over".into())),
        "{t:?}"
    );
}

#[test]
fn the_representatives_2022_session_csv_with_a_duplicated_column_parses_with_every_bills_status() {
    let Some(csv) = corpus("hor_kaiji208_20220420_5626ceaf.csv") else {
        return;
    };
    let url =
        "https://github.com/smartnews-smri/house-of-representatives/raw/data/kaiji/kaiji208.csv";
    let x = extract(&csv, url);
    assert!(x.warnings.is_empty(), "{:?}", x.warnings);
    let n_rows = String::from_utf8_lossy(&csv).lines().count() - 1;
    assert_eq!(n_rows, 153);
    assert_eq!(x.rows.bills.len(), n_rows, "one bill per row, keys unique");
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for b in &x.rows.bills {
        assert!(
            !b.title.is_empty(),
            "{}: title from the first 議案件名",
            b.bill_key
        );
        assert!(
            !b.stage.is_empty(),
            "{}: no stage ({})",
            b.bill_key,
            b.status
        );
        assert_eq!(b.sessions, vec![208]);
        *by_status.entry(b.status.as_str()).or_default() += 1;
    }
    let want: BTreeMap<&str, usize> = [
        ("衆議院で審議中", 81),
        ("成立", 33),
        ("参議院で審議中", 25),
        ("本院可決", 7),
        ("本院議了", 4),
        ("両院承認", 2),
        ("撤回", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_status, want);
    for b in x.rows.bills.iter().filter(|b| b.status == "成立") {
        assert!(
            b.stage == "enacted" || b.stage == "promulgated",
            "{} {}",
            b.bill_key,
            b.stage
        );
    }
    let withdrawn = x.rows.bills.iter().find(|b| b.status == "撤回").unwrap();
    assert_eq!(withdrawn.stage, "withdrawn");
    // 和暦 with space padding: `令和 4年 1月17日／議院運営`.
    let first = bill(&x.rows, "衆法-207-1");
    assert_eq!(first.hor.referred_on, day("2022-01-17"));
    assert_eq!(first.hor.committee, "議院運営委員会");
    assert_eq!(first.submitter, "足立 康史君外一名");
}

#[test]
fn both_houses_datasets_agree_on_every_shared_stage_of_the_medical_care_bill() {
    let (Some(hor), Some(hoc)) = (
        corpus("EXCERPT_hor_gian_csv_rows_health_bills.csv"),
        corpus("DERIVED_hoc_bill_status_history_mynumber_health.json"),
    ) else {
        return;
    };
    let hor = extract(
        &hor,
        "https://github.com/smartnews-smri/house-of-representatives/raw/data/gian.csv",
    );
    let b = bill(&hor.rows, "閣法-217-21");
    assert_eq!(b.status, "成立");
    assert_eq!(b.stage, "promulgated");
    assert_eq!(b.sessions, vec![219]);
    assert_eq!(b.hor.groups_against, "れいわ新選組; 日本共産党");
    // The 衆法 rows of two sessions merge; the 220th session's 未了 is current.
    let p = bill(&hor.rows, "衆法-217-1");
    assert_eq!(p.sessions, vec![218, 220]);
    assert_eq!(p.stage, "lapsed");
    assert_eq!(p.hor.referred_on, day("2026-01-23"));
    let replayed = replay(&hoc);
    let last = &replayed.last().unwrap().1;
    let hoc_dates: BTreeMap<String, Option<NaiveDate>> = last
        .events
        .iter()
        .filter(|e| e.event_id.starts_with("閣法-217-21/"))
        .map(|e| (e.event_id.clone(), e.date))
        .collect();
    let mut shared = 0;
    for e in hor
        .rows
        .events
        .iter()
        .filter(|e| e.event_id.starts_with("閣法-217-21/"))
    {
        if let Some(d) = hoc_dates.get(&e.event_id) {
            assert_eq!(*d, e.date, "{}", e.event_id);
            shared += 1;
        }
    }
    assert!(shared >= 6, "shared stages: {shared}");
}

/// The derived history replayed commit by commit: `(commit date, extraction)` per commit.
fn replay(history: &[u8]) -> Vec<(String, Rows, Vec<String>)> {
    let entries: Vec<serde_json::Value> = serde_json::from_slice(history).unwrap();
    let header: Vec<String> = [
        "審議回次",
        "種類",
        "提出回次",
        "提出番号",
        "件名",
        "議案URL",
        "議案要旨",
        "提出法律案",
        "議案審議情報一覧 - 提出日",
        "議案審議情報一覧 - 衆議院から受領／提出日",
        "議案審議情報一覧 - 衆議院へ送付／提出日",
        "議案審議情報一覧 - 先議区分",
        "議案審議情報一覧 - 継続区分",
        "議案審議情報一覧 - 発議者",
        "議案審議情報一覧 - 提出者",
        "議案審議情報一覧 - 提出者区分",
        "参議院委員会等経過情報 - 本付託日",
        "参議院委員会等経過情報 - 付託委員会等",
        "参議院委員会等経過情報 - 議決日",
        "参議院委員会等経過情報 - 議決・継続結果",
        "参議院本会議経過情報 - 議決日",
        "参議院本会議経過情報 - 議決",
        "参議院本会議経過情報 - 委員名",
        "参議院本会議経過情報 - 採決態様",
        "参議院本会議経過情報 - 採決方法",
        "参議院本会議経過情報 - 投票結果",
        "衆議院委員会等経過情報 - 本付託日",
        "衆議院委員会等経過情報 - 付託委員会等",
        "衆議院委員会等経過情報 - 議決日",
        "衆議院委員会等経過情報 - 議決・継続結果",
        "衆議院本会議経過情報 - 議決日",
        "衆議院本会議経過情報 - 議決",
        "衆議院本会議経過情報 - 委員名",
        "衆議院本会議経過情報 - 採決態様",
        "衆議院本会議経過情報 - 採決方法",
        "その他の情報 - 公布年月日",
        "その他の情報 - 法律番号",
        "成立法律",
        "備考",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut state: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let commit = entries[i]["commit"].as_str().unwrap().to_string();
        let date = entries[i]["commit_date"].as_str().unwrap().to_string();
        let mut fields_changed = Vec::new();
        while i < entries.len() && entries[i]["commit"].as_str().unwrap() == commit {
            let e = &entries[i];
            let k = &e["key"];
            let key = format!(
                "{}|{}|{}|{}",
                k["審議回次"], k["種類"], k["提出回次"], k["提出番号"]
            );
            let pos = match state.iter().position(|(x, _)| *x == key) {
                Some(p) => p,
                None => {
                    state.push((key, BTreeMap::new()));
                    state.len() - 1
                }
            };
            for (f, v) in e["fields"].as_object().unwrap() {
                let new = match v {
                    serde_json::Value::Array(pair) => pair[1].as_str().unwrap_or("").to_string(),
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                state[pos].1.insert(f.clone(), new);
                fields_changed.push(f.clone());
            }
            i += 1;
        }
        let mut rows = vec![serde_json::json!(header)];
        for (_, fields) in &state {
            rows.push(serde_json::json!(header
                .iter()
                .map(|h| fields.get(h).cloned().unwrap_or_default())
                .collect::<Vec<_>>()));
        }
        let bytes = serde_json::to_vec(&serde_json::Value::Array(rows)).unwrap();
        out.push((date, extract(&bytes, HOC_URL).rows, fields_changed));
    }
    out
}

fn without_provenance(rows: &Rows) -> (Vec<Bill>, Vec<Event>) {
    let p = SnapshotMeta::for_file("", "", String::new()).provenance("", "");
    (
        rows.bills
            .iter()
            .map(|b| Bill {
                provenance: p.clone(),
                ..b.clone()
            })
            .collect(),
        rows.events
            .iter()
            .map(|e| Event {
                provenance: p.clone(),
                ..e.clone()
            })
            .collect(),
    )
}

#[test]
fn the_derived_history_replayed_as_snapshots_gives_each_bills_full_timeline() {
    let Some(history) = corpus("DERIVED_hoc_bill_status_history_mynumber_health.json") else {
        return;
    };
    let steps = replay(&history);
    assert_eq!(steps.len(), 80, "commits in the history");
    // A stage, once seen, is never lost; each new one is recorded with the commit that showed it.
    let mut seen: BTreeMap<String, (String, Event)> = BTreeMap::new();
    let link_only = [
        "提出法律案",
        "議案要旨",
        "成立法律",
        "議案URL",
        "参議院本会議経過情報 - 投票結果",
    ];
    let mut link_only_steps = 0;
    for (n, (date, rows, fields)) in steps.iter().enumerate() {
        for e in &rows.events {
            seen.entry(e.event_id.clone())
                .or_insert_with(|| (date.clone(), e.clone()));
        }
        for id in seen.keys() {
            assert!(
                rows.events.iter().any(|e| &e.event_id == id),
                "{date}: stage {id} lost"
            );
        }
        if n == 0 {
            continue;
        }
        let before = without_provenance(&steps[n - 1].1);
        let after = without_provenance(rows);
        if fields.iter().all(|f| link_only.contains(&f.as_str())) {
            link_only_steps += 1;
            assert_eq!(
                before, after,
                "{date}: a PDF link alone changed rows ({fields:?})"
            );
        }
    }
    assert!(link_only_steps >= 5, "{link_only_steps}");
    let last = &steps.last().unwrap().1;
    let t: Vec<(String, String, String)> = timeline(last, "閣法-217-21")
        .into_iter()
        .map(|(d, s, title)| {
            let house = if title.contains("参議院") {
                "参"
            } else if title.contains("衆議院") {
                "衆"
            } else {
                ""
            };
            (d.unwrap().to_string(), s, house.to_string())
        })
        .collect();
    let want: Vec<(String, String, String)> = [
        ("2025-02-14", "submitted", "衆"),
        ("2025-04-03", "referred", "衆"),
        ("2025-06-20", "carried_over", "衆"),
        ("2025-08-01", "referred", "衆"),
        ("2025-08-05", "carried_over", "衆"),
        ("2025-10-21", "referred", "衆"),
        ("2025-11-26", "committee_amended", "衆"),
        ("2025-11-27", "plenary_amended", "衆"),
        ("2025-12-01", "referred", "参"),
        ("2025-12-04", "committee_passed", "参"),
        ("2025-12-05", "plenary_passed", "参"),
        ("2025-12-12", "promulgated", ""),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(t, want);
    let promulgated = last
        .events
        .iter()
        .find(|e| e.event_id == "閣法-217-21/promulgated")
        .unwrap();
    assert_eq!(
        promulgated.title,
        "医療法等の一部を改正する法律案: 公布 (2025-12-12, 法律第87号)"
    );
    // Each stage first appeared in the scraper's commit of that evening or the next day.
    let (commit_date, _) = &seen["閣法-217-21/衆/219/plenary_amended"];
    assert!(commit_date.starts_with("2025-11-28"), "{commit_date}");
    // The opposition bill withdrawn on 2025-03-11 (from 備考), and the lapsed ones.
    let w = bill(last, "衆法-215-1");
    assert_eq!(w.stage, "withdrawn");
    assert!(timeline(last, "衆法-215-1")
        .iter()
        .any(|(d, s, _)| s == "withdrawn" && *d == day("2025-03-11")));
    // 2025-08-04: 備考 of 衆法 215-1 goes from `\r\r\n` to `\n\n` and nothing else about it.
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&history).unwrap();
    let ws = entries
        .iter()
        .find(|e| {
            e["commit_date"].as_str().unwrap().starts_with("2025-08-04")
                && e["key"]["提出番号"] == "1"
                && e["key"]["提出回次"] == "215"
        })
        .expect("the whitespace-only entry");
    let pair = ws["fields"]["備考"].as_array().unwrap();
    assert!(
        pair[0].as_str().unwrap().contains("\r\r\n") && !pair[1].as_str().unwrap().contains('\r')
    );
    let at = steps
        .iter()
        .position(|(d, _, _)| d.starts_with("2025-08-04"))
        .unwrap();
    let only = |rows: &Rows| {
        let (b, e) = without_provenance(rows);
        (
            b.into_iter()
                .filter(|b| b.bill_key == "衆法-215-1")
                .collect::<Vec<_>>(),
            e.into_iter()
                .filter(|e| e.event_id.starts_with("衆法-215-1/"))
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        only(&steps[at - 1].1),
        only(&steps[at].1),
        "whitespace in 備考 is no change"
    );
    // Two bills share a title; the key keeps them apart.
    let same: Vec<&str> = last
        .bills
        .iter()
        .filter(|b| b.title == "健康保険法等の一部を改正する法律案")
        .map(|b| b.bill_key.as_str())
        .collect();
    assert_eq!(same, ["衆法-217-8", "閣法-221-25"]);
    let enacted = bill(last, "閣法-211-46");
    assert_eq!(
        (enacted.promulgated_on, enacted.law_number.as_str()),
        (day("2023-06-09"), "48")
    );
}

#[test]
fn options_keep_only_matching_titles_and_kinds() {
    let Some(json) = corpus("hoc_gian_sample_20251128_74b013d1.json") else {
        return;
    };
    let x = extract_at(
        &json,
        HOC_URL,
        serde_json::json!({"match": ["医療", "健康保険"], "kinds": ["閣法", "衆法"]}),
    );
    assert!(!x.rows.bills.is_empty());
    for b in &x.rows.bills {
        assert!(
            b.title.contains("医療") || b.title.contains("健康保険"),
            "{}",
            b.title
        );
        assert!(b.kind == "閣法" || b.kind == "衆法", "{}", b.kind);
    }
}

// ── the 経過 page model, scored against hand-written truth ─────────────────────

/// One bill's stages as `tail@day` (`衆/145/referred@1999-01-19`, `衆/142/carried_over@-`).
fn stage_tokens(rows: &Rows) -> BTreeSet<String> {
    rows.events
        .iter()
        .filter(|e| e.kind == "bill_stage")
        .map(|e| {
            let tail = e.event_id.split_once('/').map(|x| x.1).unwrap_or_default();
            let day = e.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
            format!("{tail}@{day}")
        })
        .collect()
}

fn keika(file: &str) -> Extraction {
    let rel = format!("diet_bills/keika/{file}");
    let rel = rel.replace("keika/../", "");
    // A URL that names no session: the page's own breadcrumb or comment must.
    extract(
        &fixture_bytes(&rel),
        "https://www.shugiin.go.jp/internet/itdb_gian.nsf/html/gian/keika/page.htm",
    )
}

/// Right / wrong / missing / spurious stages and right / wrong current stages.
#[derive(Debug, Default, PartialEq)]
struct Score {
    pages: usize,
    sessions: BTreeSet<u32>,
    kinds: BTreeSet<String>,
    stages_right: usize,
    stages_wrong_day: usize,
    stages_missing: usize,
    stages_spurious: usize,
    current_right: usize,
    current_wrong: Vec<String>,
    bills_right: usize,
    bills_wrong: Vec<String>,
}

fn score_keika_fixtures() -> Score {
    let truth = std::fs::read_to_string(
        mynawatch_testutil::fixtures_dir().join("diet_bills/keika/truth.tsv"),
    )
    .unwrap();
    let mut s = Score::default();
    for line in truth
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (page, want_current, rest) = (cols[0], cols[1], cols[2]);
        if let Some(key) = page.strip_prefix("bill:") {
            let mut rows = Rows::default();
            for f in rest.split(' ') {
                rows.extend(keika(f).rows);
            }
            mynawatch_extract::families::diet_bills::restage(&mut rows);
            let got = &bill(&rows, key).stage;
            if got == want_current {
                s.bills_right += 1;
            } else {
                s.bills_wrong
                    .push(format!("{key}: {got} (want {want_current})"));
            }
            // Every page's stages survive the merge: one per real event.
            let all: BTreeSet<String> = rest
                .split(' ')
                .flat_map(|f| stage_tokens(&keika(f).rows))
                .collect();
            assert_eq!(stage_tokens(&rows), all, "{key}: stages lost in the merge");
            continue;
        }
        let x = keika(page);
        assert!(x.warnings.is_empty(), "{page}: {:?}", x.warnings);
        assert_eq!(x.rows.bills.len(), 1, "{page}");
        let b = &x.rows.bills[0];
        s.pages += 1;
        s.sessions.extend(b.sessions.iter().copied());
        s.kinds.insert(b.kind.clone());
        let got = stage_tokens(&x.rows);
        let want: BTreeSet<String> = rest.split(' ').map(str::to_string).collect();
        let id = |t: &String| t.split('@').next().unwrap().to_string();
        for w in &want {
            if got.contains(w) {
                s.stages_right += 1;
            } else if got.iter().any(|g| id(g) == id(w)) {
                s.stages_wrong_day += 1;
                println!("{page}: wrong day for {w}: {got:?}");
            } else {
                s.stages_missing += 1;
                println!("{page}: missing {w}");
            }
        }
        for g in got.iter().filter(|g| !want.iter().any(|w| id(w) == id(g))) {
            s.stages_spurious += 1;
            println!("{page}: spurious {g}");
        }
        if b.stage == want_current {
            s.current_right += 1;
        } else {
            s.current_wrong
                .push(format!("{page}: {} (want {want_current})", b.stage));
        }
    }
    s
}

#[test]
fn every_stage_and_current_stage_is_right_on_keika_pages_of_many_sessions_and_kinds() {
    let s = score_keika_fixtures();
    println!(
        "diet_bills keika: {} pages, {} sessions {:?}, kinds {:?}\n  stages: right {}, wrong day {}, missing {}, spurious {}\n  current stage per page: right {}/{}; per bill (pages merged): right {}/{}",
        s.pages,
        s.sessions.len(),
        s.sessions,
        s.kinds,
        s.stages_right,
        s.stages_wrong_day,
        s.stages_missing,
        s.stages_spurious,
        s.current_right,
        s.pages,
        s.bills_right,
        s.bills_right + s.bills_wrong.len()
    );
    assert!(s.sessions.len() >= 6, "{:?}", s.sessions);
    for k in [
        "閣法",
        "衆法",
        "参法",
        "予算",
        "条約",
        "承認",
        "承諾",
        "決算",
        "決議",
        "NHK決算",
        "国有財産",
    ] {
        assert!(s.kinds.contains(k), "no {k} page: {:?}", s.kinds);
    }
    assert_eq!(
        (s.stages_wrong_day, s.stages_missing, s.stages_spurious),
        (0, 0, 0)
    );
    assert!(s.current_wrong.is_empty(), "{:#?}", s.current_wrong);
    assert!(s.bills_wrong.is_empty(), "{:#?}", s.bills_wrong);
}

#[test]
fn a_bill_read_from_both_houses_has_one_stage_per_real_event_whichever_arrives_first() {
    // The same bill in session 219: the 参議院's page (2025-11-28) and the 衆議院's 経過
    // page (2025-12-13).
    let hoc = extract(
        &fixture_bytes("diet_bills/hoc_meisai_219_217_21.html"),
        "https://www.sangiin.go.jp/japanese/joho1/kousei/gian/219/meisai/m219080217021.htm",
    );
    let hor = extract(
        &fixture_bytes("diet_bills/hor_keika_217_21_sjis.html"),
        "https://www.shugiin.go.jp/internet/itdb_gian.nsf/html/gian/keika/1DE0296.htm",
    );
    let real_events = |rows: &Rows| -> Vec<(String, String, Option<NaiveDate>)> {
        let mut v: Vec<_> = rows
            .events
            .iter()
            .map(|e| {
                (
                    e.venue.clone(),
                    e.event_id.rsplit('/').next().unwrap().to_string(),
                    e.date,
                )
            })
            .collect();
        v.sort();
        v
    };
    let mut first = hoc.rows.clone();
    first.extend(hor.rows.clone());
    let mut second = hor.rows.clone();
    second.extend(hoc.rows.clone());
    for rows in [&mut first, &mut second] {
        mynawatch_extract::families::diet_bills::restage(rows);
        let events = real_events(rows);
        let mut unique = events.clone();
        unique.dedup();
        assert_eq!(events, unique, "a real event stored twice");
        // 提出 (from the 参議院's page), the 衆議院's three, the 参議院's three, 公布.
        assert_eq!(events.len(), 8, "{events:#?}");
        assert_eq!(bill(rows, "閣法-217-21").stage, "promulgated");
        assert_eq!(bill(rows, "閣法-217-21").submitted_on, day("2025-02-14"));
    }
    let ids = |rows: &Rows| -> BTreeSet<String> {
        rows.events.iter().map(|e| e.event_id.clone()).collect()
    };
    assert_eq!(ids(&first), ids(&second));
}
