//! One row per holding, with its stop alerts (DESIGN §5 "Stops").
//!
//! - price basis: a holding's quantity and average cost are in today's shares, as a broker
//!   shows them (splits applied, dividends not). So it is valued at the close **as traded on
//!   the as-of day**, divided by the splits since then (`splits_after`): the same basis as
//!   its cost. Later dividends never lower a past day's value or fake a percentage stop.
//! - value = quantity × that price, to the cent; weight = value / P;
//! - unrealized P&L = value − cost basis; in percent, price / average cost − 1;
//! - lookback return over `general.lookback_days`, the benchmark's return over the same two
//!   dates, alpha = the difference in percentage points;
//! - alerts: **percentage** when the price is at or below cost × (1 − `loss_pct`);
//!   **technical** when the close is below its SMA of `technical_sma` bars; **time** when
//!   strength is under `time_strength`; **portfolio** when alpha is under
//!   `portfolio_alpha_pp`. Percentage and technical are hard stops (sell); time and
//!   portfolio ask for a review.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::series::Facts;
use super::{AnalysisRules, SymbolSeries};
use crate::domain::indicators::{IndicatorRow, Trend};
use crate::domain::portfolio::{to_cents, to_price, Holding};
use crate::domain::risk::RiskLevel;
use crate::domain::signal::{Band, SignalInputs};
use crate::domain::sizer::pct_of;
use crate::domain::symbol::Symbol;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopKind {
    Percentage,
    Technical,
    Time,
    Portfolio,
}

impl StopKind {
    /// Percentage and technical stops say "sell"; time and portfolio stops say "review".
    pub fn is_hard(self) -> bool {
        matches!(self, StopKind::Percentage | StopKind::Technical)
    }

