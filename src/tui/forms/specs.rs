//! Each form of the app and its fields, prefilled; `build.rs` parses them into what the
//! form sends.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Field, Form};
use crate::domain::analyzer::Swap;
use crate::domain::backtest::Frequency;
use crate::domain::journal::{SignalRecord, SignalType};
use crate::domain::portfolio::{AccountBalance, Holding};
use crate::domain::symbol::Symbol;

#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    Balance,
    WatchAdd,
    WatchRemove(Symbol),
    HoldingAdd,
    HoldingEdit(Symbol),
    HoldingRemove(Symbol),
    SignalNew,
    SignalTake {
        id: i64,
        /// The entry cannot be before the signal.
        signal_date: NaiveDate,
    },
    SignalClose(ClosePreview),
    SignalNote(i64),
    /// The swap the morning analysis of `as_of` recommends for this pair.
    ExecuteSwap {
        as_of: NaiveDate,
        sell: Symbol,
        buy: Symbol,
        /// When the sold holding was opened: the sale cannot be before it.
        opened: Option<NaiveDate>,
    },
    BacktestParams,
    /// The ledger's forms (issue 15, in `ledger_forms.rs`).
    LedgerTrade,
    LedgerCash,
    LedgerDividend,
    LedgerSplit,
    LedgerDelete(i64),
    /// The journal's symbol and date-range filter: applied in the app, nothing is saved.
    JournalWindow,
    /// A file to import (issue 17, in `import_form.rs`).
    Import,
}

/// What the exit form needs to compute P&L and the outcome as the user types.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosePreview {
    pub id: i64,
    pub signal_type: SignalType,
    pub entry_date: NaiveDate,
    pub entry_price: Decimal,
    pub quantity: Decimal,
    pub commission: Decimal,
    pub breakeven_pct: f64,
}

pub fn balance(latest: Option<&AccountBalance>, today: NaiveDate) -> Form {
    let money = |f: fn(&AccountBalance) -> Decimal| {
        latest.map(f).map(|d| d.to_string()).unwrap_or_default()
    };
    Form::new(
        FormKind::Balance,
        "Record balances",
        today,
        vec![
            Field::new("Date", "YYYY-MM-DD", &today.to_string()),
            Field::new("Cash", "dollars, e.g. 1126.79", &money(|b| b.cash)),
            Field::new(
                "Margin available",
                "dollars",
                &money(|b| b.margin_available),
            ),
            Field::new("Margin used", "dollars", &money(|b| b.margin_used)),
            Field::new("Notes", "optional", ""),
        ],
    )
    .with_intro("A second record on the same date replaces the first.")
}

pub fn watch_add(today: NaiveDate) -> Form {
    Form::new(
        FormKind::WatchAdd,
        "Add to the watchlist",
        today,
        vec![
            Field::new("Symbol", "e.g. MSFT", ""),
            Field::new("Added", "YYYY-MM-DD", &today.to_string()),
            Field::new("Notes", "optional", ""),
        ],
    )
}

pub fn confirm_watch_remove(symbol: &Symbol, today: NaiveDate) -> Form {
    Form::new(
        FormKind::WatchRemove(symbol.clone()),
        "Remove from the watchlist",
        today,
        vec![],
    )
    .with_intro(format!(
        "Remove {symbol} from the watchlist? Enter confirms, Esc keeps it."
    ))
}

pub fn holding_add(today: NaiveDate) -> Form {
    holding_form(
        FormKind::HoldingAdd,
        "Add a holding",
        today,
        ["", "", "", &today.to_string(), ""],
    )
}

pub fn holding_edit(h: &Holding, today: NaiveDate) -> Form {
    let opened = h.opened.map(|d| d.to_string()).unwrap_or_default();
    holding_form(
        FormKind::HoldingEdit(h.symbol.clone()),
        "Edit holding",
        today,
        [
            h.symbol.as_str(),
            &h.quantity.to_string(),
            &h.avg_cost.to_string(),
            &opened,
            h.notes.as_deref().unwrap_or(""),
        ],
    )
}

