//! Raw prices as received (issue 18, migrations 7 and 8): a schema-6 database upgrades with
//! every figure kept, a vendor's 6-decimal prices go in and come out exactly, and a price of
//! 13 integer digits is refused on its line.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::{ok, run_at, stderr};
use ducklens::domain::symbol::Symbol;
use ducklens::store::Store;
use rust_decimal_macros::dec;

/// Every column of every stored bar as text, in key order: the figures to compare.
fn price_rows(store: &Store) -> Vec<String> {
    let mut stmt = store
        .sql_for_tests()
        .prepare(
            "SELECT concat_ws('|', symbol, date, open, high, low, close, adj_close, volume, source)
             FROM prices ORDER BY symbol, date",
        )
        .unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

/// `prices` column types by name.
fn column_types(store: &Store) -> Vec<(String, String)> {
    let mut stmt = store
        .sql_for_tests()
        .prepare(
            "SELECT column_name, data_type FROM information_schema.columns
             WHERE table_name = 'prices' AND column_name IN ('open', 'high', 'low', 'close',
             'adj_close') ORDER BY column_name",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn upgrading_through_migrations_7_and_8_keeps_every_figure() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v4.duckdb");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v4_before_ledger.duckdb"),
        &db,
    )
    .unwrap();
    let before = {
        let store = Store::open_up_to(&db, 6).unwrap();
        assert_eq!(
            column_types(&store)[4],
            ("open".to_string(), "DECIMAL(18,4)".to_string())
        );
        // DECIMAL(18,4) text has 4 decimals; compare as numbers, not as text.
        price_rows(&store)
    };
    assert_eq!(before.len(), 60);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), 8);
    // Six decimals and 12 integer digits, stored in 64 bits (migration 8).
    assert_eq!(
        column_types(&store),
        vec![
            ("adj_close".to_string(), "DECIMAL(24,12)".to_string()),
            ("close".to_string(), "DECIMAL(18,6)".to_string()),
            ("high".to_string(), "DECIMAL(18,6)".to_string()),
            ("low".to_string(), "DECIMAL(18,6)".to_string()),
            ("open".to_string(), "DECIMAL(18,6)".to_string()),
        ]
    );
    // Each figure is the same number: 101.2345 (4 decimals) reads 101.234500 at 6.
    let widened = |row: &str| {
        row.split('|')
            .map(|f| match f.parse::<rust_decimal::Decimal>() {
                Ok(d) if f.contains('.') => d.normalize().to_string(),
                _ => f.to_string(),
            })
            .collect::<Vec<_>>()
    };
    let after = price_rows(&store);
    assert_eq!(after.len(), 60);
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(widened(b), widened(a));
    }
}

/// Writes `text` as `file` and imports it into `db`: the command's output.
fn import(db: &Path, file: &Path, text: &str) -> std::process::Output {
    std::fs::write(file, text).unwrap();
    let dir = db.parent().unwrap();
    run_at(dir, db, &["import", "prices", file.to_str().unwrap()])
}

/// The import's failure message (stdout and stderr together); it must have failed.
fn refusal(out: &std::process::Output) -> String {
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(out)
}

fn stored(db: &Path, symbol: &str) -> Vec<ducklens::domain::bar::Bar> {
    let store = Store::open(db).unwrap();
    store.bars(&Symbol::parse(symbol).unwrap()).unwrap()
}

#[test]
fn a_six_decimal_vendor_price_round_trips_exactly_and_a_seventh_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.duckdb");
    // AAPL's 2021-08-02 row as the vendor sent it (the reference data's 6-decimal kind).
    let file = dir.path().join("AAPL.csv");
    const HEADER_AND_0802: &str = "date,open,high,low,close,adj_close,volume\n\
         2021-08-02,146.360001,146.949997,145.250000,145.520004,145.306221180347,62880000\n";
    ok(&import(&db, &file, HEADER_AND_0802));
    let bars = stored(&db, "AAPL");
    assert_eq!(bars.len(), 1);
    let bar = &bars[0];
    assert_eq!(bar.date, NaiveDate::from_ymd_opt(2021, 8, 2).unwrap());
    // Before migration 7 these read 146.3600, 146.9500, 145.2500, 145.5200.
    assert_eq!(bar.open, Some(dec!(146.360001)));
    assert_eq!(bar.high, Some(dec!(146.949997)));
    assert_eq!(bar.low, Some(dec!(145.25)));
    assert_eq!(bar.close, dec!(145.520004));
    assert_eq!(bar.adj_close, Some(dec!(145.306221180347)));

    // One more decimal than stored: the file is refused on its line and column, and
    // nothing of it is written (the stored bar is unchanged, no bar for 08-03).
    let out = import(
        &db,
        &file,
        &format!(
            "{HEADER_AND_0802}2021-08-03,145.8100001,148.039993,145.179993,147.360001,147.141,64786600\n"
        ),
    );
    let text = refusal(&out);
    assert!(
        text.contains("AAPL.csv:3: column open: 145.8100001 has 7 decimals"),
        "{text}"
    );
    let bars = stored(&db, "AAPL");
    assert_eq!(bars.len(), 1);
    assert_eq!(bars[0].open, Some(dec!(146.360001)));
}

#[test]
fn a_price_of_a_trillion_or_more_is_refused_on_its_line_and_the_largest_kept_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.duckdb");
    let file = dir.path().join("BIG.csv");
    // 999,999,999,999.999999 is the largest price the columns keep; it goes in and out exact.
    const HEADER_AND_0802: &str = "date,open,high,low,close,adj_close,volume\n\
         2021-08-02,999999999999.999999,999999999999.999999,999999999999.5,999999999999.75,999999999999.75,10\n";
    ok(&import(&db, &file, HEADER_AND_0802));
    let bars = stored(&db, "BIG");
    assert_eq!(bars[0].open, Some(dec!(999999999999.999999)));
    assert_eq!(bars[0].close, dec!(999999999999.75));
    // One more integer digit on line 3: the file is refused there, and nothing of it is written.
    let out = import(
        &db,
        &file,
        &format!(
            "{HEADER_AND_0802}2021-08-03,1000000000000,1000000000000,999999999999,1000000000000,1000000000000,10\n"
        ),
    );
    let text = refusal(&out);
    assert!(
        text.contains("BIG.csv:3: column close: 1000000000000 is 1,000,000,000,000 or more"),
        "{text}"
    );
    assert_eq!(stored(&db, "BIG").len(), 1);
}
