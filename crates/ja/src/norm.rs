//! Figure-safe normalization, with a map back to the original bytes.
//!
//! NFKC folds full-width digits, letters and brackets and the Kangxi radicals
//! (U+2F00–U+2FD5) the MIC PDFs are full of; it leaves the CJK Radicals Supplement
//! (`⻑` U+2ED1, `⻘` U+2ED8, …) alone, so those are mapped explicitly. Tildes and wave
//! dashes become `~` (ranges survive), hyphen and minus forms become `-` (signs survive);
//! `―` (U+2015) is kept because statistical tables use it for "none", and `ー` is a
//! letter, not a dash.

use std::borrow::Cow;
use std::sync::LazyLock;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// CJK Radicals Supplement characters seen in Japanese government PDFs → their kanji.
fn radical(c: char) -> Option<char> {
    Some(match c {
        '\u{2E8B}' => '㔾',
        '\u{2E8C}' | '\u{2E8D}' => '小',
        '\u{2E95}' => '彐',
        '\u{2E96}' => '忄',
        '\u{2E97}' => '㣺',
        '\u{2E98}' => '扌',
        '\u{2E99}' => '攵',
        '\u{2E9B}' => '旡',
        '\u{2E9F}' => '母',
        '\u{2EA0}' => '民',
        '\u{2EA4}' | '\u{2EA5}' => '爫',
        '\u{2EA9}' => '王',
        '\u{2EAA}' => '疋',
        '\u{2EAE}' => '竹',
        '\u{2EB3}' => '网',
        '\u{2EB7}' => '羊',
        '\u{2EBC}' => '月',
        '\u{2EBE}' | '\u{2EBF}' | '\u{2EC0}' => '艹',
        '\u{2EC1}' => '虎',
        '\u{2EC2}' => '衤',
        '\u{2EC3}' | '\u{2EC4}' => '西',
        '\u{2EC5}' => '見',
        '\u{2EC6}' => '角',
        '\u{2EC8}' => '讠',
        '\u{2ECA}' => '足',
        '\u{2ECC}' | '\u{2ECD}' => '辶',
        '\u{2ECF}' => '阝',
        '\u{2ED1}' => '長',
        '\u{2ED2}' => '镸',
        '\u{2ED4}' => '门',
        '\u{2ED6}' => '阝',
        '\u{2ED8}' => '青',
        '\u{2EDD}' => '食',
        '\u{2EDF}' => '飠',
        '\u{2EE4}' => '鬼',
        '\u{2EE8}' => '麦',
        '\u{2EE9}' => '黄',
        '\u{2EEB}' => '斉',
        '\u{2EED}' => '歯',
        '\u{2EEF}' => '竜',
        '\u{2EF2}' => '亀',
        _ => return None,
    })
}

/// Traditional forms that NFKC gives for Kangxi radicals → the forms Japanese names use
/// (`⿊` → 黑 → 黒, as in 寿都郡黒松内町; `⼾` → 戶 → 戸, as in 八戸市).
fn japanese_form(c: char) -> char {
    match c {
        '黑' => '黒',
        '戶' => '戸',
        '靑' => '青',
        '龜' => '亀',
        '麥' => '麦',
        '齒' => '歯',
        '黃' => '黄',
        '齊' => '斉',
        '辵' => '辶',
        c => c,
    }
}

/// After NFKC: unify the dash and tilde forms used as minus signs and ranges.
fn fold(c: char) -> char {
    match c {
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' | '\u{FE63}' => '-',
        '\u{301C}' | '\u{FF5E}' | '\u{223C}' | '\u{2053}' => '~',
        '\u{3000}' => ' ',
        c => c,
    }
}

/// Kanji, hiragana and katakana that NFKC leaves alone (no decomposition, or a canonical
/// one that composes back: `が`): the bulk of Japanese text, answered without a table
/// lookup. `゛゜ヿ` and the halfwidth forms are outside these ranges.
#[inline]
fn stable_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}')
}

