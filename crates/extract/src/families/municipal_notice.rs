//! `municipal_notice`: a municipality's page on 資格確認書 → one `notices` row with the
//! facts people compare across municipalities, plus `figures` when the page states them.
//!
//! Two layers: the HTML layer ([`crate::html`]) gives main text blocks; the rules here
//! read text, so `extract --text` runs them on PDF text as well. The rules:
//! - `issuance_policy`: `all_insured` when a sentence about 資格確認書 says everyone gets
//!   one whatever their マイナ保険証 status (保有の有無にかかわらず, 加入者全員, 一斉交付…);
//!   `unregistered_only` when it goes to those without マイナ保険証 (お持ちでない方…);
//!   otherwise `unknown`. The deciding sentence is kept as evidence.
//! - validity: the latest date stated as 有効期限 (or `…まで有効`) → `valid_until` (pages
//!   also give the expiry of the card being replaced); `…から使用/有効` → `valid_from`.
//! - mailing: a sentence about 送付/発送/郵送 with a date or period (`7月中旬から下旬`).
//! - method: 特定記録郵便, 簡易書留, 普通郵便, 書留.
//! - figures: 世帯 (`notice.households`), 被保険者/加入者 + 人 (`notice.insured_persons`),
//!   costs in 円 next to a …費 label (`notice.cost`, `item=<label>`).
//!
//! A page that mentions neither 資格確認書, 保険証 nor 資格情報 is not a notice: the layout
//! changed or the URL now serves something else, and that is an extraction failure.
//!
//! Options: `area` (required, e.g. `"東京都渋谷区"`).

use chrono::{Datelike, NaiveDate};
use mynawatch_ja::{find_dates_with_year, find_numbers, DateKind};
use mynawatch_model::{Figure, FigureStatus, Notice, Rows};
use serde::Deserialize;

use crate::families::page::{links_of, notice_of};
use crate::text::{bare_months, label_ending_in, numbers_after, sentences};

/// Labels that make a count of 人 a count of insured persons.
const INSURED: &[&str] = &["被保険者", "加入者", "対象"];
use crate::{common, Expectations, ExtractError, Extraction, Family, Input};

/// The municipal notice family.
#[derive(Debug, Default)]
pub struct MunicipalNotice;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    #[serde(default)]
    area: Option<String>,
}

const ALL_INSURED: &[&str] = &[
    "保有の有無にかかわらず",
    "有無にかかわらず",
    "全被保険者",
    "加入者全員",
    "被保険者全員",
    "全員に",
    "一斉交付",
    "すべての方",
    "全ての方",
];
/// Holders named alongside non-holders (`お持ちの方もお持ちでない方も`): the sentence
/// covers everyone even though it also contains an [`UNREGISTERED`] phrase.
const HOLDERS_TOO: &[&str] = &[
    "お持ちの方も",
    "お持ちの方にも",
    "登録済みの方も",
    "登録している方も",
    "保有している方も",
];
// Stems, not `…方`: pages also write `お持ちでないすべての方`.
const UNREGISTERED: &[&str] = &[
    "お持ちでない",
    "持っていない",
    "保有していない",
    "利用登録をしていない",
    "登録していない方",
    "登録をしていない方",
    "未登録",
];
const METHODS: &[&str] = &["特定記録郵便", "簡易書留", "普通郵便", "特定記録", "書留"];
const TOPIC: &[&str] = &["資格確認書", "保険証", "資格情報"];

