//! `cleanstation audit verify` and `audit cleanup` (docs/audit.md).

use super::{CliError, prepare, prepare_owner};
use crate::config::Config;
use crate::db::{self, GenericClient};
use crate::error::{Result, ServiceError};

/// What `audit verify` found: the report text and the first problem, if any (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerdict {
    pub text: String,
    pub broken: Option<String>,
}

/// Every QC signature recomputed from the stored result and answers: (verified, problems).
async fn check_signatures(client: &impl GenericClient) -> Result<(usize, Vec<db::audit::Problem>)> {
    let checks = db::qc::verify_all_signatures(client).await?;
    let verified = checks.iter().filter(|c| c.verified).count();
    let problems = checks
        .into_iter()
        .filter(|c| !c.verified)
        .map(|c| db::audit::Problem {
            table: "QCResult".into(),
            record: c.result_id.to_string(),
            build: Some(c.build_number),
            what: format!(
                "the {} {} signature (format {}) does not match the stored result and answers",
                c.qc_type.code(),
                c.status.code(),
                c.format_version
            ),
        })
        .collect();
    Ok((verified, problems))
}

/// Every electronic signature checked against its record as stored now (docs/signatures.md §5):
/// (verified, problems naming the build).
async fn check_electronic_signatures(
    client: &impl GenericClient,
) -> Result<(usize, Vec<db::audit::Problem>)> {
    let mut verified = 0;
    let mut problems = Vec::new();
    for (build, checks) in db::signatures::verify_all(client).await? {
        for c in checks {
            if c.verified {
                verified += 1;
                continue;
            }
            let s = &c.signature;
            problems.push(db::audit::Problem {
                table: "ElectronicSignature".into(),
                record: s.id.to_string(),
                build: Some(build.clone()),
                what: format!(
                    "the {} signature of the {} does not verify: {}",
                    s.meaning.code(),
                    s.record.label(),
                    c.problem.as_deref().unwrap_or("mismatch")
                ),
            });
        }
    }
    Ok((verified, problems))
}

/// Seals, then checks the chain, every audited row, every QC signature and every electronic signature.
pub async fn verify(config: &Config) -> Result<AuditVerdict, CliError> {
    let prepared = prepare(config, "cleanstation/audit", false).await?;
    let client = prepared.pool.get().await.map_err(ServiceError::from)?;
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
    let (signed, signature_problems) = check_electronic_signatures(&client).await?;
    text.push_str(&format!(
        "\nElectronic signatures: {signed} verified, {} not verifying.",
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
