//! The config file (`config/mynawatch.toml`): what to fetch, how politely, and where
//! alerts go. One struct tree is both the documentation and the parser
//! (`deny_unknown_fields`): a typo is a config error (exit 2), not a silent default.
//!
//! This module only parses and validates; it builds nothing that does I/O.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mynawatch_alert::AlertConfig;
use mynawatch_fetch::FetchConfig;
use serde::Deserialize;
use thiserror::Error;

/// A config file that cannot be used. Always exit code 2.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config {path}: {source}")]
    Read {
        /// The path given.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The TOML is invalid or has unknown keys.
    #[error("invalid config {path}: {message}")]
    Parse {
        /// The path given.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The TOML parses but makes no sense together (duplicate ids, a derived figure naming
    /// an unknown source, an alert route naming an unknown sink). A source that is wrong on
    /// its own (unknown family, bad pattern, bad option) is a [`ConfigError::Parse`] naming
    /// the source, with its place in the file.
    #[error("invalid config {path}: {message}")]
    Invalid {
        /// The path given.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// The whole config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where snapshots, tables and state live; relative to the config file. `--data` overrides.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// HTTP client settings (politeness, retries, timeouts, caps).
    #[serde(default)]
    pub fetch: FetchConfig,
    /// Alert routes and sinks.
    #[serde(default)]
    pub alerts: AlertConfig,
    /// Sources to watch, in order.
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceConfig>,
    /// Figures computed from the latest figures of other sources (`[[derived]]`).
    #[serde(default)]
    pub derived: Vec<DerivedConfig>,
    /// Further files of `[[source]]` entries, relative to this file
    /// (`include = ["municipal.generated.toml"]`, written by `mynawatch discover`). A
    /// missing file is skipped with a warning (discover has not run yet).
    #[serde(default)]
    pub include: Vec<PathBuf>,
    /// `mynawatch discover` settings (page budget, depth, sites at once).
    #[serde(default)]
    pub discover: mynawatch_discover::DiscoverConfig,
    /// Atom feeds written after every run (`[feed] dir = "feeds"`, inside the data folder).
    #[serde(default)]
    pub feed: Option<crate::feed::FeedConfig>,
    /// A data folder on object storage (`data_dir = "s3://bucket/prefix"`): which
    /// environment variables hold the endpoint and credentials, the local cache, the lease.
    #[serde(default)]
    pub storage: mynawatch_remote::StorageSettings,
}

/// An included file: sources only.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Included {
    #[serde(default, rename = "source")]
    sources: Vec<SourceConfig>,
}

/// A figure derived from two sources' figures: `numerator ÷ denominator × 100`, paired by
/// area (and dimensions); the denominator is the latest one dated on or before the
/// numerator's date. Its rows are stored under the source id `id`, diffed and alerted like
/// a source's, and name both inputs in `derived_from`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedConfig {
    /// Source id under which the derived rows are stored.
    pub id: String,
    /// The metric written (`insurance.registration_per_population_rate`).
    pub metric: String,
    /// The numerator: a metric of one source.
    pub numerator: MetricRef,
    /// The denominator: a metric of one source.
    pub denominator: MetricRef,
}

/// A metric of a configured source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricRef {
    /// The source id.
    pub source: String,
    /// The metric id.
    pub metric: String,
}

/// Checks of an extraction against the source's last good one. A release that shrinks
/// past a threshold is a broken source ("5,223 → 261 figures (−95%)"), never thousands
/// of removed rows.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    /// Largest allowed drop in a table's row count, in percent of the last good count.
    #[serde(default = "default_max_row_drop_pct")]
    pub max_row_drop_pct: f64,
    /// Largest allowed shrink of a notice's main text, in percent.
    #[serde(default = "default_max_text_shrink_pct")]
    pub max_text_shrink_pct: f64,
    /// Tables smaller than this are not checked for drops (a notice source has one row).
    #[serde(default = "default_min_rows_checked")]
    pub min_rows_checked: usize,
}

fn default_max_row_drop_pct() -> f64 {
    10.0
}
fn default_max_text_shrink_pct() -> f64 {
    50.0
}
fn default_min_rows_checked() -> usize {
    10
}

impl Default for Validation {
    fn default() -> Self {
        Validation {
            max_row_drop_pct: default_max_row_drop_pct(),
            max_text_shrink_pct: default_max_text_shrink_pct(),
            min_rows_checked: default_min_rows_checked(),
        }
    }
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}

