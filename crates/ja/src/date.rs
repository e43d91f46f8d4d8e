//! Dates, periods and times as Japanese documents write them.
//!
//! Western (`2025年7月16日`, `2025/5/1`) and era dates (令和/平成/昭和/大正/明治, `元年`,
//! `R7.3.31`, `H29.3.8`, `令和7.8.1`), mixed forms (`令和6(2024)年12月2日`, `令和7年(2025年)8月1日`, `令和元年(平成31年)`),
//! letter-spaced PDF text (`令 和 ３ 年 ４ 月 ２ １ 日`), weekday markers checked against
//! the date (and, on a text that writes no year, naming the one year they fit:
//! [`weekday_year`]), month parts (`3月末`, `9月中旬`, `7月中頃`, `上旬`, `11月初め`, `下旬`), fiscal years (`令和5年度`
//! → 2023-04-01..2024-03-31), ranges (`9月4日～9月18日`, `7月中旬から下旬`) and time
//! ranges (`10:48～10:59`). Era dates are validated: `平成31年5月1日` does not exist;
//! `平成32年` occurs in real documents written before the era changed and maps to 2020
//! with a warning. Era dates in kanji numerals (`令和六年十月二日（水曜日）`), month ranges
//! (`2024年8~9月`, `2025年2月から3月`) and a range ending on a bare day (`6月12日~15日`) are
//! read; a time that is not a time of day (`25:61`) is dropped with a warning.
//! [`find_dates_checked`] keeps the rejected candidates (a day that does not exist, a
//! contradicting weekday) as errors, so callers can report them.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use serde::Serialize;

use crate::norm::Normalized;
use crate::JaError;

/// What kind of date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    /// One day.
    Date,
    /// A month, a part of one (旬), a range, or a 年度.
    Period,
    /// A fiscal year (年度).
    FiscalYear,
}

