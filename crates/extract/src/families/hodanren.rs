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
//! The author is read as a role, not a phrase: the body named in the first sentence about a
//! survey, in any of its forms (`〇〇県保険医協会(…理事長)は`, `…協会などによりますと`,
//! `保団連によると`, `千葉協会`), or an own-word (`当会`, `本会`, `当団体`, `協会は`) resolved by the
//! site's host (保団連's site; an association's site, listed or named as a prefecture in romaji:
//! `ehime-hk.org`, `ishikawahokeni.jp`), by the one association the text names, or by 保団連 when
//! it is the only body named. 保団連's survey reported `県内では…` is that prefecture's part. When
//! the area cannot be told (`県保険医協会は` on a site that names no prefecture) the report's
//! figures are left out with a warning: a wrong area is worse than a missing figure.
//!
//! Numbers get their role from their predicate: `回答` (either side of the number, any unit:
//! `291人が回答`, `471件回答があった`, `回答した75医療機関で`) → respondents; a trouble verb in any
//! form (`あった`, `経験`, `発生`, `起き`, `生じ`, `報告`, `見られ`; negated `…ていません` is not) or an
//! affirmative answer (`72.8%が「あった」と回答`, `「あった」が60.2%を占め`) → the trouble share; a
//! label in `「」` or before `が`/`は` in a sentence about trouble categories → a category share.
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

use crate::text::{numbers_after, year_word_offset};
use crate::{common, Declared, ExtractError, Extraction, Input};

/// The 保団連 family.
#[derive(Debug, Default)]
pub struct Hodanren;

/// One line of main text: where it is, what it said, and its cleaned form.
#[derive(Clone)]
struct Line {
    locator: String,
    raw: String,
    clean: String,
}

impl Declared for Hodanren {
    type Options = serde::de::IgnoredAny;
    const NAME: &'static str = "hodanren";
    const EXPECT: (usize, &'static str) = (1, "figures");

    fn read(
        &self,
        input: &Input<'_>,
        _options: &Self::Options,
    ) -> Result<Extraction, ExtractError> {
        let page = common::html_page(input)?;
        let mut lines: Vec<Line> = Vec::new();
        if !page.title.is_empty() {
            lines.push(line("title", &page.title));
        }
        lines.extend(page.blocks.iter().map(|b| line(&b.locator, &b.text)));
        let published = page.published_on.or(page.updated_on);
        rules(&lines, input.meta, published)
    }

    fn read_text(
        &self,
        text: &str,
        input: &Input<'_>,
        _options: &Self::Options,
    ) -> Option<Result<Extraction, ExtractError>> {
        let lines: Vec<Line> =
            crate::text::unwrapped_lines(&crate::text::without_related_links(text))
                .iter()
                .map(|(l, first, last)| line(&format!("lines:{first}-{last}"), l))
                .collect();
        Some(rules(&lines, input.meta, None))
    }
}

fn line(locator: &str, raw: &str) -> Line {
    // Each step writes one way of saying a thing in the form the readings take.
    let s = close_up(&circled_as_marks(raw.trim()));
    let s = half_as_share(&without_spoken_numbers(&s));
    let s = double_quotes_as_single(&without_vague_shares(&s));
    let s = institutions_in_other_words(&trouble_in_other_words(&s));
    Line {
        locator: locator.to_string(),
        raw: raw.trim().to_string(),
        clean: with_full_years(&s),
    }
}

/// `『有効期限切れ』は38.7%`: double quotes as the single ones the readings take.
fn double_quotes_as_single(s: &str) -> String {
    s.replace('『', "「").replace('』', "」")
}

/// A circled number (`①氏名が●で表示 64.5%`) marks a list item; NFKC would turn it into a
/// digit glued to the item's words, so it becomes a plain list mark first.
fn circled_as_marks(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| ('①'..='⑳').contains(&c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if ('①'..='⑳').contains(&c) {
                    '・'
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// `不具合` standing alone is trouble in other words (`41%が不具合を経験した`, `何らかの不具合
/// があった`), read as `トラブル`; a named one (`読み取り機の不具合`, `カードリーダーが不具合
/// を起こした`) is a kind of trouble and keeps its words.
fn trouble_in_other_words(s: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    // (`資格確認で不具合を経験した`: general trouble too.)
    let r = re(
        &RE,
        r"(^|[、を%]|[0-9%]が|[0-9%]で|機関が|施設が|割が|割で|何らかの|なんらかの|何かしらの)不具合|(で)不具合(を経験|があっ|が起き)",
    );
    r.replace_all(s, "${1}${2}トラブル${3}").into_owned()
}

/// A count of clinics in the unit a dental or clinic survey writes (`603院`, `241歯科医院`,
/// `12診療所`, a column `院数`) is a count of institutions, read as `医療機関` so that every
/// rule that reads institutions reads it.
fn institutions_in_other_words(s: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RE,
        r"([0-9])(?:歯科医院|医院|診療所|クリニック|病院|院)|(^|\s)院数",
    );
    r.replace_all(s, |c: &regex::Captures<'_>| match c.get(1) {
        Some(digit) => format!("{}医療機関", digit.as_str()),
        None => format!("{}医療機関数", &c[2]),
    })
    .into_owned()
}

/// `半数` is a share of 5割 (`回答者の半数がトラブルを経験`, `約半数`, `半数以上`); `過半数`
/// (a majority, more than half) states no value and stays as it is.
fn half_as_share(s: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(&RE, r"(^|[^過])半数");
    r.replace_all(s, "${1}5割").into_owned()
}

/// Shares that state no one value made unreadable as figures: a fraction (`3分の2` is not 2
/// institutions) and a range (`6~7割`, `60~70%`). A wrong figure is worse than none.
fn without_vague_shares(s: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RE,
        r"[0-9]+分の[0-9]+|[0-9]+(?:\.[0-9]+)?(?:割|%)?\s*(?:~|から)\s*[0-9]+(?:\.[0-9]+)?(?:割|%)",
    );
    r.replace_all(s, |c: &regex::Captures<'_>| {
        c[0].chars()
            .map(|x| if x.is_ascii_digit() { 'x' } else { x })
            .collect::<String>()
    })
    .into_owned()
}

/// The numbers of `s[at]`, their spans in `s`.
fn numbers_in(s: &str, at: std::ops::Range<usize>) -> impl Iterator<Item = Number> {
    let offset = at.start;
    mynawatch_ja::find_numbers(&s[at])
        .into_iter()
        .map(move |mut n| {
            n.span = offset + n.span.start..offset + n.span.end;
            n
        })
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("hodanren regex"))
}

/// Digits inside a long quotation that does not speak of the survey
/// (`【会長】「国内で15%から20%くらいの人がやっていても…」`) made unreadable as figures: an
/// aside at a press conference is not a survey figure. A quotation about the survey
/// (`「回答を得た9741件を集計したところ…」(担当者)`) and a short quoted label (`「資格無効」が
/// 53%`, its number outside the quote) are read as they are.
fn without_spoken_numbers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut quote: Option<String> = None;
    for c in s.chars() {
        match (c, quote.as_mut()) {
            ('「', None) => quote = Some(String::from(c)),
            ('」', Some(q)) => {
                q.push(c);
                let spoken = q.chars().count() > 27
                    && ![
                        "回答",
                        "調査",
                        "医療機関",
                        "アンケート",
                        "集計",
                        "トラブル",
                        "10割",
                    ]
                    .iter()
                    .any(|k| q.contains(k));
                out.extend(
                    q.chars()
                        .map(|x| if spoken && x.is_ascii_digit() { 'x' } else { x }),
                );
                quote = None;
            }
            (_, Some(q)) => q.push(c),
            (_, None) => out.push(c),
        }
    }
    out.push_str(&quote.unwrap_or_default());
    out
}

/// NFKC, then the spaces a PDF copy leaves inside figures removed: between a digit and
/// what follows it (`12,735 医療機関`, `2024 年`), and between a Japanese character and
/// a digit (`約 10%`, `9月 20 日`). Spaces between words, and between two cells, stay.
fn close_up(s: &str) -> String {
    static AFTER_DIGIT: OnceLock<Regex> = OnceLock::new();
    static BEFORE_DIGIT: OnceLock<Regex> = OnceLock::new();
    let normal = mynawatch_ja::normalize(s);
    let norm = letters_closed_up(&normal);
    let a = re(&AFTER_DIGIT, r"([0-9%])[ \t\u{3000}]+([^\sA-Za-z0-9(])");
    // (Not after a share or a count, `68.6%  49.2%`, `35件  22件`: those are two cells.)
    let b = re(
        &BEFORE_DIGIT,
        r"([^\sA-Za-z0-9,.)%件])[ \t\u{3000}]+([0-9])",
    );
    let mut out = match spread_label(norm.trim_start()) {
        Some((label, rest)) => format!("{label} {rest}"),
        None => norm.into_owned(),
    };
    // A share spelled out, as broadcasters write it (`69.8パーセント`): the sign.
    static SPELLED: OnceLock<Regex> = OnceLock::new();
    out = re(&SPELLED, r"([0-9])パーセント")
        .replace_all(&out, "$1%")
        .into_owned();
    // A share with `・` for its decimal point, as newspapers print it (`55・1%`).
    static DOT: OnceLock<Regex> = OnceLock::new();
    out = re(&DOT, r"([0-9])・([0-9]+%)")
        .replace_all(&out, "$1.$2")
        .into_owned();
    // A day with a two-digit year (`25/1/14`, as blogs write it) in full: `2025年1月14日`.
    // (Twice: `25/1/14~25/2/7` shares the `~` between two matches.)
    static SHORT_YEAR: OnceLock<Regex> = OnceLock::new();
    let short_year = re(
        &SHORT_YEAR,
        r"(^|[^0-9/.])(19|2[0-9]|3[0-9])/(1[0-2]|0?[1-9])/(3[01]|[12][0-9]|0?[1-9])($|[^0-9/])",
    );
    for _ in 0..2 {
        out = short_year
            .replace_all(&out, "${1}20${2}年${3}月${4}日${5}")
            .into_owned();
    }
    // Twice: `9月 20 日` has overlapping matches.
    for _ in 0..2 {
        out = a.replace_all(&out, "$1$2").into_owned();
        out = b.replace_all(&out, "$1$2").into_owned();
    }
    out
}

/// Items set on one line between slashes, each with its share (`トラブルの内訳(上位3項目):
/// 資格情報が無効 53.6%/●(黒丸)表示 52.1%/有効期限切れ 38.7%`): the title before a colon,
/// then one line per item, as a list is written.
fn slashed_items_split(lines: &[Line]) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let (title, items) = match l.clean.split_once(':') {
            Some((t, rest)) => (Some(t), rest),
            None => (None, l.clean.as_str()),
        };
        let mut parts: Vec<&str> = items.split('/').map(str::trim).collect();
        if parts.len() < 2
            || !parts
                .iter()
                .all(|p| p.ends_with('%') && p.chars().count() > 3)
        {
            out.push(l.clone());
            continue;
        }
        // (A title before a space, `主な内容 ●(黒丸)表示 52.4%/…`.)
        let mut title = title;
        if title.is_none() {
            if let Some((t, first)) = parts[0].split_once(' ') {
                if ["内容", "内訳", "主な", "上位"]
                    .iter()
                    .any(|k| t.contains(k))
                {
                    title = Some(t);
                    parts[0] = first.trim();
                }
            }
        }
        if let Some(t) = title {
            out.push(Line {
                locator: l.locator.clone(),
                raw: l.raw.clone(),
                clean: t.trim().to_string(),
            });
        }
        for p in parts {
            out.push(Line {
                locator: l.locator.clone(),
                raw: l.raw.clone(),
                clean: format!("・{p}"),
            });
        }
    }
    out
}

/// A count on a line of its own under the label it answers (`いったん10割負担を求めた事例` /
/// `32件`, `回答数` / `304件`, a table flattened one cell per line): the two lines read as
/// one, `label:count`. Only labels of 10割 cases or of answers: a kind of trouble over its
/// count and share is a list row, read as such.
fn counts_joined_to_labels(lines: &[Line]) -> Vec<Line> {
    static COUNT: OnceLock<Regex> = OnceLock::new();
    let count = re(&COUNT, r"^[0-9][0-9,]*\s*(?:件|医療機関|施設)$");
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        let label = l.clean.trim();
        let of_a_count = ["10割", "全額", "回答"].iter().any(|k| label.contains(k))
            && label.chars().count() <= 30
            && !label.ends_with('。')
            && !label
                .replace("10割", "")
                .chars()
                .any(|c| c.is_ascii_digit());
        match lines
            .get(i + 1)
            .filter(|n| of_a_count && count.is_match(n.clean.trim()))
        {
            Some(n) => {
                out.push(Line {
                    locator: format!("{} + {}", l.locator, n.locator),
                    raw: format!("{} {}", l.raw, n.raw),
                    clean: format!("{label}:{}", n.clean.trim()),
                });
                i += 2;
            }
            None => {
                out.push(l.clone());
                i += 1;
            }
        }
    }
    out
}

/// A line set letter by letter, as some PDFs lay text out (`ト ラ ブ ル の 内 容`, `● が 出 る
/// 138 件  64.2 %`): its single spaces dropped, wider gaps kept as one space (a cell's end).
/// Spaces between two Latin letters stay (`FAX WEB`). A line with few single spaces is
/// returned as it is.
fn letters_closed_up(s: &str) -> std::borrow::Cow<'_, str> {
    let chars: Vec<char> = s.chars().collect();
    let single = |i: usize| {
        chars[i] == ' '
            && i > 0
            && i + 1 < chars.len()
            && chars[i - 1] != ' '
            && chars[i + 1] != ' '
    };
    // Letter-spaced: most words between spaces are one character (`ト ラ ブ ル`), not cells
    // of words (`資格情報が無効 96件 44.7%`).
    let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    let one_char = words.iter().filter(|w| w.chars().count() == 1).count();
    if words.len() < 4 || one_char * 2 < words.len() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' {
            if single(i)
                && !(chars[i - 1].is_ascii_alphabetic() && chars[i + 1].is_ascii_alphabetic())
            {
                i += 1;
                continue;
            }
            // A wider gap: one space.
            if !out.ends_with(' ') {
                out.push(' ');
            }
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// A label spread over its cell, single characters apart (`回  答`, `回 答 数 241`): the
/// label closed up and the rest of the line.
fn spread_label(t: &str) -> Option<(String, &str)> {
    let blank = |c: char| matches!(c, ' ' | '\t' | '\u{3000}');
    let (mut label, mut rest) = (String::new(), t);
    while label.chars().count() < 4 {
        let mut chars = rest.chars();
        let Some(c) = chars.next().filter(|c| crate::text::is_han(*c)) else {
            break;
        };
        let after = chars.as_str();
        // (The label's colon may follow its last character: `回 答 数:412件`.)
        if after.starts_with(':') && !label.is_empty() {
            label.push(c);
            rest = after;
            break;
        }
        if !(after.is_empty() || after.starts_with(blank)) {
            break;
        }
        label.push(c);
        rest = after.trim_start_matches(blank);
        if rest.is_empty() {
            break;
        }
    }
    (label.chars().count() >= 2).then_some((label, rest))
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

/// The year of the first surveys of オンライン資格確認 at clinics: no report is older.
const FIRST_SURVEY_YEAR: i32 = 2022;

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
        lines.iter().enumerate().find_map(|(i, l)| {
            let c = l.clean.trim();
            let found = mynawatch_ja::find_dates(c);
            let d = found
                .iter()
                .find(|d| d.kind == mynawatch_ja::DateKind::Date)?
                .clone();
            // Also a stamp's own word at the line's start (`更新 2023年6月14日`, `配信日時:…`).
            // Or a byline or stamp word right after a date that opens the line
            // (`2023年7月3日 投稿者:…`, `2026年3月2日 更新`).
            let after = c.get(d.span.end..).unwrap_or("").trim_start();
            const STAMP_WORDS: [&str; 5] = ["配信", "投稿", "更新", "公開", "掲載"];
            let labelled = crate::text::PAGE_DATE_LABELS.iter().any(|k| c.contains(k))
                || std::iter::once("date ")
                    .chain(STAMP_WORDS)
                    .any(|k| c.starts_with(k) && d.span.start <= k.len() + 12)
                || (d.span.start == 0
                    && STAMP_WORDS
                        .into_iter()
                        .chain(["記者", "文:", "by "])
                        .any(|k| after.starts_with(k)));
            // Or an association's or a paper's byline (`京都府保険医協会 2024年12月20日`,
            // `佐賀新報 2025年7月9日`).
            let byline = c.ends_with(d.text.as_str()) && {
                let who = c[..c.len() - d.text.len()].trim();
                who.chars().count() <= 16
                    && [
                        "協会",
                        "医会",
                        "連合会",
                        "保団連",
                        "新聞",
                        "新報",
                        "日報",
                        "民報",
                        "タイムス",
                        "通信",
                        "新聞社",
                    ]
                    .iter()
                    .any(|k| who.ends_with(k))
            };
            // (Also in brackets, `(2025年6月12日 17時05分)`, or after a section's name,
            // `ニュース|2024年11月27日`.)
            let core = if c.starts_with(['(', '【', '[']) {
                c.trim_start_matches(['(', '【', '['])
                    .trim_end_matches([')', '】', ']'])
            } else {
                c
            };
            let core = match core.split_once('|') {
                Some((section, rest)) if section.chars().count() <= 8 => rest.trim(),
                _ => core,
            };
            let only_a_date = c.chars().count() <= d.text.chars().count() + 2
                || byline
                || (core.starts_with(d.text.as_str())
                    && crate::text::is_clock_tail(&core[d.text.len()..]));
            // A byline or a post's time stamp (`毎日新聞 2023/5/27 11:05`,
            // `2025-12-14 18:44:55`): a dated clock time, not an event's.
            // An event's time (`日時:2024年10月17日(木)14:00~15:30`) is a range or labelled.
            let lead = crate::text::chars_before(c, d.span.start.min(c.len()), 12);
            let stamped = d.time.as_ref().is_some_and(|t| t.start == t.end)
                && d.text.chars().filter(char::is_ascii_digit).count() >= 6
                && !["日時", "時間", "会見", "放送", "開催", "予定"]
                    .iter()
                    .any(|k| lead.contains(k));
            // A newspaper's or newsletter's issue line (`第2387号 2025年8月4日発行`,
            // `2024年10月25日号`).
            // (Only a line that is the stamp: not `前回の結果は2024年11月1日発行の本紙で`.)
            let issue = c.chars().count() <= 30
                && ((d.span.start == 0 && (after.starts_with("発行") || after.starts_with('号')))
                    || (c.starts_with('第') && c[..d.span.start].trim_end().ends_with('号')));
            // Or a masthead at the page's top: an outlet, its one date and a section, no
            // sentence (`しんぶん赤旗 2025年12月20日(土) くらし・家計`, `京都民報Web 2025年7月15日`).
            // (Nothing but a weekday or a section after the date: not a title's `資料 2024年
            // 12月2日以降の…`; and no press conference's `記者会見資料 2026年11月5日`.)
            let apart = after.is_empty()
                || after.starts_with('(')
                || after.starts_with('付')
                || after.starts_with("発行")
                || after.starts_with('号')
                || c[d.span.end..].starts_with([' ', '\u{3000}']);
            // (An outlet's name before the date, a short section after it: not a headline
            // opening on a date, `2024年12月2日 新規発行停止へ`, nor a deadline, `受付締切
            // 2025年12月26日`, `期限 2026年7月31日 …迫る`.)
            let before = &c[..d.span.start];
            let section = c[d.span.end..].trim().chars().count() <= 8;
            let deadline = [
                "期限",
                "締切",
                "締め切",
                "受付",
                "開催",
                "日時",
                "予定",
                "時点",
                "出典",
            ]
            .iter()
            .any(|k| c.contains(k));
            let masthead = i < 3
                && found.len() == 1
                && c.chars().count() <= 40
                && !c.contains(['。', '、'])
                && !c.contains("会見")
                && !before.trim().is_empty()
                && section
                && !deadline
                && apart;
            (labelled || only_a_date || stamped || issue || masthead).then_some(d.start)
        })
    })
    .or_else(|| yearless_stamp(meta, lines))
}

/// A news site's yearless time stamp (`6/14(水) 18:00配信`): its year is the one of the
/// five up to the fetch whose calendar has that weekday on that day.
fn yearless_stamp(meta: &SnapshotMeta, lines: &[Line]) -> Option<NaiveDate> {
    static STAMP: OnceLock<Regex> = OnceLock::new();
    let stamp = re(
        &STAMP,
        r"^(\d{1,2})/(\d{1,2})\((月|火|水|木|金|土|日)\)\s*(?:\d{1,2}:\d{2})?\s*(?:配信|更新|投稿)?$",
    );
    lines.iter().find_map(|l| {
        let c = stamp.captures(l.clean.trim())?;
        let written = format!("{}月{}日({})", &c[1], &c[2], &c[3]);
        let first = (meta.fetched_at.year() - 4).max(FIRST_SURVEY_YEAR);
        let y = mynawatch_ja::weekday_year([written.as_str()], first)?;
        NaiveDate::from_ymd_opt(y, c[1].parse().ok()?, c[2].parse().ok()?)
    })
}

/// The report's year for dates written without one: the publication year; else a
/// `昨年12月2日` that the text also writes in full (`2024年12月2日` → the report is of
/// 2025), or the same with `今年`; else the way it dates the reform's events
/// ([`crate::reform::page_year`]: `昨年12月の新規発行停止` → 2025).
fn report_year(published: Option<NaiveDate>, lines: &[Line]) -> Option<i32> {
    if let Some(d) = published {
        return Some(d.year());
    }
    static RELATIVE: OnceLock<Regex> = OnceLock::new();
    let rel = re(&RELATIVE, r"(昨年|今年)(\d{1,2})月(\d{1,2})日");
    let full: Vec<NaiveDate> = lines
        .iter()
        .flat_map(|l| mynawatch_ja::find_dates(&l.clean))
        .filter(|d| d.kind == mynawatch_ja::DateKind::Date && d.writes_year())
        .map(|d| d.start)
        .collect();
    lines
        .iter()
        .find_map(|l| {
            rel.captures_iter(&l.clean).find_map(|c| {
                let (m, d): (u32, u32) = (c[2].parse().ok()?, c[3].parse().ok()?);
                let known = full.iter().find(|f| f.month() == m && f.day() == d)?;
                Some(known.year() + if &c[1] == "昨年" { 1 } else { 0 })
            })
        })
        .or_else(|| {
            let whole = with_quoted_digits(lines);
            crate::reform::page_year(whole.iter().flat_map(|l| sentences(l)))
        })
}

/// A figure marked as the whole country's (`全国では65%`, `全国で6割`, `全国平均`), not a
/// survey run across it (`全国で行った`).
fn national_figure(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"全国(?:では|で[0-9約]|平均)|全体(?:では|で[0-9約])").is_match(s)
}

