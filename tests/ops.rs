//! Every change through `service::ops::apply` against a real DuckDB file: what each
//! operation writes, that each refusal names its field and writes nothing, and that the
//! command line and the app (driven by keys against the real worker) refuse with the same
//! words.

mod common;
use common::running::Running;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ducklens::config::Config;
use ducklens::domain::journal::{Outcome, SignalType};
use ducklens::domain::portfolio::{Holding, WatchItem};
use ducklens::domain::symbol::Symbol;
use ducklens::market::portfolio_file::PortfolioFile;
use ducklens::service::ops::{
    apply, Applied, BalanceInput, Change, HoldingEdit, Op, OpError, SignalDraft, SwapRef,
};
use ducklens::service::swap::SwapFills;
use ducklens::service::Context;
use ducklens::store::Store;
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

/// The demo database of 2026-11-20, built once; each test works on its own copy.
fn demo_file() -> &'static Path {
    static DEMO: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DEMO
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("demo.duckdb");
            ducklens::cli::build_demo(&path, today()).unwrap();
            (dir, path)
        })
        .1
}

struct Db {
    _dir: tempfile::TempDir,
    ctx: Context,
    store: Store,
}

fn demo() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.duckdb");
    std::fs::copy(demo_file(), &path).unwrap();
    let ctx = Context {
        db_path: path.clone(),
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today: today(),
    };
    let store = Store::open(&path).unwrap();
    Db {
        _dir: dir,
        ctx,
        store,
    }
}

impl Db {
    fn apply(&mut self, op: Op) -> Result<Applied, OpError> {
        apply(&self.ctx, &mut self.store, op)
    }

    /// Every table a change can touch, row by row, as text.
    fn tables(&self) -> Vec<String> {
        [
            "holdings",
            "watchlist",
            "account_snapshots",
            "trading_signals",
            "rebalancing_recommendations",
        ]
        .iter()
        .map(|t| {
            self.store
                .sql_for_tests()
                .query_row(
                    &format!(
                        "SELECT coalesce(string_agg(CAST(x AS VARCHAR), chr(10) \
                         ORDER BY CAST(x AS VARCHAR)), '') FROM {t} x"
                    ),
                    [],
                    |r| r.get(0),
                )
                .unwrap()
        })
        .collect()
    }

    /// Applies `op`, expects a refusal containing `expected`, and that nothing changed.
    fn refused(&mut self, op: Op, expected: &str) -> String {
        let before = self.tables();
        let err = self
            .apply(op.clone())
            .expect_err(&format!("{op:?} should be refused"));
        assert!(err.is_user(), "{op:?}: {err:?} should be the user's");
        assert_eq!(err.exit_code(), 1);
        let message = err.to_string();
        assert!(message.contains(expected), "{op:?}: {message}");
        assert_eq!(self.tables(), before, "{op:?} was refused but wrote");
        message
    }

    fn holding(&self, s: &str) -> Option<Holding> {
        self.store
            .holdings()
            .unwrap()
            .into_iter()
            .find(|h| h.symbol.as_str() == s)
    }
}

fn holding(s: &str, qty: Decimal, cost: Decimal, opened: Option<NaiveDate>) -> Holding {
    Holding::new(sym(s), qty, cost, opened, None).unwrap()
}

#[test]
fn balances_are_recorded_and_bad_ones_refused_by_name() {
    let mut db = demo();
    let latest = db.store.latest_balance().unwrap().unwrap();
    let done = db
        .apply(Op::RecordBalance(BalanceInput {
            cash: Some(dec!(1000.005)),
            ..BalanceInput::default()
        }))
        .unwrap();
    assert_eq!(done.summary, "Balances of 2026-11-20 saved");
    let b = db.store.latest_balance().unwrap().unwrap();
    // Banker's rounding to the cent; the margin figures left out are carried.
    assert_eq!(b.cash, dec!(1000.00));
    assert_eq!(
        (b.margin_available, b.margin_used),
        (latest.margin_available, latest.margin_used)
    );
    db.refused(
        Op::RecordBalance(BalanceInput {
            cash: Some(dec!(-5)),
            ..BalanceInput::default()
        }),
        "cash: cannot be negative, got -5",
    );
    db.refused(
        Op::RecordBalance(BalanceInput {
            as_of: Some(day("2026-11-21")),
            ..BalanceInput::default()
        }),
        "date: 2026-11-21 is in the future (today is 2026-11-20)",
    );
    db.refused(
        Op::RecordBalance(BalanceInput {
            margin_available: Some(dec!(100)),
            margin_used: Some(dec!(150)),
            ..BalanceInput::default()
        }),
        "margin_used: 150.00 is above the margin available (100.00)",
    );
    db.refused(
        Op::RecordBalance(BalanceInput {
            cash: Some(dec!(1e17)),
            ..BalanceInput::default()
        }),
        "too large to store, nothing was written",
    );
}

