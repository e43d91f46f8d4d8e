//! Honest change data at scale (issue 10), each on the mirror with the real pipeline:
//! baselines instead of a first-run flood, no false removals when a crawl window moves,
//! unique natural keys, validation against the last good run, warnings as data, no
//! figure dated by its fetch time, and a derived figure whose inputs come from two
//! sources.

use std::collections::BTreeSet;

use mynawatch::run::SourceOutcome;
use mynawatch_model::ChangeKind;

use super::Site;

/// A JSON-lines alert sink in the site's temp folder, with one route taking everything
/// (and a second, opted-in route that wants the baseline row by row when `rows`).
fn alerts(site: &Site, rows: bool) -> (String, std::path::PathBuf) {
    let path = site.data.with_file_name("alerts.jsonl");
    let mut toml = format!(
        "[alerts]\nlanguage = \"en\"\n[alerts.sinks.log]\ntype = \"jsonl\"\npath = \"{}\"\n[[alerts.routes]]\nname = \"all\"\nsinks = [\"log\"]\n",
        path.display()
    );
    if rows {
        let rows_path = site.data.with_file_name("rows.jsonl");
        toml.push_str(&format!(
            "[alerts.sinks.rows]\ntype = \"jsonl\"\npath = \"{}\"\n[[alerts.routes]]\nname = \"rows\"\nsinks = [\"rows\"]\nbaseline_rows = true\n",
            rows_path.display()
        ));
    }
    (toml, path)
}

