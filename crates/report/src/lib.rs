//! The analyst's report: one self-contained HTML page (inline CSS, inline SVG charts drawn
//! by plotters, no script, no network at view time) built from what the store holds.
//!
//! This crate owns the page: which figure is a headline, which versions of a restated
//! figure are shown, how notices, statements, bills, surveys, source health and changes
//! are laid out, in Japanese or English. It does no I/O: the caller (the `mynawatch report`
//! command) reads the tables, applies `--as-of`, and passes every stored version here.
//! Every number on the page links to its source URL and carries its locator, snapshot
//! hash and fetch time in a `title` (hover).
//!
//! The page is written with maud templates (`html!`), which escape every value put into
//! them; only the inline CSS and the SVG plotters draws go in as they are
//! ([`maud::PreEscaped`], see [`charts`]).
#![deny(missing_docs)]

pub mod charts;
pub mod html;
pub mod i18n;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use mynawatch_model::review::{self, Review, ReviewStatus};
use mynawatch_model::{keys, Change, Event, Figure, FigureStatus, Notice, Provenance, Statement};

pub use i18n::Lang;

use charts::{Mark, Series};
use html::linked;

/// Errors while rendering.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// plotters failed to draw a chart (or a drawn mark could not be tagged).
    #[error("chart: {0}")]
    Chart(String),
}

/// One source's health, as the per-source state records it.
#[derive(Debug, Clone, Default)]
pub struct SourceHealth {
    /// Source id.
    pub id: String,
    /// Family.
    pub family: String,
    /// `extracted`, `unchanged`, `fetch_failed`, `broken`.
    pub last_outcome: String,
    /// The last failure's cause.
    pub last_error: Option<String>,
    /// Failed runs in a row.
    pub consecutive_failures: u32,
    /// The source's first URL.
    pub url: String,
}

/// One bill and the dated stages it has passed.
#[derive(Debug, Clone, Default)]
pub struct BillLine {
    /// `閣法-217-21`.
    pub key: String,
    /// 件名.
    pub title: String,
    /// Current stage id.
    pub stage: String,
    /// The publisher's status text.
    pub status: String,
    /// (stage label, day) in time order.
    pub steps: Vec<(String, NaiveDate)>,
    /// Where the row came from.
    pub provenance: Option<Provenance>,
}

/// Everything the page is built from. Figures and notices hold every stored version
/// (the report picks the latest per natural key and shows restatements).
#[derive(Debug, Clone)]
pub struct ReportInput {
    /// When the page was made.
    pub generated_at: DateTime<Utc>,
    /// `--as-of`: the store as it was known on this day (rows of later runs already removed).
    pub as_of: Option<NaiveDate>,
    /// Every stored figure version.
    pub figures: Vec<Figure>,
    /// Every stored notice version.
    pub notices: Vec<Notice>,
    /// Events (press conferences, Diet meetings).
    pub events: Vec<Event>,
    /// Statements.
    pub statements: Vec<Statement>,
    /// Changes, any order.
    pub changes: Vec<Change>,
    /// Source health.
    pub sources: Vec<SourceHealth>,
    /// Bills (empty until a bills source is configured).
    pub bills: Vec<BillLine>,
    /// People's reviews (`mynawatch review`): corrected notice fields are shown as
    /// corrected, and listed with what the reader had.
    pub reviews: Vec<Review>,
}

/// The natural key of a figure version (source, metric, area, dimensions, dates).
type FigKey = (
    String,
    String,
    String,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

fn fig_key(f: &Figure) -> FigKey {
    (
        f.provenance.source_id.clone(),
        f.metric.clone(),
        f.area_code.clone(),
        f.dimensions.clone(),
        f.as_of,
        f.period_start,
        f.period_end,
    )
}

/// Every version of each figure, oldest run first.
fn versions(figures: &[Figure]) -> BTreeMap<FigKey, Vec<&Figure>> {
    let mut m: BTreeMap<FigKey, Vec<&Figure>> = BTreeMap::new();
    for f in figures {
        m.entry(fig_key(f)).or_default().push(f);
    }
    for v in m.values_mut() {
        v.sort_by(|a, b| a.provenance.run_id.cmp(&b.provenance.run_id));
        v.dedup_by(|a, b| a.value == b.value && a.status == b.status);
    }
    m
}

/// The date a figure is plotted at: its `as_of`, else the end of its period.
fn date_of(f: &Figure) -> Option<NaiveDate> {
    f.as_of.or(f.period_end)
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The national series of `metric`: per date the current version and the earlier ones.
/// When several sources publish the same date, published beats derived, then source id.
fn national<'a>(
    hist: &'a BTreeMap<FigKey, Vec<&'a Figure>>,
    metric: &str,
) -> Vec<(NaiveDate, &'a Figure, Vec<&'a Figure>)> {
    let mut by_date: BTreeMap<NaiveDate, (&Figure, Vec<&Figure>)> = BTreeMap::new();
    for (k, v) in hist {
        if k.1 != metric || k.2 != "000000" || !k.3.is_empty() {
            continue;
        }
        let Some(cur) = v.last().copied() else {
            continue;
        };
        let Some(d) = date_of(cur) else { continue };
        if cur.value.is_none() {
            continue;
        }
        let earlier: Vec<&Figure> = v[..v.len() - 1]
            .iter()
            .copied()
            .filter(|e| e.value.is_some() && e.value != cur.value)
            .collect();
        let better = |old: &Figure| {
            (
                cur.derived_from.is_empty(),
                std::cmp::Reverse(&cur.provenance.source_id),
            ) > (
                old.derived_from.is_empty(),
                std::cmp::Reverse(&old.provenance.source_id),
            )
        };
        match by_date.get(&d) {
            Some((old, _)) if !better(old) => {}
            _ => {
                by_date.insert(d, (cur, earlier));
            }
        }
    }
    by_date.into_iter().map(|(d, (f, e))| (d, f, e)).collect()
}

/// The current national figure of `metric` dated exactly `d`.
fn national_at<'a>(
    hist: &'a BTreeMap<FigKey, Vec<&'a Figure>>,
    metric: &str,
    d: NaiveDate,
) -> Option<&'a Figure> {
    national(hist, metric)
        .into_iter()
        .find(|(x, _, _)| *x == d)
        .map(|(_, f, _)| f)
}

