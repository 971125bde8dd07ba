//! The app on the demo database at a fixed date: every tab and form rendered at 120×40 and
//! 80×24 into a `TestBackend`, and the key paths of `update`, driven like a user would.

mod tui_support;

use tui_support::*;

#[test]
fn every_tab_at_120x40_and_80x24() {
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let mut app = app();
        let sent = press_jobs(&mut app, &(i + 1).to_string());
        assert_eq!(app.tab, *tab);
        if *tab == Tab::Backtest {
            // The first visit starts the default comparison in the background.
            let [Job {
                id: job,
                command: Command::RunBacktest(request),
            }] = &sent[..]
            else {
                panic!("{sent:?}")
            };
            assert_eq!(*request, BacktestRequest::default());
            let job = *job;
            answer(&mut app, Event::Accepted { job });
            answer(
                &mut app,
                Event::Progress {
                    job,
                    done: 2,
                    total: 4,
                },
            );
            snap("tui_backtest_running", &app, 120, 40);
            answer(
                &mut app,
                Event::Backtest {
                    job,
                    outcome: Box::new(demo().backtest.clone()),
                },
            );
        }
        let name = tab.title().to_lowercase();
        snap(&format!("tui_{name}_120x40"), &app, 120, 40);
        snap(&format!("tui_{name}_80x24"), &app, 80, 24);
    }
}

#[test]
fn help_overlay_lists_each_tabs_keys() {
    // A key each tab binds, as its help must list it.
    let expected = [
        (Tab::Account, "record new balances"),
        (Tab::Market, "add a watchlist symbol"),
        (Tab::Holdings, "edit the selected holding"),
        (Tab::Optimization, "execute the selected swap"),
        (Tab::Signals, "take the selected signal"),
        (Tab::Backtest, "run the parameter sweep"),
    ];
    for (i, (tab, line)) in expected.iter().enumerate() {
        let mut app = app();
        press(&mut app, &format!("{}?", i + 1));
        assert!(app.help);
        let text = screen(&app, 120, 40);
        assert!(text.contains(line), "{tab:?}: {text}");
        assert!(text.contains("Everywhere"), "the global keys follow");
        snap(
            &format!("tui_help_{}", tab.title().to_lowercase()),
            &app,
            120,
            40,
        );
        if *tab == Tab::Signals {
            // Too short for all of it: the tab's keys show, and the rest scrolls into view.
            let small = screen(&app, 80, 24);
            assert!(small.contains("clear every filter"), "{small}");
            assert!(small.contains("more rows (j)"), "{small}");
            snap("tui_help_signals_80x24", &app, 80, 24);
            press(&mut app, "G");
            let scrolled = screen(&app, 80, 24);
            assert!(
                scrolled.contains("quit (Ctrl-C from anywhere)"),
                "{scrolled}"
            );
            snap("tui_help_signals_80x24_end", &app, 80, 24);
        }
        special(&mut app, KeyCode::Esc);
        assert!(!app.help);
    }
}

#[test]
fn too_small_terminal_says_so() {
    let text = screen(&app(), 79, 24);
    assert!(
        text.starts_with("terminal too small (need 80×24, have 79×24)"),
        "{text}"
    );
}

/// Empties the focused field and types `text` into it.
fn retype(app: &mut App, text: &str) {
    for _ in 0..40 {
        special(app, KeyCode::Backspace);
    }
    press(app, text);
}

/// Each form: the keys that open it, then edits that make it invalid and valid.
struct FormCase {
    name: &'static str,
    open: &'static str,
    invalid: &'static [(usize, &'static str)],
    valid: &'static [(usize, &'static str)],
}

