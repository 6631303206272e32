//! Password hashing (argon2id), session tokens and SHA-256 helpers.
//!
//! Hashing and verifying are CPU-bound (tens of milliseconds); async callers run them through
//! `tokio::task::spawn_blocking`.

use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher, PasswordVerifier, password_hash};

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

/// True when `password` matches the PHC string `hash`. A malformed or unusable hash never matches,
/// and costs a full verification all the same, so it cannot be told from a wrong password by timing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    let parsed = match PasswordHash::new(hash) {
        Ok(parsed) => parsed,
        Err(e) => {
            tracing::error!(error = %e, "stored password hash is malformed");
            return verify_dummy(password);
        }
    };
    // argon2 answers "invalid password" at once, without hashing, when either part is missing.
    if parsed.salt.is_none() || parsed.hash.is_none() {
        tracing::error!("stored password hash has no salt or no output");
        return verify_dummy(password);
    }
    match Argon2::default().verify_password(password.as_bytes(), &parsed) {
        Ok(()) => true,
        Err(password_hash::Error::PasswordInvalid) => false,
        // An unknown algorithm or bad parameters are refused before any hashing is done.
        Err(e) => {
            tracing::error!(error = %e, "stored password hash cannot be checked");
            verify_dummy(password)
        }
    }
}

/// A hash of a random secret that was thrown away, with exactly the parameters `Argon2::default()`
/// gives real hashes (argon2id v19, m=19456, t=2, p=1). Verifying against it costs what checking a real
/// user costs, from the very first login of a process: nothing is computed lazily.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$BYt5WnteRBTIXvyMY1TKFg$aDb1oB9WmjjzG1e5I0JE91mTgdhex8xzG3jvrgysNC4";

/// Spends one argon2 verification and always fails: for unknown or inactive users, so that a failed
/// login costs the same time whether or not the username exists.
pub fn verify_dummy(password: &str) -> bool {
    match PasswordHash::new(DUMMY_HASH) {
        Ok(parsed) => {
            let _ = Argon2::default().verify_password(password.as_bytes(), &parsed);
        }
        // Unreachable (a test parses the constant); hashing costs about what verifying does.
        Err(_) => {
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

/// The SHA-256 of `data` as 64 lower-case hex digits: the one the signatures hash with.
pub use crate::domain::signature::sha256_hex;

/// The size and SHA-256 (64 lower-case hex digits) of a file, read a piece at a time: a backup's dump
/// may be larger than memory (docs/backup.md §1.4).
pub fn sha256_file(path: &std::path::Path) -> std::io::Result<(u64, String)> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(buf.get(..n).unwrap_or_default());
        size += n as u64;
    }
    Ok((size, hex(&hasher.finalize())))
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
        assert!(!verify_dummy("whatever password"));
        assert!(!verify_dummy(""));
    }

    /// The dummy must cost what a real hash costs: same algorithm, version, parameters and lengths as a
    /// fresh `hash_password`, so a change of the crate's default cost cannot make the two paths differ.
    #[test]
    fn dummy_hash_has_the_parameters_of_real_hashes() {
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap();
        let fresh_text = hash_password("some password").unwrap();
        let fresh = PasswordHash::new(&fresh_text).unwrap();
        assert_eq!(dummy.algorithm, fresh.algorithm);
        assert_eq!(dummy.version, fresh.version);
        assert_eq!(dummy.params, fresh.params);
        assert_eq!(
            argon2::Params::try_from(&dummy).unwrap(),
            argon2::Params::try_from(&fresh).unwrap()
        );
        assert_eq!(dummy.salt.map(|s| s.len()), fresh.salt.map(|s| s.len()));
        assert_eq!(dummy.hash.map(|h| h.len()), fresh.hash.map(|h| h.len()));
    }

    fn median_ms(samples: &mut [f64]) -> f64 {
        samples.sort_by(f64::total_cmp);
        samples[samples.len() / 2]
    }

    /// A stored hash that cannot be used must not answer faster than a wrong password. Generous bound: a
    /// refusal without argon2 work takes microseconds, a verification tens of milliseconds.
    #[test]
    fn an_unusable_stored_hash_costs_a_full_verification() {
        let real = hash_password("the real one").unwrap();
        let unusable = [
            "not a hash",
            "",
            // Parses, but has no output to compare with.
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ",
            // Parses, but names an algorithm argon2 does not know.
            "$pbkdf2-sha256$i=1000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            // Parses, but its memory cost is below argon2's minimum.
            "$argon2id$v=19$m=1,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
        ];
        for bad in unusable {
            let (mut good, mut odd) = (Vec::new(), Vec::new());
            for _ in 0..5 {
                let t = std::time::Instant::now();
                assert!(!verify_password("wrong", &real));
                good.push(t.elapsed().as_secs_f64() * 1e3);
                let t = std::time::Instant::now();
                assert!(!verify_password("wrong", bad));
                odd.push(t.elapsed().as_secs_f64() * 1e3);
            }
            let (good, odd) = (median_ms(&mut good), median_ms(&mut odd));
            assert!(
                odd > good * 0.5,
                "{bad:?}: {odd:.2} ms against {good:.2} ms for a wrong password"
            );
        }
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
    fn a_file_hashes_as_its_bytes_do() {
        let path = std::env::temp_dir().join(format!("cs-sha-file-{}", std::process::id()));
        let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let (size, hash) = sha256_file(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(size, 3_000_000);
        assert_eq!(hash, sha256_hex(&bytes));
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
