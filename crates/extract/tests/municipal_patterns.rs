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

#[test]
fn an_older_page_naming_only_the_hihokenshasho_is_read_with_an_open_ended_start() {
    // `被保険者証` does not contain `保険証`: such a page is still a notice.
    let x = text("p13_old_card_hihokenshasho.txt");
    let n = &x.rows.notices[0];
    assert_eq!(n.issuance_policy, "unknown");
    assert_eq!(n.mailing_method, "簡易書留");
    assert_eq!(
        dates(n),
        [date("2021-07-11"), None, date("2021-08-01"), None],
        "7月中旬以降: a start; the old card's 7月31日 and the 70th-birthday card are not the new validity"
    );
}

#[test]
fn a_renewal_date_starts_the_new_card_and_cards_issued_up_to_a_date_are_the_old_ones() {
    let n = &text("p14_renewal_date_old_issue.txt").rows.notices[0];
    assert_eq!(n.issuance_policy, "all_insured");
    assert_eq!(
        (n.valid_from, n.valid_until),
        (date("2025-08-01"), date("2026-07-31")),
        "…を更新期日とする新しい資格確認書 (…まで) vs …までに交付する資格確認書の有効期限"
    );
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (date("2025-07-21"), date("2025-07-31"))
    );
}

#[test]
fn each_method_goes_with_the_document_named_before_it_and_a_bracketed_note_keeps_the_validity() {
    let n = &text("p15_method_per_document.txt").rows.notices[0];
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(
        n.mailing_method, "簡易書留",
        "the お知らせ goes by 普通郵便, the 資格確認書 by 簡易書留, in one sentence"
    );
    assert_eq!(
        dates(n),
        [
            date("2025-07-21"),
            date("2025-07-31"),
            date("2025-08-01"),
            date("2026-07-31")
        ],
        "8月1日以降の…資格確認書等; the 75th-birthday note in brackets does not hide 有効期限は…まで"
    );
}

#[test]
fn holders_getting_the_oshirase_means_the_card_is_for_those_without() {
    let n = &text("p16_holders_get_notice.txt").rows.notices[0];
    assert_eq!(
        n.issuance_policy, "unregistered_only",
        "{}",
        n.policy_evidence
    );
    assert_eq!(dates(n), [None; 4], "毎年8月1日 is the routine, not a date");
}

#[test]
fn a_plan_given_up_is_not_the_rule_in_force() {
    let n = &text("p17_plan_given_up_koki.txt").rows.notices[0];
    assert_eq!(n.scheme, "koki");
    assert_eq!(
        n.issuance_policy, "all_insured",
        "…お持ちでない方にだけ…ことになっておりましたが、…すべての被保険者に交付: {}",
        n.policy_evidence
    );
    assert!(n.policy_by_scheme.is_empty(), "{}", n.policy_by_scheme);
}

#[test]
fn a_period_starting_on_the_new_cards_first_day_is_its_validity() {
    let n = &text("p18_validity_period_row.txt").rows.notices[0];
    assert_eq!(
        dates(n),
        [
            date("2025-07-21"),
            date("2025-07-31"),
            date("2025-08-01"),
            date("2026-07-31")
        ],
        "the row 令和7年8月1日~令和8年7月31日, not the old card's 令和6年8月1日~令和7年7月31日"
    );
}

#[test]
fn statements_about_the_old_card_give_no_new_dates() {
    let x = text("p19_old_card_statements.txt");
    let n = &x.rows.notices[0];
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(
        dates(n),
        [None; 4],
        "交付された (a past mailing), 以降も引き続き, からは…使えなくなりました, …までではありません"
    );
}

#[test]
fn the_new_cards_expiry_dates_a_year_less_mailing_in_the_year_before_it() {
    let n = &text("p20_year_only_from_new_expiry.txt").rows.notices[0];
    assert_eq!(n.valid_until, date("2026-07-31"));
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (date("2025-07-11"), date("2025-07-20")),
        "7月中旬 with no page date: the card that expires in July 2026 is mailed in 2025, \
         never in the expiry's own year"
    );
    assert_eq!(n.mailing_method, "簡易書留");
}

#[test]
fn a_table_cell_read_as_one_block_keeps_the_applicants_rule_over_a_sent_at_once_heading() {
    // A table-layout Shift_JIS site: the heading, 更新日 and body sit in one <td>, so the
    // heading `資格確認書の一斉送付について` and the rule end up in one sentence.
    let x = html("table_cell_on_application_sjis.htm");
    let n = &x.rows.notices[0];
    assert_eq!(n.issuance_policy, "on_application", "{}", n.policy_evidence);
    assert_eq!(n.mailing_method, "特定記録郵便");
    assert_eq!(
        dates(n),
        [
            date("2025-07-07"),
            date("2025-07-18"),
            None,
            date("2026-07-31")
        ]
    );
}

#[test]
fn a_deadline_before_a_bracketed_expiry_is_the_mailing_end_and_the_bracket_is_the_validity() {
    let n = &text("p21_deadline_with_bracketed_expiry.txt").rows.notices[0];
    assert_eq!(
        n.issuance_policy, "all_insured",
        "…とされていましたが、…お持ちの人にも: {}",
        n.policy_evidence
    );
    assert_eq!(n.mailing_method, "特定記録郵便");
    assert_eq!(
        dates(n),
        [None, date("2025-07-31"), None, date("2027-07-31")],
        "7月末日までに is a deadline, not the card's end; 有効期限:令和9年7月31日 in brackets is"
    );
}

#[test]
fn a_card_valid_until_next_year_never_gives_the_mailing_its_year() {
    // No page date; `令和8年7月31日まで有効の資格確認書` is the new card's end, so the cycle's
    // year comes from `令和7年度`, not from 2026.
    let n = &text("p22_year_not_from_valid_until_phrase.txt")
        .rows
        .notices[0];
    assert_eq!(n.issuance_policy, "mixed");
    assert_eq!(
        n.policy_by_scheme,
        "kokuho=unregistered_only;koki=all_insured"
    );
    assert_eq!(
        dates(n),
        [
            date("2025-07-01"),
            date("2025-07-31"),
            date("2025-08-01"),
            date("2026-07-31")
        ]
    );
}

#[test]
fn the_next_renewal_date_starts_the_new_card() {
    let n = &text("p23_next_renewal_date.txt").rows.notices[0];
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(n.mailing_method, "特定記録郵便", "特定記録 alone");
    assert_eq!(
        dates(n),
        [
            date("2025-07-11"),
            date("2025-07-20"),
            date("2025-08-01"),
            None
        ],
        "次回の更新は令和7年8月1日; 7月中旬ごろ"
    );
}
