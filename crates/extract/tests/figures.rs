//! Figure extraction on the real MIC files: the `table` family, driven by config only,
//! reproduces Code for Japan's cleaned 2017 tables value for value.

use std::collections::BTreeMap;

use mynawatch_extract::{family, ExtractError, Input};
use mynawatch_model::{Figure, SnapshotMeta};
use mynawatch_testutil::{corpus_bytes, corpus_dir, fixture_bytes};

fn meta(url: &str) -> SnapshotMeta {
    SnapshotMeta::for_file("mic", url, &[], "0".repeat(64))
}

fn run_table(
    bytes: &[u8],
    url: &str,
    options: &serde_json::Value,
) -> Result<mynawatch_extract::Extraction, ExtractError> {
    let m = meta(url);
    family("table").unwrap().extract(&Input {
        bytes,
        meta: &m,
        options,
    })
}

fn options(fixture: &str) -> serde_json::Value {
    serde_json::from_slice(&fixture_bytes(fixture)).unwrap()
}

/// All 38 camelot CSVs through `table` with one config.
fn camelot_figures() -> Vec<Figure> {
    let opts = options("table/configs/mic_2017_camelot.json");
    let mut out = Vec::new();
    let mut keys = BTreeMap::new();
    for i in 0..38 {
        let name = format!("000490028_{i}.csv");
        let bytes = corpus_bytes(&format!("figures/mic_pdf_camelot_000490028/{name}"));
        let x = run_table(
            &bytes,
            &format!("https://www.soumu.go.jp/main_content/{name}"),
            &opts,
        )
        .unwrap();
        for f in x.rows.figures {
            // Across files the same key must agree (national rows, top-10 tables).
            if let Some(v) = keys.insert(f.key(), f.value) {
                assert_eq!(v, f.value, "{} disagrees across pages", f.key());
                continue;
            }
            out.push(f);
        }
    }
    out
}

/// The cleaned CSV rows as (code, metric) → value.
fn cleaned(
    file: &str,
    code_of: impl Fn(&csv::StringRecord) -> String,
) -> BTreeMap<(String, &'static str), f64> {
    let path = corpus_dir().join("figures/mic_cfj_cleaned").join(file);
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let (pop, cards, rate) = (
        col("総数（人口）"),
        col("交付枚数"),
        col("人口に対する交付枚数率"),
    );
    let mut out = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let code = code_of(&rec);
        out.insert((code.clone(), "population"), rec[pop].parse().unwrap());
        out.insert((code.clone(), "card.issued"), rec[cards].parse().unwrap());
        out.insert((code, "card.issue_rate"), rec[rate].parse().unwrap());
    }
    out
}

#[test]
fn camelot_tables_match_code_for_japan_for_every_municipality_prefecture_and_the_nation() {
    let figures = camelot_figures();
    let got: BTreeMap<(String, String), f64> = figures
        .iter()
        .filter(|f| !f.area_code.is_empty())
        .map(|f| ((f.area_code.clone(), f.metric.clone()), f.value.unwrap()))
        .collect();

    let munis = cleaned("20170308_all_localgovs.csv", |r| format!("{:0>6}", &r[8]));
    assert_eq!(munis.len(), 1741 * 3);
    for ((code, metric), want) in &munis {
        let have = got.get(&(code.clone(), metric.to_string()));
        assert_eq!(have, Some(want), "municipality {code} {metric}");
    }
    let prefs = cleaned("20170308_all_prefectures.csv", |r| {
        mynawatch_ja::area::prefecture(&r[1])
            .unwrap()
            .code
            .to_string()
    });
    assert_eq!(prefs.len(), 47 * 3);
    for ((code, metric), want) in &prefs {
        assert_eq!(
            got.get(&(code.clone(), metric.to_string())),
            Some(want),
            "prefecture {code} {metric}"
        );
    }
    assert_eq!(got[&("000000".into(), "population".into())], 128_066_211.0);
    assert_eq!(got[&("000000".into(), "card.issued".into())], 10_717_919.0);
    assert_eq!(got[&("000000".into(), "card.issue_rate".into())], 8.4);
    // Exactly the 1,741 + 47 + 1 areas, each with its three metrics.
    let areas: std::collections::BTreeSet<&String> = got.keys().map(|(c, _)| c).collect();
    assert_eq!(areas.len(), 1741 + 47 + 1);
    // One 埼玉県, not two (the municipality pages spell it with a Kangxi radical).
    let saitama: std::collections::BTreeSet<&str> = figures
        .iter()
        .filter(|f| f.area_name.starts_with("埼"))
        .map(|f| &f.area_name[..9])
        .collect();
    assert_eq!(saitama.into_iter().collect::<Vec<_>>(), vec!["埼玉県"]);
}

