//! The small subcommands: extract, query, normalize, changes (a summary for people, or
//! the rows), sources, alerts test.
//! Each returns what it prints, so tests can check the output without a subprocess.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use mynawatch_alert::AlertItem;
use mynawatch_extract::Input;
use mynawatch_model::{Change, ChangeKind, SnapshotMeta};
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
    for r in rows {
        // `to_string` knows its bytes are UTF-8: no second pass over a long main text.
        let json = serde_json::to_string(r)?;
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
            None => out.push_str(&json),
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

/// `mynawatch changes` filters.
#[derive(Debug, Clone, Default)]
pub struct ChangeFilter {
    /// A run id or a date `YYYY-MM-DD`.
    pub since: Option<String>,
    /// A 6-digit area code: figures and notices of that area.
    pub area: Option<String>,
    /// A source id.
    pub source: Option<String>,
    /// A change kind (`added`, `notice_text_changed`, …).
    pub kind: Option<String>,
}

impl ChangeFilter {
    fn kind(&self) -> Result<Option<ChangeKind>> {
        self.kind
            .as_deref()
            .map(|k| {
                serde_json::from_value(serde_json::Value::String(k.to_string())).map_err(|_| {
                    UsageError(format!(
                        "--kind: `{k}` is not a change kind (added, removed, modified, revised, \
                         notice_text_changed, source_broken, source_recovered)"
                    ))
                    .into()
                })
            })
            .transpose()
    }

    fn area(&self) -> Result<Option<&str>> {
        match self.area.as_deref() {
            Some(a) if a.len() != 6 || !a.bytes().all(|b| b.is_ascii_digit()) => Err(UsageError(
                format!("--area: `{a}` is not a 6-digit area code (131130 for 東京都渋谷区)"),
            )
            .into()),
            a => Ok(a),
        }
    }
}

/// `mynawatch changes --rows`: the change rows (`--since` only: the rows as before).
pub fn changes(data_dir: &Path, since: Option<&str>, format: Format) -> Result<String> {
    let filter = ChangeFilter {
        since: since.map(str::to_string),
        ..ChangeFilter::default()
    };
    change_rows(data_dir, &filter, format)
}

/// `mynawatch changes --rows [--format ...]`: the change rows, filtered, oldest first.
pub fn change_rows(data_dir: &Path, filter: &ChangeFilter, format: Format) -> Result<String> {
    let store = open_store(data_dir)?;
    let since = filter.since.as_deref().map(parse_since).transpose()?;
    let quote = |s: &str| s.replace('\'', "''");
    let mut sql = String::from(
        "select run_id, detected_at, source_id, \"table\", kind, entity_key, field, old_value, new_value, summary, url from changes",
    );
    let mut conds: Vec<String> = Vec::new();
    match &since {
        Some(Since::RunId(r)) => conds.push(format!("run_id >= '{}'", quote(r))),
        Some(Since::Date(d)) => conds.push(format!("cast(detected_at as date) >= '{d}'")),
        None => {}
    }
    if let Some(s) = &filter.source {
        conds.push(format!("source_id = '{}'", quote(s)));
    }
    if let Some(k) = filter.kind()? {
        conds.push(format!("kind = '{}'", k.as_str()));
    }
    if let Some(a) = filter.area()? {
        conds.push(format!(
            "\"table\" in ('figures', 'notices') and (entity_key like '%|{a}|%' or entity_key like '%|{a}')"
        ));
    }
    if !conds.is_empty() {
        sql.push_str(" where ");
        sql.push_str(&conds.join(" and "));
    }
    sql.push_str(" order by detected_at, source_id, entity_key, field");
    let mut df = store.query(&sql)?;
    Ok(mynawatch_store::render(&mut df, output_format(format))?)
}

/// Width of the terminal the summary is written for.
const SUMMARY_COLUMNS: usize = 100;
/// Runs the summary shows when no `--since` is given.
const SUMMARY_RUNS: usize = 10;

/// Lines of one summary entry at most.
const SUMMARY_ENTRY_LINES: usize = 3;

/// `s` wrapped to `cols` terminal columns (CJK characters take two), continuation lines
/// indented by `indent` spaces, at most `max_lines` lines (the last one ending in `…`
/// when the text goes on).
fn wrap(s: &str, cols: usize, indent: usize, max_lines: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut w = 0;
    let mut truncated = false;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > cols {
            if lines.len() + 1 == max_lines {
                truncated = true;
                break;
            }
            lines.push(std::mem::replace(&mut cur, " ".repeat(indent)));
            w = indent;
        }
        cur.push(c);
        w += cw;
    }
    if truncated {
        // Room for the ellipsis: take characters off until one more column fits.
        while w + 1 > cols {
            w -= cur.pop().and_then(|c| c.width()).unwrap_or(0);
        }
        cur.push('…');
    }
    lines.push(cur);
    lines
}

