//! The app's worker against a real demo database: what each command writes, that a refusal
//! changes nothing and says why, that every answer names its job, and the app driven by keys
//! against the real worker.

use std::time::Duration;

mod common;
use common::running::Running;

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ducklens::config::Config;
use ducklens::domain::backtest::StrategyKind;
use ducklens::domain::execution::Fill;
use ducklens::domain::symbol::Symbol;
use ducklens::service::ops::{Op, SwapRef};
use ducklens::service::swap::SwapFills;
use ducklens::service::Context;
use ducklens::store::Store;
use ducklens::tui::app::{App, Msg};
use ducklens::tui::backtest_job::{BacktestOutcome, BacktestRequest};
use ducklens::tui::worker::{self, Command, Event, Job, JobId};
use rust_decimal_macros::dec;
use tokio::sync::mpsc::UnboundedReceiver;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn context(dir: &std::path::Path) -> Context {
    let path = dir.join("demo.duckdb");
    ducklens::cli::build_demo(&path, today()).unwrap();
    Context {
        db_path: path,
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today: today(),
    }
}

async fn next(events: &mut UnboundedReceiver<Event>) -> Event {
    tokio::time::timeout(Duration::from_secs(30), events.recv())
        .await
        .expect("an event within 30 s")
        .expect("the worker is alive")
}

fn sym(s: &str) -> Symbol {
    Symbol::parse(s).unwrap()
}

/// The app's execution of the swap its dashboard `d` shows for this pair, at these fills.
fn execute(d: &ducklens::tui::data::Dashboard, sell: &Fill, buy: &Fill) -> Command {
    Command::Apply(Op::ExecuteSwap {
        swap: SwapRef::Recommended {
            as_of: d.analysis.as_ref().unwrap().as_of,
            sell: sell.symbol.clone(),
            buy: buy.symbol.clone(),
        },
        fills: SwapFills {
            sell_quantity: Some(sell.quantity),
            sell_price: Some(sell.price),
            buy_quantity: Some(buy.quantity),
            buy_price: Some(buy.price),
            date: Some(today()),
        },
    })
}

