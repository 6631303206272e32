//! The audit trail on screen (docs/audit.md §7): a build's history (its changes only, newest first,
//! field old → new, filtered by field and person, paged by seq), the administrator's audit log (filters,
//! CSV export, verify) and who may read them.

use crate::floor::{Floor, conforming_qc};
use crate::qc::edrain_build;
use cleanstation::domain::Role;
use cleanstation::domain::audit_trail::{
    self, AuditEntry, AuditPage, BuildHistory, HistoryQuery, LogFilter, LogQuery, PersonFilter,
    VerifyOutcome,
};
use cleanstation::domain::order::OrderStatus;
use cleanstation::domain::tasks::TaskCompletion;
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::ServiceCtx;
use cleanstation::service::tasks::{complete_task, task_list};
use uuid::Uuid;

use OrderStatus as S;

impl Floor {
    async fn history_page(
        &self,
        role: Role,
        id: Uuid,
        query: HistoryQuery,
    ) -> Result<BuildHistory, ServiceError> {
        self.send(Request::BuildHistory {
            token: self.token(role),
            order_id: id,
            query,
        })
        .await
        .map(|r| match r {
            Reply::BuildHistory(h) => *h,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    /// Every row of the build's history matching `field` and `person`, page after page.
    async fn history(&self, id: Uuid, field: &str, person: PersonFilter) -> Vec<AuditEntry> {
        let mut all: Vec<AuditEntry> = Vec::new();
        loop {
            let h = self
                .history_page(
                    Role::QcPerson,
                    id,
                    HistoryQuery {
                        field: field.into(),
                        person: person.clone(),
                        before: all.last().map(|e| e.seq),
                        limit: 200,
                    },
                )
                .await
                .expect("history");
            all.extend(h.page.entries);
            if !h.page.more {
                return all;
            }
        }
    }

    async fn log_as(&self, role: Role, filter: LogFilter) -> Result<AuditPage, ServiceError> {
        self.send(Request::AuditLog {
            token: self.token(role),
            query: LogQuery {
                filter,
                before: None,
                limit: 200,
            },
        })
        .await
        .map(|r| match r {
            Reply::AuditLog(p) => *p,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    async fn log(&self, filter: LogFilter) -> Vec<AuditEntry> {
        self.log_as(Role::Admin, filter).await.expect("log").entries
    }

    /// A one-build PO whose configuration the coordinator then edits (sink length 72 → 84, BOM v2),
    /// approved and taken to READY_FOR_PRE_QC by procurement.
    async fn edited_build_at_pre_qc(&self, po: &str, number: &str) -> Uuid {
        let mut b = edrain_build(number, 2);
        let id = self.create_build(po, b.clone()).await;
        b.sink_length = 84;
        self.send(Request::UpdateBuild {
            token: self.token(Role::ProductionCoordinator),
            order_id: id,
            build: Box::new(b),
        })
        .await
        .expect("configuration edited");
        self.send(Request::ApproveBom {
            token: self.token(Role::ProcurementSpecialist),
            order_id: id,
            version: 2,
            password: cleanstation::service::seed::DEMO_PASSWORD.into(),
        })
        .await
        .expect("BOM v2 approved");
        for (from, to) in [
            (S::OrderCreated, S::PartsSent),
            (S::PartsSent, S::ReadyForPreQc),
        ] {
            self.transition(Role::ProcurementSpecialist, id, from, to)
                .await
                .expect("procurement move");
        }
        id
    }
}

fn change(e: &AuditEntry, field: &str) -> Option<audit_trail::FieldChange> {
    audit_trail::changes(e)
        .into_iter()
        .find(|c| c.field == field)
}

/// The position (newest first) of the first row `pred` accepts.
fn position(entries: &[AuditEntry], what: &str, pred: impl Fn(&AuditEntry) -> bool) -> usize {
    entries
        .iter()
        .position(pred)
        .unwrap_or_else(|| panic!("no row for {what} in {entries:#?}"))
}

#[tokio::test]
async fn a_builds_history_holds_its_changes_newest_first_and_nothing_of_another_build() {
    let env = Floor::new().await;
    let id = env.edited_build_at_pre_qc("PO-HIST-1", "HIST-1").await;
    let other = env
        .create_build("PO-HIST-2", edrain_build("HIST-2", 1))
        .await;
    // A QC draft with one answer, then the Pre-QC passed (the task list is generated).
    let form = env.form(id).await;
    let answers = conforming_qc(&form);
    env.save_as(
        &env.token(Role::QcPerson),
        id,
        "JOB-H",
        answers[..1].to_vec(),
    )
    .await
    .expect("draft saved");
    env.pass_pre_qc(id).await;
    let list = task_list(&env.ctx, &env.token(Role::Assembler), id)
        .await
        .expect("tasks");
    let task = list
        .tasks
        .iter()
        .find(|t| t.options.is_empty())
        .expect("a plain task");
    complete_task(
        &env.ctx,
        &env.token(Role::Assembler),
        task.id,
        TaskCompletion::default(),
    )
    .await
    .expect("task completed");

    let h = env.history(id, "", PersonFilter::Anyone).await;
    assert!(
        h.windows(2).all(|w| w[0].seq > w[1].seq),
        "newest first: {:?}",
        h.iter().map(|e| e.seq).collect::<Vec<_>>()
    );
    let edit = position(&h, "the configuration edit", |e| {
        e.table == "ProductionOrder"
            && e.action == "UPDATE"
            && change(e, "sinkLength")
                .is_some_and(|c| (c.old.as_deref(), c.new.as_deref()) == (Some("72"), Some("84")))
    });
    assert_eq!(audit_trail::who(&h[edit]), "Dana Reyes");
    assert_eq!(audit_trail::station(&h[edit]), "station:test");
    assert_eq!(audit_trail::record_name(&h[edit]), "Build HIST-1");
    assert!(
        audit_trail::summary(&h[edit]).contains("sinkLength: 72 → 84"),
        "{}",
        audit_trail::summary(&h[edit])
    );
    let bom = position(&h, "a line of BOM v2", |e| {
        e.table == "BOMItem" && e.action == "INSERT" && e.bom_version == Some(2)
    });
    assert!(audit_trail::record_name(&h[bom]).starts_with("BOM v2 item "));
    let answer = position(&h, "the QC draft answer", |e| {
        e.table == "QCItemResult" && e.action == "INSERT"
    });
    assert_eq!(audit_trail::who(&h[answer]), "Tom Becker");
    let done = position(&h, "the task completion", |e| {
        e.table == "Task"
            && e.action == "UPDATE"
            && e.entity == task.id.to_string()
            && change(e, "isCompleted").is_some_and(|c| {
                (c.old.as_deref(), c.new.as_deref()) == (Some("false"), Some("true"))
            })
    });
    assert_eq!(
        audit_trail::record_name(&h[done]),
        format!("Task {}", task.sequence)
    );
    assert_eq!(audit_trail::who(&h[done]), "Luis Ortega");
    assert!(
        done < answer && answer < bom && bom < edit,
        "newest first: task {done}, answer {answer}, BOM {bom}, edit {edit}"
    );
    // The other build's rows are its own.
    let o = env.history(other, "", PersonFilter::Anyone).await;
    assert!(
        o.iter()
            .any(|e| e.table == "ProductionOrder" && e.action == "INSERT")
    );
    assert!(
        o.iter().all(|e| h.iter().all(|x| x.seq != e.seq)),
        "no row is in both histories"
    );
    for e in &h {
        if e.table == "ProductionOrder" {
            assert_eq!(e.entity, id.to_string(), "{e:?}");
        }
        let image = e.new.as_ref().or(e.old.as_ref());
        if let Some(order) = image.and_then(|i| i.get("orderId")) {
            assert_eq!(order.as_str(), Some(id.to_string().as_str()), "{e:?}");
        }
    }
}

#[tokio::test]
async fn the_history_filters_by_field_and_person_and_pages_by_seq() {
    let env = Floor::new().await;
    let id = env.edited_build_at_pre_qc("PO-HIST-3", "HIST-3").await;
    let all = env.history(id, "", PersonFilter::Anyone).await;
    assert!(all.len() > 12, "enough rows to page through: {}", all.len());

    let by_field = env.history(id, "SINKLENGTH", PersonFilter::Anyone).await;
    assert!(!by_field.is_empty());
    assert!(
        by_field.iter().all(|e| audit_trail::changes(e)
            .iter()
            .any(|c| c.field == "sinkLength")),
        "{by_field:#?}"
    );
    assert!(by_field.len() < all.len());

    let first = env
        .history_page(
            Role::Assembler,
            id,
            HistoryQuery {
                limit: 5,
                ..HistoryQuery::default()
            },
        )
        .await
        .expect("first page");
    let people = first.people.expect("the newest page names the people");
    let names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
    assert!(
        names.contains(&"Dana Reyes") && names.contains(&"Priya Shah"),
        "{names:?}"
    );
    let priya = people
        .iter()
        .find(|p| p.name == "Priya Shah")
        .expect("procurement");
    let hers = env.history(id, "", priya.filter()).await;
    assert!(!hers.is_empty());
    assert!(
        hers.iter()
            .all(|e| e.user_id == Some(env.id(Role::ProcurementSpecialist)))
    );
    let named = env
        .history(id, "", PersonFilter::Named("priya".into()))
        .await;
    assert_eq!(named, hers, "typing a name finds the same rows");
    // The filters combine: her status moves, and none of the coordinator's edit.
    let moves = env.history(id, "orderStatus", priya.filter()).await;
    assert!(!moves.is_empty() && moves.len() < hers.len(), "{moves:#?}");
    assert!(moves.iter().all(|e| {
        e.user_id == Some(env.id(Role::ProcurementSpecialist)) && change(e, "orderStatus").is_some()
    }));
    assert!(
        env.history(id, "sinkLength", priya.filter())
            .await
            .is_empty()
    );

    // Pages of five: disjoint, consecutive, and together the whole history.
    let mut pages = vec![first.page];
    while pages.last().is_some_and(|p| p.more) {
        let before = pages.last().and_then(|p| p.entries.last()).map(|e| e.seq);
        let next = env
            .history_page(
                Role::Assembler,
                id,
                HistoryQuery {
                    before,
                    limit: 5,
                    ..HistoryQuery::default()
                },
            )
            .await
            .expect("next page");
        assert!(
            next.people.is_none(),
            "only the newest page names the people"
        );
        pages.push(next.page);
    }
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert!(
        pages
            .iter()
            .all(|p| !p.entries.is_empty() && p.entries.len() <= 5)
    );
    let joined: Vec<i64> = pages
        .iter()
        .flat_map(|p| p.entries.iter().map(|e| e.seq))
        .collect();
    let whole: Vec<i64> = all.iter().map(|e| e.seq).collect();
    assert_eq!(
        joined, whole,
        "consecutive pages make the history, each row once"
    );
}

#[tokio::test]
async fn the_audit_log_filters_exports_and_verifies_for_admin_only() {
    let env = Floor::new().await;
    let id = env.create_build("PO-LOG-1", edrain_build("LOG-1", 1)).await;
    // A station whose configured name looks like a formula saves a wizard draft.
    let odd = ServiceCtx {
        agent: "=HYPERLINK(\"http://x\")".into(),
        ..env.ctx.clone()
    };
    cleanstation::service::dispatch(
        &odd,
        cleanstation::msg::ServiceRequest {
            id: cleanstation::msg::RequestId(1),
            kind: Request::SaveDraft {
                token: env.token(Role::ProductionCoordinator),
                draft: serde_json::json!({"step": 2}),
            },
        },
    )
    .await
    .result
    .expect("draft saved");

    let f = |user: &str, table: &str, action: &str, entity: &str| LogFilter {
        user: user.into(),
        table: table.into(),
        action: action.into(),
        entity: entity.into(),
        ..LogFilter::default()
    };
    let dana = env.log(f("dana", "", "", "")).await;
    assert!(!dana.is_empty());
    assert!(
        dana.iter()
            .all(|e| e.user_name.as_deref() == Some("Dana Reyes"))
    );
    let unattributed = env.log(f("unattributed", "", "", "")).await;
    assert!(!unattributed.is_empty(), "the seed has no session");
    assert!(unattributed.iter().all(|e| e.user_id.is_none()));
    let orders = env.log(f("", "productionorder", "INSERT", "")).await;
    assert!(orders.iter().any(|e| e.entity == id.to_string()));
    assert!(
        orders
            .iter()
            .all(|e| e.table == "ProductionOrder" && e.action == "INSERT")
    );
    let one = env.log(f("", "", "", &id.to_string())).await;
    assert!(!one.is_empty());
    assert!(one.iter().all(|e| e.entity == id.to_string()));
    let today: chrono::NaiveDate = env
        .db
        .client()
        .await
        .query_one("SELECT CURRENT_DATE", &[])
        .await
        .expect("today")
        .get(0);
    let day = |from, to| LogFilter {
        entity: id.to_string(),
        from: Some(from),
        to: Some(to),
        ..LogFilter::default()
    };
    assert_eq!(
        env.log(day(today, today)).await,
        one,
        "today holds them all"
    );
    let long_ago = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
    assert!(env.log(day(long_ago, long_ago)).await.is_empty());

    // The export of one table: the station's formula is neutralised.
    let dir = std::env::temp_dir().join(format!("cs-audit-export-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let export = |filter: LogFilter| {
        env.send(Request::ExportAuditLog {
            token: env.token(Role::Admin),
            filter,
            dir: dir.display().to_string(),
        })
    };
    let paths = match export(f("", "OrderDraft", "", "")).await.expect("exported") {
        Reply::Exported(p) => p,
        other => panic!("unexpected reply {other:?}"),
    };
    assert_eq!(paths.len(), 1);
    let text = std::fs::read_to_string(&paths[0]).expect("csv");
    assert!(text.starts_with("\u{feff}Seq,Time,User,Station,Action,Table,Entity,Record,Changes"));
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(
        !text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"),
        "{text}"
    );
    assert!(text.contains(",Dana Reyes,"), "{text}");
    // Everything: more rows than one page of the export, each once.
    let total = env.count(r#"SELECT count(*) FROM "AuditLog""#, &[]).await;
    assert!(total > 500, "{total}");
    let paths = match export(LogFilter::default()).await.expect("exported") {
        Reply::Exported(p) => p,
        other => panic!("unexpected reply {other:?}"),
    };
    let text = std::fs::read_to_string(&paths[0]).expect("csv");
    assert_eq!(
        text.lines().count() as i64,
        total + 1,
        "a header and every row"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("listing")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left");
    let _ = std::fs::remove_dir_all(&dir);

    let verified = match env
        .send(Request::VerifyAudit {
            token: env.token(Role::Admin),
        })
        .await
        .expect("verified")
    {
        Reply::AuditVerified(v) => *v,
        other => panic!("unexpected reply {other:?}"),
    };
    let VerifyOutcome { head, links, .. } = &verified;
    assert!(verified.ok(), "{:?}", verified.problems);
    assert!(*links >= total, "{links} links for {total} rows");
    assert!(
        head.as_ref()
            .is_some_and(|(p, l)| *p >= total && l.len() == 64)
    );

    // Everyone else is refused, and the service department sees no build's history.
    for role in [
        Role::ProductionCoordinator,
        Role::ProcurementSpecialist,
        Role::QcPerson,
        Role::Assembler,
        Role::ServiceDepartment,
    ] {
        let refused = format!("Your role ({role}) cannot see the audit log");
        let e = env
            .log_as(role, LogFilter::default())
            .await
            .expect_err("refused");
        assert_eq!(e.user_message(), refused);
        for req in [
            Request::VerifyAudit {
                token: env.token(role),
            },
            Request::ExportAuditLog {
                token: env.token(role),
                filter: LogFilter::default(),
                dir: std::env::temp_dir().display().to_string(),
            },
        ] {
            assert_eq!(
                env.send(req).await.expect_err("refused").user_message(),
                refused
            );
        }
    }
    let e = env
        .history_page(Role::ServiceDepartment, id, HistoryQuery::default())
        .await
        .expect_err("refused");
    assert_eq!(
        e.user_message(),
        "Your role (SERVICE_DEPARTMENT) cannot view production orders"
    );
}
