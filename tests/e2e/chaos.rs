//! 100 runs against the mirror with random faults from its whole catalogue and random
//! real content edits whose changes are known in advance, alerts going to a real
//! loopback webhook that itself fails now and then. What must hold: no change row that
//! is not an expected one, every expected change recorded exactly once (when its source
//! is next fetched), and every alert digest delivered exactly once.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use axum::{http::HeaderMap, http::StatusCode, routing::post, Router};
use mynawatch_model::ChangeKind;

use super::{Lcg, Site};

/// (idempotency key, the digest's items) of each accepted POST.
type Accepted = Vec<(String, Vec<serde_json::Value>)>;

#[derive(Clone, Default)]
struct Hook {
    /// The digests accepted (a 200 answer).
    accepted: Arc<Mutex<Accepted>>,
    /// Answer 500 to the next request when set (then clear it).
    fail_next: Arc<Mutex<bool>>,
}

async fn hook() -> (u16, Hook) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let h = Hook::default();
    let state = h.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: String| {
            let state = state.clone();
            async move {
                if std::mem::take(&mut *state.fail_next.lock().unwrap()) {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                let key = headers
                    .get("idempotency-key")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                let json: serde_json::Value = serde_json::from_str(&body).unwrap();
                let items = json["items"].as_array().cloned().unwrap_or_default();
                state.accepted.lock().unwrap().push((key, items));
                StatusCode::OK
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, h)
}

const PAGES: [&str; 3] = ["a", "b", "c"];
const PREFS: [&str; 5] = ["北海道", "青森県", "岩手県", "宮城県", "秋田県"];

fn page(p: &str, version: u32) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>お知らせ{p}</title></head><body>\
         <main><h1>資格確認書のお知らせ {p}</h1><p>資格確認書は第{version}版の案内に沿ってお送りします。</p></main></body></html>"
    )
}

fn table(values: &[u64]) -> String {
    let mut csv = "都道府県名,人口【R7.1.1時点】\n".to_string();
    for (p, v) in PREFS.iter().zip(values) {
        csv.push_str(&format!("{p},\"{v}\"\n"));
    }
    csv
}

const FAULTS: [&str; 11] = [
    "kind = \"status\"\nstatus = 500",
    "kind = \"status\"\nstatus = 404",
    "kind = \"retry_after\"\nretry_after = \"0\"",
    "kind = \"delay_ms\"\nms = 1200",
    "kind = \"truncate\"",
    "kind = \"reset\"",
    "kind = \"redirect_loop\"",
    "kind = \"charset\"\ncharset = \"Shift_JIS\"",
    "kind = \"oversize\"\nbytes = 3000000",
    "kind = \"empty\"",
    "kind = \"status\"\nstatus = 503",
];

