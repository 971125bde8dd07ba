//! Building the analyzer's `MarketSnapshot` from stored bars and indicators.
//!
//! Speed matters here (issue 4: a check on 550 symbols × 25 years within 100 ms). What costs
//! is DuckDB decoding columns: bars are stored symbol by symbol, so a date filter prunes no
//! row group, and each column a query touches is decoded over the whole table, window or
//! not. So the reads touch few columns, with no join or ORDER BY: one scan for the bars of
//! the window, one for the indicators of each symbol's last bar (the one row the analysis
//! uses), rows in any order, grouped in Rust by runs of one symbol with Arrow columns
//! converted straight into domain values.

use std::collections::HashMap;
use std::ops::Range;

use chrono::{Duration, NaiveDate};
use duckdb::arrow;
use duckdb::arrow::array::{
    Array, Date32Array, Decimal128Array, Float64Array, Int64Array, StringArray,
};
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::types::Value;
use duckdb::{params, Connection};
use rust_decimal::Decimal;

use super::{Result, StoreError};
use crate::domain::analyzer::{MarketSnapshot, SymbolSeries};
use crate::domain::bar::Bar;
use crate::domain::indicators::IndicatorRow;
use crate::domain::symbol::Symbol;

/// Calendar days of history a check needs: a 52-week high (252 sessions) with room to spare.
/// Indicators come from the stored table, computed over the whole history, so a window is
/// enough and keeps a check on 25 years of bars fast.
pub const SNAPSHOT_DAYS: i64 = 400;

/// `symbol` is filtered through a bound list so that a one-symbol read (`signals record`)
/// lets DuckDB skip the row groups of other symbols.
const BARS_SQL: &str = "SELECT symbol, date, open, high, low, close, adj_close, volume
     FROM prices
     WHERE symbol IN (SELECT unnest(?::VARCHAR[])) AND date BETWEEN ? AND ?";

