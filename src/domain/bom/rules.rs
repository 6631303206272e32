//! From a build to its top-level lines: input validation, R1–R9 and the R14 warnings
//! (docs/bom-rules.md §2-§3, §9).

use super::{BomError, custom_basin_name, custom_pegboard_name, invalid};
use crate::domain::order::{
    BasinType, BuildConfig, DocumentLanguage, FaucetPlacement, FaucetType, FeetType, LegsType,
    PegboardSizeType, PegboardType, STANDARD_BASINS, SinkFamily, SprayerType, basins_of_model,
};

// ---------------------------------------------------------------------------------------------------------
// Warnings (R14)

const W3_THRESHOLD: i32 = 84;

/// The compatibility warnings W1–W4 of a build (docs/bom-rules.md §9), without the `WARNING:` prefix.
/// Needs no catalog, so the wizard can show them while the build is being entered; never blocking.
pub fn warnings(build: &BuildConfig) -> Vec<String> {
    let mut out = Vec::new();
    // Each accessory id once, in row order.
    let mut accessory_ids: Vec<&str> = Vec::new();
    for a in &build.accessories {
        if !accessory_ids.contains(&a.assembly_id.as_str()) {
            accessory_ids.push(&a.assembly_id);
        }
    }

    let w1_context = match (build.has_pegboard, build.pegboard_type) {
        (false, _) => Some("no pegboard"),
        (true, Some(PegboardType::Perforated)) => Some("a PERFORATED pegboard"),
        // A SOLID pegboard fits; one whose type is not chosen yet cannot be judged.
        (true, Some(PegboardType::Solid) | None) => None,
    };
    if let Some(has) = w1_context {
        for id in accessory_ids
            .iter()
            .filter(|id| id.ends_with("-BOLT-ON-KIT"))
        {
            out.push(format!(
                "W1 {id} is meant for a SOLID pegboard; this build has {has}"
            ));
        }
    }

    if accessory_ids.contains(&"T2-OHL-INSTRO-KIT") {
        out.push("W2 T2-OHL-INSTRO-KIT is meant for InstroSink; this build is MDRD".to_string());
    }

    let length = build.sink_length;
    for id in &accessory_ids {
        let small = matches!(*id, "T2-OA-CUST-SHELF-HA-SML" | "T-OA-RAIL-SHELF-ADDER-SML");
        let large = matches!(*id, "T2-OA-CUST-SHELF-HA-LRG" | "T-OA-RAIL-SHELF-ADDER-LRG");
        if small && length >= W3_THRESHOLD {
            out.push(format!(
                "W3 {id} is for lengths below {W3_THRESHOLD}; this sink is {length} in"
            ));
        } else if large && length < W3_THRESHOLD {
            out.push(format!(
                "W3 {id} is for lengths {W3_THRESHOLD} and above; this sink is {length} in"
            ));
        }
    }

    let all_drain = !build.basins.is_empty()
        && build
            .basins
            .iter()
            .all(|b| b.basin_type == BasinType::EDrain);
    if all_drain
        && build
            .faucets
            .iter()
            .any(|f| f.placement == FaucetPlacement::Center)
    {
        out.push("W4 a faucet is placed CENTER but every basin is E-Drain".to_string());
    }
    out
}

// ---------------------------------------------------------------------------------------------------------
// Top-level lines (R1–R9)

/// A top-level line before merging and resolution.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Line {
    Catalog { id: String, quantity: i64 },
    Custom(CustomLine),
}

/// A made-to-measure pegboard or basin: not in the catalog, described by its spec.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CustomLine {
    pub(super) id: String,
    pub(super) name: String,
    /// The 700-series number (docs/bom-rules.md §7).
    pub(super) notes: &'static str,
    pub(super) spec: serde_json::Value,
    pub(super) quantity: i64,
}

fn catalog_line(id: impl Into<String>, quantity: i64) -> Line {
    Line::Catalog {
        id: id.into(),
        quantity,
    }
}

