//! Settling one fetched source: unchanged, or extracted → validated → diffed → staged,
//! or broken. Everything that can go wrong here (an extractor error or panic, a failed
//! expectation, two rows on one key, a release that shrank, a storage error) ends as this
//! source's outcome; the run goes on with the others.
//!
//! Two rules keep change data honest:
//! - **Validation against the last good run**: a table that loses more than
//!   `max_row_drop_pct` of its rows, or a notice whose main text shrinks by more than
//!   `max_text_shrink_pct`, is a broken source ("5,223 → 261 figures (−95%)"), never
//!   thousands of `removed` rows. The last good rows stay current.
//! - **Removal needs evidence**: an event, statement or notice is `removed` only when the
//!   page that carried it was fetched again and no longer carries it, or the index that
//!   listed it no longer lists it. Rows of a page that merely fell out of the follow
//!   window, or of a paged listing whose window moved on, are carried forward unchanged
//!   (with their original provenance).

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use mynawatch_extract::Extraction;
use mynawatch_model::{keys, Change, ChangeKind, ExtractionWarning, Rows};
use mynawatch_store::diff::{diff_rows, group_thousands, DiffContext};
use mynawatch_store::SourceState;
use tracing::warn;

use super::extract::{extract_doc, warning_rows};
use super::follow::Fetched;
use super::{Ctx, RunCtx, SourceError, SourceOutcome};
use crate::config::{SourceConfig, Validation};

/// What settling a source produced.
pub(crate) struct Settled {
    pub outcome: SourceOutcome,
    /// Data changes and health changes, in diff order.
    pub changes: Vec<Change>,
    /// The extraction's warnings (also when it then failed validation).
    pub warnings: Vec<ExtractionWarning>,
    /// This extraction is the source's first: its changes are its baseline.
    pub baseline: bool,
    /// The source's current rows after this run, when it was extracted.
    pub rows: Option<Rows>,
    /// Added figures (by key): their value and their series' previous value, for digests.
    pub figure_notes: HashMap<String, mynawatch_alert::FigureNote>,
}

impl Settled {
    /// Nothing happened (yet): unchanged, no changes, no rows.
    pub(crate) fn unchanged() -> Settled {
        Settled {
            outcome: SourceOutcome::Unchanged,
            changes: Vec::new(),
            warnings: Vec::new(),
            baseline: false,
            rows: None,
            figure_notes: HashMap::new(),
        }
    }
}

/// Decide a fetched source's outcome (the run's stores and time from `rc`).
pub(crate) fn settle_source(
    ctx: &Ctx,
    rc: &RunCtx<'_>,
    src: &SourceConfig,
    prev: Option<&SourceState>,
    result: Result<Fetched, SourceError>,
) -> Settled {
    let now = rc.now;
    let mut settled = Settled::unchanged();
    let was_broken = prev.is_some_and(|p| p.consecutive_failures > 0);
    match extract_and_stage(ctx, rc, src, prev, result, &mut settled) {
        Ok(outcome) => {
            if was_broken {
                settled.changes.insert(
                    0,
                    health(
                        ctx,
                        src,
                        now,
                        ChangeKind::SourceRecovered,
                        &src.urls[0],
                        None,
                        format!("{}: source works again", src.id),
                    ),
                );
            }
            settled.outcome = outcome;
        }
        Err(e) => {
            // A failed source contributes no data changes, only its health.
            settled.changes.clear();
            settled.rows = None;
            settled.baseline = false;
            if !was_broken {
                settled.changes.push(health(
                    ctx,
                    src,
                    now,
                    ChangeKind::SourceBroken,
                    e.url(),
                    Some(e.detail().to_string()),
                    format!("{}: {e} (last good data kept)", src.id),
                ));
            }
            settled.outcome = e.into_outcome();
        }
    }
    settled
}

fn health(
    ctx: &Ctx,
    src: &SourceConfig,
    now: DateTime<Utc>,
    kind: ChangeKind,
    url: &str,
    cause: Option<String>,
    summary: String,
) -> Change {
    super::health::status_change(
        &ctx.run_id,
        &src.id,
        now,
        kind,
        url.to_string(),
        cause,
        summary,
    )
}

