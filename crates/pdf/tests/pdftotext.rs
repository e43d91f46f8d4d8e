//! The bounded `pdftotext` subprocess on real and generated PDFs, and on fake tools that
//! hang, flood, fail or are missing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mynawatch_pdf::{text_pages, PdfError, PdfOptions, ReadingOrder};
use mynawatch_testutil::{corpus_dir, fixture_bytes};

/// True when poppler is installed; otherwise says so (tests that need it skip).
fn poppler() -> bool {
    let ok = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    if !ok {
        eprintln!("SKIP: pdftotext not installed (apt-get install poppler-utils)");
    }
    ok
}

fn fake_tool(dir: &Path, body: &str) -> PathBuf {
    let p = dir.join("pdftotext");
    // Written by a child shell, not by this process: a file this process held open for
    // writing could be inherited by another test thread's fork at that moment, and then
    // running it fails with "Text file busy" (ETXTBSY).
    let status = std::process::Command::new("sh")
        .args([
            "-c",
            "printf '%s\\n' \"$1\" > \"$2\" && chmod 755 \"$2\"",
            "sh",
        ])
        .arg(format!("#!/bin/sh\n{body}"))
        .arg(&p)
        .status()
        .unwrap();
    assert!(status.success(), "writing the fake tool");
    p
}

fn report() -> Vec<u8> {
    fixture_bytes("pdf/setagaya_report.pdf")
}

#[test]
fn real_tokyo_report_gives_one_page_in_both_reading_orders() {
    let path = corpus_dir().join("municipal/tokyo_fukushihokenkyoku_sokuhou_20210421.pdf");
    if !path.exists() {
        eprintln!("SKIP: corpus file {} not found", path.display());
        return;
    }
    if !poppler() {
        return;
    }
    let t = text_pages(&std::fs::read(path).unwrap(), &PdfOptions::default()).unwrap();
    assert_eq!(t.page_count(), 1);
    let title = "（情報提供）新型コロナウイルスに関連した患者の発生について【速報値】";
    assert!(t.prose[0].contains(title));
    assert!(t.layout[0].contains(title));
    // -layout keeps the cumulative total and the severe count on one line, in columns.
    let line = t.layout[0].lines().find(|l| l.contains("132,042")).unwrap();
    assert!(line.contains("48"), "{line}");
    // -raw keeps the letter-spaced date as the content stream has it.
    assert!(t.prose[0].contains("令 和 ３ 年 ４ 月 ２ １ 日"));
}

#[test]
fn generated_report_has_its_text_and_link_annotation() {
    if !poppler() {
        return;
    }
    let t = text_pages(&report(), &PdfOptions::default()).unwrap();
    assert_eq!(t.page_count(), 1);
    assert!(t.prose[0].contains("特定記録郵便により"));
    assert!(t.layout[0].contains("国民健康保険の資格確認書の交付について（報告）"));
    assert_eq!(t.links.len(), 1);
    assert_eq!(t.links[0].page, 1);
    assert_eq!(t.links[0].url, "https://www.city.setagaya.lg.jp/");
}

#[test]
fn prose_order_can_be_poppler_reading_order_without_layout() {
    if !poppler() {
        return;
    }
    let opts = PdfOptions {
        prose_order: ReadingOrder::Reading,
        layout: false,
        links: false,
        ..PdfOptions::default()
    };
    let t = text_pages(&report(), &opts).unwrap();
    assert!(t.layout.is_empty() && t.links.is_empty());
    assert!(t.prose[0].contains("令和７年９月中旬に発送する。"));
}

#[test]
fn scanned_image_pdf_is_no_text_layer_error() {
    if !poppler() {
        return;
    }
    let e = text_pages(
        &fixture_bytes("pdf/setagaya_report_scan.pdf"),
        &PdfOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, PdfError::NoTextLayer { pages: 1 }), "{e}");
    assert!(e.to_string().contains("scanned"), "{e}");
}

