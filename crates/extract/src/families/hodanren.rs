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
//! A report saying 中間報告 / 中間集計 / 中間結果 / 速報 near its top is a preliminary release, anything
//! else final: interim and final reports of one survey give the same keys with different
//! values, so the diff marks the final one as revised.
//!
//! Reports are 保団連's own and those of the prefectural 保険医協会 (and news articles
//! quoting either). The survey's author decides the area: 保団連 is all Japan (`000000`),
//! a prefectural association its prefecture, and a sentence that quotes another
//! association's survey (`埼玉県保険医協会は5月16日に実施した調査では…7割`) carries that
//! association's area and date. Each figure is dated by, in order: the fieldwork period
//! (`調査期間`, `…から…にかけて実施`, `…に送付し…までに回答`), the aggregation date
//! (`6月8日集計`), the publication date (URL slug, page date, a `公開日` line); never by a
//! broadcast, press-conference or reference date. A date without a year takes the
//! report's year; with no year known the figure is left undated (with a warning), never
//! guessed from another year in the text. The previous survey's figures quoted beside the
//! current ones (`前回…59.8%`) carry their own period (`2023年10月1日以降` → an open
//! period from that day), or none.
//!
//! Survey releases reproduce PDF text with spaces inside numbers (`12,735 医療機関`,
//! `2024 年5月`, `約 10%`); those are closed up before reading numbers, while `raw_text`
//! keeps the line as written. HTML goes through the shared main-text layer
//! ([`crate::html`]); plain text (PDF text) runs the same rules line by line.
//! Pure: no I/O. A page on which no survey figure is found is an error, not an empty
//! success; so is a page whose survey has no association as its author (a pollster's or
//! a newspaper's survey of patients is not this family's).
//!
//! Guards against wrong values: a share is the trouble share only when its own words say
//! so (`…の医療機関でトラブルが発生`, `トラブルあり:N件(P%)`), never a share of another
//! question in the same paragraph (`「負担を感じる」15・7%`, `「特にない」10・9%(前回は24・6%)`,
//! `72%はトラブルを「経験したことがない」`); a change (`約10%増加`) is not a level; `10割` is
//! the fee charged, and a share of answers about it is not a count of cases; a rounded
//! headline (`7割`, `約65%`, `7200医療機関`) gives way to the body's exact figure.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use mynawatch_ja::Number;
use mynawatch_model::{Figure, FigureStatus, Qualifier, Rows, SnapshotMeta};
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

/// When the figures of a report (or of one sentence) hold.
#[derive(Debug, Clone, Copy, PartialEq)]
enum When {
    /// `period_start..=period_end`; an open end for `…以降`.
    Period(NaiveDate, Option<NaiveDate>),
    /// A day: the aggregation or publication date, or the day a survey was run.
    AsOf(NaiveDate),
    /// Not stated.
    Unknown,
}

/// Where and when a figure holds.
#[derive(Debug, Clone, PartialEq)]
struct Scope {
    area_code: String,
    area_name: String,
    when: When,
}

/// The release's status: interim reports are preliminary. Only the top of a report
/// counts, and not a parenthesised mention of an earlier interim report
/// (`当会の調査結果(中間報告)について`).
fn release_status(lines: &[Line]) -> FigureStatus {
    let interim = lines.iter().take(8).any(|l| {
        ["中間報告", "中間集計", "中間結果", "速報"]
            .iter()
            .any(|k| {
                l.clean.match_indices(k).any(|(at, _)| {
                    !l.clean[..at].ends_with('(') && !l.clean[at + k.len()..].starts_with(')')
                })
            })
    });
    if interim && !lines.iter().take(8).any(|l| l.clean.contains("最終")) {
        FigureStatus::Preliminary
    } else {
        FigureStatus::Final
    }
}

/// The publication date: the date slug of a news URL (`/info/news/2024-10-17`, with or
/// without a trailing slash; `/info/news/230703_trouble`), else the page's date, else a
/// line that dates the page (`公開日 2025年05月13日`, `date 2026-01-30`, a line that is
/// only a date). Never the first date found anywhere in the text.
fn publication_date(
    meta: &SnapshotMeta,
    page: Option<NaiveDate>,
    lines: &[Line],
) -> Option<NaiveDate> {
    static SLUG: OnceLock<Regex> = OnceLock::new();
    static SHORT_SLUG: OnceLock<Regex> = OnceLock::new();
    let slug = re(&SLUG, r"/news/(\d{4})-(\d{2})-(\d{2})/?(?:$|[?#])");
    let short = re(
        &SHORT_SLUG,
        r"hodanren\.doc-net\.or\.jp/info/news/(\d{2})(\d{2})(\d{2})_[a-z]+/?(?:$|[?#])",
    );
    for (c, century) in [
        (slug.captures(&meta.url), 0),
        (short.captures(&meta.url), 2000),
    ] {
        let Some(c) = c else { continue };
        let y: i32 = c[1].parse().ok()?;
        if let Some(d) =
            NaiveDate::from_ymd_opt(y + century, c[2].parse().ok()?, c[3].parse().ok()?)
        {
            return Some(d);
        }
    }
    page.or_else(|| {
        lines.iter().find_map(|l| {
            let c = l.clean.trim();
            let d = mynawatch_ja::find_dates(c)
                .into_iter()
                .find(|d| d.kind == mynawatch_ja::DateKind::Date)?;
            let labelled = ["公開日", "掲載日", "更新日", "発行日", "発表日"]
                .iter()
                .any(|k| c.contains(k))
                || c.starts_with("date ");
            let only_a_date = c.chars().count() <= d.text.chars().count() + 2;
            (labelled || only_a_date).then_some(d.start)
        })
    })
}

