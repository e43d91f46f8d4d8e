//! `hodanren`: 全国保険医団体連合会 (保団連) news pages and survey reports → `figures`.
//!
//! Owns the survey vocabulary only: the fieldwork period (調査期間, `8月から9月`), the
//! responding institutions (`survey.institutions_responding`), the share and count of
//! institutions reporting trouble (`survey.trouble_rate`, percent;
//! `survey.institutions_with_trouble`), the previous survey's share when quoted
//! (same metrics, dimension `basis=previous_survey`), trouble categories with their
//! shares (`survey.trouble_category_rate`, dimension `category=<label as written>`), and
//! the cases in which patients were charged 10割 (`survey.full_charge_cases`, count).
//!
//! A report saying 中間報告 / 中間集計 / 速報 is a preliminary release, anything else final:
//! interim and final reports of one survey give the same keys with different values, so
//! the diff marks the final one as revised.
//!
//! Survey releases reproduce PDF text with spaces inside numbers (`12,735 医療機関`,
//! `2024 年5月`, `約 10%`); those are closed up before reading numbers, while `raw_text`
//! keeps the line as written. HTML goes through the shared main-text layer
//! ([`crate::html`]); plain text (PDF text) runs the same rules line by line.
//! Pure: no I/O. A page on which no survey figure is found is an error, not an empty
//! success.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use mynawatch_model::{Figure, FigureStatus, Rows, SnapshotMeta};
use regex::Regex;

use crate::text::numbers_after;
use crate::{common, Expectations, ExtractError, Extraction, Family, Input};

/// The 保団連 family.
#[derive(Debug, Default)]
pub struct Hodanren;

/// One line of main text: where it is, what it said, and its cleaned form.
struct Line {
    locator: String,
    raw: String,
    clean: String,
}

impl Family for Hodanren {
    fn name(&self) -> &'static str {
        "hodanren"
    }

    fn expectations(&self, _options: &serde_json::Value) -> Expectations {
        // Every survey release states at least its respondents or its trouble share.
        Expectations {
            min_rows: 1,
            required_tables: vec!["figures"],
        }
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let page = common::html_page(input)?;
        let mut lines: Vec<Line> = Vec::new();
        if !page.title.is_empty() {
            lines.push(line("title", &page.title));
        }
        lines.extend(page.blocks.iter().map(|b| line(&b.locator, &b.text)));
        let published = page.published_on.or(page.updated_on);
        rules(&lines, input.meta, published)
    }

    fn extract_text(
        &self,
        text: &str,
        input: &Input<'_>,
    ) -> Option<Result<Extraction, ExtractError>> {
        let lines: Vec<Line> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| line(&format!("lines:{}-{}", i + 1, i + 1), l))
            .collect();
        Some(rules(&lines, input.meta, None))
    }
}

fn line(locator: &str, raw: &str) -> Line {
    Line {
        locator: locator.to_string(),
        raw: raw.trim().to_string(),
        clean: close_up(raw.trim()),
    }
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("hodanren regex"))
}

/// NFKC, then the spaces a PDF copy leaves inside figures removed: between a digit and
/// what follows it (`12,735 医療機関`, `2024 年`), and between a Japanese character and
/// a digit (`約 10%`, `9月 20 日`). Spaces between words stay.
fn close_up(s: &str) -> String {
    static AFTER_DIGIT: OnceLock<Regex> = OnceLock::new();
    static BEFORE_DIGIT: OnceLock<Regex> = OnceLock::new();
    let norm = mynawatch_ja::normalize(s);
    let a = re(&AFTER_DIGIT, r"([0-9%])[ \t\u{3000}]+([^\sA-Za-z0-9(])");
    let b = re(&BEFORE_DIGIT, r"([^\sA-Za-z0-9,.)])[ \t\u{3000}]+([0-9])");
    // Twice: `9月 20 日` has overlapping matches.
    let mut out = norm.into_owned();
    for _ in 0..2 {
        out = a.replace_all(&out, "$1$2").into_owned();
        out = b.replace_all(&out, "$1$2").into_owned();
    }
    out
}

/// The release's status: interim reports are preliminary.
fn release_status(lines: &[Line]) -> FigureStatus {
    if lines.iter().any(|l| {
        ["中間報告", "中間集計", "速報"]
            .iter()
            .any(|k| l.clean.contains(k))
    }) {
        FigureStatus::Preliminary
    } else {
        FigureStatus::Final
    }
}

/// The publication date: the date slug of the news URL (`/info/news/2024-10-17`, with
/// or without a trailing slash), else the page's date, else the first full date in the
/// text.
fn publication_date(
    meta: &SnapshotMeta,
    page: Option<NaiveDate>,
    lines: &[Line],
) -> Option<NaiveDate> {
    static SLUG: OnceLock<Regex> = OnceLock::new();
    let slug = re(&SLUG, r"/news/(\d{4})-(\d{2})-(\d{2})/?(?:$|[?#])");
    if let Some(c) = slug.captures(&meta.url) {
        let d = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        if d.is_some() {
            return d;
        }
    }
    page.or_else(|| {
        lines.iter().find_map(|l| {
            mynawatch_ja::find_dates(&l.clean)
                .into_iter()
                .find(|d| d.kind == mynawatch_ja::DateKind::Date)
                .map(|d| d.start)
        })
    })
}

