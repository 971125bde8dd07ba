//! The daily loop of one strategy.
//!
//! For each trading day t, in order:
//! 1. interest on margin debt for the calendar days since the previous trading day;
//! 2. the orders decided earlier fill at t's open (margin-call and other sales first, then
//!    buys, each within the cash and margin its sizing planned); an order whose symbol has
//!    no bar dated t waits for its next bar;
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

use super::ledger::{Funding, Ledger, Side, Trade};
use super::rebalance::sell_order;
use super::strategy::StrategyParams;
use super::strengths::Strengths;
use super::universe::{BacktestError, Universe};
use super::window::Window;
use crate::domain::analyzer::AnalysisRules;
use crate::domain::portfolio::to_cents;
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
    /// A buy's planned cash, margin and reserve; zero for a sale.
    pub funding: Funding,
    pub reason: String,
}

/// Everything one run produced.
#[derive(Debug, Clone, Serialize)]
pub struct BacktestRun {
    pub equity: Vec<EquityPoint>,
    pub trades: Vec<Trade>,
    pub orders: Vec<Order>,
    /// Interest charged on margin debt over the run.
    pub interest: Decimal,
}

pub(super) struct Run<'a> {
    pub universe: &'a Universe,
    pub params: &'a StrategyParams,
    pub rules: AnalysisRules,
    pub ledger: Ledger,
    pub window: Window,
    pub pending: Vec<Order>,
    pub run: BacktestRun,
    /// Pre-screen the watch symbols (see `rebalance`) and analyze the candidates in chunks
    /// of this many per free position; `None` (one analysis of every symbol) only in tests.
    pub screen: Option<usize>,
    /// The pre-screen's strengths, shared by the strategies of one backtest; `None`: each
    /// ranking computes its own.
    pub strengths: Option<&'a Strengths>,
}

/// Runs one strategy over the universe. `cancel` is checked every 64 days.
pub fn run_strategy(
    universe: &Universe,
    params: &StrategyParams,
    rules: &AnalysisRules,
    cancel: &AtomicBool,
) -> Result<BacktestRun, BacktestError> {
    run_with(universe, params, rules, cancel, Some(2), None)
}

/// [`run_strategy`] with the strengths computed once for several strategies.
pub(super) fn run_sharing(
    universe: &Universe,
    params: &StrategyParams,
    rules: &AnalysisRules,
    cancel: &AtomicBool,
    strengths: Option<&Strengths>,
) -> Result<BacktestRun, BacktestError> {
    run_with(universe, params, rules, cancel, Some(2), strengths)
}

pub(super) fn run_with(
    universe: &Universe,
    params: &StrategyParams,
    rules: &AnalysisRules,
    cancel: &AtomicBool,
    screen: Option<usize>,
    strengths: Option<&Strengths>,
) -> Result<BacktestRun, BacktestError> {
    let rules = params.analysis_rules(rules, universe.benchmark.symbol.as_str());
    let mut r = Run {
        universe,
        params,
        window: Window::new(universe, &rules),
        rules,
        ledger: Ledger::new(params.initial_capital),
        pending: Vec::new(),
        screen,
        strengths,
        run: BacktestRun {
            equity: Vec::with_capacity(universe.days.len()),
            trades: Vec::new(),
            orders: Vec::new(),
            interest: Decimal::ZERO,
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
            r.pending.retain(|o| o.side == Side::Sell);
            let orders = r.decide(i, day);
            r.queue(orders);
        }
    }
    r.run.trades = std::mem::take(&mut r.ledger.trades);
    r.run.interest = r.ledger.interest;
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
            let Some(raw) = source.fill_price_on(i, day) else {
                self.pending.push(order);
                continue;
            };
            let costs = &self.params.costs;
            match order.side {
                Side::Sell => self
                    .ledger
                    .sell_all(costs, order.index, raw, day, &order.reason),
                Side::Buy => {
                    self.ledger.buy(
                        costs,
                        order.funding,
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
}
