//! Judging one answer against its item, and the form's progress and PASS rule.

use super::{Answer, FormLine, Judgement, LineAnswer, Progress, QcItemDef};
use crate::domain::checklist::CheckType;
use crate::text::check_text;
use rust_decimal::Decimal;

/// The value of a MULTI_CHOICE answer from the chosen options: joined by `"; "` in the order of the
/// item's options, whatever order they were picked in; unknown options are left out.
pub fn join_options(item: &QcItemDef, chosen: &[&str]) -> String {
    item.options
        .iter()
        .filter(|o| chosen.contains(&o.as_str()))
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(OPTION_SEPARATOR)
}

/// How several MULTI_CHOICE options are stored in one value.
pub const OPTION_SEPARATOR: &str = "; ";
/// Longest TEXT answer.
pub const TEXT_MAX: usize = 200;

fn has_note(answer: &Answer) -> bool {
    answer
        .notes
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty())
}

/// `"41.5"`, `"-2"`, `".5"`: an optional sign, digits and at most one decimal point, nothing else (no
/// exponent, no thousands separators), so what is stored is exactly the number the inspector read.
fn parse_decimal(text: &str) -> Option<Decimal> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let well_formed = digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1;
    if !well_formed {
        return None;
    }
    let unsigned = digits
        .strip_prefix('.')
        .map_or_else(|| digits.to_string(), |d| format!("0.{d}"));
    let n: Decimal = unsigned.parse().ok()?;
    Some(if text.starts_with('-') { -n } else { n })
}

/// A bound as people write it: `40`, not `40.0`.
fn bound_text(d: Decimal) -> String {
    d.normalize().to_string()
}

fn with_unit(value: &str, unit: Option<&str>) -> String {
    match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => format!("{value} {u}"),
        None => value.to_string(),
    }
}

fn judge_yes_no(value: &str) -> Judgement {
    match value {
        "YES" => Judgement::Conforming,
        "NO" => Judgement::NonConforming("answered NO".into()),
        other => Judgement::Invalid(format!("\"{other}\" is not an answer; answer YES or NO")),
    }
}

fn judge_measurement(item: &QcItemDef, value: &str) -> Judgement {
    let Some(v) = parse_decimal(value) else {
        return Judgement::Invalid(format!("{value} is not a number"));
    };
    let unit = item.unit.as_deref();
    if let Some(min) = item.min
        && v < min
    {
        return Judgement::NonConforming(format!(
            "{} is below the minimum {}",
            with_unit(value, unit),
            with_unit(&bound_text(min), unit)
        ));
    }
    if let Some(max) = item.max
        && v > max
    {
        return Judgement::NonConforming(format!(
            "{} is above the maximum {}",
            with_unit(value, unit),
            with_unit(&bound_text(max), unit)
        ));
    }
    Judgement::Conforming
}

fn judge_choice(item: &QcItemDef, value: &str, answer: &Answer) -> Judgement {
    let chosen: Vec<&str> = if item.multiple {
        value.split(OPTION_SEPARATOR).collect()
    } else {
        vec![value]
    };
    for c in &chosen {
        if !item.options.iter().any(|o| o == c) {
            return Judgement::Invalid(format!(
                "\"{c}\" is not one of the options: {}",
                item.options.join(", ")
            ));
        }
    }
    // One stored spelling per choice, so results compare and hash alike.
    if join_options(item, &chosen) != value {
        return Judgement::Invalid(format!(
            "\"{value}\": list each option once, in the order {}",
            item.options.join(", ")
        ));
    }
    if let Some(c) = chosen
        .iter()
        .find(|c| item.note_required_for.iter().any(|n| n == *c))
        && !has_note(answer)
    {
        return Judgement::Invalid(format!("\"{c}\" needs a note"));
    }
    Judgement::Conforming
}

/// An answer's text may hold no forbidden character (`text::check_text`): the value is one line,
/// the notes are edited over several lines.
pub fn check_answer_text(answer: &Answer) -> Result<(), String> {
    if let Some(v) = &answer.value {
        check_text("Answer", v, false)?;
    }
    if let Some(n) = &answer.notes {
        check_text("Note", n, true)?;
    }
    Ok(())
}

/// How `answer` stands against `item` (docs/checklists.md §4).
pub fn judge(item: &QcItemDef, answer: &Answer) -> Judgement {
    if let Err(why) = check_answer_text(answer) {
        return Judgement::Invalid(why);
    }
    let value = answer.value.as_deref().filter(|v| !v.trim().is_empty());
    if answer.is_na {
        if item.check_type != CheckType::NaOption {
            return Judgement::Invalid("N/A is not an answer for this item".into());
        }
        if value.is_some() {
            return Judgement::Invalid("An N/A answer has no value".into());
        }
        if !has_note(answer) {
            return Judgement::Invalid("N/A needs a note".into());
        }
        return Judgement::Conforming;
    }
    let Some(value) = value.map(str::trim) else {
        return Judgement::Unanswered;
    };
    match item.check_type {
        CheckType::Boolean | CheckType::NaOption => judge_yes_no(value),
        CheckType::Measurement => judge_measurement(item, value),
        CheckType::MultiChoice => judge_choice(item, value, answer),
        CheckType::Text => {
            if value.trim().chars().count() > TEXT_MAX {
                Judgement::Invalid(format!("The text is longer than {TEXT_MAX} characters"))
            } else {
                Judgement::Conforming
            }
        }
    }
}

/// The progress counts of a form with these answers (answers to lines not on the form are ignored).
pub fn progress(items: &[QcItemDef], lines: &[FormLine], answers: &[LineAnswer]) -> Progress {
    let mut p = Progress {
        lines: lines.len(),
        ..Progress::default()
    };
    for line in lines {
        let Some(item) = items.get(line.item) else {
            continue;
        };
        let answer = answers
            .iter()
            .find(|a| a.item_id == item.id && a.basin_index == line.basin_index)
            .map(|a| &a.answer);
        let judged = answer.map_or(Judgement::Unanswered, |a| judge(item, a));
        if item.required {
            p.required += 1;
        }
        match judged {
            Judgement::Unanswered | Judgement::Invalid(_) => {}
            Judgement::Conforming => {
                p.answered += 1;
                if item.required {
                    p.answered_required += 1;
                }
            }
            Judgement::NonConforming(_) => {
                p.answered += 1;
                p.non_conforming += 1;
                if item.required {
                    p.answered_required += 1;
                }
            }
        }
    }
    p
}

/// PASS is offered only when every applicable required item is answered and none is non-conforming.
pub fn may_pass(p: &Progress) -> bool {
    p.answered_required == p.required && p.non_conforming == 0
}
