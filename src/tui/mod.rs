//! The full-screen app (DESIGN §3, §6): `app` holds state and `update`, `ui` renders it,
//! `worker` owns DuckDB, `tabs/` and `widgets/` draw. This module runs the loop: terminal
//! keys, worker events and a spinner tick arrive through one `select!` and go to `update`.

pub mod app;
pub mod backtest_job;
pub mod data;
pub mod fetch_job;
pub mod first_run;
pub mod forms;
pub mod import_job;
pub mod keymap;
pub mod keys;
pub mod ledger_data;
pub mod tabs;
pub mod theme;
pub mod ui;
pub mod view;
pub mod widgets;
pub mod worker;

use std::time::Duration;

use color_eyre::eyre::{eyre, Result};
use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use app::{App, Msg};
use worker::{Event, Job};

use crate::service::Context;

/// Opens the store (errors such as "database in use" print before the screen changes),
/// then runs the app until `q`, or Ctrl-C from anywhere. The terminal is restored on every
/// way out, panics included (ratatui's hook chains to color-eyre's).
pub fn run(ctx: Context, demo: bool) -> Result<()> {
    let store = ctx.open_store()?;
    install_config(&ctx.config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let app = App::new(ctx.db_path.clone(), demo, ctx.today);
    let (commands, events) = worker::spawn(runtime.handle(), store, ctx);
    let mut terminal = ratatui::init();
    // Clicks and the wheel come to the app while it runs; given back on every way out.
    mouse_capture(true);
    let restore_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        mouse_capture(false);
        restore_hook(info);
    }));
    let result = runtime.block_on(event_loop(&mut terminal, app, commands, events));
    mouse_capture(false);
    ratatui::restore();
    runtime.shutdown_timeout(Duration::from_secs(2));
    result
}

/// The config's keys and colours, for every frame and key from the first (the config was
/// validated when it was loaded, so these read).
fn install_config(config: &crate::config::Config) -> Result<()> {
    let keys = keymap::Keymap::from_config(&config.keys).map_err(|e| eyre!("config: {e}"))?;
    let palette = theme::Palette::from_config(&config.theme).map_err(|e| eyre!("config: {e}"))?;
    keymap::install(keys);
    theme::install(palette);
    Ok(())
}

/// Clicks, drags and the wheel in SGR encoding (modes 1000, 1002, 1006). Not crossterm's
/// `EnableMouseCapture`, which also turns on any-motion reports (1003) and urxvt encoding
/// (1015): with those on, `tests/input_limits.rs`'s pty test typing 2,800 keys into a form
/// timed out (20 s); with these three it passes in 16 s, as before mouse support.
fn mouse_capture(on: bool) {
    use std::io::Write;
    let codes = if on {
        "\x1b[?1000h\x1b[?1002h\x1b[?1006h"
    } else {
        "\x1b[?1006l\x1b[?1002l\x1b[?1000l"
    };
    let mut out = std::io::stdout();
    let _ = out.write_all(codes.as_bytes());
    let _ = out.flush();
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    mut app: App,
    commands: UnboundedSender<Job>,
    mut events: UnboundedReceiver<Event>,
) -> Result<()> {
    let mut keys = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(120));
    let mut stop = StopSignals::new()?;
    for job in app.start() {
        let _ = commands.send(job);
    }
    while !app.quit {
        terminal.draw(|frame| ui::render(&app, frame))?;
        let msg = tokio::select! {
            key = keys.next() => match key {
                Some(Ok(TermEvent::Key(k))) if k.kind == KeyEventKind::Press => Msg::Key(k),
                Some(Ok(TermEvent::Mouse(m))) => Msg::Mouse(m),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(event) = events.recv() => Msg::Worker(event),
            _ = tick.tick(), if app.status.busy.is_some() => Msg::Tick,
            // SIGTERM or SIGHUP: leave like `q`, so the terminal is restored.
            _ = stop.recv() => break,
        };
        for job in app.update(msg) {
            let _ = commands.send(job);
        }
    }
    Ok(())
}

/// SIGTERM and SIGHUP end the loop like `q` does, so `run` restores the terminal.
#[cfg(unix)]
struct StopSignals {
    term: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl StopSignals {
    fn new() -> Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(StopSignals {
            term: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    async fn recv(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.hangup.recv() => {}
        }
    }
}

#[cfg(not(unix))]
struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    fn new() -> Result<Self> {
        Ok(StopSignals)
    }

    async fn recv(&mut self) {
        std::future::pending::<()>().await
    }
}
