//! Test data shared by the analyzer, sizer and risk tests: the shipped default rules and
//! small hand-made price series.

use chrono::{Duration, NaiveDate};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::{AccountSummary, AnalysisRules, HoldingRow, SymbolSeries};
use crate::domain::bar::Bar;
use crate::domain::indicators::IndicatorRow;
use crate::domain::portfolio::Holding;
use crate::domain::risk::MarginRisk;
use crate::domain::rules::*;
use crate::domain::signal::SignalRules;
use crate::domain::symbol::Symbol;

/// The defaults of `assets/config.toml`, spelled out so every expected number in a test
/// can be checked against them (`shipped_config_matches_the_fixture` keeps them in step).
pub(crate) fn rules() -> AnalysisRules {
    AnalysisRules {
        general: GeneralRules {
            benchmark: "SPY".into(),
            market_symbols: vec!["SPY".into(), "QQQ".into()],
            lookback_days: 30,
        },
        signal: SignalRules::default(),
        screens: ScreenRules {
            morning_alpha_pp: -5.0,
            morning_strength: 40.0,
            intraday_alpha_pp: -3.0,
            intraday_strength: 45.0,
            opportunity_min_strength: 60.0,
            swap_min_improvement: 10.0,
        },
        risk: RiskRules {
            high_rsi: 70.0,
            high_volatility_pct: 45.0,
            medium_rsi: 30.0,
            medium_volatility_pct: 25.0,
            volatility_window: 20,
        },
        health: health_rules(),
        sizing: sizing_rules(),
        margin: margin_rules(),
        stops: StopRules {
            loss_pct: 8.0,
            technical_sma: 50,
            time_strength: 50.0,
            portfolio_alpha_pp: -5.0,
        },
    }
}

fn health_rules() -> HealthRules {
    let above = |above, points| AboveTier { above, points };
    let below = |below, points| BelowTier { below, points };
    HealthRules {
        base: 50.0,
        alpha: vec![above(5.0, 20.0), above(0.0, 10.0), above(-5.0, 0.0)],
        alpha_else: -10.0,
        strength: vec![above(70.0, 30.0), above(60.0, 20.0), above(50.0, 10.0)],
        strength_else: -10.0,
        breadth: vec![below(20.0, 20.0), below(40.0, 10.0), below(60.0, 0.0)],
        breadth_else: -10.0,
        grade_a: 90.0,
        grade_b: 80.0,
        grade_c: 70.0,
        grade_d: 60.0,
        concentration_pct: 25.0,
        min_positions: 5,
        min_cash_reserve_pct: 20.0,
    }
}

fn sizing_rules() -> SizingRules {
    let band = |from, to, min_pct, max_pct| AllocationBand {
        from,
        to,
        min_pct,
        max_pct,
    };
    SizingRules {
        bands: vec![
            band(80.0, 100.0, 15.0, 20.0),
            band(70.0, 80.0, 10.0, 15.0),
            band(60.0, 70.0, 5.0, 10.0),
            band(50.0, 60.0, 3.0, 5.0),
        ],
        risk_multiplier_low: 1.2,
        risk_multiplier_medium: 1.0,
        risk_multiplier_high: 0.7,
        max_position_pct: 25.0,
        cash_reserve_pct: 20.0,
        // Off here: these fixtures pin the other rules; the reward/risk rule has its own
        // tests (analyzer::tests and the checks at the default of 2).
        min_reward_risk: 0.0,
    }
}

fn margin_rules() -> MarginRules {
    MarginRules {
        enabled: false,
        min_strength: 75.0,
        max_used_pct: 25.0,
        min_cash_pct: 30.0,
        correction_sma: 200,
        correction_drawdown_pct: 10.0,
        risk_high_pct: 50.0,
        risk_moderate_pct: 25.0,
    }
}

