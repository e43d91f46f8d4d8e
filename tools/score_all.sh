#!/bin/bash
# Score every labelled real-page set, one summary line each (see docs/accuracy.md).
#
#   cargo build --release -p mynawatch-extract --example eval
#   E=target/release/examples/eval REALPAGES=/tmp/realpages tools/score_all.sh
#
# Page texts are not in the repo: REALPAGES holds one folder per set (municipal, holdout,
# holdout2, dev3..dev9, municipal_test3..municipal_test5, hodanren, hodanren_dev2..hodanren_dev6,
# hodanren_test3..hodanren_test5), filled from the search tool's `pages` corpus. Frozen test sets print
# totals only: never their per-page errors. For figures, `unlabelled` counts extracted facts no label
# names (a wrong period or area, or a fact the labeller left out); `undated` the labelled facts whose
# period the reader left empty.
set -u
E=${E:-target/release/examples/eval}
P=${REALPAGES:-/tmp/realpages}
L=$(dirname "$0")/../fixtures/real_labels
for pair in "municipal municipal" "municipal_holdout holdout" "municipal_holdout2 holdout2" \
    "municipal_dev3 dev3" "municipal_dev4 dev4" "municipal_dev5 dev5" "municipal_dev6 dev6" \
    "municipal_dev7 dev7" "municipal_dev8 dev8" "municipal_dev9 dev9" "municipal_test3 municipal_test3" \
    "municipal_test4 municipal_test4" "municipal_test5 municipal_test5"; do
  set -- $pair
  [ -d "$P/$2" ] || { echo "$1: no texts in $P/$2"; continue; }
  out=$("$E" municipal_notice "$L/$1.tsv" "$P/$2" 2>&1)
  tot=$(echo "$out" | awk '/^TOTAL/{print $2}')
  pol=$(echo "$out" | awk '/^issuance_policy/{print $2"/"$2+$4+$5}')
  wd=$(echo "$out" | grep -E "^(wrong|spurious) +[^ ]+ (mailing_start|mailing_end|valid_from|valid_until):" | awk '{print $2}' | sort -u | wc -l)
  rec=$(echo "$out" | awk '/^(mailing_start|mailing_end|valid_from|valid_until|method) /{printf "%s=%s(%d) ", $1, $7, $2+$4+$5}')
  printf "%-20s right=%-4s policy=%-7s wrong-date-pages=%-2s %s\n" "$1" "$tot" "$pol" "$wd" "$rec"
done
for set in hodanren hodanren_dev2 hodanren_dev3 hodanren_dev4 hodanren_dev5 hodanren_dev6 hodanren_test3 hodanren_test4 hodanren_test5; do
  [ -d "$P/$set" ] || { echo "$set: no texts in $P/$set"; continue; }
  "$E" hodanren "$L/$set.tsv" "$P/$set" 2>&1 |
    awk -v n="$set" '/^TOTAL/{t=sprintf("%-20s right=%s wrong=%s missing=%s spurious=%s", n, $2, $4, $5, $6)}
      /^UNLABELLED/{printf "%s unlabelled=%s undated=%s\n", t, $2, $4}'
done
