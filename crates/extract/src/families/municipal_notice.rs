//! `municipal_notice`: a municipality's page on 資格確認書 → one `notices` row with the
//! facts people compare across municipalities, plus `figures` when the page states them.
//!
//! Three layers: the HTML layer ([`crate::html`]) gives main text blocks; the structure
//! layer ([`crate::structure`]) says what each line is (a label and its value, a table row,
//! a heading and what sits under it, an item, prose); the rules here read text, so
//! `extract --text` runs them on PDF text as well. A value under a label is read by the
//! label's role (`有効期間`, `交付予定時期`, `交付方法`, a 有効期限 heading over document rows)
//! and joins the candidates read from sentences; a rule under a heading that names a group
//! (`【マイナ保険証を保有しない方】`) is read with it. Accuracy on real pages, dev and frozen
//! test, is tracked in `docs/accuracy.md` (`mynawatch eval`). The rules:
//! - Every sentence has a subject: the document it names (資格確認書, or the 保険証 on older
//!   pages; `マイナ保険証` is not a document), only the 資格情報のお知らせ, another document
//!   (通知書, 認定証…), or, when it names none (`これらの書類は…`, `郵送方法 普通郵便`), the
//!   last one named. Dates and methods are taken only from sentences about the card: the
//!   wrong-date guard. Dates it leaves unassigned are reported in `Extraction.warnings`.
//! - `issuance_policy`: who receives a 資格確認書 under the rule in force at the page's
//!   date. `all_insured` for everyone whatever their status (有無にかかわらず, 一律,
//!   すべての被保険者, お持ちの方にも…; a provisional rule such as 後期's until 2026-07-31
//!   wins over the later one, which is skipped); `unregistered_only` for those without a
//!   マイナ保険証 or a status-dependent rule (登録状況に応じて), also when the statement is
//!   split over lines or table cells; `on_application` (申請により交付); `unknown`.
//!   一斉交付/一斉更新 alone is not everyone; holders getting the お知らせ is
//!   `unregistered_only`; a plan given up (`…ことになっておりましたが、`) is not the rule. Pages
//!   covering 国保 and 後期 are read per scheme (`policy_by_scheme`) and are `mixed` when the
//!   rules differ.
//! - validity of the NEW document: `…から使用/有効`, `…以降有効`, `…付けで` → `valid_from`;
//!   `有効期限：…`, `…有効期限分`, `…まで使用できます`, `翌年7月31日まで`, the first band
//!   of a 有効期限 table, or a period starting on the new card's first day → `valid_until`.
//!   The replaced card's expiry (現在お持ちの…, 有効期限を迎えます, a 保険証 on a 資格確認書
//!   page), the end of paper cards (令和6年12月2日) and the provisional rule's end are not
//!   the new validity. Disagreeing candidates leave the field empty.
//! - mailing: a month or part of one before a mailing verb is a window (`7月中`,
//!   `中旬から下旬`), `…までに` a deadline (end only), `…から順次` a start (open end); dates of
//!   first use, the 75th-birthday mailing, reply dates, cancelled plans and every year's
//!   routine are other events.
//! - method: the 資格確認書's (特定記録郵便, 簡易書留, 普通郵便, 書留): each method goes with
//!   the document named last before it, so not the お知らせ's; not alternatives
//!   (`簡易書留または特定記録`) nor a comparison.
//! - dates without a year take the page's date, else the cycle's year (the first use date,
//!   else the earliest dated statement that is not the new card's labelled expiry, else the
//!   年度); with none the date stays empty.
//! - figures: 世帯 (`notice.households`; `同一世帯` is none), 被保険者/加入者 + 人
//!   (`notice.insured_persons`; `1人に1枚` is none), costs in 円 next to a …費 label
//!   (`notice.cost`, `item=<label>`).
//!
//! A page that mentions neither 資格確認書, 保険証 nor 資格情報 is not a notice: the layout
//! changed or the URL now serves something else, and that is an extraction failure.
//!
//! Options: `area` (required, e.g. `"東京都渋谷区"`).

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use mynawatch_ja::{find_numbers, DateFound, DateKind};
use mynawatch_model::{Figure, FigureStatus, Notice, Rows};
use regex::Regex;

use crate::families::page::{links_of, notice_of};
use crate::structure::{self, Shape};
use crate::text::{bare_months, label_ending_in, negated, numbers_after, sentences};
use crate::{common, Declared, ExtractError, Extraction, Input};

/// Labels that make a count of 人 a count of insured persons.
const INSURED: &[&str] = &["被保険者", "加入者", "対象"];

/// The municipal notice family.
#[derive(Debug, Default)]
pub struct MunicipalNotice;

/// Everyone gets a 資格確認書 (`一斉交付`/`一斉更新` renew everyone's documents at once
/// and say nothing about who gets which: see [`NOT_ALL`]).
const ALL_INSURED: &[&str] = &[
    "有無にかかわらず",
    "有無に関わらず",
    "有無に関係なく",
    "有無を問わず",
    "状況にかかわらず",
    "状況に関わらず",
    "状況に関係なく",
    "一律",
    "全被保険者",
    "すべての被保険者",
    "全ての被保険者",
    "加入者全員",
    "被保険者全員",
    "方全員に",
    "人全員に",
    "全員に",
    "すべての方",
    "全ての方",
    "すべての人",
    "被保険者となる方には",
    "被保険者になる方には",
    "被保険者になると",
    "加入者となる方には",
    "加入者になる方には",
    "状況によらず",
    "有無によらず",
    "方全てに",
    "方すべてに",
];
/// Phrases that contain an [`ALL_INSURED`] word without meaning everyone gets one.
const NOT_ALL: &[&str] = &["全員分", "全員が"];
/// Sending the 資格確認書 to everyone at once: everyone gets one only when the sentence
/// names the 資格確認書 alone (`資格確認書を一斉交付`), not `資格確認書等` or `…または…お知らせ`.
const AT_ONCE: &[&str] = &[
    "一斉交付",
    "一斉発送",
    "一斉送付",
    "一斉に送付",
    "一斉に発送",
    "一斉に交付",
];
/// Verbs that give a document, in any form (`交付します`, `送付されます`, `お届けします`,
/// `送ります`): the one list the policy rules use.
const ISSUING: &[&str] = &[
    "交付",
    "送付",
    "発行",
    "お届け",
    "届き",
    "届く",
    "お送り",
    "送ります",
    "送られ",
    "郵送",
    "発送",
    "お渡し",
    "配布",
];
/// Holders named alongside non-holders (`お持ちの方もお持ちでない方も`, `持っている人にも`,
/// `登録済みの方を含め`): the sentence covers everyone even though it also contains an
/// [`UNREGISTERED`] phrase. Any person noun (`方`, `人`, `かた`, `者`).
fn names_holders_too(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?:お持ち|持っている|登録済み|登録している|登録がある|登録のある|保有している|使用している|利用している|使っている|で受診している)の?(?:方|人|かた|者)(?:も|にも|へも|を含|も含)",
        )
        .expect("holders too regex")
    })
    .is_match(s)
}
// Stems, not `…方`: pages also write `お持ちでないすべての方`.
const UNREGISTERED: &[&str] = &[
    "お持ちでない",
    "持っていない",
    "保有していない",
    "保有しておらず",
    "利用登録をしていない",
    "登録していない",
    "登録をしていない",
    "登録されていない",
    "登録をされていない",
    "お済みでない",
    "未登録",
    // `利用登録がまだの方`, `登録がお済みでない方`.
    "登録がまだ",
    "登録をまだ",
    "登録がお済みでない",
    "していない方",
    "していない人",
    // `電子資格確認を受けることができない状況にある者` (regulations' words for it).
    "電子資格確認を受けることができない",
    "電子資格確認を受けられない",
    // `マイナ保険証がない人には`: the card itself said to be missing.
    "マイナ保険証がない",
    "マイナ保険証のない",
    "マイナ保険証が無い",
    "マイナ保険証の無い",
    // A group heading's terse form (`【マイナ保険証なし】`).
    "マイナ保険証なし",
];
/// Those who gave the マイナ保険証 up or can no longer use it: a group without one when the
/// sentence gives them the 資格確認書 (`利用登録を解除した方には、資格確認書を交付します`).
const GAVE_UP: &[&str] = &[
    "解除した",
    "解除された",
    "登録解除",
    "返納した",
    "返納された",
    "電子証明書の有効期限が切れ",
    // The certificate not renewed in time (`更新しないまま3か月を過ぎる方`).
    "更新しないまま",
    "更新をしないまま",
    "更新手続きをしないまま",
    "更新されなかった",
    "更新手続きがされなかった",
    "更新手続きをしなかった",
    "更新をしなかった",
];
/// The document depends on the マイナ保険証 status (`登録状況に応じて`).
const STATUS_DEPENDENT: &[&str] = &[
    "状況に応じて",
    "状況によって",
    "状況により",
    "有無によって",
    "有無により",
    "有無に応じ",
    "登録に応じて",
    "お持ちかどうか",
    "お持ちの方とお持ちでない方で",
];
/// Holders of a マイナ保険証 named as a group, with or without words between the holding
/// and the person (`お持ちの方`, `お持ちの70歳以上の方`, `利用登録のある方には`); never a
/// negated holding (`お持ちでない方`, see [`UNREGISTERED`]).
fn names_holders(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?:お持ち|持っている|登録済み?|登録している|登録をしている|登録をされている|登録されている|登録のある|登録がある|保有している)(?P<between>[^、。\x1f]{0,12}?)(?:方|かた|人)",
        )
        .expect("holders regex")
    });
    re.captures_iter(s).any(|c| {
        let between = c.name("between").map_or("", |m| m.as_str());
        !["ない", "でな", "ず", "未"]
            .iter()
            .any(|k| between.contains(k))
    }) || card_use_group(s) == Some(true)
}

/// `s` with the person noun written in kana (`お持ちでないかたには`, `84歳以下のかた`) as
/// the kanji the phrase lists use (`方`), for matching only: evidence quotes the page.
fn person_nouns_as_kanji(s: &str) -> std::borrow::Cow<'_, str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"([のるたいずで])かた([にはもへがの、。をでと]|$)").expect("kana person regex")
    })
    .replace_all(s, "${1}方${2}")
}

/// A group named by whether it can use the マイナ保険証 (`マイナ保険証を使える方`,
/// `マイナンバーカードを保険証として利用できない人`): `Some(true)` for those who can (holders),
/// `Some(false)` for those who cannot. Only people (`方`, `人`, `者`), never a clinic that
/// cannot read the card (`マイナ保険証が使えない医療機関`); and not `受診できない方`, which
/// names a need (the card then comes on application).
fn card_use_group(s: &str) -> Option<bool> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?:マイナ保険証|マイナンバーカード)(?:を|が|で)[^、。\x1f]{0,12}?(?:使え|使用でき|利用でき)(?P<not>ない|ず)?(?:[^、。\x1f]{0,3}?)(?:方|かた|人|者)",
        )
        .expect("card use regex")
    });
    let c = re.captures(s)?;
    Some(c.name("not").is_none())
}

/// A plan given up (`…ことになっておりましたが、`): the rule is what follows.
const PLAN_GIVEN_UP: &[&str] = &[
    "なっておりましたが",
    "なっていましたが",
    "としていましたが",
    "とされていましたが",
    "予定でしたが",
    "予定していましたが",
];
/// Only on request (`申請により交付`).
const ON_APPLICATION: &[&str] = &[
    "申請方式",
    "申請制",
    "申請により",
    "申請することで",
    "申請いただくことで",
    "申請を行うことで",
    "からの申請",
    "申請された方",
    "申請した方",
    "申請があった方",
    "申請すると",
    "申請をすると",
    "申請いただくと",
    "申請していただくと",
    "申請に基づ",
    // A request in other words (`申し出のあった方にのみ交付`).
    "申し出のあった方",
    "申し出があった方",
    "申出のあった方",
    "申し出により",
];
/// Requests that are not for the 資格確認書 itself: a re-issue, a note added to it, a
/// certificate of another kind.
const OTHER_REQUEST: &[&str] = &[
    "再交付",
    "再発行",
    "併記",
    "紛失",
    "限度額",
    "減額",
    "認定証",
    "記載",
];
/// Stems whose negation (`保有しない`, `お持ちでない`, `登録のない`) names those without a
/// マイナ保険証 ([`negated`]).
const STATUS_STEMS: &[&str] = &[
    "保有",
    "所持",
    "お持ち",
    "持っ",
    "持た",
    "登録",
    "お済み",
    "ひもづけ",
    "紐づけ",
    "紐付け",
    "ひも付け",
];
/// A provisional rule (後期高齢者医療 until 2026-07-31).
const PROVISIONAL: &[&str] = &[
    "暫定",
    "当分の間",
    "当面",
    // (The provisional rule's end, not any day of that July: `令和8年7月中旬に送付` is the
    // next cycle's mailing.)
    "令和8年7月31日まで",
    "令和8年7月末まで",
    "令和7年度は",
    "令和7年度発行分",
    // The same in Western years.
    "2026年7月31日まで",
    "2026年7月末まで",
    "2025年度は",
    "2025年度発行分",
];
/// The provisional 後期 rule's last day.
const PROVISIONAL_END: NaiveDate = match NaiveDate::from_ymd_opt(2026, 7, 31) {
    Some(d) => d,
    None => panic!("date"),
};
/// Words that make a sentence a request, a question, a plan under consideration, or what
/// follows from getting the card.
const NOT_A_RULE: &[&str] = &[
    "よう求め",
    "ことを求め",
    "要望",
    "要請",
    "請願",
    "陳情",
    "意見書",
    "質問",
    "検討して",
    "検討中",
    "検討する",
    "検討を始め",
    "検討を進め",
    "できないか",
    "べき",
    // `全員に交付する暫定運用は、令和8年7月31日で終了します`: a rule said to end.
    "で終了",
    "終了します",
    "で終わります",
    // `資格確認書の交付を受けても、マイナ保険証の登録は解除されません`: what follows from
    // getting the card, not who gets it.
    "交付を受けても",
    "届いても",
    "受け取っても",
];
/// A rule for later, or a plan given up: not the rule in force.
const LATER: &[&str] = &[
    "終了後",
    "終わった後",
    "終わると",
    "見込みです",
    "令和8年8月",
    "2026年8月",
    "予定でした",
    "予定です",
];
/// The regime after the provisional one (後期 from 2026-08).
const NEXT_REGIME: &[&str] = &[
    "終了後",
    "終わった後",
    "終わると",
    "令和8年8月",
    "2026年8月",
];
/// Where `s` first turns to the regime after the provisional one: a word of it
/// ([`NEXT_REGIME`]) or a date in August 2026 in any form (`令和8年8月1日`, `R8.8.1`).
fn next_regime_at(s: &str) -> Option<usize> {
    let word = NEXT_REGIME.iter().filter_map(|k| s.find(k)).min();
    let date = mynawatch_ja::find_dates(s)
        .into_iter()
        .find(|d| d.writes_year() && d.start.year() == 2026 && d.start.month() == 8)
        .map(|d| d.span.start);
    word.into_iter().chain(date).min()
}
const KOKUHO: &[&str] = &["国民健康保険", "国保"];
const KOKI: &[&str] = &["後期高齢"];
/// The documents a notice is about.
const CARD: &[&str] = &["資格確認書", "保険証", "被保険者証"];
/// Words containing a [`CARD`] word that name no document sent.
const NOT_A_DOCUMENT: &[&str] = &[
    "マイナ保険証",
    "健康保険証として",
    "健康保険証の利用",
    "健康保険証利用",
    "保険証利用",
    "保険証として",
    "資格確認書交付申請書",
    "申請書の提出",
    "申請書を提出",
    // A card named only to compare with (`これまでの保険証と同じように、窓口で見せてください`).
    "保険証と同じように",
    "保険証と同じく",
    "保険証と同様に",
    "保険証のように",
];
/// Other documents that share sentences with mailing words.
const OTHER_DOCS: &[&str] = &[
    "通知書",
    "納付書",
    "認定証",
    "申請書",
    "受給者証",
    // The health check's ticket, mailed in the same months.
    "受診券",
    "チラシ",
    "パンフレット",
    "手紙",
    "案内状",
    "届出",
    // The 保険料 (保険税) notice is mailed in the same months as the card.
    "保険料",
    "保険税",
];
/// Events that are not this cycle's mailing or validity.
const OTHER_EVENT: &[&str] = &[
    "届かない",
    "届かなかった",
    "問い合わ",
    "問合せ",
    "75歳の誕生",
    "75歳になる",
    "75歳到達",
    "75歳に到達",
    "75歳を迎え",
    "誕生日",
    "誕生月",
    "毎年",
    "中止",
    "取りやめ",
    "返送",
    "返信",
    "返却",
    // A correction or a re-issue: `誤りがあったため、正しい資格確認書を…に再送付します`.
    "誤り",
    "誤って",
    "訂正",
    "差し替え",
    "再送",
    "再発送",
    "再交付",
];
/// The card being replaced, or the end of paper cards.
const OLD_CARD: &[&str] = &[
    "現在",
    "いまの",
    "いまお",
    "いま使",
    "今の保険証",
    "今の資格確認書",
    "今お使い",
    "今使",
    "お手元にある",
    "お手持ち",
    "お手元の",
    "発行済",
    "交付済",
    "現行",
    "古い",
    "従来",
    "今お持ち",
    "いま持っ",
    "今持っ",
    "有効期限が切れ",
    "有効期限を迎え",
    "満了",
    "切れる",
    "となっているため",
    "記載の有効期限",
    "新規発行",
    "発行されなく",
    "交付されなく",
    "発行を終了",
    "交付は終了",
    "交付を終了",
    "廃止",
    "一体化",
    "までに交付された",
    "までに交付する",
    "までに交付した",
    "までに発行された",
    "までに発行する",
    "までに発行した",
    "の保険証をお持ち",
    "の資格確認書をお持ち",
    "そのままお使い",
];
/// Mailing verbs; the last one (`交付`) only counts with `一斉` or `新しい`.
const MAIL_VERBS: &[&str] = &[
    "送付",
    "発送",
    "郵送",
    "お送り",
    "送りします",
    "お届け",
    "届けします",
    "届きます",
    "届く",
    "配達します",
    // The weak ones last ([`WEAK_MAIL_VERBS`]): issuing, which a mailing is only when the
    // sentence says what is new (`新しい資格確認書を交付します`, `一斉に発行します`).
    "交付",
    "発行",
];
/// How many of [`MAIL_VERBS`], at its end, issue rather than mail.
const WEAK_MAIL_VERBS: usize = 2;
/// A mailing done before, named to identify a card (`…に交付された保険証`).
const PAST_MAILING: &[&str] = &[
    "交付された",
    "交付済み",
    "送付された",
    "送付済み",
    "発送された",
    "郵送された",
];
/// Method words → the method recorded.
const METHODS: &[(&str, &str)] = &[
    ("特定記録", "特定記録郵便"),
    ("簡易書留", "簡易書留"),
    ("普通郵便", "普通郵便"),
    ("書留", "書留"),
];
// `被保険者証` does not contain `保険証` (被保険**者**証): older pages name only it.
const TOPIC: &[&str] = &["資格確認書", "保険証", "被保険者証", "資格情報"];
/// Lines that are page furniture, not a heading.
const FURNITURE: &[&str] = &[
    "本文",
    "ページの先頭",
    "メニューを飛ばして",
    "現在地",
    "印刷",
    "更新日",
    "掲載日",
    "公開日",
    "ページID",
    "記事ID",
    "ID:",
    "JavaScript",
    "文字サイズ",
    "共通メニュー",
    "ここから",
    "このページ",
    "トップページ",
    "ホーム",
    "お問い合わせ",
    "担当課から探す",
    "背景色",
];

