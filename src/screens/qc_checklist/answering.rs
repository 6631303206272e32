//! Answering one checklist line from the keyboard: y/n for yes-or-no items, N/A with its required note,
//! the value dialog (judged as typed), the choice dialog and the notes dialog. Shared by every screen that
//! fills in a form of checklist items (QC checklists, end-of-line testing): the screen keeps the answers
//! and saves them; this module turns keys into a new answer for one line.

use super::lines::{self, judgement_text, marker_style, range_text};
use super::sheet::AnswerForm;
use crate::domain::checklist::CheckType;
use crate::domain::qc::{Answer, Judgement, QcItemDef, judge};
use crate::keymap::{Action, KeyContext};
use crate::msg::Command;
use crate::screens::Ctx;
use crate::text::check_text;
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::{centered, dialog, dim, fit_text, request_status, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_textarea::{CursorMove, TextArea};

/// Longest note accepted for one line.
pub const NOTES_MAX: usize = 1000;
/// Longest TEXT answer (1-200 characters: docs/checklists.md §4).
const TEXT_MAX: usize = 200;
/// Longest measured value typed.
const VALUE_MAX: usize = 32;

/// The dialog answering one line; one at a time.
pub enum AnswerDialog {
    /// A MEASUREMENT or TEXT value, judged as typed.
    Value { line: usize, form: Form },
    /// A MULTI_CHOICE answer: one option, or several toggled with Space when `multiple`.
    Choice {
        line: usize,
        cursor: usize,
        checked: Vec<bool>,
        error: Option<String>,
    },
    /// The notes of a line; `for_na` marks the line N/A when saved (the note is then required);
    /// `offered`: the editor starts with the failed result's note (docs/qc.md §3.1).
    Notes {
        line: usize,
        editor: Box<TextArea<'static>>,
        for_na: bool,
        error: Option<String>,
        offered: bool,
    },
}

/// What a key in an answer dialog led to.
pub enum Step {
    /// The dialog stays open.
    Open(AnswerDialog),
    /// Closed without a change.
    Cancelled,
    /// The line has a new answer. `advance`: move the selection on from the line; `ask_note`: the answer
    /// needs a note, so the notes dialog opens at once with this message (the answer is kept meanwhile).
    Answered {
        line: usize,
        answer: Answer,
        advance: bool,
        ask_note: Option<String>,
    },
}

fn value_kind(t: CheckType) -> &'static str {
    match t {
        CheckType::Measurement => "a measured value",
        CheckType::Text => "a text",
        CheckType::MultiChoice => "a choice",
        CheckType::Boolean | CheckType::NaOption => "yes or no",
    }
}

/// One key for an open answering dialog: keeps it open, or applies the answer (advancing, saving, and
/// asking at once for a note the answer needs).
pub fn on_dialog_key(
    form: &mut impl AnswerForm,
    dialog: AnswerDialog,
    action: Action,
    ctx: &mut Ctx,
) -> Command {
    let line = dialog.line();
    // A value or a choice starts from the carried-over answer; notes belong to the line's own answer.
    let current = match &dialog {
        AnswerDialog::Notes { .. } => form.current(line),
        _ => form.sheet().base(line),
    };
    match dialog.handle(action, form.item_of(line), &current) {
        Step::Open(d) => {
            form.show(d);
            Command::None
        }
        Step::Cancelled => Command::None,
        Step::Answered {
            line,
            answer,
            advance,
            ask_note,
        } => {
            let stays = ask_note.is_none() && asks_note(form.item_of(line), &answer);
            let sheet = form.sheet_mut();
            sheet.set_answer(line, answer);
            if stays {
                sheet.message = Some(STAYS.into());
            } else if advance {
                sheet.advance_from(line);
            }
            let cmd = form.changed(line, ctx);
            if ask_note.is_some() {
                // The answer is kept (and saved); the note it needs is asked for at once.
                let note = notes(line, &form.current(line), false, ask_note);
                form.show(note);
            }
            cmd
        }
    }
}

/// Why the selection stayed on a line just answered.
pub const STAYS: &str = "Non-conforming: e adds a note to this item; ↓ moves on";

