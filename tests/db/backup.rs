//! `cleanstation db backup` and `db restore` as an operator runs them (docs/backup.md): a plant with
//! builds in every status backed up, restored into an empty database on a central server and into a
//! brand-new embedded cluster, and read back the same; the refusals, with nothing changed.

use crate::export::scratch;
use crate::floor::{Floor, example_build};
use crate::support::TestDb;
use cleanstation::domain::Role;
use cleanstation::domain::order::OrderStatus as S;
use cleanstation::domain::qc::QcOutcome;
use cleanstation::service::seed::DEMO_PASSWORD;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use uuid::Uuid;

/// Where the binary connects: a central server's station and owner connections, or the embedded
/// cluster of the config file's `database.data_dir`.
enum Target<'a> {
    Central { station: &'a str, owner: &'a str },
    Embedded,
}

/// Runs the real binary with `config` against `target`, logged in commands taking the demo password.
async fn cli(config: &Path, target: &Target<'_>, args: &[&str]) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_cleanstation"));
    cmd.arg("--config")
        .arg(config)
        .args(args)
        .env("CLEANSTATION_PASSWORD", DEMO_PASSWORD)
        .env_remove("DATABASE_URL")
        .env_remove("CLEANSTATION_CONFIG")
        .env_remove("CLEANSTATION_DATABASE_URL")
        .env_remove("CLEANSTATION_OWNER_DATABASE_URL");
    if let Target::Central { station, owner } = target {
        cmd.env("CLEANSTATION_DATABASE_URL", station)
            .env("CLEANSTATION_OWNER_DATABASE_URL", owner);
    }
    cmd.output().await.expect("run cleanstation")
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// A config file in `dir` logging into `dir/log`, with `database.data_dir` when given.
fn config_in(dir: &Path, data_dir: Option<&Path>) -> PathBuf {
    let mut toml = format!("[log]\ndir = \"{}\"\n", dir.join("log").display());
    if let Some(d) = data_dir {
        toml.push_str(&format!("[database]\ndata_dir = \"{}\"\n", d.display()));
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, toml).expect("config");
    path
}

/// The station role's connection to the database the superuser's `owner_url` names.
fn station_url(owner_url: &str) -> String {
    owner_url.replace(
        "user=cleanstation ",
        &format!("user={} ", cleanstation::db::roles::STATION_ROLE),
    )
}

/// Every table of `public` and its rows, counted one by one as the superuser.
async fn counts(db: &TestDb) -> BTreeMap<String, i64> {
    let client = db.client().await;
    let tables: Vec<String> = client
        .query(
            "SELECT relname::text FROM pg_class WHERE relkind = 'r' \
             AND relnamespace = 'public'::regnamespace ORDER BY 1",
            &[],
        )
        .await
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut out = BTreeMap::new();
    for t in tables {
        let n: i64 = client
            .query_one(&format!(r#"SELECT count(*) FROM "{t}""#), &[])
            .await
            .expect("count")
            .get(0);
        out.insert(t, n);
    }
    out
}

/// The one backup directory `db backup` made in `out`, and its dump.
fn the_backup(out: &Path) -> (PathBuf, PathBuf) {
    let dirs: Vec<PathBuf> = std::fs::read_dir(out)
        .expect("out")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(dirs.len(), 1, "one backup directory: {dirs:?}");
    let dir = dirs[0].clone();
    let stem = dir
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("backup dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["manifest.json".to_string(), format!("{stem}.dump")]);
    let dump = dir.join(format!("{stem}.dump"));
    (dir, dump)
}

impl Floor {
    /// One build in each status of the lifecycle, and one sent back by a failed Final QC; their
    /// build numbers.
    async fn builds_in_every_status(&self) -> Vec<String> {
        let mut made: Vec<(String, Uuid)> = Vec::new();
        let number = |n: usize| format!("BK-{n}");
        made.push((
            number(1),
            self.create_build("PO-BK-1", example_build(&number(1)))
                .await,
        ));
        let id = self
            .create_build("PO-BK-2", example_build(&number(2)))
            .await;
        self.approve_bom(id, 1).await;
        self.transition(
            Role::ProcurementSpecialist,
            id,
            S::OrderCreated,
            S::PartsSent,
        )
        .await
        .expect("parts sent");
        made.push((number(2), id));
        made.push((
            number(3),
            self.build_at_pre_qc("PO-BK-3", example_build(&number(3)))
                .await,
        ));
        made.push((
            number(4),
            self.build_in_production("PO-BK-4", example_build(&number(4)))
                .await,
        ));
        for n in 5..=10 {
            let id = self
                .build_testing_complete(&format!("PO-BK-{n}"), example_build(&number(n)))
                .await;
            if n == 6 {
                self.pack_all(id).await;
                self.transition(
                    Role::Assembler,
                    id,
                    S::TestingComplete,
                    S::PackagingComplete,
                )
                .await
                .expect("T6");
            }
            if n >= 7 {
                self.pack_and_send_to_final_qc(id).await;
            }
            if n >= 8 {
                let (outcome, reason) = if n == 10 {
                    (QcOutcome::Fail, Some("Scratch on the backsplash"))
                } else {
                    (QcOutcome::Pass, None)
                };
                self.final_qc(id, outcome, reason).await;
            }
            if n == 9 {
                self.ship(id).await;
            }
            made.push((number(n), id));
        }
        let statuses: std::collections::BTreeSet<String> = self
            .db
            .client()
            .await
            .query(
                r#"SELECT DISTINCT "orderStatus"::text FROM "ProductionOrder""#,
                &[],
            )
            .await
            .expect("statuses")
            .iter()
            .map(|r| r.get(0))
            .collect();
        let every: std::collections::BTreeSet<String> = [
            "ORDER_CREATED",
            "PARTS_SENT",
            "READY_FOR_PRE_QC",
            "READY_FOR_PRODUCTION",
            "TESTING_COMPLETE",
            "PACKAGING_COMPLETE",
            "READY_FOR_FINAL_QC",
            "READY_FOR_SHIP",
            "SHIPPED",
        ]
        .into_iter()
        .map(str::to_string)
        .collect();
        assert_eq!(statuses, every, "a build in every status");
        made.into_iter().map(|(n, _)| n).collect()
    }
}

/// `order show --json` of every build, as the coordinator reads it.
async fn shown(config: &Path, target: &Target<'_>, builds: &[String]) -> Vec<Value> {
    let mut out = Vec::new();
    for b in builds {
        let o = cli(
            config,
            target,
            &["order", "show", b, "--json", "--as", "coordinator"],
        )
        .await;
        assert_eq!(o.status.code(), Some(0), "{b}: {}", text(&o.stderr));
        out.push(serde_json::from_slice(&o.stdout).expect("JSON"));
    }
    out
}

/// Stops the embedded cluster a test made and removes it, also when the test fails.
struct Embedded {
    config: PathBuf,
    dir: PathBuf,
}

impl Drop for Embedded {
    fn drop(&mut self) {
        let _ = std::process::Command::new(env!("CARGO_BIN_EXE_cleanstation"))
            .arg("--config")
            .arg(&self.config)
            .args(["db", "stop"])
            .env_remove("CLEANSTATION_DATABASE_URL")
            .env_remove("DATABASE_URL")
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test]
async fn a_plant_in_every_status_is_backed_up_and_restored_whole_on_a_server_and_a_new_cluster() {
    let f = Floor::new().await;
    let builds = f.builds_in_every_status().await;
    let source = Target::Central {
        station: &f.db.url,
        owner: &f.db.owner_url,
    };
    let work = scratch("backup-whole");
    let config = config_in(&work, None);
    let out = work.join("backups");
    std::fs::create_dir(&out).expect("out");
    let out_text = out.display().to_string();

    let o = cli(&config, &source, &["db", "backup", "--out", &out_text]).await;
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let (dir, dump) = the_backup(&out);
    assert!(
        text(&o.stdout).contains(&dir.display().to_string()),
        "{}",
        text(&o.stdout)
    );

    // The manifest says what the database held: every table's rows, the schema, the chain head.
    let source_counts = counts(&f.db).await;
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("manifest.json")).expect("manifest"),
    )
    .expect("JSON");
    assert_eq!(manifest["formatVersion"], 1);
    assert_eq!(manifest["database"], f.db.name.as_str());
    assert_eq!(
        manifest["schemaVersion"],
        cleanstation::db::migrate::latest_known_version()
    );
    let manifest_counts: BTreeMap<String, i64> =
        serde_json::from_value(manifest["rowCounts"].clone()).expect("row counts");
    assert_eq!(manifest_counts, source_counts);
    assert_eq!(manifest_counts["ProductionOrder"], 10);
    assert_eq!(
        manifest_counts["AuditPending"], 0,
        "sealed before the snapshot"
    );
    let head = f
        .db
        .client()
        .await
        .query_one(
            r#"SELECT "position", "link"::text FROM "AuditChain" ORDER BY "position" DESC LIMIT 1"#,
            &[],
        )
        .await
        .expect("head");
    assert_eq!(
        manifest["auditChainHead"]["position"],
        head.get::<_, i64>(0)
    );
    assert_eq!(manifest["auditChainHead"]["link"], head.get::<_, String>(1));
    let bytes = std::fs::read(&dump).expect("dump");
    assert!(bytes.starts_with(b"PGDMP"), "pg_dump's custom format");
    assert_eq!(
        manifest["dumpFile"],
        dump.file_name().expect("name").to_string_lossy().as_ref()
    );
    assert_eq!(manifest["size"], bytes.len() as u64);
    assert_eq!(
        manifest["sha256"],
        cleanstation::auth::sha256_hex(&bytes).as_str()
    );
    let created: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(manifest["createdAt"].clone()).expect("createdAt");
    assert!(
        (chrono::Utc::now() - created).num_minutes() < 5,
        "{created}"
    );
    let before = shown(&config, &source, &builds).await;

    // Into an empty database on the same server, as a central server's owner would.
    let empty = TestDb::empty().await;
    let station = station_url(&empty.owner_url);
    let target = Target::Central {
        station: &station,
        owner: &empty.owner_url,
    };
    let dump_text = dump.display().to_string();
    let o = cli(&config, &target, &["db", "restore", &dump_text]).await;
    let said = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}{said}", text(&o.stderr));
    for line in [
        "as the manifest says; builds: 10.",
        "Schema version",
        "matches the manifest",
        "Result: OK",
    ] {
        assert!(said.contains(line), "{line} in {said}");
    }
    assert_eq!(counts(&empty).await, source_counts, "the same rows");
    let client = empty.client().await;
    cleanstation::db::migrate::check_current(&client)
        .await
        .expect("no migration pending");
    drop(client);
    assert_eq!(
        shown(&config, &target, &builds).await,
        before,
        "every build reads the same"
    );
    let o = cli(&config, &target, &["audit", "verify"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));

    // Into a brand-new embedded cluster: the data_dir does not exist yet.
    let cluster_dir = std::env::temp_dir().join(format!("cs-bk-emb-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cluster_dir);
    std::fs::create_dir_all(&cluster_dir).expect("cluster dir");
    let embedded = Embedded {
        config: config_in(&cluster_dir, Some(&cluster_dir.join("db"))),
        dir: cluster_dir.clone(),
    };
    let o = cli(
        &embedded.config,
        &Target::Embedded,
        &["db", "restore", &dump_text],
    )
    .await;
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stderr),
        text(&o.stdout)
    );
    assert!(
        text(&o.stdout).contains("Result: OK"),
        "{}",
        text(&o.stdout)
    );
    let o = cli(&embedded.config, &Target::Embedded, &["db", "status"]).await;
    assert!(text(&o.stdout).contains("running"), "{}", text(&o.stdout));
    let o = cli(&embedded.config, &Target::Embedded, &["migrate"]).await;
    assert!(
        text(&o.stdout).contains("Schema is current"),
        "nothing to migrate: {}",
        text(&o.stdout)
    );
    assert_eq!(
        shown(&embedded.config, &Target::Embedded, &builds).await,
        before,
        "every build reads the same from the new cluster"
    );
    let o = cli(&embedded.config, &Target::Embedded, &["audit", "verify"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    drop(embedded);
    let _ = std::fs::remove_dir_all(&work);
}

#[tokio::test]
async fn restore_refuses_a_full_database_a_changed_dump_a_newer_schema_and_a_missing_manifest() {
    let db = TestDb::new().await;
    cleanstation::service::seed::seed_demo(&db.owner, &cleanstation::db::Actor::system("test"))
        .await
        .expect("seed");
    let source = Target::Central {
        station: &db.url,
        owner: &db.owner_url,
    };
    let work = scratch("backup-refusals");
    let config = config_in(&work, None);
    let out = work.join("backups");
    std::fs::create_dir(&out).expect("out");

    let missing = work.join("no-such-dir");
    let o = cli(
        &config,
        &source,
        &["db", "backup", "--out", &missing.display().to_string()],
    )
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains(&format!("Directory {} does not exist", missing.display())),
        "{}",
        text(&o.stderr)
    );

    // An embedded cluster that does not exist yet has nothing to back up, and is not created.
    let no_cluster = work.join("no-cluster");
    std::fs::create_dir(&no_cluster).expect("dir");
    let data_dir = no_cluster.join("db");
    let o = cli(
        &config_in(&no_cluster, Some(&data_dir)),
        &Target::Embedded,
        &["db", "backup", "--out", &out.display().to_string()],
    )
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("does not exist yet; there is nothing to back up"),
        "{}",
        text(&o.stderr)
    );
    assert!(!data_dir.exists(), "no cluster made");
    assert_eq!(std::fs::read_dir(&out).expect("out").count(), 0);

    let o = cli(
        &config,
        &source,
        &["db", "backup", "--out", &out.display().to_string()],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let (dir, dump) = the_backup(&out);

    // A database that is not empty: refused, naming what it holds, every row as it was.
    let full = TestDb::new().await;
    cleanstation::service::seed::seed_demo(&full.owner, &cleanstation::db::Actor::system("test"))
        .await
        .expect("seed");
    let before = counts(&full).await;
    let full_station = station_url(&full.owner_url);
    let o = cli(
        &config,
        &Target::Central {
            station: &full_station,
            owner: &full.owner_url,
        },
        &["db", "restore", &dump.display().to_string()],
    )
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!("The database {} ", full.name))
            && err.contains("is not empty: it holds")
            && err.contains("tables (")
            && err.contains("nothing was changed"),
        "{err}"
    );
    assert_eq!(counts(&full).await, before, "nothing changed");

    // Copies of the backup, each spoiled in one way; the empty target stays empty.
    let empty = TestDb::empty().await;
    let empty_station = station_url(&empty.owner_url);
    let target = Target::Central {
        station: &empty_station,
        owner: &empty.owner_url,
    };
    let spoiled = |name: &str, spoil: &dyn Fn(&Path, &Path)| {
        let copy = work.join(name);
        std::fs::create_dir(&copy).expect("copy dir");
        for e in std::fs::read_dir(&dir).expect("dir").flatten() {
            std::fs::copy(e.path(), copy.join(e.file_name())).expect("copy");
        }
        let copied_dump = copy.join(dump.file_name().expect("name"));
        spoil(&copied_dump, &copy.join("manifest.json"));
        copied_dump.display().to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        (
            spoiled("changed", &|d, _| {
                let mut bytes = std::fs::read(d).expect("dump");
                let at = bytes.len() / 2;
                bytes[at] ^= 0x01;
                std::fs::write(d, bytes).expect("write");
            }),
            "does not match its manifest",
        ),
        (
            spoiled("newer", &|_, m| {
                let mut v: Value =
                    serde_json::from_str(&std::fs::read_to_string(m).expect("m")).expect("json");
                v["schemaVersion"] = Value::from(9999);
                std::fs::write(m, v.to_string()).expect("write");
            }),
            "The backup's schema is version 9999, newer than this cleanstation",
        ),
        (
            spoiled("alone", &|_, m| std::fs::remove_file(m).expect("rm")),
            "a dump is restored only with the manifest written beside it",
        ),
    ];
    for (file, message) in cases {
        let o = cli(&config, &target, &["db", "restore", &file]).await;
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{file}: {err}");
        assert!(
            err.contains(message) && err.contains("nothing was restored"),
            "{file}: {err}"
        );
        assert!(
            counts(&empty).await.is_empty(),
            "{file}: the target stays empty"
        );
    }
    let _ = std::fs::remove_dir_all(&work);
}