fn mark(f: &Figure, x_label: String, status: &str) -> Mark {
    Mark {
        month: first_of_month(date_of(f).unwrap_or_default()),
        value: f.value.unwrap_or_default(),
        x_label,
        status: status.to_string(),
        href: f.provenance.url.clone(),
        title: format!(
            "{} = {} · {}",
            f.metric,
            html::value(f),
            html::provenance_title(&f.provenance, &f.derived_from)
        ),
    }
}

fn status_str(s: FigureStatus) -> &'static str {
    match s {
        FigureStatus::Preliminary => "preliminary",
        FigureStatus::Revised => "revised",
        FigureStatus::Suppressed => "suppressed",
        FigureStatus::Missing => "missing",
        _ => "final",
    }
}

fn ym(d: NaiveDate) -> String {
    format!("{}-{:02}", d.year(), d.month())
}

/// `2024-11 (10/28–11/30)` for a period that is not a whole month; `2025-01` otherwise.
fn period_label(f: &Figure) -> String {
    match (f.period_start, f.period_end) {
        (Some(s), Some(e)) => {
            let whole = s.day() == 1
                && s.year() == e.year()
                && s.month() == e.month()
                && e.succ_opt().is_some_and(|n| n.month() != e.month());
            if whole {
                ym(e)
            } else {
                format!(
                    "{} ({}/{}–{}/{})",
                    ym(e),
                    s.month(),
                    s.day(),
                    e.month(),
                    e.day()
                )
            }
        }
        _ => date_of(f).map(ym).unwrap_or_default(),
    }
}

fn period_attr(f: &Figure) -> String {
    match (f.period_start, f.period_end) {
        (Some(s), Some(e)) => format!("{s}/{e}"),
        _ => date_of(f).map(ym).unwrap_or_default(),
    }
}

/// Render the page.
pub fn render(input: &ReportInput, lang: Lang) -> Result<String, ReportError> {
    let hist = versions(&input.figures);
    let charts = charts_section(&hist, lang)?;
    let title = lang.t("title");
    let page = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    h1 { (title) }
                    p class="meta" {
                        (lang.t("generated")) ": "
                        time { (input.generated_at.format("%Y-%m-%d %H:%M UTC")) }
                        " · mynawatch"
                    }
                    @if let Some(d) = input.as_of {
                        p class="meta" { (lang.t("as_of_store")) ": " time { (d) } }
                    }
                    p class="note" { (lang.t("every_number")) }
                }
                main {
                    (headline(&hist, lang))
                    (charts)
                    (municipal(input, lang))
                    (legislation(input, lang))
                    (minister(input, lang))
                    (surveys(&hist, lang))
                    (health(input, lang))
                }
            }
        }
    };
    Ok(page.into_string())
}

/// At most `n` characters, `…` when cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    s.chars().take(n).chain(std::iter::once('…')).collect()
}

fn no_data(lang: Lang) -> Markup {
    html! { span class="nodata" { (lang.t("no_data")) } }
}

/// A table's header row.
fn head_row(columns: &[&str]) -> Markup {
    html! {
        thead { tr { @for c in columns { th { (c) } } } }
    }
}

