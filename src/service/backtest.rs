//! Preparing a backtest from the command line's flags or the app's form: the universe
//! (`--symbols`, else the watchlist and holdings), the range ending at the last benchmark
//! bar, and the strategies with the user's parameter changes checked and applied.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use clap::Args;
use color_eyre::eyre::Result;

use super::{user_error, Context};
use rayon::prelude::*;

use crate::domain::backtest::Prepared as PreparedSymbol;
use crate::domain::backtest::PreparedBuilder;
use crate::domain::backtest::{
    decision_slots, Frequency, ParamOverrides, StrategyKind, StrategyParams, Universe,
};
use crate::domain::symbol::Symbol;
use crate::market::portfolio_file::parse_decimal;
use crate::store::Store;

/// What to backtest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BacktestPlan {
    /// `None`: all four strategies.
    pub strategy: Option<StrategyKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Empty: the watchlist plus the holdings.
    pub symbols: Vec<String>,
    /// `None`: the config's benchmark.
    pub benchmark: Option<String>,
    /// The user's changes to the strategies' parameters, parsed.
    pub params: ParamOverrides,
}

/// Everything a run needs, read in one go so the store is free while it computes.
pub struct Prepared {
    pub universe: Universe,
    pub params: Vec<StrategyParams>,
    /// Symbols with no prices on or before the last day.
    pub left_out: Vec<Symbol>,
}

/// Reads and checks everything `plan` names, for its strategies or (`sweep`) for the sweep's
/// grid; each problem is a user error saying what to do.
pub fn prepare(ctx: &Context, store: &Store, plan: &BacktestPlan, sweep: bool) -> Result<Prepared> {
    let overrides = &plan.params;
    overrides
        .validate()
        .map_err(|e| user_error(format!("--{e}")))?;
    let rules = ctx.config.analysis_rules();
    let benchmark = symbol_arg(
        "--benchmark",
        plan.benchmark
            .as_deref()
            .unwrap_or(&rules.general.benchmark),
    )?;
    let symbols = universe_symbols(store, plan)?;
    let (from, to) = range(ctx, store, plan, &benchmark)?;
    let params = presets(ctx, plan, overrides);
    let frequencies: Vec<Frequency> = params.iter().map(|p| p.frequency).collect();
    let decides = (!sweep).then_some(frequencies.as_slice());
    let (universe, left_out) = load(store, &benchmark, &symbols, from, to, decides)?;
    Ok(Prepared {
        params,
        universe,
        left_out,
    })
}

/// The sweep's base: the last chosen strategy (monthly when none), whose settings every grid
/// point shares but for frequency, entry threshold and margin.
pub fn sweep_base(ctx: &Context, params: &[StrategyParams]) -> StrategyParams {
    params.last().cloned().unwrap_or_else(|| {
        let rules = ctx.config.analysis_rules();
        StrategyParams::preset(StrategyKind::Monthly, &ctx.config.backtest, &rules)
    })
}

/// Changes to the strategies' parameters; each left out keeps the config's value. Also the
/// command line's flags (flattened into `ducklens backtest`).
#[derive(Debug, Clone, Default, PartialEq, Args)]
pub struct StrategyFlags {
    /// Initial capital [default: config backtest.initial_capital]
    #[arg(long, allow_hyphen_values = true)]
    pub capital: Option<String>,
    /// Rebalance every N days (7, 14, 30, 60), or `week` / `month` [default: the strategy's own; buy-hold never]
    #[arg(long, value_name = "DAYS|week|month")]
    pub frequency: Option<String>,
    /// Minimum strength of an opportunity to buy, 0-100 [default: screens.opportunity_min_strength]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub entry_strength: Option<f64>,
    /// Sell a holding weaker than this, 0-100 [default: screens.morning_strength]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub exit_strength: Option<f64>,
    /// Scale the allocation bands, e.g. 0.5 for half-size positions [default: 1]
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub sizing_multiplier: Option<f64>,
    /// Most positions held at once [default: backtest.max_positions]
    #[arg(long, value_name = "N")]
    pub max_positions: Option<usize>,
    /// Margin used at most, in percent of the portfolio value [default: margin.max_used_pct]
    #[arg(long, value_name = "PCT", allow_negative_numbers = true)]
    pub margin_limit: Option<f64>,
    /// Commission per trade in dollars [default: backtest.commission_per_trade]
    #[arg(long, value_name = "DOLLARS", allow_hyphen_values = true)]
    pub commission: Option<String>,
    /// Commission in basis points of the traded value [default: backtest.commission_bps]
    #[arg(long, value_name = "BPS", allow_negative_numbers = true)]
    pub commission_bps: Option<f64>,
    /// Slippage in basis points against each fill [default: backtest.slippage_bps]
    #[arg(long, value_name = "BPS", allow_negative_numbers = true)]
    pub slippage_bps: Option<f64>,
}