fn job(id: u64, command: Command) -> Job {
    Job {
        id: JobId(id),
        command,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executing_a_swap_changes_holdings_cash_and_the_recommendation_together() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path());
    let path = ctx.db_path.clone();
    let store = Store::open(&path).unwrap();
    let (commands, mut events) = worker::spawn(&tokio::runtime::Handle::current(), store, ctx);

    commands.send(job(1, Command::Refresh)).unwrap();
    let Event::Loaded(d) = next(&mut events).await else {
        panic!("expected Loaded")
    };
    let swap = d.analysis.as_ref().unwrap().swaps[0].clone();
    assert_eq!(
        (swap.reduce.symbol.as_str(), swap.increase.symbol.as_str()),
        ("DRFT", "ZNTH")
    );
    let cash_before = d.balances.last().unwrap().cash;

    // Selling more than is held is refused, and nothing changes.
    let too_many = Fill {
        symbol: sym("DRFT"),
        quantity: dec!(500),
        price: dec!(34.84),
    };
    let buy = Fill {
        symbol: sym("ZNTH"),
        quantity: dec!(7),
        price: dec!(716.90),
    };
    commands.send(job(2, execute(&d, &too_many, &buy))).unwrap();
    let Event::Failed {
        job: failed,
        message,
    } = next(&mut events).await
    else {
        panic!("expected Failed")
    };
    assert_eq!(failed, JobId(2));
    assert_eq!(message, "cannot sell 500 DRFT: only 68 held");

    let sell = Fill {
        symbol: sym("DRFT"),
        quantity: dec!(68),
        price: dec!(34.84),
    };
    commands.send(job(3, execute(&d, &sell, &buy))).unwrap();
    let Event::Loaded(after) = next(&mut events).await else {
        panic!("expected Loaded first")
    };
    let Event::Saved {
        job: saved,
        message,
    } = next(&mut events).await
    else {
        panic!("expected Saved")
    };
    assert_eq!(saved, JobId(3), "the answer names its job");
    assert!(
        message.contains("sold 68 DRFT @ 34.84, bought 7 ZNTH @ 716.90"),
        "{message}"
    );
    assert!(
        message.contains("2 journal leg(s) marked taken"),
        "{message}"
    );
    // 68 × 34.84 = 2369.12 in, 7 × 716.90 = 5018.30 out.
    assert_eq!(
        after.balances.last().unwrap().cash,
        cash_before + dec!(2369.12) - dec!(5018.30)
    );
    assert!(after.holdings.iter().all(|h| h.symbol.as_str() != "DRFT"));
    let znth = after
        .holdings
        .iter()
        .find(|h| h.symbol.as_str() == "ZNTH")
        .unwrap();
    assert_eq!((znth.quantity, znth.avg_cost), (dec!(7), dec!(716.90)));
    drop(commands);
    drop(events);

    // The worker lets go of the database once its command channel closes.
    let mut db = Store::open(&path);
    for _ in 0..100 {
        if db.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        db = Store::open(&path);
    }
    let db = db.unwrap();
    assert!(db.is_executed(today(), &sym("DRFT"), &sym("ZNTH")).unwrap());
    // The app's execution reached the ledger (issue 15): its SELL and BUY, linked.
    let swapped: Vec<String> = db
        .transactions()
        .unwrap()
        .iter()
        .filter(|t| t.source == ducklens::domain::ledger::Source::Swap)
        .map(|t| format!("{} {}", t.describe(), t.amount))
        .collect();
    assert_eq!(
        swapped,
        vec![
            "SELL 68 DRFT @ 34.84 2369.12",
            "BUY 7 ZNTH @ 716.9 -5018.30"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_name_the_problem_and_keep_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path());
    let store = Store::open(&ctx.db_path).unwrap();
    let (commands, mut events) = worker::spawn(&tokio::runtime::Handle::current(), store, ctx);
    commands
        .send(job(
            1,
            Command::Apply(Op::TakeSignal {
                id: 9999,
                date: Some(today()),
                price: dec!(1),
                quantity: dec!(1),
            }),
        ))
        .unwrap();
    let Event::Failed {
        job: JobId(1),
        message: m,
    } = next(&mut events).await
    else {
        panic!()
    };
    assert_eq!(m, "signal 9999 not found");
    // Signal 38 is taken already.
    commands
        .send(job(
            2,
            Command::Apply(Op::TakeSignal {
                id: 38,
                date: Some(today()),
                price: dec!(1),
                quantity: dec!(1),
            }),
        ))
        .unwrap();
    let Event::Failed {
        job: JobId(2),
        message: m,
    } = next(&mut events).await
    else {
        panic!()
    };
    assert_eq!(m, "signal 38 is already taken");
    // An exit before the entry.
    commands
        .send(job(
            3,
            Command::Apply(Op::CloseSignal {
                id: 38,
                date: NaiveDate::from_ymd_opt(2020, 1, 1),
                price: dec!(100),
                outcome: None,
                confirmed: false,
            }),
        ))
        .unwrap();
    let Event::Failed {
        job: JobId(3),
        message: m,
    } = next(&mut events).await
    else {
        panic!()
    };
    assert!(
        m.starts_with("exit date 2020-01-01 is before the entry date"),
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_a_holdings_symbol_renames_it_and_never_overwrites_another() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path());
    let path = ctx.db_path.clone();
    let before = Store::open(&path).unwrap().holdings().unwrap();
    let drft = before
        .iter()
        .find(|h| h.symbol.as_str() == "DRFT")
        .unwrap()
        .clone();
    let other = before
        .iter()
        .find(|h| h.symbol.as_str() != "DRFT")
        .unwrap()
        .clone();
    let store = Store::open(&path).unwrap();
    let (commands, mut events) = worker::spawn(&tokio::runtime::Handle::current(), store, ctx);
    // Renamed onto a symbol already held: refused, nothing changes.
    let onto_other = ducklens::domain::portfolio::Holding {
        symbol: other.symbol.clone(),
        ..drft.clone()
    };
    commands
        .send(job(
            1,
            Command::Apply(Op::SaveHolding {
                holding: onto_other,
                replaces: Some(sym("DRFT")),
            }),
        ))
        .unwrap();
    let Event::Failed { message, .. } = next(&mut events).await else {
        panic!("expected Failed")
    };
    assert!(message.contains("is already held"), "{message}");
    // Renamed to a new symbol: one row, under the new name, same quantity and cost.
    let renamed = ducklens::domain::portfolio::Holding {
        symbol: sym("DRFX"),
        ..drft.clone()
    };
    commands
        .send(job(
            2,
            Command::Apply(Op::SaveHolding {
                holding: renamed,
                replaces: Some(sym("DRFT")),
            }),
        ))
        .unwrap();
    let Event::Loaded(after) = next(&mut events).await else {
        panic!("expected Loaded")
    };
    let Event::Saved { message, .. } = next(&mut events).await else {
        panic!("expected Saved")
    };
    assert_eq!(message, "Holding DRFT renamed to DRFX");
    let symbols: Vec<&str> = after.holdings.iter().map(|h| h.symbol.as_str()).collect();
    assert!(
        !symbols.contains(&"DRFT") && symbols.contains(&"DRFX"),
        "{symbols:?}"
    );
    assert_eq!(after.holdings.len(), before.len());
    let drfx = after
        .holdings
        .iter()
        .find(|h| h.symbol.as_str() == "DRFX")
        .unwrap();
    assert_eq!(
        (drfx.quantity, drfx.avg_cost),
        (drft.quantity, drft.avg_cost)
    );
}

/// An event's name, for assertion messages (a backtest's Debug runs to pages).
fn kind(e: &Event) -> &'static str {
    match e {
        Event::Loaded(_) => "Loaded",
        Event::Chart(_) => "Chart",
        Event::Accepted { .. } => "Accepted",
        Event::Saved { .. } => "Saved",
        Event::Failed { .. } => "Failed",
        Event::Progress { .. } => "Progress",
        Event::Backtest { .. } => "Backtest",
        Event::Cancelled { .. } => "Cancelled",
        Event::Fetching { .. } => "Fetching",
        Event::Fetched { .. } => "Fetched",
    }
}

