//! End-of-line testing: the applicable tests with units and ranges, judged as typed, submitted once.
//!
//! Lines are answered exactly as on the QC checklist (the shared `answering` module). Every change saves
//! the whole answer set as the build's draft; while a save is out, further changes wait and go in the
//! next one, so no answer is lost and saves never overtake each other. A failed save is tried again on
//! the next change or a few seconds later. A submitted form is immutable: a PASS offers the move to
//! TESTING_COMPLETE, a FAIL starts a fresh form.

mod view;

use crate::domain::Role;
use crate::domain::checklist::CheckType;
use crate::domain::floor::{TestingFormView, TestingStatus, result_of};
use crate::domain::live::{Entity, LiveEvent};
use crate::domain::order::OrderStatus;
use crate::domain::qc::{Answer, Judgement, LineAnswer, Progress, QcItemDef, judge, progress};
use crate::domain::signature::Meaning;
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_reads::{LiveForm, Stale};
use crate::screens::pending::Pending;
use crate::screens::qc_checklist::answering::{self, AnswerDialog};
use crate::screens::qc_checklist::autosave::{self, Autosave, SaveStatus};
use crate::screens::qc_checklist::lines;
use crate::screens::qc_checklist::sheet::{AnswerForm, Offer, Sheet, confirm_all_carried};
use crate::screens::selection::moves;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::fit_text;
use crate::widgets::signing::{SignKey, SigningDialog};
use crate::widgets::toast::Toast;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::time::Instant;
use uuid::Uuid;

/// The dialogs over the form; one at a time.
pub enum Dialog {
    /// Answering a line: a value, a choice or notes.
    Answer(AnswerDialog),
    /// Submit the form, signed (`TESTED`, docs/signatures.md §1)? The lines state the outcome it records.
    Submit(Box<SigningDialog>),
    /// Move the build to TESTING_COMPLETE?
    Move,
    /// Confirm every carried-over answer still waiting? Holds how many there are when asked.
    ConfirmCarried(usize),
}

pub struct TestingFormScreen {
    order_id: Uuid,
    /// ASSEMBLER or ADMIN: the screen offers changes (the server decides).
    may_edit: bool,
    load: Pending,
    load_error: Option<String>,
    form: Option<Box<TestingFormView>>,
    /// The item definitions of the form, in the order `lines` refer to them.
    defs: Vec<QcItemDef>,
    sheet: Sheet,
    dialog: Option<Dialog>,
    /// The round's latest form passed: the answers are shown, `m` moves the build on.
    passed: bool,
    // Autosave.
    autosave: Autosave<()>,
    dirty: bool,
    submit_pending: Pending,
    move_pending: Pending,
    confirm_keys: Vec<HelpLine>,
    /// The user's full name, the printed name of a submission.
    signer: String,
    /// Another station changed the build's testing (docs/live.md §3.3).
    stale: Stale,
}

