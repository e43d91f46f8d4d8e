//! Accuracy scoring: a family's extraction turned into `(field, value)` facts and
//! compared with hand-made labels. Pure: the caller reads the page texts (the
//! `mynawatch eval` command reads a folder; tests read fixtures) and hands them in.
//!
//! # Labels
//! A TSV file, one fact a line: `file<TAB>url<TAB>field<TAB>value`. `#` lines and
//! blank lines are skipped. `file` is the text file's name in the text folder, `url`
//! the page it came from (recorded as the rows' source URL). `value` `-` means the
//! page states none, so any extracted value is *spurious*. A field that has no label
//! line for a file is not judged.
//!
//! # Facts
//! - notices (`municipal_notice`): `scheme` (`kokuho`, `koki`, `kokuho+koki`),
//!   `issuance_policy` (`all_insured`, `unregistered_only`, `on_application`,
//!   `mixed`, `unknown`), `policy.kokuho` / `policy.koki` (per scheme, pages covering
//!   both), `mailing_start`, `mailing_end`, `method`, `valid_from`, `valid_until`
//!   (dates `YYYY-MM-DD`), `title`.
//! - figures (any family): field `metric|area_code|period`, with `|dimensions`
//!   appended when the figure has dimensions; `period` is `START..END` when the
//!   figure has a period, else its `as_of` date, else empty. The value is the number
//!   (`70.1`, `12735`); numbers compare with a relative tolerance of 1e-9. Example:
//!   `report.txt<TAB>https://…<TAB>survey.trouble_share|00000|2024-10-17<TAB>70.1`.
//!   A figure fact whose field no label names is listed as *unlabelled* (not scored):
//!   *undated* when a label names the same fact with a period the reader left empty
//!   (it abstained on the date), else a fact the labels do not have (a wrong period,
//!   area or metric, or a fact the labeller left out), counted in the total line.
//!
//! # Scores
//! Per field: `right` (stated and equal), `none_right` (page states none, nothing
//! extracted), `wrong` (a different value), `missing` (stated, nothing extracted),
//! `spurious` (page states none, something extracted). Recall = right / stated.

use std::collections::BTreeMap;

use mynawatch_model::{Figure, Notice};
use serde::Serialize;
use thiserror::Error;

use crate::Extraction;

/// One labelled fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Text file name in the text folder.
    pub file: String,
    /// The page's URL.
    pub url: String,
    /// Field name (see module docs).
    pub field: String,
    /// Expected value; `None` when the page states none (`-`).
    pub value: Option<String>,
}

/// A labels file that cannot be read.
#[derive(Debug, Error)]
#[error("labels line {line}: {message}")]
pub struct LabelError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Parse a labels TSV (see module docs). A file+field given twice is an error.
pub fn parse_labels(tsv: &str) -> Result<Vec<Label>, LabelError> {
    let mut out: Vec<Label> = Vec::new();
    for (i, raw) in tsv.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split('\t').collect();
        if parts.len() != 4 {
            return Err(LabelError {
                line: i + 1,
                message: format!("expected 4 tab-separated columns, found {}", parts.len()),
            });
        }
        let (file, url, field, value) = (
            parts[0].trim(),
            parts[1].trim(),
            parts[2].trim(),
            parts[3].trim(),
        );
        if file.is_empty() || field.is_empty() || value.is_empty() {
            return Err(LabelError {
                line: i + 1,
                message: "empty file, field or value".into(),
            });
        }
        // A field is compared in the extractor's normal form: `（マイナの）有効期限切れ` and
        // `(マイナの)有効期限切れ` are one label.
        let field = mynawatch_ja::normalize(field).into_owned();
        if out.iter().any(|l| l.file == file && l.field == field) {
            return Err(LabelError {
                line: i + 1,
                message: format!("{file}: field `{field}` labelled twice"),
            });
        }
        out.push(Label {
            file: file.into(),
            url: url.into(),
            field,
            value: (value != "-").then(|| value.to_string()),
        });
    }
    Ok(out)
}

/// The facts of one extraction: notices' fields and figures' values.
pub fn facts(x: &Extraction) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for n in &x.rows.notices {
        out.extend(notice_facts(n));
    }
    for f in &x.rows.figures {
        out.push(figure_fact(f));
    }
    out
}

