//! A bar's open, high and low adjusted as DESIGN §5 says — `to_price(v × f)` with
//! f = adj_close / close — without `Decimal`'s division and 28-digit products where integers
//! give the very same answer (issue 18: the adjustment was ~2 s of CPU for 3.15 million bars).
//!
//! The exact quotient v × adj / close is computed in `i128` and rounded half to even at four
//! decimals. `Decimal` rounds f to its last digit and the product to 96 bits before that final
//! rounding, so the two can differ only when the exact value lies within those errors
//! (about 1e-22 of a unit of the fourth decimal) of a midpoint. Such a value, a true midpoint
//! (f = 0.5 puts 10.0001 on 5.00005), and anything that does not fit the integers take the
//! `Decimal` path itself: the result is always the `Decimal` one, value and scale.

use rust_decimal::Decimal;

use crate::domain::portfolio::to_price;

/// One bar's adjustment factor, the ratio adj_close / close.
#[derive(Debug, Clone, Copy)]
pub(super) enum Factor {
    /// f = 1: the bar stays as received.
    One,
    Ratio {
        adj: Decimal,
        close: Decimal,
        /// The `Decimal` quotient, computed on the first value that needs it.
        quotient: Option<Decimal>,
        /// The integers for values of one scale (a bar's open, high and low share theirs).
        fast: Option<Fast>,
    },
}

/// Prices this large or this finely scaled are left to `Decimal` (see [`Factor::of`]).
const LARGE: i128 = 1_000_000_000_000;
const FINE: u32 = 12;

const fn powers() -> [i128; 39] {
    let mut p = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
}
pub(super) const POW10: [i128; 39] = powers();

/// 10^−s, for the scales a `Decimal` can have.
const UNITS: [f64; 29] = {
    let mut u = [1.0f64; 29];
    let mut i = 1;
    while i < 29 {
        u[i] = u[i - 1] / 10.0;
        i += 1;
    }
    u
};

pub(super) fn pow10(e: u32) -> Option<i128> {
    POW10.get(e as usize).copied()
}

/// A value `d` as an integer at scale 12, when it has at most 12 decimals and fits.
fn at_scale_12(d: Decimal) -> Option<i128> {
    let s = d.scale();
    (s <= FINE)
        .then(|| d.mantissa().checked_mul(POW10[(FINE - s) as usize]))
        .flatten()
}

impl Factor {
    /// `Bar::adjustment_factor`: 1 without an adjusted close or with a zero close.
    pub fn of(adj: Option<Decimal>, close: Decimal) -> Factor {
        let Some(adj) = adj.filter(|_| !close.is_zero()) else {
            return Factor::One;
        };
        // Two different values of at most 12 decimals under 1e12 differ by 1e-24 of either
        // at least, so their 28-digit quotient is not 1; others are divided to find out.
        let quotient = match (at_scale_12(adj), at_scale_12(close)) {
            (Some(a), Some(c)) if a.abs() < LARGE * POW10[12] && c.abs() < LARGE * POW10[12] => {
                if a == c {
                    return Factor::One;
                }
                None
            }
            _ => {
                let f = adj / close;
                if f == Decimal::ONE {
                    return Factor::One;
                }
                Some(f)
            }
        };
        Factor::Ratio {
            adj,
            close,
            quotient,
            fast: None,
        }
    }

    pub fn is_one(&self) -> bool {
        matches!(self, Factor::One)
    }

    /// `to_price(v × f)`; `v` itself when f = 1.
    pub fn apply(&mut self, v: Decimal) -> Decimal {
        let Factor::Ratio {
            adj,
            close,
            quotient,
            fast,
        } = self
        else {
            return v;
        };
        if fast.is_none_or(|f| f.scale != v.scale()) {
            *fast = Fast::new(v.scale(), *adj, *close);
        }
        if let Some(exact) = fast.and_then(|f| f.apply(v)) {
            return exact;
        }
        let f = *quotient.get_or_insert_with(|| *adj / *close);
        to_price(v * f)
    }
}

/// For values of one scale: v × adj / close × 10⁴ = x = mv × a / d, with a = ma × 10^e and
/// d = mc, or a = ma and d = mc × 10^−e, e = 4 + sc − sv − sa.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fast {
    scale: u32,
    a: i128,
    d: i128,
    /// a and d when both fit 63 bits (all but the most extreme prices).
    narrow: Option<(i64, i64)>,
    /// a / d and 1 / 2d as floats, and 10^−scale.
    ratio: f64,
    half_over_d: f64,
    unit: f64,
}

