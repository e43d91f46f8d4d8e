//! Page structure for the text families: what each line of main text is, and which
//! label or heading it sits under. Real pages state a fact in many shapes, and the
//! shape tells its role before any wording does:
//!
//! - a label with its value on one line: `有効期間：令和7年8月1日～令和8年7月31日`,
//!   `・交付方法：特定記録郵便`, `（５）交付予定時期 令和７年９月中旬`, `【送付時期】7月中旬`,
//!   `資格確認書 | 令和8年7月31日` (a table row from the HTML layer);
//! - a heading (a short line without a sentence end, `【…】`, `[対象者]`, `■有効期限`) and
//!   the lines under it up to the next heading of the same kind;
//! - list items (`・`, `●`, `(1)`, `1.`, `①`) and prose.
//!
//! Pure and vocabulary-free: it finds labels by shape, never by what they say. A family
//! maps a label to a role ([`Line::label`] and [`Line::heading`] give the words) and
//! reads the value in that role. Works on normalized text (NFKC: `：` is `:`, `（` is `(`)
//! so HTML main text and PDF text read alike.

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A short line without a sentence end that the next lines sit under.
    Heading,
    /// A label and its value on one line (`有効期間: …`, `(3)有効期間 …`, `【時期】…`).
    KeyValue,
    /// A table row (`cell | cell`) from the HTML layer; its first cell is the label.
    Row,
    /// A list or numbered item without a label.
    Item,
    /// Anything else.
    Prose,
}

/// One non-empty line of text with its shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 0-based index among the non-empty lines.
    pub index: usize,
    /// The line as given (trimmed).
    pub text: String,
    /// Its shape.
    pub shape: Shape,
    /// The label: the key of a key–value line, the first cell of a row, the words of a
    /// heading; empty for items and prose.
    pub label: String,
    /// The value: what follows the label (the rest of a row's cells joined by ` | `);
    /// the whole line for items and prose; empty for a heading.
    pub value: String,
    /// The words of the heading this line sits under (empty at the top of the page).
    pub heading: String,
    /// How many lines below that heading this line is (1 = right under it; 0 for a
    /// heading or a line above every heading).
    pub below: usize,
    /// A row's cells after the first (trimmed; empty for other shapes).
    pub cells: Vec<String>,
    /// The header of the table a row sits in: the cells after the first of the table's
    /// first row that names its columns (two or more non-empty cells, no digits), when
    /// this row comes after it (`名称 | 資格情報のお知らせ | 資格確認書`). Empty otherwise.
    pub columns: Vec<String>,
}

/// What opens a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// Nothing: the line starts with its words.
    None,
    /// `・`, `-`, `*`, `※`, `(3)`, `3.`: an item of a list, never a heading.
    Item,
    /// `■`, `●`, `◆`, `①`…: a bullet that may head what follows.
    Bullet,
}

/// Bullets that only open list items (see [`Marker::Item`]).
const ITEM_BULLETS: &[char] = &['・', '-', '*', '※'];

/// Markers that open a list item: bullets and notes.
const BULLETS: &[char] = &[
    '・', '●', '○', '◎', '◯', '■', '□', '◆', '◇', '▶', '▷', '►', '★', '☆', '-', '*', '>', '※',
    '〇', '▽', '▼', '△', '▲',
];

