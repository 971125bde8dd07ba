//! Colours and styles in one place. Meaning follows the brief: alpha below −5 is red,
//! strength is coloured by band. Only the 16 ANSI colours are used, so a 16-colour terminal
//! shows the same; with `NO_COLOR` set (https://no-color.org) every colour is dropped and
//! the selection and headers keep reverse video and bold.

use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};

use crate::domain::signal::Band;

pub const ACCENT: Color = Color::Cyan;

/// `NO_COLOR` present and not empty, read once.
fn no_color() -> bool {
    static NO_COLOR: OnceLock<bool> = OnceLock::new();
    *NO_COLOR.get_or_init(|| std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()))
}

fn fg(color: Color) -> Style {
    if no_color() {
        Style::default()
    } else {
        Style::default().fg(color)
    }
}

pub fn title() -> Style {
    fg(ACCENT).add_modifier(Modifier::BOLD)
}

pub fn header() -> Style {
    fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

pub fn selected() -> Style {
    if no_color() {
        Style::default().add_modifier(Modifier::REVERSED)
    } else {
        Style::default()
            .bg(Color::DarkGray)
            .add_modifier(Modifier::BOLD)
    }
}

/// The selection of a list that does not have the focus.
pub fn selected_unfocused() -> Style {
    Style::default().add_modifier(Modifier::UNDERLINED)
}

pub fn demo_badge() -> Style {
    if no_color() {
        Style::default().add_modifier(Modifier::REVERSED)
    } else {
        Style::default().fg(Color::Black).bg(Color::Yellow)
    }
}

pub fn dim() -> Style {
    fg(Color::Gray)
}

pub fn good() -> Style {
    fg(Color::Green)
}

pub fn bad() -> Style {
    fg(Color::Red)
}

pub fn warn() -> Style {
    fg(Color::Yellow)
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
