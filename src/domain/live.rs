//! Live floor events: what another station's commit announced (docs/live.md §1).
//!
//! An event is a hint to re-read, never the content shown: a screen that an event touches asks the
//! database again for the rows it shows. Only the acting user's name is looked up by the listener, from
//! the user's row, for the "by … at station …" line.

use uuid::Uuid;

/// What changed, as the database names it in the payload (docs/live.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// A build's own row: status, assignee, want date, notes.
    Build,
    /// A build's task list was generated.
    Tasks,
    Task,
    Bom,
    /// A QC result or its answers (a draft saved, a result submitted).
    Qc,
    Testing,
    Packaging,
    Nonconformance,
    Document,
    ServiceOrder,
    Notification,
    Comment,
    Hold,
    /// A kind this station does not know (a newer station's table): treated as touching its build.
    Other,
    /// A system setting (docs/settings.md §4).
    Setting,
    /// A QC rejection reason of the plant's list (docs/rejection-reasons.md §1.2).
    RejectionReason,
}

impl Entity {
    fn parse(name: &str) -> Entity {
        match name {
            "build" => Entity::Build,
            "tasks" => Entity::Tasks,
            "task" => Entity::Task,
            "bom" => Entity::Bom,
            "qc" => Entity::Qc,
            "testing" => Entity::Testing,
            "packaging" => Entity::Packaging,
            "nc" => Entity::Nonconformance,
            "document" => Entity::Document,
            "service_order" => Entity::ServiceOrder,
            "notification" => Entity::Notification,
            "comment" => Entity::Comment,
            "hold" => Entity::Hold,
            "setting" => Entity::Setting,
            "rejection_reason" => Entity::RejectionReason,
            _ => Entity::Other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Insert,
    Update,
    Delete,
}

/// One changed record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Change {
    pub entity: Entity,
    pub id: Option<Uuid>,
    pub op: Op,
    /// The build the record belongs to; for a notification, its recipient.
    pub reference: Option<Uuid>,
}

/// One committed transaction's announcement, or a re-sync after the station's link came back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiveEvent {
    /// The station the change was made at, as it names itself.
    pub station: Option<String>,
    /// The acting user.
    pub actor: Option<Uuid>,
    /// The acting user's name, read from the user's row by the listener.
    pub actor_name: Option<String>,
    pub changes: Vec<Change>,
    /// Everything shown may have changed: too many changes for one payload, or the link to the
    /// database was down (docs/live.md §1.4). Every screen re-reads what it shows.
    pub everything: bool,
}

impl LiveEvent {
    /// Reads a payload; `None` for one that is not ours (another version, or garbage on the channel).
    pub fn parse(payload: &str) -> Option<LiveEvent> {
        let v: serde_json::Value = serde_json::from_str(payload).ok()?;
        if v.get("v")?.as_i64()? != 1 {
            return None;
        }
        let uuid = |x: Option<&serde_json::Value>| {
            x.and_then(serde_json::Value::as_str)
                .and_then(|s| Uuid::parse_str(s).ok())
        };
        let mut changes = Vec::new();
        for e in v.get("ev")?.as_array()? {
            let e = e.as_array()?;
            let op = match e.get(2)?.as_str()? {
                "I" => Op::Insert,
                "U" => Op::Update,
                "D" => Op::Delete,
                _ => return None,
            };
            changes.push(Change {
                entity: Entity::parse(e.first()?.as_str()?),
                id: uuid(e.get(1)),
                op,
                reference: uuid(e.get(3)),
            });
        }
        Some(LiveEvent {
            station: v
                .get("st")
                .and_then(serde_json::Value::as_str)
                .map(|s| crate::text::for_terminal(s).into_owned()),
            actor: uuid(v.get("u")),
            actor_name: None,
            changes,
            everything: v
                .get("more")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
        })
    }

    /// The event a station gives its screen when its link to the database came back: anything may
    /// have changed meanwhile.
    pub fn resync() -> LiveEvent {
        LiveEvent {
            everything: true,
            ..LiveEvent::default()
        }
    }

    /// True when the build's records changed (or anything may have).
    pub fn touches_build(&self, build: Uuid) -> bool {
        self.everything || self.changes.iter().any(|c| c.reference == Some(build))
    }

    /// True when a record of `entity` changed (or anything may have).
    pub fn touches(&self, entity: Entity) -> bool {
        self.everything || self.changes.iter().any(|c| c.entity == entity)
    }

    /// True when one of `entities` changed for `build` (or anything may have).
    pub fn touches_build_in(&self, build: Uuid, entities: &[Entity]) -> bool {
        self.everything
            || self.changes.iter().any(|c| {
                c.reference == Some(build)
                    && (entities.contains(&c.entity) || c.entity == Entity::Other)
            })
    }

    /// The builds whose own rows or records changed, each once.
    pub fn builds(&self) -> Vec<Uuid> {
        let mut out: Vec<Uuid> = Vec::new();
        for c in &self.changes {
            if c.entity != Entity::Notification
                && let Some(b) = c.reference
                && !out.contains(&b)
            {
                out.push(b);
            }
        }
        out
    }

    /// A notification addressed to `user` arrived, changed or went.
    pub fn notifies(&self, user: Uuid) -> bool {
        self.everything
            || self
                .changes
                .iter()
                .any(|c| c.entity == Entity::Notification && c.reference == Some(user))
    }

