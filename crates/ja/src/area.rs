//! Area names → 6-digit 全国地方公共団体コード (with check digit).
//!
//! The table (`data/areas.tsv`, 47 prefectures + 1,741 municipalities) is compiled in;
//! `data/generate_areas.py` rebuilds it from the Code for Japan files and verifies every
//! check digit. Lookups normalize first (Kangxi radicals, width), tolerate a district
//! prefix (`岩船郡粟島浦村`), old names (`三宅島三宅村` → 三宅村) and a prefecture written
//! in front (`東京都渋谷区`), and need the prefecture where a name is not unique (府中市).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::norm::normalize_name_cow;

/// One prefecture or municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// 6 digits with the check digit (`131130`).
    pub code: &'static str,
    /// `東京都`.
    pub prefecture: &'static str,
    /// Municipality without district (`粟島浦村`), or the prefecture itself.
    pub name: &'static str,
    /// `岩船郡`, when the municipality is in a district.
    pub district: Option<&'static str>,
}

impl Area {
    /// True for the 47 prefectures.
    pub fn is_prefecture(&self) -> bool {
        self.code[2..5] == *"000"
    }

    /// `東京都渋谷区`, `新潟県粟島浦村`, or the prefecture's name.
    pub fn full_name(&self) -> String {
        if self.is_prefecture() {
            self.prefecture.to_string()
        } else {
            format!("{}{}", self.prefecture, self.name)
        }
    }
}

/// Old names still found in published tables → current names (renames and city
/// promotions since 2016: 篠山市 → 丹波篠山市 in 2019, 那珂川町 → 那珂川市 in 2018).
const RENAMED: &[(&str, &str, &str)] = &[
    ("東京都", "三宅島三宅村", "三宅村"),
    ("東京都", "八丈島八丈町", "八丈町"),
    ("福岡県", "糟屋郡須惠町", "須恵町"),
    ("福岡県", "須惠町", "須恵町"),
    ("福岡県", "筑紫郡那珂川町", "那珂川市"),
    ("兵庫県", "篠山市", "丹波篠山市"),
];

/// Variant kanji and kana that the same municipality is written with in different
/// publications (梼原町 / 檮原町, 駒ヶ根市 / 駒ケ根市): folded on both sides of a lookup.
fn fold_variants(s: &str) -> Cow<'_, str> {
    let fold = |c| match c {
        '檮' => '梼',
        '惠' => '恵',
        '\u{FA11}' => '崎',
        '髙' => '高',
        'ヶ' | 'ケ' | 'ｹ' => 'ケ',
        '邊' | '邉' => '辺',
        c => c,
    };
    if s.chars().all(|c| fold(c) == c) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().map(fold).collect())
    }
}

struct Table {
    areas: Vec<Area>,
    /// Prefecture → folded municipality name → area (a nested map, so a lookup hashes
    /// borrowed strings and allocates nothing).
    by_pref_name: HashMap<&'static str, HashMap<String, usize>>,
    by_name: HashMap<String, Vec<usize>>,
    by_code: HashMap<&'static str, usize>,
    /// `東京都` and `東京` → the prefecture (the first in code order wins).
    prefectures: HashMap<&'static str, usize>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut areas = Vec::new();
        for line in include_str!("../data/areas.tsv").lines().skip(1) {
            let f: Vec<&'static str> = line.split('\t').collect();
            if f.len() < 5 {
                continue;
            }
            areas.push(Area {
                code: f[0],
                prefecture: f[1],
                name: f[4],
                district: (!f[3].is_empty()).then_some(f[3]),
            });
        }
        let mut by_pref_name: HashMap<&'static str, HashMap<String, usize>> = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_code = HashMap::new();
        let mut prefectures = HashMap::new();
        for (i, a) in areas.iter().enumerate() {
            by_pref_name
                .entry(a.prefecture)
                .or_default()
                .insert(fold_variants(a.name).into_owned(), i);
            by_name
                .entry(fold_variants(a.name).into_owned())
                .or_default()
                .push(i);
            by_code.insert(a.code, i);
            if a.is_prefecture() {
                // One suffix only: `京都` is 京都府 (trimming every suffix would leave `京`).
                prefectures.entry(a.prefecture).or_insert(i);
                if let Some(short) = a.prefecture.strip_suffix(['都', '府', '県']) {
                    prefectures.entry(short).or_insert(i);
                }
            }
        }
        Table {
            areas,
            by_pref_name,
            by_name,
            by_code,
            prefectures,
        }
    })
}

/// Every area (prefectures first).
pub fn all() -> &'static [Area] {
    &table().areas
}

/// The area with this 6-digit code.
pub fn by_code(code: &str) -> Option<&'static Area> {
    let t = table();
    t.by_code.get(code).map(|&i| &t.areas[i])
}

