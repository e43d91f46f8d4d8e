//! `municipal_notice` on the patterns real municipal pages use, one fixture each (written
//! for the repo in the way those sites are built; see `fixtures/municipal_notice/README.md`).

use chrono::NaiveDate;
use mynawatch_extract::{family, Extraction, Input};
use mynawatch_model::{Notice, SnapshotMeta};
use mynawatch_testutil::fixtures_dir;

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn meta(url: &str) -> SnapshotMeta {
    SnapshotMeta::for_file("municipal_notice", url, "ab".repeat(32))
}

/// The text layer on `fixtures/municipal_notice/eval/<name>`.
fn text(name: &str) -> Extraction {
    let path = fixtures_dir().join("municipal_notice/eval").join(name);
    let t = std::fs::read_to_string(&path).expect("fixture");
    let m = meta(&format!("https://fixtures.example.jp/eval/{name}"));
    let options = serde_json::Value::Null;
    let input = Input {
        bytes: t.as_bytes(),
        meta: &m,
        options: &options,
    };
    family("municipal_notice")
        .unwrap()
        .extract_text(&t, &input)
        .unwrap()
        .unwrap()
}

/// The HTML layer on `fixtures/municipal_notice/<name>` with its options file.
fn html(name: &str) -> Extraction {
    let dir = fixtures_dir().join("municipal_notice");
    let bytes = std::fs::read(dir.join(name)).expect("fixture");
    let options: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join(format!("{name}.options.json"))).expect("options"),
    )
    .unwrap();
    let m = meta(&format!("https://fixtures.example.jp/{name}"));
    let input = Input {
        bytes: &bytes,
        meta: &m,
        options: &options,
    };
    family("municipal_notice").unwrap().extract(&input).unwrap()
}

fn dates(n: &Notice) -> [Option<NaiveDate>; 4] {
    [n.mailing_start, n.mailing_end, n.valid_from, n.valid_until]
}

#[test]
fn who_receives_what_split_over_lines_is_unregistered_only_with_the_cards_method() {
    let x = text("p01_split_lines.txt");
    let n = &x.rows.notices[0];
    assert_eq!(
        n.title, "新しい資格確認書などをお届けします",
        "first heading, not furniture"
    );
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert!(
        n.policy_evidence.contains("登録していない方"),
        "{}",
        n.policy_evidence
    );
    assert_eq!(n.mailing_method, "簡易書留", "not the お知らせ's 普通郵便");
    assert_eq!(
        dates(n),
        [
            date("2025-07-11"),
            date("2025-07-31"),
            date("2025-08-01"),
            date("2026-07-31")
        ],
        "中旬から下旬; the label line 有効期限:…, not the old card's 7月31日"
    );
}

#[test]
fn holders_too_means_everyone_and_a_deadline_has_no_start() {
    let n = &text("p02_holders_too_deadline.txt").rows.notices[0];
    assert_eq!(n.issuance_policy, "all_insured");
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (None, date("2025-09-30")),
        "9月末までに"
    );
    assert_eq!(n.mailing_method, "特定記録郵便");
    assert_eq!(n.valid_from, date("2025-10-01"));
    assert_eq!(
        n.valid_until,
        date("2026-09-30"),
        "the age-band table's first band"
    );
}

#[test]
fn issued_on_application_only_is_on_application() {
    let n = &text("p03_on_application.txt").rows.notices[0];
    assert_eq!(n.issuance_policy, "on_application");
    assert_eq!(dates(n), [None; 4]);
}

#[test]
fn renewing_everyones_documents_at_once_is_not_all_insured() {
    let x = text("p04_at_once_status.txt");
    let n = &x.rows.notices[0];
    assert_eq!(n.issuance_policy, "unregistered_only", "登録状況に応じて");
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (date("2025-07-10"), None),
        "7月10日から順次: a start; 7月25日までに届かない is a reply date; 8月1日以降有効 is first use"
    );
    assert_eq!(n.valid_from, date("2025-08-01"));
    assert_eq!(
        n.valid_until, None,
        "令和6年12月2日 is the end of paper cards"
    );
    assert!(
        !x.rows
            .figures
            .iter()
            .any(|f| f.metric == "notice.households"),
        "同一世帯 is not a household count"
    );
}

#[test]
fn the_provisional_koki_rule_is_the_policy_and_the_later_rule_is_not() {
    let n = &text("p05_koki_provisional.txt").rows.notices[0];
    assert_eq!(n.scheme, "koki");
    assert_eq!(n.issuance_policy, "all_insured");
    assert!(n.policy_evidence.contains("暫定"), "{}", n.policy_evidence);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (date("2025-07-01"), date("2025-07-31"))
    );
    assert_eq!(
        n.valid_until,
        date("2026-07-31"),
        "翌年7月31日まで, in the page's year"
    );
}

