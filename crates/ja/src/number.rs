//! Numbers as Japanese statistics and notices write them.
//!
//! A number is: an optional qualifier (約, およそ, 概ね; 少なくとも = at least), an optional
//! sign (△ ▲ -), a body (Arabic digits with `,` grouping and decimals, mixed with 兆/億/万/千:
//! `1億8,485万`, `1万2千`; or kanji numerals: `八百八十七億`, `二〇二五`, `四・五`; a middle dot between
//! digits right before `%` is a decimal point, `15・7%`), an optional unit (千円,
//! 百万円, 円, %, 割, 人, 世帯, 件, 枚, 医療機関, …) and an optional trailing qualifier
//! (以上, 未満, 超, 以下, 程度, 前後) or status mark (`p` preliminary, `r` revised).
//! Statistical symbols in a cell (`-`, `―`, `x`, `χ`, `…`, blank) are a status, not a value.

use mynawatch_model::{FigureStatus, Qualifier};
use serde::Serialize;

use crate::norm::Normalized;
use crate::JaError;

/// A number found in text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Number {
    /// The value with scale applied; `None` for symbols (suppressed, missing).
    pub value: Option<f64>,
    /// `count`, `percent`, `jpy`, `persons`, `households`, `institutions`, `years`, or empty.
    pub unit: String,
    /// Multiplier applied to the written number (千円 → 1000, 万 → 10000).
    pub scale: f64,
    /// 約 / 以上 / 未満 / 超 / 以下 / 程度.
    pub qualifier: Option<Qualifier>,
    /// From symbols and p/r marks.
    pub status: FigureStatus,
    /// Byte range in the original input.
    pub span: std::ops::Range<usize>,
    /// The original text of the span.
    pub text: String,
}

const UNITS: &[(&str, &str, f64)] = &[
    ("百万円", "jpy", 1e6),
    ("千円", "jpy", 1e3),
    ("円", "jpy", 1.0),
    ("パーセント", "percent", 1.0),
    ("%", "percent", 1.0),
    ("割", "percent", 10.0),
    ("医療機関", "institutions", 1.0),
    ("機関", "institutions", 1.0),
    ("施設", "institutions", 1.0),
    ("自治体", "count", 1.0),
    ("団体", "count", 1.0),
    ("世帯", "households", 1.0),
    ("人", "persons", 1.0),
    ("名", "persons", 1.0),
    ("件", "count", 1.0),
    ("枚", "count", 1.0),
    ("通", "count", 1.0),
    ("回", "count", 1.0),
    ("か所", "count", 1.0),
    ("カ所", "count", 1.0),
    ("箇所", "count", 1.0),
    ("歳", "years", 1.0),
];

const PREFIX_QUALIFIERS: &[(&str, Qualifier)] = &[
    ("約", Qualifier::Approx),
    ("およそ", Qualifier::Approx),
    ("概ね", Qualifier::Approx),
    ("おおむね", Qualifier::Approx),
    ("少なくとも", Qualifier::AtLeast),
];

const SUFFIX_QUALIFIERS: &[(&str, Qualifier)] = &[
    ("以上", Qualifier::AtLeast),
    ("未満", Qualifier::Under),
    ("超え", Qualifier::Over),
    ("超", Qualifier::Over),
    ("以下", Qualifier::AtMost),
    ("程度", Qualifier::Approx),
    ("前後", Qualifier::Approx),
    ("余り", Qualifier::Approx),
];

/// The status a cell's symbol stands for, if the cell is only a symbol.
pub fn status_symbol(cell: &str) -> Option<FigureStatus> {
    let cell = cell.trim();
    if cell.starts_with(|c: char| c.is_ascii_digit()) {
        // A digit normalizes to itself, and no symbol starts with one: the common cell.
        return None;
    }
    let n = Normalized::new(cell);
    let t = n.text.trim();
    Some(match t {
        "" | "-" | "―" | "—" | "ー" | "--" => FigureStatus::Missing,
        "x" | "X" | "χ" | "×" => FigureStatus::Suppressed,
        "…" | "..." | "・・・" | "···" => FigureStatus::Missing,
        "p" | "P" => FigureStatus::Preliminary,
        "r" | "R" => FigureStatus::Revised,
        _ => return None,
    })
}

/// Parse one cell or short string as a number (symbols give a status and no value).
pub fn parse_number(s: &str) -> Result<Number, JaError> {
    parse_number_scaled(s, 1.0)
}

