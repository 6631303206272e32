//! Golden renders of the order wizard at 80x24, into `screens/order_wizard/<state>.snap`.
//!
//! The home menu does not offer New order yet, so the wizard screen is driven directly, inside the same
//! frame the shell draws (header, message line, status bar, key bar from the keymap). Keys go through the
//! real keymap; replies are faked.
use crate::harness::{Driver, ScreenDriver, init, text_with_styles, user_for};
use chrono::NaiveDate;
use cleanstation::domain::Role;
use cleanstation::domain::bom::{ACCESSORIES, BomPreview, PreviewLine};
use cleanstation::domain::order::{
    AccessoryItem, AttachmentInfo, BasinConfig, BasinType, BuildConfig, CreatedOrder,
    DocumentLanguage, FaucetConfig, FaucetPlacement, FaucetType, FeetType, LegsType, NumberCheck,
    OrderHeader, OrderStatus, WizardContext,
};
use cleanstation::domain::order_view::OrderDetail;
use cleanstation::error::ServiceError;
use cleanstation::keymap::{Action, KeyChord, KeyContext};
use cleanstation::msg::{Command, Reply, Request, ServiceReply, ServiceRequest};
use cleanstation::screens::order_wizard::OrderWizardScreen;
use cleanstation::screens::{Ctx, Effect, Screen, ScreenId, ScreenMsg};
use cleanstation::theme::Theme;
use cleanstation::widgets::key_bar;
use cleanstation::widgets::status_bar::{self, DbStatus, StatusInfo};
use cleanstation::widgets::toast::Toast;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("order_wizard", state, description, text);
}

pub(crate) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 14).unwrap_or_else(|| panic!("date"))
}

/// Catalog names for the fixtures, from the catalog the product ships.
fn catalog_name(id: &str) -> String {
    let assemblies: serde_json::Value =
        serde_json::from_str(cleanstation::reference::ASSEMBLIES_JSON)
            .unwrap_or_else(|e| panic!("{e}"));
    let parts: serde_json::Value =
        serde_json::from_str(cleanstation::reference::PARTS_JSON).unwrap_or_else(|e| panic!("{e}"));
    [
        &assemblies["assemblies"][id],
        &assemblies["assemblies"][format!("ASSY-{id}")],
        &parts["parts"][id],
    ]
    .iter()
    .find_map(|v| v["name"].as_str())
    .unwrap_or(id)
    .to_string()
}

pub(crate) fn accessories() -> Vec<AccessoryItem> {
    ACCESSORIES
        .iter()
        .map(|a| AccessoryItem {
            id: a.id.to_string(),
            name: catalog_name(a.id),
            subcategory: a.subcategory.to_string(),
        })
        .collect()
}

/// Drives a `OrderWizardScreen` the way the shell does and draws it in the shell's frame.
type Harness = ScreenDriver<OrderWizardScreen>;

impl ScreenDriver<OrderWizardScreen> {
    fn start(
        theme: Theme,
        role: Role,
        open: impl FnOnce(&mut Ctx) -> (OrderWizardScreen, Command),
    ) -> Harness {
        let mut h = Harness::open(role, open);
        h.theme = theme;
        h
    }

    fn new_order(theme: Theme) -> Harness {
        Harness::start(theme, Role::ProductionCoordinator, OrderWizardScreen::open)
    }

    /// Opened with the context answered.
    fn ready(theme: Theme, draft: Option<serde_json::Value>) -> Harness {
        let mut h = Harness::new_order(theme);
        h.answer(
            |r| matches!(r, Request::WizardContext { .. }),
            Ok(Reply::WizardContext(WizardContext {
                today: today(),
                accessories: accessories(),
                draft,
            })),
        );
        h
    }

    /// The shell's key stack: the screen's contexts, then Session and Global unless a question is modal.
    fn stack(&self) -> Vec<KeyContext> {
        let mut stack = self.screen.key_contexts();
        if stack.first() != Some(&KeyContext::Confirm) {
            stack.extend([KeyContext::Session, KeyContext::Global]);
        }
        stack
    }

