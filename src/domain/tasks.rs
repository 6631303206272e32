//! Assembly task lists (docs/assembly-floor.md §2-§4): which tasks a build gets, what each links to
//! (work instruction, tools, the BOM lines it installs), and the rules for completing one.

use crate::domain::bom::ItemType;
use crate::domain::bom_document::BomDocument;
use crate::domain::checklist::CheckType;
use crate::domain::order::{BasinType, BuildConfig, DocumentLanguage, OrderStatus};
use crate::domain::qc::{self, QcItemDef};
use crate::domain::rework::ReworkFindings;
use crate::text::check_text;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

/// The template whose items become tasks.
pub const PRODUCTION_TEMPLATE: &str = "Production Checklist";

/// Longest note text one call may add.
pub const MAX_NOTE: usize = 1000;

/// Where a task's reference material comes from: the work instruction (by title, latest active
/// version), the tools (by name) and the BOM lines whose parts it consumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskReference {
    pub code: &'static str,
    pub instruction: &'static str,
    pub tools: &'static [&'static str],
    /// Top-level BOM ids; a trailing `*` matches every id with that prefix (the control box variants).
    pub bom_ids: &'static [&'static str],
}

pub const TORQUE_WRENCH: &str = "Torque wrench 5-60 Nm";
pub const DRILL: &str = "Cordless drill/driver";
pub const HEX_KEYS: &str = "Metric hex key set";
pub const CRIMPER: &str = "M8 connector crimping tool";
pub const LABEL_PRINTER: &str = "Cable label printer";
pub const PIPE_CUTTER: &str = "PEX pipe cutter";

pub const WI_LIGHT: &str = "Overhead LED light";
pub const WI_FAUCETS: &str = "Faucets, guns and spouts";
pub const WI_LIFTER: &str = "Lifter button and controller";
pub const WI_FINISH: &str = "Sink body finishing";
pub const WI_CONTROL_BOX: &str = "Mount and wire the control box";
pub const WI_EDRAIN: &str = "E-Drain basin plumbing and sensors";
pub const WI_ESINK: &str = "E-Sink basin controls and sensors";

/// Item code -> reference material. Items not listed get no instruction, tools or parts.
pub const REFERENCES: &[TaskReference] = &[
    r("PRD-01", WI_LIGHT, &[DRILL, HEX_KEYS], &["T2-OHL-*"]),
    r("PRD-02", WI_LIGHT, &[HEX_KEYS], &[]),
    r(
        "PRD-03",
        WI_FAUCETS,
        &[TORQUE_WRENCH],
        &["T2-OA-STD-FAUCET-WB-KIT"],
    ),
    r("PRD-04", WI_LIFTER, &[DRILL, CRIMPER], &[]),
    r(
        "PRD-05",
        WI_LIFTER,
        &[DRILL, CRIMPER],
        &["T2-DL27-KIT", "T2-DL14-KIT", "T2-LC1-KIT"],
    ),
    r("PRD-06", WI_FINISH, &[], &[]),
    r("PRD-07", WI_CONTROL_BOX, &[DRILL], &[]),
    r("PRD-08", WI_CONTROL_BOX, &[DRILL, CRIMPER], &["T2-CTRL-*"]),
    r("PRD-09", WI_CONTROL_BOX, &[LABEL_PRINTER], &[]),
    r("PRD-10", WI_FINISH, &[], &[]),
    r("PRD-11", WI_FAUCETS, &[TORQUE_WRENCH], &["T2-OA-AIRGUN-*"]),
    r(
        "PRD-12",
        WI_FAUCETS,
        &[TORQUE_WRENCH],
        &["T2-OA-WATERGUN-*"],
    ),
    r(
        "PRD-13",
        WI_FAUCETS,
        &[TORQUE_WRENCH],
        &["T2-OA-DI-GOOSENECK-FAUCET-KIT"],
    ),
    r(
        "PRD-14",
        WI_FAUCETS,
        &[TORQUE_WRENCH],
        &["T2-OA-PRE-RINSE-FAUCET-KIT"],
    ),
    r("PRD-15", WI_EDRAIN, &[TORQUE_WRENCH], &[]),
    r("PRD-16", WI_EDRAIN, &[TORQUE_WRENCH, PIPE_CUTTER], &[]),
    r("PRD-17", WI_EDRAIN, &[LABEL_PRINTER], &[]),
    r("PRD-18", WI_EDRAIN, &[CRIMPER], &[]),
    r("PRD-19", WI_ESINK, &[DRILL, HEX_KEYS], &[]),
    r("PRD-20", WI_ESINK, &[CRIMPER], &[]),
    r("PRD-21", WI_ESINK, &[HEX_KEYS], &[]),
    r("PRD-22", WI_ESINK, &[CRIMPER], &[]),
    r("PRD-23", WI_ESINK, &[CRIMPER], &[]),
    r("PRD-24", WI_ESINK, &[DRILL], &[]),
    r("PRD-25", WI_ESINK, &[DRILL], &[]),
];

