//! Row structs ⇄ polars columns: the one place that knows each table's Parquet schema.
//!
//! Column order and types here are the analyst contract documented in this crate's
//! README. Dates are `Date`, times are `Datetime(µs, UTC)`, enums are their stable
//! strings, `Option` is null.

use chrono::{DateTime, NaiveDate, Utc};
use mynawatch_model::*;
use polars::prelude::*;

use crate::StoreError;

const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");

fn s<T: AsRef<str>>(name: &str, v: impl Iterator<Item = Option<T>>) -> Column {
    let v: Vec<Option<String>> = v.map(|x| x.map(|x| x.as_ref().to_string())).collect();
    Column::new(name.into(), v)
}

fn f64c(name: &str, v: impl Iterator<Item = Option<f64>>) -> Column {
    Column::new(name.into(), v.collect::<Vec<_>>())
}

fn i64c(name: &str, v: impl Iterator<Item = Option<i64>>) -> Column {
    Column::new(name.into(), v.collect::<Vec<_>>())
}

fn datec(name: &str, v: impl Iterator<Item = Option<NaiveDate>>) -> Column {
    let days: Vec<Option<i32>> = v
        .map(|d| d.map(|d| (d - EPOCH).num_days() as i32))
        .collect();
    Column::new(name.into(), days)
        .cast(&DataType::Date)
        .expect("i32 → Date")
}

fn tsc(name: &str, v: impl Iterator<Item = Option<DateTime<Utc>>>) -> Column {
    let us: Vec<Option<i64>> = v.map(|t| t.map(|t| t.timestamp_micros())).collect();
    Column::new(name.into(), us)
        .cast(&DataType::Datetime(
            TimeUnit::Microseconds,
            Some(TimeZone::UTC),
        ))
        .expect("i64 → Datetime")
}

fn frame(cols: Vec<Column>) -> Result<DataFrame, StoreError> {
    Ok(DataFrame::new_infer_height(cols)?)
}

fn prov_cols<'a>(p: impl Fn() -> Box<dyn Iterator<Item = &'a Provenance> + 'a>) -> Vec<Column> {
    vec![
        s("source_id", p().map(|p| Some(&p.source_id))),
        s("url", p().map(|p| Some(&p.url))),
        tsc("fetched_at", p().map(|p| Some(p.fetched_at))),
        s("snapshot_sha256", p().map(|p| Some(&p.snapshot_sha256))),
        s("locator", p().map(|p| Some(&p.locator))),
        s("raw_text", p().map(|p| Some(&p.raw_text))),
        s("run_id", p().map(|p| Some(&p.run_id))),
    ]
}

/// `figures` rows as a frame.
pub fn figures(rows: &[Figure]) -> Result<DataFrame, StoreError> {
    let mut c = vec![
        s("metric", rows.iter().map(|r| Some(&r.metric))),
        s("area_code", rows.iter().map(|r| Some(&r.area_code))),
        s("area_name", rows.iter().map(|r| Some(&r.area_name))),
        datec("as_of", rows.iter().map(|r| r.as_of)),
        datec("period_start", rows.iter().map(|r| r.period_start)),
        datec("period_end", rows.iter().map(|r| r.period_end)),
        f64c("value", rows.iter().map(|r| r.value)),
        s("unit", rows.iter().map(|r| Some(&r.unit))),
        f64c("scale", rows.iter().map(|r| Some(r.scale))),
        s(
            "qualifier",
            rows.iter().map(|r| r.qualifier.map(|q| q.as_str())),
        ),
        s("status", rows.iter().map(|r| Some(r.status.as_str()))),
        s("dimensions", rows.iter().map(|r| Some(&r.dimensions))),
        s("derived_from", rows.iter().map(|r| Some(&r.derived_from))),
        s("evidence", rows.iter().map(|r| Some(&r.evidence))),
    ];
    c.extend(prov_cols(|| Box::new(rows.iter().map(|r| &r.provenance))));
    frame(c)
}

/// `events` rows as a frame.
pub fn events(rows: &[Event]) -> Result<DataFrame, StoreError> {
    let mut c = vec![
        s("event_id", rows.iter().map(|r| Some(&r.event_id))),
        s("kind", rows.iter().map(|r| Some(&r.kind))),
        datec("date", rows.iter().map(|r| r.date)),
        s("start_time", rows.iter().map(|r| r.start_time.as_ref())),
        s("end_time", rows.iter().map(|r| r.end_time.as_ref())),
        s("venue", rows.iter().map(|r| Some(&r.venue))),
        s("body", rows.iter().map(|r| Some(&r.body))),
        s("title", rows.iter().map(|r| Some(&r.title))),
        s("principal", rows.iter().map(|r| Some(&r.principal))),
    ];
    c.extend(prov_cols(|| Box::new(rows.iter().map(|r| &r.provenance))));
    frame(c)
}

