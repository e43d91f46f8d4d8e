//! Tables in PDFs: a column reader for `pdftotext -layout` text, good enough for
//! statistical PDFs with one table per page (MIC's municipality tables, a prefecture's
//! daily report). Headers are found by their names, exactly as the `table` family finds
//! them ([`crate::families::TableOptions`], same `metrics`, `areas`, `date` options);
//! the figures come out of the same code ([`crate::families::extract_tables`]), so a PDF
//! table and its CSV twin give the same rows.
//!
//! How a page is read:
//! - every line is cut into cells at runs of two or more spaces; a cell keeps its
//!   character columns;
//! - a header cell is a cell whose name (after [`crate::families::header_key`]) is one
//!   of the configured headers, or such a name split over two lines in the same columns
//!   (`65歳以上` / `高齢者`), or a word of a cell when headers stand one space apart;
//! - under the headers, a line with a number under a metric header is a data line; each
//!   of its cells belongs to the header whose columns are nearest (overlapping first);
//!   headers stacked in the same columns (`直近7日間` above `前週7日間`) take the values
//!   below them in the same order;
//! - consecutive data lines form one record until a header gets a second value (the
//!   next row); a line that is neither header nor data ends the table, unless its text
//!   stands only under area columns (a name printed on two lines);
//! - tables side by side (the header names repeat along the line) are read as separate
//!   tables: 47 prefectures in two halves of one page.
//!
//! Locators are `page:N:lines:L-L:cols:S-E` (line and character columns in the
//! `-layout` text, from 1); `sheet` selects one page (`"page:2"`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::families::{extract_tables, header_key, TableOptions};
use crate::pdf::PdfPages;
use crate::table::Grid;
use crate::{ExtractError, Extraction, Input};

/// One cell of a `-layout` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Line on the page, from 0.
    pub line: usize,
    /// First character column, from 0.
    pub start: usize,
    /// Character column after the last one.
    pub end: usize,
    /// The text as printed.
    pub text: String,
}

/// Cut a `-layout` line into cells at runs of two or more spaces.
pub fn cells(line_no: usize, line: &str) -> Vec<Cell> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while i < chars.len() {
            if !chars[i].is_whitespace() {
                i += 1;
                end = i;
                continue;
            }
            let gap = chars[i..].iter().take_while(|c| c.is_whitespace()).count();
            if gap >= 2 || i + gap >= chars.len() || chars[i] == '\u{3000}' {
                break;
            }
            i += gap;
        }
        out.push(Cell {
            line: line_no,
            start,
            end,
            text: chars[start..end].iter().collect(),
        });
        i = end;
    }
    out
}

#[derive(Debug, Clone)]
struct Header {
    text: String,
    start: usize,
    end: usize,
    line: usize,
    metric: bool,
}

fn distance(a: (usize, usize), b: (usize, usize)) -> usize {
    if a.0 < b.1 && b.0 < a.1 {
        0
    } else if a.1 <= b.0 {
        b.0 - a.1 + 1
    } else {
        a.0 - b.1 + 1
    }
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// Header names the options know: (key, names a metric).
fn known_headers(o: &TableOptions) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = o
        .metrics
        .iter()
        .flat_map(|m| m.headers.iter().map(|h| (header_key(h), true)))
        .collect();
    let a = &o.areas;
    let other = [
        &a.prefecture,
        &a.municipality,
        &a.combined,
        &a.category,
        &a.detail,
    ]
    .into_iter()
    .flatten()
    .chain(o.date.column.iter().flatten())
    .chain(
        o.metrics
            .iter()
            .flat_map(|m| m.date_column.iter().flatten()),
    );
    out.extend(other.map(|h| (header_key(h), false)));
    out.retain(|(k, _)| !k.is_empty());
    out
}

fn is_number(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"\d").expect("digit regex"));
    re.is_match(&mynawatch_ja::normalize(text)) && mynawatch_ja::parse_number(text).is_ok()
}

/// The page's tables as a grid in the `table` family's terms (a header row, then one row
/// per record), and where each grid cell stands on the page.
struct PageGrid {
    grid: Grid,
    /// Grid locator → `page:N:lines:L-L:cols:S-E`.
    places: BTreeMap<String, String>,
}

/// One table being read: its headers, which side-by-side part each belongs to, and the
/// records read so far (header index → cell).
#[derive(Default)]
struct Table {
    headers: Vec<Header>,
    part: Vec<usize>,
    records: Vec<Vec<BTreeMap<usize, Cell>>>,
    in_data: bool,
}

