//! The ledger's scenarios, each with its arithmetic, and its invariants.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn sym(s: &str) -> Symbol {
    Symbol::parse(s).unwrap()
}

/// Gives each transaction its position as id, as the store would.
fn numbered(mut txs: Vec<Transaction>) -> Vec<Transaction> {
    for (i, t) in txs.iter_mut().enumerate() {
        t.id = i as i64 + 1;
    }
    txs
}

fn at(txs: &[Transaction], day: &str, method: CostMethod) -> LedgerState {
    replay(txs, d(day), method).unwrap()
}

fn two_lots() -> Vec<Transaction> {
    numbered(vec![
        Transaction::money(d("2026-01-02"), Kind::Deposit, dec!(10000)),
        Transaction::buy(d("2026-01-05"), sym("AAA"), dec!(10), dec!(100), dec!(0)),
        Transaction::buy(d("2026-02-02"), sym("AAA"), dec!(10), dec!(120), dec!(0)),
        Transaction::sell(d("2026-03-02"), sym("AAA"), dec!(15), dec!(130), dec!(0)),
    ])
}

#[test]
fn buy_then_sell_realizes_the_difference() {
    let txs = numbered(vec![
        Transaction::money(d("2026-01-02"), Kind::Deposit, dec!(5000)),
        Transaction::buy(d("2026-01-05"), sym("AAA"), dec!(10), dec!(100), dec!(0)),
        Transaction::sell(d("2026-01-20"), sym("AAA"), dec!(10), dec!(110), dec!(0)),
    ]);
    let mid = at(&txs, "2026-01-10", CostMethod::Fifo);
    // 5000 − 10 × 100 = 4000 cash, 10 AAA at 100
    assert_eq!(mid.cash, dec!(4000));
    assert_eq!(mid.quantity(&sym("AAA")), dec!(10));
    assert_eq!(mid.positions[&sym("AAA")].avg_cost(), dec!(100));
    let end = at(&txs, "2026-01-31", CostMethod::Fifo);
    // 4000 + 10 × 110 = 5100; realized 1100 − 1000 = 100; nothing held
    assert_eq!(end.cash, dec!(5100));
    assert_eq!(end.realized_pnl(), dec!(100));
    assert!(end.positions.is_empty());
}

#[test]
fn a_partial_sell_closes_the_oldest_lot_first() {
    let s = at(&two_lots(), "2026-03-31", CostMethod::Fifo);
    // FIFO: 15 sold = all 10 @ 100 (1000) + 5 of the 120 lot (600) → cost 1600;
    // proceeds 15 × 130 = 1950 → realized 350. Left: 5 @ 120.
    assert_eq!(s.realized[0].cost, dec!(1600));
    assert_eq!(s.realized_pnl(), dec!(350));
    assert_eq!(s.quantity(&sym("AAA")), dec!(5));
    assert_eq!(s.positions[&sym("AAA")].avg_cost(), dec!(120));
    // cash 10000 − 1000 − 1200 + 1950 = 9750
    assert_eq!(s.cash, dec!(9750));
}

#[test]
fn average_cost_pools_the_lots() {
    let s = at(&two_lots(), "2026-03-31", CostMethod::Average);
    // Average: 20 shares cost 2200 → 110 each; 15 sold cost 1650; 1950 − 1650 = 300.
    // Left: 5 @ 110.
    assert_eq!(s.realized_pnl(), dec!(300));
    assert_eq!(s.positions[&sym("AAA")].avg_cost(), dec!(110));
    assert_eq!(s.positions[&sym("AAA")].cost(), dec!(550));
}

#[test]
fn a_split_then_a_sell() {
    let txs = numbered(vec![
        Transaction::money(d("2026-01-02"), Kind::Deposit, dec!(2000)),
        Transaction::buy(d("2026-01-05"), sym("AAA"), dec!(10), dec!(100), dec!(0)),
        Transaction::buy(d("2026-01-06"), sym("AAA"), dec!(5), dec!(104), dec!(0)),
        Transaction::split(d("2026-02-02"), sym("AAA"), Split::new(2, 1).unwrap()),
        Transaction::sell(d("2026-02-10"), sym("AAA"), dec!(25), dec!(55), dec!(0)),
    ]);
    let after_split = at(&txs, "2026-02-05", CostMethod::Fifo);
    // per lot: 10 @ 100 → 20 @ 50 (cost 1000), 5 @ 104 → 10 @ 52 (cost 520)
    let lots = &after_split.positions[&sym("AAA")].lots;
    assert_eq!((lots[0].quantity, lots[0].cost), (dec!(20), dec!(1000)));
    assert_eq!((lots[1].quantity, lots[1].cost), (dec!(10), dec!(520)));
    // 1520 / 30 = 50.6667 per share
    assert_eq!(after_split.positions[&sym("AAA")].avg_cost(), dec!(50.6667));
    let s = at(&txs, "2026-02-28", CostMethod::Fifo);
    // 25 sold: 20 (1000) + 5 of 10 (260) = 1260; proceeds 25 × 55 = 1375 → 115
    assert_eq!(s.realized_pnl(), dec!(115));
    assert_eq!(s.quantity(&sym("AAA")), dec!(5));
}

