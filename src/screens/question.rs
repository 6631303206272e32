//! The question before a permanent write (docs/architecture.md §3.1): a dialog's Enter never sends a
//! write that changes a status, a role or an account, or submits a decision; it asks a yes/no question
//! that names the record and the effect, holding the request ready, and only `y` sends it.
//!
//! A screen keeps one [`Question`]; while it is open its key contexts are [`Question::contexts`] (only
//! `y`, `n` and Esc work), `on_action` hands each key to [`Question::answer`] first, and `view` draws
//! it over the dialog it came from. After `y` the question closes and the dialog underneath shows the
//! request on its way and any refusal, with everything typed kept; `n` or Esc goes back to the dialog.

use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::Request;
use crate::screens::Ctx;
use crate::theme::Theme;
use crate::widgets::{confirm, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;

/// The widest line of a question, in characters, before it wraps.
const WIDTH: usize = 64;

/// A typed note as a question quotes it: the first line's words, shortened.
pub fn quoted(note: &str) -> String {
    let one_line = note.split_whitespace().collect::<Vec<_>>().join(" ");
    let short = crate::widgets::fit_text(&one_line, WIDTH - 10);
    format!("“{short}”")
}

/// The key contexts of a form dialog with a question: the question's answers while it is open, else
/// the form's and the dialog's.
pub fn dialog_contexts<T>(
    question: &Question<T>,
    form: &crate::widgets::form_field::Form,
) -> Vec<KeyContext> {
    if question.is_open() {
        return Question::<T>::contexts();
    }
    let mut stack = form.key_contexts();
    stack.push(KeyContext::Dialog);
    stack
}

/// The words of a form dialog with a question (the hold, release, correction and cancel dialogs).
pub struct FormDialogText<'a> {
    pub title: &'a str,
    /// The line above the form.
    pub lead: String,
    /// Under the form while nothing is on its way and nothing was refused.
    pub hint: &'a str,
    pub busy: Option<&'a str>,
    pub error: Option<&'a str>,
}

/// Draws a form dialog over the dimmed screen: the lead line, the form, the hint or what is on its way
/// or refused, and the question over it all when it is open.
pub fn render_form_dialog<T>(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    text: &FormDialogText<'_>,
    form: &mut crate::widgets::form_field::Form,
    question: &Question<T>,
) {
    use crate::widgets::{centered, dialog, dim, request_status, row, rows};
    use ratatui::text::Span;
    use ratatui::widgets::Paragraph;
    dim(frame, area, theme);
    let height = form.height() + 6;
    let inner = dialog(frame, centered(area, 80, height), text.title, theme);
    frame.render_widget(Paragraph::new(text.lead.clone()), row(inner, 0));
    form.render(frame, rows(inner, 2, form.height()), theme);
    let status = rows(inner, 2 + form.height() + 1, 1);
    if text.busy.is_none() && text.error.is_none() {
        frame.render_widget(Paragraph::new(Span::styled(text.hint, theme.muted)), status);
    }
    request_status(frame, status, text.busy, text.error, theme);
    question.render(frame, area, theme);
}

/// The request waiting for its `y`.
struct Asked<T> {
    title: String,
    lines: Vec<String>,
    request: Request,
    with: T,
}

/// What a key did to an open question.
#[derive(Debug, PartialEq)]
pub enum Answered<T> {
    /// `y`: send this request (carrying `T`, e.g. what to say on success).
    Send(Request, T),
    /// `n` or Esc: the question closed; the dialog under it is back.
    Declined,
    /// Any other key: ignored while the question is open.
    Ignored,
}

/// A yes/no question holding the write it asks about.
pub struct Question<T = ()> {
    asked: Option<Asked<T>>,
    keys: Vec<HelpLine>,
}

impl<T> Question<T> {
    /// No question yet; the answer keys come from the keymap.
    pub fn new(ctx: &Ctx) -> Question<T> {
        Question {
            asked: None,
            keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
        }
    }

    /// The key contexts of an open question: only its answers work.
    pub fn contexts() -> Vec<KeyContext> {
        vec![KeyContext::Confirm]
    }

    /// Asks `lines` under `title`, holding `request` until `y`.
    pub fn ask(&mut self, title: &str, lines: Vec<String>, request: Request, with: T) {
        let lines = lines.iter().flat_map(|l| wrap(l, WIDTH)).collect();
        self.asked = Some(Asked {
            title: title.to_string(),
            lines,
            request,
            with,
        });
    }

    pub fn is_open(&self) -> bool {
        self.asked.is_some()
    }

    /// The lines asked, for tests and the view.
    pub fn lines(&self) -> &[String] {
        self.asked.as_ref().map_or(&[], |a| a.lines.as_slice())
    }

    /// Closes the question without sending (the dialog it belongs to closed).
    pub fn close(&mut self) {
        self.asked = None;
    }

    /// The answer to `action`, or `None` when no question is open (the screen handles the key).
    pub fn answer(&mut self, action: Action) -> Option<Answered<T>> {
        self.asked.as_ref()?;
        Some(match action {
            Action::Yes => match self.asked.take() {
                Some(a) => Answered::Send(a.request, a.with),
                None => Answered::Ignored,
            },
            Action::No | Action::Cancel => {
                self.asked = None;
                Answered::Declined
            }
            _ => Answered::Ignored,
        })
    }

    /// Draws the open question centred in `area`, over whatever is drawn there.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Some(a) = &self.asked {
            confirm::render(frame, area, &a.title, &a.lines, &self.keys, theme);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::Keymap;
    use crate::screens::IdGen;

    fn logout() -> Request {
        Request::Logout { token: "t".into() }
    }

    #[test]
    fn only_yes_hands_back_the_request() {
        let mut ids = IdGen::default();
        let keymap = Keymap::default();
        let ctx = Ctx::new(&mut ids, None, &keymap);
        let mut q: Question<&str> = Question::new(&ctx);
        assert_eq!(q.answer(Action::Yes), None, "no question, the screen's key");
        q.ask(
            "Move",
            vec!["Move B from A to C?".into()],
            logout(),
            "moved",
        );
        assert_eq!(Question::<()>::contexts(), vec![KeyContext::Confirm]);
        for key in [Action::Submit, Action::Open, Action::Accept, Action::Save] {
            assert_eq!(
                q.answer(key),
                Some(Answered::Ignored),
                "{key:?} never sends"
            );
            assert!(q.is_open());
        }
        assert_eq!(
            q.answer(Action::Yes),
            Some(Answered::Send(logout(), "moved"))
        );
        assert!(!q.is_open());
        q.ask("Move", vec!["again".into()], logout(), "moved");
        assert_eq!(q.answer(Action::No), Some(Answered::Declined));
        q.ask("Move", vec!["again".into()], logout(), "moved");
        assert_eq!(q.answer(Action::Cancel), Some(Answered::Declined));
        assert!(!q.is_open());
    }

    #[test]
    fn long_lines_wrap_and_notes_are_quoted_on_one_line() {
        let mut ids = IdGen::default();
        let keymap = Keymap::default();
        let ctx = Ctx::new(&mut ids, None, &keymap);
        let mut q: Question = Question::new(&ctx);
        q.ask("Move", vec!["word ".repeat(30)], logout(), ());
        assert!(q.lines().len() > 1);
        assert!(q.lines().iter().all(|l| l.chars().count() <= WIDTH));
        assert_eq!(quoted("o-pass\nword"), "“o-pass word”");
    }
}
