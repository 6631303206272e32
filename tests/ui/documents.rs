//! A build's documents (docs/documents.md): the list opened with `d` from the build detail, the save
//! prompt and its refusal, attaching later, and the QC checklist's drawing line, into
//! `screens/documents/` and `screens/qc_checklist/`.

use crate::harness::{Driver, at, snap_sizes};
use crate::order_queue::{detail_as, ready_for_ship};
use crate::qc_checklist::{checklist, form};
use cleanstation::domain::Role;
use cleanstation::domain::document::{BuildDocument, BuildDocuments};
use cleanstation::domain::order::OrderDocumentType as T;
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::screens::ActiveScreen;
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use sha2::Digest;
use uuid::Uuid;

fn snap(screen: &str, state: &str, description: &str, text: &str) {
    crate::harness::snap_in!(screen, state, description, text);
}

fn doc(n: u128, t: T, name: &str, size: i64, by: &str, day: u32) -> BuildDocument {
    BuildDocument {
        id: Uuid::from_u128(0xD0C0 + n),
        document_id: Uuid::from_u128(0xD1C0 + n),
        document_type: t,
        name: name.into(),
        file_name: name.replace(' ', "_"),
        content_type: match t {
            T::Photo => "image/jpeg".into(),
            _ => "application/pdf".into(),
        },
        size,
        uploaded_by: by.into(),
        uploaded_at: at(day, 9, 12),
        sha256: format!("{:x}", sha2::Sha256::digest(name.as_bytes())),
        supersedes: None,
        superseded_by: None,
    }
}

/// A PO document from order entry, a drawing superseded by rev B, and a photo from the floor.
fn three_and_one_superseded(order_id: Uuid, may_attach: bool) -> BuildDocuments {
    let po = doc(
        1,
        T::PoDocument,
        "PO 4500031.pdf",
        81_204,
        "Pat Coordinator",
        3,
    );
    let mut rev_a = doc(
        2,
        T::TechnicalDrawing,
        "T2-B2 drawing rev A.pdf",
        412_877,
        "Pat Coordinator",
        3,
    );
    let mut rev_b = doc(
        3,
        T::TechnicalDrawing,
        "T2-B2 drawing rev B.pdf",
        418_090,
        "Quentin Okafor",
        10,
    );
    let photo = doc(
        4,
        T::Photo,
        "basin weld.jpg",
        1_873_411,
        "Quentin Okafor",
        11,
    );
    rev_a.superseded_by = Some(rev_b.id);
    rev_b.supersedes = Some(rev_a.id);
    BuildDocuments {
        order_id,
        build_number: "24-0131".into(),
        documents: vec![po, rev_b, photo, rev_a],
        save_dir: "/home/qc/station".into(),
        may_attach,
    }
}

/// The build detail as `role`, then `d` with the list answered.
fn documents_as(role: Role, docs: impl FnOnce(Uuid) -> BuildDocuments) -> Driver {
    let build = ready_for_ship();
    let order_id = build.id;
    let mut d = detail_as(role, Theme::ansi(), build);
    d.key(KeyCode::Char('d'));
    assert!(matches!(d.app.screen(), ActiveScreen::Documents(_)));
    assert!(d.answer(
        |r| matches!(r, Request::Documents { order_id: o, .. } if *o == order_id),
        Ok(Reply::Documents(Box::new(docs(order_id)))),
    ));
    d
}

#[test]
fn the_list_current_first_then_superseded() {
    let mut d = documents_as(Role::QcPerson, |id| three_and_one_superseded(id, true));
    snap_sizes!(
        d,
        "documents",
        "list",
        "A build's documents: current ones first, the superseded drawing last and marked, the selected \
         one's full SHA-256 under the list"
    );
    d.key(KeyCode::End);
    let text = d.render(120, 40);
    assert!(
        text.contains("superseded by T2-B2 drawing rev B.pdf"),
        "{text}"
    );
    snap(
        "documents",
        "superseded_selected",
        "The superseded drawing selected: what supersedes it, its own checksum in full",
        &text,
    );
}

#[test]
fn an_empty_list_says_how_to_attach() {
    let mut d = documents_as(Role::ProductionCoordinator, |id| BuildDocuments {
        order_id: id,
        build_number: "24-0131".into(),
        documents: Vec::new(),
        save_dir: "/home/pat".into(),
        may_attach: true,
    });
    snap_sizes!(
        d,
        "documents",
        "empty",
        "A build without documents, for a coordinator who may attach one"
    );
}

