//! Helpers every family shares: options, decoding, sniffing, hashing.

use mynawatch_model::content::{decode, sniff, Sniffed};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::html::{self, Page};
use crate::{ExtractError, Input};

/// A family's options from the config (`Null` = all defaults).
pub fn options<T: DeserializeOwned + Default>(v: &serde_json::Value) -> Result<T, ExtractError> {
    if v.is_null() {
        return Ok(T::default());
    }
    serde_json::from_value(v.clone()).map_err(|e| ExtractError::Options(e.to_string()))
}

/// Check an area option (`"東京都渋谷区"`) the way families resolve it; `key` names the
/// option in the error.
pub fn check_area(key: &str, area: &str) -> Result<(), ExtractError> {
    mynawatch_ja::area::lookup_full(area)
        .map(|_| ())
        .ok_or_else(|| ExtractError::Options(format!("`{key}`: unknown area `{area}`")))
}

/// The input decoded to text with the fetcher's or the document's charset.
pub fn text(input: &Input<'_>) -> String {
    decode(input.bytes, input.meta.content_type.as_deref()).text
}

/// The input as an HTML page; anything else (empty, a workbook, a PDF) is wrong content.
pub fn html_page(input: &Input<'_>) -> Result<Page, ExtractError> {
    if input.bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::WrongContent(format!(
            "{}: empty document",
            input.meta.url
        )));
    }
    match sniff(input.bytes) {
        Sniffed::Html | Sniffed::Xml | Sniffed::Text => {
            Ok(html::parse(&text(input), &input.meta.url))
        }
        other => Err(ExtractError::WrongContent(format!(
            "{}: expected an HTML page, got {other:?}",
            input.meta.url
        ))),
    }
}

/// sha256 of main text after normalization (NFKC, whitespace removed): markup-only
/// changes, `&nbsp;` spellings and width variants give the same hash.
pub fn text_hash(text: &str) -> String {
    let norm = mynawatch_ja::normalize(text);
    let mut hash = Sha256::new();
    for word in norm.split(char::is_whitespace) {
        hash.update(word.as_bytes());
    }
    hex::encode(hash.finalize())
}
