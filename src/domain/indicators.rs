//! Technical indicators, following TA-Lib's conventions so that every number can be
//! checked against TA-Lib on the same bars (DESIGN §5 "Indicators").
//!
//! Every function returns one `Option<f64>` per input bar: `None` until the
//! indicator's lookback is filled (TA-Lib's leading NULLs), and never NaN. Inputs are
//! expected to be already split- and dividend-adjusted and finite; a non-finite value
//! that would otherwise leak into an output becomes `None` instead.
//!
//! Deliberate difference from TA-Lib: RSI of a flat stretch (no gains and no losses)
//! is 50, where TA-Lib reports 0. TA-Lib also treats `avgGain + avgLoss < 1e-8` as
//! zero; here only an exact zero is flat, so tiny-priced series keep their true RSI.
//! Periods of 0 yield all `None` (TA-Lib rejects them as bad parameters).

use serde::{Deserialize, Serialize};

/// Trading days per year, used to annualise daily volatility.
pub const TRADING_DAYS_PER_YEAR: f64 = 252.0;

pub const SMA_SHORT: usize = 20;
pub const SMA_MEDIUM: usize = 50;
pub const SMA_LONG: usize = 200;
pub const MACD_FAST: usize = 12;
pub const MACD_SLOW: usize = 26;
pub const MACD_SIGNAL: usize = 9;
pub const RSI_PERIOD: usize = 14;
pub const ATR_PERIOD: usize = 14;
pub const VOLUME_RATIO_PERIOD: usize = 20;

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Simple moving average: the mean of the last `n` values; first output at index `n - 1`.
pub fn sma(values: &[f64], n: usize) -> Vec<Option<f64>> {
    let mut out = vec![None; values.len()];
    if n == 0 {
        return out;
    }
    // Each window is summed afresh rather than with a running sum, so one huge value
    // (a bad volume print) cannot leave cancellation error in every later window.
    for (i, window) in values.windows(n).enumerate() {
        out[i + n - 1] = finite(mean(window));
    }
    out
}

/// Exponential moving average with α = 2/(n+1), seeded with the SMA of the first `n`
/// values; first output at index `n - 1` (TA-Lib `EMA`).
pub fn ema(values: &[f64], n: usize) -> Vec<Option<f64>> {
    ema_from(values, n, n.saturating_sub(1))
}

/// EMA whose first value sits at index `first`, seeded with the mean of the `n` values
/// ending there. TA-Lib starts MACD's fast EMA late this way so both EMAs begin together.
fn ema_from(values: &[f64], n: usize, first: usize) -> Vec<Option<f64>> {
    let mut out = vec![None; values.len()];
    if n == 0 || first + 1 < n || first >= values.len() {
        return out;
    }
    let k = 2.0 / (n as f64 + 1.0);
    let mut prev = mean(&values[first + 1 - n..=first]);
    out[first] = finite(prev);
    for (slot, &x) in out.iter_mut().zip(values).skip(first + 1) {
        prev += (x - prev) * k;
        *slot = finite(prev);
    }
    out
}

/// MACD line, signal line and histogram, aligned with the input bars.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Macd {
    pub line: Vec<Option<f64>>,
    pub signal: Vec<Option<f64>>,
    pub hist: Vec<Option<f64>>,
}