    pub fn label(self) -> &'static str {
        match self {
            StopKind::Percentage => "percentage stop",
            StopKind::Technical => "technical stop",
            StopKind::Time => "time stop",
            StopKind::Portfolio => "portfolio stop",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StopAlert {
    pub kind: StopKind,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldingRow {
    pub symbol: Symbol,
    pub quantity: Decimal,
    pub avg_cost: Decimal,
    pub cost_basis: Decimal,
    pub opened: Option<NaiveDate>,
    /// The close as traded on the last bar on or before the as-of date, in today's shares
    /// (÷ the splits since): the basis of `avg_cost`.
    pub price: Option<Decimal>,
    /// That bar's date; earlier than the as-of date when the data is stale.
    pub price_date: Option<NaiveDate>,
    pub value: Option<Decimal>,
    pub weight_pct: Option<f64>,
    pub unrealized_pnl: Option<Decimal>,
    pub unrealized_pnl_pct: Option<f64>,
    /// The lookback's base date (the last bar on or before price date − L days).
    pub lookback_from: Option<NaiveDate>,
    pub lookback_return_pct: Option<f64>,
    /// The benchmark's return from `lookback_from` to `price_date`.
    pub benchmark_return_pct: Option<f64>,
    /// Lookback return − benchmark return, in percentage points.
    pub alpha: Option<f64>,
    pub rsi_14: Option<f64>,
    pub macd_hist: Option<f64>,
    /// `None` until both SMA20 and SMA50 exist.
    pub trend: Option<Trend>,
    pub strength: Option<f64>,
    pub strength_complete: bool,
    pub band: Option<Band>,
    pub risk_level: Option<RiskLevel>,
    pub volatility_pct: Option<f64>,
    pub alerts: Vec<StopAlert>,
    /// Why figures are missing, when they are.
    pub note: Option<String>,
    /// The indicators of the as-of bar, for the journal's technical columns.
    #[serde(skip)]
    pub technicals: IndicatorRow,
}

impl HoldingRow {
    /// A holding with no bar on or before the as-of date: reported, not skipped.
    pub(super) fn without_data(h: &Holding) -> Self {
        HoldingRow {
            symbol: h.symbol.clone(),
            quantity: h.quantity,
            avg_cost: h.avg_cost,
            cost_basis: cents(h.cost_basis()),
            opened: h.opened,
            price: None,
            price_date: None,
            value: None,
            weight_pct: None,
            unrealized_pnl: None,
            unrealized_pnl_pct: None,
            lookback_from: None,
            lookback_return_pct: None,
            benchmark_return_pct: None,
            alpha: None,
            rsi_14: None,
            macd_hist: None,
            trend: None,
            strength: None,
            strength_complete: false,
            band: None,
            risk_level: None,
            volatility_pct: None,
            alerts: Vec::new(),
            note: Some("no price data on or before the as-of date".to_string()),
            technicals: IndicatorRow::default(),
        }
    }

    pub fn has_hard_stop(&self) -> bool {
        self.alerts.iter().any(|a| a.kind.is_hard())
    }

    #[cfg(test)]
    pub(super) fn with_value(mut self, value: Option<Decimal>) -> Self {
        self.value = value;
        self
    }
}

pub(super) fn holding_row(
    h: &Holding,
    facts: Option<&Facts>,
    splits_after: Option<Decimal>,
    benchmark: Option<&SymbolSeries>,
    rules: &AnalysisRules,
) -> HoldingRow {
    let mut row = HoldingRow::without_data(h);
    let Some(f) = facts else {
        return row;
    };
    let price = cost_basis_price(f.bar_close, splits_after);
    let value = cents(h.quantity * price);
    let (benchmark_return, alpha) = f.versus(benchmark);
    row.price = Some(price);
    row.price_date = Some(f.date);
    row.value = Some(value);
    row.unrealized_pnl = Some(value - row.cost_basis);
    row.unrealized_pnl_pct = ((price / h.avg_cost - Decimal::ONE) * Decimal::ONE_HUNDRED).to_f64();
    row.lookback_from = f.lookback.map(|l| l.from);
    row.lookback_return_pct = f.lookback.map(|l| l.return_pct);
    row.benchmark_return_pct = benchmark_return;
    row.alpha = alpha;
    row.technicals = f.row;
    row.rsi_14 = f.row.rsi_14;
    row.macd_hist = f.row.macd_hist;
    row.trend = SignalInputs::from_row(&f.row, None).trend;
    row.strength = Some(f.strength.score);
    row.strength_complete = !f.strength.incomplete;
    row.band = Some(f.strength.band());
    row.risk_level = Some(f.risk.level);
    row.volatility_pct = f.risk.volatility_pct;
    row.alerts = stop_alerts(h, f, price, alpha, rules);
    row.note = missing_note(f, alpha, benchmark.is_some());
    row
}

fn missing_note(f: &Facts, alpha: Option<f64>, has_benchmark: bool) -> Option<String> {
    if f.lookback.is_none() {
        Some("not enough history for the lookback return".to_string())
    } else if alpha.is_none() && !has_benchmark {
        Some("no benchmark data: alpha unknown".to_string())
    } else if alpha.is_none() {
        Some("benchmark has no bar on the lookback dates: alpha unknown".to_string())
    } else {
        f.strength
            .incomplete
            .then(|| "an indicator is missing: strength incomplete".to_string())
    }
}

/// The day's traded close in today's shares, to the stored four decimals.
fn cost_basis_price(bar_close: Decimal, splits_after: Option<Decimal>) -> Decimal {
    match splits_after.filter(|s| *s > Decimal::ZERO && *s != Decimal::ONE) {
        Some(splits) => to_price(bar_close / splits),
        None => bar_close,
    }
}

/// `price` is the holding's price on its cost's basis (see the module docs).
fn stop_alerts(
    h: &Holding,
    f: &Facts,
    price: Decimal,
    alpha: Option<f64>,
    rules: &AnalysisRules,
) -> Vec<StopAlert> {
    let stops = &rules.stops;
    let mut alerts = Vec::new();
    let mut alert = |kind, message| alerts.push(StopAlert { kind, message });
    let stop_price = h.avg_cost - pct_of(h.avg_cost, stops.loss_pct);
    if price <= stop_price {
        let loss = ((price / h.avg_cost - Decimal::ONE) * Decimal::ONE_HUNDRED).to_f64();
        alert(
            StopKind::Percentage,
            format!(
                "down {:.1} % from cost {} (stop at {} %)",
                -loss.unwrap_or(0.0),
                h.avg_cost,
                stops.loss_pct
            ),
        );
    }
    if let Some(sma) = f.sma(stops.technical_sma).filter(|sma| f.close < *sma) {
        alert(
            StopKind::Technical,
            format!(
                "close {:.2} below SMA{} {:.2}",
                f.close, stops.technical_sma, sma
            ),
        );
    }
    if f.strength.score < stops.time_strength {
        alert(
            StopKind::Time,
            format!("strength {} under {}", f.strength, stops.time_strength),
        );
    }
    if let Some(a) = alpha.filter(|a| *a < stops.portfolio_alpha_pp) {
        alert(
            StopKind::Portfolio,
            format!("alpha {a:+.1} pp under {:+}", stops.portfolio_alpha_pp),
        );
    }
    alerts
}

/// A holding whose last bar is older than the as-of date keeps its value at that bar and
/// says so first in its note: "stale since DATE".
pub(super) fn flag_stale(rows: &mut [HoldingRow], as_of: NaiveDate) {
    for row in rows {
        if let Some(date) = row.price_date.filter(|d| *d < as_of) {
            let stale = format!("stale since {date}: valued at that day's close");
            row.note = Some(match row.note.take() {
                Some(other) => format!("{stale}; {other}"),
                None => stale,
            });
        }
    }
}

/// Money to the cent, always shown with two decimals (`"950.00"` in JSON).
pub(super) fn cents(amount: Decimal) -> Decimal {
    let mut c = to_cents(amount);
    c.rescale(2);
    c
}

/// Each holding's value as a percent of the portfolio value P; `None` when P ≤ 0.
pub(super) fn set_weights(rows: &mut [HoldingRow], portfolio_value: Decimal) {
    for row in rows {
        row.weight_pct = row
            .value
            .filter(|_| portfolio_value > Decimal::ZERO)
            .and_then(|v| (v / portfolio_value * Decimal::ONE_HUNDRED).to_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analyzer::fixtures::{date, row, rules, scripted, sym};
    use crate::domain::analyzer::series::facts;
    use rust_decimal_macros::dec;

    fn holding(quantity: Decimal, avg_cost: Decimal) -> Holding {
        Holding::new(sym("AAA"), quantity, avg_cost, None, None).unwrap()
    }

    /// 31 daily closes to 03-31: 100 on 03-01 (the lookback base) … `last` on 03-31.
    fn closes(last: f64) -> Vec<f64> {
        let mut c = vec![100.0; 31];
        c[30] = last;
        c
    }

    #[test]
    fn values_pnl_and_alpha() {
        let r = rules();
        let as_of = date(2026, 3, 31);
        // AAA 100 → 108 (+8 %); SPY 200 → 206 (+3 %) over the same 03-01 → 03-31.
        let aaa = scripted(as_of, &closes(108.0), row(0.5, true, 100.0));
        let spy = scripted(
            as_of,
            &[vec![200.0; 30], vec![206.0]].concat(),
            row(0.5, true, 200.0),
        );
        let f = facts(&aaa, as_of, &r).unwrap();
        let h = holding(dec!(3), dec!(104.123));
        let mut rows = vec![holding_row(&h, Some(&f), None, Some(&spy), &r)];
        let x = &rows[0];
        // Value 3 × 108 = 324; cost 3 × 104.123 = 312.369 → 312.37; P&L 11.63.
        assert_eq!(
            (x.value, x.cost_basis, x.unrealized_pnl),
            (Some(dec!(324)), dec!(312.37), Some(dec!(11.63)))
        );
        // 108 / 104.123 − 1 = 3.7235 %
        assert!((x.unrealized_pnl_pct.unwrap() - 3.7235).abs() < 1e-4);
        // Alpha 8 − 3 = +5 pp. Strength 50 + RSI 50 (+5) + histogram > 0 (+10) + UP (+10)
        // + return 8 % (in 5–10: +10) = 85.
        assert!((x.lookback_return_pct.unwrap() - 8.0).abs() < 1e-9);
        assert!((x.benchmark_return_pct.unwrap() - 3.0).abs() < 1e-9);
        assert!((x.alpha.unwrap() - 5.0).abs() < 1e-9);
        assert_eq!((x.strength, x.strength_complete), (Some(85.0), true));
        assert_eq!((x.trend, x.note.as_deref()), (Some(Trend::Up), None));
        assert_eq!(x.lookback_from, Some(date(2026, 3, 1)));
        assert!(x.alerts.is_empty());
        // P 1 296 → weight 324 / 1 296 = 25 %.
        set_weights(&mut rows, dec!(1296));
        assert_eq!(rows[0].weight_pct, Some(25.0));
    }

    #[test]
    fn every_stop_fires_on_its_edge() {
        let r = rules();
        let as_of = date(2026, 3, 31);
        // Cost 100, price 92 = exactly −8 %: percentage stop. Strength 50 + RSI 50 (+5)
        // − histogram (10) − DOWN (10) − return −8 % (10) = 25 < 50: time stop. Alpha
        // −8 − SPY 0 = −8 < −5: portfolio stop. With 31 bars the SMA50 of the closes is
        // unknown, so the technical stop stays silent (it has its own test).
        let aaa = scripted(as_of, &closes(92.0), row(-0.5, false, 95.0));
        let spy = scripted(as_of, &[200.0; 31], row(0.5, true, 200.0));
        let f = facts(&aaa, as_of, &r).unwrap();
        assert_eq!(f.sma(50), None);
        let x = holding_row(&holding(dec!(1), dec!(100)), Some(&f), None, Some(&spy), &r);
        let kinds: Vec<StopKind> = x.alerts.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            vec![StopKind::Percentage, StopKind::Time, StopKind::Portfolio]
        );
        assert_eq!(
            x.alerts[0].message,
            "down 8.0 % from cost 100 (stop at 8 %)"
        );
        assert_eq!(x.alerts[1].message, "strength 25 under 50");
        assert_eq!(x.alerts[2].message, "alpha -8.0 pp under -5");
        assert!(x.has_hard_stop());
        // 92.01 is above the 92 stop: no percentage stop.
        let above_stop = scripted(as_of, &closes(92.01), row(-0.5, false, 95.0));
        let f = facts(&above_stop, as_of, &r).unwrap();
        let y = holding_row(&holding(dec!(1), dec!(100)), Some(&f), None, Some(&spy), &r);
        assert!(y.alerts.iter().all(|a| a.kind != StopKind::Percentage));
    }

    #[test]
    fn technical_stop_on_the_sma_of_closes() {
        let r = rules();
        let as_of = date(2026, 3, 31);
        // 60 closes of 100 then 99: SMA50 = (49 × 100 + 99)/50 = 99.98 > 99 → technical.
        let mut c = vec![100.0; 60];
        c.push(99.0);
        let series = scripted(as_of, &c, row(0.5, true, 90.0));
        let f = facts(&series, as_of, &r).unwrap();
        let x = holding_row(&holding(dec!(1), dec!(99)), Some(&f), None, None, &r);
        assert_eq!(x.alerts.len(), 1);
        assert_eq!(x.alerts[0].message, "close 99.00 below SMA50 99.98");
        // Without a benchmark the alpha is unknown and the row says why.
        assert_eq!(x.alpha, None);
        assert_eq!(x.note.as_deref(), Some("no benchmark data: alpha unknown"));
    }

    #[test]
    fn no_data_is_a_row_with_a_note() {
        let x = holding_row(&holding(dec!(2), dec!(10)), None, None, None, &rules());
        assert_eq!((x.price, x.value, x.strength), (None, None, None));
        assert_eq!(x.cost_basis, dec!(20));
        assert_eq!(
            x.note.as_deref(),
            Some("no price data on or before the as-of date")
        );
    }
}
