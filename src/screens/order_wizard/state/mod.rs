//! What the user entered, as typed: the wizard's whole state, serialisable as the saved draft.
//!
//! Numbers stay text and choices stay `Option` until submit, so a half-filled wizard can be saved and
//! shown with its errors. The rules themselves live in `domain::order_rules`; this module maps them
//! onto the fields.

pub(super) mod build;

use build::standard_dims;
pub use build::{BuildDraft, FaucetDraft, SprayerDraft};

use crate::domain::order::{
    AttachmentSpec, DocumentLanguage, OrderDocumentType, OrderHeader, SinkFamily, basins_of_model,
};
use crate::domain::order_rules as rules;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Bumped when the draft's shape changes incompatibly; an older draft is then offered no more.
pub const DRAFT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Step {
    Customer,
    Builds,
    Configuration,
    Accessories,
    Review,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Customer,
        Step::Builds,
        Step::Configuration,
        Step::Accessories,
        Step::Review,
    ];

    pub fn number(self) -> usize {
        match self {
            Step::Customer => 1,
            Step::Builds => 2,
            Step::Configuration => 3,
            Step::Accessories => 4,
            Step::Review => 5,
        }
    }

    /// The step bar's label.
    pub fn short(self) -> &'static str {
        match self {
            Step::Customer => "Order",
            Step::Builds => "Builds",
            Step::Configuration => "Configuration",
            Step::Accessories => "Accessories",
            Step::Review => "Review",
        }
    }

    /// The panel's title.
    pub fn title(self) -> &'static str {
        match self {
            Step::Customer => "Customer and order",
            Step::Builds => "Sink family and build numbers",
            Step::Configuration => "Configuration",
            Step::Accessories => "Accessories",
            Step::Review => "Review and submit",
        }
    }

    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.number()).copied()
    }

    pub fn prev(self) -> Option<Step> {
        self.number()
            .checked_sub(2)
            .and_then(|i| Step::ALL.get(i).copied())
    }
}

/// One input of the wizard. Row indexes are 0-based here (the messages count from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fid {
    PoNumber,
    Customer,
    Project,
    SalesPerson,
    WantDate,
    Language,
    Notes,
    /// An added attachment (step 1): removable only.
    Attachment(usize),
    AttachPath,
    AttachType,
    Family,
    Count,
    BuildNumber(usize),
    Model,
    Width,
    Length,
    LegsType,
    LegsModel,
    Feet,
    Direction,
    Pegboard,
    PegColor,
    PegType,
    PegSize,
    PegWidth,
    PegLength,
    /// The basins as a whole (count, numbering): errors only.
    Basins,
    BasinType(usize),
    BasinSize(usize),
    BasinWidth(usize),
    BasinLength(usize),
    BasinDepth(usize),
    BasinPTrap(usize),
    BasinLight(usize),
    /// The faucet rows as a whole (the total): errors only.
    Faucets,
    FaucetType(usize),
    FaucetQty(usize),
    FaucetPlacement(usize),
    AddFaucet,
    Sprayers,
    SprayerType(usize),
    SprayerQty(usize),
    SprayerLocation(usize),
    AddSprayer,
    /// The accessory rows: errors only (the list prevents bad quantities and repeated ids).
    Accessories,
}

impl Fid {
    /// The faucet or sprayer row this field belongs to.
    pub fn row(self) -> Option<(bool, usize)> {
        match self {
            Fid::FaucetType(i) | Fid::FaucetQty(i) | Fid::FaucetPlacement(i) => Some((true, i)),
            Fid::SprayerType(i) | Fid::SprayerQty(i) | Fid::SprayerLocation(i) => Some((false, i)),
            _ => None,
        }
    }

    /// The section anchor whose error depends on this field.
    pub fn section(self) -> Option<Fid> {
        match self {
            Fid::FaucetType(_) | Fid::FaucetQty(_) | Fid::FaucetPlacement(_) | Fid::AddFaucet => {
                Some(Fid::Faucets)
            }
            Fid::SprayerType(_)
            | Fid::SprayerQty(_)
            | Fid::SprayerLocation(_)
            | Fid::AddSprayer => Some(Fid::Sprayers),
            Fid::Model
            | Fid::BasinType(_)
            | Fid::BasinSize(_)
            | Fid::BasinWidth(_)
            | Fid::BasinLength(_)
            | Fid::BasinDepth(_) => Some(Fid::Basins),
            _ => None,
        }
    }
}

