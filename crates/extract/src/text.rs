//! The text layer shared by text families: sentences, figures picked by a nearby
//! keyword, labels before a figure, and topic tags. Works on plain text (already
//! normalized by the caller where spans matter), so the same rules run on HTML main
//! text and on PDF text. Must not know any family's vocabulary beyond the default
//! topic table.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::NaiveDate;
use mynawatch_ja::Number;
use regex::Regex;

/// Split text into sentences at `。` and line ends; whitespace-trimmed, empty dropped. A
/// `。` inside brackets ends no sentence (`電子資格確認(以下「マイナ保険証」という。)を受ける
/// ことができない者`).
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        let mut depth = 0usize;
        for c in line.chars() {
            cur.push(c);
            match c {
                '(' | '（' => depth += 1,
                ')' | '）' => depth = depth.saturating_sub(1),
                '。' if depth == 0 => push(&mut out, &mut cur),
                _ => {}
            }
        }
        push(&mut out, &mut cur);
    }
    out
}

/// The years a relative year word puts a date from the page's (`昨年` -1, `来年` +1); 0 for
/// `今年`, `本年` or any other word.
pub fn year_word_offset(word: &str) -> i32 {
    match word {
        "一昨年" => -2,
        "昨年" | "去年" => -1,
        "来年" => 1,
        "再来年" => 2,
        _ => 0,
    }
}

/// Lines of hard-wrapped prose joined back into their sentences (a blog repost or a
/// PDF broken at a fixed width: `…保団連がきのう、` / `5月以降の調査結果` / `を公表。`).
/// In such a text, a line runs on into the next when it ends on `、` or a particle, or when the next one
/// starts with a particle, which no sentence or heading starts with; never into a list
/// item. Returns each joined
/// line with the 1-based numbers of its first and last source lines; blank lines end a
/// paragraph.
pub fn unwrapped_lines(text: &str) -> Vec<(String, usize, usize)> {
    const PARTICLES: [char; 10] = ['が', 'を', 'に', 'の', 'は', 'で', 'と', 'も', 'へ', 'や'];
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    // Only a text wrapped at a width is joined: many of its longer lines are about as long
    // as the width and end inside a sentence. A news page's headline ending on a particle
    // (`…の医療機関で`) stays.
    let long: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.chars().count() >= 10)
        .collect();
    let mut lengths: Vec<usize> = long.iter().map(|l| l.chars().count()).collect();
    lengths.sort_unstable();
    let width = lengths
        .get(lengths.len() / 2)
        .copied()
        .unwrap_or(usize::MAX);
    // A line cut at the width (`…経過措置として健康保険証は最長1年間使` / `うことができる
    // が…`) runs on whatever its last word.
    let full = |l: &str| {
        let n = l.chars().count();
        n.saturating_mul(10) >= width.saturating_mul(9)
            && n.saturating_mul(10) <= width.saturating_mul(12)
            && !l.ends_with(['。', '！', '？', '」', '』', ')', '）', ':', '：'])
            // A question's end (`…ありますか`).
            && !["すか", "たか"].iter().any(|k| l.ends_with(k))
    };
    // A list or table line ends on its figure (`有効期限切れ 42.0%`, `計11件`): it runs
    // on into nothing.
    let figure_last = |l: &str| l.ends_with(|c: char| c.is_ascii_digit() || "%％件人".contains(c));
    let cut = long.iter().filter(|l| full(l)).count();
    let wrapped = cut >= 3 && cut * 5 >= long.len() * 2;
    let mut open = false;
    let mut after_folio = false;
    let raw: Vec<&str> = text.lines().map(str::trim).collect();
    let rows = column_blocks(&raw);
    for (i, l) in raw.iter().copied().enumerate() {
        if l.is_empty() {
            open = false;
            continue;
        }
        // A table laid out column by column: its rows were rebuilt; the lines are taken.
        match &rows[i] {
            Cell::Row(row, last) => {
                out.push((row.clone(), i + 1, *last + 1));
                open = false;
                continue;
            }
            Cell::Taken => continue,
            Cell::Line => {}
        }
        // A range that runs on from the line above (`実施期間:2024年8月19日` / `~9月13日`).
        if l.starts_with(['~', '〜', '～']) {
            if let Some((joined, _, last)) = out.last_mut().filter(|(_, _, last)| *last == i) {
                joined.push_str(l);
                *last = i + 1;
                continue;
            }
        }
        // A table cut one cell per line (`資格情報が無効` / `269` / `65.2%`): a bare figure
        // joins the row it follows, until the row has its share.
        if is_bare_figure(l) {
            if let Some((row, _, last)) = out.last_mut().filter(|(row, _, last)| {
                *last == i && !row.ends_with(['%', '％']) && is_row_label(row)
            }) {
                row.push(' ');
                row.push_str(l);
                *last = i + 1;
                continue;
            }
        }
        // A date on a line of its own, maybe with its clock time, is the page's stamp, never
        // the end of a sentence nor a label's value.
        let stamp = mynawatch_ja::find_dates(l).first().is_some_and(|d| {
            l.chars().count() <= d.text.chars().count() + 2
                || (d.kind == mynawatch_ja::DateKind::Date
                    && l.starts_with(d.text.as_str())
                    && is_clock_tail(&l[d.text.len()..]))
        });
        // A label alone on its line with its value on the next (`調査期間` / `2025年2月17日
        // 〜3月10日`, `回答` / `286医療機関`), as a table or slide is laid out.
        if !stamp && l.starts_with(is_digit) {
            if let Some((label, _, last)) = out
                .last_mut()
                .filter(|(label, _, last)| *last == i && is_value_label(label))
            {
                label.push(' ');
                label.push_str(l);
                *last = i + 1;
                open = false;
                continue;
            }
        }
        // A list item after a lead-in (`主なトラブルは、` / `・…`) starts its own line.
        let item = crate::structure::strip_marker(l).1 != crate::structure::Marker::None;
        // Never two figures glued into one (`回答数 322` / `2023年…`).
        let glued = out
            .last()
            .is_some_and(|(j, _, _)| j.ends_with(|c: char| c.is_ascii_digit()))
            && l.starts_with(|c: char| c.is_ascii_digit());
        let continues = wrapped && !item && !glued && !stamp && (open || l.starts_with(PARTICLES));
        match out.last_mut() {
            Some((joined, _, last)) if continues && *last == i => {
                joined.push_str(l);
                *last = i + 1;
            }
            _ => out.push((l.to_string(), i + 1, i + 1)),
        }
        // A page number and the next page's running head (`-1-` / `…協会 アンケート報告`)
        // run on into nothing.
        let folio = is_folio(l);
        open = !folio
            && !after_folio
            && (l.ends_with('、') || l.ends_with(PARTICLES) || (full(l) && !figure_last(l)));
        after_folio = folio;
    }
    out
}

