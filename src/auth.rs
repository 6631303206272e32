//! Password hashing (argon2id), session tokens and SHA-256 helpers.
//!
//! Hashing and verifying are CPU-bound (tens of milliseconds); async callers run them through
//! `tokio::task::spawn_blocking`.

use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// Hashing failed: no system randomness for the salt, or argon2 refused its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// Hashes `password` with argon2id at the crate's default cost; the PHC string carries salt and parameters.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// True when `password` matches the PHC string `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(e) => {
            tracing::error!(error = %e, "stored password hash is malformed");
            false
        }
    }
}

/// A hash of a random secret, verified against for unknown or inactive users so that a failed login costs
/// the same time whether or not the username exists.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| {
    let secret = new_session_token().ok()?;
    hash_password(&secret).ok()
});

/// Computes the dummy hash now, so the first login of an unknown user is not slower than the rest.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

/// Spends one argon2 verification and always fails.
pub fn verify_dummy(password: &str) -> bool {
    match DUMMY_HASH.as_deref() {
        Some(hash) => {
            let _ = verify_password(password, hash);
        }
        // Without a dummy hash, hashing costs about the same as verifying.
        None => {
            let _ = hash_password(password);
        }
    }
    false
}

/// A fresh bearer token: 32 random bytes from the operating system, as 64 lower-case hex digits.
pub fn new_session_token() -> Result<String, HashError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| HashError(e.to_string()))?;
    Ok(hex(&bytes))
}

/// The SHA-256 of `data` as 64 lower-case hex digits.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        // A fresh salt every time.
        assert_ne!(h, hash_password("correct horse battery").unwrap());
    }

    #[test]
    fn malformed_hash_never_matches() {
        assert!(!verify_password("anything", "not a hash"));
        assert!(!verify_password("", ""));
    }

    #[test]
    fn dummy_always_fails() {
        assert!(DUMMY_HASH.is_some());
        assert!(!verify_dummy("whatever password"));
    }

    #[test]
    fn tokens_are_random_hex() {
        let a = new_session_token().unwrap();
        let b = new_session_token().unwrap();
        assert_eq!(a.len(), 64);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
    }

    #[test]
    fn sha256_known_vectors() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
