//! The DuckDB store: migrations, refusals, locking and exact money.

use chrono::NaiveDate;
use ducklens::domain::portfolio::{AccountBalance, Holding};
use ducklens::domain::symbol::Symbol;
use ducklens::store::{Store, StoreError, LATEST_VERSION};
use rust_decimal_macros::dec;

fn ledger(store: &Store) -> Vec<(i64, String)> {
    let mut stmt = store
        .sql_for_tests()
        .prepare("SELECT version, applied_at::VARCHAR FROM schema_migrations ORDER BY version")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn table_exists(store: &Store, name: &str) -> bool {
    store
        .sql_for_tests()
        .query_row(
            "SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = ?",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn migrations_apply_on_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/new.duckdb");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    for table in [
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
    ] {
        assert!(table_exists(&store, table), "{table} missing");
    }
}

#[test]
fn a_database_left_at_version_1_is_brought_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.duckdb");
    {
        let old = Store::open_up_to(&path, 1).unwrap();
        assert_eq!(old.schema_version().unwrap(), 1);
        assert!(!table_exists(&old, "trading_signals"));
        old.sql_for_tests()
            .execute(
                "INSERT INTO holdings VALUES ('AAPL', 10, 150.25, DATE '2024-01-02', 'kept')",
                [],
            )
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    assert!(table_exists(&store, "trading_signals"));
    assert_eq!(store.holdings().unwrap()[0].avg_cost, dec!(150.25));
}

#[test]
fn reopening_applies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.duckdb");
    let first = ledger(&Store::open(&path).unwrap());
    let second = ledger(&Store::open(&path).unwrap());
    assert_eq!(first.len(), LATEST_VERSION as usize);
    assert_eq!(first, second, "applied_at must not change on reopen");
}

#[test]
fn a_newer_database_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.duckdb");
    {
        let store = Store::open(&path).unwrap();
        store
            .sql_for_tests()
            .execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, 'from the future')",
                [LATEST_VERSION + 1],
            )
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("must refuse");
    assert!(
        matches!(err, StoreError::NewerSchema { found, supported, .. } if found == LATEST_VERSION + 1 && supported == LATEST_VERSION)
    );
    let message = err.to_string();
    assert!(message.contains("newer than this DuckLens"), "{message}");
    assert!(message.contains("not modified"), "{message}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "file must be byte-identical"
    );
}

#[test]
fn a_second_handle_gets_a_one_line_lock_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.duckdb");
    let first = Store::open(&path).unwrap();
    let err = Store::open(&path)
        .err()
        .expect("second handle must be refused");
    let message = err.to_string();
    assert!(matches!(err, StoreError::Locked { .. }));
    assert!(message.contains("locked.duckdb"), "{message}");
    assert!(message.contains("another DuckLens"), "{message}");
    assert_eq!(message.lines().count(), 1);
    drop(first);
    Store::open(&path).expect("free again once the first handle closes");
}

#[test]
fn money_round_trips_exactly() {
    let store = Store::open_in_memory().unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let balance = AccountBalance {
        as_of: day,
        cash: dec!(1126.79),
        margin_available: dec!(9999999999999999.99),
        margin_used: dec!(0.01),
        notes: None,
    };
    store.record_balance(&balance).unwrap();
    assert_eq!(store.latest_balance().unwrap(), Some(balance));

    let h = Holding::new(
        Symbol::parse("brk.b").unwrap(),
        dec!(0.3333),
        dec!(412345.6789),
        Some(day),
        Some("fractional".into()),
    )
    .unwrap();
    store.upsert_holding(&h).unwrap();
    assert_eq!(store.holdings().unwrap(), vec![h]);
    // 0.1 + 0.2 summed in SQL stays exact: DECIMAL, never a float.
    let sum: rust_decimal::Decimal = store
        .sql_for_tests()
        .query_row("SELECT 0.1::DECIMAL(18,2) + 0.2::DECIMAL(18,2)", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(sum, dec!(0.3));
}

#[test]
fn holdings_add_edit_remove() {
    let store = Store::open_in_memory().unwrap();
    let sym = Symbol::parse("MSFT").unwrap();
    let mut h = Holding::new(sym.clone(), dec!(5), dec!(400), None, None).unwrap();
    store.upsert_holding(&h).unwrap();
    h.quantity = dec!(7);
    store.upsert_holding(&h).unwrap();
    assert_eq!(store.holdings().unwrap(), vec![h]);
    assert!(store.remove_holding(&sym).unwrap());
    assert!(!store.remove_holding(&sym).unwrap());
    assert!(store.holdings().unwrap().is_empty());
}

/// An upgrade is all or nothing: a later migration that fails (here migration 6 cannot
/// create `provisional_bars`, which a user made) leaves the file at its old version with
/// none of the earlier pending migrations applied, and the error says why.
#[test]
fn an_upgrade_that_fails_part_way_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.duckdb");
    {
        let old = Store::open_up_to(&path, 3).unwrap();
        old.sql_for_tests()
            .execute_batch("CREATE TABLE provisional_bars (x INTEGER)")
            .unwrap();
    }
    let err = Store::open(&path).err().expect("migration 6 fails");
    assert!(err.to_string().contains("provisional_bars"), "{err}");
    let old = Store::open_up_to(&path, 3).unwrap();
    assert_eq!(old.schema_version().unwrap(), 3);
    // Migration 4's table is not there: it was rolled back with the rest.
    assert!(!table_exists(&old, "ducklens_meta"));
}
