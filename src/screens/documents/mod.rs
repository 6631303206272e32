//! A build's documents (docs/documents.md): the list (current first, superseded after), a copy saved to
//! a directory of this station, and a document attached later by coordinators and QC.
//!
//! The screen reloads through one request ([`DocumentsScreen::reload`]). Saving and attaching are
//! requests; the file IO is the service's. Attaching is permanent (a document is never deleted), so the
//! dialog's Enter checks the input with the service's rules and asks a yes/no question first.

mod view;

use crate::domain::document::{
    BuildDocuments, LATER_DOCUMENT_TYPES, SUPERSEDED_NOT_FOUND, supersede_refusal,
};
use crate::domain::live::{Entity, LiveEvent};
use crate::domain::order::OrderDocumentType;
use crate::domain::order_rules::{attachment_name, check_attachment_of};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::live_reads::{LiveRecord, Stale};
use crate::screens::pending::Pending;
use crate::screens::question::{Answered, Question};
use crate::screens::{Ctx, Effect, Screen, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::list_cursor::ListCursor;
use crate::widgets::list_step;
use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

/// Longest path or directory typed.
pub const PATH_MAX: usize = 1024;
/// The attach dialog's fields.
pub const ATTACH_PATH: usize = 0;
pub const ATTACH_TYPE: usize = 1;
pub const ATTACH_SUPERSEDES: usize = 2;

/// What an open dialog does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    /// Save a copy of the build's document link.
    Save(Uuid),
    Attach,
}

pub struct Dialog {
    pub kind: DialogKind,
    pub form: Form,
    pub error: Option<String>,
    /// The attach dialog's "Supersedes" choices after "Nothing": the current documents' links.
    supersedable: Vec<Uuid>,
}

pub struct DocumentsScreen {
    order_id: Uuid,
    /// Opened from the QC checklist on the current drawing: its save dialog opens once the list is
    /// there, and Esc goes back to the checklist (docs/documents.md §4).
    from_qc: bool,
    /// The drawing's save dialog is still to open when the first list arrives.
    drawing_pending: bool,
    docs: Option<Box<BuildDocuments>>,
    loading: Pending,
    load_error: Option<String>,
    list: ListCursor,
    /// Items a page holds, from the last draw.
    page: usize,
    dialog: Option<Dialog>,
    /// A save or an attachment on its way.
    sending: Pending,
    question: Question,
    /// The directory of the last copy; offered again.
    last_dir: String,
    /// What the last save or attachment did.
    notice: Option<String>,
    /// Another station attached a document (docs/live.md §3.3).
    stale: Stale,
}

