//! End-to-end tests against the local mirror (one test binary).
