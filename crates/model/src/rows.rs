//! Row types of the Parquet tables (see DESIGN.md, "Tables").

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::table::Table;

/// Whether `s` is a sha256 as snapshots are named by: 64 hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Where a snapshot's bytes live below the data folder, `/`-separated:
/// `snapshots/<first two hex digits>/<next two>/<sha256>`. The fetcher stores them there,
/// feeds link to them and object storage mirrors them.
pub fn snapshot_rel_path(sha256: &str) -> String {
    let cut = |i: usize| sha256.len().min(i);
    format!(
        "snapshots/{}/{}/{sha256}",
        &sha256[..cut(2)],
        &sha256[cut(2)..cut(4)]
    )
}

/// What is known about one stored response body, handed to extractors with its bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotMeta {
    /// Source id from the config (`[[source]] id = ...`).
    pub source_id: String,
    /// The URL the bytes were fetched from (after redirects).
    pub url: String,
    /// When the response was received (UTC).
    pub fetched_at: DateTime<Utc>,
    /// Lower-case hex sha256 of the raw bytes.
    pub sha256: String,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The charset the fetcher decided on (header, BOM, meta or guess), if text.
    pub charset: Option<String>,
    /// The run that fetched it.
    pub run_id: String,
}

impl SnapshotMeta {
    /// Provenance for a row taken from this snapshot at `locator`, from `raw_text`.
    pub fn provenance(
        &self,
        locator: impl Into<String>,
        raw_text: impl Into<String>,
    ) -> Provenance {
        Provenance {
            source_id: self.source_id.clone(),
            url: self.url.clone(),
            fetched_at: self.fetched_at,
            snapshot_sha256: self.sha256.clone(),
            locator: locator.into(),
            raw_text: raw_text.into(),
            run_id: self.run_id.clone(),
        }
    }

    /// Metadata for a local file given to `mynawatch extract` (no fetch happened).
    pub fn for_file(source_id: &str, url: &str, sha256: String) -> Self {
        SnapshotMeta {
            source_id: source_id.to_string(),
            url: url.to_string(),
            fetched_at: DateTime::<Utc>::UNIX_EPOCH,
            sha256,
            content_type: None,
            charset: None,
            run_id: "local".to_string(),
        }
    }
}

/// Where a row came from: every content row carries one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, Table)]
pub struct Provenance {
    /// Source id from the config.
    pub source_id: String,
    /// URL of the snapshot.
    pub url: String,
    /// Fetch time of the snapshot (UTC).
    pub fetched_at: DateTime<Utc>,
    /// sha256 of the snapshot's raw bytes.
    pub snapshot_sha256: String,
    /// Where in the snapshot: CSS path, `sheet!A1`, `page:N`, XML path, or `lines:A-B`.
    pub locator: String,
    /// The original string the value came from.
    pub raw_text: String,
    /// The run that produced the row.
    pub run_id: String,
}

/// A qualifier written next to a number (約, 以上, 未満, 超, 程度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// 約, 程度, おおむね
    Approx,
    /// 以上
    AtLeast,
    /// 超, 超え
    Over,
    /// 未満
    Under,
    /// 以下
    AtMost,
}

impl Qualifier {
    /// The stable string stored in Parquet.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Approx => "approx",
            Qualifier::AtLeast => "at_least",
            Qualifier::Over => "over",
            Qualifier::Under => "under",
            Qualifier::AtMost => "at_most",
        }
    }
}

/// Status of a figure cell, from statistical symbols or the release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureStatus {
    /// An ordinary published value.
    #[default]
    Final,
    /// `p`, 速報値, 暫定
    Preliminary,
    /// `r`, 訂正, a restated value
    Revised,
    /// `x`, `X`, `χ`: withheld for confidentiality
    Suppressed,
    /// `-`, `―`, `…`, blank: no value
    Missing,
}

impl FigureStatus {
    /// The stable string stored in Parquet.
    pub fn as_str(self) -> &'static str {
        match self {
            FigureStatus::Final => "final",
            FigureStatus::Preliminary => "preliminary",
            FigureStatus::Revised => "revised",
            FigureStatus::Suppressed => "suppressed",
            FigureStatus::Missing => "missing",
        }
    }
}

