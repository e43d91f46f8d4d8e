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
    ];
    c.extend(prov_cols(|| Box::new(prov.iter().copied())));
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
        "changes" => changes(&[]),
        "fetches" => fetches(&[]),
        "runs" => runs(&[]),
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

    fn provenance(&self) -> Result<Vec<Provenance>, StoreError> {
        let (sid, url, at, sha, loc, raw, run) = (
            self.str("source_id")?,
            self.str("url")?,
            self.ts("fetched_at")?,
            self.str("snapshot_sha256")?,
            self.str("locator")?,
            self.str("raw_text")?,
            self.str("run_id")?,
        );
        Ok((0..self.len())
            .map(|i| Provenance {
                source_id: sid[i].clone(),
                url: url[i].clone(),
                fetched_at: at[i].unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
                snapshot_sha256: sha[i].clone(),
                locator: loc[i].clone(),
                raw_text: raw[i].clone(),
                run_id: run[i].clone(),
            })
            .collect())
    }
}

fn qualifier(s: &str) -> Option<Qualifier> {
    Some(match s {
        "approx" => Qualifier::Approx,
        "at_least" => Qualifier::AtLeast,
        "over" => Qualifier::Over,
        "under" => Qualifier::Under,
        "at_most" => Qualifier::AtMost,
        _ => return None,
    })
}

fn status(s: &str) -> FigureStatus {
    match s {
        "preliminary" => FigureStatus::Preliminary,
        "revised" => FigureStatus::Revised,
        "suppressed" => FigureStatus::Suppressed,
        "missing" => FigureStatus::Missing,
        _ => FigureStatus::Final,
    }
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
    let prov = r.provenance()?;
    Ok(prov
        .into_iter()
        .enumerate()
        .map(|(i, provenance)| Figure {
            metric: metric[i].clone(),
            area_code: code[i].clone(),
            area_name: name[i].clone(),
            as_of: as_of[i],
            period_start: ps[i],
            period_end: pe[i],
            value: value[i],
            unit: unit[i].clone(),
            scale: scale[i].unwrap_or(1.0),
            qualifier: qualifier(&qual[i]),
            status: status(&st[i]),
            dimensions: dims[i].clone(),
            derived_from: der[i].clone(),
            provenance,
        })
        .collect())
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
    let prov = r.provenance()?;
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
    let prov = r.provenance()?;
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
    let prov = r.provenance()?;
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
            provenance: Some(provenance),
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
                detected_at: at[i].unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
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
                started_at: started[i].unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
                finished_at: finished[i].unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
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
