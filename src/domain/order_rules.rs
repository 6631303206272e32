//! The order wizard's field rules (docs/lifecycle.md §6), with their exact messages.
//! The wizard shows them next to the fields; the service checks them again before writing.
//!
//! Field names are the schema's. Rows are numbered from 1, as in the messages and `basinIndex`:
//! `basins[2].basinWidth` is the second basin, `faucets[1].quantity` the first faucet row.

use crate::domain::order::{
    BasinConfig, BasinType, BuildConfig, FaucetConfig, FaucetPlacement, FaucetType, LegsType,
    NewOrder, OrderDocumentType, OrderHeader, PegboardSizeType, STANDARD_BASINS, SinkFamily,
    WIZARD_DOCUMENT_TYPES, basins_of_model,
};
use crate::text::{check_identifier, check_text};
use chrono::NaiveDate;

/// One broken rule: where, and the message the user sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The build number the error belongs to; `None` for the PO header.
    pub build: Option<String>,
    /// The schema's field name, e.g. `poNumber`, `sinkLength`, `basins[2].basinWidth`, `faucets[1].quantity`.
    pub field: String,
    pub message: String,
}

/// Most builds one PO may have.
pub const MAX_BUILDS: usize = 10;
/// Longest notes text.
pub const MAX_NOTES: usize = 2000;

// Messages for choices the wizard leaves unset until the user picks one; `BuildConfig` cannot hold
// an unset value, so only the wizard reports these.
pub const SELECT_LEGS_TYPE: &str = "Select a legs type";
pub const SELECT_FEET: &str = "Select the feet";

pub fn select_basin_type(n: usize) -> String {
    format!("Basin {n}: select a basin type")
}

pub fn select_basin_size(n: usize) -> String {
    format!("Basin {n}: select a basin size")
}

pub fn light_needs_type(n: usize) -> String {
    format!("Basin {n}: choose the basin type before the basin light")
}

pub fn select_faucet_type(i: usize) -> String {
    format!("Faucet {i}: select a faucet type")
}

pub fn select_sprayer_type(i: usize) -> String {
    format!("Sprayer {i}: select a sprayer type")
}

pub fn select_sprayer_location(i: usize) -> String {
    format!("Sprayer {i}: select a location")
}

/// The answer to a `CheckNumbers` that found the PO number in use.
pub fn po_number_exists(po: &str) -> String {
    format!("PO number {po} already exists")
}

/// The answer to a `CheckNumbers` that found a build number in use (in PO `po`).
pub fn build_number_exists(build: &str, po: &str) -> String {
    format!("Build number {build} already exists (PO {po})")
}

pub fn build_number_repeated(build: &str) -> String {
    format!("Build number {build} is entered more than once")
}

/// Only MDRD is configurable; the other families are listed but refused.
pub fn family_error(family: SinkFamily) -> Option<String> {
    (family != SinkFamily::Mdrd).then(|| format!("{} is not yet available", family.code()))
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A required text of `min`-`max` characters after trimming.
fn required_len(value: &str, name: &str, min: usize, max: usize) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        Some(format!("{name} is required"))
    } else if !(min..=max).contains(&chars(v)) {
        Some(format!("{name} must be {min} to {max} characters"))
    } else {
        None
    }
}

/// A forbidden character in a one-line field (every field of an order is one line in the wizard).
fn text_error(label: &str, value: &str) -> Option<String> {
    check_text(label, value.trim(), false).err()
}

/// Visible ASCII only (letters, digits, `-`, `_`, `.`, `/`; `text::check_identifier`): two PO numbers
/// that read the same are the same. Stricter than the other text fields (docs/lifecycle.md §6.2).
pub fn check_po_number(value: &str) -> Option<String> {
    if let Some(e) = text_error("PO number", value) {
        return Some(e);
    }
    if let Some(e) = required_len(value, "PO number", 3, 50) {
        return Some(e);
    }
    check_identifier("PO number", value.trim()).err()
}

pub fn check_customer_name(value: &str) -> Option<String> {
    text_error("Customer name", value).or_else(|| required_len(value, "Customer name", 3, 100))
}

pub fn check_project_name(value: &str) -> Option<String> {
    if let Some(e) = text_error("Project name", value) {
        return Some(e);
    }
    let v = value.trim();
    (!v.is_empty() && !(3..=100).contains(&chars(v)))
        .then(|| "Project name must be 3 to 100 characters, or empty".to_string())
}

pub fn check_sales_person(value: &str) -> Option<String> {
    text_error("Sales person", value).or_else(|| required_len(value, "Sales person", 3, 100))
}

pub fn check_notes(value: &str) -> Option<String> {
    text_error("Notes", value).or_else(|| {
        (chars(value) > MAX_NOTES).then(|| format!("Notes must be at most {MAX_NOTES} characters"))
    })
}

/// `Want date must be after today (<today>)` when `date` is not after `today`.
pub fn want_date_after(date: NaiveDate, today: NaiveDate) -> Option<String> {
    (date <= today).then(|| {
        format!(
            "Want date must be after today ({})",
            today.format("%Y-%m-%d")
        )
    })
}

/// The want date as typed: exactly `YYYY-MM-DD`, a real date, strictly after `today`.
pub fn parse_want_date(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Want date is required".into());
    }
    let format = "Enter the date as YYYY-MM-DD";
    let b = t.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(format.into());
    }
    let num = |r: std::ops::Range<usize>| t.get(r).and_then(|s| s.parse::<u32>().ok());
    let date = match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) => i32::try_from(y)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
        _ => None,
    };
    let date = date.ok_or_else(|| format.to_string())?;
    match want_date_after(date, today) {
        Some(e) => Err(e),
        None => Ok(date),
    }
}