#[test]
fn holdings_are_saved_renamed_edited_and_removed_in_one_transaction_each() {
    let mut db = demo();
    let done = db
        .apply(Op::SaveHolding {
            holding: holding("AMD", dec!(5), dec!(101.5), Some(day("2026-01-02"))),
            replaces: None,
        })
        .unwrap();
    assert_eq!(done.summary, "Holding AMD saved: 5 @ 101.5");
    let drft = db.holding("DRFT").unwrap();
    let count = db.store.holdings().unwrap().len();
    let done = db
        .apply(Op::SaveHolding {
            holding: Holding {
                symbol: sym("DRFX"),
                ..drft.clone()
            },
            replaces: Some(sym("DRFT")),
        })
        .unwrap();
    assert_eq!(done.summary, "Holding DRFT renamed to DRFX");
    assert!(db.holding("DRFT").is_none());
    assert_eq!(db.holding("DRFX").unwrap().quantity, drft.quantity);
    assert_eq!(db.store.holdings().unwrap().len(), count);
    db.refused(
        Op::SaveHolding {
            holding: holding("AMD", dec!(1), dec!(1), None),
            replaces: Some(sym("DRFX")),
        },
        "AMD is already held: edit that holding instead",
    );
    db.refused(
        Op::SaveHolding {
            holding: holding("XYZ", dec!(1), dec!(1), Some(day("2099-01-02"))),
            replaces: None,
        },
        "opened: 2099-01-02 is in the future",
    );
    let done = db
        .apply(Op::EditHolding(HoldingEdit {
            symbol: sym("AMD"),
            quantity: Some(dec!(6)),
            avg_cost: None,
            opened: None,
            notes: None,
        }))
        .unwrap();
    assert_eq!(done.summary, "Holding AMD updated: 6 @ 101.5");
    assert_eq!(db.holding("AMD").unwrap().opened, Some(day("2026-01-02")));
    db.refused(
        Op::EditHolding(HoldingEdit {
            symbol: sym("ZZZ"),
            quantity: Some(dec!(1)),
            avg_cost: None,
            opened: None,
            notes: None,
        }),
        "ZZZ is not a holding",
    );
    db.refused(
        Op::EditHolding(HoldingEdit {
            symbol: sym("AMD"),
            quantity: Some(dec!(0)),
            avg_cost: None,
            opened: None,
            notes: None,
        }),
        "quantity must be positive",
    );
    assert_eq!(
        db.apply(Op::RemoveHolding(sym("AMD"))).unwrap().summary,
        "Holding AMD removed"
    );
    db.refused(Op::RemoveHolding(sym("AMD")), "AMD is not a holding");
}

#[test]
fn the_watchlist_changes_all_or_nothing() {
    let mut db = demo();
    let item = |s: &str, added: NaiveDate| WatchItem {
        symbol: sym(s),
        added,
        notes: None,
    };
    let done = db
        .apply(Op::AddWatch(vec![
            item("NVDA", today()),
            item("AMD", today()),
        ]))
        .unwrap();
    assert_eq!(done.summary, "NVDA, AMD added to the watchlist");
    db.refused(
        Op::AddWatch(vec![item("TSLA", day("2026-12-01"))]),
        "added: 2026-12-01 is in the future",
    );
    db.refused(Op::AddWatch(vec![]), "symbol: give at least one");
    // NVDA is watched, ZZZZ is not: neither is removed.
    db.refused(
        Op::RemoveWatch(vec![sym("NVDA"), sym("ZZZZ")]),
        "not on the watchlist: ZZZZ",
    );
    assert_eq!(
        db.apply(Op::RemoveWatch(vec![sym("NVDA"), sym("AMD")]))
            .unwrap()
            .change,
        Change::Unwatched(vec![sym("NVDA"), sym("AMD")])
    );
}

