//! The Account tab's "Getting started" panel (issue 17): a new database's four steps, each
//! ✓ done (with what it holds) or · to do (with the keys that do it in the app). When it
//! shows is `FirstRun::shown`.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::tui::first_run::{FirstRun, Step};
use crate::tui::theme;
use crate::tui::widgets::panel;

/// Borders, the sentence, the four steps and two lines about fetching.
pub const HEIGHT: u16 = 9;

pub fn render(frame: &mut Frame, area: Rect, first_run: &FirstRun) {
    let title = format!(
        "Getting started · {} of {} done",
        first_run.done_count(),
        Step::ALL.len()
    );
    let mut lines = vec![Line::styled(
        "The morning check needs holdings, prices and balances (watchlist: optional).",
        theme::dim(),
    )];
    lines.extend(Step::ALL.iter().map(|s| step_line(first_run, *s)));
    if !first_run.done(Step::Prices) {
        lines.push(Line::styled(
            "f: Polygon needs a key (polygon_api_key in the config, or POLYGON_API_KEY); \
             Stooq (providers.default = \"stooq\") needs none.",
            theme::dim(),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(panel(&title)),
        area,
    );
}

fn step_line(first_run: &FirstRun, step: Step) -> Line<'static> {
    let (mark, mark_style, text, text_style) = if first_run.done(step) {
        ("✓", theme::good(), first_run.done_text(step), theme::dim())
    } else {
        (
            "·",
            theme::warn(),
            first_run.todo_text(step),
            Default::default(),
        )
    };
    Line::from(vec![
        Span::styled(format!("{mark} "), mark_style),
        Span::styled(format!("{:<11}", step.title()), theme::header()),
        Span::styled(text, text_style),
    ])
}
