//! "Loopback Japan": a seeded generator that builds, from the real list of
//! municipalities, one site per municipality under its real host name, for the mirror's
//! virtual hosts (`<root>/_vhosts/<host>/`), with the ground truth beside it.
//!
//! Site styles, as seen on real municipal sites (assigned round-robin after a seeded
//! shuffle, so any prefix of 20 sites or more has every style):
//! - `smart`: a modern CMS (`#tmp_contents`, `/kurashi/hoken/kokuho/1234567.html`), the
//!   notice 2 clicks deep (global navigation → 国民健康保険 → notice);
//! - `table_sjis`: a table-layout site in Shift_JIS (`.htm`), 3 clicks deep;
//! - `euc_docs`: an EUC-JP site with `/docs/<date><n>/` folders, the notice linked from
//!   the home page's news box (1 click);
//! - `wp_deep`: a WordPress-like site (`/archives/<n>/`), 4 clicks deep;
//! - `sitemap_only`: the menu is drawn by script (no `<a>` at all on the home page);
//!   robots.txt names a sitemap index;
//! - `pdf_list`: the notice is linked only from a list of PDF documents, with a neutral
//!   link text and URL;
//! - `alt_host`: the insurance pages live on a sibling host (`www02.`), like 柴田町;
//! - `moved`: the listed host answers `301` to a new host (the site lives there);
//! - `dead`: no site at all (the mirror answers 421);
//! - `robots_denied`: `Disallow: /` for every agent;
//! - `no_notice`: insurance pages, decoys, but no 資格確認書 notice.
//!
//! The fault "stale listed page" (the truth's `stale`), on top of the style, because real
//! lists go stale: four sites in forty are listed under an old top page
//! (`/www/index.html`, `/forms/top/top.aspx`, …) while the site now lives at its root.
//! The old page answers `404` on three of them (`stale = "404"`; nothing is there) and
//! `410 Gone` on the fourth (a `_mirror.toml` fault); discovery should crawl from the
//! root and report it
//! (`moved_to` = the root). One `dead` site in forty is also listed under an old page:
//! its whole host is gone (`stale = "dead"`), and it must stay `site_unreachable`. No
//! prefecture capital gets the fault (a 広域連合 may be linked only from its capital's
//! listed page).
//!
//! Every reachable site also has decoys: a news list naming the notice, a マイナ保険証
//! page that mentions 資格確認書 in passing, sometimes a closed (`【受付終了】`) page, and
//! 8–20 unrelated pages. About 45% of the sites with a notice also publish a 後期高齢者医療
//! one. Texts are written here from templates, not copied from real pages.
//!
//! With the prefecture list ([`generate_with_unions`]) it also builds the 47 prefecture
//! sites and the 47 後期高齢者医療広域連合 sites (see [`unions`](mod@unions)), and writes
//! `prefjp.csv` beside the municipal list.
//!
//! The ground truth (`ground_truth.json`) lists per site its style, the status discovery
//! should report, and each notice's URL, scheme, policy and dates. The list file
//! (`municipal_list.csv`, same columns as the real one) gives every site's URL over
//! `http` (the mirror speaks plain HTTP).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use mynawatch_discover::crawl::site_key;
use mynawatch_discover::io_err;
use mynawatch_discover::list::{Issuer, Prefecture};
use mynawatch_discover::DiscoverError;

#[path = "japan_unions.rs"]
pub mod unions;

/// What to generate.
#[derive(Debug, Clone)]
pub struct JapanOptions {
    /// The seed: the same seed and list give the same Japan, byte for byte.
    pub seed: u64,
    /// Only this many municipalities (a seeded sample covering every style); all when `None`.
    pub limit: Option<usize>,
}

/// One generated site and what discovery should find there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthSite {
    /// Area code.
    pub code: String,
    /// `東京都渋谷区`.
    pub full_name: String,
    /// `東京都`.
    pub prefecture: String,
    /// The site's URL in the generated list.
    pub url: String,
    /// The style (see the module docs).
    pub style: String,
    /// `found`, `not_found`, `site_unreachable` or `robots_denied`.
    pub expected_status: String,
    /// Where discovery should say the crawl started (`redirected_to`): a `moved` site's
    /// new home, or the root of a site whose listed page is gone (`stale` 404/410);
    /// empty otherwise.
    pub moved_to: String,
    /// The "stale listed page" fault (see the module docs): `404` or `410` (the listed
    /// page answers that, the site lives at its root), `dead` (listed under an old page,
    /// and the whole host is gone); empty for the other sites.
    #[serde(default)]
    pub stale: String,
    /// The notices on the site (robots-denied sites have them too, out of reach).
    pub notices: Vec<TruthNotice>,
}

/// One notice page of the ground truth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthNotice {
    /// `kokuho` or `koki`.
    pub scheme: String,
    /// The page's URL.
    pub url: String,
    /// `all_insured`, `unregistered_only` or `on_application`.
    pub policy: String,
    /// Mailing window start.
    pub mailing_start: NaiveDate,
    /// Mailing window end.
    pub mailing_end: NaiveDate,
    /// 有効期限.
    pub valid_until: NaiveDate,
}

