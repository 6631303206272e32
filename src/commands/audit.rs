//! `cleanstation audit verify` and `audit cleanup` (docs/audit.md).

use super::startup::Migrations;
use super::{CliError, prepare, prepare_owner};
use crate::config::Config;
use crate::db;
use crate::error::{Result, ServiceError};

/// What `audit verify` found: the report text and the first problem, if any (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerdict {
    pub text: String,
    pub broken: Option<String>,
}

/// Seals, then checks the chain, every audited row, every QC signature and every electronic signature.
pub async fn verify(config: &Config) -> Result<AuditVerdict, CliError> {
    let prepared = prepare(config, "cleanstation/audit", false).await?;
    let client = prepared.pool.get().await.map_err(ServiceError::from)?;
    verify_with(&client).await
}

/// `audit verify`'s checks and report over `client`'s database (also run by `db restore`).
pub(super) async fn verify_with(
    client: &deadpool_postgres::Client,
) -> Result<AuditVerdict, CliError> {
    let (mut report, signatures) = crate::service::audit_trail::verify_all(client).await?;
    let mut text = db::audit::describe(&report);
    text.push_str(&format!(
        "\nQC signatures: {} verified, {} not matching.",
        signatures.qc_verified,
        signatures.qc_problems.len()
    ));
    for p in &signatures.qc_problems {
        text.push_str(&format!("\nBROKEN: {p}"));
    }
    text.push_str(&format!(
        "\nElectronic signatures: {} verified, {} not verifying.",
        signatures.signed_verified,
        signatures.signed_problems.len()
    ));
    for p in &signatures.signed_problems {
        text.push_str(&format!("\nBROKEN: {p}"));
    }
    report.row_problems.extend(signatures.qc_problems);
    report.row_problems.extend(signatures.signed_problems);
    let broken = report.first_problem().map(ToString::to_string);
    text.push_str(match broken {
        Some(_) => "\nResult: BROKEN",
        None => "\nResult: OK",
    });
    Ok(AuditVerdict { text, broken })
}

/// The retention cleanup, with the owner's connection.
pub async fn cleanup(config: &Config) -> Result<String, CliError> {
    let prepared = prepare_owner(config, "cleanstation/audit", Migrations::IfPending).await?;
    let client = prepared.pool.get().await.map_err(ServiceError::from)?;
    // The cleanup seals before and after its work, in its own transaction.
    let removed = db::audit::cleanup(&client).await?;
    let head = db::audit::head(&client).await?;
    Ok(match head {
        Some(h) => format!(
            "Removed {removed} audit row(s) past the retention period. Chain head: position {}, link {}",
            h.position, h.link
        ),
        None => format!("Removed {removed} audit row(s) past the retention period."),
    })
}
