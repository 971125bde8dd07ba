//! A panel of text that scrolls: the lines are wrapped to the panel's width here (so the
//! scroll position counts screen rows), a scrollbar on the right border shows where the view
//! is, and the bottom border says how many rows lie below.

use std::cell::Cell;

use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};
use ratatui::Frame;

use super::panel_focused;
use crate::tui::keys::Action;
use crate::tui::theme;

#[derive(Debug, Default)]
pub struct TextState {
    /// The first wrapped row shown.
    pub offset: usize,
    /// Rows that fit and rows in all, as last drawn: paging and clamping need them.
    drawn: Cell<(usize, usize)>,
}

impl TextState {
    /// A movement key; false when `action` is not one.
    pub fn on_action(&mut self, action: Action) -> bool {
        let (height, total) = self.drawn.get();
        let last = total.saturating_sub(height.max(1));
        let at = self.offset.min(last);
        self.offset = match action {
            Action::Down => (at + 1).min(last),
            Action::Up => at.saturating_sub(1),
            Action::PageDown => (at + height.max(1)).min(last),
            Action::PageUp => at.saturating_sub(height.max(1)),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        true
    }
}

/// Draws `lines` wrapped to the panel, from `state.offset`.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    state: &TextState,
    focused: bool,
) {
    let inner_width = area.width.saturating_sub(2) as usize;
    let height = area.height.saturating_sub(2) as usize;
    let rows: Vec<Line> = lines
        .into_iter()
        .flat_map(|l| wrap(l, inner_width.max(1)))
        .collect();
    let total = rows.len();
    state.drawn.set((height, total));
    let offset = state.offset.min(total.saturating_sub(height));
    let mut block = panel_focused(title, focused);
    let below = total.saturating_sub(offset + height);
    if below > 0 {
        block = block.title_bottom(
            Line::styled(
                format!(
                    "↓ {below} more row{} (j)",
                    if below == 1 { "" } else { "s" }
                ),
                theme::warn(),
            )
            .right_aligned(),
        );
    }
    let shown: Vec<Line> = rows.into_iter().skip(offset).take(height).collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
    if total > height {
        let mut bar = ScrollbarState::new(total - height).position(offset);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight),
            area.inner(Margin {
                vertical: 1,
                horizontal: 0,
            }),
            &mut bar,
        );
    }
}

/// Word-wraps one line to `width` columns, keeping each word's style; a word longer than
/// the width is cut into pieces.
pub fn wrap(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let style = line.style;
    let mut out: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0usize;
    for span in line.spans {
        let mut rest = span.content.as_ref();
        while !rest.is_empty() {
            // The next word with the spaces before it.
            let lead = rest.len() - rest.trim_start_matches(' ').len();
            let word_end = rest[lead..].find(' ').map_or(rest.len(), |i| i + lead);
            let piece = &rest[..word_end];
            let piece_width = piece.chars().count();
            if used + piece_width > width && used > 0 {
                out.push(Vec::new());
                used = 0;
                let word = piece.trim_start_matches(' ');
                push_cut(&mut out, &mut used, word, span.style, width);
            } else {
                push_cut(&mut out, &mut used, piece, span.style, width);
            }
            rest = &rest[word_end..];
        }
    }
    out.into_iter()
        .map(|spans| Line::from(spans).style(style))
        .collect()
}

fn push_cut(
    out: &mut Vec<Vec<Span<'static>>>,
    used: &mut usize,
    text: &str,
    style: ratatui::style::Style,
    width: usize,
) {
    let mut chars: Vec<char> = text.chars().collect();
    while *used + chars.len() > width && !chars.is_empty() {
        let room = width.saturating_sub(*used).max(1);
        let head: String = chars.drain(..room.min(chars.len())).collect();
        if let Some(l) = out.last_mut() {
            l.push(Span::styled(head, style));
        }
        out.push(Vec::new());
        *used = 0;
    }
    if !chars.is_empty() {
        *used += chars.len();
        let s: String = chars.into_iter().collect();
        if let Some(l) = out.last_mut() {
            l.push(Span::styled(s, style));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn lines_wrap_at_word_boundaries_and_long_words_are_cut() {
        let wrapped = wrap(Line::raw("sell 68 DRFT buy 7 ZNTH"), 12);
        assert_eq!(text(&wrapped), ["sell 68 DRFT", "buy 7 ZNTH"]);
        let cut = wrap(Line::raw("abcdefghij"), 4);
        assert_eq!(text(&cut), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn scrolling_stops_at_the_last_screenful() {
        let mut s = TextState::default();
        s.drawn.set((5, 12));
        s.on_action(Action::Bottom);
        // 12 rows, 5 fit: the last screenful starts at row 7.
        assert_eq!(s.offset, 7);
        s.on_action(Action::Down);
        assert_eq!(s.offset, 7);
        s.on_action(Action::PageUp);
        assert_eq!(s.offset, 2);
    }
}