const fn r(
    code: &'static str,
    instruction: &'static str,
    tools: &'static [&'static str],
    bom_ids: &'static [&'static str],
) -> TaskReference {
    TaskReference {
        code,
        instruction,
        tools,
        bom_ids,
    }
}

/// The reference material of an item code.
pub fn reference(code: &str) -> Option<&'static TaskReference> {
    REFERENCES.iter().find(|r| r.code == code)
}

/// Whether task generation finds a work instruction by this title; such a title must not change, or new
/// task lists would lose their instruction.
pub fn names_instruction(title: &str) -> bool {
    REFERENCES.iter().any(|r| r.instruction == title)
}

/// Whether task generation finds a tool by this name (see [`names_instruction`]).
pub fn names_tool(name: &str) -> bool {
    REFERENCES.iter().any(|r| r.tools.contains(&name))
}

/// The refusal for renaming an instruction or tool that task generation finds by name.
pub fn rename_refusal(what: &str, name: &str) -> String {
    format!(
        "{what} \"{name}\" is found by name when task lists are generated; keep the name (edit the rest, or add a new one)"
    )
}

/// The first task of a basin section installs that basin's kit (one kit per basin).
fn basin_kit(code: &str, basin_type: BasinType) -> Option<&'static str> {
    match (code, basin_type) {
        ("PRD-15", BasinType::EDrain) => Some("T2-BSN-EDR-KIT"),
        ("PRD-19", BasinType::ESink) => Some("T2-BSN-ESK-KIT"),
        ("PRD-19", BasinType::ESinkDi) => Some("T2-BSN-ESK-DI-KIT"),
        _ => None,
    }
}

fn id_matches(pattern: &str, id: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => pattern == id,
    }
}

/// A part a task consumes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedPart {
    pub part_type: ItemType,
    pub part_id: String,
    pub quantity: Decimal,
}

/// One task to insert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedTask {
    pub sequence: i32,
    pub description: String,
    pub item_id: Option<Uuid>,
    pub estimated_minutes: Option<i32>,
    pub instruction: Option<&'static str>,
    pub tools: Vec<&'static str>,
    pub parts: Vec<PlannedPart>,
}

/// The `TaskList.assemblyType` of a build.
pub fn assembly_type(build: &BuildConfig) -> String {
    let text = format!("MDRD-{}", build.sink_model.trim());
    text.chars().take(50).collect()
}