/// A time range such as `10:48～10:59`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeRange {
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`.
    pub end: String,
}

/// A date or period found in text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateFound {
    /// Date, period or fiscal year.
    pub kind: DateKind,
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive); equals `start` for a date.
    pub end: NaiveDate,
    /// A time range written right after the date.
    pub time: Option<TimeRange>,
    /// Byte range in the original input.
    pub span: std::ops::Range<usize>,
    /// The original text.
    pub text: String,
    /// E.g. `平成32年 is past the end of 平成; read as 2020`.
    pub warning: Option<String>,
}

impl DateFound {
    /// Whether the text states its own year (`令和7年8月1日`, `2025年8月`, `R7.8.1`,
    /// `2025/8/1`), not only a month and day whose year the finder lent (`8月1日`).
    pub fn writes_year(&self) -> bool {
        writes_year(&self.text)
    }

    /// Whether the text states a month (`8月`, `R7.8.1`, `2025/8/1`), not only a year
    /// (`令和7年`, `令和7年度`).
    pub fn writes_month(&self) -> bool {
        self.text.contains('月') || !self.text.contains('年')
    }
}

/// Whether a date's text states its year: every form the finder reads has `年` or is
/// written with numbers only (`R7.8.1`, `2025/8/1`), except month-day forms (`8月1日`).
pub fn writes_year(text: &str) -> bool {
    text.contains('年') || !text.contains('月')
}

struct Era {
    name: &'static str,
    short: char,
    start: (i32, u32, u32),
    end: (i32, u32, u32),
}

const ERAS: [Era; 5] = [
    Era {
        name: "令和",
        short: 'R',
        start: (2019, 5, 1),
        end: (9999, 12, 31),
    },
    Era {
        name: "平成",
        short: 'H',
        start: (1989, 1, 8),
        end: (2019, 4, 30),
    },
    Era {
        name: "昭和",
        short: 'S',
        start: (1926, 12, 25),
        end: (1989, 1, 7),
    },
    Era {
        name: "大正",
        short: 'T',
        start: (1912, 7, 30),
        end: (1926, 12, 24),
    },
    Era {
        name: "明治",
        short: 'M',
        start: (1868, 10, 23),
        end: (1912, 7, 29),
    },
];

fn era(name: &str) -> Option<&'static Era> {
    ERAS.iter()
        .find(|e| e.name == name || (name.len() == 1 && name.starts_with(e.short)))
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The last day of month `m` of year `y`.
pub fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1).and_then(|d| d.pred_opt())
}

/// Resolve an era year to a Western year, validating against the era's span for the
/// given month/day. Returns (year, warning).
fn era_year(
    e: &Era,
    year: u32,
    month: Option<u32>,
    day: Option<u32>,
    text: &str,
) -> Result<(i32, Option<String>), JaError> {
    let y = e.start.0 + year as i32 - 1;
    if year == 0 {
        return Err(invalid(text, "year 0"));
    }
    let first = ymd(e.start.0, e.start.1, e.start.2).expect("era start");
    let last = ymd(e.end.0, e.end.1, e.end.2).expect("era end");
    let probe_start = ymd(y, month.unwrap_or(12), day.unwrap_or(1)).and_then(|d| {
        if day.is_none() {
            month_end(y, month.unwrap_or(12))
        } else {
            Some(d)
        }
    });
    let probe_end = ymd(y, month.unwrap_or(1), day.unwrap_or(1));
    if let Some(p) = probe_start {
        if p < first {
            return Err(invalid(text, &format!("{} began on {first}", e.name)));
        }
    }
    if let Some(p) = probe_end {
        if p > last {
            if y > last.year() {
                // Documents printed before an era change keep counting the old era.
                return Ok((
                    y,
                    Some(format!(
                        "{}{}年 is past the end of {} ({last}); read as {y}",
                        e.name, year, e.name
                    )),
                ));
            }
            return Err(invalid(text, &format!("{} ended on {last}", e.name)));
        }
    }
    Ok((y, None))
}

fn invalid(text: &str, reason: &str) -> JaError {
    JaError::InvalidDate {
        text: text.to_string(),
        reason: reason.to_string(),
    }
}

fn re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Spaces may appear between any two tokens (letter-spaced PDF text).
        let s = r"[\x20\t]*";
        let year = format!(
            r"(?:(?P<era>令{s}和|平{s}成|昭{s}和|大{s}正|明{s}治){s}(?P<ey>元|\d(?:\x20?\d)?){s}(?:\({s}(?P<wy>\d{{4}}){s}\){s})?年(?:{s}\({s}(?:(?:令和|平成|昭和)(?:元|\d{{1,2}})年|(?P<wy2>\d{{4}}){s}年?){s}\))?|(?P<y>\d{{4}}){s}年)"
        );
        let pattern = format!(
            r"(?x)
            (?P<short>(?P<se>[RHST]|令和|平成)(?P<sy>\d{{1,2}})\.(?P<sm>\d{{1,2}})\.(?P<sd>\d{{1,2}}))
            | (?P<slash>(?P<ly>\d{{4}})[/.-](?P<lm>\d{{1,2}})[/.-](?P<ld>\d{{1,2}}))
            | (?P<full>{year}{s}(?:(?P<fy>度)|(?P<m>\d(?:\x20?\d)?){s}(?:~{s}(?P<mto>\d{{1,2}}){s})?月(?:{s}(?P<d>\d(?:\x20?\d)?){s}日|{s}(?P<part>上旬|中旬|下旬|初旬|初め|中頃|中ごろ|半ば|末))?)?)
            | (?P<md>(?P<m2>\d{{1,2}}){s}月(?:{s}(?P<d2>\d{{1,2}}){s}日|{s}(?P<part2>上旬|中旬|下旬|初旬|初め|中頃|中ごろ|半ば|末)))
            "
        );
        Regex::new(&pattern).expect("date regex")
    })
}

fn weekday_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[ \t]*\([ \t]*(?P<w>月|火|水|木|金|土|日)(?:曜日?)?[ \t]*\)")
            .expect("weekday regex")
    })
}

fn time_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[ \t]*(?P<h1>\d{1,2}):(?P<m1>\d{2})(?:[ \t]*[~\-][ \t]*(?P<h2>\d{1,2}):(?P<m2>\d{2}))?").expect("time regex"))
}

fn range_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // (`7月中旬ごろ~下旬頃`: an approximate first end, and second, are the same range;
        // `7月14日から同月末まで`: a part of the same month.)
        Regex::new(r"^[ \t]*(?:頃|ごろ|ころ)?[ \t]*(?:~|から|より|-|・)[ \t]*(?:(?:同月)?(?P<part>上旬|中旬|下旬|中頃|中ごろ|半ば|末)(?:頃|ごろ|ころ)?(?:まで)?)?")
            .expect("range regex")
    })
}

fn month_only_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(?P<m>\d{1,2})[ \t]*月").expect("month regex"))
}

fn day_only_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(?P<d>\d{1,2})[ \t]*日").expect("day regex"))
}

const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// The one year of `first..first + 5` in which every year-less date written with its
/// weekday (`7月31日(木)`, `8月1日(金)` → 2025) falls on that weekday; none when the dates
/// fit no year or several. Within five consecutive years no day repeats its weekday.
pub fn weekday_year<'a>(texts: impl IntoIterator<Item = &'a str>, first: i32) -> Option<i32> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:^|[^\d年/])(\d{1,2})月(\d{1,2})日\s*\((月|火|水|木|金|土|日)(?:曜日?)?\)")
            .expect("weekday regex")
    });
    let mut years: Option<Vec<i32>> = None;
    for s in texts {
        for c in re.captures_iter(s) {
            let (Ok(m), Ok(d)) = (c[1].parse::<u32>(), c[2].parse::<u32>()) else {
                continue;
            };
            let fits: Vec<i32> = (first..first + 5)
                .filter(|&y| {
                    NaiveDate::from_ymd_opt(y, m, d).is_some_and(|date| {
                        WEEKDAYS[date.weekday().num_days_from_monday() as usize] == &c[3]
                    })
                })
                .collect();
            years = Some(match years {
                None => fits,
                Some(prev) => prev.into_iter().filter(|y| fits.contains(y)).collect(),
            });
        }
    }
    match years?.as_slice() {
        [y] => Some(*y),
        _ => None,
    }
}

fn part_range(y: i32, m: u32, part: &str) -> Option<(NaiveDate, NaiveDate)> {
    let end = month_end(y, m)?;
    Some(match part {
        "上旬" | "初旬" | "初め" => (ymd(y, m, 1)?, ymd(y, m, 10)?),
        // `7月中頃` is written for the middle third as 中旬 is.
        "中旬" | "中頃" | "中ごろ" | "半ば" => (ymd(y, m, 11)?, ymd(y, m, 20)?),
        "下旬" => (ymd(y, m, 21)?, end),
        "末" => (end, end),
        _ => return None,
    })
}

/// Every date, period and fiscal year in `text`; month-day forms without a year take
/// the year of the previous full date in the text (or are skipped when there is none).
pub fn find_dates(text: &str) -> Vec<DateFound> {
    find_inner(text, None)
        .into_iter()
        .filter_map(Result::ok)
        .collect()
}

/// Like [`find_dates`], with a default year for month-day forms before any full date.
pub fn find_dates_with_year(text: &str, year: i32) -> Vec<DateFound> {
    find_inner(text, Some(year))
        .into_iter()
        .filter_map(Result::ok)
        .collect()
}

/// Like [`find_dates`], keeping the candidates that were rejected (a day that does not
/// exist, `令和6年4月31日`; a weekday that contradicts the date, `令和7年3月3日(金)`) as
/// errors in text order, so callers can report them instead of dropping them silently.
pub fn find_dates_checked(text: &str) -> Vec<Result<DateFound, JaError>> {
    find_inner(text, None)
}

/// Parse a string that is one date or period (trailing 時点/現在/まで allowed).
pub fn parse_date(s: &str) -> Result<DateFound, JaError> {
    let mut found = find_inner(s, None).into_iter();
    match found.next() {
        Some(r) => r,
        None => Err(JaError::NotADate(s.to_string())),
    }
}

/// `令和六年十月二日` → `令和6年10月2日` (spans still map to the original): era dates
/// written in kanji numerals, as formal notices print them. Only after an era name, so
/// month-day phrases in kanji prose (`三月二十七日に`) are left as they are.
fn with_arabic_era_dates(n: Normalized) -> Normalized {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        let k = "[〇一二三四五六七八九十]";
        Regex::new(&format!(
            r"(?:令和|平成|昭和|大正|明治)(元|{k}{{1,3}})年(?:({k}{{1,3}})月(?:({k}{{1,3}})日)?)?"
        ))
        .expect("kanji date regex")
    });
    let mut edits = Vec::new();
    for c in re.captures_iter(&n.text) {
        for g in c.iter().skip(1).flatten() {
            if let Some(v) = kanji_small_number(g.as_str()) {
                edits.push((g.range(), v.to_string()));
            }
        }
    }
    if edits.is_empty() {
        n
    } else {
        n.with_replacements(&edits)
    }
}

/// A kanji numeral below 100 as dates write it: `六`, `十`, `二十七`, `三十一`, `一〇`.
fn kanji_small_number(s: &str) -> Option<u32> {
    let digit = |c: char| "〇一二三四五六七八九".chars().position(|k| k == c);
    let chars: Vec<char> = s.chars().collect();
    match chars.iter().position(|&c| c == '十') {
        Some(at) => {
            let tens = match at {
                0 => 1,
                1 => digit(chars[0])? as u32,
                _ => return None,
            };
            let ones = match &chars[at + 1..] {
                [] => 0,
                [c] => digit(*c)? as u32,
                _ => return None,
            };
            Some(tens * 10 + ones)
        }
        None => chars
            .iter()
            .try_fold(0u32, |acc, &c| Some(acc * 10 + digit(c)? as u32)),
    }
}

fn find_inner(text: &str, default_year: Option<i32>) -> Vec<Result<DateFound, JaError>> {
    let n = with_arabic_era_dates(Normalized::new(text));
    let t = n.text.as_str();
    let mut out = Vec::new();
    let mut context_year = default_year;
    let mut pos = 0;
    while let Some(c) = re().captures_at(t, pos) {
        let whole = c.get(0).expect("match");
        pos = whole.end().max(whole.start() + 1);
        let matched = whole.as_str();
        let parsed = interpret(&c, matched, context_year);
        let (mut start, mut end, kind, warning) = match parsed {
            Ok(Some(x)) => x,
            Ok(None) => continue,
            Err(e) => {
                out.push(Err(e));
                continue;
            }
        };
        let mut span_end = whole.end();
        if kind != DateKind::FiscalYear {
            context_year = Some(start.year());
        }
        // Weekday marker right after a day: must agree with the date.
        if kind == DateKind::Date {
            if let Some(w) = weekday_re().captures(&t[span_end..]) {
                let written = w.name("w").map(|m| m.as_str()).unwrap_or("");
                let actual = WEEKDAYS[start.weekday().num_days_from_monday() as usize];
                if written != actual {
                    out.push(Err(JaError::WeekdayMismatch {
                        text: text[n.original(
                            whole.start()..span_end + w.get(0).map(|m| m.len()).unwrap_or(0),
                        )]
                        .to_string(),
                        written: written.to_string(),
                        actual: actual.to_string(),
                    }));
                    pos = span_end;
                    continue;
                }
                span_end += w.get(0).map(|m| m.len()).unwrap_or(0);
            }
        }
        let mut time = None;
        let mut warning = warning;
        if let Some(tm) = time_re().captures(&t[span_end..]) {
            // `25:61` is not a time of day: no time, and a warning instead.
            let valid = |h: Option<regex::Match>, m: Option<regex::Match>| {
                let (h, m) = (h.map(|x| x.as_str()), m.map(|x| x.as_str()));
                match (h, m) {
                    (Some(h), Some(m)) => {
                        h.parse::<u32>().is_ok_and(|h| h <= 24)
                            && m.parse::<u32>().is_ok_and(|m| m < 60)
                    }
                    _ => true,
                }
            };
            if !valid(tm.name("h1"), tm.name("m1")) || !valid(tm.name("h2"), tm.name("m2")) {
                let bad = tm.get(0).map_or("", |m| m.as_str().trim());
                let w = format!("{bad:?} is not a time of day; time left empty");
                warning = Some(match warning {
                    Some(old) => format!("{old}; {w}"),
                    None => w,
                });
            } else if let (Some(h1), Some(m1)) = (tm.name("h1"), tm.name("m1")) {
                let end_t = match (tm.name("h2"), tm.name("m2")) {
                    (Some(h2), Some(m2)) => format!("{:0>2}:{}", h2.as_str(), m2.as_str()),
                    _ => format!("{:0>2}:{}", h1.as_str(), m1.as_str()),
                };
                time = Some(TimeRange {
                    start: format!("{:0>2}:{}", h1.as_str(), m1.as_str()),
                    end: end_t,
                });
                span_end += tm.get(0).map(|m| m.len()).unwrap_or(0);
            }
        }
        let mut kind = kind;
        // A range: `～9月18日`, `から下旬`.
        if let Some(r) = range_re().captures(&t[span_end..]) {
            let after = span_end + r.get(0).map(|m| m.len()).unwrap_or(0);
            if let Some(part) = r.name("part") {
                if let Some((_, e)) = part_range(start.year(), start.month(), part.as_str()) {
                    if e >= start {
                        end = e;
                        kind = DateKind::Period;
                        span_end = after;
                    }
                }
            } else {
                // The other end of a range starts right here: search a short window, not
                // the rest of the text (this runs once per date found).
                // (`2025年1月10日から同年2月28日まで`, `1月10日から同月28日まで`: the end in
                // the start's year or month; `12月22日から翌年1月9日まで`, `…から翌月9日まで`:
                // in the next.)
                let lead = ["同年", "同月", "翌年", "翌月"]
                    .into_iter()
                    .find(|k| t[after..].starts_with(k));
                let after = after + lead.map_or(0, str::len);
                let end_year = start.year() + i32::from(lead == Some("翌年"));
                let end_month = if lead == Some("翌月") {
                    start
                        .checked_add_months(chrono::Months::new(1))
                        .map(|m| (m.year(), m.month()))
                } else {
                    Some((start.year(), start.month()))
                };
                let mut window_end = (after + 96).min(t.len());
                while !t.is_char_boundary(window_end) {
                    window_end -= 1;
                }
                let window = &t[after..window_end];
                if let Some(c2) = re()
                    .captures(window)
                    .filter(|c2| c2.get(0).is_some_and(|m| m.start() == 0))
                {
                    if let Ok(Some((s2, e2, _, _))) = interpret(
                        &c2,
                        c2.get(0).map(|m| m.as_str()).unwrap_or(""),
                        Some(end_year),
                    ) {
                        if s2 >= start {
                            end = e2;
                            kind = DateKind::Period;
                            span_end = after + c2.get(0).map(|m| m.end()).unwrap_or(0);
                            pos = span_end;
                        }
                    }
                } else if kind == DateKind::Period && matched.ends_with('月') {
                    // `2025年2月~3月`, `2025年2月から3月`: to the end of the later month.
                    if let Some(m) = month_only_re().captures(window) {
                        let e2 = m
                            .name("m")
                            .and_then(|x| x.as_str().parse().ok())
                            .and_then(|mm| month_end(start.year(), mm));
                        if let Some(e2) = e2.filter(|e2| *e2 > end) {
                            end = e2;
                            span_end = after + m.get(0).map(|x| x.end()).unwrap_or(0);
                            pos = span_end;
                        }
                    }
                } else if kind == DateKind::Date {
                    // `6月12日~15日`: the end day of the same month.
                    if let Some(d) = day_only_re().captures(window) {
                        let e2 = d
                            .name("d")
                            .and_then(|m| m.as_str().parse().ok())
                            .and_then(|dd| end_month.and_then(|(y, m)| ymd(y, m, dd)));
                        if let Some(e2) = e2.filter(|e2| *e2 > start) {
                            end = e2;
                            kind = DateKind::Period;
                            span_end = after + d.get(0).map(|m| m.end()).unwrap_or(0);
                            pos = span_end;
                        }
                    }
                }
            }
        }
        if start > end {
            std::mem::swap(&mut start, &mut end);
        }
        let span = n.original(whole.start()..span_end);
        out.push(Ok(DateFound {
            kind,
            start,
            end,
            time,
            text: text[span.clone()].to_string(),
            span,
            warning,
        }));
        pos = pos.max(span_end);
    }
    out
}

type Interpreted = Option<(NaiveDate, NaiveDate, DateKind, Option<String>)>;

/// A captured number; letter-spaced PDF text may put a space between its digits.
fn num(c: &regex::Captures, name: &str) -> Option<u32> {
    c.name(name).and_then(|m| {
        m.as_str()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .parse()
            .ok()
    })
}

fn interpret(
    c: &regex::Captures,
    matched: &str,
    context_year: Option<i32>,
) -> Result<Interpreted, JaError> {
    let day = |y: i32, m: u32, d: u32| {
        ymd(y, m, d).ok_or_else(|| invalid(matched, &format!("{y}-{m}-{d} does not exist")))
    };
    if c.name("short").is_some() {
        let e = era(c.name("se").map(|m| m.as_str()).unwrap_or(""))
            .ok_or_else(|| invalid(matched, "unknown era"))?;
        let (m, d) = (num(c, "sm").unwrap_or(0), num(c, "sd").unwrap_or(0));
        let (y, w) = era_year(e, num(c, "sy").unwrap_or(0), Some(m), Some(d), matched)?;
        let date = day(y, m, d)?;
        return Ok(Some((date, date, DateKind::Date, w)));
    }
    if c.name("slash").is_some() {
        let (y, m, d) = (
            num(c, "ly").unwrap_or(0) as i32,
            num(c, "lm").unwrap_or(0),
            num(c, "ld").unwrap_or(0),
        );
        let date = day(y, m, d)?;
        return Ok(Some((date, date, DateKind::Date, None)));
    }
    if c.name("full").is_some() {
        let month = num(c, "m");
        let d = num(c, "d");
        let (year, warning) = if let Some(era_name) = c.name("era") {
            let name: String = era_name
                .as_str()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let e = era(&name).ok_or_else(|| invalid(matched, "unknown era"))?;
            let ey = match c.name("ey").map(|m| m.as_str()) {
                Some("元") => 1,
                Some(v) => v
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .parse()
                    .unwrap_or(0),
                None => 0,
            };
            let (y, w) = if c.name("fy").is_some() {
                // A 年度 ends in March of the next year.
                era_year(e, ey, Some(3), None, matched)?
            } else {
                era_year(e, ey, month, d, matched)?
            };
            if let Some(wy) = num(c, "wy").or_else(|| num(c, "wy2")) {
                if wy as i32 != y {
                    return Err(invalid(matched, &format!("{name}{ey}年 is {y}, not {wy}")));
                }
            }
            (y, w)
        } else {
            (num(c, "y").unwrap_or(0) as i32, None)
        };
        if c.name("fy").is_some() {
            let s = day(year, 4, 1)?;
            let e = day(year + 1, 3, 31)?;
            return Ok(Some((s, e, DateKind::FiscalYear, warning)));
        }
        if let (Some(m), Some(m2)) = (month, num(c, "mto")) {
            // `2024年8~9月`: a range of whole months (the day and 旬 forms do not combine).
            if d.is_some() || c.name("part").is_some() {
                return Ok(None);
            }
            let s = day(year, m, 1)?;
            let e = month_end(year, m2).ok_or_else(|| invalid(matched, "no such month"))?;
            if e < s {
                return Err(invalid(matched, "the range ends before it starts"));
            }
            return Ok(Some((s, e, DateKind::Period, warning)));
        }
        return match (month, d, c.name("part")) {
            (Some(m), Some(dd), _) => {
                let date = day(year, m, dd)?;
                Ok(Some((date, date, DateKind::Date, warning)))
            }
            (Some(m), None, Some(part)) => {
                let (s, e) = part_range(year, m, part.as_str())
                    .ok_or_else(|| invalid(matched, "no such month"))?;
                Ok(Some((
                    s,
                    e,
                    if s == e {
                        DateKind::Date
                    } else {
                        DateKind::Period
                    },
                    warning,
                )))
            }
            (Some(m), None, None) => {
                let s = day(year, m, 1)?;
                let e = month_end(year, m).ok_or_else(|| invalid(matched, "no such month"))?;
                Ok(Some((s, e, DateKind::Period, warning)))
            }
            _ => {
                let s = day(year, 1, 1)?;
                Ok(Some((s, day(year, 12, 31)?, DateKind::Period, warning)))
            }
        };
    }
    if c.name("md").is_some() {
        let Some(year) = context_year else {
            return Ok(None);
        };
        let m = num(c, "m2").unwrap_or(0);
        if let Some(dd) = num(c, "d2") {
            let date = day(year, m, dd)?;
            return Ok(Some((date, date, DateKind::Date, None)));
        }
        if let Some(part) = c.name("part2") {
            let (s, e) = part_range(year, m, part.as_str())
                .ok_or_else(|| invalid(matched, "no such month"))?;
            return Ok(Some((
                s,
                e,
                if s == e {
                    DateKind::Date
                } else {
                    DateKind::Period
                },
                None,
            )));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> DateFound {
        parse_date(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn iso(s: &str) -> (String, String) {
        let d = one(s);
        (d.start.to_string(), d.end.to_string())
    }

    #[test]
    fn era_and_western_dates() {
        assert_eq!(iso("令和7年8月1日").0, "2025-08-01");
        assert_eq!(iso("令和元年9月1日").0, "2019-09-01");
        assert_eq!(iso("R7.3.31").0, "2025-03-31");
        assert_eq!(iso("令和7.8.1").0, "2025-08-01");
        assert_eq!(iso("H29.3.8").0, "2017-03-08");
        assert_eq!(iso("H28.1.1時点").0, "2016-01-01");
        assert_eq!(iso("2025年7月16日").0, "2025-07-16");
        assert_eq!(iso("2025/5/1").0, "2025-05-01");
        assert_eq!(iso("令和6(2024)年12月2日").0, "2024-12-02");
        assert_eq!(iso("令和7年(2025年)8月1日").0, "2025-08-01");
        assert_eq!(iso("令和8年（2026年）7月31日").0, "2026-07-31");
        assert_eq!(iso("令 和 ３ 年 ４ 月 ２ １ 日").0, "2021-04-21");
    }

    /// The first date of `t`, its two ends as ISO text.
    fn range(t: &str) -> (String, String) {
        let d = find_dates(t).into_iter().next().expect(t);
        (d.start.to_string(), d.end.to_string())
    }

    #[test]
    fn a_range_ends_in_the_same_year_or_month_when_it_says_so() {
        assert_eq!(
            range("2025年1月10日から同年2月28日まで実施"),
            ("2025-01-10".into(), "2025-02-28".into())
        );
        assert_eq!(
            range("令和7年1月10日~同月28日"),
            ("2025-01-10".into(), "2025-01-28".into())
        );
    }

    #[test]
    fn a_range_ends_in_the_next_year_or_month_or_a_part_of_the_same() {
        assert_eq!(
            range("令和7年12月22日から翌年1月9日まで"),
            ("2025-12-22".into(), "2026-01-09".into())
        );
        assert_eq!(
            range("令和7年12月22日から翌月9日まで"),
            ("2025-12-22".into(), "2026-01-09".into())
        );
        assert_eq!(
            range("2025年7月14日から同月末まで"),
            ("2025-07-14".into(), "2025-07-31".into())
        );
        assert_eq!(
            range("2025年7月14日から同月下旬にかけて"),
            ("2025-07-14".into(), "2025-07-31".into())
        );
    }

    #[test]
    fn a_date_says_whether_it_wrote_its_year_and_month() {
        let of = |t: &str| {
            let d = find_dates_with_year(t, 2025).into_iter().next().expect(t);
            (d.writes_year(), d.writes_month())
        };
        for t in [
            "令和7年8月1日",
            "2025年8月",
            "R7.8.1",
            "2025/8/1",
            "R7.8.1~R8.7.31",
        ] {
            assert_eq!(of(t), (true, true), "{t}");
        }
        assert_eq!(of("8月1日"), (false, true));
        assert_eq!(of("令和7年度"), (true, false));
    }

    #[test]
    fn era_boundaries_are_validated() {
        assert!(parse_date("平成31年5月1日").is_err());
        assert!(parse_date("令和元年4月30日").is_err());
        assert_eq!(iso("平成31年4月30日").0, "2019-04-30");
        let d = one("平成32年3月31日");
        assert_eq!(d.start.to_string(), "2020-03-31");
        assert!(d.warning.is_some());
        assert!(parse_date("令和6(2023)年12月2日").is_err());
        assert!(parse_date("令和7年(2024年)8月1日").is_err());
    }

    #[test]
    fn weekdays_of_year_less_dates_name_the_one_year_they_fit() {
        // 2025-07-31 is a Thursday, 2025-08-01 a Friday.
        assert_eq!(
            weekday_year(["7月31日(木)まで", "8月1日(金曜日)から"], 2024),
            Some(2025)
        );
        // The same days with weekdays that fit no one year, or no weekday at all.
        assert_eq!(weekday_year(["7月31日(月)", "8月1日(金)"], 2024), None);
        assert_eq!(weekday_year(["7月31日まで"], 2024), None);
        // A full date's weekday says nothing of the year-less ones.
        assert_eq!(weekday_year(["2025年7月31日(木)"], 2024), None);
    }

    #[test]
    fn weekday_markers_are_checked() {
        assert_eq!(iso("令和7年8月8日(金)").0, "2025-08-08");
        assert_eq!(iso("令和7年8月8日（金）").0, "2025-08-08");
        assert!(matches!(
            parse_date("令和7年8月8日(木)"),
            Err(JaError::WeekdayMismatch { .. })
        ));
        assert_eq!(iso("令和元年9月4日(水曜日)").0, "2019-09-04");
    }

    #[test]
    fn periods_fiscal_years_and_times() {
        assert_eq!(iso("令和5年度"), ("2023-04-01".into(), "2024-03-31".into()));
        assert_eq!(
            iso("令和7年9月中旬"),
            ("2025-09-11".into(), "2025-09-20".into())
        );
        assert_eq!(
            iso("令和7年7月中旬から下旬"),
            ("2025-07-11".into(), "2025-07-31".into())
        );
        // `半ば` is the middle third, as 中旬 is.
        assert_eq!(
            iso("令和7年7月半ば"),
            ("2025-07-11".into(), "2025-07-20".into())
        );
        // An approximate end (`ごろ`, `頃`) on either side keeps the range.
        for text in [
            "令和7年7月中旬ごろ~下旬頃",
            "令和7年7月中旬頃から下旬ごろにかけて",
        ] {
            assert_eq!(
                iso(text),
                ("2025-07-11".into(), "2025-07-31".into()),
                "{text}"
            );
        }
        // `月初め` is the first third, as 上旬 is.
        assert_eq!(
            iso("2024年11月初め"),
            ("2024-11-01".into(), "2024-11-10".into())
        );
        assert_eq!(
            iso("令和7年7月中頃"),
            ("2025-07-11".into(), "2025-07-20".into())
        );
        assert_eq!(
            iso("令和7年3月末"),
            ("2025-03-31".into(), "2025-03-31".into())
        );
        assert_eq!(
            iso("2025年9月4日～9月18日"),
            ("2025-09-04".into(), "2025-09-18".into())
        );
        let d = one("令和7年8月8日(金)10:48~10:59 省内会見室");
        assert_eq!(
            d.time,
            Some(TimeRange {
                start: "10:48".into(),
                end: "10:59".into()
            })
        );
        let d = one("令和5年12月12日(火)9:27～9:38");
        assert_eq!(d.time.unwrap().start, "09:27");
        let d = one("令和7年8月8日(金)25:61～26:10 省内会見室");
        assert_eq!(d.time, None);
        assert!(d.warning.unwrap().contains("not a time of day"));
    }

    #[test]
    fn kanji_numeral_era_dates_with_a_long_weekday() {
        let d = one("令和六年十月二日（水曜日）");
        assert_eq!(
            (d.start.to_string(), d.kind),
            ("2024-10-02".into(), DateKind::Date)
        );
        assert_eq!(d.text, "令和六年十月二日（水曜日）");
        assert_eq!(iso("令和元年十二月三十一日").0, "2019-12-31");
        assert_eq!(iso("平成三十一年四月三十日").0, "2019-04-30");
        assert!(matches!(
            parse_date("令和六年十月二日（木曜日）"),
            Err(JaError::WeekdayMismatch { .. })
        ));
        // Kanji month-day prose without an era is not read.
        assert!(find_dates("三月二十七日に発生した").is_empty());
        assert_eq!(kanji_small_number("二十七"), Some(27));
        assert_eq!(kanji_small_number("十"), Some(10));
        assert_eq!(kanji_small_number("一〇"), Some(10));
        assert_eq!(kanji_small_number("十十"), None);
    }

    #[test]
    fn rejected_candidates_are_kept_by_the_checked_finder() {
        let found = find_dates_checked("令和6年4月31日と令和7年3月3日(金)と令和7年3月3日(月)");
        assert!(
            matches!(found[0], Err(JaError::InvalidDate { .. })),
            "{found:?}"
        );
        assert!(
            matches!(found[1], Err(JaError::WeekdayMismatch { .. })),
            "{found:?}"
        );
        assert_eq!(found[2].as_ref().unwrap().start.to_string(), "2025-03-03");
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn year_less_ranges_take_the_given_year() {
        let got = |s: &str, y: i32| -> Vec<String> {
            find_dates_with_year(s, y)
                .iter()
                .map(|d| format!("{}..{}", d.start, d.end))
                .collect()
        };
        assert_eq!(
            got("5月23日から6月19日に実施", 2023),
            vec!["2023-05-23..2023-06-19"]
        );
        assert_eq!(
            got("今年10月14日から11月14日にかけて", 2025),
            vec!["2025-10-14..2025-11-14"]
        );
        assert_eq!(
            iso("2024年8~9月"),
            ("2024-08-01".into(), "2024-09-30".into())
        );
        assert_eq!(
            iso("2024年8～9月"),
            ("2024-08-01".into(), "2024-09-30".into())
        );
        assert_eq!(
            iso("2025年2月~3月"),
            ("2025-02-01".into(), "2025-03-31".into())
        );
        assert_eq!(
            iso("2025年2月から3月にかけて"),
            ("2025-02-01".into(), "2025-03-31".into())
        );
        assert_eq!(
            iso("2023年6月12日~15日"),
            ("2023-06-12".into(), "2023-06-15".into())
        );
    }

    #[test]
    fn month_forms_take_the_year_of_the_text() {
        let found =
            find_dates("令和7年8月1日から使用できます。7月中旬に発送し、7月31日までに届きます。");
        let got: Vec<String> = found
            .iter()
            .map(|d| format!("{}..{}", d.start, d.end))
            .collect();
        assert_eq!(
            got,
            vec![
                "2025-08-01..2025-08-01",
                "2025-07-11..2025-07-20",
                "2025-07-31..2025-07-31"
            ]
        );
        assert!(find_dates("7月中旬に発送").is_empty());
        assert_eq!(find_dates_with_year("7月中旬に発送", 2025).len(), 1);
    }
}