/// The number of sinks as typed: a whole number 1-10.
pub fn parse_build_count(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_BUILDS).contains(&n) => Ok(n),
        _ => Err("Enter a whole number from 1 to 10".into()),
    }
}

/// `^[A-Za-z0-9-]{3,50}$`; a forbidden character is named as such.
pub fn check_build_number(value: &str) -> Option<String> {
    if let Some(e) = check_text("Build number", value, false).err() {
        return Some(e);
    }
    if value.trim().is_empty() {
        return Some("Build number is required".into());
    }
    let ok = (3..=50).contains(&value.len())
        && value
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-');
    (!ok).then(|| "Build number must be 3 to 50 characters: letters, digits or '-'".to_string())
}

/// The most faucets a sink with `basins` basins takes.
pub fn max_faucets(basins: usize) -> i32 {
    if basins >= 3 { 3 } else { 2 }
}

/// Most sprayers per build (docs/lifecycle.md §6.4).
pub const MAX_SPRAYERS: i32 = 2;

/// Step 1: the header. `today` is the database's CURRENT_DATE.
pub fn validate_header(header: &OrderHeader, today: NaiveDate) -> Vec<FieldError> {
    let project = header.project_name.as_deref().unwrap_or("");
    let notes = header.notes.as_deref().unwrap_or("");
    [
        ("poNumber", check_po_number(&header.po_number)),
        ("customerName", check_customer_name(&header.customer_name)),
        ("projectName", check_project_name(project)),
        ("salesPerson", check_sales_person(&header.sales_person)),
        ("wantDate", want_date_after(header.want_date, today)),
        ("notes", check_notes(notes)),
    ]
    .into_iter()
    .filter_map(|(field, e)| {
        e.map(|message| FieldError {
            build: None,
            field: field.into(),
            message,
        })
    })
    .collect()
}

/// Collects one build's errors under its number.
struct Errors {
    build: String,
    list: Vec<FieldError>,
}

impl Errors {
    fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.list.push(FieldError {
            build: Some(self.build.clone()),
            field: field.into(),
            message: message.into(),
        });
    }
}

fn in_range(v: i32, min: i32, max: i32) -> bool {
    (min..=max).contains(&v)
}

fn check_basin(e: &mut Errors, basin: &BasinConfig, n: usize) {
    let at = |f: &str| format!("basins[{n}].{f}");
    let (w, l, d) = (basin.basin_width, basin.basin_length, basin.basin_depth);
    if basin.is_custom_size {
        let mut ok = true;
        for (field, name, v, max) in [
            ("basinWidth", "width", w, 50),
            ("basinLength", "length", l, 50),
            ("basinDepth", "depth", d, 20),
        ] {
            if !in_range(v, 1, max) {
                ok = false;
                e.push(
                    at(field),
                    format!("Basin {n}: {name} must be a whole number from 1 to {max}"),
                );
            }
        }
        if ok && STANDARD_BASINS.contains(&(w, l, d)) {
            e.push(
                at("isCustomSize"),
                format!("Basin {n}: {w}x{l}x{d} is a standard size; pick it from the list"),
            );
        }
    } else if !STANDARD_BASINS.contains(&(w, l, d)) {
        e.push(at("isCustomSize"), select_basin_size(n));
    }
}

fn check_faucets(e: &mut Errors, faucets: &[FaucetConfig], basins: usize) {
    for (i, f) in faucets.iter().enumerate() {
        let i = i + 1;
        if !in_range(f.quantity, 1, 3) {
            e.push(
                format!("faucets[{i}].quantity"),
                format!("Faucet {i}: quantity must be 1 to 3"),
            );
        }
        if f.placement == FaucetPlacement::BetweenBasins && basins < 2 {
            e.push(
                format!("faucets[{i}].placement"),
                "Between-basins placement needs at least 2 basins",
            );
        }
    }
    let total: i32 = faucets.iter().map(|f| f.quantity.max(0)).sum();
    let max = max_faucets(basins);
    if total > max {
        e.push(
            "faucets",
            format!("Too many faucets: {total} (at most {max} for {basins} basin(s))"),
        );
    }
}

