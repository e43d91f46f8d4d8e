//! `mynawatch feed`: Atom feeds of the stored changes, written from the `changes` table
//! (and, when `[feed] dir` is configured, after every run): `all.atom`, one feed per
//! area (`<area_code>.atom`, e.g. `131130.atom` for 東京都渋谷区) and one per source
//! family (`<family>.atom`). Each entry links to the source page and to the stored
//! snapshot it was read from (`file://…/snapshots/ab/cd/<sha256>`).
//!
//! The feeds are a pure function of the store: entry ids come from what changed
//! ([`mynawatch_alert::feed`]), the feed's `updated` is its newest entry's, so writing
//! them again gives the same files. Files are replaced atomically.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use mynawatch_alert::feed::{atom, entity_entries, run_entries, FeedEntry};
use mynawatch_alert::AlertItem;
use serde::Deserialize;

/// `[feed]` in the config: write the feeds after every run.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// Folder of the feeds; a relative path is inside the data folder.
    pub dir: PathBuf,
    /// Entries per feed, newest first.
    #[serde(default = "default_max_entries")]
    pub max_entries: usize,
}

/// Entries per feed unless `[feed] max_entries` says otherwise.
pub const DEFAULT_MAX_ENTRIES: usize = 100;

fn default_max_entries() -> usize {
    DEFAULT_MAX_ENTRIES
}

impl FeedConfig {
    /// The feed folder of a data folder.
    pub fn dir_in(&self, data_dir: &Path) -> PathBuf {
        if self.dir.is_absolute() {
            self.dir.clone()
        } else {
            data_dir.join(&self.dir)
        }
    }
}

/// What `write_feeds` wrote.
#[derive(Debug, Clone, Default)]
pub struct FeedReport {
    /// Files written, sorted.
    pub files: Vec<PathBuf>,
    /// Entries in `all.atom`.
    pub entries: usize,
}

/// Write every feed of the store at `data_dir` into `out`.
pub fn write_feeds(data_dir: &Path, out: &Path, max_entries: usize) -> Result<FeedReport> {
    let store = crate::commands::open_store(data_dir)?;
    let changes = store.load_changes(None)?;
    let states = store.source_states()?;
    let fetches = store.load_fetches()?;
    let data_abs = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());

    // url → (run_id, sha256) of every fetch that stored bytes, in run order.
    let mut stored: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for f in fetches {
        if let Some(sha) = f.sha256.filter(|s| s.len() >= 4) {
            stored.entry(f.url).or_default().push((f.run_id, sha));
        }
    }
    for v in stored.values_mut() {
        v.sort();
    }
    let snapshot = |i: &AlertItem| -> Option<String> {
        let runs = stored.get(&i.change.url)?;
        let (_, sha) = runs
            .iter()
            .rev()
            .find(|(run, _)| run.as_str() <= i.change.run_id.as_str())?;
        let path = data_abs.join(mynawatch_model::snapshot_rel_path(sha));
        Some(format!("file://{}", path.display()))
    };

    let items: Vec<AlertItem> = changes
        .into_iter()
        .map(|c| {
            let family = states
                .get(&c.source_id)
                .map(|s| s.family.clone())
                .unwrap_or_default();
            AlertItem {
                change: c,
                family,
                metric: None,
                baseline: None,
                figure: None,
            }
        })
        .collect();
    let mut by_run: BTreeMap<&str, Vec<AlertItem>> = BTreeMap::new();
    for i in &items {
        by_run
            .entry(i.change.run_id.as_str())
            .or_default()
            .push(i.clone());
    }
    let mut summarized: Vec<FeedEntry> = Vec::new();
    for run_items in by_run.values_mut() {
        run_items.sort_by_key(|i| {
            matches!(
                i.change.kind,
                mynawatch_model::ChangeKind::SourceBroken
                    | mynawatch_model::ChangeKind::SourceRecovered
            )
        });
        summarized.extend(run_entries(run_items, &snapshot));
    }
    let with_area: Vec<FeedEntry> = entity_entries(
        items.iter().filter(|i| {
            mynawatch_alert::feed::area_of(&i.change.table, &i.change.entity_key).is_some()
        }),
        &snapshot,
    );

    std::fs::create_dir_all(out).with_context(|| format!("create {}", out.display()))?;
    let mut report = FeedReport {
        entries: summarized.len().min(max_entries),
        ..FeedReport::default()
    };
    let mut write =
        |name: String, id: String, title: String, entries: Vec<&FeedEntry>| -> Result<()> {
            let path = out.join(&name);
            let xml = atom(&id, &title, Some(&name), &entries, max_entries);
            mynawatch_durable::write_atomic(&path, xml.as_bytes())
                .with_context(|| format!("write {}", path.display()))?;
            report.files.push(path);
            Ok(())
        };
    write(
        "all.atom".into(),
        "urn:mynawatch:feed:all".into(),
        "mynawatch: every change".into(),
        summarized.iter().collect(),
    )?;
    let mut families: BTreeMap<&str, Vec<&FeedEntry>> = BTreeMap::new();
    for e in &summarized {
        if !e.family.is_empty() {
            families.entry(e.family.as_str()).or_default().push(e);
        }
    }
    for (family, entries) in families {
        write(
            format!("{family}.atom"),
            format!("urn:mynawatch:feed:family:{family}"),
            format!("mynawatch: {family}"),
            entries,
        )?;
    }
    let mut areas: BTreeMap<&str, Vec<&FeedEntry>> = BTreeMap::new();
    for e in &with_area {
        for a in &e.areas {
            areas.entry(a.as_str()).or_default().push(e);
        }
    }
    for (code, entries) in areas {
        let name = mynawatch_ja::area::by_code(code)
            .map(|a| a.full_name())
            .unwrap_or_else(|| {
                if code == "000000" {
                    "全国".into()
                } else {
                    String::new()
                }
            });
        write(
            format!("{code}.atom"),
            format!("urn:mynawatch:feed:area:{code}"),
            format!("mynawatch: {name} ({code})"),
            entries,
        )?;
    }
    report.files.sort();
    Ok(report)
}