/// The next event that is not a step of a running backtest (its acceptance or progress).
async fn next_result(events: &mut UnboundedReceiver<Event>) -> Event {
    loop {
        match next(events).await {
            Event::Accepted { .. } | Event::Progress { .. } => continue,
            other => return other,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backtest_runs_beside_other_commands_and_can_be_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path());
    let store = Store::open(&ctx.db_path).unwrap();
    let (commands, mut events) = worker::spawn(&tokio::runtime::Handle::current(), store, ctx);
    let sweep = BacktestRequest {
        sweep: true,
        ..BacktestRequest::default()
    };
    commands
        .send(job(1, Command::RunBacktest(sweep.clone())))
        .unwrap();
    commands
        .send(job(2, Command::LoadChart(Symbol::parse("SPY").unwrap())))
        .unwrap();
    // A chart (milliseconds) does not wait for the 64-point sweep (hundreds of them).
    let first = next_result(&mut events).await;
    assert!(matches!(first, Event::Chart(_)), "{}", kind(&first));
    let second = next_result(&mut events).await;
    assert!(
        matches!(second, Event::Backtest { job: JobId(1), .. }),
        "{}",
        kind(&second)
    );

    // A cancel names the run it stops (job 1 is long done: nothing to stop there).
    commands.send(job(3, Command::RunBacktest(sweep))).unwrap();
    commands
        .send(job(4, Command::CancelBacktest(JobId(1))))
        .unwrap();
    commands
        .send(job(5, Command::CancelBacktest(JobId(3))))
        .unwrap();
    let outcome = next_result(&mut events).await;
    assert!(
        matches!(outcome, Event::Cancelled { job: JobId(3) }),
        "{}",
        kind(&outcome)
    );

    // A run answers Accepted, then Progress, then its result, each under its job.
    commands
        .send(job(6, Command::RunBacktest(BacktestRequest::default())))
        .unwrap();
    let accepted = next(&mut events).await;
    assert!(
        matches!(accepted, Event::Accepted { job: JobId(6) }),
        "{}",
        kind(&accepted)
    );
    let done = loop {
        match next(&mut events).await {
            Event::Progress { job, .. } => assert_eq!(job, JobId(6)),
            Event::Backtest { job, outcome } => {
                assert_eq!(job, JobId(6));
                break outcome;
            }
            other => panic!("{}", kind(&other)),
        }
    };
    let BacktestOutcome::Report { report, run_ids } = *done else {
        panic!()
    };
    assert_eq!(report.strategies.len(), 4);
    assert_eq!(run_ids.len(), 4, "each strategy is saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backtest_that_cannot_start_fails_without_being_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path());
    let store = Store::open(&ctx.db_path).unwrap();
    let (commands, mut events) = worker::spawn(&tokio::runtime::Handle::current(), store, ctx);
    let mut request = BacktestRequest::default();
    request.plan.to = NaiveDate::from_ymd_opt(2000, 1, 1);
    commands
        .send(job(7, Command::RunBacktest(request)))
        .unwrap();
    let answer = next(&mut events).await;
    let Event::Failed { job, message } = answer else {
        panic!("{}", kind(&answer))
    };
    assert_eq!(job, JobId(7));
    assert!(
        message.starts_with("no SPY prices on or before 2000-01-01"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_backtest_parameters_form_closes_and_its_run_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let mut run = Running::start(context(dir.path()), true).await;
    // The tab's first run, to the end.
    run.press("6");
    run.settle("the first run", |app| app.backtest.report.is_some())
        .await;
    // p, monthly only, Enter: the form waits for its run to start…
    run.press("p");
    for _ in 0..20 {
        run.key(KeyCode::Backspace);
    }
    run.press("monthly");
    run.key(KeyCode::Enter);
    assert!(run.app.form.as_ref().unwrap().saving.is_some());
    // …and closes once the worker accepted it; the tab follows the run to its result.
    run.settle("the form to close", |app| app.form.is_none())
        .await;
    run.settle("the run to finish", |app| app.backtest.running.is_none())
        .await;
    let message = run.app.status.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("Backtest done: 1 strategies"),
        "{message} / {:?}",
        run.app.status.error
    );
    assert_eq!(
        run.app.backtest.request.plan.strategy,
        Some(StrategyKind::Monthly),
        "the tab shows what it ran"
    );
    run.press("q");
    assert!(run.app.quit);
}

/// A journal with signals due for judging: the first load comes without judging them (so a
/// large journal never holds back the first frame), and the full load right behind it has
/// every verdict and the statistics.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_load_comes_before_the_journal_is_judged() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path());
    let store = Store::open(&ctx.db_path).unwrap();
    // The demo's two newest untaken signals are inside their horizon: they stay unjudged.
    let not_due_yet = 2;
    let waiting: i64 = store
        .sql_for_tests()
        .query_row(
            "SELECT count(*) FROM trading_signals WHERE NOT action_taken AND outcome IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(waiting as usize, not_due_yet);
    // As if the horizon of every untaken signal had just passed: no verdict stored yet.
    let due = store
        .sql_for_tests()
        .execute(
            "UPDATE trading_signals SET outcome = NULL, max_profit_potential = NULL
             WHERE NOT action_taken AND outcome IS NOT NULL",
            [],
        )
        .unwrap();
    assert!(due > 0, "the demo journal has judged untaken signals");
    let (commands, mut events) = worker::spawn(&tokio::runtime::Handle::current(), store, ctx);
    let mut app = App::new(dir.path().join("demo.duckdb"), true, today());
    for job in app.start() {
        commands.send(job).unwrap();
    }

    let Event::Loaded(first) = next(&mut events).await else {
        panic!("expected the first Loaded")
    };
    assert!(first.journal_pending);
    assert!(first.stats.is_none());
    let unjudged = |d: &ducklens::tui::data::Dashboard| {
        d.signals
            .iter()
            .filter(|s| !s.action_taken && s.outcome.is_none())
            .count()
    };
    assert_eq!(unjudged(&first), due + not_due_yet);
    app.update(Msg::Worker(Event::Loaded(first)));
    assert_eq!(app.status.busy.as_deref(), Some("judging the journal"));

    let Event::Loaded(full) = next(&mut events).await else {
        panic!("expected the full Loaded")
    };
    assert!(!full.journal_pending);
    assert!(full.stats.is_some());
    assert_eq!(unjudged(&full), not_due_yet);
    app.update(Msg::Worker(Event::Loaded(full)));
    assert_eq!(app.status.busy, None);
}
