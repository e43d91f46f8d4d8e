//! `hodanren` on the patterns of real survey reports (issue #9), each written in our own
//! words with invented figures (`fixtures/hodanren/`, see its README): every fact a
//! report states is read with its area and period, and nothing else is.

use chrono::NaiveDate;
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

/// Asserts that `want` is one of `facts`.
fn assert_has(facts: &[String], want: &str) {
    assert!(facts.iter().any(|f| f == want), "{want} not in {facts:#?}");
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

/// Extracts an inline text written for a test.
fn inline(t: &str, url: &str) -> Result<Extraction, String> {
    let meta = SnapshotMeta::for_file("hodanren_patterns", url, "0".repeat(64));
    family("hodanren")
        .unwrap()
        .extract_text(
            t,
            &Input {
                bytes: t.as_bytes(),
                meta: &meta,
                options: &serde_json::Value::Null,
            },
        )
        .expect("hodanren has a text layer")
        .map_err(|e| e.to_string())
}

fn code(pref: &str) -> &'static str {
    mynawatch_ja::area::prefecture(pref).unwrap().code
}

#[test]
fn a_national_survey_reported_within_a_prefecture_is_that_prefectures() {
    // 保団連 ran the survey, but the page reports its results `県内では`: they are the
    // prefecture's, the one whose association the text names (in a coalition, not as the
    // author).
    let x = text(
        "hodanren/national_survey_within_a_prefecture.txt",
        "https://www.kochinews.co.jp/article/detail/90001",
    );
    let kochi = code("高知県");
    let p = "2025-09-01..2025-10-10";
    assert_eq!(
        facts(&x),
        sorted(&[
            &format!("survey.institutions_responding|{kochi}|{p}| = 97"),
            // `6割超` in the headline gives way to the body's `61.9%`.
            &format!("survey.trouble_rate|{kochi}|{p}| = 61.9"),
            &format!("survey.full_charge_cases|{kochi}|{p}| = 8"),
            // `保団連によると約7割`: the national figure keeps its own area; it is of the same
            // survey (`保団連が…全国で行ったもの`), so of its period.
            &format!("survey.trouble_rate|000000|{p}| = 70"),
        ])
    );
}

#[test]
fn an_own_word_author_takes_the_association_of_the_sites_host() {
    // `当会は` on `nagasaki-hk.org`: the prefecture in romaji joined to `hk`.
    let x = text(
        "hodanren/own_word_author.txt",
        "https://www.nagasaki-hk.org/news/1120",
    );
    let nagasaki = code("長崎県");
    let p = "2025-10-06..2025-10-24";
    assert_eq!(
        facts(&x),
        sorted(&[
            // `471 件回答があった`: a count followed by 回答 with no particle.
            &format!("survey.institutions_responding|{nagasaki}|{p}| = 471"),
            // `「あった」が60.2%を占め`: the affirmative answer is the trouble share; the
            // negated `「なかった」は39.8%` and the usage-rate share `55.0%` are not.
            &format!("survey.trouble_rate|{nagasaki}|{p}| = 60.2"),
            &format!("survey.trouble_category_rate|{nagasaki}|{p}|category=資格情報が無効 = 41.5"),
            // A category without brackets, its label before `が、`.
            &format!("survey.trouble_category_rate|{nagasaki}|{p}|category=有効期限切れ = 29.1"),
        ])
    );
}

#[test]
fn a_site_host_names_the_prefecture_of_an_unnamed_author() {
    // An association's own post naming no one: the host, a prefecture in romaji + `hk`.
    let t = "当会はマイナ保険証に関するアンケート調査を行い、回答した医療機関の66%でトラブルが発生した。";
    let x = inline(t, "https://www.nagasaki-hk.org/news/7").unwrap();
    assert_eq!(
        facts(&x),
        vec![format!("survey.trouble_rate|{}|| = 66", code("長崎県"))]
    );
    // A regional paper's `県内では` share of 保団連's survey: the paper's prefecture, also
    // when its name sits in the path of a portal's copy.
    let t = "調査は保団連が全国で実施し、県内では回答した医療機関の54%でトラブルが起きていた。";
    for url in [
        "https://www.kochinews.co.jp/article/detail/1",
        "https://portal.example.jp/news/article/KochiNews_1/",
    ] {
        let x = inline(t, url).unwrap();
        assert_eq!(
            facts(&x),
            vec![format!("survey.trouble_rate|{}|| = 54", code("高知県"))],
            "{url}"
        );
    }
    // The same sentence on a site that names no prefecture: left out, with a warning.
    let x = inline(t, "https://news.example.jp/a/6").unwrap();
    assert!(x.rows.figures.is_empty(), "{:?}", facts(&x));
    assert!(x.warnings.iter().any(|w| w.contains("left out")));
}

#[test]
fn association_authors_with_a_bracket_or_as_a_source_of_hearsay_are_read() {
    let x = inline(
        "大阪府保険医協会(田中一郎理事長)は10日、会員医療機関へのマイナ保険証トラブル調査の結果を公表した。\n\
         トラブルの有無について291人が回答し、72.8%が「あった」と回答した。",
        "https://news.example.jp/a/1",
    )
    .unwrap();
    let osaka = code("大阪府");
    assert_eq!(
        facts(&x),
        sorted(&[
            &format!("survey.institutions_responding|{osaka}|| = 291"),
            &format!("survey.trouble_rate|{osaka}|| = 72.8"),
        ])
    );
    let x = inline(
        "神奈川県保険医協会などによりますと、アンケート調査に答えた医療機関の9割でマイナ保険証のトラブルが発生しています。",
        "https://news.example.jp/a/2",
    )
    .unwrap();
    assert_eq!(
        facts(&x),
        vec![format!("survey.trouble_rate|{}|| = 90", code("神奈川県"))]
    );
}

#[test]
fn negated_and_other_question_shares_are_not_the_trouble_share() {
    let x = inline(
        "愛知県保険医協会は会員に調査を行い、回答した医療機関の35%ではトラブルは発生していませんでした。\n\
         利用率が20%未満の医療機関でトラブルが多く起きている。\n\
         回答した医療機関の65%でトラブルが起きている。",
        "https://news.example.jp/a/3",
    )
    .unwrap();
    assert_eq!(
        facts(&x),
        vec![format!("survey.trouble_rate|{}|| = 65", code("愛知県"))]
    );
}

#[test]
fn a_figure_whose_area_cannot_be_told_is_left_out_with_a_warning() {
    // `県保険医協会` without the prefecture's name, on a site that names none.
    let x = inline(
        "県保険医協会は、県内の会員医療機関を対象にした調査で、回答した医療機関の58%でトラブルが起きていたと発表した。",
        "https://news.example.jp/a/4",
    )
    .unwrap();
    assert!(x.rows.figures.is_empty(), "{:?}", facts(&x));
    assert!(
        x.warnings.iter().any(|w| w.contains("left out")),
        "{:?}",
        x.warnings
    );
}

#[test]
fn respondents_are_read_whichever_side_of_the_number_the_predicate_is() {
    let cases = [
        ("回答した75医療機関で38件のトラブルが確認された。", 75.0),
        (
            "3976医療機関に送付し、580医療機関(回答率は14.6%)から回答が寄せられた。",
            580.0,
        ),
        ("回答を得た9741件を最終集計した。", 9741.0),
        ("対象1523 回答数 322", 322.0),
    ];
    for (body, want) in cases {
        let t = format!("千葉県保険医協会はマイナ保険証の調査を行った。\n{body}");
        let x = inline(&t, "https://news.example.jp/a/5").unwrap();
        let got: Vec<f64> = x
            .rows
            .figures
            .iter()
            .filter(|f| f.metric == "survey.institutions_responding")
            .filter_map(|f| f.value)
            .collect();
        assert_eq!(got, vec![want], "{body}");
    }
}

/// The real development set (`fixtures/real_labels/hodanren.tsv`; page texts are kept
/// outside the repo) when `MYNAWATCH_HODANREN_PAGES` names their folder: prints the same
/// report as `mynawatch eval --family hodanren` and asserts that no figure is stored with
/// a wrong value. Skips with a message otherwise.
#[test]
fn the_real_development_set_has_no_wrong_figure_when_present() {
    use mynawatch_extract::eval::{evaluate_dir, parse_labels, render_text};
    let Some(dir) = std::env::var_os("MYNAWATCH_HODANREN_PAGES").map(std::path::PathBuf::from)
    else {
        println!("skipped: set MYNAWATCH_HODANREN_PAGES to the folder of real page texts");
        return;
    };
    let tsv = std::fs::read_to_string(
        mynawatch_testutil::fixtures_dir().join("real_labels/hodanren.tsv"),
    )
    .expect("labels");
    let labels = parse_labels(&tsv).expect("labels parse");
    let fam = family("hodanren").expect("family");
    let report = evaluate_dir(fam.as_ref(), &labels, &serde_json::Value::Null, &dir);
    println!("{}", render_text(&report));
    assert_eq!(report.total().wrong, 0, "{:#?}", report.misses);
}

#[test]
fn a_prefectures_part_of_the_national_survey_is_that_prefectures_and_the_totals_before_it_the_nations(
) {
    // An association's paper reporting 保団連's survey, then its own prefecture's part
    // (an announcement day dates no figure).
    let t = "トラブル調査 第5弾の結果\n\
        全国保険医団体連合会は2024年10月1日、トラブル調査の中間集計を公表した。\n\
        8000件の回答のうち、65%が「トラブルがあった」と回答した。\n\
        兵庫の医療機関は410の回答があり、61%が「トラブルがあった」と回答した。";
    let x = inline(t, "https://news.example.jp/paper/123").unwrap();
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_responding|000000|| = 8000",
            "survey.institutions_responding|280003|| = 410",
            "survey.trouble_rate|000000|| = 65",
            "survey.trouble_rate|280003|| = 61",
        ])
    );
}

#[test]
fn respondents_counted_in_places_are_read() {
    let t = "県内の開業医などでつくる愛媛県保険医協会は、2024年9月にアンケートを行い、県内の診療所など88カ所から回答がありました。";
    let x = inline(t, "https://news.example.jp/ehime/1").unwrap();
    assert!(
        facts(&x)
            .iter()
            .any(|f| f.starts_with("survey.institutions_responding|380008|") && f.ends_with("= 88")),
        "{:?}",
        facts(&x)
    );
}

#[test]
fn an_earlier_run_named_by_its_month_is_not_read_as_this_surveys_share() {
    let t = "トラブル調査(第2報)\n\
        今年3月に行った当会の調査では、回答した県内の医療機関のうち48.5%でトラブルがありました。\n\
        調査期間:2024年6月10日~6月20日\n\
        静岡県保険医協会は、会員の医療機関に調査を行い、150件の回答を得ました。";
    let x = inline(t, "https://news.example.jp/shizuoka/2").unwrap();
    let f = facts(&x);
    assert!(!f.iter().any(|x| x.ends_with("= 48.5")), "{f:?}");
    assert!(
        f.contains(
            &"survey.institutions_responding|220001|2024-06-10..2024-06-20| = 150".to_string()
        ),
        "{f:?}"
    );
}

/// The text layer on a report written inline (our own words, invented figures).
fn read_inline(t: &str, url: &str) -> Extraction {
    inline(t, url).unwrap_or_else(|e| panic!("{e}"))
}

/// The respondents fact read from `t` (empty when none is read).
fn respondents_read(t: &str, url: &str) -> String {
    respondents_read_from(&read_inline(t, url))
}

#[test]
fn a_count_gets_its_role_from_the_predicate_of_its_own_clause() {
    let x = read_inline(
        "岐阜県保険医協会 オンライン資格確認アンケート結果\n\
         岐阜県保険医協会は2024年9月2日から9月13日まで会員医療機関にアンケートを行い、\
         会員約2400人のうち312人の会員から回答があった。\n\
         そのうち187件で何らかのトラブルを経験していた。\n\
         窓口でいったん全額負担してもらったケースは少なくとも48件に上る。",
        "https://news.example.jp/gifu/1",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|210005|2024-09-02..2024-09-13| = 312",
        "survey.institutions_with_trouble|210005|2024-09-02..2024-09-13| = 187",
        "survey.full_charge_cases|210005|2024-09-02..2024-09-13| = 48",
    ] {
        assert_has(&f, want);
    }
    assert!(
        !f.iter().any(|x| x.contains("= 2400")),
        "the members asked are not respondents: {f:#?}"
    );
}

#[test]
fn people_with_trouble_are_not_institutions_with_trouble() {
    let x = read_inline(
        "保団連 マイナ保険証トラブルの推計\n\
         全国保険医団体連合会は、回答した8100医療機関の結果から、推計で95万人がトラブルを経験したと発表した。",
        "https://news.example.jp/national/2",
    );
    assert!(
        !x.rows
            .figures
            .iter()
            .any(|f| f.metric == "survey.institutions_with_trouble"),
        "{:#?}",
        facts(&x)
    );
    assert!(facts(&x)
        .iter()
        .any(|f| f.starts_with("survey.institutions_responding|000000|") && f.ends_with("= 8100")));
}

#[test]
fn an_aside_quoted_at_a_press_conference_is_not_a_survey_figure() {
    let x = read_inline(
        "埼玉県保険医協会が会見\n\
         【埼玉県保険医協会 会長】「カードを使っているのは全体の10%から15%くらいの人なのに、使うたびに機械が動かないトラブルが起きている」\n\
         協会が県内の医療機関に行ったアンケートによりますと、約6割の医療機関がトラブルを経験していました。",
        "https://news.example.jp/saitama/3",
    );
    let rates: Vec<f64> = x
        .rows
        .figures
        .iter()
        .filter(|f| f.metric == "survey.trouble_rate")
        .filter_map(|f| f.value)
        .collect();
    assert_eq!(rates, vec![60.0], "{:#?}", facts(&x));
}

#[test]
fn a_byline_time_stamp_dates_a_report_that_gives_no_survey_dates() {
    let x = read_inline(
        "保険医協会の調査 マイナ保険証で7割がトラブル\n\
         埼玉県保険医協会が会員に行った調査で、回答した405医療機関の7割がトラブルを経験していた。\n\
         東西新聞 2023/6/2 10:15",
        "https://news.example.jp/saitama/4",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.institutions_responding|110001|2023-06-02| = 405",
    );
}

#[test]
fn a_period_label_over_two_days_side_by_side_is_the_fieldwork_period() {
    let x = read_inline(
        "岐阜県保険医協会 マイナ保険証アンケート\n\
         調査期間=2024年6月10日 6月21日\n\
         岐阜県保険医協会のアンケートには202件の回答があり、68%の医療機関がトラブルがあったと回答した。",
        "https://news.example.jp/gifu/5",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.trouble_rate|210005|2024-06-10..2024-06-21| = 68",
    );
}

#[test]
fn a_list_that_puts_each_share_before_its_label_pairs_them_that_way() {
    let x = read_inline(
        "山梨県保険医協会 アンケート結果\n\
         2024年7月1日\n\
         山梨県保険医協会のアンケートには150人が回答し、6割がトラブルを経験したと答えた。\
         トラブルの内容(複数回答)は、62%が「資格情報が出てこない」、38%が「窓口が混雑した」、20%が「機械の故障」だった。",
        "https://news.example.jp/yamanashi/6",
    );
    let f = facts(&x);
    for want in [
        "|category=資格情報が出てこない = 62",
        "|category=窓口が混雑した = 38",
        "|category=機械の故障 = 20",
    ] {
        assert!(f.iter().any(|x| x.ends_with(want)), "{want} not in {f:#?}");
    }
}

#[test]
fn fieldwork_written_without_a_year_or_month_takes_them_from_the_publication() {
    // Days only: the publication's month (the survey ended before the report).
    let x = read_inline(
        "保険医協会が調査\n\
         東西新聞 2023/5/30 09:00\n\
         山梨県保険医協会は12~16日にファクスでアンケートを実施し、210人が回答した。",
        "https://news.example.jp/yamanashi/7",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|190004|2023-05-12..2023-05-16| = 210",
    );
    // Months across the new year, with 昨年 and 今年.
    let x = read_inline(
        "保険医協会が調査\n\
         2024年3月5日\n\
         沖縄県保険医協会は会員にアンケートを行った。調査は昨年11月~今年2月に実施し、80医療機関が回答した。",
        "https://news.example.jp/okinawa/8",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|470007|2023-11-01..2024-02-29| = 80",
    );
    // `8~9月` with the first 月 left out; a single month (`8月に行い`).
    for (sentence, period) in [
        (
            "県内の医療機関へのアンケートを8~9月に実施し",
            "2024-08-01..2024-09-30",
        ),
        (
            "会員を対象にアンケートを8月に行い",
            "2024-08-01..2024-08-31",
        ),
    ] {
        let x = read_inline(
            &format!(
                "保険医協会が調査\n2024年10月2日\n三重県保険医協会は{sentence}、95人が回答した。"
            ),
            "https://news.example.jp/mie/9",
        );
        let want = format!("survey.institutions_responding|240001|{period}| = 95");
        assert!(facts(&x).contains(&want), "{want} not in {:#?}", facts(&x));
    }
}

#[test]
fn a_count_the_trouble_clause_modifies_is_the_institutions_with_trouble() {
    let x = read_inline(
        "保団連 トラブル調査 最終集計(2/28)\n\
         2024年3月10日\n\
         全国保険医団体連合会の調査には6100医療機関が回答し、トラブルを経験した3500件のうち、80%の2800件が保険証で確認したと答えた。",
        "https://news.example.jp/national/10",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.institutions_with_trouble|000000|2024-02-28| = 3500",
    );
    assert!(!f.iter().any(|x| x.ends_with("= 2800")), "{f:#?}");
}

#[test]
fn a_report_with_no_year_takes_it_from_the_weekdays_of_its_dates() {
    // 2024-09-02 is a Monday and 2024-09-13 a Friday; the fetch is in 2025 (`inline`).
    let x = read_inline(
        "福井県保険医協会 アンケート結果\n\
         福井県保険医協会は9月2日(月)から9月13日(金)まで会員にアンケートを行い、120人が回答した。",
        "https://news.example.jp/fukui/11",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|180009|2024-09-02..2024-09-13| = 120",
    );
}

#[test]
fn a_labelled_fieldwork_period_outranks_an_earlier_run_told_in_prose() {
    let x = read_inline(
        "茨城県保険医協会 第2回調査\n\
         今年3月に行った当会の調査では、6割の医療機関でトラブルがあった。\n\
         実施期間: 2024年 6月 10日(月)~ 6月 21日(金)\n\
         今回の調査には150医療機関が回答した。",
        "https://news.example.jp/ibaraki/12",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|080004|2024-06-10..2024-06-21| = 150",
    );
}

#[test]
fn a_list_led_in_by_any_words_about_trouble_is_read_as_categories() {
    let x = read_inline(
        "保団連 中間報告のまとめ\n\
         2024年10月3日\n\
         全国保険医団体連合会の調査には8200件の回答があり、61.5%の医療機関でトラブルがあった。\n\
         よく見られたトラブルとしては、\n\
         - 氏名の一部が表示されない・・・58.1%\n\
         - 読み取り機の不調・・・44.0%\n\
         このほか窓口の混乱を訴える声も多い。",
        "https://blog.example.jp/maina/3",
    );
    let f = facts(&x);
    for want in [
        "|category=氏名の一部が表示されない = 58.1",
        "|category=読み取り機の不調 = 44",
    ] {
        assert!(f.iter().any(|x| x.ends_with(want)), "{want} not in {f:#?}");
    }
    assert!(
        !f.iter().any(|x| x.contains("窓口の混乱")),
        "the list ends at its first line that is not an item: {f:#?}"
    );
}

#[test]
fn a_share_and_the_count_it_amounts_to_are_read_together() {
    let x = read_inline(
        "秋田県保険医協会 会員アンケート\n\
         2024年6月20日\n\
         秋田県保険医協会の調査で、回答のあった県内152医療機関の約6割にあたる93機関で、\
         4月以降に計260件のトラブルが確認された。",
        "https://news.example.jp/akita/4",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|050008|2024-06-20| = 152",
        "survey.trouble_rate|050008|2024-06-20| = 60",
        "survey.institutions_with_trouble|050008|2024-06-20| = 93",
    ] {
        assert_has(&f, want);
    }
    assert!(!f.iter().any(|x| x.ends_with("= 260")), "{f:#?}");
}

#[test]
fn the_current_surveys_clauses_before_a_comparison_with_the_last_one_are_read() {
    let x = read_inline(
        "保団連 トラブル調査 第2報\n\
         2025年2月14日\n\
         全国保険医団体連合会の調査結果「約9千医療機関が回答」が公表された。\
         8,874件の回答のうち、66.2%の医療機関が「トラブルがあった」と答え、前回調査より4ポイント多かった。",
        "https://blog.example.jp/maina/5",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|000000|2025-02-14| = 8874",
        "survey.trouble_rate|000000|2025-02-14| = 66.2",
    ] {
        assert_has(&f, want);
    }
}

