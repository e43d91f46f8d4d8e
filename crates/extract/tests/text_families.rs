//! Text families on pages written the way the real sites are built, and on the real
//! MHLW page: the facts listed in the corpus notes come out exactly.

use mynawatch_extract::{family, ExtractError, Extraction, Input};
use mynawatch_model::SnapshotMeta;
use mynawatch_testutil::{corpus_bytes, fixture_bytes};

fn meta(url: &str, content_type: Option<&str>) -> SnapshotMeta {
    let mut m = SnapshotMeta::for_file("src", url, "0".repeat(64));
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
    // Whole rows agree too (the test metadata gives both the same snapshot hash).
    assert_eq!(a.rows, b.rows);
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
        &fixture_bytes("municipal_notice/layout_changed.fail.html"),
        "https://www.city.shibuya.tokyo.jp/kurashi/kokuho/x.html",
        serde_json::json!({ "area": "東京都渋谷区" }),
    )
    .unwrap_err();
    match err {
        ExtractError::Layout(m) => assert!(m.contains("no longer mentions"), "{m}"),
        other => panic!("expected a layout failure, got {other:?}"),
    }
}

// ── diet ────────────────────────────────────────────────────────────────────

fn diet(bytes: &[u8], url: &str) -> Extraction {
    extract("diet", bytes, url, serde_json::Value::Null).unwrap()
}

const MEETING_URL: &str = "https://kokkai.ndl.go.jp/api/meeting?any=%E3%83%9E%E3%82%A4%E3%83%8A&maximumRecords=3&startRecord=1";

#[test]
fn the_real_sangiin_page_gives_its_meetings_speeches_and_next_page() {
    let x = diet(
        &corpus_bytes("diet/kokkai_api_meeting_s212_page1_sangiin_honkaigi.xml"),
        MEETING_URL,
    );
    let events: Vec<(String, String, String)> = x
        .rows
        .events
        .iter()
        .map(|e| {
            (
                e.event_id.clone(),
                e.date.unwrap().to_string(),
                e.title.clone(),
            )
        })
        .collect();
    assert_eq!(
        events,
        vec![
            (
                "121215254X00920231206".into(),
                "2023-12-06".into(),
                "第212回国会 参議院 本会議 第9号".into()
            ),
            (
                "121215254X00820231201".into(),
                "2023-12-01".into(),
                "第212回国会 参議院 本会議 第8号".into()
            ),
            (
                "121215254X00720231129".into(),
                "2023-11-29".into(),
                "第212回国会 参議院 本会議 第7号".into()
            ),
        ]
    );
    let per = |id: &str| {
        x.rows
            .statements
            .iter()
            .filter(|s| s.event_id == id)
            .count()
    };
    // 13, 17 and 37 speech records; speechOrder 0 (会議録情報) is not a statement.
    assert_eq!(
        (
            per("121215254X00920231206"),
            per("121215254X00820231201"),
            per("121215254X00720231129")
        ),
        (12, 16, 36)
    );
    assert!(x
        .rows
        .statements
        .iter()
        .all(|s| s.turn > 0 && s.speaker != "会議録情報"));
    let myna: Vec<_> = x
        .rows
        .statements
        .iter()
        .filter(|s| s.text.contains("マイナ保険証"))
        .collect();
    assert_eq!(myna.len(), 1);
    let s = myna[0];
    assert_eq!(
        (
            s.turn,
            s.speaker.as_str(),
            s.speaker_group.as_str(),
            s.speaker_role.as_str()
        ),
        (14, "山添拓", "日本共産党", "member")
    );
    assert!(s.topics.contains(&"mynumber_insurance".to_string()));
    assert!(
        !s.text.starts_with('○'),
        "the speaker marker is not part of the text"
    );
    let amounts: Vec<Option<f64>> = mynawatch_ja::find_numbers(&s.text)
        .iter()
        .filter(|n| n.unit == "jpy" || n.unit == "percent")
        .map(|n| n.value)
        .collect();
    assert!(amounts.contains(&Some(88_700_000_000.0)), "八百八十七億円");
    assert!(amounts.contains(&Some(4.5)), "四・五％");
    let chair = x
        .rows
        .statements
        .iter()
        .find(|s| s.speaker == "尾辻秀久")
        .unwrap();
    assert_eq!(chair.speaker_role, "chair");
    let pm = x
        .rows
        .statements
        .iter()
        .find(|s| s.event_id == "121215254X00720231129" && s.turn == 6)
        .unwrap();
    assert_eq!(
        (pm.speaker.as_str(), pm.speaker_role.as_str()),
        ("岸田文雄", "minister")
    );
    assert_eq!(x.links.len(), 1);
    assert!(
        x.links[0].url.ends_with("startRecord=4"),
        "{}",
        x.links[0].url
    );
    assert!(
        s.provenance.locator.ends_with("speechRecord[15]"),
        "{}",
        s.provenance.locator
    );
}

