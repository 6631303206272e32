use super::drafts::{is_blank, store_to_column};
use super::*;
use crate::domain::qc::Answer;

#[test]
fn forms_follow_the_status() {
    assert_eq!(
        form_for_status(OrderStatus::ReadyForPreQc),
        Some((FormType::PreQc, PRE_QC_FORM))
    );
    assert_eq!(
        form_for_status(OrderStatus::ReadyForFinalQc),
        Some((FormType::FinalQc, FINAL_QC_FORM))
    );
    for &s in OrderStatus::ALL {
        if let Some((t, _)) = form_for_status(s) {
            assert_eq!(status_for_form(t), Some(s));
        }
    }
    assert_eq!(form_for_status(OrderStatus::ReadyForProduction), None);
    assert_eq!(status_for_form(FormType::InProcess), None);
}

#[test]
fn only_known_store_to_targets_map_to_columns() {
    assert_eq!(
        store_to_column("BasinConfiguration.drainLocation"),
        Some(r#""drainLocation""#)
    );
    assert_eq!(
        store_to_column("BasinConfiguration.faucetLocation"),
        Some(r#""faucetLocation""#)
    );
    assert_eq!(store_to_column("BasinConfiguration.id"), None);
    assert_eq!(store_to_column(r#"x"; DROP TABLE "User"; --"#), None);
}

#[test]
fn a_blank_answer_is_one_with_nothing_in_it() {
    assert!(is_blank(&Answer::default()));
    assert!(is_blank(&Answer {
        notes: Some("  ".into()),
        ..Answer::default()
    }));
    assert!(!is_blank(&Answer {
        is_na: true,
        ..Answer::default()
    }));
    assert!(!is_blank(&Answer {
        notes: Some("dent".into()),
        ..Answer::default()
    }));
}
