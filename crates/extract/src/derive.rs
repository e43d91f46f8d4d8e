//! Derived figures, computed from published ones after extraction.
//!
//! Every derived row names its inputs in `derived_from` and in its provenance
//! (`locator` = `derived:` + the input locators, `raw_text` = the arithmetic), so an
//! analyst can tell a published number from one mynawatch computed. Pure: no I/O.
//!
//! | metric | formula | denominator |
//! |---|---|---|
//! | `insurance.registration_per_card_rate` | registrations ÷ card holdings × 100 | cards held on the same date (the Digital Agency's own 登録率 uses this) |
//! | `insurance.registration_per_population_rate` | registrations ÷ population × 100 | the latest `population` figure for the area dated on or before the month |
//! | `insurance.registration_cancellations_cumulative` | running total of cancellations | — (sum over the periods published so far) |

use std::collections::BTreeMap;

use chrono::NaiveDate;
use mynawatch_model::{Figure, FigureStatus};

/// Metric ids of the inputs and outputs.
pub mod metrics {
    /// Cards held (input).
    pub const HOLDINGS: &str = "card.holdings";
    /// Health-insurance registrations (input).
    pub const REGISTRATIONS: &str = "insurance.registrations";
    /// Population (input).
    pub const POPULATION: &str = "population";
    /// Registration cancellations per period (input).
    pub const CANCELLATIONS: &str = "insurance.registration_cancellations";
    /// registrations ÷ holdings (output).
    pub const PER_CARD: &str = "insurance.registration_per_card_rate";
    /// registrations ÷ population (output).
    pub const PER_POPULATION: &str = "insurance.registration_per_population_rate";
    /// Running total of cancellations (output).
    pub const CANCELLATIONS_CUMULATIVE: &str = "insurance.registration_cancellations_cumulative";
}

/// Compute the derived figures for `figures` (one source's extraction).
pub fn derived(figures: &[Figure]) -> Vec<Figure> {
    let mut out = ratios(figures);
    out.extend(running_totals(figures));
    out
}

fn usable(f: &Figure) -> Option<f64> {
    f.value
        .filter(|v| v.is_finite())
        .filter(|_| !matches!(f.status, FigureStatus::Missing | FigureStatus::Suppressed))
}

/// Same area, same dimensions: the key under which inputs are paired.
fn area_key(f: &Figure) -> (String, String) {
    (f.area_code.clone(), f.dimensions.clone())
}

/// Usable figures by area and dimensions in date order, to find the one in force on a
/// day: the latest dated on or before it (a population base for a monthly count).
struct ByArea<'a>(BTreeMap<(String, String), Vec<(NaiveDate, &'a Figure)>>);

