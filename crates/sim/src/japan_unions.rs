//! The loopback Japan's prefectures and 後期高齢者医療広域連合.
//!
//! Each prefecture gets a site under its real host (from the real prefecture list) with
//! a 健康・医療・福祉 → 医療保険 → 後期高齢者医療制度 path, a 国保連 link and a decoy link
//! to another 広域連合 (消防・ごみ処理) on its home page. Each 広域連合 gets a site of its
//! own (host made up from the prefecture's romanized name) in one of four skins, with its
//! 資格確認書 notice (1 or 2 clicks deep), decoys and filler pages. How a 広域連合 is
//! linked (the truth's `style`):
//! - `union_pref_nav`: from the prefecture's 後期高齢者医療制度 page (3 clicks deep);
//! - `union_pref_banner`: from a banner (an image link whose `alt` names it) on the
//!   prefecture's home page;
//! - `union_capital`: only from the capital city's 後期高齢者医療制度 page (the prefecture's
//!   page has no link); only for capitals in the sample whose site a crawler can walk;
//! - `union_dead`: linked like `union_pref_nav`, but its host is gone (one per Japan).

use std::path::Path;

use super::{
    link, list_of, notice_body, render, write_file, Builder, Rng, Skin, TruthSite, STYLES,
};
use mynawatch_discover::list::{union_name, Issuer, Prefecture};
use mynawatch_discover::DiscoverError;

/// Municipal styles whose 後期高齢者医療制度 page a crawler reaches by links.
const WALKABLE: &[&str] = &[
    "smart",
    "table_sjis",
    "euc_docs",
    "wp_deep",
    "pdf_list",
    "alt_host",
    "moved",
    "no_notice",
];

/// Skins of prefecture and 広域連合 sites.
const SKINS: &[&str] = &["smart", "table_sjis", "euc_docs", "wp_deep"];

/// How one prefecture's 広域連合 is generated.
pub(crate) struct Plan {
    pref: Prefecture,
    /// The 広域連合's host.
    host: String,
    /// The truth's style (see the module docs).
    mode: &'static str,
    /// `union_capital`: the capital's index in the sample.
    pub(crate) capital_only: Option<usize>,
}

impl Plan {
    fn name(&self) -> String {
        union_name(&self.pref.name)
    }

    fn home(&self) -> String {
        format!("http://{}/", self.host)
    }

    /// The link a page naming the 広域連合 carries.
    pub(crate) fn link(&self) -> (String, String) {
        (self.home(), format!("{}（外部リンク）", self.name()))
    }
}

pub(crate) fn is_capital(i: &Issuer, prefectures: &[Prefecture]) -> bool {
    prefectures
        .iter()
        .any(|p| i.full_name == format!("{}{}", p.name, p.capital))
}

fn walkable(i: usize) -> bool {
    WALKABLE.contains(&STYLES[i % STYLES.len()])
}

/// Make the sample hold at least `want` capitals on walkable sites, taking capitals from
/// `rest` (the shuffled issuers beyond the sample) into walkable slots past the first
/// twenty (which keep their style coverage).
pub(crate) fn take_capitals<'a>(
    order: &mut [&'a Issuer],
    rest: &[&'a Issuer],
    prefectures: &[Prefecture],
    want: usize,
) {
    let mut have = (0..order.len())
        .filter(|&i| walkable(i) && is_capital(order[i], prefectures))
        .count();
    let mut extra = rest.iter().filter(|i| is_capital(i, prefectures));
    for slot in (STYLES.len()..order.len()).rev() {
        if have >= want {
            break;
        }
        if !walkable(slot) || is_capital(order[slot], prefectures) {
            continue;
        }
        let Some(c) = extra.next() else {
            break;
        };
        order[slot] = c;
        have += 1;
    }
}

/// One plan per prefecture (seeded): one dead 広域連合, at least two (when the sample
/// allows) linked only from their capital, the rest from the prefecture's site.
pub(crate) fn plan(prefectures: &[Prefecture], order: &[&Issuer], seed: u64) -> Vec<Plan> {
    if prefectures.is_empty() {
        return Vec::new();
    }
    let mut rng = Rng(seed ^ 0x4B4F_4B49_5245_4E47);
    let dead = rng.below(prefectures.len());
    let mut capital_only_made = 0;
    prefectures
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let en = p.name_en.to_ascii_lowercase().replace([' ', '-'], "");
            let host = match rng.below(4) {
                0 => format!("www.kouki-{en}.jp"),
                1 => format!("www.{en}-kouki.or.jp"),
                2 => format!("www.{en}-koukikourei.jp"),
                _ => format!("www.{en}-ikiiki.net"),
            };
            let capital = format!("{}{}", p.name, p.capital);
            let capital_at = order
                .iter()
                .position(|i| i.full_name == capital)
                .filter(|&i| walkable(i));
            let mode = if k == dead {
                "union_dead"
            } else if capital_at.is_some() && (capital_only_made < 2 || rng.chance(35)) {
                capital_only_made += 1;
                "union_capital"
            } else if rng.chance(60) {
                "union_pref_nav"
            } else {
                "union_pref_banner"
            };
            Plan {
                pref: p.clone(),
                host,
                mode,
                capital_only: (mode == "union_capital").then_some(capital_at).flatten(),
            }
        })
        .collect()
}

