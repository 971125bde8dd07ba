//! `ducklens fetch`: download daily bars for the tracked symbols.

use std::io::IsTerminal;

use color_eyre::eyre::Result;

use super::{user_error, Context};
use crate::domain::rules::ProviderName;
use crate::market::fetch;
use crate::service::fetch::{fetch_symbol, parse_symbols, tracked_symbols, SymbolReport};
use crate::store::SharedStore;

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
    // Opened now so that an upgrade or a refusal is said first; then held per write only.
    let store = SharedStore::new(ctx.open_store()?);
    let symbols = if symbols.is_empty() {
        store.with(|s| tracked_symbols(ctx, s))?
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
        let report = fetch_symbol(ctx, &store, provider.as_ref(), symbol);
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
