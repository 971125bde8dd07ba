//! `ducklens backtest`: load the bars, replay the strategies (or the sweep), save the runs,
//! print the comparison.

use std::collections::BTreeSet;
use std::sync::atomic::AtomicBool;

use chrono::{Duration, NaiveDate};
use color_eyre::eyre::Result;

use super::args::{BacktestArgs, StrategyArg, StrategyFlags};
use super::{user_error, Context};
use crate::domain::backtest::{
    run_strategies, run_sweep, BacktestError, Frequency, ParamOverrides, StrategyKind,
    StrategyParams, SweepGrid, Universe,
};
use crate::domain::symbol::Symbol;
use crate::market::portfolio_file::parse_decimal;
use crate::report;
use crate::store::{self, Store};

fn symbol_arg(field: &str, raw: &str) -> Result<Symbol> {
    Symbol::parse(raw).map_err(|e| user_error(format!("{field}: {e}")))
}

/// The symbols to trade: `--symbols`, else the watchlist plus the holdings.
pub(crate) fn universe_symbols(store: &Store, args: &BacktestArgs) -> Result<Vec<Symbol>> {
    let mut symbols = BTreeSet::new();
    for raw in &args.symbols {
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
pub(crate) fn range(
    ctx: &Context,
    store: &Store,
    args: &BacktestArgs,
    benchmark: &Symbol,
) -> Result<(NaiveDate, NaiveDate)> {
    let wanted = args.to.unwrap_or(ctx.today);
    let to = store::last_bar_on_or_before(store.conn(), benchmark, wanted)?.ok_or_else(|| {
        user_error(format!(
            "no {benchmark} prices on or before {wanted}: run `ducklens fetch {benchmark}`, import its prices, or choose another --benchmark"
        ))
    })?;
    let from = args.from.unwrap_or(to - Duration::days(365));
    if from >= to {
        return Err(user_error(format!(
            "--from {from} is not before the last day {to}: choose an earlier --from"
        )));
    }
    Ok((from, to))
}

/// The universe, and the symbols left out for having no prices on or before `to`.
pub(crate) fn load(
    store: &Store,
    benchmark: &Symbol,
    symbols: &[Symbol],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Universe, Vec<Symbol>)> {
    let benchmark_bars = store::bars(store.conn(), benchmark)?;
    let (loaded, left_out) = store::backtest_bars(store.conn(), symbols, to)?;
    let universe = Universe::new(benchmark.clone(), benchmark_bars, loaded, from, to)
        .map_err(|e| user_error(e.to_string()))?;
    Ok((universe, left_out))
}

pub(crate) fn presets(
    ctx: &Context,
    args: &BacktestArgs,
    overrides: &ParamOverrides,
) -> Vec<StrategyParams> {
    let rules = ctx.config.analysis_rules();
    let kinds: Vec<StrategyKind> = match args.strategy {
        StrategyArg::All => StrategyKind::ALL.to_vec(),
        StrategyArg::BuyHold => vec![StrategyKind::BuyHold],
        StrategyArg::Weekly => vec![StrategyKind::Weekly],
        StrategyArg::Monthly => vec![StrategyKind::Monthly],
        StrategyArg::MonthlyMargin => vec![StrategyKind::MonthlyMargin],
    };
    kinds
        .into_iter()
        .map(|k| overrides.apply(k, StrategyParams::preset(k, &ctx.config.backtest, &rules)))
        .collect()
}

/// The flags as checked overrides; a bad one is a user error naming the flag.
pub(crate) fn overrides(flags: &StrategyFlags) -> Result<ParamOverrides> {
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

pub fn run(ctx: &Context, args: BacktestArgs) -> Result<u8> {
    let overrides = overrides(&args.params)?;
    let rules = ctx.config.analysis_rules();
    let benchmark = symbol_arg(
        "--benchmark",
        args.benchmark
            .as_deref()
            .unwrap_or(&rules.general.benchmark),
    )?;
    let mut store = ctx.open_store()?;
    let symbols = universe_symbols(&store, &args)?;
    let (from, to) = range(ctx, &store, &args, &benchmark)?;
    let (universe, left_out) = load(&store, &benchmark, &symbols, from, to)?;
    for s in left_out {
        eprintln!("note: {s} has no prices on or before {to}; it is left out");
    }
    let params = presets(ctx, &args, &overrides);
    let cancel = AtomicBool::new(false);
    let backtest = &ctx.config.backtest;
    let failed = |e: BacktestError| user_error(e.to_string());
    if args.sweep {
        let base = params
            .last()
            .cloned()
            .unwrap_or_else(|| StrategyParams::preset(StrategyKind::Monthly, backtest, &rules));
        let grid = SweepGrid::default();
        let points = run_sweep(
            &universe,
            &base,
            &grid,
            &rules,
            backtest,
            &|_, _| {},
            &cancel,
        )
        .map_err(failed)?;
        if args.json {
            println!("{}", report::backtest::sweep_json(&universe, &points));
        } else {
            print!("{}", report::backtest::sweep_text(&universe, &points));
        }
        return Ok(0);
    }
    let report = run_strategies(&universe, &params, &rules, backtest, &|_, _| {}, &cancel)
        .map_err(failed)?;
    let ids = store.in_transaction(|tx| store::save_backtest_report(tx, &report))?;
    if args.json {
        println!("{}", report::backtest::json(&report));
    } else {
        print!("{}", report::backtest::text(&report));
        if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
            println!("\nSaved as backtest run(s) {first}–{last}.");
        }
    }
    Ok(0)
}
