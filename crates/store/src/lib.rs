//! mynawatch's tables: Parquet files under `<data>/tables/<table>/`, the per-source
//! state under `<data>/state/`, the keyed diff ([`diff`]) and SQL over the tables.
//!
//! Files are written atomically (temp file in the same folder, fsync, rename) and never
//! rewritten: a table is the union of its files, in hive-style partition folders
//! ([`partition_path`]), so DuckDB, polars, Spark or pyarrow read
//! `tables/<table>/**/*.parquet` as it is and prune by month. Readers here
//! ignore temp files left by a crash.
//! Schemas are documented in this crate's README.
//!
//! It owns durability: the data folder's run lock ([`RunLock`]) and the commit protocol
//! that publishes a run's files all at once or not at all ([`commit`]).
//!
//! This crate does not fetch or extract; it stores what it is given.
#![deny(missing_docs)]

pub mod columns;
pub mod commit;
pub mod diff;
mod lock;
mod render;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use mynawatch_model::table::Table;
use mynawatch_model::{
    Bill, Change, Event, ExtractionWarning, FetchRecord, Figure, MunicipalPage, Notice, Review,
    Rows, RunRecord, Statement,
};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

pub use lock::{RunLock, StaleLock};
pub use render::{render, OutputFormat};

/// A table of the store: what the store's API takes instead of a table's name. Its name
/// (folder, SQL name) is its row type's ([`TableName::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableName {
    /// [`Figure`] rows.
    Figures,
    /// [`Event`] rows.
    Events,
    /// [`Statement`] rows.
    Statements,
    /// [`Notice`] rows.
    Notices,
    /// [`Change`] rows.
    Changes,
    /// [`FetchRecord`] rows.
    Fetches,
    /// [`RunRecord`] rows.
    Runs,
    /// [`ExtractionWarning`] rows.
    Warnings,
    /// [`MunicipalPage`] rows.
    MunicipalPages,
    /// [`Bill`] rows.
    Bills,
    /// [`Review`] rows.
    Reviews,
}

impl TableName {
    /// The table's name: its folder under `tables/` and its name in SQL.
    pub const fn as_str(self) -> &'static str {
        match self {
            TableName::Figures => Figure::NAME,
            TableName::Events => Event::NAME,
            TableName::Statements => Statement::NAME,
            TableName::Notices => Notice::NAME,
            TableName::Changes => Change::NAME,
            TableName::Fetches => FetchRecord::NAME,
            TableName::Runs => RunRecord::NAME,
            TableName::Warnings => ExtractionWarning::NAME,
            TableName::MunicipalPages => MunicipalPage::NAME,
            TableName::Bills => Bill::NAME,
            TableName::Reviews => Review::NAME,
        }
    }

    /// The table called `name`, if any.
    pub fn parse(name: &str) -> Option<TableName> {
        TABLES.into_iter().find(|t| t.as_str() == name)
    }
}

impl std::fmt::Display for TableName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tables, in the order `query` registers them.
pub const TABLES: [TableName; 11] = [
    TableName::Figures,
    TableName::Events,
    TableName::Statements,
    TableName::Notices,
    TableName::Changes,
    TableName::Fetches,
    TableName::Runs,
    TableName::Warnings,
    TableName::MunicipalPages,
    TableName::Bills,
    TableName::Reviews,
];

/// The analyst views `query` registers next to the tables: (view, table). Each holds the
/// latest version (the row of the latest run) of every natural key of its table.
pub const CURRENT_VIEWS: [(&str, TableName); 4] = [
    ("figures_current", TableName::Figures),
    ("notices_current", TableName::Notices),
    ("events_current", TableName::Events),
    ("statements_current", TableName::Statements),
];

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Polars failed (bad SQL, unreadable Parquet).
    #[error("{0}")]
    Polars(#[from] PolarsError),
    /// The state file is not valid JSON.
    #[error("state file {path}: {message}")]
    State {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// No such table.
    #[error("unknown table `{0}`")]
    UnknownTable(String),
    /// Another live process holds the data folder's run lock.
    #[error(
        "another run ({run_id}, pid {pid}, since {since}) holds {path}; not starting a second run"
    )]
    LockHeld {
        /// The lock file.
        path: PathBuf,
        /// The holder's process id.
        pid: u32,
        /// The holder's run id.
        run_id: String,
        /// When the holder started.
        since: String,
    },
    /// A stored file whose columns cannot be made the table's (a column of another type).
    #[error("{path}: columns do not fit the table: {message}")]
    Schema {
        /// The file.
        path: PathBuf,
        /// What did not fit.
        message: String,
    },
    /// A table's rows could not be read back as its row type.
    #[error("table {table}: {message}")]
    Column {
        /// The table.
        table: &'static str,
        /// What did not fit.
        message: String,
    },
    /// A stored enum string this version does not know (written by a newer version?).
    #[error("table {table}, column {column}: unknown value `{value}`")]
    BadValue {
        /// The table.
        table: &'static str,
        /// The column.
        column: String,
        /// The stored string.
        value: String,
    },
}

