//! `import prices` and `indicators`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use color_eyre::eyre::Result;
use serde::Serialize;

use super::{user_error, Context};
use crate::domain::indicators::IndicatorRow;
use crate::domain::parse::DecimalMark;
use crate::domain::returns::lookback_return_pct;
use crate::domain::signal::{signal_strength, SignalInputs, Strength};
use crate::domain::symbol::Symbol;
use crate::market::price_file::{self, PriceFile};
use crate::report;
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

/// Files directly named, plus `.csv`/`.txt` files inside named folders (sorted).
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| user_error(format!("cannot read folder {}: {e}", path.display())))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension().is_some_and(|e| {
                            e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt")
                        })
                })
                .collect();
            inside.sort();
            files.extend(inside);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(user_error(format!(
                "{}: no such file or folder",
                path.display()
            )));
        }
    }
    Ok(files)
}

pub fn import_prices(
    ctx: &Context,
    paths: &[PathBuf],
    skip_bad: bool,
    mark: DecimalMark,
    json: bool,
) -> Result<u8> {
    let files = expand_paths(paths)?;
    if files.is_empty() {
        return Err(user_error("no .csv or .txt price files found"));
    }
    let mut store = ctx.open_store()?;
    let mut reports = Vec::with_capacity(files.len());
    for file in &files {
        let report = import_one(&mut store, file, skip_bad, mark, ctx.today);
        if !json {
            print!("{}", report::prices::file_line(&report));
        }
        reports.push(report);
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    }
    Ok(if reports.iter().any(|r| r.error.is_some()) {
        1
    } else {
        0
    })
}

/// One file, one transaction: its bars and the indicators of the symbols it changed.
fn import_one(
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
}

pub fn indicators(ctx: &Context, symbol: &str, last: usize, json: bool) -> Result<u8> {
    let symbol = Symbol::parse(symbol).map_err(|e| user_error(format!("symbol: {e}")))?;
    let store = ctx.open_store()?;
    let bars = store.bars(&symbol)?;
    if bars.is_empty() {
        return Err(user_error(format!(
            "no prices for {symbol}; import them first (ducklens import prices FILE)"
        )));
    }
    let rows: std::collections::BTreeMap<_, _> =
        store::indicators_since(store.conn(), &symbol, chrono::NaiveDate::MIN)?
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
            }
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&lines)?);
    } else {
        print!("{}", report::prices::indicator_table(&symbol, &lines));
    }
    Ok(0)
}