#[test]
fn the_real_last_pages_have_no_next_link_and_no_myna_topics() {
    let x = diet(
        &corpus_bytes("diet/kokkai_api_meeting_s212_lastpage_shugiin_monka.xml"),
        MEETING_URL,
    );
    assert!(x.links.is_empty());
    let per = |id: &str| {
        x.rows
            .statements
            .iter()
            .filter(|s| s.event_id == id)
            .count()
    };
    assert_eq!(
        (per("121205124X00220231108"), per("121205124X00120231101")),
        (277, 19)
    );
    let speakers: std::collections::BTreeSet<&str> = x
        .rows
        .statements
        .iter()
        .filter(|s| s.event_id == "121205124X00220231108")
        .map(|s| s.speaker.as_str())
        .collect();
    // 29 distinct speakers in the records, one of them the 会議録情報 header.
    assert_eq!(speakers.len(), 28);
    assert!(x
        .rows
        .statements
        .iter()
        .all(|s| !s.topics.contains(&"mynumber_insurance".to_string())));

    let old = diet(
        &corpus_bytes("diet/kokkai_api_meeting_s1_lastpage_1947.xml"),
        MEETING_URL,
    );
    assert!(old.links.is_empty());
    assert_eq!(old.rows.events[0].date.unwrap().to_string(), "1947-07-28");
    assert_eq!(old.rows.statements.len(), 62 + 5);
}

#[test]
fn json_packing_with_crlf_gives_the_same_shape() {
    let x = diet(
        &fixture_bytes("diet/speech_json_last_page.json"),
        "https://kokkai.ndl.go.jp/api/speech?any=x&recordPacking=json",
    );
    assert_eq!(x.rows.events.len(), 1);
    assert_eq!(
        x.rows.events[0].title,
        "第217回国会 衆議院 厚生労働委員会 第26号"
    );
    let turns: Vec<(u32, &str, &str)> = x
        .rows
        .statements
        .iter()
        .map(|s| (s.turn, s.speaker_role.as_str(), s.text.as_str()))
        .collect();
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[0].0, 5);
    assert!(
        turns[0]
            .2
            .starts_with("資格確認書の一斉交付について伺います。\nマイナ保険証"),
        "{:?}",
        turns[0].2
    );
    assert_eq!(turns[1].1, "minister");
    assert_eq!(
        x.rows.statements[0].topics,
        vec!["mynumber_insurance", "qualification_certificate"]
    );
    assert_eq!(x.rows.statements[1].topics, vec!["ehr_sharing"]);
    assert!(
        x.links.is_empty(),
        "nextRecordPosition null on the last page"
    );
}