/// TA-Lib's `MACD`. Both EMAs start at bar `slow - 1`, the fast one seeded with the
/// mean of the `fast` bars ending there, so the line is *not* `ema(fast) - ema(slow)`
/// early in a series. The signal is an SMA-seeded EMA of the line. Like TA-Lib, all
/// three outputs start together at bar `slow + signal - 2` (33 for 12/26/9), and a
/// `fast` longer than `slow` is swapped.
pub fn macd(values: &[f64], fast: usize, slow: usize, signal: usize) -> Macd {
    let len = values.len();
    let none = || vec![None; len];
    let (fast, slow) = if slow < fast {
        (slow, fast)
    } else {
        (fast, slow)
    };
    if fast == 0 || signal == 0 || slow + signal - 2 >= len {
        return Macd {
            line: none(),
            signal: none(),
            hist: none(),
        };
    }
    let start = slow - 1;
    let fast_ema = ema_from(values, fast, start);
    let slow_ema = ema_from(values, slow, start);
    // The line from `start` on, as plain numbers so it can feed the signal EMA.
    let raw_line: Vec<f64> = (start..len)
        .map(|i| match (fast_ema[i], slow_ema[i]) {
            (Some(f), Some(s)) => f - s,
            _ => f64::NAN,
        })
        .collect();
    let raw_signal = ema(&raw_line, signal);
    let first = slow + signal - 2;
    let (mut line, mut sig, mut hist) = (none(), none(), none());
    for i in first..len {
        let l = finite(raw_line[i - start]);
        let s = raw_signal[i - start];
        line[i] = l;
        sig[i] = s;
        hist[i] = l.zip(s).and_then(|(l, s)| finite(l - s));
    }
    Macd {
        line,
        signal: sig,
        hist,
    }
}

/// Wilder's RSI: first averages are simple means of the first `n` gains and losses
/// (bars 1..=n), then `avg = (prev·(n−1) + x)/n`; first output at index `n`.
/// avgLoss 0 gives 100; a flat stretch gives 50 (TA-Lib: 0).
pub fn rsi(values: &[f64], n: usize) -> Vec<Option<f64>> {
    let mut out = vec![None; values.len()];
    if n == 0 || values.len() <= n {
        return out;
    }
    let change = |i: usize| values[i] - values[i - 1];
    let (mut avg_gain, mut avg_loss) = (0.0, 0.0);
    for i in 1..=n {
        avg_gain += change(i).max(0.0);
        avg_loss += (-change(i)).max(0.0);
    }
    let period = n as f64;
    avg_gain /= period;
    avg_loss /= period;
    out[n] = rsi_value(avg_gain, avg_loss);
    for (i, slot) in out.iter_mut().enumerate().skip(n + 1) {
        let d = change(i);
        avg_gain = (avg_gain * (period - 1.0) + d.max(0.0)) / period;
        avg_loss = (avg_loss * (period - 1.0) + (-d).max(0.0)) / period;
        *slot = rsi_value(avg_gain, avg_loss);
    }
    out
}

/// `100·G/(G+L)` equals `100 − 100/(1 + G/L)` and is TA-Lib's form; it also needs no
/// special case for L = 0 (it gives 100).
fn rsi_value(avg_gain: f64, avg_loss: f64) -> Option<f64> {
    let total = avg_gain + avg_loss;
    if total == 0.0 {
        return Some(50.0);
    }
    finite(100.0 * avg_gain / total)
}

/// Wilder's ATR (TA-Lib `ATR`): true range needs the previous close, so it exists from
/// bar 1; the first ATR, at index `n`, is the mean TR of bars 1..=n, then
/// `atr = (prev·(n−1) + tr)/n`.
///
/// # Panics
/// If the three slices differ in length.
pub fn atr(high: &[f64], low: &[f64], close: &[f64], n: usize) -> Vec<Option<f64>> {
    assert!(
        high.len() == close.len() && low.len() == close.len(),
        "atr: high, low and close must have one value per bar"
    );
    let mut out = vec![None; close.len()];
    if n == 0 || close.len() <= n {
        return out;
    }
    let true_range = |i: usize| {
        let prev_close = close[i - 1];
        (high[i] - low[i])
            .max((high[i] - prev_close).abs())
            .max((low[i] - prev_close).abs())
    };
    let period = n as f64;
    let mut prev = (1..=n).map(true_range).sum::<f64>() / period;
    out[n] = finite(prev);
    for (i, slot) in out.iter_mut().enumerate().skip(n + 1) {
        prev = (prev * (period - 1.0) + true_range(i)) / period;
        *slot = finite(prev);
    }
    out
}