impl Family for MunicipalNotice {
    fn name(&self) -> &'static str {
        "municipal_notice"
    }

    fn expectations(&self, _options: &serde_json::Value) -> Expectations {
        Expectations {
            min_rows: 1,
            required_tables: vec!["notices"],
        }
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let opts: Options = common::options(input.options)?;
        let page = common::html_page(input)?;
        let mut notice = notice_of(&page, input, opts.area.as_deref())?;
        let figures = apply_rules(&mut notice, input)?;
        Ok(Extraction {
            rows: Rows {
                notices: vec![notice],
                figures,
                ..Rows::default()
            },
            links: links_of(&page),
            warnings: Vec::new(),
        })
    }

    fn extract_text(
        &self,
        text: &str,
        input: &Input<'_>,
    ) -> Option<Result<Extraction, ExtractError>> {
        Some((|| {
            let opts: Options = common::options(input.options)?;
            let (area_code, area_name) =
                match opts.area.as_deref().map(mynawatch_ja::area::lookup_full) {
                    Some(Some(a)) => (a.code.to_string(), a.full_name()),
                    Some(None) => return Err(ExtractError::Options("unknown area".into())),
                    None => (String::new(), String::new()),
                };
            let (updated_on, published_on) = crate::html::page_dates(text);
            let mut notice = Notice {
                area_code,
                area_name,
                title: text
                    .lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("")
                    .trim()
                    .to_string(),
                updated_on,
                published_on,
                text_sha256: common::text_hash(text),
                text: text.to_string(),
                provenance: Some(
                    input
                        .meta
                        .provenance(format!("lines:1-{}", text.lines().count()), ""),
                ),
                ..Notice::default()
            };
            let figures = apply_rules(&mut notice, input)?;
            Ok(Extraction {
                rows: Rows {
                    notices: vec![notice],
                    figures,
                    ..Rows::default()
                },
                ..Extraction::default()
            })
        })())
    }
}

/// Fill the notice's facts from its text; return the figures it states.
fn apply_rules(n: &mut Notice, input: &Input<'_>) -> Result<Vec<Figure>, ExtractError> {
    let text = mynawatch_ja::normalize(&n.text).into_owned();
    if !TOPIC.iter().any(|t| text.contains(t)) {
        return Err(ExtractError::Layout(format!(
            "{}: the page no longer mentions 資格確認書, 保険証 or 資格情報 (title {:?}); layout changed or wrong page",
            input.meta.url, n.title
        )));
    }
    let year = first_year(&text)
        .or(n.updated_on.map(|d| d.year()))
        .unwrap_or(input.meta.fetched_at.year());
    let sents = sentences(&text);

    let (policy, evidence) = policy(&sents);
    n.issuance_policy = policy.to_string();
    n.policy_evidence = evidence;

    for s in &sents {
        let dates = find_dates_with_year(s, year);
        // Pages also state the expiry of the card being replaced; the document being
        // sent is the one that expires last.
        if s.contains("有効期限") || s.contains("まで有効") {
            let latest = dates
                .iter()
                .filter(|d| d.kind == DateKind::Date)
                .map(|d| d.start)
                .max();
            n.valid_until = n.valid_until.max(latest);
        }
        if n.valid_from.is_none()
            && ["から使用", "から使える", "から有効", "から使え", "使用開始"]
                .iter()
                .any(|k| s.contains(k))
        {
            n.valid_from = dates
                .iter()
                .filter(|d| d.kind == DateKind::Date)
                .map(|d| d.start)
                .next();
        }
        if n.mailing_start.is_none()
            && ["送付", "発送", "郵送", "お届け", "配達"]
                .iter()
                .any(|k| s.contains(k))
        {
            // The mailing window is the period in the sentence, or the date that is not the validity start.
            // A 年度 in the sentence names the cycle, not when the post goes out.
            let dated: Vec<_> = dates
                .iter()
                .filter(|d| d.kind != DateKind::FiscalYear)
                .collect();
            let window = dated
                .iter()
                .copied()
                .find(|d| d.kind == DateKind::Period)
                .or_else(|| {
                    dated.iter().copied().find(|d| {
                        Some(d.start) != n.valid_from
                            && !s[d.span.end.min(s.len())..].starts_with("から使")
                    })
                })
                .map(|w| in_fiscal_year(w.start, w.end, &w.text, &dates))
                .or_else(|| {
                    let m = bare_months(s, year).into_iter().next()?;
                    Some(in_fiscal_year(m.start, m.end, "", &dates))
                });
            if let Some((start, end)) = window {
                n.mailing_start = Some(start);
                n.mailing_end = Some(end);
            }
        }
    }
    // A 有効期限 caption or heading followed by table rows: the first date after it.
    if n.valid_until.is_none() {
        if let Some(pos) = text.find("有効期限") {
            n.valid_until = find_dates_with_year(&text[pos..], year)
                .into_iter()
                .find(|d| d.kind == DateKind::Date)
                .map(|d| d.start);
        }
    }
    n.mailing_method = METHODS
        .iter()
        .find(|m| text.contains(*m))
        .map(|m| m.to_string())
        .unwrap_or_default();
    Ok(figures(&sents, n, input))
}

