//! The tables' schema, declared once: a row struct derives [`Table`]
//! (`mynawatch-table-derive`), and its fields are the table's columns, in order, each
//! stored as its type's [`Cell`] kind. The store turns a [`Table`] into Parquet through a
//! [`Sink`] and back through a [`Source`]; nothing else names a column. Adding a column is
//! adding a field (marked `#[table(added)]`, so older files read as its absent value).
//!
//! This module knows no storage engine: cells are plain values ([`Value`]), and the store
//! (polars) implements [`Sink`] and [`Source`].
//!
//! A column marked `#[table(added)]` reads as [`Cell::absent`] from older files; text
//! (`String`, `Option<String>`) and optional dates have one, other cell types do not.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};

pub use mynawatch_table_derive::Table;

/// How a column is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// UTF-8 text.
    Str,
    /// 64-bit integer.
    Int,
    /// 64-bit float.
    Float,
    /// A calendar day.
    Date,
    /// An instant, microseconds, UTC.
    Time,
}

/// One stored cell; `None` is null.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Text.
    Str(Option<Cow<'a, str>>),
    /// Integer.
    Int(Option<i64>),
    /// Float.
    Float(Option<f64>),
    /// Day.
    Date(Option<NaiveDate>),
    /// Instant.
    Time(Option<DateTime<Utc>>),
}

/// Why stored cells could not be read back as the row type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CellError {
    /// A column the type needs is not in the file.
    #[error("column `{column}` is missing")]
    Missing {
        /// The column.
        column: String,
    },
    /// A value the type does not store (an unknown status, a null time).
    #[error("column `{column}` holds `{value}`, which is not a value it stores")]
    BadValue {
        /// The column.
        column: String,
        /// The stored value as text.
        value: String,
    },
    /// A column shorter than the frame.
    #[error("column `{column}` is shorter than the table")]
    Short {
        /// The column (or the table).
        column: String,
    },
    /// The storage engine failed to give the column.
    #[error("column `{column}`: {message}")]
    Source {
        /// The column.
        column: String,
        /// The engine's message.
        message: String,
    },
}

/// A stored value that a field type never writes (its text, for the error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unstored(pub String);

/// A field type that is one column.
pub trait Cell: Sized {
    /// How it is stored.
    const KIND: Kind;
    /// The stored cell.
    fn value(&self) -> Value<'_>;
    /// Back from a stored cell (of [`Cell::KIND`]); `Err` carries the stored text of a
    /// value this type never writes.
    fn from_value(v: Value<'static>) -> Result<Self, Unstored>;
    /// What a file written before the column existed reads as (`None`: such a file is an
    /// error).
    fn absent() -> Option<Self> {
        None
    }
}

/// Where a table's columns are written.
pub trait Sink {
    /// One column, all rows.
    fn column(&mut self, name: &str, kind: Kind, values: &mut dyn Iterator<Item = Value<'_>>);
}

/// Where a table's columns are read from.
pub trait Source {
    /// Rows in the table.
    fn rows(&self) -> usize;
    /// Column `name` as cells of `kind`; `Ok(None)` when the file has no such column.
    fn cells(&self, name: &str, kind: Kind) -> Result<Option<Vec<Value<'static>>>, CellError>;
}

/// A row type: its table's name and columns, written and read in field order.
pub trait Table: Sized {
    /// The table (`""` for a part flattened into others, such as [`crate::Provenance`]).
    const NAME: &'static str;
    /// Column names and kinds, in order.
    fn columns() -> Vec<(String, Kind)>;
    /// Write `rows` as columns named `prefix` + field.
    fn write_columns(rows: &[&Self], prefix: &str, sink: &mut dyn Sink);
    /// Read rows back from columns named `prefix` + field.
    fn read_columns(source: &dyn Source, prefix: &str) -> Result<Vec<Self>, CellError>;
}

/// Column `name` of `source` as `T`s (the derive's reader for one field).
pub fn read_cells<T: Cell>(
    source: &dyn Source,
    name: &str,
    added: bool,
) -> Result<Vec<T>, CellError> {
    let Some(cells) = source.cells(name, T::KIND)? else {
        return match T::absent() {
            Some(_) if added => Ok((0..source.rows())
                .map(|_| T::absent().expect("absent is stable"))
                .collect()),
            _ => Err(CellError::Missing {
                column: name.to_string(),
            }),
        };
    };
    cells
        .into_iter()
        .map(|v| {
            T::from_value(v).map_err(|Unstored(value)| CellError::BadValue {
                column: name.to_string(),
                value,
            })
        })
        .collect()
}

fn text(v: Value<'static>) -> Option<String> {
    match v {
        Value::Str(s) => s.map(Cow::into_owned),
        Value::Int(i) => i.map(|i| i.to_string()),
        Value::Float(f) => f.map(|f| f.to_string()),
        Value::Date(d) => d.map(|d| d.to_string()),
        Value::Time(t) => t.map(|t| t.to_rfc3339()),
    }
}

fn int(v: Value<'static>) -> Result<Option<i64>, Unstored> {
    match v {
        Value::Int(i) => Ok(i),
        other => Err(unstored(other)),
    }
}

fn unstored(v: Value<'static>) -> Unstored {
    Unstored(text(v).unwrap_or_else(|| "null".into()))
}

/// Text; null reads as empty.
impl Cell for String {
    const KIND: Kind = Kind::Str;
    fn value(&self) -> Value<'_> {
        Value::Str(Some(Cow::Borrowed(self)))
    }
    fn from_value(v: Value<'static>) -> Result<Self, Unstored> {
        Ok(text(v).unwrap_or_default())
    }
    fn absent() -> Option<Self> {
        Some(String::new())
    }
}

impl Cell for Option<String> {
    const KIND: Kind = Kind::Str;
    fn value(&self) -> Value<'_> {
        Value::Str(self.as_deref().map(Cow::Borrowed))
    }
    fn from_value(v: Value<'static>) -> Result<Self, Unstored> {
        Ok(text(v))
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
}

/// A list stored comma-separated (`"医療,保険"`); empty items are dropped on reading.
impl Cell for Vec<String> {
    const KIND: Kind = Kind::Str;
    fn value(&self) -> Value<'_> {
        Value::Str(Some(Cow::Owned(self.join(","))))
    }
    fn from_value(v: Value<'static>) -> Result<Self, Unstored> {
        Ok(text(v)
            .unwrap_or_default()
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect())
    }
}