fn rng_for(plan: &Plan, seed: u64, salt: u64) -> Rng {
    Rng(seed
        ^ salt
        ^ plan
            .pref
            .code
            .parse::<u64>()
            .unwrap_or(0)
            .wrapping_mul(0x9E37_79B9))
}

fn skin_of(rng: &mut Rng) -> Skin {
    let style = SKINS[rng.below(SKINS.len())];
    Skin {
        style,
        encoding: match style {
            "table_sjis" => encoding_rs::SHIFT_JIS,
            "euc_docs" => encoding_rs::EUC_JP,
            _ => encoding_rs::UTF_8,
        },
    }
}

/// `http://host/path` of a listed `https://` URL (the mirror speaks plain HTTP).
fn plain_http(url: &str) -> (String, String) {
    let u = url::Url::parse(url).expect("the prefecture list's URLs parse");
    (
        u.host_str().unwrap_or("").to_ascii_lowercase(),
        u.path().to_string(),
    )
}

fn finish(
    b: &Builder,
    home: &str,
    nav_links: &[(String, String)],
    vhosts: &Path,
) -> Result<(), DiscoverError> {
    let nav: String = std::iter::once(link(home, "ホーム"))
        .chain(nav_links.iter().map(|(u, t)| link(u, t)))
        .collect();
    for p in &b.pages {
        let html = render(b.skin, &b.area, &p.title, &nav, &p.body);
        let (bytes, _, _) = b.skin.encoding.encode(&html);
        write_file(vhosts, &p.host, &p.path, &bytes)?;
    }
    write_file(
        vhosts,
        &b.host,
        "/robots.txt",
        b"User-agent: *\nDisallow: /cgi-bin/\n",
    )
}

