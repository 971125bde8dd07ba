//! A rebalance day: what the morning check says at t's close, turned into orders for t+1.
//!
//! 1. The real analysis over the holdings (`analyze_for_decisions`: `analyze` without the
//!    swaps and the game plan, which nothing here reads) gives the exits (hard stops and
//!    underperformers), the account summary and the market regime.
//! 2. If positions are free, the buys: the analyzer's opportunities in its order (strength,
//!    then alpha), each sized by the real sizer against what earlier buys left, the sales'
//!    proceeds counted as cash.
//! 3. Each buy carries its funding for the fill: the sizer's cash part plus the cash above
//!    the reserve that no buy planned, the sizer's `margin_needed`, and the reserve itself,
//!    which no buy spends (DESIGN §5 "Margin").
//!
//! Speed without a second set of rules: step 2 does not hand the analyzer all 500
//! symbols. It first computes each symbol's strength and risk with the analyzer's own
//! functions (`lookback_return_pct`, `signal_strength`, `entry_risk`) on the precomputed
//! closes, ranks those at or above the entry threshold, and analyzes them in chunks of
//! falling strength, stopping once the positions are filled. A chunk holds only those the real
//! sizer would give at least one share with the whole budget (a size only shrinks as the
//! budget is spent); that check (the 60-bar range and a sizing) is made lazily, only as far
//! down the ranking as the chunks reach. The opportunities seen are then exactly the head of
//! the full list; a test checks that the orders equal those of one analysis over every symbol.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::engine::{Order, Run};
use super::ledger::{Funding, Side};
use super::universe::Prepared;
use crate::domain::analyzer::sizing::{Budget, Entry, SizingContext};
use crate::domain::analyzer::TARGET_HIGH_BARS;
use crate::domain::analyzer::{analyze_for_decisions, Analysis, AnalysisRules, CheckMode};
use crate::domain::indicators::IndicatorRow;
use crate::domain::portfolio::{AccountBalance, Holding, WatchItem};
use crate::domain::returns::lookback_return_pct;
use crate::domain::risk::entry_risk;
use crate::domain::signal::{signal_strength, SignalInputs};
use crate::domain::sizer::pct_of;
use crate::domain::symbol::Symbol;

/// The strength the analyzer would give bar `k` of `p`, trading day `i`'s last.
pub(super) fn strength_at(
    p: &Prepared,
    i: usize,
    k: usize,
    rules: &AnalysisRules,
) -> (f64, IndicatorRow) {
    let days = rules.general.lookback_days;
    let lookback = lookback_return_pct(&p.dates[..=k], &p.closes[..=k], k, days);
    let row = p.indicators_on(i);
    let strength = signal_strength(&SignalInputs::from_row(&row, lookback), &rules.signal);
    (strength.score, row)
}

/// The entry the analyzer would build for bar `k` of `p` with that strength, with the same
/// 60-bar range (the reward/risk rule can refuse a buy, so the pre-screen must see it too).
fn entry_at(
    p: &Prepared,
    k: usize,
    strength: f64,
    row: &IndicatorRow,
    rules: &AnalysisRules,
) -> Entry {
    Entry {
        price: p.close(k),
        strength,
        risk: entry_risk(row.rsi_14, &p.closes[..=k], &rules.risk).level,
        range_60d: Some(p.recent_range(k, TARGET_HIGH_BARS).rounded()),
    }
}

