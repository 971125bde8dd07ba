//! The demo market: synthetic, deterministic, and labelled DEMO DATA everywhere.
//!
//! A market factor drives SPY; every stock adds its beta to that factor plus its own drift
//! and noise. One scripted 15–20 % correction hits the whole market about a year and a half
//! before the as-of date, three names bleed persistently, and two of the holdings slump
//! over the last two months so that the morning check has something to say. The same
//! version and the same as-of date always give the same rows.

use chrono::{Duration, NaiveDate, NaiveTime};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

use super::rng::SplitMix64;
use crate::domain::analyzer::SymbolSeries;
use crate::domain::bar::Bar;
use crate::domain::calendar;
use crate::domain::indicators::IndicatorRow;
use crate::domain::journal::{
    classify_outcome, judge_not_taken, trade_profit, SignalRecord, SignalType,
};
use crate::domain::portfolio::{to_cents, to_price, AccountBalance, Holding, WatchItem};
use crate::domain::returns::lookback_return_pct;
use crate::domain::signal::{signal_strength, SignalInputs, SignalRules};
use crate::domain::symbol::Symbol;

pub const DEMO_LABEL: &str = "DEMO DATA";
pub const DEMO_SOURCE: &str = "demo";
/// About 6.3 years of sessions.
pub const DEMO_DAYS: usize = 1600;
const SEED: u64 = 0x00D0_C71E_2026;
const INITIAL_EQUITY: i64 = 30_000;

struct TickerSpec {
    name: &'static str,
    beta: f64,
    drift: f64,
    vol: f64,
    start: f64,
    /// Extra daily log drift over the last 40 sessions (the recent slump of two holdings).
    recent_slump: f64,
}

const fn spec(name: &'static str, beta: f64, drift: f64, vol: f64, start: f64) -> TickerSpec {
    TickerSpec {
        name,
        beta,
        drift,
        vol,
        start,
        recent_slump: 0.0,
    }
}

/// Holdings first (7), then the 20 watchlist names.
const STOCKS: &[TickerSpec] = &[
    spec("NOVA", 1.2, 0.088, 0.28, 42.0),
    spec("HELX", 0.9, 0.056, 0.22, 88.0),
    spec("ORBT", 1.3, 0.072, 0.34, 31.0),
    spec("LUMA", 1.0, 0.048, 0.20, 120.0),
    spec("TERA", 1.1, 0.064, 0.26, 64.0),
    TickerSpec {
        recent_slump: -0.0045,
        ..spec("CRYO", 1.1, -0.22, 0.32, 75.0)
    },
    TickerSpec {
        recent_slump: -0.004,
        ..spec("DRFT", 0.8, -0.18, 0.27, 54.0)
    },
    spec("ZNTH", 1.4, 0.12, 0.38, 60.0),
    spec("QUBE", 1.2, 0.104, 0.30, 25.0),
    spec("AERO", 0.9, 0.04, 0.21, 140.0),
    spec("BIOS", 0.7, 0.032, 0.30, 48.0),
    spec("FLUX", 1.3, 0.096, 0.36, 19.0),
    spec("GRDX", 1.0, 0.06, 0.24, 72.0),
    spec("HALO", 0.8, 0.024, 0.18, 95.0),
    spec("KITE", 1.1, 0.08, 0.29, 37.0),
    spec("MAGN", 1.2, 0.112, 0.31, 210.0),
    spec("NEXA", 1.0, 0.016, 0.25, 52.0),
    spec("OPTK", 1.5, 0.14, 0.42, 15.0),
    spec("PYRA", 0.6, 0.02, 0.16, 66.0),
    spec("RIVR", 0.9, 0.048, 0.23, 83.0),
    spec("SOLR", 1.4, 0.072, 0.40, 28.0),
    spec("TIDE", 0.7, 0.036, 0.19, 104.0),
    spec("UMBR", 1.1, 0.068, 0.27, 58.0),
    spec("VEXL", 1.0, 0.084, 0.26, 44.0),
    spec("WAVE", 1.2, 0.052, 0.30, 36.0),
    spec("XYLO", 0.8, 0.044, 0.22, 77.0),
    spec("SLUG", 1.0, -0.25, 0.30, 40.0),
];
const HOLDINGS: usize = 7;
/// ZNTH split 2:1 this many sessions before the end; older raw prices are twice the adjusted.
const SPLIT_SYMBOL: &str = "ZNTH";
const SPLIT_AGO: usize = 500;

