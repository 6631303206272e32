//! The checklist templates screen (ADMIN; docs/checklists.md §12): golden renders into
//! `screens/templates/` of the version list, a version read-only, the editor, an item's form with an
//! appliesWhen error under its column, the preview and the questions; and the requests each sends.
use crate::harness::{Driver, at, init, snap_sizes, template_items, user_for};
use cleanstation::domain::Role;
use cleanstation::domain::checklist::{CheckType, FormType, Usage};
use cleanstation::domain::checklist_preview::{BuildItems, PreviewItem};
use cleanstation::domain::template_versions::{
    TemplatePreview, TemplateVersion, TemplateVersionRow,
};
use cleanstation::msg::{Reply, Request};
use cleanstation::screens::home_entries;
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("templates", state, description, text);
}

fn row(
    n: u128,
    name: &str,
    form_type: FormType,
    version: i32,
    active: bool,
    items: i64,
    used: bool,
) -> TemplateVersionRow {
    TemplateVersionRow {
        id: Uuid::from_u128(n),
        form_name: name.into(),
        form_type,
        version,
        is_active: active,
        item_count: items,
        has_results: used,
        created_at: Some(at(3, 9, 30)),
    }
}

fn versions() -> Vec<TemplateVersionRow> {
    vec![
        row(
            1,
            "End-of-Line Testing",
            FormType::InProcess,
            1,
            true,
            35,
            true,
        ),
        row(
            2,
            "Final Quality Check",
            FormType::FinalQc,
            1,
            true,
            33,
            true,
        ),
        row(
            3,
            "Packaging Verification",
            FormType::InProcess,
            1,
            true,
            20,
            false,
        ),
        row(
            4,
            "Pre-Production Check",
            FormType::PreQc,
            1,
            true,
            15,
            true,
        ),
        row(
            5,
            "Pre-Production Check",
            FormType::PreQc,
            2,
            false,
            16,
            false,
        ),
        row(
            6,
            "Production Checklist",
            FormType::InProcess,
            1,
            true,
            25,
            true,
        ),
    ]
}

fn pre_qc_v1() -> TemplateVersion {
    TemplateVersion {
        row: versions()[3].clone(),
        key: "PRE_QC".into(),
        usage: Usage::QcResult,
        items: template_items("PRE_QC").iter().map(|i| i.draft()).collect(),
    }
}

pub(crate) fn screen() -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::Admin));
    d.open_home_entry("Checklist templates");
    assert!(d.answer(
        |r| matches!(r, Request::TemplateVersions { .. }),
        Ok(Reply::TemplateVersions(versions())),
    ));
    d
}

/// The list with Pre-Production Check v1 selected, opened read-only.
pub(crate) fn version() -> Driver {
    let mut d = screen();
    for _ in 0..3 {
        d.key(KeyCode::Down);
    }
    d.key(KeyCode::Enter);
    assert!(d.answer(
        |r| matches!(r, Request::TemplateVersion { id, .. } if *id == Uuid::from_u128(4)),
        Ok(Reply::TemplateVersion(Box::new(pre_qc_v1()))),
    ));
    d
}

/// The editor of a new version from Pre-Production Check v1.
pub(crate) fn editor() -> Driver {
    let mut d = version();
    d.key(KeyCode::Char('n'));
    d
}

#[test]
fn only_admins_have_the_menu_entry() {
    for role in [
        Role::Assembler,
        Role::ProductionCoordinator,
        Role::QcPerson,
        Role::ProcurementSpecialist,
        Role::ServiceDepartment,
    ] {
        assert!(
            home_entries(role)
                .iter()
                .all(|e| e.label != "Checklist templates"),
            "{role:?}"
        );
    }
}

#[test]
fn the_list_and_a_version_read_only() {
    let mut d = screen();
    d.key(KeyCode::Down);
    let text = d.render(W, H);
    assert!(
        text.contains("Pre-Production Check") && text.contains("●"),
        "{text}"
    );
    snap_sizes!(
        d,
        "templates",
        "list",
        "Every template version; ● marks the active one"
    );
    let mut d = version();
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    let text = d.render(W, H);
    assert!(text.contains("Applies when: pegboard = true"), "{text}");
    snap_sizes!(
        d,
        "templates",
        "version",
        "Pre-Production Check v1 read-only, PRE-04 selected with its condition"
    );
}

