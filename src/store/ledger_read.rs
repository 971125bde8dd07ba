//! The two reads every replay makes — the whole ledger and the raw closes of its symbols —
//! through Arrow batches: a row-by-row read of 130,000 DECIMAL closes costs ~200 ms, the
//! columnar one a fraction of it (benches/ledger.rs).

use chrono::NaiveDate;
use duckdb::arrow::array::{
    Array, ArrayRef, Date32Array, Decimal128Array, Int64Array, StringArray,
};
use duckdb::arrow::compute::cast;
use duckdb::arrow::datatypes::DataType;
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::{params, Connection};
use rust_decimal::Decimal;

use super::{Result, StoreError};
use crate::domain::ledger::{PriceHistory, Split, Transaction};
use crate::domain::symbol::Symbol;

const UNIX_EPOCH_FROM_CE: i32 = 719_163;

fn bad(what: &str) -> StoreError {
    StoreError::Invalid(format!("ledger read: {what}"))
}

fn as_type(batch: &RecordBatch, i: usize, to: &DataType) -> Result<ArrayRef> {
    cast(batch.column(i), to).map_err(|e| bad(&e.to_string()))
}

pub(super) fn down<T: Clone + 'static>(a: &ArrayRef, what: &str) -> Result<T> {
    a.as_any()
        .downcast_ref::<T>()
        .cloned()
        .ok_or_else(|| bad(what))
}

pub(super) fn date_at(dates: &Date32Array, r: usize) -> Result<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(dates.value(r) + UNIX_EPOCH_FROM_CE)
        .ok_or_else(|| bad("date out of range"))
}

pub(super) struct Decimals {
    values: Decimal128Array,
    scale: u32,
    /// No value of the batch is NULL (the usual case: no null bit to read per row).
    whole: bool,
}

impl Decimals {
    pub(super) fn new(batch: &RecordBatch, i: usize) -> Result<Decimals> {
        let values: Decimal128Array = down(batch.column(i), "a DECIMAL column")?;
        let scale = u32::try_from(values.scale()).map_err(|_| bad("negative scale"))?;
        let whole = values.null_count() == 0;
        Ok(Decimals {
            values,
            scale,
            whole,
        })
    }

    pub(super) fn get(&self, r: usize) -> Option<Decimal> {
        (!self.values.is_null(r))
            .then(|| Decimal::from_i128_with_scale(self.values.value(r), self.scale))
    }

    /// Row `r`'s mantissa at [`Decimals::scale`].
    #[inline]
    pub(super) fn mantissa(&self, r: usize) -> Option<i128> {
        if self.whole {
            return self.values.values().get(r).copied();
        }
        (!self.values.is_null(r)).then(|| self.values.value(r))
    }

    pub(super) fn scale(&self) -> u32 {
        self.scale
    }
}

pub(super) struct Texts(StringArray);

impl Texts {
    pub(super) fn new(batch: &RecordBatch, i: usize) -> Result<Texts> {
        Ok(Texts(down(
            &as_type(batch, i, &DataType::Utf8)?,
            "a text column",
        )?))
    }

    pub(super) fn get(&self, r: usize) -> Option<&str> {
        (!self.0.is_null(r)).then(|| self.0.value(r))
    }
}

pub(super) struct Ints(Int64Array);

impl Ints {
    pub(super) fn new(batch: &RecordBatch, i: usize) -> Result<Ints> {
        Ok(Ints(down(
            &as_type(batch, i, &DataType::Int64)?,
            "an integer column",
        )?))
    }

    pub(super) fn get(&self, r: usize) -> Option<i64> {
        (!self.0.is_null(r)).then(|| self.0.value(r))
    }
}

fn invalid(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("stored transaction {what}: {e}"))
}

/// Every transaction, by date then id.
pub fn transactions(conn: &Connection) -> Result<Vec<Transaction>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, date, kind, symbol, CAST(quantity AS DECIMAL(18,4)),
                CAST(price AS DECIMAL(18,4)), CAST(amount AS DECIMAL(18,2)),
                CAST(fees AS DECIMAL(18,2)), split_to, split_from, notes, source, signal_id,
                recommendation_id
         FROM transactions ORDER BY date, id",
    )?;
    let mut out = Vec::new();
    for batch in stmt.stream_arrow([])? {
        let batch = batch?;
        let id = Ints::new(&batch, 0)?;
        let date: Date32Array = down(batch.column(1), "date")?;
        let (kind, symbol) = (Texts::new(&batch, 2)?, Texts::new(&batch, 3)?);
        let [quantity, price, amount, fees] = [4, 5, 6, 7].map(|i| Decimals::new(&batch, i));
        let [quantity, price, amount, fees] = [quantity?, price?, amount?, fees?];
        let (to, from) = (Ints::new(&batch, 8)?, Ints::new(&batch, 9)?);
        let (notes, source) = (Texts::new(&batch, 10)?, Texts::new(&batch, 11)?);
        let (signal, rec) = (Ints::new(&batch, 12)?, Ints::new(&batch, 13)?);
        for r in 0..batch.num_rows() {
            let split = match (to.get(r), from.get(r)) {
                (Some(to), Some(from)) => Some(Split {
                    to: u32::try_from(to).map_err(|e| invalid("split_to", e))?,
                    from: u32::try_from(from).map_err(|e| invalid("split_from", e))?,
                }),
                _ => None,
            };
            out.push(Transaction {
                id: id.get(r).unwrap_or_default(),
                date: date_at(&date, r)?,
                kind: kind
                    .get(r)
                    .unwrap_or("")
                    .parse()
                    .map_err(|e| invalid("kind", e))?,
                symbol: symbol
                    .get(r)
                    .map(|s| Symbol::parse(s).map_err(|e| invalid("symbol", e)))
                    .transpose()?,
                quantity: quantity.get(r).map(|q| q.normalize()),
                price: price.get(r).map(|p| p.normalize()),
                amount: amount.get(r).unwrap_or_default(),
                fees: fees.get(r).unwrap_or_default(),
                split,
                notes: notes.get(r).map(str::to_string),
                source: source
                    .get(r)
                    .unwrap_or("")
                    .parse()
                    .map_err(|e| invalid("source", e))?,
                signal_id: signal.get(r),
                recommendation_id: rec.get(r),
            });
        }
    }
    Ok(out)
}

