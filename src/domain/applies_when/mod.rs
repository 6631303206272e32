//! The `appliesWhen` condition language (docs/checklists.md §5): tokenizer, recursive-descent parser,
//! validation and evaluation against a build's configuration.
//!
//! ```text
//! expr     := and_expr { "or" and_expr }
//! and_expr := not_expr { "and" not_expr }
//! not_expr := "not" not_expr | "(" expr ")" | cmp
//! cmp      := subject op value | subject "in" list | subject "not in" list
//! op       := "=" | "!=" | "<" | "<=" | ">" | ">="
//! value    := "quoted string" | integer | true | false | BAREWORD
//! list     := "[" value { "," value } "]"
//! ```
//!
//! Parsing only checks the shape; [`validate`] checks subjects and values against the subject table, so a
//! template with a misspelt subject or enum value is refused at import instead of silently never applying.
//!
//! The tokenizer and parser are in `parse`, evaluation in `eval`; this module holds the syntax tree and
//! the subject table that validation checks against.

mod eval;
mod parse;
#[cfg(test)]
mod tests;

pub use eval::{BasinFacts, SinkFacts, eval};
pub use parse::parse;

use std::fmt;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    fn is_ordering(self) -> bool {
        !matches!(self, CmpOp::Eq | CmpOp::Ne)
    }
}

/// A literal on the right of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A quoted string.
    Str(String),
    Int(i64),
    Bool(bool),
    /// A bare enum value; it means the same as its quoted form.
    Word(String),
}

impl Value {
    fn text(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Word(s) => Some(s),
            Value::Int(_) | Value::Bool(_) => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Word(w) => f.write_str(w),
        }
    }
}

/// The parsed condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// Two or more alternatives.
    Or(Vec<Expr>),
    /// Two or more conjuncts.
    And(Vec<Expr>),
    Not(Box<Expr>),
    Cmp {
        subject: String,
        op: CmpOp,
        value: Value,
    },
    /// `subject in [..]`, or `subject not in [..]` when `negated`.
    In {
        subject: String,
        negated: bool,
        values: Vec<Value>,
    },
}

/// Fully parenthesised, so tests and logs show how the text was grouped.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, parts: &[Expr], sep: &str| -> fmt::Result {
            f.write_str("(")?;
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    write!(f, " {sep} ")?;
                }
                write!(f, "{p}")?;
            }
            f.write_str(")")
        };
        match self {
            Expr::Or(parts) => join(f, parts, "or"),
            Expr::And(parts) => join(f, parts, "and"),
            Expr::Not(e) => write!(f, "(not {e})"),
            Expr::Cmp { subject, op, value } => write!(f, "{subject} {} {value}", op.symbol()),
            Expr::In {
                subject,
                negated,
                values,
            } => {
                let list: Vec<String> = values.iter().map(ToString::to_string).collect();
                let kw = if *negated { "not in" } else { "in" };
                write!(f, "{subject} {kw} [{}]", list.join(", "))
            }
        }
    }
}

/// A syntax error with the 1-based character column where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at column {column}")]
pub struct ParseError {
    pub message: String,
    pub column: usize,
}

// ---------------------------------------------------------------------------------------------------------
// Subjects