pub struct DemoData {
    pub as_of: NaiveDate,
    pub prices: Vec<(Symbol, Vec<Bar>)>,
    pub holdings: Vec<Holding>,
    pub watchlist: Vec<WatchItem>,
    pub balances: Vec<AccountBalance>,
    pub signals: Vec<SignalRecord>,
}

fn sym(name: &str) -> Symbol {
    Symbol::parse(name).expect("demo symbols are valid")
}

fn money(v: f64) -> Decimal {
    Decimal::from_f64(v).map(to_cents).unwrap_or_default()
}

/// Builds the whole demo dataset for sessions ending on or before `as_of`.
pub fn generate(as_of: NaiveDate) -> DemoData {
    let days = calendar::trading_days_ending(as_of, DEMO_DAYS);
    let mut rng = SplitMix64::new(SEED);
    let market = market_factor(&mut rng, days.len());
    let mut prices = vec![
        (
            sym("SPY"),
            bars_for(&mut rng, &days, &market, 1.0, 0.0, 0.02, 0.0, 300.0, 8.0e7),
        ),
        (
            sym("QQQ"),
            bars_for(&mut rng, &days, &market, 1.2, 0.02, 0.06, 0.0, 250.0, 4.0e7),
        ),
    ];
    for s in STOCKS {
        let volume = 2.0e5 + rng.uniform() * 4.0e6;
        let mut bars = bars_for(
            &mut rng,
            &days,
            &market,
            s.beta,
            s.drift,
            s.vol,
            s.recent_slump,
            s.start,
            volume,
        );
        if s.name == SPLIT_SYMBOL {
            apply_split(&mut bars, days.len() - SPLIT_AGO);
        }
        prices.push((sym(s.name), bars));
    }
    let last = *days.last().expect("demo has sessions");
    let holdings = demo_holdings(&prices, &days);
    let balances = demo_balances(&prices, &holdings, last);
    let watchlist = STOCKS[HOLDINGS..]
        .iter()
        .enumerate()
        .map(|(i, s)| WatchItem {
            symbol: sym(s.name),
            added: days[days.len() - 400 + i * 13],
            notes: Some(DEMO_LABEL.to_string()),
        })
        .collect();
    let signals = demo_signals(&prices, &days);
    DemoData {
        as_of: last,
        prices,
        holdings,
        watchlist,
        balances,
        signals,
    }
}

