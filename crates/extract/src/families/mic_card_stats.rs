//! `mic_card_stats`: MIC マイナンバーカード交付状況 tables (national, by municipality
//! type, prefecture, municipality, age and sex) from the release's XLSX, the CSVs of
//! its PDF tables, or Code for Japan's cleaned CSVs of them.
//!
//! Built on the `table` family: the MIC layouts are a built-in [`TableOptions`] set
//! (one for the area tables, one for the age/sex table), found by header names in
//! every sheet or page, never by position, because page and sheet numbers shift between
//! releases. On top of `table` it owns what is specific to MIC:
//!
//! - municipality types as stable ids across the 2022 change from 5 to 4 categories
//!   (`特別区` / `政令指定都市` / `市（政令指定都市を除く）` / `町村` →
//!   `指定都市` / `特別区・市（指定都市を除く）` / `町村`): dimension `municipality_type=…`;
//! - 交付枚数 (cards issued, until 2022) and 保有枚数 (cards held, from 2023) as the
//!   distinct metrics `card.issued` and `card.holdings`;
//! - consistency: where the source gives a total and its parts (municipalities and the
//!   nation, age bands and 全体) and they disagree, both are kept as published and a
//!   warning names the difference; nothing is "fixed".
//!
//! Dates come from the headers (`交付枚数【H29.3.8時点】`, `X月1日現在`, `X月末時点`) or
//! from date columns; 郡 prefixes and renamed municipalities are resolved by
//! `mynawatch_ja::area`.
//!
//! Options: none (`{}`); an optional `"sheet"` restricts an XLSX to one sheet.

use std::collections::BTreeMap;

use mynawatch_model::Figure;
use serde::Deserialize;

use super::table::{extract_tables, TableOptions};
use crate::table::read_grids;
use crate::{Declared, ExtractError, Extraction, Input};

/// The MIC card statistics family.
#[derive(Debug, Default)]
pub struct MicCardStats;

/// Options of `mic_card_stats`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MicOptions {
    /// Only this sheet of a workbook.
    #[serde(default)]
    pub sheet: Option<String>,
}

/// Area tables: national, by type, prefectures, municipalities, top-10 lists.
const AREA_TABLES: &str = r#"{
  "metrics": [
    {"headers": ["総数(人口)", "人口", "住民基本台帳人口"], "metric": "population", "unit": "persons", "date_column": ["人口算出基準日"]},
    {"headers": ["交付枚数"], "metric": "card.issued", "unit": "count"},
    {"headers": ["人口に対する交付枚数率", "交付率"], "metric": "card.issue_rate", "unit": "percent"},
    {"headers": ["保有枚数"], "metric": "card.holdings", "unit": "count"},
    {"headers": ["人口に対する保有枚数率", "保有率"], "metric": "card.holding_rate", "unit": "percent"}
  ],
  "date": {"column": ["交付件数基準日", "交付枚数算出基準日", "保有枚数算出基準日", "算出基準日"], "from_header": true, "default_from": "card.issued"}
}"#;

