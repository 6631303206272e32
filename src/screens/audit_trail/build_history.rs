//! A build's history of changes (`H` on the build detail): every audited change to the build and its
//! records, newest first, with who, station, time and each field old → new; filtered by field and by
//! person (docs/audit.md §6.3).

use super::{EntryDetail, Paged, Pager, draw_waiting, time_text};
use crate::domain::audit_trail::{self, BuildHistory, HistoryQuery, Person, PersonFilter};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, Screen, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::{centered, dialog, dim, fit_text, inset, panel, row, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

/// Rows per page: a page is a screenful or two of changes.
pub const PAGE_SIZE: i64 = 25;

/// Which filter the open text dialog sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Typing {
    Field,
    Person,
}

pub struct BuildHistoryScreen {
    order_id: Uuid,
    build_number: Option<String>,
    pager: Pager,
    loading: Pending,
    error: Option<String>,
    people: Vec<Person>,
    field: String,
    person: PersonFilter,
    typing: Option<(Typing, Form)>,
    detail: Option<EntryDetail>,
}

impl BuildHistoryScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (BuildHistoryScreen, Command) {
        let mut s = BuildHistoryScreen {
            order_id,
            build_number: None,
            pager: Pager::default(),
            loading: Pending::new(),
            error: None,
            people: Vec::new(),
            field: String::new(),
            person: PersonFilter::Anyone,
            typing: None,
            detail: None,
        };
        let before = s.pager.first();
        let cmd = s.load(before, ctx);
        (s, cmd)
    }

    pub fn pager(&self) -> &Pager {
        &self.pager
    }

    pub fn people(&self) -> &[Person] {
        &self.people
    }

    pub fn person(&self) -> &PersonFilter {
        &self.person
    }

    pub fn field(&self) -> &str {
        &self.field
    }

    fn load(&mut self, before: Option<i64>, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let query = HistoryQuery {
            field: self.field.clone(),
            person: self.person.clone(),
            before,
            limit: PAGE_SIZE,
        };
        self.loading.begin(
            ctx,
            Request::BuildHistory {
                token,
                order_id: self.order_id,
                query,
            },
            (),
        )
    }

    /// The filters changed: back to the newest page.
    fn refilter(&mut self, ctx: &mut Ctx) -> Command {
        self.pager.selected = 0;
        let before = self.pager.first();
        self.load(before, ctx)
    }

    /// Anyone → each person present in turn → anyone.
    fn next_person(&mut self) {
        let at = self.people.iter().position(|p| p.filter() == self.person);
        self.person = match at {
            None if self.person == PersonFilter::Anyone => self
                .people
                .first()
                .map_or(PersonFilter::Anyone, Person::filter),
            None => PersonFilter::Anyone,
            Some(i) => self
                .people
                .get(i + 1)
                .map_or(PersonFilter::Anyone, Person::filter),
        };
    }

    fn on_typing(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some((what, form)) = &mut self.typing else {
            return Command::None;
        };
        match action {
            Action::Cancel => {
                self.typing = None;
                Command::None
            }
            Action::Submit => {
                let text = form.value(0).trim().to_string();
                match what {
                    Typing::Field => self.field = text,
                    Typing::Person if text.is_empty() => self.person = PersonFilter::Anyone,
                    Typing::Person => self.person = PersonFilter::Named(text),
                }
                self.typing = None;
                self.refilter(ctx)
            }
            other => {
                form.handle(other);
                Command::None
            }
        }
    }

    fn open_typing(&mut self, what: Typing) {
        let (label, value, hint) = match what {
            Typing::Field => (
                "Field",
                self.field.clone(),
                "Part of a field name, e.g. status or quantity",
            ),
            Typing::Person => (
                "Person",
                match &self.person {
                    PersonFilter::Named(t) => t.clone(),
                    _ => String::new(),
                },
                "Part of a name or username; empty: anyone",
            ),
        };
        let mut field = FormField::text(label).with_max_len(100).with_hint(hint);
        field.set_value(&value);
        self.typing = Some((what, Form::new(vec![field]).with_input_width(40)));
    }

    fn filter_line(&self) -> String {
        let field = if self.field.is_empty() {
            "any".to_string()
        } else {
            format!("\"{}\"", self.field)
        };
        format!("Field: {field} · Person: {}", self.person.label())
    }

    fn draw_list(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = match &self.build_number {
            Some(b) => format!("History of changes · build {b}"),
            None => "History of changes".to_string(),
        };
        if !self.pager.loaded {
            draw_waiting(frame, area, &title, self.error.as_deref(), theme);
            return;
        }
        let title = if self.loading.in_flight() {
            format!("{title} (loading…)")
        } else {
            title
        };
        let block = panel(&title, theme);
        let inner = inset(block.inner(area), 1);
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                fit_text(&self.filter_line(), width),
                theme.muted,
            ))),
            row(inner, 0),
        );
        let status = match &self.error {
            Some(e) => Line::from(Span::styled(
                fit_text(&format!("ERROR: {e}"), width),
                theme.error,
            )),
            None => Line::from(Span::styled(
                fit_text(
                    &self
                        .pager
                        .position(usize::try_from(PAGE_SIZE).unwrap_or(25)),
                    width,
                ),
                theme.muted,
            )),
        };
        frame.render_widget(
            Paragraph::new(status),
            row(inner, inner.height.saturating_sub(1)),
        );
        let list = rows(inner, 2, inner.height.saturating_sub(3));
        if self.pager.entries.is_empty() {
            let text = if self.field.is_empty() && self.person == PersonFilter::Anyone {
                "No audited change for this build."
            } else {
                "No change matches the filter (c clears it)."
            };
            frame.render_widget(
                Paragraph::new(Span::styled(text, theme.muted)),
                row(list, 0),
            );
            return;
        }
        // One header line per row, then one line per changed field.
        let mut lines: Vec<(usize, Line)> = Vec::new();
        for (i, e) in self.pager.entries.iter().enumerate() {
            let sel = i == self.pager.selected;
            let base = if sel { theme.selected } else { theme.base };
            let action = audit_trail::action_label(e);
            lines.push((
                i,
                Line::from(vec![
                    Span::styled(if sel { "▶ " } else { "  " }, base),
                    Span::styled(
                        fit_text(
                            &format!(
                                "{}  {:<18} {:<16} {:<8} {}",
                                time_text(e),
                                fit_text(&audit_trail::who(e), 18),
                                fit_text(&audit_trail::station(e), 16),
                                action,
                                audit_trail::record_name(e)
                            ),
                            width.saturating_sub(2),
                        ),
                        base,
                    ),
                ]),
            ));
            for c in audit_trail::changes(e) {
                lines.push((
                    i,
                    Line::from(Span::styled(
                        fit_text(
                            &format!("      {}", audit_trail::change_text(&e.action, &c)),
                            width,
                        ),
                        theme.muted,
                    )),
                ));
            }
        }
        let height = usize::from(list.height);
        let start = lines
            .iter()
            .position(|(i, _)| *i == self.pager.selected)
            .unwrap_or(0);
        let end = lines
            .iter()
            .rposition(|(i, _)| *i == self.pager.selected)
            .unwrap_or(0)
            + 1;
        let offset = start.min(end.saturating_sub(height));
        let shown: Vec<Line> = lines
            .into_iter()
            .skip(offset)
            .take(height)
            .map(|(_, l)| l)
            .collect();
        frame.render_widget(Paragraph::new(shown), list);
    }
}

