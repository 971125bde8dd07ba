//! Splits and cash dividends DuckLens can see in the stored prices, proposed for the symbols
//! held on the day, for the user to confirm once each.
//!
//! - **Split**: the raw close jumps between two consecutive bars by a split ratio (within
//!   10 %) while the adjusted close moves by less than 20 %: 2:1 halves the close.
//! - **Dividend**: the adjustment factor f = adj_close / close changes between consecutive
//!   bars without a split: a cash dividend of close_prev × (1 − f_prev / f_next) a share.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;

use super::{CostMethod, Kind, Split, Transaction};
use crate::domain::bar::Bar;
use crate::domain::portfolio::to_cents;
use crate::domain::symbol::Symbol;

/// Ratios looked for, as (to, from).
const RATIOS: &[(u32, u32)] = &[
    (2, 1),
    (3, 1),
    (4, 1),
    (5, 1),
    (10, 1),
    (3, 2),
    (1, 2),
    (1, 5),
    (1, 10),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Proposed {
    Split { ratio: Split },
    Dividend { per_share: Decimal, amount: Decimal },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub date: NaiveDate,
    pub symbol: Symbol,
    pub proposed: Proposed,
    /// The shares held the day before.
    pub held: Decimal,
    /// Already in the ledger (a SPLIT of that ratio, or a DIVIDEND, on that symbol and day).
    pub recorded: bool,
}

impl Proposal {
    pub fn transaction(&self) -> Transaction {
        let t = match &self.proposed {
            Proposed::Split { ratio } => Transaction::split(self.date, self.symbol.clone(), *ratio),
            Proposed::Dividend { amount, .. } => {
                Transaction::dividend(self.date, self.symbol.clone(), *amount)
            }
        };
        t.with_source(super::Source::Proposal)
            .with_notes(Some("proposed from the stored prices".into()))
    }

    pub fn describe(&self) -> String {
        match &self.proposed {
            Proposed::Split { ratio } => format!(
                "SPLIT {} {ratio} on {} ({} held)",
                self.symbol, self.date, self.held
            ),
            Proposed::Dividend { per_share, amount } => format!(
                "DIVIDEND {} {amount} on {} ({per_share} a share × {} held)",
                self.symbol, self.date, self.held
            ),
        }
    }
}

fn split_between(prev: &Bar, next: &Bar) -> Option<Split> {
    if next.close <= Decimal::ZERO {
        return None;
    }
    let jump = prev.close / next.close;
    let adj_move = match (prev.adj_close, next.adj_close) {
        (Some(a), Some(b)) if b > Decimal::ZERO => a / b,
        _ => return None,
    };
    if !(dec!(0.8)..=dec!(1.25)).contains(&adj_move) {
        return None;
    }
    RATIOS.iter().find_map(|&(to, from)| {
        let ratio = Decimal::from(to) / Decimal::from(from);
        ((jump / ratio - Decimal::ONE).abs() < dec!(0.1)).then_some(Split { to, from })
    })
}

fn dividend_between(prev: &Bar, next: &Bar) -> Option<Decimal> {
    let factor = |b: &Bar| {
        b.adj_close
            .filter(|_| b.close > Decimal::ZERO)
            .map(|a| a / b.close)
    };
    let (f_prev, f_next) = (factor(prev)?, factor(next)?);
    if f_next <= Decimal::ZERO || f_prev >= f_next {
        return None;
    }
    let per_share = prev.close * (Decimal::ONE - f_prev / f_next);
    // Rounding of a 12-decimal adjusted close is no dividend.
    (per_share >= dec!(0.005)).then(|| per_share.round_dp(4))
}

/// The ledger replayed forward to ever later dates: the candidates, sorted by their eve,
/// cost one replay in all, not one each (a dividend a quarter on 50 symbols over ten years
/// would otherwise replay a 5,000-transaction ledger 2,000 times). `None` once a
/// transaction fails to apply, as `replay` to any later date would fail.
struct Replaying<'a> {
    sorted: &'a [&'a Transaction],
    next: usize,
    state: super::LedgerState,
    failed: bool,
}

impl<'a> Replaying<'a> {
    fn new(sorted: &'a [&'a Transaction], method: CostMethod) -> Self {
        Replaying {
            sorted,
            next: 0,
            state: super::LedgerState::new(method),
            failed: false,
        }
    }

    /// The state after every transaction dated on or before `date` (dates never go back).
    fn until(&mut self, date: NaiveDate) -> Option<&super::LedgerState> {
        while !self.failed && self.next < self.sorted.len() && self.sorted[self.next].date <= date {
            self.failed = self.state.apply(self.sorted[self.next]).is_err();
            self.next += 1;
        }
        (!self.failed).then_some(&self.state)
    }
}

/// Every split and dividend the bars (each symbol's in date order) show on a day a symbol was held by the ledger.
pub fn proposals(
    bars: &BTreeMap<Symbol, Vec<Bar>>,
    transactions: &[Transaction],
    method: CostMethod,
) -> Vec<Proposal> {
    let pairs: Vec<(Symbol, Bar, Bar)> = bars
        .iter()
        .flat_map(|(symbol, series)| {
            series
                .windows(2)
                .map(|w| (symbol.clone(), w[0].clone(), w[1].clone()))
        })
        .collect();
    proposals_from_pairs(&pairs, transactions, method)
}