impl Declared for MunicipalNotice {
    /// The `page` family's options: this family reads the same page.
    type Options = crate::families::page::Options;
    const NAME: &'static str = "municipal_notice";
    const EXPECT: (usize, &'static str) = (1, "notices");

    fn check(options: &Self::Options) -> Result<(), ExtractError> {
        options.check()
    }

    fn read(&self, input: &Input<'_>, opts: &Self::Options) -> Result<Extraction, ExtractError> {
        let page = common::html_page(input)?;
        let mut notice = notice_of(&page, input, opts.area.as_deref())?;
        let (figures, warnings) = apply_rules(&mut notice, input)?;
        Ok(Extraction {
            rows: Rows {
                notices: vec![notice],
                figures,
                ..Rows::default()
            },
            links: links_of(&page),
            warnings,
        })
    }

    fn read_text(
        &self,
        text: &str,
        input: &Input<'_>,
        opts: &Self::Options,
    ) -> Option<Result<Extraction, ExtractError>> {
        Some((|| {
            let (area_code, area_name) =
                match opts.area.as_deref().map(mynawatch_ja::area::lookup_full) {
                    Some(Some(a)) => (a.code.to_string(), a.full_name()),
                    Some(None) => return Err(ExtractError::Options("unknown area".into())),
                    None => (String::new(), String::new()),
                };
            let (updated_on, published_on) = crate::html::page_dates(text);
            let mut notice = Notice {
                area_code,
                area_name,
                title: title_of(text),
                updated_on,
                published_on,
                text_sha256: common::text_hash(text),
                text: text.to_string(),
                provenance: Some(
                    input
                        .meta
                        .provenance(format!("lines:1-{}", text.lines().count()), ""),
                ),
                ..Notice::default()
            };
            let (figures, warnings) = apply_rules(&mut notice, input)?;
            Ok(Extraction {
                rows: Rows {
                    notices: vec![notice],
                    figures,
                    ..Rows::default()
                },
                warnings,
                ..Extraction::default()
            })
        })())
    }
}

/// Fill the notice's facts from its text; return the figures it states and warnings.
fn apply_rules(
    n: &mut Notice,
    input: &Input<'_>,
) -> Result<(Vec<Figure>, Vec<String>), ExtractError> {
    let normal = mynawatch_ja::normalize(&n.text);
    let text = clean(&crate::text::with_arrow_lines_joined(
        &crate::text::plain_from_easy_japanese(&crate::text::without_examples(
            &crate::text::without_related_links(&normal),
        )),
    ));
    if !TOPIC.iter().any(|t| text.contains(t)) {
        return Err(ExtractError::Layout(format!(
            "{}: the page no longer mentions 資格確認書, 保険証 or 資格情報 (title {:?}); layout changed or wrong page",
            input.meta.url, n.title
        )));
    }
    let mut warnings = Vec::new();
    let sents = sentences(&text);
    let year = notice_year(n, &sents, &input.meta.url);
    let subjects = subjects(&sents);

    // A first line that is a whole paragraph is no heading to take the scheme from.
    let title_scheme = if n.title.chars().count() <= 50 {
        scheme_of(&n.title)
    } else {
        String::new()
    };
    n.scheme = if title_scheme.is_empty() {
        page_scheme(&sents, &text)
    } else {
        title_scheme
    };
    let shape = structure::lines(&text);
    // The rule in force is judged at the page's date, else at its cycle's (an undated page
    // about cards used from 令和8年8月 is read under the 2026 rules).
    let judged_on = n
        .updated_on
        .or(n.published_on)
        .or_else(|| issue_in_url(&input.meta.url))
        .or_else(|| year.and_then(|y| NaiveDate::from_ymd_opt(y, 8, 1)));
    // Facts under labels and headings (`対象者: …`, `送付時期: 7月中旬`) join those read from
    // sentences; where the two disagree the field stays empty.
    let mut labelled = labelled_facts(&shape, year);
    let (policy, evidence, by_scheme) = policy(
        &with_group_headings(&shape),
        &n.scheme,
        judged_on,
        &labelled.recipients,
        &status_table(&shape),
    );
    n.issuance_policy = policy.to_string();
    // Evidence is the page's own sentence, without the heading it was read under.
    n.policy_evidence = evidence
        .split(" / ")
        .map(own_words)
        .collect::<Vec<_>>()
        .join(" / ");
    if !by_scheme.is_empty() {
        n.scheme = "kokuho+koki".into();
    }
    n.policy_by_scheme = by_scheme;

    // On a page about the 資格確認書, its dates are not long before the first were issued:
    // an earlier one is another card's or another event's (`平成20年4月1日が資格取得年月日`,
    // a 保険証 renewed in August 2024 on a page that announces the 資格確認書).
    let first_cards = text
        .contains("資格確認書")
        .then_some(crate::reform::FIRST_CARDS);
    let mut trail = std::mem::take(&mut labelled.seen);
    let mut from = valid_from(&sents, &subjects, year, judged_on, &mut trail);
    from.extend(&labelled.from);
    let from = not_before("valid_from", from, first_cards, &mut warnings);
    n.valid_from = agreed(from, "valid_from", &mut warnings);

    let (start, end) = mailing(
        &sents,
        &subjects,
        (year, judged_on),
        n.valid_from,
        &mut warnings,
        &mut trail,
    );
    let (start, end) = with_labelled_mailing((start, end), &labelled, &mut warnings);
    // (Cards for 2024-12-02 went out in the November before.)
    let mail_floor = first_cards.map(|d| d - chrono::Days::new(31));
    n.mailing_start = not_before(
        "mailing_start",
        Vec::from_iter(start),
        mail_floor,
        &mut warnings,
    )
    .pop();
    n.mailing_end = not_before(
        "mailing_end",
        Vec::from_iter(end),
        mail_floor,
        &mut warnings,
    )
    .pop();
    let method = method(&sents, &subjects, &mut warnings);
    n.mailing_method = with_labelled_method(method, &labelled, &mut warnings);

    let mut replaced = Vec::new();
    let mut until = valid_until(&sents, &subjects, year, &mut replaced, &mut trail);
    until.extend(&labelled.until);
    let mut until = not_before("valid_until", until, first_cards, &mut warnings);
    // A card runs for months (a year, as a rule): an "expiry" within 90 days of the mailing
    // is the card being replaced (`有効期限は7月31日(木)` on a page mailing in July).
    let floor = n
        .mailing_end
        .or(n.mailing_start)
        .map(|d| d + chrono::Days::new(90));
    if let Some(floor) = floor {
        let (keep, old): (Vec<NaiveDate>, Vec<NaiveDate>) =
            until.into_iter().partition(|d| *d > floor);
        if !old.is_empty() {
            warnings.push(format!(
                "valid_until: {old:?} is within 90 days of the new card's mailing; read as the replaced card's"
            ));
        }
        until = keep;
    }
    // A card of this cycle does not end before the cycle's year (`平成20年4月1日が資格取得
    // 年月日` under a 有効期限 heading is another date).
    let cycle_floor = year.and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1));
    n.valid_until = agreed(until, "valid_until", &mut warnings)
        .or_else(|| valid_until_below_heading(&text, year, n.title.contains("資格確認書")))
        .or_else(|| valid_until_of_period(&sents, &subjects, year, n.valid_from))
        .filter(|d| {
            floor.is_none_or(|f| *d > f)
                && cycle_floor.is_none_or(|f| *d >= f)
                && first_cards.is_none_or(|f| *d >= f)
        });
    // A card that ends before it starts: one of the two belongs to another card or rule,
    // and nothing says which.
    if let (Some(from), Some(until)) = (n.valid_from, n.valid_until) {
        if until <= from {
            warnings.push(format!(
                "validity: from {from} is not before until {until}; both left empty"
            ));
            n.valid_from = None;
            n.valid_until = None;
        }
    }
    if n.valid_until.is_none() && !replaced.is_empty() {
        warnings.push(format!(
            "valid_until: only the replaced card's expiry or the end of paper cards is stated ({replaced:?}); left empty"
        ));
    }
    if year.is_none() && has_yearless_date(&text) {
        warnings
            .push("dates without a year and no page date or cycle year: left empty".to_string());
    }
    n.evidence = field_evidence(n, &sents, &shape, year, &warnings, &trail);
    Ok((figures(&sents, n, input), warnings))
}

/// The candidates of `field` on or after `floor`; those before it are named in a warning.
fn not_before(
    field: &str,
    dates: Vec<NaiveDate>,
    floor: Option<NaiveDate>,
    warnings: &mut Vec<String>,
) -> Vec<NaiveDate> {
    let Some(floor) = floor else { return dates };
    let (keep, early): (Vec<NaiveDate>, Vec<NaiveDate>) =
        dates.into_iter().partition(|d| *d >= floor);
    if !early.is_empty() {
        warnings.push(format!(
            "{field}: {early:?} is before the first 資格確認書 ({floor}); read as another card's or event's"
        ));
    }
    keep
}

/// Words that tie a line to a field's role, for finding the line that stated a value.
const ROLE_WORDS: &[(&str, &[&str])] = &[
    (
        "mailing_start",
        &["送付", "発送", "郵送", "送り", "届", "交付予定", "交付時期"],
    ),
    (
        "mailing_end",
        &["送付", "発送", "郵送", "送り", "届", "交付予定", "交付時期"],
    ),
    ("valid_from", &["有効", "使用", "利用", "使え"]),
    ("valid_until", &["有効", "期限"]),
];

/// The evidence of each field the reader filled (the label or sentence stating it, see
/// [`crate::evidence`]) or left empty with a warning.
fn field_evidence(
    n: &Notice,
    sents: &[String],
    shape: &[structure::Line],
    year: Option<i32>,
    warnings: &[String],
    trail: &Trail,
) -> String {
    let mut ev = crate::evidence::Evidence::default();
    if let Some(quote) = n
        .policy_evidence
        .split(" / ")
        .next()
        .filter(|q| !q.is_empty())
    {
        let others: Vec<String> = n
            .policy_evidence
            .split(" / ")
            .skip(1)
            .map(str::to_string)
            .collect();
        ev.stated("issuance_policy", quote, &n.text, "sentence", &others);
    }
    let dated = [
        ("mailing_start", n.mailing_start),
        ("mailing_end", n.mailing_end),
        ("valid_from", n.valid_from),
        ("valid_until", n.valid_until),
    ];
    for (field, value) in dated {
        let Some(v) = value else { continue };
        if let Some((quote, how)) = trail.source(field, v) {
            ev.stated(field, quote, &n.text, how, &trail.others(field, v));
            continue;
        }
        // Read another way (a table under a heading, a period's end): the line that
        // states the value in its role.
        let words = ROLE_WORDS
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[][..], |(_, w)| *w);
        let states = |s: &str| {
            dates_in(s, year).iter().any(|d| {
                if field.ends_with("_start") || field == "valid_from" {
                    d.start == v
                } else {
                    d.end == v || d.start == v
                }
            })
        };
        let about = |s: &str| words.iter().any(|w| s.contains(w));
        let labelled = shape.iter().find(|l| {
            matches!(l.shape, Shape::KeyValue | Shape::Row)
                && (about(&l.label) || about(&l.heading))
                && states(&l.value)
        });
        if let Some(l) = labelled {
            ev.stated(field, &l.text, &n.text, "label", &[]);
        } else if let Some(s) = sents
            .iter()
            .find(|s| about(s) && states(s))
            .or_else(|| sents.iter().find(|s| states(s)))
        {
            ev.stated(field, s, &n.text, "sentence", &[]);
        }
    }
    if !n.mailing_method.is_empty() {
        let m = n.mailing_method.as_str();
        let how = |l: &structure::Line| {
            if matches!(l.shape, Shape::KeyValue | Shape::Row) {
                "label"
            } else {
                "sentence"
            }
        };
        if let Some(l) = shape.iter().find(|l| l.text.contains(m)) {
            let quote = sents
                .iter()
                .find(|s| l.text.contains(s.as_str()) && s.contains(m))
                .map_or(l.text.as_str(), String::as_str);
            ev.stated("mailing_method", quote, &n.text, how(l), &[]);
        }
    }
    for w in warnings {
        let Some((topic, _)) = w.split_once(':') else {
            continue;
        };
        let fields: &[&str] = match topic {
            "mailing" => &["mailing_start", "mailing_end"],
            "validity" => &["valid_from", "valid_until"],
            "method" => &["mailing_method"],
            "valid_from" => &["valid_from"],
            "valid_until" => &["valid_until"],
            _ => &[],
        };
        for f in fields {
            let empty = mynawatch_model::review::notice_field(n, f).is_none_or(|v| v.is_empty());
            if empty {
                ev.abstained(f, w);
            }
        }
    }
    ev.to_json()
}

/// NFKC-normalized text with the spaces some CMSs put inside dates removed
/// (`令和7 年7 月31 日`) and quote brackets kept.
fn clean(text: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(\d)[ \u{3000}]+([年月日])|([年月])[ \u{3000}]+(\d)").expect("space regex")
    });
    let mut s = text.to_string();
    loop {
        let next = re.replace_all(&s, "$1$2$3$4").into_owned();
        if next == s {
            return canonical_names(&plain_humble(&from_as_kara(&month_day_slashes(&s))));
        }
        s = next;
    }
}

/// The documents under the names the readings use: `国保証` is the 国民健康保険証, and
/// `資格確認証` (as some pages write it) the 資格確認書.
fn canonical_names(s: &str) -> String {
    s.replace("国保証", "国民健康保険証")
        .replace("資格確認証", "資格確認書")
}

/// The humble `交付させていただきます` as the polite `交付いたします` (and `…させていただく`
/// as `…する`), the forms the readings take.
fn plain_humble(s: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re =
        RE.get_or_init(|| Regex::new(r"させて(?:いただ|頂)(?:きます|く)").expect("humble regex"));
    re.replace_all(s, |c: &regex::Captures<'_>| {
        if c[0].ends_with("ます") {
            "いたします"
        } else {
            "する"
        }
    })
    .into_owned()
}

/// `8月1日より` (from) as `8月1日から`, the form the readings take; not a comparison
/// (`7月31日より前`, `より早く`, `より後`).
fn from_as_kara(s: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"([日旬月末頃]|ごろ|ころ)より(前|早|後|遅|以前|以後|以降)?")
            .expect("yori regex")
    });
    re.replace_all(s, |c: &regex::Captures<'_>| match c.get(2) {
        Some(_) => c[0].to_string(),
        None => format!("{}から", &c[1]),
    })
    .into_owned()
}

/// A year-less `8/1` or `7/31` before a word of time (`8/1から有効`, `7/31まで`) written as
/// `8月1日`, so it reads as the dates it is; `2025/8/1` and fractions stay as they are.
fn month_day_slashes(s: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        // A weekday may stand between (`7/14(月)~7/18(金)`); a day that ends the sentence
        // needs one (`発送予定日は7/18(金)です`), so a fraction (`1/3です`) stays as it is.
        Regex::new(r"(^|[^0-9/.])(1[0-2]|0?[1-9])/(3[01]|[12][0-9]|0?[1-9])(\([月火水木金土日]\)(?:です|。|$)|(?:\([月火水木金土日]\))?(?:から|まで|以降|より|に|頃|ごろ|~|〜))")
            .expect("month/day regex")
    });
    // (Twice: a range's end follows the start's word, `7/14~7/18`, which the first pass took.)
    let once = re.replace_all(s, "${1}${2}月${3}日${4}");
    re.replace_all(&once, "${1}${2}月${3}日${4}").into_owned()
}

/// The year a date written without one belongs to: the page's date, else the year of
/// the cycle (the first explicit date the new document is used from), else the
/// earliest explicit date that is not the end of paper cards (令和6年12月2日). `None`
/// when the text has no year at all: year-less dates then stay empty.
fn notice_year(n: &Notice, sents: &[String], url: &str) -> Option<i32> {
    if let Some(d) = n
        .updated_on
        .or(n.published_on)
        .or_else(|| issue_in_url(url))
    {
        return Some(d.year());
    }
    // Every sentence's explicit dates, found once.
    let dated: Vec<(&str, Vec<DateFound>)> = sents
        .iter()
        .map(|s| (s.as_str(), mynawatch_ja::find_dates(s)))
        .collect();
    // The page's own date written without a label: a line that is only a full date near
    // the top (`2025年6月17日`), or a 広報 issue (`広報しまんと 令和7年7月号`).
    for (s, found) in dated.iter().take(20) {
        let [d] = found.as_slice() else { continue };
        // (A day: a range alone on its line, `令和6年12月2日~令和7年7月31日`, heads a period.)
        if d.kind != DateKind::Date || !d.writes_year() {
            continue;
        }
        let rest = s[d.span.end.min(s.len())..].trim();
        let alone = s[..d.span.start.min(s.len())].trim().is_empty()
            && (rest.is_empty() || rest == "更新" || rest == "掲載" || rest == "公開");
        if alone || rest.starts_with("号") {
            return Some(d.start.year());
        }
    }
    let all = || {
        dated
            .iter()
            .flat_map(|(s, ds)| ds.iter().map(move |d| (*s, d)))
    };
    let explicit: Vec<(&str, &DateFound)> = all()
        .filter(|(s, d)| {
            d.kind != DateKind::FiscalYear
                && !paper_end(d.start)
                && d.writes_month()
                // A year the finder carried over from another date (`令和6年12月2日から…、
                // 7月中旬に`) is that date's, not one the page writes for this one.
                && d.writes_year()
                // The replaced card's end (`現在お持ちの…有効期限は、令和7年7月31日`) is this
                // cycle's year; the new card's is not.
                && (old_card(s) || !validity_end(s, d))
                // `令和8年8月1日以降は…交付されなくなります`: a rule to come, not this cycle.
                && !later_regime(s, d)
                && !ends_a_rule(s, d)
        })
        .collect();
    // The new card's labelled expiry: the cycle began at most a year before it, so an
    // earlier date (`令和4年10月から2割負担`) is another rule's, not the cycle's.
    let new_card_end = all()
        .filter(|(s, d)| !old_card(s) && validity_end(s, d))
        .map(|(_, d)| d.end.year())
        .min();
    // Only a page that states the provisional rule names a later regime.
    let provisional = sents.iter().any(|s| s.contains("暫定"));
    let first_use = explicit
        .iter()
        // A later regime (`令和8年8月以降は…`) is not the cycle the page is about.
        .find(|(s, d)| starts_use(s, d) && !(provisional && next_regime_at(s).is_some()))
        .map(|(s, d)| yearless_start_of(s, d).unwrap_or(d.start.year()));
    first_use
        .or_else(|| {
            let earliest = explicit
                .iter()
                .map(|(s, d)| yearless_start_of(s, d).unwrap_or(d.start.year()))
                .min()?;
            Some(match new_card_end {
                Some(end) if earliest < end - 1 => end - 1,
                _ => earliest,
            })
        })
        // `令和7年度の資格確認書は、7月に…`: the 年度 names the cycle.
        .or_else(|| {
            all()
                .find(|(_, d)| d.kind == DateKind::FiscalYear)
                .map(|(_, d)| d.start.year())
        })
        // `資格確認書の有効期限は、令和8年7月31日までです` and no other year: the card that
        // expires then is the one this cycle mails, a year before.
        .or_else(|| new_card_end.map(|end| end - 1))
        // `後期高齢者医療被保険者証の有効期限は7月31日`: the paper card's last renewal.
        .or_else(|| {
            crate::reform::koki_paper_card_year(
                sents.iter().map(String::as_str),
                n.title.contains("後期"),
            )
        })
        // Weekdays of the 資格確認書's years (2024–2028, five years: no day repeats its weekday).
        .or_else(|| mynawatch_ja::weekday_year(sents.iter().map(String::as_str), 2024))
}

/// The year of a range's start written without one, from the end that carries it:
/// `8月から令和8年7月までの1年間` starts in 2025 (a start after its end in the same year
/// belongs to the year before).
fn yearless_start_of(s: &str, d: &DateFound) -> Option<i32> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:^|[^\d年])(\d{1,2})月(?:\d{1,2}日)?(?:\([^)]{1,4}\))?(?:から|~|～)$")
            .expect("range start regex")
    });
    let head = crate::text::chars_before(s, d.span.start.min(s.len()), 16);
    let month: u32 = re.captures(head)?[1].parse().ok()?;
    let end = (d.start.month(), d.start.year());
    Some(if month > end.0 { end.1 - 1 } else { end.1 })
}

/// `令和8年7月31日までの暫定運用`, `令和8年7月末まで延長`: the last day of a rule that spans
/// cycles says when the rule stops, not which cycle the page is about. A range
/// (`令和7年8月1日から令和8年7月31日まで`) still dates its start.
fn ends_a_rule(s: &str, d: &DateFound) -> bool {
    let Some(tail) = after(s, d).strip_prefix("まで") else {
        return false;
    };
    // The noun the end belongs to follows at once: `までの暫定的な運用`, `までの間の措置`.
    let near: String = tail.chars().take(8).collect();
    !is_range(d)
        && ["暫定", "運用", "措置", "延長", "特例", "当分", "当面"]
            .iter()
            .any(|k| near.contains(k))
}

/// A date that opens a rule still to come: `…以降は`/`…からは` in a sentence that says
/// what will change (`交付されなくなります`, `変わります`, `予定です`).
fn later_regime(s: &str, d: &DateFound) -> bool {
    let rest = after(s, d);
    (rest.starts_with("以降は") || rest.starts_with("からは"))
        && ["なくな", "変わ", "変更", "予定"]
            .iter()
            .any(|k| s.contains(k))
}

