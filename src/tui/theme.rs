//! Colours and styles in one place. Meaning follows the brief: alpha below −5 is red,
//! strength is coloured by band. The colours come by role from the config's `[theme]`
//! (installed once before the first frame, as the keys are); the defaults use only the 16
//! ANSI colours, so a 16-colour terminal shows the same. With `NO_COLOR` set
//! (https://no-color.org) every colour is dropped and the selection and headers keep
//! reverse video and bold.

use std::str::FromStr;
use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};

use crate::config::ThemeColors;
use crate::domain::signal::Band;

/// The colour of each role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub accent: Color,
    pub header: Color,
    pub selected_bg: Color,
    pub good: Color,
    pub bad: Color,
    pub warn: Color,
    pub dim: Color,
    pub badge_fg: Color,
    pub badge_bg: Color,
}

impl Default for Palette {
    fn default() -> Self {
        Palette::from_config(&crate::config::Config::default().theme)
            .expect("the embedded default theme is valid")
    }
}

impl Palette {
    /// Each role's colour read; a colour that does not read is refused with its key.
    pub fn from_config(t: &ThemeColors) -> Result<Palette, String> {
        let read = |key: &str, text: &str| {
            Color::from_str(text).map_err(|_| {
                format!(
                    "theme.{key}: {text:?} is not a colour (a name such as cyan or \
                     light_red, an index 0-255, or #rrggbb)"
                )
            })
        };
        Ok(Palette {
            accent: read("accent", &t.accent)?,
            header: read("header", &t.header)?,
            selected_bg: read("selected_bg", &t.selected_bg)?,
            good: read("good", &t.good)?,
            bad: read("bad", &t.bad)?,
            warn: read("warn", &t.warn)?,
            dim: read("dim", &t.dim)?,
            badge_fg: read("badge_fg", &t.badge_fg)?,
            badge_bg: read("badge_bg", &t.badge_bg)?,
        })
    }
}

static PALETTE: OnceLock<Palette> = OnceLock::new();

/// Installs the colours the app draws with from now on; only the first call counts.
pub fn install(palette: Palette) -> bool {
    PALETTE.set(palette).is_ok()
}

fn palette() -> &'static Palette {
    PALETTE.get_or_init(Palette::default)
}

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
    fg(palette().accent).add_modifier(Modifier::BOLD)
}

pub fn header() -> Style {
    fg(palette().header).add_modifier(Modifier::BOLD)
}

pub fn selected() -> Style {
    if no_color() {
        Style::default().add_modifier(Modifier::REVERSED)
    } else {
        Style::default()
            .bg(palette().selected_bg)
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
        Style::default()
            .fg(palette().badge_fg)
            .bg(palette().badge_bg)
    }
}

pub fn dim() -> Style {
    fg(palette().dim)
}

pub fn good() -> Style {
    fg(palette().good)
}

pub fn bad() -> Style {
    fg(palette().bad)
}

pub fn warn() -> Style {
    fg(palette().warn)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_16_ansi_colours_and_a_bad_colour_is_named() {
        let p = Palette::default();
        assert_eq!(p.accent, Color::Cyan);
        assert_eq!(p.selected_bg, Color::DarkGray);
        let mut t = crate::config::Config::default().theme;
        t.good = "light_green".into();
        t.bad = "#ff0000".into();
        t.dim = "244".into();
        let p = Palette::from_config(&t).unwrap();
        assert_eq!(p.good, Color::LightGreen);
        assert_eq!(p.bad, Color::Rgb(255, 0, 0));
        assert_eq!(p.dim, Color::Indexed(244));
        t.warn = "orangeish".into();
        let e = Palette::from_config(&t).unwrap_err();
        assert!(
            e.starts_with("theme.warn: \"orangeish\" is not a colour"),
            "{e}"
        );
    }
}
