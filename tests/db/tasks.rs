//! Task lists: generation with the move into READY_FOR_PRODUCTION, completion, rework.
