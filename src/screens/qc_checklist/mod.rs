//! The screen for a build's QC checklist (Pre-QC or Final QC): answers from the keyboard, drafts saved as
//! they go, signing.
//!
//! Every change is sent as a draft save of the changed lines at once; while a save is out, further changes
//! wait and go together in the next one, so no answer is lost and the saves never overtake each other.
//! A failed save keeps the changes and tries again on the next change or a few seconds later.

pub mod answering;
pub mod autosave;
pub mod drawing;
pub mod lines;
pub mod sheet;
mod sign;
mod view;

use crate::domain::Role;
use crate::domain::checklist::FormType;
use crate::domain::live::{Entity, LiveEvent};
use crate::domain::order::OrderStatus;
use crate::domain::qc::{
    Answer, JOB_ID_MAX, Judgement, Progress, QcForm, QcItemDef, judge, progress, validate_job_id,
};
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_reads::{LiveRecord, Stale};
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::toast::Toast;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::collections::BTreeSet;
use std::time::Instant;
use uuid::Uuid;

pub use answering::{AnswerDialog, NOTES_MAX};
pub use autosave::{Autosave, RETRY_AFTER, SaveStatus};
use sheet::{AnswerForm, Offer, Sheet};
pub use sign::{ReasonPicker, SIGN_JOB, SIGN_OUTCOME, SIGN_PASSWORD, SIGN_REASON, SignDialog};

/// The dialogs over the checklist; one at a time.
pub enum Dialog {
    /// Answering a line: a value, a choice or notes.
    Answer(AnswerDialog),
    JobId {
        form: Form,
    },
    Sign(Box<SignDialog>),
    /// ADMIN: discard another inspector's draft?
    Discard,
}

pub struct QcChecklistScreen {
    order_id: Uuid,
    is_admin: bool,
    /// "Quentin Okafor (QO)", for the sign dialog.
    signer: String,
    load: Pending,
    load_error: Option<String>,
    form: Option<Box<QcForm>>,
    sheet: Sheet,
    job_id: String,
    dialog: Option<Dialog>,
    // Autosave.
    /// The save out carries the lines it sent (kept again if it fails).
    autosave: Autosave<Vec<usize>>,
    pending: BTreeSet<usize>,
    job_dirty: bool,
    discard_pending: Pending,
    confirm_keys: Vec<HelpLine>,
    /// Another station changed the build's QC or the build (docs/live.md §3.3).
    stale: Stale,
    /// The build's current drawing (docs/documents.md §4).
    drawing: drawing::DrawingLink,
}