/// Numbers stored comma-separated (`"212,213"`).
impl Cell for Vec<u32> {
    const KIND: Kind = Kind::Str;
    fn value(&self) -> Value<'_> {
        let s: Vec<String> = self.iter().map(u32::to_string).collect();
        Value::Str(Some(Cow::Owned(s.join(","))))
    }
    fn from_value(v: Value<'static>) -> Result<Self, Unstored> {
        Ok(text(v)
            .unwrap_or_default()
            .split(',')
            .filter_map(|x| x.parse().ok())
            .collect())
    }
}

macro_rules! int_cell {
    ($($t:ty),*) => {$(
        /// An integer; null reads as 0.
        impl Cell for $t {
            const KIND: Kind = Kind::Int;
            fn value(&self) -> Value<'_> {
                Value::Int(Some(*self as i64))
            }
            fn from_value(v: Value<'static>) -> Result<Self, Unstored> {
                Ok(int(v)?.unwrap_or(0) as $t)
            }
        }
    )*};
}
int_cell!(i64, u32, u64);

impl Cell for Option<u16> {
    const KIND: Kind = Kind::Int;
    fn value(&self) -> Value<'_> {
        Value::Int(self.map(i64::from))
    }
    fn from_value(v: Value<'static>) -> Result<Self, Unstored> {
        Ok(int(v)?.map(|i| i as u16))
    }
}

/// A bare float is a multiplier (`figures.scale`, the only one): every writer stores it,
/// and a null (a hand-edited or foreign file) reads as 1, the identity, as it always has.
impl Cell for f64 {
    const KIND: Kind = Kind::Float;
    fn value(&self) -> Value<'_> {
        Value::Float(Some(*self))
    }
    fn from_value(v: Value<'static>) -> Result<Self, Unstored> {
        match v {
            Value::Float(f) => Ok(f.unwrap_or(1.0)),
            other => Err(unstored(other)),
        }
    }
}

impl Cell for Option<f64> {
    const KIND: Kind = Kind::Float;
    fn value(&self) -> Value<'_> {
        Value::Float(*self)
    }
    fn from_value(v: Value<'static>) -> Result<Self, Unstored> {
        match v {
            Value::Float(f) => Ok(f),
            other => Err(unstored(other)),
        }
    }
}

impl Cell for Option<NaiveDate> {
    const KIND: Kind = Kind::Date;
    fn value(&self) -> Value<'_> {
        Value::Date(*self)
    }
    fn from_value(v: Value<'static>) -> Result<Self, Unstored> {
        match v {
            Value::Date(d) => Ok(d),
            other => Err(unstored(other)),
        }
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
}

/// An instant every writer stores: null is an error, never a default such as 1970-01-01.
impl Cell for DateTime<Utc> {
    const KIND: Kind = Kind::Time;
    fn value(&self) -> Value<'_> {
        Value::Time(Some(*self))
    }
    fn from_value(v: Value<'static>) -> Result<Self, Unstored> {
        match v {
            Value::Time(Some(t)) => Ok(t),
            other => Err(unstored(other)),
        }
    }
}

/// An enum stored as its stable string: `as_str` writes it, and reading finds the variant
/// with that string (anything else is an error naming the value).
#[macro_export]
macro_rules! string_cell {
    ($t:ty, [$($v:expr),+ $(,)?]) => {
        impl $crate::table::Cell for $t {
            const KIND: $crate::table::Kind = $crate::table::Kind::Str;
            fn value(&self) -> $crate::table::Value<'_> {
                $crate::table::Value::Str(Some(::std::borrow::Cow::Borrowed(self.as_str())))
            }
            fn from_value(v: $crate::table::Value<'static>) -> Result<Self, $crate::table::Unstored> {
                let s = match v {
                    $crate::table::Value::Str(s) => s.map(|s| s.into_owned()).unwrap_or_default(),
                    _ => String::new(),
                };
                [$($v),+]
                    .into_iter()
                    .find(|x: &$t| x.as_str() == s)
                    .ok_or($crate::table::Unstored(s))
            }
        }

        /// None is null (or empty); a value as its stable string.
        impl $crate::table::Cell for Option<$t> {
            const KIND: $crate::table::Kind = $crate::table::Kind::Str;
            fn value(&self) -> $crate::table::Value<'_> {
                $crate::table::Value::Str(self.map(|x| ::std::borrow::Cow::Borrowed(x.as_str())))
            }
            fn from_value(v: $crate::table::Value<'static>) -> Result<Self, $crate::table::Unstored> {
                match &v {
                    $crate::table::Value::Str(None) => Ok(None),
                    $crate::table::Value::Str(Some(s)) if s.is_empty() => Ok(None),
                    _ => <$t as $crate::table::Cell>::from_value(v).map(Some),
                }
            }
        }
    };
}
