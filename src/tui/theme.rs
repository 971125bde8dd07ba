//! Colours and styles in one place. Meaning follows the brief: alpha below −5 is red,
//! strength is coloured by band.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::signal::Band;

pub const ACCENT: Color = Color::Cyan;

pub fn title() -> Style {
    Style::default().fg(ACCENT).add_modifier(Modifier::BOLD)
}

pub fn header() -> Style {
    Style::default()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

pub fn selected() -> Style {
    Style::default()
        .bg(Color::DarkGray)
        .add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::default().fg(Color::Gray)
}

pub fn good() -> Style {
    Style::default().fg(Color::Green)
}

pub fn bad() -> Style {
    Style::default().fg(Color::Red)
}

pub fn warn() -> Style {
    Style::default().fg(Color::Yellow)
}

pub fn signed(v: f64) -> Style {
    if v > 0.0 {
        good()
    } else if v < 0.0 {
        bad()
    } else {
        Style::default()
    }
}

/// Alpha below −5 points is the brief's underperformer line.
pub fn alpha(v: f64) -> Style {
    if v < -5.0 {
        bad().add_modifier(Modifier::BOLD)
    } else {
        signed(v)
    }
}

pub fn band(b: Band) -> Style {
    match b {
        Band::VeryStrong => good().add_modifier(Modifier::BOLD),
        Band::Strong => good(),
        Band::Moderate => warn(),
        Band::Weak => Style::default(),
        Band::VeryWeak => bad(),
    }
}
