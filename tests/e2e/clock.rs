//! A run reads time from the clock it is given, never the system's: with the clock frozen
//! at a day in July 2026, the run id, every fetch's `fetched_at`, the run's start and end
//! and every change's `detected_at` are that time, and what is "current" or "since a day"
//! follows the frozen days, whatever the machine's date.

use chrono::{TimeZone, Utc};
use mynawatch::run::{run, RunOptions};
use mynawatch_model::clock::FrozenClock;

use super::Site;

const PAGE_V1: &str = "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>資格確認書の送付｜テスト市</title></head>\
<body><main><h1>資格確認書の送付</h1><p>国民健康保険の加入者全員に資格確認書を送付します。有効期限は令和8年7月31日です。</p></main></body></html>";
const PAGE_V2: &str = "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>資格確認書の送付｜テスト市</title></head>\
<body><main><h1>資格確認書の送付</h1><p>マイナ保険証をお持ちでない方に資格確認書を送付します。有効期限は令和9年7月31日です。</p></main></body></html>";

#[tokio::test(flavor = "multi_thread")]
async fn a_frozen_clock_dates_the_run_its_fetches_and_changes_and_decides_what_is_current() {
    let site = Site::new().await;
    site.put("notice.html", PAGE_V1);
    let cfg = site.config(
        "[[source]]\nid = \"city\"\nfamily = \"municipal_notice\"\nurls = [\"{base}/notice.html\"]\n[source.options]\narea = \"東京都渋谷区\"\n",
    );
    let july15 = Utc.with_ymd_and_hms(2026, 7, 15, 3, 0, 0).unwrap();
    let clock = FrozenClock::at(july15);
    let opts = RunOptions {
        clock: Some(clock.clone()),
        ..RunOptions::default()
    };
    let first = run(&cfg, &site.data, &opts).await.unwrap();
    assert!(first.all_ok());
    assert!(
        first.run.run_id.starts_with("20260715T030000"),
        "{}",
        first.run.run_id
    );

    clock.set(Utc.with_ymd_and_hms(2026, 7, 16, 3, 0, 0).unwrap());
    site.put("notice.html", PAGE_V2);
    let second = run(&cfg, &site.data, &opts).await.unwrap();
    assert!(
        second.run.run_id.starts_with("20260716T030000"),
        "{}",
        second.run.run_id
    );

    let fetched = site
        .query("select distinct cast(fetched_at as varchar) as t, run_id from fetches order by t");
    assert_eq!(fetched.len(), 2, "{fetched:?}");
    assert!(
        fetched[0]["t"]
            .as_str()
            .unwrap()
            .starts_with("2026-07-15 03:00:00"),
        "{fetched:?}"
    );
    assert!(
        fetched[1]["t"]
            .as_str()
            .unwrap()
            .starts_with("2026-07-16 03:00:00"),
        "{fetched:?}"
    );
    let runs = site.query("select cast(started_at as varchar) as s, cast(finished_at as varchar) as f from runs order by s");
    assert!(
        runs.iter().all(|r| r["s"] == r["f"]),
        "the clock stood still: {runs:?}"
    );

    // What is current, and what changed since a day, follow the frozen days.
    let current = site.query(
        "select issuance_policy, cast(valid_until as varchar) as vu, run_id from notices_current",
    );
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["run_id"], second.run.run_id.as_str());
    assert_eq!(current[0]["vu"], "2027-07-31");
    let since = mynawatch::commands::changes(
        &site.data,
        Some("2026-07-16"),
        mynawatch::args::Format::Json,
    )
    .unwrap();
    let since: Vec<serde_json::Value> = since
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!since.is_empty());
    assert!(
        since
            .iter()
            .all(|c| c["run_id"] == second.run.run_id.as_str()
                && c["detected_at"]
                    .as_str()
                    .unwrap()
                    .starts_with("2026-07-16 03:00:00")),
        "{since:?}"
    );
}
