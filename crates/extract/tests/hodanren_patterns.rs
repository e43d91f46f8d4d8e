//! `hodanren` on the patterns of real survey reports (issue #9), each written in our own
//! words with invented figures (`fixtures/hodanren/`, see its README): every fact a
//! report states is read with its area and period, and nothing else is.

use mynawatch_extract::{family, Extraction, Input};
use mynawatch_model::{Figure, FigureStatus, Qualifier, SnapshotMeta};
use mynawatch_testutil::fixture_bytes;

fn text(file: &str, url: &str) -> Extraction {
    let bytes = fixture_bytes(file);
    let t = String::from_utf8(bytes.clone()).unwrap();
    let meta = SnapshotMeta::for_file("hodanren_patterns", url, "0".repeat(64));
    family("hodanren")
        .unwrap()
        .extract_text(
            &t,
            &Input {
                bytes: &bytes,
                meta: &meta,
                options: &serde_json::Value::Null,
            },
        )
        .expect("hodanren has a text layer")
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// `metric|area|when|dimensions = value`, `when` being the as-of date, `start..end`
/// (open end `start..`) or empty.
fn fact(f: &Figure) -> String {
    let when = match (f.as_of, f.period_start, f.period_end) {
        (Some(d), _, _) => d.to_string(),
        (None, Some(s), Some(e)) => format!("{s}..{e}"),
        (None, Some(s), None) => format!("{s}.."),
        _ => String::new(),
    };
    format!(
        "{}|{}|{}|{} = {}",
        f.metric,
        f.area_code,
        when,
        f.dimensions,
        f.value.map_or("none".into(), |v| v.to_string())
    )
}

fn facts(x: &Extraction) -> Vec<String> {
    let mut v: Vec<String> = x.rows.figures.iter().map(fact).collect();
    v.sort();
    v
}

fn sorted(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn one<'a>(x: &'a Extraction, metric: &str, dims: &str) -> &'a Figure {
    let found: Vec<&Figure> = x
        .rows
        .figures
        .iter()
        .filter(|f| f.metric == metric && f.dimensions == dims)
        .collect();
    assert_eq!(found.len(), 1, "{metric} [{dims}]: {found:#?}");
    found[0]
}

#[test]
fn current_and_previous_shares_in_one_sentence_each_get_their_own_period() {
    let x = text(
        "hodanren/national_current_and_previous.txt",
        "https://hodanren.doc-net.or.jp/wp-content/uploads/2025/12/summary.pdf",
    );
    let p = "2025-10-06..2025-11-21";
    assert_eq!(
        facts(&x),
        sorted(&[
            // `今年10月6日から11月21日`: the year of the report's date line.
            &format!("survey.institutions_responding|000000|{p}| = 11204"),
            &format!("survey.trouble_rate|000000|{p}| = 68.4"),
            &format!("survey.institutions_with_trouble|000000|{p}| = 7663"),
            // `前回調査(2024年8~9月)では70.1%`: the previous survey, its own period.
            "survey.trouble_rate|000000|2024-08-01..2024-09-30|basis=previous_survey = 70.1",
            // Inline categories with middle-dot decimals.
            &format!("survey.trouble_category_rate|000000|{p}|category=●(黒丸)が表示される = 75.3"),
            &format!("survey.trouble_category_rate|000000|{p}|category=資格情報が無効 = 49.6"),
            &format!("survey.trouble_category_rate|000000|{p}|category=有効期限切れ = 41"),
            &format!("survey.full_charge_cases|000000|{p}| = 2912"),
        ])
    );
    // `少なくとも2,912件` is a lower bound.
    assert_eq!(
        one(&x, "survey.full_charge_cases", "").qualifier,
        Some(Qualifier::AtLeast)
    );
    // The burden shares (16・2%, 44・9%) and the broadcast date are not figures: checked
    // by the exact list above. The release is final.
    assert!(x
        .rows
        .figures
        .iter()
        .all(|f| f.status == FigureStatus::Final));
    assert!(x.warnings.is_empty(), "{:?}", x.warnings);
}

#[test]
fn count_first_lists_and_the_aggregation_date_of_an_interim_count() {
    let x = text(
        "hodanren/national_interim_counts.txt",
        "https://hodanren.doc-net.or.jp/info/news/240703_press/",
    );
    // `7月2日集計` dates the figures (the year from the post's `240703` slug); the press
    // day 7月3日 does not.
    let d = "2024-07-02";
    assert_eq!(
        facts(&x),
        sorted(&[
            // The headline's rounded `6,100` gives way to `全体回答数:6,143件`.
            &format!("survey.institutions_responding|000000|{d}| = 6143"),
            &format!("survey.trouble_rate|000000|{d}| = 65.3"),
            &format!("survey.institutions_with_trouble|000000|{d}| = 3402"),
            &format!("survey.trouble_category_rate|000000|{d}|category=資格無効 = 65"),
            &format!(
                "survey.trouble_category_rate|000000|{d}|category=カードの読み取り不良 = 21.5"
            ),
            &format!(
                "survey.trouble_category_rate|000000|{d}|category=カードリーダー等の不具合 = 45.9"
            ),
        ])
    );
    let resp = one(&x, "survey.institutions_responding", "");
    assert_eq!(resp.unit, "institutions");
    assert!(resp.provenance.raw_text.contains("6,143"));
    assert!(x
        .rows
        .figures
        .iter()
        .all(|f| f.status == FigureStatus::Preliminary));
}

