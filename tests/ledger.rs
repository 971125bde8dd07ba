//! The ledger against a real DuckDB file: the upgrade of a schema-4 database keeps every
//! figure, the state and the daily values read from the store, and every write path that
//! reaches the ledger (command line and app).

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::{json, ok, run_at, stderr};
use ducklens::config::Config;
use ducklens::domain::bar::Bar;
use ducklens::domain::ledger::{Kind, Transaction};
use ducklens::domain::symbol::Symbol;
use ducklens::service::{ledger, Context};
use ducklens::store::{append_bars, Store};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn sym(s: &str) -> Symbol {
    Symbol::parse(s).unwrap()
}

fn context(path: &Path, today: &str) -> Context {
    Context {
        db_path: path.to_path_buf(),
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today: day(today),
    }
}

/// The schema-4 fixture (tests/fixtures/v4_before_ledger.md), copied: opening upgrades it.
fn fixture_copy(dir: &Path) -> PathBuf {
    let db = dir.join("v4.duckdb");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v4_before_ledger.duckdb"),
        &db,
    )
    .unwrap();
    db
}

const V4_TABLES: &[&str] = &[
    "prices",
    "indicators",
    "holdings",
    "watchlist",
    "account_snapshots",
    "trading_signals",
    "rebalancing_recommendations",
    "backtest_runs",
    "backtest_equity",
    "backtest_trades",
];

#[test]
fn upgrading_a_v4_database_keeps_every_figure() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_copy(dir.path());
    // Before: counts read at schema 4 (a read-only open at its own version).
    let counts = |store: &Store| {
        V4_TABLES
            .iter()
            .map(|t| {
                store
                    .sql_for_tests()
                    .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| {
                        r.get::<_, i64>(0)
                    })
                    .unwrap()
            })
            .collect::<Vec<_>>()
    };
    let before = counts(&Store::open_up_to(&db, 4).unwrap());
    assert_eq!(before, vec![60, 60, 2, 1, 2, 1, 0, 0, 0, 0]);
    let ctx = context(&db, "2026-12-01");
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        ducklens::store::LATEST_VERSION
    );
    assert_eq!(counts(&store), before);
    // Opening transactions: AAA (opened 11-02), BBB (no date: the opening day, the earliest
    // of the opened dates and the snapshots = 11-02), cash 4321.09 and margin 250 of the
    // latest snapshot (11-20).
    let txs = store.transactions().unwrap();
    let kinds: Vec<(Kind, NaiveDate)> = txs.iter().map(|t| (t.kind, t.date)).collect();
    assert_eq!(
        kinds,
        vec![
            (Kind::OpeningPosition, day("2026-11-02")),
            (Kind::OpeningPosition, day("2026-11-02")),
            (Kind::OpeningCash, day("2026-11-02")),
            (Kind::OpeningMargin, day("2026-11-02")),
        ]
    );
    let state = ledger::state_at(&ctx, &store, day("2026-12-01")).unwrap();
    let aaa = &state.positions[&sym("AAA")];
    assert_eq!(
        (aaa.quantity(), aaa.avg_cost()),
        (dec!(10.5), dec!(101.2345))
    );
    let bbb = &state.positions[&sym("BBB")];
    assert_eq!((bbb.quantity(), bbb.avg_cost()), (dec!(3), dec!(55.5)));
    assert_eq!(state.cash, dec!(4321.09));
    assert_eq!(state.margin_used, dec!(250));
    // The cache is what it was, opened date and notes included.
    let holdings = store.holdings().unwrap();
    assert_eq!(holdings[0].notes.as_deref(), Some("first lot"));
    assert_eq!(holdings[0].opened, Some(day("2026-11-02")));
    assert_eq!(
        (holdings[1].quantity, holdings[1].avg_cost),
        (dec!(3), dec!(55.5))
    );
    // Reconciliation: ledger cash = the last snapshot's → 0.
    let rec = ledger::reconciliation(&ctx, &store).unwrap().unwrap();
    assert_eq!(rec.difference, dec!(0));
    drop(store);
    // A check in the past still works and sees the ledger's positions and cash of that day.
    let v = json(&run_at(
        dir.path(),
        &db,
        &["morning-check", "--as-of", "2026-11-20", "--json"],
    ));
    assert_eq!(v["account"]["cash"], "4321.09");
    assert_eq!(v["holdings"].as_array().unwrap().len(), 2);
}

