use super::*;
use crossterm::event::{KeyCode, KeyModifiers};

fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

#[test]
fn chord_labels() {
    assert_eq!(KeyChord::ctrl('l').label(), "Ctrl-L");
    assert_eq!(KeyChord::plain(KeyCode::Enter).label(), "Enter");
    assert_eq!(KeyChord::plain(KeyCode::Esc).label(), "Esc");
    assert_eq!(KeyChord::ch('?').label(), "?");
    assert_eq!(KeyChord::plain(KeyCode::F(5)).label(), "F5");
    assert_eq!(KeyChord::plain(KeyCode::BackTab).label(), "Shift-Tab");
}

#[test]
fn shift_and_case_are_normalised() {
    let km = Keymap::default();
    let stack = [KeyContext::Global];
    assert_eq!(
        km.resolve(&stack, key(KeyCode::Char('?'), KeyModifiers::SHIFT)),
        Some(Action::Help)
    );
    assert_eq!(
        km.resolve(
            &stack,
            key(
                KeyCode::Char('C'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT
            )
        ),
        Some(Action::Quit)
    );
    let form = [KeyContext::Form];
    assert_eq!(
        km.resolve(&form, key(KeyCode::BackTab, KeyModifiers::SHIFT)),
        Some(Action::PrevField)
    );
}

#[test]
fn release_events_do_nothing() {
    let km = Keymap::default();
    let mut ev = key(KeyCode::Char('q'), KeyModifiers::NONE);
    ev.kind = KeyEventKind::Release;
    assert_eq!(km.resolve(&[KeyContext::Global], ev), None);
}

#[test]
fn typing_swallows_printable_keys_but_not_chords() {
    let km = Keymap::default();
    let stack = [KeyContext::TextInput, KeyContext::Form, KeyContext::Global];
    assert_eq!(
        km.resolve(&stack, key(KeyCode::Char('q'), KeyModifiers::NONE)),
        None
    );
    assert_eq!(
        km.resolve(&stack, key(KeyCode::Char('?'), KeyModifiers::NONE)),
        None
    );
    assert_eq!(
        km.resolve(&stack, key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        Some(Action::Quit)
    );
    assert_eq!(
        km.resolve(&stack, key(KeyCode::F(1), KeyModifiers::NONE)),
        Some(Action::Help)
    );
    let shown = km.bindings_for(&stack);
    assert!(!shown.iter().any(|(c, _)| *c == KeyChord::ch('q')));
    assert!(shown.contains(&(KeyChord::ctrl('c'), Action::Quit)));
}

#[test]
fn key_bar_merges_chords_of_one_action() {
    let km = Keymap::default();
    let bar = km.key_bar(&[
        KeyContext::Notifications,
        KeyContext::List,
        KeyContext::Global,
    ]);
    let first = bar.first().map(HelpLine::bar_keys);
    assert_eq!(first.as_deref(), Some("Enter"));
    let help = km.help(&[KeyContext::Notifications]);
    let refresh = help[0]
        .1
        .iter()
        .find(|l| l.action == Action::Refresh)
        .map(HelpLine::keys);
    assert_eq!(refresh.as_deref(), Some("F5/Ctrl-R"));
}
