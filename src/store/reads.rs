//! The store's queries as methods, for callers outside a transaction. Inside one (an
//! operation of `service::ops`), the same queries are the free functions of each module,
//! called with the transaction.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{BarBatch, PendingFollowUp, Result, Store, StoredSwap};
use crate::domain::analyzer::MarketSnapshot;
use crate::domain::bar::Bar;
use crate::domain::indicators::IndicatorRow;
use crate::domain::journal::SignalRecord;
use crate::domain::symbol::Symbol;

impl Store {
    /// Every visible signal, newest first.
    pub fn signals(&self) -> Result<Vec<SignalRecord>> {
        super::signals(&self.conn)
    }

    pub fn pending_signals(&self) -> Result<Vec<SignalRecord>> {
        super::pending_signals(&self.conn)
    }

    pub fn signal(&self, id: i64) -> Result<Option<SignalRecord>> {
        super::signal(&self.conn, id)
    }

    pub fn signals_on(&self, day: NaiveDate, source: &str) -> Result<Vec<SignalRecord>> {
        super::signals_on(&self.conn, day, source)
    }

    pub fn bars_since(&self, symbol: &Symbol, from: NaiveDate) -> Result<Vec<Bar>> {
        super::bars_since(&self.conn, symbol, from)
    }

    pub fn last_bar_on_or_before(
        &self,
        symbol: &Symbol,
        day: NaiveDate,
    ) -> Result<Option<NaiveDate>> {
        super::last_bar_on_or_before(&self.conn, symbol, day)
    }

    pub fn load_snapshot(&self, symbols: &[Symbol], as_of: NaiveDate) -> Result<MarketSnapshot> {
        super::load_snapshot(&self.conn, symbols, as_of)
    }

    pub fn load_snapshot_windows(
        &self,
        groups: &[(&[Symbol], i64)],
        as_of: NaiveDate,
    ) -> Result<MarketSnapshot> {
        super::load_snapshot_windows(&self.conn, groups, as_of)
    }

    pub fn splits_after(
        &self,
        symbols: &[Symbol],
        as_of: NaiveDate,
    ) -> Result<BTreeMap<Symbol, Decimal>> {
        super::splits_after(&self.conn, symbols, as_of)
    }

    pub fn indicators_since(
        &self,
        symbol: &Symbol,
        from: NaiveDate,
    ) -> Result<Vec<(NaiveDate, IndicatorRow)>> {
        super::indicators_since(&self.conn, symbol, from)
    }

    /// `store::backtest_row_splits` on this store's connection.
    pub fn backtest_row_splits(&self, parts: usize) -> Result<Vec<i64>> {
        super::backtest_row_splits(&self.conn, parts)
    }

    pub fn backtest_bar_counts(
        &self,
        symbols: &[Symbol],
        to: NaiveDate,
        splits: &[i64],
    ) -> Result<Vec<Vec<usize>>> {
        super::backtest_bar_counts(&self.conn, symbols, to, splits)
    }

    /// `store::backtest_scan` on this store's connection.
    pub fn backtest_scan<T: Send>(
        &self,
        read: (&[Symbol], NaiveDate),
        memory: Option<&str>,
        splits: &[i64],
        state: impl Fn(usize) -> T,
        each: impl Fn(&mut T, BarBatch) -> Result<()> + Sync,
    ) -> Result<Vec<T>> {
        super::backtest_scan(&self.conn, read, memory, splits, state, each)
    }

    pub fn stored_swaps(&self, limit: usize) -> Result<Vec<StoredSwap>> {
        super::stored_swaps(&self.conn, limit)
    }

    pub fn pending_follow_ups(&self, cutoff: NaiveDate) -> Result<Vec<PendingFollowUp>> {
        super::pending_follow_ups(&self.conn, cutoff)
    }

    pub fn is_executed(&self, day: NaiveDate, reduce: &Symbol, increase: &Symbol) -> Result<bool> {
        super::is_executed(&self.conn, day, reduce, increase)
    }

    /// Direct SQL, for integration tests and benchmarks that seed or inspect a file as an
    /// older version or another program would have left it. Code in `src/` outside the
    /// store never calls it: SQL lives in `store`.
    #[doc(hidden)]
    pub fn sql_for_tests(&self) -> &duckdb::Connection {
        &self.conn
    }
}
