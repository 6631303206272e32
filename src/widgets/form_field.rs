//! Single-line form fields on top of `tui_textarea`, and a `Form` that moves focus between them.
//!
//! A field is drawn as one row (`▶ Label  [value      ]`) plus a message row below it for its inline
//! error, notice or hint, so a form never reflows while the user types.
//!
//! A pre-filled field made with [`FormField::with_select_on_focus`] has its whole text selected when
//! it gains focus: the first typed character (or a paste, or a delete) replaces it, an arrow, Home or End
//! keeps it. A paste longer than the field's room is cut, and the field says so under itself
//! (docs/architecture.md §3).

use crate::keymap::{Action, KeyContext};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_textarea::{CursorMove, TextArea};

/// The character drawn for each character of a masked field.
pub const MASK: char = '•';
/// Longest accepted input; protects against a runaway paste.
const DEFAULT_MAX_LEN: usize = 128;

#[derive(Debug, Clone)]
enum Kind {
    Text {
        // Boxed: a TextArea is large next to a choice.
        area: Box<TextArea<'static>>,
        masked: bool,
        max_len: usize,
    },
    Choice {
        options: Vec<String>,
        index: usize,
    },
}

/// One labelled input: free text (optionally masked) or a choice from a fixed list.
#[derive(Debug, Clone)]
pub struct FormField {
    label: String,
    kind: Kind,
    error: Option<String>,
    hint: Option<String>,
    /// Said under the field until the next edit (a paste that was cut).
    notice: Option<String>,
    /// Select the whole text whenever the field gains focus.
    select_on_focus: bool,
    /// The whole text is selected: typing replaces it.
    selected: bool,
}

fn new_area(masked: bool) -> Box<TextArea<'static>> {
    let mut area = Box::new(TextArea::default());
    area.set_cursor_line_style(ratatui::style::Style::new());
    if masked {
        area.set_mask_char(MASK);
    }
    area
}

impl FormField {
    pub fn text(label: impl Into<String>) -> FormField {
        FormField {
            label: label.into(),
            kind: Kind::Text {
                area: new_area(false),
                masked: false,
                max_len: DEFAULT_MAX_LEN,
            },
            error: None,
            hint: None,
            notice: None,
            select_on_focus: false,
            selected: false,
        }
    }

    /// A password field: every character shows as [`MASK`].
    pub fn masked(label: impl Into<String>) -> FormField {
        FormField {
            label: label.into(),
            kind: Kind::Text {
                area: new_area(true),
                masked: true,
                max_len: DEFAULT_MAX_LEN,
            },
            error: None,
            hint: None,
            notice: None,
            select_on_focus: false,
            selected: false,
        }
    }