    /// Made by this user at this station (its agent, "station:NAME"): the station's own screens
    /// already show it.
    pub fn is_own(&self, user: Uuid, agent: &str) -> bool {
        self.actor == Some(user) && self.station.as_deref() == Some(agent)
    }

    /// " by Luis Ortega at station ASM-2", or as much of it as is known.
    pub fn by_line(&self) -> String {
        let mut s = String::new();
        if let Some(name) = &self.actor_name {
            s.push_str(" by ");
            s.push_str(name);
        }
        // A station writes as "station:NAME"; a command names itself otherwise.
        match self
            .station
            .as_deref()
            .map(|st| (st, st.strip_prefix("station:")))
        {
            Some((_, Some(name))) => {
                s.push_str(" at station ");
                s.push_str(name);
            }
            Some((other, None)) => {
                s.push_str(" via ");
                s.push_str(other);
            }
            None => {}
        }
        s
    }
}

/// What another station changed of a build that a screen shows, in one line: its status, else its
/// assignee (docs/live.md §3.2, §3.3). `None` when neither changed.
pub fn build_news(
    build: &str,
    before: (crate::domain::order::OrderStatus, Option<&str>),
    after: (crate::domain::order::OrderStatus, Option<&str>),
    by: &str,
) -> Option<String> {
    if after.0 != before.0 {
        Some(format!("Build {build} is now {}{by}", after.0.title()))
    } else if after.1 != before.1 {
        Some(match after.1 {
            Some(name) => format!("Build {build} assigned to {name}{by}"),
            None => format!("Build {build} unassigned{by}"),
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: &str = "0b5e3b0c-5f4e-4d7a-9a51-1c2d3e4f5a6b";
    const T: &str = "7c1f2e3d-4b5a-4968-8776-655443322110";

    #[test]
    fn reads_a_payload() {
        let p = format!(
            r#"{{"v":1,"st":"ASM-2","u":null,"ev":[["task","{T}","U","{B}"],["build","{B}","U","{B}"]],"more":false}}"#
        );
        let ev = LiveEvent::parse(&p).expect("payload");
        assert_eq!(ev.station.as_deref(), Some("ASM-2"));
        assert_eq!(ev.changes.len(), 2);
        assert_eq!(ev.changes[0].entity, Entity::Task);
        assert_eq!(ev.changes[0].op, Op::Update);
        let b = Uuid::parse_str(B).expect("uuid");
        assert!(ev.touches_build(b));
        assert!(ev.touches_build_in(b, &[Entity::Task]));
        assert!(!ev.touches_build_in(b, &[Entity::Qc, Entity::Testing]) || ev.everything);
        assert!(!ev.touches_build(Uuid::nil()));
        assert_eq!(ev.builds(), vec![b]);
        assert!(!ev.everything);
    }

    #[test]
    fn refuses_what_is_not_ours() {
        assert!(LiveEvent::parse("hello").is_none());
        assert!(LiveEvent::parse(r#"{"v":2,"ev":[]}"#).is_none());
        assert!(LiveEvent::parse(r#"{"v":1,"ev":[["task","x","Z",null]]}"#).is_none());
    }

    #[test]
    fn a_station_name_cannot_carry_control_sequences() {
        let ev = LiveEvent::parse(r#"{"v":1,"st":"A\u001b[2JB","ev":[],"more":false}"#)
            .expect("payload");
        assert!(!ev.station.unwrap_or_default().contains('\u{1b}'));
    }

    #[test]
    fn more_means_everything() {
        let ev = LiveEvent::parse(r#"{"v":1,"ev":[],"more":true}"#).expect("payload");
        assert!(ev.touches_build(Uuid::nil()));
        assert!(ev.notifies(Uuid::nil()));
        assert!(LiveEvent::resync().touches(Entity::ServiceOrder));
    }

    #[test]
    fn build_news_names_the_status_first_then_the_assignee() {
        use crate::domain::order::OrderStatus as S;
        let by = " by A";
        let was = (S::ReadyForProduction, Some("Sam Brennan"));
        assert_eq!(
            build_news("B-1", was, (S::TestingComplete, None), by),
            Some(format!(
                "Build B-1 is now {} by A",
                S::TestingComplete.title()
            ))
        );
        assert_eq!(
            build_news("B-1", was, (S::ReadyForProduction, Some("Luis Ortega")), by).as_deref(),
            Some("Build B-1 assigned to Luis Ortega by A")
        );
        assert_eq!(
            build_news("B-1", was, (S::ReadyForProduction, None), by).as_deref(),
            Some("Build B-1 unassigned by A")
        );
        assert_eq!(build_news("B-1", was, was, by), None);
    }

    #[test]
    fn by_line_names_who_and_where() {
        let ev = LiveEvent {
            station: Some("station:ASM-2".into()),
            actor_name: Some("Luis Ortega".into()),
            ..LiveEvent::default()
        };
        assert_eq!(ev.by_line(), " by Luis Ortega at station ASM-2");
        let cli = LiveEvent {
            station: Some("cli".into()),
            ..LiveEvent::default()
        };
        assert_eq!(cli.by_line(), " via cli");
        assert_eq!(LiveEvent::default().by_line(), "");
    }
}
