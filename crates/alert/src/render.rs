//! Alert text: one short sentence per change quoting old → new and the URL, in
//! English or Japanese, and the digest: a header, then the summarized lines of
//! [`crate::digest_lines`] (bulks and baselines one line each, notices, bills and source
//! health in full), data changes before source health.

use mynawatch_model::ChangeKind;

use crate::{AlertItem, Language};

fn kind_label(kind: ChangeKind, lang: Language) -> &'static str {
    match (lang, kind) {
        (Language::En, ChangeKind::Added) => "added",
        (Language::En, ChangeKind::Removed) => "removed",
        (Language::En, ChangeKind::Modified) => "changed",
        (Language::En, ChangeKind::Revised) => "revised",
        (Language::En, ChangeKind::NoticeTextChanged) => "notice rewritten",
        (Language::En, ChangeKind::SourceBroken) => "SOURCE BROKEN",
        (Language::En, ChangeKind::SourceRecovered) => "source recovered",
        (Language::Ja, ChangeKind::Added) => "追加",
        (Language::Ja, ChangeKind::Removed) => "削除",
        (Language::Ja, ChangeKind::Modified) => "変更",
        (Language::Ja, ChangeKind::Revised) => "改訂",
        (Language::Ja, ChangeKind::NoticeTextChanged) => "お知らせ本文の変更",
        (Language::Ja, ChangeKind::SourceBroken) => "取得・抽出の失敗",
        (Language::Ja, ChangeKind::SourceRecovered) => "復旧",
    }
}

/// One line for one change: `[revised] card.holdings 東京都渋谷区 2022-12-31: 135,186 → 135,300 (+0.08%) — <url>`.
pub fn render_item(item: &AlertItem, lang: Language) -> String {
    let c = &item.change;
    let label = kind_label(c.kind, lang);
    let body = match (lang, c.kind) {
        (Language::Ja, ChangeKind::SourceBroken) => format!(
            "{}: {}（前回までのデータは保持）",
            c.source_id,
            c.new_value.as_deref().unwrap_or("原因不明")
        ),
        (Language::Ja, ChangeKind::SourceRecovered) => {
            format!("{}: 再び取得できました", c.source_id)
        }
        _ => c.summary.clone(),
    };
    match lang {
        Language::En => format!("[{label}] {body} — {}", c.url),
        Language::Ja => format!("【{label}】{body} {}", c.url),
    }
}

/// A digest: a header line, then one line per entry of [`crate::digest_lines`].
pub fn digest_text(route: &str, run_id: &str, items: &[AlertItem], lang: Language) -> String {
    let health = items
        .iter()
        .filter(|i| {
            matches!(
                i.change.kind,
                ChangeKind::SourceBroken | ChangeKind::SourceRecovered
            )
        })
        .count();
    let (data, health) = (
        crate::summary::thousands(items.len() - health),
        crate::summary::thousands(health),
    );
    let mut out = match lang {
        Language::En => format!("mynawatch run {run_id} ({route}): {data} data change(s), {health} source health event(s)\n"),
        Language::Ja => format!("mynawatch 実行 {run_id}（{route}）: データの変更 {data} 件、取得状況 {health} 件\n"),
    };
    for line in crate::digest_lines(items, lang) {
        out.push_str("• ");
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&match lang {
        Language::En => format!("Every row: mynawatch changes --since {run_id} --rows\n"),
        Language::Ja => format!("全件: mynawatch changes --since {run_id} --rows\n"),
    });
    out
}
