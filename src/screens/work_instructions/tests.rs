use super::*;
use crate::widgets::form_field::FormField;

fn typed(e: &mut Editor, field: usize, text: &str) {
    e.form.set_focus(field);
    e.form.paste(text);
}

#[test]
fn steps_are_added_after_the_current_removed_and_moved_keeping_text() {
    let mut e = Editor::new(None);
    assert_eq!(e.step_count(), 1);
    typed(&mut e, HEAD, "first");
    e.add_step();
    assert_eq!(e.current_step(), Some(1));
    e.form.paste("second");
    e.form.set_focus(HEAD);
    e.add_step();
    e.form.paste("between");
    let texts = |e: &Editor| e.raw_steps().into_iter().map(|s| s.0).collect::<Vec<_>>();
    assert_eq!(texts(&e), vec!["first", "between", "second"]);
    e.move_step(false);
    assert_eq!(texts(&e), vec!["first", "second", "between"]);
    assert_eq!(e.current_step(), Some(2));
    e.move_step(false);
    assert_eq!(e.current_step(), Some(2), "the last step stays last");
    e.move_step(true);
    e.move_step(true);
    assert_eq!(texts(&e), vec!["between", "first", "second"]);
    e.remove_step();
    assert_eq!(texts(&e), vec!["first", "second"]);
    e.remove_step();
    e.remove_step();
    assert_eq!(texts(&e), vec!["second"]);
    assert_eq!(e.error(), Some("An instruction needs at least one step"));
}

#[test]
fn a_draft_marks_every_field_and_keeps_the_text() {
    let mut e = Editor::new(None);
    typed(&mut e, HEAD + 2, "ten");
    assert!(e.draft().is_none());
    assert_eq!(
        e.form.field(F_TITLE).and_then(FormField::error),
        Some("Title is required")
    );
    assert_eq!(
        e.form.field(HEAD).and_then(FormField::error),
        Some("Step 1: the description is required")
    );
    assert!(e.form.field(HEAD + 2).and_then(FormField::error).is_some());
    assert_eq!(e.form.focus(), F_TITLE);
    assert_eq!(e.form.value(HEAD + 2), "ten");
    typed(&mut e, F_TITLE, "Seal the basin");
    typed(&mut e, HEAD, "Apply sealant");
    e.form.set_focus(HEAD + 2);
    e.form.handle(Action::ClearField);
    e.form.paste("12");
    // Everything else is right: the change note is asked for.
    assert!(e.draft().is_none());
    assert_eq!(
        e.form.field(F_CHANGE_NOTE).and_then(FormField::error),
        Some(crate::domain::instructions::CHANGE_NOTE_REQUIRED)
    );
    assert_eq!(e.form.focus(), F_CHANGE_NOTE);
    typed(&mut e, F_CHANGE_NOTE, " First issue ");
    let d = e.draft().expect("valid");
    assert_eq!(d.change_note, "First issue");
    assert_eq!(d.title, "Seal the basin");
    assert_eq!(d.steps[0].estimated_minutes, Some(12));
    assert_eq!(d.steps[0].safety_notes, None);
    assert!(d.active);
}