/// The lines as written (normalized), quotations' digits kept: for dating the page, a
/// speaker's `今年12月に…廃止になれば` counts as the writer's own words do.
fn with_quoted_digits(lines: &[Line]) -> Vec<String> {
    lines.iter().map(|l| close_up(&l.raw)).collect()
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
/// `前年同期の調査`, `今年1月にも同様の調査`), not of a patient's previous visit (`前回来院時`).
fn earlier_survey(s: &str) -> Option<usize> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RE,
        r"前回(?:の)?(?:調査|は|\(|比|から|より|と比|では|に比)|前年同期|1年前の調査|昨年(?:[0-9]{1,2}(?:[~-][0-9]{1,2})?月|[春夏秋冬])?の調査|(?:にも|でも)(?:同様の|同じ)?(?:調査|アンケート)",
    );
    r.find(s).map(|m| m.start())
}

/// Where the clause about an earlier survey that starts at `at` ends: at the clause's end,
/// or at the sentence's when the sentence goes on about that survey (`今年1月にも同様の調査
/// 結果を発表しており、このときは8672の医療機関が回答し、…59.8%…`).
fn earlier_clause_end(s: &str, at: usize) -> usize {
    // `前回調査から上昇 県内66.1%`: the earlier survey named with no figure of its own; the
    // share after the change is the current one.
    static MOVED: OnceLock<Regex> = OnceLock::new();
    let moved = re(
        &MOVED,
        r"^前回(?:の)?(?:調査)?(?:から|より|と比べて?|に比べて?)[^0-9%。、]{0,6}?(?:上昇|増加|増え|減少|低下|減っ|改善|悪化|伸び)[^0-9%。、]{0,4}",
    );
    if let Some(m) = moved.find(&s[at..]) {
        return at + m.end();
    }
    let end = clause_end(s, at);
    // `前回調査の59.8%から10ポイント上昇し69.8%`: the earlier share ends at its `から`; the
    // share it changed to is the current one.
    // (`前回調査(55%)から増え、62%となった`: the change may run past the clause.)
    if let Some(m) = changed_from()
        .find(&s[at..])
        .filter(|m| at + m.start() < end)
    {
        return at + m.start() + m.as_str().find("から").unwrap_or(0) + "から".len();
    }
    let rest = &s[end..];
    let goes_on = ["このときは", "この時は", "その際は", "当時は", "その時は"]
        .iter()
        .any(|k| rest.trim_start_matches(['、', ' ']).starts_with(k));
    // `前回調査(2025年10~11月実施)では、トラブルが「あった」との回答は68.9%でした`: a
    // sentence that opens on the earlier survey as its topic is about it to its end, unless
    // it turns to this one.
    let opens_on_it = s[..at].trim().is_empty()
        && s[at..end].trim_end_matches('、').ends_with("では")
        && !rest.contains("今回");
    if goes_on || opens_on_it {
        s.len()
    } else {
        end
    }
}

/// `59.8%から10ポイント上昇し69.8%`: a share, then the change to another share.
fn changed_from() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"%\)?から[^。%]{0,16}?(?:上昇|増加|増え|減少|低下|減っ|改善|悪化)し?て?、?[^。%]{0,6}?[0-9]",
    )
}

/// `…の58.7%から7.4ポイント上昇した`, `…の72.9%とほぼ横ばい`: an earlier share and how
/// it compares.
fn changed_since_earlier() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"%\)?(?:から[^。%]{0,16}?(?:上昇|増加|増え|減少|低下|減っ|改善|悪化|伸び)|と[^。%]{0,6}?(?:横ばい|同水準|同程度|変わらな|変わらず))",
    )
}

/// Words of the results coming out (`5月に公表した調査`): the month they name is not
/// when the survey ran.
const RESULTS_OUT: [&str; 5] = ["公表", "発表", "まとめ", "集計", "報告"];

/// Government bodies whose own surveys a report may quote beside the association's.
const OFFICIAL_SURVEYORS: [&str; 6] = [
    "厚生労働省",
    "厚労省",
    "デジタル庁",
    "総務省",
    "政府",
    "内閣府",
];

/// Words of the questionnaire going out (`調査票を送付し`, `協力を依頼し`).
const DISPATCH: [&str; 8] = [
    "送付",
    "送信",
    "配布",
    "発送",
    "依頼",
    "呼びかけ",
    "送り",
    "送っ",
];

/// The fieldwork period: a date range in a sentence about the survey (`調査は8月から9月
/// にかけて実施`, `調査期間:2025年1月10日~2月28日`, `2023年6月12日~15日FAXにて実施`),
/// or a dispatch day and a reply deadline (`5月25日に…送付し、6月5日までに…回答を得た`).
/// Sentences about an earlier survey are skipped.
/// With `stale_ok` false, a run that ended over half a year before the publication is
/// taken for an earlier one and skipped.
fn survey_period(
    lines: &[Line],
    year: Option<i32>,
    published: Option<NaiveDate>,
    stale_ok: bool,
) -> Option<(NaiveDate, NaiveDate)> {
    let (start, end) = period_told(lines, year, published, stale_ok)?;
    // `1~2月に行った会員調査` … `1月20日から2月14日まで、…調査票を送りました`: days within
    // the whole months told refine them.
    let whole_months =
        start.day() == 1 && mynawatch_ja::month_end(end.year(), end.month()) == Some(end);
    if whole_months {
        let within = lines
            .iter()
            .flat_map(|l| sentences(&l.clean))
            .filter(|s| {
                ["調査", "アンケート", "実施", "送", "回答", "期間"]
                    .iter()
                    .any(|k| s.contains(k))
            })
            .flat_map(|s| dates_in(s, Some(start.year())))
            .find(|d| {
                d.kind == mynawatch_ja::DateKind::Period
                    && d.text.contains('日')
                    && start <= d.start
                    && d.start < d.end
                    && d.end <= end
                    && (d.start, d.end) != (start, end)
            });
        if let Some(d) = within {
            return Some((d.start, d.end));
        }
    }
    Some((start, end))
}

/// The fieldwork period as the report tells it (see [`survey_period`]).
fn period_told(
    lines: &[Line],
    year: Option<i32>,
    published: Option<NaiveDate>,
    stale_ok: bool,
) -> Option<(NaiveDate, NaiveDate)> {
    // A period under a label (`実施期間: 2023年8月21日~8月31日`) outranks one told in prose,
    // which may be an earlier run's (`今年5月に行った調査では…`).
    let all: Vec<&str> = lines.iter().flat_map(|l| sentences(&l.clean)).collect();
    let next_of = |s: &str| {
        let at = all.iter().position(|x| std::ptr::eq(*x, s))?;
        all.get(at + 1).copied()
    };
    let (labelled, prose): (Vec<&str>, Vec<&str>) =
        all.iter().copied().partition(|s| s.contains("期間"));
    for sentence in labelled.into_iter().chain(prose) {
        let next = next_of(sentence);
        // A label on a line of its own, its value on the next (`調査期間` / `2025年10月下旬
        // ~11月中旬`, a table flattened one cell per line).
        // (Not the next or the last run's: `次回調査期間`.)
        let bare_label = sentence.trim().ends_with("期間")
            && sentence.trim().chars().count() <= 8
            && !["次回", "前回", "今後"]
                .iter()
                .any(|k| sentence.contains(k));
        let joined = match next.filter(|_| bare_label) {
            Some(value) => format!("{}:{value}", sentence.trim()),
            None => sentence.to_string(),
        };
        let words = relative_days_in_words(
            &crate::text::with_month_day_ranges(&slashed_days_in_words(&joined)),
            year,
            published,
        );
        let s = words.as_str();
        // Also the days answers came in (`8月6日から8月31日までに…回答があり`, `…にかけ、
        // 会員に依頼し、318件の回答を得た`).
        let answers_came_in =
            s.contains("回答") && (s.contains("までに") || DISPATCH.iter().any(|k| s.contains(k)));
        // (`■調査の概要` / `期間:2025年3月3日~3月28日`: a period label under the survey's
        // heading names no survey itself.)
        let period_label = s.trim_start().starts_with("期間");
        // `保団連が昨年8~9月に行った全国調査では70.3%で、これを上回った`: a national survey
        // quoted to compare with, not the report's own.
        let compared_national = (s.contains("全国調査") || s.contains("全国の調査"))
            && ["上回", "下回", "比べ", "比較", "より高", "より低"]
                .iter()
                .any(|k| s.contains(k));
        if earlier_survey(s).is_some()
            || compared_national
            || !(answers_came_in
                || period_label
                // (In other words: `…にかけてトラブルを調べた`, `…を尋ねた`.)
                || ["調査", "アンケート", "実施", "調べ", "尋ね"]
                    .iter()
                    .any(|k| s.contains(k)))
            // A survey of the government's (`厚生労働省が10月から11月にかけて調べたところ`)
            // dates no association's.
            || (OFFICIAL_SURVEYORS.iter().any(|k| s.contains(k))
                && !s.contains("保険医")
                && !s.contains("保団連"))
        {
            continue;
        }
        let found = dates_in(s, year);
        let days: Vec<_> = found
            .iter()
            .filter(|d| d.kind == mynawatch_ja::DateKind::Date)
            .collect();
        let range = found.iter().find(|d| {
            d.kind == mynawatch_ja::DateKind::Period
                && d.start < d.end
                && (d.end - d.start).num_days() <= 366
                && (d.text.contains(['~', '-', '・']) || d.text.contains("から"))
                && !s[d.span.end..].starts_with("以降")
        });
        if let Some(d) = range {
            let (start, end) = whole_months_for_parts(&d.text, d.start, d.end);
            // `2024年12月以降の…トラブルについて、3月1日~31日に実施`: a range without its
            // year that would fall before the window it asks about is of the next year.
            let window = found.iter().find(|w| {
                w.writes_year() && s[w.span.end..].starts_with("以降") && w.span.end <= d.span.start
            });
            let shifted = match window {
                Some(w) if !d.writes_year() && start < w.start => {
                    shift_year(start, 1).zip(shift_year(end, 1))
                }
                _ => None,
            };
            // (Never past the publication: `2024年12月2日以降の…について、11月11日~22日に
            // 実施`, on a page of December 2024, is of that November.)
            let (start, end) = match shifted {
                Some((s2, e2)) if published.is_none_or(|p| e2 <= p) => (s2, e2),
                _ => (start, end),
            };
            // `12月8日から26日にかけて…アンケート` on a page of January: a range without its
            // year that would start after the publication is of the year before.
            let (start, end) = match published {
                Some(p) if !d.writes_year() && start > p => {
                    match (shift_year(start, -1), shift_year(end, -1)) {
                        (Some(s2), Some(e2)) if e2 <= p => (s2, e2),
                        _ => continue,
                    }
                }
                _ => (start, end),
            };
            if stale_ok || published.is_none_or(|p| !stale(end, p)) {
                return Some((start, end));
            }
            continue;
        }
        // `(2024年5月実施)`: a month with its year, said to be when the survey ran.
        // (`今年5月、会員に調査を行った` reads as `2024年5月、…`; not `5月に公表した調査`.)
        static RUN: OnceLock<Regex> = OnceLock::new();
        let run = re(
            &RUN,
            r"^(?:実施|(?:中に|に|、)(?P<between>[^。]{0,48}?)(?:実施|行っ|行い|行わ|調査を|アンケートを|調べ))",
        );
        // (A month or a part of one without its year, `10月上旬、会員に調査を実施`, takes the
        // report's year when it does not fall after the publication.)
        let month_run = found.iter().find(|d| {
            // (Not a dispatch with a deadline, `1月下旬に送付し、2月中旬までに回答`: read below.)
            let yearless_ok = year.is_some()
                && published.is_some_and(|p| d.start <= p)
                && !s.contains("までに")
                && found.len() == 1
                && !DISPATCH.iter().any(|k| s.contains(k))
                && !["締め切", "締切", "予定"].iter().any(|k| s.contains(k));
            d.kind == mynawatch_ja::DateKind::Period
                && (d.writes_year() || yearless_ok)
                && (d.text.ends_with('月')
                    || d.text.ends_with("上旬")
                    || d.text.ends_with("初め")
                    || d.text.ends_with("中旬")
                    || d.text.ends_with("下旬"))
                && run.captures(&s[d.span.end..]).is_some_and(|c| {
                    let between = c.name("between").map_or("", |b| b.as_str());
                    !RESULTS_OUT.iter().any(|k| between.contains(k)) && one_survey_clause(between)
                })
        });
        if let Some(d) = month_run {
            let (start, end) = whole_months_for_parts(&d.text, d.start, d.end);
            // (`昨年5月に実施した第1回調査`, in a report of December 2024: an earlier run.)
            if stale_ok || published.is_none_or(|p| !stale(end, p)) {
                return Some((start, end));
            }
            continue;
        }
        // `調査期間=2023年6月12日 6月15日`: a period label over two days set side by side.
        if s.contains("期間") {
            if let [a, b, ..] = days.as_slice() {
                let gap = s.get(a.span.end..b.span.start).unwrap_or("x");
                if gap.trim_matches([' ', '\u{3000}', '、', ',']).is_empty() && a.start < b.start {
                    return Some((a.start, b.start));
                }
            }
        }
        if let Some(r) = year.and_then(|y| month_range(s, y, published)) {
            return Some(r);
        }
        if let Some(r) = published.and_then(|p| day_range(s, p)) {
            return Some(r);
        }
        if let Some(r) = duration_from(s, &found) {
            return Some(r);
        }
        let dispatch = DISPATCH.iter().any(|k| s.contains(k));
        // `5月25日に…送付し、6月5日までに…回答`; month parts too (`1月下旬に送付し、2月中旬
        // までに回答`: from the part's first day to the last).
        // (Or a start of its own: `調査は2月中旬から実施し、3月14日までに到着した回答…`.)
        let started = s.contains("から実施") || s.contains("から開始");
        if (dispatch || started) && s.contains("までに") && s.contains("回答") {
            let timed = || {
                found
                    .iter()
                    .filter(|d| d.kind != mynawatch_ja::DateKind::FiscalYear)
            };
            let end = timed().find(|d| s[d.span.end..].starts_with("までに"));
            if let (Some(first), Some(end)) = (timed().next(), end) {
                if first.start < end.start {
                    let (start, _) = whole_months_for_parts(&first.text, first.start, first.end);
                    let (_, end) = whole_months_for_parts(&end.text, end.start, end.end);
                    return Some((start, end));
                }
            }
            // `5月13日に調査票を送付し、24日までに回答を得た`: the deadline a bare day.
            if let [first] = days.as_slice() {
                let rest = &s[first.span.end..];
                if let Some(end) = bare_day_deadline(rest, first.start) {
                    if first.start < end {
                        return Some((first.start, end));
                    }
                }
            }
        }
        // `調査は11月17日に会員へFAXで送信した。25日までに206件が回答`: the deadline in
        // the next sentence.
        if let (true, [first], Some(next)) = (dispatch, days.as_slice(), next) {
            // (Or a deadline named so: `回答期限は同22日とし、…`.)
            let deadline = next.contains("期限") && next.contains("回答");
            if (next.contains("までに") || deadline) && next.contains("回答") {
                let until = dates_in(next, year).into_iter().find(|d| {
                    d.kind == mynawatch_ja::DateKind::Date
                        && (next[d.span.end..].starts_with("までに")
                            || (deadline && next[..d.span.start].ends_with("期限は")))
                });
                let until = until
                    .map(|d| d.start)
                    .or_else(|| bare_day_deadline(next, first.start));
                if let Some(end) = until.filter(|e| first.start < *e) {
                    return Some((first.start, end));
                }
            }
        }
    }
    None
}

/// The words between a month and the survey's verb tell only of the survey
/// (`10月上旬、会員を対象にFAXで「…」を尋ねるアンケート調査を実施`): a short gap always; a
/// long one only when it tells no event of its own (`12月に…停止されたことを受け、`,
/// `2月、…記者会見を開き、`, `…止まった後の`, `…送付されるのを前に`). Quoted words are
/// the questionnaire's and do not count.
fn one_survey_clause(between: &str) -> bool {
    if between.chars().count() <= 12 {
        return true;
    }
    let plain = crate::text::outside(between, &['「'], &['」']);
    // (Nor a verb that ends a clause of its own, `…起きたトラブル`, `…止まり`, `…ことから`,
    // nor another time: `12月中に…を尋ねるアンケートを2025年1月に実施`.)
    ![
        "され",
        "後",
        "前に",
        "受け",
        "会見",
        "開き",
        "公表",
        "発表",
        "た",
        "り、",
        "ため",
        "から",
        "機に",
        "踏まえ",
    ]
    .iter()
    .any(|k| plain.contains(k))
        && !plain.contains(['月', '年'])
}

/// A survey that ended more than half a year before the report's publication: an earlier
/// run the report mentions, not its own fieldwork.
fn stale(end: NaiveDate, published: NaiveDate) -> bool {
    (published - end).num_days() > 183
}

/// `d` moved by `years`, the 29th of February becoming the 28th.
fn shift_year(d: NaiveDate, years: i32) -> Option<NaiveDate> {
    d.with_year(d.year() + years)
        .or_else(|| NaiveDate::from_ymd_opt(d.year() + years, d.month(), 28))
}

/// A fieldwork range whose ends are parts of months (`2月中旬から4月中旬`) spans the
/// whole months, by the sets' convention; a day or a month's end stays as written.
fn whole_months_for_parts(text: &str, start: NaiveDate, end: NaiveDate) -> (NaiveDate, NaiveDate) {
    const PARTS: [&str; 6] = ["上旬", "初旬", "初め", "中旬", "下旬", "頃"];
    let (from, to) = text
        .split_once(['~', '-'])
        .or_else(|| text.split_once("から"))
        .unwrap_or((text, text));
    let start = if PARTS.iter().any(|p| from.contains(p)) {
        start.with_day(1).unwrap_or(start)
    } else {
        start
    };
    let end = if PARTS.iter().any(|p| to.contains(p)) {
        mynawatch_ja::month_end(end.year(), end.month()).unwrap_or(end)
    } else {
        end
    };
    (start, end)
}

/// Days named by the year or month of the page (`昨年11月18日`, `今年2月`, `先月20日`,
/// `今月6日`, `先月下旬から今月上旬`) written with their year and month, so that a range of
/// them reads as one.
fn relative_days_in_words(s: &str, year: Option<i32>, published: Option<NaiveDate>) -> String {
    static YEAR_WORD: OnceLock<Regex> = OnceLock::new();
    static MONTH_WORD: OnceLock<Regex> = OnceLock::new();
    let mut out = s.to_string();
    if let Some(y) = year {
        let r = re(
            &YEAR_WORD,
            r"(一昨年|昨年|去年|今年|本年|来年)の?(\d{1,2})月",
        );
        out = r
            .replace_all(&out, |c: &regex::Captures<'_>| {
                format!("{}年{}月", y + year_word_offset(&c[1]), &c[2])
            })
            .into_owned();
    }
    if let Some(p) = published {
        // Also a part of the month or a range (`先月下旬から今月上旬にかけて`).
        let r = re(
            &MONTH_WORD,
            r"(先月|今月)(\d{1,2}日|上旬|中旬|下旬|初旬|末|から|にかけ)",
        );
        out = r
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let first = p.with_day(1).unwrap_or(p);
                let month = if &c[1] == "先月" {
                    first
                        .checked_sub_months(chrono::Months::new(1))
                        .unwrap_or(first)
                } else {
                    first
                };
                format!("{}年{}月{}", month.year(), month.month(), &c[2])
            })
            .into_owned();
    }
    out
}

/// `5/13~5/24` written as `5月13日~5月24日`, so that a yearless slashed day reads as a
/// day; a full `2024/5/13` is left to the date reader.
fn slashed_days_in_words(s: &str) -> String {
    static SLASHED: OnceLock<Regex> = OnceLock::new();
    let r = re(&SLASHED, r"(\d{1,4})/(\d{1,2})(/\d{1,2})?");
    r.replace_all(s, |c: &regex::Captures<'_>| {
        let whole = c.get(0).expect("match");
        let before = s[..whole.start()].chars().next_back();
        let after = s[whole.end()..].chars().next();
        // Only a day by its company (`5/13~5/24`, `5/13(月)`, `5/13から`); `1/3に送付`
        // may be a fraction.
        let rest = &s[whole.end()..];
        let dated = ['~', '-', '('].iter().any(|k| rest.starts_with(*k))
            || ["から", "まで"].iter().any(|k| rest.starts_with(k))
            || s[..whole.start()].ends_with(['~', '-']);
        let bare = c.get(3).is_none()
            && c[1].len() <= 2
            && dated
            && !before.is_some_and(|ch| ch.is_ascii_digit() || ch == '/')
            && !after.is_some_and(|ch| ch.is_ascii_digit() || ch == '/');
        if bare {
            format!("{}月{}日", &c[1], &c[2])
        } else {
            whole.as_str().to_string()
        }
    })
    .into_owned()
}

/// Whole months without a year (`調査は8月から9月にかけて実施`, `8~9月に実施`,
/// `昨年10月~今年1月に実施`, `アンケートを8月に行い`), in the report's `year`. A range
/// whose first month is after its last crosses a new year (`10月~1月` ends in `year`); one
/// that would end after the publication is of the year before.
fn month_range(s: &str, year: i32, published: Option<NaiveDate>) -> Option<(NaiveDate, NaiveDate)> {
    static RANGE: OnceLock<Regex> = OnceLock::new();
    static SINGLE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RANGE,
        r"(?P<y1>一昨年|昨年|去年|今年|本年)?(?P<m1>\d{1,2})月?(?:から|~|-)(?P<y2>一昨年|昨年|去年|今年|本年)?(?P<m2>\d{1,2})月",
    );
    let single = re(
        &SINGLE,
        // (`…12月にかけて` ends a range, never a month of its own.)
        r"(?P<y1>一昨年|昨年|去年|今年|本年)?(?P<m1>\d{1,2})月(?:中)?(?:に|、)(?P<between>[^、。]{0,24}?)(?:実施|行|調査|アンケート)",
    );
    let free = |whole: std::ops::Range<usize>| {
        let before = s[..whole.start].chars().next_back();
        // (`2023年10月` is a date with its year; `去年10月` is caught with its word.)
        !before.is_some_and(|ch| ch.is_ascii_digit() || ch == '年' || ch == '/')
            && !s[whole.end..].starts_with(|ch: char| ch.is_ascii_digit())
    };
    let shift = |word: Option<regex::Match<'_>>| word.map_or(0, |m| year_word_offset(m.as_str()));
    let (y1, m1, y2, m2) = if let Some(c) = r
        .captures_iter(s)
        .find(|c| c.get(0).is_some_and(|m| free(m.range())))
    {
        let (m1, m2): (u32, u32) = (c["m1"].parse().ok()?, c["m2"].parse().ok()?);
        let (mut y1, mut y2) = (year + shift(c.name("y1")), year + shift(c.name("y2")));
        if c.name("y1").is_none() && m1 > m2 {
            y1 = y2 - 1;
        }
        // `去年10月から12月にかけて`: the end in the start's year, or the next.
        if c.name("y1").is_some() && c.name("y2").is_none() {
            y2 = if m2 >= m1 { y1 } else { y1 + 1 };
        }
        (y1, m1, y2, m2)
    } else {
        // `2月に会員にアンケートを行い`, `9月に会員の医療機関を対象にアンケートを実施し`; not
        // `2月に公表した調査`, nor a month of another event (`12月に…停止された後の調査`).
        let c = single.captures_iter(s).find(|c| {
            c.get(0).is_some_and(|m| free(m.range()))
                && !c.name("between").is_some_and(|b| {
                    RESULTS_OUT.iter().any(|k| b.as_str().contains(k))
                        || !one_survey_clause(b.as_str())
                })
        });
        let Some(c) = c else {
            return last_or_this_month(s, published);
        };
        let m: u32 = c["m1"].parse().ok()?;
        let y = year + shift(c.name("y1"));
        (y, m, y, m)
    };
    let start = NaiveDate::from_ymd_opt(y1, m1, 1)?;
    let end = mynawatch_ja::month_end(y2, m2)?;
    if start >= end {
        return None;
    }
    // No year word and a range after the publication: last year's.
    match published {
        Some(p) if start > p && !s.contains("今年") && !s.contains("本年") => Some((
            start.with_year(start.year() - 1)?,
            end.checked_sub_months(chrono::Months::new(12))?,
        )),
        _ => Some((start, end)),
    }
}