/// Volume over its `n`-bar SMA (the SMA includes today's volume). `None` where the
/// average is zero, since "no volume relative to no volume" has no meaning.
pub fn volume_ratio(volume: &[f64], n: usize) -> Vec<Option<f64>> {
    sma(volume, n)
        .into_iter()
        .zip(volume)
        .map(|(avg, &v)| avg.filter(|&a| a != 0.0).and_then(|a| finite(v / a)))
        .collect()
}

/// Annualised volatility: sample standard deviation (n − 1) of the last `window` daily
/// simple returns × √252. Needs `window + 1` closes and `window >= 2`.
pub fn volatility_annualised(close: &[f64], window: usize) -> Option<f64> {
    if window < 2 || close.len() < window + 1 {
        return None;
    }
    let returns: Vec<f64> = close[close.len() - window - 1..]
        .windows(2)
        .map(|pair| pair[1] / pair[0] - 1.0)
        .collect();
    let avg = mean(&returns);
    let variance = returns.iter().map(|r| (r - avg).powi(2)).sum::<f64>() / (window as f64 - 1.0);
    finite(variance.sqrt() * TRADING_DAYS_PER_YEAR.sqrt())
}

/// Direction of SMA20 against SMA50.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Trend {
    Up,
    Down,
    Neutral,
}

impl Trend {
    pub fn as_str(self) -> &'static str {
        match self {
            Trend::Up => "UP",
            Trend::Down => "DOWN",
            Trend::Neutral => "NEUTRAL",
        }
    }
}

/// UP if SMA20 > SMA50, DOWN if lower, NEUTRAL if equal or either is missing.
pub fn trend(sma20: Option<f64>, sma50: Option<f64>) -> Trend {
    match (sma20, sma50) {
        (Some(short), Some(long)) if short > long => Trend::Up,
        (Some(short), Some(long)) if short < long => Trend::Down,
        _ => Trend::Neutral,
    }
}

/// Every indicator the product shows, for one bar.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct IndicatorRow {
    pub sma_20: Option<f64>,
    pub sma_50: Option<f64>,
    pub sma_200: Option<f64>,
    pub ema_12: Option<f64>,
    pub ema_26: Option<f64>,
    pub macd: Option<f64>,
    pub macd_signal: Option<f64>,
    pub macd_hist: Option<f64>,
    pub rsi_14: Option<f64>,
    pub volume_ratio: Option<f64>,
    pub atr_14: Option<f64>,
}

impl IndicatorRow {
    pub fn trend(&self) -> Trend {
        trend(self.sma_20, self.sma_50)
    }
}

/// All indicators for one symbol's adjusted bars, one row per bar.
///
/// # Panics
/// If the four slices differ in length.
pub fn compute_all(high: &[f64], low: &[f64], close: &[f64], volume: &[f64]) -> Vec<IndicatorRow> {
    assert_eq!(volume.len(), close.len(), "compute_all: one volume per bar");
    let sma_20 = sma(close, SMA_SHORT);
    let sma_50 = sma(close, SMA_MEDIUM);
    let sma_200 = sma(close, SMA_LONG);
    let ema_12 = ema(close, MACD_FAST);
    let ema_26 = ema(close, MACD_SLOW);
    let macd = macd(close, MACD_FAST, MACD_SLOW, MACD_SIGNAL);
    let rsi_14 = rsi(close, RSI_PERIOD);
    let volume_ratio = volume_ratio(volume, VOLUME_RATIO_PERIOD);
    let atr_14 = atr(high, low, close, ATR_PERIOD);
    (0..close.len())
        .map(|i| IndicatorRow {
            sma_20: sma_20[i],
            sma_50: sma_50[i],
            sma_200: sma_200[i],
            ema_12: ema_12[i],
            ema_26: ema_26[i],
            macd: macd.line[i],
            macd_signal: macd.signal[i],
            macd_hist: macd.hist[i],
            rsi_14: rsi_14[i],
            volume_ratio: volume_ratio[i],
            atr_14: atr_14[i],
        })
        .collect()
}

#[cfg(test)]
#[path = "indicators_tests.rs"]
mod tests;
