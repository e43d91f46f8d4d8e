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
    /// The TOML parses but makes no sense (duplicate ids, unknown family, bad pattern).
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
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}

/// One watched source: a family (extractor) and its entry URLs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Stable id: file names, table rows and `--only` use it. `[a-z0-9_.-]`.
    pub id: String,
    /// The extractor family (`mynawatch extract --help` lists them).
    pub family: String,
    /// Entry URLs. Without `follow`, each is a document of the source.
    pub urls: Vec<String>,
    /// Set to `false` to keep the entry but skip it.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Treat the entry URLs as index pages and follow their links.
    #[serde(default)]
    pub follow: Option<Follow>,
    /// Per-source politeness overrides.
    #[serde(default)]
    pub per_host_concurrency: Option<usize>,
    /// Minimum milliseconds between requests to this source's host.
    #[serde(default)]
    pub min_interval_ms: Option<u64>,
    /// Family options, passed to the extractor as JSON.
    #[serde(default)]
    pub options: Option<toml::Table>,
}

fn yes() -> bool {
    true
}

/// How an index page leads to the source's documents.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Follow {
    /// Regex a link's absolute URL must match to be followed.
    pub pattern: String,
    /// At most this many documents are followed per run (a runaway index is cut, with a warning).
    #[serde(default = "default_follow_max")]
    pub max: usize,
    /// Who reads the index: `page` (any HTML page's document links; the index itself yields
    /// no rows) or `family` (the source's own family returns the links, e.g. press-conference
    /// indexes with pagination, or Diet API pages with `nextRecordPosition`).
    #[serde(default)]
    pub via: FollowVia,
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
    /// The family options as JSON (what extractors receive).
    pub fn options_json(&self) -> serde_json::Value {
        match &self.options {
            Some(t) => serde_json::to_value(t).unwrap_or(serde_json::Value::Null),
            None => serde_json::Value::Null,
        }
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
        if cfg.data_dir.is_relative() {
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
        let families: BTreeSet<&str> = mynawatch_extract::registry()
            .iter()
            .map(|f| f.name())
            .collect();
        let mut ids = BTreeSet::new();
        for s in &self.sources {
            if s.id.is_empty()
                || !s
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c))
            {
                return Err(invalid(format!(
                    "source id `{}` must be non-empty and use only a-z 0-9 _ . -",
                    s.id
                )));
            }
            if !ids.insert(s.id.as_str()) {
                return Err(invalid(format!("source id `{}` appears twice", s.id)));
            }
            if !families.contains(s.family.as_str()) {
                return Err(invalid(format!(
                    "source `{}`: unknown family `{}` (known: {})",
                    s.id,
                    s.family,
                    families.iter().copied().collect::<Vec<_>>().join(", ")
                )));
            }
            if s.urls.is_empty() {
                return Err(invalid(format!("source `{}` has no urls", s.id)));
            }
            for u in &s.urls {
                let parsed = url::Url::parse(u)
                    .map_err(|e| invalid(format!("source `{}`: bad url `{u}`: {e}", s.id)))?;
                if !matches!(parsed.scheme(), "http" | "https") {
                    return Err(invalid(format!(
                        "source `{}`: url `{u}` is not http(s)",
                        s.id
                    )));
                }
            }
            if let Some(f) = &s.follow {
                regex::Regex::new(&f.pattern)
                    .map_err(|e| invalid(format!("source `{}`: bad follow.pattern: {e}", s.id)))?;
            }
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
