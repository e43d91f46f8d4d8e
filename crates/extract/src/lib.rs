//! Extractors: one module per source family, each pure (bytes + metadata in,
//! rows + warnings out). No network, no filesystem, no clock: everything a family
//! needs arrives in [`Input`].
//!
//! Adding a family is one file in `families/`, one line in [`registry`], fixtures,
//! and a config entry; the conformance test runs every registered family.
#![deny(missing_docs)]

pub mod classify;
pub mod common;
pub mod derive;
pub mod eval;
pub mod evidence;
pub mod families;
mod family;
pub mod html;
pub mod pdf;
pub mod pdf_table;
pub mod reform;
pub mod structure;
pub mod table;
pub mod text;
pub mod yearless;

pub use family::*;

/// Every registered family, in a stable order.
pub fn registry() -> Vec<Box<dyn Family>> {
    families::all()
}

/// The family called `name`, if registered.
pub fn family(name: &str) -> Option<Box<dyn Family>> {
    registry().into_iter().find(|f| f.name() == name)
}