/// The field a rule's schema name points at.
pub fn fid_of(field: &str) -> Option<Fid> {
    let (head, tail) = match field.split_once('.') {
        Some((h, t)) => (h, Some(t)),
        None => (field, None),
    };
    let (name, index) = match head.split_once('[') {
        Some((n, rest)) => {
            let i = rest
                .strip_suffix(']')?
                .parse::<usize>()
                .ok()?
                .checked_sub(1)?;
            (n, Some(i))
        }
        None => (head, None),
    };
    Some(match (name, index, tail) {
        ("poNumber", None, None) => Fid::PoNumber,
        ("customerName", None, None) => Fid::Customer,
        ("projectName", None, None) => Fid::Project,
        ("salesPerson", None, None) => Fid::SalesPerson,
        ("wantDate", None, None) => Fid::WantDate,
        ("orderLanguage", None, None) => Fid::Language,
        ("notes", None, None) => Fid::Notes,
        ("sinkFamily", None, None) => Fid::Family,
        ("builds", None, None) => Fid::Count,
        ("sinkModel", None, None) => Fid::Model,
        ("sinkWidth", None, None) => Fid::Width,
        ("sinkLength", None, None) => Fid::Length,
        ("legsType", None, None) => Fid::LegsType,
        ("legsModel", None, None) => Fid::LegsModel,
        ("feetType", None, None) => Fid::Feet,
        ("workflowDirection", None, None) => Fid::Direction,
        ("hasPegboard", None, None) => Fid::Pegboard,
        ("pegboardColor", None, None) => Fid::PegColor,
        ("pegboardType", None, None) => Fid::PegType,
        ("pegboardSizeType", None, None) => Fid::PegSize,
        ("pegboardWidth", None, None) => Fid::PegWidth,
        ("pegboardLength", None, None) => Fid::PegLength,
        ("basins", None, None) | ("basins", Some(_), Some("basinIndex")) => Fid::Basins,
        ("basins", Some(i), Some("basinType")) => Fid::BasinType(i),
        ("basins", Some(i), Some("isCustomSize")) => Fid::BasinSize(i),
        ("basins", Some(i), Some("basinWidth")) => Fid::BasinWidth(i),
        ("basins", Some(i), Some("basinLength")) => Fid::BasinLength(i),
        ("basins", Some(i), Some("basinDepth")) => Fid::BasinDepth(i),
        ("basins", Some(i), Some("hasPTrapDrain")) => Fid::BasinPTrap(i),
        ("basins", Some(i), Some("hasBasinLight")) => Fid::BasinLight(i),
        ("faucets", None, None) => Fid::Faucets,
        ("faucets", Some(i), Some("faucetType")) => Fid::FaucetType(i),
        ("faucets", Some(i), Some("quantity")) => Fid::FaucetQty(i),
        ("faucets", Some(i), Some("placement")) => Fid::FaucetPlacement(i),
        ("sprayers", None, None) => Fid::Sprayers,
        ("sprayers", Some(i), Some("sprayerType")) => Fid::SprayerType(i),
        ("sprayers", Some(i), Some("quantity")) => Fid::SprayerQty(i),
        ("sprayers", Some(i), Some("location")) => Fid::SprayerLocation(i),
        ("accessories", _, _) => Fid::Accessories,
        _ => return None,
    })
}

/// A basin size choice: one of `STANDARD_BASINS` by index, or custom dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BasinSize {
    Standard(usize),
    Custom,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HeaderDraft {
    pub po_number: String,
    pub customer_name: String,
    pub project_name: String,
    pub sales_person: String,
    pub want_date: String,
    pub language: DocumentLanguage,
    pub notes: String,
}

impl Default for HeaderDraft {
    fn default() -> Self {
        HeaderDraft {
            po_number: String::new(),
            customer_name: String::new(),
            project_name: String::new(),
            sales_person: String::new(),
            want_date: String::new(),
            language: DocumentLanguage::En,
            notes: String::new(),
        }
    }
}

fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl HeaderDraft {
    pub fn has_input(&self) -> bool {
        *self != HeaderDraft::default()
    }

    /// The header as submitted; `None` while the want date is not a valid date after `today`.
    pub fn to_header(&self, today: NaiveDate) -> Option<OrderHeader> {
        Some(OrderHeader {
            po_number: self.po_number.trim().to_string(),
            customer_name: self.customer_name.trim().to_string(),
            project_name: optional(&self.project_name),
            sales_person: self.sales_person.trim().to_string(),
            want_date: rules::parse_want_date(&self.want_date, today).ok()?,
            order_language: self.language,
            notes: optional(&self.notes),
        })
    }

    pub fn from_header(h: &OrderHeader) -> HeaderDraft {
        HeaderDraft {
            po_number: h.po_number.clone(),
            customer_name: h.customer_name.clone(),
            project_name: h.project_name.clone().unwrap_or_default(),
            sales_person: h.sales_person.clone(),
            want_date: h.want_date.format("%Y-%m-%d").to_string(),
            language: h.order_language,
            notes: h.notes.clone().unwrap_or_default(),
        }
    }

    pub fn errors(&self, today: NaiveDate) -> Vec<(Fid, String)> {
        [
            (Fid::PoNumber, rules::check_po_number(&self.po_number)),
            (
                Fid::Customer,
                rules::check_customer_name(&self.customer_name),
            ),
            (Fid::Project, rules::check_project_name(&self.project_name)),
            (
                Fid::SalesPerson,
                rules::check_sales_person(&self.sales_person),
            ),
            (
                Fid::WantDate,
                rules::parse_want_date(&self.want_date, today).err(),
            ),
            (Fid::Notes, rules::check_notes(&self.notes)),
        ]
        .into_iter()
        .filter_map(|(f, e)| e.map(|e| (f, e)))
        .collect()
    }
}

/// An attachment the service has checked, to be read again and stored at submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentDraft {
    pub path: String,
    pub document_type: OrderDocumentType,
    /// The file name and size when it was checked, for the list.
    pub name: String,
    pub size: u64,
}

impl AttachmentDraft {
    pub fn to_spec(&self) -> AttachmentSpec {
        AttachmentSpec {
            path: self.path.clone(),
            document_type: self.document_type,
        }
    }

    /// How the list shows it: `name (size) · type`.
    pub fn label(&self) -> String {
        format!(
            "{} ({}) · {}",
            self.name,
            size_text(self.size),
            self.document_type.code()
        )
    }
}

/// A file size for people: bytes, KB or MB.
pub fn size_text(bytes: u64) -> String {
    const KB: u64 = 1024;
    if bytes < KB {
        format!("{bytes} B")
    } else if bytes < KB * KB {
        format!("{:.1} KB", bytes as f64 / KB as f64)
    } else {
        format!("{:.1} MB", bytes as f64 / (KB * KB) as f64)
    }
}

/// The whole wizard as saved in the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WizardState {
    pub version: u32,
    pub step: Step,
    pub header: HeaderDraft,
    pub family: SinkFamily,
    /// The number of sinks as typed; `builds` follows it when the field is left.
    pub count: String,
    pub builds: Vec<BuildDraft>,
    /// The build shown in steps 3-5.
    pub selected: usize,
    pub attachments: Vec<AttachmentDraft>,
    /// The attachment being entered.
    pub attach_path: String,
    pub attach_type: OrderDocumentType,
}

impl Default for WizardState {
    fn default() -> Self {
        WizardState {
            version: DRAFT_VERSION,
            step: Step::Customer,
            header: HeaderDraft::default(),
            family: SinkFamily::Mdrd,
            count: "1".into(),
            builds: vec![BuildDraft::default()],
            selected: 0,
            attachments: Vec::new(),
            attach_path: String::new(),
            attach_type: OrderDocumentType::PoDocument,
        }
    }
}

impl WizardState {
    pub fn has_input(&self) -> bool {
        self.header.has_input()
            || self.family != SinkFamily::Mdrd
            || self.count.trim() != "1"
            || self.builds.iter().any(BuildDraft::has_input)
            || !self.attachments.is_empty()
            || !self.attach_path.trim().is_empty()
    }

