//! The portfolio analyzer (DESIGN §5, issue 4): from holdings, the watchlist, the account
//! and a market snapshot at an as-of date, one [`Analysis`] with everything the morning
//! and intraday checks show.
//!
//! Pure: the as-of date is an argument, every threshold comes from [`AnalysisRules`], and a
//! symbol without data is reported in [`Analysis::missing_data`], never skipped silently.

mod account;
mod game_plan;
mod health;
mod holdings;
mod intraday;
mod issues;
mod market_direction;
mod screens;
mod series;
pub(crate) mod sizing;
mod swaps;
mod watch;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod scenario;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod truth_tests;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::bar::{Bar, PriceRange};
use super::indicators::IndicatorRow;
use super::portfolio::{AccountBalance, Holding, WatchItem};
use super::risk::Regime;
use super::rules::{
    GeneralRules, HealthRules, MarginRules, RiskRules, ScreenRules, SizingRules, StopRules,
};
use super::signal::SignalRules;
use super::symbol::Symbol;

pub use account::AccountSummary;
pub use game_plan::{PlanAction, PlanStep};
pub use health::{grade, health_score, Grade, Health, HealthTerms};
pub use holdings::{HoldingRow, StopAlert, StopKind};
pub use intraday::{intraday_plan, IntradayPlan, MorningBuyCheck, NewBuy};
pub use issues::{HealthIssue, IssueKind};
pub use market_direction::MarketDirection;
pub use screens::{FlagAction, Opportunity, Underperformer};
pub use series::{history_days, HistoryDays, TARGET_HIGH_BARS};
pub use swaps::{pair_swaps, Swap, SwapIncrease, SwapReduce};
pub use watch::{watch_rows, WatchRow};

/// Prices and indicators of every symbol the analysis may need, up to `as_of`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MarketSnapshot {
    pub as_of: NaiveDate,
    pub series: BTreeMap<Symbol, SymbolSeries>,
    /// For a past as-of date: how many of today's shares one share on that date became
    /// (splits since, see `bar::split_multiplier`); a symbol not listed had none. Holdings
    /// are recorded in today's shares, so this puts the day's close on their cost's basis.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub splits_after: BTreeMap<Symbol, rust_decimal::Decimal>,
}

/// One symbol's bars, ascending by date, and the indicators of its last bars. Bars after
/// the snapshot's `as_of` are ignored.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SymbolSeries {
    pub bars: Vec<Bar>,
    /// The indicators of the last `indicators.len()` bars, aligned on the last bar: one per
    /// bar when computed here, only the last bar's when read by `store::load_snapshot` (the
    /// analysis reads no other). Read them through [`SymbolSeries::indicators_at`].
    pub indicators: Vec<IndicatorRow>,
    /// The 60-bar range (`bar::recent_range`, rounded) ending at the bar of that date, when
    /// the caller has it at hand (the backtest, from its prepared columns); the analysis uses
    /// it for that date only and computes it from `bars` otherwise.
    pub range_60d: Option<(NaiveDate, PriceRange)>,
}

/// Every rule the analysis computes with: the matching tables of the config.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalysisRules {
    pub general: GeneralRules,
    pub signal: SignalRules,
    pub screens: ScreenRules,
    pub risk: RiskRules,
    pub health: HealthRules,
    pub sizing: SizingRules,
    pub margin: MarginRules,
    pub stops: StopRules,
}

/// Which screen thresholds apply. Swaps are worked out only in the morning check; the
/// intraday check flags positions for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckMode {
    Morning,
    Intraday,
}

/// Why a symbol the analysis needed is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataRole {
    Holding,
    Watchlist,
    Market,
    Benchmark,
}

/// A symbol with no bar on or before the as-of date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingData {
    pub symbol: Symbol,
    pub role: DataRole,
}