/// The tasks of a build: one per applicable item of the Production Checklist (one per applicable basin
/// for basin items, ` (basin <n>)` appended), ordered by (item sequence, basinIndex), numbered 1..n.
/// `estimates` gives each item's `estMinutes` by item id.
///
/// Parts, kept simple and honest: a non-basin task lists every top-level line of the current BOM that
/// its [`TaskReference::bom_ids`] name, with the line's quantity for the whole build (quantities are
/// absolute); the first task of a basin section lists that basin's basin kit with quantity 1, when the
/// BOM has that kit. So for every id, the task quantities add up to the BOM's quantity.
pub fn plan(
    items: &[QcItemDef],
    estimates: &[(Uuid, Option<i32>)],
    build: &BuildConfig,
    language: DocumentLanguage,
    bom: Option<&BomDocument>,
) -> Result<Vec<PlannedTask>, String> {
    let lines = qc::applicable(items, build, language)?;
    let top: Vec<_> = bom
        .map(|d| d.top_level().collect::<Vec<_>>())
        .unwrap_or_default();
    let mut tasks = Vec::with_capacity(lines.len());
    for (sequence, line) in (1i32..).zip(&lines) {
        let Some(item) = items.get(line.item) else {
            continue;
        };
        let reference = reference(&item.code);
        let mut description = item.description.clone();
        let mut parts = Vec::new();
        if let Some(n) = line.basin_index {
            description.push_str(&format!(" (basin {n})"));
            let basin_type = build
                .basins
                .iter()
                .find(|b| b.basin_index == n)
                .map(|b| b.basin_type);
            if let Some(kit) = basin_type.and_then(|t| basin_kit(&item.code, t))
                && let Some(line) = top.iter().find(|l| l.item_id == kit)
            {
                parts.push(PlannedPart {
                    part_type: line.item_type,
                    part_id: line.item_id.clone(),
                    quantity: Decimal::ONE,
                });
            }
        } else if let Some(reference) = reference {
            for line in &top {
                if reference
                    .bom_ids
                    .iter()
                    .any(|p| id_matches(p, &line.item_id))
                    && !parts
                        .iter()
                        .any(|p: &PlannedPart| p.part_id == line.item_id)
                {
                    parts.push(PlannedPart {
                        part_type: line.item_type,
                        part_id: line.item_id.clone(),
                        quantity: line.quantity,
                    });
                }
            }
        }
        tasks.push(PlannedTask {
            sequence,
            description,
            item_id: Some(item.id),
            estimated_minutes: estimates
                .iter()
                .find(|(id, _)| *id == item.id)
                .and_then(|(_, m)| *m),
            instruction: reference.map(|r| r.instruction),
            tools: reference.map(|r| r.tools.to_vec()).unwrap_or_default(),
            parts,
        });
    }
    Ok(tasks)
}

/// How the task appended after a Final QC failure begins.
pub const REWORK_PREFIX: &str = "Rework after Final QC failure: ";

/// The task appended after a Final QC failure (docs/assembly-floor.md §4).
pub fn rework_description(reason: Option<&str>) -> String {
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or("no reason recorded");
    format!("{REWORK_PREFIX}{reason}")
}

/// What the assembler enters to complete a task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TaskCompletion {
    /// MULTI_CHOICE: the option chosen.
    pub choice: Option<String>,
    /// N_A_OPTION: completing as not applicable, with this reason.
    pub na_reason: Option<String>,
    pub notes: Option<String>,
    /// Time spent on the task, from the runner's timer.
    pub minutes_spent: Option<i32>,
}