/// Whether `answer` asks for a note it does not have yet: a non-conforming answer (a fail is explained),
/// or one the item accepts only with a note. The selection then stays on the line, so the notes key
/// lands there (docs/qc.md §3.2).
pub fn asks_note(item: Option<&QcItemDef>, answer: &Answer) -> bool {
    let has_note = answer
        .notes
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty());
    !has_note
        && item.is_some_and(|i| {
            matches!(
                judge(i, answer),
                Judgement::NonConforming(_) | Judgement::Invalid(_)
            )
        })
}

/// `current` with a new value (no longer N/A).
pub fn with_value(current: &Answer, value: Option<String>) -> Answer {
    let mut a = current.clone();
    a.value = value;
    a.is_na = false;
    a
}

/// The answer to a yes-or-no key (`value` is "YES" or "NO"), or why the item takes another answer.
pub fn boolean(item: &QcItemDef, current: &Answer, value: &str) -> Result<Answer, String> {
    if !matches!(item.check_type, CheckType::Boolean | CheckType::NaOption) {
        return Err(format!(
            "This item needs {}: press Enter",
            value_kind(item.check_type)
        ));
    }
    Ok(with_value(current, Some(value.to_string())))
}

/// The notes dialog of a line, starting from its notes.
pub fn notes(line: usize, current: &Answer, for_na: bool, error: Option<String>) -> AnswerDialog {
    notes_from(line, current.notes.as_deref(), for_na, error, false)
}

/// The notes dialog of a line without notes of its own, starting from the note the failed result had on
/// it (`previous`), which the user keeps, edits or clears (docs/qc.md §3.1).
pub fn notes_offered(line: usize, current: &Answer, previous: Option<&str>) -> AnswerDialog {
    let own = current.notes.as_deref().filter(|n| !n.trim().is_empty());
    match (own, previous) {
        (None, Some(p)) => notes_from(line, Some(p), false, None, true),
        _ => notes(line, current, false, None),
    }
}

fn notes_from(
    line: usize,
    text: Option<&str>,
    for_na: bool,
    error: Option<String>,
    offered: bool,
) -> AnswerDialog {
    let text = text.unwrap_or_default();
    let mut editor = Box::new(TextArea::new(text.lines().map(str::to_string).collect()));
    editor.move_cursor(CursorMove::Bottom);
    editor.move_cursor(CursorMove::End);
    AnswerDialog::Notes {
        line,
        editor,
        for_na,
        error,
        offered,
    }
}

/// The N/A key: the notes dialog that marks the line N/A, or why N/A is not an option.
pub fn not_applicable(
    item: &QcItemDef,
    line: usize,
    current: &Answer,
) -> Result<AnswerDialog, String> {
    if item.check_type != CheckType::NaOption {
        return Err("N/A is not an option for this item".into());
    }
    Ok(notes(line, current, true, None))
}

/// The Enter key: the dialog for the item's kind of answer, or what to press instead.
pub fn edit(item: &QcItemDef, line: usize, current: &Answer) -> Result<AnswerDialog, String> {
    match item.check_type {
        CheckType::Measurement | CheckType::Text => {
            let text = item.check_type == CheckType::Text;
            let mut field = FormField::text(if text { "Text" } else { "Value" })
                .with_max_len(if text { TEXT_MAX } else { VALUE_MAX });
            if !current.is_na {
                field.set_value(current.value.as_deref().unwrap_or_default());
            }
            Ok(AnswerDialog::Value {
                line,
                form: Form::new(vec![field]).with_input_width(40),
            })
        }
        CheckType::MultiChoice => {
            let chosen: Vec<&str> = current
                .value
                .as_deref()
                .map(|v| v.split("; ").collect())
                .unwrap_or_default();
            let checked: Vec<bool> = item
                .options
                .iter()
                .map(|o| chosen.contains(&o.as_str()))
                .collect();
            let cursor = checked.iter().position(|c| *c).unwrap_or(0);
            Ok(AnswerDialog::Choice {
                line,
                cursor,
                checked,
                error: None,
            })
        }
        CheckType::Boolean | CheckType::NaOption => Err("Answer with y (yes) or n (no)".into()),
    }
}

