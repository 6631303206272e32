//! The order lifecycle: the transition table, who may make each move, assignment rules.
