//! `table`: any CSV or XLSX mapped to `figures` by configuration alone.
//!
//! Header rows are found by their names (after normalization: NFKC, Kangxi radicals,
//! newlines and date annotations such as `【H29.3.8時点】` removed), not by position, and
//! found again wherever a page of a PDF-derived table repeats them. Area columns are
//! recognised by name too: prefecture + municipality (`都道府県名`, `市区町村名`), one
//! combined name (`団体名`: `新潟県岩船郡粟島浦村`), or a category (`区分`, with merged
//! cells spilling into the next unnamed column). `全国` is area `000000`. A row repeated
//! with the same value (a national row on every page, a top-10 table) is kept once; a
//! repeat with a *different* value is kept under `variant=…` with a warning, never
//! silently "fixed".
//!
//! ```json
//! {
//!   "sheet": "公表用",
//!   "metrics": [
//!     {"headers": ["総数(人口)", "人口"], "metric": "population", "unit": "persons"},
//!     {"headers": ["交付枚数"], "metric": "card.issued", "unit": "count"},
//!     {"headers": ["人口に対する交付枚数率", "交付率"], "metric": "card.issue_rate", "unit": "percent"}
//!   ],
//!   "date": {"from_header": true, "default_from": "card.issued"}
//! }
//! ```
//! `date` may instead name a column (`{"column": ["算出基準日"]}`, with an optional `chrono`
//! `"format"` for cells such as `11/30/22`) or a fixed day (`{"value": "2017-03-08"}`); a
//! month or 年度 in a date column gives a period. A metric may name its own
//! `date_column`, a `scale` (千円 → 1000) and fixed `dimensions` (`"sex=male"`). A table
//! without area columns takes `"area"` (`"全国"`, `"東京都渋谷区"`). `format` (`"csv"`,
//! `"xlsx"`, default `"auto"`) makes other content wrong content. Every option at once:
//!
//! ```json
//! {
//!   "format": "csv",
//!   "metrics": [
//!     {"headers": ["世帯数"], "metric": "households", "unit": "households"},
//!     {"headers": ["総数"], "metric": "population", "unit": "persons"},
//!     {"headers": ["取得者数"], "metric": "card.holders", "unit": "persons", "scale": 1},
//!     {"headers": ["取得率_1130"], "metric": "card.holding_rate", "unit": "ratio", "dimensions": "base=population"}
//!   ],
//!   "date": {"column": ["基準日"], "format": "%m/%d/%y"},
//!   "areas": {
//!     "prefecture": ["都道府県名"], "municipality": ["区"], "combined": ["団体名"],
//!     "category": ["区分"], "within": "大阪府大阪市", "detail": ["町丁目名"]
//!   }
//! }
//! ```
//! `areas.within` names the area that a municipality column's names are inside (a table
//! of 区 of one city; wards without a code of their own keep the city's code and a `区=…`
//! dimension); `areas.detail` columns below the area (`町丁目名`) become dimensions.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use mynawatch_ja::area;
use mynawatch_model::{Figure, FigureStatus, Rows};
use serde::Deserialize;

use crate::table::{read_grids, Grid};
use crate::{common, Declared, ExtractError, Extraction, Input};

/// The configurable table family.
#[derive(Debug, Default)]
pub struct TableFamily;

/// Options of the `table` family (see the module docs).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableOptions {
    /// The expected format; anything else is wrong content.
    #[serde(default)]
    pub format: Format,
    /// Only this sheet (XLSX); all sheets when absent.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Which columns hold which metric.
    pub metrics: Vec<MetricSpec>,
    /// Where each row's date comes from.
    #[serde(default)]
    pub date: DateSpec,
    /// Area header names.
    #[serde(default)]
    pub areas: AreaHeaders,
    /// The area of rows in a table without area columns (`"全国"`, `"東京都渋谷区"`).
    #[serde(default)]
    pub area: Option<String>,
}

