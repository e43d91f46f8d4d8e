//! Bills at the run level, where one source's rows meet another's.
//!
//! **Bill topics** ([`link_statements`]): a Diet statement made in the committee a bill was
//! referred to, while the bill was there, and naming the bill, carries the bill's key
//! (`閣法-212-10`) among its `topics`, so "the first committee debate of this bill" is a
//! query. The rule, conservative because a wrong tag is worse than none:
//! - the meeting's house and name (`衆議院`, `文部科学委員会`) equal the house and 付託委員会
//!   of one of the bill's referrals;
//! - the meeting's day lies from the referral day to the committee's decision in that
//!   session (a vote or a carry-over), or later when the committee has not decided yet;
//! - the statement's text names the bill: its title, or for `…法（等）の一部を改正する法律案`
//!   the short forms `…法（等）改正案`, `…法（等）の改正案`, `…法（等）改正法案`,
//!   `…法（等）の一部改正案`. A name found only inside a longer name of another bill counts
//!   for that bill; one name shared by two bills in the committee tags neither.
//!
//! Referrals come from the `bills` rows (per house: referral day, committee, decision day)
//! and from the `bill_stage` events, which keep each session's referral and decision. The
//! meeting agenda (the record's `speechOrder` 0) is not a statement, so it is not read: the
//! chair's statement that puts a bill on the agenda names it in full. The Diet family is
//! pure and sees one snapshot, so the tags are set here, after every source of the run has
//! settled and before the run commits: the bills are this run's plus each bill source's
//! last good ones, the statements each Diet source's rows of this run (or its last good
//! rows when its snapshots did not change but a bill source's rows did). A statement whose
//! bill keys differ from its stored version is a `modified` change of `topics`, written once
//! as a new version of the source's rows; the same inputs again give the same tags and no
//! change. (Statements stored before this linking existed are tagged at the next change of
//! their source or of a bill source, or by `mynawatch reextract`.)
//!
//! **Vanished links** ([`vanished_links`]): a bill's record that published a link (a PDF
//! of the bill, its 要旨, the enacted law, a vote page) and no longer does keeps every fact
//! (links are not columns); the vanished link is a `note` warning, not a removed fact.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use mynawatch_extract::text::without_whitespace;
use mynawatch_model::{keys, Bill, Change, ChangeKind, Event, ExtractionWarning, Rows, Statement};
use mynawatch_store::Store;
use tracing::warn;

use super::{alert_item, Ledger, SourceOutcome};
use crate::config::Config;

/// A bill's stay in one committee: from the referral to the committee's decision (open
/// when it has not decided).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Referral {
    /// The bill key (`閣法-212-10`).
    pub key: String,
    /// `衆議院` or `参議院`.
    pub house: String,
    /// The committee as the meeting record names it (`文部科学委員会`).
    pub committee: String,
    /// Referral day.
    pub from: NaiveDate,
    /// The committee's decision in that session, if any.
    pub until: Option<NaiveDate>,
    /// The bill's title and its short forms, whitespace removed.
    pub names: Vec<String>,
}

/// The names a speaker uses for a bill: the title and, for an amending bill
/// (`…法の一部を改正する法律案`), its usual short forms.
pub(crate) fn names(title: &str) -> Vec<String> {
    let t = without_whitespace(title);
    if t.chars().count() < 4 {
        return Vec::new();
    }
    let mut out = vec![t.clone()];
    if let Some(law) = t.strip_suffix("の一部を改正する法律案") {
        if law.chars().count() >= 3 && law.contains('法') {
            for form in [
                "改正案",
                "の改正案",
                "改正法案",
                "の一部改正案",
                "の一部改正法案",
            ] {
                out.push(format!("{law}{form}"));
            }
        }
    }
    out
}

fn house_of(short: &str) -> Option<&'static str> {
    match short {
        "衆" => Some("衆議院"),
        "参" => Some("参議院"),
        _ => None,
    }
}

