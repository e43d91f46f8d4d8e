//! Daily runs over the loopback Japan with a simulated clock: what a year of scheduled runs
//! does to the store, with the changes a real year brings.
//!
//! Every month, on fixed days:
//! - the 1st: the national sources publish (a new MIC release of every municipality's card
//!   counts, a month more on the Digital Agency dashboard, a month more on the MHLW usage
//!   page): changes come from those sources only;
//! - the 5th: 1% of the municipal sites die (the host answers no more), the 8th they come
//!   back: one `source_broken` per source, nothing on the days between, one
//!   `source_recovered` each on return;
//! - the 10th: 0.5% of the sites move to a new host and answer `301` from the old one:
//!   nothing is recorded;
//! - the 15th: about 2% of the notices are reworded: exactly that many text changes;
//! - the 20th: markup churn on 2% of the notices (classes on headings and paragraphs, the
//!   text untouched): nothing is recorded;
//! - July 10th: the new cycle, every notice's years move on by one: one text change and
//!   changed validity fields per notice.
//!
//! Any other day costs one conditional request per source and records nothing. At each
//! month's end `compact` runs, and every `*_current` view answers the same as before it.
//!
//! The CI variant runs January (30 days) over 200 municipalities, which holds every event but
//! the July cycle; `just bench-year` runs 365 days over every municipality and prints, per
//! month, the figures kept in docs/benchmarks.md.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use mynawatch::args::Format;
use mynawatch::config::Config;
use mynawatch::run::{peak_rss_mib, run, RunOptions};
use mynawatch_model::clock::FrozenClock;
use mynawatch_model::display::group_thousands;
use mynawatch_model::ChangeKind;
use mynawatch_sim::mirror::serve;
use mynawatch_store::Store;

/// The national sources and where their files live on the loopback web.
const SOUMU: &str = "www.soumu.go.jp";
const MIC_PATH: &str = "main_content/mynumbercard_all_localgovs.csv";
const DIGITAL: &str = "www.digital.go.jp";
const DASHBOARD_PATH: &str = "resources/govdashboard/mynumber_penetration_rate_table_01.csv";
const MHLW: &str = "www.mhlw.go.jp";
const USAGE_PATH: &str = "stf/myna_riyou_jokyo.html";
const NATIONAL: [&str; 3] = ["mic_localgovs_latest", "da_dashboard", "mhlw_usage"];

/// Politeness on loopback: shortened from the real sites' seconds, so a simulated year
/// takes minutes, and kept so an unchanged run can be compared with its bound.
const INTERVAL_MS: u64 = 20;
const AT_ONCE: usize = 32;

/// Twelve consecutive real MIC releases (2022; April's is not in the corpus), one a month.
const MIC_RELEASES: [&str; 12] = [
    "20220101", "20220201", "20220301", "20220501", "20220601", "20220630", "20220731", "20220831",
    "20220930", "20221031", "20221130", "20221231",
];

/// What a month of runs cost and left behind.
#[derive(Debug, Default, Clone)]
struct Month {
    runs: u32,
    slowest_unchanged_ms: u128,
    requests_unchanged: usize,
    /// The politeness bound of the slowest unchanged run's requests.
    bound_ms: u128,
    peak_rss_mib: u64,
    changes: usize,
    files: usize,
    store_mib: f64,
    notices_current_ms: u128,
    figures_current_ms: u128,
    changes_since_ms: u128,
    report_ms: u128,
}

struct Year {
    days: u32,
    /// `reextract` of every source at the year's end: documents' wall time and peak RSS.
    reextract_ms: u128,
    reextract_rss_mib: u64,
    sources: usize,
    text_changes: usize,
    reworded: usize,
    months: BTreeMap<u32, Month>,
    files_end: usize,
}

/// The loopback web as the year changes it: which folder serves each host.
struct Web {
    vhosts: PathBuf,
    /// Host → the folder it is served from now (a moved site's new host).
    now: HashMap<String, String>,
}

impl Web {
    fn file(&self, japan: &mynawatch_sim::japan::Japan, url: &str) -> PathBuf {
        let u = url::Url::parse(url).expect("a generated URL");
        let host = u.host_str().expect("a host");
        japan.file_in(self.now.get(host).map_or(host, String::as_str), url)
    }