impl TableOptions {
    /// Every configured metric header, comma-separated (for "no header row" errors).
    pub fn header_list(&self) -> String {
        self.metrics
            .iter()
            .flat_map(|m| m.headers.iter().cloned())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The format a source must have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Whatever the bytes are (CSV or a workbook).
    #[default]
    Auto,
    /// Text CSV only.
    Csv,
    /// A workbook only.
    Xlsx,
}

/// One metric column.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricSpec {
    /// Header names that mean this column (any one matches).
    pub headers: Vec<String>,
    /// Metric id (`card.holdings`).
    pub metric: String,
    /// Unit (`count`, `persons`, `percent`, `jpy`, …).
    pub unit: String,
    /// Multiplier for the written numbers (`1000` for a 千円 column).
    #[serde(default)]
    pub scale: Option<f64>,
    /// Dimensions of every figure from this column (`"sex=male"`).
    #[serde(default)]
    pub dimensions: Option<String>,
    /// This metric's own date column.
    #[serde(default)]
    pub date_column: Option<Vec<String>>,
}

/// Where dates come from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateSpec {
    /// A column with the row's date.
    #[serde(default)]
    pub column: Option<Vec<String>>,
    /// One date for the whole table (`2017-03-08`, or 和暦).
    #[serde(default)]
    pub value: Option<String>,
    /// A `chrono` format for date cells the Japanese parser does not read
    /// (`"%m/%d/%y"` for Osaka's US-style `11/30/22`).
    #[serde(default)]
    pub format: Option<String>,
    /// Take each metric's date from its header (`交付枚数【H29.3.8時点】`).
    #[serde(default)]
    pub from_header: bool,
    /// With `from_header`: the metric whose header date applies to metrics without one.
    #[serde(default)]
    pub default_from: Option<String>,
}

/// Header names of area columns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AreaHeaders {
    /// Prefecture column.
    pub prefecture: Vec<String>,
    /// Municipality column.
    pub municipality: Vec<String>,
    /// One column with the full name.
    pub combined: Vec<String>,
    /// A category column (団体区分).
    pub category: Vec<String>,
    /// The area that municipality cells are inside when the table has no prefecture
    /// column (`"大阪府大阪市"` for a table of 区).
    pub within: Option<String>,
    /// Columns naming a unit below the area (`町丁目名`): kept as a dimension.
    pub detail: Vec<String>,
}

impl Default for AreaHeaders {
    fn default() -> Self {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        AreaHeaders {
            prefecture: v(&["都道府県名", "都道府県"]),
            municipality: v(&["市区町村名", "市区町村", "区"]),
            combined: v(&["団体名", "自治体名"]),
            category: v(&["区分", "団体区分"]),
            within: None,
            detail: Vec::new(),
        }
    }
}