/// A generated Japan on disk.
#[derive(Debug, Clone)]
pub struct Japan {
    /// The mirror root (holds `_vhosts/`).
    pub root: PathBuf,
    /// `municipal_list.csv` for `discover --list`.
    pub list: PathBuf,
    /// The ground truth, also in `ground_truth.json`.
    pub sites: Vec<TruthSite>,
    /// `prefjp.csv` (same columns as the real prefecture list), when the 広域連合 were
    /// generated.
    pub prefecture_list: Option<PathBuf>,
}

impl Japan {
    /// The file the mirror serves for `url` (`_vhosts/<host>/<path>`, `index.html` for a
    /// folder), to read or rewrite a generated page.
    pub fn file_of(&self, url: &str) -> PathBuf {
        let u = url::Url::parse(url).expect("a generated URL");
        let host = u.host_str().expect("a generated URL has a host");
        self.file_in(host, url)
    }

    /// The file for `url`'s path in the host folder `folder` (a site moved to another host
    /// keeps its paths there).
    pub fn file_in(&self, folder: &str, url: &str) -> PathBuf {
        let u = url::Url::parse(url).expect("a generated URL");
        let mut f = self
            .root
            .join("_vhosts")
            .join(folder)
            .join(u.path().trim_start_matches('/'));
        if u.path().ends_with('/') {
            f = f.join("index.html");
        }
        f
    }

    /// The notices of every site where discovery should find one, with their site.
    pub fn found_notices(&self) -> impl Iterator<Item = (&TruthSite, &TruthNotice)> {
        self.sites
            .iter()
            .filter(|s| s.expected_status == "found")
            .flat_map(|s| s.notices.iter().map(move |n| (s, n)))
    }

    /// A `municipal_notice` source (`[[source]]`, id `municipal_<code>_<scheme>`) for each
    /// of [`Japan::found_notices`], as a config watching the whole generated Japan has.
    pub fn notice_sources_toml(&self) -> String {
        self.found_notices()
            .map(|(site, n)| {
                format!(
                    "[[source]]\nid = \"municipal_{}_{}\"\nfamily = \"municipal_notice\"\nurls = [\"{}\"]\n[source.options]\narea = \"{}\"\n\n",
                    site.code, n.scheme, n.url, site.full_name
                )
            })
            .collect()
    }
}

pub(crate) const STYLES: [&str; 20] = [
    "smart",
    "table_sjis",
    "euc_docs",
    "wp_deep",
    "sitemap_only",
    "pdf_list",
    "alt_host",
    "moved",
    "smart",
    "wp_deep",
    "table_sjis",
    "no_notice",
    "dead",
    "robots_denied",
    "euc_docs",
    "smart",
    "sitemap_only",
    "pdf_list",
    "moved",
    "alt_host",
];

/// The "stale listed page" fault by position in the sample, repeating every 40 sites
/// (twice the style cycle): positions 8, 21 and 36 (`smart`, `table_sjis`,
/// `sitemap_only`) are listed under an old page answering 404, position 29 (`wp_deep`)
/// under one answering 410, and position 12 (`dead`) under an old page on a gone host.
pub(crate) fn stale_fault(i: usize) -> &'static str {
    match i % (2 * STYLES.len()) {
        8 | 21 | 36 => "404",
        29 => "410",
        12 => "dead",
        _ => "",
    }
}

/// Old top pages a stale list still names (each seen in the real list).
const OLD_TOPS: [&str; 4] = [
    "/www/index.html",
    "/forms/top/top.aspx",
    "/index.jsp",
    "/www/toppage/0000000000000/APM03000.html",
];

/// SplitMix64: small, seeded, stable across platforms and versions.
pub(crate) struct Rng(pub(crate) u64);
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub(crate) fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
    pub(crate) fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// Build the sites of `issuers` under `root` (which should be empty or absent).
pub fn generate(
    issuers: &[Issuer],
    root: &Path,
    opts: &JapanOptions,
) -> Result<Japan, DiscoverError> {
    generate_with_unions(issuers, &[], root, opts)
}

