//! Cells for the app's tables: the text comes from `domain::format`, shared with the
//! reports, and these place it. A cell stays plain text until it is drawn, so that the one
//! table widget can filter on it, sort by it and show it in the detail pane.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

/// One table cell before it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct CellText {
    pub text: String,
    pub style: Style,
    pub right: bool,
}

impl CellText {
    pub fn cell(self) -> Cell<'static> {
        let line = Line::from(Span::styled(self.text, self.style));
        Cell::from(if self.right {
            line.right_aligned()
        } else {
            line
        })
    }
}

/// A right-aligned cell.
pub fn right(text: String, style: Style) -> CellText {
    CellText {
        text,
        style,
        right: true,
    }
}

pub fn left(text: impl Into<String>, style: Style) -> CellText {
    CellText {
        text: text.into(),
        style,
        right: false,
    }
}
