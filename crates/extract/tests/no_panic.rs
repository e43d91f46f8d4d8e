//! No input makes an extractor panic: every registered family's `extract` and
//! `extract_text` return (an error, or rows) for any bytes.
//!
//! Each family gets at least `MYNAWATCH_FUZZ_CASES` cases (default 10,000), made of:
//! - every real corpus file and every fixture, truncated and bit-flipped (copies of at
//!   most 8 KiB; small files also whole);
//! - an HTML page with multi-byte text after a link's size label, shifted by 0–3 ASCII
//!   bytes and cut at every byte, so every fixed byte offset falls inside a character;
//! - generated inputs (proptest): arbitrary bytes, HTML pages, CSV tables and text lines
//!   built from the words these sources use, and windows of real files.
//!
//! Each case runs with one of the family's option sets (its fixtures' `*.options.json`,
//! `fixtures/<family>/configs/*.json`, none). `MYNAWATCH_FUZZ_SEED` fixes the random
//! seed (the seed in use is printed); a failing generated input is shrunk to a minimal one.
//! All families get the same cases, each family on its own thread.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use mynawatch_extract::{families, Family, Input};
use mynawatch_model::SnapshotMeta;
use mynawatch_testutil::{corpus_dir, files_under, fixtures_dir};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestRunner};

const DEFAULT_CASES: usize = 10_000;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

thread_local! {
    static CAPTURING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Inside [`run`], record panics (message and location) for the report instead of
/// printing each one; elsewhere, the default hook prints them.
fn install_panic_recorder() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CAPTURING.with(|c| c.get()) {
                return default(info);
            }
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "<non-string panic>".into());
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg} (at {at})")));
        }));
    });
}

/// One input: bytes, the URL they were fetched from, and a `Content-Type`.
#[derive(Clone)]
struct Case {
    bytes: Vec<u8>,
    url: String,
    content_type: Option<String>,
    options: usize,
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Case {{ url: {:?}, content_type: {:?}, options: #{}, {} bytes: {:?} }}",
            self.url,
            self.content_type,
            self.options,
            self.bytes.len(),
            String::from_utf8_lossy(&self.bytes)
                .chars()
                .take(600)
                .collect::<String>()
        )
    }
}

/// Run `extract` and `extract_text` on `case`; `Err` is the panic, with its location.
fn run(family: &dyn Family, options: &[serde_json::Value], case: &Case) -> Result<(), String> {
    let mut meta = SnapshotMeta::for_file(family.name(), &case.url, "ab".repeat(32));
    meta.content_type.clone_from(&case.content_type);
    let opts = &options[case.options % options.len()];
    let input = Input {
        bytes: &case.bytes,
        meta: &meta,
        options: opts,
    };
    LAST_PANIC.with(|p| p.borrow_mut().take());
    CAPTURING.with(|c| c.set(true));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let _ = family.extract(&input);
        let text = String::from_utf8_lossy(&case.bytes);
        let _ = family.extract_text(&text, &input);
    }));
    CAPTURING.with(|c| c.set(false));
    outcome.map_err(|_| {
        LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "panic".into())
    })
}

/// The family's option sets: none, its fixtures' options, its `configs/`, and a
/// one-metric `table` layout that generated tables can match.
fn option_sets(family: &str) -> Vec<serde_json::Value> {
    let mut out = vec![serde_json::Value::Null];
    let dir = fixtures_dir().join(family);
    for p in files_under(&dir) {
        let name = p.to_string_lossy();
        if name.ends_with(".options.json") || name.contains("/configs/") {
            if let Ok(v) = serde_json::from_slice(&std::fs::read(&p).unwrap()) {
                out.push(v);
            }
        }
    }
    if family == "table" {
        out.push(serde_json::json!({
            "metrics": [{"headers": ["交付枚数"], "metric": "card.issued", "unit": "count"}],
            "date": {"value": "2025-01-01"}
        }));
    }
    out
}

