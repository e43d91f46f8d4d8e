//! The small subcommands: extract, query, normalize, changes, sources, alerts test.
//! Each returns what it prints, so tests can check the output without a subprocess.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use mynawatch_extract::Input;
use mynawatch_model::SnapshotMeta;
use mynawatch_store::{OutputFormat, Since, Store};
use sha2::{Digest, Sha256};

use crate::args::Format;
use crate::config::Config;
use crate::UsageError;

/// Load the config and resolve the data folder (`--data` wins).
pub fn load(config: &Path, data: Option<&Path>) -> Result<(Config, PathBuf)> {
    let cfg = Config::load(config)?;
    let data_dir = data
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cfg.data_dir.clone());
    Ok((cfg, data_dir))
}

/// Open the store of an existing data folder (a missing one is a usage error, not an empty result).
pub fn open_store(data_dir: &Path) -> Result<Store> {
    if !data_dir.join("tables").exists() {
        return Err(UsageError(format!(
            "no mynawatch data in {} (run `mynawatch run` first, or pass --data)",
            data_dir.display()
        ))
        .into());
    }
    Ok(Store::open(data_dir)?)
}

fn output_format(f: Format) -> OutputFormat {
    match f {
        Format::Table => OutputFormat::Table,
        Format::Csv => OutputFormat::Csv,
        Format::Json => OutputFormat::Json,
    }
}

/// `mynawatch query`.
pub fn query(data_dir: &Path, sql: &str, format: Format) -> Result<String> {
    let store = open_store(data_dir)?;
    let mut df = store
        .query(sql)
        .map_err(|e| UsageError(format!("query failed: {e}")))?;
    Ok(mynawatch_store::render(&mut df, output_format(format))?)
}