/// A Kangxi radical (U+2F00–U+2FD5, common in the MIC PDFs) as a kanji: NFKC's one-char
/// form in the Japanese shape, from a table built once instead of a normalizer per char.
fn kangxi(c: char) -> char {
    static TABLE: LazyLock<Vec<char>> = LazyLock::new(|| {
        ('\u{2F00}'..='\u{2FD5}')
            .map(|r| {
                let mut n = std::iter::once(r).nfkc();
                let k = n.next().expect("NFKC of a radical is one char");
                debug_assert!(n.next().is_none());
                japanese_form(k)
            })
            .collect()
    });
    TABLE[c as usize - 0x2F00]
}

/// The normalized form of one input char, char by char (NFKC of the char alone, then the
/// radical, Japanese-form and dash/tilde folds).
#[inline]
fn each_normalized(c: char, mut push: impl FnMut(char)) {
    if c.is_ascii() || stable_cjk(c) {
        push(c);
    } else if let Some(r) = radical(c) {
        push(r);
    } else if ('\u{2F00}'..='\u{2FD5}').contains(&c) {
        // Kangxi radicals: NFKC gives the traditional form; names use the Japanese one.
        push(kangxi(c));
    } else if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes {
        // NFKC leaves the char alone (most kana and kanji): skip building a normalizer.
        push(fold(c));
    } else {
        for n in std::iter::once(c).nfkc() {
            push(fold(n));
        }
    }
}

/// True when [`each_normalized`] gives back every char of `text` unchanged: all ASCII,
/// or every char NFKC-stable on its own and none a radical or a folded form.
fn is_normalized(text: &str) -> bool {
    text.is_ascii()
        || text.chars().all(|c| {
            c.is_ascii()
                || stable_cjk(c)
                || (radical(c).is_none()
                    && !('\u{2F00}'..='\u{2FD5}').contains(&c)
                    && fold(c) == c
                    && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes)
        })
}

/// Normalized text plus, for each of its bytes' chars, where it came from.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// `origin[i]` = byte offset in the original of the char that produced normalized byte `i`
    /// (one entry per normalized byte, plus one for the end). `u32`: half the memory of
    /// `usize` for the map of a long text (texts are far below 4 GiB; checked in `new`).
    origin: Vec<u32>,
}

impl Normalized {
    /// Normalize `input`, remembering the origin of every byte.
    pub fn new(input: &str) -> Normalized {
        let len = u32::try_from(input.len()).expect("a text below 4 GiB");
        if input.is_ascii() {
            // ASCII is already normalized and one byte per char: the map is the identity.
            return Normalized {
                text: input.to_string(),
                origin: (0..=len).collect(),
            };
        }
        let mut text = String::with_capacity(input.len());
        let mut origin = Vec::with_capacity(input.len() + 1);
        for (at, c) in input.char_indices() {
            each_normalized(c, |n| {
                // `push` encodes in place (no call to memcpy for a 1–4 byte slice).
                text.push(n);
                origin.extend(std::iter::repeat_n(at as u32, n.len_utf8()));
            });
        }
        origin.push(len);
        Normalized { text, origin }
    }

    /// The same text with byte ranges of it replaced (`十月` → `10月`), each replacement
    /// mapping back to the original bytes of the range it replaces. `edits` must be
    /// sorted and must not overlap.
    pub(crate) fn with_replacements(
        &self,
        edits: &[(std::ops::Range<usize>, String)],
    ) -> Normalized {
        let mut text = String::with_capacity(self.text.len());
        let mut origin = Vec::with_capacity(self.origin.len());
        let mut at = 0;
        for (r, with) in edits {
            text.push_str(&self.text[at..r.start]);
            origin.extend_from_slice(&self.origin[at..r.start]);
            text.push_str(with);
            origin.extend(std::iter::repeat_n(self.origin[r.start], with.len()));
            at = r.end;
        }
        text.push_str(&self.text[at..]);
        origin.extend_from_slice(&self.origin[at..]);
        Normalized { text, origin }
    }

    /// The original byte range of normalized range `r`.
    pub fn original(&self, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self.origin[r.start] as usize;
        // The end is the start of the first original char after the last normalized byte.
        let last = self.origin[r.end.saturating_sub(1).max(r.start)];
        let end = self.origin[r.end..]
            .iter()
            .copied()
            .find(|&o| o > last)
            .unwrap_or(*self.origin.last().unwrap_or(&0)) as usize;
        start..end.max(start)
    }
}