    fn key_event(&mut self, key: KeyEvent) {
        let stack = self.stack();
        let chord = KeyChord::from_event(key);
        if stack.contains(&KeyContext::TextInput)
            && chord.is_text()
            && let KeyCode::Char(c) = chord.code
        {
            self.send(ScreenMsg::Char(c));
            return;
        }
        match self.keymap.resolve(&stack, key) {
            Some(Action::Help | Action::Quit | Action::Lock) | None => {}
            Some(action) => self.send(ScreenMsg::Action(action)),
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.key_event(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn keys(&mut self, code: KeyCode, n: usize) {
        for _ in 0..n {
            self.key(code);
        }
    }

    fn ctrl(&mut self, c: char) {
        self.key_event(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }

    fn type_str(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn take_last(&mut self, pred: impl Fn(&Request) -> bool) -> Option<ServiceRequest> {
        let i = self.sent.iter().rposition(|r| pred(&r.kind))?;
        Some(self.sent.remove(i))
    }

    fn answer(&mut self, pred: impl Fn(&Request) -> bool, result: Result<Reply, ServiceError>) {
        let req = self
            .take(pred)
            .unwrap_or_else(|| panic!("no such request among {:?}", self.sent));
        self.send(ScreenMsg::Db(ServiceReply { id: req.id, result }));
    }

    /// The last toast the wizard asked for.
    fn toast(&self) -> Option<&Toast> {
        last_toast(&self.effects)
    }

    /// The last screen the wizard asked to go to.
    fn navigated(&self) -> Option<ScreenId> {
        self.effects.iter().rev().find_map(|e| match e {
            Effect::Navigate(id) => Some(*id),
            _ => None,
        })
    }

    fn numbers_free(&mut self) {
        self.answer(
            |r| matches!(r, Request::CheckNumbers { .. }),
            Ok(Reply::NumbersChecked(NumberCheck::default())),
        );
    }

    fn render(&mut self) -> String {
        self.render_at(80, 24)
    }

    /// The frame at `w` x `h`: header, screen, message line, status bar and key bar.
    fn render_at(&mut self, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap_or_else(|e| panic!("{e}"));
        let theme = self.theme;
        let title = self.screen.title();
        let stack = self.stack();
        let bar = self.keymap.key_bar(&stack);
        let user = &self.session.user;
        terminal
            .draw(|f| {
                let header = Rect::new(0, 0, w, 1);
                f.render_widget(
                    Paragraph::new(Line::from(vec![
                        Span::styled(" CleanStation", theme.header),
                        Span::styled("  ›  ", theme.header),
                        Span::styled(title, theme.header),
                    ]))
                    .style(theme.header),
                    header,
                );
                f.render_widget(
                    Paragraph::new(Span::styled("Torvan Medical ", theme.header)),
                    Rect::new(w - 15, 0, 15, 1),
                );
                self.screen.view(f, Rect::new(0, 1, w, h - 4), &theme);
                if let Some(t) = last_toast(&self.effects) {
                    t.render(f, Rect::new(0, h - 3, w, 1), &theme);
                }
                let info = StatusInfo {
                    station: "ST-04 Assembly",
                    user: Some((user.full_name.as_str(), user.username.as_str())),
                    role: Some(user.role.title()),
                    db: DbStatus::Ok,
                    database: "db.plant.local",
                    unread: Some(2),
                    locked: false,
                    live_paused: false,
                };
                status_bar::render(f, Rect::new(0, h - 2, w, 1), &info, &theme);
                key_bar::render(f, Rect::new(0, h - 1, w, 1), &bar, &theme);
            })
            .unwrap_or_else(|e| panic!("{e}"));
        text_with_styles(terminal.backend().buffer())
    }

    /// Step 1 filled in by keys; focus ends on the notes.
    fn fill_step1(&mut self) {
        self.type_str("PO-4500123");
        self.key(KeyCode::Tab);
        self.type_str("St. Mary's Hospital");
        self.key(KeyCode::Tab);
        self.type_str("Sterile processing upgrade");
        self.key(KeyCode::Tab);
        self.type_str("Dana Reyes");
        self.key(KeyCode::Tab);
        self.type_str("2025-04-30");
        self.keys(KeyCode::Tab, 2);
        self.type_str("Deliver to dock 2; call ahead");
    }

    /// From an empty wizard to step 3 with two builds.
    fn reach_step3(&mut self) {
        self.fill_step1();
        self.ctrl('n');
        self.numbers_free();
        self.key(KeyCode::Tab);
        self.key(KeyCode::Backspace);
        self.type_str("2");
        self.key(KeyCode::Tab);
        self.type_str("B-1001");
        self.key(KeyCode::Tab);
        self.type_str("B-1002");
        self.ctrl('n');
        self.numbers_free();
    }

    /// Configures the selected build on step 3: T2-B2, 30 x 60, DL27 casters, E-Sink + E-Drain 24x20x8,
    /// one wrist-blade faucet.
    fn configure(&mut self) {
        self.key(KeyCode::Right); // model T2-B1
        self.key(KeyCode::Right); // T2-B2
        self.key(KeyCode::Tab);
        self.type_str("30");
        self.key(KeyCode::Tab);
        self.type_str("60");
        self.key(KeyCode::Tab);
        self.key(KeyCode::Right); // height-adjustable
        self.key(KeyCode::Tab);
        self.key(KeyCode::Right); // DL27
        self.key(KeyCode::Tab);
        self.key(KeyCode::Right); // casters
        self.keys(KeyCode::Tab, 3); // direction, pegboard, basin 1 type
        self.key(KeyCode::Right); // E-Sink
        self.key(KeyCode::Tab);
        self.keys(KeyCode::Right, 2); // 24 x 20 x 8
        self.key(KeyCode::Tab);
        self.key(KeyCode::Right); // P-trap yes
        self.keys(KeyCode::Tab, 2); // basin 2 type
        self.keys(KeyCode::Left, 1); // E-Drain
        self.key(KeyCode::Tab);
        self.keys(KeyCode::Right, 2);
        self.keys(KeyCode::Tab, 3); // add faucet
        self.key(KeyCode::Enter);
        self.key(KeyCode::Right); // wrist blade
    }
}

fn last_toast(effects: &[Effect]) -> Option<&Toast> {
    effects.iter().rev().find_map(|e| match e {
        Effect::Toast(t) => Some(t),
        _ => None,
    })
}

fn ansi() -> Theme {
    Theme::ansi()
}

#[test]
fn step1() {
    let mut h = Harness::new_order(ansi());
    snap(
        "loading",
        "The wizard waits for today's date, the accessory list and the saved draft",
        &h.render(),
    );
    let mut h = Harness::ready(ansi(), None);
    snap(
        "step1_empty",
        "Step 1 on opening: every field empty, focus on the PO number",
        &h.render(),
    );
    h.type_str("PO");
    h.key(KeyCode::Tab);
    h.type_str("St. Mary's Hospital");
    h.keys(KeyCode::Tab, 3);
    h.type_str("2025-03-14");
    h.ctrl('n');
    snap(
        "step1_errors",
        "Next refused: each wrong field shows its message, focus on the first, no request sent",
        &h.render(),
    );
    for (theme, name) in [
        (ansi(), "step1_filled"),
        (Theme::mono(), "step1_filled_mono"),
    ] {
        let mut h = Harness::ready(theme, None);
        h.fill_step1();
        snap(
            name,
            &format!(
                "Step 1 completed by keys, focus on the notes ({})",
                theme.name
            ),
            &h.render(),
        );
    }
    let mut h = Harness::ready(ansi(), None);
    h.fill_step1();
    h.ctrl('n');
    snap(
        "step1_checking",
        "Next on a valid step 1: the PO number is being checked with the server",
        &h.render(),
    );
    h.answer(
        |r| matches!(r, Request::CheckNumbers { .. }),
        Ok(Reply::NumbersChecked(NumberCheck {
            po_taken: Some("po-4500123".into()),
            builds_taken: Vec::new(),
        })),
    );
    snap(
        "step1_po_exists",
        "The PO number is already in use: the server's answer shows at the field",
        &h.render(),
    );
}

#[test]
fn step1_attachments() {
    let mut h = Harness::ready(ansi(), None);
    h.fill_step1();
    h.key(KeyCode::Tab);
    h.type_str("/srv/po/setup.exe");
    h.key(KeyCode::Enter);
    let req = h
        .take(|r| matches!(r, Request::CheckAttachment { .. }))
        .unwrap_or_else(|| panic!("Enter on the path sends CheckAttachment"));
    assert!(
        matches!(&req.kind, Request::CheckAttachment { path, .. } if path == "/srv/po/setup.exe")
    );
    h.send(ScreenMsg::Db(ServiceReply {
        id: req.id,
        result: Err(ServiceError::Invalid(
            "setup.exe: file type .exe is not allowed".into(),
        )),
    }));
    snap(
        "step1_attachment_error",
        "A refused attachment: the server's message shows at the path, nothing is added",
        &h.render(),
    );
    for _ in 0.."/srv/po/setup.exe".len() {
        h.key(KeyCode::Backspace);
    }
    h.type_str("/srv/po/PO-4500123.pdf");
    h.key(KeyCode::Enter);
    h.answer(
        |r| matches!(r, Request::CheckAttachment { .. }),
        Ok(Reply::AttachmentChecked(AttachmentInfo {
            name: "PO-4500123.pdf".into(),
            size: 245_760,
        })),
    );
    h.type_str("/srv/drawings/layout.dwg");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Right);
    h.key(KeyCode::Enter);
    h.answer(
        |r| matches!(r, Request::CheckAttachment { .. }),
        Ok(Reply::AttachmentChecked(AttachmentInfo {
            name: "layout.dwg".into(),
            size: 1_572_864,
        })),
    );
    snap(
        "step1_attachments",
        "Two attachments added, each listed as name (size) · type; the path field is empty again",
        &h.render(),
    );
}

#[test]
fn step2() {
    let mut h = Harness::ready(ansi(), None);
    h.fill_step1();
    h.ctrl('n');
    h.numbers_free();
    assert!(h.take(|r| matches!(r, Request::SaveDraft { .. })).is_some());
    h.key(KeyCode::Right);
    h.key(KeyCode::Tab);
    snap(
        "step2_family_unavailable",
        "Endoscope chosen: listed, but not yet available",
        &h.render(),
    );
    h.key(KeyCode::BackTab);
    h.keys(KeyCode::Left, 1);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Backspace);
    h.type_str("2");
    h.key(KeyCode::Tab);
    h.type_str("B-1001");
    h.key(KeyCode::Tab);
    h.type_str("B-1002");
    snap(
        "step2_two_builds",
        "Two sinks, one build number each",
        &h.render(),
    );
    h.key(KeyCode::Backspace);
    h.type_str("1");
    h.ctrl('n');
    h.key(KeyCode::Tab);
    snap(
        "step2_duplicate_number",
        "The same build number twice (case-insensitive): Next refused",
        &h.render(),
    );
    h.key(KeyCode::Backspace);
    h.type_str("2");
    h.ctrl('n');
    h.answer(
        |r| matches!(r, Request::CheckNumbers { .. }),
        Ok(Reply::NumbersChecked(NumberCheck {
            po_taken: None,
            builds_taken: vec![("B-1002".into(), "PO-4499870".into())],
        })),
    );
    snap(
        "step2_number_exists",
        "A build number already used by another PO",
        &h.render(),
    );
    h.key(KeyCode::BackTab);
    h.key(KeyCode::BackTab);
    h.key(KeyCode::Backspace);
    h.type_str("1");
    h.key(KeyCode::Tab);
    snap(
        "step2_remove_confirm",
        "Lowering the number of sinks asks before removing a build with input",
        &h.render(),
    );
}

#[test]
fn step2_ten_builds() {
    let mut h = Harness::ready(ansi(), None);
    h.fill_step1();
    h.ctrl('n');
    h.numbers_free();
    h.key(KeyCode::Tab);
    h.key(KeyCode::Backspace);
    h.type_str("10");
    h.key(KeyCode::Tab);
    for i in 1..=10 {
        h.type_str(&format!("24-{:04}", 117 + i));
        h.key(KeyCode::Tab);
    }
    h.ctrl('n');
    snap(
        "step2_ten_builds",
        "Ten sinks: one row per field, so every build number is in sight",
        &h.render(),
    );
}

#[test]
fn step3_pegboard_and_sprayer() {
    let mut h = Harness::ready(ansi(), None);
    h.reach_step3();
    h.configure();
    h.keys(KeyCode::BackTab, 10);
    h.key(KeyCode::Right); // pegboard yes
    h.key(KeyCode::Tab);
    h.key(KeyCode::Right); // green
    h.key(KeyCode::Tab);
    h.keys(KeyCode::Right, 2); // solid
    h.key(KeyCode::Tab);
    h.key(KeyCode::Right); // custom
    h.key(KeyCode::Tab);
    h.type_str("40");
    h.key(KeyCode::Tab);
    h.type_str("200");
    h.key(KeyCode::Tab);
    snap(
        "step3_custom_pegboard",
        "A custom pegboard 40 x 200 in: the length is out of range",
        &h.render(),
    );
    // Length corrected; then a sprayer without a location, and Next.
    h.key(KeyCode::BackTab);
    h.keys(KeyCode::Backspace, 3);
    h.type_str("100");
    for _ in 0..40 {
        h.key(KeyCode::Down);
    }
    h.key(KeyCode::Enter);
    h.key(KeyCode::Right);
    h.ctrl('n');
    snap(
        "step3_sprayer_location",
        "A sprayer without a location: Next refused, the location is marked",
        &h.render(),
    );
}

#[test]
fn step3() {
    let mut h = Harness::ready(ansi(), None);
    h.reach_step3();
    snap(
        "step3_empty",
        "Step 3 on arrival: both builds incomplete, the model sets the basins",
        &h.render(),
    );
    h.configure();
    snap(
        "step3_build_complete",
        "Build B-1001 configured: marked complete in the list",
        &h.render(),
    );
    let mut m = Harness::ready(Theme::mono(), None);
    m.reach_step3();
    m.configure();
    snap(
        "step3_build_complete_mono",
        "Build B-1001 configured (monochrome theme)",
        &m.render(),
    );

    // Length out of range, shown on leaving the field.
    let mut h = Harness::ready(ansi(), None);
    h.reach_step3();
    h.configure();
    h.keys(KeyCode::BackTab, 15);
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Backspace);
    h.type_str("130");
    h.key(KeyCode::Tab);
    snap(
        "step3_invalid_length",
        "A length of 130 in: the message shows when the field is left",
        &h.render(),
    );

    // Custom basin equal to a standard size.
    let mut h = Harness::ready(ansi(), None);
    h.reach_step3();
    h.configure();
    h.keys(KeyCode::BackTab, 8);
    h.keys(KeyCode::Right, 4);
    h.key(KeyCode::Tab);
    h.type_str("30");
    h.key(KeyCode::Tab);
    h.type_str("20");
    h.key(KeyCode::Tab);
    h.type_str("10");
    h.key(KeyCode::Tab);
    snap(
        "step3_custom_basin",
        "Basin 1 custom, with the dimensions of a standard size",
        &h.render(),
    );

    // Three faucets on a two-basin sink, and a W4 warning.
    let mut h = Harness::ready(ansi(), None);
    h.reach_step3();
    h.configure();
    h.key(KeyCode::BackTab); // add faucet, above the rows
    h.key(KeyCode::Enter);
    h.keys(KeyCode::Right, 2);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Backspace);
    h.type_str("2");
    h.key(KeyCode::Tab);
    h.ctrl('n');
    snap(
        "step3_faucet_limit",
        "Three faucets on a two-basin sink: Next refused, the total is shown under Faucets",
        &h.render(),
    );

    // DI basin: the gooseneck row appears by itself.
    let mut h = Harness::ready(ansi(), None);
    h.reach_step3();
    h.configure();
    h.keys(KeyCode::BackTab, 5);
    h.keys(KeyCode::Right, 2);
    h.keys(KeyCode::Tab, 10);
    snap(
        "step3_di_gooseneck",
        "Basin 2 made E-Sink DI: a gooseneck faucet row is pre-filled",
        &h.render(),
    );

    // Both basins E-Drain with a faucet in the centre: W4, shown and not blocking.
    let mut h = Harness::ready(ansi(), None);
    h.reach_step3();
    h.configure();
    h.keys(KeyCode::BackTab, 9);
    h.key(KeyCode::Left);
    snap(
        "step3_warning",
        "Every basin E-Drain with a centre faucet: W4 stays in sight below the form; the build is complete with warnings",
        &h.render(),
    );

    // Copy configuration from B-1001 into B-1002.
    let mut h = Harness::ready(ansi(), None);
    h.reach_step3();
    h.configure();
    h.key(KeyCode::PageDown);
    h.ctrl('o');
    snap(
        "step3_copy_picker",
        "Copy configuration: choosing the source build",
        &h.render(),
    );
    h.key(KeyCode::Enter);
    snap(
        "step3_copied",
        "B-1002 now holds a copy of B-1001's configuration",
        &h.render(),
    );
    h.keys(KeyCode::Tab, 6);
    h.key(KeyCode::Right);
    h.ctrl('o');
    h.key(KeyCode::Enter);
    snap(
        "step3_copy_confirm",
        "Copying over a configured build asks first",
        &h.render(),
    );
}

#[test]
fn step3_sections() {
    let ctrl = |code| KeyEvent::new(code, KeyModifiers::CONTROL);
    let mut h = Harness::ready(ansi(), None);
    h.reach_step3();
    h.configure();
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    snap(
        "step3_tab_past_faucets",
        "Tab from the last faucet row goes on to the sprayers; + Add faucet heads the faucet rows",
        &h.render(),
    );
    snap(
        "step3_tab_past_faucets_120x40",
        "Tab from the last faucet row goes on to the sprayers, at 120 x 40",
        &h.render_at(120, 40),
    );
    h.key_event(ctrl(KeyCode::Up));
    h.key_event(ctrl(KeyCode::Up));
    snap(
        "step3_section_jump",
        "Ctrl-↑ twice from + Add sprayer: the first field of Basin 2, its heading marked",
        &h.render(),
    );
    snap(
        "step3_section_jump_120x40",
        "Ctrl-↑ twice from + Add sprayer, at 120 x 40: the whole form in sight",
        &h.render_at(120, 40),
    );
    h.key_event(ctrl(KeyCode::Down));
    snap(
        "step3_section_jump_down",
        "Ctrl-↓ from Basin 2: the first field of Faucets, + Add faucet, its heading marked",
        &h.render(),
    );
    snap(
        "step3_section_jump_down_120x40",
        "Ctrl-↓ from Basin 2, at 120 x 40",
        &h.render_at(120, 40),
    );
}

/// Both builds configured, at step 4.
fn at_step4(theme: Theme) -> Harness {
    let mut h = Harness::ready(theme, None);
    h.reach_step3();
    h.configure();
    h.key(KeyCode::PageDown);
    h.ctrl('o');
    h.key(KeyCode::Enter);
    h.ctrl('n');
    h
}

#[test]
fn step4() {
    let mut h = at_step4(ansi());
    snap(
        "step4_accessories",
        "Step 4: the 54 accessories grouped by subcategory, focus on the search",
        &h.render(),
    );
    h.type_str("shelf");
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.type_str("2");
    h.key(KeyCode::Down);
    h.key(KeyCode::Right);
    snap(
        "step4_accessories_search",
        "Searching \"shelf\": two accessories chosen with digits and the arrow",
        &h.render(),
    );
    h.key(KeyCode::BackTab);
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Backspace);
    h.type_str("adder lrg");
    h.key(KeyCode::Down);
    h.type_str("1");
    snap(
        "step4_warning",
        "A large shelf adder on a 60 in sink: the W3 warning shows, it does not block",
        &h.render(),
    );
}