/// One number in the `figures` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Table)]
#[table(name = "figures")]
pub struct Figure {
    /// Stable dotted metric id, e.g. `card.holdings`.
    pub metric: String,
    /// 6-digit 全国地方公共団体コード with check digit; `000000` for all Japan; empty if not an area.
    pub area_code: String,
    /// The area's name as normalized (e.g. `東京都渋谷区`), or a category (`特別区`).
    pub area_name: String,
    /// Point-in-time date, for stocks (cards held on a date).
    pub as_of: Option<NaiveDate>,
    /// Start of the period, for flows (a month, a 年度, a range).
    pub period_start: Option<NaiveDate>,
    /// End of the period (inclusive).
    pub period_end: Option<NaiveDate>,
    /// The value after scaling; `None` when status is suppressed or missing.
    pub value: Option<f64>,
    /// `count`, `percent`, `jpy`, `households`, `persons`, `institutions`, ...
    pub unit: String,
    /// The multiplier applied to the written number (千円 → 1000).
    pub scale: f64,
    /// 約 / 以上 / 未満 ... as written.
    pub qualifier: Option<Qualifier>,
    /// Status from symbols or the release.
    pub status: FigureStatus,
    /// Extra dimensions that are part of the key (e.g. `age=0-4;sex=male`); empty if none.
    pub dimensions: String,
    /// For derived figures: the inputs, e.g. `insurance.registrations/card.holdings`. Empty otherwise.
    pub derived_from: String,
    /// For figures read from prose (survey reports): how the reader read it, as JSON
    /// (`{"how": the rule, "period": where the period came from, "area": why this area}`);
    /// the sentence itself is `provenance.raw_text`. Empty for tables and series.
    #[serde(default)]
    #[table(added)]
    pub evidence: String,
    /// Where it came from.
    #[table(flatten)]
    pub provenance: Provenance,
}

impl Figure {
    /// The natural key used by the diff: (source, metric, area, dimensions, period).
    pub fn key(&self) -> String {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        format!(
            "{}|{}|{}|{}|{}|{}|{}",
            self.provenance.source_id,
            self.metric,
            self.area_code_or_name(),
            self.dimensions,
            date(self.as_of),
            date(self.period_start),
            date(self.period_end)
        )
    }

    fn area_code_or_name(&self) -> &str {
        if self.area_code.is_empty() {
            &self.area_name
        } else {
            &self.area_code
        }
    }
}

/// One press conference or Diet meeting (`events` table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Table)]
#[table(name = "events")]
pub struct Event {
    /// Stable id: the transcript page id or the Diet issueID.
    pub event_id: String,
    /// `press_conference` or `diet_meeting`.
    pub kind: String,
    /// The day it took place.
    pub date: Option<NaiveDate>,
    /// Start time `HH:MM`, if stated.
    pub start_time: Option<String>,
    /// End time `HH:MM`, if stated.
    pub end_time: Option<String>,
    /// Venue (`省内会見室`) or house (`参議院`).
    pub venue: String,
    /// Committee or ministry (`厚生労働省`, `本会議`).
    pub body: String,
    /// Title (`福岡大臣会見概要`, `第212回国会 参議院 本会議 第7号`).
    pub title: String,
    /// Main person (the minister), if any.
    pub principal: String,
    /// Where it came from.
    #[table(flatten)]
    pub provenance: Provenance,
}

/// One turn in an event (`statements` table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Table)]
#[table(name = "statements")]
pub struct Statement {
    /// The event it belongs to.
    pub event_id: String,
    /// Turn number within the event, from 1.
    pub turn: u32,
    /// Speaker's name or label as written.
    pub speaker: String,
    /// `minister`, `reporter`, `member`, `government`, `chair`, `witness`, `other`.
    pub speaker_role: String,
    /// Speaker's group or position when stated (会派, 役職).
    pub speaker_group: String,
    /// The text of the turn.
    pub text: String,
    /// Topic tags from the configured keyword table.
    pub topics: Vec<String>,
    /// Char offset of the turn in the event's main text.
    pub char_start: u32,
    /// Char offset of the end of the turn (exclusive).
    pub char_end: u32,
    /// Where it came from.
    #[table(flatten)]
    pub provenance: Provenance,
}

