# Conveniences on top of plain cargo (the README's two commands need only cargo).

# Format everything.
fmt:
    cargo fmt --all

# Lint as CI does.
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# The test suite (needs ../shared/corpus or MYNAWATCH_CORPUS).
test:
    cargo test --workspace

# Benchmarks; figures go to docs/benchmarks.md.
bench:
    cargo bench -p mynawatch-ja
    cargo bench -p mynawatch-extract

# The offline demo on the local mirror.
demo:
    cargo run -- demo

# What CI runs.
ci:
    bash .ci/run

# Side by side with the Python peer (bench/peer/): `mynawatch extract` (release) vs
# BeautifulSoup+lxml and pandas over the same real files, median of 3. Skips with a
# message without Python + pandas/bs4/lxml (PEER_PYTHON picks the interpreter).
bench-peer:
    cargo build --release --bin mynawatch
    bash bench/peer/run.sh

# `reextract` throughput: 10,000 stored notice snapshots + 200 MHLW pages re-extracted
# and diffed (release build; about 2 minutes with the first run that stores them).
bench-reextract:
    bash bench/reextract.sh

# A year of daily runs over every generated municipality with a simulated clock
# (tests/e2e/year.rs); figures go to docs/benchmarks.md. The CI variant (30 days × 200
# municipalities) runs with the tests.
bench-year:
    cargo test --test tests year -- --ignored --nocapture
