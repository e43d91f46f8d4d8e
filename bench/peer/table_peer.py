"""The Python stack a user would write instead of `mynawatch extract --family table`.

pandas over the MIC card-issuance CSVs (tables camelot read out of the MIC PDF), one JSON
line per figure, the work the `table` family does with the config
fixtures/table/configs/mic_2017_camelot.json (crates/extract/src/families/table.rs):

Does:
  - read each CSV with pandas (all cells as strings);
  - find the header row(s) by name: cells NFKC-normalized, whitespace dropped, date
    annotations such as `【H29.3.8時点】` removed, then matched against the configured
    metric headers (`総数(人口)`/`人口`, `交付枚数`, `人口に対する交付枚数率`/`交付率`) and the
    area headers (`都道府県名`, `市区町村名`, `団体名`, `区分`);
  - each metric's date from its header (`H29.3.8` → 2017-03-08; the 交付枚数 date for a
    metric without one);
  - area names normalized (NFKC, then the radical forms mapped to kanji) and looked up
    in the same code table mynawatch compiles in (crates/ja/data/areas.tsv) by
    (prefecture, [district +] municipality), by prefecture or by the combined name;
    `全国` is 000000; a 区分 row is a municipality type;
  - numbers: thousands separators and `%` removed, to float;
  - rows without any metric value dropped; a figure repeated within one file kept once.

Does not: tolerate old names or variant kanji in area names, read 和暦 kanji dates or
kanji numerals, record a cell locator (provenance) per figure, or warn about conflicting
repeats (the `table` family does all of these), so it does somewhat less work.

Usage: table_peer.py FILE.csv... > figures.jsonl
"""

import os
import re
import sys
import unicodedata

import pandas as pd

METRICS = [
    (["総数(人口)", "人口"], "population", "persons"),
    (["交付枚数"], "card.issued", "count"),
    (["人口に対する交付枚数率", "交付率"], "card.issue_rate", "percent"),
]
DEFAULT_DATE_FROM = "card.issued"
PREF, MUNI, COMBINED, CATEGORY = ["都道府県名", "都道府県"], ["市区町村名", "市区町村", "区"], \
    ["団体名", "自治体名"], ["区分", "団体区分"]
NATIONAL = {"全国", "合計", "全国計"}
ANNOTATION = re.compile(r"[【(\[]([^】)\]]*(?:時点|現在|基準|\d+\.\d+\.\d+)[^】)\]]*)[】)\]]")
HEADER_DATE = re.compile(r"([HR令平])\s*(\d+|元)\.(\d+)\.(\d+)")
ERA = {"H": 1988, "平": 1988, "R": 2018, "令": 2018}


# NFKC leaves the CJK Radicals Supplement alone (`⻑` U+2ED1 in 長野県) and gives the
# traditional forms for some Kangxi radicals (`⿊` → 黑); names use the Japanese kanji.
SUPPLEMENT = "\u2e8b\u2e8c\u2e8d\u2e95\u2e96\u2e97\u2e98\u2e99\u2e9b\u2e9f\u2ea0\u2ea4\u2ea5\u2ea9\u2eaa\u2eae\u2eb3\u2eb7\u2ebc\u2ebe\u2ebf\u2ec0\u2ec1\u2ec2\u2ec3\u2ec4\u2ec5\u2ec6\u2ec8\u2eca\u2ecc\u2ecd\u2ecf\u2ed1\u2ed2\u2ed4\u2ed6\u2ed8\u2edd\u2edf\u2ee4\u2ee8\u2ee9\u2eeb\u2eed\u2eef\u2ef2"
SUPPLEMENT_KANJI = "㔾小小彐忄㣺扌攵旡母民爫爫王疋竹网羊月艹艹艹虎衤西西見角讠足辶辶阝長镸门阝青食飠鬼麦黄斉歯竜亀"
JAPANESE_FORMS = str.maketrans(SUPPLEMENT + "黑戶靑龜麥齒黃齊", SUPPLEMENT_KANJI + "黒戸青亀麦歯黄斉")


def norm(s):
    return "".join(unicodedata.normalize("NFKC", s).split()).translate(JAPANESE_FORMS)


def key(s):
    return ANNOTATION.sub("", norm(s))


def header_date(s):
    m = HEADER_DATE.search(norm(s))
    if not m:
        return None
    era, y, mo, d = m.groups()
    y = 1 if y == "元" else int(y)
    return f"{ERA[era] + y:04d}-{int(mo):02d}-{int(d):02d}"