#[test]
fn the_editor_moves_removes_and_saves_after_a_question() {
    let mut d = editor();
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('J'));
    d.key(KeyCode::End);
    d.key(KeyCode::Char('d'));
    let text = d.render(W, H);
    assert!(text.contains("Removed PRE-15"), "{text}");
    snap_sizes!(
        d,
        "templates",
        "editor",
        "A new version from v1: PRE-02 moved below PRE-03, PRE-15 removed"
    );
    d.ctrl('s');
    snap(
        "confirm_save",
        "Saving asks first, naming the template and the base version",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::SaveTemplateVersion { .. }))
        .expect("y sends the save");
    let Request::SaveTemplateVersion {
        form_name, items, ..
    } = &req.kind
    else {
        panic!("not a save");
    };
    assert_eq!(form_name, "Pre-Production Check");
    let codes: Vec<&str> = items.iter().take(3).map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["PRE-01", "PRE-03", "PRE-02"]);
    assert_eq!((items[1].sequence, items[2].sequence), (20, 30));
    assert_eq!(items.len(), 14);
    d.reply(&req, Ok(Reply::TemplateSaved(versions()[4].clone())));
    assert!(
        d.take(|r| matches!(r, Request::TemplateVersions { .. }))
            .is_some()
    );
    let text = d.render(W, H);
    assert!(
        text.contains("Saved Pre-Production Check version 2"),
        "{text}"
    );
}

#[test]
fn a_bad_condition_is_shown_under_its_column_and_nothing_is_lost() {
    let mut d = editor();
    for _ in 0..3 {
        d.key(KeyCode::Down);
    }
    d.key(KeyCode::Enter);
    // Applies when is the thirteenth field.
    for _ in 0..12 {
        d.key(KeyCode::Tab);
    }
    d.ctrl('u');
    d.type_str("pegboard = = true");
    d.ctrl('s');
    let text = d.render(W, H);
    assert!(text.contains("Applies when: pegboard = = true"), "{text}");
    assert!(text.contains("^ expected a value"), "{text}");
    snap_sizes!(
        d,
        "templates",
        "item_error",
        "PRE-04's form: a syntax error in the condition, the caret under column 12"
    );
    // Esc once warns, twice leaves the item unchanged; the editor still asks before leaving.
    d.key(KeyCode::Esc);
    d.key(KeyCode::Esc);
    let text = d.render(W, H);
    assert!(text.contains("Applies when: pegboard = true"), "{text}");
    d.key(KeyCode::Char('d'));
    d.key(KeyCode::Esc);
    snap(
        "confirm_discard",
        "Esc over unsaved changes asks before discarding them",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('n'));
    assert!(d.render(W, H).contains("new version from v1"));
}

#[test]
fn the_preview_and_activation() {
    let mut d = version();
    d.key(KeyCode::Char('p'));
    let req = d
        .take(|r| matches!(r, Request::PreviewTemplate { sample: 0, .. }))
        .expect("p asks for the preview");
    let item = |code: &str, section: &str, basin: Option<i32>, text: &str| PreviewItem {
        code: code.into(),
        basin_index: basin,
        section: section.into(),
        description: text.into(),
        check_type: CheckType::Boolean,
    };
    d.reply(
        &req,
        Ok(Reply::TemplatePreview(Box::new(TemplatePreview {
            sample: 1,
            samples: vec![
                "EX-1 T2-B1 EN: E_SINK".into(),
                "EX-2 T2-B2 FR: E_SINK, E_DRAIN".into(),
            ],
            build: BuildItems {
                build_number: "EX-2".into(),
                items: vec![
                    item(
                        "PRE-01",
                        "Sink",
                        None,
                        "Overall sink dimensions match the approved drawing",
                    ),
                    item(
                        "PRE-04",
                        "Sink",
                        None,
                        "Pegboard installed; its dimensions match the drawing",
                    ),
                    item(
                        "PRE-08",
                        "Basin",
                        Some(1),
                        "Basin dimensions match the drawing",
                    ),
                    item(
                        "PRE-08",
                        "Basin",
                        Some(2),
                        "Basin dimensions match the drawing",
                    ),
                ],
            },
        }))),
    );
    let text = d.render(W, H);
    assert!(text.contains("Sample 2 of 2: EX-2 T2-B2 FR"), "{text}");
    snap(
        "preview",
        "The items sample build EX-2 gets from Pre-Production Check v1",
        &text,
    );
    d.key(KeyCode::Tab);
    assert!(
        d.take(|r| matches!(r, Request::PreviewTemplate { sample: 0, .. }))
            .is_some()
    );
    d.key(KeyCode::Esc);
    d.key(KeyCode::Esc);

    // Back on the list at v1: the next row is v2.
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('a'));
    snap(
        "confirm_activate",
        "Activating Pre-Production Check v2 asks first",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('y'));
    assert!(d.take(|r| matches!(r, Request::ActivateTemplateVersion { id, .. } if *id == Uuid::from_u128(5))).is_some());
}
