//! In-app notifications (`"SystemNotification"`).

use uuid::Uuid;

/// The `relatedEntityType` of notifications about a build.
pub const PRODUCTION_ORDER: &str = "ProductionOrder";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: Uuid,
    pub title: String,
    pub message: String,
    /// The `"NotificationType"` label, e.g. `ORDER_STATUS_CHANGE`.
    pub kind: String,
    pub is_read: bool,
    pub created_at: chrono::NaiveDateTime,
    /// The build the notification is about, when it names one: the screen can open it.
    pub related_order: Option<Uuid>,
}

/// The build a notification refers to: only a `ProductionOrder` entity whose id is a uuid counts
/// (the column is free text, so anything else is ignored rather than trusted).
pub fn related_order(entity_type: Option<&str>, entity_id: Option<&str>) -> Option<Uuid> {
    match (entity_type, entity_id) {
        (Some(PRODUCTION_ORDER), Some(id)) => Uuid::parse_str(id.trim()).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_production_orders_with_a_uuid_are_related() {
        let id = Uuid::from_u128(42);
        let text = id.to_string();
        assert_eq!(
            related_order(Some("ProductionOrder"), Some(&text)),
            Some(id)
        );
        assert_eq!(related_order(Some("ServiceOrder"), Some(&text)), None);
        assert_eq!(related_order(Some("ProductionOrder"), Some("B-17")), None);
        assert_eq!(related_order(None, None), None);
    }
}
