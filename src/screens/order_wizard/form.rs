//! The wizard's fields: which ones a step shows, how each reads, and how an edit changes the state.
//! Pure functions of `WizardState`, so the screen and its tests agree on every field.

use super::state::{BasinSize, BuildDraft, FaucetDraft, Fid, SprayerDraft, Step, WizardState};
use super::state::{model_label, size_label};
use crate::domain::order::{
    BasinType, DocumentLanguage, FaucetPlacement, FaucetType, FeetType, LEGS_MODELS, LegsType,
    PegboardColor, PegboardSizeType, PegboardType, SINK_MODELS, STANDARD_BASINS, SinkFamily,
    SprayerLocation, SprayerType, WIZARD_DOCUMENT_TYPES, WorkflowDirection,
};
use chrono::NaiveDate;

/// What an unset choice shows.
pub const UNSET: &str = "— select —";

/// One line of a step's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Heading(String),
    Field(Fid),
    /// A section's own error (a total, a count), shown under its heading.
    Section(Fid),
    /// A line of explanation.
    Note(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Text {
        value: String,
        max_len: usize,
    },
    Choice(String),
    /// A row that acts when pressed (Enter or Space).
    Button(String),
    /// A list entry: focusable (to remove it), not editable.
    Row(String),
    /// A section anchor: not an input.
    Anchor,
}

/// How one field is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub label: String,
    pub kind: Kind,
    /// Shown after the input, muted.
    pub hint: Option<String>,
    /// Width between the brackets.
    pub width: u16,
}

const CHOICE_W: u16 = 31;
const NUMBER_W: u16 = 6;

fn text(label: &str, value: &str, max_len: usize, width: u16, hint: Option<&str>) -> Spec {
    Spec {
        label: label.into(),
        kind: Kind::Text {
            value: value.into(),
            max_len,
        },
        hint: hint.map(str::to_string),
        width,
    }
}

fn choice(label: &str, value: Option<&str>) -> Spec {
    Spec {
        label: label.into(),
        kind: Kind::Choice(value.unwrap_or(UNSET).to_string()),
        hint: None,
        width: CHOICE_W,
    }
}

fn number(label: &str, value: &str, hint: &str) -> Spec {
    text(label, value, 4, NUMBER_W, Some(hint))
}

fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

/// The fields and headings of `step`, for build `b` in steps 3-4.
pub fn items(state: &WizardState, step: Step, b: usize) -> Vec<Item> {
    use Item::{Field, Heading, Note, Section};
    match step {
        Step::Customer => std::iter::once(Note(
            "The PO header: every build of the PO carries the same.".into(),
        ))
        .chain(
            [
                Fid::PoNumber,
                Fid::Customer,
                Fid::Project,
                Fid::SalesPerson,
                Fid::WantDate,
                Fid::Language,
                Fid::Notes,
            ]
            .map(Field),
        )
        .chain(std::iter::once(Heading("Attachments".into())))
        .chain((0..state.attachments.len()).map(|i| Field(Fid::Attachment(i))))
        .chain([Field(Fid::AttachPath), Field(Fid::AttachType)])
        .collect(),
        Step::Builds => {
            let mut v = vec![Field(Fid::Family), Field(Fid::Count)];
            v.push(Heading("Build numbers".into()));
            v.extend((0..state.builds.len()).map(|i| Field(Fid::BuildNumber(i))));
            v
        }
        Step::Configuration => {
            let Some(build) = state.builds.get(b) else {
                return Vec::new();
            };
            let mut v = vec![Heading("Sink".into())];
            v.extend(
                [
                    Fid::Model,
                    Fid::Width,
                    Fid::Length,
                    Fid::LegsType,
                    Fid::LegsModel,
                    Fid::Feet,
                    Fid::Direction,
                ]
                .map(Field),
            );
            v.push(Heading("Pegboard".into()));
            v.push(Field(Fid::Pegboard));
            if build.pegboard {
                v.extend([Fid::PegColor, Fid::PegType, Fid::PegSize].map(Field));
                if build.peg_size == PegboardSizeType::Custom {
                    v.extend([Fid::PegWidth, Fid::PegLength].map(Field));
                }
            }
            v.push(Section(Fid::Basins));
            if build.basins.is_empty() {
                v.push(Heading("Basins".into()));
                v.push(Note(
                    "Choose the model first: it sets the number of basins.".into(),
                ));
            }
            for (i, basin) in build.basins.iter().enumerate() {
                v.push(Heading(format!("Basin {}", i + 1)));
                v.push(Field(Fid::BasinType(i)));
                v.push(Field(Fid::BasinSize(i)));
                if basin.size == Some(BasinSize::Custom) {
                    v.extend(
                        [Fid::BasinWidth(i), Fid::BasinLength(i), Fid::BasinDepth(i)].map(Field),
                    );
                }
                v.push(Field(Fid::BasinPTrap(i)));
                v.push(Field(Fid::BasinLight(i)));
            }
            // "+ Add" heads its rows, so Tab from the last row goes on to the next section
            // (docs/lifecycle.md §6.4.1).
            v.push(Heading("Faucets".into()));
            v.push(Section(Fid::Faucets));
            v.push(Field(Fid::AddFaucet));
            for i in 0..build.faucets.len() {
                v.extend(
                    [
                        Fid::FaucetType(i),
                        Fid::FaucetQty(i),
                        Fid::FaucetPlacement(i),
                    ]
                    .map(Field),
                );
            }
            v.push(Heading("Sprayers".into()));
            v.push(Section(Fid::Sprayers));
            v.push(Field(Fid::AddSprayer));
            for i in 0..build.sprayers.len() {
                v.extend(
                    [
                        Fid::SprayerType(i),
                        Fid::SprayerQty(i),
                        Fid::SprayerLocation(i),
                    ]
                    .map(Field),
                );
            }
            v
        }
        Step::Accessories | Step::Review => Vec::new(),
    }
}