/// Every corpus file (when the corpus is there) and every fixture.
fn real_files() -> Vec<(String, Vec<u8>)> {
    let mut paths = Vec::new();
    let corpus = corpus_dir();
    if corpus.is_dir() {
        paths.extend(files_under(&corpus));
    } else {
        println!(
            "no_panic: corpus folder {} not found (set MYNAWATCH_CORPUS): corpus files skipped, fixtures only",
            corpus.display()
        );
    }
    paths.extend(files_under(&fixtures_dir()));
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// splitmix64: the deterministic cases' randomness, from the run's seed.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Copies of real files are cut to at most this many bytes: a family reads a file's
/// structure (XML prolog, CSV header, HTML head) at its start, and whole copies of the
/// larger files would cost minutes in a debug build.
const COPY_CAP: usize = 8 * 1024;

/// Truncated and bit-flipped copies of every real file (`per_file` of each), and small
/// files whole.
fn file_cases(files: &[(String, Vec<u8>)], per_file: usize, rng: &mut Mix) -> Vec<Case> {
    let mut out = Vec::new();
    for (name, bytes) in files {
        let url = format!("https://fuzz.example.jp/files/{name}");
        let case = |bytes: &[u8], options: usize| Case {
            bytes: bytes.to_vec(),
            url: url.clone(),
            content_type: None,
            options,
        };
        let head = &bytes[..bytes.len().min(COPY_CAP)];
        if head.len() == bytes.len() {
            out.push(case(bytes, rng.below(64)));
        }
        for _ in 0..per_file {
            let cut = rng.below(head.len() + 1);
            out.push(case(&head[..cut], rng.below(64)));
            let mut flipped = case(head, rng.below(64));
            if !head.is_empty() {
                for _ in 0..1 + rng.below(8) {
                    let at = rng.below(head.len());
                    flipped.bytes[at] ^= 1 << rng.below(8);
                }
            }
            out.push(flipped);
        }
    }
    out
}

/// A page whose link is followed by a size label and multi-byte text, with `pad` ASCII
/// bytes shifting the text, cut at every byte.
fn multibyte_cut_cases() -> Vec<Case> {
    let mut out = Vec::new();
    for pad in 0..4 {
        let pad = "x".repeat(pad);
        let page = format!(
            "<html><head><title>資格確認書の送付｜市</title></head><body><main>\
             <h2>{pad}お知らせ</h2>\
             <p><a href=\"/a.pdf\">資格確認書について</a>{pad}［PDF：123KB］ 令和7年6月1日掲載</p>\
             <p><a href=\"/b.pdf\">様式</a>{pad}[𠮷野家 1.5MB] ｱｲｳ①㍻\u{3000}掲載日：令和7年7月1日</p>\
             <p>{pad}有効期限は令和8年7月31日まで。被保険者約1,200人に7月中旬から送付。</p>\
             </main></body></html>"
        );
        let bytes = page.into_bytes();
        for cut in 0..=bytes.len() {
            out.push(Case {
                bytes: bytes[..cut].to_vec(),
                url: "https://www.city.example.lg.jp/kurashi/notice.html".into(),
                content_type: Some("text/html; charset=UTF-8".into()),
                options: cut,
            });
        }
    }
    out
}

/// Words and figures as these sources write them (single words, not page text).
const WORDS: &[&str] = &[
    "資格確認書",
    "マイナ保険証",
    "保険証",
    "資格情報",
    "有効期限",
    "まで有効",
    "から使用",
    "送付",
    "発送",
    "郵送",
    "令和7年7月31日",
    "令和7年度",
    "平成32年",
    "7月中旬から下旬",
    "2月上旬",
    "9月",
    "特定記録郵便",
    "簡易書留",
    "世帯",
    "約1,260万円",
    "業者委託費",
    "被保険者",
    "160,000人",
    "お持ちでない",
    "お持ちの方も",
    "全員に",
    "更新日：",
    "掲載日：",
    "2025年7月16日",
    "大臣会見概要",
    "（令和7年8月8日（金）10:48～10:59 省内会見室）",
    "大臣：",
    "記者:",
    "- 大臣：",
    "閣議等について",
    "質疑",
    "特にありません",
    "調査期間",
    "2024年8月から9月",
    "8月1日～9月20日",
    "回答",
    "12,735 医療機関",
    "トラブル",
    "70.1%",
    "約 9 割",
    "前回",
    "内訳",
    "・",
    "●",
    "10割",
    "310 件",
    "中間報告",
    "利用率",
    "利用登録解除",
    "18.52％",
    "13,342件",
    "令和6年10月28日～11月30日",
    "△1,234",
    "1.2万",
    "3億",
    "千円",
    "年",
    "月",
    "日",
    "(",
    "（",
    "）",
    "【",
    "】",
    "：",
    "。",
    "、",
    "\u{3000}",
    "𠮷",
    "ｱｲｳ",
    "①",
    "㍻",
    "Ⅻ",
    "\u{feff}",
    "\u{00a0}",
    "&nbsp;",
    "&#160;",
    "&amp;",
    "0",
    "7",
    "12",
    "2025",
    "99999999999999999999",
    "-",
    "~",
    "～",
    "\n",
    " ",
    "/",
    "%",
];

const HEADERS: &[&str] = &[
    "区分",
    "団体区分",
    "都道府県名",
    "市区町村名",
    "区",
    "団体名",
    "交付枚数",
    "交付枚数【H29.3.8時点】",
    "人口",
    "総数(人口)",
    "人口に対する交付枚数率",
    "交付率",
    "保有枚数",
    "保有率",
    "年月",
    "指標名",
    "値",
    "期間",
    "利用登録解除件数",
    "利用率",
    "マイナ保険証利用件数",
    "利用件数",
    "年齢",
    "人口(男)",
    "交付件数(計)",
    "基準日",
    "算出基準日",
    "人口算出基準日",
    "世帯数",
    "総数",
    "取得者数",
    "取得率_1130",
    "町丁目名",
    "マイナンバーカード保有枚数",
    "累計",
    "月次",
    "",
];

const CELLS: &[&str] = &[
    "全国",
    "合計",
    "東京都",
    "渋谷区",
    "北海道",
    "大阪府大阪市",
    "北区",
    "新潟県岩船郡粟島浦村",
    "指定都市",
    "町村",
    "100",
    "1,234",
    "57.9%",
    "0.903",
    "△5",
    "-",
    "－",
    "令和7年5月",
    "2025/5/1",
    "Feb-25",
    "10/28～11/30",
    "12/1~1/5",
    "11/30/22",
    "H29.3.8",
    "令和4年1月1日現在",
    "マイナ保険証_利用登録件数",
    "0-4歳",
    "全体",
    "\"複数\n行\"",
    "𠮷",
    "ｱｲｳ",
    "",
];

const URLS: &[&str] = &[
    "https://www.city.example.lg.jp/kurashi/notice.html",
    "https://www.example.go.jp/stf/kaiken/daijin/0000194708_00001.html",
    "https://example.jp/info/news/2024-10-17/",
    "https://example.jp/data/table.csv",
    "https://example.jp/data/release.xlsx",
    "https://kokkai.example.jp/api/meeting?any=x&startRecord=1",
    "https://example.jp/",
];

const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("text/html; charset=UTF-8"),
    Some("text/html; charset=Shift_JIS"),
    Some("text/csv"),
    Some("application/xml; charset=euc-jp"),
    Some("text/plain; charset=utf-16"),
];

