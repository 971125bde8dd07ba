//! Each form of the app and its fields; `submit.rs` turns a valid form into a command.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::checks;
use super::{Field, Form};
use crate::domain::analyzer::Swap;
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
    SignalTake(i64),
    SignalClose(ClosePreview),
    SignalNote(i64),
    ExecuteSwap { sell: Symbol, buy: Symbol },
    BacktestParams,
}

/// What the exit form needs to compute P&L and the outcome as the user types.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosePreview {
    pub id: i64,
    pub signal_type: SignalType,
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
        vec![
            Field::new("Date", "YYYY-MM-DD", &today.to_string(), checks::date),
            Field::new(
                "Cash",
                "dollars, e.g. 1126.79",
                &money(|b| b.cash),
                checks::non_negative,
            ),
            Field::new(
                "Margin available",
                "dollars",
                &money(|b| b.margin_available),
                checks::non_negative,
            ),
            Field::new(
                "Margin used",
                "dollars",
                &money(|b| b.margin_used),
                checks::non_negative,
            ),
            Field::new("Notes", "optional", "", checks::any),
        ],
    )
    .with_intro("A second record on the same date replaces the first.")
}

pub fn watch_add(today: NaiveDate) -> Form {
    Form::new(
        FormKind::WatchAdd,
        "Add to the watchlist",
        vec![
            Field::new("Symbol", "e.g. MSFT", "", checks::symbol),
            Field::new("Added", "YYYY-MM-DD", &today.to_string(), checks::date),
            Field::new("Notes", "optional", "", checks::any),
        ],
    )
}

pub fn confirm_watch_remove(symbol: &Symbol) -> Form {
    Form::new(
        FormKind::WatchRemove(symbol.clone()),
        "Remove from the watchlist",
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
        "",
        "",
        "",
        &today.to_string(),
        "",
    )
}

pub fn holding_edit(h: &Holding) -> Form {
    let opened = h.opened.map(|d| d.to_string()).unwrap_or_default();
    holding_form(
        FormKind::HoldingEdit(h.symbol.clone()),
        "Edit holding",
        h.symbol.as_str(),
        &h.quantity.to_string(),
        &h.avg_cost.to_string(),
        &opened,
        h.notes.as_deref().unwrap_or(""),
    )
}

fn holding_form(
    kind: FormKind,
    title: &str,
    sym: &str,
    qty: &str,
    cost: &str,
    opened: &str,
    notes: &str,
) -> Form {
    Form::new(
        kind,
        title,
        vec![
            Field::new("Symbol", "e.g. AAPL", sym, checks::symbol),
            Field::new("Quantity", "shares, above 0", qty, checks::positive),
            Field::new("Average cost", "dollars per share", cost, checks::positive),
            Field::new(
                "Opened",
                "YYYY-MM-DD, optional",
                opened,
                checks::optional_date,
            ),
            Field::new("Notes", "optional", notes, checks::any),
        ],
    )
}