impl TestingFormScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (TestingFormScreen, Command) {
        let may_edit = ctx
            .session()
            .is_some_and(|s| matches!(s.user.role, Role::Assembler | Role::Admin));
        let mut s = TestingFormScreen {
            order_id,
            may_edit,
            load: Pending::new(),
            load_error: None,
            form: None,
            defs: Vec::new(),
            sheet: Sheet::default(),
            dialog: None,
            passed: false,
            autosave: Autosave::default(),
            dirty: false,
            submit_pending: Pending::new(),
            move_pending: Pending::new(),
            confirm_keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
            signer: ctx
                .session()
                .map(|s| s.user.full_name.clone())
                .unwrap_or_default(),
            stale: Stale::default(),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn order_id(&self) -> Uuid {
        self.order_id
    }

    pub fn form(&self) -> Option<&TestingFormView> {
        self.form.as_deref()
    }

    pub fn answers(&self) -> &[Answer] {
        &self.sheet.answers
    }

    pub fn selected(&self) -> usize {
        self.sheet.selected
    }

    pub fn message(&self) -> Option<&str> {
        self.sheet.message.as_deref()
    }

    /// The lines whose carried-over answer waits for a confirmation (docs/assembly-floor.md §5.1).
    pub fn unconfirmed(&self) -> Vec<usize> {
        self.sheet.unconfirmed()
    }

    pub fn save_status(&self) -> &SaveStatus {
        self.autosave.status()
    }

    pub fn dialog(&self) -> Option<&Dialog> {
        self.dialog.as_ref()
    }

    pub fn passed(&self) -> bool {
        self.passed
    }

    /// Tasks still open before testing may start; 0 when the form is not loaded.
    pub fn open_tasks(&self) -> i64 {
        self.form.as_ref().map_or(0, |f| f.open_tasks)
    }

    /// Answers may be changed: the user's role allows it, every task is done and no PASS is recorded.
    pub fn editable(&self) -> bool {
        self.may_edit && self.form.is_some() && self.open_tasks() <= 0 && !self.passed
    }

    pub fn progress(&self) -> Progress {
        match &self.form {
            Some(f) => progress(&self.defs, &f.lines, &self.line_answers()),
            None => Progress::default(),
        }
    }

    /// The whole answer set, one per line.
    fn line_answers(&self) -> Vec<LineAnswer> {
        let Some(f) = &self.form else {
            return Vec::new();
        };
        self.sheet
            .line_answers(&self.defs, &f.lines, 0..f.lines.len())
    }

    /// `EOL-04 Basin 1 · Drain time …`: how a message names a line.
    fn line_name(&self, line: usize) -> String {
        let Some((item, l)) = self
            .item_of(line)
            .zip(self.form.as_ref().and_then(|f| f.lines.get(line)))
        else {
            return String::new();
        };
        format!("{} {}", item.code, lines::line_label(item, l))
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.load.begin(
            ctx,
            Request::TestingForm {
                token,
                order_id: self.order_id,
            },
            (),
        )
    }

    /// The names of `lines` for a message: the first three, then how many more.
    fn some_names(&self, lines: &[usize]) -> String {
        let mut names: Vec<String> = lines.iter().take(3).map(|&i| self.line_name(i)).collect();
        if lines.len() > 3 {
            names.push(format!("and {} more", lines.len() - 3));
        }
        names.join("; ")
    }

    /// The question confirming every carried-over answer, naming how many and of which kind.
    pub fn confirm_carried_text(&self, count: usize) -> Vec<String> {
        let unconfirmed = self.sheet.unconfirmed();
        let kind = |t: CheckType| {
            unconfirmed
                .iter()
                .filter(|&&i| self.item_of(i).is_some_and(|it| it.check_type == t))
                .count()
        };
        let (measured, records) = (kind(CheckType::Measurement), kind(CheckType::Text));
        let form = self.form.as_ref().map_or(0, |f| f.submitted.len());
        vec![
            format!("Confirm {count} carried-over answer(s) from form {form}?"),
            format!(
                "{measured} measurement(s) in range, {records} record(s) such as serial numbers, {} other",
                count.saturating_sub(measured + records)
            ),
            "They become this form's answers; Enter on a line still changes it.".into(),
        ]
    }

    /// The submit question, or a message naming the required lines still open.
    fn open_submit(&mut self) {
        // A carried-over answer is not an answer until confirmed (docs/assembly-floor.md §5.1).
        let unconfirmed = self.sheet.unconfirmed();
        if !unconfirmed.is_empty() {
            self.sheet.message = Some(format!(
                "Not submitted: {} carried-over answer(s) not confirmed (y each, Y all): {}",
                unconfirmed.len(),
                self.some_names(&unconfirmed)
            ));
            return;
        }
        let n = self.sheet.answers.len();
        let open: Vec<String> = (0..n)
            .filter(|&i| {
                self.item_of(i).is_some_and(|it| it.required)
                    && matches!(
                        self.judged(i),
                        Judgement::Unanswered | Judgement::Invalid(_)
                    )
            })
            .map(|i| self.line_name(i))
            .collect();
        if !open.is_empty() {
            self.sheet.message = Some(format!(
                "Not submitted: {} required item(s) unanswered: {}",
                open.len(),
                open.join("; ")
            ));
            return;
        }
        let results = (0..n)
            .filter(|&i| result_of(&self.current(i), &self.judged(i)).is_some())
            .count();
        let failing: Vec<String> = (0..n)
            .filter(|&i| matches!(self.judged(i), Judgement::NonConforming(_)))
            .map(|i| self.line_name(i))
            .collect();
        let mut text = if failing.is_empty() {
            vec![format!("Submit: PASS — {results} results")]
        } else {
            let mut t = vec![format!("Submit: FAIL — {} failing:", failing.len())];
            // One row each: the dialog is sized by its lines.
            t.extend(
                failing
                    .iter()
                    .take(5)
                    .map(|f| fit_text(&format!("  {f}"), 64)),
            );
            if failing.len() > 5 {
                t.push(format!("  and {} more", failing.len() - 5));
            }
            t
        };
        text.push("The form cannot be changed once submitted.".into());
        let dialog = SigningDialog::new(
            "Submit testing form",
            text,
            &self.signer,
            Meaning::Tested,
            Vec::new(),
        );
        self.dialog = Some(Dialog::Submit(Box::new(dialog)));
    }

    fn on_dialog_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(dialog) = self.dialog.take() else {
            return Command::None;
        };
        match dialog {
            Dialog::Answer(d) => answering::on_dialog_key(self, d, action, ctx),
            Dialog::Submit(mut d) => {
                let cmd = match d.key(action) {
                    SignKey::Sign => self.submit(&mut d, ctx),
                    SignKey::Cancel => return Command::None,
                    SignKey::Handled => Command::None,
                };
                // The dialog stays until the server answers, to show a refusal.
                self.dialog = Some(Dialog::Submit(d));
                cmd
            }
            Dialog::Move => match action {
                Action::Yes => {
                    let Some(token) = ctx.token() else {
                        return Command::None;
                    };
                    let cmd = self.move_pending.begin(
                        ctx,
                        Request::Transition {
                            token,
                            order_id: self.order_id,
                            from: OrderStatus::ReadyForProduction,
                            to: OrderStatus::TestingComplete,
                            note: None,
                            override_reason: None,
                            password: None,
                        },
                        (),
                    );
                    self.sheet.message = Some("… Moving the build".into());
                    cmd
                }
                Action::No | Action::Cancel => Command::None,
                _ => {
                    self.dialog = Some(Dialog::Move);
                    Command::None
                }
            },
            Dialog::ConfirmCarried(count) => match action {
                Action::Yes => {
                    let lines = confirm_all_carried(&mut self.sheet);
                    if lines.is_empty() {
                        return Command::None;
                    }
                    self.sheet.message =
                        Some(format!("{} carried-over answer(s) confirmed", lines.len()));
                    self.dirty = true;
                    self.flush(ctx)
                }
                Action::No | Action::Cancel => Command::None,
                _ => {
                    self.dialog = Some(Dialog::ConfirmCarried(count));
                    Command::None
                }
            },
        }
    }

