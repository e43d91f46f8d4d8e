//! Tables from CSV (any encoding, with or without BOM) and XLSX (cached values of
//! formula cells), as a grid of strings with cell locators. Shared by every family that
//! reads tables; header matching and number parsing happen above this layer.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use mynawatch_model::content::{decode, sniff, Sniffed};

use crate::ExtractError;

/// One sheet (or the CSV) as rows of cell strings.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Sheet name, or the file name for CSV.
    pub name: String,
    /// Rows of cells (ragged rows are kept as they are).
    pub rows: Vec<Vec<String>>,
    /// True for XLSX (locators are `Sheet!B12`), false for CSV (`file!r12c2`).
    pub spreadsheet: bool,
}

impl Grid {
    /// Locator of cell (row, col), both from 0.
    pub fn locator(&self, row: usize, col: usize) -> String {
        if self.spreadsheet {
            format!("{}!{}{}", self.name, column_letters(col), row + 1)
        } else {
            format!("{}!r{}c{}", self.name, row + 1, col + 1)
        }
    }
}

fn column_letters(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push((b'A' + (col % 26) as u8) as char);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.iter().rev().collect()
}

/// The file name part of a URL (`000490028_17.csv`).
pub fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// Read every sheet of a workbook, or the one CSV table. An HTML page (a 404 page saved
/// under a `.xlsx` name) is wrong content, not an empty table.
pub fn read_grids(
    bytes: &[u8],
    content_type: Option<&str>,
    url: &str,
) -> Result<Vec<Grid>, ExtractError> {
    match sniff(bytes) {
        Sniffed::Zip | Sniffed::Ole => read_workbook(bytes),
        Sniffed::Text => Ok(vec![read_csv(bytes, content_type, url)?]),
        Sniffed::Html => {
            let title = decode(bytes, content_type).text;
            let t = title
                .split("<title>")
                .nth(1)
                .and_then(|r| r.split("</title>").next())
                .map(|t| t.trim().to_string())
                .unwrap_or_default();
            Err(ExtractError::WrongContent(format!(
                "{url}: an HTML page, not a table (title: {t:?}); the publisher likely served an error page"
            )))
        }
        other => Err(ExtractError::WrongContent(format!(
            "{url}: not a table ({other:?})"
        ))),
    }
}

fn read_csv(bytes: &[u8], content_type: Option<&str>, url: &str) -> Result<Grid, ExtractError> {
    let text = decode(bytes, content_type).text;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| ExtractError::Parse {
            what: "csv",
            message: format!("{url}: {e}"),
        })?;
        rows.push(rec.iter().map(str::to_string).collect());
    }
    Ok(Grid {
        name: file_name(url),
        rows,
        spreadsheet: false,
    })
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Grid>, ExtractError> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| {
        ExtractError::Parse {
            what: "xlsx",
            message: e.to_string(),
        }
    })?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| ExtractError::Parse {
            what: "xlsx",
            message: format!("sheet {name}: {e}"),
        })?;
        let (r0, c0) = range
            .start()
            .map(|(r, c)| (r as usize, c as usize))
            .unwrap_or((0, 0));
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); r0];
        for row in range.rows() {
            let mut cells = vec![String::new(); c0];
            cells.extend(row.iter().map(cell_text));
            rows.push(cells);
        }
        out.push(Grid {
            name,
            rows,
            spreadsheet: true,
        });
    }
    Ok(out)
}

/// A cell as the text a person sees; dates as ISO `YYYY-MM-DD`.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        // Excel serial days since 1899-12-30 (the 1900 leap-year bug is before any date here).
        Data::DateTime(dt) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| {
                epoch.checked_add_signed(chrono::Duration::days(dt.as_f64().floor() as i64))
            })
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| dt.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_locators_use_letters() {
        let g = Grid {
            name: "公表用".into(),
            rows: vec![],
            spreadsheet: true,
        };
        assert_eq!(g.locator(11, 1), "公表用!B12");
        assert_eq!(g.locator(0, 27), "公表用!AB1");
    }

    #[test]
    fn shift_jis_csv_decodes() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("区,町丁目名\n北区,池田町\n");
        let g = read_csv(&bytes, None, "https://x.jp/data1130.csv").unwrap();
        assert_eq!(g.rows[1], vec!["北区", "池田町"]);
    }
}
