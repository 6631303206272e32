//! The six roles of the plant (`"UserRole"` in the database).

use postgres_types::{FromSql, ToSql};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToSql, FromSql, Serialize, Deserialize)]
#[postgres(name = "UserRole")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    #[postgres(name = "PRODUCTION_COORDINATOR")]
    ProductionCoordinator,
    #[postgres(name = "ADMIN")]
    Admin,
    #[postgres(name = "PROCUREMENT_SPECIALIST")]
    ProcurementSpecialist,
    #[postgres(name = "QC_PERSON")]
    QcPerson,
    #[postgres(name = "ASSEMBLER")]
    Assembler,
    #[postgres(name = "SERVICE_DEPARTMENT")]
    ServiceDepartment,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::ProductionCoordinator,
        Role::Admin,
        Role::ProcurementSpecialist,
        Role::QcPerson,
        Role::Assembler,
        Role::ServiceDepartment,
    ];

    /// The database spelling, also what users type on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::ProductionCoordinator => "PRODUCTION_COORDINATOR",
            Role::Admin => "ADMIN",
            Role::ProcurementSpecialist => "PROCUREMENT_SPECIALIST",
            Role::QcPerson => "QC_PERSON",
            Role::Assembler => "ASSEMBLER",
            Role::ServiceDepartment => "SERVICE_DEPARTMENT",
        }
    }

    /// How the role reads on screen.
    pub fn title(self) -> &'static str {
        match self {
            Role::ProductionCoordinator => "Production coordinator",
            Role::Admin => "Administrator",
            Role::ProcurementSpecialist => "Procurement specialist",
            Role::QcPerson => "QC inspector",
            Role::Assembler => "Assembler",
            Role::ServiceDepartment => "Service department",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(s))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
            assert_eq!(Role::parse(&r.code().to_lowercase()), Some(r));
        }
        assert_eq!(Role::parse("JANITOR"), None);
    }
}
