//! Text families on pages written the way the real sites are built, and on the real
//! MHLW page: the facts listed in the corpus notes come out exactly.

use mynawatch_extract::{family, ExtractError, Extraction, Input};
use mynawatch_model::SnapshotMeta;
use mynawatch_testutil::{corpus_bytes, fixture_bytes};

fn meta(url: &str, content_type: Option<&str>) -> SnapshotMeta {
    let mut m = SnapshotMeta::for_file("src", url, &[], "0".repeat(64));
    m.content_type = content_type.map(str::to_string);
    m
}

fn extract(
    fam: &str,
    bytes: &[u8],
    url: &str,
    options: serde_json::Value,
) -> Result<Extraction, ExtractError> {
    let m = meta(url, None);
    family(fam).unwrap().extract(&Input {
        bytes,
        meta: &m,
        options: &options,
    })
}

fn date(s: &str) -> Option<chrono::NaiveDate> {
    Some(s.parse().unwrap())
}

// ── page ────────────────────────────────────────────────────────────────────

const MHLW_A: &str = "mhlw_pages/mhlw_newpage_67729_20260905T182241.html";
const MHLW_B: &str = "mhlw_pages/mhlw_newpage_67729_20260905T184534.html";
const MHLW_URL: &str = "https://www.mhlw.go.jp/stf/newpage_67729.html";

#[test]
fn the_real_mhlw_page_gives_its_title_headings_and_all_203_file_links() {
    let x = extract(
        "page",
        &corpus_bytes(MHLW_A),
        MHLW_URL,
        serde_json::Value::Null,
    )
    .unwrap();
    let n = &x.rows.notices[0];
    assert_eq!(n.title, "令和８年度診療報酬改定について｜厚生労働省");
    assert_eq!(n.updated_on, None, "the page has no last-updated date");
    let ext = |e: &str| {
        x.links
            .iter()
            .filter(|l| l.url.to_ascii_lowercase().ends_with(e))
            .count()
    };
    assert_eq!((ext(".pdf"), ext(".xlsx"), ext(".docx")), (146, 48, 9));
    let link = |url_end: &str, text: &str| {
        x.links
            .iter()
            .find(|l| l.url.ends_with(url_end) && l.text.starts_with(text))
            .unwrap_or_else(|| panic!("{url_end} {text}"))
    };
    let a = link("/content/12400000/001686842.pdf", "医科点数表");
    assert_eq!(
        (a.size_label.as_str(), a.url.as_str()),
        (
            "4.5MB",
            "https://www.mhlw.go.jp/content/12400000/001686842.pdf"
        )
    );
    assert_eq!(link("001732089.pdf", "医科点数表").size_label, "4.7MB");
    assert_eq!(
        link("001732097.pdf", "基本診療料の施設基準等").size_label,
        "21.2MB"
    );
    assert_eq!(
        link("001737745.xlsx", "診断群分類（DPC）電子点数表（正式版）").size_label,
        "2.4MB"
    );
    let contact = link("001666890.pdf", "診療報酬に関するお問い合わせ先");
    assert_eq!(
        (contact.size_label.as_str(), contact.heading.as_str()),
        ("116KB", "照会先")
    );
    assert!(n.text.starts_with("ホーム") || n.text.contains("令和８年度診療報酬改定について"));
}

#[test]
fn both_real_mhlw_snapshots_give_identical_rows_and_main_text_hash() {
    let a = extract(
        "page",
        &corpus_bytes(MHLW_A),
        MHLW_URL,
        serde_json::Value::Null,
    )
    .unwrap();
    let b = extract(
        "page",
        &corpus_bytes(MHLW_B),
        MHLW_URL,
        serde_json::Value::Null,
    )
    .unwrap();
    assert_eq!(a.rows.notices[0].text_sha256, b.rows.notices[0].text_sha256);
    assert_eq!(a.rows.notices[0].text, b.rows.notices[0].text);
    assert_eq!(a.links, b.links);
}

// ── municipal_notice ─────────────────────────────────────────────────────────

fn notice(file: &str, area: &str) -> Extraction {
    extract(
        "municipal_notice",
        &fixture_bytes(file),
        "https://www.city.example.lg.jp/kokuho.html",
        serde_json::json!({ "area": area }),
    )
    .unwrap()
}

