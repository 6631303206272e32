//! The compose box of the comments screen: a multi-line editor, the internal flag, and the comment it
//! edits, if any (docs/comments.md §7).

use crate::domain::comment::MAX_BODY;
use crate::keymap::Action;
use crate::screens::qc_checklist::answering::{edit_notes, insert_text, notes_len};
use tui_textarea::{CursorMove, TextArea};
use uuid::Uuid;

pub(super) struct Composer {
    pub editor: Box<TextArea<'static>>,
    /// Shown to the plant's roles only; fixed once posted.
    pub internal: bool,
    /// The comment being edited; `None` for a new one.
    pub editing: Option<Uuid>,
    /// The text it started with: leaving with this text loses nothing.
    original: String,
    /// Why the last post was refused, or what the last key could not do; the text stays.
    pub error: Option<String>,
}

impl Composer {
    /// A new comment, empty.
    pub fn new() -> Composer {
        Composer::with_text(None, "", false)
    }

    /// The author's own comment, its text to edit.
    pub fn edit(id: Uuid, body: &str, internal: bool) -> Composer {
        Composer::with_text(Some(id), body, internal)
    }

    fn with_text(editing: Option<Uuid>, body: &str, internal: bool) -> Composer {
        let mut editor = Box::new(TextArea::new(body.lines().map(str::to_string).collect()));
        editor.move_cursor(CursorMove::Bottom);
        editor.move_cursor(CursorMove::End);
        Composer {
            editor,
            internal,
            editing,
            original: body.to_string(),
            error: None,
        }
    }

    /// The text as typed, lines joined.
    pub fn text(&self) -> String {
        self.editor.lines().join("\n")
    }

    /// How many characters it holds.
    pub fn len(&self) -> usize {
        notes_len(&self.editor)
    }

    /// Typed text that leaving would lose.
    pub fn has_input(&self) -> bool {
        let text = self.text();
        !text.trim().is_empty() && text != self.original
    }

    /// Typed or pasted text; what goes beyond the length limit is cut and said.
    pub fn type_text(&mut self, text: &str) {
        let room = MAX_BODY.saturating_sub(self.len());
        let wanted = text
            .chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .count();
        insert_text(&mut self.editor, text, MAX_BODY);
        self.error = (wanted > room)
            .then(|| format!("A comment is at most {MAX_BODY} characters; the rest was cut"));
    }

    /// An editing key; false when `action` is not one.
    pub fn handle(&mut self, action: Action) -> bool {
        match action {
            Action::NewLine => self.type_text("\n"),
            Action::Up => self.editor.move_cursor(CursorMove::Up),
            Action::Down => self.editor.move_cursor(CursorMove::Down),
            Action::DeleteBack
            | Action::DeleteForward
            | Action::CursorLeft
            | Action::CursorRight
            | Action::LineStart
            | Action::LineEnd
            | Action::ClearField => {
                edit_notes(&mut self.editor, action);
                self.error = None;
            }
            _ => return false,
        }
        true
    }
}
