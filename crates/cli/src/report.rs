//! `mynawatch report`: read the tables (as they were on `--as-of`, when given) and write
//! the analyst's page rendered by `mynawatch-report`.
//!
//! This module owns what the page is built from: every stored version of figures and
//! notices (the renderer picks the current one and shows restatements), events,
//! statements, changes, the source health (from the per-source state, or from the fetch
//! log of the runs up to `--as-of`), and the bills table when a bills source exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{NaiveDate, Utc};
use mynawatch_report::{BillLine, Lang, ReportInput, SourceHealth};
use mynawatch_store::columns;

use crate::commands::open_store;

/// Build the report of `data_dir` as HTML.
pub fn render(data_dir: &Path, as_of: Option<NaiveDate>, lang: Lang) -> Result<String> {
    let input = load(data_dir, as_of)?;
    Ok(mynawatch_report::render(&input, lang)?)
}

/// Write the report to `out` (folders created); returns the path written.
pub fn write(data_dir: &Path, out: &Path, as_of: Option<NaiveDate>, lang: Lang) -> Result<PathBuf> {
    let html = render(data_dir, as_of, lang)?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    }
    mynawatch_durable::write_atomic(out, html.as_bytes())
        .with_context(|| format!("write {}", out.display()))?;
    Ok(out.to_path_buf())
}

/// Parse `--lang`.
pub fn lang(s: &str) -> Result<Lang> {
    match s {
        "ja" => Ok(Lang::Ja),
        "en" => Ok(Lang::En),
        other => Err(crate::UsageError(format!("--lang must be ja or en, not `{other}`")).into()),
    }
}

/// Read everything the page needs; with `as_of`, only what runs finished by the end of
/// that day (UTC) had stored.
pub fn load(data_dir: &Path, as_of: Option<NaiveDate>) -> Result<ReportInput> {
    let store = open_store(data_dir)?;
    let runs = store.load_runs()?;
    let known: Option<BTreeSet<String>> = as_of.map(|d| {
        runs.iter()
            .filter(|r| r.finished_at.date_naive() <= d)
            .map(|r| r.run_id.clone())
            .collect()
    });
    let keep = |run: &str| known.as_ref().is_none_or(|k| k.contains(run));

    let mut figures =
        columns::read::<mynawatch_model::Figure>(&store.query("select * from figures")?)?;
    figures.retain(|f| keep(&f.provenance.run_id));
    let mut notices =
        columns::read::<mynawatch_model::Notice>(&store.query("select * from notices")?)?;
    notices.retain(|n| n.provenance.as_ref().is_none_or(|p| keep(&p.run_id)));
    let mut events =
        columns::read::<mynawatch_model::Event>(&store.query("select * from events")?)?;
    events.retain(|e| keep(&e.provenance.run_id));
    let mut statements =
        columns::read::<mynawatch_model::Statement>(&store.query("select * from statements")?)?;
    statements.retain(|s| keep(&s.provenance.run_id));
    let mut changes = store.load_changes(None)?;
    changes.retain(|c| keep(&c.run_id));
    let mut reviews = store.load_reviews()?;
    if let Some(d) = as_of {
        reviews.retain(|r| r.at.date_naive() <= d);
    }

    let states = store.source_states()?;
    let sources = match &known {
        None => states
            .iter()
            .map(|(id, s)| SourceHealth {
                id: id.clone(),
                family: s.family.clone(),
                last_outcome: s.last_outcome.clone(),
                last_error: s.last_error.clone(),
                consecutive_failures: s.consecutive_failures,
                url: s.last_url.clone(),
            })
            .collect(),
        Some(k) => health_from_fetches(&store, k, &states)?,
    };
    let bills = bills(&store, &keep)?;
    Ok(ReportInput {
        generated_at: Utc::now(),
        as_of,
        figures,
        notices,
        events,
        statements,
        changes,
        sources,
        bills,
        reviews,
    })
}

/// Source health as of a past day: each source's last fetch outcome in the runs kept.
fn health_from_fetches(
    store: &mynawatch_store::Store,
    runs: &BTreeSet<String>,
    states: &mynawatch_store::SourceStates,
) -> Result<Vec<SourceHealth>> {
    let mut last: BTreeMap<String, mynawatch_model::FetchRecord> = BTreeMap::new();
    let mut fetches = store.load_fetches()?;
    fetches.retain(|f| runs.contains(&f.run_id));
    fetches.sort_by(|a, b| a.run_id.cmp(&b.run_id));
    for f in fetches {
        last.insert(f.source_id.clone(), f);
    }
    Ok(last
        .into_iter()
        .map(|(id, f)| SourceHealth {
            family: states
                .get(&id)
                .map(|s| s.family.clone())
                .unwrap_or_default(),
            id,
            last_outcome: f.outcome.as_str().to_string(),
            last_error: f.error.clone(),
            consecutive_failures: 0,
            url: f.url,
        })
        .collect())
}

/// Bills as stage timelines: the latest stored version of each bill, its dated stages in
/// both houses in time order.
fn bills(store: &mynawatch_store::Store, keep: &dyn Fn(&str) -> bool) -> Result<Vec<BillLine>> {
    let mut all = columns::read::<mynawatch_model::Bill>(&store.query("select * from bills")?)?;
    all.retain(|b| keep(&b.provenance.run_id));
    let mut latest: BTreeMap<String, mynawatch_model::Bill> = BTreeMap::new();
    for b in all {
        if latest
            .get(&b.bill_key)
            .is_none_or(|o| o.provenance.run_id <= b.provenance.run_id)
        {
            latest.insert(b.bill_key.clone(), b);
        }
    }
    Ok(latest.into_values().map(bill_line).collect())
}

fn bill_line(b: mynawatch_model::Bill) -> BillLine {
    let mut steps: Vec<(String, NaiveDate)> = Vec::new();
    let mut step = |label: String, d: Option<NaiveDate>| {
        if let Some(d) = d {
            steps.push((label, d));
        }
    };
    step("提出 submitted".into(), b.submitted_on);
    for (house, h) in [("衆 HoR", &b.hor), ("参 HoC", &b.hoc)] {
        step(format!("{house} 受理 received"), h.received_on);
        step(
            format!("{house} 付託 referred {}", h.committee)
                .trim()
                .to_string(),
            h.referred_on,
        );
        step(
            format!("{house} 委員会 committee {}", h.committee_result)
                .trim()
                .to_string(),
            h.committee_on,
        );
        step(
            format!(
                "{house} 本会議 plenary {} {}",
                h.plenary_result, h.vote_manner
            )
            .trim()
            .to_string(),
            h.plenary_on,
        );
    }
    step(
        format!("公布 promulgated {}", b.law_number)
            .trim()
            .to_string(),
        b.promulgated_on,
    );
    steps.sort_by_key(|s| s.1);
    BillLine {
        key: b.bill_key,
        title: b.title,
        stage: b.stage,
        status: b.status,
        steps,
        provenance: Some(b.provenance),
    }
}
