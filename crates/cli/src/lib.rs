//! The mynawatch command line: config, run orchestration, exit codes.