#[test]
fn the_same_split_twice_is_refused_naming_the_ratio() {
    let split = Transaction::split(d("2026-02-02"), sym("AAA"), Split::new(3, 2).unwrap());
    let txs = numbered(vec![
        Transaction::opening_position(d("2026-01-02"), sym("AAA"), dec!(10), dec!(30)),
        split.clone(),
        split,
    ]);
    let err = replay(&txs, d("2026-12-31"), CostMethod::Fifo).unwrap_err();
    assert_eq!(err.field, "ratio");
    assert!(err
        .message
        .contains("3:2 split of AAA on 2026-02-02 is already recorded"));
    // once: 10 × 3/2 = 15 shares, cost 300 → 20 each
    let once = at(&txs[..2], "2026-12-31", CostMethod::Fifo);
    assert_eq!(once.positions[&sym("AAA")].avg_cost(), dec!(20));
}

#[test]
fn refusals_name_the_field() {
    let over = numbered(vec![
        Transaction::opening_position(d("2026-01-02"), sym("AAA"), dec!(3), dec!(10)),
        Transaction::sell(d("2026-01-03"), sym("AAA"), dec!(4), dec!(10), dec!(0)),
    ]);
    let err = replay(&over, d("2026-12-31"), CostMethod::Fifo).unwrap_err();
    assert_eq!(
        err.to_string(),
        "quantity: selling 4 AAA on 2026-01-03 is more than the 3 held"
    );
    let no_cash = numbered(vec![Transaction::money(
        d("2026-01-02"),
        Kind::Withdrawal,
        dec!(1),
    )]);
    let err = replay(&no_cash, d("2026-12-31"), CostMethod::Fifo).unwrap_err();
    assert_eq!(err.field, "amount");
    let unheld_split = numbered(vec![Transaction::split(
        d("2026-01-02"),
        sym("ZZZ"),
        Split::new(2, 1).unwrap(),
    )]);
    let err = replay(&unheld_split, d("2026-12-31"), CostMethod::Fifo).unwrap_err();
    assert_eq!(err.field, "symbol");
    assert_eq!("3-2".parse::<Split>().unwrap(), Split::new(3, 2).unwrap());
    assert!("2:2".parse::<Split>().unwrap_err().starts_with("ratio:"));
}

#[test]
fn a_dividend_and_fees_and_interest() {
    let txs = numbered(vec![
        Transaction::money(d("2026-01-02"), Kind::Deposit, dec!(1000)),
        Transaction::buy(d("2026-01-05"), sym("AAA"), dec!(4), dec!(50), dec!(1.5)),
        Transaction::dividend(d("2026-03-15"), sym("AAA"), dec!(2.4)),
        Transaction::money(d("2026-03-31"), Kind::Fee, dec!(5)),
        Transaction::money(d("2026-03-31"), Kind::MarginInterest, dec!(0.75)),
        Transaction::sell(d("2026-04-01"), sym("AAA"), dec!(4), dec!(55), dec!(1.5)),
    ]);
    let s = at(&txs, "2026-04-30", CostMethod::Fifo);
    // buy: 4 × 50 + 1.5 = 201.50 out; cost 201.5 → 50.375 a share
    // sell: 4 × 55 − 1.5 = 218.50 in; realized 218.5 − 201.5 = 17
    assert_eq!(s.realized_pnl(), dec!(17));
    assert_eq!(s.dividends, dec!(2.40));
    // fees 1.50 + 1.50 + 5 = 8; interest −0.75
    assert_eq!(s.fees, dec!(8.00));
    assert_eq!(s.interest, dec!(-0.75));
    // cash 1000 − 201.50 + 2.40 − 5 − 0.75 + 218.50 = 1013.65
    assert_eq!(s.cash, dec!(1013.65));
}

fn bars(list: &[(&str, Decimal)]) -> Vec<(NaiveDate, Decimal)> {
    list.iter().map(|(day, c)| (d(day), *c)).collect()
}