const INDICATORS_SQL: &str = "SELECT symbol, date, sma_20, sma_50, sma_200, ema_12, ema_26,
            macd, macd_signal, macd_hist, rsi_14, volume_ratio, atr_14
     FROM indicators
     WHERE symbol IN (SELECT unnest(?::VARCHAR[])) AND date BETWEEN ? AND ?";

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01 (Arrow's day 0).
const UNIX_EPOCH_FROM_CE: i32 = 719_163;

/// The last bar of `symbol` on or before `day`: the as-of date of a check.
pub fn last_bar_on_or_before(
    conn: &Connection,
    symbol: &Symbol,
    day: NaiveDate,
) -> Result<Option<NaiveDate>> {
    Ok(conn.query_row(
        "SELECT max(date) FROM prices WHERE symbol = ? AND date <= ?",
        params![symbol.as_str(), day],
        |r| r.get(0),
    )?)
}

/// The last `SNAPSHOT_DAYS` of bars up to `as_of` for each wanted symbol that has data, with
/// the stored indicators of its last bar only (see [`SymbolSeries::indicators_at`]). A symbol
/// whose last bar has no stored indicators gets them recomputed from its window.
pub fn load_snapshot(
    conn: &Connection,
    symbols: &[Symbol],
    as_of: NaiveDate,
) -> Result<MarketSnapshot> {
    load_snapshot_windows(conn, &[(symbols, SNAPSHOT_DAYS)], as_of)
}

/// As [`load_snapshot`], each group of symbols with its own window in calendar days: a
/// check needs a year for the market symbols but two or three months for the others, and
/// fewer rows is less to decode and convert. A symbol in several groups is read with the
/// first group's window.
pub fn load_snapshot_windows(
    conn: &Connection,
    groups: &[(&[Symbol], i64)],
    as_of: NaiveDate,
) -> Result<MarketSnapshot> {
    let _any_order = AnyOrder::new(conn)?;
    let mut series = std::collections::BTreeMap::new();
    for (symbols, days) in groups {
        let fresh: Vec<Symbol> = symbols
            .iter()
            .filter(|s| !series.contains_key(*s))
            .cloned()
            .collect();
        if fresh.is_empty() {
            continue;
        }
        let from = as_of - Duration::days(*days);
        series.extend(read_window(conn, &fresh, from, as_of)?);
        // A symbol whose data stopped before the window is read at its last bar, so it is
        // valued (and flagged stale) instead of vanishing from the portfolio.
        let vanished: Vec<&Symbol> = fresh.iter().filter(|s| !series.contains_key(*s)).collect();
        for symbol in vanished {
            if let Some(last) = last_bar_on_or_before(conn, symbol, as_of)? {
                let from = last - Duration::days(*days);
                series.extend(read_window(conn, std::slice::from_ref(symbol), from, last)?);
            }
        }
    }
    Ok(MarketSnapshot {
        as_of,
        series,
        splits_after: std::collections::BTreeMap::new(),
    })
}

/// Every stored bar of each of `symbols` that has bars, oldest first: one scan for all of
/// them (the import recomputes the indicators of the symbols it changed from these).
pub(super) fn histories(conn: &Connection, symbols: &[Symbol]) -> Result<Vec<(Symbol, Vec<Bar>)>> {
    let _any_order = AnyOrder::new(conn)?;
    let wanted = Wanted::new(symbols);
    let (first, last) = (
        NaiveDate::from_ymd_opt(1, 1, 1).expect("a valid date"),
        NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date"),
    );
    let bars = read_grouped(conn, BARS_SQL, &wanted, first, last, read_bars)?;
    Ok(wanted
        .symbols
        .iter()
        .zip(bars)
        .filter(|(_, bars)| !bars.is_empty())
        .map(|(symbol, mut bars)| {
            bars.sort_unstable_by_key(|bar| bar.date);
            ((*symbol).clone(), bars)
        })
        .collect())
}

/// The series of `symbols` with bars in `from..=to`.
fn read_window(
    conn: &Connection,
    symbols: &[Symbol],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(Symbol, SymbolSeries)>> {
    let wanted = Wanted::new(symbols);
    let mut bars = read_grouped(conn, BARS_SQL, &wanted, from, to, read_bars)?;
    for b in &mut bars {
        // Rows arrive in runs of storage order, the runs in any order: sorting them is cheap.
        b.sort_unstable_by_key(|bar| bar.date);
    }
    let last_dates = bars.iter().filter_map(|b| b.last()).map(|b| b.date);
    let (first_last, last_last) = last_dates.fold((None, None), |(lo, hi), d| {
        (
            Some(lo.map_or(d, |l: NaiveDate| l.min(d))),
            Some(hi.map_or(d, |h: NaiveDate| h.max(d))),
        )
    });
    let (Some(first_last), Some(last_last)) = (first_last, last_last) else {
        return Ok(Vec::new());
    };
    // Usually one day: the as-of session, shared by all symbols.
    let rows = read_grouped(
        conn,
        INDICATORS_SQL,
        &wanted,
        first_last,
        last_last,
        read_indicators,
    )?;
    Ok(wanted
        .symbols
        .iter()
        .zip(bars.into_iter().zip(rows))
        .filter(|(_, (bars, _))| !bars.is_empty())
        .map(|(symbol, (bars, rows))| ((*symbol).clone(), assemble(bars, &rows)))
        .collect())
}

/// While alive, DuckDB may return rows in any order (`preserve_insertion_order = false`):
/// the snapshot groups and sorts rows itself, and collecting a parallel scan in storage order
/// cost about a quarter of the read. The setting is the database's, so it is restored on drop,
/// error or not, for the queries that follow; nothing is done when it is already off.
struct AnyOrder<'a>(Option<&'a Connection>);

impl<'a> AnyOrder<'a> {
    fn new(conn: &'a Connection) -> Result<Self> {
        let preserved: bool = conn.query_row(
            "SELECT current_setting('preserve_insertion_order')",
            [],
            |r| r.get(0),
        )?;
        if !preserved {
            return Ok(AnyOrder(None));
        }
        conn.execute_batch("SET preserve_insertion_order = false")?;
        Ok(AnyOrder(Some(conn)))
    }
}

impl Drop for AnyOrder<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.0 else { return };
        if let Err(e) = conn.execute_batch("SET preserve_insertion_order = true") {
            tracing::warn!("could not restore preserve_insertion_order: {e}");
        }
    }
}

/// The distinct wanted symbols, each with its slot in the per-symbol vectors.
struct Wanted<'a> {
    symbols: Vec<&'a Symbol>,
    slots: HashMap<&'a str, usize>,
}

