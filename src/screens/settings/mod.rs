//! The administrator's system settings (docs/settings.md §4): a table of the plant-wide settings with
//! the selected one's meaning below it. Enter edits the value in place; Enter again asks the yes/no
//! question naming the new value, and only `y` saves. `d` puts a setting back to its default, after
//! the same question. Another station's change re-reads the table (docs/live.md §3.4).

mod view;

use crate::domain::live::{Entity, LiveEvent};
use crate::domain::settings::SettingView;
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;
use crate::screens::pending::Pending;
use crate::screens::question::{Answered, Question};
use crate::screens::selection::{moved, moves};
use crate::screens::{Ctx, Effect, Screen, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::toast::Toast;
use ratatui::Frame;
use ratatui::layout::Rect;

/// The value being typed for one setting, in place under the table.
struct Editing {
    key: &'static str,
    form: Form,
}

pub struct SettingsScreen {
    settings: Vec<SettingView>,
    selected: usize,
    loading: Pending,
    load_error: Option<String>,
    /// The change on its way, with what to say when it is saved.
    saving: Pending<String>,
    /// A change refused while no value was being typed (a reset): shown under the meaning.
    error: Option<String>,
    editing: Option<Editing>,
    question: Question<String>,
    live: LiveReads,
}

impl SettingsScreen {
    /// The screen with its first `Settings` request.
    pub fn open(ctx: &mut Ctx) -> (SettingsScreen, Command) {
        let mut s = SettingsScreen {
            settings: Vec::new(),
            selected: 0,
            loading: Pending::new(),
            load_error: None,
            saving: Pending::new(),
            error: None,
            editing: None,
            question: Question::new(ctx),
            live: LiveReads::default(),
        };
        let cmd = s.refresh(ctx);
        (s, cmd)
    }

    pub fn settings(&self) -> &[SettingView] {
        &self.settings
    }

    pub fn selected(&self) -> Option<&SettingView> {
        self.settings.get(self.selected)
    }

    /// The lines of the open yes/no question, if any.
    pub fn question(&self) -> Option<&[String]> {
        self.question.is_open().then(|| self.question.lines())
    }

    fn view_of(&self, key: &str) -> Option<&SettingView> {
        self.settings.iter().find(|v| v.def.key == key)
    }

    fn on_browse(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if moves(action) && !self.settings.is_empty() {
            self.selected = moved(self.selected, self.settings.len(), action);
            self.error = None;
            return Command::None;
        }
        match action {
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            Action::Refresh => return self.refresh(ctx),
            Action::EditSetting => {
                let Some(view) = self.selected() else {
                    return Command::None;
                };
                if !view.editable {
                    ctx.toast(Toast::error(locked(view)));
                    return Command::None;
                }
                let mut field = FormField::text("New value")
                    .with_max_len(12)
                    .with_hint(format!(
                        "{} {}",
                        view.def.range_text(),
                        view.def.unit.plural()
                    ))
                    .with_select_on_focus();
                field.set_value(&view.value().to_string());
                let key = view.def.key;
                self.error = None;
                self.editing = Some(Editing {
                    key,
                    form: Form::new(vec![field]).with_input_width(14),
                });
            }
            Action::ResetSetting => {
                let Some(view) = self.selected().cloned() else {
                    return Command::None;
                };
                if !view.editable {
                    ctx.toast(Toast::error(locked(&view)));
                    return Command::None;
                }
                if view.is_default() && !view.stored_is_invalid() && view.stored.is_some() {
                    ctx.toast(Toast::info(format!(
                        "The {} is already the default, {}",
                        view.def.name,
                        view.def.unit.amount(view.def.default)
                    )));
                    return Command::None;
                }
                let def = view.def;
                self.ask(
                    ctx,
                    &view,
                    def.default,
                    format!(
                        "Set {} to its default, {}?",
                        def.name,
                        def.unit.amount(def.default)
                    ),
                );
            }
            _ => {}
        }
        Command::None
    }

    /// Holds the change for its `y`: the stored text the administrator sees goes with it, so a change
    /// another station made meanwhile is refused (docs/settings.md §3.2).
    fn ask(&mut self, ctx: &mut Ctx, view: &SettingView, value: i64, line: String) {
        let Some(token) = ctx.token() else {
            return;
        };
        let def = view.def;
        let request = Request::SetSetting {
            token,
            key: def.key.to_string(),
            value: value.to_string(),
            expected: view.stored.clone(),
        };
        let title = format!("System setting {}", def.key);
        let lines = vec![
            line,
            "Every station uses the new value at once; the change is audited.".to_string(),
        ];
        let done = format!("The {} is now {}", def.name, def.unit.amount(value));
        self.question.ask(&title, lines, request, done);
    }

    fn on_edit(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(editing) = self.editing.as_mut() else {
            return Command::None;
        };
        match action {
            Action::Cancel => {
                self.editing = None;
            }
            Action::Submit => {
                if self.saving.in_flight() {
                    return Command::None;
                }
                let key = editing.key;
                let Some(view) = self.view_of(key).cloned() else {
                    return Command::None;
                };
                let Some(editing) = self.editing.as_mut() else {
                    return Command::None;
                };
                editing.form.clear_errors();
                match view.def.parse(&editing.form.value(0)) {
                    Err(e) => editing.form.set_error(0, e),
                    Ok(n) if n == view.value() && !view.stored_is_invalid() => {
                        self.editing = None;
                        ctx.toast(Toast::info(format!(
                            "The {} is unchanged, {}",
                            view.def.name,
                            view.def.unit.amount(n)
                        )));
                    }
                    Ok(n) => self.ask(ctx, &view, n, view.def.question(n)),
                }
            }
            other => {
                editing.form.handle(other);
            }
        }
        Command::None
    }

    /// A refused change: in the field when one is being typed (the text kept), else under the meaning.
    fn refused(&mut self, text: String) {
        match self.editing.as_mut() {
            Some(editing) => editing.form.set_error(0, text),
            None => self.error = Some(text),
        }
    }

    /// A new list: the selection stays on its setting; another station's change is named.
    fn take_list(&mut self, list: Vec<SettingView>, by: Option<&str>, ctx: &mut Ctx) {
        if let Some(by) = by {
            for now in &list {
                let was = self.view_of(now.def.key);
                if was.is_some_and(|w| w.stored != now.stored) {
                    ctx.toast(Toast::info(format!(
                        "The {} is now {}{by}",
                        now.def.name,
                        now.def.unit.amount(now.value())
                    )));
                }
            }
        }
        let key = self.selected().map(|v| v.def.key);
        self.settings = list;
        self.selected = key
            .and_then(|k| self.settings.iter().position(|v| v.def.key == k))
            .unwrap_or(0)
            .min(self.settings.len().saturating_sub(1));
        self.load_error = None;
    }
}

/// The refusal for a setting the plant does not let be changed.
fn locked(view: &SettingView) -> String {
    if view.stored.is_none() {
        format!(
            "The {} is not stored in this database; run `cleanstation migrate`",
            view.def.name
        )
    } else {
        format!("The {} cannot be changed at this plant", view.def.name)
    }
}

impl Screen for SettingsScreen {
    fn title(&self) -> &'static str {
        "System settings"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.question.is_open() {
            return Question::<String>::contexts();
        }
        match &self.editing {
            Some(editing) => {
                let mut stack = editing.form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            None => vec![KeyContext::Settings, KeyContext::List],
        }
    }

    fn has_unsaved_input(&self) -> bool {
        self.editing.is_some()
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match self.question.answer(action) {
            Some(Answered::Send(request, done)) => {
                self.error = None;
                return self.saving.begin_if_idle(ctx, request, done);
            }
            Some(Answered::Declined | Answered::Ignored) => return Command::None,
            None => {}
        }
        if self.editing.is_some() {
            self.on_edit(action, ctx)
        } else {
            self.on_browse(action, ctx)
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        let by = self.live_answered(reply.id);
        if let Some(done) = self.saving.take(reply.id) {
            match reply.result {
                Ok(Reply::Settings(list)) => {
                    self.editing = None;
                    self.take_list(list, None, ctx);
                    ctx.toast(Toast::info(done));
                }
                Ok(_) => {}
                Err(e) => {
                    let conflict = matches!(e, crate::error::ServiceError::Conflict(_));
                    self.refused(e.user_message());
                    // Another station changed it: the table shows what is stored now.
                    if conflict {
                        return self.refresh(ctx);
                    }
                }
            }
            return Command::None;
        }
        if !self.loading.answered_by(reply.id) {
            return self.live_next(ctx);
        }
        match reply.result {
            Ok(Reply::Settings(list)) => self.take_list(list, by.as_deref(), ctx),
            Ok(_) => {}
            Err(e) => self.load_error = Some(e.user_message()),
        }
        self.live_next(ctx)
    }

    /// Another administrator changed a setting (docs/settings.md §4): the table is read again; a value
    /// being typed stays.
    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if ev.touches(Entity::Setting) {
            return self.live_want(ev.by_line(), ctx);
        }
        Command::None
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        if self.question.is_open() {
            return None;
        }
        self.editing.as_mut().map(|e| &mut e.form)
    }

    /// Keys wait for the settings they act on (docs/architecture.md §2.1).
    fn accepts_keys(&self) -> bool {
        !self.loading.in_flight() || !self.settings.is_empty() || self.load_error.is_some()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

impl LiveLoad for SettingsScreen {
    fn live_reads(&mut self) -> &mut LiveReads {
        &mut self.live
    }

    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)> {
        let (rid, cmd) = ctx.request(Request::Settings {
            token: ctx.token()?,
        });
        self.loading.wait(rid);
        Some((rid, cmd))
    }
}

#[cfg(test)]
mod tests;
