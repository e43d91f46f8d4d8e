//! The `-layout` column reader on the real 東京都 福祉保健局 report PDF in the corpus
//! (`municipal/tokyo_fukushihokenkyoku_sokuhou_20210421.pdf`): its table cells come out
//! as figures with the values PROVENANCE.md lists, each pointing at its line and columns
//! on page 1, and the tables agree with themselves (ages and sexes add up to the total,
//! the two 7-day averages give the printed week-on-week ratio).

use std::collections::BTreeMap;

use mynawatch_extract::pdf::{extract, PdfDocument};
use mynawatch_extract::{family, ExtractError};
use mynawatch_model::{Figure, SnapshotMeta};
use mynawatch_pdf::{text_pages, PdfOptions};
use mynawatch_testutil::corpus_dir;

const URL: &str = "https://www.fukushihoken.metro.tokyo.lg.jp/sokuhou_20210421.pdf";
const AGES: [&str; 11] = [
    "10歳未満",
    "10代",
    "20代",
    "30代",
    "40代",
    "50代",
    "60代",
    "70代",
    "80代",
    "90代",
    "100歳以上",
];

fn tokyo() -> Option<PdfDocument> {
    let path = corpus_dir().join("municipal/tokyo_fukushihokenkyoku_sokuhou_20210421.pdf");
    if !path.exists() {
        eprintln!("SKIP: corpus file {} not found", path.display());
        return None;
    }
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("SKIP: pdftotext not installed (apt-get install poppler-utils)");
        return None;
    }
    let t = text_pages(&std::fs::read(path).unwrap(), &PdfOptions::default()).unwrap();
    Some(PdfDocument::new(t.prose, t.layout))
}

fn options() -> serde_json::Value {
    let mut metrics = vec![
        serde_json::json!({"headers": ["総数"], "metric": "covid.new_cases", "unit": "persons"}),
        serde_json::json!({"headers": ["直近7日間移動平均"], "metric": "covid.new_cases_7day_avg", "unit": "persons"}),
        serde_json::json!({"headers": ["前週7日間移動平均"], "metric": "covid.new_cases_7day_avg", "unit": "persons", "dimensions": "week=previous"}),
        serde_json::json!({"headers": ["対前週比"], "metric": "covid.new_cases_7day_avg_ratio", "unit": "percent"}),
        serde_json::json!({"headers": ["65歳以上高齢者"], "metric": "covid.new_cases", "unit": "persons", "dimensions": "age=65+"}),
        serde_json::json!({"headers": ["男性"], "metric": "covid.new_cases", "unit": "persons", "dimensions": "sex=male"}),
        serde_json::json!({"headers": ["女性"], "metric": "covid.new_cases", "unit": "persons", "dimensions": "sex=female"}),
        serde_json::json!({"headers": ["総数(累計)"], "metric": "covid.cases_cumulative", "unit": "persons"}),
        serde_json::json!({"headers": ["重症者"], "metric": "covid.severe", "unit": "persons"}),
    ];
    metrics.extend(AGES.iter().map(|a| {
        serde_json::json!({"headers": [a], "metric": "covid.new_cases", "unit": "persons", "dimensions": format!("age={a}")})
    }));
    serde_json::json!({"metrics": metrics, "area": "東京都", "date": {"value": "令和3年4月21日"}})
}

fn run(doc: &PdfDocument, options: &serde_json::Value) -> Result<Vec<Figure>, ExtractError> {
    let meta = SnapshotMeta::for_file("tokyo_sokuhou", URL, "0".repeat(64));
    let input = mynawatch_extract::Input {
        bytes: b"%PDF-",
        meta: &meta,
        options,
    };
    let x = extract(family("table").unwrap().as_ref(), doc, &input)?;
    assert!(x.warnings.is_empty(), "{:?}", x.warnings);
    Ok(x.rows.figures)
}