pub const MODELS: &[&str] = &["T2-B1", "T2-B2", "T2-B3"];
pub const LEGS_TYPES: &[&str] = &["HEIGHT_ADJUSTABLE", "FIXED_HEIGHT"];
pub const LEGS_MODELS: &[&str] = &["DL27", "DL14", "LC1"];
pub const FEET_TYPES: &[&str] = &["LOCK_LEVELING_CASTERS", "SS_ADJUSTABLE_SEISMIC_FEET"];
pub const PEGBOARD_TYPES: &[&str] = &["PERFORATED", "SOLID"];
pub const LANGUAGES: &[&str] = &["EN", "FR", "SP"];
pub const BASIN_TYPES: &[&str] = &["E_SINK", "E_SINK_DI", "E_DRAIN"];
pub const FAUCET_TYPES: &[&str] = &[
    "WRIST_BLADE_SWING_SPOUT",
    "PRE_RINSE_OVERHEAD_SPRAY",
    "GOOSENECK_TREATED_WATER",
];
pub const SPRAYER_TYPES: &[&str] = &[
    "DI_WATER_GUN_KIT_TURRET",
    "DI_WATER_GUN_KIT_ROSETTE",
    "AIR_GUN_KIT_TURRET",
    "AIR_GUN_KIT_ROSETTE",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Bool,
    Enum(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    Model,
    Basins,
    Length,
    Width,
    Legs,
    LegsModel,
    Feet,
    Pegboard,
    PegboardType,
    Language,
    Faucets,
    Sprayers,
    AnyBasin,
    AllBasins,
    AnyFaucet,
    AnySprayer,
    BasinIndex,
    BasinType,
    BasinLight,
    BasinPTrap,
    BasinCustom,
}

const SUBJECTS: &[(&str, Subject, Kind)] = &[
    ("model", Subject::Model, Kind::Enum(MODELS)),
    ("basins", Subject::Basins, Kind::Int),
    ("length", Subject::Length, Kind::Int),
    ("width", Subject::Width, Kind::Int),
    ("legs", Subject::Legs, Kind::Enum(LEGS_TYPES)),
    ("legs_model", Subject::LegsModel, Kind::Enum(LEGS_MODELS)),
    ("feet", Subject::Feet, Kind::Enum(FEET_TYPES)),
    ("pegboard", Subject::Pegboard, Kind::Bool),
    (
        "pegboard_type",
        Subject::PegboardType,
        Kind::Enum(PEGBOARD_TYPES),
    ),
    ("language", Subject::Language, Kind::Enum(LANGUAGES)),
    ("faucets", Subject::Faucets, Kind::Int),
    ("sprayers", Subject::Sprayers, Kind::Int),
    ("any_basin", Subject::AnyBasin, Kind::Enum(BASIN_TYPES)),
    ("all_basins", Subject::AllBasins, Kind::Enum(BASIN_TYPES)),
    ("any_faucet", Subject::AnyFaucet, Kind::Enum(FAUCET_TYPES)),
    (
        "any_sprayer",
        Subject::AnySprayer,
        Kind::Enum(SPRAYER_TYPES),
    ),
    ("basin.index", Subject::BasinIndex, Kind::Int),
    ("basin.type", Subject::BasinType, Kind::Enum(BASIN_TYPES)),
    ("basin.light", Subject::BasinLight, Kind::Bool),
    ("basin.p_trap", Subject::BasinPTrap, Kind::Bool),
    ("basin.custom", Subject::BasinCustom, Kind::Bool),
];

fn lookup(name: &str) -> Option<(Subject, Kind)> {
    SUBJECTS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, s, k)| (*s, *k))
}

/// Checks subjects and values. `basin_specific` says whether the item repeats per basin, which is what
/// allows `basin.*` subjects. Returns every problem found, empty when the condition is valid.
pub fn validate(expr: &Expr, basin_specific: bool) -> Vec<String> {
    let mut errs = Vec::new();
    validate_into(expr, basin_specific, &mut errs);
    errs
}

fn validate_into(expr: &Expr, basin_specific: bool, errs: &mut Vec<String>) {
    match expr {
        Expr::Or(parts) | Expr::And(parts) => {
            for p in parts {
                validate_into(p, basin_specific, errs);
            }
        }
        Expr::Not(e) => validate_into(e, basin_specific, errs),
        Expr::Cmp { subject, op, value } => {
            if let Some(kind) = check_subject(subject, basin_specific, errs) {
                if op.is_ordering() && kind != Kind::Int {
                    errs.push(format!(
                        "\"{}\" works only on a number; \"{subject}\" is not a number",
                        op.symbol()
                    ));
                }
                check_value(subject, kind, value, errs);
            }
        }
        Expr::In {
            subject, values, ..
        } => {
            if let Some(kind) = check_subject(subject, basin_specific, errs) {
                for v in values {
                    check_value(subject, kind, v, errs);
                }
            }
        }
    }
}

fn check_subject(subject: &str, basin_specific: bool, errs: &mut Vec<String>) -> Option<Kind> {
    let Some((_, kind)) = lookup(subject) else {
        let known: Vec<&str> = SUBJECTS.iter().map(|(n, _, _)| *n).collect();
        errs.push(format!(
            "unknown subject \"{subject}\" (known: {})",
            known.join(", ")
        ));
        return None;
    };
    if subject.starts_with("basin.") && !basin_specific {
        errs.push(format!(
            "\"{subject}\" is allowed only in a basinSpecific item"
        ));
    }
    Some(kind)
}

fn check_value(subject: &str, kind: Kind, value: &Value, errs: &mut Vec<String>) {
    match (kind, value) {
        (Kind::Int, Value::Int(_)) | (Kind::Bool, Value::Bool(_)) => {}
        (Kind::Int, v) => errs.push(format!(
            "\"{subject}\" is compared with a whole number, not {v}"
        )),
        (Kind::Bool, v) => errs.push(format!(
            "\"{subject}\" is compared with true or false, not {v}"
        )),
        (Kind::Enum(allowed), v) => match v.text() {
            Some(s) if allowed.contains(&s) => {}
            Some(s) => errs.push(format!(
                "\"{subject}\" has no value \"{s}\" (expected one of {})",
                allowed.join(", ")
            )),
            None => errs.push(format!(
                "\"{subject}\" is compared with one of {}, not {v}",
                allowed.join(", ")
            )),
        },
    }
}

/// Parses and validates in one step; the messages of either stage.
pub fn compile(src: &str, basin_specific: bool) -> Result<Expr, Vec<String>> {
    let expr = parse(src).map_err(|e| vec![e.to_string()])?;
    let errs = validate(&expr, basin_specific);
    if errs.is_empty() { Ok(expr) } else { Err(errs) }
}