/// A 広報 issue named in the page's address (`…/広報やすぎ-令和6年8月号/…`,
/// `…/広報いしい-第270号（2024年12月）/…`): the first day of that issue's month.
fn issue_in_url(url: &str) -> Option<NaiveDate> {
    let path = url::Url::parse(url).ok()?.path().to_string();
    let decoded = percent_encoding::percent_decode_str(&path)
        .decode_utf8()
        .ok()?;
    let decoded = mynawatch_ja::normalize(&decoded);
    decoded
        .split('/')
        .filter(|seg| seg.contains("広報") || seg.contains("号"))
        .find_map(|seg| {
            mynawatch_ja::find_dates(seg).into_iter().find_map(|d| {
                let rest = &seg[d.span.end..];
                let issue = rest.starts_with('号')
                    || (rest.starts_with(')') && seg.contains("号"))
                    || seg[..d.span.start].ends_with("広報");
                (issue && d.writes_year() && d.writes_month())
                    .then(|| d.start.with_day(1))
                    .flatten()
            })
        })
}

/// `有効期限:令和8年7月31日`, `令和8年7月31日有効期限分`: a card's last day under a
/// 有効期限 label, a year (or several) after the cycle it belongs to, so it never gives a
/// year-less date its year. (`令和7年7月31日まで使えます`, the old card's end, still does.)
fn validity_end(s: &str, d: &DateFound) -> bool {
    // `令和7年8月1日から令和8年7月31日まで有効な`: the range starts the cycle.
    if is_range(d) {
        return false;
    }
    let rest = after(s, d);
    // `令和8年7月31日まで有効の「資格確認書」`.
    used_until(rest)
        || rest.starts_with("有効期限")
        || s[..d.span.start.min(s.len())]
            .trim_end_matches([':', ' ', '\u{3000}', '|', '、', ',', 'は'])
            .ends_with("有効期限")
}

/// What follows a date says a document is used until then (`…まで使えます`, `まで有効な`),
/// not a deadline (`までに`) nor a word in a note.
fn used_until(rest: &str) -> bool {
    rest.starts_with("まで")
        && !rest.starts_with("までに")
        && ["使", "有効", "利用"]
            .iter()
            .any(|k| strip_brackets(clause(rest)).contains(k))
}

/// A stated range that is a document's validity: in a clause about one (`有効期間は…`), or
/// followed by its use (`令和7年8月1日から令和8年7月31日まで有効な資格確認書`).
fn validity_range(s: &str, d: &DateFound) -> bool {
    is_range(d) && (validity_topic(s, d) || used_until(after(s, d)) || names_the_cards_term(s, d))
}

/// A range that is the card's own term: in brackets right after the card's name
/// (`後期高齢者の資格確認書(令和7年8月から令和8年7月まで)`), or a topic the clause gives the
/// card (`令和7年8月1日から令和8年7月31日までは橙色の資格確認書となります`).
fn names_the_cards_term(s: &str, d: &DateFound) -> bool {
    let head = s[..d.span.start.min(s.len())].trim_end();
    let rest = after(s, d);
    let bracketed = head.strip_suffix('(').is_some_and(|h| {
        h.trim_end()
            .trim_end_matches(['」', '』'])
            .ends_with("資格確認書")
    }) && rest.trim_start_matches("まで").starts_with(')');
    // The topic's predicate may follow a comma (`…までは、橙色の資格確認書となります`).
    let sentence = &rest[..rest.find('。').unwrap_or(rest.len())];
    let topic = rest.starts_with("までは")
        && sentence.contains("資格確認書")
        && ["となります", "となる", "を使用", "をお使い", "を使"]
            .iter()
            .any(|k| sentence.contains(k));
    bracketed || topic
}

/// The date stands in a clause about a validity (`有効期間は…`, `有効期限:…`, `有効期限は、…`):
/// the words right before it, within its clause, name one.
fn validity_topic(s: &str, d: &DateFound) -> bool {
    let head = crate::text::chars_before(s, d.span.start.min(s.len()), 16);
    // A comma right before the date closes no clause (`有効期限は、令和7年…`).
    let head = head.trim_end_matches(['、', ' ', '\u{3000}']);
    let clause_start = head.rfind(['。', '、']).map_or(0, |i| i + '、'.len_utf8());
    let head = &head[clause_start.min(head.len())..];
    ["有効期間", "有効期限", "使用期間", "有効な期間"]
        .iter()
        .any(|k| head.contains(k))
}

/// The words after a date make it the 保険証's (`令和5年10月1日からの保険証`, `令和7年7月31日
/// 有効期限の被保険者証`): a date of the card being replaced, not of the new one.
fn qualifies_old_card(rest: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = RE.get_or_init(|| {
        Regex::new(r"^(?:から|まで)?(?:有効期限|有効|使用)?の(?:健康保険|後期高齢者医療)?(?:被保険者証|保険証)")
            .expect("old card regex")
    });
    // (`令和7年8月1日から有効の保険証(資格確認書)`: the new card, called a 保険証.)
    // (Nor `…からの保険証に代わる資格確認書`: the card that replaces it.)
    r.find(rest).is_some_and(|m| {
        let after = &rest[m.end()..];
        !after
            .trim_start_matches(['(', '「'])
            .starts_with("資格確認")
            && !["に代わ", "に替わ"].iter().any(|k| after.starts_with(k))
    })
}

/// `令和7年8月1日から令和8年7月31日`, `…~…`: one date found for a stated range.
fn is_range(d: &DateFound) -> bool {
    ["から", "~", "～", "〜"].iter().any(|k| d.text.contains(k))
}

/// A month written without its year in a sentence about a 年度: January to March belong
/// to the next calendar year (`令和7年度…2月上旬` is February 2026; a 2月末 stays the
/// month's last day in a leap year).
fn in_fiscal_year(d: &mut DateFound, fiscal: Option<i32>) {
    let Some(fy) = fiscal else { return };
    if d.writes_year() || d.start.month() >= 4 || d.start.year() != fy {
        return;
    }
    let next = |x: NaiveDate| x.checked_add_months(chrono::Months::new(12)).unwrap_or(x);
    let month_end = |x: NaiveDate| mynawatch_ja::month_end(x.year(), x.month());
    let end = if month_end(d.end) == Some(d.end) {
        month_end(next(d.end.with_day(1).unwrap_or(d.end))).unwrap_or(next(d.end))
    } else {
        next(d.end)
    };
    d.start = next(d.start);
    d.end = end;
}

/// 令和6年12月1日/2日: the end of paper card issuance, never a notice's own date.
fn paper_end(d: NaiveDate) -> bool {
    d.year() == 2024 && d.month() == 12 && d.day() <= 2
}

fn has_yearless_date(text: &str) -> bool {
    !bare_months(text, 2000).is_empty()
        || mynawatch_ja::find_dates_with_year(text, 2000)
            .iter()
            .any(|d| !d.writes_year())
}

/// What a sentence is about, for sentences that name no document (`これらの書類は…`,
/// `郵送方法 普通郵便`): the last document named before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    /// 資格確認書 (or, on older pages, the 保険証 itself).
    Card,
    /// Only the 資格情報のお知らせ.
    Notice,
    /// Another document (納税通知書, 認定証…) or nothing yet.
    Other,
}

/// The document a sentence names, judged on its main clause (a note in brackets, such
/// as `(資格確認書を含む場合は簡易書留)`, only counts when the clause names nothing).
/// `マイナ保険証` is the card being registered, not a document sent; `書類` alone names
/// no document.
fn own_subject(s: &str) -> Option<Subject> {
    let main = strip_brackets(s);
    // A note about the お知らせ (`(お知らせには有効期限がありません)`) does not make the
    // sentence about it.
    own_subject_of(&main).or_else(|| own_subject_of(s).filter(|x| *x == Subject::Card))
}

fn own_subject_of(s: &str) -> Option<Subject> {
    let mut t = s.to_string();
    for k in NOT_A_DOCUMENT {
        t = t.replace(k, "");
    }
    let s = t.as_str();
    if OTHER_DOCS.iter().any(|k| s.contains(k)) && !s.contains("資格確認書") {
        return Some(Subject::Other);
    }
    // The マイナンバーカード's own term (`マイナンバーカードの有効期限は…`, `電子証明書の有効
    // 期限は…`): no document this family reads. (A group named by it, `電子証明書が期限切れ
    // の方`, is no such sentence.)
    let own_term = ["マイナンバーカードの有効期限", "電子証明書の有効期限"]
        .iter()
        .any(|k| s.contains(k));
    if own_term && !s.contains("資格確認書") {
        return Some(Subject::Other);
    }
    if CARD.iter().any(|k| s.contains(k)) {
        return Some(Subject::Card);
    }
    if s.contains("資格情報のお知らせ") || s.contains("資格情報通知書") {
        return Some(Subject::Notice);
    }
    None
}

/// `s` names the 保険証 (被保険者証), not the 資格確認書 (`マイナ保険証` is no card).
fn names_paper_card_only(s: &str) -> bool {
    let mut t = s.to_string();
    for k in NOT_A_DOCUMENT {
        t = t.replace(k, "");
    }
    (t.contains("保険証") || t.contains("被保険者証")) && !t.contains("資格確認書")
}

/// On a page about the 資格確認書, a sentence sending only the 保険証 (`新しい保険証は7月中に
/// 送付します` in a 2024 issue) is another document's mailing, unless it names the day the
/// card it sends is first used.
fn paper_card_mailing(s: &str, reform: bool) -> bool {
    reform
        && names_paper_card_only(s)
        // `保険証の発行ができなくなりましたので、次のものを…郵送します`: not sending it.
        && !["なくな", "廃止", "終了", "できません"].iter().any(|k| s.contains(k))
        && !mynawatch_ja::find_dates(s).iter().any(|d| starts_use(s, d))
}

/// Per sentence: it is about the 保険証 being replaced, because it names only that card
/// or names no document and follows one that does (`「被保険者証」がお手元にある方` /
/// `有効期限(令和7年7月31日)までご利用できます`). Wrongly skipping a date leaves a field
/// empty; wrongly keeping one stores the old card's expiry.
fn paper_context(sents: &[String]) -> Vec<bool> {
    let mut cur = false;
    sents
        .iter()
        .map(|s| {
            // A new card being sent (`8月1日から使用できる被保険者証を郵送`) is no old one.
            let new_card = s.contains("新しい")
                || mynawatch_ja::find_dates(s).iter().any(|d| starts_use(s, d));
            if names_paper_card_only(s) && !new_card {
                cur = true;
            } else if own_subject(s).is_some() {
                cur = false;
            }
            cur
        })
        .collect()
}

/// `s` without bracketed notes (`(…)`, `[…]`); an unclosed bracket runs to the end.
fn strip_brackets(s: &str) -> String {
    crate::text::outside(s, &['(', '['], &[')', ']'])
}

fn subjects(sents: &[String]) -> Vec<Subject> {
    let mut cur = Subject::Other;
    sents
        .iter()
        .map(|s| {
            if let Some(own) = own_subject(s) {
                cur = own;
            }
            cur
        })
        .collect()
}

/// A note set apart by its mark (`※マイナ保険証がある方にはお知らせが届きます`).
fn is_note(s: &str) -> bool {
    s.trim_start().starts_with(['※', '*'])
}

/// A sentence about something else than this cycle's documents: the 75th-birthday
/// mailing, every year's routine, a reply or a missing delivery, a plan called off.
fn other_event(s: &str) -> bool {
    OTHER_EVENT.iter().any(|k| s.contains(k))
}

fn old_card(s: &str) -> bool {
    OLD_CARD.iter().any(|k| s.contains(k))
}

/// Dates in `s`: explicit ones always; year-less ones only when the notice's year is
/// known. `翌年` moves a year-less date to the next year.
fn dates_in(s: &str, year: Option<i32>) -> Vec<DateFound> {
    let mut out: Vec<DateFound> = match year.or_else(|| fiscal_year_of(s)) {
        Some(y) => mynawatch_ja::find_dates_with_year(s, y),
        None => mynawatch_ja::find_dates(s),
    };
    // A year alone (`令和6年中の所得`, `令和7年の一斉更新`) is no date of this notice, nor is
    // the page's own date under its label (`登録日:2024年12月2日`, `更新日 …`).
    out.retain(|d| {
        let label =
            crate::text::chars_before(s, d.span.start, 8).trim_end_matches([':', ' ', '】', ']']);
        // (A day or a range written with numbers is one too: `R7.9.19`, `2025/9/19~2026/7/31`.)
        d.kind != DateKind::FiscalYear
            && (d.writes_month() || d.kind == DateKind::Date)
            && !crate::text::PAGE_DATE_LABELS
                .iter()
                .any(|k| label.ends_with(k))
    });
    // Without a year of its own, the finder lends a date the year of the one before it in
    // the sentence; lent by the end of paper cards (`令和6年12月2日から…、7月中旬に郵送`) it
    // is that event's year, not the cycle's.
    if year.is_none() && out.iter().any(|d| paper_end(d.start) && d.writes_year()) {
        out.retain(|d| d.writes_year());
    }
    // `有効期限は原則、8月から翌7月末の1年間です`: a rule for every year, dated by none.
    if out
        .iter()
        .any(|d| !d.writes_year() && s[..d.span.start].ends_with('翌'))
    {
        return Vec::new();
    }
    for d in &mut out {
        let before = &s[..d.span.start];
        if (before.ends_with("翌年") || before.ends_with("翌年の")) && !d.writes_year() {
            let next = |x: NaiveDate| x.checked_add_months(chrono::Months::new(12)).unwrap_or(x);
            d.start = next(d.start);
            d.end = next(d.end);
        }
    }
    if let Some(y) = year.or_else(|| fiscal_year_of(s)) {
        for m in bare_months(s, y) {
            if out
                .iter()
                .any(|d| d.span.start <= m.span.start && m.span.start < d.span.end)
            {
                continue;
            }
            out.push(DateFound {
                kind: DateKind::Period,
                start: m.start,
                end: m.end,
                time: None,
                text: s[m.span.clone()].to_string(),
                span: m.span,
                warning: None,
            });
        }
    }
    let fiscal = mynawatch_ja::find_dates(s)
        .into_iter()
        .find(|d| d.kind == DateKind::FiscalYear)
        .map(|d| d.start.year());
    for d in &mut out {
        in_fiscal_year(d, fiscal);
    }
    out.sort_by_key(|d| d.span.start);
    // The finder lends a year-less date the year of the date before it. The end of a
    // period in another clause (`令和8年7月までの1年間に使う資格確認書を、7月中旬に…`), or
    // the reform's start, is another fact's year; the year-less date is the notice's.
    if let Some(y) = year {
        for i in 1..out.len() {
            let (head, tail) = out.split_at_mut(i);
            let (prev, d) = (&head[i - 1], &mut tail[0]);
            let between = s.get(prev.span.end..d.span.start).unwrap_or("");
            let lent_by_an_end = !is_range(prev) && after(s, prev).starts_with("まで");
            // `令和6年12月2日からの…移行により…、7月中旬ころに郵送します`: lent by the
            // reform's start, an event of its own year.
            let lent_by_the_reform = paper_end(prev.start);
            let own = d.writes_year() || s[..d.span.start].ends_with('翌');
            if (lent_by_an_end || lent_by_the_reform)
                && !own
                && between.contains('、')
                && d.start.year() != y
            {
                let shift = |x: NaiveDate| x.with_year(y).unwrap_or(x);
                if d.start.year() == d.end.year() {
                    d.start = shift(d.start);
                    d.end = shift(d.end);
                }
            }
        }
    }
    crate::text::anchor_range_starts(s, &mut out);
    out
}

fn fiscal_year_of(s: &str) -> Option<i32> {
    mynawatch_ja::find_dates(s)
        .into_iter()
        .find(|d| d.kind == DateKind::FiscalYear)
        .map(|d| d.start.year())
}

/// The text right after a date, past a weekday or note in brackets (`7月10日(木曜日)から`)
/// and a trailing `日` of `末日`.
fn after<'a>(s: &'a str, d: &DateFound) -> &'a str {
    let mut rest = &s[d.span.end.min(s.len())..];
    loop {
        let trimmed = rest.trim_start();
        if let Some(inner) = trimmed.strip_prefix('(') {
            match inner.find(')') {
                Some(close) if close <= 24 => {
                    rest = &inner[close + 1..];
                    continue;
                }
                _ => return trimmed,
            }
        }
        if let Some(r) = trimmed.strip_prefix('日') {
            rest = r;
            continue;
        }
        if let Some(r) = trimmed
            .strip_prefix("頃")
            .or_else(|| trimmed.strip_prefix("ごろ"))
            .or_else(|| trimmed.strip_prefix("ころ"))
        {
            rest = r;
            continue;
        }
        return trimmed;
    }
}

/// The clause after a date, up to the next `、` or `。`.
fn clause(rest: &str) -> &str {
    let end = rest
        .char_indices()
        .find(|(_, c)| *c == '、' || *c == '。')
        .map_or(rest.len(), |(i, _)| i);
    &rest[..end]
}

/// `8月1日から使用する`, `8月1日以降有効な`, `8月1日付けで`, `8月1日以降の新しい`,
/// `8月1日を更新期日とした新しい資格確認書`: the date the new document is first used.
fn starts_use(s: &str, d: &DateFound) -> bool {
    let rest = after(s, d);
    if rest.starts_with("を更新期日") || rest.starts_with("が更新期日") {
        return true;
    }
    let prefix = &s[..d.span.start.min(s.len())];
    // `次回の更新は令和7年8月1日です` (not a page's `更新日:`).
    if prefix.ends_with("の更新は") && !old_card(s) {
        return true;
    }
    let head = prefix.rsplit(['、', '。']).next().unwrap_or("");
    // `資格確認書の使用開始日は令和7年8月1日です`: the first day named as such.
    if starts_use_label(head.trim_end_matches(['は', ':', ' '])) && !old_card(head) {
        return true;
    }
    if !(rest.starts_with("から") || rest.starts_with("以降") || rest.starts_with("付け")) {
        return false;
    }
    // `有効期限は、令和7年12月1日から1年間です`: the validity told from its first day.
    let before = prefix.trim_end_matches(['、', ' ']);
    if ["有効期限は", "有効期間は"]
        .iter()
        .any(|k| before.ends_with(k))
        && rest.starts_with("から")
        // `8月1日から翌年の7月31日まで`: a range, read as one (or a yearly rule).
        && !clause(rest).contains("まで")
        && !rest.contains('翌')
        && !is_range(d)
        && !old_card(before)
    {
        return true;
    }
    // `使用できるのは令和7年8月1日からです`: the use named before the date.
    if head.ends_with("のは")
        && ["使", "有効", "利用"].iter().any(|k| head.contains(k))
        && !NOT_USABLE.iter().any(|k| head.contains(k))
        && !rest.starts_with("以降も")
    {
        return true;
    }
    // `12月2日以降も引き続き使用できます`: the card already in use, not a new one.
    if rest.starts_with("以降も") || rest.starts_with("からも") {
        return false;
    }
    if rest.starts_with("付け") {
        return true;
    }
    // `8月1日からは、…資格確認書を使用してください`, `令和7年8月1日以降は、新しい資格確認書を
    // お使いください`: a topic whose predicate ends the sentence.
    // After `以降は、` only a use with no document given (`…からは、…交付し` is a rule).
    let topic = rest.starts_with("からは、")
        || (rest.starts_with("以降は、")
            && ["お使い", "ご使用", "使用して", "ご利用", "利用して"]
                .iter()
                .any(|k| rest.contains(k))
            && !ISSUING.iter().any(|k| rest.contains(k)));
    let c = if topic {
        rest.split('。').next().unwrap_or(rest)
    } else {
        clause(rest)
    };
    // `8月1日からは使えなくなりました`, `…から有効期限を経過し`: the old card's end.
    if NOT_USABLE.iter().any(|k| c.contains(k)) {
        return false;
    }
    // `7月中旬以降に自宅に郵送される資格確認書を使用`: the date is the mailing's.
    let first_use = ["使", "有効", "利用"]
        .iter()
        .filter_map(|k| c.find(k))
        .min();
    let first_mail = MAIL_VERBS.iter().filter_map(|k| c.find(k)).min();
    if let (Some(m), Some(u)) = (first_mail, first_use) {
        if m < u && !topic {
            return false;
        }
    }
    // `8月1日からの資格確認書`, `8月1日以降の国民健康保険の資格確認書等を郵送します`.
    if (rest.starts_with("からの") || rest.starts_with("以降の"))
        && (c.contains("資格確認書") || c.contains("保険証"))
    {
        return true;
    }
    ["使", "有効", "新し", "利用"].iter().any(|k| c.contains(k))
        && !c.contains("受診")
        && !c.contains("負担割合")
        // `9月からはマイナ保険証をスマートフォンで使用できます`: another card's use.
        && (!c.contains("マイナ") || c.contains("資格確認書"))
}

/// Words after a date that say the card stops being usable: not a first-use date.
const NOT_USABLE: &[&str] = &[
    "なくな",
    "できなく",
    "できません",
    "使えません",
    "経過",
    "失効",
];