/// The age/sex table (`年齢` × 男/女/計).
const AGE_SEX_TABLE: &str = r#"{
  "metrics": [
    {"headers": ["人口(男)"], "metric": "population", "unit": "persons", "dimensions": "sex=male", "date_column": ["人口算出基準日"]},
    {"headers": ["人口(女)"], "metric": "population", "unit": "persons", "dimensions": "sex=female", "date_column": ["人口算出基準日"]},
    {"headers": ["人口(計)"], "metric": "population", "unit": "persons", "dimensions": "sex=total", "date_column": ["人口算出基準日"]},
    {"headers": ["交付件数(男)"], "metric": "card.issued", "unit": "count", "dimensions": "sex=male"},
    {"headers": ["交付件数(女)"], "metric": "card.issued", "unit": "count", "dimensions": "sex=female"},
    {"headers": ["交付件数(計)"], "metric": "card.issued", "unit": "count", "dimensions": "sex=total"},
    {"headers": ["交付率(男)"], "metric": "card.issue_rate", "unit": "percent", "dimensions": "sex=male"},
    {"headers": ["交付率(女)"], "metric": "card.issue_rate", "unit": "percent", "dimensions": "sex=female"},
    {"headers": ["交付率(計)"], "metric": "card.issue_rate", "unit": "percent", "dimensions": "sex=total"},
    {"headers": ["全体に対する交付件数割合(男)"], "metric": "card.issue_share", "unit": "percent", "dimensions": "sex=male"},
    {"headers": ["全体に対する交付件数割合(女)"], "metric": "card.issue_share", "unit": "percent", "dimensions": "sex=female"},
    {"headers": ["全体に対する交付件数割合(計)"], "metric": "card.issue_share", "unit": "percent", "dimensions": "sex=total"}
  ],
  "date": {"column": ["交付枚数算出基準日", "交付件数基準日", "算出基準日"], "from_header": true, "default_from": "card.issued"},
  "areas": {"detail": ["年齢", "年齢階級"]},
  "area": "全国"
}"#;

/// Stable ids of municipality types, old (5 categories) and new (4) names alike.
const TYPES: [(&str, &str); 6] = [
    ("特別区", "special_ward"),
    ("政令指定都市", "designated_city"),
    ("指定都市", "designated_city"),
    ("市(政令指定都市を除く)", "city"),
    ("特別区・市(指定都市を除く)", "special_ward_or_city"),
    ("町村", "town_village"),
];

fn builtin(json: &str, sheet: &Option<String>) -> TableOptions {
    let mut o: TableOptions = serde_json::from_str(json).expect("built-in MIC layout is valid");
    o.sheet.clone_from(sheet);
    o
}