#[test]
fn query_urls_respect_the_api_limits() {
    let u = mynawatch_extract::families::diet::query_url(
        "https://kokkai.ndl.go.jp",
        "meeting",
        "マイナ保険証",
        "2025-01-01",
        "2025-12-31",
        1,
        50,
    );
    assert!(u.contains("maximumRecords=10"), "{u}");
    let u = mynawatch_extract::families::diet::query_url(
        "https://kokkai.ndl.go.jp",
        "speech",
        "資格確認書",
        "2025-01-01",
        "2025-12-31",
        101,
        500,
    );
    assert!(
        u.contains("maximumRecords=100") && u.contains("startRecord=101"),
        "{u}"
    );
}

// ── mhlw_press ──────────────────────────────────────────────────────────────

fn press(file: &str) -> Extraction {
    extract(
        "mhlw_press",
        &fixture_bytes(file),
        "https://www.mhlw.go.jp/stf/kaiken/daijin/redirect?id=1",
        serde_json::Value::Null,
    )
    .unwrap()
}

#[test]
fn a_transcript_with_plain_labels_gives_the_event_and_alternating_turns() {
    let x = press("mhlw_press/0000194708_00838.html");
    let e = &x.rows.events[0];
    assert_eq!(
        e.event_id, "0000194708_00838",
        "the canonical URL names the event, not the redirect"
    );
    assert_eq!(
        (e.date, e.start_time.as_deref(), e.end_time.as_deref()),
        (date("2025-08-08"), Some("10:48"), Some("10:59"))
    );
    assert_eq!(
        (e.venue.as_str(), e.principal.as_str(), e.title.as_str()),
        ("省内会見室", "福岡", "福岡大臣会見概要")
    );
    let turns: Vec<(&str, &str)> = x
        .rows
        .statements
        .iter()
        .map(|s| (s.speaker_role.as_str(), s.speaker_group.as_str()))
        .collect();
    assert_eq!(
        turns,
        vec![
            ("reporter", "質疑"),
            ("minister", "質疑"),
            ("reporter", "質疑"),
            ("minister", "質疑")
        ],
        "opening remarks were 'nothing': no statement for them"
    );
    assert!(x.rows.statements[1].text.contains("今月13日"));
    assert_eq!(x.rows.statements[2].topics, vec!["mynumber_insurance"]);
    assert!(x.rows.statements[0].topics.is_empty());
}

#[test]
fn a_transcript_with_list_item_labels_gives_two_opening_remarks() {
    let x = press("mhlw_press/0000194708_00835.html");
    let e = &x.rows.events[0];
    assert_eq!(
        (e.date, e.start_time.as_deref(), e.end_time.as_deref()),
        (date("2025-07-29"), Some("09:45"), Some("10:00"))
    );
    let opening: Vec<&str> = x
        .rows
        .statements
        .iter()
        .filter(|s| s.speaker_group == "閣議等について")
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(opening.len(), 2);
    assert!(opening[0].contains("厚生労働白書") && opening[1].contains("6,342人"));
    assert!(
        x.rows
            .statements
            .iter()
            .all(|s| !s.topics.contains(&"mynumber_insurance".to_string())),
        "no My Number content"
    );
}

#[test]
fn the_index_gives_transcripts_and_the_next_page() {
    let x = press("mhlw_press/index.links.html");
    assert!(x.rows.is_empty());
    let urls: Vec<&str> = x.links.iter().map(|l| l.url.as_str()).collect();
    assert!(urls.contains(&"https://www.mhlw.go.jp/stf/kaiken/daijin/0000194708_00838.html"));
    assert!(urls.contains(&"https://www.mhlw.go.jp/stf/kaiken/daijin/index_00002.html"));
    assert!(
        !urls.iter().any(|u| u.contains("/houdou/")),
        "unrelated links are not followed"
    );
}

