//! Each form's builder: reads its fields in order, each through its parser, checks the
//! rules between fields, and gives the operation (or the backtest) the form stands for.
//! What a builder finds wrong is shown beside the field as it is typed; Enter sends what
//! it built, so nothing is parsed twice and no value falls back to a default.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::ledger_forms;
use super::parse::{self, Parsed};
use super::{ClosePreview, Form, FormKind};
use crate::domain::backtest::ParamOverrides;
use crate::domain::journal::{classify_outcome, trade_profit};
use crate::domain::portfolio::{Holding, WatchItem};
use crate::domain::tracker;
use crate::service::backtest::BacktestPlan;
use crate::service::import::ImportRequest;
use crate::service::ops::{contradiction, BalanceInput, Op, SignalDraft, SwapRef};
use crate::service::swap::SwapFills;
use crate::tui::backtest_job::BacktestRequest;

/// What a form sends.
#[derive(Debug, Clone, PartialEq)]
pub enum Submission {
    Apply(Op),
    Backtest(BacktestRequest),
    /// Applied by the app itself: the journal's symbol and date range.
    JournalWindow(crate::tui::tabs::signals::Window),
    /// A file the worker reads and imports.
    Import(ImportRequest),
}

/// A form's fields, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    /// The message beside each field; `None` where it is fine.
    pub errors: Vec<Option<String>>,
    /// What Enter sends; `None` while a field is wrong.
    pub submission: Option<Submission>,
    /// Lines computed from what is typed (the exit's P&L, the swap's cash change).
    pub preview: Vec<String>,
    /// Why Enter must be pressed twice (an outcome contradicting the P&L).
    pub confirm: Option<String>,
}

impl Evaluated {
    pub fn is_valid(&self) -> bool {
        self.errors.iter().all(Option::is_none) && self.submission.is_some()
    }
}

/// One field as read: where it is (to flag a rule between fields on it) and its value.
pub(super) struct Read<T> {
    pub(super) at: usize,
    pub(super) value: Option<T>,
}

/// Reads a form's fields in order.
pub(super) struct Reader<'a> {
    form: &'a Form,
    next: usize,
    errors: Vec<Option<String>>,
    pub(super) preview: Vec<String>,
    confirm: Option<String>,
}

impl<'a> Reader<'a> {
    fn new(form: &'a Form) -> Self {
        Reader {
            form,
            next: 0,
            errors: vec![None; form.fields.len()],
            preview: Vec::new(),
            confirm: None,
        }
    }

    pub(super) fn read<T>(&mut self, parse: impl FnOnce(&str) -> Parsed<T>) -> Read<T> {
        let at = self.next;
        self.next += 1;
        let text = self
            .form
            .fields
            .get(at)
            .map(|f| f.text())
            .unwrap_or_default();
        let value = match parse(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors[at] = Some(e);
                None
            }
        };
        Read { at, value }
    }

    /// A rule between fields broken: said beside the field `at` (when it has no message yet).
    pub(super) fn flag(&mut self, at: usize, message: String) {
        if let Some(slot) = self.errors.get_mut(at).filter(|e| e.is_none()) {
            *slot = Some(message);
        }
    }
}

pub(super) fn evaluate(form: &Form) -> Evaluated {
    let mut r = Reader::new(form);
    let today = form.today;
    let submission = match &form.kind {
        FormKind::Balance => balance(&mut r, today).map(Submission::Apply),
        FormKind::WatchAdd => watch_add(&mut r, today).map(Submission::Apply),
        FormKind::WatchRemove(s) => Some(Submission::Apply(Op::RemoveWatch(vec![s.clone()]))),
        FormKind::HoldingAdd => holding(&mut r, today, None).map(Submission::Apply),
        FormKind::HoldingEdit(old) => {
            holding(&mut r, today, Some(old.clone())).map(Submission::Apply)
        }
        FormKind::HoldingRemove(s) => Some(Submission::Apply(Op::RemoveHolding(s.clone()))),
        FormKind::SignalNew => signal_new(&mut r, today).map(Submission::Apply),
        FormKind::SignalTake { id, signal_date } => {
            signal_take(&mut r, today, *id, *signal_date).map(Submission::Apply)
        }
        FormKind::SignalClose(p) => signal_close(&mut r, today, p).map(Submission::Apply),
        FormKind::SignalNote(id) => {
            let text = r.read(parse::any);
            text.value
                .map(|text| Submission::Apply(Op::NoteSignal { id: *id, text }))
        }
        FormKind::ExecuteSwap {
            as_of,
            sell,
            buy,
            opened,
        } => {
            let target = SwapRef::Recommended {
                as_of: *as_of,
                sell: sell.clone(),
                buy: buy.clone(),
            };
            execute_swap(&mut r, today, target, *opened).map(Submission::Apply)
        }
        FormKind::BacktestParams => backtest(&mut r).map(Submission::Backtest),
        FormKind::JournalWindow => journal_window(&mut r).map(Submission::JournalWindow),
        FormKind::LedgerTrade => ledger_forms::trade(&mut r, today).map(Submission::Apply),
        FormKind::LedgerCash => ledger_forms::cash(&mut r, today).map(Submission::Apply),
        FormKind::LedgerDividend => ledger_forms::dividend(&mut r, today).map(Submission::Apply),
        FormKind::LedgerSplit => ledger_forms::split(&mut r, today).map(Submission::Apply),
        FormKind::LedgerDelete(id) => Some(Submission::Apply(Op::DeleteTransaction {
            id: *id,
            confirmed: true,
        })),
        FormKind::Import => super::import_form::build(&mut r).map(Submission::Import),
    };
    let valid = r.errors.iter().all(Option::is_none);
    Evaluated {
        errors: r.errors,
        submission: submission.filter(|_| valid),
        preview: r.preview,
        confirm: r.confirm,
    }
}

