//! `mynawatch demo`: a whole pipeline on a local mirror of real files, offline, ending
//! with the analyst's report.
//!
//! The demo site is built under `<data>/site/` from this repo's `fixtures/` (published
//! figures copied into `fixtures/demo/` with `PROVENANCE.md` naming each source: the
//! Digital Agency's monthly card and registration series, MHLW's monthly usage rates and
//! counts of cancelled registrations, a MIC 交付状況 workbook; pages written in the sites'
//! style: municipal notices, one of them Shift_JIS, press conferences behind an index, a
//! 保団連 news post; two real snapshots of the House of Councillors' bill dataset from
//! `crate::bills::demo_site`) and, when the real-data corpus is beside the clone, from the corpus
//! too (MIC tables from two release dates, the MHLW page in two markup variants, a Diet
//! API page). Without the corpus the corpus-only sources are left out and the demo says
//! so. Run 1 fetches everything; between the runs the site changes the way the real ones
//! do (a new month, a reworded notice, a new MIC release, markup churn); run 2 shows
//! `not_modified` for what did not change and records exactly what did, printed as the
//! digest people get (bulks summarized, notices in full). Each run also writes the Atom
//! feeds (`[feed] dir = "feeds"`). The demo then writes `report.html` (Japanese) and
//! `report.en.html` into the data folder.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use mynawatch_alert::{Baseline, Language};

use crate::config::Config;
use crate::run::{RunOptions, RunSummary, SourceOutcome};
use crate::Exit;

/// Marks a folder the demo created, so it may be wiped on the next demo.
const MARKER: &str = ".mynawatch-demo";

/// One file of the demo site: where it is served, and its content in run 1 and run 2.
struct SiteFile {
    path: &'static str,
    run1: Content,
    run2: Content,
}

impl SiteFile {
    fn needs_corpus(&self) -> bool {
        matches!(self.run1, Content::Corpus(_)) || matches!(self.run2, Content::Corpus(_))
    }
}

/// The demo sources built from the real-data corpus: left out when it is absent.
const CORPUS_SOURCES: [&str; 4] = [
    "mic_2017_pdf_tables",
    "mic_localgovs_latest",
    "mhlw_shinryohoshu_r8",
    "diet_sangiin_212",
];

