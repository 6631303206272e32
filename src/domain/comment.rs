//! Comments on builds (docs/comments.md): the thread a build carries, who reads and writes what in it,
//! the text a comment may hold, and the @username mentions it makes.

use crate::domain::Role;
use chrono::NaiveDateTime;
use uuid::Uuid;

/// The longest comment, in characters (docs/comments.md §2.1).
pub const MAX_BODY: usize = 2000;

/// How long after posting its author may still edit a comment, in minutes (docs/comments.md §3).
pub const EDIT_WINDOW_MINUTES: i64 = 10;

/// The `"NotificationType"` of a mention (docs/comments.md §4).
pub const MENTION_KIND: &str = "COMMENT_MENTION";

/// Refusals the service and the database guard share (docs/comments.md §3, §5).
pub const EDIT_WINDOW_PASSED: &str = "A comment can be edited only within 10 minutes of posting";
pub const NOT_AUTHOR: &str = "Only its author edits a comment";
pub const NOTHING_TYPED: &str = "Write the comment first: it cannot be blank";

/// One comment as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: Uuid,
    pub author: String,
    pub body: String,
    /// Shown to the plant's roles only (docs/comments.md §2.2).
    pub internal: bool,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    /// Who resolved it and when, while it stays resolved.
    pub resolved: Option<(String, NaiveDateTime)>,
    /// The reader wrote it and its edit window is still open (when the thread was read).
    pub may_edit: bool,
}

/// A build's thread as one reader sees it, oldest first, and what that reader may do in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentThread {
    pub order_id: Uuid,
    pub build_number: String,
    pub comments: Vec<Comment>,
    /// The reader resolves and unresolves comments (docs/comments.md §5).
    pub may_resolve: bool,
    /// What the last write did, to say on the screen (`Comment posted; Luis Ortega notified`).
    pub notice: Option<String>,
}

impl CommentThread {
    /// How many of the comments shown are not resolved.
    pub fn open_count(&self) -> usize {
        self.comments
            .iter()
            .filter(|c| c.resolved.is_none())
            .count()
    }
}

/// Every role that may see the build reads its thread and writes in it: all but the service department,
/// which sees no production data (docs/comments.md §2.2, docs/lifecycle.md §1.1).
pub fn reads_thread(role: Role) -> bool {
    role != Role::ServiceDepartment
}

/// The plant's roles, who also read the internal comments (docs/comments.md §2.2).
pub fn reads_internal(role: Role) -> bool {
    role != Role::ServiceDepartment
}

/// Coordinators (and ADMIN, who may do all a coordinator may) resolve and unresolve (docs/comments.md §5).
pub fn resolves(role: Role) -> bool {
    matches!(role, Role::ProductionCoordinator | Role::Admin)
}

/// Whether a user of `role` may read a comment that is `internal` (docs/comments.md §2.2).
pub fn may_read(role: Role, internal: bool) -> bool {
    reads_thread(role) && (!internal || reads_internal(role))
}

/// The comment's text as stored: line ends kept, surrounding blank space removed; blank, too long or
/// holding a forbidden character is refused with what to do (docs/comments.md §2.1).
pub fn validate_body(raw: &str) -> Result<String, String> {
    let body = raw.trim();
    if body.is_empty() {
        return Err(NOTHING_TYPED.to_string());
    }
    let n = body.chars().count();
    if n > MAX_BODY {
        return Err(format!(
            "A comment is at most {MAX_BODY} characters; this one has {n}"
        ));
    }
    crate::text::check_text("Comment", body, true)?;
    Ok(body.to_string())
}

/// The usernames a text mentions, lower-cased, each once, in the order written: `@` at the start or
/// after a character that is not part of a name, then the name's characters (a-z 0-9 . _ -), without a
/// trailing `.` (`@assembler.` ends a sentence) (docs/comments.md §4).
pub fn mentions(text: &str) -> Vec<String> {
    let name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    let mut found: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let starts = c == '@' && !prev.is_some_and(|p| name_char(p) || p == '@');
        prev = Some(c);
        if !starts {
            continue;
        }
        let rest = &text[i + 1..];
        let len = rest.find(|c: char| !name_char(c)).unwrap_or(rest.len());
        let name = rest[..len].trim_end_matches('.').to_ascii_lowercase();
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
        // Skip the name so an `@` inside it starts nothing.
        for _ in 0..rest[..len].chars().count() {
            prev = chars.next().map(|(_, c)| c);
        }
    }
    found
}

/// A user a mention names, as the database knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionTarget {
    pub id: Uuid,
    pub username: String,
    pub full_name: String,
    pub role: Role,
}

