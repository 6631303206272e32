//! Order use-cases: the wizard's checks and submit, queues, detail, the lifecycle and assignment.
//!
//! Every role check here is binding (the screens only mirror them). Every write is one transaction opened
//! with [`begin_as`], so the audit trigger names the acting user and a refusal leaves nothing behind.

use super::guard::{
    check_acting, check_acting_unless_admin, lock_order, moved_on, order_not_found, refuse,
    require_viewer,
};
use super::moves::{move_status, notify_qc_failure};
use super::{Authed, ServiceCtx, authenticate};
use crate::db::notifications::{self, NewNotification};
use crate::db::orders::{self, Cursor, LockedOrder, NewHistory, QueueFilter};
use crate::db::{DbError, GenericClient, Transaction, begin_as, bom as db_bom, users};
use crate::domain::Role;
use crate::domain::bom::{BomError, GeneratedBom, generate};
use crate::domain::lifecycle::{self, Candidate, Precondition, Transition};
use crate::domain::notification::PRODUCTION_ORDER;
use crate::domain::order::{
    AttachmentInfo, AttachmentSpec, BuildConfig, CreatedOrder, NewOrder, NumberCheck, OrderDetail,
    OrderPage, OrderQuery, OrderRow, OrderStatus, QueueView, WizardContext,
};
use crate::domain::order_rules::{self, FieldError};
use crate::domain::user::UserSummary;
use crate::msg::{Reply, Request};
use sha2::Digest;
use uuid::Uuid;

/// The largest wizard draft kept (its JSON text); a wizard's state is a few kilobytes.
pub const MAX_DRAFT_BYTES: usize = 1_000_000;
pub const DRAFT_TOO_LARGE: &str = "The wizard draft is too large to save";
pub const STALE_CURSOR: &str = "The list has changed its order; reload it from the first page";
pub const BUILD_NUMBER_FIXED: &str = "Build numbers cannot be changed";

/// Handles every order request (dispatched here from `service::dispatch`).
pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply, DbError> {
    match req {
        Request::WizardContext { token } => {
            wizard_context(ctx, &token).await.map(Reply::WizardContext)
        }
        Request::CheckNumbers {
            token,
            po_number,
            build_numbers,
        } => check_numbers(ctx, &token, &po_number, &build_numbers)
            .await
            .map(Reply::NumbersChecked),
        Request::CheckAttachment { token, path } => {
            let who = authenticate(ctx, &token).await?;
            require_creator(&who)?;
            let file = read_attachment(path, false).await?;
            Ok(Reply::AttachmentChecked(AttachmentInfo {
                name: file.name,
                size: file.size,
            }))
        }
        Request::PreviewBom {
            token,
            language,
            build,
        } => {
            let who = authenticate(ctx, &token).await?;
            require_creator(&who)?;
            let client = ctx.pool.get().await?;
            db_bom::preview(&client, language, &build)
                .await?
                .map(Reply::BomPreview)
                .map_err(|e| bom_failed(&build.build_number, &e))
        }
        Request::CreateOrder { token, order } => create_order(ctx, &token, *order)
            .await
            .map(Reply::OrderCreated),
        Request::SaveDraft { token, draft } => {
            save_draft(ctx, &token, &draft).await.map(|()| Reply::Done)
        }
        Request::DiscardDraft { token } => discard_draft(ctx, &token).await.map(|()| Reply::Done),
        Request::ListOrders { token, query } => {
            list_orders(ctx, &token, &query).await.map(Reply::Orders)
        }
        Request::OrderDetail { token, order_id } => order_detail(ctx, &token, order_id)
            .await
            .map(|d| Reply::Order(Box::new(d))),
        Request::Transition {
            token,
            order_id,
            from,
            to,
            note,
            override_reason,
        } => transition(
            ctx,
            &token,
            TransitionRequest {
                order_id,
                from,
                to,
                note,
                override_reason,
            },
        )
        .await
        .map(Reply::OrderUpdated),
        Request::Assign {
            token,
            order_id,
            expected,
            assignee,
        } => assign(ctx, &token, order_id, expected, assignee)
            .await
            .map(Reply::OrderUpdated),
        Request::UsersWithRole { token, role } => {
            let who = authenticate(ctx, &token).await?;
            require_assigner(&who)?;
            let client = ctx.pool.get().await?;
            orders::active_users_with_role(&client, role)
                .await
                .map(Reply::Users)
        }
        Request::UpdateBuild {
            token,
            order_id,
            build,
        } => update_build(ctx, &token, order_id, *build)
            .await
            .map(Reply::OrderUpdated),
        Request::ApproveBom {
            token,
            order_id,
            version,
        } => approve_bom(ctx, &token, order_id, version)
            .await
            .map(Reply::OrderUpdated),
        Request::RegenerateBom { token, order_id } => regenerate_bom(ctx, &token, order_id)
            .await
            .map(Reply::OrderUpdated),
        other => Err(DbError::Query(format!("not an order request: {other:?}"))),
    }
}