const FORMS: &[FormCase] = &[
    FormCase {
        name: "balance",
        open: "1a",
        invalid: &[(1, "-5")],
        valid: &[(1, "12000.50")],
    },
    FormCase {
        name: "watch_add",
        open: "2a",
        invalid: &[(0, "BAD SYMBOL!")],
        valid: &[(0, "MSFT")],
    },
    FormCase {
        name: "watch_remove",
        open: "2D",
        invalid: &[],
        valid: &[],
    },
    FormCase {
        name: "holding_add",
        open: "3a",
        invalid: &[(0, "AAPL"), (1, "0")],
        valid: &[(0, "AAPL"), (1, "10"), (2, "150.25")],
    },
    FormCase {
        name: "holding_edit",
        open: "3e",
        invalid: &[(2, "abc")],
        valid: &[(1, "90")],
    },
    FormCase {
        name: "holding_remove",
        open: "3D",
        invalid: &[],
        valid: &[],
    },
    FormCase {
        name: "signal_new",
        open: "5a",
        invalid: &[(1, "SHORT"), (4, "120")],
        valid: &[(0, "RIVR"), (4, "82")],
    },
    FormCase {
        name: "signal_take",
        open: "5t",
        invalid: &[(2, "2.5")],
        valid: &[(2, "10")],
    },
    FormCase {
        name: "signal_exit",
        open: "5jjx",
        invalid: &[(1, "0"), (2, "MAYBE")],
        valid: &[(1, "131.40")],
    },
    FormCase {
        name: "signal_note",
        open: "5e",
        invalid: &[],
        valid: &[(0, "waited for the pullback")],
    },
    FormCase {
        name: "execute_swap",
        open: "4t",
        invalid: &[(0, "-3")],
        valid: &[(3, "716.90")],
    },
];

/// Tabs to `field`, as a person would, and retypes it.
fn focus(app: &mut App, field: usize) {
    for _ in 0..20 {
        if app.form.as_ref().unwrap().focus == field {
            return;
        }
        special(app, KeyCode::Tab);
    }
    panic!("no field {field}");
}

fn edit(app: &mut App, edits: &[(usize, &str)]) {
    for (field, text) in edits {
        focus(app, *field);
        retype(app, text);
    }
}

#[test]
fn every_form_empty_invalid_and_valid() {
    for case in FORMS {
        let mut app = app();
        press(&mut app, case.open);
        assert!(app.form.is_some(), "{} did not open", case.name);
        snap(&format!("form_{}_empty", case.name), &app, 120, 40);
        if !case.invalid.is_empty() {
            edit(&mut app, case.invalid);
            assert!(
                !app.form.as_ref().unwrap().is_valid(),
                "{} should be invalid",
                case.name
            );
            snap(&format!("form_{}_invalid", case.name), &app, 120, 40);
            // Enter on an invalid form keeps it open and sends nothing.
            assert!(special(&mut app, KeyCode::Enter).is_empty());
            assert!(app.form.is_some());
        }
        let mut app = self::app();
        press(&mut app, case.open);
        edit(&mut app, case.valid);
        assert!(
            app.form.as_ref().unwrap().is_valid(),
            "{} should be valid",
            case.name
        );
        snap(&format!("form_{}_valid", case.name), &app, 120, 40);
        assert_eq!(
            special(&mut app, KeyCode::Enter).len(),
            1,
            "{} did not submit",
            case.name
        );
    }
}

#[test]
fn tabs_switch_by_number_tab_and_shift_tab() {
    let mut app = app();
    assert_eq!(app.tab, Tab::Account);
    press(&mut app, "4");
    assert_eq!(app.tab, Tab::Optimization);
    special(&mut app, KeyCode::Tab);
    assert_eq!(app.tab, Tab::Signals);
    special(&mut app, KeyCode::Tab);
    special(&mut app, KeyCode::Tab);
    assert_eq!(app.tab, Tab::Account, "Tab wraps after the last tab");
    special(&mut app, KeyCode::BackTab);
    assert_eq!(app.tab, Tab::Backtest, "Shift-Tab wraps before the first");
}

