//! Evaluating a condition against a build's configuration.

use super::{CmpOp, Expr, Subject, Value, lookup};

/// One basin of the build (`BasinConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BasinFacts {
    /// 1-based position.
    pub index: i64,
    /// E_SINK | E_SINK_DI | E_DRAIN.
    pub basin_type: String,
    pub light: bool,
    pub p_trap: bool,
    pub custom: bool,
}

/// The build's configuration, as the subjects see it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SinkFacts {
    pub model: String,
    pub basins: Vec<BasinFacts>,
    pub length: i64,
    pub width: i64,
    pub legs: String,
    pub legs_model: String,
    pub feet: String,
    pub pegboard: bool,
    /// None without a pegboard.
    pub pegboard_type: Option<String>,
    pub language: String,
    /// One entry per FaucetConfiguration row.
    pub faucet_types: Vec<String>,
    /// Sum of FaucetConfiguration.quantity.
    pub faucets: i64,
    /// One entry per SprayerConfiguration row.
    pub sprayer_types: Vec<String>,
    /// Sum of SprayerConfiguration.quantity.
    pub sprayers: i64,
}

#[derive(Debug, Clone, Copy)]
enum Fact<'a> {
    Int(i64),
    Bool(bool),
    Str(&'a str),
    /// Not set (no pegboard type, or a basin subject outside a basin): every comparison is false.
    Missing,
}

fn compare(fact: Fact<'_>, op: CmpOp, value: &Value) -> bool {
    match (fact, value) {
        (Fact::Int(a), Value::Int(b)) => match op {
            CmpOp::Eq => a == *b,
            CmpOp::Ne => a != *b,
            CmpOp::Lt => a < *b,
            CmpOp::Le => a <= *b,
            CmpOp::Gt => a > *b,
            CmpOp::Ge => a >= *b,
        },
        (Fact::Bool(a), Value::Bool(b)) => match op {
            CmpOp::Eq => a == *b,
            CmpOp::Ne => a != *b,
            _ => false,
        },
        (Fact::Str(a), Value::Str(b) | Value::Word(b)) => match op {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            _ => false,
        },
        _ => false,
    }
}

fn member(fact: Fact<'_>, negated: bool, values: &[Value]) -> bool {
    if matches!(fact, Fact::Missing) {
        return false;
    }
    let found = values.iter().any(|v| compare(fact, CmpOp::Eq, v));
    found != negated
}

/// Evaluates a condition for the sink, and for `basin` when the item is basin-specific.
/// A subject that cannot be known (unknown name, `basin.*` without a basin, no pegboard type) makes its
/// comparison false; [`validate`] refuses the first two at import.
pub fn eval(expr: &Expr, sink: &SinkFacts, basin: Option<&BasinFacts>) -> bool {
    match expr {
        Expr::Or(parts) => parts.iter().any(|p| eval(p, sink, basin)),
        Expr::And(parts) => parts.iter().all(|p| eval(p, sink, basin)),
        Expr::Not(e) => !eval(e, sink, basin),
        Expr::Cmp { subject, op, value } => {
            test_subject(subject, sink, basin, &|f| compare(f, *op, value))
        }
        Expr::In {
            subject,
            negated,
            values,
        } => test_subject(subject, sink, basin, &|f| member(f, *negated, values)),
    }
}

fn test_subject(
    subject: &str,
    sink: &SinkFacts,
    basin: Option<&BasinFacts>,
    test: &dyn Fn(Fact<'_>) -> bool,
) -> bool {
    let Some((s, _)) = lookup(subject) else {
        return false;
    };
    let count = |n: usize| Fact::Int(i64::try_from(n).unwrap_or(i64::MAX));
    let fact = match s {
        Subject::Model => Fact::Str(&sink.model),
        Subject::Basins => count(sink.basins.len()),
        Subject::Length => Fact::Int(sink.length),
        Subject::Width => Fact::Int(sink.width),
        Subject::Legs => Fact::Str(&sink.legs),
        Subject::LegsModel => Fact::Str(&sink.legs_model),
        Subject::Feet => Fact::Str(&sink.feet),
        Subject::Pegboard => Fact::Bool(sink.pegboard),
        Subject::PegboardType => sink
            .pegboard_type
            .as_deref()
            .map_or(Fact::Missing, Fact::Str),
        Subject::Language => Fact::Str(&sink.language),
        Subject::Faucets => Fact::Int(sink.faucets),
        Subject::Sprayers => Fact::Int(sink.sprayers),
        Subject::AnyBasin => {
            return sink.basins.iter().any(|b| test(Fact::Str(&b.basin_type)));
        }
        Subject::AllBasins => {
            return sink.basins.iter().all(|b| test(Fact::Str(&b.basin_type)));
        }
        Subject::AnyFaucet => return sink.faucet_types.iter().any(|t| test(Fact::Str(t))),
        Subject::AnySprayer => return sink.sprayer_types.iter().any(|t| test(Fact::Str(t))),
        Subject::BasinIndex => basin.map_or(Fact::Missing, |b| Fact::Int(b.index)),
        Subject::BasinType => basin.map_or(Fact::Missing, |b| Fact::Str(&b.basin_type)),
        Subject::BasinLight => basin.map_or(Fact::Missing, |b| Fact::Bool(b.light)),
        Subject::BasinPTrap => basin.map_or(Fact::Missing, |b| Fact::Bool(b.p_trap)),
        Subject::BasinCustom => basin.map_or(Fact::Missing, |b| Fact::Bool(b.custom)),
    };
    test(fact)
}