/// Figure-safe normalization; borrowed when nothing changes. Idempotent.
pub fn normalize(text: &str) -> Cow<'_, str> {
    // The fast path: ASCII cells and text already in normal form are not copied.
    if is_normalized(text) {
        return Cow::Borrowed(text);
    }
    let mut n = String::with_capacity(text.len());
    for c in text.chars() {
        each_normalized(c, |x| n.push(x));
    }
    if n == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(n)
    }
}

/// For names and table headers: [`normalize`], then drop all whitespace (PDF tables put
/// newlines and spaces inside names and headers).
pub fn normalize_name(s: &str) -> String {
    normalize_name_cow(s).into_owned()
}

/// [`normalize_name`], borrowed when nothing changes (`札幌市`, `1,234`).
pub fn normalize_name_cow(s: &str) -> Cow<'_, str> {
    let n = normalize(s);
    if !n.chars().any(char::is_whitespace) {
        return n;
    }
    Cow::Owned(n.chars().filter(|c| !c.is_whitespace()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kangxi_and_supplement_radicals_become_kanji() {
        assert_eq!(normalize("埼\u{2F5F}県"), "埼玉県");
        assert_eq!(normalize("\u{2ED1}崎県"), "長崎県");
        assert_eq!(normalize("\u{2ED8}森県"), "青森県");
        assert_eq!(normalize("寿都郡\u{2FCA}松内町"), "寿都郡黒松内町");
        assert_eq!(normalize("八\u{2F3E}市"), "八戸市");
        assert_eq!(normalize("黑"), "黑", "ordinary text keeps its characters");
        assert_eq!(
            normalize_name("総数（\u{2F08}\u{2F1D}）\n【H28.1.1時点】"),
            "総数(人口)【H28.1.1時点】"
        );
    }

    #[test]
    fn ranges_and_signs_survive() {
        assert_eq!(normalize("9:27〜9:38"), "9:27~9:38");
        assert_eq!(normalize("10:48～10:59"), "10:48~10:59");
        assert_eq!(normalize("−3"), "-3");
        assert_eq!(normalize("データー"), "データー");
        assert_eq!(normalize("―"), "―");
    }

    /// The normalization of one char as it was before the fast paths: NFKC of the char
    /// alone, always.
    fn reference(c: char) -> String {
        if let Some(r) = radical(c) {
            r.to_string()
        } else if ('\u{2F00}'..='\u{2FD5}').contains(&c) {
            std::iter::once(c).nfkc().map(japanese_form).collect()
        } else if c.is_ascii() {
            c.to_string()
        } else {
            std::iter::once(c).nfkc().map(fold).collect()
        }
    }

    #[test]
    fn the_fast_paths_give_what_nfkc_of_every_char_gives() {
        for c in (0..0x3_2000u32).filter_map(char::from_u32) {
            let mut fast = String::new();
            each_normalized(c, |x| fast.push(x));
            let want = reference(c);
            assert_eq!(fast, want, "U+{:04X}", c as u32);
            let s = c.to_string();
            // Conservative: a char it cannot vouch for (U+0300 alone) takes the slow path.
            assert!(!is_normalized(&s) || want == s, "U+{:04X}", c as u32);
            assert_eq!(normalize(&s), want, "U+{:04X}", c as u32);
        }
        let mixed = "令和７年１０月　約１，２６０万円〜\u{2ED1}野県 ABC-123";
        let n = Normalized::new(mixed);
        assert_eq!(n.text, mixed.chars().map(reference).collect::<String>());
        assert_eq!(Normalized::new("abc 1,234").original(4..9), 4..9);
    }

    #[test]
    fn spans_map_back_to_original_bytes() {
        let input = "約１，２６０万円";
        let n = Normalized::new(input);
        assert_eq!(n.text, "約1,260万円");
        let at = n.text.find('1').unwrap();
        let r = n.original(at..n.text.len());
        assert_eq!(&input[r], "１，２６０万円");
    }
}