/// Steps 3 and 4 for one build: configuration and accessories (not the uniqueness of its number).
pub fn validate_build(build: &BuildConfig) -> Vec<FieldError> {
    let mut e = Errors {
        build: build.build_number.clone(),
        list: Vec::new(),
    };
    if let Some(m) = family_error(build.sink_family) {
        e.push("sinkFamily", m);
    }
    let model_basins = basins_of_model(&build.sink_model);
    if let Some(m) = text_error("Sink model", &build.sink_model) {
        e.push("sinkModel", m);
    } else if model_basins.is_none() {
        e.push("sinkModel", "Select a sink model");
    }
    if !in_range(build.sink_width, 24, 120) {
        e.push(
            "sinkWidth",
            "Width must be a whole number of inches from 24 to 120",
        );
    }
    if !in_range(build.sink_length, 48, 120) {
        e.push(
            "sinkLength",
            "Length must be a whole number of inches from 48 to 120",
        );
    }
    match (
        build.legs_model.as_str(),
        text_error("Legs model", &build.legs_model),
    ) {
        (_, Some(m)) => e.push("legsModel", m),
        ("DL27" | "DL14", _) => {}
        ("LC1", _) if build.legs_type == LegsType::HeightAdjustable => {}
        ("LC1", _) => e.push(
            "legsModel",
            "LC1 legs are available only as height-adjustable",
        ),
        _ => e.push("legsModel", "Select a legs model"),
    }
    if build.has_pegboard {
        if build.pegboard_color.is_none() {
            e.push("pegboardColor", "Select a pegboard colour");
        }
        if build.pegboard_type.is_none() {
            e.push("pegboardType", "Select a pegboard type");
        }
        if build.pegboard_size_type == Some(PegboardSizeType::Custom) {
            for (field, name, v) in [
                ("pegboardWidth", "width", build.pegboard_width),
                ("pegboardLength", "length", build.pegboard_length),
            ] {
                if !v.is_some_and(|v| in_range(v, 12, 130)) {
                    e.push(
                        field,
                        format!("Pegboard {name} must be a whole number of inches from 12 to 130"),
                    );
                }
            }
        }
    }
    let basins = build.basins.len();
    if let Some(n) = model_basins
        && n != basins
    {
        e.push(
            "basins",
            format!(
                "Sink model {} has {n} basin(s); {basins} given",
                build.sink_model
            ),
        );
    }
    if build
        .basins
        .iter()
        .enumerate()
        .any(|(i, b)| usize::try_from(b.basin_index).ok() != Some(i + 1))
    {
        e.push("basins", "Basins must be numbered from 1 in order");
    }
    for (i, basin) in build.basins.iter().enumerate() {
        check_basin(&mut e, basin, i + 1);
    }
    // Faucet limits follow the model; a configuration without a known model falls back to its rows.
    check_faucets(&mut e, &build.faucets, model_basins.unwrap_or(basins));
    for (i, s) in build.sprayers.iter().enumerate() {
        let i = i + 1;
        if !in_range(s.quantity, 1, 2) {
            e.push(
                format!("sprayers[{i}].quantity"),
                format!("Sprayer {i}: quantity must be 1 or 2"),
            );
        }
    }
    let sprayers: i32 = build.sprayers.iter().map(|s| s.quantity.max(0)).sum();
    if sprayers > MAX_SPRAYERS {
        e.push(
            "sprayers",
            format!("Too many sprayers: {sprayers} (at most {MAX_SPRAYERS})"),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, a) in build.accessories.iter().enumerate() {
        let i = i + 1;
        if let Some(m) = text_error(&format!("Accessory {i}: assembly id"), &a.assembly_id) {
            e.push(format!("accessories[{i}].assemblyId"), m);
        }
        if !in_range(a.quantity, 1, 99) {
            e.push(
                format!("accessories[{i}].quantity"),
                "Quantity must be 1 to 99",
            );
        }
        if seen.contains(&a.assembly_id.as_str()) {
            e.push(
                format!("accessories[{i}].assemblyId"),
                format!("Accessory {} is listed more than once", a.assembly_id),
            );
        } else {
            seen.push(&a.assembly_id);
        }
    }
    e.list
}

/// The whole PO: header, 1-10 builds, build numbers well-formed and distinct within the PO, every build.
pub fn validate_order(order: &NewOrder, today: NaiveDate) -> Vec<FieldError> {
    let mut errors = validate_header(&order.header, today);
    if !(1..=MAX_BUILDS).contains(&order.builds.len()) {
        errors.push(FieldError {
            build: None,
            field: "builds".into(),
            message: "Enter a whole number from 1 to 10".into(),
        });
    }
    for build in &order.builds {
        let number = &build.build_number;
        let mut e = Errors {
            build: number.clone(),
            list: Vec::new(),
        };
        if let Some(m) = check_build_number(number) {
            e.push("buildNumber", m);
        } else if order
            .builds
            .iter()
            .filter(|b| b.build_number.eq_ignore_ascii_case(number))
            .count()
            > 1
        {
            e.push("buildNumber", build_number_repeated(number));
        }
        errors.extend(e.list);
        errors.extend(validate_build(build));
    }
    for a in &order.attachments {
        if let Some(message) = check_attachment(&a.path, a.document_type) {
            errors.push(FieldError {
                build: None,
                field: "attachments".into(),
                message,
            });
        }
    }
    errors
}

/// Largest attachment (up to 10 MB: docs/lifecycle.md §6.2).
pub const MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;

/// The attachment extensions allowed, with the content type stored for each.
pub const ATTACHMENT_TYPES: [(&str, &str); 9] = [
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("txt", "text/plain"),
    ("dwg", "image/vnd.dwg"),
    ("dxf", "image/vnd.dxf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
];

pub const ATTACHMENT_TYPE_NOT_OFFERED: &str =
    "Attachment type must be PO_DOCUMENT or TECHNICAL_DRAWING";

/// `Attachment type must be PO_DOCUMENT or TECHNICAL_DRAWING` for the types offered.
pub fn attachment_type_not_offered(offered: &[OrderDocumentType]) -> String {
    let codes: Vec<&str> = offered.iter().map(|t| t.code()).collect();
    match codes.split_last() {
        Some((last, [])) => format!("Attachment type must be {last}"),
        Some((last, rest)) => format!("Attachment type must be {} or {last}", rest.join(", ")),
        None => "No attachment type is offered".into(),
    }
}

pub fn cannot_read_file(path: &str) -> String {
    format!("Cannot read file {path}")
}

pub fn attachment_too_large(name: &str) -> String {
    format!("{name} is larger than 10 MB")
}

pub fn attachment_type_not_allowed(name: &str, ext: &str) -> String {
    format!("{name}: file type .{ext} is not allowed")
}

/// The file name of a path (its last component), as the messages name it.
pub fn attachment_name(path: &str) -> String {
    std::path::Path::new(path.trim())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.trim().to_string())
}

/// The content type of an allowed file name, or the message naming its extension
/// (docs/lifecycle.md §6.2).
pub fn attachment_content_type(name: &str) -> Result<&'static str, String> {
    let ext = match name.rsplit_once('.') {
        Some((_, ext)) => ext,
        None => "",
    };
    let lower = ext.to_ascii_lowercase();
    ATTACHMENT_TYPES
        .iter()
        .find(|(e, _)| *e == lower)
        .map(|(_, t)| *t)
        .ok_or_else(|| attachment_type_not_allowed(name, ext))
}

