use super::*;
use crate::keymap::Keymap;
use crate::msg::ServiceRequest;
use crate::screens::IdGen;

#[test]
fn new_user_form_validates_then_sends() {
    let mut form = Form::new(vec![
        FormField::text("Username"),
        FormField::text("Full name"),
        FormField::text("Initials"),
        FormField::choice("Role", role_options(), role_index(Role::QcPerson)),
        temp_password_field(),
    ]);
    assert!(validate_new_user(&mut form).is_none());
    assert_eq!(form.focus(), F_USERNAME);
    for (i, v) in [
        (F_USERNAME, "Q.Inspector"),
        (F_FULL_NAME, "Quinn Inspector"),
        (F_INITIALS, "qi"),
        (F_PASSWORD, "temporary-1"),
    ] {
        if let Some(f) = form.field_mut(i) {
            f.set_value(v);
        }
    }
    let user = validate_new_user(&mut form);
    assert_eq!(
        user,
        Some(NewUser {
            username: "q.inspector".into(),
            full_name: "Quinn Inspector".into(),
            initials: "QI".into(),
            role: Role::QcPerson,
            password: "temporary-1".into(),
            must_change_password: true,
        })
    );
}

#[test]
fn open_requests_the_list() {
    let mut ids = IdGen::default();
    let km = Keymap::default();
    let session = crate::domain::session::Session {
        token: "t".into(),
        user: UserSummary {
            id: Uuid::nil(),
            username: "admin".into(),
            full_name: "Ada Admin".into(),
            initials: "AA".into(),
            role: Role::Admin,
            is_active: true,
            last_login_at: None,
            must_change_password: false,
            has_badge: false,
        },
        expires_at: chrono::NaiveDateTime::default(),
    };
    let mut ctx = Ctx::new(&mut ids, Some(&session), &km);
    let (_, cmd) = UsersScreen::open(&mut ctx);
    assert!(matches!(
        cmd,
        Command::Db(ServiceRequest {
            kind: Request::ListUsers { .. },
            ..
        })
    ));
}
