//! Change alerts: which changes go where ([`route`]), how they read ([`render_item`],
//! and digests that summarize: [`digest_lines`]), and delivery to sinks ([`Dispatcher`]):
//! stdout, a JSON-lines file (one line per change, for machines), a webhook
//! (Slack-compatible `text` split into numbered parts under Slack's 40,000-character
//! limit, HMAC-SHA256 signature when a secret is set) and email over SMTP (a subject that
//! says what changed). [`feed`] renders changes as Atom entries. A digest that cannot be delivered is kept in an outbox and sent first on the
//! next run; the change rows themselves are already stored by then, so nothing is lost.
//!
//! Secrets (webhook HMAC key, SMTP credentials) come from environment variables named in
//! the config, never from the config itself.
#![deny(missing_docs)]

pub mod feed;
mod render;
mod sinks;
mod summary;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mynawatch_model::{Change, ChangeKind};
use serde::{Deserialize, Serialize};

pub use render::{digest_text, render_item};
pub use sinks::{DeliveryReport, Dispatcher};
pub use summary::{digest_lines, headline, split_text};

/// Slack's limit on a message's `text`; a webhook digest longer than this is sent in parts.
pub const SLACK_TEXT_LIMIT: usize = 40_000;

/// Errors of the alert crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AlertError {
    /// The outbox folder is not usable.
    #[error("alert outbox {path}: {source}")]
    Outbox {
        /// The folder or file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A sink failed.
    #[error("sink `{sink}`: {message}")]
    Sink {
        /// The sink's name.
        sink: String,
        /// What went wrong.
        message: String,
    },
}

/// Language of rendered alerts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// English.
    #[default]
    En,
    /// Japanese.
    Ja,
}

/// `[alerts]` in the config.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertConfig {
    /// Language of the alert text.
    #[serde(default)]
    pub language: Language,
    /// Named sinks.
    #[serde(default)]
    pub sinks: BTreeMap<String, SinkConfig>,
    /// Routes: which changes go to which sinks.
    #[serde(default)]
    pub routes: Vec<Route>,
    /// Alert a broken source once, after this many failed runs in a row.
    #[serde(default = "default_broken_after")]
    pub broken_after_failures: u32,
}

fn default_broken_after() -> u32 {
    1
}

impl Default for AlertConfig {
    fn default() -> Self {
        AlertConfig {
            language: Language::En,
            sinks: BTreeMap::new(),
            routes: Vec::new(),
            broken_after_failures: default_broken_after(),
        }
    }
}

/// A secret a sink takes from the environment (`secret_env`, `username_env`,
/// `password_env`) whose variable is unset or empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingSecret {
    /// The sink's name.
    pub sink: String,
    /// The option naming the variable (`secret_env`).
    pub option: &'static str,
    /// The environment variable.
    pub variable: String,
}

impl std::fmt::Display for MissingSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "alert sink `{}`: {} names the environment variable `{}`, which is not set",
            self.sink, self.option, self.variable
        )
    }
}

impl AlertConfig {
    /// Every secret the sinks name whose environment variable is unset or empty. Without
    /// it a webhook would go out unsigned and a mail unauthenticated, so the config loader
    /// makes each one a config error.
    pub fn missing_secrets(&self) -> Vec<MissingSecret> {
        let mut out = Vec::new();
        for (sink, cfg) in &self.sinks {
            let named: Vec<(&'static str, &Option<String>)> = match cfg {
                SinkConfig::Webhook { secret_env, .. } => vec![("secret_env", secret_env)],
                SinkConfig::Smtp {
                    username_env,
                    password_env,
                    ..
                } => vec![
                    ("username_env", username_env),
                    ("password_env", password_env),
                ],
                SinkConfig::Stdout | SinkConfig::Jsonl { .. } => Vec::new(),
            };
            for (option, var) in named {
                if let Some(v) = var.as_ref().filter(|v| env_secret(v).is_none()) {
                    out.push(MissingSecret {
                        sink: sink.clone(),
                        option,
                        variable: v.clone(),
                    });
                }
            }
        }
        out
    }
}

