#!/usr/bin/env bash
# `reextract` throughput (issue 15): builds the release binary and runs the ignored
# benchmark in tests/e2e/reextract_bench.rs, which generates the loopback Japan
# (mynawatch-discover, seed 20260709), stores 10,000 municipal notice snapshots and 200
# copies of the real MHLW pages with one `mynawatch run`, then times `mynawatch reextract`
# over all of them (documents/second, changes, peak RSS from the `run committed` line).
#
# Environment: MYNAWATCH_CORPUS (the real corpus), BENCH_NOTICES (default 10000),
# CARGO_TARGET_DIR (as for cargo).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --bin mynawatch
MYNAWATCH_BIN="${MYNAWATCH_BIN:-$(realpath -m "$target/release/mynawatch")}" \
    cargo test --release --test tests reextract_throughput -- --ignored --nocapture