fn preview_for(build: &BuildConfig) -> BomPreview {
    let mut ids: Vec<(String, i64, &str)> = vec![
        ("T2-STD-MANUAL-EN-KIT".into(), 1, "assembly"),
        ("T2-BODY-48-60-HA".into(), 1, "assembly"),
        ("T2-DL27-KIT".into(), 1, "assembly"),
        ("T2-LEVELING-CASTOR-475".into(), 1, "part"),
        ("T2-BSN-ESK-KIT".into(), 1, "assembly"),
        ("T2-BSN-EDR-KIT".into(), 1, "assembly"),
        ("T2-ADW-BASIN24X20X8".into(), 2, "part"),
        ("T2-OA-MS-1026".into(), 1, "part"),
        ("T2-CTRL-EDR1-ESK1".into(), 1, "assembly"),
        ("T2-OA-STD-FAUCET-WB-KIT".into(), 1, "assembly"),
    ];
    for a in &build.accessories {
        ids.push((a.assembly_id.clone(), i64::from(a.quantity), "assembly"));
    }
    BomPreview {
        lines: ids
            .into_iter()
            .map(|(id, quantity, kind)| PreviewLine {
                name: catalog_name(&id),
                id,
                quantity,
                kind: kind.into(),
            })
            .collect(),
        notes: cleanstation::domain::bom::warnings(build),
    }
}