impl QcChecklistScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (QcChecklistScreen, Command) {
        let (is_admin, signer) = ctx.session().map_or((false, String::new()), |s| {
            (
                s.user.role == Role::Admin,
                format!("{} ({})", s.user.full_name, s.user.initials),
            )
        });
        let mut s = QcChecklistScreen {
            order_id,
            is_admin,
            signer,
            load: Pending::new(),
            load_error: None,
            form: None,
            sheet: Sheet::default(),
            job_id: String::new(),
            dialog: None,
            autosave: Autosave::default(),
            pending: BTreeSet::new(),
            job_dirty: false,
            discard_pending: Pending::new(),
            confirm_keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
            stale: Stale::default(),
            drawing: drawing::DrawingLink::default(),
        };
        let documents = s.drawing.request(order_id, ctx);
        let cmd = documents.and(s.reload(ctx));
        (s, cmd)
    }

    pub fn form(&self) -> Option<&QcForm> {
        self.form.as_deref()
    }

    pub fn save_status(&self) -> &SaveStatus {
        self.autosave.status()
    }

    pub fn dialog(&self) -> Option<&Dialog> {
        self.dialog.as_ref()
    }

    pub fn job_id(&self) -> &str {
        &self.job_id
    }

    /// The job id is the failed result's, offered again (docs/qc.md §3.1).
    pub fn job_carried(&self) -> bool {
        let previous = self.form.as_ref().and_then(|f| f.previous.as_ref());
        previous
            .and_then(|p| p.job_id.as_deref())
            .is_some_and(|j| !j.is_empty() && j == self.job_id)
    }

    /// Another inspector's draft is open: the form is only shown.
    pub fn read_only(&self) -> bool {
        self.form
            .as_ref()
            .is_some_and(|f| f.draft_by_other.is_some())
    }

    pub fn progress(&self) -> Progress {
        match &self.form {
            Some(f) => progress(
                &f.items,
                &f.lines,
                &self
                    .sheet
                    .line_answers(&f.items, &f.lines, 0..self.sheet.answers.len()),
            ),
            None => Progress::default(),
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.load.begin(
            ctx,
            Request::QcForm {
                token,
                order_id: self.order_id,
            },
            (),
        )
    }

    fn on_text(&mut self, text: &str, typed: bool) {
        match &mut self.dialog {
            Some(Dialog::Answer(d)) => d.on_text(text, typed),
            Some(Dialog::JobId { form }) => {
                if typed {
                    text.chars().for_each(|c| {
                        form.type_char(c);
                    });
                } else {
                    form.paste(text);
                }
            }
            Some(Dialog::Sign(d)) if d.reasons.open => {}
            Some(Dialog::Sign(d)) => {
                if typed {
                    text.chars().for_each(|c| {
                        d.form.type_char(c);
                    });
                } else {
                    d.form.paste(text);
                }
            }
            _ => {}
        }
    }

    // --- Moving ----------------------------------------------------------------------------------

    fn section_of(&self, line: usize) -> Option<&str> {
        self.item_of(line).map(|i| i.section.as_str())
    }

    fn next_section(&mut self) {
        let n = self.sheet.answers.len();
        let here = self.section_of(self.sheet.selected).map(str::to_string);
        if let Some(i) =
            (self.sheet.selected + 1..n).find(|&i| self.section_of(i) != here.as_deref())
        {
            self.sheet.selected = i;
        }
    }

    fn prev_section(&mut self) {
        let start = |s: &Self, i: usize| {
            let sec = s.section_of(i);
            (0..=i)
                .rev()
                .take_while(|&k| s.section_of(k) == sec)
                .last()
                .unwrap_or(i)
        };
        let here = start(self, self.sheet.selected);
        self.sheet.selected = if here == self.sheet.selected && here > 0 {
            start(self, here - 1)
        } else {
            here
        };
    }

    fn next_non_conforming(&mut self) {
        let n = self.sheet.answers.len();
        match (1..=n)
            .map(|k| (self.sheet.selected + k) % n.max(1))
            .find(|&i| matches!(self.judged(i), Judgement::NonConforming(_)))
        {
            Some(i) => self.sheet.selected = i,
            None => self.sheet.message = Some("No item is non-conforming".into()),
        }
    }

    // --- Dialogs ---------------------------------------------------------------------------------

    fn on_dialog_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(dialog) = self.dialog.take() else {
            return Command::None;
        };
        match dialog {
            Dialog::Answer(d) => answering::on_dialog_key(self, d, action, ctx),
            Dialog::JobId { mut form } => match action {
                Action::Cancel => Command::None,
                Action::Submit => match validate_job_id(&form.value(0)) {
                    Ok(job) => {
                        if job != self.job_id {
                            self.job_id = job;
                            self.job_dirty = true;
                            return self.flush(ctx);
                        }
                        Command::None
                    }
                    Err(e) => {
                        form.set_error(0, e);
                        self.dialog = Some(Dialog::JobId { form });
                        Command::None
                    }
                },
                other => {
                    form.handle(other);
                    self.dialog = Some(Dialog::JobId { form });
                    Command::None
                }
            },
            Dialog::Sign(mut d) if d.reasons.open => {
                match action {
                    // While the submit is on its way Esc closes the dialog, as from the fields.
                    Action::Cancel if d.pending.is_some() => return Command::None,
                    _ if d.pending.is_some() => {}
                    Action::Cancel => d.reasons.open = false,
                    Action::Submit => {
                        let cmd = self.sign(&mut d, ctx);
                        self.dialog = Some(Dialog::Sign(d));
                        return cmd;
                    }
                    other => {
                        if d.reasons.on_action(other) {
                            d.error = None;
                        }
                    }
                }
                self.dialog = Some(Dialog::Sign(d));
                Command::None
            }
            Dialog::Sign(mut d) => match action {
                Action::Cancel => Command::None,
                Action::Submit => {
                    if d.pending.is_some() {
                        self.dialog = Some(Dialog::Sign(d));
                        return Command::None;
                    }
                    let cmd = self.sign(&mut d, ctx);
                    self.dialog = Some(Dialog::Sign(d));
                    cmd
                }
                other => {
                    d.form.handle(other);
                    self.dialog = Some(Dialog::Sign(d));
                    Command::None
                }
            },
            Dialog::Discard => match action {
                Action::Yes => {
                    let (Some(token), Some(f)) = (ctx.token(), &self.form) else {
                        return Command::None;
                    };
                    self.discard_pending.begin(
                        ctx,
                        Request::DiscardQcDraft {
                            token,
                            order_id: self.order_id,
                            qc_type: f.header.qc_type,
                        },
                        (),
                    )
                }
                Action::No | Action::Cancel => Command::None,
                _ => {
                    self.dialog = Some(Dialog::Discard);
                    Command::None
                }
            },
        }
    }

    /// How an answer not yet stored would be judged (the dialogs show it as it is typed).
    pub fn judge_candidate(&self, line: usize, answer: &Answer) -> Judgement {
        match self.item_of(line) {
            Some(item) => judge(item, answer),
            None => Judgement::Unanswered,
        }
    }

    // --- Saving ----------------------------------------------------------------------------------

    /// Sends the waiting changes unless a save is already out (its reply sends them).
    fn flush(&mut self, ctx: &mut Ctx) -> Command {
        if self.autosave.busy() || (self.pending.is_empty() && !self.job_dirty) {
            return Command::None;
        }
        let (Some(token), Some(f)) = (ctx.token(), &self.form) else {
            return Command::None;
        };
        let qc_type = f.header.qc_type;
        let lines: Vec<usize> = std::mem::take(&mut self.pending).into_iter().collect();
        let answers = self
            .sheet
            .line_answers(&f.items, &f.lines, lines.iter().copied());
        let (id, cmd) = ctx.request(Request::SaveQcDraft {
            token,
            order_id: self.order_id,
            qc_type,
            job_id: self.job_id.clone(),
            answers,
        });
        self.job_dirty = false;
        self.autosave.sent(id, lines);
        cmd
    }

    // --- Replies ---------------------------------------------------------------------------------

    fn loaded(&mut self, form: Box<QcForm>) {
        self.sheet.answers = lines::answers_by_line(&form.items, &form.lines, &form.answers);
        self.job_id = form.job_id.clone();
        // After a failure: its job id and its failed items' notes, offered (docs/qc.md §3.1).
        if let Some(p) = &form.previous {
            self.sheet.offers = form
                .lines
                .iter()
                .map(|l| {
                    let item = form.items.get(l.item)?;
                    p.notes
                        .iter()
                        .find(|n| n.item_id == item.id && n.basin_index == l.basin_index)
                        .map(|n| Offer::PreviousNote(n.note.clone()))
                })
                .collect();
            if self.job_id.trim().is_empty()
                && let Some(job) = p.job_id.as_deref()
            {
                self.job_id = job.to_string();
            }
            if self.sheet.message.is_none() && form.draft_by_other.is_none() {
                self.sheet.message = Some(format!(
                    "After the {} FAIL by {}: its job id and {} item note(s) (✎) are offered again",
                    lines::form_label(form.header.qc_type),
                    p.performed_by,
                    p.notes.len()
                ));
            }
        } else {
            self.sheet.offers.clear();
        }
        self.sheet.selected = self.sheet.selected.min(form.lines.len().saturating_sub(1));
        self.load_error = None;
        self.pending.clear();
        self.job_dirty = false;
        self.autosave.reset();
        self.form = Some(form);
        // Resuming a draft: start at the first line still open.
        if self.sheet.selected == 0
            && let Some(i) = (0..self.sheet.answers.len())
                .find(|&i| matches!(self.judged(i), Judgement::Unanswered))
        {
            self.sheet.selected = i;
        }
    }
}

