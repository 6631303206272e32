//! The migrated schema against the customer's design: tables and columns, enums, indexes, constraints,
//! triggers, and the behaviour the triggers promise. Every expectation is written out here rather than
//! read from the migration files, so a migration that drifts from the design fails a test.

use std::collections::{BTreeMap, BTreeSet};

use deadpool_postgres::GenericClient;
use uuid::Uuid;

use crate::support::TestDb;

// ------------------------------------------------------------------------------------------------
// Expected shape
// ------------------------------------------------------------------------------------------------

/// Every table with its exact column names (camelCase, as the design spells them).
#[rustfmt::skip]
const TABLES: &[(&str, &[&str])] = &[
    (
        "User",
        &[
            "id", "username", "passwordHash", "fullName", "initials", "role", "isActive",
            "mustChangePassword", "lastLoginAt", "createdAt", "updatedAt",
            // Added by V22 (badge + PIN, §4.7).
            "badgeCode", "pinHash",
        ],
    ),
    ("UserSession", &["id", "userId", "token", "expiresAt", "createdAt", "lastUsedAt"]),
    (
        "LoginThrottle",
        &["id", "username", "failedCount", "lockedUntil", "lastFailureAt", "updatedAt"],
    ),
    (
        "ProductionOrder",
        &[
            "id", "poNumber", "buildNumber", "customerName", "projectName", "salesPerson", "wantDate",
            "orderLanguage", "notes", "sinkFamily", "sinkModel", "sinkWidth", "sinkLength", "legsType",
            "legsModel", "feetType", "workflowDirection", "hasPegboard", "pegboardColor", "pegboardType",
            "pegboardSizeType", "pegboardWidth", "pegboardLength", "orderStatus", "currentAssigneeId",
            "bomId", "createdAt", "updatedAt",
        ],
    ),
    (
        "BasinConfiguration",
        &[
            "id", "orderId", "basinIndex", "basinType", "basinWidth", "basinLength", "basinDepth",
            "isCustomSize", "hasPTrapDrain", "hasBasinLight", "drainLocation", "faucetLocation",
            "overflowSensorInstalled", "createdAt",
        ],
    ),
    (
        "FaucetConfiguration",
        &["id", "orderId", "faucetType", "quantity", "placement", "createdAt"],
    ),
    (
        "SprayerConfiguration",
        &["id", "orderId", "sprayerType", "quantity", "location", "createdAt"],
    ),
    ("OrderAccessory", &["id", "orderId", "assemblyId", "quantity", "createdAt"]),
    (
        "OrderStatusHistory",
        &["id", "orderId", "userId", "action", "oldStatus", "newStatus", "notes", "timestamp"],
    ),
    (
        "Part",
        &[
            "id", "name", "manufacturerPartNumber", "manufacturerInfo", "type", "status", "photoUrl",
            "technicalDrawingUrl", "description", "createdAt", "updatedAt",
        ],
    ),
    (
        "Assembly",
        &[
            "id", "name", "type", "categoryCode", "subcategoryCode", "canOrder", "isKit", "status",
            "photoUrl", "technicalDrawingUrl", "description", "qrData", "kitComponents",
            "workInstructionId", "createdAt", "updatedAt",
        ],
    ),
    (
        "AssemblyComponent",
        &[
            "id", "parentAssemblyId", "childType", "childId", "quantity", "notes", "sequenceOrder",
            "createdAt",
        ],
    ),
    ("Category", &["id", "name", "description", "parentId", "level", "createdAt"]),
    (
        "BillOfMaterials",
        &["id", "orderId", "version", "generatedAt", "generatedBy", "status", "notes"],
    ),
    (
        "BOMItem",
        &[
            "id", "bomId", "itemType", "itemId", "parentItemId", "quantity", "level", "sequenceOrder",
            "notes", "isCustomPart", "customPartSpec",
        ],
    ),
    (
        "QCFormTemplate",
        &[
            "id", "formName", "formType", "version", "description", "isActive", "createdAt", "updatedAt",
        ],
    ),
    (
        "QCChecklistItem",
        &[
            "id", "templateId", "section", "itemDescription", "checkType", "isBasinSpecific", "isRequired",
            "defaultValue", "notesPrompt", "sequenceOrder", "rules",
        ],
    ),
    (
        "QCResult",
        &[
            "id", "orderId", "buildNumber", "templateId", "qcTypePerformed", "performedBy", "jobId",
            "numberOfBasins", "overallStatus", "digitalSignature", "timestamp", "notes",
        ],
    ),
    (
        "QCItemResult",
        &["id", "qcResultId", "checklistItemId", "resultValue", "isNA", "notes", "basinIndex"],
    ),
    (
        "WorkInstruction",
        &[
            "id", "title", "description", "associatedAssemblyId", "isGeneric", "version", "isActive",
            "createdAt", "updatedAt",
        ],
    ),
    (
        "WorkInstructionStep",
        &[
            "id", "workInstructionId", "stepNumber", "description", "visualUrl", "safetyNotes",
            "estimatedTime",
        ],
    ),
    ("Tool", &["id", "name", "description", "imageUrl", "category", "isActive", "createdAt"]),
    ("TaskList", &["id", "orderId", "assemblyType", "generatedAt", "isActive"]),
    (
        "Task",
        &[
            "id", "taskListId", "sequenceOrder", "description", "workInstructionId",
            "productionChecklistItemId", "estimatedTime", "isCompleted", "completedAt", "completedBy",
            "notes",
            // Added: the revision the task was generated with (V19, schema.md §3.14).
            "workInstructionRevisionId",
        ],
    ),
    ("TaskTool", &["id", "taskId", "toolId", "isRequired"]),
    ("TaskPart", &["id", "taskId", "partType", "partId", "quantity"]),
    (
        "TestingForm",
        &["id", "orderId", "performedBy", "overallStatus", "timestamp", "notes"],
    ),
    (
        "TestResult",
        &[
            "id", "testingFormId", "testName", "testType", "result", "measurements", "notes",
            "sequenceOrder",
        ],
    ),
    (
        "PackagingChecklist",
        &["id", "orderId", "performedBy", "isCompleted", "completedAt", "notes"],
    ),
    (
        "PackagingItem",
        &[
            "id", "packagingChecklistId", "itemType", "itemId", "requiredQuantity", "packedQuantity",
            "isComplete", "notes",
        ],
    ),
    (
        "ServiceOrder",
        &[
            "id", "requestedBy", "status", "requestTimestamp", "processedBy", "processedTimestamp", "notes",
            "internalNotes",
        ],
    ),
    ("ServiceOrderItem", &["id", "serviceOrderId", "partType", "partId", "quantity"]),
    (
        "Document",
        &[
            "id", "fileName", "originalName", "fileUrl", "contentType", "fileSize", "uploadedBy",
            "uploadedAt", "isActive",
        ],
    ),
    (
        "OrderDocument",
        &[
            "id", "orderId", "documentId", "documentType", "associatedAt",
            // Added by V26 (documents superseded, never deleted).
            "supersedesId",
        ],
    ),
    (
        "AuditLog",
        &[
            "id", "userId", "action", "entityType", "entityId", "oldValues", "newValues", "ipAddress",
            "userAgent", "timestamp", "seq", "dbRole", "sessionId",
        ],
    ),
    (
        "SystemNotification",
        &[
            "id", "userId", "title", "message", "type", "isRead", "relatedEntityType", "relatedEntityId",
            "createdAt", "readAt",
            // Added by V25 (notification priority, §9).
            "priority",
        ],
    ),
    (
        "SystemSetting",
        &[
            "id", "settingKey", "settingValue", "description", "dataType", "isEditable", "updatedBy",
            "updatedAt",
        ],
    ),
];

