//! The report's charts, drawn by plotters' SVG backend.
//!
//! plotters draws every mark (a circle per point, a rectangle per bar); this module then
//! tags each mark it drew, in drawing order, with `data-series`, `data-x`, `data-value`
//! and `data-status` attributes, a `<title>` (shown on hover: locator, snapshot hash,
//! fetch time) and a link to the figure's source, so a browser test can count points and
//! bars and a reader can click through. Marks are found by their series colour, which no
//! other element of a chart uses.
//!
//! plotters' SVG goes into the page as it is ([`PreEscaped`]): plotters escapes the text
//! it writes, and the only text it writes is axis labels formatted here from numbers.
//! Everything this module adds (links, `<title>`s, attribute values, the legend) is
//! escaped by maud.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use maud::{html, Escaper, Markup, PreEscaped};
use plotters::prelude::*;

use crate::ReportError;

/// One plotted value.
#[derive(Debug, Clone)]
pub struct Mark {
    /// The month it belongs to (first day).
    pub month: NaiveDate,
    /// The value.
    pub value: f64,
    /// `data-x`: `2025-01`, or a period such as `2024-10-28/2024-11-30`.
    pub x_label: String,
    /// `final`, `preliminary`, `revised`.
    pub status: String,
    /// The source URL.
    pub href: String,
    /// Hover text.
    pub title: String,
}

/// A named series of marks.
#[derive(Debug, Clone)]
pub struct Series {
    /// Metric id (`data-series`).
    pub id: String,
    /// Legend text.
    pub label: String,
    /// Marks in time order.
    pub marks: Vec<Mark>,
}

const W: u32 = 760;
const H: u32 = 340;
/// Series colours; no other element of a chart is drawn in them.
const PALETTE: [RGBColor; 3] = [
    RGBColor(0x1f, 0x6f, 0xb4),
    RGBColor(0xc8, 0x3a, 0x2a),
    RGBColor(0x2b, 0x8a, 0x3e),
];
const BAR: RGBColor = RGBColor(0x6a, 0x4c, 0x93);
const BAR_PRELIMINARY: RGBColor = RGBColor(0xb9, 0xa7, 0xd1);
const TOTAL: RGBColor = RGBColor(0xd9, 0x7b, 0x0d);

fn month_index(d: NaiveDate) -> f64 {
    f64::from(d.year() * 12 + d.month0() as i32)
}

/// A series' marks as chart points (month, value).
fn points(marks: &[Mark]) -> Vec<(f64, f64)> {
    marks
        .iter()
        .map(|m| (month_index(m.month), m.value))
        .collect()
}

fn month_label(x: f64) -> String {
    if (x - x.round()).abs() > 1e-6 {
        return String::new();
    }
    let i = x.round() as i32;
    format!("{}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1)
}

fn short(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{}M", trim(v / 1e6, 1))
    } else if a >= 1e4 {
        format!("{}k", trim(v / 1e3, 0))
    } else {
        trim(v, 1)
    }
}

