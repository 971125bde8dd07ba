//! `ducklens size`: size one position against the stored account (or given figures).

use color_eyre::eyre::Result;
use rust_decimal::Decimal;

use super::args::SizeArgs;
use super::{user_error, Context};
use crate::domain::analyzer::{CheckMode, TARGET_HIGH_BARS};
use crate::domain::bar::{recent_range, PriceRange};
use crate::domain::format::{money, price, share_pct};
use crate::domain::parse::parse_decimal;
use crate::domain::portfolio::to_cents;
use crate::domain::risk::{Regime, RiskLevel};
use crate::domain::sizer::{PositionSize, PositionSizer, SizingRequest};
use crate::domain::symbol::Symbol;

fn money_arg(field: &str, raw: &Option<String>) -> Result<Option<Decimal>> {
    raw.as_deref()
        .map(|r| parse_decimal(r).map_err(|e| user_error(format!("{field}: {e}"))))
        .transpose()
}

pub fn run(ctx: &Context, args: SizeArgs) -> Result<u8> {
    let price = parse_decimal(&args.price).map_err(|e| user_error(format!("price: {e}")))?;
    // Prices are kept to four decimals: anything under 0.0001 is no price at all.
    if price < Decimal::new(1, 4) {
        return Err(user_error(format!(
            "price: must be at least 0.0001, got {}",
            args.price
        )));
    }
    if let Some(capital) = money_arg("capital", &args.capital)? {
        if capital <= Decimal::ZERO {
            return Err(user_error(format!(
                "capital: must be positive, got {capital}"
            )));
        }
    }
    for (field, raw) in [
        ("cash", &args.cash),
        ("margin-available", &args.margin_available),
        ("margin-used", &args.margin_used),
    ] {
        if money_arg(field, raw)?.is_some_and(|v| v < Decimal::ZERO) {
            return Err(user_error(format!("{field}: cannot be negative")));
        }
    }
    let risk: RiskLevel = args
        .risk
        .parse()
        .map_err(|_| user_error(format!("risk: {:?} is not LOW, MEDIUM or HIGH", args.risk)))?;
    if !(0.0..=100.0).contains(&args.strength) {
        return Err(user_error(format!(
            "strength: must be 0-100, got {}",
            args.strength
        )));
    }
    let store = ctx.open_store()?;
    // The stored account valued at the latest prices; without prices, the figures given.
    let analysis = crate::service::analysis::analysis(ctx, &store, None, CheckMode::Morning).ok();
    let account = analysis.as_ref().map(|a| a.account.clone());
    let balance = store.latest_balance()?;
    let cash = money_arg("cash", &args.cash)?
        .or(account.as_ref().map(|a| a.cash))
        .or(balance.as_ref().map(|b| b.cash))
        .ok_or_else(|| {
            user_error(
                "no account balances: pass --cash, or run `ducklens account set --cash AMOUNT`",
            )
        })?;
    let margin_used = money_arg("margin_used", &args.margin_used)?
        .or(balance.as_ref().map(|b| b.margin_used))
        .unwrap_or_default();
    let margin_available = money_arg("margin_available", &args.margin_available)?
        .or(balance.as_ref().map(|b| b.margin_available))
        .unwrap_or_default();
    let positions = account
        .as_ref()
        .map_or(Decimal::ZERO, |a| a.positions_value);
    let portfolio_value =
        money_arg("capital", &args.capital)?.unwrap_or(cash + positions - margin_used);
    let symbol = args
        .symbol
        .as_deref()
        .map(Symbol::parse)
        .transpose()
        .map_err(|e| user_error(format!("symbol: {e}")))?;
    let held_value = analysis
        .as_ref()
        .and_then(|a| {
            a.holdings
                .iter()
                .find(|h| Some(&h.symbol) == symbol.as_ref())
        })
        .and_then(|h| h.value)
        .unwrap_or_default();
    let in_correction = analysis
        .as_ref()
        .is_none_or(|a| a.market_regime != Some(Regime::Bull));
    let range_60d = match &symbol {
        Some(symbol) => stored_range(&store, symbol)?,
        None => None,
    };
    let request = SizingRequest {
        range_60d,
        held_value,
        margin_available,
        margin_used,
        margin_requested: args.margin,
        market_in_correction: in_correction,
        ..SizingRequest::new(price, args.strength, risk, portfolio_value, cash)
    };
    let rules = &ctx.config;
    let size = PositionSizer::new(&rules.sizing, &rules.margin, &rules.stops).size(&request);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&size)?);
    } else {
        print!("{}", text(&size, portfolio_value));
    }
    Ok(0)
}

/// The symbol's last 60 bars' range on the basis of its latest bar (the price a user gives
/// is today's traded price); `None` without stored prices.
fn stored_range(store: &crate::store::Store, symbol: &Symbol) -> Result<Option<PriceRange>> {
    let bars = store.bars(symbol)?;
    let Some(last) = bars.last() else {
        return Ok(None);
    };
    Ok(recent_range(&bars, TARGET_HIGH_BARS)
        .and_then(|r| r.on_basis(last.adjustment_factor()))
        .map(PriceRange::rounded))
}

fn text(s: &PositionSize, portfolio_value: Decimal) -> String {
    let mut out = format!(
        "Suggested Size: {} shares ({}, {} of portfolio {})\n",
        s.quantity,
        money(s.value),
        share_pct(Some(s.allocation_pct)),
        money(portfolio_value)
    );
    out += &format!("Bound by: {}\n", s.bound_by.label());
    if let Some(reason) = &s.reason {
        out += &format!("Why: {reason}\n");
    }
    out += &format!(
        "Cash needed: {}; margin needed: {}{}\n",
        money(s.cash_needed),
        money(s.margin_needed),
        if s.use_margin { " (uses margin)" } else { "" }
    );
    if !s.margin.failed.is_empty() {
        let failed: Vec<&str> = s.margin.failed.iter().map(|c| c.label()).collect();
        out += &format!("Margin not allowed: {}\n", failed.join("; "));
    }
    out += &format!(
        "Stop loss: {}; target exit: {}",
        price(to_cents(s.exit.stop_loss)),
        price(to_cents(s.exit.target_exit))
    );
    match s.exit.reward_risk {
        Some(rr) => out += &format!(" (R/R {rr:.1})"),
        None => {
            out += " (2R; R/R unknown without a 60-day range: pass --symbol of a stored symbol)"
        }
    }
    out + "\n"
}
