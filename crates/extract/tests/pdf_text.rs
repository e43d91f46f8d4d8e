//! PDF documents through the text families: the committee-report PDF generated from
//! `fixtures/pdf/setagaya_report.html` gives exactly its facts through
//! `municipal_notice`, with `page:N` locators; `page` gives its title and link; a scan
//! and families without a text layer are clear failures. The PDF text comes from the
//! real `pdftotext` (dev-dependency `mynawatch-pdf`); the extract crate itself stays pure.

use mynawatch_extract::pdf::{extract, PdfDocument};
use mynawatch_extract::{family, ExtractError, Extraction};
use mynawatch_model::SnapshotMeta;
use mynawatch_pdf::{text_pages, PdfOptions};
use mynawatch_testutil::fixture_bytes;

const URL: &str = "https://www.city.setagaya.lg.jp/fixture/setagaya_report.pdf";

/// The fixture's text as `pdftotext` gives it; `None` (with a message) without poppler.
fn document(name: &str) -> Option<PdfDocument> {
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("SKIP: pdftotext not installed (apt-get install poppler-utils)");
        return None;
    }
    let t = text_pages(&fixture_bytes(name), &PdfOptions::default()).unwrap();
    let mut doc = PdfDocument::new(t.prose, t.layout);
    doc.links = t.links.into_iter().map(|l| (l.page, l.url)).collect();
    Some(doc)
}

fn run(
    fam: &str,
    doc: &PdfDocument,
    options: serde_json::Value,
) -> Result<Extraction, ExtractError> {
    let meta = SnapshotMeta::for_file("setagaya_report", URL, "0".repeat(64));
    let input = mynawatch_extract::Input {
        bytes: b"%PDF-",
        meta: &meta,
        options: &options,
    };
    extract(family(fam).unwrap().as_ref(), doc, &input)
}

fn date(s: &str) -> Option<chrono::NaiveDate> {
    Some(s.parse().unwrap())
}

#[test]
fn committee_report_pdf_yields_exactly_its_facts_through_municipal_notice() {
    let Some(doc) = document("pdf/setagaya_report.pdf") else {
        return;
    };
    let x = run(
        "municipal_notice",
        &doc,
        serde_json::json!({"area": "東京都世田谷区"}),
    )
    .unwrap();
    assert_eq!(x.rows.notices.len(), 1);
    let n = &x.rows.notices[0];
    assert_eq!(n.area_code, "131121");
    assert_eq!(n.title, "国民健康保険の資格確認書の交付について（報告）");
    assert_eq!(n.issuance_policy, "all_insured");
    assert!(
        n.policy_evidence.contains("保有の有無にかかわらず"),
        "{}",
        n.policy_evidence
    );
    assert_eq!(n.valid_from, date("2025-10-01"));
    assert_eq!(n.valid_until, None, "the report states no expiry");
    assert_eq!(n.mailing_method, "特定記録郵便");
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (date("2025-09-11"), date("2025-09-20")),
        "9月中旬 of 令和7年"
    );
    let loc = &n.provenance.as_ref().unwrap().locator;
    assert!(loc.starts_with("page:1:lines:1-"), "{loc}");

    let mut figs: Vec<(String, String, Option<f64>, Option<String>)> = x
        .rows
        .figures
        .iter()
        .map(|f| {
            (
                f.metric.clone(),
                f.dimensions.clone(),
                f.value,
                f.qualifier.as_ref().map(|q| format!("{q:?}")),
            )
        })
        .collect();
    figs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let approx = Some("Approx".to_string());
    assert_eq!(
        figs,
        vec![
            (
                "notice.cost".into(),
                "item=業者委託費".into(),
                Some(12_600_000.0),
                approx.clone()
            ),
            (
                "notice.cost".into(),
                "item=郵送費".into(),
                Some(37_800_000.0),
                approx.clone()
            ),
            (
                "notice.households".into(),
                String::new(),
                Some(122_000.0),
                approx.clone()
            ),
            (
                "notice.insured_persons".into(),
                String::new(),
                Some(160_000.0),
                approx
            ),
        ]
    );
    // Every figure points at its line on page 1 of the PDF.
    for f in &x.rows.figures {
        let loc = &f.provenance.locator;
        assert!(loc.starts_with("page:1:lines:"), "{loc}");
        let line: usize = loc
            .trim_start_matches("page:1:lines:")
            .split('-')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let printed = doc.prose.pages()[0].lines().nth(line - 1).unwrap();
        let digits: String = f
            .provenance
            .raw_text
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        assert!(
            printed
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .contains(&digits),
            "{loc}: {printed:?} does not hold {:?}",
            f.provenance.raw_text
        );
    }
}

