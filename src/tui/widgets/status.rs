//! The status line: data as-of date and staleness, the database (DEMO marked), background
//! work, and the last message or error (on lines of its own above when it does not fit).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::app::App;
use crate::tui::theme;

const SPINNER: [&str; 4] = ["⠋", "⠙", "⠸", "⠴"];

fn fixed_spans(app: &App) -> Vec<Span<'static>> {
    let mut spans = vec![freshness(app)];
    spans.extend(
        app.data
            .as_ref()
            .map(super::live_mark::spans)
            .unwrap_or_default(),
    );
    if app.status.demo || app.data.as_ref().is_some_and(|d| d.demo) {
        spans.push(Span::styled(" DEMO ", theme::demo_badge()));
    }
    spans.push(Span::styled(
        format!(" {} ", app.status.db_path.display()),
        theme::dim(),
    ));
    if let Some(job) = &app.status.busy {
        let frame_no = app.status.spinner % SPINNER.len();
        spans.push(Span::styled(
            format!(" {} {job} ", SPINNER[frame_no]),
            theme::warn(),
        ));
    }
    spans
}

fn message_span(app: &App) -> Option<Span<'static>> {
    if let Some(e) = &app.status.error {
        Some(Span::styled(format!(" ✗ {e}"), theme::bad()))
    } else {
        app.status
            .message
            .as_ref()
            .map(|m| Span::styled(format!(" {m}"), theme::good()))
    }
}

/// Whether the message (if any) fits on the status line of `width` columns.
pub fn fits(app: &App, width: u16) -> bool {
    let used: usize = fixed_spans(app).iter().map(|s| s.width()).sum();
    used + message_span(app).map_or(0, |s| s.width()) <= width as usize
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, width: u16) {
    let mut spans = fixed_spans(app);
    if fits(app, width) {
        spans.extend(message_span(app));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// "data 2026-03-31 (2 days old)" in yellow when older than 3 days.
fn freshness(app: &App) -> Span<'static> {
    let Some(a) = app.data.as_ref().and_then(|d| d.analysis.as_ref()) else {
        return Span::styled(" no market data ", theme::warn());
    };
    let age = (app.today - a.as_of).num_days();
    let text = match age {
        0 => format!(" data {} (today) ", a.as_of),
        1 => format!(" data {} (1 day old) ", a.as_of),
        n => format!(" data {} ({n} days old) ", a.as_of),
    };
    Span::styled(
        text,
        if age > 3 {
            theme::warn()
        } else {
            theme::good()
        },
    )
}