/// What a line of a text laid out column by column has become.
enum Cell {
    /// A line as it is.
    Line,
    /// A table's row rebuilt from its columns (on its label's line), with the 0-based
    /// number of the block's last line.
    Row(String, usize),
    /// A line used in a rebuilt row.
    Taken,
}

/// Tables that pdftotext laid out one column after another: the row labels on their
/// lines, then each column's figures on theirs (`資格情報が無効` / `●表示` / `68` / `97` /
/// `47.6%` / `67.8%`). Each block becomes its rows (`資格情報が無効 68 47.6%`). The
/// figures must split into one to three columns of as many lines as the labels they
/// follow (the last labels, when a title stands above them), each column all shares or
/// all counts; a trailing page number may follow. Anything else stays as it is.
fn column_blocks(lines: &[&str]) -> Vec<Cell> {
    let mut cells: Vec<Cell> = lines.iter().map(|_| Cell::Line).collect();
    let label = |l: &str| {
        (1..=40).contains(&l.chars().count())
            && !l.contains(['。', '、'])
            && !l.chars().any(is_digit)
    };
    let mut i = 0;
    while i < lines.len() {
        let labels_end = (i..lines.len())
            .find(|&j| !label(lines[j]))
            .unwrap_or(lines.len());
        let figures_end = (labels_end..lines.len())
            .find(|&j| !is_bare_figure(lines[j]))
            .unwrap_or(lines.len());
        let (k, m) = (labels_end - i, figures_end - labels_end);
        // A label, its figures, the next label, as many figures: rows laid out one after
        // another (`資格情報が無効` / `71.2%` / `58.1%` / `カードリーダー…` / …), not columns.
        let next_run = figures_end < lines.len() && label(lines[figures_end]) && {
            let after = figures_end + 1;
            let run = (after..lines.len())
                .find(|&j| !is_bare_figure(lines[j]))
                .unwrap_or(lines.len())
                - after;
            run == m
        };
        if next_run {
            i = labels_end.max(i + 1);
            continue;
        }
        let shape = (2..=k).rev().find_map(|n| {
            (1..=3)
                .rev()
                .find(|c| c * n == m || (c * n + 1 == m && *c > 1))
                .map(|c| (n, c))
        });
        let Some((n, columns)) = shape.filter(|(n, c)| {
            (0..*c).all(|col| {
                let column = &lines[labels_end + col * n..labels_end + (col + 1) * n];
                let shares = column.iter().filter(|f| f.ends_with(['%', '％'])).count();
                shares == 0 || shares == *n
            })
        }) else {
            i = labels_end.max(i + 1);
            continue;
        };
        let first = labels_end - n;
        let last = labels_end + columns * n - 1;
        for r in 0..n {
            let mut row = lines[first + r].to_string();
            for col in 0..columns {
                row.push(' ');
                row.push_str(lines[labels_end + col * n + r]);
            }
            cells[first + r] = Cell::Row(row, last);
        }
        for cell in &mut cells[labels_end..=last] {
            *cell = Cell::Taken;
        }
        i = last + 1;
    }
    cells
}