/// `statements` rows as a frame (`topics` is a comma-separated string).
pub fn statements(rows: &[Statement]) -> Result<DataFrame, StoreError> {
    let mut c = vec![
        s("event_id", rows.iter().map(|r| Some(&r.event_id))),
        i64c("turn", rows.iter().map(|r| Some(r.turn as i64))),
        s("speaker", rows.iter().map(|r| Some(&r.speaker))),
        s("speaker_role", rows.iter().map(|r| Some(&r.speaker_role))),
        s("speaker_group", rows.iter().map(|r| Some(&r.speaker_group))),
        s("text", rows.iter().map(|r| Some(&r.text))),
        s("topics", rows.iter().map(|r| Some(r.topics.join(",")))),
        i64c("char_start", rows.iter().map(|r| Some(r.char_start as i64))),
        i64c("char_end", rows.iter().map(|r| Some(r.char_end as i64))),
    ];
    c.extend(prov_cols(|| Box::new(rows.iter().map(|r| &r.provenance))));
    frame(c)
}

fn empty_prov() -> Provenance {
    Provenance {
        source_id: String::new(),
        url: String::new(),
        fetched_at: DateTime::<Utc>::UNIX_EPOCH,
        snapshot_sha256: String::new(),
        locator: String::new(),
        raw_text: String::new(),
        run_id: String::new(),
    }
}

/// `notices` rows as a frame.
pub fn notices(rows: &[Notice]) -> Result<DataFrame, StoreError> {
    let fallback = empty_prov();
    let prov: Vec<&Provenance> = rows
        .iter()
        .map(|r| r.provenance.as_ref().unwrap_or(&fallback))
        .collect();
    let mut c = vec![
        s("area_code", rows.iter().map(|r| Some(&r.area_code))),
        s("area_name", rows.iter().map(|r| Some(&r.area_name))),
        s("title", rows.iter().map(|r| Some(&r.title))),
        datec("published_on", rows.iter().map(|r| r.published_on)),
        datec("updated_on", rows.iter().map(|r| r.updated_on)),
        s("text_sha256", rows.iter().map(|r| Some(&r.text_sha256))),
        s("text", rows.iter().map(|r| Some(&r.text))),
        s(
            "issuance_policy",
            rows.iter().map(|r| Some(&r.issuance_policy)),
        ),
        s(
            "policy_evidence",
            rows.iter().map(|r| Some(&r.policy_evidence)),
        ),
        datec("mailing_start", rows.iter().map(|r| r.mailing_start)),
        datec("mailing_end", rows.iter().map(|r| r.mailing_end)),
        s(
            "mailing_method",
            rows.iter().map(|r| Some(&r.mailing_method)),
        ),
        datec("valid_from", rows.iter().map(|r| r.valid_from)),
        datec("valid_until", rows.iter().map(|r| r.valid_until)),
        s("scheme", rows.iter().map(|r| Some(&r.scheme))),
        s(
            "policy_by_scheme",
            rows.iter().map(|r| Some(&r.policy_by_scheme)),
        ),
        s("evidence", rows.iter().map(|r| Some(&r.evidence))),
    ];
    c.extend(prov_cols(|| Box::new(prov.iter().copied())));
    frame(c)
}