#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub as_of: NaiveDate,
    /// What the reader must know before trusting any figure (e.g. stale prices); shown
    /// first. Left out of JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub mode: CheckMode,
    /// The benchmark every alpha is measured against.
    pub benchmark: String,
    pub account: AccountSummary,
    pub market: Vec<MarketDirection>,
    /// The benchmark's regime; `None` without enough benchmark data. Anything but BULL
    /// counts as "market in correction" for margin.
    pub market_regime: Option<Regime>,
    pub holdings: Vec<HoldingRow>,
    pub health: Health,
    pub underperformers: Vec<Underperformer>,
    pub opportunities: Vec<Opportunity>,
    pub swaps: Vec<Swap>,
    pub game_plan: Vec<PlanStep>,
    pub missing_data: Vec<MissingData>,
}

impl Analysis {
    /// What to say when there is no swap: "well optimized" only without underperformers;
    /// with them, that no stronger opportunity could replace them, naming them.
    pub fn no_swap_message(&self) -> String {
        if self.underperformers.is_empty() {
            return "✓ No rebalancing needed - portfolio is well optimized".into();
        }
        let names: Vec<&str> = self
            .underperformers
            .iter()
            .map(|u| u.symbol.as_str())
            .collect();
        format!(
            "No swap: no stronger opportunity can replace the {} underperformer(s) ({}); \
             review them",
            names.len(),
            names.join(", ")
        )
    }
}

/// Runs the whole analysis. See the module docs of each part for its rules.
pub fn analyze(
    holdings: &[Holding],
    watchlist: &[WatchItem],
    account: Option<&AccountBalance>,
    market: &MarketSnapshot,
    rules: &AnalysisRules,
    mode: CheckMode,
) -> Analysis {
    analysis(
        holdings,
        watchlist,
        account,
        market,
        rules,
        mode,
        Plans::Made,
    )
}

/// [`analyze`] without the swaps and the game plan, which only a person reads: what a
/// backtest decides from (the holdings' rows and alerts, the underperformers, the
/// opportunities, the account and the regime) by the very same rules. Swaps and the plan
/// come after the opportunities and change none of them; they were a fifth of the analysis
/// a backtest runs at every rebalance (issue 18).
pub fn analyze_for_decisions(
    holdings: &[Holding],
    watchlist: &[WatchItem],
    account: Option<&AccountBalance>,
    market: &MarketSnapshot,
    rules: &AnalysisRules,
    mode: CheckMode,
) -> Analysis {
    analysis(
        holdings,
        watchlist,
        account,
        market,
        rules,
        mode,
        Plans::Skipped,
    )
}

/// Whether [`advise`] makes the swaps and the game plan.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plans {
    Made,
    Skipped,
}

fn analysis(
    holdings: &[Holding],
    watchlist: &[WatchItem],
    account: Option<&AccountBalance>,
    market: &MarketSnapshot,
    rules: &AnalysisRules,
    mode: CheckMode,
    plans: Plans,
) -> Analysis {
    let as_of = market.as_of;
    let benchmark_symbol = Symbol::parse(&rules.general.benchmark).ok();
    let benchmark = benchmark_symbol.as_ref().and_then(|s| market.series.get(s));
    let mut rows: Vec<HoldingRow> = holdings
        .iter()
        .map(|h| {
            let facts = facts_of(market, &h.symbol, rules);
            let splits = market.splits_after.get(&h.symbol).copied();
            holdings::holding_row(h, facts.as_ref(), splits, benchmark, rules)
        })
        .collect();
    holdings::flag_stale(&mut rows, as_of);
    let account = account::account_summary(account, &rows, &rules.sizing, &rules.margin);
    holdings::set_weights(&mut rows, account.portfolio_value);
    let market_regime = benchmark
        .and_then(|b| series::facts(b, as_of, rules))
        .and_then(|f| market_direction::regime_of(&f, rules));
    let missing_data = missing(&rows, watchlist, market, rules, benchmark_symbol.as_ref());
    let candidates = watch_candidates(holdings, watchlist, market, rules);
    let ctx = sizing::SizingContext::new(rules, &account, market_regime);
    let advice = advise(
        &rows,
        &candidates,
        benchmark,
        (&ctx, &account),
        rules,
        (mode, plans),
    );
    Analysis {
        as_of,
        mode,
        benchmark: rules.general.benchmark.clone(),
        health: health::health(&rows, &account, &missing_data, rules),
        account,
        market: market_direction::market_directions(market, rules),
        market_regime,
        holdings: rows,
        underperformers: advice.underperformers,
        opportunities: advice.opportunities,
        swaps: advice.swaps,
        game_plan: advice.game_plan,
        missing_data,
        warnings: Vec::new(),
    }
}