/// The refusal of mentions that name no active user or a user who may not read the comment, naming them
/// all; `None` when every mention may stand (docs/comments.md §4).
pub fn mention_refusal(
    named: &[String],
    found: &[MentionTarget],
    internal: bool,
) -> Option<String> {
    let unknown: Vec<String> = named
        .iter()
        .filter(|n| !found.iter().any(|u| &u.username == *n))
        .map(|n| format!("@{n}"))
        .collect();
    let unseen: Vec<String> = found
        .iter()
        .filter(|u| named.contains(&u.username) && !may_read(u.role, internal))
        .map(|u| format!("@{}", u.username))
        .collect();
    let mut parts = Vec::new();
    if !unknown.is_empty() {
        parts.push(format!(
            "No active user is named {}; check the name",
            unknown.join(", ")
        ));
    }
    if !unseen.is_empty() {
        let what = if internal {
            "this internal comment"
        } else {
            "this build's comments"
        };
        parts.push(format!("{} cannot read {what}", unseen.join(", ")));
    }
    (!parts.is_empty()).then(|| format!("{}. Nothing was posted.", parts.join(". ")))
}

/// The notification's title and message for a mention (docs/comments.md §4): who, which build, and the
/// comment's first line, cut.
pub fn mention_message(author: &str, build_number: &str, body: &str) -> (String, String) {
    let first = body.lines().next().unwrap_or_default();
    let excerpt: String = if first.chars().count() > 80 {
        let cut: String = first.chars().take(79).collect();
        format!("{cut}…")
    } else {
        first.to_string()
    };
    (
        format!("Mentioned on build {build_number}"),
        format!("{author} mentioned you on build {build_number}: \"{excerpt}\""),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_trimmed_bounded_and_clean() {
        assert_eq!(validate_body("  hi\nthere \n").as_deref(), Ok("hi\nthere"));
        assert_eq!(validate_body(" \n\t ").expect_err("blank"), NOTHING_TYPED);
        let long = "x".repeat(MAX_BODY + 1);
        assert_eq!(
            validate_body(&long).expect_err("too long"),
            "A comment is at most 2000 characters; this one has 2001"
        );
        assert!(validate_body(&"x".repeat(MAX_BODY)).is_ok());
        assert!(
            validate_body("bad \u{1b}[2J")
                .expect_err("escape")
                .contains("U+001B")
        );
    }

    #[test]
    fn mentions_are_found_once_in_order() {
        assert_eq!(
            mentions("@assembler please check the drain, @Inspector and @assembler."),
            vec!["assembler", "inspector"]
        );
        assert_eq!(mentions("mail luis@example.com"), Vec::<String>::new());
        assert_eq!(mentions("(@dana.r) @ @@x"), vec!["dana.r"]);
        assert_eq!(mentions("thanks @a_b-c."), vec!["a_b-c"]);
        assert_eq!(mentions("é@x"), vec!["x"]);
    }

    fn target(username: &str, role: Role) -> MentionTarget {
        MentionTarget {
            id: Uuid::nil(),
            username: username.into(),
            full_name: username.into(),
            role,
        }
    }

    #[test]
    fn refusals_name_every_bad_mention() {
        let named = vec!["assembler".to_string(), "bob".into(), "service".into()];
        let found = vec![
            target("assembler", Role::Assembler),
            target("service", Role::ServiceDepartment),
        ];
        assert_eq!(
            mention_refusal(&named, &found, false).as_deref(),
            Some(
                "No active user is named @bob; check the name. @service cannot read this build's \
                 comments. Nothing was posted."
            )
        );
        assert_eq!(mention_refusal(&named[..1], &found, true), None);
    }

    #[test]
    fn who_reads_and_resolves() {
        for role in Role::ALL {
            let plant = role != Role::ServiceDepartment;
            assert_eq!(may_read(role, false), plant);
            assert_eq!(may_read(role, true), plant);
        }
        assert!(resolves(Role::ProductionCoordinator) && resolves(Role::Admin));
        assert!(!resolves(Role::Assembler) && !resolves(Role::QcPerson));
    }

    #[test]
    fn mention_message_cuts_the_first_line() {
        let (title, message) = mention_message("Dana Reyes", "EX-1", "check\nthe drain");
        assert_eq!(title, "Mentioned on build EX-1");
        assert_eq!(message, "Dana Reyes mentioned you on build EX-1: \"check\"");
        let (_, long) = mention_message("D", "B", &"y".repeat(100));
        assert!(long.ends_with("…\""));
    }
}
