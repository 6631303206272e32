//! One item's form in the template editor (docs/checklists.md §12.2): the item's keys as fields, read back
//! into an [`ItemDraft`]; keys the form does not show are kept as they were.

use crate::domain::checklist::{CheckType, ItemDraft, ItemProblem, TEST_TYPES, Usage};
use crate::widgets::form_field::{Form, FormField};

/// The fields, in form order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Code,
    Section,
    Sequence,
    Description,
    CheckType,
    Options,
    Multiple,
    Unit,
    Min,
    Max,
    Required,
    BasinSpecific,
    AppliesWhen,
    NotesPrompt,
    EstMinutes,
    TestType,
    ItemId,
    Qty,
}

/// The fields of an item of a template with `usage`: every item's keys, then its usage's own.
pub fn fields(usage: Usage) -> Vec<Field> {
    use Field as F;
    let mut out = vec![
        F::Code,
        F::Section,
        F::Sequence,
        F::Description,
        F::CheckType,
        F::Options,
        F::Multiple,
        F::Unit,
        F::Min,
        F::Max,
        F::Required,
        F::BasinSpecific,
        F::AppliesWhen,
        F::NotesPrompt,
    ];
    match usage {
        Usage::Tasks => out.push(F::EstMinutes),
        Usage::TestingForm => out.push(F::TestType),
        Usage::Packaging => out.extend([F::ItemId, F::Qty]),
        Usage::QcResult => {}
    }
    out
}

fn yes_no(label: &str, value: bool) -> FormField {
    FormField::choice(label, vec!["no".into(), "yes".into()], usize::from(value))
}

fn text(label: &str, value: &str, hint: &str) -> FormField {
    let mut f = FormField::text(label).with_max_len(500);
    if !hint.is_empty() {
        f = f.with_hint(hint);
    }
    f.set_value(value);
    f
}

fn number<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn field_of(f: Field, d: &ItemDraft) -> FormField {
    match f {
        Field::Code => text("Code", &d.code, "Unique in the template, e.g. PRE-16"),
        Field::Section => text("Section", &d.section, ""),
        Field::Sequence => text("Sequence", &d.sequence.to_string(), "Display order"),
        Field::Description => text("Wording", &d.description, ""),
        Field::CheckType => {
            let codes: Vec<String> = CheckType::ALL.iter().map(|c| c.code().into()).collect();
            let at = codes.iter().position(|c| *c == d.check_type).unwrap_or(0);
            FormField::choice("Check type", codes, at)
        }
        Field::Options => text(
            "Options",
            &d.options.as_deref().unwrap_or_default().join("; "),
            "MULTI_CHOICE: answers separated by ;",
        ),
        Field::Multiple => yes_no("Several answers", d.multiple.unwrap_or(false)),
        Field::Unit => text("Unit", d.unit.as_deref().unwrap_or(""), "MEASUREMENT"),
        Field::Min => text("Min", &number(d.min), "MEASUREMENT"),
        Field::Max => text("Max", &number(d.max), "MEASUREMENT"),
        Field::Required => yes_no("Required", d.required.unwrap_or(true)),
        Field::BasinSpecific => yes_no("Per basin", d.basin_specific.unwrap_or(false)),
        Field::AppliesWhen => text(
            "Applies when",
            d.applies_when.as_deref().unwrap_or(""),
            "Empty: always; e.g. any_basin = E_DRAIN",
        ),
        Field::NotesPrompt => yes_no("Notes field", d.notes_prompt.unwrap_or(false)),
        Field::EstMinutes => text("Minutes", &number(d.est_minutes), "Task estimate"),
        Field::TestType => {
            let at = d
                .test_type
                .as_deref()
                .and_then(|t| TEST_TYPES.iter().position(|x| *x == t))
                .unwrap_or(0);
            FormField::choice(
                "Test type",
                TEST_TYPES.iter().map(|t| (*t).to_string()).collect(),
                at,
            )
        }
        Field::ItemId => text("Catalog id", d.item_id.as_deref().unwrap_or(""), ""),
        Field::Qty => text(
            "Quantity",
            &d.qty_from.clone().unwrap_or_else(|| number(d.qty)),
            "A number, or bom",
        ),
    }
}

/// The form of one item: a new one (`index` None) or the list's item `index`.
pub struct ItemForm {
    pub index: Option<usize>,
    pub fields: Vec<Field>,
    pub form: Form,
    /// The item as it was: what the form does not show is kept from it.
    pub base: ItemDraft,
    /// This item's problems from the last check, with the condition's column.
    pub problems: Vec<ItemProblem>,
    pub opened_with: Vec<String>,
    /// Esc was pressed once over typed changes; the next Esc discards them.
    pub discard_armed: bool,
}