/// Section 1: what the wizard guarantees, checked again for callers that bypass it.
pub(super) fn validate(build: &BuildConfig) -> Result<(), BomError> {
    if build.sink_family != SinkFamily::Mdrd {
        return Err(invalid(format!(
            "sink family {} is not configurable (only MDRD)",
            build.sink_family
        )));
    }
    if !(48..=120).contains(&build.sink_length) {
        return Err(invalid(format!(
            "sink length {} in is outside 48-120",
            build.sink_length
        )));
    }
    let Some(count) = basins_of_model(&build.sink_model) else {
        return Err(invalid(format!(
            "unknown sink model \"{}\"",
            build.sink_model
        )));
    };
    if build.basins.len() != count {
        return Err(invalid(format!(
            "model {} has {count} basin(s) but the build lists {}",
            build.sink_model,
            build.basins.len()
        )));
    }
    if build.legs_type == LegsType::FixedHeight && build.legs_model == "LC1" {
        return Err(invalid("fixed-height LC1 legs do not exist"));
    }
    if build.has_pegboard {
        if build.pegboard_color.is_none() || build.pegboard_type.is_none() {
            return Err(invalid("a pegboard needs a colour and a type"));
        }
        match build.pegboard_size_type {
            None => return Err(invalid("a pegboard needs a size type")),
            Some(PegboardSizeType::Custom) => match (build.pegboard_width, build.pegboard_length) {
                (Some(w), Some(l)) if w > 0 && l > 0 => {}
                _ => {
                    return Err(invalid(
                        "a custom pegboard needs a positive width and length",
                    ));
                }
            },
            Some(PegboardSizeType::SameAsSink) => {}
        }
    }
    for b in &build.basins {
        let n = b.basin_index;
        let size = (b.basin_width, b.basin_length, b.basin_depth);
        if b.is_custom_size {
            if size.0 <= 0 || size.1 <= 0 || size.2 <= 0 {
                return Err(invalid(format!(
                    "basin {n}: a custom size must be positive"
                )));
            }
        } else if !STANDARD_BASINS.contains(&size) {
            return Err(invalid(format!(
                "basin {n}: {}x{}x{} is not a standard size",
                size.0, size.1, size.2
            )));
        }
    }
    for (i, f) in build.faucets.iter().enumerate() {
        if f.quantity < 1 {
            return Err(invalid(format!(
                "faucet {}: quantity must be positive",
                i + 1
            )));
        }
    }
    for (i, s) in build.sprayers.iter().enumerate() {
        if s.quantity < 1 {
            return Err(invalid(format!(
                "sprayer {}: quantity must be positive",
                i + 1
            )));
        }
    }
    for a in &build.accessories {
        if a.quantity < 1 {
            return Err(invalid(format!(
                "accessory {}: quantity must be positive",
                a.assembly_id
            )));
        }
    }
    Ok(())
}

fn manual_kit(language: DocumentLanguage) -> &'static str {
    match language {
        DocumentLanguage::En => "T2-STD-MANUAL-EN-KIT",
        DocumentLanguage::Fr => "T2-STD-MANUAL-FR-KIT",
        DocumentLanguage::Sp => "T2-STD-MANUAL-SP-KIT",
    }
}

fn body(length: i32) -> Option<&'static str> {
    match length {
        48..=60 => Some("T2-BODY-48-60-HA"),
        61..=72 => Some("T2-BODY-61-72-HA"),
        73..=120 => Some("T2-BODY-73-120-HA"),
        _ => None,
    }
}

fn legs(legs_type: LegsType, model: &str) -> Option<&'static str> {
    match (legs_type, model) {
        (LegsType::HeightAdjustable, "DL27") => Some("T2-DL27-KIT"),
        (LegsType::HeightAdjustable, "DL14") => Some("T2-DL14-KIT"),
        (LegsType::HeightAdjustable, "LC1") => Some("T2-LC1-KIT"),
        (LegsType::FixedHeight, "DL27") => Some("T2-DL27-FH-KIT"),
        (LegsType::FixedHeight, "DL14") => Some("T2-DL14-FH-KIT"),
        _ => None,
    }
}

