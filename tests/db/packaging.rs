//! Packaging checklists: generation on entering TESTING_COMPLETE, packed quantities, completion.