impl AnswerDialog {
    pub fn line(&self) -> usize {
        match self {
            AnswerDialog::Value { line, .. }
            | AnswerDialog::Choice { line, .. }
            | AnswerDialog::Notes { line, .. } => *line,
        }
    }

    /// The key contexts while the dialog is open, innermost first.
    pub fn key_contexts(&self, item: Option<&QcItemDef>) -> Vec<KeyContext> {
        match self {
            AnswerDialog::Value { form, .. } => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            // Space toggles an option of a multiple choice; it arrives as typed text.
            AnswerDialog::Choice { .. } if item.is_some_and(|i| i.multiple) => {
                vec![KeyContext::TextInput, KeyContext::List, KeyContext::Dialog]
            }
            AnswerDialog::Choice { .. } => vec![KeyContext::List, KeyContext::Dialog],
            AnswerDialog::Notes { .. } => vec![KeyContext::TextInput, KeyContext::QcNotes],
        }
    }

    /// Typed text that closing the dialog would lose.
    pub fn has_input(&self) -> bool {
        match self {
            AnswerDialog::Value { form, .. } => form.has_input(),
            AnswerDialog::Notes { editor, .. } => !editor.is_empty(),
            AnswerDialog::Choice { .. } => false,
        }
    }

    /// Typed characters (`typed`) or pasted text.
    pub fn on_text(&mut self, text: &str, typed: bool) {
        match self {
            AnswerDialog::Value { form, .. } => {
                if typed {
                    text.chars().for_each(|c| {
                        form.type_char(c);
                    });
                } else {
                    form.paste(text);
                }
            }
            AnswerDialog::Notes { editor, error, .. } => {
                if insert_text(editor, text, NOTES_MAX) {
                    *error = None;
                }
            }
            AnswerDialog::Choice {
                cursor,
                checked,
                error,
                ..
            } if text == " " => {
                if let Some(c) = checked.get_mut(*cursor) {
                    *c = !*c;
                    *error = None;
                }
            }
            AnswerDialog::Choice { .. } => {}
        }
    }

    /// The answer the value dialog holds as typed (what it shows judged).
    pub fn candidate(&self, current: &Answer) -> Option<Answer> {
        match self {
            AnswerDialog::Value { form, .. } => {
                let value = form.value(0).trim().to_string();
                Some(with_value(current, (!value.is_empty()).then_some(value)))
            }
            _ => None,
        }
    }

    /// A key in the dialog. `item` is the line's item, `current` its answer now.
    pub fn handle(self, action: Action, item: Option<&QcItemDef>, current: &Answer) -> Step {
        match self {
            AnswerDialog::Value { line, mut form } => match action {
                Action::Cancel => Step::Cancelled,
                Action::Submit => {
                    let value = form.value(0).trim().to_string();
                    let answer = with_value(current, (!value.is_empty()).then_some(value));
                    if answer.value.is_some()
                        && let Some(Judgement::Invalid(why)) = item.map(|i| judge(i, &answer))
                    {
                        form.set_error(0, why);
                        return Step::Open(AnswerDialog::Value { line, form });
                    }
                    Step::Answered {
                        line,
                        answer,
                        advance: true,
                        ask_note: None,
                    }
                }
                other => {
                    form.handle(other);
                    Step::Open(AnswerDialog::Value { line, form })
                }
            },
            AnswerDialog::Choice {
                line,
                mut cursor,
                checked,
                mut error,
            } => {
                let multiple = item.is_some_and(|i| i.multiple);
                let n = checked.len();
                match action {
                    Action::Cancel => return Step::Cancelled,
                    Action::Up => cursor = cursor.saturating_sub(1),
                    Action::Down => cursor = (cursor + 1).min(n.saturating_sub(1)),
                    Action::First => cursor = 0,
                    Action::Last => cursor = n.saturating_sub(1),
                    Action::Submit => {
                        let options = item.map(|i| i.options.clone()).unwrap_or_default();
                        let chosen: Vec<String> = if multiple {
                            options
                                .iter()
                                .zip(&checked)
                                .filter(|(_, c)| **c)
                                .map(|(o, _)| o.clone())
                                .collect()
                        } else {
                            options.get(cursor).cloned().into_iter().collect()
                        };
                        if chosen.is_empty() {
                            error = Some("Choose at least one option (Space)".into());
                        } else {
                            return accept_choice(item, line, current, &chosen);
                        }
                    }
                    _ => {}
                }
                Step::Open(AnswerDialog::Choice {
                    line,
                    cursor,
                    checked,
                    error,
                })
            }
            AnswerDialog::Notes {
                line,
                mut editor,
                for_na,
                error: _,
                offered,
            } => match action {
                Action::Cancel => Step::Cancelled,
                Action::SaveNotes => {
                    let text = editor.lines().join("\n").trim().to_string();
                    if for_na && text.is_empty() {
                        return Step::Open(AnswerDialog::Notes {
                            line,
                            editor,
                            for_na,
                            error: Some("N/A needs a note: say why the item does not apply".into()),
                            offered,
                        });
                    }
                    // Refused here, with the note kept, rather than by the save that follows.
                    if let Err(e) = check_text("Note", &text, true) {
                        return Step::Open(AnswerDialog::Notes {
                            line,
                            editor,
                            for_na,
                            error: Some(e),
                            offered,
                        });
                    }
                    let mut answer = current.clone();
                    answer.notes = (!text.is_empty()).then_some(text);
                    if for_na {
                        answer.is_na = true;
                        answer.value = None;
                    }
                    Step::Answered {
                        line,
                        answer,
                        advance: for_na,
                        ask_note: None,
                    }
                }
                other => {
                    edit_notes(&mut editor, other);
                    Step::Open(AnswerDialog::Notes {
                        line,
                        editor,
                        for_na,
                        error: None,
                        offered,
                    })
                }
            },
        }
    }
}