impl Screen for QcChecklistScreen {
    fn title(&self) -> &'static str {
        "QC checklist"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        match &self.dialog {
            Some(Dialog::Answer(d)) => d.key_contexts(self.item_of(d.line())),
            Some(Dialog::JobId { form }) => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Some(Dialog::Sign(d)) if d.reasons.open => {
                vec![
                    KeyContext::ReasonPicker,
                    KeyContext::List,
                    KeyContext::Dialog,
                ]
            }
            Some(Dialog::Sign(d)) => {
                let mut stack = d.form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Some(Dialog::Discard) => vec![KeyContext::Confirm],
            None if self.form.is_none() => vec![KeyContext::QcReadOnly],
            None => {
                let mut stack = if self.read_only() {
                    let mut stack = vec![KeyContext::QcReadOnly, KeyContext::List];
                    if self.is_admin {
                        stack.insert(0, KeyContext::QcDraftAdmin);
                    }
                    stack
                } else {
                    vec![KeyContext::QcChecklist, KeyContext::List]
                };
                if self.drawing.available() {
                    stack.insert(0, KeyContext::QcDrawing);
                }
                stack
            }
        }
    }

    /// Typed input that leaving would lose: an open dialog with text, or changes not yet saved.
    fn has_unsaved_input(&self) -> bool {
        let dialog_input = match &self.dialog {
            Some(Dialog::Answer(d)) => d.has_input(),
            Some(Dialog::JobId { form }) => form.has_input(),
            Some(Dialog::Sign(d)) => d.form.has_input(),
            Some(Dialog::Discard) | None => false,
        };
        dialog_input || !self.pending.is_empty() || self.job_dirty || self.autosave.busy()
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.dialog.is_some() {
            return self.on_dialog_action(action, ctx);
        }
        if action == Action::Back {
            ctx.emit(Effect::Navigate(ScreenId::OrderDetail(self.order_id)));
            return Command::None;
        }
        if action == Action::Refresh {
            return if self.form.is_none() {
                self.reload(ctx)
            } else {
                self.flush(ctx)
            };
        }
        let Some(form) = &self.form else {
            return Command::None;
        };
        let last = form.lines.len().saturating_sub(1);
        self.sheet.message = None;
        match action {
            Action::Up | Action::Down | Action::First | Action::Last => {
                self.sheet.move_selection(action, last);
            }
            Action::NextSection => self.next_section(),
            Action::PrevSection => self.prev_section(),
            Action::OpenDrawing if self.drawing.available() => {
                ctx.emit(Effect::Navigate(ScreenId::Drawing(self.order_id)));
            }
            Action::DiscardDraft if self.is_admin && self.read_only() => {
                self.dialog = Some(Dialog::Discard);
            }
            _ if self.read_only() => {}
            Action::FirstUnanswered => self.first_unanswered(),
            Action::NextNonConforming => self.next_non_conforming(),
            Action::AnswerYes => return self.answer_boolean("YES", ctx),
            Action::AnswerNo => return self.answer_boolean("NO", ctx),
            Action::AnswerNa | Action::EditAnswer | Action::EditNotes => self.open_answer(action),
            Action::EditJobId => {
                let mut field = FormField::text("Job ID").with_max_len(JOB_ID_MAX);
                field.set_value(&self.job_id);
                self.dialog = Some(Dialog::JobId {
                    form: Form::new(vec![field]).with_input_width(JOB_ID_MAX as u16),
                });
            }
            Action::SignResult => self.open_sign(),
            _ => {}
        }
        Command::None
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.drawing.on_reply(&reply) {
            return Command::None;
        }
        if self.load.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::QcForm(form)) => {
                    self.loaded(form);
                    return self.live_loaded("QC", ctx);
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        if let Some(lines) = self.autosave.take_reply(reply.id) {
            match reply.result {
                Ok(reply) => {
                    if let (Reply::QcDraftSaved(draft), Some(f)) = (reply, &mut self.form) {
                        f.draft_id = Some(draft);
                    }
                    self.autosave.saved();
                }
                Err(e) if autosave::refused_for_good(&e) => {
                    // Another inspector holds the draft: said once, then the form is loaded again
                    // and shows that draft read-only; nothing is retried (docs/qc.md §3).
                    let message = e.user_message();
                    ctx.toast(Toast::error(format!(
                        "Not saved: {message}; the form is read-only"
                    )));
                    self.autosave.refused(message);
                    return self.reload(ctx);
                }
                Err(e) => {
                    // Kept: sent again with the next change or the retry.
                    self.pending.extend(lines);
                    self.job_dirty = true;
                    self.autosave.failed(e.user_message());
                    return Command::None;
                }
            }
            return self.flush(ctx);
        }
        if self.discard_pending.answered_by(reply.id) {
            return match reply.result {
                Ok(_) => {
                    ctx.toast(Toast::info("Draft discarded"));
                    self.form = None;
                    self.reload(ctx)
                }
                Err(e) => {
                    self.sheet.message = Some(format!("Not discarded: {}", e.user_message()));
                    Command::None
                }
            };
        }
        if let Some(Dialog::Sign(d)) = &mut self.dialog
            && d.pending == Some(reply.id)
        {
            d.pending = None;
            match reply.result {
                Ok(Reply::QcSubmitted(summary)) => {
                    let status = new_status(summary.qc_type, summary.status.code() == "PASS");
                    let text = match status {
                        Some(s) => format!(
                            "{} {} signed · build {} is now {}",
                            lines::form_label(summary.qc_type),
                            summary.status.code(),
                            self.form
                                .as_ref()
                                .map_or("", |f| f.header.build_number.as_str()),
                            s.title()
                        ),
                        None => format!(
                            "{} {} signed",
                            lines::form_label(summary.qc_type),
                            summary.status.code()
                        ),
                    };
                    self.dialog = None;
                    self.pending.clear();
                    self.job_dirty = false;
                    ctx.toast(Toast::info(text));
                    ctx.emit(Effect::Navigate(ScreenId::OrderDetail(self.order_id)));
                }
                Ok(_) => {}
                Err(e) => {
                    // Everything typed stays except the password, which is asked for again.
                    if let Some(p) = d.form.field_mut(SIGN_PASSWORD) {
                        p.clear();
                    }
                    d.form.set_focus(SIGN_PASSWORD);
                    // Back to the fields; the picks stay for the next Enter.
                    d.reasons.open = false;
                    d.error = Some(e.user_message());
                }
            }
        }
        // Anything else is a reply nobody waits for any more.
        Command::None
    }