/// The value of a secret's environment variable; unset and empty are both `None`.
fn env_secret(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|s| !s.is_empty())
}

/// Where alerts are sent.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum SinkConfig {
    /// Print the digest on stdout.
    Stdout,
    /// Append one JSON object per change to a file.
    Jsonl {
        /// The file (relative paths are relative to the working directory).
        path: PathBuf,
    },
    /// POST JSON (`text` for Slack/Mattermost, plus structured `items`).
    Webhook {
        /// The endpoint.
        url: String,
        /// Environment variable holding the HMAC-SHA256 key for `X-Mynawatch-Signature`.
        #[serde(default)]
        secret_env: Option<String>,
        /// Per-attempt timeout.
        #[serde(default = "default_timeout_ms")]
        timeout_ms: u64,
        /// Attempts within one delivery.
        #[serde(default = "default_attempts")]
        max_attempts: u32,
        /// First backoff between attempts.
        #[serde(default = "default_backoff_ms")]
        backoff_ms: u64,
        /// Longest `text` of one message; a longer digest is sent as numbered parts.
        #[serde(default = "default_max_text_chars")]
        max_text_chars: usize,
        /// Most change items in the structured `items` of one digest (a release of
        /// thousands would make a body receivers refuse); the rest are counted in
        /// `items_omitted` and are in the `changes` table and the JSON-lines sink.
        #[serde(default = "default_max_items")]
        max_items: usize,
    },
    /// Email over SMTP.
    Smtp {
        /// Server host.
        host: String,
        /// Server port.
        #[serde(default = "default_smtp_port")]
        port: u16,
        /// STARTTLS (false: plain, for a relay on loopback).
        #[serde(default)]
        starttls: bool,
        /// Sender address.
        from: String,
        /// Recipients.
        to: Vec<String>,
        /// Environment variable with the SMTP user.
        #[serde(default)]
        username_env: Option<String>,
        /// Environment variable with the SMTP password.
        #[serde(default)]
        password_env: Option<String>,
        /// Subject prefix, before what changed (`mynawatch: 3 notices changed, 1 source broken`).
        #[serde(default = "default_subject_prefix")]
        subject_prefix: String,
    },
}

fn default_timeout_ms() -> u64 {
    10_000
}
fn default_attempts() -> u32 {
    3
}
fn default_backoff_ms() -> u64 {
    500
}
fn default_max_text_chars() -> usize {
    SLACK_TEXT_LIMIT
}
fn default_max_items() -> usize {
    1_000
}
fn default_smtp_port() -> u16 {
    25
}
fn default_subject_prefix() -> String {
    "mynawatch:".into()
}

/// A route: filters (all optional; empty matches everything) and the sinks to use.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Name, shown in digests.
    pub name: String,
    /// Sink names.
    pub sinks: Vec<String>,
    /// Source ids (`muni_*` matches a prefix).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Families.
    #[serde(default)]
    pub families: Vec<String>,
    /// Tables (`figures`, `notices`, …, `sources` for health).
    #[serde(default)]
    pub tables: Vec<String>,
    /// Metrics (figures only).
    #[serde(default)]
    pub metrics: Vec<String>,
    /// Change kinds.
    #[serde(default)]
    pub kinds: Vec<ChangeKind>,
    /// Only figure moves of at least this many percent (added, removed and health
    /// changes always pass).
    #[serde(default)]
    pub min_change_pct: Option<f64>,
    /// A source's first extraction (its baseline) is sent as one summary line per source;
    /// `true` sends its rows one by one instead.
    #[serde(default)]
    pub baseline_rows: bool,
}

/// Part of a source's first extraction: the rows that establish what "changed" means
/// from then on. Sinks get one [`Baseline::Summary`] per source unless a route opts in
/// to the rows ([`Route::baseline_rows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Baseline {
    /// The one line that sums up a source's baseline.
    Summary,
    /// One row of it.
    Row,
}

