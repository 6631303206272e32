//! In-app notifications (`"SystemNotification"`).

use uuid::Uuid;

/// The `relatedEntityType` of notifications about a build.
pub const PRODUCTION_ORDER: &str = "ProductionOrder";
/// The `relatedEntityType` of notifications about a service order.
pub const SERVICE_ORDER: &str = "ServiceOrder";

/// What a notification is about, when a screen can open it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Related {
    Build(Uuid),
    ServiceOrder(Uuid),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: Uuid,
    pub title: String,
    pub message: String,
    /// The `"NotificationType"` label, e.g. `ORDER_STATUS_CHANGE`.
    pub kind: String,
    pub is_read: bool,
    pub created_at: chrono::NaiveDateTime,
    /// The build or service order the notification is about, when it names one: the screen can open it.
    pub related: Option<Related>,
}

/// What a notification refers to: a `ProductionOrder` or `ServiceOrder` entity whose id is a uuid
/// (the column is free text, so anything else is ignored rather than trusted).
pub fn related(entity_type: Option<&str>, entity_id: Option<&str>) -> Option<Related> {
    let id = Uuid::parse_str(entity_id?.trim()).ok()?;
    match entity_type? {
        PRODUCTION_ORDER => Some(Related::Build(id)),
        SERVICE_ORDER => Some(Related::ServiceOrder(id)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_builds_and_service_orders_with_a_uuid_are_related() {
        let id = Uuid::from_u128(42);
        let text = id.to_string();
        assert_eq!(
            related(Some("ProductionOrder"), Some(&text)),
            Some(Related::Build(id))
        );
        assert_eq!(
            related(Some("ServiceOrder"), Some(&text)),
            Some(Related::ServiceOrder(id))
        );
        assert_eq!(related(Some("User"), Some(&text)), None);
        assert_eq!(related(Some("ProductionOrder"), Some("B-17")), None);
        assert_eq!(related(None, None), None);
    }
}
