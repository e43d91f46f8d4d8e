//! The `diet` family's JSON packing against the real XML page it mirrors, and the
//! `hodanren` family on a news post written the way hodanren.doc-net.or.jp lays out its
//! posts (facts of the corpus excerpt) and on PDF text of an interim and a final survey
//! report. (The `diet` family's per-file tests over the real API responses live in
//! `text_families.rs`.)

use mynawatch_extract::{family, ExtractError, Extraction, Input};
use mynawatch_model::{Figure, FigureStatus, SnapshotMeta};
use mynawatch_testutil::{corpus_bytes, fixture_bytes};

const NEWS_URL: &str = "https://hodanren.doc-net.or.jp/info/news/2024-10-17";

fn meta(url: &str) -> SnapshotMeta {
    SnapshotMeta::for_file("hodanren_news", url, "0".repeat(64))
}

fn html(file: &str, url: &str) -> Result<Extraction, ExtractError> {
    let bytes = fixture_bytes(file);
    let m = meta(url);
    family("hodanren").unwrap().extract(&Input {
        bytes: &bytes,
        meta: &m,
        options: &serde_json::Value::Null,
    })
}

fn text(file: &str, url: &str) -> Result<Extraction, ExtractError> {
    let bytes = fixture_bytes(file);
    let t = String::from_utf8(bytes.clone()).unwrap();
    let m = meta(url);
    family("hodanren")
        .unwrap()
        .extract_text(
            &t,
            &Input {
                bytes: &bytes,
                meta: &m,
                options: &serde_json::Value::Null,
            },
        )
        .expect("hodanren has a text layer")
}

fn one<'a>(x: &'a Extraction, metric: &str, dims: &str) -> &'a Figure {
    let found: Vec<&Figure> = x
        .rows
        .figures
        .iter()
        .filter(|f| f.metric == metric && f.dimensions == dims)
        .collect();
    assert_eq!(found.len(), 1, "{metric} [{dims}]: {found:#?}");
    found[0]
}

fn date(s: &str) -> Option<chrono::NaiveDate> {
    Some(s.parse().unwrap())
}

#[test]
fn the_2024_10_17_release_gives_respondents_trouble_share_and_previous_survey() {
    let x = html("hodanren/news_2024-10-17.html", NEWS_URL).unwrap();

    let resp = one(&x, "survey.institutions_responding", "");
    assert_eq!(resp.value, Some(12735.0));
    assert_eq!(resp.unit, "institutions");
    // `12,735 医療機関` as the PDF-derived page writes it, space kept in raw_text.
    assert!(resp.provenance.raw_text.contains("12,735 医療機関"));
    assert!(
        resp.provenance.locator.contains("main"),
        "{}",
        resp.provenance.locator
    );

    let rate = one(&x, "survey.trouble_rate", "");
    assert_eq!(rate.value, Some(70.1));
    assert_eq!(rate.unit, "percent");
    // The headline's rounded `7割` gives way to the body's figure.
    assert!(
        rate.provenance.raw_text.contains("70.1％"),
        "{}",
        rate.provenance.raw_text
    );
    assert_eq!(
        one(&x, "survey.institutions_with_trouble", "").value,
        Some(8929.0)
    );

    let prev = one(&x, "survey.trouble_rate", "basis=previous_survey");
    assert_eq!(prev.value, Some(59.8));
    assert_eq!(
        one(
            &x,
            "survey.institutions_with_trouble",
            "basis=previous_survey"
        )
        .value,
        Some(5188.0)
    );

    // The previous survey's figures carry its own period: troubles since 2023-10-01.
    assert_eq!(prev.period_start, date("2023-10-01"));
    assert_eq!(prev.period_end, None);
    // Fieldwork 8月から9月, in the publication year taken from the URL's date slug.
    for f in x
        .rows
        .figures
        .iter()
        .filter(|f| f.dimensions != "basis=previous_survey")
    {
        assert_eq!(f.period_start, date("2024-08-01"), "{}", f.metric);
        assert_eq!(f.period_end, date("2024-09-30"), "{}", f.metric);
        assert_eq!(f.status, FigureStatus::Final);
        assert_eq!(f.area_code, "000000");
        assert_eq!(f.provenance.url, NEWS_URL);
    }
    // The `約 10%増加` comparison and the 9月20日 press conference are not figures.
    assert_eq!(x.rows.figures.len(), 5, "{:#?}", x.rows.figures);
    assert!(x.warnings.is_empty(), "{:?}", x.warnings);
}