/// At step 5 with both previews answered; B-1002 fails when `fail`.
fn at_review(fail: bool) -> Harness {
    let mut h = at_step4(ansi());
    h.type_str("binrail 24");
    h.key(KeyCode::Down);
    h.type_str("2");
    h.ctrl('n');
    for i in 0..2 {
        let req = h
            .take(|r| matches!(r, Request::PreviewBom { .. }))
            .unwrap_or_else(|| panic!("a preview per build"));
        let Request::PreviewBom { build, .. } = &req.kind else {
            panic!("preview");
        };
        let result = if fail && i == 1 {
            Err(ServiceError::Invalid(
                "BOM generation failed for build B-1002: unknown catalog id(s): T2-OA-BASIN-LIGHT-EDR-KIT"
                    .into(),
            ))
        } else {
            Ok(Reply::BomPreview(preview_for(build)))
        };
        h.send(ScreenMsg::Db(ServiceReply { id: req.id, result }));
    }
    h
}

#[test]
fn step5() {
    let mut h = at_review(false);
    snap(
        "step5_review",
        "Review of B-1001: configuration, BOM preview; Submit available",
        &h.render(),
    );
    h.keys(KeyCode::Down, 14);
    snap(
        "step5_review_scrolled",
        "Review scrolled to the BOM preview lines",
        &h.render(),
    );
    let mut f = at_review(true);
    f.key(KeyCode::PageDown);
    snap(
        "step5_preview_failed",
        "The BOM of B-1002 cannot be generated: Submit is not available",
        &f.render(),
    );
    h.key(KeyCode::Enter);
    let req = h
        .take(|r| matches!(r, Request::CreateOrder { .. }))
        .unwrap_or_else(|| panic!("Enter submits"));
    snap(
        "step5_submitting",
        "Submitted: waiting for the server",
        &h.render(),
    );
    h.send(ScreenMsg::Db(ServiceReply {
        id: req.id,
        result: Err(ServiceError::Conflict(
            "PO number PO-4500123 already exists".into(),
        )),
    }));
    snap(
        "step5_submit_error",
        "Another station was faster: the message shows, every input is kept, step 1 is marked",
        &h.render(),
    );
    let mut ok = at_review(false);
    ok.key(KeyCode::Enter);
    let req = ok
        .take(|r| matches!(r, Request::CreateOrder { .. }))
        .unwrap_or_else(|| panic!("Enter submits"));
    let first = Uuid::from_u128(0x1001);
    ok.send(ScreenMsg::Db(ServiceReply {
        id: req.id,
        result: Ok(Reply::OrderCreated(CreatedOrder {
            po_number: "PO-4500123".into(),
            builds: vec![
                (first, "B-1001".into()),
                (Uuid::from_u128(0x1002), "B-1002".into()),
            ],
        })),
    }));
    assert_eq!(ok.navigated(), Some(ScreenId::OrderDetail(first)));
    assert_eq!(
        ok.toast().map(|t| t.text.as_str()),
        Some("Created PO PO-4500123 with 2 build(s): B-1001, B-1002")
    );
}

