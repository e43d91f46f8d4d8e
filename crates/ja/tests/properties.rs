//! Whole-table and property tests: the area table against every municipality in the real
//! MIC 2017 and 2022 releases, and round trips of numbers, era dates and normalization.

use mynawatch_ja::{area, normalize, parse_date, parse_number};
use proptest::prelude::*;

/// (prefecture, municipality, code without leading zero or `<NA>`) of every row of a cleaned MIC CSV.
fn localgov_rows(rel: &str) -> Vec<(String, String, String)> {
    let bytes = mynawatch_testutil::corpus_bytes(rel);
    let text = String::from_utf8(bytes).expect("cleaned MIC CSV is UTF-8");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<String> = l
                .split(',')
                .map(|c| c.trim_matches('"').to_string())
                .collect();
            (cols[1].clone(), cols[2].clone(), cols[8].clone())
        })
        .collect()
}

#[test]
fn every_municipality_of_the_2017_and_2022_releases_resolves_to_its_code() {
    for rel in [
        "figures/mic_cfj_cleaned/20170308_all_localgovs.csv",
        "figures/mic_cfj_cleaned/20221231_all_localgovs.csv",
    ] {
        let rows = localgov_rows(rel);
        assert!(rows.len() > 1700, "{rel}: {} rows", rows.len());
        for (pref, name, code5) in rows {
            let found = area::lookup(&pref, &name)
                .unwrap_or_else(|| panic!("{rel}: {pref} {name} not found"));
            if code5 != "<NA>" {
                // The CSV column is the 6-digit code with its leading zero dropped.
                let want = format!("{:0>6}", code5);
                assert_eq!(found.code, want, "{rel}: {pref} {name}");
                let digit = area::check_digit(&want[..5]).expect("five digits");
                assert_eq!(
                    want.chars().nth(5),
                    Some(digit),
                    "{pref}{name}: check digit"
                );
            }
            assert_eq!(found.prefecture, pref, "{rel}: {name}");
        }
    }
}

#[test]
fn every_prefecture_resolves_and_is_a_prefecture() {
    let rows = localgov_rows("figures/mic_cfj_cleaned/20221231_all_localgovs.csv");
    for (pref, _, _) in rows {
        let p = area::prefecture(&pref).unwrap_or_else(|| panic!("{pref}"));
        assert!(p.is_prefecture(), "{pref} -> {}", p.code);
        assert_eq!(p.prefecture, pref);
    }
}

/// `1234567` → `1,234,567`.
fn with_commas(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// ASCII digits and punctuation to their full-width forms, as in MIC PDFs.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | ',' | '.' | '%' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// `123456789` → `1億2345万6789`.
fn man_oku(n: u64) -> String {
    let (oku, man, rest) = (n / 100_000_000, (n / 10_000) % 10_000, n % 10_000);
    let mut s = String::new();
    if oku > 0 {
        s.push_str(&format!("{oku}億"));
    }
    if man > 0 {
        s.push_str(&format!("{man}万"));
    }
    if rest > 0 || s.is_empty() {
        s.push_str(&rest.to_string());
    }
    s
}

/// Kanji numeral below 10,000 (`二千三百四`), the way Diet minutes write figures.
fn kanji_under_man(n: u64) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let mut s = String::new();
    for (unit, mark) in [(1000, "千"), (100, "百"), (10, "十")] {
        let d = (n / unit) % 10;
        if d > 1 {
            s.push_str(D[d as usize]);
        }
        if d > 0 {
            s.push_str(mark);
        }
    }
    s.push_str(D[(n % 10) as usize]);
    s
}

fn kanji(n: u64) -> String {
    let (oku, man, rest) = (n / 100_000_000, (n / 10_000) % 10_000, n % 10_000);
    let mut s = String::new();
    if oku > 0 {
        s.push_str(&kanji_under_man(oku));
        s.push('億');
    }
    if man > 0 {
        s.push_str(&kanji_under_man(man));
        s.push('万');
    }
    s.push_str(&kanji_under_man(rest));
    s
}