impl Fast {
    fn new(scale: u32, adj: Decimal, close: Decimal) -> Option<Fast> {
        Fast::from_parts(
            scale,
            (adj.mantissa(), adj.scale()),
            (close.mantissa(), close.scale()),
        )
    }

    /// [`Fast::new`] from the mantissas and scales of adj_close and close.
    #[inline(always)]
    pub(super) fn from_parts(
        scale: u32,
        (ma, sa): (i128, u32),
        (mc, sc): (i128, u32),
    ) -> Option<Fast> {
        // Below four decimals `to_price` keeps the product's own scale; only 4 is written here.
        if scale < 4 || ma <= 0 || mc <= 0 {
            return None;
        }
        let e = 4 + sc as i32 - scale as i32 - sa as i32;
        let (a, d) = if e >= 0 {
            (ma.checked_mul(pow10(e as u32)?)?, mc)
        } else {
            (ma, mc.checked_mul(pow10(e.unsigned_abs())?)?)
        };
        let (a_f, d_f) = (float(a), float(d));
        // One division: 0.5 × (1/d) is exactly 0.5/d rounded (halving commutes with rounding),
        // and the ratio only estimates q, which the integers then prove or refuse.
        let inverse = 1.0 / d_f;
        Some(Fast {
            scale,
            a,
            d,
            narrow: i64::try_from(a).ok().zip(i64::try_from(d).ok()),
            ratio: a_f * inverse,
            half_over_d: 0.5 * inverse,
            // Only the tolerance reads it.
            unit: UNITS.get(scale as usize).copied().unwrap_or(0.0),
        })
    }

    /// `to_price(v × adj / close)` when integers decide it beyond doubt, else `None`.
    #[inline]
    fn apply(&self, v: Decimal) -> Option<Decimal> {
        let mv = i64::try_from(v.mantissa()).ok()?;
        self.apply_mantissa(mv).map(|q| Decimal::new(q, 4))
    }

    /// [`Fast::apply`] on the mantissa of a value of this scale: the result's mantissa at
    /// scale 4.
    #[inline]
    pub(super) fn apply_mantissa(&self, mv: i64) -> Option<i64> {
        if mv <= 0 {
            return None;
        }
        // The nearest integer q to x from floats, then proven with products (no 128-bit
        // division): q is x rounded iff (2q − 1)·d < 2·num < (2q + 1)·d. The estimate need
        // not be right: a wrong one fails the proof and `Decimal` decides.
        let mv_f = mv as f64;
        let x = mv_f * self.ratio;
        if !(0.0..1e17).contains(&x) {
            return None;
        }
        let q = (x + 0.5) as i64;
        let (below, above) = match self.narrow {
            // mv, a, d < 2^63 and 2q + 1 < 2^58: no product or difference leaves an i128.
            Some((a, d)) => {
                let twice = 2 * (i128::from(mv) * i128::from(a));
                (
                    twice - i128::from(2 * q - 1) * i128::from(d),
                    i128::from(2 * q + 1) * i128::from(d) - twice,
                )
            }
            None => {
                let twice = i128::from(mv).checked_mul(self.a)?.checked_mul(2)?;
                (
                    twice - i128::from(2 * q - 1).checked_mul(self.d)?,
                    i128::from(2 * q + 1).checked_mul(self.d)? - twice,
                )
            }
        };
        if below <= 0 || above <= 0 {
            return None;
        }
        // Distance from the nearer midpoint, in units of the fourth decimal. The `Decimal`
        // path's errors are below 1e-22 of those units for these sizes; 1e-20 × (v + x + 1)
        // leaves room for every scale of f (and for this float's last bits).
        let distance = float(below.min(above)) * self.half_over_d;
        if distance <= (mv_f * self.unit + q as f64 + 1.0) * 1e-20 {
            return None;
        }
        Some(q)
    }
}

/// `x as f64`, through `i64` when it fits (one instruction instead of a library call).
#[inline]
fn float(x: i128) -> f64 {
    match i64::try_from(x) {
        Ok(x) => x as f64,
        Err(_) => wide_float(x),
    }
}

