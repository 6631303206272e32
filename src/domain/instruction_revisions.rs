//! Work-instruction revisions (docs/assembly-floor.md §8): what a revision holds, how it is named on
//! screen, and the step diff between a revision and its predecessor.

use crate::domain::tasks::StepView;
use chrono::NaiveDateTime;
use serde::Serialize;
use uuid::Uuid;

/// One stored revision of a work instruction: the text as it read then, who saved it, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionView {
    pub number: i32,
    pub title: String,
    pub description: Option<String>,
    pub steps: Vec<StepView>,
    /// The author's name; `None` for the revisions recorded when revisions began.
    pub author: Option<String>,
    pub created_at: NaiveDateTime,
    pub change_note: String,
}

impl RevisionView {
    /// "2026-12-06, A. Admin" (or "imported").
    pub fn stamp(&self) -> String {
        revision_stamp(self.created_at, self.author.as_deref())
    }
}

/// When and by whom a revision was saved: "2026-12-06, A. Admin" (or "imported").
pub fn revision_stamp(at: NaiveDateTime, author: Option<&str>) -> String {
    format!("{}, {}", at.format("%Y-%m-%d"), author.unwrap_or(IMPORTED))
}

/// How a revision without an author is named.
pub const IMPORTED: &str = "imported";

/// An instruction's revisions, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct InstructionHistory {
    pub instruction_id: Uuid,
    pub revisions: Vec<RevisionView>,
}

impl InstructionHistory {
    /// The revision before the one at `index` (the list is newest first).
    pub fn predecessor(&self, index: usize) -> Option<&RevisionView> {
        self.revisions.get(index + 1)
    }
}

/// The line the task runner heads an instruction with: "Work instruction <title> rev 2 (2026-12-06,
/// A. Admin)".
pub fn revision_heading(title: &str, number: i32, stamp: &str) -> String {
    format!("Work instruction {title} rev {number} ({stamp})")
}

/// Said when a task's revision is no longer the instruction's latest.
pub fn newer_revision_note(generated_with: i32, current: i32) -> Option<String> {
    (current > generated_with).then(|| {
        format!("rev {current} is current; this build was generated with rev {generated_with}")
    })
}

/// One step in the diff of two revisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepChange<'a> {
    Unchanged {
        old: &'a StepView,
        new: &'a StepView,
    },
    Added(&'a StepView),
    Removed(&'a StepView),
    Changed {
        old: &'a StepView,
        new: &'a StepView,
    },
}

impl StepChange<'_> {
    /// The mark and word a diff line starts with, so it reads without colour.
    pub fn marker(&self) -> &'static str {
        match self {
            StepChange::Unchanged { .. } => "  unchanged",
            StepChange::Added(_) => "+ added",
            StepChange::Removed(_) => "- removed",
            StepChange::Changed { .. } => "~ changed",
        }
    }

    /// Whether the step differs between the two revisions (a renumbered step alone does not).
    pub fn is_change(&self) -> bool {
        !matches!(self, StepChange::Unchanged { .. })
    }
}

fn same_content(a: &StepView, b: &StepView) -> bool {
    a.description == b.description
        && a.safety_notes == b.safety_notes
        && a.estimated_minutes == b.estimated_minutes
}