fn extract_and_stage(
    ctx: &Ctx,
    rc: &RunCtx<'_>,
    src: &SourceConfig,
    prev: Option<&SourceState>,
    result: Result<Fetched, SourceError>,
    settled: &mut Settled,
) -> Result<SourceOutcome, SourceError> {
    let (store, stage, now) = (&rc.store, &rc.stage, rc.now);
    let fetched = result?;
    let first_url = src.urls[0].clone();
    let mut shas: Vec<String> = fetched.docs.iter().map(|d| d.meta.sha256.clone()).collect();
    shas.sort();
    let last_good = prev.and_then(|p| p.last_good_run.clone());
    if last_good.is_some() && prev.is_some_and(|p| p.last_good_snapshots == shas) {
        return Ok(SourceOutcome::Unchanged);
    }

    let family = src.extractor();
    let options = src.options_json();
    // A `via = family` source was extracted while following its links; every other
    // source (and every re-extraction) is extracted here, document by document.
    let mut extraction = match fetched.extraction {
        Some(x) => {
            settled.warnings.extend(warning_rows(
                &x.warnings,
                &ctx.run_id,
                &src.id,
                &first_url,
                now,
            ));
            x
        }
        None => {
            let mut all = Extraction::default();
            for doc in &fetched.docs {
                let x =
                    extract_doc(family, doc, options).map_err(|cause| SourceError::Extract {
                        url: doc.meta.url.clone(),
                        cause,
                    })?;
                settled.warnings.extend(warning_rows(
                    &x.warnings,
                    &ctx.run_id,
                    &src.id,
                    &doc.meta.url,
                    now,
                ));
                all.extend(Extraction {
                    warnings: Vec::new(),
                    ..x
                });
            }
            all
        }
    };
    for w in &settled.warnings {
        warn!(source_id = %src.id, url = %w.url, warning = %w.message, "extraction warning");
    }
    let invalid = |cause: String| SourceError::Validation {
        url: first_url.clone(),
        cause,
    };
    family
        .expectations(options)
        .check(&extraction)
        .map_err(|e| invalid(e.to_string()))?;
    let mut rows = std::mem::take(&mut extraction.rows);
    merge_republished(&mut rows.figures, &mut settled.warnings, ctx, &src.id, now);
    merge_notice_documents(&mut rows.notices, &mut settled.warnings, ctx, &src.id, now);
    // Derived figures (registrations ÷ holdings, running totals) are computed here, from the
    // source's own published figures, and marked with their inputs.
    let derived = mynawatch_extract::derive::derived(&rows.figures);
    rows.figures.extend(derived);
    let dups = keys::duplicate_keys(&rows);
    if let Some(first) = dups.first() {
        let more = match dups.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        return Err(invalid(format!("{first}{more}")));
    }

    let storage = |e: mynawatch_store::StoreError| SourceError::Storage {
        url: first_url.clone(),
        cause: e.to_string(),
    };
    let old = match &last_good {
        Some(run) => store.load_rows(run, &src.id).map_err(storage)?,
        None => Rows::default(),
    };
    let fetched_urls: HashSet<&str> = fetched.docs.iter().map(|d| d.meta.url.as_str()).collect();
    carry_forward(
        &old,
        &mut rows,
        &fetched_urls,
        &fetched.listed,
        &fetched.listings,
        &ctx.run_id,
    );
    check_against_last_good(&old, &rows, &src.validate).map_err(|e| invalid(e.to_string()))?;
    settled.warnings.extend(super::bill_topics::vanished_links(
        &old.bills,
        &rows.bills,
        &ctx.run_id,
        &src.id,
        now,
    ));

    let diff_ctx = DiffContext {
        run_id: &ctx.run_id,
        detected_at: now,
        source_id: &src.id,
        url: &first_url,
    };
    let found = diff_rows(&old, &rows, &diff_ctx);
    settled.figure_notes = figure_notes(&old.figures, &rows.figures, &found);
    let first_time = last_good.is_none();
    // Identical content under new bytes (markup churn) writes no rows: the last good
    // extraction stays the reference and the tables hold only distinct versions.
    let wrote = first_time || !found.is_empty();
    if wrote {
        stage
            .write_rows(&ctx.run_id, &src.id, &rows)
            .map_err(storage)?;
    }
    settled.changes.extend(found);
    settled.baseline = first_time;
    let n = rows.len();
    settled.rows = Some(rows);
    Ok(SourceOutcome::Extracted {
        rows: n,
        snapshots: shas,
        wrote,
    })
}

