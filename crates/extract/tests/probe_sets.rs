//! The probe sets (`fixtures/probe_sets/`, texts in our own words labelled blind by their
//! writers) through the accuracy harness: a ratchet on what the text readers get right and
//! wrong on shapes of real pages. Right may only grow and wrong only shrink; when a change
//! moves a count the good way, raise the floor (or lower the ceiling) here.

use mynawatch_extract::eval::{evaluate_dir, parse_labels, render_text, Report};
use mynawatch_testutil::fixtures_dir;

fn run(family: &str, set: &str) -> Report {
    let dir = fixtures_dir().join("probe_sets").join(set);
    let tsv = std::fs::read_to_string(dir.join("labels.tsv")).expect("labels");
    let labels = parse_labels(&tsv).expect("labels parse");
    let family = mynawatch_extract::family(family).expect("family");
    let report = evaluate_dir(family.as_ref(), &labels, &serde_json::Value::Null, &dir);
    println!("{}", render_text(&report));
    report
}

/// Asserts the set's totals against its floor of right facts and ceiling of wrong ones
/// (wrong and spurious together: a value where the page states another, or none; and
/// figures no label names, a wrong period, area or label among them).
fn ratchet(family: &str, set: &str, right_at_least: usize, wrong_at_most: usize) {
    // (Notice sets label notices only: figures a notice gives are not judged there.)
    ratchet_with(family, set, right_at_least, wrong_at_most, usize::MAX);
}

fn ratchet_with(
    family: &str,
    set: &str,
    right_at_least: usize,
    wrong_at_most: usize,
    unlabelled_at_most: usize,
) {
    let report = run(family, set);
    assert!(
        report.unlabelled.len() <= unlabelled_at_most,
        "{set}: {} figures no label names, more than {unlabelled_at_most}",
        report.unlabelled.len()
    );
    let t = report.total();
    assert!(
        t.right >= right_at_least,
        "{set}: {} right, fewer than {right_at_least}",
        t.right
    );
    assert!(
        t.wrong + t.spurious <= wrong_at_most,
        "{set}: {} wrong and {} spurious, more than {wrong_at_most}",
        t.wrong,
        t.spurious
    );
}

#[test]
fn survey_reports_in_news_association_and_blog_shapes_stay_read() {
    ratchet_with("hodanren", "hodanren_a", 131, 0, 0);
}

#[test]
fn survey_reports_with_hard_kinds_numbers_and_dates_stay_read() {
    ratchet_with("hodanren", "hodanren_b", 142, 0, 4);
}

#[test]
fn notices_with_distractor_dates_sections_and_tables_stay_read() {
    ratchet("municipal_notice", "municipal_a", 189, 4);
}

#[test]
fn notices_that_make_who_gets_the_card_hard_to_read_stay_read() {
    ratchet("municipal_notice", "municipal_b", 157, 2);
}

#[test]
fn slide_decks_tables_and_earlier_runs_in_survey_reports_stay_read() {
    ratchet_with("hodanren", "hodanren_c", 179, 1, 0);
}

#[test]
fn notices_of_the_2026_cycle_regulations_and_union_pages_stay_read() {
    ratchet("municipal_notice", "municipal_c", 182, 4);
}

#[test]
fn wire_stories_transcripts_dental_and_joint_surveys_stay_read() {
    ratchet_with("hodanren", "hodanren_d", 172, 0, 2);
}

#[test]
fn easy_japanese_district_mailings_regulations_and_faqs_stay_read() {
    ratchet("municipal_notice", "municipal_d", 172, 5);
}

#[test]
fn association_statements_aggregators_councils_and_split_tables_stay_read() {
    ratchet_with("hodanren", "hodanren_e", 94, 1, 5);
}

#[test]
fn notices_with_pipe_tables_group_blocks_newspapers_and_odd_cycles_stay_read() {
    ratchet("municipal_notice", "municipal_e", 200, 1);
}

#[test]
fn notices_whose_rule_of_who_gets_the_card_is_told_in_many_shapes_stay_read() {
    ratchet("municipal_notice", "municipal_f", 202, 3);
}

#[test]
fn survey_reports_with_kinds_of_trouble_in_many_shapes_stay_read() {
    ratchet_with("hodanren", "hodanren_f", 185, 0, 1);
}
