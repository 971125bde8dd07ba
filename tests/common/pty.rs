//! The real binary in a pseudo-terminal, read through a terminal emulator: what a person
//! sees and types.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

pub struct Screen {
    pub parser: Arc<Mutex<vt100::Parser>>,
    input: Box<dyn Write + Send>,
}

impl Screen {
    pub fn contents(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`; fails with the screen after 20 s.
    pub fn wait_for(&self, text: &str) {
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
    pub fn wait_gone(&self, text: &str) {
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

    pub fn send(&mut self, bytes: &str) {
        self.input.write_all(bytes.as_bytes()).unwrap();
        self.input.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
}

pub fn spawn_app(dir: &Path) -> (Screen, Box<dyn portable_pty::Child + Send + Sync>) {
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
pub fn exits_cleanly(screen: &Screen, child: &mut Box<dyn portable_pty::Child + Send + Sync>) {
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

pub fn demo_database(dir: &Path) {
    let out = super::run(dir, &["demo", "--as-of", "2026-11-20", "--no-tui"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