proptest! {
    #[test]
    fn comma_numbers_parse_back(n in 0u64..10_000_000_000) {
        let v = parse_number(&with_commas(n)).unwrap().value;
        prop_assert_eq!(v, Some(n as f64));
        let v = parse_number(&full_width(&with_commas(n))).unwrap().value;
        prop_assert_eq!(v, Some(n as f64));
    }

    #[test]
    fn man_oku_numbers_parse_back(n in 1u64..1_000_000_000_000) {
        let text = man_oku(n);
        let v = parse_number(&text).unwrap().value;
        prop_assert_eq!(v, Some(n as f64), "{}", text);
    }

    #[test]
    fn kanji_numbers_parse_back(n in 1u64..1_000_000_000_000) {
        let text = kanji(n);
        let v = parse_number(&text).unwrap().value;
        prop_assert_eq!(v, Some(n as f64), "{}", text);
    }

    #[test]
    fn negative_triangles_parse_back(n in 1u64..10_000_000) {
        let v = parse_number(&format!("△{}", with_commas(n))).unwrap().value;
        prop_assert_eq!(v, Some(-(n as f64)));
    }

    #[test]
    fn reiwa_dates_round_trip(days in 0i64..3000) {
        let d = chrono::NaiveDate::from_ymd_opt(2019, 5, 1).unwrap() + chrono::Duration::days(days);
        use chrono::Datelike;
        let y = d.year() - 2018;
        let era_year = if y == 1 { "元".to_string() } else { y.to_string() };
        let text = format!("令和{}年{}月{}日", era_year, d.month(), d.day());
        let found = parse_date(&text).unwrap();
        prop_assert_eq!(found.start, d, "{}", text);
    }

    #[test]
    fn heisei_dates_round_trip(days in 0i64..11_070) {
        let d = chrono::NaiveDate::from_ymd_opt(1989, 1, 8).unwrap() + chrono::Duration::days(days);
        use chrono::Datelike;
        let y = d.year() - 1988;
        let text = format!("平成{}年{}月{}日", y, d.month(), d.day());
        let found = parse_date(&text).unwrap();
        prop_assert_eq!(found.start, d, "{}", text);
    }

    #[test]
    fn normalize_is_idempotent(s in "[0-9０-９,，．.%％△▲〜～ー－―‐\u{3000} 万億円年月日令和⻑⻘⻄a-zA-Zａ-ｚ]{0,40}") {
        let once = normalize(&s).into_owned();
        let twice = normalize(&once).into_owned();
        prop_assert_eq!(once, twice);
    }
}

/// Rows of a CSV with quoted fields that may hold commas and newlines (camelot's output).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field, mut quoted) = (Vec::new(), Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
fn raw_camelot_names_with_kangxi_radicals_resolve_to_the_cleaned_release_codes() {
    use mynawatch_ja::normalize_name;
    use std::collections::HashMap;
    // The cleaned 2017 release is the authority for the codes.
    let codes: HashMap<(String, String), String> =
        localgov_rows("figures/mic_cfj_cleaned/20170308_all_localgovs.csv")
            .into_iter()
            .filter(|(_, _, c)| c != "<NA>")
            .map(|(p, n, c)| ((normalize_name(&p), normalize_name(&n)), format!("{c:0>6}")))
            .collect();
    let (mut resolved, mut compared) = (0, 0);
    for i in 0..38 {
        let rel = format!("figures/mic_pdf_camelot_000490028/000490028_{i}.csv");
        let text = String::from_utf8(mynawatch_testutil::corpus_bytes(&rel)).unwrap();
        let rows = csv_rows(text.trim_start_matches('\u{feff}'));
        // Only the municipality tables; the others list prefectures with figures.
        if !rows
            .first()
            .is_some_and(|h| h.len() > 1 && normalize_name(&h[1]) == "市区町村名")
        {
            continue;
        }
        for row in rows {
            if row.len() < 2 || row[1].trim().is_empty() || area::prefecture(&row[0]).is_none() {
                continue;
            }
            let found = area::lookup(&row[0], &row[1])
                .unwrap_or_else(|| panic!("{rel}: {} {} not found", row[0], row[1]));
            resolved += 1;
            if let Some(code) = codes.get(&(normalize_name(&row[0]), normalize_name(&row[1]))) {
                assert_eq!(found.code, code, "{rel}: {} {}", row[0], row[1]);
                compared += 1;
            }
        }
    }
    assert!(resolved >= 1700, "{resolved} municipalities resolved");
    assert!(
        compared >= 1600,
        "{compared} compared with the cleaned codes"
    );
}