/// The report's year for dates written without one: the publication year; else a
/// `昨年12月2日` that the text also writes in full (`2024年12月2日` → the report is of
/// 2025), or the same with `今年`.
fn report_year(published: Option<NaiveDate>, lines: &[Line]) -> Option<i32> {
    if let Some(d) = published {
        return Some(d.year());
    }
    static RELATIVE: OnceLock<Regex> = OnceLock::new();
    let rel = re(&RELATIVE, r"(昨年|今年)(\d{1,2})月(\d{1,2})日");
    let full: Vec<NaiveDate> = lines
        .iter()
        .flat_map(|l| mynawatch_ja::find_dates(&l.clean))
        .filter(|d| d.kind == mynawatch_ja::DateKind::Date && d.text.contains('年'))
        .map(|d| d.start)
        .collect();
    lines.iter().find_map(|l| {
        rel.captures_iter(&l.clean).find_map(|c| {
            let (m, d): (u32, u32) = (c[2].parse().ok()?, c[3].parse().ok()?);
            let known = full.iter().find(|f| f.month() == m && f.day() == d)?;
            Some(known.year() + if &c[1] == "昨年" { 1 } else { 0 })
        })
    })
}

/// Sentences of a line: split after `。`, trimmed, empty dropped.
fn sentences(clean: &str) -> Vec<&str> {
    clean
        .split_inclusive('。')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Dates of a sentence, year-less ones taking the report's year when it is known.
fn dates_in(s: &str, year: Option<i32>) -> Vec<mynawatch_ja::DateFound> {
    match year {
        Some(y) => mynawatch_ja::find_dates_with_year(s, y),
        None => mynawatch_ja::find_dates(s),
    }
}

/// Where a sentence starts to speak of an earlier survey (`前回調査`, `前回は`,
/// `前年同期の調査`), not of a patient's previous visit (`前回来院時`).
fn earlier_survey(s: &str) -> Option<usize> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RE,
        r"前回(?:の)?(?:調査|は|\(|比|から|より|と比|では|に比)|前年同期|1年前の調査|昨年の調査",
    );
    r.find(s).map(|m| m.start())
}

/// The fieldwork period: a date range in a sentence about the survey (`調査は8月から9月
/// にかけて実施`, `調査期間:2025年1月10日~2月28日`, `2023年6月12日~15日FAXにて実施`),
/// or a dispatch day and a reply deadline (`5月25日に…送付し、6月5日までに…回答を得た`).
/// Sentences about an earlier survey are skipped.
fn survey_period(lines: &[Line], year: Option<i32>) -> Option<(NaiveDate, NaiveDate)> {
    for l in lines {
        for s in sentences(&l.clean) {
            if earlier_survey(s).is_some()
                || !["調査", "アンケート", "実施"].iter().any(|k| s.contains(k))
            {
                continue;
            }
            let found = dates_in(s, year);
            let range = found.iter().find(|d| {
                d.kind == mynawatch_ja::DateKind::Period
                    && d.start < d.end
                    && (d.end - d.start).num_days() <= 366
                    && (d.text.contains(['~', '-', '・']) || d.text.contains("から"))
                    && !s[d.span.end..].starts_with("以降")
            });
            if let Some(d) = range {
                return Some((d.start, d.end));
            }
            if let Some(r) = year.and_then(|y| month_range(s, y)) {
                return Some(r);
            }
            if let Some(r) = duration_from(s, &found) {
                return Some(r);
            }
            let dispatch = ["送付", "送信", "配布", "発送"]
                .iter()
                .any(|k| s.contains(k));
            if dispatch && s.contains("までに") && s.contains("回答") {
                let days: Vec<_> = found
                    .iter()
                    .filter(|d| d.kind == mynawatch_ja::DateKind::Date)
                    .collect();
                let end = days.iter().find(|d| s[d.span.end..].starts_with("までに"));
                if let (Some(first), Some(end)) = (days.first(), end) {
                    if first.start < end.start {
                        return Some((first.start, end.start));
                    }
                }
            }
        }
    }
    None
}

