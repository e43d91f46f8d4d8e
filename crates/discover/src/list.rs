//! The list of issuers: the Code for FUKUI `localgovjp` CSV (`pid,pref,cid,city,citykana,
//! lat,lng,url,phrase,lgcode`, UTF-8 with BOM) → one [`Issuer`] per municipality.
//!
//! The 175 wards of the 政令指定都市 (a space in `city`: `札幌市 中央区`) are not issuers:
//! their city runs 国民健康保険, so they are skipped. The area name comes from
//! `mynawatch_ja::area` by code, so it is the name `municipal_notice`'s `area` option
//! resolves; a code the table does not know keeps the list's `pref + city`.
//!
//! The 47 後期高齢者医療広域連合 are issuers too ([`IssuerKind::KoukiUnion`]), built by
//! [`union_issuers`] from the prefecture list (`prefjp` CSV, [`read_prefectures`]): the
//! list names each prefecture, its official site and its capital, but no 広域連合 site.
//! Convention: a 広域連合's area code is its prefecture's code (`130001` for
//! 東京都後期高齢者医療広域連合; no municipality has a `PP000C` code), its scheme is
//! `koki`, its name `<都道府県>後期高齢者医療広域連合`; its `url` is the prefecture's site
//! and `via` the capital's municipal site, the two places discovery looks for a link to
//! the 広域連合's own host.

use std::path::Path;

use crate::DiscoverError;

/// One municipality to discover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// 6-digit 全国地方公共団体コード with check digit.
    pub code: String,
    /// `東京都`.
    pub prefecture: String,
    /// `東京都渋谷区`: what `municipal_notice`'s `area` option takes.
    pub full_name: String,
    /// The official site from the list (for a 広域連合: its prefecture's site).
    pub url: String,
    /// A municipality or a 広域連合.
    pub kind: IssuerKind,
    /// Other sites to look for the issuer's own site on (a 広域連合: the capital's site).
    pub via: Vec<String>,
}

/// What an issuer is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IssuerKind {
    /// A 市区町村: its own site, 国保 and 後期 notices.
    #[default]
    Municipality,
    /// A 後期高齢者医療広域連合: its site is found through its prefecture's (or capital's)
    /// site; 後期 notices only.
    KoukiUnion,
}

/// One prefecture of the `prefjp` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefecture {
    /// 6-digit code with check digit, padded (`010006`).
    pub code: String,
    /// `東京都`.
    pub name: String,
    /// `Tokyo`.
    pub name_en: String,
    /// The prefecture's official site.
    pub url: String,
    /// The capital (`新宿区`, `札幌市`).
    pub capital: String,
}

/// The name of a prefecture's 後期高齢者医療広域連合.
pub fn union_name(prefecture: &str) -> String {
    format!("{prefecture}後期高齢者医療広域連合")
}

/// True for the area code of a 広域連合 (a prefecture's code; see the module docs).
pub fn is_union_code(code: &str) -> bool {
    code.len() == 6 && &code[2..5] == "000"
}

/// Read a prefecture list (`pid,pref,prefkana,…,pref_en,…,url,lgcode,…,capital,…`, UTF-8,
/// BOM or not). The `lgcode` of 01–09 has lost its leading zero upstream: it is padded,
/// and must be the area table's code for the prefecture.
pub fn read_prefectures(path: &Path) -> Result<Vec<Prefecture>, DiscoverError> {
    read_with(path, parse_prefectures)
}

/// Why a list file could not be read as a list.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// Not readable as CSV.
    #[error("row {row}: {source}")]
    Csv {
        /// The file's line (1 is the header).
        row: usize,
        /// The CSV reader's error.
        source: csv::Error,
    },
    /// A column the list must have.
    #[error("no `{name}` column (header {header})")]
    Column {
        /// The column.
        name: String,
        /// The header as read.
        header: String,
    },
    /// A value that is not what the column holds.
    #[error("row {row}: {what}")]
    Value {
        /// The file's line.
        row: usize,
        /// What is wrong.
        what: String,
    },
}

/// An `--only` entry that names no issuer.
#[derive(Debug, thiserror::Error)]
#[error("--only: no issuer with code `{0}`")]
pub struct UnknownIssuer(pub String);