/// For each added figure: its value, and the previous value of its series (same metric,
/// area and dimensions, the latest earlier date in the last good extraction), so a digest
/// can say "national card.holding_rate 67 → 67.5" for a new release.
fn figure_notes(
    old: &[mynawatch_model::Figure],
    new: &[mynawatch_model::Figure],
    found: &[Change],
) -> HashMap<String, mynawatch_alert::FigureNote> {
    use mynawatch_model::Figure;
    let added: HashSet<&str> = found
        .iter()
        .filter(|c| c.table == "figures" && c.kind == ChangeKind::Added)
        .map(|c| c.entity_key.as_str())
        .collect();
    if added.is_empty() {
        return HashMap::new();
    }
    let series = |f: &Figure| format!("{}|{}|{}", f.metric, f.area_code, f.dimensions);
    let date = |f: &Figure| f.as_of.or(f.period_end).or(f.period_start);
    let mut by_series: HashMap<String, Vec<&Figure>> = HashMap::new();
    for f in old {
        by_series.entry(series(f)).or_default().push(f);
    }
    new.iter()
        .filter_map(|f| {
            let key = f.key();
            if !added.contains(key.as_str()) {
                return None;
            }
            let prev = date(f).and_then(|d| {
                by_series
                    .get(&series(f))?
                    .iter()
                    .filter(|o| date(o).is_some_and(|od| od < d))
                    .max_by_key(|o| date(o))
            });
            Some((
                key,
                mynawatch_alert::FigureNote {
                    value: f.value,
                    previous: prev.and_then(|p| p.value),
                    previous_period: prev.and_then(|p| date(p)).map(|d| d.to_string()),
                },
            ))
        })
        .collect()
}