#[test]
fn a_portfolio_file_replaces_or_merges_and_dates_its_cash() {
    let mut db = demo();
    let file = PortfolioFile {
        holdings: vec![holding("AAPL", dec!(10), dec!(182.5), None)],
        cash: Some(dec!(1126.79)),
        cash_as_of: Some(day("2026-06-01")),
    };
    db.refused(
        Op::ImportPortfolio {
            file: PortfolioFile {
                cash_as_of: Some(day("2027-01-01")),
                ..file.clone()
            },
            name: "p.json".into(),
            merge: false,
        },
        "p.json: $.last_updated: 2027-01-01 is in the future",
    );
    let held = db.store.holdings().unwrap().len();
    let done = db
        .apply(Op::ImportPortfolio {
            file: file.clone(),
            name: "p.json".into(),
            merge: true,
        })
        .unwrap();
    assert_eq!(
        done.summary,
        "Imported 1 holding(s) from p.json (merged); cash 1126.79"
    );
    assert_eq!(db.store.holdings().unwrap().len(), held + 1);
    let cash_day = db
        .store
        .balance_on_or_before(day("2026-06-01"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (cash_day.as_of, cash_day.cash),
        (day("2026-06-01"), dec!(1126.79))
    );
    db.apply(Op::ImportPortfolio {
        file,
        name: "p.json".into(),
        merge: false,
    })
    .unwrap();
    assert_eq!(db.store.holdings().unwrap().len(), 1);
}

#[test]
fn a_signal_is_recorded_taken_noted_closed_and_deleted() {
    let mut db = demo();
    db.refused(
        Op::NewSignal(SignalDraft {
            strength: Some(120.0),
            ..SignalDraft::new(sym("ZNTH"), SignalType::Buy, "manual")
        }),
        "strength: must be 0-100, got 120",
    );
    db.refused(
        Op::NewSignal(SignalDraft {
            date: Some(day("2099-01-02")),
            ..SignalDraft::new(sym("ZNTH"), SignalType::Buy, "manual")
        }),
        "date: 2099-01-02 is in the future",
    );
    db.refused(
        Op::NewSignal(SignalDraft::new(sym("NOPRICES"), SignalType::Buy, "manual")),
        "no prices for NOPRICES",
    );
    db.refused(
        Op::NewSignal(SignalDraft {
            price: Some(dec!(99999999999999)),
            ..SignalDraft::new(sym("ZNTH"), SignalType::Buy, "manual")
        }),
        "too large to store, nothing was written",
    );
    let done = db
        .apply(Op::NewSignal(SignalDraft {
            price: Some(dec!(50)),
            ..SignalDraft::new(sym("ZNTH"), SignalType::Buy, "manual")
        }))
        .unwrap();
    let Change::Signal(s) = &done.change else {
        panic!("{done:?}")
    };
    let id = s.id.unwrap();
    assert!(
        done.summary
            .starts_with(&format!("Signal {id} recorded: BUY ZNTH at 50")),
        "{}",
        done.summary
    );
    let take = |date: &str, qty: Decimal| Op::TakeSignal {
        id,
        date: Some(day(date)),
        price: dec!(50),
        quantity: qty,
    };
    db.refused(take("2026-11-19", dec!(10)), "is before the signal");
    db.refused(take("2026-11-20", dec!(2.5)), "whole number of shares");
    db.refused(
        take("2026-11-20", dec!(3000000000)),
        "quantity 3000000000 is too large",
    );
    db.refused(
        Op::TakeSignal {
            id: 9999,
            date: None,
            price: dec!(1),
            quantity: dec!(1),
        },
        "signal 9999 not found",
    );
    assert_eq!(
        db.apply(take("2026-11-20", dec!(10))).unwrap().summary,
        format!("Signal {id}: taken, 10 ZNTH @ 50")
    );
    db.refused(take("2026-11-20", dec!(10)), "is already taken");
    let close = |outcome: Option<Outcome>, confirmed: bool| Op::CloseSignal {
        id,
        date: None,
        price: dec!(62),
        outcome,
        confirmed,
    };
    // (62 − 50) × 10 = +120: a LOSS contradicts it and needs confirming.
    let message = db.refused(
        close(Some(Outcome::Loss), false),
        "outcome LOSS contradicts the P&L +120.00",
    );
    assert_eq!(
        message,
        ducklens::service::ops::contradiction(Outcome::Loss, dec!(120.00))
    );
    db.refused(
        Op::CloseSignal {
            id,
            date: Some(day("2026-11-19")),
            price: dec!(62),
            outcome: None,
            confirmed: false,
        },
        "exit date 2026-11-19 is before the entry date 2026-11-20",
    );
    let done = db.apply(close(Some(Outcome::Loss), true)).unwrap();
    assert_eq!(
        done.summary,
        format!("Signal {id}: closed at 62, P&L +120.00 (LOSS) after 0 day(s)")
    );
    assert_eq!(
        db.apply(Op::NoteSignal {
            id,
            text: "kept the runner".into()
        })
        .unwrap()
        .summary,
        format!("Signal {id}: notes saved")
    );
    assert_eq!(
        db.store.signal(id).unwrap().unwrap().notes.as_deref(),
        Some("kept the runner")
    );
    db.refused(
        Op::DeleteSignal {
            id,
            confirmed: false,
        },
        "repeat with --yes to confirm",
    );
    db.apply(Op::DeleteSignal {
        id,
        confirmed: true,
    })
    .unwrap();
    assert!(db.store.signal(id).unwrap().is_none(), "hidden from view");
    db.refused(
        Op::NoteSignal {
            id: 9999,
            text: String::new(),
        },
        "signal 9999 not found",
    );
}

#[test]
fn swaps_are_recorded_once_and_executed_with_the_journal() {
    let mut db = demo();
    let done = db.apply(Op::RecordSwaps { as_of: None }).unwrap();
    let Change::SwapsRecorded(r) = done.change else {
        panic!()
    };
    assert!(r.recommendations > 0, "{}", done.summary);
    let again = db.apply(Op::RecordSwaps { as_of: None }).unwrap();
    assert_eq!(again.change, Change::SwapsRecorded(Default::default()));
    let id = db
        .store
        .stored_swaps(20)
        .unwrap()
        .into_iter()
        .find(|s| s.reduce.as_str() == "DRFT")
        .unwrap()
        .id;
    let fills = |sell_quantity: Decimal| SwapFills {
        sell_quantity: Some(sell_quantity),
        ..SwapFills::default()
    };
    db.refused(
        Op::ExecuteSwap {
            swap: SwapRef::Stored(id),
            fills: fills(dec!(500)),
        },
        "cannot sell 500 DRFT: only 68 held",
    );
    db.refused(
        Op::ExecuteSwap {
            swap: SwapRef::Stored(id),
            fills: SwapFills {
                date: Some(day("2026-11-21")),
                ..SwapFills::default()
            },
        },
        "date: 2026-11-21 is in the future",
    );
    db.refused(
        Op::ExecuteSwap {
            swap: SwapRef::Stored(9999),
            fills: SwapFills::default(),
        },
        "swap 9999 not found",
    );
    let done = db
        .apply(Op::ExecuteSwap {
            swap: SwapRef::Stored(id),
            fills: fills(dec!(68)),
        })
        .unwrap();
    assert!(
        done.summary.contains("2 journal leg(s) marked taken"),
        "{}",
        done.summary
    );
    assert!(db.holding("DRFT").is_none());
    db.refused(
        Op::ExecuteSwap {
            swap: SwapRef::Stored(id),
            fills: SwapFills::default(),
        },
        "is already executed",
    );
}

#[test]
fn a_recommended_swap_is_stored_and_executed_in_the_same_transaction() {
    let mut db = demo();
    let recommended = |qty: Decimal| Op::ExecuteSwap {
        swap: SwapRef::Recommended {
            as_of: today(),
            sell: sym("DRFT"),
            buy: sym("ZNTH"),
        },
        fills: SwapFills {
            sell_quantity: Some(qty),
            ..SwapFills::default()
        },
    };
    // Refused: the recommendation it would have stored is not stored either.
    db.refused(recommended(dec!(500)), "cannot sell 500 DRFT: only 68 held");
    db.apply(recommended(dec!(68))).unwrap();
    assert!(db
        .store
        .is_executed(today(), &sym("DRFT"), &sym("ZNTH"))
        .unwrap());
}

// ---- The same refusal from the command line and from the app ----

/// The command line's one-line error, without its `error: ` prefix.
fn cli_error(dir: &Path, args: &[&str]) -> String {
    let out = common::run(dir, args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?}: {}",
        common::stderr(&out)
    );
    let err = common::stderr(&out);
    err.trim()
        .strip_prefix("error: ")
        .unwrap_or(err.trim())
        .to_string()
}

