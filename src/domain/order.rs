//! Orders: a purchase order (PO) is the group of builds (one `"ProductionOrder"` row each) sharing
//! `poNumber`. These types mirror the schema's columns so that the wizard, `order import` (JSON with the
//! schema's field names) and the repository all speak the same shapes.

use crate::domain::enums::db_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

db_enum!(
    /// The statuses of a build: the customer's nine, then CANCELLED (docs/lifecycle.md §2.1, §12).
    OrderStatus, "OrderStatus", [
    OrderCreated => "ORDER_CREATED", "Order created",
    PartsSent => "PARTS_SENT", "Parts sent",
    ReadyForPreQc => "READY_FOR_PRE_QC", "Ready for Pre-QC",
    ReadyForProduction => "READY_FOR_PRODUCTION", "Ready for production",
    TestingComplete => "TESTING_COMPLETE", "Testing complete",
    PackagingComplete => "PACKAGING_COMPLETE", "Packaging complete",
    ReadyForFinalQc => "READY_FOR_FINAL_QC", "Ready for Final QC",
    ReadyForShip => "READY_FOR_SHIP", "Ready for ship",
    Shipped => "SHIPPED", "Shipped",
    Cancelled => "CANCELLED", "Cancelled",
]);

db_enum!(DocumentLanguage, "DocumentLanguage", [
    En => "EN", "English",
    Fr => "FR", "French",
    Sp => "SP", "Spanish",
]);

db_enum!(SinkFamily, "SinkFamily", [
    Mdrd => "MDRD", "MDRD",
    Endoscope => "ENDOSCOPE", "Endoscope",
    Instrosink => "INSTROSINK", "InstroSink",
]);

db_enum!(LegsType, "LegsType", [
    HeightAdjustable => "HEIGHT_ADJUSTABLE", "Height-adjustable",
    FixedHeight => "FIXED_HEIGHT", "Fixed height",
]);

db_enum!(FeetType, "FeetType", [
    LockLevelingCasters => "LOCK_LEVELING_CASTERS", "Lock & levelling casters",
    SsAdjustableSeismicFeet => "SS_ADJUSTABLE_SEISMIC_FEET", "S/S adjustable seismic feet",
]);

db_enum!(WorkflowDirection, "WorkflowDirection", [
    LeftToRight => "LEFT_TO_RIGHT", "Left to right",
    RightToLeft => "RIGHT_TO_LEFT", "Right to left",
]);

db_enum!(PegboardColor, "PegboardColor", [
    Green => "GREEN", "Green",
    Black => "BLACK", "Black",
    Yellow => "YELLOW", "Yellow",
    Grey => "GREY", "Grey",
    Red => "RED", "Red",
    Blue => "BLUE", "Blue",
    Orange => "ORANGE", "Orange",
    White => "WHITE", "White",
]);

db_enum!(PegboardType, "PegboardType", [
    Perforated => "PERFORATED", "Perforated",
    Solid => "SOLID", "Solid",
]);

db_enum!(PegboardSizeType, "PegboardSizeType", [
    SameAsSink => "SAME_AS_SINK", "Same as sink",
    Custom => "CUSTOM", "Custom",
]);

db_enum!(BasinType, "BasinType", [
    ESink => "E_SINK", "E-Sink",
    ESinkDi => "E_SINK_DI", "E-Sink DI",
    EDrain => "E_DRAIN", "E-Drain",
]);

db_enum!(FaucetType, "FaucetType", [
    WristBladeSwingSpout => "WRIST_BLADE_SWING_SPOUT", "Wrist blade, swing spout",
    PreRinseOverheadSpray => "PRE_RINSE_OVERHEAD_SPRAY", "Pre-rinse overhead spray",
    GooseneckTreatedWater => "GOOSENECK_TREATED_WATER", "Gooseneck, treated water",
]);

db_enum!(FaucetPlacement, "FaucetPlacement", [
    Center => "CENTER", "Center",
    BetweenBasins => "BETWEEN_BASINS", "Between basins",
]);

db_enum!(SprayerType, "SprayerType", [
    DiWaterGunKitTurret => "DI_WATER_GUN_KIT_TURRET", "DI water gun, turret",
    DiWaterGunKitRosette => "DI_WATER_GUN_KIT_ROSETTE", "DI water gun, rosette",
    AirGunKitTurret => "AIR_GUN_KIT_TURRET", "Air gun, turret",
    AirGunKitRosette => "AIR_GUN_KIT_ROSETTE", "Air gun, rosette",
]);

