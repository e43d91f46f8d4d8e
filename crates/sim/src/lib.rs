//! mynawatch's test kit, kept out of the product crates: nothing in the pipeline depends
//! on it, so `mynawatch-fetch` builds without a web server and `mynawatch-discover` holds
//! discovery only.
//!
//! - [`mirror`]: a loopback HTTP server that serves a folder like a real site, with fault
//!   injection and virtual hosts, for tests, the demo, benchmarks and users testing their
//!   configs offline (`mynawatch mirror`).
//! - [`japan`]: the seeded "loopback Japan" generator (1,741 sites under their real host
//!   names, eight CMS styles and the ways real sites fail) with its ground truth.
#![deny(missing_docs)]

pub mod japan;
pub mod mirror;