fn io_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.into();
    move |source| StoreError::Io { path, source }
}

/// What the pipeline remembers about one source between runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceState {
    /// The source's family.
    pub family: String,
    /// The run whose rows are the source's last good extraction.
    pub last_good_run: Option<String>,
    /// sha256 of the documents of the last good extraction, sorted.
    pub last_good_snapshots: Vec<String>,
    /// `extracted`, `unchanged`, `fetch_failed`, `broken`.
    pub last_outcome: String,
    /// The last failure's cause.
    pub last_error: Option<String>,
    /// The last run that looked at the source.
    pub last_run: Option<String>,
    /// Failed runs in a row.
    pub consecutive_failures: u32,
    /// When the current failure streak began.
    pub broken_since: Option<DateTime<Utc>>,
    /// A `source_broken` alert was sent for the current streak.
    pub broken_alerted: bool,
    /// The source's first URL.
    pub last_url: String,
}

/// Source id → state.
pub type SourceStates = BTreeMap<String, SourceState>;

/// `mynawatch changes --since`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// Changes of this run and later ones (run ids sort by time).
    RunId(String),
    /// Changes detected on or after this day (UTC).
    Date(NaiveDate),
}

/// The fetch log as re-extraction reads it ([`Store::snapshot_fetches`]).
#[derive(Debug, Default)]
pub struct SnapshotFetches {
    /// (source id, snapshot sha256) → the newest fetch that stored or confirmed it.
    pub newest: std::collections::HashMap<(String, String), FetchRecord>,
    /// Source id → every URL (requested or final) of those fetches.
    pub urls: std::collections::HashMap<String, std::collections::BTreeSet<String>>,
}

/// A data folder's tables and state.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    /// Content files read back by [`Store::load_rows`], by path: one run's file holds every
    /// source of that run, and several sources' last good rows come from it.
    read_back: std::sync::Arc<std::sync::Mutex<BTreeMap<PathBuf, DataFrame>>>,
    /// What dates the store's own files (compaction outputs).
    clock: mynawatch_model::clock::SharedClock,
}