/// [`generate`], plus the prefecture sites and 広域連合 sites of `prefectures` (none when
/// empty). A sample (`limit`) then also holds at least three prefecture capitals with a
/// crawlable site, so some 広域連合 can be linked only from a capital's site.
pub fn generate_with_unions(
    issuers: &[Issuer],
    prefectures: &[Prefecture],
    root: &Path,
    opts: &JapanOptions,
) -> Result<Japan, DiscoverError> {
    let mut rng = Rng(opts.seed);
    let mut order: Vec<&Issuer> = issuers.iter().collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    if let Some(n) = opts.limit {
        let rest = order.split_off(n.min(order.len()));
        if !prefectures.is_empty() {
            unions::take_capitals(&mut order, &rest, prefectures, 3);
        }
    }
    let vhosts = root.join("_vhosts");
    std::fs::create_dir_all(&vhosts).map_err(io_err(&vhosts))?;
    let plans = unions::plan(prefectures, &order, opts.seed);
    let mut sites = Vec::new();
    let mut list = String::from("pid,pref,cid,city,citykana,lat,lng,url,phrase,lgcode\n");
    for (i, issuer) in order.iter().enumerate() {
        let style = STYLES[i % STYLES.len()];
        let mut site_rng = Rng(opts.seed
            ^ issuer
                .code
                .parse::<u64>()
                .unwrap_or(0)
                .wrapping_mul(0x2545_F491_4F6C_DD1D));
        let union_link = plans
            .iter()
            .find(|p| p.capital_only == Some(i))
            .map(|p| p.link());
        let stale = if unions::is_capital(issuer, prefectures) {
            ""
        } else {
            stale_fault(i)
        };
        let truth = build_site(
            issuer,
            style,
            stale,
            &mut site_rng,
            &vhosts,
            union_link.as_ref(),
        )?;
        let city = issuer
            .full_name
            .strip_prefix(issuer.prefecture.as_str())
            .unwrap_or(&issuer.full_name);
        list.push_str(&format!(
            "{},{},{},{},,0,0,{},,{}\n",
            &issuer.code[..2],
            issuer.prefecture,
            &issuer.code[..5],
            city,
            truth.url,
            issuer.code
        ));
        sites.push(truth);
    }
    let list_path = root.join("municipal_list.csv");
    std::fs::write(&list_path, list).map_err(io_err(&list_path))?;
    let prefecture_list = if plans.is_empty() {
        None
    } else {
        for plan in &plans {
            unions::build_prefecture_site(plan, opts.seed, &vhosts)?;
            sites.push(unions::build_union_site(plan, opts.seed, &vhosts)?);
        }
        let p = root.join("prefjp.csv");
        std::fs::write(&p, unions::prefecture_csv(&plans)).map_err(io_err(&p))?;
        Some(p)
    };
    let truth_path = root.join("ground_truth.json");
    let json = serde_json::to_vec_pretty(&sites).expect("truth serializes");
    std::fs::write(&truth_path, json).map_err(io_err(&truth_path))?;
    Ok(Japan {
        root: root.to_path_buf(),
        list: list_path,
        sites,
        prefecture_list,
    })
}

/// Read `ground_truth.json` back.
pub fn load_truth(root: &Path) -> Result<Vec<TruthSite>, DiscoverError> {
    let p = root.join("ground_truth.json");
    let b = std::fs::read(&p).map_err(io_err(&p))?;
    serde_json::from_slice(&b).map_err(|e| DiscoverError::List {
        path: p,
        message: e.to_string(),
    })
}

/// Discovery measured against the ground truth.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    /// Notices reachable by a polite crawler (site up, robots.txt allowing).
    pub reachable_notices: usize,
    /// Of those, found at their URL with the right scheme.
    pub found_notices: usize,
    /// `found` rows.
    pub found_rows: usize,
    /// `found` rows naming a true notice with its scheme.
    pub correct_rows: usize,
    /// Sites whose status (found / not_found / site_unreachable / robots_denied) is the expected one.
    pub status_right: usize,
    /// Sites.
    pub sites: usize,
    /// What went wrong, one line each (for test messages).
    pub misses: Vec<String>,
}

impl Score {
    /// found ÷ reachable notices.
    pub fn recall(&self) -> f64 {
        self.found_notices as f64 / self.reachable_notices.max(1) as f64
    }

    /// correct ÷ found rows.
    pub fn precision(&self) -> f64 {
        self.correct_rows as f64 / self.found_rows.max(1) as f64
    }
}

/// Compare discovered rows with the truth (URLs compared without scheme).
pub fn score(truth: &[TruthSite], rows: &[mynawatch_model::MunicipalPage]) -> Score {
    let bare = |u: &str| {
        u.trim_start_matches("https://")
            .trim_start_matches("http://")
            .to_string()
    };
    let mut s = Score {
        sites: truth.len(),
        ..Score::default()
    };
    for t in truth {
        let mine: Vec<_> = rows.iter().filter(|r| r.area_code == t.code).collect();
        let status = if mine.iter().any(|r| r.status == "found") {
            "found"
        } else {
            mine.first().map_or("missing", |r| r.status.as_str())
        };
        if status == t.expected_status {
            s.status_right += 1;
        } else {
            s.misses.push(format!(
                "{} {} ({}): status {status}, expected {}",
                t.code, t.full_name, t.style, t.expected_status
            ));
        }
        if t.expected_status == "found" {
            for n in &t.notices {
                s.reachable_notices += 1;
                if mine
                    .iter()
                    .any(|r| r.scheme == n.scheme && bare(&r.url) == bare(&n.url))
                {
                    s.found_notices += 1;
                } else {
                    s.misses.push(format!(
                        "{} ({}): missed {} notice {}",
                        t.code, t.style, n.scheme, n.url
                    ));
                }
            }
        }
        for r in mine.iter().filter(|r| r.status == "found") {
            s.found_rows += 1;
            if t.notices
                .iter()
                .any(|n| n.scheme == r.scheme && bare(&n.url) == bare(&r.url))
            {
                s.correct_rows += 1;
            } else {
                s.misses.push(format!(
                    "{} ({}): wrong page {} {} ({})",
                    t.code, t.style, r.scheme, r.url, r.evidence
                ));
            }
        }
    }
    s
}

