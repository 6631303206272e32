//! Draft autosave bookkeeping shared by the QC checklist and the testing form: one save out at a time,
//! what the header says about it, and when a failed save is tried again on its own. A save refused for
//! good (another inspector holds the draft, the role may not write it) is never retried
//! (docs/qc.md §3).

use crate::error::ServiceError;
use crate::msg::RequestId;
use crate::theme::Theme;
use ratatui::text::Span;
use std::time::{Duration, Instant};

/// How long a failed draft save waits before it is tried again on its own.
pub const RETRY_AFTER: Duration = Duration::from_secs(5);

/// Where the draft stands, as the header says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveStatus {
    /// Nothing changed since the form was loaded.
    Idle,
    Saving,
    Saved,
    /// The last save failed; the changes are kept and sent again.
    Failed(String),
    /// The last save was refused for good: nothing more is sent until the form is loaded again.
    Refused(String),
}

/// Whether `error` refuses a save for good rather than for now (the database down): another
/// inspector's draft, a role that may not write it.
pub fn refused_for_good(error: &ServiceError) -> bool {
    matches!(error, ServiceError::Forbidden(_))
}

/// The save in flight (with what it carried, `T`), the status and the retry timer.
#[derive(Debug)]
pub struct Autosave<T> {
    status: SaveStatus,
    in_flight: Option<(RequestId, T)>,
    retry_at: Option<Instant>,
}

impl<T> Default for Autosave<T> {
    fn default() -> Self {
        Autosave {
            status: SaveStatus::Idle,
            in_flight: None,
            retry_at: None,
        }
    }
}

impl<T> Autosave<T> {
    pub fn status(&self) -> &SaveStatus {
        &self.status
    }

    /// A save is out, so the next one waits for its reply; or saves were refused for good, so none
    /// is sent.
    pub fn busy(&self) -> bool {
        self.in_flight.is_some() || matches!(self.status, SaveStatus::Refused(_))
    }

    /// A save carrying `what` went out as request `id`.
    pub fn sent(&mut self, id: RequestId, what: T) {
        self.in_flight = Some((id, what));
        self.status = SaveStatus::Saving;
        self.retry_at = None;
    }

    /// If `id` answers the save out: what it carried (the caller then calls `saved` or `failed`).
    pub fn take_reply(&mut self, id: RequestId) -> Option<T> {
        match self.in_flight.take() {
            Some((out, what)) if out == id => Some(what),
            other => {
                self.in_flight = other;
                None
            }
        }
    }

    pub fn saved(&mut self) {
        self.status = SaveStatus::Saved;
    }

    pub fn failed(&mut self, message: String) {
        self.status = SaveStatus::Failed(message);
    }

    /// The save was refused in a way sending it again cannot change: no retry, no further save.
    pub fn refused(&mut self, message: String) {
        self.status = SaveStatus::Refused(message);
        self.retry_at = None;
    }

    /// A fresh form: nothing out, nothing to say.
    pub fn reset(&mut self) {
        *self = Autosave::default();
    }

    /// Whether a failed save is due to be sent again: the first tick after a failure starts the wait.
    pub fn retry_due(&mut self, now: Instant) -> bool {
        if !matches!(self.status, SaveStatus::Failed(_)) || self.busy() {
            self.retry_at = None;
            return false;
        }
        match self.retry_at {
            None => {
                self.retry_at = Some(now + RETRY_AFTER);
                false
            }
            Some(at) if now >= at => {
                self.retry_at = None;
                true
            }
            Some(_) => false,
        }
    }

    /// The header's words for the status (`resumed`: the form came with a stored draft).
    pub fn span(&self, resumed: bool, theme: &Theme) -> Option<Span<'static>> {
        let (text, style) = match &self.status {
            SaveStatus::Idle if resumed => ("Draft resumed".to_string(), theme.muted),
            SaveStatus::Idle => return None,
            SaveStatus::Saving => ("Saving…".to_string(), theme.muted),
            SaveStatus::Saved => ("Saved".to_string(), theme.ok),
            SaveStatus::Failed(e) => (format!("Not saved: {e} — will retry"), theme.error),
            SaveStatus::Refused(e) => (format!("Not saved: {e}"), theme.error),
        };
        Some(Span::styled(text, style))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_to_another_request_leaves_the_save_out() {
        let mut a: Autosave<u8> = Autosave::default();
        a.sent(RequestId(4), 7);
        assert_eq!(a.take_reply(RequestId(3)), None);
        assert!(a.busy());
        assert_eq!(a.take_reply(RequestId(4)), Some(7));
        assert!(!a.busy());
    }

    #[test]
    fn a_failed_save_is_retried_once_the_wait_is_over() {
        let mut a: Autosave<()> = Autosave::default();
        let t0 = Instant::now();
        a.sent(RequestId(1), ());
        assert!(!a.retry_due(t0), "nothing failed");
        a.take_reply(RequestId(1));
        a.failed("down".into());
        assert!(!a.retry_due(t0), "the first tick starts the wait");
        assert!(!a.retry_due(t0 + RETRY_AFTER / 2));
        assert!(a.retry_due(t0 + RETRY_AFTER));
        a.saved();
        assert!(!a.retry_due(t0 + RETRY_AFTER * 3));
    }

    #[test]
    fn a_refused_save_is_never_retried_and_stops_further_saves() {
        let mut a: Autosave<()> = Autosave::default();
        let t0 = Instant::now();
        a.sent(RequestId(1), ());
        a.take_reply(RequestId(1));
        let refusal = ServiceError::Forbidden("Draft in progress by Rita Ng".into());
        assert!(refused_for_good(&refusal));
        assert!(!refused_for_good(&ServiceError::Unavailable("down".into())));
        a.refused(refusal.user_message());
        for k in 0..10 {
            assert!(!a.retry_due(t0 + RETRY_AFTER * k), "never retried");
        }
        assert!(a.busy(), "no further save goes out");
        assert_eq!(
            a.status(),
            &SaveStatus::Refused("Draft in progress by Rita Ng".into())
        );
        a.reset();
        assert!(!a.busy(), "a reloaded form saves again");
    }
}
