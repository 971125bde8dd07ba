//! Line charts over dated points: x is the point's index, labelled with the first, middle
//! and last dates.

use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::Span;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};
use ratatui::Frame;

use super::panel;
use crate::tui::theme;

pub struct Line {
    pub name: String,
    pub style: Style,
    pub points: Vec<(f64, f64)>,
}

/// How the y axis reads: a ceiling it never passes (a drawdown is never above 0) and the
/// unit after each label.
#[derive(Debug, Clone, Copy, Default)]
pub struct YAxis {
    pub max: Option<f64>,
    pub unit: &'static str,
}

/// Draws `lines` over `dates` (one x per date), or `empty` when there is nothing to draw.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    dates: &[NaiveDate],
    lines: &[Line],
    empty: &str,
) {
    render_with(frame, area, title, dates, lines, empty, YAxis::default())
}

/// [`render`] with a y axis of its own.
pub fn render_with(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    dates: &[NaiveDate],
    lines: &[Line],
    empty: &str,
    y: YAxis,
) {
    let finite = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .filter(|y| y.is_finite());
    let (lo, hi) = finite.fold((f64::MAX, f64::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    if dates.len() < 2 || lo > hi {
        frame.render_widget(
            Paragraph::new(Span::styled(empty.to_string(), theme::dim())).block(panel(title)),
            area,
        );
        return;
    }
    let pad = ((hi - lo) * 0.05).max(hi.abs() * 0.001).max(0.01);
    let (lo, hi) = (lo - pad, y.max.map_or(hi + pad, |m| (hi + pad).min(m)));
    let datasets = lines
        .iter()
        .map(|l| {
            Dataset::default()
                .name(l.name.clone())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(l.style)
                .data(&l.points)
        })
        .collect();
    let last = dates.len() - 1;
    // Three date labels need about 3 × 12 columns; narrower charts show the two ends.
    let x_labels: Vec<Span> = if area.width >= 60 {
        vec![dates[0], dates[last / 2], dates[last]]
    } else {
        vec![dates[0], dates[last]]
    }
    .into_iter()
    .map(|d| Span::raw(d.to_string()))
    .collect();
    let decimals = if y.unit.is_empty() { 0 } else { 1 };
    let y_labels =
        [lo, (lo + hi) / 2.0, hi].map(|v| Span::raw(format!("{v:.decimals$}{}", y.unit)));
    let chart = Chart::new(datasets)
        .block(panel(title))
        .x_axis(
            Axis::default()
                .bounds([0.0, last as f64])
                .labels(x_labels)
                .style(theme::dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels(y_labels)
                .style(theme::dim()),
        )
        .legend_position(Some(ratatui::widgets::LegendPosition::TopLeft));
    frame.render_widget(chart, area);
}
