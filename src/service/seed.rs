//! Demo data: the shipped catalog and checklist templates, the tools and work instructions of the production checklist (linked by `domain::tasks::REFERENCES`), and one
//! user per role with a published password. Idempotent: what exists is left as it is.

use crate::db::instructions::{self, NewStep};
use crate::db::{Actor, Transaction, begin_as};
use crate::domain::Role;
use crate::domain::tasks;
use crate::domain::user::NewUser;
use crate::error::{Result, ServiceError};
use crate::service::catalog::{
    self, CatalogImportReport, CatalogSource, ImportError, TemplateImportReport,
};
use deadpool_postgres::Pool;

/// The password of every demo user (documented in the README).
pub const DEMO_PASSWORD: &str = "demo-password";

/// (username, full name, initials, role)
pub const DEMO_USERS: [(&str, &str, &str, Role); 6] = [
    (
        "coordinator",
        "Dana Reyes",
        "DR",
        Role::ProductionCoordinator,
    ),
    ("admin", "Alex Morgan", "AM", Role::Admin),
    (
        "procurement",
        "Priya Shah",
        "PS",
        Role::ProcurementSpecialist,
    ),
    ("inspector", "Tom Becker", "TB", Role::QcPerson),
    ("assembler", "Luis Ortega", "LO", Role::Assembler),
    ("service", "Mei Chen", "MC", Role::ServiceDepartment),
];

/// Every demo user's badge PIN (docs/security.md, Badge and PIN).
pub const DEMO_PIN: &str = "1234";

/// (username, badge code): each demo user carries a badge, scanned as `U:<code>`.
pub const DEMO_BADGES: [(&str, &str); 6] = [
    ("coordinator", "U-DANA"),
    ("admin", "U-ALEX"),
    ("procurement", "U-PRIYA"),
    ("inspector", "U-TOM"),
    ("assembler", "U-LUIS"),
    ("service", "U-MEI"),
];

/// (name, description, category)
const TOOLS: [(&str, &str, &str); 8] = [
    (
        "Torque wrench 5-60 Nm",
        "Click-type, 3/8\" drive; calibration label must be in date",
        "Hand tools",
    ),
    (
        "Cordless drill/driver",
        "18 V with clutch; use the clutch for stainless fasteners",
        "Power tools",
    ),
    ("Metric hex key set", "1.5-10 mm, ball end", "Hand tools"),
    (
        "M8 connector crimping tool",
        "For the M8 sensor and actuator cables",
        "Electrical",
    ),
    (
        "Digital level",
        "0.1 degree resolution, for levelling the sink before testing",
        "Measuring",
    ),
    (
        "Dual-probe digital thermometer",
        "Calibrated Fluke 52 II or equivalent, for the temperature calibration",
        "Measuring",
    ),
    (
        tasks::LABEL_PRINTER,
        "Heat-shrink labels for the D#, S#, L4 and S4 cable marks",
        "Electrical",
    ),
    (
        tasks::PIPE_CUTTER,
        "Ratchet cutter for 1/2 in PEX; cuts square without burrs",
        "Plumbing",
    ),
];

struct Instruction {
    title: &'static str,
    description: &'static str,
    assembly: Option<&'static str>,
    steps: &'static [(&'static str, Option<&'static str>, i32)],
}

