//! In-app notifications (`"SystemNotification"`).

use uuid::Uuid;

/// The `relatedEntityType` of notifications about a build.
pub const PRODUCTION_ORDER: &str = "ProductionOrder";
/// The `relatedEntityType` of notifications about a service order.
pub const SERVICE_ORDER: &str = "ServiceOrder";

/// How much a notification asks for attention (docs/alerts.md §1), lowest first: the derived order
/// is the order of urgency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Priority {
    /// Everything that is not an alert.
    #[default]
    Info,
    /// A build due soon.
    Warning,
    /// A build overdue.
    Urgent,
}

impl Priority {
    /// The `"NotificationPriority"` label, also the marker the notifications list shows.
    pub fn label(self) -> &'static str {
        match self {
            Priority::Info => "INFO",
            Priority::Warning => "WARNING",
            Priority::Urgent => "URGENT",
        }
    }

    /// The priority a stored label names; anything else reads as INFO.
    pub fn from_label(label: &str) -> Priority {
        match label {
            "WARNING" => Priority::Warning,
            "URGENT" => Priority::Urgent,
            _ => Priority::Info,
        }
    }
}

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
    /// INFO, WARNING or URGENT (docs/alerts.md §1).
    pub priority: Priority,
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

    #[test]
    fn priorities_read_their_labels_and_rank_by_urgency() {
        for p in [Priority::Info, Priority::Warning, Priority::Urgent] {
            assert_eq!(Priority::from_label(p.label()), p);
        }
        assert_eq!(Priority::from_label("CRITICAL"), Priority::Info);
        assert!(Priority::Urgent > Priority::Warning && Priority::Warning > Priority::Info);
    }
}