/// The notes a completion stores: `N/A: <reason>` or `Selected: <option>` first, then the assembler's
/// note, then `Time spent: <n> min`. `Err` is the message for the assembler.
pub fn completion_notes(
    check_type: Option<CheckType>,
    options: &[String],
    c: &TaskCompletion,
) -> Result<Option<String>, String> {
    for (label, text) in [("Reason", &c.na_reason), ("Note", &c.notes)] {
        if let Some(t) = text {
            check_text(label, t.trim(), false)?;
        }
    }
    let too_long = |t: Option<&str>| t.is_some_and(|t| t.trim().chars().count() > MAX_NOTE);
    if too_long(c.na_reason.as_deref()) || too_long(c.notes.as_deref()) {
        return Err(format!(
            "A reason or note must be at most {MAX_NOTE} characters"
        ));
    }
    let mut lines = Vec::new();
    let na = c.na_reason.as_deref().map(str::trim);
    let choice = c.choice.as_deref().map(str::trim).filter(|s| !s.is_empty());
    match check_type {
        Some(CheckType::NaOption) => match na {
            Some("") => return Err("An N/A needs a reason".into()),
            Some(reason) => lines.push(format!("N/A: {reason}")),
            None => {}
        },
        _ if na.is_some() => return Err("This task cannot be completed as N/A".into()),
        _ => {}
    }
    match check_type {
        Some(CheckType::MultiChoice) => match choice {
            None => return Err("Choose one of the options to complete this task".into()),
            Some(o) if options.iter().any(|x| x == o) => lines.push(format!("Selected: {o}")),
            Some(o) => {
                return Err(format!(
                    "\"{o}\" is not one of the options: {}",
                    options.join(", ")
                ));
            }
        },
        _ if choice.is_some() => return Err("This task has no options to choose from".into()),
        _ => {}
    }
    if let Some(note) = c.notes.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        lines.push(note.to_string());
    }
    if let Some(m) = c.minutes_spent {
        if !(0..=10_000).contains(&m) {
            return Err("Time spent must be between 0 and 10000 minutes".into());
        }
        lines.push(format!("Time spent: {m} min"));
    }
    let text = lines.join("\n");
    Ok((!text.is_empty()).then_some(text))
}

/// A note the assembler adds: trimmed, not blank, bounded.
pub fn validate_note(note: &str) -> Result<String, String> {
    let note = note.trim();
    check_text("Note", note, false)?;
    if note.is_empty() {
        Err("The note is empty".into())
    } else if note.chars().count() > MAX_NOTE {
        Err(format!("A note must be at most {MAX_NOTE} characters"))
    } else {
        Ok(note.to_string())
    }
}

// ------------------------------------------------------------------------------------------------
// Views
// ------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepView {
    pub number: i32,
    pub description: String,
    pub safety_notes: Option<String>,
    pub estimated_minutes: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstructionView {
    pub id: Uuid,
    /// The revision the task was generated with (docs/assembly-floor.md §8); the fields below are its.
    pub revision_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    /// The revision's number.
    pub version: i32,
    pub steps: Vec<StepView>,
    /// Who saved the revision; `None` for one recorded when revisions began.
    pub author: Option<String>,
    pub revised_at: NaiveDateTime,
    /// The instruction's latest revision number today.
    pub current_version: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToolView {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartView {
    pub part_type: ItemType,
    pub part_id: String,
    pub quantity: Decimal,
}

/// One task as the runner shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskView {
    pub id: Uuid,
    pub sequence: i32,
    pub description: String,
    /// The checklist item's code; `None` for a rework task.
    pub code: Option<String>,
    pub check_type: Option<CheckType>,
    pub options: Vec<String>,
    pub estimated_minutes: Option<i32>,
    pub is_completed: bool,
    pub completed_at: Option<NaiveDateTime>,
    /// (id, full name)
    pub completed_by: Option<(Uuid, String)>,
    pub notes: Option<String>,
    pub instruction: Option<InstructionView>,
    pub tools: Vec<ToolView>,
    pub parts: Vec<PartView>,
}

/// A build's task list with the state the runner needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskListView {
    pub order_id: Uuid,
    pub list_id: Uuid,
    pub assembly_type: String,
    pub generated_at: Option<NaiveDateTime>,
    pub status: OrderStatus,
    /// Why the tasks cannot be changed now (wrong status, testing submitted); `None` when they can.
    pub locked: Option<String>,
    pub tasks: Vec<TaskView>,
    /// For each rework task, the failed items of the Final QC it carries out (docs/assembly-floor.md §4.1).
    pub findings: Vec<ReworkFindings>,
}

impl TaskListView {
    pub fn done(&self) -> usize {
        self.tasks.iter().filter(|t| t.is_completed).count()
    }

    pub fn total(&self) -> usize {
        self.tasks.len()
    }

    /// Estimated minutes of the open tasks.
    pub fn minutes_left(&self) -> i64 {
        self.tasks
            .iter()
            .filter(|t| !t.is_completed)
            .map(|t| i64::from(t.estimated_minutes.unwrap_or(0)))
            .sum()
    }