impl DocumentsScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (DocumentsScreen, Command) {
        Self::opened(order_id, false, ctx)
    }

    /// The list opened on the build's current drawing, its save dialog open (the QC checklist's `D`).
    pub fn open_drawing(order_id: Uuid, ctx: &mut Ctx) -> (DocumentsScreen, Command) {
        Self::opened(order_id, true, ctx)
    }

    fn opened(order_id: Uuid, from_qc: bool, ctx: &mut Ctx) -> (DocumentsScreen, Command) {
        let mut s = DocumentsScreen {
            order_id,
            from_qc,
            drawing_pending: from_qc,
            docs: None,
            loading: Pending::new(),
            stale: Stale::default(),
            load_error: None,
            list: ListCursor::default(),
            page: 5,
            dialog: None,
            sending: Pending::new(),
            question: Question::new(ctx),
            last_dir: String::new(),
            notice: None,
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    /// Loads the build's documents again, keeping the selection and any dialog.
    pub fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let order_id = self.order_id;
        self.loading
            .begin(ctx, Request::Documents { token, order_id }, ())
    }

    pub fn documents(&self) -> Option<&BuildDocuments> {
        self.docs.as_deref()
    }

    pub fn dialog(&self) -> Option<&Dialog> {
        self.dialog.as_ref()
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn selected(&self) -> Option<usize> {
        self.list.selected()
    }

    fn count(&self) -> usize {
        self.docs.as_ref().map_or(0, |d| d.documents.len())
    }

    fn may_attach(&self) -> bool {
        self.docs.as_ref().is_some_and(|d| d.may_attach)
    }

    fn loaded(&mut self, docs: Box<BuildDocuments>) {
        self.load_error = None;
        let n = docs.documents.len();
        let drawing = docs
            .current_drawing()
            .and_then(|d| docs.documents.iter().position(|x| x.id == d.id));
        self.docs = Some(docs);
        let at = self.list.selected().unwrap_or(0);
        self.list.select((n > 0).then(|| at.min(n - 1)));
        // From the QC checklist: the drawing is selected and its save dialog opens, once.
        if std::mem::take(&mut self.drawing_pending) {
            match drawing {
                Some(i) => {
                    self.list.select(Some(i));
                    self.open_save();
                }
                None => self.notice = Some("No drawing attached".into()),
            }
        }
    }

    fn open_save(&mut self) {
        let Some(docs) = &self.docs else {
            return;
        };
        let Some(doc) = self.list.selected().and_then(|i| docs.documents.get(i)) else {
            return;
        };
        let start = if self.last_dir.is_empty() {
            docs.save_dir.clone()
        } else {
            self.last_dir.clone()
        };
        let mut dir = FormField::text("Directory")
            .with_select_on_focus()
            .with_max_len(PATH_MAX)
            .with_hint("Empty: the directory the station was started in");
        dir.set_value(&start);
        self.notice = None;
        self.dialog = Some(Dialog {
            kind: DialogKind::Save(doc.id),
            form: Form::new(vec![dir]).with_input_width(56),
            error: None,
            supersedable: Vec::new(),
        });
    }

    fn open_attach(&mut self) {
        let Some(docs) = &self.docs else {
            return;
        };
        let types = LATER_DOCUMENT_TYPES
            .iter()
            .map(|t| t.title().to_string())
            .collect();
        let current: Vec<_> = docs.documents.iter().filter(|d| d.is_current()).collect();
        let mut supersedes = vec!["Nothing".to_string()];
        supersedes.extend(current.iter().map(|d| {
            let name = crate::text::for_terminal(&d.name).into_owned();
            format!("{}: {name}", d.document_type.title())
        }));
        let form = Form::new(vec![
            FormField::text("File")
                .with_max_len(PATH_MAX)
                .with_hint("Full path; pdf, doc(x), txt, dwg, dxf, png, jp(e)g; up to 10 MB"),
            FormField::choice("Type", types, 0),
            FormField::choice("Supersedes", supersedes, 0),
        ])
        .with_input_width(56);
        self.notice = None;
        self.dialog = Some(Dialog {
            kind: DialogKind::Attach,
            form,
            error: None,
            supersedable: current.iter().map(|d| d.id).collect(),
        });
    }

    fn on_dialog_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if let Some(answer) = self.question.answer(action) {
            return match answer {
                Answered::Send(request, ()) => self.sending.begin(ctx, request, ()),
                Answered::Declined | Answered::Ignored => Command::None,
            };
        }
        match action {
            Action::Cancel => {
                // A request already sent still finishes; its answer is then only dropped.
                self.sending.clear();
                self.dialog = None;
                Command::None
            }
            Action::Submit if !self.sending.in_flight() => self.submit(ctx),
            other => {
                if let Some(d) = &mut self.dialog {
                    d.form.handle(other);
                }
                Command::None
            }
        }
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Command {
        let (Some(token), Some(docs)) = (ctx.token(), self.docs.as_deref()) else {
            return Command::None;
        };
        let Some(d) = &mut self.dialog else {
            return Command::None;
        };
        d.error = None;
        match d.kind {
            DialogKind::Save(document) => {
                let dir = d.form.value(0).trim().to_string();
                self.last_dir = dir.clone();
                let request = Request::SaveDocumentCopy {
                    token,
                    order_id: self.order_id,
                    document,
                    dir,
                };
                self.sending.begin(ctx, request, ())
            }
            DialogKind::Attach => {
                let path = d.form.value(ATTACH_PATH).trim().to_string();
                let index = |i: usize| d.form.field(i).and_then(FormField::choice_index);
                let document_type = index(ATTACH_TYPE)
                    .and_then(|i| LATER_DOCUMENT_TYPES.get(i).copied())
                    .unwrap_or(OrderDocumentType::Other);
                let supersedes = index(ATTACH_SUPERSEDES)
                    .and_then(|i| i.checked_sub(1))
                    .and_then(|i| d.supersedable.get(i).copied());
                // The service's own checks, said before the question (docs/documents.md §2.1).
                if let Some(m) = check_attachment_of(&path, document_type, &LATER_DOCUMENT_TYPES) {
                    d.error = Some(m);
                    return Command::None;
                }
                let old = match supersedes {
                    Some(id) => match docs.find(id) {
                        Some(old) => Some(old),
                        None => {
                            d.error = Some(SUPERSEDED_NOT_FOUND.into());
                            return Command::None;
                        }
                    },
                    None => None,
                };
                if let Some(m) = old.and_then(|o| supersede_refusal(o, document_type)) {
                    d.error = Some(m);
                    return Command::None;
                }
                let name = crate::text::for_terminal(&attachment_name(&path)).into_owned();
                let mut lines = vec![format!(
                    "Attach {name} to build {} as {}?",
                    docs.build_number,
                    document_type.title().to_lowercase()
                )];
                if let Some(o) = old {
                    lines.push(format!(
                        "It supersedes {}, which stays listed as superseded.",
                        crate::text::for_terminal(&o.name)
                    ));
                }
                lines.push("A document is never deleted, only superseded.".into());
                let request = Request::AttachDocument {
                    token,
                    order_id: self.order_id,
                    path,
                    document_type,
                    supersedes,
                };
                self.question.ask("Attach document", lines, request, ());
                Command::None
            }
        }
    }

    fn on_sent(&mut self, reply: ServiceReply) {
        match reply.result {
            Ok(Reply::Exported(paths)) => {
                self.dialog = None;
                let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                self.notice = Some(format!("Copy saved: {}", shown.join(", ")));
            }
            Ok(Reply::Documents(docs)) => {
                let name = self
                    .dialog
                    .as_ref()
                    .map(|d| attachment_name(&d.form.value(ATTACH_PATH)))
                    .unwrap_or_default();
                self.dialog = None;
                self.loaded(docs);
                self.notice = Some(format!("Attached {}", crate::text::for_terminal(&name)));
            }
            Ok(_) => {}
            // The dialog and its input stay, so the user can fix it and try again.
            Err(e) => match &mut self.dialog {
                Some(d) => d.error = Some(e.user_message()),
                None => self.notice = Some(format!("ERROR: {}", e.user_message())),
            },
        }
    }
}

impl Screen for DocumentsScreen {
    fn title(&self) -> &'static str {
        "Documents"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.question.is_open() {
            return Question::<()>::contexts();
        }
        if let Some(d) = &self.dialog {
            let mut stack = d.form.key_contexts();
            stack.push(KeyContext::Dialog);
            return stack;
        }
        let mut stack = Vec::new();
        if self.may_attach() {
            stack.push(KeyContext::DocumentsAttach);
        }
        stack.extend([KeyContext::Documents, KeyContext::List]);
        stack
    }

    fn has_unsaved_input(&self) -> bool {
        self.dialog
            .as_ref()
            .is_some_and(|d| d.kind == DialogKind::Attach && d.form.has_input())
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.dialog.is_some() {
            return self.on_dialog_action(action, ctx);
        }
        let n = self.count();
        match action {
            Action::Back if self.from_qc => {
                ctx.emit(Effect::Navigate(ScreenId::QcChecklist(self.order_id)));
            }
            Action::Back => ctx.emit(Effect::Back(ScreenId::OrderDetail(self.order_id))),
            Action::Refresh => {
                self.notice = None;
                return self.reload(ctx);
            }
            Action::SaveCopy => self.open_save(),
            Action::AttachDocument if self.may_attach() => self.open_attach(),
            other => {
                let at = self.list.selected().unwrap_or(0);
                if let Some(i) = list_step(other, at, n, self.page)
                    && n > 0
                {
                    self.list.select(Some(i));
                }
            }
        }
        Command::None
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        if self.question.is_open() {
            return None;
        }
        self.dialog.as_mut().map(|d| &mut d.form)
    }

    /// Keys wait for the list they act on (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        self.docs.is_some() || self.load_error.is_some()
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        self.live_event(ev, ctx)
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::Documents(docs)) => {
                    self.loaded(docs);
                    return self.live_loaded("Documents", ctx);
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
        } else if self.sending.answered_by(reply.id) {
            self.on_sent(reply);
        }
        Command::None
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        view::draw(self, frame, area, theme);
    }
}

impl LiveRecord for DocumentsScreen {
    fn build(&self) -> Uuid {
        self.order_id
    }

    fn shown(&self) -> &'static [Entity] {
        &[Entity::Document]
    }

    /// The list is replaced under an open dialog (its typed path stays): only a load on its way waits.
    fn must_wait(&self) -> bool {
        self.loading.in_flight()
    }

    fn stale(&mut self) -> &mut Stale {
        &mut self.stale
    }

    fn load_again(&mut self, ctx: &mut Ctx) -> Command {
        self.reload(ctx)
    }
}

#[cfg(test)]
mod tests;