/// The form's sections as the screen shows them: the fields under each heading, the fields above the
/// first heading making one of their own; a section without a field (a note only) is left out.
/// Each comes with the index of its heading in `items` (docs/lifecycle.md §6.4.1).
pub fn sections(items: &[Item]) -> Vec<(Option<usize>, Vec<Fid>)> {
    let mut out = vec![(None, Vec::new())];
    for (k, item) in items.iter().enumerate() {
        match item {
            Item::Heading(_) => out.push((Some(k), Vec::new())),
            Item::Field(f) => {
                if let Some((_, fields)) = out.last_mut() {
                    fields.push(*f);
                }
            }
            Item::Section(_) | Item::Note(_) => {}
        }
    }
    out.retain(|(_, fields)| !fields.is_empty());
    out
}

/// The fields focus moves through, in order.
pub fn focusable(items: &[Item]) -> Vec<Fid> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Field(f) => Some(*f),
            _ => None,
        })
        .collect()
}

fn language_label(l: DocumentLanguage) -> String {
    format!("{} ({})", l.title(), l.code())
}

/// How field `fid` of build `b` reads.
pub fn spec(state: &WizardState, b: usize, fid: Fid, today: Option<NaiveDate>) -> Spec {
    let h = &state.header;
    let empty = BuildDraft::default();
    let build = state.builds.get(b).unwrap_or(&empty);
    let basin = |i: usize| build.basins.get(i);
    let faucet = |i: usize| build.faucets.get(i);
    let sprayer = |i: usize| build.sprayers.get(i);
    match fid {
        Fid::PoNumber => text(
            "PO number",
            &h.po_number,
            60,
            24,
            Some("3-50 characters, new"),
        ),
        Fid::Customer => text("Customer name", &h.customer_name, 110, 40, None),
        Fid::Project => text("Project name", &h.project_name, 110, 40, Some("optional")),
        Fid::SalesPerson => text("Sales person", &h.sales_person, 110, 40, None),
        Fid::WantDate => {
            let after = today.map_or_else(
                || "YYYY-MM-DD".to_string(),
                |t| format!("YYYY-MM-DD, after {}", t.format("%Y-%m-%d")),
            );
            text("Want date", &h.want_date, 12, 12, Some(&after))
        }
        Fid::Language => choice("Document language", Some(&language_label(h.language))),
        Fid::Notes => text("Notes", &h.notes, 2100, 40, Some("optional")),
        Fid::Attachment(i) => Spec {
            label: String::new(),
            kind: Kind::Row(
                state
                    .attachments
                    .get(i)
                    .map(|a| a.label())
                    .unwrap_or_default(),
            ),
            hint: None,
            width: 0,
        },
        Fid::AttachPath => text("Add file", &state.attach_path, 1000, 40, Some("Enter adds")),
        Fid::AttachType => choice("File type", Some(state.attach_type.code())),
        Fid::Family => Spec {
            hint: Some("only MDRD can be configured for now".into()),
            width: 16,
            ..choice("Sink family", Some(state.family.title()))
        },
        Fid::Count => text("Number of sinks", &state.count, 3, 4, Some("1 to 10")),
        Fid::BuildNumber(i) => text(
            &format!("Build {}", i + 1),
            &state
                .builds
                .get(i)
                .map(|b| b.number.clone())
                .unwrap_or_default(),
            60,
            24,
            (i == 0).then_some("3-50 letters, digits or '-'"),
        ),
        Fid::Model => choice("Model", build.model.as_deref().map(model_label).as_deref()),
        Fid::Width => number("Width (in)", &build.width, "24-120"),
        Fid::Length => number("Length (in)", &build.length, "48-120"),
        Fid::LegsType => choice("Legs type", build.legs_type.map(LegsType::title)),
        Fid::LegsModel => choice("Legs model", build.legs_model.as_deref()),
        Fid::Feet => choice("Feet", build.feet.map(FeetType::title)),
        Fid::Direction => choice("Direction", Some(build.direction.title())),
        Fid::Pegboard => choice("Pegboard", Some(yes_no(build.pegboard))),
        Fid::PegColor => choice("Colour", build.peg_color.map(PegboardColor::title)),
        Fid::PegType => choice("Type", build.peg_type.map(PegboardType::title)),
        Fid::PegSize => choice("Size", Some(build.peg_size.title())),
        Fid::PegWidth => number("Width (in)", &build.peg_width, "12-130"),
        Fid::PegLength => number("Length (in)", &build.peg_length, "12-130"),
        Fid::BasinType(i) => choice(
            "Type",
            basin(i).and_then(|b| b.basin_type).map(BasinType::title),
        ),
        Fid::BasinSize(i) => {
            let size = basin(i).and_then(|b| b.size);
            choice(
                "Size (W x L x D)",
                size.is_some().then(|| size_label(size)).as_deref(),
            )
        }
        Fid::BasinWidth(i) => number(
            "Width (in)",
            basin(i).map_or("", |b| b.width.as_str()),
            "1-50",
        ),
        Fid::BasinLength(i) => number(
            "Length (in)",
            basin(i).map_or("", |b| b.length.as_str()),
            "1-50",
        ),
        Fid::BasinDepth(i) => number(
            "Depth (in)",
            basin(i).map_or("", |b| b.depth.as_str()),
            "1-20",
        ),
        Fid::BasinPTrap(i) => choice(
            "P-trap drain",
            Some(yes_no(basin(i).is_some_and(|b| b.p_trap))),
        ),
        Fid::BasinLight(i) => choice(
            "Basin light",
            Some(yes_no(basin(i).is_some_and(|b| b.light))),
        ),
        Fid::FaucetType(i) => choice(
            &format!("Faucet {}", i + 1),
            faucet(i).and_then(|f| f.faucet_type).map(FaucetType::title),
        ),
        Fid::FaucetQty(i) => text(
            "  Quantity",
            faucet(i).map_or("", |f| f.quantity.as_str()),
            2,
            NUMBER_W,
            Some("1-3"),
        ),
        Fid::FaucetPlacement(i) => choice("  Placement", faucet(i).map(|f| f.placement.title())),
        Fid::SprayerType(i) => choice(
            &format!("Sprayer {}", i + 1),
            sprayer(i)
                .and_then(|s| s.sprayer_type)
                .map(SprayerType::title),
        ),
        Fid::SprayerQty(i) => text(
            "  Quantity",
            sprayer(i).map_or("", |s| s.quantity.as_str()),
            2,
            NUMBER_W,
            Some("1 or 2"),
        ),
        Fid::SprayerLocation(i) => choice(
            "  Location",
            sprayer(i)
                .and_then(|s| s.location)
                .map(SprayerLocation::title),
        ),
        Fid::AddFaucet => button("+ Add faucet"),
        Fid::AddSprayer => button("+ Add sprayer"),
        Fid::Basins | Fid::Faucets | Fid::Sprayers | Fid::Accessories => Spec {
            label: String::new(),
            kind: Kind::Anchor,
            hint: None,
            width: 0,
        },
    }
}