impl Declared for MicCardStats {
    type Options = MicOptions;
    const NAME: &'static str = "mic_card_stats";
    const EXPECT: (usize, &'static str) = (3, "figures");

    fn read(&self, input: &Input<'_>, o: &Self::Options) -> Result<Extraction, ExtractError> {
        let grids = read_grids(
            input.bytes,
            input.meta.content_type.as_deref(),
            &input.meta.url,
        )?;
        let mut x = Extraction::default();
        let mut found = false;
        for layout in [AREA_TABLES, AGE_SEX_TABLE] {
            let (part, hit) = extract_tables(&grids, &builtin(layout, &o.sheet), input)?;
            found |= hit;
            x.extend(part);
        }
        if !found {
            return Err(ExtractError::Layout(format!(
                "{}: no MIC table header (人口 / 交付枚数 / 保有枚数 / 年齢) found",
                input.meta.url
            )));
        }
        for f in &mut x.rows.figures {
            f.dimensions = stable_type(&f.dimensions);
            if f.dimensions.starts_with("municipality_type=") {
                f.area_code = "000000".into();
                f.area_name = "全国".into();
            }
        }
        x.warnings.extend(check_totals(&x.rows.figures));
        Ok(x)
    }
}

/// `municipality_type=政令指定都市` → `municipality_type=designated_city`.
fn stable_type(dims: &str) -> String {
    dims.split(';')
        .map(|d| match d.strip_prefix("municipality_type=") {
            Some(t) => TYPES
                .iter()
                .find(|(name, _)| *name == t)
                .map(|(_, id)| format!("municipality_type={id}"))
                .unwrap_or_else(|| d.to_string()),
            None => d.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Compare each published total with the sum of its published parts (municipalities
/// vs 全国, age bands vs 全体), for counts only; a difference is reported, not fixed.
/// Municipalities are only summed when the snapshot lists them for all 47 prefectures:
/// one page of a PDF-derived table is a part of the list, not a disagreement.
fn check_totals(figures: &[Figure]) -> Vec<String> {
    let prefectures: std::collections::BTreeSet<&str> = figures
        .iter()
        .filter(|f| is_municipality(&f.area_code))
        .map(|f| &f.area_code[..2])
        .collect();
    let complete_list = prefectures.len() == 47;
    let counts = |f: &&Figure| matches!(f.unit.as_str(), "count" | "persons") && f.value.is_some();
    // (metric, date, rest of the dimensions) → (total, Σ parts, number of parts)
    let mut groups: BTreeMap<(String, String, String), Sums> = BTreeMap::new();
    for f in figures.iter().filter(counts) {
        let date = f.as_of.map(|d| d.to_string()).unwrap_or_default();
        let v = f.value.unwrap_or(0.0);
        let (part, rest) = match (f.area_code.as_str(), f.dimensions.as_str()) {
            ("000000", "") => (false, String::new()),
            (code, "") if complete_list && is_municipality(code) => (true, String::new()),
            ("000000", d) if d.contains("年齢=") => {
                let rest: Vec<&str> = d.split(';').filter(|p| !p.starts_with("年齢=")).collect();
                (!d.contains("年齢=全体"), format!("age:{}", rest.join(";")))
            }
            _ => continue,
        };
        let g = groups.entry((f.metric.clone(), date, rest)).or_default();
        if part {
            g.1 += v;
            g.2 += 1;
        } else {
            g.0 = Some(v);
        }
    }
    groups
        .into_iter()
        .filter_map(|((metric, date, rest), Sums(total, sum, n))| {
            let total = total?;
            (n > 0 && sum != total).then(|| {
                let what = if rest.is_empty() {
                    "municipalities".to_string()
                } else {
                    format!("age bands ({})", rest.trim_start_matches("age:"))
                };
                format!(
                    "{metric} {date}: the source's total is {total} but its {n} {what} sum to {sum} (difference {}); both kept as published",
                    total - sum
                )
            })
        })
        .collect()
}

/// A published total, the sum of its published parts, and how many parts.
#[derive(Default)]
struct Sums(Option<f64>, f64, usize);

fn is_municipality(code: &str) -> bool {
    // Digits only: the byte slices below must not cut a character.
    code.len() == 6
        && code.bytes().all(|b| b.is_ascii_digit())
        && code != "000000"
        && !code[2..5].eq("000")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Family;

    #[test]
    fn old_and_new_type_names_get_one_id() {
        assert_eq!(
            stable_type("municipality_type=政令指定都市"),
            stable_type("municipality_type=指定都市")
        );
        assert_eq!(
            stable_type("municipality_type=市(政令指定都市を除く)"),
            "municipality_type=city"
        );
    }

    /// The cards' date of a one-row table whose header says `when`.
    fn cards_date(when: &str) -> String {
        let csv = format!(
            "都道府県名,\"人口\n（令和4年1月1日現在）\",\"交付枚数\n（{when}）\",人口に対する交付枚数率\n東京都,\"13,794,933\",\"7,985,934\",57.9%\n"
        );
        let meta = mynawatch_model::SnapshotMeta::for_file(
            "mic",
            "https://www.soumu.go.jp/main_content/x.csv",
            "0".repeat(64),
        );
        let x = MicCardStats
            .extract(&Input {
                bytes: csv.as_bytes(),
                meta: &meta,
                options: &serde_json::Value::Null,
            })
            .unwrap();
        let f = x
            .rows
            .figures
            .iter()
            .find(|f| f.metric == "card.issued")
            .unwrap();
        assert_eq!(f.area_code, "130001");
        f.as_of.unwrap().to_string()
    }

    #[test]
    fn month_start_and_month_end_conventions_give_their_own_days() {
        assert_eq!(cards_date("令和4年6月1日現在"), "2022-06-01");
        assert_eq!(cards_date("令和4年12月末時点"), "2022-12-31");
    }

    #[test]
    fn prefecture_codes_are_not_municipalities() {
        assert!(!is_municipality("130001"));
        assert!(is_municipality("131130"));
        assert!(!is_municipality("000000"));
        assert!(!is_municipality("全国"), "six bytes, but not a code");
    }
}
