//! Golden strings, one assertion per line: the hand-checked `fixtures/ja/golden.tsv`, and
//! `fixtures/ja/golden_corpus.tsv`, real cells and names of the raw MIC PDF tables whose
//! expected values come from an independent source (Code for Japan's cleaned release).

use mynawatch_ja::{analyze, area, find_dates_with_year, normalize_name, parse_date, parse_number};

#[test]
fn golden_strings_give_their_checked_results() {
    let text = ["ja/golden.tsv", "ja/golden_corpus.tsv"]
        .map(|f| String::from_utf8(mynawatch_testutil::fixture_bytes(f)).unwrap())
        .join("\n");
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        checked += 1;
        let got = match cols[0] {
            "num" => match parse_number(cols[1]) {
                Err(_) if cols[2] == "error" => "error".to_string(),
                Ok(n) => {
                    let value = n.value.map_or("none".to_string(), |v| v.to_string());
                    let q = n.qualifier.map_or("-".to_string(), |q| {
                        serde_json::to_value(q)
                            .unwrap()
                            .as_str()
                            .unwrap()
                            .to_string()
                    });
                    let s = serde_json::to_value(n.status).unwrap();
                    let unit = if n.unit.is_empty() {
                        "-"
                    } else {
                        n.unit.as_str()
                    };
                    format!("{value}\t{unit}\t{q}\t{}", s.as_str().unwrap())
                }
                Err(e) => format!("error: {e}"),
            },
            "date" => match parse_date(cols[1]) {
                Ok(d) => format!("{}\t{}", d.start, d.end),
                Err(e) => format!("error: {e}"),
            },
            "reject" => match parse_date(cols[1]) {
                Ok(d) => format!("accepted as {}", d.start),
                Err(_) => String::new(),
            },
            "warn" => {
                let warnings = analyze(cols[1]).warnings;
                if warnings.iter().any(|w| w.contains(cols[2])) {
                    cols[2].to_string()
                } else {
                    format!("warnings {warnings:?}")
                }
            }
            "yeardate" => {
                let year: i32 = cols[2].parse().unwrap();
                let found = find_dates_with_year(cols[1], year);
                match found.as_slice() {
                    [d] => format!("{year}\t{}\t{}", d.start, d.end),
                    other => format!("{} dates: {other:?}", other.len()),
                }
            }
            "name" => normalize_name(cols[1]),
            "area" => area::lookup_full(cols[1]).map_or("none".into(), |a| a.code.to_string()),
            other => panic!("unknown kind {other}"),
        };
        let want = cols[2..].join("\t");
        if got != want {
            failures.push(format!("{line}\n   got: {got}"));
        }
    }
    assert!(checked >= 300, "{checked} golden lines");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