/// `アンケートは先月、会員を対象に行われ`: the month before the page's, or its own
/// (`今月`), when the survey is said to be run in it.
fn last_or_this_month(s: &str, published: Option<NaiveDate>) -> Option<(NaiveDate, NaiveDate)> {
    static REL: OnceLock<Regex> = OnceLock::new();
    let rel = re(
        &REL,
        r"(?P<which>先月|今月)(?:中)?(?:に|、)?(?P<between>[^。]{0,20}?)(?:実施|行|調査|アンケート)",
    );
    let c = rel.captures(s)?;
    // (`先月の調査に続いて今月も…`: a survey named by its month, not this one's run.)
    if c["between"].starts_with('の') || RESULTS_OUT.iter().any(|k| c["between"].contains(k)) {
        return None;
    }
    let first = published?.with_day(1)?;
    let start = if &c["which"] == "先月" {
        first.checked_sub_months(chrono::Months::new(1))?
    } else {
        first
    };
    Some((start, mynawatch_ja::month_end(start.year(), start.month())?))
}

/// Days without a month in a dated report (`同協会は16~19日にアンケートを実施した`): the
/// days of the publication's month when they are not after its day, else of the month
/// before.
fn day_range(s: &str, published: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    static DAYS: OnceLock<Regex> = OnceLock::new();
    let r = re(&DAYS, r"(\d{1,2})日?(?:~|から)(\d{1,2})日");
    let c = first_bare_day(s, r)?;
    let (d1, d2): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
    let month_start = if d2 <= published.day() {
        published.with_day(1)?
    } else {
        published
            .with_day(1)?
            .checked_sub_months(chrono::Months::new(1))?
    };
    let start = month_start.with_day(d1)?;
    let end = month_start.with_day(d2)?;
    (start < end).then_some((start, end))
}

/// The first match of `r` that starts a day written alone: not after a digit, a month or a
/// slash (`25日`, not `6月25日`).
fn first_bare_day<'s>(s: &'s str, r: &Regex) -> Option<regex::Captures<'s>> {
    r.captures_iter(s).find(|c| {
        let at = c.get(0).map_or(0, |m| m.start());
        !s[..at].ends_with(|ch: char| ch.is_ascii_digit() || ch == '月' || ch == '/')
    })
}

/// A reply deadline written as a day alone (`25日までに`), after a dispatch on `start`:
/// that day of the same month, or of the next when it comes before `start`'s day.
fn bare_day_deadline(s: &str, start: NaiveDate) -> Option<NaiveDate> {
    static DAY: OnceLock<Regex> = OnceLock::new();
    // `24日までに`, or a deadline named so (`回答期限は同22日`).
    let r = re(&DAY, r"(?:期限は、?同?)?(\d{1,2})日(?:までに|とし|まで)");
    let c = first_bare_day(s, r)?;
    let day: u32 = c[1].parse().ok()?;
    let month = if day >= start.day() {
        start.with_day(1)?
    } else {
        start
            .with_day(1)?
            .checked_add_months(chrono::Months::new(1))?
    };
    month.with_day(day)
}

/// A start day and a duration: `10月14日からの1カ月間` → to the day before the same
/// day a month later.
fn duration_from(s: &str, found: &[mynawatch_ja::DateFound]) -> Option<(NaiveDate, NaiveDate)> {
    static DUR: OnceLock<Regex> = OnceLock::new();
    let dur = re(
        &DUR,
        r"^からの?(\d{1,2})(?P<unit>(?:カ|か|ヶ|ケ|ヵ)月|週|日)間",
    );
    found.iter().find_map(|d| {
        if d.kind != mynawatch_ja::DateKind::Date {
            return None;
        }
        let c = dur.captures(&s[d.span.end..])?;
        let n: u32 = c[1].parse().ok()?;
        // `5月13日から2週間`: the last day is the day before the same weekday two weeks on.
        let end = match &c["unit"] {
            "週" => d.start + chrono::Days::new(7 * u64::from(n)),
            "日" => d.start + chrono::Days::new(u64::from(n)),
            _ => d.start.checked_add_months(chrono::Months::new(n))?,
        }
        .pred_opt()?;
        Some((d.start, end))
    })
}

/// The day a survey with no end written started (`保団連は5月23日に調査を開始し`): an
/// open period from it.
fn survey_start(
    lines: &[Line],
    year: Option<i32>,
    published: Option<NaiveDate>,
) -> Option<NaiveDate> {
    static START: OnceLock<Regex> = OnceLock::new();
    let start = re(
        &START,
        r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:に|から)、?(?:(?:調査|アンケート)(?:を|が)?(?:開始|始め|始ま|スタート)|[^。の][^。]{0,60}?(?:調査|アンケート)を?(?:実施して|行って)(?:いる|います|おり))",
    );
    lines.iter().find_map(|l| {
        let m = start.find(&l.clean)?;
        let d = dates_in(m.as_str(), year)
            .into_iter()
            .find(|d| d.kind == mynawatch_ja::DateKind::Date)?;
        not_after(d.start, d.writes_year(), published)
    })
}

/// A day read with the report's year that would fall after its publication is of the year
/// before (`12月16日から実施しており`, on a page of January); one written with its year stays.
fn not_after(d: NaiveDate, has_year: bool, published: Option<NaiveDate>) -> Option<NaiveDate> {
    match published {
        Some(p) if d > p && !has_year => shift_year(d, -1).filter(|e| *e <= p),
        Some(p) if d > p => None,
        _ => Some(d),
    }
}

/// The aggregation date of an interim count: `(6月8日集計)`, `集計:6月19日`, `6月8日時点`.
fn aggregation_date(
    lines: &[Line],
    year: Option<i32>,
    published: Option<NaiveDate>,
) -> Option<NaiveDate> {
    static AGG: OnceLock<Regex> = OnceLock::new();
    let agg = re(
        &AGG,
        // Also the day answers were counted up to (`7月27日までに、225医療機関から回答を得た`).
        r"(?:(?:(?:\d{4}|令和\d{1,2}|令和元)年)?\d{1,2}月\d{1,2}日(?:集計|時点|現在))|(?:集計[^。:]{0,4}[:：]\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日)|(?:(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|末)までに、?[^。]{0,30}?(?:回答|回収))",
    );
    static SLASHED: OnceLock<Regex> = OnceLock::new();
    // `最終集計(1/31)`: a month and day in brackets right after 集計, read only when no
    // line says it in words (a title's `中間集計(6月9日)` may be the report's own date).
    let slashed = re(&SLASHED, r"集計\((\d{1,2})/(\d{1,2})\)");
    static MONTH_END: OnceLock<Regex> = OnceLock::new();
    let month_end_tally = re(
        &MONTH_END,
        r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月末(?:日)?(?:時点|現在)(?:の|で)?(?:集計|結果|回答)",
    );
    lines
        .iter()
        .find_map(|l| {
            // (Not an earlier survey's: `前回調査では、9月末までに回答した…`.)
            let m = agg
                .find_iter(&l.clean)
                .find(|m| earlier_survey(&l.clean[..m.end()]).is_none())?;
            dates_in(m.as_str(), year)
                .into_iter()
                .find(|d| d.kind == mynawatch_ja::DateKind::Date)
                .map(|d| d.start)
        })
        .or_else(|| {
            // `11月末時点の集計`: the month's last day.
            lines.iter().find_map(|l| {
                let c = month_end_tally.captures(&l.clean)?;
                let (y, has_year) = match c.name("y") {
                    Some(y) => (y.as_str().parse().ok()?, true),
                    None => (year?, false),
                };
                let d = mynawatch_ja::month_end(y, c["m"].parse().ok()?)?;
                not_after(d, has_year, published)
            })
        })
        .or_else(|| {
            lines.iter().find_map(|l| {
                let c = slashed.captures(&l.clean)?;
                NaiveDate::from_ymd_opt(year?, c[1].parse().ok()?, c[2].parse().ok()?)
            })
        })
}

/// What follows an organisation's name when it is the subject or the source of a survey:
/// an optional bracket (`(東京)`, `(…理事長)`), an optional `など`, then a particle or a
/// source phrase (`は`, `では`, `が`, `も`, `によると`, `によりますと`, `の調査`, `のアンケート`,
/// `の集計`, `として`).
const AUTHOR_MARK: &str = r"」?(?:\([^)]*\))?(?:など|等)?(?:は|では|が|も|によると|によれば|によりますと|による|の?(?:調査|調べ|アンケート|集計|まとめ|会員|実態調査)|として)";

fn prefecture_short_names() -> Vec<String> {
    mynawatch_ja::area::all()
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
        .collect()
}

/// A prefectural association as a survey's author or source: `愛媛県保険医協会は`,
/// `京都府保険医協会では`, `東京歯科保険医協会の調査`, `大阪府保険医協会(…理事長)は`,
/// `千葉協会によると`, `神奈川県保険医協会などによりますと`.
fn prefecture_association() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?P<pref>{})(?:都|府|県)?(?:歯科)?(?:保険医?)?(?:協会|医会){AUTHOR_MARK}",
            prefecture_short_names().join("|")
        ))
        .expect("association regex")
    })
}

/// A prefecture's part of a survey: `京都の医療機関は`, `大阪府内の医療機関では`.
fn prefecture_part() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?P<pref>{})(?:都|道|府|県)?内?の(?:医療機関|会員医療機関)(?:\([^)]*\))?(?:は|では|で|の)",
            prefecture_short_names().join("|")
        ))
        .expect("prefecture part regex")
    })
}

/// Any mention of a named prefectural association, author or not (`埼玉県保険医協会の方たち`,
/// `北海道保険医会`, `長崎県の保険医協会`).
fn named_association() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?P<pref>{})(?:都|府|県)?(?:内?の)?(?:歯科)?(?:保険医?協会|保険医会)",
            prefecture_short_names().join("|")
        ))
        .expect("association regex")
    })
}

/// 保団連 as the survey's author or source (`保団連は`, `全国保険医団体連合会(東京)の調査では`,
/// `保団連が集計した`, `保団連によると`), or an author line that is only its name.
fn national_author(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?:保団連|全国保険医団体連合会){AUTHOR_MARK}|^全国保険医団体連合会$"
        ))
        .expect("national regex")
    });
    r.is_match(s.trim())
}

/// The page's own association as author, by a word that names no one: `当会は`, `本会では`,
/// `当団体では`, `同協会は`, and a bare `協会は` / `県保険医協会は` / `保険医協会は` at the start of
/// a sentence or clause or after a verb (`医師らが参加する県保険医協会が`); not `各保険医協会が`,
/// `全国の保険医協会が`, nor part of a name.
fn own_author(s: &str) -> Option<usize> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?:当会|本会|当協会|本協会|当団体|同協会|同会){AUTHOR_MARK}|(?:^|[、。「\s]|[\p{{Hiragana}}&&[^の]])(?:県|府|都)?(?:歯科)?(?:保険医)?協会{AUTHOR_MARK}"
        ))
        .expect("own author regex")
    });
    r.find(s.trim()).map(|m| m.start())
}

fn national() -> (String, String) {
    ("000000".to_string(), "全国".to_string())
}

fn prefecture_area(name: &str) -> Option<(String, String)> {
    mynawatch_ja::area::prefecture(name).map(|a| (a.code.to_string(), a.prefecture.to_string()))
}

/// What kind of site a row of `data/survey_sites.tsv` is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum SiteKind {
    /// A prefectural 保険医協会's own site.
    Association,
    /// A regional newspaper or broadcaster of one prefecture.
    Media,
}

/// A site of one prefecture: `host` (without `www.`, maybe with a path prefix).
struct Site {
    host: &'static str,
    prefecture: &'static str,
    kind: SiteKind,
}

/// The association and regional-media sites of `data/survey_sites.tsv` (with provenance).
fn sites() -> &'static [Site] {
    static SITES: OnceLock<Vec<Site>> = OnceLock::new();
    SITES.get_or_init(|| {
        include_str!("../../data/survey_sites.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let (host, prefecture, kind) = (cols.next()?, cols.next()?, cols.next()?);
                let kind = match kind {
                    "association" => SiteKind::Association,
                    "media" => SiteKind::Media,
                    _ => return None,
                };
                Some(Site {
                    host,
                    prefecture,
                    kind,
                })
            })
            .collect()
    })
}

/// The site of `kind` that `url` is on: its host is the site's host or under it, and a
/// site with a path prefix (`note.com/tokushimapress`) also matches the path.
fn site_of(url: &str, kind: SiteKind) -> Option<&'static Site> {
    let h = host(url);
    let path = url::Url::parse(url)
        .map(|u| u.path().to_string())
        .unwrap_or_default();
    sites().iter().filter(|s| s.kind == kind).find(|s| {
        let (site_host, prefix) = s.host.split_once('/').unwrap_or((s.host, ""));
        (h == site_host || h.ends_with(&format!(".{site_host}")))
            && (prefix.is_empty() || path.starts_with(&format!("/{prefix}")))
    })
}

/// Prefectures in romaji as association hosts write them (`ehime-hk.org`, `miyagi-hok.org`,
/// `ishikawahokeni.jp`, `saitama-hokeni.com`, `tokushima-hk.jp`).
const ROMAJI: [(&str, &str); 47] = [
    ("hokkaido", "北海道"),
    ("aomori", "青森県"),
    ("iwate", "岩手県"),
    ("miyagi", "宮城県"),
    ("akita", "秋田県"),
    ("yamagata", "山形県"),
    ("fukushima", "福島県"),
    ("ibaraki", "茨城県"),
    ("tochigi", "栃木県"),
    ("gunma", "群馬県"),
    ("saitama", "埼玉県"),
    ("chiba", "千葉県"),
    ("tokyo", "東京都"),
    ("kanagawa", "神奈川県"),
    ("niigata", "新潟県"),
    ("toyama", "富山県"),
    ("ishikawa", "石川県"),
    ("fukui", "福井県"),
    ("yamanashi", "山梨県"),
    ("nagano", "長野県"),
    ("gifu", "岐阜県"),
    ("shizuoka", "静岡県"),
    ("aichi", "愛知県"),
    ("mie", "三重県"),
    ("shiga", "滋賀県"),
    ("kyoto", "京都府"),
    ("osaka", "大阪府"),
    ("hyogo", "兵庫県"),
    ("nara", "奈良県"),
    ("wakayama", "和歌山県"),
    ("tottori", "鳥取県"),
    ("shimane", "島根県"),
    ("okayama", "岡山県"),
    ("hiroshima", "広島県"),
    ("yamaguchi", "山口県"),
    ("tokushima", "徳島県"),
    ("kagawa", "香川県"),
    ("ehime", "愛媛県"),
    ("kochi", "高知県"),
    ("fukuoka", "福岡県"),
    ("saga", "佐賀県"),
    ("nagasaki", "長崎県"),
    ("kumamoto", "熊本県"),
    ("oita", "大分県"),
    ("miyazaki", "宮崎県"),
    ("kagoshima", "鹿児島県"),
    ("okinawa", "沖縄県"),
];

/// The page's host without `www.` (empty for a URL that does not parse).
fn host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_string())
        })
        .unwrap_or_default()
}

/// Whose site the page is on: 保団連's (all Japan), or a prefectural association's (by the
/// list above, or a host that is a prefecture in romaji joined to `hk`, `hok`, `hokeni` or
/// `hkn`: `ehime-hk.org`, `ishikawahokeni.jp`).
fn host_author(url: &str) -> Option<(String, String)> {
    let h = host(url);
    if h.ends_with("hodanren.doc-net.or.jp") {
        return Some(national());
    }
    if let Some(site) = site_of(url, SiteKind::Association) {
        return prefecture_area(site.prefecture);
    }
    let label = h.split('.').next().unwrap_or("");
    ROMAJI.iter().find_map(|(r, p)| {
        let rest = label.strip_prefix(r)?.trim_start_matches('-');
        ["hokeni", "hok", "hkn", "hk"]
            .iter()
            .any(|k| rest.starts_with(k))
            .then(|| prefecture_area(p))
            .flatten()
    })
}

/// A regional outlet's prefecture, from its host, or from its name as a word of the path of
/// a portal that carries it (`news.yahoo.co.jp/…/OkinawaTimes_1309916/`,
/// `newsdig.tbs.co.jp/articles/mro/…`).
fn media_area(url: &str) -> Option<(String, String)> {
    if let Some(site) = site_of(url, SiteKind::Media) {
        return prefecture_area(site.prefecture);
    }
    let path = url::Url::parse(url)
        .map(|u| u.path().to_ascii_lowercase())
        .unwrap_or_default();
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    sites()
        .iter()
        .filter(|s| s.kind == SiteKind::Media && !s.host.contains('/'))
        .find(|s| {
            let name = s.host.split('.').next().unwrap_or("");
            name.len() >= 3 && words.contains(&name)
        })
        .and_then(|s| prefecture_area(s.prefecture))
}

/// Who ran the survey a page reports, as far as its words tell.
#[derive(Debug, Clone, PartialEq)]
enum Author {
    /// 保団連.
    National,
    /// A named prefectural association.
    Prefecture(String, String),
    /// `当会`, `協会は`, `県保険医協会は`: the page's own association, named elsewhere or not.
    Own,
}

/// The first author in `s`: the earliest of a named association, 保団連 and an own-word.
fn author_in(s: &str) -> Option<Author> {
    let s = s.trim();
    let mut found: Vec<(usize, Author)> = Vec::new();
    if let Some(c) = prefecture_association().captures(s) {
        let start = c.get(0).map_or(0, |m| m.start());
        // `福井県保険医協会と石川県保険医協会の調査`: a joint survey of two prefectures is
        // neither one's.
        let joint = s[..start].strip_suffix('と').is_some_and(|head| {
            named_association()
                .find_iter(head)
                .any(|m| m.end() == head.len())
        });
        if joint {
            return None;
        }
        if let Some((code, name)) = prefecture_area(&c["pref"]) {
            found.push((
                c.get(0).map_or(0, |m| m.start()),
                Author::Prefecture(code, name),
            ));
        }
    }
    static NAT: OnceLock<Regex> = OnceLock::new();
    let nat = NAT.get_or_init(|| {
        Regex::new(&format!(
            r"(?:保団連|全国保険医団体連合会){AUTHOR_MARK}|^全国保険医団体連合会$"
        ))
        .expect("national regex")
    });
    if let Some(m) = nat.find(s) {
        found.push((m.start(), Author::National));
    }
    if let Some(at) = own_author(s) {
        found.push((at, Author::Own));
    }
    // `宮城県保険医協会は、保団連が全国で行った調査の結果を発表した`: the one who ran the
    // survey is its author, not the one who announces it.
    if found.len() > 1 {
        static RAN: OnceLock<Regex> = OnceLock::new();
        let ran = RAN.get_or_init(|| {
            Regex::new(r"^(?:が|の)[^。、]{0,16}?(?:行った|行う|実施した|実施する|まとめた)(?:調査|アンケート)")
                .expect("ran regex")
        });
        let name_end = |at: usize| {
            let rest = &s[at..];
            ["全国保険医団体連合会", "保団連"]
                .iter()
                .find(|k| rest.starts_with(**k))
                .map(|k| at + k.len())
                .or_else(|| rest.find("協会").map(|i| at + i + "協会".len()))
        };
        let runner = found.iter().find(|(at, _)| {
            name_end(*at).is_some_and(|end| {
                let tail = s[end..].trim_start_matches([')', '(']);
                ran.is_match(tail)
            })
        });
        if let Some((_, a)) = runner {
            return Some(a.clone());
        }
    }
    found.into_iter().min_by_key(|(at, _)| *at).map(|(_, a)| a)
}

/// The page's area when it reports a survey's results `県内` (within the prefecture),
/// or when its own association is not named: the association's site, a named prefectural
/// association in the text, a regional outlet.
fn home_area(lines: &[Line], meta: &SnapshotMeta) -> Option<(String, String)> {
    host_author(&meta.url)
        .filter(|(code, _)| code != "000000")
        .or_else(|| {
            // Two different associations named: no single home.
            the_only(lines.iter().flat_map(|l| {
                named_association()
                    .captures_iter(&l.clean)
                    .filter_map(|c| prefecture_area(&c["pref"]))
                    .collect::<Vec<_>>()
            }))
        })
        .or_else(|| media_area(&meta.url))
        .or_else(|| {
            // `佐賀県内では68.5%の医療機関で…`: the one prefecture the page writes as `…県内`.
            static RE: OnceLock<Regex> = OnceLock::new();
            let r = re(
                &RE,
                &format!(
                    r"(?P<pref>{})(?:都|道|府|県)内",
                    prefecture_short_names().join("|")
                ),
            );
            the_only(lines.iter().flat_map(|l| {
                r.captures_iter(&l.clean)
                    .filter_map(|c| prefecture_area(&c["pref"]))
                    .collect::<Vec<_>>()
            }))
        })
        // `県保険医協会は10日、長崎市内で会見し`: the one prefecture of the cities the page
        // names, each a name no other prefecture has.
        .or_else(|| the_only(lines.iter().flat_map(|l| cities_named(&l.clean))))
        // `熊本県議会 … 県保険医協会が今年5月に行った調査`: the minutes of one prefecture's
        // assembly, where `県` is that prefecture.
        // (Only the page's own head: `隣の岡山県議会でも…` in the text is another assembly.)
        .or_else(|| {
            the_only(
                lines
                    .iter()
                    .take(2)
                    .flat_map(|l| assemblies_named(&l.clean)),
            )
        })
        // `沖縄日報 デジタル 2024年10月30日` over `県保険医協会…県内分の結果`: a paper named for
        // its prefecture, in the page's masthead.
        .or_else(|| the_only(lines.iter().take(2).filter_map(|l| outlet_area(&l.clean))))
}

