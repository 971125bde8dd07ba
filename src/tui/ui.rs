//! `render(&App, frame)`: pure, reads state only. Tabs line, the current tab, the status
//! bar, then whichever overlay is open (a form, or the help).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};
use ratatui::Frame;

use super::app::App;
use super::tabs::{self, account, backtest, holdings, market, optimization, signals};
use super::theme;
use super::view::Tab;
use super::widgets::{form, help, status};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "terminal too small (need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{})",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(Line::styled(text, theme::warn())), area);
        return;
    }
    let [tabs_area, body, status_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(10),
        Constraint::Length(1),
    ])
    .areas(area);
    render_tabs(frame, tabs_area, app);
    render_body(frame, body, app);
    status::render(frame, status_area, app);
    if let Some(f) = &app.form {
        form::render(frame, body, f);
    } else if app.help {
        help::render(frame, body, app.tab);
    }
}

fn render_tabs(frame: &mut Frame, area: Rect, app: &App) {
    let titles = Tab::ALL.iter().enumerate().map(|(i, t)| {
        Line::from(vec![
            Span::styled(format!("{}", i + 1), theme::dim()),
            Span::raw(format!(" {}", t.title())),
        ])
    });
    let selected = Tab::ALL.iter().position(|t| *t == app.tab).unwrap_or(0);
    let [left, right] =
        Layout::horizontal([Constraint::Min(60), Constraint::Length(14)]).areas(area);
    frame.render_widget(
        Tabs::new(titles)
            .select(selected)
            .highlight_style(theme::selected())
            .divider("│"),
        left,
    );
    frame.render_widget(
        Paragraph::new(Span::styled("DuckLens ", theme::title())).right_aligned(),
        right,
    );
}

fn render_body(frame: &mut Frame, area: Rect, app: &App) {
    let Some(data) = app.data.as_ref() else {
        return tabs::sentence(
            frame,
            area,
            app.tab.title(),
            "Loading the portfolio, market data and journal…",
        );
    };
    match app.tab {
        Tab::Account => account::render(frame, area, data),
        Tab::Market => market::render(frame, area, &app.market, data),
        Tab::Holdings => holdings::render(frame, area, &app.holdings, data),
        Tab::Optimization => optimization::render(frame, area, &app.optimization, data),
        Tab::Signals => signals::render(frame, area, &app.signals, data),
        Tab::Backtest => backtest::render(frame, area, &app.backtest),
    }
}