/// `bills` rows as a frame: one row per bill, `hor_*` / `hoc_*` per house, `sessions`
/// comma-separated.
pub fn bills(rows: &[Bill]) -> Result<DataFrame, StoreError> {
    let mut c = vec![
        s("bill_key", rows.iter().map(|r| Some(&r.bill_key))),
        s("kind", rows.iter().map(|r| Some(&r.kind))),
        i64c(
            "submitted_session",
            rows.iter().map(|r| Some(r.submitted_session as i64)),
        ),
        i64c("number", rows.iter().map(|r| Some(r.number as i64))),
        s("title", rows.iter().map(|r| Some(&r.title))),
        s("submitter", rows.iter().map(|r| Some(&r.submitter))),
        s("origin_house", rows.iter().map(|r| Some(&r.origin_house))),
        s(
            "sessions",
            rows.iter().map(|r| {
                Some(
                    r.sessions
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                )
            }),
        ),
        s("status", rows.iter().map(|r| Some(&r.status))),
        s("stage", rows.iter().map(|r| Some(&r.stage))),
        datec("submitted_on", rows.iter().map(|r| r.submitted_on)),
    ];
    for (p, house) in [("hor", 0), ("hoc", 1)] {
        let h = |r: &Bill| {
            if house == 0 {
                r.hor.clone()
            } else {
                r.hoc.clone()
            }
        };
        let hs: Vec<HouseProgress> = rows.iter().map(h).collect();
        c.extend([
            s(&format!("{p}_stage"), hs.iter().map(|h| Some(&h.stage))),
            datec(
                &format!("{p}_received_on"),
                hs.iter().map(|h| h.received_on),
            ),
            datec(
                &format!("{p}_referred_on"),
                hs.iter().map(|h| h.referred_on),
            ),
            s(
                &format!("{p}_committee"),
                hs.iter().map(|h| Some(&h.committee)),
            ),
            datec(
                &format!("{p}_committee_on"),
                hs.iter().map(|h| h.committee_on),
            ),
            s(
                &format!("{p}_committee_result"),
                hs.iter().map(|h| Some(&h.committee_result)),
            ),
            datec(&format!("{p}_plenary_on"), hs.iter().map(|h| h.plenary_on)),
            s(
                &format!("{p}_plenary_result"),
                hs.iter().map(|h| Some(&h.plenary_result)),
            ),
            s(
                &format!("{p}_vote_manner"),
                hs.iter().map(|h| Some(&h.vote_manner)),
            ),
            s(
                &format!("{p}_vote_method"),
                hs.iter().map(|h| Some(&h.vote_method)),
            ),
            s(
                &format!("{p}_groups_for"),
                hs.iter().map(|h| Some(&h.groups_for)),
            ),
            s(
                &format!("{p}_groups_against"),
                hs.iter().map(|h| Some(&h.groups_against)),
            ),
        ]);
    }
    c.extend([
        datec("promulgated_on", rows.iter().map(|r| r.promulgated_on)),
        s("law_number", rows.iter().map(|r| Some(&r.law_number))),
        s("remarks", rows.iter().map(|r| Some(&r.remarks))),
    ]);
    c.extend(prov_cols(|| Box::new(rows.iter().map(|r| &r.provenance))));
    frame(c)
}

/// `changes` rows as a frame.
pub fn changes(rows: &[Change]) -> Result<DataFrame, StoreError> {
    frame(vec![
        s("run_id", rows.iter().map(|r| Some(&r.run_id))),
        tsc("detected_at", rows.iter().map(|r| Some(r.detected_at))),
        s("source_id", rows.iter().map(|r| Some(&r.source_id))),
        s("table", rows.iter().map(|r| Some(&r.table))),
        s("entity_key", rows.iter().map(|r| Some(&r.entity_key))),
        s("field", rows.iter().map(|r| Some(&r.field))),
        s("old_value", rows.iter().map(|r| r.old_value.as_ref())),
        s("new_value", rows.iter().map(|r| r.new_value.as_ref())),
        s("kind", rows.iter().map(|r| Some(r.kind.as_str()))),
        s("summary", rows.iter().map(|r| Some(&r.summary))),
        s("url", rows.iter().map(|r| Some(&r.url))),
    ])
}

/// `fetches` rows as a frame.
pub fn fetches(rows: &[FetchRecord]) -> Result<DataFrame, StoreError> {
    frame(vec![
        s("run_id", rows.iter().map(|r| Some(&r.run_id))),
        s("source_id", rows.iter().map(|r| Some(&r.source_id))),
        s("url", rows.iter().map(|r| Some(&r.url))),
        s("final_url", rows.iter().map(|r| Some(&r.final_url))),
        i64c(
            "status_code",
            rows.iter().map(|r| r.status_code.map(i64::from)),
        ),
        s("outcome", rows.iter().map(|r| Some(r.outcome.as_str()))),
        s("etag", rows.iter().map(|r| r.etag.as_ref())),
        s(
            "last_modified",
            rows.iter().map(|r| r.last_modified.as_ref()),
        ),
        s("content_type", rows.iter().map(|r| r.content_type.as_ref())),
        s("charset", rows.iter().map(|r| r.charset.as_ref())),
        i64c("bytes", rows.iter().map(|r| Some(r.bytes as i64))),
        s("sha256", rows.iter().map(|r| r.sha256.as_ref())),
        i64c("elapsed_ms", rows.iter().map(|r| Some(r.elapsed_ms as i64))),
        i64c("attempts", rows.iter().map(|r| Some(r.attempts as i64))),
        s("error", rows.iter().map(|r| r.error.as_ref())),
        tsc("fetched_at", rows.iter().map(|r| Some(r.fetched_at))),
    ])
}

/// `runs` rows as a frame.
pub fn runs(rows: &[RunRecord]) -> Result<DataFrame, StoreError> {
    frame(vec![
        s("run_id", rows.iter().map(|r| Some(&r.run_id))),
        tsc("started_at", rows.iter().map(|r| Some(r.started_at))),
        tsc("finished_at", rows.iter().map(|r| Some(r.finished_at))),
        s("status", rows.iter().map(|r| Some(r.status.as_str()))),
        i64c("sources_ok", rows.iter().map(|r| Some(r.sources_ok as i64))),
        i64c(
            "sources_unchanged",
            rows.iter().map(|r| Some(r.sources_unchanged as i64)),
        ),
        i64c(
            "sources_failed",
            rows.iter().map(|r| Some(r.sources_failed as i64)),
        ),
        i64c(
            "sources_broken",
            rows.iter().map(|r| Some(r.sources_broken as i64)),
        ),
        i64c("changes", rows.iter().map(|r| Some(r.changes as i64))),
        s("version", rows.iter().map(|r| Some(&r.version))),
    ])
}