/// How a style lays out URLs and markup.
#[derive(Clone, Copy)]
pub(crate) struct Skin {
    pub(crate) style: &'static str,
    pub(crate) encoding: &'static encoding_rs::Encoding,
}

/// A page before rendering.
pub(crate) struct Page {
    pub(crate) host: String,
    pub(crate) path: String,
    pub(crate) title: String,
    pub(crate) body: String,
}

pub(crate) struct Builder<'a> {
    pub(crate) skin: Skin,
    pub(crate) rng: &'a mut Rng,
    pub(crate) area: String,
    pub(crate) host: String,
    pub(crate) alt_host: Option<String>,
    pub(crate) pages: Vec<Page>,
    pub(crate) n: usize,
}

impl Builder<'_> {
    /// A fresh path in the style's URL scheme, under `section` where the style has them.
    pub(crate) fn path(&mut self, section: &str) -> String {
        self.n += 1;
        let n = self.n;
        let id = 1_000_000 + self.rng.below(8_999_999);
        match self.skin.style {
            "table_sjis" => format!("/{section}/p{n:04}.htm"),
            "euc_docs" => format!("/docs/2025{:02}{:02}{n:05}/", 1 + n % 12, 1 + n % 28),
            "wp_deep" => format!("/archives/{}/", 100 + n * 7),
            "sitemap_only" => format!("/page/p{id:07}.html"),
            "pdf_list" => format!("/site/{section}/{id}.html"),
            _ => format!("/{section}/{id}.html"),
        }
    }

    pub(crate) fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}{path}")
    }

    pub(crate) fn add(&mut self, host: String, path: String, title: &str, body: String) -> String {
        let url = self.url(&host, &path);
        self.pages.push(Page {
            host,
            path,
            title: title.to_string(),
            body,
        });
        url
    }
}

pub(crate) fn link(url: &str, text: &str) -> String {
    format!("<a href=\"{url}\">{text}</a>")
}

pub(crate) fn list_of(items: &[(String, String)]) -> String {
    let li: String = items
        .iter()
        .map(|(u, t)| format!("<li>{}</li>", link(u, t)))
        .collect();
    format!("<ul>{li}</ul>")
}

const FILLER: &[(&str, &str)] = &[
    ("ごみの分け方と出し方", "燃えるごみは週2回、資源ごみは月2回の収集です。収集日は地区ごとのカレンダーで確認してください。"),
    ("児童手当について", "中学生までのお子さんを養育している方に手当を支給します。申請は子育て支援課の窓口で受け付けます。"),
    ("観光案内所のご案内", "駅前の観光案内所では、季節のイベントや名所の案内をしています。開所時間は午前9時から午後5時までです。"),
    ("防災行政無線について", "災害時には防災行政無線で避難情報をお伝えします。聞き取れなかった内容は電話で確認できます。"),
    ("住民票の写しの請求", "住民票の写しは市民課の窓口またはコンビニ交付で取得できます。本人確認書類をお持ちください。"),
    ("図書館の利用案内", "図書館では一人10冊まで2週間借りられます。返却はブックポストもご利用いただけます。"),
    ("水道の開始・中止の手続き", "引っ越しで水道を使い始めるときや止めるときは、3日前までに上下水道課へ連絡してください。"),
    ("予防接種のお知らせ", "乳幼児の定期予防接種は指定医療機関で受けられます。予診票は保健センターで配布しています。"),
    ("広報紙の配布", "広報紙は毎月1日に各世帯へ配布しています。公共施設でも手に取ることができます。"),
    ("介護保険料について", "65歳以上の方の介護保険料は所得段階に応じて決まります。納付書は7月に送付します。"),
    ("国民年金の手続き", "20歳になったときや会社を退職したときは国民年金の手続きが必要です。年金手帳をお持ちください。"),
    ("市営住宅の入居者募集", "市営住宅の入居者を年4回募集しています。申込書は住宅課で配布します。"),
    ("選挙のお知らせ", "投票日当日に用事がある方は期日前投票ができます。入場券をお持ちください。"),
    ("公園の利用について", "公園内でのボール遊びは指定の広場でお願いします。花火は禁止です。"),
];

fn era(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("令和{}年{}月{}日", d.year() - 2018, d.month(), d.day())
}

fn md(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}月{}日", d.month(), d.day())
}

