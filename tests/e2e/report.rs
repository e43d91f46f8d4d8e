//! The demo's report in a real browser: Debian's headless Chromium loads the page the
//! demo wrote (no console messages: the page has no script, so any is an error), and its
//! DOM shows the headline figures, one SVG mark per published point or bar, the
//! cancellation months with their total, and Shibuya among the `all_insured` issuers with
//! its evidence sentence; every number links to its source with its provenance on hover.
//! The first screen is saved as a PNG (`target/report-first-screen.png`; also
//! `docs/report.png` when that file is missing or `MYNAWATCH_UPDATE_SCREENSHOT=1`).
//! A store with a restated month shows both of its values in the browser.
//!
//! Needs `chromium` (`apt-get install chromium fonts-noto-cjk`; `.ci/run` installs it).
//! Without it the test prints that it was skipped and why.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{NaiveDate, TimeZone, Utc};
use mynawatch_model::*;
use std::time::{Duration, Instant};

/// The browser, when installed.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser"].iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Run headless Chromium on `page` with `args`; (stdout, stderr). Killed after 90 s.
fn browse(bin: &Path, profile: &Path, page: &Path, args: &[&str]) -> (String, String) {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    let out_pipe = child.stdout.take().expect("stdout");
    let err_pipe = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || std::io::read_to_string(out_pipe).unwrap_or_default());
    let err = std::thread::spawn(move || std::io::read_to_string(err_pipe).unwrap_or_default());
    loop {
        if child.try_wait().expect("wait chromium").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (out.join().unwrap(), err.join().unwrap())
}

/// Console messages Chromium logged for the page (`…:CONSOLE…] "text", source: …`).
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

/// The part of `dom` from the element with `id` to the end of its section.
fn section<'a>(dom: &'a str, id: &str) -> &'a str {
    let start = dom
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element with id {id}"));
    let rest = &dom[start..];
    let end = rest.find("</section>").unwrap_or(rest.len());
    &rest[..end]
}

