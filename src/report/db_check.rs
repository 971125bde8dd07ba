//! `db-check` as text.

use std::fmt::Write;

use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};

use crate::store::DbCheck;

pub fn text(check: &DbCheck) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Database:       {}", check.path);
    let _ = writeln!(out, "Schema version: {}", check.schema_version);
    let range = match (check.first_price_date, check.last_price_date) {
        (Some(first), Some(last)) => format!("{first} .. {last}"),
        _ => "no prices".to_string(),
    };
    let _ = writeln!(out, "Prices:         {range} ({} symbols)", check.symbols);
    let mut table = Table::new();
    table
        .load_preset(UTF8_BORDERS_ONLY)
        .set_header(vec!["table", "rows"]);
    for t in &check.tables {
        table.add_row(vec![t.table.clone(), t.rows.to_string()]);
    }
    let _ = writeln!(out, "{table}");
    if check.problems.is_empty() {
        let _ = writeln!(
            out,
            "No problems found (staleness measured against {}).",
            check.as_of
        );
    } else {
        let _ = writeln!(
            out,
            "{} problem(s) (staleness measured against {}):",
            check.problems.len(),
            check.as_of
        );
        for p in &check.problems {
            let _ = writeln!(out, "  - {}: {}: {}", p.kind, p.symbol, p.detail);
        }
    }
    out
}
