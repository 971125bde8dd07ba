//! The detail pane (Enter or d on a row, as k9s's describe): the row as its table shows it,
//! then every field of the record, nested ones flattened ("size.quantity"), in a scrollable
//! overlay that Esc closes.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;
use ratatui::Frame;
use serde::Serialize;
use serde_json::Value;

use super::centered;
use super::scroll::{self, TextState};
use super::table::Column;
use crate::tui::theme;

#[derive(Debug)]
pub struct Detail {
    pub title: String,
    pub lines: Vec<Line<'static>>,
    pub scroll: TextState,
}

impl Detail {
    /// `row` as the table's `columns` show it, then every field `row` serializes.
    pub fn of_row<T: Serialize>(title: String, columns: &[Column<T>], row: &T) -> Detail {
        let mut lines = vec![Line::styled("As shown", theme::title())];
        let width = columns
            .iter()
            .map(|c| c.title.chars().count())
            .max()
            .unwrap_or(0);
        for c in columns {
            let cell = (c.cell)(row);
            lines.push(Line::from(vec![
                Span::styled(format!("{:<width$}  ", c.title), theme::dim()),
                Span::styled(cell.text, cell.style),
            ]));
        }
        lines.push(Line::raw(""));
        lines.extend(fields(row));
        Detail::new(title, lines)
    }

    pub fn new(title: String, lines: Vec<Line<'static>>) -> Detail {
        Detail {
            title,
            lines,
            scroll: TextState::default(),
        }
    }
}

/// "All fields" and one `name  value` line per leaf of the record.
pub fn fields<T: Serialize>(row: &T) -> Vec<Line<'static>> {
    let mut pairs = Vec::new();
    if let Ok(value) = serde_json::to_value(row) {
        flatten("", &value, &mut pairs);
    }
    let width = pairs
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .min(28);
    let mut lines = vec![Line::styled("All fields", theme::title())];
    lines.extend(pairs.into_iter().map(|(k, v)| {
        Line::from(vec![
            Span::styled(format!("{k:<width$}  "), theme::dim()),
            Span::raw(v),
        ])
    }));
    lines
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let name = |key: &str| {
        let key = key.replace('_', " ");
        if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&name(k), v, out);
            }
        }
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            let text: Vec<String> = items.iter().map(scalar).collect();
            out.push((
                prefix.to_string(),
                if text.is_empty() {
                    "—".into()
                } else {
                    text.join(", ")
                },
            ));
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{}]", i + 1), v, out);
            }
        }
        other => out.push((prefix.to_string(), scalar(other))),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        other => other.to_string(),
    }
}

pub fn render(frame: &mut Frame, area: Rect, detail: &Detail) {
    let rect = centered(area, area.width.saturating_sub(4).min(100), area.height);
    frame.render_widget(Clear, rect);
    let title = format!("{} · j/k scroll · Esc closes", detail.title);
    scroll::render(
        frame,
        rect,
        &title,
        detail.lines.clone(),
        &detail.scroll,
        true,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_fields_are_flattened_with_their_path() {
        let v = serde_json::json!({"symbol": "DRFT", "size": {"quantity": 7, "use_margin": false}, "notes": null, "tags": ["a", "b"]});
        let mut out = Vec::new();
        flatten("", &v, &mut out);
        assert!(out.contains(&("symbol".into(), "DRFT".into())));
        assert!(out.contains(&("size.quantity".into(), "7".into())));
        assert!(out.contains(&("size.use margin".into(), "no".into())));
        assert!(out.contains(&("notes".into(), "—".into())));
        assert!(out.contains(&("tags".into(), "a, b".into())));
    }
}
