//! A brand-new database's first day in the app (issue 17), like a person: the Account tab
//! opens on the "Getting started" checklist (0 of 4 done), `I` imports a portfolio, a
//! watchlist and prices written by the test, a bad price file keeps the form open naming its
//! file and line, and `a` records the balances, after which the checklist gives way to the
//! account. Against the real worker and database; snapshots at 80×24 and 120×40.

use std::path::{Path, PathBuf};

mod common;
mod tui_support;
use common::running::Running;
use tui_support::{screen, snap};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ducklens::config::Config;
use ducklens::service::Context;
use ducklens::store::Store;
use ducklens::tui::app::{App, Msg, Tab};
use ducklens::tui::data::{self, Dashboard};
use ducklens::tui::worker::Event;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn context(path: &Path) -> Context {
    Context {
        db_path: path.to_path_buf(),
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today: today(),
    }
}

/// The app showing `dashboard` under a fixed database name, for snapshots.
fn app_with(dashboard: Dashboard) -> App {
    let mut app = App::new(PathBuf::from("new.duckdb"), false, today());
    app.update(Msg::Worker(Event::Loaded(Box::new(dashboard))));
    app
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const PORTFOLIO: &str = "symbol,quantity,avg_cost,opened,notes
AAA,10,50.25,2026-01-05,core
BBB,4,120,2026-03-02,
";

const WATCHLIST: &str = "# names to watch
CCC
DDD
";

/// SPY's three sessions, the close of the 19th mistyped on line 3.
const SPY_BAD: &str = "date,open,high,low,close,volume
2026-11-17,600,605,598,602,1000000
2026-11-18,602,606,600,60x,1100000
2026-11-19,604,610,603,608,1200000
";

const SPY: &str = "date,open,high,low,close,volume
2026-11-17,600,605,598,602,1000000
2026-11-18,602,606,600,604,1100000
2026-11-19,604,610,603,608,1200000
";

const AAA: &str = "date,open,high,low,close,volume
2026-11-18,50,52,49,51,5000
2026-11-19,51,53,50,52.5,6000
";

#[test]
fn a_brand_new_database_opens_on_the_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&dir.path().join("new.duckdb"));
    let mut store = Store::open(&ctx.db_path).unwrap();
    let mut app = app_with(data::load_dashboard(&ctx, &mut store).unwrap());
    assert_eq!(app.tab, Tab::Account);
    let wide = screen(&app, 120, 40);
    assert!(wide.contains("Getting started · 0 of 4 done"), "{wide}");
    for step in [
        "· Portfolio  I imports a CSV or the old tool's JSON · a on Holdings (3)",
        "· Watchlist  I imports a list of symbols · a on Market (2) adds one",
        "· Prices     f fetches SPY and your symbols (a key, below) · I imports CSVs",
        "· Balances   a records cash and margin (here, on Account)",
    ] {
        assert!(wide.contains(step), "{step}:\n{wide}");
    }
    // The checklist says keys, not commands that cannot run while the app is open.
    assert!(!wide.contains("ducklens "), "{wide}");
    snap("tui_first_run_120x40", &app, 120, 40);
    snap("tui_first_run_80x24", &app, 80, 24);
    // I: the import form, its kind the first step's.
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('I'),
        KeyModifiers::NONE,
    )));
    let form = app.form.as_ref().expect("the import form");
    assert_eq!(form.value("Kind"), "portfolio");
    assert_eq!(form.value("Merge"), "no");
    snap("form_import_empty_80x24", &app, 80, 24);
}

/// Tabs to `field` of the open form and types `text` after clearing it.
fn fill(run: &mut Running, field: usize, text: &str) {
    while run.app.form.as_ref().unwrap().focus != field {
        run.key(KeyCode::Tab);
    }
    for _ in 0..200 {
        run.key(KeyCode::Backspace);
    }
    run.press(text);
}

async fn submit(run: &mut Running) -> String {
    run.key(KeyCode::Enter);
    run.settle("the form to close", |app| app.form.is_none())
        .await;
    assert_eq!(run.app.status.error, None);
    run.app.status.message.clone().unwrap_or_default()
}

fn first_run(run: &Running) -> &ducklens::tui::first_run::FirstRun {
    &run.app.data.as_ref().unwrap().first_run
}