/// A range of whole months without a year (`調査は8月から9月にかけて実施`), in `year`.
fn month_range(s: &str, year: i32) -> Option<(NaiveDate, NaiveDate)> {
    static RANGE: OnceLock<Regex> = OnceLock::new();
    let r = re(&RANGE, r"(\d{1,2})月(?:から|~|-)(\d{1,2})月");
    let c = r.captures_iter(s).find(|c| {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        let before = s[..whole.start].chars().next_back();
        !before.is_some_and(|ch| ch.is_ascii_digit() || ch == '年')
            && !s[whole.end..].starts_with(|ch: char| ch.is_ascii_digit())
    })?;
    let (m1, m2): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
    let start = NaiveDate::from_ymd_opt(year, m1, 1)?;
    let end = NaiveDate::from_ymd_opt(year, m2, 1)?
        .checked_add_months(chrono::Months::new(1))?
        .pred_opt()?;
    (start < end).then_some((start, end))
}

/// A start day and a duration: `10月14日からの1カ月間` → to the day before the same
/// day a month later.
fn duration_from(s: &str, found: &[mynawatch_ja::DateFound]) -> Option<(NaiveDate, NaiveDate)> {
    static DUR: OnceLock<Regex> = OnceLock::new();
    let dur = re(&DUR, r"^からの?(\d{1,2})(?:カ|か|ヶ|ケ|ヵ)月間");
    found.iter().find_map(|d| {
        if d.kind != mynawatch_ja::DateKind::Date {
            return None;
        }
        let c = dur.captures(&s[d.span.end..])?;
        let months: u32 = c[1].parse().ok()?;
        let end = d
            .start
            .checked_add_months(chrono::Months::new(months))?
            .pred_opt()?;
        Some((d.start, end))
    })
}

/// The aggregation date of an interim count: `(6月8日集計)`, `集計:6月19日`, `6月8日時点`.
fn aggregation_date(lines: &[Line], year: Option<i32>) -> Option<NaiveDate> {
    static AGG: OnceLock<Regex> = OnceLock::new();
    let agg = re(
        &AGG,
        r"(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:集計|時点))|(?:集計[^。:]{0,4}[:：]\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日)",
    );
    lines.iter().find_map(|l| {
        let m = agg.find(&l.clean)?;
        dates_in(m.as_str(), year)
            .into_iter()
            .find(|d| d.kind == mynawatch_ja::DateKind::Date)
            .map(|d| d.start)
    })
}

/// Prefecture names as association names write them (`愛媛県保険医協会`, `京都府保険医協会`,
/// `東京歯科保険医協会`).
fn prefecture_association() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let names: Vec<String> = mynawatch_ja::area::all()
            .iter()
            .filter(|a| a.is_prefecture())
            .map(|a| {
                // One suffix only: 京都府 → 京都, 東京都 → 東京.
                let short = if a.prefecture == "北海道" {
                    "北海道"
                } else {
                    a.prefecture
                        .strip_suffix(['都', '府', '県'])
                        .unwrap_or(a.prefecture)
                };
                regex::escape(short)
            })
            .collect();
        Regex::new(&format!(
            r"(?P<pref>{})(?:都|府|県)?(?:歯科)?保険医?協会(?:は|では|が|の調査|の会員)",
            names.join("|")
        ))
        .expect("association regex")
    })
}

/// 保団連 as the survey's author (`保団連は`, `全国保険医団体連合会(東京)の調査では`,
/// `保団連が集計した`), or an author line that is only its name.
fn national_author(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RE,
        r"(?:保団連|全国保険医団体連合会)」?(?:\([^)]*\))?(?:は|が|では|の調査|として)|^全国保険医団体連合会$",
    );
    r.is_match(s.trim())
}

fn national() -> (String, String) {
    ("000000".to_string(), "全国".to_string())
}

fn prefecture_area(name: &str) -> Option<(String, String)> {
    mynawatch_ja::area::prefecture(name).map(|a| (a.code.to_string(), a.prefecture.to_string()))
}

/// The report's area: 保団連 as the author → all Japan; else a prefectural association
/// as the author → its prefecture; else 保団連's site → all Japan; else an unnamed `協会`
/// counting `都内` institutions → Tokyo.
fn report_area(lines: &[Line], meta: &SnapshotMeta) -> Option<(String, String)> {
    if lines.iter().any(|l| national_author(&l.clean)) {
        return Some(national());
    }
    // 保団連's site also reports a prefectural association's own survey
    // (`千葉県保険医協会は9月17日に…調査を公表しました`): that survey is the prefecture's.
    let named = lines.iter().find_map(|l| {
        prefecture_association()
            .captures(&l.clean)
            .and_then(|c| prefecture_area(&c["pref"]))
    });
    if named.is_none() && meta.url.contains("hodanren.doc-net.or.jp") {
        return Some(national());
    }
    named.or_else(|| {
        lines
            .iter()
            .any(|l| l.clean.contains("協会") && l.clean.contains("都内"))
            .then(|| prefecture_area("東京都"))
            .flatten()
    })
}

