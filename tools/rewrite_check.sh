#!/bin/bash
# Count the dev pages whose facts change under meaning-preserving rewrites (tools/rewrites.py).
#
#   cargo build --release -p mynawatch-extract --example eval
#   E=target/release/examples/eval REALPAGES=/tmp/realpages tools/rewrite_check.sh
#
# Dev sets only (never the frozen ones). For each rewrite, one line: how many pages give other
# facts than the page as written; `-v` prints which and how. A reader that generalizes
# prints 0 for every rewrite.
set -u
E=${E:-target/release/examples/eval}
P=${REALPAGES:-/tmp/realpages}
L=$(cd "$(dirname "$0")/../fixtures/real_labels" && pwd)
T=$(dirname "$0")
V=${1:-}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
M="municipal:municipal dev3:municipal_dev3 dev4:municipal_dev4 dev5:municipal_dev5 dev6:municipal_dev6 dev7:municipal_dev7 dev8:municipal_dev8 dev9:municipal_dev9"
H="hodanren:hodanren hodanren_dev2:hodanren_dev2 hodanren_dev3:hodanren_dev3 hodanren_dev4:hodanren_dev4 hodanren_dev5:hodanren_dev5 hodanren_dev6:hodanren_dev6"
facts() { # family labels dir -> its pages' facts as scored, a line each (not titles)
  "$E" "$1" "$2" "$3" --facts 2>/dev/null | grep -v $'\ttitle='
}
check() { # family sets kinds...
  fam=$1; sets=$2; shift 2
  for pair in $sets; do d=${pair%%:*}; l=${pair##*:}
    [ -d "$P/$d" ] && facts "$fam" "$L/$l.tsv" "$P/$d" > "$W/orig_$d"; done
  for k in "$@"; do n=0
    for pair in $sets; do d=${pair%%:*}; l=${pair##*:}
      [ -d "$P/$d" ] || continue
      python3 "$T/rewrites.py" "$k" "$P/$d" "$W/$k/$d"
      facts "$fam" "$L/$l.tsv" "$W/$k/$d" > "$W/${k}_$d"
      c=$(diff "$W/orig_$d" "$W/${k}_$d" | grep '^[<>]' | cut -f1 | sort -u | wc -l); n=$((n + c))
      [ -n "$V" ] && diff "$W/orig_$d" "$W/${k}_$d" | grep '^[<>]' | sed "s|^|$d |" | cut -c1-240
    done
    printf "%-10s %-10s pages changed: %s\n" "$fam" "$k" "$n"
  done
}
check municipal_notice "$M" plain humble people western kana mailverbs marks fullwidth mynalong quotes timeword yori kokuho kakunin nakaba brlabel issue member postal sasete weekday rdot slash tilde spacelabel holding passive regardless everyone topic kv prose
check hodanren "$H" percent answer plainverb fullwidth experience about fullname shortname reiwa shortyear pctmark man associate weekday tilde westslash conduct enquete
