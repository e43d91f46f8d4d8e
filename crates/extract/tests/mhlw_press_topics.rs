//! `mhlw_press` topic tags and date line on a transcript written for issue #9
//! (`fixtures/mhlw_press/topics_and_bad_time.txt`, our own words).

use mynawatch_extract::{family, Extraction, Input};
use mynawatch_model::SnapshotMeta;
use mynawatch_testutil::fixture_bytes;

fn transcript() -> Extraction {
    let bytes = fixture_bytes("mhlw_press/topics_and_bad_time.txt");
    let t = String::from_utf8(bytes.clone()).unwrap();
    let meta = SnapshotMeta::for_file(
        "mhlw_press",
        "https://www.mhlw.go.jp/stf/kaiken/daijin/0000194708_99999.html",
        "0".repeat(64),
    );
    family("mhlw_press")
        .unwrap()
        .extract_text(
            &t,
            &Input {
                bytes: &bytes,
                meta: &meta,
                options: &serde_json::Value::Null,
            },
        )
        .expect("mhlw_press has a text layer")
        .unwrap()
}

fn topics_of(x: &Extraction, starts_with: &str) -> Vec<String> {
    let s = x
        .rows
        .statements
        .iter()
        .find(|s| s.text.starts_with(starts_with))
        .unwrap_or_else(|| panic!("no statement starting {starts_with:?}"));
    s.topics.clone()
}

#[test]
fn expired_card_measures_and_the_smartphone_card_are_mynumber_insurance() {
    let x = transcript();
    assert_eq!(
        topics_of(&x, "12月1日で有効期限切れ"),
        vec!["mynumber_insurance"]
    );
    // `来年3月までの暫定的な措置` about cards past their date.
    assert_eq!(topics_of(&x, "来年3月までの"), vec!["mynumber_insurance"]);
    assert_eq!(topics_of(&x, "スマホ保険証の"), vec!["mynumber_insurance"]);
}

#[test]
fn medical_dx_alone_is_not_ehr_sharing_but_record_sharing_is() {
    let x = transcript();
    assert!(topics_of(&x, "医療DXの工程表").is_empty());
    assert!(topics_of(&x, "医療DXは関係省庁").is_empty());
    assert_eq!(topics_of(&x, "電子カルテの情報を"), vec!["ehr_sharing"]);
}

#[test]
fn a_time_that_is_not_a_time_of_day_is_rejected_with_a_warning() {
    let x = transcript();
    let e = &x.rows.events[0];
    assert_eq!(e.date.map(|d| d.to_string()).as_deref(), Some("2025-11-28"));
    assert_eq!(
        (e.start_time.as_deref(), e.end_time.as_deref()),
        (None, None)
    );
    assert_eq!(e.venue, "省内会見室");
    assert!(
        x.warnings.iter().any(|w| w.contains("not a time of day")),
        "{:?}",
        x.warnings
    );
}
