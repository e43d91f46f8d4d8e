//! `mynawatch bills [--as-of DATE] [--match TEXT]`: each bill's stage timeline as of a
//! day, read from the stored history (the `bills` table and the `events` of kind
//! `bill_stage`), so "where was this bill on 2025-05-16" is one command. The stage is the
//! legislative process's ([`mynawatch_extract::families::diet_bills::current_stage`]) on
//! the stages reached by that day, whichever source (either house's pages or data) stored
//! them; stages are listed in the process's order. A stage the page did not date (a
//! `閉会中審査` carry-over, a lapse) counts as reached on the last day any stored stage of
//! its session carries (the session's last sitting, as far as the store knows), so a bill
//! carried over shows `carried_over` between sessions and its next referral after. With the bill's
//! first committee debate (the first day a statement tagged with its key was made, see
//! [`FIRST_DEBATE_SQL`]). Also the demo's
//! bill site: two consecutive real snapshots of the House of Councillors' dataset
//! ([`demo_site`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use mynawatch_extract::families::diet_bills::{current_stage, effective_date, sort_key, StageRef};
use mynawatch_model::{Bill, Event};
use mynawatch_store::{columns, Store};

use crate::UsageError;

/// Where [`demo_site`] puts the dataset on the mirror, relative to the site root.
pub const DEMO_PATH: &str = "sangiin/gian/gian_health.json";

/// The two snapshots (rows of health bills of the public `gian_sample.json`, 2025-11-27 and
/// 2025-11-28; provenance in `fixtures/diet_bills/README.md`).
const DEMO_SNAPSHOTS: [&[u8]; 2] = [
    include_bytes!("../../../fixtures/diet_bills/data/hoc_gian_health_20251127.json"),
    include_bytes!("../../../fixtures/diet_bills/data/hoc_gian_health_20251128.json"),
];

/// Lay out the bill dataset on a demo site as it was before (`version` 1) or after
/// (`version` 2) 閣法 217-21 passed the House of Representatives' plenary (修正,
/// 2025-11-27, 多数/起立). Serve `dir` with the mirror and add [`demo_source_toml`].
pub fn demo_site(dir: &Path, version: u8) -> Result<()> {
    let bytes = match version {
        1 => DEMO_SNAPSHOTS[0],
        2 => DEMO_SNAPSHOTS[1],
        v => anyhow::bail!("demo_site: version {v} (1 or 2)"),
    };
    let dest = dir.join(DEMO_PATH);
    std::fs::create_dir_all(dest.parent().expect("DEMO_PATH has a folder"))?;
    std::fs::write(&dest, bytes).with_context(|| format!("write {}", dest.display()))
}

/// The config entry for the demo's bill source, `base` being the mirror's `http://host:port`.
pub fn demo_source_toml(base: &str) -> String {
    format!(
        "\n[[source]]\nid = \"sangiin_bills\"\nfamily = \"diet_bills\"\nurls = [\"{}/{DEMO_PATH}\"]\n[source.options]\nmatch = [\"医療法\", \"健康保険\", \"被保険者証\", \"番号の利用\"]\n",
        base.trim_end_matches('/')
    )
}

/// The `bills` report: one block per bill whose title contains `matching` (or whose key is
/// it), with the stage as of `as_of` (default: now) and every dated stage up to it.
pub fn bills(data_dir: &Path, as_of: Option<&str>, matching: Option<&str>) -> Result<String> {
    let as_of = match as_of {
        None => None,
        Some(s) => Some(
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| UsageError(format!("--as-of: `{s}` is not a date (YYYY-MM-DD)")))?,
        ),
    };
    let store = Store::open(data_dir)?;
    let rows = columns::read::<mynawatch_model::Bill>(
        &store.scan(mynawatch_store::TableName::Bills)?.collect()?,
    )?;
    let events = columns::read::<mynawatch_model::Event>(
        &store.scan(mynawatch_store::TableName::Events)?.collect()?,
    )?;
    Ok(render(
        &latest_bills(rows),
        &latest_events(events),
        &debates(&store)?,
        as_of,
        matching,
    ))
}