    pub fn choice(label: impl Into<String>, options: Vec<String>, index: usize) -> FormField {
        let index = index.min(options.len().saturating_sub(1));
        FormField {
            label: label.into(),
            kind: Kind::Choice { options, index },
            error: None,
            hint: None,
            notice: None,
            select_on_focus: false,
            selected: false,
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> FormField {
        self.hint = Some(hint.into());
        self
    }

    /// A pre-filled field whose text is selected when it gains focus, so typing replaces it.
    #[must_use]
    pub fn with_select_on_focus(mut self) -> FormField {
        self.select_on_focus = true;
        self
    }

    /// The field gained focus: a [`FormField::with_select_on_focus`] field selects its text.
    pub fn focus_gained(&mut self) {
        self.selected = self.select_on_focus && !self.is_empty();
    }

    /// The field lost focus: a selection ends.
    pub fn focus_lost(&mut self) {
        self.selected = false;
    }

    /// True while the whole text is selected.
    pub fn is_selected(&self) -> bool {
        self.selected
    }

    /// What the field says under itself besides an error (a paste that was cut).
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Ends a selection; with `replace` the selected text is removed first.
    fn end_selection(&mut self, replace: bool) {
        if let Kind::Text { area, .. } = &mut self.kind {
            area.cancel_selection();
        }
        if std::mem::take(&mut self.selected) && replace {
            self.clear();
        }
    }

    #[must_use]
    pub fn with_max_len(mut self, len: usize) -> FormField {
        if let Kind::Text { max_len, .. } = &mut self.kind {
            *max_len = len;
        }
        self
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn is_text(&self) -> bool {
        matches!(self.kind, Kind::Text { .. })
    }

    pub fn is_masked(&self) -> bool {
        matches!(self.kind, Kind::Text { masked: true, .. })
    }

    /// The text typed, or the label of the chosen option.
    pub fn value(&self) -> String {
        match &self.kind {
            Kind::Text { area, .. } => area.lines().first().cloned().unwrap_or_default(),
            Kind::Choice { options, index } => options.get(*index).cloned().unwrap_or_default(),
        }
    }

    pub fn choice_index(&self) -> Option<usize> {
        match &self.kind {
            Kind::Choice { index, .. } => Some(*index),
            Kind::Text { .. } => None,
        }
    }

    /// True for a text field with nothing typed; a choice always holds a value, so it never counts as input.
    pub fn is_empty(&self) -> bool {
        match &self.kind {
            Kind::Text { area, .. } => area.is_empty(),
            Kind::Choice { .. } => true,
        }
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn set_error(&mut self, error: Option<String>) {
        self.error = error;
    }

    pub fn clear(&mut self) {
        if let Kind::Text { area, masked, .. } = &mut self.kind {
            *area = new_area(*masked);
        }
    }

    pub fn set_value(&mut self, value: &str) {
        self.selected = false;
        self.clear();
        self.paste(value);
        self.notice = None;
    }

    fn char_count(&self) -> usize {
        match &self.kind {
            Kind::Text { area, .. } => area.lines().first().map_or(0, |l| l.chars().count()),
            Kind::Choice { .. } => 0,
        }
    }

    /// Types one character. Control characters are refused; the field's error clears because the
    /// user is correcting it.
    pub fn type_char(&mut self, c: char) -> bool {
        if c.is_control() {
            return false;
        }
        self.end_selection(true);
        self.notice = None;
        let len = self.char_count();
        match &mut self.kind {
            Kind::Text { area, max_len, .. } if len < *max_len => {
                area.insert_char(c);
                self.error = None;
                true
            }
            _ => false,
        }
    }

    /// Inserts pasted text on one line: line breaks and tabs become spaces, a trailing line break
    /// (common when copying) is dropped, and the field's length limit holds; a paste that did not fit
    /// is cut and the field says so: `Pasted text cut to 512 characters`.
    pub fn paste(&mut self, text: &str) -> bool {
        let Kind::Text { max_len, .. } = &self.kind else {
            return false;
        };
        let max_len = *max_len;
        self.end_selection(true);
        let trimmed = text.trim_end_matches(['\r', '\n']);
        let room = max_len.saturating_sub(self.char_count());
        let mut changed = false;
        // Bounded by the room left, so a runaway paste costs nothing.
        for c in trimmed.chars().take(room) {
            let c = if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            };
            changed |= self.type_char(c);
        }
        self.notice = (trimmed.chars().nth(room).is_some())
            .then(|| format!("Pasted text cut to {max_len} characters"));
        changed
    }

    /// Applies an editing or choice action; false when the action means nothing to this field.
    pub fn edit(&mut self, action: Action) -> bool {
        // A delete replaces a selection; a cursor move keeps the text and ends the selection.
        let deletes = matches!(
            action,
            Action::DeleteBack | Action::DeleteForward | Action::ClearField
        );
        if self.selected
            && matches!(
                action,
                Action::DeleteBack
                    | Action::DeleteForward
                    | Action::ClearField
                    | Action::CursorLeft
                    | Action::CursorRight
                    | Action::LineStart
                    | Action::LineEnd
            )
        {
            self.end_selection(deletes);
            if deletes {
                self.error = None;
                self.notice = None;
                return true;
            }
        }
        if deletes {
            self.notice = None;
        }
        match &mut self.kind {
            Kind::Text { area, .. } => {
                let changed = match action {
                    Action::DeleteBack => area.delete_char(),
                    Action::DeleteForward => area.delete_next_char(),
                    Action::ClearField => {
                        area.move_cursor(CursorMove::End);
                        area.delete_line_by_head()
                    }
                    Action::CursorLeft => {
                        area.move_cursor(CursorMove::Back);
                        return true;
                    }
                    Action::CursorRight => {
                        area.move_cursor(CursorMove::Forward);
                        return true;
                    }
                    Action::LineStart => {
                        area.move_cursor(CursorMove::Head);
                        return true;
                    }
                    Action::LineEnd => {
                        area.move_cursor(CursorMove::End);
                        return true;
                    }
                    _ => return false,
                };
                if changed {
                    self.error = None;
                }
                true
            }
            Kind::Choice { options, index } => {
                let n = options.len();
                if n == 0 {
                    return false;
                }
                match action {
                    Action::PrevChoice => *index = (*index + n - 1) % n,
                    Action::NextChoice => *index = (*index + 1) % n,
                    _ => return false,
                }
                self.error = None;
                true
            }
        }
    }

    /// Draws the field row into `row` (height 1): marker, label, bracketed input.
    pub fn render(
        &mut self,
        frame: &mut Frame,
        row: Rect,
        theme: &Theme,
        focused: bool,
        label_width: u16,
        input_width: u16,
    ) {
        if row.width == 0 || row.height == 0 {
            return;
        }
        let marker = if focused { "▶ " } else { "  " };
        let label_style = if focused { theme.focus } else { theme.base };
        let label = format!(
            "{marker}{:<width$} ",
            self.label,
            width = usize::from(label_width)
        );
        let label_cols = u16::try_from(label.chars().count()).unwrap_or(u16::MAX);
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(label, label_style))),
            row,
        );
        let x = row.x.saturating_add(label_cols);
        let available = row.right().saturating_sub(x);
        if available < 3 {
            return;
        }
        let inner_width = input_width.min(available - 2);
        let bracket_style = if focused { theme.focus } else { theme.muted };
        let input_style = if focused {
            theme.input_focus
        } else {
            theme.input
        };
        frame.render_widget(Span::styled("[", bracket_style), Rect::new(x, row.y, 1, 1));
        frame.render_widget(
            Span::styled("]", bracket_style),
            Rect::new(x + 1 + inner_width, row.y, 1, 1),
        );
        let field = Rect::new(x + 1, row.y, inner_width, 1);
        match &mut self.kind {
            Kind::Text { area, .. } => {
                area.set_style(input_style);
                area.set_cursor_style(if focused { theme.cursor } else { input_style });
                area.set_selection_style(theme.selected);
                if self.selected {
                    area.select_all();
                } else {
                    area.cancel_selection();
                }
                frame.render_widget(&**area, field);
            }
            Kind::Choice { options, index } => {
                let value = options.get(*index).map_or("", String::as_str);
                let text = format!(
                    "◀ {value:<w$} ▶",
                    w = usize::from(inner_width.saturating_sub(4))
                );
                frame.render_widget(Paragraph::new(Span::styled(text, input_style)), field);
            }
        }
    }

