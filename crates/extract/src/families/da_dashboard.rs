//! `da_dashboard`: the Digital Agency マイナンバーカード普及状況ダッシュボード CSV downloads,
//! national monthly series, in both layouts the agency has published:
//!
//! - **wide** (until early 2026): a group header row (`マイナンバーカード保有枚数`,
//!   `健康保険証利用登録`, …, merged over several columns) and a sub-header row (`累計`,
//!   `人口に対する保有率`, …); one row per month written `Feb-25`; rates as `78.0%`;
//! - **long** (since 2026): `年月,指標名,値`, the month as its first day (`2025/5/1`), metric
//!   names like `マイナ保険証_利用登録件数`, rates as decimals (`0.903`).
//!
//! Columns and metric names are recognised by words, not positions. Values are
//! month-end stocks, so each figure's `as_of` is the month's last day. The long file has
//! no population-based holding rate: for each of its months `card.holding_rate` is a
//! figure with status `missing`, never computed from other series. Monthly flow columns
//! (`月次`) are not figures. Empty cells give no figure.
//!
//! The CSV links change name with every release; they are found on the dashboard page
//! by the `page` family's links. This module reads the bytes of one CSV only.
//!
//! Options: none.

use chrono::{Datelike, NaiveDate};
use mynawatch_model::{Figure, FigureStatus};

use crate::table::{read_grids, Grid};
use crate::{Declared, ExtractError, Extraction, Input};

/// The dashboard family.
#[derive(Debug, Default)]
pub struct DaDashboard;

/// (metric, unit) for a header or 指標名 (already normalized), or `None` for a column
/// that is not a stock figure (月次 flows, the month itself).
fn metric_of(name: &str) -> Option<(&'static str, &'static str)> {
    if name.contains("月次") || name.is_empty() {
        return None;
    }
    let rate = name.contains('率');
    let m = if name.contains("公金") {
        if rate {
            "public_fund_account.registration_rate"
        } else {
            "public_fund_account.registrations"
        }
    } else if name.contains("保険証") {
        if rate {
            "insurance.registration_rate"
        } else {
            "insurance.registrations"
        }
    } else if name.contains("申請") {
        if rate {
            "card.application_rate"
        } else {
            "card.applications"
        }
    } else if name.contains("保有") || name.contains("交付") {
        if rate {
            "card.holding_rate"
        } else {
            "card.holdings"
        }
    } else {
        return None;
    };
    Some((m, if rate { "percent" } else { "count" }))
}

/// Last day of the month `d` is in.
fn month_end(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// `Feb-25` (English month, two-digit year) as the month's first day.
fn english_month(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("1-{}", s.trim()), "%d-%b-%y").ok()
}

/// A month cell in either layout (`Feb-25`, `2025/5/1`, `令和7年5月`).
fn month_of(s: &str) -> Option<NaiveDate> {
    english_month(s).or_else(|| mynawatch_ja::parse_date(s).ok().map(|d| d.start))
}

