//! The reform's calendar: dated events of the move to the マイナ保険証 that pages name
//! without a year (`昨年12月の新規発行停止`, `来年秋の保険証廃止`, `12月2日で…発行を終える
//! 方針`), and the year a page must have been written in to word them so. Owns the events
//! and the words that date them; the families decide when a page needs it (a page with
//! its own date never does).
//!
//! Japanese reports write an event of the current year without a year, one of the year
//! before with `昨年` and one of the next with `来年`. So `昨年12月に新規発行が停止された`
//! is written in 2025 and `来年秋に保険証を廃止する` in 2023. A yearless event told as
//! still to come (`…を終えるとする方針`) is of the page's own year; a yearless event told
//! as past is not used: `12月2日以降も` may be written in the January after.
//!
//! It also knows the paper card's last day under 後期 ([`koki_paper_card_year`]). Where a
//! page dates events with a written year instead (`2023年4月より…`), [`crate::yearless`]
//! bounds the year; the tense words both read are that module's.

use std::sync::OnceLock;

use regex::Regex;

use crate::text::{chars_after, year_word_offset};
use crate::yearless::{DONE, SINCE, TO_COME};

/// One dated event: the words a sentence must contain to speak of it, the month words
/// that date it, and its year.
struct Event {
    /// All of these groups must match (one word of each); the last group is the action,
    /// whose verb tells the tense.
    cues: &'static [&'static [&'static str]],
    /// `12月`, `秋`: what the event's time is written as.
    when: &'static [&'static str],
    year: i32,
    /// A yearless mention told as past dates the page too (`改正法が6月2日に成立した`):
    /// pages name the event later with its year or `昨年`, never yearless across a new year,
    /// as they do `12月2日` in the January after.
    past_dates_page: bool,
}

const EVENTS: &[Event] = &[
    // The paper card's end: no new 保険証 from 2024-12-02 (planned as `2024年秋` from 2023).
    Event {
        cues: &[
            &["保険証"],
            &[
                "廃止",
                "新規発行",
                "発行を終",
                "発行終了",
                "発行停止",
                "発行を停止",
                "一本化",
            ],
        ],
        when: &["12月", "秋"],
        year: 2024,
        past_dates_page: false,
    },
    // The マイナ保険証 in full use at clinics from 2021-10 (本格運用).
    Event {
        cues: &[
            &["マイナ保険証", "オンライン資格確認"],
            // (`マイナ保険証の運用を開始`; not `…を解除できる運用を開始`, another event.)
            &["の運用を開始", "の運用開始", "本格運用", "本格的な運用"],
        ],
        when: &["10月"],
        year: 2021,
        past_dates_page: false,
    },
    // オンライン資格確認 required of clinics from 2023-04.
    Event {
        cues: &[&["オンライン資格確認", "導入"], &["義務化", "義務付け"]],
        when: &["4月"],
        year: 2023,
        past_dates_page: false,
    },
    // The last paper cards' end: every 保険証 still in hand expired by 2025-12-01 (the year
    // of grace after the new issue stopped). Its cue is the expiry, not the issue's end, and
    // the card named as paper: a マイナ保険証's own expiry (its certificate's) is any year's.
    Event {
        cues: &[
            &[
                "紙の保険証",
                "紙の健康保険証",
                "従来の保険証",
                "従来の健康保険証",
                "現行の保険証",
                "現行の健康保険証",
            ],
            // The day itself: `12月に有効期限を迎える` is any card's December.
            &["12月1日"],
            &["有効期限", "使用期限", "経過措置", "猶予期間", "使えなくな"],
        ],
        when: &["12月"],
        year: 2025,
        past_dates_page: false,
    },
    // The amended マイナンバー法 (the 保険証's abolition) passed the Diet on 2023-06-02.
    Event {
        cues: &[&["マイナンバー法"], &["成立"]],
        when: &["6月"],
        year: 2023,
        past_dates_page: true,
    },
];

/// The year a page was written in, from the one way it dates reform events: `None`
/// when it dates none, or when two of its sentences give different years.
pub fn page_year<'a>(sentences: impl IntoIterator<Item = &'a str>) -> Option<i32> {
    let mut years = sentences.into_iter().filter_map(year_of_sentence);
    let first = years.next()?;
    years.all(|y| y == first).then_some(first)
}

