//! The database's date for the screens that pick a period around today (docs/reports.md §5.3).

use crate::floor::Floor;
use chrono::NaiveDate;
use cleanstation::domain::Role;
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};

#[tokio::test]
async fn today_is_the_databases_date_in_utc_for_any_session() {
    let floor = Floor::new().await;
    let before: NaiveDate = floor
        .db
        .client()
        .await
        .query_one("SELECT (now() AT TIME ZONE 'UTC')::date", &[])
        .await
        .expect("the database's date")
        .get(0);
    let reply = floor
        .send(Request::Today {
            token: floor.token(Role::Assembler),
        })
        .await;
    let Ok(Reply::Today(today)) = reply else {
        panic!("a date: {reply:?}");
    };
    // The test's own query and the request may fall on either side of midnight UTC.
    assert!(
        today == before || today == before.succ_opt().expect("a next day"),
        "{today} is not the database's date {before}"
    );
    let ended = floor
        .send(Request::Today {
            token: "not-a-token".into(),
        })
        .await;
    assert!(
        matches!(ended, Err(ServiceError::SessionEnded(_))),
        "{ended:?}"
    );
}