/// Every enum type with its labels in declaration order.
#[rustfmt::skip]
const ENUMS: &[(&str, &[&str])] = &[
    (
        "UserRole",
        &[
            "PRODUCTION_COORDINATOR", "ADMIN", "PROCUREMENT_SPECIALIST", "QC_PERSON", "ASSEMBLER",
            "SERVICE_DEPARTMENT",
        ],
    ),
    ("DocumentLanguage", &["EN", "FR", "SP"]),
    ("SinkFamily", &["MDRD", "ENDOSCOPE", "INSTROSINK"]),
    ("LegsType", &["HEIGHT_ADJUSTABLE", "FIXED_HEIGHT"]),
    ("FeetType", &["LOCK_LEVELING_CASTERS", "SS_ADJUSTABLE_SEISMIC_FEET"]),
    ("WorkflowDirection", &["LEFT_TO_RIGHT", "RIGHT_TO_LEFT"]),
    (
        "PegboardColor",
        &["GREEN", "BLACK", "YELLOW", "GREY", "RED", "BLUE", "ORANGE", "WHITE"],
    ),
    ("PegboardType", &["PERFORATED", "SOLID"]),
    ("PegboardSizeType", &["SAME_AS_SINK", "CUSTOM"]),
    (
        "OrderStatus",
        &[
            "ORDER_CREATED", "PARTS_SENT", "READY_FOR_PRE_QC", "READY_FOR_PRODUCTION", "TESTING_COMPLETE",
            "PACKAGING_COMPLETE", "READY_FOR_FINAL_QC", "READY_FOR_SHIP", "SHIPPED", "CANCELLED",
        ],
    ),
    ("BasinType", &["E_SINK", "E_SINK_DI", "E_DRAIN"]),
    (
        "FaucetType",
        &["WRIST_BLADE_SWING_SPOUT", "PRE_RINSE_OVERHEAD_SPRAY", "GOOSENECK_TREATED_WATER"],
    ),
    ("FaucetPlacement", &["CENTER", "BETWEEN_BASINS"]),
    (
        "SprayerType",
        &[
            "DI_WATER_GUN_KIT_TURRET", "DI_WATER_GUN_KIT_ROSETTE", "AIR_GUN_KIT_TURRET",
            "AIR_GUN_KIT_ROSETTE",
        ],
    ),
    ("SprayerLocation", &["LEFT_SIDE", "RIGHT_SIDE"]),
    ("PartType", &["COMPONENT", "MATERIAL"]),
    ("EntityStatus", &["ACTIVE", "INACTIVE"]),
    ("AssemblyType", &["SIMPLE", "COMPLEX", "SERVICE_PART", "KIT"]),
    ("ComponentType", &["PART", "ASSEMBLY"]),
    ("BOMStatus", &["DRAFT", "APPROVED", "SUPERSEDED"]),
    ("QCFormType", &["PRE_QC", "FINAL_QC", "IN_PROCESS"]),
    (
        "QCCheckType",
        &["BOOLEAN", "TEXT", "MEASUREMENT", "N_A_OPTION", "MULTI_CHOICE"],
    ),
    ("QCResultStatus", &["PASS", "FAIL", "INCOMPLETE"]),
    ("TestingStatus", &["PASS", "FAIL", "INCOMPLETE"]),
    ("TestType", &["FUNCTIONAL", "SAFETY", "PERFORMANCE", "VISUAL"]),
    ("TestResultStatus", &["PASS", "FAIL", "N_A"]),
    ("ServiceOrderStatus", &["PENDING", "APPROVED", "REJECTED", "FULFILLED"]),
    (
        "OrderDocumentType",
        &[
            "PO_DOCUMENT", "TECHNICAL_DRAWING", "ORDER_CONFIRMATION", "QC_FORM", "TEST_RESULT", "PHOTO",
            "OTHER",
        ],
    ),
    (
        "NotificationType",
        &[
            "ORDER_STATUS_CHANGE", "TASK_ASSIGNMENT", "QC_REQUIRED", "SYSTEM_UPDATE", "ERROR", "INFO",
            // Added by V24 (docs/comments.md §4).
            "COMMENT_MENTION",
            // Added by V25 (deadline alerts, §9).
            "DEADLINE_APPROACHING", "OVERDUE",
            "PARTS_SHORTAGE",
        ],
    ),
    ("SettingDataType", &["STRING", "INTEGER", "BOOLEAN", "JSON"]),
];

