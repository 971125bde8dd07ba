//! What the worker hands the UI: plain data, built once per refresh, so rendering never
//! computes more than formatting.

use chrono::{Duration, NaiveDate};
use color_eyre::eyre::Result;
use rust_decimal::prelude::ToPrimitive;

use crate::domain::analyzer::{
    watch_rows, Analysis, CheckMode, SymbolSeries, Underperformer, WatchRow,
};
use crate::domain::journal::SignalRecord;
use crate::domain::portfolio::{AccountBalance, Holding};
use crate::domain::symbol::Symbol;
use crate::domain::tracker::JournalStats;
use crate::service::live::{stops_since_morning, with_provisional, LiveNote, NewStop};
use crate::service::Context;
use crate::store::Store;

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub today: NaiveDate,
    /// The morning analysis; `None` when the benchmark has no data (see `empty_reason`).
    pub analysis: Option<Analysis>,
    /// Positions the intraday thresholds flag for review.
    pub alerts: Vec<Underperformer>,
    pub watch: Vec<WatchRow>,
    pub holdings: Vec<Holding>,
    pub balances: Vec<AccountBalance>,
    /// Total value at each balance date against the benchmark's close, for the account chart.
    pub value_history: Vec<ValuePoint>,
    pub signals: Vec<SignalRecord>,
    pub stats: Option<JournalStats>,
    /// Why the analysis is missing, with the command that fixes it.
    pub empty_reason: Option<String>,
    /// The journal's commission per trade and breakeven band, for the exit form's preview.
    pub journal_commission: rust_decimal::Decimal,
    pub breakeven_pct: f64,
    /// Every price comes from the demo generator.
    pub demo: bool,
    /// Set when today's quotes (provisional bars) are part of the figures.
    pub live: Option<LiveNote>,
    /// Stops today's quotes hit that the last close did not.
    pub stops_since_morning: Vec<NewStop>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValuePoint {
    pub date: NaiveDate,
    pub total_value: f64,
    pub benchmark: Option<f64>,
}

/// One symbol's adjusted closes with SMA50 and SMA200, for the market chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub symbol: Symbol,
    pub points: Vec<ChartPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartPoint {
    pub date: NaiveDate,
    pub close: f64,
    pub sma_50: Option<f64>,
    pub sma_200: Option<f64>,
}

/// Judges due signals, then loads everything the six tabs show.
pub fn load_dashboard(ctx: &Context, store: &mut Store) -> Result<Dashboard> {
    crate::service::journal::evaluate(ctx, store)?;
    let signals = store.signals()?;
    let stats = Some(crate::service::journal::journal_stats(
        ctx, store, &signals, ctx.today,
    )?);
    let holdings = store.holdings()?;
    let balances = store.balance_history()?;
    let mut d = Dashboard {
        today: ctx.today,
        analysis: None,
        alerts: Vec::new(),
        watch: Vec::new(),
        holdings,
        balances,
        value_history: Vec::new(),
        signals,
        stats,
        empty_reason: None,
        journal_commission: ctx.config.journal.commission,
        breakeven_pct: ctx.config.journal.breakeven_pct,
        demo: false,
        live: None,
        stops_since_morning: Vec::new(),
    };
    match crate::service::analysis::inputs(ctx, store, None) {
        Ok(base) => {
            // The app's views opt in to today's quotes.
            let inputs = match with_provisional(store, &base, ctx.today)? {
                Some((live, note)) => {
                    d.stops_since_morning = stops_since_morning(
                        &base.analyze(CheckMode::Intraday),
                        &live.analyze(CheckMode::Intraday),
                    );
                    d.live = Some(note);
                    live
                }
                None => base,
            };
            let held: Vec<Symbol> = inputs.holdings.iter().map(|h| h.symbol.clone()).collect();
            d.watch = watch_rows(&inputs.watchlist, &held, &inputs.snapshot, &inputs.rules);
            d.alerts = inputs.analyze(CheckMode::Intraday).underperformers;
            let mut analysis = inputs.analyze(CheckMode::Morning);
            if let Some(note) = &d.live {
                analysis.warnings.insert(0, note.warning());
            }
            d.value_history = value_history(store, &d.balances, &d.holdings, &analysis)?;
            d.analysis = Some(analysis);
            d.demo = store.holds_only(
                crate::market::demo::DEMO_SOURCE,
                crate::market::demo::DEMO_LABEL,
            )?;
        }
        // No benchmark data is the user's to fix (it names the command): show it, not fail.
        Err(e) if e.downcast_ref::<crate::service::UserError>().is_some() => {
            d.empty_reason = Some(e.to_string())
        }
        Err(e) => return Err(e),
    }
    Ok(d)
}

/// Total value at each balance date: that day's cash − margin used + today's holdings at
/// that day's closes. Holdings have no history, so earlier points assume today's positions
/// (stated in the chart's title). The closes are read from the first balance date on, as the
/// analysis window may be shorter than the balance history.
fn value_history(
    store: &Store,
    balances: &[AccountBalance],
    holdings: &[Holding],
    analysis: &Analysis,
) -> Result<Vec<ValuePoint>> {
    let Some(first) = balances.first().map(|b| b.as_of) else {
        return Ok(Vec::new());
    };
    let since = first - Duration::days(10);
    let bench = Symbol::parse(&analysis.benchmark).ok();
    let mut closes = std::collections::BTreeMap::new();
    for symbol in holdings.iter().map(|h| &h.symbol).chain(bench.as_ref()) {
        let bars = store.bars_since(symbol, since)?;
        closes.insert(
            symbol.clone(),
            SymbolSeries {
                bars,
                indicators: Vec::new(),
            },
        );
    }
    let close = |s: &Symbol, d: NaiveDate| closes.get(s).and_then(|x| x.close_on_or_before(d));
    Ok(balances
        .iter()
        .filter(|b| b.as_of <= analysis.as_of)
        .map(|b| {
            let positions: f64 = holdings
                .iter()
                .map(|h| {
                    h.quantity.to_f64().unwrap_or(0.0) * close(&h.symbol, b.as_of).unwrap_or(0.0)
                })
                .sum();
            let cash = (b.cash - b.margin_used).to_f64().unwrap_or(0.0);
            ValuePoint {
                date: b.as_of,
                total_value: cash + positions,
                benchmark: bench.as_ref().and_then(|s| close(s, b.as_of)),
            }
        })
        .collect())
}

/// Five years of adjusted closes with their SMAs, from the whole history so the long
/// averages are right at the window's start.
pub fn load_chart(store: &Store, symbol: &Symbol) -> Result<ChartData> {
    let bars = store.bars(symbol)?;
    let last = bars.last().map(|b| b.date);
    let series = SymbolSeries::new(bars);
    let from = last
        .map(|d| d - Duration::days(5 * 366))
        .unwrap_or_default();
    let points = series
        .bars
        .iter()
        .zip(&series.indicators)
        .filter(|(b, _)| b.date >= from)
        .map(|(b, i)| ChartPoint {
            date: b.date,
            close: b.adjusted_close().to_f64().unwrap_or(0.0),
            sma_50: i.sma_50,
            sma_200: i.sma_200,
        })
        .collect();
    Ok(ChartData {
        symbol: symbol.clone(),
        points,
    })
}
