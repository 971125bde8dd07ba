//! Price files into the store, and a symbol's indicator listing: what `import prices` and
//! `indicators` show, computed here so `report` renders it without knowing the command line.

use crate::domain::parse::DecimalMark;
use std::path::Path;

use chrono::NaiveDate;
use color_eyre::eyre::Result;
use serde::Serialize;

use super::Context;
use crate::domain::indicators::IndicatorRow;
use crate::domain::returns::lookback_return_pct;
use crate::domain::signal::{signal_strength, SignalInputs, Strength};
use crate::domain::symbol::Symbol;
use crate::market::price_file::{self, PriceFile};
use crate::store::{self, Store, UpsertCounts};

/// The outcome of one file: its counts, or why none of it was written.
#[derive(Debug, Serialize)]
pub struct FileReport {
    pub file: String,
    pub symbols: Vec<String>,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: Vec<String>,
    pub error: Option<String>,
    /// The numbers were read with decimal commas (`--decimal-comma`).
    pub decimal_comma: bool,
}

/// One file, one transaction: its bars and the indicators of the symbols it changed.
pub fn import_one(
    store: &mut Store,
    file: &Path,
    skip_bad: bool,
    mark: DecimalMark,
    today: NaiveDate,
) -> FileReport {
    let mut report = FileReport {
        file: file.display().to_string(),
        symbols: Vec::new(),
        inserted: 0,
        updated: 0,
        unchanged: 0,
        skipped: Vec::new(),
        error: None,
        decimal_comma: mark == DecimalMark::Comma,
    };
    let parsed: Result<PriceFile, String> = std::fs::read_to_string(file)
        .map_err(|e| format!("{}: {e}", file.display()))
        .and_then(|text| {
            price_file::parse_prices(&text, file, skip_bad, today, mark).map_err(|e| e.to_string())
        });
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    report.skipped = parsed.skipped.iter().map(ToString::to_string).collect();
    let written = store.in_transaction(|tx| {
        let mut total = UpsertCounts::default();
        for (symbol, bars) in &parsed.bars {
            let counts = store::upsert_bars(tx, symbol, bars, "csv")?;
            if counts.changed() {
                store::recompute_indicators(tx, symbol)?;
            }
            total.inserted += counts.inserted;
            total.updated += counts.updated;
            total.unchanged += counts.unchanged;
        }
        Ok(total)
    });
    match written {
        Ok(total) => {
            report.symbols = parsed.bars.keys().map(|s| s.to_string()).collect();
            report.inserted = total.inserted;
            report.updated = total.updated;
            report.unchanged = total.unchanged;
        }
        Err(e) => report.error = Some(format!("{}: {e}", file.display())),
    }
    report
}

#[derive(Debug, Serialize)]
pub struct IndicatorLine {
    pub date: chrono::NaiveDate,
    pub close: f64,
    #[serde(flatten)]
    pub values: IndicatorRow,
    pub trend: &'static str,
    pub lookback_return_pct: Option<f64>,
    pub strength: f64,
    pub strength_incomplete: bool,
    /// Set on a line computed from today's quote: "as of 14:52 ET, delayed". Its values are
    /// recomputed for display, never stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<String>,
}

/// The last `last` sessions of `symbol` (at least one) with indicators, trend and strength;
/// `bars` are its stored bars, oldest first.
pub fn indicator_lines(
    ctx: &Context,
    store: &Store,
    symbol: &Symbol,
    bars: &[crate::domain::bar::Bar],
    last: usize,
) -> Result<Vec<IndicatorLine>> {
    let rows: std::collections::BTreeMap<_, _> = store
        .indicators_since(symbol, NaiveDate::MIN)?
        .into_iter()
        .collect();
    let dates: Vec<_> = bars.iter().map(|b| b.date).collect();
    let closes: Vec<f64> = bars.iter().map(|b| b.adjusted().close).collect();
    let start = bars.len().saturating_sub(last.max(1));
    let lines: Vec<IndicatorLine> = (start..bars.len())
        .map(|i| {
            let values = rows.get(&dates[i]).copied().unwrap_or_default();
            let lookback =
                lookback_return_pct(&dates, &closes, i, ctx.config.general.lookback_days);
            let Strength { score, incomplete } = signal_strength(
                &SignalInputs::from_row(&values, lookback),
                &ctx.config.signal,
            );
            IndicatorLine {
                date: dates[i],
                close: closes[i],
                values,
                trend: values.trend().as_str(),
                lookback_return_pct: lookback,
                strength: score,
                strength_incomplete: incomplete,
                provisional: None,
            }
        })
        .collect();
    Ok(lines)
}

/// The line of today's quote of `symbol`, when there is one newer than its last final bar:
/// the indicators as they would be if the day closed at the quote (`indicators` opts in to
/// provisional bars; nothing here is stored).
pub fn provisional_line(
    ctx: &Context,
    store: &Store,
    symbol: &Symbol,
    bars: &[crate::domain::bar::Bar],
) -> Result<Option<IndicatorLine>> {
    let Some(p) = store
        .provisional_on(ctx.today)?
        .into_iter()
        .find(|p| &p.quote.symbol == symbol)
    else {
        return Ok(None);
    };
    if bars.last().is_some_and(|b| b.date >= p.quote.date()) {
        return Ok(None);
    }
    let series = crate::domain::analyzer::SymbolSeries {
        bars: bars.to_vec(),
        indicators: Vec::new(),
    };
    let live = crate::domain::quote::with_quote(&series, bars, &p.quote);
    let values = live.indicators.last().copied().unwrap_or_default();
    let dates: Vec<_> = live.bars.iter().map(|b| b.date).collect();
    let closes: Vec<f64> = live.bars.iter().map(|b| b.adjusted().close).collect();
    let i = closes.len() - 1;
    let lookback = lookback_return_pct(&dates, &closes, i, ctx.config.general.lookback_days);
    let Strength { score, incomplete } = signal_strength(
        &SignalInputs::from_row(&values, lookback),
        &ctx.config.signal,
    );
    Ok(Some(IndicatorLine {
        date: dates[i],
        close: closes[i],
        values,
        trend: values.trend().as_str(),
        lookback_return_pct: lookback,
        strength: score,
        strength_incomplete: incomplete,
        provisional: Some(p.quote.as_of_label()),
    }))
}