/// The notice's main content and its truth (policy, dates).
pub(crate) fn notice_body(
    rng: &mut Rng,
    area: &str,
    scheme: &str,
    url: &str,
) -> (String, String, TruthNotice) {
    let label = if scheme == "koki" {
        "後期高齢者医療"
    } else {
        "国民健康保険"
    };
    let policy = if scheme == "koki" {
        rng.pick(&["all_insured", "all_insured", "unregistered_only"])
    } else {
        rng.pick(&[
            "all_insured",
            "unregistered_only",
            "unregistered_only",
            "on_application",
        ])
    };
    let year = 2025;
    let month = [6u32, 7, 7, 8, 9][rng.below(5)];
    let day = 1 + rng.below(14) as u32;
    let start = NaiveDate::from_ymd_opt(year, month, day).expect("valid");
    let end = start + chrono::Days::new(7 + rng.below(14) as u64);
    let (vm, vd) = [(7u32, 31u32), (7, 31), (9, 30), (11, 30)][rng.below(4)];
    let valid_until = NaiveDate::from_ymd_opt(year + 1, vm, vd).expect("valid");
    let method = rng.pick(&["簡易書留", "特定記録郵便", "普通郵便"]);
    let title = match rng.below(4) {
        0 => format!("{label}の資格確認書を送付します"),
        1 => format!("{label} 資格確認書の一斉送付について"),
        2 => format!("資格確認書の送付について（{label}）"),
        _ => format!("【{label}】資格確認書・資格情報のお知らせの送付"),
    };
    let policy_p = match policy {
        "all_insured" => format!(
            "{area}では、マイナ保険証の保有の有無にかかわらず、{label}の加入者全員に資格確認書を送付します。"
        ),
        "unregistered_only" => format!(
            "{label}に加入していてマイナ保険証をお持ちでない方に、資格確認書を送付します。マイナ保険証をお持ちの方には、資格情報のお知らせを送付します。"
        ),
        _ => "資格確認書は、交付を申請された方にお渡しします。マイナ保険証での受診が難しい方は、窓口または郵送で申請してください。".to_string(),
    };
    let updated = start - chrono::Days::new(10 + rng.below(20) as u64);
    let body = format!(
        "<h1>{title}</h1><p class=\"date\">更新日：{}</p>\
         <h2>送付の対象</h2><p>{policy_p}</p>\
         <h2>送付の時期と方法</h2><p>{}から{}までに、{method}で順次発送します。</p>\
         <h2>有効期限</h2><p>資格確認書の有効期限は{}です。期限が近づいたら新しいものをお送りします。</p>\
         <h2>ご注意</h2><p>お手元に届いた資格確認書は、医療機関の窓口で提示してください。紛失したときは再交付の申請ができます。</p>\
         <p>お問い合わせ：{area} 保険年金課</p>",
        era(updated),
        era(start),
        md(end),
        era(valid_until),
    );
    (
        title,
        body,
        TruthNotice {
            scheme: scheme.to_string(),
            url: url.to_string(),
            policy: policy.to_string(),
            mailing_start: start,
            mailing_end: end,
            valid_until,
        },
    )
}

