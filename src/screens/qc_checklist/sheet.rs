//! What the QC checklist and the testing form share: the answers by line with the selection, the keys
//! that move over the lines and answer them, and the panel the form is drawn in. Each screen keeps its
//! own form, saving and dialogs, and gives its items through [`AnswerForm`].

use super::answering::{self, AnswerDialog};
use super::lines;
use crate::domain::qc::{Answer, FormLine, Judgement, LineAnswer, QcItemDef, is_unanswered};
use crate::keymap::Action;
use crate::msg::Command;
use crate::screens::Ctx;
use crate::screens::selection::moved;
use crate::theme::Theme;
use crate::widgets::{draw_loading, inset, panel};
use ratatui::Frame;
use ratatui::layout::Rect;

/// The answers of a form's lines and where the user is in them.
#[derive(Default)]
pub struct Sheet {
    /// The answer of each line of the form, in line order.
    pub answers: Vec<Answer>,
    pub selected: usize,
    /// First row of the list shown; the drawing keeps the selection in view.
    pub scroll: usize,
    /// A message about the last key (e.g. why it did nothing).
    pub message: Option<String>,
    /// What an earlier, failed form offers each line, in line order (empty when nothing is offered).
    pub offers: Vec<Option<Offer>>,
}

/// What a failed form offers one line of the next form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    /// An answer that conformed on the failed testing form: shown "carried over — confirm", and not an
    /// answer until the user confirms it (docs/assembly-floor.md §5.1).
    Carried(Answer),
    /// The note the line had on the failed QC result: shown beside the line and offered when its notes
    /// are opened, never written by itself (docs/qc.md §3.1).
    PreviousNote(String),
}

impl Sheet {
    pub fn current(&self, line: usize) -> Answer {
        self.answers.get(line).cloned().unwrap_or_default()
    }

    /// The answer carried over to `line`, while the line has no answer of its own.
    pub fn carried(&self, line: usize) -> Option<&Answer> {
        match self.offers.get(line) {
            Some(Some(Offer::Carried(a))) if is_unanswered(&self.current(line)) => Some(a),
            _ => None,
        }
    }

    /// The lines whose carried-over answer waits for a confirmation.
    pub fn unconfirmed(&self) -> Vec<usize> {
        (0..self.answers.len())
            .filter(|&i| self.carried(i).is_some())
            .collect()
    }

    /// The note the failed result had on `line`.
    pub fn previous_note(&self, line: usize) -> Option<&str> {
        match self.offers.get(line) {
            Some(Some(Offer::PreviousNote(n))) => Some(n),
            _ => None,
        }
    }

    /// What a value or choice dialog starts from: the carried-over answer while it waits for a
    /// confirmation, otherwise the line's answer.
    pub fn base(&self, line: usize) -> Answer {
        self.carried(line)
            .cloned()
            .unwrap_or_else(|| self.current(line))
    }

    pub fn set_answer(&mut self, line: usize, answer: Answer) {
        if let Some(a) = self.answers.get_mut(line) {
            *a = answer;
        }
    }

    /// Moves the selection past `line` when it is the selected one.
    pub fn advance_from(&mut self, line: usize) {
        if self.selected == line {
            self.selected = (line + 1).min(self.answers.len().saturating_sub(1));
        }
    }

    /// Up, Down, PageUp, PageDown, First and Last over the lines `0..=last`.
    pub fn move_selection(&mut self, action: Action, last: usize) {
        self.selected = moved(self.selected, last + 1, action);
    }

    /// The answers of the lines in `range`, each with its item and basin.
    pub fn line_answers(
        &self,
        items: &[QcItemDef],
        lines: &[FormLine],
        range: impl IntoIterator<Item = usize>,
    ) -> Vec<LineAnswer> {
        range
            .into_iter()
            .filter_map(|i| {
                let line = lines.get(i)?;
                let item = items.get(line.item)?;
                Some(LineAnswer {
                    item_id: item.id,
                    basin_index: line.basin_index,
                    answer: self.current(i),
                })
            })
            .collect()
    }
}

