//! Content sniffing and charset decoding, shared by the fetcher and the extractors.
//!
//! Japanese government sites serve Shift_JIS, CP932, EUC-JP and UTF-8, often with a
//! wrong or missing `charset`, and sometimes an HTML error page under a `.xlsx` name.
//! The order of evidence is: HTTP header → BOM → `<meta charset>` / XML prolog →
//! statistical guess (chardetng).

use encoding_rs::{Encoding, UTF_8};
use thiserror::Error;

/// What the bytes actually are, judged from their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A ZIP container (XLSX, DOCX, a zip of CSVs).
    Zip,
    /// An OLE2 compound file (legacy XLS).
    Ole,
    /// `%PDF-`.
    Pdf,
    /// Markup starting with `<!DOCTYPE html`, `<html`, or an XHTML prolog.
    Html,
    /// Other XML (`<?xml`, or a root element that is not html).
    Xml,
    /// JSON object or array.
    Json,
    /// Anything else that decodes as text (CSV, plain text).
    Text,
    /// Binary that is none of the above.
    Binary,
}

/// What a source declared it would serve (from its URL extension or configured format).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// `.xlsx`, `.docx`, `.zip`
    Zip,
    /// `.pdf`
    Pdf,
    /// `.csv`, `.txt`
    Text,
    /// `.json`
    Json,
    /// `.xml`
    Xml,
    /// HTML pages, or no expectation.
    Any,
}

/// The bytes are not what the URL or content type promised.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("expected {expected:?} content but got {got:?}{}", title.as_ref().map(|t| format!(" (page title: {t})")).unwrap_or_default())]
pub struct ContentMismatch {
    /// What was expected.
    pub expected: Expected,
    /// What the bytes are.
    pub got: Sniffed,
    /// The `<title>` of an HTML page served instead, which usually says what went wrong.
    pub title: Option<String>,
}

impl Expected {
    /// The expectation implied by a URL path's extension.
    pub fn from_url(url: &str) -> Expected {
        let path = url
            .split(['?', '#'])
            .next()
            .unwrap_or(url)
            .to_ascii_lowercase();
        let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match ext {
            "xlsx" | "xlsm" | "docx" | "zip" => Expected::Zip,
            "pdf" => Expected::Pdf,
            "csv" | "txt" | "tsv" => Expected::Text,
            "json" => Expected::Json,
            "xml" => Expected::Xml,
            _ => Expected::Any,
        }
    }
}

/// Judge what `bytes` are from their leading bytes.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Sniffed::Ole;
    }
    if bytes.starts_with(b"%PDF-") {
        return Sniffed::Pdf;
    }
    let head = strip_bom(&bytes[..bytes.len().min(1024)]);
    let trimmed = trim_ascii_start(head);
    let lower: Vec<u8> = trimmed
        .iter()
        .take(512)
        .map(u8::to_ascii_lowercase)
        .collect();
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        return Sniffed::Html;
    }
    if lower.starts_with(b"<?xml") || lower.starts_with(b"<!--") || lower.starts_with(b"<") {
        let window = String::from_utf8_lossy(&lower);
        if window.contains("<html") || window.contains("<!doctype html") {
            return Sniffed::Html;
        }
        return Sniffed::Xml;
    }
    if lower.starts_with(b"{") || lower.starts_with(b"[") {
        return Sniffed::Json;
    }
    if looks_textual(head) {
        Sniffed::Text
    } else {
        Sniffed::Binary
    }
}

/// Check that `bytes` are what `expected` promised. An HTML page where a file was
/// expected is the typical failure: a 404 page served with status 200.
pub fn check_expected(bytes: &[u8], expected: Expected) -> Result<Sniffed, ContentMismatch> {
    let got = sniff(bytes);
    let ok = match expected {
        Expected::Any => true,
        Expected::Zip => got == Sniffed::Zip || got == Sniffed::Ole,
        Expected::Pdf => got == Sniffed::Pdf,
        Expected::Text => matches!(got, Sniffed::Text | Sniffed::Json),
        Expected::Json => got == Sniffed::Json,
        Expected::Xml => got == Sniffed::Xml,
    };
    if ok {
        Ok(got)
    } else {
        let title = if got == Sniffed::Html {
            html_title(&decode(bytes, None).text)
        } else {
            None
        };
        Err(ContentMismatch {
            expected,
            got,
            title,
        })
    }
}

fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let t = text[open_end..close]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!t.is_empty()).then_some(t)
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(b)
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn looks_textual(b: &[u8]) -> bool {
    !b.iter()
        .any(|&c| c == 0 || (c < 0x09) || (0x0E..0x1B).contains(&c))
}

