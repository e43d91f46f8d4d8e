//! Parquet tables (to be written).