/// A change with what routing needs to know about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertItem {
    /// The change row.
    pub change: Change,
    /// Family of its source.
    pub family: String,
    /// Metric, for figure changes.
    pub metric: Option<String>,
    /// Set when the item belongs to a source's first extraction.
    #[serde(default)]
    pub baseline: Option<Baseline>,
    /// For an added figure: its value and the previous value of the same series, so a
    /// digest can say "national holding rate 67.0% → 67.5%".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<FigureNote>,
}

/// An added figure's value and the one its series had before (the latest earlier date
/// in the source's last good extraction).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureNote {
    /// The new value.
    pub value: Option<f64>,
    /// The previous value of the series.
    pub previous: Option<f64>,
    /// The date (or period) of the previous value.
    pub previous_period: Option<String>,
}

/// One route's alerts of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    /// The route.
    pub route: String,
    /// The run.
    pub run_id: String,
    /// The sinks to deliver to.
    pub sinks: Vec<String>,
    /// The items, data changes first, then source health.
    pub items: Vec<AlertItem>,
    /// The rendered text.
    pub text: String,
}

fn matches_any(list: &[String], value: &str) -> bool {
    list.is_empty()
        || list.iter().any(|p| match p.strip_suffix('*') {
            Some(prefix) => value.starts_with(prefix),
            None => p == value,
        })
}

/// Relative move of a figure change in percent, if it has numeric old and new values.
fn change_pct(c: &Change) -> Option<f64> {
    let old: f64 = c.old_value.as_deref()?.parse().ok()?;
    let new: f64 = c.new_value.as_deref()?.parse().ok()?;
    (old != 0.0).then(|| (new - old).abs() / old.abs() * 100.0)
}

impl Route {
    /// Does this route take `item`?
    pub fn accepts(&self, item: &AlertItem) -> bool {
        let c = &item.change;
        let health = matches!(
            c.kind,
            ChangeKind::SourceBroken | ChangeKind::SourceRecovered
        );
        matches_any(&self.sources, &c.source_id)
            && matches_any(&self.families, &item.family)
            && matches_any(&self.tables, &c.table)
            && (self.metrics.is_empty()
                || health
                || item
                    .metric
                    .as_deref()
                    .is_some_and(|m| matches_any(&self.metrics, m)))
            && (self.kinds.is_empty() || self.kinds.contains(&c.kind))
            && match item.baseline {
                None => true,
                Some(Baseline::Summary) => !self.baseline_rows,
                Some(Baseline::Row) => self.baseline_rows,
            }
            && match (self.min_change_pct, c.kind) {
                (Some(min), ChangeKind::Revised | ChangeKind::Modified) if c.table == "figures" => {
                    change_pct(c).is_none_or(|p| p >= min)
                }
                _ => true,
            }
    }
}

/// One digest per route that has anything for this run, in config order.
pub fn route(cfg: &AlertConfig, run_id: &str, items: &[AlertItem]) -> Vec<Digest> {
    cfg.routes
        .iter()
        .filter_map(|r| {
            let mut taken: Vec<AlertItem> =
                items.iter().filter(|i| r.accepts(i)).cloned().collect();
            if taken.is_empty() {
                return None;
            }
            // Data changes first, source health after: they are different news.
            taken.sort_by_key(|i| {
                matches!(
                    i.change.kind,
                    ChangeKind::SourceBroken | ChangeKind::SourceRecovered
                )
            });
            let text = digest_text(&r.name, run_id, &taken, cfg.language);
            Some(Digest {
                route: r.name.clone(),
                run_id: run_id.to_string(),
                sinks: r.sinks.clone(),
                items: taken,
                text,
            })
        })
        .collect()
}

impl Digest {
    /// `<run_id>/<route>`: the same digest delivered twice (a retry after a crash) carries
    /// the same key, so a receiver can drop the duplicate.
    pub fn idempotency_key(&self) -> String {
        format!("{}/{}", self.run_id, self.route)
    }
}