/// The fieldwork period, from a line naming it (調査期間, 実施, 調査): `2024年8月から9月`,
/// `8月1日～9月20日`. A month without a year takes the publication year.
fn survey_period(lines: &[Line], year: Option<i32>) -> Option<(NaiveDate, NaiveDate, usize)> {
    static PERIOD: OnceLock<Regex> = OnceLock::new();
    let p = re(
        &PERIOD,
        r"(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?(?:\([^)]*\))?(?:から|~|～|〜|-|―)(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?",
    );
    lines.iter().enumerate().find_map(|(i, l)| {
        if !["調査期間", "実施", "調査"]
            .iter()
            .any(|k| l.clean.contains(k))
        {
            return None;
        }
        let c = p.captures(&l.clean)?;
        let num = |k: usize| c.get(k).and_then(|m| m.as_str().parse::<u32>().ok());
        let y1 = num(1).map(|y| y as i32).or(year)?;
        let y2 = num(4).map(|y| y as i32).unwrap_or(y1);
        let start = NaiveDate::from_ymd_opt(y1, num(2)?, num(3).unwrap_or(1))?;
        let end = match num(6) {
            Some(d) => NaiveDate::from_ymd_opt(y2, num(5)?, d)?,
            None => NaiveDate::from_ymd_opt(y2, num(5)?, 1)?
                .checked_add_months(chrono::Months::new(1))?
                .pred_opt()?,
        };
        (start <= end).then_some((start, end, i))
    })
}

/// A category line: `・資格情報が無効 54.3%`, `有効期限切れ … 12.0%`, `●表示 9.8%`
/// (`●` is part of that label: names shown with ● for 外字).
fn category(clean: &str) -> Option<(String, String)> {
    static CAT: OnceLock<Regex> = OnceLock::new();
    let c = re(
        &CAT,
        r"^(?:[・○◆■\-]|\(\d+\)|\d+[.)])?\s*(?P<label>[^0-9%]+?)[\s:：…・.]*(?P<pct>[0-9]+(?:\.[0-9]+)?%)(?:\s*\(?[0-9,]+(?:件|医療機関)\)?)?$",
    );
    let m = c.captures(clean)?;
    let label = m["label"].trim().to_string();
    (!label.is_empty() && !label.contains("トラブルがあった"))
        .then(|| (label, m["pct"].to_string()))
}

/// `10割` is the share of the fee a patient paid (10割負担), not a survey share; `約9割`
/// is a survey share.
fn is_full_charge(n: &mynawatch_ja::Number) -> bool {
    n.text.contains('割') && n.value == Some(100.0)
}

struct Builder<'a> {
    meta: &'a SnapshotMeta,
    status: FigureStatus,
    period: Option<(NaiveDate, NaiveDate)>,
    published: Option<NaiveDate>,
    figures: Vec<Figure>,
}

impl Builder<'_> {
    fn push(&mut self, metric: &str, dims: String, n: &mynawatch_ja::Number, l: &Line) {
        let Some(value) = n.value else { return };
        // One value per key: the first statement of a figure wins, except that a
        // headline's rounded `7割` gives way to the `70.1%` the body states.
        let coarse = |t: &str| t.contains('割') && !t.contains('%');
        if let Some(i) = self
            .figures
            .iter()
            .position(|f| f.metric == metric && f.dimensions == dims)
        {
            let old = &self.figures[i];
            let refines = old.unit == "percent"
                && !coarse(&n.text)
                && mynawatch_ja::find_numbers(&old.provenance.raw_text)
                    .iter()
                    .any(|m| m.value == old.value && coarse(&m.text));
            if !refines {
                return;
            }
            self.figures.remove(i);
        }
        let (period_start, period_end, as_of) = match self.period {
            Some((s, e)) => (Some(s), Some(e), None),
            None => (None, None, self.published),
        };
        self.figures.push(Figure {
            metric: metric.to_string(),
            area_code: "000000".to_string(),
            area_name: "全国".to_string(),
            as_of,
            period_start,
            period_end,
            value: Some(value),
            unit: n.unit.clone(),
            scale: n.scale,
            qualifier: n.qualifier,
            status: self.status,
            dimensions: dims,
            derived_from: String::new(),
            provenance: self.meta.provenance(&l.locator, &l.raw),
        });
    }
}