impl Running {
    async fn open(path: &Path) -> Running {
        let ctx = Context {
            db_path: path.to_path_buf(),
            db_flag: None,
            config: Config::from_toml_str("", "defaults").unwrap(),
            today: today(),
        };
        Running::start(ctx, true).await
    }

    /// Tabs to field `index` of the open form and types `text` over it.
    fn retype(&mut self, index: usize, text: &str) {
        for _ in 0..20 {
            if self.app.form.as_ref().unwrap().focus == index {
                break;
            }
            self.key(KeyCode::Tab);
        }
        for _ in 0..40 {
            self.key(KeyCode::Backspace);
        }
        self.press(text);
    }

    /// Enter on the open form; its answer: closed (`None`) or the message it shows.
    async fn submit(&mut self, what: &str) -> Option<String> {
        self.key(KeyCode::Enter);
        if let Some(form) = self.app.form.as_ref().filter(|f| f.saving.is_none()) {
            // Not sent: the form says why (a field, or a confirmation to give).
            return Some(form.error.clone().unwrap_or_else(|| "not sent".into()));
        }
        self.settle(what, |app| {
            app.form.as_ref().is_none_or(|f| f.saving.is_none())
        })
        .await;
        self.app.form.as_ref().and_then(|f| f.error.clone())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_and_the_app_refuse_with_the_same_words() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let path = d.join("demo.duckdb");
    std::fs::copy(demo_file(), &path).unwrap();

    // Selling more than is held.
    let list = common::json(&common::run(
        d,
        &["swap", "record", "--as-of", "2026-11-20", "--json"],
    ));
    assert!(list["recommendations"].as_u64().unwrap() > 0, "{list}");
    let swaps = common::json(&common::run(d, &["swap", "list", "--json"]));
    let id = swaps
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["reduce"] == "DRFT")
        .unwrap()["id"]
        .to_string();
    let cli_sell = cli_error(d, &["swap", "execute", &id, "--sell-qty", "500"]);
    // A close whose outcome contradicts its P&L, without confirming.
    let fresh = common::json(&common::run(
        d,
        &["signals", "list", "--json", "--limit", "1000"],
    ));
    let taken = fresh
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["action_taken"] == true && s["exit_date"].is_null())
        .unwrap();
    let taken_id = taken["id"].to_string();
    let entry = common::decimal(&taken["actual_entry_price"]);
    let exit = (entry * dec!(1.5)).round_dp(2).to_string();
    let cli_close = cli_error(
        d,
        &[
            "signals",
            "close",
            &taken_id,
            "--price",
            &exit,
            "--outcome",
            "LOSS",
            "--date",
            "2026-11-20",
        ],
    );

    let mut app = Running::open(&path).await;
    // 4 t: the execution form of the first swap (DRFT → ZNTH); 500 shares.
    app.press("4t");
    app.retype(0, "500");
    let shown = app.submit("the swap's refusal").await;
    assert_eq!(shown.as_deref(), Some(cli_sell.as_str()));
    app.key(KeyCode::Esc);
    app.press("y");
    assert!(app.app.form.is_none());

    // 5, down to the taken signal, x: its exit at +50 % recorded as a LOSS.
    app.press("5");
    let data = app.app.data.clone().unwrap();
    let row = app
        .app
        .signals
        .visible(&data.signals)
        .iter()
        .position(|i| data.signals[*i].id.map(|n| n.to_string()) == Some(taken_id.clone()))
        .unwrap();
    for _ in 0..row {
        app.press("j");
    }
    app.press("x");
    app.retype(1, &exit);
    app.retype(2, "LOSS");
    // The first Enter asks, with the command line's words; the second records it.
    assert_eq!(
        app.submit("the confirmation").await.as_deref(),
        Some("not sent")
    );
    let form = app.app.form.as_ref().unwrap();
    assert!(form.confirming);
    assert_eq!(form.evaluate().confirm.as_deref(), Some(cli_close.as_str()));
    assert_eq!(app.submit("the confirmed exit").await, None);
    assert!(app.app.form.is_none(), "{:?}", app.app.status.error);
    let data = app.app.data.as_ref().unwrap();
    let s = data
        .signals
        .iter()
        .find(|s| s.id.map(|n| n.to_string()) == Some(taken_id.clone()))
        .unwrap();
    assert_eq!(s.outcome, Some(Outcome::Loss), "recorded as confirmed");
}