impl Table {
    /// Before a possible first data line: order the headers and split side-by-side
    /// tables (a header name seen again starts the next part).
    fn start(&mut self) {
        self.headers.sort_by_key(|h| (h.start, h.line));
        let mut part = 0;
        let mut seen: Vec<String> = Vec::new();
        self.part = self
            .headers
            .iter()
            .map(|h| {
                let k = header_key(&h.text);
                if seen.contains(&k) {
                    part += 1;
                    seen.clear();
                }
                seen.push(k);
                part
            })
            .collect();
        self.records = vec![vec![BTreeMap::new()]; part + 1];
    }

    /// Put `cell` under header `k`: the first free header stacked in the same columns,
    /// else into a new record of that part.
    fn put(&mut self, k: usize, cell: &Cell) {
        let h = &self.headers[k];
        let mut stack: Vec<usize> = (0..self.headers.len())
            .filter(|&j| {
                self.part[j] == self.part[k]
                    && overlap(
                        (h.start, h.end),
                        (self.headers[j].start, self.headers[j].end),
                    ) > 0
            })
            .collect();
        stack.sort_by_key(|&j| self.headers[j].line);
        let records = &mut self.records[self.part[k]];
        let current = records.last_mut().expect("a record");
        match stack.iter().find(|j| !current.contains_key(j)) {
            Some(&j) => {
                current.insert(j, cell.clone());
            }
            None => {
                let mut next = BTreeMap::new();
                next.insert(stack[0], cell.clone());
                records.push(next);
            }
        }
    }

    /// Write the table into the grid: per part, a header row and its records.
    fn finish(&mut self, page_no: usize, grid: &mut Grid, places: &mut BTreeMap<String, String>) {
        if !self.in_data {
            self.headers.clear();
            return;
        }
        let place = |line: usize, start: usize, end: usize| {
            format!(
                "page:{page_no}:lines:{}-{}:cols:{}-{}",
                line + 1,
                line + 1,
                start + 1,
                end
            )
        };
        for (part, records) in self.records.iter().enumerate() {
            let cols: Vec<usize> = (0..self.headers.len())
                .filter(|&j| self.part[j] == part)
                .collect();
            let r = grid.rows.len();
            grid.rows
                .push(cols.iter().map(|&j| self.headers[j].text.clone()).collect());
            for (c, &j) in cols.iter().enumerate() {
                let h = &self.headers[j];
                places.insert(grid.locator(r, c), place(h.line, h.start, h.end));
            }
            for rec in records.iter().filter(|r| !r.is_empty()) {
                let r = grid.rows.len();
                let mut row = vec![String::new(); cols.len()];
                for (c, &j) in cols.iter().enumerate() {
                    if let Some(cell) = rec.get(&j) {
                        row[c] = cell.text.clone();
                        places.insert(grid.locator(r, c), place(cell.line, cell.start, cell.end));
                    }
                }
                grid.rows.push(row);
            }
        }
        *self = Table::default();
    }
}

/// The words of a cell (split at single spaces), each with its own columns.
fn words_of(c: &Cell) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut at = c.start;
    for w in c.text.split(' ') {
        let n = w.chars().count();
        if n > 0 {
            out.push(Cell {
                line: c.line,
                start: at,
                end: at + n,
                text: w.to_string(),
            });
        }
        at += n + 1;
    }
    out
}

/// Header cells on line `i`: cells whose name is configured, alone or completed by a
/// cell below in the same columns (within two lines). Cells used as a second half are
/// added to `consumed`.
fn header_cells(
    lines: &[Vec<Cell>],
    i: usize,
    lookup: &dyn Fn(&str) -> Option<bool>,
    consumed: &mut Vec<(usize, usize)>,
) -> Vec<Header> {
    let mut found = Vec::new();
    for c in &lines[i] {
        if consumed.contains(&(i, c.start)) {
            continue;
        }
        if let Some(metric) = lookup(&c.text) {
            found.push(Header {
                text: c.text.clone(),
                start: c.start,
                end: c.end,
                line: i,
                metric,
            });
            continue;
        }
        // Two headers a single space apart (`陽性者数 検査人数※3`) print as one cell.
        let words = words_of(c);
        if words.len() > 1 && words.iter().any(|w| lookup(&w.text).is_some()) {
            for w in words {
                if let Some(metric) = lookup(&w.text) {
                    found.push(Header {
                        text: w.text,
                        start: w.start,
                        end: w.end,
                        line: i,
                        metric,
                    });
                }
            }
            continue;
        }
        let below =
            lines.iter().skip(i + 1).take(2).flatten().find(|d| {
                overlap((c.start, c.end), (d.start, d.end)) > 0 && lookup(&d.text).is_none()
            });
        if let Some(d) = below {
            let joined = format!("{}{}", c.text, d.text);
            if let Some(metric) = lookup(&joined) {
                consumed.push((d.line, d.start));
                found.push(Header {
                    text: joined,
                    start: c.start.min(d.start),
                    end: c.end.max(d.end),
                    line: i,
                    metric,
                });
            }
        }
    }
    found
}