#[test]
fn the_most_common_trouble_named_in_prose_is_a_category() {
    let x = read_inline(
        "保団連 調査\n\
         2025年9月1日\n\
         全国保険医団体連合会によると、回答した7600医療機関の68%でトラブルが起きていた。\
         このうち最も多かったのは「資格の有効期限切れ」で41.2%だった。",
        "https://news.example.jp/national/7",
    );
    let f = facts(&x);
    let want = "|category=資格の有効期限切れ = 41.2";
    assert!(f.iter().any(|x| x.ends_with(want)), "{want} not in {f:#?}");
}

#[test]
fn the_one_association_named_by_the_survey_sentences_is_the_author_in_any_construction() {
    // No `…は` / `…によると` after the name: the organisation the survey sentences name.
    let x = read_inline(
        "医師ら調査 マイナ保険証で混乱続く\n\
         2024年2月9日\n\
         福井県保険医協会と歯科の会員が合同で行ったアンケートで、回答した130医療機関の半数でトラブルがあった。",
        "https://news.example.jp/fukui/8",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|180009|2024-02-09| = 130",
        "survey.trouble_rate|180009|2024-02-09| = 50",
    ] {
        assert_has(&f, want);
    }
    // Two organisations named by the survey sentences: no area can be told.
    let two = inline(
        "医師ら調査\n\
         2024年2月9日\n\
         福井県保険医協会と石川県保険医協会のアンケートで、回答した130医療機関の半数でトラブルがあった。",
        "https://news.example.jp/fukui/9",
    );
    let figures = two.map(|x| x.rows.figures).unwrap_or_default();
    assert!(figures.is_empty(), "{figures:#?}");
}

#[test]
fn a_response_rate_is_never_the_trouble_share() {
    let x = read_inline(
        "鳥取県保険医協会 アンケート\n\
         2024年11月5日\n\
         鳥取県保険医協会の調査に、210医療機関(回答率24%)が回答し、トラブルがあったのは131医療機関だった。",
        "https://news.example.jp/tottori/10",
    );
    let f = facts(&x);
    assert!(
        !f.iter().any(|x| x.starts_with("survey.trouble_rate")),
        "{f:#?}"
    );
    for want in [
        "survey.institutions_responding|310000|2024-11-05| = 210",
        "survey.institutions_with_trouble|310000|2024-11-05| = 131",
    ] {
        assert_has(&f, want);
    }
}

#[test]
fn respondents_under_a_label_in_any_wording_are_read() {
    for (sentence, want) in [
        ("有効回答は452件だった。", 452.0),
        ("回答は188医療機関。", 188.0),
        ("回答医療機関数 367", 367.0),
        ("回答者数は1,024人。", 1024.0),
    ] {
        let x = read_inline(
            &format!("島根県保険医協会 調査結果\n2024年5月1日\n島根県保険医協会は会員にアンケートを行った。{sentence}"),
            "https://news.example.jp/shimane/11",
        );
        let f = one(&x, "survey.institutions_responding", "");
        assert_eq!(f.value, Some(want), "{sentence}");
    }
    // A date after `回答は` is not a count.
    let x = inline(
        "島根県保険医協会 調査結果\n2024年5月1日\n島根県保険医協会は会員にアンケートを行った。回答は8月31日まで受け付けた。",
        "https://news.example.jp/shimane/12",
    );
    let figures = x.map(|x| x.rows.figures).unwrap_or_default();
    assert!(figures.is_empty(), "{figures:#?}");
}

#[test]
fn the_list_of_association_and_regional_media_sites_names_the_prefecture() {
    // Association hosts that spell no prefecture (data/survey_sites.tsv).
    let t = "当会はマイナ保険証に関するアンケート調査を行い、回答した医療機関の66%でトラブルが発生した。";
    for (url, pref) in [
        ("https://www.khk-dr.jp/news/1", "熊本県"),
        ("https://www.vidro.gr.jp/news/2", "長崎県"),
        ("https://gate.ruru.ne.jp/tochigikyoukai/3.html", "栃木県"),
    ] {
        let x = inline(t, url).unwrap();
        assert_eq!(
            facts(&x),
            vec![format!("survey.trouble_rate|{}|| = 66", code(pref))],
            "{url}"
        );
    }
    // Another page of the shared host is no association's.
    let x = inline(t, "https://gate.ruru.ne.jp/someone/3.html").unwrap();
    assert!(x.rows.figures.is_empty(), "{:?}", facts(&x));
    // A regional outlet's `県内`, on its own host; a town whose host contains an outlet's
    // name is not that outlet.
    let t = "調査は保団連が全国で実施し、県内では回答した医療機関の54%でトラブルが起きていた。";
    let x = inline(t, "https://kumanichi.com/article/4").unwrap();
    assert_eq!(
        facts(&x),
        vec![format!("survey.trouble_rate|{}|| = 54", code("熊本県"))]
    );
    let x = inline(t, "https://www.town.kumanichi-example.lg.jp/5.html").unwrap();
    assert!(x.rows.figures.is_empty(), "{:?}", facts(&x));
}

#[test]
fn a_report_that_names_its_author_only_outside_the_survey_sentences_is_that_authors() {
    // The chairman's words name 保団連; the survey sentence names no one.
    let x = read_inline(
        "マイナ保険証 トラブル続く\n\
         2025年9月3日\n\
         保団連の会長は会見で、回答した8千医療機関の6割強でトラブルがあったと述べた。\n\
         調査は7月から8月に行った。",
        "https://news.example.jp/national/13",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|000000|2025-07-01..2025-08-31| = 8000",
        "survey.trouble_rate|000000|2025-07-01..2025-08-31| = 60",
    ] {
        assert_has(&f, want);
    }
}

#[test]
fn the_share_of_institutions_where_trouble_happens_is_read_after_its_noun() {
    for (t, pref) in [
        (
            "全国保険医団体連合会の調査で、トラブルが医療機関の約7割で起きていることが分かった。",
            "000000",
        ),
        (
            "大分県保険医協会の調べでは、トラブルが回答医療機関の7割で起きていた。",
            "440001",
        ),
    ] {
        let x = read_inline(
            &format!("調査\n2025年1月20日\n{t}"),
            "https://news.example.jp/x/14",
        );
        let want = format!("survey.trouble_rate|{pref}|2025-01-20| = 70");
        let f = facts(&x);
        assert!(f.contains(&want), "{want} not in {f:#?}");
    }
}

#[test]
fn a_local_association_after_a_verb_takes_the_one_prefecture_the_page_writes_as_within() {
    let x = read_inline(
        "保険証廃止に反対 会見\n\
         2024年11月28日\n\
         県内の医師や歯科医師が参加する県保険医協会が27日に会見を開いた。\
         全国で行われた調査で、鳥取県内では回答した医療機関の62.5%でトラブルがあったという。",
        "https://news.example.jp/local/15",
    );
    let want = "survey.trouble_rate|310000|2024-11-28| = 62.5".to_string();
    let f = facts(&x);
    assert!(f.contains(&want), "{want} not in {f:#?}");
}

#[test]
fn respondents_counted_as_medical_facilities_and_trouble_that_goes_on_are_read() {
    let x = read_inline(
        "長野県保険医協会 要請\n\
         2024年10月12日\n\
         同協会は県内の108医療施設から回答を得たアンケートを基に要請した。\
         長野県保険医協会によると、回答した施設の7割でトラブルが続いている。",
        "https://news.example.jp/nagano/16",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|200000|2024-10-12| = 108",
        "survey.trouble_rate|200000|2024-10-12| = 70",
    ] {
        assert!(f.contains(&want.to_string()), "{want} not in {f:#?}");
    }
}

#[test]
fn an_earlier_survey_introduced_in_a_sentence_keeps_its_figures() {
    let x = read_inline(
        "保団連 第3回調査\n\
         2025年6月10日\n\
         全国保険医団体連合会の調査には約1万1000の医療機関が回答し、約7割でトラブルがあった。\
         保団連は今年1月にも同様の調査結果を公表しており、このときは8400の医療機関が回答し、そのうち61.2%(5141医療機関)でトラブルがあったと回答した。",
        "https://news.example.jp/national/17",
    );
    let f = facts(&x);
    // The earlier survey keeps its own period: none that the sentence gives.
    for want in [
        "survey.trouble_rate|000000||basis=previous_survey = 61.2",
        "survey.institutions_with_trouble|000000||basis=previous_survey = 5141",
    ] {
        assert!(f.contains(&want.to_string()), "{want} not in {f:#?}");
    }
    assert!(
        !f.iter()
            .any(|x| x.contains("= 5141") && !x.contains("previous")),
        "the earlier survey's count is not this one's: {f:#?}"
    );
}

#[test]
fn shares_that_are_not_the_trouble_share_stay_unread() {
    // A quoted value on a screen, a kind of trouble compared with the last survey, the most
    // common response to trouble, and a case charged in full.
    let x = read_inline(
        "保団連 調査\n\
         2025年3月3日\n\
         全国保険医団体連合会の調査で、本来は「1割」のはずが「2割」と表示されたケースや、トラブルが確認されたケースがあった。\
         とりわけ多いのが「有効期限切れ」というケース。前回調査では18.2%だったのに、今回は27.5%に増えている。\
         トラブル対応で最も多いのは「保険証で確認」で81%だった。\
         マイナ保険証「無資格」で10割請求 1022件(21.4%)。",
        "https://news.example.jp/national/18",
    );
    let f = facts(&x);
    for bad in ["= 20", "= 18.2", "= 81", "= 100"] {
        assert!(!f.iter().any(|x| x.ends_with(bad)), "{bad} in {f:#?}");
    }
}

#[test]
fn a_report_with_no_year_takes_it_from_how_it_dates_the_reforms_events() {
    // No date line and no weekday: `昨年12月に…新規発行を停止` is written in 2025, so the
    // fieldwork `2月から3月にかけて` is 2025's.
    let x = read_inline(
        "山形県保険医協会 マイナ保険証アンケート\n\
         国は昨年12月に従来の保険証の新規発行を停止した。\
         山形県保険医協会は会員にアンケートを2月から3月にかけて実施し、205件の回答を得た。",
        "https://news.example.jp/yamagata/3",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.institutions_responding|060003|2025-02-01..2025-03-31| = 205",
    );
    // A plan still to come, with a speaker's words: `来年秋に…廃止する方針` is 2023's.
    let x = read_inline(
        "富山県保険医協会 オンライン資格確認調査\n\
         会長は「来年秋に保険証を廃止する方針は撤回すべきだ」と述べた。\
         富山県保険医協会は6月5日から6月20日まで会員に調査を行い、140件が回答した。",
        "https://news.example.jp/toyama/4",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.institutions_responding|160008|2023-06-05..2023-06-20| = 140",
    );
}

#[test]
fn a_report_whose_wording_fixes_no_year_leaves_its_figures_undated() {
    // `12月2日以降も` may be written in that December or the spring after.
    let x = read_inline(
        "石川県保険医協会 調査\n\
         12月2日以降も保険証の新規発行停止をめぐる混乱が続いている。\
         石川県保険医協会は会員に調査を2月から3月にかけて実施し、88件の回答を得た。",
        "https://news.example.jp/ishikawa/5",
    );
    let f = facts(&x);
    assert_has(&f, "survey.institutions_responding|170003|| = 88");
}

#[test]
fn a_breakdown_of_who_answered_is_no_trouble_category() {
    let x = read_inline(
        "三重県保険医協会 アンケート\n\
         2024年10月1日\n\
         三重県保険医協会は9月に会員へアンケートを実施し、320人から回答を得た。\
         その内訳は、医科診療所が61.5%、歯科診療所が33.0%、病院が5.5%だった。\
         トラブルの内容は、「資格情報が無効」が48.2%で最も多かった。",
        "https://news.example.jp/mie/6",
    );
    let f = facts(&x);
    assert!(
        !f.iter().any(|x| x.contains("診療所") || x.contains("病院")),
        "{f:#?}"
    );
    assert!(
        f.iter()
            .any(|x| x.contains("category=資格情報が無効") && x.ends_with("= 48.2")),
        "{f:#?}"
    );
}

#[test]
fn a_dispatch_day_and_a_reply_deadline_in_the_next_sentence_make_the_fieldwork_period() {
    let x = read_inline(
        "滋賀県保険医協会 トラブル調査\n\
         2024年10月30日\n\
         滋賀県保険医協会の調査は10月8日に会員へFAXで送信した。\
         18日までに133件が回答し、その結果をまとめた。",
        "https://news.example.jp/shiga/7",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.institutions_responding|250007|2024-10-08..2024-10-18| = 133",
    );
}

#[test]
fn a_sentence_opening_with_the_contents_of_trouble_just_told_lists_categories() {
    let x = read_inline(
        "奈良県保険医協会 調査結果\n\
         2024年11月5日\n\
         奈良県保険医協会が10月に実施した調査では、210の回答のうち64%が「トラブルがあった」と回答した。\
         前回より5ポイント増えた。\
         内容は「資格情報が無効」58%、「カードリーダーの不具合」41%の順だった。",
        "https://news.example.jp/nara/8",
    );
    let f = facts(&x);
    for want in [
        "category=資格情報が無効 = 58",
        "category=カードリーダーの不具合 = 41",
    ] {
        assert!(f.iter().any(|x| x.ends_with(want)), "{want}: {f:#?}");
    }
    // Without trouble told just before, `内容は` opens no list of trouble.
    let x = read_inline(
        "奈良県保険医協会 意識調査\n\
         2024年11月5日\n\
         奈良県保険医協会が10月に実施した調査には210人が回答した。\
         内容は「賛成」12%、「反対」71%だった。",
        "https://news.example.jp/nara/9",
    );
    assert!(
        !facts(&x).iter().any(|x| x.contains("category=")),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn a_report_with_no_year_places_its_fieldwork_between_the_dated_events_it_tells() {
    // A state since a dated day: the fieldwork is the first one after it.
    let x = read_inline(
        "福島県保険医協会 アンケート報告\n\
         2023年4月からオンライン資格確認の導入が原則として義務付けられました。\
         福島県保険医協会は6月1日から6月14日までアンケートを実施し、150件の回答を得た。",
        "https://news.example.jp/fukushima/10",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.institutions_responding|070009|2023-06-01..2023-06-14| = 150",
    );
    // An event still to come: the fieldwork is the last one before it.
    let x = read_inline(
        "群馬県保険医協会 調査\n\
         政府は24年秋に今の保険証を廃止する方針だ。\
         群馬県保険医協会は10月2日から10月20日まで調査を行い、260件が回答した。",
        "https://news.example.jp/gunma/11",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.institutions_responding|100005|2023-10-02..2023-10-20| = 260",
    );
}

#[test]
fn survey_figures_are_read_in_the_other_forms_reports_write_them() {
    let x = read_inline(
        "愛媛県保険医協会 トラブル調査\n\
         2025年3月10日\n\
         愛媛県保険医協会の調査(回答280件)では、トラブルの発生率は61%だった。\
         トラブルがあった医療機関に内容を聞くと、「資格情報が無効」52.5%、「顔認証ができない」30.1%だった。\
         トラブルの内訳では「読み取りエラー」(44%)も多かった。\
         窓口で全額自己負担となった事例は17件あった。\
         トラブルへの対応の内容は「保険証で確認」が80%だった。",
        "https://news.example.jp/ehime/12",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|380008|2025-03-10| = 280",
        "survey.trouble_rate|380008|2025-03-10| = 61",
        "survey.trouble_category_rate|380008|2025-03-10|category=資格情報が無効 = 52.5",
        "survey.trouble_category_rate|380008|2025-03-10|category=顔認証ができない = 30.1",
        "survey.trouble_category_rate|380008|2025-03-10|category=読み取りエラー = 44",
        "survey.full_charge_cases|380008|2025-03-10| = 17",
    ] {
        assert_has(&f, want);
    }
    // The response to trouble is no kind of trouble.
    assert!(!f.iter().any(|x| x.contains("保険証で確認")), "{f:#?}");
}

#[test]
fn an_unnamed_local_association_takes_the_one_prefecture_of_the_cities_the_page_names() {
    let report = |city: &str| {
        read_inline(
            &format!(
                "マイナ保険証 トラブル\n\
                 2025年3月10日\n\
                 医師や歯科医師でつくる県保険医協会は10日、{city}内で会見し、調査結果を公表した。\
                 回答した180医療機関のうち62%でトラブルがあった。"
            ),
            "https://news.example.jp/local/13",
        )
    };
    let f = facts(&report("長崎市"));
    assert_has(&f, "survey.trouble_rate|420000|2025-03-10| = 62");
    // A city name two prefectures share tells no prefecture: no figure.
    assert!(facts(&report("府中市")).is_empty());
}

#[test]
fn a_prefectures_part_starts_at_its_sentence_even_within_one_paragraph() {
    let x = read_inline(
        "マイナ保険証 トラブル調査\n\
         2025年3月10日\n\
         保団連は10日、全国調査の結果を発表した。回答した8,512医療機関の69.8%でトラブルがあった。\
         このうち静岡県内の回答は320件で、トラブルがあったのは66%だった。",
        "https://news.example.jp/shizuoka/14",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_responding|000000|2025-03-10| = 8512",
            "survey.trouble_rate|000000|2025-03-10| = 69.8",
            // The count that answered is not also the count with trouble.
            "survey.institutions_responding|220001|2025-03-10| = 320",
            "survey.trouble_rate|220001|2025-03-10| = 66",
        ])
    );
}

#[test]
fn answers_of_yes_are_read_in_the_present_and_answers_of_no_are_not_the_share() {
    // A page with no figure at all is a layout error: no facts either.
    let share = |sentence: &str| {
        inline(
            &format!("熊本県保険医協会 調査\n2025年3月10日\n熊本県保険医協会の調査で、{sentence}"),
            "https://news.example.jp/kumamoto/15",
        )
        .map(|x| facts(&x))
        .unwrap_or_default()
    };
    for yes in [
        "トラブルが「ある」とした医療機関は54.7%だった。",
        "トラブルがあるとした医療機関は54.7%(前回63.1%)だった。",
        // An unquoted yes to the question asked before it.
        "トラブルの有無を尋ねたところ、54.7%があったと答えた。",
    ] {
        assert_eq!(
            share(yes),
            vec!["survey.trouble_rate|430005|2025-03-10| = 54.7".to_string()],
            "{yes}"
        );
    }
    for no in [
        "トラブルがあるかどうかを聞いたところ、54.7%が「ない」と答えた。",
        "トラブルがあったかを聞いたところ、30.2%が「なかった」と答えた。",
        "トラブルの有無を尋ねたところ、30.2%がなかったと答えた。",
    ] {
        assert!(share(no).is_empty(), "{no}: {:#?}", share(no));
    }
    // Respondents counted as dental clinics.
    let x = read_inline(
        "静岡県歯科保険医協会 アンケート\n2025年3月10日\n\
         静岡県歯科保険医協会のアンケートに回答した110の歯科医院のうち58%でトラブルがあった。",
        "https://news.example.jp/shizuoka/16",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|220001|2025-03-10| = 110",
    );
}

