//! What every signing dialog shows and asks (docs/signatures.md §4): the signature as it will print — the
//! printed name and the meaning, in words too — and the password that re-authenticates the signer.

use crate::domain::signature::{Meaning, printed_name};
use crate::keymap::Action;
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::{centered, dialog, dim, fit_text, request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

pub use crate::domain::signature::EMPTY_PASSWORD;

/// The lines above a signing dialog's fields.
pub fn signing_lines(full_name: &str, meaning: Meaning) -> Vec<String> {
    vec![
        format!(
            "Signature: {} | {}",
            crate::text::for_terminal(&printed_name(full_name)),
            meaning.code()
        ),
        format!("Meaning: {}.", meaning.statement()),
    ]
}

/// The masked password field that signs.
pub fn password_field() -> FormField {
    FormField::masked("Password").with_hint("Your password signs this record")
}

/// The password typed into `field`, or the field marked with [`EMPTY_PASSWORD`] when it is empty.
pub fn password(field: &mut FormField) -> Option<String> {
    let value = field.value();
    if value.is_empty() {
        field.set_error(Some(EMPTY_PASSWORD.to_string()));
        return None;
    }
    Some(value)
}

/// What a key in a signing dialog asks of the screen that owns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignKey {
    /// Enter on the last field: send the write with the password.
    Sign,
    /// Esc: close the dialog.
    Cancel,
    /// The dialog handled the key itself (editing, moving between fields).
    Handled,
}

/// A dialog that confirms a write and signs it: what it does (`lines`), the signature as it will print,
/// the write's own fields (a reason, a note) and, last, the password. Enter moves through the fields and
/// signs from the last; a refusal keeps everything typed but the password.
pub struct SigningDialog {
    pub title: String,
    /// What the write does, in words, above the signature.
    pub lines: Vec<String>,
    signature: Vec<String>,
    pub meaning: Meaning,
    /// The write's own fields, then the password.
    pub form: Form,
    pub error: Option<String>,
}

impl SigningDialog {
    /// A dialog signed by `full_name` with `meaning`; `fields` come before the password.
    pub fn new(
        title: impl Into<String>,
        lines: Vec<String>,
        full_name: &str,
        meaning: Meaning,
        mut fields: Vec<FormField>,
    ) -> SigningDialog {
        fields.push(password_field());
        SigningDialog {
            title: title.into(),
            lines,
            signature: signing_lines(full_name, meaning),
            meaning,
            form: Form::new(fields).with_input_width(44),
            error: None,
        }
    }

    /// Handles a key: Enter moves to the next field and signs from the last, Esc cancels, the rest edits.
    pub fn key(&mut self, action: Action) -> SignKey {
        match action {
            Action::Submit if self.form.is_last() => SignKey::Sign,
            Action::Submit => {
                self.form.next();
                SignKey::Handled
            }
            Action::Cancel => SignKey::Cancel,
            other => {
                self.form.handle(other);
                SignKey::Handled
            }
        }
    }

    fn password_index(&self) -> usize {
        self.form.len().saturating_sub(1)
    }

    /// The password typed, or `None` with the field marked and focused when it is empty.
    pub fn password(&mut self) -> Option<String> {
        let i = self.password_index();
        let typed = self.form.field_mut(i).and_then(password);
        if typed.is_none() {
            self.form.set_focus(i);
        }
        typed
    }

    /// The write was refused: the message is shown, the password cleared and focused, the rest kept.
    pub fn refused(&mut self, message: String) {
        let i = self.password_index();
        if let Some(field) = self.form.field_mut(i) {
            field.clear();
        }
        self.form.set_focus(i);
        self.error = Some(message);
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, busy: Option<&str>, theme: &Theme) {
        dim(frame, area, theme);
        let text_rows = u16::try_from(self.lines.len()).unwrap_or(u16::MAX);
        // Frame and margin, the lines, a gap, the two signature lines, a gap, the form, the status.
        let height = text_rows
            .saturating_add(self.form.height())
            .saturating_add(9);
        let inner = dialog(frame, centered(area, 78, height), &self.title, theme);
        let width = usize::from(inner.width);
        for (n, line) in (1u16..).zip(&self.lines) {
            frame.render_widget(Paragraph::new(fit_text(line, width)), row(inner, n));
        }
        let sig_row = text_rows + 2;
        for (n, line) in (sig_row..).zip(&self.signature) {
            frame.render_widget(
                Paragraph::new(Span::styled(fit_text(line, width), theme.title)),
                row(inner, n),
            );
        }
        let form_row = sig_row + 3;
        self.form
            .render(frame, rows(inner, form_row, self.form.height()), theme);
        let status_row = form_row + self.form.height();
        request_status(
            frame,
            rows(inner, status_row, 1),
            busy,
            self.error.as_deref(),
            theme,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialog_shows_the_name_and_meaning_and_an_empty_password_is_refused() {
        let lines = signing_lines("Casey Coordinator", Meaning::Shipped);
        assert_eq!(lines[0], "Signature: Casey Coordinator | SHIPPED");
        assert!(lines[1].contains("release this build"));
        let mut field = password_field();
        assert_eq!(password(&mut field), None);
        assert_eq!(field.error(), Some(EMPTY_PASSWORD));
        field.set_value("secret");
        assert_eq!(password(&mut field).as_deref(), Some("secret"));
    }

    #[test]
    fn a_refusal_clears_only_the_password() {
        let reason = FormField::text("Reason");
        let mut d = SigningDialog::new(
            "Override",
            vec![],
            "Ada Admin",
            Meaning::Override,
            vec![reason],
        );
        assert_eq!(d.password(), None);
        assert_eq!(d.form.focus(), 1);
        if let Some(f) = d.form.field_mut(0) {
            f.set_value("Customer call");
        }
        if let Some(f) = d.form.field_mut(1) {
            f.set_value("wrong");
        }
        assert_eq!(d.password().as_deref(), Some("wrong"));
        d.refused("Wrong password; nothing was signed".into());
        assert_eq!(d.form.value(0), "Customer call");
        assert_eq!(d.form.value(1), "");
        assert_eq!(d.form.focus(), 1);
        assert_eq!(
            d.error.as_deref(),
            Some("Wrong password; nothing was signed")
        );
    }
}
