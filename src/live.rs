//! The station's one LISTEN connection (docs/live.md §2).
//!
//! A task holds a connection of its own, outside the pool, listening on `cleanstation_live`. Each
//! notification becomes a [`Live::Event`] for the runtime, with the acting user's name read from the
//! user's row (cached). When the connection drops (a database restart, the network), the task says so,
//! connects again by itself with a growing pause, and on success asks every screen to re-read what it
//! shows: an event sent while the station was away is never silently lost.

use crate::db::row::RowExt;
use crate::domain::live::LiveEvent;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, NoTls};
use uuid::Uuid;

/// The channel every watched commit notifies (migrations/V23__live_events.sql).
pub const CHANNEL: &str = "cleanstation_live";
/// The pauses between attempts to connect again: short at first, then every few seconds.
const RETRY_FIRST: Duration = Duration::from_millis(250);
const RETRY_MAX: Duration = Duration::from_secs(5);
/// How soon a silently dead link (a cable pulled) is noticed: TCP keepalives on the listening
/// connection.
const KEEPALIVE: Duration = Duration::from_secs(10);
/// Names kept before the cache starts over (a plant has tens of users, not thousands).
const NAMES_KEPT: usize = 512;

/// What the listener tells the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    /// Another commit changed something.
    Event(LiveEvent),
    /// Listening. `resync`: after a break, so what is shown may be stale.
    Up { resync: bool },
    /// The link is down; the listener is connecting again.
    Down,
}

/// Starts the listener for `url`; it runs until `tx`'s receiver is gone.
pub fn spawn(
    url: &str,
    application_name: &str,
    tx: mpsc::UnboundedSender<Live>,
) -> crate::error::Result<tokio::task::JoinHandle<()>> {
    let mut config = crate::db::pool::config(url, &format!("{application_name} live"))?;
    config.keepalives(true);
    config.keepalives_idle(KEEPALIVE);
    Ok(tokio::spawn(listen_forever(config, tx)))
}

async fn listen_forever(config: tokio_postgres::Config, tx: mpsc::UnboundedSender<Live>) {
    let mut names: HashMap<Uuid, String> = HashMap::new();
    let mut pause = RETRY_FIRST;
    // Once the station was told the link is down, the next listening start re-syncs its screens.
    let mut said_down = false;
    loop {
        match listen_once(&config, &tx, &mut names, said_down).await {
            Ok(()) => {
                // The link was up and dropped: start again at the short pause.
                pause = RETRY_FIRST;
                said_down = false;
            }
            Err(e) => tracing::warn!(
                error = %crate::db::with_causes(&e),
                "live updates: cannot listen"
            ),
        }
        if tx.is_closed() {
            return;
        }
        if !said_down {
            said_down = true;
            if tx.send(Live::Down).is_err() {
                return;
            }
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(RETRY_MAX);
    }
}

/// Connects, listens and forwards until the connection ends. `Err` when it never got to listen.
async fn listen_once(
    config: &tokio_postgres::Config,
    tx: &mpsc::UnboundedSender<Live>,
    names: &mut HashMap<Uuid, String>,
    resync: bool,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (notes_tx, mut notes) = mpsc::unbounded_channel::<String>();
    // The connection is driven by its own task: it yields the notifications, and carries the name
    // queries below.
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if notes_tx.send(n.payload().to_string()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(
                        error = %crate::db::with_causes(&e),
                        "live updates: connection lost"
                    );
                    break;
                }
            }
        }
    });
    let listening = client.batch_execute(&format!("LISTEN {CHANNEL}")).await;
    if let Err(e) = listening {
        driver.abort();
        return Err(e);
    }
    tracing::info!(resync, "live updates: listening");
    // Names may have changed while the link was down.
    names.clear();
    if tx.send(Live::Up { resync }).is_err() {
        driver.abort();
        return Ok(());
    }
    while let Some(payload) = notes.recv().await {
        let Some(mut event) = LiveEvent::parse(&payload) else {
            tracing::warn!(
                bytes = payload.len(),
                "live updates: a payload that is not ours"
            );
            continue;
        };
        if let Some(actor) = event.actor {
            event.actor_name = name_of(&client, names, actor).await;
        }
        if tx.send(Live::Event(event)).is_err() {
            break;
        }
    }
    driver.abort();
    Ok(())
}

/// The user's name from the user's row; `None` when it cannot be read now (the event still goes out).
async fn name_of(
    client: &tokio_postgres::Client,
    names: &mut HashMap<Uuid, String>,
    user: Uuid,
) -> Option<String> {
    if let Some(n) = names.get(&user) {
        return Some(n.clone());
    }
    let row = client
        .query_opt(r#"SELECT "fullName" FROM "User" WHERE id = $1"#, &[&user])
        .await
        .ok()??;
    let name: String = row.col("fullName").ok()?;
    let name = crate::text::for_terminal(&name).into_owned();
    if names.len() >= NAMES_KEPT {
        names.clear();
    }
    names.insert(user, name.clone());
    Some(name)
}