/// [`proposals`] over consecutive bars given as (symbol, bar, next bar): the store hands
/// over only the pairs whose adjustment factor moves, not every bar.
pub fn proposals_from_pairs(
    pairs: &[(Symbol, Bar, Bar)],
    transactions: &[Transaction],
    method: CostMethod,
) -> Vec<Proposal> {
    // Every candidate first, then one replay forward through their eves.
    let mut candidates: Vec<(NaiveDate, NaiveDate, &Symbol, Proposed)> = Vec::new();
    for (symbol, prev, next) in pairs {
        let proposed = match split_between(prev, next) {
            Some(ratio) => Proposed::Split { ratio },
            None => match dividend_between(prev, next) {
                Some(per_share) => Proposed::Dividend {
                    per_share,
                    amount: Decimal::ZERO,
                },
                None => continue,
            },
        };
        candidates.push((prev.date, next.date, symbol, proposed));
    }
    candidates.sort_by_key(|(eve, ..)| *eve);
    let mut sorted: Vec<&Transaction> = transactions.iter().collect();
    sorted.sort_by_key(|t| (t.date, t.id));
    let mut by_day: HashMap<(NaiveDate, &Symbol), Vec<&Transaction>> = HashMap::new();
    for t in transactions {
        if let Some(s) = &t.symbol {
            by_day.entry((t.date, s)).or_default().push(t);
        }
    }
    let mut ledger = Replaying::new(&sorted, method);
    let mut out = Vec::new();
    for (eve, date, symbol, proposed) in candidates {
        let Some(state) = ledger.until(eve) else {
            break;
        };
        let held = state.quantity(symbol);
        if held <= Decimal::ZERO {
            continue;
        }
        let proposed = match proposed {
            Proposed::Dividend { per_share, .. } => Proposed::Dividend {
                per_share,
                amount: to_cents(per_share * held),
            },
            split => split,
        };
        let recorded = by_day.get(&(date, symbol)).is_some_and(|same_day| {
            same_day.iter().any(|t| match &proposed {
                Proposed::Split { ratio } => t.kind == Kind::Split && t.split == Some(*ratio),
                Proposed::Dividend { .. } => t.kind == Kind::Dividend,
            })
        });
        out.push(Proposal {
            date,
            symbol: symbol.clone(),
            proposed,
            held: held.normalize(),
            recorded,
        });
    }
    out.sort_by(|a, b| (a.date, &a.symbol).cmp(&(b.date, &b.symbol)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(day: &str, close: Decimal, adj: Decimal) -> Bar {
        Bar {
            date: day.parse().unwrap(),
            open: None,
            high: None,
            low: None,
            close,
            adj_close: Some(adj),
            volume: None,
        }
    }

    #[test]
    fn a_split_and_a_dividend_are_seen_for_a_held_symbol_only() {
        let aaa = Symbol::parse("AAA").unwrap();
        let zzz = Symbol::parse("ZZZ").unwrap();
        let mut bars = BTreeMap::new();
        // 2:1 on 01-06: close 100 → 50.2, adjusted 50 → 50.2 (no jump).
        // Dividend on 01-08: f goes 0.5 → 0.5 × 100/99 (adjusted close 25.25 on a close of
        // 50.5, then 25.5 on 51): 50.5 × (1 − 0.99) = 0.505 a share.
        bars.insert(
            aaa.clone(),
            vec![
                bar("2026-01-05", dec!(100), dec!(50)),
                bar("2026-01-06", dec!(50.2), dec!(50.2)),
                bar("2026-01-07", dec!(50.5), dec!(49.995)),
                bar("2026-01-08", dec!(51), dec!(51)),
            ],
        );
        bars.insert(
            zzz,
            vec![
                bar("2026-01-05", dec!(100), dec!(50)),
                bar("2026-01-06", dec!(50), dec!(50)),
            ],
        );
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let mut txs = vec![Transaction::opening_position(
            d("2026-01-02"),
            aaa.clone(),
            dec!(10),
            dec!(90),
        )];
        let found = proposals(&bars, &txs, CostMethod::Fifo);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0].proposed,
            Proposed::Split {
                ratio: Split::new(2, 1).unwrap()
            }
        );
        assert_eq!(found[0].held, dec!(10));
        // f: 49.995 / 50.5 = 0.99, then 1 → 50.5 × (1 − 0.99) = 0.505 a share; the ledger
        // does not know of the split yet, so 10 held → 5.05
        assert_eq!(
            found[1].proposed,
            Proposed::Dividend {
                per_share: dec!(0.505),
                amount: dec!(5.05)
            }
        );
        txs.push(found[0].transaction());
        let again = proposals(&bars, &txs, CostMethod::Fifo);
        assert!(again[0].recorded);
        // After the recorded split, 20 held on the dividend's eve: 20 × 0.505 = 10.10
        assert_eq!(
            again[1].proposed,
            Proposed::Dividend {
                per_share: dec!(0.505),
                amount: dec!(10.10)
            }
        );
    }
}
