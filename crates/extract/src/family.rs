//! The `Family` trait: what every extractor implements, and what it returns.

use mynawatch_model::{Link, Rows, SnapshotMeta};
use thiserror::Error;

/// Everything an extractor gets: the raw bytes, their metadata, and the source's
/// family-specific options from the config (`[source.options]`, as JSON).
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Raw bytes exactly as stored in the snapshot store.
    pub bytes: &'a [u8],
    /// Source id, URL, fetch time, sha256, content type, charset, run id.
    pub meta: &'a SnapshotMeta,
    /// Family options from the config; `Null` when none.
    pub options: &'a serde_json::Value,
}

/// Rows an extraction produced, plus links to follow and warnings to log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// Content rows by table.
    pub rows: Rows,
    /// Further targets (index pages: transcripts, files).
    pub links: Vec<Link>,
    /// Non-fatal findings (a source disagreeing with itself, a `平成32年`).
    pub warnings: Vec<String>,
}

impl Extraction {
    /// Total content rows (links and warnings not counted).
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// Append another extraction's rows (multi-file sources).
    pub fn extend(&mut self, other: Extraction) {
        self.rows.extend(other.rows);
        self.links.extend(other.links);
        self.warnings.extend(other.warnings);
    }
}

/// What a family promises about a successful extraction. A snapshot that fails
/// them is an extraction failure ("source broken"), never a data change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expectations {
    /// At least this many content rows.
    pub min_rows: usize,
    /// Which tables must be non-empty (e.g. `["notices"]`).
    pub required_tables: Vec<&'static str>,
}

impl Expectations {
    /// Check an extraction; `Err` names what is missing.
    pub fn check(&self, x: &Extraction) -> Result<(), ExtractError> {
        if x.row_count() < self.min_rows {
            return Err(ExtractError::Expectation(format!(
                "expected at least {} rows, found {}",
                self.min_rows,
                x.row_count()
            )));
        }
        let counts = x.rows.counts();
        for t in &self.required_tables {
            let n = match counts.iter().find(|(name, _)| name == t) {
                Some((_, n)) => *n,
                None if *t == "links" => x.links.len(),
                None => 0,
            };
            if n == 0 {
                return Err(ExtractError::Expectation(format!(
                    "no rows for table `{t}`"
                )));
            }
        }
        Ok(())
    }
}

/// Why an extraction failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// The bytes are not the format this family reads (an HTML error page as `.xlsx`).
    #[error("wrong content: {0}")]
    WrongContent(String),
    /// The format is right but the layout is not what the family knows (headers gone, etc.).
    #[error("layout not recognised: {0}")]
    Layout(String),
    /// The source's options in the config are invalid.
    #[error("invalid options: {0}")]
    Options(String),
    /// The extraction ran but fails the family's expectations.
    #[error("expectations not met: {0}")]
    Expectation(String),
    /// A parser below us failed.
    #[error("{what}: {message}")]
    Parse {
        /// What was being parsed (`xlsx`, `csv`, `xml`).
        what: &'static str,
        /// The parser's message.
        message: String,
    },
}

/// What a family declares once: its name, what a successful extraction holds, and its
/// options as a type. [`Family`] follows from it: the options are read from the config's
/// JSON (`common::options`), checked when the config is loaded, and handed to
/// [`Declared::read`] typed.
pub trait Declared: Send + Sync + Default + 'static {
    /// `[source.options]` (`serde::de::IgnoredAny` for a family that takes none).
    type Options: serde::de::DeserializeOwned + Default + Send + Sync + 'static;
    /// Stable name used in config (`family = "table"`).
    const NAME: &'static str;
    /// At least this many rows, and at least one in this table.
    const EXPECT: (usize, &'static str);

    /// What the options' types cannot say (an unknown area, a mapping without metrics).
    fn check(options: &Self::Options) -> Result<(), ExtractError> {
        let _ = options;
        Ok(())
    }

    /// Turn one snapshot into rows. Pure: no I/O.
    fn read(&self, input: &Input<'_>, options: &Self::Options) -> Result<Extraction, ExtractError>;

    /// The text layer on already-extracted main text; `None` for a family without one.
    fn read_text(
        &self,
        text: &str,
        input: &Input<'_>,
        options: &Self::Options,
    ) -> Option<Result<Extraction, ExtractError>> {
        let _ = (text, input, options);
        None
    }
}

impl<T: Declared> Family for T {
    fn name(&self) -> &'static str {
        T::NAME
    }

    fn bind(&self, options: &serde_json::Value) -> Result<Option<Box<dyn Family>>, ExtractError> {
        let options = crate::common::options(options)?;
        T::check(&options)?;
        Ok(Some(Box::new(Bound::<T> { options })))
    }

    fn expectations(&self, _options: &serde_json::Value) -> Expectations {
        Expectations {
            min_rows: T::EXPECT.0,
            required_tables: vec![T::EXPECT.1],
        }
    }

    fn check_options(&self, options: &serde_json::Value) -> Result<(), ExtractError> {
        T::check(&crate::common::options(options)?)
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        self.read(input, &crate::common::options(input.options)?)
    }

    fn extract_text(
        &self,
        text: &str,
        input: &Input<'_>,
    ) -> Option<Result<Extraction, ExtractError>> {
        match crate::common::options(input.options) {
            Ok(o) => self.read_text(text, input, &o),
            Err(e) => Some(Err(e)),
        }
    }
}

/// A declared family bound to one source's options, parsed and checked once
/// ([`Family::bind`]): its extractions use them, not the JSON in [`Input::options`].
struct Bound<T: Declared> {
    options: T::Options,
}

impl<T: Declared> Family for Bound<T> {
    fn name(&self) -> &'static str {
        T::NAME
    }

    fn expectations(&self, options: &serde_json::Value) -> Expectations {
        T::default().expectations(options)
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        T::default().read(input, &self.options)
    }

    fn extract_text(
        &self,
        text: &str,
        input: &Input<'_>,
    ) -> Option<Result<Extraction, ExtractError>> {
        T::default().read_text(text, input, &self.options)
    }
}

/// One source family: knows what the bytes of its sources mean.
pub trait Family: Send + Sync {
    /// Stable name used in config (`family = "table"`).
    fn name(&self) -> &'static str;

    /// What a successful extraction must contain.
    fn expectations(&self, options: &serde_json::Value) -> Expectations;

    /// Check a source's options when the config is loaded, so that a bad option (an
    /// unknown key or area, a missing metric mapping) is a config error naming the key,
    /// not a broken source on every run. The default accepts anything (no options).
    fn check_options(&self, options: &serde_json::Value) -> Result<(), ExtractError> {
        let _ = options;
        Ok(())
    }

    /// This family for one source: its options parsed and checked once, when the config
    /// is loaded, for every document of the source. `None` for a family that reads its
    /// options from each [`Input`] (the default).
    fn bind(&self, options: &serde_json::Value) -> Result<Option<Box<dyn Family>>, ExtractError> {
        let _ = options;
        Ok(None)
    }

    /// Turn one snapshot into rows. Pure: no I/O.
    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError>;

    /// Run the text layer on already-extracted main text (`mynawatch extract --text`).
    /// Families without a text layer return `None`.
    fn extract_text(
        &self,
        text: &str,
        input: &Input<'_>,
    ) -> Option<Result<Extraction, ExtractError>> {
        let _ = (text, input);
        None
    }
}
