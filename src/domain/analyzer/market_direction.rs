//! Market direction for each of `general.market_symbols` (SPY and QQQ by default).
//!
//! Price is the adjusted close; the 1-day and 5-day changes compare it with the close 1 and
//! 5 bars earlier; the lookback change spans `general.lookback_days` calendar days. Above or
//! below SMA50 and SMA200 compare the close with those indicators (`None` while they are
//! not yet defined). The regime is [`crate::domain::risk::market_regime`]: BEAR more than
//! 20 % below the 52-week high (highest adjusted high of the last 252 bars), CORRECTION more
//! than `margin.correction_drawdown_pct` below it or below the SMA of
//! `margin.correction_sma` closes, BULL otherwise.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::series::{facts, Facts};
use super::{AnalysisRules, MarketSnapshot};
use crate::domain::indicators::Trend;
use crate::domain::risk::{drawdown_pct, market_regime, Regime};
use crate::domain::signal::SignalInputs;
use crate::domain::symbol::Symbol;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarketDirection {
    pub symbol: Symbol,
    pub price_date: NaiveDate,
    pub price: Decimal,
    pub change_1d_pct: Option<f64>,
    pub change_5d_pct: Option<f64>,
    pub lookback_return_pct: Option<f64>,
    pub rsi_14: Option<f64>,
    pub macd_hist: Option<f64>,
    pub trend: Option<Trend>,
    pub sma_50: Option<f64>,
    pub sma_200: Option<f64>,
    pub above_sma_50: Option<bool>,
    pub above_sma_200: Option<bool>,
    pub high_52w: f64,
    /// Percent below the 52-week high (0 at the high).
    pub drawdown_pct: Option<f64>,
    /// `None` without enough history to tell.
    pub regime: Option<Regime>,
}

/// The regime of one symbol from its facts.
pub(super) fn regime_of(f: &Facts, rules: &AnalysisRules) -> Option<Regime> {
    market_regime(
        f.close,
        f.sma(rules.margin.correction_sma),
        f.high_52w(),
        &rules.margin,
    )
}

fn direction(symbol: Symbol, f: &Facts, rules: &AnalysisRules) -> MarketDirection {
    let above = |sma: Option<f64>| sma.map(|s| f.close > s);
    let high_52w = f.high_52w();
    MarketDirection {
        symbol,
        price_date: f.date,
        price: f.price,
        change_1d_pct: f.change_1d_pct,
        change_5d_pct: f.change_5d_pct,
        lookback_return_pct: f.lookback.map(|l| l.return_pct),
        rsi_14: f.row.rsi_14,
        macd_hist: f.row.macd_hist,
        trend: SignalInputs::from_row(&f.row, None).trend,
        sma_50: f.row.sma_50,
        sma_200: f.row.sma_200,
        above_sma_50: above(f.row.sma_50),
        above_sma_200: above(f.row.sma_200),
        high_52w,
        drawdown_pct: drawdown_pct(f.close, high_52w),
        regime: regime_of(f, rules),
    }
}

/// One row per market symbol with data, in config order; the others are reported missing.
pub(super) fn market_directions(
    market: &MarketSnapshot,
    rules: &AnalysisRules,
) -> Vec<MarketDirection> {
    rules
        .general
        .market_symbols
        .iter()
        .filter_map(|raw| Symbol::parse(raw).ok())
        .filter_map(|symbol| {
            let f = facts(market.series.get(&symbol)?, market.as_of, rules)?;
            Some(direction(symbol, &f, rules))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analyzer::fixtures::{daily, date, rules, sym};
    use std::collections::BTreeMap;

    fn snapshot(closes: &[f64]) -> MarketSnapshot {
        let as_of = date(2026, 3, 31);
        MarketSnapshot {
            as_of,
            series: BTreeMap::from([(sym("SPY"), daily(as_of, closes))]),
            splits_after: Default::default(),
        }
    }

    #[test]
    fn steady_rise_is_a_bull_market() {
        // 300 closes 1..=300: at its 52-week high, far above SMA200 (mean of 101..=300 = 200.5).
        let closes: Vec<f64> = (1..=300).map(f64::from).collect();
        let rows = market_directions(&snapshot(&closes), &rules());
        assert_eq!(rows.len(), 1, "QQQ has no data and no row");
        let spy = &rows[0];
        assert_eq!(
            (spy.regime, spy.drawdown_pct),
            (Some(Regime::Bull), Some(0.0))
        );
        assert_eq!((spy.sma_200, spy.above_sma_200), (Some(200.5), Some(true)));
        // SMA50 = mean of 251..=300 = 275.5; 300 > 275.5.
        assert_eq!((spy.sma_50, spy.above_sma_50), (Some(275.5), Some(true)));
        assert_eq!(spy.trend, Some(Trend::Up));
        // 300 / 299 − 1 and 300 / 295 − 1
        assert!((spy.change_1d_pct.unwrap() - (300.0 / 299.0 - 1.0) * 100.0).abs() < 1e-9);
        assert!((spy.change_5d_pct.unwrap() - (300.0 / 295.0 - 1.0) * 100.0).abs() < 1e-9);
    }

    #[test]
    fn a_drop_from_the_high_is_a_correction_then_a_bear() {
        // 299 closes of 100 then 88: 12 % below the high of 100 → CORRECTION (also below SMA200).
        let mut closes = vec![100.0; 299];
        closes.push(88.0);
        let spy = &market_directions(&snapshot(&closes), &rules())[0];
        assert_eq!(spy.regime, Some(Regime::Correction));
        assert_eq!(spy.above_sma_200, Some(false));
        // 75 is 25 % below: BEAR.
        *closes.last_mut().unwrap() = 75.0;
        assert_eq!(
            market_directions(&snapshot(&closes), &rules())[0].regime,
            Some(Regime::Bear)
        );
    }

    #[test]
    fn young_series_has_no_regime_until_the_sma_exists() {
        // 100 closes of 50: no SMA200, at the high → regime unknown.
        let spy = &market_directions(&snapshot(&[50.0; 100]), &rules())[0];
        assert_eq!(
            (spy.regime, spy.sma_200, spy.above_sma_200),
            (None, None, None)
        );
    }
}
