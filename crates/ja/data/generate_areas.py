#!/usr/bin/env python3
"""Regenerate data/areas.tsv from the Code for Japan cleaned MIC files (public facts).

Usage: python3 data/generate_areas.py ../../../shared/corpus/figures/mic_cfj_cleaned > data/areas.tsv

Codes are the 6-digit 全国地方公共団体コード: the cleaned files store them as integers
(leading zero lost) and two as "<NA>" (三宅村 13381, 八丈町 13401, whose converter lookup
failed after their 2022 renames); the check digit is computed and verified for every row.
Prefectures get `PP0000` + check digit. Columns: code, prefecture, name (as published,
with 郡), district (郡, or empty), plain name (without 郡).
"""
import csv, sys, os

def check_digit(five):
    s = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2)))
    r = s % 11
    return str((11 - r) % 10) if r else "1"

FILL = {("東京都", "三宅村"): "13381", ("東京都", "八丈町"): "13401"}
PREFS = ["北海道","青森県","岩手県","宮城県","秋田県","山形県","福島県","茨城県","栃木県","群馬県","埼玉県","千葉県","東京都","神奈川県","新潟県","富山県","石川県","福井県","山梨県","長野県","岐阜県","静岡県","愛知県","三重県","滋賀県","京都府","大阪府","兵庫県","奈良県","和歌山県","鳥取県","島根県","岡山県","広島県","山口県","徳島県","香川県","愛媛県","高知県","福岡県","佐賀県","長崎県","熊本県","大分県","宮崎県","鹿児島県","沖縄県"]

root = sys.argv[1]
rows = []
for i, p in enumerate(PREFS, 1):
    five = f"{i:02d}000"
    rows.append((five + check_digit(five), p, p, "", p))
with open(os.path.join(root, "20221231_all_localgovs.csv"), encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        pref, name, code = r["都道府県名"], r["市区町村名"], r["団体コード"]
        if code == "<NA>":
            five = FILL[(pref, name)]
            code6 = five + check_digit(five)
        else:
            code6 = f"{int(code):06d}"
            assert check_digit(code6[:5]) == code6[5], (pref, name, code6)
        district, plain = "", name
        # Districts hold only towns and villages: 郡山市 and 大和郡山市 are cities, not districts.
        if name[-1] in "町村" and "郡" in name[1:-1]:
            k = name.index("郡")
            district, plain = name[:k + 1], name[k + 1:]
        rows.append((code6, pref, name, district, plain))
assert len(rows) == 47 + 1741, len(rows)
w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
w.writerow(["code", "prefecture", "name", "district", "plain"])
w.writerows(rows)