impl Run<'_> {
    pub(super) fn decide(&mut self, i: usize, day: NaiveDate) -> Vec<Order> {
        let every: Vec<usize>;
        let watch: &[usize] = if self.screen.is_some() {
            &[]
        } else {
            every = self.candidates(i).collect();
            &every
        };
        let analysis = self.analysis(i, day, watch);
        let (mut orders, proceeds) = self.exits(&analysis, day);
        let staying = self.ledger.positions.len() - orders.len();
        let slots = self.params.max_positions.saturating_sub(staying);
        if slots == 0 {
            return orders;
        }
        let rules = self.rules.clone();
        let ctx = SizingContext::new(&rules, &analysis.account, analysis.market_regime);
        let mut budget = Budget::from_account(&analysis.account);
        budget.cash += proceeds;
        let mut buys = match self.screen {
            None => self.buys(&analysis, &ctx, &mut budget, day, slots),
            Some(factor) => {
                let ranked = self.ranked(i, &rules);
                self.chunked_buys(i, day, &ranked, factor, &ctx, &mut budget, slots)
            }
        };
        let reserve = pct_of(
            analysis.account.portfolio_value,
            rules.sizing.cash_reserve_pct,
        );
        let unplanned = (budget.cash - reserve).max(Decimal::ZERO);
        for buy in &mut buys {
            buy.funding.cash += unplanned;
            buy.funding.reserve = reserve;
        }
        orders.extend(buys);
        orders
    }

    /// Sell orders for the hard stops and underperformers, and their value at the close.
    fn exits(&self, analysis: &Analysis, day: NaiveDate) -> (Vec<Order>, Decimal) {
        let mut orders = Vec::new();
        let mut proceeds = Decimal::ZERO;
        for row in &analysis.holdings {
            let Some(reason) = exit_reason(analysis, &row.symbol) else {
                continue;
            };
            let held = self
                .ledger
                .positions
                .iter()
                .find(|p| p.symbol == row.symbol);
            let Some(p) = held.filter(|p| self.pending.iter().all(|o| o.index != p.index)) else {
                continue;
            };
            proceeds += row.value.unwrap_or_default();
            orders.push(sell_order(day, p.index, &p.symbol, reason));
        }
        (orders, proceeds)
    }

    /// Candidates at or above the entry threshold, strongest first (then by index): from the
    /// shared table of strengths when it has the day ([`super::strengths::Strengths`]), else
    /// computed here.
    fn ranked(&self, i: usize, rules: &AnalysisRules) -> Vec<(f64, usize)> {
        let min = rules.screens.opportunity_min_strength;
        let mut ranked: Vec<(f64, usize)> = match self.strengths.and_then(|t| t.on(i, rules)) {
            // `NaN` (no candidate) is never at or above the threshold.
            Some(day) => day
                .iter()
                .enumerate()
                .filter(|&(k, &strength)| strength >= min && self.free(k))
                .map(|(k, &strength)| (strength, k))
                .collect(),
            None => self
                .candidates(i)
                .filter_map(|k| {
                    let p = &self.universe.symbols[k];
                    let (strength, _) = strength_at(p, i, p.at(i)?, rules);
                    (strength >= min).then_some((strength, k))
                })
                .collect(),
        };
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked
    }

    /// Analyzes the buyable head of `ranked` in chunks of `factor` per free position (ties
    /// kept together) until the positions are filled. Buyable: the sizer gives at least one
    /// share with the budget as it was before any buy (`budget` here). The check (the 60-bar
    /// range and a sizing) is made only as far down the list as the chunks reach: the chunks
    /// are those of the whole buyable list, found for a few dozen candidates instead of all.
    #[allow(clippy::too_many_arguments)]
    fn chunked_buys(
        &mut self,
        i: usize,
        day: NaiveDate,
        ranked: &[(f64, usize)],
        factor: usize,
        ctx: &SizingContext,
        budget: &mut Budget,
        slots: usize,
    ) -> Vec<Order> {
        let rules = self.rules.clone();
        let mut buyable = Buyable {
            ranked,
            checked: 0,
            found: Vec::new(),
            budget: budget.clone(),
        };
        let mut orders = Vec::new();
        let mut start = 0;
        while orders.len() < slots && buyable.has(start, self, i, &rules, ctx) {
            let length = (factor * (slots - orders.len() + 1)).max(1);
            let mut end = start + 1;
            while end < start + length && buyable.has(end, self, i, &rules, ctx) {
                end += 1;
            }
            while buyable.has(end, self, i, &rules, ctx)
                && buyable.found[end].0 == buyable.found[end - 1].0
            {
                end += 1;
            }
            let chunk: Vec<usize> = buyable.found[start..end].iter().map(|c| c.1).collect();
            let analysis = self.analysis(i, day, &chunk);
            let free = slots - orders.len();
            orders.extend(self.buys(&analysis, ctx, budget, day, free));
            start = end;
        }
        orders
    }

    /// Warmed-up symbols not held and without a pending order.
    fn candidates(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.universe.symbols.len())
            .filter(move |&k| self.universe.symbols[k].warmed_up(i) && self.free(k))
    }

    /// Not held, and without a pending order.
    fn free(&self, k: usize) -> bool {
        self.ledger.held(k).is_none() && self.pending.iter().all(|o| o.index != k)
    }

    /// The opportunities in the analyzer's order, each sized by the real sizer against what
    /// earlier buys left, funded with its planned cash and margin (`decide` adds the rest).
    fn buys(
        &self,
        analysis: &Analysis,
        ctx: &SizingContext,
        budget: &mut Budget,
        day: NaiveDate,
        slots: usize,
    ) -> Vec<Order> {
        let mut orders = Vec::new();
        for o in &analysis.opportunities {
            if orders.len() >= slots {
                break;
            }
            let size = ctx.size(&o.entry(), budget, Decimal::ZERO);
            if size.quantity == 0 {
                continue;
            }
            budget.spend(&size, Decimal::ZERO);
            let Some(index) = self
                .universe
                .symbols
                .iter()
                .position(|s| s.symbol == o.symbol)
            else {
                continue;
            };
            let margin = if size.use_margin { ", on margin" } else { "" };
            orders.push(Order {
                decided: day,
                index,
                symbol: o.symbol.clone(),
                side: Side::Buy,
                quantity: size.quantity,
                funding: Funding {
                    cash: size.cash_needed,
                    margin: size.margin_needed,
                    reserve: Decimal::ZERO,
                },
                reason: format!(
                    "opportunity: strength {:.0}, {} bound{margin}",
                    o.strength,
                    size.bound_by.label()
                ),
            });
        }
        orders
    }

    /// The morning analysis at t's close over the holdings and the watch symbols given.
    fn analysis(&mut self, i: usize, day: NaiveDate, watch: &[usize]) -> Analysis {
        let u = self.universe;
        let mut wanted: Vec<usize> = self.ledger.positions.iter().map(|p| p.index).collect();
        wanted.extend_from_slice(watch);
        self.window.advance_to(u, (i, day), &wanted, watch);
        let holdings: Vec<Holding> = self
            .ledger
            .positions
            .iter()
            .map(|p| Holding {
                symbol: p.symbol.clone(),
                quantity: Decimal::from(p.quantity),
                avg_cost: p.avg_price,
                opened: Some(p.opened),
                notes: None,
            })
            .collect();
        let watchlist: Vec<WatchItem> = watch
            .iter()
            .map(|&k| WatchItem {
                symbol: u.symbols[k].symbol.clone(),
                added: day,
                notes: None,
            })
            .collect();
        let balance = self.balance(day);
        analyze_for_decisions(
            &holdings,
            &watchlist,
            Some(&balance),
            &self.window.snapshot,
            &self.rules,
            CheckMode::Morning,
        )
    }

    /// Cash and debt as the account row; margin available is the margin limit of the
    /// equity at the close, less the debt, for margin strategies only.
    fn balance(&self, day: NaiveDate) -> AccountBalance {
        let l = &self.ledger;
        let equity = self.run.equity.last().map_or(l.cash, |p| p.equity);
        let margin_available = if self.params.margin {
            (pct_of(equity, self.params.margin_limit_pct) - l.debt).max(Decimal::ZERO)
        } else {
            Decimal::ZERO
        };
        AccountBalance {
            as_of: day,
            cash: l.cash,
            margin_available,
            margin_used: l.debt,
            notes: None,
        }
    }
}

