//! `cleanstation audit verify` and `audit cleanup` (docs/audit.md).

use super::{CliError, prepare, prepare_owner, seal_before_exit};
use crate::config::Config;
use crate::db::{self, DbError, GenericClient};

/// What `audit verify` found: the report text and the first problem, if any (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerdict {
    pub text: String,
    pub broken: Option<String>,
}

/// One line per signature that does not recompute, and the count of those that do.
async fn check_signatures(
    client: &impl GenericClient,
) -> Result<(usize, Vec<db::audit::Problem>), DbError> {
    let orders = client
        .query(
            r#"SELECT DISTINCT r."orderId" FROM "QCResult" r WHERE r."overallStatus" <> 'INCOMPLETE'"#,
            &[],
        )
        .await?;
    let mut verified = 0;
    let mut problems = Vec::new();
    for o in orders {
        let order_id: uuid::Uuid = o.try_get(0).map_err(db::users::decode)?;
        for row in db::qc::results_of(client, order_id).await? {
            match db::qc::verify(client, &row).await? {
                Some(true) => verified += 1,
                Some(false) => {
                    let build = client
                        .query_opt(
                            r#"SELECT "buildNumber" FROM "ProductionOrder" WHERE id = $1"#,
                            &[&order_id],
                        )
                        .await?
                        .and_then(|r| r.try_get(0).ok());
                    problems.push(db::audit::Problem {
                        table: "QCResult".into(),
                        record: row.id.to_string(),
                        build,
                        what: "its signature does not match the stored result and answers".into(),
                    });
                }
                None => {}
            }
        }
    }
    Ok((verified, problems))
}

/// Seals, then checks the chain, every audited row, and every QC signature.
pub async fn verify(config: &Config) -> Result<AuditVerdict, CliError> {
    let prepared = prepare(config, "cleanstation/audit", false).await?;
    let client = prepared.pool.get().await.map_err(DbError::from)?;
    let mut report = db::audit::verify(&client).await?;
    let (verified, signature_problems) = check_signatures(&client).await?;
    let mut text = db::audit::describe(&report);
    text.push_str(&format!(
        "\nQC signatures: {verified} verified, {} not matching.",
        signature_problems.len()
    ));
    for p in &signature_problems {
        text.push_str(&format!("\nBROKEN: {p}"));
    }
    report.row_problems.extend(signature_problems);
    let broken = report.first_problem().map(ToString::to_string);
    text.push_str(match broken {
        Some(_) => "\nResult: BROKEN",
        None => "\nResult: OK",
    });
    Ok(AuditVerdict { text, broken })
}

/// The retention cleanup, with the owner's connection.
pub async fn cleanup(config: &Config) -> Result<String, CliError> {
    let prepared = prepare_owner(config, "cleanstation/audit").await?;
    let removed = {
        let client = prepared.pool.get().await.map_err(DbError::from)?;
        db::audit::cleanup(&client).await?
    };
    seal_before_exit(&prepared.pool).await;
    let client = prepared.pool.get().await.map_err(DbError::from)?;
    let head = db::audit::head(&client).await?;
    Ok(match head {
        Some(h) => format!(
            "Removed {removed} audit row(s) past the retention period. Chain head: position {}, link {}",
            h.position, h.link
        ),
        None => format!("Removed {removed} audit row(s) past the retention period."),
    })
}