fn journal_window(r: &mut Reader) -> Option<crate::tui::tabs::signals::Window> {
    let symbol = r.read(|v| match v {
        "" => Ok(None),
        v => parse::symbol(v).map(Some),
    });
    let from = r.read(parse::optional_date);
    let to = r.read(parse::optional_date);
    if let (Some(Some(f)), Some(Some(t))) = (from.value, to.value) {
        if t < f {
            r.flag(to.at, format!("must not be before From ({f})"));
            return None;
        }
    }
    Some(crate::tui::tabs::signals::Window {
        symbol: symbol.value?,
        from: from.value?,
        to: to.value?,
    })
}

fn balance(r: &mut Reader, today: NaiveDate) -> Option<Op> {
    let date = r.read(parse::past_date(today));
    let cash = r.read(parse::non_negative);
    let available = r.read(parse::non_negative);
    let used = r.read(parse::non_negative);
    let notes = r.read(parse::text);
    if let (Some(a), Some(u)) = (available.value, used.value) {
        if u > a {
            r.flag(used.at, format!("{u} is above the margin available ({a})"));
        }
    }
    Some(Op::RecordBalance(BalanceInput {
        as_of: Some(date.value?),
        cash: Some(cash.value?),
        margin_available: Some(available.value?),
        margin_used: Some(used.value?),
        notes: notes.value?,
    }))
}

fn watch_add(r: &mut Reader, today: NaiveDate) -> Option<Op> {
    let symbol = r.read(parse::symbol);
    let added = r.read(parse::past_date(today));
    let notes = r.read(parse::text);
    Some(Op::AddWatch(vec![WatchItem {
        symbol: symbol.value?,
        added: added.value?,
        notes: notes.value?,
    }]))
}

fn holding(
    r: &mut Reader,
    today: NaiveDate,
    replaces: Option<crate::domain::symbol::Symbol>,
) -> Option<Op> {
    let symbol = r.read(parse::symbol);
    let quantity = r.read(parse::positive);
    let cost = r.read(parse::positive);
    let opened = r.read(parse::optional_past_date(today));
    let notes = r.read(parse::text);
    let holding = Holding::new(
        symbol.value?,
        quantity.value?,
        cost.value?,
        opened.value?,
        notes.value?,
    )
    .ok()?;
    // Editing the symbol renames the holding: the old row goes in the same save.
    Some(Op::SaveHolding { holding, replaces })
}

fn signal_new(r: &mut Reader, today: NaiveDate) -> Option<Op> {
    let symbol = r.read(parse::symbol);
    let kind = r.read(parse::signal_type);
    let date = r.read(parse::optional_past_date(today));
    let price = r.read(parse::optional_positive);
    let strength = r.read(parse::optional_strength);
    let notes = r.read(parse::text);
    Some(Op::NewSignal(SignalDraft {
        price: price.value?,
        strength: strength.value?,
        notes: notes.value?,
        date: date.value?,
        ..SignalDraft::new(symbol.value?, kind.value?, "manual")
    }))
}

fn signal_take(r: &mut Reader, today: NaiveDate, id: i64, signal_date: NaiveDate) -> Option<Op> {
    let date = r.read(parse::past_date(today));
    let price = r.read(parse::positive);
    let quantity = r.read(parse::whole_positive);
    if let Some(d) = date.value.filter(|d| *d < signal_date) {
        r.flag(date.at, format!("{d} is before the signal ({signal_date})"));
    }
    Some(Op::TakeSignal {
        id,
        date: Some(date.value?),
        price: price.value?,
        quantity: quantity.value?,
    })
}

