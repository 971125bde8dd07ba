//! A new database's checklist (issue 17): which of the four first steps — portfolio,
//! watchlist, prices, balances — the database has done, computed by the worker with the
//! rest of the dashboard, and the rule for showing it.
//!
//! The rule: the checklist shows while any step the morning check needs is undone —
//! holdings (the portfolio), the benchmark's prices (the analysis is dated by them) and
//! balances (the cash: a recorded balance, or a deposit, withdrawal or opening cash in the
//! ledger — a portfolio import's positions alone say nothing of the cash). The
//! watchlist is listed and counted but optional: an investor may hold and watch nothing
//! else, and the checklist must not stay forever for that.

use chrono::NaiveDate;
use color_eyre::eyre::Result;

use crate::domain::symbol::Symbol;
use crate::service::import::ImportKind;
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Portfolio,
    Watchlist,
    Prices,
    Balances,
}

impl Step {
    pub const ALL: [Step; 4] = [
        Step::Portfolio,
        Step::Watchlist,
        Step::Prices,
        Step::Balances,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Step::Portfolio => "Portfolio",
            Step::Watchlist => "Watchlist",
            Step::Prices => "Prices",
            Step::Balances => "Balances",
        }
    }

    /// The file kind the import form imports this step from; balances are typed (`a`).
    pub fn import_kind(self) -> Option<ImportKind> {
        match self {
            Step::Portfolio => Some(ImportKind::Portfolio),
            Step::Watchlist => Some(ImportKind::Watchlist),
            Step::Prices => Some(ImportKind::Prices),
            Step::Balances => None,
        }
    }
}

/// What the database holds of each step: counts, so the panel says what a done step did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FirstRun {
    pub holdings: usize,
    pub watchlist: usize,
    /// Symbols with stored daily bars, and the newest bar's date.
    pub price_symbols: usize,
    pub newest_price: Option<NaiveDate>,
    /// The benchmark (`general.benchmark`, SPY by default) and whether it has bars on or
    /// before today: without them there is no analysis.
    pub benchmark: String,
    pub benchmark_priced: bool,
    pub latest_balance: Option<NaiveDate>,
    /// The ledger's deposits, withdrawals and opening cash.
    pub cash_movements: usize,
}

/// What the dashboard has already loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub holdings: usize,
    pub latest_balance: Option<NaiveDate>,
    /// The ledger's deposits, withdrawals and opening cash.
    pub cash_movements: usize,
}

impl FirstRun {
    /// The counts the checklist needs: three small queries; the holdings, balances and
    /// transactions come from the dashboard's own loads (`counts`).
    pub fn load(
        store: &Store,
        benchmark: &str,
        today: NaiveDate,
        counts: Counts,
    ) -> Result<FirstRun> {
        let (price_symbols, newest_price) = store.price_coverage()?;
        // A benchmark the config names wrongly has no bars: the analysis says why.
        let benchmark_priced = match Symbol::parse(benchmark) {
            Ok(symbol) => store.last_bar_on_or_before(&symbol, today)?.is_some(),
            Err(_) => false,
        };
        Ok(FirstRun {
            holdings: counts.holdings,
            watchlist: store.watchlist()?.len(),
            price_symbols,
            newest_price,
            benchmark: benchmark.to_string(),
            benchmark_priced,
            latest_balance: counts.latest_balance,
            cash_movements: counts.cash_movements,
        })
    }

    pub fn done(&self, step: Step) -> bool {
        match step {
            Step::Portfolio => self.holdings > 0,
            Step::Watchlist => self.watchlist > 0,
            Step::Prices => self.benchmark_priced,
            Step::Balances => self.latest_balance.is_some() || self.cash_movements > 0,
        }
    }

    pub fn done_count(&self) -> usize {
        Step::ALL.iter().filter(|s| self.done(**s)).count()
    }

    /// The rule of the module's header: shown until portfolio, prices and balances are done.
    pub fn shown(&self) -> bool {
        [Step::Portfolio, Step::Prices, Step::Balances]
            .iter()
            .any(|s| !self.done(*s))
    }

    /// The kind `I` prefills while the checklist shows: the first undone step's file;
    /// otherwise prices, the import that repeats.
    pub fn import_kind(&self) -> ImportKind {
        Step::ALL
            .iter()
            .filter(|s| self.shown() && !self.done(**s))
            .find_map(|s| s.import_kind())
            .unwrap_or(ImportKind::Prices)
    }

    /// What a done step holds, after its ✓: "2 holdings", "as of 2026-11-20".
    pub fn done_text(&self, step: Step) -> String {
        match step {
            Step::Portfolio => plural(self.holdings, "holding"),
            Step::Watchlist => plural(self.watchlist, "symbol"),
            Step::Prices => format!(
                "{}{}",
                plural(self.price_symbols, "symbol"),
                self.newest_price
                    .map(|d| format!(", newest {d}"))
                    .unwrap_or_default()
            ),
            Step::Balances => match self.latest_balance {
                Some(d) => format!("as of {d}"),
                None => format!("the ledger's cash ({} recorded)", self.cash_movements),
            },
        }
    }

    /// How to do an undone step from inside the app: the keys, never a command line.
    pub fn todo_text(&self, step: Step) -> String {
        match step {
            Step::Portfolio => "I imports a CSV or the old tool's JSON · a on Holdings (3)".into(),
            Step::Watchlist => "I imports a list of symbols · a on Market (2) adds one".into(),
            Step::Prices if self.price_symbols > 0 => format!(
                "none for {} yet ({} stored) · f fetches · I imports",
                self.benchmark,
                plural(self.price_symbols, "symbol")
            ),
            Step::Prices => format!(
                "f fetches {} and your symbols (a key, below) · I imports CSVs",
                self.benchmark
            ),
            Step::Balances => "a records cash and margin (here, on Account)".into(),
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_checklist_stays_until_holdings_prices_and_balances_are_done() {
        let mut f = FirstRun {
            benchmark: "SPY".into(),
            ..FirstRun::default()
        };
        assert!(f.shown());
        assert_eq!(f.import_kind(), ImportKind::Portfolio);
        f.holdings = 2;
        f.price_symbols = 1;
        // Prices of another symbol: the benchmark still has none, the step is not done.
        assert!(!f.done(Step::Prices));
        assert_eq!(f.import_kind(), ImportKind::Watchlist);
        f.benchmark_priced = true;
        f.newest_price = Some(day("2026-11-19"));
        assert_eq!(f.done_text(Step::Prices), "1 symbol, newest 2026-11-19");
        assert_eq!(f.done_count(), 2);
        // A ledger deposit gives the cash: the watchlist alone is left, and it is optional.
        f.cash_movements = 1;
        assert!(!f.shown());
        assert_eq!(f.done_count(), 3);
        assert_eq!(
            f.done_text(Step::Balances),
            "the ledger's cash (1 recorded)"
        );
        assert_eq!(f.import_kind(), ImportKind::Prices);
    }
}
