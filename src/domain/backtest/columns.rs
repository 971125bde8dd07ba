//! Compact columns for the prepared bars of a backtest (issue 18: 500 symbols × 25 years must
//! fit in 300 MiB). A `Bar` of `Option<Decimal>`s takes 120 bytes and an `IndicatorRow` of
//! eleven `Option<f64>`s 176; these columns keep the prices in 20 bytes and the indicators
//! the morning check reads in 32 a decision day.
//!
//! Exactness: a [`DecimalColumn`] gives back the very `Decimal` it was given (mantissa,
//! scale and sign), so every fill, valuation and reward/risk computes on the same figures as
//! before; the indicator columns are the same `f64`s, `NaN` standing for "not yet".

use rust_decimal::Decimal;

use super::adjust::POW10;
use crate::domain::exact_float::POWERS_U64;
use crate::domain::indicators::{for_each_signal_row, IndicatorRow};

const NONE: u8 = u8::MAX;
const WIDE: u8 = u8::MAX - 1;

/// Optional decimals as a 32-bit mantissa and a scale (5 bytes): an adjusted price to four
/// decimals below 214,748.3647, or a raw one to six below 2,147.483647. A value whose mantissa
/// needs more (Berkshire's A shares, a 24-digit adjusted close) is kept whole on the side.
#[derive(Debug, Clone, Default)]
pub struct DecimalColumn {
    mantissa: Vec<i32>,
    scale: Vec<u8>,
    /// (index, value) of the values kept whole, by index.
    wide: Vec<(u32, Decimal)>,
}

impl DecimalColumn {
    pub fn with_capacity(n: usize) -> Self {
        DecimalColumn {
            mantissa: Vec::with_capacity(n),
            scale: Vec::with_capacity(n),
            wide: Vec::new(),
        }
    }

    pub fn reserve(&mut self, n: usize) {
        self.mantissa.reserve_exact(n);
        self.scale.reserve_exact(n);
    }

    /// The values in the order `order` gives (indices into this column).
    pub fn permuted(&self, order: &[usize]) -> Self {
        let mut out = DecimalColumn::with_capacity(order.len());
        for &k in order {
            out.push(self.get(k));
        }
        out
    }

    pub fn push(&mut self, value: Option<Decimal>) {
        let (m, s) = match value {
            None => (0, NONE),
            Some(d) => match i32::try_from(d.mantissa()) {
                // A negative zero would come back positive: kept whole like a wide one.
                Ok(m) if !(m == 0 && d.is_sign_negative()) => (m, d.scale() as u8),
                _ => {
                    let at = u32::try_from(self.scale.len()).expect("under 2^32 bars a symbol");
                    self.wide.push((at, d));
                    (0, WIDE)
                }
            },
        };
        self.mantissa.push(m);
        self.scale.push(s);
    }

    /// `other`'s values after this column's.
    pub fn append(&mut self, other: DecimalColumn) {
        let offset = u32::try_from(self.scale.len()).expect("under 2^32 bars a symbol");
        self.reserve(other.mantissa.len());
        self.mantissa.extend_from_slice(&other.mantissa);
        self.scale.extend_from_slice(&other.scale);
        self.wide
            .extend(other.wide.into_iter().map(|(at, d)| (at + offset, d)));
    }

    /// `push(Some(m × 10^−scale))` for a non-negative `m` (no negative zero to keep apart).
    #[inline]
    pub fn push_parts(&mut self, m: i64, scale: u32) {
        match i32::try_from(m) {
            Ok(m) if m >= 0 && scale <= 28 => {
                self.mantissa.push(m);
                self.scale.push(scale as u8);
            }
            _ => self.push(Some(Decimal::new(m, scale))),
        }
    }

    fn wide(&self, k: usize) -> Option<Decimal> {
        let at = self.wide.partition_point(|(i, _)| (*i as usize) < k);
        self.wide.get(at).map(|(_, d)| *d)
    }

