//! The analysis inputs: holdings, watchlist, account and a market snapshot as of the last
//! benchmark bar, read with the windows the rules need.

use chrono::NaiveDate;
use color_eyre::eyre::Result;

use super::{user_error, Context};
use crate::domain::analyzer::{analyze, history_days, Analysis, CheckMode};
use crate::domain::calendar;
use crate::domain::portfolio::{to_cents, to_price, AccountBalance, Holding};
use crate::domain::symbol::Symbol;
use crate::store::{Store, STALE_AFTER_TRADING_DAYS};
use rust_decimal::Decimal;

/// Everything `analyze` reads, loaded once so both check modes can share it.
pub struct AnalysisInputs {
    pub holdings: Vec<crate::domain::portfolio::Holding>,
    pub watchlist: Vec<crate::domain::portfolio::WatchItem>,
    pub account: Option<crate::domain::portfolio::AccountBalance>,
    pub snapshot: crate::domain::analyzer::MarketSnapshot,
    pub rules: crate::domain::analyzer::AnalysisRules,
    /// The day asked for (default today); the snapshot is as of the last benchmark bar on
    /// or before it.
    pub requested: NaiveDate,
}

impl AnalysisInputs {
    pub fn analyze(&self, mode: CheckMode) -> Analysis {
        let mut a = analyze(
            &self.holdings,
            &self.watchlist,
            self.account.as_ref(),
            &self.snapshot,
            &self.rules,
            mode,
        );
        a.warnings.extend(self.stale_warning());
        a
    }

    /// Said first by every check when the newest benchmark bar lags the requested day by
    /// more than `STALE_AFTER_TRADING_DAYS` sessions: every figure is from that older day.
    pub fn stale_warning(&self) -> Option<String> {
        let as_of = self.snapshot.as_of;
        let behind = calendar::trading_days_between(as_of, self.requested);
        (behind > STALE_AFTER_TRADING_DAYS).then(|| {
            format!(
                "STALE PRICES: the newest {} bar is {as_of}, {behind} trading days before {}; \
                 every figure below is as of {as_of}. Run `ducklens fetch` for current prices",
                self.rules.general.benchmark, self.requested
            )
        })
    }
}

/// Loads the analysis inputs as of the last benchmark bar on or before `as_of` (default
/// today). No benchmark data is a user error naming the command that fixes it.
pub fn inputs(ctx: &Context, store: &Store, as_of: Option<NaiveDate>) -> Result<AnalysisInputs> {
    let rules = ctx.config.analysis_rules();
    let benchmark = Symbol::parse(&rules.general.benchmark)
        .map_err(|e| user_error(format!("config general.benchmark: {e}")))?;
    let wanted = as_of.unwrap_or(ctx.today);
    let as_of = store.last_bar_on_or_before(&benchmark, wanted)?.ok_or_else(|| {
        user_error(format!(
            "no {benchmark} prices on or before {wanted}: run `ducklens fetch {benchmark}` or `ducklens import prices FILE`"
        ))
    })?;
    // The world of the requested day: positions opened by then and the balances recorded
    // on or before it, never later ones.
    let (holdings, account) = ledger_world(ctx, store, wanted)?;
    let watchlist = store.watchlist()?;
    let mut market: Vec<Symbol> = vec![benchmark];
    market.extend(
        rules
            .general
            .market_symbols
            .iter()
            .filter_map(|s| Symbol::parse(s).ok()),
    );
    let others: Vec<Symbol> = holdings
        .iter()
        .map(|h| h.symbol.clone())
        .chain(watchlist.iter().map(|w| w.symbol.clone()))
        .collect();
    let days = history_days(&rules);
    let mut snapshot =
        store.load_snapshot_windows(&[(&market, days.market), (&others, days.other)], as_of)?;
    let held: Vec<Symbol> = holdings.iter().map(|h| h.symbol.clone()).collect();
    snapshot.splits_after = store.splits_after(&held, as_of)?;
    Ok(AnalysisInputs {
        holdings,
        watchlist,
        account,
        snapshot,
        rules,
        requested: wanted,
    })
}

/// Runs the analysis as of the last benchmark bar on or before `as_of` (default today).
pub fn analysis(
    ctx: &Context,
    store: &Store,
    as_of: Option<NaiveDate>,
    mode: CheckMode,
) -> Result<Analysis> {
    Ok(inputs(ctx, store, as_of)?.analyze(mode))
}

/// The positions and balances of the requested day from the ledger (issue 15): its
/// quantities of `wanted` restated in today's shares (× the splits the ledger records after
/// that day; `analyzer::holdings` values today's shares at the close as traded divided by the
/// splits the bars show since, so a split recorded in both cancels out, and a position typed
/// in today's shares without its split recorded is valued as before the ledger).
/// Cash and margin used are the ledger's of that day when the ledger records money (a
/// deposit, a trade, an opening balance…), else the broker's snapshot on or before it, as
/// before the ledger; margin available is always the snapshot's.
fn ledger_world(
    ctx: &Context,
    store: &Store,
    wanted: NaiveDate,
) -> Result<(Vec<Holding>, Option<AccountBalance>)> {
    let cached = store.holdings()?;
    let snapshot = store.balance_on_or_before(wanted)?;
    let txs = store.transactions()?;
    if txs.is_empty() {
        let holdings = cached
            .into_iter()
            .filter(|h| h.opened.is_none_or(|opened| opened <= wanted))
            .collect();
        return Ok((holdings, snapshot));
    }
    let state = crate::domain::ledger::replay(&txs, wanted, ctx.config.ledger.cost_method)
        .map_err(|e| user_error(format!("the ledger does not replay: {e}")))?;
    let later_split = |symbol: &Symbol| -> Decimal {
        txs.iter()
            .filter(|t| t.date > wanted && t.symbol.as_ref() == Some(symbol))
            .filter_map(|t| t.split)
            .map(|s| s.factor())
            .product()
    };
    let holdings = state
        .positions
        .values()
        .map(|p| {
            let m = later_split(&p.symbol);
            let row = cached.iter().find(|h| h.symbol == p.symbol);
            Holding {
                symbol: p.symbol.clone(),
                quantity: to_price(p.quantity() * m).normalize(),
                avg_cost: to_price(p.cost() / p.quantity() / m).normalize(),
                opened: row.and_then(|h| h.opened).or(p.opened()),
                notes: row.and_then(|h| h.notes.clone()),
            }
        })
        .collect();
    let records_money = txs.iter().any(|t| {
        !matches!(
            t.kind,
            crate::domain::ledger::Kind::OpeningPosition
                | crate::domain::ledger::Kind::Adjustment
                | crate::domain::ledger::Kind::Split
        )
    });
    if !records_money {
        return Ok((holdings, snapshot));
    }
    let account = AccountBalance {
        as_of: snapshot.as_ref().map_or(wanted, |b| b.as_of),
        cash: to_cents(state.cash),
        margin_available: snapshot
            .as_ref()
            .map_or(Decimal::ZERO, |b| b.margin_available),
        margin_used: to_cents(state.margin_used),
        notes: snapshot.and_then(|b| b.notes),
    };
    Ok((holdings, Some(account)))
}