impl Store {
    /// Open (and create) the store in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        for t in TABLES {
            let dir = data_dir.join("tables").join(t.as_str());
            std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        }
        let state = data_dir.join("state");
        std::fs::create_dir_all(&state).map_err(io_err(&state))?;
        Ok(Store {
            root: data_dir.to_path_buf(),
            read_back: Default::default(),
            clock: mynawatch_model::clock::system(),
        })
    }

    /// The same store, dating its own files by `clock` (a run's or a simulation's).
    pub fn with_clock(mut self, clock: mynawatch_model::clock::SharedClock) -> Store {
        self.clock = clock;
        self
    }

    fn table_dir(&self, table: TableName) -> PathBuf {
        self.root.join("tables").join(table.as_str())
    }

    /// Write one extraction's rows: one file per non-empty table,
    /// `tables/<table>/source=<source_id>/run_month=<YYYY-MM>/<run_id>__<source_id>.parquet`
    /// (see [`partition_path`]). This is the staging layout: before a run commits,
    /// [`Store::merge_run`] joins its sources into one file per table.
    pub fn write_rows(&self, run_id: &str, source_id: &str, rows: &Rows) -> Result<(), StoreError> {
        let name = partition_path(run_id, Some(source_id));
        if !rows.figures.is_empty() {
            self.write(TableName::Figures, &name, columns::frame(&rows.figures)?)?;
        }
        if !rows.events.is_empty() {
            self.write(TableName::Events, &name, columns::frame(&rows.events)?)?;
        }
        if !rows.statements.is_empty() {
            self.write(
                TableName::Statements,
                &name,
                columns::frame(&rows.statements)?,
            )?;
        }
        if !rows.notices.is_empty() {
            self.write(TableName::Notices, &name, columns::frame(&rows.notices)?)?;
        }
        if !rows.bills.is_empty() {
            self.write(TableName::Bills, &name, columns::frame(&rows.bills)?)?;
        }
        Ok(())
    }

    /// Read back the rows `source_id` published in run `run_id`: from the run's file
    /// (`run_month=<YYYY-MM>/<run_id>.parquet`), or, once compacted or from an older layout,
    /// from whichever file of that month holds them (filtered by `run_id` and `source_id`).
    pub fn load_rows(&self, run_id: &str, source_id: &str) -> Result<Rows, StoreError> {
        let read = |table: TableName| -> Result<Option<DataFrame>, StoreError> {
            let dir = self.table_dir(table);
            // Layouts before one-file-per-run: the source's own file, by name.
            let own = format!("{}__{}.parquet", safe(run_id), safe(source_id));
            for path in [
                dir.join(partition_path(run_id, Some(source_id))),
                dir.join(&own),
            ] {
                if path.exists() {
                    return read_parquet(&path).map(Some);
                }
            }
            let month = format!("run_month={}", run_month(run_id));
            let mut files = parquet_files(&dir.join(&month))?;
            // A per-source folder of an older layout, compacted before it was moved.
            files.extend(parquet_files(
                &dir.join(format!("source={}", safe(source_id))).join(&month),
            )?);
            // The run's own file first, then the month's others (compacted, migrated).
            let first = format!("{}.parquet", safe(run_id));
            files.sort_by_key(|p| (file_name(p) != first && file_name(p) != own, p.clone()));
            for path in files {
                let df = self.read_back(&path)?;
                let mine = df
                    .lazy()
                    .filter(
                        col("run_id")
                            .eq(lit(run_id))
                            .and(col("source_id").eq(lit(source_id))),
                    )
                    .collect()?;
                if mine.height() > 0 {
                    return Ok(Some(mine));
                }
            }
            Ok(None)
        };
        let mut rows = Rows::default();
        if let Some(df) = read(TableName::Figures)? {
            rows.figures = columns::read::<Figure>(&df)?;
        }
        if let Some(df) = read(TableName::Events)? {
            rows.events = columns::read::<Event>(&df)?;
        }
        if let Some(df) = read(TableName::Statements)? {
            rows.statements = columns::read::<Statement>(&df)?;
        }
        if let Some(df) = read(TableName::Notices)? {
            rows.notices = columns::read::<Notice>(&df)?;
        }
        if let Some(df) = read(TableName::Bills)? {
            rows.bills = columns::read::<Bill>(&df)?;
        }
        Ok(rows)
    }

    /// A content file, read once per store handle.
    fn read_back(&self, path: &Path) -> Result<DataFrame, StoreError> {
        let mut cache = self.read_back.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(df) = cache.get(path) {
            return Ok(df.clone());
        }
        let df = read_parquet(path)?;
        cache.insert(path.to_path_buf(), df.clone());
        Ok(df)
    }

    /// Join the per-source files a run staged into one file per content table
    /// (`tables/<table>/run_month=<YYYY-MM>/<run_id>.parquet`), so a run adds one file per
    /// table however many sources it read. Called on the staging store before the commit
    /// record is written (a run killed meanwhile publishes nothing).
    pub fn merge_run(&self, run_id: &str) -> Result<(), StoreError> {
        let prefix = format!("{}__", safe(run_id));
        for t in CONTENT_TABLES {
            let inputs: Vec<PathBuf> = parquet_files(&self.table_dir(t))?
                .into_iter()
                .filter(|p| file_name(p).starts_with(&prefix))
                .collect();
            if inputs.is_empty() {
                continue;
            }
            let target = self.table_dir(t).join(partition_path(run_id, None));
            write_joined(&target, t, &inputs)?;
            for p in &inputs {
                std::fs::remove_file(p).map_err(io_err(p))?;
                // Drop the emptied `source=…/run_month=…` folders.
                for dir in p.ancestors().skip(1).take(2) {
                    let _ = std::fs::remove_dir(dir);
                }
            }
        }
        Ok(())
    }

    /// Write a run's fetch log (`tables/fetches/run_month=<YYYY-MM>/<run_id>.parquet`).
    pub fn append_fetches(&self, run_id: &str, recs: &[FetchRecord]) -> Result<(), StoreError> {
        if recs.is_empty() {
            return Ok(());
        }
        self.write(
            TableName::Fetches,
            &partition_path(run_id, None),
            columns::frame(recs)?,
        )
    }

    /// Write a run's changes (`tables/changes/run_month=<YYYY-MM>/<run_id>.parquet`), if any.
    pub fn append_changes(&self, run_id: &str, changes: &[Change]) -> Result<(), StoreError> {
        if changes.is_empty() {
            return Ok(());
        }
        self.write(
            TableName::Changes,
            &partition_path(run_id, None),
            columns::frame(changes)?,
        )
    }

    /// Write a run's extraction warnings (`tables/warnings/run_month=<YYYY-MM>/<run_id>.parquet`), if any.
    pub fn append_warnings(
        &self,
        run_id: &str,
        warnings: &[mynawatch_model::ExtractionWarning],
    ) -> Result<(), StoreError> {
        if warnings.is_empty() {
            return Ok(());
        }
        self.write(
            TableName::Warnings,
            &partition_path(run_id, None),
            columns::frame(warnings)?,
        )
    }

    /// Every stored extraction warning, oldest run first.
    pub fn load_warnings(&self) -> Result<Vec<mynawatch_model::ExtractionWarning>, StoreError> {
        let df = self.scan(TableName::Warnings)?.collect()?;
        let mut out = columns::read::<ExtractionWarning>(&df)?;
        out.sort_by(|a, b| a.run_id.cmp(&b.run_id));
        Ok(out)
    }

    /// Write one batch of reviews (`tables/reviews/run_month=<YYYY-MM>/<batch_id>.parquet`).
    /// The caller holds the data folder's lock.
    pub fn append_reviews(&self, batch_id: &str, reviews: &[Review]) -> Result<(), StoreError> {
        if reviews.is_empty() {
            return Ok(());
        }
        self.write(
            TableName::Reviews,
            &partition_path(batch_id, None),
            columns::frame(reviews)?,
        )
    }

    /// Every review, oldest first.
    pub fn load_reviews(&self) -> Result<Vec<Review>, StoreError> {
        let df = self.scan(TableName::Reviews)?.collect()?;
        let mut out = columns::read::<Review>(&df)?;
        out.sort_by_key(|r| r.at);
        Ok(out)
    }

    /// Write a run's `runs` row.
    pub fn write_run(&self, run: &RunRecord) -> Result<(), StoreError> {
        self.write(
            TableName::Runs,
            &partition_path(&run.run_id, None),
            columns::frame(std::slice::from_ref(run))?,
        )
    }

    /// Changes, oldest run first (file order within a run), optionally only those of
    /// run `RunId` and later (run ids sort by time) or detected on or after `Date` (UTC).
    pub fn load_changes(&self, since: Option<Since>) -> Result<Vec<Change>, StoreError> {
        let df = self.scan(TableName::Changes)?.collect()?;
        let mut out = columns::read::<Change>(&df)?;
        match since {
            None => {}
            Some(Since::RunId(r)) => out.retain(|c| c.run_id >= r),
            Some(Since::Date(d)) => out.retain(|c| c.detected_at.date_naive() >= d),
        }
        // Stable sort: the order inside one run is the diff's deterministic order.
        out.sort_by(|a, b| a.run_id.cmp(&b.run_id));
        Ok(out)
    }

    /// Write one discover run's `municipal_pages` rows
    /// (`tables/municipal_pages/run_month=<YYYY-MM>/<run_id>.parquet`).
    pub fn write_municipal_pages(
        &self,
        run_id: &str,
        rows: &[mynawatch_model::MunicipalPage],
    ) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        self.write(
            TableName::MunicipalPages,
            &partition_path(run_id, None),
            columns::frame(rows)?,
        )
    }

    /// Every `municipal_pages` row of every discover run.
    pub fn load_municipal_pages(&self) -> Result<Vec<mynawatch_model::MunicipalPage>, StoreError> {
        let df = self.scan(TableName::MunicipalPages)?.collect()?;
        columns::read::<MunicipalPage>(&df)
    }

    /// Every run record, oldest first.
    pub fn load_runs(&self) -> Result<Vec<RunRecord>, StoreError> {
        let df = self.scan(TableName::Runs)?.collect()?;
        let mut out = columns::read::<RunRecord>(&df)?;
        out.sort_by(|a, b| a.run_id.cmp(&b.run_id));
        Ok(out)
    }

    /// What re-extraction needs of the fetch log: per source and snapshot, the newest fetch
    /// that stored or confirmed it, and every URL each source fetched. Read file by file
    /// (a month after compaction), so a year of daily 304s is never held at once.
    pub fn snapshot_fetches(&self) -> Result<SnapshotFetches, StoreError> {
        let mut out = SnapshotFetches::default();
        for file in self.files(TableName::Fetches)? {
            let df =
                Self::scan_files(TableName::Fetches, std::slice::from_ref(&file))?.collect()?;
            for f in columns::read::<FetchRecord>(&df)? {
                let confirmed = matches!(
                    f.outcome,
                    mynawatch_model::FetchOutcome::Fetched
                        | mynawatch_model::FetchOutcome::NotModified
                );
                let Some(sha) = f.sha256.clone().filter(|_| confirmed) else {
                    continue;
                };
                let urls = out.urls.entry(f.source_id.clone()).or_default();
                for u in [&f.url, &f.final_url] {
                    if !u.is_empty() {
                        urls.insert(u.clone());
                    }
                }
                let key = (f.source_id.clone(), sha);
                match out.newest.get(&key) {
                    // On equal times the later record wins, as the log's order says.
                    Some(old) if old.fetched_at > f.fetched_at => {}
                    _ => {
                        out.newest.insert(key, f);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Every fetch record.
    pub fn load_fetches(&self) -> Result<Vec<FetchRecord>, StoreError> {
        let df = self.scan(TableName::Fetches)?.collect()?;
        columns::read(&df)
    }

    /// The per-source state (`state/sources.json`); empty when none yet.
    pub fn source_states(&self) -> Result<SourceStates, StoreError> {
        let path = self.root.join("state").join("sources.json");
        match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| StoreError::State {
                path,
                message: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SourceStates::new()),
            Err(e) => Err(io_err(path)(e)),
        }
    }

    /// Replace the per-source state atomically.
    pub fn save_source_states(&self, s: &SourceStates) -> Result<(), StoreError> {
        let path = self.root.join("state").join("sources.json");
        let bytes = serde_json::to_vec_pretty(s).expect("state serializes");
        write_atomic(&path, &bytes)
    }

    /// A lazy scan over a table's files (an empty frame with its schema when none).
    pub fn scan(&self, table: TableName) -> Result<LazyFrame, StoreError> {
        let files = parquet_files(&self.table_dir(table))?;
        Self::scan_files(table, &files)
    }

    /// A lazy scan of some of `table`'s files (see [`Store::scan`]).
    fn scan_files(table: TableName, files: &[PathBuf]) -> Result<LazyFrame, StoreError> {
        if files.is_empty() {
            return Ok(columns::empty(table)?.lazy());
        }
        // One scan over the file list, not a union of scans: polars' count(*) pushdown
        // over a union needs 128-bit integers. The folder keys (`source=`, `run_month=`)
        // are not added as columns: a table has the same columns in every layout.
        // The table's schema as written today: files written before a column was added
        // read it as null instead of failing the scan.
        let args = ScanArgsParquet {
            hive_options: HiveOptions {
                enabled: Some(false),
                ..HiveOptions::default()
            },
            glob: false,
            schema: Some(Arc::new(columns::empty(table)?.schema().as_ref().clone())),
            allow_missing_columns: true,
            ..ScanArgsParquet::default()
        };
        let paths = files
            .iter()
            .map(|p| PlRefPath::new(p.to_string_lossy().as_ref()))
            .collect();
        Ok(LazyFrame::scan_parquet_files(paths, args)?)
    }

    /// The finished Parquet files of a table (every partition folder; temp files and
    /// the leftovers of a crashed write are not listed), sorted by path.
    pub fn files(&self, table: TableName) -> Result<Vec<PathBuf>, StoreError> {
        parquet_files(&self.table_dir(table))
    }

    /// Run SQL over all tables.
    pub fn query(&self, sql: &str) -> Result<DataFrame, StoreError> {
        let mut ctx = polars::sql::SQLContext::new();
        for t in TABLES {
            ctx.register(t.as_str(), self.scan(t)?);
        }
        for (view, table) in CURRENT_VIEWS {
            ctx.register(view, self.scan_current(table)?);
        }
        Ok(ctx.execute(sql)?.collect()?)
    }

    /// Write `df` to `rel` (a path below the table folder) atomically.
    fn write(&self, table: TableName, rel: &Path, df: DataFrame) -> Result<(), StoreError> {
        write_parquet(&self.table_dir(table).join(rel), df)
    }
}

/// Write a Parquet file durably ([`mynawatch_durable::write_atomic_with`]).
fn write_parquet(path: &Path, mut df: DataFrame) -> Result<(), StoreError> {
    write_parquet_with(path, |f| {
        ParquetWriter::new(f)
            .with_compression(ParquetCompression::Zstd(None))
            .finish(&mut df)?;
        Ok(())
    })
}

/// A Parquet file written durably ([`mynawatch_durable::write_atomic_with`]) by `fill`;
/// an error of `fill` comes back as itself, not as the I/O error the durable write sees.
fn write_parquet_with(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut failed: Option<StoreError> = None;
    let written = mynawatch_durable::write_atomic_with(path, |f| {
        fill(f).map_err(|e| {
            let io = std::io::Error::other(e.to_string());
            failed = Some(e);
            io
        })
    });
    match (written, failed) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(e)) => Err(e),
        (Err(e), None) => Err(io_err(path)(e)),
    }
}

/// The natural key of a content table (as the diff keys rows): figures by source, metric,
/// area, dimensions and dates; notices by source and area code (the URL when the code is
/// empty); events by id; statements by event and turn.
fn natural_key(table: TableName) -> Result<Vec<Expr>, StoreError> {
    Ok(match table {
        TableName::Figures => [
            "source_id",
            "metric",
            "area_code",
            "dimensions",
            "as_of",
            "period_start",
            "period_end",
        ]
        .map(col)
        .to_vec(),
        TableName::Notices => vec![
            col("source_id"),
            when(col("area_code").eq(lit("")))
                .then(col("url"))
                .otherwise(col("area_code")),
        ],
        TableName::Events => vec![col("event_id")],
        TableName::Statements => vec![col("event_id"), col("turn")],
        other => return Err(StoreError::UnknownTable(format!("{other}_current"))),
    })
}

impl Store {
    /// The rows of the latest run of each natural key of `table`, as the readers wrote
    /// them (no review applied).
    pub fn scan_latest(&self, table: TableName) -> Result<LazyFrame, StoreError> {
        let latest = col("run_id").max().over(natural_key(table)?)?;
        Ok(self.scan(table)?.filter(col("run_id").eq(latest)))
    }

    /// The latest figures whose metric starts with `prefix` (`survey.`), as written.
    pub fn latest_figures(&self, prefix: &str) -> Result<Vec<mynawatch_model::Figure>, StoreError> {
        let df = self
            .scan_latest(TableName::Figures)?
            .filter(col("metric").str().starts_with(lit(prefix)))
            .collect()?;
        columns::read::<Figure>(&df)
    }

    /// `<table>_current`: the rows of the latest run of each natural key of `table`
    /// (see [`CURRENT_VIEWS`]).
    ///
    /// `notices_current` and `figures_current` apply people's reviews
    /// ([`mynawatch_model::review`]): a corrected field shows the reviewed value, and the
    /// column `review_status` says `machine`, `confirmed`, `corrected` or `stale` (reviewed on
    /// an earlier version of the page: the reader's value is shown again).
    pub fn scan_current(&self, table: TableName) -> Result<LazyFrame, StoreError> {
        let current = self.scan_latest(table)?;
        if !matches!(table, TableName::Notices | TableName::Figures) {
            return Ok(current);
        }
        let reviews = self.load_reviews()?;
        let latest = mynawatch_model::review::latest(&reviews, table.as_str());
        if latest.is_empty() {
            return Ok(current.with_column(
                lit(mynawatch_model::ReviewStatus::Machine.as_str()).alias("review_status"),
            ));
        }
        // Reviews are few: the reviewed rows are read into rows, corrected, and put back.
        let df = current.collect()?;
        let (mut frame, status) = match table {
            TableName::Notices => {
                let mut rows = columns::read::<Notice>(&df)?;
                let status: Vec<&str> = rows
                    .iter_mut()
                    .map(|n| mynawatch_model::review::apply_to_notice(n, &latest).as_str())
                    .collect();
                (columns::frame(&rows)?, status)
            }
            _ => {
                let mut rows = columns::read::<Figure>(&df)?;
                let status: Vec<&str> = rows
                    .iter_mut()
                    .map(|f| mynawatch_model::review::apply_to_figure(f, &latest).as_str())
                    .collect();
                (columns::frame(&rows)?, status)
            }
        };
        frame.with_column(Column::new("review_status".into(), status))?;
        Ok(frame.lazy())
    }

    /// `mynawatch compact`: merge the files of each partition folder (a table's month) into
    /// one. Rows are copied unchanged and stay in their partition, so every query over the
    /// tables answers the same; the pipeline finds a source's last good rows by run and
    /// source, not by file name ([`Store::load_rows`]). Files written before a column was
    /// added get it as null; a folder whose files cannot share the table's columns is left
    /// as it is (`Compacted::skipped`). The merged file is written and renamed into place before its
    /// inputs are removed; a journal (`.compact.json` in the partition folder) names the
    /// inputs so a compaction killed half-way is finished by the next one. The caller holds
    /// the run lock.
    pub fn compact(&self) -> Result<Vec<Compacted>, StoreError> {
        let mut out = Vec::new();
        for t in TABLES {
            for dir in folders(&self.table_dir(t))? {
                finish_compaction(&dir)?;
            }
            let mut by_folder: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
            for p in parquet_files(&self.table_dir(t))? {
                let folder = p.parent().expect("files live in a folder").to_path_buf();
                by_folder.entry(folder).or_default().push(p);
            }
            let mut done = Compacted {
                table: t.to_string(),
                ..Compacted::default()
            };
            for (dir, inputs) in by_folder {
                if inputs.len() < 2 {
                    continue;
                }
                let names: Vec<String> = inputs.iter().map(|p| file_name(p)).collect();
                // Dated by the store's clock; the inputs' digest keeps two compactions at
                // one instant (a stopped clock) apart.
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::hash::Hash::hash(&names, &mut h);
                let name = format!(
                    "compact-{}-{:08x}.parquet",
                    self.clock.now().format("%Y%m%dT%H%M%S%.6fZ"),
                    std::hash::Hasher::finish(&h) as u32
                );
                let body = serde_json::json!({ "output": name, "inputs": names });
                write_atomic(&dir.join(".compact.json"), body.to_string().as_bytes())?;
                // Joined like a run's files: in bounded batches, old files given today's
                // columns. A folder whose files cannot share them is left as it is (the
                // journal names an output that was never published, so it is dropped).
                match write_joined(&dir.join(&name), t, &inputs) {
                    Ok(rows) => {
                        done.files_in += inputs.len();
                        done.rows += rows;
                        done.files_out += 1;
                    }
                    Err(StoreError::Schema { path, message }) => {
                        done.skipped = Some(format!(
                            "files in {} cannot share the table's columns ({}: {message})",
                            dir.display(),
                            path.display()
                        ));
                    }
                    Err(e) => return Err(e),
                }
                finish_compaction(&dir)?;
            }
            if done.files_in > 0 || done.skipped.is_some() {
                out.push(done);
            }
        }
        Ok(out)
    }

    /// Move the files of a store written by an older layout into `run_month=` folders:
    /// flat `tables/<table>/*.parquet`, and content files partitioned by source
    /// (`source=<id>/run_month=<M>/<run>__<id>.parquet` → `run_month=<M>/<run>__<id>.parquet`).
    /// Named files are renamed (atomic, one at a time); an old flat `compact-*` file is
    /// split by month, each part written atomically, and removed last, so a migration
    /// killed half-way is finished by the next one. Readers read every layout, so nothing
    /// is missed meanwhile. Returns how many files were moved. The caller holds the run
    /// lock.
    pub fn migrate_layout(&self) -> Result<usize, StoreError> {
        let mut moved = 0;
        for t in TABLES {
            let dir = self.table_dir(t);
            finish_compaction(&dir)?;
            let per_source = CONTENT_TABLES.contains(&t);
            let flat: Vec<PathBuf> = parquet_files(&dir)?
                .into_iter()
                .filter(|p| p.parent() == Some(dir.as_path()))
                .collect();
            for p in flat {
                let name = file_name(&p);
                let stem = name.trim_end_matches(".parquet");
                let named = match stem.split_once("__") {
                    Some((run, _)) if per_source => {
                        Some(PathBuf::from(format!("run_month={}", run_month(run))).join(&name))
                    }
                    None if !per_source && !stem.starts_with("compact-") => {
                        Some(partition_path(stem, None))
                    }
                    _ => None,
                };
                if let Some(rel) = named {
                    let to = dir.join(rel);
                    let parent = to.parent().expect("partition folder");
                    std::fs::create_dir_all(parent).map_err(io_err(parent))?;
                    mynawatch_durable::rename_durable(&p, &to).map_err(io_err(&to))?;
                } else {
                    self.split_into_partitions(t, &p)?;
                    std::fs::remove_file(&p).map_err(io_err(&p))?;
                }
                moved += 1;
            }
            if per_source {
                moved += self.unfold_sources(&dir)?;
            }
        }
        Ok(moved)
    }

    /// `source=<id>/run_month=<M>/<file>` → `run_month=<M>/<file>` (a compaction output
    /// gets the source in its name, so two sources' outputs never collide).
    fn unfold_sources(&self, dir: &Path) -> Result<usize, StoreError> {
        let mut moved = 0;
        for source_dir in subfolders(dir)?
            .into_iter()
            .filter(|d| file_name(d).starts_with("source="))
        {
            let source = file_name(&source_dir)["source=".len()..].to_string();
            for month in subfolders(&source_dir)? {
                finish_compaction(&month)?;
                for p in parquet_files(&month)? {
                    let name = file_name(&p);
                    let name = if name.starts_with("compact-") {
                        format!("{}-{source}.parquet", name.trim_end_matches(".parquet"))
                    } else {
                        name
                    };
                    let to = dir.join(file_name(&month)).join(name);
                    mynawatch_durable::rename_durable(&p, &to).map_err(io_err(&to))?;
                    moved += 1;
                }
                let _ = std::fs::remove_dir(&month);
            }
            let _ = std::fs::remove_dir(&source_dir);
        }
        Ok(moved)
    }

    fn split_into_partitions(&self, table: TableName, path: &Path) -> Result<(), StoreError> {
        let df = read_parquet(path)?;
        let name = file_name(path);
        let mut groups: BTreeMap<PathBuf, Vec<IdxSize>> = BTreeMap::new();
        let runs = df.column("run_id")?.str()?.clone();
        for i in 0..df.height() {
            let run = runs.get(i).unwrap_or_default();
            let folder = PathBuf::from(format!("run_month={}", run_month(run)));
            groups.entry(folder).or_default().push(i as IdxSize);
        }
        for (folder, idx) in groups {
            let part = df.take(&IdxCa::from_vec("idx".into(), idx))?;
            self.write(table, &folder.join(&name), part)?;
        }
        Ok(())
    }
}

/// The content tables: one file per run (all its sources), partitioned by month.
const CONTENT_TABLES: [TableName; 5] = [
    TableName::Figures,
    TableName::Events,
    TableName::Statements,
    TableName::Notices,
    TableName::Bills,
];

/// Where a file lives below its table folder, in hive-style partition folders so DuckDB,
/// polars, Spark and pyarrow prune by month: `run_month=<YYYY-MM>/<run_id>.parquet` for a
/// run's file of any table (`source_id` `None`); a run's staging folder keeps one file per
/// source, `source=<source_id>/run_month=<YYYY-MM>/<run_id>__<source_id>.parquet`, until
/// [`Store::merge_run`] joins them. The folder keys are not columns of the files (a source
/// is the `source_id` column, which Parquet statistics make cheap to filter); `run_month`
/// is the UTC month of the run (its id starts with the run's time), `unknown` for an id
/// that does not.
pub fn partition_path(run_id: &str, source_id: Option<&str>) -> PathBuf {
    let mut p = PathBuf::new();
    if let Some(s) = source_id {
        p.push(format!("source={}", safe(s)));
    }
    p.push(format!("run_month={}", run_month(run_id)));
    p.push(match source_id {
        Some(s) => format!("{}__{}.parquet", safe(run_id), safe(s)),
        None => format!("{}.parquet", safe(run_id)),
    });
    p
}

/// `20261129T205400.123Z-1a2b` (or `discover-20261129T…`) → `2026-11`.
fn run_month(run_id: &str) -> String {
    let time = run_id.split_once('-').map_or(run_id, |(prefix, rest)| {
        if prefix.bytes().all(|b| b.is_ascii_alphabetic()) {
            rest
        } else {
            run_id
        }
    });
    let b = time.as_bytes();
    if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) {
        format!("{}-{}", &time[..4], &time[4..6])
    } else {
        "unknown".to_string()
    }
}