/// How the charset was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    /// `Content-Type: ...; charset=`
    Header,
    /// A byte-order mark.
    Bom,
    /// `<meta charset>`, `<meta http-equiv>` or `<?xml encoding=?>`.
    Declared,
    /// chardetng's guess.
    Guessed,
}

/// Decoded text with the charset used.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// Canonical encoding name (`Shift_JIS`, `EUC-JP`, `UTF-8`).
    pub charset: &'static str,
    /// Where the charset came from.
    pub source: CharsetSource,
    /// True when some bytes were invalid in that charset (replaced with U+FFFD).
    pub had_errors: bool,
}

/// Decode `bytes` to text: header charset → BOM → declared in the document → guess.
///
/// A header charset that the bytes clearly contradict (invalid sequences, while the
/// document's own declaration or a guess decodes cleanly) loses: sites that send
/// `charset=UTF-8` for Shift_JIS pages are common.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[len..]);
        return Decoded {
            text: text.into_owned(),
            charset: enc.name(),
            source: CharsetSource::Bom,
            had_errors,
        };
    }
    let mut candidates: Vec<(&'static Encoding, CharsetSource)> = Vec::new();
    if let Some(enc) = content_type
        .and_then(charset_param)
        .and_then(|l| Encoding::for_label(l.as_bytes()))
    {
        candidates.push((enc, CharsetSource::Header));
    }
    if let Some(enc) = declared_charset(bytes) {
        candidates.push((enc, CharsetSource::Declared));
    }
    for (enc, source) in &candidates {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return Decoded {
                text: text.into_owned(),
                charset: enc.name(),
                source: *source,
                had_errors,
            };
        }
    }
    let guessed = guess(bytes);
    let (text, had_errors) = guessed.decode_without_bom_handling(bytes);
    if had_errors {
        if let Some((enc, source)) = candidates.first() {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            return Decoded {
                text: text.into_owned(),
                charset: enc.name(),
                source: *source,
                had_errors,
            };
        }
    }
    Decoded {
        text: text.into_owned(),
        charset: guessed.name(),
        source: CharsetSource::Guessed,
        had_errors,
    }
}

fn guess(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    det.guess(Some(b"jp"), chardetng::Utf8Detection::Allow)
}

/// The `charset=` parameter of a Content-Type value.
pub fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The charset a document declares in its first 2 KiB: `<meta charset>`,
/// `<meta http-equiv content="...charset=...">` or `<?xml ... encoding="..."?>`.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(2048)];
    let lower: String = head
        .iter()
        .map(|&b| {
            if b.is_ascii() {
                b.to_ascii_lowercase() as char
            } else {
                ' '
            }
        })
        .collect();
    for marker in ["charset=", "encoding="] {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(marker) {
            let start = from + pos + marker.len();
            let value: String = lower[start..]
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if let Some(enc) = Encoding::for_label(value.as_bytes()) {
                return Some(enc);
            }
            from = start;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_error_page_is_not_a_workbook() {
        let page = b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\r\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\r\n<html><head><title>Not found</title></head></html>";
        let err = check_expected(page, Expected::Zip).unwrap_err();
        assert_eq!(err.got, Sniffed::Html);
        assert_eq!(err.title.as_deref(), Some("Not found"));
    }

    #[test]
    fn shift_jis_declared_in_meta_decodes_without_header() {
        let (bytes, _, _) =
            encoding_rs::SHIFT_JIS.encode("<meta charset=\"Shift_JIS\"><p>資格確認書</p>");
        let d = decode(&bytes, None);
        assert_eq!(d.charset, "Shift_JIS");
        assert_eq!(d.source, CharsetSource::Declared);
        assert!(d.text.contains("資格確認書"));
    }

    #[test]
    fn wrong_header_charset_loses_to_clean_declaration() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS
            .encode("<meta charset=\"Shift_JIS\"><p>有効期限は令和8年7月31日です</p>");
        let d = decode(&bytes, Some("text/html; charset=UTF-8"));
        assert_eq!(d.charset, "Shift_JIS");
        assert!(!d.had_errors);
    }

    #[test]
    fn undeclared_euc_jp_is_guessed() {
        let (bytes, _, _) = encoding_rs::EUC_JP
            .encode("マイナ保険証の利用登録解除の件数について、厚生労働省が公表しました。");
        let d = decode(&bytes, None);
        assert_eq!(d.charset, "EUC-JP");
        assert_eq!(d.source, CharsetSource::Guessed);
    }

    #[test]
    fn utf8_bom_wins() {
        let d = decode(
            "\u{feff}算出基準日,都道府県名".as_bytes(),
            Some("text/csv; charset=Shift_JIS"),
        );
        assert_eq!(d.charset, "UTF-8");
        assert_eq!(d.text, "算出基準日,都道府県名");
    }
}
