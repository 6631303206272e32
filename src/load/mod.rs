//! The load harness's engine (docs/performance.md §6): a plant loaded in bulk, N stations working the
//! floor mix through `service::dispatch`, the report, and the check that no work was lost.
//!
//! `cleanstation loadtest` (commands/loadtest.rs) gives it a database of its own; the order queue's
//! benchmark uses its build generator.

pub mod plant;
pub mod report;
pub mod station;

use crate::auth;
use crate::db::{self, Actor, GenericClient, Pool};
use crate::domain::Role;
use crate::domain::order::OrderStatus;
use crate::error::{Result, ServiceError};
use crate::service::seed::{DEMO_PASSWORD, seed_demo};
use crate::service::{SecurityPolicy, ServiceCtx};
use report::{Log, Summary};
use station::{Acks, Station};
use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub stations: usize,
    pub duration: Duration,
    /// Interactions per second per station.
    pub rate: f64,
    /// Builds in the plant.
    pub builds: i32,
    /// Connections per station (its requests and its sealer).
    pub pool_size: usize,
}

/// The password of the simulated stations' users (the load database is a throwaway).
const STATION_PASSWORD: &str = "load-station-password";
/// Builds one station works at most; the rest of the plant is only read.
const BUILDS_PER_STATION: usize = 40;
const APPLICATION: &str = "cleanstation-loadtest";

/// The role of the station at `index`: of every ten stations five assemble, two do QC, one is
/// procurement, one the production coordinator, one the service department (docs/performance.md §6.3).
pub fn role_of(index: usize) -> Role {
    match index % 10 {
        0 | 2 | 4 | 6 | 8 => Role::Assembler,
        1 | 5 => Role::QcPerson,
        3 => Role::ProcurementSpecialist,
        7 => Role::ProductionCoordinator,
        _ => Role::ServiceDepartment,
    }
}