/// A category line: `・資格情報が無効 54.3%`, `有効期限切れ … 12.0%`, `●表示 9.8%`
/// (`●` is part of that label: names shown with ● for 外字), or count first:
/// `「無効・該当資格なし」と表示された:2546件(64.8%)`, `…10割請求 1291件(23.5%)`.
fn category(clean: &str) -> Option<(String, usize)> {
    static CAT: OnceLock<Regex> = OnceLock::new();
    static COUNTED: OnceLock<Regex> = OnceLock::new();
    let c = re(
        &CAT,
        r"^(?:[・○◆■\-]|\(\d+\)|\d+[.)])?\s*(?P<label>[^0-9%]+?)[\s:：…・.]*(?P<pct>[0-9]+(?:\.[0-9]+)?%)(?:\s*\(?[0-9,]+(?:件|医療機関)\)?)?$",
    );
    let counted = re(
        &COUNTED,
        r"^(?:[・○◆■\-]|\(\d+\)|\d+[.)])?\s*(?P<label>.+?)\s*[:：]?\s*[0-9,]+(?:件|医療機関)\s*\((?P<pct>[0-9]+(?:\.[0-9]+)?%)\)$",
    );
    let m = c.captures(clean).or_else(|| counted.captures(clean))?;
    let label = m["label"].trim().to_string();
    let not_a_category = [
        "トラブルがあった",
        "トラブルあり",
        "トラブルなし",
        "トラブルを経験",
    ];
    (!label.is_empty() && !not_a_category.iter().any(|k| label.contains(k)))
        .then(|| (label, m.name("pct").map_or(0, |p| p.start())))
}

/// Headers that open a list of trouble categories.
const CATEGORY_HEADERS: [&str; 7] = [
    "内訳",
    "トラブルの内容",
    "トラブル内容",
    "トラブルの主な内容",
    "トラブルの種類",
    "トラブル事例",
    "トラブル率",
];

/// Categories written inline in prose: `「資格情報が無効」50.9%`, `「●が出る」が56.8%`,
/// `「名前や住所で旧字体が表示されない」が158件(31%)`. Returns (label, number).
fn inline_categories(s: &str) -> Vec<(String, Number)> {
    static Q: OnceLock<Regex> = OnceLock::new();
    let q = re(&Q, r"「(?P<label>[^「」]{1,60})」(?:が|は|の)?");
    let mut out = Vec::new();
    for c in q.captures_iter(s) {
        let end = c.get(0).map_or(0, |m| m.end());
        let nums = mynawatch_ja::find_numbers(&s[end..]);
        let Some(first) = nums.first().filter(|n| n.span.start == 0) else {
            continue;
        };
        let pct = if first.unit == "percent" {
            Some(first.clone())
        } else if first.unit == "count" {
            // `158件(31%)`: the share in brackets right after the count.
            nums.get(1)
                .filter(|n| {
                    n.unit == "percent" && s[end + first.span.end..end + n.span.start] == *"("
                })
                .cloned()
        } else {
            None
        };
        if let Some(mut n) = pct {
            n.span = end + n.span.start..end + n.span.end;
            out.push((c["label"].trim().to_string(), n));
        }
    }
    out
}

/// `10割` is the share of the fee a patient paid (10割負担), not a survey share; `約9割`
/// is a survey share.
fn is_full_charge(n: &Number) -> bool {
    n.text.contains('割') && n.value == Some(100.0)
}

/// A figure that states a change, not a level: `約10%増加`, `2000件超増加`.
fn is_change(s: &str, n: &Number) -> bool {
    let after = &s[n.span.end..];
    ["増", "減", "上昇", "低下", "ポイント", "pt"]
        .iter()
        .any(|k| after.trim_start_matches(['超', 'の']).starts_with(k))
}

/// A share that answers "no trouble" (`「特にない」との回答は10.9%`, `トラブルなし:…(35.2%)`).
fn is_negative_answer(before: &str) -> bool {
    ["特にない", "なし", "無し", "ない」", "なかった"]
        .iter()
        .any(|k| before.contains(k))
}