/// The stored file name: only letters, digits, '.', '-' and '_' (others become '_'), so the name is
/// safe wherever the file is later written out.
pub fn sanitized_file_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_start_matches('.');
    if s.is_empty() {
        "file".into()
    } else {
        s.into()
    }
}

/// The attachment rules that need no file access: the extension and the document type.
pub fn check_attachment(path: &str, document_type: OrderDocumentType) -> Option<String> {
    check_attachment_of(path, document_type, &WIZARD_DOCUMENT_TYPES)
}

/// The wizard's attachment rules with the document types `offered`: the one check of the wizard and of a
/// document attached to a build later (docs/documents.md §2.1).
pub fn check_attachment_of(
    path: &str,
    document_type: OrderDocumentType,
    offered: &[OrderDocumentType],
) -> Option<String> {
    if path.trim().is_empty() {
        return Some(cannot_read_file(path));
    }
    // The file's name is stored and shown.
    if let Some(m) = text_error("Attachment", path) {
        return Some(m);
    }
    if let Err(m) = attachment_content_type(&attachment_name(path)) {
        return Some(m);
    }
    if !offered.contains(&document_type) {
        return Some(attachment_type_not_offered(offered));
    }
    None
}

/// Number of E-Sink DI basins.
fn di_basins(basins: &[BasinConfig]) -> usize {
    basins
        .iter()
        .filter(|b| b.basin_type == BasinType::ESinkDi)
        .count()
}

/// The DI gooseneck pre-fill (docs/lifecycle.md §6.5, docs/bom-rules.md §3.7). Call it when the number of
/// E-Sink DI basins has changed: with n > 0 DI basins, a build without a gooseneck row gets one
/// {GOOSENECK_TREATED_WATER, n, CENTER}; a build with exactly one gets its quantity set to n. With
/// several gooseneck rows the user has decided, so nothing changes.
pub fn prefill_gooseneck(build: &mut BuildConfig) {
    let n = di_basins(&build.basins);
    let Ok(qty) = i32::try_from(n) else {
        return;
    };
    if n == 0 {
        return;
    }
    let mut rows = build
        .faucets
        .iter_mut()
        .filter(|f| f.faucet_type == FaucetType::GooseneckTreatedWater);
    match (rows.next(), rows.next()) {
        (None, _) => build.faucets.push(FaucetConfig {
            faucet_type: FaucetType::GooseneckTreatedWater,
            quantity: qty,
            placement: FaucetPlacement::Center,
        }),
        (Some(row), None) => row.quantity = qty,
        (Some(_), Some(_)) => {}
    }
}

