//! A logged-in station session.

use crate::domain::user::UserSummary;

#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// The bearer token; only its SHA-256 is stored in the database.
    pub token: String,
    pub user: UserSummary,
    pub expires_at: chrono::NaiveDateTime,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user", &self.user.username)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}
