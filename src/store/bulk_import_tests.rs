//! `import_bars`: what a first import and a later one store (issue 18's fast paths).

use super::*;
use crate::store::{indicators_since, recompute_indicators, upsert_bars, Store};
use chrono::{Duration, NaiveDate};

fn sym(s: &str) -> Symbol {
    Symbol::parse(s).unwrap()
}

/// `n` bars from `first`, with a dividend's adjusted close of three decimals and prices
/// of one or two decimals (stored at six: the computation must see them as stored).
fn bars(first: i64, n: i64, base: i64) -> Vec<Bar> {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    (first..first + n)
        .map(|d| {
            let close = Decimal::new(base * 10 + (d * 7) % 23, 1);
            Bar {
                date: start + Duration::days(d),
                open: Some(close - Decimal::new(5, 2)),
                high: Some(close + Decimal::new(25, 2)),
                low: Some(close - Decimal::new(3, 1)),
                close,
                adj_close: Some((close * Decimal::new(987, 3)).round_dp(3)),
                volume: Some(10_000 + d * 3),
            }
        })
        .collect()
}

/// A first import of one symbol (its indicators computed from the file's bars beside
/// the write) and more bars of a stored one (recomputed from the store) give the very
/// indicators a recomputation from the stored bars gives, bit for bit.
#[test]
fn indicators_of_new_and_stored_symbols_are_those_of_the_stored_bars() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .in_transaction(|tx| upsert_bars(tx, &sym("OLD"), &bars(0, 150, 40), "test"))
        .unwrap();
    let file: BTreeMap<Symbol, Vec<Bar>> = [
        (sym("OLD"), bars(150, 120, 40)),
        (sym("NEW"), bars(0, 260, 75)),
    ]
    .into_iter()
    .collect();
    let bulk = store
        .in_transaction(|tx| import_bars(tx, &[&file], "csv"))
        .unwrap();
    assert_eq!(bulk.counts[0].inserted, 380);
    assert_eq!(bulk.changed, vec![sym("NEW"), sym("OLD")]);
    let stored = |store: &Store, s: &str| {
        let rows = indicators_since(store.conn(), &sym(s), NaiveDate::MIN).unwrap();
        rows.iter().map(|r| format!("{r:?}")).collect::<Vec<_>>()
    };
    let imported = (stored(&store, "NEW"), stored(&store, "OLD"));
    assert_eq!((imported.0.len(), imported.1.len()), (260, 270));
    store
        .in_transaction(|tx| {
            recompute_indicators(tx, &sym("NEW"))?;
            recompute_indicators(tx, &sym("OLD"))
        })
        .unwrap();
    assert_eq!(imported, (stored(&store, "NEW"), stored(&store, "OLD")));
}

/// Final bars replace a symbol's provisional bars up to their newest date, and keep a
/// later one, whether every symbol of the import is new (the bars go straight in) or one
/// is stored (the comparison with the stored bars).
#[test]
fn imported_bars_replace_the_provisional_ones_up_to_their_newest_day() {
    let provisional = |store: &Store| -> Vec<(String, String)> {
        let mut stmt = store
            .conn()
            .prepare("SELECT symbol, CAST(date AS VARCHAR) FROM provisional_bars ORDER BY 1, 2")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.map(|r| r.unwrap()).collect()
    };
    for stored_first in [false, true] {
        let mut store = Store::open_in_memory().unwrap();
        if stored_first {
            store
                .in_transaction(|tx| upsert_bars(tx, &sym("OLD"), &bars(0, 10, 40), "test"))
                .unwrap();
        }
        // 2024-01-01 + 29 days is the file's last day, 2024-01-30.
        store
            .conn()
            .execute_batch(
                "INSERT INTO provisional_bars
                     (symbol, date, open, high, low, close, volume, quote_time, source,
                      fetched_at)
                 VALUES ('NEW', '2024-01-30', 1, 1, 1, 1, 1, TIMESTAMP '2024-01-30 15:00',
                         'q', TIMESTAMP '2024-01-30 15:00'),
                        ('NEW', '2024-01-31', 1, 1, 1, 1, 1, TIMESTAMP '2024-01-31 15:00',
                         'q', TIMESTAMP '2024-01-31 15:00'),
                        ('ZZZ', '2024-01-02', 1, 1, 1, 1, 1, TIMESTAMP '2024-01-02 15:00',
                         'q', TIMESTAMP '2024-01-02 15:00')",
            )
            .unwrap();
        // With OLD stored and in the file, the import compares with the stored bars.
        let mut file: BTreeMap<Symbol, Vec<Bar>> =
            [(sym("NEW"), bars(0, 30, 75))].into_iter().collect();
        if stored_first {
            file.insert(sym("OLD"), bars(10, 5, 40));
        }
        let bulk = store
            .in_transaction(|tx| import_bars(tx, &[&file], "csv"))
            .unwrap();
        let inserted = if stored_first { 35 } else { 30 };
        assert_eq!(
            bulk.counts[0].inserted, inserted,
            "stored first: {stored_first}"
        );
        assert_eq!(
            provisional(&store),
            [
                ("NEW".to_string(), "2024-01-31".to_string()),
                ("ZZZ".to_string(), "2024-01-02".to_string())
            ],
            "stored first: {stored_first}"
        );
    }
}

/// A first import of two files stores their bars and indicators in order of date, then
/// symbol (the staged file is written in that order and DuckDB keeps it), so that a date
/// filter prunes row groups: MSFT's file comes first and AAPL's history starts later.
#[test]
fn a_first_import_stores_bars_and_indicators_by_date_then_symbol() {
    let mut store = Store::open_in_memory().unwrap();
    let first: BTreeMap<Symbol, Vec<Bar>> = [(sym("MSFT"), bars(0, 40, 30))].into_iter().collect();
    let second: BTreeMap<Symbol, Vec<Bar>> = [
        (sym("AAPL"), bars(10, 40, 50)),
        (sym("IBM"), bars(5, 3, 20)),
    ]
    .into_iter()
    .collect();
    store
        .in_transaction(|tx| import_bars(tx, &[&first, &second], "csv"))
        .unwrap();
    for table in ["prices", "indicators"] {
        let mut stmt = store
            .conn()
            .prepare(&format!("SELECT date, symbol FROM {table} ORDER BY rowid"))
            .unwrap();
        let rows: Vec<(NaiveDate, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), 83, "{table}");
        let mut sorted = rows.clone();
        sorted.sort();
        assert_eq!(rows, sorted, "{table}");
        // 2024-01-06 (day 5): IBM's first bar, then MSFT's sixth; AAPL's first is day 10.
        let day5: Vec<&str> = rows[5..7].iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(day5, ["IBM", "MSFT"], "{table}");
        assert_eq!(rows[5].0, NaiveDate::from_ymd_opt(2024, 1, 6).unwrap());
    }
}