/// A form: what it is, the keys that open it, and the fields retyped (index, text).
type FormCase<'a> = (&'a str, &'a str, &'a [(usize, &'a str)]);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_form_submitted_by_keys_closes_on_its_own_answer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.duckdb");
    std::fs::copy(demo_file(), &path).unwrap();
    let mut app = Running::open(&path).await;
    // (what, keys that open the form, fields retyped)
    let cases: &[FormCase] = &[
        ("balance", "1a", &[(1, "12000.50")]),
        ("watch add", "2a", &[(0, "MSFT")]),
        ("watch remove", "2D", &[]),
        ("swap execution", "4t", &[]),
        ("take", "5t", &[(2, "10")]),
        ("note", "5e", &[(0, "waited for the pullback")]),
        ("exit", "5x", &[(1, "131.40")]),
        ("new signal", "5a", &[(0, "RIVR"), (4, "82")]),
        (
            "holding add",
            "3a",
            &[(0, "AAPL"), (1, "10"), (2, "150.25")],
        ),
        ("holding edit", "3e", &[(1, "90")]),
        ("holding remove", "3D", &[]),
    ];
    for (what, open, edits) in cases {
        app.press(open);
        assert!(app.app.form.is_some(), "{what}: did not open");
        for (field, text) in edits.iter() {
            app.retype(*field, text);
        }
        let shown = app.submit(what).await;
        assert_eq!(
            shown,
            None,
            "{what}: {:?}",
            app.app.form.as_ref().map(|f| &f.error)
        );
        assert!(app.app.form.is_none(), "{what}: still open");
        let message = app.app.status.message.clone().unwrap_or_default();
        assert!(!message.is_empty(), "{what}: no summary in the status bar");
    }
    // The Backtest parameters form: its first run, then p and Enter; it closes once the
    // run started, and the run finishes.
    app.press("6");
    app.settle("the first run", |a| a.backtest.report.is_some())
        .await;
    app.press("p");
    app.retype(0, "monthly");
    app.retype(2, "2026-11-20");
    app.retype(1, "2026-12-01");
    // To before From: said beside To as it is typed, and Enter sends nothing.
    let form = app.app.form.as_ref().unwrap();
    assert_eq!(
        form.evaluate().errors[2].as_deref(),
        Some("2026-11-20 is not after From (2026-12-01)")
    );
    assert_eq!(
        app.submit("nothing").await.as_deref(),
        Some("fix the fields marked ✗ first")
    );
    app.retype(1, "");
    assert_eq!(app.submit("the backtest to start").await, None);
    assert!(app.app.form.is_none());
    app.settle("the run", |a| a.backtest.running.is_none())
        .await;
    assert!(app.app.status.error.is_none(), "{:?}", app.app.status.error);
    app.press("q");
    assert!(app.app.quit);
}