#[test]
fn tokyo_report_table_cells_become_figures_with_the_printed_values() {
    let Some(doc) = tokyo() else { return };
    let figs = run(&doc, &options()).unwrap();
    let by: BTreeMap<(String, String), &Figure> = figs
        .iter()
        .map(|f| ((f.metric.clone(), f.dimensions.clone()), f))
        .collect();
    assert_eq!(by.len(), figs.len(), "one figure per metric and dimension");
    let v = |m: &str, d: &str| {
        by.get(&(m.to_string(), d.to_string()))
            .unwrap_or_else(|| panic!("no {m} {d}: {figs:#?}"))
            .value
            .unwrap()
    };
    // The facts PROVENANCE.md lists.
    assert_eq!(v("covid.new_cases", ""), 843.0);
    assert_eq!(v("covid.cases_cumulative", ""), 132_042.0);
    assert_eq!(v("covid.severe", ""), 48.0);
    // Stacked headers take their own values.
    assert_eq!(v("covid.new_cases_7day_avg", ""), 665.3);
    assert_eq!(v("covid.new_cases_7day_avg", "week=previous"), 497.1);
    assert_eq!(v("covid.new_cases_7day_avg_ratio", ""), 133.8);
    assert_eq!(v("covid.new_cases", "age=65+"), 84.0);
    // The tables agree with each other.
    let ages: f64 = AGES
        .iter()
        .map(|a| v("covid.new_cases", &format!("age={a}")))
        .sum();
    assert_eq!(ages, 843.0, "age bands add up to the total (不明 is 0)");
    assert_eq!(
        v("covid.new_cases", "sex=male") + v("covid.new_cases", "sex=female"),
        843.0
    );
    let ratio =
        100.0 * v("covid.new_cases_7day_avg", "") / v("covid.new_cases_7day_avg", "week=previous");
    assert!((ratio - 133.8).abs() < 0.05, "{ratio}");
    // 65歳以上 is everyone 70 and over plus part of 60代 (the bands do not split it).
    let seventy_plus: f64 = ["70代", "80代", "90代", "100歳以上"]
        .iter()
        .map(|a| v("covid.new_cases", &format!("age={a}")))
        .sum();
    let over65 = v("covid.new_cases", "age=65+");
    assert!(
        seventy_plus <= over65 && over65 <= seventy_plus + v("covid.new_cases", "age=60代"),
        "{seventy_plus} <= {over65}"
    );

    for f in &figs {
        assert_eq!(f.area_code, "130001");
        assert_eq!(f.as_of, "2021-04-21".parse().ok());
        let loc = &f.provenance.locator;
        assert!(loc.starts_with("page:1:lines:"), "{loc}");
    }
    let total = by[&("covid.new_cases".to_string(), String::new())];
    assert_eq!(total.provenance.locator, "page:1:lines:17-17:cols:7-9");
    assert_eq!(total.provenance.raw_text, "843");
    // The locator finds the cell in the layout text.
    let line = doc.layout.pages()[0].lines().nth(16).unwrap();
    let cell: String = line.chars().skip(6).take(3).collect();
    assert_eq!(cell, "843");
}

#[test]
fn pdf_without_the_configured_headers_is_a_layout_failure() {
    let Some(doc) = tokyo() else { return };
    let o = serde_json::json!({
        "metrics": [{"headers": ["交付枚数"], "metric": "card.issued", "unit": "count"}],
        "area": "東京都", "date": {"value": "2021-04-21"}
    });
    let e = run(&doc, &o).unwrap_err();
    assert!(
        matches!(&e, ExtractError::Layout(m) if m.contains("交付枚数")),
        "{e}"
    );
}

#[test]
fn the_prose_of_the_same_pdf_keeps_page_locators() {
    let Some(doc) = tokyo() else { return };
    let meta = SnapshotMeta::for_file("tokyo_sokuhou", URL, "0".repeat(64));
    let input = mynawatch_extract::Input {
        bytes: b"%PDF-",
        meta: &meta,
        options: &serde_json::Value::Null,
    };
    let x = extract(family("page").unwrap().as_ref(), &doc, &input).unwrap();
    let n = &x.rows.notices[0];
    assert_eq!(
        n.title,
        "（情報提供）新型コロナウイルスに関連した患者の発生について【速報値】"
    );
    assert!(n
        .provenance
        .as_ref()
        .unwrap()
        .locator
        .starts_with("page:1:lines:1-"));
}

/// The real MHLW 別紙 in the corpus (`press/mhlw_covid_pref_table_20210221.pdf`): two
/// prefecture tables side by side on one page, headers repeated, note marks (`※3`)
/// beside the names, the 合計 row below a two-line `その他` / `長崎船` entry.
fn mhlw() -> Option<PdfDocument> {
    let path = corpus_dir().join("press/mhlw_covid_pref_table_20210221.pdf");
    if !path.exists() {
        eprintln!("SKIP: corpus file {} not found", path.display());
        return None;
    }
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("SKIP: pdftotext not installed (apt-get install poppler-utils)");
        return None;
    }
    let t = text_pages(&std::fs::read(path).unwrap(), &PdfOptions::default()).unwrap();
    Some(PdfDocument::new(t.prose, t.layout))
}

