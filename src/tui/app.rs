//! The app's state and `update`, the only place state changes. Keys become [`Action`]s
//! through the key tables; each tab interprets the actions for its own view.

use std::path::PathBuf;

use chrono::NaiveDate;
use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};

use super::data::Dashboard;
use super::forms::{self, Form, FormResult};
use super::keys::{action_for, is_interrupt, Action};
use super::tabs::{account, backtest, holdings, market, optimization, signals};
use super::view::Panels;
use super::widgets::detail::Detail;
use super::worker::{Command, Event, Job, JobId};
use crate::service::import::ImportKind;

pub use super::view::{Effect, Tab};

/// What the app learns from outside: a key, a mouse event, a worker event, a timer tick.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Worker(Event),
    Tick,
}

/// The busy label of a chart being loaded: the chart's arrival ends it.
const CHART_BUSY: &str = "loading chart";

/// Rows the mouse wheel scrolls per notch.
const WHEEL_ROWS: usize = 3;

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
    pub help_scroll: super::widgets::scroll::TextState,
    pub form: Option<Form>,
    pub quit: bool,
    /// The detail pane over the tab (Enter or d on a row).
    pub detail: Option<Detail>,
    /// The width of the last frame: the tab bar's layout, for clicks, depends on it.
    pub frame_width: std::cell::Cell<u16>,
    pub account: account::State,
    pub market: market::State,
    pub holdings: holdings::State,
    pub optimization: optimization::State,
    pub signals: signals::State,
    pub backtest: backtest::State,
    pub fetch: super::fetch_job::State,
    /// The id of the last job sent; each command gets the next one.
    last_job: u64,
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
            help_scroll: Default::default(),
            form: None,
            quit: false,
            detail: None,
            frame_width: std::cell::Cell::new(super::ui::MIN_WIDTH),
            account: account::State::default(),
            market: market::State::default(),
            holdings: holdings::State::default(),
            optimization: optimization::State::default(),
            signals: signals::State::default(),
            backtest: backtest::State::default(),
            fetch: super::fetch_job::State::default(),
            last_job: 0,
        }
    }

    /// The jobs to send when the app starts: a quick first load, then the full one with the
    /// journal judged.
    pub fn start(&mut self) -> Vec<Job> {
        vec![self.send(Command::Start), self.send(Command::Refresh)]
    }

    /// The only way a command leaves the app: under a fresh job id, which its answers carry.
    /// A backtest's id goes to the Backtest tab, so that its answers move its gauge.
    fn send(&mut self, command: Command) -> Job {
        self.last_job += 1;
        let id = JobId(self.last_job);
        if let Command::RunBacktest(request) = &command {
            self.backtest.submitted(id, request.clone());
        }
        Job { id, command }
    }

    fn form_waits_for(&self, job: JobId) -> bool {
        self.form.as_ref().is_some_and(|f| f.waits_for(job))
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Job> {
        match msg {
            Msg::Tick => {
                self.status.spinner = self.status.spinner.wrapping_add(1);
                Vec::new()
            }
            Msg::Worker(event) => self.on_event(event),
            Msg::Key(key) => self.on_key(key),
            Msg::Mouse(mouse) => self.on_mouse(mouse),
        }
    }

    /// The current tab's panels, for the keys every list shares and the mouse.
    fn panels(&mut self) -> &mut dyn Panels {
        match self.tab {
            Tab::Account => &mut self.account,
            Tab::Market => &mut self.market,
            Tab::Holdings => &mut self.holdings,
            Tab::Optimization => &mut self.optimization,
            Tab::Signals => &mut self.signals,
            Tab::Backtest => &mut self.backtest,
        }
    }

    /// A click on the tab bar switches tabs, on a row selects it (and focuses its panel), on
    /// a form's field moves the form's focus there; the wheel scrolls the panel with the
    /// focus. The help and the detail pane take no clicks: their keys are shown in them.
    fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Job> {
        if let Some(form) = self.form.as_mut() {
            if mouse.kind == MouseEventKind::Down(MouseButton::Left) {
                form.click(mouse.column, mouse.row);
            }
            return Vec::new();
        }
        if self.help {
            return Vec::new();
        }
        let scroll = match mouse.kind {
            MouseEventKind::ScrollDown => Some(Action::Down),
            MouseEventKind::ScrollUp => Some(Action::Up),
            _ => None,
        };
        if let Some(action) = scroll {
            if let Some(d) = self.detail.as_mut() {
                for _ in 0..WHEEL_ROWS {
                    d.scroll.on_action(action);
                }
                return Vec::new();
            }
            return (0..WHEEL_ROWS)
                .flat_map(|_| self.tab_action(action))
                .collect();
        }
        if mouse.kind != MouseEventKind::Down(MouseButton::Left) || self.detail.is_some() {
            return Vec::new();
        }
        if mouse.row == 0 {
            return match super::ui::tab_at(mouse.column, self.frame_width.get()) {
                Some(tab) => self.show(tab),
                None => Vec::new(),
            };
        }
        self.panels().click(mouse.column, mouse.row);
        Vec::new()
    }

    /// A worker event. Each answer names its job: a form closes on the success (or, for a
    /// backtest, the acceptance) of the job it waits for and on nothing else; the Backtest tab
    /// follows only the run it started.
    fn on_event(&mut self, event: Event) -> Vec<Job> {
        if self.fetch.on_event(&event, &mut self.status) && !matches!(event, Event::Failed { .. }) {
            return Vec::new();
        }
        match event {
            Event::Fetching { .. } | Event::Fetched { .. } => {}
            Event::Loaded(d) => {
                self.status.busy = d.journal_pending.then(|| "judging the journal".to_string());
                let first = self.data.is_none();
                self.data = Some(*d);
                if first {
                    let charts = self.market.initial_chart(self.data.as_ref());
                    return charts.into_iter().map(|c| self.send(c)).collect();
                }
            }
            Event::Chart(c) => {
                self.market.chart = Some(c);
                // The spinner stood for this chart's loading.
                if self.status.busy.as_deref() == Some(CHART_BUSY) {
                    self.status.busy = None;
                }
            }
            Event::Accepted { job } => {
                // A backtest's parameters form closes once the run has started; the tab
                // shows its progress, Esc cancels it.
                if self.form_waits_for(job) {
                    self.form = None;
                }
                if self.backtest.accepted(job) {
                    self.status.busy = Some("backtest running".into());
                }
            }
            Event::Saved { job, message } => {
                if self.form_waits_for(job) {
                    self.form = None;
                }
                self.status.message = Some(message);
                self.status.error = None;
                self.status.busy = None;
            }
            Event::Progress { job, done, total } => {
                if self.backtest.progress(job, done, total) {
                    self.status.busy = Some(format!("backtest {done}/{total}"));
                }
            }
            Event::Backtest { job, outcome } => {
                if let Some(message) = self.backtest.finished(job, *outcome) {
                    self.status.busy = None;
                    self.status.message = Some(message);
                    self.status.error = None;
                }
            }
            Event::Cancelled { job } => {
                if self.backtest.stopped(job) {
                    self.status.busy = None;
                    self.status.message = Some("Backtest cancelled".into());
                }
            }
            Event::Failed { job, message } => {
                self.status.busy = None;
                if let Some(form) = self.form.as_mut().filter(|f| f.waits_for(job)) {
                    form.saving = None;
                    form.error = Some(message.clone());
                }
                self.backtest.stopped(job);
                self.status.error = Some(message);
            }
        }
        Vec::new()
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Job> {
        // Ctrl-C quits from anywhere: a form (saving or not), the help, the filter line.
        if is_interrupt(key) {
            self.quit = true;
            return Vec::new();
        }
        if let Some(form) = self.form.as_mut() {
            return match form.on_key(key) {
                FormResult::Stay => Vec::new(),
                FormResult::Close => {
                    self.form = None;
                    Vec::new()
                }
                FormResult::Submit => self.submit(),
            };
        }
        if self.help {
            match action_for(self.tab, key) {
                Some(Action::Back | Action::Help | Action::Quit) => self.help = false,
                Some(action) => {
                    self.help_scroll.on_action(action);
                }
                None => {}
            }
            return Vec::new();
        }
        if let Some(detail) = self.detail.as_mut() {
            match action_for(self.tab, key) {
                Some(Action::Back | Action::Detail | Action::Quit) => self.detail = None,
                Some(action) => {
                    detail.scroll.on_action(action);
                }
                None => {}
            }
            return Vec::new();
        }
        if let Some(list) = self.panels().filtering() {
            list.filter_key(key);
            return Vec::new();
        }
        match action_for(self.tab, key) {
            Some(action) => self.on_action(action),
            None => Vec::new(),
        }
    }

    /// Sends the open form's command; the form then waits for the answer to that job.
    fn submit(&mut self) -> Vec<Job> {
        let Some(submission) = self.form.as_ref().and_then(|f| f.evaluate().submission) else {
            return Vec::new();
        };
        let command = match submission {
            forms::Submission::Apply(op) => Command::Apply(op),
            forms::Submission::Backtest(request) => Command::RunBacktest(request),
            forms::Submission::Import(request) => Command::Import(request),
            // Applied here: a filter is the app's own state, nothing goes to the database.
            forms::Submission::JournalWindow(window) => {
                self.form = None;
                self.status.message = Some(self.signals.set_window(window));
                self.status.error = None;
                return Vec::new();
            }
        };
        let busy = match command {
            Command::RunBacktest(_) => "backtest starting",
            Command::Import(_) => "importing",
            _ => "saving",
        };
        self.status.busy = Some(busy.into());
        let job = self.send(command);
        if let Some(form) = self.form.as_mut() {
            form.saving = Some(job.id);
            form.error = None;
        }
        vec![job]
    }

    fn on_action(&mut self, action: Action) -> Vec<Job> {
        match action {
            Action::Quit => self.quit = true,
            Action::NextTab => return self.show(self.tab.offset(1)),
            Action::PrevTab => return self.show(self.tab.offset(-1)),
            Action::GoTab(t) => return self.show(t),
            Action::Help => {
                self.help = true;
                self.help_scroll = Default::default();
            }
            Action::Refresh => {
                self.status.busy = Some("refreshing".into());
                return vec![self.send(Command::Refresh)];
            }
            // Esc stops a fetch under way, from any tab.
            Action::Back if self.fetch.running.is_some() => {
                let target = self.fetch.running.unwrap_or(JobId(0));
                self.status.busy = Some("cancelling the fetch".into());
                return vec![self.send(Command::CancelFetch(target))];
            }
            Action::Fetch => {
                if self.fetch.running.is_some() {
                    return Vec::new();
                }
                self.status.busy = Some("fetch starting".into());
                self.status.error = None;
                let job = self.send(Command::Fetch);
                self.fetch.running = Some(job.id);
                return vec![job];
            }
            // From any tab; prefilled with the checklist's first undone file (issue 17).
            Action::Import => {
                let kind = self
                    .data
                    .as_ref()
                    .map_or(ImportKind::Portfolio, |d| d.first_run.import_kind());
                return self.with_effect(Effect::Open(forms::import(kind, self.today)));
            }
            Action::Back => {
                // Esc undoes the nearest thing: a running backtest, a filter, the message.
                if self.tab == Tab::Backtest {
                    if let Some(effect) = self.backtest.cancel() {
                        return self.with_effect(effect);
                    }
                }
                if !self.panels().clear_filter() {
                    self.status.error = None;
                    self.status.message = None;
                }
            }
            _ => return self.tab_action(action),
        }
        Vec::new()
    }

    fn show(&mut self, tab: Tab) -> Vec<Job> {
        self.tab = tab;
        if tab == Tab::Backtest {
            let effect = self.backtest.on_show();
            return self.with_effect(effect);
        }
        Vec::new()
    }

    fn tab_action(&mut self, action: Action) -> Vec<Job> {
        if self.tab == Tab::Backtest {
            let effect = self.backtest.on_action(action, self.today);
            return self.with_effect(effect);
        }
        let Some(data) = self.data.as_ref() else {
            return Vec::new();
        };
        let today = self.today;
        let effect = match self.tab {
            Tab::Account => self.account.on_action(action, data, today),
            Tab::Market => self.market.on_action(action, data, today),
            Tab::Holdings => self.holdings.on_action(action, data, today),
            Tab::Optimization => self.optimization.on_action(action, data, today),
            Tab::Signals => self.signals.on_action(action, data, today),
            Tab::Backtest => Effect::None,
        };
        self.with_effect(effect)
    }

    fn with_effect(&mut self, effect: Effect) -> Vec<Job> {
        match effect {
            Effect::None => Vec::new(),
            Effect::Send(cmd) => {
                let label = match cmd {
                    Command::RunBacktest(_) => "backtest starting",
                    Command::CancelBacktest(_) => "cancelling",
                    Command::LoadChart(_) => CHART_BUSY,
                    _ => "working",
                };
                self.status.busy = Some(label.into());
                vec![self.send(cmd)]
            }
            Effect::Open(form) => {
                self.form = Some(form);
                Vec::new()
            }
            Effect::Note(message) => {
                self.status.message = Some(message);
                Vec::new()
            }
            Effect::Detail(detail) => {
                self.detail = Some(detail);
                Vec::new()
            }
        }
    }
}
