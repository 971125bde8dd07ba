//! The Account tab's ledger view, driven by keys: open it with `v`, record a deposit and a
//! trade through their forms against the real worker and database, a form with a wrong
//! field names it and writes nothing, a split seen in the stored prices is confirmed with
//! `y`, and `D` deletes a transaction after asking. Snapshots of the view and of each form
//! (empty, invalid, valid) at 80×24 and 120×40.

use std::path::{Path, PathBuf};

mod common;
mod tui_support;
use common::running::Running;
use tui_support::{screen, snap};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ducklens::config::Config;
use ducklens::domain::bar::Bar;
use ducklens::domain::ledger::{Kind, Transaction};
use ducklens::domain::symbol::Symbol;
use ducklens::service::ops::{self, Op};
use ducklens::service::Context;
use ducklens::store::{append_bars, Store};
use ducklens::tui::app::{App, Msg, Tab};
use ducklens::tui::data;
use ducklens::tui::worker::Event;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn sym(s: &str) -> Symbol {
    Symbol::parse(s).unwrap()
}

fn context(path: &Path) -> Context {
    Context {
        db_path: path.to_path_buf(),
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today: today(),
    }
}

fn bar(date: &str, close: Decimal, adj: Decimal) -> Bar {
    Bar {
        date: day(date),
        open: Some(close),
        high: Some(close),
        low: Some(close),
        close,
        adj_close: Some(adj),
        volume: Some(1000),
    }
}

/// AAA closes 100, 101, then 50.75 after a 2:1 split (adjusted 50, 50.5, 50.75): the raw
/// close halves while the adjusted one does not, so a 2:1 split on 2026-03-04 is proposed
/// for whoever held AAA on 03-03.
fn store_split_prices(store: &mut Store) {
    store
        .in_transaction(|tx| {
            append_bars(
                tx,
                &sym("AAA"),
                &[
                    bar("2026-03-02", dec!(100), dec!(50)),
                    bar("2026-03-03", dec!(101), dec!(50.5)),
                    bar("2026-03-04", dec!(50.75), dec!(50.75)),
                ],
                "test",
            )
        })
        .unwrap();
}

fn record(ctx: &Context, store: &mut Store, t: Transaction) {
    ops::apply(ctx, store, Op::RecordTransaction(t)).unwrap();
}

/// A small ledger: 10,000 deposited, 10 AAA bought at 100 (fee 1) before its 2:1 split
/// (not recorded: it is proposed), 4 XYZ bought and 1 sold, a dividend and a withdrawal.
fn ledger_database(dir: &Path) -> Context {
    let ctx = context(&dir.join("ledger.duckdb"));
    let mut store = Store::open(&ctx.db_path).unwrap();
    store_split_prices(&mut store);
    let d = day("2026-03-02");
    record(
        &ctx,
        &mut store,
        Transaction::money(d, Kind::Deposit, dec!(10000)),
    );
    record(
        &ctx,
        &mut store,
        Transaction::buy(d, sym("AAA"), dec!(10), dec!(100), dec!(1)),
    );
    record(
        &ctx,
        &mut store,
        Transaction::buy(day("2026-06-01"), sym("XYZ"), dec!(4), dec!(120), dec!(0))
            .with_notes(Some("starter position".into())),
    );
    record(
        &ctx,
        &mut store,
        Transaction::sell(day("2026-07-01"), sym("XYZ"), dec!(1), dec!(130), dec!(1)),
    );
    record(
        &ctx,
        &mut store,
        Transaction::dividend(day("2026-08-14"), sym("XYZ"), dec!(1.50)),
    );
    record(
        &ctx,
        &mut store,
        Transaction::money(day("2026-09-01"), Kind::Withdrawal, dec!(500)),
    );
    ctx
}

/// The app on `ctx`'s database as the worker loads it, under a fixed path for snapshots.
fn loaded_app(ctx: &Context) -> App {
    let mut store = Store::open(&ctx.db_path).unwrap();
    let dashboard = data::load_dashboard(ctx, &mut store).unwrap();
    let mut app = App::new(PathBuf::from("ledger.duckdb"), false, today());
    app.update(Msg::Worker(Event::Loaded(Box::new(dashboard))));
    app
}

fn key(app: &mut App, code: KeyCode) -> usize {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
        .len()
}

fn press(app: &mut App, keys: &str) -> usize {
    keys.chars().map(|c| key(app, KeyCode::Char(c))).sum()
}

/// Account, then `v` twice: past the balances and the performance to the ledger.
const LEDGER: &str = "1vv";