fn trim(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn err(e: impl std::fmt::Display) -> ReportError {
    ReportError::Chart(e.to_string())
}

fn x_range(months: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let v: Vec<f64> = months.collect();
    let lo = v.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    lo.is_finite().then_some((lo - 0.7, hi + 0.7))
}

fn y_range(values: impl Iterator<Item = f64>, from_zero: bool) -> (f64, f64) {
    let v: Vec<f64> = values.collect();
    let lo = v.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let span = (hi - lo).abs().max(hi.abs() * 0.02).max(1e-9);
    let lo = if from_zero { 0.0 } else { lo - span * 0.15 };
    (lo, hi + span * 0.15)
}

/// A line chart with a point per value: one chart id, one or more series; `None` when
/// there is no value to plot.
pub fn line_chart(
    chart_id: &str,
    series: &[Series],
    percent: bool,
) -> Result<Option<Markup>, ReportError> {
    let all = || series.iter().flat_map(|s| s.marks.iter());
    let Some((x0, x1)) = x_range(all().map(|m| month_index(m.month))) else {
        return Ok(None);
    };
    let (y0, y1) = y_range(all().map(|m| m.value), false);
    let mut svg = String::new();
    let mut queues = Queues::default();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(34)
            .y_label_area_size(64)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(8)
            .x_label_formatter(&|x| month_label(*x))
            .y_label_formatter(&|y| {
                if percent {
                    format!("{}%", trim(*y, 1))
                } else {
                    short(*y)
                }
            })
            .y_labels(6)
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(0xe4, 0xe7, 0xea))
            .draw()
            .map_err(err)?;
        for (i, s) in series.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            let pts = points(&s.marks);
            chart
                .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
                .map_err(err)?;
            chart
                .draw_series(pts.iter().map(|p| Circle::new(*p, 4, color.filled())))
                .map_err(err)?;
            queues.push("circle", color, &s.id, &s.marks);
        }
        root.present().map_err(err)?;
    }
    let keys: Vec<(RGBColor, &str)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| (PALETTE[i % PALETTE.len()], s.label.as_str()))
        .collect();
    with_legend(&queues.annotate(&svg, chart_id)?, &keys)
}

/// The tagged SVG and an HTML legend under it (plotters' own legend box would cover marks).
fn with_legend(svg: &str, keys: &[(RGBColor, &str)]) -> Result<Option<Markup>, ReportError> {
    Ok(Some(html! {
        (PreEscaped(svg))
        ul class="legend" {
            @for (c, label) in keys {
                li { span class="swatch" style={ "background:" (hex(*c)) } {} (label) }
            }
        }
    }))
}

/// Bars per period (a restated period shows its earlier value as a light bar beside
/// the current one) and the running total as a line on the right-hand axis; `None` when
/// there is no value to plot.
pub fn bar_chart(
    chart_id: &str,
    bars: &Series,
    earlier: &Series,
    total: &Series,
) -> Result<Option<Markup>, ReportError> {
    let months = bars
        .marks
        .iter()
        .chain(&earlier.marks)
        .chain(&total.marks)
        .map(|m| month_index(m.month));
    let Some((x0, x1)) = x_range(months) else {
        return Ok(None);
    };
    let (_, y1) = y_range(
        bars.marks.iter().chain(&earlier.marks).map(|m| m.value),
        true,
    );
    let (_, t1) = y_range(total.marks.iter().map(|m| m.value), true);
    let restated: std::collections::BTreeSet<String> =
        earlier.marks.iter().map(|m| m.x_label.clone()).collect();
    let mut svg = String::new();
    let mut queues = Queues::default();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(34)
            .y_label_area_size(64)
            .right_y_label_area_size(64)
            .build_cartesian_2d(x0..x1, 0.0..y1)
            .map_err(err)?
            .set_secondary_coord(x0..x1, 0.0..t1);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(8)
            .x_label_formatter(&|x| month_label(*x))
            .y_label_formatter(&|y| short(*y))
            .y_labels(6)
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(0xe4, 0xe7, 0xea))
            .draw()
            .map_err(err)?;
        chart
            .configure_secondary_axes()
            .y_label_formatter(&|y| short(*y))
            .draw()
            .map_err(err)?;
        let half = |m: &Mark| restated.contains(&m.x_label);
        chart
            .draw_series(earlier.marks.iter().map(|m| {
                let x = month_index(m.month);
                Rectangle::new(
                    [(x - 0.36, 0.0), (x - 0.02, m.value)],
                    BAR_PRELIMINARY.filled(),
                )
            }))
            .map_err(err)?;
        queues.push("rect", BAR_PRELIMINARY, &earlier.id, &earlier.marks);
        chart
            .draw_series(bars.marks.iter().map(|m| {
                let x = month_index(m.month);
                let left = if half(m) { x + 0.02 } else { x - 0.34 };
                Rectangle::new([(left, 0.0), (x + 0.36, m.value)], BAR.filled())
            }))
            .map_err(err)?;
        queues.push("rect", BAR, &bars.id, &bars.marks);
        let pts = points(&total.marks);
        chart
            .draw_secondary_series(LineSeries::new(pts.clone(), TOTAL.stroke_width(2)))
            .map_err(err)?;
        chart
            .draw_secondary_series(pts.iter().map(|p| Circle::new(*p, 4, TOTAL.filled())))
            .map_err(err)?;
        queues.push("circle", TOTAL, &total.id, &total.marks);
        root.present().map_err(err)?;
    }
    let mut keys = vec![(BAR, bars.label.as_str())];
    if !earlier.marks.is_empty() {
        keys.push((BAR_PRELIMINARY, earlier.label.as_str()));
    }
    keys.push((TOTAL, total.label.as_str()));
    with_legend(&queues.annotate(&svg, chart_id)?, &keys)
}