fn notice_facts(n: &Notice) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut put = |k: &str, v: String| {
        if !v.is_empty() {
            out.push((k.to_string(), v));
        }
    };
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    put("title", n.title.clone());
    put("scheme", n.scheme.clone());
    put("issuance_policy", n.issuance_policy.clone());
    for part in n.policy_by_scheme.split(';').filter(|p| !p.is_empty()) {
        if let Some((scheme, policy)) = part.split_once('=') {
            put(&format!("policy.{scheme}"), policy.to_string());
        }
    }
    put("mailing_start", d(n.mailing_start));
    put("mailing_end", d(n.mailing_end));
    put("method", n.mailing_method.clone());
    put("valid_from", d(n.valid_from));
    put("valid_until", d(n.valid_until));
    out
}

/// A figure as a fact: `metric|area_code|period[|dimensions]` → value.
pub fn figure_fact(f: &Figure) -> (String, String) {
    let period = match (f.period_start, f.period_end) {
        (Some(s), Some(e)) => format!("{s}..{e}"),
        (Some(s), None) => format!("{s}.."),
        (None, Some(e)) => format!("..{e}"),
        (None, None) => f.as_of.map(|d| d.to_string()).unwrap_or_default(),
    };
    let mut key = format!("{}|{}|{}", f.metric, f.area_code, period);
    if !f.dimensions.is_empty() {
        key.push('|');
        key.push_str(&f.dimensions);
    }
    let value = f.value.map(fmt_number).unwrap_or_default();
    (key, value)
}

fn fmt_number(v: f64) -> String {
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn same_value(got: &str, want: &str) -> bool {
    if got == want {
        return true;
    }
    match (
        got.replace(',', "").parse::<f64>(),
        want.replace(',', "").parse::<f64>(),
    ) {
        (Ok(a), Ok(b)) => (a - b).abs() <= 1e-9 * b.abs().max(1.0),
        _ => false,
    }
}

/// Counts for one field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldScore {
    /// Stated on the page and extracted equal.
    pub right: usize,
    /// The page states none and nothing was extracted.
    pub none_right: usize,
    /// Extracted a different value than stated.
    pub wrong: usize,
    /// Stated, nothing extracted.
    pub missing: usize,
    /// The page states none, something extracted.
    pub spurious: usize,
}

impl FieldScore {
    /// Labels with a value.
    pub fn stated(&self) -> usize {
        self.right + self.wrong + self.missing
    }
    /// Right / stated (1.0 when nothing is stated).
    pub fn recall(&self) -> f64 {
        match self.stated() {
            0 => 1.0,
            n => self.right as f64 / n as f64,
        }
    }
    /// (right + none_right) / all judged.
    pub fn accuracy(&self) -> f64 {
        let all = self.stated() + self.none_right + self.spurious;
        match all {
            0 => 1.0,
            n => (self.right + self.none_right) as f64 / n as f64,
        }
    }
}

/// One judged fact that is not right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Miss {
    /// Text file.
    pub file: String,
    /// Field.
    pub field: String,
    /// `wrong`, `missing` or `spurious`.
    pub kind: &'static str,
    /// Labelled value (`-` for none).
    pub want: String,
    /// Extracted value (`-` for none).
    pub got: String,
}

/// The result of scoring a labelled set.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Files judged.
    pub files: usize,
    /// Per field.
    pub fields: BTreeMap<String, FieldScore>,
    /// Every judged fact that is not right, in file order.
    pub misses: Vec<Miss>,
    /// Files whose extraction failed (file, error).
    pub failed: Vec<(String, String)>,
    /// Extracted figure facts no label names (file, field, value), other than the
    /// undated ones.
    pub unlabelled: Vec<(String, String, String)>,
    /// Extracted figure facts a label names with a period that the extraction left
    /// empty, the value being the label's (file, field, value).
    pub undated: Vec<(String, String, String)>,
}

impl Report {
    /// All fields summed.
    pub fn total(&self) -> FieldScore {
        self.fields
            .values()
            .fold(FieldScore::default(), |mut a, s| {
                a.right += s.right;
                a.none_right += s.none_right;
                a.wrong += s.wrong;
                a.missing += s.missing;
                a.spurious += s.spurious;
                a
            })
    }
}

