//! The plant-wide system settings (docs/settings.md): one registry of what each setting means, its
//! type, unit, range and default, and the check of a typed value against it. The database refuses the
//! same values (migration V31, docs/settings.md §2); the service checks here first so the administrator
//! reads a clear message.

use chrono::NaiveDateTime;

/// The type of a setting's value. Every plant-wide setting is a whole number today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingType {
    Integer,
}

impl SettingType {
    pub fn title(self) -> &'static str {
        match self {
            SettingType::Integer => "whole number",
        }
    }
}

/// What a setting's number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
}

impl Unit {
    pub fn plural(self) -> &'static str {
        match self {
            Unit::Days => "days",
        }
    }

    /// "1 day", "2,555 days".
    pub fn amount(self, n: i64) -> String {
        match (self, n) {
            (Unit::Days, 1) => "1 day".to_string(),
            (Unit::Days, n) => format!("{} days", group_digits(n)),
        }
    }
}

/// One plant-wide setting (docs/settings.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingDef {
    /// The `"SystemSetting"."settingKey"`.
    pub key: &'static str,
    /// What the administrator calls it, starting lower case: "audit retention".
    pub name: &'static str,
    /// What it does, in one sentence.
    pub meaning: &'static str,
    pub kind: SettingType,
    pub unit: Unit,
    pub min: i64,
    pub max: i64,
    pub default: i64,
    /// Said after a value below the minimum, e.g. "7 years is 2,555".
    pub below_min_note: Option<&'static str>,
}

pub const AUDIT_RETENTION_DAYS: &str = "audit.retentionDays";
pub const NOTIFICATION_RETENTION_DAYS: &str = "notifications.retentionDays";
pub const ALERTS_DUE_SOON_DAYS: &str = "alerts.dueSoonDays";

/// Every plant-wide setting, in the order the settings screen lists them. The ranges are the ones the
/// database enforces (migration V31); a db test keeps the two the same.
pub const SETTINGS: &[SettingDef] = &[
    SettingDef {
        key: AUDIT_RETENTION_DAYS,
        name: "audit retention",
        meaning: "Days an audit row is kept before the retention cleanup may remove it; \
                  records must be kept 7 years (2,555 days).",
        kind: SettingType::Integer,
        unit: Unit::Days,
        min: 365,
        max: 36_500,
        default: 2_555,
        below_min_note: Some("7 years is 2,555"),
    },
    SettingDef {
        key: NOTIFICATION_RETENTION_DAYS,
        name: "notification retention",
        meaning: "Days a read notification is kept before the cleanup deletes it; unread ones are \
                  always kept.",
        kind: SettingType::Integer,
        unit: Unit::Days,
        min: 1,
        max: 3_650,
        default: 30,
        below_min_note: None,
    },
    SettingDef {
        key: ALERTS_DUE_SOON_DAYS,
        name: "due-soon window",
        meaning: "Days before its want date a build raises a deadline-approaching alert \
                  (0: on the day only).",
        kind: SettingType::Integer,
        unit: Unit::Days,
        min: 0,
        max: 365,
        default: 3,
        below_min_note: None,
    },
];

/// The registry entry of `key`.
pub fn find(key: &str) -> Option<&'static SettingDef> {
    SETTINGS.iter().find(|d| d.key == key)
}

/// `2555` as `2,555`.
pub fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl SettingDef {
    /// The name as a heading: "Audit retention".
    pub fn title(&self) -> String {
        capitalised(self.name)
    }

    /// "365 to 36,500".
    pub fn range_text(&self) -> String {
        format!("{} to {}", group_digits(self.min), group_digits(self.max))
    }

    /// Checks a typed value (docs/settings.md §1.2): a whole number, thousands separated by commas or
    /// not, within the range. The value as stored, or the message to show.
    pub fn parse(&self, typed: &str) -> Result<i64, String> {
        let name = self.title();
        let unit = self.unit.plural();
        let text = typed.trim();
        if text.is_empty() {
            return Err(format!(
                "Enter the {} as a whole number of {unit}",
                self.name
            ));
        }
        let digits: String = text.chars().filter(|c| *c != ',').collect();
        let commas_ok = !text.starts_with(',') && !text.ends_with(',') && !text.contains(",,");
        let n = match digits.parse::<i64>() {
            Ok(n) if commas_ok && digits.chars().all(|c| c.is_ascii_digit() || c == '-') => n,
            // Too many digits to be a number at all: far above the maximum.
            Err(_)
                if commas_ok
                    && !digits.is_empty()
                    && digits.chars().all(|c| c.is_ascii_digit()) =>
            {
                i64::MAX
            }
            _ => {
                return Err(format!(
                    "{name} must be a whole number of {unit}, not \"{}\"",
                    crate::text::for_terminal(text)
                ));
            }
        };
        if n < self.min {
            let note = self
                .below_min_note
                .map_or_else(String::new, |note| format!(" ({note})"));
            return Err(format!(
                "{name} must be at least {}{note}",
                self.unit.amount(self.min)
            ));
        }
        if n > self.max {
            return Err(format!(
                "{name} must be at most {}",
                self.unit.amount(self.max)
            ));
        }
        Ok(n)
    }

    /// The question before a change is saved: "Set audit retention to 3,650 days?".
    pub fn question(&self, value: i64) -> String {
        format!("Set {} to {}?", self.name, self.unit.amount(value))
    }
}

/// One setting as the settings screen shows it: the registry's entry with the stored row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingView {
    pub def: &'static SettingDef,
    /// The stored text exactly (what a change is checked against: docs/settings.md §3.2); `None` when
    /// the row is missing and the default applies.
    pub stored: Option<String>,
    /// The row may be changed (`isEditable`).
    pub editable: bool,
    /// Who changed it last and when (`updatedBy`, `updatedAt`).
    pub updated_by: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

