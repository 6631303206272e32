//! `cleanstation order import|list|show`: the order screens' use cases after a login as a named user.

use super::session::CliSession;
use super::table::RowWriter;
use super::{CliError, to_json};
use crate::config::Config;
use crate::db;
use crate::domain::Role;
use crate::error::ServiceError;
use std::path::Path;

/// `poNumber: message` or `Build B-1, sinkLength: message`.
fn field_error_line(e: &crate::domain::order_rules::FieldError) -> String {
    match &e.build {
        Some(b) => format!("Build {b}, {}: {}", e.field, e.message),
        None => format!("{}: {}", e.field, e.message),
    }
}

/// Why an order document cannot be previewed as a whole, or `None`.
pub(crate) fn empty_order(order: &crate::domain::order::NewOrder) -> Option<String> {
    order
        .builds
        .is_empty()
        .then(|| "invalid configuration: the order document has no builds".to_string())
}

/// One line per rule of the wizard that `build` breaks; empty when it is valid. The headless previews
/// report every problem of every build together, in build order, and then print nothing.
pub(crate) fn build_problems(build: &crate::domain::order::BuildConfig) -> Vec<String> {
    let number = build.build_number.trim();
    crate::domain::order_rules::validate_build(build)
        .iter()
        .map(|e| {
            format!(
                "Build {number}: invalid configuration: {}: {}",
                e.field, e.message
            )
        })
        .collect()
}

/// Parses an `order import` file (the schema's field names; unknown keys are refused).
pub fn read_order_file(file: &Path) -> Result<crate::domain::order::NewOrder, CliError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::Refused(format!("Cannot read file {}: {e}", file.display())))?;
    let doc: crate::domain::order::OrderDocument = serde_json::from_str(&text)
        .map_err(|e| CliError::Refused(format!("{}: {e}", file.display())))?;
    Ok(doc.into())
}

/// `cleanstation order import FILE --as USERNAME`: creates the PO through the wizard's own use-case.
pub async fn order_import(
    config: &Config,
    file: &Path,
    username: &str,
) -> Result<String, CliError> {
    let order = read_order_file(file)?;
    let session = CliSession::open(config, username, "order import").await?;
    let outcome = import_as(&session, order).await;
    session.finish(outcome).await
}

async fn import_as(
    session: &CliSession,
    order: crate::domain::order::NewOrder,
) -> Result<String, CliError> {
    // Field-level errors first, naming build and field; the service checks everything again.
    if matches!(session.user.role, Role::ProductionCoordinator | Role::Admin) {
        let today = {
            let client = session.ctx.pool.get().await.map_err(ServiceError::from)?;
            db::orders::today(&client).await?
        };
        let errors = crate::domain::order_rules::validate_order(&order, today);
        if !errors.is_empty() {
            let lines: Vec<String> = errors.iter().map(field_error_line).collect();
            return Err(CliError::Refused(lines.join("\n")));
        }
    }
    let reply = session
        .send(crate::msg::Request::CreateOrder {
            token: session.token.clone(),
            order: Box::new(order),
        })
        .await?;
    let crate::msg::Reply::OrderCreated(created) = reply else {
        return Err(CliError::Usage("unexpected reply to the order".into()));
    };
    let numbers: Vec<&str> = created.builds.iter().map(|(_, b)| b.as_str()).collect();
    Ok(format!(
        "Created PO {} with {} build(s): {}",
        created.po_number,
        numbers.len(),
        numbers.join(", ")
    ))
}

/// The queue's query for the command line: every status unless `status`, oldest want date first.
fn cli_query(
    status: Option<crate::domain::order::OrderStatus>,
    search: &str,
) -> crate::domain::order::OrderQuery {
    use crate::domain::order::{OrderQuery, QueueView};
    OrderQuery {
        view: QueueView::All,
        search: search.to_string(),
        status,
        limit: PAGE,
        ..OrderQuery::default()
    }
}

/// Rows per page of the command line's queue reads (the most the service hands out at once).
const PAGE: u32 = 500;

