//! End-of-line testing forms: drafts, submission, immutability, the T5 precondition.
