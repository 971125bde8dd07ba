//! The hand-made market of the end-to-end tests in `tests.rs`.
//!
//! Every series has one bar per calendar day ending 2026-03-31 and hand-set indicators
//! (`fixtures::row`), so each strength is 50 + RSI 50 (+5) ± histogram (10) ± trend (10) +
//! the lookback-return term from the closes. The lookback base is 03-01 (31 bars back).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::fixtures::{date, row, rules, scripted, sym};
use super::*;

/// 30 closes of `base` (03-01 … 03-30), then `last` on 03-31.
pub(super) fn closes(base: f64, last: f64) -> Vec<f64> {
    let mut c = vec![base; 31];
    c[30] = last;
    c
}

/// SPY: 259 closes of 200, then `last`. At 206: +3 % over the lookback, at its 52-week
/// high and above its SMA200 (≈ 200.03) → BULL.
pub(super) fn spy(last: f64) -> SymbolSeries {
    let mut c = vec![200.0; 260];
    c[259] = last;
    scripted(date(2026, 3, 31), &c, row(0.5, true, 200.0))
}

pub(super) fn holding(symbol: &str, quantity: Decimal, avg_cost: Decimal) -> Holding {
    Holding::new(sym(symbol), quantity, avg_cost, None, None).unwrap()
}

pub(super) fn watch(symbol: &str) -> WatchItem {
    WatchItem {
        symbol: sym(symbol),
        added: date(2026, 1, 2),
        notes: None,
    }
}

pub(super) fn balance(cash: Decimal) -> AccountBalance {
    AccountBalance {
        as_of: date(2026, 3, 31),
        cash,
        margin_available: dec!(5000),
        margin_used: dec!(0),
        notes: None,
    }
}

/// The market of the main scenario:
/// - WEAK 100 → 95 (−5 %, alpha −8), histogram < 0, DOWN: 50 + 5 − 10 − 10 − 10 = 25.
/// - GOOD 50 → 54 (+8 %, alpha +5), > 0, UP: 50 + 5 + 10 + 10 + 10 = 85.
/// - MID 60 → 59.4 (−1 %, alpha −4), > 0, UP: 50 + 5 + 10 + 10 − 5 = 70.
/// - STAR 40 → 44.4 (+11 %, alpha +8), > 0, UP: 50 + 5 + 10 + 10 + 15 = 90. Volatility of
///   19 flat days and one +11 % day: mean 0.0055, sd √((19·0.0055² + 0.1045²)/19) = 0.0246
///   → × √252 = 39.0 % > 25 → MEDIUM.
/// - NICE 30 → 31.5 (+5 %, alpha +2): 50 + 5 + 10 + 10 + 10 = 85. Volatility: sd
///   √((19·0.0025² + 0.0475²)/19) = 0.01118 → 17.7 % → LOW.
/// - MEH flat 20, histogram < 0, UP: 50 + 5 − 10 + 10 + 0 = 55 (not an opportunity).
pub(super) fn market() -> MarketSnapshot {
    let as_of = date(2026, 3, 31);
    let s = |c: Vec<f64>, r| scripted(as_of, &c, r);
    MarketSnapshot {
        as_of,
        series: BTreeMap::from([
            (sym("SPY"), spy(206.0)),
            (sym("WEAK"), s(closes(100.0, 95.0), row(-0.5, false, 99.0))),
            (sym("GOOD"), s(closes(50.0, 54.0), row(0.5, true, 50.0))),
            (sym("MID"), s(closes(60.0, 59.4), row(0.5, true, 60.0))),
            (sym("STAR"), s(closes(40.0, 44.4), row(0.5, true, 40.0))),
            (sym("NICE"), s(closes(30.0, 31.5), row(0.5, true, 30.0))),
            (sym("MEH"), s(closes(20.0, 20.0), row(-0.5, true, 20.0))),
        ]),
        splits_after: Default::default(),
    }
}

/// Values: WEAK 10 × 95 = 950, GOOD 20 × 54 = 1 080, MID 10 × 59.4 = 594, LOST has no
/// data. Cash 7 376: P = 7 376 + 950 + 1 080 + 594 = 10 000.
pub(super) fn holdings() -> Vec<Holding> {
    vec![
        holding("WEAK", dec!(10), dec!(100)),
        holding("GOOD", dec!(20), dec!(50)),
        holding("MID", dec!(10), dec!(60)),
        holding("LOST", dec!(5), dec!(10)),
    ]
}

pub(super) fn watchlist() -> Vec<WatchItem> {
    ["STAR", "NICE", "GOOD", "MEH", "GHOST"].map(watch).to_vec()
}

pub(super) fn run(mode: CheckMode) -> Analysis {
    let account = balance(dec!(7376));
    analyze(
        &holdings(),
        &watchlist(),
        Some(&account),
        &market(),
        &rules(),
        mode,
    )
}

/// One holding of 100 × 70 (flat: strength 75, alpha −3) and cash 3 000: P = 10 000, cash
/// exactly 30 % of P, 1 000 above the reserve. STAR wants 1 750, so 750 must be borrowed.
pub(super) fn margin_run(spy_last: f64, enabled: bool) -> Analysis {
    let mut m = market();
    m.series.insert(
        sym("HOLD"),
        scripted(m.as_of, &closes(70.0, 70.0), row(0.5, true, 70.0)),
    );
    m.series.insert(sym("SPY"), spy(spy_last));
    let mut r = rules();
    r.margin.enabled = enabled;
    let account = balance(dec!(3000));
    analyze(
        &[holding("HOLD", dec!(100), dec!(60))],
        &[watch("STAR")],
        Some(&account),
        &m,
        &r,
        CheckMode::Morning,
    )
}
