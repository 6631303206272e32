//! A build's documents during production (docs/documents.md): the list, attaching later by coordinators
//! and QC with the wizard's checks, superseding, the database's refusal to change or delete a document,
//! and the saved copy (identical bytes, never over an existing file, refused on a checksum mismatch).

use crate::export::dir_listing;
use crate::floor::{Floor, example_build};
use cleanstation::domain::Role;
use cleanstation::domain::document::{BuildDocument, BuildDocuments};
use cleanstation::domain::order::OrderDocumentType;
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use sha2::Digest;
use std::path::{Path, PathBuf};
use uuid::Uuid;

use OrderDocumentType as T;

/// A scratch directory of its own.
fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cleanstation-docs-{tag}-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn file(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write file");
    p.to_string_lossy().into_owned()
}

fn refusal<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> ServiceError {
    match r {
        Err(e) => e,
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

impl Floor {
    async fn documents(&self, role: Role, order_id: Uuid) -> Result<BuildDocuments, ServiceError> {
        self.send(Request::Documents {
            token: self.token(role),
            order_id,
        })
        .await
        .map(|r| match r {
            Reply::Documents(d) => *d,
            other => panic!("unexpected {other:?}"),
        })
    }

    async fn attach(
        &self,
        role: Role,
        order_id: Uuid,
        path: &str,
        document_type: OrderDocumentType,
        supersedes: Option<Uuid>,
    ) -> Result<BuildDocuments, ServiceError> {
        self.send(Request::AttachDocument {
            token: self.token(role),
            order_id,
            path: path.into(),
            document_type,
            supersedes,
        })
        .await
        .map(|r| match r {
            Reply::Documents(d) => *d,
            other => panic!("unexpected {other:?}"),
        })
    }

    async fn save_copy(
        &self,
        role: Role,
        order_id: Uuid,
        document: Uuid,
        dir: &Path,
    ) -> Result<PathBuf, ServiceError> {
        self.send(Request::SaveDocumentCopy {
            token: self.token(role),
            order_id,
            document,
            dir: dir.to_string_lossy().into_owned(),
        })
        .await
        .map(|r| match r {
            Reply::Exported(mut paths) if paths.len() == 1 => paths.remove(0),
            other => panic!("unexpected {other:?}"),
        })
    }

    /// A new build `B-DOC-<n>` with one document attached by `role`: the build, the document and the
    /// scratch directory the file came from.
    async fn build_with_document(
        &self,
        n: u32,
        role: Role,
        (name, bytes, document_type): (&str, &[u8], OrderDocumentType),
    ) -> (Uuid, BuildDocument, PathBuf) {
        let id = self
            .create_build(&format!("PO-DOC-{n}"), example_build(&format!("B-DOC-{n}")))
            .await;
        let src = scratch(&format!("src-{n}"));
        let path = file(&src, name, bytes);
        let doc = self
            .attach(role, id, &path, document_type, None)
            .await
            .expect("attach")
            .documents
            .remove(0);
        (id, doc, src)
    }

    async fn document_rows(&self) -> i64 {
        self.count(r#"SELECT count(*) FROM "OrderDocument""#, &[])
            .await
    }
}

#[tokio::test]
async fn coordinators_and_qc_attach_later_and_supersede_and_everyone_sees_the_list() {
    let env = Floor::new().await;
    let id = env.create_build("PO-DOC-1", example_build("B-DOC-1")).await;
    let dir = scratch("attach");
    let rev_a = file(&dir, "drawing rev A.pdf", b"%PDF-1.4 rev A");
    let rev_b = file(&dir, "drawing rev B.pdf", b"%PDF-1.4 rev B");
    let photo = file(&dir, "basin.jpg", b"\xff\xd8\xff jpeg");

    assert!(
        env.documents(Role::Assembler, id)
            .await
            .expect("list")
            .documents
            .is_empty()
    );
    let audit_before = env.audit_rows_of("OrderDocument").await;

    let after = env
        .attach(
            Role::ProductionCoordinator,
            id,
            &rev_a,
            T::TechnicalDrawing,
            None,
        )
        .await
        .expect("coordinator attaches");
    let a = after.documents[0].clone();
    assert_eq!(
        (
            a.name.as_str(),
            a.file_name.as_str(),
            a.document_type,
            a.size
        ),
        (
            "drawing rev A.pdf",
            "drawing_rev_A.pdf",
            T::TechnicalDrawing,
            14
        )
    );
    assert_eq!(
        a.sha256,
        format!("{:x}", sha2::Sha256::digest(b"%PDF-1.4 rev A"))
    );
    assert!(a.is_current());

    // QC supersedes the drawing with a newer one; a photo is attached beside it.
    let after = env
        .attach(Role::QcPerson, id, &rev_b, T::TechnicalDrawing, Some(a.id))
        .await
        .expect("QC supersedes");
    env.attach(Role::QcPerson, id, &photo, T::Photo, None)
        .await
        .expect("QC attaches a photo");
    let b = after.documents[0].clone();
    assert_eq!(b.supersedes, Some(a.id));

    // Every role that sees the build sees the list: current first, the superseded one last and marked.
    let list = env.documents(Role::Assembler, id).await.expect("list");
    let names: Vec<(&str, bool)> = list
        .documents
        .iter()
        .map(|d| (d.name.as_str(), d.is_current()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("drawing rev B.pdf", true),
            ("basin.jpg", true),
            ("drawing rev A.pdf", false)
        ]
    );
    assert_eq!(list.documents[2].superseded_by, Some(b.id));
    assert_eq!(list.current_drawing().map(|d| d.id), Some(b.id));
    assert!(!list.may_attach);
    assert!(
        env.documents(Role::QcPerson, id)
            .await
            .expect("list")
            .may_attach
    );
    let detail = env.detail(Role::Assembler, id).await;
    assert_eq!(detail.documents.text(), "2 (1 superseded)");

    // Audited: each link is an audit row, naming who attached it.
    assert_eq!(env.audit_rows_of("OrderDocument").await, audit_before + 3);
    let by: Uuid = env
        .db
        .client()
        .await
        .query_one(
            r#"SELECT "userId" FROM "AuditLog" WHERE "entityType" = 'OrderDocument' AND "entityId" = $1"#,
            &[&b.id.to_string()],
        )
        .await
        .expect("audit row")
        .get(0);
    assert_eq!(by, env.id(Role::QcPerson));

    // A superseded document is not superseded again, and a type supersedes only its own type.
    let e = refusal(
        env.attach(Role::QcPerson, id, &rev_b, T::TechnicalDrawing, Some(a.id))
            .await,
    );
    assert_eq!(
        e.to_string(),
        "drawing rev A.pdf is already superseded; choose the current document"
    );
    let e = refusal(
        env.attach(Role::QcPerson, id, &photo, T::Photo, Some(b.id))
            .await,
    );
    assert_eq!(
        e.to_string(),
        "drawing rev B.pdf is a technical drawing; only a technical drawing can supersede it"
    );
    // A document of another build is not this build's to supersede.
    let other = env.create_build("PO-DOC-2", example_build("B-DOC-2")).await;
    let e = refusal(
        env.attach(
            Role::QcPerson,
            other,
            &rev_b,
            T::TechnicalDrawing,
            Some(b.id),
        )
        .await,
    );
    assert_eq!(
        e.to_string(),
        "The document to supersede is not attached to this build"
    );
    assert_eq!(env.document_rows().await, 3);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn other_roles_and_bad_files_are_refused_as_in_the_wizard() {
    let env = Floor::new().await;
    let id = env.create_build("PO-DOC-3", example_build("B-DOC-3")).await;
    let dir = scratch("refused");
    let pdf = file(&dir, "po.pdf", b"%PDF-1.4");
    for role in [
        Role::Assembler,
        Role::ProcurementSpecialist,
        Role::ServiceDepartment,
    ] {
        let e = refusal(env.attach(role, id, &pdf, T::PoDocument, None).await);
        assert_eq!(
            e.to_string(),
            format!("Your role ({role}) cannot attach documents to a build")
        );
    }
    let exe = file(&dir, "setup.exe", b"MZ");
    let missing = dir.join("missing.pdf").to_string_lossy().into_owned();
    let big = file(&dir, "big.pdf", &vec![b'x'; 10 * 1024 * 1024 + 1]);
    for (path, document_type, message) in [
        (
            exe.as_str(),
            T::Photo,
            "setup.exe: file type .exe is not allowed".to_string(),
        ),
        (
            missing.as_str(),
            T::Other,
            format!("Cannot read file {missing}"),
        ),
        (
            big.as_str(),
            T::PoDocument,
            "big.pdf is larger than 10 MB".to_string(),
        ),
        (
            pdf.as_str(),
            T::QcForm,
            "Attachment type must be PO_DOCUMENT, TECHNICAL_DRAWING, PHOTO or OTHER".to_string(),
        ),
    ] {
        let e = refusal(
            env.attach(Role::ProductionCoordinator, id, path, document_type, None)
                .await,
        );
        assert_eq!(e.to_string(), message);
    }
    assert_eq!(env.document_rows().await, 0);
    assert_eq!(
        env.count(r#"SELECT count(*) FROM "Document""#, &[]).await,
        0
    );
    // The service department sees no production data, its documents included.
    assert!(matches!(
        env.documents(Role::ServiceDepartment, id).await,
        Err(ServiceError::Forbidden(_))
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_a_document() {
    let env = Floor::new().await;
    let (id, doc, dir) = env
        .build_with_document(
            4,
            Role::ProductionCoordinator,
            ("po.pdf", b"%PDF-1.4", T::PoDocument),
        )
        .await;
    // Even the owner (a superuser here) is refused; a build's deletion cannot take them with it.
    let owner = env.db.client().await;
    for sql in [
        r#"UPDATE "Document" SET "isActive" = false WHERE id = $1"#,
        r#"DELETE FROM "Document" WHERE id = $1"#,
        r#"UPDATE "DocumentContent" SET "content" = '\x00' WHERE "documentId" = $1"#,
        r#"DELETE FROM "DocumentContent" WHERE "documentId" = $1"#,
        r#"UPDATE "OrderDocument" SET "documentType" = 'OTHER' WHERE "documentId" = $1"#,
        r#"DELETE FROM "OrderDocument" WHERE "documentId" = $1"#,
    ] {
        let e = owner
            .execute(sql, &[&doc.document_id])
            .await
            .expect_err(sql);
        assert!(
            e.as_db_error()
                .is_some_and(|d| d.message().contains("is never changed or deleted")),
            "{sql}: {e:?}"
        );
    }
    let e = owner
        .execute(r#"DELETE FROM "ProductionOrder" WHERE id = $1"#, &[&id])
        .await
        .expect_err("a build's deletion cascades into its links");
    assert!(
        e.as_db_error()
            .is_some_and(|d| d.message().contains("is never changed or deleted")),
        "{e:?}"
    );
    for table in ["Document", "OrderDocument", "DocumentContent"] {
        let e = owner
            .batch_execute(&format!(r#"TRUNCATE "{table}" CASCADE"#))
            .await
            .expect_err(table);
        assert!(e.as_db_error().is_some(), "{table}: {e:?}");
    }
    // The station role may not even try: it only inserts.
    let station = env.db.station().await;
    assert!(
        station
            .execute(
                r#"DELETE FROM "OrderDocument" WHERE "orderId" = $1"#,
                &[&id]
            )
            .await
            .is_err()
    );
    assert_eq!(env.document_rows().await, 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_saved_copy_has_the_stored_bytes_and_never_replaces_a_file() {
    let env = Floor::new().await;
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let (id, doc, src) = env
        .build_with_document(
            5,
            Role::QcPerson,
            ("Drawing rev A.pdf", &bytes, T::TechnicalDrawing),
        )
        .await;

    let out = scratch("out");
    // A file of the stored name is already there: it is kept, and the copy gets a number.
    std::fs::write(out.join("Drawing_rev_A.pdf"), b"mine").expect("existing file");
    let first = env
        .save_copy(Role::Assembler, id, doc.id, &out)
        .await
        .expect("saved");
    let second = env
        .save_copy(Role::Assembler, id, doc.id, &out)
        .await
        .expect("saved again");
    assert_eq!(first, out.join("Drawing_rev_A (2).pdf"));
    assert_eq!(second, out.join("Drawing_rev_A (3).pdf"));
    assert_eq!(std::fs::read(&first).expect("read"), bytes);
    assert_eq!(std::fs::read(&second).expect("read"), bytes);
    assert_eq!(
        std::fs::read(out.join("Drawing_rev_A.pdf")).expect("read"),
        b"mine"
    );
    // Nothing but the three files: no temporary file is left behind.
    assert_eq!(
        dir_listing(&out),
        vec![
            "Drawing_rev_A (2).pdf",
            "Drawing_rev_A (3).pdf",
            "Drawing_rev_A.pdf"
        ]
    );

    // A directory that does not exist is named; nothing is written.
    let gone = out.join("nowhere");
    let e = refusal(env.save_copy(Role::Assembler, id, doc.id, &gone).await);
    assert_eq!(
        e.to_string(),
        format!("Directory {} does not exist", gone.display())
    );
    // A document of another build is not found through this one.
    let other = env.create_build("PO-DOC-6", example_build("B-DOC-6")).await;
    assert!(matches!(
        env.save_copy(Role::Assembler, other, doc.id, &out).await,
        Err(ServiceError::NotFound(_))
    ));
    let _ = std::fs::remove_dir_all(&src);
    let _ = std::fs::remove_dir_all(&out);
}

#[tokio::test]
async fn a_copy_whose_bytes_do_not_match_their_checksum_is_refused() {
    let env = Floor::new().await;
    let (id, doc, src) = env
        .build_with_document(
            7,
            Role::ProductionCoordinator,
            ("po.pdf", b"%PDF-1.4 the real one", T::PoDocument),
        )
        .await;
    // Only a superuser with the triggers off can change stored bytes; the copy must notice.
    let owner = env.db.client().await;
    owner
        .batch_execute("SET session_replication_role = replica")
        .await
        .expect("triggers off");
    owner
        .execute(
            r#"UPDATE "DocumentContent" SET "content" = 'forged' WHERE "documentId" = $1"#,
            &[&doc.document_id],
        )
        .await
        .expect("tamper");
    owner
        .batch_execute("SET session_replication_role = origin")
        .await
        .expect("triggers on");
    let out = scratch("tamper-out");
    let e = refusal(env.save_copy(Role::QcPerson, id, doc.id, &out).await);
    assert_eq!(
        e.to_string(),
        "The stored content of po.pdf does not match its SHA-256 checksum; no copy was written. \
         Report it to quality."
    );
    assert!(dir_listing(&out).is_empty());
    let _ = std::fs::remove_dir_all(&src);
    let _ = std::fs::remove_dir_all(&out);
}