impl<'a> ByArea<'a> {
    fn new(dated: impl Iterator<Item = (NaiveDate, &'a Figure)>) -> Self {
        let mut by: BTreeMap<(String, String), Vec<(NaiveDate, &'a Figure)>> = BTreeMap::new();
        for (date, f) in dated.filter(|(_, f)| usable(f).is_some()) {
            by.entry(area_key(f)).or_default().push((date, f));
        }
        for v in by.values_mut() {
            v.sort_by_key(|(d, _)| *d);
        }
        ByArea(by)
    }

    fn latest_on_or_before(&self, of: &Figure, date: NaiveDate) -> Option<(NaiveDate, &'a Figure)> {
        self.0
            .get(&area_key(of))?
            .iter()
            .rev()
            .find(|(d, _)| *d <= date)
            .copied()
    }
}

fn ratios(figures: &[Figure]) -> Vec<Figure> {
    let mut holdings: BTreeMap<((String, String), NaiveDate), &Figure> = BTreeMap::new();
    for f in figures.iter().filter(|f| f.metric == metrics::HOLDINGS) {
        if let (Some(date), Some(_)) = (f.as_of, usable(f)) {
            holdings.insert((area_key(f), date), f);
        }
    }
    let population = ByArea::new(
        figures
            .iter()
            .filter(|f| f.metric == metrics::POPULATION)
            .filter_map(|f| Some((f.as_of?, f))),
    );
    let mut out = Vec::new();
    for reg in figures
        .iter()
        .filter(|f| f.metric == metrics::REGISTRATIONS)
    {
        let (Some(date), Some(r)) = (reg.as_of, usable(reg)) else {
            continue;
        };
        if let Some(h) = holdings.get(&(area_key(reg), date)) {
            out.extend(ratio(reg, r, h, metrics::PER_CARD));
        }
        if let Some((_, p)) = population.latest_on_or_before(reg, date) {
            out.extend(ratio(reg, r, p, metrics::PER_POPULATION));
        }
    }
    out
}

fn ratio(num: &Figure, n: f64, den: &Figure, metric: &str) -> Option<Figure> {
    let d = usable(den)?;
    if d == 0.0 {
        return None;
    }
    let value = (n / d * 100.0 * 100.0).round() / 100.0;
    let mut f = num.clone();
    f.metric = metric.to_string();
    f.value = Some(value);
    f.unit = "percent".to_string();
    f.scale = 1.0;
    f.qualifier = None;
    f.status = if num.status == FigureStatus::Preliminary || den.status == FigureStatus::Preliminary
    {
        FigureStatus::Preliminary
    } else {
        FigureStatus::Final
    };
    f.derived_from = format!("{}/{}", num.metric, den.metric);
    f.provenance.locator = format!(
        "derived:{};{}",
        num.provenance.locator, den.provenance.locator
    );
    f.provenance.raw_text = format!("{n} / {d} × 100");
    Some(f)
}

/// `numerator ÷ denominator × 100` across two sources (a `[[derived]]` config entry):
/// each numerator figure is paired with the denominator of the same area and dimensions
/// dated on or before it (the latest such). `derived_from` names both inputs with their
/// source, metric and date, e.g. `da:insurance.registrations@2025-03-31 ÷
/// mic:population@2025-01-01`, so the population base of a rate is on its row.
pub fn cross_ratio(numerators: &[Figure], denominators: &[Figure], metric: &str) -> Vec<Figure> {
    let dens = ByArea::new(
        denominators
            .iter()
            .filter_map(|f| Some((f.as_of.or(f.period_end)?, f))),
    );
    let tag =
        |f: &Figure, date: NaiveDate| format!("{}:{}@{date}", f.provenance.source_id, f.metric);
    let mut out = Vec::new();
    for num in numerators {
        let (Some(date), Some(n)) = (num.as_of.or(num.period_end), usable(num)) else {
            continue;
        };
        let Some((den_date, den)) = dens.latest_on_or_before(num, date) else {
            continue;
        };
        if let Some(mut f) = ratio(num, n, den, metric) {
            f.derived_from = format!("{} ÷ {}", tag(num, date), tag(den, den_date));
            f.provenance.locator = format!(
                "derived:{} {};{} {}",
                num.provenance.url,
                num.provenance.locator,
                den.provenance.url,
                den.provenance.locator
            );
            out.push(f);
        }
    }
    out
}

fn running_totals(figures: &[Figure]) -> Vec<Figure> {
    let mut by_area: BTreeMap<(String, String), Vec<&Figure>> = BTreeMap::new();
    for f in figures
        .iter()
        .filter(|f| f.metric == metrics::CANCELLATIONS)
    {
        if f.period_end.is_some() && usable(f).is_some() {
            by_area.entry(area_key(f)).or_default().push(f);
        }
    }
    let mut out = Vec::new();
    for (_, mut series) in by_area {
        series.sort_by_key(|f| (f.period_end, f.period_start));
        let mut total = 0.0;
        let first_start = series.first().and_then(|f| f.period_start);
        for f in series {
            total += usable(f).unwrap_or(0.0);
            let mut c = f.clone();
            c.metric = metrics::CANCELLATIONS_CUMULATIVE.to_string();
            c.value = Some(total);
            c.period_start = first_start;
            c.derived_from = format!("sum({})", metrics::CANCELLATIONS);
            c.provenance.locator = format!("derived:running_total_to:{}", f.provenance.locator);
            c.provenance.raw_text = format!("running total = {total}");
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use mynawatch_model::Provenance;

    fn fig(metric: &str, as_of: Option<NaiveDate>, value: f64) -> Figure {
        Figure {
            metric: metric.into(),
            area_code: "000000".into(),
            area_name: "全国".into(),
            as_of,
            period_start: None,
            period_end: None,
            value: Some(value),
            unit: "count".into(),
            scale: 1.0,
            qualifier: None,
            status: FigureStatus::Final,
            dimensions: String::new(),
            derived_from: String::new(),
            evidence: String::new(),
            provenance: Provenance {
                source_id: "s".into(),
                url: "u".into(),
                fetched_at: Utc.timestamp_opt(0, 0).unwrap(),
                snapshot_sha256: "h".into(),
                locator: format!("{metric}@{as_of:?}"),
                raw_text: value.to_string(),
                run_id: "r".into(),
            },
        }
    }

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn registrations_per_card_reproduces_the_dashboards_published_rate() {
        // 2026-01 on the Digital Agency dashboard: 91,321,958 registrations, 101,148,007 cards, 90.3%.
        let rows = vec![
            fig(metrics::REGISTRATIONS, d(2026, 1, 31), 91_321_958.0),
            fig(metrics::HOLDINGS, d(2026, 1, 31), 101_148_007.0),
        ];
        let out = derived(&rows);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].metric, metrics::PER_CARD);
        assert_eq!(out[0].value, Some(90.29));
        assert_eq!(out[0].derived_from, "insurance.registrations/card.holdings");
        assert!(out[0].provenance.locator.starts_with("derived:"));
    }

    #[test]
    fn no_ratio_without_both_inputs_for_the_same_date() {
        let rows = vec![
            fig(metrics::REGISTRATIONS, d(2026, 1, 31), 1.0),
            fig(metrics::HOLDINGS, d(2025, 12, 31), 2.0),
        ];
        assert!(derived(&rows).is_empty());
    }

    #[test]
    fn population_ratio_uses_the_latest_population_not_after_the_month() {
        let rows = vec![
            fig(metrics::REGISTRATIONS, d(2025, 6, 30), 60.0),
            fig(metrics::POPULATION, d(2025, 1, 1), 120.0),
            fig(metrics::POPULATION, d(2026, 1, 1), 100.0),
        ];
        let out = derived(&rows);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].metric, metrics::PER_POPULATION);
        assert_eq!(out[0].value, Some(50.0));
    }