fn flat_bars(first: &str, closes: &[Decimal]) -> Vec<Bar> {
    let mut date = day(first);
    closes
        .iter()
        .map(|c| {
            let bar = Bar {
                date,
                open: Some(*c),
                high: Some(*c),
                low: Some(*c),
                close: *c,
                adj_close: Some(*c),
                volume: Some(1000),
            };
            date = date.succ_opt().unwrap();
            bar
        })
        .collect()
}

#[test]
fn the_store_replays_state_and_daily_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.duckdb");
    let ctx = context(&path, "2026-03-10");
    let mut store = Store::open(&path).unwrap();
    store
        .in_transaction(|tx| {
            append_bars(
                tx,
                &sym("SPY"),
                &flat_bars("2026-03-02", &[dec!(400); 5]),
                "t",
            )?;
            append_bars(
                tx,
                &sym("AAA"),
                &flat_bars("2026-03-02", &[dec!(10), dec!(11), dec!(12)]),
                "t",
            )
        })
        .unwrap();
    store
        .transaction(|tx| {
            ledger::record(
                &ctx,
                tx,
                vec![
                    Transaction::money(day("2026-03-02"), Kind::Deposit, dec!(1000)),
                    Transaction::buy(day("2026-03-02"), sym("AAA"), dec!(50), dec!(10), dec!(1)),
                    Transaction::money(day("2026-03-05"), Kind::Withdrawal, dec!(100)),
                ],
            )
        })
        .unwrap();
    // The cache follows the ledger: 50 AAA at (500 + 1) / 50 = 10.02.
    let h = store.holdings().unwrap();
    assert_eq!((h[0].quantity, h[0].avg_cost), (dec!(50), dec!(10.02)));
    let days = ledger::daily_values(&ctx, &store, day("2026-03-02"), day("2026-03-06")).unwrap();
    let got: Vec<(Decimal, Decimal)> = days.iter().map(|d| (d.value, d.flow)).collect();
    // cash 1000 − 501 = 499; 03-02 499 + 500 = 999; 03-03 499 + 550 = 1049;
    // 03-04 499 + 600 = 1099; 03-05 (AAA stopped at 12): 399 + 600 = 999, flow −100;
    // 03-06 (a SPY session): 999
    assert_eq!(
        got,
        vec![
            (dec!(999), dec!(1000)),
            (dec!(1049), dec!(0)),
            (dec!(1099), dec!(0)),
            (dec!(999), dec!(-100)),
            (dec!(999), dec!(0)),
        ]
    );
    // A sell of more than held is refused, naming the field, and writes nothing.
    let err = store
        .transaction(|tx| {
            ledger::record(
                &ctx,
                tx,
                vec![Transaction::sell(
                    day("2026-03-06"),
                    sym("AAA"),
                    dec!(51),
                    dec!(12),
                    dec!(0),
                )],
            )
        })
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("quantity: selling 51 AAA on 2026-03-06"),
        "{err}"
    );
    assert_eq!(store.transactions().unwrap().len(), 3);
    let _ = (ok, stderr);
}

/// `ducklens …` on `dir/l.duckdb` with today 2026-12-01 (the binary's clock is the real
/// one; every date below is given).
fn cli(dir: &Path, args: &[&str]) -> std::process::Output {
    run_at(dir, &dir.join("l.duckdb"), args)
}

fn ledger_json(dir: &Path) -> Vec<serde_json::Value> {
    json(&cli(dir, &["ledger", "list", "--json"]))
        .as_array()
        .unwrap()
        .clone()
}

fn holding_of(dir: &Path, symbol: &str) -> Option<(Decimal, Decimal)> {
    let store = Store::open(&dir.join("l.duckdb")).unwrap();
    store
        .holdings()
        .unwrap()
        .into_iter()
        .find(|h| h.symbol.as_str() == symbol)
        .map(|h| (h.quantity, h.avg_cost))
}