impl SettingView {
    /// The value in force: the stored one when it is a whole number in range, else the default (the
    /// database's `setting_integer` reads it the same way).
    pub fn value(&self) -> i64 {
        self.stored
            .as_deref()
            .and_then(|s| self.def.parse(s).ok())
            .unwrap_or(self.def.default)
    }

    /// The stored text is not a value the setting may have (only a row written before V31 or with
    /// the check disabled): the default is in force.
    pub fn stored_is_invalid(&self) -> bool {
        self.stored
            .as_deref()
            .is_some_and(|s| self.def.parse(s).is_err())
    }

    pub fn is_default(&self) -> bool {
        self.value() == self.def.default
    }
}

/// The refusal when another station changed the setting after the administrator read it.
pub fn changed_meanwhile(def: &SettingDef, now: &SettingView) -> String {
    let by = match (&now.updated_by, now.updated_at) {
        (Some(name), Some(at)) => {
            format!(" by {name} at {}", crate::domain::clock::local_minute(at))
        }
        (Some(name), None) => format!(" by {name}"),
        (None, Some(at)) => format!(" at {}", crate::domain::clock::local_minute(at)),
        (None, None) => String::new(),
    };
    format!(
        "The {} was changed to {}{by} while you were editing; your change was not saved",
        def.name,
        def.unit.amount(now.value())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(key: &str) -> &'static SettingDef {
        find(key).unwrap_or(&SETTINGS[0])
    }

    #[test]
    fn the_registry_holds_the_three_settings_with_their_ranges() {
        let audit = def(AUDIT_RETENTION_DAYS);
        assert_eq!((audit.min, audit.max, audit.default), (365, 36_500, 2_555));
        let notes = def(NOTIFICATION_RETENTION_DAYS);
        assert_eq!((notes.min, notes.max, notes.default), (1, 3_650, 30));
        let due = def(ALERTS_DUE_SOON_DAYS);
        assert_eq!((due.min, due.max, due.default), (0, 365, 3));
        for d in SETTINGS {
            assert!(d.min <= d.default && d.default <= d.max, "{}", d.key);
            assert!(!d.meaning.is_empty());
        }
        assert!(find("nope").is_none());
    }

    #[test]
    fn groups_digits() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(365), "365");
        assert_eq!(group_digits(2555), "2,555");
        assert_eq!(group_digits(36_500), "36,500");
        assert_eq!(group_digits(1_234_567), "1,234,567");
        assert_eq!(group_digits(-1200), "-1,200");
    }

    #[test]
    fn a_typed_value_is_checked_with_a_clear_message() {
        let audit = def(AUDIT_RETENTION_DAYS);
        assert_eq!(audit.parse(" 3650 "), Ok(3650));
        assert_eq!(audit.parse("3,650"), Ok(3650));
        assert_eq!(
            audit.parse("100"),
            Err("Audit retention must be at least 365 days (7 years is 2,555)".into())
        );
        assert_eq!(
            audit.parse("40000"),
            Err("Audit retention must be at most 36,500 days".into())
        );
        assert_eq!(
            audit.parse("99999999999999999999999"),
            Err("Audit retention must be at most 36,500 days".into())
        );
        assert_eq!(
            audit.parse("7 years"),
            Err("Audit retention must be a whole number of days, not \"7 years\"".into())
        );
        assert_eq!(
            audit.parse("3.5"),
            Err("Audit retention must be a whole number of days, not \"3.5\"".into())
        );
        assert!(audit.parse(",365").is_err());
        assert!(audit.parse("3,,650").is_err());
        assert_eq!(
            audit.parse(""),
            Err("Enter the audit retention as a whole number of days".into())
        );
        let due = def(ALERTS_DUE_SOON_DAYS);
        assert_eq!(due.parse("0"), Ok(0));
        assert_eq!(
            due.parse("-1"),
            Err("Due-soon window must be at least 0 days".into())
        );
        let notes = def(NOTIFICATION_RETENTION_DAYS);
        assert_eq!(
            notes.parse("0"),
            Err("Notification retention must be at least 1 day".into())
        );
    }

    #[test]
    fn a_typed_value_cannot_carry_control_sequences_into_the_message() {
        let audit = def(AUDIT_RETENTION_DAYS);
        let msg = audit.parse("\u{1b}[2J").err().unwrap_or_default();
        assert!(!msg.contains('\u{1b}'), "{msg}");
    }

    #[test]
    fn the_question_names_the_setting_and_the_amount() {
        assert_eq!(
            def(AUDIT_RETENTION_DAYS).question(3650),
            "Set audit retention to 3,650 days?"
        );
        assert_eq!(
            def(NOTIFICATION_RETENTION_DAYS).question(1),
            "Set notification retention to 1 day?"
        );
    }

    #[test]
    fn an_invalid_stored_value_means_the_default() {
        let view = SettingView {
            def: def(AUDIT_RETENTION_DAYS),
            stored: Some("12".into()),
            editable: true,
            updated_by: None,
            updated_at: None,
        };
        assert!(view.stored_is_invalid());
        assert_eq!(view.value(), 2555);
        assert!(view.is_default());
        let missing = SettingView {
            stored: None,
            ..view.clone()
        };
        assert!(!missing.stored_is_invalid());
        assert_eq!(missing.value(), 2555);
        let set = SettingView {
            stored: Some("3650".into()),
            updated_by: Some("Ada Admin".into()),
            ..view
        };
        assert_eq!(set.value(), 3650);
        assert_eq!(
            changed_meanwhile(set.def, &set),
            "The audit retention was changed to 3,650 days by Ada Admin while you were editing; \
             your change was not saved"
        );
    }
}