/// The page's year from one sentence: the sentence speaks of one event and has exactly
/// one time word (`昨年12月`, `来年秋`, `12月2日`), with no written year.
fn year_of_sentence(s: &str) -> Option<i32> {
    static TIME: OnceLock<Regex> = OnceLock::new();
    let time = TIME.get_or_init(|| {
        Regex::new(r"(?P<year>\d{2,4}年|令和\d+年|一昨年|昨年|去年|今年|本年|来年|再来年)?(?:の)?(?P<when>\d{1,2}月|秋)")
            .expect("time regex")
    });
    // `本格運用から3年になる`: an anniversary counts years from the event, dating nothing.
    static SINCE_YEARS: OnceLock<Regex> = OnceLock::new();
    let anniversary =
        SINCE_YEARS.get_or_init(|| Regex::new(r"から\d{1,2}年").expect("anniversary regex"));
    if anniversary.is_match(s) {
        return None;
    }
    let event = EVENTS.iter().find(|e| {
        e.cues
            .iter()
            .all(|group| group.iter().any(|k| s.contains(k)))
    })?;
    // `秋田県`: no autumn.
    let times: Vec<_> = time
        .captures_iter(s)
        .filter(|c| {
            let end = c.get(0).map_or(0, |m| m.end());
            !(&c["when"] == "秋" && s[end..].starts_with('田'))
        })
        .collect();
    let [c] = times.as_slice() else { return None };
    if !event.when.contains(&&c["when"]) {
        return None;
    }
    let offset = match c.name("year").map(|m| m.as_str()) {
        // The page is as many years after the event as the word puts the event before it.
        Some(w @ ("一昨年" | "昨年" | "去年" | "今年" | "本年" | "来年" | "再来年")) => {
            -year_word_offset(w)
        }
        // A written year says nothing of when the page was written.
        Some(_) => return None,
        None => {
            let end = c.get(0).map_or(0, |m| m.end());
            if SINCE.iter().any(|k| chars_after(s, end, 6).contains(k)) {
                return None;
            }
            // The tense is the verb right after the event's first action word, or after
            // the time when the action comes first (`有効期限(12月1日)が目前に迫る`).
            let cue_end = event
                .cues
                .last()?
                .iter()
                .filter_map(|k| s[end..].find(k).map(|at| end + at + k.len()))
                .min()
                .unwrap_or(end);
            let verb = chars_after(s, cue_end, 12);
            // `新規発行停止まで3カ月をきりました`: a countdown to the event.
            let countdown = chars_after(s, cue_end, 4).contains("まで");
            if countdown
                || event.past_dates_page
                || (TO_COME.iter().any(|k| verb.contains(k))
                    && !DONE.iter().any(|k| verb.contains(k)))
            {
                0
            } else {
                return None;
            }
        }
    };
    Some(event.year + offset)
}

/// The day the first 資格確認書 were issued: no new 保険証 from 2024-12-02, and those
/// without a マイナ保険証 got a 資格確認書 instead. No 資格確認書 is valid, or was mailed
/// for use, long before it.
pub const FIRST_CARDS: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2024, 12, 2) {
    Some(d) => d,
    None => panic!("date"),
};