fn text_of(pool: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            8 => prop::sample::select(pool).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
            1 => "[a-zA-Z0-9<>&;#\"=/ ]{0,6}",
        ],
        0..max,
    )
    .prop_map(|ws| ws.concat())
}

fn html_element() -> impl Strategy<Value = String> {
    let t = || text_of(WORDS, 5);
    prop_oneof![
        t().prop_map(|s| format!("<p>{s}</p>")),
        (1..7u8, t()).prop_map(|(n, s)| format!("<h{n}>{s}</h{n}>")),
        prop::collection::vec(t(), 0..4)
            .prop_map(|items| format!("<ul><li>{}</li></ul>", items.join("</li><li>"))),
        (t(), t(), t())
            .prop_map(|(href, text, after)| format!("<a href=\"{href}.pdf\">{text}</a>{after}")),
        (t(), t(), t()).prop_map(|(a, b, c)| format!(
            "<table><tr><th>{a}</th><td>{b}</td></tr><tr><td>{c}</td></tr></table>"
        )),
        t(),
        Just("<br>".to_string()),
        Just("<div class=\"breadcrumb\">".to_string()),
        Just("</div>".to_string()),
        Just("<main id=\"main\">".to_string()),
        Just("<!-- <?ra break?> -->".to_string()),
    ]
}