/// The committee debates of every bill: the current statements carrying a bill key among
/// their topics (comma-separated), with their meeting's day, house and committee. "The
/// first committee debate of bill K" is the least `date` of its rows
/// (`docs/tables.md`, statements).
pub const FIRST_DEBATE_SQL: &str = "select s.topics as topics, e.date as date, \
     e.venue as venue, e.body as body \
     from statements_current s join events_current e on s.event_id = e.event_id \
     where e.kind = 'diet_meeting' and s.topics like '%-%'";

/// A bill's committee days: (day, `衆議院文部科学委員会`) → statements tagged that day.
type Debates = BTreeMap<String, BTreeMap<(NaiveDate, String), usize>>;

fn debates(store: &Store) -> Result<Debates> {
    let mut df = store
        .query(FIRST_DEBATE_SQL)
        .context("read the statements tagged with bill keys")?;
    let json = mynawatch_store::render(&mut df, mynawatch_store::OutputFormat::Json)?;
    let mut out = Debates::new();
    for line in json.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        let Ok(date) = NaiveDate::parse_from_str(&text("date"), "%Y-%m-%d") else {
            continue;
        };
        let topics = text("topics");
        for key in topics
            .split(',')
            .filter(|t| crate::run::bill_topics::is_bill_tag(t))
        {
            *out.entry(key.to_string())
                .or_default()
                .entry((date, format!("{}{}", text("venue"), text("body"))))
                .or_default() += 1;
        }
    }
    Ok(out)
}

/// The latest stored version of each bill (by run, then fetch time).
fn latest_bills(rows: Vec<Bill>) -> BTreeMap<String, Bill> {
    let mut out: BTreeMap<String, Bill> = BTreeMap::new();
    for b in rows {
        let newer = out.get(&b.bill_key).is_none_or(|o| {
            (&b.provenance.run_id, b.provenance.fetched_at)
                >= (&o.provenance.run_id, o.provenance.fetched_at)
        });
        if newer {
            out.insert(b.bill_key.clone(), b);
        }
    }
    out
}

/// The latest stored version of each `bill_stage` event, grouped by bill key.
fn latest_events(rows: Vec<Event>) -> BTreeMap<String, Vec<Event>> {
    let mut by_id: BTreeMap<String, Event> = BTreeMap::new();
    for e in rows.into_iter().filter(|e| e.kind == "bill_stage") {
        let newer = by_id.get(&e.event_id).is_none_or(|o| {
            (&e.provenance.run_id, e.provenance.fetched_at)
                >= (&o.provenance.run_id, o.provenance.fetched_at)
        });
        if newer {
            by_id.insert(e.event_id.clone(), e);
        }
    }
    let mut out: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for e in by_id.into_values() {
        let key = e.event_id.split('/').next().unwrap_or_default().to_string();
        out.entry(key).or_default().push(e);
    }
    for list in out.values_mut() {
        list.sort_by_key(|e| (e.date, stage_of(e).to_string()));
    }
    out
}

fn stage_of(e: &Event) -> &str {
    e.event_id.rsplit('/').next().unwrap_or_default()
}

fn stage_ref(e: &Event) -> StageRef {
    StageRef::from_event_id(&e.event_id, e.date)
        .map(|(_, s)| s)
        .unwrap_or(StageRef {
            session: None,
            house: String::new(),
            stage: stage_of(e).to_string(),
            date: e.date,
        })
}

/// The latest day any stored stage of each session carries: an undated stage of the
/// session (a carry-over, a lapse) counts as reached then.
fn session_last_days(events: &BTreeMap<String, Vec<Event>>) -> BTreeMap<u32, NaiveDate> {
    let mut out: BTreeMap<u32, NaiveDate> = BTreeMap::new();
    for e in events.values().flatten() {
        let s = stage_ref(e);
        if let (Some(n), Some(d)) = (s.session, s.date) {
            let last = out.entry(n).or_insert(d);
            *last = (*last).max(d);
        }
    }
    out
}