/// A month read without its year (`2月上旬`, `7月`) in a sentence about a 年度: January
/// to March belong to the next calendar year, so `令和7年度…2月上旬` is February 2026.
fn in_fiscal_year(
    start: NaiveDate,
    end: NaiveDate,
    text: &str,
    dates: &[mynawatch_ja::DateFound],
) -> (NaiveDate, NaiveDate) {
    let fiscal = dates
        .iter()
        .find(|d| d.kind == DateKind::FiscalYear)
        .map(|d| d.start.year());
    let next = |d: NaiveDate| d.checked_add_months(chrono::Months::new(12)).unwrap_or(d);
    match fiscal {
        Some(fy) if !text.contains('年') && start.month() < 4 && start.year() == fy => {
            // 2月末 stays the month's last day when the next year is a leap year.
            let month_end = |d: NaiveDate| {
                d.with_day(1)
                    .and_then(|f| f.checked_add_months(chrono::Months::new(1)))
                    .and_then(|f| f.pred_opt())
            };
            let end = if month_end(end) == Some(end) {
                month_end(next(end.with_day(1).unwrap_or(end))).unwrap_or(next(end))
            } else {
                next(end)
            };
            (next(start), end)
        }
        _ => (start, end),
    }
}

fn first_year(text: &str) -> Option<i32> {
    mynawatch_ja::find_dates(text)
        .first()
        .map(|d| d.start.year())
}

fn policy(sents: &[String]) -> (&'static str, String) {
    for s in sents.iter().filter(|s| s.contains("資格確認書")) {
        let both = HOLDERS_TOO.iter().any(|k| s.contains(k));
        if both
            || (ALL_INSURED.iter().any(|k| s.contains(k))
                && !UNREGISTERED.iter().any(|k| s.contains(k)))
        {
            return ("all_insured", s.clone());
        }
    }
    for s in sents.iter().filter(|s| s.contains("資格確認書")) {
        if UNREGISTERED.iter().any(|k| s.contains(k)) {
            return ("unregistered_only", s.clone());
        }
    }
    ("unknown", String::new())
}

fn figures(sents: &[String], n: &Notice, input: &Input<'_>) -> Vec<Figure> {
    let as_of = n
        .updated_on
        .or(n.published_on)
        .or(Some(input.meta.fetched_at.date_naive()));
    let mut out = Vec::new();
    for (i, s) in sents.iter().enumerate() {
        let insured = numbers_after(s, INSURED, usize::MAX);
        for num in find_numbers(s) {
            let (metric, dims) = match num.unit.as_str() {
                "households" => ("notice.households", String::new()),
                // 人 alone is too common (窓口 3人…): only a count labelled as insured.
                "persons" if insured.iter().any(|(n, _)| n.span == num.span) => {
                    ("notice.insured_persons", String::new())
                }
                "jpy" => match label_ending_in(&s[..num.span.start], '費', 16) {
                    Some(label) => ("notice.cost", format!("item={label}")),
                    None => continue,
                },
                _ => continue,
            };
            out.push(Figure {
                metric: metric.into(),
                area_code: n.area_code.clone(),
                area_name: n.area_name.clone(),
                as_of: as_of.map(|d: NaiveDate| d),
                period_start: None,
                period_end: None,
                value: num.value,
                unit: num.unit.clone(),
                scale: num.scale,
                qualifier: num.qualifier,
                status: FigureStatus::Final,
                dimensions: dims,
                derived_from: String::new(),
                provenance: input
                    .meta
                    .provenance(format!("sentence:{}", i + 1), num.text.clone()),
            });
        }
    }
    out
}