#[test]
fn trades_cash_dividends_and_splits_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&cli(
        d,
        &["cash", "deposit", "10000", "--date", "2026-01-02"],
    ));
    ok(&cli(
        d,
        &[
            "trade",
            "buy",
            "AAA",
            "10",
            "100",
            "--date",
            "2026-01-05",
            "--fee",
            "1",
        ],
    ));
    ok(&cli(
        d,
        &["trade", "buy", "AAA", "10", "120", "--date", "2026-02-02"],
    ));
    // The cache follows: 20 AAA costing 1001 + 1200 = 2201 → 110.05 a share.
    assert_eq!(holding_of(d, "AAA"), Some((dec!(20), dec!(110.05))));
    ok(&cli(
        d,
        &["ledger", "split", "AAA", "2:1", "--date", "2026-03-02"],
    ));
    // The same split twice is refused, naming the ratio, and writes nothing.
    let again = cli(
        d,
        &["ledger", "split", "AAA", "2:1", "--date", "2026-03-02"],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("ratio: the 2:1 split of AAA on 2026-03-02 is already recorded")
    );
    // 40 shares, cost still 2201 → 55.025 → 55.025 a share (four decimals: 55.025)
    assert_eq!(holding_of(d, "AAA"), Some((dec!(40), dec!(55.025))));
    // FIFO: 25 sold = the first lot's 20 (1001) + 5 of the second's 20 (1200 × 5/20 = 300)
    // = 1301; proceeds 25 × 70 − 2 = 1748 → realized 447.
    ok(&cli(
        d,
        &[
            "trade",
            "sell",
            "AAA",
            "25",
            "70",
            "--date",
            "2026-03-10",
            "--fee",
            "2",
        ],
    ));
    ok(&cli(
        d,
        &["ledger", "dividend", "AAA", "4.50", "--date", "2026-03-20"],
    ));
    ok(&cli(
        d,
        &["cash", "withdraw", "500", "--date", "2026-04-01"],
    ));
    let out = ok(&cli(d, &["ledger", "list"]));
    // cash 10000 − 1001 − 1200 + 1748 + 4.50 − 500 = 9051.50
    assert!(
        out.contains("cash 9051.50, margin used 0, 1 position(s), realized P&L 447.00"),
        "{out}"
    );
    let all = ledger_json(d);
    assert_eq!(all.len(), 7);
    assert_eq!(all[0]["kind"], "DEPOSIT");
    // A withdrawal of more than the cash is refused, naming the field.
    let big = cli(d, &["cash", "withdraw", "100000", "--date", "2026-04-02"]);
    assert_eq!(big.status.code(), Some(1));
    assert!(
        stderr(&big).contains("amount: withdrawing 100000.00 on 2026-04-02 is more than the cash")
    );
    // Deleting the second buy would leave the sale short: refused, nothing changes.
    let id = all[2]["id"].as_i64().unwrap().to_string();
    let refused = cli(d, &["ledger", "delete", &id, "--yes"]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("breaks a later one: quantity: selling 25 AAA"));
    // Deleting the withdrawal is fine and the cash comes back.
    let last = all[6]["id"].as_i64().unwrap().to_string();
    assert_eq!(cli(d, &["ledger", "delete", &last]).status.code(), Some(1));
    ok(&cli(d, &["ledger", "delete", &last, "--yes"]));
    assert!(ok(&cli(d, &["ledger", "list"])).contains("cash 9551.50"));
}

#[test]
fn import_transactions_names_the_bad_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = d.join("good.csv");
    std::fs::write(
        &good,
        "date,kind,symbol,quantity,price,amount,fees,notes\n\
         2026-01-02,DEPOSIT,,,,1000,,\n\
         2026-01-05,BUY,AAA,4,50,,1.5,\n\
         2026-02-02,DIVIDEND,AAA,,,2.40,,\n",
    )
    .unwrap();
    let bad = d.join("bad.csv");
    std::fs::write(
        &bad,
        "date,kind,symbol,quantity,price,amount,fees,notes\n\
         2026-03-02,DEPOSIT,,,,500,,\n\
         2026-03-03,SELL,AAA,4,55,,,\n\
         2026-03-04,BUY,BBB,two,10,,,\n",
    )
    .unwrap();
    let out = ok(&cli(d, &["import", "transactions", good.to_str().unwrap()]));
    // 1000 − (4 × 50 + 1.5) + 2.40 = 800.90
    assert!(out.contains("Imported 3 transaction(s)"), "{out}");
    assert!(out.contains("cash 800.90"), "{out}");
    let before = common::row_counts(&d.join("l.duckdb"), &["transactions", "holdings"]);
    let o = cli(d, &["import", "transactions", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bad.csv:4: quantity:"),
        "{}",
        stderr(&o)
    );
    // A row that parses but does not replay (selling more than held) names the field too.
    let short = d.join("short.csv");
    std::fs::write(
        &short,
        "date,kind,symbol,quantity,price,amount,fees,notes\n2026-03-03,SELL,AAA,5,55,,,\n",
    )
    .unwrap();
    let o = cli(d, &["import", "transactions", short.to_str().unwrap()]);
    assert!(stderr(&o).contains("quantity: selling 5 AAA on 2026-03-03 is more than the 4 held"));
    assert_eq!(
        common::row_counts(&d.join("l.duckdb"), &["transactions", "holdings"]),
        before
    );
}