/// A short label that a value on the next line belongs to: a few words, no figure, no
/// sentence end, no particle at its end (`調査期間`, `回答数`, `公開日`).
fn is_value_label(l: &str) -> bool {
    // (Not a byline: `群馬県保険医協会` / `2024年12月10日 掲載`.)
    const AUTHORS: [&str; 6] = ["協会", "医会", "連合会", "保団連", "新聞", "ニュース"];
    (2..=8).contains(&l.chars().count())
        && !AUTHORS.iter().any(|k| l.ends_with(k))
        && !l.chars().any(is_digit)
        && !l.contains(['。', '、', ' ', '　'])
        && !l.ends_with(['が', 'を', 'に', 'の', 'は', 'で', 'と', 'も'])
}

/// A digit, half- or full-width.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A cell that is only a figure: `269`, `1,234件`, `65.2%`, `(40.1%)`.
fn is_bare_figure(l: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[(（]?[0-9０-９][0-9０-９,，.．]*\s*(?:%|％|件|人|医療機関|施設)?[)）]?$")
            .expect("bare figure regex")
    })
    .is_match(l)
}

/// A row built from cells: a short label with no sentence end, then bare figures.
fn is_row_label(row: &str) -> bool {
    let label_end = row.find(' ').unwrap_or(row.len());
    let label = &row[..label_end];
    (2..=40).contains(&label.chars().count())
        && !label.contains(['。', '、'])
        && !label.chars().any(is_digit)
        && row[label_end..]
            .split(' ')
            .all(|c| c.is_empty() || is_bare_figure(c))
}

fn push(out: &mut Vec<String>, cur: &mut String) {
    let t = cur.trim();
    if !t.is_empty() {
        out.push(t.to_string());
    }
    cur.clear();
}

/// `s` with every whitespace character removed (ideographic spaces included), for
/// comparing words that pages space out differently (`医療法 の一部`).
pub fn without_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A page in やさしい日本語 read as plain Japanese: readings in brackets after kanji
/// (`資格確認書(しかくかくにんしょ)`, `7月(しちがつ)31日(にち)`) dropped and the spaces
/// between phrases (`7月15日から じゅんばんに 送ります`) closed up. Only a page with several
/// such readings is taken for one; any other text is returned as it is.
/// A page written in kana alone (`「しかく かくにんしょ」を おくります`) is closed up the same
/// way, and the words of this domain it spells in kana ([`KANA_WORDS`]) are written as
/// plain pages write them.
pub fn plain_from_easy_japanese(text: &str) -> Cow<'_, str> {
    static READING: OnceLock<Regex> = OnceLock::new();
    static PHRASE_GAP: OnceLock<Regex> = OnceLock::new();
    let reading = READING.get_or_init(|| {
        Regex::new(r"(\p{Han})[(（]([\p{Hiragana}ー]{1,12})[)）]").expect("reading regex")
    });
    let kana_only = without_whitespace(text).contains("しかくかくにんしょ");
    if reading.find_iter(text).take(3).count() < 3 && !kana_only {
        return Cow::Borrowed(text);
    }
    let gap = PHRASE_GAP.get_or_init(|| {
        Regex::new(r"([^\x00-\x7F\s])[ \u{3000}]+([^\x00-\x7F\s])").expect("gap regex")
    });
    let mut out = reading.replace_all(text, "$1").into_owned();
    // Twice: `に 来る 必要` has overlapping matches.
    for _ in 0..2 {
        out = gap.replace_all(&out, "$1$2").into_owned();
    }
    if kana_only {
        for (kana, word) in KANA_WORDS {
            out = out.replace(kana, word);
        }
        // `2025ねん 7がつ 22にち`, `75さい`: numbers' units in kana.
        static UNIT: OnceLock<Regex> = OnceLock::new();
        let unit = UNIT
            .get_or_init(|| Regex::new(r"([0-9]+)(ねん|がつ|にち|さい)").expect("kana unit regex"));
        out = unit
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let u = match &c[2] {
                    "ねん" => "年",
                    "がつ" => "月",
                    "にち" => "日",
                    _ => "歳",
                };
                format!("{}{u}", &c[1])
            })
            .into_owned();
    }
    Cow::Owned(out)
}

