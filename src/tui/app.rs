//! The app's state and `update`, the only place state changes. Keys become [`Action`]s
//! through the key tables; each tab interprets the actions for its own view.

use std::path::PathBuf;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};

use super::data::Dashboard;
use super::forms::{self, Form, FormResult};
use super::keys::{action_for, Action};
use super::tabs::{account, backtest, holdings, market, optimization, signals};
use super::worker::{Command, Event};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Account,
    Market,
    Holdings,
    Optimization,
    Signals,
    Backtest,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Account,
        Tab::Market,
        Tab::Holdings,
        Tab::Optimization,
        Tab::Signals,
        Tab::Backtest,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Account => "Account",
            Tab::Market => "Market",
            Tab::Holdings => "Holdings",
            Tab::Optimization => "Optimization",
            Tab::Signals => "Signals",
            Tab::Backtest => "Backtest",
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    fn offset(self, by: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        Tab::ALL[((self.index() as isize + by).rem_euclid(n)) as usize]
    }
}

/// What the app learns from outside: a key, a worker event, a timer tick.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Worker(Event),
    Tick,
}

/// What a tab asks the app to do after an action.
pub enum Effect {
    None,
    Send(Command),
    Open(Form),
    Note(String),
}

#[derive(Debug, Clone, Default)]
pub struct Status {
    pub db_path: PathBuf,
    pub demo: bool,
    /// Work the worker is doing, shown with a spinner.
    pub busy: Option<String>,
    pub message: Option<String>,
    pub error: Option<String>,
    pub spinner: usize,
}

pub struct App {
    pub tab: Tab,
    pub today: NaiveDate,
    pub data: Option<Dashboard>,
    pub status: Status,
    pub help: bool,
    pub form: Option<Form>,
    pub quit: bool,
    pub market: market::State,
    pub holdings: holdings::State,
    pub optimization: optimization::State,
    pub signals: signals::State,
    pub backtest: backtest::State,
}

impl App {
    pub fn new(db_path: PathBuf, demo: bool, today: NaiveDate) -> App {
        App {
            tab: Tab::Account,
            today,
            data: None,
            status: Status {
                db_path,
                demo,
                busy: Some("loading".into()),
                ..Status::default()
            },
            help: false,
            form: None,
            quit: false,
            market: market::State::default(),
            holdings: holdings::State::default(),
            optimization: optimization::State::default(),
            signals: signals::State::default(),
            backtest: backtest::State::default(),
        }
    }

    /// The commands to send when the app starts.
    pub fn start() -> Vec<Command> {
        vec![Command::Refresh]
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Command> {
        match msg {
            Msg::Tick => {
                self.status.spinner = self.status.spinner.wrapping_add(1);
                Vec::new()
            }
            Msg::Worker(event) => self.on_event(event),
            Msg::Key(key) => self.on_key(key),
        }
    }

    fn on_event(&mut self, event: Event) -> Vec<Command> {
        match event {
            Event::Loaded(d) => {
                self.status.busy = None;
                let first = self.data.is_none();
                self.data = Some(*d);
                if first {
                    return self.market.initial_chart(self.data.as_ref());
                }
            }
            Event::Chart(c) => self.market.chart = Some(c),
            Event::Saved(message) => {
                if self.form.as_ref().is_some_and(|f| f.saving) {
                    self.form = None;
                }
                self.status.message = Some(message);
                self.status.error = None;
                self.status.busy = None;
            }
            Event::Progress { done, total } => {
                self.backtest.running = Some((done, total));
                self.status.busy = Some(format!("backtest {done}/{total}"));
            }
            Event::Backtest(outcome) => {
                self.status.busy = None;
                self.status.message = Some(self.backtest.finished(*outcome));
                self.status.error = None;
            }
            Event::Cancelled => {
                self.backtest.running = None;
                self.status.busy = None;
                self.status.message = Some("Backtest cancelled".into());
            }
            Event::BacktestFailed(message) => {
                self.backtest.running = None;
                self.status.busy = None;
                self.status.error = Some(message);
            }
            Event::Failed(message) => {
                self.status.busy = None;
                if let Some(form) = self.form.as_mut().filter(|f| f.saving) {
                    form.saving = false;
                    form.error = Some(message.clone());
                }
                self.status.error = Some(message);
            }
        }
        Vec::new()
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if let Some(form) = self.form.as_mut() {
            return match form.on_key(key) {
                FormResult::Stay => Vec::new(),
                FormResult::Close => {
                    self.form = None;
                    Vec::new()
                }
                FormResult::Submit => match forms::command(form) {
                    Some(cmd) => {
                        form.saving = true;
                        self.status.busy = Some("saving".into());
                        vec![cmd]
                    }
                    None => Vec::new(),
                },
            };
        }
        if self.help {
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q')
            ) {
                self.help = false;
            }
            return Vec::new();
        }
        if self.tab == Tab::Market && self.market.filtering {
            let effect = self.market.filter_key(key);
            return self.with_effect(effect);
        }
        match action_for(self.tab, key) {
            Some(action) => self.on_action(action),
            None => Vec::new(),
        }
    }

    fn on_action(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::Quit => self.quit = true,
            Action::NextTab => return self.show(self.tab.offset(1)),
            Action::PrevTab => return self.show(self.tab.offset(-1)),
            Action::GoTab(t) => return self.show(t),
            Action::Help => self.help = true,
            Action::Refresh => {
                self.status.busy = Some("refreshing".into());
                return vec![Command::Refresh];
            }
            Action::Back => {
                self.status.error = None;
                self.status.message = None;
            }
            _ => return self.tab_action(action),
        }
        Vec::new()
    }

    fn show(&mut self, tab: Tab) -> Vec<Command> {
        self.tab = tab;
        if tab == Tab::Backtest {
            let effect = self.backtest.on_show();
            return self.with_effect(effect);
        }
        Vec::new()
    }

    fn tab_action(&mut self, action: Action) -> Vec<Command> {
        if self.tab == Tab::Backtest {
            // Esc cancels a running backtest; otherwise it clears the status like everywhere.
            if action == Action::Cancel && self.backtest.running.is_none() {
                return self.on_action(Action::Back);
            }
            let effect = self.backtest.on_action(action, self.today);
            return self.with_effect(effect);
        }
        let Some(data) = self.data.as_ref() else {
            return Vec::new();
        };
        let today = self.today;
        let effect = match self.tab {
            Tab::Account => account::on_action(action, data, today),
            Tab::Market => self.market.on_action(action, data, today),
            Tab::Holdings => self.holdings.on_action(action, data, today),
            Tab::Optimization => self.optimization.on_action(action, data, today),
            Tab::Signals => self.signals.on_action(action, data, today),
            Tab::Backtest => Effect::None,
        };
        self.with_effect(effect)
    }

    fn with_effect(&mut self, effect: Effect) -> Vec<Command> {
        match effect {
            Effect::None => Vec::new(),
            Effect::Send(cmd) => {
                let label = match cmd {
                    Command::RunBacktest(_) => "backtest starting",
                    Command::CancelBacktest => "cancelling",
                    _ => "working",
                };
                self.status.busy = Some(label.into());
                vec![cmd]
            }
            Effect::Open(form) => {
                self.form = Some(form);
                Vec::new()
            }
            Effect::Note(message) => {
                self.status.message = Some(message);
                Vec::new()
            }
        }
    }
}