/// The prefecture's site (see the module docs).
pub(crate) fn build_prefecture_site(
    plan: &Plan,
    seed: u64,
    vhosts: &Path,
) -> Result<(), DiscoverError> {
    let mut rng = rng_for(plan, seed, 0x5052_4546);
    let skin = skin_of(&mut rng);
    let (host, home_path) = plain_http(&plan.pref.url);
    let pref = plan.pref.name.clone();
    let mut b = Builder {
        skin,
        rng: &mut rng,
        area: pref.clone(),
        host: host.clone(),
        alt_host: None,
        pages: Vec::new(),
        n: 0,
    };
    let union_on_page = matches!(plan.mode, "union_pref_nav" | "union_dead");
    let mut koki_body = format!(
        "<h1>後期高齢者医療制度</h1><p>75歳以上の方と、一定の障がいのある65歳以上の方が加入する医療制度です。\
         運営は{pref}内のすべての市町村が加入する広域連合が行い、保険料の決定や資格確認書の交付などをしています。</p>\
         <p>届出や申請の窓口は、お住まいの市町村の担当課です。</p>"
    );
    if union_on_page {
        koki_body.push_str(&format!("<h2>関連リンク</h2>{}", list_of(&[plan.link()])));
    }
    let p = b.path("kenko");
    let koki = b.add(host.clone(), p, "後期高齢者医療制度", koki_body);
    let p = b.path("kenko");
    let kokuho = b.add(
        host.clone(),
        p,
        "国民健康保険の運営",
        format!(
            "<h1>国民健康保険の運営</h1><p>平成30年度から、{pref}も市町村とともに国民健康保険の保険者となり、財政運営を担っています。\
             保険証や資格確認書の交付は市町村が行います。</p>{}",
            list_of(&[(
                format!("http://www.kokuhoren-{}.or.jp/", plan.pref.name_en.to_ascii_lowercase()),
                format!("{pref}国民健康保険団体連合会（外部リンク）"),
            )])
        ),
    );
    let p = b.path("kenko");
    let iryo = b.add(
        host.clone(),
        p,
        "医療保険",
        format!(
            "<h1>医療保険</h1>{}",
            list_of(&[
                (kokuho, "国民健康保険の運営".into()),
                (koki, "後期高齢者医療制度".into()),
            ])
        ),
    );
    let fillers: Vec<(String, String)> = [
        ("観光・イベント", "kanko", "季節の催しと観光地の案内です。"),
        (
            "防災・危機管理",
            "bosai",
            "避難所の一覧と防災訓練の予定を掲載しています。",
        ),
        (
            "入札・契約",
            "nyusatsu",
            "入札の公告と結果を掲載しています。",
        ),
        (
            "県政情報",
            "kensei",
            "組織の案内と計画、統計を掲載しています。",
        ),
    ]
    .iter()
    .map(|(t, sec, body)| {
        let p = b.path(sec);
        (
            b.add(host.clone(), p, t, format!("<h1>{t}</h1><p>{body}</p>")),
            t.to_string(),
        )
    })
    .collect();
    let p = b.path("kenko");
    let kenko = b.add(
        host.clone(),
        p,
        "健康・医療・福祉",
        format!(
            "<h1>健康・医療・福祉</h1>{}",
            list_of(&[(iryo, "医療保険".into()), fillers[1].clone()])
        ),
    );
    let short = pref.trim_end_matches(['都', '府', '県']);
    let mut home_items = vec![(kenko.clone(), "健康・医療・福祉".to_string())];
    home_items.extend(fillers.iter().cloned());
    // A decoy: another kind of 広域連合, off-site.
    home_items.push((
        format!(
            "http://www.{}-kouiki.jp/",
            plan.pref.name_en.to_ascii_lowercase()
        ),
        format!("{short}東部広域連合（消防・ごみ処理）"),
    ));
    let mut home_body = format!("<h1>{pref}ホームページ</h1>{}", list_of(&home_items));
    if plan.mode == "union_pref_banner" {
        home_body.push_str(&format!(
            "<div class=\"banner\"><a href=\"{}\"><img src=\"/img/bnr_kouki.gif\" alt=\"{}\"></a></div>",
            plan.home(),
            plan.name()
        ));
    }
    let home = format!("http://{host}{home_path}");
    b.add(
        host.clone(),
        home_path,
        &format!("{pref}ホームページ"),
        home_body,
    );
    finish(&b, &home, &[(kenko, "健康・医療・福祉".into())], vhosts)
}

/// Pages of a 広域連合 that are not its notice.
const UNION_FILLER: &[(&str, &str)] = &[
    (
        "高額療養費の支給",
        "1か月の医療費の自己負担が限度額を超えたときは、申請により超えた分を支給します。",
    ),
    (
        "葬祭費の支給",
        "被保険者が亡くなったときは、葬儀を行った方に葬祭費を支給します。",
    ),
    (
        "健康診査のご案内",
        "年に1回、無料で健康診査を受けられます。受診券は市町村から届きます。",
    ),
    (
        "広域連合議会",
        "議会の定例会は年2回開かれます。会議録を公開しています。",
    ),
    (
        "入札・契約情報",
        "物品の調達と業務委託の入札結果を掲載しています。",
    ),
    (
        "個人情報の取扱い",
        "お預かりした個人情報は、医療給付の事務にのみ使用します。",
    ),
];