    /// The first open task, in sequence.
    pub fn next_open(&self) -> Option<&TaskView> {
        self.tasks.iter().find(|t| !t.is_completed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Vec<String> {
        vec!["A".into(), "B".into()]
    }

    #[test]
    fn na_needs_a_reason_and_comes_first() {
        let c = TaskCompletion {
            na_reason: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(
            completion_notes(Some(CheckType::NaOption), &[], &c),
            Err("An N/A needs a reason".into())
        );
        let c = TaskCompletion {
            na_reason: Some("no logo ordered".into()),
            notes: Some("per customer".into()),
            minutes_spent: Some(3),
            ..Default::default()
        };
        assert_eq!(
            completion_notes(Some(CheckType::NaOption), &[], &c),
            Ok(Some(
                "N/A: no logo ordered\nper customer\nTime spent: 3 min".into()
            ))
        );
        assert_eq!(
            completion_notes(Some(CheckType::NaOption), &[], &TaskCompletion::default()),
            Ok(None)
        );
        assert!(completion_notes(Some(CheckType::Boolean), &[], &c).is_err());
    }

    #[test]
    fn multi_choice_needs_one_of_the_options() {
        let pick = |o: Option<&str>| TaskCompletion {
            choice: o.map(str::to_string),
            ..Default::default()
        };
        assert!(completion_notes(Some(CheckType::MultiChoice), &opts(), &pick(None)).is_err());
        assert!(completion_notes(Some(CheckType::MultiChoice), &opts(), &pick(Some("C"))).is_err());
        assert_eq!(
            completion_notes(Some(CheckType::MultiChoice), &opts(), &pick(Some("B"))),
            Ok(Some("Selected: B".into()))
        );
        assert!(completion_notes(Some(CheckType::Boolean), &opts(), &pick(Some("B"))).is_err());
        assert!(completion_notes(None, &[], &pick(Some("B"))).is_err());
    }

    #[test]
    fn time_spent_is_bounded() {
        let c = TaskCompletion {
            minutes_spent: Some(-1),
            ..Default::default()
        };
        assert!(completion_notes(None, &[], &c).is_err());
        let long = TaskCompletion {
            notes: Some("x".repeat(MAX_NOTE + 1)),
            ..Default::default()
        };
        assert!(completion_notes(None, &[], &long).is_err());
    }

    #[test]
    fn rework_and_notes() {
        assert_eq!(
            rework_description(Some(" weld ")),
            "Rework after Final QC failure: weld"
        );
        assert_eq!(validate_note(" x "), Ok("x".into()));
        assert!(validate_note("  ").is_err());
        assert_eq!(
            validate_note("x\u{7}"),
            Err("Note: contains the control character U+0007; remove it".into())
        );
        let na = TaskCompletion {
            na_reason: Some("not fitted\u{202E}".into()),
            ..Default::default()
        };
        assert_eq!(
            completion_notes(Some(CheckType::NaOption), &[], &na),
            Err("Reason: contains the direction-changing character U+202E; remove it".into())
        );
        let noted = TaskCompletion {
            notes: Some("done\u{200B}".into()),
            ..Default::default()
        };
        assert_eq!(
            completion_notes(None, &[], &noted),
            Err("Note: contains the zero-width character U+200B; remove it".into())
        );
    }

    #[test]
    fn every_reference_is_a_production_item_once() {
        for (i, r) in REFERENCES.iter().enumerate() {
            assert!(r.code.starts_with("PRD-"), "{}", r.code);
            assert!(
                REFERENCES.iter().skip(i + 1).all(|o| o.code != r.code),
                "{} twice",
                r.code
            );
        }
        assert!(id_matches("T2-CTRL-*", "T2-CTRL-EDR1-ESK1"));
        assert!(names_instruction(WI_CONTROL_BOX) && !names_instruction("Daily check"));
        assert!(names_tool(CRIMPER) && !names_tool("Spirit level"));
        assert!(!id_matches("T2-CTRL-EDR1", "T2-CTRL-EDR1-ESK1"));
    }
}
