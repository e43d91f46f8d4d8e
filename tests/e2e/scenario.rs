//! Issue 6's scenario on the mirror: run 1 on a site, then run 2 after (a) a municipal
//! notice is reworded with a new validity date, (b) a monthly figure is added and an
//! old one restated, (c) one source returns 500 and another's layout no longer matches,
//! (d) a page changes only its generation timestamp. Exactly the expected change rows
//! and alerts come out.

use mynawatch::run::SourceOutcome;
use mynawatch_model::ChangeKind;

use super::Site;

/// (source, kind, field, old, new): a change row as the assertions compare it.
type ChangeRow<'a> = (String, &'a str, String, Option<String>, Option<String>);

fn fixture(rel: &str) -> Vec<u8> {
    mynawatch_testutil::fixture_bytes(rel)
}

fn stamped_page(stamp: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>オンライン資格確認の状況</title></head><body>\
         <main><h1>オンライン資格確認の状況</h1><p>マイナ保険証の利用状況を毎月公表しています。</p>\
         <p>このページは{stamp}に生成されました</p></main></body></html>"
    )
}

const SOURCES: &str = r#"
[alerts]
language = "en"
[alerts.sinks.log]
type = "jsonl"
path = "{alerts}"
[[alerts.routes]]
name = "all"
sinks = ["log"]

[[source]]
id = "shibuya"
family = "municipal_notice"
urls = ["{base}/shibuya.html"]
[source.options]
area = "東京都渋谷区"

[[source]]
id = "usage"
family = "table"
urls = ["{base}/usage.csv"]
[source.options]
area = "全国"
date = { column = ["年月"] }
[[source.options.metrics]]
headers = ["利用件数"]
metric = "insurance.usage_count"
unit = "count"
[[source.options.metrics]]
headers = ["利用率"]
metric = "insurance.usage_rate"
unit = "percent"

[[source]]
id = "toshima"
family = "municipal_notice"
urls = ["{base}/toshima.html"]
[source.options]
area = "東京都豊島区"

[[source]]
id = "minato"
family = "municipal_notice"
urls = ["{base}/minato.html"]
[source.options]
area = "東京都港区"

[[source]]
id = "status_page"
family = "page"
urls = ["{base}/status.html"]
"#;

