//! People check and correct facts: a correction is listed, survives unchanged runs, shows
//! in `notices_current` as `corrected`; a reworded page makes it stale (the reader's value
//! again, back in the queue) and the change alert names the earlier review; bad input and
//! a held lock change nothing; reviews come back out as eval labels that `eval` scores.

use std::path::Path;
use std::process::Output;

use mynawatch::args::Format;
use mynawatch::review::{labels_from_reviews, list, record, ListOptions, Verdict};

use super::Site;

const KEY: &str = "shibuya|131130";

fn config(site: &Site) -> mynawatch::config::Config {
    site.config(
        "[[source]]\nid = \"shibuya\"\nfamily = \"municipal_notice\"\nurls = [\"{base}/shibuya.html\"]\n[source.options]\narea = \"東京都渋谷区\"\n",
    )
}

fn queue(data: &Path, all: bool) -> Vec<serde_json::Value> {
    let opts = ListOptions {
        all,
        ..ListOptions::default()
    };
    list(data, None, &opts, Format::Json)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn current(site: &Site) -> serde_json::Value {
    let rows = site
        .query("select issuance_policy, valid_until, review_status, evidence from notices_current");
    assert_eq!(rows.len(), 1, "{rows:?}");
    rows[0].clone()
}

fn bin(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn reviews_files(data: &Path) -> usize {
    mynawatch_store::Store::open(data)
        .unwrap()
        .files(mynawatch_store::TableName::Reviews)
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_correction_survives_unchanged_runs_and_goes_stale_with_a_named_alert_when_the_page_is_reworded(
) {
    let site = Site::new().await;
    let fixture = mynawatch_testutil::fixture_bytes;
    site.put("shibuya.html", fixture("demo/shibuya_notice_v1.html"));
    let cfg = config(&site);
    assert!(site.run(&cfg).await.all_ok());

    // The reader's row carries the sentence each field came from, with its line.
    let row = current(&site);
    assert_eq!(row["review_status"], "machine");
    let evidence: serde_json::Value =
        serde_json::from_str(row["evidence"].as_str().unwrap()).unwrap();
    assert!(
        evidence["issuance_policy"]["quote"]
            .as_str()
            .unwrap()
            .contains("資格確認書"),
        "{evidence}"
    );
    assert!(evidence["issuance_policy"]["line"].as_u64().unwrap() >= 1);
    let machine_policy = row["issuance_policy"].as_str().unwrap().to_string();

    // The queue lists the new facts, policy first.
    let q = queue(&site.data, false);
    assert_eq!(q[0]["field"], "issuance_policy", "{q:?}");
    assert_eq!(q[0]["key"], KEY);
    assert_eq!(q[0]["reason"], "new");

    // A person corrects the policy and confirms the expiry.
    let corrected = if machine_policy == "mixed" {
        "all_insured"
    } else {
        "mixed"
    };
    record(
        &site.data,
        &Verdict {
            key: KEY,
            fields: vec![("issuance_policy".into(), Some(corrected.into()))],
            note: "the page gives two rules",
            by: "reviewer",
        },
    )
    .unwrap();
    record(
        &site.data,
        &Verdict {
            key: KEY,
            fields: vec![("valid_until".into(), None)],
            note: "",
            by: "reviewer",
        },
    )
    .unwrap();
    assert!(
        !queue(&site.data, false)
            .iter()
            .any(|i| i["key"] == KEY
                && (i["field"] == "issuance_policy" || i["field"] == "valid_until")),
        "reviewed facts leave the queue"
    );
    assert!(queue(&site.data, true)
        .iter()
        .any(|i| i["field"] == "issuance_policy" && i["reason"] == "reviewed"));

    // Two more runs of the unchanged page: the correction stands.
    for _ in 0..2 {
        assert!(site.run(&cfg).await.all_ok());
        let row = current(&site);
        assert_eq!(row["issuance_policy"], corrected);
        assert_eq!(row["review_status"], "corrected");
    }

    // Reviews come back out as labels that `eval` scores as it stands.
    let out = site.data.parent().unwrap().join("labels/reviews.tsv");
    let texts = site.data.parent().unwrap().join("labels/texts");
    let said = labels_from_reviews(&site.data, &out, &texts).unwrap();
    assert!(said.starts_with("2 reviewed facts of 1 pages"), "{said}");
    let tsv = std::fs::read_to_string(&out).unwrap();
    assert!(
        tsv.contains(&format!("\tissuance_policy\t{corrected}")),
        "{tsv}"
    );
    let report = mynawatch::eval::eval(
        "municipal_notice",
        &out,
        &texts,
        Some(r#"{"area":"東京都渋谷区"}"#),
        Format::Json,
    )
    .unwrap();
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(
        report["summary"]["issuance_policy"]["stated"], 1,
        "{report}"
    );
    assert_eq!(report["summary"]["valid_until"]["recall"], 1.0, "{report}");

    // The page is reworded: the review is stale, the reader's value is back, the fact is
    // back in the queue, and the change says it had been reviewed.
    site.put("shibuya.html", fixture("demo/shibuya_notice_v2.html"));
    assert!(site.run(&cfg).await.all_ok());
    let row = current(&site);
    assert_eq!(row["review_status"], "stale");
    assert_ne!(row["issuance_policy"], corrected);
    let q = queue(&site.data, false);
    assert!(
        q.iter()
            .any(|i| i["reason"] == "stale" && i["field"] == "issuance_policy"),
        "{q:?}"
    );
    assert_eq!(q[0]["reason"], "stale", "stale reviews come first");
    let changes =
        site.query("select kind, summary from changes where kind = 'notice_text_changed'");
    assert_eq!(changes.len(), 1, "{changes:?}");
    let summary = changes[0]["summary"].as_str().unwrap();
    assert!(
        summary.contains(&format!(
            "issuance_policy corrected to {corrected} by reviewer on"
        )) && summary.contains("stale"),
        "{summary}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_review_input_exits_2_and_a_held_lock_exits_4_with_the_reviews_table_unchanged() {
    let site = Site::new().await;
    site.put(
        "shibuya.html",
        mynawatch_testutil::fixture_bytes("demo/shibuya_notice_v1.html"),
    );
    assert!(site.run(&config(&site)).await.all_ok());
    let data = site.data.to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["nope|999999", "issuance_policy", "mixed"],
            "no current row has the key",
        ),
        (&[KEY, "colour", "red"], "issuance_policy, scheme"),
        (&[KEY, "valid_until", "2025-02-30"], "YYYY-MM-DD"),
        (
            &[KEY, "issuance_policy", "everyone"],
            "all_insured, unregistered_only",
        ),
    ];
    for (args, says) in cases {
        let mut a = vec!["review", "set"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["--data", data]);
        let o = bin(&a);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(reviews_files(&site.data), 0, "nothing written for {args:?}");
    }
    // A run holds the data folder: the review waits for nobody and exits 4.
    let set_mixed = || {
        let o = bin(&[
            "review",
            "set",
            KEY,
            "issuance_policy",
            "mixed",
            "--data",
            data,
        ]);
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let lock = mynawatch_store::RunLock::acquire(&site.data, "a-run", chrono::Utc::now()).unwrap();
    let (code, err) = set_mixed();
    assert_eq!(code, Some(4), "{err}");
    assert_eq!(reviews_files(&site.data), 0);
    drop(lock);
    let (code, err) = set_mixed();
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(reviews_files(&site.data), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_survey_figure_corrected_on_the_demo_data_shows_in_figures_current_and_the_queue_says_so()
{
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo-data");
    mynawatch::demo::demo(Some(data.clone()), &mynawatch_testutil::corpus_dir())
        .await
        .expect("demo runs");
    // The queue lists the survey's figures with the sentence each was read from.
    let items = queue(&data, false);
    let figure = items
        .iter()
        .find(|i| i["table"] == "figures" && i["field"] == "value")
        .unwrap_or_else(|| panic!("no survey figure in the queue: {items:?}"));
    // The sentence, where it stands, and how the reader read it (rule, period, area).
    let evidence = figure["evidence"].as_str().unwrap();
    assert!(
        evidence.contains("how: ") && evidence.contains("area: ") && evidence.contains("period: "),
        "{evidence}"
    );
    let key = figure["key"].as_str().unwrap().to_string();
    let machine: f64 = figure["value"].as_str().unwrap().parse().unwrap();
    let corrected = machine + 1.0;
    record(
        &data,
        &Verdict {
            key: &key,
            fields: vec![("value".into(), Some(corrected.to_string()))],
            note: "the table on page 2 says so",
            by: "reviewer",
        },
    )
    .unwrap();
    let parts = mynawatch_model::keys::parse_figure(&key).unwrap();
    let rows: Vec<serde_json::Value> = mynawatch::commands::query(
        &data,
        &format!(
            "select value, review_status from figures_current where source_id = '{}' and metric = '{}' and dimensions = '{}'",
            parts.source_id, parts.metric, parts.dimensions
        ),
        Format::Json,
    )
    .unwrap()
    .lines()
    .map(|l| serde_json::from_str(l).unwrap())
    .collect();
    assert!(
        rows.iter()
            .any(|r| r["review_status"] == "corrected" && r["value"].as_f64() == Some(corrected)),
        "{rows:?}"
    );
    assert!(queue(&data, true).iter().any(|i| i["key"] == key.as_str()
        && i["reason"] == "reviewed"
        && i["review"].as_str().unwrap().starts_with("corrected to")));
}