/// The 広域連合's site and its truth (see the module docs).
pub(crate) fn build_union_site(
    plan: &Plan,
    seed: u64,
    vhosts: &Path,
) -> Result<TruthSite, DiscoverError> {
    let (pref_host, pref_path) = plain_http(&plan.pref.url);
    let mut truth = TruthSite {
        code: plan.pref.code.clone(),
        full_name: plan.name(),
        prefecture: plan.pref.name.clone(),
        url: format!("http://{pref_host}{pref_path}"),
        style: plan.mode.to_string(),
        expected_status: "found".into(),
        moved_to: String::new(),
        stale: String::new(),
        notices: Vec::new(),
    };
    if plan.mode == "union_dead" {
        truth.expected_status = "site_unreachable".into();
        return Ok(truth);
    }
    let mut rng = rng_for(plan, seed, 0x0055_4E49_4F4E);
    let skin = skin_of(&mut rng);
    let name = plan.name();
    let host = plan.host.clone();
    let mut b = Builder {
        skin,
        rng: &mut rng,
        area: name.clone(),
        host: host.clone(),
        alt_host: None,
        pages: Vec::new(),
        n: 0,
    };
    let p = b.path("seido");
    let url = b.url(&host, &p);
    let (title, body, t) = notice_body(b.rng, &name, "koki", &url);
    b.add(host.clone(), p, &title, body);
    truth.notices.push(t);
    let notice = (url, title);
    let p = b.path("seido");
    let myna = b.add(
        host.clone(),
        p,
        "マイナ保険証の利用について",
        "<h1>マイナ保険証を使いましょう</h1><p>マイナンバーカードを保険証として使うには、利用登録が必要です。</p>\
         <p>資格確認書がお手元に届く方については、制度のご案内のページをご覧ください。</p>"
            .into(),
    );
    let p = b.path("seido");
    let fee = b.add(
        host.clone(),
        p,
        "保険料の決め方",
        "<h1>保険料の決め方</h1><p>保険料は、均等割額と所得割額の合計です。2年ごとに見直します。</p>".into(),
    );
    let mut seido_items = vec![
        notice.clone(),
        (myna, "マイナ保険証の利用について".into()),
        (fee, "保険料の決め方".into()),
    ];
    if b.rng.chance(35) {
        let p = b.path("seido");
        let closed = b.add(
            host.clone(),
            p,
            "【受付終了】資格確認書の臨時窓口について",
            "<h1>【受付終了】資格確認書の臨時窓口について</h1><p>臨時窓口での受付は終了しました。</p>".into(),
        );
        seido_items.push((closed, "【受付終了】資格確認書の臨時窓口について".into()));
    }
    let fillers: Vec<(String, String)> = UNION_FILLER
        .iter()
        .map(|(t, body)| {
            let p = b.path("annai");
            (
                b.add(host.clone(), p, t, format!("<h1>{t}</h1><p>{body}</p>")),
                t.to_string(),
            )
        })
        .collect();
    let p = b.path("seido");
    let seido = b.add(
        host.clone(),
        p,
        "制度のご案内",
        format!("<h1>制度のご案内</h1>{}", list_of(&seido_items)),
    );
    let mut news_items = vec![notice.clone()];
    news_items.extend(fillers.iter().take(3).cloned());
    let p = b.path("news");
    let news = b.add(
        host.clone(),
        p,
        "新着情報",
        format!("<h1>新着情報</h1>{}", list_of(&news_items)),
    );
    let mut home_items = vec![
        (seido.clone(), "制度のご案内".to_string()),
        (news.clone(), "新着情報".to_string()),
    ];
    if skin.style == "euc_docs" {
        home_items.push(notice);
    }
    home_items.extend(fillers.iter().cloned());
    let home = format!("http://{host}/");
    b.add(
        host.clone(),
        "/".into(),
        &name,
        format!("<h1>{name}</h1>{}", list_of(&home_items)),
    );
    finish(
        &b,
        &home,
        &[(seido, "制度のご案内".into()), (news, "新着情報".into())],
        vhosts,
    )?;
    Ok(truth)
}

/// `prefjp.csv`: the real list's columns, `http://` URLs, and the real list's quirk of a
/// lost leading zero in `lgcode`.
pub(crate) fn prefecture_csv(plans: &[Plan]) -> String {
    let mut out = String::from(
        "pid,pref,prefkana,prefshort,prefshortkana,pref_en,pref3code,url,lgcode,ISO3166-2,capital,lat,lng\n",
    );
    for p in plans {
        let (host, path) = plain_http(&p.pref.url);
        out.push_str(&format!(
            "{},{},,,,{},,http://{host}{path},{},JP-{},{},0,0\n",
            p.pref.code[..2].trim_start_matches('0'),
            p.pref.name,
            p.pref.name_en,
            p.pref.code.trim_start_matches('0'),
            &p.pref.code[..2],
            p.pref.capital
        ));
    }
    out
}
