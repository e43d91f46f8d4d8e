//! Years for a date a page writes without one (`5月29日から6月7日まで調査`), from the dated
//! events the page tells around it: a state that holds since a day (`2023年4月より…義務化
//! されました`, `2024年5月以降のトラブル`) is a lower bound, an event still to come
//! (`24年秋に健康保険証を廃止する方針`, `2024年12月に終了する`) an upper one. The date takes
//! the one year that fits, the first after a lower bound or the last before an upper one;
//! none when nothing bounds it or the bounds leave no year. Owns the words of tense (also
//! read by [`crate::reform`], which dates a page by relative words such as `昨年12月`
//! against the reform's fixed events) and these bounds; which sentences may bound a date
//! (not an earlier survey's) is the caller's.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::text::chars_after;

/// Words after a dated event that make it a time since which something holds (shared with
/// [`crate::reform`], as are [`DONE`] and [`TO_COME`]).
pub(crate) const SINCE: &[&str] = &["以降", "より", "から", "以来"];
/// Words of a clause told as done or as holding now.
pub(crate) const DONE: &[&str] = &[
    "した",
    "された",
    "されて",
    "済",
    "されま",
    "ました",
    "ている",
    "ていた",
    "てきた",
    "だった",
    "となった",
    "になった",
];
/// Words of a clause told as still to come.
pub(crate) const TO_COME: &[&str] = &[
    "方針",
    "終える",
    "廃止する",
    "停止する",
    "予定",
    "見込み",
    "目指",
    "計画",
    "れば",
    "しても",
    "させる",
    "します",
    "されます",
    "するとし",
    "する方",
    "となる",
    "になる",
    // `期限が目前に迫る`: close, not yet come (not `対応に迫られた`).
    "目前",
    "迫る",
];

/// A dated event of a sentence: its day, whether the sentence holds it as a time since
/// which something holds (a lower bound) or as still to come (an upper bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Since(NaiveDate),
    Before(NaiveDate),
}

/// The year for `month`/`day` written without one, from the bounds the sentences set.
pub fn year_for<'a>(
    sentences: impl IntoIterator<Item = &'a str>,
    month: u32,
    day: u32,
) -> Option<i32> {
    // The latest state since a day, the earliest event still to come.
    let (mut lower, mut upper) = (None::<NaiveDate>, None::<NaiveDate>);
    for b in sentences.into_iter().flat_map(bounds_in) {
        match b {
            Bound::Since(d) => lower = lower.max(Some(d)),
            Bound::Before(d) => upper = Some(upper.map_or(d, |u| u.min(d))),
        }
    }
    let at = |y: i32| NaiveDate::from_ymd_opt(y, month, day);
    let fits = |d: NaiveDate| lower.is_none_or(|l| d >= l) && upper.is_none_or(|u| d < u);
    let year = match (lower, upper) {
        (None, None) => return None,
        (Some(l), _) => (l.year()..=l.year() + 1).find(|y| at(*y).is_some_and(|d| d >= l))?,
        (None, Some(u)) => (u.year() - 1..=u.year())
            .rev()
            .find(|y| at(*y).is_some_and(|d| d < u))?,
    };
    at(year).filter(|d| fits(*d)).map(|_| year)
}