    fn submit(&mut self, d: &mut SigningDialog, ctx: &mut Ctx) -> Command {
        if self.submit_pending.in_flight() {
            return Command::None;
        }
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        d.error = None;
        let Some(password) = d.password() else {
            return Command::None;
        };
        let cmd = self.submit_pending.begin(
            ctx,
            Request::SubmitTesting {
                token,
                order_id: self.order_id,
                answers: self.line_answers(),
                password,
            },
            (),
        );
        self.sheet.message = Some("… Submitting the form".into());
        cmd
    }

    // --- Saving ----------------------------------------------------------------------------------

    /// Sends the answers unless a save is already out (its reply sends them).
    fn flush(&mut self, ctx: &mut Ctx) -> Command {
        if self.autosave.busy() || !self.dirty {
            return Command::None;
        }
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::SaveTestingDraft {
            token,
            order_id: self.order_id,
            answers: self.line_answers(),
        });
        self.dirty = false;
        self.autosave.sent(id, ());
        cmd
    }

    // --- Replies ---------------------------------------------------------------------------------

    fn loaded(&mut self, form: Box<TestingFormView>) {
        self.defs = form.items.iter().map(|t| t.def.clone()).collect();
        self.load_error = None;
        self.dirty = false;
        self.autosave.reset();
        // The round's latest form passed and no new one is started: show it and offer the move.
        let latest_pass = form
            .submitted
            .first()
            .is_some_and(|s| s.status == TestingStatus::Pass);
        self.passed = latest_pass && form.draft_id.is_none();
        if self.passed && self.sheet.message.is_none() {
            self.sheet.message = Some("Testing PASS recorded".into());
        }
        // A draft's answers, or the passed form's (the service sends those when no draft is open).
        self.sheet.answers = lines::answers_by_line(&self.defs, &form.lines, &form.answers);
        // After a failed form, its answers in range, each to be confirmed (docs/assembly-floor.md §5.1).
        self.sheet.offers = lines::answers_by_line(&self.defs, &form.lines, &form.carried)
            .into_iter()
            .map(|a| (a != Answer::default()).then_some(Offer::Carried(a)))
            .collect();
        self.sheet.selected = self.sheet.selected.min(form.lines.len().saturating_sub(1));
        let first_open = (!self.passed)
            .then(|| {
                form.lines
                    .iter()
                    .zip(&self.sheet.answers)
                    .position(|(l, a)| {
                        self.defs
                            .get(l.item)
                            .is_none_or(|it| matches!(judge(it, a), Judgement::Unanswered))
                    })
            })
            .flatten();
        self.form = Some(form);
        if let Some(i) = first_open
            && self.sheet.selected == 0
        {
            self.sheet.selected = i;
        }
    }
}

