//! Daily runs over the loopback Japan with a simulated clock: what a season of scheduled
//! runs does to the store. A day whose pages did not change costs one conditional request
//! per source and records nothing; a month's rewordings (about 2% of the notices) are
//! exactly the month's text changes; the store stays at one file per table per run, and
//! `compact` at each month's end leaves one file per month whose `*_current` answers are
//! the same as before it.
//!
//! The CI variant runs 30 days over 200 municipalities; `just bench-year` runs 365 days over
//! every municipality and prints the figures kept in docs/benchmarks.md.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use mynawatch::config::Config;
use mynawatch::run::{run, RunOptions};
use mynawatch_model::clock::FrozenClock;
use mynawatch_sim::japan::{generate, JapanOptions};
use mynawatch_sim::mirror::serve;
use mynawatch_store::Store;

struct Year {
    days: u32,
    sources: usize,
    text_changes: usize,
    reworded: usize,
    files_end: usize,
    slowest_unchanged_ms: u128,
    current_ms: u128,
}

fn current_answers(store: &Store) -> Vec<String> {
    ["notices_current", "figures_current"]
        .iter()
        .map(|v| {
            let mut df = store
                .query(&format!("select * from {v} order by source_id"))
                .unwrap();
            mynawatch_store::render(&mut df, mynawatch_store::OutputFormat::Csv).unwrap()
        })
        .collect()
}

async fn simulate(days: u32, limit: Option<usize>) -> Option<Year> {
    let list = mynawatch_testutil::corpus_dir()
        .join("municipal_list/localgovjp-utf8_20260709_cd94f841.csv");
    if !list.exists() {
        eprintln!("SKIPPED: the real municipal list is absent (set MYNAWATCH_CORPUS)");
        return None;
    }
    let issuers = mynawatch_discover::read_list(&list).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let japan = generate(
        &issuers,
        &tmp.path().join("japan"),
        &JapanOptions {
            seed: 20260709,
            limit,
        },
    )
    .unwrap();
    let mirror = serve(japan.root.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let data = tmp.path().join("data");
    let mut toml = format!(
        "[fetch]\nmin_interval_ms = 0\nglobal_concurrency = 32\nbackoff_base_ms = 10\nmax_attempts = 2\nresolve = {{ \"*\" = \"{}\" }}\n\n",
        mirror.addr
    );
    toml.push_str(&japan.notice_sources_toml());
    let pages: Vec<PathBuf> = japan
        .found_notices()
        .map(|(_, n)| japan.file_of(&n.url))
        .collect();
    let cfg = Config::parse(&toml, Path::new("year.toml")).unwrap();
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 3, 0, 0).unwrap();
    let clock = FrozenClock::at(start);
    let opts = RunOptions {
        clock: Some(clock.clone()),
        ..RunOptions::default()
    };
    let store = Store::open(&data).unwrap();
    let (mut text_changes, mut reworded, mut slowest_unchanged_ms) = (0, 0, 0);
    for day in 0..days {
        let today = start + Duration::days(day as i64);
        clock.set(today);
        // On the 15th, about 2% of the notices are reworded (ASCII, so every charset the
        // generator writes stays valid).
        let rewording = today.format("%d").to_string() == "15";
        if rewording {
            for (i, p) in pages.iter().enumerate() {
                if (i + day as usize) % 50 == 0 {
                    // A sentence added to the notice's last paragraph.
                    let html = std::fs::read(p).unwrap();
                    let at = html
                        .windows(4)
                        .rposition(|w| w == b"</p>")
                        .expect("a notice has paragraphs");
                    let mut new = html[..at].to_vec();
                    new.extend_from_slice(format!(" (Updated {}.)", today.date_naive()).as_bytes());
                    new.extend_from_slice(&html[at..]);
                    std::fs::write(p, new).unwrap();
                    reworded += 1;
                }
            }
        }
        let t = Instant::now();
        let summary = run(&cfg, &data, &opts)
            .await
            .expect("the day's run completes");
        let took = t.elapsed().as_millis();
        assert!(summary.all_ok(), "day {day}: {:?}", summary.run.status);
        let texts = summary
            .changes
            .iter()
            .filter(|c| c.kind == mynawatch_model::ChangeKind::NoticeTextChanged)
            .count();
        text_changes += texts;
        if day > 0 && !rewording {
            assert!(
                summary.changes.is_empty(),
                "day {day}: an unchanged day records nothing"
            );
            slowest_unchanged_ms = slowest_unchanged_ms.max(took);
            let run_id = summary.run.run_id.clone();
            let fetched = store
                .query(&format!(
                    "select count(*) as n from fetches where run_id = '{run_id}' and outcome = 'not_modified'"
                ))
                .unwrap();
            let n: u32 = fetched
                .column("n")
                .unwrap()
                .get(0)
                .unwrap()
                .try_extract()
                .unwrap();
            assert_eq!(n as usize, pages.len(), "day {day}: one 304 per source");
        }
        // The month's end: compact, and nothing a reader sees changes.
        let tomorrow = today + Duration::days(1);
        if tomorrow.format("%d").to_string() == "01" || day + 1 == days {
            let before = current_answers(&store);
            store.compact().unwrap();
            assert_eq!(
                current_answers(&store),
                before,
                "day {day}: compaction changed an answer"
            );
        }
    }
    let files_end: usize = mynawatch_store::TABLES
        .iter()
        .map(|t| store.files(t).unwrap().len())
        .sum();
    let t = Instant::now();
    store.query("select count(*) from notices_current").unwrap();
    let current_ms = t.elapsed().as_millis();
    Some(Year {
        days,
        sources: pages.len(),
        text_changes,
        reworded,
        files_end,
        slowest_unchanged_ms,
        current_ms,
    })
}

fn report(y: &Year) {
    println!(
        "year: {} days × {} sources: {} pages reworded → {} notice text changes; {} Parquet files at the end; slowest unchanged day {} ms; notices_current {} ms",
        y.days, y.sources, y.reworded, y.text_changes, y.files_end, y.slowest_unchanged_ms, y.current_ms
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn thirty_daily_runs_over_200_municipalities_keep_the_store_small_and_the_answers_stable() {
    let Some(y) = simulate(30, Some(200)).await else {
        return;
    };
    report(&y);
    assert_eq!(
        y.text_changes, y.reworded,
        "every rewording is one text change"
    );
    assert!(y.reworded > 0);
    // 30 days in January, compacted at its end: one file per table in use.
    assert!(
        y.files_end <= mynawatch_store::TABLES.len(),
        "{} files after a compacted month",
        y.files_end
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: 365 daily runs over every municipality (just bench-year)"]
async fn a_year_of_daily_runs_over_every_municipality() {
    let Some(y) = simulate(365, None).await else {
        return;
    };
    report(&y);
    assert_eq!(y.text_changes, y.reworded);
    assert!(y.files_end <= 12 * mynawatch_store::TABLES.len());
}
