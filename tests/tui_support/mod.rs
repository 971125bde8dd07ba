//! What the app's key-driven tests share: the demo's dashboard, SPY chart, backtest and
//! sweep built once per test binary, an app loaded with them, keys, and the screen as text.
#![allow(dead_code, unused_imports)]

pub use std::path::PathBuf;
pub use std::sync::atomic::AtomicBool;
pub use std::sync::{Mutex, OnceLock};

pub use chrono::NaiveDate;
pub use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
pub use ducklens::config::Config;
pub use ducklens::domain::backtest::Frequency;
pub use ducklens::domain::symbol::Symbol;
pub use ducklens::service::ops::{Op, SwapRef};
pub use ducklens::service::Context;
pub use ducklens::store::Store;
pub use ducklens::tui::app::{App, Msg, Tab};
pub use ducklens::tui::backtest_job::{self, BacktestOutcome, BacktestRequest};
pub use ducklens::tui::data::{self, ChartData, Dashboard};
pub use ducklens::tui::ui;
pub use ducklens::tui::worker::{Command, Event, Job, JobId};
pub use ratatui::backend::TestBackend;
pub use ratatui::Terminal;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

pub struct Demo {
    pub dashboard: Dashboard,
    pub chart: ChartData,
    pub backtest: BacktestOutcome,
    pub sweep: BacktestOutcome,
}

/// The demo's dashboard, SPY chart, default backtest and sweep, built once for the file.
pub fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
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
        let dashboard = data::load_dashboard(&ctx, &mut store).unwrap();
        let chart = data::load_chart(&store, &Symbol::parse("SPY").unwrap()).unwrap();
        let store = ducklens::store::SharedStore::new(store);
        let (events, _ignored) = tokio::sync::mpsc::unbounded_channel();
        let cancel = AtomicBool::new(false);
        let mut request = BacktestRequest::default();
        let backtest = backtest_job::run(&ctx, &store, JobId(1), &request, &cancel, &events)
            .unwrap()
            .unwrap();
        request.sweep = true;
        let sweep = backtest_job::run(&ctx, &store, JobId(2), &request, &cancel, &events)
            .unwrap()
            .unwrap();
        Demo {
            dashboard,
            chart,
            backtest,
            sweep,
        }
    })
}

pub fn app() -> App {
    let Demo {
        dashboard, chart, ..
    } = demo();
    let (dashboard, chart) = (dashboard.clone(), chart.clone());
    let mut app = App::new(PathBuf::from("demo.duckdb"), true, today());
    app.update(Msg::Worker(Event::Loaded(Box::new(dashboard))));
    app.update(Msg::Worker(Event::Chart(chart)));
    app
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl_c() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

/// Types `keys`; the jobs they sent, ids included.
pub fn press_jobs(app: &mut App, keys: &str) -> Vec<Job> {
    keys.chars()
        .flat_map(|c| app.update(key(KeyCode::Char(c))))
        .collect()
}

pub fn commands(jobs: Vec<Job>) -> Vec<Command> {
    jobs.into_iter().map(|j| j.command).collect()
}

pub fn press(app: &mut App, keys: &str) -> Vec<Command> {
    commands(press_jobs(app, keys))
}

/// Presses Enter on a valid form: the one job it sends.
pub fn enter(app: &mut App) -> Job {
    let sent = app.update(key(KeyCode::Enter));
    let [job] = &sent[..] else {
        panic!("Enter sent {sent:?}")
    };
    job.clone()
}

pub fn answer(app: &mut App, event: Event) {
    app.update(Msg::Worker(event));
}

pub fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| ui::render(app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        for x in 0..width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The screen's last line: the context footer.
pub fn footer(app: &App, width: u16, height: u16) -> String {
    screen(app, width, height)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

pub fn snap(name: &str, app: &App, width: u16, height: u16) {
    let text = screen(app, width, height);
    insta::with_settings!({snapshot_path => "../../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!(name, text);
    });
}

pub fn special(app: &mut App, code: KeyCode) -> Vec<Command> {
    commands(app.update(key(code)))
}
