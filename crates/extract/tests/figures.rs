//! Figure extraction on the real MIC files: the `table` family, driven by config only,
//! reproduces Code for Japan's cleaned 2017 tables value for value.

use std::collections::BTreeMap;

use mynawatch_extract::{family, ExtractError, Input};
use mynawatch_model::{Figure, FigureStatus, SnapshotMeta};
use mynawatch_testutil::{corpus_bytes, corpus_dir, fixture_bytes};

fn meta(url: &str) -> SnapshotMeta {
    SnapshotMeta::for_file("mic", url, "0".repeat(64))
}

fn run_table(
    bytes: &[u8],
    url: &str,
    options: &serde_json::Value,
) -> Result<mynawatch_extract::Extraction, ExtractError> {
    run("table", bytes, url, options)
}

fn run(
    name: &str,
    bytes: &[u8],
    url: &str,
    options: &serde_json::Value,
) -> Result<mynawatch_extract::Extraction, ExtractError> {
    let m = meta(url);
    family(name).unwrap().extract(&Input {
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
    camelot_through("table", &options("table/configs/mic_2017_camelot.json")).0
}

/// All 38 camelot CSVs through one family: figures (each key once) and warnings.
fn camelot_through(name: &str, opts: &serde_json::Value) -> (Vec<Figure>, Vec<String>) {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let mut keys = BTreeMap::new();
    for i in 0..38 {
        let file = format!("000490028_{i}.csv");
        let bytes = corpus_bytes(&format!("figures/mic_pdf_camelot_000490028/{file}"));
        let x = run(
            name,
            &bytes,
            &format!("https://www.soumu.go.jp/main_content/{file}"),
            opts,
        )
        .unwrap();
        warnings.extend(x.warnings);
        for f in x.rows.figures {
            // Across files the same key must agree (national rows, top-10 tables).
            if let Some(v) = keys.insert(f.key(), f.value) {
                assert_eq!(v, f.value, "{} disagrees across pages", f.key());
                continue;
            }
            out.push(f);
        }
    }
    (out, warnings)
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

/// Every value of a Code for Japan cleaned CSV, keyed (area code, dimensions, metric).
/// Codes are the file's `団体コード` zero-padded, or looked up by name where the
/// converter wrote `<NA>`; rows without area columns are 全国.
fn cleaned_all(file: &str) -> BTreeMap<(String, String, String), f64> {
    let path = corpus_dir().join("figures/mic_cfj_cleaned").join(file);
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers: Vec<String> = rdr
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let metric_of = |h: &str| -> Option<(&'static str, String)> {
        let (base, sex) = match h.split_once('(') {
            Some((b, s)) if s.ends_with(')') && !b.starts_with("総数") => (b, &s[..s.len() - 1]),
            _ => (h, ""),
        };
        let sex = match sex {
            "男" => "sex=male",
            "女" => "sex=female",
            "計" => "sex=total",
            _ => "",
        };
        let m = match base {
            "総数（人口）" | "人口" => "population",
            "交付枚数" | "交付件数" => "card.issued",
            "人口に対する交付枚数率" | "交付率" => "card.issue_rate",
            "全体に対する交付件数割合" => "card.issue_share",
            _ => return None,
        };
        Some((m, sex.to_string()))
    };
    let types = [
        ("特別区", "special_ward"),
        ("政令指定都市", "designated_city"),
        ("指定都市", "designated_city"),
        ("市（政令指定都市を除く）", "city"),
        ("特別区・市（指定都市を除く）", "special_ward_or_city"),
        ("町村", "town_village"),
    ];
    let mut out = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let (code, mut dims) = if let Some(c) = col("団体コード") {
            let code = match &rec[c] {
                "<NA>" => mynawatch_ja::area::lookup(&rec[1], &rec[2])
                    .unwrap()
                    .code
                    .to_string(),
                c => format!("{c:0>6}"),
            };
            (code, String::new())
        } else if col("都道府県名").is_some() {
            let p = mynawatch_ja::area::prefecture(&rec[1]).unwrap();
            (p.code.to_string(), String::new())
        } else if let Some(c) = col("区分") {
            let t = types.iter().find(|(n, _)| *n == &rec[c]);
            let dims = t.map(|(_, id)| format!("municipality_type={id}"));
            ("000000".to_string(), dims.unwrap_or_default())
        } else {
            let age = mynawatch_ja::normalize_name(&rec[col("年齢").unwrap()]);
            ("000000".to_string(), format!("年齢={age}"))
        };
        for (i, h) in headers.iter().enumerate() {
            if let Some((m, sex)) = metric_of(h) {
                if !sex.is_empty() {
                    dims = dims.split(';').next().unwrap().to_string() + ";" + &sex;
                }
                out.insert(
                    (code.clone(), dims.clone(), m.to_string()),
                    rec[i].parse().unwrap(),
                );
            }
        }
    }
    out
}

fn assert_covers(got: &[Figure], want: &BTreeMap<(String, String, String), f64>, what: &str) {
    let got: BTreeMap<(String, String, String), f64> = got
        .iter()
        .map(|f| {
            (
                (f.area_code.clone(), f.dimensions.clone(), f.metric.clone()),
                f.value.unwrap(),
            )
        })
        .collect();
    for (k, v) in want {
        assert_eq!(got.get(k), Some(v), "{what}: {k:?}");
    }
}

#[test]
fn mic_card_stats_reproduces_every_cleaned_2017_figure_from_the_pdf_tables_without_config() {
    let (figures, warnings) = camelot_through("mic_card_stats", &serde_json::Value::Null);
    for file in [
        "20170308_all_localgovs.csv",
        "20170308_all_prefectures.csv",
        "20170308_summary_by_types.csv",
    ] {
        let want = cleaned_all(file);
        assert!(want.len() >= 15, "{file}");
        assert_covers(&figures, &want, file);
    }
    // Each page is part of the list, so no page is reported as disagreeing; and Σ of
    // the 1,741 municipalities does equal the national totals.
    assert!(
        !warnings.iter().any(|w| w.contains("sum to")),
        "{warnings:?}"
    );
    for m in ["population", "card.issued"] {
        let of = |f: &&Figure| f.metric == m && f.dimensions.is_empty();
        let munis: Vec<&Figure> = figures
            .iter()
            .filter(of)
            .filter(|f| f.area_code != "000000" && &f.area_code[2..5] != "000")
            .collect();
        assert_eq!(munis.len(), 1741);
        let national = figures
            .iter()
            .filter(of)
            .find(|f| f.area_code == "000000")
            .unwrap();
        assert_eq!(
            munis.iter().map(|f| f.value.unwrap()).sum::<f64>(),
            national.value.unwrap(),
            "{m}"
        );
    }
    // The five 2017 categories map to stable ids.
    let types: std::collections::BTreeSet<&str> = figures
        .iter()
        .filter_map(|f| f.dimensions.strip_prefix("municipality_type="))
        .collect();
    assert_eq!(
        types.into_iter().collect::<Vec<_>>(),
        vec!["city", "designated_city", "special_ward", "town_village"]
    );
}

#[test]
fn mic_card_stats_reads_the_2022_cleaned_set_with_four_types_and_demographics() {
    let mut all = Vec::new();
    let mut warnings = Vec::new();
    for file in [
        "20221231_all_localgovs.csv",
        "20221231_all_prefectures.csv",
        "20221231_summary_by_types.csv",
        "20221231_demographics.csv",
    ] {
        let bytes = corpus_bytes(&format!("figures/mic_cfj_cleaned/{file}"));
        let x = run(
            "mic_card_stats",
            &bytes,
            &format!("https://example.jp/{file}"),
            &serde_json::Value::Null,
        )
        .unwrap();
        assert_covers(&x.rows.figures, &cleaned_all(file), file);
        warnings.extend(x.warnings);
        all.extend(x.rows.figures);
    }
    let national = |m: &str| {
        all.iter()
            .find(|f| f.area_code == "000000" && f.dimensions.is_empty() && f.metric == m)
            .map(|f| (f.value.unwrap(), f.as_of.unwrap().to_string()))
    };
    assert_eq!(
        national("card.issued"),
        Some((71_905_789.0, "2022-12-31".into()))
    );
    assert_eq!(
        national("population"),
        Some((125_927_902.0, "2022-01-01".into()))
    );
    // The age table's bands do not add up to its own 全体 population (the source
    // disagrees with itself): reported for each sex, the published values kept.
    let age: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("age bands"))
        .collect();
    assert_eq!(age.len(), 3, "{warnings:?}");
    assert!(
        age.iter()
            .any(|w| w.contains("sex=total") && w.contains("difference 55")),
        "{age:?}"
    );
    // Cards issued by age add up exactly, and municipalities add up to 全国.
    assert!(
        !warnings.iter().any(|w| w.starts_with("card.issued")),
        "{warnings:?}"
    );
}

#[test]
fn mic_workbook_tables_are_found_by_header_on_any_sheet_with_header_dates() {
    let bytes = fixture_bytes("mic_card_stats/kofujokyo_r041231.xlsx");
    let x = run(
        "mic_card_stats",
        &bytes,
        "https://www.soumu.go.jp/main_content/000857000.xlsx",
        &serde_json::Value::Null,
    )
    .unwrap();
    let get = |code: &str, dims: &str, m: &str| {
        x.rows
            .figures
            .iter()
            .find(|f| f.area_code == code && f.dimensions == dims && f.metric == m)
            .map(|f| {
                (
                    f.value.unwrap(),
                    f.as_of.unwrap().to_string(),
                    f.provenance.locator.clone(),
                )
            })
    };
    assert_eq!(
        get("131130", "", "card.issued"),
        Some((135_186.0, "2022-12-31".into(), "市区町村別!D7".into()))
    );
    assert_eq!(
        get("131130", "", "population").map(|v| v.1),
        Some("2022-01-01".into())
    );
    // 郡 prefix and the renamed 三宅村 (was 三宅島三宅村) resolve to their codes.
    assert_eq!(get("013030", "", "card.issued").map(|v| v.0), Some(7677.0));
    assert_eq!(
        get("473821", "", "card.issue_rate").map(|v| v.0),
        Some(48.8)
    );
    assert!(get("133817", "", "card.issued").is_some());
    // The merged 区分 cell: sub-categories in column B, 4-category era ids.
    assert_eq!(
        get(
            "000000",
            "municipality_type=special_ward_or_city",
            "population"
        )
        .map(|v| v.0),
        Some(87_897_927.0)
    );
    assert_eq!(
        get("130001", "", "card.issue_rate").map(|v| v.0),
        Some(57.9)
    );
    // The national row is on two sheets with the same values: kept once.
    let national = x
        .rows
        .figures
        .iter()
        .filter(|f| f.area_code == "000000" && f.dimensions.is_empty())
        .count();
    assert_eq!(national, 3);
}

#[test]
fn every_figure_family_rejects_the_real_html_error_page_saved_as_xlsx() {
    let bytes =
        corpus_bytes("figures/negative/soumu_404_page_saved_as_mynumber_card_data_detailed.xlsx");
    let table_opts = options("table/configs/mic_2017_camelot.json");
    for name in ["table", "mic_card_stats", "da_dashboard", "mhlw_usage"] {
        let opts = if name == "table" {
            table_opts.clone()
        } else {
            serde_json::Value::Null
        };
        match run(
            name,
            &bytes,
            "https://www.soumu.go.jp/main_content/001028752.xlsx",
            &opts,
        ) {
            Err(ExtractError::WrongContent(m)) => {
                assert!(
                    m.contains("001028752.xlsx") && m.contains("HTML"),
                    "{name}: {m}"
                )
            }
            other => panic!("{name}: expected WrongContent, got {other:?}"),
        }
    }
}

/// The published dashboard values: (metric, month "YYYY-MM") → value.
fn dashboard_published() -> BTreeMap<(String, String), f64> {
    let json: serde_json::Value = serde_json::from_slice(&corpus_bytes(
        "figures/digital_dashboard_derived/stats_data_from_20260227_table01.json",
    ))
    .unwrap();
    let mut out = BTreeMap::new();
    for (series, count, rate) in [
        ("myna_card", "card.holdings", "card.holding_rate"),
        (
            "kenpo_reg",
            "insurance.registrations",
            "insurance.registration_rate",
        ),
    ] {
        for p in json[series].as_array().unwrap() {
            let month = p["month"].as_str().unwrap().to_string();
            out.insert((count.into(), month.clone()), p["cumul"].as_f64().unwrap());
            out.insert((rate.into(), month), p["rate"].as_f64().unwrap());
        }
    }
    out
}

fn dashboard(file: &str) -> mynawatch_extract::Extraction {
    run(
        "da_dashboard",
        &fixture_bytes(&format!("da_dashboard/{file}")),
        &format!("https://www.digital.go.jp/assets/contents/node/basic_page/field_ref_resources/x/{file}"),
        &serde_json::Value::Null,
    )
    .unwrap()
}

fn by_month(x: &mynawatch_extract::Extraction) -> BTreeMap<(String, String), &Figure> {
    x.rows
        .figures
        .iter()
        .map(|f| {
            let d = f.as_of.unwrap().to_string();
            ((f.metric.clone(), d[..7].to_string()), f)
        })
        .collect()
}

#[test]
fn dashboard_wide_csv_reproduces_every_published_value() {
    let x = dashboard("penetration_rate_table_01_wide.csv");
    let got = by_month(&x);
    let want = dashboard_published();
    assert_eq!(want.len(), 48);
    for (k, v) in &want {
        assert_eq!(got.get(k).and_then(|f| f.value), Some(*v), "{k:?}");
    }
    assert_eq!(got.len(), want.len(), "no other series in this file");
    let jan = got[&("card.holdings".to_string(), "2026-01".to_string())];
    assert_eq!(jan.as_of.unwrap().to_string(), "2026-01-31");
    assert_eq!(jan.provenance.raw_text, "101,148,007");
    assert_eq!(jan.area_code, "000000");
    let rate = got[&(
        "insurance.registration_rate".to_string(),
        "2026-01".to_string(),
    )];
    assert_eq!((rate.value, rate.unit.as_str()), (Some(90.3), "percent"));
    assert_eq!(rate.provenance.raw_text, "90.3%");
}

#[test]
fn dashboard_long_csv_gives_the_same_values_and_a_missing_holding_rate() {
    let x = dashboard("card_penetration_usage_table_01_long.csv");
    let got = by_month(&x);
    let want = dashboard_published();
    let mut months = 0;
    for ((metric, month), v) in &want {
        if month.as_str() < "2025-05" {
            continue;
        }
        let f = got[&(metric.clone(), month.clone())];
        if metric == "card.holding_rate" {
            // Not in this layout: reported as missing, not computed.
            assert_eq!(
                (f.value, f.status),
                (None, FigureStatus::Missing),
                "{month}"
            );
            months += 1;
        } else {
            assert_eq!(f.value, Some(*v), "{metric} {month}");
        }
    }
    assert_eq!(months, 9);
    let reg = got[&(
        "insurance.registration_rate".to_string(),
        "2026-01".to_string(),
    )];
    assert_eq!(reg.provenance.raw_text, "0.903");
    assert_eq!(reg.value, Some(90.3));
}

fn mhlw(file: &str, url: &str) -> mynawatch_extract::Extraction {
    run(
        "mhlw_usage",
        &fixture_bytes(&format!("mhlw_usage/{file}")),
        url,
        &serde_json::Value::Null,
    )
    .unwrap()
}

/// (metric, period start, period end, value) of every figure.
fn periods(x: &mynawatch_extract::Extraction) -> Vec<(String, String, String, f64)> {
    x.rows
        .figures
        .iter()
        .map(|f| {
            (
                f.metric.clone(),
                f.period_start.unwrap().to_string(),
                f.period_end.unwrap().to_string(),
                f.value.unwrap(),
            )
        })
        .collect()
}

#[test]
fn mhlw_page_gives_monthly_rates_an_exact_cancellation_range_and_its_xlsx_links() {
    let x = mhlw(
        "usage_page.html",
        "https://www.mhlw.go.jp/stf/newpage_08277.html",
    );
    let rate = |m: &str, s: &str, e: &str, v: f64| (m.to_string(), s.to_string(), e.to_string(), v);
    assert_eq!(
        periods(&x),
        vec![
            rate("insurance.usage_rate", "2024-12-01", "2024-12-31", 25.42),
            rate("insurance.usage_rate", "2024-11-01", "2024-11-30", 18.52),
            rate(
                "insurance.registration_cancellations",
                "2024-10-28",
                "2024-11-30",
                13_342.0
            ),
        ]
    );
    let xlsx: Vec<&str> = x.links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(
        xlsx,
        vec![
            "https://www.mhlw.go.jp/content/12400000/001369478.xlsx",
            "https://www.mhlw.go.jp/content/12400000/001369479.xlsx"
        ]
    );
    assert!(x.rows.figures[2].provenance.raw_text.contains("13,342件"));
}

#[test]
fn mhlw_workbook_keeps_months_and_slash_ranges_exact_across_the_new_year() {
    let x = mhlw(
        "usage_and_cancellations.xlsx",
        "https://www.mhlw.go.jp/content/12400000/001369478.xlsx",
    );
    let got = periods(&x);
    let find = |m: &str, s: &str| {
        got.iter()
            .find(|g| g.0 == m && g.1 == s)
            .map(|g| (g.2.clone(), g.3))
    };
    assert_eq!(
        find("insurance.usage_rate", "2024-11-01"),
        Some(("2024-11-30".into(), 18.52))
    );
    assert_eq!(
        find("insurance.usage_count", "2024-12-01"),
        Some(("2024-12-31".into(), 57_211_034.0))
    );
    assert_eq!(
        find("insurance.registration_cancellations", "2024-10-28"),
        Some(("2024-11-30".into(), 13_342.0))
    );
    // `1/1～1/31` after December is the next year.
    assert_eq!(
        find("insurance.registration_cancellations", "2025-01-01"),
        Some(("2025-01-31".into(), 11_095.0))
    );
    let f = x
        .rows
        .figures
        .iter()
        .find(|f| f.metric == "insurance.registration_cancellations")
        .unwrap();
    assert_eq!(f.provenance.locator, "利用登録解除!B4");
    assert_eq!(
        x.rows
            .figures
            .iter()
            .filter(|f| f.metric == "insurance.usage_rate")
            .count(),
        4
    );
}

#[test]
fn a_workbook_where_the_config_says_csv_is_wrong_content() {
    let bytes = corpus_bytes("figures/osaka_city_chocho/町丁目別カード取得率1130全区.xlsx");
    let err = run_table(
        &bytes,
        "https://example.jp/data1130.csv",
        &options("table/configs/osaka_chocho_csv.json"),
    )
    .unwrap_err();
    assert!(
        matches!(&err, ExtractError::WrongContent(m) if m.contains("workbook")),
        "{err:?}"
    );
}

/// The 38 pages as one CSV, as a PDF-to-CSV tool that writes one file per document does.
fn camelot_as_one_csv() -> String {
    (0..38)
        .map(|i| {
            String::from_utf8(corpus_bytes(&format!(
                "figures/mic_pdf_camelot_000490028/000490028_{i}.csv"
            )))
            .unwrap()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn mic_totals_are_checked_against_the_complete_municipality_list() {
    let url = "https://www.soumu.go.jp/main_content/000490028.csv";
    let whole = camelot_as_one_csv();
    let x = run(
        "mic_card_stats",
        whole.as_bytes(),
        url,
        &serde_json::Value::Null,
    )
    .unwrap();
    assert!(
        !x.warnings.iter().any(|w| w.contains("sum to")),
        "the real release adds up: {:?}",
        x.warnings
    );
    // One municipality off by one: the source now disagrees with itself; reported, kept.
    let altered = whole.replacen("\"23,007\"", "\"23,008\"", 1);
    assert_ne!(altered, whole);
    let x = run(
        "mic_card_stats",
        altered.as_bytes(),
        url,
        &serde_json::Value::Null,
    )
    .unwrap();
    let w: Vec<&String> = x.warnings.iter().filter(|w| w.contains("sum to")).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].starts_with("card.issued 2017-03-08") && w[0].contains("difference -1"));
    let national = x
        .rows
        .figures
        .iter()
        .find(|f| f.area_code == "000000" && f.dimensions.is_empty() && f.metric == "card.issued")
        .unwrap();
    assert_eq!(national.value, Some(10_717_919.0));
}
