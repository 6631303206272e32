//! QC results: the items of a form, drafts and their answers, submitted results, the content a signature
//! covers, and the storeTo copies (`"QCResult"`, `"QCItemResult"`, `"QCChecklistItem"`).
//!
//! The use-cases and their role checks are in `service::qc`; these functions only read and write. The
//! database refuses any change to a submitted result (migration V14), so a bug here cannot rewrite one.

use crate::db::Client;
use crate::db::row::{RowExt, query_all, query_opt_map};
use crate::domain::checklist::FormType;
use crate::domain::order::OrderStatus;
use crate::domain::qc::QcItemDef;
use crate::error::Result;
use tokio_postgres::Row;
use uuid::Uuid;

mod drafts;
mod results;

pub use drafts::*;
pub use results::*;

/// The template's formName for each QC form (docs/qc.md §2).
pub const PRE_QC_FORM: &str = "Pre-Production Check";
pub const FINAL_QC_FORM: &str = "Final Quality Check";

/// The form a build's status calls for, if it waits for QC.
pub fn form_for_status(status: OrderStatus) -> Option<(FormType, &'static str)> {
    match status {
        OrderStatus::ReadyForPreQc => Some((FormType::PreQc, PRE_QC_FORM)),
        OrderStatus::ReadyForFinalQc => Some((FormType::FinalQc, FINAL_QC_FORM)),
        _ => None,
    }
}

/// The status a build waits in for `qc_type`.
pub fn status_for_form(qc_type: FormType) -> Option<OrderStatus> {
    match qc_type {
        FormType::PreQc => Some(OrderStatus::ReadyForPreQc),
        FormType::FinalQc => Some(OrderStatus::ReadyForFinalQc),
        FormType::InProcess => None,
    }
}

/// A `"QCFormTemplate"` row as a result refers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRef {
    pub id: Uuid,
    pub name: String,
    pub version: i32,
}

pub async fn template_ref(client: &impl Client, template_id: Uuid) -> Result<Option<TemplateRef>> {
    query_opt_map(
        client,
        r#"SELECT id, "formName", "version" FROM "QCFormTemplate" WHERE id = $1"#,
        &[&template_id],
        |r| {
            Ok(TemplateRef {
                id: r.col("id")?,
                name: r.col("formName")?,
                version: r.col("version")?,
            })
        },
    )
    .await
}

/// The `"QCChecklistItem"` columns (the table aliased `ci`) that [`item_def_from_row`] and the template
/// import read; the names are unique beside a joined task row's.
macro_rules! checklist_item_cols {
    () => {
        r#"ci.id AS "itemId", ci."section", ci."itemDescription", ci."checkType",
           COALESCE(ci."isBasinSpecific", false) AS "isBasinSpecific",
           COALESCE(ci."isRequired", true) AS "isRequired",
           COALESCE(ci."notesPrompt", false) AS "notesPrompt",
           ci."sequenceOrder" AS "itemSequence", ci."rules""#
    };
}
pub(crate) use checklist_item_cols;

/// A template's items in `sequenceOrder` (`$1` the template id), as [`checklist_item_cols!`].
pub(crate) const TEMPLATE_ITEMS: &str = concat!(
    "SELECT ",
    checklist_item_cols!(),
    r#" FROM "QCChecklistItem" ci WHERE ci."templateId" = $1 ORDER BY ci."sequenceOrder""#
);

/// Reads the [`checklist_item_cols!`] columns of `r` as a form uses the item.
pub(crate) fn item_def_from_row(r: &Row) -> Result<QcItemDef> {
    let rules: Option<serde_json::Value> = r.col("rules")?;
    Ok(QcItemDef::from_row(
        r.col("itemId")?,
        r.col("section")?,
        r.col("itemDescription")?,
        r.col("checkType")?,
        r.col("isBasinSpecific")?,
        r.col("isRequired")?,
        r.col("notesPrompt")?,
        r.col("itemSequence")?,
        rules.as_ref(),
    ))
}

/// The items of a template as QC forms use them, in `sequenceOrder`.
pub async fn items(client: &impl Client, template_id: Uuid) -> Result<Vec<QcItemDef>> {
    query_all(client, TEMPLATE_ITEMS, &[&template_id], item_def_from_row).await
}

#[cfg(test)]
mod tests;
