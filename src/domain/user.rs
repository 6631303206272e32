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
    fn initials_rules() {
        assert_eq!(validate_initials("jd").as_deref(), Ok("JD"));
        assert!(validate_initials("J1").is_err());
        assert!(validate_initials("ABCDEF").is_err());
    }
}