db_enum!(SprayerLocation, "SprayerLocation", [
    LeftSide => "LEFT_SIDE", "Left side",
    RightSide => "RIGHT_SIDE", "Right side",
]);

db_enum!(OrderDocumentType, "OrderDocumentType", [
    PoDocument => "PO_DOCUMENT", "PO document",
    TechnicalDrawing => "TECHNICAL_DRAWING", "Technical drawing",
    OrderConfirmation => "ORDER_CONFIRMATION", "Order confirmation",
    QcForm => "QC_FORM", "QC form",
    TestResult => "TEST_RESULT", "Test result",
    Photo => "PHOTO", "Photo",
    Other => "OTHER", "Other",
]);

/// The document types the wizard may attach (docs/lifecycle.md §6.2).
pub const WIZARD_DOCUMENT_TYPES: [OrderDocumentType; 2] = [
    OrderDocumentType::PoDocument,
    OrderDocumentType::TechnicalDrawing,
];

/// The sink models: the model fixes the number of basins.
pub const SINK_MODELS: [(&str, usize); 3] = [("T2-B1", 1), ("T2-B2", 2), ("T2-B3", 3)];
/// Legs models; LC1 exists only height-adjustable.
pub const LEGS_MODELS: [&str; 3] = ["DL27", "DL14", "LC1"];
/// The five standard basin sizes (width, length, depth) in inches.
pub const STANDARD_BASINS: [(i32, i32, i32); 5] = [
    (20, 20, 8),
    (24, 20, 8),
    (24, 20, 10),
    (30, 20, 8),
    (30, 20, 10),
];

/// The number of basins of a model, e.g. 2 for "T2-B2".
pub fn basins_of_model(model: &str) -> Option<usize> {
    SINK_MODELS
        .iter()
        .find(|(m, _)| *m == model)
        .map(|(_, n)| *n)
}

/// PO-level fields, stored identically on every build of the PO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrderHeader {
    pub po_number: String,
    pub customer_name: String,
    #[serde(default)]
    pub project_name: Option<String>,
    pub sales_person: String,
    pub want_date: NaiveDate,
    #[serde(default = "default_language")]
    pub order_language: DocumentLanguage,
    #[serde(default)]
    pub notes: Option<String>,
}

fn default_language() -> DocumentLanguage {
    DocumentLanguage::En
}

/// One basin (`"BasinConfiguration"`); basinIndex is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BasinConfig {
    pub basin_index: i32,
    pub basin_type: BasinType,
    pub basin_width: i32,
    pub basin_length: i32,
    pub basin_depth: i32,
    #[serde(default)]
    pub is_custom_size: bool,
    #[serde(default, rename = "hasPTrapDrain")]
    pub has_p_trap_drain: bool,
    #[serde(default)]
    pub has_basin_light: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaucetConfig {
    pub faucet_type: FaucetType,
    pub quantity: i32,
    pub placement: FaucetPlacement,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SprayerConfig {
    pub sprayer_type: SprayerType,
    pub quantity: i32,
    pub location: SprayerLocation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessoryLine {
    pub assembly_id: String,
    pub quantity: i32,
}

/// One build's configuration and accessories, as the schema stores them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BuildConfig {
    pub build_number: String,
    pub sink_family: SinkFamily,
    pub sink_model: String,
    pub sink_width: i32,
    pub sink_length: i32,
    pub legs_type: LegsType,
    pub legs_model: String,
    pub feet_type: FeetType,
    #[serde(default = "default_direction")]
    pub workflow_direction: WorkflowDirection,
    #[serde(default)]
    pub has_pegboard: bool,
    #[serde(default)]
    pub pegboard_color: Option<PegboardColor>,
    #[serde(default)]
    pub pegboard_type: Option<PegboardType>,
    #[serde(default)]
    pub pegboard_size_type: Option<PegboardSizeType>,
    #[serde(default)]
    pub pegboard_width: Option<i32>,
    #[serde(default)]
    pub pegboard_length: Option<i32>,
    #[serde(default)]
    pub basins: Vec<BasinConfig>,
    #[serde(default)]
    pub faucets: Vec<FaucetConfig>,
    #[serde(default)]
    pub sprayers: Vec<SprayerConfig>,
    #[serde(default)]
    pub accessories: Vec<AccessoryLine>,
}

impl BuildConfig {
    /// A build with its required fields set: no pegboard, left to right, and no basins, faucets,
    /// sprayers or accessories yet.
    pub fn new(
        build_number: &str,
        sink_model: &str,
        (sink_width, sink_length): (i32, i32),
        legs_type: LegsType,
        legs_model: &str,
        feet_type: FeetType,
    ) -> BuildConfig {
        BuildConfig {
            build_number: build_number.into(),
            sink_family: SinkFamily::Mdrd,
            sink_model: sink_model.into(),
            sink_width,
            sink_length,
            legs_type,
            legs_model: legs_model.into(),
            feet_type,
            workflow_direction: WorkflowDirection::LeftToRight,
            has_pegboard: false,
            pegboard_color: None,
            pegboard_type: None,
            pegboard_size_type: None,
            pegboard_width: None,
            pegboard_length: None,
            basins: Vec::new(),
            faucets: Vec::new(),
            sprayers: Vec::new(),
            accessories: Vec::new(),
        }
    }
}

fn default_direction() -> WorkflowDirection {
    WorkflowDirection::LeftToRight
}

/// A file to attach to every build of a new PO: a path on this station, read at submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentSpec {
    pub path: String,
    pub document_type: OrderDocumentType,
}