#[test]
fn a_page_covering_both_schemes_has_a_policy_per_scheme() {
    let n = &text("p06_both_schemes.txt").rows.notices[0];
    assert_eq!(n.scheme, "kokuho+koki");
    assert_eq!(n.issuance_policy, "mixed");
    assert_eq!(
        n.policy_by_scheme,
        "kokuho=unregistered_only;koki=all_insured"
    );
    assert_eq!(n.valid_from, date("2025-08-01"));
}

#[test]
fn dates_without_any_year_stay_empty_with_a_warning() {
    let x = text("p07_no_year.txt");
    let n = &x.rows.notices[0];
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(dates(n), [None; 4], "never 1970, never a guessed year");
    assert!(
        x.warnings.iter().any(|w| w.contains("without a year")),
        "{:?}",
        x.warnings
    );
}

#[test]
fn an_old_card_page_reads_its_own_era_year() {
    let n = &text("p08_old_card_2019.txt").rows.notices[0];
    assert_eq!(n.issuance_policy, "unknown");
    assert_eq!(
        dates(n),
        [
            date("2019-09-21"),
            date("2019-09-30"),
            date("2019-10-01"),
            date("2021-09-30")
        ],
        "9月下旬 in 令和元年; the new card's 有効期限, not the current one's"
    );
    assert_eq!(n.mailing_method, "簡易書留");
}

#[test]
fn a_december_cycle_reads_november_mailing_and_the_new_expiry() {
    let n = &text("p09_december_cycle.txt").rows.notices[0];
    assert_eq!(n.issuance_policy, "unregistered_only", "保有状況によって");
    assert_eq!(
        dates(n),
        [
            date("2025-11-11"),
            date("2025-11-30"),
            date("2025-12-01"),
            date("2026-11-30")
        ]
    );
    assert_eq!(n.mailing_method, "簡易書留");
}

#[test]
fn a_cancelled_plan_is_not_the_mailing() {
    let n = &text("p10_cancelled_plan.txt").rows.notices[0];
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (date("2025-07-01"), date("2025-07-10"))
    );
    assert_eq!(
        n.valid_until, None,
        "7月31日まで使える今の保険証 is the old card"
    );
}

#[test]
fn a_two_column_table_page_with_breadcrumbs() {
    let x = html("kokuho_two_column.html");
    let n = &x.rows.notices[0];
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(n.updated_on, date("2025-06-30"));
    assert_eq!(
        n.mailing_method, "簡易書留",
        "the 資格確認書 row, not the お知らせ row"
    );
    assert_eq!(
        dates(n),
        [
            date("2025-07-11"),
            None,
            date("2025-08-01"),
            date("2026-07-31")
        ]
    );
    assert!(!x
        .rows
        .figures
        .iter()
        .any(|f| f.metric == "notice.households"));
}

#[test]
fn a_shift_jis_koki_page_with_a_bare_expiry_heading() {
    let n = &html("koki_sjis.html").rows.notices[0];
    assert_eq!(n.scheme, "koki");
    assert_eq!(n.issuance_policy, "all_insured");
    assert_eq!(n.published_on, date("2025-06-10"));
    assert_eq!(n.mailing_method, "特定記録郵便");
    assert_eq!(
        dates(n),
        [
            date("2025-07-21"),
            date("2025-07-31"),
            None,
            date("2026-07-31")
        ],
        "the 75th-birthday mailing is another event; お手元の被保険者証 is the old card"
    );
}

#[test]
fn a_card_handed_to_those_who_applied_is_on_application_and_a_stated_range_is_the_window() {
    let x = text("p11_applicants_window.txt");
    let n = &x.rows.notices[0];
    assert_eq!(n.issuance_policy, "on_application", "{}", n.policy_evidence);
    assert_eq!(
        dates(n),
        [
            date("2025-07-03"),
            date("2025-07-18"),
            None,
            date("2026-07-31")
        ]
    );
    assert_eq!(n.mailing_method, "普通郵便");
}

#[test]
fn a_title_saying_sent_at_once_does_not_outrank_a_body_saying_only_applicants_get_one() {
    let x = text("p12_at_once_title_applicants.txt");
    let n = &x.rows.notices[0];
    assert_eq!(n.issuance_policy, "on_application", "{}", n.policy_evidence);
    assert!(
        n.policy_evidence.contains("申請された方"),
        "{}",
        n.policy_evidence
    );
}