/// Every index of the design (plus the two case-insensitive ones) with its table and whether it is
/// partial.
#[rustfmt::skip]
const INDEXES: &[(&str, &str, bool)] = &[
    ("idx_user_username", "User", false),
    ("idx_user_role", "User", false),
    ("idx_user_active", "User", false),
    ("idx_user_active_username", "User", true),
    ("uk_user_badge_code", "User", false),
    ("idx_session_token", "UserSession", false),
    ("idx_session_user", "UserSession", false),
    ("idx_session_expires", "UserSession", false),
    ("idx_order_po_number", "ProductionOrder", false),
    ("idx_order_status", "ProductionOrder", false),
    ("idx_order_customer", "ProductionOrder", false),
    ("idx_order_want_date", "ProductionOrder", false),
    ("idx_order_assignee", "ProductionOrder", false),
    ("idx_order_created_at", "ProductionOrder", false),
    ("idx_order_status_date", "ProductionOrder", false),
    ("idx_order_customer_status", "ProductionOrder", false),
    ("idx_order_assignee_status", "ProductionOrder", false),
    ("uk_order_build_number_ci", "ProductionOrder", false),
    ("idx_order_po_number_ci", "ProductionOrder", false),
    ("idx_basin_order", "BasinConfiguration", false),
    ("idx_basin_type", "BasinConfiguration", false),
    ("idx_faucet_order", "FaucetConfiguration", false),
    ("idx_sprayer_order", "SprayerConfiguration", false),
    ("idx_accessory_order", "OrderAccessory", false),
    ("idx_accessory_assembly", "OrderAccessory", false),
    ("idx_history_order", "OrderStatusHistory", false),
    ("idx_history_timestamp", "OrderStatusHistory", false),
    ("idx_history_user", "OrderStatusHistory", false),
    ("idx_part_name", "Part", false),
    ("idx_part_status", "Part", false),
    ("idx_part_type", "Part", false),
    ("idx_part_manufacturer", "Part", false),
    ("idx_part_active_name", "Part", true),
    ("idx_assembly_name", "Assembly", false),
    ("idx_assembly_type", "Assembly", false),
    ("idx_assembly_status", "Assembly", false),
    ("idx_assembly_category", "Assembly", false),
    ("idx_assembly_subcategory", "Assembly", false),
    ("idx_assembly_can_order", "Assembly", false),
    ("idx_assembly_active_type", "Assembly", true),
    ("idx_component_parent", "AssemblyComponent", false),
    ("idx_component_child", "AssemblyComponent", false),
    ("idx_component_sequence", "AssemblyComponent", false),
    ("idx_category_parent", "Category", false),
    ("idx_category_level", "Category", false),
    ("idx_bom_order", "BillOfMaterials", false),
    ("idx_bom_status", "BillOfMaterials", false),
    ("idx_bom_generated_at", "BillOfMaterials", false),
    ("idx_bom_item_bom", "BOMItem", false),
    ("idx_bom_item_parent", "BOMItem", false),
    ("idx_bom_item_level", "BOMItem", false),
    ("idx_bom_item_sequence", "BOMItem", false),
    ("idx_bom_item_type_id", "BOMItem", false),
    ("idx_bom_item_hierarchy", "BOMItem", false),
    ("idx_bom_item_type_parent", "BOMItem", false),
    ("idx_qc_template_type", "QCFormTemplate", false),
    ("idx_qc_template_active", "QCFormTemplate", false),
    ("idx_qc_item_template", "QCChecklistItem", false),
    ("idx_qc_item_section", "QCChecklistItem", false),
    ("idx_qc_item_sequence", "QCChecklistItem", false),
    ("idx_qc_result_order", "QCResult", false),
    ("idx_qc_result_template", "QCResult", false),
    ("idx_qc_result_performer", "QCResult", false),
    ("idx_qc_result_status", "QCResult", false),
    ("idx_qc_result_timestamp", "QCResult", false),
    ("idx_qc_result_order_type", "QCResult", false),
    ("idx_qc_item_result_qc", "QCItemResult", false),
    ("idx_qc_item_result_item", "QCItemResult", false),
    ("idx_qc_item_result_composite", "QCItemResult", false),
    ("idx_work_instruction_assembly", "WorkInstruction", false),
    ("idx_work_instruction_active", "WorkInstruction", false),
    ("idx_step_instruction", "WorkInstructionStep", false),
    ("idx_step_number", "WorkInstructionStep", false),
    ("idx_tool_name", "Tool", false),
    ("idx_tool_category", "Tool", false),
    ("idx_tool_active", "Tool", false),
    ("idx_task_list_order", "TaskList", false),
    ("idx_task_list_assembly_type", "TaskList", false),
    ("idx_task_list", "Task", false),
    ("idx_task_sequence", "Task", false),
    ("idx_task_completed", "Task", false),
    ("idx_task_work_instruction", "Task", false),
    ("idx_task_order_completion", "Task", false),
    ("idx_task_tool_task", "TaskTool", false),
    ("idx_task_tool_tool", "TaskTool", false),
    ("idx_task_part_task", "TaskPart", false),
    ("idx_task_part_part", "TaskPart", false),
    ("idx_testing_order", "TestingForm", false),
    ("idx_testing_performer", "TestingForm", false),
    ("idx_testing_status", "TestingForm", false),
    ("idx_test_result_form", "TestResult", false),
    ("idx_test_result_type", "TestResult", false),
    ("idx_test_result_status", "TestResult", false),
    ("idx_packaging_order", "PackagingChecklist", false),
    ("idx_packaging_performer", "PackagingChecklist", false),
    ("idx_packaging_item_checklist", "PackagingItem", false),
    ("idx_packaging_item_complete", "PackagingItem", false),
    ("idx_service_order_requester", "ServiceOrder", false),
    ("idx_service_order_status", "ServiceOrder", false),
    ("idx_service_order_timestamp", "ServiceOrder", false),
    ("idx_service_order_pending", "ServiceOrder", true),
    ("idx_service_item_order", "ServiceOrderItem", false),
    ("idx_service_item_part", "ServiceOrderItem", false),
    ("idx_document_uploader", "Document", false),
    ("idx_document_uploaded_at", "Document", false),
    ("idx_document_active", "Document", false),
    ("idx_order_doc_order", "OrderDocument", false),
    ("idx_order_doc_document", "OrderDocument", false),
    ("idx_order_doc_type", "OrderDocument", false),
    ("idx_audit_user", "AuditLog", false),
    ("idx_audit_entity", "AuditLog", false),
    ("idx_audit_timestamp", "AuditLog", false),
    ("idx_audit_action", "AuditLog", false),
    ("idx_audit_entity_timestamp", "AuditLog", false),
    ("idx_notification_user", "SystemNotification", false),
    ("idx_notification_read", "SystemNotification", false),
    ("idx_notification_type", "SystemNotification", false),
    ("idx_notification_created", "SystemNotification", false),
    ("idx_notification_user_unread", "SystemNotification", false),
    ("idx_notification_unread", "SystemNotification", true),
    ("idx_setting_key", "SystemSetting", false),
    ("idx_setting_editable", "SystemSetting", false),
];

/// Named unique ('u') and check ('c') constraints of the design, plus the LoginThrottle ones.
#[rustfmt::skip]
const CONSTRAINTS: &[(&str, &str, &str)] = &[
    ("pk_production_order_build", "ProductionOrder", "u"),
    ("chk_sink_dimensions", "ProductionOrder", "c"),
    ("chk_pegboard_configuration", "ProductionOrder", "c"),
    ("pk_basin_order_index", "BasinConfiguration", "u"),
    ("chk_basin_dimensions", "BasinConfiguration", "c"),
    ("chk_basin_index_positive", "BasinConfiguration", "c"),
    ("chk_faucet_quantity", "FaucetConfiguration", "c"),
    ("chk_sprayer_quantity", "SprayerConfiguration", "c"),
    ("chk_accessory_quantity", "OrderAccessory", "c"),
    ("chk_component_quantity", "AssemblyComponent", "c"),
    ("uk_bom_order_version", "BillOfMaterials", "u"),
    ("chk_bom_quantity", "BOMItem", "c"),
    ("uk_qc_template_name_version", "QCFormTemplate", "u"),
    ("uk_qc_item_template_sequence", "QCChecklistItem", "u"),
    ("uk_qc_item_result", "QCItemResult", "u"),
    ("uk_step_instruction_number", "WorkInstructionStep", "u"),
    ("chk_step_number", "WorkInstructionStep", "c"),
    ("uk_task_sequence", "Task", "u"),
    ("chk_task_sequence", "Task", "c"),
    ("uk_task_tool", "TaskTool", "u"),
    ("uk_task_part", "TaskPart", "u"),
    ("chk_task_part_quantity", "TaskPart", "c"),
    ("chk_packaging_quantities", "PackagingItem", "c"),
    ("chk_service_item_quantity", "ServiceOrderItem", "c"),
    ("uk_order_document", "OrderDocument", "u"),
    ("chk_notification_entity_consistency", "SystemNotification", "c"),
    ("uk_login_throttle_username", "LoginThrottle", "u"),
    ("chk_login_throttle_failed_count", "LoginThrottle", "c"),
];

