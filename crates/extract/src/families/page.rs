//! `page`: any HTML page → one `notices` row (title, main text, dates, text hash) and
//! its document links, so an index page can lead to further targets.
//!
//! Options (all optional): `area` (`"東京都渋谷区"`, gives the row an area code).

use mynawatch_model::{Link, Notice};
use serde::Deserialize;

use crate::html::{Page, PageLink};
use crate::{common, Declared, ExtractError, Extraction, Input};

/// The generic HTML page family.
#[derive(Debug, Default)]
pub struct PageFamily;

/// Options of the `page` family, and of `municipal_notice`, which reads the same page:
/// `area` gives the row an area code.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    #[serde(default)]
    pub(crate) area: Option<String>,
}

impl Options {
    /// An `area` must name a known municipality.
    pub(crate) fn check(&self) -> Result<(), ExtractError> {
        self.area
            .as_deref()
            .map_or(Ok(()), |a| common::check_area("area", a))
    }
}

impl Declared for PageFamily {
    type Options = Options;
    const NAME: &'static str = "page";
    const EXPECT: (usize, &'static str) = (1, "notices");

    fn check(options: &Self::Options) -> Result<(), ExtractError> {
        options.check()
    }

    fn read(&self, input: &Input<'_>, opts: &Self::Options) -> Result<Extraction, ExtractError> {
        let mut page = common::html_page(input)?;
        let notice = notice_of(&page, input, opts.area.as_deref())?;
        Ok(Extraction {
            rows: mynawatch_model::Rows {
                notices: vec![notice],
                ..Default::default()
            },
            links: std::mem::take(&mut page.links)
                .into_iter()
                .map(Link::from)
                .collect(),
            warnings: Vec::new(),
        })
    }
}

/// The page as one `notices` row; a page with no main text is a layout failure.
pub fn notice_of(
    page: &Page,
    input: &Input<'_>,
    area: Option<&str>,
) -> Result<Notice, ExtractError> {
    let text = page.main_text();
    if text.trim().is_empty() {
        return Err(ExtractError::Layout(format!(
            "{}: no main text found (page title: {:?})",
            input.meta.url, page.title
        )));
    }
    let (area_code, area_name) = match area {
        Some(a) => {
            let found = mynawatch_ja::area::lookup_full(a)
                .ok_or_else(|| ExtractError::Options(format!("unknown area `{a}`")))?;
            (found.code.to_string(), found.full_name())
        }
        None => (String::new(), String::new()),
    };
    Ok(Notice {
        area_code,
        area_name,
        title: page.title.clone(),
        published_on: page.published_on,
        updated_on: page.updated_on,
        text_sha256: common::text_hash(&text),
        text,
        issuance_policy: "unknown".into(),
        provenance: Some(
            input
                .meta
                .provenance(page.main_locator.clone(), page.title.clone()),
        ),
        ..Notice::default()
    })
}

/// The page's links as extraction links.
pub fn links_of(page: &Page) -> Vec<Link> {
    page.links.iter().cloned().map(Link::from).collect()
}

impl From<PageLink> for Link {
    fn from(l: PageLink) -> Self {
        Link {
            url: l.url,
            text: l.text,
            size_label: l.size_label,
            heading: l.heading,
            locator: l.locator,
        }
    }
}
