#!/usr/bin/env bash
# Side by side: `mynawatch extract` (release build) against the Python peer scripts in this
# folder, as whole processes over the same real files from the corpus, median of 3 runs.
#
#   page:  the real MHLW page (97 KB) x200        mynawatch --family page  vs page_peer.py  (bs4 + lxml)
#   table: the 38 real MIC PDF-table CSVs x20     mynawatch --family table vs table_peer.py (pandas)
#
# Environment: MYNAWATCH_CORPUS (default ../shared/corpus from the repo root), PEER_PYTHON
# (default python3; needs pandas, beautifulsoup4, lxml), MYNAWATCH_BIN (default
# $CARGO_TARGET_DIR/release/mynawatch, built if missing), RUNS (default 3), BASE_BIN (an
# older mynawatch build to time as well, for before/after figures; optional).
# Skips with a message (exit 0) when Python or its packages or the corpus are absent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
corpus="${MYNAWATCH_CORPUS:-$repo/../shared/corpus}"
py="${PEER_PYTHON:-python3}"
runs="${RUNS:-3}"
target="${CARGO_TARGET_DIR:-$repo/target}"
bin="${MYNAWATCH_BIN:-$target/release/mynawatch}"

page="$corpus/mhlw_pages/mhlw_newpage_67729_20260905T182241.html"
mic="$corpus/figures/mic_pdf_camelot_000490028"
if [[ ! -f "$page" || ! -d "$mic" ]]; then
    echo "bench-peer: SKIPPED, corpus not found at $corpus (set MYNAWATCH_CORPUS)"
    exit 0
fi
if ! command -v "$py" >/dev/null 2>&1; then
    echo "bench-peer: SKIPPED, no Python ($py; set PEER_PYTHON)"
    exit 0
fi
if ! "$py" -c 'import pandas, bs4, lxml' >/dev/null 2>&1; then
    echo "bench-peer: SKIPPED, $py lacks pandas/beautifulsoup4/lxml (pip install pandas beautifulsoup4 lxml; set PEER_PYTHON)"
    exit 0
fi
if [[ ! -x "$bin" ]]; then
    (cd "$repo" && cargo build --release --bin mynawatch)
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# Wall seconds of one whole process, stdout to $2.
wall() {
    local dest="$1"
    shift
    local t0 t1
    t0=$(date +%s%N)
    "$@" >"$dest"
    t1=$(date +%s%N)
    echo "scale=3; ($t1 - $t0) / 1000000000" | bc
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# compare NAME ROWS_PATTERN -- MYNAWATCH_CMD... -- PEER_CMD...
compare() {
    local name="$1" pattern="$2"
    shift 2
    local ours=() theirs=()
    shift # --
    while [[ "$1" != "--" ]]; do ours+=("$1"); shift; done
    shift
    theirs=("$@")
    local a=() b=()
    for _ in $(seq "$runs"); do
        a+=("$(wall "$out/ours.jsonl" "${ours[@]}")")
        b+=("$(wall "$out/theirs.jsonl" "${theirs[@]}")")
    done
    local ma mb
    ma=$(median "${a[@]}")
    mb=$(median "${b[@]}")
    printf '%-6s mynawatch %6.2f s (%s rows; runs %s)\n' "$name" "$ma" \
        "$(grep -c "$pattern" "$out/ours.jsonl" || true)" "${a[*]}"
    printf '%-6s python    %6.2f s (%s rows; runs %s)\n' "$name" "$mb" \
        "$(grep -c "$pattern" "$out/theirs.jsonl" || true)" "${b[*]}"
    printf '%-6s ratio     %6.1fx\n' "$name" "$(echo "scale=3; $mb / $ma" | bc)"
    # The same on one thread (`-j 1`): the peer uses one core; mynawatch by default all.
    local d=()
    for _ in $(seq "$runs"); do
        d+=("$(wall "$out/one.jsonl" "${ours[@]}" -j 1)")
    done
    local md
    md=$(median "${d[@]}")
    printf '%-6s -j 1      %6.2f s (runs %s), ratio %.1fx\n' "$name" "$md" "${d[*]}" \
        "$(echo "scale=3; $mb / $md" | bc)"
    cmp -s "$out/one.jsonl" "$out/ours.jsonl" || echo "$name   WARNING: -j 1 and the default print different bytes"
    if [[ -n "${BASE_BIN:-}" ]]; then
        local c=()
        for _ in $(seq "$runs"); do
            c+=("$(wall "$out/base.jsonl" "$BASE_BIN" "${ours[@]:1}")")
        done
        local mc
        mc=$(median "${c[@]}")
        printf '%-6s before    %6.2f s (%s; runs %s), ratio %.1fx\n' "$name" "$mc" "$BASE_BIN" \
            "${c[*]}" "$(echo "scale=3; $mb / $mc" | bc)"
        if cmp -s "$out/base.jsonl" "$out/ours.jsonl"; then
            echo "$name   before and after print the same bytes"
        else
            echo "$name   WARNING: before and after outputs differ"
        fi
    fi
}

pages=()
for _ in $(seq 200); do pages+=("$page"); done
csvs=()
for _ in $(seq 20); do
    for i in $(seq 0 37); do csvs+=("$mic/000490028_$i.csv"); done
done
url="https://www.mhlw.go.jp/stf/newpage_67729.html"

echo "bench-peer: $("$bin" --version), $("$py" --version 2>&1), median of $runs, $(date -u +%FT%TZ)"
compare page '"table":"links"\|"table": "links"' \
    -- "$bin" extract --family page --url "$url" "${pages[@]}" \
    -- "$py" "$here/page_peer.py" --url "$url" "${pages[@]}"
compare table '"metric"' \
    -- "$bin" extract --family table --options "$(cat "$repo/fixtures/table/configs/mic_2017_camelot.json")" "${csvs[@]}" \
    -- "$py" "$here/table_peer.py" "${csvs[@]}"