/// The sentence to read dates from: `s` itself, or its main clause when only a note in
/// brackets names another event (`有効期限は…まで(ただし…75歳を迎える人は…)`); `None`
/// when the main clause is about another event.
fn about_this_cycle(s: &str) -> Option<std::borrow::Cow<'_, str>> {
    if breadcrumb(s) {
        return None;
    }
    if !other_event(s) {
        return Some(std::borrow::Cow::Borrowed(s));
    }
    let main = strip_brackets(s);
    (!other_event(&main)).then_some(std::borrow::Cow::Owned(main))
}

/// A sentence that is only a time in brackets (`【7月中旬頃】`, `(7月下旬予定)`).
fn bracketed_time(s: &str, year: Option<i32>) -> Option<DateFound> {
    let inner = s
        .trim()
        .strip_prefix(['【', '[', '(', '〔'])?
        .strip_suffix(['】', ']', ')', '〕'])?;
    let [d] = dates_in(inner, year).try_into().ok()?;
    let rest = inner[d.span.end..].trim();
    (inner[..d.span.start].trim().is_empty()
        && ["", "頃", "ごろ", "ころ", "予定", "頃予定", "ごろ予定"].contains(&rest))
    .then_some(d)
}

/// A breadcrumb (`現在地 トップページ > … > 令和7年8月1日以降の資格確認書`): navigation, which
/// names the page's topic but states no date of it.
fn breadcrumb(s: &str) -> bool {
    s.trim_start().starts_with("現在地") || s.matches(" > ").count() >= 2
}

/// The sentences whose subject is the new document, each as [`about_this_cycle`] reads it.
fn card_sentences<'a>(
    sents: &'a [String],
    subj: &'a [Subject],
) -> impl Iterator<Item = std::borrow::Cow<'a, str>> {
    sents
        .iter()
        .zip(subj)
        .filter(|(_, su)| **su == Subject::Card)
        .filter_map(|(s, _)| about_this_cycle(s))
}

fn valid_from(
    sents: &[String],
    subj: &[Subject],
    year: Option<i32>,
    judged_on: Option<NaiveDate>,
    trail: &mut Trail,
) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    // On a page of an earlier year, `令和8年8月以降の資格確認書については…` is the next
    // regime's card, not this cycle's (a 2026 page about the 2026 renewal names its own).
    let before_later = judged_on.is_some_and(|d| d.year() < PROVISIONAL_END.year());
    for s in card_sentences(sents, subj) {
        let s = s.as_ref();
        if before_later && next_regime_at(s).is_some() || yearly_schedule(s) {
            continue;
        }
        for d in dates_in(s, year) {
            if qualifies_old_card(after(s, &d)) {
                continue;
            }
            let range = validity_range(s, &d) && !old_card(s);
            if (range || starts_use(s, &d)) && !paper_end(d.start) {
                out.push(d.start);
                trail.note("valid_from", d.start, s, "sentence");
            }
        }
    }
    out
}

/// A yearly schedule that dates no one cycle (`8月から翌年7月までの…を7月中旬に発送します`,
/// `毎年8月1日から使えます`), unless it writes a year of its own (`令和7年8月1日から翌年7月31日
/// まで`). The sentence after a 毎年 one is not one: `資格確認書は毎年新しくなります。新しい資格
/// 確認書は7月中旬にお送りします` goes on to this cycle's card.
fn yearly_schedule(s: &str) -> bool {
    !writes_a_year(s) && (["翌年", "毎年"].iter().any(|k| s.contains(k)) || general_rule(s))
}

/// A rule for every year, with no year of its own: dated by the year of an event
/// (`交付の日の属する年の翌年の7月31日`, `その年の7月31日`), or an article of regulations
/// (`第3条 …有効期限は、7月31日とする。`).
fn general_rule(s: &str) -> bool {
    !writes_a_year(s)
        && (["その年", "属する年"].iter().any(|k| s.contains(k)) || regulation_article(s))
}

/// `s` writes a year (`2025年`, `令和7年`), not only the word 年.
fn writes_a_year(s: &str) -> bool {
    static YEAR: OnceLock<Regex> = OnceLock::new();
    YEAR.get_or_init(|| {
        Regex::new(r"(?:[0-9]{4}|令和\s*(?:[0-9]{1,2}|元)|平成\s*[0-9]{1,2})\s*年")
            .expect("year regex")
    })
    .is_match(s)
}

/// An article of regulations (`第3条 …とする。`): a rule for every year.
fn regulation_article(s: &str) -> bool {
    let t = s.trim_start();
    t.strip_prefix('第').is_some_and(|rest| {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with('条')
    })
}

/// `有効期限は令和8年7月31日`, `令和8年7月31日有効期限分`, `令和8年7月31日まで使用できます`:
/// the new document's last day. Sentences about the card being replaced (現在お持ちの…,
/// 有効期限を迎えます) and about the provisional rule's end are skipped.
fn valid_until(
    sents: &[String],
    subj: &[Subject],
    year: Option<i32>,
    skipped: &mut Vec<NaiveDate>,
    trail: &mut Trail,
) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    // On a page about the 資格確認書 (paper cards ended on 2024-12-02), a sentence naming
    // only the 保険証 is about the card being replaced.
    let reform = sents.iter().any(|s| s.contains("資格確認書"));
    let paper = paper_context(sents);
    for (i, s) in sents.iter().enumerate() {
        if subj[i] != Subject::Card || general_rule(s) {
            continue;
        }
        let Some(s) = about_this_cycle(s) else {
            continue;
        };
        let s = s.as_ref();
        let old = old_card(s) || (reform && paper[i]);
        let label_at = s.find("有効期限");
        for d in dates_in(s, year) {
            if paper_end(d.start) {
                continue;
            }
            let rest = after(s, &d);
            if rest.starts_with("より前") || rest.starts_with("より早") || rest.starts_with("時点")
            {
                continue;
            }
            if qualifies_old_card(rest) {
                skipped.push(d.end);
                continue;
            }
            // `保険証の有効期限(令和7年7月31日)までに…送付`: a deadline, not a card's end.
            let past_bracket = rest.trim_start_matches([')', ' ']);
            if past_bracket.starts_with("までに") {
                continue;
            }
            // `有効期限(令和7年7月31日)を迎える前に`, `有効期限(…)の前に新しいものを送付`:
            // the end a card in use is reaching. (`有効期限(…)が到来するまでお使いいただけます`
            // is the card's own end.)
            let reached = ["が到来", "に到達"]
                .iter()
                .any(|k| past_bracket.starts_with(k))
                && !clause(past_bracket).contains("まで");
            if reached
                || [
                    "を迎え",
                    "が切れ",
                    "を過ぎ",
                    "が過ぎ",
                    "を経過",
                    "の前に",
                    "前に",
                ]
                .iter()
                .any(|k| past_bracket.starts_with(k))
            {
                skipped.push(d.end);
                continue;
            }
            // `有効期間は令和7年8月1日から令和8年7月31日まで`: a validity range ends the card.
            if validity_range(s, &d) {
                if !old {
                    out.push(d.end);
                    trail.note("valid_until", d.end, s, "sentence");
                }
                continue;
            }
            // `有効期限:令和7年8月1日から…`: the first day of a range is never its end.
            if !is_range(&d)
                && ["から", "以降", "より", "~", "-"]
                    .iter()
                    .any(|k| rest.starts_with(k))
            {
                continue;
            }
            // `有効期限が7月31日までではありません`: a negation, not the card's end.
            if ["ではありません", "ではない", "でない"]
                .iter()
                .any(|k| clause(rest).contains(k))
            {
                continue;
            }
            // `令和8年7月31日有効期限分`: a label on the date itself.
            if rest.starts_with("有効期限")
                && !rest.starts_with("有効期限を迎")
                && !rest.starts_with("有効期限が切")
            {
                out.push(d.end);
                trail.note("valid_until", d.end, s, "sentence");
                continue;
            }
            if old {
                skipped.push(d.end);
                continue;
            }
            // `令和8年7月までの暫定的な運用として…交付します`: when a rule ends, not the card.
            if ends_a_rule(s, &d) {
                skipped.push(d.end);
                continue;
            }
            let labelled = label_at.is_some_and(|at| at < d.span.start);
            if (labelled && d.kind == DateKind::Date) || used_until(rest) {
                out.push(d.end);
                trail.note("valid_until", d.end, s, "sentence");
            }
        }
    }
    out
}

/// A 有効期限 heading (or table header) without a date: the first date on one of the
/// next lines that names the 資格確認書 (or follows a line that does), e.g. an age-band
/// table `70歳未満 資格確認書 … 令和12年11月30日`.
fn valid_until_below_heading(text: &str, year: Option<i32>, about_card: bool) -> Option<NaiveDate> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    for (i, l) in lines.iter().enumerate() {
        // A heading, not a sentence (`…有効期限が無いため…送付しません。`).
        if !l.contains("有効期限")
            || !dates_in(l, year).is_empty()
            || l.chars().count() > 40
            || l.ends_with('。')
            || ["無い", "ない", "ありません"].iter().any(|k| l.contains(k))
        {
            continue;
        }
        let names_card = |k: usize| lines[k].contains("資格確認書");
        // `資格確認書` / `有効期限` / rows…: a heading naming the card makes the whole table its.
        let table_of_card = names_card(i)
            || (i > 0 && names_card(i - 1) && lines[i - 1].chars().count() <= 40)
            // A bare `有効期限` heading on a page about the 資格確認書, a bare date under it.
            || (about_card
                && l.trim_matches(|c: char| !c.is_alphanumeric()) == "有効期限"
                && lines.get(i + 1).is_some_and(|n| dates_in(n, year).first().is_some_and(|d| d.span.len() + 12 >= n.len())));
        for (j, line) in lines
            .iter()
            .enumerate()
            .take((i + 9).min(lines.len()))
            .skip(i + 1)
        {
            if line.contains("毎年") || general_rule(line) || old_card(line) || other_event(line)
            {
                continue;
            }
            let near = table_of_card
                || names_card(j)
                || (j >= i + 2 && names_card(j - 1))
                || (j >= i + 3 && names_card(j - 2));
            if !near || (line.contains("資格情報のお知らせ") && !line.contains("資格確認書"))
            {
                continue;
            }
            // A date the card is used from (`8月1日以降`) is no end date.
            if let Some(d) = dates_in(line, year)
                .into_iter()
                .find(|d| d.kind == DateKind::Date)
            {
                let rest = after(line, &d);
                if ["から", "以降", "より"].iter().any(|k| rest.starts_with(k)) {
                    return None;
                }
                return Some(d.end);
            }
        }
    }
    None
}

/// `令和7年8月1日~令和8年7月31日` in a sentence or table row about the card: a period
/// that starts on the new card's first day (and runs at least half a year) is its validity.
fn valid_until_of_period(
    sents: &[String],
    subj: &[Subject],
    year: Option<i32>,
    valid_from: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let from = valid_from?;
    let mut found: Vec<NaiveDate> = Vec::new();
    for (s, su) in sents.iter().zip(subj) {
        if *su != Subject::Card || other_event(s) {
            continue;
        }
        for d in dates_in(s, year) {
            if is_range(&d) && d.start == from && (d.end - d.start).num_days() >= 180 {
                found.push(d.end);
            }
        }
    }
    found.sort();
    found.dedup();
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// What a label, or the heading a line sits under, says its value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `有効期間`, `有効期限`: the card's validity (a range, a first day or a last day).
    Validity,
    /// `使用開始日`, `有効開始日`: the card's first day.
    Start,
    /// `対象者`, `交付対象`, `対象となる方`: who gets the card.
    Recipients,
    /// `送付時期`, `交付予定時期`, `発送予定日`: when the card is mailed.
    Mailing,
    /// `交付方法`, `送付方法`: how it is mailed.
    Method,
}

/// A label naming a card's first day of use (`使用開始日`, `利用開始日`, `有効開始日`,
/// `適用開始年月日`).
fn starts_use_label(label: &str) -> bool {
    ["使用開始", "利用開始", "有効開始", "適用開始", "効力発生"]
        .iter()
        .any(|k| label.ends_with(&format!("{k}日")) || label.ends_with(&format!("{k}年月日")))
}

/// The role a label's words give its value: by what the label names (a validity, a first
/// day, who gets the card, a time of sending, a way of sending), never by one page's wording.
fn label_role(label: &str) -> Option<Role> {
    if starts_use_label(label) {
        return Some(Role::Start);
    }
    // `対象者`, `交付対象者`, `対象となる方`; not `対象期間`, `対象外`, `申請の対象`.
    let who = label.trim_end_matches(['は', ':', ' ']);
    if who.contains("対象")
        && ["対象者", "対象", "対象となる方", "対象の方", "対象となる人"]
            .iter()
            .any(|k| who.ends_with(k))
        && !label.contains("申請")
    {
        return Some(Role::Recipients);
    }
    if [
        "有効期間",
        "有効期限",
        "有効年月日",
        "使用期間",
        "有効な期間",
        "使える期間",
        "使用できる期間",
        "利用できる期間",
        // やさしい日本語 (`使える日: 8月1日から`, `使える最後の日: …`).
        "使える日",
        "使える最後の日",
        "使える期限",
    ]
    .iter()
    .any(|k| label.contains(k))
    {
        // (`保険証が使える最後の日`, `今の保険証を使える期限`: the card held now.)
        let of_old_card = label.contains("保険証") || OLD_CARD.iter().any(|k| label.contains(k));
        if ["使える日", "使える最後の日", "使える期限"]
            .iter()
            .any(|k| label.contains(k))
            && of_old_card
        {
            return None;
        }
        return Some(Role::Validity);
    }
    // A block's bare labels (`資格確認書` / `・発送:7月11日から順次` / `・方法:簡易書留`).
    let bare = label.trim_end_matches([':', ' ']);
    if ["発送", "送付", "郵送", "お届け"].contains(&bare) {
        return Some(Role::Mailing);
    }
    if bare == "方法" {
        return Some(Role::Method);
    }
    let sends = [
        "送付",
        "発送",
        "郵送",
        "交付",
        "お届け",
        "配達",
        "届く",
        "お送り",
        "送る",
        "送り方",
    ]
    .iter()
    .any(|k| label.contains(k));
    if !sends || label.contains("対象") || label.contains("申請") {
        return None;
    }
    if label.contains("方法") || label.ends_with("送り方") {
        return Some(Role::Method);
    }
    names_mailing_time(label).then_some(Role::Mailing)
}

/// The role an event of the 資格確認書 gives the date it is listed under in a timeline:
/// its mailing (`資格確認書を発送`), first day of use (`新しい資格確認書の使用開始`) or last
/// (`…の有効期限`). None for an event of another document (`資格情報のお知らせを発送`).
fn event_role(event: &str) -> Option<Role> {
    // (Only the 資格確認書's events, not the paper card's; never a news title, `…について`.)
    let card = event.contains("資格確認書");
    let title = ["について", "ページ", "更新しました", "掲載"]
        .iter()
        .any(|k| event.contains(k));
    if !card || title || names_other_document(event) {
        return None;
    }
    if ["使用開始", "利用開始", "使い始め", "有効開始"]
        .iter()
        .any(|k| event.contains(k))
    {
        return Some(Role::Start);
    }
    if event.contains("有効期限") {
        return Some(Role::Validity);
    }
    ["発送", "送付", "郵送", "お届け", "お送り"]
        .iter()
        .any(|k| event.contains(k))
        .then_some(Role::Mailing)
}

/// One short sentence that gives the mailing's time: one date, told as when sending
/// starts or happens (`7月中旬から順次発送します`, `9月19日に発送します`), never a date of
/// something else (`7月1日時点で加入している方`, `8月1日以降に加入した方`, `7月は混み合います`).
fn mailing_time_sentence(s: &str, year: Option<i32>) -> bool {
    let dates = dates_in(s, year);
    let [d] = dates.as_slice() else {
        return false;
    };
    let rest = after(s, d);
    MAIL_VERBS.iter().any(|v| s.contains(v))
        && [
            "から",
            "より",
            "にかけ",
            "に順次",
            "に発送",
            "に送付",
            "に郵送",
            "中に",
            "までに",
            "頃",
            "ごろ",
        ]
        .iter()
        .any(|k| rest.starts_with(k))
        && !["加入", "時点", "後"].iter().any(|k| s.contains(k))
}

/// A sending label's words of time (`送付時期`, `発送予定日`).
fn names_mailing_time(label: &str) -> bool {
    ["時期", "予定", "日程", "期間", "日", "頃"]
        .iter()
        .any(|k| label.contains(k))
}

/// Facts stated as a label and its value (`有効期間:…`, `(5)交付予定時期 …`, a table
/// row, a short line under a `有効期限` heading), each read by its label's role.
#[derive(Debug, Default)]
struct Labelled {
    from: Vec<NaiveDate>,
    until: Vec<NaiveDate>,
    windows: Vec<(NaiveDate, NaiveDate)>,
    starts: Vec<NaiveDate>,
    ends: Vec<NaiveDate>,
    methods: Vec<&'static str>,
    /// Who gets the card, read from a label of recipients (`対象者: マイナ保険証をお持ちでない
    /// 方`), with the line it came from.
    recipients: Vec<(Class, String)>,
    /// Where each date came from.
    seen: Trail,
}

/// Where each candidate date came from (field, date, the sentence or line, how it was
/// read), so the evidence quotes the sentence that gave the value, not one that merely
/// holds the same date.
#[derive(Debug, Default)]
struct Trail(Vec<(&'static str, NaiveDate, String, &'static str)>);

impl Trail {
    fn note(&mut self, field: &'static str, d: NaiveDate, quote: &str, how: &'static str) {
        self.0.push((field, d, quote.to_string(), how));
    }

    /// A mailing window: its start and its end.
    fn window(&mut self, a: NaiveDate, b: NaiveDate, quote: &str, how: &'static str) {
        self.note("mailing_start", a, quote, how);
        self.note("mailing_end", b, quote, how);
    }

    /// The first source of `field` = `d`.
    fn source(&self, field: &str, d: NaiveDate) -> Option<(&str, &'static str)> {
        self.0
            .iter()
            .find(|(f, x, _, _)| *f == field && *x == d)
            .map(|(_, _, q, how)| (q.as_str(), *how))
    }

    /// The other values seen for `field` (set aside by the reader), in order.
    fn others(&self, field: &str, d: NaiveDate) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for (f, x, _, _) in &self.0 {
            let x = x.to_string();
            if *f == field && x != d.to_string() && !v.contains(&x) {
                v.push(x);
            }
        }
        v
    }
}

