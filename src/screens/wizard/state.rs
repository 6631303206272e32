//! What the user entered, as typed: the wizard's whole state, serialisable as the saved draft.
//!
//! Numbers stay text and choices stay `Option` until submit, so a half-filled wizard can be saved and
//! shown with its errors. The rules themselves live in `domain::order_rules`; this module maps them
//! onto the fields.

use crate::domain::bom;
use crate::domain::order::{
    AccessoryLine, AttachmentSpec, BasinConfig, BasinType, BuildConfig, DocumentLanguage,
    FaucetConfig, FaucetPlacement, FaucetType, FeetType, LegsType, OrderDocumentType, OrderHeader,
    PegboardColor, PegboardSizeType, PegboardType, STANDARD_BASINS, SinkFamily, SprayerConfig,
    SprayerLocation, SprayerType, WorkflowDirection, basins_of_model,
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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BasinDraft {
    pub basin_type: Option<BasinType>,
    pub size: Option<BasinSize>,
    pub width: String,
    pub length: String,
    pub depth: String,
    pub p_trap: bool,
    pub light: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaucetDraft {
    pub faucet_type: Option<FaucetType>,
    pub quantity: String,
    pub placement: FaucetPlacement,
    /// Added by the DI pre-fill and not touched since: withdrawn again when no DI basin is left, so
    /// turning a basin's type through E-Sink DI leaves no stray row.
    pub prefilled: bool,
}

impl Default for FaucetDraft {
    fn default() -> Self {
        FaucetDraft {
            faucet_type: None,
            quantity: "1".into(),
            placement: FaucetPlacement::Center,
            prefilled: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SprayerDraft {
    pub sprayer_type: Option<SprayerType>,
    pub quantity: String,
    pub location: Option<SprayerLocation>,
}

impl Default for SprayerDraft {
    fn default() -> Self {
        SprayerDraft {
            sprayer_type: None,
            quantity: "1".into(),
            location: None,
        }
    }
}

/// One build as entered in steps 2-4.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BuildDraft {
    pub number: String,
    pub model: Option<String>,
    pub width: String,
    pub length: String,
    pub legs_type: Option<LegsType>,
    pub legs_model: Option<String>,
    pub feet: Option<FeetType>,
    pub direction: WorkflowDirection,
    pub pegboard: bool,
    pub peg_color: Option<PegboardColor>,
    pub peg_type: Option<PegboardType>,
    pub peg_size: PegboardSizeType,
    pub peg_width: String,
    pub peg_length: String,
    pub basins: Vec<BasinDraft>,
    pub faucets: Vec<FaucetDraft>,
    pub sprayers: Vec<SprayerDraft>,
    pub accessories: Vec<AccessoryLine>,
}

impl Default for BuildDraft {
    fn default() -> Self {
        BuildDraft {
            number: String::new(),
            model: None,
            width: String::new(),
            length: String::new(),
            legs_type: None,
            legs_model: None,
            feet: None,
            direction: WorkflowDirection::LeftToRight,
            pegboard: false,
            peg_color: None,
            peg_type: None,
            peg_size: PegboardSizeType::SameAsSink,
            peg_width: String::new(),
            peg_length: String::new(),
            basins: Vec::new(),
            faucets: Vec::new(),
            sprayers: Vec::new(),
            accessories: Vec::new(),
        }
    }
}

fn num(s: &str) -> Option<i32> {
    s.trim().parse().ok()
}

/// The dimensions a size choice stands for; `None` when not chosen (or unknown in an old draft).
fn standard_dims(size: Option<BasinSize>) -> Option<(i32, i32, i32)> {
    match size {
        Some(BasinSize::Standard(i)) => STANDARD_BASINS.get(i).copied(),
        _ => None,
    }
}

fn size_known(size: Option<BasinSize>) -> bool {
    size == Some(BasinSize::Custom) || standard_dims(size).is_some()
}

impl BuildDraft {
    /// Anything of steps 3-4 entered (the build number aside).
    pub fn has_config(&self) -> bool {
        let mut bare = self.clone();
        bare.number.clear();
        bare != BuildDraft::default()
    }

    pub fn has_input(&self) -> bool {
        !self.number.trim().is_empty() || self.has_config()
    }

    /// The step-3 part of `source` (D22): everything but the number and the accessories, copied deeply.
    pub fn copy_config_from(&mut self, source: &BuildDraft) {
        let number = std::mem::take(&mut self.number);
        let accessories = std::mem::take(&mut self.accessories);
        *self = BuildDraft {
            number,
            accessories,
            ..source.clone()
        };
    }

    pub fn di_count(&self) -> usize {
        self.basins
            .iter()
            .filter(|b| b.basin_type == Some(BasinType::ESinkDi))
            .count()
    }

    /// The DI gooseneck pre-fill of `order_rules::prefill_gooseneck`, on the entered rows. Called when
    /// the number of DI basins has changed.
    pub fn prefill_gooseneck(&mut self) {
        let n = self.di_count();
        if n == 0 {
            self.faucets.retain(|f| !f.prefilled);
            return;
        }
        let mut rows = self
            .faucets
            .iter_mut()
            .filter(|f| f.faucet_type == Some(FaucetType::GooseneckTreatedWater));
        match (rows.next(), rows.next()) {
            (None, _) => self.faucets.push(FaucetDraft {
                faucet_type: Some(FaucetType::GooseneckTreatedWater),
                quantity: n.to_string(),
                placement: FaucetPlacement::Center,
                prefilled: true,
            }),
            (Some(row), None) => row.quantity = n.to_string(),
            (Some(_), Some(_)) => {}
        }
    }

    /// The basins (1-based) a change to `model` would remove that hold configuration.
    pub fn configured_basins_beyond(&self, model: &str) -> Vec<usize> {
        let keep = basins_of_model(model).unwrap_or(self.basins.len());
        self.basins
            .iter()
            .enumerate()
            .skip(keep)
            .filter(|(_, b)| **b != BasinDraft::default())
            .map(|(i, _)| i + 1)
            .collect()
    }

    /// D23: keeps basins 1..min(old, new), adds empty ones or removes the extra ones.
    pub fn set_model(&mut self, model: &str) {
        let before = self.di_count();
        self.model = Some(model.to_string());
        if let Some(n) = basins_of_model(model) {
            self.basins.resize_with(n, BasinDraft::default);
        }
        if self.di_count() != before {
            self.prefill_gooseneck();
        }
    }

    /// The configuration with placeholders where nothing valid is entered yet, so that the domain rules
    /// can judge everything else. Only used for submit once `errors` is empty.
    pub fn to_config(&self, family: SinkFamily) -> BuildConfig {
        let pegboard = self.pegboard;
        let custom_pegboard = pegboard && self.peg_size == PegboardSizeType::Custom;
        BuildConfig {
            build_number: self.number.trim().to_string(),
            sink_family: family,
            sink_model: self.model.clone().unwrap_or_default(),
            sink_width: num(&self.width).unwrap_or(0),
            sink_length: num(&self.length).unwrap_or(0),
            legs_type: self.legs_type.unwrap_or(LegsType::HeightAdjustable),
            legs_model: self.legs_model.clone().unwrap_or_default(),
            feet_type: self.feet.unwrap_or(FeetType::LockLevelingCasters),
            workflow_direction: self.direction,
            has_pegboard: pegboard,
            pegboard_color: self.peg_color.filter(|_| pegboard),
            pegboard_type: self.peg_type.filter(|_| pegboard),
            pegboard_size_type: pegboard.then_some(self.peg_size),
            pegboard_width: num(&self.peg_width).filter(|_| custom_pegboard),
            pegboard_length: num(&self.peg_length).filter(|_| custom_pegboard),
            basins: self
                .basins
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let custom = b.size == Some(BasinSize::Custom);
                    let (w, l, d) = if custom {
                        (
                            num(&b.width).unwrap_or(0),
                            num(&b.length).unwrap_or(0),
                            num(&b.depth).unwrap_or(0),
                        )
                    } else {
                        standard_dims(b.size).unwrap_or(STANDARD_BASINS[0])
                    };
                    BasinConfig {
                        basin_index: i32::try_from(i + 1).unwrap_or(i32::MAX),
                        basin_type: b.basin_type.unwrap_or(BasinType::ESink),
                        basin_width: w,
                        basin_length: l,
                        basin_depth: d,
                        is_custom_size: custom,
                        has_p_trap_drain: b.p_trap,
                        has_basin_light: b.light,
                    }
                })
                .collect(),
            faucets: self
                .faucets
                .iter()
                .map(|f| FaucetConfig {
                    faucet_type: f.faucet_type.unwrap_or(FaucetType::WristBladeSwingSpout),
                    quantity: num(&f.quantity).unwrap_or(0),
                    placement: f.placement,
                })
                .collect(),
            sprayers: self
                .sprayers
                .iter()
                .map(|s| SprayerConfig {
                    sprayer_type: s.sprayer_type.unwrap_or(SprayerType::DiWaterGunKitTurret),
                    quantity: num(&s.quantity).unwrap_or(0),
                    location: s.location.unwrap_or(SprayerLocation::LeftSide),
                })
                .collect(),
            accessories: self.accessories.clone(),
        }
    }

    pub fn from_config(c: &BuildConfig) -> BuildDraft {
        let custom_pegboard = c.pegboard_size_type == Some(PegboardSizeType::Custom);
        let text = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_default();
        BuildDraft {
            number: c.build_number.clone(),
            model: Some(c.sink_model.clone()),
            width: c.sink_width.to_string(),
            length: c.sink_length.to_string(),
            legs_type: Some(c.legs_type),
            legs_model: Some(c.legs_model.clone()),
            feet: Some(c.feet_type),
            direction: c.workflow_direction,
            pegboard: c.has_pegboard,
            peg_color: c.pegboard_color,
            peg_type: c.pegboard_type,
            peg_size: c.pegboard_size_type.unwrap_or(PegboardSizeType::SameAsSink),
            peg_width: text(c.pegboard_width.filter(|_| custom_pegboard)),
            peg_length: text(c.pegboard_length.filter(|_| custom_pegboard)),
            basins: c
                .basins
                .iter()
                .map(|b| {
                    let dims = (b.basin_width, b.basin_length, b.basin_depth);
                    let standard = STANDARD_BASINS.iter().position(|s| *s == dims);
                    let (size, w, l, d) = match standard {
                        Some(i) if !b.is_custom_size => (BasinSize::Standard(i), None, None, None),
                        _ => (
                            BasinSize::Custom,
                            Some(b.basin_width),
                            Some(b.basin_length),
                            Some(b.basin_depth),
                        ),
                    };
                    BasinDraft {
                        basin_type: Some(b.basin_type),
                        size: Some(size),
                        width: text(w),
                        length: text(l),
                        depth: text(d),
                        p_trap: b.has_p_trap_drain,
                        light: b.has_basin_light,
                    }
                })
                .collect(),
            faucets: c
                .faucets
                .iter()
                .map(|f| FaucetDraft {
                    faucet_type: Some(f.faucet_type),
                    quantity: f.quantity.to_string(),
                    placement: f.placement,
                    prefilled: false,
                })
                .collect(),
            sprayers: c
                .sprayers
                .iter()
                .map(|s| SprayerDraft {
                    sprayer_type: Some(s.sprayer_type),
                    quantity: s.quantity.to_string(),
                    location: Some(s.location),
                })
                .collect(),
            accessories: c.accessories.clone(),
        }
    }

    /// Step 3's errors: the choices not made yet, then every domain rule on the rest.
    pub fn config_errors(&self, family: SinkFamily) -> Vec<(Fid, String)> {
        let mut out: Vec<(Fid, String)> = Vec::new();
        if self.legs_type.is_none() {
            out.push((Fid::LegsType, rules::SELECT_LEGS_TYPE.into()));
        }
        if self.feet.is_none() {
            out.push((Fid::Feet, rules::SELECT_FEET.into()));
        }
        for (i, b) in self.basins.iter().enumerate() {
            if b.basin_type.is_none() {
                out.push((Fid::BasinType(i), rules::select_basin_type(i + 1)));
                if b.light {
                    out.push((Fid::BasinLight(i), rules::light_needs_type(i + 1)));
                }
            }
            if !size_known(b.size) {
                out.push((Fid::BasinSize(i), rules::select_basin_size(i + 1)));
            }
        }
        for (i, f) in self.faucets.iter().enumerate() {
            if f.faucet_type.is_none() {
                out.push((Fid::FaucetType(i), rules::select_faucet_type(i + 1)));
            }
        }
        for (i, s) in self.sprayers.iter().enumerate() {
            if s.sprayer_type.is_none() {
                out.push((Fid::SprayerType(i), rules::select_sprayer_type(i + 1)));
            }
            if s.location.is_none() {
                out.push((
                    Fid::SprayerLocation(i),
                    rules::select_sprayer_location(i + 1),
                ));
            }
        }
        for e in rules::validate_build(&self.to_config(family)) {
            match fid_of(&e.field) {
                // Step 2's and step 4's.
                Some(Fid::Family | Fid::Accessories) | None => {}
                Some(f) => {
                    if !out.iter().any(|(g, _)| *g == f) {
                        out.push((f, e.message));
                    }
                }
            }
        }
        out
    }

    /// Step 4's errors (quantities and repeated ids, which the list itself prevents).
    pub fn accessory_errors(&self, family: SinkFamily) -> Vec<(Fid, String)> {
        rules::validate_build(&self.to_config(family))
            .into_iter()
            .filter(|e| fid_of(&e.field) == Some(Fid::Accessories))
            .map(|e| (Fid::Accessories, e.message))
            .collect()
    }

    /// W1-W4 as they apply to what is entered (W3 waits for a valid length).
    pub fn warnings(&self, family: SinkFamily) -> Vec<String> {
        let length_known = num(&self.length).is_some_and(|l| (48..=120).contains(&l));
        bom::warnings(&self.to_config(family))
            .into_iter()
            .filter(|w| length_known || !w.starts_with("W3"))
            .collect()
    }

    /// The quantity of accessory `id` (0 when not chosen).
    pub fn accessory_qty(&self, id: &str) -> i32 {
        self.accessories
            .iter()
            .find(|a| a.assembly_id == id)
            .map_or(0, |a| a.quantity)
    }

    /// Sets the quantity of accessory `id`; 0 removes its row, a new id is added at the end.
    pub fn set_accessory_qty(&mut self, id: &str, qty: i32) {
        let qty = qty.clamp(0, 99);
        match self.accessories.iter().position(|a| a.assembly_id == id) {
            Some(i) if qty == 0 => {
                self.accessories.remove(i);
            }
            Some(i) => self.accessories[i].quantity = qty,
            None if qty > 0 => self.accessories.push(AccessoryLine {
                assembly_id: id.to_string(),
                quantity: qty,
            }),
            None => {}
        }
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
    use super::*;

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