/// The lines of `text` with their shapes and the headings they sit under.
pub fn lines(text: &str) -> Vec<Line> {
    let raw: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut out: Vec<Line> = Vec::with_capacity(raw.len());
    let mut heading = String::new();
    let mut below = 0;
    // The header of the run of table rows being read (`None` outside a table).
    let mut header: Option<Vec<String>> = None;
    for (index, l) in raw.iter().enumerate() {
        let next = raw.get(index + 1).copied();
        let (shape, label, value) = shape_of(l, next);
        // `---|---|`: a separator inside a table, not the table's end.
        let separator = is_separator(l);
        let cells = if shape == Shape::Row {
            row_cells(l)
        } else {
            Vec::new()
        };
        let columns = match (&shape, &mut header) {
            _ if separator => Vec::new(),
            (Shape::Row, Some(h)) if !h.is_empty() => h.clone(),
            (Shape::Row, h) => {
                let names = cells.iter().filter(|c| !c.is_empty()).count() >= 2
                    && !l.chars().any(|c| c.is_ascii_digit());
                *h = Some(if names { cells.clone() } else { Vec::new() });
                Vec::new()
            }
            (_, h) => {
                *h = None;
                Vec::new()
            }
        };
        if shape == Shape::Heading {
            heading = label.clone();
            below = 0;
            out.push(Line {
                index,
                text: l.to_string(),
                shape,
                label,
                value,
                heading: String::new(),
                below: 0,
                cells,
                columns,
            });
            continue;
        }
        if !heading.is_empty() {
            below += 1;
        }
        out.push(Line {
            index,
            text: l.to_string(),
            shape,
            label,
            value,
            heading: heading.clone(),
            below,
            cells,
            columns,
        });
    }
    out
}

/// A table's separator line (`---|---|`, `|:--|--:|`).
pub fn is_separator(l: &str) -> bool {
    l.chars().all(|c| matches!(c, '-' | '|' | ':' | ' '))
}

/// The cells of a table row after the first (`名称 | A | B |` → `[A, B]`).
fn row_cells(l: &str) -> Vec<String> {
    l.trim_end_matches(['|', ' '])
        .split(" | ")
        .skip(1)
        .map(|c| c.trim().trim_end_matches('|').trim().to_string())
        .collect()
}