const INSTRUCTIONS: [Instruction; 9] = [
    Instruction {
        title: "Install height-adjustable legs (DL27)",
        description: "Fitting the electromechanical columns, feet and column cabling.",
        assembly: Some("T2-DL27-KIT"),
        steps: &[
            (
                "Lay the sink body on padded trestles; check the leg kit against the build's BOM.",
                Some("Two-person lift."),
                5,
            ),
            (
                "Fit each column to its corner plate with the supplied M8 bolts; torque to 20 Nm.",
                None,
                10,
            ),
            (
                "Route the column cables along the frame to the control box; clip every 300 mm.",
                None,
                10,
            ),
            (
                "Fit the casters or seismic feet of the configuration; tighten the lock nuts.",
                None,
                10,
            ),
            (
                "Stand the sink up, connect the columns and run each once through its full travel.",
                Some("Keep hands clear of the columns while they move."),
                10,
            ),
        ],
    },
    Instruction {
        title: "Install the P-trap disinfection drain unit",
        description: "Drain unit below a basin that has the P-trap option.",
        assembly: Some("ASSY-T2-OA-MS-1026"),
        steps: &[
            ("Apply thread sealant to the basin outlet thread.", None, 3),
            (
                "Fit the drain unit hand-tight, then a quarter turn with the strap wrench.",
                None,
                5,
            ),
            (
                "Fill the basin and check the joint for leaks for two minutes.",
                None,
                5,
            ),
        ],
    },
    Instruction {
        title: tasks::WI_CONTROL_BOX,
        description: "Applies to every control box variant; the box's contents come with its BOM line.",
        assembly: None,
        steps: &[
            (
                "Mount the control box bracket on the frame with four M6 screws.",
                None,
                10,
            ),
            (
                "Connect the basin, sensor and column cables; label each at both ends.",
                Some("Power must be disconnected."),
                20,
            ),
            (
                "Close the box and check that every cable gland is tight.",
                None,
                5,
            ),
        ],
    },
    Instruction {
        title: tasks::WI_LIGHT,
        description: "Overhead LED light on the pegboard: bracket, light and its button.",
        assembly: None,
        steps: &[
            (
                "Check the overhead light kit against the task's parts list.",
                None,
                3,
            ),
            (
                "Mount the bracket on the pegboard uprights with the plastic washers between bracket and steel.",
                Some("Without the washers the stainless frame corrodes; never leave them out."),
                15,
            ),
            (
                "Fit the laser-marked light button and route its cable to the control box.",
                None,
                10,
            ),
        ],
    },
    Instruction {
        title: tasks::WI_FAUCETS,
        description: "Faucets, air and water guns, gooseneck and pre-rinse spouts on the backsplash.",
        assembly: None,
        steps: &[
            (
                "Check each faucet or gun kit against the task's parts list.",
                None,
                5,
            ),
            (
                "Seat the body in its backsplash hole with the gasket; tighten the nut to 25 Nm.",
                None,
                10,
            ),
            (
                "Connect the supply lines; open the supply slowly and check every joint for leaks.",
                Some("Keep the water supply off until every joint is tightened."),
                10,
            ),
        ],
    },
    Instruction {
        title: tasks::WI_LIFTER,
        description: "Lifter control button and controller of height-adjustable legs.",
        assembly: None,
        steps: &[
            (
                "Mount the lifter button of the type chosen (DPF1K or DP1C) on the front panel.",
                None,
                10,
            ),
            (
                "Fix the controller underneath the sink with four screws; connect the columns and the button.",
                Some("Mains power must be disconnected while wiring the controller."),
                25,
            ),
            (
                "Power up and run the legs once through their full travel.",
                Some("Keep hands and feet clear of the legs while they move."),
                10,
            ),
        ],
    },
    Instruction {
        title: tasks::WI_FINISH,
        description: "Logo and final cleaning of the sink body.",
        assembly: None,
        steps: &[
            (
                "Attach the logo on the left side, 50 mm from the top edge (skip when the order says no logo).",
                None,
                10,
            ),
            (
                "Vacuum metal shavings and waste from the basins and the frame; wipe with a lint-free cloth.",
                Some("Wear cut-resistant gloves: shavings are sharp."),
                20,
            ),
        ],
    },
    Instruction {
        title: tasks::WI_EDRAIN,
        description: "Bottom fill, pipe labels and overflow sensor of an E-Drain basin.",
        assembly: None,
        steps: &[
            (
                "Install the bottom-fill mixing valve DER-1899-14-CC and the faucet.",
                None,
                20,
            ),
            (
                "Assemble adapter, check valve and PEX adapter; cut the PEX pipe square and run it to the bottom-fill hole.",
                Some("The check valve's arrow must point towards the basin."),
                30,
            ),
            ("Label the pipes Hot Water and Cold Water.", None, 5),
            (
                "Fit the overflow sensor and connect it to the control box.",
                None,
                15,
            ),
        ],
    },
    Instruction {
        title: tasks::WI_ESINK,
        description: "Valve plate, emergency stop, touchscreen and sensors of an E-Sink basin.",
        assembly: None,
        steps: &[
            (
                "Install the mixing valve plate (the DI valve plate on an E-Sink DI basin).",
                None,
                20,
            ),
            (
                "Fit the emergency stop button and wire it to the control box.",
                Some("Test the emergency stop before the first power-up of the basin."),
                15,
            ),
            (
                "Mount the touchscreen and connect it to the E-Sink control box.",
                Some("Handle the touchscreen by its frame; static discharge damages it."),
                25,
            ),
            (
                "Fit the overflow sensor, the dosing port and the temperature cable gland.",
                None,
                20,
            ),
        ],
    },
];