/// Whether the share `n` of sentence `s` is the share of institutions that had trouble:
/// `65.1%(5493医療機関)でトラブルが発生`, `7割の医療機関で今もトラブルが起きている`,
/// `トラブルあり:3929件(64.8%)`, `「あった」と答えたのは196施設で59%`.
fn is_trouble_share(s: &str, n: &Number, prev_end: usize, next_start: usize) -> bool {
    static AFTER: OnceLock<Regex> = OnceLock::new();
    static BEFORE: OnceLock<Regex> = OnceLock::new();
    let after_re = re(
        &AFTER,
        r"^[^。]{0,60}?トラブル[^。]{0,8}?(?:あった|あり|を経験|経験|が発生|発生|が起き|起き|が報告|を報告)|^がトラブル\s*$",
    );
    let before_re = re(
        &BEFORE,
        r"(?:トラブル[^。]{0,14}?(?:あった|あり|経験|発生)|「あった」と(?:回答|答え)[^。]{0,6})[^。]{0,16}$",
    );
    static NEGATED: OnceLock<Regex> = OnceLock::new();
    // `72%はトラブルを「経験したことがない」`: the share without trouble.
    let negated = re(
        &NEGATED,
        r"^[^。]{0,60}?トラブル[^。]{0,8}?(?:あった|あり|経験|発生|起き)[^。]{0,10}?(?:ない|なかった|なし|せず)",
    );
    static WHERE: OnceLock<Regex> = OnceLock::new();
    // `トラブルが7割の医療機関で起きていました`.
    let where_re = re(&WHERE, r"^(?:の医療機関|の施設)で(?:起き|発生|あっ|見られ)");
    let before = &s[prev_end..n.span.start];
    let after = &s[n.span.end..next_start];
    n.unit == "percent"
        && !negated.is_match(after)
        && !is_full_charge(n)
        && !is_change(s, n)
        && !is_negative_answer(before)
        && !before.trim_end().ends_with(['」', '」'])
        && !before.ends_with("」が")
        && (after_re.is_match(after)
            || before_re.is_match(before)
            || (before.contains("トラブル") && where_re.is_match(after)))
}

struct Builder<'a> {
    meta: &'a SnapshotMeta,
    status: FigureStatus,
    figures: Vec<Figure>,
}

impl Builder<'_> {
    fn push(&mut self, metric: &str, dims: String, n: &Number, l: &Line, scope: &Scope) {
        let Some(value) = n.value else { return };
        let unit = if metric.starts_with("survey.institutions") {
            "institutions".to_string()
        } else {
            n.unit.clone()
        };
        if (unit == "percent" && !(0.0..=100.0).contains(&value)) || value < 0.0 {
            return;
        }
        // One value per key: the first statement of a figure wins, except that a
        // headline's rounded figure (`7割`, `7200医療機関`) gives way to the precise one
        // the body states (`70.1%`, `全体回答数:7208件`).
        if let Some(i) = self.figures.iter().position(|f| {
            f.metric == metric && f.dimensions == dims && f.area_code == scope.area_code
        }) {
            let old = &self.figures[i];
            if !refines(old, value, n) {
                return;
            }
            self.figures.remove(i);
        }
        let (as_of, period_start, period_end) = match scope.when {
            When::Period(s, e) => (None, Some(s), e),
            When::AsOf(d) => (Some(d), None, None),
            When::Unknown => (None, None, None),
        };
        self.figures.push(Figure {
            metric: metric.to_string(),
            area_code: scope.area_code.clone(),
            area_name: scope.area_name.clone(),
            as_of,
            period_start,
            period_end,
            value: Some(value),
            unit,
            scale: n.scale,
            qualifier: n.qualifier,
            status: self.status,
            dimensions: dims,
            derived_from: String::new(),
            provenance: self.meta.provenance(&l.locator, &l.raw),
        });
    }
}

/// Whether `value` (written as `n`) is a more precise statement of the figure `old`: a
/// share in 割 refined by a percentage within 5 points, or a round count (`7200`)
/// refined by a count within 2%.
fn refines(old: &Figure, value: f64, n: &Number) -> bool {
    let Some(was) = old.value else { return false };
    let coarse = |t: &str| t.contains('割') && !t.contains('%');
    let old_text_coarse = mynawatch_ja::find_numbers(&old.provenance.raw_text)
        .iter()
        .any(|m| m.value == Some(was) && coarse(&m.text));
    if old.unit == "percent" {
        // `7割` or `約65%` first, then `70.1%` / `64.8%`.
        let old_rough = old_text_coarse || old.qualifier == Some(Qualifier::Approx);
        let new_exact = !coarse(&n.text) && n.qualifier.is_none();
        return old_rough && new_exact && (was - value).abs() <= 5.0;
    }
    was % 100.0 == 0.0 && value % 100.0 != 0.0 && (was - value).abs() <= 0.02 * value
}