/// Every referral the bill rows and `bill_stage` events of `rows` show.
pub(crate) fn referrals(rows: &Rows) -> Vec<Referral> {
    let titles: BTreeMap<&str, &str> = rows
        .bills
        .iter()
        .map(|b| (b.bill_key.as_str(), b.title.as_str()))
        .collect();
    let title_of = |key: &str, e: Option<&Event>| -> String {
        titles
            .get(key)
            .map(|t| t.to_string())
            .or_else(|| e.and_then(|e| e.title.split_once(": ").map(|(t, _)| t.to_string())))
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for b in &rows.bills {
        for (h, house) in [(&b.hor, "衆議院"), (&b.hoc, "参議院")] {
            let (Some(from), false) = (h.referred_on, h.committee.trim().is_empty()) else {
                continue;
            };
            out.push(Referral {
                key: b.bill_key.clone(),
                house: house.into(),
                committee: without_whitespace(&h.committee),
                from,
                until: h.committee_on.filter(|d| *d >= from),
                names: names(&b.title),
            });
        }
    }
    // `{key}/{house}/{session}/{stage}`: per session, the referral and the first decision
    // after it. Ids without a session number (a day instead) are left to the bill rows.
    let mut sessions: BTreeMap<(String, String, u32), Vec<&Event>> = BTreeMap::new();
    for e in rows.events.iter().filter(|e| e.kind == "bill_stage") {
        let parts: Vec<&str> = e.event_id.split('/').collect();
        if let [key, house, session, _] = parts[..] {
            if let (Some(h), Ok(s)) = (house_of(house), session.parse::<u32>()) {
                sessions
                    .entry((key.to_string(), h.to_string(), s))
                    .or_default()
                    .push(e);
            }
        }
    }
    for ((key, house, _), events) in sessions {
        let stage = |e: &Event| {
            e.event_id
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string()
        };
        let Some(referred) = events.iter().find(|e| stage(e) == "referred") else {
            continue;
        };
        let (Some(from), false) = (referred.date, referred.body.trim().is_empty()) else {
            continue;
        };
        // What ends the stay: a decision, a carry-over, a lapse or a withdrawal, not
        // the other house's 予備審査 or the bill coming back (回付).
        let until = events
            .iter()
            .filter(|e| {
                !matches!(
                    stage(e).as_str(),
                    "referred" | "received" | "returned" | "committee_omitted"
                ) && !stage(e).starts_with("preliminary_")
            })
            .filter_map(|e| e.date)
            .filter(|d| *d >= from)
            .min();
        out.push(Referral {
            names: names(&title_of(&key, Some(referred))),
            key,
            house,
            committee: without_whitespace(&referred.body),
            from,
            until,
        });
    }
    out.retain(|r| !r.names.is_empty());
    out.sort();
    out.dedup();
    out
}

/// A topic tag that is a bill key (`閣法-212-10`, `条約-217-…`): its kind is not ASCII
/// (the keyword tags are), then a session number.
pub(crate) fn is_bill_tag(tag: &str) -> bool {
    let mut parts = tag.splitn(3, '-');
    let (Some(kind), Some(session), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !kind.is_empty()
        && !kind.is_ascii()
        && !session.is_empty()
        && session.chars().all(|c| c.is_ascii_digit())
        && !rest.is_empty()
}

/// The bill keys a statement made at a meeting of `house`'s `body` on `date` is about.
pub(crate) fn bill_keys(
    text: &str,
    house: &str,
    body: &str,
    date: NaiveDate,
    referrals: &[Referral],
) -> BTreeSet<String> {
    let body = without_whitespace(body);
    let mut names: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in referrals.iter().filter(|r| {
        r.house == house
            && r.committee == body
            && r.from <= date
            && r.until.is_none_or(|u| date <= u)
    }) {
        for n in &r.names {
            names.entry(n.as_str()).or_default().insert(r.key.as_str());
        }
    }
    if names.is_empty() {
        return BTreeSet::new();
    }
    let text = without_whitespace(text);
    // (start, end, keys naming this span)
    let mut found: Vec<(usize, usize, &BTreeSet<&str>)> = Vec::new();
    for (name, keys) in &names {
        for (at, _) in text.match_indices(name) {
            found.push((at, at + name.len(), keys));
        }
    }
    let mut out = BTreeSet::new();
    for &(s, e, keys) in &found {
        // One name of two bills: neither.
        if keys.len() != 1 {
            continue;
        }
        let key = *keys.iter().next().expect("one key");
        // Inside a longer name of another bill: that bill's.
        let inside_other = found
            .iter()
            .any(|&(s2, e2, k2)| s2 <= s && e <= e2 && e2 - s2 > e - s && !k2.contains(key));
        if !inside_other {
            out.insert(key.to_string());
        }
    }
    out
}

/// Set each statement's bill keys from `referrals` (its other topics stay); the number of
/// statements whose topics changed.
pub(crate) fn tag_statements(
    statements: &mut [Statement],
    events: &[Event],
    referrals: &[Referral],
) -> usize {
    let meetings: BTreeMap<&str, &Event> =
        events.iter().map(|e| (e.event_id.as_str(), e)).collect();
    let mut changed = 0;
    for s in statements {
        let keys = match meetings.get(s.event_id.as_str()) {
            Some(m) => match m.date {
                Some(d) => bill_keys(&s.text, &m.venue, &m.body, d, referrals),
                None => BTreeSet::new(),
            },
            None => BTreeSet::new(),
        };
        let mut topics: Vec<String> = s
            .topics
            .iter()
            .filter(|t| !is_bill_tag(t))
            .cloned()
            .collect();
        topics.extend(keys);
        if topics != s.topics {
            s.topics = topics;
            changed += 1;
        }
    }
    changed
}

/// Tag the statements of the run's Diet sources with the bills' keys (module docs), before
/// the run commits: rewrite a staged version whose tags changed, or stage a new version of
/// a source whose rows did not change but whose tags did, with one `modified` change per
/// statement whose bill keys differ from its stored version. A storage error leaves the
/// source's statements as they were (logged, and a `note` warning).
pub(super) fn link_statements(
    cfg: &Config,
    store: &Store,
    stage: &Store,
    ledger: &mut Ledger,
    run_id: &str,
    now: DateTime<Utc>,
) {
    let families: BTreeMap<&str, &str> = cfg
        .sources
        .iter()
        .map(|s| (s.id.as_str(), s.family.as_str()))
        .collect();
    if !families.values().any(|f| *f == "diet_bills") || !families.values().any(|f| *f == "diet") {
        return;
    }
    // The states before this run: the last good rows as stored.
    let before = match store.source_states() {
        Ok(s) => s,
        Err(e) => {
            warn!(error = %e, "bill topics: source states unreadable; statements left as they are");
            return;
        }
    };
    let stored = |id: &str| -> Option<Rows> {
        let run = before.get(id)?.last_good_run.clone()?;
        match store.load_rows(&run, id) {
            Ok(r) => Some(r),
            Err(e) => {
                warn!(source_id = id, error = %e, "bill topics: last good rows unreadable");
                None
            }
        }
    };
    let mut bills = Rows::default();
    for (id, _) in families.iter().filter(|(_, f)| **f == "diet_bills") {
        let rows = ledger.current.get(*id).cloned().or_else(|| stored(id));
        if let Some(r) = rows {
            bills.bills.extend(r.bills);
            bills.events.extend(r.events);
        }
    }
    let refs = referrals(&bills);
    // Unchanged statements need new tags only when some bill source wrote new rows.
    let bills_moved = families.iter().any(|(id, f)| {
        *f == "diet_bills"
            && matches!(
                ledger.outcomes.get(*id),
                Some(SourceOutcome::Extracted { wrote: true, .. })
            )
    });
    for (id, _) in families.iter().filter(|(_, f)| **f == "diet") {
        let (mut rows, old, wrote) = match ledger.outcomes.get(*id) {
            Some(SourceOutcome::Extracted { wrote, .. }) => match ledger.current.get(*id) {
                Some(r) => (r.clone(), stored(id).unwrap_or_default(), *wrote),
                None => continue,
            },
            Some(SourceOutcome::Unchanged) if bills_moved => match stored(id) {
                Some(r) => (r.clone(), r, false),
                None => continue,
            },
            _ => continue,
        };
        let retagged = tag_statements(&mut rows.statements, &rows.events, &refs);
        let old_topics: BTreeMap<String, &Statement> = old
            .statements
            .iter()
            .map(|s| (keys::statement(s), s))
            .collect();
        let url = cfg
            .sources
            .iter()
            .find(|s| s.id == *id)
            .map(|s| s.urls[0].clone())
            .unwrap_or_default();
        let changes: Vec<Change> = rows
            .statements
            .iter()
            .filter_map(|s| {
                let k = keys::statement(s);
                let o = old_topics.get(&k)?;
                let bill = |t: &[String]| {
                    t.iter()
                        .filter(|t| is_bill_tag(t))
                        .cloned()
                        .collect::<Vec<_>>()
                };
                if bill(&o.topics) == bill(&s.topics) {
                    return None;
                }
                let (ov, nv) = (o.topics.join(","), s.topics.join(","));
                Some(Change {
                    run_id: run_id.to_string(),
                    detected_at: now,
                    source_id: id.to_string(),
                    table: "statements".into(),
                    entity_key: k,
                    field: "topics".into(),
                    summary: format!(
                        "{} turn {} ({}): topics {} → {}",
                        s.event_id,
                        s.turn,
                        s.speaker,
                        if ov.is_empty() { "—" } else { &ov },
                        if nv.is_empty() { "—" } else { &nv }
                    ),
                    old_value: Some(ov),
                    new_value: Some(nv),
                    kind: ChangeKind::Modified,
                    url: url.clone(),
                })
            })
            .collect();
        // Staged this run: rewrite it when tags moved. Not staged: a new version only when a
        // stored statement's bill keys changed.
        let write = if wrote {
            retagged > 0
        } else {
            !changes.is_empty()
        };
        if write {
            if !wrote {
                set_run(&mut rows, run_id);
            }
            if let Err(e) = stage.write_rows(run_id, id, &rows) {
                warn!(source_id = id, error = %e, "bill topics: statements not staged");
                ledger.warnings.push(ExtractionWarning::new(
                    run_id,
                    now,
                    id,
                    &url,
                    "note",
                    format!("bill topics not written for {id}: {e}"),
                ));
                continue;
            }
            if !wrote {
                if let Some(st) = ledger.states.get_mut(*id) {
                    st.last_good_run = Some(run_id.to_string());
                }
                if let Some(SourceOutcome::Extracted { wrote, .. }) = ledger.outcomes.get_mut(*id) {
                    *wrote = true;
                }
            }
        }
        for c in changes {
            ledger.alert_items.push(alert_item("diet", c.clone(), None));
            ledger.changes.push(c);
        }
        ledger.current.insert(id.to_string(), rows);
    }
}

/// Rows carried into this run's version of the source keep their provenance but belong to
/// this run.
fn set_run(rows: &mut Rows, run_id: &str) {
    for e in &mut rows.events {
        e.provenance.run_id = run_id.to_string();
    }
    for s in &mut rows.statements {
        s.provenance.run_id = run_id.to_string();
    }
    for f in &mut rows.figures {
        f.provenance.run_id = run_id.to_string();
    }
    for n in &mut rows.notices {
        if let Some(p) = n.provenance.as_mut() {
            p.run_id = run_id.to_string();
        }
    }
    for b in &mut rows.bills {
        b.provenance.run_id = run_id.to_string();
    }
}

/// The links a bill record published (`label=https://…` in its `raw_text`), by label.
fn links_of(b: &Bill) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for part in b.provenance.raw_text.split("; ") {
        if let Some((k, v)) = part.split_once('=') {
            if v.starts_with("http://") || v.starts_with("https://") {
                out.insert(k.to_string(), v.to_string());
            }
        }
    }
    out
}

/// A `note` warning per link a bill's last good record published and its new record of the
/// same session no longer does. Only records of the same latest session are compared (a
/// new session's record has links of its own), and only when neither `raw_text` was cut.
pub(crate) fn vanished_links(
    old: &[Bill],
    new: &[Bill],
    run_id: &str,
    source_id: &str,
    now: DateTime<Utc>,
) -> Vec<ExtractionWarning> {
    const RAW_CAP: usize = 2000;
    let old: BTreeMap<&str, &Bill> = old.iter().map(|b| (b.bill_key.as_str(), b)).collect();
    let mut out = Vec::new();
    for n in new {
        let Some(o) = old.get(n.bill_key.as_str()) else {
            continue;
        };
        let whole = |b: &Bill| b.provenance.raw_text.chars().count() < RAW_CAP;
        if o.sessions.iter().max() != n.sessions.iter().max() || !whole(o) || !whole(n) {
            continue;
        }
        let now_links = links_of(n);
        for (label, url) in links_of(o) {
            if !now_links.contains_key(&label) {
                out.push(ExtractionWarning::new(
                    run_id,
                    now,
                    source_id,
                    &n.provenance.url,
                    "note",
                    format!(
                        "{} ({}): `{label}` ({url}) is no longer published; the bill's facts are kept \
                         (a vanished link is not a removed fact)",
                        n.bill_key, n.title
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn referral(key: &str, title: &str, from: &str, until: Option<&str>) -> Referral {
        Referral {
            key: key.into(),
            house: "衆議院".into(),
            committee: "厚生労働委員会".into(),
            from: day(from),
            until: until.map(day),
            names: names(title),
        }
    }

    #[test]
    fn an_amending_bill_is_named_by_its_title_and_its_short_forms() {
        let n = names("医療法等の一部を改正する法律案");
        assert!(n.contains(&"医療法等の一部を改正する法律案".to_string()));
        assert!(n.contains(&"医療法等改正案".to_string()));
        assert!(n.contains(&"医療法等の改正案".to_string()));
        // The bare law's name is not the bill.
        assert!(!n.contains(&"医療法等".to_string()) && !n.contains(&"医療法".to_string()));
    }

    #[test]
    fn a_statement_is_tagged_only_in_the_referral_committee_while_the_bill_is_there() {
        let refs = vec![referral(
            "閣法-217-21",
            "医療法等の一部を改正する法律案",
            "2025-10-21",
            Some("2025-11-26"),
        )];
        let text = "医療法等 の一部を改正する法律案について伺います。";
        let at = |house: &str, body: &str, d: &str| bill_keys(text, house, body, day(d), &refs);
        assert_eq!(
            at("衆議院", "厚生労働委員会", "2025-11-14"),
            BTreeSet::from(["閣法-217-21".to_string()])
        );
        assert!(at("衆議院", "厚生労働委員会", "2025-10-20").is_empty());
        assert!(at("衆議院", "厚生労働委員会", "2025-11-27").is_empty());
        assert!(at("参議院", "厚生労働委員会", "2025-11-14").is_empty());
        assert!(at("衆議院", "本会議", "2025-11-14").is_empty());
        // Not named: not tagged, however relevant the meeting.
        assert!(bill_keys(
            "本法案について伺います。",
            "衆議院",
            "厚生労働委員会",
            day("2025-11-14"),
            &refs
        )
        .is_empty());
    }

    #[test]
    fn a_title_inside_another_bills_longer_title_counts_for_the_longer_one_and_shared_titles_for_neither(
    ) {
        let refs = vec![
            referral("閣法-211-16", "全世代対応型の持続可能な社会保障制度を構築するための健康保険法等の一部を改正する法律案", "2023-03-01", None),
            referral("衆法-217-8", "健康保険法等の一部を改正する法律案", "2023-03-01", None),
        ];
        let d = day("2023-04-01");
        let long = "全世代対応型の持続可能な社会保障制度を構築するための健康保険法等の一部を改正する法律案に反対します。";
        assert_eq!(
            bill_keys(long, "衆議院", "厚生労働委員会", d, &refs),
            BTreeSet::from(["閣法-211-16".to_string()])
        );
        let short = "健康保険法等の一部を改正する法律案に賛成します。";
        assert_eq!(
            bill_keys(short, "衆議院", "厚生労働委員会", d, &refs),
            BTreeSet::from(["衆法-217-8".to_string()])
        );
        let mut twins = refs.clone();
        twins.push(referral(
            "閣法-221-25",
            "健康保険法等の一部を改正する法律案",
            "2023-03-01",
            None,
        ));
        assert!(bill_keys(short, "衆議院", "厚生労働委員会", d, &twins).is_empty());
    }

    #[test]
    fn each_session_of_the_real_medical_care_bill_is_a_window_from_referral_to_decision() {
        let path =
            mynawatch_testutil::corpus_dir().join("bills/hoc_gian_sample_20251128_74b013d1.json");
        if !path.exists() {
            println!(
                "SKIPPED: corpus file {} not found (set MYNAWATCH_CORPUS to the real-data corpus)",
                path.display()
            );
            return;
        }
        let bytes = std::fs::read(&path).unwrap();
        let meta = mynawatch_model::SnapshotMeta::for_file(
            "hoc",
            "https://example.invalid/gian_sample.json",
            "ab".repeat(32),
        );
        let x = mynawatch_extract::family("diet_bills")
            .unwrap()
            .extract(&mynawatch_extract::Input {
                bytes: &bytes,
                meta: &meta,
                options: &serde_json::Value::Null,
            })
            .unwrap();
        let got: Vec<(String, String, String, Option<String>)> = referrals(&x.rows)
            .into_iter()
            .filter(|r| r.key == "閣法-217-21")
            .map(|r| {
                (
                    r.house,
                    r.committee,
                    r.from.to_string(),
                    r.until.map(|d| d.to_string()),
                )
            })
            .collect();
        let w = |from: &str, until: &str| {
            (
                "衆議院".to_string(),
                "厚生労働委員会".to_string(),
                from.to_string(),
                Some(until.to_string()),
            )
        };
        // 217th: referred, carried over; 218th: the same; 219th: referred, amended.
        assert_eq!(
            got,
            vec![
                w("2025-04-03", "2025-06-20"),
                w("2025-08-01", "2025-08-05"),
                w("2025-10-21", "2025-11-26"),
            ]
        );
    }

    #[test]
    fn bill_tags_are_told_from_keyword_tags() {
        assert!(is_bill_tag("閣法-217-21"));
        assert!(is_bill_tag("決算-219-令和五年度決算"));
        assert!(!is_bill_tag("mynumber_insurance"));
        assert!(!is_bill_tag("ehr-sharing-2"));
        assert!(!is_bill_tag("閣法-x-21"));
    }
}