impl Screen for TestingFormScreen {
    fn title(&self) -> &'static str {
        "End-of-line testing"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        match &self.dialog {
            Some(Dialog::Answer(d)) => d.key_contexts(self.item_of(d.line())),
            Some(Dialog::Submit(d)) => {
                let mut stack = d.form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Some(Dialog::Move | Dialog::ConfirmCarried(_)) => vec![KeyContext::Confirm],
            None => {
                let mut stack = Vec::new();
                if self.editable() {
                    stack.push(KeyContext::TestingEdit);
                }
                if self.passed && self.may_edit {
                    stack.push(KeyContext::MoveAction);
                }
                stack.push(KeyContext::Testing);
                if self.form.is_some() {
                    stack.push(KeyContext::List);
                }
                stack
            }
        }
    }

    /// Typed input that leaving would lose: an open dialog with text, or answers not yet saved.
    fn has_unsaved_input(&self) -> bool {
        let dialog_input = matches!(&self.dialog, Some(Dialog::Answer(d)) if d.has_input());
        dialog_input || self.dirty || self.autosave.busy()
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.dialog.is_some() {
            return self.on_dialog_action(action, ctx);
        }
        match action {
            Action::Back => {
                ctx.emit(Effect::Navigate(ScreenId::OrderDetail(self.order_id)));
                return Command::None;
            }
            Action::Refresh => {
                if self.dirty || self.autosave.busy() {
                    self.sheet.message =
                        Some("Saving your answers first; press F5 again to reload".into());
                    return self.flush(ctx);
                }
                return self.reload(ctx);
            }
            _ => {}
        }
        let Some(form) = &self.form else {
            return Command::None;
        };
        let last = form.lines.len().saturating_sub(1);
        self.sheet.message = None;
        match action {
            a if moves(a) => self.sheet.move_selection(action, last),
            Action::FirstUnanswered => self.first_unanswered(),
            Action::MoveStatus if self.passed && self.may_edit => self.dialog = Some(Dialog::Move),
            _ if !self.editable() => {}
            Action::AnswerYes => return self.answer_boolean("YES", ctx),
            Action::AnswerNo => return self.answer_boolean("NO", ctx),
            Action::AnswerNa | Action::EditAnswer | Action::EditNotes => {
                self.open_answer(action);
            }
            Action::SubmitTesting => self.open_submit(),
            Action::ConfirmCarried => match self.sheet.unconfirmed().len() {
                0 => {
                    self.sheet.message =
                        Some("No carried-over answer waits for a confirmation".into())
                }
                n => self.dialog = Some(Dialog::ConfirmCarried(n)),
            },
            _ => {}
        }
        Command::None
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.load.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::TestingForm(form)) => {
                    self.loaded(form);
                    return self.live_loaded("Testing", ctx);
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        if self.autosave.take_reply(reply.id).is_some() {
            match reply.result {
                Ok(reply) => {
                    if let (Reply::TestingDraftSaved(draft), Some(f)) = (reply, &mut self.form) {
                        f.draft_id = Some(draft);
                    }
                    self.autosave.saved();
                }
                Err(e) => {
                    // Kept: sent again with the next change or the retry; a save refused for good
                    // is never sent again (docs/qc.md §3).
                    self.dirty = true;
                    if autosave::refused_for_good(&e) {
                        self.autosave.refused(e.user_message());
                    } else {
                        self.autosave.failed(e.user_message());
                    }
                    return Command::None;
                }
            }
            return self.flush(ctx);
        }
        if self.submit_pending.answered_by(reply.id) {
            return match reply.result {
                Ok(Reply::TestingSubmitted(s)) => {
                    self.dialog = None;
                    self.dirty = false;
                    if s.status == TestingStatus::Pass {
                        self.passed = true;
                        self.sheet.message = Some("Testing PASS recorded".into());
                        self.reload(ctx)
                    } else {
                        self.sheet.message = Some(
                            "Testing FAIL recorded: fix the build and fill in a new form".into(),
                        );
                        self.reload(ctx)
                    }
                }
                Ok(_) => Command::None,
                Err(e) => {
                    let message = format!("Not submitted: {}", e.user_message());
                    // A refused signature keeps the dialog, the password cleared (docs/signatures.md §4).
                    if let Some(Dialog::Submit(d)) = &mut self.dialog {
                        d.refused(e.user_message());
                    }
                    self.sheet.message = Some(message);
                    Command::None
                }
            };
        }
        if self.move_pending.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::OrderUpdated(row)) => {
                    self.sheet.message = None;
                    ctx.toast(Toast::info(format!(
                        "{} moved to {}",
                        row.build_number,
                        row.status.title()
                    )));
                    ctx.emit(Effect::Navigate(ScreenId::Packaging(self.order_id)));
                }
                Ok(_) => {}
                Err(e) => self.sheet.message = Some(format!("Not moved: {}", e.user_message())),
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
        match &mut self.dialog {
            Some(Dialog::Answer(d)) => d.on_text(&c.to_string(), true),
            Some(Dialog::Submit(d)) => {
                d.form.type_char(c);
            }
            _ => {}
        }
    }

    fn on_paste(&mut self, text: &str) {
        match &mut self.dialog {
            Some(Dialog::Answer(d)) => d.on_text(text, false),
            Some(Dialog::Submit(d)) => {
                d.form.paste(text);
            }
            _ => {}
        }
    }

    /// Keys wait for the form it fills in: none until the first load has answered (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        self.form.is_some() || self.load_error.is_some()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        view::draw(self, frame, area, theme);
    }
}