    /// Value `k` as an integer at scale 12, so values of any scale up to 12 compare as
    /// integers; `Err` when it is finer than 12 decimals or too large for that.
    #[inline]
    pub fn at_scale_12(&self, k: usize) -> Result<Option<i128>, ()> {
        match self.scale[k] {
            NONE => Ok(None),
            WIDE => {
                let d = self.wide(k).ok_or(())?;
                let s = usize::try_from(d.scale()).map_err(|_| ())?;
                let shift = POW10.get(12usize.checked_sub(s).ok_or(())?).ok_or(())?;
                d.mantissa().checked_mul(*shift).map(Some).ok_or(())
            }
            s if s <= 12 => Ok(Some(
                i128::from(self.mantissa[k]) * POW10[usize::from(12 - s)],
            )),
            _ => Err(()),
        }
    }

    /// Value `k` as an integer at scale 8 in 64 bits (a 32-bit mantissa times at most 10^8
    /// fits), so values of scales up to 8 compare as integers; `Err` for finer or wide ones.
    #[inline]
    pub fn at_scale_8(&self, k: usize) -> Result<Option<i64>, ()> {
        match self.scale[k] {
            NONE => Ok(None),
            s if s <= 8 => Ok(Some(
                // 10^(8 − s) ≤ 10^8: the cast cannot truncate.
                i64::from(self.mantissa[k]) * POWERS_U64[usize::from(8 - s)] as i64,
            )),
            _ => Err(()),
        }
    }

    #[inline]
    pub fn get(&self, k: usize) -> Option<Decimal> {
        match self.scale[k] {
            NONE => None,
            WIDE => self.wide(k),
            s => Some(Decimal::new(i64::from(self.mantissa[k]), u32::from(s))),
        }
    }
}

/// The trading days whose indicators a backtest keeps: the days its strategies can decide
/// on. Every bar's indicators were 101 MB of the 500-symbol × 25-year run, and the weekly and
/// monthly strategies decide on about one trading day in four (issue 18).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySlots {
    /// Per trading day: its slot, or `u32::MAX`.
    slot: Vec<u32>,
    /// Per slot: its trading day.
    day: Vec<u32>,
}

impl DaySlots {
    /// Every one of `days` trading days.
    pub fn every(days: usize) -> Self {
        Self::only(days, |_| true)
    }

    /// The trading days `i < days` for which `keep(i)`.
    pub fn only(days: usize, keep: impl Fn(usize) -> bool) -> Self {
        let mut slots = DaySlots {
            slot: Vec::with_capacity(days),
            day: Vec::new(),
        };
        for i in 0..days {
            if keep(i) {
                slots.slot.push(slots.day.len() as u32);
                slots.day.push(i as u32);
            } else {
                slots.slot.push(u32::MAX);
            }
        }
        slots
    }

    /// Trading day `i`'s slot, if it keeps its indicators.
    #[inline]
    pub fn slot(&self, i: usize) -> Option<usize> {
        self.slot
            .get(i)
            .filter(|&&s| s != u32::MAX)
            .map(|&s| s as usize)
    }

    /// Slot `s`'s trading day.
    pub fn day(&self, s: usize) -> usize {
        self.day[s] as usize
    }

    /// Slots kept.
    pub fn len(&self) -> usize {
        self.day.len()
    }

    pub fn is_empty(&self) -> bool {
        self.day.is_empty()
    }

    /// The trading days of the universe these were made for.
    pub fn days(&self) -> usize {
        self.slot.len()
    }
}

/// The indicators the analyzer reads (signal strength: SMA 20/50, MACD histogram, RSI 14;
/// market direction: SMA 50/200) on each kept trading day ([`DaySlots`]), at the last bar on
/// or before it: four `f64` a day and the SMA 200 only for the benchmark, `NaN` for a missing
/// value. The market direction reads the benchmark's SMA 200 and nothing else reads a
/// symbol's. The other six (EMAs, MACD line and signal, ATR, volume ratio) are not kept: no
/// rule of the morning check reads them, so the backtest's snapshots carry them as `None`.
#[derive(Debug, Clone, Default)]
pub struct IndicatorColumns {
    rows: Vec<[f64; 4]>,
    /// Empty unless kept (see above).
    sma_200: Vec<f64>,
    long_sma: bool,
}