/// Words of this domain as a page in kana alone spells them, longest first (a word inside
/// another comes after it), and as other pages write them.
const KANA_WORDS: [(&str, &str); 17] = [
    ("しかくじょうほうのおしらせ", "資格情報のお知らせ"),
    ("しかくかくにんしょ", "資格確認書"),
    ("こくみんけんこうほけん", "国民健康保険"),
    ("こうきこうれいしゃいりょう", "後期高齢者医療"),
    ("マイナほけんしょう", "マイナ保険証"),
    ("ほけんしょう", "保険証"),
    ("かんいかきとめ", "簡易書留"),
    ("とくていきろく", "特定記録"),
    ("ふつうゆうびん", "普通郵便"),
    ("もっていない", "持っていない"),
    ("もっている", "持っている"),
    ("とうろく", "登録"),
    ("おくります", "送ります"),
    ("おくりません", "送りません"),
    ("つかえます", "使えます"),
    ("じゅんばんに", "順次"),
    ("みんなに", "全員に"),
];

/// A worked example (`例)有効期限が令和7年9月14日の方` and the lines indented under it,
/// `(例)…`, `【例】…`) blanked out: its dates and groups illustrate a rule, they state
/// none. Lines keep their numbers.
pub fn without_examples(text: &str) -> Cow<'_, str> {
    const MARKS: [&str; 6] = ["例)", "例:", "(例)", "【例】", "〈例〉", "<例>"];
    let opens = |l: &str| MARKS.iter().any(|m| l.trim_start().starts_with(m));
    if !text.lines().any(opens) {
        return Cow::Borrowed(text);
    }
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\u{3000}', '\t']).len();
    // The example's own indent: the lines under it are indented further.
    let mut example_indent: Option<usize> = None;
    Cow::Owned(blank_lines(text, |l| {
        // (Lines run on under an example only when it opens as a case, `例)有効期限が9月14日
        // の方`, not when it is a sentence of its own.)
        let heads_a_case = ["方", "場合", "とき", "人", ":"]
            .iter()
            .any(|k| l.trim_end().ends_with(k));
        example_indent = if opens(l) {
            heads_a_case.then(|| indent(l)).or(Some(usize::MAX))
        } else {
            example_indent.filter(|i| !l.trim().is_empty() && indent(l) > *i)
        };
        example_indent.is_some()
    }))
}

/// `text` with the lines `blank` picks (called on every line in order) left empty, so that
/// every other line keeps its number.
fn blank_lines(text: &str, mut blank: impl FnMut(&str) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for l in text.lines() {
        if !blank(l) {
            out.push_str(l);
        }
        out.push('\n');
    }
    out
}

/// A list of links to other articles (`関連記事` / `・後期高齢者の資格確認書、全員に送付へ`)
/// blanked out, its heading and the lines under it up to the next blank line: other
/// articles' titles state nothing of this page. Lines keep their numbers.
pub fn without_related_links(text: &str) -> Cow<'_, str> {
    const HEADINGS: [&str; 7] = [
        "関連記事",
        "関連ニュース",
        "関連リンク",
        "おすすめ記事",
        "あわせて読みたい",
        "合わせて読みたい",
        "この記事を読んだ人は",
    ];
    let heads = |l: &str| {
        let t = l
            .trim()
            .trim_matches(|c: char| "■□▼▽●○◆◇【】[]<>〈〉《》≪≫:：「」 ".contains(c));
        HEADINGS.contains(&t)
    };
    if !text.lines().any(heads) {
        return Cow::Borrowed(text);
    }
    let mut in_links = false;
    Cow::Owned(blank_lines(text, |l| {
        if heads(l) {
            in_links = true;
        } else if l.trim().is_empty() {
            in_links = false;
        }
        in_links
    }))
}

