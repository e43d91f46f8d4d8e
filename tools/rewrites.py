#!/usr/bin/env python3
"""Meaning-preserving rewrites of page texts, for tools/rewrite_check.sh.

    rewrites.py KIND SRC_DIR DST_DIR

Each KIND rewrites every *.txt of SRC_DIR into DST_DIR the way another site would write the
same facts: another register (polite to plain, humble), other words for the same thing
(より for から, 半ば for 中旬, 国保 for 国民健康保険), other marks (quotes, 【label】). A
reader that generalizes gives the same facts on both; tools/rewrite_check.sh counts the
pages whose facts change.
"""
import datetime
import glob
import os
import re
import sys

PAIRS = {
    # municipal notices
    "plain": [("いたします", "する"), ("致します", "する"), ("されます", "される"),
              ("されました", "された"), ("しました", "した"), ("します", "する"),
              ("となります", "となる"), ("になります", "になる"), ("できます", "できる"),
              ("あります", "ある"), ("ありません", "ない"), ("できません", "できない"),
              ("されません", "されない"), ("しません", "しない"), ("です。", "である。")],
    "humble": [("送付します", "送付いたします"), ("郵送します", "郵送いたします"),
               ("交付します", "交付いたします"), ("発送します", "発送いたします"),
               ("お送りします", "お送りいたします")],
    "people": [("お持ちでない方", "持っていない人"), ("お持ちの方", "持っている人"),
               ("お持ちでないかた", "持っていない人"), ("お持ちのかた", "持っている人"),
               ("登録していない方", "登録をしていない人"), ("の方には", "の人には")],
    "mailverbs": [("郵送します", "発送します"), ("送付します", "お届けします"),
                  ("お送りします", "郵送いたします"), ("発送します", "送付します")],
    "marks": [("■", "◆"), ("●", "○"), ("・", "●")],
    "quotes": [("資格確認書", "「資格確認書」"), ("「「資格確認書」」", "「資格確認書」")],
    "timeword": [("上旬", "上旬頃"), ("中旬", "中旬ごろ"), ("下旬", "下旬頃"), ("頃頃", "頃"),
                 ("ごろ頃", "ごろ"), ("頃ごろ", "頃"), ("ごろごろ", "ごろ")],
    "kokuho": [("国民健康保険", "国保")],
    "kakunin": [("資格確認書", "資格確認証")],
    "nakaba": [("中旬", "半ば")],
    "issue": [("交付します", "発行します"), ("交付いたします", "発行いたします"),
              ("交付されます", "発行されます"), ("交付する", "発行する")],
    "postal": [("簡易書留郵便", "簡易書留"), ("簡易書留", "簡易書留郵便"),
               ("特定記録郵便", "特定記録")],
    # survey reports
    "answer": [("回答した", "答えた"), ("と回答", "と答え")],
    "conduct": [("を実施した", "を行った"), ("を実施し、", "を行い、"), ("で実施した", "で行った"),
                ("実施した調査", "行った調査")],
    "enquete": [("アンケート調査", "アンケート"), ("アンケート", "調査")],
    "holding": [("お持ちでない方", "保有していない方"), ("お持ちの方", "保有している方"),
                ("持っていない人", "保有していない人"), ("持っている人", "保有している人")],
    "passive": [("資格確認書を交付します", "資格確認書が交付されます"),
                ("資格確認書を送付します", "資格確認書が送付されます"),
                ("資格確認書をお送りします", "資格確認書が届きます"),
                ("資格確認書を郵送します", "資格確認書が郵送されます")],
    "regardless": [("にかかわらず", "に関係なく"), ("に関わらず", "に関係なく"),
                   ("に関係なく", "に関係なく")],
    "everyone": [("被保険者全員", "すべての被保険者"), ("加入者全員", "すべての加入者"),
                 ("方全員に", "方すべてに")],
    "sasete": [("送付します", "送付させていただきます"), ("お送りします", "お送りさせていただきます"),
               ("交付します", "交付させていただきます"), ("郵送します", "郵送させていただきます"),
               ("発送します", "発送させていただきます")],
    "experience": [("トラブルがあった", "トラブルを経験した"), ("トラブルを経験した", "トラブルがあった")],
    "about": [("約", "およそ")],
    "fullname": [("全国保険医団体連合会(保団連)", "保団連"), ("全国保険医団体連合会（保団連）", "保団連"),
                 ("保団連", "全国保険医団体連合会")],
    "shortname": [("全国保険医団体連合会(保団連)", "保団連"), ("全国保険医団体連合会（保団連）", "保団連"),
                  ("全国保険医団体連合会", "保団連")],
    "plainverb": [("でした。", "だった。"), ("ました。", "た。"), ("です。", "だ。"),
                  ("しました", "した"), ("されました", "された")],
}

# Labels of a notice's values, as a key-value line or a sentence's topic writes them.
LABELS = "有効期限|有効期間|送付時期|発送時期|送付方法|発送方法"
# A day with its era year: `令和7年8月1日` (year, month, day).
REIWA_DAY = r"令和\s*([0-9]+)年([0-9]{1,2})月([0-9]{1,2})日"