/// Every foreign key: (name, table, referenced table).
#[rustfmt::skip]
const FOREIGN_KEYS: &[(&str, &str, &str)] = &[
    ("fk_user_session_user", "UserSession", "User"),
    ("fk_production_order_user", "ProductionOrder", "User"),
    ("fk_order_bom", "ProductionOrder", "BillOfMaterials"),
    ("fk_basin_configuration_production_order", "BasinConfiguration", "ProductionOrder"),
    ("fk_faucet_configuration_production_order", "FaucetConfiguration", "ProductionOrder"),
    ("fk_sprayer_configuration_production_order", "SprayerConfiguration", "ProductionOrder"),
    ("fk_order_accessory_production_order", "OrderAccessory", "ProductionOrder"),
    ("fk_order_status_history_production_order", "OrderStatusHistory", "ProductionOrder"),
    ("fk_order_status_history_user", "OrderStatusHistory", "User"),
    ("fk_assembly_work_instruction", "Assembly", "WorkInstruction"),
    ("fk_assembly_component_assembly", "AssemblyComponent", "Assembly"),
    ("fk_category_category", "Category", "Category"),
    ("fk_work_instruction_assembly", "WorkInstruction", "Assembly"),
    ("fk_work_instruction_step_work_instruction", "WorkInstructionStep", "WorkInstruction"),
    ("fk_bill_of_materials_production_order", "BillOfMaterials", "ProductionOrder"),
    ("fk_bill_of_materials_user", "BillOfMaterials", "User"),
    ("fk_bom_item_bill_of_materials", "BOMItem", "BillOfMaterials"),
    ("fk_bom_item_bom_item", "BOMItem", "BOMItem"),
    ("fk_qc_checklist_item_qc_form_template", "QCChecklistItem", "QCFormTemplate"),
    ("fk_qc_result_production_order", "QCResult", "ProductionOrder"),
    ("fk_qc_result_qc_form_template", "QCResult", "QCFormTemplate"),
    ("fk_qc_result_user", "QCResult", "User"),
    ("fk_qc_item_result_qc_result", "QCItemResult", "QCResult"),
    ("fk_qc_item_result_qc_checklist_item", "QCItemResult", "QCChecklistItem"),
    ("fk_task_list_production_order", "TaskList", "ProductionOrder"),
    ("fk_task_task_list", "Task", "TaskList"),
    ("fk_task_work_instruction", "Task", "WorkInstruction"),
    ("fk_task_qc_checklist_item", "Task", "QCChecklistItem"),
    ("fk_task_user", "Task", "User"),
    ("fk_task_tool_task", "TaskTool", "Task"),
    ("fk_task_tool_tool", "TaskTool", "Tool"),
    ("fk_task_part_task", "TaskPart", "Task"),
    ("fk_testing_form_production_order", "TestingForm", "ProductionOrder"),
    ("fk_testing_form_user", "TestingForm", "User"),
    ("fk_test_result_testing_form", "TestResult", "TestingForm"),
    ("fk_packaging_checklist_production_order", "PackagingChecklist", "ProductionOrder"),
    ("fk_packaging_checklist_user", "PackagingChecklist", "User"),
    ("fk_packaging_item_packaging_checklist", "PackagingItem", "PackagingChecklist"),
    ("fk_service_order_user_requested_by", "ServiceOrder", "User"),
    ("fk_service_order_user_processed_by", "ServiceOrder", "User"),
    ("fk_service_order_item_service_order", "ServiceOrderItem", "ServiceOrder"),
    ("fk_document_user", "Document", "User"),
    ("fk_order_document_production_order", "OrderDocument", "ProductionOrder"),
    ("fk_order_document_document", "OrderDocument", "Document"),
    ("fk_audit_log_user", "AuditLog", "User"),
    ("fk_system_notification_user", "SystemNotification", "User"),
    ("fk_system_setting_user", "SystemSetting", "User"),
];

/// Tables with an "updatedAt" column and the name of their timestamp trigger.
#[rustfmt::skip]
const TIMESTAMP_TRIGGERS: &[(&str, &str)] = &[
    ("User", "update_user_timestamp"),
    ("ProductionOrder", "update_order_timestamp"),
    ("Part", "update_part_timestamp"),
    ("Assembly", "update_assembly_timestamp"),
    ("QCFormTemplate", "update_qc_form_template_timestamp"),
    ("WorkInstruction", "update_work_instruction_timestamp"),
    ("SystemSetting", "update_system_setting_timestamp"),
    ("LoginThrottle", "update_login_throttle_timestamp"),
];

/// Every audited table of the design (all but "AuditLog"); each has the statement-level triggers
/// audit_insert, audit_delete and (but "UserSession") audit_update.
#[rustfmt::skip]
const AUDITED_TABLES: &[&str] = &[
    "User", "UserSession", "LoginThrottle", "ProductionOrder", "BasinConfiguration",
    "FaucetConfiguration", "SprayerConfiguration", "OrderAccessory", "OrderStatusHistory", "Part",
    "Assembly", "AssemblyComponent", "Category", "WorkInstruction", "WorkInstructionStep", "Tool",
    "BillOfMaterials", "BOMItem", "QCFormTemplate", "QCChecklistItem", "QCResult", "QCItemResult",
    "TaskList", "Task", "TaskTool", "TaskPart", "TestingForm", "TestResult", "PackagingChecklist",
    "PackagingItem", "ServiceOrder", "ServiceOrderItem", "Document", "OrderDocument",
    "SystemNotification", "SystemSetting",
];

const AUDIT_CHANGED: &str = "AuditLog rows cannot be changed";
const AUDIT_DELETED: &str =
    "AuditLog rows are removed only by the retention cleanup, once older than the retention period";

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

/// The server's message for a failed statement.
fn db_message(e: &tokio_postgres::Error) -> String {
    e.as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_else(|| e.to_string())
}

/// The constraint a failed statement violated, if the server named one.
fn db_constraint(e: &tokio_postgres::Error) -> Option<String> {
    e.as_db_error()
        .and_then(|d| d.constraint().map(str::to_string))
}

async fn insert_user(
    client: &impl GenericClient,
    username: &str,
    role: &str,
    active: bool,
) -> Uuid {
    client
        .query_one(
            r#"INSERT INTO "User" ("username", "passwordHash", "fullName", "initials", "role", "isActive")
               VALUES ($1, 'not-a-real-hash', $1, 'XX', $2::text::"UserRole", $3)
               RETURNING id"#,
            &[&username, &role, &active],
        )
        .await
        .expect("insert user")
        .get(0)
}

/// Inserts a minimal valid build; `want_in_days` is relative to today (negative = overdue).
async fn try_insert_order(
    client: &impl GenericClient,
    po: &str,
    build: &str,
    want_in_days: i32,
) -> Result<Uuid, tokio_postgres::Error> {
    let row = client
        .query_one(
            r#"INSERT INTO "ProductionOrder" (
                   "poNumber", "buildNumber", "customerName", "salesPerson", "wantDate",
                   "sinkFamily", "sinkModel", "sinkWidth", "sinkLength",
                   "legsType", "legsModel", "feetType", "workflowDirection")
               VALUES ($1, $2, 'Test Hospital', 'Sales Person', CURRENT_DATE + $3::int,
                   'MDRD', 'T2-B1', 30, 60,
                   'HEIGHT_ADJUSTABLE', 'DL27', 'LOCK_LEVELING_CASTERS', 'LEFT_TO_RIGHT')
               RETURNING id"#,
            &[&po, &build, &want_in_days],
        )
        .await?;
    Ok(row.get(0))
}

async fn insert_order(client: &impl GenericClient, po: &str, build: &str) -> Uuid {
    try_insert_order(client, po, build, 30)
        .await
        .expect("insert order")
}