    /// A draft read back: `None` when it is from another version or does not parse.
    pub fn from_draft(value: serde_json::Value) -> Option<WizardState> {
        let mut s: WizardState = serde_json::from_value(value).ok()?;
        if s.version != DRAFT_VERSION {
            return None;
        }
        if s.builds.is_empty() {
            s.builds.push(BuildDraft::default());
        }
        s.builds.truncate(rules::MAX_BUILDS);
        s.selected = s.selected.min(s.builds.len() - 1);
        Some(s)
    }

    pub fn build_errors(&self) -> Vec<(Fid, String)> {
        let mut out = Vec::new();
        if let Some(e) = rules::family_error(self.family) {
            out.push((Fid::Family, e));
        }
        if let Err(e) = rules::parse_build_count(&self.count) {
            out.push((Fid::Count, e));
        }
        for (i, b) in self.builds.iter().enumerate() {
            let number = b.number.trim();
            if let Some(e) = rules::check_build_number(number) {
                out.push((Fid::BuildNumber(i), e));
            } else if self
                .builds
                .iter()
                .filter(|o| o.number.trim().eq_ignore_ascii_case(number))
                .count()
                > 1
            {
                out.push((Fid::BuildNumber(i), rules::build_number_repeated(number)));
            }
        }
        out
    }

    /// The label of build `i` in lists: its number, or its position while it has none.
    pub fn build_label(&self, i: usize) -> String {
        match self.builds.get(i).map(|b| b.number.trim()) {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => format!("Build {}", i + 1),
        }
    }
}

/// How a basin size reads in a choice and the review.
pub fn size_label(size: Option<BasinSize>) -> String {
    match size {
        Some(BasinSize::Custom) => "Custom".into(),
        other => standard_dims(other).map_or_else(
            || "— select —".into(),
            |(w, l, d)| format!("{w} x {l} x {d}"),
        ),
    }
}