/// One version of a municipal or agency notice page (`notices` table).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Table)]
#[table(name = "notices")]
pub struct Notice {
    /// Area code of the municipality, empty for agency pages.
    pub area_code: String,
    /// Area name (`東京都渋谷区`).
    pub area_name: String,
    /// Page title.
    pub title: String,
    /// 掲載日 when present.
    pub published_on: Option<NaiveDate>,
    /// 更新日 when present.
    pub updated_on: Option<NaiveDate>,
    /// sha256 of the normalized main text.
    pub text_sha256: String,
    /// The main text, blocks separated by newlines.
    pub text: String,
    /// `all_insured`, `unregistered_only`, `on_application` (only on request), `mixed`
    /// (schemes differ; see `policy_by_scheme`) or `unknown`.
    pub issuance_policy: String,
    /// The sentence that decided the policy.
    pub policy_evidence: String,
    /// Mailing period start.
    pub mailing_start: Option<NaiveDate>,
    /// Mailing period end.
    pub mailing_end: Option<NaiveDate>,
    /// 特定記録郵便, 簡易書留, 普通郵便 ...
    pub mailing_method: String,
    /// First day the 資格確認書 can be used.
    pub valid_from: Option<NaiveDate>,
    /// 有効期限 (inclusive).
    pub valid_until: Option<NaiveDate>,
    /// Insurance schemes the notice covers: `kokuho`, `koki` or `kokuho+koki`; empty when unclear.
    #[serde(default)]
    #[table(added)]
    pub scheme: String,
    /// The policy per scheme on pages covering both (`kokuho=unregistered_only;koki=all_insured`).
    #[serde(default)]
    #[table(added)]
    pub policy_by_scheme: String,
    /// Where each field read from the text came from, as JSON: field → `{"quote": the
    /// sentence or cell, "line": its line in `text` (1-based), "how": the reading
    /// (`sentence`, `label`, `heading`), "candidates": other values seen}`, or
    /// `{"abstained": why}` when candidates disagreed and the field was left empty.
    #[serde(default)]
    #[table(added)]
    pub evidence: String,
    /// Where it came from (locator: the main content's CSS path).
    #[table(flatten)]
    pub provenance: Option<Provenance>,
}

/// A link found on a page: a further target for index pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// Absolute URL.
    pub url: String,
    /// Link text, whitespace-collapsed.
    pub text: String,
    /// Size label as written (`4.5MB`), without brackets.
    pub size_label: String,
    /// Nearest preceding heading.
    pub heading: String,
    /// CSS-like path of the `<a>`.
    pub locator: String,
}

/// The kind of one `changes` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A new key.
    Added,
    /// A key that is gone from a successful extraction.
    Removed,
    /// A field changed on an existing key.
    Modified,
    /// A publisher restated a period it had published before.
    Revised,
    /// A notice's main text changed.
    NoticeTextChanged,
    /// Fetch or extraction failed; last good data kept.
    SourceBroken,
    /// A broken source works again.
    SourceRecovered,
}

impl ChangeKind {
    /// The stable string stored in Parquet.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Modified => "modified",
            ChangeKind::Revised => "revised",
            ChangeKind::NoticeTextChanged => "notice_text_changed",
            ChangeKind::SourceBroken => "source_broken",
            ChangeKind::SourceRecovered => "source_recovered",
        }
    }
}

/// One row of the `changes` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Table)]
#[table(name = "changes")]
pub struct Change {
    /// The run that detected it.
    pub run_id: String,
    /// When it was detected.
    pub detected_at: DateTime<Utc>,
    /// Source id.
    pub source_id: String,
    /// `figures`, `notices`, `events`, `statements`, or `sources` for health changes.
    pub table: String,
    /// The natural key of the row.
    pub entity_key: String,
    /// The field that changed (empty for added/removed/health).
    pub field: String,
    /// Old value as text.
    pub old_value: Option<String>,
    /// New value as text.
    pub new_value: Option<String>,
    /// What happened.
    pub kind: ChangeKind,
    /// A human sentence quoting old → new.
    pub summary: String,
    /// The source URL.
    pub url: String,
}

/// Outcome of one request (`fetches.outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchOutcome {
    /// 2xx with a body that was stored.
    Fetched,
    /// 304 on a conditional request.
    NotModified,
    /// Anything that produced no usable body.
    Failed,
    /// robots.txt disallows the URL.
    SkippedRobots,
}

impl FetchOutcome {
    /// The stable string stored in Parquet.
    pub fn as_str(self) -> &'static str {
        match self {
            FetchOutcome::Fetched => "fetched",
            FetchOutcome::NotModified => "not_modified",
            FetchOutcome::Failed => "failed",
            FetchOutcome::SkippedRobots => "skipped_robots",
        }
    }
}

