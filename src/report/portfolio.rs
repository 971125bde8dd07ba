//! Portfolio exports and listings.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::NaiveDate;
use comfy_table::{presets::UTF8_BORDERS_ONLY, CellAlignment, Table};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::domain::format::{amount, money};
use crate::domain::portfolio::{AccountBalance, Holding};

#[derive(Serialize)]
struct JsonPosition<'a> {
    symbol: &'a str,
    /// Exact decimals as JSON numbers (serde_json's arbitrary precision keeps the digits).
    quantity: serde_json::Number,
    price_paid: serde_json::Number,
    purchase_date: Option<String>,
    notes: String,
}

#[derive(Serialize)]
struct JsonPortfolio<'a> {
    cash: serde_json::Number,
    positions: BTreeMap<&'a str, JsonPosition<'a>>,
    last_updated: String,
}

fn number(d: Decimal) -> serde_json::Number {
    d.normalize()
        .to_string()
        .parse()
        .expect("a decimal is a valid JSON number")
}

/// The previous tool's `portfolio.json` shape, so the export re-imports anywhere.
pub fn to_json(holdings: &[Holding], cash: Option<Decimal>, today: NaiveDate) -> String {
    let positions = holdings
        .iter()
        .map(|h| {
            (
                h.symbol.as_str(),
                JsonPosition {
                    symbol: h.symbol.as_str(),
                    quantity: number(h.quantity),
                    price_paid: number(h.avg_cost),
                    purchase_date: h.opened.map(|d| d.to_string()),
                    notes: h.notes.clone().unwrap_or_default(),
                },
            )
        })
        .collect();
    let doc = JsonPortfolio {
        cash: number(cash.unwrap_or_default()),
        positions,
        last_updated: today.to_string(),
    };
    serde_json::to_string_pretty(&doc).expect("portfolio serializes") + "\n"
}

/// `symbol,quantity,avg_cost,opened,notes`, the import format.
pub fn to_csv(holdings: &[Holding]) -> color_eyre::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["symbol", "quantity", "avg_cost", "opened", "notes"])?;
    for h in holdings {
        writer.write_record([
            h.symbol.as_str().to_string(),
            h.quantity.normalize().to_string(),
            h.avg_cost.normalize().to_string(),
            h.opened.map(|d| d.to_string()).unwrap_or_default(),
            h.notes.clone().unwrap_or_default(),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

pub fn holdings_table(holdings: &[Holding]) -> String {
    if holdings.is_empty() {
        return "No positions.\n".to_string();
    }
    let mut table = Table::new();
    table.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        "Symbol",
        "Quantity",
        "Avg cost",
        "Cost basis",
        "Opened",
        "Notes",
    ]);
    for h in holdings {
        table.add_row(vec![
            h.symbol.to_string(),
            h.quantity.normalize().to_string(),
            amount(h.avg_cost),
            amount(h.cost_basis()),
            h.opened.map(|d| d.to_string()).unwrap_or_default(),
            h.notes.clone().unwrap_or_default(),
        ]);
    }
    for col in 1..=3 {
        if let Some(c) = table.column_mut(col) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    format!("{table}\n")
}

pub fn balance_text(b: &AccountBalance) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Balances as of {}", b.as_of);
    let _ = writeln!(out, "  Cash:              {:>12}", money(b.cash));
    let _ = writeln!(
        out,
        "  Margin available:  {:>12}",
        money(b.margin_available)
    );
    let _ = writeln!(out, "  Margin used:       {:>12}", money(b.margin_used));
    if let Some(notes) = &b.notes {
        let _ = writeln!(out, "  Notes:             {notes}");
    }
    out
}