#[test]
fn the_ledger_view_lists_transactions_newest_first_and_the_proposals() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = ledger_database(dir.path());
    let mut app = loaded_app(&ctx);
    press(&mut app, LEDGER);
    assert_eq!((app.tab, app.account.focus), (Tab::Account, 2));
    let wide = screen(&app, 120, 40);
    // Cash: 10,000 − (10 × 100 + 1) − 4 × 120 + (130 − 1) + 1.50 − 500
    //     = 10,000 − 1,001 − 480 + 129 + 1.50 − 500 = 8,149.50; AAA and XYZ held.
    assert!(
        wide.contains("Ledger, newest first · cash $8,149.50 · 2 positions"),
        "{wide}"
    );
    // Newest first: the withdrawal above the dividend above the sale.
    let at = |s: &str| {
        wide.find(s)
            .unwrap_or_else(|| panic!("{s} missing:\n{wide}"))
    };
    assert!(at("WITHDRAWAL") < at("DIVIDEND") && at("DIVIDEND") < at("SELL"));
    assert!(wide.contains("starter position"));
    // The split the prices show, with the 10 shares held on its eve.
    assert!(
        wide.contains("SPLIT 2:1") && wide.contains("2026-03-04"),
        "{wide}"
    );
    snap("tui_ledger_120x40", &app, 120, 40);
    snap("tui_ledger_80x24", &app, 80, 24);
    // `/` filters on the cells: "xyz" keeps the XYZ buy, sale and dividend.
    press(&mut app, "/xyz");
    key(&mut app, KeyCode::Enter);
    let filtered = screen(&app, 80, 24);
    assert!(filtered.contains("/xyz 3 of 6"), "{filtered}");
    key(&mut app, KeyCode::Esc);
    // `>` sorts by the first column (date) ascending: the deposit comes first.
    press(&mut app, ">");
    let sorted = screen(&app, 120, 40);
    assert!(sorted.find("DEPOSIT").unwrap() < sorted.find("WITHDRAWAL").unwrap());
    press(&mut app, "s");
    // Enter opens the selected (newest: the withdrawal after `s`) transaction in full.
    key(&mut app, KeyCode::Enter);
    let detail = screen(&app, 80, 24);
    assert!(
        detail.contains("Transaction 6") && detail.contains("WITHDRAWAL"),
        "{detail}"
    );
    key(&mut app, KeyCode::Esc);
    // v: the proposals get the focus.
    press(&mut app, "v");
    assert_eq!(app.account.focus, 3);
    snap("tui_ledger_proposals_80x24", &app, 80, 24);
    // Enter on a proposal: every field of it.
    key(&mut app, KeyCode::Enter);
    let detail = screen(&app, 120, 40);
    assert!(
        detail.contains("Proposal 1: SPLIT AAA 2:1 on 2026-03-04 (10 held)"),
        "{detail}"
    );
    assert!(detail.contains("proposed.ratio.to"), "{detail}");
    key(&mut app, KeyCode::Esc);
    // v once more: back to the balances, where y and D say where they work.
    press(&mut app, "v");
    assert_eq!(app.account.focus, 0);
    assert_eq!(press(&mut app, "y"), 0);
    let said = app.status.message.clone().unwrap_or_default();
    assert!(
        said.starts_with("y records the selected proposal"),
        "{said}"
    );
}

/// The ledger forms as a person fills them: (name, key, invalid edits, valid edits), each
/// edit (field, text) typed after Tab-ing to the field and clearing it.
type Edits = &'static [(usize, &'static str)];
const FORMS: &[(&str, &str, Edits, Edits)] = &[
    (
        "trade",
        "b",
        &[(1, "XYZ"), (2, "-5"), (3, "abc"), (5, "-1")],
        &[(1, "XYZ"), (2, "10"), (3, "123.45"), (5, "1")],
    ),
    (
        "cash",
        "$",
        &[(0, "gift"), (1, "0")],
        &[(0, "withdraw"), (1, "250")],
    ),
    (
        "dividend",
        "i",
        &[(0, "XYZ"), (1, "1,50"), (2, "2026-11-21")],
        &[(0, "XYZ"), (1, "2.10")],
    ),
    (
        "split",
        "%",
        &[(0, "AAA"), (1, "2:2")],
        &[(0, "AAA"), (1, "3:2"), (2, "2026-11-02")],
    ),
];

fn edit(app: &mut App, edits: Edits) {
    for (field, text) in edits {
        for _ in 0..20 {
            if app.form.as_ref().unwrap().focus == *field {
                break;
            }
            key(app, KeyCode::Tab);
        }
        for _ in 0..30 {
            key(app, KeyCode::Backspace);
        }
        press(app, text);
    }
}

