//! Command-line arguments (raw values only; resolving them into a run happens in `main`).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// mynawatch: fetch, extract and watch the public record on Japan's My Number health insurance.
#[derive(Debug, Parser)]
#[command(name = "mynawatch", version, about, long_about = None)]
pub struct Args {
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line (for schedulers and log shippers).
    Json,
}

/// Output format of query-like commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An aligned table.
    Table,
    /// CSV with a header.
    Csv,
    /// One JSON object per line.
    Json,
}

/// Where the config and data are.
#[derive(Debug, Clone, clap::Args)]
pub struct Place {
    /// Config file.
    #[arg(
        long,
        short,
        default_value = "config/mynawatch.toml",
        env = "MYNAWATCH_CONFIG"
    )]
    pub config: PathBuf,
    /// Data folder (overrides `data_dir` in the config).
    #[arg(long, env = "MYNAWATCH_DATA")]
    pub data: Option<PathBuf>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// One full pipeline run. Exit 0 all ok, 3 some sources failed, 2 usage, 1 internal, 4 locked.
    Run {
        #[command(flatten)]
        place: Place,
        /// Only these source ids (comma-separated).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
    },
    /// Serve a demo site on loopback, run the pipeline on it twice with an update between, and report.
    Demo {
        /// Data folder for the demo (default: a fresh folder under the system temp dir).
        #[arg(long)]
        data: Option<PathBuf>,
        /// The real-data corpus the demo site is built from.
        #[arg(long, env = "MYNAWATCH_CORPUS", default_value = "../shared/corpus")]
        corpus: PathBuf,
    },
    /// Serve a folder over HTTP on loopback like a real site (ETag, 304, charsets, faults from `_mirror.toml`).
    Mirror {
        /// The folder to serve.
        #[arg(long)]
        root: PathBuf,
        /// Listen address.
        #[arg(long, default_value = "127.0.0.1:8088")]
        addr: std::net::SocketAddr,
    },
    /// Run one extractor on saved files and print rows as JSON lines.
    Extract {
        /// Family name (see `mynawatch extract --list`).
        #[arg(long, required_unless_present = "list")]
        family: Option<String>,
        /// Files to read.
        files: Vec<PathBuf>,
        /// URL to record as the rows' source (default: `file://<path>`).
        #[arg(long)]
        url: Option<String>,
        /// Treat the input as already-extracted main text (UTF-8).
        #[arg(long)]
        text: bool,
        /// Family options as JSON.
        #[arg(long)]
        options: Option<String>,
        /// Files extracted at once (default: one per core). Output order is the files'
        /// order either way.
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
        /// List the registered families.
        #[arg(long)]
        list: bool,
    },
    /// Score a family's text layer on a folder of page texts against a labels TSV
    /// (`file<TAB>url<TAB>field<TAB>value`): right / wrong / missing / spurious per field.
    Eval {
        /// Family name.
        #[arg(long, required_unless_present = "labels_from_reviews")]
        family: Option<String>,
        /// Labels file.
        #[arg(long, required_unless_present = "labels_from_reviews")]
        labels: Option<PathBuf>,
        /// Folder holding the page texts the labels name.
        #[arg(required_unless_present = "labels_from_reviews")]
        dir: Option<PathBuf>,
        /// Instead of scoring: write people's reviews (`mynawatch review`) of the data
        /// folder as a labels file here, and the reviewed pages' texts beside it.
        #[arg(long, value_name = "OUT.tsv", conflicts_with_all = ["family", "labels", "dir"])]
        labels_from_reviews: Option<PathBuf>,
        /// With `--labels-from-reviews`: the data folder.
        #[arg(long, env = "MYNAWATCH_DATA", requires = "labels_from_reviews")]
        data: Option<PathBuf>,
        /// With `--labels-from-reviews`: where to write the page texts (default: the
        /// folder `texts` beside OUT.tsv).
        #[arg(long, requires = "labels_from_reviews")]
        texts: Option<PathBuf>,
        /// Family options as JSON.
        #[arg(long)]
        options: Option<String>,
        /// Output: `table` (text report) or `json` (machine-readable summary).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// SQL over the tables (figures, events, statements, notices, changes, fetches, runs).
    Query {
        /// The SQL.
        sql: String,
        #[command(flatten)]
        place: Place,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Write the analyst's report: one self-contained HTML page with charts and facts, every number linked to its source.
    Report {
        #[command(flatten)]
        place: Place,
        /// Output file.
        #[arg(long, default_value = "report.html")]
        out: PathBuf,
        /// Show the store as it was on this day (`YYYY-MM-DD`, runs finished by its end, UTC).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// Language of the page: `ja` or `en`.
        #[arg(long, default_value = "ja", value_parser = ["ja", "en"])]
        lang: String,
    },
    /// Merge each table's small Parquet files into one (query answers stay the same).
    Compact {
        #[command(flatten)]
        place: Place,
    },
    /// Run the Japanese normalizer over each argument (or each stdin line); print JSON.
    Normalize {
        /// Texts (stdin lines when none).
        texts: Vec<String>,
    },
    /// What changed: a summary by run and source, newest first (`--rows` for the rows).
    Changes {
        /// A run id, or a date `YYYY-MM-DD` (changes detected on or after it). Without it
        /// the summary shows the newest runs.
        #[arg(long)]
        since: Option<String>,
        #[command(flatten)]
        place: Place,
        /// The change rows instead of the summary (as a table unless `--format` says).
        #[arg(long)]
        rows: bool,
        /// Output format of the rows (implies `--rows`).
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Only changes of this area (6-digit code: figures and notices of it).
        #[arg(long)]
        area: Option<String>,
        /// Only changes of this source id.
        #[arg(long)]
        source: Option<String>,
        /// Only changes of this kind (`added`, `revised`, `notice_text_changed`, …).
        #[arg(long)]
        kind: Option<String>,
    },
    /// Write Atom feeds of the changes: `all.atom`, `<area_code>.atom`, `<family>.atom`.
    Feed {
        #[command(flatten)]
        place: Place,
        /// Folder to write (default: `[feed] dir` of the config, else `<data>/feeds`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Entries per feed, newest first.
        #[arg(long)]
        max_entries: Option<usize>,
    },
    /// Each source's last outcome.
    Sources {
        #[command(flatten)]
        place: Place,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Re-run extractors over stored snapshots (after an extractor fix) and record what changed.
    Reextract {
        #[command(flatten)]
        place: Place,
        /// Only these source ids.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
    },
    /// Bill status as of a date, from the stored history (`bills` and `bill_stage` events).
    Bills {
        #[command(flatten)]
        place: Place,
        /// The day to show (`YYYY-MM-DD`); default: the latest stored state.
        #[arg(long)]
        as_of: Option<String>,
        /// Only bills whose title contains this (or whose key is it, e.g. `閣法-217-21`).
        #[arg(long = "match")]
        matching: Option<String>,
    },
    /// Find each municipality's 資格確認書 notice page(s) by crawling its official site;
    /// write `municipal_pages` and the sources file the config includes.
    Discover {
        #[command(flatten)]
        place: Place,
        /// The list of municipalities and their sites (the `localgovjp` CSV).
        #[arg(
            long,
            env = "MYNAWATCH_MUNICIPAL_LIST",
            default_value = "../shared/corpus/municipal_list/localgovjp-utf8_20260709_cd94f841.csv"
        )]
        list: PathBuf,
        /// Only these area codes (6 digits) or prefecture codes (2 digits), comma-separated.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// The sources file to write (default: `municipal.generated.toml` beside the config).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Facts for people to check: the review queue, corrections and confirmations.
    Review {
        /// What to do.
        #[command(subcommand)]
        action: ReviewAction,
    },
    /// Alert tools.
    Alerts {
        /// What to do.
        #[command(subcommand)]
        action: AlertsAction,
    },
}

/// `mynawatch alerts ...`
#[derive(Debug, Subcommand)]
pub enum AlertsAction {
    /// Send a sample alert to each configured sink.
    Test {
        #[command(flatten)]
        place: Place,
    },
}

/// `mynawatch review ...`
#[derive(Debug, Subcommand)]
pub enum ReviewAction {
    /// The queue: facts whose review went stale, changed since reviewed, read with a
    /// warning, or new; most important first.
    List {
        #[command(flatten)]
        place: Place,
        /// Only rows of sources of this family (`municipal_notice`, `hodanren`).
        #[arg(long)]
        family: Option<String>,
        /// Only rows of this area code.
        #[arg(long)]
        area: Option<String>,
        /// Reviewed facts and fields stating nothing too.
        #[arg(long)]
        all: bool,
        /// At most this many facts (0: all).
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Output: `table` (blocks for people) or `json` (one object a line).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Correct a field of a row: `review set KEY FIELD VALUE` (`-` for none).
    Set {
        /// The row's key, as `review list` and `changes.entity_key` give it.
        key: String,
        /// The field (`issuance_policy`, `mailing_start`, `valid_until`, `value`, …).
        field: String,
        /// The right value (dates `YYYY-MM-DD`, `-` when the page states none).
        value: String,
        #[command(flatten)]
        place: Place,
        #[command(flatten)]
        who: Reviewer,
    },
    /// Confirm the reader's values of a row (all its reviewable fields, or those named).
    Confirm {
        /// The row's key.
        key: String,
        /// Fields to confirm (default: every reviewable field).
        fields: Vec<String>,
        #[command(flatten)]
        place: Place,
        #[command(flatten)]
        who: Reviewer,
    },
}

/// Who reviews, and why (`review set` and `review confirm`).
#[derive(Debug, Clone, clap::Args)]
pub struct Reviewer {
    /// Why.
    #[arg(long, default_value = "")]
    pub note: String,
    /// Who (default: `$USER`).
    #[arg(long)]
    pub by: Option<String>,
}

impl Reviewer {
    /// The reviewer's name: `--by`, else `$USER`, else `unknown`.
    pub fn name(&self) -> String {
        self.by
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "unknown".into())
    }
}