/// The prefecture a news outlet is named for, at the line's start (`沖縄日報`, `愛媛新聞`,
/// `京都民報Web`).
fn outlet_area(s: &str) -> Option<(String, String)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RE,
        &format!(
            r"^(?P<pref>{})(?:県|府|都)?(?:新聞|日報|新報|民報|日日新聞|毎日新聞|タイムス|放送|テレビ)",
            prefecture_short_names().join("|")
        ),
    );
    r.captures(s.trim())
        .and_then(|c| prefecture_area(&c["pref"]))
}

/// The prefectures whose assemblies `s` names (`熊本県議会`, `北海道議会`); a prefecture
/// named otherwise (`隣の大阪府では`, `東京都千代田区`) is not the page's.
fn assemblies_named(s: &str) -> Vec<(String, String)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RE,
        &format!(
            r"(?:(?:{})(?:都|府|県)|北海道)議会",
            prefecture_short_names()
                .into_iter()
                .filter(|n| n != "北海道")
                .collect::<Vec<_>>()
                .join("|")
        ),
    );
    r.find_iter(s)
        .filter_map(|m| prefecture_area(m.as_str().trim_end_matches("議会")))
        .collect()
}

/// The prefectures of the cities `s` names (`長崎市内で`), by names unique in Japan
/// (`府中市` names none); the longest name ending at each `市`.
fn cities_named(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (at, _) in s.match_indices('市') {
        let head = &s[..at];
        let starts: Vec<usize> = head.char_indices().map(|(i, _)| i).rev().take(5).collect();
        let found = starts.iter().rev().find_map(|&i| {
            let name = &s[i..at + '市'.len_utf8()];
            let area = mynawatch_ja::area::lookup_full(name)?;
            (area.name == name).then_some(area)
        });
        if let Some(pref) = found.and_then(|a| prefecture_area(a.prefecture)) {
            out.push(pref);
        }
    }
    out
}

/// The report's area, or why it cannot be told.
enum ReportArea {
    Known(String, String),
    /// 保団連's survey with one prefecture's part: figures from the first line about that
    /// part on are the prefecture's, those before it the nation's.
    PrefecturePart(String, String),
    Unsure(String),
}

/// Words that open a prefecture's part of a survey (`県内では…`, `京都の医療機関は…`).
const WITHIN_PREFECTURE: [&str; 19] = [
    // `県内医療機関の64%でトラブル` (a headline).
    "県内医療機関",
    "府内医療機関",
    "道内医療機関",
    "都内医療機関",
    "県内では",
    "県内の",
    "県内で",
    // `県内回答機関の58.8%`, `本県分の集計`.
    "県内回答",
    "県内分",
    "本県分",
    "府内回答",
    "府内の",
    "府内では",
    "府内で",
    "道内の",
    "道内では",
    "道内で",
    "都内の",
    "都内では",
];

fn opens_prefecture_part(s: &str) -> bool {
    // `千葉県内のある病院では…`, `京都府内の病院で「…」`: one institution's story, not the
    // prefecture's figures, which a part opens with.
    let anecdote = |after: &str| {
        ["ある", "とある", "一部の"]
            .iter()
            .any(|a| after.starts_with(a))
            || (["病院", "診療所", "クリニック", "医院", "歯科医院", "薬局"]
                .iter()
                .any(|a| after.starts_with(a))
                && !after.chars().any(|c| c.is_ascii_digit()))
    };
    WITHIN_PREFECTURE.iter().any(|k| {
        s.match_indices(k)
            .any(|(at, _)| !anecdote(&s[at + k.len()..]))
    }) || prefecture_part().is_match(s)
}

/// The one organisation the survey sentences name, in whatever construction (`長崎県保険医
/// 協会と歯科の協会が合同で行った調査`, `保団連まとめ`): when no sentence marks an author,
/// the page is that organisation's survey if every sentence about a survey that names one
/// names the same one (a prefecture's association, or 保団連 alone); none when they differ.
fn named_in_survey_sentences(sentences: &[&str]) -> Option<Author> {
    let about_survey = |s: &&&str| {
        ["調査", "調べ", "アンケート", "集計"]
            .iter()
            .any(|k| s.contains(k))
    };
    if !sentences.iter().any(|s| about_survey(&s)) {
        return None;
    }
    // The survey sentences first; when they name no one, every sentence of the page
    // (`保団連の会長は会見で、…6割強でトラブルがあったと述べた`).
    let survey: Vec<&str> = sentences.iter().filter(about_survey).copied().collect();
    named_alike(&survey).or_else(|| named_alike(sentences))
}

/// The one organisation `sentences` name (see [`named_in_survey_sentences`]); none when they
/// name none or differ.
fn named_alike(sentences: &[&str]) -> Option<Author> {
    the_only(sentences.iter().flat_map(|s| {
        let mut named: Vec<Author> = named_association()
            .captures_iter(s)
            .filter_map(|c| prefecture_area(&c["pref"]))
            .map(|(c, n)| Author::Prefecture(c, n))
            .collect();
        if s.contains("保団連") || s.contains("全国保険医団体連合会") {
            named.push(Author::National);
        }
        named
    }))
}

/// The one value `items` holds, however often; none when it holds none or two different ones.
fn the_only<T: PartialEq>(mut items: impl Iterator<Item = T>) -> Option<T> {
    let first = items.next()?;
    items.all(|a| a == first).then_some(first)
}

/// The report's area. The author is the one named in the first sentence about a survey
/// (`調査`, `アンケート`, `集計`), else the first one named anywhere: 保団連 → all Japan, unless
/// the page reports its results within one prefecture (`県内では…回答を得た`: that
/// prefecture's part of the survey); a named association → its prefecture; an own-word
/// (`当会は`, `協会は`) → the site's association (保団連's site: all Japan), the association
/// the text names, or 保団連 when it is the only body named. With no author word, 保団連's
/// site is all Japan and an association's site its prefecture. With no author marked at all,
/// the one organisation the page names ([`named_in_survey_sentences`]). `None`: no author.
fn report_area(lines: &[Line], meta: &SnapshotMeta) -> Option<ReportArea> {
    let sentences: Vec<&str> = lines.iter().flat_map(|l| sentences(&l.clean)).collect();
    let about_survey = |s: &&&str| ["調査", "アンケート", "集計"].iter().any(|k| s.contains(k));
    let author = sentences
        .iter()
        .filter(about_survey)
        .find_map(|s| author_in(s))
        .or_else(|| sentences.iter().find_map(|s| author_in(s)))
        .or_else(|| named_in_survey_sentences(&sentences));
    let within_prefecture = sentences.iter().any(|s| opens_prefecture_part(s));
    // `京都の医療機関(歯科除く)は377の回答があり`: the named prefecture's part.
    let named_part = sentences
        .iter()
        .find_map(|s| prefecture_part().captures(s))
        .and_then(|c| prefecture_area(&c["pref"]));
    let unsure = |why: &str| {
        Some(ReportArea::Unsure(format!(
            "{}: {why}; its figures are left out",
            meta.url
        )))
    };
    let known = |(c, n): (String, String)| Some(ReportArea::Known(c, n));
    match author {
        Some(Author::National) if within_prefecture => {
            match home_area(lines, meta).or(named_part) {
                Some((c, n)) => Some(ReportArea::PrefecturePart(c, n)),
                None => unsure(
                    "results of 保団連's survey within one prefecture, but no prefecture is named",
                ),
            }
        }
        Some(Author::National) => known(national()),
        Some(Author::Prefecture(c, n)) => known((c, n)),
        Some(Author::Own) => {
            if let Some(a) = host_author(&meta.url) {
                return known(a);
            }
            if let Some(a) = home_area(lines, meta) {
                return known(a);
            }
            // The old rule for pages of 東京保険医協会 copied elsewhere: `協会` counting
            // `都内` institutions.
            let tokyo = lines
                .iter()
                .any(|l| l.clean.contains("協会") && l.clean.contains("都内"));
            if tokyo {
                if let Some(a) = prefecture_area("東京都") {
                    return known(a);
                }
            }
            let names_national = sentences
                .iter()
                .any(|s| s.contains("保団連") || s.contains("全国保険医団体連合会"));
            if names_national {
                known(national())
            } else {
                unsure("the survey's author is written as its own association (`当会`, `協会は`) but no association or site names it")
            }
        }
        None => host_author(&meta.url).and_then(known),
    }
}

/// A category line: `・資格情報が無効 54.3%`, `有効期限切れ … 12.0%`, `●表示 9.8%`
/// (`●` is part of that label: names shown with ● for 外字), a ranked item with its
/// share in brackets (`1位 資格情報が無効(65.2%)`), or a table row with its count
/// before the share (`資格情報が無効 269件 65.2%`, `…10割請求 1291件(23.5%)`,
/// `「無効・該当資格なし」と表示された:2546件(64.8%)`).
fn category(clean: &str) -> Option<(String, Number)> {
    static CAT: OnceLock<Regex> = OnceLock::new();
    static COUNTED: OnceLock<Regex> = OnceLock::new();
    const MARKER: &str = r"^(?:[・○◆■\-]|\(\d+\)|\d+[.)]|第?\d+位|[①-⑳])?\s*";
    let c = re(
        &CAT,
        &format!(
            r"{MARKER}(?P<label>[^0-9%]+?)[\s:：…・.|]*(?:[0-9,]+\s*(?:件|医療機関|施設)?(?:\s+\(?|\()|\()?(?P<pct>[0-9]+(?:\.[0-9]+)?%)\)?(?:\s*\(?[0-9,]+(?:件|医療機関)\)?)?$"
        ),
    );
    let counted = re(
        &COUNTED,
        &format!(
            r"{MARKER}(?P<label>.+?)\s*[:：]?\s*[0-9,]+(?:件|医療機関)\s*\(?(?P<pct>[0-9]+(?:\.[0-9]+)?%)\)?$"
        ),
    );
    // A table row with its cells between bars (`| 資格情報が無効 | 269 | 65.2% |`,
    // `資格情報が無効|3,801|52.0%`).
    let row = clean
        .trim()
        .trim_matches('|')
        .split('|')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let clean = row.trim();
    let m = c.captures(clean).or_else(|| counted.captures(clean))?;
    let label = m["label"].trim().trim_end_matches('(').trim_end();
    // `・「保険者情報が正しく反映されない」 68%`: the label inside its quotes.
    let label = label
        .strip_prefix('「')
        .and_then(|l| l.strip_suffix('」'))
        .filter(|l| !l.contains(['「', '」']))
        .unwrap_or(label)
        .to_string();
    let not_a_category = [
        "トラブルがあった",
        "トラブルあり",
        "トラブルなし",
        "トラブルを経験",
    ];
    if label.is_empty() || not_a_category.iter().any(|k| label.contains(k)) {
        return None;
    }
    // The share the regex matched, not a `10割` in the label.
    let share = mynawatch_ja::find_numbers(&m["pct"]).into_iter().next()?;
    Some((label, share))
}

/// A line that leads into a list of troubles in any words (`主なトラブル例としては、`,
/// `起きたトラブルは次のとおり:`): it speaks of trouble, states no share and ends as a
/// lead-in does. The list is read only while its lines are `label … share` items.
fn leads_into_list(c: &str) -> bool {
    let t = c.trim_end();
    let whole = t.contains("トラブル")
        && !t.contains('%')
        && (t.ends_with(['、', ':', '：'])
            || ["は", "とおり", "通り", "以下", "次"]
                .iter()
                .any(|k| t.trim_end_matches(['。', 'で', 'す']).ends_with(k)));
    whole || ends_leading_in(t)
}

/// The line's last clause leads into a list, after shares of its own (`「あった」との回答は
/// 73.7%で、トラブルの内容は次のとおりでした。`).
fn ends_leading_in(c: &str) -> bool {
    let body = c.trim_end().trim_end_matches('。');
    let last = body.rsplit(['、', '。']).next().unwrap_or(body);
    let stem = ["でした", "です", "となりました", "となっています"]
        .iter()
        .find_map(|k| last.strip_suffix(k))
        .unwrap_or(last);
    last.contains("トラブル")
        && !last.contains('%')
        && ["とおり", "通り", "以下", "次"]
            .iter()
            .any(|k| stem.ends_with(k))
}

/// The header of a table comparing this survey with the one before (`今回(2025年)
/// 前回(2024年)`): whether this survey's column comes first.
fn comparing_columns(c: &str) -> Option<bool> {
    let (now, before) = (c.find("今回")?, c.find("前回")?);
    (!c.contains('%')).then_some(now < before)
}

/// A row of a comparison table: `●が出る 73.9% 62.8%` → (label, this survey's share, the
/// earlier one's), by the columns' order.
fn compared_row(c: &str, this_first: Option<bool>) -> Option<(String, Number, Number)> {
    static ROW: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &ROW,
        r"^(?:[・○◆■\-]\s*)?(?P<label>[^0-9%]+?)\s*(?P<a>[0-9]+(?:\.[0-9]+)?%)\s*(?P<b>[0-9]+(?:\.[0-9]+)?%)$",
    )
    .captures(c.trim())?;
    let share = |k: &str| mynawatch_ja::find_numbers(&r[k]).into_iter().next();
    let (a, b) = (share("a")?, share("b")?);
    let label = r["label"].trim().to_string();
    if this_first? {
        Some((label, a, b))
    } else {
        Some((label, b, a))
    }
}

/// One cell of a comparison table: a count, a share, or both (`287(71.4%)`).
#[derive(Debug, Clone)]
struct Cell {
    count: Option<Number>,
    share: Option<Number>,
}

/// A row of a table comparing this survey with the one before, whatever its cells hold:
/// `回答医療機関数 402 455`, `トラブルあり 287(71.4%) 301(66.2%)`, `「●が出る」 68.6%
/// 49.2%`, `10割負担(件数) 35件 22件` → (label, this survey's cell, the earlier one's).
fn compared_cells(c: &str, this_first: bool) -> Option<(String, Cell, Cell)> {
    static ROW: OnceLock<Regex> = OnceLock::new();
    const CELL: &str =
        r"[0-9][0-9,]*(?:\.[0-9]+)?(?:%|件|医療機関|人)?(?:\([0-9]+(?:\.[0-9]+)?%\))?";
    let r = re(
        &ROW,
        &format!(r"^(?:[・○◆■\-]\s*)?(?P<label>.*?[^0-9%\s.,])\s*(?P<a>{CELL})\s+(?P<b>{CELL})$"),
    )
    .captures(c.trim())?;
    let cell = |k: &str| {
        let found = mynawatch_ja::find_numbers(&r[k]);
        let share = found.iter().find(|n| n.unit == "percent").cloned();
        let count = found.into_iter().find(|n| n.unit != "percent");
        Cell { count, share }
    };
    let label = r["label"].trim().to_string();
    if label.contains('%') {
        return None;
    }
    let (a, b) = (cell("a"), cell("b"));
    Some(if this_first {
        (label, a, b)
    } else {
        (label, b, a)
    })
}

/// One cell of a comparison table's row, read by the row's label: the count that answered
/// (`回答医療機関数`), the yes row's count and share (`トラブルあり`), the 10割 cases, or a
/// kind of trouble's share (`「●が出る」`). `basis` marks the earlier survey's column.
fn push_compared(
    b: &mut Builder<'_>,
    label: &str,
    cell: &Cell,
    l: &Line,
    scope: &Scope,
    basis: &str,
) {
    let with_basis = |dims: String| match (dims.is_empty(), basis.is_empty()) {
        (_, true) => dims,
        (true, false) => basis.to_string(),
        (false, false) => format!("{dims}|{basis}"),
    };
    let answer = label
        .trim_start_matches("トラブル")
        .trim_start_matches(['が', 'は', 'の']);
    let yes =
        ["あった", "あり", "ある", "有り", "有"].contains(&answer) || answer.starts_with("経験");
    if label.contains("回答") && !label.contains('率') && !label.starts_with(['無', '未']) {
        if let Some(n) = &cell.count {
            b.push(
                "survey.institutions_responding",
                with_basis(String::new()),
                n,
                l,
                scope,
            );
        }
    } else if yes {
        if let Some(n) = &cell.count {
            b.push(
                "survey.institutions_with_trouble",
                with_basis(String::new()),
                n,
                l,
                scope,
            );
        }
        if let Some(n) = &cell.share {
            b.push(
                "survey.trouble_rate",
                with_basis(String::new()),
                n,
                l,
                scope,
            );
        }
    } else if label.contains("10割") {
        if let Some(n) = cell.count.as_ref().filter(|n| n.unit == "count") {
            b.push(
                "survey.full_charge_cases",
                with_basis(String::new()),
                n,
                l,
                scope,
            );
        }
    } else if let (Some(n), None, true) = (&cell.share, &cell.count, label.starts_with('「')) {
        // (Only a quoted kind: `マイナ保険証の利用率 35.2% 28.1%` is another question's.)
        let kind = label.trim_matches(['「', '」']);
        let negative = ["なかった", "なし", "ない", "無回答"]
            .iter()
            .any(|k| kind.contains(k));
        if !negative && !kind.is_empty() {
            b.push(
                "survey.trouble_category_rate",
                with_basis(format!("category={kind}")),
                n,
                l,
                scope,
            );
        }
    }
}

/// The periods a comparison table's header gives its columns (`今回(2025年9~10月)
/// 前回(2024年8~9月)`): this survey's and the earlier one's, each read in its own cell.
fn column_periods(c: &str, year: Option<i32>) -> (When, When) {
    let (Some(now), Some(before)) = (c.find("今回"), c.find("前回")) else {
        return (When::Unknown, When::Unknown);
    };
    let cell = |at: usize| {
        let end = if at == now.min(before) {
            now.max(before)
        } else {
            c.len()
        };
        previous_period(c, at..end, year)
    };
    (cell(now), cell(before))
}

/// A table's total row: `合計 206 100%`, `計 206`.
fn total_row(c: &str) -> Option<Number> {
    static TOTAL: OnceLock<Regex> = OnceLock::new();
    let t = re(
        &TOTAL,
        r"^(?:合計|計|総計)\s*(?P<n>[0-9][0-9,]*)\s*(?:件|医療機関|施設|人)?\s*(?:\(?100(?:\.0)?%\)?)?$",
    )
    .captures(c.trim())?;
    mynawatch_ja::find_numbers(&t["n"]).into_iter().next()
}

/// A line of a table's column names only: `件数 割合`, `回答数 構成比(%)`.
fn is_column_header(c: &str) -> bool {
    const COLUMNS: [&str; 13] = [
        "件数",
        "割合",
        "回答数",
        "構成比",
        "医療機関数",
        "比率",
        "%",
        "(%)",
        "N",
        "内容",
        "項目",
        "選択肢",
        "区分",
    ];
    // (Cells may stand between bars: `項目|件数|割合`.)
    let words: Vec<&str> = c
        .split(|ch: char| ch.is_whitespace() || ch == '|')
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty() && words.iter().all(|w| COLUMNS.contains(w))
}

/// The number in `column` of a table's yes row (`ある 22 57` under `医療機関数 件数`).
fn yes_row_cell(c: &str, columns: &[String], column: &str) -> Option<Number> {
    // (Spaces before a figure may have been closed up: `ある22 57`.)
    let rest = ["あった", "ある", "あり", "はい"]
        .iter()
        .find_map(|a| c.strip_prefix(a))?;
    let values: Vec<&str> = rest.split_whitespace().collect();
    let at = columns.iter().position(|k| k == column)?;
    if values.len() != columns.len() {
        return None;
    }
    let n = mynawatch_ja::find_numbers(values[at]).into_iter().next()?;
    (n.span.len() == values[at].len()).then_some(n)
}

/// Headers that open a list of trouble categories.
const CATEGORY_HEADERS: [&str; 8] = [
    "内訳",
    "主なトラブル",
    "トラブルの内容",
    "トラブル内容",
    "トラブルの主な内容",
    "トラブルの種類",
    "トラブル事例",
    "トラブル率",
];

/// `c` tells what was done about trouble or what is thought or asked (`どう対応したか`,
/// `保険証の廃止に反対`, `…を求める`), not a kind of trouble; unlike [`is_other_topic`], a
/// kind's own words (`負担割合の相違`) are no such sign.
fn of_what_was_done_or_thought(c: &str) -> bool {
    DONE_OR_THOUGHT
        .iter()
        .chain(&["求め", "ほしい", "望む"])
        .any(|k| c.contains(k))
}

/// Words of what was done about trouble or what is thought of the card (`対応`, `の際`,
/// `反対`, `べき`): another question than which trouble there was.
const DONE_OR_THOUGHT: [&str; 9] = [
    "対応",
    "対処",
    // `トラブルの際、「保険証で確認した」が35%`: what was done, not what went wrong.
    "の際",
    // `…できない理由は「…」が85%`: why, another question.
    "理由",
    "意見",
    "賛成",
    "反対",
    // `保険証のあり方では「存続すべき」が52%`: an opinion.
    "べき",
    "あり方",
];

/// A short heading of the kinds of trouble in other words (`■トラブルの中身ランキング
/// (複数回答)`, `多かったトラブル`): trouble and a word of kinds or ranking, no figure.
fn kinds_heading(c: &str) -> bool {
    // (Not of another question: `■トラブル時の対応ランキング`.)
    !is_other_topic(c)
        && c.chars().count() <= 30
        && c.contains("トラブル")
        && !c.contains('%')
        && !c.contains('。')
        && ["中身", "ランキング", "順位", "種類", "多かった", "多い"]
            .iter()
            .any(|k| c.contains(k))
}

/// A quoted label in a sentence of trouble contents: `「資格情報が無効」`, with the display
/// verb that finishes its words (`「●」と表示された`, `「無効」と出た`).
struct Quote {
    start: usize,
    /// After the closing `」` or the display verb.
    end: usize,
    label: String,
}

/// The quoted labels of `s` that name a kind of trouble: not an answer (`「あった」`,
/// `「特にない」`), which is the trouble share's.
fn trouble_quotes(s: &str) -> Vec<Quote> {
    static Q: OnceLock<Regex> = OnceLock::new();
    static ANSWER: OnceLock<Regex> = OnceLock::new();
    let q = re(
        &Q,
        r"「(?P<inner>[^「」]{1,60})」(?P<verb>と(?:表示|表記)され(?:た|る)|と(?:出|で)(?:た|る))?",
    );
    let answer = re(
        &ANSWER,
        r"^(?:トラブル(?:が|は)?)?(?:あった|ある|あり|なし|ない|なかった|特にない|特になし|経験(?:した|あり|がある|なし|していない)?|発生した)$",
    );
    q.captures_iter(s)
        .filter(|c| !answer.is_match(c["inner"].trim()))
        .map(|c| {
            let whole = c.get(0).expect("match");
            let label = if c.name("verb").is_some() {
                whole.as_str().to_string()
            } else {
                c["inner"].trim().to_string()
            };
            Quote {
                start: whole.start(),
                end: whole.end(),
                label,
            }
        })
        .collect()
}

