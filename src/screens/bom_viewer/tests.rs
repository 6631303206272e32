//! The viewer state machine.
