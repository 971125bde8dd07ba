//! Tests of `demo.rs`.

use super::*;
use crate::domain::returns::lookback_return_pct;

fn closes(data: &DemoData, name: &str) -> (Vec<NaiveDate>, Vec<f64>) {
    let bars = &data
        .prices
        .iter()
        .find(|(s, _)| s.as_str() == name)
        .unwrap()
        .1;
    (
        bars.iter().map(|b| b.date).collect(),
        bars.iter().map(|b| b.adjusted().close).collect(),
    )
}

#[test]
fn the_market_has_one_correction_of_15_to_20_percent() {
    let data = generate(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
    let (_, spy) = closes(&data, "SPY");
    let (mut peak, mut worst) = (f64::MIN, 0.0f64);
    for c in &spy {
        peak = peak.max(*c);
        worst = worst.min(c / peak - 1.0);
    }
    assert!((-0.20..=-0.15).contains(&worst), "max drawdown {worst}");
}

#[test]
fn two_holdings_clearly_lag_spy_and_the_rest_is_sane() {
    let data = generate(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
    assert_eq!(data.as_of, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
    assert_eq!(data.prices.len(), demo_symbol_count());
    assert!(data.prices.iter().all(|(_, b)| b.len() == DEMO_DAYS));
    assert_eq!(data.holdings.len(), holding_count());
    assert_eq!(data.watchlist.len(), 20);
    assert_eq!(data.signals.len(), 40);
    let (dates, spy) = closes(&data, "SPY");
    let last = dates.len() - 1;
    let spy_ret = lookback_return_pct(&dates, &spy, last, 30).unwrap();
    for name in scripted_laggards() {
        let (d, c) = closes(&data, name);
        let alpha = lookback_return_pct(&d, &c, last, 30).unwrap() - spy_ret;
        assert!(alpha < -5.0, "{name} alpha {alpha}");
    }
    // Equity lands on $30,000: cash + positions − margin used.
    let b = data.balances.last().unwrap();
    let positions: Decimal = data
        .holdings
        .iter()
        .map(|h| {
            h.quantity
                * data
                    .prices
                    .iter()
                    .find(|(s, _)| *s == h.symbol)
                    .unwrap()
                    .1
                    .last()
                    .unwrap()
                    .adjusted_close()
        })
        .sum();
    let equity = b.cash + positions - b.margin_used;
    assert!(
        (equity - Decimal::from(30_000)).abs() < Decimal::new(1, 2),
        "{equity}"
    );
    // Every bar is internally consistent.
    for (s, bars) in &data.prices {
        for bar in bars {
            assert!(
                bar.low.unwrap() <= bar.high.unwrap() && bar.low.unwrap() > Decimal::ZERO,
                "{s} {}",
                bar.date
            );
        }
    }
}
