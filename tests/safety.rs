//! Real data is never destroyed: the demo refuses every kind of user database, an upgrade
//! copies the file first, and damaged, foreign or non-regular files are refused unchanged.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ok, run_at as run, stderr};
use ducklens::store::{Store, StoreError, LATEST_VERSION};

/// Row counts of every table a user writes to, to compare before and after.
fn counts(db: &Path) -> Vec<i64> {
    common::row_counts(
        db,
        &[
            "prices",
            "holdings",
            "watchlist",
            "account_snapshots",
            "trading_signals",
            "rebalancing_recommendations",
        ],
    )
}

fn refuses_demo(dir: &Path, db: &Path) {
    let before = counts(db);
    let out = run(dir, db, &["demo", "--as-of", "2026-11-20", "--no-tui"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("holds real data"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing was changed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counts(db), before, "the demo changed a user's database");
}

#[test]
fn demo_refuses_a_journal_watchlist_or_balances_without_holdings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A journal of one signal and nothing else (the case that lost a real journal).
    let journal = d.join("journal.duckdb");
    ok(&run(
        d,
        &journal,
        &[
            "signals",
            "record",
            "--symbol",
            "AAPL",
            "--type",
            "BUY",
            "--price",
            "190",
            "--date",
            "2026-11-02",
        ],
    ));
    refuses_demo(d, &journal);
    // Two watchlist symbols.
    let watch = d.join("watch.duckdb");
    ok(&run(d, &watch, &["watch", "add", "NVDA", "AMD"]));
    refuses_demo(d, &watch);
    // Balances only.
    let balances = d.join("balances.duckdb");
    ok(&run(
        d,
        &balances,
        &["account", "set", "--cash", "6200", "--date", "2026-11-02"],
    ));
    refuses_demo(d, &balances);
    // Holdings only.
    let held = d.join("held.duckdb");
    ok(&run(d, &held, &["holding", "add", "MSFT", "3", "400"]));
    refuses_demo(d, &held);
}

#[test]
fn demo_refuses_imported_prices_and_a_demo_a_user_added_holdings_to_is_still_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let prices = d.join("prices.duckdb");
    let csv = d.join("SPY.csv");
    std::fs::write(
        &csv,
        "date,open,high,low,close,volume\n2026-11-02,100,101,99,100.5,1000\n",
    )
    .unwrap();
    ok(&run(
        d,
        &prices,
        &["import", "prices", csv.to_str().unwrap()],
    ));
    refuses_demo(d, &prices);

    // The demo's own file stays the demo's, whatever was done in it: it may be rebuilt.
    let demo = d.join("demo.duckdb");
    ok(&run(
        d,
        &demo,
        &["demo", "--as-of", "2026-11-20", "--no-tui"],
    ));
    ok(&run(d, &demo, &["watch", "add", "ZZZZ"]));
    ok(&run(
        d,
        &demo,
        &["demo", "--as-of", "2026-11-20", "--no-tui"],
    ));
    assert_eq!(
        counts(&demo)[2],
        20,
        "the rebuilt demo has its own 20 watch symbols"
    );
}

#[test]
fn demo_rebuilds_an_empty_database_and_an_unmarked_demo_from_before_the_mark() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let empty = d.join("empty.duckdb");
    drop(Store::open(&empty).unwrap());
    ok(&run(
        d,
        &empty,
        &["demo", "--as-of", "2026-11-20", "--no-tui"],
    ));
    assert_eq!(counts(&empty)[1], 7);

    // A demo written by the previous version carries no mark, only its labels.
    {
        let store = Store::open(&empty).unwrap();
        store
            .sql_for_tests()
            .execute("DELETE FROM ducklens_meta", [])
            .unwrap();
    }
    ok(&run(
        d,
        &empty,
        &["demo", "--as-of", "2026-11-20", "--no-tui"],
    ));
}

#[test]
fn demo_refuses_a_date_it_cannot_build() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.duckdb");
    let out = run(
        dir.path(),
        &db,
        &["demo", "--as-of", "0001-01-01", "--no-tui"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("--as-of"), "{}", stderr(&out));
}

