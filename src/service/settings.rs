//! System settings (docs/settings.md §3): administrators list them and change one at a time, checked
//! against the registry here and by the database again.

use super::guard::require_role;
use super::{Authed, ServiceCtx, authenticate};
use crate::db::settings::{self as db_settings, SetOutcome, StoredSetting};
use crate::db::{Client, begin_as};
use crate::domain::Role;
use crate::domain::settings::{self, SETTINGS, SettingView, changed_meanwhile};
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};

/// Handles the settings requests (dispatched here from `service::dispatch`).
pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    match req {
        Request::Settings { token } => list(ctx, &token).await.map(Reply::Settings),
        Request::SetSetting {
            token,
            key,
            value,
            expected,
        } => set(ctx, &token, &key, &value, expected.as_deref())
            .await
            .map(Reply::Settings),
        other => Err(ServiceError::Query(format!(
            "not a settings request: {other:?}"
        ))),
    }
}

fn require_admin(who: &Authed, what: &str) -> Result<()> {
    require_role(who, &[Role::Admin], what)
}

/// Every registered setting with its stored row, in the registry's order.
async fn read_all(client: &impl Client) -> Result<Vec<SettingView>> {
    let keys: Vec<&str> = SETTINGS.iter().map(|d| d.key).collect();
    let mut stored = db_settings::read(client, &keys).await?;
    Ok(SETTINGS
        .iter()
        .map(|def| {
            let row: Option<StoredSetting> = stored
                .iter()
                .position(|s| s.key == def.key)
                .map(|i| stored.swap_remove(i));
            match row {
                Some(s) => SettingView {
                    def,
                    stored: Some(s.value),
                    editable: s.editable,
                    updated_by: s.updated_by,
                    updated_at: s.updated_at,
                },
                None => SettingView {
                    def,
                    stored: None,
                    editable: false,
                    updated_by: None,
                    updated_at: None,
                },
            }
        })
        .collect())
}

/// The settings with their values, defaults, ranges and last change (ADMIN).
pub async fn list(ctx: &ServiceCtx, token: &str) -> Result<Vec<SettingView>> {
    let who = authenticate(ctx, token).await?;
    require_admin(&who, "view the system settings")?;
    let client = ctx.pool.get().await?;
    read_all(&client).await
}

/// Sets one setting to the typed `value` (ADMIN), refused when it is out of range or when its stored
/// text is no longer `expected`, the one the administrator saw (docs/settings.md §3.2). The settings
/// after the change.
pub async fn set(
    ctx: &ServiceCtx,
    token: &str,
    key: &str,
    value: &str,
    expected: Option<&str>,
) -> Result<Vec<SettingView>> {
    let who = authenticate(ctx, token).await?;
    require_admin(&who, "change the system settings")?;
    let def = settings::find(key)
        .ok_or_else(|| ServiceError::NotFound(format!("System setting {key}")))?;
    let n = def.parse(value).map_err(ServiceError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    match db_settings::set(&tx, key, &n.to_string(), expected).await? {
        SetOutcome::Set => {}
        SetOutcome::Changed => {
            let now = read_all(&tx).await?;
            drop(tx);
            let current = now.iter().find(|v| v.def.key == key);
            return Err(ServiceError::Conflict(match current {
                Some(view) => changed_meanwhile(def, view),
                None => format!(
                    "The {} changed meanwhile; your change was not saved",
                    def.name
                ),
            }));
        }
        SetOutcome::Missing => {
            return Err(ServiceError::NotFound(format!("System setting {key}")));
        }
        SetOutcome::Locked => {
            return Err(ServiceError::Forbidden(format!(
                "The {} cannot be changed at this plant",
                def.name
            )));
        }
    }
    let after = read_all(&tx).await?;
    tx.commit().await?;
    tracing::info!(key, value = n, "system setting changed");
    Ok(after)
}
