//! The brief's "compare actual vs expected" for swaps, in one unit: percentage points of
//! return over the follow-up window (`journal.followup_days`).
//!
//! - **Expected**: a swap bets that the leader keeps leading. Its expected improvement is the
//!   two legs' lookback returns at the recommendation (increase − reduce, DESIGN §5), scaled
//!   from the lookback window to the follow-up window: with both at 30 days, a leader that
//!   beat the laggard by 12 pp over the last 30 days is expected to beat it by 12 pp over the
//!   next 30.
//! - **Actual**: the increase symbol's return minus the reduce symbol's over exactly the
//!   follow-up window (measured by `signals evaluate`, executed or not: a paper trade).
//!
//! The strength points the swap was chosen by stay beside them, for reference only.

use chrono::NaiveDate;
use serde::Serialize;

use super::symbol::Symbol;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SwapReview {
    pub id: i64,
    pub date: NaiveDate,
    pub reduce: Symbol,
    pub increase: Symbol,
    pub executed: bool,
    /// Increase strength − reduce strength when recommended.
    pub points: Option<f64>,
    /// Percentage points over the follow-up window; `None` without both lookback returns.
    pub expected_pct: Option<f64>,
    /// Percentage points over the follow-up window; `None` until the window has passed.
    pub actual_pct: Option<f64>,
}

impl SwapReview {
    /// Actual − expected, when both are known.
    pub fn surprise_pct(&self) -> Option<f64> {
        Some(self.actual_pct? - self.expected_pct?)
    }
}

/// The expected improvement in percentage points over `followup_days`, from the two legs'
/// lookback returns (percent) over `lookback_days`.
pub fn expected_improvement_pct(
    increase_lookback_pct: f64,
    reduce_lookback_pct: f64,
    lookback_days: u32,
    followup_days: u32,
) -> Option<f64> {
    (lookback_days > 0).then(|| {
        (increase_lookback_pct - reduce_lookback_pct) * f64::from(followup_days)
            / f64::from(lookback_days)
    })
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SwapReviewSummary {
    /// The follow-up window both figures span, in calendar days (set by the caller).
    pub window_days: u32,
    /// Swaps recommended up to the view's date.
    pub recommended: usize,
    /// Those with both an expected and an actual figure.
    pub measured: usize,
    pub mean_expected_pct: Option<f64>,
    pub mean_actual_pct: Option<f64>,
    /// Share of the measured swaps whose actual improvement was positive, in percent.
    pub improved_pct: Option<f64>,
    /// Share of the measured swaps whose actual improvement reached the expected one.
    pub met_expected_pct: Option<f64>,
}

/// Every figure over the same swaps: those measured on both sides, over `window_days`.
pub fn summarize(reviews: &[SwapReview], window_days: u32) -> SwapReviewSummary {
    let measured: Vec<(f64, f64)> = reviews
        .iter()
        .filter_map(|r| Some((r.expected_pct?, r.actual_pct?)))
        .collect();
    let n = measured.len();
    let mean =
        |f: fn(&(f64, f64)) -> f64| (n > 0).then(|| measured.iter().map(f).sum::<f64>() / n as f64);
    let share = |keep: fn(&(f64, f64)) -> bool| {
        (n > 0).then(|| measured.iter().filter(|m| keep(m)).count() as f64 * 100.0 / n as f64)
    };
    SwapReviewSummary {
        window_days,
        recommended: reviews.len(),
        measured: n,
        mean_expected_pct: mean(|m| m.0),
        mean_actual_pct: mean(|m| m.1),
        improved_pct: share(|m| m.1 > 0.0),
        met_expected_pct: share(|m| m.1 >= m.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(expected: Option<f64>, actual: Option<f64>) -> SwapReview {
        SwapReview {
            id: 1,
            date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            reduce: Symbol::parse("WEAK").unwrap(),
            increase: Symbol::parse("STAR").unwrap(),
            executed: false,
            points: Some(30.0),
            expected_pct: expected,
            actual_pct: actual,
        }
    }

    #[test]
    fn the_expectation_is_the_lookback_gap_scaled_to_the_follow_up_window() {
        // Leader +8 %, laggard −4 % over 30 days: a 12 pp gap, 12 pp over 30 days and
        // 6 pp over 15.
        assert_eq!(expected_improvement_pct(8.0, -4.0, 30, 30), Some(12.0));
        assert_eq!(expected_improvement_pct(8.0, -4.0, 30, 15), Some(6.0));
        assert_eq!(expected_improvement_pct(8.0, -4.0, 0, 30), None);
    }

    #[test]
    fn the_summary_counts_only_swaps_measured_on_both_sides() {
        // Measured: (12, 3), (4, 5), (6, −2). Mean expected 22 / 3, mean actual 6 / 3 = 2;
        // improved: 3 and 5 → 2 of 3; met the expectation: only 5 ≥ 4 → 1 of 3.
        let reviews = [
            review(Some(12.0), Some(3.0)),
            review(Some(4.0), Some(5.0)),
            review(Some(6.0), Some(-2.0)),
            review(Some(9.0), None),
            review(None, Some(1.0)),
        ];
        let s = summarize(&reviews, 30);
        assert_eq!((s.recommended, s.measured), (5, 3));
        assert!((s.mean_expected_pct.unwrap() - 22.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.mean_actual_pct, Some(2.0));
        assert!((s.improved_pct.unwrap() - 200.0 / 3.0).abs() < 1e-12);
        assert!((s.met_expected_pct.unwrap() - 100.0 / 3.0).abs() < 1e-12);
        assert_eq!(reviews[0].surprise_pct(), Some(-9.0));
        assert_eq!(reviews[3].surprise_pct(), None);
        assert_eq!(summarize(&[], 0), SwapReviewSummary::default());
    }
}