/// What the service found when checking one attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentInfo {
    /// The path's file name.
    pub name: String,
    pub size: u64,
}

/// A whole PO as entered: the header, 1-10 builds and any attachments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewOrder {
    pub header: OrderHeader,
    pub builds: Vec<BuildConfig>,
    pub attachments: Vec<AttachmentSpec>,
}

/// The `order import` JSON document: the header's fields and `builds` at one level, every key checked
/// (a misspelt key is refused rather than silently dropped).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrderDocument {
    pub po_number: String,
    pub customer_name: String,
    #[serde(default)]
    pub project_name: Option<String>,
    pub sales_person: String,
    pub want_date: NaiveDate,
    #[serde(default = "default_language")]
    pub order_language: DocumentLanguage,
    #[serde(default)]
    pub notes: Option<String>,
    pub builds: Vec<BuildConfig>,
}

impl From<OrderDocument> for NewOrder {
    fn from(d: OrderDocument) -> NewOrder {
        NewOrder {
            header: OrderHeader {
                po_number: d.po_number,
                customer_name: d.customer_name,
                project_name: d.project_name,
                sales_person: d.sales_person,
                want_date: d.want_date,
                order_language: d.order_language,
                notes: d.notes,
            },
            builds: d.builds,
            // Imports carry no files.
            attachments: Vec::new(),
        }
    }
}

/// Which builds a queue shows by default (docs/lifecycle.md §1.4): a role's own work, or everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueView {
    /// The acting user's role decides (QC: its two statuses; assembler: its production builds assigned
    /// to them or unassigned; procurement: its two statuses; coordinator and admin: all).
    MyWork,
    /// Every build (read-only roles included); the service department sees none.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    PoNumber,
    BuildNumber,
    Customer,
    Model,
    Status,
    WantDate,
    Assignee,
}

impl SortKey {
    /// Every sort column, in the queue table's column order (which `s` cycles through).
    pub const ALL: [SortKey; 7] = [
        SortKey::PoNumber,
        SortKey::BuildNumber,
        SortKey::Customer,
        SortKey::Model,
        SortKey::Status,
        SortKey::WantDate,
        SortKey::Assignee,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueFilter {
    Any,
    /// Want date before today and not shipped.
    Overdue,
    /// Want date within the next 7 days.
    DueSoon,
}

/// One page request of a queue. Pages are keyset-paginated: `after` is the opaque cursor of the previous
/// page's last row, so a page costs the same at row 10 and at row 100,000.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderQuery {
    pub view: QueueView,
    /// Free text over PO number, build number and customer (case-insensitive, substring).
    pub search: String,
    pub status: Option<OrderStatus>,
    pub due: DueFilter,
    pub sort: SortKey,
    pub descending: bool,
    pub after: Option<String>,
    pub limit: u32,
}

impl Default for OrderQuery {
    fn default() -> Self {
        OrderQuery {
            view: QueueView::MyWork,
            search: String::new(),
            status: None,
            due: DueFilter::Any,
            sort: SortKey::WantDate,
            descending: false,
            after: None,
            limit: 50,
        }
    }
}

/// One row of a queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderRow {
    pub id: uuid::Uuid,
    pub po_number: String,
    pub build_number: String,
    pub customer_name: String,
    pub sink_model: String,
    pub status: OrderStatus,
    pub want_date: NaiveDate,
    pub assignee: Option<String>,
    /// Want date minus today (database CURRENT_DATE); negative when overdue.
    pub days_left: i32,
    /// Comments on the build not resolved yet, internal ones included (docs/comments.md §6).
    pub open_comments: i64,
    /// The reason of the build's open hold, when it is held (docs/holds.md §3.1).
    pub hold: Option<crate::domain::hold_reason::HoldReason>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderPage {
    pub rows: Vec<OrderRow>,
    /// The cursor for the next page; `None` on the last page.
    pub next: Option<String>,
}

/// What the acting user may do to a build right now (the detail screen shows exactly these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum OrderAction {
    /// A normal transition by the user's role.
    Move {
        to: OrderStatus,
    },
    /// An ADMIN override of a listed transition (reason required).
    Override {
        to: OrderStatus,
    },
    Assign,
    EditConfiguration,
    /// Approve the current DRAFT BOM (R13).
    ApproveBom,
    /// Generate a new DRAFT BOM version from the stored configuration (R13).
    RegenerateBom,
    /// Put the build on hold (docs/holds.md §2.2).
    PlaceHold,
    /// Release the build's hold (docs/holds.md §2.3).
    ReleaseHold,
    /// Correct the want date, project, sales person or notes (docs/lifecycle.md §11).
    Correct,
    /// Cancel a build that has not entered production (docs/lifecycle.md §12).
    Cancel,
}