    fn on_tick(&mut self, now: Instant, ctx: &mut Ctx) -> Command {
        if self.autosave.retry_due(now) {
            self.flush(ctx)
        } else {
            self.live_tick(ctx)
        }
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        self.live_event(ev, ctx)
    }

    fn on_char(&mut self, c: char) {
        self.on_text(&c.to_string(), true);
    }

    fn on_paste(&mut self, text: &str) {
        self.on_text(text, false);
    }

    /// Keys wait for the checklist it answers: none until the first load has answered (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        self.form.is_some() || self.load_error.is_some()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        view::draw(self, frame, area, theme);
    }
}

/// Where a submitted result moves the build (T3, T4, T8, T9).
pub fn new_status(qc_type: FormType, pass: bool) -> Option<OrderStatus> {
    match (qc_type, pass) {
        (FormType::PreQc, true) => Some(OrderStatus::ReadyForProduction),
        (FormType::PreQc, false) => Some(OrderStatus::PartsSent),
        (FormType::FinalQc, true) => Some(OrderStatus::ReadyForShip),
        (FormType::FinalQc, false) => Some(OrderStatus::ReadyForProduction),
        (FormType::InProcess, _) => None,
    }
}

impl LiveRecord for QcChecklistScreen {
    fn build(&self) -> Uuid {
        self.order_id
    }

