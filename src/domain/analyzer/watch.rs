//! The watchlist table: one row of market facts per watchlist symbol, held or not, computed
//! by the same series code the analysis uses.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{series, AnalysisRules, MarketSnapshot};
use crate::domain::indicators::Trend;
use crate::domain::portfolio::WatchItem;
use crate::domain::signal::{Band, SignalInputs};
use crate::domain::symbol::Symbol;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WatchRow {
    pub symbol: Symbol,
    /// `None` when the symbol has no bar on or before the as-of date.
    pub price: Option<Decimal>,
    pub price_date: Option<NaiveDate>,
    pub change_1d_pct: Option<f64>,
    pub lookback_return_pct: Option<f64>,
    pub rsi_14: Option<f64>,
    pub macd_hist: Option<f64>,
    pub trend: Option<Trend>,
    pub strength: Option<f64>,
    pub strength_complete: bool,
    pub band: Option<Band>,
    pub held: bool,
}

/// One row per watchlist item, in watchlist order. `held` marks symbols also in holdings.
pub fn watch_rows(
    watchlist: &[WatchItem],
    held: &[Symbol],
    market: &MarketSnapshot,
    rules: &AnalysisRules,
) -> Vec<WatchRow> {
    watchlist
        .iter()
        .map(|w| {
            let facts = market
                .series
                .get(&w.symbol)
                .and_then(|s| series::facts(s, market.as_of, rules));
            let mut row = WatchRow {
                symbol: w.symbol.clone(),
                price: None,
                price_date: None,
                change_1d_pct: None,
                lookback_return_pct: None,
                rsi_14: None,
                macd_hist: None,
                trend: None,
                strength: None,
                strength_complete: false,
                band: None,
                held: held.contains(&w.symbol),
            };
            if let Some(f) = facts {
                row.price = Some(f.price);
                row.price_date = Some(f.date);
                row.change_1d_pct = f.change_1d_pct;
                row.lookback_return_pct = f.lookback.map(|l| l.return_pct);
                row.rsi_14 = f.row.rsi_14;
                row.macd_hist = f.row.macd_hist;
                row.trend = SignalInputs::from_row(&f.row, None).trend;
                row.strength = Some(f.strength.score);
                row.strength_complete = !f.strength.incomplete;
                row.band = Some(f.strength.band());
            }
            row
        })
        .collect()
}