#[test]
fn holdings_typed_by_hand_go_through_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&cli(
        d,
        &[
            "holding",
            "add",
            "AAA",
            "10",
            "50",
            "--opened",
            "2026-01-05",
        ],
    ));
    ok(&cli(d, &["holding", "edit", "AAA", "--quantity", "12"]));
    ok(&cli(d, &["holding", "add", "BBB", "3", "20"]));
    ok(&cli(d, &["holding", "remove", "BBB"]));
    let kinds: Vec<String> = ledger_json(d)
        .iter()
        .map(|t| format!("{} {}", t["kind"].as_str().unwrap(), t["quantity"]))
        .collect();
    assert_eq!(
        kinds,
        vec![
            "OPENING_POSITION \"10\"",
            "ADJUSTMENT \"12\"",
            "OPENING_POSITION \"3\"",
            "ADJUSTMENT \"0\""
        ]
    );
    assert_eq!(holding_of(d, "AAA"), Some((dec!(12), dec!(50))));
    assert_eq!(holding_of(d, "BBB"), None);
}

#[test]
fn a_taken_and_closed_signal_earns_what_its_trades_realized() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&cli(
        d,
        &["cash", "deposit", "5000", "--date", "2026-01-02"],
    ));
    ok(&cli(
        d,
        &[
            "signals",
            "record",
            "--symbol",
            "AAA",
            "--type",
            "BUY",
            "--date",
            "2026-01-05",
            "--price",
            "40",
            "--strength",
            "72",
        ],
    ));
    ok(&cli(
        d,
        &[
            "signals",
            "take",
            "1",
            "--price",
            "40.5",
            "--qty",
            "20",
            "--date",
            "2026-01-06",
        ],
    ));
    ok(&cli(
        d,
        &[
            "signals",
            "close",
            "1",
            "--price",
            "44.25",
            "--date",
            "2026-02-10",
        ],
    ));
    let journal = json(&cli(d, &["signals", "show", "1", "--json"]));
    // (44.25 − 40.5) × 20 = 75.00, commission 0 by default
    assert_eq!(common::decimal(&journal["actual_profit"]), dec!(75));
    let txs = ledger_json(d);
    let linked: Vec<&serde_json::Value> = txs.iter().filter(|t| t["signal_id"] == 1).collect();
    assert_eq!(linked.len(), 2);
    assert_eq!(
        (linked[0]["kind"].as_str(), linked[1]["kind"].as_str()),
        (Some("BUY"), Some("SELL"))
    );
    assert!(ok(&cli(d, &["ledger", "list"])).contains("realized P&L 75.00"));
}

#[test]
fn an_executed_swap_reaches_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("demo.duckdb");
    ok(&run_at(
        d,
        &db,
        &["demo", "--as-of", "2026-11-20", "--no-tui"],
    ));
    ok(&run_at(d, &db, &["morning-check", "--as-of", "2026-11-20"]));
    let list = json(&run_at(d, &db, &["swap", "list", "--json"]));
    let swap = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["reduce"] == "DRFT")
        .unwrap();
    let id = swap["id"].as_i64().unwrap();
    let before = Store::open(&db).unwrap().holdings().unwrap();
    let drft_before = before
        .iter()
        .find(|h| h.symbol.as_str() == "DRFT")
        .unwrap()
        .quantity;
    ok(&run_at(
        d,
        &db,
        &[
            "swap",
            "execute",
            &id.to_string(),
            "--sell-price",
            "34.80",
            "--buy-price",
            "717.25",
            "--date",
            "2026-11-20",
        ],
    ));
    let txs = json(&run_at(d, &db, &["ledger", "list", "--json"]));
    let swap_txs: Vec<&serde_json::Value> = txs
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["recommendation_id"] == id)
        .collect();
    // 68 DRFT sold @ 34.80 (+2366.40), 7 ZNTH bought @ 717.25 (−5020.75), both linked to
    // the recommendation and to their journal legs.
    assert_eq!(swap_txs.len(), 2);
    assert_eq!(swap_txs[0]["kind"], "SELL");
    assert_eq!(common::decimal(&swap_txs[0]["amount"]), dec!(2366.40));
    assert_eq!(swap_txs[1]["kind"], "BUY");
    assert_eq!(common::decimal(&swap_txs[1]["amount"]), dec!(-5020.75));
    assert!(swap_txs
        .iter()
        .all(|t| t["signal_id"].is_i64() && t["source"] == "swap"));
    let after = Store::open(&db).unwrap().holdings().unwrap();
    let drft_after = after
        .iter()
        .find(|h| h.symbol.as_str() == "DRFT")
        .map_or(Decimal::ZERO, |h| h.quantity);
    assert_eq!(drft_before - drft_after, dec!(68));
}