/// One row of the `fetches` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Table)]
#[table(name = "fetches")]
pub struct FetchRecord {
    /// The run.
    pub run_id: String,
    /// Source id.
    pub source_id: String,
    /// Requested URL.
    pub url: String,
    /// Final URL after redirects.
    pub final_url: String,
    /// HTTP status of the last response, if any.
    pub status_code: Option<u16>,
    /// What happened.
    pub outcome: FetchOutcome,
    /// `ETag` of the response.
    pub etag: Option<String>,
    /// `Last-Modified` of the response.
    pub last_modified: Option<String>,
    /// `Content-Type` of the response.
    pub content_type: Option<String>,
    /// Charset decided for text bodies.
    pub charset: Option<String>,
    /// Body size in bytes.
    pub bytes: u64,
    /// sha256 of the body (for 304: of the stored snapshot it confirms).
    pub sha256: Option<String>,
    /// Wall time of the whole fetch including retries.
    pub elapsed_ms: u64,
    /// Attempts made (1 = no retry).
    pub attempts: u32,
    /// Error with cause, for `failed`.
    pub error: Option<String>,
    /// When the request finished.
    pub fetched_at: DateTime<Utc>,
}

/// Status of a whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Every source fetched and extracted.
    Ok,
    /// Some sources failed; the others were stored.
    Partial,
    /// Nothing usable (or an internal error).
    Failed,
}

impl RunStatus {
    /// The stable string stored in Parquet.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Ok => "ok",
            RunStatus::Partial => "partial",
            RunStatus::Failed => "failed",
        }
    }
}

/// One row of the `runs` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Table)]
#[table(name = "runs")]
pub struct RunRecord {
    /// Run id (`YYYYMMDDTHHMMSSZ-xxxx`).
    pub run_id: String,
    /// Start time.
    pub started_at: DateTime<Utc>,
    /// End time.
    pub finished_at: DateTime<Utc>,
    /// Overall status.
    pub status: RunStatus,
    /// Sources whose data was (re)extracted.
    pub sources_ok: u32,
    /// Sources unchanged since last run (304 or same hash).
    pub sources_unchanged: u32,
    /// Sources whose fetch failed.
    pub sources_failed: u32,
    /// Sources whose extraction failed its expectations.
    pub sources_broken: u32,
    /// Change rows written.
    pub changes: u32,
    /// mynawatch version.
    pub version: String,
}

/// One house's progress on a bill (columns `hor_*` / `hoc_*` of the `bills` table).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Table)]
pub struct HouseProgress {
    /// Latest stage reached in this house (`submitted`, `referred`, `committee_amended`, …); empty if none.
    pub stage: String,
    /// Day the bill arrived from the other house (受領 / 受理).
    pub received_on: Option<NaiveDate>,
    /// Day it was referred to a committee (本付託日 / 付託年月日).
    pub referred_on: Option<NaiveDate>,
    /// The committee (`厚生労働委員会`).
    pub committee: String,
    /// Day of the committee's decision.
    pub committee_on: Option<NaiveDate>,
    /// The committee's decision as published (`可決`, `修正`, `継続審査`, …).
    pub committee_result: String,
    /// Day of the plenary decision.
    pub plenary_on: Option<NaiveDate>,
    /// The plenary decision as published.
    pub plenary_result: String,
    /// 採決態様 (`多数`, `全会一致`).
    pub vote_manner: String,
    /// 採決方法 (`起立`, `押しボタン`, `異議の有無`).
    pub vote_method: String,
    /// 賛成会派, `; `-separated, where published.
    pub groups_for: String,
    /// 反対会派, `; `-separated, where published.
    pub groups_against: String,
}

/// One Diet bill (`bills` table). Key: 提出回次 + 種類 + 番号 ([`Bill::key`]), never the title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Table)]
#[table(name = "bills")]
pub struct Bill {
    /// `閣法-217-21`: kind, 提出回次, 番号.
    pub bill_key: String,
    /// `閣法`, `衆法`, `参法`, or the published kind for other 議案 (`条約`, `NHK決算`).
    pub kind: String,
    /// 提出回次.
    pub submitted_session: u32,
    /// 番号 within kind and 提出回次.
    pub number: u32,
    /// 件名.
    pub title: String,
    /// 提出者 / 発議者 as published, spaces squeezed.
    pub submitter: String,
    /// House of origin (`衆` / `参`), from 先議区分 or the kind; empty if unknown.
    pub origin_house: String,
    /// The sessions (審議回次) whose pages were read, ascending.
    pub sessions: Vec<u32>,
    /// The publisher's own status text (衆議院 審議状況: `成立`, `衆議院で審議中`, …); may be empty.
    pub status: String,
    /// Current overall stage (`submitted` … `promulgated`, `sent_to_other_house`, `enacted`).
    pub stage: String,
    /// 提出日.
    pub submitted_on: Option<NaiveDate>,
    /// House of Representatives (衆議院).
    #[table(flatten, prefix = "hor_")]
    pub hor: HouseProgress,
    /// House of Councillors (参議院).
    #[table(flatten, prefix = "hoc_")]
    pub hoc: HouseProgress,
    /// 公布年月日.
    pub promulgated_on: Option<NaiveDate>,
    /// 法律番号 (`87`), as published.
    pub law_number: String,
    /// 備考, whitespace normalized.
    pub remarks: String,
    /// Where it came from (the last page or row merged into it).
    #[table(flatten)]
    pub provenance: Provenance,
}