/// An empty frame with the schema of `table`.
pub fn empty(table: &str) -> Result<DataFrame, StoreError> {
    match table {
        "figures" => figures(&[]),
        "events" => events(&[]),
        "statements" => statements(&[]),
        "notices" => notices(&[]),
        "bills" => bills(&[]),
        "changes" => changes(&[]),
        "fetches" => fetches(&[]),
        "runs" => runs(&[]),
        "municipal_pages" => municipal_pages(&[]),
        "warnings" => warnings(&[]),
        "reviews" => reviews(&[]),
        other => Err(StoreError::UnknownTable(other.to_string())),
    }
}

// ── reading back ─────────────────────────────────────────────────────────────

/// Typed access to a frame's columns by name.
pub struct Reader<'a> {
    df: &'a DataFrame,
}

impl<'a> Reader<'a> {
    /// Wrap a frame.
    pub fn new(df: &'a DataFrame) -> Self {
        Reader { df }
    }

    /// Rows in the frame.
    pub fn len(&self) -> usize {
        self.df.height()
    }

    /// True when the frame has no rows.
    pub fn is_empty(&self) -> bool {
        self.df.height() == 0
    }

    /// A string column (nulls as `None`).
    pub fn opt_str(&self, name: &str) -> Result<Vec<Option<String>>, StoreError> {
        let col = self.df.column(name)?.cast(&DataType::String)?;
        Ok(col.str()?.iter().map(|v| v.map(str::to_string)).collect())
    }

    /// A string column (nulls as empty).
    pub fn str(&self, name: &str) -> Result<Vec<String>, StoreError> {
        Ok(self
            .opt_str(name)?
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect())
    }

    /// A float column.
    pub fn f64(&self, name: &str) -> Result<Vec<Option<f64>>, StoreError> {
        let col = self.df.column(name)?.cast(&DataType::Float64)?;
        Ok(col.f64()?.iter().collect())
    }

    /// An integer column.
    pub fn i64(&self, name: &str) -> Result<Vec<Option<i64>>, StoreError> {
        let col = self.df.column(name)?.cast(&DataType::Int64)?;
        Ok(col.i64()?.iter().collect())
    }

    /// A date column.
    pub fn date(&self, name: &str) -> Result<Vec<Option<NaiveDate>>, StoreError> {
        let col = self.df.column(name)?.cast(&DataType::Int32)?;
        Ok(col
            .i32()?
            .iter()
            .map(|d| d.map(|d| EPOCH + chrono::Duration::days(d as i64)))
            .collect())
    }

    /// A UTC timestamp column.
    pub fn ts(&self, name: &str) -> Result<Vec<Option<DateTime<Utc>>>, StoreError> {
        let col = self.df.column(name)?.cast(&DataType::Int64)?;
        Ok(col
            .i64()?
            .iter()
            .map(|t| t.and_then(DateTime::<Utc>::from_timestamp_micros))
            .collect())
    }

    /// The provenance columns of `table`'s rows.
    fn provenance(&self, table: &'static str) -> Result<Vec<Provenance>, StoreError> {
        let (sid, url, at, sha, loc, raw, run) = (
            self.str("source_id")?,
            self.str("url")?,
            self.ts("fetched_at")?,
            self.str("snapshot_sha256")?,
            self.str("locator")?,
            self.str("raw_text")?,
            self.str("run_id")?,
        );
        (0..self.len())
            .map(|i| {
                Ok(Provenance {
                    source_id: sid[i].clone(),
                    url: url[i].clone(),
                    fetched_at: required(at[i], (table, "fetched_at"))?,
                    snapshot_sha256: sha[i].clone(),
                    locator: loc[i].clone(),
                    raw_text: raw[i].clone(),
                    run_id: run[i].clone(),
                })
            })
            .collect()
    }
}

/// The one of `all` stored as `value`; anything else is [`StoreError::BadValue`] naming
/// the table, column and value, never a guess.
fn known<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    (table, column): (&'static str, &'static str),
    value: &str,
) -> Result<T, StoreError> {
    all.iter()
        .copied()
        .find(|v| name(*v) == value)
        .ok_or_else(|| StoreError::BadValue {
            table,
            column,
            value: value.to_string(),
        })
}

/// A value that every writer stores (a time, a status): null is
/// [`StoreError::BadValue`], never a default such as 1970-01-01.
pub(crate) fn required<T>(
    v: Option<T>,
    (table, column): (&'static str, &'static str),
) -> Result<T, StoreError> {
    v.ok_or_else(|| StoreError::BadValue {
        table,
        column,
        value: "null".into(),
    })
}

