//! The journal's symbol and date-range filter (`F`), a click on a form's field, and the
//! footer naming grouped keys, pressed like a person on the demo (40 signals; WAVE's are
//! ids 40, on 2026-10-29, and 13, on 2026-01-29).

mod tui_support;

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use tui_support::*;

/// Moves to the next field and replaces what it holds with `text`.
fn next_field(app: &mut App, text: &str) {
    special(app, KeyCode::Tab);
    clear_field(app);
    press(app, text);
}

fn clear_field(app: &mut App) {
    for _ in 0..20 {
        special(app, KeyCode::Backspace);
    }
}

#[test]
fn f_filters_the_journal_by_symbol_and_dates_and_0_clears_it() {
    let mut app = app();
    press(&mut app, "5F");
    assert!(app.form.is_some(), "F opens the filter form");
    snap("tui_journal_window_form_80x24", &app, 80, 24);
    press(&mut app, "wave");
    special(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "Enter applies the filter");
    let text = screen(&app, 80, 24);
    assert!(text.contains("   40 2026-10-29 WAVE") && text.contains("   13 2026-01-29 WAVE"));
    assert!(!text.contains("HALO"), "{text}");
    assert!(
        app.status
            .message
            .as_deref()
            .is_some_and(|m| m.contains("symbol WAVE")),
        "{:?}",
        app.status.message
    );

    // F again: the form holds the symbol; a start date after January leaves id 40.
    press(&mut app, "F");
    assert_eq!(app.form.as_ref().unwrap().value("Symbol"), "WAVE");
    next_field(&mut app, "2026-06-01");
    special(&mut app, KeyCode::Enter);
    let text = screen(&app, 80, 24);
    assert!(text.contains("   40 2026-10-29 WAVE"), "{text}");
    assert!(!text.contains("   13 2026-01-29 WAVE"), "{text}");
    assert!(
        text.contains("symbol WAVE, from 2026-06-01"),
        "the title says what is active: {text}"
    );
    snap("tui_journal_window_applied_80x24", &app, 80, 24);

    // 0 clears every filter, the window included.
    press(&mut app, "0");
    let text = screen(&app, 80, 24);
    assert!(text.contains("HALO"), "{text}");
    press(&mut app, "F");
    assert_eq!(app.form.as_ref().unwrap().value("Symbol"), "");
}

#[test]
fn the_filter_form_refuses_a_range_that_ends_before_it_starts_and_a_bad_symbol() {
    let mut app = app();
    press(&mut app, "5F");
    press(&mut app, "wa ve");
    next_field(&mut app, "2026-10-31");
    next_field(&mut app, "2026-10-01");
    let text = screen(&app, 120, 40);
    assert!(text.contains("✗ must not be before From"), "{text}");
    assert!(text.contains("(2026-10-31)"), "{text}");
    assert!(text.contains("✗ symbol \"wa ve\" may only hold"), "{text}");
    special(&mut app, KeyCode::Enter);
    assert!(app.form.is_some(), "a wrong field keeps the form open");
    let text = screen(&app, 120, 40);
    assert!(text.contains("fix the fields marked ✗ first"), "{text}");
    // Esc on a changed form asks; y discards, and the journal is as it was.
    special(&mut app, KeyCode::Esc);
    press(&mut app, "y");
    assert!(app.form.is_none());
    assert!(screen(&app, 80, 24).contains("HALO"));
}

#[test]
fn a_click_on_a_form_field_moves_the_focus_there() {
    let mut app = app();
    // Account: a opens the balances form; the click lands on "Margin used".
    press(&mut app, "1a");
    let cash = app.form.as_ref().unwrap().value("Cash");
    let text = screen(&app, 120, 40);
    let (row, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("┌Margin used"))
        .expect("the form shows Margin used");
    // The field's border holds its label (the Account tab behind says "Margin used" too).
    let column = line.find("┌Margin used").unwrap() as u16;
    let column = line[..column as usize].chars().count() as u16 + 2;
    app.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row: row as u16 + 1,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(
        app.form.as_ref().unwrap().focus,
        3,
        "Margin used is the 4th field"
    );
    clear_field(&mut app);
    press(&mut app, "250");
    assert_eq!(app.form.as_ref().unwrap().value("Margin used"), "250");
    assert_eq!(
        app.form.as_ref().unwrap().value("Cash"),
        cash,
        "the typing went to Margin used"
    );
}

#[test]
fn the_footer_names_grouped_keys_as_bound() {
    let mut app = app();
    press(&mut app, "1");
    assert!(
        footer(&app, 120, 40).contains("b/$/i/% record"),
        "{}",
        footer(&app, 120, 40)
    );
    press(&mut app, "5");
    let f = footer(&app, 160, 40);
    assert!(f.contains("S/T/O/K filter"), "{f}");
    assert!(f.contains("F symbol/dates"), "{f}");
}