fn holdings(run: &Running) -> Vec<(String, Decimal, Decimal)> {
    let d = run.app.data.as_ref().unwrap();
    d.holdings
        .iter()
        .map(|h| (h.symbol.to_string(), h.quantity, h.avg_cost))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checklist_steps_work_from_inside_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path();
    let ctx = context(&files.join("new.duckdb"));
    Store::open(&ctx.db_path).unwrap();
    let mut run = Running::start(ctx, false).await;
    assert_eq!(first_run(&run).done_count(), 0);

    // Step 1: I, the kind is portfolio already; the path, Enter.
    let portfolio = write(files, "portfolio.csv", PORTFOLIO);
    run.press("I");
    fill(&mut run, 1, &portfolio.display().to_string());
    let said = screen(&run.app, 80, 24);
    assert!(
        said.contains("Replaces every holding with the file's."),
        "{said}"
    );
    let message = submit(&mut run).await;
    assert_eq!(
        message,
        format!(
            "Imported 2 holding(s) from {} (replacing the previous holdings)",
            portfolio.display()
        )
    );
    assert_eq!(
        holdings(&run),
        [
            ("AAA".to_string(), dec!(10), dec!(50.25)),
            ("BBB".to_string(), dec!(4), dec!(120)),
        ]
    );
    let after = screen(&run.app, 120, 40);
    assert!(after.contains("Getting started · 1 of 4 done"), "{after}");
    assert!(after.contains("✓ Portfolio  2 holdings"), "{after}");

    // Step 2: I now offers the watchlist, the first step left.
    let watchlist = write(files, "watch.txt", WATCHLIST);
    run.press("I");
    assert_eq!(run.app.form.as_ref().unwrap().value("Kind"), "watchlist");
    fill(&mut run, 1, &watchlist.display().to_string());
    assert_eq!(submit(&mut run).await, "CCC, DDD added to the watchlist");
    assert!(screen(&run.app, 120, 40).contains("✓ Watchlist  2 symbols"));

    // Step 3, first try: a close of "60x" on line 3. The form stays open with the path typed,
    // the message names the file and the line, and nothing is stored.
    let spy_bad = write(files, "SPY.csv", SPY_BAD);
    run.press("I");
    assert_eq!(run.app.form.as_ref().unwrap().value("Kind"), "prices");
    fill(&mut run, 1, &spy_bad.display().to_string());
    run.key(KeyCode::Enter);
    run.settle("the refusal", |app| {
        app.form.as_ref().is_some_and(|f| f.error.is_some())
    })
    .await;
    let form = run.app.form.as_ref().unwrap();
    let refusal = form.error.clone().unwrap();
    assert!(
        refusal.starts_with(&format!("{}:3: ", spy_bad.display()))
            && refusal.contains("close")
            && refusal.ends_with("; nothing of it was written"),
        "{refusal}"
    );
    assert_eq!(form.value("Path"), spy_bad.display().to_string());
    assert_eq!(first_run(&run).price_symbols, 0);

    // Fixed, with AAA's file beside it: two paths, comma-separated.
    write(files, "SPY.csv", SPY);
    let aaa = write(files, "AAA.csv", AAA);
    fill(
        &mut run,
        1,
        &format!("{}, {}", spy_bad.display(), aaa.display()),
    );
    let message = submit(&mut run).await;
    assert_eq!(
        message,
        format!(
            "{}: 3 inserted, 0 updated, 0 unchanged, 0 skipped (SPY); \
             {}: 2 inserted, 0 updated, 0 unchanged, 0 skipped (AAA)",
            spy_bad.display(),
            aaa.display()
        )
    );
    let f = first_run(&run);
    assert_eq!(
        (f.price_symbols, f.newest_price),
        (2, NaiveDate::from_ymd_opt(2026, 11, 19))
    );
    // The analysis is dated by SPY's last bar.
    let d = run.app.data.as_ref().unwrap();
    assert_eq!(
        d.analysis.as_ref().map(|a| a.as_of),
        NaiveDate::from_ymd_opt(2026, 11, 19)
    );
    let three = screen(&run.app, 120, 40);
    assert!(three.contains("Getting started · 3 of 4 done"), "{three}");
    assert!(
        three.contains("✓ Prices     2 symbols, newest 2026-11-19"),
        "{three}"
    );
    // Without the temp paths of the status line and the database: a fixed screen.
    snap("tui_first_run_3_of_4_80x24", &app_with(d.clone()), 80, 24);

    // Step 4: a on Account, the cash, Enter: the checklist gives way to the account.
    run.press("a");
    fill(&mut run, 1, "5000");
    fill(&mut run, 2, "0");
    fill(&mut run, 3, "0");
    let message = submit(&mut run).await;
    assert_eq!(message, "Balances of 2026-11-20 saved");
    assert_eq!(first_run(&run).done_count(), 4);
    let done = screen(&run.app, 120, 40);
    assert!(!done.contains("Getting started"), "{done}");
    assert!(done.contains("Balances as of"), "{done}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ledger_import_gives_the_cash_and_a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path();
    let ctx = context(&files.join("new.duckdb"));
    Store::open(&ctx.db_path).unwrap();
    let mut run = Running::start(ctx, false).await;

    // A path that is not there: the worker says so, the form keeps it.
    let missing = files.join("nowhere.csv");
    run.press("I");
    fill(&mut run, 0, "transactions");
    fill(&mut run, 1, &missing.display().to_string());
    run.key(KeyCode::Enter);
    run.settle("the refusal", |app| {
        app.form.as_ref().is_some_and(|f| f.error.is_some())
    })
    .await;
    let refusal = run.app.form.as_ref().unwrap().error.clone().unwrap();
    assert!(
        refusal.starts_with(&format!("cannot read {}: ", missing.display())),
        "{refusal}"
    );

    let ledger = write(
        files,
        "ledger.csv",
        "date,kind,symbol,quantity,price,amount,fees,notes
2026-01-05,DEPOSIT,,,,10000,,
2026-01-06,BUY,AAA,10,50,,1,
",
    );
    fill(&mut run, 1, &ledger.display().to_string());
    let message = submit(&mut run).await;
    // Cash: 10,000 − 10 × 50 − 1 = 9,499.
    assert_eq!(
        message,
        format!(
            "Imported 2 transaction(s) from {}; cash 9499.00, 1 position(s)",
            ledger.display()
        )
    );
    let f = first_run(&run);
    // The ledger's buy is a holding, its deposit the cash: two steps done at once.
    assert_eq!((f.holdings, f.cash_movements, f.done_count()), (1, 1, 2));
    let text = screen(&run.app, 120, 40);
    assert!(
        text.contains("✓ Balances   the ledger's cash (1 recorded)"),
        "{text}"
    );
}
