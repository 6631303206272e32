//! Users as the application sees them, and the rules for their fields.

use crate::domain::Role;
use crate::text::check_text;
use serde::Serialize;
use uuid::Uuid;

/// The minimum password length (at least 10 characters: docs/lifecycle.md §10).
pub const MIN_PASSWORD_LEN: usize = 10;
/// bcrypt-style limits do not apply to argon2, but a bound keeps hashing cost predictable.
pub const MAX_PASSWORD_LEN: usize = 128;

/// What an administrator may not do to their own account (docs/architecture.md §3.1); the service refuses
/// it, and the users screen says it before any dialog opens.
pub const CANNOT_DEACTIVATE_SELF: &str = "You cannot deactivate your own account";
pub const CANNOT_CHANGE_OWN_ROLE: &str = "You cannot change your own role";
pub const RESET_OWN_PASSWORD: &str = "Use Change password for your own account";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserSummary {
    pub id: Uuid,
    pub username: String,
    pub full_name: String,
    pub initials: String,
    pub role: Role,
    pub is_active: bool,
    pub last_login_at: Option<chrono::NaiveDateTime>,
    pub must_change_password: bool,
    /// The user carries a badge (and so has a PIN): docs/security.md, Badge and PIN.
    pub has_badge: bool,
}

/// What an administrator (or the CLI) supplies to create a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub initials: String,
    pub role: Role,
    pub password: String,
    /// The user must choose a new password at first login (set when an admin picks it).
    pub must_change_password: bool,
}

/// Usernames are stored lower-case: 3-50 of a-z 0-9 . _ -
pub fn normalize_username(raw: &str) -> Result<String, String> {
    let u = raw.trim().to_lowercase();
    if u.is_empty() {
        return Err("Username is required".into());
    }
    if u.len() < 3 || u.len() > 50 {
        return Err("Username must be 3 to 50 characters".into());
    }
    if !u
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
    {
        return Err("Username may contain only letters, digits, '.', '_' or '-'".into());
    }
    Ok(u)
}

pub fn validate_full_name(raw: &str) -> Result<String, String> {
    let n = raw.trim();
    if n.is_empty() {
        return Err("Full name is required".into());
    }
    if n.chars().count() > 100 {
        return Err("Full name must be at most 100 characters".into());
    }
    check_text("Full name", n, false)?;
    Ok(n.to_string())
}

pub fn validate_initials(raw: &str) -> Result<String, String> {
    check_text("Initials", raw.trim(), false)?;
    let i = raw.trim().to_uppercase();
    if i.is_empty() {
        return Err("Initials are required".into());
    }
    if i.chars().count() > 5 || !i.chars().all(|c| c.is_alphabetic()) {
        return Err("Initials must be 1 to 5 letters".into());
    }
    Ok(i)
}

pub fn validate_password(pw: &str) -> Result<(), String> {
    let n = pw.chars().count();
    if n < MIN_PASSWORD_LEN {
        return Err(format!(
            "Password must be at least {MIN_PASSWORD_LEN} characters"
        ));
    }
    if n > MAX_PASSWORD_LEN {
        return Err(format!(
            "Password must be at most {MAX_PASSWORD_LEN} characters"
        ));
    }
    Ok(())
}

/// The shortest and longest PIN (docs/security.md, Badge and PIN).
pub const PIN_LEN: std::ops::RangeInclusive<usize> = 4..=8;

/// A badge code as stored: upper-case, 4-64 of A-Z 0-9 and '-' (docs/security.md, Badge and PIN).
pub fn normalize_badge(raw: &str) -> Result<String, String> {
    let code = raw.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err("Badge code is required".into());
    }
    if !(4..=64).contains(&code.len()) {
        return Err("Badge code must be 4 to 64 characters".into());
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err("Badge code may contain only letters, digits and '-'".into());
    }
    Ok(code)
}

/// A PIN is 4 to 8 digits.
pub fn validate_pin(pin: &str) -> Result<(), String> {
    if !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err("PIN must be digits only".into());
    }
    if !PIN_LEN.contains(&pin.len()) {
        return Err(format!(
            "PIN must be {} to {} digits",
            PIN_LEN.start(),
            PIN_LEN.end()
        ));
    }
    Ok(())
}

/// A new PIN entered twice: valid, and the same both times.
pub fn validate_new_pin(pin: &str, again: &str) -> Result<(), String> {
    validate_pin(pin)?;
    if pin != again {
        return Err("The two PINs differ; enter the same PIN twice".into());
    }
    Ok(())
}

impl NewUser {
    /// Checks and normalises every field; the first problem is returned as the user-facing message.
    pub fn validated(self) -> Result<NewUser, String> {
        let username = normalize_username(&self.username)?;
        let full_name = validate_full_name(&self.full_name)?;
        let initials = validate_initials(&self.initials)?;
        validate_password(&self.password)?;
        Ok(NewUser {
            username,
            full_name,
            initials,
            ..self
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_rules() {
        assert_eq!(normalize_username("  Alice.B ").as_deref(), Ok("alice.b"));
        assert!(normalize_username("ab").is_err());
        assert!(normalize_username("a b c").is_err());
        assert!(normalize_username("").is_err());
    }

    #[test]
    fn password_rules() {
        assert!(validate_password("123456789").is_err());
        assert!(validate_password("1234567890").is_ok());
    }

    #[test]
    fn names_refuse_forbidden_characters() {
        assert_eq!(validate_full_name(" Jane Doe "), Ok("Jane Doe".into()));
        assert_eq!(
            validate_full_name("Jane\u{1b}]0;x\u{7}"),
            Err("Full name: contains the control character U+001B; remove it".into())
        );
        assert_eq!(
            validate_full_name("Jane\u{202E}eoD"),
            Err("Full name: contains the direction-changing character U+202E; remove it".into())
        );
        assert_eq!(
            validate_initials("J\u{200B}D"),
            Err("Initials: contains the zero-width character U+200B; remove it".into())
        );
    }

    #[test]
    fn badge_rules() {
        assert_eq!(normalize_badge(" u-dana ").as_deref(), Ok("U-DANA"));
        assert!(normalize_badge("abc").is_err());
        assert!(normalize_badge("U:DANA").is_err());
        assert!(normalize_badge("U DANA").is_err());
        assert!(normalize_badge(&"A".repeat(65)).is_err());
        assert_eq!(normalize_badge(&"a".repeat(64)), Ok("A".repeat(64)));
        assert!(normalize_badge("").is_err());
    }

    #[test]
    fn pin_rules() {
        assert!(validate_pin("1234").is_ok());
        assert!(validate_pin("12345678").is_ok());
        assert!(validate_pin("123").is_err());
        assert!(validate_pin("123456789").is_err());
        assert!(validate_pin("12a4").is_err());
        assert!(validate_pin("١٢٣٤").is_err());
        assert!(validate_new_pin("1234", "1234").is_ok());
        assert!(validate_new_pin("1234", "1235").is_err());
    }

    #[test]
    fn initials_rules() {
        assert_eq!(validate_initials("jd").as_deref(), Ok("JD"));
        assert!(validate_initials("J1").is_err());
        assert!(validate_initials("ABCDEF").is_err());
    }
}
