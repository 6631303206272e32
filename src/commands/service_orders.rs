//! `cleanstation service list`: service orders through the same use case and role checks as the screens.

use super::session::CliSession;
use super::{CliError, table, to_json};
use crate::config::Config;
use crate::domain::service_order::{
    ServiceAccess, ServiceOrderScope, ServiceOrderStatus, ServiceOrderSummary, access,
};
use crate::msg::{Reply, Request};

/// `cleanstation service list [--status S] [--json] --as USERNAME`: the service department lists its own
/// orders (newest first); procurement, ADMIN and the coordinator the whole queue (PENDING, then APPROVED,
/// oldest first; then the closed ones, newest first).
pub async fn service_list(
    config: &Config,
    username: &str,
    status: Option<&str>,
    json: bool,
) -> Result<String, CliError> {
    let status = status.map(parse_status).transpose()?;
    let session = CliSession::open(config, username, "service list").await?;
    let scope = match access(session.user.role) {
        ServiceAccess::Requester => ServiceOrderScope::Mine,
        _ => ServiceOrderScope::Queue,
    };
    let outcome = session
        .send(Request::ServiceOrders {
            token: session.token.clone(),
            scope,
            status,
        })
        .await
        .and_then(|reply| match reply {
            Reply::ServiceOrders(rows) => Ok(rows),
            _ => Err(CliError::Usage("unexpected reply to the list".into())),
        });
    let rows = session.finish(outcome).await?;
    if json {
        to_json(&rows)
    } else {
        Ok(describe(&rows))
    }
}

fn parse_status(text: &str) -> Result<ServiceOrderStatus, CliError> {
    ServiceOrderStatus::parse(text).ok_or_else(|| {
        CliError::Refused(format!(
            "Unknown status {text}; use one of: {}",
            ServiceOrderStatus::ALL
                .iter()
                .map(|s| s.code())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// The text table: number, status, requester, request time, lines, processor.
fn describe(rows: &[ServiceOrderSummary]) -> String {
    if rows.is_empty() {
        return "No service orders.".into();
    }
    let minutes = |t: Option<chrono::NaiveDateTime>| {
        t.map(crate::domain::clock::local_minute)
            .unwrap_or_default()
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.number.clone(),
                r.status.code().to_string(),
                r.requested_by.clone(),
                minutes(r.requested_at),
                r.lines.to_string(),
                r.processed_by.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(
        &[
            "NUMBER",
            "STATUS",
            "REQUESTED BY",
            "AT",
            "LINES",
            "PROCESSED BY",
        ],
        &cells,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn unknown_status_lists_the_valid_ones() {
        let e = parse_status("DONE").expect_err("refused");
        assert!(matches!(e, CliError::Refused(_)));
        assert_eq!(
            e.to_string(),
            "Unknown status DONE; use one of: PENDING, APPROVED, REJECTED, FULFILLED"
        );
        assert!(matches!(
            parse_status(" approved "),
            Ok(ServiceOrderStatus::Approved)
        ));
    }

    #[test]
    fn the_table_has_one_row_per_order() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 26)
            .and_then(|d| d.and_hms_opt(14, 5, 0))
            .expect("time");
        let row = ServiceOrderSummary {
            id: Uuid::nil(),
            number: "SO-00000000".into(),
            status: ServiceOrderStatus::Approved,
            requested_by: "Sam Field".into(),
            requested_at: Some(at),
            processed_by: Some("Priya Shah".into()),
            processed_at: Some(at),
            lines: 2,
            total_quantity: 7,
        };
        let text = describe(&[row]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("NUMBER"));
        assert!(lines[1].contains("SO-00000000  APPROVED  Sam Field"));
        assert!(lines[1].contains("2026-11-26 14:05"));
        assert!(lines[1].ends_with("Priya Shah"));
        assert_eq!(describe(&[]), "No service orders.");
    }
}