#[test]
fn the_text_layer_reads_an_already_extracted_transcript() {
    let bytes = fixture_bytes("mhlw_press/0000194708_00838.txt");
    let m = meta(
        "https://www.mhlw.go.jp/stf/kaiken/daijin/0000194708_00838.html",
        None,
    );
    let input = Input {
        bytes: &bytes,
        meta: &m,
        options: &serde_json::Value::Null,
    };
    let x = family("mhlw_press")
        .unwrap()
        .extract_text(std::str::from_utf8(&bytes).unwrap(), &input)
        .unwrap()
        .unwrap();
    let e = &x.rows.events[0];
    assert_eq!(
        (
            e.date,
            e.start_time.as_deref(),
            e.end_time.as_deref(),
            e.venue.as_str()
        ),
        (
            date("2025-08-08"),
            Some("10:48"),
            Some("10:59"),
            "省内会見室"
        )
    );
    let roles: Vec<&str> = x
        .rows
        .statements
        .iter()
        .map(|s| s.speaker_role.as_str())
        .collect();
    assert_eq!(roles, vec!["reporter", "minister", "reporter"]);
}

#[test]
fn a_weekday_that_contradicts_the_date_is_a_layout_error() {
    let html = String::from_utf8(fixture_bytes("mhlw_press/0000194708_00838.html"))
        .unwrap()
        .replace("（金）", "（木）");
    let err = extract(
        "mhlw_press",
        html.as_bytes(),
        "https://www.mhlw.go.jp/stf/kaiken/daijin/0000194708_00838.html",
        serde_json::Value::Null,
    )
    .unwrap_err();
    assert!(err.to_string().contains("weekday"), "{err}");
}

