//! The mynawatch command line: config, run orchestration, demo, exit codes.
//!
//! `main.rs` parses arguments and maps results to exit codes; everything that does
//! work lives here so end-to-end tests can call it directly.

pub mod args;
pub mod bills;
pub mod commands;
pub mod config;
pub mod demo;
pub mod discover;
pub mod eval;
pub mod feed;
pub mod progress;
pub mod remote;
pub mod report;
pub mod review;
pub mod run;

/// A usage or config problem: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Exit codes: the contract with schedulers (README, "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked.
    Ok = 0,
    /// An internal error (a bug, a full disk, an unreadable data folder).
    Internal = 1,
    /// Bad arguments or config.
    Usage = 2,
    /// Some sources failed or are broken; everything else was stored.
    SourcesFailed = 3,
    /// Another run holds the data folder's lock.
    Locked = 4,
}

/// Map an error to its exit code.
pub fn exit_for(err: &anyhow::Error) -> Exit {
    if err.downcast_ref::<UsageError>().is_some()
        || err.downcast_ref::<config::ConfigError>().is_some()
    {
        return Exit::Usage;
    }
    if let Some(mynawatch_store::StoreError::LockHeld { .. }) = err.downcast_ref() {
        return Exit::Locked;
    }
    if err
        .downcast_ref::<mynawatch_remote::RemoteError>()
        .is_some_and(|e| e.is_locked())
    {
        return Exit::Locked;
    }
    Exit::Internal
}