fn button(label: &str) -> Spec {
    Spec {
        label: String::new(),
        kind: Kind::Button(label.into()),
        hint: None,
        width: 0,
    }
}

/// The text behind a text field, to edit in place.
pub fn text_mut(state: &mut WizardState, b: usize, fid: Fid) -> Option<&mut String> {
    let h = &mut state.header;
    Some(match fid {
        Fid::PoNumber => &mut h.po_number,
        Fid::Customer => &mut h.customer_name,
        Fid::Project => &mut h.project_name,
        Fid::SalesPerson => &mut h.sales_person,
        Fid::WantDate => &mut h.want_date,
        Fid::Notes => &mut h.notes,
        Fid::AttachPath => &mut state.attach_path,
        Fid::Count => &mut state.count,
        Fid::BuildNumber(i) => &mut state.builds.get_mut(i)?.number,
        _ => {
            let build = state.builds.get_mut(b)?;
            match fid {
                Fid::Width => &mut build.width,
                Fid::Length => &mut build.length,
                Fid::PegWidth => &mut build.peg_width,
                Fid::PegLength => &mut build.peg_length,
                Fid::BasinWidth(i) => &mut build.basins.get_mut(i)?.width,
                Fid::BasinLength(i) => &mut build.basins.get_mut(i)?.length,
                Fid::BasinDepth(i) => &mut build.basins.get_mut(i)?.depth,
                Fid::FaucetQty(i) => {
                    let f = build.faucets.get_mut(i)?;
                    f.prefilled = false;
                    &mut f.quantity
                }
                Fid::SprayerQty(i) => &mut build.sprayers.get_mut(i)?.quantity,
                _ => return None,
            }
        }
    })
}