/// Rows buffered before they are written as one row group while joining files.
const JOIN_BUFFER_BYTES: usize = 32 << 20;

/// Write the rows of `inputs` (files of `table`) as one Parquet file at `path`, durably,
/// holding at most about [`JOIN_BUFFER_BYTES`] of rows at a time (a run of 10,000 notice
/// sources is never one frame in memory). Returns the rows written; a file whose columns
/// cannot be made the table's is [`StoreError::Schema`].
fn write_joined(path: &Path, table: TableName, inputs: &[PathBuf]) -> Result<usize, StoreError> {
    let schema = columns::empty(table)?.schema().as_ref().clone();
    let mut rows = 0;
    write_parquet_with(path, |f| {
        let mut w = ParquetWriter::new(f)
            .with_compression(ParquetCompression::Zstd(None))
            .batched(&schema)?;
        let mut buf: Option<DataFrame> = None;
        let flush = |buf: &mut Option<DataFrame>,
                     w: &mut polars::io::parquet::write::BatchedWriter<&mut std::fs::File>|
         -> Result<(), StoreError> {
            if let Some(mut df) = buf.take() {
                df.rechunk_mut();
                w.write_batch(&df)?;
            }
            Ok(())
        };
        for p in inputs {
            let df = conform(read_parquet(p)?, table).map_err(|e| StoreError::Schema {
                path: p.clone(),
                message: e.to_string(),
            })?;
            rows += df.height();
            match buf.as_mut() {
                None => buf = Some(df),
                Some(b) => {
                    b.vstack_mut(&df)?;
                }
            }
            if buf
                .as_ref()
                .is_some_and(|b| b.estimated_size() >= JOIN_BUFFER_BYTES)
            {
                flush(&mut buf, &mut w)?;
            }
        }
        flush(&mut buf, &mut w)?;
        w.finish()?;
        Ok(())
    })?;
    Ok(rows)
}

