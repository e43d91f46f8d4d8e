//! The accuracy harness end to end: `municipal_notice`'s text layer over labelled page
//! texts, scored by `mynawatch_extract::eval`.
//!
//! - The repo's own set (`fixtures/municipal_notice/eval/*.txt`, written for the repo,
//!   labelled in `fixtures/real_labels/municipal_fixtures.tsv`) runs in CI and must be
//!   all right.
//! - The real development set (`fixtures/real_labels/municipal.tsv`; page texts are kept
//!   outside the repo) runs when `MYNAWATCH_REALPAGES` names the folder holding them,
//!   and prints the report; it skips with a message otherwise.

use std::path::{Path, PathBuf};

use mynawatch_extract::eval::{evaluate_dir, parse_labels, render_text, Report};
use mynawatch_testutil::fixtures_dir;

fn run(labels: &Path, dir: &Path) -> Report {
    let tsv = std::fs::read_to_string(labels).expect("labels");
    let labels = parse_labels(&tsv).expect("labels parse");
    let family = mynawatch_extract::family("municipal_notice").expect("family");
    evaluate_dir(family.as_ref(), &labels, &serde_json::Value::Null, dir)
}

#[test]
fn the_fixture_set_scores_all_right_through_the_harness() {
    let dir = fixtures_dir().join("municipal_notice/eval");
    let report = run(
        &fixtures_dir().join("real_labels/municipal_fixtures.tsv"),
        &dir,
    );
    println!("{}", render_text(&report));
    assert!(report.files >= 8, "fixture set too small: {}", report.files);
    assert!(report.failed.is_empty(), "failed: {:?}", report.failed);
    let t = report.total();
    assert_eq!(
        (t.wrong, t.missing, t.spurious),
        (0, 0, 0),
        "{:#?}",
        report.misses
    );
    assert!(t.right >= 30, "too few stated facts checked: {}", t.right);
}

#[test]
fn the_real_development_set_meets_its_targets_when_present() {
    let Some(dir) = std::env::var_os("MYNAWATCH_REALPAGES").map(PathBuf::from) else {
        println!(
            "skipped: set MYNAWATCH_REALPAGES to the folder of real page texts (not in the repo)"
        );
        return;
    };
    let report = run(&fixtures_dir().join("real_labels/municipal.tsv"), &dir);
    println!("{}", render_text(&report));
    assert!(report.failed.is_empty(), "failed: {:?}", report.failed);
    for f in [
        "mailing_start",
        "mailing_end",
        "method",
        "valid_from",
        "valid_until",
    ] {
        let s = &report.fields[f];
        assert_eq!(s.wrong + s.spurious, 0, "{f}: wrong or spurious values");
        assert!(s.recall() >= 0.85, "{f}: recall {:.2}", s.recall());
    }
    assert!(report.fields["issuance_policy"].accuracy() >= 0.95);
}

#[test]
fn the_real_held_out_set_is_scored_when_present() {
    // Pages read after the rules were tuned (labels: `municipal_holdout.tsv`): printed, not
    // tuned on; only an extraction failure fails the test.
    let Some(dir) = std::env::var_os("MYNAWATCH_REALPAGES_HOLDOUT").map(PathBuf::from) else {
        println!("skipped: set MYNAWATCH_REALPAGES_HOLDOUT to the folder of held-out page texts");
        return;
    };
    let report = run(
        &fixtures_dir().join("real_labels/municipal_holdout.tsv"),
        &dir,
    );
    println!("{}", render_text(&report));
    assert!(report.failed.is_empty(), "failed: {:?}", report.failed);
}

#[test]
fn the_second_held_out_set_is_scored_when_present() {
    // Ten more pages read and labelled after the development set was extended to 40+
    // prefectures (labels: `municipal_holdout2.tsv`): printed, not tuned on.
    let Some(dir) = std::env::var_os("MYNAWATCH_REALPAGES_HOLDOUT2").map(PathBuf::from) else {
        println!("skipped: set MYNAWATCH_REALPAGES_HOLDOUT2 to the folder of held-out page texts");
        return;
    };
    let report = run(
        &fixtures_dir().join("real_labels/municipal_holdout2.tsv"),
        &dir,
    );
    println!("{}", render_text(&report));
    assert!(report.failed.is_empty(), "failed: {:?}", report.failed);
}