/// A line that opens with an arrow (`→申請不要で資格確認書を発送します`) finishes the line
/// above it (`マイナ保険証をお持ちでない方`): the two are read as one.
pub fn with_arrow_lines_joined(text: &str) -> Cow<'_, str> {
    if !text.lines().any(|l| l.trim_start().starts_with('→')) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for l in text.lines() {
        let t = l.trim_start_matches([' ', '\u{3000}', '\t']);
        if t.starts_with('→') && !out.trim_end().is_empty() {
            while out.ends_with(['\n', ' ', '\u{3000}']) {
                out.pop();
            }
            out.push_str(t);
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    Cow::Owned(out)
}

/// `s` without what stands between `opens` and `closes` (`(…)`, `「…」`), the marks
/// themselves included; an unclosed mark runs to the end.
pub fn outside(s: &str, opens: &[char], closes: &[char]) -> String {
    let mut depth = 0usize;
    s.chars()
        .filter(|c| {
            if opens.contains(c) {
                depth += 1;
            } else if closes.contains(c) {
                depth = depth.saturating_sub(1);
                return false;
            }
            depth == 0
        })
        .collect()
}

/// A range of days within one month written with the month once (`2月3~28日`, `7月14日~31日`,
/// `9月1日から26日`) spelt out in full (`2月3日~2月28日`), so that the date finder reads both
/// ends. A range whose second number is a month's (`7月14日~8月1日`) is left as it is.
pub fn with_month_day_ranges(s: &str) -> Cow<'_, str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = RE.get_or_init(|| {
        Regex::new(r"(\d{1,2})月(\d{1,2})日?(\([^)]{1,3}\))?\s*(~|から)\s*(\d{1,2})日(間)?")
            .expect("month day range regex")
    });
    r.replace_all(s, |c: &regex::Captures<'_>| {
        // (`7月22日から8日間`: a count of days, not a day.)
        if c.get(6).is_some() {
            return c[0].to_string();
        }
        format!(
            "{}月{}日{}{}{}月{}日",
            &c[1],
            &c[2],
            c.get(3).map_or("", |m| m.as_str()),
            &c[4],
            &c[1],
            &c[5]
        )
    })
}

/// What may follow a page's date stamp on its line: a weekday, a clock time (`18時30分`,
/// `05:00`, `T09:30+09:00`) and an update note (`(6月25日 05時00分更新)`), or nothing.
pub fn is_clock_tail(rest: &str) -> bool {
    static CLOCK: OnceLock<Regex> = OnceLock::new();
    CLOCK
        .get_or_init(|| {
            Regex::new(r"^\s*(?:\([^)]{1,3}\))?\s*(?:(?:午前|午後)?\s*[0-9]{1,2}(?::[0-9]{2}|時(?:[0-9]{1,2}分)?)|T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:[+-][0-9]{2}:?[0-9]{2}|Z)?)?\s*(?:\([^)]{0,24}(?:更新|配信|公開)\))?\s*$")
                .expect("clock regex")
        })
        .is_match(rest)
}

/// A printed page number on a line of its own (`-1-`, `－ 2 －`, `— 3 —`, `4/12`): the
/// page's furniture, never its content.
pub fn is_folio(line: &str) -> bool {
    let t = line.trim();
    let dashes = ['-', '－', '―', '—', '‐', '−'];
    let inner = t.trim_matches(|c: char| dashes.contains(&c) || c.is_whitespace());
    let digits = |x: &str| !x.is_empty() && x.len() <= 3 && x.chars().all(|c| c.is_ascii_digit());
    (inner.len() < t.len() && digits(inner))
        || t.split_once('/')
            .is_some_and(|(a, b)| digits(a) && digits(b))
}

/// A kanji (CJK unified ideograph, its extension A, or the repeat mark `々`).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々')
}

/// Labels of a page's own date (`更新日:2025年7月16日`, `登録日:…`): a date under one is the
/// page's, never a fact the page states.
pub const PAGE_DATE_LABELS: &[&str] = &[
    "最終更新日",
    "更新日",
    "掲載日",
    "公開日",
    "作成日",
    "発行日",
    "発表日",
    "登録日",
    "投稿日",
    "配信日",
];

/// The start of `s[at..]`, at most `max_chars` characters long (`at` is a byte offset
/// on a char boundary).
pub fn chars_after(s: &str, at: usize, max_chars: usize) -> &str {
    let rest = &s[at..];
    let end = rest
        .char_indices()
        .nth(max_chars)
        .map_or(rest.len(), |(i, _)| i);
    &rest[..end]
}

