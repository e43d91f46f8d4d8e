//! The analyst's documentation of the tables (docs/tables.md) names every column the row
//! types write, in their order: a column added to a row struct without its documentation
//! fails here.

use mynawatch_store::{columns, TABLES};

const PROVENANCE: [&str; 7] = [
    "source_id",
    "url",
    "fetched_at",
    "snapshot_sha256",
    "locator",
    "raw_text",
    "run_id",
];

/// The backticked words of the `## table` section, in order.
fn documented(doc: &str, table: &str) -> Vec<String> {
    let head = format!("\n## {table}\n");
    let Some(at) = doc.find(&head) else {
        return Vec::new();
    };
    let body = &doc[at + head.len()..];
    let body = &body[..body.find("\n## ").unwrap_or(body.len())];
    body.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn every_column_of_every_table_is_documented_in_order() {
    let doc = std::fs::read_to_string(mynawatch_testutil::repo_root().join("docs/tables.md"))
        .expect("docs/tables.md");
    let mut missing = Vec::new();
    for t in TABLES {
        let words = documented(&doc, t.as_str());
        assert!(!words.is_empty(), "docs/tables.md has no `## {t}` section");
        let schema = columns::empty(t).unwrap().schema().clone();
        // Content tables end with the provenance columns, documented once at the top.
        let with_provenance = schema.get("snapshot_sha256").is_some();
        let mut from = 0;
        for (name, _) in schema.iter() {
            let name = name.as_str();
            if with_provenance && PROVENANCE.contains(&name) {
                continue; // "then provenance": documented once, at the top
            }
            // A House's columns (`hor_stage`, `hoc_stage`) are documented once, unprefixed,
            // under "prefixed `hor_` and `hoc_`".
            if let Some(field) = name.strip_prefix("hor_").or(name.strip_prefix("hoc_")) {
                if !words.iter().any(|w| w == field) {
                    missing.push(format!("{t}.{name}"));
                }
                continue;
            }
            let found = words[from..].iter().position(|w| w == name);
            match found {
                Some(i) => from += i + 1,
                None => missing.push(format!("{t}.{name}")),
            }
        }
    }
    assert!(
        missing.is_empty(),
        "columns not documented (or out of order) in docs/tables.md: {missing:?}"
    );
}