impl<'a> Wanted<'a> {
    fn new(symbols: &'a [Symbol]) -> Self {
        let mut wanted = Wanted {
            symbols: Vec::with_capacity(symbols.len()),
            slots: HashMap::with_capacity(symbols.len()),
        };
        for symbol in symbols {
            let next = wanted.symbols.len();
            if *wanted.slots.entry(symbol.as_str()).or_insert(next) == next {
                wanted.symbols.push(symbol);
            }
        }
        wanted
    }

    /// The symbols as one bound `VARCHAR[]` parameter.
    fn as_param(&self) -> Value {
        super::symbol_list(self.symbols.iter().copied())
    }
}

/// Runs `sql` with the wanted symbols and the window, and collects what `read` makes of each
/// batch into one vector per wanted symbol, sorted by date.
fn read_grouped<T>(
    conn: &Connection,
    sql: &str,
    wanted: &Wanted,
    from: NaiveDate,
    to: NaiveDate,
    read: fn(&RecordBatch, &Wanted, &mut [Vec<T>]) -> Result<()>,
) -> Result<Vec<Vec<T>>> {
    let mut grouped: Vec<Vec<T>> = (0..wanted.symbols.len()).map(|_| Vec::new()).collect();
    let mut stmt = conn.prepare_cached(sql)?;
    // Streaming: each batch is converted while DuckDB produces the next, and a failed fetch
    // is an error rather than a silently shorter result.
    for batch in stmt.stream_arrow(params![wanted.as_param(), from, to])? {
        read(&batch?, wanted, &mut grouped)?;
    }
    Ok(grouped)
}

/// The rows of `batch` as maximal runs of one wanted symbol, each with its slot: the map is
/// consulted once per run, not per row. Rows of other symbols are skipped.
fn symbol_runs(batch: &RecordBatch, wanted: &Wanted) -> Result<Vec<(Range<usize>, usize)>> {
    let symbol = arrow::compute::cast(batch.column(0), &arrow::datatypes::DataType::Utf8)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let symbol = symbol
        .as_any()
        .downcast_ref::<StringArray>()
        .ok_or_else(|| StoreError::Invalid("snapshot symbol column".into()))?;
    let mut runs = Vec::new();
    let mut start = 0;
    while start < symbol.len() {
        let name = symbol.value(start);
        let end = (start + 1..symbol.len())
            .find(|&r| symbol.value(r) != name)
            .unwrap_or(symbol.len());
        if let Some(&slot) = wanted.slots.get(name) {
            runs.push((start..end, slot));
        }
        start = end;
    }
    Ok(runs)
}

fn column<T: 'static>(batch: &RecordBatch, i: usize) -> Result<&T> {
    batch
        .column(i)
        .as_any()
        .downcast_ref::<T>()
        .ok_or_else(|| StoreError::Invalid(format!("snapshot column {i} has an unexpected type")))
}

fn date_at(dates: &Date32Array, r: usize) -> Result<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(dates.value(r) + UNIX_EPOCH_FROM_CE)
        .ok_or_else(|| StoreError::Invalid(format!("date out of range: {}", dates.value(r))))
}

/// A DECIMAL column read as its mantissas and one scale: no string or float detour.
struct DecimalColumn<'a> {
    values: &'a Decimal128Array,
    scale: u32,
}

impl<'a> DecimalColumn<'a> {
    fn new(batch: &'a RecordBatch, i: usize) -> Result<Self> {
        let values = column::<Decimal128Array>(batch, i)?;
        let scale = u32::try_from(values.scale()).map_err(|_| {
            StoreError::Invalid(format!("snapshot column {i} has a negative scale"))
        })?;
        Ok(DecimalColumn { values, scale })
    }

    fn get(&self, r: usize) -> Option<Decimal> {
        (!self.values.is_null(r))
            .then(|| Decimal::from_i128_with_scale(self.values.value(r), self.scale))
    }
}

fn opt_f64(a: &Float64Array, r: usize) -> Option<f64> {
    (!a.is_null(r)).then(|| a.value(r))
}

