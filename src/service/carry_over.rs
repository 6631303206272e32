//! Forms that remember, read for the use cases that load a form: what a failed QC result offers the next
//! form of its type (docs/qc.md §3.1), and the failed items a rework task carries out
//! (docs/assembly-floor.md §4.1). Reads only; the caller has checked the session and the role.

use crate::db::Client;
use crate::db::qc::{self as db_qc, ResultRow};
use crate::domain::checklist::FormType;
use crate::domain::qc::{FormLine, QcItemDef, QcPrevious, QcResultStatus, previous_notes};
use crate::domain::rework::{ReworkFindings, findings, pair_rework};
use crate::domain::tasks::{REWORK_PREFIX, TaskView, rework_description};
use crate::error::Result;
use uuid::Uuid;

/// The build's latest submitted `qc_type` result when it failed: its job id and the notes of its failed
/// items, for the lines of the form now (`items`, `lines`).
pub(super) async fn qc_previous(
    client: &impl Client,
    order_id: Uuid,
    qc_type: FormType,
    items: &[QcItemDef],
    lines: &[FormLine],
) -> Result<Option<QcPrevious>> {
    let results = db_qc::results_of(client, order_id).await?;
    let latest = results
        .iter()
        .find(|r| r.qc_type == qc_type && r.status != QcResultStatus::Incomplete);
    let Some(failed) = latest.filter(|r| r.status == QcResultStatus::Fail) else {
        return Ok(None);
    };
    let before = db_qc::items(client, failed.template.id).await?;
    let answers = db_qc::answers(client, failed.id).await?;
    Ok(Some(QcPrevious {
        result_id: failed.id,
        performed_by: failed.performer_name.clone(),
        at: failed.at,
        job_id: failed.job_id.clone(),
        notes: previous_notes(&before, &answers, items, lines),
    }))
}

/// For each rework task of `tasks`, the failed items of the Final QC failure that appended it
/// (docs/assembly-floor.md §4.1): a task bears its failure's reason, so the two pair up by that text,
/// in order.
pub(super) async fn rework_findings(
    client: &impl Client,
    order_id: Uuid,
    tasks: &[TaskView],
) -> Result<Vec<ReworkFindings>> {
    let rework: Vec<(Uuid, String)> = tasks
        .iter()
        .filter(|t| t.code.is_none() && t.description.starts_with(REWORK_PREFIX))
        .map(|t| (t.id, t.description.clone()))
        .collect();
    if rework.is_empty() {
        return Ok(Vec::new());
    }
    // Newest first from the database; paired oldest first.
    let failed: Vec<ResultRow> = db_qc::results_of(client, order_id)
        .await?
        .into_iter()
        .rev()
        .filter(|r| r.qc_type == FormType::FinalQc && r.status == QcResultStatus::Fail)
        .collect();
    let failures: Vec<(Uuid, String)> = failed
        .iter()
        .map(|r| (r.id, rework_description(r.notes.as_deref())))
        .collect();
    let mut out = Vec::new();
    for (task_id, result_id) in pair_rework(&rework, &failures) {
        let Some(r) = failed.iter().find(|r| r.id == result_id) else {
            continue;
        };
        let items = db_qc::items(client, r.template.id).await?;
        let answers = db_qc::answers(client, r.id).await?;
        out.push(ReworkFindings {
            task_id,
            inspector: r.performer_name.clone(),
            at: r.at,
            items: findings(&items, &answers),
        });
    }
    Ok(out)
}
