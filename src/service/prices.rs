//! Price files into the store, and a symbol's indicator listing: what `import prices` and
//! `indicators` show, computed here so `report` renders it without knowing the command line.

use crate::domain::parse::DecimalMark;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use color_eyre::eyre::Result;
use serde::Serialize;

use super::Context;
use crate::domain::indicators::IndicatorRow;
use crate::domain::returns::lookback_return_pct;
use crate::domain::signal::{signal_strength, SignalInputs, Strength};
use crate::domain::symbol::Symbol;
use crate::market::price_file::{self, PriceFile};
use crate::store::{self, Store};

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

/// Files parsed together (in parallel) and then written: bounds the memory of a big folder.
const FILES_PER_CHUNK: usize = 256;

/// One file alone: [`import_files`] of just `file`.
pub fn import_one(
    store: &mut Store,
    file: &Path,
    skip_bad: bool,
    mark: DecimalMark,
    today: NaiveDate,
) -> FileReport {
    let mut reports = import_files(store, &[file.to_path_buf()], skip_bad, mark, today, |_| {});
    reports.pop().expect("one report per file")
}

/// Imports `files` in order; `on_report` sees each file's report as soon as its write is done.
///
/// Set-based (issue 18): the files are parsed in parallel, then the files that parsed are
/// written in one transaction — one staging table, one upsert, one read of the changed
/// symbols' bars and one write of their indicators — instead of a handful of statements per
/// symbol. A bad file is refused whole as before (its report names FILE:LINE and nothing of it
/// is written) and does not stop the others. Two files holding the same symbol go in
/// separate transactions, in order, so the later one still wins as it did file by file. A
/// failure of the database itself fails every file of that transaction.
pub fn import_files(
    store: &mut Store,
    files: &[PathBuf],
    skip_bad: bool,
    mark: DecimalMark,
    today: NaiveDate,
    on_report: impl FnMut(&FileReport),
) -> Vec<FileReport> {
    import_parsed(store, files, None, (skip_bad, mark, today), on_report)
}

/// [`import_files`] into the store `open` opens, the first files parsed while it opens
/// (`import prices` on the command line): DuckDB's start and the migrations of a new
/// file take about a tenth of a second, as long as parsing 34 files on two cores.
/// Nothing is written when `open` fails.
pub fn open_and_import_files(
    open: impl FnOnce() -> Result<Store> + Send,
    files: &[PathBuf],
    skip_bad: bool,
    mark: DecimalMark,
    today: NaiveDate,
    on_report: impl FnMut(&FileReport),
) -> Result<Vec<FileReport>> {
    let first = files.chunks(FILES_PER_CHUNK).next().unwrap_or(&[]);
    let (store, parsed) = std::thread::scope(|scope| {
        let store = scope.spawn(open);
        let parsed = parse_chunk(first, skip_bad, mark, today);
        (store.join(), parsed)
    });
    let mut store = store.map_err(|_| color_eyre::eyre::eyre!("opening the database failed"))??;
    Ok(import_parsed(
        &mut store,
        files,
        Some(parsed),
        (skip_bad, mark, today),
        on_report,
    ))
}

type Parsed = Vec<Result<PriceFile, String>>;

/// `chunk`'s files read and parsed in parallel.
fn parse_chunk(chunk: &[PathBuf], skip_bad: bool, mark: DecimalMark, today: NaiveDate) -> Parsed {
    use rayon::prelude::*;
    let t = std::time::Instant::now();
    let parsed = chunk
        .par_iter()
        .map(|file| read_prices(file, skip_bad, mark, today))
        .collect();
    tracing::debug!(elapsed = ?t.elapsed(), "import: parse");
    parsed
}

/// Parses and writes every chunk of `files`; the first one may come parsed as `first`.
fn import_parsed(
    store: &mut Store,
    files: &[PathBuf],
    mut first: Option<Parsed>,
    (skip_bad, mark, today): (bool, DecimalMark, NaiveDate),
    mut on_report: impl FnMut(&FileReport),
) -> Vec<FileReport> {
    let mut out = Vec::with_capacity(files.len());
    for chunk in files.chunks(FILES_PER_CHUNK) {
        let parsed = first
            .take()
            .unwrap_or_else(|| parse_chunk(chunk, skip_bad, mark, today));
        for report in write_chunk(store, chunk, &parsed, mark) {
            on_report(&report);
            out.push(report);
        }
    }
    out
}

/// The reports of `chunk`'s files once the ones that parsed are written (see
/// [`import_files`]: files sharing a symbol go in separate transactions, in order).
fn write_chunk(
    store: &mut Store,
    chunk: &[PathBuf],
    parsed: &Parsed,
    mark: DecimalMark,
) -> Vec<FileReport> {
    let mut reports: Vec<FileReport> = chunk.iter().map(|f| empty_report(f, mark)).collect();
    let mut batch: Vec<usize> = Vec::new();
    let mut in_batch: HashSet<&Symbol> = HashSet::new();
    for (i, result) in parsed.iter().enumerate() {
        match result {
            Err(e) => reports[i].error = Some(e.clone()),
            Ok(file) => {
                reports[i].skipped = file.skipped.iter().map(ToString::to_string).collect();
                if file.bars.keys().any(|s| in_batch.contains(s)) {
                    write_batch(store, &batch, parsed, &mut reports);
                    batch.clear();
                    in_batch.clear();
                }
                in_batch.extend(file.bars.keys());
                batch.push(i);
            }
        }
    }
    write_batch(store, &batch, parsed, &mut reports);
    reports
}

/// A file's text parsed, or why it cannot be (FILE:LINE: column: why).
fn read_prices(
    file: &Path,
    skip_bad: bool,
    mark: DecimalMark,
    today: NaiveDate,
) -> Result<PriceFile, String> {
    std::fs::read_to_string(file)
        .map_err(|e| format!("{}: {e}", file.display()))
        .and_then(|text| {
            price_file::parse_prices(&text, file, skip_bad, today, mark).map_err(|e| e.to_string())
        })
}

fn empty_report(file: &Path, mark: DecimalMark) -> FileReport {
    FileReport {
        file: file.display().to_string(),
        symbols: Vec::new(),
        inserted: 0,
        updated: 0,
        unchanged: 0,
        skipped: Vec::new(),
        error: None,
        decimal_comma: mark == DecimalMark::Comma,
    }
}

/// The parsed files at `batch` (no symbol in two of them) in one transaction: their bars and
/// the indicators of the symbols they changed.
fn write_batch(
    store: &mut Store,
    batch: &[usize],
    parsed: &[Result<PriceFile, String>],
    reports: &mut [FileReport],
) {
    let files: Vec<&PriceFile> = batch
        .iter()
        .filter_map(|&i| parsed[i].as_ref().ok())
        .collect();
    if files.is_empty() {
        return;
    }
    let bars: Vec<_> = files.iter().map(|f| &f.bars).collect();
    let t = std::time::Instant::now();
    let written = store.in_transaction(|tx| Ok(store::import_bars(tx, &bars, "csv")?.counts));
    tracing::debug!(elapsed = ?t.elapsed(), "import: tx");
    for (k, &i) in batch.iter().enumerate() {
        let report = &mut reports[i];
        match &written {
            Ok(counts) => {
                report.symbols = files[k].bars.keys().map(|s| s.to_string()).collect();
                report.inserted = counts[k].inserted;
                report.updated = counts[k].updated;
                report.unchanged = counts[k].unchanged;
            }
            Err(e) => report.error = Some(format!("{}: {e}", report.file)),
        }
    }
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
        range_60d: None,
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
