//! Demo generation must stay well under 5 s in release (issue: foundation).

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use ducklens::market::demo;
use ducklens::store::Store;

fn demo_generation(c: &mut Criterion) {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let mut group = c.benchmark_group("demo");
    group.sample_size(10);
    group.bench_function("generate", |b| b.iter(|| demo::generate(as_of)));
    group.bench_function("generate_and_write_in_memory", |b| {
        b.iter(|| {
            let data = demo::generate(as_of);
            let mut db = Store::open_in_memory().expect("store");
            ducklens::cli::write_demo(&mut db, &data).expect("write");
        })
    });
    group.finish();
}

criterion_group!(benches, demo_generation);
criterion_main!(benches);