#[test]
fn every_ledger_form_empty_invalid_and_valid() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = ledger_database(dir.path());
    for (name, open, invalid, valid) in FORMS {
        for (size, (w, h)) in [("", (120, 40)), ("_80x24", (80, 24))] {
            let mut app = loaded_app(&ctx);
            press(&mut app, LEDGER);
            press(&mut app, open);
            assert!(app.form.is_some(), "{name} did not open");
            snap(&format!("form_ledger_{name}_empty{size}"), &app, w, h);
            edit(&mut app, invalid);
            assert!(!app.form.as_ref().unwrap().is_valid(), "{name} invalid");
            snap(&format!("form_ledger_{name}_invalid{size}"), &app, w, h);
            assert_eq!(key(&mut app, KeyCode::Enter), 0, "{name} sent a job");
            let mut app = loaded_app(&ctx);
            press(&mut app, LEDGER);
            press(&mut app, open);
            edit(&mut app, valid);
            assert!(app.form.as_ref().unwrap().is_valid(), "{name} valid");
            snap(&format!("form_ledger_{name}_valid{size}"), &app, w, h);
            assert_eq!(key(&mut app, KeyCode::Enter), 1, "{name} did not submit");
        }
    }
    // Each wrong field is named beside it.
    let mut app = loaded_app(&ctx);
    press(&mut app, LEDGER);
    press(&mut app, "b");
    edit(&mut app, FORMS[0].2);
    let errors = app.form.as_ref().unwrap().evaluate().errors;
    assert_eq!(errors[2].as_deref(), Some("must be above 0, got -5"));
    assert_eq!(errors[3].as_deref(), Some("\"abc\" is not a number"));
    assert_eq!(errors[5].as_deref(), Some("must be 0 or more, got -1"));
    assert_eq!(errors[1], None);
    // The delete confirmation of the selected (newest) transaction.
    for (size, (w, h)) in [("", (120, 40)), ("_80x24", (80, 24))] {
        let mut app = loaded_app(&ctx);
        press(&mut app, LEDGER);
        press(&mut app, "D");
        snap(&format!("form_ledger_delete_empty{size}"), &app, w, h);
    }
}

fn transactions(path: &Path) -> Vec<Transaction> {
    Store::open(path).unwrap().transactions().unwrap()
}

fn holding(path: &Path, symbol: &str) -> Option<(Decimal, Decimal)> {
    Store::open(path)
        .unwrap()
        .holdings()
        .unwrap()
        .into_iter()
        .find(|h| h.symbol.as_str() == symbol)
        .map(|h| (h.quantity, h.avg_cost))
}

fn ledger_cash(run: &Running) -> Option<Decimal> {
    run.app.data.as_ref().and_then(|d| d.ledger.cash)
}

/// Tabs to `field` of the open form and types `text` after clearing it.
fn fill(run: &mut Running, field: usize, text: &str) {
    while run.app.form.as_ref().unwrap().focus != field {
        run.key(KeyCode::Tab);
    }
    for _ in 0..30 {
        run.key(KeyCode::Backspace);
    }
    run.press(text);
}

