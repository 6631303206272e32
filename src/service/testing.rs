//! End-of-line testing forms: drafts, submission with PASS/FAIL per item and basin.
