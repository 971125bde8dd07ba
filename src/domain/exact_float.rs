//! `Decimal` to `f64`, and `Decimal::normalize`, to the last bit as `rust_decimal` does them,
//! in 64-bit integers when the mantissa fits: its own steps divide 96 or 128 bits at run
//! time, which made these conversions a few percent of a backtest's CPU (issue 18).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// 10^s for s ≤ 19, as integers and as floats (`10f64.powi(s)`, exact for these).
pub(crate) const POWERS_U64: [u64; 20] = {
    let mut p = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};
pub(crate) const POWERS_F64: [f64; 20] = {
    let mut p = [1f64; 20];
    let mut i = 0;
    while i < 20 {
        p[i] = POWERS_U64[i] as f64;
        i += 1;
    }
    p
};

/// `y.round()` for y ≥ 0 (half away from zero) without the library call: below 2^52 the
/// fraction y − ⌊y⌋ is exact, and from 2^52 up every float is a whole number.
#[inline]
fn rounded(y: f64) -> f64 {
    // NaN and the whole numbers from 2^52 up come back as they are.
    if y.is_nan() || y >= 4_503_599_627_370_496.0 {
        return y;
    }
    let whole = (y as u64) as f64;
    if y - whole >= 0.5 {
        whole + 1.0
    } else {
        whole
    }
}

/// `d.normalize()` (trailing zeros dropped), in 64-bit integers when the mantissa fits: the
/// adjusted close of every bar is normalized, and `Decimal` divides 96 bits by 10 per zero.
pub(crate) fn normalized(d: Decimal) -> Decimal {
    match u64::try_from(d.mantissa()) {
        Ok(m) if m > 0 => {
            let (m, scale) = normalized_parts(m, d.scale());
            Decimal::from_i128_with_scale(i128::from(m), scale)
        }
        _ => d.normalize(),
    }
}

/// [`normalized`] of the positive value `m` × 10^−`scale`, as its mantissa and scale.
#[inline]
pub(crate) fn normalized_parts(mut m: u64, mut scale: u32) -> (u64, u32) {
    while scale > 0 && m.is_multiple_of(10) {
        m /= 10;
        scale -= 1;
    }
    (m, scale)
}

/// `Decimal::to_f64` to the last bit — the same steps (integral part, fraction, rounding to
/// the scale) — in 64-bit integers when the mantissa fits.
pub(crate) fn to_f64(d: Decimal) -> f64 {
    match u64::try_from(d.mantissa()) {
        Ok(m) => to_f64_parts(m, d.scale()).unwrap_or_else(|| d.to_f64().unwrap_or(0.0)),
        _ => d.to_f64().unwrap_or(0.0),
    }
}

/// `m` / 10^`scale` and `m` % 10^`scale` for `scale` in 1..=19, each arm dividing by a
/// constant: a 64-bit division by a divisor known only at run time takes tens of cycles, and
/// every bar of a backtest's load makes one here (the compiler turns a constant divisor into
/// a multiplication).
#[inline]
fn split_at_scale(m: u64, scale: u32) -> (u64, u64) {
    macro_rules! by_power {
        ($($s:literal),*) => {
            match scale {
                $($s => (m / 10u64.pow($s), m % 10u64.pow($s)),)*
                _ => unreachable!("scale {scale} is outside 1..=19"),
            }
        };
    }
    by_power!(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19)
}

/// [`to_f64`] of `m` × 10^−`scale`, `None` for the scales it leaves to `Decimal`.
#[inline]
pub(crate) fn to_f64_parts(m: u64, scale: u32) -> Option<f64> {
    if !(1..=19).contains(&scale) {
        return None;
    }
    let precision = POWERS_U64[scale as usize];
    let (whole, rest) = split_at_scale(m, scale);
    let fraction = rest as f64 / precision as f64;
    let integral = whole as f64;
    if fraction == 0.0 {
        return Some(integral);
    }
    let round_to = POWERS_F64[scale as usize];
    Some(rounded((integral + fraction) * round_to) / round_to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rounded_is_round_on_the_edges() {
        let edges = [
            0.0,
            0.49999999999999994,
            0.5,
            1.5,
            2.5,
            4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            9_007_199_254_740_993.0,
            f64::MAX,
        ];
        for y in edges {
            assert_eq!(rounded(y).to_bits(), y.round().to_bits(), "{y}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn rounded_is_round(bits in 0u64..0x7FF0_0000_0000_0000, y in 0.0f64..1e7) {
            let x = f64::from_bits(bits);
            prop_assert_eq!(rounded(x).to_bits(), x.round().to_bits());
            prop_assert_eq!(rounded(y).to_bits(), y.round().to_bits());
        }

        #[test]
        fn normalized_and_to_f64_are_decimals_own(m in -1i64..i64::MAX, scale in 0u32..29) {
            use rust_decimal::prelude::ToPrimitive;
            let d = Decimal::new(m, scale);
            prop_assert_eq!(normalized(d).to_string(), d.normalize().to_string());
            prop_assert_eq!(to_f64(d).to_bits(), d.to_f64().unwrap().to_bits());
            let wide = Decimal::from_i128_with_scale(i128::from(m) * 1_000_000_007, scale);
            prop_assert_eq!(to_f64(wide).to_bits(), wide.to_f64().unwrap().to_bits());
        }
    }
}
