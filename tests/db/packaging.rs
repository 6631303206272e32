//! Packaging checklists: generation on entering TESTING_COMPLETE, packed quantities, completion.

use crate::floor::{Floor, faucet_build};
use cleanstation::domain::Role;
use cleanstation::domain::floor::PackagingView;
use cleanstation::domain::order::OrderStatus as S;
use cleanstation::error::ServiceError;
use cleanstation::service::packaging;
use cleanstation::service::seed::DEMO_USERS;
use rust_decimal::Decimal;

fn err_text(r: Result<impl std::fmt::Debug, ServiceError>) -> String {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

fn line<'a>(
    view: &'a PackagingView,
    item_id: &str,
) -> &'a cleanstation::domain::floor::PackagingLine {
    view.lines
        .iter()
        .find(|l| l.item_id == item_id)
        .unwrap_or_else(|| panic!("no line for {item_id} in {view:#?}"))
}

#[tokio::test]
async fn the_checklist_follows_the_bom_and_completes_the_builds_way_to_final_qc() {
    let f = Floor::new().await;
    let id = f
        .build_testing_complete("PO-P-1", faucet_build("P-B1"))
        .await;
    let asm = f.token(Role::Assembler);
    let view = packaging::packaging(&f.ctx, &asm, id)
        .await
        .expect("packaging view");
    assert!(!view.completed);
    // T2-B2, one E-Sink and one E-Drain basin, one wrist-blade faucet (docs/checklists.md §7,
    // docs/assembly-floor.md §6).
    let got: Vec<(&str, &str, i32)> = view
        .lines
        .iter()
        .map(|l| (l.code.as_str(), l.item_id.as_str(), l.required))
        .collect();
    assert_eq!(
        got,
        vec![
            ("PKG-01", "T2-ANTI-FATIGUE-MAT", 1),
            ("PKG-02", "T2-OA-SINK-STRAINER", 2),
            ("PKG-03", "T2-DRAIN-HOSE-KIT", 2),
            ("PKG-04", "T2-EDR-TEMP-KIT", 1),
            ("PKG-05", "T2-DRAIN-VALVE", 2),
            ("PKG-06", "T2-DRAIN-BSKT", 2),
            ("PKG-07", "T2-OA-DOSINGESK-BTMSHELF", 1),
            ("PKG-08", "T8-KIT-ESK-DOSE", 1),
            ("PKG-09", "T2-DRAIN-BSKT-SEAL", 2),
            ("PKG-15", "T2-OA-STD-FAUCET-WB-KIT", 1),
            ("PKG-17", "T2-STD-MANUAL-EN-KIT", 1),
        ]
    );
    let assembler = DEMO_USERS
        .iter()
        .find(|u| u.3 == Role::Assembler)
        .map(|u| u.1)
        .expect("assembler");
    assert_eq!(view.performed_by, assembler, "the mover performs it");

    // Every BOM-driven line asks for the BOM's total of its item; the mat comes from the template.
    let client = f.db.client().await;
    for l in &view.lines {
        let total: Option<Decimal> = client
            .query_one(
                r#"SELECT sum(i."quantity") FROM "BOMItem" i
                     JOIN "ProductionOrder" po ON po."bomId" = i."bomId"
                    WHERE po.id = $1 AND i."itemId" = $2"#,
                &[&id, &l.item_id],
            )
            .await
            .expect("BOM total")
            .get(0);
        if l.item_id == "T2-ANTI-FATIGUE-MAT" {
            assert_eq!(l.required, 1);
            assert!(total.is_none());
        } else {
            let total = total.unwrap_or_else(|| panic!("{} is not in the BOM", l.item_id));
            assert_eq!(Decimal::from(l.required), total.ceil(), "{}", l.item_id);
        }
    }
    assert_eq!(line(&view, "T2-ANTI-FATIGUE-MAT").code, "PKG-01");
    let faucet = line(&view, "T2-OA-STD-FAUCET-WB-KIT");
    assert_eq!(faucet.required, 1);
    assert!(faucet.mounted_allowed);
    // No sprayers: the gun kits do not apply.
    assert!(
        view.lines.iter().all(|l| !l.item_id.contains("GUN")),
        "{view:#?}"
    );

    // Quantities stay within 0..=required; only mountable items are mounted.
    let mat = line(&view, "T2-ANTI-FATIGUE-MAT").id;
    let over = err_text(packaging::set_packed(&f.ctx, &asm, mat, 2).await);
    assert!(over.contains("between 0 and 1"), "{over}");
    let not_mountable = err_text(packaging::set_mounted(&f.ctx, &asm, mat, true).await);
    assert!(not_mountable.contains("not mounted"), "{not_mountable}");
    let qc = err_text(packaging::set_packed(&f.ctx, &f.token(Role::QcPerson), mat, 1).await);
    assert!(qc.contains("cannot fill in packaging"), "{qc}");

    let t6 = err_text(
        f.transition(
            Role::Assembler,
            id,
            S::TestingComplete,
            S::PackagingComplete,
        )
        .await,
    );
    assert!(t6.contains("Packaging incomplete"), "{t6}");

    // Pack everything but the faucet, then mount it.
    let mut last = view.clone();
    for l in view.lines.iter().filter(|l| !l.mounted_allowed) {
        last = packaging::set_packed(&f.ctx, &asm, l.id, l.required)
            .await
            .expect("pack");
    }
    let faucet_id = faucet.id;
    let open: Vec<_> = last.lines.iter().filter(|l| !l.complete).collect();
    assert!(!last.completed && !open.is_empty(), "{last:#?}");
    let done = packaging::set_mounted(&f.ctx, &asm, faucet_id, true)
        .await
        .expect("mount");
    let mounted = line(&done, "T2-OA-STD-FAUCET-WB-KIT");
    assert!(mounted.mounted && mounted.complete && mounted.packed == 0);
    assert!(done.lines.iter().all(|l| l.complete), "{done:#?}");
    assert!(done.completed && done.completed_at.is_some(), "{done:#?}");
    let note: Option<String> = client
        .query_one(
            r#"SELECT "notes" FROM "PackagingItem" WHERE id = $1"#,
            &[&faucet_id],
        )
        .await
        .expect("note")
        .get(0);
    assert_eq!(note.as_deref(), Some("Mounted"));

    // Changing an item back reopens the checklist, and T6 waits again.
    let reopened = packaging::set_packed(&f.ctx, &asm, mat, 0)
        .await
        .expect("unpack");
    assert!(!reopened.completed && reopened.completed_at.is_none());
    let t6 = err_text(
        f.transition(
            Role::Assembler,
            id,
            S::TestingComplete,
            S::PackagingComplete,
        )
        .await,
    );
    assert!(t6.contains("1 item(s) not packed"), "{t6}");
    let done = packaging::set_packed(&f.ctx, &asm, mat, 1)
        .await
        .expect("pack");
    assert!(done.completed, "{done:#?}");

    f.transition(
        Role::Assembler,
        id,
        S::TestingComplete,
        S::PackagingComplete,
    )
    .await
    .expect("T6");
    f.transition(
        Role::Assembler,
        id,
        S::PackagingComplete,
        S::ReadyForFinalQc,
    )
    .await
    .expect("T7");
    assert_eq!(f.status(id).await, S::ReadyForFinalQc);
    let moved = err_text(packaging::set_packed(&f.ctx, &asm, mat, 0).await);
    assert!(moved.contains("READY_FOR_FINAL_QC"), "{moved}");
}

