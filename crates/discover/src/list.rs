//! The list of issuers: the Code for FUKUI `localgovjp` CSV (`pid,pref,cid,city,citykana,
//! lat,lng,url,phrase,lgcode`, UTF-8 with BOM) → one [`Issuer`] per municipality.
//!
//! The 175 wards of the 政令指定都市 (a space in `city`: `札幌市 中央区`) are not issuers:
//! their city runs 国民健康保険, so they are skipped. The area name comes from
//! `mynawatch_ja::area` by code, so it is the name `municipal_notice`'s `area` option
//! resolves; a code the table does not know keeps the list's `pref + city`.

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
    /// The official site from the list.
    pub url: String,
}

/// Read a list file.
pub fn read_list(path: &Path) -> Result<Vec<Issuer>, DiscoverError> {
    let bytes = std::fs::read(path).map_err(|source| DiscoverError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_list(&bytes).map_err(|message| DiscoverError::List {
        path: path.to_path_buf(),
        message,
    })
}

/// Parse list bytes (see the module docs for the format).
pub fn parse_list(bytes: &[u8]) -> Result<Vec<Issuer>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = rdr.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| format!("no `{name}` column (header {:?})", headers))
    };
    let (pref, city, url, code) = (col("pref")?, col("city")?, col("url")?, col("lgcode")?);
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("row {}: {e}", i + 2))?;
        let get = |c: usize| rec.get(c).unwrap_or("").trim().to_string();
        let (pref, city, url, code) = (get(pref), get(city), get(url), get(code));
        if city.contains(' ') || city.contains('\u{3000}') {
            continue; // a ward of a 政令指定都市
        }
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("row {}: bad lgcode `{code}`", i + 2));
        }
        let full_name = mynawatch_ja::area::by_code(&code)
            .map(|a| a.full_name())
            .unwrap_or_else(|| format!("{pref}{city}"));
        out.push(Issuer {
            code,
            prefecture: pref,
            full_name,
            url,
        });
    }
    Ok(out)
}

/// Keep the issuers named by `only`: 6-digit codes, or 2-digit prefecture codes (`13`
/// = every municipality of 東京都). Empty keeps all. An entry matching nothing is an error.
pub fn select(issuers: Vec<Issuer>, only: &[String]) -> Result<Vec<Issuer>, String> {
    if only.is_empty() {
        return Ok(issuers);
    }
    for o in only {
        if !issuers.iter().any(|i| i.code.starts_with(o.as_str())) || o.len() < 2 {
            return Err(format!("--only: no municipality with code `{o}`"));
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
}