#[test]
fn a_news_url_with_or_without_trailing_slash_dates_the_survey_alike() {
    let a = html("hodanren/news_2024-10-17.html", NEWS_URL).unwrap();
    let b = html("hodanren/news_2024-10-17.html", &format!("{NEWS_URL}/")).unwrap();
    let keys = |x: &Extraction| -> Vec<(String, Option<f64>)> {
        x.rows
            .figures
            .iter()
            .map(|f| {
                (
                    format!("{}|{}|{:?}", f.metric, f.dimensions, f.period_start),
                    f.value,
                )
            })
            .collect()
    };
    assert_eq!(keys(&a), keys(&b));
}

#[test]
fn pdf_text_of_the_interim_report_gives_categories_and_full_charge_cases() {
    let x = text(
        "hodanren/survey_interim_report.txt",
        "https://hodanren.doc-net.or.jp/wp-content/uploads/2025/03/interim.pdf",
    )
    .unwrap();
    assert_eq!(
        one(&x, "survey.institutions_responding", "").value,
        Some(6214.0)
    );
    assert_eq!(one(&x, "survey.trouble_rate", "").value, Some(78.4));
    assert_eq!(
        one(&x, "survey.institutions_with_trouble", "").value,
        Some(4872.0)
    );
    let cats: Vec<(&str, Option<f64>)> = x
        .rows
        .figures
        .iter()
        .filter(|f| f.metric == "survey.trouble_category_rate")
        .map(|f| (f.dimensions.as_str(), f.value))
        .collect();
    assert_eq!(
        cats,
        vec![
            ("category=資格情報が無効と表示された", Some(61.2)),
            ("category=カードリーダーでの読み取り不良", Some(48.5)),
            ("category=有効期限切れ", Some(33.0)),
            ("category=●表示(外字が表示されない)", Some(21.7)),
        ]
    );
    let full = one(&x, "survey.full_charge_cases", "");
    assert_eq!(full.value, Some(1052.0));
    assert_eq!(full.unit, "count");
    // Line locators point at the text line the value came from (1-based).
    assert_eq!(full.provenance.locator, "lines:20-20");
    assert!(full.provenance.raw_text.contains("1,052 件"));
    for f in &x.rows.figures {
        assert_eq!(f.status, FigureStatus::Preliminary, "{}", f.metric);
        assert_eq!(f.period_start, date("2025-01-10"));
        assert_eq!(f.period_end, date("2025-02-28"));
    }
}

#[test]
fn the_final_report_revises_the_interim_under_the_same_keys() {
    let url = "https://hodanren.doc-net.or.jp/wp-content/uploads/2025/report.pdf";
    let interim = text("hodanren/survey_interim_report.txt", url).unwrap();
    let fin = text("hodanren/survey_final_report.txt", url).unwrap();
    let keys = |x: &Extraction| -> Vec<String> { x.rows.figures.iter().map(Figure::key).collect() };
    assert_eq!(keys(&interim), keys(&fin));
    assert!(fin
        .rows
        .figures
        .iter()
        .all(|f| f.status == FigureStatus::Final));
    let changed = interim
        .rows
        .figures
        .iter()
        .zip(&fin.rows.figures)
        .filter(|(a, b)| a.value != b.value)
        .count();
    assert_eq!(changed, interim.rows.figures.len());
    assert_eq!(
        one(&fin, "survey.institutions_responding", "").value,
        Some(8403.0)
    );
    assert_eq!(
        one(&fin, "survey.full_charge_cases", "").value,
        Some(1391.0)
    );
}

#[test]
fn a_post_whose_results_moved_into_an_image_fails_with_a_clear_message() {
    let err = html("hodanren/news_layout_changed.fail.html", NEWS_URL).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ExtractError::Layout(_)), "{msg}");
    assert!(msg.contains("no survey figures"), "{msg}");
    assert!(msg.contains(NEWS_URL), "{msg}");
}