fn symbol_arg(field: &str, raw: &str) -> Result<Symbol> {
    Symbol::parse(raw).map_err(|e| user_error(format!("{field}: {e}")))
}

/// The symbols to trade: `--symbols`, else the watchlist plus the holdings.
fn universe_symbols(store: &Store, plan: &BacktestPlan) -> Result<Vec<Symbol>> {
    let mut symbols = BTreeSet::new();
    for raw in &plan.symbols {
        symbols.insert(symbol_arg("--symbols", raw)?);
    }
    if symbols.is_empty() {
        symbols.extend(store.watchlist()?.into_iter().map(|w| w.symbol));
        symbols.extend(store.holdings()?.into_iter().map(|h| h.symbol));
    }
    if symbols.is_empty() {
        return Err(user_error(
            "nothing to trade: add symbols with `ducklens watch add SYMBOL` or pass --symbols",
        ));
    }
    Ok(symbols.into_iter().collect())
}

/// The range: `--to` (default today) moved back to the last benchmark bar, and `--from`
/// (default 365 days earlier).
fn range(
    ctx: &Context,
    store: &Store,
    plan: &BacktestPlan,
    benchmark: &Symbol,
) -> Result<(NaiveDate, NaiveDate)> {
    let wanted = plan.to.unwrap_or(ctx.today);
    let to = store.last_bar_on_or_before(benchmark, wanted)?.ok_or_else(|| {
        user_error(format!(
            "no {benchmark} prices on or before {wanted}: run `ducklens fetch {benchmark}`, import its prices, or choose another --benchmark"
        ))
    })?;
    let from = plan.from.unwrap_or(to - Duration::days(365));
    if from >= to {
        return Err(user_error(format!(
            "--from {from} is not before the last day {to}: choose an earlier --from"
        )));
    }
    Ok((from, to))
}

/// The universe, and the symbols left out for having no prices on or before `to`. The prices
/// of the benchmark and every symbol are read by two threads (`store::backtest_scan`), each
/// for half the table's rows, adjusting every bar into its symbol's builder as it arrives, so
/// no raw bar is kept; then each symbol's two parts are joined, put in date order and given
/// their indicators, on every core.
fn load(
    store: &Store,
    benchmark: &Symbol,
    symbols: &[Symbol],
    from: NaiveDate,
    to: NaiveDate,
    decides: Option<&[Frequency]>,
) -> Result<(Universe, Vec<Symbol>)> {
    load_capped(store, benchmark, symbols, (from, to), decides, SCAN_MEMORY)
}

/// `load` with DuckDB's memory capped at `cap` during the scan.
fn load_capped(
    store: &Store,
    benchmark: &Symbol,
    symbols: &[Symbol],
    (from, to): (NaiveDate, NaiveDate),
    decides: Option<&[Frequency]>,
    cap: &str,
) -> Result<(Universe, Vec<Symbol>)> {
    let mut all = vec![benchmark.clone()];
    all.extend(symbols.iter().filter(|s| *s != benchmark).cloned());
    let t0 = std::time::Instant::now();
    let splits = store.backtest_row_splits(READERS)?;
    let counts = store.backtest_bar_counts(&all, to, &splits)?;
    tracing::debug!(elapsed = ?t0.elapsed(), "backtest: bar counts read");
    let read = Read {
        all: &all,
        counts: &counts,
        splits: &splits,
        to,
    };
    // The capped pool was measured to need 4–8 MB; should a machine need more, the scan is
    // made again with DuckDB's default rather than failing the backtest.
    let builders = match scan(store, &read, Some(cap)) {
        Err(e) if format!("{e:?}").contains("Out of Memory") => {
            tracing::warn!(error = %e, cap, "backtest scan out of memory; scanning again without the cap");
            scan(store, &read, None)?
        }
        other => other?,
    };
    tracing::debug!(elapsed = ?t0.elapsed(), "backtest: prices read and adjusted");
    let mut builders = builders.into_iter();
    let bench = builders
        .next()
        .unwrap_or_else(|| PreparedBuilder::new(benchmark.clone(), to))
        .benchmark();
    let days = Universe::trading_days_of(benchmark, bench.dates(), from, to)
        .map_err(|e| user_error(e.to_string()))?;
    // The indicators are kept on the days the strategies can decide on (`decision_slots`).
    let slots = Arc::new(decision_slots(&days, decides));
    let bench = bench.finish(&days, &slots);
    let (found, missing): (Vec<PreparedBuilder>, Vec<PreparedBuilder>) =
        builders.partition(|b| !b.dates().is_empty());
    let left_out = missing.iter().map(|b| b.symbol().clone()).collect();
    let prepared: Vec<PreparedSymbol> = found
        .into_par_iter()
        .map(|b| b.finish(&days, &slots))
        .collect();
    tracing::debug!(elapsed = ?t0.elapsed(), "backtest: symbols ordered, indicators computed");
    Ok((Universe::assemble(days, bench, prepared), left_out))
}