/// `df` with `table`'s columns as written today: a column added since the file was
/// written is null; the columns in the table's order.
fn conform(df: DataFrame, table: TableName) -> Result<DataFrame, StoreError> {
    let schema = columns::empty(table)?.schema().clone();
    if df.schema().as_ref() == schema.as_ref() {
        return Ok(df);
    }
    let exprs: Vec<Expr> = schema
        .iter()
        .map(|(name, dtype)| {
            if df.schema().contains(name) {
                col(name.clone()).cast(dtype.clone())
            } else {
                lit(NULL).cast(dtype.clone()).alias(name.clone())
            }
        })
        .collect();
    Ok(df.lazy().select(exprs).collect()?)
}

/// What `compact` did to one table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compacted {
    /// The table.
    pub table: String,
    /// Files merged.
    pub files_in: usize,
    /// Merged files written (one per partition folder that had files to merge).
    pub files_out: usize,
    /// Rows in the merged files.
    pub rows: usize,
    /// Why a folder was left as it was.
    pub skipped: Option<String>,
}

/// Finish or undo a compaction of `dir` that a kill interrupted: when the merged file
/// exists its inputs are removed; when it does not, nothing was published and the
/// journal is dropped.
fn finish_compaction(dir: &Path) -> Result<(), StoreError> {
    let journal = dir.join(".compact.json");
    let Ok(bytes) = std::fs::read(&journal) else {
        return Ok(());
    };
    let j: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| StoreError::State {
        path: journal.clone(),
        message: e.to_string(),
    })?;
    let output = j["output"].as_str().unwrap_or_default();
    if !output.is_empty() && dir.join(output).exists() {
        for name in j["inputs"].as_array().into_iter().flatten() {
            let p = dir.join(name.as_str().unwrap_or_default());
            if p.file_name().is_some() && p.exists() && p != dir.join(output) {
                std::fs::remove_file(&p).map_err(io_err(&p))?;
            }
        }
    }
    std::fs::remove_file(&journal).map_err(io_err(&journal))
}

