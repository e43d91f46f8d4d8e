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
