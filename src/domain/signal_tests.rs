//! Tests of `signal.rs`.

use super::*;

fn inputs(rsi: f64, macd_hist: f64, trend: Trend, lookback_return_pct: f64) -> SignalInputs {
    SignalInputs {
        rsi: Some(rsi),
        macd_hist: Some(macd_hist),
        trend: Some(trend),
        lookback_return_pct: Some(lookback_return_pct),
    }
}

fn score(inputs: SignalInputs) -> f64 {
    let strength = signal_strength(&inputs, &SignalRules::default());
    assert!(!strength.incomplete);
    strength.score
}

#[test]
fn every_input_adds_its_points_to_50() {
    // 50 + RSI 50 in 40–60 (+5) − hist < 0 (10) + UP (10) + 3 % in 0–5 (+5) = 60
    assert_eq!(score(inputs(50.0, -0.2, Trend::Up, 3.0)), 60.0);
    // 50 + RSI 65 (0) + hist > 0 (10) + NEUTRAL (0) − 7 % in 5–10 (10) = 50
    assert_eq!(score(inputs(65.0, 0.4, Trend::Neutral, -7.0)), 50.0);
}

#[test]
fn the_score_is_clamped_to_0_through_100() {
    // 50 + 15 + 10 + 10 + 15 = 100 exactly; 50 − 15 − 10 − 10 − 15 = 0 exactly.
    assert_eq!(score(inputs(25.0, 1.0, Trend::Up, 12.0)), 100.0);
    assert_eq!(score(inputs(75.0, -1.0, Trend::Down, -12.0)), 0.0);
    // base 60: 60 + 50 = 110 → 100; base 40: 40 − 50 = −10 → 0.
    let high = SignalRules {
        base: 60.0,
        ..SignalRules::default()
    };
    let low = SignalRules {
        base: 40.0,
        ..SignalRules::default()
    };
    assert_eq!(
        signal_strength(&inputs(25.0, 1.0, Trend::Up, 12.0), &high).score,
        100.0
    );
    assert_eq!(
        signal_strength(&inputs(75.0, -1.0, Trend::Down, -12.0), &low).score,
        0.0
    );
}

#[test]
fn rsi_edges() {
    // Fixed rest: hist 0, NEUTRAL, return 0 add nothing, so score = 50 + RSI points.
    let cases = [
        (0.0, 15.0),
        (29.99, 15.0),
        (30.0, 0.0),
        (39.99, 0.0),
        (40.0, 5.0),
        (50.0, 5.0),
        (60.0, 5.0),
        (60.01, 0.0),
        (70.0, 0.0),
        (70.01, -15.0),
        (100.0, -15.0),
    ];
    for (rsi, points) in cases {
        assert_eq!(
            score(inputs(rsi, 0.0, Trend::Neutral, 0.0)),
            50.0 + points,
            "RSI {rsi}"
        );
    }
}

#[test]
fn lookback_return_edges_are_mirrored() {
    // 0 adds 0; (0, 5) → 5; [5, 10] → 10; above 10 → 15; the sign follows the return.
    let cases = [
        (0.0, 0.0),
        (0.01, 5.0),
        (4.99, 5.0),
        (5.0, 10.0),
        (7.5, 10.0),
        (10.0, 10.0),
        (10.01, 15.0),
        (250.0, 15.0),
    ];
    for (return_pct, points) in cases {
        for sign in [1.0, -1.0] {
            let r = sign * return_pct;
            // RSI 65 adds 0, so score = 50 + return points.
            let got = score(inputs(65.0, 0.0, Trend::Neutral, r));
            assert_eq!(got, 50.0 + sign * points, "return {r} %");
        }
    }
}

#[test]
fn macd_hist_and_trend_signs() {
    // RSI 65 and return 0 add nothing: score = 50 ± 10 per input.
    assert_eq!(score(inputs(65.0, 0.001, Trend::Neutral, 0.0)), 60.0);
    assert_eq!(score(inputs(65.0, -0.001, Trend::Neutral, 0.0)), 40.0);
    assert_eq!(score(inputs(65.0, 0.0, Trend::Up, 0.0)), 60.0);
    assert_eq!(score(inputs(65.0, 0.0, Trend::Down, 0.0)), 40.0);
}

