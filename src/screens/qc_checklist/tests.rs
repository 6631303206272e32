//! The checklist's state machine.