/// Like [`parse_number`], with a scale from the column header (`（千円）` → 1000).
pub fn parse_number_scaled(s: &str, header_scale: f64) -> Result<Number, JaError> {
    if let Some(status) = status_symbol(s) {
        return Ok(Number {
            value: None,
            unit: String::new(),
            scale: header_scale,
            qualifier: None,
            status,
            span: 0..s.len(),
            text: s.to_string(),
        });
    }
    // An ASCII cell (`1,941,832`, `8.4%`) is its own normal form: no copy, no byte map.
    let n = (!s.is_ascii()).then(|| Normalized::new(s));
    let t = n.as_ref().map_or(s, |n| n.text.as_str());
    let start = t.len() - t.trim_start().len();
    let (mut num, end) = scan(t, start, true).ok_or_else(|| JaError::NotANumber(s.to_string()))?;
    // The rest of the cell may only be a note mark such as ※1 or (注).
    let rest = t[end..].trim();
    if !rest.is_empty() && !rest.starts_with(['※', '(', '注', '*']) {
        return Err(JaError::NotANumber(s.to_string()));
    }
    if header_scale != 1.0 {
        num.value = num.value.map(|v| v * header_scale);
        num.scale *= header_scale;
    }
    num.span = match &n {
        Some(n) => n.original(start..end),
        // The identity map gives back a non-empty range as it is.
        None if end > start => start..end,
        None => Normalized::new(s).original(start..end),
    };
    num.text = s[num.span.clone()].to_string();
    Ok(num)
}

/// Every number in free text, with spans into `text`.
pub fn find_numbers(text: &str) -> Vec<Number> {
    let n = Normalized::new(text);
    let t = n.text.as_str();
    let mut out = Vec::new();
    let mut i = 0;
    // Not inside a word of ASCII letters/digits (model numbers, URLs).
    let mut boundary = true;
    while let Some(c) = t[i..].chars().next() {
        if boundary && may_start_number(c) {
            if let Some((mut num, end)) = scan(t, i, false) {
                num.span = n.original(i..end);
                num.text = text[num.span.clone()].to_string();
                out.push(num);
                boundary = !t[..end]
                    .chars()
                    .next_back()
                    .is_some_and(|p| p.is_ascii_alphanumeric() || p == '.' || p == ',');
                i = end;
                continue;
            }
        }
        boundary = !(c.is_ascii_alphanumeric() || c == '.' || c == ',');
        i += c.len_utf8();
    }
    out
}

/// True for every char that [`scan`] can find a number at: a digit, a kanji numeral, a
/// sign or the first char of a qualifier. Most positions of prose are none of these, and
/// are passed over without a scan.
fn may_start_number(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit() || c == '-';
    }
    kanji_digit(c).is_some()
        || small_unit(c).is_some()
        || multiplier(c).is_some()
        || matches!(c, '・' | '△' | '▲')
        || prefix_starts().contains(&c)
}

/// The first char of each prefix qualifier. Compared as chars: `str::starts_with(char)`
/// encodes the char to UTF-8 for every prefix, most of `find_numbers`' time on prose.
fn prefix_starts() -> &'static [char] {
    static STARTS: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    STARTS.get_or_init(|| {
        PREFIX_QUALIFIERS
            .iter()
            .filter_map(|(p, _)| p.chars().next())
            .collect()
    })
}

fn skip_spaces(t: &str, mut i: usize) -> usize {
    while t[i..].starts_with(' ') {
        i += 1;
    }
    i
}

