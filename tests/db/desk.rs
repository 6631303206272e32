//! Procurement's order desk and the parts shortage against a real database: the desk's rows and BOM
//! states, who may see them, the shortage's sums (checked against each build's flattened BOM), its CSV
//! file, and the desk's moves with their notes in the history.

use crate::floor::{Floor, example_build, faucet_build};
use cleanstation::db::bom as db_bom;
use cleanstation::domain::Role;
use cleanstation::domain::bom::ItemType;
use cleanstation::domain::desk::{DeskRow, Shortage};
use cleanstation::domain::order::OrderStatus as S;
use cleanstation::error::ServiceError;
use cleanstation::export::shortage_csv;
use cleanstation::msg::{Reply, Request};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;

/// A desk row as compared: build, status and (BOM version, status).
type DeskState = (Uuid, S, Option<(i32, String)>);

impl Floor {
    async fn desk(&self, role: Role) -> Result<Vec<DeskRow>, ServiceError> {
        self.send(Request::OrderDesk {
            token: self.token(role),
        })
        .await
        .map(|r| match r {
            Reply::OrderDesk(rows) => rows,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    async fn shortage(&self, role: Role) -> Result<Shortage, ServiceError> {
        self.send(Request::PartsShortage {
            token: self.token(role),
        })
        .await
        .map(|r| match r {
            Reply::PartsShortage(s) => *s,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    async fn move_with_note(
        &self,
        id: Uuid,
        from: S,
        to: S,
        note: &str,
    ) -> Result<Reply, ServiceError> {
        self.send(Request::Transition {
            token: self.token(Role::ProcurementSpecialist),
            order_id: id,
            from,
            to,
            note: Some(note.to_string()),
            override_reason: None,
            password: None,
        })
        .await
    }
}

/// Two builds on the desk (one with an approved BOM, in PARTS_SENT) and one past it, at Pre-QC.
async fn three_builds(f: &Floor) -> (Uuid, Uuid, Uuid) {
    let created = f.create_build("PO-DESK-1", example_build("D-100")).await;
    let sent = f.create_build("PO-DESK-2", faucet_build("D-200")).await;
    f.approve_bom(sent, 1).await;
    f.transition(
        Role::ProcurementSpecialist,
        sent,
        S::OrderCreated,
        S::PartsSent,
    )
    .await
    .expect("parts sent");
    let past = f.build_at_pre_qc("PO-DESK-3", example_build("D-300")).await;
    (created, sent, past)
}

#[tokio::test]
async fn the_desk_lists_waiting_builds_with_their_bom_state_for_procurement_only() {
    let f = Floor::new().await;
    let (created, sent, past) = three_builds(&f).await;

    let rows = f.desk(Role::ProcurementSpecialist).await.expect("desk");
    let got: Vec<DeskState> = rows
        .iter()
        .map(|r| (r.order.id, r.order.status, r.bom.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (created, S::OrderCreated, Some((1, "DRAFT".to_string()))),
            (sent, S::PartsSent, Some((1, "APPROVED".to_string()))),
        ],
        "same want date: PO order; the build at Pre-QC ({past}) is not on the desk"
    );
    assert_eq!(rows[0].order.build_number, "D-100");
    assert_eq!(rows[0].order.customer_name, "Mercy General Hospital");
    assert_eq!(rows[0].bom_label(), "v1 DRAFT");

    assert_eq!(f.desk(Role::Admin).await.expect("admin desk").len(), 2);
    for role in [
        Role::ProductionCoordinator,
        Role::QcPerson,
        Role::Assembler,
        Role::ServiceDepartment,
    ] {
        assert!(
            matches!(f.desk(role).await, Err(ServiceError::Forbidden(_))),
            "{role} may not use the desk"
        );
    }
}

#[tokio::test]
async fn the_desk_orders_by_want_date_and_shows_a_regenerated_draft() {
    let f = Floor::new().await;
    let (created, sent, _) = three_builds(&f).await;
    // The PARTS_SENT build wants its sink first now.
    f.db.client()
        .await
        .execute(
            r#"UPDATE "ProductionOrder" SET "wantDate" = '2099-01-01' WHERE id = $1"#,
            &[&sent],
        )
        .await
        .expect("want date");
    f.send(Request::RegenerateBom {
        token: f.token(Role::ProcurementSpecialist),
        order_id: created,
    })
    .await
    .expect("regenerate");
    let rows = f.desk(Role::ProcurementSpecialist).await.expect("desk");
    let got: Vec<(Uuid, String)> = rows.iter().map(|r| (r.order.id, r.bom_label())).collect();
    assert_eq!(
        got,
        vec![(sent, "v1 APPROVED".into()), (created, "v2 DRAFT".into())]
    );
}

/// Each build's flattened totals, read the way the BOM viewer reads them, summed by id: (quantity,
/// name, type, builds).
async fn expected_totals(
    f: &Floor,
    builds: &[Uuid],
) -> BTreeMap<String, (Decimal, String, ItemType, i64)> {
    let client = f.db.client().await;
    let mut out: BTreeMap<String, (Decimal, String, ItemType, i64)> = BTreeMap::new();
    for id in builds {
        let doc = db_bom::document(&client, *id, None)
            .await
            .expect("document")
            .expect("the build has a BOM");
        for line in doc.flattened() {
            let e = out.entry(line.item_id.clone()).or_insert((
                Decimal::ZERO,
                line.name.clone(),
                line.item_type,
                0,
            ));
            e.0 += line.quantity;
            e.3 += 1;
        }
    }
    out
}

#[tokio::test]
async fn the_shortage_sums_the_flattened_boms_of_the_waiting_builds() {
    let f = Floor::new().await;
    let (created, sent, past) = three_builds(&f).await;

    let s = f
        .shortage(Role::ProcurementSpecialist)
        .await
        .expect("shortage");
    let counted: HashSet<Uuid> = s.builds.iter().map(|b| b.order_id).collect();
    assert_eq!(
        counted,
        HashSet::from([created, sent]),
        "{past} is not counted"
    );
    let sent_build = s
        .builds
        .iter()
        .find(|b| b.order_id == sent)
        .expect("sent build listed");
    assert_eq!(
        (
            sent_build.status,
            sent_build.bom_version,
            sent_build.bom_status.as_str()
        ),
        (S::PartsSent, 1, "APPROVED")
    );

    let expected = expected_totals(&f, &[created, sent]).await;
    let got: BTreeMap<String, (Decimal, String, ItemType, i64)> = s
        .lines
        .iter()
        .map(|l| {
            (
                l.part_id.clone(),
                (l.quantity, l.name.clone(), l.item_type, l.builds),
            )
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(got, expected);
    assert_eq!(got.len(), s.lines.len(), "one line per part id");
    assert!(
        s.lines.iter().any(|l| l.builds == 2),
        "the two T2-B2 builds share parts"
    );
    let ids: Vec<&str> = s.lines.iter().map(|l| l.part_id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "sorted by part id");

    // Summing only one build's leaves would differ: the other build's parts are in.
    let only_created = expected_totals(&f, &[created]).await;
    assert_ne!(got, only_created);

    assert!(f.shortage(Role::Admin).await.is_ok());
    assert!(
        f.shortage(Role::ProductionCoordinator).await.is_ok(),
        "the coordinator reads it"
    );
    for role in [Role::QcPerson, Role::Assembler, Role::ServiceDepartment] {
        assert!(
            matches!(f.shortage(role).await, Err(ServiceError::Forbidden(_))),
            "{role} may not see the shortage"
        );
    }
}

#[tokio::test]
async fn the_shortage_is_written_as_csv_into_an_existing_directory() {
    let f = Floor::new().await;
    three_builds(&f).await;
    let dir = std::env::temp_dir().join(format!("cs-shortage-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");

    let reply = f
        .send(Request::ExportShortage {
            token: f.token(Role::ProcurementSpecialist),
            dir: dir.display().to_string(),
        })
        .await
        .expect("export");
    let Reply::Exported(paths) = reply else {
        panic!("unexpected reply {reply:?}");
    };
    let today = chrono::Local::now().date_naive();
    assert_eq!(paths, vec![dir.join(shortage_csv::file_name(today))]);
    assert!(
        paths[0]
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("parts_shortage_") && n.ends_with(".csv"))
    );
    let bytes = std::fs::read(&paths[0]).expect("file written");
    let s = f
        .shortage(Role::ProcurementSpecialist)
        .await
        .expect("shortage");
    assert_eq!(bytes, shortage_csv::file(&s, today).bytes);
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(text.starts_with("\u{feff}Part ID,Name,Type,Quantity,Builds\r\n"));
    assert_eq!(text.matches("\r\n").count(), s.lines.len() + 1);
    let first = &s.lines[0];
    assert!(text.contains(&format!("{},", first.part_id)));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("listing")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");

    let missing = dir.join("missing");
    let err = f
        .send(Request::ExportShortage {
            token: f.token(Role::ProcurementSpecialist),
            dir: missing.display().to_string(),
        })
        .await
        .expect_err("missing directory");
    assert_eq!(
        err,
        ServiceError::Invalid(format!("Directory {} does not exist", missing.display()))
    );
    let err = f
        .send(Request::ExportShortage {
            token: f.token(Role::Assembler),
            dir: dir.display().to_string(),
        })
        .await
        .expect_err("assembler");
    assert!(matches!(err, ServiceError::Forbidden(_)));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn procurement_moves_a_build_to_pre_qc_with_notes_in_the_history() {
    let f = Floor::new().await;
    let id = f.create_build("PO-DESK-9", example_build("D-900")).await;

    let refused = f
        .move_with_note(id, S::OrderCreated, S::PartsSent, "early")
        .await
        .expect_err("DRAFT BOM");
    assert!(
        matches!(&refused, ServiceError::Invalid(m) if m.contains("version 1")),
        "{refused:?}"
    );
    f.approve_bom(id, 1).await;

    let too_long = "n".repeat(1001);
    let err = f
        .move_with_note(id, S::OrderCreated, S::PartsSent, &too_long)
        .await
        .expect_err("too long");
    assert_eq!(
        err,
        ServiceError::Invalid("Note must be at most 1000 characters".into())
    );
    assert_eq!(f.status(id).await, S::OrderCreated, "nothing moved");

    f.move_with_note(id, S::OrderCreated, S::PartsSent, "  parts on cart 4  ")
        .await
        .expect("parts sent");
    f.move_with_note(id, S::PartsSent, S::ReadyForPreQc, "   ")
        .await
        .expect("body arrived");
    assert_eq!(f.status(id).await, S::ReadyForPreQc);

    let d = f.detail(Role::ProcurementSpecialist, id).await;
    let moves: Vec<(Option<S>, S, Option<String>)> = d
        .history
        .iter()
        .filter(|h| h.old_status.is_some() && h.old_status != Some(h.new_status))
        .map(|h| (h.old_status, h.new_status, h.notes.clone()))
        .collect();
    assert!(
        moves.contains(&(
            Some(S::OrderCreated),
            S::PartsSent,
            Some("parts on cart 4".into())
        )),
        "{moves:?}"
    );
    assert!(
        moves.contains(&(Some(S::PartsSent), S::ReadyForPreQc, None)),
        "a blank note is none: {moves:?}"
    );

    // The note is stored for the desk's second move too.
    let other = f.create_build("PO-DESK-10", example_build("D-910")).await;
    f.approve_bom(other, 1).await;
    f.transition(
        Role::ProcurementSpecialist,
        other,
        S::OrderCreated,
        S::PartsSent,
    )
    .await
    .expect("parts sent");
    f.move_with_note(
        other,
        S::PartsSent,
        S::ReadyForPreQc,
        "body arrived, crate 7",
    )
    .await
    .expect("body arrived");
    let d = f.detail(Role::ProcurementSpecialist, other).await;
    assert!(
        d.history.iter().any(|h| h.new_status == S::ReadyForPreQc
            && h.notes.as_deref() == Some("body arrived, crate 7")),
        "{:?}",
        d.history
    );
}