/// Two stations (the assembler logged in twice, each with its own station name) pack the same checklist at
/// the same time: the build's lock serialises the writes, so each item ends with one of the values written
/// to it, completion always matches the items, and nothing written to different items is lost.
#[tokio::test]
async fn two_stations_packing_one_checklist_keep_it_consistent() {
    use cleanstation::service::ServiceCtx;

    let f = Floor::new().await;
    let id = f
        .build_testing_complete("PO-P-2", faucet_build("P-B2"))
        .await;
    let a_ctx = f.ctx.clone();
    let b_ctx = ServiceCtx {
        agent: "station:second".into(),
        ..f.ctx.clone()
    };
    let a = f.token(Role::Assembler);
    let b = crate::auth::login_ok(
        &b_ctx,
        "assembler",
        cleanstation::service::seed::DEMO_PASSWORD,
    )
    .await
    .token;
    let view = packaging::packaging(&f.ctx, &a, id)
        .await
        .expect("packaging view");
    let strainer = line(&view, "T2-OA-SINK-STRAINER");
    assert_eq!(strainer.required, 2);

    // The same item from both stations: either both writes land (one after the other) or one is refused;
    // the stored value is one of the two written.
    let (ra, rb) = tokio::join!(
        packaging::set_packed(&a_ctx, &a, strainer.id, 1),
        packaging::set_packed(&b_ctx, &b, strainer.id, 2),
    );
    assert!(ra.is_ok() || rb.is_ok(), "{ra:?} {rb:?}");
    let now = packaging::packaging(&f.ctx, &a, id).await.expect("reload");
    let stored = line(&now, "T2-OA-SINK-STRAINER");
    let written: Vec<i32> = [(&ra, 1), (&rb, 2)]
        .iter()
        .filter(|(r, _)| r.is_ok())
        .map(|(_, v)| *v)
        .collect();
    assert!(written.contains(&stored.packed), "{written:?} {stored:?}");
    assert_eq!(stored.complete, stored.packed == stored.required);
    assert!(!now.completed);

    // Different items from both stations at once: every item is packed in full, none lost, and the
    // checklist completes exactly when the last item does.
    let (mountable, packable): (Vec<_>, Vec<_>) = now.lines.iter().partition(|l| l.mounted_allowed);
    let (evens, odds): (Vec<_>, Vec<_>) =
        packable.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let station = |ctx: ServiceCtx, token: String, lines: Vec<(uuid::Uuid, i32)>| async move {
        let mut out = Vec::new();
        for (item, required) in lines {
            out.push(packaging::set_packed(&ctx, &token, item, required).await);
        }
        out
    };
    let pick = |v: &[(usize, &&cleanstation::domain::floor::PackagingLine)]| {
        v.iter()
            .map(|(_, l)| (l.id, l.required))
            .collect::<Vec<_>>()
    };
    let (wa, wb) = tokio::join!(
        station(a_ctx.clone(), a.clone(), pick(&evens)),
        station(b_ctx.clone(), b.clone(), pick(&odds)),
    );
    for r in wa.iter().chain(wb.iter()) {
        let v = r
            .as_ref()
            .expect("a write to its own item is never refused");
        assert_eq!(
            v.completed,
            v.lines.iter().all(|l| l.complete),
            "completion matches the items: {v:#?}"
        );
    }
    let mut last = packaging::packaging(&f.ctx, &a, id).await.expect("reload");
    for l in &last.lines {
        if l.mounted_allowed {
            assert_eq!(l.packed, 0, "{l:?}");
            assert!(!l.complete);
        } else {
            assert_eq!(l.packed, l.required, "{} was lost", l.item_id);
            assert!(l.complete);
        }
    }
    assert!(!last.completed, "the faucet is still open");

    // The faucet mounted from one station while the other packs the mat again: both land.
    let mat = line(&last, "T2-ANTI-FATIGUE-MAT").id;
    let faucet = mountable.first().expect("a mountable line").id;
    let (ma, mb) = tokio::join!(
        packaging::set_mounted(&a_ctx, &a, faucet, true),
        packaging::set_packed(&b_ctx, &b, mat, 1),
    );
    ma.expect("mount");
    mb.expect("pack");
    last = packaging::packaging(&f.ctx, &a, id).await.expect("reload");
    assert!(last.lines.iter().all(|l| l.complete), "{last:#?}");
    assert!(last.completed && last.completed_at.is_some(), "{last:#?}");
    let packed_in_db: i64 =
        f.db.client()
            .await
            .query_one(
                r#"SELECT count(*) FROM "PackagingItem"
                WHERE "packagingChecklistId" = $1 AND "isComplete""#,
                &[&last.checklist_id],
            )
            .await
            .expect("count")
            .get(0);
    assert_eq!(packed_in_db, last.lines.len() as i64);

    // Once the build left TESTING_COMPLETE, neither station may change the checklist.
    f.transition(
        Role::Assembler,
        id,
        S::TestingComplete,
        S::PackagingComplete,
    )
    .await
    .expect("T6");
    let (la, lb) = tokio::join!(
        packaging::set_packed(&a_ctx, &a, mat, 0),
        packaging::set_mounted(&b_ctx, &b, faucet, false),
    );
    let la = err_text(la);
    let lb = err_text(lb);
    assert!(la.contains("PACKAGING_COMPLETE"), "{la}");
    assert!(lb.contains("PACKAGING_COMPLETE"), "{lb}");
    let after = packaging::packaging(&f.ctx, &a, id).await.expect("reload");
    assert_eq!(
        after, last,
        "a refused change leaves the checklist as it was"
    );
}
