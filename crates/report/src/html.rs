//! HTML helpers: number formats, provenance hover text, and numbers that link to their
//! source. Markup is built with maud's `html!`, which escapes every value put into it.

use maud::{html, Markup};
use mynawatch_model::{Figure, Provenance};

/// `97985287` → `97,985,287` (rounded to a whole number).
pub fn count(v: f64) -> String {
    mynawatch_model::display::group_thousands(v.round() as i64)
}

/// A rate as published: `78.5%`, `65.92%` (at most two decimals, no trailing zeros).
pub fn rate(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

/// A figure's value in its unit.
pub fn value(f: &Figure) -> String {
    match f.value {
        None => "—".to_string(),
        Some(v) if f.unit == "percent" => rate(v),
        Some(v) if v.fract() == 0.0 => count(v),
        Some(v) => format!("{v}"),
    }
}

/// Hover text: locator, snapshot hash, fetch time, and the original string.
pub fn provenance_title(p: &Provenance, derived_from: &str) -> String {
    let mut t = format!(
        "{} · sha256 {} · fetched {} · {}",
        p.locator,
        p.snapshot_sha256,
        p.fetched_at.format("%Y-%m-%d %H:%M:%SZ"),
        p.source_id
    );
    if !derived_from.is_empty() {
        t.push_str(&format!(" · derived {derived_from}"));
    }
    if !p.raw_text.is_empty() {
        let raw: String = p.raw_text.chars().take(160).collect();
        t.push_str(&format!(" · “{raw}”"));
    }
    t
}

/// `text` as a link to `p`'s URL with the provenance on hover.
pub fn linked(text: &str, p: &Provenance, derived_from: &str) -> Markup {
    html! {
        a class="n" href=(p.url) target="_blank" rel="noopener"
            title=(provenance_title(p, derived_from)) { (text) }
    }
}

/// A figure's value, linked.
pub fn fig(f: &Figure) -> Markup {
    linked(&value(f), &f.provenance, &f.derived_from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_thousands_separators_and_rates_keep_published_precision() {
        assert_eq!(count(97_985_287.0), "97,985,287");
        assert_eq!(count(784.0), "784");
        assert_eq!(rate(78.5), "78.5%");
        assert_eq!(rate(84.9), "84.9%");
        assert_eq!(rate(65.92), "65.92%");
        assert_eq!(rate(30.0), "30%");
    }

    #[test]
    fn a_linked_number_escapes_its_url_hover_text_and_text() {
        let p = Provenance {
            url: "http://example.invalid/a?b=1&c=2".into(),
            locator: "\"Sheet<1>\"!A1".into(),
            snapshot_sha256: "ab".into(),
            source_id: "s".into(),
            raw_text: "R&D".into(),
            ..Provenance::default()
        };
        let a = linked("<1>", &p, "").into_string();
        assert!(a.starts_with("<a class=\"n\" href=\"http://example.invalid/a?b=1&amp;c=2\""));
        assert!(a.contains("title=\"&quot;Sheet&lt;1&gt;&quot;!A1 · sha256 ab · "));
        assert!(a.contains(" · “R&amp;D”\""));
        assert!(a.ends_with(">&lt;1&gt;</a>"));
    }
}