    #[test]
    fn a_cross_source_rate_names_both_inputs_and_the_population_base() {
        let mut reg = fig(metrics::REGISTRATIONS, d(2025, 3, 31), 83_011_764.0);
        reg.provenance.source_id = "da".into();
        let mut old_pop = fig(metrics::POPULATION, d(2024, 1, 1), 125_416_877.0);
        old_pop.provenance.source_id = "mic".into();
        let mut pop = fig(metrics::POPULATION, d(2025, 1, 1), 124_885_175.0);
        pop.provenance.source_id = "mic".into();
        let mut later = fig(metrics::POPULATION, d(2026, 1, 1), 1.0);
        later.provenance.source_id = "mic".into();
        let out = cross_ratio(&[reg], &[old_pop, later, pop], metrics::PER_POPULATION);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].value, Some(66.47));
        assert_eq!(
            out[0].derived_from,
            "da:insurance.registrations@2025-03-31 ÷ mic:population@2025-01-01"
        );
        assert_eq!(out[0].as_of, d(2025, 3, 31));
    }

    #[test]
    fn cancellations_accumulate_in_period_order() {
        let mut a = fig(metrics::CANCELLATIONS, None, 10.0);
        a.period_start = d(2024, 11, 1);
        a.period_end = d(2024, 11, 30);
        let mut b = fig(metrics::CANCELLATIONS, None, 5.0);
        b.period_start = d(2024, 10, 28);
        b.period_end = d(2024, 10, 31);
        let out = derived(&[a, b]);
        let totals: Vec<_> = out.iter().map(|f| (f.period_end, f.value)).collect();
        assert_eq!(
            totals,
            vec![(d(2024, 10, 31), Some(5.0)), (d(2024, 11, 30), Some(15.0))]
        );
        assert!(out.iter().all(|f| f.period_start == d(2024, 10, 28)));
    }
}
