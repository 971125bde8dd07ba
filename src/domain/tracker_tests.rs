use chrono::{NaiveDate, NaiveTime};
use rust_decimal_macros::dec;

use super::*;
use crate::domain::symbol::Symbol;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn signal(date: NaiveDate, source: &str) -> SignalRecord {
    let mut s = SignalRecord::new(
        date.and_time(NaiveTime::MIN),
        Symbol::parse("TEST").unwrap(),
        SignalType::Buy,
        source,
    );
    s.id = Some(1);
    s
}

fn closed(profit: Decimal, outcome: Outcome) -> SignalRecord {
    let mut s = signal(d(2026, 11, 20), "morning_check");
    s.action_taken = true;
    s.actual_profit = Some(profit);
    s.outcome = Some(outcome);
    s
}

#[test]
fn the_empty_journal_is_zeros_and_dashes() {
    let s = window_stats(&[]);
    assert_eq!(
        (s.total, s.taken, s.wins, s.losses, s.breakevens),
        (0, 0, 0, 0, 0)
    );
    assert_eq!(s.action_rate_pct, 0.0);
    assert_eq!(s.win_rate_pct, None);
    assert_eq!(s.total_pnl, Decimal::ZERO);
    assert_eq!(s.profit_factor, ProfitFactor::Undefined);
    assert_eq!(s.profit_factor.to_string(), "—");
    assert_eq!(
        serde_json::to_value(s.profit_factor).unwrap(),
        serde_json::Value::Null
    );
    let all = journal_stats(&[], d(2026, 11, 25), &[30, 90], &BTreeMap::new(), 20);
    assert_eq!(all.windows.len(), 3);
    assert!(all.missed.is_empty());
    assert!(all
        .calibration
        .iter()
        .all(|b| b.count == 0 && b.avg_forward_return_pct.is_none()));
}

#[test]
fn exact_statistics() {
    let journal = [
        closed(dec!(100), Outcome::Win),
        closed(dec!(50), Outcome::Win),
        closed(dec!(-60), Outcome::Loss),
        closed(dec!(2), Outcome::Breakeven),
        signal(d(2026, 11, 21), "manual"),
    ];
    let s = window_stats(&journal);
    assert_eq!((s.total, s.taken), (5, 4));
    assert_eq!(s.action_rate_pct, 80.0);
    // 2 wins of 4 closed → 50 %; P&L 100 + 50 − 60 + 2 = 92; expectancy 92 / 4 = 23.
    assert_eq!(s.win_rate_pct, Some(50.0));
    assert_eq!(s.total_pnl, dec!(92));
    assert_eq!(s.avg_win, Some(dec!(75)));
    assert_eq!(s.avg_loss, Some(dec!(-60)));
    assert_eq!(s.expectancy, Some(dec!(23)));
    // Gross profit 152 / gross loss 60 = 2.5333…
    let ProfitFactor::Value(pf) = s.profit_factor else {
        panic!("{:?}", s.profit_factor)
    };
    assert!((pf - 152.0 / 60.0).abs() < 1e-12);
}

#[test]
fn all_wins_is_an_infinite_profit_factor() {
    let s = window_stats(&[
        closed(dec!(10), Outcome::Win),
        closed(dec!(5), Outcome::Win),
    ]);
    assert_eq!(s.profit_factor, ProfitFactor::Infinite);
    assert_eq!(s.profit_factor.to_string(), "∞");
    assert_eq!(serde_json::to_value(s.profit_factor).unwrap(), "inf");
    assert_eq!(s.win_rate_pct, Some(100.0));
}

#[test]
fn profit_factor_without_gross_profit_or_loss_is_a_dash_not_infinite() {
    // Two exact breakevens: P&L 0 and 0, so neither a gross profit nor a gross loss.
    let s = window_stats(&[
        closed(dec!(0), Outcome::Breakeven),
        closed(dec!(0), Outcome::Breakeven),
    ]);
    assert_eq!(s.profit_factor, ProfitFactor::Undefined);
    assert_eq!(s.profit_factor.to_string(), "—");
}

#[test]
fn window_boundaries_land_on_the_boundary_day() {
    let as_of = d(2026, 11, 25);
    // 30 days before 11-25 is 10-26: included; 10-25 is not.
    let journal = [
        signal(d(2026, 10, 26), "a"),
        signal(d(2026, 10, 25), "a"),
        signal(d(2026, 8, 27), "a"),
    ];
    assert_eq!(in_window(&journal, as_of, 30).len(), 1);
    // 90 days before 11-25 is 08-27: included.
    assert_eq!(in_window(&journal, as_of, 90).len(), 3);
    let stats = journal_stats(&journal, as_of, &[30, 90], &BTreeMap::new(), 20);
    assert_eq!(stats.windows["30d"].total, 1);
    assert_eq!(stats.windows["90d"].total, 3);
    assert_eq!(stats.windows["all"].total, 3);
}

#[test]
fn take_and_close_compute_profit_and_outcome() {
    let mut s = signal(d(2026, 11, 2), "manual");
    take(&mut s, d(2026, 11, 3), dec!(100), dec!(10)).unwrap();
    assert_eq!(
        take(&mut s, d(2026, 11, 3), dec!(100), dec!(10)),
        Err(JournalError::AlreadyTaken(1))
    );
    // Exit at 100.40: profit 4.00 − 1 commission = 3.00 < 0.5 % of 1 000 → BREAKEVEN.
    close(&mut s, d(2026, 11, 13), dec!(100.40), None, dec!(1), 0.5).unwrap();
    assert_eq!(s.actual_profit, Some(dec!(3.00)));
    assert_eq!(s.days_held, Some(10));
    assert_eq!(s.outcome, Some(Outcome::Breakeven));
    assert!(!s.outcome_overridden);
    // The user may override; the journal notes it.
    close(
        &mut s,
        d(2026, 11, 13),
        dec!(100.40),
        Some("win"),
        dec!(1),
        0.5,
    )
    .unwrap();
    assert_eq!(s.outcome, Some(Outcome::Win));
    assert!(s.outcome_overridden);
    assert!(s.notes.as_deref().unwrap().contains("computed: BREAKEVEN"));
}

