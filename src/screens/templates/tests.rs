#![allow(clippy::panic)] // a test reports failure by panicking
use super::*;
use crate::domain::checklist::FormType;
use crate::domain::template_versions::{TemplateVersion, TemplateVersionRow};
use crate::screens::testkit::{Harness, assert_answers_only_its_help};

fn rows() -> Vec<TemplateVersionRow> {
    vec![TemplateVersionRow {
        id: uuid::Uuid::from_u128(1),
        form_name: "Pre-Production Check".into(),
        form_type: FormType::PreQc,
        version: 1,
        is_active: true,
        item_count: 1,
        has_results: false,
        created_at: None,
    }]
}

fn item(code: &str, seq: i64) -> ItemDraft {
    ItemDraft {
        code: code.into(),
        section: "Sink".into(),
        sequence: seq,
        description: format!("{code} text"),
        check_type: "BOOLEAN".into(),
        ..ItemDraft::default()
    }
}

fn loaded(h: &mut Harness) -> TemplatesScreen {
    let (mut s, reqs) = h.open(TemplatesScreen::open);
    h.reply(&mut s, &reqs[0], Ok(Reply::TemplateVersions(rows())));
    s
}

fn editing(h: &mut Harness) -> TemplatesScreen {
    let mut s = loaded(h);
    let (reqs, _) = h.act(&mut s, Action::NewVersion);
    h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::TemplateVersion(Box::new(TemplateVersion {
            row: rows()[0].clone(),
            key: "PRE_QC".into(),
            usage: Usage::QcResult,
            items: vec![item("A", 10), item("B", 20)],
        }))),
    );
    s
}

#[test]
fn the_screens_answer_only_their_help() {
    assert_answers_only_its_help(Role::Admin, loaded);
    assert_answers_only_its_help(Role::Admin, editing);
}

#[test]
fn only_an_administrator_may_start_a_version_or_activate() {
    let mut h = Harness::new(Role::QcPerson);
    let mut s = loaded(&mut h);
    for a in [Action::NewVersion, Action::ActivateVersion] {
        let (reqs, effects) = h.act(&mut s, a);
        assert!(reqs.is_empty(), "{reqs:?}");
        assert!(!effects.is_empty(), "a toast says why");
        assert!(s.asked.is_none());
    }
}

/// An item applied from its form is checked with the list (a repeated code is refused and kept on the
/// form); leaving with changes asks, and nothing is sent without a yes.
#[test]
fn items_are_checked_when_applied_and_changes_are_never_dropped_silently() {
    let mut h = Harness::new(Role::Admin);
    let mut s = editing(&mut h);
    h.act(&mut s, Action::AddItem);
    {
        let Mode::Editor(e) = &mut s.mode else {
            panic!("editor")
        };
        let f = e.item.as_mut().expect("form");
        f.form.paste("A");
    }
    h.act(&mut s, Action::Save);
    let e = s.editor().expect("editor");
    let f = e.item.as_ref().expect("the form stays open");
    assert!(
        f.problems[0]
            .message
            .contains("code is used by another item"),
        "{:?}",
        f.problems
    );
    assert_eq!(f.form.value(0), "A", "the typed code is kept");
    h.act(&mut s, Action::Cancel);
    h.act(&mut s, Action::Cancel);
    assert!(s.editor().is_some_and(|e| e.item.is_none()));
    // Unchanged: Esc leaves at once. Changed: it asks.
    h.act(&mut s, Action::RemoveRow);
    let (reqs, _) = h.act(&mut s, Action::Cancel);
    assert!(reqs.is_empty());
    assert!(matches!(
        s.asked.as_ref().map(|a| &a.question),
        Some(Question::Discard)
    ));
    h.act(&mut s, Action::No);
    assert!(s.editor().is_some());
    let (reqs, _) = h.act(&mut s, Action::Save);
    assert!(reqs.is_empty(), "Ctrl-S asks first");
    let (reqs, _) = h.act(&mut s, Action::Yes);
    assert!(matches!(
        reqs.first().map(|r| &r.kind),
        Some(Request::SaveTemplateVersion { items, .. }) if items.len() == 1
    ));
}