fn read_page(page_no: usize, text: &str, o: &TableOptions) -> PageGrid {
    let known = known_headers(o);
    let lookup = |t: &str| {
        let k = header_key(t);
        known.iter().find(|(n, _)| *n == k).map(|(_, m)| *m)
    };
    let lines: Vec<Vec<Cell>> = text.lines().enumerate().map(|(i, l)| cells(i, l)).collect();
    let mut grid = Grid {
        name: format!("page:{page_no}"),
        rows: Vec::new(),
        spreadsheet: false,
    };
    let mut places = BTreeMap::new();
    let mut table = Table::default();
    let mut consumed: Vec<(usize, usize)> = Vec::new();

    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        let found = header_cells(&lines, i, &lookup, &mut consumed);
        let numbers = line.iter().filter(|c| is_number(&c.text)).count();
        if !found.is_empty() && (numbers == 0 || found.len() >= 2) {
            if table.in_data {
                table.finish(page_no, &mut grid, &mut places);
            }
            table.headers.extend(found);
            continue;
        }
        if !table.headers.iter().any(|h| h.metric) {
            continue;
        }
        if !table.in_data {
            table.start();
        }
        // Each cell to the nearest header column; per header, the nearest cell of the
        // line (a note mark `※3` beside a name is not the name).
        let mut best: BTreeMap<usize, (usize, &Cell)> = BTreeMap::new();
        for c in line {
            let nearest = table
                .headers
                .iter()
                .enumerate()
                .map(|(k, h)| {
                    let span = (h.start, h.end);
                    let d = distance((c.start, c.end), span);
                    (d, usize::MAX - overlap((c.start, c.end), span), k)
                })
                .min();
            if let Some((d, _, k)) = nearest.filter(|n| n.0 <= 4) {
                if best.get(&k).is_none_or(|(bd, _)| d < *bd) {
                    best.insert(k, (d, c));
                }
            }
        }
        let is_data = best
            .iter()
            .any(|(k, (_, c))| table.headers[*k].metric && is_number(&c.text));
        if !is_data {
            // Text only under area columns (a name on two lines) does not end the table.
            let under_areas =
                best.len() == line.len() && best.keys().all(|&k| !table.headers[k].metric);
            if table.in_data && !under_areas {
                table.finish(page_no, &mut grid, &mut places);
            }
            continue;
        }
        table.in_data = true;
        for (k, (_, c)) in best {
            table.put(k, c);
        }
    }
    table.finish(page_no, &mut grid, &mut places);
    PageGrid { grid, places }
}

fn grid_locator() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"page:\d+!r\d+c\d+").expect("grid locator regex"))
}

/// Figures of the tables on `pages` (`-layout` text), by the `table` family's options.
/// A document where no page has the configured headers is a layout failure.
pub fn extract(
    pages: &PdfPages,
    o: &TableOptions,
    input: &Input<'_>,
) -> Result<Extraction, ExtractError> {
    if o.metrics.is_empty() {
        return Err(ExtractError::Options(
            "`table` needs at least one entry in `metrics`".into(),
        ));
    }
    let mut grids = Vec::new();
    let mut places = BTreeMap::new();
    for (p, text) in pages.pages().iter().enumerate() {
        let pg = read_page(p + 1, text, o);
        places.extend(pg.places);
        grids.push(pg.grid);
    }
    let (mut x, found) = extract_tables(&grids, o, input)?;
    if !found {
        return Err(ExtractError::Layout(format!(
            "{}: no page of the PDF has a header line with the configured metric headers ({})",
            input.meta.url,
            o.header_list()
        )));
    }
    let real = |s: &str| {
        grid_locator()
            .replace_all(s, |c: &regex::Captures<'_>| {
                places
                    .get(&c[0])
                    .cloned()
                    .unwrap_or_else(|| c[0].to_string())
            })
            .into_owned()
    };
    for f in &mut x.rows.figures {
        f.provenance.locator = real(&f.provenance.locator);
        f.dimensions = real(&f.dimensions);
    }
    for w in &mut x.warnings {
        *w = real(w);
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_split_at_wide_gaps_and_keep_columns() {
        let got: Vec<(usize, usize, String)> = cells(0, "  総数（累計）  重症者 A  x")
            .into_iter()
            .map(|c| (c.start, c.end, c.text))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, 8, "総数（累計）".into()),
                (10, 15, "重症者 A".into()),
                (17, 18, "x".into())
            ]
        );
    }
}
