//! Work instructions and tools as the admin edits them, and the rules an edit must meet.

use crate::domain::tasks::StepView;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One work instruction (its latest version) as the admin list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstructionRow {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub version: i32,
    pub active: bool,
    pub steps: Vec<StepView>,
    /// Tasks that link this version.
    pub task_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToolRow {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub active: bool,
    pub task_count: i64,
}

/// Everything the admin screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct InstructionCatalog {
    pub instructions: Vec<InstructionRow>,
    pub tools: Vec<ToolRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StepDraft {
    pub description: String,
    pub safety_notes: Option<String>,
    pub estimated_minutes: Option<i32>,
}

/// A new instruction (`id` None) or an edit of an existing one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct InstructionDraft {
    pub id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    pub active: bool,
    pub steps: Vec<StepDraft>,
}

/// A new tool (`id` None) or an edit of an existing one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ToolDraft {
    pub id: Option<Uuid>,
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub active: bool,
}