#[test]
fn an_earlier_survey_dated_by_one_month_keeps_that_month_as_its_period() {
    let x = read_inline(
        "保団連 調査\n2025年3月10日\n\
         保団連の調査で、トラブルがあった医療機関は65%で、前回調査(2024年9月)の59.8%から増えた。",
        "https://news.example.jp/national/17",
    );
    assert!(
        facts(&x).iter().any(|f| f
            == "survey.trouble_rate|000000|2024-09-01..2024-09-30|basis=previous_survey = 59.8"),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn fieldwork_in_a_month_or_between_month_parts_is_the_period() {
    let period = |sentence: &str| {
        let x = read_inline(
            &format!("岡山県保険医協会 調査結果\n2025年3月10日\n{sentence}"),
            "https://news.example.jp/okayama/18",
        );
        one(&x, "survey.institutions_responding", "").clone()
    };
    let f = period("岡山県保険医協会は2月に会員にアンケートを行い、302件の回答を得た。");
    assert_eq!(
        (f.period_start, f.period_end),
        (
            NaiveDate::from_ymd_opt(2025, 2, 1),
            NaiveDate::from_ymd_opt(2025, 2, 28)
        )
    );
    // Parts of months span the whole months, by the sets' convention (`4月中旬` as April).
    let f =
        period("岡山県保険医協会は1月下旬にアンケートを送付し、2月中旬までに302件の回答を得た。");
    assert_eq!(
        (f.period_start, f.period_end),
        (
            NaiveDate::from_ymd_opt(2025, 1, 1),
            NaiveDate::from_ymd_opt(2025, 2, 28)
        )
    );
    // The month a survey was published in is not its fieldwork.
    let f = period("岡山県保険医協会が2月に公表した調査には、302件の回答があった。");
    assert_eq!(
        (f.period_start, f.as_of),
        (None, NaiveDate::from_ymd_opt(2025, 3, 10))
    );
}

#[test]
fn a_fieldwork_range_across_new_year_and_a_fiscal_year_word_keep_the_right_dates() {
    // Bounded by a state since 2023-04: `12月から1月` is 2023-12..2024-01, not a year earlier.
    let x = read_inline(
        "福島県保険医協会 アンケート報告\n\
         2023年4月からオンライン資格確認の導入が原則として義務付けられました。\
         福島県保険医協会は12月から1月にかけてアンケートを実施し、150件の回答を得た。",
        "https://news.example.jp/fukushima/19",
    );
    let f = one(&x, "survey.institutions_responding", "");
    assert_eq!(
        (f.period_start, f.period_end),
        (
            NaiveDate::from_ymd_opt(2023, 12, 1),
            NaiveDate::from_ymd_opt(2024, 1, 31)
        )
    );
    // `2024年度の調査票` names no day of the fieldwork.
    let x = read_inline(
        "福島県保険医協会 アンケート報告\n2024年10月1日\n\
         福島県保険医協会は2024年度の調査票を9月5日に会員へ送付し、9月20日までに150件の回答を得た。",
        "https://news.example.jp/fukushima/20",
    );
    let f = one(&x, "survey.institutions_responding", "");
    assert_eq!(
        (f.period_start, f.period_end),
        (
            NaiveDate::from_ymd_opt(2024, 9, 5),
            NaiveDate::from_ymd_opt(2024, 9, 20)
        )
    );
}

#[test]
fn a_fraction_or_a_range_states_no_one_value_and_trouble_of_any_kind_reaching_a_share_is_read() {
    let read_one = |sentence: &str| {
        inline(
            &format!(
                "岡山県保険医協会 調査結果\n2025年3月10日\n岡山県保険医協会の調査で、{sentence}"
            ),
            "https://news.example.jp/okayama/21",
        )
        .map(|x| facts(&x))
        .unwrap_or_default()
    };
    // `3分の2` is not 2 institutions; `6~7割` is no single share.
    assert!(read_one("回答した医療機関の3分の2がトラブルを経験していた。").is_empty());
    assert!(read_one("トラブルがあった医療機関は6~7割に上った。").is_empty());
    assert_eq!(
        read_one("資格確認のトラブルは回答医療機関の65%に及んだ。"),
        vec!["survey.trouble_rate|330001|2025-03-10| = 65".to_string()]
    );
    // One kind of trouble reaching a share is not the trouble share.
    assert!(read_one("有効期限切れトラブルは回答の31%に達した。").is_empty());
}

#[test]
fn the_most_common_trouble_in_other_words_and_a_share_in_brackets_after_a_plain_label_are_categories(
) {
    let x = read_inline(
        "岡山県保険医協会 調査結果\n2025年3月10日\n\
         岡山県保険医協会の調査によると、最も多いトラブルは「資格情報が無効」(52%)で、「カードリーダーの不具合」(40%)が続いた。\
         トラブル事例として多かったのは、顔認証の失敗(33%)、暗証番号のロック(21%)だった。\
         カードの管理ができない理由は「紛失時の責任が重い」が85%と最も多かった。",
        "https://news.example.jp/okayama/22",
    );
    let f = facts(&x);
    for want in [
        "category=資格情報が無効 = 52",
        "category=カードリーダーの不具合 = 40",
        "category=顔認証の失敗 = 33",
        "category=暗証番号のロック = 21",
    ] {
        assert!(f.iter().any(|x| x.ends_with(want)), "{want}: {f:#?}");
    }
    // A reason asked in another question is no kind of trouble.
    assert!(!f.iter().any(|x| x.contains("紛失")), "{f:#?}");
}

#[test]
fn in_a_prefectures_part_a_figure_marked_as_the_nations_keeps_the_nations_area() {
    let x = read_inline(
        "マイナ保険証 トラブル調査\n2025年3月10日\n\
         保団連の調査によると、秋田県内で回答した120医療機関の70%でトラブルがあった。\
         全国では65%でトラブルがあった。",
        "https://news.example.jp/akita/23",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_responding|050008|2025-03-10| = 120",
            "survey.trouble_rate|050008|2025-03-10| = 70",
            "survey.trouble_rate|000000|2025-03-10| = 65",
        ])
    );
    // Both in one sentence: which is whose is not told, so neither is read.
    let x = inline(
        "マイナ保険証 トラブル調査\n2025年3月10日\n\
         保団連の調査で、トラブルがあった医療機関は全国で65%、秋田県内では70%だった。",
        "https://news.example.jp/akita/24",
    );
    assert!(x.map(|x| facts(&x)).unwrap_or_default().is_empty());
}

#[test]
fn a_prefectures_part_is_read_for_a_fu_do_or_to_as_for_a_ken() {
    for (sentence, code) in [
        ("保団連の調査で、大阪府内では回答した300医療機関の68%でトラブルがあった。", "270008"),
        (
            "保団連の調査で、道内では回答した250医療機関の66%でトラブルがあった。北海道保険医会が明らかにした。",
            "010006",
        ),
    ] {
        let x = read_inline(
            &format!("マイナ保険証 トラブル調査\n2025年3月10日\n{sentence}"),
            "https://news.example.jp/region/25",
        );
        assert_eq!(
            facts(&x),
            sorted(&[
                &format!("survey.institutions_responding|{code}|2025-03-10| = {}", if code == "270008" { 300 } else { 250 }),
                &format!("survey.trouble_rate|{code}|2025-03-10| = {}", if code == "270008" { 68 } else { 66 }),
            ]),
            "{sentence}"
        );
    }
    // `都内` with no prefecture named: whose part it is cannot be told, so nothing is read.
    let x = inline(
        "マイナ保険証 トラブル調査\n2025年3月10日\n保団連の調査で、都内の回答は500件で、62%でトラブルがあった。",
        "https://news.example.jp/region/26",
    );
    assert!(x.map(|x| facts(&x)).unwrap_or_default().is_empty());
}

#[test]
fn the_one_who_ran_the_survey_is_its_author_not_the_one_who_announces_it() {
    let x = read_inline(
        "マイナ保険証 トラブル調査\n2025年3月10日\n\
         宮城県保険医協会は10日、保団連が全国で行った調査の結果を発表した。\
         回答した8,000医療機関のうち65%でトラブルがあった。",
        "https://news.example.jp/miyagi/27",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_responding|000000|2025-03-10| = 8000",
            "survey.trouble_rate|000000|2025-03-10| = 65",
        ])
    );
    let x = read_inline(
        "マイナ保険証 トラブル調査\n2025年3月10日\n\
         保団連は10日、宮城県保険医協会が実施したアンケートの結果を紹介した。\
         回答した150医療機関のうち60%でトラブルがあった。",
        "https://news.example.jp/miyagi/28",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_responding|040002|2025-03-10| = 150",
            "survey.trouble_rate|040002|2025-03-10| = 60",
        ])
    );
}

#[test]
fn the_share_an_earlier_trouble_share_changed_to_is_the_current_one() {
    let x = read_inline(
        "保団連 調査\n2025年3月10日\n\
         保団連の調査で、トラブルがあった医療機関は前回調査の59.8%から10ポイント上昇し69.8%となった。",
        "https://news.example.jp/national/29",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.trouble_rate|000000|2025-03-10| = 69.8",
            "survey.trouble_rate|000000||basis=previous_survey = 59.8",
        ])
    );
    // One kind of trouble changing is not the trouble share, before or after.
    let x = inline(
        "保団連 調査\n2025年3月10日\n保団連の調査で、有効期限切れは前回調査の14.1%から増加し31%となった。",
        "https://news.example.jp/national/30",
    );
    assert!(!x
        .map(|x| facts(&x))
        .unwrap_or_default()
        .iter()
        .any(|f| f.starts_with("survey.trouble_rate")));
}

/// The category facts of `x`, as `label = value`.
fn categories(x: &Extraction) -> Vec<String> {
    facts(x)
        .iter()
        .filter_map(|f| f.split("|category=").nth(1).map(str::to_string))
        .collect()
}

#[test]
fn a_quoted_label_is_paired_with_its_share_by_the_words_between_them_in_either_order() {
    let head = "マイナ保険証 アンケート\n2025年6月2日\n\
                山形県保険医協会の調査で、回答した240医療機関の63%がトラブルを経験した。";
    for (body, want) in [
        // A ranking between label and share.
        (
            "内容は「資格が確認できない」が最多で51.3%、「読み取り機の不調」が38.0%だった。",
            vec!["読み取り機の不調 = 38", "資格が確認できない = 51.3"],
        ),
        // Who chose it; the list itself, right after the trouble, is the cue.
        (
            "複数回答で「氏名が黒丸になる」を挙げた医療機関が47.5%、「読み取り機の不調」との回答が30.1%あった。",
            vec!["氏名が黒丸になる = 47.5", "読み取り機の不調 = 30.1"],
        ),
        // Share first, the label finished by what the screen showed.
        (
            "44.4%の医療機関が「該当資格なし」と表示されたと答え、21.0%が「顔認証の失敗」を挙げた。",
            vec!["「該当資格なし」と表示された = 44.4", "顔認証の失敗 = 21"],
        ),
        // One label of what the screen showed, in a sentence about trouble.
        (
            "トラブルがあったところでは、「無効」と出たケースが52.0%に上った。",
            vec!["「無効」と出た = 52"],
        ),
        // Unquoted labels with the share in brackets, after `主なトラブルは`.
        (
            "主なトラブルは、保険者の情報が古い(33.3%)、読み取り機が動かない(25.0%)だった。",
            vec!["保険者の情報が古い = 33.3", "読み取り機が動かない = 25"],
        ),
        // `…のは X で N%`.
        (
            "トラブル内容で最も多いのは証明書の期限切れで29.6%だった。",
            vec!["証明書の期限切れ = 29.6"],
        ),
    ] {
        let x = read_inline(&format!("{head}\n{body}"), "https://news.example.jp/yamagata/40");
        let mut got = categories(&x);
        got.sort();
        assert_eq!(got, want, "{body}");
    }
}

#[test]
fn a_quoted_label_of_another_question_or_inside_a_clause_gets_no_share_of_its_own() {
    let head = "マイナ保険証 アンケート\n2025年6月2日\n\
                山形県保険医協会の調査で、回答した240医療機関の63%がトラブルを経験した。";
    for body in [
        // How the trouble was handled is another question.
        "主なトラブルとしては、「氏名が読めない」「読み取り機の不調」などで、対処法の72%が「従来の保険証で確認した」だった。",
        // An opinion, its share before the label.
        "複数回答で、3割以上の会員が「手間が減った」だとして評価し、「負担が増えた」だとする声もあった。",
        // A label then an opinion on it.
        "内容は、「一本化」には反対約8割、「延期」には賛成約6割だった。",
        // A label finished by a verb is not split from its share by `、`.
        "内容は、33.0%で「無効」と表示され、19.0%で読み取り機が止まった。",
    ] {
        let x = read_inline(&format!("{head}\n{body}"), "https://news.example.jp/yamagata/41");
        assert_eq!(categories(&x), Vec::<String>::new(), "{body}");
    }
    // `患者の氏名が「●」で表示された`: the quote is only part of the label.
    let x = read_inline(
        &format!(
            "{head}\n具体的なトラブル内容では患者の氏名が「●」で表示されたケースが58%で最多。"
        ),
        "https://news.example.jp/yamagata/42",
    );
    assert_eq!(categories(&x), vec!["患者の氏名が「●」で表示された = 58"]);
}

#[test]
fn trouble_in_other_words_is_trouble_but_a_named_fault_is_a_kind_of_it() {
    let x = read_inline(
        "保団連 調査\n2022年12月1日\n\
         保団連の調査で、運用中の医療機関のうち38%が何らかの不具合を経験した。\
         内容は、55%が「資格が無効と出る」、30%が「読み取り機の不具合」と答えた。",
        "https://news.example.jp/national/50",
    );
    let f = facts(&x);
    assert_has(&f, "survey.trouble_rate|000000|2022-12-01| = 38");
    assert_has(
        &f,
        "survey.trouble_category_rate|000000|2022-12-01|category=読み取り機の不具合 = 30",
    );
}

#[test]
fn a_survey_started_on_a_day_with_no_end_holds_from_that_day() {
    let x = read_inline(
        "保団連 調査最終結果\n2023年6月21日\n\
         保団連は5月20日に調査を開始し、9000カ所から回答を得た。そのうち6割でトラブルが発生した。",
        "https://news.example.jp/national/51",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_responding|000000|2023-05-20..| = 9000",
            "survey.trouble_rate|000000|2023-05-20..| = 60",
        ])
    );
}

#[test]
fn the_days_answers_came_in_are_the_fieldwork_and_a_deadline_alone_is_the_tally_day() {
    // A range of answers, its year from a countdown to the reform's 12月2日.
    let x = read_inline(
        "保団連 トラブル調査(中間報告)\n\
         12月2日の保険証の発行停止まであと2カ月です。\
         7月8日から7月30日までに8000医療機関からの回答がありました。",
        "https://news.example.jp/national/52",
    );
    assert_eq!(
        facts(&x),
        sorted(&["survey.institutions_responding|000000|2024-07-08..2024-07-30| = 8000"])
    );
    // A request day and a deadline make the period, the request in other words.
    let x = read_inline(
        "愛媛県保険医協会 アンケート\n2024年10月20日\n\
         愛媛県保険医協会は9月2日に会員へ協力を依頼し、9月20日までに210人から回答を得た。",
        "https://news.example.jp/ehime/52",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|380008|2024-09-02..2024-09-20| = 210",
    );
    // Only the deadline: the day answers were counted up to.
    let x = read_inline(
        "愛媛県保険医協会 アンケート\n2024年10月20日\n\
         愛媛県保険医協会の会員アンケートは、9月20日までに、210人から回答を得た。",
        "https://news.example.jp/ehime/53",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|380008|2024-09-20| = 210",
    );
}

#[test]
fn one_institutions_story_in_a_prefecture_opens_no_part_of_the_national_report() {
    let x = read_inline(
        "保団連 調査\n2023年6月21日\n\
         保団連は全国の医療機関に調査を行った。福岡県内のある病院では顔認証をやめたという。\
         佐賀県内の病院で起きた例もある。保団連は、9000カ所から回答を得た。\
         そのうち65%でトラブルが発生した。",
        "https://news.example.jp/national/54",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_responding|000000|2023-06-21| = 9000",
            "survey.trouble_rate|000000|2023-06-21| = 65",
        ])
    );
}

#[test]
fn a_report_hard_wrapped_at_a_fixed_width_is_read_as_its_sentences() {
    let x = read_inline(
        "転載\n公開日:2024/10/02\n\
         全国保険医団体連合会(保団連)が1日、\n\
         夏に起きたトラブルの調査結果\n\
         を公表。\n\
         約8千の医療機関のうち「トラブルがあった」\n\
         が約60%に上った。\n\
         主なトラブルは、\n\
         ・氏名が黒丸になる 58.0%\n\
         ・読み取りの失敗 40.5%\n",
        "https://blog.example.jp/repost/1",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|000000|2024-10-02| = 8000",
        "survey.trouble_rate|000000|2024-10-02| = 60",
        "survey.trouble_category_rate|000000|2024-10-02|category=氏名が黒丸になる = 58",
        "survey.trouble_category_rate|000000|2024-10-02|category=読み取りの失敗 = 40.5",
    ] {
        assert_has(&f, want);
    }
}

#[test]
fn a_narrowed_base_of_the_trouble_share_is_not_the_count_that_answered() {
    let x = read_inline(
        "奈良県保険医協会 調査\n2023年6月14日\n\
         奈良県保険医協会の調査では、システムを運用している120件のうち、トラブルがあったのは80件で約7割だった。",
        "https://news.example.jp/nara/60",
    );
    assert!(
        !facts(&x)
            .iter()
            .any(|f| f.starts_with("survey.institutions_responding")),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn those_that_gave_one_answer_are_not_all_that_answered() {
    let x = read_inline(
        "奈良県保険医協会 調査\n2023年6月14日\n\
         奈良県保険医協会の調査によると、システムを導入している医療機関140件のうち、\
         なんらかのトラブルがあったと回答したのは90件で、約6割にのぼる。",
        "https://news.example.jp/nara/61",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_with_trouble|290009|2023-06-14| = 90",
            "survey.trouble_rate|290009|2023-06-14| = 60",
        ])
    );
}

#[test]
fn prose_lines_under_a_breakdown_heading_are_categories_with_approximate_shares() {
    let x = read_inline(
        "保団連 調査\n2023年6月20日\n\
         全国保険医団体連合会の調査で、トラブルがあった割合は全体の61.2%だった。\n\
         内訳:\n\
         保険者の情報が古いままで「資格なし」と出るケースが約60%を占めた。\n\
         読み取り機の故障でカードを読めないトラブルが約45%あった。\n\
         何らかのトラブルが約3%あった。",
        "https://news.example.jp/national/62",
    );
    let mut got = categories(&x);
    got.sort();
    assert_eq!(
        got,
        vec![
            "保険者の情報が古いままで「資格なし」と出る = 60",
            "読み取り機の故障でカードを読めない = 45",
        ]
    );
}

#[test]
fn months_named_relative_to_the_page_give_the_fieldwork() {
    // `先月` of a page dated with its clock time.
    let x = read_inline(
        "マイナ保険証 県内医療機関の6割でトラブル\n2024年11月20日 18時30分\n\
         広島県保険医協会は20日、アンケートの結果を公表しました。\
         アンケートは先月、会員の医療機関を対象に行われ、300の医療機関から回答がありました。\
         トラブルがあったと答えた医療機関は60.5%にのぼりました。",
        "https://tv.example.jp/hiroshima/70",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_responding|340006|2024-10-01..2024-10-31| = 300",
            "survey.trouble_rate|340006|2024-10-01..2024-10-31| = 60.5",
        ])
    );
    // `去年10月から12月にかけて`: both months of last year, not December alone.
    let x = read_inline(
        "マイナ保険証トラブル、7割超の医療機関で\n2024年6月3日\n\
         北海道保険医会によりますと、去年10月から12月にかけて実施した調査で、\
         回答のあった400医療機関のうち72.0%でトラブルが起きていました。",
        "https://tv.example.jp/hokkaido/71",
    );
    assert_has(
        &facts(&x),
        "survey.trouble_rate|010006|2023-10-01..2023-12-31| = 72",
    );
}

#[test]
fn counts_after_a_noun_or_a_share_keep_their_roles() {
    let x = read_inline(
        "歯科でもトラブル\n2024年2月5日\n\
         熊本県歯科保険医協会は、会員へのアンケート結果をまとめた。回答した歯科医院は140件で、\
         トラブルを経験したのは55.0%にあたる77の医院だった。",
        "https://news.example.jp/kumamoto/72",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.institutions_responding|430005|2024-02-05| = 140",
    );
    assert_has(&f, "survey.trouble_rate|430005|2024-02-05| = 55");
    assert_has(
        &f,
        "survey.institutions_with_trouble|430005|2024-02-05| = 77",
    );
}

#[test]
fn a_pages_time_stamp_is_its_date_in_the_forms_news_sites_write_it() {
    for stamp in [
        "配信日時:2023年6月14日 18時45分",
        "2023年6月14日(水) 午後6時45分",
        "投稿日: 2023年6月14日",
        "2023-06-14T18:45:00+09:00",
        "更新 2023年6月14日 午後 6:45",
        // No year: the weekday places it.
        "6/14(水) 18:00配信",
    ] {
        let x = read_inline(
            &format!(
                "マイナ保険証トラブル\n{stamp}\n\
                 山梨県保険医協会の調査によると、回答した150医療機関のうち60.0%でトラブルがあった。"
            ),
            "https://news.example.jp/yamanashi/80",
        );
        assert_has(&facts(&x), "survey.trouble_rate|190004|2023-06-14| = 60");
    }
}