/// An accessory the wizard offers (docs/bom-rules.md §3.9: the 54 items of category 720).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessoryItem {
    pub id: String,
    pub name: String,
    pub subcategory: String,
}

/// What the wizard loads once when it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WizardContext {
    /// The database's CURRENT_DATE (docs/lifecycle.md §6.9): the want date must be after it.
    pub today: NaiveDate,
    pub accessories: Vec<AccessoryItem>,
    /// The user's saved, unsubmitted wizard, if any (the wizard's own serialised state).
    pub draft: Option<serde_json::Value>,
}

/// Which of the entered numbers already exist (case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct NumberCheck {
    /// The existing spelling of the PO number, when taken.
    pub po_taken: Option<String>,
    /// (entered build number, PO it exists in).
    pub builds_taken: Vec<(String, String)>,
}

/// The result of creating a PO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreatedOrder {
    pub po_number: String,
    /// (order id, build number), in the order entered.
    pub builds: Vec<(uuid::Uuid, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_labels_round_trip() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.code()), Some(*s));
        }
        assert_eq!(OrderStatus::ALL.len(), 10);
        assert_eq!(BasinType::parse("e_sink_di"), Some(BasinType::ESinkDi));
        assert_eq!(
            serde_json::to_string(&FeetType::LockLevelingCasters)
                .ok()
                .as_deref(),
            Some("\"LOCK_LEVELING_CASTERS\"")
        );
    }

    #[test]
    fn import_document_uses_the_schema_names() {
        let json = r#"{"poNumber":"PO-1","customerName":"Acme Hospital","salesPerson":"Jo Sales","wantDate":"2030-01-31",
            "orderLanguage":"FR","builds":[{"buildNumber":"B-1","sinkFamily":"MDRD","sinkModel":"T2-B1","sinkWidth":30,
            "sinkLength":60,"legsType":"FIXED_HEIGHT","legsModel":"DL14","feetType":"SS_ADJUSTABLE_SEISMIC_FEET",
            "basins":[{"basinIndex":1,"basinType":"E_DRAIN","basinWidth":20,"basinLength":20,"basinDepth":8,"hasPTrapDrain":true}],
            "accessories":[{"assemblyId":"T2-OA-MS-1026","quantity":1}]}]}"#;
        let order: NewOrder = serde_json::from_str::<OrderDocument>(json)
            .expect("parses")
            .into();
        assert_eq!(order.header.order_language, DocumentLanguage::Fr);
        assert_eq!(order.builds[0].basins[0].basin_type, BasinType::EDrain);
        assert!(order.builds[0].basins[0].has_p_trap_drain);
        assert_eq!(
            order.builds[0].workflow_direction,
            WorkflowDirection::LeftToRight
        );
        assert!(
            serde_json::from_str::<OrderDocument>(&json.replace("\"sinkWidth\"", "\"sinkWidht\""))
                .is_err()
        );
        assert!(
            serde_json::from_str::<OrderDocument>(
                &json.replace("\"salesPerson\"", "\"salesperson\"")
            )
            .is_err()
        );
    }
}