/// Facts per file, or the error that stopped its extraction.
pub type Extracted = BTreeMap<String, Result<Vec<(String, String)>, String>>;

/// Score extractions (file → facts, or the error that stopped it) against labels.
pub fn score(labels: &[Label], extracted: &Extracted) -> Report {
    let mut report = Report::default();
    let mut files: Vec<&str> = labels.iter().map(|l| l.file.as_str()).collect();
    files.dedup();
    files.sort();
    files.dedup();
    report.files = files.len();
    for file in files {
        let facts = match extracted.get(file) {
            Some(Ok(f)) => f.as_slice(),
            Some(Err(e)) => {
                report.failed.push((file.to_string(), e.clone()));
                &[]
            }
            None => {
                report.failed.push((file.to_string(), "no text".into()));
                &[]
            }
        };
        let mine: Vec<&Label> = labels.iter().filter(|l| l.file == file).collect();
        for l in &mine {
            let got: Vec<&str> = facts
                .iter()
                .filter(|(k, _)| *k == l.field)
                .map(|(_, v)| v.as_str())
                .collect();
            let s = report.fields.entry(l.field.clone()).or_default();
            let kind = match (&l.value, got.first()) {
                (Some(w), Some(_)) if got.iter().any(|g| same_value(g, w)) => {
                    s.right += 1;
                    None
                }
                (Some(_), Some(_)) => {
                    s.wrong += 1;
                    Some("wrong")
                }
                (Some(_), None) => {
                    s.missing += 1;
                    Some("missing")
                }
                (None, None) => {
                    s.none_right += 1;
                    None
                }
                (None, Some(_)) => {
                    s.spurious += 1;
                    Some("spurious")
                }
            };
            if let Some(kind) = kind {
                report.misses.push(Miss {
                    file: file.to_string(),
                    field: l.field.clone(),
                    kind,
                    want: l.value.clone().unwrap_or_else(|| "-".into()),
                    got: if got.is_empty() {
                        "-".into()
                    } else {
                        got.join(" / ")
                    },
                });
            }
        }
        for (k, v) in facts {
            if k.contains('|') && !mine.iter().any(|l| &l.field == k) {
                let undated = mine.iter().any(|l| {
                    l.value.as_deref().is_some_and(|w| same_value(v, w))
                        && without_period(&l.field).is_some_and(|(key, period)| {
                            !period.is_empty() && without_period(k) == Some((key, ""))
                        })
                });
                let list = if undated {
                    &mut report.undated
                } else {
                    &mut report.unlabelled
                };
                list.push((file.to_string(), k.clone(), v.clone()));
            }
        }
    }
    report
}

/// A figure field split into the field without its period, and the period.
fn without_period(field: &str) -> Option<(String, &str)> {
    let parts: Vec<&str> = field.split('|').collect();
    let period = *parts.get(2)?;
    let mut rest = parts[..2].to_vec();
    rest.extend(&parts[3..]);
    Some((rest.join("|"), period))
}

/// The fetch time a scored run gives every page, so that two runs over the same texts date
/// their undated figures alike.
pub const SCORED_AT: i64 = 1_750_000_000;

/// [`evaluate`] over the texts in `dir` that the labels name, fetched at [`SCORED_AT`].
pub fn evaluate_dir(
    family: &dyn crate::Family,
    labels: &[Label],
    options: &serde_json::Value,
    dir: &std::path::Path,
) -> Report {
    let at = chrono::DateTime::from_timestamp(SCORED_AT, 0).expect("scored time");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
    evaluate(family, labels, options, at, &read)
}

/// Run a family's text layer over labelled files and score it. `text_of(file)` reads
/// one page text (`None` when absent); the URL from the labels becomes the rows'
/// source and `fetched_at` their fetch time.
pub fn evaluate(
    family: &dyn crate::Family,
    labels: &[Label],
    options: &serde_json::Value,
    fetched_at: chrono::DateTime<chrono::Utc>,
    text_of: &dyn Fn(&str) -> Option<String>,
) -> Report {
    score(
        labels,
        &extract_all(family, labels, options, fetched_at, text_of),
    )
}