fn lines(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// A CSV of every prefecture's value, the way statistics tables list them.
fn prefecture_csv(header_date: &str, value_of: impl Fn(usize) -> u64, rows: usize) -> String {
    let mut csv = format!("都道府県名,人口【{header_date}時点】\n");
    for (i, p) in PREFECTURES.iter().take(rows).enumerate() {
        csv.push_str(&format!("{p},\"{}\"\n", value_of(i)));
    }
    csv
}

const POPULATION_SOURCE: &str = r#"
[[source]]
id = "pop"
family = "table"
urls = ["{base}/pop.csv"]
[source.options]
date = { from_header = true }
[[source.options.metrics]]
headers = ["人口"]
metric = "population"
unit = "persons"
"#;

fn notice_page(n: usize, extra: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>資格確認書の送付 {n}</title></head><body>\
         <div id=\"tmp_contents\"><h1>国民健康保険 資格確認書の送付について</h1>\
         <p>マイナ保険証をお持ちでない方に、資格確認書を簡易書留でお送りします。</p>\
         <p>対象はおよそ{n},000世帯です。</p>{extra}</div></body></html>"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_run_sends_one_baseline_line_per_source_and_records_every_row() {
    let site = Site::new().await;
    site.put(
        "pop.csv",
        prefecture_csv("R7.1.1", |i| 1_000_000 + i as u64, 47),
    );
    site.put("a.html", notice_page(3, ""));
    site.put("b.html", notice_page(5, ""));
    let (alert_toml, path) = alerts(&site, true);
    let sources = format!(
        "{alert_toml}{POPULATION_SOURCE}\n[[source]]\nid = \"a\"\nfamily = \"municipal_notice\"\nurls = [\"{{base}}/a.html\"]\n[source.options]\narea = \"東京都渋谷区\"\n\n[[source]]\nid = \"b\"\nfamily = \"municipal_notice\"\nurls = [\"{{base}}/b.html\"]\n[source.options]\narea = \"東京都豊島区\"\n"
    );
    let cfg = site.config(&sources);
    let first = site.run(&cfg).await;
    assert!(first.all_ok(), "{:?}", first.outcomes);
    let added = first
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Added)
        .count();
    assert!(added >= 47 + 2, "every row is recorded as added: {added}");

    let sent = lines(&path);
    assert_eq!(sent.len(), 3, "one baseline line per source: {sent:#?}");
    assert!(sent
        .iter()
        .all(|a| a["summary"].as_str().unwrap().contains("baseline:")));
    let pop = sent.iter().find(|a| a["source_id"] == "pop").unwrap();
    assert_eq!(pop["summary"], "pop: baseline: 47 figures (47 areas)");
    // A route that opts in gets the rows one by one instead, and no summary.
    let rows = lines(&site.data.with_file_name("rows.jsonl"));
    assert_eq!(rows.len(), added);
    assert!(rows
        .iter()
        .all(|a| !a["summary"].as_str().unwrap().contains("baseline:")));

    // The second run's alerts are exactly its data changes.
    site.put("b.html", notice_page(6, ""));
    let second = site.run(&cfg).await;
    let sent = lines(&path);
    let new_alerts: Vec<_> = sent[3..].iter().collect();
    assert_eq!(new_alerts.len(), second.changes.len(), "{new_alerts:#?}");
    assert!(second.changes.iter().all(|c| c.source_id == "b"));
    let queried = site.query("select count(*) as n from changes where field = 'baseline'");
    assert_eq!(
        queried[0]["n"], 0,
        "the summary line is an alert, not a change row"
    );
}

/// A press transcript fixture served under another conference id.
fn transcript(id: u32) -> Vec<u8> {
    let bytes = mynawatch_testutil::fixture_bytes("mhlw_press/0000194708_00835.html");
    String::from_utf8(bytes)
        .unwrap()
        .replace("0000194708_00835", &format!("0000194708_{id:05}"))
        .into_bytes()
}

fn press_index(newest: u32, count: u32) -> String {
    let mut items = String::new();
    for id in (newest + 1 - count..=newest).rev() {
        items.push_str(&format!(
            "<li><a href=\"/stf/kaiken/daijin/0000194708_{id:05}.html\">大臣会見概要 {id}</a></li>\n"
        ));
    }
    format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>大臣記者会見｜厚生労働省</title></head>\
         <body><main class=\"l-content\"><h1>大臣記者会見</h1><ul class=\"m-listNews\">{items}</ul></main></body></html>"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_press_index_that_moves_on_never_reports_the_conferences_that_fell_out_of_the_window() {
    let site = Site::new().await;
    let first_id = 900;
    let cfg = site.config(
        "[[source]]\nid = \"press\"\nfamily = \"mhlw_press\"\nurls = [\"{base}/stf/kaiken/daijin/index.html\"]\nfollow = { pattern = \"/0000194708_\\\\d+\\\\.html$\", max = 3, via = \"family\" }\n[source.validate]\nmax_row_drop_pct = 50\n",
    );
    let mut newest = first_id + 2;
    for id in first_id..=newest {
        site.put(
            &format!("stf/kaiken/daijin/0000194708_{id:05}.html"),
            transcript(id),
        );
    }
    site.put("stf/kaiken/daijin/index.html", press_index(newest, 3));
    let first = site.run(&cfg).await;
    assert!(first.all_ok(), "{:?}", first.outcomes);
    for run in 0..5 {
        newest += 1;
        site.put(
            &format!("stf/kaiken/daijin/0000194708_{newest:05}.html"),
            transcript(newest),
        );
        // The index keeps listing every conference of the year; only `max` moves on.
        site.put(
            "stf/kaiken/daijin/index.html",
            press_index(newest, newest - first_id + 1),
        );
        let s = site.run(&cfg).await;
        assert!(s.all_ok(), "run {run}: {:?}", s.outcomes);
        let removed: Vec<_> = s
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Removed)
            .collect();
        assert!(removed.is_empty(), "run {run}: false removals {removed:#?}");
        assert!(
            s.changes
                .iter()
                .any(|c| c.kind == ChangeKind::Added && c.table == "events"),
            "run {run}: the new conference is added"
        );
    }
    let removed = site.query("select count(*) as n from changes where kind = 'removed'");
    assert_eq!(removed[0]["n"], 0);
    // Every conference ever seen is still in the source's current version.
    let events = site.query(
        "select count(distinct event_id) as n from events where run_id in (select max(run_id) from events)",
    );
    assert_eq!(events[0]["n"], 8);

    // Evidence of removal: the index stops listing the oldest conference.
    site.put(
        "stf/kaiken/daijin/index.html",
        press_index(newest, newest - first_id),
    );
    let s = site.run(&cfg).await;
    let removed: Vec<_> = s
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Removed && c.table == "events")
        .map(|c| c.entity_key.clone())
        .collect();
    assert_eq!(
        removed,
        vec![format!("0000194708_{first_id:05}")],
        "{:?} {:#?}",
        s.outcomes,
        s.changes
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_figure_published_by_a_page_and_its_workbook_is_one_row_and_the_running_total_counts_it_once(
) {
    let site = Site::new().await;
    // The MHLW page announces the latest month; its table lists every month so far.
    site.put(
        "stf/usage.html",
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>マイナ保険証の利用登録解除</title></head>\
         <body><main class=\"l-content\"><h1>マイナ保険証の利用登録解除について</h1>\
         <p>利用登録解除の申請件数（令和７年３月１日～３月31日）は15,082件でした。</p></main></body></html>",
    );
    site.put(
        "stf/cancellations.csv",
        "令和6年度 マイナ保険証の利用登録解除件数\n期間,利用登録解除件数\n10/28～11/30,\"13,147\"\n12/1～12/31,\"32,067\"\n1/1～1/31,\"13,212\"\n2/1～2/28,\"10,724\"\n3/1～3/31,\"15,082\"\n",
    );
    let cfg = site.config(
        "[[source]]\nid = \"usage\"\nfamily = \"mhlw_usage\"\nurls = [\"{base}/stf/usage.html\", \"{base}/stf/cancellations.csv\"]\n",
    );
    let s = site.run(&cfg).await;
    assert!(s.all_ok(), "{:?}", s.outcomes);
    let monthly = site.query(
        "select cast(period_start as varchar) as s, cast(period_end as varchar) as e, value, locator from figures \
         where metric = 'insurance.registration_cancellations' order by period_end",
    );
    assert_eq!(monthly.len(), 5, "{monthly:#?}");
    let march = &monthly[4];
    assert_eq!(
        (march["s"].as_str(), march["value"].as_f64()),
        (Some("2025-03-01"), Some(15082.0))
    );
    assert!(
        march["locator"].as_str().unwrap().contains('!'),
        "the workbook cell is kept over the sentence: {march}"
    );
    let totals = site.query(
        "select cast(period_end as varchar) as e, value from figures \
         where metric = 'insurance.registration_cancellations_cumulative' order by period_end",
    );
    let got: Vec<(String, f64)> = totals
        .iter()
        .map(|r| {
            (
                r["e"].as_str().unwrap().to_string(),
                r["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("2024-11-30".to_string(), 13_147.0),
            ("2024-12-31".to_string(), 45_214.0),
            ("2025-01-31".to_string(), 58_426.0),
            ("2025-02-28".to_string(), 69_150.0),
            ("2025-03-31".to_string(), 84_232.0),
        ]
    );
    let keys = site.query(
        "select count(*) as n, count(distinct concat_ws('|', source_id, metric, area_code, dimensions, \
         coalesce(cast(as_of as varchar), ''), coalesce(cast(period_start as varchar), ''), \
         coalesce(cast(period_end as varchar), ''), run_id)) as k from figures",
    );
    assert_eq!(keys[0]["n"], keys[0]["k"], "one row per natural key");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_release_truncated_to_five_percent_is_a_broken_source_not_thousands_of_removals() {
    let site = Site::new().await;
    site.put(
        "pop.csv",
        prefecture_csv("R7.1.1", |i| 1_000_000 + i as u64, 47),
    );
    let cfg = site.config(POPULATION_SOURCE);
    let first = site.run(&cfg).await;
    assert!(first.all_ok());
    let good_run = first.run.run_id.clone();

    // The next release is cut after two rows (a truncated file or a new layout).
    site.put(
        "pop.csv",
        prefecture_csv("R7.1.1", |i| 1_000_000 + i as u64, 2),
    );
    let second = site.run(&cfg).await;
    match &second.outcomes["pop"] {
        SourceOutcome::Broken(e) => {
            let cause = e.cause();
            assert!(cause.starts_with("47 → 2 figures (−96%"), "{cause}")
        }
        other => panic!("a shrunken release must be broken, got {other:?}"),
    }
    assert!(second
        .changes
        .iter()
        .all(|c| c.kind == ChangeKind::SourceBroken));
    let removed = site.query("select count(*) as n from changes where kind = 'removed'");
    assert_eq!(removed[0]["n"], 0);
    let states = mynawatch_store::Store::open(&site.data)
        .unwrap()
        .source_states()
        .unwrap();
    assert_eq!(
        states["pop"].last_good_run.as_deref(),
        Some(good_run.as_str())
    );
    let current = site.query(&format!(
        "select count(*) as n from figures where source_id = 'pop' and run_id = '{good_run}'"
    ));
    assert_eq!(
        current[0]["n"], 47,
        "the last good rows stay the current ones"
    );

    // A per-source threshold lets a source that really shrinks through.
    let lenient = site.config(&POPULATION_SOURCE.replace(
        "[source.options]",
        "[source.validate]\nmax_row_drop_pct = 99\n[source.options]",
    ));
    let third = site.run(&lenient).await;
    assert!(third.all_ok(), "{:?}", third.outcomes);
}

#[tokio::test(flavor = "multi_thread")]
async fn dropped_rows_and_unreadable_dates_are_warnings_in_a_table_never_silent_or_redated() {
    let site = Site::new().await;
    site.put(
        "reg.csv",
        "年月日,都道府県名,登録件数\n2025/3/31,北海道,\"100\"\n2025/3/31,架空県,\"200\"\n三月末,青森県,\"300\"\n2025/3/31,岩手県,\"400\"\n",
    );
    let cfg = site.config(
        "[[source]]\nid = \"reg\"\nfamily = \"table\"\nurls = [\"{base}/reg.csv\"]\n[source.options]\ndate = { column = [\"年月日\"] }\n[[source.options.metrics]]\nheaders = [\"登録件数\"]\nmetric = \"insurance.registrations\"\nunit = \"count\"\n",
    );
    let s = site.run(&cfg).await;
    assert!(s.all_ok(), "{:?}", s.outcomes);
    let figures =
        site.query("select area_name, cast(as_of as varchar) as d from figures order by area_name");
    let names: Vec<&str> = figures
        .iter()
        .map(|f| f["area_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["北海道", "岩手県"],
        "the two bad rows are dropped"
    );
    assert!(figures.iter().all(|f| f["d"] == "2025-03-31"));
    let warnings =
        site.query("select kind, message from warnings where source_id = 'reg' order by message");
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings.iter().all(|w| w["kind"] == "dropped_row"));
    let text: Vec<&str> = warnings
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(text.iter().any(|m| m.contains("架空県")), "{text:?}");
    assert!(text.iter().any(|m| m.contains("三月末")), "{text:?}");
    let listed = mynawatch::commands::sources(&cfg, &site.data, mynawatch::args::Format::Json)
        .expect("sources");
    let row: serde_json::Value = serde_json::from_str(listed.lines().next().unwrap()).unwrap();
    assert_eq!(
        (row["warnings"].as_u64(), row["dropped_rows"].as_u64()),
        (Some(2), Some(2))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_without_a_date_keeps_its_figures_undated_and_a_refetch_adds_nothing() {
    let site = Site::new().await;
    site.put("n.html", notice_page(12, ""));
    let cfg = site.config(
        "[[source]]\nid = \"n\"\nfamily = \"municipal_notice\"\nurls = [\"{base}/n.html\"]\n[source.options]\narea = \"東京都世田谷区\"\n",
    );
    let first = site.run(&cfg).await;
    assert!(first.all_ok(), "{:?}", first.outcomes);
    let figures = site.query("select metric, as_of, value from figures");
    assert_eq!(figures.len(), 1, "{figures:#?}");
    assert!(
        figures[0]["as_of"].is_null(),
        "never dated by its fetch time: {figures:#?}"
    );
    // New bytes (markup churn) and a later fetch: same facts, same keys, no change.
    site.put(
        "n.html",
        notice_page(12, "<!-- generated 2026-11-30T06:00 -->"),
    );
    let second = site.run(&cfg).await;
    assert!(second.changes.is_empty(), "{:#?}", second.changes);
}

#[tokio::test(flavor = "multi_thread")]
async fn registrations_per_population_is_derived_from_two_sources_and_names_both_inputs() {
    let site = Site::new().await;
    site.put(
        "dashboard.csv",
        "年月日,区分,健康保険証利用登録件数\n2025/3/31,全国,\"83,011,764\"\n",
    );
    site.put("mic.csv", "区分,人口【R7.1.1時点】\n全国,\"125,000,000\"\n");
    let cfg = site.config(
        r#"
[[source]]
id = "dashboard"
family = "table"
urls = ["{base}/dashboard.csv"]
[source.options]
date = { column = ["年月日"] }
[[source.options.metrics]]
headers = ["健康保険証利用登録件数"]
metric = "insurance.registrations"
unit = "count"

[[source]]
id = "mic"
family = "table"
urls = ["{base}/mic.csv"]
[source.options]
date = { from_header = true }
[[source.options.metrics]]
headers = ["人口"]
metric = "population"
unit = "persons"

[[derived]]
id = "registration_per_population"
metric = "insurance.registration_per_population_rate"
numerator = { source = "dashboard", metric = "insurance.registrations" }
denominator = { source = "mic", metric = "population" }
"#,
    );
    let first = site.run(&cfg).await;
    assert!(first.all_ok(), "{:?}", first.outcomes);
    let rows = site.query(
        "select source_id, cast(as_of as varchar) as d, value, derived_from, locator from figures \
         where metric = 'insurance.registration_per_population_rate'",
    );
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let r = &rows[0];
    assert_eq!(r["source_id"], "registration_per_population");
    assert_eq!(r["d"], "2025-03-31");
    assert_eq!(r["value"].as_f64(), Some(66.41));
    assert_eq!(
        r["derived_from"],
        "dashboard:insurance.registrations@2025-03-31 ÷ mic:population@2025-01-01"
    );
    assert!(r["locator"].as_str().unwrap().contains("/mic.csv"));
    // Unchanged inputs: nothing new next run; a restated population revises the rate.
    let second = site.run(&cfg).await;
    assert!(second.changes.is_empty(), "{:#?}", second.changes);
    site.put("mic.csv", "区分,人口【R7.1.1時点】\n全国,\"124,000,000\"\n");
    let third = site.run(&cfg).await;
    let rate_changes: Vec<_> = third
        .changes
        .iter()
        .filter(|c| c.source_id == "registration_per_population")
        .collect();
    assert_eq!(rate_changes.len(), 1, "{rate_changes:#?}");
    assert_eq!(rate_changes[0].new_value.as_deref(), Some("66.94"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_alerts_one_baseline_line_per_source_then_exactly_its_changes_with_unique_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo-data");
    let corpus = mynawatch_testutil::corpus_dir();
    mynawatch::demo::demo(Some(data.clone()), &corpus)
        .await
        .expect("demo runs");
    let site = |sql: &str| -> Vec<serde_json::Value> {
        mynawatch::commands::query(&data, sql, mynawatch::args::Format::Json)
            .expect("query runs")
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let runs = site("select run_id from runs order by run_id");
    assert_eq!(runs.len(), 2);
    let (first, second) = (runs[0]["run_id"].clone(), runs[1]["run_id"].clone());
    let alerts = lines(&data.join("alerts.jsonl"));
    let of = |run: &serde_json::Value| -> Vec<&serde_json::Value> {
        alerts.iter().filter(|a| &a["run_id"] == run).collect()
    };
    let baseline = of(&first);
    let sources: BTreeSet<&str> = baseline
        .iter()
        .map(|a| a["source_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources.len(),
        baseline.len(),
        "one line per source: {baseline:#?}"
    );
    assert!(baseline
        .iter()
        .all(|a| a["summary"].as_str().unwrap().contains(": baseline: ")));
    let changes = site(&format!(
        "select count(*) as n from changes where run_id = '{}'",
        second.as_str().unwrap()
    ));
    assert_eq!(
        of(&second).len() as u64,
        changes[0]["n"].as_u64().unwrap(),
        "the second run's alerts are exactly its changes"
    );
    let keys = site(
        "select run_id, count(*) as n, count(distinct concat_ws('|', source_id, metric, area_code, dimensions, \
         coalesce(cast(as_of as varchar), ''), coalesce(cast(period_start as varchar), ''), \
         coalesce(cast(period_end as varchar), ''))) as k from figures group by run_id",
    );
    assert!(!keys.is_empty());
    for r in &keys {
        assert_eq!(
            r["n"], r["k"],
            "one row per natural key in run {}",
            r["run_id"]
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_notice_page_and_the_pdf_report_it_links_give_one_notice_with_the_facts_of_both() {
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: pdftotext (poppler-utils) is not installed; .ci/run installs it");
        return;
    }
    let site = Site::new().await;
    // The ward's page states the rule; the committee report it links has the dates,
    // the method and the costs.
    site.put(
        "kurashi/kokuho/shikaku.html",
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>資格確認書の送付｜世田谷区</title></head>\
         <body><div id=\"main\"><h1>国民健康保険の資格確認書について</h1>\
         <p>マイナ保険証の有無にかかわらず、国民健康保険に加入しているすべての方に資格確認書をお送りします。</p>\
         <p>区議会への報告資料：<a href=\"/kurashi/kokuho/houkoku.pdf\">福祉保健委員会報告（PDF：95KB）</a></p></div></body></html>",
    );
    site.put(
        "kurashi/kokuho/houkoku.pdf",
        mynawatch_testutil::fixture_bytes("pdf/setagaya_report.pdf"),
    );
    let cfg = site.config(
        "[[source]]\nid = \"setagaya\"\nfamily = \"municipal_notice\"\nurls = [\"{base}/kurashi/kokuho/shikaku.html\"]\nfollow = { pattern = \"\\\\.pdf$\", via = \"family\" }\n[source.options]\narea = \"東京都世田谷区\"\n",
    );
    let s = site.run(&cfg).await;
    assert!(s.all_ok(), "{:?}", s.outcomes);
    let notices = site.query(
        "select issuance_policy, mailing_method, cast(valid_from as varchar) as vf, url from notices",
    );
    assert_eq!(notices.len(), 1, "one notice: {notices:#?}");
    let n = &notices[0];
    assert_eq!(n["issuance_policy"], "all_insured");
    assert!(n["url"].as_str().unwrap().ends_with("shikaku.html"));
    assert_eq!(n["vf"], "2025-10-01", "taken from the report: {n}");
    assert_eq!(n["mailing_method"], "特定記録郵便");
    let figures = site.query("select metric, value, url, locator from figures order by value");
    assert!(!figures.is_empty());
    assert!(
        figures
            .iter()
            .all(|f| f["url"].as_str().unwrap().ends_with("houkoku.pdf")
                && f["locator"].as_str().unwrap().starts_with("page:")),
        "the report's figures keep their own page locators: {figures:#?}"
    );
    let notes = site.query("select kind, message from warnings where source_id = 'setagaya'");
    assert!(
        notes
            .iter()
            .any(|w| w["message"].as_str().unwrap().contains("valid_from")),
        "the merge is recorded: {notes:#?}"
    );
}