    fn put(&self, host: &str, path: &str, bytes: &[u8]) {
        let f = self.vhosts.join(host).join(path);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, bytes).unwrap();
    }

    /// The site stops answering (its host has no folder: `421`).
    fn kill(&self, host: &str) {
        let folder = &self.now[host];
        std::fs::rename(
            self.vhosts.join(folder),
            self.vhosts.join(format!("{folder}.dead")),
        )
        .unwrap();
    }

    fn revive(&self, host: &str) {
        let folder = &self.now[host];
        std::fs::rename(
            self.vhosts.join(format!("{folder}.dead")),
            self.vhosts.join(folder),
        )
        .unwrap();
    }

    /// The site moves to a new host; the old one answers `301` to the same path there.
    fn relocate(&mut self, host: &str) {
        let new = format!("new-{host}");
        std::fs::rename(self.vhosts.join(host), self.vhosts.join(&new)).unwrap();
        std::fs::create_dir_all(self.vhosts.join(host)).unwrap();
        std::fs::write(
            self.vhosts.join(host).join("_moved"),
            format!("http://{new}\n"),
        )
        .unwrap();
        self.now.insert(host.to_string(), new);
    }
}

/// `bytes` with every `from` replaced by `to`; `None` when `from` is absent.
fn replaced(bytes: &[u8], from: &[u8], to: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut rest = bytes;
    let mut found = false;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
        found = true;
    }
    out.extend_from_slice(rest);
    found.then_some(out)
}

/// The new cycle: every 令和N年 on the page becomes 令和N+1年, in whatever charset the page is
/// written in (the generator writes UTF-8, Shift_JIS and EUC-JP sites).
fn next_cycle(bytes: &[u8]) -> Option<Vec<u8>> {
    for enc in [
        encoding_rs::UTF_8,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
    ] {
        let era = |y: u32| enc.encode(&format!("令和{y}年")).0.into_owned();
        if !bytes.windows(era(7).len()).any(|w| w == era(7).as_slice()) {
            continue;
        }
        let mut out = bytes.to_vec();
        for y in (6..=9).rev() {
            if let Some(next) = replaced(&out, &era(y), &era(y + 1)) {
                out = next;
            }
        }
        return Some(out);
    }
    None
}

/// The national files as published in `month` (1–12) of the simulated year.
fn publish_national(web: &Web, month: u32) {
    let corpus = mynawatch_testutil::corpus_dir();
    let mic = std::fs::read(corpus.join(format!(
        "figures/mic_cfj_history/{}_all_localgovs.csv",
        MIC_RELEASES[month as usize - 1]
    )))
    .unwrap();
    web.put(SOUMU, MIC_PATH, &mic);
    // The dashboard: the demo's series, one more month a month (holdings and registrations
    // growing by about 0.3 points).
    let mut csv = String::from_utf8(mynawatch_testutil::fixture_bytes(
        "demo/da_dashboard_v2.csv",
    ))
    .unwrap();
    for m in 1..=month {
        let label = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap() + chrono::Months::new(m);
        let held = 97_985_287 + 250_000 * u64::from(m);
        let registered = 83_011_764 + 400_000 * u64::from(m);
        csv.push_str(&format!(
            "{},,,\"{}\",{:.1}%,,,,\"{}\",{:.1}%\n",
            label.format("%b-%y"),
            group_thousands(held as i64),
            78.5 + 0.2 * f64::from(m),
            group_thousands(registered as i64),
            registered as f64 * 100.0 / held as f64,
        ));
    }
    web.put(DIGITAL, DASHBOARD_PATH, csv.as_bytes());
    // The MHLW page: one more month's usage rate a month.
    let page =
        String::from_utf8(mynawatch_testutil::fixture_bytes("demo/mhlw_usage_v2.html")).unwrap();
    let extra: String = (1..=month)
        .map(|m| {
            let d = NaiveDate::from_ymd_opt(2024, 11, 1).unwrap() + chrono::Months::new(m);
            format!(
                "<li>令和{}年{}月の利用率：{:.2}％</li>\n",
                d.year() - 2018,
                d.month(),
                18.52 + 1.1 * f64::from(m)
            )
        })
        .collect();
    // At the end of the list of monthly rates (the page's first lists are navigation).
    let list_end = page
        .rfind("の利用率")
        .map_or(0, |at| at + page[at..].find("</ul>").unwrap());
    let page = format!("{}{extra}{}", &page[..list_end], &page[list_end..]);
    web.put(MHLW, USAGE_PATH, page.as_bytes());
}