impl Bill {
    /// The natural key used by the diff and the `bills` command.
    pub fn key(&self) -> String {
        self.bill_key.clone()
    }

    /// The latest date the row records (any stage of either house, or promulgation).
    pub fn latest_date(&self) -> Option<NaiveDate> {
        let h = |p: &HouseProgress| [p.received_on, p.referred_on, p.committee_on, p.plenary_on];
        h(&self.hor)
            .into_iter()
            .chain(h(&self.hoc))
            .chain([self.submitted_on, self.promulgated_on])
            .flatten()
            .max()
    }

    /// Merge another page or row of the same bill into this one. The row of the later
    /// session (審議回次) wins where both have a value; an empty value never erases what
    /// another page recorded, so a later, emptier session page loses no facts.
    pub fn merge(&mut self, other: Bill) {
        // Pages without a session (a 衆議院 経過 page) are ordered by their latest date.
        let newer = (other.sessions.iter().max(), other.latest_date())
            >= (self.sessions.iter().max(), self.latest_date());
        let s = |a: &mut String, b: String| {
            if !b.trim().is_empty() && (newer || a.trim().is_empty()) {
                *a = b;
            }
        };
        let d = |a: &mut Option<NaiveDate>, b: Option<NaiveDate>| {
            if b.is_some() && (newer || a.is_none()) {
                *a = b;
            }
        };
        let h = |a: &mut HouseProgress, b: HouseProgress| {
            s(&mut a.stage, b.stage);
            d(&mut a.received_on, b.received_on);
            d(&mut a.referred_on, b.referred_on);
            s(&mut a.committee, b.committee);
            d(&mut a.committee_on, b.committee_on);
            s(&mut a.committee_result, b.committee_result);
            d(&mut a.plenary_on, b.plenary_on);
            s(&mut a.plenary_result, b.plenary_result);
            s(&mut a.vote_manner, b.vote_manner);
            s(&mut a.vote_method, b.vote_method);
            s(&mut a.groups_for, b.groups_for);
            s(&mut a.groups_against, b.groups_against);
        };
        s(&mut self.kind, other.kind);
        s(&mut self.title, other.title);
        s(&mut self.submitter, other.submitter);
        s(&mut self.origin_house, other.origin_house);
        s(&mut self.status, other.status);
        s(&mut self.stage, other.stage);
        d(&mut self.submitted_on, other.submitted_on);
        h(&mut self.hor, other.hor);
        h(&mut self.hoc, other.hoc);
        d(&mut self.promulgated_on, other.promulgated_on);
        s(&mut self.law_number, other.law_number);
        s(&mut self.remarks, other.remarks);
        if newer {
            self.provenance = other.provenance;
        }
        for x in other.sessions {
            if !self.sessions.contains(&x) {
                self.sessions.push(x);
            }
        }
        self.sessions.sort_unstable();
    }
}

/// The content rows of one extraction, by table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rows {
    /// Rows for `figures`.
    pub figures: Vec<Figure>,
    /// Rows for `events`.
    pub events: Vec<Event>,
    /// Rows for `statements`.
    pub statements: Vec<Statement>,
    /// Rows for `notices`.
    pub notices: Vec<Notice>,
    /// Rows for `bills` (one per bill key; see [`Rows::extend`]).
    pub bills: Vec<Bill>,
}

