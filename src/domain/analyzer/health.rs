//! Portfolio health (DESIGN §5 "Health score").
//!
//! The score is the base plus three terms, clamped to 0–100: the alpha term on the average
//! alpha, the signal term on the average strength, and the breadth term on the share of
//! holdings with negative alpha. Tiers are tried in config order; the first one the value
//! passes gives its points, else the `*_else` points. Grades: A ≥ 90, B ≥ 80, C ≥ 70,
//! D ≥ 60, else F. The issues detected are in [`super::issues`].
//!
//! Averages are over the holdings that have the figure. With no holdings there is no score
//! ("no positions" is an issue, not an error). When no holding has an alpha (no benchmark),
//! the alpha and breadth terms count 0 and the health is marked incomplete.

use std::fmt;

use serde::Serialize;

use super::account::AccountSummary;
use super::holdings::HoldingRow;
use super::issues::{issues, HealthIssue};
use super::{AnalysisRules, MissingData};
use crate::domain::rules::{AboveTier, BelowTier, HealthRules};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
    F,
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// The three terms of the score, in points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HealthTerms {
    pub alpha: f64,
    pub signal: f64,
    pub breadth: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    /// `None` with no holdings that have prices.
    pub score: Option<f64>,
    pub grade: Option<Grade>,
    /// Percentage points against the benchmark.
    pub avg_alpha: Option<f64>,
    pub avg_strength: Option<f64>,
    /// Share of holdings (with an alpha) whose alpha is negative, in percent.
    pub negative_alpha_pct: Option<f64>,
    pub terms: Option<HealthTerms>,
    /// A term was counted as 0 for lack of data.
    pub incomplete: bool,
    pub issues: Vec<HealthIssue>,
}

fn above_points(value: f64, tiers: &[AboveTier], otherwise: f64) -> f64 {
    tiers
        .iter()
        .find(|t| value > t.above)
        .map_or(otherwise, |t| t.points)
}

fn below_points(value: f64, tiers: &[BelowTier], otherwise: f64) -> f64 {
    tiers
        .iter()
        .find(|t| value < t.below)
        .map_or(otherwise, |t| t.points)
}

/// The score and its terms. A `None` input counts 0 points.
pub fn health_score(
    avg_alpha: Option<f64>,
    avg_strength: Option<f64>,
    negative_alpha_pct: Option<f64>,
    rules: &HealthRules,
) -> (f64, HealthTerms) {
    let terms = HealthTerms {
        alpha: avg_alpha.map_or(0.0, |a| above_points(a, &rules.alpha, rules.alpha_else)),
        signal: avg_strength.map_or(0.0, |s| {
            above_points(s, &rules.strength, rules.strength_else)
        }),
        breadth: negative_alpha_pct
            .map_or(0.0, |b| below_points(b, &rules.breadth, rules.breadth_else)),
    };
    let score = (rules.base + terms.alpha + terms.signal + terms.breadth).clamp(0.0, 100.0);
    (score, terms)
}

