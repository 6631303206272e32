//! Forms that remember: what a failed form offers the next one. After a failed end-of-line testing form
//! the new form is offered every answer that conformed (docs/assembly-floor.md §5.1); after a failed QC
//! result the next form of that type is offered the job id and the failed items' notes (docs/qc.md §3.1).
//! An offer is never an answer: the user confirms a carried-over answer, and a note is only shown.

use super::{Answer, FormLine, Judgement, LineAnswer, QcItemDef, judge};
use chrono::NaiveDateTime;
use serde::Serialize;
use uuid::Uuid;

/// The note a line had on the failed result, offered again beside the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviousNote {
    /// The item of this form the note belongs to (matched by code and basin).
    pub item_id: Uuid,
    pub basin_index: Option<i32>,
    pub note: String,
}

/// The latest submitted result of a build's QC form when it failed: what the next form is offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QcPrevious {
    pub result_id: Uuid,
    pub performed_by: String,
    pub at: Option<NaiveDateTime>,
    pub job_id: Option<String>,
    /// The notes of its non-conforming lines that are on this form too.
    pub notes: Vec<PreviousNote>,
}

/// Whether a line holds no answer yet: no value and not N/A (notes alone do not answer it).
pub fn is_unanswered(answer: &Answer) -> bool {
    !answer.is_na && answer.value.as_deref().is_none_or(|v| v.trim().is_empty())
}

/// The answer `answers` holds for (item, basin).
fn answer_for<'a>(
    answers: &'a [LineAnswer],
    item: &QcItemDef,
    basin: Option<i32>,
) -> Option<&'a Answer> {
    answers
        .iter()
        .find(|a| a.item_id == item.id && a.basin_index == basin)
        .map(|a| &a.answer)
}

/// The answers of a failed form that the next one offers: for each line of the form, the earlier answer
/// when it conformed (in range, yes, a record such as a serial number, N/A with its note), in line order
/// (docs/assembly-floor.md §5.1). Failing lines are not offered: they are measured again.
pub fn carried_answers(
    items: &[QcItemDef],
    lines: &[FormLine],
    previous: &[LineAnswer],
) -> Vec<LineAnswer> {
    lines
        .iter()
        .filter_map(|line| {
            let item = items.get(line.item)?;
            let answer = answer_for(previous, item, line.basin_index)?;
            (judge(item, answer) == Judgement::Conforming).then(|| LineAnswer {
                item_id: item.id,
                basin_index: line.basin_index,
                answer: answer.clone(),
            })
        })
        .collect()
}

/// The notes of the failed result's non-conforming answers, for the lines of this form with the same item
/// code and basin (a newer template version has new item ids, but keeps its codes), in line order
/// (docs/qc.md §3.1).
pub fn previous_notes(
    previous_items: &[QcItemDef],
    previous_answers: &[LineAnswer],
    items: &[QcItemDef],
    lines: &[FormLine],
) -> Vec<PreviousNote> {
    lines
        .iter()
        .filter_map(|line| {
            let item = items.get(line.item)?;
            let (before, answer) = previous_items
                .iter()
                .filter(|p| p.code == item.code)
                .find_map(|p| Some((p, answer_for(previous_answers, p, line.basin_index)?)))?;
            if !matches!(judge(before, answer), Judgement::NonConforming(_)) {
                return None;
            }
            let note = answer
                .notes
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())?;
            Some(PreviousNote {
                item_id: item.id,
                basin_index: line.basin_index,
                note: note.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::CheckType;

    fn item(n: u128, code: &str, check_type: CheckType) -> QcItemDef {
        QcItemDef::from_row(
            Uuid::from_u128(n),
            "S".into(),
            format!("Item {code}"),
            check_type,
            false,
            true,
            false,
            i32::try_from(n).unwrap_or_default(),
            Some(&serde_json::json!({"code": code, "unit": "degC", "min": 36, "max": 44})),
        )
    }

    fn answer(item: &QcItemDef, value: &str, notes: Option<&str>) -> LineAnswer {
        LineAnswer {
            item_id: item.id,
            basin_index: None,
            answer: Answer {
                value: Some(value.into()),
                is_na: false,
                notes: notes.map(str::to_string),
            },
        }
    }

    #[test]
    fn only_conforming_answers_carry_over() {
        let items = vec![
            item(1, "EOL-01", CheckType::Measurement),
            item(2, "EOL-02", CheckType::Measurement),
            item(3, "EOL-03", CheckType::Text),
            item(4, "EOL-04", CheckType::Boolean),
        ];
        let lines: Vec<FormLine> = (0..4).map(|i| FormLine::new(i, None)).collect();
        let previous = vec![
            answer(&items[0], "40", None),
            answer(&items[1], "45", Some("too hot")),
            answer(&items[2], "SN-0001", None),
            answer(&items[3], "NO", None),
        ];
        let carried = carried_answers(&items, &lines, &previous);
        let values: Vec<_> = carried.iter().map(|a| a.answer.value.as_deref()).collect();
        assert_eq!(values, vec![Some("40"), Some("SN-0001")]);
        assert_eq!(carried[1].item_id, items[2].id);
        assert!(carried_answers(&items, &lines, &[]).is_empty());
    }

    #[test]
    fn failed_notes_follow_the_code_into_a_new_template_version() {
        let before = vec![
            item(1, "FQC-01", CheckType::Boolean),
            item(2, "FQC-02", CheckType::Boolean),
            item(3, "FQC-03", CheckType::Boolean),
        ];
        let now = vec![
            item(11, "FQC-01", CheckType::Boolean),
            item(12, "FQC-02", CheckType::Boolean),
            item(13, "FQC-03", CheckType::Boolean),
        ];
        let lines: Vec<FormLine> = (0..3).map(|i| FormLine::new(i, None)).collect();
        let answers = vec![
            answer(&before[0], "NO", Some("  scratch on the left panel ")),
            answer(&before[1], "YES", Some("fine")),
            answer(&before[2], "NO", None),
        ];
        let notes = previous_notes(&before, &answers, &now, &lines);
        assert_eq!(
            notes,
            vec![PreviousNote {
                item_id: now[0].id,
                basin_index: None,
                note: "scratch on the left panel".into(),
            }]
        );
    }

    #[test]
    fn notes_alone_do_not_answer_a_line() {
        assert!(is_unanswered(&Answer {
            notes: Some("x".into()),
            ..Answer::default()
        }));
        assert!(is_unanswered(&Answer {
            value: Some("  ".into()),
            ..Answer::default()
        }));
        assert!(!is_unanswered(&Answer {
            is_na: true,
            ..Answer::default()
        }));
    }
}