/// The responding institutions: `12,735医療機関にご回答いただき`, `1万519の医療機関から
/// 回答を得た`, `347件の回答があった`, `回答数:10,026医療機関`, `全体回答数:7208件`,
/// `回答数 322`, `回答:39都道府県(43保険医協会・医会)の12,735医療機関`.
fn respondents(s: &str) -> Option<Number> {
    static AFTER: OnceLock<Regex> = OnceLock::new();
    static LABEL: OnceLock<Regex> = OnceLock::new();
    let after = re(
        &AFTER,
        r"(?P<n>[0-9][0-9,]*(?:万[0-9,]*)?)\s*(?:件|医療機関|機関|施設)?(?:の医療機関|の施設)?(?:から|より|の|に|が)(?:ご)?回答",
    );
    let label = re(
        &LABEL,
        r"(?:全体)?回答(?:数|医療機関数)?[:：]|回答数|回答(?:したの|があったの)は",
    );
    if let Some(c) = after.captures(s) {
        let m = c.name("n")?;
        let whole = c.get(0)?;
        // `10026医療機関から回答` but not `41都道府県10026…` read as one number.
        let n = mynawatch_ja::find_numbers(&s[m.start()..whole.end()])
            .into_iter()
            .next()?;
        let before = &s[..m.start()];
        if !before.ends_with(['%', '.']) && n.value.is_some_and(|v| v >= 1.0) {
            return Some(n);
        }
    }
    let m = label.find(s)?;
    let rest = &s[m.end()..];
    // `回答したのは41都道府県の1万26施設`: the count of institutions, not of people.
    let needs_unit = m.as_str().ends_with('は');
    // Skip the prefecture and association counts (`39都道府県(43保険医協会・医会)の`).
    mynawatch_ja::find_numbers(&rest[..rest.find('。').unwrap_or(rest.len())])
        .into_iter()
        .filter(|n| {
            let tail = &rest[n.span.end..];
            !["都道府県", "都府県", "保険医協会", "協会", "道府県"]
                .iter()
                .any(|k| tail.trim_start().starts_with(k))
        })
        // A count of institutions is a whole number (`回答数は前回の1.5倍` is not one).
        .filter(|n| n.value.is_some_and(|v| v >= 1.0 && v.fract() == 0.0))
        .find(|n| {
            if needs_unit {
                n.unit == "institutions"
            } else {
                matches!(n.unit.as_str(), "institutions" | "count" | "")
            }
        })
}

/// Institutions with trouble stated without a share: `トラブルを経験した医療機関は、33機関`,
/// `何らかのトラブルを報告した医療機関は928件`,
/// `33件が「トラブルがあった」と回答`.
fn institutions_with_trouble(s: &str) -> Option<Number> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RE,
        r"トラブルを(?:経験|報告)した医療機関は[、,]?\s*(?P<a>[0-9][0-9,]*)(?:医療機関|機関|施設|件)|(?P<b>[0-9][0-9,]*)(?:医療機関|機関|施設|件)が「?トラブルが(?:あった|発生)",
    );
    let c = r.captures(s)?;
    let m = c.name("a").or_else(|| c.name("b"))?;
    mynawatch_ja::find_numbers(&s[m.start()..])
        .into_iter()
        .next()
}

/// The institutions count paired with a share: right after it (`65.1%(5493医療機関)`,
/// `70.1%・8,929医療機関`, `59.9%(1429件)`) or right before it (`3929件(64.8%)`,
/// `196施設で59%`).
fn paired_count(s: &str, nums: &[Number], i: usize) -> Option<Number> {
    let is_count = |n: &Number| matches!(n.unit.as_str(), "institutions" | "count");
    if let Some(next) = nums.get(i + 1) {
        let gap = &s[nums[i].span.end..next.span.start];
        if is_count(next) && matches!(gap.trim(), "(" | "・" | "、" | "の") {
            return Some(next.clone());
        }
    }
    let prev = nums.get(i.checked_sub(1)?)?;
    let gap = &s[prev.span.end..nums[i].span.start];
    (is_count(prev) && matches!(gap.trim(), "(" | "で")).then(|| prev.clone())
}

/// The previous survey's period: in its clause (`前回調査(2024年8~9月)` → that range), or
/// a `2023年10月1日以降の…前回調査` before it (→ open from that day) when the sentence
/// does not speak of the current survey there (`今回`).
fn previous_period(s: &str, clause: std::ops::Range<usize>, year: Option<i32>) -> When {
    let head = &s[..clause.start];
    let in_clause = dates_in(&s[clause.clone()], year).into_iter().map(|mut d| {
        d.span = d.span.start + clause.start..d.span.end + clause.start;
        d
    });
    let before = dates_in(head, year)
        .into_iter()
        .filter(|d| !head.contains("今回") && s[d.span.end..].starts_with("以降"));
    for d in in_clause.chain(before) {
        let after = &s[d.span.end..];
        if d.kind == mynawatch_ja::DateKind::Date && after.starts_with("以降") {
            return When::Period(d.start, None);
        }
        if d.kind == mynawatch_ja::DateKind::Period
            && d.text.contains(['~', '-'])
            && d.start < d.end
        {
            return When::Period(d.start, Some(d.end));
        }
    }
    When::Unknown
}

/// A sentence that quotes another association's survey: its area, and the day it was run
/// (`埼玉県保険医協会は5月16日に実施した調査では`).
fn quoted_survey(s: &str, report: &Scope, year: Option<i32>) -> Option<Scope> {
    if national_author(s) {
        // A prefectural report quoting 保団連's national count: all Japan, undated.
        let (code, name) = national();
        return (report.area_code != code).then_some(Scope {
            area_code: code,
            area_name: name,
            when: When::Unknown,
        });
    }
    if report.area_code != "000000"
        && ["保団連", "全国保険医団体連合会", "全国集計", "全国調査"]
            .iter()
            .any(|k| s.contains(k))
    {
        let (code, name) = national();
        return Some(Scope {
            area_code: code,
            area_name: name,
            when: When::Unknown,
        });
    }
    let c = prefecture_association().captures(s)?;
    let (code, name) = prefecture_area(&c["pref"])?;
    let when = dates_in(s, year)
        .into_iter()
        .find(|d| {
            d.kind == mynawatch_ja::DateKind::Date
                && s[d.span.end..].trim_start_matches('に').starts_with("実施")
        })
        .map_or(When::Unknown, |d| When::AsOf(d.start));
    // The report's own association: its scope, unless the sentence dates the survey.
    if code == report.area_code && when == When::Unknown {
        return None;
    }
    Some(Scope {
        area_code: code,
        area_name: name,
        when,
    })
}

