//! The `appliesWhen` condition language of checklists.toml: tokenizer, recursive-descent parser, validation
//! and evaluation against a build's configuration.
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
// Tokenizer

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Op(CmpOp),
    Str(String),
    Int(i64),
    /// Subjects, keywords and bare enum values.
    Word(String),
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::LParen => "\"(\"".into(),
            Tok::RParen => "\")\"".into(),
            Tok::LBracket => "\"[\"".into(),
            Tok::RBracket => "\"]\"".into(),
            Tok::Comma => "\",\"".into(),
            Tok::Op(op) => format!("\"{}\"", op.symbol()),
            Tok::Str(s) => format!("the string {s:?}"),
            Tok::Int(i) => format!("the number {i}"),
            Tok::Word(w) => format!("\"{w}\""),
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |message: String, at: usize| ParseError {
        message,
        column: at + 1,
    };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let single = match c {
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            '[' => Some(Tok::LBracket),
            ']' => Some(Tok::RBracket),
            ',' => Some(Tok::Comma),
            '=' => Some(Tok::Op(CmpOp::Eq)),
            _ => None,
        };
        if let Some(t) = single {
            out.push((t, start));
            i += 1;
            continue;
        }
        let next = chars.get(i + 1).copied();
        match c {
            c if c.is_whitespace() => i += 1,
            '!' if next == Some('=') => {
                out.push((Tok::Op(CmpOp::Ne), start));
                i += 2;
            }
            '<' | '>' => {
                let eq = next == Some('=');
                let op = match (c, eq) {
                    ('<', false) => CmpOp::Lt,
                    ('<', true) => CmpOp::Le,
                    (_, false) => CmpOp::Gt,
                    (_, true) => CmpOp::Ge,
                };
                out.push((Tok::Op(op), start));
                i += if eq { 2 } else { 1 };
            }
            '"' | '\'' => {
                let quote = c;
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(err("unterminated string".into(), start)),
                        Some('\\') => {
                            let Some(&e) = chars.get(i + 1) else {
                                return Err(err("unterminated string".into(), start));
                            };
                            s.push(e);
                            i += 2;
                        }
                        Some(&ch) if ch == quote => {
                            i += 1;
                            break;
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                out.push((Tok::Str(s), start));
            }
            c if c.is_ascii_digit() || (c == '-' && next.is_some_and(|n| n.is_ascii_digit())) => {
                i += 1;
                while chars.get(i).is_some_and(|ch| ch.is_ascii_digit()) {
                    i += 1;
                }
                if chars.get(i).is_some_and(|&ch| is_word_char(ch)) {
                    while chars.get(i).is_some_and(|&ch| is_word_char(ch)) {
                        i += 1;
                    }
                    let text: String = chars[start..i].iter().collect();
                    return Err(err(
                        format!(
                            "\"{text}\" is neither a whole number nor a name (quote it if it is a value)"
                        ),
                        start,
                    ));
                }
                let text: String = chars[start..i].iter().collect();
                let n = text
                    .parse::<i64>()
                    .map_err(|_| err(format!("the number {text} is too large"), start))?;
                out.push((Tok::Int(n), start));
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                while chars.get(i).is_some_and(|&ch| is_word_char(ch)) {
                    i += 1;
                }
                out.push((Tok::Word(chars[start..i].iter().collect()), start));
            }
            other => return Err(err(format!("unexpected character {other:?}"), start)),
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------------------
// Parser

const KEYWORDS: [&str; 4] = ["and", "or", "not", "in"];

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end_column: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn column(&self) -> usize {
        self.toks
            .get(self.pos)
            .map_or(self.end_column, |(_, c)| c + 1)
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
            column: self.column(),
        }
    }

    fn found(&self) -> String {
        self.peek()
            .map_or_else(|| "the end".to_string(), Tok::describe)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x == w)
    }

    fn is_word_at(&self, offset: usize, w: &str) -> bool {
        matches!(self.toks.get(self.pos + offset), Some((Tok::Word(x), _)) if x == w)
    }

    fn expect(&mut self, tok: &Tok) -> Result<(), ParseError> {
        if self.peek() == Some(tok) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!(
                "expected {}, found {}",
                tok.describe(),
                self.found()
            )))
        }
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut parts = vec![self.and_expr()?];
        while self.is_word("or") {
            self.pos += 1;
            parts.push(self.and_expr()?);
        }
        Ok(collapse(parts, Expr::Or))
    }

    fn and_expr(&mut self) -> Result<Expr, ParseError> {
        let mut parts = vec![self.not_expr()?];
        while self.is_word("and") {
            self.pos += 1;
            parts.push(self.not_expr()?);
        }
        Ok(collapse(parts, Expr::And))
    }

    fn not_expr(&mut self) -> Result<Expr, ParseError> {
        if self.is_word("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not_expr()?)));
        }
        if self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            let e = self.expr()?;
            self.expect(&Tok::RParen)?;
            return Ok(e);
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Result<Expr, ParseError> {
        let subject = match self.peek() {
            Some(Tok::Word(w))
                if !KEYWORDS.contains(&w.as_str()) && w != "true" && w != "false" =>
            {
                w.clone()
            }
            _ => {
                return Err(self.error(format!(
                    "expected a subject, \"not\" or \"(\", found {}",
                    self.found()
                )));
            }
        };
        self.pos += 1;
        if self.is_word("in") {
            self.pos += 1;
            let values = self.list()?;
            return Ok(Expr::In {
                subject,
                negated: false,
                values,
            });
        }
        if self.is_word("not") && self.is_word_at(1, "in") {
            self.pos += 2;
            let values = self.list()?;
            return Ok(Expr::In {
                subject,
                negated: true,
                values,
            });
        }
        let op = match self.peek() {
            Some(Tok::Op(op)) => *op,
            _ => {
                return Err(self.error(format!(
                    "expected an operator (=, !=, <, <=, >, >=, in, not in) after \"{subject}\", found {}",
                    self.found()
                )));
            }
        };
        self.pos += 1;
        let value = self.value()?;
        Ok(Expr::Cmp { subject, op, value })
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        let v = match self.peek() {
            Some(Tok::Str(s)) => Value::Str(s.clone()),
            Some(Tok::Int(i)) => Value::Int(*i),
            Some(Tok::Word(w)) if w == "true" => Value::Bool(true),
            Some(Tok::Word(w)) if w == "false" => Value::Bool(false),
            Some(Tok::Word(w)) if !KEYWORDS.contains(&w.as_str()) => Value::Word(w.clone()),
            _ => return Err(self.error(format!("expected a value, found {}", self.found()))),
        };
        self.pos += 1;
        Ok(v)
    }

    fn list(&mut self) -> Result<Vec<Value>, ParseError> {
        self.expect(&Tok::LBracket)?;
        let mut values = vec![self.value()?];
        while self.peek() == Some(&Tok::Comma) {
            self.pos += 1;
            values.push(self.value()?);
        }
        self.expect(&Tok::RBracket)?;
        Ok(values)
    }
}

