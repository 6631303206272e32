use super::*;
use crate::keymap::{Action, KeyContext as C, Keymap, Priority};

fn bar(stack: &[C]) -> Vec<HelpLine> {
    Keymap::default().key_bar(stack)
}

fn texts(items: &[HelpLine], cols: usize) -> Vec<String> {
    fit(items, cols).iter().map(Shown::text).collect()
}

fn actions(items: &[HelpLine], cols: usize) -> Vec<Action> {
    fit(items, cols).iter().map(|s| s.item.action).collect()
}

/// The QC checklist's bar as the shell builds it (the key bar is drawn in the width less one column).
fn qc() -> Vec<HelpLine> {
    bar(&[C::QcChecklist, C::List, C::Session, C::Global])
}

#[test]
fn everything_fits_whole_at_a_wide_terminal() {
    let items = bar(&[C::Home, C::List, C::Session, C::Global]);
    let shown = fit(&items, 119);
    assert_eq!(shown.len(), items.len());
    assert!(shown.iter().all(|s| s.label == s.item.action.describe()));
}

#[test]
fn qc_checklist_keeps_sign_and_back_at_80_columns() {
    let items = qc();
    let shown = actions(&items, 79);
    assert!(shown.contains(&Action::SignResult), "{shown:?}");
    assert!(shown.contains(&Action::Back), "{shown:?}");
    assert!(shown.contains(&Action::Help), "{shown:?}");
    let line = texts(&items, 79).join(GAP);
    assert!(line.chars().count() <= 79, "{line}");
    // The answers stay, abbreviated, before anything is dropped.
    assert!(line.contains("y Yes") && line.contains("n No"), "{line}");
}

#[test]
fn qc_checklist_at_120_columns_shows_every_key_with_short_labels_only_where_needed() {
    let items = qc();
    let shown = fit(&items, 119);
    assert_eq!(shown.len(), items.len(), "{shown:?}");
    let line = texts(&items, 119).join(GAP);
    assert!(line.chars().count() <= 119, "{line}");
    assert!(line.contains("s Submit and sign"), "{line}");
    assert!(line.contains("Esc Back"), "{line}");
}

#[test]
fn the_lowest_rank_goes_first_and_the_rightmost_within_it() {
    let items = qc();
    // Narrow enough that something must go: Quit (the rightmost "other") is dropped before Lock,
    // and both before any primary, back or help item.
    let shown = actions(&items, 60);
    let others: Vec<Action> = items
        .iter()
        .map(|i| i.action)
        .filter(|a| a.priority() == Priority::Other)
        .collect();
    assert!(!shown.contains(&Action::Quit), "{shown:?}");
    for a in [Action::SignResult, Action::Back, Action::Help] {
        assert!(shown.contains(&a), "{a:?} in {shown:?}");
    }
    // What is kept of the others is a prefix of them in bar order.
    let kept: Vec<Action> = shown
        .iter()
        .copied()
        .filter(|a| a.priority() == Priority::Other)
        .collect();
    assert_eq!(kept, others[..kept.len()].to_vec());
}

#[test]
fn labels_are_shortened_before_anything_is_dropped() {
    let items = qc();
    let whole: usize = line_width(
        &items
            .iter()
            .map(|i| Shown {
                item: i,
                label: i.action.describe(),
            })
            .collect::<Vec<_>>(),
    );
    // One column short of everything whole: every item stays, one or more shortened.
    let shown = fit(&items, whole - 1);
    assert_eq!(shown.len(), items.len());
    assert!(shown.iter().any(|s| s.label != s.item.action.describe()));
    // The primary action keeps its whole label while lower ranks can give way.
    let sign = shown.iter().find(|s| s.item.action == Action::SignResult);
    assert_eq!(sign.map(|s| s.label), Some("Submit and sign"));
}

#[test]
fn every_context_keeps_its_primary_and_back_keys_at_80_columns() {
    for ctx in C::ALL {
        let items = bar(&[ctx, C::Session, C::Global]);
        let shown = fit(&items, 79);
        assert!(line_width(&shown) <= 79, "{ctx:?}");
        for item in items
            .iter()
            .filter(|i| i.action.priority() >= Priority::Back)
        {
            assert!(
                shown.iter().any(|s| s.item == item),
                "{ctx:?}: {:?} dropped from {:?}",
                item.action,
                shown.iter().map(Shown::text).collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn nothing_fits_in_no_room_and_nothing_panics() {
    let items = qc();
    assert!(fit(&items, 0).is_empty());
    assert!(fit(&[], 80).is_empty());
    let one = fit(&items, 8);
    assert!(line_width(&one) <= 8);
}

#[test]
fn two_actions_never_share_a_short_label_in_one_bar() {
    for ctx in C::ALL {
        let items = bar(&[ctx, C::Form, C::Choice, C::Session, C::Global]);
        for cols in [40, 60, 79, 119] {
            let shown = fit(&items, cols);
            for a in &shown {
                let twins = shown
                    .iter()
                    .filter(|b| b.label == a.label && b.item.action != a.item.action)
                    .count();
                assert_eq!(twins, 0, "{ctx:?} at {cols}: {:?}", a.label);
            }
        }
    }
}