/// Daily log returns of the market, with the scripted correction and its recovery.
fn market_factor(rng: &mut SplitMix64, n: usize) -> Vec<f64> {
    let (mu, sigma) = (0.11 / 252.0, 0.13 / 252f64.sqrt());
    let correction_start = n - 380;
    (0..n)
        .map(|i| {
            let scripted = if (correction_start..correction_start + 45).contains(&i) {
                -0.0030
            } else if (correction_start + 45..correction_start + 120).contains(&i) {
                0.0018
            } else {
                0.0
            };
            mu + scripted + sigma * rng.normal()
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn bars_for(
    rng: &mut SplitMix64,
    days: &[NaiveDate],
    market: &[f64],
    beta: f64,
    drift: f64,
    vol: f64,
    recent_slump: f64,
    start: f64,
    base_volume: f64,
) -> Vec<Bar> {
    let idio = vol / 252f64.sqrt();
    let n = days.len();
    let mut close = start;
    let mut bars = Vec::with_capacity(n);
    for (i, day) in days.iter().enumerate() {
        let slump = if i + 40 >= n { recent_slump } else { 0.0 };
        let r = beta * market[i] + drift / 252.0 + slump + idio * rng.normal();
        let open = close * (0.004 * rng.normal()).exp();
        close *= r.exp();
        let high = open.max(close) * (1.0 + 0.008 * rng.normal().abs());
        let low = open.min(close) * (1.0 - 0.008 * rng.normal().abs());
        let spike = if rng.uniform() < 0.03 {
            2.5 + 2.5 * rng.uniform()
        } else {
            1.0
        };
        let volume = base_volume * (0.25 * rng.normal()).exp() * spike;
        let close_d = money(close);
        bars.push(Bar {
            date: *day,
            open: Some(money(open)),
            high: Some(money(high).max(money(open)).max(close_d)),
            low: Some(money(low).min(money(open)).min(close_d)),
            close: close_d,
            adj_close: Some(close_d),
            volume: Some(volume.round() as i64),
        });
    }
    bars
}

/// Rewrites the bars before `split_index` as a 2:1 split's raw prices: the vendor shows
/// twice the price and half the volume, while `adj_close` stays continuous.
fn apply_split(bars: &mut [Bar], split_index: usize) {
    let two = Decimal::TWO;
    for bar in &mut bars[..split_index] {
        bar.open = bar.open.map(|v| v * two);
        bar.high = bar.high.map(|v| v * two);
        bar.low = bar.low.map(|v| v * two);
        bar.close *= two;
        bar.volume = bar.volume.map(|v| v / 2);
    }
}

fn demo_holdings(prices: &[(Symbol, Vec<Bar>)], days: &[NaiveDate]) -> Vec<Holding> {
    let target_values = [4200, 3800, 3500, 3300, 3000, 2600, 2400];
    let opened_ago = [350, 300, 250, 200, 150, 120, 90];
    STOCKS[..HOLDINGS]
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let bars = &prices[i + 2].1;
            let now = bars.last().expect("bars").adjusted_close();
            let opened = days.len() - opened_ago[i];
            let quantity = (Decimal::from(target_values[i]) / now)
                .floor()
                .max(Decimal::ONE);
            Holding {
                symbol: sym(s.name),
                quantity,
                avg_cost: to_price(bars[opened].adjusted_close()),
                opened: Some(days[opened]),
                notes: Some(DEMO_LABEL.to_string()),
            }
        })
        .collect()
}

/// Monthly balances for a year, ending with today's: equity lands on $30,000 today.
fn demo_balances(
    prices: &[(Symbol, Vec<Bar>)],
    holdings: &[Holding],
    last: NaiveDate,
) -> Vec<AccountBalance> {
    let positions: Decimal = holdings
        .iter()
        .map(|h| {
            let bars = &prices.iter().find(|(s, _)| *s == h.symbol).expect("held").1;
            h.quantity * bars.last().expect("bars").adjusted_close()
        })
        .sum();
    let margin_used = Decimal::from(1500);
    let cash = to_cents(Decimal::from(INITIAL_EQUITY) - positions + margin_used);
    (0..13)
        .rev()
        .map(|months_ago| {
            let as_of = last - Duration::days(30 * months_ago);
            // Earlier months held a little more cash before the last purchases.
            let earlier = Decimal::from(months_ago * 85);
            AccountBalance {
                as_of,
                cash: cash + earlier,
                margin_available: Decimal::from(15_000),
                margin_used,
                notes: Some(DEMO_LABEL.to_string()),
            }
        })
        .collect()
}

fn demo_signals(prices: &[(Symbol, Vec<Bar>)], days: &[NaiveDate]) -> Vec<SignalRecord> {
    let sources = ["morning_check", "intraday", "manual"];
    let series: Vec<SymbolSeries> = prices
        .iter()
        .map(|(_, b)| SymbolSeries::new(b.clone()))
        .collect();
    (0..40)
        .map(|k| {
            let stock = 2 + (k * 11) % STOCKS.len();
            let is_sell = k % 7 == 3 && stock < 2 + HOLDINGS;
            let week = days.len() - 290 + k * 7;
            // Like the live checks, a BUY fires on a session scoring at least 55 and a SELL
            // on one under 50: the first such session of the week, else its first session.
            let index = (week..week + 5)
                .find(|&i| {
                    let score = technicals(&series[stock], i).2;
                    if is_sell {
                        score < 50.0
                    } else {
                        score >= 55.0
                    }
                })
                .unwrap_or(week);
            let mut s = demo_signal(&prices[stock], index, k, sources[k % 3], is_sell);
            describe_technicals(&mut s, &series[stock], index);
            s
        })
        .collect()
}

fn demo_signal(
    (symbol, bars): &(Symbol, Vec<Bar>),
    index: usize,
    k: usize,
    source: &str,
    is_sell: bool,
) -> SignalRecord {
    let day = bars[index].date;
    let time = day.and_time(NaiveTime::from_hms_opt(9, 35, 0).expect("time"));
    let side = if is_sell {
        SignalType::Sell
    } else {
        SignalType::Buy
    };
    let mut s = SignalRecord::new(time, symbol.clone(), side, source);
    let price = to_price(bars[index].adjusted_close());
    let quantity = (Decimal::from(1500) / price).floor().max(Decimal::ONE);
    s.price_at_signal = Some(price);
    s.target_entry = Some(price);
    s.target_exit = Some(to_price(price * Decimal::new(110, 2)));
    s.stop_loss = Some(to_price(price * Decimal::new(92, 2)));
    s.suggested_action = Some(if is_sell { "REDUCE" } else { "ENTER" }.to_string());
    s.suggested_quantity = quantity.to_i32();
    s.suggested_allocation_pct =
        Some((quantity * price / Decimal::from(INITIAL_EQUITY) * Decimal::ONE_HUNDRED).round_dp(2));
    s.risk_level = Some(["LOW", "MEDIUM", "HIGH"][k % 3].to_string());
    s.notes = Some(format!("{DEMO_LABEL}: generated signal"));
    let taken = is_sell || matches!(k % 5, 0 | 2);
    if taken {
        take_and_maybe_exit(&mut s, bars, index, quantity, 10 + (k % 4) * 5);
    } else if index + 20 < bars.len() {
        let (outcome, potential) = judge_not_taken(
            &bars[index + 1..=index + 20],
            price,
            s.target_exit.unwrap_or(price),
            s.stop_loss.unwrap_or(price),
            quantity,
        );
        s.outcome = Some(outcome);
        s.max_profit_potential = Some(potential);
    }
    s
}

fn take_and_maybe_exit(
    s: &mut SignalRecord,
    bars: &[Bar],
    index: usize,
    qty: Decimal,
    hold: usize,
) {
    let entry_bar = &bars[(index + 1).min(bars.len() - 1)];
    let f = entry_bar.adjustment_factor();
    let entry = to_price(entry_bar.open.unwrap_or(entry_bar.close) * f);
    s.action_taken = true;
    s.actual_entry_date = Some(entry_bar.date);
    s.actual_entry_price = Some(entry);
    s.actual_quantity = qty.to_i32();
    let exit_index = index + 1 + hold;
    // Signals from the last seven weeks stay open, so the journal has live positions.
    if exit_index >= bars.len() || index + 35 > bars.len() {
        return;
    }
    let exit_bar = &bars[exit_index];
    let exit = to_price(exit_bar.adjusted_close());
    let profit = trade_profit(s.signal_type, entry, exit, qty, Decimal::ZERO);
    s.exit_date = Some(exit_bar.date);
    s.exit_price = Some(exit);
    s.actual_profit = Some(profit);
    s.days_held = i32::try_from((exit_bar.date - entry_bar.date).num_days()).ok();
    s.outcome = Some(classify_outcome(profit, entry * qty, 0.5));
}

/// The indicators, lookback return and strength of one session, with the live rules.
fn technicals(series: &SymbolSeries, index: usize) -> (IndicatorRow, Option<f64>, f64) {
    let row = series.indicators[index];
    let dates: Vec<NaiveDate> = series.bars.iter().map(|b| b.date).collect();
    let closes: Vec<f64> = series
        .bars
        .iter()
        .map(|b| adjusted_f64(b.adjusted_close()))
        .collect();
    let lookback = lookback_return_pct(&dates, &closes, index, 30);
    let strength = signal_strength(
        &SignalInputs::from_row(&row, lookback),
        &SignalRules::default(),
    )
    .score;
    (row, lookback, strength)
}

/// Fills the indicator columns and the strength from the session's technicals.
fn describe_technicals(s: &mut SignalRecord, series: &SymbolSeries, index: usize) {
    let (row, lookback, strength) = technicals(series, index);
    s.describe_technicals(&row, strength, SignalInputs::from_row(&row, lookback).trend);
}

fn adjusted_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Names of the demo holdings that were scripted to lag the market.
pub fn scripted_laggards() -> Vec<&'static str> {
    STOCKS
        .iter()
        .filter(|s| s.recent_slump < 0.0)
        .map(|s| s.name)
        .collect()
}

pub fn demo_symbol_count() -> usize {
    STOCKS.len() + 2
}

pub fn holding_count() -> usize {
    HOLDINGS
}

#[cfg(test)]
#[path = "demo_tests.rs"]
mod tests;