#[test]
fn a_deposit_in_the_middle_is_a_flow_not_a_return() {
    let txs = numbered(vec![
        Transaction::money(d("2026-03-02"), Kind::Deposit, dec!(1000)),
        Transaction::buy(d("2026-03-02"), sym("AAA"), dec!(10), dec!(50), dec!(0)),
        Transaction::money(d("2026-03-04"), Kind::Deposit, dec!(500)),
        Transaction::money(d("2026-03-05"), Kind::Withdrawal, dec!(200)),
    ]);
    let mut history = PriceHistory::new();
    history.insert(
        sym("AAA"),
        bars(&[
            ("2026-03-02", dec!(50)),
            ("2026-03-03", dec!(52)),
            ("2026-03-04", dec!(51)),
            ("2026-03-05", dec!(53)),
        ]),
    );
    let days = daily_values(
        &txs,
        &history,
        d("2026-03-02"),
        d("2026-03-05"),
        CostMethod::Fifo,
    )
    .unwrap();
    let got: Vec<(Decimal, Decimal)> = days.iter().map(|v| (v.value, v.flow)).collect();
    // 03-02: cash 1000 − 500 = 500 + 10 × 50 = 1000, flow 1000
    // 03-03: 500 + 520 = 1020;  03-04: cash 1000 + 510 = 1510, flow 500
    // 03-05: cash 800 + 530 = 1330, flow −200
    assert_eq!(
        got,
        vec![
            (dec!(1000), dec!(1000)),
            (dec!(1020), dec!(0)),
            (dec!(1510), dec!(500)),
            (dec!(1330), dec!(-200)),
        ]
    );
}

#[test]
fn a_year_boundary_and_a_stopped_symbol() {
    let txs = numbered(vec![
        Transaction::opening_position(d("2025-12-30"), sym("AAA"), dec!(2), dec!(10)),
        Transaction::opening_position(d("2025-12-30"), sym("OLD"), dec!(1), dec!(7)),
        Transaction::money(d("2025-12-30"), Kind::OpeningCash, dec!(100)),
    ]);
    let mut history = PriceHistory::new();
    history.insert(
        sym("AAA"),
        bars(&[
            ("2025-12-30", dec!(10)),
            ("2025-12-31", dec!(11)),
            ("2026-01-02", dec!(12)),
        ]),
    );
    // OLD's prices stop on 12-30: it keeps its last bar (8), never dropped.
    history.insert(
        sym("OLD"),
        bars(&[("2025-12-29", dec!(6)), ("2025-12-30", dec!(8))]),
    );
    let days = daily_values(
        &txs,
        &history,
        d("2025-12-30"),
        d("2026-01-02"),
        CostMethod::Fifo,
    )
    .unwrap();
    let got: Vec<(NaiveDate, Decimal, Decimal)> =
        days.iter().map(|v| (v.date, v.value, v.flow)).collect();
    // 12-30: 100 + 2 × 10 + 1 × 8 = 128, flow 100 + 20 + 8 (opening at that day's value)
    // 12-31: 100 + 22 + 8 = 130;  01-02: 100 + 24 + 8 = 132
    assert_eq!(
        got,
        vec![
            (d("2025-12-30"), dec!(128), dec!(128)),
            (d("2025-12-31"), dec!(130), dec!(0)),
            (d("2026-01-02"), dec!(132), dec!(0)),
        ]
    );
}

#[test]
fn a_buy_before_the_first_stored_price_counts_at_its_price() {
    let txs = numbered(vec![
        Transaction::money(d("2026-05-01"), Kind::Deposit, dec!(1000)),
        Transaction::buy(d("2026-05-01"), sym("NEW"), dec!(10), dec!(20), dec!(0)),
    ]);
    let mut history = PriceHistory::new();
    history.insert(
        sym("SPY"),
        bars(&[("2026-05-01", dec!(400)), ("2026-05-04", dec!(401))]),
    );
    history.insert(sym("NEW"), bars(&[("2026-05-05", dec!(25))]));
    let days = daily_values(
        &txs,
        &history,
        d("2026-05-01"),
        d("2026-05-05"),
        CostMethod::Fifo,
    )
    .unwrap();
    let values: Vec<Decimal> = days.iter().map(|v| v.value).collect();
    // 05-01 and 05-04: 800 cash + 10 × 20 (the buy's price) = 1000; 05-05: 800 + 250 = 1050
    assert_eq!(values, vec![dec!(1000), dec!(1000), dec!(1050)]);
}