/// Who chose a label: `「…」を挙げた医療機関が`, `「…」と回答したのは`, `「…」との回答が`.
const CHOOSER: &str = r"(?:を(?:挙げ|選択し|選ん)(?:た|だ)|と(?:回答し|答え)た|との回答)";

/// The words between a label and the share it has, label first: a particle
/// (`「…」が56%`, `「…」は、56%`), a bracket (`「…」(44%)`), a ranking (`が最多で`,
/// `が最も多く`) or who chose it (`を挙げた医療機関が`, `との回答が`); nothing else
/// (`「義務化」には反対約7割` is another question's).
fn links_label_to_share(gap: &str) -> bool {
    static L: OnceLock<Regex> = OnceLock::new();
    re(
        &L,
        &format!(
            r"^(?:の?(?:ケース|事例))?(?:{CHOOSER}(?:医療機関|施設|会員|の)?)?(?:が|は|で|の|も|:)?、?(?:最多の|最多で|最も多く|最も多い|トップの|トップで|一番多く|全体の)?\s*(?:(?:約|およそ)?(?:[0-9x]+分の[0-9x]+|[0-9x]+割|半数)(?:近く|超|弱|強|以上)?\()?\(?$"
        ),
    )
    .is_match(gap)
}

/// The words between a share and its label, share first: `56%が「…」`,
/// `56.2%の医療機関が「…」`, `56%で「…」`.
fn links_share_to_label(gap: &str) -> bool {
    static L: OnceLock<Regex> = OnceLock::new();
    re(
        &L,
        r"^(?:\([0-9,]+件\))?も?(?:の(?:医療機関|施設|回答者?|会員))?(?:が|で|は)、?$",
    )
    .is_match(gap)
}

/// What may follow a label its share stands before: an answer (`と回答`, `を挙げ`), the
/// clause's end, or the next item; `「便利」だとして` is an opinion, no category.
fn ends_chosen_label(after: &str) -> bool {
    static E: OnceLock<Regex> = OnceLock::new();
    after.is_empty()
        || re(
            &E,
            r"^(?:と(?:回答|答え)|を(?:挙げ|選|経験)|、|。|など|などと|だった|でした|$)",
        )
        .is_match(after)
}

/// A share taken among the institutions that had trouble: the sentence opens on them
/// (`そのうち`, `その中で`) right after the trouble share, or names them first (`「あった」と
/// 回答した65.1%の医療機関の中で、…`).
fn among_the_troubled(s: &str, after_trouble_share: bool) -> bool {
    static AMONG: OnceLock<Regex> = OnceLock::new();
    let opens = ["そのうち", "その中で", "このうち", "うち"]
        .iter()
        .any(|k| s.trim_start().starts_with(k));
    (after_trouble_share && opens)
        || re(
            &AMONG,
            // (Not `トラブルがあったかを尋ねた310医療機関のうち`: all who were asked.)
            r"(?:「あった」|トラブル[^。、]{0,8}?(?:あった|経験した))(?:[^。か][^。]{0,23}?)?(?:の中で|のうち)",
        )
        .is_match(s)
}

/// A label that names something going wrong (`資格情報が無効と表示された`, `顔認証ができない`,
/// `カードリーダーの不具合`), not an opinion, a wish, a response or a frequency (`今後も混乱が
/// 続く`, `保険証を残してほしい`, `保険証で確認した`, `ほぼ毎日ある`). Asked of labels read
/// by the weaker links only (one label among those with trouble, a share with `も`).
fn names_a_fault(label: &str) -> bool {
    const FAULT: [&str; 26] = [
        "無効",
        "読み取れ",
        "読み取り",
        "読取",
        "エラー",
        "不具合",
        "期限切れ",
        "切れていた",
        "切れている",
        "●",
        "黒丸",
        "認証",
        "接続",
        "反映されな",
        "誤表示",
        "誤って",
        "相違",
        "紐づけ",
        "紐付け",
        "該当なし",
        "該当資格なし",
        "できない",
        "できなかった",
        "故障",
        "間違",
        "誤り",
    ];
    // (Not a wish or a request, `…を延長してほしい`, `…を求めた`, `…を望む`; nor the
    // presence of trouble itself, `…トラブルや不具合がある`, which is the trouble share's.)
    const NOT: [&str; 5] = ["ほしい", "求め", "望", "べき", "わからない"];
    let presence =
        label.contains("トラブル") && (label.ends_with("ある") || label.ends_with("あった"));
    FAULT.iter().any(|k| label.contains(k)) && !NOT.iter().any(|k| label.contains(k)) && !presence
}

/// The clause that holds both a label and its share speaks of another question
/// (`トラブルの対応方法の75%が「保険証で確認」`).
fn pair_of_other_topic(s: &str, from: usize, to: usize) -> bool {
    let start = s[..from]
        .rfind(['、', '。'])
        .map_or(0, |i| i + '、'.len_utf8());
    is_other_topic(&s[start..to])
}

/// The first share after `from`, before `to`: a percent, or a count with its share in
/// brackets (`158件(31%)`); with the start of the words that lead to it.
fn share_after(s: &str, from: usize, to: usize) -> Option<(usize, Number)> {
    let nums = mynawatch_ja::find_numbers(&s[from..to]);
    let first = nums.first()?;
    let at = from + first.span.start;
    // `5割超(52.6%)`: the exact share in brackets after a rough one.
    let exact = nums.get(1).filter(|n| {
        n.unit == "percent"
            && (first.text.contains('割') || first.qualifier.is_some())
            && s[from + first.span.end..from + n.span.start].trim() == "("
    });
    let pct = if let (true, Some(e)) = (first.unit == "percent", exact) {
        e.clone()
    } else if first.unit == "percent" {
        first.clone()
    } else if first.unit == "count" {
        nums.get(1)
            .filter(|n| {
                n.unit == "percent" && s[from + first.span.end..from + n.span.start] == *"("
            })?
            .clone()
    } else {
        return None;
    };
    let mut n = pct;
    n.span = from + n.span.start..from + n.span.end;
    Some((at, n))
}

/// Categories with quoted labels in prose, each share paired with its label by the words
/// between them, in either order: `「資格情報が無効」50.9%`, `「●が出る」が最多で56.8%`,
/// `「名前や住所で旧字体が表示されない」が158件(31%)`, `「読み取りエラー」(44%)`,
/// `「…」を挙げた医療機関が42%`, or share first: `53%が「受付混雑」`,
/// `56%の医療機関が「…」と表示されたと答え`. The order that pairs more shares wins; a
/// share or a label is used once. Returns (label, number).
fn quoted_categories(s: &str) -> Vec<(String, Number)> {
    let quotes = trouble_quotes(s);
    let next_quote = |at: usize| {
        quotes
            .iter()
            .find(|q| q.start >= at)
            .map_or(s.len(), |q| q.start)
    };
    let label_first: Vec<(String, Number)> = quotes
        .iter()
        // `患者情報が「●」で表示された`, `情報が古いままで「資格なし」と出る`: a quote
        // inside a clause is not the whole label.
        .filter(|q| {
            // (An adverb before the quote opens no clause: `特に「…」は38.7%`.)
            let before = &s[..q.start];
            let before = ["特に", "とりわけ", "中でも", "なかでも"]
                .iter()
                .find_map(|k| before.strip_suffix(k))
                .unwrap_or(before);
            !before.ends_with(['が', 'を', 'に', 'の'])
                && (!q.label.starts_with('「')
                    || before.is_empty()
                    || before.ends_with(['、', '。', 'は', ':']))
        })
        .filter_map(|q| {
            let (at, n) = share_after(s, q.end, next_quote(q.end))?;
            let gap = &s[q.end..at];
            // (`「…」も25%`: only a fault, `も` joins any answer to the one before.)
            let after_case = gap.strip_prefix('の').unwrap_or(gap);
            let also = ["ケース", "事例"]
                .iter()
                .find_map(|k| after_case.strip_prefix(k))
                .unwrap_or(after_case)
                .starts_with('も');
            (links_label_to_share(gap)
                && !pair_of_other_topic(s, q.start, n.span.end)
                && (!also || names_a_fault(&q.label)))
            .then(|| (q.label.clone(), n))
        })
        .collect();
    let shares = mynawatch_ja::find_numbers(s);
    let share_first: Vec<(String, Number)> = shares
        .iter()
        .filter(|n| n.unit == "percent")
        .filter_map(|n| {
            let q = quotes.iter().find(|q| q.start >= n.span.end)?;
            let gap = &s[n.span.end..q.start];
            // (`43.0%もの医療機関が「…」`: only a fault, as with `「…」も`.)
            (links_share_to_label(gap)
                && ends_chosen_label(&s[q.end..])
                && !pair_of_other_topic(s, n.span.start, q.end)
                && (!gap.starts_with('も') || names_a_fault(&q.label)))
            .then(|| (q.label.clone(), n.clone()))
        })
        .collect();
    let pairs = if share_first.len() > label_first.len() {
        share_first
    } else {
        label_first
    };
    pairs
        .into_iter()
        .filter(|(_, n)| !is_full_charge(n))
        .collect()
}

/// Categories written without brackets in a sentence about trouble categories, their
/// label before `が` / `は` (`有効期限切れは31%`, `マイナンバーカードの有効期限切れが、26件
/// (35.1%)`, `…では患者情報が「●」で表示されたケースが65%`). The label runs back to the
/// clause's start (a `、`, `。`, or a topic `…では`), without a leading adverb (`既に`) or a
/// trailing `ケース` / `事例`. Not an answer (`あった`, `特にない`), not the trouble share.
fn plain_categories(s: &str) -> Vec<(String, Number)> {
    static P: OnceLock<Regex> = OnceLock::new();
    // Also `…多かったのは、資格情報の無効表示(52%)、…`: the share in brackets after its label.
    let p = re(
        &P,
        r"(?:が|は)、?\s*(?:[0-9,]+件\s*\()?(?:約|およそ)?[0-9]+(?:\.[0-9]+)?%|\([0-9]+(?:\.[0-9]+)?%\)|で、?[0-9]+(?:\.[0-9]+)?%",
    );
    let mut out = Vec::new();
    for m in p.find_iter(s) {
        let head = &s[..m.start()];
        if head.ends_with(['」', ')']) || head.is_empty() {
            continue;
        }
        let start = head.rfind(['、', '。', ':']).map_or(0, |i| {
            i + head[i..].chars().next().map_or(1, char::len_utf8)
        });
        let mut label = &head[start..];
        // `トラブルの内容は有効期限切れが31%`: the lead-in before `は` is no part of the label.
        // (After `…のは`, a share after `で` is read below.)
        if let Some(i) = label.rfind('は').filter(|_| !m.as_str().starts_with('で')) {
            let lead = &label[..i];
            if ["トラブル", "内容", "内訳"]
                .iter()
                .any(|k| lead.contains(k))
            {
                label = &label[i + 'は'.len_utf8()..];
            }
        }
        // `最も多いのは資格情報の無効表示で56%`: a share after `で` only names what comes
        // after `…のは`.
        if m.as_str().starts_with('で') {
            let Some(i) = label.rfind("のは") else {
                continue;
            };
            label = &label[i + "のは".len()..];
        }
        for topic in ["では", "には", "として"] {
            if let Some(i) = label.rfind(topic) {
                label = &label[i + topic.len()..];
            }
        }
        // `2024年2~4月におけるマイナ保険証の有効期限切れトラブル`: the time the troubles
        // happened in is no part of their kind.
        for when in ["における", "での", "の間の", "に起きた"] {
            if let Some(i) = label.rfind(when) {
                if label[..i].chars().any(|c| c.is_ascii_digit()) {
                    label = &label[i + when.len()..];
                }
            }
        }
        label = label.trim_start_matches(['・', '-', ' ']);
        for adverb in [
            "このうち",
            "そのうち",
            "既に",
            "すでに",
            "また",
            "さらに",
            "特に",
            "なお",
            "次いで",
            "続いて",
            "それから",
            "それに",
        ] {
            label = label.trim_start_matches(adverb);
        }
        for tail in ["のケース", "ケース", "の事例", "事例", "もの"] {
            label = label.strip_suffix(tail).unwrap_or(label);
        }
        // `…を読み取れないトラブルが約47%`: the trouble named before the word; not `何らか
        // のトラブル`, which names none.
        if let Some(named) = label.strip_suffix("トラブル") {
            if !named.ends_with('の') && named.chars().count() >= 4 {
                label = named;
            }
        }
        // `有効期限切れのトラブルがあった医療機関は38.7%`: the share of those with one kind.
        let label = ["のトラブルがあった", "のトラブルを経験した"]
            .iter()
            .find_map(|k| {
                let kind = label.split_once(k)?.0;
                let whom = &label[kind.len() + k.len()..];
                (["医療機関", "施設", "会員"].contains(&whom) && names_a_fault(kind))
                    .then_some(kind)
            })
            .unwrap_or(label);
        let label = label.trim();
        let not_a_category = [
            "トラブル",
            "あった",
            "なかった",
            "割合",
            // The lead-in itself (`内容は、33%で…`).
            "内容",
            "内訳",
            "回答",
            // `…と答えたのは44%`: an answer to another question.
            "答え",
            "利用率",
            "負担",
            "前回",
            "今回",
            "全体",
            "医療機関",
            "施設",
            // Who answered (`医科診療所が68.0%`, `病院が2.4%`), not a kind of trouble.
            "診療所",
            "病院",
            "薬局",
            // A rough share before the exact one (`「…」が3分の2近く(64.1%)`).
            "分の",
            "半数",
            "近く",
        ];
        // An answer of none (`特にない`), not a trouble that did not work (`読み取れない`).
        // (A pronoun, `これが47.7%`, names its kind in words before it: not read.)
        let pronoun = ["これ", "それ", "こちら", "そちら"].contains(&label);
        let none = pronoun
            || ["ない", "なし", "特にない", "特になし"].contains(&label)
            || label.ends_with("はない")
            || label.ends_with("はなし");
        // A ranking word (`最多が77.0%の「…」`), which names the label after it; not a word
        // that holds one (`デスクトップ端末の不具合`).
        let ranking = ["最多", "最も多", "一番多", "トップ"]
            .iter()
            .any(|k| label.starts_with(k));
        if none
            || ranking
            || label.chars().count() < 2
            || label.chars().count() > 40
            || label.chars().any(|c| c.is_ascii_digit() || c == '%')
            || not_a_category.iter().any(|k| label.contains(k))
        {
            continue;
        }
        let Some(n) = numbers_in(s, m.range()).find(|n| n.unit == "percent") else {
            continue;
        };
        out.push((label.to_string(), n));
    }
    out
}

/// Kinds of fault told as what the institutions reported, without a quoted label: share
/// first (`13.3%に当たる370施設が、…の負担割合に相違があったと報告`) or the institutions
/// first (`…の負担割合に「相違があった」と答えた医療機関が16.1%`). The label is the fault's
/// clause from its last `の` (`負担割合に相違`), the whole clause when that part is short;
/// only a fault (`names_a_fault`), never the presence of trouble itself.
fn reported_faults(s: &str) -> Vec<(String, Number)> {
    static SHARE_FIRST: OnceLock<Regex> = OnceLock::new();
    static WHO_FIRST: OnceLock<Regex> = OnceLock::new();
    const FAULT: &str = r"(?P<what>[^。、]{2,80}?)が?「?(?:あった|生じた|発生した)」?";
    const SHARE: &str = r"(?P<pct>[0-9]+(?:\.[0-9]+)?%)";
    let share_first = re(
        &SHARE_FIRST,
        &format!(
            r"{SHARE}(?:に(?:当|あ)たる[0-9,]+(?:医療機関|施設|機関))?(?:の(?:医療機関|施設))?が、?{FAULT}と(?:報告|回答|答え)"
        ),
    );
    let who_first = re(
        &WHO_FIRST,
        &format!(
            r"{FAULT}と(?:回答し|答え)た(?:医療機関|施設|会員)(?:\([^)]*\))?(?:が|は)、?{SHARE}"
        ),
    );
    let mut out = Vec::new();
    for caps in share_first
        .captures_iter(s)
        .chain(who_first.captures_iter(s))
    {
        let (Some(what), Some(pct)) = (caps.name("what"), caps.name("pct")) else {
            continue;
        };
        // (`「…」「…」といったトラブルがあった`, `「トラブル・不具合があった」`: trouble
        // itself, the trouble share's.)
        if what.as_str().contains("トラブル") {
            continue;
        }
        let clause = what.as_str().replace(['「', '」'], "");
        let label = clause
            .rsplit_once('の')
            .map(|(_, tail)| tail)
            .filter(|tail| tail.chars().count() >= 4)
            .unwrap_or(&clause);
        if !names_a_fault(label) || label.contains('%') {
            continue;
        }
        let Some(n) = numbers_in(s, pct.range()).find(|n| n.unit == "percent") else {
            continue;
        };
        out.push((label.to_string(), n));
    }
    out
}

/// `あった 119件 71.7%`, `はい 119(71.7%)`: the yes-answer line of a question about trouble.
fn yes_answer_line() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        // (A count stands apart from the share, by a space or a bracket: `あった 67.3%` is
        // no count 6 and share 7.3%.)
        r"^(?:[・\-]\s*)?(?:あった|ある|あり|はい|経験した|経験あり)\s*(?:(?P<count>[0-9][0-9,]*\s*(?:件|医療機関|機関|施設|人|院))\s*\(?|(?P<bare>[0-9][0-9,]*)(?:\s+|\s*\())?\(?\s*(?P<pct>[0-9]+(?:\.[0-9]+)?%)\)?$",
    )
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

/// The predicates that say institutions had trouble, in any verb form (plain, polite,
/// passive, progressive, `である`): `あった`/`ありました`, `経験した`/`経験している`,
/// `発生した`/`発生しています`, `起きている`, `生じている`, `報告された`, `見られた`, `遭った`,
/// `確認された`, `続いている`; `ある` only as an answer (`トラブルがあるとした`, `が「ある」`):
/// `トラブルがあるか` is a question, not a predicate.
const TROUBLE_VERB: &str = r"(?:あった|あっ|あり|がある(?:と|医療機関|施設)|が「(?:ある|あった)」|を経験|経験|が発生|発生|が起き|起き|起こ|が生じ|生じ|が報告|を報告|報告|見られ|に遭|遭っ|に見舞われ|見舞われ|が確認され|確認され|が続い|続い)";

/// An affirmative answer to the trouble question, as the survey's choice: `「あった」`,
/// `「ある」`, `「経験した」`, `「トラブルあり」`, or the trouble said to exist in the quote
/// (`「マイナ保険証のトラブルや不具合がある」`; not `「トラブルへの不安がある」`).
const YES_ANSWER: &str = r"「(?:(?:トラブル(?:が|は)?)?(?:あった|ある|あり|経験した|経験がある|経験あり|発生した)|[^」]{0,24}?トラブル(?:や不具合|や不備|・不具合|など)?が(?:ある|あった|あります|ありました))」";

/// Whether `s` states an affirmative answer share: `72.8%が「あった」と回答`,
/// `「あった」が60.2%を占め`, `「あった」との回答は59%`.
fn states_yes_answer(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    // Also an answer and its count in a list (`「あった」7,149医療機関(72.4%)`).
    re(&RE, &format!(r"{YES_ANSWER}(?:が|は|との回答|と(?:回答|答え)|\s*[0-9])|%(?:\([^)]*\))?(?:の医療機関|の施設)?(?:が|は)、?{YES_ANSWER}")).is_match(s)
}

/// A share of another question in its own clause: the usage rate, the burden felt, the
/// opinion on the health insurance card (`利用率が30%未満の医療機関で…トラブル`).
fn is_other_question(before: &str) -> bool {
    let clause = before.rsplit(['、', '。']).next().unwrap_or(before);
    [
        "利用率",
        "回答率",
        "回収率",
        // `有効回答数は11.6%の102件`: a rate of answers.
        "回答数",
        "負担を感じ",
        "反対",
        "賛成",
        "残すべき",
        "存続",
    ]
    .iter()
    .any(|k| clause.contains(k))
}

/// Whether the share `n` of sentence `s` is the share of institutions that had trouble:
/// `65.1%(5493医療機関)でトラブルが発生`, `7割の医療機関で今もトラブルが起きている`,
/// `トラブルあり:3929件(64.8%)`, `「あった」と答えたのは196施設で59%`, and an
/// affirmative answer in a sentence about trouble (`72.8%が「あった」と回答`,
/// `「あった」が60.2%を占め`). Not a negated one (`トラブルは発生していません`), not a share
/// of another question (`利用率30%未満`).
/// A share told for one kind of institution: `医科で72.8%`, `歯科では58.8%`.
fn by_kind_of_institution() -> &'static Regex {
    static KIND: OnceLock<Regex> = OnceLock::new();
    re(
        &KIND,
        r"(?:医科|歯科|病院|診療所|薬局)(?:で|では|は|が)、?\s*[0-9]+(?:\.[0-9]+)?%",
    )
}

/// `全体では95件、69.3%です`, right after the shares of each kind of institution: the
/// whole survey's trouble share, with its count.
fn share_of_the_whole(s: &str) -> Option<(Option<Number>, Number)> {
    static WHOLE: OnceLock<Regex> = OnceLock::new();
    let c = re(
        &WHOLE,
        r"^全体(?:では|で|は)、?\s*(?:(?P<count>[0-9,]+(?:件|医療機関|施設|人))、?\s*\(?)?(?P<pct>[0-9]+(?:\.[0-9]+)?%)\)?(?:です|でした|だった|である|となった|となりました)?。?$",
    )
    .captures(s.trim())?;
    let pct = mynawatch_ja::find_numbers(&c["pct"]).into_iter().next()?;
    let count = c
        .name("count")
        .and_then(|m| mynawatch_ja::find_numbers(m.as_str()).into_iter().next());
    Some((count, pct))
}