#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_runs_with_random_faults_and_edits_record_exactly_the_expected_changes() {
    let site = Site::new().await;
    let (port, hook) = hook().await;
    let mut versions: BTreeMap<&str, u32> = PAGES.iter().map(|p| (*p, 1)).collect();
    for p in PAGES {
        site.put(&format!("{p}.html"), page(p, 1));
    }
    let mut values = vec![1_000_000u64, 2_000_000, 3_000_000, 4_000_000, 5_000_000];
    site.put("t.csv", table(&values));
    let mut sources = format!(
        "[fetch]\nmax_body_bytes = 1000000\n\n[alerts]\nlanguage = \"en\"\n[alerts.sinks.hook]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:{port}/hook\"\nmax_attempts = 1\n[[alerts.routes]]\nname = \"all\"\nsinks = [\"hook\"]\n\n"
    );
    for p in PAGES {
        sources.push_str(&format!(
            "[[source]]\nid = \"{p}\"\nfamily = \"page\"\nurls = [\"{{base}}/{p}.html\"]\n\n"
        ));
    }
    sources.push_str("[[source]]\nid = \"t\"\nfamily = \"table\"\nurls = [\"{base}/t.csv\"]\n[source.options]\ndate = { from_header = true }\n[[source.options.metrics]]\nheaders = [\"人口\"]\nmetric = \"population\"\nunit = \"persons\"\n");
    let mut cfg = mynawatch::config::Config::parse(
        &sources.replace("{base}", &site.base()),
        std::path::Path::new("chaos.toml"),
    )
    .expect("chaos config parses");
    cfg.fetch.min_interval_ms = 0;
    cfg.fetch.per_host_concurrency = 4;
    cfg.fetch.backoff_base_ms = 10;
    cfg.fetch.max_attempts = 2;
    cfg.fetch.read_timeout_ms = 700;
    cfg.fetch.connect_timeout_ms = 1000;
    let first = site.run(&cfg).await;
    assert!(first.all_ok(), "{:?}", first.outcomes);

    let mut rng = Lcg(0xC4A05);
    // Edits made but not yet seen by a successful fetch of their source.
    let mut pending: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut data_changes_seen = 0usize;
    let paths = ["/a.html", "/b.html", "/c.html", "/t.csv"];
    for round in 0..100 {
        // Random real edits: a page gets a new version, or one cell of the table moves.
        if rng.next(3) == 0 {
            let p = PAGES[rng.next(3) as usize];
            let v = versions.get_mut(p).unwrap();
            *v += 1;
            site.put(&format!("{p}.html"), page(p, *v));
            pending
                .entry(p.to_string())
                .or_default()
                .insert("notice".into());
        }
        if rng.next(4) == 0 {
            let i = rng.next(PREFS.len() as u64) as usize;
            values[i] += 1 + rng.next(1000);
            site.put("t.csv", table(&values));
            pending
                .entry("t".into())
                .or_default()
                .insert(PREFS[i].to_string());
        }
        let mut toml = String::new();
        for path in paths {
            if rng.next(4) == 0 {
                let f = FAULTS[rng.next(FAULTS.len() as u64) as usize];
                toml.push_str(&format!("[[fault]]\npath = \"{path}\"\n{f}\n\n"));
            }
        }
        site.faults(&toml);
        *hook.fail_next.lock().unwrap() = rng.next(5) == 0;
        let s = site.run(&cfg).await;

        let mut by_source: BTreeMap<String, Vec<&mynawatch_model::Change>> = BTreeMap::new();
        for c in s.changes.iter().filter(|c| {
            !matches!(
                c.kind,
                ChangeKind::SourceBroken | ChangeKind::SourceRecovered
            )
        }) {
            by_source.entry(c.source_id.clone()).or_default().push(c);
        }
        for (id, outcome) in &s.outcomes {
            let ok = matches!(outcome, mynawatch::run::SourceOutcome::Extracted { .. });
            let got = by_source.remove(id).unwrap_or_default();
            let expected = if ok { pending.remove(id) } else { None };
            match expected {
                None => assert!(
                    got.is_empty(),
                    "round {round}: {id} ({outcome:?}) recorded changes nobody made: {got:#?}\nfaults:\n{toml}"
                ),
                Some(edits) if id == "t" => {
                    let rows: BTreeSet<String> = got
                        .iter()
                        .map(|c| {
                            assert!(
                                matches!(c.kind, ChangeKind::Revised | ChangeKind::Modified),
                                "round {round}: {c:?}"
                            );
                            PREFS
                                .iter()
                                .find(|p| c.summary.contains(*p))
                                .map(|p| p.to_string())
                                .unwrap_or_default()
                        })
                        .collect();
                    assert_eq!(rows, edits, "round {round}: {got:#?}");
                    assert_eq!(got.len(), edits.len(), "round {round}: once each: {got:#?}");
                }
                Some(_) => {
                    let text = got
                        .iter()
                        .filter(|c| c.kind == ChangeKind::NoticeTextChanged)
                        .count();
                    assert_eq!(text, 1, "round {round}: {id}: {got:#?}");
                }
            }
            data_changes_seen += s
                .changes
                .iter()
                .filter(|c| &c.source_id == id)
                .filter(|c| {
                    !matches!(
                        c.kind,
                        ChangeKind::SourceBroken | ChangeKind::SourceRecovered
                    )
                })
                .count();
        }
    }
    // A clean run lets every source catch up, and the outbox drains.
    site.faults("");
    *hook.fail_next.lock().unwrap() = false;
    let last = site.run(&cfg).await;
    assert!(last.all_ok(), "{:?}", last.outcomes);
    for (id, _) in std::mem::take(&mut pending) {
        assert!(
            last.changes.iter().any(|c| c.source_id == id),
            "the edit of {id} is recorded once its source is fetched"
        );
    }
    data_changes_seen += last
        .changes
        .iter()
        .filter(|c| {
            !matches!(
                c.kind,
                ChangeKind::SourceBroken | ChangeKind::SourceRecovered
            )
        })
        .count();
    let drain = site.run(&cfg).await;
    assert!(drain.changes.is_empty());

    let accepted = hook.accepted.lock().unwrap().clone();
    let keys: Vec<&String> = accepted.iter().map(|(k, _)| k).collect();
    let unique: BTreeSet<&String> = keys.iter().copied().collect();
    assert_eq!(
        unique.len(),
        keys.len(),
        "a digest was delivered twice: {keys:?}"
    );
    let outbox = site.data.join("state/outbox");
    let left: Vec<_> = std::fs::read_dir(&outbox)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "undelivered digests left: {left:?}");
    // Every data change after the baseline reached the receiver exactly once.
    let delivered_data: usize = accepted
        .iter()
        .flat_map(|(_, items)| items)
        .filter(|i| {
            !matches!(
                i["kind"].as_str(),
                Some("source_broken" | "source_recovered")
            ) && i["field"] != "baseline"
        })
        .count();
    assert_eq!(delivered_data, data_changes_seen);
}