#[test]
fn camelot_rows_carry_dates_from_their_headers_and_cell_provenance() {
    let figures = camelot_figures();
    let shibuya: Vec<&Figure> = figures.iter().filter(|f| f.area_code == "131130").collect();
    let pop = shibuya.iter().find(|f| f.metric == "population").unwrap();
    assert_eq!(pop.value, Some(219_898.0));
    assert_eq!(
        pop.as_of.unwrap().to_string(),
        "2016-01-01",
        "人口【H28.1.1時点】"
    );
    assert_eq!(pop.area_name, "東京都渋谷区");
    assert_eq!(pop.provenance.raw_text, "219,898");
    assert!(
        pop.provenance.locator.starts_with("000490028_17.csv!r"),
        "{}",
        pop.provenance.locator
    );
    let cards = shibuya.iter().find(|f| f.metric == "card.issued").unwrap();
    assert_eq!(
        (cards.value, cards.as_of.unwrap().to_string()),
        (Some(23_007.0), "2017-03-08".to_string())
    );
    let rate = shibuya
        .iter()
        .find(|f| f.metric == "card.issue_rate")
        .unwrap();
    assert_eq!((rate.value, rate.unit.as_str()), (Some(10.5), "percent"));
    let awashima: Vec<_> = figures
        .iter()
        .filter(|f| f.area_code == "155861")
        .map(|f| f.value.unwrap())
        .collect();
    assert_eq!(awashima, vec![363.0, 138.0, 38.0]);
}

#[test]
fn type_table_keeps_its_five_categories() {
    let opts = options("table/configs/mic_2017_camelot.json");
    let bytes = corpus_bytes("figures/mic_pdf_camelot_000490028/000490028_0.csv");
    let x = run_table(
        &bytes,
        "https://www.soumu.go.jp/main_content/000490028_0.csv",
        &opts,
    )
    .unwrap();
    let pops: Vec<(String, f64)> = x
        .rows
        .figures
        .iter()
        .filter(|f| f.metric == "population")
        .map(|f| (f.area_name.clone(), f.value.unwrap()))
        .collect();
    assert_eq!(
        pops,
        vec![
            ("全国".to_string(), 128_066_211.0),
            ("特別区".to_string(), 9_205_712.0),
            ("政令指定都市".to_string(), 27_333_950.0),
            ("市(政令指定都市を除く)".to_string(), 80_281_895.0),
            ("町村".to_string(), 11_244_654.0),
        ]
    );
}