enum Content {
    Corpus(&'static str),
    Fixture(&'static str),
    Text(String),
    Same,
}

/// Run the demo; `data` defaults to `./demo-data`.
pub async fn demo(data: Option<PathBuf>, corpus: &Path) -> Result<Exit> {
    demo_with(data, corpus, "").await
}

/// The demo with more config appended to its own (tests add a webhook sink and route:
/// `[alerts.sinks.hook]` …).
pub async fn demo_with(data: Option<PathBuf>, corpus: &Path, extra_config: &str) -> Result<Exit> {
    let data_dir = data.unwrap_or_else(|| PathBuf::from("demo-data"));
    // On a bucket, the site, the config and the reports live in a local folder beside it.
    let data = crate::remote::Data::of(&data_dir, &Default::default())?;
    let local = match &data {
        crate::remote::Data::Local(dir) => dir.clone(),
        crate::remote::Data::Remote(remote) => {
            if remote.latest().await?.is_some() {
                bail!(
                    "{} already holds mynawatch data; choose another --data prefix",
                    remote.url()
                );
            }
            std::env::temp_dir().join(format!("mynawatch-demo-{}", std::process::id()))
        }
    };
    prepare_dir(&local)?;
    let has_corpus = corpus.join("figures").exists();
    if !has_corpus {
        println!(
            "mynawatch demo: no real-data corpus at {} (pass --corpus or set MYNAWATCH_CORPUS);
             running on the repository's fixtures only, without the sources that need it: {}
",
            corpus.display(),
            CORPUS_SOURCES.join(", ")
        );
    }
    let site = local.join("site");
    let mut files = site_files();
    if !has_corpus {
        files.retain(|f| !f.needs_corpus());
    }
    build_site(&site, corpus, &files, 1)?;
    crate::bills::demo_site(&site, 1)?;
    let mirror = mynawatch_sim::mirror::serve(site.clone(), "127.0.0.1:0".parse()?).await?;
    let base = format!("http://{}", mirror.addr);
    let cfg_text = demo_config(&base, &local, has_corpus)
        + &crate::bills::demo_source_toml(&base)
        + extra_config;
    let cfg_path = local.join("demo.toml");
    std::fs::write(&cfg_path, &cfg_text)?;
    let cfg = Config::parse(&cfg_text, &cfg_path)?;
    let opts = RunOptions {
        progress: true,
        ..RunOptions::default()
    };

    println!("mynawatch demo: site {} served at {base}\n", site.display());
    let first = crate::remote::run(&cfg, &data, &opts).await?;
    println!("── run 1 ──────────────────────────────────────────────");
    print!("{}", report(&first));

    build_site(&site, corpus, &files, 2)?;
    crate::bills::demo_site(&site, 2)?;
    println!(
        "\n(the site changes: a new month of cards, cancellations and usage, a reworded municipal notice, a bill passes a plenary{})\n",
        if has_corpus {
            ", a new MIC release, MHLW markup churn"
        } else {
            ""
        }
    );
    let second = crate::remote::run(&cfg, &data, &opts).await?;
    println!("── run 2 ──────────────────────────────────────────────");
    print!("{}", report(&second));
    mirror.shutdown().await;

    let read = crate::remote::read(&data).await?;
    let report_ja = crate::report::write(
        read.dir(),
        &local.join("report.html"),
        None,
        mynawatch_report::Lang::Ja,
    )?;
    let report_en = crate::report::write(
        read.dir(),
        &local.join("report.en.html"),
        None,
        mynawatch_report::Lang::En,
    )?;
    let d = data_dir.display();
    let feeds = match &data {
        crate::remote::Data::Local(dir) => dir.join("feeds"),
        crate::remote::Data::Remote(remote) => remote.work_dir().join("feeds"),
    };
    let f = feeds.display();
    println!(
        "\nTables: {d}/tables/<table>/**/*.parquet, partitioned by run_month, one file per table per run (figures, notices, events, statements, bills, changes, fetches, runs, warnings)\n\
         Try:\n  cargo run -q -- query --data {d} \"select * from figures_current where area_code = '131130'\"\n  \
         cargo run -q -- query --data {d} \"select metric, as_of, value, run_id from figures where area_code = '131130' order by as_of\"\n  \
         cargo run -q -- changes --data {d}\n  cargo run -q -- sources --config {} --data {d}\n\
         Feeds (Atom, one per area and family): {f}/all.atom, {f}/131130.atom",
        cfg_path.display()
    );
    println!(
        "\nReport (open in a browser): {}\n                   English: {}",
        report_ja.display(),
        report_en.display()
    );
    Ok(if first.all_ok() && second.all_ok() {
        Exit::Ok
    } else {
        Exit::SourcesFailed
    })
}

fn prepare_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.join(MARKER).exists() && std::fs::read_dir(dir)?.next().is_some() {
            bail!(
                "{} exists and was not made by the demo; choose another --data",
                dir.display()
            );
        }
        std::fs::remove_dir_all(dir).with_context(|| format!("clear {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(MARKER), b"made by mynawatch demo\n")?;
    Ok(())
}

/// A short human report of a run: outcomes per source, fetch counts, changes by kind.
pub fn report(s: &RunSummary) -> String {
    let mut out = String::new();
    let r = &s.run;
    let _ = writeln!(
        out,
        "run {}: {} ({} extracted, {} unchanged, {} fetch failed, {} broken; {} changes)",
        r.run_id,
        r.status.as_str(),
        r.sources_ok,
        r.sources_unchanged,
        r.sources_failed,
        r.sources_broken,
        r.changes
    );
    for (id, o) in &s.outcomes {
        let line = match o {
            SourceOutcome::Extracted { rows, wrote, .. } => {
                format!(
                    "extracted {rows} rows{}",
                    if *wrote {
                        ""
                    } else {
                        " (content identical to last run)"
                    }
                )
            }
            SourceOutcome::Unchanged => "unchanged (not modified)".to_string(),
            SourceOutcome::FetchFailed(e) => format!("FETCH FAILED {}: {}", e.url(), e.cause()),
            SourceOutcome::Broken(e) => format!("BROKEN {}: {}", e.url(), e.cause()),
        };
        let _ = writeln!(out, "  {id:<28} {line}");
    }
    let mut by_kind: std::collections::BTreeMap<&str, usize> = Default::default();
    for c in &s.changes {
        *by_kind.entry(c.kind.as_str()).or_default() += 1;
    }
    if !by_kind.is_empty() {
        let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let _ = writeln!(out, "  changes: {}", kinds.join(", "));
        // What a route with the defaults gets: a baseline as one line per source, bulks
        // summarized, notices, bills and health in full (`mynawatch_alert::digest_lines`).
        let mut items: Vec<mynawatch_alert::AlertItem> = s
            .alert_items
            .iter()
            .filter(|i| i.baseline != Some(Baseline::Row))
            .cloned()
            .collect();
        items.sort_by_key(|i| {
            matches!(
                i.change.kind,
                mynawatch_model::ChangeKind::SourceBroken
                    | mynawatch_model::ChangeKind::SourceRecovered
            )
        });
        for line in mynawatch_alert::digest_lines(&items, Language::En) {
            let _ = writeln!(out, "    - {line}");
        }
    }
    for e in &s.alert_errors {
        let _ = writeln!(out, "  alert delivery failed: {e}");
    }
    out
}

fn site_files() -> Vec<SiteFile> {
    let mut files = vec![
        SiteFile {
            path: "soumu/kojinbango_card/kofujokyo.html",
            run1: Content::Text(mic_index_page()),
            run2: Content::Same,
        },
        SiteFile {
            path: "soumu/main_content/mynumbercard_all_localgovs.csv",
            run1: Content::Corpus("figures/mic_cfj_cleaned/20170308_all_localgovs.csv"),
            run2: Content::Corpus("figures/mic_cfj_cleaned/20221231_all_localgovs.csv"),
        },
        SiteFile {
            path: "mhlw/stf/newpage_67729.html",
            run1: Content::Corpus("mhlw_pages/mhlw_newpage_67729_20260905T182241.html"),
            run2: Content::Corpus("mhlw_pages/mhlw_newpage_67729_20260905T184534.html"),
        },
        SiteFile {
            path: "kokkai/api/meeting.xml",
            run1: Content::Corpus("diet/kokkai_api_meeting_s212_page1_sangiin_honkaigi.xml"),
            run2: Content::Same,
        },
        SiteFile {
            path: "shibuya/kurashi/kokuho/shikakukakuninsyo.html",
            run1: Content::Fixture("demo/shibuya_notice_v1.html"),
            run2: Content::Fixture("demo/shibuya_notice_v2.html"),
        },
        SiteFile {
            path: "toshima/kokuho/2409121021.html",
            run1: Content::Fixture("municipal_notice/toshima_sjis.html"),
            run2: Content::Same,
        },
        SiteFile {
            path: "stf/kaiken/daijin/index.html",
            run1: Content::Fixture("mhlw_press/index.links.html"),
            run2: Content::Same,
        },
        SiteFile {
            path: "stf/kaiken/daijin/0000194708_00835.html",
            run1: Content::Fixture("mhlw_press/0000194708_00835.html"),
            run2: Content::Same,
        },
        SiteFile {
            path: "stf/kaiken/daijin/0000194708_00838.html",
            run1: Content::Fixture("mhlw_press/0000194708_00838.html"),
            run2: Content::Same,
        },
        SiteFile {
            path: "digital/resources/govdashboard/mynumber_penetration_rate_table_01.csv",
            run1: Content::Fixture("demo/da_dashboard_v1.csv"),
            run2: Content::Fixture("demo/da_dashboard_v2.csv"),
        },
        SiteFile {
            path: "mhlw/stf/myna_riyou_jokyo.html",
            run1: Content::Fixture("demo/mhlw_usage_v1.html"),
            run2: Content::Fixture("demo/mhlw_usage_v2.html"),
        },
        SiteFile {
            path: "soumu/main_content/kofujokyo_r041231.xlsx",
            run1: Content::Fixture("mic_card_stats/kofujokyo_r041231.xlsx"),
            run2: Content::Same,
        },
        SiteFile {
            path: "hodanren/info/news/2024-10-17/index.html",
            run1: Content::Fixture("hodanren/news_2024-10-17.html"),
            run2: Content::Same,
        },
        SiteFile {
            path: "robots.txt",
            run1: Content::Text("User-agent: *\nDisallow: /private/\n".into()),
            run2: Content::Same,
        },
    ];
    for i in 0..38 {
        let path: &'static str =
            Box::leak(format!("soumu/main_content/000490028_{i}.csv").into_boxed_str());
        let corpus: &'static str = Box::leak(
            format!("figures/mic_pdf_camelot_000490028/000490028_{i}.csv").into_boxed_str(),
        );
        files.push(SiteFile {
            path,
            run1: Content::Corpus(corpus),
            run2: Content::Same,
        });
    }
    files
}

/// Write the site as it is in `run` (1 or 2). Files that do not change are not rewritten,
/// so their `Last-Modified` stays and the second run gets 304s.
fn build_site(site: &Path, corpus: &Path, files: &[SiteFile], run: u8) -> Result<()> {
    let fixtures = fixtures_dir();
    for f in files {
        let content = match (run, &f.run1, &f.run2) {
            (1, c, _) => c,
            (_, _, Content::Same) => continue,
            (_, _, c) => c,
        };
        let bytes = match content {
            Content::Corpus(rel) => {
                std::fs::read(corpus.join(rel)).with_context(|| format!("corpus file {rel}"))?
            }
            Content::Fixture(rel) => {
                std::fs::read(fixtures.join(rel)).with_context(|| format!("fixture {rel}"))?
            }
            Content::Text(t) => t.clone().into_bytes(),
            Content::Same => unreachable!("skipped above"),
        };
        let dest = site.join(f.path);
        std::fs::create_dir_all(dest.parent().expect("site files are in folders"))?;
        std::fs::write(&dest, bytes)?;
    }
    Ok(())
}

/// The repo's `fixtures/` folder: next to the binary's sources when run from a checkout.
fn fixtures_dir() -> PathBuf {
    let here = PathBuf::from("fixtures");
    if here.exists() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A stand-in for MIC's release index: links to the per-page CSV tables of the
/// 平成29年3月8日 release (the real index links PDFs and XLSX the same way).
fn mic_index_page() -> String {
    let mut links = String::new();
    for i in 0..38 {
        let _ = writeln!(
            links,
            "<li><a href=\"../main_content/000490028_{i}.csv\">マイナンバーカード交付状況（平成29年3月8日現在）表{i}［CSV］</a></li>"
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>総務省｜マイナンバーカード交付状況</title></head>\n\
         <body><header><nav><a href=\"/\">ホーム</a></nav></header>\n<main id=\"contents\"><h1>マイナンバーカード交付状況</h1>\n\
         <h2>平成29年3月8日現在</h2>\n<ul>\n{links}</ul>\n</main><footer>Copyright Ministry of Internal Affairs and Communications</footer></body></html>\n"
    )
}

/// The demo's config: `config/demo.toml` (compiled in, so the binary needs no checkout)
/// with the mirror's address and the data folder filled in; without the corpus, the
/// `[[source]]` blocks of [`CORPUS_SOURCES`] are left out.
fn demo_config(base: &str, data_dir: &Path, has_corpus: bool) -> String {
    let text = include_str!("../../../config/demo.toml")
        .replace("http://127.0.0.1:8088", base)
        .replace(
            "demo-data/alerts.jsonl",
            &data_dir.join("alerts.jsonl").display().to_string(),
        );
    if has_corpus {
        return text;
    }
    let mut blocks = text.split("\n[[source]]\n");
    let mut out = blocks.next().unwrap_or_default().to_string();
    for b in blocks {
        let corpus_only = CORPUS_SOURCES
            .iter()
            .any(|id| b.starts_with(&format!("id = \"{id}\"")));
        if !corpus_only {
            out.push_str("\n[[source]]\n");
            out.push_str(b);
        }
    }
    out
}