/// The event's sentence without the bill title and without the date the line shows anyway.
fn what(e: &Event, title: &str) -> String {
    let s = e
        .title
        .strip_prefix(&format!("{title}: "))
        .unwrap_or(&e.title)
        .to_string();
    match e.date {
        Some(d) => s
            .replace(&format!(" ({d})"), "")
            .replace(&format!("({d}, "), "("),
        None => s,
    }
}

fn render(
    bills: &BTreeMap<String, Bill>,
    events: &BTreeMap<String, Vec<Event>>,
    debates: &Debates,
    as_of: Option<NaiveDate>,
    matching: Option<&str>,
) -> String {
    let mut keys: Vec<&String> = bills.keys().chain(events.keys()).collect();
    keys.sort();
    keys.dedup();
    let none: Vec<Event> = Vec::new();
    let last_days = session_last_days(events);
    let mut out = String::new();
    let mut shown = 0;
    for key in keys {
        let list = events.get(key).unwrap_or(&none);
        let title = bills
            .get(key)
            .map(|b| b.title.clone())
            .or_else(|| {
                list.first()
                    .and_then(|e| e.title.split_once(": ").map(|(t, _)| t.to_string()))
            })
            .unwrap_or_default();
        if let Some(m) = matching {
            if !title.contains(m) && key != m {
                continue;
            }
        }
        let bill = bills.get(key);
        let kind = bill
            .map(|b| b.kind.clone())
            .unwrap_or_else(|| key.split('-').next().unwrap_or_default().to_string());
        let origin = bill.map(|b| b.origin_house.as_str()).unwrap_or_default();
        let mut upto: Vec<(&Event, StageRef)> = list
            .iter()
            .map(|e| (e, stage_ref(e)))
            .filter(|(_, s)| match as_of {
                None => true,
                Some(a) => effective_date(s, &last_days).is_some_and(|d| d <= a),
            })
            .collect();
        upto.sort_by_key(|(_, s)| sort_key(s, origin));
        if as_of.is_some() && upto.is_empty() {
            continue;
        }
        shown += 1;
        let _ = writeln!(out, "{key}  {title}");
        let refs: Vec<StageRef> = upto.iter().map(|(_, s)| s.clone()).collect();
        // The publisher's status (`成立`, …) is today's word: not for a past day.
        let status = match as_of {
            None => bill.map(|b| b.status.as_str()).unwrap_or_default(),
            Some(_) => "",
        };
        let mut stage = current_stage(&kind, origin, status, &refs);
        if stage.is_empty() && as_of.is_none() {
            stage = bill.map(|b| b.stage.clone()).unwrap_or_default();
        }
        if stage.is_empty() {
            stage = "unknown".into();
        }
        match as_of {
            Some(d) => {
                let _ = writeln!(out, "  stage as of {d}: {stage}");
            }
            None => {
                let _ = writeln!(out, "  stage: {stage}");
            }
        }
        for (e, _) in &upto {
            let date = e
                .date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".repeat(10));
            let _ = writeln!(out, "  {date}  {:<18} {}", stage_of(e), what(e, &title));
        }
        let voted = upto.iter().any(|(e, _)| {
            let s = stage_of(e);
            s.starts_with("committee_") || s.starts_with("plenary_")
        });
        if !voted {
            let _ = writeln!(out, "  no committee or plenary vote yet");
        }
        let first = debates.get(key).and_then(|d| {
            d.iter()
                .find(|((day, _), _)| as_of.is_none_or(|a| *day <= a))
        });
        if let Some(((day, committee), n)) = first {
            let _ = writeln!(
                out,
                "  first committee debate: {day} {committee} ({n} statement{})",
                if *n == 1 { "" } else { "s" }
            );
        }
        out.push('\n');
    }
    if shown == 0 {
        out.push_str(&match (as_of, matching) {
            (_, Some(m)) => format!("no bill matches `{m}`\n"),
            (Some(d), None) => format!("no bill had a stage by {d}\n"),
            _ => "no bills stored (configure a `diet_bills` source and run)\n".to_string(),
        });
    }
    out
}
