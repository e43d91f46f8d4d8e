//! `mhlw_usage`: MHLW's monthly マイナ保険証 figures: the usage rate (利用率) and the
//! counts of cancelled registrations (利用登録解除), from the HTML page that announces them
//! and from its linked XLSX.
//!
//! - **HTML**: main-text sentences such as `令和6年11月のマイナ保険証の利用率は18.52％`
//!   or `利用登録解除の申請件数（令和6年10月28日～11月30日）は13,342件` give one figure
//!   each; the page's XLSX links are returned so the next release's workbook is found.
//! - **XLSX**: the 利用率 table (a `年月` column, `利用率` and `利用件数` columns) goes
//!   through the `table` helpers; the 利用登録解除 table writes its periods as `10/28～11/30`
//!   under a title that names the year, so each period keeps its exact first and last day.
//!
//! Every figure keeps its exact period (`period_start`/`period_end`: a month, or a range such
//! as 10/28～11/30), national (`000000`). An HTML page served under a table URL
//! (`.xlsx`) is wrong content, never an empty success.
//!
//! Options: none.

use chrono::{Datelike, NaiveDate};
use mynawatch_model::content::{sniff, Sniffed};
use mynawatch_model::{Figure, FigureStatus};
use regex::Regex;

use super::page::links_of;
use super::table::{extract_tables, TableOptions};
use crate::table::{file_name, read_grids, Grid};
use crate::{common, Declared, ExtractError, Extraction, Input};

/// The MHLW usage family.
#[derive(Debug, Default)]
pub struct MhlwUsage;

/// The monthly usage table of the workbook.
const USAGE_TABLE: &str = r#"{
  "metrics": [
    {"headers": ["利用率", "マイナ保険証利用率"], "metric": "insurance.usage_rate", "unit": "percent"},
    {"headers": ["マイナ保険証利用件数", "利用件数(マイナ保険証)"], "metric": "insurance.usage_count", "unit": "count"},
    {"headers": ["レセプト件数", "総件数"], "metric": "insurance.claims", "unit": "count"}
  ],
  "date": {"column": ["年月", "対象月"]},
  "area": "全国"
}"#;

const CANCELLATION: &str = "insurance.registration_cancellations";