/// `mynawatch extract`: rows as JSON lines `{"table": ..., ...row}`, written to `out` file
/// by file in the order given. Files are extracted in parallel (`jobs` threads, default
/// one per core, a batch at a time, so memory stays bounded); each batch's lines are
/// written as soon as the batch is done. The first failing file stops the command: the
/// rows of the files before it have been written, its error names it.
pub fn extract(
    family: &str,
    files: &[PathBuf],
    url: Option<&str>,
    text: bool,
    options: Option<&str>,
    jobs: Option<usize>,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let (fam, options) = family_with_options(family, options)?;
    if files.is_empty() {
        return Err(UsageError("extract: give at least one file".into()).into());
    }
    let threads = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, files.len());
    let one = |file: &PathBuf| extract_file(fam.as_ref(), file, url, text, &options);
    for batch in files.chunks(threads * 8) {
        let lines: Vec<Result<String>> = if threads == 1 {
            batch.iter().map(one).collect()
        } else {
            let next = std::sync::atomic::AtomicUsize::new(0);
            let slots: Vec<std::sync::Mutex<Option<Result<String>>>> =
                batch.iter().map(|_| std::sync::Mutex::new(None)).collect();
            std::thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = batch.get(i) else { break };
                        let r = one(file);
                        *slots[i].lock().expect("no panic holds a slot") = Some(r);
                    });
                }
            });
            slots
                .into_iter()
                .map(|m| {
                    m.into_inner()
                        .expect("no panic holds a slot")
                        .expect("every file of the batch was taken")
                })
                .collect()
        };
        for l in lines {
            out.write_all(l?.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

/// One file's rows as JSON lines (see [`extract`]).
fn extract_file(
    fam: &dyn mynawatch_extract::Family,
    file: &Path,
    url: Option<&str>,
    text: bool,
    options: &serde_json::Value,
) -> Result<String> {
    let family = fam.name();
    let bytes = std::fs::read(file).with_context(|| format!("read {}", file.display()))?;
    let sha = hex::encode(Sha256::digest(&bytes));
    let url = url
        .map(str::to_string)
        .unwrap_or_else(|| format!("file://{}", file.display()));
    let meta = SnapshotMeta::for_file("local", &url, sha);
    let input = Input {
        bytes: &bytes,
        meta: &meta,
        options,
    };
    let result = if text {
        let t = std::str::from_utf8(&bytes)
            .map_err(|_| UsageError(format!("{}: --text input must be UTF-8", file.display())))?;
        fam.extract_text(t, &input)
            .ok_or_else(|| UsageError(format!("family `{family}` has no text layer (--text)")))?
    } else if mynawatch_model::content::sniff(&bytes) == mynawatch_model::content::Sniffed::Pdf {
        // A PDF: text pages from poppler, then the family's PDF reader (text rules, `page`, `table`).
        let t = mynawatch_pdf::text_pages(&bytes, &mynawatch_pdf::PdfOptions::default())
            .with_context(|| format!("{family} on {}", file.display()))?;
        let mut doc = mynawatch_extract::pdf::PdfDocument::new(t.prose, t.layout);
        doc.links = t.links.into_iter().map(|l| (l.page, l.url)).collect();
        mynawatch_extract::pdf::extract(fam, &doc, &input)
    } else {
        fam.extract(&input)
    };
    let x = result.with_context(|| format!("{family} on {}", file.display()))?;
    for w in &x.warnings {
        tracing::warn!(file = %file.display(), warning = %w, "extraction warning");
    }
    let rows = &x.rows;
    let mut out = String::new();
    push_rows(&mut out, "events", &rows.events)?;
    push_rows(&mut out, "statements", &rows.statements)?;
    push_rows(&mut out, "notices", &rows.notices)?;
    push_rows(&mut out, "figures", &rows.figures)?;
    push_rows(&mut out, "bills", &rows.bills)?;
    push_rows(&mut out, "links", &x.links)?;
    Ok(out)
}

/// One JSON line per row, `{"table": ..., ...row}`, serialized straight from the typed
/// row: no `serde_json::Value` map in between (the same bytes, field order kept).
fn push_rows<T: serde::Serialize>(out: &mut String, table: &str, rows: &[T]) -> Result<()> {
    let head = format!("{{\"table\":{}", serde_json::to_string(table)?);
    let mut buf = Vec::with_capacity(1024);
    for r in rows {
        buf.clear();
        serde_json::to_writer(&mut buf, r)?;
        let json = std::str::from_utf8(&buf).expect("serde_json writes UTF-8");
        match json.strip_prefix('{') {
            Some("}") => {
                out.push_str(&head);
                out.push('}');
            }
            Some(fields) => {
                out.push_str(&head);
                out.push(',');
                out.push_str(fields);
            }
            None => out.push_str(json),
        }
        out.push('\n');
    }
    Ok(())
}

/// A registered family by name and its `--options` JSON (`Null` when none); usage errors
/// name the known families or the JSON error.
pub fn family_with_options(
    family: &str,
    options: Option<&str>,
) -> Result<(Box<dyn mynawatch_extract::Family>, serde_json::Value)> {
    let fam = mynawatch_extract::family(family).ok_or_else(|| {
        UsageError(format!(
            "unknown family `{family}` (known: {})",
            family_names().join(", ")
        ))
    })?;
    let options = match options {
        Some(o) => serde_json::from_str(o).map_err(|e| UsageError(format!("--options: {e}")))?,
        None => serde_json::Value::Null,
    };
    Ok((fam, options))
}

/// Names of the registered families.
pub fn family_names() -> Vec<&'static str> {
    mynawatch_extract::registry()
        .iter()
        .map(|f| f.name())
        .collect()
}

/// `mynawatch normalize`: one JSON object per input.
pub fn normalize(texts: &[String]) -> Result<String> {
    let mut out = String::new();
    let mut one = |t: &str| -> Result<()> {
        let analysis = mynawatch_ja::analyze(t);
        // Rejected dates (31 April, a contradicting weekday) are in the JSON's `warnings`
        // and said on stderr, so they are not missed.
        for w in &analysis.warnings {
            tracing::warn!("{w}");
        }
        out.push_str(&serde_json::to_string(&analysis)?);
        out.push('\n');
        Ok(())
    };
    if texts.is_empty() {
        for line in std::io::stdin().lock().lines() {
            one(&line?)?;
        }
    } else {
        for t in texts {
            one(t)?;
        }
    }
    Ok(out)
}

/// `mynawatch changes`.
pub fn changes(data_dir: &Path, since: Option<&str>, format: Format) -> Result<String> {
    let store = open_store(data_dir)?;
    let since = since.map(parse_since).transpose()?;
    let mut sql = String::from(
        "select run_id, detected_at, source_id, \"table\", kind, entity_key, field, old_value, new_value, summary, url from changes",
    );
    match &since {
        Some(Since::RunId(r)) => {
            sql.push_str(&format!(" where run_id >= '{}'", r.replace('\'', "''")))
        }
        Some(Since::Date(d)) => sql.push_str(&format!(" where cast(detected_at as date) >= '{d}'")),
        None => {}
    }
    sql.push_str(" order by detected_at, source_id, entity_key, field");
    let mut df = store.query(&sql)?;
    Ok(mynawatch_store::render(&mut df, output_format(format))?)
}

fn parse_since(s: &str) -> Result<Since> {
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(Since::Date(d));
    }
    if s.len() >= 16 && s.as_bytes()[8] == b'T' {
        return Ok(Since::RunId(s.to_string()));
    }
    Err(UsageError(format!(
        "--since: `{s}` is neither a run id nor a date YYYY-MM-DD"
    ))
    .into())
}