/// Kept out of line: with both arms `x as f64` in one function, the compiler merged them into
/// the library call for every value.
#[cold]
#[inline(never)]
fn wide_float(x: i128) -> f64 {
    x as f64
}

#[cfg(test)]
fn in_integers(v: Decimal, adj: Decimal, close: Decimal) -> Option<Decimal> {
    Fast::new(v.scale(), adj, close)?.apply(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn by_decimal(v: Decimal, adj: Decimal, close: Decimal) -> Decimal {
        to_price(v * (adj / close))
    }

    #[test]
    fn a_dividend_and_a_split_by_hand() {
        // f = 49.5 / 50 = 0.99: 50.5 → 49.995 (scale 4: 49.9950).
        let mut f = Factor::of(Some(dec!(49.500000000000)), dec!(50.000000));
        assert_eq!(f.apply(dec!(50.500000)).to_string(), "49.9950");
        // 1:3 → f = 1/3: 100.000001 / 3 = 33.3333336667 → 33.3333.
        let mut f = Factor::of(Some(dec!(1.000000000000)), dec!(3.000000));
        assert_eq!(f.apply(dec!(100.000001)).to_string(), "33.3333");
        // A true midpoint goes to Decimal, which rounds half to even: 5.00005 → 5.0000.
        let mut f = Factor::of(Some(dec!(5.000000000000)), dec!(10.000000));
        assert_eq!(f.apply(dec!(10.000100)).to_string(), "5.0000");
        assert_eq!(in_integers(dec!(10.000100), dec!(5), dec!(10)), None);
        assert_eq!(f.apply(dec!(10.000300)).to_string(), "5.0002");
    }

    #[test]
    fn equal_closes_and_missing_ones_leave_the_bar_alone() {
        assert!(Factor::of(Some(dec!(12.340000000000)), dec!(12.340000)).is_one());
        assert!(Factor::of(None, dec!(12.34)).is_one());
        assert!(Factor::of(Some(dec!(5)), Decimal::ZERO).is_one());
        let mut one = Factor::of(None, dec!(12.34));
        assert_eq!(one.apply(dec!(12.100000)).to_string(), "12.100000");
    }

    #[test]
    fn the_largest_decimals_are_compared_by_decimal() {
        // 79,228,162,514,264,337,593,543,950,335 at scale 0 does not fit at scale 12.
        let max = Decimal::MAX;
        let mut f = Factor::of(Some(max), max - Decimal::ONE);
        let v = dec!(10.000000);
        assert_eq!(f.apply(v), by_decimal(v, max, max - Decimal::ONE));
        assert!(Factor::of(Some(max), max).is_one());
    }

    #[test]
    fn huge_values_fall_back_to_decimal() {
        let v = Decimal::from_i128_with_scale(79_000_000_000_000_000_000_000_000, 6);
        let mut f = Factor::of(Some(dec!(0.999999999999)), dec!(1.000000));
        assert_eq!(
            f.apply(v),
            by_decimal(v, dec!(0.999999999999), dec!(1.000000))
        );
    }

    fn stored(max: i64, scale: u32) -> impl Strategy<Value = Decimal> {
        (1..max).prop_map(move |m| Decimal::new(m, scale))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// As stored (prices to 6 decimals, adj_close to 12): value and scale as Decimal's.
        #[test]
        fn equals_the_decimal_path_as_stored(
            v in stored(10_000_000_000_000, 6),
            adj in stored(1_000_000_000_000_000_000, 12),
            close in stored(10_000_000_000_000, 6),
        ) {
            let mut f = Factor::of(Some(adj), close);
            let expected = if adj == close { v } else { by_decimal(v, adj, close) };
            prop_assert_eq!(f.apply(v).to_string(), expected.to_string());
        }

        /// Ratios of small integers put many products on or next to a midpoint.
        #[test]
        fn equals_the_decimal_path_near_midpoints(
            v in 1i64..2_000_000_000,
            sv in 4u32..9,
            a in 1i64..64,
            c in 1i64..64,
            sa in 0u32..13,
        ) {
            let (v, adj, close) = (Decimal::new(v, sv), Decimal::new(a, sa), Decimal::new(c, 0));
            let mut f = Factor::of(Some(adj), close);
            let expected = if adj == close { v } else { by_decimal(v, adj, close) };
            prop_assert_eq!(f.apply(v).to_string(), expected.to_string());
        }
    }
}