/// The end of `s[..at]`, at most `max_chars` characters long (`at` is a byte offset on
/// a char boundary, e.g. a span start from `mynawatch_ja::find_numbers`).
pub fn chars_before(s: &str, at: usize, max_chars: usize) -> &str {
    let head = &s[..at];
    let start = head
        .char_indices()
        .rev()
        .nth(max_chars.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if max_chars == 0 {
        ""
    } else {
        &head[start..]
    }
}

/// The numbers in `sentence` that have one of `keywords` within `window` characters
/// before them, each with the keyword nearest to it. A keyword only counts before the
/// number, because Japanese puts the label first (`被保険者 約160,000人`).
pub fn numbers_after<'k>(
    sentence: &str,
    keywords: &[&'k str],
    window: usize,
) -> Vec<(Number, &'k str)> {
    mynawatch_ja::find_numbers(sentence)
        .into_iter()
        .filter_map(|n| {
            let before = chars_before(sentence, n.span.start, window);
            let nearest = keywords
                .iter()
                .filter_map(|k| before.rfind(k).map(|at| (at, *k)))
                .max_by_key(|(at, k)| (*at, k.len()))?;
            Some((n, nearest.1))
        })
        .collect()
}

/// The word ending in `suffix` nearest before a figure, within `max_chars` characters:
/// `業者委託費 約1,260万円` with `'費'` → `業者委託費`. The word stops at whitespace and
/// punctuation.
pub fn label_ending_in(before: &str, suffix: char, max_chars: usize) -> Option<String> {
    let tail = chars_before(before, before.len(), max_chars);
    let at = tail.rfind(suffix)?;
    let word: Vec<char> = tail[..at + suffix.len_utf8()]
        .chars()
        .rev()
        .take_while(|c| !c.is_whitespace() && !"、。,:：()（）「」・/".contains(*c))
        .collect();
    (!word.is_empty()).then(|| word.into_iter().rev().collect())
}

/// Dates of one sentence whose start was written without a year and whose range end
/// carries one (`8月から令和8年7月までの1年間`, `12月1日～令和7年3月31日`): the start takes
/// the year that puts it before its end, whatever year the caller lent it. `dates` are
/// the sentence's dates in text order; a yearless date is one whose text has no `年`.
pub fn anchor_range_starts(s: &str, dates: &mut [mynawatch_ja::DateFound]) {
    for i in 1..dates.len() {
        let (head, tail) = dates.split_at_mut(i);
        let (start, end) = (&mut head[i - 1], &tail[0]);
        if start.writes_year() || !end.writes_year() || start.start <= end.start {
            continue;
        }
        let between = s.get(start.span.end..end.span.start).unwrap_or("");
        let joined = ["から", "~", "～", "より", "-"]
            .iter()
            .any(|k| between.trim_start_matches([' ', '日', '頃']).starts_with(k))
            && between.chars().count() <= 4;
        let back = |d: NaiveDate| d.checked_sub_months(chrono::Months::new(12));
        if let (true, Some(s0), Some(e0)) = (joined, back(start.start), back(start.end)) {
            if s0 <= end.start {
                start.start = s0;
                start.end = e0;
            }
        }
    }
}

/// A month, or part of one, written without its year (`7月`, `9月中旬`, `7月中旬から下旬`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthPeriod {
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// Byte range in the input.
    pub span: std::ops::Range<usize>,
}

fn month_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(\d{1,2})月(上旬|初旬|初め|中旬|中頃|中ごろ|下旬|末)?(?:(?:から|～|~|-)(上旬|初旬|初め|中旬|下旬|末))?",
        )
        .expect("month regex")
    })
}

/// Months written without a year, read in `year`; a `N月N日` date or a month that
/// carries its own year (`令和7年7月`) is left to `mynawatch_ja::find_dates`. Pages
/// say `7月に一斉発送` when the year is the page's, which the caller knows.
pub fn bare_months(s: &str, year: i32) -> Vec<MonthPeriod> {
    let part = |m: u32, p: Option<&str>, last: bool| -> Option<NaiveDate> {
        let end_of_month = mynawatch_ja::month_end(year, m)?;
        let day = match (p, last) {
            (None, false) | (Some("上旬" | "初旬" | "初め"), false) => 1,
            (Some("中旬" | "中頃" | "中ごろ"), false) => 11,
            (Some("下旬" | "末"), false) => 21,
            (Some("上旬" | "初旬" | "初め"), true) => 10,
            (Some("中旬" | "中頃" | "中ごろ"), true) => 20,
            _ => return Some(end_of_month),
        };
        NaiveDate::from_ymd_opt(year, m, day)
    };
    month_re()
        .captures_iter(s)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let before = s[..whole.start()].chars().next_back();
            // Part of a longer number or of a date with its year (年7月): not bare.
            if before.is_some_and(|ch| ch.is_ascii_digit() || ch == '年') {
                return None;
            }
            // `6月号`: an issue of a 広報, not a month of anything.
            if s[whole.end()..].starts_with('号') {
                return None;
            }
            // `7月31日` is a date, read by mynawatch_ja.
            if s[whole.end()..].starts_with(|ch: char| ch.is_ascii_digit()) && c.get(2).is_none() {
                return None;
            }
            let m: u32 = c[1].parse().ok().filter(|m| (1..=12).contains(m))?;
            let from = c.get(2).map(|x| x.as_str());
            let to = c.get(3).map(|x| x.as_str()).or(from);
            Some(MonthPeriod {
                start: part(m, from, false)?,
                end: part(m, to, true)?,
                span: whole.range(),
            })
        })
        .collect()
}