fn rules(
    lines: &[Line],
    meta: &SnapshotMeta,
    page_date: Option<NaiveDate>,
) -> Result<Extraction, ExtractError> {
    let published = publication_date(meta, page_date, lines);
    let period = survey_period(lines, published.map(|d| d.year()));
    let mut warnings = Vec::new();
    if period.is_none() {
        warnings.push(format!(
            "{}: no survey period found; figures dated by publication ({:?})",
            meta.url, published
        ));
    }
    let mut b = Builder {
        meta,
        status: release_status(lines),
        period: period.map(|(s, e, _)| (s, e)),
        published,
        figures: Vec::new(),
    };
    let mut in_categories = false;
    for l in lines {
        let c = l.clean.as_str();
        let previous = c.contains("前回");
        // `…トラブルがあったと回答した医療機関は…` counts those with trouble, not respondents.
        for (n, _) in numbers_after(c, &["回答", "集計", "寄せられ"], 40) {
            if n.unit == "institutions" && !previous && !c.contains("トラブル") {
                b.push("survey.institutions_responding", String::new(), &n, l);
            }
        }
        if c.contains("トラブル") && category(c).is_none() {
            // The headline sentence: `70.1%(8,929医療機関)がトラブルがあったと回答`;
            // a `前回` sentence restates the previous survey's pair.
            let dims = if previous {
                "basis=previous_survey".to_string()
            } else {
                String::new()
            };
            let nums = mynawatch_ja::find_numbers(c);
            let pct = nums
                .iter()
                .position(|n| n.unit == "percent" && !is_full_charge(n));
            if let Some(i) = pct {
                let after_previous = !previous || c[..nums[i].span.start].contains("前回");
                if after_previous {
                    b.push("survey.trouble_rate", dims.clone(), &nums[i], l);
                    if let Some(k) = nums[i + 1..].iter().find(|n| n.unit == "institutions") {
                        b.push("survey.institutions_with_trouble", dims, k, l);
                    }
                }
            }
        }
        if ["内訳", "トラブルの内容", "トラブル内容", "トラブルの種類"]
            .iter()
            .any(|k| c.contains(k))
        {
            in_categories = true;
            continue;
        }
        if in_categories {
            match category(c) {
                Some((label, _)) => {
                    if let Some(n) = mynawatch_ja::find_numbers(c)
                        .into_iter()
                        .find(|n| n.unit == "percent")
                    {
                        b.push(
                            "survey.trouble_category_rate",
                            format!("category={label}"),
                            &n,
                            l,
                        );
                    }
                }
                None => in_categories = false,
            }
        }
        if c.contains("10割") {
            for (n, _) in numbers_after(c, &["10割"], 60) {
                if matches!(n.unit.as_str(), "count" | "persons") {
                    b.push("survey.full_charge_cases", String::new(), &n, l);
                }
            }
        }
    }
    if b.figures.is_empty() {
        return Err(ExtractError::Layout(format!(
            "{}: no survey figures (respondents, trouble share, categories, 10割 cases) found in {} lines of main text",
            meta.url,
            lines.len()
        )));
    }
    Ok(Extraction {
        rows: Rows {
            figures: b.figures,
            ..Rows::default()
        },
        links: Vec::new(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_spaces_inside_figures_are_closed_up() {
        assert_eq!(close_up("2024 年5月"), "2024年5月");
        assert_eq!(close_up("12,735 医療機関"), "12,735医療機関");
        assert_eq!(close_up("約 10%"), "約10%");
        assert_eq!(close_up("9月 20 日"), "9月20日");
        assert_eq!(close_up("Online 資格確認"), "Online 資格確認");
    }

    #[test]
    fn a_share_in_wari_is_a_trouble_rate_but_ten_wari_is_the_charge() {
        let meta = SnapshotMeta::for_file("s", "https://example.jp/r", String::new());
        let lines = [
            line("lines:1-1", "調査期間：2025 年 3 月～4 月"),
            line("lines:2-2", "約 9 割の医療機関がトラブルがあったと回答"),
            line("lines:3-3", "トラブルで 10 割負担となったケースは 310 件"),
        ];
        let x = rules(&lines, &meta, None).unwrap();
        let got: Vec<(&str, Option<f64>)> = x
            .rows
            .figures
            .iter()
            .map(|f| (f.metric.as_str(), f.value))
            .collect();
        assert_eq!(
            got,
            vec![
                ("survey.trouble_rate", Some(90.0)),
                ("survey.full_charge_cases", Some(310.0))
            ]
        );
        assert_eq!(
            x.rows.figures[0].qualifier,
            Some(mynawatch_model::Qualifier::Approx)
        );
    }

    #[test]
    fn category_lines_keep_the_bullet_that_is_part_of_the_label() {
        assert_eq!(
            category("●表示 9.8%"),
            Some(("●表示".to_string(), "9.8%".to_string()))
        );
        assert_eq!(
            category("・資格情報が無効 54.3%"),
            Some(("資格情報が無効".to_string(), "54.3%".to_string()))
        );
        assert_eq!(category("トラブルがあった 70.1%"), None);
    }
}