/// Columns: symbol, date, open, high, low, close, adj_close, volume (`BARS_SQL`).
fn read_bars(batch: &RecordBatch, wanted: &Wanted, out: &mut [Vec<Bar>]) -> Result<()> {
    let date = column::<Date32Array>(batch, 1)?;
    let [open, high, low, close, adj] = [2, 3, 4, 5, 6].map(|i| DecimalColumn::new(batch, i));
    let [open, high, low, close, adj] = [open?, high?, low?, close?, adj?];
    let volume = column::<Int64Array>(batch, 7)?;
    for (rows, slot) in symbol_runs(batch, wanted)? {
        let bars = &mut out[slot];
        bars.reserve(rows.len());
        for r in rows {
            bars.push(Bar {
                date: date_at(date, r)?,
                open: open.get(r),
                high: high.get(r),
                low: low.get(r),
                close: close.get(r).unwrap_or_default(),
                adj_close: adj.get(r),
                volume: (!volume.is_null(r)).then(|| volume.value(r)),
            });
        }
    }
    Ok(())
}

/// Columns: symbol, date, then the eleven indicators in `IndicatorRow` order
/// (`INDICATORS_SQL`).
fn read_indicators(
    batch: &RecordBatch,
    wanted: &Wanted,
    out: &mut [Vec<(NaiveDate, IndicatorRow)>],
) -> Result<()> {
    let date = column::<Date32Array>(batch, 1)?;
    let f: Vec<&Float64Array> = (2..13)
        .map(|i| column::<Float64Array>(batch, i))
        .collect::<Result<_>>()?;
    for (rows, slot) in symbol_runs(batch, wanted)? {
        let indicators = &mut out[slot];
        indicators.reserve(rows.len());
        for r in rows {
            let row = IndicatorRow {
                sma_20: opt_f64(f[0], r),
                sma_50: opt_f64(f[1], r),
                sma_200: opt_f64(f[2], r),
                ema_12: opt_f64(f[3], r),
                ema_26: opt_f64(f[4], r),
                macd: opt_f64(f[5], r),
                macd_signal: opt_f64(f[6], r),
                macd_hist: opt_f64(f[7], r),
                rsi_14: opt_f64(f[8], r),
                volume_ratio: opt_f64(f[9], r),
                atr_14: opt_f64(f[10], r),
            };
            indicators.push((date_at(date, r)?, row));
        }
    }
    Ok(())
}

/// One symbol's series from its bars (sorted, not empty) and the stored indicator rows read
/// for it: the stored row of the last bar when there is one, computed over the whole history;
/// otherwise indicators recomputed from the window (bars not processed yet).
fn assemble(bars: Vec<Bar>, rows: &[(NaiveDate, IndicatorRow)]) -> SymbolSeries {
    let last = bars.last().map(|b| b.date);
    match rows.iter().find(|(date, _)| Some(*date) == last) {
        Some((_, row)) => SymbolSeries {
            bars,
            indicators: vec![*row],
            range_60d: None,
        },
        None => SymbolSeries::new(bars),
    }
}

#[cfg(test)]
#[path = "market_tests.rs"]
mod tests;

/// For each of `symbols`, how many of today's shares one share on `as_of` became: the
/// splits found in its bars from `as_of` on (`bar::split_multiplier`). Symbols without a
/// split since are left out. One query; on the last bar's day it reads one row a symbol.
pub fn splits_after(
    conn: &Connection,
    symbols: &[Symbol],
    as_of: NaiveDate,
) -> Result<std::collections::BTreeMap<Symbol, Decimal>> {
    if symbols.is_empty() {
        return Ok(Default::default());
    }
    let wanted = Wanted::new(symbols);
    let mut stmt = conn.prepare(
        "SELECT symbol, date, close, adj_close FROM prices
         WHERE symbol IN (SELECT unnest(?::VARCHAR[])) AND date >= ?
         ORDER BY symbol, date",
    )?;
    let mut rows = stmt.query(params![wanted.as_param(), as_of])?;
    let mut by_symbol: std::collections::BTreeMap<String, Vec<Bar>> = Default::default();
    while let Some(r) = rows.next()? {
        by_symbol.entry(r.get(0)?).or_default().push(Bar {
            date: r.get(1)?,
            open: None,
            high: None,
            low: None,
            close: r.get(2)?,
            adj_close: r.get(3)?,
            volume: None,
        });
    }
    Ok(by_symbol
        .into_iter()
        .filter_map(|(raw, bars)| {
            let m = crate::domain::bar::split_multiplier(&bars);
            let symbol = Symbol::parse(&raw).ok()?;
            (m != Decimal::ONE).then_some((symbol, m))
        })
        .collect())
}
