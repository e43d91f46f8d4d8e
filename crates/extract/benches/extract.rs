//! Extraction and normalization on real data (the CPU work of a run).
//! `cargo bench -p mynawatch-extract --bench extract`; figures go to docs/benchmarks.md.
//! This crate has no polars, so the optimized build stays cheap on 2 cores.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mynawatch_extract::{family, Input};
use mynawatch_model::SnapshotMeta;
use mynawatch_testutil::{corpus_bytes, fixture_bytes};

fn meta(url: &str) -> SnapshotMeta {
    SnapshotMeta::for_file("bench", url, "0".repeat(64))
}

fn mic_release(c: &mut Criterion) {
    let files: Vec<(String, Vec<u8>)> = (0..38)
        .map(|i| {
            let name = format!("000490028_{i}.csv");
            let bytes = corpus_bytes(&format!("figures/mic_pdf_camelot_000490028/{name}"));
            (
                format!("https://www.soumu.go.jp/main_content/{name}"),
                bytes,
            )
        })
        .collect();
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    let options: serde_json::Value =
        serde_json::from_slice(&fixture_bytes("table/configs/mic_2017_camelot.json")).unwrap();
    let table = family("table").unwrap();
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("table: MIC 2017 release, 38 CSVs, 5,538 figures", |b| {
        b.iter(|| {
            let mut n = 0;
            for (url, bytes) in &files {
                let m = meta(url);
                n += table
                    .extract(&Input {
                        bytes,
                        meta: &m,
                        options: &options,
                    })
                    .unwrap()
                    .row_count();
            }
            black_box(n)
        })
    });
    let page_bytes = corpus_bytes("mhlw_pages/mhlw_newpage_67729_20260905T182241.html");
    let page = family("page").unwrap();
    g.throughput(Throughput::Bytes(page_bytes.len() as u64));
    g.bench_function("page: real MHLW page, 97 KB, 203 file links", |b| {
        let m = meta("https://www.mhlw.go.jp/stf/newpage_67729.html");
        b.iter(|| {
            black_box(
                page.extract(&Input {
                    bytes: &page_bytes,
                    meta: &m,
                    options: &serde_json::Value::Null,
                })
                .unwrap()
                .links
                .len(),
            )
        })
    });
    let diet_bytes = corpus_bytes("diet/kokkai_api_meeting_s212_lastpage_shugiin_monka.xml");
    let diet = family("diet").unwrap();
    g.throughput(Throughput::Bytes(diet_bytes.len() as u64));
    g.bench_function("diet: real API page, 500 KB, 298 speeches", |b| {
        let m = meta("https://kokkai.ndl.go.jp/api/meeting?any=x");
        b.iter(|| {
            black_box(
                diet.extract(&Input {
                    bytes: &diet_bytes,
                    meta: &m,
                    options: &serde_json::Value::Null,
                })
                .unwrap()
                .row_count(),
            )
        })
    });
    g.finish();
}

fn normalizer(c: &mut Criterion) {
    // Every speech of a real Diet page: long Japanese prose with kanji numerals and dates.
    let xml = String::from_utf8(corpus_bytes(
        "diet/kokkai_api_meeting_s212_page1_sangiin_honkaigi.xml",
    ))
    .unwrap();
    let text: String = xml
        .split("<speech>")
        .skip(1)
        .filter_map(|s| s.split("</speech>").next())
        .collect::<Vec<_>>()
        .join("\n");
    let mut g = c.benchmark_group("ja");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("find_numbers + find_dates over 67 Diet speeches", |b| {
        b.iter(|| {
            black_box(
                mynawatch_ja::find_numbers(&text).len() + mynawatch_ja::find_dates(&text).len(),
            )
        })
    });
    g.bench_function("normalize (NFKC + radicals) over 67 Diet speeches", |b| {
        b.iter(|| black_box(mynawatch_ja::normalize(&text).len()))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = mic_release, normalizer
}
criterion_main!(benches);