#[test]
fn an_adjustment_sets_the_position_without_cash() {
    let txs = numbered(vec![
        Transaction::opening_position(d("2026-01-02"), sym("AAA"), dec!(10), dec!(100)),
        Transaction::adjustment(d("2026-01-09"), sym("AAA"), dec!(12), dec!(95)),
        Transaction::adjustment(d("2026-01-10"), sym("BBB"), dec!(0), dec!(1)),
    ]);
    let s = at(&txs, "2026-01-31", CostMethod::Fifo);
    assert_eq!(s.quantity(&sym("AAA")), dec!(12));
    assert_eq!(s.positions[&sym("AAA")].avg_cost(), dec!(95));
    assert_eq!(s.positions[&sym("AAA")].opened(), Some(d("2026-01-02")));
    assert_eq!(s.cash, dec!(0));
    assert!(s.realized.is_empty());
}

/// Random valid ledgers: deposits, buys, sells of at most what is held, splits, dividends
/// and fees over three symbols, one transaction a day.
fn ledgers() -> impl Strategy<Value = Vec<Transaction>> {
    let step = (0u8..6, 0usize..3, 1u32..50, 1u32..300, 0u8..4);
    proptest::collection::vec(step, 1..40).prop_map(|steps| {
        let symbols = [sym("AAA"), sym("BBB"), sym("CCC")];
        let mut state = LedgerState::new(CostMethod::Fifo);
        let mut out = Vec::new();
        let start = d("2026-01-01");
        for (i, (kind, s, q, p, split)) in steps.into_iter().enumerate() {
            let date = start + chrono::Duration::days(i as i64);
            let symbol = symbols[s].clone();
            let (q, p) = (Decimal::from(q), Decimal::from(p));
            let held = state.quantity(&symbol);
            let t = match kind {
                0 => Transaction::money(date, Kind::Deposit, q * p),
                1 => Transaction::buy(date, symbol, q, p, dec!(1)),
                2 if held > Decimal::ZERO => {
                    Transaction::sell(date, symbol, held.min(q), p, dec!(0))
                }
                3 if held > Decimal::ZERO => {
                    let ratios = [(2, 1), (3, 1), (3, 2), (1, 2)];
                    let (to, from) = ratios[split as usize];
                    Transaction::split(date, symbol, Split::new(to, from).unwrap())
                }
                4 => Transaction::dividend(date, symbol, p),
                _ => Transaction::money(date, Kind::Fee, dec!(1)),
            };
            let mut t = t;
            t.id = i as i64 + 1;
            if state.apply(&t).is_ok() {
                out.push(t);
            }
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Replaying a prefix in one go gives the state reached by applying it one at a time,
    /// and the state's books balance: cash is the sum of the cash effects, and every share
    /// bought is held or sold (without splits), its cost held or realized.
    #[test]
    fn replay_matches_incremental_and_the_books_balance(txs in ledgers()) {
        let mut incremental = LedgerState::new(CostMethod::Fifo);
        for (n, t) in txs.iter().enumerate() {
            incremental.apply(t).unwrap();
            let replayed = replay(&txs[..=n], t.date, CostMethod::Fifo).unwrap();
            prop_assert_eq!(&replayed, &incremental);
        }
        let cash: Decimal = txs.iter().map(|t| t.amount).sum();
        prop_assert_eq!(incremental.cash, cash);
        let bought: Decimal = txs.iter().filter(|t| t.kind == Kind::Buy).map(|t| -t.amount).sum();
        let held: Decimal = incremental.positions.values().map(Position::cost).sum();
        let sold: Decimal = incremental.realized.iter().map(|r| r.cost).sum();
        prop_assert!((bought - held - sold).abs() < dec!(0.01), "{bought} {held} {sold}");
    }

    /// At every session, value = cash + Σ quantity × close − margin used, with the state of
    /// that day.
    #[test]
    fn every_day_values_cash_plus_positions(txs in ledgers(), base in 1u32..200) {
        let mut history = PriceHistory::new();
        for (k, s) in ["AAA", "BBB", "CCC"].iter().enumerate() {
            let series = (0..45)
                .map(|i| (d("2026-01-01") + chrono::Duration::days(i),
                          Decimal::from(base + k as u32 * 7 + (i as u32 % 5))))
                .collect();
            history.insert(sym(s), series);
        }
        let days = daily_values(&txs, &history, d("2026-01-01"), d("2026-02-14"),
                                CostMethod::Fifo).unwrap();
        for day in &days {
            let s = replay(&txs, day.date, CostMethod::Fifo).unwrap();
            let held: Decimal = s.positions.values().map(|p| {
                let bars = &history[&p.symbol];
                let close = bars.iter().rev().find(|(bd, _)| *bd <= day.date).unwrap().1;
                p.quantity() * close
            }).sum();
            prop_assert_eq!(day.value, to_cents(s.cash + held - s.margin_used));
        }
    }
}
