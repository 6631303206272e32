//! Orders: creation, queues, detail, transitions, assignment, wizard drafts.
