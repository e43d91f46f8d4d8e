//! The finders on a long real text: every speech of two Diet meeting records from the
//! corpus, concatenated. `cargo bench -p mynawatch-ja --bench finder`; the figure goes in
//! crates/ja/README.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mynawatch_testutil::corpus_bytes;

/// The text of every `<speech>` element, XML entities left as they are (the finder sees
/// the same kind of text either way).
fn speeches(rel: &str) -> String {
    let xml = String::from_utf8(corpus_bytes(rel)).expect("Diet API XML is UTF-8");
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<speech>") {
        let body = &rest[start + "<speech>".len()..];
        let end = body.find("</speech>").unwrap_or(body.len());
        out.push_str(&body[..end]);
        out.push('\n');
        rest = &body[end..];
    }
    out
}

fn finder(c: &mut Criterion) {
    let text = speeches("diet/kokkai_api_meeting_s212_lastpage_shugiin_monka.xml")
        + &speeches("diet/kokkai_api_meeting_s212_page1_sangiin_honkaigi.xml");
    assert!(text.len() > 100_000, "speech text is {} bytes", text.len());
    let mut g = c.benchmark_group("ja");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.measurement_time(Duration::from_secs(5));
    g.sample_size(20);
    g.bench_function("find_numbers: Diet speeches", |b| {
        b.iter(|| black_box(mynawatch_ja::find_numbers(&text).len()))
    });
    g.bench_function("find_dates: Diet speeches", |b| {
        b.iter(|| black_box(mynawatch_ja::find_dates(&text).len()))
    });
    g.bench_function("analyze: Diet speeches", |b| {
        b.iter(|| black_box(mynawatch_ja::analyze(&text).numbers.len()))
    });
    g.finish();
}

criterion_group!(benches, finder);
criterion_main!(benches);