fn labelled_facts(lines: &[structure::Line], year: Option<i32>) -> Labelled {
    let mut out = Labelled::default();
    // The document the lines are about, as for sentences ([`subjects`]): a line that names
    // none (`郵送方法: 普通郵便`) is about the last one named (`郵送するもの: お知らせ`).
    let mut cur = Subject::Other;
    let mut prev: Option<&structure::Line> = None;
    let mut prev_line: Option<&structure::Line> = None;
    for l in lines {
        // `■対象者` / `マイナ保険証をお持ちでない方`: a short group line right under a heading
        // of recipients looks like a heading itself; it is the heading's value.
        let under_recipients = prev.replace(l).is_some_and(|p| {
            p.shape == Shape::Heading && matches!(label_role(&p.label), Some(Role::Recipients))
        });
        if under_recipients && l.shape == Shape::Heading && cur == Subject::Card {
            read_labelled(&mut out, Role::Recipients, &l.label, &l.text, year);
            continue;
        }
        // A Q&A pair: the answer to `Q 誰に届きますか` is a value of that role.
        if let Some((role, answer)) = qa_answer(prev_line, l) {
            let about = format!("{} {}", prev_line.map_or("", |p| p.text.as_str()), l.text);
            if cur == Subject::Card && !names_other_document(&about) {
                read_labelled(&mut out, role, answer, &l.text, year);
                prev_line = Some(l);
                continue;
            }
        }
        prev_line = Some(l);
        // `・登録済みの方:資格情報のお知らせ`: a group and the document it gets is a list of
        // who gets what, not a section about that document.
        let group_gets = l.shape == Shape::KeyValue
            && own_subject_of(&l.label).is_none()
            && ["方", "人", "方は", "方には"]
                .iter()
                .any(|k| l.label.ends_with(k));
        // (A note, `※…お知らせが届きます`, is an aside: the lines after it are still about
        // what they were; one about the card, `※資格確認書は…`, is the card's.)
        let aside = is_note(&l.text) && own_subject(&l.text) != Some(Subject::Card);
        let own = own_subject(&l.text).filter(|_| !group_gets && !aside);
        if let Some(own) = own {
            cur = own;
        }
        if l.shape == Shape::Heading && own.is_none() {
            // A heading naming no document (`有効期限`) keeps the page's topic: the card.
            cur = Subject::Card;
        }
        let subject = cur;
        // A table with a column per document (`名称 | 資格情報のお知らせ | 資格確認書`):
        // a row's fact is the card's cell, read as if the row named the card.
        let card_column = l
            .columns
            .iter()
            .position(|c| own_subject_of(c) == Some(Subject::Card));
        if let Some(j) = card_column.filter(|_| l.columns.len() >= 2) {
            let Some(cell) = l.cells.get(j).filter(|c| !c.is_empty()) else {
                continue;
            };
            if let Some(role) = label_role(&l.label) {
                let text = format!("{}: {} ({})", l.label, cell, l.columns[j]);
                read_labelled(&mut out, role, cell, &text, year);
            }
            continue;
        }
        // A timeline, the date as the label and the event as its value (`7月17日(木):
        // 資格確認書を発送`, `令和8年7月31日:新しい資格確認書の有効期限`).
        if l.shape == Shape::KeyValue
            && dates_in(&l.label, year).len() == 1
            && ["スケジュール", "流れ", "日程", "予定", "今後"]
                .iter()
                .any(|k| l.heading.contains(k))
        {
            if let Some(role) = event_role(&l.value) {
                read_labelled(&mut out, role, &l.label, &l.text, year);
                continue;
            }
        }
        let (role, value) = match l.shape {
            Shape::KeyValue | Shape::Row => match label_role(&l.label) {
                Some(r) => (r, l.value.as_str()),
                None => match label_role(&l.heading) {
                    // `有効期限` / `資格確認書: 令和8年7月31日`: the label names the document.
                    Some(r) if l.below <= 6 && own_subject_of(&l.label) == Some(Subject::Card) => {
                        (r, l.value.as_str())
                    }
                    _ => continue,
                },
            },
            // A value line right under a role heading: `有効期限` / `令和8年7月31日まで`; not a
            // sentence.
            // (Or one short sentence with one date right under a heading of the mailing's
            // time: `【発送時期】` / `7月中旬から順次発送します。`.)
            Shape::Item | Shape::Prose
                if (l.below <= 2 && l.value.chars().count() <= 30 && !l.value.contains('。'))
                    || (l.below == 1
                        && l.value.chars().count() <= 45
                        && l.value.matches('。').count() <= 1
                        && label_role(&l.heading) == Some(Role::Mailing)
                        && mailing_time_sentence(&l.value, year)) =>
            {
                match label_role(&l.heading) {
                    Some(r) => (r, l.value.as_str()),
                    None => continue,
                }
            }
            // Under a heading of recipients, a list of groups ending its line with `。`
            // (`対象` / `…登録していない方、…お持ちでない方。`) is the heading's value too.
            Shape::Item | Shape::Prose
                if l.below <= 2
                    && l.value.chars().count() <= 80
                    && l.value.trim_end_matches('。').ends_with(['方', '者'])
                    && !l.value.trim_end_matches('。').contains('。')
                    && matches!(label_role(&l.heading), Some(Role::Recipients)) =>
            {
                (Role::Recipients, l.value.trim_end_matches('。'))
            }
            // A value stated in a sentence with its label as the topic (`送付時期は令和7年
            // 7月中旬です。`, `有効期間は…までとなります。`): read as the label's value.
            Shape::Item | Shape::Prose => match copular_value(&l.value) {
                Some(found) => found,
                None => continue,
            },
            _ => continue,
        };
        // A row with a cell per cycle or group (`使える期間 | 令和6年8月1日~… | 令和7年8月1日
        // ~…`) gives no one value; the sentences say which is this cycle's.
        if l.shape == Shape::Row
            && l.cells
                .iter()
                .filter(|c| c.chars().any(|ch| ch.is_ascii_digit()))
                .count()
                >= 2
        {
            continue;
        }
        // (A breadcrumb over the page, `ホーム > くらし > お知らせ`, heads nothing; a heading
        // of both documents, `資格情報のお知らせ・資格確認書の発送日`, leaves it to the
        // document the lines are under.)
        let of_both = l.heading.contains("資格確認書") && l.heading.contains("お知らせ");
        let heading = if breadcrumb(&l.heading) || of_both {
            ""
        } else {
            l.heading.as_str()
        };
        let about = format!("{heading} {} {}", l.label, value);
        // Only the 資格確認書's facts: not the お知らせ's, not another document's.
        let names_card = own_subject_of(&about) == Some(Subject::Card);
        if !names_card && (names_other_document(&about) || subject != Subject::Card) {
            continue;
        }
        if exception_or_old_card(&about, value) {
            continue;
        }
        read_labelled(&mut out, role, value, &l.text, year);
        // `お送りする時期と方法` / `資格確認書: 令和8年7月中旬、簡易書留`: a label of both the
        // time and the way gives the value both roles.
        let label = if label_role(&l.label).is_some() {
            &l.label
        } else {
            &l.heading
        };
        if role == Role::Method && names_mailing_time(label) {
            read_labelled(&mut out, Role::Mailing, value, &l.text, year);
        }
    }
    out
}

/// A sentence that states a labelled value with a copula, its label as the topic:
/// `送付時期は令和7年7月中旬です。`, `有効期間は、…までとなります。`, `発送予定日は…である。`,
/// `送付方法は簡易書留を予定しています。`; the label's role and the value's words.
fn copular_value(text: &str) -> Option<(Role, &str)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^(?P<label>[^、。はがを]{2,14})は、?\s*(?P<value>[^。]+?)(?:です|となります|となる|になります|になる|である|だ|を予定しています|を予定している|の予定です|の予定である|予定です|の見込みです)。?$",
        )
        .expect("copular value regex")
    });
    text.split_inclusive('。').find_map(|s| {
        let c = re.captures(s.trim())?;
        // (Not the card held now, `町の国民健康保険証の有効期限は、…までです。`, nor another
        // document, `限度額適用認定証の有効期限は…`.)
        let label = &c["label"];
        let other = ["保険証", "被保険者証", "マイナンバーカード", "電子証明書"]
            .iter()
            .any(|k| label.contains(k))
            || names_other_document(label);
        if other && !label.contains("資格確認書") {
            return None;
        }
        // (Nor a value told beside another time: `前回(令和7年7月)と同様に7月中旬です`,
        // `例年7月下旬ですが、今年度は8月上旬を予定`.)
        let value = c.name("value")?.as_str();
        // (A note in brackets is not the value: `…7月22日です(前回は…でした)`.)
        if told_beside_another_time(&strip_brackets(value)) {
            return None;
        }
        Some((label_role(label)?, value))
    })
}

/// `s` tells a time beside another one it is compared with or replaces: the usual one, the
/// last cycle's, a plan changed (`例年…ですが`, `前回と同様に`, `…に延期`, `当初…`).
fn told_beside_another_time(s: &str) -> bool {
    [
        "例年", "毎年", "前回", "昨年", "前年", "同様", "同じ", "変更", "延期", "当初",
    ]
    .iter()
    .any(|k| s.contains(k))
}

/// `about` names the お知らせ or another document (`通知書`, `認定証`, `保険料`…).
fn names_other_document(about: &str) -> bool {
    // (A 広報's section, `くらしのお知らせ`, `市からのお知らせ`, is no document.)
    static SECTION: OnceLock<Regex> = OnceLock::new();
    let section = SECTION.get_or_init(|| {
        Regex::new(r"(?:くらし|暮らし|まち|市|町|村|区|各課|役場|重要な|新着|今月|行政)(?:から)?の?お知らせ")
            .expect("news section regex")
    });
    let about = section.replace_all(about, "");
    about.contains("お知らせ") || OTHER_DOCS.iter().any(|k| about.contains(k))
}

/// Age bands, exceptions, routines and the card being replaced are not the rule: `about`
/// is what the value is told of (its label, heading or question), `value` the value.
fn exception_or_old_card(about: &str, value: &str) -> bool {
    // (A note in brackets is not the value: `簡易書留郵便(ご不在の場合は不在票が入ります)`.)
    let value = strip_brackets(value);
    about.contains('歳')
        || other_event(about)
        || old_card(&value)
        || ["ただし", "但し", "場合"].iter().any(|k| value.contains(k))
}

/// The role a question asks for and the answer's words, when `l` answers the question
/// `q` (`Q 誰に届きますか。` / `A マイナ保険証をお持ちでない方です。`): who gets the card,
/// when it comes, until when it is valid.
fn qa_answer<'l>(q: Option<&structure::Line>, l: &'l structure::Line) -> Option<(Role, &'l str)> {
    fn after_mark<'a>(s: &'a str, marks: &[&str]) -> Option<&'a str> {
        let t = s.trim_start();
        marks
            .iter()
            .find_map(|m| t.strip_prefix(m))
            .map(|rest| rest.trim_start_matches(|c: char| c.is_ascii_digit() || ".:: ".contains(c)))
    }
    let question = after_mark(&q?.text, &["Q", "問"])?;
    let answer = after_mark(&l.text, &["A", "答"])?;
    // Only a question about the card itself, not about what to do when it does not come
    // (`届かないときは、いつまでに連絡…`) nor about the 保険証 in hand.
    if !question.contains("資格確認書")
        || ["とき", "場合", "連絡", "保険証は"]
            .iter()
            .any(|k| question.contains(k))
        || exception_or_old_card(answer, answer)
    {
        return None;
    }
    let receives = ["届", "送", "交付", "もらえ", "受け取"]
        .iter()
        .any(|k| question.contains(k));
    let role = if [
        "誰に",
        "だれに",
        "どなたに",
        "どんな方",
        "どのような方",
        "どんな人",
        "対象",
    ]
    .iter()
    .any(|k| question.contains(k))
        && receives
    {
        Role::Recipients
    } else if question.contains("いつまで") && ["使", "有効"].iter().any(|k| question.contains(k))
    {
        Role::Validity
    } else if question.contains("いつ") && receives {
        Role::Mailing
    } else {
        return None;
    };
    Some((role, answer))
}

/// The facts of one labelled value (`有効期間: 令和7年8月1日~令和8年7月31日`), read by the
/// label's role; `text` is what evidence quotes.
fn read_labelled(out: &mut Labelled, role: Role, value: &str, text: &str, year: Option<i32>) {
    let dates: Vec<DateFound> = dates_in(value, year)
        .into_iter()
        .filter(|d| !paper_end(d.start))
        .collect();
    match role {
        Role::Validity => {
            for d in &dates {
                let rest = after(value, d);
                if is_range(d) {
                    out.from.push(d.start);
                    out.until.push(d.end);
                    out.seen.note("valid_from", d.start, text, "label");
                    out.seen.note("valid_until", d.end, text, "label");
                } else if ["から", "以降", "より"].iter().any(|k| rest.starts_with(k)) {
                    out.from.push(d.start);
                    out.seen.note("valid_from", d.start, text, "label");
                } else if d.kind == DateKind::Date
                    && !rest.starts_with("までに")
                    && !rest.starts_with("時点")
                {
                    out.until.push(d.end);
                    out.seen.note("valid_until", d.end, text, "label");
                }
            }
        }
        Role::Recipients => {
            if let Some(c) = recipient_class(value) {
                out.recipients.push((c, text.to_string()));
            }
        }
        Role::Start => {
            if let Some(d) = dates.first().filter(|d| d.kind == DateKind::Date) {
                out.from.push(d.start);
                out.seen.note("valid_from", d.start, text, "label");
            }
        }
        Role::Mailing => {
            if let Some(d) = dates.first() {
                let rest = after(value, d);
                if rest.starts_with("までに") && !is_range(d) {
                    out.ends.push(d.end);
                    out.seen.note("mailing_end", d.end, text, "label");
                } else if (rest.starts_with("から") || rest.starts_with("以降")) && !is_range(d)
                {
                    out.starts.push(d.start);
                    out.seen.note("mailing_start", d.start, text, "label");
                } else {
                    out.windows.push((d.start, d.end));
                    out.seen.window(d.start, d.end, text, "label");
                }
            }
        }
        Role::Method => {
            if let [one] = methods_in(value, |_| true)[..] {
                out.methods.push(one);
            }
        }
    }
}

/// Joins a group heading to a sentence read under it; evidence keeps the sentence only.
const HEADING_MARK: char = '\u{1f}';

/// A sentence's own words, without the heading it was read under.
fn own_words(s: &str) -> &str {
    s.rsplit(HEADING_MARK).next().unwrap_or(s)
}

/// The sentences of `lines` in [`sentences`] order, each with the heading it sits under
/// when that heading names a group of people (`マイナ保険証をお持ちでない方`, `対象者`):
/// the rule under such a heading is read with it (`資格確認書が届きます`).
fn with_group_headings(lines: &[structure::Line]) -> Vec<String> {
    // (Not a row that gives a document to a group, `国保 (1)資格確認書(水色) マイナ保険証を
    // 持っていない人`: its own rule, not a heading over the rows below it.)
    // (`資格確認書が届く方` is a heading: it names no status.)
    let row_of_a_document = |h: &str| {
        ["資格確認書", "お知らせ", "通知書"]
            .iter()
            .any(|k| h.contains(k))
            && !h.contains("対象")
            && (names_holders(h) || names_unregistered(&without_other_holdings(h)))
    };
    let group = |h: &str| {
        (h.contains("対象")
            || h.ends_with('方')
            || h.ends_with('人')
            || h.ends_with("方へ")
            || h.ends_with("方には")
            || h.contains("方」"))
            && !row_of_a_document(h)
    };
    let mut out = Vec::new();
    for l in lines {
        for s in sentences(&l.text) {
            if l.shape != Shape::Heading
                && !l.heading.is_empty()
                && group(&l.heading)
                && l.below <= 4
            {
                out.push(format!("{}{HEADING_MARK}{s}", l.heading));
            } else {
                out.push(s);
            }
        }
    }
    out
}

/// A clause that ends by naming the mailing as its topic (`資格確認書の発送は`, `郵送時期は`);
/// a label (`送付時期:`) is read with the labels.
fn mailing_topic(head: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:発送|郵送|送付|お届け)(?:予定)?(?:日|時期)?は[、\s]*$")
            .expect("topic regex")
    });
    re.is_match(head)
}

/// The mailing window read from sentences, checked against the one stated under a label
/// (`送付時期: 7月中旬`): the label's fills a gap; two that do not overlap leave it empty.
fn with_labelled_mailing(
    read: (Option<NaiveDate>, Option<NaiveDate>),
    l: &Labelled,
    warnings: &mut Vec<String>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let labelled = match (l.windows.first(), l.starts.first(), l.ends.first()) {
        (Some(&(a, b)), _, _) => (Some(a), Some(b)),
        (None, s, e) => (s.copied(), e.copied()),
    };
    if l.windows
        .iter()
        .any(|w| Some(w.0) != labelled.0 || Some(w.1) != labelled.1)
    {
        warnings.push(format!(
            "mailing: labelled windows disagree ({:?}); left empty",
            l.windows
        ));
        return read;
    }
    match (read, labelled) {
        ((None, None), lab) => lab,
        (r, (None, None)) => r,
        (r, lab) if r == lab => r,
        ((rs, re), (ls, le)) => {
            // An open end counts as the one stated day.
            let overlap = match (rs.or(re), re.or(rs), ls.or(le), le.or(ls)) {
                (Some(a1), Some(b1), Some(a2), Some(b2)) => a1 <= b2 && a2 <= b1,
                _ => false,
            };
            // (A whole month read in passing around the label's first day is no end.)
            let whole_month = matches!((rs, re), (Some(a), Some(b)) if is_whole_month(a, b));
            if overlap && whole_month && ls.is_some() && le.is_none() {
                (ls, None)
            } else if overlap {
                // The label is the page's own statement of the window.
                (ls.or(rs), le.or(re))
            } else {
                warnings.push(format!(
                    "mailing: the text says {rs:?}..{re:?}, a label {ls:?}..{le:?}; left empty"
                ));
                (None, None)
            }
        }
    }
}

/// The method read from sentences, checked against the labelled ones (`交付方法: 特定記録郵便`).
fn with_labelled_method(read: String, l: &Labelled, warnings: &mut Vec<String>) -> String {
    let mut all: Vec<&str> = l.methods.clone();
    if !read.is_empty() {
        all.push(read.as_str());
    }
    all.sort();
    all.dedup();
    match all.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        many => {
            warnings.push(format!(
                "method: the page states several ({many:?}); left empty"
            ));
            String::new()
        }
    }
}

/// One value when every candidate agrees; none (and a warning) when they disagree.
fn agreed(c: Vec<NaiveDate>, field: &str, warnings: &mut Vec<String>) -> Option<NaiveDate> {
    let first = *c.first()?;
    if c.iter().all(|d| *d == first) {
        Some(first)
    } else {
        warnings.push(format!(
            "{field}: the page states several dates ({c:?}); left empty"
        ));
        None
    }
}

/// A relative clause ending in the people it picks out, its verb in a past, plain or
/// stem form: `…をお持ちの方`, `…交付を受けた方`, `…した世帯`, `…になる人` (not `…でない方`,
/// which names a group without a time).
fn recipient_clause() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:た|る|ち|つ)の?(?:方|かた|人|世帯)").expect("recipient regex")
    })
}