fn is_trouble_share(s: &str, n: &Number, prev_end: usize, next_start: usize) -> bool {
    static AFTER: OnceLock<Regex> = OnceLock::new();
    static BEFORE: OnceLock<Regex> = OnceLock::new();
    // (Also the trouble itself said to exist in a quoted answer, `…の医療機関で「…トラブル
    // や不具合がある」と答え`; not a worry or a manual about it, `「トラブルへの不安がある」`.)
    let after_re = re(
        &AFTER,
        &format!(
            r"^[^。]{{0,60}}?トラブル[^。]{{0,8}}?{TROUBLE_VERB}|^がトラブル\s*$|^[^。、]{{0,12}}「[^」]{{0,40}}?マイナ[^」]{{0,20}}?トラブル(?:や不具合|や不備|・不具合|など)?が(?:ある|あった)」と(?:回答|答え)"
        ),
    );
    let before_re = re(
        &BEFORE,
        &format!(
            r"(?:トラブル[^。]{{0,14}}?{TROUBLE_VERB}|「あった」と(?:回答|答え)[^。]{{0,6}})[^。]{{0,16}}$"
        ),
    );
    static NEGATED: OnceLock<Regex> = OnceLock::new();
    // `72%はトラブルを「経験したことがない」`: the share without trouble.
    let negated = re(
        &NEGATED,
        &format!(
            r"^[^。]{{0,60}}?トラブル[^。]{{0,8}}?{TROUBLE_VERB}[^。]{{0,10}}?(?:ない|なかった|なし|せず|ません)"
        ),
    );
    static WHERE: OnceLock<Regex> = OnceLock::new();
    // `トラブルが7割の医療機関で起きていました`, `トラブルが医療機関の約7割で起きている`.
    let where_re = re(
        &WHERE,
        r"^(?:の医療機関|の施設)?で(?:起き|発生|あっ|見られ|生じ)",
    );
    static YES_AFTER: OnceLock<Regex> = OnceLock::new();
    let yes_after = re(
        &YES_AFTER,
        &format!(r"^(?:\([^)]*\))?(?:の医療機関|の施設)?(?:が|は)、?{YES_ANSWER}と(?:回答|答え)"),
    );
    static YES_BEFORE: OnceLock<Regex> = OnceLock::new();
    let yes_before = re(
        &YES_BEFORE,
        &format!(
            r"{YES_ANSWER}(?:(?:が|は|との回答が|との回答は|と回答したのは|と答えたのは)、?(?:[0-9,]+(?:医療機関|施設|件|人)\s*\()?|\s*[0-9,]+(?:医療機関|施設|件|人)?\s*\()$"
        ),
    );
    static NO_AFTER: OnceLock<Regex> = OnceLock::new();
    // `30.2%が「なかった」と答えた`: the share that answered no.
    let no_after = re(
        &NO_AFTER,
        r"^(?:\([^)]*\))?(?:の医療機関|の施設)?(?:が|は)、?「(?:トラブル(?:は|が)?)?(?:ない|なかった|なし|特にない|経験していない|経験なし|ありません)」",
    );
    let before = &s[prev_end..n.span.start];
    let after = &s[n.span.end..next_start];
    if no_after.is_match(after) {
        return false;
    }
    // `本来は「1割」のはずが「2割」と表示された`: a quoted value, not a survey share.
    let quoted = before.ends_with('「') && after.starts_with('」');
    if n.unit != "percent"
        || quoted
        || is_full_charge(n)
        || is_change(s, n)
        || is_other_question(before)
    {
        return false;
    }
    // `医科で72.8%、歯科で58.8%`: one kind of institution's share, not the survey's.
    if by_kind_of_institution().is_match(&format!("{before}{}", n.text)) {
        return false;
    }
    if yes_after.is_match(after) || yes_before.is_match(before) {
        return true;
    }
    // `トラブルの有無を聞いたところ、71%があったと回答`: an unquoted yes to the question
    // on trouble asked before it.
    static BARE_YES: OnceLock<Regex> = OnceLock::new();
    let bare_yes = re(
        &BARE_YES,
        r"^(?:の医療機関|の施設)?(?:が|は)、?(?:あった|ある|あり|経験した|経験がある)と(?:回答|答え)",
    );
    if bare_yes.is_match(after) && before.contains("トラブル") && !is_negative_answer(before) {
        return true;
    }
    // `トラブルがあったと答えたのは318機関、割合にして61.5%`: the trouble count restated as
    // a share.
    static RESTATED: OnceLock<Regex> = OnceLock::new();
    if re(
        &RESTATED,
        &format!(
            r"トラブル[^。]{{0,12}}?{TROUBLE_VERB}[^。]{{0,20}}?[0-9,]+(?:医療機関|機関|施設|件|人)、\s*(?:その)?(?:割合|率)(?:にして|は|で)、?\s*$"
        ),
    )
    .is_match(before)
    {
        return true;
    }
    // `運用しているのは回答の88%で、そのうち「トラブルがあった」は73%`: the base the
    // trouble share is taken from, not the trouble share.
    // (`トラブルがあったのは全体の64.8%で、このうち…` is the trouble share, its words before it.)
    if after
        .split("トラブル")
        .next()
        .is_some_and(|gap| gap.contains("うち"))
        && !before_re.is_match(before)
    {
        return false;
    }
    !negated.is_match(after)
        && !is_negative_answer(before)
        && !before.trim_end().ends_with(['」', '」'])
        && !before.ends_with("」が")
        && (after_re.is_match(after)
            || before_re.is_match(before)
            || (before.contains("トラブル") && where_re.is_match(after))
            || reaches_share_of_respondents(before, after))
}

/// `資格確認のトラブルは回答医療機関の65%に及んだ`: trouble of any kind reaching a share of
/// those who answered; not one kind of it (`有効期限切れトラブルは31%に達し`).
fn reaches_share_of_respondents(before: &str, after: &str) -> bool {
    let Some(at) = before.rfind("トラブル") else {
        return false;
    };
    let head = &before[..at];
    let any_kind = head.is_empty() || head.ends_with(['の', '、', '。', 'は', ' ']);
    any_kind
        && before[at..].contains("回答")
        && ["に及ん", "に上っ", "にのぼっ", "に達し"]
            .iter()
            .any(|k| after.starts_with(k))
}

struct Builder<'a> {
    meta: &'a SnapshotMeta,
    status: FigureStatus,
    /// How the report's period and area were decided (for each figure's evidence).
    period_why: &'static str,
    area_why: &'static str,
    figures: Vec<Figure>,
    /// Figures left out because their area could not be told.
    dropped: usize,
}

impl Builder<'_> {
    fn push(&mut self, metric: &str, dims: String, n: &Number, l: &Line, scope: &Scope) {
        let Some(value) = n.value else { return };
        if scope.area_code.is_empty() {
            // The area could not be told (see `ReportArea::Unsure`).
            self.dropped += 1;
            return;
        }
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
        let evidence = self.evidence(metric, &dims, scope);
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
            evidence,
            provenance: self.meta.provenance(&l.locator, &l.raw),
        });
    }

    /// How a figure was read: the rule of its metric, and why its period and area are
    /// what they are (a quoted or earlier survey keeps its own).
    fn evidence(&self, metric: &str, dims: &str, scope: &Scope) -> String {
        let how = match metric {
            "survey.institutions_responding" => "a count of replies (回答)",
            "survey.trouble_rate" => "the share that had trouble",
            "survey.institutions_with_trouble" => "the count that had trouble",
            "survey.trouble_category_rate" => "a kind of trouble with its share",
            "survey.full_charge_cases" => "cases charged in full (10割)",
            _ => "a survey figure",
        };
        let (period, area) = if dims.contains("basis=previous_survey") {
            ("the earlier survey's own period", self.area_why)
        } else if scope.area_code == "000000" && self.area_why != "保団連's national survey" {
            (
                "the report's",
                "保団連's national figure quoted in the report",
            )
        } else {
            (self.period_why, self.area_why)
        };
        serde_json::json!({ "how": how, "period": period, "area": area }).to_string()
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
        // `7割`, `約65%` or `半数超` first, then `70.1%` / `64.8%` / `54.1%` (a bound is
        // refined only by a value on its side).
        // (`半数超` spans up to the next 割.)
        let near = match old.qualifier {
            Some(Qualifier::Over | Qualifier::AtLeast) => (was..=was + 10.0).contains(&value),
            Some(Qualifier::Under | Qualifier::AtMost) => (was - 10.0..=was).contains(&value),
            _ => (was - value).abs() <= 5.0,
        };
        let old_rough = old_text_coarse || old.qualifier.is_some();
        let new_exact = !coarse(&n.text) && n.qualifier.is_none();
        // A headline's whole `71%`, then the body's `71.4%`.
        let rounded = was.fract() == 0.0 && value.fract() != 0.0 && (was - value).abs() <= 0.5;
        return (old_rough && new_exact && near) || (rounded && new_exact);
    }
    // A round count is refined within 2%, or within the rounding its own digits allow
    // (`1万医療機関が回答` → `1万242件の回答`: 1万 stands for 5000 to 14999).
    let mut place = 1.0;
    while was >= place * 10.0 && was % (place * 10.0) == 0.0 {
        place *= 10.0;
    }
    was % 100.0 == 0.0
        && value % 100.0 != 0.0
        && (was - value).abs() <= (0.02 * value).max(place / 2.0)
}

/// The responding institutions: `12,735医療機関にご回答いただき`, `1万519の医療機関から
/// 回答を得た`, `347件の回答があった`, `回答数:10,026医療機関`, `全体回答数:7208件`,
/// `回答数 322`, `回答:39都道府県(43保険医協会・医会)の12,735医療機関`.
fn respondents(s: &str) -> Option<Number> {
    // `回答240件のうち有効回答231件`: the valid answers are the count that answered.
    static VALID: OnceLock<Regex> = OnceLock::new();
    let valid = re(
        &VALID,
        r"有効回答(?:(?:数|件数)(?:は|[:：])?\s*(?P<n>[0-9][0-9,]*)|(?:は|[:：])?\s*(?P<u>[0-9][0-9,]*)\s*(?:件|医療機関|施設|人))",
    );
    // (`有効回答数は349で`: a number of answers needs no unit.)
    // (Not a rate: `有効回答数は11.6%の102件`.)
    if let Some(m) = valid
        .captures(s)
        .and_then(|c| c.name("n").or_else(|| c.name("u")))
        .filter(|m| !s[m.end()..].starts_with(['%', '.']))
    {
        if let Some(n) = numbers_in(s, m.range()).next() {
            return Some(n);
        }
    }
    static AFTER: OnceLock<Regex> = OnceLock::new();
    static LABEL: OnceLock<Regex> = OnceLock::new();
    let after = re(
        &AFTER,
        r"(?P<n>[0-9][0-9,]*(?:[万千][0-9,]*)*)\s*(?:件|医療機関|医療施設|機関|施設|診療所|医院|人|名|カ所|か所|ヶ所|箇所)?(?:の医療機関|の施設)?(?:\([^)]*\))?(?:(?:から|より|の|に|が)?(?:ご)?回答|を回収|が答え)",
    );
    static LEAD: OnceLock<Regex> = OnceLock::new();
    // `回答した75医療機関で`, `回答を得た9741件を集計`, `回答のあった99件のうち`, a slide's
    // `到着した回答 8330 件`, and a bracket after the survey's name (`調査(回答350件)では`);
    // in other words, `調査に答えた9741医療機関`.
    let lead = re(
        &LEAD,
        r"(?:回答(?:した|を得た|のあった|があった|が寄せられた|\s)?|答えた|\(回答(?:数)?[:：]?|回答した(?:医療機関|歯科医院|診療所|施設|会員)(?:数)?は、?)\s*(?:全国の?|県内の?|道内の?|府内の?)?(?P<n>[0-9][0-9,]*(?:[万千][0-9,]*)*)\s*の?(?:件|医療機関|医療施設|機関|施設|歯科医院|医院|診療所|病院)",
    );
    let label = re(
        &LABEL,
        r"(?:全体|有効)?回答(?:数|医療機関数|者数)?[:：]|(?:有効)?回答(?:医療機関数|者数|数)\s*(?:は|[0-9])|回答数|(?:有効)?回答(?:したの|があったの)?は|回答した(?:会員)?(?:医療機関|施設|会員)(?:数)?は|(?:アンケートに|調査に)?答えたのは|回収(?:件数|数)\s*(?:は|[:：])",
    );
    // `…回答数`, `…回答率`, `…回答者` are labels of other numbers (`対象1523 回答数 322`).
    let label_word = |c: &regex::Captures<'_>| {
        let end = c.get(0).map_or(0, |m| m.end());
        s[end..].starts_with(['数', '率', '者'])
    };
    // `問1 回答した施設`: a question's number, not a count.
    let numbering = |c: &regex::Captures<'_>| {
        let start = c.get(0).map_or(0, |m| m.start());
        ["問", "Q", "設問", "第"]
            .iter()
            .any(|k| s[..start].trim_end().ends_with(k))
    };
    if let Some(c) = after
        .captures_iter(s)
        .find(|c| !label_word(c) && !numbering(c))
    {
        let m = c.name("n")?;
        let whole = c.get(0)?;
        // `10026医療機関から回答` but not `41都道府県10026…` read as one number; `約300の
        // 医療機関(304医療機関)から回答`: the exact count in brackets.
        let found = mynawatch_ja::find_numbers(&s[m.start()..whole.end()]);
        let rough = found.first().is_some_and(|f| f.qualifier.is_some())
            || ["約", "およそ", "概ね"]
                .iter()
                .any(|k| s[..m.start()].ends_with(k));
        let bracketed = found
            .get(1)
            .filter(|b| rough && s[m.start()..m.start() + b.span.start].ends_with('('));
        let n = bracketed.or(found.first())?.clone();
        let before = &s[..m.start()];
        if !before.ends_with(['%', '.']) && n.value.is_some_and(|v| v >= 1.0) {
            return Some(n);
        }
    }
    // `「あった」との回答110件`: the count of one answer, not of all that answered.
    // `無回答 3件`: those that gave no answer.
    let one_answer =
        |at: usize| s[..at].ends_with("との") || s[..at].ends_with(['と', '」', '無', '未']);
    if let Some(c) = lead
        .captures_iter(s)
        .find(|c| !one_answer(c.get(0).map_or(0, |m| m.start())))
    {
        let m = c.name("n")?;
        if let Some(n) = mynawatch_ja::find_numbers(&s[m.start()..c.get(0)?.end()])
            .into_iter()
            .next()
            .filter(|n| n.value.is_some_and(|v| v >= 1.0))
        {
            return Some(n);
        }
    }
    if let Some(n) = base_of_trouble_share(s) {
        return Some(n);
    }
    // `トラブルがあったと回答したのは95件`: those that gave one answer, not all that answered.
    let m = label.find_iter(s).find(|m| !one_answer(m.start()))?;
    // `回答医療機関数 402`: the label's own digit starts the count.
    let end = if m.as_str().ends_with(|c: char| c.is_ascii_digit()) {
        m.end() - 1
    } else {
        m.end()
    };
    let rest = &s[end..];
    // `回答したのは41都道府県の1万26施設`, `回答は213医療機関`: the count with its unit, not
    // a date or another number of the sentence.
    // (`回答した会員医療機関は245で`: the label names the unit, and the count follows it at
    // once; `回答した医療機関は、医科が180、歯科が65の計245` is read no further.)
    let unit_in_label = m.as_str().starts_with("回答した")
        && ["医療機関", "施設", "会員"]
            .iter()
            .any(|k| m.as_str().contains(k));
    if unit_in_label && !s[m.end()..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let needs_unit = m.as_str().ends_with('は') && !unit_in_label;
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
            // `回答したのは215の医療機関`: the unit after `の`.
            let institutions_after = ["の医療機関", "の施設", "の歯科医院", "の診療所"]
                .iter()
                .any(|k| rest[n.span.end..].starts_with(k));
            if needs_unit {
                n.unit == "institutions"
                    || institutions_after
                    || (n.unit == "count" && n.text.ends_with('件'))
                    || (n.unit == "persons" && m.as_str().contains('者'))
            } else {
                matches!(n.unit.as_str(), "institutions" | "count" | "")
                    || (n.unit == "persons" && m.as_str().contains('者'))
            }
        })
}

/// The institutions a trouble share is of, when nothing narrows them (`約1万の医療機関の
/// うち「トラブルがあった」が約70%`): those that answered. A base narrowed by a clause
/// (`運用している132件のうち`) or a population estimated (`約8万の…のうち…と推計`) is not.
fn base_of_trouble_share(s: &str) -> Option<Number> {
    static BASE: OnceLock<Regex> = OnceLock::new();
    let base = re(
        &BASE,
        r"(?:^|[、。はが])(?P<n>(?:約|およそ)?[0-9][0-9,]*(?:[万千][0-9,]*)*)(?:件|カ所)?の(?:医療機関|施設|会員)のうち(?P<rest>[^。]*)",
    );
    // Not a population estimated (`約8万の医療機関のうち7割でトラブルと推計`).
    if ["推計", "推定", "見込", "とみられ", "と見られ"]
        .iter()
        .any(|k| s.contains(k))
    {
        return None;
    }
    let c = base.captures(s)?;
    let rest = &c["rest"];
    if !(rest.contains('%') || rest.contains('割')) || !rest.contains("トラブル") {
        return None;
    }
    let m = c.name("n")?;
    numbers_in(s, m.range())
        .next()
        .filter(|n| n.value.is_some_and(|v| v >= 1.0 && v.fract() == 0.0))
}

/// The role of each count in a sentence, from the predicate of its own clause (the words
/// from the count to the next number): a count that is the clause's subject or source
/// (`…件が`, `…の医療機関が`, `…人の会員から`, `…件で`) and whose predicate says trouble
/// happened (`トラブルがあった`, `…を経験`, `…が発生`) counts institutions with trouble; one
/// whose predicate is an answer (`回答があった`, `回答を得た`) counts respondents.
fn count_roles(s: &str) -> Vec<(&'static str, Number)> {
    static SUBJECT: OnceLock<Regex> = OnceLock::new();
    static TROUBLE: OnceLock<Regex> = OnceLock::new();
    let subject = re(
        &SUBJECT,
        r"^\s*(?:件|人|名|医療機関|機関|施設|カ所|か所|ヶ所|箇所)?(?:の(?:医療機関|会員|施設|診療所|病院|歯科医院))?(?:が|で|から|より)",
    );
    let trouble = re(
        &TROUBLE,
        r"トラブル[^。、]{0,12}?(?:が|を|は)?(?:あった|あり|経験|発生|起き|生じ|見られ|確認され)",
    );
    let nums = mynawatch_ja::find_numbers(s);
    let mut out = Vec::new();
    for (i, n) in nums.iter().enumerate() {
        let whole = n.value.is_some_and(|v| v >= 1.0 && v.fract() == 0.0);
        if !whole || !matches!(n.unit.as_str(), "count" | "institutions" | "persons" | "") {
            continue;
        }
        let end = nums.get(i + 1).map_or(s.len(), |m| m.span.start);
        let tail = &s[n.span.end..end];
        let tail = &tail[..tail.find('。').unwrap_or(tail.len())];
        if !subject.is_match(tail) {
            continue;
        }
        let negated = ["なかった", "ない", "ありません", "していない"]
            .iter()
            .any(|k| tail.contains(k));
        // People with trouble (`108万人がトラブルを経験`, an estimate of patients) are not
        // institutions.
        if trouble.is_match(tail)
            && !negated
            && n.unit != "persons"
            && !tail.starts_with(['人', '名'])
        {
            out.push(("survey.institutions_with_trouble", n.clone()));
        } else if tail.contains("回答")
            && !tail.contains("トラブル")
            // (`43医療機関が窓口で保険証を確認したと回答`: those who gave one answer.)
            && !tail.contains("と回答")
        {
            // `トラブルが「あった」のは7727医療機関で、回答の71.0%を占めた`: the count of a
            // topic told before it, and `回答の71%` a share of the answers, not who answered;
            // nor those asked (`対象は会員1,210院で、回答率は20.2%`).
            let clause = s[..n.span.start].rsplit(['、', '。']).next().unwrap_or("");
            let topic_before =
                (clause.contains("トラブル") && clause.ends_with('は')) || clause.contains("対象");
            let share_of_answers = tail
                .split("回答")
                .nth(1)
                .is_some_and(|t| t.starts_with('の') || t.starts_with("全体の"));
            if !topic_before && !share_of_answers {
                out.push(("survey.institutions_responding", n.clone()));
            }
        }
    }
    out
}

/// Institutions with trouble stated without a share: `トラブルを経験した医療機関は、33機関`,
/// `何らかのトラブルを報告した医療機関は928件`, `トラブルがあったのは298医療機関`,
/// `トラブルがあったと答えたのは87件`,
/// `33件が「トラブルがあった」と回答`, or a count the trouble clause modifies
/// (`トラブルを経験した5188件のうち…`).
fn institutions_with_trouble(s: &str) -> Option<Number> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RE,
        r"トラブル(?:を|が)「?(?:経験し|報告し|あっ)た」?(?:医療機関|の|と(?:答え|回答し)たの)?は[、,]?\s*(?:[0-9]+(?:\.[0-9]+)?%(?:にあたる|に当たる|の))?(?P<a>[0-9][0-9,]*)の?(?:医療機関|機関|施設|件|医院|歯科医院)|(?P<b>[0-9][0-9,]*)(?:医療機関|機関|施設|件)が「?トラブルが(?:あった|発生)|トラブル(?:を|が)(?:経験し|報告し|あっ)た(?P<c>[0-9][0-9,]*)(?:医療機関|機関|施設|件)|^[・\-]?\s*トラブル(?:あり|有り|があった)\s*[:：]\s*(?P<d>[0-9][0-9,]*)\s*(?:医療機関|機関|施設|件)",
    );
    // (Also a label's count: `・トラブルあり:401医療機関`.)
    let c = r.captures(s)?;
    let m = c
        .name("a")
        .or_else(|| c.name("b"))
        .or_else(|| c.name("c"))
        .or_else(|| c.name("d"))?;
    mynawatch_ja::find_numbers(&s[m.start()..])
        .into_iter()
        .next()
}

/// The institutions count paired with a share: right after it (`65.1%(5493医療機関)`,
/// `70.1%・8,929医療機関`, `59.9%(1429件)`, `約7割に当たる196機関`) or right before it
/// (`3929件(64.8%)`, `196施設で59%`).
fn paired_count(s: &str, nums: &[Number], i: usize) -> Option<Number> {
    let is_count = |n: &Number| matches!(n.unit.as_str(), "institutions" | "count");
    if let Some(next) = nums.get(i + 1) {
        let gap = &s[nums[i].span.end..next.span.start];
        if is_count(next)
            && matches!(
                gap.trim(),
                "(" | "・" | "、" | "の" | "に当たる" | "にあたる" | "に相当する"
            )
        {
            return Some(next.clone());
        }
    }
    let prev = nums.get(i.checked_sub(1)?)?;
    let gap = &s[prev.span.end..nums[i].span.start];
    // (Or restated as a rate: `82機関、率にして64.1%`.)
    (is_count(prev)
        && matches!(
            gap.trim(),
            "(" | "で" | "、率にして" | "、割合にして" | "、率で" | "、割合で"
        ))
    .then(|| prev.clone())
}