/// One figure published by two documents of a source (the MHLW page announces the month
/// its workbook tabulates) is one fact: keep one row, preferring a table cell over a
/// sentence, and record a warning, naming both, when the two disagree. Two rows on one
/// key from the *same* document stay, and fail the unique-key check.
fn merge_republished(
    figures: &mut Vec<mynawatch_model::Figure>,
    warnings: &mut Vec<ExtractionWarning>,
    ctx: &Ctx,
    source_id: &str,
    now: DateTime<Utc>,
) {
    use std::collections::HashMap;
    let is_cell = |f: &mynawatch_model::Figure| f.provenance.locator.contains('!');
    let mut first: HashMap<String, usize> = HashMap::with_capacity(figures.len());
    let mut drop = vec![false; figures.len()];
    for i in 0..figures.len() {
        let k = figures[i].key();
        let Some(&j) = first.get(&k) else {
            first.insert(k, i);
            continue;
        };
        if figures[j].provenance.url == figures[i].provenance.url {
            continue;
        }
        let (keep, lose) = if is_cell(&figures[i]) && !is_cell(&figures[j]) {
            (i, j)
        } else {
            (j, i)
        };
        if figures[keep].value != figures[lose].value {
            let (a, b) = (&figures[keep], &figures[lose]);
            let message = format!(
                "{k}: {} at {} {} says {:?}, {} at {} {} says {:?}; kept the first",
                a.provenance.raw_text,
                a.provenance.url,
                a.provenance.locator,
                a.value,
                b.provenance.raw_text,
                b.provenance.url,
                b.provenance.locator,
                b.value
            );
            warnings.push(ExtractionWarning::new(
                &ctx.run_id,
                now,
                source_id,
                &b.provenance.url,
                "conflict",
                message,
            ));
        }
        drop[lose] = true;
        first.insert(k, keep);
    }
    let mut i = 0;
    figures.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// A notice page and the PDF leaflet or report it links (followed with a PDF `follow`
/// pattern) describe one notice: their facts are merged into the page's row. A field the
/// page leaves empty is taken from the linked document; where both state a value and
/// they differ, the page's stays and a `conflict` warning names both. Figures keep their
/// own rows and locators (`page:N` for the PDF).
fn merge_notice_documents(
    notices: &mut Vec<mynawatch_model::Notice>,
    warnings: &mut Vec<ExtractionWarning>,
    ctx: &Ctx,
    source_id: &str,
    now: DateTime<Utc>,
) {
    use mynawatch_model::Notice;
    if notices.len() < 2 {
        return;
    }
    let url = |n: &Notice| {
        n.provenance
            .as_ref()
            .map(|p| p.url.clone())
            .unwrap_or_default()
    };
    let mut out: Vec<Notice> = Vec::with_capacity(notices.len());
    for n in std::mem::take(notices) {
        let key = keys::notice(&n);
        let Some(into) = out
            .iter_mut()
            .find(|o| keys::notice(o) == key && url(o) != url(&n))
        else {
            out.push(n);
            continue;
        };
        let mut filled = Vec::new();
        let mut conflicts = Vec::new();
        let mut text = |field: &str, a: &mut String, b: &String, empty: &str| {
            if a.is_empty() || a == empty {
                if !b.is_empty() && b != empty {
                    *a = b.clone();
                    filled.push(field.to_string());
                }
            } else if !b.is_empty() && b != empty && a != b {
                conflicts.push(format!("{field}: {a} here, {b} there"));
            }
        };
        if into.issuance_policy.is_empty() || into.issuance_policy == "unknown" {
            into.policy_evidence = n.policy_evidence.clone();
        }
        text(
            "issuance_policy",
            &mut into.issuance_policy,
            &n.issuance_policy,
            "unknown",
        );
        text("scheme", &mut into.scheme, &n.scheme, "");
        text(
            "policy_by_scheme",
            &mut into.policy_by_scheme,
            &n.policy_by_scheme,
            "",
        );
        text(
            "mailing_method",
            &mut into.mailing_method,
            &n.mailing_method,
            "",
        );
        let mut date = |field: &str,
                        a: &mut Option<chrono::NaiveDate>,
                        b: Option<chrono::NaiveDate>| match (*a, b) {
            (None, Some(_)) => {
                *a = b;
                filled.push(field.to_string());
            }
            (Some(x), Some(y)) if x != y => conflicts.push(format!("{field}: {x} here, {y} there")),
            _ => {}
        };
        date("mailing_start", &mut into.mailing_start, n.mailing_start);
        date("mailing_end", &mut into.mailing_end, n.mailing_end);
        date("valid_from", &mut into.valid_from, n.valid_from);
        date("valid_until", &mut into.valid_until, n.valid_until);
        date("published_on", &mut into.published_on, n.published_on);
        date("updated_on", &mut into.updated_on, n.updated_on);
        let (page, other) = (url(into), url(&n));
        let mut note = |kind: &str, message: String| {
            warnings.push(ExtractionWarning::new(
                &ctx.run_id,
                now,
                source_id,
                &other,
                kind,
                message,
            ))
        };
        if !filled.is_empty() {
            note(
                "note",
                format!(
                    "{key}: {} taken from {other} into the notice of {page}",
                    filled.join(", ")
                ),
            );
        }
        if !conflicts.is_empty() {
            note(
                "conflict",
                format!(
                    "{key}: {page} and {other} disagree ({}); kept the page's",
                    conflicts.join("; ")
                ),
            );
        }
    }
    *notices = out;
}

/// Keep the last good rows that this run has no evidence against (see the module docs).
fn carry_forward(
    old: &Rows,
    new: &mut Rows,
    fetched: &HashSet<&str>,
    listed: &BTreeSet<String>,
    listings: &BTreeSet<String>,
    run_id: &str,
) {
    // No evidence of removal: the page was not fetched but is still listed, or it is a
    // paged listing (its window moves), not the row's own page.
    let keep = |url: &str| {
        if fetched.contains(url) {
            listings.contains(url)
        } else {
            listed.contains(url)
        }
    };
    // A carried row keeps the provenance of the bytes it came from, but belongs to this
    // run's version of the source (`run_id`), like every other row of it.
    fn carry<T: Clone>(
        old: &[T],
        new: &mut Vec<T>,
        key: impl Fn(&T) -> String,
        prov: impl Fn(&mut T) -> Option<&mut mynawatch_model::Provenance>,
        keep: &impl Fn(&str) -> bool,
        run_id: &str,
    ) {
        let present: HashSet<String> = new.iter().map(&key).collect();
        for r in old {
            let mut r = r.clone();
            let Some(p) = prov(&mut r) else { continue };
            if !keep(&p.url) || present.contains(&key(&r)) {
                continue;
            }
            prov(&mut r).expect("checked above").run_id = run_id.to_string();
            new.push(r);
        }
    }
    carry(
        &old.events,
        &mut new.events,
        keys::event,
        |e| Some(&mut e.provenance),
        &keep,
        run_id,
    );
    carry(
        &old.statements,
        &mut new.statements,
        keys::statement,
        |s| Some(&mut s.provenance),
        &keep,
        run_id,
    );
    carry(
        &old.notices,
        &mut new.notices,
        keys::notice,
        |n| n.provenance.as_mut(),
        &keep,
        run_id,
    );
}

/// An extraction that lost too much against the source's last good one.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum Regression {
    /// A table lost more rows than allowed.
    #[error(
        "{} → {} {table} (−{drop:.0}%, more than the {allowed}% allowed against the last good extraction)",
        group_thousands(*before as i64),
        group_thousands(*after as i64)
    )]
    Rows {
        table: &'static str,
        before: usize,
        after: usize,
        drop: f64,
        allowed: f64,
    },
    /// A notice's main text shrank more than allowed.
    #[error(
        "notice {area} main text {} → {} characters (−{shrink:.0}%, more than the {allowed}% allowed)",
        group_thousands(*before as i64),
        group_thousands(*after as i64)
    )]
    Text {
        area: String,
        before: usize,
        after: usize,
        shrink: f64,
        allowed: f64,
    },
}