/// The INSERT audit row of a "User" row: (userId, userAgent, newValues).
async fn user_insert_audit(
    client: &impl GenericClient,
    user_id: Uuid,
) -> (Option<Uuid>, Option<String>, serde_json::Value) {
    let row = client
        .query_one(
            r#"SELECT "userId", "userAgent", "newValues" FROM "AuditLog"
               WHERE "entityType" = 'User' AND "entityId" = $1 AND "action" = 'INSERT'"#,
            &[&user_id.to_string()],
        )
        .await
        .expect("exactly one INSERT audit row for the user");
    (row.get(0), row.get(1), row.get(2))
}

/// (data_type, is_nullable, column_default) of one column.
async fn column_info(
    client: &impl GenericClient,
    table: &str,
    column: &str,
) -> (String, String, Option<String>) {
    let row = client
        .query_one(
            r#"SELECT data_type::text, is_nullable::text, column_default::text
               FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2"#,
            &[&table, &column],
        )
        .await
        .expect("column exists");
    (row.get(0), row.get(1), row.get(2))
}

/// The notifications that point at `order`.
async fn notifications_about(client: &impl GenericClient, order: Uuid) -> Vec<tokio_postgres::Row> {
    client
        .query(
            r#"SELECT "userId", "type"::text, "message", "relatedEntityType"
               FROM "SystemNotification" WHERE "relatedEntityId" = $1"#,
            &[&order.to_string()],
        )
        .await
        .expect("read notifications")
}

/// Decodes pg_trigger.tgtype into e.g. "AFTER ROW INSERT OR DELETE OR UPDATE".
fn trigger_kind(tgtype: i32) -> String {
    let timing = if tgtype & 64 != 0 {
        "INSTEAD OF"
    } else if tgtype & 2 != 0 {
        "BEFORE"
    } else {
        "AFTER"
    };
    let level = if tgtype & 1 != 0 { "ROW" } else { "STATEMENT" };
    let events: Vec<&str> = [
        (4, "INSERT"),
        (8, "DELETE"),
        (16, "UPDATE"),
        (32, "TRUNCATE"),
    ]
    .iter()
    .filter(|(bit, _)| tgtype & bit != 0)
    .map(|(_, name)| *name)
    .collect();
    format!("{timing} {level} {}", events.join(" OR "))
}

/// Every user trigger of the schema: (table, trigger) -> (kind, function).
async fn triggers(client: &impl GenericClient) -> BTreeMap<(String, String), (String, String)> {
    client
        .query(
            r#"SELECT c.relname::text, t.tgname::text, t.tgtype::int4, p.proname::text
               FROM pg_trigger t
               JOIN pg_class c ON c.oid = t.tgrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
               JOIN pg_proc p ON p.oid = t.tgfoid
               WHERE NOT t.tgisinternal AND n.nspname = current_schema()"#,
            &[],
        )
        .await
        .expect("list triggers")
        .iter()
        .map(|r| {
            (
                (r.get::<_, String>(0), r.get::<_, String>(1)),
                (trigger_kind(r.get(2)), r.get::<_, String>(3)),
            )
        })
        .collect()
}

// ------------------------------------------------------------------------------------------------
// Structure
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_table_has_exactly_the_designed_columns() {
    let db = TestDb::new().await;
    let client = db.client().await;
    let rows = client
        .query(
            r#"SELECT table_name::text, column_name::text FROM information_schema.columns
               WHERE table_schema = current_schema()"#,
            &[],
        )
        .await
        .expect("list columns");
    let mut actual: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &rows {
        actual.entry(r.get(0)).or_default().insert(r.get(1));
    }
    assert_eq!(
        TABLES.len(),
        37,
        "36 tables of the design plus LoginThrottle"
    );
    for (table, columns) in TABLES {
        let expected: BTreeSet<String> = columns.iter().map(|c| c.to_string()).collect();
        assert_eq!(
            expected.len(),
            columns.len(),
            "duplicate column in the expectation for {table}"
        );
        let found = actual.get(*table);
        assert!(found.is_some(), "table \"{table}\" is missing");
        assert_eq!(found, Some(&expected), "columns of \"{table}\"");
    }
}

#[tokio::test]
async fn additive_columns_have_the_agreed_types() {
    let db = TestDb::new().await;
    let client = db.client().await;
    let (ty, nullable, default) = column_info(&client, "QCChecklistItem", "rules").await;
    assert_eq!(
        (ty.as_str(), nullable.as_str(), default),
        ("jsonb", "YES", None)
    );

    let (ty, nullable, default) = column_info(&client, "User", "mustChangePassword").await;
    assert_eq!(
        (ty.as_str(), nullable.as_str(), default.as_deref()),
        ("boolean", "NO", Some("false"))
    );

    for column in ["badgeCode", "pinHash"] {
        let (_, nullable, default) = column_info(&client, "User", column).await;
        assert_eq!(
            (nullable.as_str(), default),
            ("YES", None),
            "\"User\".\"{column}\""
        );
    }

    let (ty, nullable, default) = column_info(&client, "LoginThrottle", "failedCount").await;
    assert_eq!(
        (ty.as_str(), nullable.as_str(), default.as_deref()),
        ("integer", "NO", Some("0"))
    );

    // Every notification has a priority; those written before V25 read INFO.
    let (ty, nullable, default) = column_info(&client, "SystemNotification", "priority").await;
    assert_eq!(
        (ty.as_str(), nullable.as_str(), default.as_deref()),
        (
            "USER-DEFINED",
            "NO",
            Some("'INFO'::\"NotificationPriority\"")
        )
    );

    // Timestamps stay without time zone, as designed.
    let (ty, _, _) = column_info(&client, "AuditLog", "timestamp").await;
    assert_eq!(ty, "timestamp without time zone");
}

#[tokio::test]
async fn every_enum_has_exactly_its_labels_in_order() {
    let db = TestDb::new().await;
    let client = db.client().await;
    assert_eq!(ENUMS.len(), 30);
    for (name, labels) in ENUMS {
        let rows = client
            .query(
                r#"SELECT e.enumlabel::text FROM pg_enum e
                   JOIN pg_type t ON t.oid = e.enumtypid
                   JOIN pg_namespace n ON n.oid = t.typnamespace
                   WHERE t.typname = $1 AND n.nspname = current_schema()
                   ORDER BY e.enumsortorder"#,
                &[name],
            )
            .await
            .expect("list enum labels");
        let found: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
        assert_eq!(found, labels.to_vec(), "labels of enum \"{name}\"");
    }
}

#[tokio::test]
async fn every_designed_index_exists_on_its_table() {
    let db = TestDb::new().await;
    let client = db.client().await;
    let rows = client
        .query(
            r#"SELECT ic.relname::text, tc.relname::text, i.indpred IS NOT NULL, i.indisunique,
                      pg_get_indexdef(i.indexrelid)
               FROM pg_index i
               JOIN pg_class ic ON ic.oid = i.indexrelid
               JOIN pg_class tc ON tc.oid = i.indrelid
               JOIN pg_namespace n ON n.oid = ic.relnamespace
               WHERE n.nspname = current_schema()"#,
            &[],
        )
        .await
        .expect("list indexes");
    let actual: BTreeMap<String, (String, bool, bool, String)> = rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3), r.get(4))))
        .collect();

    for (index, table, partial) in INDEXES {
        let found = actual.get(*index);
        assert!(found.is_some(), "index {index} is missing");
        if let Some((on_table, is_partial, _, _)) = found {
            assert_eq!(on_table, table, "table of index {index}");
            assert_eq!(is_partial, partial, "index {index} partial?");
        }
    }
    let partial_count = INDEXES.iter().filter(|(_, _, p)| *p).count();
    assert_eq!(partial_count, 5, "the design has five partial indexes");

    let build = actual
        .get("uk_order_build_number_ci")
        .expect("build number index");
    assert!(build.2, "uk_order_build_number_ci must be unique");
    assert!(
        build.3.contains("lower(") && build.3.contains("\"buildNumber\""),
        "uk_order_build_number_ci is on lower(buildNumber): {}",
        build.3
    );
    let badge = actual.get("uk_user_badge_code").expect("badge index");
    assert!(
        badge.2 && badge.3.contains("upper(") && badge.3.contains("\"badgeCode\""),
        "uk_user_badge_code is unique on upper(badgeCode): {}",
        badge.3
    );
    let po = actual
        .get("idx_order_po_number_ci")
        .expect("PO number index");
    assert!(
        !po.2,
        "several builds share a PO number, so its index is not unique"
    );
    assert!(
        po.3.contains("lower(") && po.3.contains("\"poNumber\""),
        "idx_order_po_number_ci is on lower(poNumber): {}",
        po.3
    );
}

