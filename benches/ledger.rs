//! Issue 15 target: positions and the daily value series of 50 holdings over 10 years with
//! 5,000 transactions, reading the ledger and the closes from DuckDB included: under 50 ms.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use ducklens::config::Config;
use ducklens::domain::calendar;
use ducklens::domain::ledger::{Kind, Transaction};
use ducklens::domain::symbol::Symbol;
use ducklens::service::{ledger, Context};
use ducklens::store::{self, Store};
use rust_decimal::Decimal;

const SESSIONS: usize = 10 * 252;
const TRANSACTIONS: usize = 5_000;

#[path = "shared/bars.rs"]
mod shared_bars;
use shared_bars::bars;

/// 50 buys and a deposit on the first day, then a buy or a sell of one share of a holding
/// every half session, with a dividend now and then, up to 5,000 transactions.
fn ledger_rows(symbols: &[Symbol], days: &[NaiveDate]) -> Vec<Transaction> {
    let first = days[0];
    let mut txs = vec![Transaction::money(
        first,
        Kind::Deposit,
        Decimal::from(1_000_000),
    )];
    for s in symbols {
        txs.push(Transaction::buy(
            first,
            s.clone(),
            Decimal::from(100),
            Decimal::from(60),
            Decimal::ONE,
        ));
    }
    let mut i = 0;
    while txs.len() < TRANSACTIONS {
        let day = days[1 + (i / 2) % (days.len() - 1)];
        let s = symbols[i % symbols.len()].clone();
        let t = match i % 5 {
            0 | 2 => Transaction::buy(day, s, Decimal::ONE, Decimal::from(55), Decimal::ZERO),
            1 | 3 => Transaction::sell(day, s, Decimal::ONE, Decimal::from(65), Decimal::ZERO),
            _ => Transaction::dividend(day, s, Decimal::from(3)),
        };
        txs.push(t);
        i += 1;
    }
    txs
}

fn daily_values(c: &mut Criterion) {
    let to = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let days = calendar::trading_days_ending(to, SESSIONS);
    let mut db = Store::open_in_memory().expect("store");
    let symbols: Vec<Symbol> = (0..50)
        .map(|i| Symbol::parse(&format!("S{i:04}")).expect("symbol"))
        .collect();
    let spy = Symbol::parse("SPY").expect("symbol");
    let txs = ledger_rows(&symbols, &days);
    db.in_transaction(|tx| {
        store::append_bars(tx, &spy, &bars(&days, 0), "bench")?;
        for (seed, s) in symbols.iter().enumerate() {
            store::append_bars(tx, s, &bars(&days, seed + 1), "bench")?;
        }
        for t in &txs {
            store::insert_transaction(tx, t)?;
        }
        Ok(())
    })
    .expect("write");
    let ctx = Context {
        db_path: ":memory:".into(),
        db_flag: None,
        config: Config::default(),
        today: to,
    };
    let series = ledger::daily_values(&ctx, &db, days[0], to).expect("values");
    assert_eq!(series.len(), SESSIONS);
    let mut group = c.benchmark_group("ledger");
    group.sample_size(20);
    group.bench_function("50_holdings_10y_5000_transactions_with_duckdb_read", |b| {
        b.iter(|| ledger::daily_values(&ctx, &db, days[0], to).expect("values"))
    });
    group.bench_function("state_at_with_duckdb_read", |b| {
        b.iter(|| ledger::state_at(&ctx, &db, to).expect("state"))
    });
    let history = db
        .ledger_closes(to, std::slice::from_ref(&spy))
        .expect("closes");
    let stored = db.transactions().expect("ledger");
    group.bench_function("daily_values_only", |b| {
        b.iter(|| {
            ducklens::domain::ledger::daily_values(
                &stored,
                &history,
                days[0],
                to,
                Default::default(),
            )
            .expect("values")
        })
    });
    group.bench_function("read_transactions_only", |b| {
        b.iter(|| db.transactions().expect("ledger"))
    });
    group.bench_function("read_closes_only", |b| {
        b.iter(|| {
            db.ledger_closes(to, std::slice::from_ref(&spy))
                .expect("closes")
        })
    });
    group.finish();
}

/// `bars` with a cash dividend every 63 sessions (about a quarter): the adjustment factor
/// adj_close / close steps up by 1/0.99 at each, as a vendor's adjusted history does, so
/// the proposals see 40 dividends a symbol over ten years.
fn bars_with_dividends(days: &[NaiveDate], seed: usize) -> Vec<ducklens::domain::bar::Bar> {
    let quarters = days.len() / 63;
    bars(days, seed)
        .into_iter()
        .enumerate()
        .map(|(i, mut b)| {
            let later = quarters.saturating_sub(i / 63);
            let factor = (0..later).fold(Decimal::ONE, |f, _| f * Decimal::new(99, 2));
            b.adj_close = Some((b.close * factor).round_dp(6));
            b
        })
        .collect()
}

/// The app's ledger view as the worker loads it (transactions, one replay, the proposals)
/// on the same 5,000-transaction ledger, with 2,000 dividends to look at in the prices.
fn ledger_view(c: &mut Criterion) {
    let to = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let days = calendar::trading_days_ending(to, SESSIONS);
    let mut db = Store::open_in_memory().expect("store");
    let symbols: Vec<Symbol> = (0..50)
        .map(|i| Symbol::parse(&format!("S{i:04}")).expect("symbol"))
        .collect();
    let txs = ledger_rows(&symbols, &days);
    db.in_transaction(|tx| {
        for (seed, s) in symbols.iter().enumerate() {
            store::append_bars(tx, s, &bars_with_dividends(&days, seed + 1), "bench")?;
        }
        for t in &txs {
            store::insert_transaction(tx, t)?;
        }
        Ok(())
    })
    .expect("write");
    let ctx = Context {
        db_path: ":memory:".into(),
        db_flag: None,
        config: Config::default(),
        today: to,
    };
    let loaded = ducklens::tui::ledger_data::load(&ctx, &mut db).expect("load");
    assert_eq!(loaded.transactions.len(), TRANSACTIONS);
    assert!(loaded.pending.len() >= 1_900, "{}", loaded.pending.len());
    let mut group = c.benchmark_group("ledger");
    group.sample_size(10);
    group.bench_function(
        "app_ledger_view_load_5000_transactions_2000_proposals",
        |b| b.iter(|| ducklens::tui::ledger_data::load(&ctx, &mut db).expect("load")),
    );
    group.finish();
}

criterion_group!(benches, daily_values, ledger_view);
criterion_main!(benches);
