//! The build's drawing beside the checklist (docs/documents.md §4): an item whose text mentions the
//! drawing says whether the build has a current technical drawing, and `D` opens it to be saved.

use crate::domain::document::refers_to_drawing;
use crate::domain::qc::QcItemDef;
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Ctx;
use crate::screens::pending::Pending;
use uuid::Uuid;

/// Whether the build has a current technical drawing, once its documents have answered.
#[derive(Default)]
pub struct DrawingLink {
    pending: Pending,
    available: Option<bool>,
}

impl DrawingLink {
    /// Asks for the build's documents.
    pub fn request(&mut self, order_id: Uuid, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.pending
            .begin(ctx, Request::Documents { token, order_id }, ())
    }

    /// Takes the documents' reply; false when `reply` answers something else. A failed read leaves the
    /// drawing unknown, and the items say nothing about it.
    pub fn on_reply(&mut self, reply: &ServiceReply) -> bool {
        if !self.pending.answered_by(reply.id) {
            return false;
        }
        if let Ok(Reply::Documents(d)) = &reply.result {
            self.available = Some(d.current_drawing().is_some());
        }
        true
    }

    /// The build has a current drawing: `D` is live.
    pub fn available(&self) -> bool {
        self.available == Some(true)
    }

    /// What an item that refers to the drawing says: `drawing available: D` or `no drawing attached`;
    /// `None` for other items or while the documents are unknown.
    pub fn hint(&self, item: Option<&QcItemDef>) -> Option<&'static str> {
        let refers = item.is_some_and(|i| refers_to_drawing(&i.description));
        match (refers, self.available) {
            (true, Some(true)) => Some("This item refers to the drawing · drawing available: D"),
            (true, Some(false)) => Some("This item refers to the drawing · no drawing attached"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;
    use crate::domain::checklist::CheckType;
    use crate::domain::document::{BuildDocument, BuildDocuments};
    use crate::domain::order::OrderDocumentType;
    use crate::screens::testkit::Harness;

    fn item(description: &str) -> QcItemDef {
        QcItemDef::from_row(
            Uuid::nil(),
            "A".into(),
            description.into(),
            CheckType::Boolean,
            false,
            true,
            true,
            10,
            None,
        )
    }

    fn documents(t: OrderDocumentType) -> Reply {
        Reply::Documents(Box::new(BuildDocuments {
            order_id: Uuid::nil(),
            build_number: "B-1".into(),
            documents: vec![BuildDocument {
                id: Uuid::nil(),
                document_id: Uuid::nil(),
                document_type: t,
                name: "d.pdf".into(),
                file_name: "d.pdf".into(),
                content_type: "application/pdf".into(),
                size: 1,
                uploaded_by: "Pat".into(),
                uploaded_at: chrono::NaiveDateTime::default(),
                sha256: String::new(),
                supersedes: None,
                superseded_by: None,
            }],
            save_dir: String::new(),
            may_attach: false,
        }))
    }

    #[test]
    fn drawing_items_say_whether_the_drawing_is_there() {
        let drawing_item = item("Basin dimensions match the DRAWING");
        let other = item("Faucets mounted");
        for (t, available, said) in [
            (
                OrderDocumentType::TechnicalDrawing,
                true,
                "This item refers to the drawing · drawing available: D",
            ),
            (
                OrderDocumentType::Photo,
                false,
                "This item refers to the drawing · no drawing attached",
            ),
        ] {
            let mut h = Harness::new(Role::QcPerson);
            let mut link = DrawingLink::default();
            let (reqs, _) = h.run(|ctx| link.request(Uuid::nil(), ctx));
            assert_eq!(link.hint(Some(&drawing_item)), None, "unknown until read");
            let reply = ServiceReply {
                id: reqs[0].id,
                result: Ok(documents(t)),
            };
            assert!(link.on_reply(&reply));
            assert_eq!(link.available(), available);
            assert_eq!(link.hint(Some(&drawing_item)), Some(said));
            assert_eq!(link.hint(Some(&other)), None);
        }
    }
}