/// `figures.qualifier`: empty is none.
fn qualifier(s: &str) -> Result<Option<Qualifier>, StoreError> {
    use Qualifier as Q;
    if s.is_empty() {
        return Ok(None);
    }
    let all = [Q::Approx, Q::AtLeast, Q::Over, Q::Under, Q::AtMost];
    known(&all, Q::as_str, ("figures", "qualifier"), s).map(Some)
}

/// `figures.status`.
fn status(s: &str) -> Result<FigureStatus, StoreError> {
    use FigureStatus as S;
    let all = [
        S::Final,
        S::Preliminary,
        S::Revised,
        S::Suppressed,
        S::Missing,
    ];
    known(&all, S::as_str, ("figures", "status"), s)
}

/// `fetches.outcome`.
pub(crate) fn outcome(s: &str) -> Result<FetchOutcome, StoreError> {
    use FetchOutcome as O;
    let all = [O::Fetched, O::NotModified, O::Failed, O::SkippedRobots];
    known(&all, O::as_str, ("fetches", "outcome"), s)
}

/// `figures` rows from a frame written by [`figures`].
pub fn read_figures(df: &DataFrame) -> Result<Vec<Figure>, StoreError> {
    let r = Reader::new(df);
    let (metric, code, name) = (r.str("metric")?, r.str("area_code")?, r.str("area_name")?);
    let (as_of, ps, pe) = (
        r.date("as_of")?,
        r.date("period_start")?,
        r.date("period_end")?,
    );
    let (value, unit, scale) = (r.f64("value")?, r.str("unit")?, r.f64("scale")?);
    let (qual, st, dims, der) = (
        r.str("qualifier")?,
        r.str("status")?,
        r.str("dimensions")?,
        r.str("derived_from")?,
    );
    // Added later: files written before it read as empty.
    let evidence = r
        .str("evidence")
        .unwrap_or_else(|_| vec![String::new(); r.len()]);
    let prov = r.provenance("figures")?;
    prov.into_iter()
        .enumerate()
        .map(|(i, provenance)| {
            Ok(Figure {
                metric: metric[i].clone(),
                area_code: code[i].clone(),
                area_name: name[i].clone(),
                as_of: as_of[i],
                period_start: ps[i],
                period_end: pe[i],
                value: value[i],
                unit: unit[i].clone(),
                scale: scale[i].unwrap_or(1.0),
                qualifier: qualifier(&qual[i])?,
                status: status(&st[i])?,
                dimensions: dims[i].clone(),
                derived_from: der[i].clone(),
                evidence: evidence[i].clone(),
                provenance,
            })
        })
        .collect()
}

/// `events` rows from a frame.
pub fn read_events(df: &DataFrame) -> Result<Vec<Event>, StoreError> {
    let r = Reader::new(df);
    let (id, kind, date) = (r.str("event_id")?, r.str("kind")?, r.date("date")?);
    let (st, et) = (r.opt_str("start_time")?, r.opt_str("end_time")?);
    let (venue, body, title, principal) = (
        r.str("venue")?,
        r.str("body")?,
        r.str("title")?,
        r.str("principal")?,
    );
    let prov = r.provenance("events")?;
    Ok(prov
        .into_iter()
        .enumerate()
        .map(|(i, provenance)| Event {
            event_id: id[i].clone(),
            kind: kind[i].clone(),
            date: date[i],
            start_time: st[i].clone(),
            end_time: et[i].clone(),
            venue: venue[i].clone(),
            body: body[i].clone(),
            title: title[i].clone(),
            principal: principal[i].clone(),
            provenance,
        })
        .collect())
}

/// `statements` rows from a frame.
pub fn read_statements(df: &DataFrame) -> Result<Vec<Statement>, StoreError> {
    let r = Reader::new(df);
    let (id, turn, speaker, role, group) = (
        r.str("event_id")?,
        r.i64("turn")?,
        r.str("speaker")?,
        r.str("speaker_role")?,
        r.str("speaker_group")?,
    );
    let (text, topics, cs, ce) = (
        r.str("text")?,
        r.str("topics")?,
        r.i64("char_start")?,
        r.i64("char_end")?,
    );
    let prov = r.provenance("statements")?;
    Ok(prov
        .into_iter()
        .enumerate()
        .map(|(i, provenance)| Statement {
            event_id: id[i].clone(),
            turn: turn[i].unwrap_or(0) as u32,
            speaker: speaker[i].clone(),
            speaker_role: role[i].clone(),
            speaker_group: group[i].clone(),
            text: text[i].clone(),
            topics: topics[i]
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            char_start: cs[i].unwrap_or(0) as u32,
            char_end: ce[i].unwrap_or(0) as u32,
            provenance,
        })
        .collect())
}