// ── diet: JSON packing against the real XML ─────────────────────────────────

const MEETING_URL: &str = "https://kokkai.ndl.go.jp/api/meeting?any=%E3%83%9E%E3%82%A4%E3%83%8A&maximumRecords=3&startRecord=1&recordPacking=xml";

fn diet(bytes: &[u8], url: &str) -> Extraction {
    let m = meta(url);
    family("diet")
        .unwrap()
        .extract(&Input {
            bytes,
            meta: &m,
            options: &serde_json::Value::Null,
        })
        .unwrap()
}

/// What both packings must agree on: the meetings, the next page, the one マイナ保険証
/// speech and the roles of the prime minister and the chair.
fn diet_facts(x: &Extraction) -> (Vec<String>, Vec<String>, Vec<String>) {
    let events = x
        .rows
        .events
        .iter()
        .map(|e| {
            format!(
                "{}|{}|{}|{}|{}|{}",
                e.event_id,
                e.kind,
                e.date.unwrap(),
                e.venue,
                e.body,
                e.title
            )
        })
        .collect();
    let myna = x
        .rows
        .statements
        .iter()
        .filter(|s| s.text.contains("マイナ保険証"))
        .map(|s| {
            format!(
                "{}|{}|{}|{}|{}|{:?}|{}",
                s.event_id,
                s.turn,
                s.speaker,
                s.speaker_group,
                s.speaker_role,
                s.topics,
                s.text.starts_with('○')
            )
        })
        .collect::<Vec<_>>();
    let mut roles: Vec<String> = x
        .rows
        .statements
        .iter()
        .filter(|s| s.event_id == "121215254X00720231129" && [1, 6].contains(&s.turn))
        .map(|s| format!("{}|{}|{}", s.turn, s.speaker, s.speaker_role))
        .collect();
    roles.extend(x.links.iter().map(|l| {
        let q = l.url.split_once('?').map(|(_, q)| q).unwrap_or("");
        q.split('&')
            .filter(|p| p.starts_with("startRecord="))
            .collect::<String>()
    }));
    (events, myna, roles)
}

#[test]
fn json_meeting_packing_gives_the_facts_of_the_real_xml_page() {
    let xml = diet(
        &corpus_bytes("diet/kokkai_api_meeting_s212_page1_sangiin_honkaigi.xml"),
        MEETING_URL,
    );
    let json = diet(
        &fixture_bytes("diet/meeting_json_s212_page1.json"),
        &MEETING_URL.replace("recordPacking=xml", "recordPacking=json"),
    );
    let facts = diet_facts(&xml);
    assert_eq!(
        facts.0,
        vec![
            "121215254X00920231206|diet_meeting|2023-12-06|参議院|本会議|第212回国会 参議院 本会議 第9号",
            "121215254X00820231201|diet_meeting|2023-12-01|参議院|本会議|第212回国会 参議院 本会議 第8号",
            "121215254X00720231129|diet_meeting|2023-11-29|参議院|本会議|第212回国会 参議院 本会議 第7号",
        ]
    );
    assert_eq!(
        facts.1,
        vec!["121215254X00720231129|14|山添拓|日本共産党|member|[\"mynumber_insurance\"]|false"]
    );
    assert_eq!(
        facts.2,
        vec!["1|尾辻秀久|chair", "6|岸田文雄|minister", "startRecord=4"]
    );
    assert_eq!(diet_facts(&json), facts);

    // `\r\n` inside the JSON speech becomes a plain line break, as in the XML.
    let s = json.rows.statements.iter().find(|s| s.turn == 14).unwrap();
    assert!(!s.text.contains('\r'), "{:?}", s.text);
    assert!(s.text.contains("討論します。\n"), "{:?}", s.text);
    assert!(
        s.provenance
            .locator
            .ends_with("meetingRecord[3]/speechRecord[4]"),
        "{}",
        s.provenance.locator
    );
    assert!(s.provenance.raw_text.contains("八百八十七億円"));
}