/// A table folder and every partition folder below it (dot-prefixed entries skipped).
/// The folders right below `dir` (hidden ones left out), sorted.
fn subfolders(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries {
            let p = e.map_err(io_err(dir))?.path();
            if p.is_dir() && !file_name(&p).starts_with('.') {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn folders(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut out = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        if let Ok(entries) = std::fs::read_dir(&out[i]) {
            let mut sub = Vec::new();
            for e in entries {
                let p = e.map_err(io_err(&out[i]))?.path();
                if p.is_dir() && !file_name(&p).starts_with('.') {
                    sub.push(p);
                }
            }
            sub.sort();
            out.extend(sub);
        }
        i += 1;
    }
    Ok(out)
}

/// The finished Parquet files of a table folder and its partition folders (temp files
/// from a crash are ignored), sorted by path.
fn parquet_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut out = Vec::new();
    for folder in folders(dir)? {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for e in entries {
            let p = e.map_err(io_err(&folder))?.path();
            let name = file_name(&p);
            if !name.starts_with('.') && name.ends_with(".parquet") && p.is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn read_parquet(path: &Path) -> Result<DataFrame, StoreError> {
    let f = std::fs::File::open(path).map_err(io_err(path))?;
    Ok(ParquetReader::new(f).finish()?)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    mynawatch_durable::write_atomic(path, bytes).map_err(io_err(path))
}

/// Ids in file names: anything outside `[A-Za-z0-9_.-]` becomes `_`.
fn safe(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}