/// The previous survey's period: in its clause (`前回調査(2024年8~9月)` → that range), or
/// a `2023年10月1日以降の…前回調査` before it (→ open from that day) when the sentence
/// does not speak of the current survey there (`今回`).
fn previous_period(s: &str, clause: std::ops::Range<usize>, year: Option<i32>) -> When {
    let head = &s[..clause.start];
    // The clause is read on its own, its words after each date taken from the same text.
    // (A short year, `前回(24年8月)調査`, is already written in full: see [`line`].)
    let own = &s[clause.clone()];
    let in_clause = dates_in(own, year)
        .into_iter()
        .map(|d| (own[d.span.end..].to_string(), d));
    let before = dates_in(head, year)
        .into_iter()
        .filter(|d| !head.contains("今回") && s[d.span.end..].starts_with("以降"))
        .map(|d| (s[d.span.end..].to_string(), d));
    for (after, d) in in_clause.chain(before) {
        let after = after.as_str();
        if d.kind == mynawatch_ja::DateKind::Date && after.starts_with("以降") {
            return When::Period(d.start, None);
        }
        // `前回調査(2024年8~9月)`, or one month (`前回調査(2024年9月)`) as a whole.
        if d.kind == mynawatch_ja::DateKind::Period
            && (d.text.contains(['~', '-']) || !d.text.contains('日'))
            && d.start < d.end
        {
            return When::Period(d.start, Some(d.end));
        }
    }
    // `昨年8~9月の調査(14.1%)`, `昨年5~6月の前回調査では`: months named by a year word,
    // in the clause or right before it.
    let lead = head.rsplit(['、', '。']).next().unwrap_or("");
    // (Not the current survey's months: `今回の5~6月の調査で…前回調査の55%`.)
    let lead = if lead.contains("今回") || lead.contains("調査") {
        ""
    } else {
        lead
    };
    let named = format!("{lead}{own}");
    // (`今年1月にも同様の調査結果を公表しており`: when results came out, not the fieldwork.)
    let published = ["公表", "発表", "結果を"].iter().any(|k| named.contains(k));
    if let Some((start, end)) = year
        .filter(|_| !published)
        .and_then(|y| month_range(&named, y, None))
    {
        return When::Period(start, Some(end));
    }
    When::Unknown
}

/// `24年8月` written `2024年8月`: a two-digit year after no digit and no era name (news
/// style, `25年10月から…調査`).
fn with_full_years(s: &str) -> String {
    static SHORT: OnceLock<Regex> = OnceLock::new();
    // (Only before a month or 度: `10年ぶり` is no year.)
    let r = re(&SHORT, r"(^|[^0-9成和治正])([0-9]{2})年([0-9]{1,2}月|度)");
    r.replace_all(s, "${1}20${2}年${3}").into_owned()
}