fn v3_database(path: &Path) {
    let old = Store::open_up_to(path, 3).unwrap();
    old.sql_for_tests()
        .execute(
            "INSERT INTO holdings VALUES ('AAPL', 10, 150.25, DATE '2024-01-02', 'kept')",
            [],
        )
        .unwrap();
}

#[test]
fn an_upgrade_copies_the_file_first_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mine.duckdb");
    v3_database(&db);
    let out = run(dir.path(), &db, &["holding", "list"]);
    ok(&out);
    // Named after the version the open upgrades to: the newest.
    let copy: PathBuf = dir
        .path()
        .join(format!("mine.duckdb.before-v{LATEST_VERSION}"));
    assert!(
        stderr(&out).contains(&copy.display().to_string()),
        "{}",
        stderr(&out)
    );
    let old = Store::open_up_to(&copy, 3).unwrap();
    assert_eq!(old.schema_version().unwrap(), 3);
    assert_eq!(old.holdings().unwrap().len(), 1);
    drop(old);
    // The next open changes nothing and copies nothing.
    let again = run(dir.path(), &db, &["holding", "list"]);
    ok(&again);
    assert!(!stderr(&again).contains("upgraded"), "{}", stderr(&again));
    assert!(!dir
        .path()
        .join(format!("mine.duckdb.before-v{LATEST_VERSION}.2"))
        .exists());
}

#[test]
fn another_programs_duckdb_file_is_refused_and_not_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("theirs.duckdb");
    {
        let conn = duckdb::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE orders (id INTEGER); INSERT INTO orders VALUES (1);")
            .unwrap();
    }
    let err = Store::open(&path).err().expect("must refuse");
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert!(err.to_string().contains("orders"), "{err}");
    let conn = duckdb::Connection::open(&path).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database()",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 1, "DuckLens added tables to another program's file");
}

#[test]
fn a_text_file_and_a_truncated_file_are_reported_damaged_and_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.duckdb");
    std::fs::write(&text, "this is not a database\n".repeat(600)).unwrap();
    let out = run(dir.path(), &text, &["account", "set", "--cash", "100"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("is damaged"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("internal error"), "{}", stderr(&out));

    let db = dir.path().join("cut.duckdb");
    let demo = run(
        dir.path(),
        &db,
        &["demo", "--as-of", "2026-11-20", "--no-tui"],
    );
    ok(&demo);
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&db, &bytes[..bytes.len() / 2]).unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [
        &["account", "set", "--cash", "100"][..],
        &["db-check"][..],
        &["holding", "list"][..],
    ] {
        let out = run(dir.path(), &db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("is damaged"), "{}", stderr(&out));
        assert!(stderr(&out).contains("Restore it"), "{}", stderr(&out));
    }
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a damaged file was written to"
    );
}