#[test]
fn side_by_side_prefecture_tables_give_every_prefecture_and_the_total() {
    let Some(doc) = mhlw() else { return };
    let o = serde_json::json!({
        "metrics": [
            {"headers": ["陽性者数"], "metric": "covid.positives", "unit": "persons"},
            {"headers": ["検査人数※3"], "metric": "covid.tested", "unit": "persons"},
            {"headers": ["％"], "metric": "covid.positive_rate", "unit": "percent"}
        ],
        "date": {"value": "2021-02-20"}
    });
    let url = "file://corpus/press/mhlw_covid_pref_table_20210221.pdf";
    let meta = SnapshotMeta::for_file("mhlw_pref", url, "0".repeat(64));
    let input = mynawatch_extract::Input {
        bytes: b"%PDF-",
        meta: &meta,
        options: &o,
    };
    let x = extract(family("table").unwrap().as_ref(), &doc, &input).unwrap();
    let get = |metric: &str, code: &str| {
        x.rows
            .figures
            .iter()
            .find(|f| f.metric == metric && f.area_code == code)
            .unwrap_or_else(|| panic!("no {metric} for {code}"))
    };
    // The facts PROVENANCE.md lists.
    assert_eq!(get("covid.positives", "000000").value, Some(422_293.0));
    assert_eq!(get("covid.tested", "000000").value, Some(7_426_667.0));
    assert_eq!(get("covid.positive_rate", "000000").value, Some(5.7));
    assert_eq!(get("covid.positives", "130001").value, Some(109_462.0));
    assert_eq!(get("covid.tested", "130001").value, Some(1_479_717.0));
    assert_eq!(get("covid.positive_rate", "130001").value, Some(7.4));
    // Both halves of the page: all 47 prefectures, each metric once.
    let prefs: std::collections::BTreeSet<&str> = x
        .rows
        .figures
        .iter()
        .filter(|f| f.metric == "covid.positives" && f.area_code != "000000")
        .map(|f| f.area_code.as_str())
        .collect();
    assert_eq!(prefs.len(), 47, "{prefs:?}");
    assert_eq!(x.rows.figures.len(), 48 * 3);
    // The prefectures and the cruise ship (その他, 149, no area: warned and skipped) add
    // up to the printed total.
    let sum: f64 = x
        .rows
        .figures
        .iter()
        .filter(|f| f.metric == "covid.positives" && f.area_code != "000000")
        .filter_map(|f| f.value)
        .sum();
    assert_eq!(sum + 149.0, 422_293.0);
    assert!(
        x.warnings.iter().all(|w| w.contains("※2")),
        "{:?}",
        x.warnings
    );
    // 大阪 stands in the right-hand table.
    let osaka = get("covid.positives", "270008");
    assert_eq!(osaka.value, Some(46_521.0));
    assert!(
        osaka.provenance.locator.starts_with("page:1:lines:"),
        "{}",
        osaka.provenance.locator
    );
}

mod arbitrary_text {
    use mynawatch_extract::family;
    use mynawatch_extract::pdf::{extract, paragraphs, PdfDocument, PdfPages};
    use mynawatch_model::SnapshotMeta;
    use proptest::prelude::*;

    /// Lines of headers, numbers, names, notes and spaces in any arrangement.
    fn page() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "総数",
            "重症者",
            "都道府県名",
            "陽性者数",
            "％",
            "東京",
            "合計",
            "※3",
            "843",
            "1,234",
            "5.7%",
            "-",
            "  ",
            "    ",
            " ",
            "\n",
            "\n\n",
            "令和7年",
            "(1)",
            "。",
            "https://x.jp/a.pdf",
        ]);
        prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn pdf_readers_never_panic_on_any_layout(pages in prop::collection::vec(page(), 0..3)) {
            let _ = paragraphs(&PdfPages::new(pages.clone()));
            let doc = PdfDocument::new(pages.clone(), pages);
            let meta = SnapshotMeta::for_file("p", "file:///x.pdf", "0".repeat(64));
            let table = serde_json::json!({
                "metrics": [
                    {"headers": ["総数"], "metric": "a", "unit": "persons"},
                    {"headers": ["重症者"], "metric": "b", "unit": "persons"},
                    {"headers": ["陽性者数"], "metric": "c", "unit": "persons"},
                    {"headers": ["％"], "metric": "d", "unit": "percent"}
                ],
                "area": "東京都", "date": {"value": "2021-04-21"}
            });
            for (fam, o) in [("table", table), ("page", serde_json::Value::Null), ("municipal_notice", serde_json::Value::Null)] {
                let input = mynawatch_extract::Input { bytes: b"%PDF-", meta: &meta, options: &o };
                let _ = extract(family(fam).unwrap().as_ref(), &doc, &input);
            }
        }
    }
}