#[test]
fn a_prefectural_associations_report_carries_its_prefecture_and_fieldwork() {
    let x = text(
        "hodanren/prefectural_report.txt",
        "https://www.example-hokeni.jp/news/2025/0402.html",
    );
    let shizuoka = mynawatch_ja::area::prefecture("静岡県").unwrap().code;
    // Sent 3月3日, answers by 3月14日, in the year of the `公開日` line.
    let p = "2025-03-03..2025-03-14";
    assert_eq!(
        facts(&x),
        sorted(&[
            &format!("survey.institutions_responding|{shizuoka}|{p}| = 211"),
            &format!("survey.trouble_rate|{shizuoka}|{p}| = 62.1"),
            &format!("survey.institutions_with_trouble|{shizuoka}|{p}| = 131"),
            &format!(
                "survey.trouble_category_rate|{shizuoka}|{p}|category=名前の一部が●になる = 67.2"
            ),
            &format!("survey.trouble_category_rate|{shizuoka}|{p}|category=資格情報が無効 = 38.9"),
            // 保団連's national count quoted at the end: all Japan, undated.
            "survey.trouble_rate|000000|| = 90",
        ])
    );
    assert!(x
        .rows
        .figures
        .iter()
        .filter(|f| f.area_code == shizuoka)
        .all(|f| f.area_name == "静岡県"));
    // `62・1%` as written stays in raw_text.
    assert!(x
        .rows
        .figures
        .iter()
        .any(|f| f.value == Some(62.1) && f.provenance.raw_text.contains("62・1%")));
}

#[test]
fn a_quoted_prefectural_survey_is_dated_by_its_day_not_by_the_broadcast() {
    let x = text(
        "hodanren/news_quoting_a_prefecture.txt",
        "https://hodanren.doc-net.or.jp/info/news/2024-06-03/",
    );
    let nagano = mynawatch_ja::area::prefecture("長野県").unwrap().code;
    assert_eq!(
        facts(&x),
        vec![format!("survey.trouble_rate|{nagano}|2024-05-20| = 60")]
    );
}

#[test]
fn a_news_article_on_an_interim_result_gives_the_exact_figures_of_its_body() {
    let x = text(
        "hodanren/news_article_interim.txt",
        "https://news.example.jp/articles/12345",
    );
    // `6月2日からの1カ月間`, in the year of the `2025/7/10` line.
    let p = "2025-06-02..2025-07-01";
    assert_eq!(
        facts(&x),
        sorted(&[
            &format!("survey.institutions_responding|000000|{p}| = 8015"),
            // `約66%` first, then the exact `65.7%`; the later `6割` of another
            // question does not replace it.
            &format!("survey.trouble_rate|000000|{p}| = 65.7"),
            &format!("survey.institutions_with_trouble|000000|{p}| = 4678"),
            &format!("survey.full_charge_cases|000000|{p}| = 612"),
        ])
    );
    assert_eq!(one(&x, "survey.trouble_rate", "").qualifier, None);
    assert_eq!(
        one(&x, "survey.full_charge_cases", "").qualifier,
        Some(Qualifier::AtLeast)
    );
    assert!(x
        .rows
        .figures
        .iter()
        .all(|f| f.status == FigureStatus::Preliminary));
}

#[test]
fn a_prefectural_survey_reported_on_the_national_site_is_the_prefectures() {
    let x = text(
        "hodanren/prefectural_survey_on_hodanren_site.txt",
        "https://hodanren.doc-net.or.jp/info/news/2025-10-24",
    );
    let okayama = mynawatch_ja::area::prefecture("岡山県").unwrap().code;
    let p = "2025-09-25..2025-10-17";
    assert_eq!(
        facts(&x),
        sorted(&[
            &format!("survey.institutions_responding|{okayama}|{p}| = 604"),
            // `8割を超える` first, then the heading's exact `84.3%がトラブル`.
            &format!("survey.trouble_rate|{okayama}|{p}| = 84.3"),
            &format!("survey.institutions_with_trouble|{okayama}|{p}| = 504"),
        ])
    );
}

#[test]
fn a_report_without_any_year_leaves_its_figures_undated_with_a_warning() {
    // The year-less fieldwork of the interim list, without the URL slug that dates it.
    let x = text(
        "hodanren/national_interim_counts.txt",
        "https://example.org/a-copy-of-the-post",
    );
    assert!(x
        .rows
        .figures
        .iter()
        .all(|f| f.as_of.is_none() && f.period_start.is_none()));
    assert!(
        x.warnings.iter().any(|w| w.contains("left undated")),
        "{:?}",
        x.warnings
    );
    // The author line `全国保険医団体連合会` still makes it all Japan.
    assert!(x.rows.figures.iter().all(|f| f.area_code == "000000"));
}