#[test]
fn trouble_in_more_verbs_and_a_share_changed_from_a_bracketed_earlier_one() {
    let x = read_inline(
        "マイナ保険証トラブル\n2024年6月14日\n\
         長野県保険医協会の調査で、医療機関の58%がトラブルに見舞われていた。",
        "https://news.example.jp/nagano/90",
    );
    assert_has(&facts(&x), "survey.trouble_rate|200000|2024-06-14| = 58");
    let x = read_inline(
        "マイナ保険証トラブル\n2024年6月14日\n\
         長野県保険医協会の調査で、トラブルを経験した医療機関は、前回調査(51%)から増え、58%となった。",
        "https://news.example.jp/nagano/91",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.trouble_rate|200000|2024-06-14| = 58",
            "survey.trouble_rate|200000||basis=previous_survey = 51",
        ])
    );
}

#[test]
fn the_count_that_answered_is_read_in_the_words_reports_use() {
    for sentence in [
        "アンケートに答えたのは180医療機関。",
        "回答者数:180人",
        "回答したのは180の医療機関。",
        "回収数は180件で、回収率は15.0%だった。",
        "180件を回収した。",
    ] {
        let x = read_inline(
            &format!(
                "マイナ保険証トラブル\n2024年6月14日\n\
                 長野県保険医協会が会員を対象に調査した。{sentence}トラブルがあったのは61%だった。"
            ),
            "https://news.example.jp/nagano/92",
        );
        assert_has(
            &facts(&x),
            "survey.institutions_responding|200000|2024-06-14| = 180",
        );
    }
    // Those who gave one answer are not all that answered.
    let x = read_inline(
        "マイナ保険証トラブル\n2024年6月14日\n\
         長野県保険医協会の調査で、トラブルがあったと答えたのは110医療機関だった。",
        "https://news.example.jp/nagano/93",
    );
    assert!(!facts(&x)
        .iter()
        .any(|f| f.starts_with("survey.institutions_responding")));
}

#[test]
fn the_fieldwork_is_read_in_the_forms_reports_write_it() {
    for (sentence, want) in [
        (
            "長野県保険医協会は、5月10日に調査票を送付し、21日までに回答を得た。",
            "2024-05-10..2024-05-21",
        ),
        (
            "長野県保険医協会は5月10日から2週間、会員に調査を行った。",
            "2024-05-10..2024-05-23",
        ),
        (
            "長野県保険医協会は今年5月、会員に調査を行った。",
            "2024-05-01..2024-05-31",
        ),
        (
            "長野県保険医協会は5/10~5/21に会員にアンケートを実施した。",
            "2024-05-10..2024-05-21",
        ),
        (
            "長野県保険医協会の緊急アンケート(2024年5月実施)による。",
            "2024-05-01..2024-05-31",
        ),
    ] {
        let x = read_inline(
            &format!(
                "マイナ保険証トラブル\n2024年6月14日\n{sentence}回答は210件で、トラブルがあったのは61%だった。"
            ),
            "https://news.example.jp/nagano/94",
        );
        assert_has(
            &facts(&x),
            &format!("survey.trouble_rate|200000|{want}| = 61"),
        );
    }
}

#[test]
fn institutions_that_charged_in_full_are_not_cases_of_it() {
    let x = read_inline(
        "マイナ保険証トラブル\n2024年6月14日\n\
         全国保険医団体連合会の調査で、10割負担が生じた医療機関は120か所に上った。\
         10割負担を求めたケースは、計350件確認された。",
        "https://news.example.jp/national/95",
    );
    assert_eq!(
        facts(&x),
        sorted(&["survey.full_charge_cases|000000|2024-06-14| = 350"])
    );
}

#[test]
fn an_earlier_surveys_share_of_one_kind_of_trouble_stays_that_kinds() {
    let x = read_inline(
        "保団連 調査\n2025年5月13日\n\
         保団連の調査では、トラブルの内容は有効期限切れが29%で、前回(24年8月)調査の12%から大きく増えた。",
        "https://news.example.jp/national/96",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.trouble_category_rate|000000|2024-08-01..2024-08-31|category=有効期限切れ|basis=previous_survey = 12",
            "survey.trouble_category_rate|000000|2025-05-13|category=有効期限切れ = 29",
        ])
    );
    // Its earlier survey named by last year's months.
    let x = read_inline(
        "保団連 調査\n2025年5月13日\n\
         保団連の調査で、9割の医療機関がトラブルを経験した。具体的な内容は、有効期限切れは29.0%で、昨年8~9月の調査(12.5%)より大幅に増加した。",
        "https://news.example.jp/national/97",
    );
    assert_has(
        &facts(&x),
        "survey.trouble_category_rate|000000|2024-08-01..2024-09-30|category=有効期限切れ|basis=previous_survey = 12.5",
    );
}

#[test]
fn days_named_by_last_year_or_last_month_are_read_with_the_pages_calendar() {
    // `昨年11月18日から12月20日まで`: both days of last year.
    let x = read_inline(
        "マイナ保険証 協会調査\n2025年2月10日(月)\n\
         埼玉県保険医協会が昨年11月10日から12月12日まで実施した会員アンケート(回答数450)で、\
         トラブルが「あった」との回答が70・2%に上りました。",
        "https://news.example.jp/saitama/98",
    );
    assert_has(
        &facts(&x),
        "survey.trouble_rate|110001|2024-11-10..2024-12-12| = 70.2",
    );
    // `先月20日から今月6日まで` on a page of 2024-12-12.
    let x = read_inline(
        "マイナ保険証 県内医療機関の7割でトラブル\n2024年12月12日 11:50\n\
         広島県保険医協会のアンケートは先月18日から今月4日まで行われ、280の医療機関が回答しました。\
         このうち69.6%がトラブルがあったと答えました。",
        "https://tv.example.jp/hiroshima/99",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|340006|2024-11-18..2024-12-04| = 280",
    );
}

#[test]
fn a_request_with_answers_gives_the_fieldwork_and_a_months_end_the_tally_day() {
    let x = read_inline(
        "マイナ保険証 アンケート\n2025年9月30日\n\
         静岡県保険医協会は29日、会員アンケートの結果を公表した。8月20日から9月10日にかけ、\
         会員にファクスで依頼し、300件の回答を得た(回答率11.5%)。\
         資格確認で不具合を経験したのは210件、70.0%だった。",
        "https://news.example.jp/shizuoka/100",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|220001|2025-08-20..2025-09-10| = 300",
        "survey.institutions_with_trouble|220001|2025-08-20..2025-09-10| = 210",
        "survey.trouble_rate|220001|2025-08-20..2025-09-10| = 70",
    ] {
        assert_has(&f, want);
    }
    let x = read_inline(
        "マイナ保険証 アンケート\n2024年10月16日\n\
         奈良県保険医協会は15日、アンケートの結果を発表した。9月末までに回答があった150医療機関のうち\
         100医療機関(66.7%)が、トラブルがあったと答えた。",
        "https://news.example.jp/nara/101",
    );
    assert_has(&facts(&x), "survey.trouble_rate|290009|2024-09-30| = 66.7");
}

#[test]
fn a_headlines_whole_share_gives_way_to_the_bodys_exact_one() {
    let x = read_inline(
        "マイナ保険証 68%がトラブル 長野県保険医協会\n2025年9月30日\n\
         長野県保険医協会のアンケートで、トラブルを経験したのは68.4%だった。",
        "https://news.example.jp/nagano/102",
    );
    assert_eq!(
        facts(&x),
        sorted(&["survey.trouble_rate|200000|2025-09-30| = 68.4"])
    );
}

#[test]
fn a_pdf_wrapped_at_a_width_is_read_across_its_line_breaks() {
    let x = read_inline(
        "マイナ保険証利用に関わる実態調査(中間集計)\n\
         2025年3月27日(木)保団連記者会見\n\
         全国保険医団体連合会\n\
         01 調査概要\n\
         政府は昨年12月2日、健康保険証の新規発行を停止した。経過措置として健康保険証は最長1年間使\n\
         うことができるが、それも春の異動や夏の更新によって多くの人の手元から実際に健康保険証がなく\n\
         なる状況になる。当会では、患者さんや医療者が安心して利用できる状況かを明らかにするため、実\n\
         態調査を実施した。健康保険証の新規発行停止後、初めての全国調査となる。調査は2月中旬から実\n\
         施し、3月 12 日までに到着した回答 8100 件を中間集計としてとりまとめた。30都府県からの回答\n\
         となる。回答者の内訳は医科診療所が多く、病院や歯科診療所からも回答があった。次のページで\n\
         は、直近の利用率と窓口の状況をまとめている。\n",
        "https://docs.example.jp/hodanren/21",
    );
    assert_eq!(
        facts(&x),
        sorted(&["survey.institutions_responding|000000|2025-02-01..2025-03-12| = 8100"])
    );
}

#[test]
fn an_answer_with_its_count_and_share_gives_the_trouble_figures() {
    let x = read_inline(
        "保団連 実態調査 最終報告\n2026年7月1日\n\
         保団連は、2026年5月11日から6月19日まで調査を実施し、9,800医療機関から回答を得た。\n\
         ■トラブルの有無\n\
         「あった」7,100医療機関(72.4%)、「なかった」2,700医療機関(27.6%)",
        "https://news.example.jp/national/103",
    );
    let p = "2026-05-11..2026-06-19";
    for want in [
        format!("survey.institutions_with_trouble|000000|{p}| = 7100"),
        format!("survey.trouble_rate|000000|{p}| = 72.4"),
    ] {
        assert_has(&facts(&x), &want);
    }
}

#[test]
fn a_count_told_of_the_trouble_topic_is_not_the_count_that_answered() {
    let x = read_inline(
        "保団連調査\n2025年10月9日\n\
         保団連の調査で、トラブルが「あった」のは7,700医療機関で、回答の70.5%を占めた。",
        "https://news.example.jp/national/104",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_with_trouble|000000|2025-10-09| = 7700",
            "survey.trouble_rate|000000|2025-10-09| = 70.5",
        ])
    );
}

#[test]
fn a_short_wrapped_blog_post_is_dated_by_its_byline() {
    let x = read_inline(
        "愛媛県保険医協会 マイナ保険証アンケート\n\
         2026年3月2日 更新\n\
         愛媛県保険医協会が2月2日から2月16日にかけて会員にFAXで\n\
         実施したアンケートの結果です。回答90件のうち、トラブルが\n\
         「あった」のは80.0%。内容は「●が出る」52.2%、\n\
         「有効期限切れ」46.7%が上位でした。\n",
        "https://blog.example.jp/ehime/105",
    );
    let p = "2026-02-02..2026-02-16";
    let f = facts(&x);
    for want in [
        format!("survey.institutions_responding|380008|{p}| = 90"),
        format!("survey.trouble_rate|380008|{p}| = 80"),
        format!("survey.trouble_category_rate|380008|{p}|category=有効期限切れ = 46.7"),
    ] {
        assert_has(&f, &want);
    }
    // An earlier survey named by last year's months right before it.
    let x = read_inline(
        "神奈川県保険医協会 2回目の調査\n2024年12月10日\n\
         神奈川県保険医協会は11月1日から22日にかけて調査を行い、1200医療機関が回答した。\
         トラブルが「あった」は900医療機関、75.0%に上った。\
         昨年5~6月の前回調査では「あった」が66.0%だった。",
        "https://news.example.jp/kanagawa/106",
    );
    assert_has(
        &facts(&x),
        "survey.trouble_rate|140007|2023-05-01..2023-06-30|basis=previous_survey = 66",
    );
}

#[test]
fn exact_figures_in_brackets_after_rough_ones_and_a_deadline_named_so() {
    let x = read_inline(
        "福島県保険医協会 アンケート\n2024年12月3日\n\
         協会は11月5日、会員医療機関にFAXで調査票を送付した。回答期限は同22日とし、\
         約300の医療機関(304医療機関)から回答を得た。\
         トラブルがあったのは203医療機関、66.8%で、内容は「●(黒丸)表示」が5割超(52.6%)と最も多かった。\
         国の一時金については、「申請しない」が42.1%だった。",
        "https://news.example.jp/fukushima/107",
    );
    let p = "2024-11-05..2024-11-22";
    assert_eq!(
        facts(&x),
        sorted(&[
            &format!("survey.institutions_responding|070009|{p}| = 304"),
            &format!("survey.institutions_with_trouble|070009|{p}| = 203"),
            &format!("survey.trouble_category_rate|070009|{p}|category=●(黒丸)表示 = 52.6"),
            &format!("survey.trouble_rate|070009|{p}| = 66.8"),
        ])
    );
}

#[test]
fn a_tally_day_written_as_now_with_an_era_year_dates_the_figures() {
    let x = read_inline(
        "神奈川県歯科保険医協会 トラブル調査(令和7年3月31日現在)\n\
         本会が受け付けているマイナ保険証トラブル調査の集計結果(令和7年3月31日現在)です。\n\
         回答数 230件\n\
         トラブルあり 160件(69.6%)",
        "https://kyokai.example.jp/dental/108",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|140007|2025-03-31| = 230",
    );
}

/// The facts of a report that must not carry `unwanted` (a figure, a period or a label).
fn assert_none(t: &str, url: &str, unwanted: &str) {
    let f = facts_or_none(t, url);
    assert!(
        !f.iter().any(|x| x.contains(unwanted)),
        "{unwanted} in {f:#?}"
    );
}

#[test]
fn words_that_only_look_like_a_reading_give_no_wrong_fact() {
    let head = "マイナ保険証 調査\n2025年6月14日\n";
    let url = "https://news.example.jp/review/1";
    // The current survey started last year is not an earlier one.
    let x = read_inline(
        &format!("{head}保団連が昨年末に開始した今回の調査では、68%がトラブルを経験した。"),
        url,
    );
    assert_eq!(
        facts(&x),
        sorted(&["survey.trouble_rate|000000|2025-06-14| = 68"])
    );
    for (text, unwanted) in [
        // A population estimated is not the count that answered.
        ("保団連は、約8万の医療機関のうち7割でトラブルが起きていると推計している。", "= 80000"),
        // One answer's count is not all that answered.
        (
            "保団連の調査で、「トラブルがあった」との回答110件、「なかった」との回答40件だった。",
            "institutions_responding",
        ),
        // A fraction is no day.
        (
            "長野県保険医協会は調査票を会員の1/3に送付し、5月31日までに210件の回答を得た。",
            "2025-01-03",
        ),
        // A named fault is a kind of trouble, not the trouble share.
        (
            "保団連の調査で、回答は900件。カードリーダーが不具合を起こした医療機関は23%だった。",
            "trouble_rate",
        ),
        // An earlier survey's deadline is not this one's tally day.
        (
            "保団連の調査で、回答は900件、トラブルは70%。前回調査では、9月末までに回答した150医療機関のうち55%だった。",
            "2025-09-30",
        ),
        // An opinion is no kind of trouble.
        (
            "保団連の調査で、トラブルがあったのは70%。今後の保険証のあり方では「存続すべき」が52%、「延期すべき」が30%だった。",
            "category=",
        ),
        // `10日で` is a span, not a deadline day.
        (
            "長野県保険医協会は5月13日に会員へ調査票を送付した。回答期限を待たず、わずか10日で210件の回答が寄せられた。",
            "2025-06-10",
        ),
    ] {
        assert_none(&format!("{head}{text}"), url, unwanted);
    }
    // A line opening with a stamp word but no stamp is no page date.
    assert_none(
        "マイナ保険証 調査\n更新された資格確認書は2025年8月1日から使える。\n保団連の調査で、トラブルがあったのは70%だった。",
        url,
        "2025-08-01",
    );
}

#[test]
fn a_questionnaires_tally_is_read_question_by_question() {
    let x = read_inline(
        "岩手県保険医協会 マイナ保険証アンケート 集計結果\n\
         調査期間 2025年11月4日(火)~11月21日(金)\n\
         回答数 160件(回答率12.5%)\n\
         Q3 マイナ保険証・オンライン資格確認でトラブルはありましたか\n\
         あった 112件 70.0%\n\
         なかった 48件 30.0%\n\
         Q4 トラブルの内容(複数回答、Q3で「あった」と回答した方)\n\
         ●(黒丸)で表示される 60.7%\n\
         有効期限切れ 41.1%\n\
         Q5 いったん10割負担を求めた件数 計9件",
        "https://kyokai.example.jp/iwate/109",
    );
    let p = "2025-11-04..2025-11-21";
    assert_eq!(
        facts(&x),
        sorted(&[
            &format!("survey.full_charge_cases|030007|{p}| = 9"),
            &format!("survey.institutions_responding|030007|{p}| = 160"),
            &format!("survey.institutions_with_trouble|030007|{p}| = 112"),
            &format!("survey.trouble_category_rate|030007|{p}|category=●(黒丸)で表示される = 60.7"),
            &format!("survey.trouble_category_rate|030007|{p}|category=有効期限切れ = 41.1"),
            &format!("survey.trouble_rate|030007|{p}| = 70"),
        ])
    );
}

#[test]
fn an_associations_byline_dates_the_report() {
    let x = read_inline(
        "会員アンケート マイナ保険証トラブル 60%が「あった」\n\
         京都府保険医協会 2024年12月20日\n\
         協会は11月18日から12月6日まで会員医療機関にアンケートを行い、280件の回答を得た。\
         トラブルが「あった」は60%。",
        "https://kyokai.example.jp/kyoto/110",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_responding|260002|2024-11-18..2024-12-06| = 280",
            "survey.trouble_rate|260002|2024-11-18..2024-12-06| = 60",
        ])
    );
}

#[test]
fn category_rows_with_counts_or_ranks_are_read_and_keep_the_page_date() {
    // Three table rows as long as the headline: they are rows, not a text cut at a width,
    // so the headline is not glued onto the date line below it.
    let head = "マイナ保険証 トラブル続く 県保険医協会が調査\n2025年3月10日\n\
                長野県保険医協会は会員医療機関にアンケートを行い、298医療機関が回答した。\
                トラブルが「あった」と答えたのは68.1%だった。\n";
    for rows in [
        "トラブルの内訳\n資格情報が無効と表示された　188件　63.1%\n\
         カードリーダーの不具合　121件　40.6%\n氏名が●で表示された　97件　32.6%",
        "トラブルの内容（複数回答）\n1位　資格情報が無効と表示された（63.1%）\n\
         2位　カードリーダーの不具合（40.6%）\n3位　氏名が●で表示された（32.6%）",
    ] {
        let x = read_inline(&format!("{head}{rows}"), "https://news.example.jp/nagano/7");
        let f = facts(&x);
        assert_eq!(
            categories(&x),
            sorted(&[
                "カードリーダーの不具合 = 40.6",
                "氏名が●で表示された = 32.6",
                "資格情報が無効と表示された = 63.1",
            ]),
            "{rows}"
        );
        assert_has(
            &f,
            "survey.institutions_responding|200000|2025-03-10| = 298",
        );
    }
}

#[test]
fn a_section_headed_as_a_patients_poll_gives_no_clinic_figures() {
    let x = read_inline(
        "山梨県保険医協会\n二つのアンケートから\n2025年5月12日\n\
         当会は春に、患者さんへのアンケートと会員医療機関への調査を行いました。\n\
         【1】患者さんへのアンケート\n\
         待合室で用紙を配り、1,530件の回答がありました。\n\
         ・受付でトラブルを経験したことが「ある」 18.2%\n\
         【2】会員医療機関への調査\n\
         4月7日から25日まで実施し、233の医療機関から回答がありました。\
         トラブルが「あった」との回答は61.4%でした。\n",
        "https://kyokai.example.jp/yamanashi/2",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_responding|190004|2025-04-07..2025-04-25| = 233",
            "survey.trouble_rate|190004|2025-04-07..2025-04-25| = 61.4",
        ])
    );
}

#[test]
fn shares_by_kind_of_institution_give_way_to_the_whole_surveys_share() {
    let x = read_inline(
        "宮崎県保険医協会 アンケート結果\n公開日 2025/10/20\n\
         当会は9月1日から19日まで会員医療機関を対象に調査を行い、158件の回答を得た。\n\
         トラブルが「あった」と答えたのは、医科で70.4%、歯科で55.0%だった。全体では104件、65.8%である。",
        "https://kyokai.example.jp/miyazaki/5",
    );
    assert_eq!(
        facts(&x),
        sorted(&[
            "survey.institutions_responding|450006|2025-09-01..2025-09-19| = 158",
            "survey.institutions_with_trouble|450006|2025-09-01..2025-09-19| = 104",
            "survey.trouble_rate|450006|2025-09-01..2025-09-19| = 65.8",
        ])
    );
}

#[test]
fn a_headline_bound_gives_way_to_the_exact_share_and_a_narrowed_base_is_no_share() {
    let x = read_inline(
        "トラブル「あった」が半数超 県協会調査\n2025年3月4日\n\
         福井県保険医協会は2月3日から21日まで会員に調査を行い、402人が回答した。\
         オンライン資格確認を運用しているのは回答の91%で、そのうちトラブルが「あった」と答えたのは228人(56.7%)だった。",
        "https://news.example.jp/fukui/11",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.trouble_rate|180009|2025-02-03..2025-02-21| = 56.7",
    );
    assert!(
        !f.iter().any(|f| f.ends_with("= 91") || f.ends_with("= 50")),
        "{f:#?}"
    );
}

