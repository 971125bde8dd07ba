//! The app and the real worker, wired as the event loop wires them: keys go to the app, the
//! jobs it answers with go to the worker, and the worker's events come back to the app.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ducklens::service::Context;
use ducklens::store::Store;
use ducklens::tui::app::{App, Msg};
use ducklens::tui::worker::{self, Event, Job};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

pub struct Running {
    pub app: App,
    pub commands: UnboundedSender<Job>,
    pub events: UnboundedReceiver<Event>,
}

impl Running {
    /// Opens `ctx`'s database, starts the app and its worker, and feeds events until the
    /// full first load (the journal judged) is on screen.
    pub async fn start(ctx: Context, demo: bool) -> Running {
        let store = Store::open(&ctx.db_path).unwrap();
        let mut app = App::new(ctx.db_path.clone(), demo, ctx.today);
        let (commands, events) = worker::spawn(&tokio::runtime::Handle::current(), store, ctx);
        let jobs = app.start();
        let mut run = Running {
            app,
            commands,
            events,
        };
        run.send(jobs);
        run.settle("the data", |app| {
            app.data.as_ref().is_some_and(|d| !d.journal_pending)
        })
        .await;
        run
    }

    pub fn send(&self, jobs: Vec<Job>) {
        for job in jobs {
            self.commands.send(job).unwrap();
        }
    }

    pub fn key(&mut self, code: KeyCode) {
        let jobs = self
            .app
            .update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.send(jobs);
    }

    pub fn press(&mut self, keys: &str) {
        for c in keys.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Feeds the worker's events to the app until `until` holds; fails after 60 s of silence.
    pub async fn settle(&mut self, what: &str, until: impl Fn(&App) -> bool) {
        while !until(&self.app) {
            let event = tokio::time::timeout(Duration::from_secs(60), self.events.recv())
                .await
                .unwrap_or_else(|_| panic!("waiting for {what}: no event within 60 s"))
                .expect("the worker is alive");
            let jobs = self.app.update(Msg::Worker(event));
            self.send(jobs);
        }
    }
}