#[tokio::test]
async fn named_constraints_exist_and_the_want_date_checks_do_not() {
    let db = TestDb::new().await;
    let client = db.client().await;
    let rows = client
        .query(
            r#"SELECT c.conname::text, t.relname::text, c.contype::text, pg_get_constraintdef(c.oid)
               FROM pg_constraint c
               JOIN pg_class t ON t.oid = c.conrelid
               JOIN pg_namespace n ON n.oid = c.connamespace
               WHERE n.nspname = current_schema()"#,
            &[],
        )
        .await
        .expect("list constraints");
    let actual: BTreeMap<String, (String, String, String)> = rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
        .collect();

    for (name, table, kind) in CONSTRAINTS {
        let found = actual.get(*name);
        assert!(found.is_some(), "constraint {name} is missing");
        if let Some((on_table, found_kind, _)) = found {
            assert_eq!(
                (on_table.as_str(), found_kind.as_str()),
                (*table, *kind),
                "constraint {name}"
            );
        }
    }

    // A CURRENT_DATE check would make every overdue order un-updatable; duplicates are not repeated.
    for absent in [
        "chk_want_date",
        "chk_order_want_date_future",
        "chk_bom_quantity_positive",
        "chk_task_part_quantity_positive",
    ] {
        assert!(
            !actual.contains_key(absent),
            "constraint {absent} must not exist"
        );
    }
    let want_date_checks: Vec<&String> = actual
        .iter()
        .filter(|(_, (table, kind, def))| {
            table == "ProductionOrder" && kind == "c" && def.contains("wantDate")
        })
        .map(|(name, _)| name)
        .collect();
    assert!(
        want_date_checks.is_empty(),
        "want-date checks found: {want_date_checks:?}"
    );

    // Items that are not per basin (NULL basinIndex) must still be unique per result.
    let nulls_not_distinct: bool = client
        .query_one(
            r#"SELECT i.indnullsnotdistinct FROM pg_constraint c JOIN pg_index i ON i.indexrelid = c.conindid
               WHERE c.conname = 'uk_qc_item_result'"#,
            &[],
        )
        .await
        .expect("uk_qc_item_result index")
        .get(0);
    assert!(
        nulls_not_distinct,
        "uk_qc_item_result treats NULL basinIndex as equal"
    );
}

#[tokio::test]
async fn foreign_keys_are_named_fk_and_reference_the_designed_tables() {
    let db = TestDb::new().await;
    let client = db.client().await;
    let rows = client
        .query(
            r#"SELECT c.conname::text, t.relname::text, r.relname::text
               FROM pg_constraint c
               JOIN pg_class t ON t.oid = c.conrelid
               JOIN pg_class r ON r.oid = c.confrelid
               JOIN pg_namespace n ON n.oid = c.connamespace
               WHERE c.contype = 'f' AND n.nspname = current_schema()"#,
            &[],
        )
        .await
        .expect("list foreign keys");
    let actual: BTreeMap<String, (String, String)> = rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect();

    let misnamed: Vec<&String> = actual.keys().filter(|n| !n.starts_with("fk_")).collect();
    assert!(
        misnamed.is_empty(),
        "foreign keys not named fk_...: {misnamed:?}"
    );
    for (name, table, referenced) in FOREIGN_KEYS {
        assert_eq!(
            actual.get(*name),
            Some(&(table.to_string(), referenced.to_string())),
            "foreign key {name}"
        );
    }
    assert_eq!(FOREIGN_KEYS.len(), 47);
    assert!(actual.len() >= FOREIGN_KEYS.len());
}

#[tokio::test]
async fn triggers_are_attached_where_designed() {
    let db = TestDb::new().await;
    let client = db.client().await;
    let all = triggers(&client).await;
    let get = |table: &str, name: &str| {
        all.get(&(table.to_string(), name.to_string()))
            .map(|(kind, func)| (kind.as_str(), func.as_str()))
    };

    for (table, name) in TIMESTAMP_TRIGGERS {
        assert_eq!(
            get(table, name),
            Some(("BEFORE ROW UPDATE", "update_timestamp")),
            "{name} on \"{table}\""
        );
    }

    assert_eq!(AUDITED_TABLES.len(), 36, "every table but AuditLog");
    for table in AUDITED_TABLES {
        for (name, kind) in [
            ("audit_insert", "AFTER STATEMENT INSERT"),
            ("audit_delete", "AFTER STATEMENT DELETE"),
            ("audit_update", "AFTER STATEMENT UPDATE"),
        ] {
            // Session "lastUsedAt" touches are not audited.
            let expected = (name != "audit_update" || *table != "UserSession")
                .then_some((kind, "audit_statement"));
            assert_eq!(get(table, name), expected, "{name} on \"{table}\"");
        }
    }
    let audited_auditlog: Vec<&(String, String)> = all
        .iter()
        .filter(|((table, _), (_, func))| table == "AuditLog" && func == "audit_statement")
        .map(|(key, _)| key)
        .collect();
    assert!(
        audited_auditlog.is_empty(),
        "AuditLog must not audit itself"
    );

    assert_eq!(
        get("ProductionOrder", "order_status_notification"),
        Some(("AFTER ROW UPDATE", "notify_order_status_change"))
    );
    assert_eq!(
        get("AuditLog", "auditlog_immutable").map(|(k, _)| k),
        Some("BEFORE ROW DELETE OR UPDATE")
    );
    let truncate_guard = all
        .iter()
        .any(|((table, _), (kind, _))| table == "AuditLog" && kind == "BEFORE STATEMENT TRUNCATE");
    assert!(truncate_guard, "AuditLog has a BEFORE TRUNCATE guard");
}

#[tokio::test]
async fn retention_settings_are_seeded() {
    let db = TestDb::new().await;
    let client = db.client().await;
    let rows = client
        .query(
            r#"SELECT "settingKey"::text, "settingValue", "dataType"::text, "isEditable"
               FROM "SystemSetting"
               WHERE "settingKey" IN ('audit.retentionDays', 'notifications.retentionDays')
               ORDER BY "settingKey""#,
            &[],
        )
        .await
        .expect("read settings");
    let found: Vec<(String, String, String, Option<bool>)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "audit.retentionDays".into(),
                "2555".into(),
                "INTEGER".into(),
                Some(true)
            ),
            (
                "notifications.retentionDays".into(),
                "30".into(),
                "INTEGER".into(),
                Some(true)
            ),
        ]
    );
}

