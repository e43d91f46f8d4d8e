//! Issue 13 on the mirror: two consecutive real snapshots of the House of Councillors'
//! bill dataset, served one after the other, give exactly one stage change for 閣法 217-21
//! (an `added` bill_stage event that alerts with its sentence) and nothing else; the
//! House of Representatives' Shift_JIS list followed to its 経過 pages fills the `bills`
//! table; `mynawatch bills --as-of 2025-05-16 --match 医療法` answers from stored history.

use mynawatch_model::ChangeKind;

use super::Site;

const SENTENCE: &str = "医療法等の一部を改正する法律案: 衆議院本会議 修正 (2025-11-27, 多数/起立)";

fn corpus_snapshot(name: &str) -> Option<Vec<u8>> {
    let p = mynawatch_testutil::corpus_dir().join("bills").join(name);
    if !p.exists() {
        println!(
            "SKIPPED: corpus file {} not found (set MYNAWATCH_CORPUS to the real-data corpus)",
            p.display()
        );
        return None;
    }
    Some(std::fs::read(p).unwrap())
}

const SOURCES: &str = r#"
[alerts]
language = "ja"
[alerts.sinks.log]
type = "jsonl"
path = "{alerts}"
[[alerts.routes]]
name = "all"
sinks = ["log"]

[[source]]
id = "hoc_all"
family = "diet_bills"
urls = ["{base}/sangiin/gian_sample.json"]

[[source]]
id = "hoc_health"
family = "diet_bills"
urls = ["{base}/sangiin/gian_sample.json"]
[source.options]
match = ["医療法", "健康保険", "被保険者証", "番号の利用", "個人を識別", "医療保険", "マイナンバー"]
"#;