#[test]
fn a_slide_deck_laid_out_as_labels_over_values_and_tables_is_read() {
    // pdftotext of a results deck: labels above their values, questions with their base
    // `(N=…)`, tables with column headers, the 10割 question's table with two columns.
    let x = read_inline(
        "マイナ保険証に関する会員調査 結果\n岡山県保険医協会\n\n\
         1\n調査の概要\n調査期間\n2025 年 6 月 2 日(月)〜 6 月 20 日(金)\n\
         回答\n341 医療機関(回答率 16.0%)\n\n\
         2\n問1 マイナ保険証に関するトラブルはありましたか(N=341)\n\
         件数 割合\n\
         あった          228     66.9%\n\
         なかった        105     30.8%\n\n\
         3\n問2 トラブルの内容(複数回答 N=228)\n\
         件数 割合\n\
         資格情報が無効と表示された     131    57.5%\n\
         カードリーダーの不具合          90    39.5%\n\n\
         4\n問3 資格確認ができず、10割負担を求めたことはありますか\n\
         医療機関数 件数\n\
         ある           19       44\n",
        "https://kyokai.example.jp/okayama/deck.pdf",
    );
    let p = "330001|2025-06-02..2025-06-20|";
    assert_eq!(
        facts(&x),
        sorted(&[
            &format!("survey.full_charge_cases|{p} = 44"),
            &format!("survey.institutions_responding|{p} = 341"),
            &format!("survey.institutions_with_trouble|{p} = 228"),
            &format!("survey.trouble_category_rate|{p}category=カードリーダーの不具合 = 39.5"),
            &format!("survey.trouble_category_rate|{p}category=資格情報が無効と表示された = 57.5"),
            &format!("survey.trouble_rate|{p} = 66.9"),
        ])
    );
}

#[test]
fn a_table_laid_out_column_after_column_is_read_row_by_row() {
    // pdftotext without layout: each table's row labels, then its counts, then its shares;
    // the fieldwork's end on the next line; page numbers between the tables.
    let x = read_inline(
        "静岡県保険医協会 マイナ保険証アンケート集計\n\
         実施期間:2025年5月12日\n~6月6日\n\
         1\n問1 回答した施設\n病院\n診療所\n合計\n12\n176\n188\n6.4%\n93.6%\n100%\n\
         問2 マイナ保険証に関するトラブル\nあった\nなかった\n合計\n121\n67\n188\n64.4%\n35.6%\n100%\n\
         2\n問3 トラブルの内容(複数回答、n=121)\n資格情報が無効\n●表示\nその他\n71\n58\n9\n\
         58.7%\n47.9%\n7.4%\n3\n",
        "https://kyokai.example.jp/shizuoka/result.pdf",
    );
    let p = "220001|2025-05-12..2025-06-06|";
    assert_eq!(
        facts(&x),
        sorted(&[
            &format!("survey.institutions_responding|{p} = 188"),
            &format!("survey.institutions_with_trouble|{p} = 121"),
            &format!("survey.trouble_category_rate|{p}category=その他 = 7.4"),
            &format!("survey.trouble_category_rate|{p}category=資格情報が無効 = 58.7"),
            &format!("survey.trouble_category_rate|{p}category=●表示 = 47.9"),
            &format!("survey.trouble_rate|{p} = 64.4"),
        ])
    );
}