fn build_site(
    issuer: &Issuer,
    style: &'static str,
    stale: &str,
    rng: &mut Rng,
    vhosts: &Path,
    union_link: Option<&(String, String)>,
) -> Result<TruthSite, DiscoverError> {
    let listed = url::Url::parse(&issuer.url).ok();
    let list_host = listed
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_else(|| format!("www.{}.example.jp", issuer.code));
    let mut home_path = listed
        .as_ref()
        .map(|u| u.path().to_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "/".into());
    // A stale list names an old top page; the site (if any) lives at its root.
    let listed_path = if stale.is_empty() {
        home_path.clone()
    } else {
        home_path = "/".into();
        let code: usize = issuer.code.parse().unwrap_or(0);
        OLD_TOPS[code % OLD_TOPS.len()].to_string()
    };
    let list_url = format!("http://{list_host}{listed_path}");
    let mut truth = TruthSite {
        code: issuer.code.clone(),
        full_name: issuer.full_name.clone(),
        prefecture: issuer.prefecture.clone(),
        url: list_url,
        style: style.to_string(),
        expected_status: "found".into(),
        moved_to: String::new(),
        stale: stale.to_string(),
        notices: Vec::new(),
    };
    if style == "dead" {
        truth.expected_status = "site_unreachable".into();
        return Ok(truth);
    }
    // Where the site really lives.
    let host = if style == "moved" {
        let key = site_key(&list_host);
        let new = if let Some(stem) = key.strip_suffix(".lg.jp") {
            format!("www.{}.lg.jp", stem.replacen('.', "-", 1))
        } else {
            format!("www.{}.lg.jp", key.trim_end_matches(".jp"))
        };
        let old = vhosts.join(&list_host);
        std::fs::create_dir_all(&old).map_err(io_err(&old))?;
        let f = old.join("_moved");
        std::fs::write(&f, format!("http://{new}")).map_err(io_err(&f))?;
        truth.moved_to = format!("http://{new}{home_path}");
        new
    } else {
        list_host.clone()
    };
    let skin = Skin {
        style,
        encoding: match style {
            "table_sjis" => encoding_rs::SHIFT_JIS,
            "euc_docs" => encoding_rs::EUC_JP,
            _ => encoding_rs::UTF_8,
        },
    };
    let alt_host = (style == "alt_host").then(|| format!("www02.{}", site_key(&host)));
    let mut b = Builder {
        skin,
        rng,
        area: issuer.full_name.clone(),
        host: host.clone(),
        alt_host: alt_host.clone(),
        pages: Vec::new(),
        n: 0,
    };
    let ins_host = b.alt_host.clone().unwrap_or_else(|| b.host.clone());
    let with_notice = style != "no_notice";
    let with_koki = with_notice && b.rng.chance(45);

    // Notices.
    let mut notice_links: Vec<(String, String)> = Vec::new();
    let mut koki_link = None;
    if with_notice {
        let p = b.path("kokuho");
        let url = b.url(&ins_host, &p);
        let area = b.area.clone();
        let (title, body, t) = notice_body(b.rng, &area, "kokuho", &url);
        b.add(ins_host.clone(), p, &title, body);
        truth.notices.push(t);
        notice_links.push((url, title));
    }
    if with_koki {
        let p = b.path("koki");
        let url = b.url(&ins_host, &p);
        let area = b.area.clone();
        let (title, body, t) = notice_body(b.rng, &area, "koki", &url);
        b.add(ins_host.clone(), p, &title, body);
        truth.notices.push(t);
        koki_link = Some((url, title));
    }
    // Decoys.
    let p = b.path("kokuho");
    let myna = b.add(
        ins_host.clone(),
        p,
        "マイナ保険証の利用登録について",
        "<h1>マイナ保険証を使いましょう</h1><p>マイナンバーカードを健康保険証として使うには、事前の利用登録が必要です。</p>\
         <p>登録は医療機関の受付にあるカードリーダーやスマートフォンでできます。</p>\
         <p>資格確認書の送付については、国民健康保険のページをご覧ください。</p>"
            .into(),
    );
    let p = b.path("kokuho");
    let tax = b.add(
        ins_host.clone(),
        p,
        "国民健康保険税の納付について",
        "<h1>国民健康保険税の納め方</h1><p>国民健康保険税は、7月から翌年3月までの9回に分けて納めます。</p>\
         <p>口座振替をご利用ください。手続きには通帳と届出印、保険証または資格確認書が必要です。</p>"
            .into(),
    );
    let closed = if b.rng.chance(35) {
        let p = b.path("kokuho");
        Some(b.add(
            ins_host.clone(),
            p,
            "【受付終了】資格確認書の臨時交付窓口について",
            "<h1>【受付終了】資格確認書の臨時交付窓口について</h1>\
             <p>資格確認書の臨時交付窓口は、予定どおり受付を終了しました。ご利用ありがとうございました。</p>"
                .into(),
        ))
    } else {
        None
    };
    let p = b.path("koki");
    let koki_fee = b.add(
        ins_host.clone(),
        p,
        "後期高齢者医療保険料",
        "<h1>後期高齢者医療の保険料</h1><p>保険料は広域連合が決め、市区町村が徴収します。年金からの天引きが原則です。</p>".into(),
    );
    let mut fillers: Vec<(String, String)> = Vec::new();
    let nfill = 8 + b.rng.below(13);
    for k in 0..nfill {
        let (t, body) = FILLER[(k + b.rng.below(FILLER.len())) % FILLER.len()];
        let p = b.path("soshiki");
        let h = b.host.clone();
        let u = b.add(h, p, t, format!("<h1>{t}</h1><p>{body}</p>"));
        fillers.push((u, t.to_string()));
    }

    // Indexes.
    let pdf_only = style == "pdf_list";
    let mut kokuho_items: Vec<(String, String)> = Vec::new();
    if !pdf_only {
        kokuho_items.extend(notice_links.iter().cloned());
    }
    kokuho_items.push((tax, "国民健康保険税の納付について".into()));
    kokuho_items.push((myna.clone(), "マイナ保険証の利用登録について".into()));
    if let Some(c) = &closed {
        kokuho_items.push((
            c.clone(),
            "【受付終了】資格確認書の臨時交付窓口について".into(),
        ));
    }
    let p = b.path("kokuho");
    let kokuho_index = b.add(
        ins_host.clone(),
        p,
        "国民健康保険",
        format!("<h1>国民健康保険</h1>{}", list_of(&kokuho_items)),
    );
    let mut koki_items = vec![(koki_fee, "後期高齢者医療の保険料".to_string())];
    // A capital's page naming its 広域連合 (off-site link).
    koki_items.extend(union_link.cloned());
    if let Some(k) = &koki_link {
        if !pdf_only {
            koki_items.insert(0, k.clone());
        }
    }
    let p = b.path("koki");
    let koki_index = b.add(
        ins_host.clone(),
        p,
        "後期高齢者医療制度",
        format!("<h1>後期高齢者医療制度</h1>{}", list_of(&koki_items)),
    );
    let p = b.path("hoken");
    let hoken_index = b.add(
        b.host.clone(),
        p,
        "保険・年金",
        format!(
            "<h1>保険・年金</h1>{}",
            list_of(&[
                (kokuho_index.clone(), "国民健康保険".into()),
                (koki_index.clone(), "後期高齢者医療制度".into()),
                (fillers[0].0.clone(), fillers[0].1.clone()),
            ])
        ),
    );
    let mut kurashi_items = vec![(hoken_index.clone(), "保険・年金".to_string())];
    kurashi_items.extend(fillers.iter().skip(1).take(5).cloned());
    let p = b.path("kurashi");
    let kurashi = b.add(
        b.host.clone(),
        p,
        "くらし・手続き",
        format!("<h1>くらし・手続き</h1>{}", list_of(&kurashi_items)),
    );
    // News list: names the notices (a listing, not a notice), except in pdf_list.
    let mut news_items: Vec<(String, String)> = Vec::new();
    if !pdf_only {
        news_items.extend(notice_links.iter().cloned());
        news_items.extend(koki_link.iter().cloned());
    }
    news_items.extend(fillers.iter().skip(6).cloned());
    let p = b.path("news");
    let news = b.add(
        b.host.clone(),
        p,
        "新着情報",
        format!("<h1>新着情報</h1>{}", list_of(&news_items)),
    );
    // The PDF list: many documents and, in pdf_list, the notices' web versions.
    let mut doc_items: Vec<(String, String)> = (1..=12)
        .map(|k| {
            (
                format!("http://{}/material/files/doc{k:03}.pdf", b.host),
                format!("資料{k}（PDF：{}KB）", 80 + k * 13),
            )
        })
        .collect();
    if pdf_only {
        for (k, (u, _)) in notice_links.iter().chain(koki_link.iter()).enumerate() {
            doc_items.insert(3 + k, (u.clone(), format!("通知文{}（ウェブ版）", k + 1)));
        }
    }
    let p = b.path("shiryo");
    let doclist = b.add(
        b.host.clone(),
        p,
        "刊行物・資料一覧",
        format!("<h1>刊行物・資料一覧</h1>{}", list_of(&doc_items)),
    );

    // Home: how deep the notice is depends on the style.
    let mut home_links: Vec<(String, String)> = vec![
        (kurashi.clone(), "くらし・手続き".into()),
        (news.clone(), "新着情報".into()),
        (doclist.clone(), "刊行物・資料一覧".into()),
    ];
    match style {
        "smart" | "alt_host" | "moved" | "pdf_list" | "no_notice" | "robots_denied" => {
            home_links.push((kokuho_index.clone(), "国民健康保険".into()));
        }
        "table_sjis" => home_links.push((hoken_index.clone(), "保険・年金".into())),
        "euc_docs" => home_links.extend(notice_links.iter().cloned()),
        _ => {}
    }
    for (u, t) in fillers.iter().take(4) {
        home_links.push((u.clone(), t.clone()));
    }
    let home_body = if style == "sitemap_only" {
        // The menu is built by script from JSON: no anchors for a crawler.
        let items: Vec<String> = home_links
            .iter()
            .map(|(u, t)| format!("{{\"t\":\"{t}\",\"u\":\"{}\"}}", u.replace('/', "\\/")))
            .collect();
        format!(
            "<h1>{}公式ホームページ</h1><div id=\"menu\"></div><script>var MENU=[{}];</script>",
            b.area,
            items.join(",")
        )
    } else {
        format!(
            "<h1>{}公式ホームページ</h1>{}",
            b.area,
            list_of(&home_links)
        )
    };
    b.add(
        b.host.clone(),
        home_path.clone(),
        &format!("{}公式ホームページ", b.area),
        home_body,
    );

    // Sitemaps and robots.txt.
    let sitemap: String = b
        .pages
        .iter()
        .map(|p| format!("<url><loc>http://{}{}</loc></url>", p.host, p.path))
        .collect();
    let sitemap = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{sitemap}</urlset>\n");
    let mut robots = String::from("User-agent: *\n");
    match style {
        "robots_denied" => robots.push_str("Disallow: /\n"),
        "sitemap_only" => {
            robots.push_str(&format!(
                "Disallow: /cgi-bin/\nSitemap: http://{host}/sitemap_index.xml\n"
            ));
            write_file(vhosts, &host, "/sitemap_pages.xml", sitemap.as_bytes())?;
            let index = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><sitemap><loc>http://{host}/sitemap_pages.xml</loc></sitemap></sitemapindex>\n"
            );
            write_file(vhosts, &host, "/sitemap_index.xml", index.as_bytes())?;
        }
        _ => {
            robots.push_str("Disallow: /cgi-bin/\n");
            if b.rng.chance(50) {
                write_file(vhosts, &host, "/sitemap.xml", sitemap.as_bytes())?;
            }
        }
    }
    write_file(vhosts, &host, "/robots.txt", robots.as_bytes())?;
    if let Some(alt) = &alt_host {
        write_file(vhosts, alt, "/robots.txt", b"User-agent: *\nDisallow:\n")?;
    }
    if style == "robots_denied" {
        truth.expected_status = "robots_denied".into();
    } else if style == "no_notice" {
        truth.expected_status = "not_found".into();
    }
    // The stale listed page: nothing there (404), or a `410 Gone`.
    if !stale.is_empty() {
        if stale == "410" {
            let faults =
                format!("[[fault]]\npath = \"{listed_path}\"\nkind = \"status\"\nstatus = 410\n");
            write_file(vhosts, &host, "/_mirror.toml", faults.as_bytes())?;
        }
        truth.moved_to = format!("http://{host}/");
    }

    // Render.
    let nav = format!(
        "{}{}{}",
        link(&format!("http://{host}{home_path}"), "ホーム"),
        link(&kurashi, "くらし"),
        link(&news, "新着情報")
    );
    for p in &b.pages {
        let html = render(skin, &b.area, &p.title, &nav, &p.body);
        let (bytes, _, _) = skin.encoding.encode(&html);
        write_file(vhosts, &p.host, &p.path, &bytes)?;
    }
    Ok(truth)
}

