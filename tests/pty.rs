//! End to end, like a person: the real binary in a pseudo-terminal on a demo database.
//! Press 5, mark the first open signal taken through the form, record its exit, quit; then
//! check the row in DuckDB and that the terminal was given back. And run a backtest from its
//! parameters form, then leave with Ctrl-C from a form.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ducklens::store::Store;
use portable_pty::{native_pty_system, CommandBuilder, PtySize};

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    input: Box<dyn Write + Send>,
}

impl Screen {
    fn contents(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`; fails with the screen after 20 s.
    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {text:?}; screen:\n{}",
            self.contents()
        );
    }

    /// Waits until the screen no longer shows `text`; fails with the screen after 20 s.
    fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if !self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {text:?} to go; screen:\n{}",
            self.contents()
        );
    }

    fn send(&mut self, bytes: &str) {
        self.input.write_all(bytes.as_bytes()).unwrap();
        self.input.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
}

fn spawn_app(dir: &Path) -> (Screen, Box<dyn portable_pty::Child + Send + Sync>) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_ducklens"));
    cmd.arg("--db");
    cmd.arg(dir.join("demo.duckdb"));
    cmd.env("XDG_STATE_HOME", dir.join("state"));
    cmd.env("XDG_CONFIG_HOME", dir.join("config"));
    cmd.env("TERM", "xterm-256color");
    let child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(40, 120, 0)));
    let mut reader = pty.master.try_clone_reader().unwrap();
    let sink = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().process(&buf[..n]);
        }
    });
    let input = pty.master.take_writer().unwrap();
    // The master must outlive the child, or the child gets SIGHUP.
    std::mem::forget(pty.master);
    (Screen { parser, input }, child)
}

/// Waits for the app to exit by itself: it succeeded and gave the terminal back.
fn exits_cleanly(screen: &Screen, child: &mut Box<dyn portable_pty::Child + Send + Sync>) {
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the app did not quit; screen:\n{}",
            screen.contents()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    std::thread::sleep(Duration::from_millis(200));
    let parser = screen.parser.lock().unwrap();
    let term = parser.screen();
    assert!(!term.alternate_screen(), "left the alternate screen");
    assert!(!term.hide_cursor(), "the cursor is visible again");
}

fn demo_database(dir: &Path) {
    let out = common::run(dir, &["demo", "--as-of", "2026-11-20", "--no-tui"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_backtest_parameters_form_never_traps_the_user() {
    let dir = tempfile::tempdir().unwrap();
    demo_database(dir.path());
    let (mut screen, mut child) = spawn_app(dir.path());
    screen.wait_for("Account (n records balances)");
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
    screen.wait_for("Account (n records balances)");
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
        screen.wait_for("Account (n records balances)");
        // An open form must not keep the app from leaving either.
        screen.send("n");
        let pid = child.process_id().expect("a pid").to_string();
        let killed = std::process::Command::new("kill")
            .args([signal, &pid])
            .status()
            .unwrap();
        assert!(killed.success());
        exits_cleanly(&screen, &mut child);
    }
}