/// The steps of `new` against those of `old`, in order: the longest run of steps kept as they were is
/// matched first; between two kept steps, removed and added steps are paired as changed in order, and
/// the rest are removed or added.
pub fn diff_steps<'a>(old: &'a [StepView], new: &'a [StepView]) -> Vec<StepChange<'a>> {
    // lcs[i][j]: the longest common run of old[i..] and new[j..].
    let mut lcs = vec![vec![0usize; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lcs[i][j] = if same_content(&old[i], &new[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let (mut gap_old, mut gap_new): (Vec<&StepView>, Vec<&StepView>) = (Vec::new(), Vec::new());
    let flush =
        |out: &mut Vec<StepChange<'a>>, o: &mut Vec<&'a StepView>, n: &mut Vec<&'a StepView>| {
            let paired = o.len().min(n.len());
            for (old, new) in o.iter().zip(n.iter()) {
                out.push(StepChange::Changed { old, new });
            }
            out.extend(o.drain(..).skip(paired).map(StepChange::Removed));
            out.extend(n.drain(..).skip(paired).map(StepChange::Added));
        };
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && same_content(&old[i], &new[j]) {
            flush(&mut out, &mut gap_old, &mut gap_new);
            out.push(StepChange::Unchanged {
                old: &old[i],
                new: &new[j],
            });
            i += 1;
            j += 1;
        } else if j < new.len() && (i == old.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            gap_new.push(&new[j]);
            j += 1;
        } else {
            gap_old.push(&old[i]);
            i += 1;
        }
    }
    flush(&mut out, &mut gap_old, &mut gap_new);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(texts: &[&str]) -> Vec<StepView> {
        (1i32..)
            .zip(texts)
            .map(|(number, t)| StepView {
                number,
                description: (*t).into(),
                safety_notes: None,
                estimated_minutes: None,
            })
            .collect()
    }

    /// Each change as its marker word and the step numbers (old, new).
    fn summary(changes: &[StepChange]) -> Vec<(&'static str, Option<i32>, Option<i32>)> {
        changes
            .iter()
            .map(|c| match c {
                StepChange::Unchanged { old, new } => ("same", Some(old.number), Some(new.number)),
                StepChange::Added(n) => ("added", None, Some(n.number)),
                StepChange::Removed(o) => ("removed", Some(o.number), None),
                StepChange::Changed { old, new } => ("changed", Some(old.number), Some(new.number)),
            })
            .collect()
    }

    #[test]
    fn identical_steps_are_all_unchanged() {
        let a = steps(&["Drill", "Fit", "Seal"]);
        let d = diff_steps(&a, &a);
        assert_eq!(d.len(), 3);
        assert!(d.iter().all(|c| !c.is_change()));
    }

    #[test]
    fn an_inserted_step_is_added_and_the_rest_renumbered_but_unchanged() {
        let old = steps(&["Drill", "Fit", "Seal"]);
        let new = steps(&["Drill", "Clean", "Fit", "Seal"]);
        assert_eq!(
            summary(&diff_steps(&old, &new)),
            vec![
                ("same", Some(1), Some(1)),
                ("added", None, Some(2)),
                ("same", Some(2), Some(3)),
                ("same", Some(3), Some(4)),
            ]
        );
    }

    #[test]
    fn a_removed_step_is_removed() {
        let old = steps(&["Drill", "Fit", "Seal"]);
        let new = steps(&["Drill", "Seal"]);
        assert_eq!(
            summary(&diff_steps(&old, &new)),
            vec![
                ("same", Some(1), Some(1)),
                ("removed", Some(2), None),
                ("same", Some(3), Some(2)),
            ]
        );
    }

    #[test]
    fn a_step_edited_in_place_is_changed_and_so_are_its_notes_and_minutes() {
        let old = steps(&["Drill", "Fit", "Seal"]);
        let mut new = steps(&["Drill", "Fit firmly", "Seal"]);
        new[2].estimated_minutes = Some(5);
        assert_eq!(
            summary(&diff_steps(&old, &new)),
            vec![
                ("same", Some(1), Some(1)),
                ("changed", Some(2), Some(2)),
                ("changed", Some(3), Some(3)),
            ]
        );
        let mut noted = steps(&["Drill", "Fit", "Seal"]);
        noted[0].safety_notes = Some("Goggles".into());
        assert_eq!(
            summary(&diff_steps(&old, &noted))[0],
            ("changed", Some(1), Some(1))
        );
    }

    #[test]
    fn more_new_steps_than_old_in_a_gap_pair_first_then_add() {
        let old = steps(&["Drill", "Fit"]);
        let new = steps(&["Bore", "Ream", "Fit"]);
        assert_eq!(
            summary(&diff_steps(&old, &new)),
            vec![
                ("changed", Some(1), Some(1)),
                ("added", None, Some(2)),
                ("same", Some(2), Some(3)),
            ]
        );
        assert_eq!(
            summary(&diff_steps(&new, &old)),
            vec![
                ("changed", Some(1), Some(1)),
                ("removed", Some(2), None),
                ("same", Some(3), Some(2)),
            ]
        );
    }

    #[test]
    fn a_first_revision_adds_every_step() {
        let new = steps(&["Drill", "Fit"]);
        let d = diff_steps(&[], &new);
        assert_eq!(
            d.iter().map(StepChange::marker).collect::<Vec<_>>(),
            vec!["+ added"; 2]
        );
    }

    #[test]
    fn headings_name_the_revision_and_a_newer_one() {
        let r = RevisionView {
            number: 2,
            title: "Control box".into(),
            description: None,
            steps: Vec::new(),
            author: Some("A. Admin".into()),
            created_at: chrono::NaiveDate::from_ymd_opt(2026, 12, 6)
                .and_then(|d| d.and_hms_opt(9, 30, 0))
                .expect("date"),
            change_note: "Bracket".into(),
        };
        assert_eq!(
            revision_heading("Control box", r.number, &r.stamp()),
            "Work instruction Control box rev 2 (2026-12-06, A. Admin)"
        );
        let imported = RevisionView { author: None, ..r };
        assert_eq!(imported.stamp(), "2026-12-06, imported");
        assert_eq!(
            newer_revision_note(2, 3).as_deref(),
            Some("rev 3 is current; this build was generated with rev 2")
        );
        assert_eq!(newer_revision_note(2, 2), None);
    }
}