fn facts_of<'a>(
    market: &'a MarketSnapshot,
    symbol: &Symbol,
    rules: &AnalysisRules,
) -> Option<series::Facts<'a>> {
    series::facts(market.series.get(symbol)?, market.as_of, rules)
}

/// Watchlist symbols not held, with a bar on the as-of date: a buy is never proposed from
/// a price that stopped days ago.
fn watch_candidates<'a>(
    holdings: &[Holding],
    watchlist: &[WatchItem],
    market: &'a MarketSnapshot,
    rules: &AnalysisRules,
) -> Vec<(Symbol, series::Facts<'a>)> {
    let held: BTreeSet<&Symbol> = holdings.iter().map(|h| &h.symbol).collect();
    watchlist
        .iter()
        .filter(|w| !held.contains(&w.symbol))
        .filter_map(|w| facts_of(market, &w.symbol, rules).map(|f| (w.symbol.clone(), f)))
        .filter(|(_, f)| f.date >= market.as_of)
        .collect()
}

struct Advice {
    underperformers: Vec<Underperformer>,
    opportunities: Vec<Opportunity>,
    swaps: Vec<Swap>,
    game_plan: Vec<PlanStep>,
}

/// Screens, swaps and the game plan, all sized against one cash budget in plan order.
fn advise(
    rows: &[HoldingRow],
    candidates: &[(Symbol, series::Facts)],
    benchmark: Option<&SymbolSeries>,
    (ctx, account): (&sizing::SizingContext, &AccountSummary),
    rules: &AnalysisRules,
    (mode, plans): (CheckMode, Plans),
) -> Advice {
    let underperformers = screens::underperformers(rows, mode, rules);
    let mut budget = sizing::Budget::from_account(account);
    let opportunities = screens::opportunities(candidates, benchmark, ctx, &budget, rules);
    if plans == Plans::Skipped {
        return Advice {
            underperformers,
            opportunities,
            swaps: Vec::new(),
            game_plan: Vec::new(),
        };
    }
    let swaps = match mode {
        CheckMode::Morning => {
            swaps::swaps(&underperformers, &opportunities, ctx, &mut budget, rules)
        }
        CheckMode::Intraday => Vec::new(),
    };
    let game_plan = game_plan::game_plan(rows, &swaps, &opportunities, ctx, &mut budget);
    Advice {
        underperformers,
        opportunities,
        swaps,
        game_plan,
    }
}

/// Every holding, watchlist (not held), market and benchmark symbol without a bar on or
/// before the as-of date, once per role.
fn missing(
    rows: &[HoldingRow],
    watchlist: &[WatchItem],
    market: &MarketSnapshot,
    rules: &AnalysisRules,
    benchmark: Option<&Symbol>,
) -> Vec<MissingData> {
    let has_data = |s: &Symbol| {
        market
            .series
            .get(s)
            .and_then(|series| series.index_on_or_before(market.as_of))
            .is_some()
    };
    let market_symbols = rules
        .general
        .market_symbols
        .iter()
        .filter_map(|s| Symbol::parse(s).ok());
    let tagged = rows
        .iter()
        .map(|r| (r.symbol.clone(), DataRole::Holding))
        .chain(
            watchlist
                .iter()
                .filter(|w| rows.iter().all(|r| r.symbol != w.symbol))
                .map(|w| (w.symbol.clone(), DataRole::Watchlist)),
        )
        .chain(market_symbols.map(|s| (s, DataRole::Market)))
        .chain(benchmark.map(|s| (s.clone(), DataRole::Benchmark)));
    let mut seen = BTreeSet::new();
    tagged
        .filter(|(s, role)| !has_data(s) && seen.insert((s.clone(), *role)))
        .map(|(symbol, role)| MissingData { symbol, role })
        .collect()
}
