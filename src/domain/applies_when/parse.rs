//! The tokenizer and the recursive-descent parser of the condition language.

use super::{CmpOp, Expr, ParseError, Value};

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
