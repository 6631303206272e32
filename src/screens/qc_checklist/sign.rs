//! Signing the result: the dialog with the job id, the outcome, the reason and the signer's password;
//! for a FAIL, then the rejection reasons it names (docs/rejection-reasons.md §2.1).

use super::{Dialog, QcChecklistScreen};
use crate::domain::qc::{
    JOB_ID_MAX, QcOutcome, REASON_MAX, may_pass, validate_job_id, validate_reason,
};
use crate::domain::rejection_reason::REASON_NEEDED;
use crate::msg::{Command, Request, RequestId};
use crate::screens::Ctx;
pub use crate::screens::rejection_reasons::picker::ReasonPicker;
use crate::widgets::form_field::{Form, FormField};

/// The sign dialog's fields.
pub const SIGN_JOB: usize = 0;
pub const SIGN_OUTCOME: usize = 1;
pub const SIGN_REASON: usize = 2;
pub const SIGN_PASSWORD: usize = 3;

pub struct SignDialog {
    pub form: Form,
    pub may_pass: bool,
    pub error: Option<String>,
    pub pending: Option<RequestId>,
    /// The FAIL's reason picker (docs/rejection-reasons.md §2.1).
    pub reasons: ReasonPicker,
}

impl QcChecklistScreen {
    pub(super) fn open_sign(&mut self) {
        let may = may_pass(&self.progress());
        let mut job = FormField::text("Job ID").with_max_len(JOB_ID_MAX);
        job.set_value(&self.job_id);
        let outcomes: Vec<String> = if may {
            vec!["PASS".into(), "FAIL".into()]
        } else {
            vec!["FAIL".into()]
        };
        let mut outcome = FormField::choice("Outcome", outcomes, 0);
        if !may {
            outcome = outcome
                .with_hint("PASS needs every required item answered and none non-conforming");
        }
        let form = Form::new(vec![
            job,
            outcome,
            FormField::text("Reason")
                .with_max_len(REASON_MAX)
                .with_hint("Required for FAIL"),
            FormField::masked("Password").with_hint("Your password signs the result"),
        ])
        .with_input_width(48);
        self.dialog = Some(Dialog::Sign(Box::new(SignDialog {
            form,
            may_pass: may,
            error: None,
            pending: None,
            reasons: ReasonPicker::new(
                self.form
                    .as_ref()
                    .map(|f| f.rejection_reasons.clone())
                    .unwrap_or_default(),
            ),
        })));
        if let Some(Dialog::Sign(d)) = &mut self.dialog
            && validate_job_id(&self.job_id).is_ok()
        {
            d.form.set_focus(SIGN_OUTCOME);
        }
    }

    pub(super) fn sign(&mut self, d: &mut SignDialog, ctx: &mut Ctx) -> Command {
        d.form.clear_errors();
        d.error = None;
        let job = match validate_job_id(&d.form.value(SIGN_JOB)) {
            Ok(j) => Some(j),
            Err(e) => {
                d.form.set_error(SIGN_JOB, e);
                None
            }
        };
        let outcome = if d.form.value(SIGN_OUTCOME) == "PASS" && d.may_pass {
            QcOutcome::Pass
        } else {
            QcOutcome::Fail
        };
        let reason = match outcome {
            QcOutcome::Pass => None,
            QcOutcome::Fail => match validate_reason(Some(&d.form.value(SIGN_REASON))) {
                Ok(r) => Some(r),
                Err(e) => {
                    d.form.set_error(SIGN_REASON, e);
                    None
                }
            },
        };
        let password = d.form.value(SIGN_PASSWORD);
        if password.is_empty() {
            d.form
                .set_error(SIGN_PASSWORD, "Enter your password to sign");
        }
        if let Some(i) = d.form.first_error() {
            d.form.set_focus(i);
            return Command::None;
        }
        // A FAIL names its reasons: the picker opens once the fields are right, and Enter in it signs.
        let rejection_reasons = match outcome {
            QcOutcome::Pass => Vec::new(),
            QcOutcome::Fail if !d.reasons.open => {
                d.reasons.open = true;
                return Command::None;
            }
            QcOutcome::Fail => {
                let ids = d.reasons.picked_ids();
                if ids.is_empty() {
                    d.error = Some(if d.reasons.reasons.is_empty() {
                        "No rejection reason is active; an administrator adds them".into()
                    } else {
                        format!("{REASON_NEEDED}: Space picks one")
                    });
                    return Command::None;
                }
                ids
            }
        };
        let (Some(job), Some(token), Some(f)) = (job, ctx.token(), &self.form) else {
            return Command::None;
        };
        let qc_type = f.header.qc_type;
        let answers = self
            .sheet
            .line_answers(&f.items, &f.lines, 0..self.sheet.answers.len());
        let mut cmd = Command::None;
        if job != self.job_id {
            // The draft keeps the corrected job id even if signing fails.
            self.job_id = job.clone();
            self.job_dirty = true;
            cmd = self.flush(ctx);
        }
        let (id, submit) = ctx.request(Request::SubmitQc {
            token,
            order_id: self.order_id,
            qc_type,
            job_id: job,
            answers,
            outcome,
            reason: if outcome == QcOutcome::Fail {
                reason
            } else {
                None
            },
            password,
            rejection_reasons,
        });
        d.pending = Some(id);
        cmd.and(submit)
    }
}