#[test]
fn a_missing_input_adds_nothing_and_marks_the_score_incomplete() {
    let rules = SignalRules::default();
    let none = signal_strength(&SignalInputs::default(), &rules);
    assert_eq!(
        none,
        Strength {
            score: 50.0,
            incomplete: true
        }
    );
    // 50 + RSI 25 (+15) + UP (+10) + 12 % (+15), hist unknown → 90?
    let no_hist = SignalInputs {
        macd_hist: None,
        ..inputs(25.0, 1.0, Trend::Up, 12.0)
    };
    let strength = signal_strength(&no_hist, &rules);
    assert_eq!(
        strength,
        Strength {
            score: 90.0,
            incomplete: true
        }
    );
    assert_eq!(strength.to_string(), "90?");
    // An unknown trend is missing; a NEUTRAL one is known.
    let no_trend = SignalInputs {
        trend: None,
        ..inputs(50.0, 0.0, Trend::Up, 0.0)
    };
    assert!(signal_strength(&no_trend, &rules).incomplete);
    let neutral = inputs(50.0, 0.0, Trend::Neutral, 0.0);
    assert!(!signal_strength(&neutral, &rules).incomplete);
}

#[test]
fn a_non_finite_input_counts_as_missing() {
    // 50 + hist > 0 (10) + UP (10) + 12 % (15) = 85, RSI NaN ignored.
    let nan_rsi = inputs(f64::NAN, 1.0, Trend::Up, 12.0);
    let strength = signal_strength(&nan_rsi, &SignalRules::default());
    assert_eq!(
        strength,
        Strength {
            score: 85.0,
            incomplete: true
        }
    );
    let inf_return = inputs(50.0, 1.0, Trend::Up, f64::INFINITY);
    assert!(signal_strength(&inf_return, &SignalRules::default()).incomplete);
}

#[test]
fn nan_rules_cannot_produce_a_nan_score() {
    let broken = SignalRules {
        trend_points: f64::NAN,
        ..SignalRules::default()
    };
    let strength = signal_strength(&inputs(50.0, 1.0, Trend::Up, 0.0), &broken);
    assert_eq!(strength.score, 0.0);
}

#[test]
fn bands_by_whole_points() {
    let cases = [
        (100.0, Band::VeryStrong),
        (80.0, Band::VeryStrong),
        (79.5, Band::VeryStrong),
        (79.49, Band::Strong),
        (70.0, Band::Strong),
        (69.0, Band::Moderate),
        (60.0, Band::Moderate),
        (59.0, Band::Weak),
        (50.0, Band::Weak),
        (49.0, Band::VeryWeak),
        (0.0, Band::VeryWeak),
    ];
    for (score, band) in cases {
        assert_eq!(Band::from_score(score), band, "score {score}");
        assert_eq!(
            Strength {
                score,
                incomplete: false
            }
            .band(),
            band
        );
    }
    let labels = [
        Band::VeryStrong,
        Band::Strong,
        Band::Moderate,
        Band::Weak,
        Band::VeryWeak,
    ]
    .map(Band::label);
    assert_eq!(
        labels,
        ["very strong", "strong", "moderate", "weak", "very weak"]
    );
}

#[test]
fn display_shows_whole_points_and_a_question_mark_when_incomplete() {
    let shown = |score, incomplete| Strength { score, incomplete }.to_string();
    assert_eq!(shown(72.0, false), "72");
    assert_eq!(shown(72.0, true), "72?");
    assert_eq!(shown(100.0, false), "100");
    assert_eq!(shown(0.0, true), "0?");
    assert_eq!(shown(79.5, false), "80");
}

#[test]
fn rules_load_from_toml_over_the_defaults() {
    let rules: SignalRules = toml::from_str("rsi_oversold = 25.0").unwrap();
    assert_eq!(rules.rsi_oversold, 25.0);
    assert_eq!(
        SignalRules {
            rsi_oversold: 30.0,
            ..rules
        },
        SignalRules::default()
    );
    let empty: SignalRules = toml::from_str("").unwrap();
    assert_eq!(empty, SignalRules::default());
    let err = toml::from_str::<SignalRules>("rsi_oversold_below = 25.0").unwrap_err();
    assert!(err.to_string().contains("unknown field"), "{err}");
    let text = toml::to_string(&SignalRules::default()).unwrap();
    assert_eq!(
        toml::from_str::<SignalRules>(&text).unwrap(),
        SignalRules::default()
    );
}

#[test]
fn validate_names_the_bad_field() {
    assert_eq!(SignalRules::default().validate(), Ok(()));
    let negative = SignalRules {
        trend_points: -10.0,
        ..SignalRules::default()
    };
    assert!(negative.validate().unwrap_err().starts_with("trend_points"));
    let nan = SignalRules {
        rsi_neutral_low: f64::NAN,
        ..SignalRules::default()
    };
    assert!(nan.validate().unwrap_err().starts_with("rsi_neutral_low"));
    let crossed = SignalRules {
        rsi_neutral_high: 75.0,
        ..SignalRules::default()
    };
    assert!(crossed.validate().unwrap_err().contains("RSI thresholds"));
    let returns = SignalRules {
        return_mid_pct: 12.0,
        ..SignalRules::default()
    };
    assert!(returns
        .validate()
        .unwrap_err()
        .contains("return thresholds"));
}