#[test]
fn a_table_comparing_this_survey_with_the_last_gives_each_column_its_survey() {
    let report = |columns: &str, rows: &str, earlier: &str| {
        read_inline(
            &format!(
                "三重県保険医協会 トラブル調査報告\n2025 年 11 月 4 日\n\
                 調査期間    2025 年 10 月 1 日 ~ 10 月 17 日\n\
                 回  答      154 医療機関(回答率 11.0%)\n\
                 トラブルの有無\n「あった」 101 医療機関(65.6%)\n{earlier}\n\
                 トラブルの内容(複数回答)\n{columns}\n{rows}\n"
            ),
            "https://kyokai.example.jp/mie/report.pdf",
        )
    };
    let p = "240001|2025-10-01..2025-10-17|";
    // This survey's column first, the earlier survey dated on the page.
    let x = report(
        "今回(2025年)    前回(2024年)",
        "資格情報が無効      52.5%      47.0%\n●が出る            70.3%      61.2%",
        "前回調査(2024年10月実施)では「あった」は60.8%",
    );
    let f = facts(&x);
    for want in [
        format!("survey.institutions_responding|{p} = 154"),
        format!("survey.trouble_rate|{p} = 65.6"),
        format!("survey.trouble_category_rate|{p}category=資格情報が無効 = 52.5"),
        format!("survey.trouble_category_rate|{p}category=●が出る = 70.3"),
        "survey.trouble_category_rate|240001|2024-10-01..2024-10-31|category=資格情報が無効|basis=previous_survey = 47".into(),
        "survey.trouble_rate|240001|2024-10-01..2024-10-31|basis=previous_survey = 60.8".into(),
    ] {
        assert_has(&f, &want);
    }
    // The earlier survey's column first, and no date for it: only this survey's shares.
    let x = report(
        "前回 今回",
        "資格情報が無効      47.0%      52.5%",
        "前回より増えた。",
    );
    assert_eq!(
        categories(&x),
        sorted(&["資格情報が無効 = 52.5"]),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn a_list_ends_where_its_titles_mark_opens_the_next_section() {
    let x = read_inline(
        "福島県保険医協会 アンケート結果\n公開日 2025/12/01\n\
         当会は11月4日から21日まで会員医療機関に調査を行い、回答者数は208でした。\n\
         ●トラブルの内容(複数回答)\n\
         ・「資格情報が無効」 51.2%\n\
         ・「カードリーダーの不具合」 40.0%\n\
         ●「保険証の廃止は見直すべきだ」 81.3%\n",
        "https://kyokai.example.jp/fukushima/9",
    );
    assert_eq!(
        categories(&x),
        sorted(&["カードリーダーの不具合 = 40", "資格情報が無効 = 51.2"]),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn a_headline_about_the_prefectures_part_gives_its_figures_that_prefecture() {
    // 保団連's survey, its prefecture's part told by a local council: the headline's own
    // figure is the prefecture's, not the nation's.
    let x = read_inline(
        "マイナ保険証 県内回答機関の61.2% 「10割負担」も11件\n2025/02/20 12:00\n\
         徳島県保険医協会などでつくる連絡会は19日、全国保険医団体連合会(保団連)の調査のうち県内分の結果を公表した。\
         県内の121医療機関が回答し、74医療機関(61.2%)でトラブルがあった。",
        "https://news.example.jp/tokushima/3",
    );
    let f = facts(&x);
    assert!(
        f.iter()
            .filter(|f| !f.contains("basis="))
            .all(|f| f.contains("|360007|")),
        "{f:#?}"
    );
    assert_has(&f, "survey.full_charge_cases|360007|2025-02-20| = 11");
}

#[test]
fn the_reports_own_dates_win_over_an_earlier_run_and_a_window_asked_about() {
    let at = |body: &str| {
        respondents_read(
            &format!("群馬県保険医協会\n{body}"),
            "https://kyokai.example.jp/gunma/1",
        )
    };
    // A tally at a month's end; the first run, a year and a half before, is not this one.
    assert_eq!(
        at(
            "2024年12月10日 掲載\n当会の第5回調査について、11月末時点の集計をまとめました。\
            回答数:527件。昨年5月に実施した第1回調査では、トラブルが「あった」は55.4%でした。"
        ),
        "survey.institutions_responding|100005|2024-11-30| = 527"
    );
    // A range without its year after the window it asks about is of the next year.
    assert_eq!(
        at("2025年4月17日\n当会は、2024年12月以降のトラブルについて、3月1日~31日にアンケートを実施し、\
            1,064件の回答を得ました。"),
        "survey.institutions_responding|100005|2025-03-01..2025-03-31| = 1064"
    );
    // A survey still running: its start only.
    assert_eq!(
        at("2025年9月25日\n当会は2025年9月8日から、会員医療機関を対象にトラブル調査を実施しています。\
            これまでに412医療機関から回答が寄せられました。"),
        "survey.institutions_responding|100005|2025-09-08..| = 412"
    );
    // Parts of last month and this month, by the page's date.
    assert_eq!(
        at(
            "2024年10月17日 18時42分\n協会は、先月下旬から今月上旬にかけて会員の医療機関を対象に\
            アンケートを行い、184の医療機関から回答を得ました。"
        ),
        "survey.institutions_responding|100005|2024-09-01..2024-10-31| = 184"
    );
}

#[test]
fn national_figures_quoted_in_a_prefectures_report_keep_their_surveys_period() {
    // The national survey named with its own fieldwork.
    let x = read_inline(
        "医療運動 2024.07.05\n香川県保険医協会\n\
         当会は2024年5月13日~6月7日、会員医療機関にトラブル調査を行い、回答した45医療機関のうち31医療機関(68.9%)がトラブルを経験していました。\
         保団連が2024年5月下旬から6月下旬に行った全国調査には9,020医療機関が回答しており、全国ではトラブルが「あった」のは65.1%でした。",
        "https://kyokai.example.jp/kagawa/news/1",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.institutions_responding|370002|2024-05-13..2024-06-07| = 45",
    );
    assert_has(
        &f,
        "survey.institutions_responding|000000|2024-05-01..2024-06-30| = 9020",
    );
    assert_has(
        &f,
        "survey.trouble_rate|000000|2024-05-01..2024-06-30| = 65.1",
    );
}

#[test]
fn shares_printed_with_a_middle_dot_for_the_decimal_point_are_read_in_lists() {
    let x = read_inline(
        "岩手県歯科保険医協会\n２０２４年１０月８日\n\
         当会は９/２〜９/２７、会員の歯科医院にアンケートを行い、５０２件の回答を得た。\
         トラブルが「あった」は３０１件（６０・０％）。\n\
         【トラブルの内容（複数回答）】\n・氏名等が●で表示される　５１・２％\n・資格情報が無効と表示　４４・９％\n",
        "https://kyokai.example.jp/iwate/3",
    );
    assert_eq!(
        categories(&x),
        sorted(&[
            "氏名等が●で表示される = 51.2",
            "資格情報が無効と表示 = 44.9"
        ])
    );
}

#[test]
fn a_section_on_the_national_survey_in_an_associations_report_is_all_japans() {
    let x = read_inline(
        "奈良県保険医協会\n2025.02.12\n全国調査と県内調査の結果\n\
         【全国調査(保団連集計)】\n調査期間:2025年1月9日~1月31日\n回答:8,530医療機関\n\
         トラブルがあった:6,050医療機関(70.9%)\n\
         【県内調査(当会集計)】\n調査期間:2025年1月9日~1月24日\n回答:県内の会員医療機関 214件\n\
         トラブルがあった:150件(70.1%)\n",
        "https://kyokai.example.jp/nara/7",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|000000|2025-01-09..2025-01-31| = 8530",
        "survey.trouble_rate|000000|2025-01-09..2025-01-31| = 70.9",
        "survey.institutions_responding|290009|2025-01-09..2025-01-24| = 214",
        "survey.trouble_rate|290009|2025-01-09..2025-01-24| = 70.1",
    ] {
        assert_has(&f, want);
    }
}

#[test]
fn figures_of_several_prefectures_together_belong_to_none_of_them() {
    // No figure is left to store: the page is reported as holding none.
    let read = inline(
        "北陸の保険医協会 合同調査\n2025年7月15日\n\
         富山・石川・福井の3県の保険医協会は合同で、6月2日から27日まで会員医療機関に調査を行いました。\
         3県あわせて402医療機関から回答があり、トラブルがあったのは64.2%でした。\n\
         (石川県保険医協会ホームページより)",
        "https://kyokai.example.jp/ishikawa/joint",
    );
    match read {
        Ok(x) => assert!(
            !facts(&x)
                .iter()
                .any(|f| f.ends_with("= 402") || f.ends_with("= 64.2")),
            "{:#?}",
            facts(&x)
        ),
        Err(e) => assert!(e.contains("no survey figures"), "{e}"),
    }
}

#[test]
fn a_trouble_count_restated_as_a_share_is_the_trouble_share() {
    let x = read_inline(
        "道内医療機関の6割でトラブル\n2025年3月4日\n\
         北海道保険医会は、1月20日から2月14日まで会員にアンケートを行い、480の医療機関から回答を得ました。\
         このうち、トラブルがあったと答えたのは298機関、割合にして62.1%でした。",
        "https://news.example.jp/hokkaido/3",
    );
    assert_has(
        &facts(&x),
        "survey.trouble_rate|010006|2025-01-20..2025-02-14| = 62.1",
    );
}

#[test]
fn a_bare_period_label_under_the_surveys_heading_dates_the_survey() {
    let x = read_inline(
        "埼玉県保険医協会\n【調査結果】マイナ保険証をめぐる実態調査\n2025年4月22日\n\
         ■調査の概要\n期間:2025年3月3日(月)~3月28日(金)\n回答:448医療機関\n",
        "https://kyokai.example.jp/saitama/enq",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|110001|2025-03-03..2025-03-28| = 448",
    );
}

#[test]
fn dates_read_with_the_reports_year_never_fall_after_its_publication() {
    let first = |body: &str| {
        respondents_read(
            &format!("大阪府保険医協会\n{body}"),
            "https://kyokai.example.jp/osaka/1",
        )
    };
    // A survey still running, begun before New Year.
    assert_eq!(
        first("2025年1月20日\n当会は12月16日から会員医療機関を対象にアンケートを実施しており、これまでに176医療機関から回答があった。"),
        "survey.institutions_responding|270008|2024-12-16..| = 176"
    );
    // A month-end tally before New Year.
    assert_eq!(
        first("2025年1月15日\n当会のアンケートの11月末時点の集計で、298医療機関から回答があった。"),
        "survey.institutions_responding|270008|2024-11-30| = 298"
    );
    // Fieldwork before the window it asks about stays in the page's year when the next
    // year would be after the publication.
    assert_eq!(
        first("2024年12月5日\n当会は、2024年12月2日以降の窓口対応について、11月11日~22日に会員医療機関へのアンケートを実施し、271医療機関から回答を得た。"),
        "survey.institutions_responding|270008|2024-11-11..2024-11-22| = 271"
    );
    // A late post of the only survey keeps its fieldwork.
    assert_eq!(
        first("2025年9月12日 掲載\n当会は2025年1月14日から2月28日まで府内の会員医療機関を対象に調査を実施し、488医療機関から回答を得た。"),
        "survey.institutions_responding|270008|2025-01-14..2025-02-28| = 488"
    );
}

#[test]
fn a_heading_comparing_with_the_nation_or_naming_the_prefecture_keeps_the_associations_figures() {
    for heading in [
        "全国調査を上回るトラブル発生率",
        "保団連アンケート当県分の集計結果",
    ] {
        let x = read_inline(
            &format!(
                "長野県保険医協会\n2025年3月10日\n\
                 当会は2025年1月27日から2月21日まで会員に調査を行い、246医療機関から回答を得た。\n\
                 {heading}\n「トラブルがあった」と答えたのは168医療機関(68.3%)だった。"
            ),
            "https://kyokai.example.jp/nagano/2",
        );
        assert_has(
            &facts(&x),
            "survey.trouble_rate|200000|2025-01-27..2025-02-21| = 68.3",
        );
    }
}

#[test]
fn rows_laid_out_one_after_another_are_not_read_as_columns() {
    let x = read_inline(
        "富山県保険医協会 調査結果\n2025年6月2日\n当会の調査には212医療機関が回答した。\n\
         トラブルの内容(複数回答)\n今回 前回\n資格情報が無効\n71.2%\n58.1%\n\
         カードリーダーの不具合\n30.1%\n25.0%\n",
        "https://kyokai.example.jp/toyama/4",
    );
    let c = categories(&x);
    assert!(!c.iter().any(|k| k.contains("今回")), "{c:?}");
    assert!(!c.iter().any(|k| k == "資格情報が無効 = 58.1"), "{c:?}");
}

#[test]
fn the_total_of_another_questions_answers_is_not_the_count_that_answered() {
    let x = read_inline(
        "島根県保険医協会 アンケート\n2025年6月2日\n\
         問3 マイナ保険証に関するトラブルはありましたか\nあった 131 66.8%\nなかった 65 33.2%\n\
         問4 トラブルがあった際、どのように対応しましたか\n保険証で確認 90 68.7%\nその他 41 31.3%\n合計 131 100%\n",
        "https://kyokai.example.jp/shimane/2",
    );
    assert!(
        !facts(&x)
            .iter()
            .any(|f| f.starts_with("survey.institutions_responding")),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn a_span_troubles_happened_in_is_not_the_national_surveys_fieldwork() {
    let x = read_inline(
        "宮城県保険医協会\n2025年3月3日\n当会の調査には182医療機関が回答した。\
         保団連の全国調査でも、2024年12月2日から2025年1月31日までの間にトラブルがあったとの回答は63.0%にのぼった。",
        "https://kyokai.example.jp/miyagi/8",
    );
    assert!(
        !facts(&x).iter().any(|f| f.contains("|000000|2024-12-02")),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn a_rough_share_between_a_label_and_its_exact_share_stays_out_of_the_label() {
    let x = read_inline(
        "長野県保険医協会\n2025年8月1日\n当会の調査には233医療機関が回答した。\
         トラブルの内容では、「資格情報が無効」が3分の2近く(65.2%)を占めたほか、\
         「カードリーダーの不具合」が約4割(41.0%)だった。",
        "https://kyokai.example.jp/nagano/9",
    );
    assert_eq!(
        categories(&x),
        sorted(&["カードリーダーの不具合 = 41", "資格情報が無効 = 65.2"]),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn a_dental_surveys_clinics_counted_in_in_are_institutions() {
    let x = read_inline(
        "山梨県歯科保険医協会\n2025年9月1日\n\
         当会は2025年6月2日から6月27日まで会員の歯科医院に調査を行い、218院から回答があった。\
         トラブルが「あった」と答えたのは151院で、全体の69.3%だった。",
        "https://kyokai.example.jp/yamanashi-shika/1",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|190004|2025-06-02..2025-06-27| = 218",
        "survey.institutions_with_trouble|190004|2025-06-02..2025-06-27| = 151",
        "survey.trouble_rate|190004|2025-06-02..2025-06-27| = 69.3",
    ] {
        assert_has(&f, want);
    }
}

#[test]
fn a_report_table_split_by_a_page_number_and_running_head_is_read_whole() {
    let x = read_inline(
        "佐賀県歯科保険医協会\nアンケート集計結果\n2025年10月\n\
         調査期間 2025年8月18日~9月12日\n回 答 数 133院(回答率17.2%)\n\
         2.トラブルの有無(2025年5月以降)\nあった 92院 69.2%\nなかった 38院 28.6%\n無回答 3院 2.3%\n\
         3.トラブルの内容(複数回答)\n項目 院数 割合\n資格情報が無効 51 55.4%\n\
         -1-\n佐賀県歯科保険医協会 アンケート報告\n\
         有効期限切れ 40 43.5%\n負担割合の相違 9 9.8%\n",
        "https://kyokai.example.jp/saga-shika/3",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|410004|2025-08-18..2025-09-12| = 133",
        "survey.institutions_with_trouble|410004|2025-08-18..2025-09-12| = 92",
        "survey.trouble_rate|410004|2025-08-18..2025-09-12| = 69.2",
        "survey.trouble_category_rate|410004|2025-08-18..2025-09-12|category=資格情報が無効 = 55.4",
        "survey.trouble_category_rate|410004|2025-08-18..2025-09-12|category=有効期限切れ = 43.5",
    ] {
        assert_has(&f, want);
    }
    // Those who gave no answer are not those who answered.
    assert!(!f.iter().any(|x| x.ends_with("| = 3")), "{f:#?}");
}

#[test]
fn a_newsletters_issue_line_gives_the_year_of_its_dates() {
    let x = read_inline(
        "歯科ニュース\n第512号 2025年3月10日発行\n\
         北海道歯科保険医会は、1月20日から2月7日まで会員に調査を行った。回答は402院。\
         トラブルが「あった」のは271院(67.4%)だった。",
        "https://news.example.jp/shika/512",
    );
    assert_has(
        &facts(&x),
        "survey.trouble_rate|010006|2025-01-20..2025-02-07| = 67.4",
    );
}

#[test]
fn a_dateline_in_brackets_or_after_a_section_name_dates_the_article() {
    for (dateline, when) in [
        ("(2025年6月12日 17時05分)", "2025-05-01..2025-05-31"),
        ("ニュース|2025年6月12日", "2025-05-01..2025-05-31"),
    ] {
        let x = read_inline(
            &format!(
                "宮崎県保険医協会は、県内の医療機関に行った調査の結果を公表した。\
                 回答した201医療機関のうち61.2%が、何らかのトラブルがあったと答えた。\
                 調査は5月に行った。\n{dateline}\n"
            ),
            "https://news.example.jp/miyazaki/1",
        );
        assert_has(
            &facts(&x),
            &format!("survey.trouble_rate|450006|{when}| = 61.2"),
        );
    }
}

#[test]
fn kinds_listed_with_circled_numbers_or_told_as_the_troubles_contents_are_read() {
    let x = read_inline(
        "千葉県歯科保険医協会\n2025年4月2日\n当会は2025年2月3日から2月28日まで調査を行い、\
         277院から回答を得た。トラブルの内容(複数回答)は次の通り。\n\
         ①氏名が●で表示される 58.1%\n②顔認証の不具合 36.0%\n",
        "https://kyokai.example.jp/chiba-shika/2",
    );
    assert_eq!(
        categories(&x),
        sorted(&["氏名が●で表示される = 58.1", "顔認証の不具合 = 36"]),
        "{:#?}",
        facts(&x)
    );
    let y = read_inline(
        "静岡県保険医協会\n2024年10月2日\n当会は8月19日から9月20日まで調査を行い、\
         250医療機関から回答を得た。トラブルの中身を複数回答で尋ねたところ、\
         資格無効と表示される(40.2%)、カードリーダーで読み取れない(31.5%)などだった。",
        "https://kyokai.example.jp/shizuoka/5",
    );
    assert_eq!(
        categories(&y),
        sorted(&[
            "カードリーダーで読み取れない = 31.5",
            "資格無効と表示される = 40.2"
        ]),
        "{:#?}",
        facts(&y)
    );
}

#[test]
fn a_share_that_rose_since_the_earlier_survey_is_read_for_both_surveys() {
    let x = read_inline(
        "愛知県保険医協会\n2024年10月8日\nトラブル、前回調査から上昇 県内64.0%\n\
         協会が8月5日から9月13日まで行った調査で、回答した900医療機関のうち64.0%が\
         トラブルを経験したと答えた。前回調査(2024年1月)の57.5%から6.5ポイント上昇した。",
        "https://kyokai.example.jp/aichi/7",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.trouble_rate|230006|2024-08-05..2024-09-13| = 64",
    );
    assert_has(
        &f,
        "survey.trouble_rate|230006|2024-01-01..2024-01-31|basis=previous_survey = 57.5",
    );
    // The headline's share is the current one, not the earlier survey's.
    assert!(
        !f.iter().any(|x| x.contains("basis=previous_survey = 64")),
        "{f:#?}"
    );
}

#[test]
fn a_table_comparing_two_surveys_reads_each_column_under_its_own_period() {
    let x = read_inline(
        "広島県保険医協会\n2025年11月25日\nトラブル調査 前回との比較\n\
         今回(2025年9~10月) 前回(2024年8~9月)\n\
         回答医療機関数 380 420\n\
         トラブルあり 260(68.4%) 270(64.3%)\n\
         「●が出る」 61.0% 45.2%\n\
         10割負担(件数) 30件 18件\n\
         「有効期限切れ」が大きく増えた。",
        "https://kyokai.example.jp/hiroshima/9",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|340006|2025-09-01..2025-10-31| = 380",
        "survey.institutions_with_trouble|340006|2025-09-01..2025-10-31| = 260",
        "survey.trouble_rate|340006|2025-09-01..2025-10-31| = 68.4",
        "survey.trouble_category_rate|340006|2025-09-01..2025-10-31|category=●が出る = 61",
        "survey.full_charge_cases|340006|2025-09-01..2025-10-31| = 30",
        "survey.institutions_responding|340006|2024-08-01..2024-09-30|basis=previous_survey = 420",
        "survey.institutions_with_trouble|340006|2024-08-01..2024-09-30|basis=previous_survey = 270",
        "survey.trouble_rate|340006|2024-08-01..2024-09-30|basis=previous_survey = 64.3",
        "survey.trouble_category_rate|340006|2024-08-01..2024-09-30|category=●が出る|basis=previous_survey = 45.2",
        "survey.full_charge_cases|340006|2024-08-01..2024-09-30|basis=previous_survey = 18",
    ] {
        assert_has(&f, want);
    }
    assert_eq!(f.len(), 10, "{f:#?}");
}

#[test]
fn an_earlier_surveys_share_beside_a_yes_answers_share_or_said_unchanged_is_read() {
    let x = read_inline(
        "岐阜県保険医協会\n令和7年2月25日\n岐阜県保険医協会は令和7年1月15日から2月5日まで\
         会員にアンケートを行い、240医療機関から回答を得た。トラブルが「あった」と答えたのは\
         160件(66.7%)で、前回調査(令和6年5月実施)の55.0%から10ポイント以上増えた。",
        "https://kyokai.example.jp/gifu/4",
    );
    assert_has(
        &facts(&x),
        "survey.trouble_rate|210005|2024-05-01..2024-05-31|basis=previous_survey = 55",
    );
    let y = read_inline(
        "医療政策ウィークリー\n2025年9月22日号\n保団連は、全国調査の中間集計(9月9日時点)を公表した。\
         5,100医療機関が回答し、このうち71.0%がトラブルを経験していた。\
         前回調査(2024年12月~25年1月)の70.2%とほぼ横ばいだった。",
        "https://news.example.jp/weekly/0922",
    );
    assert_has(
        &facts(&y),
        "survey.trouble_rate|000000|2024-12-01..2025-01-31|basis=previous_survey = 70.2",
    );
}

#[test]
fn those_who_answered_named_before_their_count_are_read() {
    assert_eq!(
        respondents_read(
            "山梨県保険医協会\n2024年7月5日\n山梨県保険医協会は5月27日から6月21日まで会員に\
             アンケートを行った。回答した会員医療機関は171で、このうち90件がトラブルを経験した。",
            "https://kyokai.example.jp/yamanashi/2",
        ),
        "survey.institutions_responding|190004|2024-05-27..2024-06-21| = 171"
    );
}

#[test]
fn a_month_part_without_its_year_when_the_survey_ran_takes_the_reports_year() {
    let x = read_inline(
        "三重県保険医協会\n声明\n2024年10月28日\n\
         三重県保険医協会は10月上旬、会員を対象にアンケート調査を実施し、390件の回答を得た。\
         トラブルが「あった」と回答した医療機関は63.1%にのぼった。",
        "https://kyokai.example.jp/mie/1",
    );
    assert_has(
        &facts(&x),
        "survey.trouble_rate|240001|2024-10-01..2024-10-31| = 63.1",
    );
}

#[test]
fn titles_of_related_articles_give_no_figures() {
    let x = read_inline(
        "福井県保険医協会は、会員に行った調査の結果を公表した。回答した180医療機関のうち\
         62.2%がトラブルがあったと答えた。\n(2025年6月12日)\n\n\
         関連記事\n・保団連の全国集計、10割負担は千件超(10月2日)\n",
        "https://news.example.jp/fukui/3",
    );
    let f = facts(&x);
    assert!(
        !f.iter().any(|x| x.starts_with("survey.full_charge_cases")),
        "{f:#?}"
    );
}

#[test]
fn a_papers_byline_or_a_stamp_with_its_update_note_dates_the_article() {
    for (head, tail) in [
        ("", "\n佐賀新報 2025年7月9日\n"),
        (
            "中部日報Web\n2025年6月25日 05時00分 (6月25日 05時00分更新)\n",
            "",
        ),
    ] {
        let x = read_inline(
            &format!(
                "{head}佐賀県保険医協会は8日、会員へのアンケート結果を発表した。回答した200医療機関の\
                 うち66.0%が「トラブルがあった」と答えた。調査は6月2日から20日まで行った。{tail}"
            ),
            "https://news.example.jp/saga/2",
        );
        assert_has(
            &facts(&x),
            "survey.trouble_rate|410004|2025-06-02..2025-06-20| = 66",
        );
    }
}

/// The review's inputs (2026-12-07): each new reading must leave these as they were.
#[test]
fn other_questions_rows_those_asked_and_stamps_in_prose_stay_unread() {
    let x = read_inline(
        "2025年12月10日\n広島県保険医協会\n会員アンケートの結果\n\
         調査は2025年10月に会員医療機関を対象に実施した。\n\
         主な結果 今回(2025年10月) 前回(2024年9月)\n\
         回答医療機関数 245 210\nマイナ保険証の利用率 35.2% 28.1%\n\
         トラブルあり 162(66.1%) 120(57.1%)\n無回答 3 5\n",
        "https://kyokai.example.jp/hiroshima/12",
    );
    let f = facts(&x);
    assert!(
        !f.iter()
            .any(|x| x.contains("利用率") || x.ends_with("= 3") || x.ends_with("= 5")),
        "{f:#?}"
    );
    let y = read_inline(
        "2025年12月10日\n広島県歯科保険医協会\n会員アンケートの結果\n\
         調査は2025年10月に実施した。対象は県内の会員1,210院で、回答率は20.2%だった。\n\
         トラブルがあったと答えたのは66.1%だった。",
        "https://kyokai.example.jp/hiroshima-shika/1",
    );
    assert_eq!(respondents_read_from(&y), "");
    let z = read_inline(
        "広島県保険医協会\n会員アンケートの結果\n\
         回答した医療機関は、医科が180、歯科が65の計245だった。トラブルがあったのは66.1%。\n\
         前回の結果は2024年11月1日発行の本紙で報告した。",
        "https://kyokai.example.jp/hiroshima/13",
    );
    let f = facts(&z);
    assert!(!f.iter().any(|x| x.ends_with("= 180")), "{f:#?}");
    assert!(!f.iter().any(|x| x.contains("|2024-11-01|")), "{f:#?}");
    // A month the survey was sent out in, with its deadline later: not the whole period.
    let w = read_inline(
        "広島県保険医協会\n2025年12月10日\n\
         広島県保険医協会は10月上旬に会員医療機関にアンケートを送付し、11月28日で締め切った。\
         回答した245医療機関の66.1%がトラブルがあったと答えた。",
        "https://kyokai.example.jp/hiroshima/14",
    );
    assert!(
        !facts(&w)
            .iter()
            .any(|x| x.contains("2025-10-01..2025-10-31")),
        "{:#?}",
        facts(&w)
    );
}

/// The respondents fact of `x` (empty when none is read).
fn respondents_read_from(x: &Extraction) -> String {
    facts(x)
        .into_iter()
        .find(|f| f.starts_with("survey.institutions_responding"))
        .unwrap_or_default()
}

#[test]
fn a_tallys_rows_with_the_share_in_brackets_right_after_the_count_are_read() {
    let x = read_inline(
        "群馬県保険医協会\nアンケート集計結果\n実施:2025年7月7日~7月25日\n回答:240件\n\
         Q4 (Q3で「はい」の方)トラブルの内容(複数回答) N=140\n\
         「●」が表示される 86(61.4%)\n資格情報が無効 60(42.9%)\n有効期限切れ12.5%\n",
        "https://kyokai.example.jp/gunma/3",
    );
    assert_eq!(
        categories(&x),
        sorted(&[
            "「●」が表示される = 61.4",
            "有効期限切れ = 12.5",
            "資格情報が無効 = 42.9"
        ]),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn days_with_a_two_digit_year_are_read_in_full() {
    let x = read_inline(
        "滋賀の会 ブログ\n滋賀県保険医協会は、会員を対象に行ったアンケートの結果を発表しました。\n\
         調査期間は25/1/14~25/2/7で、180医療機関から回答がありました。\
         「トラブルがあった」との回答は70.0%でした。\n",
        "https://blog.example.jp/shiga/1",
    );
    assert_has(
        &facts(&x),
        "survey.trouble_rate|250007|2025-01-14..2025-02-07| = 70",
    );
}

#[test]
fn a_month_that_opens_a_long_clause_about_running_the_survey_is_its_period() {
    let x = read_inline(
        "愛知県保険医協会\n声明\n2024年11月20日\n\
         当会は11月初め、会員の開業医を対象にファクスで窓口の混乱について尋ねるアンケート調査を\
         実施し、205件の回答を得た。トラブルが「あった」と答えた医療機関は58.5%だった。\n",
        "https://kyokai.example.jp/aichi/7",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.institutions_responding|230006|2024-11-01..2024-11-30| = 205",
    );
    assert_has(
        &f,
        "survey.trouble_rate|230006|2024-11-01..2024-11-30| = 58.5",
    );
}

#[test]
fn an_unnamed_prefectural_association_in_an_assemblys_minutes_is_that_prefectures() {
    let x = read_inline(
        "岡山県議会 会議録\n令和6年2月定例会 保健福祉委員会\n\
         ○委員 県保険医協会が昨年秋に会員に行ったアンケートでは、回答した190医療機関のうち、\
         トラブルが「あった」という回答が62.1%に上ったと聞いている。\n\
         ○課長 国の動向を注視してまいります。\n",
        "https://gikai.example.jp/minutes/2024/2",
    );
    assert_has(&facts(&x), "survey.trouble_rate|330001|| = 62.1");
    // Another prefecture named in passing is not the assembly's.
    let other = read_inline(
        "岡山県議会 会議録\n令和6年2月定例会 保健福祉委員会\n\
         ○委員 広島県の例も聞くが、県保険医協会が昨年秋に会員に行ったアンケートでは、\
         回答した190医療機関のうち、トラブルが「あった」という回答が62.1%に上った。\n",
        "https://gikai.example.jp/minutes/2024/3",
    );
    assert_has(&facts(&other), "survey.trouble_rate|330001|| = 62.1");
}

#[test]
fn one_label_chosen_among_those_with_trouble_is_a_category() {
    let x = read_inline(
        "市議会 意見書案\n2024年9月12日\n\
         全国保険医団体連合会が公表したアンケート調査の結果では、「トラブルはあったか」との問いに\
         「あった」と回答した59.7%の医療機関の中で、71.4%もの医療機関が「資格情報が無効と表示された」\
         と回答している。\n",
        "https://gikai.example.jp/ikensho/12",
    );
    let f = facts(&x);
    assert_has(&f, "survey.trouble_rate|000000|2024-09-12| = 59.7");
    assert_has(
        &f,
        "survey.trouble_category_rate|000000|2024-09-12|category=資格情報が無効と表示された = 71.4",
    );
    // One quoted label after a respondents' count is no category.
    let other = read_inline(
        "市議会 意見書案\n2024年9月12日\n\
         全国保険医団体連合会のアンケートでは、トラブルが「あった」は59.7%だった。\
         回答した3000の医療機関のうち、48.2%が「保険証を残すべき」と答えた。\n",
        "https://gikai.example.jp/ikensho/13",
    );
    assert!(
        categories(&other).is_empty(),
        "an opinion is no kind of trouble: {:#?}",
        facts(&other)
    );
}

#[test]
fn a_full_charge_in_other_words_counts_its_cases() {
    for (sentence, want) in [
        ("全額窓口負担を請求した事例も3件あった。", 3),
        ("患者に全額を支払ってもらった例が4件あった。", 4),
    ] {
        let x = read_inline(
            &format!(
                "秋田魁新報 2024年7月2日\n秋田県保険医協会は会員にアンケートを行い、85件の回答を得た。\
                 トラブルがあったのは51件だった。{sentence}\n"
            ),
            "https://news.example.jp/akita/4",
        );
        assert_has(
            &facts(&x),
            &format!("survey.full_charge_cases|050008|2024-07-02| = {want}"),
        );
    }
}

#[test]
fn trouble_quoted_as_what_respondents_said_gives_the_share() {
    let x = read_inline(
        "週刊誌オンライン\n2024年8月3日\n\
         保団連が行ったアンケート調査では、回答した約6割の医療機関で「今もマイナ保険証のトラブルや\
         不具合がある」と答えている。\n",
        "https://magazine.example.jp/articles/88",
    );
    assert_has(&facts(&x), "survey.trouble_rate|000000|2024-08-03| = 60");
}

#[test]
fn a_ranking_word_before_a_share_is_no_category() {
    let x = read_inline(
        "全国保険医団体連合会 2025年3月4日\n\
         保団連は2025年1月10日から2月20日まで調査を行い、8,102医療機関から回答を得た。\n\
         トラブルの内容は、最多が68.2%の「資格情報が無効」で、「カードリーダーの不具合」41.0%が続いた。\n",
        "https://hodanren.example.jp/news/1",
    );
    let got = categories(&x);
    assert!(
        !got.iter().any(|c| c.starts_with("最多")),
        "a ranking word is no kind of trouble: {got:#?}"
    );
    assert!(
        got.iter().any(|c| c == "カードリーダーの不具合 = 41"),
        "{got:#?}"
    );
}

#[test]
fn a_label_with_also_before_its_share_is_a_category() {
    let x = read_inline(
        "大分県保険医協会 2025年2月10日\n\
         大分県保険医協会は2025年1月6日から1月24日まで会員に調査を行い、210件の回答を得た。\n\
         トラブルの内容は「資格情報が無効と出る」が52.0%で最も多かった。\
         新たに選択肢に加えた「カードの有効期限切れ」も18.5%(40件)あった。\n",
        "https://kyokai.example.jp/oita/2",
    );
    let got = categories(&x);
    assert!(
        got.iter().any(|c| c == "カードの有効期限切れ = 18.5"),
        "{got:#?}"
    );
}

#[test]
fn the_law_passed_without_a_year_dates_a_survey_run_days_later() {
    let x = read_inline(
        "保険医協会ニュース\n\
         マイナンバー法等の改正法が6月2日に成立した。京都府保険医協会は会員にアンケートを緊急実施(6月8日~13日)し、\
         280医療機関から回答があった。その内66%がトラブルがあったと回答した。\n",
        "https://kyokai.example.jp/kyoto/news/99",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|260002|2023-06-08..2023-06-13| = 280",
    );
}

#[test]
fn a_day_range_with_its_month_written_once_is_the_fieldwork() {
    let x = read_inline(
        "みやざき日報\n社会|2025年3月20日 09:00\n\
         宮崎県保険医協会は会員医療機関へのアンケート結果を公表した。\
         アンケートは2月5～26日に行い、152機関が回答した。このうち98機関(64.5%)がトラブルを経験したと答えた。\n",
        "https://news.example.jp/miyazaki/3",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|450006|2025-02-05..2025-02-26| = 152",
    );
}

/// The facts read from `t`, none when the page is rejected for having none.
fn facts_or_none(t: &str, url: &str) -> Vec<String> {
    inline(t, url).map(|x| facts(&x)).unwrap_or_default()
}

/// Inputs from the session's review: each sits at the edge of a reading added the same
/// session, and must not give the fact the reading would overreach to.
#[test]
fn the_new_readings_stay_inside_their_edges() {
    // A month before another event is not the fieldwork.
    let x = read_inline(
        "全国保険医団体連合会 2025年2月3日\n\
         当会は、2024年12月に従来の保険証の新規発行が停止されたことを受け、会員医療機関を対象に\
         アンケート調査を実施し、312件の回答を得た。トラブルが「あった」は64.1%だった。\n",
        "https://hodanren.example.jp/news/2",
    );
    assert!(
        !facts(&x)
            .iter()
            .any(|f| f.contains("2024-12-01..2024-12-31")),
        "{:#?}",
        facts(&x)
    );
    // A prefecture named in passing is not the unnamed association's.
    let got = facts_or_none(
        "県保険医協会 会員調査でトラブル57%\n2024年11月28日\n\
         県保険医協会は27日、会員を対象に10月に実施したアンケートで、回答した176医療機関のうち57.4%が\
         マイナ保険証に関するトラブルを経験したと発表した。\n\
         同協会の役員らは今月、東京都千代田区の厚生労働省前で行われた抗議行動にも参加した。\n",
        "https://news.example.jp/x/1",
    );
    assert!(got.is_empty(), "{got:#?}");
    // An opinion among those with trouble, and an answer of no trouble joined with も.
    for (text, opinion) in [
        (
            "全国保険医団体連合会 2025年3月4日\n\
             保団連は2025年1月10日から2月20日まで会員医療機関に調査を行い、8,102医療機関から回答を得た。\n\
             トラブルが「あった」と答えた医療機関は70.2%だった。\n\
             そのうち41.5%が「今後は患者にマイナ保険証の利用を勧めない」と答えた。\n",
            "勧めない",
        ),
        (
            "大分県保険医協会 2025年2月10日\n\
             大分県保険医協会は2025年1月6日から1月24日まで会員に調査を行い、210件の回答を得た。\n\
             トラブルの内容は「資格情報が無効と出る」が52.0%で最も多かった。\n\
             一方、「特に問題は感じていない」も12.4%あった。\n",
            "感じていない",
        ),
    ] {
        let x = read_inline(text, "https://news.example.jp/x/2");
        assert!(
            !categories(&x).iter().any(|c| c.contains(opinion)),
            "{:#?}",
            categories(&x)
        );
    }
    // A full charge avoided is no case.
    for sentence in [
        "過去の受診歴で資格を確認でき、患者が全額を支払わずに済んだ例が6件あった。",
        "全額窓口負担を避けるため、いったん3割で会計し後日精算とした例が15件あった。",
    ] {
        let x = read_inline(
            &format!(
                "秋田県保険医協会 2024年7月2日\n秋田県保険医協会は2024年6月3日から6月21日まで会員に\
                 アンケートを行い、85件の回答を得た。\nトラブルがあったのは51件だった。\n{sentence}\n"
            ),
            "https://news.example.jp/x/3",
        );
        assert!(
            !facts(&x).iter().any(|f| f.contains("full_charge")),
            "{sentence}: {:#?}",
            facts(&x)
        );
    }
    // A worry about trouble, quoted, is no trouble share.
    assert_none(
        "週刊誌オンライン\n2024年8月3日\n\
         保団連が行ったアンケート調査では、回答した医療機関の78%が「今後のトラブルへの不安がある」と答えている。\n",
        "https://magazine.example.jp/articles/89",
        "trouble_rate",
    );
    // A word that holds a ranking word is still a label.
    let x = read_inline(
        "全国保険医団体連合会 2025年3月4日\n\
         保団連は2025年1月10日から2月20日まで調査を行い、8,102医療機関から回答を得た。\n\
         トラブルの内容は、資格情報の無効表示が52.3%、デスクトップ端末の不具合が12.0%だった。\n",
        "https://hodanren.example.jp/news/3",
    );
    assert!(
        categories(&x)
            .iter()
            .any(|c| c == "デスクトップ端末の不具合 = 12"),
        "{:#?}",
        categories(&x)
    );
}

/// Inputs from the session's second review, at the edges of the mended readings.
#[test]
fn the_mended_readings_stay_inside_their_edges() {
    // A month for the events asked about, with the fieldwork's own month later on.
    let f = facts_or_none(
        "島根県保険医協会\n2025年1月22日\n会員アンケート結果\n\
         当会は、2024年12月中に窓口で起きたトラブルの件数を尋ねるアンケートを2025年1月に実施し、87件の回答を得た。\n\
         トラブルが「あった」と答えた医療機関は49.4%だった。\n",
        "https://kyokai.example.jp/shimane/1",
    );
    assert!(
        !f.iter().any(|x| x.contains("2024-12-01..2024-12-31")),
        "{f:#?}"
    );
    // Another prefecture's assembly in the text is not the page's.
    let f = facts_or_none(
        "県保険医協会 マイナ保険証でトラブル6割\n2025年3月5日\n\
         県保険医協会は4日、会員を対象に2月に実施したアンケートの結果を公表した。回答した188医療機関のうち、\
         トラブルが「あった」と答えたのは61.7%だった。\n\
         同様の意見書は、隣の岡山県議会でも昨年採択された。\n",
        "https://news.example.jp/x/5",
    );
    assert!(!f.iter().any(|x| x.contains("|330001|")), "{f:#?}");
    // A wish or a patient's confusion is no fault.
    for (text, not_a_kind) in [
        (
            "宮城県保険医協会 2024年10月8日\n宮城県保険医協会は2024年9月2日から9月20日まで会員に調査を行い、\
             311件の回答を得た。\nトラブルが「あった」医療機関は58.8%。\n\
             このうち64.2%が「現行の保険証の有効期限を延長してほしい」と答えた。\n",
            "延長",
        ),
        (
            "佐賀県保険医協会 2024年12月20日\n佐賀県保険医協会は2024年11月11日から11月29日まで会員に調査を行い、\
             150件の回答を得た。\nトラブルの内容は「カードリーダーの不具合」が44.0%で最も多かった。\n\
             患者の声としては、「資格確認書とマイナ保険証の違いがわからない」も27.5%あった。\n",
            "わからない",
        ),
    ] {
        let f = facts_or_none(text, "https://kyokai.example.jp/x/6");
        assert!(!f.iter().any(|x| x.contains(not_a_kind)), "{f:#?}");
    }
    // A full charge not asked for is no case.
    let f = facts_or_none(
        "秋田県保険医協会 2024年7月2日\n秋田県保険医協会は2024年6月3日から6月21日まで会員にアンケートを行い、\
         85件の回答を得た。\nトラブルがあったのは51件だった。\n\
         資格が確認できなかった患者にも全額窓口負担を求めず、3割で会計した例が14件あった。\n",
        "https://kyokai.example.jp/akita/7",
    );
    assert!(!f.iter().any(|x| x.contains("full_charge")), "{f:#?}");
    // A forecast quoted is no trouble share.
    let f = facts_or_none(
        "福岡県保険医協会 2025年2月14日\n福岡県保険医協会は2025年1月14日から1月31日まで会員にアンケートを行い、\
         286件の回答を得た。\n回答した医療機関の67%が、資格確認書に切り替わった後も「窓口でのトラブルがある」と予想している。\n",
        "https://kyokai.example.jp/fukuoka/8",
    );
    assert!(!f.iter().any(|x| x.contains("trouble_rate")), "{f:#?}");
    // A count of days is no day.
    let f = facts_or_none(
        "石川県保険医協会\n2024年8月20日\n会員アンケートの結果\n\
         アンケートは7月22日(月)から8日間、会員医療機関にFAXで実施し、97件の回答を得た。\n\
         トラブルが「あった」と答えた医療機関は55.7%だった。\n",
        "https://kyokai.example.jp/ishikawa/9",
    );
    assert!(
        f.iter()
            .any(|x| x == "survey.trouble_rate|170003|2024-07-22..2024-07-29| = 55.7"),
        "{f:#?}"
    );
}

#[test]
fn the_paper_cards_last_day_ahead_dates_a_yearless_survey() {
    // No year on the page: the paper card's expiry (2025-12-01) is still to come.
    let x = read_inline(
        "保険医団体 中間報告\n\
         すべての紙の保険証の有効期限(12月1日)が目前に迫るなか、全国保険医団体連合会は中間報告を公表した。\n\
         調査は今年10月6日から11月7日にかけて行い、8120の医療機関が回答した。\
         そのうち68.5%の医療機関でトラブルが「あった」と答えた。\n",
        "https://news.example.jp/a/77",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|000000|2025-10-06..2025-11-07| = 8120",
    );
    // Told as past, the same expiry dates nothing: it may be written in the January after.
    let x = read_inline(
        "保険医団体 調査結果\n\
         紙の保険証は12月1日に有効期限を迎えた。全国保険医団体連合会は結果を公表した。\n\
         調査は10月6日から11月7日にかけて行い、8120の医療機関が回答した。\n",
        "https://news.example.jp/a/78",
    );
    assert!(
        !facts(&x).iter().any(|f| f.contains("2025-10")),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn a_mynacards_own_expiry_in_december_dates_nothing() {
    // The マイナ保険証's certificate runs out in any year's December; only the paper card's
    // end is the reform's.
    let x = read_inline(
        "保険医団体 調査結果\n\
         マイナ保険証の有効期限が12月に切れる人が増えるなか、全国保険医団体連合会は結果を公表した。\n\
         調査は10月6日から11月7日にかけて行い、8120の医療機関が回答した。\n",
        "https://news.example.jp/a/79",
    );
    assert!(
        !facts(&x).iter().any(|f| f.contains("2025-10")),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn shares_spelled_out_as_broadcasters_write_them_are_read() {
    let x = read_inline(
        "県保険医協会 調査結果\n2025年3月12日\n\
         山梨県保険医協会は、2月に会員の医療機関を対象に調査を行い、回答した212医療施設のうち\
         64.2パーセントがトラブルを経験したと答えました。\
         内容は「資格情報が無効と表示」が48.5パーセント、「カードリーダーの不具合」が31.0パーセントでした。\n",
        "https://tv.example.jp/news/yamanashi/12",
    );
    let got = facts(&x);
    assert_has(
        &got,
        "survey.institutions_responding|190004|2025-02-01..2025-02-28| = 212",
    );
    assert_has(
        &got,
        "survey.trouble_rate|190004|2025-02-01..2025-02-28| = 64.2",
    );
    let cats = categories(&x);
    assert!(
        cats.iter().any(|c| c == "資格情報が無効と表示 = 48.5"),
        "{cats:#?}"
    );
}

/// Inputs from the twelfth session's review: the paper cards' end dates a page only as the
/// day still to come.
#[test]
fn the_paper_cards_end_dates_nothing_told_as_past_or_as_any_december() {
    for (text, url) in [
        (
            "保険医協会 調査結果\n12月に紙の保険証が使えなくなり、対応に迫られた医療機関も多い。\n\
             岐阜県保険医協会は、会員の医療機関を対象に1月8日から1月23日にかけて調査を行い、\
             回答した420医療機関のうち61.2%がトラブルがあったと答えた。\n",
            "https://news.example.jp/gifu/1",
        ),
        (
            "保険医協会 アンケート\n現行の保険証は12月に有効期限を迎える予定の人も多い。\n\
             三重県保険医協会は10月7日から10月25日にかけて会員医療機関にアンケートを行い、\
             回答した350医療機関のうち58.0%がマイナ保険証のトラブルを経験したと答えた。\n",
            "https://news.example.jp/mie/1",
        ),
    ] {
        assert_none(text, url, "2025-");
    }
}

#[test]
fn a_news_reports_short_years_are_this_centurys() {
    // News style: the year in full once, then `25年10月`.
    let x = read_inline(
        "保団連 調査\n2025年12月10日\n\
         全国保険医団体連合会は、25年10月14日から11月13日にかけてマイナ保険証のトラブルを調べた。\
         回答した8124医療機関のうち、67.3%がトラブルがあったと答えた。\n",
        "https://news.example.jp/national/77",
    );
    let got = facts(&x);
    assert_has(
        &got,
        "survey.trouble_rate|000000|2025-10-14..2025-11-13| = 67.3",
    );
    assert!(!got.iter().any(|f| f.contains("2026-")), "{got:#?}");
}

#[test]
fn respondents_who_answered_in_other_words_are_counted() {
    for (text, want) in [
        (
            "保険医協会 アンケート\n2025年3月4日\n\
             高知県保険医協会のアンケートには県内の143の医療機関が答えました。\
             トラブルが「あった」と答えた医療機関は58.0%でした。\n",
            "survey.institutions_responding|390003|2025-03-04| = 143",
        ),
        (
            "保険医協会 アンケート\n2025年3月4日\n\
             高知県保険医協会の調査に答えた143医療機関のうち、58.0%がトラブルを経験した。\n",
            "survey.institutions_responding|390003|2025-03-04| = 143",
        ),
    ] {
        let x = read_inline(text, "https://tv.example.jp/news/kochi/3");
        assert_has(&facts(&x), want);
    }
    // Those who gave one answer are not all who answered.
    let x = read_inline(
        "保険医協会 アンケート\n2025年3月4日\n\
         高知県保険医協会のアンケートで、トラブルが「あった」と答えた61医療機関のうち半数が\
         資格情報の無効表示を挙げた。\n",
        "https://tv.example.jp/news/kochi/4",
    );
    assert!(
        !facts(&x)
            .iter()
            .any(|f| f.starts_with("survey.institutions_responding")),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn a_kind_of_fault_with_its_share_is_a_category_without_a_lead_in() {
    // A blog's summary: one kind of trouble and how it grew, no list, no lead-in.
    let x = read_inline(
        "マイナ保険証 期限切れ増加\n2024年8月1日\n\
         保団連の調査によると、2024年5~6月におけるマイナ保険証の有効期限切れトラブルは28%に達し、\
         前回調査(12.5%)から倍増した。\n",
        "https://blog.example.jp/a/1",
    );
    let cats = categories(&x);
    assert!(
        cats.iter().any(|c| c == "マイナ保険証の有効期限切れ = 28"),
        "{cats:#?}"
    );
    // A share of something that is no fault is not a kind of trouble.
    assert_none(
        "マイナ保険証 利用\n2024年8月1日\n\
         保団連の調査によると、トラブルの際に保険証で確認した医療機関は64%に達した。\n",
        "https://blog.example.jp/a/2",
        "trouble_category_rate",
    );
}

#[test]
fn a_fieldwork_period_that_ends_in_the_same_year_is_read_whole() {
    let x = read_inline(
        "保険医協会 アンケート\n2025年3月12日\n\
         調査は2025年1月10日から同年2月28日まで実施し、福井県保険医協会の会員212医療機関が回答した。\
         トラブルがあったのは64.2%だった。\n",
        "https://news.example.jp/fukui/1",
    );
    assert_has(
        &facts(&x),
        "survey.trouble_rate|180009|2025-01-10..2025-02-28| = 64.2",
    );
}

#[test]
fn a_quoted_fault_with_its_share_is_a_category_in_any_quotes_and_after_a_list() {
    // After the page's list of kinds, one more kind told on its own.
    let x = read_inline(
        "保険医協会 調査\n2025年10月5日\n\
         愛媛県保険医協会の調査に301医療機関が回答し、64%がトラブルを経験した。\n\
         内容は「資格情報が無効」55%、「カードリーダーの不具合」41%だった。\n\
         窓口で説明に時間がかかった例も多い。\n\
         今回から選択肢に入れた「電子証明書が切れていた」も22%あった。\n",
        "https://kyokai.example.jp/ehime/5",
    );
    let cats = categories(&x);
    assert!(
        cats.iter().any(|c| c == "電子証明書が切れていた = 22"),
        "{cats:#?}"
    );
    // Double quotes, after an adverb.
    let x = read_inline(
        "保険医協会 会見\n2025年3月5日\n\
         千葉県保険医協会は会員医療機関の調査結果を公表し、「トラブルがあった」は66%だった。\
         特に『有効期限切れ』は35.2%に上った。\n",
        "https://news.example.jp/chiba/2",
    );
    let cats = categories(&x);
    assert!(cats.iter().any(|c| c == "有効期限切れ = 35.2"), "{cats:#?}");
    // A quoted answer that trouble exists is the trouble share, no kind of trouble.
    assert_none(
        "保団連 調査\n2024年6月1日\n\
         保団連の調査では、回答した約7割の医療機関で「5月以降もマイナ保険証にトラブルや不具合がある」と答えた。\n",
        "https://news.example.jp/national/9",
        "trouble_category_rate",
    );
}

/// Inputs from the thirteenth session's review: each gave a wrong fact before it was mended.
#[test]
fn the_new_survey_readings_stay_inside_their_edges() {
    // The government's own survey dates no association's.
    let x = read_inline(
        "保険医協会 アンケート\n2025年12月2日\n\
         厚生労働省が10月から11月にかけて調べたところ、マイナ保険証の利用率は37%だった。\n\
         福井県保険医協会は9月に会員の医療機関へアンケートを実施し、150医療機関が回答した。\
         61%がトラブルを経験した。\n",
        "https://news.example.jp/fukui/8",
    );
    assert_has(
        &facts(&x),
        "survey.trouble_rate|180009|2025-09-01..2025-09-30| = 61",
    );
    // An earlier run's kind of trouble is not this survey's.
    let got = facts_or_none(
        "保険医協会 アンケート\n2025年12月2日\n\
         福井県保険医協会は10月にアンケートを実施し、150医療機関が回答した。61%がトラブルを経験した。\
         前回の24年10月調査では、「有効期限切れ」は12%にとどまっていた。\n",
        "https://news.example.jp/fukui/9",
    );
    assert!(
        !got.iter()
            .any(|f| f.contains("category=有効期限切れ|")
                || f.ends_with("category=有効期限切れ = 12")),
        "{got:#?}"
    );
}

#[test]
fn a_month_and_a_longer_description_of_whom_the_survey_asked_still_date_it() {
    let x = read_inline(
        "保険医協会 アンケート\n2025年12月2日\n\
         石川県保険医協会は10月に県内の会員の医療機関を対象にアンケートを実施し、140医療機関が回答した。\
         65%がトラブルを経験した。このうち有効期限切れのトラブルがあった医療機関は38.7%だった。\n",
        "https://news.example.jp/ishikawa/3",
    );
    let got = facts(&x);
    assert_has(
        &got,
        "survey.trouble_rate|170003|2025-10-01..2025-10-31| = 65",
    );
    assert!(
        categories(&x).iter().any(|c| c == "有効期限切れ = 38.7"),
        "{got:#?}"
    );
}

/// Wrong facts the thirteenth session's review found in readings older than that session.
#[test]
fn responses_answers_and_subsets_are_no_kinds_of_trouble_nor_respondents() {
    let x = read_inline(
        "マイナ保険証トラブル 保険医協会\n2025年12月5日\n\
         富山県保険医協会は10月に調査を行い、160医療機関が回答した。トラブルがあったのは58%だった。\n\
         トラブルの内容は「資格情報が無効」が45%、「カードが読めない」が28%だった。\n\
         トラブルの際、「持参の保険証で確認した」が33%だった。\n\
         また、「資格確認書」を知らない患者が多いと答えたのは41%だった。\n\
         「あった」と答えた93医療機関のうち、40医療機関が窓口で保険証を確認したと回答した。\n",
        "https://news.example.jp/toyama/4",
    );
    let cats = categories(&x);
    assert_eq!(
        sorted(&cats.iter().map(String::as_str).collect::<Vec<_>>()),
        sorted(&["カードが読めない = 28", "資格情報が無効 = 45"]),
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|160008|2025-10-01..2025-10-31| = 160",
    );
    assert!(
        !facts(&x).iter().any(|f| f.ends_with("= 40")),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn a_quoted_answer_that_trouble_exists_gives_the_trouble_share_in_either_order() {
    for line in [
        "「マイナ保険証のトラブルや不具合がある」と答えたのは66%だった。",
        "「トラブルや不具合がある」との回答は66%だった。",
        "66%が「マイナ保険証のトラブルや不具合がある」と答えた。",
    ] {
        let x = read_inline(
            &format!(
                "マイナ保険証 保険医協会\n2025年12月5日\n\
                 福井県保険医協会は10月、県内の医療機関にアンケートを実施し、140医療機関が回答した。\n{line}\n"
            ),
            "https://news.example.jp/fukui/6",
        );
        assert_has(
            &facts(&x),
            "survey.trouble_rate|180009|2025-10-01..2025-10-31| = 66",
        );
    }
    // A worry is no trouble.
    assert_none(
        "マイナ保険証 保険医協会\n2025年12月5日\n\
         福井県保険医協会は10月、県内の医療機関にアンケートを実施し、140医療機関が回答した。\n\
         「トラブルへの不安がある」と答えたのは66%だった。\n",
        "https://news.example.jp/fukui/7",
        "trouble_rate",
    );
}

#[test]
fn a_fault_the_institutions_reported_is_a_kind_of_trouble_in_either_order() {
    let x = read_inline(
        "保険医協会 緊急調査\n2025年6月3日\n\
         福井県保険医協会は5月、会員医療機関を対象に緊急調査を実施し、410医療機関が回答した。\n\
         このうち11.7%に当たる48施設が、画面に出た資格情報と保険証の券面の負担割合に相違があったと報告した。\n\
         高齢者の窓口負担をめぐり、被保険者番号に「誤りがあった」と答えた医療機関(医科)は6・2%だった。\n\
         また、32.0%の医療機関がカードリーダーの不具合があったと回答した。\n",
        "https://news.example.jp/fukui/8",
    );
    assert_eq!(
        sorted(
            &categories(&x)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        ),
        sorted(&[
            "負担割合に相違 = 11.7",
            "被保険者番号に誤り = 6.2",
            "カードリーダーの不具合 = 32",
        ]),
    );
    assert!(
        !facts(&x)
            .iter()
            .any(|f| f.starts_with("survey.trouble_rate")),
        "a kind of fault is not the trouble share: {:#?}",
        facts(&x)
    );
    // Trouble itself, however its kinds are named, is the trouble share's, not a kind.
    let x = read_inline(
        "保険医協会 緊急調査\n2025年6月3日\n\
         福井県保険医協会は5月、会員医療機関を対象に緊急調査を実施し、410医療機関が回答した。\n\
         回答した医療機関のうち61.5%が「トラブル・不具合があった」と答えた。\n",
        "https://news.example.jp/fukui/9",
    );
    assert!(categories(&x).is_empty(), "{:#?}", categories(&x));
}

#[test]
fn a_section_of_another_question_and_a_new_numbered_item_hold_no_kinds_of_trouble() {
    let x = read_inline(
        "調査結果のお知らせ\n2025年10月6日\n\
         秋田県保険医協会は9月に会員を対象にアンケートを実施し、210件の回答を得た。\n\
         1.トラブルの有無\n「あった」は64.3%だった。\n\
         2.トラブルの内容(複数回答)\n\
         ・資格情報が無効と出る(51.2%)\n\
         ・カードリーダーが反応しない(33.0%)\n\
         3.トラブルへの対応(複数回答)\n\
         最も多かったのは「持参した保険証で確かめた」(77.0%)だった。\n\
         4)「資格確認書の見本を知りたい」との声:41.5%\n",
        "https://news.example.jp/akita/1",
    );
    assert_eq!(
        sorted(
            &categories(&x)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        ),
        sorted(&[
            "カードリーダーが反応しない = 33",
            "資格情報が無効と出る = 51.2"
        ]),
    );
}

#[test]
fn counts_periods_and_valid_answers_are_read_in_their_own_words() {
    // A range without its year that would start after the page: the year before.
    let x = read_inline(
        "県保険医協会の調査\n2026年1月20日\n\
         高知県保険医協会は、12月1日から19日にかけて県内の医療機関にアンケートを行い、133の医療機関が回答した。\n",
        "https://news.example.jp/kochi/1",
    );
    let f = one(&x, "survey.institutions_responding", "");
    assert_eq!(
        (f.period_start, f.period_end),
        (
            NaiveDate::from_ymd_opt(2025, 12, 1),
            NaiveDate::from_ymd_opt(2025, 12, 19)
        )
    );
    // Questionnaires sent on a day and answers taken until another: the fieldwork.
    let x = read_inline(
        "歯科保険医協会 調査\n2025年3月10日\n\
         奈良県歯科保険医協会は4日、会見で調査結果を公表した。同会は2月12日に会員に調査票を送り、24日までに188件の回答を得た。\n",
        "https://news.example.jp/nara/1",
    );
    let f = one(&x, "survey.institutions_responding", "");
    assert_eq!(
        (f.period_start, f.period_end),
        (
            NaiveDate::from_ymd_opt(2025, 2, 12),
            NaiveDate::from_ymd_opt(2025, 2, 24)
        )
    );
    // The valid answers, not all the answers; institutions that charged in full are no
    // count of cases.
    let x = read_inline(
        "歯科保険医協会 調査\n2025年10月20日\n\
         岐阜県保険医協会が9月に実施した調査(回答250件のうち有効回答241件)では、トラブルがあったのは60.2%だった。\n\
         一時的に10割を請求した歯科医院は17件あった。\n",
        "https://news.example.jp/gifu/1",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|210005|2025-09-01..2025-09-30| = 241",
    );
    assert!(
        !facts(&x)
            .iter()
            .any(|f| f.starts_with("survey.full_charge_cases")),
        "{:#?}",
        facts(&x)
    );
}

#[test]
fn a_masthead_dates_the_page_and_days_within_the_months_told_refine_the_fieldwork() {
    // An outlet's masthead line is the page's date; the survey's month, told without a year,
    // takes it.
    let x = read_inline(
        "みなと新報 2025年7月15日(火) 地域面\n\
         県保険医協会 トラブル7割\n\
         山形県保険医協会は14日、会員を対象に6月に行ったアンケートの結果を発表した。回答は212医療機関だった。\n",
        "https://news.example.jp/yamagata/2",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|060003|2025-06-01..2025-06-30| = 212",
    );
    // Not a title's date that a window starts from.
    let x = read_inline(
        "山形県保険医協会\n資料 2024年12月2日以降の実態調査\n\
         山形県保険医協会は6月に会員にアンケートを行い、212医療機関が回答した。\n",
        "https://news.example.jp/yamagata/3",
    );
    assert!(
        !facts(&x).is_empty() && facts(&x).iter().all(|f| f.contains("||")),
        "no date from the title: {:#?}",
        facts(&x)
    );
    // Days told later within the months refine them; a national survey quoted to compare
    // with dates nothing of the report's own.
    let x = read_inline(
        "いずみ日報 2025年3月5日\n\
         鳥取県保険医協会が1~2月に行った会員調査の結果がまとまった。\n\
         1月20日から2月14日まで会員に調査票を送り、183件の回答を得た。\n\
         保団連が昨年8~9月に行った全国調査では70.3%で、今回はこれを上回った。\n\
         資格を確かめられず10割を求めた事例は、医科で4件、歯科で2件の計6件あった。\n",
        "https://news.example.jp/tottori/2",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|310000|2025-01-20..2025-02-14| = 183",
    );
    assert_has(
        &facts(&x),
        "survey.full_charge_cases|310000|2025-01-20..2025-02-14| = 6",
    );
}

#[test]
fn a_bar_table_of_kinds_and_a_sentence_on_the_earlier_survey_are_read() {
    let x = read_inline(
        "保団連 調査結果\n2026年7月16日\n\
         全国保険医団体連合会は2026年5月11日~6月30日に調査を実施し、9120医療機関が回答した。トラブルが「あった」は70.4%だった。\n\
         トラブルの内容(複数回答)\n\
         項目|件数|割合\n\
         資格情報が無効|3,212|50.0%\n\
         ●(黒丸)が出る|2,891|45.0%\n\
         前回調査(2025年10~11月実施)では、トラブルが「あった」との回答は66.2%でした。\n",
        "https://hodanren.doc-net.or.jp/info/news/x",
    );
    assert_eq!(
        sorted(
            &categories(&x)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        ),
        sorted(&["●(黒丸)が出る = 45", "資格情報が無効 = 50"]),
    );
    assert_has(
        &facts(&x),
        "survey.trouble_rate|000000|2025-10-01..2025-11-30|basis=previous_survey = 66.2",
    );
    assert_has(
        &facts(&x),
        "survey.trouble_rate|000000|2026-05-11..2026-06-30| = 70.4",
    );
}

/// Text a PDF laid out letter by letter, cells set apart by wider gaps.
#[test]
fn a_letter_spaced_report_is_read_as_its_words() {
    let x = read_inline(
        "富 山 県 保 険 医 協 会\n\
         ト ラ ブ ル 調 査  結 果\n\
         2025 年 10 月 3 日\n\
         調 査 期 間 ： 2025 年 9 月 1 日 ～ 9 月 19 日\n\
         回 答 数 ： 251 件\n\
         2 . ト ラ ブ ル の 有 無\n\
         あ っ た      180 件 （ 71.7 % ）\n\
         な か っ た    71 件 （ 28.3 % ）\n\
         3 . ト ラ ブ ル の 内 容 （ 複 数 回 答 ）\n\
         資 格 情 報 が 無 効       90 件    50.0 %\n\
         カ ー ド リ ー ダ ー の 不 具 合    63 件    35.0 %\n",
        "https://news.example.jp/toyama/9",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|160008|2025-09-01..2025-09-19| = 251",
        "survey.trouble_rate|160008|2025-09-01..2025-09-19| = 71.7",
        "survey.trouble_category_rate|160008|2025-09-01..2025-09-19|category=資格情報が無効 = 50",
        "survey.trouble_category_rate|160008|2025-09-01..2025-09-19|category=カードリーダーの不具合 = 35",
    ] {
        assert_has(&f, want);
    }
}

/// A results page flattened one cell per line: each value on the line under its label.
#[test]
fn a_table_flattened_one_cell_per_line_reads_its_period_and_counts() {
    let x = read_inline(
        "静岡県保険医協会\n2025年度 マイナ保険証トラブル調査 結果\n\
         調査期間\n2025年10月中旬~11月上旬\n\
         回答医療機関数\n834\n\
         トラブルの有無\nあった\n601\n72.1%\nなかった\n233\n27.9%\n\
         いったん10割負担を求めた事例\n21件\n",
        "https://news.example.jp/shizuoka/30",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.trouble_rate|220001|2025-10-01..2025-11-30| = 72.1",
    );
    assert_has(
        &f,
        "survey.full_charge_cases|220001|2025-10-01..2025-11-30| = 21",
    );
}

/// A council group's newsletter: dated by its issue line, the fieldwork told in years
/// relative to it, and a ranked list led into by the end of a sentence with a share.
#[test]
fn an_issue_line_dates_relative_years_and_a_sentence_ending_in_a_lead_in_opens_a_list() {
    let x = read_inline(
        "市議団ニュース 第31号 2026年3月1日発行\n\
         市議は、埼玉県保険医協会が昨年12月10日から今年1月20日にかけて実施した会員調査(有効回答402医療機関)を取り上げました。\n\
         トラブルが「あった」との回答は70.1%で、トラブルの内容は次のとおりでした。\n\
         1位 ●が出る 61.0%\n\
         2位 資格情報が無効 43.5%\n",
        "https://www.example-giin.jp/news/31",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|110001|2025-12-10..2026-01-20| = 402",
        "survey.trouble_rate|110001|2025-12-10..2026-01-20| = 70.1",
        "survey.trouble_category_rate|110001|2025-12-10..2026-01-20|category=●が出る = 61",
        "survey.trouble_category_rate|110001|2025-12-10..2026-01-20|category=資格情報が無効 = 43.5",
    ] {
        assert_has(&f, want);
    }
}

/// A paper named for its prefecture reports that prefecture's part of 保団連's survey,
/// presented by a group the association belongs to; a kind's count is no count of the
/// institutions with trouble.
#[test]
fn a_prefectures_part_is_placed_by_the_papers_name_and_counts_keep_their_roles() {
    let x = read_inline(
        "宮崎新報 2024年10月30日\n\
         県内医療機関の61%でトラブル いったん10割負担も9件\n\
         県保険医協会などでつくる連絡会は29日、保団連が8月から9月にかけて全国で行った調査について、県内分の結果を報告した。\n\
         県内では140機関が回答し、このうち86機関、率にして61.4%が「トラブルがあった」と答えた。\n\
         内容で最も多かったのは「資格情報が無効」の40件で、トラブルがあった医療機関の46.5%を占めた。\n\
         患者がいったん10割を負担したケースも9件あった。\n",
        "https://news.example.jp/miyazaki/3",
    );
    let f = facts(&x);
    for want in [
        "survey.institutions_responding|450006|2024-08-01..2024-09-30| = 140",
        "survey.institutions_with_trouble|450006|2024-08-01..2024-09-30| = 86",
        "survey.trouble_rate|450006|2024-08-01..2024-09-30| = 61.4",
        "survey.full_charge_cases|450006|2024-08-01..2024-09-30| = 9",
    ] {
        assert_has(&f, want);
    }
    assert!(
        !f.iter()
            .any(|x| x.contains("|000000|") || x.ends_with("= 40")),
        "{f:#?}"
    );
}

#[test]
fn a_ranking_heading_opens_a_list_and_valid_answers_need_no_unit() {
    let x = read_inline(
        "県保険医協会の調査を読む\n2025年11月3日\n\
         広島県保険医協会が10月6日~24日に実施した調査は、有効回答数は312で、トラブルが「あった」は70.2%。\n\
         ■トラブルの中身ランキング(複数回答)\n\
         1. ●が出る…66.0%\n\
         2. 資格情報が無効…45.1%\n",
        "https://blog.example.jp/hiroshima/1",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.institutions_responding|340006|2025-10-06..2025-10-24| = 312",
    );
    assert_eq!(
        sorted(
            &categories(&x)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        ),
        sorted(&["●が出る = 66", "資格情報が無効 = 45.1"]),
    );
    // A rate of valid answers is no count of them.
    let x = read_inline(
        "青森県保険医協会の調査\n2025年7月1日\n\
         青森県保険医協会が6月に実施した調査で、有効回答数は11.6%の102件だった。\n",
        "https://news.example.jp/aomori/5",
    );
    assert_has(
        &facts(&x),
        "survey.institutions_responding|020001|2025-06-01..2025-06-30| = 102",
    );
}

#[test]
fn lists_of_faults_without_a_title_and_items_between_slashes_are_kinds() {
    // A list of faults right after trouble was spoken of, with no title of its own.
    let x = read_inline(
        "クリニック通信\n2025年4月1日\n\
         茨城県保険医協会が2025年2月3日~2月28日に行った調査(回答338施設)では、208施設(61.5%)がトラブルを経験した。\n\
         受付で起きていることを見てみましょう。\n\
         ・名前の一部が●になる …… 112施設(53.8%)\n\
         ・資格情報が無効と表示される …… 87施設(41.8%)\n",
        "https://blog.example.jp/ibaraki/1",
    );
    assert_eq!(
        sorted(
            &categories(&x)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        ),
        sorted(&[
            "名前の一部が●になる = 53.8",
            "資格情報が無効と表示される = 41.8"
        ]),
    );
    // Not a list of what was done.
    let x = read_inline(
        "クリニック通信\n2025年4月1日\n\
         茨城県保険医協会が2025年2月3日~2月28日に行った調査(回答338施設)では、208施設(61.5%)がトラブルを経験した。\n\
         受付でしたことを見てみましょう。\n\
         ・持参の保険証で確認した …… 150施設(72.1%)\n",
        "https://blog.example.jp/ibaraki/2",
    );
    assert!(categories(&x).is_empty(), "{:#?}", categories(&x));
    // Items on one line between slashes, a label's count of those with trouble.
    let x = read_inline(
        "理事会報告\n2025年7月10日\n\
         福岡県保険医協会が6月に実施した調査の速報値。\n\
         ・回答:420医療機関\n\
         ・トラブルあり:300医療機関\n\
         ・トラブルの内訳(上位2項目):資格情報が無効 50.3%/●(黒丸)表示 48.0%\n",
        "https://news.example.jp/fukuoka/7",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.institutions_with_trouble|400009|2025-06-01..2025-06-30| = 300",
    );
    assert_eq!(
        sorted(
            &categories(&x)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        ),
        sorted(&["●(黒丸)表示 = 48", "資格情報が無効 = 50.3"]),
    );
}

/// An interview: the president's answers are quotations about the survey, read as its words;
/// a pronoun names no kind.
#[test]
fn an_interviews_answers_about_the_survey_are_read_and_a_pronoun_names_no_kind() {
    let x = read_inline(
        "いずみ日報 2025年3月5日\n\
         鳥取県保険医協会の会長に聞く\n\
         ――調査の概要は。\n\
         「鳥取県保険医協会は1月20日から2月14日まで調査票を送り、回答は183件でした」\n\
         ――どんなトラブルが多いのですか。\n\
         「次が●の表示で、これが47.7%。それから資格情報が無効と出るものが35.2%でした。\
         資格が確認できず、いったん10割をお支払いいただいた例が3件ありました」\n",
        "https://news.example.jp/tottori/5",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.full_charge_cases|310000|2025-01-20..2025-02-14| = 3",
    );
    assert_eq!(
        categories(&x),
        vec!["資格情報が無効と出る = 35.2".to_string()],
    );
}

/// Wrong readings the fourteenth session's review found in its own new rules: each gives
/// nothing now.
#[test]
fn the_sessions_new_rules_stay_inside_their_edges() {
    let page = |body: &str| {
        read_inline(
            &format!("マイナ保険証アンケート結果\n2025年9月5日\n{body}"),
            "https://news.example.jp/fukui/40",
        )
    };
    // A reported fault is no cue for the other answers beside it.
    let x = page(
        "福井県保険医協会は会員アンケート(回答388施設)の結果を発表した。\n\
         資格情報に「誤りがあった」と答えた医療機関が16.1%、「誤りはなかった」が70.2%、「わからない」が13.7%だった。\n",
    );
    assert_eq!(categories(&x), vec!["資格情報に誤り = 16.1".to_string()]);
    // A heading of what was done is no heading of kinds; the next run's period, a count of
    // institutions under its label, a headline's or a deadline's date date nothing.
    let x = read_inline(
        "2024年12月2日 新規発行停止へ\n受付締切 2025年12月26日\n\
         福井県保険医協会は会員医療機関にアンケートを行い、215施設から回答を得た。トラブルがあったと答えたのは73.7%だった。\n\
         ■トラブル時の対応ランキング\n1位 持参の保険証で確認 64.1%\n\
         次回調査期間\n2026年4月上旬~5月中旬\n\
         いったん10割負担を求めた医療機関\n32件\n",
        "https://news.example.jp/fukui/41",
    );
    let f = facts(&x);
    assert!(categories(&x).is_empty(), "{f:#?}");
    assert!(
        f.iter()
            .all(|x| x.contains("||") && !x.starts_with("survey.full_charge")),
        "{f:#?}"
    );
}

/// A yes row with its share alone (`あった 67.3%`) is no count 6 with a share 7.3.
#[test]
fn a_yes_row_with_its_share_alone_keeps_the_share_whole() {
    let x = read_inline(
        "福井県保険医協会\n2025年8月1日\n\
         当会は7月に会員医療機関を対象にアンケートを実施し、315施設から回答を得ました。\n\
         1.トラブルの有無\nあった 67.3%\nなかった 32.7%\n",
        "https://news.example.jp/fukui/42",
    );
    let f = facts(&x);
    assert_has(
        &f,
        "survey.trouble_rate|180009|2025-07-01..2025-07-31| = 67.3",
    );
    assert!(
        !f.iter()
            .any(|x| x.starts_with("survey.institutions_with_trouble")),
        "{f:#?}"
    );
}

/// A prefecture's figures compared with the nation's survey stay the prefecture's, and a
/// line quoting the nation's survey does not date the prefecture's.
#[test]
fn a_prefectures_figures_compared_with_the_nations_survey_keep_their_area_and_dates() {
    let x = read_inline(
        "マイナ保険証アンケート結果\n2026年3月10日\n\
         福井県保険医協会は会員医療機関へのアンケートの結果をまとめた。回答した301施設のうち73.1%がトラブルがあったと答え、全国調査(保団連、2025年8~9月実施)の70.3%を上回った。\n",
        "https://news.example.jp/fukui/43",
    );
    let f = facts(&x);
    assert_has(&f, "survey.trouble_rate|180009|2026-03-10| = 73.1");
    assert!(!f.iter().any(|x| x.contains("|000000|")), "{f:#?}");
    let x = read_inline(
        "マイナ保険証アンケート結果\n2026年3月10日\n\
         福井県保険医協会は会員医療機関へのアンケートの結果をまとめた。回答した301施設のうち73.1%がトラブルがあったと答えた。\n\
         全国保険医団体連合会が2025年8月から9月にかけて実施した全国調査でも、7割の医療機関でトラブルが起きていた。\n",
        "https://news.example.jp/fukui/44",
    );
    assert_has(&facts(&x), "survey.trouble_rate|180009|2026-03-10| = 73.1");
}

/// Older wrong readings the review found: a rate of answers taken for the trouble share,
/// opinion items after a list and a list of what was done read as kinds.
#[test]
fn rates_of_answers_opinions_and_what_was_done_are_no_trouble_figures() {
    let x = read_inline(
        "マイナ保険証アンケート結果\n2025年12月2日\n\
         福井県保険医協会は会員医療機関880施設にアンケートを送付した。有効回答数は11.6%の102件で、トラブルがあったのは62.7%だった。\n",
        "https://news.example.jp/fukui/45",
    );
    let f = facts(&x);
    assert_has(&f, "survey.trouble_rate|180009|2025-12-02| = 62.7");
    assert!(
        !f.iter()
            .any(|x| x.starts_with("survey.institutions_with_trouble") || x.ends_with("= 11.6")),
        "{f:#?}"
    );
    let x = read_inline(
        "福井県保険医協会\n2025年8月1日\n\
         当会は7月に会員医療機関を対象にアンケートを実施し、315施設から回答を得ました。\n\
         トラブルの内容(複数回答)\n\
         ・資格情報が無効 52.0%\n\
         ・負担割合の相違 12.0%\n\
         5.保険証の廃止に反対 81.0%\n\
         トラブルがあった時にどう対応したかは次のとおりです。\n\
         1位 持参の保険証で確認 58.0%\n",
        "https://news.example.jp/fukui/46",
    );
    assert_eq!(
        sorted(
            &categories(&x)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        ),
        sorted(&["負担割合の相違 = 12", "資格情報が無効 = 52"]),
    );
}

/// A masthead dated `…付` dates the page.
#[test]
fn a_masthead_dated_with_tsuke_dates_the_page() {
    let x = read_inline(
        "ふくい民報 2025年12月20日付\nマイナ保険証 トラブル続く\n\
         福井県保険医協会は会員医療機関へのアンケート結果を発表した。回答は288施設で、トラブルがあったと答えたのは63.5%だった。\n",
        "https://news.example.jp/fukui/47",
    );
    assert_has(&facts(&x), "survey.trouble_rate|180009|2025-12-20| = 63.5");
}