/// The mailing window of this cycle's 資格確認書: a month or part of one (`7月中`,
/// `中旬から下旬`) is a window, `9月末までに` a deadline (end only), `7月10日から順次` a
/// start (open end). Dates of first use in the same sentence are not mailing dates.
fn mailing(
    sents: &[String],
    subj: &[Subject],
    (year, judged_on): (Option<i32>, Option<NaiveDate>),
    valid_from: Option<NaiveDate>,
    warnings: &mut Vec<String>,
    trail: &mut Trail,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    // On a page of an earlier year, the next regime's mailing (`次回の更新(令和8年8月1日から
    // 有効の資格確認書)は、令和8年7月中旬に送付`) is not this cycle's.
    let before_later = judged_on.is_some_and(|d| d.year() < PROVISIONAL_END.year());
    let mut windows = Vec::new();
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    let reform = sents.iter().any(|s| s.contains("資格確認書"));
    // `…資格確認書を交付します。【7月中旬頃】`: the time in brackets after the sentence that
    // sends the card.
    for (i, s) in sents.iter().enumerate().skip(1) {
        let (prev, su) = (&sents[i - 1], subj[i - 1]);
        if su != Subject::Card
            || !MAIL_VERBS.iter().any(|v| prev.contains(v))
            || other_event(prev)
            || paper_card_mailing(prev, reform)
        {
            continue;
        }
        if let Some(d) = bracketed_time(s, year) {
            windows.push((d.start, d.end));
            trail.window(d.start, d.end, &format!("{prev}{s}"), "sentence");
        }
    }
    for (s, su) in sents.iter().zip(subj) {
        if !MAIL_VERBS.iter().any(|v| s.contains(v)) {
            continue;
        }
        if yearly_schedule(s) || (before_later && next_regime_at(s).is_some()) {
            continue;
        }
        let (strong, issuing) = MAIL_VERBS.split_at(MAIL_VERBS.len() - WEAK_MAIL_VERBS);
        let weak = issuing.iter().any(|v| s.contains(v)) && !strong.iter().any(|v| s.contains(v));
        if weak && !(s.contains("一斉") || s.contains("新しい")) {
            continue;
        }
        // `発行` mails only the 資格確認書 it names (`新しい資格確認書を発行します`), not a
        // re-issue or another card (`新しいマイナンバーカードを発行する方は`).
        let issues_the_card = |(at, _): (usize, &str)| {
            !s[..at].ends_with('再') && crate::text::chars_before(s, at, 12).contains("資格確認書")
        };
        if weak && !s.contains("交付") && !s.match_indices("発行").any(issues_the_card) {
            continue;
        }
        if *su == Subject::Other || other_event(s) || s.contains("毎年") || breadcrumb(s) {
            continue;
        }
        // `8月の一斉更新時に交付された保険証`: a past mailing, named to identify a card;
        // `昨年は7月下旬にお送りしました`: last year's.
        if PAST_MAILING.iter().any(|k| s.contains(k))
            || paper_card_mailing(s, reform)
            || told_of_last_year(s)
        {
            continue;
        }
        // A sentence only about the お知らせ, or under it and naming no 資格確認書 (`(1)資格
        // 情報のお知らせ` / `…6月下旬にお送りしています`): not this document's mailing.
        if *su == Subject::Notice && own_subject(s) != Some(Subject::Card) {
            continue;
        }
        for d in dates_in(s, year) {
            // The mailing verb that follows the date.
            let tail = &s[d.span.end.min(s.len())..];
            // `資格確認書の発送は7月14日(月)から順次行います`: the mailing named as the topic
            // the date is told of, with nothing between.
            let verb_at = match MAIL_VERBS.iter().filter_map(|v| tail.find(v)).min() {
                Some(at) => at,
                None if mailing_topic(&s[..d.span.start.min(s.len())]) => 0,
                None => continue,
            };
            // `資格確認書(有効期限:令和8年7月31日)を7月中旬から発送`: a validity date in a
            // note on the document is not the mailing's (`(令和7年7月中)には…郵送` is).
            // So is any date in brackets right after the document's name
            // (`資格確認書(令和7年8月1日~令和9年7月31日)は…発送`) or naming a cycle
            // (`(令和7年8月更新分)`); `…前(令和7年7月中)には郵送` is the mailing's.
            let head = &s[..d.span.start.min(s.len())];
            let in_note = head.matches('(').count() > head.matches(')').count()
                && head.rfind('(').is_some_and(|open| {
                    let note = &s[open..];
                    let note = &note[..note.find(')').unwrap_or(note.len())];
                    ["有効", "期限"].iter().any(|k| head[open..].contains(k))
                        || ["資格確認書", "確認書", "保険証", "お知らせ", "被保険者証"]
                            .iter()
                            .any(|k| head[..open].ends_with(k))
                        // (`保険料の通知(7月10日発送)とは別に`: the other document's day.)
                        || names_other_document(crate::text::chars_before(head, open, 8))
                        || note.contains('~')
                        || note.ends_with('分')
                });
            if in_note
                || paper_end(d.start)
                || starts_use(s, &d)
                || Some(d.start) == valid_from && d.kind == DateKind::Date
            {
                continue;
            }
            let rest = after(s, &d);
            // `7月22日から7月29日に変更`: a day changed, not a window from one to the other.
            if ["に変更", "へ変更", "に延期", "へ延期", "に変わ", "へ変わ"]
                .iter()
                .any(|k| rest.starts_with(k))
            {
                continue;
            }
            // A note in brackets (`資格確認書(有効期限:…)を郵送します`) is not what is between.
            let between = strip_brackets(&tail[..verb_at]);
            let between = between.as_str();
            // A date inside a clause that picks out the recipients (`…までに認定証をお持ちの
            // 方には`, `8月1日以降に75歳になる方へ`) is who, not when.
            // `12月2日以降、新たに加入される方に…郵送します`, `7月31日までに加入されるかたに
            // は…郵送します`: from or until when the recipients are counted, as with `以降に`.
            let window = is_range(&d)
                || ["以降に", "以後に", "の間に", "以降、", "以後、", "までに"]
                    .iter()
                    .any(|k| rest.starts_with(k));
            if window && recipient_clause().is_match(between) {
                continue;
            }
            if [
                "完納",
                "申請",
                "届出",
                "場合",
                "有効期限",
                "まで使",
                "時点",
                "有効",
                "暫定",
                "運用",
                "の間",
            ]
            .iter()
            .any(|k| between.contains(k))
                || rest.starts_with('~')
                || rest.starts_with('-')
            {
                continue;
            }
            // `令和7年8月の年次更新は、…7月中旬に送付`: a date that names a noun (`…の更新`)
            // belongs to that noun, not to the verb; `7月中旬の発送` names the mailing itself.
            // (So does `8月からの書類を…発送`: the documents of August on, not a start.)
            let rest_noun = rest.strip_prefix("からの").map(|n| format!("の{n}"));
            let rest = rest_noun.as_deref().unwrap_or(rest);
            if rest.strip_prefix('の').is_some_and(|noun| {
                !["発送", "郵送", "送付", "お届け", "予定"]
                    .iter()
                    .any(|v| noun.starts_with(v))
            }) {
                continue;
            }
            let range = s
                .get(d.span.clone())
                .is_some_and(|t| ["から", "～", "~", "〜"].iter().any(|k| t.contains(k)));
            if rest.starts_with("までに") && range && d.start < d.end {
                // `7月1日から7月20日までに`: a window with both ends stated.
                windows.push((d.start, d.end));
                trail.window(d.start, d.end, s, "sentence");
            } else if rest.starts_with("までに") {
                ends.push(d.end);
                trail.note("mailing_end", d.end, s, "sentence");
            } else if rest.starts_with("まで") {
                continue;
            } else if ["以降は", "からは", "以降も"]
                .iter()
                // `令和8年8月から(予定)は`: a note between does not change the topic.
                .any(|k| rest.starts_with(k) || strip_brackets(rest).starts_with(k))
            {
                // `8月1日以降は…`: when a rule starts, not when anything is mailed.
                continue;
            } else if rest.starts_with("から")
                || rest.starts_with("より")
                || rest.starts_with("以降")
                // `発送を7月10日(木曜日)に始め`: the first day of a mailing in progress.
                || ["に始め", "に開始", "から開始", "に始ま"].iter().any(|k| rest.starts_with(k))
                || (d.kind == DateKind::Date && s[d.span.end..].contains("順次"))
            {
                starts.push(d.start);
                trail.note("mailing_start", d.start, s, "sentence");
            } else if rest.starts_with('に')
                || rest.starts_with('中')
                || rest.starts_with('、')
                || rest.starts_with("にかけ")
                || rest.starts_with('ご')
                || d.kind == DateKind::Period
                // `7月23日発送済`, `7月上旬郵送予定`: the verb names the time as a noun does.
                || ["発送", "郵送", "送付"].iter().any(|v| rest.starts_with(v))
                // `発送は7月18日を予定`, `発送は7月18日です`: the card's own mailing, told as
                // is (not another document's, not a plan changed or compared).
                || (["を予定", "の予定", "予定", "頃", "です", "となり", "になり"]
                    .iter()
                    .any(|k| rest.starts_with(k))
                    && !names_other_document(head.rsplit('、').next().unwrap_or(head))
                    && !told_beside_another_time(&strip_brackets(s)))
            {
                windows.push((d.start, d.end));
                trail.window(d.start, d.end, s, "sentence");
            }
        }
    }
    // A whole month named in passing (`7月の発送分に同封します`) around a day the mailing
    // starts (`7月中旬から順次発送します`): the start is the statement; the month's last day
    // is no end.
    let coarse = !windows.is_empty()
        && windows.iter().all(|&(a, b)| is_whole_month(a, b))
        && starts
            .first()
            .is_some_and(|s| windows.iter().all(|w| w.0 < *s && *s <= w.1));
    if let Some(&(a, b)) = windows.first().filter(|_| !coarse) {
        if windows.iter().any(|w| w.0 > b || w.1 < a) {
            warnings.push(format!(
                "mailing: windows that do not overlap ({windows:?}); left empty"
            ));
            return (None, None);
        }
        return (Some(a), Some(b));
    }
    let start = starts.first().copied();
    let end = ends.first().copied();
    match (start, end) {
        (Some(a), Some(b)) if a > b => {
            warnings.push(format!("mailing: start {a} after end {b}; left empty"));
            (None, None)
        }
        other => other,
    }
}

/// `a..=b` is one whole month (`7月` read as a window: 07-01..07-31).
fn is_whole_month(a: NaiveDate, b: NaiveDate) -> bool {
    a.day() == 1 && mynawatch_ja::month_end(a.year(), a.month()) == Some(b)
}

/// The method for the 資格確認書 (not the お知らせ, not one offered on request).
fn method(sents: &[String], subj: &[Subject], warnings: &mut Vec<String>) -> String {
    let mut found: Vec<&str> = Vec::new();
    let reform = sents.iter().any(|s| s.contains("資格確認書"));
    for (s, su) in sents.iter().zip(subj) {
        if *su != Subject::Card
            || other_event(s)
            || s.contains("希望")
            || paper_card_mailing(s, reform)
        {
            continue;
        }
        // `普通郵便のように…`: a comparison, not the method used (a way denied, `書留ではなく`,
        // is left out by [`methods_in`]). A question (`Q 書留で届きますか。`) states none.
        let asked = s.trim_end_matches(['。', ' ']).ends_with(['か', '?', '？'])
            || s.starts_with("Q ")
            || s.starts_with("Q.");
        if s.contains("のように") || asked {
            continue;
        }
        if own_subject(s) == Some(Subject::Notice) {
            continue;
        }
        // `保険料額決定通知書は、資格確認書とは別に…普通郵便で`: the topic is another document.
        let topic = s.split('は').next().unwrap_or("");
        if OTHER_DOCS.iter().any(|k| topic.contains(k)) && !topic.contains("資格確認書") {
            continue;
        }
        // `昨年度は普通郵便でお送りしましたが、今年度から簡易書留で`: last time's way is not
        // this time's.
        let s = match s.rfind("ましたが、") {
            Some(at) => &s[at + "ましたが、".len()..],
            None => s.as_str(),
        };
        // `お持ちの方には「お知らせ」を普通郵便で、お持ちでない方には「資格確認書」を簡易書留で`:
        // each method goes with the document named last before it; both documents named
        // as one object (`資格確認書、またはお知らせを…特定記録郵便で`) share it.
        let joint = names_both_documents(s);
        let distinct = methods_in(s, |at| {
            joint || document_before(s, at) != Some(Subject::Notice)
        });
        if distinct.len() > 1 {
            // `簡易書留または特定記録で`: alternatives, not this document's method.
            continue;
        }
        found.extend(distinct);
    }
    if found.contains(&"簡易書留") {
        found.retain(|m| *m != "書留");
    }
    found.sort();
    found.dedup();
    match found.as_slice() {
        [one] => one.to_string(),
        [] => String::new(),
        many => {
            warnings.push(format!(
                "method: several methods for the 資格確認書 ({many:?}); left empty"
            ));
            String::new()
        }
    }
}

/// The methods `s` names (each once, in order; `簡易書留` is not also a `書留`), counting
/// only the mentions at byte offsets `keep` accepts.
fn methods_in(s: &str, keep: impl Fn(usize) -> bool) -> Vec<&'static str> {
    // `書留ではなく、普通郵便で`: a way denied is not the way.
    let denied = |at: usize, k: &str| {
        let rest = s[at + k.len()..].trim_start_matches("郵便");
        ["ではなく", "でなく", "ではありません", "ではない"]
            .iter()
            .any(|n| rest.starts_with(n))
    };
    let mut found: Vec<&'static str> = METHODS
        .iter()
        .filter(|(k, _)| s.match_indices(k).any(|(at, _)| keep(at) && !denied(at, k)))
        .map(|(_, m)| *m)
        .collect();
    found.sort();
    found.dedup();
    if found.contains(&"簡易書留") {
        found.retain(|m| *m != "書留");
    }
    found
}

/// The 資格確認書 and the お知らせ named as one object (`資格確認書、または資格情報のお知らせ
/// を`, `資格確認書と資格情報のお知らせを`).
fn names_both_documents(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"資格確認書」?[、,]?(?:または|及び|および|か|と|や|・)「?資格情報のお知らせ」?[、,]?を")
            .expect("both documents regex")
    })
    .is_match(s)
}

/// The document named last in `s[..at]`: the 資格確認書 (or 保険証) or the お知らせ
/// (`マイナ保険証` names no document).
fn document_before(s: &str, at: usize) -> Option<Subject> {
    let mut head = s[..at].to_string();
    for k in NOT_A_DOCUMENT {
        head = head.replace(k, &"_".repeat(k.len()));
    }
    let last = |words: &[&str]| {
        words
            .iter()
            .filter_map(|w| head.rfind(w).map(|at| (at, at + w.len())))
            // The longest word ending last (`資格情報のお知らせ`, not its `お知らせ`).
            .max_by_key(|&(at, end)| (end, std::cmp::Reverse(at)))
    };
    match (
        last(CARD),
        last(&["資格情報のお知らせ", "資格情報通知書", "お知らせ"]),
    ) {
        // `「資格確認書」または「資格情報のお知らせ」を普通郵便で`: both go that way.
        (Some((_, c_end)), Some((n, _))) if n >= c_end => {
            let between: String = head[c_end..n]
                .chars()
                .filter(|c| !"「」『』 ".contains(*c))
                .collect();
            if [
                "",
                "または",
                "又は",
                "もしくは",
                "と",
                "・",
                "、",
                "及び",
                "や",
            ]
            .contains(&between.as_str())
            {
                Some(Subject::Card)
            } else {
                Some(Subject::Notice)
            }
        }
        (None, Some(_)) => Some(Subject::Notice),
        (Some(_), _) => Some(Subject::Card),
        (None, None) => None,
    }
}

/// The scheme of the whole page, leaving out sentences about turning 75 (`75歳になると
/// 後期高齢者医療制度へ移行します` on a 国保 page): the scheme one moves to is not the
/// page's, unless nothing else names one.
fn page_scheme(sents: &[String], text: &str) -> String {
    let rest: Vec<&str> = sents
        .iter()
        .filter(|s| !s.contains("75歳"))
        .map(String::as_str)
        .collect();
    let scheme = scheme_of(&rest.join("\n"));
    if scheme.is_empty() {
        return scheme_of(text);
    }
    // A page about one scheme that names the other only in passing (`国保などから移ります`,
    // a breadcrumb): the scheme most sentences are about, when it is at least three times
    // the other's and no sentence gives the other a document.
    let about = |names: &[&str]| {
        sents
            .iter()
            .filter(|s| names.iter().any(|k| s.contains(k)))
            .collect::<Vec<_>>()
    };
    let (kokuho, koki) = (about(KOKUHO), about(KOKI));
    let in_passing = |few: &[&String], many: &[&String]| {
        many.len() >= 3 * few.len().max(1)
            && !few.iter().any(|s| {
                ["資格確認書", "資格情報", "保険証"]
                    .iter()
                    .any(|d| s.contains(d))
            })
    };
    if scheme == "kokuho+koki" && in_passing(&kokuho, &koki) {
        "koki".into()
    } else if scheme == "kokuho+koki" && in_passing(&koki, &kokuho) {
        "kokuho".into()
    } else {
        scheme
    }
}

/// `kokuho`, `koki`, `kokuho+koki` or empty, by the schemes the text names; an office's
/// name (`国民健康保険課`, `国保係`, `後期高齢者医療担当`) only when nothing else names one.
fn scheme_of(text: &str) -> String {
    static OFFICE: OnceLock<Regex> = OnceLock::new();
    let office = OFFICE.get_or_init(|| {
        Regex::new(r"(?:国民健康保険|国保|後期高齢者医療|後期高齢者|後期高齢)(?:年金)?(?:課|係|室|担当|グループ|チーム|センター)")
            .expect("office regex")
    });
    let beside_offices = office.replace_all(text, "");
    match schemes_named(&beside_offices) {
        "" => schemes_named(text),
        named => named,
    }
    .to_string()
}