#[test]
fn a_path_that_is_not_a_regular_file_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.duckdb");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let folder = dir.path().join("folder.duckdb");
    std::fs::create_dir(&folder).unwrap();
    for path in [&fifo, &folder] {
        let out = run(dir.path(), path, &["db-check"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("not a regular file"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn db_check_reads_every_block_and_reports_overwritten_bytes_as_damage() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.duckdb");
    ok(&run(
        dir.path(),
        &db,
        &["demo", "--as-of", "2026-11-20", "--no-tui"],
    ));
    let mut bytes = std::fs::read(&db).unwrap();
    // Two megabytes of the middle, where the price data lives, overwritten.
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle - (1 << 20)..middle + (1 << 20)] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    let out = run(dir.path(), &db, &["db-check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("is damaged"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "db-check wrote to a damaged file"
    );
}

#[test]
fn db_check_flags_bars_that_got_in_before_the_import_rules() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.duckdb");
    {
        let store = Store::open(&db).unwrap();
        store
            .sql_for_tests()
            .execute_batch(
                "INSERT INTO prices VALUES
                   ('OUT', DATE '2026-11-20', 10, 11, 9, 12, 12, 100, 'csv'),
                   ('JMP', DATE '2026-11-19', 10, 11, 9, 10, 10, 100, 'csv'),
                   ('JMP', DATE '2026-11-20', 16, 16, 15, 16, 16, 100, 'csv'),
                   ('SPL', DATE '2026-11-19', 40, 41, 39, 40, 10, 100, 'csv'),
                   ('SPL', DATE '2026-11-20', 10, 11, 9, 10, 10, 100, 'csv'),
                   ('FUT', DATE '2099-01-02', 10, 11, 9, 10, 10, 100, 'csv');",
            )
            .unwrap();
    }
    let out = run(
        dir.path(),
        &db,
        &["db-check", "--as-of", "2026-11-25", "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<(String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap().to_string(),
                p["symbol"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has = |kind: &str, symbol: &str| kinds.iter().any(|(k, s)| k == kind && s == symbol);
    assert!(has("outside the day's range", "OUT"), "{kinds:?}");
    assert!(has("unexplained move", "JMP"), "{kinds:?}");
    // A 4:1 split moves the adjustment factor with the close: not flagged.
    assert!(!has("unexplained move", "SPL"), "{kinds:?}");
    assert!(has("future date", "FUT"), "{kinds:?}");
}

#[test]
fn values_that_cannot_be_stored_are_refused_in_one_line_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.duckdb");
    ok(&run(
        dir.path(),
        &db,
        &["demo", "--as-of", "2026-11-20", "--no-tui"],
    ));
    let before = counts(&db);
    for (args, expected) in [
        (
            &["size", "--strength", "80", "--risk", "LOW", "--price", "0"][..],
            "price: must be at least 0.0001",
        ),
        (
            &[
                "size",
                "--strength",
                "80",
                "--risk",
                "LOW",
                "--price",
                "10",
                "--capital",
                "0",
            ][..],
            "capital: must be positive",
        ),
        (
            &[
                "size",
                "--strength",
                "80",
                "--risk",
                "LOW",
                "--price",
                "10",
                "--capital",
                "7e28",
            ][..],
            "capital: \"7e28\" is too large",
        ),
        (
            &[
                "size",
                "--strength",
                "80",
                "--risk",
                "LOW",
                "--price",
                "1e-25",
            ][..],
            "price: must be at least 0.0001",
        ),
        (
            &["account", "set", "--cash", "1,5"][..],
            "cash: \"1,5\": write numbers with a decimal point",
        ),
        (&["account", "set", "--cash", "1e17"][..], "too large"),
        (
            &["holding", "add", "X", "1e20", "1"][..],
            "quantity: \"1e20\" is too large",
        ),
        (
            &["backtest", "--capital", "1e20"][..],
            "--capital: \"1e20\" is too large",
        ),
        (
            &[
                "signals",
                "record",
                "--symbol",
                "ZNTH",
                "--type",
                "BUY",
                "--price",
                "99999999999999",
            ][..],
            "too large to store, nothing was written",
        ),
        (
            &["watch", "add", ".."][..],
            "must start and end with a letter or digit",
        ),
    ] {
        let out = run(dir.path(), &db, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
    assert_eq!(counts(&db), before, "a refused command wrote something");
}

#[test]
fn no_fact_is_recorded_in_the_future() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.duckdb");
    ok(&run(
        dir.path(),
        &db,
        &["demo", "--as-of", "2026-11-20", "--no-tui"],
    ));
    let before = counts(&db);
    let later = "2099-01-02";
    for args in [
        &["account", "set", "--cash", "5", "--date", later][..],
        &["holding", "add", "XYZ", "1", "1", "--opened", later][..],
        &["holding", "edit", "DRFT", "--opened", later][..],
        &[
            "signals", "record", "--symbol", "ZNTH", "--type", "BUY", "--date", later,
        ][..],
        &[
            "signals", "take", "40", "--price", "10", "--qty", "1", "--date", later,
        ][..],
    ] {
        let out = run(dir.path(), &db, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("2099-01-02 is in the future"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(counts(&db), before, "a refused command wrote something");
}

#[test]
fn an_empty_file_becomes_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("touched.duckdb");
    std::fs::write(&db, b"").unwrap();
    ok(&run(dir.path(), &db, &["watch", "add", "NVDA"]));
    assert_eq!(counts(&db)[2], 1);
}
