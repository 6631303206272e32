//! The error of every request a station makes: what a repository or a service call can report,
//! carried back to the screen in a [`crate::msg::ServiceReply`].

use thiserror::Error;

/// Everything a repository or service call can report. The screens turn it into a message.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ServiceError {
    /// The database could not be reached (pool exhausted, server down, network).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A statement failed in a way the user cannot fix.
    #[error("database error: {0}")]
    Query(String),
    /// Another station changed the record first; the message says what happened.
    #[error("{0}")]
    Conflict(String),
    #[error("{0} not found")]
    NotFound(String),
    /// The input broke a rule; the message is meant for the user as it is.
    #[error("{0}")]
    Invalid(String),
    /// The acting user may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The build exists but has no BOM version yet: a state the BOM viewer shows, not a failure.
    #[error("This build has no BOM yet")]
    NoBom,
    /// The session expired, was ended, or its user was deactivated: the station returns to the login screen.
    #[error("{0}")]
    SessionEnded(String),
    /// The database did not answer within the station's request timeout: frozen rather than down.
    #[error("The database is not answering")]
    NotAnswering,
}

impl ServiceError {
    /// The text a screen shows for this error.
    pub fn user_message(&self) -> String {
        match self {
            ServiceError::Unavailable(_) => {
                "The database is not reachable; your input is kept. Try again shortly.".into()
            }
            ServiceError::Query(_) => {
                "The database refused the change; nothing was saved. Details are in the log.".into()
            }
            ServiceError::NotAnswering => {
                "The database is not answering; your input is kept. Try again shortly.".into()
            }
            other => other.to_string(),
        }
    }
}

impl ServiceError {
    /// For the command line the technical detail is useful, so it is kept.
    pub fn user_message_detailed(&self) -> String {
        match self {
            ServiceError::Unavailable(d) => format!("The database is not reachable: {d}"),
            ServiceError::Query(d) => format!("The database refused the change: {d}"),
            other => other.to_string(),
        }
    }
}

/// What most calls of the service and the repositories return.
pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
