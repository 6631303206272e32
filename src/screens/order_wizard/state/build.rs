//! One build as entered in steps 2-4: its basins, faucets, sprayers and accessories.

use super::{BasinSize, Fid, fid_of};
use crate::domain::order::{
    AccessoryLine, BasinConfig, BasinType, BuildConfig, FaucetConfig, FaucetPlacement, FaucetType,
    FeetType, LegsType, PegboardColor, PegboardSizeType, PegboardType, STANDARD_BASINS, SinkFamily,
    SprayerConfig, SprayerLocation, SprayerType, WorkflowDirection, basins_of_model,
};
use crate::domain::{bom, order_rules as rules};
use serde::{Deserialize, Serialize};

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

pub(super) fn num(s: &str) -> Option<i32> {
    s.trim().parse().ok()
}

/// The dimensions a size choice stands for; `None` when not chosen (or unknown in an old draft).
pub(super) fn standard_dims(size: Option<BasinSize>) -> Option<(i32, i32, i32)> {
    match size {
        Some(BasinSize::Standard(i)) => STANDARD_BASINS.get(i).copied(),
        _ => None,
    }
}

pub(super) fn size_known(size: Option<BasinSize>) -> bool {
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

    /// The step-3 part of `source` (docs/lifecycle.md §7.2): everything but the number and the
    /// accessories, copied deeply.
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

    /// docs/lifecycle.md §6.6: keeps basins 1..min(old, new), adds empty ones or removes the extra ones.
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
