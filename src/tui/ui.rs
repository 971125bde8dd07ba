//! `render(&App, frame)`: reads state only (lists note where they were drawn, for the
//! mouse). Tabs line, the stale-data banner, the current tab, a long message, the status
//! bar and the context footer, then whichever overlay is open (a form, the detail, the help).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::app::App;
use super::tabs::{self, account, backtest, holdings, market, optimization, signals};
use super::theme;
use super::view::Tab;
use super::widgets::{detail, footer, form, help, scroll, status};

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
    let banner = stale_banner(app)
        .map(|text| scroll::wrap(Line::styled(text, theme::warn()), area.width as usize))
        .unwrap_or_default();
    let message = long_message(app, area.width);
    let [tabs_area, banner_area, body, message_area, status_area, footer_area] =
        Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(banner.len().min(3) as u16),
            Constraint::Min(10),
            Constraint::Length(message.len().min(3) as u16),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
    render_tabs(frame, tabs_area, app);
    frame.render_widget(Paragraph::new(banner), banner_area);
    render_body(frame, body, app);
    frame.render_widget(Paragraph::new(message), message_area);
    status::render(frame, status_area, app, area.width);
    footer::render(frame, footer_area, app);
    if let Some(f) = &app.form {
        form::render(frame, body, f);
    } else if let Some(d) = &app.detail {
        detail::render(frame, body, d);
    } else if app.help {
        help::render(frame, body, app.tab, &app.help_scroll);
    }
}

/// "STALE PRICES: the newest SPY bar is …; run `ducklens fetch`": on every tab while the
/// newest price lags today by more than the staleness threshold.
fn stale_banner(app: &App) -> Option<String> {
    let a = app.data.as_ref()?.analysis.as_ref()?;
    a.warnings
        .iter()
        .find(|w| w.starts_with("STALE PRICES"))
        .map(|w| format!("⚠ {w}"))
}

/// The status message or error wrapped onto its own lines when the status bar cannot hold
/// it, so that nothing it says is cut.
fn long_message(app: &App, width: u16) -> Vec<Line<'static>> {
    let (text, style) = match (&app.status.error, &app.status.message) {
        (Some(e), _) => (format!("✗ {e}"), theme::bad()),
        (None, Some(m)) => (m.clone(), theme::good()),
        _ => return Vec::new(),
    };
    if status::fits(app, width) {
        return Vec::new();
    }
    scroll::wrap(Line::styled(text, style), width.saturating_sub(1) as usize)
}

/// Each tab's name in the bar and its columns: full names when they fit, short ones else.
fn tab_labels(width: u16) -> Vec<(u16, u16, Tab, String)> {
    let full: Vec<String> = Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{} {}", i + 1, t.title()))
        .collect();
    let needed: usize = full.iter().map(|t| t.chars().count() + 3).sum::<usize>();
    let labels: Vec<String> = if needed <= width as usize {
        full
    } else {
        Tab::ALL
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{} {}", i + 1, t.short_title()))
            .collect()
    };
    let mut x = 0u16;
    labels
        .into_iter()
        .zip(Tab::ALL)
        .map(|(label, tab)| {
            let w = label.chars().count() as u16 + 2;
            let cell = (x, x + w, tab, label);
            x += w + 1;
            cell
        })
        .collect()
}

/// The tab under column `x` of a tab bar `width` wide (the mouse), as `render_tabs` lays
/// it out.
pub fn tab_at(x: u16, width: u16) -> Option<Tab> {
    tab_labels(width)
        .into_iter()
        .find(|(from, to, _, _)| x >= *from && x < *to)
        .map(|(_, _, tab, _)| tab)
}

fn render_tabs(frame: &mut Frame, area: Rect, app: &App) {
    app.frame_width.set(area.width);
    let labels = tab_labels(area.width);
    let mut spans = Vec::new();
    let mut end = 0;
    for (i, (_, to, tab, label)) in labels.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", theme::dim()));
        }
        let style = if tab == app.tab {
            theme::selected()
        } else {
            ratatui::style::Style::default()
        };
        spans.push(Span::styled(format!(" {label} "), style));
        end = to;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if area.width.saturating_sub(end) > 10 {
        frame.render_widget(
            Paragraph::new(Span::styled("DuckLens ", theme::title())).right_aligned(),
            area,
        );
    }
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
        Tab::Account => account::render(frame, area, &app.account, data),
        Tab::Market => market::render(frame, area, &app.market, data),
        Tab::Holdings => holdings::render(frame, area, &app.holdings, data),
        Tab::Optimization => optimization::render(frame, area, &app.optimization, data),
        Tab::Signals => signals::render(frame, area, &app.signals, data),
        Tab::Backtest => backtest::render(frame, area, &app.backtest),
    }
}