/// The bounds one sentence sets: each explicit date (`2023年4月`, `24年12月2日`,
/// `24年秋`) with the tense of its clause.
fn bounds_in(s: &str) -> Vec<Bound> {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let date = DATE.get_or_init(|| {
        Regex::new(
            r"(?:(?P<y4>20\d{2})|(?P<y2>\d{2})|令和(?P<r>\d{1,2}|元))年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?|(?P<season>春|夏|秋|冬))",
        )
        .expect("date regex")
    });
    let mut out = Vec::new();
    for c in date.captures_iter(s) {
        let year = if let Some(y) = c.name("y4") {
            y.as_str().parse::<i32>().ok()
        } else if let Some(y) = c.name("y2") {
            // `24年12月2日`: a short year only after a non-digit and not an era's
            // (`平成30年`, `昭和16年`).
            let at = c.get(0).map_or(0, |m| m.start());
            if s[..at].ends_with(|ch: char| ch.is_ascii_digit())
                || ["平成", "昭和", "大正", "明治"]
                    .iter()
                    .any(|era| s[..at].ends_with(era))
            {
                None
            } else {
                y.as_str().parse::<i32>().ok().map(|y| 2000 + y)
            }
        } else {
            c.name("r").map(|r| match r.as_str() {
                "元" => 2019,
                n => 2018 + n.parse::<i32>().unwrap_or(0),
            })
        };
        let Some(year) = year.filter(|y| (2015..=2035).contains(y)) else {
            continue;
        };
        let month = match (c.name("m"), c.name("season").map(|m| m.as_str())) {
            (Some(m), _) => m.as_str().parse().unwrap_or(0),
            (None, Some("春")) => 3,
            (None, Some("夏")) => 6,
            (None, Some("秋")) => 9,
            (None, Some(_)) => 12,
            (None, None) => 0,
        };
        let day = c
            .name("d")
            .and_then(|d| d.as_str().parse().ok())
            .unwrap_or(1);
        let Some(when) = NaiveDate::from_ymd_opt(year, month, day) else {
            continue;
        };
        let end = c.get(0).map_or(0, |m| m.end());
        let rest = &s[end..];
        let clause = rest.find(['。', '、']).map_or(rest, |i| &rest[..i]);
        let predicate = rest.split('。').next().unwrap_or(rest);
        let since = SINCE.iter().any(|k| chars_after(s, end, 3).contains(k));
        let done = DONE.iter().any(|k| predicate.contains(k));
        // `…を廃止する。`: a plain verb ending the sentence.
        let to_come = TO_COME
            .iter()
            .any(|k| clause.contains(k) || predicate.contains(k))
            || predicate.trim_end().ends_with("する");
        if since && done && !to_come {
            out.push(Bound::Since(when));
        } else if to_come && !done && !since {
            out.push(Bound::Before(when));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_holding_since_a_dated_day_puts_the_date_after_it() {
        let s = ["2023年4月より医療機関に体制の整備が義務付けられました。"];
        assert_eq!(year_for(s, 5, 29), Some(2023));
        // A day before the bound in its year is the next year's.
        assert_eq!(year_for(s, 2, 10), Some(2024));
        let s = ["保険証の発行を止めた24年12月2日以降もトラブルが続いている。"];
        assert_eq!(year_for(s, 2, 1), Some(2025));
    }

    #[test]
    fn an_event_still_to_come_puts_the_date_before_it() {
        let s = ["政府は24年秋に健康保険証を廃止する方針だ。"];
        assert_eq!(year_for(s, 11, 24), Some(2023));
    }

    #[test]
    fn both_bounds_must_hold() {
        let s = [
            "2024年5月以降のトラブルについて聞いた調査では、7割があったと答えている。",
            "国は保険証の発行を2024年12月に終える予定だ。",
        ];
        assert_eq!(year_for(s, 8, 20), Some(2024));
        // No year fits between them.
        assert_eq!(year_for(s, 3, 1), None);
    }

    #[test]
    fn an_event_of_unclear_tense_or_no_event_bounds_nothing() {
        assert_eq!(year_for(["会見は2024年5月に開かれた。"], 5, 1), None);
        // An era's year is no short year (`平成30年` is not 2030).
        assert_eq!(year_for(["平成30年4月から制度が続いている。"], 5, 1), None);
        // A plain verb ending the sentence is still to come.
        assert_eq!(
            year_for(["2024年12月2日に保険証を廃止する。"], 10, 1),
            Some(2024)
        );
        assert_eq!(year_for(["調査は5月に行った。"], 5, 1), None);
    }
}