impl Declared for MhlwUsage {
    type Options = serde::de::IgnoredAny;
    const NAME: &'static str = "mhlw_usage";
    const EXPECT: (usize, &'static str) = (1, "figures");

    fn read(
        &self,
        input: &Input<'_>,
        _options: &Self::Options,
    ) -> Result<Extraction, ExtractError> {
        let name = file_name(&input.meta.url).to_ascii_lowercase();
        let table_url = [".xlsx", ".xls", ".csv"].iter().any(|e| name.ends_with(e));
        let x = if !table_url && sniff(input.bytes) == Sniffed::Html {
            from_html(input)?
        } else {
            from_workbook(input)?
        };
        if x.rows.figures.is_empty() {
            return Err(ExtractError::Layout(format!(
                "{}: no 利用率 or 利用登録解除 figures found",
                input.meta.url
            )));
        }
        Ok(x)
    }
}

fn figure(
    metric: &str,
    unit: &str,
    (start, end): (NaiveDate, NaiveDate),
    value: f64,
    (locator, raw): (String, &str),
    input: &Input<'_>,
) -> Figure {
    Figure {
        metric: metric.into(),
        area_code: "000000".into(),
        area_name: "全国".into(),
        as_of: None,
        period_start: Some(start),
        period_end: Some(end),
        value: Some(value),
        unit: unit.into(),
        scale: 1.0,
        qualifier: None,
        status: FigureStatus::Final,
        dimensions: String::new(),
        derived_from: String::new(),
        evidence: String::new(),
        provenance: input.meta.provenance(locator, raw),
    }
}

fn from_html(input: &Input<'_>) -> Result<Extraction, ExtractError> {
    let page = common::html_page(input)?;
    let mut x = Extraction {
        links: links_of(&page)
            .into_iter()
            .filter(|l| l.url.to_ascii_lowercase().ends_with(".xlsx"))
            .collect(),
        ..Extraction::default()
    };
    for b in &page.blocks {
        let t = mynawatch_ja::normalize(&b.text).to_string();
        let (metric, unit) = if t.contains("利用登録解除") || t.contains("登録解除") {
            (CANCELLATION, "count")
        } else if t.contains("利用率") {
            ("insurance.usage_rate", "percent")
        } else {
            continue;
        };
        let Some(d) = mynawatch_ja::find_dates(&b.text)
            .into_iter()
            .find(|d| d.kind == mynawatch_ja::DateKind::Period)
        else {
            continue;
        };
        if let Some(n) = mynawatch_ja::find_numbers(&b.text)
            .into_iter()
            .find(|n| n.unit == unit && n.value.is_some())
        {
            x.rows.figures.push(figure(
                metric,
                unit,
                (d.start, d.end),
                n.value.unwrap_or_default(),
                (b.locator.clone(), &b.text),
                input,
            ));
        }
    }
    Ok(x)
}

fn from_workbook(input: &Input<'_>) -> Result<Extraction, ExtractError> {
    let grids = read_grids(
        input.bytes,
        input.meta.content_type.as_deref(),
        &input.meta.url,
    )?;
    let usage: TableOptions =
        serde_json::from_str(USAGE_TABLE).expect("built-in MHLW layout is valid");
    let (mut x, _) = extract_tables(&grids, &usage, input)?;
    for g in &grids {
        cancellations(g, input, &mut x);
    }
    Ok(x)
}

/// `10/28～11/30` (or `10/28~11/30`) in `year`; a second month before the first is in the
/// next year (`12/1～1/5`).
fn slash_period(s: &str, year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let re = Regex::new(r"^\s*(\d{1,2})/(\d{1,2})\s*[~～〜]\s*(\d{1,2})/(\d{1,2})\s*$").ok()?;
    let c = re.captures(s)?;
    let n = |i: usize| c[i].parse::<u32>().ok();
    let start = NaiveDate::from_ymd_opt(year, n(1)?, n(2)?)?;
    let end_year = if n(3)? < n(1)? { year + 1 } else { year };
    let end = NaiveDate::from_ymd_opt(end_year, n(3)?, n(4)?)?;
    Some((start, end))
}

/// The 利用登録解除 table: a header row with `期間` and a `解除` count column; the year of
/// slash periods comes from the nearest dated line above (the sheet title), and moves on
/// when a period starts before the previous one (a new year).
fn cancellations(g: &Grid, input: &Input<'_>, x: &mut Extraction) {
    let keys: Vec<Vec<String>> = g
        .rows
        .iter()
        .map(|r| r.iter().map(|c| super::table::header_key(c)).collect())
        .collect();
    let Some((h, pc, vc)) = keys.iter().enumerate().find_map(|(i, r)| {
        let p = r.iter().position(|c| c == "期間" || c == "対象期間")?;
        let v = r.iter().position(|c| c.contains("解除"))?;
        Some((i, p, v))
    }) else {
        return;
    };
    let mut year = g.rows[..h]
        .iter()
        .flatten()
        .find_map(|c| mynawatch_ja::find_dates(c).first().map(|d| d.start.year()));
    let mut last: Option<NaiveDate> = None;
    for (r, row) in g.rows.iter().enumerate().skip(h + 1) {
        let (Some(p), Some(raw)) = (row.get(pc), row.get(vc)) else {
            continue;
        };
        if p.trim().is_empty() || raw.trim().is_empty() {
            continue;
        }
        let period = match mynawatch_ja::parse_date(p) {
            Ok(d) => Some((d.start, d.end)),
            Err(_) => year.and_then(|y| {
                let mut got = slash_period(p, y)?;
                if last.is_some_and(|l| got.0 < l) {
                    got = slash_period(p, y + 1)?;
                }
                Some(got)
            }),
        };
        let Some(period) = period else {
            x.warnings.push(format!(
                "{}: period {p:?} not understood (no year above the table?)",
                g.locator(r, pc)
            ));
            continue;
        };
        year = Some(period.0.year());
        last = Some(period.0);
        match mynawatch_ja::parse_number(raw).ok().and_then(|n| n.value) {
            Some(v) => x.rows.figures.push(figure(
                CANCELLATION,
                "count",
                period,
                v,
                (g.locator(r, vc), raw),
                input,
            )),
            None => x
                .warnings
                .push(format!("{}: {raw:?} is not a count", g.locator(r, vc))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slash_periods_keep_their_days_and_cross_the_year() {
        let (s, e) = slash_period("10/28～11/30", 2024).unwrap();
        assert_eq!(
            (s.to_string(), e.to_string()),
            ("2024-10-28".into(), "2024-11-30".into())
        );
        let (s, e) = slash_period("12/1~1/5", 2024).unwrap();
        assert_eq!(
            (s.to_string(), e.to_string()),
            ("2024-12-01".into(), "2025-01-05".into())
        );
        assert!(slash_period("令和6年11月", 2024).is_none());
    }
}