fn headline(hist: &BTreeMap<FigKey, Vec<&Figure>>, lang: Lang) -> Markup {
    let holdings = national(hist, "card.holdings");
    let regs = national(hist, "insurance.registrations");
    let usage = national(hist, "insurance.usage_rate");
    let total = national(hist, "insurance.registration_cancellations_cumulative");
    html! {
        section id="headline" {
            h2 { (lang.t("headline")) }
            div class="cards" {
                // Card holdings and the holding rate on the same date.
                div class="card" id="h-holdings" {
                    h3 { (lang.t("holdings")) }
                    @match holdings.last() {
                        Some((d, f, _)) => {
                            p class="big" { (html::fig(f)) }
                            p {
                                @if let Some(r) = national_at(hist, "card.holding_rate", *d) {
                                    " "
                                    span class="sub" {
                                        "(" (html::fig(r)) " " (lang.t("holding_rate")) ")"
                                    }
                                }
                            }
                            p class="date" { (lang.stock_date(*d)) }
                        }
                        None => (no_data(lang)),
                    }
                }
                // Registrations, per card and per population.
                div class="card" id="h-registrations" {
                    h3 { (lang.t("registrations")) }
                    @match regs.last() {
                        Some((d, f, _)) => {
                            p class="big" { (html::fig(f)) }
                            p class="date" { (lang.stock_date(*d)) }
                            @let per_card = national_at(hist, "insurance.registration_rate", *d)
                                .or_else(|| {
                                    national_at(hist, "insurance.registration_per_card_rate", *d)
                                });
                            p id="h-per-card" {
                                (lang.t("of_cards")) ": "
                                @match per_card {
                                    Some(r) => (html::fig(r)),
                                    None => (no_data(lang)),
                                }
                            }
                            @let per_pop =
                                national_at(hist, "insurance.registration_per_population_rate", *d);
                            p id="h-per-population" {
                                (lang.t("per_population")) ": "
                                @match per_pop {
                                    Some(p) => {
                                        (html::fig(p)) " "
                                        span class="sub" {
                                            "(" (population_base(hist, p, *d, lang)) ")"
                                        }
                                    }
                                    None => (no_data(lang)),
                                }
                            }
                        }
                        None => (no_data(lang)),
                    }
                }
                // Latest usage rate.
                div class="card" id="h-usage" {
                    h3 { (lang.t("latest_usage")) }
                    @match usage.last() {
                        Some((_, f, _)) => {
                            p class="big" { (html::fig(f)) }
                            p class="date" {
                                @if let Some(s) = f.period_start { (lang.month(s)) }
                            }
                        }
                        None => (no_data(lang)),
                    }
                }
                // Cancellations: latest running total.
                div class="card" id="h-cancellations" {
                    h3 { (lang.t("cancellations")) " (" (lang.t("cancellations_total")) ")" }
                    @match total.last() {
                        Some((_, f, _)) => {
                            p class="big" { (html::fig(f)) }
                            p class="date" {
                                @if let (Some(s), Some(e)) = (f.period_start, f.period_end) {
                                    (lang.day(s)) " – " (lang.day(e))
                                }
                            }
                        }
                        None => (no_data(lang)),
                    }
                }
            }
        }
    }
}

/// Names the population figure a per-population rate was computed from: the latest
/// national `population` dated on or before the month (as the derivation picks it).
fn population_base(
    hist: &BTreeMap<FigKey, Vec<&Figure>>,
    rate: &Figure,
    d: NaiveDate,
    lang: Lang,
) -> Markup {
    let base = national(hist, "population")
        .into_iter()
        .rev()
        .find(|(pd, _, _)| *pd <= d);
    let people = match lang {
        Lang::Ja => "人",
        Lang::En => "people",
    };
    html! {
        (lang.t("population_base")) ": "
        @match base {
            Some((pd, p, _)) => {
                (html::fig(p)) " " (people)
                " (" (lang.day(pd)) ", " (p.provenance.source_id) ")"
            }
            None => (rate.derived_from),
        }
    }
}