def area_table():
    here = os.path.dirname(os.path.abspath(__file__))
    t = pd.read_csv(os.path.join(here, "..", "..", "crates", "ja", "data", "areas.tsv"),
                    sep="\t", dtype=str, keep_default_na=False)
    codes, names = t.iloc[:, 0], t.iloc[:, 1] + t.iloc[:, 4]
    prefs = {p: (c, p) for c, p in zip(codes[:47], t.iloc[:47, 1])}
    by_pref_name = {}
    for c, p, n, d in zip(codes[47:], t.iloc[47:, 1], t.iloc[47:, 4], t.iloc[47:, 3]):
        by_pref_name[(p, n)] = by_pref_name[(p, d + n)] = (c, p + n)
    full = {p + n: v for (p, n), v in by_pref_name.items()}  # 新潟県岩船郡粟島浦村 too
    full.update({p: v for p, v in prefs.items()})
    return prefs, by_pref_name, full


PREFS, BY_PREF_NAME, FULL = area_table()


def area_of(pref, muni, combined, cat):
    if pref in NATIONAL or combined in NATIONAL or cat in NATIONAL:
        return ("000000", "全国", "")
    if muni:
        c, n = BY_PREF_NAME.get((pref, muni), (None, None))
        return (c, n, "") if c else None
    if pref:
        c, n = PREFS.get(pref, (None, None))
        return (c, n, "") if c else None
    if combined:
        c, n = FULL.get(combined, (None, None))
        return (c, n, "") if c else None
    if cat:
        return ("", cat, f"municipality_type={cat}")
    return None


def figures(path):
    df = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
    keys = df.apply(lambda col: col.map(key))
    # A header row names at least two of the metrics.
    is_header = sum(keys.isin(names).any(axis=1).astype(int) for names, _, _ in METRICS) >= 2
    out = []
    starts = list(is_header[is_header].index)
    for h, end in zip(starts, starts[1:] + [None]):
        hk = list(keys.loc[h])
        body = df.loc[h + 1:(end - 1 if end is not None else None)]
        col = lambda names: next((i for i, k in enumerate(hk) if k in names), None)
        metric_cols = [(col(names), metric, unit) for names, metric, unit in METRICS]
        metric_cols = [m for m in metric_cols if m[0] is not None]
        dates = {metric: header_date(df.iat[h, c]) for c, metric, _ in metric_cols}
        default = dates.get(DEFAULT_DATE_FROM)
        p, m, cb, ct = col(PREF), col(MUNI), col(COMBINED), col(CATEGORY)
        values = body.iloc[:, [c for c, _, _ in metric_cols]]
        body = body[(values.apply(lambda s: s.str.strip()) != "").any(axis=1)]
        cell = lambda c: body.iloc[:, c].map(norm) if c is not None else pd.Series("", index=body.index)
        if ct is not None:
            right = min([c for c, _, _ in metric_cols if c > ct], default=ct + 1)
            cats = body.iloc[:, ct:right].apply(lambda s: s.map(norm))
            cat = cats.apply(lambda r: next((x for x in r if x), ""), axis=1)
        else:
            cat = pd.Series("", index=body.index)
        areas = [area_of(*a) for a in zip(cell(p), cell(m), cell(cb), cat)]
        ok = pd.Series([a is not None for a in areas], index=body.index)
        body = body[ok]
        areas = [a for a in areas if a is not None]
        frame = pd.DataFrame(areas, columns=["area_code", "area_name", "dimensions"], index=body.index)
        for c, metric, unit in metric_cols:
            raw = body.iloc[:, c]
            f = frame.copy()
            f["metric"] = metric
            f["unit"] = unit
            f["as_of"] = dates[metric] or default
            f["value"] = pd.to_numeric(raw.str.replace(",", "", regex=False)
                                       .str.replace("%", "", regex=False).str.strip(),
                                       errors="coerce")
            out.append(f)
    if not out:
        return None
    figs = pd.concat(out, ignore_index=True)
    return figs.drop_duplicates(["metric", "area_code", "area_name", "as_of", "dimensions"])


def main():
    frames = [f for f in (figures(p) for p in sys.argv[1:]) if f is not None]
    pd.concat(frames, ignore_index=True).to_json(sys.stdout, orient="records", lines=True,
                                                 force_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