#[test]
fn cleaned_2022_file_gives_shibuya_with_its_two_base_dates() {
    let opts = options("table/configs/cfj_cleaned.json");
    let bytes = corpus_bytes("figures/mic_cfj_cleaned/20221231_all_localgovs.csv");
    let x = run_table(
        &bytes,
        "https://example.jp/20221231_all_localgovs.csv",
        &opts,
    )
    .unwrap();
    let shibuya: Vec<(String, String, f64)> = x
        .rows
        .figures
        .iter()
        .filter(|f| f.area_code == "131130")
        .map(|f| {
            (
                f.metric.clone(),
                f.as_of.unwrap().to_string(),
                f.value.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shibuya,
        vec![
            ("population".into(), "2022-01-01".into(), 229_013.0),
            ("card.issued".into(), "2022-12-31".into(), 135_186.0),
            ("card.issue_rate".into(), "2022-12-31".into(), 59.0),
        ]
    );
    // The two renamed villages whose codes the converter lost resolve too.
    assert!(x.rows.figures.iter().any(|f| f.area_code == "133817"));
    assert!(x.rows.figures.iter().any(|f| f.area_code == "134015"));
    assert_eq!(x.rows.figures.len(), 1741 * 3);
}

#[test]
fn an_html_error_page_saved_as_xlsx_is_wrong_content_with_its_title() {
    let bytes =
        corpus_bytes("figures/negative/soumu_404_page_saved_as_mynumber_card_data_detailed.xlsx");
    let err = run_table(
        &bytes,
        "https://www.soumu.go.jp/main_content/001028752.xlsx",
        &options("table/configs/mic_2017_camelot.json"),
    )
    .unwrap_err();
    match err {
        ExtractError::WrongContent(m) => {
            assert!(m.contains("ご利用のページが見つかりません"), "{m}")
        }
        other => panic!("expected WrongContent, got {other:?}"),
    }
}

/// Osaka's per-町丁目 table, xlsx (formula cells) or CP932 CSV, through `table`.
fn osaka(file: &str, config: &str) -> mynawatch_extract::Extraction {
    let bytes = corpus_bytes(&format!("figures/osaka_city_chocho/{file}"));
    run_table(
        &bytes,
        &format!("https://example.jp/{file}"),
        &options(config),
    )
    .unwrap()
}

fn ikeda(x: &mynawatch_extract::Extraction) -> Vec<(String, f64, String)> {
    x.rows
        .figures
        .iter()
        .filter(|f| f.dimensions == "区=北区;町丁目名=池田町")
        .map(|f| {
            (
                f.metric.clone(),
                f.value.unwrap(),
                f.as_of.unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn osaka_xlsx_reads_cached_formula_values_and_ward_codes() {
    let x = osaka(
        "町丁目別カード取得率1130全区.xlsx",
        "table/configs/osaka_chocho_xlsx.json",
    );
    let d = "2022-11-30".to_string();
    assert_eq!(
        ikeda(&x),
        vec![
            ("households".into(), 2613.0, d.clone()),
            ("population".into(), 4490.0, d.clone()),
            ("card.holders".into(), 2751.0, d.clone()),
            ("card.holding_rate".into(), 0.612694877505568, d),
        ]
    );
    let f = x
        .rows
        .figures
        .iter()
        .find(|f| f.dimensions == "区=北区;町丁目名=池田町" && f.metric == "card.holding_rate")
        .unwrap();
    // The area table has no 行政区 codes: 大阪市 (271004) with the ward as a dimension.
    // The rate is a formula (=F2/E2) read from its cached value.
    assert_eq!(f.area_code, "271004");
    assert_eq!(f.provenance.locator, "全区1130!H2");
    let wards: std::collections::BTreeSet<&str> = x
        .rows
        .figures
        .iter()
        .filter_map(|f| f.dimensions.split(';').next())
        .collect();
    assert_eq!(wards.len(), 24, "{wards:?}");
}

#[test]
fn osaka_cp932_csv_decodes_and_sums_to_the_published_totals() {
    let x = osaka("data1130.csv", "table/configs/osaka_chocho_csv.json");
    let d = "2022-11-30".to_string();
    assert_eq!(
        ikeda(&x),
        vec![
            ("households".into(), 2613.0, d.clone()),
            ("population".into(), 4490.0, d.clone()),
            ("card.holders".into(), 2751.0, d.clone()),
            ("card.holding_rate".into(), 0.613, d),
        ]
    );
    let sum = |m: &str| -> f64 {
        x.rows
            .figures
            .iter()
            .filter(|f| f.metric == m)
            .map(|f| f.value.unwrap())
            .sum()
    };
    assert_eq!(sum("population"), 2_742_681.0);
    assert_eq!(sum("card.holders"), 1_540_945.0);
    // 西成区's rows carry their own base date (8/31/22).
    assert!(x
        .rows
        .figures
        .iter()
        .any(|f| f.dimensions.starts_with("区=西成区;")
            && f.as_of.unwrap().to_string() == "2022-08-31"));
    // Full-width digits inside names are normalized in the dimension.
    assert!(x
        .rows
        .figures
        .iter()
        .any(|f| f.dimensions == "区=北区;町丁目名=浮田1丁目"));
}