#[test]
fn shibuya_sends_to_everyone_with_its_dates_and_method() {
    let x = notice("demo/shibuya_notice_v1.html", "東京都渋谷区");
    let n = &x.rows.notices[0];
    assert_eq!(
        (n.area_code.as_str(), n.area_name.as_str()),
        ("131130", "東京都渋谷区")
    );
    assert_eq!(n.issuance_policy, "all_insured");
    assert!(
        n.policy_evidence.contains("保有の有無にかかわらず"),
        "{}",
        n.policy_evidence
    );
    assert_eq!(n.valid_from, date("2025-08-01"));
    assert_eq!(n.valid_until, date("2026-07-31"));
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (date("2025-07-11"), date("2025-07-31")),
        "7月中旬から下旬"
    );
    assert_eq!(n.mailing_method, "特定記録郵便");
    assert_eq!(n.updated_on, date("2025-06-20"));
    assert!(
        !n.text.contains("Copyright") && !n.text.contains("くらし・手続き"),
        "site chrome removed"
    );
}

#[test]
fn a_shift_jis_page_that_sends_only_to_non_holders_is_unregistered_only() {
    let x = notice("municipal_notice/toshima_sjis.html", "東京都豊島区");
    let n = &x.rows.notices[0];
    assert_eq!(n.title, "マイナ保険証ってなに？｜豊島区公式ホームページ");
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert!(n.policy_evidence.contains("お持ちでない方"));
    assert_eq!(n.updated_on, date("2025-10-08"));
    assert!(n.text.contains("資格情報通知書"));
}

#[test]
fn minato_has_an_october_cycle() {
    let n = &notice("municipal_notice/minato.html", "東京都港区")
        .rows
        .notices[0];
    assert_eq!(n.valid_from, date("2025-10-01"));
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(n.updated_on, date("2025-07-16"));
    assert!(!n.text.contains("検索"), "the search box is chrome");
}

#[test]
fn setagayas_2019_card_renewal_is_not_a_qualification_certificate_notice() {
    let x = notice("municipal_notice/setagaya_2019.html", "東京都世田谷区");
    let n = &x.rows.notices[0];
    assert_eq!(n.issuance_policy, "unknown");
    assert_eq!(n.valid_until, date("2021-09-30"));
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (date("2019-09-04"), date("2019-09-18"))
    );
    assert_eq!(n.mailing_method, "簡易書留");
    assert_eq!(n.updated_on, date("2019-09-01"));
    let households: Vec<_> = x
        .rows
        .figures
        .iter()
        .filter(|f| f.metric == "notice.households")
        .map(|f| f.value)
        .collect();
    assert_eq!(households, vec![Some(150_000.0)]);
}

#[test]
fn setagaya_committee_text_gives_households_insured_and_costs() {
    let bytes = fixture_bytes("municipal_notice/setagaya_committee_pdf.txt");
    let m = meta("https://www.city.setagaya.lg.jp/shiryo.pdf", None);
    let opts = serde_json::json!({ "area": "東京都世田谷区" });
    let input = Input {
        bytes: &bytes,
        meta: &m,
        options: &opts,
    };
    let x = family("municipal_notice")
        .unwrap()
        .extract_text(std::str::from_utf8(&bytes).unwrap(), &input)
        .unwrap()
        .unwrap();
    let n = &x.rows.notices[0];
    assert_eq!(n.issuance_policy, "all_insured");
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (date("2025-09-11"), date("2025-09-20"))
    );
    let got: Vec<(String, String, Option<f64>, Option<&str>)> = x
        .rows
        .figures
        .iter()
        .map(|f| {
            (
                f.metric.clone(),
                f.dimensions.clone(),
                f.value,
                f.qualifier.map(|q| q.as_str()),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "notice.households".into(),
                "".into(),
                Some(122_000.0),
                Some("approx")
            ),
            (
                "notice.insured_persons".into(),
                "".into(),
                Some(160_000.0),
                Some("approx")
            ),
            (
                "notice.cost".into(),
                "item=業者委託費".into(),
                Some(12_600_000.0),
                Some("approx")
            ),
            (
                "notice.cost".into(),
                "item=郵送費".into(),
                Some(37_800_000.0),
                Some("approx")
            ),
        ]
    );
}

#[test]
fn a_page_whose_layout_changed_is_an_extraction_failure() {
    let err = extract(
        "municipal_notice",
        &fixture_bytes("municipal_notice/layout_changed.html"),
        "https://www.city.shibuya.tokyo.jp/kurashi/kokuho/x.html",
        serde_json::json!({ "area": "東京都渋谷区" }),
    )
    .unwrap_err();
    match err {
        ExtractError::Layout(m) => assert!(m.contains("no longer mentions"), "{m}"),
        other => panic!("expected a layout failure, got {other:?}"),
    }
}