fn rules(
    lines: &[Line],
    meta: &SnapshotMeta,
    page_date: Option<NaiveDate>,
) -> Result<Extraction, ExtractError> {
    let published = publication_date(meta, page_date, lines);
    let year = report_year(published, lines);
    let mut warnings = Vec::new();
    let when = if let Some((s, e)) = survey_period(lines, year) {
        When::Period(s, Some(e))
    } else if let Some(d) = aggregation_date(lines, year) {
        When::AsOf(d)
    } else if let Some(d) = published {
        warnings.push(format!(
            "{}: no survey period found; figures dated by publication ({d})",
            meta.url
        ));
        When::AsOf(d)
    } else {
        warnings.push(format!(
            "{}: no survey period, aggregation or publication date found; figures left undated",
            meta.url
        ));
        When::Unknown
    };
    // A survey by someone else (a pollster, a newspaper) is not this family's: its
    // shares are of other people and other questions.
    let (area_code, area_name) = report_area(lines, meta).ok_or_else(|| {
        ExtractError::Layout(format!(
            "{}: no survey author (保団連 or a prefectural 保険医協会) found in {} lines of main text",
            meta.url,
            lines.len()
        ))
    })?;
    let report = Scope {
        area_code,
        area_name,
        when,
    };
    let mut b = Builder {
        meta,
        status: release_status(lines),
        figures: Vec::new(),
    };
    let mut in_categories = false;
    let mut after_header = false;
    for l in lines {
        let c = l.clean.as_str();
        let header = CATEGORY_HEADERS.iter().any(|k| c.contains(k)) && category(c).is_none();
        if in_categories {
            match category(c) {
                Some((label, at)) => {
                    // The share the category regex matched, not a `10割` in the label.
                    if let Some(n) = mynawatch_ja::find_numbers(&c[at..])
                        .into_iter()
                        .find(|n| n.unit == "percent")
                    {
                        b.push(
                            "survey.trouble_category_rate",
                            format!("category={label}"),
                            &n,
                            l,
                            &report,
                        );
                    }
                }
                None => in_categories = false,
            }
        }
        let cue_line = after_header;
        after_header = false;
        if header && !c.contains('「') {
            in_categories = true;
            after_header = true;
        }
        for s in sentences(c) {
            let scope = quoted_survey(s, &report, year).unwrap_or_else(|| report.clone());
            sentence_rules(&mut b, s, l, &scope, year, cue_line);
        }
    }
    if b.figures.is_empty() {
        return Err(ExtractError::Layout(format!(
            "{}: no survey figures (respondents, trouble share, categories, 10割 cases) found in {} lines of main text",
            meta.url,
            lines.len()
        )));
    }
    if b.figures
        .iter()
        .any(|f| f.dimensions == "basis=previous_survey" && f.period_start.is_none())
    {
        warnings.push(format!(
            "{}: the previous survey's figures are quoted without their period",
            meta.url
        ));
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

/// Where the clause starting at `at` ends: at a `、` or `。` outside brackets, or at a
/// `)` closing a bracket opened before it (`(前回は24.6%)`).
fn clause_end(s: &str, at: usize) -> usize {
    let mut depth = 0usize;
    for (i, ch) in s[at..].char_indices() {
        match ch {
            '(' => depth += 1,
            ')' if depth == 0 => return at + i,
            ')' => depth -= 1,
            '、' | '。' if depth == 0 => return at + i,
            _ => {}
        }
    }
    s.len()
}

/// The trouble shares of a sentence about trouble: the current survey's, and the
/// previous survey's quoted in a `前回…` clause (up to its closing bracket or comma). A
/// `(前回は24.6%)` right after a share restates that share's subject: it is the previous
/// trouble share only if the share before it was the current one.
fn trouble_shares(
    b: &mut Builder<'_>,
    s: &str,
    l: &Line,
    scope: &Scope,
    year: Option<i32>,
    earlier: Option<usize>,
) {
    let nums = mynawatch_ja::find_numbers(s);
    let clause = earlier.map(|at| at..clause_end(s, at));
    let mut prev_end = 0;
    let mut last_accepted = false;
    let mut seen_share = false;
    for (i, n) in nums.iter().enumerate() {
        if n.unit != "percent" {
            continue;
        }
        let next_start = nums[i + 1..]
            .iter()
            .find(|m| m.unit == "percent")
            .map_or(s.len(), |m| m.span.start);
        let accepted = match &clause {
            Some(c) if c.contains(&n.span.start) => {
                let restates = seen_share && s[prev_end..c.start].trim_end().ends_with('(');
                let ok = if restates {
                    last_accepted
                } else {
                    !is_negative_answer(&s[prev_end..n.span.start])
                        && !is_negative_answer(&s[c.start..n.span.start])
                };
                let ok = ok
                    && !is_change(s, n)
                    && !is_full_charge(n)
                    && !s[prev_end..n.span.start].trim_end().ends_with('」');
                if ok {
                    let prev_scope = Scope {
                        when: previous_period(s, c.clone(), year),
                        ..scope.clone()
                    };
                    let dims = "basis=previous_survey".to_string();
                    b.push("survey.trouble_rate", dims.clone(), n, l, &prev_scope);
                    if let Some(k) = paired_count(s, &nums, i) {
                        b.push("survey.institutions_with_trouble", dims, &k, l, &prev_scope);
                    }
                }
                ok
            }
            _ => {
                let ok = is_trouble_share(s, n, prev_end, next_start);
                if ok {
                    b.push("survey.trouble_rate", String::new(), n, l, scope);
                    if let Some(k) = paired_count(s, &nums, i) {
                        b.push(
                            "survey.institutions_with_trouble",
                            String::new(),
                            &k,
                            l,
                            scope,
                        );
                    }
                }
                ok
            }
        };
        last_accepted = accepted;
        seen_share = true;
        prev_end = n.span.end;
    }
}

/// The rules of one sentence `s` of line `l`.
fn sentence_rules(
    b: &mut Builder<'_>,
    s: &str,
    l: &Line,
    scope: &Scope,
    year: Option<i32>,
    cue_line: bool,
) {
    let earlier = earlier_survey(s);
    if earlier.is_none() {
        if let Some(n) = respondents(s) {
            b.push(
                "survey.institutions_responding",
                String::new(),
                &n,
                l,
                scope,
            );
        }
        if let Some(n) = institutions_with_trouble(s) {
            b.push(
                "survey.institutions_with_trouble",
                String::new(),
                &n,
                l,
                scope,
            );
        }
    }
    if s.contains("トラブル") {
        trouble_shares(b, s, l, scope, year, earlier);
    }
    let cue = cue_line
        || CATEGORY_HEADERS
            .iter()
            .chain(["内容を複数回答", "内容(複数回答"].iter())
            .any(|k| s.contains(k));
    if cue && earlier.is_none() {
        for (label, n) in inline_categories(s) {
            b.push(
                "survey.trouble_category_rate",
                format!("category={label}"),
                &n,
                l,
                scope,
            );
        }
    }
    if s.contains("10割") && earlier.is_none() {
        for (n, _) in numbers_after(s, &["10割"], 60) {
            if matches!(n.unit.as_str(), "count" | "persons") && !is_change(s, &n) {
                b.push("survey.full_charge_cases", String::new(), &n, l, scope);
            }
        }
    }
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
            line("lines:0-0", "全国保険医団体連合会"),
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
    fn a_survey_without_an_association_as_author_is_not_read() {
        let meta = SnapshotMeta::for_file("s", "https://example.jp/poll", String::new());
        let lines = [
            line("lines:1-1", "調査会社が1000人に行ったウェブ調査"),
            line(
                "lines:2-2",
                "利用者の72%はトラブルを「経験したことがない」と回答した。",
            ),
        ];
        let err = rules(&lines, &meta, None).unwrap_err().to_string();
        assert!(err.contains("no survey author"), "{err}");
    }

    #[test]
    fn a_share_without_trouble_is_not_the_trouble_share() {
        let s = "利用者の72%はトラブルを「経験したことがない」と回答した。";
        let n = &mynawatch_ja::find_numbers(s)[0];
        assert!(!is_trouble_share(s, n, 0, s.len()));
        let s = "回答した医療機関の68.4%でトラブルが発生した。";
        let n = &mynawatch_ja::find_numbers(s)[0];
        assert!(is_trouble_share(s, n, 0, s.len()));
    }

    #[test]
    fn category_lines_keep_the_bullet_that_is_part_of_the_label() {
        let at = |s: &str, pct: &str| s.find(pct).unwrap();
        assert_eq!(
            category("●表示 9.8%"),
            Some(("●表示".to_string(), at("●表示 9.8%", "9.8")))
        );
        let line = "・資格情報が無効 54.3%";
        assert_eq!(
            category(line),
            Some(("資格情報が無効".to_string(), at(line, "54.3")))
        );
        let counted = "マイナ保険証「無保険扱い」で10割請求 1291件(23.5%)";
        assert_eq!(
            category(counted),
            Some((
                "マイナ保険証「無保険扱い」で10割請求".to_string(),
                at(counted, "23.5")
            ))
        );
        assert_eq!(category("トラブルがあった 70.1%"), None);
    }
}