/// `[symbol, quantity, average cost, opened, notes]` as prefilled.
fn holding_form(kind: FormKind, title: &str, today: NaiveDate, values: [&str; 5]) -> Form {
    let [sym, qty, cost, opened, notes] = values;
    Form::new(
        kind,
        title,
        today,
        vec![
            Field::new("Symbol", "e.g. AAPL", sym),
            Field::new("Quantity", "shares, above 0", qty),
            Field::new("Average cost", "dollars per share", cost),
            Field::new("Opened", "YYYY-MM-DD, optional", opened),
            Field::new("Notes", "optional", notes),
        ],
    )
}

pub fn confirm_holding_remove(symbol: &Symbol, today: NaiveDate) -> Form {
    Form::new(
        FormKind::HoldingRemove(symbol.clone()),
        "Remove holding",
        today,
        vec![],
    )
    .with_intro(format!(
        "Remove the {symbol} holding? Enter confirms, Esc keeps it."
    ))
}

pub fn signal_new(today: NaiveDate) -> Form {
    Form::new(
        FormKind::SignalNew,
        "New signal",
        today,
        vec![
            Field::new("Symbol", "e.g. NVDA", ""),
            Field::new("Type", "BUY, SELL or HOLD", "BUY"),
            Field::new("Date", "YYYY-MM-DD", &today.to_string()),
            Field::new("Price", "empty: that day's close", ""),
            Field::new("Strength", "0-100, empty: computed", ""),
            Field::new("Notes", "optional", ""),
        ],
    )
}

pub fn signal_take(s: &SignalRecord, today: NaiveDate) -> Form {
    let price = s
        .price_at_signal
        .map(|p| p.round_dp(2).to_string())
        .unwrap_or_default();
    let qty = s
        .suggested_quantity
        .filter(|q| *q > 0)
        .map(|q| q.to_string())
        .unwrap_or_default();
    Form::new(
        FormKind::SignalTake {
            id: s.id.unwrap_or_default(),
            signal_date: s.signal_date,
        },
        format!("Mark signal {} taken", s.id.unwrap_or_default()),
        today,
        vec![
            Field::new("Entry date", "YYYY-MM-DD", &today.to_string()),
            Field::new("Entry price", "dollars per share", &price),
            Field::new("Quantity", "whole shares", &qty),
        ],
    )
    .with_intro(format!(
        "{} {} from {}",
        s.signal_type.as_str(),
        s.symbol,
        s.signal_source
    ))
}

/// The exit form of a taken signal; `None` when `s` has no entry to close.
pub fn signal_close(
    s: &SignalRecord,
    today: NaiveDate,
    commission: Decimal,
    breakeven_pct: f64,
) -> Option<Form> {
    let preview = ClosePreview {
        id: s.id?,
        signal_type: s.signal_type,
        entry_date: s.actual_entry_date?,
        entry_price: s.actual_entry_price?,
        quantity: Decimal::from(s.actual_quantity?),
        commission,
        breakeven_pct,
    };
    let form = Form::new(
        FormKind::SignalClose(preview.clone()),
        format!("Record the exit of signal {}", preview.id),
        today,
        vec![
            Field::new("Exit date", "YYYY-MM-DD", &today.to_string()),
            Field::new("Exit price", "dollars per share", ""),
            Field::new("Outcome", "empty: computed; or WIN/LOSS/BREAKEVEN", ""),
        ],
    )
    .with_intro(format!(
        "{} {} {} @ {} on {}",
        s.signal_type.as_str(),
        preview.quantity,
        s.symbol,
        preview.entry_price,
        preview.entry_date
    ));
    Some(form)
}

pub fn signal_note(s: &SignalRecord, today: NaiveDate) -> Form {
    Form::new(
        FormKind::SignalNote(s.id.unwrap_or_default()),
        format!("Notes of signal {}", s.id.unwrap_or_default()),
        today,
        vec![Field::new(
            "Notes",
            "empty clears them",
            s.notes.as_deref().unwrap_or(""),
        )],
    )
}

