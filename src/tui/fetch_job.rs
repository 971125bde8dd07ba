//! Fetching from the app (`f`): daily bars, then today's quotes, for the app's symbols
//! (holdings, watchlist, market symbols), in the background beside the worker's queue.
//! The file is open only for each symbol's read and write, never while a provider answers;
//! `Esc` stops the run before its next symbol. Answers: `Fetching` per symbol, then `Loaded`
//! (the tabs refresh) and `Fetched`; or `Cancelled`, or `Failed` when it cannot start.

use std::sync::atomic::{AtomicBool, Ordering};

use color_eyre::eyre::Result;
use tokio::sync::mpsc::UnboundedSender;

use super::app::Status;
use super::worker::{Event, JobId};
use crate::market::fetch;
use crate::service::fetch::{download, tracked_symbols, write};
use crate::service::{quotes, user_error, Context};
use crate::store::SharedStore;

#[derive(Debug, Clone, PartialEq)]
pub struct FetchOutcome {
    /// "30 symbols: 28 fetched, 27 quotes of 2026-12-01 (as of 14:52 ET, delayed)"
    pub summary: String,
    /// One line per failed symbol.
    pub failures: Vec<String>,
}

/// `Ok(None)` when cancelled.
pub fn run(
    ctx: &Context,
    store: &SharedStore,
    job: JobId,
    cancel: &AtomicBool,
    events: &UnboundedSender<Event>,
) -> Result<Option<FetchOutcome>> {
    let provider = fetch::provider_from(
        &ctx.config.providers,
        None,
        std::env::var("POLYGON_API_KEY").ok(),
    )
    .map_err(|e| user_error(e.to_string()))?;
    // One opening to read, none while the provider answers, one to write: opening the file
    // costs about 0.1 s, more than a local answer.
    let (symbols, stored) = store.with(|s| -> Result<_> {
        let symbols = tracked_symbols(ctx, s)?;
        let stored = symbols
            .iter()
            .map(|symbol| s.bars(symbol))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((symbols, stored))
    })?;
    let total = symbols.len();
    let mut failures = Vec::new();
    let mut downloads = Vec::with_capacity(total);
    for (done, (symbol, stored)) in symbols.iter().zip(&stored).enumerate() {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let _ = events.send(Event::Fetching {
            job,
            symbol: symbol.to_string(),
            done,
            total,
        });
        match download(ctx, provider.as_ref(), symbol, stored) {
            Ok(d) => downloads.push((symbol, d)),
            Err(e) => failures.push(format!("{symbol}: {e}")),
        }
    }
    // What came before a cancel is kept, each symbol in its own transaction.
    store.with(|s| -> Result<()> {
        for (symbol, d) in &downloads {
            if let Err(e) = write(s, symbol, d, provider.source()) {
                failures.push(format!("{symbol}: {e}"));
            }
        }
        Ok(())
    })?;
    if cancel.load(Ordering::Relaxed) {
        return Ok(None);
    }
    let _ = events.send(Event::Fetching {
        job,
        symbol: "quotes".into(),
        done: total,
        total,
    });
    let outcomes = quotes::download(provider.as_ref(), &symbols, ctx.today);
    // The app's edge reads the clock here, as the CLI's does: when the quotes came (UTC).
    let fetched_at = chrono::Utc::now().naive_utc();
    let reports =
        store.with(|s| quotes::store_quotes(s, &outcomes, provider.source(), fetched_at))?;
    failures.extend(
        reports
            .iter()
            .filter_map(|r| r.error.as_ref().map(|e| format!("{} quote: {e}", r.symbol))),
    );
    let stored: Vec<_> = reports.iter().filter(|r| r.stored).collect();
    let oldest = stored.iter().filter_map(|r| r.quote_time).min();
    let daily_failed = failures.len() - reports.iter().filter(|r| r.error.is_some()).count();
    Ok(Some(FetchOutcome {
        summary: format!(
            "{total} symbols: {} fetched, {} quotes of {}{}",
            total - daily_failed,
            stored.len(),
            ctx.today,
            oldest
                .map(|t| format!(" ({})", crate::domain::quote::as_of_label(t)))
                .unwrap_or_default()
        ),
        failures,
    }))
}

/// The app's side: the run under way, if any.
#[derive(Debug, Default)]
pub struct State {
    pub running: Option<JobId>,
    /// The failures of the last run, one line each.
    pub failures: Vec<String>,
}

impl State {
    /// Follows the answers of the run it started; true when `event` was one of them.
    pub fn on_event(&mut self, event: &Event, status: &mut Status) -> bool {
        let ours = |job: &JobId| self.running == Some(*job);
        match event {
            Event::Fetching {
                job,
                symbol,
                done,
                total,
            } if ours(job) => {
                status.busy = Some(format!("fetch {symbol} {done}/{total} · Esc cancels"));
            }
            Event::Fetched { job, outcome } if ours(job) => {
                self.running = None;
                status.busy = None;
                status.message = Some(outcome.summary.clone());
                self.failures = outcome.failures.clone();
                // One line per failed symbol, in the status bar's error place.
                status.error = (!outcome.failures.is_empty()).then(|| {
                    format!(
                        "{} failed: {}",
                        outcome.failures.len(),
                        outcome.failures.join(" | ")
                    )
                });
            }
            Event::Cancelled { job } if ours(job) => {
                self.running = None;
                status.busy = None;
                status.message = Some("Fetch cancelled; what came so far is stored".into());
            }
            Event::Failed { job, .. } if ours(job) => self.running = None,
            _ => return false,
        }
        true
    }
}
