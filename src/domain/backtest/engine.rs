//! The daily loop of one strategy.
//!
//! For each trading day t, in order:
//! 1. interest on margin debt for the calendar days since the previous trading day;
//! 2. the orders decided earlier fill at t's open (margin-call and other sales first, then
//!    buys); an order whose symbol has no bar dated t waits for its next bar;
//! 3. the account is valued at t's close: equity = cash + Σ quantity × adjusted close − debt;
//! 4. a margin call (debt and equity < maintenance % of the positions' value) queues sales
//!    of the largest positions for t+1's open, until the call would be met;
//! 5. on a rebalance day the real `analyze` runs on the data up to t's close and its
//!    verdicts become orders for t+1: sell underperformers and hard stops (percentage or
//!    technical), then buy the best opportunities, sized by the real sizer with the sales'
//!    proceeds counted as cash, within the max positions.
//!
//! Nothing is decided on the last day: it has no next open to fill at.

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::ledger::{Ledger, Side, Trade};
use super::strategy::StrategyParams;
use super::universe::{BacktestError, Universe};
use super::window::Window;
use crate::domain::analyzer::sizing::{Budget, SizingContext};
use crate::domain::analyzer::{analyze, Analysis, AnalysisRules, CheckMode};
use crate::domain::portfolio::{to_cents, AccountBalance, Holding, WatchItem};
use crate::domain::sizer::pct_of;
use crate::domain::symbol::Symbol;

/// The account at one day's close.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EquityPoint {
    pub date: NaiveDate,
    pub cash: Decimal,
    pub positions_value: Decimal,
    pub debt: Decimal,
    pub equity: Decimal,
    /// The initial capital invested in the benchmark at the first day's close.
    pub benchmark: Decimal,
}

/// A decision: made at `decided`'s close, filled at the next open the symbol trades.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Order {
    pub decided: NaiveDate,
    #[serde(skip)]
    pub index: usize,
    pub symbol: Symbol,
    pub side: Side,
    /// Shares to buy; a sale always sells the whole position.
    pub quantity: u64,
    pub reason: String,
}

/// Everything one run produced.
#[derive(Debug, Clone, Serialize)]
pub struct BacktestRun {
    pub equity: Vec<EquityPoint>,
    pub trades: Vec<Trade>,
    pub orders: Vec<Order>,
}

struct Run<'a> {
    universe: &'a Universe,
    params: &'a StrategyParams,
    rules: AnalysisRules,
    ledger: Ledger,
    window: Window,
    pending: Vec<Order>,
    run: BacktestRun,
}

/// Runs one strategy over the universe. `cancel` is checked every 64 days.
pub fn run_strategy(
    universe: &Universe,
    params: &StrategyParams,
    rules: &AnalysisRules,
    cancel: &AtomicBool,
) -> Result<BacktestRun, BacktestError> {
    let rules = params.analysis_rules(rules, universe.benchmark.symbol.as_str());
    let mut r = Run {
        universe,
        params,
        window: Window::new(universe, &rules),
        rules,
        ledger: Ledger::new(params.initial_capital),
        pending: Vec::new(),
        run: BacktestRun {
            equity: Vec::with_capacity(universe.days.len()),
            trades: Vec::new(),
            orders: Vec::new(),
        },
    };
    let days = &universe.days;
    let mut last_rebalance = None;
    for (i, &day) in days.iter().enumerate() {
        if i % 64 == 0 && cancel.load(Ordering::Relaxed) {
            return Err(BacktestError::Cancelled);
        }
        let previous = i.checked_sub(1).map(|p| days[p]);
        if let Some(prev) = previous {
            r.ledger
                .accrue_interest(params.margin_apr_pct, (day - prev).num_days());
        }
        r.execute(i, day);
        let point = r.value(i, day);
        let margin_call = r.margin_call(&point, i);
        r.run.equity.push(point);
        if i + 1 == days.len() {
            break;
        }
        if !margin_call.is_empty() {
            r.pending.retain(|o| o.side == Side::Sell);
            r.queue(margin_call);
        } else if params.frequency.is_rebalance(day, previous, last_rebalance) {
            last_rebalance = Some(day);
            let orders = r.decide(i, day);
            r.pending.retain(|o| o.side == Side::Sell);
            r.queue(orders);
        }
    }
    r.run.trades = std::mem::take(&mut r.ledger.trades);
    Ok(r.run)
}