    /// Draws the message row: the error, else the notice, else the hint.
    pub fn render_message(&self, frame: &mut Frame, row: Rect, theme: &Theme, indent: u16) {
        let line = if let Some(err) = &self.error {
            Line::from(Span::styled(format!("✖ {err}"), theme.error))
        } else if let Some(notice) = &self.notice {
            Line::from(Span::styled(format!("! {notice}"), theme.warn))
        } else if let Some(hint) = &self.hint {
            Line::from(Span::styled(hint.clone(), theme.muted))
        } else {
            return;
        };
        let x = row.x.saturating_add(indent).min(row.right());
        let area = Rect::new(x, row.y, row.right().saturating_sub(x), row.height.min(1));
        frame.render_widget(Paragraph::new(line), area);
    }
}

/// A column of fields with one focused.
#[derive(Debug, Clone)]
pub struct Form {
    fields: Vec<FormField>,
    focus: usize,
    /// Width of the label column, without the focus marker.
    pub label_width: u16,
    /// Width of the input between the brackets.
    pub input_width: u16,
}

impl Form {
    pub fn new(mut fields: Vec<FormField>) -> Form {
        let label_width = fields
            .iter()
            .map(|f| u16::try_from(f.label.chars().count()).unwrap_or(u16::MAX))
            .max()
            .unwrap_or(0);
        if let Some(first) = fields.first_mut() {
            first.focus_gained();
        }
        Form {
            fields,
            focus: 0,
            label_width,
            input_width: 32,
        }
    }