fn collapse(mut parts: Vec<Expr>, make: fn(Vec<Expr>) -> Expr) -> Expr {
    if parts.len() == 1
        && let Some(only) = parts.pop()
    {
        return only;
    }
    make(parts)
}

/// Parses a condition. Checks the syntax only; see [`validate`].
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let toks = tokenize(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        end_column: src.chars().count() + 1,
    };
    if p.peek().is_none() {
        return Err(p.error("the condition is empty"));
    }
    let e = p.expr()?;
    if p.peek().is_some() {
        return Err(p.error(format!(
            "expected \"and\", \"or\" or the end, found {}",
            p.found()
        )));
    }
    Ok(e)
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

// ---------------------------------------------------------------------------------------------------------
// Evaluation

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

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> String {
        parse(src).map_or_else(|e| format!("ERR {e}"), |e| e.to_string())
    }

    fn sink() -> SinkFacts {
        SinkFacts {
            model: "T2-B2".into(),
            basins: vec![
                BasinFacts {
                    index: 1,
                    basin_type: "E_SINK".into(),
                    light: true,
                    p_trap: false,
                    custom: false,
                },
                BasinFacts {
                    index: 2,
                    basin_type: "E_DRAIN".into(),
                    light: false,
                    p_trap: true,
                    custom: true,
                },
            ],
            length: 60,
            width: 30,
            legs: "HEIGHT_ADJUSTABLE".into(),
            legs_model: "DL27".into(),
            feet: "LOCK_LEVELING_CASTERS".into(),
            pegboard: true,
            pegboard_type: Some("SOLID".into()),
            language: "FR".into(),
            faucet_types: vec!["WRIST_BLADE_SWING_SPOUT".into()],
            faucets: 2,
            sprayer_types: vec![],
            sprayers: 0,
        }
    }

    fn holds(src: &str, basin: Option<usize>) -> bool {
        let s = sink();
        let expr = compile(src, basin.is_some()).expect("valid condition");
        eval(&expr, &s, basin.map(|i| &s.basins[i]))
    }

    /// (condition, basinSpecific) of every item of the shipped checklists that has one.
    fn shipped_conditions() -> Vec<(String, bool)> {
        let doc: toml::Table =
            toml::from_str(crate::reference::CHECKLISTS_TOML).expect("valid TOML");
        let mut out = Vec::new();
        for t in doc["template"].as_array().expect("templates") {
            for item in t["item"].as_array().expect("items") {
                if let Some(cond) = item.get("appliesWhen").and_then(|v| v.as_str()) {
                    let basin = item
                        .get("basinSpecific")
                        .and_then(toml::Value::as_bool)
                        .unwrap_or(false);
                    out.push((cond.to_string(), basin));
                }
            }
        }
        out
    }

    #[test]
    fn every_shipped_condition_parses_and_validates() {
        let all = shipped_conditions();
        assert_eq!(all.len(), 73);
        let mut distinct: Vec<&(String, bool)> = all.iter().collect();
        distinct.sort();
        distinct.dedup();
        for (cond, basin) in distinct {
            let expr = compile(cond, *basin)
                .map_err(|e| format!("{cond:?}: {e:?}"))
                .expect("every shipped condition is valid");
            // Evaluating never fails, with or without a basin.
            let s = sink();
            let _ = eval(&expr, &s, s.basins.first());
            let _ = eval(&expr, &SinkFacts::default(), None);
        }
    }

    #[test]
    fn and_binds_tighter_than_or() {
        assert_eq!(
            p("pegboard = true or legs = FIXED_HEIGHT and feet = LOCK_LEVELING_CASTERS"),
            "(pegboard = true or (legs = FIXED_HEIGHT and feet = LOCK_LEVELING_CASTERS))"
        );
        assert_eq!(
            p("basins = 1 and basins = 2 or basins = 3 and length > 4"),
            "((basins = 1 and basins = 2) or (basins = 3 and length > 4))"
        );
        assert_eq!(
            p("(pegboard = true or legs = FIXED_HEIGHT) and feet = LOCK_LEVELING_CASTERS"),
            "((pegboard = true or legs = FIXED_HEIGHT) and feet = LOCK_LEVELING_CASTERS)"
        );
        // true or (false and false) = true; (true or false) and false = false.
        assert!(holds(
            "pegboard = true or legs = FIXED_HEIGHT and feet = SS_ADJUSTABLE_SEISMIC_FEET",
            None
        ));
        assert!(!holds(
            "(pegboard = true or legs = FIXED_HEIGHT) and feet = SS_ADJUSTABLE_SEISMIC_FEET",
            None
        ));
    }

    #[test]
    fn not_binds_tightest_and_nests() {
        assert_eq!(
            p("not pegboard = true and basins = 2"),
            "((not pegboard = true) and basins = 2)"
        );
        assert_eq!(p("not not pegboard = true"), "(not (not pegboard = true))");
        assert_eq!(
            p("not (pegboard = true and basins = 2)"),
            "(not (pegboard = true and basins = 2))"
        );
        assert!(!holds("not pegboard = true and basins = 2", None));
        assert!(holds("not not pegboard = true", None));
        assert!(holds("not (pegboard = true and basins = 3)", None));
    }

    #[test]
    fn comparisons_on_each_kind() {
        assert!(holds(
            "length >= 60 and length <= 60 and length > 59 and length < 61",
            None
        ));
        assert!(holds(
            "width != 31 and basins = 2 and faucets = 2 and sprayers = 0",
            None
        ));
        assert!(holds(
            "model = \"T2-B2\" and model = T2-B2 and model != 'T2-B3'",
            None
        ));
        assert!(holds(
            "language = FR and legs_model = DL27 and pegboard_type = SOLID",
            None
        ));
        assert!(!holds("pegboard = false", None));
        assert!(holds("length > -1", None));
    }

    #[test]
    fn in_and_not_in() {
        assert!(holds("language in [EN, FR]", None));
        assert!(!holds("language not in [EN, FR]", None));
        assert!(holds("language not in [EN, SP]", None));
        assert!(holds("basins in [2, 3] and model in [\"T2-B2\"]", None));
        assert!(holds("basin.type in [E_SINK, E_SINK_DI]", Some(0)));
        assert!(!holds("basin.type in [E_SINK, E_SINK_DI]", Some(1)));
        assert!(holds("basin.type not in [E_SINK, E_SINK_DI]", Some(1)));
        assert_eq!(
            p("basin.type not in [E_SINK]"),
            "basin.type not in [E_SINK]"
        );
    }

    #[test]
    fn quantifiers() {
        assert!(holds("any_basin = E_DRAIN", None));
        assert!(holds("any_basin in [E_SINK, E_SINK_DI]", None));
        assert!(!holds("any_basin = E_SINK_DI", None));
        assert!(holds("any_basin != E_SINK", None));
        assert!(!holds("all_basins = E_SINK", None));
        assert!(holds("all_basins in [E_SINK, E_DRAIN]", None));
        assert!(holds("all_basins != E_SINK_DI", None));
        assert!(holds("any_faucet = WRIST_BLADE_SWING_SPOUT", None));
        assert!(!holds("any_faucet = GOOSENECK_TREATED_WATER", None));
        assert!(!holds(
            "any_sprayer in [AIR_GUN_KIT_TURRET, AIR_GUN_KIT_ROSETTE]",
            None
        ));
        assert!(holds("not any_sprayer = AIR_GUN_KIT_TURRET", None));
        // With no basins, nothing exists and everything holds for all of them.
        let empty = SinkFacts::default();
        assert!(!eval(
            &compile("any_basin = E_SINK", false).expect("valid"),
            &empty,
            None
        ));
        assert!(eval(
            &compile("all_basins = E_SINK", false).expect("valid"),
            &empty,
            None
        ));
    }

    #[test]
    fn basin_subjects_use_the_given_basin() {
        assert!(holds("basin.index = 1 and basin.light = true", Some(0)));
        assert!(holds(
            "basin.index = 2 and basin.p_trap = true and basin.custom = true",
            Some(1)
        ));
        assert!(!holds("basin.light = true", Some(1)));
        let s = sink();
        let e = compile("basin.light = true", true).expect("valid");
        assert!(!eval(&e, &s, None), "no basin: basin subjects are false");
    }

    #[test]
    fn missing_pegboard_type_makes_every_comparison_false() {
        let mut s = sink();
        s.pegboard_type = None;
        for src in [
            "pegboard_type = SOLID",
            "pegboard_type != SOLID",
            "pegboard_type in [SOLID]",
            "pegboard_type not in [SOLID]",
        ] {
            assert!(
                !eval(&compile(src, false).expect("valid"), &s, None),
                "{src}"
            );
        }
    }

    #[test]
    fn syntax_errors_name_the_column() {
        let cases = [
            ("", "empty"),
            ("pegboard", "expected an operator"),
            ("pegboard =", "expected a value, found the end at column 11"),
            ("pegboard = true and", "expected a subject"),
            ("(pegboard = true", "expected \")\", found the end"),
            ("basins in [1, 2", "expected \"]\""),
            ("basins in 1", "expected \"[\""),
            ("basins in []", "expected a value"),
            ("basins == 2", "expected a value, found \"=\" at column 9"),
            (
                "basins = 2 pegboard = true",
                "expected \"and\", \"or\" or the end, found \"pegboard\" at column 12",
            ),
            ("model = \"T2-B1", "unterminated string at column 9"),
            ("basins = 2x", "neither a whole number"),
            ("basins ! 2", "unexpected character '!'"),
            ("basins = 2 & pegboard = true", "unexpected character '&'"),
            ("and = 2", "expected a subject"),
            ("basins = and", "expected a value"),
        ];
        for (src, needle) in cases {
            let got = p(src);
            assert!(
                got.starts_with("ERR ") && got.contains(needle),
                "{src:?}: {got}"
            );
        }
    }

    #[test]
    fn validation_errors_are_clear_and_all_reported() {
        let errs = |src: &str, basin: bool| compile(src, basin).err().unwrap_or_default();
        let e = errs("colour = RED", false);
        assert!(e[0].contains("unknown subject \"colour\""), "{e:?}");
        let e = errs("basin.type = E_SINK", false);
        assert!(
            e[0].contains("\"basin.type\" is allowed only in a basinSpecific item"),
            "{e:?}"
        );
        let e = errs("legs = TALL", false);
        assert!(
            e[0].contains("\"legs\" has no value \"TALL\"") && e[0].contains("HEIGHT_ADJUSTABLE"),
            "{e:?}"
        );
        let e = errs("length = \"48\"", false);
        assert!(
            e[0].contains("\"length\" is compared with a whole number"),
            "{e:?}"
        );
        let e = errs("pegboard = 1", false);
        assert!(e[0].contains("true or false"), "{e:?}");
        let e = errs("legs = 3", false);
        assert!(e[0].contains("\"legs\" is compared with one of"), "{e:?}");
        let e = errs("feet < LOCK_LEVELING_CASTERS", false);
        assert!(e[0].contains("\"<\" works only on a number"), "{e:?}");
        let e = errs("any_basin in [E_SINK, SINK]", false);
        assert!(e[0].contains("no value \"SINK\""), "{e:?}");
        // Every problem, not only the first.
        let e = errs("colour = RED or basin.light = true and legs = TALL", false);
        assert_eq!(e.len(), 3, "{e:?}");
    }
}