#[test]
fn refresh_and_quit() {
    let mut app = app();
    assert_eq!(press(&mut app, "r"), vec![Command::Refresh]);
    assert!(app.status.busy.is_some());
    press(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn market_filter_sort_and_chart() {
    let mut app = app();
    press(&mut app, "2/qu");
    assert!(app.market.list.filtering);
    let data = app.data.clone().unwrap();
    let visible = app.market.visible(&data.watch);
    assert_eq!(visible.len(), 1, "only QUBE contains QU");
    special(&mut app, KeyCode::Enter);
    assert!(
        !app.market.list.filtering,
        "Enter keeps the filter and leaves typing"
    );
    assert_eq!(
        press(&mut app, "c"),
        vec![Command::LoadChart(Symbol::parse("QUBE").unwrap())]
    );
    press(&mut app, "/");
    special(&mut app, KeyCode::Esc);
    assert!(app.market.list.filter.is_empty(), "Esc clears the filter");
    // Strength is the eighth column: > eight times from unsorted, then s for descending.
    press(&mut app, ">>>>>>>>s");
    let sorted = app.market.visible(&data.watch);
    let strengths: Vec<f64> = sorted
        .iter()
        .map(|i| data.watch[*i].strength.unwrap_or(0.0))
        .collect();
    assert!(strengths.windows(2).all(|w| w[0] >= w[1]), "{strengths:?}");
    snap("tui_market_sorted_by_strength", &app, 120, 40);
}

#[test]
fn a_changed_form_asks_before_discarding() {
    let mut app = app();
    press(&mut app, "3e");
    special(&mut app, KeyCode::Esc);
    assert!(app.form.is_none(), "an unchanged form closes at once");
    press(&mut app, "e");
    focus(&mut app, 1);
    retype(&mut app, "99");
    special(&mut app, KeyCode::Esc);
    assert!(app.form.as_ref().unwrap().confirm_discard);
    press(&mut app, "n");
    assert!(app.form.is_some(), "any key but y keeps editing");
    special(&mut app, KeyCode::Esc);
    press(&mut app, "y");
    assert!(app.form.is_none());
}

#[test]
fn a_failed_save_keeps_the_form_and_what_was_typed() {
    let mut app = app();
    press(&mut app, "1a");
    focus(&mut app, 1);
    retype(&mut app, "12000.50");
    let job = enter(&mut app);
    let Command::Apply(Op::RecordBalance(b)) = &job.command else {
        panic!("{job:?}")
    };
    assert_eq!(b.cash.map(|c| c.to_string()).as_deref(), Some("12000.50"));
    assert_eq!(app.form.as_ref().unwrap().saving, Some(job.id));
    answer(
        &mut app,
        Event::Failed {
            job: job.id,
            message: "database is read-only".into(),
        },
    );
    let form = app.form.as_ref().expect("the form stays open");
    assert_eq!(form.error.as_deref(), Some("database is read-only"));
    assert_eq!(form.value("Cash"), "12000.50");
    let again = enter(&mut app);
    answer(
        &mut app,
        Event::Saved {
            job: again.id,
            message: "Balances saved".into(),
        },
    );
    assert!(app.form.is_none());
    assert_eq!(app.status.message.as_deref(), Some("Balances saved"));
}

#[test]
fn a_save_closes_only_the_form_that_waits_for_it() {
    let mut app = app();
    // A first save, left with Esc while it is under way…
    press(&mut app, "1a");
    focus(&mut app, 1);
    retype(&mut app, "12000.50");
    let first = enter(&mut app);
    special(&mut app, KeyCode::Esc);
    assert!(app.form.is_none());
    // …then a second form submitted before the first save answers.
    press(&mut app, "a");
    focus(&mut app, 1);
    retype(&mut app, "13000");
    let second = enter(&mut app);
    assert_ne!(first.id, second.id, "each submission is its own job");
    answer(
        &mut app,
        Event::Saved {
            job: first.id,
            message: "Balances of 2026-11-20 saved".into(),
        },
    );
    let form = app
        .form
        .as_ref()
        .expect("another job's answer leaves the form");
    assert_eq!(
        form.saving,
        Some(second.id),
        "still waiting for its own job"
    );
    assert_eq!(form.value("Cash"), "13000");
    assert_eq!(
        app.status.message.as_deref(),
        Some("Balances of 2026-11-20 saved"),
        "the first save's answer shows in the status bar"
    );
    // Nor does another job's failure touch it.
    answer(
        &mut app,
        Event::Failed {
            job: first.id,
            message: "stale".into(),
        },
    );
    let form = app.form.as_ref().unwrap();
    assert_eq!(
        (form.saving, form.error.as_deref()),
        (Some(second.id), None)
    );
    answer(
        &mut app,
        Event::Saved {
            job: second.id,
            message: "Balances of 2026-11-20 saved".into(),
        },
    );
    assert!(app.form.is_none(), "its own answer closes it");
}

#[test]
fn esc_leaves_a_saving_form_and_the_result_shows_in_the_status_bar() {
    let mut app = app();
    press(&mut app, "3e");
    focus(&mut app, 1);
    retype(&mut app, "90");
    let job = enter(&mut app);
    assert!(
        matches!(job.command, Command::Apply(Op::SaveHolding { .. })),
        "{job:?}"
    );
    // Typing is locked while the save is under way…
    press(&mut app, "5");
    assert_eq!(app.form.as_ref().unwrap().value("Quantity"), "90");
    assert!(screen(&app, 120, 40).contains("Esc closes, the save carries on"));
    // …but Esc leaves at once, without asking about the changes: they are being saved.
    assert!(special(&mut app, KeyCode::Esc).is_empty());
    assert!(app.form.is_none());
    press(&mut app, "j");
    assert_eq!(
        app.holdings.list.selected, 1,
        "the keys are the tab's again"
    );
    answer(
        &mut app,
        Event::Failed {
            job: job.id,
            message: "database is read-only".into(),
        },
    );
    assert!(app.form.is_none());
    assert_eq!(app.status.error.as_deref(), Some("database is read-only"));
    press(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    // From a form that is saving.
    let mut app = app();
    press(&mut app, "1a");
    focus(&mut app, 1);
    retype(&mut app, "12000.50");
    enter(&mut app);
    assert!(app.form.as_ref().unwrap().saving.is_some());
    app.update(ctrl_c());
    assert!(app.quit, "Ctrl-C in a saving form");
    // From a form being edited.
    let mut app = self::app();
    press(&mut app, "3a");
    app.update(ctrl_c());
    assert!(app.quit, "Ctrl-C in a form");
    // From the help overlay.
    let mut app = self::app();
    press(&mut app, "?");
    assert!(app.help);
    app.update(ctrl_c());
    assert!(app.quit, "Ctrl-C over the help");
    // From the watchlist filter.
    let mut app = self::app();
    press(&mut app, "2/qu");
    assert!(app.market.list.filtering);
    app.update(ctrl_c());
    assert!(app.quit, "Ctrl-C in the filter");
    // From the Backtest parameters form waiting for its run to start.
    let mut app = self::app();
    backtest_tab(&mut app);
    press(&mut app, "p");
    enter(&mut app);
    assert!(app.form.as_ref().unwrap().saving.is_some());
    app.update(ctrl_c());
    assert!(app.quit, "Ctrl-C in the backtest parameters form");
}

#[test]
fn taking_a_signal_sends_the_prefilled_trade() {
    let mut app = app();
    press(&mut app, "5t");
    let form = app.form.as_ref().unwrap();
    assert_eq!(
        form.value("Entry price"),
        "138.15",
        "price at signal, to the cent"
    );
    assert_eq!(form.value("Entry date"), "2026-11-20");
    focus(&mut app, 2);
    retype(&mut app, "10");
    let sent = special(&mut app, KeyCode::Enter);
    assert!(
        matches!(&sent[..], [Command::Apply(Op::TakeSignal { id: 40, quantity, .. })] if quantity.to_string() == "10"),
        "{sent:?}"
    );
}

#[test]
fn the_exit_form_computes_pnl_as_you_type() {
    let mut app = app();
    press(&mut app, "5jjx");
    focus(&mut app, 1);
    retype(&mut app, "131.40");
    let text = screen(&app, 120, 40);
    assert!(text.contains("P&L"), "{text}");
}

#[test]
fn signal_filters_cycle_and_clear() {
    let mut app = app();
    press(&mut app, "5K");
    let data = app.data.clone().unwrap();
    let taken = app.signals.visible(&data.signals);
    assert!(!taken.is_empty() && taken.iter().all(|i| data.signals[*i].action_taken));
    press(&mut app, "K");
    assert!(app
        .signals
        .visible(&data.signals)
        .iter()
        .all(|i| !data.signals[*i].action_taken));
    press(&mut app, "0");
    assert_eq!(app.signals.visible(&data.signals).len(), data.signals.len());
}

#[test]
fn optimization_records_and_executes_swaps() {
    let mut app = app();
    let as_of = demo().dashboard.analysis.as_ref().unwrap().as_of;
    assert_eq!(
        press(&mut app, "4J"),
        vec![Command::Apply(Op::RecordSwaps { as_of: Some(as_of) })]
    );
    press(&mut app, "t");
    let sent = special(&mut app, KeyCode::Enter);
    let [Command::Apply(Op::ExecuteSwap {
        swap: SwapRef::Recommended { sell, buy, .. },
        fills,
    })] = &sent[..]
    else {
        panic!("{sent:?}")
    };
    assert_eq!((sell.as_str(), buy.as_str()), ("DRFT", "ZNTH"));
    assert_eq!(
        (
            fills.sell_quantity.map(|q| q.to_string()),
            fills.buy_quantity.map(|q| q.to_string())
        ),
        (Some("68".into()), Some("7".into()))
    );
}

/// Opens the Backtest tab and cancels its first run: nothing shown, nothing running.
fn cancelled_backtest_tab(app: &mut App) {
    let first = press_jobs(app, "6").remove(0);
    special(app, KeyCode::Esc);
    answer(app, Event::Cancelled { job: first.id });
    special(app, KeyCode::Esc);
    assert!(app.backtest.running.is_none());
    assert_eq!(app.status.message, None);
}

/// Opens the Backtest tab and lets its first run finish.
fn backtest_tab(app: &mut App) {
    let first = press_jobs(app, "6").remove(0);
    answer(app, Event::Accepted { job: first.id });
    answer(
        app,
        Event::Backtest {
            job: first.id,
            outcome: Box::new(demo().backtest.clone()),
        },
    );
    assert!(app.backtest.running.is_none());
}

#[test]
fn backtest_sweep_cancel_and_keys_while_running() {
    let mut app = app();
    let sent = press_jobs(&mut app, "6");
    let [Job {
        id: first,
        command: Command::RunBacktest(_),
    }] = &sent[..]
    else {
        panic!("{sent:?}")
    };
    assert!(app.backtest.running.is_some());
    // Keys still work while it runs: move to another tab and back.
    press(&mut app, "1");
    assert_eq!(app.tab, Tab::Account);
    assert!(
        press(&mut app, "6").is_empty(),
        "the first run is not started twice"
    );
    assert_eq!(
        special(&mut app, KeyCode::Esc),
        vec![Command::CancelBacktest(*first)],
        "Esc cancels the run under way, by its job"
    );
    answer(&mut app, Event::Cancelled { job: *first });
    assert!(app.backtest.running.is_none());
    assert_eq!(app.status.message.as_deref(), Some("Backtest cancelled"));
    // With nothing running, Esc clears the status line as on every tab.
    assert!(special(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.status.message, None);
    // w runs the sweep; its results show in the bottom panel.
    let sent = press_jobs(&mut app, "w");
    let [Job {
        id: sweep,
        command: Command::RunBacktest(r),
    }] = &sent[..]
    else {
        panic!("{sent:?}")
    };
    assert!(r.sweep);
    answer(&mut app, Event::Accepted { job: *sweep });
    answer(
        &mut app,
        Event::Backtest {
            job: *sweep,
            outcome: Box::new(demo().sweep.clone()),
        },
    );
    assert_eq!(
        app.status.message.as_deref(),
        Some("Sweep done: 64 points ranked by Sharpe")
    );
    answer(
        &mut app,
        Event::Backtest {
            job: *first,
            outcome: Box::new(demo().backtest.clone()),
        },
    );
    assert_eq!(
        app.status.message.as_deref(),
        Some("Sweep done: 64 points ranked by Sharpe"),
        "a cancelled run's late result is not this tab's any more"
    );
}

#[test]
fn the_backtest_parameters_form_closes_once_its_run_starts() {
    let mut app = app();
    cancelled_backtest_tab(&mut app);
    // p opens the parameters; a bad strategy name is refused beside the field.
    press(&mut app, "p");
    focus(&mut app, 0);
    retype(&mut app, "daily");
    snap("form_backtest_params_invalid", &app, 120, 40);
    retype(&mut app, "monthly");
    // Thirteen fields: one row each on a small terminal.
    focus(&mut app, 8);
    retype(&mut app, "0");
    snap("form_backtest_params_invalid_80x24", &app, 80, 24);
    retype(&mut app, "3");
    focus(&mut app, 4);
    retype(&mut app, "14");
    snap("form_backtest_params_valid", &app, 120, 40);
    let job = enter(&mut app);
    let Command::RunBacktest(r) = &job.command else {
        panic!("{job:?}")
    };
    assert!(!r.sweep);
    assert_eq!(
        (r.plan.params.frequency, r.plan.params.max_positions),
        (Some(Frequency::Days(14)), Some(3))
    );
    assert!(screen(&app, 120, 40).contains("Starting the backtest…"));
    // The worker answers a backtest with Accepted, Progress…, then its result; no Saved.
    answer(&mut app, Event::Accepted { job: job.id });
    assert!(app.form.is_none(), "the run started: the form is done");
    assert!(app.backtest.running.is_some());
    answer(
        &mut app,
        Event::Progress {
            job: job.id,
            done: 1,
            total: 4,
        },
    );
    let text = screen(&app, 120, 40);
    assert!(text.contains("running 1/4 · Esc cancels"), "{text}");
    answer(
        &mut app,
        Event::Backtest {
            job: job.id,
            outcome: Box::new(demo().backtest.clone()),
        },
    );
    assert!(app.backtest.running.is_none());
    assert!(
        app.status
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("Backtest done")),
        "{:?}",
        app.status.message
    );
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("strategy monthly"),
        "the head shows the run's parameters: {text}"
    );
    // The keys are the tab's again: j selects the next strategy, q quits.
    press(&mut app, "j");
    assert_eq!(app.backtest.strategies.selected, 1);
    press(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn a_backtest_that_cannot_start_reports_in_its_form() {
    let mut app = app();
    cancelled_backtest_tab(&mut app);
    press(&mut app, "p");
    focus(&mut app, 1);
    retype(&mut app, "2001-01-01");
    focus(&mut app, 2);
    retype(&mut app, "2001-06-30");
    let job = enter(&mut app);
    answer(
        &mut app,
        Event::Failed {
            job: job.id,
            message: "no SPY prices between 2001-01-01 and 2001-06-30".into(),
        },
    );
    let form = app
        .form
        .as_ref()
        .expect("the form stays with what was typed");
    assert_eq!(form.saving, None);
    assert_eq!(
        form.error.as_deref(),
        Some("no SPY prices between 2001-01-01 and 2001-06-30")
    );
    assert_eq!(form.value("From"), "2001-01-01");
    assert!(app.backtest.running.is_none(), "nothing runs");
    // The form is live again: Esc asks about the changes, y leaves, p opens it anew.
    special(&mut app, KeyCode::Esc);
    press(&mut app, "y");
    assert!(app.form.is_none());
    press(&mut app, "p");
    assert!(
        app.form.is_some(),
        "a failed start does not block the next run"
    );
}

#[test]
fn the_sweep_shows_in_the_bottom_panel() {
    let mut app = app();
    backtest_tab(&mut app);
    let sent = press_jobs(&mut app, "w");
    let [Job {
        id: job,
        command: Command::RunBacktest(r),
    }] = &sent[..]
    else {
        panic!("{sent:?}")
    };
    assert!(r.sweep);
    answer(&mut app, Event::Accepted { job: *job });
    answer(
        &mut app,
        Event::Backtest {
            job: *job,
            outcome: Box::new(demo().sweep.clone()),
        },
    );
    assert_eq!(
        app.status.message.as_deref(),
        Some("Sweep done: 64 points ranked by Sharpe")
    );
    snap("tui_backtest_sweep", &app, 120, 40);
    press(&mut app, "j");
    assert_eq!(app.backtest.strategies.selected, 1);
}

#[test]
fn an_empty_database_says_what_to_do_on_every_tab() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.duckdb");
    let ctx = Context {
        db_path: path.clone(),
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today: today(),
    };
    let mut store = Store::open(&path).unwrap();
    let dashboard = data::load_dashboard(&ctx, &mut store).unwrap();
    let reason = dashboard.empty_reason.clone().expect("a reason");
    assert!(reason.contains("ducklens fetch SPY"), "{reason}");
    let mut app = App::new(PathBuf::from("empty.duckdb"), false, today());
    app.update(Msg::Worker(Event::Loaded(Box::new(dashboard))));
    for (i, tab) in Tab::ALL.iter().enumerate() {
        press(&mut app, &(i + 1).to_string());
        let text = screen(&app, 120, 40);
        assert!(!text.contains("panicked"), "{text}");
        if matches!(tab, Tab::Market | Tab::Holdings | Tab::Optimization) {
            assert!(text.contains("ducklens fetch SPY"), "{:?}:\n{text}", tab);
        }
        // The Account tab opens on the checklist instead, its steps the app's keys (issue 17).
        if *tab == Tab::Account {
            assert!(text.contains("Getting started · 0 of 4 done"), "{text}");
        }
    }
    press(&mut app, "5");
    snap("tui_signals_empty_database", &app, 120, 40);
    // Forms still open: the first holding can be added on an empty database.
    press(&mut app, "3a");
    assert!(app.form.is_some());
}

/// The message beside field `index` of the open form, as the dialog shows it.
fn beside(app: &App, index: usize) -> String {
    app.form.as_ref().unwrap().evaluate().errors[index]
        .clone()
        .unwrap_or_default()
}

#[test]
fn rules_between_fields_show_beside_the_field_as_it_is_typed() {
    // Margin used above margin available, and a date in the future (balances).
    let mut app = app();
    press(&mut app, "1a");
    focus(&mut app, 3);
    retype(&mut app, "99999");
    assert!(
        beside(&app, 3).contains("99999 is above the margin available"),
        "{}",
        beside(&app, 3)
    );
    assert!(screen(&app, 120, 40).contains("is above the margin"));
    focus(&mut app, 0);
    retype(&mut app, "2099-01-02");
    assert_eq!(
        beside(&app, 0),
        "2099-01-02 is in the future (today is 2026-11-20)"
    );
    assert!(special(&mut app, KeyCode::Enter).is_empty(), "nothing sent");
    // An entry before the signal's own date.
    let mut app = self::app();
    press(&mut app, "5t");
    retype(&mut app, "2020-01-02");
    assert!(
        beside(&app, 0).starts_with("2020-01-02 is before the signal ("),
        "{}",
        beside(&app, 0)
    );
    // An exit before the entry.
    let mut app = self::app();
    press(&mut app, "5jjx");
    retype(&mut app, "2020-01-02");
    assert!(
        beside(&app, 0).starts_with("2020-01-02 is before the entry ("),
        "{}",
        beside(&app, 0)
    );
    // A swap sold before the holding was bought, or before the swap's day.
    let mut app = self::app();
    press(&mut app, "4t");
    focus(&mut app, 4);
    retype(&mut app, "2001-01-02");
    assert!(
        beside(&app, 4).starts_with("2001-01-02 is before "),
        "{}",
        beside(&app, 4)
    );
    assert!(special(&mut app, KeyCode::Enter).is_empty(), "nothing sent");
}

#[test]
fn an_exit_contradicting_its_pnl_asks_before_it_is_sent() {
    let mut app = app();
    press(&mut app, "5jjx");
    focus(&mut app, 1);
    let entry = match &app.form.as_ref().unwrap().kind {
        ducklens::tui::forms::FormKind::SignalClose(p) => p.entry_price,
        other => panic!("{other:?}"),
    };
    retype(
        &mut app,
        &(entry * rust_decimal_macros::dec!(2)).to_string(),
    );
    focus(&mut app, 2);
    retype(&mut app, "LOSS");
    // The first Enter asks, in the command line's words…
    assert!(special(&mut app, KeyCode::Enter).is_empty());
    assert!(app.form.as_ref().unwrap().confirming);
    let text = screen(&app, 120, 40);
    assert!(text.contains("outcome LOSS contradicts the P&L"), "{text}");
    // …an edit withdraws the question, and Enter asks again.
    press(&mut app, " ");
    assert!(!app.form.as_ref().unwrap().confirming);
    assert!(special(&mut app, KeyCode::Enter).is_empty());
    // The second Enter sends it confirmed.
    let job = enter(&mut app);
    let Command::Apply(Op::CloseSignal {
        outcome, confirmed, ..
    }) = &job.command
    else {
        panic!("{job:?}")
    };
    assert_eq!(
        (*outcome, *confirmed),
        (Some(ducklens::domain::journal::Outcome::Loss), true)
    );
}

/// The Signals tab's "Swaps: expected vs actual" panel with swaps in it: the demo, a
/// morning check of 2026-09-01 that recommended swaps, and their follow-up (30 days later)
/// measured by the evaluation the app runs on load.
#[test]
fn the_signals_tab_compares_each_swaps_expected_and_actual_return() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.duckdb");
    ducklens::cli::build_demo(&path, today()).unwrap();
    let ctx = Context {
        db_path: path.clone(),
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today: today(),
    };
    let mut store = Store::open(&path).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    ducklens::service::ops::apply(&ctx, &mut store, Op::RecordSwaps { as_of: Some(day) }).unwrap();
    ducklens::service::journal::evaluate(&ctx, &mut store).unwrap();
    let dashboard = data::load_dashboard(&ctx, &mut store).unwrap();
    let stats = dashboard.stats.as_ref().unwrap();
    assert!(!stats.swaps.is_empty());
    assert_eq!(stats.swap_summary.measured, stats.swaps.len());
    let mut app = App::new(PathBuf::from("demo.duckdb"), true, today());
    app.update(Msg::Worker(Event::Loaded(Box::new(dashboard))));
    press(&mut app, "5");
    snap("tui_signals_swaps_120x40", &app, 120, 40);
}
