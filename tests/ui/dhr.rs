//! The build detail's `D`: the device history record written, and the toast or the message that says
//! so, into `screens/order_detail/`.

use crate::order_queue::{detail_as, ready_for_ship};
use cleanstation::domain::Role;
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use std::path::PathBuf;

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("order_detail", state, description, text);
}

#[test]
fn d_writes_the_device_history_record_and_says_where() {
    let build = ready_for_ship();
    let order_id = build.id;
    let mut d = detail_as(Role::QcPerson, Theme::ansi(), build);
    d.key(KeyCode::Char('D'));
    let req = d
        .take(|r| matches!(r, Request::ExportDhr { .. }))
        .expect("D asks for the record");
    assert!(
        matches!(&req.kind, Request::ExportDhr { order_id: o, dir, .. } if *o == order_id && dir.is_empty()),
        "{:?}",
        req.kind
    );
    // A second D while the first is on its way sends nothing.
    d.key(KeyCode::Char('D'));
    assert!(d.take(|r| matches!(r, Request::ExportDhr { .. })).is_none());
    d.reply(
        &req,
        Ok(Reply::Exported(vec![
            PathBuf::from("/srv/exports/4500031_24-0131_DHR_20260312T170000Z.pdf"),
            PathBuf::from("/srv/exports/4500031_24-0131_DHR_20260312T170000Z.json"),
        ])),
    );
    let screen = d.render(80, 24);
    assert!(
        screen
            .contains("DHR written: /srv/exports/4500031_24-0131_DHR_20260312T170000Z.{pdf,json}"),
        "{screen}"
    );
    snap(
        "dhr_written",
        "D on the build detail: the record's PDF and JSON written into the station's export directory, \
         the toast naming both files",
        &screen,
    );

    // A directory that cannot be written: the reason stays on the screen.
    let mut d = detail_as(Role::QcPerson, Theme::ansi(), ready_for_ship());
    d.key(KeyCode::Char('D'));
    let req = d
        .take(|r| matches!(r, Request::ExportDhr { .. }))
        .expect("D");
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "Cannot write 4500031_24-0131_DHR_20260312T170000Z.pdf in /srv/exports: Permission denied (os error 13)"
                .into(),
        )),
    );
    let screen = d.render(80, 24);
    assert!(
        screen.contains("Device history record not written"),
        "{screen}"
    );
    snap(
        "dhr_not_written",
        "D when the export directory cannot be written: the reason on the screen; nothing was written",
        &screen,
    );
}
