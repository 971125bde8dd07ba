//! What saving a form sends to the worker, and the live preview some forms compute from
//! what is typed.

use super::checks::{self, date_of, decimal_of};
use super::{Form, FormKind};
use crate::domain::execution::Fill;
use crate::domain::journal::{classify_outcome, trade_profit};
use crate::domain::portfolio::{AccountBalance, Holding, WatchItem};
use crate::domain::symbol::Symbol;
use crate::tui::worker::{Command, NewSignal};

fn opt(v: String) -> Option<String> {
    Some(v).filter(|v| !v.is_empty())
}

/// The worker command that saves `form`; `None` while a field is invalid.
pub fn command(form: &Form) -> Option<Command> {
    if !form.is_valid() {
        return None;
    }
    let v = |label: &str| form.value(label);
    let dec = |label: &str| decimal_of(&v(label));
    Some(match &form.kind {
        FormKind::Balance => Command::SaveBalance(AccountBalance {
            as_of: date_of(&v("Date"))?,
            cash: dec("Cash"),
            margin_available: dec("Margin available"),
            margin_used: dec("Margin used"),
            notes: opt(v("Notes")),
        }),
        FormKind::WatchAdd => Command::AddWatch(WatchItem {
            symbol: Symbol::parse(&v("Symbol")).ok()?,
            added: date_of(&v("Added"))?,
            notes: opt(v("Notes")),
        }),
        FormKind::WatchRemove(s) => Command::RemoveWatch(s.clone()),
        FormKind::HoldingAdd | FormKind::HoldingEdit(_) => Command::SaveHolding {
            holding: Holding::new(
                Symbol::parse(&v("Symbol")).ok()?,
                dec("Quantity"),
                dec("Average cost"),
                date_of(&v("Opened")),
                opt(v("Notes")),
            )
            .ok()?,
            // Editing the symbol renames the holding: the old row goes in the same save.
            replaces: match &form.kind {
                FormKind::HoldingEdit(old) => Some(old.clone()),
                _ => None,
            },
        },
        FormKind::HoldingRemove(s) => Command::RemoveHolding(s.clone()),
        FormKind::SignalNew => Command::NewSignal(NewSignal {
            symbol: v("Symbol"),
            signal_type: v("Type"),
            price: opt(v("Price")),
            strength: v("Strength").parse().ok(),
            date: date_of(&v("Date")),
            notes: opt(v("Notes")),
        }),
        FormKind::SignalTake(id) => Command::TakeSignal {
            id: *id,
            date: date_of(&v("Entry date"))?,
            price: dec("Entry price"),
            quantity: dec("Quantity"),
        },
        FormKind::SignalClose(p) => Command::CloseSignal {
            id: p.id,
            date: date_of(&v("Exit date"))?,
            price: dec("Exit price"),
            outcome: opt(v("Outcome").to_ascii_uppercase()),
        },
        FormKind::SignalNote(id) => Command::NoteSignal {
            id: *id,
            text: v("Notes"),
        },
        FormKind::BacktestParams => {
            Command::RunBacktest(crate::tui::backtest_job::BacktestRequest {
                plan: crate::service::backtest::BacktestPlan {
                    strategy: crate::tui::backtest_job::parse_strategy(&v("Strategy"))?,
                    from: date_of(&v("From")),
                    to: date_of(&v("To")),
                    symbols: Vec::new(),
                    benchmark: None,
                    params: crate::service::backtest::StrategyFlags {
                        capital: opt(v("Capital")),
                        frequency: opt(v("Frequency")),
                        entry_strength: v("Entry strength").parse().ok(),
                        exit_strength: v("Exit strength").parse().ok(),
                        sizing_multiplier: v("Sizing multiplier").parse().ok(),
                        max_positions: v("Max positions").parse().ok(),
                        margin_limit: v("Margin limit %").parse().ok(),
                        commission: opt(v("Commission $")),
                        commission_bps: v("Commission bps").parse().ok(),
                        slippage_bps: v("Slippage bps").parse().ok(),
                    },
                },
                sweep: false,
            })
        }
        FormKind::ExecuteSwap { sell, buy } => Command::ExecuteSwap {
            sell: Fill {
                symbol: sell.clone(),
                quantity: dec("Sell quantity"),
                price: dec("Sell price"),
            },
            buy: Fill {
                symbol: buy.clone(),
                quantity: dec("Buy quantity"),
                price: dec("Buy price"),
            },
            date: date_of(&v("Date"))?,
        },
    })
}

/// Lines computed live from the fields: the exit's P&L and outcome, the swap's cash change.
pub fn preview(form: &Form) -> Vec<String> {
    let dec = |label: &str| {
        checks::positive(&form.value(label))
            .ok()
            .map(|_| decimal_of(&form.value(label)))
    };
    match &form.kind {
        FormKind::SignalClose(p) => match dec("Exit price") {
            Some(exit) => {
                let profit =
                    trade_profit(p.signal_type, p.entry_price, exit, p.quantity, p.commission);
                let outcome = classify_outcome(profit, p.entry_price * p.quantity, p.breakeven_pct);
                vec![format!(
                    "P&L {profit:+.2} after {} commission → {}",
                    p.commission,
                    outcome.as_str()
                )]
            }
            None => vec!["P&L: type the exit price".into()],
        },
        FormKind::ExecuteSwap { .. } => {
            let leg = |q: &str, p: &str| dec(q).zip(dec(p)).map(|(q, p)| (q * p).round_dp(2));
            match (
                leg("Sell quantity", "Sell price"),
                leg("Buy quantity", "Buy price"),
            ) {
                (Some(s), Some(b)) => {
                    vec![format!("Proceeds {s}, cost {b}, cash change {:+}", s - b)]
                }
                _ => vec![],
            }
        }
        _ => vec![],
    }
}