pub(crate) fn render(skin: Skin, area: &str, title: &str, nav: &str, body: &str) -> String {
    let charset = skin.encoding.name();
    let head = format!(
        "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\"><title>{title}｜{area}</title></head>"
    );
    let nav = if skin.style == "sitemap_only" {
        ""
    } else {
        nav
    };
    match skin.style {
        "table_sjis" => format!(
            "{head}<body><table width=\"760\" border=\"0\"><tr><td colspan=\"2\"><img src=\"/img/logo.gif\" alt=\"{area}\"></td></tr>\
             <tr><td class=\"menu\" width=\"160\" valign=\"top\">{nav}</td><td class=\"contents\" valign=\"top\">{body}</td></tr>\
             <tr><td colspan=\"2\" class=\"footer\">Copyright {area}</td></tr></table></body></html>\n"
        ),
        "wp_deep" => format!(
            "{head}<body class=\"wp\"><header id=\"masthead\"><nav class=\"main-navigation\">{nav}</nav></header>\
             <div id=\"primary\"><article class=\"post\"><div class=\"entry-content\">{body}</div></article></div>\
             <footer id=\"colophon\">{area}</footer></body></html>\n"
        ),
        "euc_docs" => format!(
            "{head}<body><div id=\"header\"><ul class=\"gnav\">{nav}</ul></div><div id=\"main\">{body}</div><div id=\"footer\">{area}</div></body></html>\n"
        ),
        _ => format!(
            "{head}<body><div id=\"tmp_wrapper\"><header id=\"tmp_header\"><nav id=\"tmp_gnavi\">{nav}</nav></header>\
             <div id=\"tmp_contents\">{body}</div><footer id=\"tmp_footer\">{area}</footer></div></body></html>\n"
        ),
    }
}