/// A header cell reduced to its name: normalized, and date annotations such as
/// `【H29.3.8時点】` or `（H28.1.1時点）` removed.
pub fn header_key(cell: &str) -> String {
    let n = mynawatch_ja::normalize_name(cell);
    let mut out = String::new();
    let mut chars = n.chars().peekable();
    while let Some(c) = chars.next() {
        let close = match c {
            '【' => Some('】'),
            '(' => Some(')'),
            '[' => Some(']'),
            _ => None,
        };
        if let Some(close) = close {
            let inner: String = chars.clone().take_while(|&x| x != close).collect();
            let is_date = inner.contains("時点")
                || inner.contains("現在")
                || inner.contains("基準")
                || mynawatch_ja::parse_date(&inner).is_ok();
            if is_date {
                for _ in 0..=inner.chars().count() {
                    chars.next();
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// [`header_key`], borrowed for the common cell that is already a key: normalized, with
/// no whitespace and no bracket (every data cell: `札幌市`, `1,941,832`).
fn header_key_cow(cell: &str) -> Cow<'_, str> {
    match mynawatch_ja::normalize_name_cow(cell) {
        Cow::Borrowed(n) if !n.contains(['【', '(', '[']) => Cow::Borrowed(n),
        _ => Cow::Owned(header_key(cell)),
    }
}

/// `names` are already keys (see [`keyed`]).
fn matches(cell_key: &str, names: &[String]) -> bool {
    !cell_key.is_empty() && names.iter().any(|n| n == cell_key)
}

/// `o` with every header name reduced to its [`header_key`] once, so that checking each
/// row of a table for a header does not normalize the configured names again per cell.
fn keyed(o: &TableOptions) -> TableOptions {
    let keys = |names: &mut Vec<String>| {
        for n in names.iter_mut() {
            *n = header_key(n);
        }
    };
    let mut k = o.clone();
    for m in &mut k.metrics {
        keys(&mut m.headers);
        if let Some(c) = m.date_column.as_mut() {
            keys(c);
        }
    }
    if let Some(c) = k.date.column.as_mut() {
        keys(c);
    }
    for names in [
        &mut k.areas.prefecture,
        &mut k.areas.municipality,
        &mut k.areas.combined,
        &mut k.areas.category,
        &mut k.areas.detail,
    ] {
        keys(names);
    }
    k
}

/// A recognised header row.
struct Header {
    metrics: Vec<(usize, usize, Option<NaiveDate>)>, // (spec index, column, header date)
    prefecture: Option<usize>,
    municipality: Option<usize>,
    combined: Option<usize>,
    category: Option<usize>,
    date_col: Option<usize>,
    detail: Option<(usize, String)>, // (column, header name)
    metric_date_cols: BTreeMap<usize, usize>,
}

/// The header row `row` is, if any; `o` is [`keyed`].
fn header_of(row: &[String], o: &TableOptions) -> Option<Header> {
    let keys: Vec<Cow<'_, str>> = row.iter().map(|c| header_key_cow(c)).collect();
    let find = |names: &[String]| keys.iter().position(|k| matches(k, names));
    let mut metrics = Vec::new();
    for (i, spec) in o.metrics.iter().enumerate() {
        if let Some(col) = keys.iter().position(|k| matches(k, &spec.headers)) {
            let date = mynawatch_ja::find_dates(&row[col]).first().map(|d| d.start);
            metrics.push((i, col, date));
        }
    }
    let needed = o.metrics.len().min(2);
    if metrics.len() < needed.max(1) {
        return None;
    }
    let metric_date_cols = o
        .metrics
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((i, find(m.date_column.as_ref()?)?)))
        .collect();
    Some(Header {
        metrics,
        prefecture: find(&o.areas.prefecture),
        municipality: find(&o.areas.municipality),
        combined: find(&o.areas.combined),
        category: find(&o.areas.category),
        date_col: o.date.column.as_ref().and_then(|c| find(c)),
        detail: find(&o.areas.detail).map(|c| (c, keys[c].to_string())),
        metric_date_cols,
    })
}

const NATIONAL: [&str; 3] = ["全国", "合計", "全国計"];

/// Resolve a row's area: (code, name, dimensions).
fn area_of(
    row: &[String],
    h: &Header,
    o: &TableOptions,
) -> Result<(String, String, String), String> {
    let default = o.area.as_deref();
    let cell = |i: Option<usize>| {
        i.and_then(|i| row.get(i))
            .map(|s| mynawatch_ja::normalize_name_cow(s))
            .unwrap_or_default()
    };
    let (pref, muni, combined) = (cell(h.prefecture), cell(h.municipality), cell(h.combined));
    if NATIONAL.contains(&pref.as_ref()) || NATIONAL.contains(&combined.as_ref()) {
        return Ok(("000000".into(), "全国".into(), String::new()));
    }
    if let (Some(within), true) = (&o.areas.within, pref.is_empty() && !muni.is_empty()) {
        if let Some(a) = area::lookup_full(&format!("{within}{muni}")) {
            return Ok((a.code.to_string(), a.full_name(), String::new()));
        }
        // 政令市の行政区 (大阪市北区) have codes of their own, but the area table only
        // knows municipalities: keep the city's code and the ward as a dimension.
        return area::lookup_full(within)
            .map(|a| (a.code.to_string(), a.full_name(), format!("区={muni}")))
            .ok_or(format!("unknown municipality {within}{muni}"));
    }
    if h.municipality.is_some() && !muni.is_empty() {
        return area::lookup(&pref, &muni)
            .map(|a| (a.code.to_string(), a.full_name(), String::new()))
            .ok_or(format!("unknown municipality {pref} {muni}"));
    }
    if h.prefecture.is_some() && !pref.is_empty() {
        return area::prefecture(&pref)
            .map(|a| (a.code.to_string(), a.full_name(), String::new()))
            .ok_or(format!("unknown prefecture {pref}"));
    }
    if h.combined.is_some() && !combined.is_empty() {
        return area::lookup_full(&combined)
            .map(|a| (a.code.to_string(), a.full_name(), String::new()))
            .ok_or(format!("unknown area {combined}"));
    }
    if let Some(c) = h.category {
        // Merged cells: the category may sit in the unnamed column next to `区分`.
        // …up to the next metric column to its right; a 区分 column right of every
        // metric is read from its own cell only.
        let end = h
            .metrics
            .iter()
            .map(|m| m.1)
            .filter(|&m| m > c)
            .min()
            .unwrap_or(c + 1)
            .min(row.len());
        let cat = row
            .get(c..end)
            .unwrap_or_default()
            .iter()
            .map(|s| mynawatch_ja::normalize_name(s))
            .find(|s| !s.is_empty())
            .unwrap_or_default();
        if NATIONAL.contains(&cat.as_str()) {
            return Ok(("000000".into(), "全国".into(), String::new()));
        }
        if !cat.is_empty() {
            return Ok((
                String::new(),
                cat.clone(),
                format!("municipality_type={cat}"),
            ));
        }
    }
    match default {
        Some(a) if NATIONAL.contains(&a) => Ok(("000000".into(), "全国".into(), String::new())),
        Some(a) => area::lookup_full(a)
            .map(|x| (x.code.to_string(), x.full_name(), String::new()))
            .ok_or(format!("unknown configured area {a}")),
        None => Err("no area in row (configure `area` for a table without area columns)".into()),
    }
}

impl Declared for TableFamily {
    type Options = TableOptions;
    const NAME: &'static str = "table";
    const EXPECT: (usize, &'static str) = (1, "figures");

    fn check(options: &Self::Options) -> Result<(), ExtractError> {
        check_table_options(options)
    }

    fn read(&self, input: &Input<'_>, o: &Self::Options) -> Result<Extraction, ExtractError> {
        if o.metrics.is_empty() {
            return Err(ExtractError::Options(
                "`table` needs at least one entry in `metrics`".into(),
            ));
        }
        let grids = read_grids(
            input.bytes,
            input.meta.content_type.as_deref(),
            &input.meta.url,
        )?;
        let workbook = grids.first().is_some_and(|g| g.spreadsheet);
        if matches!(
            (o.format, workbook),
            (Format::Csv, true) | (Format::Xlsx, false)
        ) {
            return Err(ExtractError::WrongContent(format!(
                "{}: configured as {:?} but the content is {}",
                input.meta.url,
                o.format,
                if workbook { "a workbook" } else { "text" }
            )));
        }
        let (x, found_header) = extract_tables(&grids, o, input)?;
        if !found_header {
            return Err(ExtractError::Layout(format!(
                "{}: no header row with the configured metric headers ({})",
                input.meta.url,
                o.header_list()
            )));
        }
        Ok(x)
    }
}

/// What [`TableFamily::check_options`] checks: at least one metric mapping, each with a
/// header name, metric id, unit and a source for its date; a readable `date.value`,
/// `date.format` and `date.default_from`; known areas.
fn check_table_options(o: &TableOptions) -> Result<(), ExtractError> {
    let bad = |key: &str, what: String| Err(ExtractError::Options(format!("`{key}`: {what}")));
    if o.metrics.is_empty() {
        return bad("metrics", "at least one metric mapping is needed".into());
    }
    for (i, m) in o.metrics.iter().enumerate() {
        let key = format!("metrics[{i}]");
        if m.headers.iter().all(|h| header_key(h).is_empty()) {
            return bad(&format!("{key}.headers"), "no header name".into());
        }
        if m.metric.trim().is_empty() || m.unit.trim().is_empty() {
            return bad(&key, "`metric` and `unit` must not be empty".into());
        }
        if m.scale.is_some_and(|s| !s.is_finite() || s == 0.0) {
            return bad(
                &format!("{key}.scale"),
                format!("{:?} is not a multiplier", m.scale),
            );
        }
        let dated = m.date_column.is_some()
            || o.date.column.is_some()
            || o.date.value.is_some()
            || o.date.from_header;
        if !dated {
            return bad(
                "date",
                format!(
                    "no date for metric `{}` (set `date.column`, `date.value`, `date.from_header` or the metric's `date_column`)",
                    m.metric
                ),
            );
        }
    }
    if let Some(v) = &o.date.value {
        if let Err(e) = mynawatch_ja::parse_date(v) {
            return bad("date.value", format!("{v:?}: {e}"));
        }
    }
    if let Some(f) = &o.date.format {
        use chrono::format::{Item, StrftimeItems};
        if StrftimeItems::new(f).any(|i| matches!(i, Item::Error)) {
            return bad("date.format", format!("{f:?} is not a chrono format"));
        }
    }
    if let Some(d) = &o.date.default_from {
        if !o.metrics.iter().any(|m| &m.metric == d) {
            return bad(
                "date.default_from",
                format!("`{d}` is not a configured metric"),
            );
        }
    }
    if let Some(a) = o.area.as_deref().filter(|a| !NATIONAL.contains(a)) {
        common::check_area("area", a)?;
    }
    if let Some(w) = &o.areas.within {
        common::check_area("areas.within", w)?;
    }
    Ok(())
}

/// Figures of every table in `grids` that `o` describes, and whether any header row
/// matched. Families with built-in table layouts (`mic_card_stats`) call this with
/// their own options.
pub fn extract_tables(
    grids: &[Grid],
    o: &TableOptions,
    input: &Input<'_>,
) -> Result<(Extraction, bool), ExtractError> {
    {
        let fixed_date = match &o.date.value {
            Some(v) => Some(
                mynawatch_ja::parse_date(v)
                    .map_err(|e| ExtractError::Options(format!("date.value: {e}")))?
                    .start,
            ),
            None => None,
        };
        let mut x = Extraction::default();
        let mut seen: Seen<'_> = HashMap::new();
        let mut found_header = false;
        for grid in grids
            .iter()
            .filter(|g| o.sheet.as_ref().is_none_or(|s| &g.name == s))
        {
            found_header |= extract_grid(grid, o, fixed_date, input, &mut x, &mut seen)?;
        }
        Ok((x, found_header))
    }
}

/// Figures already taken from this source, by [`Figure::key`]'s parts (the source id is
/// the same for all): metric, area code (or name), dimensions, date, period.
type Seen<'o> = HashMap<
    (
        &'o str,
        String,
        String,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<NaiveDate>,
    ),
    Option<f64>,
>;

fn extract_grid<'o>(
    grid: &Grid,
    o: &'o TableOptions,
    fixed_date: Option<NaiveDate>,
    input: &Input<'_>,
    x: &mut Extraction,
    seen: &mut Seen<'o>,
) -> Result<bool, ExtractError> {
    let names = keyed(o);
    let mut header: Option<Header> = None;
    let mut any = false;
    for (r, row) in grid.rows.iter().enumerate() {
        if let Some(h) = header_of(row, &names) {
            header = Some(h);
            any = true;
            continue;
        }
        let Some(h) = &header else { continue };
        // Notes (`（注）…`) and section titles under a table have no values in any
        // metric column: they are not data rows.
        if h.metrics
            .iter()
            .all(|m| row.get(m.1).is_none_or(|c| c.trim().is_empty()))
        {
            continue;
        }
        let (code, name, mut dims) = match area_of(row, h, o) {
            Ok(a) => a,
            Err(e) => {
                x.warnings
                    .push(format!("{}: {e}; row skipped", grid.locator(r, 0)));
                continue;
            }
        };
        if let Some((c, key)) = &h.detail {
            let detail =
                mynawatch_ja::normalize_name(row.get(*c).map(String::as_str).unwrap_or(""));
            dims = [dims, format!("{key}={detail}")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(";");
        }
        let header_date_of = |metric: &str| {
            h.metrics
                .iter()
                .find(|(i, _, _)| o.metrics[*i].metric == metric)
                .and_then(|m| m.2)
        };
        for &(i, col, hdate) in &h.metrics {
            let spec = &o.metrics[i];
            let raw = row.get(col).map(String::as_str).unwrap_or("");
            let num = match mynawatch_ja::parse_number_scaled(raw, spec.scale.unwrap_or(1.0)) {
                Ok(n) => n,
                Err(_) => {
                    x.warnings.push(format!(
                        "{}: {:?} is not a number; cell skipped",
                        grid.locator(r, col),
                        raw
                    ));
                    continue;
                }
            };
            let row_period = |c: usize| {
                row.get(c)
                    .and_then(|v| mynawatch_ja::parse_date(v).ok())
                    .filter(|d| d.kind != mynawatch_ja::DateKind::Date)
                    .map(|d| (d.start, d.end))
            };
            // A month (`令和7年6月`) or 年度 in the date column is a period, not a day.
            let period = h
                .metric_date_cols
                .get(&i)
                .copied()
                .or(h.date_col)
                .and_then(row_period);
            let row_date = |c: usize| {
                let v = row.get(c)?;
                match &o.date.format {
                    Some(f) => NaiveDate::parse_from_str(v.trim(), f).ok(),
                    None => mynawatch_ja::parse_date(v).ok().map(|d| d.start),
                }
            };
            // A row with a date column is dated by that cell or not at all: a cell that
            // does not parse drops the row with a warning, never falls back to another date.
            let date_col = h.metric_date_cols.get(&i).copied().or(h.date_col);
            if let Some(c) = date_col {
                if row_date(c).is_none() {
                    x.warnings.push(format!(
                        "{}: date {:?} not understood; row dropped",
                        grid.locator(r, c),
                        row.get(c).map(String::as_str).unwrap_or("")
                    ));
                    continue;
                }
            }
            let as_of = date_col
                .and_then(row_date)
                .or(fixed_date)
                .or(if o.date.from_header {
                    hdate.or_else(|| o.date.default_from.as_deref().and_then(header_date_of))
                } else {
                    None
                });
            let Some(as_of) = as_of else {
                return Err(ExtractError::Options(format!(
                    "{}: no date for metric {} (configure `date`)",
                    grid.locator(r, col),
                    spec.metric
                )));
            };
            let mut fig = Figure {
                metric: spec.metric.clone(),
                area_code: code.clone(),
                area_name: name.clone(),
                as_of: if period.is_some() { None } else { Some(as_of) },
                period_start: period.map(|p| p.0),
                period_end: period.map(|p| p.1),
                value: num.value,
                unit: spec.unit.clone(),
                scale: num.scale,
                qualifier: num.qualifier,
                status: if num.value.is_none() && num.status == FigureStatus::Final {
                    FigureStatus::Missing
                } else {
                    num.status
                },
                dimensions: [Some(dims.as_str()), spec.dimensions.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(";"),
                derived_from: String::new(),
                evidence: String::new(),
                provenance: input.meta.provenance(grid.locator(r, col), raw),
            };
            let key = (
                spec.metric.as_str(),
                if fig.area_code.is_empty() {
                    fig.area_name.clone()
                } else {
                    fig.area_code.clone()
                },
                fig.dimensions.clone(),
                fig.as_of,
                fig.period_start,
                fig.period_end,
            );
            match seen.get(&key) {
                Some(v) if *v == fig.value => continue,
                Some(v) => {
                    x.warnings.push(format!(
                        "{}: {} {} {} is {:?} here but {:?} elsewhere in the source; both kept",
                        grid.locator(r, col),
                        fig.metric,
                        fig.area_name,
                        as_of,
                        fig.value,
                        v
                    ));
                    fig.dimensions = [
                        fig.dimensions.as_str(),
                        &format!("variant={}", grid.locator(r, col)),
                    ]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(";");
                }
                None => {
                    seen.insert(key, fig.value);
                }
            }
            push(&mut x.rows, fig);
        }
    }
    Ok(any)
}

fn push(rows: &mut Rows, f: Figure) {
    rows.figures.push(f);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Family;

    #[test]
    fn every_json_example_in_the_module_doc_is_valid_options() {
        let doc: String = include_str!("table.rs")
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| l.trim_start_matches("//!").trim_start().to_string() + "\n")
            .collect();
        let blocks: Vec<&str> = doc
            .split("```json\n")
            .skip(1)
            .map(|b| b.split("```").next().unwrap())
            .collect();
        assert_eq!(blocks.len(), 2);
        for b in blocks {
            let o: TableOptions = serde_json::from_str(b).unwrap_or_else(|e| panic!("{e}: {b}"));
            assert!(!o.metrics.is_empty());
        }
    }

    #[test]
    fn a_category_column_right_of_the_metrics_is_read_from_its_own_cell() {
        let csv = "交付枚数,区分,\n100,政令指定都市,\n200,,町村\n".as_bytes();
        let meta =
            mynawatch_model::SnapshotMeta::for_file("t", "https://x.jp/t.csv", String::new());
        let options = serde_json::json!({
            "metrics": [{"headers": ["交付枚数"], "metric": "card.issued", "unit": "count"}],
            "date": {"value": "2025-01-01"}
        });
        let x = TableFamily
            .extract(&Input {
                bytes: csv,
                meta: &meta,
                options: &options,
            })
            .unwrap();
        let got: Vec<(&str, Option<f64>)> = x
            .rows
            .figures
            .iter()
            .map(|f| (f.dimensions.as_str(), f.value))
            .collect();
        // With no metric column to its right, only the 区分 cell itself counts: the
        // unnamed column after it is not taken as a category.
        assert_eq!(
            got,
            vec![("municipality_type=政令指定都市", Some(100.0))],
            "{:?}",
            x.warnings
        );
    }

    #[test]
    fn bad_options_are_rejected_with_their_key() {
        let check = |v: serde_json::Value| {
            TableFamily
                .check_options(&v)
                .map_err(|e| e.to_string())
                .err()
        };
        let metric = serde_json::json!({"headers": ["交付枚数"], "metric": "m", "unit": "count"});
        let cases = [
            (serde_json::json!({"metrics": []}), "`metrics`"),
            (serde_json::json!({"metrics": [metric]}), "`date`"),
            (
                serde_json::json!({"metrics": [metric], "date": {"value": "someday"}}),
                "`date.value`",
            ),
            (
                serde_json::json!({"metrics": [metric], "date": {"column": ["年月"], "format": "%Q"}}),
                "`date.format`",
            ),
            (
                serde_json::json!({"metrics": [metric], "date": {"from_header": true, "default_from": "x"}}),
                "`date.default_from`",
            ),
            (
                serde_json::json!({"metrics": [metric], "date": {"value": "2025-01-01"}, "area": "東京都どこか区"}),
                "`area`",
            ),
            (
                serde_json::json!({"metrics": [metric], "date": {"value": "2025-01-01"}, "colour": 1}),
                "`colour`",
            ),
        ];
        for (options, key) in cases {
            let err = check(options.clone()).unwrap_or_else(|| panic!("accepted {options}"));
            assert!(err.contains(key), "{err} should name {key}");
        }
        for good in [
            serde_json::json!({"metrics": [metric], "date": {"value": "2025-01-01"}, "area": "全国"}),
            serde_json::json!({"metrics": [metric], "date": {"column": ["基準日"], "format": "%m/%d/%y"}, "areas": {"within": "大阪府大阪市"}}),
        ] {
            assert_eq!(check(good.clone()), None, "{good}");
        }
    }

    #[test]
    fn every_table_config_in_the_fixtures_passes_the_load_check() {
        let dir = mynawatch_testutil::fixtures_dir().join("table/configs");
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            TableFamily
                .check_options(&v)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        }
    }

    #[test]
    fn header_keys_drop_date_annotations_and_radicals() {
        assert_eq!(
            header_key("総数（\u{2F08}\u{2F1D}）\n【H28.1.1時点】"),
            "総数(人口)"
        );
        assert_eq!(header_key("人口\n（H28.1.1時点）"), "人口");
        assert_eq!(
            header_key("人口に対する\n交付枚数率"),
            "人口に対する交付枚数率"
        );
        assert_eq!(header_key("金額（千円）"), "金額(千円)");
    }
}
