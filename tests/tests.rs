//! End-to-end tests: the real binary's pipeline against the local mirror over loopback.
//! One test binary (all modules below), so the large dependency graph links once.

mod e2e;