pub(crate) fn write_file(
    vhosts: &Path,
    host: &str,
    path: &str,
    bytes: &[u8],
) -> Result<(), DiscoverError> {
    let rel = path.trim_start_matches('/');
    let mut p = vhosts.join(host).join(rel);
    if rel.is_empty() || rel.ends_with('/') {
        p = p.join("index.html");
    }
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    std::fs::write(&p, bytes).map_err(io_err(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuers() -> Vec<Issuer> {
        [
            (
                "131130",
                "東京都",
                "東京都渋谷区",
                "https://www.city.shibuya.tokyo.jp/",
            ),
            (
                "131121",
                "東京都",
                "東京都世田谷区",
                "https://www.city.setagaya.lg.jp/index.html",
            ),
            (
                "132098",
                "東京都",
                "東京都町田市",
                "https://www.city.machida.tokyo.jp/",
            ),
        ]
        .iter()
        .map(|(c, p, n, u)| Issuer {
            code: c.to_string(),
            prefecture: p.to_string(),
            full_name: n.to_string(),
            url: u.to_string(),
            kind: mynawatch_discover::IssuerKind::Municipality,
            via: Vec::new(),
        })
        .collect()
    }

    #[test]
    fn stale_listed_pages_fall_on_sites_with_a_notice_and_on_dead_hosts() {
        let mut seen = std::collections::BTreeMap::new();
        for i in 0..2 * STYLES.len() {
            let fault = stale_fault(i);
            let style = STYLES[i % STYLES.len()];
            match fault {
                "" => continue,
                "dead" => assert_eq!(style, "dead"),
                _ => assert!(
                    !["moved", "dead", "robots_denied", "no_notice"].contains(&style),
                    "position {i}: a {fault} listed page on a {style} site"
                ),
            }
            *seen.entry(fault).or_insert(0) += 1;
        }
        assert_eq!(
            seen,
            [("404", 3), ("410", 1), ("dead", 1)].into_iter().collect()
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_japan_and_pages_carry_their_charsets() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let opts = JapanOptions {
            seed: 7,
            limit: None,
        };
        let ja = generate(&issuers(), a.path(), &opts).unwrap();
        let jb = generate(&issuers(), b.path(), &opts).unwrap();
        assert_eq!(ja.sites, jb.sites);
        assert_eq!(
            std::fs::read(&ja.list).unwrap(),
            std::fs::read(&jb.list).unwrap()
        );
        assert_eq!(ja.sites[0].style, "smart");
        assert_eq!(ja.sites[1].style, "table_sjis");
        // The Shift_JIS site's notice decodes as Shift_JIS and names 資格確認書.
        let n = &ja.sites[1].notices[0];
        let u = url::Url::parse(&n.url).unwrap();
        let f = a
            .path()
            .join("_vhosts")
            .join(u.host_str().unwrap())
            .join(&u.path()[1..]);
        let bytes = std::fs::read(f).unwrap();
        assert!(std::str::from_utf8(&bytes).is_err());
        let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert!(!bad && text.contains("資格確認書"));
        let list = mynawatch_discover::list::read_list(&ja.list).unwrap();
        assert_eq!(list.len(), 3);
        assert!(list.iter().all(|i| i.url.starts_with("http://")));
    }
}
