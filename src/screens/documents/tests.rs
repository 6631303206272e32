use super::*;
use crate::domain::Role;
use crate::domain::document::BuildDocument;
use crate::error::ServiceError;
use crate::screens::testkit::{Harness, assert_answers_only_its_help};
use chrono::NaiveDateTime;

fn doc(name: &str, t: OrderDocumentType) -> BuildDocument {
    BuildDocument {
        id: Uuid::new_v4(),
        document_id: Uuid::new_v4(),
        document_type: t,
        name: name.into(),
        file_name: name.replace(' ', "_"),
        content_type: "application/pdf".into(),
        size: 2048,
        uploaded_by: "Pat Coordinator".into(),
        uploaded_at: NaiveDateTime::default(),
        sha256: "ab".repeat(32),
        supersedes: None,
        superseded_by: None,
    }
}

fn listed(docs: Vec<BuildDocument>, may_attach: bool) -> Box<BuildDocuments> {
    Box::new(BuildDocuments {
        order_id: Uuid::nil(),
        build_number: "B-1".into(),
        documents: docs,
        save_dir: "/srv/station".into(),
        may_attach,
    })
}

fn opened(role: Role, docs: Vec<BuildDocument>, from_qc: bool) -> (Harness, DocumentsScreen) {
    let mut h = Harness::new(role);
    let (mut s, reqs) = h.open(|ctx| {
        if from_qc {
            DocumentsScreen::open_drawing(Uuid::nil(), ctx)
        } else {
            DocumentsScreen::open(Uuid::nil(), ctx)
        }
    });
    assert!(matches!(reqs[0].kind, Request::Documents { .. }));
    let attach = matches!(role, Role::ProductionCoordinator | Role::QcPerson);
    h.reply(&mut s, &reqs[0], Ok(Reply::Documents(listed(docs, attach))));
    (h, s)
}

fn type_text(h: &mut Harness, s: &mut DocumentsScreen, text: &str) {
    h.send(s, crate::screens::ScreenMsg::Paste(text.into()));
}

#[test]
fn enter_saves_a_copy_into_the_offered_directory() {
    let drawing = doc("drawing A.pdf", OrderDocumentType::TechnicalDrawing);
    let id = drawing.id;
    let (mut h, mut s) = opened(Role::Assembler, vec![drawing], false);
    h.act(&mut s, Action::SaveCopy);
    let d = s.dialog().expect("save dialog");
    assert_eq!(d.kind, DialogKind::Save(id));
    assert_eq!(d.form.value(0), "/srv/station");
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(matches!(
        &reqs[0].kind,
        Request::SaveDocumentCopy { document, dir, .. } if *document == id && dir == "/srv/station"
    ));
    // A refusal keeps the dialog and its input.
    h.reply(
        &mut s,
        &reqs[0],
        Err(ServiceError::Invalid("Directory /x does not exist".into())),
    );
    assert_eq!(
        s.dialog().and_then(|d| d.error.as_deref()),
        Some("Directory /x does not exist")
    );
    let (reqs, _) = h.act(&mut s, Action::Submit);
    h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::Exported(vec!["/srv/station/drawing_A.pdf".into()])),
    );
    assert!(s.dialog().is_none());
    assert_eq!(s.notice(), Some("Copy saved: /srv/station/drawing_A.pdf"));
}

#[test]
fn attaching_checks_as_the_wizard_and_asks_first() {
    let drawing = doc("drawing A.pdf", OrderDocumentType::TechnicalDrawing);
    let old = drawing.id;
    let (mut h, mut s) = opened(Role::QcPerson, vec![drawing], false);
    h.act(&mut s, Action::AttachDocument);
    type_text(&mut h, &mut s, "/tmp/setup.exe");
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(reqs.is_empty());
    assert_eq!(
        s.dialog().and_then(|d| d.error.as_deref()),
        Some("setup.exe: file type .exe is not allowed")
    );
    // A photo cannot supersede the drawing.
    h.act(&mut s, Action::ClearField);
    type_text(&mut h, &mut s, "/tmp/drawing B.pdf");
    h.act(&mut s, Action::NextField);
    h.act(&mut s, Action::NextChoice);
    h.act(&mut s, Action::NextChoice);
    h.act(&mut s, Action::NextField);
    h.act(&mut s, Action::NextChoice);
    h.act(&mut s, Action::Submit);
    assert!(
        s.dialog()
            .and_then(|d| d.error.as_deref())
            .is_some_and(|e| e.contains("only a technical drawing can supersede it"))
    );
    // As a drawing it does; the question comes first and only `y` sends it.
    h.act(&mut s, Action::PrevField);
    h.act(&mut s, Action::PrevChoice);
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(reqs.is_empty());
    assert_eq!(s.key_contexts(), vec![KeyContext::Confirm]);
    let (reqs, _) = h.act(&mut s, Action::Yes);
    assert!(matches!(
        &reqs[0].kind,
        Request::AttachDocument { path, document_type: OrderDocumentType::TechnicalDrawing, supersedes: Some(o), .. }
            if path == "/tmp/drawing B.pdf" && *o == old
    ));
}

#[test]
fn only_attachers_get_the_attach_key() {
    let (_, s) = opened(Role::Assembler, Vec::new(), false);
    assert!(!s.key_contexts().contains(&KeyContext::DocumentsAttach));
    let (_, s) = opened(Role::ProductionCoordinator, Vec::new(), false);
    assert!(s.key_contexts().contains(&KeyContext::DocumentsAttach));
    assert_answers_only_its_help(Role::Assembler, |h| {
        let (mut s, reqs) = h.open(|ctx| DocumentsScreen::open(Uuid::nil(), ctx));
        h.reply(
            &mut s,
            &reqs[0],
            Ok(Reply::Documents(listed(
                vec![doc("a.pdf", OrderDocumentType::Photo)],
                false,
            ))),
        );
        s
    });
}

#[test]
fn from_the_checklist_the_drawing_opens_to_be_saved_and_esc_returns() {
    let photo = doc("photo.png", OrderDocumentType::Photo);
    let drawing = doc("drawing A.pdf", OrderDocumentType::TechnicalDrawing);
    let id = drawing.id;
    let (mut h, mut s) = opened(Role::QcPerson, vec![photo, drawing], true);
    assert_eq!(s.selected(), Some(1));
    assert_eq!(s.dialog().map(|d| d.kind), Some(DialogKind::Save(id)));
    h.act(&mut s, Action::Cancel);
    let (_, effects) = h.act(&mut s, Action::Back);
    assert_eq!(
        effects,
        vec![Effect::Navigate(ScreenId::QcChecklist(Uuid::nil()))]
    );
}