/// Read a CSV file and parse it with `parse`; errors name the file.
fn read_with<T>(
    path: &Path,
    parse: fn(&[u8]) -> Result<Vec<T>, ListError>,
) -> Result<Vec<T>, DiscoverError> {
    let bytes = std::fs::read(path).map_err(|source| DiscoverError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&bytes).map_err(|e| DiscoverError::List {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// A CSV file's records and header (a UTF-8 BOM dropped).
struct Csv<'b> {
    rdr: csv::Reader<&'b [u8]>,
    headers: csv::StringRecord,
}

impl<'b> Csv<'b> {
    fn new(bytes: &'b [u8]) -> Result<Csv<'b>, ListError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let headers = rdr
            .headers()
            .map_err(|source| ListError::Csv { row: 1, source })?
            .clone();
        Ok(Csv { rdr, headers })
    }

    /// A column's index by name; the error names the header.
    fn col(&self, name: &str) -> Result<usize, ListError> {
        self.headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| ListError::Column {
                name: name.to_string(),
                header: format!("{:?}", self.headers),
            })
    }
}

/// Parse prefecture list bytes (see [`read_prefectures`]).
pub fn parse_prefectures(bytes: &[u8]) -> Result<Vec<Prefecture>, ListError> {
    let mut csv = Csv::new(bytes)?;
    let col = |name: &str| csv.col(name);
    let (pref, en, url, code, capital) = (
        col("pref")?,
        col("pref_en")?,
        col("url")?,
        col("lgcode")?,
        col("capital")?,
    );
    let mut out = Vec::new();
    for (i, rec) in csv.rdr.records().enumerate() {
        let rec = rec.map_err(|source| ListError::Csv { row: i + 2, source })?;
        let get = |c: usize| rec.get(c).unwrap_or("").trim().to_string();
        let name = get(pref);
        let code = format!("{:0>6}", get(code));
        let known = mynawatch_ja::area::prefecture(&name).ok_or_else(|| ListError::Value {
            row: i + 2,
            what: format!("unknown prefecture `{name}`"),
        })?;
        if known.code != code {
            return Err(ListError::Value {
                row: i + 2,
                what: format!(
                    "{name} has lgcode `{code}`, the area table says {}",
                    known.code
                ),
            });
        }
        out.push(Prefecture {
            code,
            name: known.prefecture.to_string(),
            name_en: get(en),
            url: get(url),
            capital: get(capital),
        });
    }
    Ok(out)
}

/// One [`IssuerKind::KoukiUnion`] per prefecture, looked for on the prefecture's site and
/// then on its capital's site (the capital's URL from `municipalities`, when listed).
pub fn union_issuers(prefectures: &[Prefecture], municipalities: &[Issuer]) -> Vec<Issuer> {
    prefectures
        .iter()
        .map(|p| {
            let capital = format!("{}{}", p.name, p.capital);
            Issuer {
                code: p.code.clone(),
                prefecture: p.name.clone(),
                full_name: union_name(&p.name),
                url: p.url.clone(),
                kind: IssuerKind::KoukiUnion,
                via: municipalities
                    .iter()
                    .filter(|m| m.kind == IssuerKind::Municipality && m.full_name == capital)
                    .map(|m| m.url.clone())
                    .collect(),
            }
        })
        .collect()
}

/// Read a list file.
pub fn read_list(path: &Path) -> Result<Vec<Issuer>, DiscoverError> {
    read_with(path, parse_list)
}

/// Parse list bytes (see the module docs for the format).
pub fn parse_list(bytes: &[u8]) -> Result<Vec<Issuer>, ListError> {
    let mut csv = Csv::new(bytes)?;
    let col = |name: &str| csv.col(name);
    let (pref, city, url, code) = (col("pref")?, col("city")?, col("url")?, col("lgcode")?);
    let mut out = Vec::new();
    for (i, rec) in csv.rdr.records().enumerate() {
        let rec = rec.map_err(|source| ListError::Csv { row: i + 2, source })?;
        let get = |c: usize| rec.get(c).unwrap_or("").trim().to_string();
        let (pref, city, url, code) = (get(pref), get(city), get(url), get(code));
        if city.contains(' ') || city.contains('\u{3000}') {
            continue; // a ward of a 政令指定都市
        }
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ListError::Value {
                row: i + 2,
                what: format!("bad lgcode `{code}`"),
            });
        }
        let full_name = mynawatch_ja::area::by_code(&code)
            .map(|a| a.full_name())
            .unwrap_or_else(|| format!("{pref}{city}"));
        out.push(Issuer {
            code,
            prefecture: pref,
            full_name,
            url,
            kind: IssuerKind::Municipality,
            via: Vec::new(),
        });
    }
    Ok(out)
}