/// The year of a 後期 page's renewal from the paper card's end: every 後期高齢者医療
/// 被保険者証 ran to 2025-07-31, so a 後期 sentence that says the 保険証 in hand ends on a
/// yearless `7月31日` speaks of the 2025 renewal (from 2026 the card in hand is a 資格確認書).
pub fn koki_paper_card_year<'a>(
    sentences: impl IntoIterator<Item = &'a str>,
    koki_page: bool,
) -> Option<i32> {
    static YEARLESS: OnceLock<Regex> = OnceLock::new();
    let yearless =
        YEARLESS.get_or_init(|| Regex::new(r"(?:^|[^年\d])7月31日").expect("yearless regex"));
    let paper = |s: &str| {
        s.contains("被保険者証")
            || s.match_indices("保険証")
                .any(|(at, _)| !s[..at].ends_with("マイナ"))
    };
    sentences
        .into_iter()
        .any(|s| {
            (koki_page || s.contains("後期"))
                && paper(s)
                && s.contains("有効期限")
                && yearless.is_match(s)
        })
        .then_some(2025)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_year_dates_the_page_by_the_event_it_names() {
        assert_eq!(
            page_year(["厚労省は昨年12月、従来の保険証の新規発行を停止した。"]),
            Some(2025)
        );
        assert_eq!(
            page_year(["政府は来年秋に健康保険証を廃止する法律を成立させた。"]),
            Some(2023)
        );
        assert_eq!(
            page_year(["今年12月に今の保険証がなくなり一本化されれば、窓口は混乱する。"]),
            Some(2024)
        );
        assert_eq!(
            page_year(["オンライン資格確認の導入は来年4月から原則義務化される。"]),
            Some(2022)
        );
        // The amended マイナンバー法 passed on 2023-06-02: told as past without a year, it
        // is of the page's own year.
        assert_eq!(
            page_year(["改正マイナンバー法が6月2日に成立したが、現場の混乱は続いている。"]),
            Some(2023)
        );
        // (Another law passed in June dates nothing.)
        assert_eq!(page_year(["年金制度改正法が6月に成立した。"]), None);
        // The マイナ保険証's full use at clinics began in 2021-10.
        assert_eq!(
            page_year(["国は昨年10月にマイナ保険証の本格運用を始めた。"]),
            Some(2022)
        );
        assert_eq!(
            page_year(["国は昨年10月、マイナ保険証の利用登録を解除できる運用を開始した。"]),
            None
        );
        assert_eq!(
            page_year(["今年10月でマイナ保険証の本格運用から3年になる。"]),
            None
        );
    }

    #[test]
    fn a_yearless_event_still_to_come_is_of_the_pages_year() {
        assert_eq!(
            page_year(["12月2日で保険証の新規発行を終えるとする方針に反対した。"]),
            Some(2024)
        );
        // A countdown to it, though its verb is past.
        assert_eq!(
            page_year(["12月2日の保険証の発行停止まであと2カ月となりました。"]),
            Some(2024)
        );
    }

    #[test]
    fn a_yearless_past_event_a_written_year_or_two_times_date_nothing() {
        // Written in December 2024 or in the spring after: no way to tell.
        assert_eq!(
            page_year(["12月2日以降も保険証の新規発行停止の混乱が続く。"]),
            None
        );
        assert_eq!(page_year(["2024年12月に保険証を廃止した。"]), None);
        assert_eq!(
            page_year(["昨年12月に保険証の新規発行が止まり、今年8月に調査した。"]),
            None
        );
        // Not a reform event.
        assert_eq!(page_year(["昨年12月に総会を開いた。"]), None);
    }

    #[test]
    fn a_koki_paper_card_ending_on_a_yearless_july_31_is_the_2025_renewal() {
        assert_eq!(
            koki_paper_card_year(
                ["お手元の後期高齢者医療被保険者証の有効期限は7月31日です。"],
                false
            ),
            Some(2025)
        );
        // The card in hand a 資格確認書, or a 国保 card: no year told.
        assert_eq!(
            koki_paper_card_year(
                ["お手元の後期高齢者医療の資格確認書の有効期限は7月31日です。"],
                false
            ),
            None
        );
        assert_eq!(
            koki_paper_card_year(["国民健康保険被保険者証の有効期限は7月31日です。"], false),
            None
        );
        // On a 後期 page (its title names it), the sentence need not say 後期 again.
        assert_eq!(
            koki_paper_card_year(["お手元の被保険者証の有効期限は7月31日です。"], true),
            Some(2025)
        );
        // `秋田県`: no autumn.
        assert_eq!(
            page_year(["秋田県では保険証の新規発行を終える予定だ。"]),
            None
        );
    }

    #[test]
    fn two_sentences_dating_the_page_differently_date_nothing() {
        assert_eq!(
            page_year([
                "昨年12月に保険証の新規発行が停止された。",
                "来年秋に保険証を廃止する方針だ。",
            ]),
            None
        );
    }
}
