//! The administrator's audit log: keys to requests with scripted replies, and golden renders at 120x32
//! into `screens/audit_log/` (filter bar, a page of rows, the verify result, a refused filter, one row).
use crate::build_history::entries;
use crate::harness::{Driver, init, user_for};
use cleanstation::domain::Role;
use cleanstation::domain::audit_trail::{AuditPage, LogFilter, VerifyOutcome};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request, ServiceRequest};
use cleanstation::screens::{ActiveScreen, ScreenId, home_entries};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use std::path::PathBuf;

const W: u16 = 120;
const H: u16 = 32;

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("audit_log", state, description, text);
}

fn page(more: bool) -> Reply {
    Reply::AuditLog(Box::new(AuditPage {
        entries: entries(),
        more,
    }))
}

fn take_log(d: &mut Driver) -> (ServiceRequest, Option<i64>, i64, LogFilter) {
    let req = d
        .take(|r| matches!(r, Request::AuditLog { .. }))
        .expect("an audit-log request");
    let Request::AuditLog { query, .. } = &req.kind else {
        panic!("not an audit-log request");
    };
    let (before, limit, filter) = (query.before, query.limit, query.filter.clone());
    (req, before, limit, filter)
}

/// The administrator opens the audit log from the home menu; the newest page is answered.
pub(crate) fn opened() -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::Admin));
    d.open_home_entry("Audit log");
    assert!(matches!(d.app.screen(), ActiveScreen::AuditLog(_)));
    let (req, before, limit, filter) = take_log(&mut d);
    assert_eq!((before, limit, filter), (None, 20, LogFilter::default()));
    d.reply(&req, Ok(page(true)));
    d
}

fn outcome(problems: Vec<String>) -> Reply {
    Reply::AuditVerified(Box::new(VerifyOutcome {
        links: 5123,
        first_position: Some(1),
        checkpoints: 0,
        head: Some((
            5123,
            "9f2c4e1b7a0d5c3e8f6b2a1d4c7e0f9a3b5d8c2e1f4a7b0c3d6e9f2a5b8c1d4e".into(),
        )),
        sealed_now: 3,
        rows_matched: 4811,
        tables: 38,
        signatures_verified: 12,
        unattributed_count: 1,
        problems,
    }))
}

#[test]
fn only_the_administrator_has_the_audit_log() {
    for role in [
        Role::ProductionCoordinator,
        Role::ProcurementSpecialist,
        Role::QcPerson,
        Role::Assembler,
        Role::ServiceDepartment,
    ] {
        assert!(
            home_entries(role)
                .iter()
                .all(|e| e.target != ScreenId::AuditLog),
            "{role}"
        );
    }
}

#[test]
fn audit_log_golden() {
    let mut d = opened();
    snap(
        "list",
        "The newest page: seq, time, user, station, action, table, entity and the changed fields",
        &d.render(W, H),
    );
    d.draw_every_size();
}

#[test]
fn v_verifies_off_the_render_path_and_shows_the_chain_head() {
    let mut d = opened();
    d.key(KeyCode::Char('v'));
    let req = d
        .take(|r| matches!(r, Request::VerifyAudit { .. }))
        .expect("verify sent");
    d.key(KeyCode::Char('v'));
    assert!(
        d.take(|r| matches!(r, Request::VerifyAudit { .. }))
            .is_none(),
        "one verification at a time"
    );
    snap("verifying", "The check is running", &d.render(W, H));
    d.reply(&req, Ok(outcome(Vec::new())));
    snap(
        "verified",
        "OK with the counts, the chain head and the unattributed writes",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('v'));
    let req = d
        .take(|r| matches!(r, Request::VerifyAudit { .. }))
        .expect("verify again");
    d.reply(
        &req,
        Ok(outcome(vec![
            "BOMItem 3f1c (build 24-0126): differs from its last audit record".into(),
            "QCResult 77aa (build 24-0117): the PRE_QC PASS signature (format 2) does not match the stored result and answers".into(),
        ])),
    );
    snap(
        "broken",
        "BROKEN, naming the first problem and how many there are",
        &d.render(W, H),
    );
}

