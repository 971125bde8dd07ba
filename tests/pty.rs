//! End to end, like a person: the real binary in a pseudo-terminal on a demo database.
//! Press 5, mark the first open signal taken through the form, record its exit, quit; then
//! check the row in DuckDB and that the terminal was given back. And run a backtest from its
//! parameters form, then leave with Ctrl-C from a form.

mod common;

use std::sync::Arc;

use common::pty::{demo_database, exits_cleanly, spawn_app};
use ducklens::store::Store;

/// `f` against a local server: no new daily bars (the demo's are kept), a quote of today for
/// every symbol at 19:52 UTC; the status bar then marks the figures provisional with the time.
#[test]
fn the_fetch_key_brings_todays_quotes_and_the_screen_says_provisional() {
    let dir = tempfile::tempdir().unwrap();
    demo_database(dir.path());
    let today = chrono::Local::now().date_naive();
    let traded = today.and_hms_opt(19, 52, 0).unwrap();
    let t = traded.and_utc().timestamp_nanos_opt().unwrap();
    let base = common::http::serve(Arc::new(move |path: &str, _| {
        if !path.starts_with("/v2/snapshot/") {
            let empty = r#"{"queryCount":0,"resultsCount":0,"adjusted":true,"status":"OK"}"#;
            return (200, vec![], empty.to_string());
        }
        let asked = path.split("tickers=").nth(1).unwrap_or("");
        let tickers: Vec<String> = asked
            .split('&')
            .next()
            .unwrap_or("")
            .split(',')
            .map(|s| {
                format!(
                    r#"{{"day":{{"c":100,"h":101,"l":99,"o":100,"v":10}},"lastTrade":{{"p":100,"t":{t}}},"ticker":"{s}","updated":{t}}}"#
                )
            })
            .collect();
        (
            200,
            vec![],
            format!(r#"{{"status":"OK","tickers":[{}]}}"#, tickers.join(",")),
        )
    }));
    let config = dir.path().join("config").join("ducklens");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!("[providers]\npolygon_api_key = \"test\"\npolygon_base_url = \"{base}\"\n"),
    )
    .unwrap();
    let (mut screen, mut child) = spawn_app(dir.path());
    screen.wait_for("Balances as of");
    screen.send("f");
    let label = format!(
        "PROVISIONAL as of {} ET, delayed",
        ducklens::domain::quote::eastern_of_utc(traded).format("%H:%M")
    );
    screen.wait_for(&label);
    screen.wait_for(&format!("data {today} (today)"));
    screen.send("q");
    exits_cleanly(&screen, &mut child);
}

#[test]
fn the_backtest_parameters_form_never_traps_the_user() {
    let dir = tempfile::tempdir().unwrap();
    demo_database(dir.path());
    let (mut screen, mut child) = spawn_app(dir.path());
    screen.wait_for("Balances as of");
    // The tab's first run, to the end; Esc then clears its message.
    screen.send("6");
    screen.wait_for("Backtest done");
    screen.send("\x1b");
    screen.wait_gone("Backtest done");
    // p, Enter: the form closes once the run starts, and the run finishes.
    screen.send("p");
    screen.wait_for("Backtest parameters");
    screen.send("\r");
    screen.wait_for("Backtest done");
    screen.wait_gone("Backtest parameters");
    // A form open again, and Ctrl-C quits from it.
    screen.send("p");
    screen.wait_for("Backtest parameters");
    screen.send("\x03");
    exits_cleanly(&screen, &mut child);
}

#[test]
fn take_and_close_a_signal_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    demo_database(dir.path());

    let (mut screen, mut child) = spawn_app(dir.path());
    screen.wait_for("Balances as of");
    screen.send("5");
    screen.wait_for("Journal 40/40");
    // The newest signal (40, WAVE) is open: t opens the take form, price pre-filled.
    screen.send("t");
    screen.wait_for("Mark signal 40 taken");
    // Quantity is pre-filled with the suggested size: clear it and type 10.
    screen.send("\t\t\x7f\x7f\x7f\x7f\x7f\x7f10\r");
    screen.wait_for("Signal 40: taken");
    screen.send("x");
    screen.wait_for("Record the exit of signal 40");
    screen.send("\t");
    screen.send("150\r");
    screen.wait_for("Signal 40: closed");
    screen.send("q");
    exits_cleanly(&screen, &mut child);

    let db = Store::open(&dir.path().join("demo.duckdb")).unwrap();
    let s = db.signal(40).unwrap().unwrap();
    assert!(s.action_taken);
    assert_eq!(s.actual_quantity, Some(10));
    assert_eq!(
        s.actual_entry_price,
        Some(rust_decimal_macros::dec!(138.15))
    );
    assert_eq!(s.exit_price, Some(rust_decimal_macros::dec!(150)));
    // (150 − 138.15) × 10 − commission: a win either way at the default commission.
    assert_eq!(s.outcome.map(|o| o.as_str()), Some("WIN"));
}

#[test]
fn sigterm_and_sighup_give_the_terminal_back() {
    let dir = tempfile::tempdir().unwrap();
    demo_database(dir.path());
    for signal in ["-TERM", "-HUP"] {
        let (mut screen, mut child) = spawn_app(dir.path());
        screen.wait_for("Balances as of");
        // An open form must not keep the app from leaving either.
        screen.send("a");
        let pid = child.process_id().expect("a pid").to_string();
        let killed = std::process::Command::new("kill")
            .args([signal, &pid])
            .status()
            .unwrap();
        assert!(killed.success());
        exits_cleanly(&screen, &mut child);
    }
}
