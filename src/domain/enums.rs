//! Declaring the schema's quoted enum types: one table per enum gives the Rust variants, the database
//! label (also the JSON spelling) and, where asked, the text on screen and how typed text is read.

/// A Rust enum for one of the schema's enum types, with `ALL` (in declaration order) and `code()`, the
/// database label. `parse: exact` adds a `parse` that takes only the label as stored; `parse: loose` one
/// that ignores case and surrounding space, and shows the label as the enum's `Display`.
macro_rules! pg_enum {
    (@enum $(#[$doc:meta])* $name:ident, $pg:literal, [$($variant:ident => $label:literal),+]) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::postgres_types::ToSql, ::postgres_types::FromSql, ::serde::Serialize, ::serde::Deserialize,
        )]
        #[postgres(name = $pg)]
        pub enum $name {
            $(
                #[postgres(name = $label)]
                #[serde(rename = $label)]
                $variant,
            )+
        }

        impl $name {
            /// The database and JSON label, e.g. `PASS`.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
    (@parse exact $name:ident) => {
        impl $name {
            /// Parses a label exactly as stored.
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == s)
            }
        }
    };
    (@parse loose $name:ident) => {
        impl $name {
            /// Parses a label, ignoring case and surrounding space.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.code().eq_ignore_ascii_case(s))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
    ($(#[$doc:meta])* $name:ident, $pg:literal, [$($variant:ident => $label:literal),+ $(,)?]) => {
        $crate::domain::enums::pg_enum!(@enum $(#[$doc])* $name, $pg, [$($variant => $label),+]);

        impl $name {
            pub const ALL: [$name; [$($label),+].len()] = [$($name::$variant),+];
        }
    };
    ($(#[$doc:meta])* $name:ident, $pg:literal, parse: $how:ident, [$($table:tt)+]) => {
        $crate::domain::enums::pg_enum!($(#[$doc])* $name, $pg, [$($table)+]);
        $crate::domain::enums::pg_enum!(@parse $how $name);
    };
}

/// A [`pg_enum!`] whose variants also carry the text shown on screen (`title()`); typed labels parse
/// loosely.
macro_rules! db_enum {
    ($(#[$doc:meta])* $name:ident, $pg:literal, [$($variant:ident => $label:literal, $title:literal),+ $(,)?]) => {
        $crate::domain::enums::pg_enum!(@enum $(#[$doc])* $name, $pg, [$($variant => $label),+]);
        $crate::domain::enums::pg_enum!(@parse loose $name);

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// How it reads on screen.
            pub fn title(self) -> &'static str {
                match self { $($name::$variant => $title),+ }
            }
        }
    };
}

pub(crate) use {db_enum, pg_enum};
