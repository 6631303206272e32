//! `cleanstation qc verify BUILD`: recomputes the hash of every signed QC result of a build and compares
//! it with the one its signature carries, so a record changed behind the application's back is found.
//! `cleanstation verify BUILD` does the same for every signature of the build, at every gate
//! (docs/signatures.md §5).

use super::{CliError, prepare};
use crate::config::Config;
use crate::db;
use crate::domain::qc::QcResultSummary;
use crate::domain::signature::{SignatureCheck, utc_text};
use crate::error::ServiceError;

/// What `qc verify` found: the report lines and how many signatures do not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub text: String,
    pub mismatches: usize,
}

/// One line per result: type, status, time (UTC), inspector, and the verdict.
pub fn verify_line(r: &QcResultSummary) -> String {
    let at =
        r.at.map(|t| t.format("%Y-%m-%d %H:%M:%SZ").to_string())
            .unwrap_or_else(|| "-".into());
    let verdict = match r.verified {
        Some(true) => "signature verified",
        Some(false) => "MISMATCH",
        None => "draft, not signed",
    };
    format!(
        "{} {} {at} {}: {verdict}",
        r.qc_type.code(),
        r.status.code(),
        r.performed_by
    )
}

/// Builds the report for the results of a build, newest first.
pub fn report(build: &str, results: &[QcResultSummary]) -> VerifyReport {
    if results.is_empty() {
        return VerifyReport {
            text: format!("Build {build} has no QC results"),
            mismatches: 0,
        };
    }
    VerifyReport {
        text: results
            .iter()
            .map(verify_line)
            .collect::<Vec<_>>()
            .join("\n"),
        mismatches: results.iter().filter(|r| r.verified == Some(false)).count(),
    }
}

/// `cleanstation qc verify BUILD`.
pub async fn qc_verify(config: &Config, build: &str) -> Result<VerifyReport, CliError> {
    let build = build.trim();
    let prepared = prepare(config, "cleanstation/qc", false).await?;
    let client = prepared.pool.get().await.map_err(ServiceError::from)?;
    let id = db::orders::id_by_build_number(&client, build)
        .await?
        .ok_or_else(|| CliError::Refused(format!("Build {build} not found")))?;
    let results = db::qc::results_of(&client, id).await?;
    let results = db::qc::summaries(&client, &results).await?;
    Ok(report(build, &results))
}

/// One line per signature: meaning, what it signs, time (UTC), printed name, and the verdict.
pub fn signature_line(c: &SignatureCheck) -> String {
    let s = &c.signature;
    let verdict = match &c.problem {
        None => "signature verified".to_string(),
        Some(problem) => format!("MISMATCH: {problem}"),
    };
    format!(
        "{} {} {} {}: {verdict}",
        s.meaning.code(),
        s.record.label(),
        utc_text(s.signed_at),
        crate::text::for_terminal(&s.printed_name)
    )
}

/// The report for every signature of a build, oldest first.
pub fn signatures_report(build: &str, checks: &[SignatureCheck]) -> VerifyReport {
    if checks.is_empty() {
        return VerifyReport {
            text: format!("Build {build} has no signatures yet"),
            mismatches: 0,
        };
    }
    VerifyReport {
        text: checks
            .iter()
            .map(signature_line)
            .collect::<Vec<_>>()
            .join("\n"),
        mismatches: checks.iter().filter(|c| !c.verified).count(),
    }
}

/// `cleanstation verify BUILD`.
pub async fn verify_build(config: &Config, build: &str) -> Result<VerifyReport, CliError> {
    let build = build.trim();
    let prepared = prepare(config, "cleanstation/verify", false).await?;
    let client = prepared.pool.get().await.map_err(ServiceError::from)?;
    let id = db::orders::id_by_build_number(&client, build)
        .await?
        .ok_or_else(|| CliError::Refused(format!("Build {build} not found")))?;
    let checks = db::signatures::verify_order(&client, id).await?;
    Ok(signatures_report(build, &checks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::FormType;
    use crate::domain::qc::QcResultStatus;
    use uuid::Uuid;

    fn summary(status: QcResultStatus, verified: Option<bool>) -> QcResultSummary {
        QcResultSummary {
            id: Uuid::nil(),
            qc_type: FormType::PreQc,
            template_name: "Pre-Production Check".into(),
            template_version: 1,
            status,
            performed_by: "Quinn Inspector".into(),
            at: chrono::NaiveDate::from_ymd_opt(2025, 3, 4).and_then(|d| d.and_hms_opt(14, 5, 6)),
            job_id: Some("J-1".into()),
            notes: None,
            signature: String::new(),
            verified,
        }
    }

    #[test]
    fn lines_say_what_was_verified_and_mismatches_are_counted() {
        let r = report(
            "B-1",
            &[
                summary(QcResultStatus::Fail, Some(false)),
                summary(QcResultStatus::Pass, Some(true)),
                summary(QcResultStatus::Incomplete, None),
            ],
        );
        assert_eq!(r.mismatches, 1);
        assert_eq!(
            r.text,
            "PRE_QC FAIL 2025-03-04 14:05:06Z Quinn Inspector: MISMATCH\n\
             PRE_QC PASS 2025-03-04 14:05:06Z Quinn Inspector: signature verified\n\
             PRE_QC INCOMPLETE 2025-03-04 14:05:06Z Quinn Inspector: draft, not signed"
        );
        assert_eq!(report("B-1", &[]).text, "Build B-1 has no QC results");
    }
}