fn schemes_named(text: &str) -> &'static str {
    let kokuho = KOKUHO.iter().any(|k| text.contains(k));
    let koki = KOKI.iter().any(|k| text.contains(k));
    match (kokuho, koki) {
        (true, true) => "kokuho+koki",
        (true, false) => "kokuho",
        (false, true) => "koki",
        (false, false) => "",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    /// 後期's rule from 2026-08: everyone aged 85 or more, those below by card status.
    AgeSplit,
    /// Everyone, as a provisional rule in force (暫定).
    Provisional,
    /// The rule stated as the principle (原則).
    Principle(&'static str),
    /// Everyone.
    All,
    /// Those without a マイナ保険証, listed under a heading of who gets the card
    /// (`資格確認書の交付対象者`): a statement of who that outranks [`Class::Joining`].
    Listed,
    /// 後期 under the provisional rule: the card sent to whoever joins or changes, with no
    /// condition of status ([`joining_gets_card`]); weaker than a list of who gets it, but
    /// stronger than a rule by status that may be the one to come.
    Joining,
    /// Those without a マイナ保険証.
    Unregistered,
    /// The nation's rule told as background (`国の制度では、…お持ちでない方に交付すること
    /// とされています`): outranked by the page's own rule of who gets the card, not by the
    /// few who may ask for one.
    National(&'static str),
    /// Only on request: a statement of who, so it outranks a bare "sent at once".
    OnApplication,
    /// Holders get the お知らせ (so non-holders the 資格確認書), said only of holders; or
    /// the 資格確認書 given to those who gave the マイナ保険証 up (登録解除, 返納).
    HoldersGetNotice,
    /// The 資格確認書 alone sent to everyone at once (weaker than any statement of who).
    AtOnce,
}

fn class_of(s: &str, page_date: Option<NaiveDate>) -> Option<Class> {
    // `お持ちかどうかに関係なく`: whether one holds it, as `有無` says it (not a group
    // without one).
    static WHETHER: OnceLock<Regex> = OnceLock::new();
    let whether = WHETHER.get_or_init(|| {
        Regex::new(r"(?:お持ち|持って|保有して|登録して|登録が(?:ある|あ))(?:いる|います)?かどうか")
            .expect("whether regex")
    });
    let s = whether.replace_all(s, "の有無");
    let s = person_nouns_as_kanji(&s);
    let plain: String = s.chars().filter(|c| !"「」『』".contains(*c)).collect();
    // `…にのみ送付することになっておりましたが、…全ての被保険者に交付することとなりました`:
    // the plan given up is not the rule; only what follows it is.
    let s = PLAN_GIVEN_UP
        .iter()
        .filter_map(|k| plain.rfind(k).map(|at| at + k.len()))
        .max()
        .map_or(plain.as_str(), |at| &plain[at..]);
    // `令和8年7月31日までは…全員に交付し、令和8年8月1日以降は…お持ちでない方に交付`: two
    // rules in one sentence; the one in force at the page's date is read.
    let mut split = false;
    let plain_owned;
    let s = match next_regime_at(s) {
        Some(at) if at > 0 && (s[..at].contains("までは") || s[..at].contains("までの間")) =>
        {
            split = true;
            plain_owned = if page_date.is_none_or(|d| d <= PROVISIONAL_END) {
                s[..at].to_string()
            } else {
                s[at..].to_string()
            };
            plain_owned.as_str()
        }
        _ => s,
    };
    // `…全員に交付するよう求める質問`, `国は…を検討しています`: a request or a plan under
    // consideration, not the rule in force.
    if NOT_A_RULE.iter().any(|k| s.contains(k)) {
        return None;
    }
    // (On a page of 2026, `令和8年8月から使う資格確認書` is the cycle mailed that July, the
    // rule in force for it, not a later one.)
    let this_cycle = |k: &&str| {
        page_date.is_some_and(|d| d.year() == PROVISIONAL_END.year())
            && ["令和8年8月", "2026年8月"].contains(k)
    };
    // (`資格確認書を7月17日に発送する予定です`: the day is planned, not the rule; a rule
    // planned with no day of its own, `…交付する予定です`, is for later.)
    // (A day or a part of a month it is sent on, `7月17日に`, `7月中旬頃`; not when a rule
    // starts, `令和7年8月以降は…交付する予定です`.)
    let scheduled = |k: &&str| {
        *k == "予定です"
            && next_regime_at(s).is_none()
            && dates_in(s, page_date.map(|d| d.year())).iter().any(|d| {
                let rest = &s[d.span.end.min(s.len())..];
                // (Past a weekday: `7月17日(木)に`.)
                let rest = match rest.strip_prefix('(') {
                    Some(r) => r.split_once(')').map_or(rest, |(_, after)| after),
                    None => rest,
                };
                ["に", "頃", "ごろ", "中", "発送", "送付", "郵送"]
                    .iter()
                    .any(|k| rest.starts_with(k))
                    && !rest.starts_with("以降")
            })
    };
    let later = LATER
        .iter()
        .filter(|k| !this_cycle(k) && !scheduled(k))
        .any(|k| s.contains(k));
    // 後期 from 2026-08: `85歳以上の方…全員`, `84歳以下の方…お持ちでない方`. In force on a
    // page dated after the provisional rule; announced for later on one dated before it.
    if names_age_band(s) && !s.contains("75歳") {
        // (A page of 2026 before August is about the cycle mailed that July, under the
        // new rule: `令和8年度は…85歳以上の方…全員に`.)
        let in_force = match page_date {
            Some(d) => d > PROVISIONAL_END || d.year() == PROVISIONAL_END.year(),
            None => !later,
        };
        // Any rule told of an age band (`■84歳以下の方` / `お持ちの方にはお知らせを送付`) is
        // the later regime's on a page dated before it.
        if !in_force {
            return None;
        }
        // (Also holders denied the card: `84歳以下でマイナ保険証をお持ちの方には…送られません`.)
        if ALL_INSURED.iter().any(|k| s.contains(k))
            || UNREGISTERED.iter().any(|k| s.contains(k))
            || STATUS_DEPENDENT.iter().any(|k| s.contains(k))
            || negated(s, STATUS_STEMS)
            || (names_holders(s) && negated(s, ISSUING))
            || notice_to_users_of_a_band(s)
        {
            return Some(Class::AgeSplit);
        }
    }
    // A rule for after the provisional period, or one no longer planned.
    if later && !split {
        return None;
    }
    // `お持ちの方も…交付します`; not `お持ちの方も、資格確認書で受診できます` (its use).
    // (Not holders getting the お知らせ too: `お持ちの方にも資格情報のお知らせをお送りします`.)
    // (Not on application, `…方にも、申請により交付します`, nor instead, `…方にも、資格確認書
    // ではなくお知らせを`.)
    let holders_too = names_holders_too(s)
        && ISSUING.iter().any(|k| s.contains(k))
        && (!s.contains("お知らせ") || s.contains("資格確認書"))
        && !s.contains("ではなく")
        && !ON_APPLICATION.iter().any(|k| s.contains(k))
        && ![
            "申請すれば",
            "申請した場合",
            "申請があれば",
            "希望すれば",
            "希望する場合",
            "希望があれば",
        ]
        .iter()
        .any(|k| s.contains(k));
    // Who has no マイナ保険証, read without the phrases about holding the 資格確認書 or the
    // paper card (`保険証をお持ちでない方には` names no card status).
    let status = without_other_holdings(s);
    let gave_up = GAVE_UP.iter().any(|k| s.contains(k))
        && s.contains("資格確認書")
        && ISSUING.iter().any(|k| s.contains(k));
    // `登録している方と登録していない方とで、お送りするものは変わりません`: both groups get
    // the same, so everyone the card.
    // (Only what is sent: not `発送時期が同じ`, `封筒の色は…同じです`, `有効期限に違いは…`.)
    let same_for_both = names_holders(&status)
        && names_unregistered(&status)
        && s.contains("資格確認書")
        // (The whole predicate, `届く書類は同じです。`; not `同じ日に`, `同じではありません`, nor
        // `今年度も…変わりません`, unchanged from last year.)
        && !["今年度も", "昨年", "前年", "これまでと", "従来と"]
            .iter()
            .any(|k| s.contains(k))
        && SENT_THINGS.iter().any(|k| {
            s.match_indices(k).any(|(at, _)| {
                let rest = s[at + k.len()..].trim_end_matches(['。', ' ']);
                ["は同じです", "は同じになります", "は変わりません", "に違いはありません"]
                    .contains(&rest)
            })
        });
    if same_for_both && !negated(s, ISSUING) {
        return Some(Class::All);
    }
    let unreg = names_unregistered(&status) || STATUS_DEPENDENT.iter().any(|k| s.contains(k));
    // `資格情報のお知らせは、マイナ保険証をお持ちの方全員に送付`: everyone of whom the お知らせ
    // is said, not everyone insured.
    let notice_only = (s.contains("お知らせ") || s.contains("通知書")) && !s.contains("資格確認書");
    let holders_too = holders_too && !notice_only;
    // (`加入者になる方には…必要な方に交付します`: those who need one, on request.)
    let on_need = ["必要な方に", "希望する方に", "希望される方に", "希望者に"]
        .iter()
        .any(|k| s.contains(k));
    // `加入者全員に、資格確認書または資格情報のお知らせを送付`: everyone gets one of the two,
    // as their status decides; not the card for everyone.
    let all = !notice_only
        && !card_or_notice(s)
        && (holders_too || (names_everyone(s) && !on_need))
        // `被保険者になると、1人に1枚資格確認書が交付されます`: one each for every insured
        // person; `1人に1枚` alone only says how many each gets.
        || (s.contains("1人に1枚")
            && (s.contains("被保険者") || s.contains("加入"))
            && !s.contains("お知らせ"));
    // `一斉交付の際に…交付を受けた方については`: the event named as a time, not the rule.
    let at_once = AT_ONCE.iter().any(|k| {
        s.match_indices(k).any(|(at, _)| {
            let rest = &s[at + k.len()..];
            !["の際", "時に", "のとき", "の時"]
                .iter()
                .any(|t| rest.starts_with(t))
        })
    }) && s.contains("資格確認書")
        && ![
            "資格確認書等",
            "お知らせ",
            "通知書",
            "または",
            "もしくは",
            "か「",
        ]
        .iter()
        .any(|k| s.contains(k));
    let provisional =
        PROVISIONAL.iter().any(|k| s.contains(k)) && page_date.is_none_or(|d| d <= PROVISIONAL_END);
    // Both said: the recipient is the group named last, right before the verb
    // (`お持ちでない方も…受診できるよう、…資格確認書を全員に交付します`).
    let all_last = all
        && unreg
        && ALL_INSURED
            .iter()
            .filter_map(|k| s.rfind(k))
            .max()
            // In another clause: `お持ちでないすべての方に` restricts "everyone".
            // (Not after words of application, `お持ちでない方には、申請がなくても全員に`:
            // all of that group, whether they apply or not.)
            .is_some_and(|a| {
                unregistered_at(&status).is_some_and(|u| {
                    a > u
                        && status.get(u..a).is_some_and(|between| {
                            between.contains('、') && !between.contains("申請")
                        })
                })
            });
    let unreg = unreg && !all_last;
    // `資格確認書を職権では交付しておりません`, `申請のない者には交付しておらず`: the card
    // denied to all who do not apply, whatever their status; the rule itself.
    let without_application = [
        "申請のない",
        "申請がない",
        "申請をしない",
        "申請しない",
        "申し出のない",
        "申し出がない",
        "申出のない",
        "申出がない",
    ]
    .iter()
    .any(|k| s.contains(k));
    let denied = negated(s, ISSUING);
    let only_the_notice = s.contains("のみ") && (s.contains("お知らせ") || s.contains("通知書"));
    // (Not of holders only: `お持ちの方のうち、申請のない方には…お知らせのみ` is the
    // unregistered rule.)
    let of_holders = names_holders(&status) && !names_unregistered(&status);
    if !of_holders
        && ((s.contains("職権") && denied) || (without_application && (denied || only_the_notice)))
    {
        return Some(Class::Principle("on_application"));
    }
    // `申請書を提出された方にのみ交付します`: the card only on application, said to exclude
    // everyone else; the rule itself.
    // (Not when the sentence names a group of its own, `お持ちでない方と、…申請された方にの
    // み`, nor when it says no application is needed.)
    let applied = ON_APPLICATION.iter().any(|k| s.contains(k)) || s.contains("申請書を提出");
    let needs_none = ["必要はありません", "不要", "によらず", "必要ありません"]
        .iter()
        .any(|k| s.contains(k));
    if applied
        && !unreg
        && !needs_none
        && ["にのみ", "のみに", "方だけ"].iter().any(|k| s.contains(k))
        && !OTHER_REQUEST.iter().any(|k| s.contains(k))
    {
        return Some(Class::Principle("on_application"));
    }
    if all && !unreg || holders_too {
        if provisional {
            return Some(Class::Provisional);
        }
        if s.contains("原則") {
            return Some(Class::Principle("all_insured"));
        }
        return Some(Class::All);
    }
    if unreg {
        if s.contains("原則") {
            return Some(Class::Principle("unregistered_only"));
        }
        return Some(Class::Unregistered);
    }
    // A statement of who (`申請された方にお渡しします`) outranks `一斉送付` in one sentence
    // as it does across sentences: a table cell read as one block joins the heading
    // (`資格確認書の一斉送付について`) to the rule.
    if ON_APPLICATION.iter().any(|k| s.contains(k))
        && !OTHER_REQUEST.iter().any(|k| s.contains(k))
        && !(at_once && provisional)
    {
        return Some(Class::OnApplication);
    }
    // `令和8年7月末までは「資格確認書」が交付され…`: during the provisional period the
    // 資格確認書 is issued with no condition, so to everyone; not to a group listed apart
    // (`当面の間、次の方については…交付します`).
    if provisional
        && !["次の", "該当", "のうち", "場合", "方については"]
            .iter()
            .any(|k| s.contains(k))
        && s.contains("資格確認書")
        && ["までは", "までの間", "暫定", "当分の間", "当面"]
            .iter()
            .any(|k| s.contains(k))
        && (["交付され", "送付され", "発行され"]
            .iter()
            .any(|k| s.contains(k))
            || issues_in_any_form(s))
    {
        return Some(Class::Provisional);
    }
    if at_once {
        return Some(if provisional {
            Class::Provisional
        } else {
            Class::AtOnce
        });
    }
    // `マイナ保険証をお持ちの人には資格確認書が交付されません`: holders are denied the card,
    // so it goes to those without one (any negated form of an issuing verb); a statement
    // of who, as strong as `お持ちでない方に交付します`.
    if names_holders(&status)
        && s.contains("マイナ")
        && s.contains("資格確認書")
        && negated(s, ISSUING)
    {
        return Some(Class::Unregistered);
    }
    // `利用登録を解除した方には資格確認書を交付します`: said of one way to lose the マイナ
    // 保険証, so as weak as the お知らせ to holders below.
    if gave_up {
        return Some(Class::HoldersGetNotice);
    }
    // `マイナ保険証をお持ちの方には資格情報のお知らせを交付します`: holders get the お知らせ,
    // so the 資格確認書 goes to those without one.
    // `…お持ちの方には、資格確認書ではなく「資格情報のお知らせ」が届きます`: the card named
    // only as what holders do not get.
    let instead = [
        "資格確認書ではなく",
        "資格確認書でなく",
        "資格確認書の代わりに",
    ]
    .iter()
    .fold(s.to_string(), |acc, k| acc.replace(k, ""));
    if names_holders(s)
        && s.contains("マイナ")
        && !instead.contains("資格確認書")
        && (s.contains("お知らせ") || s.contains("通知書"))
        && ISSUING.iter().any(|k| s.contains(k))
    {
        return Some(Class::HoldersGetNotice);
    }
    None
}

/// 後期 under the provisional rule: the 資格確認書 sent to whoever joins or changes
/// (`新たに加入される方には、資格確認書を郵送します`, `75歳になる方には…お送りします`) with no
/// condition of マイナ保険証 status and no application: everyone gets one.
fn joining_gets_card(s: &str) -> bool {
    const JOINING: &[&str] = &[
        "新規加入",
        "新たに加入",
        "加入される",
        "加入した",
        "加入する方",
        "資格取得",
        "資格を取得",
        "75歳",
        "年齢到達",
        "変更となる",
        "変更があった",
        "住所変更",
        "転入",
    ];
    s.contains("資格確認書")
        && ISSUING.iter().any(|k| s.contains(k))
        && JOINING.iter().any(|k| s.contains(k))
        && !["マイナ", "登録", "お持ち", "保有", "持っ", "持た"]
            .iter()
            .any(|k| s.contains(k))
        && !ON_APPLICATION
            .iter()
            .chain(OTHER_REQUEST)
            .any(|k| s.contains(k))
        && !negated(s, ISSUING)
        // `資格確認書等`, `「資格確認書」等`, `資格確認書または資格情報のお知らせ`: one
        // document or the other (not `県内または町内で`).
        && !names_card_or_other(s)
        && ![
            "お知らせ",
            "通知書",
            "書または",
            "書」または",
            "または「",
            "書もしくは",
            "もしくは「",
        ]
        .iter()
        .any(|k| s.contains(k))
}

/// `資格確認書等` (the card or the お知らせ, whichever one's status gives), quoted or not
/// (`「資格確認書」等`).
fn names_card_or_other(s: &str) -> bool {
    s.replace(['「', '」', '『', '』'], "")
        .contains("資格確認書等")
}

/// `s` gives the 資格確認書 or the お知らせ, one of the two (`資格確認書または資格情報のお知らせ`,
/// `資格確認書か資格情報のお知らせのいずれか`, `資格確認書等`).
fn card_or_notice(s: &str) -> bool {
    let t = s.replace(['「', '」', '『', '』'], "");
    let (Some(card), Some(notice)) = (t.find("資格確認書"), t.find("お知らせ")) else {
        return names_card_or_other(s);
    };
    let between = &t[card.min(notice)..card.max(notice)];
    names_card_or_other(s)
        || ["または", "又は", "もしくは", "若しくは"]
            .iter()
            .any(|k| between.contains(k) || t[card.max(notice)..].starts_with(k))
        || t.contains("いずれか")
        || between.contains("書か")
        || between.contains("せか")
}

/// Who a label of recipients names (`被保険者全員`, `マイナ保険証をお持ちでない方`): everyone,
/// those without a マイナ保険証 (as strong as a list under a heading of who), or neither.
fn recipient_class(value: &str) -> Option<Class> {
    // (A note in brackets explains a word: `マイナ保険証(保険証として使う登録をした
    // マイナンバーカード)がない方`.)
    let value = strip_brackets(value);
    let value = person_nouns_as_kanji(&value);
    let value = value.as_ref();
    if names_everyone(value)
        || ["全員", "全ての被保険者", "すべての被保険者"]
            .iter()
            .any(|k| value.trim_end_matches(['。', ' ']).ends_with(k))
    {
        return Some(Class::All);
    }
    names_unregistered(&without_other_holdings(value)).then_some(Class::Listed)
}

/// Everyone, in words of "all insured" (`被保険者全員`, `すべての方`) or of "regardless of
/// status" ([`regardless_of_status`]).
fn names_everyone(s: &str) -> bool {
    regardless_of_status(s)
        || (ALL_INSURED.iter().any(|k| s.contains(k)) && !NOT_ALL.iter().any(|k| s.contains(k)))
}

/// Those without a マイナ保険証, in `status` (a sentence with other holdings blanked out by
/// [`without_other_holdings`]): an [`UNREGISTERED`] phrase, or a negated status stem of the
/// マイナ保険証 (`利用登録のない方`).
fn names_unregistered(status: &str) -> bool {
    // A bare `お持ちでない場合` names no card (`顔写真付きの本人確認書類を…お持ちでない場合`,
    // told in the sentence before): a case of something else, unless the sentence speaks
    // of the マイナ保険証 or its registration (a table cell `持っていない` is read so).
    let of_the_card = ["マイナ", "登録", "保険証", "カード"]
        .iter()
        .any(|k| status.contains(k));
    let named = UNREGISTERED.iter().any(|k| {
        status
            .match_indices(k)
            .any(|(at, _)| of_the_card || !status[at + k.len()..].starts_with("場合"))
    });
    named
        || card_use_group(status) == Some(false)
        || (negated(status, STATUS_STEMS)
            && ["マイナ", "利用登録", "保険証"]
                .iter()
                .any(|k| status.contains(k)))
}

/// The 2026 後期 rule's age band, by age (`85歳以上`, `84歳以下`) or by birth date
/// (`昭和16年7月31日以前に生まれた方`, `昭和16年8月1日以降生まれ`).
fn names_age_band(s: &str) -> bool {
    static BORN: OnceLock<Regex> = OnceLock::new();
    let born = BORN.get_or_init(|| {
        Regex::new(r"昭和\d{1,2}年\d{1,2}月\d{1,2}日(?:以前|以降|まで|より前)に?(?:お?生まれ)")
            .expect("born regex")
    });
    s.contains("85歳") || s.contains("84歳") || born.is_match(s)
}

/// `s` with the phrases about holding the 資格確認書 or the paper card blanked out (same
/// length, so positions still match): `資格確認書をお持ちでない方は提出不要です`,
/// `保険証をお持ちでない方には` name no マイナ status. `マイナ保険証をお持ちでない` stays.
fn without_other_holdings(s: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?P<pre>^|[^ナ])(?P<doc>資格確認書|被保険者証|保険証)」?[をがは]?(?:お持ちでない|お持ちの|持っていない|保有していない)",
        )
        .expect("holding regex")
    });
    re.replace_all(s, |c: &regex::Captures<'_>| {
        let whole = c.get(0).map_or("", |m| m.as_str());
        let pre = c.name("pre").map_or("", |m| m.as_str());
        format!("{pre}{}", "_".repeat(whole.len() - pre.len()))
    })
    .into_owned()
}

/// `…の所持にかかわらず`, `登録の有無を問わず`, `保有状況に関係なく`: a word of "regardless"
/// right after a word of マイナ保険証 status, in whatever wording the page uses for it.
fn regardless_of_status(s: &str) -> bool {
    const REGARDLESS: &[&str] = &[
        "かかわらず",
        "関わらず",
        "拘わらず",
        "問わず",
        "関係なく",
        "よらず",
    ];
    const STATUS: &[&str] = &[
        "有無",
        "状況",
        "所持",
        "保有",
        "所有",
        "登録",
        "お持ち",
        "利用",
    ];
    REGARDLESS.iter().any(|r| {
        s.match_indices(r).any(|(at, _)| {
            // (`お持ちかどうかに関係なく`: the status a few words before.)
            let before = crate::text::chars_before(s, at, 10);
            STATUS.iter().any(|k| before.contains(k))
        })
    })
}

/// Where the last phrase naming those without a マイナ保険証 stands in `s`.
fn unregistered_at(s: &str) -> Option<usize> {
    let listed = UNREGISTERED
        .iter()
        .chain(STATUS_DEPENDENT)
        .filter_map(|k| s.rfind(k));
    let stems = STATUS_STEMS
        .iter()
        .filter(|k| negated(s, &[**k]))
        .filter_map(|k| s.rfind(*k));
    listed.chain(stems).max()
}

/// A rule told of a past cycle (`令和7年度の一斉更新では…お送りしました`) on a page of a later
/// fiscal year.
fn past_cycle(s: &str, page_date: Option<NaiveDate>) -> bool {
    static FY: OnceLock<Regex> = OnceLock::new();
    let fy = FY.get_or_init(|| Regex::new(r"令和(\d{1,2})年度").expect("fiscal year regex"));
    let Some(d) = page_date else { return false };
    let page_fy = if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    };
    told_of_last_year(s)
        || (told_in_past(s)
            && fy
                .captures_iter(s)
                .filter_map(|c| c[1].parse::<i32>().ok())
                .any(|n| 2018 + n < page_fy))
}

fn told_in_past(s: &str) -> bool {
    s.contains("ました") || s.contains("でした")
}

/// `昨年(令和7年)は7月下旬にお送りしましたが`: what was done last year, told in the past.
fn told_of_last_year(s: &str) -> bool {
    told_in_past(s) && ["昨年", "去年", "前年"].iter().any(|k| s.contains(k))
}

/// `s` tells the nation's rule as hearsay (`国の制度では、…こととされています`), as
/// background to the page's own.
fn national_background(s: &str) -> bool {
    let by_the_nation = [
        "国の制度",
        "国の方針",
        "国の仕組み",
        "国のルール",
        "国では",
        "国は",
        "法令",
        "法律",
        "制度上",
    ]
    .iter()
    .any(|k| s.contains(k));
    let hearsay = [
        "とされて",
        "と定められて",
        "こととなっています",
        "ことになっています",
    ]
    .iter()
    .any(|k| s.contains(k));
    by_the_nation && hearsay
}

fn decide(found: &[(Class, String)]) -> Option<(&'static str, String)> {
    let best = found.iter().min_by_key(|(c, _)| *c)?;
    let policy = match best.0 {
        Class::AgeSplit => "mixed",
        Class::Provisional | Class::All | Class::Joining | Class::AtOnce => "all_insured",
        Class::Principle(p) => p,
        Class::Listed | Class::Unregistered | Class::HoldersGetNotice => "unregistered_only",
        Class::OnApplication => "on_application",
        Class::National(p) => p,
    };
    Some((policy, best.1.clone()))
}