/// Raw closes up to `to` of every symbol the ledger names, plus `extra` (the benchmark, so
/// its sessions count as days), in one read.
pub fn ledger_closes(conn: &Connection, to: NaiveDate, extra: &[Symbol]) -> Result<PriceHistory> {
    let extra = super::symbol_list(extra);
    let mut stmt = conn.prepare_cached(
        "SELECT symbol, date, close FROM prices
         WHERE date <= ? AND (symbol IN (SELECT DISTINCT symbol FROM transactions
                                          WHERE symbol IS NOT NULL)
                              OR list_contains(?::VARCHAR[], symbol))",
    )?;
    let mut history = PriceHistory::new();
    for batch in stmt.stream_arrow(params![to, extra])? {
        let batch = batch?;
        let symbol = Texts::new(&batch, 0)?;
        let date: Date32Array = down(batch.column(1), "date")?;
        let close = Decimals::new(&batch, 2)?;
        let mut start = 0;
        while start < batch.num_rows() {
            let name = symbol.get(start).unwrap_or("");
            let end = (start + 1..batch.num_rows())
                .find(|&r| symbol.get(r).unwrap_or("") != name)
                .unwrap_or(batch.num_rows());
            let key = Symbol::parse(name)
                .map_err(|e| StoreError::Invalid(format!("stored symbol: {e}")))?;
            let series = history.entry(key).or_default();
            series.reserve(end - start);
            for r in start..end {
                series.push((date_at(&date, r)?, close.get(r).unwrap_or_default()));
            }
            start = end;
        }
    }
    // Unordered in SQL (a sort of every row costs more than the read): rows come in runs of
    // one symbol in storage order; each series is put in date order here.
    for series in history.values_mut() {
        if !series.is_sorted_by_key(|(d, _)| *d) {
            series.sort_unstable_by_key(|(d, _)| *d);
        }
    }
    Ok(history)
}

/// The consecutive bars (symbol, bar, next bar) of the ledger's symbols across which the
/// adjustment factor adj_close / close moves by a cash amount of 0.004 a share or more —
/// a split or a dividend may lie there (`domain::ledger::proposals` decides exactly). The
/// window runs in DuckDB, so ten years of fifty symbols come back as the few pairs that
/// matter rather than 126,000 bars. Only date, close and adj_close are filled.
pub fn adjustment_moves(
    conn: &Connection,
) -> Result<Vec<(Symbol, crate::domain::bar::Bar, crate::domain::bar::Bar)>> {
    let mut stmt = conn.prepare(
        "WITH pairs AS (
            SELECT symbol, date, close, adj_close,
                   lag(date) OVER w AS prev_date,
                   lag(close) OVER w AS prev_close,
                   lag(adj_close) OVER w AS prev_adj
            FROM prices
            WHERE symbol IN (SELECT DISTINCT symbol FROM transactions WHERE symbol IS NOT NULL)
            WINDOW w AS (PARTITION BY symbol ORDER BY date)
         )
         SELECT symbol, prev_date, prev_close, prev_adj, date, close, adj_close FROM pairs
         WHERE prev_close > 0 AND close > 0 AND adj_close > 0 AND prev_adj > 0
           AND abs(prev_close::DOUBLE - prev_adj::DOUBLE * close::DOUBLE / adj_close::DOUBLE)
               >= 0.004
         ORDER BY symbol, date",
    )?;
    let bar = |date, close, adj| crate::domain::bar::Bar {
        date,
        open: None,
        high: None,
        low: None,
        close,
        adj_close: Some(adj),
        volume: None,
    };
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            bar(r.get(1)?, r.get(2)?, r.get(3)?),
            bar(r.get(4)?, r.get(5)?, r.get(6)?),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (symbol, prev, next) = row?;
        let symbol = Symbol::parse(&symbol).map_err(|e| bad(&e.to_string()))?;
        out.push((symbol, prev, next));
    }
    Ok(out)
}
