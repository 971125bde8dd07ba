//! The app's worker against a real demo database: what each command writes, and that a
//! refusal changes nothing and says why.

use std::time::Duration;

use chrono::NaiveDate;
use ducklens::config::Config;
use ducklens::domain::execution::Fill;
use ducklens::domain::symbol::Symbol;
use ducklens::service::Context;
use ducklens::store::{self, Store};
use ducklens::tui::backtest_job::{BacktestOutcome, BacktestRequest};
use ducklens::tui::worker::{self, Command, Event};
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executing_a_swap_changes_holdings_cash_and_the_recommendation_together() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path());
    let path = ctx.db_path.clone();
    let store = Store::open(&path).unwrap();
    let (commands, mut events) = worker::spawn(&tokio::runtime::Handle::current(), store, ctx);

    commands.send(Command::Refresh).unwrap();
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
    commands
        .send(Command::ExecuteSwap {
            sell: too_many,
            buy: buy.clone(),
            date: today(),
        })
        .unwrap();
    let Event::Failed(message) = next(&mut events).await else {
        panic!("expected Failed")
    };
    assert_eq!(message, "cannot sell 500 DRFT: only 68 held");

    let sell = Fill {
        symbol: sym("DRFT"),
        quantity: dec!(68),
        price: dec!(34.84),
    };
    commands
        .send(Command::ExecuteSwap {
            sell,
            buy,
            date: today(),
        })
        .unwrap();
    let Event::Loaded(after) = next(&mut events).await else {
        panic!("expected Loaded first")
    };
    let Event::Saved(message) = next(&mut events).await else {
        panic!("expected Saved")
    };
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
    assert!(store::is_executed(db.conn(), today(), &sym("DRFT"), &sym("ZNTH")).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_name_the_problem_and_keep_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path());
    let store = Store::open(&ctx.db_path).unwrap();
    let (commands, mut events) = worker::spawn(&tokio::runtime::Handle::current(), store, ctx);
    commands
        .send(Command::TakeSignal {
            id: 9999,
            date: today(),
            price: dec!(1),
            quantity: dec!(1),
        })
        .unwrap();
    let Event::Failed(m) = next(&mut events).await else {
        panic!()
    };
    assert_eq!(m, "signal 9999 not found");
    // Signal 38 is taken already.
    commands
        .send(Command::TakeSignal {
            id: 38,
            date: today(),
            price: dec!(1),
            quantity: dec!(1),
        })
        .unwrap();
    let Event::Failed(m) = next(&mut events).await else {
        panic!()
    };
    assert_eq!(m, "signal 38 is already taken");
    // An exit before the entry.
    commands
        .send(Command::CloseSignal {
            id: 38,
            date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            price: dec!(100),
            outcome: None,
        })
        .unwrap();
    let Event::Failed(m) = next(&mut events).await else {
        panic!()
    };
    assert!(
        m.starts_with("exit date 2020-01-01 is before the entry date"),
        "{m}"
    );
}

/// An event's name, for assertion messages (a backtest's Debug runs to pages).
fn kind(e: &Event) -> &'static str {
    match e {
        Event::Loaded(_) => "Loaded",
        Event::Chart(_) => "Chart",
        Event::Saved(_) => "Saved",
        Event::Failed(_) => "Failed",
        Event::Progress { .. } => "Progress",
        Event::Backtest(_) => "Backtest",
        Event::Cancelled => "Cancelled",
        Event::BacktestFailed(_) => "BacktestFailed",
    }
}

/// The next event that is not a progress report.
async fn next_result(events: &mut UnboundedReceiver<Event>) -> Event {
    loop {
        match next(events).await {
            Event::Progress { .. } => continue,
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
    commands.send(Command::RunBacktest(sweep.clone())).unwrap();
    commands
        .send(Command::LoadChart(Symbol::parse("SPY").unwrap()))
        .unwrap();
    // A chart (milliseconds) does not wait for the 64-point sweep (hundreds of them).
    let first = next_result(&mut events).await;
    assert!(matches!(first, Event::Chart(_)), "{}", kind(&first));
    let second = next_result(&mut events).await;
    assert!(matches!(second, Event::Backtest(_)), "{}", kind(&second));

    commands.send(Command::RunBacktest(sweep)).unwrap();
    commands.send(Command::CancelBacktest).unwrap();
    let outcome = next_result(&mut events).await;
    assert!(matches!(outcome, Event::Cancelled), "{}", kind(&outcome));

    commands
        .send(Command::RunBacktest(BacktestRequest::default()))
        .unwrap();
    let Event::Backtest(done) = next_result(&mut events).await else {
        panic!()
    };
    let BacktestOutcome::Report { report, run_ids } = *done else {
        panic!()
    };
    assert_eq!(report.strategies.len(), 4);
    assert_eq!(run_ids.len(), 4, "each strategy is saved");
}