/// `notices` rows from a frame.
pub fn read_notices(df: &DataFrame) -> Result<Vec<Notice>, StoreError> {
    let r = Reader::new(df);
    let (code, name, title) = (r.str("area_code")?, r.str("area_name")?, r.str("title")?);
    let (pub_on, upd_on, sha, text) = (
        r.date("published_on")?,
        r.date("updated_on")?,
        r.str("text_sha256")?,
        r.str("text")?,
    );
    let (policy, evidence, ms, me, method) = (
        r.str("issuance_policy")?,
        r.str("policy_evidence")?,
        r.date("mailing_start")?,
        r.date("mailing_end")?,
        r.str("mailing_method")?,
    );
    let (vf, vu) = (r.date("valid_from")?, r.date("valid_until")?);
    // Added later: tables written before these columns existed read as empty.
    let optional = |name: &str| r.str(name).unwrap_or_else(|_| vec![String::new(); r.len()]);
    let (scheme, by_scheme, field_evidence) = (
        optional("scheme"),
        optional("policy_by_scheme"),
        optional("evidence"),
    );
    let prov = r.provenance("notices")?;
    Ok(prov
        .into_iter()
        .enumerate()
        .map(|(i, provenance)| Notice {
            area_code: code[i].clone(),
            area_name: name[i].clone(),
            title: title[i].clone(),
            published_on: pub_on[i],
            updated_on: upd_on[i],
            text_sha256: sha[i].clone(),
            text: text[i].clone(),
            issuance_policy: policy[i].clone(),
            policy_evidence: evidence[i].clone(),
            mailing_start: ms[i],
            mailing_end: me[i],
            mailing_method: method[i].clone(),
            valid_from: vf[i],
            valid_until: vu[i],
            scheme: scheme[i].clone(),
            policy_by_scheme: by_scheme[i].clone(),
            evidence: field_evidence[i].clone(),
            provenance: Some(provenance),
        })
        .collect())
}

/// `bills` rows from a frame written by [`bills`].
pub fn read_bills(df: &DataFrame) -> Result<Vec<Bill>, StoreError> {
    let r = Reader::new(df);
    let (key, kind, ss, no, title, submitter, origin, sessions, status, stage, sub) = (
        r.str("bill_key")?,
        r.str("kind")?,
        r.i64("submitted_session")?,
        r.i64("number")?,
        r.str("title")?,
        r.str("submitter")?,
        r.str("origin_house")?,
        r.str("sessions")?,
        r.str("status")?,
        r.str("stage")?,
        r.date("submitted_on")?,
    );
    let house = |p: &str| -> Result<Vec<HouseProgress>, StoreError> {
        let c = |n: &str| format!("{p}_{n}");
        let (st, recv, refd, com) = (
            r.str(&c("stage"))?,
            r.date(&c("received_on"))?,
            r.date(&c("referred_on"))?,
            r.str(&c("committee"))?,
        );
        let (com_on, com_res, pl_on, pl_res) = (
            r.date(&c("committee_on"))?,
            r.str(&c("committee_result"))?,
            r.date(&c("plenary_on"))?,
            r.str(&c("plenary_result"))?,
        );
        let (manner, method, pro, con) = (
            r.str(&c("vote_manner"))?,
            r.str(&c("vote_method"))?,
            r.str(&c("groups_for"))?,
            r.str(&c("groups_against"))?,
        );
        Ok((0..r.len())
            .map(|i| HouseProgress {
                stage: st[i].clone(),
                received_on: recv[i],
                referred_on: refd[i],
                committee: com[i].clone(),
                committee_on: com_on[i],
                committee_result: com_res[i].clone(),
                plenary_on: pl_on[i],
                plenary_result: pl_res[i].clone(),
                vote_manner: manner[i].clone(),
                vote_method: method[i].clone(),
                groups_for: pro[i].clone(),
                groups_against: con[i].clone(),
            })
            .collect())
    };
    let (hor, hoc) = (house("hor")?, house("hoc")?);
    let (prom, law, remarks) = (
        r.date("promulgated_on")?,
        r.str("law_number")?,
        r.str("remarks")?,
    );
    let prov = r.provenance("bills")?;
    Ok(prov
        .into_iter()
        .enumerate()
        .map(|(i, provenance)| Bill {
            bill_key: key[i].clone(),
            kind: kind[i].clone(),
            submitted_session: ss[i].unwrap_or(0) as u32,
            number: no[i].unwrap_or(0) as u32,
            title: title[i].clone(),
            submitter: submitter[i].clone(),
            origin_house: origin[i].clone(),
            sessions: sessions[i]
                .split(',')
                .filter_map(|x| x.parse().ok())
                .collect(),
            status: status[i].clone(),
            stage: stage[i].clone(),
            submitted_on: sub[i],
            hor: hor[i].clone(),
            hoc: hoc[i].clone(),
            promulgated_on: prom[i],
            law_number: law[i].clone(),
            remarks: remarks[i].clone(),
            provenance,
        })
        .collect())
}