fn accept_choice(
    item: Option<&QcItemDef>,
    line: usize,
    current: &Answer,
    chosen: &[String],
) -> Step {
    let needs_note: Vec<String> = item
        .map(|i| {
            chosen
                .iter()
                .filter(|c| i.note_required_for.contains(c))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let answer = with_value(current, Some(chosen.join("; ")));
    let has_note = answer
        .notes
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty());
    let ask_note = (!needs_note.is_empty() && !has_note)
        .then(|| format!("A note is required for {}", needs_note.join(", ")));
    Step::Answered {
        line,
        answer,
        advance: ask_note.is_none(),
        ask_note,
    }
}

/// Types `text` into a multi-line editor at its cursor: control characters other than line ends are
/// dropped, and nothing beyond `max` characters in all. Whether anything was typed.
pub(crate) fn insert_text(editor: &mut TextArea, text: &str, max: usize) -> bool {
    let room = max.saturating_sub(notes_len(editor));
    let clean: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(room)
        .collect();
    !clean.is_empty() && editor.insert_str(clean)
}

/// The characters a multi-line editor holds, a line end counting as one.
pub(crate) fn notes_len(editor: &TextArea) -> usize {
    editor
        .lines()
        .iter()
        .map(|l| l.chars().count() + 1)
        .sum::<usize>()
        .saturating_sub(1)
}

/// The editing keys of a multi-line editor.
pub(crate) fn edit_notes(editor: &mut TextArea, action: Action) {
    match action {
        Action::DeleteBack => {
            editor.delete_char();
        }
        Action::DeleteForward => {
            editor.delete_next_char();
        }
        Action::CursorLeft => editor.move_cursor(CursorMove::Back),
        Action::CursorRight => editor.move_cursor(CursorMove::Forward),
        Action::LineStart => editor.move_cursor(CursorMove::Head),
        Action::LineEnd => editor.move_cursor(CursorMove::End),
        Action::ClearField => {
            editor.move_cursor(CursorMove::End);
            editor.delete_line_by_head();
        }
        _ => {}
    }
}

/// Dims the screen and opens a dialog frame; returns the inside.
pub fn open(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    width: u16,
    height: u16,
    theme: &Theme,
) -> Rect {
    dim(frame, area, theme);
    dialog(frame, centered(area, width, height), title, theme)
}

/// Draws the dialog over `area`. `label` names the line ("Basin 2 · Drain time"), `current` is its
/// answer now.
pub fn draw(
    d: &mut AnswerDialog,
    frame: &mut Frame,
    area: Rect,
    item: Option<&QcItemDef>,
    label: &str,
    current: &Answer,
    theme: &Theme,
) {
    let candidate = d.candidate(current);
    match d {
        AnswerDialog::Value { form: f, .. } => {
            let answer = candidate.unwrap_or_default();
            let judged = item.map_or(Judgement::Unanswered, |i| judge(i, &answer));
            let range = item.and_then(range_text);
            let inner = open(frame, area, "Enter value", 80, 9, theme);
            let mut text = vec![Line::from(fit_text(label, usize::from(inner.width)))];
            if let Some(r) = range {
                text.push(Line::from(Span::styled(
                    format!("Conforming range {r}"),
                    theme.muted,
                )));
            } else {
                text.push(Line::from(""));
            }
            frame.render_widget(Paragraph::new(text), rows(inner, 0, 2));
            f.render(frame, rows(inner, 3, 2), theme);
            let shown = match &judged {
                Judgement::Unanswered => {
                    Span::styled("Empty: the line is left unanswered", theme.muted)
                }
                j => Span::styled(
                    format!("{} {}", lines::marker(j, &answer), judgement_text(j)),
                    marker_style(j, theme),
                ),
            };
            frame.render_widget(Paragraph::new(shown), rows(inner, 5, 1));
        }
        AnswerDialog::Choice {
            cursor,
            checked,
            error,
            ..
        } => {
            let Some(item) = item else { return };
            let n = u16::try_from(item.options.len()).unwrap_or(20);
            let inner = open(frame, area, "Choose", 80, n.saturating_add(8), theme);
            let mut text = vec![
                Line::from(fit_text(label, usize::from(inner.width))),
                Line::from(Span::styled(
                    if item.multiple {
                        "Space ticks an option (several allowed) · Enter accepts"
                    } else {
                        "↑/↓ choose · Enter accepts"
                    },
                    theme.muted,
                )),
                Line::from(""),
            ];
            for (i, o) in item.options.iter().enumerate() {
                let on = checked.get(i).copied().unwrap_or(false);
                let mark = match (item.multiple, on) {
                    (true, true) => "[x]",
                    (true, false) => "[ ]",
                    (false, _) if i == *cursor => "(•)",
                    (false, _) => "( )",
                };
                let sel = i == *cursor;
                let note = if item.note_required_for.contains(o) {
                    "  (needs a note)"
                } else {
                    ""
                };
                text.push(Line::from(Span::styled(
                    format!("{} {mark} {o}{note}", if sel { "▶" } else { " " }),
                    if sel { theme.selected } else { theme.base },
                )));
            }
            if let Some(e) = error {
                text.push(Line::from(Span::styled(format!("✖ {e}"), theme.error)));
            }
            frame.render_widget(Paragraph::new(text), inner);
        }
        AnswerDialog::Notes {
            editor,
            for_na,
            error,
            offered,
            ..
        } => {
            let title = if *for_na {
                "Not applicable: note"
            } else {
                "Notes"
            };
            let inner = open(frame, area, title, 84, 14, theme);
            let prompt = if *for_na {
                "Why does this item not apply? The note is required."
            } else if *offered {
                "The previous note, offered: keep, edit or clear it (Ctrl-U) · Ctrl-S saves"
            } else {
                "Notes for this line (Ctrl-S saves, Esc cancels)"
            };
            let text = vec![
                Line::from(fit_text(label, usize::from(inner.width))),
                Line::from(Span::styled(prompt, theme.muted)),
            ];
            frame.render_widget(Paragraph::new(text), rows(inner, 0, 2));
            let box_area = rows(inner, 3, inner.height.saturating_sub(5));
            let block = ratatui::widgets::Block::bordered().border_style(theme.focus);
            editor.set_block(block);
            editor.set_style(theme.input_focus);
            editor.set_cursor_style(theme.cursor);
            editor.set_cursor_line_style(ratatui::style::Style::new());
            frame.render_widget(&**editor, box_area);
            request_status(
                frame,
                rows(inner, inner.height.saturating_sub(1), 1),
                None,
                error.as_deref(),
                theme,
            );
        }
    }
}