fn pack(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NAN)
}

fn unpack(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

fn packed(r: &IndicatorRow) -> [f64; 4] {
    [
        pack(r.sma_20),
        pack(r.sma_50),
        pack(r.macd_hist),
        pack(r.rsi_14),
    ]
}

impl IndicatorColumns {
    /// The indicators of `closes` (the adjusted closes, in date order) on each slot's day,
    /// `at_day` giving each trading day's last bar (`u32::MAX`: none). `long_sma`: keep the
    /// SMA 200 (the benchmark's).
    pub fn on_days(closes: &[f64], at_day: &[u32], slots: &DaySlots, long_sma: bool) -> Self {
        let n = slots.len();
        let mut out = IndicatorColumns {
            rows: vec![[f64::NAN; 4]; n],
            sma_200: if long_sma {
                vec![f64::NAN; n]
            } else {
                Vec::new()
            },
            long_sma,
        };
        let bar_of = |s: usize| at_day[slots.day[s] as usize];
        // A slot before the first bar keeps NaN; then the slots' bars never go back.
        let mut next = (0..n).find(|&s| bar_of(s) != u32::MAX).unwrap_or(n);
        let Some(last) = (n > 0).then(|| bar_of(n - 1)).filter(|&b| b != u32::MAX) else {
            return out;
        };
        let c = &closes[..=last as usize];
        // The five indicators kept read the close only (ATR, which reads high and low, and the
        // volume ratio are not kept, and not computed).
        for_each_signal_row(c, |k, row| {
            while next < n && bar_of(next) as usize == k {
                out.rows[next] = packed(&row);
                if long_sma {
                    out.sma_200[next] = pack(row.sma_200);
                }
                next += 1;
            }
        });
        out
    }

    /// Whether the SMA 200 is kept (the benchmark's).
    pub fn keeps_long_sma(&self) -> bool {
        self.long_sma
    }

    pub fn row(&self, s: usize) -> IndicatorRow {
        let [sma_20, sma_50, macd_hist, rsi_14] = self.rows[s];
        IndicatorRow {
            sma_20: unpack(sma_20),
            sma_50: unpack(sma_50),
            sma_200: self.sma_200.get(s).copied().and_then(unpack),
            macd_hist: unpack(macd_hist),
            rsi_14: unpack(rsi_14),
            ..IndicatorRow::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::indicators::compute_all;
    use rust_decimal_macros::dec;

    #[test]
    fn an_appended_column_keeps_its_wide_values_at_their_new_places() {
        let wide = |m: i128| Decimal::from_i128_with_scale(m, 12);
        let (mut a, mut b) = (DecimalColumn::default(), DecimalColumn::default());
        for v in [Some(wide(123_456_789_012_345_678)), Some(dec!(1.5))] {
            a.push(v);
        }
        for v in [None, Some(-dec!(0.00)), Some(wide(987_654_321_098_765_432))] {
            b.push(v);
        }
        a.append(b);
        let got: Vec<String> = (0..5).map(|k| format!("{:?}", a.get(k))).collect();
        assert_eq!(
            got,
            [
                "Some(123456.789012345678)",
                "Some(1.5)",
                "None",
                "Some(-0.00)",
                "Some(987654.321098765432)"
            ]
        );
    }

    #[test]
    fn decimals_come_back_with_their_scale() {
        let mut c = DecimalColumn::with_capacity(4);
        let wide = Decimal::from_i128_with_scale(123_456_789_012_345_678_901_234, 12);
        for v in [
            Some(dec!(717.550000000000)),
            None,
            Some(wide),
            Some(dec!(-1.5)),
        ] {
            c.push(v);
        }
        // Same value and same scale: 717.550000000000 keeps its twelve decimals.
        assert_eq!(c.get(0).unwrap().to_string(), "717.550000000000");
        assert_eq!(c.get(1), None);
        assert_eq!(c.get(2), Some(wide));
        assert_eq!(c.get(3), Some(dec!(-1.5)));
        assert_eq!(c.at_scale_12(0), Ok(Some(717_550_000_000_000)));
        assert_eq!(c.at_scale_12(1), Ok(None));
        // 123,456,789,012.345678901234 at scale 12 is its own mantissa.
        assert_eq!(c.at_scale_12(2), Ok(Some(123_456_789_012_345_678_901_234)));
    }

    #[test]
    fn prices_past_32_bits_are_kept_whole_and_still_compare() {
        let mut c = DecimalColumn::with_capacity(4);
        // Berkshire A at six decimals, the largest and smallest 32-bit mantissas, a -0.
        let brk = dec!(612345.120000);
        let values = [brk, dec!(214748.3647), dec!(-214748.3648), dec!(-0.00)];
        for v in values {
            c.push(Some(v));
        }
        for (k, v) in values.iter().enumerate() {
            assert_eq!(c.get(k).unwrap().serialize(), v.serialize(), "value {k}");
        }
        assert_eq!(c.at_scale_12(0), Ok(Some(612_345_120_000_000_000)));
        assert_eq!(c.at_scale_12(1), Ok(Some(214_748_364_700_000_000)));
        // A mantissa of 96 bits times 10^12 does not fit: compared as decimals instead.
        let mut huge = DecimalColumn::default();
        huge.push(Some(Decimal::MAX));
        assert_eq!(huge.at_scale_12(0), Err(()));
    }

    #[test]
    fn the_kept_days_hold_their_last_bars_indicators() {
        // 300 bars; trading day i's last bar is i − 2 (none for days 0 and 1), and day 301
        // has no bar of its own (the symbol stopped): it keeps bar 299's.
        let closes: Vec<f64> = (0..300)
            .map(|i| 50.0 + (i as f64 * 0.37).sin() * 9.0)
            .collect();
        let at_day: Vec<u32> = (0..302u32)
            .map(|i| if i < 2 { u32::MAX } else { (i - 2).min(299) })
            .collect();
        let kept = [1usize, 40, 41, 250, 301];
        let slots = DaySlots::only(at_day.len(), |i| kept.contains(&i));
        assert_eq!(
            (slots.len(), slots.days(), slots.slot(40), slots.slot(2)),
            (5, 302, Some(1), None)
        );
        let c = IndicatorColumns::on_days(&closes, &at_day, &slots, true);
        let all = compute_all(&closes, &closes, &closes, &closes);
        // Day 1 has no bar: nothing at all.
        assert_eq!(c.row(0), IndicatorRow::default());
        for (s, bar) in [(1, 38), (2, 39), (3, 248), (4, 299)] {
            let (got, want) = (c.row(s), all[bar]);
            assert_eq!(
                (
                    got.sma_20,
                    got.sma_50,
                    got.sma_200,
                    got.macd_hist,
                    got.rsi_14
                ),
                (
                    want.sma_20,
                    want.sma_50,
                    want.sma_200,
                    want.macd_hist,
                    want.rsi_14
                ),
                "slot {s}"
            );
            // Not read by the morning check, so not kept.
            assert_eq!((got.atr_14, got.ema_12), (None, None));
        }
        // Bar 38 has its SMA 20 but not yet its SMA 50 or 200.
        assert!(c.row(1).sma_20.is_some() && c.row(1).sma_50.is_none());
        // Only the benchmark's SMA 200 is kept.
        assert!(c.row(3).sma_200.is_some());
        let plain = IndicatorColumns::on_days(&closes, &at_day, &slots, false);
        assert_eq!(plain.row(3).sma_200, None);
        assert_eq!(plain.row(3).rsi_14, c.row(3).rsi_14);
    }
}