/// Compare an extraction with the source's last good one (see [`Validation`]).
fn check_against_last_good(old: &Rows, new: &Rows, v: &Validation) -> Result<(), Regression> {
    let tables = old.counts().into_iter().zip(new.counts());
    for ((table, before), (_, after)) in tables {
        if before < v.min_rows_checked.max(1) || after >= before {
            continue;
        }
        let drop = (before - after) as f64 / before as f64 * 100.0;
        if drop > v.max_row_drop_pct {
            return Err(Regression::Rows {
                table,
                before,
                after,
                drop,
                allowed: v.max_row_drop_pct,
            });
        }
    }
    for n in &new.notices {
        let k = keys::notice(n);
        let Some(o) = old.notices.iter().find(|o| keys::notice(o) == k) else {
            continue;
        };
        let (before, after) = (o.text.chars().count(), n.text.chars().count());
        if before == 0 || after >= before {
            continue;
        }
        let shrink = (before - after) as f64 / before as f64 * 100.0;
        if shrink > v.max_text_shrink_pct {
            return Err(Regression::Text {
                area: n.area_name.clone(),
                before,
                after,
                shrink,
                allowed: v.max_text_shrink_pct,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shrunken_release_names_the_counts_and_the_drop() {
        let f = |n: usize| {
            let mut r = Rows::default();
            for i in 0..n {
                r.figures.push(mynawatch_model::Figure {
                    metric: "m".into(),
                    area_code: format!("{i:06}"),
                    area_name: String::new(),
                    as_of: None,
                    period_start: None,
                    period_end: None,
                    value: Some(1.0),
                    unit: "count".into(),
                    scale: 1.0,
                    qualifier: None,
                    status: mynawatch_model::FigureStatus::Final,
                    dimensions: String::new(),
                    derived_from: String::new(),
                    evidence: String::new(),
                    provenance: mynawatch_model::SnapshotMeta::for_file("s", "u", "h".into())
                        .provenance("l", "1"),
                });
            }
            r
        };
        let err = check_against_last_good(&f(5223), &f(261), &Validation::default())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("5,223 → 261 figures (−95%"), "{err}");
        // A growing release and a small one pass.
        assert!(check_against_last_good(&f(100), &f(200), &Validation::default()).is_ok());
        assert!(check_against_last_good(&f(5), &f(1), &Validation::default()).is_ok());
        assert!(check_against_last_good(&f(100), &f(95), &Validation::default()).is_ok());
    }
}