/// DuckDB's memory limit during the scan: four times the 8 MB measured enough (4 MB was
/// refused as out of memory) for 500 symbols × 25 years.
const SCAN_MEMORY: &str = "32MB";

/// What [`scan`] reads: `all` up to `to`, in the stretches of rows of `splits`, whose bar
/// counts are `counts[w][k]`.
struct Read<'a> {
    all: &'a [Symbol],
    counts: &'a [Vec<usize>],
    splits: &'a [i64],
    to: NaiveDate,
}

/// One scan into the builders (see `load`), with DuckDB's memory limited to `memory`: one
/// builder per symbol and reader, then each symbol's joined in the readers' order.
fn scan(store: &Store, read: &Read, memory: Option<&str>) -> Result<Vec<PreparedBuilder>> {
    let parts = store.backtest_scan(
        (read.all, read.to),
        memory,
        read.splits,
        |w| builders(w, read),
        |builders, batch| {
            batch.for_each(|at, bar| match builders.get_mut(at) {
                Some(b) => {
                    b.push_raw(bar);
                    Ok(())
                }
                None => Err(crate::store::StoreError::Invalid(format!(
                    "backtest read: symbol {at} was not asked for"
                ))),
            })
        },
    )?;
    let mut parts = parts.into_iter();
    let mut joined = parts.next().unwrap_or_default();
    for part in parts {
        joined
            .par_iter_mut()
            .zip(part.into_par_iter())
            .for_each(|(b, later)| b.append(later));
    }
    crate::malloc::release_freed();
    Ok(joined)
}

/// Threads reading and adjusting the prices, each for its stretch of the table's rows.
const READERS: usize = 2;

/// Reader `w`'s builders, one per symbol of `all`, each reserved for the symbol's bars in the
/// reader's stretch. (The first reader's reserved for all of them saved no time and held
/// a third more memory while the second's were still there: 249 → 274 MiB at the peak.)
fn builders(w: usize, read: &Read) -> Vec<PreparedBuilder> {
    let counts = read.counts.get(w);
    (0..read.all.len())
        .map(|k| {
            let mut b = PreparedBuilder::new(read.all[k].clone(), read.to);
            b.reserve(counts.and_then(|c| c.get(k)).copied().unwrap_or(0));
            b
        })
        .collect()
}

/// The chosen strategies (all four when none is named) with the overrides written in.
fn presets(ctx: &Context, plan: &BacktestPlan, overrides: &ParamOverrides) -> Vec<StrategyParams> {
    let rules = ctx.config.analysis_rules();
    let kinds: Vec<StrategyKind> = match plan.strategy {
        None => StrategyKind::ALL.to_vec(),
        Some(kind) => vec![kind],
    };
    kinds
        .into_iter()
        .map(|k| overrides.apply(k, StrategyParams::preset(k, &ctx.config.backtest, &rules)))
        .collect()
}

