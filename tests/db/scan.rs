//! What a scanned code names, as each role may see it (docs/scanning.md §3).

use crate::floor::Floor;
use crate::inventory::build;
use cleanstation::domain::Role;
use cleanstation::domain::scan::{Scan, ScanTarget};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};

impl Floor {
    async fn find_scanned(
        &self,
        role: Role,
        scan: Scan,
    ) -> Result<Option<ScanTarget>, ServiceError> {
        match self
            .send(Request::FindScanned {
                token: self.token(role),
                scan,
            })
            .await?
        {
            Reply::Scanned(found) => Ok(found),
            other => panic!("unexpected reply {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_scan_finds_a_build_or_a_catalog_item_ignoring_case() {
    let floor = Floor::new().await;
    let id = floor.create_build("4500991", build("SCAN-77")).await;
    let coordinator = Role::ProductionCoordinator;

    let found = floor
        .find_scanned(coordinator, Scan::Code("scan-77".into()))
        .await;
    assert_eq!(found, Ok(Some(ScanTarget::Build(id))));
    let found = floor
        .find_scanned(Role::Assembler, Scan::Build("Scan-77".into()))
        .await;
    assert_eq!(found, Ok(Some(ScanTarget::Build(id))));
    let found = floor
        .find_scanned(coordinator, Scan::Code("t2-drain-valve".into()))
        .await;
    assert_eq!(found, Ok(Some(ScanTarget::Item("T2-DRAIN-VALVE".into()))));
    let found = floor
        .find_scanned(coordinator, Scan::Item("2783".into()))
        .await;
    assert_eq!(found, Ok(Some(ScanTarget::Item("2783".into()))));
    // A build's number is not a catalog id, nor the other way round.
    let found = floor
        .find_scanned(coordinator, Scan::Item("SCAN-77".into()))
        .await;
    assert_eq!(found, Ok(None));
    let found = floor
        .find_scanned(coordinator, Scan::Build("T2-DRAIN-VALVE".into()))
        .await;
    assert_eq!(found, Ok(None));
    let found = floor
        .find_scanned(coordinator, Scan::Code("NO-SUCH-1".into()))
        .await;
    assert_eq!(found, Ok(None));
}

#[tokio::test]
async fn the_service_department_finds_parts_but_no_builds() {
    let floor = Floor::new().await;
    floor.create_build("4500992", build("SCAN-78")).await;
    let service = Role::ServiceDepartment;
    let refused = floor
        .find_scanned(service, Scan::Build("SCAN-78".into()))
        .await;
    assert_eq!(
        refused,
        Err(ServiceError::Forbidden(
            "Your role (SERVICE_DEPARTMENT) cannot view production orders".into()
        ))
    );
    // Unprefixed, the build is not looked up for this role: nothing found.
    let found = floor
        .find_scanned(service, Scan::Code("SCAN-78".into()))
        .await;
    assert_eq!(found, Ok(None));
    let found = floor
        .find_scanned(service, Scan::Item("t2-drain-valve".into()))
        .await;
    assert_eq!(found, Ok(Some(ScanTarget::Item("T2-DRAIN-VALVE".into()))));
    // A session that is not one is refused before anything is looked up.
    let ended = floor
        .send(Request::FindScanned {
            token: "not-a-token".into(),
            scan: Scan::Code("SCAN-78".into()),
        })
        .await;
    assert!(
        matches!(ended, Err(ServiceError::SessionEnded(_))),
        "{ended:?}"
    );
}