/// The page `query` asks for; `query` then asks for the next one, or is `None` after the last.
async fn next_page(
    session: &CliSession,
    query: &mut Option<crate::domain::order::OrderQuery>,
) -> Result<Vec<crate::domain::order::OrderRow>, CliError> {
    let Some(current) = query.take() else {
        return Ok(Vec::new());
    };
    let reply = session
        .send(crate::msg::Request::ListOrders {
            token: session.token.clone(),
            query: Box::new(current.clone()),
        })
        .await?;
    let crate::msg::Reply::Orders(page) = reply else {
        return Err(CliError::Usage("unexpected reply to the list".into()));
    };
    *query = page.next.map(|next| crate::domain::order::OrderQuery {
        after: Some(next),
        ..current
    });
    Ok(page.rows)
}

/// Every build of the queue matching `search`.
async fn all_rows(
    session: &CliSession,
    search: &str,
) -> Result<Vec<crate::domain::order::OrderRow>, CliError> {
    let mut query = Some(cli_query(None, search));
    let mut rows = Vec::new();
    while query.is_some() {
        rows.extend(next_page(session, &mut query).await?);
    }
    Ok(rows)
}

const LIST_HEADER: &[&str] = &[
    "PO", "BUILD", "CUSTOMER", "MODEL", "STATUS", "WANT", "DAYS", "ASSIGNEE",
];

fn list_cells(r: &crate::domain::order::OrderRow) -> Vec<String> {
    vec![
        r.po_number.clone(),
        r.build_number.clone(),
        r.customer_name.clone(),
        r.sink_model.clone(),
        r.status.code().to_string(),
        r.want_date.to_string(),
        r.days_left.to_string(),
        r.assignee.clone().unwrap_or_default(),
    ]
}