impl ItemForm {
    pub fn new(index: Option<usize>, usage: Usage, base: ItemDraft) -> ItemForm {
        let fields = fields(usage);
        let form = Form::new(fields.iter().map(|f| field_of(*f, &base)).collect());
        let opened_with = form.values();
        ItemForm {
            index,
            fields,
            form,
            base,
            problems: Vec::new(),
            opened_with,
            discard_armed: false,
        }
    }

    pub fn changed(&self) -> bool {
        self.form.values() != self.opened_with
    }

    fn value(&self, f: Field) -> String {
        self.fields
            .iter()
            .position(|x| *x == f)
            .map(|i| self.form.value(i))
            .unwrap_or_default()
    }

    fn set_error(&mut self, f: Field, e: &str) {
        if let Some(i) = self.fields.iter().position(|x| *x == f) {
            self.form.set_error(i, e);
        }
    }

    /// The form read back into a draft; a field that is not a number says so under itself and gives
    /// `None`.
    pub fn draft(&mut self) -> Option<ItemDraft> {
        self.form.clear_errors();
        let mut d = self.base.clone();
        let mut ok = true;
        let opt = |s: String| {
            let t = s.trim().to_string();
            (!t.is_empty()).then_some(t)
        };
        let flag = |was: Option<bool>, yes: bool| match (was, yes) {
            (None, false) => None,
            (_, v) => Some(v),
        };
        for f in self.fields.clone() {
            let v = self.value(f);
            match f {
                Field::Code => d.code = v.trim().to_string(),
                Field::Section => d.section = v.trim().to_string(),
                Field::Sequence => match v.trim().parse::<i64>() {
                    Ok(n) => d.sequence = n,
                    Err(_) => {
                        self.set_error(f, "A whole number");
                        ok = false;
                    }
                },
                Field::Description => d.description = v.trim().to_string(),
                Field::CheckType => d.check_type = v,
                Field::Options => {
                    d.options = opt(v).map(|s| {
                        s.split(';')
                            .map(|o| o.trim().to_string())
                            .filter(|o| !o.is_empty())
                            .collect()
                    });
                }
                Field::Multiple => d.multiple = flag(self.base.multiple, v == "yes"),
                Field::Unit => d.unit = opt(v),
                Field::Min | Field::Max => {
                    let parsed = match opt(v) {
                        None => Some(None),
                        Some(s) => s.parse::<f64>().ok().filter(|x| x.is_finite()).map(Some),
                    };
                    match parsed {
                        Some(x) if f == Field::Min => d.min = x,
                        Some(x) => d.max = x,
                        None => {
                            self.set_error(f, "A number, e.g. 41.5");
                            ok = false;
                        }
                    }
                }
                Field::Required => d.required = Some(v == "yes"),
                Field::BasinSpecific => d.basin_specific = Some(v == "yes"),
                Field::AppliesWhen => d.applies_when = opt(v),
                Field::NotesPrompt => d.notes_prompt = Some(v == "yes"),
                Field::EstMinutes => match opt(v) {
                    None => d.est_minutes = None,
                    Some(s) => match s.parse::<i64>() {
                        Ok(n) => d.est_minutes = Some(n),
                        Err(_) => {
                            self.set_error(f, "A whole number of minutes");
                            ok = false;
                        }
                    },
                },
                Field::TestType => d.test_type = Some(v),
                Field::ItemId => d.item_id = opt(v),
                Field::Qty => match opt(v) {
                    None => {
                        d.qty = None;
                        d.qty_from = None;
                    }
                    Some(s) if s == "bom" => {
                        d.qty = None;
                        d.qty_from = Some(s);
                    }
                    Some(s) => match s.parse::<i64>() {
                        Ok(n) => {
                            d.qty = Some(n);
                            d.qty_from = None;
                        }
                        Err(_) => {
                            self.set_error(f, "A whole number, or bom");
                            ok = false;
                        }
                    },
                },
            }
        }
        ok.then_some(d)
    }

    /// Focuses the field a problem is about, when its message names one.
    pub fn focus_problem(&mut self) {
        let Some(p) = self.problems.first() else {
            return;
        };
        let key = |f: Field| match f {
            Field::AppliesWhen => "appliesWhen",
            Field::Options => "option",
            Field::Unit => "unit",
            Field::Min => "min",
            Field::Sequence => "sequence",
            Field::Code => "code",
            Field::Section => "section",
            Field::Description => "description",
            _ => "\u{0}",
        };
        let tail = shown_message(&p.message);
        if let Some(i) = self.fields.iter().position(|f| tail.starts_with(key(*f))) {
            self.form.set_focus(i);
        }
    }
}

/// A problem's message without the template and item it names (the form is about that item).
pub fn shown_message(message: &str) -> &str {
    message.split_once("\": ").map_or(message, |(_, rest)| rest)
}
