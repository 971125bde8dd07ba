//! The status bar's mark of live figures: when today's quotes are part of what the tabs
//! show, the time of the oldest quote is always visible, and the stops they hit since the
//! morning are named.

use ratatui::text::Span;

use crate::tui::data::Dashboard;
use crate::tui::theme;

pub fn spans(d: &Dashboard) -> Vec<Span<'static>> {
    let Some(live) = &d.live else {
        return Vec::new();
    };
    let mut out = vec![Span::styled(
        format!(" PROVISIONAL {} ", live.label),
        theme::warn(),
    )];
    if !d.stops_since_morning.is_empty() {
        let names: Vec<String> = d
            .stops_since_morning
            .iter()
            .map(|s| format!("{} {}", s.symbol, s.kind))
            .collect();
        out.push(Span::styled(
            format!(" ⚠ since the morning: {} ", names.join(", ")),
            theme::bad(),
        ));
    }
    out
}