/// The prefecture called `name` (`東京都`, `東京`, `⻑野県`).
pub fn prefecture(name: &str) -> Option<&'static Area> {
    let n = normalize_name_cow(name);
    let t = table();
    t.prefectures.get(n.as_ref()).map(|&i| &t.areas[i])
}

/// Strip a district prefix (`岩船郡粟島浦村` → `粟島浦村`): only towns and villages sit in
/// districts, so 郡山市 and 大和郡山市 are left alone.
fn without_district(name: &str) -> &str {
    if name.ends_with(['町', '村']) {
        if let Some(i) = name.find('郡') {
            let rest = &name[i + '郡'.len_utf8()..];
            if i > 0 && !rest.is_empty() {
                return rest;
            }
        }
    }
    name
}

/// A municipality (or the prefecture itself) by prefecture and name.
pub fn lookup(prefecture_name: &str, name: &str) -> Option<&'static Area> {
    let pref = prefecture(prefecture_name)?;
    let n = normalize_name_cow(name);
    let n = n.strip_prefix(pref.prefecture).unwrap_or(&n);
    if n.is_empty() || n == pref.prefecture {
        return Some(pref);
    }
    let t = table();
    let renamed = RENAMED
        .iter()
        .find(|(p, old, _)| *p == pref.prefecture && *old == n)
        .map(|(_, _, new)| *new);
    for candidate in [Some(n), renamed, Some(without_district(n))]
        .into_iter()
        .flatten()
    {
        if let Some(&i) = t
            .by_pref_name
            .get(pref.prefecture)
            .and_then(|m| m.get(fold_variants(candidate).as_ref()))
        {
            return Some(&t.areas[i]);
        }
    }
    None
}

/// One string naming an area: `東京都渋谷区`, `新潟県岩船郡粟島浦村`, `東京都`, or a
/// municipality name that is unique in Japan (`渋谷区`; not `府中市`).
pub fn lookup_full(s: &str) -> Option<&'static Area> {
    let n = normalize_name_cow(s);
    let t = table();
    for pref in t.areas.iter().take_while(|a| a.is_prefecture()) {
        if let Some(rest) = n.strip_prefix(pref.prefecture) {
            return lookup(pref.prefecture, rest);
        }
    }
    if let Some(p) = prefecture(&n) {
        return Some(p);
    }
    let plain = fold_variants(without_district(&n));
    match t.by_name.get(plain.as_ref()).map(Vec::as_slice) {
        Some([one]) => Some(&t.areas[*one]),
        _ => None,
    }
}

/// The check digit of a 5-digit code (weights 6,5,4,3,2; 11 minus the remainder, last digit).
pub fn check_digit(five: &str) -> Option<char> {
    let digits: Vec<u32> = five
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() != 5 {
        return None;
    }
    let sum: u32 = digits.iter().zip([6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
    let r = sum % 11;
    let d = if r == 0 { 1 } else { (11 - r) % 10 };
    char::from_digit(d, 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_tolerate_districts_radicals_renames_and_duplicates() {
        assert_eq!(lookup("東京都", "渋谷区").unwrap().code, "131130");
        assert_eq!(lookup("東京都", "渋\u{2F95}区").unwrap().code, "131130");
        assert_eq!(lookup("新潟県", "岩船郡粟島浦村").unwrap().code, "155861");
        assert_eq!(lookup("東京都", "三宅島三宅村").unwrap().code, "133817");
        assert_eq!(lookup("東京都", "府中市").unwrap().code, "132063");
        assert_eq!(lookup("広島県", "府中市").unwrap().code, "342084");
        assert_eq!(lookup("福島県", "郡山市").unwrap().code, "072036");
        assert_eq!(lookup("高知県", "高岡郡梼原町").unwrap().code, "394050");
        assert_eq!(lookup("兵庫県", "篠山市").unwrap().code, "282219");
        assert_eq!(lookup_full("新潟県岩船郡粟島浦村").unwrap().code, "155861");
        assert_eq!(lookup_full("東京都").unwrap().code, "130001");
        assert_eq!(lookup_full("渋谷区").unwrap().code, "131130");
        assert!(
            lookup_full("府中市").is_none(),
            "ambiguous without a prefecture"
        );
        assert_eq!(prefecture("\u{2ED1}野県").unwrap().code, "200000");
        assert_eq!(prefecture("京都").unwrap().code, "260002");
        assert_eq!(prefecture("東京").unwrap().code, "130001");
    }

    #[test]
    fn every_code_carries_a_valid_check_digit() {
        assert_eq!(all().len(), 47 + 1741);
        for a in all() {
            assert_eq!(check_digit(&a.code[..5]), a.code.chars().nth(5), "{a:?}");
        }
    }
}
