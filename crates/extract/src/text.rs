//! The text layer shared by text families: sentences and topic tags. Works on plain
//! text, so the same rules run on HTML main text and on PDF text.

/// Split text into sentences at `。` and line ends; whitespace-trimmed, empty dropped.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        for c in line.chars() {
            cur.push(c);
            if c == '。' {
                push(&mut out, &mut cur);
            }
        }
        push(&mut out, &mut cur);
    }
    out
}

fn push(out: &mut Vec<String>, cur: &mut String) {
    let t = cur.trim();
    if !t.is_empty() {
        out.push(t.to_string());
    }
    cur.clear();
}

/// Default topic keywords: tag → words that mark it.
pub const DEFAULT_TOPICS: &[(&str, &[&str])] = &[
    (
        "mynumber_insurance",
        &[
            "マイナ保険証",
            "マイナンバーカード",
            "健康保険証",
            "保険証利用",
        ],
    ),
    (
        "qualification_certificate",
        &["資格確認書", "資格情報のお知らせ", "資格情報通知書"],
    ),
    (
        "ehr_sharing",
        &["電子カルテ", "電子処方箋", "医療DX", "医療情報の共有"],
    ),
    (
        "secondary_use",
        &["二次利用", "仮名加工", "医療データの利活用"],
    ),
];

/// Topic tags whose keywords occur in `text`, in table order.
pub fn topics(text: &str, table: &[(String, Vec<String>)]) -> Vec<String> {
    let norm = mynawatch_ja::normalize(text);
    table
        .iter()
        .filter(|(_, words)| words.iter().any(|w| norm.contains(w.as_str())))
        .map(|(tag, _)| tag.clone())
        .collect()
}

/// [`DEFAULT_TOPICS`] as an owned table (families let options replace it).
pub fn default_topics() -> Vec<(String, Vec<String>)> {
    DEFAULT_TOPICS
        .iter()
        .map(|(t, ws)| (t.to_string(), ws.iter().map(|w| w.to_string()).collect()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_maru_and_lines() {
        assert_eq!(
            sentences("一つ目。二つ目\n三つ目。 "),
            vec!["一つ目。", "二つ目", "三つ目。"]
        );
    }

    #[test]
    fn topics_follow_the_table() {
        let t = default_topics();
        assert_eq!(
            topics("マイナ保険証と資格確認書について", &t),
            vec!["mynumber_insurance", "qualification_certificate"]
        );
        assert!(topics("天気の話", &t).is_empty());
    }
}