/// A model change (docs/lifecycle.md §6.6): basins 1..min(old, new) are kept, extra ones removed (the
/// caller asks first), missing ones added. `BuildConfig` cannot hold an unset basin, so an added basin is
/// an E-Sink of the first standard size, for the caller to complete. Returns false for an unknown model,
/// which is stored but leaves the basins as they are.
pub fn set_model(build: &mut BuildConfig, model: &str) -> bool {
    let before = di_basins(&build.basins);
    build.sink_model = model.to_string();
    let Some(n) = basins_of_model(model) else {
        return false;
    };
    build.basins.truncate(n);
    let (w, l, d) = STANDARD_BASINS[0];
    while build.basins.len() < n {
        build.basins.push(BasinConfig {
            basin_index: 0,
            basin_type: BasinType::ESink,
            basin_width: w,
            basin_length: l,
            basin_depth: d,
            is_custom_size: false,
            has_p_trap_drain: false,
            has_basin_light: false,
        });
    }
    for (i, b) in build.basins.iter_mut().enumerate() {
        b.basin_index = i32::try_from(i + 1).unwrap_or(i32::MAX);
    }
    if di_basins(&build.basins) != before {
        prefill_gooseneck(build);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::order::{
        AccessoryLine, DocumentLanguage, FeetType, PegboardColor, PegboardType, SprayerConfig,
        SprayerLocation, SprayerType,
    };

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 14).unwrap_or_default()
    }

    fn header() -> OrderHeader {
        OrderHeader {
            po_number: "PO-4500123".into(),
            customer_name: "St. Mary's Hospital".into(),
            project_name: None,
            sales_person: "Dana Reyes".into(),
            want_date: NaiveDate::from_ymd_opt(2025, 4, 30).unwrap_or_default(),
            order_language: DocumentLanguage::En,
            notes: None,
        }
    }

    fn basin(i: i32, t: BasinType) -> BasinConfig {
        BasinConfig {
            basin_index: i,
            basin_type: t,
            basin_width: 24,
            basin_length: 20,
            basin_depth: 8,
            is_custom_size: false,
            has_p_trap_drain: false,
            has_basin_light: false,
        }
    }

    fn build(number: &str) -> BuildConfig {
        BuildConfig {
            basins: vec![basin(1, BasinType::ESink), basin(2, BasinType::EDrain)],
            faucets: vec![FaucetConfig {
                faucet_type: FaucetType::WristBladeSwingSpout,
                quantity: 1,
                placement: FaucetPlacement::Center,
            }],
            ..BuildConfig::new(
                number,
                "T2-B2",
                (30, 60),
                LegsType::HeightAdjustable,
                "DL27",
                FeetType::LockLevelingCasters,
            )
        }
    }

    fn messages(errors: &[FieldError]) -> Vec<(String, String)> {
        errors
            .iter()
            .map(|e| (e.field.clone(), e.message.clone()))
            .collect()
    }

    fn one(errors: &[FieldError], field: &str, message: &str) {
        assert_eq!(
            messages(errors),
            vec![(field.to_string(), message.to_string())]
        );
    }

    #[test]
    fn attachment_extensions() {
        for ok in [
            "a.pdf", "b.DOC", "c.docx", "d.txt", "e.dwg", "f.dxf", "g.png", "h.JPG", "i.jpeg",
        ] {
            assert!(attachment_content_type(ok).is_ok(), "{ok}");
        }
        assert_eq!(attachment_content_type("x.jpg"), Ok("image/jpeg"));
        assert_eq!(
            attachment_content_type("setup.exe"),
            Err("setup.exe: file type .exe is not allowed".to_string())
        );
        assert_eq!(
            check_attachment("/tmp/dir/Run Me.EXE", OrderDocumentType::PoDocument).as_deref(),
            Some("Run Me.EXE: file type .EXE is not allowed")
        );
        assert_eq!(
            check_attachment("/tmp/po.pdf", OrderDocumentType::TechnicalDrawing),
            None
        );
        assert_eq!(
            check_attachment("/tmp/po.pdf", OrderDocumentType::Photo).as_deref(),
            Some(ATTACHMENT_TYPE_NOT_OFFERED)
        );
        assert_eq!(
            attachment_too_large("big.pdf"),
            "big.pdf is larger than 10 MB"
        );
        assert_eq!(
            cannot_read_file("/no/such.pdf"),
            "Cannot read file /no/such.pdf"
        );
        assert_eq!(sanitized_file_name("PO 12/ä.pdf"), "PO_12__.pdf");
        assert_eq!(sanitized_file_name("..hidden.txt"), "hidden.txt");
    }

    #[test]
    fn a_valid_order_has_no_errors() {
        let order = NewOrder {
            header: header(),
            builds: vec![build("B-1001"), build("B-1002")],
            attachments: Vec::new(),
        };
        assert_eq!(validate_order(&order, today()), Vec::new());
    }

    #[test]
    fn po_number() {
        let mut h = header();
        h.po_number = "  ".into();
        one(
            &validate_header(&h, today()),
            "poNumber",
            "PO number is required",
        );
        h.po_number = "PO".into();
        one(
            &validate_header(&h, today()),
            "poNumber",
            "PO number must be 3 to 50 characters",
        );
        h.po_number = "P".repeat(51);
        one(
            &validate_header(&h, today()),
            "poNumber",
            "PO number must be 3 to 50 characters",
        );
        h.po_number = format!("  {}  ", "P".repeat(50));
        assert!(validate_header(&h, today()).is_empty());
        h.po_number = "PO\t123".into();
        one(
            &validate_header(&h, today()),
            "poNumber",
            "PO number: contains the control character U+0009; remove it",
        );
        h.po_number = "PO-1\u{200B}042".into();
        one(
            &validate_header(&h, today()),
            "poNumber",
            "PO number: contains the zero-width character U+200B; remove it",
        );
        h.po_number = "PO 1042".into();
        one(
            &validate_header(&h, today()),
            "poNumber",
            "PO number: contains \" \" (U+0020); use only letters A-Z, digits and - _ . /",
        );
        h.po_number = "PO-1042/A_2.1".into();
        assert!(validate_header(&h, today()).is_empty());
        assert_eq!(po_number_exists("PO-1"), "PO number PO-1 already exists");
    }

    #[test]
    fn names() {
        let mut h = header();
        h.customer_name = String::new();
        h.sales_person = "Al".into();
        h.project_name = Some("X1".into());
        assert_eq!(
            messages(&validate_header(&h, today())),
            vec![
                (
                    "customerName".into(),
                    "Customer name is required".to_string()
                ),
                (
                    "projectName".into(),
                    "Project name must be 3 to 100 characters, or empty".to_string()
                ),
                (
                    "salesPerson".into(),
                    "Sales person must be 3 to 100 characters".to_string()
                ),
            ]
        );
        h.customer_name = "C".repeat(101);
        h.sales_person = String::new();
        h.project_name = Some("   ".into());
        assert_eq!(
            messages(&validate_header(&h, today())),
            vec![
                (
                    "customerName".into(),
                    "Customer name must be 3 to 100 characters".to_string()
                ),
                ("salesPerson".into(), "Sales person is required".to_string()),
            ]
        );
    }

    #[test]
    fn want_date_and_notes() {
        let mut h = header();
        h.want_date = today();
        one(
            &validate_header(&h, today()),
            "wantDate",
            "Want date must be after today (2025-03-14)",
        );
        h.want_date = today().succ_opt().unwrap_or_default();
        h.notes = Some("n".repeat(2001));
        one(
            &validate_header(&h, today()),
            "notes",
            "Notes must be at most 2000 characters",
        );
        h.notes = Some("é".repeat(2000));
        assert!(validate_header(&h, today()).is_empty());
    }

    #[test]
    fn want_date_text() {
        let t = today();
        assert_eq!(parse_want_date("", t), Err("Want date is required".into()));
        for bad in [
            "2025-4-30",
            "30/04/2025",
            "2025-02-30",
            "2025-13-01",
            "abcd-ef-gh",
        ] {
            assert_eq!(
                parse_want_date(bad, t),
                Err("Enter the date as YYYY-MM-DD".into()),
                "{bad}"
            );
        }
        assert_eq!(
            parse_want_date("2025-03-14", t),
            Err("Want date must be after today (2025-03-14)".into())
        );
        assert_eq!(
            parse_want_date(" 2025-03-15 ", t),
            Ok(NaiveDate::from_ymd_opt(2025, 3, 15).unwrap_or_default())
        );
    }

    #[test]
    fn build_count_and_family() {
        assert_eq!(parse_build_count("3"), Ok(3));
        for bad in ["0", "11", "", "2.5", "-1", "x"] {
            assert_eq!(
                parse_build_count(bad),
                Err("Enter a whole number from 1 to 10".into())
            );
        }
        assert_eq!(family_error(SinkFamily::Mdrd), None);
        assert_eq!(
            family_error(SinkFamily::Endoscope).as_deref(),
            Some("ENDOSCOPE is not yet available")
        );
        let mut b = build("B-1");
        b.sink_family = SinkFamily::Instrosink;
        one(
            &validate_build(&b),
            "sinkFamily",
            "INSTROSINK is not yet available",
        );
    }

    #[test]
    fn build_numbers() {
        assert_eq!(
            check_build_number("").as_deref(),
            Some("Build number is required")
        );
        let shape = "Build number must be 3 to 50 characters: letters, digits or '-'";
        for bad in ["B1", "B_100", "B 100", &"B".repeat(51), "Bé-100"] {
            assert_eq!(check_build_number(bad).as_deref(), Some(shape), "{bad}");
        }
        assert_eq!(check_build_number("b-100"), None);
        assert_eq!(check_build_number(&"9".repeat(50)), None);
        let order = NewOrder {
            header: header(),
            builds: vec![build("B-100"), build("b-100"), build("B_1")],
            attachments: Vec::new(),
        };
        let errors = validate_order(&order, today());
        assert_eq!(
            messages(&errors),
            vec![
                (
                    "buildNumber".into(),
                    "Build number B-100 is entered more than once".to_string()
                ),
                (
                    "buildNumber".into(),
                    "Build number b-100 is entered more than once".to_string()
                ),
                ("buildNumber".into(), shape.to_string()),
            ]
        );
        assert_eq!(errors[1].build.as_deref(), Some("b-100"));
        assert_eq!(
            build_number_exists("B-1", "PO-9"),
            "Build number B-1 already exists (PO PO-9)"
        );
    }

    #[test]
    fn build_count_in_order() {
        let order = NewOrder {
            header: header(),
            builds: Vec::new(),
            attachments: Vec::new(),
        };
        one(
            &validate_order(&order, today()),
            "builds",
            "Enter a whole number from 1 to 10",
        );
        let order = NewOrder {
            header: header(),
            builds: (0..11).map(|i| build(&format!("B-{i:03}"))).collect(),
            attachments: Vec::new(),
        };
        assert_eq!(validate_order(&order, today()).len(), 1);
    }

    #[test]
    fn model_and_dimensions() {
        let mut b = build("B-1");
        b.sink_model = String::new();
        one(&validate_build(&b), "sinkModel", "Select a sink model");
        let mut b = build("B-1");
        b.sink_width = 23;
        b.sink_length = 121;
        assert_eq!(
            messages(&validate_build(&b)),
            vec![
                (
                    "sinkWidth".into(),
                    "Width must be a whole number of inches from 24 to 120".to_string()
                ),
                (
                    "sinkLength".into(),
                    "Length must be a whole number of inches from 48 to 120".to_string()
                ),
            ]
        );
        b.sink_width = 120;
        b.sink_length = 47;
        one(
            &validate_build(&b),
            "sinkLength",
            "Length must be a whole number of inches from 48 to 120",
        );
        b.sink_width = 24;
        b.sink_length = 48;
        assert!(validate_build(&b).is_empty());
        b.basins.pop();
        one(
            &validate_build(&b),
            "basins",
            "Sink model T2-B2 has 2 basin(s); 1 given",
        );
    }

    #[test]
    fn legs() {
        let mut b = build("B-1");
        b.legs_model = "DL99".into();
        one(&validate_build(&b), "legsModel", "Select a legs model");
        b.legs_model = "LC1".into();
        assert!(validate_build(&b).is_empty());
        b.legs_type = LegsType::FixedHeight;
        one(
            &validate_build(&b),
            "legsModel",
            "LC1 legs are available only as height-adjustable",
        );
        b.legs_model = "DL14".into();
        assert!(validate_build(&b).is_empty());
    }

    #[test]
    fn pegboard() {
        let mut b = build("B-1");
        b.has_pegboard = true;
        assert_eq!(
            messages(&validate_build(&b)),
            vec![
                (
                    "pegboardColor".into(),
                    "Select a pegboard colour".to_string()
                ),
                ("pegboardType".into(), "Select a pegboard type".to_string()),
            ]
        );
        b.pegboard_color = Some(PegboardColor::Green);
        b.pegboard_type = Some(PegboardType::Solid);
        assert!(validate_build(&b).is_empty());
        b.pegboard_size_type = Some(PegboardSizeType::Custom);
        b.pegboard_width = Some(11);
        assert_eq!(
            messages(&validate_build(&b)),
            vec![
                (
                    "pegboardWidth".into(),
                    "Pegboard width must be a whole number of inches from 12 to 130".to_string()
                ),
                (
                    "pegboardLength".into(),
                    "Pegboard length must be a whole number of inches from 12 to 130".to_string()
                ),
            ]
        );
        b.pegboard_width = Some(12);
        b.pegboard_length = Some(130);
        assert!(validate_build(&b).is_empty());
        b.has_pegboard = false;
        b.pegboard_width = Some(500);
        assert!(validate_build(&b).is_empty());
    }

    #[test]
    fn basins() {
        let mut b = build("B-1");
        b.basins[1].basin_width = 26;
        one(
            &validate_build(&b),
            "basins[2].isCustomSize",
            "Basin 2: select a basin size",
        );
        b.basins[1].is_custom_size = true;
        assert!(validate_build(&b).is_empty());
        b.basins[1].basin_width = 0;
        b.basins[1].basin_length = 51;
        b.basins[1].basin_depth = 21;
        assert_eq!(
            messages(&validate_build(&b)),
            vec![
                (
                    "basins[2].basinWidth".into(),
                    "Basin 2: width must be a whole number from 1 to 50".to_string()
                ),
                (
                    "basins[2].basinLength".into(),
                    "Basin 2: length must be a whole number from 1 to 50".to_string()
                ),
                (
                    "basins[2].basinDepth".into(),
                    "Basin 2: depth must be a whole number from 1 to 20".to_string()
                ),
            ]
        );
        b.basins[1].basin_width = 30;
        b.basins[1].basin_length = 20;
        b.basins[1].basin_depth = 10;
        one(
            &validate_build(&b),
            "basins[2].isCustomSize",
            "Basin 2: 30x20x10 is a standard size; pick it from the list",
        );
        b.basins[1].basin_depth = 20;
        b.basins[1].basin_width = 50;
        b.basins[1].basin_length = 1;
        assert!(validate_build(&b).is_empty());
        b.basins[1].basin_index = 3;
        one(
            &validate_build(&b),
            "basins",
            "Basins must be numbered from 1 in order",
        );
    }

    fn faucet(t: FaucetType, q: i32, p: FaucetPlacement) -> FaucetConfig {
        FaucetConfig {
            faucet_type: t,
            quantity: q,
            placement: p,
        }
    }

    #[test]
    fn faucets() {
        let mut b = build("B-1");
        b.faucets = vec![faucet(
            FaucetType::PreRinseOverheadSpray,
            0,
            FaucetPlacement::BetweenBasins,
        )];
        one(
            &validate_build(&b),
            "faucets[1].quantity",
            "Faucet 1: quantity must be 1 to 3",
        );
        b.faucets[0].quantity = 3;
        one(
            &validate_build(&b),
            "faucets",
            "Too many faucets: 3 (at most 2 for 2 basin(s))",
        );
        b.sink_model = "T2-B3".into();
        b.basins.push(basin(3, BasinType::ESink));
        assert!(validate_build(&b).is_empty());
        b.faucets.push(faucet(
            FaucetType::WristBladeSwingSpout,
            4,
            FaucetPlacement::Center,
        ));
        assert_eq!(
            messages(&validate_build(&b)),
            vec![
                (
                    "faucets[2].quantity".into(),
                    "Faucet 2: quantity must be 1 to 3".to_string()
                ),
                (
                    "faucets".into(),
                    "Too many faucets: 7 (at most 3 for 3 basin(s))".to_string()
                ),
            ]
        );
        let mut b = build("B-1");
        b.sink_model = "T2-B1".into();
        b.basins.pop();
        b.faucets = vec![faucet(
            FaucetType::WristBladeSwingSpout,
            1,
            FaucetPlacement::BetweenBasins,
        )];
        one(
            &validate_build(&b),
            "faucets[1].placement",
            "Between-basins placement needs at least 2 basins",
        );
        b.faucets[0].placement = FaucetPlacement::Center;
        b.faucets[0].quantity = 2;
        assert!(validate_build(&b).is_empty());
    }

    #[test]
    fn sprayers() {
        let mut b = build("B-1");
        let sprayer = |q| SprayerConfig {
            sprayer_type: SprayerType::AirGunKitTurret,
            quantity: q,
            location: SprayerLocation::LeftSide,
        };
        b.sprayers = vec![sprayer(3)];
        assert_eq!(
            messages(&validate_build(&b)),
            vec![
                (
                    "sprayers[1].quantity".into(),
                    "Sprayer 1: quantity must be 1 or 2".to_string()
                ),
                (
                    "sprayers".into(),
                    "Too many sprayers: 3 (at most 2)".to_string()
                ),
            ]
        );
        b.sprayers = vec![sprayer(2), sprayer(1)];
        one(
            &validate_build(&b),
            "sprayers",
            "Too many sprayers: 3 (at most 2)",
        );
        b.sprayers = vec![sprayer(1), sprayer(1)];
        assert!(validate_build(&b).is_empty());
    }

    #[test]
    fn accessories() {
        let mut b = build("B-1");
        let line = |id: &str, q| AccessoryLine {
            assembly_id: id.into(),
            quantity: q,
        };
        b.accessories = vec![line("T-OA-MNT-ARM", 0)];
        one(
            &validate_build(&b),
            "accessories[1].quantity",
            "Quantity must be 1 to 99",
        );
        b.accessories = vec![line("T-OA-MNT-ARM", 99), line("T-OA-MNT-ARM", 1)];
        one(
            &validate_build(&b),
            "accessories[2].assemblyId",
            "Accessory T-OA-MNT-ARM is listed more than once",
        );
        b.accessories = vec![line("T-OA-MNT-ARM", 100)];
        assert_eq!(validate_build(&b).len(), 1);
    }

    type SetHeader = fn(&mut OrderHeader, String);
    type SetBuild = fn(&mut BuildConfig, String);

    #[test]
    fn every_text_field_refuses_forbidden_characters() {
        for (c, kind) in [
            ('\u{1b}', "control character U+001B"),
            ('\u{202E}', "direction-changing character U+202E"),
            ('\u{200B}', "zero-width character U+200B"),
        ] {
            let header_fields: [(&str, &str, SetHeader); 5] = [
                ("poNumber", "PO number", |h, v| h.po_number = v),
                ("customerName", "Customer name", |h, v| h.customer_name = v),
                ("projectName", "Project name", |h, v| {
                    h.project_name = Some(v)
                }),
                ("salesPerson", "Sales person", |h, v| h.sales_person = v),
                ("notes", "Notes", |h, v| h.notes = Some(v)),
            ];
            for (field, label, set) in header_fields {
                let mut h = header();
                set(&mut h, format!("Valid{c}Text"));
                one(
                    &validate_header(&h, today()),
                    field,
                    &format!("{label}: contains the {kind}; remove it"),
                );
            }
            let build_fields: [(&str, &str, SetBuild); 3] = [
                ("sinkModel", "Sink model", |b, v| b.sink_model = v),
                ("legsModel", "Legs model", |b, v| b.legs_model = v),
                (
                    "accessories[1].assemblyId",
                    "Accessory 1: assembly id",
                    |b, v| {
                        b.accessories = vec![AccessoryLine {
                            assembly_id: v,
                            quantity: 1,
                        }];
                    },
                ),
            ];
            for (field, label, set) in build_fields {
                let mut b = build("B-1");
                set(&mut b, format!("T2{c}-B2"));
                let errors = validate_build(&b);
                assert!(
                    errors.contains(&FieldError {
                        build: Some("B-1".into()),
                        field: field.into(),
                        message: format!("{label}: contains the {kind}; remove it"),
                    }),
                    "{field}: {errors:?}"
                );
            }
            assert_eq!(
                check_build_number(&format!("B-1{c}")),
                Some(format!("Build number: contains the {kind}; remove it"))
            );
        }
        assert_eq!(
            check_notes("one\ntwo").as_deref(),
            Some("Notes: contains a line break (U+000A); this field takes one line")
        );
        assert_eq!(
            check_attachment("/tmp/\u{1b}[2J.pdf", OrderDocumentType::PoDocument).as_deref(),
            Some("Attachment: contains the control character U+001B; remove it")
        );
    }

    #[test]
    fn gooseneck_prefill() {
        let mut b = build("B-1");
        b.basins[0].basin_type = BasinType::ESinkDi;
        prefill_gooseneck(&mut b);
        assert_eq!(
            b.faucets[1],
            faucet(
                FaucetType::GooseneckTreatedWater,
                1,
                FaucetPlacement::Center
            )
        );
        b.basins[1].basin_type = BasinType::ESinkDi;
        prefill_gooseneck(&mut b);
        assert_eq!(b.faucets.len(), 2);
        assert_eq!(b.faucets[1].quantity, 2);
        // Two gooseneck rows: the user's choice stands.
        b.faucets[0].faucet_type = FaucetType::GooseneckTreatedWater;
        b.faucets[0].quantity = 1;
        b.basins[1].basin_type = BasinType::ESink;
        prefill_gooseneck(&mut b);
        assert_eq!((b.faucets[0].quantity, b.faucets[1].quantity), (1, 2));
        // No DI basin: nothing is added.
        let mut b = build("B-2");
        prefill_gooseneck(&mut b);
        assert_eq!(b.faucets.len(), 1);
    }

    #[test]
    fn model_change_keeps_the_first_basins() {
        let mut b = build("B-1");
        b.basins[0].has_p_trap_drain = true;
        assert!(set_model(&mut b, "T2-B3"));
        assert_eq!(b.basins.len(), 3);
        assert!(b.basins[0].has_p_trap_drain);
        assert_eq!(b.basins[2].basin_index, 3);
        assert!(validate_build(&b).is_empty());
        assert!(set_model(&mut b, "T2-B1"));
        assert_eq!(b.basins.len(), 1);
        assert!(b.basins[0].has_p_trap_drain);
        assert!(!set_model(&mut b, "T9"));
        assert_eq!(b.basins.len(), 1);
        // A DI basin removed by the change: the gooseneck row follows the new count.
        let mut b = build("B-1");
        b.basins[1].basin_type = BasinType::ESinkDi;
        prefill_gooseneck(&mut b);
        b.basins[0].basin_type = BasinType::ESinkDi;
        prefill_gooseneck(&mut b);
        assert_eq!(b.faucets[1].quantity, 2);
        set_model(&mut b, "T2-B1");
        assert_eq!(b.faucets[1].quantity, 1);
    }
}
