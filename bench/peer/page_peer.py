"""The Python stack a user would write instead of `mynawatch extract --family page`.

BeautifulSoup + lxml over saved HTML pages, one JSON line per page and per link, the
same work as the `page` family (crates/extract/src/families/page.rs, html.rs):

Does:
  - decode the bytes (the page's own charset, else UTF-8), parse with lxml;
  - title; the main content element (the same selector list, first one holding text);
  - drop site chrome (script/style/nav/header/footer/aside/form/…, and elements whose
    class or id names a breadcrumb, skip link, share bar, global nav);
  - main text as blocks (p, h1–h6, li, tr cells joined by " | ", dt/dd, …) with
    whitespace collapsed; headings in order;
  - document links: absolute URL (urljoin against <base> or the page URL; no
    #/javascript:/mailto:/tel:), link text, size label (`［4.5MB］` in or right after the
    link text, NFKC-normalized), the nearest preceding heading;
  - 更新日 / 掲載日 dates anywhere on the page (western and 令和/平成 years);
  - sha256 of the NFKC-normalized main text with whitespace removed.

Does not: compute a CSS-like locator for every block and link, record provenance, map
the CJK Radicals Supplement, or look up area codes (the `page` family does all of
these), so it does somewhat less work than mynawatch.

Usage: page_peer.py [--url URL] FILE... > rows.jsonl
(--url: the URL the pages were saved from, as `mynawatch extract --url`; default file://PATH)
"""

import hashlib
import json
import re
import sys
import unicodedata
from urllib.parse import urljoin

from bs4 import BeautifulSoup, NavigableString, Comment, Tag

MAIN_SELECTORS = ["main", "[role=main]", "#main", "#tmp_contents", "#contents", "#content",
                  "#main-contents", "#mainContents", ".main-contents", "article", "#container",
                  "body"]
CHROME = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form",
          "template", "iframe", "button", "select"}
CHROME_HINTS = ["breadcrumb", "navbreadcrumb", "skip", "pagetop", "sns", "share", "gnav",
                "globalnav", "megamenu"]
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "dt", "dd", "caption",
              "pre", "blockquote", "figcaption", "address"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SIZE_RE = re.compile(r"[［\[]\s*(?:[A-Za-zＡ-Ｚａ-ｚ]+\s*[:：]?\s*)?([0-9０-９.,．]+\s*[KMGkmgＫＭＧ]?[BbＢ])\s*[］\]]")
DATE_LABEL_RE = re.compile(r"(最終更新日|更新日|掲載日|公開日|作成日)\s*[:：]?\s*(\S[^\n]{0,30})")
DATE_RE = re.compile(r"(令和|平成|)\s*(\d{1,4}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
ERA = {"令和": 2018, "平成": 1988, "": 0}
CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.I)
WS_RE = re.compile(r"[\s\ufeff]+")


def collapse(s):
    return WS_RE.sub(" ", s).strip()


def is_chrome(el):
    if el.name in CHROME:
        return True
    cls = el.get("class") or []
    if isinstance(cls, str):
        cls = cls.split()
    words = [w.lower() for w in cls] + (el.get("id") or "").lower().split()
    return any(h in w for w in words for h in CHROME_HINTS)


def visible_text(el):
    out = []

    def go(n):
        for c in n.children:
            if isinstance(c, Comment):
                continue
            if isinstance(c, NavigableString):
                out.append(str(c))
            elif isinstance(c, Tag) and not is_chrome(c):
                if c.name == "br":
                    out.append(" ")
                go(c)

    go(el)
    return "".join(out)


def size_label(text):
    found = SIZE_RE.findall(text)
    return unicodedata.normalize("NFKC", found[-1]).replace(" ", "") if found else ""


def parse_date(s):
    m = DATE_RE.search(unicodedata.normalize("NFKC", s))
    if not m:
        return None
    era, y, mo, d = m.groups()
    y = 1 if y == "元" else int(y)
    if era:
        y += ERA[era]
    return f"{y:04d}-{int(mo):02d}-{int(d):02d}"