fn feet(feet_type: FeetType) -> &'static str {
    match feet_type {
        FeetType::LockLevelingCasters => "T2-LEVELING-CASTOR-475",
        FeetType::SsAdjustableSeismicFeet => "T2-SEISMIC-FEET",
    }
}

/// The panel size code of R4 for a sink length.
fn pegboard_size(length: i32) -> Option<&'static str> {
    match length {
        34..=47 => Some("3436"),
        48..=59 => Some("4836"),
        60..=71 => Some("6036"),
        72..=83 => Some("7236"),
        84..=95 => Some("8436"),
        96..=107 => Some("9636"),
        108..=119 => Some("10836"),
        120..=130 => Some("12036"),
        _ => None,
    }
}

pub(super) fn pegboard_type_code(t: PegboardType) -> &'static str {
    match t {
        PegboardType::Perforated => "PERF",
        PegboardType::Solid => "SOLID",
    }
}

fn basin_kit(t: BasinType) -> &'static str {
    match t {
        BasinType::ESink => "T2-BSN-ESK-KIT",
        BasinType::ESinkDi => "T2-BSN-ESK-DI-KIT",
        BasinType::EDrain => "T2-BSN-EDR-KIT",
    }
}

fn basin_light(t: BasinType) -> &'static str {
    match t {
        BasinType::EDrain => "T2-OA-BASIN-LIGHT-EDR-KIT",
        BasinType::ESink | BasinType::ESinkDi => "T2-OA-BASIN-LIGHT-ESK-KIT",
    }
}

/// R6: the control box for (#E-Drain, #E-Sink incl. DI).
fn control_box(drains: usize, sinks: usize) -> Option<&'static str> {
    match (drains, sinks) {
        (1, 0) => Some("T2-CTRL-EDR1"),
        (0, 1) => Some("T2-CTRL-ESK1"),
        (1, 1) => Some("T2-CTRL-EDR1-ESK1"),
        (2, 0) => Some("T2-CTRL-EDR2"),
        (0, 2) => Some("T2-CTRL-ESK2"),
        (3, 0) => Some("T2-CTRL-EDR3"),
        (0, 3) => Some("T2-CTRL-ESK3"),
        (1, 2) => Some("T2-CTRL-EDR1-ESK2"),
        (2, 1) => Some("T2-CTRL-EDR2-ESK1"),
        _ => None,
    }
}

fn faucet_kit(t: FaucetType) -> &'static str {
    match t {
        FaucetType::WristBladeSwingSpout => "T2-OA-STD-FAUCET-WB-KIT",
        FaucetType::PreRinseOverheadSpray => "T2-OA-PRE-RINSE-FAUCET-KIT",
        FaucetType::GooseneckTreatedWater => "T2-OA-DI-GOOSENECK-FAUCET-KIT",
    }
}

fn sprayer_kit(t: SprayerType) -> &'static str {
    match t {
        SprayerType::DiWaterGunKitTurret => "T2-OA-WATERGUN-TURRET-KIT",
        SprayerType::DiWaterGunKitRosette => "T2-OA-WATERGUN-ROSETTE-KIT",
        SprayerType::AirGunKitTurret => "T2-OA-AIRGUN-TURRET-KIT",
        SprayerType::AirGunKitRosette => "T2-OA-AIRGUN-ROSETTE-KIT",
    }
}