/// The issuance policy: who receives a 資格確認書 under the rule in force at the page's
/// date. On pages covering 国保 and 後期, each scheme's sentences are read separately
/// (a line naming one scheme opens its section) and the result is `mixed` when they
/// differ; `policy_by_scheme` keeps both. Recipients under a label (`対象者: …`) count on a
/// page of one scheme only: which scheme's a label is, a page of two does not say.
fn policy(
    sents: &[String],
    scheme: &str,
    page_date: Option<NaiveDate>,
    labelled: &[(Class, String)],
    table: &[(String, Class, String)],
) -> (&'static str, String, String) {
    // Buckets: 0 = not tied to a scheme, 1 = 国保, 2 = 後期.
    let mut found: [Vec<(Class, String)>; 3] = Default::default();
    for (row_scheme, class, row) in table {
        let bucket = match row_scheme.as_str() {
            "kokuho" => 1,
            "koki" => 2,
            _ => 0,
        };
        found[bucket].push((*class, row.clone()));
    }
    let mut in_section: [Vec<String>; 3] = Default::default();
    let mut section = 0;
    for (i, s) in sents.iter().enumerate() {
        // The sentence's own words name its scheme before the heading it was read under
        // (`国民健康保険・後期高齢者医療保険の方へ` over `(2)後期高齢者医療保険の方…`).
        let own = own_words(s);
        let own_scheme = scheme_of(own);
        let named = if own_scheme.is_empty() {
            scheme_of(s)
        } else {
            own_scheme
        };
        let here = match named.as_str() {
            "kokuho" => 1,
            "koki" => 2,
            "kokuho+koki" => 0,
            _ => section,
        };
        // A short line opens a section; not a table row that gives a scheme a date
        // (`後期高齢者医療制度 令和7年7月31日`).
        let row_with_a_date = s.split_once([' ', '\t', '|']).is_some_and(|(first, rest)| {
            !scheme_of(first).is_empty()
                && mynawatch_ja::find_dates(rest)
                    .iter()
                    .any(|d| d.kind == DateKind::Date)
        });
        if (s.chars().count() <= 40 && !row_with_a_date) || scheme_of(s) == "kokuho+koki" {
            section = here;
        }
        in_section[here].push(s.clone());
        let with_card = |k: usize| sents.get(k).is_some_and(|x| x.contains("資格確認書"));
        // Every notice is about the 資格確認書: a sentence that gives a マイナ保険証 status
        // and an issuing verb but no document is about it too.
        let status = ["マイナ", "登録", "保有", "持っ", "お持ち", "電子資格確認"]
            .iter()
            .any(|k| s.contains(k));
        let issues = ISSUING.iter().any(|k| s.contains(k));
        // `…登録のある方には、資格情報のお知らせが交付されます`: the お知らせ to holders is the
        // other half of the 資格確認書 rule.
        let card_here = with_card(i)
            || (status
                && issues
                && (!s.contains("お知らせ") && !s.contains("通知書") || names_holders(s)));
        // An age band's rule right after the card's (`…資格確認書は送られません。85歳以上の
        // 方には、申請がなくても全員に送られています`) is about it too.
        // (Not a table row that names only groups, `マイナ保険証をお持ちの方 | お持ちでない方`:
        // column heads, whose cells below say what each group gets or shows.)
        let under = document_above(sents, i);
        let card_near = card_here
            || ((status || names_age_band(s))
                && !group_column_heads(s)
                && s.chars().count() <= 100
                && (with_card(i + 1)
                    || with_card(i + 2)
                    || i > 0 && with_card(i - 1)
                    || under == Some(Subject::Card)));
        // A group of holders listed under the お知らせ's heading (`○資格情報のお知らせ` /
        // `[対象者]` / `マイナ保険証をお持ちの方`): holders get the お知らせ, so the card goes
        // to the others.
        if under == Some(Subject::Notice)
            && own.chars().count() <= 40
            && own.contains("マイナ")
            && names_holders(own)
            && !names_unregistered(&without_other_holdings(own))
        {
            found[here].push((Class::HoldersGetNotice, s.clone()));
            continue;
        }
        if !card_near {
            continue;
        }
        // The phrase must be in the sentence itself; neighbours only show it is about the card.
        let koki = here == 2 || (here == 0 && scheme == "koki");
        let listed = s
            .split_once(HEADING_MARK)
            .is_some_and(|(heading, _)| heading.contains("対象"));
        // `令和7年度の一斉更新では…全員にお送りしました` on a page of 令和8年度: a past
        // cycle's rule, not the one in force.
        if past_cycle(s, page_date) {
            continue;
        }
        // The provisional rule is 後期's: on a 国保 page or section, `当面…交付いたします` is
        // no rule of who gets one, unless it names everyone (`当面の間、…すべての方に`).
        let kokuho = here == 1 || (here == 0 && scheme == "kokuho");
        let class = class_of(s, page_date).map(|c| match c {
            Class::Principle(p) if national_background(s) => Class::National(p),
            Class::Unregistered if national_background(s) => Class::National("unregistered_only"),
            c => c,
        });
        match class {
            Some(Class::Provisional) if kokuho && names_everyone(s) => {
                found[here].push((Class::All, s.clone()))
            }
            Some(Class::Provisional) if kokuho => {}
            Some(Class::Unregistered) if listed => found[here].push((Class::Listed, s.clone())),
            Some(c) => found[here].push((c, s.clone())),
            None if koki
                && page_date.is_none_or(|d| d <= PROVISIONAL_END)
                && joining_gets_card(s) =>
            {
                found[here].push((Class::Joining, s.clone()))
            }
            None => {}
        }
    }
    // `なお、後期高齢者医療については…`: on a page that otherwise names no scheme, the
    // contrast sets the other sentences apart as the 国保 rule.
    let contrast = sents.iter().any(|s| {
        [
            "後期高齢者医療については",
            "後期高齢者医療においては",
            "後期高齢者医療制度では",
        ]
        .iter()
        .any(|k| s.contains(k))
    });
    let differ =
        matches!((decide(&found[0]), decide(&found[2])), (Some((a, _)), Some((b, _))) if a != b);
    // `ただし、後期高齢者医療制度の方については…全員に交付` on a 国保 page: an exception
    // for the other scheme, with a rule of its own.
    let page_rule = decide(&found[..2].concat());
    let koki_exception = scheme == "kokuho"
        && matches!((&page_rule, decide(&found[2])), (Some((a, _)), Some((b, _))) if *a != b);
    let both =
        scheme == "kokuho+koki" || (scheme == "koki" && contrast && differ) || koki_exception;
    if !both {
        // On a page of one scheme, the other's rule (`■ほかの医療保険(参考)` / `後期高齢者
        // 医療制度では…全員に交付`) is another insurer's, not this page's.
        // Only a sentence set against this page's scheme (`後期高齢者医療制度では、…`) on a
        // page whose title names its scheme: a scheme read from the body may be wrong (a 75歳
        // FAQ that names 国保 only for the card to discard).
        let titled = sents.first().is_some_and(|t| scheme_of(t) == scheme);
        let other = match scheme {
            "kokuho" if titled => 2,
            "koki" if titled => 1,
            _ => 3,
        };
        let contrasted = |s: &str| {
            [
                "制度では",
                "医療では",
                "保険では",
                "については",
                "においては",
            ]
            .iter()
            .any(|k| s.contains(k))
        };
        let own: Vec<(Class, String)> = found
            .iter()
            .enumerate()
            .flat_map(|(k, f)| {
                f.iter()
                    .filter(move |(_, e)| k != other || !contrasted(e))
                    .cloned()
            })
            .collect();
        let all: Vec<(Class, String)> = [own, labelled.to_vec()].concat();
        return match decide(&all) {
            Some((p, e)) => (p, e, String::new()),
            None => {
                let this_schemes: Vec<String> = sents
                    .iter()
                    .filter(|s| match other {
                        2 => scheme_of(s) != "koki" || !contrasted(s),
                        1 => scheme_of(s) != "kokuho" || !contrasted(s),
                        _ => true,
                    })
                    .cloned()
                    .collect();
                match unconditional_mailing(&this_schemes) {
                    Some(e) => ("all_insured", e, String::new()),
                    None => ("unknown", String::new(), String::new()),
                }
            }
        };
    }
    // A section that states no rule but sends its members the 資格確認書 with no condition
    // (`▽後期高齢者医療に加入している人 … 新しい資格確認書を…郵送します`) is read as the
    // page is ([`unconditional_mailing`]), within its own sentences.
    let unconditional =
        |k: usize| unconditional_mailing(&in_section[k]).map(|e| ("all_insured", e));
    let kokuho = decide(&found[1])
        .or_else(|| decide(&found[0]))
        .or_else(|| unconditional(1));
    let koki = decide(&found[2])
        .or_else(|| decide(&found[0]))
        .or_else(|| unconditional(2));
    let name = |x: &Option<(&'static str, String)>| x.as_ref().map_or("unknown", |(p, _)| *p);
    let by_scheme = format!("kokuho={};koki={}", name(&kokuho), name(&koki));
    match (&kokuho, &koki) {
        (None, None) => ("unknown", String::new(), by_scheme),
        (Some((p, e)), None) | (None, Some((p, e))) => (p, e.clone(), by_scheme),
        (Some((a, ea)), Some((b, eb))) if a == b => (a, format!("{ea} / {eb}"), by_scheme),
        (Some((_, ea)), Some((_, eb))) => ("mixed", format!("{ea} / {eb}"), by_scheme),
    }
}

/// The document whose heading `sents[i]` sits under: the nearest line within four lines
/// above that is only a document's name (`○資格確認書`, `【資格情報のお知らせ】`), with
/// what is told of it between (`大きさ:…`, `[対象者]`). `None` when no such heading is near.
fn document_above(sents: &[String], i: usize) -> Option<Subject> {
    sents[i.saturating_sub(4)..i].iter().rev().find_map(|l| {
        let name = own_words(l)
            .trim_matches(|c: char| c.is_whitespace() || "○●◆◇■□・【】[]「」:".contains(c));
        if name.chars().count() > 14 {
            return None;
        }
        if name.starts_with("資格確認書") {
            Some(Subject::Card)
        } else if ["資格情報のお知らせ", "資格情報通知書"]
            .iter()
            .any(|k| name.starts_with(k))
        {
            Some(Subject::Notice)
        } else {
            None
        }
    })
}

/// A table whose columns are groups by マイナ保険証 status (`マイナ保険証を持っている方 |
/// 持っていない方`) and whose cells name what each group gets (`資格情報のお知らせ |
/// 資格確認書`): each row's rule, with the scheme its first cell names (`国民健康保険`).
/// Holders given the 資格確認書 too means everyone gets one; holders given only the お知らせ
/// means those without one.
fn status_table(lines: &[structure::Line]) -> Vec<(String, Class, String)> {
    // (A cell's bracketed note, `(資格確認書は届きません)`, `(または資格確認書)`, says
    // nothing of what the group gets; a denied document is not given.)
    // (Nor a procedure, `資格確認書の再交付を申請`: what one applies for is not what a group
    // is given.)
    let card = |c: &str| {
        let c = strip_brackets(c);
        c.contains("資格確認書")
            && !negated(&c, ISSUING)
            && !["再交付", "申請"].iter().any(|k| c.contains(k))
    };
    let notice = |c: &str| {
        let c = strip_brackets(c);
        c.contains("お知らせ") || c.contains("通知")
    };
    let mut out = Vec::new();
    let mut columns: Option<(usize, usize)> = None;
    for l in lines {
        // The same told as blocks, one per group: `【マイナ保険証なし】` / `届く書類 資格確認書`.
        if l.shape == Shape::KeyValue && names_what_is_received(&l.label) {
            let heading = l.heading.as_str();
            let holders = (names_holders(heading) || heading.contains("マイナ保険証あり"))
                && !names_unregistered(heading);
            let class = if names_unregistered(heading) && card(&l.value) {
                Some(Class::Unregistered)
            } else if holders && card(&l.value) {
                Some(Class::All)
            } else if holders && notice(&l.value) {
                Some(Class::HoldersGetNotice)
            } else {
                None
            };
            if let Some(c) = class {
                out.push((scheme_of(heading), c, format!("{heading} {}", l.text)));
            }
        }
        // (`---|---|` under the column heads keeps the table going.)
        if structure::is_separator(&l.text) {
            continue;
        }
        if l.shape != Shape::Row {
            columns = None;
            continue;
        }
        let cells: Vec<&str> = l.text.split('|').map(str::trim).collect();
        match columns {
            Some((holders, without)) => {
                let (Some(h), Some(w)) = (cells.get(holders), cells.get(without)) else {
                    continue;
                };
                // (Holders given only their マイナ保険証, `マイナ保険証 | 資格確認書`, get no card
                // either.)
                let class = if card(h) && card(w) {
                    Class::All
                } else if !card(h) && card(w) {
                    Class::Unregistered
                } else {
                    continue;
                };
                out.push((scheme_of(cells[0]), class, l.text.clone()));
            }
            None => {
                let without = cells.iter().position(|c| names_unregistered(c));
                let holders = cells
                    .iter()
                    .position(|c| names_holders(c) && !names_unregistered(c));
                if let (Some(h), Some(w)) = (holders, without) {
                    columns = Some((h, w));
                }
            }
        }
    }
    out
}

/// The お知らせ said to go to those of an age band who use the マイナ保険証 (`「資格情報のお知らせ」
/// が送付される方は、マイナ保険証を直近1年間に6回以上利用し…た84歳以下の方です`): the 2026 後期
/// rule told from the お知らせ's side, everyone else getting the card.
fn notice_to_users_of_a_band(s: &str) -> bool {
    let t = s.trim_end_matches(['。', ' ']);
    // (Not a question, `…84歳以下の方だけですか`, nor a denial, `…お送りする方はいません`.)
    let asked_or_denied = t.ends_with('か')
        || ["いません", "ありません", "おりません"]
            .iter()
            .any(|k| s.contains(k));
    !asked_or_denied
        && (s.contains("お知らせ") || s.contains("資格情報通知書"))
        && !s.contains("資格確認書")
        && ["送付される方", "交付される方", "届く方", "お送りする方"]
            .iter()
            .any(|k| s.contains(k))
        && s.contains("84歳以下")
}

/// What a page calls the documents sent (`届く書類`, `お送りするもの`).
const SENT_THINGS: [&str; 8] = [
    "届く書類",
    "届くもの",
    "お送りするもの",
    "お送りする書類",
    "送付するもの",
    "送付する書類",
    "交付するもの",
    "交付する書類",
];

/// A table row of short cells that each only name a group by マイナ保険証 status
/// (`マイナ保険証をお持ちの方 | マイナ保険証をお持ちでない方`): column heads.
fn group_column_heads(s: &str) -> bool {
    let cells: Vec<&str> = s
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    cells.len() >= 2
        && cells.iter().all(|c| {
            // A group's name, short or long (`健康保険証の利用登録をしたマイナンバーカードを
            // お持ちでない方`), not a sentence.
            let group = c.chars().count() <= 20
                || (c.chars().count() <= 40
                    && ["方", "人", "かた", "者"].iter().any(|k| c.ends_with(k)));
            group && (names_holders(c) || names_unregistered(c))
        })
}

/// A label of what a group receives (`届く書類`, `送付する書類`, `お届けするもの`).
fn names_what_is_received(label: &str) -> bool {
    (label.contains("書類") || label.ends_with("もの"))
        && ["届く", "届け", "送付", "送る", "交付", "お送り"]
            .iter()
            .any(|k| label.contains(k))
}

/// The first line that is a heading rather than page furniture (breadcrumbs, 本文,
/// 更新日 lines, skip links); a 広報 category prefix (`くらし `) is dropped.
/// A page that states no rule but sends the 資格確認書 to its members without any
/// condition (`75歳の誕生日までに資格確認書を送付します`, `新しい資格確認書は7月下旬に郵送し
/// ます`): everyone gets one. Only when no sentence of the page makes a document depend on
/// a マイナ保険証 status ([`conditions_a_document`]: a page may well say how to use a マイナ
/// 保険証), and not for a card sent on an event (a move, a loss, an application).
fn unconditional_mailing(sents: &[String]) -> Option<String> {
    if sents.iter().any(|s| conditions_a_document(s)) {
        return None;
    }
    sents
        .iter()
        .find(|s| {
            s.contains("資格確認書")
                && (["送付", "郵送", "お届け", "お送り"]
                    .iter()
                    .any(|v| s.contains(v))
                    || issues_in_any_form(s))
                && ![
                    "申請",
                    "再交付",
                    "紛失",
                    "場合",
                    "希望",
                    "とき",
                    "転入",
                    "転出",
                    "変更",
                    "された",
                    "済",
                    // After a notification (`届出を受け付けた後、…郵送します`).
                    "届出を受け",
                    "届出のあと",
                    "届出の後",
                    "届出後",
                    "届け出の後",
                    "届け出後",
                    "併記",
                    "なくな",
                    "しません",
                    "できません",
                    "対象の方",
                    "該当",
                    "特別療養費",
                    "誤り",
                    "一部の",
                    "一部で",
                    // The mailing as a topic still to be settled (`送付時期は、国の通知を
                    // 待って決定します`).
                    "時期は",
                    "方法や",
                    "未定",
                    "決まり次第",
                    "待って",
                    // A group by a need (`マイナ保険証での受診が難しい方には…交付します`).
                    "難しい",
                    "困難",
                    "お困り",
                    "必要な方",
                    "必要とする",
                ]
                .iter()
                .any(|k| s.contains(k))
                && !names_card_or_other(s)
                && !negated(s, &["送付", "郵送", "お届け", "お送り"])
                && !mailing_only_as_occasion(s)
                && !NOT_A_RULE.iter().any(|k| s.contains(k))
        })
        .cloned()
}

/// An issuing verb that states a rule, polite (`交付します`, `交付いたします`, `送付されます`,
/// `お送りいたします`) or plain at the sentence's end (`交付する。`, `発行される。`); not a noun
/// (`交付申請`), a relative clause (`…以降に交付した資格確認書`) or a possibility (`即日交付
/// することができます`).
fn issues_in_any_form(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?:交付|送付|発行)(?:いたします|致します|します|されます)|(?:交付|送付|発行)(?:する|される)(?:[。.]|\s*$)|お送り(?:いたします|致します|します)",
        )
        .expect("issuing verb regex")
    })
    .is_match(s)
}

/// Every mailing `s` names is only the occasion of something else (`資格確認書送付の際に
/// 同封しているパンフレットをご覧ください`, `郵送時に`): it says nothing of who gets one.
fn mailing_only_as_occasion(s: &str) -> bool {
    const OCCASION: [&str; 8] = [
        "の際",
        "する際",
        "した際",
        "時",
        "の時",
        "する時",
        "した時",
        "に同封",
    ];
    let mut mailings = ["送付", "郵送", "お届け", "お送り"]
        .iter()
        .flat_map(|v| s.match_indices(v).map(move |(i, _)| &s[i + v.len()..]))
        .peekable();
    // (`送付時期` is the mailing's time, not an occasion.)
    mailings.peek().is_some()
        && mailings.all(|after| {
            !after.starts_with("時期") && OCCASION.iter().any(|o| after.starts_with(o))
        })
}

/// Whether `s` gives a document to a group named by its マイナ保険証 status: a group
/// (`お持ちでない方`, `利用登録がある方`, `登録状況に応じて`, `資格情報のお知らせ`) and an
/// issuing verb or the other document in one sentence. `マイナ保険証をお持ちの方は受診の際…`
/// and `保険証は廃止され、マイナ保険証での受診を基本とする` name a status but give nothing.
fn conditions_a_document(s: &str) -> bool {
    let status = without_other_holdings(s);
    let group = UNREGISTERED.iter().any(|k| status.contains(k))
        || STATUS_DEPENDENT.iter().any(|k| s.contains(k))
        || names_holders(&status)
        || negated(&status, STATUS_STEMS)
        || status.contains("登録がある")
        || status.contains("登録のある");
    let gives = ISSUING.iter().any(|k| s.contains(k));
    s.contains("資格情報のお知らせ") || group && (gives || s.contains("資格確認書"))
}

fn title_of(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .find(|l| {
            !FURNITURE.iter().any(|f| l.contains(f)) && !l.contains(" > ") && !l.contains('⇒')
        })
        .map(|l| {
            let l = l.strip_prefix("くらし ").unwrap_or(l);
            l.trim_start_matches(['■', '●', '◆', '#', ' '])
                .trim()
                .to_string()
        })
        .unwrap_or_default()
}

fn figures(sents: &[String], n: &Notice, input: &Input<'_>) -> Vec<Figure> {
    // Never the fetch time: a figure dated by when it was fetched would get a new key on
    // every re-fetch. A page without a date keeps `as_of` empty.
    let as_of = n.updated_on.or(n.published_on);
    let mut out = Vec::new();
    for (i, s) in sents.iter().enumerate() {
        let insured = numbers_after(s, INSURED, usize::MAX);
        for num in find_numbers(s) {
            let (metric, dims) = match num.unit.as_str() {
                // `同一世帯` is not a count of one household.
                "households" if !s[..num.span.start].ends_with('同') => {
                    ("notice.households", String::new())
                }
                "households" => continue,
                // 人 alone is too common (窓口 3人…): only a count labelled as insured.
                // `1人に1枚`, `一人ひとり`: per person, not a count.
                "persons"
                    if ["に1", "につき", "あたり", "ずつ", "ひとり"]
                        .iter()
                        .any(|k| s[num.span.end..].starts_with(k)) =>
                {
                    continue
                }
                "persons" if insured.iter().any(|(n, _)| n.span == num.span) => {
                    ("notice.insured_persons", String::new())
                }
                "jpy" => match label_ending_in(&s[..num.span.start], '費', 16) {
                    Some(label) => ("notice.cost", format!("item={label}")),
                    None => continue,
                },
                _ => continue,
            };
            out.push(Figure {
                metric: metric.into(),
                area_code: n.area_code.clone(),
                area_name: n.area_name.clone(),
                as_of: as_of.map(|d: NaiveDate| d),
                period_start: None,
                period_end: None,
                value: num.value,
                unit: num.unit.clone(),
                scale: num.scale,
                qualifier: num.qualifier,
                status: FigureStatus::Final,
                dimensions: dims,
                derived_from: String::new(),
                evidence: String::new(),
                provenance: input
                    .meta
                    .provenance(format!("sentence:{}", i + 1), num.text.clone()),
            });
        }
    }
    out
}