/// The marks still to be found in the SVG, per (element, fill colour), in drawing order.
#[derive(Default)]
struct Queues {
    by_key: BTreeMap<(String, String), VecDeque<(String, Mark)>>,
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

impl Queues {
    fn push(&mut self, tag: &str, color: RGBColor, series: &str, marks: &[Mark]) {
        let q = self
            .by_key
            .entry((tag.to_string(), hex(color)))
            .or_default();
        q.extend(marks.iter().map(|m| (series.to_string(), m.clone())));
    }

    /// Tag the marks in `svg`; every queued mark must be found exactly once.
    fn annotate(mut self, svg: &str, chart_id: &str) -> Result<String, ReportError> {
        let mut out = String::with_capacity(svg.len() * 2);
        let mut rest = svg;
        while let Some(start) = rest.find('<') {
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            let Some(end) = tail.find('>') else {
                out.push_str(tail);
                rest = "";
                break;
            };
            let tag_text = &tail[..=end];
            rest = &tail[end + 1..];
            if let Some(svg_attrs) = tag_text.strip_prefix("<svg") {
                out.push_str("<svg");
                out.push_str(&attributes(&[
                    ("class", "chart"),
                    ("role", "img"),
                    ("data-chart", chart_id),
                ]));
                out.push_str(svg_attrs);
                continue;
            }
            let name: String = tag_text[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            let fill = attr(tag_text, "fill").map(|f| f.to_ascii_uppercase());
            let hit = fill.and_then(|f| self.by_key.get_mut(&(name.clone(), f)));
            match hit.and_then(|q| q.pop_front()) {
                Some((series, m)) if tag_text.ends_with("/>") => {
                    // plotters' empty element, reopened with the mark's data and a title.
                    let open = format!(
                        "{}{}>",
                        tag_text.trim_end_matches("/>").trim_end(),
                        attributes(&[
                            ("data-series", &series),
                            ("data-x", &m.x_label),
                            ("data-value", &m.value.to_string()),
                            ("data-status", &m.status),
                        ])
                    );
                    let close = format!("</{name}>");
                    let tagged = html! {
                        a href=(m.href) target="_blank" rel="noopener" {
                            (PreEscaped(open)) title { (m.title) } (PreEscaped(close))
                        }
                    };
                    out.push_str(&tagged.into_string());
                }
                _ => out.push_str(tag_text),
            }
        }
        out.push_str(rest);
        let left: usize = self.by_key.values().map(VecDeque::len).sum();
        if left > 0 {
            return Err(ReportError::Chart(format!(
                "{chart_id}: {left} marks were not found in the SVG plotters wrote"
            )));
        }
        Ok(out)
    }
}

/// ` name="value"` for each pair, to add to a start tag plotters wrote. maud's templates
/// write whole elements, so the values are escaped here with maud's own [`Escaper`].
fn attributes(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        let _ = write!(out, " {name}=\"");
        let _ = Escaper::new(&mut out).write_str(value);
        out.push('"');
    }
    out
}

/// The value of attribute `name` in one start tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let pat = format!(" {name}=\"");
    let at = tag.find(&pat)? + pat.len();
    let len = tag[at..].find('"')?;
    Some(&tag[at..at + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(y: i32, m: u32, v: f64) -> Mark {
        Mark {
            month: NaiveDate::from_ymd_opt(y, m, 1).unwrap(),
            value: v,
            x_label: format!("{y}-{m:02}"),
            status: "final".into(),
            href: "http://example.invalid/a?b=1&c=2".into(),
            title: "sheet!B3 · sha256 ab".into(),
        }
    }

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    #[test]
    fn every_point_of_every_series_is_tagged_and_linked() {
        let s = [
            Series {
                id: "card.holdings".into(),
                label: "cards".into(),
                marks: vec![
                    mark(2025, 2, 97.0e6),
                    mark(2025, 3, 97.7e6),
                    mark(2025, 4, 97.9e6),
                ],
            },
            Series {
                id: "insurance.registrations".into(),
                label: "registrations".into(),
                marks: vec![mark(2025, 2, 82.2e6), mark(2025, 3, 83.0e6)],
            },
        ];
        let svg = line_chart("holdings", &s, false)
            .unwrap()
            .unwrap()
            .into_string();
        assert_eq!(count(&svg, "data-series=\"card.holdings\""), 3);
        assert_eq!(count(&svg, "data-series=\"insurance.registrations\""), 2);
        assert_eq!(count(&svg, "data-chart=\"holdings\""), 1);
        assert!(svg.contains("href=\"http://example.invalid/a?b=1&amp;c=2\""));
        assert!(svg.contains("<title>sheet!B3 · sha256 ab</title>"));
    }

    #[test]
    fn a_restated_period_shows_both_bars_and_the_total_has_a_point_per_period() {
        let bars = Series {
            id: "current".into(),
            label: "current".into(),
            marks: vec![mark(2024, 11, 12733.0), mark(2024, 12, 32067.0)],
        };
        let mut old = mark(2024, 11, 13147.0);
        old.status = "preliminary".into();
        let earlier = Series {
            id: "earlier".into(),
            label: "earlier".into(),
            marks: vec![old],
        };
        let total = Series {
            id: "total".into(),
            label: "total".into(),
            marks: vec![mark(2024, 11, 12733.0), mark(2024, 12, 44800.0)],
        };
        let svg = bar_chart("c", &bars, &earlier, &total)
            .unwrap()
            .unwrap()
            .into_string();
        assert_eq!(count(&svg, "data-series=\"current\""), 2);
        assert_eq!(count(&svg, "data-series=\"earlier\""), 1);
        assert_eq!(count(&svg, "data-series=\"total\""), 2);
        assert!(svg.contains("data-value=\"13147\" data-status=\"preliminary\""));
    }

    #[test]
    fn text_put_into_the_svg_and_the_legend_is_escaped() {
        let mut m = mark(2025, 1, 1.0);
        m.title = "\"A<1>\" & B".into();
        m.x_label = "a\"b".into();
        let s = Series {
            id: "x<y".into(),
            label: "<i>label</i>".into(),
            marks: vec![m],
        };
        let svg = line_chart("c&d", &[s], false)
            .unwrap()
            .unwrap()
            .into_string();
        assert!(svg.contains("data-chart=\"c&amp;d\""));
        assert!(svg.contains("data-series=\"x&lt;y\" data-x=\"a&quot;b\" data-value=\"1\""));
        assert!(svg.contains("<title>&quot;A&lt;1&gt;&quot; &amp; B</title></circle></a>"));
        assert!(svg.contains("</span>&lt;i&gt;label&lt;/i&gt;</li>"));
    }

    #[test]
    fn no_marks_no_chart() {
        assert!(line_chart("x", &[], true).unwrap().is_none());
    }
}