#[test]
fn drafts_and_leaving() {
    // Leave at step 3 keeping a draft, then come back.
    let mut h = Harness::ready(ansi(), None);
    h.reach_step3();
    h.configure();
    h.key(KeyCode::Esc);
    snap(
        "discard_confirm",
        "Esc with input: discard, keep as a draft, or go back to the wizard",
        &h.render(),
    );
    h.key(KeyCode::Char('n'));
    let Some(ServiceRequest {
        kind: Request::SaveDraft { draft, .. },
        ..
    }) = h.take_last(|r| matches!(r, Request::SaveDraft { .. }))
    else {
        panic!("n keeps a draft");
    };
    assert_eq!(h.navigated(), Some(ScreenId::Home));
    let mut back = Harness::ready(ansi(), Some(draft));
    snap(
        "resume_draft",
        "Opening New order with a saved draft offers to resume it",
        &back.render(),
    );
    back.key(KeyCode::Char('y'));
    snap(
        "resumed",
        "Resumed: the wizard is back at step 3 with everything entered",
        &back.render(),
    );
}

fn order_detail(status: OrderStatus) -> OrderDetail {
    let basin = |i, t| BasinConfig {
        basin_index: i,
        basin_type: t,
        basin_width: 24,
        basin_length: 20,
        basin_depth: 8,
        is_custom_size: false,
        has_p_trap_drain: true,
        has_basin_light: false,
    };
    OrderDetail {
        id: Uuid::from_u128(0x1001),
        header: OrderHeader {
            po_number: "PO-4500123".into(),
            customer_name: "St. Mary's Hospital".into(),
            project_name: None,
            sales_person: "Dana Reyes".into(),
            want_date: NaiveDate::from_ymd_opt(2025, 4, 30).unwrap_or_else(|| panic!("date")),
            order_language: DocumentLanguage::En,
            notes: None,
        },
        build: BuildConfig {
            basins: vec![basin(1, BasinType::ESink), basin(2, BasinType::EDrain)],
            faucets: vec![FaucetConfig {
                faucet_type: FaucetType::WristBladeSwingSpout,
                quantity: 1,
                placement: FaucetPlacement::Center,
            }],
            ..BuildConfig::new(
                "B-1001",
                "T2-B2",
                (30, 60),
                LegsType::HeightAdjustable,
                "DL27",
                FeetType::LockLevelingCasters,
            )
        },
        status,
        assignee: None,
        bom: None,
        floor: None,
        history: Vec::new(),
        nonconformances: Vec::new(),
        actions: Vec::new(),
        created_at: chrono::NaiveDateTime::default(),
        updated_at: chrono::NaiveDateTime::default(),
        documents: Default::default(),
        hold: None,
        hold_minutes: 0,
    }
}

