//! Time as the pipeline sees it: one [`Clock`] handed to the run, the fetcher and the
//! report instead of each reading the system clock, so a test (or a simulated year) can
//! run mynawatch "in 2026-07" and check what it decides.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

/// Where "now" comes from.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time (UTC).
    fn now(&self) -> DateTime<Utc>;
}

/// A clock shared by the parts of one run.
pub type SharedClock = Arc<dyn Clock>;

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The system clock, shared.
pub fn system() -> SharedClock {
    Arc::new(SystemClock)
}

/// A clock that stands still until moved: tests and simulations set the time.
#[derive(Debug)]
pub struct FrozenClock(Mutex<DateTime<Utc>>);

impl FrozenClock {
    /// A clock stopped at `at`.
    pub fn at(at: DateTime<Utc>) -> Arc<FrozenClock> {
        Arc::new(FrozenClock(Mutex::new(at)))
    }

    /// Move it to `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }
}

impl Clock for FrozenClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
