//! The review-by-exception summary (docs/dhr.md §3): what a reviewer reads first, each item naming its
//! place in the record.

use super::{DeviceHistoryRecord, Section};
use serde::Serialize;

/// One exception: where it is in the record and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exception {
    pub section: usize,
    /// `§8 Testing form 2, line 3`.
    pub reference: String,
    pub text: String,
}

fn at(section: Section, entry: String, text: String) -> Exception {
    Exception {
        section: section.number(),
        reference: format!("\u{a7}{} {entry}", section.number()),
        text,
    }
}

fn with_reason(head: String, reason: Option<&str>) -> String {
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => format!("{head}: {r}"),
        None => head,
    }
}

fn with_problem(head: String, problem: Option<&str>) -> String {
    match problem {
        Some(p) => format!("{head} ({p})"),
        None => head,
    }
}

/// Every exception of the record in the order of its sections; empty means "No exceptions".
pub fn exceptions(dhr: &DeviceHistoryRecord) -> Vec<Exception> {
    let mut out = Vec::new();

    // §3: a BOM version generated after another version had been approved.
    let approvals: Vec<_> = dhr
        .bom
        .versions
        .iter()
        .filter_map(|v| v.approved_at.map(|a| (v.version, a)))
        .collect();
    for v in &dhr.bom.versions {
        let Some(generated) = v.generated_at else {
            continue;
        };
        if let Some((approved, _)) = approvals
            .iter()
            .filter(|(n, a)| *n != v.version && *a < generated)
            .max_by_key(|(_, a)| *a)
        {
            out.push(at(
                Section::Bom,
                format!("BOM version {}", v.version),
                format!(
                    "BOM regenerated after approval: version {} was generated after version {approved} was approved",
                    v.version
                ),
            ));
        }
    }

    // §6: failed QC results and signatures that do not verify.
    for q in &dhr.qc_results {
        if q.status == "FAIL" {
            out.push(at(
                Section::QcResults,
                format!("QC result {}", q.number),
                with_reason(format!("{} FAIL", q.qc_type), q.notes.as_deref()),
            ));
        }
    }

    // §7: rework and tasks opened again.
    for t in &dhr.tasks {
        if t.rework {
            out.push(at(
                Section::Tasks,
                format!("Task {}", t.number),
                format!("Rework: {}", t.description),
            ));
        }
        if t.reopened > 0 {
            out.push(at(
                Section::Tasks,
                format!("Task {}", t.number),
                format!(
                    "Re-opened after completion ({} time(s)): {}",
                    t.reopened, t.description
                ),
            ));
        }
    }

    // §8: failed forms and each failed line (a measurement out of its limits is a FAIL).
    for f in &dhr.testing_forms {
        if f.status == "FAIL" {
            out.push(at(
                Section::Testing,
                format!("Testing form {}", f.number),
                format!("Testing form FAIL ({})", f.performed_by),
            ));
        }
        for l in f.lines.iter().filter(|l| l.judgement == "FAIL") {
            let mut text = format!("{}: FAIL", l.name);
            if let Some(m) = &l.measurement {
                text.push_str(&format!(", recorded {m}"));
            }
            if let Some(limits) = &l.limits {
                text.push_str(&format!(", limits {limits}"));
            }
            out.push(at(
                Section::Testing,
                format!("Testing form {}, line {}", f.number, l.line),
                text,
            ));
        }
    }

    // §11, §12.
    for n in &dhr.nonconformances {
        out.push(at(
            Section::Nonconformances,
            n.number.clone(),
            format!(
                "Nonconformance {} ({}): {}",
                n.number, n.status, n.description
            ),
        ));
    }
    for (i, o) in dhr.overrides.iter().enumerate() {
        out.push(at(
            Section::Overrides,
            format!("Override {}", i + 1),
            format!(
                "Administrator override {} -> {} by {}: {}",
                o.from.as_deref().unwrap_or("-"),
                o.to.as_deref().unwrap_or("-"),
                o.by,
                o.reason
            ),
        ));
    }

    // §14: signatures whose hash no longer matches the signed record.
    for (i, s) in dhr.signatures.iter().enumerate() {
        if !s.verified {
            out.push(at(
                Section::Signatures,
                format!("Signature {}", i + 1),
                with_problem(
                    format!(
                        "Signature does not verify: {} {} of {}",
                        s.printed_name, s.meaning, s.record
                    ),
                    s.problem.as_deref(),
                ),
            ));
        }
    }
    out
}