#[test]
fn bad_journal_input_is_refused() {
    let mut s = signal(d(2026, 11, 2), "manual");
    assert_eq!(
        close(&mut s, d(2026, 11, 3), dec!(1), None, dec!(0), 0.5),
        Err(JournalError::NotTaken(1))
    );
    assert!(matches!(
        take(&mut s, d(2026, 11, 3), dec!(0), dec!(1)),
        Err(JournalError::NotPositive { field: "price", .. })
    ));
    assert!(matches!(
        take(&mut s, d(2026, 11, 3), dec!(5), dec!(-1)),
        Err(JournalError::NotPositive {
            field: "quantity",
            ..
        })
    ));
    assert_eq!(
        take(&mut s, d(2026, 11, 3), dec!(5), dec!(1.5)),
        Err(JournalError::NotWhole(dec!(1.5)))
    );
    // Too many shares for the journal's INTEGER column says so, not "must be positive".
    let too_many = take(&mut s, d(2026, 11, 3), dec!(5), dec!(3000000000)).unwrap_err();
    assert_eq!(
        too_many.to_string(),
        "quantity 3000000000 is too large (at most 2147483647 shares)"
    );
    assert!(!s.action_taken, "a refused take changes nothing");
    take(&mut s, d(2026, 11, 3), dec!(5), dec!(2)).unwrap();
    assert_eq!(
        close(&mut s, d(2026, 11, 1), dec!(6), None, dec!(0), 0.5),
        Err(JournalError::ExitBeforeEntry {
            exit: d(2026, 11, 1),
            entry: d(2026, 11, 3)
        })
    );
    assert_eq!(
        close(&mut s, d(2026, 11, 5), dec!(6), Some("great"), dec!(0), 0.5),
        Err(JournalError::UnknownOutcome("great".into()))
    );
    assert_eq!(s.exit_price, None, "a refused close changes nothing");
}

#[test]
fn calibration_buckets_known_forward_returns() {
    // Prices 100, 101, …: a signal on day 0 with horizon 2 sees 102 / 100 − 1 = 2 %.
    let days: Vec<(NaiveDate, f64)> = (0..10)
        .map(|i| (d(2026, 1, 5) + Duration::days(i), 100.0 + i as f64))
        .collect();
    let closes = BTreeMap::from([("TEST".to_string(), days)]);
    let mut strong = signal(d(2026, 1, 5), "a");
    strong.signal_strength = Some(dec!(85));
    let mut moderate = signal(d(2026, 1, 7), "a");
    moderate.signal_strength = Some(dec!(65));
    let mut too_late = signal(d(2026, 1, 13), "a");
    too_late.signal_strength = Some(dec!(65));
    let mut weak = signal(d(2026, 1, 5), "a");
    weak.signal_strength = Some(dec!(45));
    let bands = calibration(&[strong, moderate, too_late, weak], &closes, 2);
    assert_eq!(bands[3].band, "80-100");
    assert_eq!(bands[3].count, 1);
    assert!((bands[3].avg_forward_return_pct.unwrap() - 2.0).abs() < 1e-12);
    assert_eq!(bands[3].hit_rate_pct, Some(100.0));
    // 104 / 102 − 1 = 1.9608 %
    assert_eq!(bands[1].count, 1);
    assert!(
        (bands[1].avg_forward_return_pct.unwrap() - (104.0 / 102.0 - 1.0) * 100.0).abs() < 1e-12
    );
    assert_eq!(bands[0].count + bands[2].count, 0);
}

#[test]
fn top_missed_sorts_by_potential() {
    let mut a = signal(d(2026, 1, 5), "a");
    a.outcome = Some(Outcome::Missed);
    a.max_profit_potential = Some(dec!(50));
    let mut b = a.clone();
    b.max_profit_potential = Some(dec!(80));
    let mut c = a.clone();
    c.outcome = Some(Outcome::Passed);
    let top = top_missed(&[a, b, c], 10);
    assert_eq!(
        top.iter()
            .map(|m| m.max_profit_potential)
            .collect::<Vec<_>>(),
        [dec!(80), dec!(50)]
    );
}

#[test]
fn an_override_that_contradicts_the_pnl_is_counted_by_the_pnl() {
    // A LOSS recorded on a +120 trade and a WIN on a −60 one: the statistics count them by
    // their P&L, so win rate (1 of 2), P&L (+60) and profit factor (120 / 60 = 2) agree.
    let mut gain = closed(dec!(120), Outcome::Loss);
    gain.outcome_overridden = true;
    let mut loss = closed(dec!(-60), Outcome::Win);
    loss.outcome_overridden = true;
    let s = window_stats(&[gain, loss]);
    assert_eq!((s.wins, s.losses), (1, 1));
    assert_eq!(s.win_rate_pct, Some(50.0));
    assert_eq!(s.total_pnl, dec!(60));
    assert_eq!(s.profit_factor, ProfitFactor::Value(2.0));
    assert!(contradicts(Outcome::Loss, dec!(120)));
    assert!(!contradicts(Outcome::Breakeven, dec!(1)));
}