impl Declared for DaDashboard {
    type Options = serde::de::IgnoredAny;
    const NAME: &'static str = "da_dashboard";
    const EXPECT: (usize, &'static str) = (2, "figures");

    fn read(
        &self,
        input: &Input<'_>,
        _options: &Self::Options,
    ) -> Result<Extraction, ExtractError> {
        let grids = read_grids(
            input.bytes,
            input.meta.content_type.as_deref(),
            &input.meta.url,
        )?;
        let mut x = Extraction::default();
        for g in &grids {
            let keys: Vec<Vec<String>> = g
                .rows
                .iter()
                .map(|r| r.iter().map(|c| mynawatch_ja::normalize_name(c)).collect())
                .collect();
            let header = keys
                .iter()
                .position(|r| r.first().is_some_and(|c| c == "年月"));
            let Some(h) = header else { continue };
            if keys[h].iter().any(|c| c == "指標名") {
                long(g, &keys, h, input, &mut x);
            } else {
                wide(g, &keys, h, input, &mut x);
            }
        }
        if x.rows.figures.is_empty() {
            return Err(ExtractError::Layout(format!(
                "{}: no dashboard table (a `年月` header with month rows) found",
                input.meta.url
            )));
        }
        Ok(x)
    }
}

/// A national month-end figure; `cell` is (locator, raw text).
fn figure(
    (metric, unit): (&str, &str),
    month: NaiveDate,
    value: Option<f64>,
    status: FigureStatus,
    (locator, raw): (String, &str),
    input: &Input<'_>,
) -> Figure {
    Figure {
        metric: metric.into(),
        area_code: "000000".into(),
        area_name: "全国".into(),
        as_of: Some(month_end(month)),
        period_start: None,
        period_end: None,
        value,
        unit: unit.into(),
        scale: 1.0,
        qualifier: None,
        status,
        dimensions: String::new(),
        derived_from: String::new(),
        evidence: String::new(),
        provenance: input.meta.provenance(locator, raw),
    }
}

/// A number cell: `97,373,965`, `78.0%`; `fraction` marks a decimal rate (0.903 → 90.3).
fn value_of(raw: &str, rate: bool, fraction: bool) -> Option<f64> {
    let n = mynawatch_ja::parse_number(raw).ok()?.value?;
    if rate && fraction && !raw.contains('%') {
        // Rounded to the written precision so 0.903 gives 90.3, not 90.30000000000001.
        let decimals = raw.split('.').nth(1).map_or(0, str::len).saturating_sub(2);
        let p = 10f64.powi(decimals as i32);
        return Some((n * 100.0 * p).round() / p);
    }
    Some(n)
}

fn wide(g: &Grid, keys: &[Vec<String>], h: usize, input: &Input<'_>, x: &mut Extraction) {
    // A sub-header row follows when the next row's first cell is not a month.
    let sub = keys
        .get(h + 1)
        .filter(|r| r.first().is_none_or(|c| month_of(c).is_none()));
    let width = keys[h].len().max(sub.map_or(0, Vec::len));
    let mut group = String::new();
    let mut cols = Vec::new();
    for c in 1..width {
        let top = keys[h].get(c).cloned().unwrap_or_default();
        if !top.is_empty() {
            group = top;
        }
        let below = sub.and_then(|s| s.get(c)).cloned().unwrap_or_default();
        if let Some(m) = metric_of(&format!("{group}{below}")) {
            cols.push((c, m));
        }
    }
    let first = h + 1 + usize::from(sub.is_some());
    for (r, row) in g.rows.iter().enumerate().skip(first) {
        let Some(month) = row.first().and_then(|c| month_of(c)) else {
            continue;
        };
        for &(c, (metric, unit)) in &cols {
            let raw = row.get(c).map(String::as_str).unwrap_or("");
            if raw.trim().is_empty() {
                continue;
            }
            match value_of(raw, unit == "percent", false) {
                Some(v) => x.rows.figures.push(figure(
                    (metric, unit),
                    month,
                    Some(v),
                    FigureStatus::Final,
                    (g.locator(r, c), raw),
                    input,
                )),
                None => x
                    .warnings
                    .push(format!("{}: {raw:?} is not a number", g.locator(r, c))),
            }
        }
    }
}

fn long(g: &Grid, keys: &[Vec<String>], h: usize, input: &Input<'_>, x: &mut Extraction) {
    let col = |name: &str| keys[h].iter().position(|c| c == name);
    let (Some(mc), Some(vc)) = (col("指標名"), col("値").or(col("数値"))) else {
        x.warnings
            .push(format!("{}: long layout without a 値 column", g.name));
        return;
    };
    let mut months = std::collections::BTreeMap::new();
    let mut has_holding_rate = std::collections::BTreeSet::new();
    for (r, row) in g.rows.iter().enumerate().skip(h + 1) {
        let Some(month) = row.first().and_then(|c| month_of(c)) else {
            continue;
        };
        months.entry(month).or_insert(r);
        let name = keys[r].get(mc).cloned().unwrap_or_default();
        let Some((metric, unit)) = metric_of(&name) else {
            continue;
        };
        let raw = row.get(vc).map(String::as_str).unwrap_or("");
        if raw.trim().is_empty() {
            continue;
        }
        if metric == "card.holding_rate" {
            has_holding_rate.insert(month);
        }
        match value_of(raw, unit == "percent", true) {
            Some(v) => x.rows.figures.push(figure(
                (metric, unit),
                month,
                Some(v),
                FigureStatus::Final,
                (g.locator(r, vc), raw),
                input,
            )),
            None => x
                .warnings
                .push(format!("{}: {raw:?} is not a number", g.locator(r, vc))),
        }
    }
    // The population-based holding rate was dropped from this layout: say so per month.
    for (month, r) in months {
        if !has_holding_rate.contains(&month) {
            x.rows.figures.push(figure(
                ("card.holding_rate", "percent"),
                month,
                None,
                FigureStatus::Missing,
                // The evidence is the month's row: it exists, without this metric.
                (g.locator(r, 0), g.rows[r][0].as_str()),
                input,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_months_and_month_ends() {
        let d = english_month("Feb-25").unwrap();
        assert_eq!(month_end(d).to_string(), "2025-02-28");
        assert_eq!(
            month_end(NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()).to_string(),
            "2025-12-31"
        );
    }

    #[test]
    fn decimal_rates_become_percent_at_their_precision() {
        assert_eq!(value_of("0.903", true, true), Some(90.3));
        assert_eq!(value_of("78.0%", true, false), Some(78.0));
    }
}