/// The next (or previous) value of a list; an unset value starts at the first (or last).
fn turn<T: Copy + PartialEq>(all: &[T], current: Option<T>, forward: bool) -> Option<T> {
    let n = all.len();
    if n == 0 {
        return current;
    }
    let i = match current.and_then(|c| all.iter().position(|x| *x == c)) {
        None if forward => 0,
        None => n - 1,
        Some(i) if forward => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
    };
    all.get(i).copied()
}

fn turn_set<T: Copy + PartialEq>(all: &[T], current: T, forward: bool) -> T {
    turn(all, Some(current), forward).unwrap_or(current)
}

/// What turning a choice asks of the screen besides the change itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turned {
    /// Nothing to turn here.
    No,
    Done,
    /// A model change would drop these configured basins (1-based): ask first.
    ConfirmModel {
        model: String,
        basins: Vec<usize>,
    },
}

/// Turns choice `fid` of build `b` one value on (or back), with the rules that follow a change:
/// "No" pegboard clears its fields, a change in the number of DI basins pre-fills the gooseneck.
pub fn turn_choice(state: &mut WizardState, b: usize, fid: Fid, forward: bool) -> Turned {
    let bools = [false, true];
    match fid {
        Fid::Language => {
            state.header.language = turn_set(DocumentLanguage::ALL, state.header.language, forward);
            return Turned::Done;
        }
        Fid::Family => {
            state.family = turn_set(SinkFamily::ALL, state.family, forward);
            return Turned::Done;
        }
        Fid::AttachType => {
            state.attach_type = turn_set(&WIZARD_DOCUMENT_TYPES, state.attach_type, forward);
            return Turned::Done;
        }
        _ => {}
    }
    let Some(build) = state.builds.get_mut(b) else {
        return Turned::No;
    };
    match fid {
        Fid::Model => {
            let models: Vec<&str> = SINK_MODELS.iter().map(|(m, _)| *m).collect();
            let Some(next) = turn(&models, build.model.as_deref(), forward).map(str::to_string)
            else {
                return Turned::No;
            };
            let basins = build.configured_basins_beyond(&next);
            if !basins.is_empty() {
                return Turned::ConfirmModel {
                    model: next,
                    basins,
                };
            }
            build.set_model(&next);
        }
        Fid::LegsType => build.legs_type = turn(LegsType::ALL, build.legs_type, forward),
        Fid::LegsModel => {
            // LC1 exists only height-adjustable, so fixed legs do not offer it.
            let models: Vec<&str> = LEGS_MODELS
                .iter()
                .copied()
                .filter(|m| *m != "LC1" || build.legs_type != Some(LegsType::FixedHeight))
                .collect();
            build.legs_model =
                turn(&models, build.legs_model.as_deref(), forward).map(str::to_string);
        }
        Fid::Feet => build.feet = turn(FeetType::ALL, build.feet, forward),
        Fid::Direction => {
            build.direction = turn_set(WorkflowDirection::ALL, build.direction, forward);
        }
        Fid::Pegboard => {
            build.pegboard = !build.pegboard;
            if !build.pegboard {
                build.peg_color = None;
                build.peg_type = None;
                build.peg_size = PegboardSizeType::SameAsSink;
                build.peg_width.clear();
                build.peg_length.clear();
            }
        }
        Fid::PegColor => build.peg_color = turn(PegboardColor::ALL, build.peg_color, forward),
        Fid::PegType => build.peg_type = turn(PegboardType::ALL, build.peg_type, forward),
        Fid::PegSize => build.peg_size = turn_set(PegboardSizeType::ALL, build.peg_size, forward),
        Fid::BasinType(i) => {
            let before = build.di_count();
            let Some(basin) = build.basins.get_mut(i) else {
                return Turned::No;
            };
            basin.basin_type = turn(BasinType::ALL, basin.basin_type, forward);
            if build.di_count() != before {
                build.prefill_gooseneck();
            }
        }
        Fid::BasinSize(i) => {
            let Some(basin) = build.basins.get_mut(i) else {
                return Turned::No;
            };
            let sizes: Vec<BasinSize> = (0..STANDARD_BASINS.len())
                .map(BasinSize::Standard)
                .chain([BasinSize::Custom])
                .collect();
            basin.size = turn(&sizes, basin.size, forward);
        }
        Fid::BasinPTrap(i) | Fid::BasinLight(i) => {
            let Some(basin) = build.basins.get_mut(i) else {
                return Turned::No;
            };
            let flag = if matches!(fid, Fid::BasinPTrap(_)) {
                &mut basin.p_trap
            } else {
                &mut basin.light
            };
            *flag = turn_set(&bools, *flag, forward);
        }
        Fid::FaucetType(i) => {
            let Some(f) = build.faucets.get_mut(i) else {
                return Turned::No;
            };
            f.faucet_type = turn(FaucetType::ALL, f.faucet_type, forward);
            f.prefilled = false;
        }
        Fid::FaucetPlacement(i) => {
            // Between basins needs two basins, so a one-basin sink offers only the centre.
            let placements: Vec<FaucetPlacement> = FaucetPlacement::ALL
                .iter()
                .copied()
                .filter(|p| *p == FaucetPlacement::Center || build.basins.len() >= 2)
                .collect();
            let Some(f) = build.faucets.get_mut(i) else {
                return Turned::No;
            };
            f.placement = turn_set(&placements, f.placement, forward);
            f.prefilled = false;
        }
        Fid::SprayerType(i) => {
            let Some(s) = build.sprayers.get_mut(i) else {
                return Turned::No;
            };
            s.sprayer_type = turn(SprayerType::ALL, s.sprayer_type, forward);
        }
        Fid::SprayerLocation(i) => {
            let Some(s) = build.sprayers.get_mut(i) else {
                return Turned::No;
            };
            s.location = turn(SprayerLocation::ALL, s.location, forward);
        }
        _ => return Turned::No,
    }
    Turned::Done
}