#[test]
fn truncated_pdf_is_a_truncation_error_before_any_subprocess() {
    // A missing tool would fail the run: the check comes first, so the error is the cause.
    let opts = PdfOptions {
        program: "/nonexistent/pdftotext".into(),
        ..PdfOptions::default()
    };
    let bytes = fixture_bytes("pdf/setagaya_report_truncated.pdf");
    let e = text_pages(&bytes, &opts).unwrap_err();
    assert!(
        matches!(e, PdfError::Truncated(n) if n == bytes.len()),
        "{e}"
    );
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[test]
fn truncated_pdf_with_a_stray_trailer_is_still_an_error_from_poppler() {
    if !poppler() {
        return;
    }
    // Half a file with an %%EOF appended passes the cheap check; poppler then fails.
    let mut bytes = fixture_bytes("pdf/setagaya_report_truncated.pdf");
    bytes.extend_from_slice(b"\n%%EOF\n");
    let e = text_pages(&bytes, &PdfOptions::default()).unwrap_err();
    assert!(matches!(e, PdfError::Damaged(_)), "{e}");
}

#[test]
fn encrypted_pdf_is_an_encryption_error() {
    if !poppler() {
        return;
    }
    let e = text_pages(
        &fixture_bytes("pdf/setagaya_report_encrypted.pdf"),
        &PdfOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, PdfError::Encrypted(_)), "{e}");
    assert!(e.to_string().contains("password"), "{e}");
}

#[test]
fn html_error_page_is_not_a_pdf() {
    let e = text_pages(
        b"<!DOCTYPE html><html><title>404 Not Found</title></html>",
        &PdfOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, PdfError::NotPdf(_)), "{e}");
}

#[test]
fn missing_tool_error_names_the_tool_and_the_package() {
    let opts = PdfOptions {
        program: "/nonexistent/pdftotext".into(),
        ..PdfOptions::default()
    };
    let e = text_pages(&report(), &opts).unwrap_err();
    assert!(matches!(e, PdfError::ToolMissing { .. }), "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains("/nonexistent/pdftotext") && msg.contains("poppler-utils"),
        "{msg}"
    );
}

#[test]
fn slow_tool_is_killed_at_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    // Not `exec`: the shell's child keeps the output pipe open, so only killing the
    // whole process group ends the run.
    let opts = PdfOptions {
        program: fake_tool(dir.path(), "sleep 30"),
        timeout: Duration::from_millis(300),
        ..PdfOptions::default()
    };
    let t0 = Instant::now();
    let e = text_pages(&report(), &opts).unwrap_err();
    assert!(matches!(e, PdfError::Timeout { .. }), "{e}");
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
}

#[test]
fn tool_that_leaves_a_child_holding_its_output_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let opts = PdfOptions {
        program: fake_tool(dir.path(), "printf 'page one\\f'\nsleep 30 &"),
        timeout: Duration::from_secs(20),
        layout: false,
        links: false,
        ..PdfOptions::default()
    };
    let t0 = Instant::now();
    let t = text_pages(&report(), &opts).unwrap();
    assert_eq!(t.prose, vec!["page one".to_string()]);
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
}

#[test]
fn flooding_tool_is_killed_at_the_output_cap() {
    let dir = tempfile::tempdir().unwrap();
    let opts = PdfOptions {
        program: fake_tool(
            dir.path(),
            "while :; do echo 資格確認書資格確認書資格確認書; done",
        ),
        max_output_bytes: 100_000,
        timeout: Duration::from_secs(20),
        ..PdfOptions::default()
    };
    let e = text_pages(&report(), &opts).unwrap_err();
    assert!(
        matches!(e, PdfError::OutputTooLarge { limit: 100_000, .. }),
        "{e}"
    );
}

#[test]
fn failing_tool_message_is_kept_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let opts = PdfOptions {
        program: fake_tool(
            dir.path(),
            "cat >/dev/null; echo \"Syntax Error: Couldn't read xref table\" >&2; exit 1",
        ),
        ..PdfOptions::default()
    };
    let e = text_pages(&report(), &opts).unwrap_err();
    assert!(
        matches!(&e, PdfError::Damaged(m) if m.contains("xref")),
        "{e}"
    );
}

#[test]
fn chatty_tool_does_not_block_on_its_warnings() {
    let dir = tempfile::tempdir().unwrap();
    // 1 MB of warnings on stderr (poppler prints one per broken object), then the text.
    let opts = PdfOptions {
        program: fake_tool(
            dir.path(),
            "cat >/dev/null\ni=0; while [ $i -lt 20000 ]; do echo 'Syntax Warning: Mismatch between font type and embedded font file' >&2; i=$((i+1)); done\nprintf 'text\\f'",
        ),
        timeout: Duration::from_secs(20),
        layout: false,
        links: false,
        ..PdfOptions::default()
    };
    let t = text_pages(&report(), &opts).unwrap();
    assert_eq!(t.prose, vec!["text".to_string()]);
}
