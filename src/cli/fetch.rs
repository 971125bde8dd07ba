//! `ducklens fetch`: download daily bars for the tracked symbols.

use std::io::IsTerminal;

use color_eyre::eyre::Result;
use serde::Serialize;

use super::{user_error, Context};
use crate::domain::rules::ProviderName;
use crate::domain::symbol::Symbol;
use crate::market::fetch::{self, FetchError, Provider};
use crate::store::{self, Store, UpsertCounts};

#[derive(Debug, Serialize)]
pub struct SymbolReport {
    pub symbol: String,
    pub inserted: usize,
    pub updated: usize,
    /// True when an adjustment was detected and the whole history was replaced.
    pub refetched_full_history: bool,
    pub error: Option<String>,
}

pub fn run(
    ctx: &Context,
    symbols: &[String],
    provider: Option<ProviderName>,
    json: bool,
) -> Result<u8> {
    let provider = fetch::provider_from(
        &ctx.config.providers,
        provider,
        std::env::var("POLYGON_API_KEY").ok(),
    )
    .map_err(|e| user_error(e.to_string()))?;
    let mut store = ctx.open_store()?;
    let symbols = if symbols.is_empty() {
        tracked_symbols(ctx, &store)?
    } else {
        parse_symbols(symbols)?
    };
    let progress = (!json && std::io::stdout().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(symbols.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut reports = Vec::with_capacity(symbols.len());
    for symbol in &symbols {
        if let Some(bar) = &progress {
            bar.set_message(symbol.to_string());
        }
        let report = fetch_symbol(ctx, &mut store, provider.as_ref(), symbol);
        let line = line(&report);
        match &progress {
            Some(bar) => {
                bar.println(line);
                bar.inc(1);
            }
            None if !json => println!("{line}"),
            None => {}
        }
        reports.push(report);
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    }
    let failed = reports.iter().filter(|r| r.error.is_some()).count();
    if !json {
        println!(
            "{} symbol(s) fetched from {}, {failed} failed",
            reports.len() - failed,
            provider.name()
        );
    }
    Ok(if failed > 0 { 1 } else { 0 })
}

/// `ducklens fetch --quotes`: today's latest prices as provisional bars. No trade today is
/// said per symbol and is not a failure; an unknown symbol or a failed request is.
pub fn quotes(
    ctx: &Context,
    symbols: &[String],
    provider: Option<ProviderName>,
    json: bool,
) -> Result<u8> {
    let provider = fetch::provider_from(
        &ctx.config.providers,
        provider,
        std::env::var("POLYGON_API_KEY").ok(),
    )
    .map_err(|e| user_error(e.to_string()))?;
    let symbols = if symbols.is_empty() {
        // The database is held only to read the list, not while the provider answers.
        let store = ctx.open_store()?;
        tracked_symbols(ctx, &store)?
    } else {
        parse_symbols(symbols)?
    };
    let outcomes = crate::service::quotes::download(provider.as_ref(), &symbols, ctx.today);
    // The clock is read here, at the edge: when the quotes were fetched (UTC).
    let fetched_at = chrono::Utc::now().naive_utc();
    let mut store = ctx.open_store()?;
    let reports =
        crate::service::quotes::store_quotes(&mut store, &outcomes, provider.source(), fetched_at)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    } else {
        for r in &reports {
            println!("{}", r.line());
        }
    }
    let failed = reports.iter().filter(|r| r.error.is_some()).count();
    let stored = reports.iter().filter(|r| r.stored).count();
    if !json {
        println!(
            "{stored} quote(s) of {} stored as provisional bars from {}, {failed} failed",
            ctx.today,
            provider.name()
        );
    }
    Ok(if failed > 0 { 1 } else { 0 })
}

fn parse_symbols(raw: &[String]) -> Result<Vec<Symbol>> {
    raw.iter()
        .map(|s| Symbol::parse(s).map_err(|e| user_error(format!("symbol: {e}"))))
        .collect()
}

/// Holdings, the watchlist and the market symbols, each once, in that order.
pub(crate) fn tracked_symbols(ctx: &Context, store: &Store) -> Result<Vec<Symbol>> {
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

fn line(r: &SymbolReport) -> String {
    match &r.error {
        Some(e) => format!("{:<8} FAILED: {e}", r.symbol),
        None if r.refetched_full_history => format!(
            "{:<8} adjustment detected: history replaced ({} bars)",
            r.symbol, r.inserted
        ),
        None => format!("{:<8} {} new, {} updated", r.symbol, r.inserted, r.updated),
    }
}

fn fetch_symbol(
    ctx: &Context,
    store: &mut Store,
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

/// Returns the counts and whether the whole history was replaced.
fn download_and_store(
    ctx: &Context,
    store: &mut Store,
    provider: &dyn Provider,
    symbol: &Symbol,
) -> Result<(UpsertCounts, bool), String> {
    let rules = &ctx.config.providers;
    let db = |e: store::StoreError| e.to_string();
    let stored = store.bars(symbol).map_err(db)?;
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
    let source = provider.source();
    if !plan.full && fetch::adjustment_detected(&stored, &fetched, rules.adjustment_tolerance_pct) {
        let full = fetch::full_history(ctx.today, rules);
        let history = provider
            .daily_bars(symbol, full.from, full.to)
            .map_err(|e| e.to_string())?;
        let counts = store
            .in_transaction(|tx| {
                let counts = store::replace_bars(tx, symbol, &history, source)?;
                store::recompute_indicators(tx, symbol)?;
                Ok(counts)
            })
            .map_err(db)?;
        return Ok((counts, true));
    }
    let counts = store
        .in_transaction(|tx| {
            let counts = store::upsert_bars(tx, symbol, &fetched, source)?;
            if counts.changed() {
                store::recompute_indicators(tx, symbol)?;
            }
            Ok(counts)
        })
        .map_err(db)?;
    Ok((counts, false))
}