async fn save(run: &mut Running) {
    run.key(KeyCode::Enter);
    run.settle("the form to close", |app| app.form.is_none())
        .await;
    assert_eq!(run.app.status.error, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deposit_and_a_trade_typed_in_the_forms_reach_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&dir.path().join("new.duckdb"));
    Store::open(&ctx.db_path).unwrap();
    let path = ctx.db_path.clone();
    let mut run = Running::start(ctx, false).await;
    run.press(LEDGER);
    assert!(screen(&run.app, 80, 24).contains("No transactions yet"));

    // $: deposit is prefilled; the amount, then Enter.
    run.press("$");
    fill(&mut run, 1, "10000");
    save(&mut run).await;
    assert_eq!(ledger_cash(&run), Some(dec!(10000)));

    // b: buy is prefilled; symbol, quantity, price, the date stays today, fee 1.
    run.press("b");
    fill(&mut run, 1, "xyz");
    fill(&mut run, 2, "10");
    fill(&mut run, 3, "123.45");
    fill(&mut run, 5, "1");
    let preview = screen(&run.app, 80, 24);
    // 10 × 123.45 = 1,234.50, + the fee 1 → 1,235.50 out of cash
    assert!(
        preview.contains("Cash -1,235.50: 10 × 123.45 + fee 1.00"),
        "{preview}"
    );
    save(&mut run).await;
    let message = run.app.status.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("Transaction 2 recorded: BUY 10 XYZ @ 123.45"),
        "{message}"
    );

    let stored = transactions(&path);
    assert_eq!(stored.len(), 2);
    let buy = stored.iter().find(|t| t.kind == Kind::Buy).unwrap();
    assert_eq!(buy.date, today());
    assert_eq!(buy.symbol, Some(sym("XYZ")));
    assert_eq!(
        (buy.quantity, buy.price),
        (Some(dec!(10)), Some(dec!(123.45)))
    );
    // amount = −(1,234.50 + 1) = −1,235.50; fees 1
    assert_eq!((buy.amount, buy.fees), (dec!(-1235.50), dec!(1)));
    // Cash 10,000 − 1,234.50 − 1 = 8,764.50
    assert_eq!(ledger_cash(&run), Some(dec!(8764.50)));
    // The position: 10 shares costing 1,235.50 with the fee → 123.55 a share.
    assert_eq!(holding(&path, "XYZ"), Some((dec!(10), dec!(123.55))));
    let shown = screen(&run.app, 80, 24);
    assert!(shown.contains("cash $8,764.50 · 1 position"), "{shown}");
    assert!(
        shown.find("BUY").unwrap() < shown.find("DEPOSIT").unwrap(),
        "{shown}"
    );

    // An invalid field is named in the form, Enter sends nothing, nothing is written.
    run.press("b");
    fill(&mut run, 1, "XYZ");
    fill(&mut run, 2, "ten");
    fill(&mut run, 3, "120");
    run.key(KeyCode::Enter);
    let form = screen(&run.app, 80, 24);
    assert!(form.contains("✗ \"ten\" is not a number"), "{form}");
    assert!(form.contains("fix the fields marked ✗ first"), "{form}");
    assert!(run.app.form.as_ref().unwrap().saving.is_none());
    run.key(KeyCode::Esc);
    run.press("y"); // discard what was typed
    assert!(run.app.form.is_none());
    assert_eq!(transactions(&path).len(), 2);

    // A sale of more than is held: the worker refuses, the form stays with the reason.
    run.press("b");
    fill(&mut run, 0, "sell");
    fill(&mut run, 1, "XYZ");
    fill(&mut run, 2, "11");
    fill(&mut run, 3, "130");
    run.key(KeyCode::Enter);
    run.settle("the refusal", |app| {
        app.form.as_ref().is_some_and(|f| f.error.is_some())
    })
    .await;
    let error = run.app.form.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("quantity"), "{error}");
    assert_eq!(transactions(&path).len(), 2);
    run.key(KeyCode::Esc);
    run.press("y");

    // D on the newest row (the BUY) asks first; Esc keeps it, Enter deletes it.
    run.press("D");
    let ask = screen(&run.app, 80, 24);
    assert!(
        ask.contains("Delete transaction 2 (BUY 10 XYZ @ 123.45"),
        "{ask}"
    );
    run.key(KeyCode::Esc);
    assert!(run.app.form.is_none());
    assert_eq!(transactions(&path).len(), 2);
    run.press("D");
    save(&mut run).await;
    assert_eq!(transactions(&path).len(), 1);
    assert_eq!(holding(&path, "XYZ"), None);
    // Back to the deposit alone: cash 10,000.
    assert_eq!(ledger_cash(&run), Some(dec!(10000)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_split_seen_in_the_stored_prices_is_confirmed_with_y() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&dir.path().join("split.duckdb"));
    let path = ctx.db_path.clone();
    let mut store = Store::open(&path).unwrap();
    store_split_prices(&mut store);
    record(
        &ctx,
        &mut store,
        Transaction::buy(day("2026-03-02"), sym("AAA"), dec!(10), dec!(100), dec!(0)),
    );
    drop(store);
    let mut run = Running::start(ctx, false).await;
    // To the proposals: Account, v three times.
    run.press("1vvv");
    let before = screen(&run.app, 80, 24);
    assert!(before.contains("SPLIT 2:1"), "{before}");
    let pending = &run.app.data.as_ref().unwrap().ledger.pending;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].number, 1);

    run.press("y");
    run.settle("the proposal recorded", |app| {
        app.status
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("Proposal 1 recorded"))
    })
    .await;
    let d = run.app.data.as_ref().unwrap();
    assert!(d.ledger.pending.is_empty());
    let newest = &d.ledger.transactions[0];
    assert_eq!(newest.kind, Kind::Split);
    assert_eq!(newest.date, day("2026-03-04"));
    // 10 × 2 = 20 shares; the cost 10 × 100 = 1,000 stays → 50 a share.
    assert_eq!(holding(&path, "AAA"), Some((dec!(20), dec!(50))));
    let after = screen(&run.app, 80, 24);
    assert!(after.contains("No pending split or dividend"), "{after}");
    // On the ledger's list (v from the proposals goes to the balances; v v back).
    run.press("vvv");
    let ledger = screen(&run.app, 120, 40);
    assert!(
        ledger.contains("SPLIT") && ledger.contains("2:1"),
        "{ledger}"
    );
    assert!(ledger.contains("proposal"), "the source column: {ledger}");
}