/// R1–R9 in the display order of docs/bom-rules.md §4, before merging. Expects a validated build.
pub(super) fn top_level_lines(
    language: DocumentLanguage,
    build: &BuildConfig,
) -> Result<Vec<Line>, BomError> {
    let length = build.sink_length;
    let mut lines = vec![catalog_line(manual_kit(language), 1)];
    lines.push(catalog_line(
        body(length)
            .ok_or_else(|| invalid(format!("sink length {length} in is outside 48-120")))?,
        1,
    ));
    lines.push(catalog_line(
        legs(build.legs_type, &build.legs_model).ok_or_else(|| {
            invalid(format!(
                "no {} legs kit for model \"{}\"",
                build.legs_type, build.legs_model
            ))
        })?,
        1,
    ));
    lines.push(catalog_line(feet(build.feet_type), 1));

    if build.has_pegboard {
        let (Some(color), Some(kind)) = (build.pegboard_color, build.pegboard_type) else {
            return Err(invalid("a pegboard needs a colour and a type"));
        };
        lines.push(catalog_line("T2-OHL-MDRD-KIT", 1));
        match build.pegboard_size_type {
            Some(PegboardSizeType::SameAsSink) => {
                let size = pegboard_size(length)
                    .ok_or_else(|| invalid(format!("no pegboard size for a {length} in sink")))?;
                lines.push(catalog_line(
                    format!(
                        "T2-ADW-PB-{size}-{}-{}-KIT",
                        color.code(),
                        pegboard_type_code(kind)
                    ),
                    1,
                ));
            }
            Some(PegboardSizeType::Custom) => {
                let (Some(w), Some(l)) = (build.pegboard_width, build.pegboard_length) else {
                    return Err(invalid(
                        "a custom pegboard needs a positive width and length",
                    ));
                };
                lines.push(Line::Custom(CustomLine {
                    id: format!("T2-ADW-PB-{w}x{l}"),
                    name: custom_pegboard_name(w, l, kind.code(), color.code()),
                    notes: "720.215.002",
                    spec: serde_json::json!({
                        "width": w,
                        "length": l,
                        "type": kind.code(),
                        "color": color.code(),
                    }),
                    quantity: 1,
                }));
            }
            None => return Err(invalid("a pegboard needs a size type")),
        }
    }

    let mut basins: Vec<_> = build.basins.iter().collect();
    basins.sort_by_key(|b| b.basin_index);

    // Type kits in order of each type's first basin.
    let mut kits: Vec<(BasinType, i64)> = Vec::new();
    for b in &basins {
        match kits.iter_mut().find(|(t, _)| *t == b.basin_type) {
            Some((_, n)) => *n += 1,
            None => kits.push((b.basin_type, 1)),
        }
    }
    lines.extend(kits.iter().map(|(t, n)| catalog_line(basin_kit(*t), *n)));

    for b in &basins {
        let (w, l, d) = (b.basin_width, b.basin_length, b.basin_depth);
        if b.is_custom_size {
            lines.push(Line::Custom(CustomLine {
                id: format!("T2-ADW-BASIN-{w}x{l}x{d}"),
                name: custom_basin_name(w, l, d),
                notes: "720.215.001",
                spec: serde_json::json!({"width": w, "length": l, "depth": d}),
                quantity: 1,
            }));
        } else {
            lines.push(catalog_line(format!("T2-ADW-BASIN{w}X{l}X{d}"), 1));
        }
    }
    for _ in basins.iter().filter(|b| b.has_p_trap_drain) {
        lines.push(catalog_line("T2-OA-MS-1026", 1));
    }
    for b in basins.iter().filter(|b| b.has_basin_light) {
        lines.push(catalog_line(basin_light(b.basin_type), 1));
    }

    let drains = basins
        .iter()
        .filter(|b| b.basin_type == BasinType::EDrain)
        .count();
    let sinks = basins.len() - drains;
    lines.push(catalog_line(
        control_box(drains, sinks).ok_or_else(|| {
            invalid(format!(
                "no control box for {drains} E-Drain and {sinks} E-Sink basin(s)"
            ))
        })?,
        1,
    ));

    for f in &build.faucets {
        lines.push(catalog_line(
            faucet_kit(f.faucet_type),
            i64::from(f.quantity),
        ));
    }
    for s in &build.sprayers {
        lines.push(catalog_line(
            sprayer_kit(s.sprayer_type),
            i64::from(s.quantity),
        ));
    }
    for a in &build.accessories {
        lines.push(catalog_line(a.assembly_id.clone(), i64::from(a.quantity)));
    }
    Ok(lines)
}