/// Put a run's digests in the outbox, one entry per sink, before anything is sent.
/// Called as part of publishing a committed run, so a crash between the commit and the
/// delivery never loses them: the next run sends what it finds there.
pub fn enqueue(state_dir: &Path, digests: &[Digest]) -> Result<(), AlertError> {
    let outbox = outbox_dir(state_dir);
    let err = |source| AlertError::Outbox {
        path: outbox.clone(),
        source,
    };
    std::fs::create_dir_all(&outbox).map_err(err)?;
    for d in digests {
        for sink in &d.sinks {
            sinks::park(&outbox, sink, d).map_err(err)?;
        }
    }
    Ok(())
}

/// An error and its causes in one line ([`mynawatch_model::display::error_chain`]).
pub(crate) use mynawatch_model::display::error_chain;

/// The outbox folder under a state folder.
pub fn outbox_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("outbox")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn item(source: &str, family: &str, table: &str, metric: Option<&str>) -> AlertItem {
        AlertItem {
            change: Change {
                run_id: "r1".into(),
                detected_at: Utc::now(),
                source_id: source.into(),
                table: table.into(),
                entity_key: format!("{source}|k"),
                field: String::new(),
                old_value: None,
                new_value: None,
                kind: ChangeKind::Added,
                summary: String::new(),
                url: "https://example.invalid/".into(),
            },
            family: family.into(),
            metric: metric.map(str::to_string),
            baseline: None,
            figure: None,
        }
    }

    #[test]
    fn a_baseline_is_one_summary_unless_the_route_asks_for_rows() {
        let mut summary = item("mic", "table", "figures", None);
        summary.baseline = Some(Baseline::Summary);
        let mut row = item("mic", "table", "figures", Some("population"));
        row.baseline = Some(Baseline::Row);
        let plain = Route::default();
        assert!(plain.accepts(&summary));
        assert!(!plain.accepts(&row));
        let rows = Route {
            baseline_rows: true,
            ..Route::default()
        };
        assert!(!rows.accepts(&summary));
        assert!(rows.accepts(&row));
    }

    #[test]
    fn source_filter_takes_exact_ids_and_star_prefixes() {
        let r = Route {
            sources: vec!["muni_*".into(), "mhlw_press".into()],
            ..Route::default()
        };
        assert!(r.accepts(&item("muni_131130", "municipal_notice", "notices", None)));
        assert!(r.accepts(&item("mhlw_press", "mhlw_press", "events", None)));
        assert!(!r.accepts(&item("mhlw_press_old", "mhlw_press", "events", None)));
        assert!(!r.accepts(&item("mic_card_stats", "mic_card_stats", "figures", None)));
    }

    #[test]
    fn family_and_metric_filters_pick_figures_but_let_health_through() {
        let r = Route {
            families: vec!["da_dashboard".into()],
            metrics: vec!["insurance.*".into()],
            ..Route::default()
        };
        let usage = item(
            "da",
            "da_dashboard",
            "figures",
            Some("insurance.usage_rate"),
        );
        let holdings = item("da", "da_dashboard", "figures", Some("card.holdings"));
        let other_family = item(
            "mhlw",
            "mhlw_usage",
            "figures",
            Some("insurance.usage_rate"),
        );
        let mut broken = item("da", "da_dashboard", "sources", None);
        broken.change.kind = ChangeKind::SourceBroken;
        assert!(r.accepts(&usage));
        assert!(!r.accepts(&holdings));
        assert!(!r.accepts(&other_family));
        // A broken source has no metric; a metric route must still hear about it.
        assert!(r.accepts(&broken));
    }

    #[test]
    fn relative_move_is_measured_against_the_old_value() {
        let mut c = item("s", "f", "figures", Some("m")).change;
        c.old_value = Some("200".into());
        c.new_value = Some("190".into());
        assert_eq!(change_pct(&c), Some(5.0));
        c.old_value = Some("0".into());
        assert_eq!(change_pct(&c), None);
    }
}