impl AnswerForm for TestingFormScreen {
    fn sheet(&self) -> &Sheet {
        &self.sheet
    }

    fn sheet_mut(&mut self) -> &mut Sheet {
        &mut self.sheet
    }

    fn item_of(&self, line: usize) -> Option<&QcItemDef> {
        let f = self.form.as_ref()?;
        lines::item_of(&self.defs, &f.lines, line)
    }

    /// The whole answer set is saved, whichever line changed.
    fn changed(&mut self, _line: usize, ctx: &mut Ctx) -> Command {
        self.dirty = true;
        self.flush(ctx)
    }

    fn show(&mut self, dialog: AnswerDialog) {
        self.dialog = Some(Dialog::Answer(dialog));
    }
}
impl LiveForm for TestingFormScreen {
    fn build(&self) -> Uuid {
        self.order_id
    }

    fn shown(&self) -> &'static [Entity] {
        &[Entity::Testing, Entity::Build, Entity::Hold]
    }

    fn must_wait(&self) -> bool {
        self.load.in_flight() || self.dialog.is_some() || self.has_unsaved_input()
    }

    fn stale(&mut self) -> &mut Stale {
        &mut self.stale
    }

    fn load_again(&mut self, ctx: &mut Ctx) -> Command {
        self.reload(ctx)
    }

    fn say(&mut self, text: String, _ctx: &mut Ctx) {
        self.sheet.message = Some(text);
    }
}