// ------------------------------------------------------------------------------------------------
// Behaviour
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn audit_rows_name_the_user_of_a_valid_session_or_nobody() {
    let db = TestDb::new().await;
    let mut client = db.client().await;

    // No session at all: recorded as unattributed, with the connection's role; the insert succeeds.
    let admin = insert_user(&client, "audit-admin", "ADMIN", true).await;
    let (by, agent, new_values) = user_insert_audit(&client, admin).await;
    assert_eq!(by, None);
    assert_eq!(agent, None);
    assert_eq!(new_values["username"], "audit-admin");
    // The image holds a digest of the password hash: a silent change is still found, and the
    // audit trail stores no credential.
    assert_eq!(
        new_values["passwordHash"],
        format!(
            "sha256:{}",
            cleanstation::auth::sha256_hex(b"not-a-real-hash")
        )
    );

    // A free-form claim of an actor (the old mechanism) is ignored.
    let tx = client.transaction().await.expect("begin");
    tx.execute(
        "SELECT set_config('app.current_user_id', $1, true), set_config('cleanstation.station', 'station-7', true)",
        &[&admin.to_string()],
    )
    .await
    .expect("claim an actor");
    let claimed = insert_user(&tx, "audit-claimed", "ASSEMBLER", true).await;
    tx.commit().await.expect("commit");
    let (by, agent, _) = user_insert_audit(&client, claimed).await;
    assert_eq!(by, None, "a claimed user id is not an actor");
    assert_eq!(agent.as_deref(), Some("station-7"));

    // A valid session's token proves its user.
    let token = cleanstation::auth::new_session_token().expect("token");
    client
        .execute("SELECT app_session_open($1, $2, 8)", &[&admin, &token])
        .await
        .expect("session");
    let tx = client.transaction().await.expect("begin");
    tx.execute(
        "SELECT set_config('cleanstation.session_token', $1, true)",
        &[&token],
    )
    .await
    .expect("carry the token");
    let assembler = insert_user(&tx, "audit-assembler", "ASSEMBLER", true).await;
    tx.commit().await.expect("commit");
    assert_eq!(
        user_insert_audit(&client, assembler).await.0,
        Some(admin),
        "the audit row names the session's user"
    );

    // The token was transaction-local: the next write has no actor again.
    let later = insert_user(&client, "audit-later", "ASSEMBLER", true).await;
    assert_eq!(user_insert_audit(&client, later).await.0, None);

    // A wrong token, or the token of an expired session, proves nobody.
    for forged in ["0".repeat(64), "not a token".to_string()] {
        let tx = client.transaction().await.expect("begin");
        tx.execute(
            "SELECT set_config('cleanstation.session_token', $1, true)",
            &[&forged],
        )
        .await
        .expect("carry a forged token");
        let u = insert_user(
            &tx,
            &format!("audit-forged-{}", forged.len()),
            "ASSEMBLER",
            true,
        )
        .await;
        tx.commit().await.expect("commit");
        assert_eq!(user_insert_audit(&client, u).await.0, None);
    }
    client
        .execute(
            r#"UPDATE "UserSession" SET "expiresAt" = LOCALTIMESTAMP - interval '1 minute'"#,
            &[],
        )
        .await
        .expect("expire the session");
    let tx = client.transaction().await.expect("begin");
    tx.execute(
        "SELECT set_config('cleanstation.session_token', $1, true)",
        &[&token],
    )
    .await
    .expect("carry the expired token");
    let system = insert_user(&tx, "audit-system", "QC_PERSON", true).await;
    tx.commit().await.expect("commit");
    assert_eq!(user_insert_audit(&client, system).await.0, None);

    // Updates carry both images.
    client
        .execute(
            r#"UPDATE "User" SET "fullName" = 'Renamed' WHERE id = $1"#,
            &[&system],
        )
        .await
        .expect("update user");
    let row = client
        .query_one(
            r#"SELECT "oldValues"->>'fullName', "newValues"->>'fullName' FROM "AuditLog"
               WHERE "entityType" = 'User' AND "entityId" = $1 AND "action" = 'UPDATE'"#,
            &[&system.to_string()],
        )
        .await
        .expect("one UPDATE audit row");
    assert_eq!(
        (
            row.get::<_, Option<String>>(0),
            row.get::<_, Option<String>>(1)
        ),
        (Some("audit-system".into()), Some("Renamed".into()))
    );
}