/// Scan a number starting at byte `i` of normalized `t`. `whole_cell` relaxes the rules
/// for lone kanji numerals (a cell `五` is a number; `一斉` in prose is not).
fn scan(t: &str, i: usize, whole_cell: bool) -> Option<(Number, usize)> {
    let mut j = i;
    let mut qualifier = None;
    for (p, q) in PREFIX_QUALIFIERS {
        if t[j..].starts_with(p) {
            qualifier = Some(*q);
            j = skip_spaces(t, j + p.len());
            break;
        }
    }
    let mut negative = false;
    for sign in ["△", "▲", "-"] {
        if t[j..].starts_with(sign) {
            let after = j + sign.len();
            if t[after..].starts_with(|c: char| c.is_ascii_digit()) {
                negative = true;
                j = after;
            }
            break;
        }
    }
    let (mut value, mut scale, mut k) = match arabic(t, j) {
        Some(x) => x,
        None => {
            let (v, s, k) = kanji(t, j)?;
            let len = t[j..k].chars().count();
            let unit_follows = unit_at(t, skip_spaces(t, k)).is_some();
            if !(whole_cell || unit_follows || (len >= 2 && is_positional(&t[j..k]))) {
                return None;
            }
            (v, s, k)
        }
    };
    let mut unit = String::new();
    let after_space = skip_spaces(t, k);
    if let Some((u, name, s)) = unit_at(t, after_space) {
        unit = name.to_string();
        value *= s;
        scale *= s;
        k = after_space + u.len();
    }
    let mut status = FigureStatus::Final;
    for (q, kind) in SUFFIX_QUALIFIERS {
        if t[k..].starts_with(q) {
            qualifier = Some(*kind);
            k += q.len();
            break;
        }
    }
    if unit.is_empty() {
        // A trailing p/r mark on a bare number: 1,234p (preliminary), 1,234r (revised).
        let next = t[k..].chars().next();
        let after = t[k..].chars().nth(1);
        if matches!(next, Some('p' | 'r')) && !after.is_some_and(|c| c.is_ascii_alphanumeric()) {
            status = if next == Some('p') {
                FigureStatus::Preliminary
            } else {
                FigureStatus::Revised
            };
            k += 1;
        }
    }
    if negative {
        value = -value;
    }
    Some((
        Number {
            value: Some(value),
            unit,
            scale,
            qualifier,
            status,
            span: 0..0,
            text: String::new(),
        },
        k,
    ))
}

fn unit_at(t: &str, i: usize) -> Option<(&'static str, &'static str, f64)> {
    UNITS
        .iter()
        .find(|(u, _, _)| t[i..].starts_with(u))
        .copied()
}

fn multiplier(c: char) -> Option<f64> {
    match c {
        '兆' => Some(1e12),
        '億' => Some(1e8),
        '万' => Some(1e4),
        _ => None,
    }
}

/// Arabic digits, possibly mixed with 兆/億/万/千 (`1万2千`, `8千`, `1千万`): returns
/// (value, scale, end). `千円` stays a unit of its own ([`UNITS`]).
fn arabic(t: &str, i: usize) -> Option<(f64, f64, usize)> {
    let mut total = 0.0;
    let mut j = i;
    let mut groups = 0;
    let mut last_mult = 1.0;
    while let Some((v, end)) = digits(t, j) {
        groups += 1;
        let k = skip_spaces(t, end);
        let rest = &t[k..];
        let thousand = rest.starts_with('千') && !rest.starts_with("千円");
        let mult = if thousand {
            // `1千万`: thousands of the larger unit that follows.
            let after = &rest['千'.len_utf8()..];
            match after.chars().next().and_then(multiplier) {
                Some(big) => Some((1e3 * big, '千'.len_utf8() + '万'.len_utf8())),
                None => Some((1e3, '千'.len_utf8())),
            }
        } else {
            rest.chars()
                .next()
                .and_then(multiplier)
                .map(|m| (m, '万'.len_utf8()))
        };
        match mult {
            Some((m, width)) => {
                total += v * m;
                last_mult = m;
                j = k + width;
            }
            None => {
                total += v;
                last_mult = if groups == 1 { 1.0 } else { last_mult };
                j = end;
                break;
            }
        }
    }
    (groups > 0).then_some((total, if groups == 1 { last_mult } else { 1.0 }, j))
}

/// `128,066,211`, `8.4`, `12735` at byte `i`: (value, end). Grouping commas must be
/// well-formed; a comma that is not grouping ends the number (`1,2` is two numbers).
fn digits(t: &str, i: usize) -> Option<(f64, usize)> {
    let b = t.as_bytes();
    let mut j = i;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    if j == i {
        return None;
    }
    let mut int: String = t[i..j].to_string();
    // Grouping commas only after a first group of 1–3 digits, then groups of exactly 3.
    if int.len() <= 3 {
        while b.get(j) == Some(&b',')
            && b.get(j + 1..j + 4)
                .is_some_and(|g| g.iter().all(u8::is_ascii_digit))
            && !b.get(j + 4).is_some_and(u8::is_ascii_digit)
        {
            int.push_str(&t[j + 1..j + 4]);
            j += 4;
        }
    }
    let mut text = int.replace(',', "");
    if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
        let mut k = j + 1;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        text.push_str(&t[j..k]);
        j = k;
    } else if let Some(k) = middle_dot_decimal(t, j) {
        text.push('.');
        text.push_str(&t[j + MIDDLE_DOT.len_utf8()..k]);
        j = k;
    }
    text.parse().ok().map(|v| (v, j))
}