/// The national `[[source]]` blocks of the demo's config, pointed at the loopback hosts.
fn national_sources_toml() -> String {
    let demo = include_str!("../../config/demo.toml");
    demo.split("\n[[source]]\n")
        .skip(1)
        .filter(|b| NATIONAL.iter().any(|id| b.starts_with(&format!("id = \"{id}\""))))
        .map(|b| {
            let b = b
                .replace(
                    "http://127.0.0.1:8088/soumu/main_content/mynumbercard_all_localgovs.csv",
                    &format!("http://{SOUMU}/{MIC_PATH}"),
                )
                .replace(
                    "http://127.0.0.1:8088/digital/resources/govdashboard/mynumber_penetration_rate_table_01.csv",
                    &format!("http://{DIGITAL}/{DASHBOARD_PATH}"),
                )
                .replace(
                    "http://127.0.0.1:8088/mhlw/stf/myna_riyou_jokyo.html",
                    &format!("http://{MHLW}/{USAGE_PATH}"),
                );
            assert!(!b.contains("127.0.0.1"), "a national source left unmapped: {b}");
            format!("[[source]]\n{b}\n")
        })
        .collect()
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

/// Start measuring the peak anew (`5` to `clear_refs` resets `VmHWM`, which
/// [`peak_rss_mib`] reads).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_bytes(&e.path()),
            _ => e.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}

fn ms(t: Instant) -> u128 {
    t.elapsed().as_millis()
}

/// Hosts picked for an event: a stable `1/per` of them, different each month and event.
fn pick(hosts: &[String], per: usize, month: u32, salt: usize) -> Vec<String> {
    hosts
        .iter()
        .enumerate()
        .filter(|(i, _)| (i + month as usize * 7 + salt) % per == 0)
        .map(|(_, h)| h.clone())
        .collect()
}