/// A form whose lines are answered through the answering dialogs (the QC checklist, the testing form).
pub trait AnswerForm {
    fn sheet(&self) -> &Sheet;
    fn sheet_mut(&mut self) -> &mut Sheet;
    fn item_of(&self, line: usize) -> Option<&QcItemDef>;
    /// Keeps the change (the form's autosave).
    fn changed(&mut self, line: usize, ctx: &mut Ctx) -> Command;
    /// Shows `dialog` as the form's open dialog.
    fn show(&mut self, dialog: AnswerDialog);

    fn current(&self, line: usize) -> Answer {
        self.sheet().current(line)
    }

    fn judged(&self, line: usize) -> Judgement {
        lines::judgement(self.item_of(line), &self.current(line))
    }

    /// Selects the first line unanswered or invalid, or says that there is none.
    fn first_unanswered(&mut self) {
        let n = self.sheet().answers.len();
        match (0..n).find(|&i| {
            matches!(
                self.judged(i),
                Judgement::Unanswered | Judgement::Invalid(_)
            )
        }) {
            Some(i) => self.sheet_mut().selected = i,
            None => self.sheet_mut().message = Some("Every item is answered".into()),
        }
    }

    /// y or n on the selected line (`value` is "YES" or "NO"): the answer is kept and the selection
    /// moves on, or stays when the answer asks for a note (a fail, docs/qc.md §3.2), or the message
    /// says why the item takes another answer. y on a carried-over answer confirms it
    /// (docs/assembly-floor.md §5.1).
    fn answer_boolean(&mut self, value: &str, ctx: &mut Ctx) -> Command {
        let line = self.sheet().selected;
        if value == "YES"
            && let Some(carried) = self.sheet().carried(line).cloned()
        {
            let sheet = self.sheet_mut();
            sheet.set_answer(line, carried);
            sheet.advance_from(line);
            return self.changed(line, ctx);
        }
        let Some(item) = self.item_of(line) else {
            return Command::None;
        };
        match answering::boolean(item, &self.current(line), value) {
            Ok(answer) => {
                let stays = answering::asks_note(Some(item), &answer);
                let sheet = self.sheet_mut();
                sheet.set_answer(line, answer);
                if stays {
                    sheet.message = Some(answering::STAYS.into());
                } else {
                    sheet.advance_from(line);
                }
                self.changed(line, ctx)
            }
            Err(why) => {
                self.sheet_mut().message = Some(why);
                Command::None
            }
        }
    }

    /// N/A, Enter or the notes key on the selected line: its dialog, or the message saying what to press
    /// instead.
    fn open_answer(&mut self, action: Action) {
        let line = self.sheet().selected;
        let Some(item) = self.item_of(line) else {
            return;
        };
        let current = self.current(line);
        let opened = match action {
            Action::AnswerNa => answering::not_applicable(item, line, &current),
            Action::EditAnswer => answering::edit(item, line, &self.sheet().base(line)),
            _ => Ok(answering::notes_offered(
                line,
                &current,
                self.sheet().previous_note(line),
            )),
        };
        match opened {
            Ok(d) => self.show(d),
            Err(why) => self.sheet_mut().message = Some(why),
        }
    }
}

/// Confirms every carried-over answer still waiting, as the user asked after being told how many
/// (docs/assembly-floor.md §5.1); returns the lines confirmed.
pub fn confirm_all_carried(sheet: &mut Sheet) -> Vec<usize> {
    let lines = sheet.unconfirmed();
    for &i in &lines {
        if let Some(a) = sheet.carried(i).cloned() {
            sheet.set_answer(i, a);
        }
    }
    lines
}

/// The form's panel titled `title`; its inside with the form once it is loaded, else `None` with the
/// loading line (or why loading failed) drawn in it.
pub fn draw_panel<'f, F>(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    form: Option<&'f F>,
    load_error: Option<&str>,
    loading: &str,
    theme: &Theme,
) -> Option<(Rect, &'f F)> {
    if area.height < 3 || area.width < 20 {
        return None;
    }
    let block = panel(title, theme);
    let inner = inset(block.inner(area), 1);
    frame.render_widget(block, area);
    let Some(form) = form else {
        draw_loading(frame, inner, load_error, loading, theme);
        return None;
    };
    Some((inner, form))
}