pub fn confirm_holding_remove(symbol: &Symbol) -> Form {
    Form::new(
        FormKind::HoldingRemove(symbol.clone()),
        "Remove holding",
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
        vec![
            Field::new("Symbol", "e.g. NVDA", "", checks::symbol),
            Field::new("Type", "BUY, SELL or HOLD", "BUY", checks::signal_type),
            Field::new(
                "Date",
                "YYYY-MM-DD",
                &today.to_string(),
                checks::optional_date,
            ),
            Field::new(
                "Price",
                "empty: that day's close",
                "",
                checks::optional_positive,
            ),
            Field::new(
                "Strength",
                "0-100, empty: computed",
                "",
                checks::optional_strength,
            ),
            Field::new("Notes", "optional", "", checks::any),
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
        FormKind::SignalTake(s.id.unwrap_or_default()),
        format!("Mark signal {} taken", s.id.unwrap_or_default()),
        vec![
            Field::new("Entry date", "YYYY-MM-DD", &today.to_string(), checks::date),
            Field::new("Entry price", "dollars per share", &price, checks::positive),
            Field::new("Quantity", "whole shares", &qty, checks::whole_positive),
        ],
    )
    .with_intro(format!(
        "{} {} from {}",
        s.signal_type.as_str(),
        s.symbol,
        s.signal_source
    ))
}

pub fn signal_close(
    s: &SignalRecord,
    today: NaiveDate,
    commission: Decimal,
    breakeven_pct: f64,
) -> Form {
    let preview = ClosePreview {
        id: s.id.unwrap_or_default(),
        signal_type: s.signal_type,
        entry_price: s.actual_entry_price.unwrap_or_default(),
        quantity: Decimal::from(s.actual_quantity.unwrap_or_default()),
        commission,
        breakeven_pct,
    };
    Form::new(
        FormKind::SignalClose(preview.clone()),
        format!("Record the exit of signal {}", preview.id),
        vec![
            Field::new("Exit date", "YYYY-MM-DD", &today.to_string(), checks::date),
            Field::new("Exit price", "dollars per share", "", checks::positive),
            Field::new(
                "Outcome",
                "empty: computed; or WIN/LOSS/BREAKEVEN",
                "",
                checks::optional_outcome,
            ),
        ],
    )
    .with_intro(format!(
        "{} {} {} @ {} on {}",
        s.signal_type.as_str(),
        preview.quantity,
        s.symbol,
        preview.entry_price,
        s.actual_entry_date
            .map(|d| d.to_string())
            .unwrap_or_default()
    ))
}

pub fn signal_note(s: &SignalRecord) -> Form {
    Form::new(
        FormKind::SignalNote(s.id.unwrap_or_default()),
        format!("Notes of signal {}", s.id.unwrap_or_default()),
        vec![Field::new(
            "Notes",
            "empty clears them",
            s.notes.as_deref().unwrap_or(""),
            checks::any,
        )],
    )
}

pub fn execute_swap(swap: &Swap, today: NaiveDate) -> Form {
    let r = &swap.reduce;
    let i = &swap.increase;
    Form::new(
        FormKind::ExecuteSwap {
            sell: r.symbol.clone(),
            buy: i.symbol.clone(),
        },
        "Mark the swap executed",
        vec![
            Field::new(
                "Sell quantity",
                "whole shares",
                &r.quantity.to_string(),
                checks::whole_positive,
            ),
            Field::new(
                "Sell price",
                "fill price",
                &r.price.round_dp(2).to_string(),
                checks::positive,
            ),
            Field::new(
                "Buy quantity",
                "whole shares",
                &swap.size.quantity.to_string(),
                checks::whole_positive,
            ),
            Field::new(
                "Buy price",
                "fill price",
                &i.price.round_dp(2).to_string(),
                checks::positive,
            ),
            Field::new("Date", "YYYY-MM-DD", &today.to_string(), checks::date),
        ],
    )
    .with_intro(format!(
        "SELL {} {} and BUY {} {}: holdings, cash and the recommendation change together.",
        r.quantity, r.symbol, swap.size.quantity, i.symbol
    ))
}

pub fn backtest_params(r: &crate::tui::backtest_job::BacktestRequest, today: NaiveDate) -> Form {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let f = &r.plan.params;
    let strategy = crate::tui::backtest_job::strategy_name(r.plan.strategy);
    Form::new(
        FormKind::BacktestParams,
        "Backtest parameters (empty: the config's value)",
        vec![
            Field::new("Strategy", "all, buy-hold, weekly, monthly…", strategy, checks::strategy),
            Field::new("From", "YYYY-MM-DD; empty: a year before To", &date(r.plan.from), checks::optional_date),
            Field::new("To", "YYYY-MM-DD; empty: the last SPY bar", &date(r.plan.to), checks::optional_date),
            Field::new("Capital", "dollars", &text(&f.capital), checks::optional_positive),
            Field::new("Frequency", "days (7, 14, 30, 60), week or month", &text(&f.frequency), checks::optional_frequency),
            Field::new("Entry strength", "buy at or above, 0-100", &num(f.entry_strength), checks::optional_strength),
            Field::new("Exit strength", "sell under, 0-100", &num(f.exit_strength), checks::optional_strength),
            Field::new("Sizing multiplier", "scales the allocation bands", &num(f.sizing_multiplier), checks::optional_multiplier),
            Field::new("Max positions", "whole number", &f.max_positions.map(|n| n.to_string()).unwrap_or_default(), checks::optional_whole),
            Field::new("Margin limit %", "of portfolio value, 0-100", &num(f.margin_limit), checks::optional_pct),
            Field::new("Commission $", "per trade", &text(&f.commission), checks::optional_non_negative),
            Field::new("Commission bps", "of the traded value", &num(f.commission_bps), checks::optional_non_negative),
            Field::new("Slippage bps", "against each fill", &num(f.slippage_bps), checks::optional_non_negative),
        ],
    )
    .with_intro(format!(
        "Replays the morning check's rules over history: decisions at the close, fills at the next open, with costs. Today is {today}."
    ))
}