#[tokio::test]
async fn audit_rows_cannot_be_changed_or_deleted_early() {
    let db = TestDb::new().await;
    let client = db.client().await;
    let user = insert_user(&client, "immutable", "ADMIN", true).await;
    let audit_id: Uuid = client
        .query_one(
            r#"SELECT id FROM "AuditLog" WHERE "entityType" = 'User' AND "entityId" = $1"#,
            &[&user.to_string()],
        )
        .await
        .expect("audit row of the insert")
        .get(0);

    let err = client
        .execute(
            r#"UPDATE "AuditLog" SET "action" = 'FORGED' WHERE id = $1"#,
            &[&audit_id],
        )
        .await
        .expect_err("updating an audit row must fail");
    assert_eq!(db_message(&err), AUDIT_CHANGED);

    let err = client
        .execute(r#"DELETE FROM "AuditLog" WHERE id = $1"#, &[&audit_id])
        .await
        .expect_err("deleting a fresh audit row must fail");
    assert_eq!(db_message(&err), AUDIT_DELETED);

    client
        .execute(r#"TRUNCATE "AuditLog""#, &[])
        .await
        .expect_err("truncating the audit log must fail");

    let action: String = client
        .query_one(
            r#"SELECT "action"::text FROM "AuditLog" WHERE id = $1"#,
            &[&audit_id],
        )
        .await
        .expect("the audit row is still there")
        .get(0);
    assert_eq!(action, "INSERT");

    // Not even a row past the retention period goes outside the cleanup.
    let old_id: Uuid = client
        .query_one(
            r#"INSERT INTO "AuditLog" ("action", "entityType", "entityId", "timestamp")
               VALUES ('NOTE', 'Retention', 'old', LOCALTIMESTAMP - interval '400 days')
               RETURNING id"#,
            &[],
        )
        .await
        .expect("insert an aged audit row")
        .get(0);
    let err = client
        .execute(r#"DELETE FROM "AuditLog" WHERE id = $1"#, &[&old_id])
        .await
        .expect_err("an aged row cannot be deleted directly");
    assert_eq!(db_message(&err), AUDIT_DELETED);
}

#[tokio::test]
async fn status_change_notifies_the_active_users_of_the_next_role() {
    let db = TestDb::new().await;
    let client = db.client().await;
    let qc = insert_user(&client, "qc-active", "QC_PERSON", true).await;
    let _qc_inactive = insert_user(&client, "qc-inactive", "QC_PERSON", false).await;
    let assembler = insert_user(&client, "assembler", "ASSEMBLER", true).await;
    let _coordinator = insert_user(&client, "coordinator", "PRODUCTION_COORDINATOR", true).await;
    let order = insert_order(&client, "PO-NOTIFY", "BN-NOTIFY-1").await;

    client
        .execute(
            r#"UPDATE "ProductionOrder" SET "orderStatus" = 'READY_FOR_PRE_QC' WHERE id = $1"#,
            &[&order],
        )
        .await
        .expect("move to pre-QC");
    let rows = notifications_about(&client, order).await;
    let users: BTreeSet<Uuid> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(
        users,
        BTreeSet::from([qc]),
        "only the active QC user is told"
    );
    let row = &rows[0];
    assert_eq!(row.get::<_, String>(1), "ORDER_STATUS_CHANGE");
    assert_eq!(
        row.get::<_, String>(2),
        "Order PO-NOTIFY-BN-NOTIFY-1 status changed to READY_FOR_PRE_QC"
    );
    assert_eq!(
        row.get::<_, Option<String>>(3).as_deref(),
        Some("ProductionOrder")
    );

    // A change that leaves the status alone notifies nobody.
    client
        .execute(
            r#"UPDATE "ProductionOrder" SET "notes" = 'n' WHERE id = $1"#,
            &[&order],
        )
        .await
        .expect("edit notes");
    assert_eq!(notifications_about(&client, order).await.len(), 1);

    client
        .execute(
            r#"UPDATE "ProductionOrder" SET "orderStatus" = 'READY_FOR_PRODUCTION' WHERE id = $1"#,
            &[&order],
        )
        .await
        .expect("move to production");
    let users: BTreeSet<Uuid> = notifications_about(&client, order)
        .await
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(users, BTreeSet::from([qc, assembler]));
}

#[tokio::test]
async fn build_numbers_are_unique_regardless_of_case_and_po() {
    let db = TestDb::new().await;
    let client = db.client().await;
    insert_order(&client, "PO-A", "BN-100").await;

    let err = try_insert_order(&client, "PO-B", "bn-100", 30)
        .await
        .expect_err("the same build number in another case on another PO");
    assert_eq!(
        db_constraint(&err).as_deref(),
        Some("uk_order_build_number_ci")
    );

    let err = try_insert_order(&client, "PO-A", "Bn-100", 30)
        .await
        .expect_err("the same build number in another case on the same PO");
    assert_eq!(
        db_constraint(&err).as_deref(),
        Some("uk_order_build_number_ci")
    );

    // A different build number on either PO is fine.
    try_insert_order(&client, "PO-A", "BN-101", 30)
        .await
        .expect("second build of PO-A");
    try_insert_order(&client, "po-b", "BN-102", 30)
        .await
        .expect("first build of PO-B");
}

#[tokio::test]
async fn overdue_orders_can_be_stored_and_updated() {
    let db = TestDb::new().await;
    let client = db.client().await;
    let order = try_insert_order(&client, "PO-LATE", "BN-LATE", -3)
        .await
        .expect("the database does not refuse a past want date");
    let changed = client
        .execute(
            r#"UPDATE "ProductionOrder" SET "orderStatus" = 'PARTS_SENT' WHERE id = $1"#,
            &[&order],
        )
        .await
        .expect("an overdue order can still move on");
    assert_eq!(changed, 1);
}

#[tokio::test]
async fn updated_at_is_refreshed_on_every_updated_at_table() {
    let db = TestDb::new().await;
    let client = db.client().await;
    // (table, insert with an old "updatedAt", update of another column, key filter)
    let cases: &[(&str, &str, &str)] = &[
        (
            "User",
            r#"INSERT INTO "User" ("username", "passwordHash", "fullName", "initials", "role", "updatedAt")
               VALUES ('stamp', 'x', 'Stamp', 'ST', 'ADMIN', '2000-01-01')"#,
            r#"UPDATE "User" SET "fullName" = 'Stamp 2' WHERE "username" = 'stamp'"#,
        ),
        (
            "ProductionOrder",
            r#"INSERT INTO "ProductionOrder" (
                   "poNumber", "buildNumber", "customerName", "salesPerson", "wantDate",
                   "sinkFamily", "sinkModel", "sinkWidth", "sinkLength",
                   "legsType", "legsModel", "feetType", "workflowDirection", "updatedAt")
               VALUES ('PO-STAMP', 'BN-STAMP', 'Customer', 'Sales', CURRENT_DATE + 10,
                   'MDRD', 'T2-B1', 30, 60,
                   'FIXED_HEIGHT', 'DL27', 'SS_ADJUSTABLE_SEISMIC_FEET', 'RIGHT_TO_LEFT', '2000-01-01')"#,
            r#"UPDATE "ProductionOrder" SET "notes" = 'x' WHERE "buildNumber" = 'BN-STAMP'"#,
        ),
        (
            "Part",
            r#"INSERT INTO "Part" (id, "name", "type", "updatedAt") VALUES ('P-STAMP', 'n', 'COMPONENT', '2000-01-01')"#,
            r#"UPDATE "Part" SET "name" = 'm' WHERE id = 'P-STAMP'"#,
        ),
        (
            "Assembly",
            r#"INSERT INTO "Assembly" (id, "name", "type", "updatedAt") VALUES ('A-STAMP', 'n', 'SIMPLE', '2000-01-01')"#,
            r#"UPDATE "Assembly" SET "name" = 'm' WHERE id = 'A-STAMP'"#,
        ),
        (
            "QCFormTemplate",
            r#"INSERT INTO "QCFormTemplate" ("formName", "formType", "updatedAt") VALUES ('Stamp', 'PRE_QC', '2000-01-01')"#,
            r#"UPDATE "QCFormTemplate" SET "description" = 'd' WHERE "formName" = 'Stamp'"#,
        ),
        (
            "WorkInstruction",
            r#"INSERT INTO "WorkInstruction" ("title", "updatedAt") VALUES ('Stamp', '2000-01-01')"#,
            r#"UPDATE "WorkInstruction" SET "description" = 'd' WHERE "title" = 'Stamp'"#,
        ),
        (
            "SystemSetting",
            r#"INSERT INTO "SystemSetting" ("settingKey", "settingValue", "dataType", "updatedAt")
               VALUES ('test.stamp', '1', 'INTEGER', '2000-01-01')"#,
            r#"UPDATE "SystemSetting" SET "settingValue" = '2' WHERE "settingKey" = 'test.stamp'"#,
        ),
        (
            "LoginThrottle",
            r#"INSERT INTO "LoginThrottle" ("username", "updatedAt") VALUES ('stamp', '2000-01-01')"#,
            r#"UPDATE "LoginThrottle" SET "failedCount" = 1 WHERE "username" = 'stamp'"#,
        ),
    ];
    assert_eq!(cases.len(), TIMESTAMP_TRIGGERS.len());
    for (table, insert, update) in cases {
        client
            .execute(*insert, &[])
            .await
            .expect("insert with an old updatedAt");
        let before: i64 = client
            .query_one(
                &format!(r#"SELECT count(*) FROM "{table}" WHERE "updatedAt" > '2000-01-02'"#),
                &[],
            )
            .await
            .expect("count before")
            .get(0);
        let changed = client.execute(*update, &[]).await.expect("update");
        assert_eq!(changed, 1, "{table}: the update hits one row");
        let after: i64 = client
            .query_one(
                &format!(r#"SELECT count(*) FROM "{table}" WHERE "updatedAt" > '2000-01-02'"#),
                &[],
            )
            .await
            .expect("count after")
            .get(0);
        assert_eq!(
            after,
            before + 1,
            "{table}: updatedAt refreshed by the update"
        );
    }
}
