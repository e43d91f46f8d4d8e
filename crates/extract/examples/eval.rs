//! `mynawatch eval` without the CLI (no polars to build): score a family on a folder of
//! page texts against labels while working on a reader.
//!
//! ```sh
//! cargo run -p mynawatch-extract --example eval -- municipal_notice LABELS.tsv TEXT_DIR [--per-page]
//! ```
//! `--per-page` adds the report as JSON. `--show FILE` prints what the family reads from
//! one page of the folder (its notice fields and warnings) instead of scoring. `--facts`
//! prints every labelled page's facts as scored, a line each (`file<TAB>key=value`).

use std::path::PathBuf;

use mynawatch_extract::eval::{evaluate_dir, extract_all, parse_labels, render_text};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [family, labels, dir, rest @ ..] = args.as_slice() else {
        eprintln!("usage: eval FAMILY LABELS.tsv TEXT_DIR [--per-page]");
        std::process::exit(2);
    };
    let tsv = std::fs::read_to_string(labels).expect("labels file");
    let labels = parse_labels(&tsv).expect("labels parse");
    let family = mynawatch_extract::family(family).expect("family");
    let dir = PathBuf::from(dir);
    if let Some(at) = rest.iter().position(|a| a == "--show") {
        let file = &rest[at + 1];
        let text = std::fs::read_to_string(dir.join(file)).expect("page text");
        let meta = mynawatch_model::SnapshotMeta::for_file(family.name(), file, "00".repeat(32));
        let options = serde_json::Value::Null;
        let input = mynawatch_extract::Input {
            bytes: text.as_bytes(),
            meta: &meta,
            options: &options,
        };
        match family.extract_text(&text, &input) {
            Some(Ok(x)) => {
                for n in &x.rows.notices {
                    let mut n = n.clone();
                    n.text = String::new();
                    println!("{n:#?}");
                }
                for f in &x.rows.figures {
                    println!(
                        "{} {} {:?} {:?} as_of={:?} period={:?}..{:?}",
                        f.metric,
                        f.area_code,
                        f.value,
                        f.dimensions,
                        f.as_of,
                        f.period_start,
                        f.period_end
                    );
                }
                for w in &x.warnings {
                    println!("warning: {w}");
                }
            }
            Some(Err(e)) => println!("error: {e}"),
            None => println!("{} has no text layer", family.name()),
        }
        return;
    }
    if rest.iter().any(|a| a == "--facts") {
        let at = chrono::DateTime::from_timestamp(mynawatch_extract::eval::SCORED_AT, 0)
            .expect("scored time");
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
        let options = serde_json::Value::Null;
        for (file, got) in extract_all(family.as_ref(), &labels, &options, at, &read) {
            match got {
                Ok(mut facts) => {
                    facts.sort();
                    for (k, v) in facts {
                        println!("{file}\t{k}={v}");
                    }
                }
                Err(e) => println!("{file}\terror: {e}"),
            }
        }
        return;
    }
    let report = evaluate_dir(family.as_ref(), &labels, &serde_json::Value::Null, &dir);
    print!("{}", render_text(&report));
    if rest.iter().any(|a| a == "--per-page") {
        println!("{}", serde_json::to_string(&report).expect("json"));
    }
}
