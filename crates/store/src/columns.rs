//! Row types ⇄ polars frames. A table's columns are its row type's fields
//! (`#[derive(Table)]` in `mynawatch_model::table`): this module only knows how each kind
//! of cell is a polars column, so the writer, the reader and the empty schema of every
//! table come from one declaration.
//!
//! Column order and types are the analyst contract documented in this crate's README:
//! dates are `Date`, times are `Datetime(µs, UTC)`, enums are their stable strings,
//! lists are comma-separated strings, `Option` is null.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use mynawatch_model::table::{CellError, Kind, Sink, Source, Table, Value};
use mynawatch_model::*;
use polars::prelude::*;

use crate::StoreError;

const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");

/// The polars type of a kind of cell.
fn dtype(kind: Kind) -> DataType {
    match kind {
        Kind::Str => DataType::String,
        Kind::Int => DataType::Int64,
        Kind::Float => DataType::Float64,
        Kind::Date => DataType::Date,
        Kind::Time => DataType::Datetime(TimeUnit::Microseconds, Some(TimeZone::UTC)),
    }
}

/// Columns as the row type writes them.
#[derive(Default)]
struct Frame {
    columns: Vec<Column>,
    error: Option<PolarsError>,
}

impl Sink for Frame {
    fn column(&mut self, name: &str, kind: Kind, values: &mut dyn Iterator<Item = Value<'_>>) {
        let name: PlSmallStr = name.into();
        let column = match kind {
            Kind::Str => {
                let v: Vec<Option<String>> = values
                    .map(|v| match v {
                        Value::Str(s) => s.map(Cow::into_owned),
                        _ => None,
                    })
                    .collect();
                Column::new(name, v)
            }
            Kind::Int => Column::new(
                name,
                values
                    .map(|v| match v {
                        Value::Int(i) => i,
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            ),
            Kind::Float => Column::new(
                name,
                values
                    .map(|v| match v {
                        Value::Float(f) => f,
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            ),
            Kind::Date => Column::new(
                name,
                values
                    .map(|v| match v {
                        Value::Date(d) => d.map(|d| (d - EPOCH).num_days() as i32),
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            ),
            Kind::Time => Column::new(
                name,
                values
                    .map(|v| match v {
                        Value::Time(t) => t.map(|t| t.timestamp_micros()),
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            ),
        };
        match column.cast(&dtype(kind)) {
            Ok(c) => self.columns.push(c),
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
    }
}

/// A frame's columns as cells, each cast to the kind the row type reads.
struct Cells<'a>(&'a DataFrame);

impl Source for Cells<'_> {
    fn rows(&self) -> usize {
        self.0.height()
    }

    fn cells(&self, name: &str, kind: Kind) -> Result<Option<Vec<Value<'static>>>, CellError> {
        let Ok(col) = self.0.column(name) else {
            return Ok(None);
        };
        let failed = |e: PolarsError| CellError::Source {
            column: name.to_string(),
            message: e.to_string(),
        };
        let cells = match kind {
            Kind::Str => {
                let c = col.cast(&DataType::String).map_err(failed)?;
                c.str()
                    .map_err(failed)?
                    .iter()
                    .map(|v| Value::Str(v.map(|s| Cow::Owned(s.to_string()))))
                    .collect()
            }
            Kind::Int => {
                let c = col.cast(&DataType::Int64).map_err(failed)?;
                c.i64().map_err(failed)?.iter().map(Value::Int).collect()
            }
            Kind::Float => {
                let c = col.cast(&DataType::Float64).map_err(failed)?;
                c.f64().map_err(failed)?.iter().map(Value::Float).collect()
            }
            Kind::Date => {
                let c = col.cast(&DataType::Int32).map_err(failed)?;
                // A day outside the calendar (a foreign or edited file) is a bad value,
                // not a panic.
                let day = |d: i32| {
                    EPOCH
                        .checked_add_signed(chrono::Duration::days(d as i64))
                        .ok_or_else(|| CellError::BadValue {
                            column: name.to_string(),
                            value: format!("{d} days after 1970-01-01"),
                        })
                };
                c.i32()
                    .map_err(failed)?
                    .iter()
                    .map(|d| d.map(day).transpose().map(Value::Date))
                    .collect::<Result<_, _>>()?
            }
            Kind::Time => {
                let c = col.cast(&DataType::Int64).map_err(failed)?;
                c.i64()
                    .map_err(failed)?
                    .iter()
                    .map(|t| Value::Time(t.and_then(DateTime::<Utc>::from_timestamp_micros)))
                    .collect()
            }
        };
        Ok(Some(cells))
    }
}

/// `rows` as a frame of their table.
pub fn frame<T: Table>(rows: &[T]) -> Result<DataFrame, StoreError> {
    let refs: Vec<&T> = rows.iter().collect();
    let mut f = Frame::default();
    T::write_columns(&refs, "", &mut f);
    if let Some(e) = f.error {
        return Err(e.into());
    }
    Ok(DataFrame::new_infer_height(f.columns)?)
}

/// The rows of a frame written by [`frame`] (or by an older version: a column the row type
/// marks as added later reads as its default).
pub fn read<T: Table>(df: &DataFrame) -> Result<Vec<T>, StoreError> {
    T::read_columns(&Cells(df), "").map_err(|e| match e {
        CellError::BadValue { column, value } => StoreError::BadValue {
            table: T::NAME,
            column,
            value,
        },
        CellError::Missing { column } => StoreError::Column {
            table: T::NAME,
            message: format!("column `{column}` is missing"),
        },
        CellError::Short { column } => StoreError::Column {
            table: T::NAME,
            message: format!("column `{column}` is shorter than the table"),
        },
        CellError::Source { column, message } => StoreError::Column {
            table: T::NAME,
            message: format!("column `{column}`: {message}"),
        },
    })
}

/// An empty frame with the schema of `table`.
pub fn empty(table: crate::TableName) -> Result<DataFrame, StoreError> {
    use crate::TableName as T;
    match table {
        T::Figures => frame::<Figure>(&[]),
        T::Events => frame::<Event>(&[]),
        T::Statements => frame::<Statement>(&[]),
        T::Notices => frame::<Notice>(&[]),
        T::Bills => frame::<Bill>(&[]),
        T::Changes => frame::<Change>(&[]),
        T::Fetches => frame::<FetchRecord>(&[]),
        T::Runs => frame::<RunRecord>(&[]),
        T::MunicipalPages => frame::<MunicipalPage>(&[]),
        T::Warnings => frame::<ExtractionWarning>(&[]),
        T::Reviews => frame::<review::Review>(&[]),
    }
}