/// A sentence that quotes another association's survey: its area, and the day it was run
/// (`埼玉県保険医協会は5月16日に実施した調査では`).
fn quoted_survey(s: &str, report: &Scope, year: Option<i32>, part: bool) -> Option<Scope> {
    // `…73.1%がトラブルがあったと答え、全国調査(保団連、…)の70.3%を上回った`: the nation's
    // survey named after the report's own figures, to compare with: the sentence is the
    // report's.
    if report.area_code != "000000" && compares_with_the_nation(s) {
        return None;
    }
    // A prefectural report quoting 保団連's national figures: all Japan, dated by the
    // sentence's own fieldwork (`保団連が5月下旬から6月下旬に行った全国調査には…`); in a
    // prefecture's part of that survey, by the survey's period; else undated.
    let national_when = || {
        // (Not a span the troubles happened in: `2024年12月2日から2025年1月31日までの間に
        // トラブルがあった`.)
        let run = |after: &str| {
            let after = after.trim_start_matches(['に', 'ま', 'で', 'か', 'け', 'て', '、']);
            ["実施", "行っ", "行わ", "行い", "調査"]
                .iter()
                .any(|k| after.starts_with(k))
        };
        let own = dates_in(s, year).into_iter().find(|d| {
            d.kind == mynawatch_ja::DateKind::Period
                && d.start < d.end
                && (d.end - d.start).num_days() <= 366
                && (d.text.contains(['~', '-']) || d.text.contains("から"))
                && run(&s[d.span.end..])
        });
        match own {
            Some(d) => {
                let (start, end) = whole_months_for_parts(&d.text, d.start, d.end);
                When::Period(start, Some(end))
            }
            None if part => report.when,
            None => When::Unknown,
        }
    };
    if national_author(s) && !opens_prefecture_part(s) {
        let (code, name) = national();
        return (report.area_code != code).then(|| Scope {
            area_code: code,
            area_name: name,
            when: national_when(),
        });
    }
    if report.area_code != "000000"
        && !opens_prefecture_part(s)
        && ["保団連", "全国保険医団体連合会", "全国集計", "全国調査"]
            .iter()
            .any(|k| s.contains(k))
    {
        let (code, name) = national();
        return Some(Scope {
            area_code: code,
            area_name: name,
            when: national_when(),
        });
    }
    let c = prefecture_association().captures(s)?;
    let (code, name) = prefecture_area(&c["pref"])?;
    let when = dates_in(s, year)
        .into_iter()
        .find(|d| {
            d.kind == mynawatch_ja::DateKind::Date
                && runs_the_survey(s[d.span.end..].trim_start_matches('に'))
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

/// `s` gives a figure first, then names the nation's survey to compare it with (`…の70.3%
/// を上回った`).
fn compares_with_the_nation(s: &str) -> bool {
    let Some(at) = ["全国調査", "全国集計", "保団連", "全国保険医団体連合会"]
        .iter()
        .filter_map(|k| s.find(k))
        .min()
    else {
        return false;
    };
    s[..at].contains('%')
        && ["上回", "下回", "比べ", "より高", "より低"]
            .iter()
            .any(|k| s[at..].contains(k))
}

/// Words that tell the survey was run, right after its day (`5月16日に実施した`,
/// `5月16日に行った`).
fn runs_the_survey(after: &str) -> bool {
    ["実施", "行っ", "行わ", "行い"]
        .iter()
        .any(|k| after.starts_with(k))
}

/// A stand-in year for reading a survey's month and day before its year is known (a leap
/// year, so `2月29日` reads).
const PROBE_YEAR: i32 = 2000;

fn rules(
    lines: &[Line],
    meta: &SnapshotMeta,
    page_date: Option<NaiveDate>,
) -> Result<Extraction, ExtractError> {
    let joined = counts_joined_to_labels(&slashed_items_split(lines));
    let lines = joined.as_slice();
    let published = publication_date(meta, page_date, lines);
    // A report with no year at all: the weekdays of its year-less dates, among five years
    // up to the fetch and none before the first surveys of オンライン資格確認 (2022).
    let year = report_year(published, lines).or_else(|| {
        mynawatch_ja::weekday_year(
            lines.iter().map(|l| l.clean.as_str()),
            (meta.fetched_at.year() - 4).max(FIRST_SURVEY_YEAR),
        )
    });
    // Still no year: the survey's own month and day, placed in the one year the page's
    // dated events allow (`2023年4月より…義務化されました。…5月29日から…調査`).
    let year = year.or_else(|| {
        // A range across New Year (`12月から1月`) starts in the year before the probe's; the
        // report's year is the end's.
        let (start, _) = survey_period(lines, Some(PROBE_YEAR), None, false)?;
        let crosses = PROBE_YEAR - start.year();
        let whole = with_quoted_digits(lines);
        let bounding = whole
            .iter()
            .flat_map(|l| sentences(l))
            .filter(|s| earlier_survey(s).is_none());
        crate::yearless::year_for(bounding, start.month(), start.day()).map(|y| y + crosses)
    });
    let mut warnings = Vec::new();
    // A survey by someone else (a pollster, a newspaper) is not this family's: its
    // shares are of other people and other questions.
    let area = report_area(lines, meta).ok_or_else(|| {
        ExtractError::Layout(format!(
            "{}: no survey author (保団連 or a prefectural 保険医協会) found in {} lines of main text",
            meta.url,
            lines.len()
        ))
    })?;
    // The dates of the report's own survey, not those of a section on 保団連's national one.
    // (On 保団連's own report every section is its own.)
    let national_report = matches!(&area, ReportArea::Known(c, _) if c == "000000");
    let section: Vec<Section> = sections(lines)
        .into_iter()
        .map(|k| match k {
            Section::National if national_report => Section::Own,
            k => k,
        })
        .collect();
    let in_section = |kind: Section| -> Vec<Line> {
        lines
            .iter()
            .zip(&section)
            .filter(|(_, k)| **k == kind)
            .map(|(l, _)| l.clone())
            .collect()
    };
    let (own, national_part) = (in_section(Section::Own), in_section(Section::National));
    // On a prefecture's report, a line that quotes the nation's survey (`保団連が2025年8月から
    // 9月にかけて実施した全国調査でも、…`) dates that survey, not the report's; one that
    // opens the prefecture's part of it (`…のうち、県内分`) or takes part in it (`当会も参加
    // しました`) dates both.
    let quotes_the_nation = |c: &str| {
        national_author(c)
            && c.contains("全国")
            && !opens_prefecture_part(c)
            && !["参加", "協力"].iter().any(|k| c.contains(k))
    };
    // (A line that goes on about the report's own survey keeps its dates: which sentence's
    // they are, the period reader tells.)
    let own_dated: Vec<Line> = own
        .iter()
        .filter(|l| national_report || !sentences(&l.clean).into_iter().all(quotes_the_nation))
        .cloned()
        .collect();
    let (when, period_why) = if let Some((s, e)) = survey_period(&own_dated, year, published, false)
    {
        (
            When::Period(s, Some(e)),
            "the fieldwork period the report states",
        )
    } else if let Some(d) = survey_start(&own, year, published) {
        (
            When::Period(d, None),
            "the day the survey started (no end stated)",
        )
    } else if let Some(d) = aggregation_date(&own, year, published) {
        (When::AsOf(d), "the aggregation date (集計)")
    } else if let Some((s, e)) = survey_period(&own_dated, year, published, true) {
        // A run that ended long before the publication, when the page dates nothing fresher:
        // the report's own (a final report, a late post), not an earlier one.
        (
            When::Period(s, Some(e)),
            "the fieldwork period the report states",
        )
    } else if let Some(d) = published {
        warnings.push(format!(
            "{}: no survey period found; figures dated by publication ({d})",
            meta.url
        ));
        (
            When::AsOf(d),
            "the page's publication date (no period stated)",
        )
    } else {
        warnings.push(format!(
            "{}: no survey period, aggregation or publication date found; figures left undated",
            meta.url
        ));
        (When::Unknown, "none stated")
    };
    // A wrong area is worse than a missing figure: when the area cannot be told, the
    // report's own figures are left out (figures quoted from a named survey stay).
    let area_why = match &area {
        ReportArea::Known(c, _) if c == "000000" => "保団連's national survey",
        ReportArea::Known(..) => "the prefecture of the association that ran it",
        ReportArea::PrefecturePart(..) => "the prefecture's part of 保団連's survey",
        ReportArea::Unsure(_) => "unknown",
    };
    let (area_code, area_name, area_known, part) = match area {
        ReportArea::Known(c, n) => (c, n, true, false),
        ReportArea::PrefecturePart(c, n) => (c, n, true, true),
        ReportArea::Unsure(why) => {
            warnings.push(why);
            (String::new(), String::new(), false, false)
        }
    };
    let report = Scope {
        area_code,
        area_name,
        when,
    };
    // Before the prefecture's part, 保団連's report speaks of the whole country.
    let nation = {
        let (code, name) = national();
        Scope {
            area_code: code,
            area_name: name,
            when: report.when,
        }
    };
    let mut b = Builder {
        meta,
        status: release_status(lines),
        period_why,
        area_why,
        figures: Vec::new(),
        dropped: 0,
    };
    let mut in_categories = false;
    let mut after_header = false;
    // The line before asked whether there was trouble (a questionnaire's layout).
    let mut asked_trouble = false;
    let mut asked_full_charge = false;
    // The mark that opened the title of the category list being read.
    let mut list_mark: Option<char> = None;
    // Whether a comparison table's column of this survey comes first.
    let mut this_first: Option<bool> = None;
    // The earlier survey's period, as the page dates it (`前回調査(2024年9月実施…)`).
    let earlier_when = lines.iter().find_map(|l| {
        let s = l.clean.as_str();
        let at = earlier_survey(s)?;
        match previous_period(s, at..earlier_clause_end(s, at), year) {
            When::Unknown => None,
            when => Some(when),
        }
    });
    let mut full_charge_columns: Option<Vec<String>> = None;
    let mut prev_trouble = false;
    // Trouble told in one of the two sentences before (`…68%が「トラブルがあった」と回答。
    // 前回より8ポイント増えている。内容は…`).
    let mut recent_trouble = false;
    let mut prev_cue = false;
    let mut prev_by_kind = false;
    let mut page_break = false;
    let mut prev_share_trouble = false;
    let mut other_section = false;
    // Inside a comparison table: the columns' order and their surveys' periods.
    let mut comparing: Option<(bool, When, When)> = None;
    // In a prefecture's part of 保団連's report, the sentences before the first one about
    // the prefecture (`このうち静岡県内の回答は…`) speak of the whole country, even within
    // one paragraph.
    let mut in_part = !part;
    // A section on 保団連's national survey in an association's report: all Japan, dated by
    // the section's own fieldwork.
    // (Its dates without a year take the report's own survey's, when the page has no
    // other year: `調査期間:2025/2/17~2025/3/14` … `全国の中間集計(保団連、3月14日時点)`.)
    let section_year = year.or(match report.when {
        When::Period(s, _) | When::AsOf(s) => Some(s.year()),
        When::Unknown => None,
    });
    let national_section = Scope {
        when: match survey_period(&national_part, section_year, published, false) {
            Some((s, e)) => When::Period(s, Some(e)),
            None => aggregation_date(&national_part, section_year, published)
                .map_or(When::Unknown, When::AsOf),
        },
        ..nation.clone()
    };
    for (l, kind) in lines
        .iter()
        .zip(&section)
        .filter(|(_, k)| **k != Section::Patients)
    {
        let quoting_nation = *kind == Section::National && report.area_code != nation.area_code;
        let line_scope = if quoting_nation {
            &national_section
        } else if in_part {
            &report
        } else {
            &nation
        };
        let c = l.clean.as_str();
        // (Not a lead into another question's list: `トラブルがあった時にどう対応したかは次の
        // とおりです`.)
        let header = (CATEGORY_HEADERS.iter().any(|k| c.contains(k))
            || (leads_into_list(c) && !of_what_was_done_or_thought(c))
            || kinds_heading(c))
            && category(c).is_none();
        // A line opening with the mark that opened the list's title starts the next
        // section (`●トラブルの内容` … `●「…に不安がある」 86.9%`).
        if list_mark.is_some_and(|m| c.starts_with(m)) {
            in_categories = false;
            prev_cue = false;
            list_mark = None;
        }
        // A table comparing this survey with the one before, not under a list of kinds:
        // each row read by its label, each cell under its column's survey.
        if !in_categories {
            if let Some(first) = comparing_columns(c) {
                let (now, before) = column_periods(c, year);
                comparing = Some((first, now, before));
            } else if let Some((first, now, before)) = comparing {
                match compared_cells(c, first) {
                    Some((label, this, earlier)) => {
                        let now = match now {
                            When::Unknown => line_scope.clone(),
                            when => Scope {
                                when,
                                ..line_scope.clone()
                            },
                        };
                        push_compared(&mut b, &label, &this, l, &now, "");
                        let before = match before {
                            When::Unknown => earlier_when,
                            when => Some(when),
                        };
                        if let Some(when) = before {
                            let scope = Scope {
                                when,
                                ..line_scope.clone()
                            };
                            push_compared(
                                &mut b,
                                &label,
                                &earlier,
                                l,
                                &scope,
                                "basis=previous_survey",
                            );
                        }
                        continue;
                    }
                    None => comparing = None,
                }
            }
        }
        // A list of faults with no title over it, right after trouble was spoken of (`具体的な
        // 内容を見てみましょう` / `・名前や住所の一部が●になる …… 112施設(53.8%)`): a list of
        // kinds when its first item names a fault.
        if !in_categories
            && recent_trouble
            && !other_section
            && c.trim_start().starts_with(['・', '-'])
            && category(c).is_some_and(|(label, _)| names_a_fault(&label))
        {
            in_categories = true;
        }
        // An item of opinion or demand (`5.保険証の廃止に反対 81.0%`, `…を求める 76.2%`) ends
        // the list of kinds.
        if in_categories && of_what_was_done_or_thought(c) {
            in_categories = false;
        }
        if in_categories {
            let folio = crate::text::is_folio(c);
            match (category(c), compared_row(c, this_first)) {
                (Some((label, n)), _) => b.push(
                    "survey.trouble_category_rate",
                    format!("category={label}"),
                    &n,
                    l,
                    line_scope,
                ),
                // A row of a table comparing this survey with the one before: each share
                // under its column; the earlier one only when the page dates that survey.
                (None, Some((label, now, before))) => {
                    let dims = format!("category={label}");
                    b.push(
                        "survey.trouble_category_rate",
                        dims.clone(),
                        &now,
                        l,
                        line_scope,
                    );
                    if let Some(when) = earlier_when {
                        let scope = Scope {
                            when,
                            ..line_scope.clone()
                        };
                        let dims = format!("{dims}|basis=previous_survey");
                        b.push("survey.trouble_category_rate", dims, &before, l, &scope);
                    }
                }
                // A table's column header (`件数 割合`, `今回(2025年) 前回(2024年)`) sits
                // between the list's title and its rows.
                (None, None) if is_column_header(c) => {}
                (None, None) if comparing_columns(c).is_some() => {
                    this_first = comparing_columns(c);
                }
                // A page break inside the list (`-1-` and the next page's running head).
                (None, None) if folio => page_break = true,
                (None, None) if page_break && !c.contains('%') => page_break = false,
                (None, None) => in_categories = false,
            }
            if !folio && category(c).is_some() {
                page_break = false;
            }
        }
        let cue_line = after_header;
        after_header = false;
        // A numbered or marked heading opens a section: one of another question
        // (`3.トラブルへの対応(複数回答)`) holds no kinds of trouble, whatever its sentences
        // call most common.
        if section_heading(c) {
            other_section = is_other_topic(c);
        }
        // A header quoting an answer (`トラブルの内容(複数回答、「あった」と回答した方)`)
        // still heads a list; a sentence with quoted labels and shares is read as prose.
        if header && (!c.contains('「') || !c.contains('%') || ends_leading_in(c)) {
            in_categories = true;
            after_header = true;
            list_mark = c
                .chars()
                .next()
                .filter(|m| ['●', '■', '◆', '□', '◇', '▼', '▽', '★', '☆', '◎', '○'].contains(m));
        }
        // A questionnaire's answer line under its question (`Q3 トラブルはありましたか` /
        // `あった 119件 71.7%`): the trouble share and its count.
        if asked_trouble {
            // The total of the answers is the count that answered.
            if let Some(n) = total_row(c) {
                b.push(
                    "survey.institutions_responding",
                    String::new(),
                    &n,
                    l,
                    line_scope,
                );
            }
            if let Some(c) = yes_answer_line().captures(c) {
                if let Some(n) = mynawatch_ja::find_numbers(&c["pct"]).into_iter().next() {
                    b.push("survey.trouble_rate", String::new(), &n, l, line_scope);
                }
                if let Some(k) = c
                    .name("count")
                    .or_else(|| c.name("bare"))
                    .and_then(|m| mynawatch_ja::find_numbers(m.as_str()).into_iter().next())
                {
                    b.push(
                        "survey.institutions_with_trouble",
                        String::new(),
                        &k,
                        l,
                        line_scope,
                    );
                }
            }
        }
        // A question about charging 10割, its table's columns (`医療機関数 件数`) and the
        // yes row (`ある 22 57`): the cases are the number under `件数`.
        if let Some(columns) = &full_charge_columns {
            if let Some(k) = yes_row_cell(c, columns, "件数") {
                b.push("survey.full_charge_cases", String::new(), &k, l, line_scope);
            }
        }
        full_charge_columns = if asked_full_charge && is_column_header(c) {
            Some(c.split_whitespace().map(str::to_string).collect())
        } else {
            None
        };
        // (A question may end with its base: `…ありましたか(N=286)`.)
        let question = c.trim_end();
        let question = match question.rfind('(') {
            Some(at) if question.ends_with(')') => question[..at].trim_end(),
            _ => question,
        };
        // A numbered question heading asks too (`問3 マイナ保険証に関するトラブル`).
        static NUMBERED: OnceLock<Regex> = OnceLock::new();
        let numbered = re(&NUMBERED, r"^(?:問|Q|設問)\s*[0-9]+").is_match(c) && !header;
        let is_question = question.ends_with(['か', '?', '？']) || numbered;
        asked_full_charge = c.contains("10割") && is_question;
        // The answers' rows keep the question open (`あった 143 69.4%` / `なかった …` /
        // `合計 206 100%`).
        let answer_row = category(c).is_some() || total_row(c).is_some();
        // (Only the question whether there was trouble; not `問4 トラブルがあった際、どのよう
        // に対応しましたか`.)
        let of_presence = !["対応", "内容", "理由", "どのよう", "どんな", "際"]
            .iter()
            .any(|k| c.contains(k));
        // A heading that names the presence itself asks it too (`2. トラブルの有無(8月以降)`).
        let asks_presence = c.contains("有無") && !c.contains('%');
        asked_trouble = (asked_trouble && !is_question && (!c.contains('%') || answer_row))
            || (c.contains("トラブル") && (is_question || asks_presence) && of_presence);
        for s in sentences(c) {
            let opens_part = opens_prefecture_part(s);
            if part && !in_part && opens_part {
                in_part = true;
            }
            // In a prefecture's part, a figure marked as the nation's (`全国では65%`) is the
            // nation's; a sentence that gives both (`全国で65%、県内では70%`) is left unread:
            // which figure is whose, the reader cannot tell.
            let national = part && national_figure(s);
            // A sentence skipped (`break 'read`) still tells the next ones whether trouble
            // was just spoken of.
            'read: {
                if in_part && national && opens_part {
                    break 'read;
                }
                let report = if in_part && !national {
                    &report
                } else {
                    &nation
                };
                // `今年5月に行った当会の調査では…57.9%`, in a report of a survey run in August:
                // an earlier survey's figures, with nothing to tell which clause is which;
                // none are read.
                if names_an_earlier_run(s, report, year) {
                    break 'read;
                }
                // `4県あわせて611医療機関から回答`, `四国4県で66.0%`: several prefectures'
                // figures together, of no one area.
                if !quoting_nation && report.area_code != nation.area_code && several_prefectures(s)
                {
                    break 'read;
                }
                let scope = if quoting_nation {
                    national_section.clone()
                } else {
                    quoted_survey(s, report, year, part).unwrap_or_else(|| report.clone())
                };
                let ctx = Context {
                    cue_line,
                    prev_trouble,
                    recent_trouble,
                    prev_cue,
                    prev_by_kind,
                    prev_share_trouble,
                    other_section,
                };
                let read_before = b.figures.len();
                sentence_rules(&mut b, s, l, &scope, year, ctx);
                let last_share = mynawatch_ja::find_numbers(s)
                    .into_iter()
                    .rfind(|n| n.unit == "percent")
                    .and_then(|n| n.value);
                prev_share_trouble = last_share.is_some_and(|v| {
                    b.figures[read_before..].iter().any(|f| {
                        f.metric == "survey.trouble_rate"
                            && f.dimensions.is_empty()
                            && f.value == Some(v)
                    })
                });
                prev_cue = opens_trouble_contents(s, recent_trouble)
                    || is_category_cue(s)
                    || (cue_line && s.contains('%'))
                    || (prev_cue && !is_other_topic(s) && s.contains('%'));
            }
            recent_trouble = prev_trouble || s.contains("トラブル");
            // An answer's share keeps the topic (`2. トラブルの有無` / `「あった」92医療機関
            // (70.2%)` / `前回調査では「あった」は66.1%`).
            prev_trouble = s.contains("トラブル") || (prev_trouble && states_yes_answer(s));
            prev_by_kind = prev_trouble && by_kind_of_institution().is_match(s);
        }
    }
    if b.figures.is_empty() && !area_known && b.dropped > 0 {
        // Figures were read but their area is unknown: nothing stored, said in a warning.
        return Ok(Extraction {
            rows: Rows::default(),
            links: Vec::new(),
            warnings,
        });
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

/// What a section of the page reports, by the heading it sits under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// The report's own survey (or no heading that says otherwise).
    Own,
    /// A survey of patients (`【1】患者さん向けアンケート`): its answers are patients', and
    /// its counts and shares are no clinic survey's.
    Patients,
    /// 保団連's national survey told beside the association's own (`【全国調査(保団連集計)】`).
    National,
}

/// `s` gives figures of several prefectures together (`4県あわせて`, `四国4県で`, `3府県の合計`).
fn several_prefectures(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"(?:[2-9]|[二三四五六七八九])(?:県|府県)(?:あわせて|合わせて|の合計|合計|計|全体|で[0-9約]|の[0-9]|から)",
    )
    .is_match(s)
}

/// The section each line sits in, by the headings of the page's structure.
fn sections(lines: &[Line]) -> Vec<Section> {
    let text: Vec<String> = lines.iter().map(|l| l.clean.replace('\n', " ")).collect();
    let non_empty: Vec<usize> = (0..lines.len())
        .filter(|&i| !text[i].trim().is_empty())
        .collect();
    let mut out = vec![Section::Own; lines.len()];
    let prefectures = prefecture_short_names();
    let shaped = crate::structure::lines(&text.join("\n"));
    for s in shaped {
        let Some(&i) = non_empty.get(s.index) else {
            continue;
        };
        let heading = if s.shape == crate::structure::Shape::Heading {
            &s.label
        } else {
            &s.heading
        };
        let survey = ["アンケート", "調査", "はがき", "集計"]
            .iter()
            .any(|k| heading.contains(k));
        out[i] = if survey && heading.contains("患者") && !heading.contains("医療機関") {
            Section::Patients
        } else if survey
            && ["全国", "保団連"].iter().any(|k| heading.contains(k))
            // (Not the association's own part or a comparison with the nation: `当県分の
            // 集計`, `静岡県の結果`, `全国調査を上回る…`.)
            && ![
                "県内", "当会", "本県", "当県", "県分", "府内", "道内", "都内", "上回", "下回",
                "比べ", "比較",
            ]
            .iter()
            .any(|k| heading.contains(k))
            && !prefectures.iter().any(|p| heading.contains(p.as_str()))
        {
            Section::National
        } else {
            Section::Own
        };
    }
    out
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

/// Where the share after `nums[i]` starts (the end of `s` when none follows): the bound of
/// the words that belong to `nums[i]`.
fn next_share_start(s: &str, nums: &[Number], i: usize) -> usize {
    nums[i + 1..]
        .iter()
        .find(|m| m.unit == "percent")
        .map_or(s.len(), |m| m.span.start)
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
    let clause = earlier.map(|at| at..earlier_clause_end(s, at));
    // `前回調査では20.1%だったのに、今回は30.6%に増えている`: when the current survey's share
    // of the same sentence is not the trouble share (one kind of trouble, say), the earlier
    // one it is compared with is not either.
    // So too when the share right before the earlier survey's clause is another kind's
    // (`有効期限切れが31%で、前回(24年8月)調査の14%から増加`).
    let current_is_other = clause.as_ref().is_some_and(|c| {
        let after = nums.iter().enumerate().any(|(i, n)| {
            n.unit == "percent"
                && n.span.start >= c.end
                && s[c.end..n.span.start].contains("今回")
                && !is_trouble_share(s, n, c.end, next_share_start(s, &nums, i))
        });
        let before = nums
            .iter()
            .enumerate()
            .rfind(|(_, n)| n.unit == "percent" && n.span.end <= c.start)
            .is_some_and(|(i, n)| {
                let prev_end = nums[..i].last().map_or(0, |p| p.span.end);
                // (A yes answer's share is the trouble share: `「あった」と答えたのは158件
                // (67.8%)で、前回調査(…)の57.1%から…増えた`.)
                !is_trouble_share(s, n, prev_end, c.start) && !states_yes_answer(&s[..n.span.start])
            });
        after || before
    });
    let mut prev_end = 0;
    let mut last_accepted = false;
    let mut seen_share = false;
    for (i, n) in nums.iter().enumerate() {
        if n.unit != "percent" {
            continue;
        }
        let next_start = next_share_start(s, &nums, i);
        let accepted = match &clause {
            Some(c) if c.contains(&n.span.start) => {
                let restates = seen_share
                    && s.get(prev_end..c.start)
                        .is_some_and(|gap| gap.trim_end().ends_with('('));
                let ok = if restates {
                    last_accepted
                } else {
                    !is_negative_answer(&s[prev_end..n.span.start])
                        && !is_negative_answer(&s[c.start..n.span.start])
                };
                let ok = ok
                    && !current_is_other
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
                // The share an earlier trouble share changed to (`前回調査の59.8%から…上昇し
                // 69.8%`) is this survey's trouble share.
                let changed = last_accepted
                    && clause.as_ref().is_some_and(|c| {
                        s.get(prev_end..c.end)
                            .is_some_and(|gap| gap.trim_start_matches(')') == "から")
                    })
                    && !is_change(s, n);
                let ok = changed || is_trouble_share(s, n, prev_end, next_start);
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

/// A numbered or marked heading line (`3.トラブルへの対応(複数回答)`, `【調査概要】`,
/// `■トラブルの内容`): short, with no figure and no sentence's end.
fn section_heading(c: &str) -> bool {
    static MARK: OnceLock<Regex> = OnceLock::new();
    let marked = re(&MARK, r"^(?:[0-9]{1,2}[.)、]|\([0-9]{1,2}\)|[【■◆□◇〈<])");
    marked.is_match(c.trim_start())
        && c.chars().count() <= 30
        && !c.contains('%')
        && !c.trim_end().ends_with('。')
}

/// `s` opens a numbered item of a list (`3)…`, `(3)…`, `3.…`).
fn starts_numbered_item(s: &str) -> bool {
    static NUM: OnceLock<Regex> = OnceLock::new();
    re(&NUM, r"^(?:[0-9]{1,2}[.)]|\([0-9]{1,2}\))").is_match(s.trim_start())
}

/// What the sentences before a sentence said.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    /// The line follows a header of trouble categories.
    cue_line: bool,
    /// The sentence before spoke of trouble.
    prev_trouble: bool,
    /// One of the two sentences before spoke of trouble.
    recent_trouble: bool,
    /// The sentence before opened or listed trouble categories.
    prev_cue: bool,
    /// The sentence before gave the trouble share only by kind of institution (`医科で
    /// 72.8%、歯科で58.8%`).
    prev_by_kind: bool,
    /// The last share of the sentence before was the trouble share.
    prev_share_trouble: bool,
    /// The line sits under a numbered heading of another question (`3.トラブルへの対応`).
    other_section: bool,
}

/// Words that open trouble categories in a sentence (`トラブルの内容は`, `内訳`, `最も多かった
/// のは`).
fn is_category_cue(s: &str) -> bool {
    // `その内訳は、医科診療所が68.0%`: a breakdown of who answered, unless the sentence
    // breaks down trouble.
    let breakdown_of_trouble = ["トラブル", "不具合", "エラー", "事例", "ケース"]
        .iter()
        .any(|k| s.contains(k));
    // `最も多かったのは…`; in other words (`最も多いトラブルは`, `一番多い`) only of trouble
    // (`理由は「…」が85.9%と最も多く` is another question's).
    let superlative = (["最も多かった", "最も多いのは", "最多は"]
        .iter()
        .any(|k| s.contains(k))
        || (["最も多", "一番多"].iter().any(|k| s.contains(k)) && breakdown_of_trouble))
        // `トラブル対応で最も多いのは…`: the most common response, not a kind of trouble.
        && !is_other_topic(s);
    // `トラブルがあった医療機関に内容を聞くと、「…」48.5%`: the contents of trouble, in any
    // wording, unless another question's.
    let contents_of_trouble = ["内容", "中身"].iter().any(|k| s.contains(k))
        && breakdown_of_trouble
        && !is_other_topic(s);
    superlative
        || contents_of_trouble
        || CATEGORY_HEADERS
            .iter()
            .filter(|k| **k != "内訳" || breakdown_of_trouble)
            .chain(["内容を複数回答", "内容(複数回答"].iter())
            .any(|k| s.contains(k))
}

/// `…68%が「トラブルがあった」と回答。内容は「●が表記される」75%…`: a sentence that opens
/// with the contents of the trouble told just before.
fn opens_trouble_contents(s: &str, recent_trouble: bool) -> bool {
    // The words before the sentence's first clause or label (`具体的には「…」`, `主な
    // ものは、…`, `内容(複数回答)は、…`).
    let head = s.split(['、', '「']).next().unwrap_or(s);
    recent_trouble
        && (["内訳は", "その内訳は"].iter().any(|k| s.starts_with(k))
            || ["内容", "中身", "具体的", "主な", "事例"]
                .iter()
                .any(|k| head.contains(k)))
}

/// A sentence about another question, which ends a run of category sentences
/// (`トラブルへの対応方法では…78%`, `負担を感じる`, `利用率`).
fn is_other_topic(s: &str) -> bool {
    // `…一時金については、「申請しない」が42.1%`: a new question named as the topic.
    if let Some(at) = s.find("については") {
        let topic = &s[..at];
        if !["トラブル", "不具合", "内容", "内訳", "事例"]
            .iter()
            .any(|k| topic.contains(k))
        {
            return true;
        }
    }
    // (And other questions' words: the burden felt, usage and response rates.)
    DONE_OR_THOUGHT
        .iter()
        .chain(&["した際", "負担", "利用率", "回答率", "回収率"])
        .any(|k| s.contains(k))
}

/// `s` names a survey run at a time (`5月に行った…調査`, `昨年実施したアンケート`) that ends
/// before the report's own fieldwork starts.
fn names_an_earlier_run(s: &str, scope: &Scope, year: Option<i32>) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RE,
        r"(?P<when>[^、。]{0,14}月[^、。]{0,8}?)に(?:行った|行われた|実施した|実施された)[^。、]{0,40}?(?:調査|アンケート)",
    );
    let When::Period(start, _) = scope.when else {
        return false;
    };
    r.captures_iter(s).any(|c| {
        // A month without a year is of the report's own year (`今年5月`).
        let y = year.unwrap_or(start.year());
        let when = c["when"].replace("今年", "");
        dates_in(&when, Some(y))
            .iter()
            .any(|d| d.end < start && d.writes_month())
            || crate::text::bare_months(&when, y)
                .iter()
                .any(|m| m.end < start)
    })
}

/// The rules of one sentence `s` of line `l`.
fn sentence_rules(
    b: &mut Builder<'_>,
    s: &str,
    l: &Line,
    scope: &Scope,
    year: Option<i32>,
    ctx: Context,
) {
    let earlier = earlier_survey(s);
    // The clauses before the one that turns to an earlier survey are the current one's
    // (`1万242件の回答のうち、69.7%が…と報告し、前回調査より…増加`).
    let current_clauses = match earlier {
        None => s,
        Some(at) => s[..at].rfind('、').map_or("", |c| &s[..c]),
    };
    if !current_clauses.is_empty() {
        let s = current_clauses;
        let (answered, with_trouble) = (respondents(s), institutions_with_trouble(s));
        // The clause-role reading backs up the two phrase readings; run it only when one
        // of them found nothing.
        let by_role = if answered.is_none() || with_trouble.is_none() {
            count_roles(s)
        } else {
            Vec::new()
        };
        let role = |metric: &str| {
            by_role
                .iter()
                .find(|(m, _)| *m == metric)
                .map(|(_, n)| n.clone())
        };
        let answered = answered.or_else(|| role("survey.institutions_responding"));
        if let Some(n) = &answered {
            b.push("survey.institutions_responding", String::new(), n, l, scope);
        }
        // One number has one role: the count that answered is not also the count with trouble
        // (`このうち県内の回答は320件で、トラブルがあったのは66%`).
        // (In a sentence of kinds of trouble, `最も多かったのは「…」の43件で、トラブルがあった
        // 医療機関の52.4%`, a count is a kind's.)
        let with_trouble = with_trouble
            .or_else(|| role("survey.institutions_with_trouble").filter(|_| !is_category_cue(s)))
            // (Spans may be of different slices; the written number tells them apart.)
            .filter(|n| answered.as_ref().is_none_or(|a| a.text != n.text));
        if let Some(n) = with_trouble {
            b.push(
                "survey.institutions_with_trouble",
                String::new(),
                &n,
                l,
                scope,
            );
        }
    }
    // A sentence about trouble, or an answer share right after one (`トラブルの有無を
    // 聞いた。「あった」が60.2%を占めた`).
    // Or a sentence on how that share changed since the earlier survey (`…66.1%が…トラブルを
    // 経験した。前回調査(2024年1月)の58.7%から7.4ポイント上昇した`).
    // (Only of that share itself: nothing but the earlier survey before it, not
    // `…患者がいると答えた医療機関は、前回調査(…)の40.2%から上昇し`.)
    let share_changed = ctx.prev_share_trouble
        && earlier.is_some_and(|at| s[..at].chars().count() <= 8 && !s[..at].contains("答え"))
        && changed_since_earlier().is_match(s);
    if s.contains("トラブル") || (ctx.prev_trouble && states_yes_answer(s)) || share_changed {
        trouble_shares(b, s, l, scope, year, earlier);
    }
    if let Some((count, pct)) = share_of_the_whole(s).filter(|_| ctx.prev_by_kind) {
        b.push("survey.trouble_rate", String::new(), &pct, l, scope);
        if let Some(k) = count {
            b.push(
                "survey.institutions_with_trouble",
                String::new(),
                &k,
                l,
                scope,
            );
        }
    }
    // Only the current survey's part of the sentence (`有効期限切れは31%で、前回…14%`).
    let current = &s[..earlier.unwrap_or(s.len())];
    // Trouble is spoken of here, in the sentences just before, or by the kinds of trouble
    // the page has already told (`内容は「…」75%、…` … `今回加わった「…が切れていた」も25%
    // あった`).
    let trouble_spoken_of = s.contains("トラブル")
        || ctx.recent_trouble
        || b.figures
            .iter()
            .any(|f| f.metric == "survey.trouble_category_rate");
    let quoted = quoted_categories(current);
    // A list of quoted labels with their shares is itself the cue when trouble was just
    // spoken of (`複数回答で「…」61%、「…」44%`), as is one label of what the screen showed
    // (`「無効」と表示されたケースが56%`).
    // Or one label chosen among those who had trouble (`「あった」と回答した65.1%の医療機関の
    // 中で、66.3%が「…」と回答`, `そのうち41%が「…」`).
    let listed = (quoted.len() >= 2
        || quoted.iter().any(|(label, _)| label.starts_with('「'))
        || (quoted.len() == 1
            && quoted.iter().all(|(label, _)| names_a_fault(label))
            && among_the_troubled(current, ctx.prev_share_trouble)))
        && trouble_spoken_of
        && !is_other_topic(s);
    // Kinds of fault named with their shares where trouble is spoken of (`マイナ保険証の
    // 有効期限切れトラブルは28%に達し`, `…「有効期間が切れていた」も25%あった`) are
    // categories however the page leads to them.
    let plain = plain_categories(current);
    // A fault the institutions reported names its kind by itself (`…に相違があったと報告`).
    // (Its own predicate tells the question, so words that mark another question elsewhere,
    // `負担割合`, do not turn it away.)
    let reported = reported_faults(current);
    // (Not an earlier survey's, however it is named: `前回の24年10月調査では…12%`,
    // `昨年実施した全国調査では…45%`.)
    let of_an_earlier_run = ["前回", "昨年", "前年", "去年"]
        .iter()
        .any(|k| current.contains(k));
    let others_name_faults = quoted.len() + plain.len() > 0
        && quoted
            .iter()
            .chain(&plain)
            .all(|(label, _)| names_a_fault(label))
        && trouble_spoken_of
        && !is_other_topic(s);
    let cued = ctx.cue_line
        || listed
        || (!of_an_earlier_run && others_name_faults)
        || opens_trouble_contents(s, ctx.recent_trouble)
        || is_category_cue(s);
    // A reported fault alone is a cue for itself, not for the other answers beside it
    // (`「誤りがあった」と答えた医療機関が16.1%、「誤りはなかった」が70.2%`).
    let reported_alone = !cued && !of_an_earlier_run && !reported.is_empty();
    let (quoted, plain) = if reported_alone && !ctx.prev_cue {
        (Vec::new(), Vec::new())
    } else {
        (quoted, plain)
    };
    let cued = cued || reported_alone;
    // A new numbered item (`3)「資格確認書について患者から質問を受けた」:83.5%`) after the
    // kinds of trouble may be another question: only a fault is read by that link alone.
    let only_faults = !cued && starts_numbered_item(s);
    let cue = !ctx.other_section && (cued || (ctx.prev_cue && !is_other_topic(s)));
    if cue {
        let mut seen: Vec<std::ops::Range<usize>> = Vec::new();
        let mut labels = Vec::new();
        for (label, n) in quoted.into_iter().chain(plain).chain(reported) {
            if seen.contains(&n.span) || (only_faults && !names_a_fault(&label)) {
                continue;
            }
            seen.push(n.span.clone());
            b.push(
                "survey.trouble_category_rate",
                format!("category={label}"),
                &n,
                l,
                scope,
            );
            labels.push(label);
        }
        // `有効期限切れは31.0%で、昨年8~9月の調査(14.1%)より増加`: the one share of the
        // earlier survey's clause is the same kind's, when the sentence names one kind.
        if let (Some(at), [label]) = (earlier, labels.as_slice()) {
            let clause = at..earlier_clause_end(s, at);
            let shares: Vec<Number> = mynawatch_ja::find_numbers(&s[clause.clone()])
                .into_iter()
                .filter(|n| n.unit == "percent")
                .map(|mut n| {
                    n.span = n.span.start + clause.start..n.span.end + clause.start;
                    n
                })
                .collect();
            if let [n] = shares.as_slice() {
                if !is_change(s, n) {
                    let prev_scope = Scope {
                        when: previous_period(s, clause.clone(), year),
                        ..scope.clone()
                    };
                    b.push(
                        "survey.trouble_category_rate",
                        format!("category={label}|basis=previous_survey"),
                        n,
                        l,
                        &prev_scope,
                    );
                }
            }
        }
    }
    // `10割負担`, or in other words `全額負担` / `全額を請求`.
    const FULL_CHARGE: &[&str] = &[
        "10割",
        "全額負担",
        "全額を負担",
        "全額自己負担",
        "全額を自己負担",
        "全額請求",
        "全額を請求",
        "全額窓口負担",
        "全額を支払って",
    ];
    if FULL_CHARGE.iter().any(|k| s.contains(k)) && earlier.is_none() {
        let found = numbers_after(s, FULL_CHARGE, 60);
        // `医科で14件、歯科で5件の計19件`: the total, not its parts.
        let total = |n: &Number| s[..n.span.start].ends_with('計');
        let any_total = found.iter().any(|(n, _)| total(n));
        for (n, k) in found.into_iter().filter(|(n, _)| !any_total || total(n)) {
            // `全額窓口負担を避けるため…後日精算とした例が15件`: the charge avoided.
            let span = s[..n.span.start]
                .rfind(k)
                .map_or("", |at| &s[at..n.span.start]);
            // (`…にならないよう`, `…を求めず`, `…必要はなかった`, `…になる可能性を説明`.)
            if [
                "避け",
                "回避",
                "ずに済",
                "求めず",
                "ならない",
                "ならなかった",
                "とはならな",
                "必要はな",
                "可能性",
                "免れ",
            ]
            .iter()
            .any(|w| span.contains(w))
            {
                continue;
            }
            // `10割負担が生じた医療機関は120か所`: institutions, not cases.
            let institutions = ["か所", "カ所", "ヶ所", "箇所", "機関", "施設"]
                .iter()
                .any(|k| {
                    n.text.ends_with(k) || s[n.span.end..].trim_start_matches('の').starts_with(k)
                })
                || s[n.span.end..].starts_with("の医療機関")
                // (`10割を請求した歯科医院は21件`: the institutions that did, counted.)
                || {
                    let head = s[..n.span.start].trim_end_matches(['は', 'が', '、', ':']);
                    ["医療機関", "医院", "診療所", "病院", "薬局", "施設"]
                        .iter()
                        .any(|k| head.ends_with(k))
                };
            if matches!(n.unit.as_str(), "count" | "persons") && !institutions && !is_change(s, &n)
            {
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
    fn the_yes_row_of_a_table_gives_the_number_under_its_column() {
        let columns = ["医療機関数".to_string(), "件数".to_string()];
        let n = yes_row_cell("ある22 57", &columns, "件数").unwrap();
        assert_eq!(n.value, Some(57.0));
        assert!(yes_row_cell("ない 240 0", &columns, "件数").is_none());
        assert!(is_column_header("医療機関数 件数"));
    }

    #[test]
    fn a_yes_answer_with_its_count_before_the_share_is_the_trouble_share() {
        let s = "トラブルが「あった」と答えたのは587人(54.1%)で、半数を超えました。";
        let n = mynawatch_ja::find_numbers(s)
            .into_iter()
            .find(|n| n.unit == "percent")
            .unwrap();
        assert!(is_trouble_share(s, &n, 0, s.len()));
    }

    #[test]
    fn the_base_a_trouble_share_is_taken_from_is_not_the_trouble_share() {
        let s = "運用しているのは回答の88%で、そのうち「トラブルがあった」は73%とのこと。";
        let nums = mynawatch_ja::find_numbers(s);
        assert!(!is_trouble_share(s, &nums[0], 0, nums[1].span.start));
        assert!(is_trouble_share(s, &nums[1], nums[0].span.end, s.len()));
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
        let read = |s: &str| category(s).map(|(label, n)| (label, n.value));
        assert_eq!(read("●表示 9.8%"), Some(("●表示".to_string(), Some(9.8))));
        assert_eq!(
            read("・資格情報が無効 54.3%"),
            Some(("資格情報が無効".to_string(), Some(54.3)))
        );
        assert_eq!(
            read("マイナ保険証「無保険扱い」で10割請求 1291件(23.5%)"),
            Some((
                "マイナ保険証「無保険扱い」で10割請求".to_string(),
                Some(23.5)
            ))
        );
        assert_eq!(
            read("| 資格情報が無効 | 269 | 65.2% |"),
            Some(("資格情報が無効".to_string(), Some(65.2)))
        );
        assert_eq!(category("トラブルがあった 70.1%"), None);
    }
}
