//! Domain types shared by every mynawatch crate.
//!
//! This crate owns the *shape* of the data: what a snapshot is, what a figure,
//! event, statement, notice and change row contain, and the provenance every
//! content row carries back to the exact bytes it came from. It also owns the
//! pure byte-level helpers both the fetcher and the extractors need: content
//! sniffing ([`content::sniff`]) and charset decoding ([`content::decode`]).
//!
//! It must not do I/O and must stay light: every other crate depends on it.
#![deny(missing_docs)]

// The derive names this crate by its path, as every other crate does.
extern crate self as mynawatch_model;

pub mod clock;
pub mod content;
pub mod display;
pub mod keys;
pub mod review;
mod rows;
pub mod table;
mod warning;

pub use review::{Review, ReviewStatus};
pub use rows::*;
pub use warning::ExtractionWarning;
