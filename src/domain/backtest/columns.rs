//! Compact columns for the prepared bars of a backtest (issue 18: 500 symbols × 25 years must
//! fit in 300 MiB). A `Bar` of `Option<Decimal>`s takes 120 bytes and an `IndicatorRow` of
//! eleven `Option<f64>`s 176; these columns keep the same values in 36 + 40.
//!
//! Exactness: a [`DecimalColumn`] gives back the very `Decimal` it was given (mantissa,
//! scale and sign), so every fill, valuation and reward/risk computes on the same figures as
//! before; the indicator columns are the same `f64`s, `NaN` standing for "not yet".

use rust_decimal::Decimal;

use crate::domain::indicators::IndicatorRow;

const NONE: u8 = u8::MAX;
const WIDE: u8 = u8::MAX - 1;
const POW10: [i128; 13] = {
    let mut p = [1i128; 13];
    let mut i = 1;
    while i < 13 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// Optional decimals as a 64-bit mantissa and a scale (9 bytes). A value whose mantissa
/// needs more than 64 bits (a 24-digit adjusted close) is kept whole on the side.
#[derive(Debug, Clone, Default)]
pub struct DecimalColumn {
    mantissa: Vec<i64>,
    scale: Vec<u8>,
    wide: Vec<(usize, Decimal)>,
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
            Some(d) => match i64::try_from(d.mantissa()) {
                // A negative zero would come back positive: kept whole like a wide one.
                Ok(m) if !(m == 0 && d.is_sign_negative()) => (m, d.scale() as u8),
                _ => {
                    self.wide.push((self.scale.len(), d));
                    (0, WIDE)
                }
            },
        };
        self.mantissa.push(m);
        self.scale.push(s);
    }

    /// Value `k` as an integer at scale 12, so values of any scale up to 12 compare as
    /// integers; `Err` when it is kept whole (wide) or finer than 12 decimals.
    #[inline]
    pub fn at_scale_12(&self, k: usize) -> Result<Option<i128>, ()> {
        match self.scale[k] {
            NONE => Ok(None),
            s if s <= 12 => Ok(Some(
                i128::from(self.mantissa[k]) * POW10[usize::from(12 - s)],
            )),
            _ => Err(()),
        }
    }

    #[inline]
    pub fn get(&self, k: usize) -> Option<Decimal> {
        match self.scale[k] {
            NONE => None,
            WIDE => {
                let at = self.wide.partition_point(|(i, _)| *i < k);
                self.wide.get(at).map(|(_, d)| *d)
            }
            s => Some(Decimal::new(self.mantissa[k], u32::from(s))),
        }
    }
}

/// The indicators the analyzer reads (signal strength: SMA 20/50, MACD histogram, RSI 14;
/// market direction: SMA 50/200), four `f64` per bar and the SMA 200 only for the benchmark,
/// `NaN` for a missing value. The market direction reads the benchmark's SMA 200 and nothing
/// else reads a symbol's, so it is kept for the benchmark alone (8 of 40 bytes a bar). The
/// other six (EMAs, MACD line and signal, ATR, volume ratio) are not kept: no rule of the
/// morning check reads them, so the backtest's snapshots carry them as `None`.
#[derive(Debug, Clone, Default)]
pub struct IndicatorColumns {
    rows: Vec<[f64; 4]>,
    /// Empty unless kept (see above).
    sma_200: Vec<f64>,
}

fn pack(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NAN)
}

fn unpack(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

impl IndicatorColumns {
    /// `long_sma`: keep the SMA 200 (the benchmark's).
    pub fn from_rows(rows: &[IndicatorRow], long_sma: bool) -> Self {
        IndicatorColumns {
            rows: rows
                .iter()
                .map(|r| {
                    [
                        pack(r.sma_20),
                        pack(r.sma_50),
                        pack(r.macd_hist),
                        pack(r.rsi_14),
                    ]
                })
                .collect(),
            sma_200: if long_sma {
                rows.iter().map(|r| pack(r.sma_200)).collect()
            } else {
                Vec::new()
            },
        }
    }

    pub fn row(&self, k: usize) -> IndicatorRow {
        let [sma_20, sma_50, macd_hist, rsi_14] = self.rows[k];
        IndicatorRow {
            sma_20: unpack(sma_20),
            sma_50: unpack(sma_50),
            sma_200: self.sma_200.get(k).copied().and_then(unpack),
            macd_hist: unpack(macd_hist),
            rsi_14: unpack(rsi_14),
            ..IndicatorRow::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

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
    }

    #[test]
    fn missing_indicators_stay_missing() {
        let row = IndicatorRow {
            sma_20: Some(10.5),
            rsi_14: Some(0.0),
            atr_14: Some(3.0),
            ..IndicatorRow::default()
        };
        let back = IndicatorColumns::from_rows(&[row], true).row(0);
        assert_eq!(
            IndicatorColumns::from_rows(&[row], false).row(0).sma_20,
            Some(10.5)
        );
        assert_eq!(
            (back.sma_20, back.sma_50, back.rsi_14),
            (Some(10.5), None, Some(0.0))
        );
        // ATR is not read by the morning check, so it is not kept.
        assert_eq!(back.atr_14, None);
    }
}