fn count(s: &str, needle: &str) -> usize {
    s.matches(needle).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_report_in_chromium_shows_headline_charts_cancellations_and_shibuya() {
    let Some(bin) = chromium() else {
        println!(
            "SKIPPED the_demo_report_in_chromium_…: no `chromium` on PATH \
             (install Debian's chromium and fonts-noto-cjk; .ci/run does)"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo-data");
    // The demo works with or without the corpus; the figures checked here are the
    // published ones in fixtures/demo either way.
    let corpus = mynawatch_testutil::corpus_dir();
    mynawatch::demo::demo(Some(data.clone()), &corpus)
        .await
        .expect("demo runs");

    // The detector sees console output: a page that logs is caught.
    let noisy = tmp.path().join("noisy.html");
    std::fs::write(
        &noisy,
        "<!DOCTYPE html><html><body><script>console.error('detector check')</script></body></html>",
    )
    .unwrap();
    let (_, err) = browse(&bin, &tmp.path().join("p0"), &noisy, &["--dump-dom"]);
    assert!(
        console_lines(&err)
            .iter()
            .any(|l| l.contains("detector check")),
        "chromium's console log is not visible on stderr:\n{err}"
    );

    let en = data.join("report.en.html");
    let (dom, err) = browse(&bin, &tmp.path().join("p1"), &en, &["--dump-dom"]);
    assert!(
        console_lines(&err).is_empty(),
        "console messages: {:?}",
        console_lines(&err)
    );
    assert!(
        dom.contains("<section id=\"headline\">"),
        "page did not load:\n{dom:.500}"
    );
    // Self-contained: nothing to fetch at view time.
    for tag in ["<script", "<img", "<link", "<iframe"] {
        assert!(!dom.contains(tag), "the page loads something: {tag}");
    }

    // Headline.
    let head = section(&dom, "headline");
    let holdings = section(head, "h-holdings");
    assert!(holdings.contains(">97,985,287</a>"), "{holdings}");
    assert!(holdings.contains(">78.5%</a>"), "{holdings}");
    assert!(holdings.contains("end of April 2025"), "{holdings}");
    let regs = section(head, "h-registrations");
    assert!(regs.contains(">83,011,764</a>"), "{regs}");
    assert!(regs.contains("end of March 2025"), "{regs}");
    let per_card = &regs[regs.find("h-per-card").unwrap()..regs.find("h-per-population").unwrap()];
    assert!(per_card.contains(">84.9%</a>"), "{per_card}");
    let per_pop = &regs[regs.find("h-per-population").unwrap()..];
    let per_pop = &per_pop[..per_pop.find("</p>").unwrap()];
    if per_pop.contains("no data") {
        println!(
            "NOTE: no insurance.registration_per_population_rate in the demo data yet; \
             the headline says `no data` (checked)"
        );
    } else {
        assert!(per_pop.contains("population base"), "{per_pop}");
        assert!(per_pop.contains("%</a>"), "{per_pop}");
    }

    // Charts: one mark per published value.
    let charts = section(&dom, "charts");
    assert_eq!(count(charts, "data-chart=\"holdings\""), 1);
    assert_eq!(count(charts, "data-series=\"card.holdings\""), 3);
    assert_eq!(count(charts, "data-series=\"insurance.registrations\""), 2);
    assert_eq!(count(charts, "data-series=\"insurance.usage_rate\""), 3);
    assert_eq!(
        count(
            charts,
            "data-series=\"insurance.registration_cancellations\""
        ),
        5
    );
    assert_eq!(
        count(
            charts,
            "data-series=\"insurance.registration_cancellations_cumulative\""
        ),
        5
    );
    for (period, value) in [
        ("2024-10-28/2024-11-30", 13147),
        ("2024-12-01/2024-12-31", 32067),
        ("2025-01-01/2025-01-31", 13212),
        ("2025-02-01/2025-02-28", 10724),
        ("2025-03-01/2025-03-31", 15082),
    ] {
        assert!(
            charts.contains(&format!(
                "data-series=\"insurance.registration_cancellations\" data-x=\"{period}\" data-value=\"{value}\""
            )),
            "no bar {period} = {value}"
        );
    }
    assert!(charts.contains(
        "data-series=\"insurance.registration_cancellations_cumulative\" data-x=\"2024-10-28/2025-03-31\" data-value=\"84232\""
    ));
    // The same months as text, with the first period's exact days and the total.
    let table = section(charts, "cancellations-table");
    for text in [
        "2024-11 (10/28–11/30)",
        ">13,147</a>",
        ">32,067</a>",
        ">13,212</a>",
        ">10,724</a>",
        ">15,082</a>",
        ">84,232</a>",
    ] {
        assert!(table.contains(text), "cancellations table lacks {text}");
    }

    // Shibuya among the all_insured issuers, with the sentence that says so.
    let all = section(&dom, "all-insured");
    let shibuya = &all[all.find("data-area=\"131130\"").expect("Shibuya row")..];
    let shibuya = &shibuya[..shibuya.find("</tr>").unwrap()];
    assert!(shibuya.contains("東京都渋谷区"));
    assert!(
        shibuya.contains("加入者全員に資格確認書を送付します。"),
        "{shibuya}"
    );

    // A bill's stage timeline (the demo's two real House of Councillors snapshots).
    let leg = section(&dom, "legislation");
    assert!(leg.contains("data-bill=\"閣法-217-21\""), "{leg:.400}");
    assert!(leg.contains("<time>2025-11-27</time> 衆 HoR 本会議 plenary"));

    // Every number links to a source and names locator, snapshot hash and fetch time.
    let numbers: Vec<&str> = dom.split("<a class=\"n\"").skip(1).collect();
    assert!(numbers.len() > 20, "only {} linked numbers", numbers.len());
    for a in numbers {
        let tag = &a[..a.find('>').unwrap()];
        assert!(tag.contains("href=\"http://127.0.0.1:"), "{tag}");
        assert!(
            tag.contains(" · sha256 ") && tag.contains(" · fetched 20"),
            "{tag}"
        );
    }

    // The Japanese page loads cleanly too and dates the same figures in Japanese.
    let ja = data.join("report.html");
    let (dom_ja, err) = browse(&bin, &tmp.path().join("p2"), &ja, &["--dump-dom"]);
    assert!(console_lines(&err).is_empty(), "{:?}", console_lines(&err));
    let head_ja = section(&dom_ja, "headline");
    assert!(head_ja.contains("2025年4月末") && head_ja.contains("2025年3月末"));

    // The first screen as a PNG.
    let shot = mynawatch_testutil::repo_root().join("target/report-first-screen.png");
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&shot);
    let (_, err) = browse(
        &bin,
        &tmp.path().join("p3"),
        &ja,
        &[
            "--window-size=1280,1000",
            "--hide-scrollbars",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let png = std::fs::read(&shot).unwrap_or_else(|_| panic!("no screenshot written:\n{err}"));
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        png.len() > 20_000,
        "screenshot is nearly empty ({} bytes)",
        png.len()
    );
    let docs = mynawatch_testutil::repo_root().join("docs/report.png");
    if !docs.exists() || std::env::var_os("MYNAWATCH_UPDATE_SCREENSHOT").is_some() {
        std::fs::copy(&shot, &docs).unwrap();
        println!("screenshot saved to {}", docs.display());
    }
}

/// A plain clone has no `../shared/corpus`: the demo still completes on the repo's
/// fixtures, leaves out the corpus-only sources, and writes both reports.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_runs_from_the_repository_alone_and_writes_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo-data");
    let no_corpus = tmp.path().join("no-corpus-here");
    let exit = mynawatch::demo::demo(Some(data.clone()), &no_corpus)
        .await
        .expect("demo runs without the corpus");
    assert_eq!(exit, mynawatch::Exit::Ok);
    let cfg = std::fs::read_to_string(data.join("demo.toml")).unwrap();
    assert!(!cfg.contains("id = \"mic_2017_pdf_tables\""));
    assert!(cfg.contains("id = \"da_dashboard\""));
    for page in ["report.html", "report.en.html"] {
        let html = std::fs::read_to_string(data.join(page)).unwrap();
        assert!(html.contains(">97,985,287</a>"), "{page}");
        assert!(html.contains(">84,232</a>"), "{page}");
        assert!(html.contains("data-area=\"131130\""), "{page}");
    }
    let rows = mynawatch::commands::query(
        &data,
        "select metric, value from figures_current where area_code = '131130' order by metric",
        mynawatch::args::Format::Csv,
    )
    .unwrap();
    assert!(rows.contains("card.issued,135186"), "{rows}");
}

/// A national figure of the test stores below (source `da`, one snapshot).
fn figure(metric: &str, run: &str, v: f64) -> Figure {
    Figure {
        metric: metric.into(),
        area_code: "000000".into(),
        area_name: "全国".into(),
        as_of: None,
        period_start: None,
        period_end: None,
        value: Some(v),
        unit: "count".into(),
        scale: 1.0,
        qualifier: None,
        status: FigureStatus::Final,
        dimensions: String::new(),
        derived_from: String::new(),
        evidence: String::new(),
        provenance: Provenance {
            source_id: "da".into(),
            url: "http://example.invalid/da.csv".into(),
            fetched_at: Utc.with_ymd_and_hms(2025, 5, 1, 0, 0, 0).unwrap(),
            snapshot_sha256: "00".repeat(32),
            locator: "A1".into(),
            raw_text: String::new(),
            run_id: run.into(),
        },
    }
}

/// Store one run of source `da` that finished at `at`.
fn store_run(
    store: &mynawatch_store::Store,
    run: &str,
    at: chrono::DateTime<Utc>,
    figures: Vec<Figure>,
) {
    let rows = Rows {
        figures,
        ..Rows::default()
    };
    store.write_rows(run, "da", &rows).unwrap();
    store
        .write_run(&RunRecord {
            run_id: run.into(),
            started_at: at,
            finished_at: at,
            status: RunStatus::Ok,
            sources_ok: 1,
            sources_unchanged: 0,
            sources_failed: 0,
            sources_broken: 0,
            changes: 0,
            version: "test".into(),
        })
        .unwrap();
}

/// A month its publisher restated: in the browser the chart shows the first value as a
/// light bar beside the current one, and the table strikes the first value through. (The
/// store is built here; the values are test values, not published ones.)
#[test]
fn a_restated_month_shows_both_values_in_chromium() {
    let Some(bin) = chromium() else {
        println!("SKIPPED a_restated_month_shows_both_values_in_chromium: no `chromium` on PATH");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let store = mynawatch_store::Store::open(&tmp.path().join("data")).unwrap();
    let month = |run: &str, (s, e): ((i32, u32, u32), (i32, u32, u32)), v: f64| Figure {
        period_start: NaiveDate::from_ymd_opt(s.0, s.1, s.2),
        period_end: NaiveDate::from_ymd_opt(e.0, e.1, e.2),
        ..figure("insurance.registration_cancellations", run, v)
    };
    let (nov, dec) = (
        ((2024, 10, 28), (2024, 11, 30)),
        ((2024, 12, 1), (2024, 12, 31)),
    );
    let at = |d| Utc.with_ymd_and_hms(2025, 1, d, 6, 0, 0).unwrap();
    store_run(&store, "r1", at(10), vec![month("r1", nov, 10_000.0)]);
    store_run(
        &store,
        "r2",
        at(20),
        vec![month("r2", nov, 9_500.0), month("r2", dec, 20_000.0)],
    );
    let page = tmp.path().join("report.html");
    let html =
        mynawatch::report::render(&tmp.path().join("data"), None, mynawatch_report::Lang::En)
            .unwrap();
    std::fs::write(&page, html).unwrap();

    let (dom, err) = browse(&bin, &tmp.path().join("p"), &page, &["--dump-dom"]);
    assert!(console_lines(&err).is_empty(), "{:?}", console_lines(&err));
    let charts = section(&dom, "charts");
    let bar = |v: &str, status: &str| {
        count(
            charts,
            &format!("data-value=\"{v}\" data-status=\"{status}\""),
        )
    };
    // November twice (first and restated value), December once.
    assert_eq!(bar("10000", "preliminary"), 1, "{charts:.2000}");
    assert_eq!(bar("9500", "revised"), 1);
    assert_eq!(bar("20000", "final"), 1);
    let table = section(charts, "cancellations-table");
    assert!(table.contains("<s><a class=\"n\""), "{table}");
    assert!(
        table.contains(">10,000</a></s>") && table.contains(">9,500</a>"),
        "{table}"
    );
}

/// `--as-of` shows what the store knew that day: a value restated by a later run is shown
/// as first published, and a month first stored later is not there yet.
#[test]
fn as_of_a_day_shows_only_what_runs_finished_by_then_had_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let store = mynawatch_store::Store::open(tmp.path()).unwrap();
    let fig = |run: &str, month_end: (i32, u32, u32), v: f64| Figure {
        as_of: NaiveDate::from_ymd_opt(month_end.0, month_end.1, month_end.2),
        ..figure("card.holdings", run, v)
    };
    let runs = [
        (
            "r1",
            (2025, 4, 20),
            vec![fig("r1", (2025, 3, 31), 97_722_937.0)],
        ),
        (
            "r2",
            (2025, 5, 20),
            vec![
                fig("r2", (2025, 3, 31), 97_722_000.0),
                fig("r2", (2025, 4, 30), 97_985_287.0),
            ],
        ),
    ];
    for (run, (y, m, d), figures) in runs {
        store_run(
            &store,
            run,
            Utc.with_ymd_and_hms(y, m, d, 6, 0, 0).unwrap(),
            figures,
        );
    }
    let en = mynawatch_report::Lang::En;
    let then =
        mynawatch::report::render(tmp.path(), NaiveDate::from_ymd_opt(2025, 5, 1), en).unwrap();
    let head = section(&then, "h-holdings");
    assert!(head.contains(">97,722,937</a>") && head.contains("end of March 2025"));
    assert!(!then.contains("97,985,287"));
    let now = mynawatch::report::render(tmp.path(), None, en).unwrap();
    let head = section(&now, "h-holdings");
    assert!(head.contains(">97,985,287</a>") && head.contains("end of April 2025"));
    // The restated March value is the one plotted now.
    assert!(
        now.contains("data-series=\"card.holdings\" data-x=\"2025-03\" data-value=\"97722000\"")
    );
    let before =
        mynawatch::report::render(tmp.path(), NaiveDate::from_ymd_opt(2025, 4, 1), en).unwrap();
    assert!(section(&before, "h-holdings").contains("no data"));
}

/// A person's correction on the demo data shows in the report as corrected (badge beside
/// the issuer, and the reviewed-facts table with the reader's value and the reviewed one),
/// as Chromium renders it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_on_the_demo_data_shows_in_the_report_in_chromium_as_corrected() {
    let Some(bin) = chromium() else {
        println!("SKIPPED a_review_on_the_demo_data_…: no `chromium` on PATH");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo-data");
    mynawatch::demo::demo(Some(data.clone()), &mynawatch_testutil::corpus_dir())
        .await
        .expect("demo runs");
    let key = "shibuya_shikakukakuninsho|131130";
    mynawatch::review::record(
        &data,
        &mynawatch::review::Verdict {
            key,
            fields: vec![("valid_until".into(), Some("2026-07-31".into()))],
            note: "checked against the page",
            by: "reviewer",
        },
    )
    .unwrap();
    let page = tmp.path().join("report.en.html");
    mynawatch::report::write(&data, &page, None, mynawatch::report::lang("en").unwrap()).unwrap();
    let (dom, err) = browse(&bin, &tmp.path().join("p"), &page, &["--dump-dom"]);
    assert!(console_lines(&err).is_empty(), "{:?}", console_lines(&err));
    let table = section(&dom, "reviews");
    assert!(
        table.contains(&format!("data-key=\"{key}\""))
            && table.contains("data-review=\"corrected\"")
            && table.contains("2027-07-31")
            && table.contains("2026-07-31")
            && table.contains("reviewer"),
        "{table}"
    );
    let listed = section(&dom, "all-insured");
    let listed = &listed[..listed.find("</table>").unwrap_or(listed.len())];
    assert!(
        listed.contains("2026-07-31"),
        "the corrected expiry is shown: {listed}"
    );
    assert!(listed.contains("data-review=\"corrected\""), "{listed}");
}
