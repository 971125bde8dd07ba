//! One file per tab: each reads top to bottom as layout, then each block. Tabs with their
//! own selection keep it in a `State` next to their render function.

pub mod account;
mod account_ledger;
mod account_performance;
pub mod backtest;
mod backtest_panels;
mod getting_started;
pub mod holdings;
pub mod market;
mod market_state;
pub mod optimization;
pub mod signals;

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::theme;
use super::widgets::panel;

/// A panel holding one sentence: how every empty state is shown.
pub fn sentence(frame: &mut Frame, area: Rect, title: &str, text: &str) {
    frame.render_widget(
        Paragraph::new(Line::styled(text.to_string(), theme::dim()))
            .wrap(Wrap { trim: true })
            .block(panel(title)),
        area,
    );
}

/// `label  value` lines with the labels padded to one width.
pub fn key_values(pairs: Vec<(&str, ratatui::text::Span<'static>)>) -> Vec<Line<'static>> {
    let width = pairs
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    pairs
        .into_iter()
        .map(|(k, v)| {
            Line::from(vec![
                ratatui::text::Span::styled(format!("{k:<width$}  "), theme::dim()),
                v,
            ])
        })
        .collect()
}