fn html_page() -> impl Strategy<Value = String> {
    (
        text_of(WORDS, 4),
        prop::collection::vec(html_element(), 0..8),
        any::<bool>(),
    )
        .prop_map(|(title, body, doctype)| {
            format!(
                "{}<html><head><title>{title}</title><link rel=\"canonical\" href=\"/stf/kaiken/daijin/0000194708_00002.html\"></head><body><main>{}</main></body></html>",
                if doctype { "<!DOCTYPE html>" } else { "" },
                body.concat()
            )
        })
}

fn csv_table() -> impl Strategy<Value = String> {
    let cell = || text_of(CELLS, 2);
    (
        prop::collection::vec(text_of(CELLS, 2), 0..3),
        prop::collection::vec(prop::sample::select(HEADERS), 1..7),
        prop::collection::vec(prop::collection::vec(cell(), 0..7), 0..6),
    )
        .prop_map(|(title, header, rows)| {
            let mut out = String::new();
            for t in title {
                out.push_str(&t);
                out.push('\n');
            }
            out.push_str(&header.join(","));
            out.push('\n');
            for r in rows {
                out.push_str(&r.join(","));
                out.push('\n');
            }
            out
        })
}

fn text_lines() -> impl Strategy<Value = String> {
    prop::collection::vec(text_of(WORDS, 6), 0..6).prop_map(|ls| ls.join("\n"))
}

/// A window of a real file, maybe with flipped bits.
fn window(files: std::sync::Arc<Vec<(String, Vec<u8>)>>) -> impl Strategy<Value = Vec<u8>> {
    (
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        0..1536usize,
        prop::collection::vec((any::<prop::sample::Index>(), 0..8u8), 0..4),
    )
        .prop_map(move |(file, start, len, flips)| {
            if files.is_empty() {
                return Vec::new();
            }
            let bytes = &files[file.index(files.len())].1;
            let start = start.index(bytes.len() + 1);
            let mut w = bytes[start..(start + len).min(bytes.len())].to_vec();
            if !w.is_empty() {
                for (at, bit) in flips {
                    let i = at.index(w.len());
                    w[i] ^= 1 << bit;
                }
            }
            w
        })
}

fn generated(files: std::sync::Arc<Vec<(String, Vec<u8>)>>) -> impl Strategy<Value = Case> {
    let bytes = prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..512),
        4 => html_page().prop_map(String::into_bytes),
        3 => csv_table().prop_map(String::into_bytes),
        2 => text_lines().prop_map(String::into_bytes),
        2 => window(files),
    ];
    (
        bytes,
        any::<prop::sample::Index>(),
        prop::sample::select(URLS),
        prop::sample::select(CONTENT_TYPES),
        0..64usize,
        any::<bool>(),
    )
        .prop_map(|(mut bytes, cut, url, ct, options, shift_jis)| {
            // Some pages cut anywhere (a truncated download), some in Shift_JIS.
            if shift_jis {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                bytes = encoding_rs::SHIFT_JIS.encode(&text).0.into_owned();
            }
            if options % 4 == 0 {
                bytes.truncate(cut.index(bytes.len() + 1));
            }
            Case {
                bytes,
                url: url.to_string(),
                content_type: ct.map(str::to_string),
                options,
            }
        })
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, got {v:?}"))
    })
}

