//! Alerts and change views people can read, on the demo's data: run 2's digest is a
//! screenful (the MIC release and the dashboard months one line each, Shibuya's notice in
//! full) while the JSON-lines sink keeps every change; `mynawatch changes` fits a
//! 100-column terminal; the Atom feeds parse with a real feed parser, link each entry to
//! its page and stored snapshot, and keep their entry ids when written again.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use axum::{routing::post, Router};
use mynawatch::args::Format;
use mynawatch::commands::{change_rows, change_summary, ChangeFilter};

/// A webhook receiver on loopback recording each POST's JSON body.
async fn receiver() -> (u16, Arc<Mutex<Vec<serde_json::Value>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let state = got.clone();
    let app = Router::new().route(
        "/hook",
        post(move |body: String| {
            let state = state.clone();
            async move {
                state
                    .lock()
                    .unwrap()
                    .push(serde_json::from_str(&body).unwrap_or_default());
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, got)
}

fn width(s: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    s.width()
}

fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

async fn demo(extra: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo-data");
    mynawatch::demo::demo_with(Some(data.clone()), &mynawatch_testutil::corpus_dir(), extra)
        .await
        .expect("demo runs");
    (tmp, data)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_digest_and_changes_summary_fit_a_screen_and_the_jsonl_sink_keeps_every_change() {
    let (port, got) = receiver().await;
    let hook = format!(
        "\n[alerts.sinks.hook]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:{port}/hook\"\nmax_attempts = 1\n\n\
         [[alerts.routes]]\nname = \"team\"\nsinks = [\"hook\"]\n"
    );
    let (_tmp, data) = demo(&hook).await;
    let runs: Vec<String> = json_lines(
        &mynawatch::commands::query(
            &data,
            "select run_id from runs order by run_id",
            Format::Json,
        )
        .unwrap(),
    )
    .iter()
    .map(|r| r["run_id"].as_str().unwrap().to_string())
    .collect();
    assert_eq!(runs.len(), 2);
    let got = got.lock().unwrap().clone();
    let of_run = |run: &str| -> Vec<&serde_json::Value> {
        got.iter().filter(|b| b["run_id"] == run).collect()
    };
    let second = of_run(&runs[1]);
    assert_eq!(second.len(), 1, "one message for run 2: {second:#?}");
    let text = second[0]["text"].as_str().unwrap();
    assert!(
        text.lines().count() <= 30,
        "{} lines:\n{text}",
        text.lines().count()
    );
    let line = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in\n{text}"))
    };
    // The release: one line with the count, areas × metrics.
    assert!(line("mic_localgovs_latest").contains("1,741 areas × 3 metrics added (5,223 figures)"));
    assert_eq!(text.matches("mic_localgovs_latest").count(), 1);
    // The dashboard's new month: one line, the national values old → new.
    assert!(
        line("da_dashboard 2025-04-30").contains("national card.holdings 97,722,937 → 97,985,287")
    );
    // Shibuya's notice in full: the reworded text and each date change.
    assert!(
        line("text changed").contains("«渋谷区国民健康保険に加入している方に、令和8年8月1日から")
    );
    assert!(line("valid_until").contains("2026-07-31 → 2027-07-31"));
    // The first run: one baseline line per source, not 10,797 items.
    let first = of_run(&runs[0]);
    let first_text = first[0]["text"].as_str().unwrap();
    assert!(first_text.lines().count() <= 20, "{first_text}");

    // The JSON-lines sink still has every change of run 2, one line each.
    let jsonl: Vec<serde_json::Value> =
        json_lines(&std::fs::read_to_string(data.join("alerts.jsonl")).unwrap());
    let changes_2 = json_lines(
        &change_rows(
            &data,
            &ChangeFilter {
                since: Some(runs[1].clone()),
                ..ChangeFilter::default()
            },
            Format::Json,
        )
        .unwrap(),
    );
    assert_eq!(
        changes_2.len(),
        5235,
        "the demo's run 2 has 5,235 change rows"
    );
    assert_eq!(
        jsonl
            .iter()
            .filter(|l| l["run_id"] == runs[1].as_str())
            .count(),
        changes_2.len()
    );

    // `mynawatch changes`: the summary, newest run first, within 60 lines of 100 columns.
    let summary = change_summary(&data, &ChangeFilter::default()).unwrap();
    assert!(summary.lines().count() <= 60, "{summary}");
    for l in summary.lines() {
        assert!(width(l) <= 100, "{} columns: {l}", width(l));
    }
    assert!(
        summary.lines().next().unwrap().contains(&runs[1]),
        "newest run first:\n{summary}"
    );
    assert!(
        summary.contains("mic_localgovs_latest: baseline: 5,223 figures"),
        "{summary}"
    );
    // `--rows --format json`: today's rows, every one of them.
    let rows = json_lines(&mynawatch::commands::changes(&data, None, Format::Json).unwrap());
    let count = json_lines(
        &mynawatch::commands::query(&data, "select count(*) as n from changes", Format::Json)
            .unwrap(),
    )[0]["n"]
        .as_u64()
        .unwrap();
    assert_eq!(rows.len() as u64, count);
    assert!(rows[0].get("summary").is_some() && rows[0].get("entity_key").is_some());

    // Filters: one area, one kind, one source.
    let shibuya = change_summary(
        &data,
        &ChangeFilter {
            area: Some("131130".into()),
            ..ChangeFilter::default()
        },
    )
    .unwrap();
    assert!(
        shibuya.contains("渋谷区") && !shibuya.contains("豊島区"),
        "{shibuya}"
    );
    let rewritten = json_lines(
        &change_rows(
            &data,
            &ChangeFilter {
                kind: Some("notice_text_changed".into()),
                ..ChangeFilter::default()
            },
            Format::Json,
        )
        .unwrap(),
    );
    assert_eq!(rewritten.len(), 1);
    assert_eq!(rewritten[0]["source_id"], "shibuya_shikakukakuninsho");
    let only_da = change_summary(
        &data,
        &ChangeFilter {
            source: Some("da_dashboard".into()),
            ..ChangeFilter::default()
        },
    )
    .unwrap();
    assert!(
        !only_da.contains("mic_") && only_da.contains("da_dashboard"),
        "{only_da}"
    );
    assert!(change_rows(
        &data,
        &ChangeFilter {
            kind: Some("exploded".into()),
            ..ChangeFilter::default()
        },
        Format::Json
    )
    .is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_feeds_parse_link_to_the_notice_and_its_snapshot_and_keep_their_ids() {
    let (tmp, data) = demo("").await;
    let out = tmp.path().join("F");
    let report = mynawatch::feed::write_feeds(&data, &out, 100).unwrap();
    assert!(report.files.iter().any(|f| f.ends_with("all.atom")));
    let parse = |name: &str| {
        let bytes = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{name} parses: {e}"))
    };
    let all = parse("all.atom");
    assert!(!all.entries.is_empty() && all.entries.len() <= 100);
    let ids = |f: &feed_rs::model::Feed| -> BTreeSet<String> {
        f.entries.iter().map(|e| e.id.clone()).collect()
    };
    assert_eq!(ids(&all).len(), all.entries.len(), "entry ids are unique");
    // The release is one entry of all.atom, not 5,223.
    let release: Vec<_> = all
        .entries
        .iter()
        .filter(|e| {
            e.title
                .as_ref()
                .is_some_and(|t| t.content.contains("mic_localgovs_latest"))
        })
        .collect();
    assert_eq!(release.len(), 2, "baseline and release, one entry each");

    let shibuya = parse("131130.atom");
    assert!(shibuya
        .title
        .as_ref()
        .unwrap()
        .content
        .contains("東京都渋谷区"));
    let notice = shibuya
        .entries
        .iter()
        .find(|e| {
            e.links
                .iter()
                .any(|l| l.href.ends_with("shikakukakuninsyo.html"))
                && e.title
                    .as_ref()
                    .is_some_and(|t| t.content.contains("valid_until"))
        })
        .expect("an entry for Shibuya's notice change");
    let title = &notice.title.as_ref().unwrap().content;
    assert!(
        title.contains("東京都渋谷区") && title.contains("mailing_start"),
        "{title}"
    );
    let body = notice
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap();
    assert!(
        body.contains("valid_until 2026-07-31 → 2027-07-31"),
        "{body}"
    );
    assert!(
        body.contains("«渋谷区国民健康保険に加入している方に、令和8年8月1日から"),
        "{body}"
    );
    let snapshot = notice
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("related"))
        .expect("a link to the stored snapshot");
    let path = snapshot.href.strip_prefix("file://").unwrap();
    assert!(std::path::Path::new(path).exists(), "{path}");
    assert!(std::fs::read_to_string(path)
        .unwrap()
        .contains("令和8年8月1日"));
    // The family feed of municipal notices has it too.
    let notices = parse("municipal_notice.atom");
    assert!(notices.entries.iter().any(|e| e.id == notice.id));

    // Written again: the same ids, the same bytes.
    let before = std::fs::read(out.join("131130.atom")).unwrap();
    mynawatch::feed::write_feeds(&data, &out, 100).unwrap();
    assert_eq!(ids(&parse("all.atom")), ids(&all));
    assert_eq!(ids(&parse("131130.atom")), ids(&shibuya));
    assert_eq!(std::fs::read(out.join("131130.atom")).unwrap(), before);
    // The demo writes the feeds itself after each run ([feed] dir = "feeds").
    assert!(data.join("feeds/all.atom").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fetch_error_names_the_url_once_with_its_cause_and_the_tries() {
    let site = super::Site::new().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/gone.html");
    let cfg = site.config(&format!(
        "[[source]]\nid = \"gone\"\nfamily = \"page\"\nurls = [\"{url}\"]\n"
    ));
    let s = site.run(&cfg).await;
    let broken = s
        .changes
        .iter()
        .find(|c| c.kind == mynawatch_model::ChangeKind::SourceBroken)
        .expect("a source_broken change");
    let summary = &broken.summary;
    assert_eq!(summary.matches(&url).count(), 1, "{summary}");
    assert!(
        summary.to_lowercase().contains("connection refused"),
        "{summary}"
    );
    assert!(summary.contains("after 2 tries"), "{summary}");
    match &s.outcomes["gone"] {
        mynawatch::run::SourceOutcome::FetchFailed(e) => {
            let cause = e.cause();
            assert!(
                !cause.contains(&url),
                "the cause does not repeat the URL: {cause}"
            )
        }
        other => panic!("{other:?}"),
    }
}
