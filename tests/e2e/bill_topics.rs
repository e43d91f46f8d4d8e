//! Issue 13, bills linked to the Diet record, on the mirror: the real 衆議院 文部科学委員会
//! record of 2023-11-01 and 2023-11-08 (kokkai API, XML) and a bill dataset that first lacks,
//! then lists 閣法 212-10 国立大学法人法の一部を改正する法律案 (referred 2023-11-07). The
//! statements that name the bill in that committee after its referral gain its key as a topic,
//! once, as `modified` changes of `topics`; the same inputs again change nothing; the first
//! committee debate is a query and a line of `mynawatch bills`.

use mynawatch_model::ChangeKind;

use super::Site;

const MONKA: &str = "diet/kokkai_api_meeting_s212_lastpage_shugiin_monka.xml";

const SOURCES: &str = r#"
[[source]]
id = "kokkai_monka"
family = "diet"
urls = ["{base}/api/meeting.xml"]

[[source]]
id = "hoc_bills"
family = "diet_bills"
urls = ["{base}/sangiin/gian.json"]
"#;

#[tokio::test(flavor = "multi_thread")]
async fn committee_statements_naming_a_referred_bill_carry_its_key_once_the_bill_appears() {
    let path = mynawatch_testutil::corpus_dir().join(MONKA);
    if !path.exists() {
        println!(
            "SKIPPED: corpus file {} not found (set MYNAWATCH_CORPUS to the real-data corpus)",
            path.display()
        );
        return;
    }
    let fixture = mynawatch_testutil::fixture_bytes;
    let site = Site::new().await;
    site.put("api/meeting.xml", std::fs::read(&path).unwrap());
    site.put(
        "sangiin/gian.json",
        fixture("diet_bills/hoc_gian_monka_212_v1.json"),
    );
    let cfg = site.config(SOURCES);
    let first = site.run(&cfg).await;
    assert!(first.all_ok(), "{:?}", first.outcomes);
    // 衆法 211-11 (学校給食法) sits in the committee, but no speech names it (only the
    // agenda header, which is not a statement): no statement carries a bill key.
    let tagged = site.query("select count(*) as n from statements where topics like '%-%'");
    assert_eq!(tagged[0]["n"], 0, "{tagged:?}");

    site.put(
        "sangiin/gian.json",
        fixture("diet_bills/hoc_gian_monka_212_v2.json"),
    );
    let second = site.run(&cfg).await;
    assert!(second.all_ok(), "{:?}", second.outcomes);
    let diet: Vec<_> = second
        .changes
        .iter()
        .filter(|c| c.source_id == "kokkai_monka")
        .collect();
    // 2023-11-08: the chair puts the bill on the agenda (turn 275), the minister explains it
    // (276). Not the minister's greeting of 2023-11-01 (turn 8), which names the bill a week
    // before its referral, nor turn 70, which names only the law (国立大学法人法).
    let keys: Vec<&str> = diet.iter().map(|c| c.entity_key.as_str()).collect();
    assert_eq!(
        keys,
        ["121205124X00220231108#275", "121205124X00220231108#276"]
    );
    for c in &diet {
        assert_eq!(
            (c.table.as_str(), c.field.as_str(), c.kind),
            ("statements", "topics", ChangeKind::Modified)
        );
        assert_eq!(c.new_value.as_deref(), Some("閣法-212-10"), "{c:?}");
        assert!(c.summary.contains("閣法-212-10"), "{}", c.summary);
    }

    // The documented query: the first committee debate of 閣法 212-10.
    let first_debate = site.query(
        "select min(e.date) as first_debate from statements_current s \
         join events_current e on s.event_id = e.event_id \
         where ',' || s.topics || ',' like '%,閣法-212-10,%'",
    );
    assert_eq!(first_debate[0]["first_debate"], "2023-11-08");
    let report = mynawatch::bills::bills(&site.data, None, Some("国立大学")).unwrap();
    assert!(
        report.contains("  first committee debate: 2023-11-08 衆議院文部科学委員会 (2 statements)"),
        "{report}"
    );
    // Before that day, no debate yet.
    let early = mynawatch::bills::bills(&site.data, Some("2023-11-07"), Some("国立大学")).unwrap();
    assert!(!early.contains("first committee debate"), "{early}");

    // The same inputs again: no change, no new version.
    let third = site.run(&cfg).await;
    assert!(third.all_ok(), "{:?}", third.outcomes);
    assert!(third.changes.is_empty(), "{:#?}", third.changes);
    let versions = site.query(
        "select count(*) as n from statements \
         where event_id = '121205124X00220231108' and turn = 276",
    );
    assert_eq!(versions[0]["n"], 2, "one version per run that changed it");
}