fn edit(status: OrderStatus) -> Harness {
    let id = Uuid::from_u128(0x1001);
    let mut h = Harness::start(ansi(), Role::ProductionCoordinator, |ctx| {
        OrderWizardScreen::edit(id, ctx)
    });
    h.answer(
        |r| matches!(r, Request::WizardContext { .. }),
        Ok(Reply::WizardContext(WizardContext {
            today: today(),
            accessories: accessories(),
            draft: None,
        })),
    );
    h.answer(
        |r| matches!(r, Request::OrderDetail { .. }),
        Ok(Reply::Order(Box::new(order_detail(status)))),
    );
    h
}

#[test]
fn edit_build() {
    let mut h = edit(OrderStatus::OrderCreated);
    h.keys(KeyCode::Tab, 2);
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Backspace);
    h.type_str("72");
    snap(
        "edit_build",
        "Editing build B-1001 (ORDER_CREATED): steps 3-4 only, Ctrl-S saves",
        &h.render(),
    );
    h.ctrl('s');
    let req = h
        .take(|r| matches!(r, Request::UpdateBuild { .. }))
        .unwrap_or_else(|| panic!("Ctrl-S saves"));
    h.send(ScreenMsg::Db(ServiceReply {
        id: req.id,
        result: Err(ServiceError::Conflict(
            "Build B-1001 is now PARTS_SENT; its configuration can no longer be changed".into(),
        )),
    }));
    snap(
        "edit_build_refused",
        "Save refused because the build moved on meanwhile: the server's message, input kept",
        &h.render(),
    );
    let mut moved = edit(OrderStatus::PartsSent);
    snap(
        "edit_build_not_editable",
        "Opening the edit of a build that is no longer ORDER_CREATED",
        &moved.render(),
    );
}

#[test]
fn other_roles() {
    let mut h = Harness::start(ansi(), Role::Assembler, OrderWizardScreen::open);
    assert!(h.sent.is_empty());
    snap(
        "role_refused",
        "An assembler cannot create orders",
        &h.render(),
    );
}

/// The wizard inside the App, as a coordinator opens it from the home menu: no size may panic, the
/// standard 80x24 and 120x40 included.
#[test]
fn no_panic_at_any_size() {
    let mut d = Driver::new(init(ansi()));
    d.login(user_for(Role::ProductionCoordinator));
    d.open_home_entry("New order");
    assert!(d.answer(
        |r| matches!(r, Request::WizardContext { .. }),
        Ok(Reply::WizardContext(WizardContext {
            today: today(),
            accessories: accessories(),
            draft: None,
        })),
    ));
    d.draw_every_size();
    d.type_str("PO-4500123");
    d.ctrl('n');
    d.draw_every_size();
}