#[test]
fn enter_asks_where_to_save_and_a_refusal_stays_in_the_dialog() {
    let mut d = documents_as(Role::Assembler, |id| three_and_one_superseded(id, false));
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    snap_sizes!(
        d,
        "documents",
        "save_prompt",
        "Enter on the current drawing: the directory offered is where the station was started"
    );
    d.type_str("/mnt/usb");
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::SaveDocumentCopy { dir, .. } if dir == "/mnt/usb"))
        .expect("Enter saves");
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "The stored content of T2-B2 drawing rev B.pdf does not match its SHA-256 checksum; no copy \
             was written. Report it to quality."
                .into(),
        )),
    );
    snap_sizes!(
        d,
        "documents",
        "save_refused",
        "The copy refused because the stored bytes do not match their checksum; the dialog and the \
         directory stay"
    );
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::SaveDocumentCopy { .. }))
        .expect("Enter again");
    d.reply(
        &req,
        Ok(Reply::Exported(vec![
            "/mnt/usb/T2-B2_drawing_rev_B.pdf".into(),
        ])),
    );
    let text = d.render(80, 24);
    assert!(
        text.contains("Copy saved: /mnt/usb/T2-B2_drawing_rev_B.pdf"),
        "{text}"
    );
}

#[test]
fn attaching_later_with_supersede_asks_first() {
    let mut d = documents_as(Role::QcPerson, |id| three_and_one_superseded(id, true));
    d.key(KeyCode::Char('a'));
    d.type_str("/home/qc/T2-B2 drawing rev C.pdf");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Right);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Right);
    d.key(KeyCode::Right);
    snap_sizes!(
        d,
        "documents",
        "attach_prompt",
        "Attaching a document later: the file, its type and the current document it supersedes"
    );
    d.key(KeyCode::Enter);
    snap(
        "documents",
        "attach_question",
        "Enter asks first: a document is never deleted, only superseded",
        &d.render(80, 24),
    );
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::AttachDocument { .. }))
        .expect("y attaches");
    assert!(
        matches!(&req.kind, Request::AttachDocument { document_type: T::TechnicalDrawing, supersedes: Some(s), .. }
            if *s == Uuid::from_u128(0xD0C3)),
        "{:?}",
        req.kind
    );
}

/// The Final QC checklist with the line `Final approved drawing ...` selected, the build's documents
/// answered with `docs`.
fn drawing_line(docs: Option<BuildDocuments>) -> Driver {
    let f = form(Vec::new(), "J-7781", None);
    let line = f
        .lines
        .iter()
        .position(|l| {
            f.items[l.item]
                .description
                .to_lowercase()
                .contains("drawing")
        })
        .expect("the Final QC template has an item about the drawing");
    let mut d = checklist(f);
    if let Some(docs) = docs {
        assert!(d.answer(
            |r| matches!(r, Request::Documents { .. }),
            Ok(Reply::Documents(Box::new(docs))),
        ));
    }
    d.key(KeyCode::Home);
    for _ in 0..line {
        d.key(KeyCode::Down);
    }
    d
}

#[test]
fn the_qc_checklist_says_whether_the_drawing_is_there() {
    let order_id = Uuid::from_u128(0x0001_0004);
    let mut d = drawing_line(Some(three_and_one_superseded(order_id, true)));
    let text = d.render(100, 30);
    assert!(text.contains("drawing available: D"), "{text}");
    snap(
        "qc_checklist",
        "drawing_available",
        "An item that refers to the drawing, with a current technical drawing attached: D opens it",
        &text,
    );
    d.key(KeyCode::Char('D'));
    assert!(matches!(d.app.screen(), ActiveScreen::Documents(_)));
    assert!(d.answer(
        |r| matches!(r, Request::Documents { .. }),
        Ok(Reply::Documents(Box::new(three_and_one_superseded(
            order_id, true
        )))),
    ));
    let text = d.render(80, 24);
    assert!(text.contains("Write T2-B2_drawing_rev_B.pdf"), "{text}");
    d.key(KeyCode::Esc);
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::QcChecklist(_)));

    let mut docs = three_and_one_superseded(order_id, true);
    docs.documents.retain(|x| x.document_type == T::Photo);
    let mut d = drawing_line(Some(docs));
    let text = d.render(100, 30);
    assert!(text.contains("no drawing attached"), "{text}");
    snap(
        "qc_checklist",
        "no_drawing",
        "An item that refers to the drawing when the build has no current drawing",
        &text,
    );
    d.key(KeyCode::Char('D'));
    assert!(matches!(d.app.screen(), ActiveScreen::QcChecklist(_)));
}
