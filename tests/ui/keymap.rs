//! The keymap table: complete, unambiguous, and the only source of the help and the key bar.

use crate::harness::{Driver, init, user_for, users};
use cleanstation::domain::Role;
use cleanstation::keymap::{Action, DEFAULT_BINDINGS, KeyChord, KeyContext, Keymap};
use cleanstation::msg::{Reply, Request};
use cleanstation::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashSet;

fn event(chord: KeyChord) -> KeyEvent {
    KeyEvent::new(chord.code, chord.mods)
}

#[test]
fn every_action_is_bound_and_described() {
    for action in Action::ALL {
        assert!(
            DEFAULT_BINDINGS.iter().any(|b| b.action == *action),
            "{action:?} has no binding"
        );
        assert!(
            !action.describe().trim().is_empty(),
            "{action:?} has no description"
        );
    }
}

#[test]
fn every_context_has_bindings_and_a_title() {
    for ctx in KeyContext::ALL {
        assert!(
            DEFAULT_BINDINGS.iter().any(|b| b.context == ctx),
            "{ctx:?} has no binding"
        );
        assert!(!ctx.title().is_empty());
    }
}

#[test]
fn no_chord_is_bound_twice_in_a_context() {
    let mut seen = HashSet::new();
    for b in DEFAULT_BINDINGS {
        assert!(
            seen.insert((b.context, b.chord)),
            "{} is bound twice in {:?}",
            b.chord,
            b.context
        );
    }
}

#[test]
fn text_fields_bind_no_printable_keys() {
    for b in DEFAULT_BINDINGS
        .iter()
        .filter(|b| b.context == KeyContext::TextInput)
    {
        assert!(
            !b.chord.is_text(),
            "{} would never reach the keymap",
            b.chord
        );
    }
}

#[test]
fn resolve_honours_the_context_order() {
    let km = Keymap::default();
    let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
    let users = [
        KeyContext::Users,
        KeyContext::List,
        KeyContext::Session,
        KeyContext::Global,
    ];
    assert_eq!(km.resolve(&users, esc), Some(Action::Back));
    let dialog = [
        KeyContext::TextInput,
        KeyContext::Form,
        KeyContext::Dialog,
        KeyContext::Global,
    ];
    assert_eq!(km.resolve(&dialog, esc), Some(Action::Cancel));
    let q = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::NONE);
    assert_eq!(
        km.resolve(&[KeyContext::Help, KeyContext::List], q),
        Some(Action::Close)
    );
    assert_eq!(
        km.resolve(&[KeyContext::Home, KeyContext::Global], q),
        Some(Action::Help)
    );
    // Typing wins over Global for printable keys; chords fall through.
    assert_eq!(km.resolve(&dialog, q), None);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(km.resolve(&dialog, ctrl_c), Some(Action::Quit));
    // Left moves the cursor in a text field but changes the value of a choice.
    let left = KeyEvent::new(KeyCode::Left, KeyModifiers::NONE);
    assert_eq!(km.resolve(&dialog, left), Some(Action::CursorLeft));
    let choice = [KeyContext::Choice, KeyContext::Form, KeyContext::Dialog];
    assert_eq!(km.resolve(&choice, left), Some(Action::PrevChoice));
}

/// The key stacks the application really uses, collected by driving it.
fn real_stacks() -> Vec<Vec<KeyContext>> {
    let mut stacks = Vec::new();
    let mut d = Driver::new(init(Theme::ansi()));
    stacks.push(d.app.key_stack());
    d.key(KeyCode::Char('?'));
    stacks.push(d.app.key_stack());
    d.key(KeyCode::Esc);
    d.login(user_for(Role::Admin));
    stacks.push(d.app.key_stack());
    d.key(KeyCode::Enter);
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(users())),
    );
    stacks.push(d.app.key_stack());
    for (open, steps) in [('n', 3), ('r', 0), ('p', 0), ('d', 0)] {
        d.key(KeyCode::Char(open));
        stacks.push(d.app.key_stack());
        for _ in 0..steps {
            d.key(KeyCode::Tab);
            stacks.push(d.app.key_stack());
        }
        d.key(KeyCode::Esc);
    }
    d.ctrl('l');
    stacks.push(d.app.key_stack());
    stacks
}

#[test]
fn everything_shown_works() {
    let km = Keymap::default();
    for stack in real_stacks() {
        for (chord, action) in km.bindings_for(&stack) {
            assert_eq!(
                km.resolve(&stack, event(chord)),
                Some(action),
                "{chord} is shown for {action:?} under {stack:?} but does something else"
            );
        }
        for line in km.key_bar(&stack) {
            for chord in &line.bar_chords {
                assert_eq!(km.resolve(&stack, event(*chord)), Some(line.action));
            }
        }
    }
}

#[test]
fn help_is_generated_from_the_table() {
    let km = Keymap::default();
    for stack in real_stacks() {
        let help = km.help(&stack);
        let shown: HashSet<(KeyChord, Action)> = help
            .iter()
            .flat_map(|(_, lines)| {
                lines
                    .iter()
                    .flat_map(|l| l.chords.iter().map(move |c| (*c, l.action)))
            })
            .collect();
        let live: HashSet<(KeyChord, Action)> = km.bindings_for(&stack).into_iter().collect();
        assert_eq!(shown, live, "help and bindings differ under {stack:?}");
        for (ctx, lines) in &help {
            assert!(stack.contains(ctx));
            for l in lines {
                for c in &l.chords {
                    assert!(
                        DEFAULT_BINDINGS
                            .iter()
                            .any(|b| b.context == *ctx && b.chord == *c && b.action == l.action)
                    );
                }
            }
        }
    }
}

#[test]
fn every_working_key_is_shown() {
    // Any chord that resolves under a stack appears in that stack's help.
    let km = Keymap::default();
    let chords: HashSet<KeyChord> = DEFAULT_BINDINGS.iter().map(|b| b.chord).collect();
    for stack in real_stacks() {
        let live: HashSet<(KeyChord, Action)> = km.bindings_for(&stack).into_iter().collect();
        for chord in &chords {
            if let Some(action) = km.resolve(&stack, event(*chord)) {
                assert!(
                    live.contains(&(*chord, action)),
                    "{chord} works under {stack:?} but is not shown"
                );
            }
        }
    }
}