class Walker:
    def __init__(self, base):
        self.base = base
        self.blocks = []
        self.links = []
        self.heading = ""
        self.current = []

    def flush(self):
        for line in "".join(self.current).split("\n"):
            t = collapse(line)
            if t:
                self.blocks.append(("div", t))
        self.current = []

    def link(self, a):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            return
        url = urljoin(self.base, href)
        if not url.startswith(("http://", "https://")):
            return
        text = collapse(visible_text(a))
        label = size_label(text)
        if not label and isinstance(a.next_sibling, NavigableString):
            nxt = str(a.next_sibling).lstrip()
            if nxt.startswith(("［", "[")):
                label = size_label(nxt[:40])
        self.links.append({"url": url, "text": text, "size_label": label,
                           "heading": self.heading})

    def walk_links_only(self, node):
        for c in node.children:
            if isinstance(c, Tag) and not is_chrome(c):
                if c.name == "a":
                    self.link(c)
                self.walk_links_only(c)

    def walk(self, node):
        for c in node.children:
            if isinstance(c, Comment):
                continue
            if isinstance(c, NavigableString):
                self.current.append(str(c))
                continue
            if not isinstance(c, Tag) or is_chrome(c):
                continue
            if c.name == "br":
                self.current.append("\n")
                continue
            if c.name == "a":
                self.link(c)
            if c.name in BLOCK_TAGS:
                self.flush()
                if c.name == "tr":
                    cells = [collapse(visible_text(x)) for x in c.children if isinstance(x, Tag)]
                    text = " | ".join(t for t in cells if t)
                else:
                    text = collapse(visible_text(c))
                if c.name in HEADINGS:
                    self.heading = text
                before = len(self.blocks)
                self.walk_links_only(c)
                if text and len(self.blocks) == before:
                    self.blocks.append((c.name, text))
            else:
                self.walk(c)
                if c.name in ("div", "section", "table", "ul", "ol", "dl"):
                    self.flush()


def page(path, page_url=None):
    raw = open(path, "rb").read()
    m = CHARSET_RE.search(raw[:2048])
    enc = m.group(1).decode() if m else "utf-8"
    html = raw.decode(enc, errors="replace")
    soup = BeautifulSoup(html, "lxml")
    url = page_url or "file://" + path
    title = collapse(soup.title.get_text()) if soup.title else ""
    base_tag = soup.find("base", href=True)
    base = urljoin(url, base_tag["href"]) if base_tag else url
    main = None
    for sel in MAIN_SELECTORS:
        el = soup.select_one(sel)
        if el is not None and el.get_text().strip():
            main = el
            break
    main = main or soup
    w = Walker(base)
    w.walk(main)
    w.flush()
    text = "\n".join(t for _, t in w.blocks)
    updated = published = None
    for label, rest in DATE_LABEL_RE.findall(soup.get_text("\n")):
        d = parse_date(rest)
        if not d:
            continue
        if label in ("掲載日", "公開日", "作成日"):
            published = published or d
        else:
            updated = updated or d
    norm = "".join(unicodedata.normalize("NFKC", text).split())
    out = [json.dumps({"table": "notices", "title": title, "text": text,
                       "headings": [t for tag, t in w.blocks if tag in HEADINGS],
                       "updated_on": updated, "published_on": published,
                       "text_sha256": hashlib.sha256(norm.encode()).hexdigest()},
                      ensure_ascii=False)]
    out += [json.dumps(dict(table="links", **l), ensure_ascii=False) for l in w.links]
    return out


def main():
    args = sys.argv[1:]
    url = None
    if args[:1] == ["--url"]:
        url, args = args[1], args[2:]
    w = sys.stdout.write
    for p in args:
        for line in page(p, url):
            w(line)
            w("\n")


if __name__ == "__main__":
    main()