/// `mynawatch sources`: each configured source's last outcome.
pub fn sources(cfg: &Config, data_dir: &Path, format: Format) -> Result<String> {
    let (states, warnings) = if data_dir.join("state").exists() {
        let store = Store::open(data_dir)?;
        (store.source_states()?, store.load_warnings()?)
    } else {
        Default::default()
    };
    // Warnings of each source's last run (the run that last looked at it).
    let warnings_of = |id: &str, run: Option<&str>| -> (usize, usize) {
        let mine = warnings
            .iter()
            .filter(|w| w.source_id == id && Some(w.run_id.as_str()) == run);
        mine.fold((0, 0), |(all, dropped), w| {
            (all + 1, dropped + usize::from(w.kind == "dropped_row"))
        })
    };
    let rows: Vec<serde_json::Value> = cfg
        .sources
        .iter()
        .map(|s| {
            let st = states.get(&s.id);
            let (warn_count, dropped) =
                warnings_of(&s.id, st.and_then(|x| x.last_run.as_deref()));
            serde_json::json!({
                "warnings": warn_count,
                "dropped_rows": dropped,
                "source_id": s.id,
                "family": s.family,
                "enabled": s.enabled,
                "last_outcome": st.map(|x| x.last_outcome.clone()).unwrap_or_else(|| "never_run".into()),
                "last_run": st.and_then(|x| x.last_run.clone()),
                "last_good_run": st.and_then(|x| x.last_good_run.clone()),
                "consecutive_failures": st.map(|x| x.consecutive_failures).unwrap_or(0),
                "last_error": st.and_then(|x| x.last_error.clone()),
                "url": s.urls[0],
            })
        })
        .collect();
    Ok(match format {
        Format::Json => rows.iter().map(|r| format!("{r}\n")).collect(),
        Format::Csv | Format::Table => render_plain(&rows, format == Format::Csv),
    })
}

/// A small aligned table (or CSV) for JSON rows with the same keys.
fn render_plain(rows: &[serde_json::Value], csv: bool) -> String {
    let cols = [
        "source_id",
        "family",
        "last_outcome",
        "consecutive_failures",
        "warnings",
        "dropped_rows",
        "last_run",
        "last_error",
    ];
    let cell = |r: &serde_json::Value, c: &str| match &r[c] {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    let mut out = String::new();
    if csv {
        out.push_str(&cols.join(","));
        out.push('\n');
        for r in rows {
            let line: Vec<String> = cols
                .iter()
                .map(|c| {
                    let v = cell(r, c);
                    if v.contains([',', '"', '\n']) {
                        format!("\"{}\"", v.replace('"', "\"\""))
                    } else {
                        v
                    }
                })
                .collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
        return out;
    }
    let widths: Vec<usize> = cols
        .iter()
        .map(|c| {
            rows.iter()
                .map(|r| cell(r, c).chars().count().min(60))
                .max()
                .unwrap_or(0)
                .max(c.len())
        })
        .collect();
    let line = |vals: Vec<String>| {
        vals.iter()
            .zip(&widths)
            .map(|(v, w)| {
                let v: String = v.chars().take(60).collect();
                format!("{v:<w$}")
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    out.push_str(&line(cols.iter().map(|c| c.to_string()).collect()));
    out.push('\n');
    for r in rows {
        out.push_str(&line(cols.iter().map(|c| cell(r, c)).collect()));
        out.push('\n');
    }
    out
}

/// `mynawatch alerts test`.
pub async fn alerts_test(cfg: &Config, data_dir: &Path) -> Result<Vec<String>> {
    let d = mynawatch_alert::Dispatcher::new(cfg.alerts.clone(), &data_dir.join("state"))?;
    Ok(d.send_test().await.errors())
}

/// `mynawatch compact`: under the run lock, merge each table's small files (see
/// `Store::compact`); one line per table touched.
pub fn compact(data_dir: &Path) -> Result<String> {
    let store = open_store(data_dir)?;
    let run_id = format!("compact-{}", chrono::Utc::now().format("%Y%m%dT%H%M%SZ"));
    let (_lock, _stale) = mynawatch_fetch::RunLock::acquire(data_dir, &run_id)?;
    let migrated = store.migrate_layout()?;
    let done = store.compact()?;
    let mut out = String::new();
    if migrated > 0 {
        out.push_str(&format!(
            "moved {migrated} files of the flat layout into partition folders\n"
        ));
    }
    for c in &done {
        if c.files_in > 0 {
            out.push_str(&format!(
                "{:<15} {} files → {} ({} rows)\n",
                c.table, c.files_in, c.files_out, c.rows
            ));
        }
        if let Some(why) = &c.skipped {
            out.push_str(&format!("{:<15} left as it is: {why}\n", c.table));
        }
    }
    if done.is_empty() && migrated == 0 {
        out.push_str("nothing to compact\n");
    }
    Ok(out)
}
