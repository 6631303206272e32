//! In-app notifications (`"SystemNotification"`).

use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: Uuid,
    pub title: String,
    pub message: String,
    /// The `"NotificationType"` label, e.g. `ORDER_STATUS_CHANGE`.
    pub kind: String,
    pub is_read: bool,
    pub created_at: chrono::NaiveDateTime,
}
