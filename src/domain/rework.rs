//! What a rework task shows the assembler: the failed items of the Final QC that sent the build back,
//! each with the inspector's note (docs/assembly-floor.md §4.1).

use crate::domain::nonconformance::{NcItem, nonconforming_items};
use crate::domain::qc::{FormLine, LineAnswer, QcItemDef};
use chrono::NaiveDateTime;
use serde::Serialize;
use uuid::Uuid;

/// One failed item of a QC result: what was found, and the inspector's note on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub item: NcItem,
    pub note: Option<String>,
}

/// The Final QC failure a rework task carries out, as the task runner shows it under the task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReworkFindings {
    pub task_id: Uuid,
    /// The inspector who signed the failure, and when (UTC).
    pub inspector: String,
    pub at: Option<NaiveDateTime>,
    pub items: Vec<Finding>,
}

/// The non-conforming answers of a result with their notes, in the order the answers are given (the
/// form's display order).
pub fn findings(items: &[QcItemDef], answers: &[LineAnswer]) -> Vec<Finding> {
    answers
        .iter()
        .filter_map(|a| {
            let index = items.iter().position(|i| i.id == a.item_id)?;
            let line = [FormLine::new(index, a.basin_index)];
            let found = nonconforming_items(&line, |i| items.get(i), std::slice::from_ref(a));
            let item = found.into_iter().next()?;
            let note = a
                .answer
                .notes
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string);
            Some(Finding { item, note })
        })
        .collect()
}

/// Which failure each rework task carries out. `tasks` are (task, description) in task order;
/// `failures` are (result, the description of the rework task it appended) oldest first. Each task goes
/// with the oldest failure not yet taken whose rework description it bears, so two failures for the same
/// reason pair up in order; a task appended by an override matches no failure. Returns (task, result).
pub fn pair_rework(tasks: &[(Uuid, String)], failures: &[(Uuid, String)]) -> Vec<(Uuid, Uuid)> {
    let mut taken = vec![false; failures.len()];
    let mut out = Vec::new();
    for (task, description) in tasks {
        if let Some(k) = failures
            .iter()
            .enumerate()
            .position(|(k, (_, text))| !taken[k] && text == description)
        {
            taken[k] = true;
            if let Some((result, _)) = failures.get(k) {
                out.push((*task, *result));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::CheckType;
    use crate::domain::qc::Answer;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn tasks_pair_with_their_failures_in_order() {
        let tasks = vec![
            (id(1), "Rework after Final QC failure: scratch".to_string()),
            (id(2), "Rework after Final QC failure: override".to_string()),
            (id(3), "Rework after Final QC failure: scratch".to_string()),
        ];
        let failures = vec![
            (id(10), "Rework after Final QC failure: scratch".to_string()),
            (id(11), "Rework after Final QC failure: scratch".to_string()),
        ];
        assert_eq!(
            pair_rework(&tasks, &failures),
            vec![(id(1), id(10)), (id(3), id(11))]
        );
        assert!(pair_rework(&tasks, &[]).is_empty());
    }

    #[test]
    fn findings_are_the_failed_answers_with_their_notes() {
        let item = |n: u128, code: &str| {
            QcItemDef::from_row(
                id(n),
                "Finish".into(),
                format!("Check {code}"),
                CheckType::Boolean,
                true,
                true,
                true,
                1,
                Some(&serde_json::json!({ "code": code })),
            )
        };
        let items = vec![item(1, "FQC-01"), item(2, "FQC-02")];
        let answer = |n: u128, basin, value: &str, notes: Option<&str>| LineAnswer {
            item_id: id(n),
            basin_index: basin,
            answer: Answer {
                value: Some(value.into()),
                is_na: false,
                notes: notes.map(str::to_string),
            },
        };
        let answers = vec![
            answer(1, Some(1), "YES", Some("fine")),
            answer(2, Some(2), "NO", Some(" dent near the drain ")),
            answer(1, Some(2), "NO", None),
        ];
        let found = findings(&items, &answers);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].item.code.as_deref(), Some("FQC-02"));
        assert_eq!(found[0].item.basin, Some(2));
        assert_eq!(found[0].note.as_deref(), Some("dent near the drain"));
        assert_eq!(found[1].item.code.as_deref(), Some("FQC-01"));
        assert_eq!(found[1].note, None);
    }
}
