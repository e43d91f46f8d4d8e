//! Every page of a generated Japan (each CMS style, Shift_JIS and UTF-8, tables, lists,
//! index pages) reads the same through the fast HTML parser as through html5ever.

use mynawatch_extract::html;

#[test]
fn every_generated_page_reads_as_html5ever_reads_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let Some(japan) = super::generated_japan(&tmp.path().join("japan"), Some(300)) else {
        return;
    };
    let files: Vec<_> = mynawatch_testutil::files_under(&japan.root)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "html" || x == "htm"))
        .collect();
    assert!(files.len() > 600, "{} pages", files.len());
    let mut fast = 0;
    for f in &files {
        let bytes = std::fs::read(f).expect("read page");
        let text = mynawatch_model::content::decode(&bytes, None).text;
        let url = "https://www.city.example.lg.jp/kurashi/index.html";
        assert_eq!(
            html::parse(&text, url),
            html::parse_with_html5ever(&text, url),
            "{}",
            f.display()
        );
        fast += usize::from(html::is_fast(&text));
    }
    eprintln!(
        "{fast} of {} generated pages read by the fast parser",
        files.len()
    );
    assert!(
        fast * 2 > files.len(),
        "fast parser read {fast} of {}",
        files.len()
    );
}