// ------------------------------------------------------------------------------------------------
// Role checks
// ------------------------------------------------------------------------------------------------

fn is_coordinating(role: Role) -> bool {
    matches!(role, Role::ProductionCoordinator | Role::Admin)
}

/// The wizard and everything it calls (workflow.md section 5).
fn require_creator(who: &Authed) -> Result<(), DbError> {
    if is_coordinating(who.user.role) {
        Ok(())
    } else {
        Err(refuse(who, "create orders"))
    }
}

fn require_editor(who: &Authed) -> Result<(), DbError> {
    if is_coordinating(who.user.role) {
        Ok(())
    } else {
        Err(refuse(who, "change a build's configuration"))
    }
}

fn require_assigner(who: &Authed) -> Result<(), DbError> {
    if lifecycle::may_assign(who.user.role) {
        Ok(())
    } else {
        Err(refuse(who, "assign orders"))
    }
}

// ------------------------------------------------------------------------------------------------
// Wizard
// ------------------------------------------------------------------------------------------------

async fn wizard_context(ctx: &ServiceCtx, token: &str) -> Result<WizardContext, DbError> {
    let who = authenticate(ctx, token).await?;
    require_creator(&who)?;
    let client = ctx.pool.get().await?;
    Ok(WizardContext {
        today: orders::today(&client).await?,
        accessories: db_bom::accessories(&client).await?,
        draft: orders::load_draft(&client, who.user.id).await?,
    })
}

async fn check_numbers(
    ctx: &ServiceCtx,
    token: &str,
    po_number: &str,
    build_numbers: &[String],
) -> Result<NumberCheck, DbError> {
    let who = authenticate(ctx, token).await?;
    require_creator(&who)?;
    let client = ctx.pool.get().await?;
    let po = po_number.trim();
    let builds: Vec<String> = build_numbers
        .iter()
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty())
        .collect();
    Ok(NumberCheck {
        po_taken: if po.is_empty() {
            None
        } else {
            orders::po_number_taken(&client, po).await?
        },
        builds_taken: orders::build_numbers_taken(&client, &builds).await?,
    })
}