#[tokio::test(flavor = "multi_thread")]
async fn exactly_the_expected_changes_and_alerts_after_a_realistic_update() {
    let site = Site::new().await;
    site.put("shibuya.html", fixture("demo/shibuya_notice_v1.html"));
    site.put("usage.csv", fixture("demo/usage_rate_v1.csv"));
    site.put(
        "toshima.html",
        fixture("municipal_notice/toshima_sjis.html"),
    );
    site.put("minato.html", fixture("municipal_notice/minato.html"));
    site.put("status.html", stamped_page("2026年11月24日 09:00"));
    let alerts = site.data.parent().unwrap().join("alerts.jsonl");
    let cfg = site.config(&SOURCES.replace("{alerts}", &alerts.display().to_string()));
    let first = site.run(&cfg).await;
    assert!(first.all_ok(), "{:?}", first.outcomes);
    let figures_before =
        site.query("select metric, period_start, value from figures order by metric, period_start");
    let notices_before =
        site.query("select source_id, valid_until from notices order by source_id");
    std::fs::remove_file(&alerts).ok();

    site.put("shibuya.html", fixture("demo/shibuya_notice_v2.html")); // (a)
    site.put("usage.csv", fixture("demo/usage_rate_v2.csv")); // (b)
    site.faults("[[fault]]\npath = \"/toshima.html\"\nkind = \"status\"\nstatus = 500\n"); // (c)
    site.put(
        "minato.html",
        fixture("municipal_notice/layout_changed.fail.html"),
    ); // (c)
    site.put("status.html", stamped_page("2026年11月25日 09:00")); // (d)
    let second = site.run(&cfg).await;

    let mut got: Vec<ChangeRow<'_>> = second
        .changes
        .iter()
        .map(|c| {
            (
                c.source_id.clone(),
                c.kind.as_str(),
                c.field.clone(),
                c.old_value.clone(),
                c.new_value.clone(),
            )
        })
        .collect();
    got.sort();
    let s = |x: &str| Some(x.to_string());
    let health = |id: &str| {
        second
            .changes
            .iter()
            .find(|c| c.source_id == id)
            .and_then(|c| c.new_value.clone())
    };
    let mut want = vec![
        (
            "minato".to_string(),
            "source_broken",
            "status".to_string(),
            None,
            health("minato"),
        ),
        (
            "shibuya".into(),
            "modified",
            "mailing_end".into(),
            s("2025-07-31"),
            s("2026-07-20"),
        ),
        (
            "shibuya".into(),
            "modified",
            "mailing_start".into(),
            s("2025-07-11"),
            s("2026-07-11"),
        ),
        (
            "shibuya".into(),
            "modified",
            "updated_on".into(),
            s("2025-06-20"),
            s("2026-06-18"),
        ),
        (
            "shibuya".into(),
            "modified",
            "valid_from".into(),
            s("2025-08-01"),
            s("2026-08-01"),
        ),
        (
            "shibuya".into(),
            "modified",
            "valid_until".into(),
            s("2026-07-31"),
            s("2027-07-31"),
        ),
        (
            "shibuya".into(),
            "notice_text_changed",
            "text".into(),
            None,
            None,
        ),
        (
            "toshima".into(),
            "source_broken",
            "status".into(),
            None,
            health("toshima"),
        ),
        ("usage".into(), "added", "".into(), None, None),
        ("usage".into(), "added", "".into(), None, None),
        (
            "usage".into(),
            "revised",
            "value".into(),
            s("22351004"),
            s("22412870"),
        ),
        (
            "usage".into(),
            "revised",
            "value".into(),
            s("29.51"),
            s("29.62"),
        ),
    ];
    want.sort();
    // The text change's old/new are content hashes; compare the rest.
    let strip = |v: &mut Vec<ChangeRow<'_>>| {
        for r in v.iter_mut().filter(|r| r.1 == "notice_text_changed") {
            r.3 = None;
            r.4 = None;
        }
    };
    strip(&mut got);
    assert_eq!(got, want);
    assert!(
        health("toshima").unwrap().contains("500"),
        "{:?}",
        health("toshima")
    );
    assert!(
        health("minato").unwrap().contains("no longer mentions"),
        "{:?}",
        health("minato")
    );

    assert!(matches!(
        second.outcomes["toshima"],
        SourceOutcome::FetchFailed(_)
    ));
    assert!(matches!(
        second.outcomes["minato"],
        SourceOutcome::Broken(_)
    ));
    assert!(
        matches!(
            second.outcomes["status_page"],
            SourceOutcome::Extracted { wrote: false, .. }
        ),
        "(d) is nothing"
    );
    assert!(
        !second.changes.iter().any(|c| c.kind == ChangeKind::Removed),
        "a broken source removes nothing"
    );

    // Last good data is kept: the broken sources' notices are still the run-1 rows.
    let notices_after = site.query("select source_id, valid_until from notices where source_id <> 'shibuya' order by source_id");
    let before_kept: Vec<_> = notices_before
        .iter()
        .filter(|r| r["source_id"] != "shibuya")
        .cloned()
        .collect();
    assert_eq!(notices_after, before_kept);
    let figures_after = site.query("select metric, period_start, value from figures where run_id in (select min(run_id) from figures) order by metric, period_start");
    assert_eq!(
        figures_after, figures_before,
        "run 1's figures are still there"
    );

    // Alerts: one digest line per change, quoting old → new.
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&alerts)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), second.changes.len());
    let restated = lines
        .iter()
        .find(|l| l["kind"] == "revised" && l["old_value"] == "29.51")
        .unwrap();
    assert!(
        restated["summary"]
            .as_str()
            .unwrap()
            .contains("29.51 → 29.62"),
        "{restated}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l["kind"] == "source_broken")
            .count(),
        2
    );

    // A third run with the faults cleared and the page back: recovered, and nothing else.
    site.faults("");
    site.put("minato.html", fixture("municipal_notice/minato.html"));
    let third = site.run(&cfg).await;
    let kinds: Vec<(String, ChangeKind)> = third
        .changes
        .iter()
        .map(|c| (c.source_id.clone(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("minato".into(), ChangeKind::SourceRecovered),
            ("toshima".into(), ChangeKind::SourceRecovered)
        ]
    );
}
