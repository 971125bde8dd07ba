//! What the worker hands the UI: plain data, built once per refresh, so rendering never
//! computes more than formatting.

use chrono::{Duration, NaiveDate};
use color_eyre::eyre::Result;
use rust_decimal::prelude::ToPrimitive;

use crate::domain::analyzer::{
    watch_rows, Analysis, CheckMode, SymbolSeries, Underperformer, WatchRow,
};
use crate::domain::journal::SignalRecord;
use crate::domain::performance::{DayValue, MillionPlan};
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
    /// The performance figures from the ledger's daily values; `None` without a history,
    /// with the reason in `performance_note`.
    pub performance: Option<AccountPerformance>,
    pub performance_note: Option<String>,
    pub signals: Vec<SignalRecord>,
    pub stats: Option<JournalStats>,
    /// Why the analysis is missing, with the command that fixes it.
    pub empty_reason: Option<String>,
    /// The journal's commission per trade and breakeven band, for the exit form's preview.
    pub journal_commission: rust_decimal::Decimal,
    pub breakeven_pct: f64,
    /// Every price comes from the demo generator.
    pub demo: bool,
    /// The first load of a session: due signals are not judged yet and `stats` is `None`;
    /// the full load follows (judging a large journal must not hold back the first frame).
    pub journal_pending: bool,
    /// Set when today's quotes (provisional bars) are part of the figures.
    pub live: Option<LiveNote>,
    /// Stops today's quotes hit that the last close did not.
    pub stops_since_morning: Vec<NewStop>,
    /// The Account tab's ledger view: transactions, proposals (issue 15).
    pub ledger: super::ledger_data::LedgerData,
    /// The first steps a new database has done: the Account tab's checklist (issue 17).
    pub first_run: super::first_run::FirstRun,
}

/// What the Account tab's performance panels show, computed here in the worker.
pub type AccountPerformance = crate::service::performance::AccountReport;

/// The report over the ledger's `values` as of `ctx.today`, with the default plan (the
/// realized return, no contribution). A user error (no history, no benchmark) becomes the
/// note the tab shows instead.
pub fn account_performance(
    ctx: &Context,
    store: &Store,
    values: &[DayValue],
) -> Result<(Option<AccountPerformance>, Option<String>)> {
    let plan = MillionPlan::default();
    match crate::service::performance::report_over(ctx, store, values, None, &plan) {
        Ok(report) => Ok((Some(report), None)),
        Err(e) if e.downcast_ref::<crate::service::UserError>().is_some() => {
            Ok((None, Some(e.to_string())))
        }
        Err(e) => Err(e),
    }
}

/// The ledger's daily values to today, from the first session the account holds anything.
fn ledger_values(ctx: &Context, store: &Store) -> Result<Vec<DayValue>> {
    let values = crate::service::ledger::daily_values(ctx, store, NaiveDate::MIN, ctx.today)?;
    Ok(crate::service::performance::history_from_first_holding(&values).to_vec())
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
    load(ctx, store, true)
}

/// What the first frame needs, at once: everything but the journal's verdicts and
/// statistics, which the full load that follows brings.
pub fn load_first(ctx: &Context, store: &mut Store) -> Result<Dashboard> {
    load(ctx, store, false)
}

fn load(ctx: &Context, store: &mut Store, with_stats: bool) -> Result<Dashboard> {
    let signals = store.signals()?;
    let stats = if with_stats {
        Some(crate::service::journal::journal_stats(
            ctx, store, &signals, ctx.today,
        )?)
    } else {
        None
    };
    let holdings = store.holdings()?;
    let balances = store.balance_history()?;
    let mut d = Dashboard {
        today: ctx.today,
        analysis: None,
        alerts: Vec::new(),
        watch: Vec::new(),
        holdings,
        balances,
        performance: None,
        performance_note: None,
        signals,
        stats,
        empty_reason: None,
        journal_commission: ctx.config.journal.commission,
        breakeven_pct: ctx.config.journal.breakeven_pct,
        demo: false,
        journal_pending: !with_stats,
        live: None,
        stops_since_morning: Vec::new(),
        ledger: super::ledger_data::load(ctx, store)?,
        first_run: Default::default(),
    };
    match ledger_values(ctx, store) {
        Ok(values) => {
            (d.performance, d.performance_note) = account_performance(ctx, store, &values)?
        }
        // A ledger that does not replay is shown, not a failed refresh: the other tabs work.
        Err(e) => d.performance_note = Some(format!("the ledger does not replay: {e}")),
    }
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
    let counts = super::first_run::Counts {
        holdings: d.holdings.len(),
        latest_balance: d.balances.last().map(|b| b.as_of),
        cash_movements: d
            .ledger
            .transactions
            .iter()
            .filter(|t| {
                use crate::domain::ledger::Kind;
                matches!(t.kind, Kind::Deposit | Kind::Withdrawal | Kind::OpeningCash)
            })
            .count(),
    };
    let benchmark = &ctx.config.general.benchmark;
    d.first_run = super::first_run::FirstRun::load(store, benchmark, ctx.today, counts)?;
    Ok(d)
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