/// `changes` rows from a frame written by [`changes`]. An unknown `kind` string (a
/// newer writer) is an error rather than a silent guess.
pub fn read_changes(df: &DataFrame) -> Result<Vec<Change>, StoreError> {
    use mynawatch_model::ChangeKind as K;
    const KINDS: [K; 7] = [
        K::Added,
        K::Removed,
        K::Modified,
        K::Revised,
        K::NoticeTextChanged,
        K::SourceBroken,
        K::SourceRecovered,
    ];
    let r = Reader::new(df);
    let (run, at, sid, table, key, field) = (
        r.str("run_id")?,
        r.ts("detected_at")?,
        r.str("source_id")?,
        r.str("table")?,
        r.str("entity_key")?,
        r.str("field")?,
    );
    let (old, new, kind, summary, url) = (
        r.opt_str("old_value")?,
        r.opt_str("new_value")?,
        r.str("kind")?,
        r.str("summary")?,
        r.str("url")?,
    );
    (0..r.len())
        .map(|i| {
            let kind = KINDS
                .into_iter()
                .find(|k| k.as_str() == kind[i])
                .ok_or_else(|| StoreError::BadValue {
                    table: "changes",
                    column: "kind",
                    value: kind[i].clone(),
                })?;
            Ok(Change {
                run_id: run[i].clone(),
                detected_at: required(at[i], ("changes", "detected_at"))?,
                source_id: sid[i].clone(),
                table: table[i].clone(),
                entity_key: key[i].clone(),
                field: field[i].clone(),
                old_value: old[i].clone(),
                new_value: new[i].clone(),
                kind,
                summary: summary[i].clone(),
                url: url[i].clone(),
            })
        })
        .collect()
}

/// `runs` rows from a frame written by [`runs`].
pub fn read_runs(df: &DataFrame) -> Result<Vec<RunRecord>, StoreError> {
    use mynawatch_model::RunStatus as S;
    let r = Reader::new(df);
    let (run, started, finished, status, version) = (
        r.str("run_id")?,
        r.ts("started_at")?,
        r.ts("finished_at")?,
        r.str("status")?,
        r.str("version")?,
    );
    let (ok, unchanged, failed, broken, changes) = (
        r.i64("sources_ok")?,
        r.i64("sources_unchanged")?,
        r.i64("sources_failed")?,
        r.i64("sources_broken")?,
        r.i64("changes")?,
    );
    let n = |v: Option<i64>| v.unwrap_or(0) as u32;
    (0..r.len())
        .map(|i| {
            let status = [S::Ok, S::Partial, S::Failed]
                .into_iter()
                .find(|s| s.as_str() == status[i])
                .ok_or_else(|| StoreError::BadValue {
                    table: "runs",
                    column: "status",
                    value: status[i].clone(),
                })?;
            Ok(RunRecord {
                run_id: run[i].clone(),
                started_at: required(started[i], ("runs", "started_at"))?,
                finished_at: required(finished[i], ("runs", "finished_at"))?,
                status,
                sources_ok: n(ok[i]),
                sources_unchanged: n(unchanged[i]),
                sources_failed: n(failed[i]),
                sources_broken: n(broken[i]),
                changes: n(changes[i]),
                version: version[i].clone(),
            })
        })
        .collect()
}

/// `reviews` rows as a frame.
pub fn reviews(rows: &[Review]) -> Result<DataFrame, StoreError> {
    frame(vec![
        s("table", rows.iter().map(|r| Some(&r.table))),
        s("entity_key", rows.iter().map(|r| Some(&r.entity_key))),
        s("field", rows.iter().map(|r| Some(&r.field))),
        s("machine_value", rows.iter().map(|r| Some(&r.machine_value))),
        s(
            "reviewed_value",
            rows.iter().map(|r| Some(&r.reviewed_value)),
        ),
        s("action", rows.iter().map(|r| Some(&r.action))),
        s("note", rows.iter().map(|r| Some(&r.note))),
        s("by", rows.iter().map(|r| Some(&r.by))),
        tsc("at", rows.iter().map(|r| Some(r.at))),
        s("text_sha256", rows.iter().map(|r| Some(&r.text_sha256))),
        s("source_id", rows.iter().map(|r| Some(&r.source_id))),
        s("url", rows.iter().map(|r| Some(&r.url))),
    ])
}