/// Loads the plant (docs/performance.md §6.2) into a migrated, empty database: the catalog, the
/// checklist templates and the demo users, `builds` generated builds, and every build's records copied
/// from one build the floor takes through all nine statuses with the real requests. `say` hears the
/// progress.
pub async fn load_plant(
    owner: &Pool,
    station_url: &str,
    builds: i32,
    say: &mut impl FnMut(String),
) -> Result<()> {
    let started = Instant::now();
    seed_demo(owner, &Actor::system("loadtest"))
        .await
        .map_err(|e| ServiceError::Invalid(e.to_string()))?;
    let client = owner.get().await?;
    plant::generate_builds(&client, builds).await?;
    say(format!(
        "plant: catalog, templates and {builds} builds in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    let started = Instant::now();
    let pool = db::connect(station_url, 2, APPLICATION).await?;
    let ctx = |name: &str| ServiceCtx {
        pool: pool.clone(),
        policy: SecurityPolicy::default(),
        agent: format!("station:{name}"),
        read_pool: None,
    };
    let demo = |name: &'static str, role: Role| {
        let ctx = ctx(name);
        async move { Station::login(ctx, name, DEMO_PASSWORD, role, Vec::new()).await }
    };
    let mut coordinator = demo("coordinator", Role::ProductionCoordinator).await;
    let mut procurement = demo("procurement", Role::ProcurementSpecialist).await;
    let mut inspector = demo("inspector", Role::QcPerson).await;
    let mut assembler = demo("assembler", Role::Assembler).await;
    let Some(template) = coordinator
        .create_template("PO-LOAD-TEMPLATE", "LT-TEMPLATE-1")
        .await
    else {
        return Err(ServiceError::Invalid(format!(
            "the template build could not be created: {}",
            coordinator.log.first_error()
        )));
    };
    let mut walk = Walk {
        client: &client,
        template,
        last: None,
        copied: 0,
    };
    walk.copy_at_status().await?;
    // Procurement, Pre-QC, assembly with testing and packaging, Final QC.
    for who in [0, 1, 2, 1] {
        let station = match who {
            0 => &mut procurement,
            1 => &mut inspector,
            _ => &mut assembler,
        };
        station.take(template);
        while station.work().await {
            if station.log.errors() > 0 {
                return Err(ServiceError::Invalid(station.log.first_error()));
            }
            walk.copy_at_status().await?;
        }
    }
    coordinator
        .transition(template, OrderStatus::ReadyForShip, OrderStatus::Shipped)
        .await;
    walk.copy_at_status().await?;
    for s in [&coordinator, &procurement, &inspector, &assembler] {
        if s.log.errors() > 0 {
            return Err(ServiceError::Invalid(s.log.first_error()));
        }
    }
    if walk.last != Some(OrderStatus::Shipped) {
        return Err(ServiceError::Invalid(
            "the template build did not reach SHIPPED".into(),
        ));
    }
    client.batch_execute("ANALYZE").await?;
    pool.close();
    say(format!(
        "plant: {} builds given their records from the template build in {:.1} s",
        walk.copied,
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// The template build on its way through the statuses; each new status is copied to the generated
/// builds in it.
struct Walk<'a, C: GenericClient> {
    client: &'a C,
    template: Uuid,
    last: Option<OrderStatus>,
    copied: u64,
}

impl<C: GenericClient> Walk<'_, C> {
    async fn copy_at_status(&mut self) -> Result<()> {
        let status: OrderStatus = self
            .client
            .query_one(
                r#"SELECT "orderStatus" FROM "ProductionOrder" WHERE id = $1"#,
                &[&self.template],
            )
            .await?
            .get(0);
        if self.last != Some(status) {
            self.copied += plant::copy_records(self.client, self.template, status).await?;
            self.last = Some(status);
        }
        Ok(())
    }
}

/// One simulated station's user.
struct StationUser {
    id: Uuid,
    username: String,
    role: Role,
}

/// Creates one user per station, with the roles of the floor mix, all with the same password.
async fn station_users(client: &impl GenericClient, n: usize) -> Result<Vec<StationUser>> {
    let hash = tokio::task::spawn_blocking(|| auth::hash_password(STATION_PASSWORD))
        .await
        .map_err(|e| ServiceError::Query(e.to_string()))?
        .map_err(|e| ServiceError::Query(e.to_string()))?;
    let mut users = Vec::with_capacity(n);
    for i in 0..n {
        let username = format!("load{:03}", i + 1);
        let role = role_of(i);
        let id: Uuid = client
            .query_one(
                r#"INSERT INTO "User" ("username", "passwordHash", "fullName", "initials", "role")
                   VALUES ($1, $2, $3, 'LS', $4) RETURNING id"#,
                &[&username, &hash, &format!("Load Station {}", i + 1), &role],
            )
            .await?
            .get(0);
        users.push(StationUser { id, username, role });
    }
    Ok(users)
}

/// Each floor station's own builds (docs/performance.md §6.3): the generated builds in the statuses
/// its role works, dealt out in turn and assigned to it, so no two stations ever work the same build.
async fn deal_work(
    client: &impl GenericClient,
    users: &[StationUser],
) -> Result<HashMap<Uuid, Vec<Uuid>>> {
    let mut work: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (role, statuses) in [
        (Role::Assembler, vec![OrderStatus::ReadyForProduction]),
        (
            Role::QcPerson,
            vec![OrderStatus::ReadyForPreQc, OrderStatus::ReadyForFinalQc],
        ),
        (Role::ProcurementSpecialist, vec![OrderStatus::OrderCreated]),
    ] {
        let workers: Vec<Uuid> = users
            .iter()
            .filter(|u| u.role == role)
            .map(|u| u.id)
            .collect();
        if workers.is_empty() {
            continue;
        }
        let builds: Vec<Uuid> = client
            .query(
                r#"SELECT id FROM "ProductionOrder"
                    WHERE "orderStatus" = ANY($1) AND "buildNumber" LIKE 'CS-%' AND "bomId" IS NOT NULL
                    ORDER BY "wantDate", id LIMIT $2"#,
                &[&statuses, &((workers.len() * BUILDS_PER_STATION) as i64)],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for (i, build) in builds.into_iter().enumerate() {
            work.entry(workers[i % workers.len()])
                .or_default()
                .push(build);
        }
    }
    for (user, builds) in &work {
        client
            .execute(
                r#"UPDATE "ProductionOrder" SET "currentAssigneeId" = $1 WHERE id = ANY($2)"#,
                &[user, builds],
            )
            .await?;
    }
    Ok(work)
}

/// The run's outcome: the printed report and its summary.
pub struct Outcome {
    pub report: String,
    pub summary: Summary,
}

/// Runs `options.stations` stations on the loaded plant for `options.duration`, then checks that no
/// work was lost (docs/performance.md §6.3-§6.5).
pub async fn run_stations(
    owner: &Pool,
    station_url: &str,
    options: &Options,
    say: &mut impl FnMut(String),
) -> Result<Outcome> {
    let client = owner.get().await?;
    let users = station_users(&client, options.stations).await?;
    let mut work = deal_work(&client, &users).await?;
    db::audit::seal(&client, true).await?;

    // Every station logs in once, on its own pool, with its own sealer as a station runs one.
    let started = Instant::now();
    let mut logins = Vec::with_capacity(users.len());
    for u in &users {
        let pool = db::connect(station_url, options.pool_size, APPLICATION).await?;
        let ctx = ServiceCtx {
            pool,
            policy: SecurityPolicy::default(),
            agent: format!("station:{}", u.username),
            read_pool: None,
        };
        let builds = work.remove(&u.id).unwrap_or_default();
        let (username, role) = (u.username.clone(), u.role);
        logins.push(tokio::spawn(async move {
            Station::login(ctx, &username, STATION_PASSWORD, role, builds).await
        }));
    }
    let mut stations = Vec::with_capacity(logins.len());
    for l in logins {
        stations.push(l.await.map_err(|e| ServiceError::Query(e.to_string()))?);
    }
    let sealers: Vec<_> = stations
        .iter()
        .map(|s| tokio::spawn(db::audit::run_sealer(s.ctx.pool.clone())))
        .collect();
    say(format!(
        "{} stations logged in in {:.1} s ({} connection(s) each); running for {} s at {} interaction(s)/s each",
        stations.len(),
        started.elapsed().as_secs_f64(),
        options.pool_size,
        options.duration.as_secs(),
        options.rate
    ));

    let period = Duration::from_secs_f64(1.0 / options.rate.max(0.001));
    let n = stations.len().max(1);
    let started = Instant::now();
    let end = tokio::time::Instant::now() + options.duration;
    let mut tasks = Vec::with_capacity(n);
    for (i, mut station) in stations.into_iter().enumerate() {
        // Stations start spread over the first period, as people do not click in step.
        let first = tokio::time::Instant::now() + period.mul_f64(i as f64 / n as f64);
        tasks.push(tokio::spawn(async move {
            if station.logged_in() {
                let mut tick = tokio::time::interval_at(first, period);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    if tokio::time::Instant::now() >= end {
                        break;
                    }
                    station.interact().await;
                }
                station.logout().await;
            }
            station
        }));
    }
    let mut log = Log::default();
    let mut acks = Acks::default();
    let mut pools = Vec::new();
    for t in tasks {
        let station = t.await.map_err(|e| ServiceError::Query(e.to_string()))?;
        log.merge(station.log);
        acks.extend(station.acks);
        pools.push(station.ctx.pool);
    }
    let seconds = started.elapsed().as_secs_f64();
    for s in sealers {
        s.abort();
    }
    for p in pools {
        p.close();
    }
    db::audit::seal(&client, true).await?;
    let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    let lost = lost_work(&client, &ids, &acks).await?;
    say(format!(
        "acknowledged: {} tasks, {} QC results, {} testing forms, {} orders, {} service orders",
        acks.tasks.len(),
        acks.qc_results.len(),
        acks.testing_forms.len(),
        acks.builds.len(),
        acks.service_orders.len()
    ));
    let (report, summary) = report::table(&log, seconds, n, lost);
    Ok(Outcome { report, summary })
}

/// Work the stations were told succeeded that the database does not hold exactly once, plus work the
/// database holds by the stations' users that no station was told of (docs/performance.md §6.4).
async fn lost_work(client: &impl GenericClient, users: &[Uuid], acks: &Acks) -> Result<u64> {
    let ids = |sql: &'static str| async move {
        let rows = client.query(sql, &[&users]).await?;
        Ok::<Vec<Uuid>, ServiceError>(rows.iter().map(|r| r.get(0)).collect())
    };
    let tasks =
        ids(r#"SELECT id FROM "Task" WHERE "completedBy" = ANY($1) AND "isCompleted""#).await?;
    let results = ids(
        r#"SELECT id FROM "QCResult" WHERE "performedBy" = ANY($1) AND "overallStatus" <> 'INCOMPLETE'"#,
    )
    .await?;
    let forms = ids(
        r#"SELECT id FROM "TestingForm" WHERE "performedBy" = ANY($1) AND "overallStatus" <> 'INCOMPLETE'"#,
    )
    .await?;
    let service = ids(r#"SELECT id FROM "ServiceOrder" WHERE "requestedBy" = ANY($1)"#).await?;
    let builds: Vec<String> = client
        .query(
            r#"SELECT o."buildNumber" FROM "ProductionOrder" o
                JOIN "OrderStatusHistory" h ON h."orderId" = o.id AND h."userId" = ANY($1)
               WHERE o."buildNumber" LIKE 'LD-%' AND h."action" = 'ORDER_CREATED'"#,
            &[&users],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(mismatch(&acks.tasks, &tasks)
        + mismatch(&acks.qc_results, &results)
        + mismatch(&acks.testing_forms, &forms)
        + mismatch(&acks.service_orders, &service)
        + mismatch(&acks.builds, &builds))
}

/// How far `found` is from holding each of `acked` exactly once: acknowledged but missing, acknowledged
/// twice, found twice, and found without an acknowledgement.
fn mismatch<T: Eq + Hash>(acked: &[T], found: &[T]) -> u64 {
    let mut counts: HashMap<&T, (u64, u64)> = HashMap::new();
    for a in acked {
        counts.entry(a).or_default().0 += 1;
    }
    for f in found {
        counts.entry(f).or_default().1 += 1;
    }
    counts
        .values()
        .map(|&(a, f)| a.abs_diff(f) + a.min(f).saturating_sub(1))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_held_exactly_once_is_not_lost() {
        assert_eq!(mismatch(&[1, 2, 3], &[3, 2, 1]), 0);
        assert_eq!(mismatch::<u8>(&[], &[]), 0);
    }

    #[test]
    fn missing_doubled_and_unacknowledged_work_counts_as_lost() {
        // 2 acknowledged, not in the database.
        assert_eq!(mismatch(&[1, 2], &[1]), 1);
        // 1 in the database twice.
        assert_eq!(mismatch(&[1], &[1, 1]), 1);
        // 3 written without an acknowledgement.
        assert_eq!(mismatch(&[1], &[1, 3]), 1);
        // 1 acknowledged twice, held once.
        assert_eq!(mismatch(&[1, 1], &[1]), 1);
    }

    #[test]
    fn the_floor_mix_has_every_role_in_ten_stations() {
        let roles: Vec<Role> = (0..10).map(role_of).collect();
        let count = |r: Role| roles.iter().filter(|x| **x == r).count();
        assert_eq!(count(Role::Assembler), 5);
        assert_eq!(count(Role::QcPerson), 2);
        assert_eq!(count(Role::ProcurementSpecialist), 1);
        assert_eq!(count(Role::ProductionCoordinator), 1);
        assert_eq!(count(Role::ServiceDepartment), 1);
    }
}