#[tokio::test(flavor = "multi_thread")]
async fn two_consecutive_councillors_snapshots_give_one_stage_change_that_alerts_and_bills_answers_as_of_a_day(
) {
    let (Some(v1), Some(v2)) = (
        corpus_snapshot("hoc_gian_sample_20251127_4be15fff.json"),
        corpus_snapshot("hoc_gian_sample_20251128_74b013d1.json"),
    ) else {
        return;
    };
    let site = Site::new().await;
    site.put("sangiin/gian_sample.json", &v1);
    let alerts = site.data.parent().unwrap().join("alerts.jsonl");
    let cfg = site.config(&SOURCES.replace("{alerts}", &alerts.display().to_string()));
    let first = site.run(&cfg).await;
    assert!(first.all_ok(), "{:?}", first.outcomes);
    std::fs::remove_file(&alerts).ok();

    site.put("sangiin/gian_sample.json", &v2);
    let second = site.run(&cfg).await;
    assert!(second.all_ok(), "{:?}", second.outcomes);

    // The whole dataset: for this bill, one added stage and nothing else.
    let about: Vec<_> = second
        .changes
        .iter()
        .filter(|c| c.source_id == "hoc_all" && c.entity_key.starts_with("閣法-217-21"))
        .collect();
    assert_eq!(about.len(), 1, "{about:#?}");
    let c = about[0];
    assert_eq!(
        (c.table.as_str(), c.kind, c.entity_key.as_str()),
        (
            "events",
            ChangeKind::Added,
            "閣法-217-21/衆/219/plenary_amended"
        )
    );
    assert!(c.summary.contains(SENTENCE), "{}", c.summary);
    // Bills leaving the dataset's 500-row window are not removed facts.
    assert!(
        !second
            .changes
            .iter()
            .any(|c| c.source_id == "hoc_all" && c.kind == ChangeKind::Removed),
        "{:#?}",
        second
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Removed)
            .collect::<Vec<_>>()
    );
    // The health bills: that change is the only one.
    let health: Vec<_> = second
        .changes
        .iter()
        .filter(|c| c.source_id == "hoc_health")
        .map(|c| (c.table.as_str(), c.kind, c.entity_key.as_str()))
        .collect();
    assert_eq!(
        health,
        vec![(
            "events",
            ChangeKind::Added,
            "閣法-217-21/衆/219/plenary_amended"
        )]
    );
    let sent = std::fs::read_to_string(&alerts).expect("alerts written");
    assert!(sent.contains(SENTENCE), "{sent}");

    let stage = site.query(
        "select stage, hor_plenary_result, hor_vote_manner, hor_vote_method, sessions from bills \
         where source_id = 'hoc_health' and bill_key = '閣法-217-21' order by run_id desc limit 1",
    );
    assert_eq!(stage[0]["stage"], "sent_to_other_house");
    assert_eq!(stage[0]["hor_vote_method"], "起立");
    assert_eq!(stage[0]["sessions"], "217,218,219");

    // The status as of a day, from the stored history, through the binary.
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
        .args(["bills", "--data"])
        .arg(&site.data)
        .args(["--as-of", "2025-05-16", "--match", "医療法"])
        .output()
        .await
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let block: Vec<&str> = text
        .split("\n\n")
        .find(|b| b.starts_with("閣法-217-21"))
        .unwrap_or_else(|| panic!("no 閣法-217-21 in:\n{text}"))
        .lines()
        .collect();
    assert_eq!(
        block,
        vec![
            "閣法-217-21  医療法等の一部を改正する法律案",
            "  stage as of 2025-05-16: referred",
            "  2025-02-14  submitted          衆議院に提出",
            "  2025-04-03  referred           衆議院厚生労働委員会に付託",
            "  no committee or plenary vote yet",
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_representatives_shift_jis_list_followed_to_its_keika_pages_fills_the_bills_table() {
    let site = Site::new().await;
    let fixture = mynawatch_testutil::fixture_bytes;
    let gian = "internet/itdb_gian.nsf/html/gian";
    site.put(
        &format!("{gian}/kaiji219.htm"),
        fixture("diet_bills/hor_kaiji219_sjis.html"),
    );
    site.put(
        &format!("{gian}/keika/1DE0296.htm"),
        fixture("diet_bills/hor_keika_217_21_sjis.html"),
    );
    site.put(
        &format!("{gian}/keika/1DE0B14.htm"),
        fixture("diet_bills/hor_keika_217_1_session220_sjis.html"),
    );
    let cfg = site.config(&format!(
        "[[source]]\nid = \"shugiin\"\nfamily = \"diet_bills\"\nurls = [\"{{base}}/{gian}/kaiji219.htm\"]\n\
         follow = {{ pattern = 'keika/1DE0(296|B14)\\.htm$', via = \"family\" }}\n"
    ));
    let run = site.run(&cfg).await;
    assert!(run.all_ok(), "{:?}", run.outcomes);
    let rows = site.query(
        "select bill_key, status, stage, hor_committee, promulgated_on, law_number from bills \
         where source_id = 'shugiin' order by bill_key",
    );
    let got: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["bill_key"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
                r["stage"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        got,
        vec![
            s("決算-219-1", "衆議院で審議中", ""),
            s("衆法-216-23", "衆議院で審議中", ""),
            s("衆法-217-1", "衆議院で審議中", "lapsed"),
            s("閣法-217-21", "参議院で審議中", "promulgated"),
            s("閣法-219-4", "参議院で審議中", ""),
        ]
    );
    let stages = site.query(
        "select event_id, date from events where kind = 'bill_stage' and event_id like '閣法-217-21/%' order by date",
    );
    assert_eq!(stages.len(), 7, "{stages:?}");
    assert_eq!(stages[6]["event_id"], "閣法-217-21/promulgated");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_bill_site_advances_one_stage_between_its_two_versions() {
    let site = Site::new().await;
    mynawatch::bills::demo_site(&site.root, 1).unwrap();
    let cfg = site.config(&mynawatch::bills::demo_source_toml(&site.base()));
    let first = site.run(&cfg).await;
    assert!(first.all_ok(), "{:?}", first.outcomes);
    mynawatch::bills::demo_site(&site.root, 2).unwrap();
    let second = site.run(&cfg).await;
    let got: Vec<_> = second
        .changes
        .iter()
        .map(|c| (c.kind, c.entity_key.as_str(), c.summary.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![(
            ChangeKind::Added,
            "閣法-217-21/衆/219/plenary_amended",
            format!("added: {SENTENCE}").as_str()
        )]
    );
}

/// The House of Councillors' dataset as it stood after the history entry of `until` (a
/// commit date of the derived history), with the rows of the bill `(提出回次, 提出番号)` of
/// kind `kind` only: every field each row had by then, in one header.
fn history_snapshot(history: &[u8], kind: &str, bill: (&str, &str), until: &str) -> Vec<u8> {
    let entries: Vec<serde_json::Value> = serde_json::from_slice(history).unwrap();
    let mut rows: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> =
        Default::default();
    for e in entries
        .iter()
        .filter(|e| e["commit_date"].as_str().unwrap() <= until)
    {
        let k = &e["key"];
        if k["種類"] != kind || k["提出回次"] != bill.0 || k["提出番号"] != bill.1 {
            continue;
        }
        let row = rows
            .entry(k["審議回次"].as_str().unwrap().to_string())
            .or_default();
        for (f, v) in e["fields"].as_object().unwrap() {
            let value = match v {
                serde_json::Value::Array(pair) => pair[1].as_str().unwrap_or("").to_string(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            row.insert(f.clone(), value);
        }
    }
    let mut header: Vec<String> = rows.values().flat_map(|r| r.keys().cloned()).collect();
    header.sort();
    header.dedup();
    let mut out = vec![serde_json::json!(header)];
    for r in rows.values() {
        out.push(serde_json::json!(header
            .iter()
            .map(|h| r.get(h).cloned().unwrap_or_default())
            .collect::<Vec<_>>()));
    }
    serde_json::to_vec(&out).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_that_vanishes_from_a_bill_is_a_note_warning_and_no_change() {
    let Some(history) = corpus_snapshot("DERIVED_hoc_bill_status_history_mynumber_health.json")
    else {
        return;
    };
    // 閣法 217-21 after its promulgation (2025-12-13 entry), then on 2025-12-16 when the
    // dataset stopped publishing its 成立法律 PDF link, and nothing else about it changed.
    let bill = ("217", "21");
    let before = history_snapshot(&history, "法律案（内閣提出）", bill, "2025-12-13T23:59:59Z");
    let after = history_snapshot(&history, "法律案（内閣提出）", bill, "2025-12-16T23:59:59Z");
    assert_ne!(before, after);
    let site = Site::new().await;
    site.put("sangiin/gian_sample.json", &before);
    let cfg = site.config(
        "[[source]]\nid = \"hoc\"\nfamily = \"diet_bills\"\nurls = [\"{base}/sangiin/gian_sample.json\"]\n",
    );
    let first = site.run(&cfg).await;
    assert!(first.all_ok(), "{:?}", first.outcomes);
    site.put("sangiin/gian_sample.json", &after);
    let second = site.run(&cfg).await;
    assert!(second.all_ok(), "{:?}", second.outcomes);
    assert!(second.changes.is_empty(), "{:#?}", second.changes);
    let run_id = &second.run.run_id;
    let notes = site.query(&format!(
        "select kind, message from warnings where run_id = '{run_id}' and source_id = 'hoc'"
    ));
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["kind"], "note");
    let message = notes[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("閣法-217-21 (医療法等の一部を改正する法律案): `成立法律` (https://")
            && message.contains("no longer published"),
        "{message}"
    );
    // The bill's facts stand.
    let facts = site.query(
        "select stage, promulgated_on, law_number from bills \
         where bill_key = '閣法-217-21' order by run_id desc limit 1",
    );
    assert_eq!(facts[0]["stage"], "promulgated");
    assert_eq!(facts[0]["promulgated_on"], "2025-12-12");
    assert_eq!(facts[0]["law_number"], "87");
}

#[tokio::test(flavor = "multi_thread")]
async fn extract_prints_the_bills_rows_of_a_bill_dataset() {
    let file = mynawatch_testutil::fixtures_dir().join("diet_bills/hoc_gian_monka_212_v2.json");
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
        .args(["extract", "--family", "diet_bills"])
        .arg(&file)
        .output()
        .await
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let bills: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["table"] == "bills")
        .map(|r| {
            (
                r["bill_key"].as_str().unwrap(),
                r["hor"]["committee"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        bills,
        [
            ("衆法-211-11", "文部科学委員会"),
            ("閣法-212-10", "文部科学委員会")
        ]
    );
    assert_eq!(rows.iter().filter(|r| r["table"] == "events").count(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn bills_as_of_a_day_follows_a_bill_carried_over_across_session_boundaries() {
    // 閣法 174-13's 経過 pages of sessions 174–177 (referred, 閉会中審査 undated, each
    // session; withdrawn in 177) and one bill per session decided on its last sitting.
    let site = Site::new().await;
    let pages = [
        "s174_閣法_174_13_1DA8756.html",
        "s175_閣法_174_13_1DA9A86.html",
        "s176_閣法_174_13_1DAA80E.html",
        "s177_閣法_174_13_1DAB256.html",
        "s174_参法_174_6_1DA89FE.html",
        "s175_衆法_175_2_1DAA266.html",
        "s176_衆法_176_7_1DAAC2A.html",
    ];
    let gian = "internet/itdb_gian.nsf/html/gian/keika";
    let mut urls = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        site.put(
            &format!("{gian}/{i}.htm"),
            mynawatch_testutil::fixture_bytes(&format!("diet_bills/keika/{p}")),
        );
        urls.push(format!("\"{{base}}/{gian}/{i}.htm\""));
    }
    let cfg = site.config(&format!(
        "[[source]]\nid = \"shugiin\"\nfamily = \"diet_bills\"\nurls = [{}]\n",
        urls.join(", ")
    ));
    let run = site.run(&cfg).await;
    assert!(run.all_ok(), "{:?}", run.outcomes);
    let stage_on = |day: &'static str| {
        let data = site.data.clone();
        async move {
            let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
                .args(["bills", "--data"])
                .arg(&data)
                .args(["--as-of", day, "--match", "閣法-174-13"])
                .output()
                .await
                .expect("binary runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8(out.stdout).unwrap();
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("  stage as of {day}: ")))
                .unwrap_or_else(|| panic!("no stage line in:\n{text}"))
                .to_string()
        }
    };
    for (day, want) in [
        ("2010-02-10", "submitted"),
        ("2010-06-01", "referred"),
        // Between the 174th (last sitting 2010-06-16) and the 175th (2010-07-30).
        ("2010-07-01", "carried_over"),
        ("2010-08-02", "referred"),
        ("2010-09-15", "carried_over"),
        ("2010-10-15", "referred"),
        ("2010-12-20", "carried_over"),
        ("2011-02-01", "referred"),
        ("2011-05-12", "withdrawn"),
    ] {
        assert_eq!(stage_on(day).await, want, "as of {day}");
    }
    // Every session's carry-over is its own stage.
    let carried = site.query(
        "select event_id from events where kind = 'bill_stage' \
         and event_id like '閣法-174-13/%/carried_over' order by event_id",
    );
    let ids: Vec<&str> = carried
        .iter()
        .map(|r| r["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "閣法-174-13/衆/174/carried_over",
            "閣法-174-13/衆/175/carried_over",
            "閣法-174-13/衆/176/carried_over"
        ]
    );
}