/// The flags as checked overrides; a bad one is a user error naming the flag.
pub fn overrides(flags: &StrategyFlags) -> Result<ParamOverrides> {
    let money = |flag: &str, raw: &Option<String>| {
        raw.as_deref()
            .map(|r| parse_decimal(r).map_err(|e| user_error(format!("--{flag}: {e}"))))
            .transpose()
    };
    let frequency = flags
        .frequency
        .as_deref()
        .map(|f| {
            f.parse::<Frequency>()
                .map_err(|e| user_error(format!("--frequency: {e}")))
        })
        .transpose()?;
    let o = ParamOverrides {
        frequency,
        entry_strength: flags.entry_strength,
        exit_strength: flags.exit_strength,
        sizing_multiplier: flags.sizing_multiplier,
        max_positions: flags.max_positions,
        margin_limit_pct: flags.margin_limit,
        initial_capital: money("capital", &flags.capital)?,
        commission_per_trade: money("commission", &flags.commission)?,
        commission_bps: flags.commission_bps,
        slippage_bps: flags.slippage_bps,
    };
    o.validate().map_err(|e| user_error(format!("--{e}")))?;
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bar::Bar;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    fn bar(day: NaiveDate, close: Decimal, adj: Option<Decimal>) -> Bar {
        Bar {
            date: day,
            open: Some(close + dec!(0.5)),
            high: Some(close + dec!(1)),
            low: Some(close - dec!(1)),
            close,
            adj_close: adj,
            volume: Some(1_000),
        }
    }

    fn sym(s: &str) -> Symbol {
        Symbol::parse(s).unwrap()
    }

    /// Older bars imported after newer ones are stored after them, and a symbol's rows lie in
    /// both readers' halves of the table; the one scan still gives each symbol its bars in date
    /// order, adjusted as `Prepared::new` adjusts sorted bars, and names the symbol without
    /// prices. DuckDB's memory limit and threads are put back after.
    #[test]
    fn one_scan_prepares_every_symbol_as_from_its_sorted_bars() {
        let mut store = Store::open_in_memory().unwrap();
        let day = |d: i64| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(d);
        let spy: Vec<Bar> = (0..40)
            .map(|d| bar(day(d), dec!(400) + Decimal::from(d), None))
            .collect();
        // A 2:1 split after day 19: adjusted closes are half the raw ones before it.
        let aaa: Vec<Bar> = (0..40)
            .map(|d| {
                let close = dec!(50.123456) + Decimal::from(d);
                bar(
                    day(d),
                    close,
                    Some(if d < 20 { close / dec!(2) } else { close }),
                )
            })
            .collect();
        let limit = |store: &Store| -> String {
            store
                .sql_for_tests()
                .query_row(
                    "SELECT current_setting('memory_limit') || ' ' || current_setting('threads')",
                    [],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let before = limit(&store);
        store
            .in_transaction(|tx| {
                crate::store::upsert_bars(tx, &sym("AAA"), &aaa[20..], "test")?;
                crate::store::upsert_bars(tx, &sym("SPY"), &spy, "test")?;
                crate::store::upsert_bars(tx, &sym("AAA"), &aaa[..20], "test")?;
                Ok(())
            })
            .unwrap();
        // Rows 0–19 AAA's days 20–39, 20–59 SPY's, 60–79 AAA's days 0–19: the first half (to
        // row 40) holds 20 of each, and so does the second.
        let splits = store.backtest_row_splits(READERS).unwrap();
        assert_eq!(splits, vec![40]);
        let all = [sym("SPY"), sym("AAA"), sym("BBB")];
        let counts = store.backtest_bar_counts(&all, day(39), &splits).unwrap();
        assert_eq!(counts, vec![vec![20, 20, 0], vec![20, 20, 0]]);
        let (universe, left_out) = load(
            &store,
            &sym("SPY"),
            &[sym("AAA"), sym("BBB")],
            day(10),
            day(39),
            None,
        )
        .unwrap();
        assert_eq!(left_out, vec![sym("BBB")]);
        assert_eq!(universe.days.len(), 30);
        let expected = PreparedSymbol::new(sym("AAA"), aaa, day(39), &universe.days);
        let got = &universe.symbols[0];
        assert_eq!(got.symbol, sym("AAA"));
        assert_eq!(got.dates, expected.dates);
        assert_eq!(got.closes, expected.closes);
        for k in 0..got.len() {
            assert_eq!(
                format!("{:?}", got.bar(k)),
                format!("{:?}", expected.bar(k))
            );
        }
        // Day 0, before the split: 50.623456 / 2 = 25.311728 → 25.3117 (open), close 25.061728.
        assert_eq!(got.bar(0).open.unwrap().to_string(), "25.3117");
        assert_eq!(got.close(0), dec!(25.061728));
        assert_eq!(limit(&store), before);
    }

    /// A cap too small for the scan (DuckDB refuses it as out of memory) does not fail the
    /// backtest: the scan is made again without it, with the same result.
    #[test]
    fn a_scan_out_of_memory_is_made_again_without_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cap.duckdb")).unwrap();
        let day = |d: i64| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(d);
        let bars = |base: Decimal| -> Vec<Bar> {
            (0..300)
                .map(|d| bar(day(d), base + Decimal::from(d), None))
                .collect()
        };
        store
            .in_transaction(|tx| {
                crate::store::upsert_bars(tx, &sym("SPY"), &bars(dec!(400)), "test")?;
                crate::store::upsert_bars(tx, &sym("AAA"), &bars(dec!(50.5)), "test")?;
                Ok(())
            })
            .unwrap();
        let symbols = [sym("SPY"), sym("AAA")];
        let tiny = store.backtest_scan(
            (&symbols, day(299)),
            Some("16KB"),
            &[150],
            |_| (),
            |_, _| Ok(()),
        );
        let refused = format!("{:?}", tiny.expect_err("16 KB is too little for a scan"));
        assert!(refused.contains("Out of Memory"), "{refused}");
        let range = (day(0), day(299));
        let (capped, _) =
            load_capped(&store, &sym("SPY"), &[sym("AAA")], range, None, "16KB").unwrap();
        let (plain, _) = load(&store, &sym("SPY"), &[sym("AAA")], day(0), day(299), None).unwrap();
        assert_eq!(capped.days, plain.days);
        assert_eq!(capped.symbols[0].closes, plain.symbols[0].closes);
        assert_eq!(capped.symbols[0].len(), 300);
    }

    /// The monthly strategy's universe keeps the indicators of its decision days only (the
    /// first day and each month's first): those are the very values of a universe that keeps
    /// every day's, and a day that keeps none gets the same values computed again.
    #[test]
    fn indicators_kept_for_the_decision_days_are_those_of_every_day() {
        let mut store = Store::open_in_memory().unwrap();
        let day = |d: i64| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(d);
        let wavy = |base: Decimal, step: i64| -> Vec<Bar> {
            (0..300)
                .map(|d| bar(day(d), base + Decimal::from((d * step) % 13), None))
                .collect()
        };
        store
            .in_transaction(|tx| {
                crate::store::upsert_bars(tx, &sym("SPY"), &wavy(dec!(400.25), 5), "test")?;
                crate::store::upsert_bars(tx, &sym("AAA"), &wavy(dec!(50.5), 7), "test")?;
                Ok(())
            })
            .unwrap();
        let load_for = |decides: Option<&[Frequency]>| {
            load(
                &store,
                &sym("SPY"),
                &[sym("AAA")],
                day(0),
                day(299),
                decides,
            )
            .unwrap()
            .0
        };
        let every = load_for(None);
        let monthly = load_for(Some(&[Frequency::CalendarMonth]));
        // 1 January 2026 … 27 October 2026: the first day and 1 February … 1 October.
        let kept: Vec<usize> = (0..300)
            .filter(|&i| monthly.symbols[0].keeps_indicators_on(i))
            .collect();
        assert_eq!(kept, [0, 31, 59, 90, 120, 151, 181, 212, 243, 273]);
        assert!((0..300).all(|i| every.benchmark.keeps_indicators_on(i)));
        for i in 0..300 {
            for (a, b) in [
                (&every.benchmark, &monthly.benchmark),
                (&every.symbols[0], &monthly.symbols[0]),
            ] {
                let (a, b) = (a.indicators_on(i), b.indicators_on(i));
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "day {i}");
            }
        }
        // Warmed up (SMA 50, MACD, RSI) from the 50th bar on, kept or not.
        let row = monthly.symbols[0].indicators_on(299);
        assert!(row.sma_50.is_some() && row.macd_hist.is_some() && row.rsi_14.is_some());
        assert!(monthly.benchmark.indicators_on(299).sma_200.is_some());
        assert_eq!(monthly.symbols[0].indicators_on(299).sma_200, None);
    }
}
