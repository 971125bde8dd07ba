//! Lookback returns over calendar days (DESIGN §5).

use chrono::{Duration, NaiveDate};

/// close(t) / close(last bar on or before t − `days`) − 1, in percent. `dates` ascending and
/// parallel to `closes`; `None` when no bar is old enough or the base close is not positive.
pub fn lookback_return_pct(
    dates: &[NaiveDate],
    closes: &[f64],
    index: usize,
    days: u32,
) -> Option<f64> {
    let base_index = base_index(dates, index, days)?;
    let base = closes[base_index];
    // Rounded to 1e-9 pp so that 110 / 100 − 1 is exactly 10 % and lands in the right
    // strength tier, not at 10.000000000000009.
    (base > 0.0).then(|| ((closes[index] / base - 1.0) * 100.0 * 1e9).round() / 1e9)
}

/// The index of the last bar on or before `dates[index]` − `days`.
pub fn base_index(dates: &[NaiveDate], index: usize, days: u32) -> Option<usize> {
    let cutoff = dates
        .get(index)?
        .checked_sub_signed(Duration::days(i64::from(days)))?;
    // Bars on or before the cutoff form a prefix of the ascending dates. The base is a few
    // bars back, so the search gallops back from `index` (1, 2, 4, … bars) before bisecting:
    // the same index as a bisection of the whole prefix, from a few cache lines.
    let mut step = 1;
    let mut hi = index + 1;
    let lo = loop {
        let probe = (index + 1).saturating_sub(step);
        if probe == 0 || dates[probe] <= cutoff {
            break probe;
        }
        hi = probe;
        step *= 2;
    };
    let count = lo + dates[lo..hi].partition_point(|d| *d <= cutoff);
    count.checked_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn uses_the_last_bar_on_or_before_the_cutoff() {
        // t = 03-31, L = 30 → cutoff 03-01 (a Sunday); the last bar on or before it is 02-27.
        let dates = [d(2, 26), d(2, 27), d(3, 2), d(3, 31)];
        let closes = [90.0, 100.0, 105.0, 110.0];
        assert_eq!(base_index(&dates, 3, 30), Some(1));
        // 110 / 100 − 1 = 10 %
        let r = lookback_return_pct(&dates, &closes, 3, 30).unwrap();
        assert!((r - 10.0).abs() < 1e-12);
    }

    #[test]
    fn none_without_enough_history() {
        let dates = [d(3, 2), d(3, 31)];
        assert_eq!(lookback_return_pct(&dates, &[1.0, 2.0], 1, 30), None);
        assert_eq!(lookback_return_pct(&dates, &[1.0, 2.0], 5, 30), None);
    }

    proptest::proptest! {
        /// The galloping search finds what a bisection of the whole prefix finds.
        #[test]
        fn the_base_is_the_last_bar_on_or_before_the_cutoff(
            gaps in proptest::collection::vec(1i64..6, 1..400),
            at in 0usize..400,
            days in 0u32..500,
        ) {
            let start = d(1, 1);
            let dates: Vec<NaiveDate> = gaps
                .iter()
                .scan(start, |day, gap| {
                    *day += Duration::days(*gap);
                    Some(*day)
                })
                .collect();
            let index = at % dates.len();
            let cutoff = dates[index] - Duration::days(i64::from(days));
            let expected = dates[..=index].partition_point(|x| *x <= cutoff).checked_sub(1);
            proptest::prop_assert_eq!(base_index(&dates, index, days), expected);
        }
    }
}