/// Default topic keywords: tag → words that mark it.
pub const DEFAULT_TOPICS: &[(&str, &[&str])] = &[
    (
        "mynumber_insurance",
        &[
            "マイナ保険証",
            "マイナンバーカード",
            "健康保険証",
            "保険証利用",
        ],
    ),
    (
        "qualification_certificate",
        &["資格確認書", "資格情報のお知らせ", "資格情報通知書"],
    ),
    (
        "ehr_sharing",
        &["電子カルテ", "電子処方箋", "医療DX", "医療情報の共有"],
    ),
    (
        "secondary_use",
        &["二次利用", "仮名加工", "医療データの利活用"],
    ),
];

/// Endings that negate a verb or noun stem right before them, in the forms pages write:
/// plain, polite, passive, である and written (`保有しない`, `お持ちでない`, `登録されていない`,
/// `登録のない`, `お済みでない`, `持っておらず`, `登録していません`).
const NEGATIONS: &[&str] = &["ない", "ず", "ません", "無い", "なし", "無し"];

/// True when a `stems` word in `s` is negated by its own ending: the negation must
/// follow within a few characters and before any clause break (`、`, `。`) or a noun
/// that starts a new phrase (`方`, `人`, `者`, `場合`). `保有しない方` and `お持ちでない人`
/// are negated; `保有の有無にかかわらず` and `お持ちの方も` are not.
pub fn negated(s: &str, stems: &[&str]) -> bool {
    stems.iter().any(|stem| {
        s.match_indices(stem).any(|(at, _)| {
            let tail = &s[at + stem.len()..];
            let window: String = tail
                .chars()
                .take(10)
                .take_while(|c| !"、。,.!?()「」".contains(*c))
                .collect();
            let cut = ["方", "人", "者", "場合", "世帯", "とき", "時"]
                .iter()
                .filter_map(|k| window.find(k))
                .min()
                .unwrap_or(window.len());
            let window = &window[..cut];
            // `保有の有無にかかわらず`, `登録を問わず`, `登録状況によらず`: a choice, not a
            // negation.
            let either = [
                "有無",
                "かかわら",
                "関わら",
                "拘わら",
                "問わ",
                "関係な",
                "関係無",
                // `登録状況によらず`: regardless of it.
                "よら",
            ];
            !either.iter().any(|k| window.contains(k))
                && NEGATIONS.iter().any(|n| window.contains(n))
        })
    })
}

/// Topic tags whose keywords occur in `text`, in table order.
pub fn topics(text: &str, table: &[(String, Vec<String>)]) -> Vec<String> {
    let norm = mynawatch_ja::normalize(text);
    table
        .iter()
        .filter(|(_, words)| words.iter().any(|w| norm.contains(w.as_str())))
        .map(|(tag, _)| tag.clone())
        .collect()
}