/// `cleanstation order list [--status S] [--limit N] [--json] --as USERNAME`: the queue written to
/// stdout page by page as the pages arrive, in constant memory (docs/performance.md §5.2); `limit`
/// stops after that many builds.
pub async fn order_list(
    config: &Config,
    username: &str,
    status: Option<&str>,
    limit: Option<u64>,
    json: bool,
) -> Result<String, CliError> {
    use crate::domain::order::OrderStatus;
    let status = match status {
        Some(s) => Some(OrderStatus::parse(s).ok_or_else(|| {
            CliError::Refused(format!(
                "Unknown status {s}; use one of: {}",
                OrderStatus::ALL
                    .iter()
                    .map(|s| s.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
        None => None,
    };
    let session = CliSession::open(config, username, "order list").await?;
    let out = RowWriter::new(std::io::stdout(), json, LIST_HEADER);
    let outcome = stream_rows(&session, cli_query(status, ""), limit, out).await;
    session.finish(outcome).await.map(|()| String::new())
}

/// Reads the queue page by page and writes each page before asking for the next; at most `limit`
/// rows. A reader that stops early (`| head`) ends the listing quietly.
async fn stream_rows(
    session: &CliSession,
    first: crate::domain::order::OrderQuery,
    limit: Option<u64>,
    mut out: RowWriter<impl std::io::Write>,
) -> Result<(), CliError> {
    let mut left = limit.unwrap_or(u64::MAX);
    let mut query = Some(first);
    while left > 0 {
        let Some(q) = query.as_mut() else { break };
        q.limit = u32::try_from(left).map_or(PAGE, |l| l.min(PAGE));
        let mut rows = next_page(session, &mut query).await?;
        rows.truncate(usize::try_from(left).unwrap_or(usize::MAX));
        left -= rows.len() as u64;
        if let Err(e) = out.page(&rows, list_cells) {
            return write_failed(e);
        }
    }
    out.finish("No builds.").or_else(write_failed)
}

/// A closed pipe is the reader's choice, not a failure; any other write error is.
fn write_failed(e: std::io::Error) -> Result<(), CliError> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Ok(());
    }
    Err(CliError::Usage(format!("cannot write the output: {e}")))
}

/// `cleanstation order show BUILD [--json] --as USERNAME`.
pub async fn order_show(
    config: &Config,
    username: &str,
    build: &str,
    json: bool,
) -> Result<String, CliError> {
    let session = CliSession::open(config, username, "order show").await?;
    let outcome = show_as(&session, build.trim()).await;
    let detail = session.finish(outcome).await?;
    if json {
        to_json(&detail)
    } else {
        Ok(describe_order(&detail))
    }
}

async fn show_as(
    session: &CliSession,
    build: &str,
) -> Result<crate::domain::order_view::OrderDetail, CliError> {
    // Found through the queue's search, so the role checks are the service's.
    let rows = all_rows(session, build).await?;
    let id = rows
        .iter()
        .find(|r| r.build_number.eq_ignore_ascii_case(build))
        .map(|r| r.id)
        .ok_or_else(|| CliError::Refused(format!("Build {build} not found")))?;
    let reply = session
        .send(crate::msg::Request::OrderDetail {
            token: session.token.clone(),
            order_id: id,
        })
        .await?;
    match reply {
        crate::msg::Reply::Order(d) => Ok(*d),
        _ => Err(CliError::Usage("unexpected reply to the order".into())),
    }
}

/// The order detail as text.
fn describe_order(d: &crate::domain::order_view::OrderDetail) -> String {
    let h = &d.header;
    let b = &d.build;
    let mut out = vec![
        format!(
            "Build {} (PO {})  {}  assignee: {}",
            b.build_number,
            h.po_number,
            d.status,
            d.assignee.as_ref().map_or("none", |(_, n)| n.as_str())
        ),
        format!(
            "Customer: {}  project: {}  sales: {}  want date: {}  language: {}",
            h.customer_name,
            h.project_name.as_deref().unwrap_or("-"),
            h.sales_person,
            h.want_date,
            h.order_language
        ),
        format!(
            "Sink: {} {} {}x{} in, {} {}, {}, {}",
            b.sink_family,
            b.sink_model,
            b.sink_width,
            b.sink_length,
            b.legs_type,
            b.legs_model,
            b.feet_type,
            b.workflow_direction
        ),
    ];
    if b.has_pegboard {
        out.push(format!(
            "Pegboard: {} {} {}{}",
            b.pegboard_color.map_or("-", |c| c.code()),
            b.pegboard_type.map_or("-", |t| t.code()),
            b.pegboard_size_type.map_or("-", |s| s.code()),
            match (b.pegboard_width, b.pegboard_length) {
                (Some(w), Some(l)) => format!(" {w}x{l} in"),
                _ => String::new(),
            }
        ));
    }
    for basin in &b.basins {
        let mut extras = Vec::new();
        if basin.is_custom_size {
            extras.push("custom");
        }
        if basin.has_p_trap_drain {
            extras.push("P-trap");
        }
        if basin.has_basin_light {
            extras.push("light");
        }
        out.push(format!(
            "Basin {}: {} {}x{}x{}{}",
            basin.basin_index,
            basin.basin_type,
            basin.basin_width,
            basin.basin_length,
            basin.basin_depth,
            if extras.is_empty() {
                String::new()
            } else {
                format!(" ({})", extras.join(", "))
            }
        ));
    }
    for f in &b.faucets {
        out.push(format!(
            "Faucet: {} x{} {}",
            f.faucet_type, f.quantity, f.placement
        ));
    }
    for s in &b.sprayers {
        out.push(format!(
            "Sprayer: {} x{} {}",
            s.sprayer_type, s.quantity, s.location
        ));
    }
    for a in &b.accessories {
        out.push(format!("Accessory: {} x{}", a.assembly_id, a.quantity));
    }
    if let Some(bom) = &d.bom {
        out.push(format!(
            "BOM: version {} {}, {} top-level line(s)",
            bom.version, bom.status, bom.top_level_lines
        ));
    }
    if let Some(floor) = &d.floor {
        for (label, text) in floor.lines() {
            out.push(format!("{label}: {text}"));
        }
    }
    for nc in &d.nonconformances {
        out.push(format!("Nonconformance: {} {}", nc.number, nc.brief()));
    }
    if let Some(notes) = &h.notes {
        out.push(format!("Notes: {notes}"));
    }
    out.push("History (newest first):".into());
    for e in &d.history {
        out.push(format!(
            "  {}  {}  {}  {} -> {}{}",
            crate::domain::clock::local_minute(e.timestamp),
            e.user,
            e.action,
            e.old_status.map_or("-", |s| s.code()),
            e.new_status,
            e.notes
                .as_deref()
                .map(|n| format!("  {n}"))
                .unwrap_or_default()
        ));
    }
    out.join("\n")
}