/// The facts a family reads from each labelled file (by the labels' URLs), or the error
/// it gives: what [`evaluate`] scores.
pub fn extract_all(
    family: &dyn crate::Family,
    labels: &[Label],
    options: &serde_json::Value,
    fetched_at: chrono::DateTime<chrono::Utc>,
    text_of: &dyn Fn(&str) -> Option<String>,
) -> BTreeMap<String, Result<Vec<(String, String)>, String>> {
    let mut extracted = BTreeMap::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for l in labels {
        if !seen.iter().any(|(f, _)| *f == l.file) {
            seen.push((&l.file, &l.url));
        }
    }
    for (file, url) in seen {
        let Some(text) = text_of(file) else {
            continue;
        };
        let meta = meta_for(url, fetched_at);
        let input = crate::Input {
            bytes: text.as_bytes(),
            meta: &meta,
            options,
        };
        let got = match family.extract_text(&text, &input) {
            Some(Ok(x)) => Ok(facts(&x)),
            Some(Err(e)) => Err(e.to_string()),
            None => Err(format!("family `{}` has no text layer", family.name())),
        };
        extracted.insert(file.to_string(), got);
    }
    extracted
}

fn meta_for(url: &str, fetched_at: chrono::DateTime<chrono::Utc>) -> mynawatch_model::SnapshotMeta {
    mynawatch_model::SnapshotMeta {
        source_id: "eval".into(),
        url: url.to_string(),
        fetched_at,
        sha256: String::new(),
        content_type: Some("text/plain; charset=utf-8".into()),
        charset: Some("utf-8".into()),
        run_id: "eval".into(),
    }
}