/// [`DEFAULT_TOPICS`] as an owned table (families let options replace it).
pub fn default_topics() -> Vec<(String, Vec<String>)> {
    DEFAULT_TOPICS
        .iter()
        .map(|(t, ws)| (t.to_string(), ws.iter().map(|w| w.to_string()).collect()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_range_with_its_month_written_once_is_spelt_out() {
        assert_eq!(
            with_month_day_ranges("アンケートは2月3~28日に実施"),
            "アンケートは2月3日~2月28日に実施"
        );
        assert_eq!(
            with_month_day_ranges("9月1日(月)から26日まで"),
            "9月1日(月)から9月26日まで"
        );
        // A count of days is no day.
        assert_eq!(
            with_month_day_ranges("7月22日(月)から8日間"),
            "7月22日(月)から8日間"
        );
        // Two months: nothing to spell out.
        assert_eq!(with_month_day_ranges("7月14日~8月1日"), "7月14日~8月1日");
    }

    #[test]
    fn hard_wrapped_prose_is_joined_back_into_sentences() {
        let text = "保団連の調査結果について\n\n全国の保団連がきのう、\n5月以降に行った調査の結果\nを公表した。次の段落\nの文はここまでです。\n主なものは次のとおり、\n・読み取り機の不良が多い\n";
        assert_eq!(
            unwrapped_lines(text),
            vec![
                ("保団連の調査結果について".to_string(), 1, 1),
                (
                    "全国の保団連がきのう、5月以降に行った調査の結果を公表した。次の段落の文はここまでです。"
                        .to_string(),
                    3,
                    6
                ),
                ("主なものは次のとおり、".to_string(), 7, 7),
                ("・読み取り機の不良が多い".to_string(), 8, 8),
            ]
        );
        // Lines that end their sentences are not a wrapped text: a headline ending on a
        // particle stays on its own.
        let news =
            "県内の医療機関で\n2024年6月3日\n協会が調査結果を公表しました。\n回答は300件でした。\n";
        assert_eq!(unwrapped_lines(news).len(), 4);
    }

    #[test]
    fn negated_reads_every_form_of_a_negated_stem() {
        let stems = ["保有", "お持ち", "持っ", "持た", "登録"];
        for s in [
            "マイナ保険証を保有しない方",
            "マイナ保険証をお持ちでない方",
            "マイナ保険証を持っていない人",
            "マイナ保険証を持たない方",
            "利用登録のない方",
            "利用登録がされていない方",
            "利用登録をしておらず",
            "登録していません",
        ] {
            assert!(negated(s, &stems), "{s}");
        }
        for s in [
            "マイナ保険証の保有の有無にかかわらず",
            "マイナ保険証をお持ちの方も",
            "利用登録をした方には、資格情報のお知らせが届きます",
            "マイナ保険証を保有する方",
        ] {
            assert!(!negated(s, &stems), "{s}");
        }
    }

    #[test]
    fn sentences_split_at_maru_and_lines() {
        assert_eq!(
            sentences("一つ目。二つ目\n三つ目。 "),
            vec!["一つ目。", "二つ目", "三つ目。"]
        );
    }

    #[test]
    fn chars_before_counts_characters_not_bytes() {
        let s = "世帯数は約122,000世帯";
        let at = s.find('約').unwrap();
        assert_eq!(chars_before(s, at, 2), "数は");
        assert_eq!(chars_before(s, at, 99), "世帯数は");
        assert_eq!(chars_before(s, at, 0), "");
    }

    #[test]
    fn numbers_after_takes_the_nearest_keyword_before_the_number() {
        let s = "約122,000世帯(被保険者約160,000人)、対象外は3人";
        let got: Vec<(Option<f64>, &str)> = numbers_after(s, &["世帯", "被保険者"], 6)
            .into_iter()
            .map(|(n, k)| (n.value, k))
            .collect();
        // 122,000 has no keyword before it; 3人 is too far from any keyword.
        assert_eq!(got, vec![(Some(160_000.0), "被保険者")]);
    }

    #[test]
    fn label_ending_in_stops_at_punctuation() {
        assert_eq!(
            label_ending_in("経費の内訳は、業者委託費 ", '費', 16).as_deref(),
            Some("業者委託費")
        );
        assert_eq!(label_ending_in("郵送料 ", '費', 16), None);
    }

    #[test]
    fn a_yearless_range_start_takes_the_year_that_puts_it_before_its_end() {
        let s = "12月1日から令和7年3月31日まで、8月1日~令和8年7月31日";
        let mut found = mynawatch_ja::find_dates_with_year(s, 2025);
        anchor_range_starts(s, &mut found);
        let starts: Vec<String> = found.iter().map(|d| d.start.to_string()).collect();
        assert!(starts.contains(&"2024-12-01".to_string()), "{starts:?}");
        // Already before its end: left as lent.
        assert!(starts.contains(&"2025-08-01".to_string()), "{starts:?}");
    }

    #[test]
    fn bare_months_read_parts_and_ranges_in_the_given_year() {
        let got: Vec<(String, String)> = bare_months("7月に発送、9月中旬、7月中旬から下旬", 2025)
            .into_iter()
            .map(|p| (p.start.to_string(), p.end.to_string()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2025-07-01".into(), "2025-07-31".into()),
                ("2025-09-11".into(), "2025-09-20".into()),
                ("2025-07-11".into(), "2025-07-31".into()),
            ]
        );
        assert!(bare_months("令和7年7月に発送、7月31日まで、12月", 2025).len() == 1);
    }

    #[test]
    fn topics_follow_the_table() {
        let t = default_topics();
        assert_eq!(
            topics("マイナ保険証と資格確認書について", &t),
            vec!["mynumber_insurance", "qualification_certificate"]
        );
        assert!(topics("天気の話", &t).is_empty());
    }
}
