//! Running a family over a source's documents. Extractors are pure and must not panic;
//! one that still does is an extraction failure whose cause names the panic's message
//! and location (a bug report, not "extractor panicked"). A PDF document goes through
//! poppler's text (`mynawatch_pdf`) and the family's text layer.

use std::cell::RefCell;
use std::sync::Once;

use mynawatch_extract::{Extraction, Family, Input};
use mynawatch_model::ExtractionWarning;

use super::follow::Doc;

thread_local! {
    /// The last panic on this thread: "message at file:line:col".
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Record every panic's message and location for [`extract_doc`], then let the
/// previous hook report it as usual.
fn install_panic_recorder() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_string());
            let at = info
                .location()
                .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{message}{at}")));
            previous(info);
        }));
    });
}

/// Run a family on one document; a panic inside an extractor is an extraction failure
/// whose cause carries the panic's message and location.
pub(crate) fn extract_doc(
    family: &dyn Family,
    doc: &Doc,
    options: &serde_json::Value,
) -> Result<Extraction, String> {
    install_panic_recorder();
    let input = Input {
        bytes: &doc.bytes,
        meta: &doc.meta,
        options,
    };
    let run = || -> Result<Extraction, mynawatch_extract::ExtractError> {
        use mynawatch_model::content::{sniff, Sniffed};
        if sniff(&doc.bytes) != Sniffed::Pdf {
            return family.extract(&input);
        }
        // PDF: text per page from poppler (a bounded subprocess), then the family's text
        // layer with `page:N` locators.
        let t = mynawatch_pdf::text_pages(&doc.bytes, &mynawatch_pdf::PdfOptions::default())
            .map_err(|e| {
                mynawatch_extract::ExtractError::WrongContent(format!("{}: {e}", doc.meta.url))
            })?;
        let mut pdf = mynawatch_extract::pdf::PdfDocument::new(t.prose, t.layout);
        pdf.links = t.links.into_iter().map(|l| (l.page, l.url)).collect();
        mynawatch_extract::pdf::extract(family, &pdf, &input)
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(Ok(x)) => Ok(x),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => {
            let what = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "(no message)".to_string());
            Err(format!("extractor `{}` panicked: {what}", family.name()))
        }
    }
}

/// Turn an extraction's warning texts into `warnings` rows for one document.
pub(crate) fn warning_rows(
    texts: &[String],
    run_id: &str,
    source_id: &str,
    url: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<ExtractionWarning> {
    texts
        .iter()
        .map(|m| {
            let kind = ExtractionWarning::kind_of(m);
            ExtractionWarning::new(run_id, now, source_id, url, kind, m.clone())
        })
        .collect()
}