async fn save_draft(
    ctx: &ServiceCtx,
    token: &str,
    draft: &serde_json::Value,
) -> Result<(), DbError> {
    let who = authenticate(ctx, token).await?;
    require_creator(&who)?;
    let size = serde_json::to_vec(draft)
        .map_err(|e| DbError::Invalid(e.to_string()))?
        .len();
    if size > MAX_DRAFT_BYTES {
        return Err(DbError::Invalid(DRAFT_TOO_LARGE.into()));
    }
    draft_text(draft).map_err(DbError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    orders::save_draft(&tx, who.user.id, draft).await?;
    tx.commit().await?;
    Ok(())
}

async fn discard_draft(ctx: &ServiceCtx, token: &str) -> Result<(), DbError> {
    let who = authenticate(ctx, token).await?;
    require_creator(&who)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    orders::delete_draft(&tx, who.user.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Every text of a wizard draft (each field is one line in the wizard), keys included: the draft is
/// stored and shown again.
fn draft_text(value: &serde_json::Value) -> Result<(), String> {
    use serde_json::Value;
    let check = |s: &str| crate::text::check_text("Wizard draft", s, false);
    match value {
        Value::String(s) => check(s),
        Value::Array(items) => items.iter().try_for_each(draft_text),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            check(k)?;
            draft_text(v)
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

/// Stored text is trimmed; an empty optional text is no text.
fn normalized(mut order: NewOrder) -> NewOrder {
    fn opt(s: Option<String>) -> Option<String> {
        s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    }
    let h = &mut order.header;
    h.po_number = h.po_number.trim().to_string();
    h.customer_name = h.customer_name.trim().to_string();
    h.sales_person = h.sales_person.trim().to_string();
    h.project_name = opt(h.project_name.take());
    h.notes = opt(h.notes.take());
    for b in &mut order.builds {
        b.build_number = b.build_number.trim().to_string();
    }
    order
}

/// The messages of broken rules, one per line: `Build <B>: ` before a build's, repeats left out.
pub fn field_errors_text(errors: &[FieldError]) -> String {
    let mut lines: Vec<String> = Vec::with_capacity(errors.len());
    for e in errors {
        let line = match &e.build {
            Some(b) => format!("Build {b}: {}", e.message),
            None => e.message.clone(),
        };
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines.join("\n")
}

fn bom_failed(build_number: &str, e: &BomError) -> DbError {
    DbError::Invalid(format!(
        "Build {build_number}: BOM cannot be generated: {}",
        e.reason()
    ))
}

/// An attachment as read from this station's disk.
struct LoadedFile {
    /// The path's file name.
    name: String,
    content_type: &'static str,
    size: u64,
    /// Empty when only checked.
    content: Vec<u8>,
}

/// Checks one attachment path (workflow.md 5.1) and, with `read`, reads it. The size is checked
/// before reading and the read is capped, so no more than 10 MB is ever held.
async fn read_attachment(path: String, read: bool) -> Result<LoadedFile, DbError> {
    tokio::task::spawn_blocking(move || read_attachment_blocking(&path, read))
        .await
        .map_err(|e| DbError::Query(format!("attachment read failed: {e}")))?
        .map_err(DbError::Invalid)
}

fn read_attachment_blocking(path: &str, read: bool) -> Result<LoadedFile, String> {
    use std::io::Read;
    let name = order_rules::attachment_name(path);
    let content_type = order_rules::attachment_content_type(&name)?;
    let unreadable = || order_rules::cannot_read_file(path);
    let file = std::fs::File::open(path.trim()).map_err(|_| unreadable())?;
    let meta = file.metadata().map_err(|_| unreadable())?;
    if !meta.is_file() {
        return Err(unreadable());
    }
    let too_large = || order_rules::attachment_too_large(&name);
    if meta.len() > order_rules::MAX_ATTACHMENT_BYTES {
        return Err(too_large());
    }
    let mut content = Vec::new();
    if read {
        // The file may have grown since the metadata was read.
        file.take(order_rules::MAX_ATTACHMENT_BYTES + 1)
            .read_to_end(&mut content)
            .map_err(|_| unreadable())?;
        if content.len() as u64 > order_rules::MAX_ATTACHMENT_BYTES {
            return Err(too_large());
        }
    }
    let size = if read {
        content.len() as u64
    } else {
        meta.len()
    };
    Ok(LoadedFile {
        name,
        content_type,
        size,
        content,
    })
}

/// Reads every attachment of an order; all their messages, one per line, when any is refused.
async fn read_attachments(specs: &[AttachmentSpec]) -> Result<Vec<LoadedFile>, DbError> {
    let mut files = Vec::with_capacity(specs.len());
    let mut failures: Vec<String> = Vec::new();
    for a in specs {
        match read_attachment(a.path.clone(), true).await {
            Ok(f) => files.push(f),
            Err(DbError::Invalid(m)) => failures.push(m),
            Err(e) => return Err(e),
        }
    }
    if failures.is_empty() {
        Ok(files)
    } else {
        Err(DbError::Invalid(failures.join("\n")))
    }
}

/// Creates every build of a PO in one transaction (workflow.md 5.5).
async fn create_order(
    ctx: &ServiceCtx,
    token: &str,
    order: NewOrder,
) -> Result<CreatedOrder, DbError> {
    let who = authenticate(ctx, token).await?;
    require_creator(&who)?;
    let order = normalized(order);
    let header = &order.header;

    // Rules and BOMs first: both are pure, so a refusal costs no transaction.
    let index = {
        let client = ctx.pool.get().await?;
        let today = orders::today(&client).await?;
        let errors = order_rules::validate_order(&order, today);
        if !errors.is_empty() {
            return Err(DbError::Invalid(field_errors_text(&errors)));
        }
        db_bom::load_catalog_index(&client).await?
    };
    let mut boms: Vec<GeneratedBom> = Vec::with_capacity(order.builds.len());
    let mut failures = Vec::new();
    for b in &order.builds {
        match generate(header.order_language, b, &index) {
            Ok(bom) => boms.push(bom),
            Err(e) => failures.push(bom_failed(&b.build_number, &e).to_string()),
        }
    }
    if !failures.is_empty() {
        return Err(DbError::Invalid(failures.join("\n")));
    }
    let files = read_attachments(&order.attachments).await?;

    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    orders::lock_po_number(&tx, &header.po_number).await?;
    // Re-checked with the transaction's own date and the numbers as committed now.
    let today = orders::today(&tx).await?;
    let late: Vec<FieldError> = order_rules::validate_header(header, today)
        .into_iter()
        .filter(|e| e.field == "wantDate")
        .collect();
    if !late.is_empty() {
        return Err(DbError::Invalid(field_errors_text(&late)));
    }
    if orders::po_number_taken(&tx, &header.po_number)
        .await?
        .is_some()
    {
        return Err(DbError::Invalid(order_rules::po_number_exists(
            &header.po_number,
        )));
    }
    let numbers: Vec<String> = order
        .builds
        .iter()
        .map(|b| b.build_number.clone())
        .collect();
    let taken = orders::build_numbers_taken(&tx, &numbers).await?;
    if !taken.is_empty() {
        let lines: Vec<String> = taken
            .iter()
            .map(|(b, po)| order_rules::build_number_exists(b, po))
            .collect();
        return Err(DbError::Invalid(lines.join("\n")));
    }

    let n = order.builds.len();
    let mut created = Vec::with_capacity(n);
    for (i, (build, bom)) in order.builds.iter().zip(&boms).enumerate() {
        let Some(id) = orders::insert_build(&tx, header, build).await? else {
            // Another station committed this number after the check above.
            let po = orders::po_of_build(&tx, &build.build_number)
                .await?
                .unwrap_or_default();
            return Err(DbError::Invalid(order_rules::build_number_exists(
                &build.build_number,
                &po,
            )));
        };
        orders::insert_config_rows(&tx, id, build).await?;
        db_bom::write_version(&tx, id, bom, who.user.id).await?;
        let notes = format!("PO {}: build {} of {n}", header.po_number, i + 1);
        orders::insert_history(
            &tx,
            &NewHistory {
                order_id: id,
                user_id: who.user.id,
                action: "ORDER_CREATED",
                old_status: None,
                new_status: OrderStatus::OrderCreated,
                notes: Some(&notes),
            },
        )
        .await?;
        created.push((id, build.build_number.clone()));
    }
    // One document per file, linked to every build of the PO.
    for (spec, file) in order.attachments.iter().zip(&files) {
        let sha256 = format!("{:x}", sha2::Sha256::digest(&file.content));
        let file_name = order_rules::sanitized_file_name(&file.name);
        let document_id = orders::insert_document(
            &tx,
            &orders::NewDocument {
                file_name: &file_name,
                original_name: &file.name,
                content_type: file.content_type,
                content: &file.content,
                sha256: &sha256,
                uploaded_by: who.user.id,
            },
        )
        .await?;
        for (order_id, _) in &created {
            orders::link_document(&tx, *order_id, document_id, spec.document_type).await?;
        }
    }
    orders::delete_draft(&tx, who.user.id).await?;
    tx.commit().await?;
    tracing::info!(po = %header.po_number, builds = n, by = %who.user.id, "order created");
    Ok(CreatedOrder {
        po_number: header.po_number.clone(),
        builds: created,
    })
}

// ------------------------------------------------------------------------------------------------
// Queue and detail
// ------------------------------------------------------------------------------------------------

/// (statuses, only-mine-or-unassigned) of a role's own work queue (section 1 and `QueueView::MyWork`).
fn my_work(who: &Authed) -> (Option<Vec<OrderStatus>>, Option<Uuid>) {
    use OrderStatus as S;
    match who.user.role {
        Role::ProcurementSpecialist => (Some(vec![S::OrderCreated, S::PartsSent]), None),
        Role::QcPerson => (Some(vec![S::ReadyForPreQc, S::ReadyForFinalQc]), None),
        Role::Assembler => (
            Some(vec![
                S::ReadyForProduction,
                S::TestingComplete,
                S::PackagingComplete,
            ]),
            Some(who.user.id),
        ),
        Role::ProductionCoordinator | Role::Admin | Role::ServiceDepartment => (None, None),
    }
}

async fn list_orders(
    ctx: &ServiceCtx,
    token: &str,
    query: &OrderQuery,
) -> Result<OrderPage, DbError> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let (statuses, mine_or_free) = match query.view {
        QueueView::MyWork => my_work(&who),
        QueueView::All => (None, None),
    };
    let after = match &query.after {
        None => None,
        Some(text) => {
            let c = Cursor::decode(text)
                .filter(|c| c.sort == query.sort && c.descending == query.descending)
                .ok_or_else(|| DbError::Invalid(STALE_CURSOR.into()))?;
            Some(c)
        }
    };
    let search = query.search.trim();
    let filter = QueueFilter {
        statuses,
        mine_or_free,
        status: query.status,
        search: (!search.is_empty()).then(|| search.to_string()),
        due: query.due,
        sort: query.sort,
        descending: query.descending,
        after,
        limit: query.limit,
    };
    let client = ctx.pool.get().await?;
    orders::queue(&client, &filter).await
}

async fn order_detail(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
) -> Result<OrderDetail, DbError> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let client = ctx.pool.get().await?;
    let rec = orders::load(&client, order_id)
        .await?
        .ok_or_else(order_not_found)?;
    let bom = db_bom::summary(&client, order_id).await?;
    let floor = super::floor_progress::load(&client, order_id).await?;
    let history = orders::history(&client, order_id).await?;
    let actions = lifecycle::detail_actions(
        who.user.role,
        who.user.id,
        rec.status,
        rec.assignee.as_ref().map(|(id, _)| *id),
        bom.as_ref().is_some_and(|b| b.status == "DRAFT"),
    );
    Ok(OrderDetail {
        id: rec.id,
        header: rec.header,
        build: rec.build,
        status: rec.status,
        assignee: rec.assignee,
        bom,
        floor,
        history,
        actions,
        created_at: rec.created_at,
        updated_at: rec.updated_at,
    })
}

async fn updated_row(client: &impl GenericClient, id: Uuid) -> Result<OrderRow, DbError> {
    orders::row_by_id(client, id)
        .await?
        .ok_or_else(order_not_found)
}

// ------------------------------------------------------------------------------------------------
// Transitions
// ------------------------------------------------------------------------------------------------

/// The fields of `Request::Transition` after the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRequest {
    pub order_id: Uuid,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub note: Option<String>,
    pub override_reason: Option<String>,
}

/// Performs one of T1-T10 (workflow.md 2.3), normally or as an ADMIN override (2.5).
async fn transition(
    ctx: &ServiceCtx,
    token: &str,
    req: TransitionRequest,
) -> Result<OrderRow, DbError> {
    let who = authenticate(ctx, token).await?;
    let (from, to) = (req.from, req.to);
    let t = lifecycle::check_transition(who.user.role, from, to, req.override_reason.is_some())
        .map_err(|m| {
            if from == OrderStatus::Shipped
                || lifecycle::find(from, to).is_none()
                || m == lifecycle::OVERRIDE_REASON_REQUIRED
            {
                DbError::Invalid(m)
            } else {
                DbError::Forbidden(m)
            }
        })?;
    let reason = req
        .override_reason
        .as_deref()
        .map(lifecycle::override_reason)
        .transpose()
        .map_err(DbError::Invalid)?;
    let note = if to == OrderStatus::Shipped {
        lifecycle::shipping_notes(req.note.as_deref())
    } else {
        lifecycle::transition_note(req.note.as_deref())
    }
    .map_err(DbError::Invalid)?;

    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_order(&tx, req.order_id).await?;
    if locked.status != from {
        return Err(moved_on(&tx, &locked).await?);
    }
    if reason.is_none() {
        check_acting(&who, &locked)?;
        check_precondition(&tx, t, &locked).await?;
    }
    let mut notes: Vec<String> = Vec::new();
    if let Some(r) = &reason {
        notes.push(lifecycle::override_notes(from, to, r));
    }
    notes.extend(note);
    let action = if reason.is_some() {
        lifecycle::OVERRIDE_ACTION
    } else {
        t.action
    };
    move_status(&tx, &who, &locked, t, action, reason.as_deref(), notes).await?;
    if let Some(r) = &reason {
        orders::insert_override_audit(&tx, locked.id, from, to, r).await?;
        // A normal T4/T9 notifies from the QC submission; an override along those paths does it here.
        if let Some(gate) = t.qc_gate().filter(|g| g.is_failure()) {
            notify_qc_failure(&tx, &locked, gate, r).await?;
        }
    }
    tx.commit().await?;
    tracing::info!(order = %locked.id, %from, %to, overridden = reason.is_some(), "status changed");
    updated_row(&client, locked.id).await
}

/// The precondition of a normal move, against the locked row (2.2).
async fn check_precondition(
    tx: &Transaction<'_>,
    t: &Transition,
    order: &LockedOrder,
) -> Result<(), DbError> {
    match t.precondition {
        Precondition::None => Ok(()),
        Precondition::BomApproved => {
            let state = match order.bom_id {
                Some(id) => orders::bom_state(tx, id).await?,
                None => None,
            };
            match state {
                Some((_, status)) if status == "APPROVED" => Ok(()),
                Some((version, _)) => Err(DbError::Invalid(format!(
                    "Approve the current BOM (version {version}) first"
                ))),
                None => Err(DbError::Invalid(
                    "This build has no BOM; generate and approve one first".into(),
                )),
            }
        }
        Precondition::TasksAndTesting => {
            let open = orders::open_task_count(tx, order.id).await?;
            if open > 0 {
                return Err(DbError::Invalid(format!("{open} task(s) still open")));
            }
            let round = orders::entered_at(tx, order.id, OrderStatus::ReadyForProduction).await?;
            if orders::latest_testing_passed(tx, order.id, round).await? == Some(true) {
                Ok(())
            } else {
                Err(DbError::Invalid(
                    "No passed testing form in this round".into(),
                ))
            }
        }
        Precondition::PackagingComplete => {
            let since = orders::entered_at(tx, order.id, OrderStatus::TestingComplete).await?;
            match orders::packaging_open_items(tx, order.id, since).await? {
                None => Ok(()),
                Some(Some(n)) => Err(DbError::Invalid(format!(
                    "Packaging incomplete: {n} item(s) not packed"
                ))),
                Some(None) => Err(DbError::Invalid(
                    "Packaging incomplete: no packaging checklist in this round".into(),
                )),
            }
        }
        // check_transition refuses these without an override; never reached.
        Precondition::Qc(_) => Err(DbError::Forbidden(format!(
            "{} to {} happens only by submitting the QC result",
            t.from, t.to
        ))),
    }
}

// ------------------------------------------------------------------------------------------------
// Assignment
// ------------------------------------------------------------------------------------------------

/// Assigns or unassigns a build in its expected status (2.6).
async fn assign(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    expected: OrderStatus,
    assignee: Option<Uuid>,
) -> Result<OrderRow, DbError> {
    let who = authenticate(ctx, token).await?;
    require_assigner(&who)?;
    lifecycle::check_assignment(who.user.role, expected, None).map_err(DbError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let candidate: Option<UserSummary> = match assignee {
        Some(id) => Some(
            users::find_by_id(&tx, id)
                .await?
                .ok_or_else(|| DbError::NotFound("User".into()))?,
        ),
        None => None,
    };
    lifecycle::check_assignment(
        who.user.role,
        expected,
        candidate.as_ref().map(|u| Candidate {
            full_name: &u.full_name,
            role: u.role,
            is_active: u.is_active,
        }),
    )
    .map_err(DbError::Invalid)?;
    let locked = lock_order(&tx, order_id).await?;
    if locked.status != expected {
        return Err(moved_on(&tx, &locked).await?);
    }
    let before = locked.assignee.as_ref().map(|(id, _, _)| *id);
    if before == assignee {
        // Nothing changes, so nothing is recorded.
        drop(tx);
        return updated_row(&client, order_id).await;
    }
    if !orders::set_assignee(&tx, order_id, expected, assignee).await? {
        return Err(moved_on(&tx, &locked).await?);
    }
    let (action, notes) = match (&candidate, &locked.assignee) {
        (Some(u), _) => ("ASSIGNED", Some(format!("to {}", u.full_name))),
        (None, Some((_, name, _))) => ("UNASSIGNED", Some(format!("from {name}"))),
        (None, None) => ("UNASSIGNED", None),
    };
    orders::insert_history(
        &tx,
        &NewHistory {
            order_id,
            user_id: who.user.id,
            action,
            old_status: Some(expected),
            new_status: expected,
            notes: notes.as_deref(),
        },
    )
    .await?;
    if let Some(u) = &candidate {
        let message = format!(
            "{}-{} ({expected}) was assigned to you by {}",
            locked.po_number, locked.build_number, who.user.full_name
        );
        let id = order_id.to_string();
        notifications::enqueue(
            &tx,
            u.id,
            &NewNotification {
                title: "Order assigned to you",
                message: &message,
                kind: "TASK_ASSIGNMENT",
                related_entity_type: Some(PRODUCTION_ORDER),
                related_entity_id: Some(&id),
            },
        )
        .await?;
    }
    tx.commit().await?;
    updated_row(&client, order_id).await
}

// ------------------------------------------------------------------------------------------------
// Editing a build (section 7)
// ------------------------------------------------------------------------------------------------

fn opt_code<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "none".to_string(), ToString::to_string)
}

/// The changed fields between two configurations of one build, for the CONFIG_UPDATED notes:
/// `sinkLength 60 -> 72` for a column, the row group's name for basins, faucets, sprayers, accessories.
pub fn config_changes(old: &BuildConfig, new: &BuildConfig) -> Vec<String> {
    // Each column named once, read the same way from both sides.
    type Column = (&'static str, fn(&BuildConfig) -> String);
    const COLUMNS: [Column; 14] = [
        ("sinkFamily", |b| b.sink_family.to_string()),
        ("sinkModel", |b| b.sink_model.clone()),
        ("sinkWidth", |b| b.sink_width.to_string()),
        ("sinkLength", |b| b.sink_length.to_string()),
        ("legsType", |b| b.legs_type.to_string()),
        ("legsModel", |b| b.legs_model.clone()),
        ("feetType", |b| b.feet_type.to_string()),
        ("workflowDirection", |b| b.workflow_direction.to_string()),
        ("hasPegboard", |b| b.has_pegboard.to_string()),
        ("pegboardColor", |b| opt_code(&b.pegboard_color)),
        ("pegboardType", |b| opt_code(&b.pegboard_type)),
        ("pegboardSizeType", |b| opt_code(&b.pegboard_size_type)),
        ("pegboardWidth", |b| opt_code(&b.pegboard_width)),
        ("pegboardLength", |b| opt_code(&b.pegboard_length)),
    ];
    let mut out: Vec<String> = COLUMNS
        .iter()
        .filter_map(|(name, read)| {
            let (a, b) = (read(old), read(new));
            (a != b).then(|| format!("{name} {a} -> {b}"))
        })
        .collect();
    if old.basins != new.basins {
        out.push("basins".into());
    }
    if old.faucets != new.faucets {
        out.push("faucets".into());
    }
    if old.sprayers != new.sprayers {
        out.push("sprayers".into());
    }
    let sorted = |b: &BuildConfig| {
        let mut a = b.accessories.clone();
        a.sort_by(|x, y| x.assembly_id.cmp(&y.assembly_id));
        a
    };
    if sorted(old) != sorted(new) {
        out.push("accessories".into());
    }
    out
}

/// Replaces a build's configuration while it is ORDER_CREATED and regenerates its BOM (section 7).
async fn update_build(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    mut build: BuildConfig,
) -> Result<OrderRow, DbError> {
    let who = authenticate(ctx, token).await?;
    require_editor(&who)?;
    build.build_number = build.build_number.trim().to_string();
    let errors = order_rules::validate_build(&build);
    if !errors.is_empty() {
        return Err(DbError::Invalid(field_errors_text(&errors)));
    }
    let index = {
        let client = ctx.pool.get().await?;
        db_bom::load_catalog_index(&client).await?
    };
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_order(&tx, order_id).await?;
    let not_editable = |status: OrderStatus| {
        DbError::Conflict(format!(
            "Build {} is now {status}; its configuration can no longer be changed",
            locked.build_number
        ))
    };
    if locked.status != OrderStatus::OrderCreated {
        return Err(not_editable(locked.status));
    }
    if !build
        .build_number
        .eq_ignore_ascii_case(&locked.build_number)
    {
        return Err(DbError::Invalid(BUILD_NUMBER_FIXED.into()));
    }
    build.build_number = locked.build_number.clone();
    let mut old = orders::load(&tx, order_id)
        .await?
        .ok_or_else(order_not_found)?
        .build;
    old.build_number = build.build_number.clone();
    let changes = config_changes(&old, &build);
    if changes.is_empty() {
        drop(tx);
        return updated_row(&client, order_id).await;
    }
    let bom = generate(locked.language, &build, &index)
        .map_err(|e| bom_failed(&build.build_number, &e))?;
    if !orders::update_build_config(&tx, order_id, &build).await? {
        let now = orders::current_status(&tx, order_id)
            .await?
            .map_or(locked.status, |(_, s)| s);
        return Err(not_editable(now));
    }
    orders::replace_config_rows(&tx, order_id, &build).await?;
    let (_, version) = db_bom::write_version(&tx, order_id, &bom, who.user.id).await?;
    let notes = format!("Changed: {}; BOM version {version}", changes.join(", "));
    orders::insert_history(
        &tx,
        &NewHistory {
            order_id,
            user_id: who.user.id,
            action: "CONFIG_UPDATED",
            old_status: Some(OrderStatus::OrderCreated),
            new_status: OrderStatus::OrderCreated,
            notes: Some(&notes),
        },
    )
    .await?;
    tx.commit().await?;
    updated_row(&client, order_id).await
}

// ------------------------------------------------------------------------------------------------
// BOM approval and regeneration (bom-rules R13)
// ------------------------------------------------------------------------------------------------

/// Locks the build and checks what approval and regeneration share: ORDER_CREATED (2.8) and the
/// acting rule (D2, ADMIN exempt).
async fn lock_for_bom(
    tx: &Transaction<'_>,
    who: &Authed,
    order_id: Uuid,
) -> Result<LockedOrder, DbError> {
    let locked = lock_order(tx, order_id).await?;
    if locked.status != OrderStatus::OrderCreated {
        return Err(DbError::Conflict(format!(
            "Build {} is now {}; its BOM can no longer be changed",
            locked.build_number, locked.status
        )));
    }
    check_acting_unless_admin(who, &locked)?;
    Ok(locked)
}

/// Approves the build's current BOM, which must still be the DRAFT `version` the user saw.
async fn approve_bom(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    version: i32,
) -> Result<OrderRow, DbError> {
    let who = authenticate(ctx, token).await?;
    if !lifecycle::may_approve_bom(who.user.role) {
        return Err(refuse(&who, "approve BOMs"));
    }
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_for_bom(&tx, &who, order_id).await?;
    let Some(bom_id) = locked.bom_id else {
        return Err(DbError::Invalid(
            "This build has no BOM; regenerate it first".into(),
        ));
    };
    let (current, status) = orders::bom_state(&tx, bom_id)
        .await?
        .ok_or_else(|| DbError::NotFound("BOM".into()))?;
    if current != version {
        return Err(DbError::Conflict(format!(
            "BOM version {version} is no longer current (now {current}); your approval was not saved"
        )));
    }
    if status != "DRAFT" {
        return Err(DbError::Conflict(format!(
            "BOM version {version} is already {status}"
        )));
    }
    // The order row lock serialises BOM changes; the condition is the last guard of R13's allowed moves.
    if !db_bom::approve(&tx, bom_id).await? {
        return Err(DbError::Conflict(format!(
            "BOM version {version} is no longer DRAFT; your approval was not saved"
        )));
    }
    let notes = format!("version {version}");
    orders::insert_history(
        &tx,
        &NewHistory {
            order_id,
            user_id: who.user.id,
            action: "BOM_APPROVED",
            old_status: Some(OrderStatus::OrderCreated),
            new_status: OrderStatus::OrderCreated,
            notes: Some(&notes),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(order = %order_id, version, by = %who.user.id, "BOM approved");
    updated_row(&client, order_id).await
}

/// Generates a new DRAFT BOM version from the stored configuration; the previous one is superseded,
/// so an approved BOM needs approving again.
async fn regenerate_bom(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
) -> Result<OrderRow, DbError> {
    let who = authenticate(ctx, token).await?;
    if !lifecycle::may_regenerate_bom(who.user.role) {
        return Err(refuse(&who, "regenerate BOMs"));
    }
    let index = {
        let client = ctx.pool.get().await?;
        db_bom::load_catalog_index(&client).await?
    };
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_for_bom(&tx, &who, order_id).await?;
    let mut build = orders::load(&tx, order_id)
        .await?
        .ok_or_else(order_not_found)?
        .build;
    build.build_number = locked.build_number.clone();
    let bom = generate(locked.language, &build, &index)
        .map_err(|e| bom_failed(&locked.build_number, &e))?;
    let (_, version) = db_bom::write_version(&tx, order_id, &bom, who.user.id).await?;
    let notes = format!("version {version}");
    orders::insert_history(
        &tx,
        &NewHistory {
            order_id,
            user_id: who.user.id,
            action: "BOM_REGENERATED",
            old_status: Some(OrderStatus::OrderCreated),
            new_status: OrderStatus::OrderCreated,
            notes: Some(&notes),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(order = %order_id, version, by = %who.user.id, "BOM regenerated");
    updated_row(&client, order_id).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::order::{AccessoryLine, BasinConfig, BasinType, FeetType, LegsType};

    #[test]
    fn a_draft_holds_no_forbidden_text() {
        let ok = serde_json::json!({"po_number": "PO-1", "builds": [{"n": 1, "x": null}]});
        assert_eq!(draft_text(&ok), Ok(()));
        let deep = serde_json::json!({"builds": [{"accessories": ["A", "B\u{202E}"]}]});
        assert_eq!(
            draft_text(&deep),
            Err("Wizard draft: contains the direction-changing character U+202E; remove it".into())
        );
        let key = serde_json::json!({"k\u{1b}": 1});
        assert!(draft_text(&key).is_err());
    }

    fn build() -> BuildConfig {
        BuildConfig {
            basins: vec![BasinConfig {
                basin_index: 1,
                basin_type: BasinType::EDrain,
                basin_width: 20,
                basin_length: 20,
                basin_depth: 8,
                is_custom_size: false,
                has_p_trap_drain: false,
                has_basin_light: false,
            }],
            accessories: vec![
                AccessoryLine {
                    assembly_id: "A".into(),
                    quantity: 1,
                },
                AccessoryLine {
                    assembly_id: "B".into(),
                    quantity: 2,
                },
            ],
            ..BuildConfig::new(
                "B-1",
                "T2-B1",
                (30, 60),
                LegsType::FixedHeight,
                "DL14",
                FeetType::SsAdjustableSeismicFeet,
            )
        }
    }

    #[test]
    fn config_changes_name_each_changed_field() {
        let old = build();
        assert!(config_changes(&old, &old).is_empty());
        let mut new = old.clone();
        new.sink_length = 72;
        new.legs_model = "DL27".into();
        new.basins[0].has_p_trap_drain = true;
        new.accessories.reverse();
        assert_eq!(
            config_changes(&old, &new),
            ["sinkLength 60 -> 72", "legsModel DL14 -> DL27", "basins"]
        );
        new.accessories[0].quantity = 5;
        assert_eq!(
            config_changes(&old, &new).last().map(String::as_str),
            Some("accessories")
        );
    }

    #[test]
    fn field_errors_are_prefixed_and_deduplicated() {
        let e = |build: Option<&str>, message: &str| FieldError {
            build: build.map(str::to_string),
            field: "f".into(),
            message: message.into(),
        };
        let text = field_errors_text(&[
            e(None, "PO number is required"),
            e(Some("B-1"), "Build number B-1 is entered more than once"),
            e(Some("B-1"), "Build number B-1 is entered more than once"),
            e(Some("B-2"), "Select a sink model"),
        ]);
        assert_eq!(
            text,
            "PO number is required\nBuild B-1: Build number B-1 is entered more than once\nBuild B-2: Select a sink model"
        );
    }
}