fn signal_close(r: &mut Reader, today: NaiveDate, p: &ClosePreview) -> Option<Op> {
    let date = r.read(parse::past_date(today));
    let price = r.read(parse::positive);
    let outcome = r.read(parse::optional_outcome);
    if let Some(d) = date.value.filter(|d| *d < p.entry_date) {
        r.flag(
            date.at,
            format!("{d} is before the entry ({})", p.entry_date),
        );
    }
    match price.value {
        Some(exit) => {
            let profit = trade_profit(p.signal_type, p.entry_price, exit, p.quantity, p.commission);
            let computed = classify_outcome(profit, p.entry_price * p.quantity, p.breakeven_pct);
            r.preview.push(format!(
                "P&L {profit:+.2} after {} commission → {}",
                p.commission,
                computed.as_str()
            ));
            if let Some(Some(o)) = outcome.value {
                if o != computed && tracker::contradicts(o, profit) {
                    r.confirm = Some(contradiction(o, profit));
                }
            }
        }
        None => r.preview.push("P&L: type the exit price".into()),
    }
    Some(Op::CloseSignal {
        id: p.id,
        date: Some(date.value?),
        price: price.value?,
        outcome: outcome.value?,
        confirmed: r.form.confirming,
    })
}

fn execute_swap(
    r: &mut Reader,
    today: NaiveDate,
    target: SwapRef,
    opened: Option<NaiveDate>,
) -> Option<Op> {
    let sell_quantity = r.read(parse::whole_positive);
    let sell_price = r.read(parse::positive);
    let buy_quantity = r.read(parse::whole_positive);
    let buy_price = r.read(parse::positive);
    let date = r.read(parse::past_date(today));
    if let SwapRef::Recommended { as_of, sell, .. } = &target {
        match (date.value, opened) {
            (Some(d), Some(o)) if d < o => {
                r.flag(date.at, format!("{d} is before {sell} was bought ({o})"))
            }
            (Some(d), _) if d < *as_of => r.flag(
                date.at,
                format!("{d} is before the swap was recommended ({as_of})"),
            ),
            _ => {}
        }
    }
    let leg = |q: Option<Decimal>, p: Option<Decimal>| q.zip(p).map(|(q, p)| (q * p).round_dp(2));
    if let (Some(s), Some(b)) = (
        leg(sell_quantity.value, sell_price.value),
        leg(buy_quantity.value, buy_price.value),
    ) {
        r.preview
            .push(format!("Proceeds {s}, cost {b}, cash change {:+}", s - b));
    }
    Some(Op::ExecuteSwap {
        swap: target,
        fills: SwapFills {
            sell_quantity: Some(sell_quantity.value?),
            sell_price: Some(sell_price.value?),
            buy_quantity: Some(buy_quantity.value?),
            buy_price: Some(buy_price.value?),
            date: Some(date.value?),
        },
    })
}

// The struct update keeps this building when the domain adds a parameter the form does not
// offer yet (that parameter then keeps the config's value).
#[allow(clippy::needless_update)]
fn backtest(r: &mut Reader) -> Option<BacktestRequest> {
    let strategy = r.read(parse::strategy);
    let from = r.read(parse::optional_date);
    let to = r.read(parse::optional_date);
    let capital = r.read(parse::optional_positive);
    let frequency = r.read(parse::optional_frequency);
    let entry = r.read(parse::optional_strength);
    let exit = r.read(parse::optional_strength);
    let multiplier = r.read(parse::optional_multiplier);
    let max_positions = r.read(parse::optional_count);
    let margin_limit = r.read(parse::optional_pct);
    let commission = r.read(parse::optional_non_negative);
    let commission_bps = r.read(parse::optional_rate);
    let slippage_bps = r.read(parse::optional_rate);
    if let (Some(Some(f)), Some(Some(t))) = (from.value, to.value) {
        if t <= f {
            r.flag(to.at, format!("{t} is not after From ({f})"));
        }
    }
    if let (Some(Some(buy_at)), Some(Some(sell_under))) = (entry.value, exit.value) {
        if sell_under > buy_at {
            r.flag(
                exit.at,
                format!("{sell_under} is above the entry strength ({buy_at})"),
            );
        }
    }
    let params = ParamOverrides {
        frequency: frequency.value?,
        entry_strength: entry.value?,
        exit_strength: exit.value?,
        sizing_multiplier: multiplier.value?,
        max_positions: max_positions.value?,
        margin_limit_pct: margin_limit.value?,
        initial_capital: capital.value?,
        commission_per_trade: commission.value?,
        commission_bps: commission_bps.value?,
        slippage_bps: slippage_bps.value?,
        ..ParamOverrides::default()
    };
    Some(BacktestRequest {
        plan: BacktestPlan {
            strategy: strategy.value?,
            from: from.value?,
            to: to.value?,
            params,
            ..BacktestPlan::default()
        },
        sweep: false,
    })
}