/// One watched source as the run uses it: read from `[[source]]` ([`SourceToml`]) and
/// checked once when the config is loaded, so its family is a handle, its options are
/// JSON and its follow pattern is a compiled regex; nothing is re-parsed during a run.
#[derive(Clone, Deserialize)]
#[serde(try_from = "SourceToml")]
pub struct SourceConfig {
    /// Stable id: file names, table rows and `--only` use it. `[a-z0-9_.-]`.
    pub id: String,
    /// The extractor family's name.
    pub family: String,
    /// Entry URLs. Without `follow`, each is a document of the source.
    pub urls: Vec<String>,
    /// `false` keeps the entry but skips it.
    pub enabled: bool,
    /// Treat the entry URLs as index pages and follow their links.
    pub follow: Option<Follow>,
    /// Per-source politeness overrides.
    pub per_host_concurrency: Option<usize>,
    /// Minimum milliseconds between requests to this source's host.
    pub min_interval_ms: Option<u64>,
    /// Thresholds against the last good extraction (`[source.validate]`).
    pub validate: Validation,
    /// Family options as the extractor receives them (`null` when none are set).
    options: serde_json::Value,
    /// The extractor.
    handle: std::sync::Arc<dyn mynawatch_extract::Family>,
}

impl std::fmt::Debug for SourceConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceConfig")
            .field("id", &self.id)
            .field("family", &self.family)
            .field("urls", &self.urls)
            .field("enabled", &self.enabled)
            .field("follow", &self.follow)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// `[[source]]` as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceToml {
    id: String,
    /// The extractor family (`mynawatch extract --help` lists them).
    family: String,
    urls: Vec<String>,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    follow: Option<FollowToml>,
    #[serde(default)]
    per_host_concurrency: Option<usize>,
    #[serde(default)]
    min_interval_ms: Option<u64>,
    /// Family options, passed to the extractor as JSON.
    #[serde(default)]
    options: Option<toml::Table>,
    #[serde(default)]
    validate: Validation,
}

impl TryFrom<SourceToml> for SourceConfig {
    type Error = String;

    /// Every check that needs only the source itself; a bad source is named with its id.
    fn try_from(s: SourceToml) -> Result<SourceConfig, String> {
        let id = s.id;
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c))
        {
            return Err(format!(
                "source id `{id}` must be non-empty and use only a-z 0-9 _ . -"
            ));
        }
        let handle: std::sync::Arc<dyn mynawatch_extract::Family> =
            match mynawatch_extract::family(&s.family) {
                Some(f) => f.into(),
                None => {
                    let known: std::collections::BTreeSet<&str> = mynawatch_extract::registry()
                        .iter()
                        .map(|f| f.name())
                        .collect();
                    return Err(format!(
                        "source `{id}`: unknown family `{}` (known: {})",
                        s.family,
                        known.into_iter().collect::<Vec<_>>().join(", ")
                    ));
                }
            };
        let options = match &s.options {
            Some(t) => {
                serde_json::to_value(t).map_err(|e| format!("source `{id}`: options: {e}"))?
            }
            None => serde_json::Value::Null,
        };
        // The family's own options, parsed and checked now, once for every document: a bad
        // option is exit 2 naming the source and the key, not a broken source on every run.
        // Binding parses and checks them; a family that does not bind checks them here.
        let named = |e: mynawatch_extract::ExtractError| format!("source `{id}`: {e}");
        let handle = match handle.bind(&options).map_err(named)? {
            Some(bound) => std::sync::Arc::from(bound),
            None => {
                handle.check_options(&options).map_err(named)?;
                handle
            }
        };
        if s.urls.is_empty() {
            return Err(format!("source `{id}` has no urls"));
        }
        for u in &s.urls {
            let parsed =
                url::Url::parse(u).map_err(|e| format!("source `{id}`: bad url `{u}`: {e}"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(format!("source `{id}`: url `{u}` is not http(s)"));
            }
        }
        let follow = s
            .follow
            .map(|f| {
                Ok::<_, String>(Follow {
                    pattern: regex::Regex::new(&f.pattern)
                        .map_err(|e| format!("source `{id}`: bad follow.pattern: {e}"))?,
                    max: f.max,
                    via: f.via,
                })
            })
            .transpose()?;
        Ok(SourceConfig {
            id,
            family: s.family,
            urls: s.urls,
            enabled: s.enabled,
            follow,
            per_host_concurrency: s.per_host_concurrency,
            min_interval_ms: s.min_interval_ms,
            validate: s.validate,
            options,
            handle,
        })
    }
}

fn yes() -> bool {
    true
}

/// How an index page leads to the source's documents.
#[derive(Debug, Clone)]
pub struct Follow {
    /// A link's absolute URL must match it to be followed.
    pub pattern: regex::Regex,
    /// At most this many documents are followed per run (a runaway index is cut, with a warning).
    pub max: usize,
    /// Who reads the index: `page` (any HTML page's document links; the index itself yields
    /// no rows) or `family` (the source's own family returns the links, e.g. press-conference
    /// indexes with pagination, or Diet API pages with `nextRecordPosition`).
    pub via: FollowVia,
}

