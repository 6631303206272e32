//! What every signing dialog shows and asks (docs/signatures.md §4): the signature as it will print — the
//! printed name and the meaning, in words too — and the password that re-authenticates the signer.

use crate::domain::signature::{Meaning, printed_name};
use crate::widgets::form_field::FormField;

pub use crate::domain::signature::EMPTY_PASSWORD;

/// The lines above a signing dialog's fields.
pub fn signing_lines(full_name: &str, meaning: Meaning) -> Vec<String> {
    vec![
        format!(
            "Signature: {} | {}",
            crate::text::for_terminal(&printed_name(full_name)),
            meaning.code()
        ),
        format!("Meaning: {}.", meaning.statement()),
    ]
}

/// The masked password field that signs.
pub fn password_field() -> FormField {
    FormField::masked("Password").with_hint("Your password signs this record")
}

/// The password typed into `field`, or the field marked with [`EMPTY_PASSWORD`] when it is empty.
pub fn password(field: &mut FormField) -> Option<String> {
    let value = field.value();
    if value.is_empty() {
        field.set_error(Some(EMPTY_PASSWORD.to_string()));
        return None;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialog_shows_the_name_and_meaning_and_an_empty_password_is_refused() {
        let lines = signing_lines("Casey Coordinator", Meaning::Shipped);
        assert_eq!(lines[0], "Signature: Casey Coordinator | SHIPPED");
        assert!(lines[1].contains("release this build"));
        let mut field = password_field();
        assert_eq!(password(&mut field), None);
        assert_eq!(field.error(), Some(EMPTY_PASSWORD));
        field.set_value("secret");
        assert_eq!(password(&mut field).as_deref(), Some("secret"));
    }
}