/// The buyable candidates of a ranked list, found in its order as far as they are asked for.
struct Buyable<'r> {
    ranked: &'r [(f64, usize)],
    /// Entries of `ranked` checked so far.
    checked: usize,
    found: Vec<(f64, usize)>,
    /// The budget before any buy: every candidate is checked against the same one.
    budget: Budget,
}

impl Buyable<'_> {
    /// Whether the buyable list has an entry `n`, checking candidates until it does.
    fn has(
        &mut self,
        n: usize,
        run: &Run,
        i: usize,
        rules: &AnalysisRules,
        ctx: &SizingContext,
    ) -> bool {
        while self.found.len() <= n && self.checked < self.ranked.len() {
            let (strength, k) = self.ranked[self.checked];
            self.checked += 1;
            let p = &run.universe.symbols[k];
            let Some(at) = p.at(i) else { continue };
            let row = p.indicators_on(i);
            let entry = entry_at(p, at, strength, &row, rules);
            if ctx.quantity(&entry, &self.budget, Decimal::ZERO) > 0 {
                self.found.push((strength, k));
            }
        }
        self.found.len() > n
    }
}

pub(super) fn sell_order(day: NaiveDate, index: usize, symbol: &Symbol, reason: String) -> Order {
    Order {
        decided: day,
        index,
        symbol: symbol.clone(),
        side: Side::Sell,
        quantity: 0,
        funding: Funding::default(),
        reason,
    }
}

/// Why the morning check would exit a holding: a hard stop, or an underperformer.
fn exit_reason(analysis: &Analysis, symbol: &Symbol) -> Option<String> {
    let row = analysis.holdings.iter().find(|r| &r.symbol == symbol)?;
    if row.has_hard_stop() {
        let stops: Vec<&str> = row
            .alerts
            .iter()
            .filter(|a| a.kind.is_hard())
            .map(|a| a.kind.label())
            .collect();
        return Some(stops.join(", "));
    }
    analysis
        .underperformers
        .iter()
        .find(|u| &u.symbol == symbol)
        .map(|u| format!("underperformer: {}", u.reason))
}
