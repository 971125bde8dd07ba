//! Metric known answers: a hand-built 10-day equity series, the first-day peak, the verdict.

use chrono::NaiveDate;
use rust_decimal_macros::dec;

use super::metrics::{self, TradeStats};
use super::{verdict, Outcome};
use crate::domain::calendar::trading_days_ending;

fn backtest_rules() -> crate::domain::rules::BacktestRules {
    crate::config::Config::default().backtest
}

#[test]
fn hand_built_ten_day_series() {
    // Returns +2 %, −1 %, +3 %, −2 %, +1 %, 0, +2 %, −1 %, +1 % on 100.
    let r = [0.02, -0.01, 0.03, -0.02, 0.01, 0.0, 0.02, -0.01, 0.01];
    let mut values = vec![100.0];
    for x in r {
        values.push(values.last().unwrap() * (1.0 + x));
    }
    let dates = trading_days_ending(NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(), 10);
    let m = metrics::metrics(
        &dates,
        &values,
        &values,
        dec!(0),
        TradeStats::default(),
        0.0,
    );
    // Mean = 0.05 / 9. Σr² = 0.0025, so Σ(r − mean)² = 0.0025 − 0.05²/9 = 0.02/9 and the
    // sample variance is 0.02/9/8 = 1/3600: sd = 1/60. Sharpe = (0.05/9)/(1/60)·√252 = √252/3.
    assert!((m.sharpe.unwrap() - 252f64.sqrt() / 3.0).abs() < 1e-9);
    assert!((m.volatility_pct.unwrap() - 252f64.sqrt() / 60.0 * 100.0).abs() < 1e-9);
    // Downside over all 9 returns: √((0.01² + 0.02² + 0.01²)/9) = √(0.0006/9).
    let sortino = (0.05 / 9.0) / (0.0006f64 / 9.0).sqrt() * 252f64.sqrt();
    assert!((m.sortino.unwrap() - sortino).abs() < 1e-9);
    // Peak after day 3 (104.0094), −2 % on day 4 is the trough; day 7 (105.0075) recovers:
    // max drawdown exactly 2 %, 4 trading days from peak to recovery.
    assert!((m.max_drawdown_pct - 2.0).abs() < 1e-9);
    assert_eq!(
        (m.max_drawdown_peak, m.max_drawdown_trough),
        (dates[3], dates[4])
    );
    assert_eq!(
        (m.max_drawdown_recovered, m.max_drawdown_days),
        (Some(dates[7]), 4)
    );
    // CAGR over 9 returns: (E9/100)^(252/9) − 1, E9 = 100 · Π(1 + r).
    let growth: f64 = r.iter().map(|x| 1.0 + x).product();
    let cagr = (growth.powf(252.0 / 9.0) - 1.0) * 100.0;
    assert!((m.cagr_pct.unwrap() - cagr).abs() < 1e-9);
    assert!((m.total_return_pct - (growth - 1.0) * 100.0).abs() < 1e-9);
    // Against itself: beta 1, alpha 0.
    assert!((m.beta.unwrap() - 1.0).abs() < 1e-12 && m.alpha_capm_pct.unwrap().abs() < 1e-9);
}

#[test]
fn first_day_counts_as_a_peak() {
    let dates = trading_days_ending(NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(), 3);
    // 100 → 90 → 95: 10 % below the first day, never recovered; 2 days to the end.
    let d = metrics::max_drawdown(&dates, &[100.0, 90.0, 95.0]);
    assert!((d.pct - 10.0).abs() < 1e-12);
    assert_eq!(
        (d.peak, d.trough, d.recovered, d.days),
        (dates[0], dates[1], None, 2)
    );
}

#[test]
fn verdict_thresholds() {
    let dates = trading_days_ending(NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(), 3);
    let m = metrics::metrics(
        &dates,
        &[100.0, 110.0, 121.0],
        &[100.0; 3],
        dec!(121),
        TradeStats::default(),
        0.0,
    );
    let v = verdict(&m, &backtest_rules());
    let outcomes: Vec<Outcome> = v.criteria.iter().map(|c| c.outcome).collect();
    // +21 % vs 0: alpha PASS; constant returns: Sharpe undefined → FAIL; no drawdown PASS;
    // no closed trades → FAIL.
    assert_eq!(
        outcomes,
        [Outcome::Pass, Outcome::Fail, Outcome::Pass, Outcome::Fail]
    );
    assert_eq!(v.passed, 2);
}

#[test]
fn drawdown_curve_from_the_running_peak() {
    // 100 → 110 (new peak) → 99 (10 % under 110) → 121 (peak again).
    let dd = metrics::drawdown_curve(&[100.0, 110.0, 99.0, 121.0]);
    assert_eq!(dd[..2], [0.0, 0.0]);
    assert!((dd[2] - 10.0).abs() < 1e-12 && dd[3] == 0.0);
}