/// `l` without a leading list marker (`・`, `(3)`, `3.`, `③`), and which kind it had.
pub fn strip_marker(l: &str) -> (&str, Marker) {
    let t = l.trim_start();
    if let Some(c) = t.chars().next() {
        if BULLETS.contains(&c) || ('\u{2460}'..='\u{2473}').contains(&c) {
            let rest = &t[c.len_utf8()..];
            let kind = if ITEM_BULLETS.contains(&c) {
                Marker::Item
            } else {
                Marker::Bullet
            };
            return (rest.trim_start(), kind);
        }
    }
    // `(3)`, `(ア)`, `3.`, `3)`, `3、`.
    if let Some(inner) = t.strip_prefix('(') {
        if let Some(close) = inner.find(')') {
            let tag = &inner[..close];
            if !tag.is_empty() && tag.chars().count() <= 2 {
                return (inner[close + 1..].trim_start(), Marker::Item);
            }
        }
    }
    // A regulation's items (`一 個人番号カードの交付を受けていない者`): a kanji numeral and a
    // space.
    let mut chars = t.chars();
    if let (Some(n), Some(' ' | '\u{3000}')) = (chars.next(), chars.next()) {
        if "一二三四五六七八九十".contains(n) {
            return (chars.as_str().trim_start(), Marker::Item);
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &t[digits..];
        for m in [".", ")", "、", " "] {
            if let Some(r) = rest.strip_prefix(m) {
                // `7月…` is no item number; `1. 対象` is.
                return (r.trim_start(), Marker::Item);
            }
        }
    }
    (t, Marker::None)
}

/// A label that is a name, not a sentence: short, no sentence end, no particle that makes
/// a clause (`資格確認書は…` is prose).
fn is_label(s: &str) -> bool {
    let n = s.chars().count();
    (1..=16).contains(&n)
        && !s.contains('。')
        && !s.ends_with('は')
        && !s.ends_with('が')
        && !s.ends_with('を')
        && !s.ends_with('に')
        && !s.chars().all(|c| c.is_ascii_digit() || c == '.')
        // `新しい資格確認書(有効期限:…)を…`: a colon inside brackets is a note's, and the
        // words before it are no label.
        && s.matches('(').count() <= s.matches(')').count()
        && !["ます", "です", "ください", "http"]
            .iter()
            .any(|k| s.contains(k))
}

/// Bracketed labels: `【X】`, `[X]`, `<X>`, `〈X〉`, `《X》`, `≪X≫`.
const LABEL_BRACKETS: &[(char, char)] = &[
    ('【', '】'),
    ('[', ']'),
    ('<', '>'),
    ('〈', '〉'),
    ('《', '》'),
    ('≪', '≫'),
    ('〔', '〕'),
];

fn shape_of(l: &str, next: Option<&str>) -> (Shape, String, String) {
    // A table row from the HTML layer.
    if l.contains(" | ") {
        let mut cells = l.split(" | ");
        let first = cells.next().unwrap_or_default().trim().to_string();
        let rest: Vec<&str> = cells.map(str::trim).collect();
        return (Shape::Row, first, rest.join(" | "));
    }
    let (body, marker) = strip_marker(l);
    let marked = marker != Marker::None;
    // `【送付時期】7月中旬`, `[対象者]`.
    for (open, close) in LABEL_BRACKETS {
        if let Some(inner) = body.strip_prefix(*open) {
            if let Some(end) = inner.find(*close) {
                let label = inner[..end].trim();
                let value = inner[end + close.len_utf8()..]
                    .trim_start_matches([':', ' ', '\u{3000}'])
                    .trim();
                // `【1】患者向けアンケート`: a section's number, not a label; the words after it
                // head the section.
                if !label.is_empty() && label.chars().all(|c| c.is_ascii_digit()) {
                    if is_heading(value, true, next) {
                        return (Shape::Heading, value.to_string(), String::new());
                    }
                    break;
                }
                if label.chars().count() <= 30 && !label.contains('。') {
                    if value.is_empty() {
                        return (Shape::Heading, label.to_string(), String::new());
                    }
                    return (Shape::KeyValue, label.to_string(), value.to_string());
                }
            }
        }
    }
    // `有効期間: …`, `・交付方法:特定記録郵便`.
    if let Some(at) = body.find(':') {
        let label = body[..at].trim();
        let value = body[at + 1..].trim();
        // Not a time of day (`9:00`).
        let time = label.ends_with(|c: char| c.is_ascii_digit())
            && value.starts_with(|c: char| c.is_ascii_digit());
        if is_label(label) && !time {
            if value.is_empty() {
                return (Shape::Heading, label.to_string(), String::new());
            }
            return (Shape::KeyValue, label.to_string(), value.to_string());
        }
    }
    // A label, a space, a value: `(5)交付予定時期 令和7年9月中旬` (numbered or bulleted), or
    // `送付時期 令和7年7月中旬` (a table flattened to text: a short label and a short value
    // that is a date or a figure).
    if let Some((label, value)) = body.split_once([' ', '\u{3000}']) {
        let (label, value) = (label.trim(), value.trim());
        let pair = if marked {
            !value.is_empty() && label.chars().count() <= 10
        } else {
            // (Not a time of day: `受付時間 9:00から17:00まで`.)
            let clock = value
                .split_once(':')
                .is_some_and(|(h, _)| h.len() <= 2 && h.chars().all(|c| c.is_ascii_digit()));
            // (An era date in short, `R7.9.19(金)`, is one too.)
            let short_era = value.len() > 2
                && value.starts_with(['R', 'H'])
                && value[1..].starts_with(|c: char| c.is_ascii_digit());
            let dated = (value.starts_with(|c: char| c.is_ascii_digit()) && !clock)
                || value.starts_with("令和")
                || value.starts_with("平成")
                || short_era;
            // (A short value: `送付時期 7月1日時点の加入者分を7月中旬に発送` is a sentence;
            // `発送日 7月15日(火)から7月18日(金)にかけて` is a value.)
            let sentence = value.ends_with(['。', 'す']) || value.contains('、');
            let dated_pair = dated && label.chars().count() <= 8 && value.chars().count() <= 30;
            // `送り方 簡易書留`, `対象 …`: a word of two to four characters over a short value,
            // as a flattened table gives them.
            let word_pair = !clock
                && (2..=4).contains(&label.chars().count())
                && value.chars().count() <= 24
                && !value.contains(' ');
            (dated_pair || word_pair) && !sentence
        };
        if pair && is_label(label) {
            return (Shape::KeyValue, label.to_string(), value.to_string());
        }
    }
    // `・…`, `(1)…`, `※…`: items of a list, never headings of what follows.
    if marker != Marker::Item && is_heading(body, marked, next) {
        let words = body.trim_end_matches([':', ' ']).to_string();
        return (Shape::Heading, words, String::new());
    }
    if marked {
        return (Shape::Item, String::new(), body.to_string());
    }
    (Shape::Prose, String::new(), l.to_string())
}

/// A short line without a sentence end, followed by a line: a heading (`有効期限`,
/// `■送付される書類`, `マイナ保険証をお持ちでない方`).
fn is_heading(body: &str, marked: bool, next: Option<&str>) -> bool {
    let n = body.chars().count();
    if n == 0 || n > 30 || next.is_none() {
        return false;
    }
    if body.ends_with('。') || body.contains(" | ") {
        return false;
    }
    // A bare date or figure is a value, not a heading.
    if body
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || "令平昭".contains(c))
        && !marked
    {
        return false;
    }
    // A time of day (`9:00`) makes a line of hours, not a heading.
    let b = body.as_bytes();
    if b.windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
    {
        return false;
    }
    // Polite endings, and ends of a clause, make a sentence even without `。`.
    ![
        "ます",
        "です",
        "ください",
        "ません",
        "まで",
        "から",
        "より",
        "ため",
    ]
    .iter()
    .any(|k| body.ends_with(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(l: &str) -> (Shape, String, String) {
        let got = lines(&format!("{l}\n次の行"));
        (got[0].shape, got[0].label.clone(), got[0].value.clone())
    }

    #[test]
    fn colon_lines_are_label_and_value() {
        assert_eq!(
            shape("有効期間:令和7年8月1日~令和8年7月31日"),
            (
                Shape::KeyValue,
                "有効期間".into(),
                "令和7年8月1日~令和8年7月31日".into()
            )
        );
        assert_eq!(
            shape("・交付予定時期: 令和7年9月中旬").1,
            "交付予定時期".to_string()
        );
    }

    #[test]
    fn numbered_items_with_a_space_are_label_and_value() {
        let (s, label, value) = shape("(5)交付予定時期 令和7年9月中旬");
        assert_eq!(
            (s, label.as_str(), value.as_str()),
            (Shape::KeyValue, "交付予定時期", "令和7年9月中旬")
        );
        let (s, label, _) = shape("(4)交付方法 特定記録郵便により郵送する。");
        assert_eq!((s, label.as_str()), (Shape::KeyValue, "交付方法"));
    }

    #[test]
    fn bracketed_labels_head_what_follows() {
        let got = lines("【対象者】\n・マイナ保険証をお持ちでない方\n資格確認書を送付します。");
        assert_eq!(got[0].shape, Shape::Heading);
        assert_eq!(got[1].shape, Shape::Item);
        assert_eq!(got[1].heading, "対象者");
        assert_eq!(got[2].heading, "対象者");
        assert_eq!(shape("【送付時期】7月中旬").0, Shape::KeyValue);
    }

    #[test]
    fn sentences_and_times_are_not_labels() {
        assert_eq!(shape("資格確認書は、7月中に送付します。").0, Shape::Prose);
        assert_eq!(shape("受付時間 9:00から17:00まで").0, Shape::Prose);
        assert_eq!(shape("令和8年7月31日").0, Shape::Prose);
        // A short label and a date after a space is a flattened table row's pair.
        assert_eq!(shape("送付時期 令和7年7月中旬").0, Shape::KeyValue);
        assert_eq!(shape("後期高齢者医療 資格確認書").0, Shape::Heading);
    }

    #[test]
    fn table_rows_take_their_first_cell_as_label() {
        let (s, label, value) = shape("資格確認書 | 令和8年7月31日");
        assert_eq!(
            (s, label.as_str(), value.as_str()),
            (Shape::Row, "資格確認書", "令和8年7月31日")
        );
    }

    #[test]
    fn short_lines_without_a_sentence_end_are_headings() {
        let got = lines("有効期限\n資格確認書:令和8年7月31日");
        assert_eq!(got[0].shape, Shape::Heading);
        assert_eq!(got[1].heading, "有効期限");
        assert_eq!(got[1].label, "資格確認書");
    }
}