impl Rows {
    /// Rows per content table, by table name, in the store's order.
    pub fn counts(&self) -> [(&'static str, usize); 5] {
        [
            (Figure::NAME, self.figures.len()),
            (Event::NAME, self.events.len()),
            (Statement::NAME, self.statements.len()),
            (Notice::NAME, self.notices.len()),
            (Bill::NAME, self.bills.len()),
        ]
    }

    /// Total content rows.
    pub fn len(&self) -> usize {
        self.counts().iter().map(|(_, n)| n).sum()
    }

    /// True when there are no rows at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Append another set of rows (sources with several targets).
    pub fn extend(&mut self, other: Rows) {
        self.figures.extend(other.figures);
        self.events.extend(other.events);
        self.statements.extend(other.statements);
        self.notices.extend(other.notices);
        for b in other.bills {
            self.push_bill(b);
        }
        self.dedupe_bill_events();
    }

    /// Add a bill, merging it into an earlier row with the same key ([`Bill::merge`]):
    /// a bill has one page per session it sits in, and an emptier later page never
    /// erases what an earlier one recorded.
    pub fn push_bill(&mut self, bill: Bill) {
        match self.bills.iter_mut().find(|b| b.bill_key == bill.bill_key) {
            Some(b) => b.merge(bill),
            None => self.bills.push(bill),
        }
    }

    /// Keep one `bill_stage` event per id (the later one, keeping an earlier date when
    /// the later page has none), at the place of the first.
    fn dedupe_bill_events(&mut self) {
        let mut first: std::collections::HashMap<String, usize> = Default::default();
        let mut out: Vec<Event> = Vec::with_capacity(self.events.len());
        for e in std::mem::take(&mut self.events) {
            if e.kind != "bill_stage" {
                out.push(e);
                continue;
            }
            match first.get(&e.event_id) {
                None => {
                    first.insert(e.event_id.clone(), out.len());
                    out.push(e);
                }
                Some(&j) => {
                    let earlier_date = out[j].date;
                    out[j] = e;
                    if out[j].date.is_none() {
                        out[j].date = earlier_date;
                    }
                }
            }
        }
        self.events = out;
    }
}

/// What `mynawatch discover` found for one issuer and scheme (`municipal_pages` table):
/// its own table, one file per discover run; not part of [`Rows`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Table)]
#[table(name = "municipal_pages")]
pub struct MunicipalPage {
    /// 6-digit area code with check digit.
    pub area_code: String,
    /// `東京都渋谷区`.
    pub area_name: String,
    /// `東京都`.
    pub prefecture: String,
    /// `kokuho` or `koki` (as in `notices.scheme`); empty when not found or unclear.
    pub scheme: String,
    /// The notice page; empty unless `status` is `found`.
    pub url: String,
    /// The classifier's score (higher is surer).
    pub score: i64,
    /// The deciding sentence and the signals that counted, or why nothing was found.
    pub evidence: String,
    /// `found`, `not_found`, `site_unreachable` or `robots_denied`.
    pub status: String,
    /// The site's URL from the list.
    pub site_url: String,
    /// Where the site's home page landed after redirects, when on another host; or the
    /// site root the crawl started from when the listed page was gone (404/410).
    pub redirected_to: String,
    /// Pages fetched on this site.
    pub pages_fetched: i64,
    /// When discovery finished this issuer (UTC).
    pub discovered_at: DateTime<Utc>,
    /// The discover run.
    pub run_id: String,
}

crate::string_cell!(
    Qualifier,
    [
        Qualifier::Approx,
        Qualifier::AtLeast,
        Qualifier::Over,
        Qualifier::Under,
        Qualifier::AtMost
    ]
);
crate::string_cell!(
    FigureStatus,
    [
        FigureStatus::Final,
        FigureStatus::Preliminary,
        FigureStatus::Revised,
        FigureStatus::Suppressed,
        FigureStatus::Missing
    ]
);
crate::string_cell!(
    ChangeKind,
    [
        ChangeKind::Added,
        ChangeKind::Removed,
        ChangeKind::Modified,
        ChangeKind::Revised,
        ChangeKind::NoticeTextChanged,
        ChangeKind::SourceBroken,
        ChangeKind::SourceRecovered
    ]
);
crate::string_cell!(
    FetchOutcome,
    [
        FetchOutcome::Fetched,
        FetchOutcome::NotModified,
        FetchOutcome::Failed,
        FetchOutcome::SkippedRobots
    ]
);
crate::string_cell!(
    RunStatus,
    [RunStatus::Ok, RunStatus::Partial, RunStatus::Failed]
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_sits_two_folders_down_named_by_its_hash() {
        let sha = "ab".repeat(32);
        assert!(is_sha256_hex(&sha));
        assert_eq!(snapshot_rel_path(&sha), format!("snapshots/ab/ab/{sha}"));
        assert!(!is_sha256_hex("abc"));
        assert!(!is_sha256_hex(&"zz".repeat(32)));
    }
}