pub(crate) fn sym(s: &str) -> Symbol {
    Symbol::parse(s).unwrap()
}

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A bar whose open, high, low and close all equal `close`, with no adjustment.
pub(crate) fn flat_bar(day: NaiveDate, close: f64) -> Bar {
    let c = Decimal::from_f64(close).unwrap();
    Bar {
        date: day,
        open: Some(c),
        high: Some(c),
        low: Some(c),
        close: c,
        adj_close: None,
        volume: Some(1_000),
    }
}

/// One bar per calendar day ending on `last`, closes as given (oldest first), with
/// indicators computed from them.
pub(crate) fn daily(last: NaiveDate, closes: &[f64]) -> SymbolSeries {
    let n = closes.len() as i64;
    let bars = closes
        .iter()
        .enumerate()
        .map(|(i, &c)| flat_bar(last - Duration::days(n - 1 - i as i64), c))
        .collect();
    SymbolSeries::new(bars)
}

/// Bars with hand-set indicators: one bar per calendar day ending on `last`; every row
/// gets `row`. The closes decide lookback returns, prices and stops; the row decides
/// RSI, MACD and trend, so strengths can be set exactly.
pub(crate) fn scripted(last: NaiveDate, closes: &[f64], row: IndicatorRow) -> SymbolSeries {
    let mut series = daily(last, closes);
    series.indicators = vec![row; closes.len()];
    series
}

/// A row scoring 50 + RSI 50 (+5) + histogram sign (±10) + trend (±10), plus the return
/// term from the closes; SMA50 at `sma_50` for the technical stop.
pub(crate) fn row(hist: f64, up: bool, sma_50: f64) -> IndicatorRow {
    IndicatorRow {
        sma_20: Some(if up { sma_50 + 1.0 } else { sma_50 - 1.0 }),
        sma_50: Some(sma_50),
        rsi_14: Some(50.0),
        macd_hist: Some(hist),
        ..IndicatorRow::default()
    }
}

pub(crate) fn health_row(
    symbol: &str,
    alpha: Option<f64>,
    strength: f64,
    weight_pct: f64,
) -> HoldingRow {
    let h = Holding::new(sym(symbol), dec!(1), dec!(1), None, None).unwrap();
    let mut r = HoldingRow::without_data(&h);
    (r.alpha, r.strength, r.weight_pct) = (alpha, Some(strength), Some(weight_pct));
    r
}

/// Cash 5 000 of P 10 000: a 50 % reserve, no issue.
pub(crate) fn summary() -> AccountSummary {
    AccountSummary {
        balance_as_of: Some(date(2026, 3, 31)),
        cash: dec!(5000),
        positions_value: dec!(5000),
        portfolio_value: dec!(10000),
        total_value: dec!(10000),
        buying_power: dec!(5000),
        margin_available: dec!(0),
        margin_used: dec!(0),
        margin_pct: Some(0.0),
        margin_risk: MarginRisk::None,
        cash_reserve_pct: Some(50.0),
        spendable_cash: dec!(3000),
    }
}

#[test]
fn shipped_config_matches_the_fixture() {
    #[derive(serde::Deserialize)]
    struct Shipped {
        general: GeneralRules,
        signal: SignalRules,
        screens: ScreenRules,
        risk: RiskRules,
        health: HealthRules,
        sizing: SizingRules,
        margin: MarginRules,
        stops: StopRules,
    }
    let text = include_str!("../../../assets/config.toml");
    let s: Shipped = toml::from_str(text).unwrap();
    let r = rules();
    assert_eq!(s.general, r.general);
    assert_eq!(s.signal, r.signal);
    assert_eq!(s.screens, r.screens);
    assert_eq!(s.risk, r.risk);
    assert_eq!(s.health, r.health);
    // The fixture turns the reward/risk rule off (see `sizing_rules`); shipped, it is 2.
    assert_eq!(s.sizing.min_reward_risk, 2.0);
    let shipped_sizing = SizingRules {
        min_reward_risk: 0.0,
        ..s.sizing
    };
    assert_eq!(shipped_sizing, r.sizing);
    assert_eq!(s.margin, r.margin);
    assert_eq!(s.stops, r.stops);
}
