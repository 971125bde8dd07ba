//! Price import results and indicator listings as text.

use comfy_table::{presets::UTF8_BORDERS_ONLY, CellAlignment, Table};

use crate::domain::format::{change_pct, num};
use crate::domain::signal::Strength;
use crate::domain::symbol::Symbol;
use crate::service::prices::{FileReport, IndicatorLine};

pub fn file_line(r: &FileReport) -> String {
    let mut out = match &r.error {
        Some(e) => format!("FAILED {e}\n  nothing from {} was written\n", r.file),
        None => format!(
            "{}: {} inserted, {} updated, {} unchanged, {} skipped ({}){}\n",
            r.file,
            r.inserted,
            r.updated,
            r.unchanged,
            r.skipped.len(),
            r.symbols.join(", "),
            if r.decimal_comma {
                "; numbers read with decimal commas"
            } else {
                ""
            }
        ),
    };
    for s in &r.skipped {
        out.push_str(&format!("  skipped {s}\n"));
    }
    out
}

pub fn indicator_table(symbol: &Symbol, lines: &[IndicatorLine]) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        "Date", "Close", "SMA20", "SMA50", "SMA200", "EMA12", "EMA26", "MACD", "Signal", "Hist",
        "RSI14", "VolRatio", "ATR14", "Trend", "30d %", "Strength",
    ]);
    for l in lines {
        let v = &l.values;
        let strength = Strength {
            score: l.strength,
            incomplete: l.strength_incomplete,
        };
        table.add_row(vec![
            match l.provisional {
                Some(_) => format!("{} *", l.date),
                None => l.date.to_string(),
            },
            num(Some(l.close), 2),
            num(v.sma_20, 2),
            num(v.sma_50, 2),
            num(v.sma_200, 2),
            num(v.ema_12, 2),
            num(v.ema_26, 2),
            num(v.macd, 3),
            num(v.macd_signal, 3),
            num(v.macd_hist, 3),
            num(v.rsi_14, 1),
            num(v.volume_ratio, 2),
            num(v.atr_14, 2),
            l.trend.to_string(),
            change_pct(l.lookback_return_pct),
            format!("{strength} {}", strength.band().label()),
        ]);
    }
    for col in 1..15 {
        if let Some(c) = table.column_mut(col) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    let provisional = lines
        .iter()
        .find_map(|l| l.provisional.as_ref())
        .map(|label| format!("* provisional: today's quote {label}; recomputed, not stored\n"))
        .unwrap_or_default();
    format!("{symbol} (adjusted prices; — = lookback not yet filled)\n{table}\n{provisional}")
}