pub fn grade(score: f64, rules: &HealthRules) -> Grade {
    match score {
        s if s >= rules.grade_a => Grade::A,
        s if s >= rules.grade_b => Grade::B,
        s if s >= rules.grade_c => Grade::C,
        s if s >= rules.grade_d => Grade::D,
        _ => Grade::F,
    }
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

pub(super) fn health(
    rows: &[HoldingRow],
    account: &AccountSummary,
    missing: &[MissingData],
    rules: &AnalysisRules,
) -> Health {
    let alphas: Vec<f64> = rows.iter().filter_map(|r| r.alpha).collect();
    let strengths: Vec<f64> = rows.iter().filter_map(|r| r.strength).collect();
    let negative = alphas.iter().filter(|a| **a < 0.0).count() as f64;
    let negative_alpha_pct = (!alphas.is_empty()).then(|| negative / alphas.len() as f64 * 100.0);
    let avg_alpha = mean(&alphas);
    let avg_strength = mean(&strengths);
    let scored = avg_strength
        .map(|_| health_score(avg_alpha, avg_strength, negative_alpha_pct, &rules.health));
    Health {
        score: scored.map(|(s, _)| s),
        grade: scored.map(|(s, _)| grade(s, &rules.health)),
        avg_alpha,
        avg_strength,
        negative_alpha_pct,
        terms: scored.map(|(_, t)| t),
        incomplete: scored.is_some() && avg_alpha.is_none(),
        issues: issues(rows, account, missing, &rules.health),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analyzer::fixtures::{health_row as row, rules, summary as account};
    use crate::domain::analyzer::IssueKind;

    /// Five 10 % positions with the given alphas and strengths.
    fn five(alphas: [f64; 5], strengths: [f64; 5]) -> Vec<HoldingRow> {
        let names = ["A", "B", "C", "D", "E"];
        (0..5)
            .map(|i| row(names[i], Some(alphas[i]), strengths[i], 10.0))
            .collect()
    }

    #[test]
    fn each_tier_edge() {
        let h = rules().health;
        let alpha = |a| health_score(Some(a), None, None, &h).1.alpha;
        // > 5 → 20; 5 is not above 5 → 10; > 0 → 10; 0 → 0; > −5 → 0; −5 → −10.
        assert_eq!(
            [
                alpha(5.1),
                alpha(5.0),
                alpha(0.1),
                alpha(0.0),
                alpha(-4.9),
                alpha(-5.0)
            ],
            [20.0, 10.0, 10.0, 0.0, 0.0, -10.0]
        );
        let signal = |s| health_score(None, Some(s), None, &h).1.signal;
        assert_eq!(
            [
                signal(70.1),
                signal(70.0),
                signal(60.0),
                signal(50.1),
                signal(50.0)
            ],
            [30.0, 20.0, 10.0, 10.0, -10.0]
        );
        let breadth = |b| health_score(None, None, Some(b), &h).1.breadth;
        // Share of negative alphas strictly below 20 → 20, below 40 → 10, below 60 → 0.
        assert_eq!(
            [
                breadth(19.9),
                breadth(20.0),
                breadth(39.9),
                breadth(40.0),
                breadth(59.9),
                breadth(60.0)
            ],
            [20.0, 10.0, 10.0, 0.0, 0.0, -10.0]
        );
        assert_eq!(health_score(None, None, None, &h).0, 50.0);
    }

    #[test]
    fn grades_on_their_edges() {
        let h = rules().health;
        let grades: Vec<Grade> = [100.0, 90.0, 89.9, 80.0, 70.0, 60.0, 59.9, 0.0]
            .iter()
            .map(|s| grade(*s, &h))
            .collect();
        assert_eq!(
            grades,
            [
                Grade::A,
                Grade::A,
                Grade::B,
                Grade::B,
                Grade::C,
                Grade::D,
                Grade::F,
                Grade::F
            ]
        );
    }

    #[test]
    fn portfolios_built_for_each_grade() {
        let r = rules();
        let score = |rows: Vec<HoldingRow>| {
            let h = health(&rows, &account(), &[], &r);
            (h.score.unwrap(), h.grade.unwrap())
        };
        // A: avg alpha 6 (+20), avg strength 75 (+30), none negative 0 % (+20): 120 → 100.
        assert_eq!(score(five([6.0; 5], [75.0; 5])), (100.0, Grade::A));
        // B: alphas 4, 4, 4, −1, −1 → avg 2.2 (+10); strength 65 (+20); 2/5 = 40 % negative (0): 80.
        assert_eq!(
            score(five([4.0, 4.0, 4.0, -1.0, -1.0], [65.0; 5])),
            (80.0, Grade::B)
        );
        // C: same alphas, strength 55 (+10): 50 + 10 + 10 + 0 = 70.
        assert_eq!(
            score(five([4.0, 4.0, 4.0, -1.0, -1.0], [55.0; 5])),
            (70.0, Grade::C)
        );
        // D: alphas 1, 1, −1, −1, 0 → avg 0 (0); 55 (+10); 40 % negative (0): 60.
        assert_eq!(
            score(five([1.0, 1.0, -1.0, -1.0, 0.0], [55.0; 5])),
            (60.0, Grade::D)
        );
        // F: alphas all −6 (−10); strength 45 (−10); 100 % negative (−10): 20.
        assert_eq!(score(five([-6.0; 5], [45.0; 5])), (20.0, Grade::F));
        // Averages mix: strengths 40 and 90 → 65 (+20); alphas −6 and 12 → 3 (+10); 50 % (0).
        let mixed = health(
            &[
                row("A", Some(-6.0), 40.0, 10.0),
                row("B", Some(12.0), 90.0, 10.0),
            ],
            &account(),
            &[],
            &r,
        );
        assert_eq!(
            (mixed.avg_alpha, mixed.avg_strength, mixed.score),
            (Some(3.0), Some(65.0), Some(80.0))
        );
        assert_eq!(
            mixed.terms,
            Some(HealthTerms {
                alpha: 10.0,
                signal: 20.0,
                breadth: 0.0
            })
        );
    }

    /// The health of `rows` as (score, grade, terms).
    fn scored(rows: &[HoldingRow]) -> (f64, Grade, HealthTerms) {
        let h = health(rows, &account(), &[], &rules());
        (h.score.unwrap(), h.grade.unwrap(), h.terms.unwrap())
    }

    #[test]
    fn brief_scenario_well_run_portfolio_scores_a() {
        // Six holdings, one lagging SPY.
        // Alphas 4.0 + 3.5 + 3.0 + 2.5 + 2.3 − 1.5 = 13.8 → avg +2.3 (> 0 → +10).
        // Strengths 70 + 60 + 65 + 65 + 62 + 68 = 390 → avg 65 (> 60 → +20).
        // 1 of 6 negative = 16.7 % (< 20 % → +20).
        // 50 + 10 + 20 + 20 = 100 → A.
        let alphas = [4.0, 3.5, 3.0, 2.5, 2.3, -1.5];
        let strengths = [70.0, 60.0, 65.0, 65.0, 62.0, 68.0];
        let rows: Vec<HoldingRow> = ["A", "B", "C", "D", "E", "F"]
            .iter()
            .zip(alphas.iter().zip(strengths))
            .map(|(name, (alpha, strength))| row(name, Some(*alpha), strength, 10.0))
            .collect();
        let h = health(&rows, &account(), &[], &rules());
        assert!((h.avg_alpha.unwrap() - 2.3).abs() < 1e-9);
        assert_eq!(h.avg_strength, Some(65.0));
        assert_eq!(
            scored(&rows),
            (
                100.0,
                Grade::A,
                HealthTerms {
                    alpha: 10.0,
                    signal: 20.0,
                    breadth: 20.0
                }
            )
        );
    }

    #[test]
    fn brief_scenario_lagging_portfolio_scores_f() {
        // Five holdings, four lagging SPY.
        // Alphas −10 − 9 − 8 − 5 + 2 = −30 → avg −6 (not above −5 → −10).
        // Strengths 40 + 45 + 50 + 55 + 50 = 240 → avg 48 (not above 50 → −10).
        // 4 of 5 negative = 80 % (not below 60 % → −10).
        // 50 − 10 − 10 − 10 = 20 → F.
        let rows = five(
            [-10.0, -9.0, -8.0, -5.0, 2.0],
            [40.0, 45.0, 50.0, 55.0, 50.0],
        );
        let h = health(&rows, &account(), &[], &rules());
        assert_eq!((h.avg_alpha, h.avg_strength), (Some(-6.0), Some(48.0)));
        assert_eq!(h.negative_alpha_pct, Some(80.0));
        assert_eq!(
            scored(&rows),
            (
                20.0,
                Grade::F,
                HealthTerms {
                    alpha: -10.0,
                    signal: -10.0,
                    breadth: -10.0
                }
            )
        );
    }

    #[test]
    fn no_holdings_is_no_positions_not_an_error() {
        let h = health(&[], &account(), &[], &rules());
        assert_eq!((h.score, h.grade, h.terms), (None, None, None));
        let kinds: Vec<IssueKind> = h.issues.iter().map(|i| i.kind).collect();
        assert_eq!(kinds, [IssueKind::NoPositions]);
        assert_eq!(h.issues[0].message, "no positions");
    }

    #[test]
    fn without_alphas_the_score_is_incomplete() {
        // Strength 75 (+30); no alpha → alpha and breadth terms 0: 80, marked incomplete.
        let rows: Vec<HoldingRow> = (0..5)
            .map(|i| row(["A", "B", "C", "D", "E"][i], None, 75.0, 10.0))
            .collect();
        let h = health(&rows, &account(), &[], &rules());
        assert_eq!(
            (h.score, h.incomplete, h.negative_alpha_pct),
            (Some(80.0), true, None)
        );
    }
}
