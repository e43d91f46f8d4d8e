//! Evidence for facts read from prose: the sentence or cell that stated a field, its line
//! in the stored text, how it was read, and the other values that competed; or why the
//! field was left empty. Shared by the text families: a family decides a field's value,
//! this module records why, in the one JSON shape `notices.evidence` documents.

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// Field → evidence, serialized as a JSON object.
#[derive(Debug, Default)]
pub struct Evidence {
    map: BTreeMap<String, Value>,
}

impl Evidence {
    /// `field` was read from `quote` (a sentence or a cell of the normalized text), found
    /// on a line of the stored `text`, by `how` (`sentence`, `label`, `heading`); `others`
    /// are the competing values the reader saw and set aside.
    pub fn stated(&mut self, field: &str, quote: &str, text: &str, how: &str, others: &[String]) {
        let mut v = json!({ "quote": quote, "how": how });
        if let Some(line) = line_of(text, quote) {
            v["line"] = json!(line);
        }
        if !others.is_empty() {
            v["candidates"] = json!(others);
        }
        self.map.insert(field.to_string(), v);
    }

    /// `field` was left empty: `why` names the candidates that disagreed.
    pub fn abstained(&mut self, field: &str, why: &str) {
        self.map
            .entry(field.to_string())
            .or_insert_with(|| json!({ "abstained": why }));
    }

    /// The JSON object, or an empty string when nothing was recorded.
    pub fn to_json(&self) -> String {
        if self.map.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&self.map).expect("evidence serializes")
        }
    }
}

/// The 1-based line of `text` that holds the start of `quote`, compared without spaces
/// and after NFKC (the reader works on normalized text, the store keeps the page's).
pub fn line_of(text: &str, quote: &str) -> Option<usize> {
    let squeeze = |s: &str| crate::text::without_whitespace(&mynawatch_ja::normalize(s));
    let head: String = squeeze(quote).chars().take(16).collect();
    if head.is_empty() {
        return None;
    }
    text.lines()
        .position(|l| squeeze(l).contains(&head))
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_is_found_on_its_line_of_the_stored_text_across_width_and_spaces() {
        let stored = "お知らせ\n有効期限は　令和８年７月３１日 です。\n以上";
        assert_eq!(line_of(stored, "有効期限は令和8年7月31日です。"), Some(2));
        assert_eq!(line_of(stored, "どこにもない文"), None);
    }

    #[test]
    fn evidence_records_the_quote_its_line_and_abstentions_as_json() {
        let mut e = Evidence::default();
        assert_eq!(e.to_json(), "");
        e.stated(
            "valid_until",
            "有効期限は令和8年7月31日です。",
            "x\n有効期限は令和8年7月31日です。",
            "sentence",
            &[],
        );
        e.abstained(
            "mailing_start",
            "mailing: 2025-07-01 and 2025-07-15 disagree",
        );
        let v: Value = serde_json::from_str(&e.to_json()).unwrap();
        assert_eq!(v["valid_until"]["line"], 2);
        assert_eq!(v["valid_until"]["how"], "sentence");
        assert!(v["mailing_start"]["abstained"]
            .as_str()
            .unwrap()
            .contains("disagree"));
    }
}
