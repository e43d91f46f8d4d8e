//! "What changed since last time?": exactly the right change rows, no noise, and a
//! broken source never looks like changed or deleted data.

use mynawatch::run::SourceOutcome;
use mynawatch_model::ChangeKind;

use super::{corpus, Lcg, Site};

const MHLW_A: &str = "mhlw_pages/mhlw_newpage_67729_20260905T182241.html";
const MHLW_B: &str = "mhlw_pages/mhlw_newpage_67729_20260905T184534.html";

#[tokio::test(flavor = "multi_thread")]
async fn the_two_real_mhlw_snapshots_differing_only_in_markup_produce_no_change() {
    let site = Site::new().await;
    site.put("stf/newpage_67729.html", corpus(MHLW_A));
    let cfg = site.config("[[source]]\nid = \"mhlw_r8\"\nfamily = \"page\"\nurls = [\"{base}/stf/newpage_67729.html\"]\n");
    let first = site.run(&cfg).await;
    assert!(first.all_ok(), "{:?}", first.outcomes);
    assert_eq!(
        first
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Added)
            .count(),
        1,
        "the first run adds the page's notice row"
    );

    site.put("stf/newpage_67729.html", corpus(MHLW_B));
    let second = site.run(&cfg).await;
    assert!(
        second.changes.is_empty(),
        "markup churn is not a change: {:?}",
        second.changes
    );
    match &second.outcomes["mhlw_r8"] {
        SourceOutcome::Extracted { wrote, .. } => {
            assert!(!wrote, "identical content writes no new rows")
        }
        other => panic!("new bytes must be extracted, got {other:?}"),
    }
    let fetches = site.query("select outcome from fetches order by fetched_at");
    assert_eq!(fetches.len(), 2);
    assert!(fetches.iter().all(|f| f["outcome"] == "fetched"));
    let notices = site.query("select title, run_id from notices");
    assert_eq!(notices.len(), 1, "one version of the page in the table");

    let third = site.run(&cfg).await;
    assert!(matches!(
        third.outcomes["mhlw_r8"],
        SourceOutcome::Unchanged
    ));
    let last = site.query("select outcome from fetches order by fetched_at desc limit 1");
    assert_eq!(last[0]["outcome"], "not_modified");
}

#[tokio::test(flavor = "multi_thread")]
async fn random_faults_over_many_runs_produce_no_data_change_and_keep_every_row() {
    let site = Site::new().await;
    let pages = ["a", "b", "c"];
    for p in pages {
        site.put(
            &format!("{p}.html"),
            format!(
                "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>お知らせ{p}</title></head><body>\
                 <main><h1>資格確認書のお知らせ {p}</h1><p>更新日：2025年7月16日</p><p>資格確認書の有効期限は令和8年7月31日です。</p></main></body></html>"
            ),
        );
    }
    site.put("stf/newpage_67729.html", corpus(MHLW_A));
    let mut sources = String::new();
    for p in pages {
        sources.push_str(&format!(
            "[[source]]\nid = \"{p}\"\nfamily = \"page\"\nurls = [\"{{base}}/{p}.html\"]\n\n"
        ));
    }
    sources.push_str("[[source]]\nid = \"mhlw\"\nfamily = \"page\"\nurls = [\"{base}/stf/newpage_67729.html\"]\n");
    let cfg = site.config(&sources);
    let baseline = site.run(&cfg).await;
    assert!(baseline.all_ok());
    let rows_before = site.query("select source_id, text_sha256 from notices order by source_id");
    assert_eq!(rows_before.len(), 4);

    let faults = [
        "kind = \"status\"\nstatus = 500",
        "kind = \"status\"\nstatus = 503",
        "kind = \"reset\"",
        "kind = \"truncate\"",
        "kind = \"empty\"",
        "kind = \"delay_ms\"\nms = 1500",
        "kind = \"status\"\nstatus = 404",
    ];
    let mut rng = Lcg(0x5eed);
    let paths = ["/a.html", "/b.html", "/c.html", "/stf/newpage_67729.html"];
    for round in 0..8 {
        let mut toml = String::new();
        for path in paths {
            if rng.next(3) > 0 {
                let f = faults[rng.next(faults.len() as u64) as usize];
                toml.push_str(&format!("[[fault]]\npath = \"{path}\"\n{f}\n\n"));
            }
        }
        site.faults(&toml);
        let summary = site.run(&cfg).await;
        for c in &summary.changes {
            assert!(
                matches!(
                    c.kind,
                    ChangeKind::SourceBroken | ChangeKind::SourceRecovered
                ),
                "round {round}: a fault produced a data change {c:?} with faults\n{toml}"
            );
        }
    }
    site.faults("");
    let healed = site.run(&cfg).await;
    assert!(healed.all_ok(), "{:?}", healed.outcomes);
    assert!(healed
        .changes
        .iter()
        .all(|c| c.kind == ChangeKind::SourceRecovered));
    let rows_after = site.query("select source_id, text_sha256 from notices order by source_id");
    assert_eq!(
        rows_after, rows_before,
        "every earlier row kept, nothing added"
    );
    let data_changes = site.query("select count(*) as n from changes where kind not in ('source_broken', 'source_recovered', 'added')");
    assert_eq!(data_changes[0]["n"], 0);
}