/// The first panics (case index, message) of `family` over `cases`.
fn panics_of(family: &dyn Family, cases: &[Case]) -> Vec<(usize, String)> {
    let options = option_sets(family.name());
    cases
        .iter()
        .enumerate()
        .filter_map(|(i, case)| run(family, &options, case).err().map(|p| (i, p)))
        .take(3)
        .collect()
}

/// Shrink a generated input that makes `family` panic to a minimal one (proptest's
/// simplify/complicate search), within a time budget.
fn minimal<T: ValueTree<Value = Case>>(tree: &mut T, family: &dyn Family) -> (Case, String) {
    let options = option_sets(family.name());
    let mut best = (
        tree.current(),
        run(family, &options, &tree.current()).unwrap_err(),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    if !tree.simplify() {
        return best;
    }
    while std::time::Instant::now() < deadline {
        let case = tree.current();
        match run(family, &options, &case) {
            Err(p) => {
                best = (case, p);
                if !tree.simplify() {
                    break;
                }
            }
            Ok(()) => {
                if !tree.complicate() {
                    break;
                }
            }
        }
    }
    best
}

/// Generated cases are made and checked in batches of this many (a long run's value
/// trees would not fit in memory at once).
const BATCH: usize = 10_000;

/// Run every family on `cases` (one thread each); the panics found, each with its input
/// (a generated one shrunk by its value tree), and how long each family took.
fn check_all<T: ValueTree<Value = Case>>(
    families: &[Box<dyn Family>],
    cases: &[Case],
    trees: &mut [T],
) -> (Vec<String>, Vec<std::time::Duration>) {
    let fixed = cases.len() - trees.len();
    let found: Vec<(Vec<(usize, String)>, std::time::Duration)> = std::thread::scope(|s| {
        let handles: Vec<_> = families
            .iter()
            .map(|f| {
                s.spawn(move || {
                    let t = std::time::Instant::now();
                    (panics_of(f.as_ref(), cases), t.elapsed())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    let mut took = Vec::new();
    for (family, (panics, t)) in families.iter().zip(found) {
        took.push(t);
        for (at, p) in panics {
            let (case, p) = match at.checked_sub(fixed) {
                Some(g) => minimal(&mut trees[g], family.as_ref()),
                None => (cases[at].clone(), p),
            };
            failures.push(format!("{}: {p}\n    input: {case:?}", family.name()));
        }
    }
    (failures, took)
}

#[test]
fn no_family_panics_on_any_input() {
    install_panic_recorder();
    let wanted = env_number("MYNAWATCH_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as usize);
    let seed = env_number("MYNAWATCH_FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    println!("no_panic: {wanted} cases per family, MYNAWATCH_FUZZ_SEED={seed}");
    let files = std::sync::Arc::new(real_files());
    let families = families::all();

    // One set of cases for every family: generating inputs costs as much as a cheap
    // family's extraction in a debug build.
    let mut rng = Mix(seed);
    let mut cases = file_cases(&files, (wanted / DEFAULT_CASES).max(1), &mut rng);
    cases.extend(multibyte_cut_cases());
    let mut left = wanted.saturating_sub(cases.len()).max(1000);
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    });
    let strategy = generated(files);
    let mut ran = 0;
    let mut took = vec![std::time::Duration::ZERO; families.len()];
    while left > 0 {
        let mut trees: Vec<_> = (0..left.min(BATCH))
            .map(|_| strategy.new_tree(&mut runner).expect("generate a case"))
            .collect();
        left -= trees.len();
        cases.extend(trees.iter().map(|t| t.current()));
        let (failures, t) = check_all(&families, &cases, &mut trees);
        ran += cases.len();
        took.iter_mut().zip(t).for_each(|(a, b)| *a += b);
        assert!(
            failures.is_empty(),
            "extractors panicked (rerun with MYNAWATCH_FUZZ_SEED={seed}):\n{}",
            failures.join("\n")
        );
        cases.clear();
    }
    for (f, t) in families.iter().zip(took) {
        println!("no_panic: {}: {ran} cases, no panic ({t:.1?})", f.name());
    }
    assert!(ran >= wanted, "only {ran} cases ran");
}
