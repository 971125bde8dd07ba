//! The context footer (as gitui's command bar): the focused panel's keys, generated from the
//! key tables, or the `/` line and its match count while a filter is typed or set.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::app::App;
use crate::tui::keys::{footer_hints, tab_bindings, GLOBAL};
use crate::tui::theme;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    frame.render_widget(Paragraph::new(line(app, area.width)), area);
}

/// The footer's text in `width` columns: what the keys do now. Hints that do not fit are
/// left out whole (never cut mid-word); `? keys` at the end lists them all.
pub fn line(app: &App, width: u16) -> Line<'static> {
    if app.form.is_some() {
        return hint("Tab/Shift-Tab field · Enter saves · Esc closes · Ctrl-C quits");
    }
    if app.help {
        return hint("Esc or ? closes the help");
    }
    if app.detail.is_some() {
        return hint("j/k PgDn/PgUp scroll · Esc closes");
    }
    let list = panels_list(app);
    if let Some(l) = list.filter(|l| l.filtering) {
        let d = l.drawn.get();
        return Line::from(vec![
            Span::styled(format!(" /{}▏", l.filter), theme::title()),
            Span::styled(
                format!(
                    "  {} of {} match · Enter keeps · Esc clears",
                    d.shown, d.total
                ),
                theme::dim(),
            ),
        ]);
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(l) = list.filter(|l| !l.filter.is_empty()) {
        let d = l.drawn.get();
        parts.push(format!(
            "{} of {} match /{} (Esc clears)",
            d.shown, d.total, l.filter
        ));
    }
    parts.extend(footer_hints(tab_bindings(app.tab)));
    if list.is_some() {
        parts.extend(footer_hints(GLOBAL));
    } else {
        parts.push("j/k scroll".into());
        parts.extend(
            footer_hints(GLOBAL)
                .into_iter()
                .filter(|h| h.starts_with('v')),
        );
    }
    let room = (width as usize).saturating_sub(" · ? keys ".len());
    let mut text = String::new();
    for p in parts {
        let next = if text.is_empty() {
            p.clone()
        } else {
            format!("{text} · {p}")
        };
        if next.chars().count() > room {
            break;
        }
        text = next;
    }
    text.push_str(if text.is_empty() {
        "? keys"
    } else {
        " · ? keys"
    });
    hint(&text)
}

fn hint(text: &str) -> Line<'static> {
    Line::styled(format!(" {text}"), theme::dim())
}

fn panels_list(app: &App) -> Option<&crate::tui::widgets::list::ListState> {
    use crate::tui::view::{Panels, Tab};
    match app.tab {
        Tab::Account => app.account.focused_list(),
        Tab::Market => app.market.focused_list(),
        Tab::Holdings => app.holdings.focused_list(),
        Tab::Optimization => app.optimization.focused_list(),
        Tab::Signals => app.signals.focused_list(),
        Tab::Backtest => app.backtest.focused_list(),
    }
}