/// `[source.follow]` as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FollowToml {
    pattern: String,
    #[serde(default = "default_follow_max")]
    max: usize,
    #[serde(default)]
    via: FollowVia,
}

fn default_follow_max() -> usize {
    50
}

/// Who extracts links from an index page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowVia {
    /// The generic `page` family.
    #[default]
    Page,
    /// The source's own family (its rows are kept too).
    Family,
}

impl SourceConfig {
    /// The source's politeness overrides for its hosts, if it sets any.
    pub fn politeness(&self) -> Option<mynawatch_fetch::HostPoliteness> {
        (self.per_host_concurrency.is_some() || self.min_interval_ms.is_some()).then(|| {
            mynawatch_fetch::HostPoliteness {
                per_host_concurrency: self.per_host_concurrency,
                min_interval: self.min_interval_ms.map(std::time::Duration::from_millis),
            }
        })
    }

    /// The family options as JSON (what extractors receive), converted once at load.
    pub fn options_json(&self) -> &serde_json::Value {
        &self.options
    }

    /// The source's extractor.
    pub fn extractor(&self) -> &dyn mynawatch_extract::Family {
        self.handle.as_ref()
    }
}

impl Config {
    /// Read and validate a config file. Relative `data_dir` is resolved against the file's folder.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut cfg = Config::parse(&text, path)?;
        cfg.load_includes(path)?;
        if cfg.data_dir.is_relative() && !mynawatch_remote::is_remote(&cfg.data_dir) {
            let base = path.parent().unwrap_or(Path::new("."));
            // Config files live in `config/`; a relative data dir means "next to the project".
            let base = if base.file_name().is_some_and(|n| n == "config") {
                base.parent().unwrap_or(Path::new("."))
            } else {
                base
            };
            cfg.data_dir = base.join(&cfg.data_dir);
        }
        Ok(cfg)
    }

    /// Append the sources of the `include` files (relative to `path`'s folder) and
    /// validate the whole again (an id may not appear in two files).
    pub fn load_includes(&mut self, path: &Path) -> Result<(), ConfigError> {
        let base = path.parent().unwrap_or(Path::new("."));
        for inc in self.include.clone() {
            let file = base.join(&inc);
            let text = match std::fs::read_to_string(&file) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    tracing::warn!(file = %file.display(), "included config file not found; skipped (run `mynawatch discover` to create it)");
                    continue;
                }
                Err(source) => return Err(ConfigError::Read { path: file, source }),
            };
            let included: Included = toml::from_str(&text).map_err(|e| ConfigError::Parse {
                path: file.clone(),
                message: e.to_string(),
            })?;
            self.sources.extend(included.sources);
        }
        if !self.include.is_empty() {
            self.validate(path)?;
        }
        Ok(())
    }

    /// Parse and validate config text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let cfg: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        cfg.validate(path)?;
        Ok(cfg)
    }

    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let mut ids = BTreeSet::new();
        for s in &self.sources {
            if !ids.insert(s.id.as_str()) {
                return Err(invalid(format!("source id `{}` appears twice", s.id)));
            }
        }
        for d in &self.derived {
            if !ids.insert(d.id.as_str()) {
                return Err(invalid(format!(
                    "derived `{}`: id is already used by a source or another derived entry",
                    d.id
                )));
            }
            for input in [&d.numerator, &d.denominator] {
                if !self.sources.iter().any(|s| s.id == input.source) {
                    return Err(invalid(format!(
                        "derived `{}`: unknown source `{}`",
                        d.id, input.source
                    )));
                }
            }
        }
        if let Some(missing) = self.alerts.missing_secrets().first() {
            return Err(invalid(missing.to_string()));
        }
        for route in &self.alerts.routes {
            for sink in &route.sinks {
                if !self.alerts.sinks.contains_key(sink) {
                    return Err(invalid(format!(
                        "alert route `{}` names unknown sink `{sink}`",
                        route.name
                    )));
                }
            }
        }
        Ok(())
    }

    /// The sources selected by `--only` (all enabled ones when empty). Unknown ids are an error.
    pub fn select(&self, only: &[String]) -> Result<Vec<&SourceConfig>, String> {
        for id in only {
            if !self.sources.iter().any(|s| &s.id == id) {
                return Err(format!("--only: no source with id `{id}`"));
            }
        }
        Ok(self
            .sources
            .iter()
            .filter(|s| {
                if only.is_empty() {
                    s.enabled
                } else {
                    only.contains(&s.id)
                }
            })
            .collect())
    }
}