const MIDDLE_DOT: char = '・';

/// `15・7%`: newspapers and association reports print the decimal point of a share as a
/// middle dot. Read only between digits and right before a percent sign, where the dot
/// cannot be a list separator (`1・2年生`, `A・B`). Returns the end of the fraction.
fn middle_dot_decimal(t: &str, j: usize) -> Option<usize> {
    let rest = t.get(j..)?.strip_prefix(MIDDLE_DOT)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let k = j + MIDDLE_DOT.len_utf8() + digits;
    let after = t[k..].trim_start_matches(' ');
    (after.starts_with('%') || after.starts_with("パーセント")).then_some(k)
}

fn kanji_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壱' => 1,
        '二' | '弐' => 2,
        '三' | '参' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn small_unit(c: char) -> Option<u32> {
    match c {
        '十' | '拾' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

fn is_positional(s: &str) -> bool {
    s.chars()
        .any(|c| small_unit(c).is_some() || multiplier(c).is_some())
        || s.chars().filter(|c| kanji_digit(*c).is_some()).count() >= 2
}

/// Kanji numerals: positional (`八百八十七億`, `一万二千三百`), digit-by-digit
/// (`二〇二五`), with `・` as a decimal point (`四・五`). Returns (value, scale, end).
fn kanji(t: &str, i: usize) -> Option<(f64, f64, usize)> {
    // Only the run of numeral characters, not the rest of the text: this is called at
    // every position of a long text.
    let chars: Vec<(usize, char)> = t[i..]
        .char_indices()
        .map(|(o, c)| (i + o, c))
        .take_while(|&(_, c)| {
            kanji_digit(c).is_some()
                || small_unit(c).is_some()
                || multiplier(c).is_some()
                || c == '・'
        })
        .collect();
    let mut n = 0;
    while n < chars.len() {
        let c = chars[n].1;
        let ok = kanji_digit(c).is_some()
            || small_unit(c).is_some()
            || multiplier(c).is_some()
            || (c == '・'
                && n > 0
                && kanji_digit(chars[n - 1].1).is_some()
                && chars.get(n + 1).is_some_and(|x| kanji_digit(x.1).is_some()));
        if !ok {
            break;
        }
        n += 1;
    }
    // A numeral cannot start with a bare multiplier (万一 is a word, not 10,000).
    if n == 0 || multiplier(chars[0].1).is_some() {
        return None;
    }
    let seq: Vec<char> = chars[..n].iter().map(|x| x.1).collect();
    // `chars` holds only the numeral run, so the end is just past its last character.
    let end = chars
        .get(n)
        .map(|x| x.0)
        .unwrap_or_else(|| chars.last().map(|&(at, c)| at + c.len_utf8()).unwrap_or(i));
    if let Some(dot) = seq.iter().position(|&c| c == '・') {
        let int: String = seq[..dot]
            .iter()
            .map(|c| char::from_digit(kanji_digit(*c)?, 10))
            .collect::<Option<_>>()?;
        let frac: String = seq[dot + 1..]
            .iter()
            .map(|c| char::from_digit(kanji_digit(*c)?, 10))
            .collect::<Option<_>>()?;
        return format!("{int}.{frac}").parse().ok().map(|v| (v, 1.0, end));
    }
    if seq.iter().all(|c| kanji_digit(*c).is_some()) {
        let v = seq.iter().fold(0u64, |acc, c| {
            acc * 10 + kanji_digit(*c).unwrap_or(0) as u64
        });
        return Some((v as f64, 1.0, end));
    }
    let (mut total, mut section, mut digit) = (0u64, 0u64, None::<u64>);
    let mut last_mult = 1.0;
    for c in seq {
        if let Some(d) = kanji_digit(c) {
            digit = Some(digit.unwrap_or(0) * 10 + d as u64);
        } else if let Some(u) = small_unit(c) {
            section += digit.take().unwrap_or(1) * u as u64;
        } else if let Some(m) = multiplier(c) {
            section += digit.take().unwrap_or(0);
            total += section.max(1) * m as u64;
            section = 0;
            last_mult = m;
        }
    }
    total += section + digit.unwrap_or(0);
    let scale = if total % last_mult as u64 == 0 {
        last_mult
    } else {
        1.0
    };
    Some((total as f64, scale, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Option<f64> {
        parse_number(s).unwrap().value
    }

    #[test]
    fn arabic_forms() {
        assert_eq!(v("128,066,211"), Some(128_066_211.0));
        assert_eq!(v("８．４％"), Some(8.4));
        assert_eq!(v("△1,234"), Some(-1234.0));
        assert_eq!(v("▲5"), Some(-5.0));
        assert_eq!(v("−3"), Some(-3.0));
        assert_eq!(v("1億8,485万件"), Some(184_850_000.0));
        assert_eq!(v("8千医療機関"), Some(8_000.0));
        assert_eq!(v("1万2千人"), Some(12_000.0));
        assert_eq!(v("1千万円"), Some(10_000_000.0));
        assert_eq!(v("5千円"), Some(5_000.0));
        assert_eq!(v("97,985,287枚"), Some(97_985_287.0));
    }

    #[test]
    fn qualifiers_are_kept() {
        let n = parse_number("約1,260万円").unwrap();
        assert_eq!(
            (n.value, n.unit.as_str(), n.scale, n.qualifier),
            (Some(12_600_000.0), "jpy", 10_000.0, Some(Qualifier::Approx))
        );
        assert_eq!(
            parse_number("10万人以上").unwrap().qualifier,
            Some(Qualifier::AtLeast)
        );
        assert_eq!(
            parse_number("少なくとも776件").unwrap().qualifier,
            Some(Qualifier::AtLeast)
        );
        assert_eq!(
            parse_number("5%未満").unwrap().qualifier,
            Some(Qualifier::Under)
        );
    }

    #[test]
    fn kanji_numerals() {
        assert_eq!(v("八百八十七億円"), Some(88_700_000_000.0));
        let in_prose = &find_numbers("予算八百八十七億円を計上")[0];
        assert_eq!(
            (in_prose.text.as_str(), in_prose.unit.as_str()),
            ("八百八十七億円", "jpy")
        );
        assert_eq!(v("一万二千三百"), Some(12_300.0));
        assert_eq!(v("二〇二五"), Some(2025.0));
        assert_eq!(v("四・五％"), Some(4.5));
    }

    #[test]
    fn scaled_units() {
        let n = parse_number("1,234千円").unwrap();
        assert_eq!((n.value, n.scale), (Some(1_234_000.0), 1000.0));
        assert_eq!(
            parse_number_scaled("1,234", 1000.0).unwrap().value,
            Some(1_234_000.0)
        );
    }

    #[test]
    fn symbols_are_statuses() {
        assert_eq!(parse_number("x").unwrap().status, FigureStatus::Suppressed);
        assert_eq!(parse_number("χ").unwrap().status, FigureStatus::Suppressed);
        assert_eq!(parse_number("―").unwrap().value, None);
        assert_eq!(parse_number("").unwrap().status, FigureStatus::Missing);
        assert_eq!(
            parse_number("1,234p").unwrap().status,
            FigureStatus::Preliminary
        );
        assert!(parse_number("資格確認書").is_err());
        assert!(parse_number("12 円 と 5").is_err());
    }

    #[test]
    fn numbers_in_prose_with_spans() {
        let text = "業者委託費 約1,260万円、郵送費 約３，７８０万円。一斉に送付します。";
        let found = find_numbers(text);
        let got: Vec<(Option<f64>, &str)> =
            found.iter().map(|n| (n.value, n.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (Some(12_600_000.0), "約1,260万円"),
                (Some(37_800_000.0), "約３，７８０万円")
            ]
        );
        assert_eq!(&text[found[1].span.clone()], "約３，７８０万円");
    }

    #[test]
    fn a_middle_dot_before_a_percent_sign_is_a_decimal_point() {
        assert_eq!(v("15・7%"), Some(15.7));
        assert_eq!(v("64・2％"), Some(64.2));
        assert_eq!(v("15・67%"), Some(15.67));
        let found = find_numbers("「とても負担を感じる」15・7%、「負担を感じる」45・2%");
        let got: Vec<Option<f64>> = found.iter().map(|n| n.value).collect();
        assert_eq!(got, vec![Some(15.7), Some(45.2)]);
        assert_eq!(found[0].text, "15・7%");
        // Not before a percent sign: a list separator, two numbers.
        let list: Vec<Option<f64>> = find_numbers("1・2年生").iter().map(|n| n.value).collect();
        assert_eq!(list, vec![Some(1.0), Some(2.0)]);
    }

    #[test]
    fn stray_spaces_from_pdfs() {
        let found = find_numbers("回答 12,735 医療機関のうち");
        assert_eq!(found[0].value, Some(12_735.0));
        assert_eq!(found[0].unit, "institutions");
    }
}