/// The report as plain text: a per-field table, then every miss.
pub fn render_text(r: &Report) -> String {
    let mut s = format!(
        "{} files\n{:<20} {:>6} {:>6} {:>6} {:>8} {:>9} {:>7}\n",
        r.files, "field", "right", "none", "wrong", "missing", "spurious", "recall"
    );
    for (k, f) in &r.fields {
        s.push_str(&format!(
            "{:<20} {:>6} {:>6} {:>6} {:>8} {:>9} {:>6.1}%\n",
            k,
            f.right,
            f.none_right,
            f.wrong,
            f.missing,
            f.spurious,
            100.0 * f.recall()
        ));
    }
    let t = r.total();
    s.push_str(&format!(
        "{:<20} {:>6} {:>6} {:>6} {:>8} {:>9} {:>6.1}%\n",
        "TOTAL",
        t.right,
        t.none_right,
        t.wrong,
        t.missing,
        t.spurious,
        100.0 * t.recall()
    ));
    for (file, e) in &r.failed {
        s.push_str(&format!("FAILED {file}: {e}\n"));
    }
    for m in &r.misses {
        s.push_str(&format!(
            "{:<8} {} {}: want {} got {}\n",
            m.kind, m.file, m.field, m.want, m.got
        ));
    }
    s.push_str(&format!(
        "UNLABELLED {} (and {} undated: the labelled fact, its period left empty)\n",
        r.unlabelled.len(),
        r.undated.len()
    ));
    for (file, k, v) in &r.unlabelled {
        s.push_str(&format!("unlabelled {file} {k} = {v}\n"));
    }
    for (file, k, v) in &r.undated {
        s.push_str(&format!("undated {file} {k} = {v}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_of(pairs: &[(&str, &str)]) -> Result<Vec<(String, String)>, String> {
        Ok(pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect())
    }

    #[test]
    fn labels_parse_with_dash_as_none_and_reject_duplicates() {
        let l = parse_labels(
            "# c\na.txt\thttp://x\tvalid_until\t2026-07-31\na.txt\thttp://x\tmethod\t-\n",
        )
        .unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].value.as_deref(), Some("2026-07-31"));
        assert_eq!(l[1].value, None);
        assert!(parse_labels("a\tb\tc\n").is_err());
        assert!(parse_labels("a\tu\tf\t1\na\tu\tf\t2\n").is_err());
    }

    #[test]
    fn score_counts_right_wrong_missing_spurious_and_none() {
        let labels = parse_labels(
            "a\tu\tvalid_until\t2026-07-31\na\tu\tmethod\t-\na\tu\tmailing_start\t2025-07-01\n\
             b\tu\tvalid_until\t2026-07-31\nb\tu\tmethod\t-\nb\tu\tmailing_start\t2025-07-01\n",
        )
        .unwrap();
        let mut ex = BTreeMap::new();
        ex.insert(
            "a".to_string(),
            facts_of(&[("valid_until", "2026-07-31"), ("method", "簡易書留")]),
        );
        ex.insert(
            "b".to_string(),
            facts_of(&[
                ("valid_until", "2025-07-31"),
                ("mailing_start", "2025-07-01"),
            ]),
        );
        let r = score(&labels, &ex);
        let vu = &r.fields["valid_until"];
        assert_eq!((vu.right, vu.wrong), (1, 1));
        let m = &r.fields["method"];
        assert_eq!((m.spurious, m.none_right), (1, 1));
        let ms = &r.fields["mailing_start"];
        assert_eq!((ms.right, ms.missing), (1, 1));
        assert_eq!(r.misses.len(), 3);
        assert_eq!(r.total().wrong, 1);
    }

    #[test]
    fn figure_facts_key_on_metric_area_period_and_compare_numerically() {
        let meta = meta_for("http://x", chrono::DateTime::UNIX_EPOCH);
        let f = Figure {
            metric: "survey.trouble_share".into(),
            area_code: "00000".into(),
            area_name: String::new(),
            as_of: chrono::NaiveDate::from_ymd_opt(2024, 10, 17),
            period_start: None,
            period_end: None,
            value: Some(70.1),
            unit: "percent".into(),
            scale: 1.0,
            qualifier: Default::default(),
            status: mynawatch_model::FigureStatus::Final,
            dimensions: String::new(),
            derived_from: String::new(),
            evidence: String::new(),
            provenance: meta.provenance("p", "70.1%"),
        };
        let (k, v) = figure_fact(&f);
        assert_eq!(k, "survey.trouble_share|00000|2024-10-17");
        assert_eq!(v, "70.1");
        let labels = parse_labels(&format!(
            "r\tu\t{k}\t70.10\nr\tu\tsurvey.n|00000|\t12,735\n"
        ))
        .unwrap();
        let mut ex = BTreeMap::new();
        ex.insert(
            "r".to_string(),
            facts_of(&[
                (k.as_str(), "70.1"),
                ("survey.n|00000|", "12735"),
                ("x|1|", "3"),
            ]),
        );
        let r = score(&labels, &ex);
        assert_eq!(r.total().right, 2);
        assert_eq!(r.unlabelled.len(), 1);
    }

    #[test]
    fn a_labelled_figure_left_undated_is_told_apart_from_one_the_labels_lack() {
        let labels = parse_labels(
            "r\tu\tsurvey.n|110001|2024-11-30\t527\nr\tu\tsurvey.rate|110001|2024-11-30\t71.9\n",
        )
        .unwrap();
        let mut ex = BTreeMap::new();
        ex.insert(
            "r".to_string(),
            facts_of(&[
                // The period left empty: an abstention, not a wrong fact.
                ("survey.n|110001|", "527"),
                // Another period: a fact the labels do not have.
                ("survey.rate|110001|2023-05-01..2023-05-31", "71.9"),
            ]),
        );
        let r = score(&labels, &ex);
        assert_eq!(r.undated.len(), 1);
        assert_eq!(r.unlabelled.len(), 1);
        assert_eq!(
            r.unlabelled[0].1,
            "survey.rate|110001|2023-05-01..2023-05-31"
        );
        assert!(render_text(&r).contains("UNLABELLED 1 (and 1 undated"));
    }

    #[test]
    fn a_failed_extraction_counts_its_stated_facts_as_missing() {
        let labels = parse_labels("a\tu\tvalid_until\t2026-07-31\n").unwrap();
        let mut ex = BTreeMap::new();
        ex.insert("a".to_string(), Err("layout".to_string()));
        let r = score(&labels, &ex);
        assert_eq!(r.failed.len(), 1);
        assert_eq!(r.fields["valid_until"].missing, 1);
    }
}