/// Keep the issuers named by `only`: 6-digit codes, or 2-digit prefecture codes (`13`
/// = every municipality of 東京都). Empty keeps all. An entry matching nothing is an error.
pub fn select(issuers: Vec<Issuer>, only: &[String]) -> Result<Vec<Issuer>, UnknownIssuer> {
    if only.is_empty() {
        return Ok(issuers);
    }
    for o in only {
        if !issuers.iter().any(|i| i.code.starts_with(o.as_str())) || o.len() < 2 {
            return Err(UnknownIssuer(o.clone()));
        }
    }
    Ok(issuers
        .into_iter()
        .filter(|i| only.iter().any(|o| i.code.starts_with(o.as_str())))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wards_are_skipped_and_names_come_from_the_area_table() {
        let csv = "\u{feff}pid,pref,cid,city,citykana,lat,lng,url,phrase,lgcode\n\
                   1,北海道,1100,札幌市,さっぽろし,43,141,https://www.city.sapporo.jp/,\"市民の力, 街\",011002\n\
                   1,北海道,1101,札幌市 中央区,ちゅうおうく,43,141,https://www.city.sapporo.jp/chuo/,,011011\n\
                   13,東京都,13113,渋谷区,しぶやく,35,139,https://www.city.shibuya.tokyo.jp/,,131130\n";
        let l = parse_list(csv.as_bytes()).unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(l[1].full_name, "東京都渋谷区");
        assert_eq!(l[0].full_name, "北海道札幌市");
        assert_eq!(select(l.clone(), &["13".into()]).unwrap().len(), 1);
        assert!(select(l, &["999999".into()]).is_err());
    }

    #[test]
    fn the_real_list_has_1741_municipalities() {
        let path = mynawatch_testutil::corpus_dir()
            .join("municipal_list/localgovjp-utf8_20260709_cd94f841.csv");
        if !path.exists() {
            eprintln!("SKIP: {} not found (set MYNAWATCH_CORPUS)", path.display());
            return;
        }
        let l = read_list(&path).unwrap();
        assert_eq!(l.len(), 1741);
        let unknown: Vec<_> = l
            .iter()
            .filter(|i| mynawatch_ja::area::by_code(&i.code).is_none())
            .collect();
        assert!(
            unknown.is_empty(),
            "codes unknown to the area table: {unknown:?}"
        );
    }

    #[test]
    fn the_real_prefecture_list_gives_47_unions_each_with_its_capitals_site() {
        let dir = mynawatch_testutil::corpus_dir().join("municipal_list");
        let (prefs, munis) = (
            dir.join("prefjp-utf8_4c7b5625.csv"),
            dir.join("localgovjp-utf8_20260709_cd94f841.csv"),
        );
        if !prefs.exists() || !munis.exists() {
            eprintln!("SKIP: {} not found (set MYNAWATCH_CORPUS)", dir.display());
            return;
        }
        let prefs = read_prefectures(&prefs).unwrap();
        assert_eq!(prefs.len(), 47);
        // The lost leading zero is padded back: 北海道 is 010006.
        assert_eq!(prefs[0].code, "010006");
        let unions = union_issuers(&prefs, &read_list(&munis).unwrap());
        assert_eq!(unions.len(), 47);
        assert!(unions.iter().all(|u| is_union_code(&u.code)));
        let tokyo = unions.iter().find(|u| u.code == "130001").unwrap();
        assert_eq!(tokyo.full_name, "東京都後期高齢者医療広域連合");
        assert_eq!(
            tokyo.via,
            vec!["https://www.city.shinjuku.lg.jp/".to_string()]
        );
        let no_capital: Vec<_> = unions.iter().filter(|u| u.via.len() != 1).collect();
        assert!(
            no_capital.is_empty(),
            "capitals not in the list: {no_capital:?}"
        );
    }
}