impl Screen for BuildHistoryScreen {
    fn title(&self) -> &'static str {
        "History of changes"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if let Some((_, form)) = &self.typing {
            let mut stack = form.key_contexts();
            stack.push(KeyContext::Dialog);
            return stack;
        }
        if self.detail.is_some() {
            return vec![KeyContext::AuditEntry, KeyContext::List];
        }
        vec![
            KeyContext::AuditPages,
            KeyContext::BuildHistory,
            KeyContext::List,
        ]
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.typing.is_some() {
            return self.on_typing(action, ctx);
        }
        match self.pager.answer(&mut self.detail, action) {
            Paged::Done => return Command::None,
            Paged::Load(before) => return self.load(before, ctx),
            Paged::Other => {}
        }
        match action {
            Action::Back => {
                ctx.emit(Effect::Navigate(ScreenId::OrderDetail(self.order_id)));
                Command::None
            }
            Action::FilterField => {
                self.open_typing(Typing::Field);
                Command::None
            }
            Action::FilterPerson => {
                self.open_typing(Typing::Person);
                Command::None
            }
            Action::NextPerson => {
                self.next_person();
                self.refilter(ctx)
            }
            Action::ClearFilters => {
                self.field.clear();
                self.person = PersonFilter::Anyone;
                self.refilter(ctx)
            }
            _ => Command::None,
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, _ctx: &mut Ctx) -> Command {
        if !self.loading.answered_by(reply.id) {
            return Command::None;
        }
        match reply.result {
            Ok(Reply::BuildHistory(h)) => {
                let BuildHistory {
                    build_number,
                    page,
                    people,
                } = *h;
                self.build_number = Some(build_number);
                if let Some(p) = people {
                    self.people = p;
                }
                self.pager.show(page);
                self.error = None;
            }
            Ok(_) => {}
            Err(e) => self.error = Some(e.user_message()),
        }
        Command::None
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        self.typing.as_mut().map(|(_, f)| f)
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 6 || area.width < 30 {
            frame.render_widget(Paragraph::new("Enlarge the terminal"), area);
            return;
        }
        if let Some(d) = &mut self.detail {
            d.view(frame, area, theme);
            return;
        }
        self.draw_list(frame, area, theme);
        if let Some((what, form)) = &mut self.typing {
            dim(frame, area, theme);
            let title = match what {
                Typing::Field => "Filter by field",
                Typing::Person => "Filter by person",
            };
            let inner = dialog(frame, centered(area, 70, 7), title, theme);
            form.render(frame, rows(inner, 1, 2), theme);
        }
    }
}