def rewrite(kind, t):
    if kind in PAIRS:
        for a, b in PAIRS[kind]:
            t = t.replace(a, b)
        return t
    if kind == "western":
        t = re.sub(r"令和\s*[0-9]+年[(（]([0-9]{4})年?[)）]", r"\1年", t)
        return re.sub(r"令和\s*([0-9]+)年", lambda m: f"{2018 + int(m.group(1))}年", t)
    if kind == "kana":
        return re.sub(r"(?<=[のるたいず])方(?=[にはもへがの、。をでと])", "かた", t)
    if kind == "member":
        return re.sub(r"被保険者(?!証)", "加入者", t)
    if kind == "fullwidth":
        return t.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if kind == "mynalong":
        return re.sub(r"マイナ保険証(?=を(?:お持ち|持って|保有|所持))",
                      "健康保険証の利用登録をしたマイナンバーカード", t)
    if kind == "yori":
        return re.sub(r"(日|旬)から(?![^。]{0,3}まで)", r"\1より", t)
    if kind == "brlabel":
        return re.sub(r"(?m)^([^\n:：|]{2,10})[:：]\s*", lambda m: "【" + m.group(1) + "】", t)
    if kind == "percent":
        return re.sub(r"([0-9])(?:%|％)", r"\1パーセント", t)
    if kind == "topic":
        return re.sub(r"([^。、\n]{4,40}?方)には、?(「?資格確認書」?)を", r"\2は、\1に", t)
    if kind == "kv":
        # A plain statement of a labelled value as a key-value line.
        return re.sub(rf"(?m)^(?:資格確認書の)?({LABELS})は、?([^。\n]+?)(?:です|となります)。$",
                      r"\1:\2", t)
    if kind == "prose":
        # A key-value line as a plain statement.
        return re.sub(rf"(?m)^({LABELS}|発送予定日|送付予定日)\s*[:：]\s*([^。\n]+?)\s*$",
                      r"\1は\2です。", t)
    if kind == "reiwa":
        return re.sub(r"(?<![0-9])20(19|2[0-9])年", lambda m: f"令和{int(m.group(1)) - 18}年", t)
    if kind == "shortyear":
        # News style: the first year in full, later ones as `24年`.
        first = [True]

        def short(m):
            if first[0]:
                first[0] = False
                return m.group(0)
            return m.group(1) + "年"
        return re.sub(r"(?<![0-9])20(2[2-9])年(?=[0-9]{1,2}月)", short, t)
    if kind == "pctmark":
        return re.sub(r"([0-9])%", r"\1％", t)
    if kind == "man":
        def man(m):
            v = int(m.group(0).replace(",", ""))
            return f"{v // 10000}万{v % 10000 or ''}"
        return re.sub(r"(?<![0-9.,])[1-9][0-9]?,[0-9]{3}(?![0-9.,%])", lambda m: man(m) if int(m.group(0).replace(",", "")) >= 10000 else m.group(0), t)
    if kind == "associate":
        return re.sub(r"(保険医協会)(は、|は)", r"\1(理事長・山田一郎)\2", t)
    if kind == "weekday":
        return re.sub(r"(令和\s*([0-9]+)|(20[0-9]{2}))年([0-9]{1,2})月([0-9]{1,2})日(?![(（0-9])",
                      lambda m: m.group(0) + weekday(m), t)
    if kind == "rdot":
        return re.sub(REIWA_DAY, r"R\1.\2.\3", t)
    if kind == "westslash":
        return re.sub(r"(?<![0-9])(20[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日", r"\1/\2/\3", t)
    if kind == "slash":
        return re.sub(REIWA_DAY,
                      lambda m: f"{2018 + int(m.group(1))}/{m.group(2)}/{m.group(3)}", t)
    if kind == "tilde":
        return re.sub(r"(日(?:[(（][月火水木金土日][)）])?)から((?:令和\s*[0-9]+|20[0-9]{2})年[0-9]{1,2}月[0-9]{1,2}日(?:[(（][月火水木金土日][)）])?)まで(?![にはの])",
                      r"\1～\2", t)
    if kind == "spacelabel":
        return re.sub(r"(?m)^([^\n:：|]{2,10})[:：]\s*", r"\1　", t)
    raise SystemExit(f"unknown rewrite {kind}")


def weekday(m):
    y = 2018 + int(m.group(2)) if m.group(2) else int(m.group(3))
    try:
        d = datetime.date(y, int(m.group(4)), int(m.group(5)))
    except ValueError:
        return ""
    return "(" + "月火水木金土日"[d.weekday()] + ")"


def main():
    kind, src, dst = sys.argv[1:4]
    os.makedirs(dst, exist_ok=True)
    for path in glob.glob(os.path.join(src, "*.txt")):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(dst, os.path.basename(path)), "w", encoding="utf-8") as f:
            f.write(rewrite(kind, text))


if __name__ == "__main__":
    main()