#[derive(Debug)]
pub struct SeedReport {
    pub catalog: CatalogImportReport,
    pub templates: TemplateImportReport,
    pub tools_added: usize,
    pub instructions_added: usize,
    pub users_added: Vec<String>,
}

impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Catalog\n{}", indent(&self.catalog.to_string()))?;
        writeln!(
            f,
            "Checklist templates\n{}",
            indent(&self.templates.to_string())
        )?;
        writeln!(
            f,
            "Tools added: {}; work instructions added: {}",
            self.tools_added, self.instructions_added
        )?;
        if self.users_added.is_empty() {
            write!(f, "Demo users: all present already")
        } else {
            write!(
                f,
                "Demo users added: {} (password {DEMO_PASSWORD}; badges U-<first name>, PIN {DEMO_PIN})",
                self.users_added.join(", ")
            )
        }
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {}", l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads everything in one transaction: a failure leaves the database as it was.
pub async fn seed_demo(pool: &Pool, actor: &Actor) -> Result<SeedReport, ImportError> {
    // Hash first: argon2 is CPU-bound and must not run while the transaction holds locks.
    let mut hashed = Vec::with_capacity(DEMO_USERS.len());
    for (username, full_name, initials, role) in DEMO_USERS {
        let new = NewUser {
            username: username.into(),
            full_name: full_name.into(),
            initials: initials.into(),
            role,
            password: DEMO_PASSWORD.into(),
            must_change_password: false,
        }
        .validated()
        .map_err(|e| ImportError::Invalid(vec![format!("demo user {username}: {e}")]))?;
        let hash = super::hash_blocking(DEMO_PASSWORD.into()).await?;
        let badge = match DEMO_BADGES.iter().find(|(u, _)| *u == username) {
            Some((_, code)) => Some((*code, super::hash_blocking(DEMO_PIN.into()).await?)),
            None => None,
        };
        hashed.push((new, hash, badge));
    }
    let mut client = pool.get().await?;
    let tx = begin_as(&mut client, actor).await?;
    let catalog = catalog::import_catalog_in(&tx, &CatalogSource::embedded()).await?;
    let templates = catalog::import_templates_in(&tx, crate::reference::CHECKLISTS_TOML).await?;
    let (tools_added, instructions_added) = seed_floor_reference(&tx).await?;
    let mut users_added = Vec::new();
    for (new, hash, badge) in &hashed {
        // An existing username is left as it is (its password may have been changed).
        if let Some(user) = crate::db::users::insert(&tx, new, hash).await? {
            if let Some((code, pin_hash)) = badge {
                crate::db::users::set_badge(&tx, user.id, Some((code, pin_hash))).await?;
            }
            users_added.push(new.username.clone());
        }
    }
    tx.commit().await.map_err(ServiceError::from)?;
    Ok(SeedReport {
        catalog,
        templates,
        tools_added,
        instructions_added,
        users_added,
    })
}

/// Tools and work instructions that do not exist yet.
async fn seed_floor_reference(tx: &Transaction<'_>) -> Result<(usize, usize)> {
    let mut tools = 0;
    for (name, description, category) in TOOLS {
        if instructions::tool_id_by_name(tx, name).await?.is_none() {
            instructions::insert_tool(tx, name, description, category).await?;
            tools += 1;
        }
    }
    let mut added = 0;
    for wi in &INSTRUCTIONS {
        if instructions::instruction_id_by_title(tx, wi.title)
            .await?
            .is_some()
        {
            continue;
        }
        let steps: Vec<NewStep<'_>> = wi
            .steps
            .iter()
            .map(|&(description, safety_notes, estimated_minutes)| NewStep {
                description,
                safety_notes,
                estimated_minutes,
            })
            .collect();
        instructions::insert_instruction(tx, wi.title, wi.description, wi.assembly, &steps).await?;
        added += 1;
    }
    Ok((tools, added))
}