/// Read `reviews` rows back.
pub fn read_reviews(df: &DataFrame) -> Result<Vec<Review>, StoreError> {
    let r = Reader::new(df);
    let (table, key, field, machine, reviewed, action) = (
        r.str("table")?,
        r.str("entity_key")?,
        r.str("field")?,
        r.str("machine_value")?,
        r.str("reviewed_value")?,
        r.str("action")?,
    );
    let (note, by, at, sha, sid, url) = (
        r.str("note")?,
        r.str("by")?,
        r.ts("at")?,
        r.str("text_sha256")?,
        r.str("source_id")?,
        r.str("url")?,
    );
    (0..r.len())
        .map(|i| {
            Ok(Review {
                table: table[i].clone(),
                entity_key: key[i].clone(),
                field: field[i].clone(),
                machine_value: machine[i].clone(),
                reviewed_value: reviewed[i].clone(),
                action: action[i].clone(),
                note: note[i].clone(),
                by: by[i].clone(),
                at: required(at[i], ("reviews", "at"))?,
                text_sha256: sha[i].clone(),
                source_id: sid[i].clone(),
                url: url[i].clone(),
            })
        })
        .collect()
}

/// `warnings` rows as a frame.
pub fn warnings(rows: &[ExtractionWarning]) -> Result<DataFrame, StoreError> {
    frame(vec![
        s("run_id", rows.iter().map(|r| Some(&r.run_id))),
        tsc("detected_at", rows.iter().map(|r| Some(r.detected_at))),
        s("source_id", rows.iter().map(|r| Some(&r.source_id))),
        s("url", rows.iter().map(|r| Some(&r.url))),
        s("kind", rows.iter().map(|r| Some(&r.kind))),
        s("message", rows.iter().map(|r| Some(&r.message))),
    ])
}

/// Read `warnings` rows back.
pub fn read_warnings(df: &DataFrame) -> Result<Vec<ExtractionWarning>, StoreError> {
    let r = Reader::new(df);
    let (run, at, sid, url, kind, msg) = (
        r.str("run_id")?,
        r.ts("detected_at")?,
        r.str("source_id")?,
        r.str("url")?,
        r.str("kind")?,
        r.str("message")?,
    );
    (0..r.len())
        .map(|i| {
            Ok(ExtractionWarning {
                run_id: run[i].clone(),
                detected_at: required(at[i], ("warnings", "detected_at"))?,
                source_id: sid[i].clone(),
                url: url[i].clone(),
                kind: kind[i].clone(),
                message: msg[i].clone(),
            })
        })
        .collect()
}

/// `municipal_pages` rows as a frame.
pub fn municipal_pages(rows: &[MunicipalPage]) -> Result<DataFrame, StoreError> {
    frame(vec![
        s("area_code", rows.iter().map(|r| Some(&r.area_code))),
        s("area_name", rows.iter().map(|r| Some(&r.area_name))),
        s("prefecture", rows.iter().map(|r| Some(&r.prefecture))),
        s("scheme", rows.iter().map(|r| Some(&r.scheme))),
        s("url", rows.iter().map(|r| Some(&r.url))),
        i64c("score", rows.iter().map(|r| Some(r.score))),
        s("evidence", rows.iter().map(|r| Some(&r.evidence))),
        s("status", rows.iter().map(|r| Some(&r.status))),
        s("site_url", rows.iter().map(|r| Some(&r.site_url))),
        s("redirected_to", rows.iter().map(|r| Some(&r.redirected_to))),
        i64c("pages_fetched", rows.iter().map(|r| Some(r.pages_fetched))),
        tsc("discovered_at", rows.iter().map(|r| Some(r.discovered_at))),
        s("run_id", rows.iter().map(|r| Some(&r.run_id))),
    ])
}

/// `municipal_pages` rows from a frame written by [`municipal_pages`].
pub fn read_municipal_pages(df: &DataFrame) -> Result<Vec<MunicipalPage>, StoreError> {
    let r = Reader::new(df);
    let (code, name, pref, scheme, url, score) = (
        r.str("area_code")?,
        r.str("area_name")?,
        r.str("prefecture")?,
        r.str("scheme")?,
        r.str("url")?,
        r.i64("score")?,
    );
    let (evidence, status, site, moved, pages, at, run) = (
        r.str("evidence")?,
        r.str("status")?,
        r.str("site_url")?,
        r.str("redirected_to")?,
        r.i64("pages_fetched")?,
        r.ts("discovered_at")?,
        r.str("run_id")?,
    );
    (0..r.len())
        .map(|i| {
            Ok(MunicipalPage {
                area_code: code[i].clone(),
                area_name: name[i].clone(),
                prefecture: pref[i].clone(),
                scheme: scheme[i].clone(),
                url: url[i].clone(),
                score: score[i].unwrap_or(0),
                evidence: evidence[i].clone(),
                status: status[i].clone(),
                site_url: site[i].clone(),
                redirected_to: moved[i].clone(),
                pages_fetched: pages[i].unwrap_or(0),
                discovered_at: required(at[i], ("municipal_pages", "discovered_at"))?,
                run_id: run[i].clone(),
            })
        })
        .collect()
}