/// `mynawatch changes`: what changed, for people. Newest run first; per run a header and
/// the digest lines of its changes (bulks summarized, a source's first extraction as one
/// baseline line, notices, bills and health in full), each fitted to 100 columns.
pub fn change_summary(data_dir: &Path, filter: &ChangeFilter) -> Result<String> {
    use std::collections::{BTreeMap, HashMap};
    let store = open_store(data_dir)?;
    let since = filter.since.as_deref().map(parse_since).transpose()?;
    let kind = filter.kind()?;
    let area = filter.area()?;
    let all = store.load_changes(None)?;
    let states = store.source_states()?;
    // A source's baseline: its first run with changes, when they are all `added`.
    let mut first_run: HashMap<&str, &str> = HashMap::new();
    for c in &all {
        let e = first_run.entry(c.source_id.as_str()).or_insert(&c.run_id);
        if c.run_id.as_str() < *e {
            *e = &c.run_id;
        }
    }
    let mut not_baseline: std::collections::HashSet<(&str, &str)> = Default::default();
    for c in &all {
        if c.kind != ChangeKind::Added {
            not_baseline.insert((&c.source_id, &c.run_id));
        }
    }
    let is_baseline = |c: &Change| {
        first_run.get(c.source_id.as_str()) == Some(&c.run_id.as_str())
            && !not_baseline.contains(&(c.source_id.as_str(), c.run_id.as_str()))
    };
    let keep = |c: &Change| {
        let since_ok = match &since {
            Some(Since::RunId(r)) => c.run_id >= *r,
            Some(Since::Date(d)) => c.detected_at.date_naive() >= *d,
            None => true,
        };
        since_ok
            && filter.source.as_ref().is_none_or(|s| &c.source_id == s)
            && kind.is_none_or(|k| c.kind == k)
            && area.is_none_or(|a| {
                mynawatch_alert::feed::area_of(&c.table, &c.entity_key).as_deref() == Some(a)
            })
    };
    let mut runs: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for c in all.iter().filter(|c| keep(c)) {
        runs.entry(c.run_id.as_str()).or_default().push(c);
    }
    let total_runs = runs.len();
    let shown = if since.is_some() {
        total_runs
    } else {
        SUMMARY_RUNS
    };
    let mut out = String::new();
    if runs.is_empty() {
        out.push_str("no changes");
        if filter.since.is_some() || filter.area.is_some() || filter.source.is_some() {
            out.push_str(" match");
        }
        out.push('\n');
        return Ok(out);
    }
    for (run_id, changes) in runs.iter().rev().take(shown) {
        let when = changes[0].detected_at.format("%Y-%m-%d %H:%M UTC");
        let n = changes.len();
        out.push_str(&format!(
            "── run {run_id} · {when} · {} change{} ──\n",
            mynawatch_store::diff::group_thousands(n as i64),
            if n == 1 { "" } else { "s" }
        ));
        let family = |id: &str| states.get(id).map(|s| s.family.clone()).unwrap_or_default();
        let mut items: Vec<AlertItem> = Vec::new();
        let mut baselines: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for c in changes {
            if is_baseline(c) {
                baselines.entry(c.source_id.as_str()).or_default().push(c);
                continue;
            }
            items.push(AlertItem {
                change: (*c).clone(),
                family: family(&c.source_id),
                metric: None,
                baseline: None,
                figure: None,
            });
        }
        for (source, rows) in baselines {
            let mut per_table: BTreeMap<&str, usize> = BTreeMap::new();
            for c in &rows {
                *per_table.entry(c.table.as_str()).or_default() += 1;
            }
            let parts: Vec<String> = per_table
                .iter()
                .map(|(t, n)| format!("{} {t}", mynawatch_store::diff::group_thousands(*n as i64)))
                .collect();
            let mut change = rows[0].clone();
            change.entity_key = source.to_string();
            change.field = "baseline".into();
            change.new_value = Some(rows.len().to_string());
            change.summary = format!("{source}: baseline: {}", parts.join(", "));
            items.push(AlertItem {
                change,
                family: family(source),
                metric: None,
                baseline: Some(mynawatch_alert::Baseline::Summary),
                figure: None,
            });
        }
        items.sort_by(|a, b| {
            let health = |i: &AlertItem| {
                matches!(
                    i.change.kind,
                    ChangeKind::SourceBroken | ChangeKind::SourceRecovered
                )
            };
            (health(a), &a.change.source_id).cmp(&(health(b), &b.change.source_id))
        });
        for line in mynawatch_alert::digest_lines(&items, mynawatch_alert::Language::En) {
            // The URL is one `--rows` away; the terminal line is for the sentence.
            let line = match line.rsplit_once(" — ") {
                Some((text, url)) if url.starts_with("http") || url.starts_with("file:") => {
                    text.to_string()
                }
                _ => line,
            };
            for l in wrap(
                &format!("  {line}"),
                SUMMARY_COLUMNS,
                6,
                SUMMARY_ENTRY_LINES,
            ) {
                out.push_str(&l);
                out.push('\n');
            }
        }
    }
    if total_runs > shown {
        out.push_str(&format!(
            "… {} older run(s) (--since RUN|DATE to see them; --rows for every row)\n",
            total_runs - shown
        ));
    }
    Ok(out)
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
    Ok(d.send_test(chrono::Utc::now()).await.errors())
}