    #[must_use]
    pub fn with_input_width(mut self, width: u16) -> Form {
        self.input_width = width;
        self
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn focus(&self) -> usize {
        self.focus
    }

    pub fn set_focus(&mut self, i: usize) {
        if i < self.fields.len() {
            self.move_focus(i);
        }
    }

    /// Moves the focus to field `i`, telling both fields.
    fn move_focus(&mut self, i: usize) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.focus_lost();
        }
        self.focus = i;
        if let Some(f) = self.fields.get_mut(i) {
            f.focus_gained();
        }
    }

    pub fn is_last(&self) -> bool {
        self.focus + 1 >= self.fields.len()
    }

    pub fn next(&mut self) {
        if !self.fields.is_empty() {
            self.move_focus((self.focus + 1) % self.fields.len());
        }
    }

    pub fn prev(&mut self) {
        if !self.fields.is_empty() {
            self.move_focus((self.focus + self.fields.len() - 1) % self.fields.len());
        }
    }

    pub fn field(&self, i: usize) -> Option<&FormField> {
        self.fields.get(i)
    }

    pub fn field_mut(&mut self, i: usize) -> Option<&mut FormField> {
        self.fields.get_mut(i)
    }

    pub fn focused(&self) -> Option<&FormField> {
        self.fields.get(self.focus)
    }

    pub fn focused_mut(&mut self) -> Option<&mut FormField> {
        self.fields.get_mut(self.focus)
    }

    /// Every field's value, in order (to tell whether anything was typed since a point).
    pub fn values(&self) -> Vec<String> {
        (0..self.len()).map(|i| self.value(i)).collect()
    }

    pub fn value(&self, i: usize) -> String {
        self.fields.get(i).map(FormField::value).unwrap_or_default()
    }

    pub fn set_error(&mut self, i: usize, error: impl Into<String>) {
        if let Some(f) = self.fields.get_mut(i) {
            f.set_error(Some(error.into()));
        }
    }

    pub fn clear_errors(&mut self) {
        for f in &mut self.fields {
            f.set_error(None);
        }
    }

    /// The first field with an error, to move focus there after validation.
    pub fn first_error(&self) -> Option<usize> {
        self.fields.iter().position(|f| f.error.is_some())
    }

    /// True when anything has been typed: quitting would lose it.
    pub fn has_input(&self) -> bool {
        self.fields.iter().any(|f| !f.is_empty())
    }

    pub fn type_char(&mut self, c: char) -> bool {
        self.focused_mut().is_some_and(|f| f.type_char(c))
    }

    pub fn paste(&mut self, text: &str) -> bool {
        self.focused_mut().is_some_and(|f| f.paste(text))
    }

    /// Handles focus moves and field edits; returns false for actions the form leaves to its owner
    /// (Submit, Cancel, …).
    pub fn handle(&mut self, action: Action) -> bool {
        match action {
            Action::NextField => {
                self.next();
                true
            }
            Action::PrevField => {
                self.prev();
                true
            }
            other => self.focused_mut().is_some_and(|f| f.edit(other)),
        }
    }

    /// The key contexts of the focused field, then `Form` when there is more than one field to move
    /// between (a single-field form leaves Enter to its owner's context).
    pub fn key_contexts(&self) -> Vec<KeyContext> {
        let mut stack = match self.focused() {
            Some(f) if f.is_text() => vec![KeyContext::TextInput],
            Some(_) => vec![KeyContext::Choice],
            None => Vec::new(),
        };
        if self.fields.len() > 1 {
            stack.push(KeyContext::Form);
        }
        stack
    }

    /// Rows the form needs: one for each field and one for its message.
    pub fn height(&self) -> u16 {
        u16::try_from(self.fields.len() * 2).unwrap_or(u16::MAX)
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        // Messages start under the label: long errors get the whole width.
        let indent = 4;
        let (label_width, input_width, focus) = (self.label_width, self.input_width, self.focus);
        for (i, field) in self.fields.iter_mut().enumerate() {
            let y = area
                .y
                .saturating_add(u16::try_from(i * 2).unwrap_or(u16::MAX));
            if y >= area.bottom() {
                break;
            }
            let row = Rect::new(area.x, y, area.width, 1);
            field.render(frame, row, theme, i == focus, label_width, input_width);
            if y + 1 < area.bottom() {
                field.render_message(
                    frame,
                    Rect::new(area.x, y + 1, area.width, 1),
                    theme,
                    indent,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paste_stays_on_one_line() {
        let mut f = FormField::text("Name");
        f.paste("Jane\nDoe\n");
        assert_eq!(f.value(), "Jane Doe");
    }

    #[test]
    fn max_len_holds() {
        let mut f = FormField::text("Initials").with_max_len(3);
        f.paste("ABCDE");
        assert_eq!(f.value(), "ABC");
    }

    #[test]
    fn a_cut_paste_says_so_until_the_next_edit() {
        let mut f = FormField::text("Initials").with_max_len(3);
        f.paste("AB\n");
        assert_eq!(f.notice(), None, "a paste that fits says nothing");
        f.paste("CD");
        assert_eq!(f.value(), "ABC");
        assert_eq!(f.notice(), Some("Pasted text cut to 3 characters"));
        f.edit(Action::DeleteBack);
        assert_eq!(f.notice(), None);
        let mut g = FormField::text("Directory").with_max_len(4);
        g.set_value("/tmp/long");
        assert_eq!(
            g.notice(),
            None,
            "a value set by the program is not a paste"
        );
    }

    fn prefilled() -> Form {
        let mut dir = FormField::text("Directory").with_select_on_focus();
        dir.set_value("/srv/exports");
        Form::new(vec![dir, FormField::text("Other")])
    }

    #[test]
    fn typing_replaces_a_selected_prefilled_text() {
        let mut form = prefilled();
        assert!(form.focused().is_some_and(FormField::is_selected));
        form.type_char('/');
        form.paste("tmp");
        assert_eq!(form.value(0), "/tmp");
        // Focus away and back selects again; a paste replaces too.
        form.next();
        assert!(!form.field(0).is_some_and(FormField::is_selected));
        form.prev();
        form.paste("/home/op");
        assert_eq!(form.value(0), "/home/op");
    }

    #[test]
    fn an_arrow_home_or_end_keeps_the_selected_text_and_a_delete_removes_it() {
        for keep in [
            Action::CursorLeft,
            Action::CursorRight,
            Action::LineStart,
            Action::LineEnd,
        ] {
            let mut form = prefilled();
            form.handle(keep);
            assert!(!form.focused().is_some_and(FormField::is_selected));
            form.type_char('x');
            assert_eq!(
                form.value(0).chars().count(),
                "/srv/exports".len() + 1,
                "{keep:?} keeps the text: {}",
                form.value(0)
            );
        }
        let mut form = prefilled();
        form.handle(Action::LineEnd);
        form.type_char('/');
        assert_eq!(form.value(0), "/srv/exports/");
        for delete in [
            Action::DeleteBack,
            Action::DeleteForward,
            Action::ClearField,
        ] {
            let mut form = prefilled();
            form.handle(delete);
            assert_eq!(form.value(0), "", "{delete:?} removes the selection");
        }
        // A field without the flag appends, as before.
        let mut plain = FormField::text("Directory");
        plain.set_value("/srv");
        let mut form = Form::new(vec![plain]);
        form.type_char('x');
        assert_eq!(form.value(0), "/srvx");
    }

    #[test]
    fn typing_clears_the_error() {
        let mut f = FormField::masked("Password");
        f.set_error(Some("required".into()));
        f.type_char('x');
        assert_eq!(f.error(), None);
        assert!(f.is_masked());
    }

    #[test]
    fn editing_actions() {
        let mut f = FormField::text("User");
        f.paste("abc");
        f.edit(Action::CursorLeft);
        f.edit(Action::DeleteBack);
        assert_eq!(f.value(), "ac");
        f.edit(Action::ClearField);
        assert!(f.is_empty());
    }

    #[test]
    fn choices_wrap() {
        let mut f = FormField::choice("Role", vec!["a".into(), "b".into()], 0);
        f.edit(Action::PrevChoice);
        assert_eq!(f.value(), "b");
        f.edit(Action::NextChoice);
        assert_eq!(f.choice_index(), Some(0));
    }
}