#[test]
fn a_bad_date_is_refused_in_the_dialog_and_keeps_what_was_typed() {
    let mut d = opened();
    d.key(KeyCode::Char('f'));
    d.type_str("carla");
    d.key(KeyCode::Tab);
    d.type_str("BOMItem");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.type_str("2025-03-32");
    d.key(KeyCode::Enter);
    assert!(d.take(|r| matches!(r, Request::AuditLog { .. })).is_none());
    snap(
        "filter_error",
        "A from date that is not a date: the dialog says so and keeps the input",
        &d.render(W, H),
    );
    for _ in 0..2 {
        d.key(KeyCode::Backspace);
    }
    d.type_str("14");
    d.key(KeyCode::Enter);
    let (req, before, _, filter) = take_log(&mut d);
    assert_eq!(before, None);
    assert_eq!(
        (filter.user.as_str(), filter.table.as_str()),
        ("carla", "BOMItem")
    );
    assert_eq!(filter.from, chrono::NaiveDate::from_ymd_opt(2025, 3, 14));
    d.reply(&req, Ok(page(false)));
    snap(
        "filtered",
        "The filter bar names the filter in force",
        &d.render(W, H),
    );
}

#[test]
fn paging_export_and_one_row() {
    let mut d = opened();
    d.key(KeyCode::PageDown);
    let (req, before, _, _) = take_log(&mut d);
    assert_eq!(before, Some(4990));
    d.reply(&req, Ok(page(false)));
    d.key(KeyCode::PageUp);
    let (req, before, _, _) = take_log(&mut d);
    assert_eq!(before, None);
    d.reply(&req, Ok(page(true)));

    d.key(KeyCode::Char('x'));
    d.type_str("/srv/exports");
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::ExportAuditLog { .. }))
        .expect("export sent");
    let Request::ExportAuditLog { dir, filter, .. } = &req.kind else {
        panic!("not an export");
    };
    assert_eq!(
        (dir.as_str(), filter),
        ("/srv/exports", &LogFilter::default())
    );
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "Directory /srv/exports does not exist".into(),
        )),
    );
    snap(
        "export_error",
        "The export dialog keeps the directory and says why nothing was written",
        &d.render(W, H),
    );
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::ExportAuditLog { .. }))
        .expect("export again");
    d.reply(
        &req,
        Ok(Reply::Exported(vec![PathBuf::from(
            "/srv/exports/audit_log_2025-03-14_095012.csv",
        )])),
    );
    match d.app.screen() {
        ActiveScreen::AuditLog(s) => assert_eq!(
            s.notice(),
            Some("Audit log written to /srv/exports/audit_log_2025-03-14_095012.csv")
        ),
        _ => panic!("not on the audit log"),
    }

    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    snap(
        "detail",
        "One row opened: the QC answer's image, every field",
        &d.render(W, H),
    );
    d.key(KeyCode::Esc);
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::Home(_)));
}

/// The export's directory comes back pre-filled and selected: typing replaces it, a paste beyond the
/// field's 512 characters is cut and the field says so (docs/architecture.md §3).
#[test]
fn the_prefilled_directory_is_selected_and_a_cut_paste_is_told() {
    let mut d = opened();
    d.key(KeyCode::Char('x'));
    d.type_str("/srv/exports");
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::ExportAuditLog { .. }))
        .expect("export sent");
    d.reply(
        &req,
        Ok(Reply::Exported(vec![PathBuf::from(
            "/srv/exports/audit_log_2025-03-14_095012.csv",
        )])),
    );
    d.key(KeyCode::Char('x'));
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            &format!("export_prefilled_{w}x{h}"),
            "The export dialog offers the last directory, selected: typing replaces it",
            &d.render(w, h),
        );
    }
    d.type_str("/tmp");
    d.send(cleanstation::msg::Msg::Term(
        crossterm::event::Event::Paste("/x".repeat(300)),
    ));
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            &format!("export_paste_cut_{w}x{h}"),
            "A pasted directory longer than the field is cut, and the field says so",
            &d.render(w, h),
        );
    }
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::ExportAuditLog { .. }))
        .expect("export again");
    let Request::ExportAuditLog { dir, .. } = &req.kind else {
        panic!("not an export");
    };
    assert!(
        dir.starts_with("/tmp/x/x"),
        "typing replaced the old directory: {dir}"
    );
    assert_eq!(dir.chars().count(), 512);
}