/// `mynawatch compact`: under the run lock, merge each table's small files (see
/// `Store::compact`); one line per table touched.
pub fn compact(data_dir: &Path) -> Result<String> {
    let store = open_store(data_dir)?;
    let now = chrono::Utc::now();
    let run_id = format!("compact-{}", now.format("%Y%m%dT%H%M%SZ"));
    let (_lock, _stale) = mynawatch_store::RunLock::acquire(data_dir, &run_id, now)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn width(s: &str) -> usize {
        use unicode_width::UnicodeWidthStr;
        s.width()
    }

    #[test]
    fn wrapped_lines_fit_the_columns_counting_wide_characters_twice() {
        let text = format!(
            "  [changed] {}: valid_until 2026-07-31 → 2027-07-31",
            "東京都渋谷区".repeat(12)
        );
        let lines = wrap(&text, 100, 6, 3);
        assert!(lines.len() >= 2, "{lines:#?}");
        assert!(lines.iter().all(|l| width(l) <= 100), "{lines:#?}");
        assert!(lines[1].starts_with("      "));
        let long = "あ".repeat(400);
        let cut = wrap(&long, 100, 6, 3);
        assert_eq!(cut.len(), 3);
        assert!(cut[2].ends_with('…') && width(&cut[2]) <= 100, "{cut:#?}");
        assert_eq!(wrap("short", 100, 6, 3), vec!["short".to_string()]);
    }
}