#[test]
fn a_split_seen_in_the_prices_is_proposed_and_confirmed_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // AAA closes 100, 101, then 50.75 after a 2:1 split (adjusted: 50, 50.5, 50.75).
    let prices = d.join("AAA.csv");
    std::fs::write(
        &prices,
        "date,open,high,low,close,adj_close,volume\n\
         2026-03-02,100,100,100,100,50,1000\n\
         2026-03-03,101,101,101,101,50.5,1000\n\
         2026-03-04,50.75,50.75,50.75,50.75,50.75,1000\n",
    )
    .unwrap();
    ok(&cli(d, &["import", "prices", prices.to_str().unwrap()]));
    ok(&cli(
        d,
        &["trade", "buy", "AAA", "10", "100", "--date", "2026-03-02"],
    ));
    let listed = ok(&cli(d, &["ledger", "proposals"]));
    assert!(
        listed.contains("1  SPLIT AAA 2:1 on 2026-03-04 (10 held)"),
        "{listed}"
    );
    ok(&cli(d, &["ledger", "confirm", "1"]));
    // 10 × 2 = 20 shares, cost 1000 → 50 a share
    assert_eq!(holding_of(d, "AAA"), Some((dec!(20), dec!(50))));
    let twice = cli(d, &["ledger", "confirm", "1"]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(
        stderr(&twice).contains("number: proposal 1 (SPLIT AAA 2:1"),
        "{}",
        stderr(&twice)
    );
    assert!(stderr(&twice).contains("is already recorded"));
}

/// The store hands the proposals only the bar pairs where the adjustment factor moves; they
/// find exactly what a look at every bar finds. AAA: a 2:1 split on 03-04, then a dividend
/// on 03-06 (the factor goes 0.99 → 1: 51 × (1 − 0.99) = 0.51 a share), and flat days.
#[test]
fn the_prefiltered_proposals_equal_a_look_at_every_bar() {
    use ducklens::domain::ledger::proposals;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.duckdb");
    let ctx = context(&path, "2026-03-10");
    let mut store = Store::open(&path).unwrap();
    let bar = |d: &str, close: Decimal, adj: Decimal| Bar {
        date: day(d),
        open: None,
        high: None,
        low: None,
        close,
        adj_close: Some(adj),
        volume: Some(1),
    };
    let series = vec![
        bar("2026-03-02", dec!(100), dec!(49.5)),
        bar("2026-03-03", dec!(101), dec!(49.995)),
        bar("2026-03-04", dec!(50.5), dec!(49.995)),
        bar("2026-03-05", dec!(51), dec!(50.49)),
        bar("2026-03-06", dec!(51), dec!(51)),
        bar("2026-03-09", dec!(52), dec!(52)),
    ];
    store
        .in_transaction(|tx| append_bars(tx, &sym("AAA"), &series, "t"))
        .unwrap();
    ducklens::service::ops::apply(
        &ctx,
        &mut store,
        ducklens::service::ops::Op::RecordTransaction(Transaction::buy(
            day("2026-03-02"),
            sym("AAA"),
            dec!(10),
            dec!(100),
            dec!(0),
        )),
    )
    .unwrap();
    let prefiltered = store.transaction(|tx| ledger::proposals(&ctx, tx)).unwrap();
    let every_bar = proposals::proposals(
        &[(sym("AAA"), store.bars(&sym("AAA")).unwrap())]
            .into_iter()
            .collect(),
        &store.transactions().unwrap(),
        Default::default(),
    );
    assert_eq!(prefiltered, every_bar);
    let found: Vec<String> = prefiltered.iter().map(|p| p.describe()).collect();
    // 10 held before the (unrecorded) split: 10 × 0.51 = 5.10
    assert_eq!(
        found,
        [
            "SPLIT AAA 2:1 on 2026-03-04 (10 held)",
            "DIVIDEND AAA 5.10 on 2026-03-06 (0.5100 a share × 10 held)"
        ]
    );
}
