//! The performance figures over 10 years of daily values (2,520 sessions with a deposit each
//! month): TWR and XIRR for six periods, today's change, the monthly table and the road to
//! $1M with its 2,000 resampled paths — everything `domain::performance::summarize` does
//! for the Account tab and `ducklens performance`, without the DuckDB read.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use ducklens::domain::calendar::trading_days_ending;
use ducklens::domain::performance::{summarize, DayValue, MillionPlan};
use ducklens::market::rng::SplitMix64;
use rust_decimal::Decimal;

fn history() -> (Vec<DayValue>, Vec<(NaiveDate, Decimal)>) {
    let end = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let days = trading_days_ending(end, 2_520);
    let mut rng = SplitMix64::new(42);
    let (mut value, mut spy) = (10_000.0f64, 400.0f64);
    let mut values = Vec::with_capacity(days.len());
    let mut closes = Vec::with_capacity(days.len());
    for (i, date) in days.iter().enumerate() {
        let deposit = if i > 0 && i % 21 == 0 { 500.0 } else { 0.0 };
        let market = 0.0004 + 0.01 * rng.normal();
        value = value * (1.0 + market) + deposit;
        spy *= 1.0 + 0.0003 + 0.009 * rng.normal();
        let flow = if i == 0 { value } else { deposit };
        values.push(DayValue {
            date: *date,
            value: Decimal::from_f64_retain(value).unwrap().round_dp(2),
            flow: Decimal::from_f64_retain(flow).unwrap().round_dp(2),
        });
        closes.push((*date, Decimal::from_f64_retain(spy).unwrap().round_dp(4)));
    }
    (values, closes)
}

fn bench(c: &mut Criterion) {
    let (values, closes) = history();
    let as_of = values.last().unwrap().date;
    let plan = MillionPlan {
        annual_return: None,
        monthly_contribution: Decimal::from(500),
    };
    c.bench_function("performance/summarize 10y daily", |b| {
        b.iter(|| {
            let mut rng = SplitMix64::new(7);
            summarize(&values, &closes, as_of, &plan, &mut || rng.uniform())
        })
    });
}

criterion_group!(benches, bench);

fn parts(c: &mut Criterion) {
    use ducklens::domain::performance::{monthly, periods};
    let (values, closes) = history();
    c.bench_function("performance/periods", |b| {
        b.iter(|| periods::period_returns(&values, &closes))
    });
    c.bench_function("performance/monthly", |b| {
        b.iter(|| monthly::monthly_returns(&values))
    });
}
criterion_group!(parts_group, parts);
criterion_main!(benches, parts_group);