async fn simulate(days: u32, limit: Option<usize>) -> Option<Year> {
    let tmp = tempfile::tempdir().unwrap();
    let japan = super::generated_japan(&tmp.path().join("japan"), limit)?;
    let mut web = Web {
        vhosts: japan.root.join("_vhosts"),
        now: HashMap::new(),
    };
    let notices: Vec<(String, String)> = japan
        .found_notices()
        .map(|(site, n)| {
            (
                format!("municipal_{}_{}", site.code, n.scheme),
                n.url.clone(),
            )
        })
        .collect();
    let host_of = |url: &str| {
        url::Url::parse(url)
            .unwrap()
            .host_str()
            .unwrap()
            .to_string()
    };
    let hosts: Vec<String> = notices
        .iter()
        .map(|(_, u)| host_of(u))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for h in &hosts {
        web.now.insert(h.clone(), h.clone());
    }
    let sources_on = |picked: &[String]| {
        notices
            .iter()
            .filter(|(_, u)| picked.contains(&host_of(u)))
            .count()
    };
    let mirror = serve(japan.root.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let data = tmp.path().join("data");
    let mut toml = super::loopback_fetch(mirror.addr, INTERVAL_MS, AT_ONCE);
    toml.push_str(&national_sources_toml());
    toml.push_str(&japan.notice_sources_toml());
    let total_sources = notices.len() + NATIONAL.len();
    let cfg = Config::parse(&toml, Path::new("year.toml")).unwrap();
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 3, 0, 0).unwrap();
    let clock = FrozenClock::at(start);
    let opts = RunOptions {
        clock: Some(clock.clone()),
        ..RunOptions::default()
    };
    let store = Store::open(&data).unwrap().with_clock(clock.clone());
    let (mut text_changes, mut reworded) = (0, 0);
    let mut months: BTreeMap<u32, Month> = BTreeMap::new();
    let mut dead: Vec<String> = Vec::new();
    for day in 0..days {
        let today = start + Duration::days(day as i64);
        clock.set(today);
        let (month, dom) = (today.month(), today.day());
        // What today brings, and what the run must record for it.
        let mut expect_texts = None;
        let mut expect_broken = 0;
        let mut expect_recovered = 0;
        let mut national_day = false;
        let mut quiet = day > 0;
        if dom == 1 {
            publish_national(&web, month);
            national_day = day > 0;
            quiet = false;
        }
        if dom == 5 {
            dead = pick(&hosts, 100, month, 3)
                .into_iter()
                .filter(|h| web.now[h] == *h)
                .collect();
            for h in &dead {
                web.kill(h);
            }
            expect_broken = sources_on(&dead);
            quiet = false;
        }
        if dom == 8 {
            for h in &dead {
                web.revive(h);
            }
            expect_recovered = sources_on(&dead);
            dead.clear();
            quiet = false;
        }
        if dom == 10 {
            for h in pick(&hosts, 200, month, 11) {
                if web.now[&h] == h {
                    web.relocate(&h);
                }
            }
        }
        if dom == 15 {
            // About 2% of the notices: a sentence added to the last paragraph (ASCII, so every
            // charset the generator writes stays valid).
            let mut n = 0;
            for (i, (_, url)) in notices.iter().enumerate() {
                if (i + day as usize) % 50 == 0 {
                    let p = web.file(&japan, url);
                    let html = std::fs::read(&p).unwrap();
                    let at = html
                        .windows(4)
                        .rposition(|w| w == b"</p>")
                        .expect("a notice has paragraphs");
                    let mut new = html[..at].to_vec();
                    new.extend_from_slice(format!(" (Updated {}.)", today.date_naive()).as_bytes());
                    new.extend_from_slice(&html[at..]);
                    std::fs::write(p, new).unwrap();
                    n += 1;
                }
            }
            reworded += n;
            expect_texts = Some(n);
        }
        if dom == 20 {
            // Markup churn: the CMS puts classes on headings and paragraphs.
            for (i, (_, url)) in notices.iter().enumerate() {
                if (i + day as usize) % 50 == 0 {
                    let p = web.file(&japan, url);
                    let html = std::fs::read(&p).unwrap();
                    let html =
                        replaced(&html, b"<h2>", b"<h2 class=\"c-heading\">").unwrap_or(html);
                    let html = replaced(&html, b"<p>", b"<p class=\"c-text\">").unwrap_or(html);
                    std::fs::write(p, html).unwrap();
                }
            }
        }
        if month == 7 && dom == 10 {
            let mut n = 0;
            for (_, url) in &notices {
                let p = web.file(&japan, url);
                if let Some(new) = next_cycle(&std::fs::read(&p).unwrap()) {
                    std::fs::write(p, new).unwrap();
                    n += 1;
                }
            }
            reworded += n;
            expect_texts = Some(n);
            quiet = false;
        }

        mirror.stats.reset();
        reset_peak_rss();
        let t = Instant::now();
        let summary = run(&cfg, &data, &opts)
            .await
            .expect("the day's run completes");
        let took = ms(t);
        let m = months.entry(month).or_default();
        m.runs += 1;
        m.peak_rss_mib = m.peak_rss_mib.max(peak_rss_mib());
        m.changes += summary.changes.len();
        let count = |k: ChangeKind| summary.changes.iter().filter(|c| c.kind == k).count();
        let texts = count(ChangeKind::NoticeTextChanged);
        text_changes += texts;
        if let Some(n) = expect_texts {
            assert_eq!(texts, n, "day {day}: one text change per reworded notice");
        }
        assert_eq!(
            count(ChangeKind::SourceBroken),
            expect_broken,
            "day {day}: one source_broken per source of a dead site, and only on the day it dies"
        );
        assert_eq!(
            count(ChangeKind::SourceRecovered),
            expect_recovered,
            "day {day}: one source_recovered per source of a site that came back"
        );
        if expect_broken == 0 && dead.is_empty() {
            assert!(summary.all_ok(), "day {day}: {:?}", summary.run.status);
        }
        if national_day {
            let from: BTreeSet<&str> = summary
                .changes
                .iter()
                .map(|c| c.source_id.as_str())
                .collect();
            for id in NATIONAL {
                assert!(
                    from.contains(id),
                    "day {day}: {id} published and nothing recorded"
                );
            }
            assert!(
                from.iter()
                    .all(|s| NATIONAL.contains(s) || s.starts_with("derived")),
                "day {day}: a release day changed a municipal source: {from:?}"
            );
        }
        if quiet && expect_texts.is_none() {
            assert!(
                summary.changes.is_empty(),
                "day {day} ({}): nothing happened to the data, nothing is recorded; got {:?}",
                today.date_naive(),
                summary.changes.iter().take(3).collect::<Vec<_>>()
            );
        }
        if quiet && expect_texts.is_none() && dead.is_empty() && dom != 10 && dom != 20 {
            if took >= m.slowest_unchanged_ms {
                m.slowest_unchanged_ms = took;
                m.requests_unchanged = mirror.stats.total_requests();
                // Σ over hosts of (requests − 1) × interval ÷ requests at once: the least
                // time a polite fetcher can take for these requests.
                let gaps: usize = mirror
                    .stats
                    .hosts()
                    .iter()
                    .map(|h| mirror.stats.requests_for_host(h).saturating_sub(1))
                    .sum();
                m.bound_ms = (gaps as u128 * INTERVAL_MS as u128) / AT_ONCE as u128;
            }
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
            assert_eq!(n as usize, total_sources, "day {day}: one 304 per source");
        }
        // The month's end: compact, check nothing a reader sees changed, and measure.
        let tomorrow = today + Duration::days(1);
        if tomorrow.day() == 1 || day + 1 == days {
            let before = current_answers(&store);
            store.compact().unwrap();
            assert_eq!(
                current_answers(&store),
                before,
                "day {day}: compaction changed an answer"
            );
            let m = months.get_mut(&month).unwrap();
            m.files = mynawatch_store::TABLES
                .iter()
                .map(|t| store.files(*t).unwrap().len())
                .sum();
            m.store_mib = dir_bytes(&data) as f64 / (1024.0 * 1024.0);
            let t = Instant::now();
            store.query("select count(*) from notices_current").unwrap();
            m.notices_current_ms = ms(t);
            let t = Instant::now();
            store.query("select count(*) from figures_current").unwrap();
            m.figures_current_ms = ms(t);
            let since = format!("{}-{:02}-01", today.year(), month);
            let t = Instant::now();
            mynawatch::commands::changes(&data, Some(&since), Format::Csv).unwrap();
            m.changes_since_ms = ms(t);
            let t = Instant::now();
            let html = mynawatch::report::render(&data, None, mynawatch_report::Lang::En).unwrap();
            m.report_ms = ms(t);
            assert!(html.contains("<html"), "the report renders");
        }
    }
    let files_end = months.values().last().map_or(0, |m| m.files);
    // The year's end: every source re-extracted from its stored snapshots, as after an
    // extractor fix; one source's documents at a time, so memory stays bounded.
    reset_peak_rss();
    let t = Instant::now();
    let re = run(
        &cfg,
        &data,
        &RunOptions {
            reextract: true,
            ..opts.clone()
        },
    )
    .await
    .expect("reextract completes");
    let reextract_ms = ms(t);
    let reextract_rss_mib = peak_rss_mib();
    assert!(re.all_ok(), "reextract: {:?}", re.run.status);
    assert_eq!(
        re.changes.len(),
        0,
        "the same extractor on the same snapshots changes nothing"
    );
    // `MYNAWATCH_YEAR_KEEP=1`: keep the generated web, the store and the config (printed)
    // to measure a release build on them.
    if std::env::var_os("MYNAWATCH_YEAR_KEEP").is_some() {
        std::fs::write(tmp.path().join("year.toml"), &toml).unwrap();
        println!("kept: {}", tmp.keep().display());
    }
    Some(Year {
        days,
        reextract_ms,
        reextract_rss_mib,
        sources: total_sources,
        text_changes,
        reworded,
        months,
        files_end,
    })
}

fn report(y: &Year) {
    println!(
        "year: {} days × {} sources: {} notices reworded → {} notice text changes; {} Parquet files at the end",
        y.days, y.sources, y.reworded, y.text_changes, y.files_end
    );
    println!(
        "reextract of every source at the end: {} ms, peak RSS {} MiB",
        y.reextract_ms, y.reextract_rss_mib
    );
    println!("| month | runs | changes | slowest unchanged run | its requests | their politeness bound | peak RSS of a run | files | store | notices_current | figures_current | changes --since month | report |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (month, m) in &y.months {
        println!(
            "| {month} | {} | {} | {} ms | {} | {} ms | {} MiB | {} | {:.1} MiB | {} ms | {} ms | {} ms | {} ms |",
            m.runs,
            m.changes,
            m.slowest_unchanged_ms,
            m.requests_unchanged,
            m.bound_ms,
            m.peak_rss_mib,
            m.files,
            m.store_mib,
            m.notices_current_ms,
            m.figures_current_ms,
            m.changes_since_ms,
            m.report_ms
        );
    }
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
