//! Downloading daily bars into the store: one use-case for `ducklens fetch` and the app's
//! fetch key. The database is open only to read what is stored and to write what came, never
//! while the provider answers, so another DuckLens can use the file meanwhile.

use color_eyre::eyre::Result;
use serde::Serialize;

use super::{user_error, Context};
use crate::domain::bar::Bar;
use crate::domain::symbol::Symbol;
use crate::market::fetch::{self, FetchError, Provider};
use crate::store::{self, SharedStore, Store, UpsertCounts};

#[derive(Debug, Clone, Serialize)]
pub struct SymbolReport {
    pub symbol: String,
    pub inserted: usize,
    pub updated: usize,
    /// True when an adjustment was detected and the whole history was replaced.
    pub refetched_full_history: bool,
    pub error: Option<String>,
}

pub fn parse_symbols(raw: &[String]) -> Result<Vec<Symbol>> {
    raw.iter()
        .map(|s| Symbol::parse(s).map_err(|e| user_error(format!("symbol: {e}"))))
        .collect()
}

/// Holdings, the watchlist and the market symbols, each once, in that order.
pub fn tracked_symbols(ctx: &Context, store: &Store) -> Result<Vec<Symbol>> {
    let mut out: Vec<Symbol> = Vec::new();
    let market = parse_symbols(&ctx.config.general.market_symbols)?;
    let all = store
        .holdings()?
        .into_iter()
        .map(|h| h.symbol)
        .chain(store.watchlist()?.into_iter().map(|w| w.symbol))
        .chain(market);
    for s in all {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

pub fn fetch_symbol(
    ctx: &Context,
    store: &SharedStore,
    provider: &dyn Provider,
    symbol: &Symbol,
) -> SymbolReport {
    let mut report = SymbolReport {
        symbol: symbol.to_string(),
        inserted: 0,
        updated: 0,
        refetched_full_history: false,
        error: None,
    };
    match download_and_store(ctx, store, provider, symbol) {
        Ok((counts, full)) => {
            report.inserted = counts.inserted;
            report.updated = counts.updated;
            report.refetched_full_history = full;
        }
        Err(e) => report.error = Some(e),
    }
    report
}

/// What came for one symbol, before it is written.
#[derive(Debug, Clone)]
pub enum Download {
    /// New and changed bars, upserted.
    Bars(Vec<Bar>),
    /// An adjustment was detected: the whole history, replacing the stored one.
    History(Vec<Bar>),
}

/// Asks the provider for what `symbol` lacks, given its `stored` bars; no database needed.
pub fn download(
    ctx: &Context,
    provider: &dyn Provider,
    symbol: &Symbol,
    stored: &[Bar],
) -> Result<Download, String> {
    let rules = &ctx.config.providers;
    let plan = fetch::plan(stored.last().map(|b| b.date), ctx.today, rules);
    let fetched = provider
        .daily_bars(symbol, plan.from, plan.to)
        .map_err(|e| e.to_string())?;
    if fetched.is_empty() && stored.is_empty() {
        return Err(FetchError::UnknownSymbol {
            provider: provider.name(),
            symbol: symbol.to_string(),
        }
        .to_string());
    }
    if !plan.full && fetch::adjustment_detected(stored, &fetched, rules.adjustment_tolerance_pct) {
        let full = fetch::full_history(ctx.today, rules);
        let history = provider
            .daily_bars(symbol, full.from, full.to)
            .map_err(|e| e.to_string())?;
        return Ok(Download::History(history));
    }
    Ok(Download::Bars(fetched))
}

/// Writes one symbol's download in one transaction, with its indicators; the provisional
/// bars the final ones replace go in the same transaction (see `store::upsert_bars`).
pub fn write(
    store: &mut Store,
    symbol: &Symbol,
    download: &Download,
    source: &str,
) -> store::Result<(UpsertCounts, bool)> {
    store.in_transaction(|tx| match download {
        Download::History(history) => {
            let counts = store::replace_bars(tx, symbol, history, source)?;
            store::recompute_indicators(tx, symbol)?;
            Ok((counts, true))
        }
        Download::Bars(bars) => {
            let counts = store::upsert_bars(tx, symbol, bars, source)?;
            if counts.changed() {
                store::recompute_indicators(tx, symbol)?;
            }
            Ok((counts, false))
        }
    })
}

/// Returns the counts and whether the whole history was replaced.
fn download_and_store(
    ctx: &Context,
    store: &SharedStore,
    provider: &dyn Provider,
    symbol: &Symbol,
) -> Result<(UpsertCounts, bool), String> {
    let db = |e: store::StoreError| e.to_string();
    let stored = store.with(|s| s.bars(symbol)).map_err(db)?;
    let download = download(ctx, provider, symbol, &stored)?;
    store
        .with(|s| write(s, symbol, &download, provider.source()))
        .map_err(db)
}