impl Run<'_> {
    fn queue(&mut self, orders: Vec<Order>) {
        self.run.orders.extend(orders.iter().cloned());
        self.pending.extend(orders);
    }

    fn execute(&mut self, i: usize, day: NaiveDate) {
        if self.pending.is_empty() {
            return;
        }
        let mut orders = std::mem::take(&mut self.pending);
        orders.sort_by_key(|o| o.side == Side::Buy);
        for order in orders {
            let source = &self.universe.symbols[order.index];
            let Some(bar) = source.bar_on(i, day) else {
                self.pending.push(order);
                continue;
            };
            let raw = bar.open.unwrap_or(bar.close);
            let costs = &self.params.costs;
            match order.side {
                Side::Sell => self
                    .ledger
                    .sell_all(costs, order.index, raw, day, &order.reason),
                Side::Buy => {
                    self.ledger.buy(
                        costs,
                        self.params.margin,
                        (order.index, &order.symbol),
                        order.quantity,
                        raw,
                        day,
                        &order.reason,
                    );
                }
            }
        }
    }

    fn position_value(&self, index: usize, quantity: u64, i: usize) -> Decimal {
        let close = self.universe.symbols[index].close_at(i).unwrap_or_default();
        to_cents(Decimal::from(quantity) * close)
    }

    fn value(&self, i: usize, day: NaiveDate) -> EquityPoint {
        let l = &self.ledger;
        let positions_value = l
            .positions
            .iter()
            .map(|p| self.position_value(p.index, p.quantity, i))
            .sum();
        let b = &self.universe.benchmark;
        let base = b
            .close_at(0)
            .filter(|c| !c.is_zero())
            .unwrap_or(Decimal::ONE);
        let benchmark =
            to_cents(self.params.initial_capital * b.close_at(i).unwrap_or(base) / base);
        EquityPoint {
            date: day,
            cash: l.cash,
            positions_value,
            debt: l.debt,
            equity: l.cash + positions_value - l.debt,
            benchmark,
        }
    }

    /// Sales of the largest positions until equity ≥ maintenance % of what stays invested
    /// (valued at the close), or the debt is repaid.
    fn margin_call(&self, point: &EquityPoint, i: usize) -> Vec<Order> {
        let maintenance = self.params.maintenance_pct;
        if point.debt <= Decimal::ZERO || point.equity >= pct_of(point.positions_value, maintenance)
        {
            return Vec::new();
        }
        let mut by_value: Vec<(Decimal, usize, &Symbol)> = self
            .ledger
            .positions
            .iter()
            .map(|p| {
                (
                    self.position_value(p.index, p.quantity, i),
                    p.index,
                    &p.symbol,
                )
            })
            .collect();
        by_value.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let reason = format!(
            "margin call: equity {:.2} under {maintenance} % of positions {:.2}",
            point.equity, point.positions_value
        );
        let (mut invested, mut debt) = (point.positions_value, point.debt);
        let mut orders = Vec::new();
        for (value, index, symbol) in by_value {
            if debt <= Decimal::ZERO || point.equity >= pct_of(invested, maintenance) {
                break;
            }
            invested -= value;
            debt -= value.min(debt);
            orders.push(sell_order(point.date, index, symbol, reason.clone()));
        }
        orders
    }

    fn decide(&mut self, i: usize, day: NaiveDate) -> Vec<Order> {
        let analysis = self.analysis(i, day);
        let mut orders = Vec::new();
        let mut proceeds = Decimal::ZERO;
        for row in &analysis.holdings {
            let Some(reason) = exit_reason(&analysis, &row.symbol) else {
                continue;
            };
            let Some(p) = self
                .ledger
                .positions
                .iter()
                .find(|p| p.symbol == row.symbol)
            else {
                continue;
            };
            if self.pending.iter().any(|o| o.index == p.index) {
                continue;
            }
            proceeds += row.value.unwrap_or_default();
            orders.push(sell_order(day, p.index, &p.symbol, reason));
        }
        let staying = self.ledger.positions.len() - orders.len();
        let slots = self.params.max_positions.saturating_sub(staying);
        orders.extend(self.buys(&analysis, day, proceeds, slots));
        orders
    }

    /// The best opportunities in the analyzer's order, each sized by the real sizer against
    /// what earlier buys left, with the sales' proceeds counted as cash.
    fn buys(
        &self,
        analysis: &Analysis,
        day: NaiveDate,
        proceeds: Decimal,
        slots: usize,
    ) -> Vec<Order> {
        let ctx = SizingContext::new(&self.rules, &analysis.account, analysis.market_regime);
        let mut budget = Budget::from_account(&analysis.account);
        budget.cash += proceeds;
        let mut orders = Vec::new();
        for o in &analysis.opportunities {
            if orders.len() >= slots {
                break;
            }
            let size = ctx.size(&o.entry(), &budget, Decimal::ZERO);
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
                reason: format!(
                    "opportunity: strength {:.0}, {} bound{margin}",
                    o.strength,
                    size.bound_by.label()
                ),
            });
        }
        orders
    }

    /// The morning analysis at t's close over the holdings and every warmed-up symbol.
    fn analysis(&mut self, i: usize, day: NaiveDate) -> Analysis {
        let u = self.universe;
        let wanted: Vec<usize> = (0..u.symbols.len())
            .filter(|&k| self.ledger.held(k).is_some() || u.symbols[k].warmed_up(i))
            .collect();
        self.window.advance_to(u, i, day, &wanted);
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
        let watchlist: Vec<WatchItem> = wanted
            .iter()
            .filter(|&&k| self.ledger.held(k).is_none())
            .map(|&k| WatchItem {
                symbol: u.symbols[k].symbol.clone(),
                added: day,
                notes: None,
            })
            .collect();
        let balance = self.balance(day);
        analyze(
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

fn sell_order(day: NaiveDate, index: usize, symbol: &Symbol, reason: String) -> Order {
    Order {
        decided: day,
        index,
        symbol: symbol.clone(),
        side: Side::Sell,
        quantity: 0,
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