/// How a model reads in its choice, e.g. `T2-B2 · 2 basins`.
pub fn model_label(model: &str) -> String {
    match basins_of_model(model) {
        Some(1) => format!("{model} · 1 basin"),
        Some(n) => format!("{model} · {n} basins"),
        None => model.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::build::BasinDraft;
    use super::*;
    use crate::domain::order::{
        BasinType, FeetType, LegsType, PegboardColor, PegboardSizeType, PegboardType,
        SprayerLocation, SprayerType,
    };

    pub fn complete_build(number: &str) -> BuildDraft {
        BuildDraft {
            number: number.into(),
            model: Some("T2-B1".into()),
            width: "30".into(),
            length: "60".into(),
            legs_type: Some(LegsType::HeightAdjustable),
            legs_model: Some("DL27".into()),
            feet: Some(FeetType::LockLevelingCasters),
            basins: vec![BasinDraft {
                basin_type: Some(BasinType::ESink),
                size: Some(BasinSize::Standard(1)),
                ..BasinDraft::default()
            }],
            ..BuildDraft::default()
        }
    }

    #[test]
    fn field_names_map_to_fields() {
        assert_eq!(fid_of("basins[2].basinWidth"), Some(Fid::BasinWidth(1)));
        assert_eq!(fid_of("faucets[1].quantity"), Some(Fid::FaucetQty(0)));
        assert_eq!(fid_of("faucets"), Some(Fid::Faucets));
        assert_eq!(fid_of("accessories[3].quantity"), Some(Fid::Accessories));
        assert_eq!(fid_of("basins[0].basinWidth"), None);
        assert_eq!(fid_of("nonsense"), None);
    }

    #[test]
    fn unset_choices_get_select_messages_only() {
        let b = BuildDraft {
            basins: vec![BasinDraft {
                light: true,
                ..BasinDraft::default()
            }],
            faucets: vec![FaucetDraft::default()],
            sprayers: vec![SprayerDraft::default()],
            ..BuildDraft::default()
        };
        let errors = b.config_errors(SinkFamily::Mdrd);
        let msgs: Vec<&str> = errors.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "Select a legs type",
                "Select the feet",
                "Basin 1: select a basin type",
                "Basin 1: choose the basin type before the basin light",
                "Basin 1: select a basin size",
                "Faucet 1: select a faucet type",
                "Sprayer 1: select a sprayer type",
                "Sprayer 1: select a location",
                "Select a sink model",
                "Width must be a whole number of inches from 24 to 120",
                "Length must be a whole number of inches from 48 to 120",
                "Select a legs model",
            ]
        );
        assert!(
            complete_build("B-1")
                .config_errors(SinkFamily::Mdrd)
                .is_empty()
        );
    }

    #[test]
    fn round_trip_through_the_domain() {
        let mut b = complete_build("B-1");
        b.pegboard = true;
        b.peg_color = Some(PegboardColor::Blue);
        b.peg_type = Some(PegboardType::Solid);
        b.peg_size = PegboardSizeType::Custom;
        b.peg_width = "40".into();
        b.peg_length = "60".into();
        b.basins[0].size = Some(BasinSize::Custom);
        b.basins[0].width = "26".into();
        b.basins[0].length = "20".into();
        b.basins[0].depth = "9".into();
        b.sprayers.push(SprayerDraft {
            sprayer_type: Some(SprayerType::AirGunKitRosette),
            quantity: "2".into(),
            location: Some(SprayerLocation::RightSide),
        });
        let config = b.to_config(SinkFamily::Mdrd);
        assert!(rules::validate_build(&config).is_empty());
        assert_eq!(BuildDraft::from_config(&config), b);
    }

    #[test]
    fn model_change_and_prefill() {
        let mut b = complete_build("B-1");
        b.basins[0].p_trap = true;
        assert!(b.configured_basins_beyond("T2-B3").is_empty());
        b.set_model("T2-B3");
        assert_eq!(b.basins.len(), 3);
        assert!(b.basins[0].p_trap);
        assert_eq!(b.basins[2], BasinDraft::default());
        b.basins[1].basin_type = Some(BasinType::ESinkDi);
        b.basins[2].basin_type = Some(BasinType::ESinkDi);
        assert_eq!(b.configured_basins_beyond("T2-B1"), vec![2, 3]);
        b.prefill_gooseneck();
        assert_eq!(b.faucets[0].quantity, "2");
        b.set_model("T2-B2");
        assert_eq!(b.faucets.len(), 1);
        assert_eq!(b.faucets[0].quantity, "1");
        // No DI basin left: the row the pre-fill added goes, unless the user has touched it.
        b.basins[1].basin_type = Some(BasinType::EDrain);
        b.prefill_gooseneck();
        assert!(b.faucets.is_empty());
        b.basins[1].basin_type = Some(BasinType::ESinkDi);
        b.prefill_gooseneck();
        b.faucets[0].prefilled = false;
        b.basins[1].basin_type = Some(BasinType::EDrain);
        b.prefill_gooseneck();
        assert_eq!(b.faucets.len(), 1);
    }

    #[test]
    fn state_round_trips_as_a_draft() {
        let mut s = WizardState::default();
        s.header.po_number = "PO-1".into();
        s.builds = vec![complete_build("B-1"), complete_build("B-2")];
        s.selected = 1;
        s.step = Step::Accessories;
        let value = serde_json::to_value(&s).unwrap_or_default();
        assert_eq!(WizardState::from_draft(value.clone()), Some(s));
        let mut old = value;
        old["version"] = serde_json::json!(0);
        assert_eq!(WizardState::from_draft(old), None);
        assert_eq!(WizardState::from_draft(serde_json::json!("junk")), None);
    }

    #[test]
    fn build_number_errors() {
        let s = WizardState {
            count: "3".into(),
            builds: vec![
                complete_build("B-100"),
                complete_build("b-100 "),
                complete_build("B1"),
            ],
            ..WizardState::default()
        };
        let errors = s.build_errors();
        assert_eq!(
            errors,
            vec![
                (
                    Fid::BuildNumber(0),
                    "Build number B-100 is entered more than once".to_string()
                ),
                (
                    Fid::BuildNumber(1),
                    "Build number b-100 is entered more than once".to_string()
                ),
                (
                    Fid::BuildNumber(2),
                    "Build number must be 3 to 50 characters: letters, digits or '-'".to_string()
                ),
            ]
        );
    }
}