/// Adds a faucet or sprayer row; returns the field to focus.
pub fn add_row(build: &mut BuildDraft, faucet: bool) -> Fid {
    if faucet {
        build.faucets.push(FaucetDraft::default());
        Fid::FaucetType(build.faucets.len() - 1)
    } else {
        build.sprayers.push(SprayerDraft::default());
        Fid::SprayerType(build.sprayers.len() - 1)
    }
}

/// Removes the faucet or sprayer row `fid` belongs to; returns the field to focus after it.
pub fn remove_row(build: &mut BuildDraft, fid: Fid) -> Option<Fid> {
    let (faucet, i) = fid.row()?;
    if faucet {
        if i >= build.faucets.len() {
            return None;
        }
        build.faucets.remove(i);
        Some(if i < build.faucets.len() {
            Fid::FaucetType(i)
        } else {
            Fid::AddFaucet
        })
    } else {
        if i >= build.sprayers.len() {
            return None;
        }
        build.sprayers.remove(i);
        Some(if i < build.sprayers.len() {
            Fid::SprayerType(i)
        } else {
            Fid::AddSprayer
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_legs_never_offer_lc1() {
        let mut s = WizardState::default();
        s.builds[0].legs_type = Some(LegsType::FixedHeight);
        let mut seen = Vec::new();
        for _ in 0..4 {
            turn_choice(&mut s, 0, Fid::LegsModel, true);
            seen.extend(s.builds[0].legs_model.clone());
        }
        assert!(!seen.iter().any(|m| m == "LC1"));
        assert!(seen.iter().any(|m| m == "DL14"));
    }

    #[test]
    fn one_basin_offers_only_the_centre() {
        let mut s = WizardState::default();
        s.builds[0].set_model("T2-B1");
        add_row(&mut s.builds[0], true);
        turn_choice(&mut s, 0, Fid::FaucetPlacement(0), true);
        assert_eq!(s.builds[0].faucets[0].placement, FaucetPlacement::Center);
        s.builds[0].set_model("T2-B2");
        turn_choice(&mut s, 0, Fid::FaucetPlacement(0), true);
        assert_eq!(
            s.builds[0].faucets[0].placement,
            FaucetPlacement::BetweenBasins
        );
    }

    #[test]
    fn pegboard_no_clears_its_fields() {
        let mut s = WizardState::default();
        turn_choice(&mut s, 0, Fid::Pegboard, true);
        turn_choice(&mut s, 0, Fid::PegColor, true);
        turn_choice(&mut s, 0, Fid::PegSize, true);
        s.builds[0].peg_width = "40".into();
        assert!(items(&s, Step::Configuration, 0).contains(&Item::Field(Fid::PegWidth)));
        turn_choice(&mut s, 0, Fid::Pegboard, true);
        let b = &s.builds[0];
        assert_eq!(
            (b.peg_color, b.peg_size, b.peg_width.as_str()),
            (None, PegboardSizeType::SameAsSink, "")
        );
    }

    #[test]
    fn model_change_asks_before_dropping_configured_basins() {
        let mut s = WizardState::default();
        s.builds[0].set_model("T2-B3");
        assert_eq!(
            turn_choice(&mut s, 0, Fid::Model, true),
            Turned::Done,
            "empty basins go without asking"
        );
        assert_eq!(s.builds[0].model.as_deref(), Some("T2-B1"));
        s.builds[0].set_model("T2-B2");
        s.builds[0].basins[1].p_trap = true;
        assert_eq!(
            turn_choice(&mut s, 0, Fid::Model, false),
            Turned::ConfirmModel {
                model: "T2-B1".into(),
                basins: vec![2]
            }
        );
        assert_eq!(s.builds[0].basins.len(), 2);
    }

    #[test]
    fn rows_are_added_and_removed() {
        let mut b = BuildDraft::default();
        assert_eq!(add_row(&mut b, true), Fid::FaucetType(0));
        assert_eq!(add_row(&mut b, true), Fid::FaucetType(1));
        assert_eq!(
            remove_row(&mut b, Fid::FaucetQty(0)),
            Some(Fid::FaucetType(0))
        );
        assert_eq!(remove_row(&mut b, Fid::FaucetType(0)), Some(Fid::AddFaucet));
        assert_eq!(remove_row(&mut b, Fid::Width), None);
        assert_eq!(add_row(&mut b, false), Fid::SprayerType(0));
    }
}