fn charts_section(
    hist: &BTreeMap<FigKey, Vec<&Figure>>,
    lang: Lang,
) -> Result<Markup, ReportError> {
    // Holdings and registrations.
    let series: Vec<Series> = [
        ("card.holdings", lang.t("holdings")),
        ("insurance.registrations", lang.t("registrations")),
    ]
    .iter()
    .map(|(m, label)| Series {
        id: m.to_string(),
        label: label.to_string(),
        marks: national(hist, m)
            .into_iter()
            .map(|(d, f, _)| mark(f, ym(d), status_str(f.status)))
            .collect(),
    })
    .filter(|s| !s.marks.is_empty())
    .collect();
    let holdings_chart = charts::line_chart("holdings", &series, false)?;
    // Usage rate.
    let usage = Series {
        id: "insurance.usage_rate".into(),
        label: lang.t("usage_rate").into(),
        marks: national(hist, "insurance.usage_rate")
            .into_iter()
            .map(|(_, f, _)| mark(f, period_attr(f), status_str(f.status)))
            .collect(),
    };
    let usage_chart = charts::line_chart("usage", std::slice::from_ref(&usage), true)?;
    // Cancellations with restatements and the running total.
    let cancel = national(hist, "insurance.registration_cancellations");
    let restated = cancel.iter().any(|(_, _, e)| !e.is_empty());
    let bars = Series {
        id: "insurance.registration_cancellations".into(),
        label: format!(
            "{}{}",
            lang.t("cancellations"),
            if restated {
                format!(" ({})", lang.t("revised"))
            } else {
                String::new()
            }
        ),
        marks: cancel
            .iter()
            .map(|(_, f, e)| {
                let st = if e.is_empty() {
                    status_str(f.status)
                } else {
                    "revised"
                };
                mark(f, period_attr(f), st)
            })
            .collect(),
    };
    let earlier = Series {
        id: "insurance.registration_cancellations.earlier".into(),
        label: format!("{} ({})", lang.t("cancellations"), lang.t("preliminary")),
        marks: cancel
            .iter()
            .flat_map(|(_, _, e)| e.iter().map(|f| mark(f, period_attr(f), "preliminary")))
            .collect(),
    };
    let totals = national(hist, "insurance.registration_cancellations_cumulative");
    let total = Series {
        id: "insurance.registration_cancellations_cumulative".into(),
        label: lang.t("cancellations_total").into(),
        marks: totals
            .iter()
            .map(|(_, f, _)| mark(f, period_attr(f), status_str(f.status)))
            .collect(),
    };
    let cancel_chart = if bars.marks.is_empty() {
        None
    } else {
        charts::bar_chart("cancellations", &bars, &earlier, &total)?
    };
    Ok(html! {
        section id="charts" {
            h2 { (lang.t("charts")) }
            (figure_block("holdings", lang.t("chart_holdings"), holdings_chart, lang))
            (figure_block("usage", lang.t("chart_usage"), usage_chart, lang))
            (figure_block("cancellations", lang.t("chart_cancellations"), cancel_chart, lang))
            @if !cancel.is_empty() {
                table class="data" id="cancellations-table" {
                    (head_row(&[lang.t("period"), lang.t("count"), lang.t("cancellations_total")]))
                    tbody {
                        @for (d, f, earlier) in &cancel {
                            tr data-period=(period_attr(f)) {
                                td { (period_label(f)) }
                                td class="num" {
                                    @for e in earlier {
                                        s { (html::fig(e)) } " "
                                        small { (lang.t("preliminary")) } " → "
                                    }
                                    (html::fig(f))
                                }
                                td class="num" {
                                    @if let Some((_, t, _)) = totals.iter().find(|t| t.0 == *d) {
                                        (html::fig(t))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

/// A chart with its caption, or the caption and "no data".
fn figure_block(id: &str, caption: &str, chart: Option<Markup>, lang: Lang) -> Markup {
    html! {
        figure id={ "chart-" (id) } {
            figcaption { (caption) }
            @match chart {
                Some(chart) => (chart),
                None => (no_data(lang)),
            }
        }
    }
}

/// The current version of each notice: per (source, area code or URL), the latest run.
fn current_notices(notices: &[Notice]) -> Vec<&Notice> {
    let mut m: BTreeMap<(String, String), &Notice> = BTreeMap::new();
    for n in notices {
        let p = n.provenance.as_ref();
        let key = (
            p.map(|p| p.source_id.clone()).unwrap_or_default(),
            if n.area_code.is_empty() {
                p.map(|p| p.url.clone()).unwrap_or_default()
            } else {
                n.area_code.clone()
            },
        );
        let newer = |old: &&Notice| {
            let r = |x: &Notice| x.provenance.as_ref().map(|p| p.run_id.clone());
            r(n) >= r(old)
        };
        match m.get(&key) {
            Some(old) if !newer(old) => {}
            _ => {
                m.insert(key, n);
            }
        }
    }
    let mut v: Vec<&Notice> = m.into_values().collect();
    v.sort_by(|a, b| {
        a.area_code
            .cmp(&b.area_code)
            .then(a.area_name.cmp(&b.area_name))
    });
    v
}

/// `v`, or `none` when it is empty.
fn or_none<'a>(v: &'a str, none: &'a str) -> &'a str {
    if v.is_empty() {
        none
    } else {
        v
    }
}

/// The notice fields people reviewed: the reader's value, the reviewed one, the status
/// on the page as it is now (the current notice's text), who and when.
fn reviews_table(cur: &[&Notice], latest: &[&Review], lang: Lang) -> Markup {
    if latest.is_empty() {
        return html! {};
    }
    let none = lang.t("none");
    html! {
        h3 { (lang.t("reviews")) }
        table class="data" id="reviews" {
            (head_row(&[
                lang.t("issuer"),
                lang.t("field"),
                lang.t("machine_value"),
                lang.t("reviewed_value"),
                lang.t("review_status"),
                lang.t("reviewed_by"),
            ]))
            tbody {
                @for r in latest {
                    @if let Some(n) = cur.iter().find(|n| keys::notice(n) == r.entity_key) {
                        @let st = review::status_of(r, &n.text_sha256).as_str();
                        tr data-key=(r.entity_key) data-field=(r.field) data-review=(st) {
                            td { (n.area_name) }
                            td { code { (r.field) } }
                            td { (or_none(&r.machine_value, none)) }
                            td { (or_none(&r.reviewed_value, none)) }
                            td { span class={ "review " (st) } { (lang.t(st)) } }
                            td {
                                (r.by) " " (r.at.date_naive())
                                @if !r.note.is_empty() { " — " (r.note) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn policy_label(p: &str, lang: Lang) -> &'static str {
    match p {
        "all_insured" => lang.t("all_insured"),
        "unregistered_only" => lang.t("unregistered_only"),
        _ => lang.t("unknown"),
    }
}

/// A notice's validity: `from – until`, `—` when it states neither.
fn validity(n: &Notice) -> String {
    match (n.valid_from, n.valid_until) {
        (None, None) => "—".to_string(),
        (f, u) => format!(
            "{} – {}",
            f.map(|d| d.to_string()).unwrap_or_default(),
            u.map(|d| d.to_string()).unwrap_or_default()
        ),
    }
}

fn municipal(input: &ReportInput, lang: Lang) -> Markup {
    // People's corrections replace the reader's values on the page they were made on.
    let latest = review::latest(&input.reviews, "notices");
    let mut status: BTreeMap<String, ReviewStatus> = BTreeMap::new();
    let reviewed: Vec<Notice> = current_notices(&input.notices)
        .into_iter()
        .map(|n| {
            let mut n = n.clone();
            status.insert(keys::notice(&n), review::apply_to_notice(&mut n, &latest));
            n
        })
        .collect();
    let cur: Vec<&Notice> = reviewed.iter().collect();
    let badge = |n: &Notice| {
        let shown = status
            .get(&keys::notice(n))
            .filter(|s| **s != ReviewStatus::Machine)
            .map(|s| s.as_str());
        html! {
            @if let Some(s) = shown {
                " " span class={ "review " (s) } data-review=(s) { (lang.t(s)) }
            }
        }
    };
    let policies = ["all_insured", "unregistered_only", "unknown"];
    let count_of = |p: &str, pref: Option<&str>| {
        cur.iter()
            .filter(|n| {
                let np = if policies[..2].contains(&n.issuance_policy.as_str()) {
                    n.issuance_policy.as_str()
                } else {
                    "unknown"
                };
                np == p && pref.is_none_or(|x| n.area_code.starts_with(x))
            })
            .count()
    };
    let all: Vec<&Notice> = cur
        .iter()
        .copied()
        .filter(|n| n.issuance_policy == "all_insured")
        .collect();
    // Notices changed in the last 30 days.
    let today = input
        .as_of
        .unwrap_or_else(|| input.generated_at.date_naive());
    let since = today - Duration::days(30);
    let changed: Vec<&Change> = input
        .changes
        .iter()
        .filter(|c| c.table == "notices")
        .filter(|c| {
            let d = c.detected_at.date_naive();
            d >= since && d <= today
        })
        .filter(|c| c.kind.as_str() != "added")
        .collect();
    html! {
        section id="municipal" {
            h2 { (lang.t("municipal")) }
            h3 { (lang.t("policy_counts")) }
            table class="data" id="policy-national" {
                (head_row(&[lang.t("policy"), lang.t("issuers")]))
                tbody {
                    @for p in policies {
                        tr data-policy=(p) {
                            td { (policy_label(p, lang)) " " code { (p) } }
                            td class="num" { (count_of(p, None)) }
                        }
                    }
                }
            }
            // 47 prefectures as tiles (JIS order).
            div class="tiles" id="prefectures" {
                @for pref in mynawatch_ja::area::all().iter().filter(|a| a.is_prefecture()) {
                    @let two = &pref.code[..2];
                    @let a = count_of("all_insured", Some(two));
                    @let u = count_of("unregistered_only", Some(two));
                    @let k = count_of("unknown", Some(two));
                    @let class = if a > 0 {
                        "tile some"
                    } else if u + k > 0 {
                        "tile seen"
                    } else {
                        "tile"
                    };
                    div class=(class) data-pref=(two) title={
                        "all_insured " (a) " · unregistered_only " (u) " · unknown " (k)
                    } {
                        b { (pref.prefecture) }
                        span { (a) "/" (a + u + k) }
                    }
                }
            }
            // all_insured issuers.
            h3 { (lang.t("all_insured_list")) }
            table class="data" id="all-insured" {
                (head_row(&[
                    lang.t("issuer"),
                    lang.t("evidence"),
                    lang.t("validity"),
                    lang.t("source"),
                ]))
                tbody {
                    @if all.is_empty() {
                        tr { td colspan="4" { (no_data(lang)) } }
                    }
                    @for n in &all {
                        tr data-area=(n.area_code) {
                            td { (n.area_name) (badge(n)) }
                            td class="evidence" { (n.policy_evidence) }
                            td { (validity(n)) }
                            td {
                                @match &n.provenance {
                                    Some(p) => (linked(&n.title, p, "")),
                                    None => (n.title),
                                }
                            }
                        }
                    }
                }
            }
            (reviews_table(&cur, &latest, lang))
            h3 { (lang.t("notices_changed")) }
            ul id="notices-changed" {
                @if changed.is_empty() {
                    li { (lang.t("none")) }
                }
                @for c in changed.iter().take(30) {
                    li {
                        time { (c.detected_at.format("%Y-%m-%d")) } " "
                        a href=(c.url) target="_blank" rel="noopener" { (clip(&c.summary, 160)) }
                        " " small { "[" (c.kind.as_str()) "]" }
                    }
                }
            }
        }
    }
}

fn legislation(input: &ReportInput, lang: Lang) -> Markup {
    html! {
        section id="legislation" {
            h2 { (lang.t("legislation")) }
            @if input.bills.is_empty() {
                p class="nodata" { (lang.t("bills_none")) }
            }
            @for bill in &input.bills {
                div class="bill" data-bill=(bill.key) {
                    h3 {
                        @match &bill.provenance {
                            Some(p) => (linked(&bill.title, p, "")),
                            None => (bill.title),
                        }
                        " " small { (bill.key) }
                    }
                    p { (lang.t("stage")) ": " b { (bill.stage) } " " (bill.status) }
                    ol class="timeline" {
                        @for (label, d) in &bill.steps {
                            li { time { (d) } " " (label) }
                        }
                    }
                }
            }
        }
    }
}

fn minister(input: &ReportInput, lang: Lang) -> Markup {
    let events: BTreeMap<&str, &Event> = input
        .events
        .iter()
        .map(|e| (e.event_id.as_str(), e))
        .collect();
    // Latest version of each (event, turn).
    let mut turns: BTreeMap<(&str, u32), &Statement> = BTreeMap::new();
    for s in &input.statements {
        let k = (s.event_id.as_str(), s.turn);
        if turns
            .get(&k)
            .is_none_or(|o| o.provenance.run_id <= s.provenance.run_id)
        {
            turns.insert(k, s);
        }
    }
    let tags = ["qualification_certificate", "mynumber_insurance"];
    let mut picked: Vec<(Option<NaiveDate>, &Statement)> = turns
        .values()
        .filter(|s| s.speaker_role == "minister")
        .filter(|s| s.topics.iter().any(|t| tags.contains(&t.as_str())))
        .map(|s| (events.get(s.event_id.as_str()).and_then(|e| e.date), *s))
        .collect();
    picked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.turn.cmp(&b.1.turn)));
    html! {
        section id="minister" {
            h2 { (lang.t("minister")) }
            p class="note" { (lang.t("minister_note")) }
            @if picked.is_empty() {
                p { (no_data(lang)) }
            } @else {
                table class="data" id="statements" {
                    (head_row(&[lang.t("date"), lang.t("speaker"), lang.t("statement")]))
                    tbody {
                        @for (d, s) in picked.iter().take(6) {
                            @let day = d.map_or_else(|| "—".to_string(), |d| d.to_string());
                            tr {
                                td { (linked(&day, &s.provenance, "")) }
                                td { (s.speaker) }
                                td {
                                    (clip(&s.text, 220))
                                    " " small { "[" (s.topics.join(", ")) "]" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn surveys(hist: &BTreeMap<FigKey, Vec<&Figure>>, lang: Lang) -> Markup {
    // Interim and final reports of one survey are versions of the same figure, or
    // separate rows of the same metric and period with a different status.
    let mut rows: BTreeMap<(String, String, String), Vec<&Figure>> = BTreeMap::new();
    for (k, v) in hist {
        if !k.1.starts_with("survey.") {
            continue;
        }
        let when = match (k.5, k.6, k.4) {
            (Some(s), Some(e), _) => format!("{s} – {e}"),
            (_, _, Some(d)) => d.to_string(),
            _ => String::new(),
        };
        rows.entry((k.1.clone(), k.3.clone(), when))
            .or_default()
            .extend(v.iter().copied());
    }
    // Per row: the label, the period, and each distinct (value, status), interim first.
    let rows: Vec<(String, String, Vec<&Figure>)> = rows
        .into_iter()
        .map(|((metric, dims, when), mut v)| {
            v.sort_by(|a, b| {
                (a.status != FigureStatus::Preliminary, &a.provenance.run_id)
                    .cmp(&(b.status != FigureStatus::Preliminary, &b.provenance.run_id))
            });
            let mut seen = BTreeSet::new();
            v.retain(|f| seen.insert((f.value.map(f64::to_bits), status_str(f.status))));
            let label = if dims.is_empty() {
                metric
            } else {
                format!("{metric} [{dims}]")
            };
            (label, when, v)
        })
        .collect();
    html! {
        section id="surveys" {
            h2 { (lang.t("surveys")) }
            p class="note" { (lang.t("survey_note")) }
            @if rows.is_empty() {
                p { (no_data(lang)) }
            } @else {
                table class="data" id="survey-table" {
                    (head_row(&[lang.t("metric"), lang.t("period"), lang.t("value")]))
                    tbody {
                        @for (label, when, values) in &rows {
                            tr {
                                td { code { (label) } }
                                td { (when) }
                                td class="num" {
                                    @for (i, f) in values.iter().enumerate() {
                                        @if i > 0 { " → " }
                                        (html::fig(f)) " " small { (status_str(f.status)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn health(input: &ReportInput, lang: Lang) -> Markup {
    let mut changes: Vec<&Change> = input.changes.iter().collect();
    changes.sort_by(|a, b| {
        b.detected_at
            .cmp(&a.detected_at)
            .then(b.run_id.cmp(&a.run_id))
    });
    html! {
        section id="health" {
            h2 { (lang.t("health")) }
            table class="data" id="sources" {
                (head_row(&[
                    lang.t("source_id"),
                    lang.t("outcome"),
                    lang.t("failures"),
                    lang.t("last_error"),
                ]))
                tbody {
                    @for s in &input.sources {
                        @let bad = matches!(s.last_outcome.as_str(), "fetch_failed" | "broken");
                        tr class=(if bad { "bad" } else { "ok" }) {
                            td {
                                a href=(s.url) target="_blank" rel="noopener" { (s.id) }
                                " " small { (s.family) }
                            }
                            td { (s.last_outcome) }
                            td class="num" { (s.consecutive_failures) }
                            td { (s.last_error.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
            h3 { (lang.t("changes")) }
            table class="data" id="changes" {
                (head_row(&[lang.t("detected"), lang.t("kind"), lang.t("summary")]))
                tbody {
                    @for c in changes.iter().take(25) {
                        tr {
                            td { time { (c.detected_at.format("%Y-%m-%d %H:%M")) } }
                            td { (c.kind.as_str()) }
                            td {
                                a href=(c.url) target="_blank" rel="noopener" {
                                    (clip(&c.summary, 160))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

const CSS: &str = r#"
:root{--fg:#1d2125;--muted:#5b6670;--line:#d8dde2;--accent:#1f6fb4;--bg:#fff}
*{box-sizing:border-box}
.review{font-size:.8em;padding:0 .4em;border-radius:.6em;border:1px solid var(--line)}.review.corrected{background:#e7f1fb}.review.stale{background:#fdecea}
body{margin:0;font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",system-ui,sans-serif;color:var(--fg);background:var(--bg);line-height:1.55}
header,main{max-width:980px;margin:0 auto;padding:0 16px}
header{padding-top:18px;border-bottom:3px solid var(--accent)}
h1{font-size:1.45rem;margin:.2em 0}
h2{font-size:1.2rem;border-left:5px solid var(--accent);padding-left:.5em;margin:1.6em 0 .6em}
h3{font-size:1rem;margin:1.1em 0 .4em}
.meta,.note{color:var(--muted);font-size:.85rem;margin:.2em 0 .6em}
a.n{color:inherit;text-decoration:underline dotted var(--accent);text-underline-offset:3px}
a{color:var(--accent)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(210px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card h3{margin:0 0 .3em;font-size:.9rem;color:var(--muted)}
.card p{margin:.15em 0}
.big{font-size:1.7rem;font-weight:700;font-variant-numeric:tabular-nums}
.date{color:var(--muted);font-size:.85rem}
.sub{color:var(--muted);font-size:.9rem}
.nodata{color:var(--muted);font-style:italic}
figure{margin:1em 0;border:1px solid var(--line);border-radius:8px;padding:8px}
figcaption{font-weight:600;font-size:.95rem;margin-bottom:4px}
svg.chart{width:100%;height:auto;display:block}
table.data{border-collapse:collapse;width:100%;font-size:.9rem;margin:.4em 0}
table.data th,table.data td{border-bottom:1px solid var(--line);padding:5px 6px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.evidence{font-size:.88rem}
tr.bad td{background:#fdecea}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(74px,1fr));gap:4px;margin:.6em 0}
.tile{border:1px solid var(--line);border-radius:4px;padding:3px 5px;font-size:.75rem;display:flex;justify-content:space-between;color:var(--muted)}
.tile.seen{background:#eef3f8;color:var(--fg)}
.tile.some{background:#cfe2f3;color:var(--fg);font-weight:600}
ol.timeline{padding-left:1.2em;font-size:.9rem}
ul.legend{list-style:none;margin:4px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:.85rem}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}
@media (max-width:600px){.big{font-size:1.4rem}table.data{font-size:.8rem}}
@page{size:A4;margin:14mm}
@media print{header,main{max-width:none;padding:0}figure,table,.card{break-inside:avoid}a.n{text-decoration:none}}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use mynawatch_model::Qualifier;

    fn prov(run: &str, locator: &str) -> Provenance {
        Provenance {
            source_id: "s".into(),
            url: "http://example.invalid/x.csv".into(),
            fetched_at: Utc.with_ymd_and_hms(2025, 5, 20, 1, 2, 3).unwrap(),
            snapshot_sha256: "abc123".into(),
            locator: locator.into(),
            raw_text: "raw".into(),
            run_id: run.into(),
        }
    }

    fn fig(metric: &str, as_of: (i32, u32, u32), v: f64, run: &str) -> Figure {
        Figure {
            metric: metric.into(),
            area_code: "000000".into(),
            area_name: "全国".into(),
            as_of: NaiveDate::from_ymd_opt(as_of.0, as_of.1, as_of.2),
            period_start: None,
            period_end: None,
            value: Some(v),
            unit: if metric.contains("rate") {
                "percent"
            } else {
                "count"
            }
            .into(),
            scale: 1.0,
            qualifier: None::<Qualifier>,
            status: FigureStatus::Final,
            dimensions: String::new(),
            derived_from: String::new(),
            evidence: String::new(),
            provenance: prov(run, &format!("{metric}!A1")),
        }
    }

    fn input(figures: Vec<Figure>) -> ReportInput {
        ReportInput {
            generated_at: Utc.with_ymd_and_hms(2025, 5, 20, 0, 0, 0).unwrap(),
            as_of: None,
            figures,
            notices: vec![],
            events: vec![],
            statements: vec![],
            changes: vec![],
            sources: vec![],
            bills: vec![],
            reviews: vec![],
        }
    }

    #[test]
    fn headline_takes_the_latest_month_of_each_series_and_links_every_number() {
        let page = render(
            &input(vec![
                fig("card.holdings", (2025, 3, 31), 97_722_937.0, "r1"),
                fig("card.holdings", (2025, 4, 30), 97_985_287.0, "r2"),
                fig("card.holding_rate", (2025, 4, 30), 78.5, "r2"),
                fig("insurance.registrations", (2025, 3, 31), 83_011_764.0, "r1"),
                fig("insurance.registration_rate", (2025, 3, 31), 84.9, "r1"),
            ]),
            Lang::En,
        )
        .unwrap();
        let head =
            &page[page.find("id=\"headline\"").unwrap()..page.find("id=\"charts\"").unwrap()];
        assert!(head.contains(">97,985,287</a>"));
        assert!(head.contains(">78.5%</a>"));
        assert!(head.contains("end of April 2025"));
        assert!(head.contains(">83,011,764</a>"));
        assert!(head.contains("end of March 2025"));
        assert!(head.contains(">84.9%</a>"));
        assert!(head
            .contains("title=\"card.holdings!A1 · sha256 abc123 · fetched 2025-05-20 01:02:03Z"));
        // No per-population figure in the data: said so, not invented.
        let pop = &head[head.find("h-per-population").unwrap()..];
        assert!(pop[..200].contains("no data"));
    }

    #[test]
    fn a_restated_cancellation_month_shows_its_earlier_value_struck_through() {
        let mut a = fig(
            "insurance.registration_cancellations",
            (2024, 11, 30),
            13_147.0,
            "r1",
        );
        a.as_of = None;
        a.period_start = NaiveDate::from_ymd_opt(2024, 10, 28);
        a.period_end = NaiveDate::from_ymd_opt(2024, 11, 30);
        let mut b = a.clone();
        b.value = Some(12_733.0);
        b.provenance.run_id = "r2".into();
        let page = render(&input(vec![a, b]), Lang::Ja).unwrap();
        assert!(page.contains("<s><a class=\"n\""));
        assert!(page.contains("2024-11 (10/28–11/30)"));
        assert!(page.contains("data-value=\"13147\" data-status=\"preliminary\""));
        assert!(page.contains("data-value=\"12733\" data-status=\"revised\""));
    }

    #[test]
    fn empty_store_renders_every_section_with_no_data() {
        let page = render(&input(vec![]), Lang::Ja).unwrap();
        for id in [
            "headline",
            "charts",
            "municipal",
            "legislation",
            "minister",
            "surveys",
            "health",
        ] {
            assert!(page.contains(&format!("<section id=\"{id}\">")), "{id}");
        }
        assert!(page.contains("データなし"));
        assert!(!page.contains("<script"));
    }
}