    fn shown(&self) -> &'static [Entity] {
        &[Entity::Qc, Entity::Build, Entity::Hold, Entity::Document]
    }

    fn must_wait(&self) -> bool {
        self.load.in_flight() || self.dialog.is_some() || self.has_unsaved_input()
    }

    fn stale(&mut self) -> &mut Stale {
        &mut self.stale
    }

    /// The form, and the drawing line with it: a drawing attached elsewhere shows at once.
    fn load_again(&mut self, ctx: &mut Ctx) -> Command {
        let order_id = self.order_id;
        let drawing = self.drawing.request(order_id, ctx);
        self.reload(ctx).and(drawing)
    }

    fn say(&mut self, text: String, _ctx: &mut Ctx) {
        self.sheet.message = Some(text);
    }
}

#[cfg(test)]
mod tests;

impl AnswerForm for QcChecklistScreen {
    fn sheet(&self) -> &Sheet {
        &self.sheet
    }

    fn sheet_mut(&mut self) -> &mut Sheet {
        &mut self.sheet
    }

    fn item_of(&self, line: usize) -> Option<&QcItemDef> {
        let f = self.form.as_ref()?;
        lines::item_of(&f.items, &f.lines, line)
    }

    fn changed(&mut self, line: usize, ctx: &mut Ctx) -> Command {
        self.pending.insert(line);
        self.flush(ctx)
    }

    fn show(&mut self, dialog: AnswerDialog) {
        self.dialog = Some(Dialog::Answer(dialog));
    }
}