#[test]
fn a_transcript_with_labels_and_text_in_one_paragraph_and_og_url_only() {
    // 00633: label and answer share a <p> split by <br>, the hour has one digit, the
    // page names itself only through og:url, and the opening remarks are "nothing".
    let x = press("mhlw_press/0000194708_00633.html");
    let e = &x.rows.events[0];
    assert_eq!(e.event_id, "0000194708_00633");
    assert_eq!(
        (
            e.date,
            e.start_time.as_deref(),
            e.end_time.as_deref(),
            e.venue.as_str(),
            e.principal.as_str()
        ),
        (
            date("2023-12-12"),
            Some("09:27"),
            Some("09:38"),
            "省内会見室",
            "武見"
        )
    );
    let s = &x.rows.statements;
    let roles: Vec<&str> = s.iter().map(|s| s.speaker_role.as_str()).collect();
    assert_eq!(roles, vec!["reporter", "minister", "reporter", "minister"]);
    assert_eq!(
        s.iter().map(|s| s.turn).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    assert!(s[0].text.starts_with("来年秋に予定") && !s[0].text.contains("記者"));
    assert!(s[1].text.contains("総点検本部"));
    assert_eq!(s[0].topics, vec!["mynumber_insurance"], "健康保険証");
    assert_eq!(s[2].topics, vec!["mynumber_insurance"], "マイナ保険証");
    assert!(
        s.windows(2).all(|w| w[0].char_end <= w[1].char_start),
        "turns do not overlap"
    );
    assert!(s.iter().all(|s| !s.provenance.locator.is_empty()));
}

#[test]
fn machida_age_band_table_gives_the_latest_expiry_and_policy_for_non_holders() {
    // 町田市: era date with the western year in brackets, an in-page table of contents,
    // and the 有効期限 only in a table by age band (the bands expire on different dates).
    let x = notice("municipal_notice/machida.html", "東京都町田市");
    let n = &x.rows.notices[0];
    assert_eq!(
        (n.area_code.as_str(), n.area_name.as_str()),
        ("132098", "東京都町田市")
    );
    assert_eq!(n.updated_on, date("2024-12-02"), "令和6(2024)年12月2日");
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert!(n.policy_evidence.contains("申請不要"));
    assert_eq!(
        n.valid_until,
        date("2026-09-30"),
        "the band that expires last, not the 70–74 band"
    );
    assert!(
        n.text.contains("70歳以上75歳未満の方 | 令和7年7月31日"),
        "a table row stays one line with its band"
    );
    assert_eq!(
        n.valid_from, None,
        "the 2024 switch-over is not a validity start"
    );
    assert_eq!(n.mailing_start, None);
    assert!(n.mailing_method.is_empty());
    for chrome in [
        "サイト内検索",
        "くらしの情報",
        "国民健康保険税",
        "Copyright",
    ] {
        assert!(!n.text.contains(chrome), "{chrome} is site chrome");
    }
}

#[test]
fn the_real_mhlw_page_has_29_headings_from_its_h1_and_located_blocks() {
    for file in [MHLW_A, MHLW_B] {
        let bytes = corpus_bytes(file);
        let html = String::from_utf8(bytes).unwrap();
        let page = mynawatch_extract::html::parse(&html, MHLW_URL);
        let headings = page.headings();
        assert_eq!(
            headings.first(),
            Some(&"令和８年度診療報酬改定について"),
            "{file}: h1"
        );
        // 29 headings in <main>, the h1 included (1 h1, 9 h2, 19 h3).
        assert_eq!(headings.len(), 29, "{file}: {headings:?}");
        assert_eq!(headings[1], "照会先");
        assert_eq!(
            headings[28],
            "事務連絡（「データ提出加算（A245）」の取扱いについて、外来データ提出加算等の取扱いについて）"
        );
        assert!(page
            .blocks
            .iter()
            .all(|b| b.locator.starts_with(&page.main_locator)));
        let under_contact: Vec<&str> = page
            .links
            .iter()
            .filter(|l| l.heading == "照会先")
            .map(|l| l.url.as_str())
            .collect();
        assert_eq!(
            under_contact,
            vec!["https://www.mhlw.go.jp/content/12400000/001666890.pdf"],
            "{file}: the only link under 照会先"
        );
        let newest = page
            .links
            .iter()
            .find(|l| l.url.ends_with("/content/12400000/001744953.pdf"))
            .unwrap();
        assert!(newest
            .text
            .starts_with("疑義解釈資料の送付について（その12）"));
        assert_eq!(newest.size_label, "616KB");
        assert!(
            !page.main_text().contains('\u{a0}'),
            "{file}: &nbsp; and &#160; both become plain spaces"
        );
    }
}

#[test]
fn issuance_policy_reads_the_wording_municipalities_use() {
    let cases = [
        ("マイナ保険証の保有の有無にかかわらず、国民健康保険に加入している方に資格確認書をお送りします。", "all_insured"),
        ("令和7年7月に全被保険者へ資格確認書を一斉発送します。", "all_insured"),
        ("当面の間、資格確認書を一斉交付します。", "all_insured"),
        ("マイナ保険証をお持ちの方もお持ちでない方も、資格確認書をお送りします。", "all_insured"),
        ("マイナ保険証をお持ちでない方には、資格確認書を申請不要でお送りします。", "unregistered_only"),
        ("マイナ保険証をお持ちでないすべての方に資格確認書をお送りします。", "unregistered_only"),
        ("マイナンバーカードの健康保険証利用登録をしていない方に資格確認書を交付します。", "unregistered_only"),
        ("資格確認書の様式が変わりました。", "unknown"),
    ];
    let m = meta("https://www.city.example.lg.jp/kokuho.html", None);
    let options = serde_json::json!({ "area": "東京都渋谷区" });
    let input = Input {
        bytes: b"",
        meta: &m,
        options: &options,
    };
    for (text, want) in cases {
        let x = family("municipal_notice")
            .unwrap()
            .extract_text(text, &input)
            .unwrap()
            .unwrap();
        let n = &x.rows.notices[0];
        assert_eq!(n.issuance_policy, want, "{text}");
        if want != "unknown" {
            assert_eq!(
                n.policy_evidence, text,
                "the deciding sentence is the evidence"
            );
        }
    }
}

#[test]
fn mailing_windows_validity_and_method_in_the_wording_municipalities_use() {
    // (text, mailing start, mailing end, method, valid_from, valid_until)
    let cases = [
        (
            "令和7年度の資格確認書は、7月に一斉発送します。普通郵便でお送りします。",
            "2025-07-01",
            "2025-07-31",
            "普通郵便",
            None,
            None,
        ),
        (
            "資格確認書は令和7年9月中旬に簡易書留で発送します。有効期限は令和8年9月30日です。",
            "2025-09-11",
            "2025-09-20",
            "簡易書留",
            None,
            Some("2026-09-30"),
        ),
        (
            "新しい資格確認書を令和7年7月中旬から下旬に特定記録郵便で郵送します。令和7年8月1日から使えます。",
            "2025-07-11",
            "2025-07-31",
            "特定記録郵便",
            Some("2025-08-01"),
            None,
        ),
        (
            // January to March of a 年度 fall in the next calendar year.
            "令和7年度分の資格確認書は、2月上旬に発送します。",
            "2026-02-01",
            "2026-02-10",
            "",
            None,
            None,
        ),
        (
            // …and February of 令和9年度 ends on the 29th.
            "令和9年度の資格確認書は2月に発送します。",
            "2028-02-01",
            "2028-02-29",
            "",
            None,
            None,
        ),
    ];
    let m = meta("https://www.city.example.lg.jp/kokuho.html", None);
    let options = serde_json::json!({ "area": "東京都渋谷区" });
    let input = Input {
        bytes: b"",
        meta: &m,
        options: &options,
    };
    for (text, start, end, method, from, until) in cases {
        let x = family("municipal_notice")
            .unwrap()
            .extract_text(text, &input)
            .unwrap()
            .unwrap();
        let n = &x.rows.notices[0];
        assert_eq!(
            (n.mailing_start, n.mailing_end, n.mailing_method.as_str()),
            (date(start), date(end), method),
            "{text}"
        );
        assert_eq!(
            (n.valid_from, n.valid_until),
            (from.and_then(date), until.and_then(date)),
            "{text}"
        );
    }
}

#[test]
fn press_text_with_an_empty_opening_label_and_a_topic_table_from_options() {
    // 00844-style stored text: the opening `大臣:` has nothing after it before 質疑.
    let text = "福岡大臣会見概要\n(令和7年9月2日(火)11:20~11:39 省内会見室)\n広報室\n会見の詳細\n閣議等について\n大臣:\n質疑\n記者:\n生活保護の専門委員会について伺います。\n大臣:\n第2回の会合で原告の方々から意見を伺いました。\n";
    let m = meta(
        "https://www.mhlw.go.jp/stf/kaiken/daijin/0000194708_00844.html",
        None,
    );
    let options = serde_json::json!({ "topics": { "welfare": ["生活保護"] } });
    let input = Input {
        bytes: text.as_bytes(),
        meta: &m,
        options: &options,
    };
    let x = family("mhlw_press")
        .unwrap()
        .extract_text(text, &input)
        .unwrap()
        .unwrap();
    let e = &x.rows.events[0];
    assert_eq!(
        (e.date, e.start_time.as_deref(), e.end_time.as_deref()),
        (date("2025-09-02"), Some("11:20"), Some("11:39"))
    );
    let s: Vec<(&str, Vec<String>)> = x
        .rows
        .statements
        .iter()
        .map(|s| (s.speaker_role.as_str(), s.topics.clone()))
        .collect();
    assert_eq!(
        s,
        vec![
            ("reporter", vec!["welfare".to_string()]),
            ("minister", vec![]),
        ],
        "no statement for the empty opening; the options' table replaces the defaults"
    );
    let bad = serde_json::json!({ "topic": {} });
    let input = Input {
        options: &bad,
        ..input
    };
    assert!(
        family("mhlw_press")
            .unwrap()
            .extract_text(text, &input)
            .unwrap()
            .is_err(),
        "a misspelt option is an error, not silently the defaults"
    );
}
