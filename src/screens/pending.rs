//! A request a screen waits for: its id, and what the screen needs when the reply comes.
//!
//! A screen keeps one [`Pending`] per kind of request (the load, the write, the export). Starting a
//! request replaces the one waited for before, so a reply to a superseded request matches nothing and
//! is dropped. The usual shape:
//!
//! ```ignore
//! // Sending; nothing is sent while a write is already on its way.
//! return self.writing.begin_if_idle(ctx, request, success_text);
//! // Replying: only the reply waited for is taken.
//! let Some(success_text) = self.writing.take(reply.id) else { return Command::None; };
//! ```

use crate::msg::{Command, Request, RequestId};
use crate::screens::Ctx;

/// At most one request on its way, carrying `T` (what to say on success, which line it was for, …)
/// until its reply is taken.
#[derive(Debug, Clone)]
pub struct Pending<T = ()> {
    waiting: Option<(RequestId, T)>,
}

impl<T> Default for Pending<T> {
    fn default() -> Self {
        Pending { waiting: None }
    }
}

impl<T> Pending<T> {
    /// Waiting for nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends `kind` and waits for its reply, keeping `with` until then.
    pub fn begin(&mut self, ctx: &mut Ctx, kind: Request, with: T) -> Command {
        let (id, cmd) = ctx.request(kind);
        self.waiting = Some((id, with));
        cmd
    }

    /// Like [`Pending::begin`], unless a request is already on its way: then nothing is sent
    /// (a second write must not race the first).
    pub fn begin_if_idle(&mut self, ctx: &mut Ctx, kind: Request, with: T) -> Command {
        if self.in_flight() {
            return Command::None;
        }
        self.begin(ctx, kind, with)
    }

    /// Waits for the reply to a request sent elsewhere (the id came from [`Ctx::request`]).
    pub fn wait_for(&mut self, id: RequestId, with: T) {
        self.waiting = Some((id, with));
    }

    /// A request is on its way.
    pub fn in_flight(&self) -> bool {
        self.waiting.is_some()
    }

    /// The reply with this id is the one waited for (without taking it).
    pub fn is(&self, id: RequestId) -> bool {
        self.waiting.as_ref().is_some_and(|(w, _)| *w == id)
    }

    /// What the request on its way carries.
    pub fn with(&self) -> Option<&T> {
        self.waiting.as_ref().map(|(_, t)| t)
    }

    /// The reply with this id is the one waited for: stop waiting and hand back what it carried.
    /// Any other id (a superseded or foreign request) leaves the wait as it is.
    pub fn take(&mut self, id: RequestId) -> Option<T> {
        self.waiting.take_if(|(w, _)| *w == id).map(|(_, t)| t)
    }

    /// Stops waiting; a reply that still comes is dropped.
    pub fn clear(&mut self) {
        self.waiting = None;
    }
}

impl Pending {
    /// Waits for the reply to `id`, carrying nothing.
    pub fn wait(&mut self, id: RequestId) {
        self.wait_for(id, ());
    }

    /// The reply with this id is the one waited for; if so, stop waiting.
    pub fn answered_by(&mut self, id: RequestId) -> bool {
        self.take(id).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::Keymap;
    use crate::screens::IdGen;

    fn logout() -> Request {
        Request::Logout { token: "t".into() }
    }

    #[test]
    fn only_the_reply_waited_for_is_taken() {
        let mut ids = IdGen::default();
        let keymap = Keymap::default();
        let mut ctx = Ctx::new(&mut ids, None, &keymap);
        let mut p: Pending<&str> = Pending::new();
        assert!(!p.in_flight());
        let _ = p.begin(&mut ctx, logout(), "first");
        let first = RequestId(1);
        let _ = p.begin(&mut ctx, logout(), "second");
        assert!(p.in_flight());
        assert_eq!(p.take(first), None, "a superseded request matches nothing");
        assert!(p.is(RequestId(2)));
        assert_eq!(p.with(), Some(&"second"));
        assert_eq!(p.take(RequestId(2)), Some("second"));
        assert!(!p.in_flight());
        assert_eq!(p.take(RequestId(2)), None, "a reply is taken once");
    }
}