#[test]
fn page_family_reads_a_pdf_like_an_html_page() {
    let Some(doc) = document("pdf/setagaya_report.pdf") else {
        return;
    };
    let x = run("page", &doc, serde_json::Value::Null).unwrap();
    let n = &x.rows.notices[0];
    assert_eq!(n.title, "国民健康保険の資格確認書の交付について（報告）");
    assert!(n.text.contains("区ホームページ（https://www.city.setagaya.lg.jp/）に掲載するほか、送付する封筒に案内文を同封する。"),
        "the wrapped last paragraph is joined back: {}", n.text);
    assert_eq!(x.links.len(), 1, "{:?}", x.links);
    let l = &x.links[0];
    assert_eq!(l.url, "https://www.city.setagaya.lg.jp/");
    assert!(l.locator.starts_with("page:1:lines:"), "{}", l.locator);
    assert!(l.text.contains("区ホームページ"), "{}", l.text);
}

#[test]
fn scanned_pdf_is_an_extraction_failure_not_an_empty_success() {
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("SKIP: pdftotext not installed");
        return;
    }
    // The text layer itself refuses it …
    let e = text_pages(
        &fixture_bytes("pdf/setagaya_report_scan.pdf"),
        &PdfOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("no text layer"), "{e}");
    // … and blank pages handed to the families are wrong content, for every family.
    let blank = PdfDocument::new(vec!["\n\n".into()], vec!["   \n".into()]);
    for fam in ["municipal_notice", "page", "hodanren"] {
        let e = run(fam, &blank, serde_json::json!({})).unwrap_err();
        assert!(
            matches!(&e, ExtractError::WrongContent(m) if m.contains("no text layer")),
            "{fam}: {e}"
        );
    }
}

#[test]
fn family_without_a_text_layer_rejects_pdf_text_with_its_name() {
    let Some(doc) = document("pdf/setagaya_report.pdf") else {
        return;
    };
    let e = run("da_dashboard", &doc, serde_json::Value::Null).unwrap_err();
    assert!(
        matches!(&e, ExtractError::WrongContent(m) if m.contains("da_dashboard")),
        "{e}"
    );
}

#[test]
fn survey_report_pdf_gives_hodanren_the_same_figures_as_its_text() {
    let Some(doc) = document("pdf/hodanren_survey_final_report.pdf") else {
        return;
    };
    let text = String::from_utf8(fixture_bytes("hodanren/survey_final_report.txt")).unwrap();
    let meta = SnapshotMeta::for_file("hodanren", URL, "0".repeat(64));
    let options = serde_json::Value::Null;
    let input = mynawatch_extract::Input {
        bytes: b"%PDF-",
        meta: &meta,
        options: &options,
    };
    let key = |x: &Extraction| {
        let mut v: Vec<String> = x
            .rows
            .figures
            .iter()
            .map(|f| {
                format!(
                    "{} {} {:?} {:?} {:?}",
                    f.metric, f.dimensions, f.value, f.status, f.as_of
                )
            })
            .collect();
        v.sort();
        v
    };
    let from_text = family("hodanren")
        .unwrap()
        .extract_text(&text, &input)
        .unwrap()
        .unwrap();
    let from_pdf = run("hodanren", &doc, options.clone()).unwrap();
    assert!(!from_text.rows.figures.is_empty());
    assert_eq!(key(&from_pdf), key(&from_text));
    for f in &from_pdf.rows.figures {
        assert!(
            f.provenance.locator.starts_with("page:1:lines:"),
            "{}",
            f.provenance.locator
        );
    }
}