/// `opened`: when the sold holding was opened, if known.
pub fn execute_swap(
    swap: &Swap,
    as_of: NaiveDate,
    opened: Option<NaiveDate>,
    today: NaiveDate,
) -> Form {
    let r = &swap.reduce;
    let i = &swap.increase;
    Form::new(
        FormKind::ExecuteSwap {
            as_of,
            sell: r.symbol.clone(),
            buy: i.symbol.clone(),
            opened,
        },
        "Mark the swap executed",
        today,
        vec![
            Field::new("Sell quantity", "whole shares", &r.quantity.to_string()),
            Field::new("Sell price", "fill price", &r.price.round_dp(2).to_string()),
            Field::new(
                "Buy quantity",
                "whole shares",
                &swap.size.quantity.to_string(),
            ),
            Field::new("Buy price", "fill price", &i.price.round_dp(2).to_string()),
            Field::new("Date", "YYYY-MM-DD", &today.to_string()),
        ],
    )
    .with_intro(format!(
        "SELL {} {} and BUY {} {}: holdings, cash and the recommendation change together.",
        r.quantity, r.symbol, swap.size.quantity, i.symbol
    ))
}

pub fn backtest_params(r: &crate::tui::backtest_job::BacktestRequest, today: NaiveDate) -> Form {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let money = |v: Option<Decimal>| v.map(|x| x.to_string()).unwrap_or_default();
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let f = &r.plan.params;
    let strategy = crate::tui::backtest_job::strategy_name(r.plan.strategy);
    Form::new(
        FormKind::BacktestParams,
        "Backtest parameters (empty: the config's value)",
        today,
        vec![
            Field::new("Strategy", "all, buy-hold, weekly, monthly…", strategy),
            Field::new("From", "YYYY-MM-DD; empty: a year before To", &date(r.plan.from)),
            Field::new("To", "YYYY-MM-DD; empty: the last SPY bar", &date(r.plan.to)),
            Field::new("Capital", "dollars", &money(f.initial_capital)),
            Field::new("Frequency", "days (7, 14, 30, 60), week or month", &f.frequency.map(frequency_text).unwrap_or_default()),
            Field::new("Entry strength", "buy at or above, 0-100", &num(f.entry_strength)),
            Field::new("Exit strength", "sell under, 0-100", &num(f.exit_strength)),
            Field::new("Sizing multiplier", "scales the allocation bands", &num(f.sizing_multiplier)),
            Field::new("Max positions", "whole number", &f.max_positions.map(|n| n.to_string()).unwrap_or_default()),
            Field::new("Margin limit %", "of portfolio value, 0-100", &num(f.margin_limit_pct)),
            Field::new("Commission $", "per trade", &money(f.commission_per_trade)),
            Field::new("Commission bps", "of the traded value", &num(f.commission_bps)),
            Field::new("Slippage bps", "against each fill", &num(f.slippage_bps)),
        ],
    )
    .with_intro(format!(
        "Replays the morning check's rules over history: decisions at the close, fills at the next open, with costs. Today is {today}."
    ))
}

/// A frequency as it is typed in the form (and parsed back by `Frequency::from_str`).
fn frequency_text(f: Frequency) -> String {
    match f {
        Frequency::Days(n) => n.to_string(),
        Frequency::CalendarWeek => "week".into(),
        Frequency::CalendarMonth => "month".into(),
        Frequency::Never => "never".into(),
    }
}

/// The journal's `F` filter, prefilled with the one in use; blank fields filter nothing.
pub fn journal_window(current: &crate::tui::tabs::signals::Window, today: NaiveDate) -> Form {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let symbol = current
        .symbol
        .as_ref()
        .map(|s| s.to_string())
        .unwrap_or_default();
    Form::new(
        FormKind::JournalWindow,
        "Filter the journal",
        today,
        vec![
            Field::new("Symbol", "blank: every symbol", &symbol),
            Field::new("From", "signal date YYYY-MM-DD, blank: the first", &date(current.from)),
            Field::new("To", "signal date YYYY-MM-DD, blank: the last", &date(current.to)),
        ],
    )
    .with_intro("Shows the signals of one symbol between two dates, both included. 0 on the journal clears every filter.")
}
