//! The window over a list of 10,000 numbered rows served by a fake keyset server.

use super::*;
use crate::domain::Role;
use crate::domain::order::OrderQuery;
use crate::msg::ServiceRequest;
use crate::screens::testkit::Harness;

const PAGE: usize = 50;
const HELD_PAGES: usize = 6;

/// A row: its id and a name as wide as the id has digits.
#[derive(Debug, Clone, PartialEq)]
struct R(usize);

impl ListRow for R {
    type Id = usize;
    fn row_id(&self) -> usize {
        self.0
    }
}

/// The widest name seen.
#[derive(Default)]
struct Widest(usize);

impl Tally<R> for Widest {
    fn add(&mut self, row: &R) {
        self.0 = self.0.max(row.0.to_string().len());
    }
}

type Window = ListWindow<R, Widest>;

fn ask(_: &Ctx, after: Option<String>) -> Option<Request> {
    Some(Request::ListOrders {
        token: "t".into(),
        query: Box::new(OrderQuery {
            after,
            ..OrderQuery::default()
        }),
    })
}

fn cursor_of(req: &ServiceRequest) -> Option<String> {
    match &req.kind {
        Request::ListOrders { query, .. } => query.after.clone(),
        _ => Some("not a page request".into()),
    }
}

/// The cursor after row `id` ("c<id>"), and the row it names.
fn cursor(id: usize) -> String {
    format!("c{id}")
}

/// A keyset server over rows 0..total, in order: the page after a cursor.
struct Server {
    total: usize,
    /// Rows gone since the first read (a build moved to another view).
    gone: Vec<usize>,
}

impl Server {
    fn new(total: usize) -> Server {
        Server {
            total,
            gone: Vec::new(),
        }
    }

    fn page(&self, after: Option<&str>) -> (Vec<R>, Option<String>) {
        let from = after
            .and_then(|c| c.strip_prefix('c'))
            .and_then(|n| n.parse::<usize>().ok())
            .map_or(0, |n| n + 1);
        let rows: Vec<R> = (from..self.total)
            .filter(|id| !self.gone.contains(id))
            .take(PAGE)
            .map(R)
            .collect();
        let next = rows
            .last()
            .filter(|r| r.0 + 1 < self.total)
            .map(|r| cursor(r.0));
        (rows, next)
    }
}

/// A window, the harness that issues its request ids, and the requests not yet answered.
struct Fixture {
    h: Harness,
    w: Window,
    server: Server,
    sent: Vec<ServiceRequest>,
}

impl Fixture {
    fn new(total: usize) -> Fixture {
        let mut f = Fixture {
            h: Harness::new(Role::Admin),
            w: Window::new(HELD_PAGES),
            server: Server::new(total),
            sent: Vec::new(),
        };
        let w = &mut f.w;
        let (reqs, _) = f.h.run(|ctx| w.reload(ctx, &ask));
        f.sent.extend(reqs);
        f.serve_all();
        f
    }

    fn key(&mut self, action: Action) {
        let w = &mut self.w;
        let (reqs, _) = self.h.run(|ctx| w.step(action, ctx, &ask));
        self.sent.extend(reqs);
    }

    /// Answers `req` with what the server holds now.
    fn answer(&mut self, req: &ServiceRequest) {
        let (rows, next) = self.server.page(cursor_of(req).as_deref());
        self.answer_with(req, rows, next);
    }

    fn answer_with(&mut self, req: &ServiceRequest, rows: Vec<R>, next: Option<String>) {
        let w = &mut self.w;
        let (reqs, _) = self.h.run(|ctx| w.arrived(req.id, rows, next, ctx, &ask));
        self.sent.extend(reqs);
    }

    /// Answers every request sent, and those the answers send, in order.
    fn serve_all(&mut self) {
        while !self.sent.is_empty() {
            let req = self.sent.remove(0);
            self.answer(&req);
        }
    }

    fn take_sent(&mut self) -> Vec<ServiceRequest> {
        std::mem::take(&mut self.sent)
    }

    fn selected_id(&self) -> Option<usize> {
        self.w.selected().map(|r| r.0)
    }
}

/// The first page of a list of `total` rows, with Down on its last row: the second page was asked for.
fn asking_for_page_two(total: usize) -> Fixture {
    let mut f = Fixture::new(total);
    f.key(Action::Last);
    f.key(Action::Down);
    f
}

/// Pages down to the last row of a list of `total` rows, answering as it goes.
fn page_to_the_end(total: usize) -> Fixture {
    let mut f = Fixture::new(total);
    while f.w.len() < total || f.w.selected_index() != Some(total - 1) {
        f.key(Action::PageDown);
        f.serve_all();
        assert!(
            f.w.held() <= HELD_PAGES * PAGE,
            "{} rows held at {} reached",
            f.w.held(),
            f.w.len()
        );
    }
    f
}

#[test]
fn memory_stays_bounded_however_deep_the_user_pages() {
    let f = page_to_the_end(10_000);
    assert_eq!(f.w.len(), 10_000, "every row reached counts");
    assert_eq!(f.w.pages(), 200);
    assert_eq!(f.w.held(), HELD_PAGES * PAGE);
    assert!(
        f.w.ids.len() <= HELD_PAGES * PAGE,
        "the id map is bounded too"
    );
    assert_eq!(f.selected_id(), Some(9_999));
    assert!(!f.w.has_more());
}

#[test]
fn down_on_the_last_row_asks_for_the_next_page_once_and_moves_onto_it() {
    let mut f = Fixture::new(120);
    f.key(Action::Last);
    assert_eq!(f.w.selected_index(), Some(49));
    assert!(f.take_sent().is_empty(), "the last page reached is held");
    f.key(Action::Down);
    f.key(Action::Down);
    let sent = f.take_sent();
    assert_eq!(sent.len(), 1, "one page on its way at a time");
    assert_eq!(cursor_of(&sent[0]), Some(cursor(49)));
    assert!(f.w.loading_more());
    f.answer(&sent[0]);
    assert_eq!(f.w.len(), 100);
    assert_eq!(f.selected_id(), Some(50), "onto the first new row");
}

#[test]
fn moving_back_to_a_page_let_go_asks_for_it_again_by_its_cursor() {
    let mut f = page_to_the_end(1_000);
    // Pages 14-19 (rows 700-999) are held; the selection is on the last row.
    assert!(f.w.row(699).is_none() && f.w.row(700).is_some());
    while f.w.selected_index() >= Some(760) {
        f.key(Action::PageUp);
    }
    assert_eq!(f.w.selected_index(), Some(759));
    let sent = f.take_sent();
    assert!(sent.is_empty(), "still inside the held pages: {sent:?}");
    // Into the first held page: the page before it is asked for ahead of the selection.
    f.key(Action::PageUp);
    assert_eq!(f.w.selected_index(), Some(749));
    let sent = f.take_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        cursor_of(&sent[0]),
        Some(cursor(649)),
        "page 13 is asked for with the cursor after row 649"
    );
    assert_eq!(f.w.row(650), None);
    f.answer(&sent[0]);
    assert_eq!(f.w.row(650), Some(&R(650)));
    assert!(f.w.held() <= HELD_PAGES * PAGE);
    assert_eq!(
        f.w.len(),
        1_000,
        "the count of rows reached does not change"
    );
    assert_eq!(f.selected_id(), Some(749));
}

#[test]
fn home_and_end_reach_pages_let_go_and_show_loading_until_they_arrive() {
    let mut f = page_to_the_end(1_000);
    f.key(Action::First);
    assert_eq!(f.w.selected_index(), Some(0));
    assert!(f.w.selection_loading());
    assert_eq!(f.w.selected(), None);
    let sent = f.take_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(cursor_of(&sent[0]), None, "the first page has no cursor");
    f.answer(&sent[0]);
    assert_eq!(f.w.selected_index(), Some(0), "the selection stayed put");
    assert_eq!(f.selected_id(), Some(0));
    f.serve_all();
    assert!(f.w.row(999).is_none(), "the far end was let go");
    f.key(Action::Last);
    assert_eq!(f.w.selected_index(), Some(999));
    let sent = f.take_sent();
    assert_eq!(cursor_of(&sent[0]), Some(cursor(949)));
    f.answer(&sent[0]);
    assert_eq!(f.selected_id(), Some(999));
}

#[test]
fn a_row_that_moved_between_pages_shows_once() {
    let mut f = asking_for_page_two(200);
    let sent = f.take_sent();
    // Row 30 moved down while paging: the next page carries it again.
    let (mut rows, next) = f.server.page(Some(&cursor(49)));
    rows.insert(3, R(30));
    f.answer_with(&sent[0], rows, next);
    assert_eq!(f.w.len(), 100);
    let ids: Vec<usize> = (0..100).filter_map(|i| f.w.row(i)).map(|r| r.0).collect();
    assert_eq!(ids, (0..100).collect::<Vec<_>>());
}

#[test]
fn the_highlight_stays_on_its_row_when_a_page_before_it_changes() {
    let mut f = page_to_the_end(1_000);
    // Row 640 is gone from the server by the time page 12 is asked for again.
    f.server.gone.push(640);
    while f.w.selected_index() > Some(700) {
        f.key(Action::PageUp);
        f.serve_all();
    }
    // PgUp from row 709 landed on row 699 (build 699), in page 13; page 12 was asked for beside it and
    // came back one row shorter: the rows after it are renumbered and the highlight moved with its row.
    assert_eq!(f.selected_id(), Some(699));
    assert_eq!(f.w.selected_index(), Some(698));
    assert_eq!(f.w.row(698), Some(&R(699)));
    assert_eq!(f.w.row(640), Some(&R(641)));
    assert_eq!(f.w.len(), 999);
    assert!(f.w.held() <= HELD_PAGES * PAGE);
    f.key(Action::Up);
    f.serve_all();
    assert_eq!(f.selected_id(), Some(698));
}

#[test]
fn a_page_arriving_again_keeps_the_selected_row_by_id() {
    let mut f = asking_for_page_two(200);
    f.serve_all();
    f.key(Action::Down);
    f.key(Action::Down);
    assert_eq!(f.selected_id(), Some(52));
    // Page 0 arrives again with two rows fewer: row 52 is now row number 50.
    f.server.gone.extend([3, 4]);
    let sent = {
        let w = &mut f.w;
        let p = 0;
        let (reqs, _) = f.h.run(|ctx| {
            w.again.clear();
            let req = ask(ctx, None).map(|r| w.again.begin(ctx, r, p));
            req.unwrap_or(Command::None)
        });
        reqs
    };
    f.answer(&sent[0]);
    assert_eq!(f.w.selected_index(), Some(50));
    assert_eq!(f.selected_id(), Some(52));
    assert_eq!(f.w.len(), 98);
}

#[test]
fn stale_replies_are_dropped() {
    // A reload supersedes the page still on its way, and a second reload the first.
    let mut f = asking_for_page_two(500);
    let more = f.take_sent();
    let w = &mut f.w;
    let (first, _) = f.h.run(|ctx| w.reload(ctx, &ask));
    let w = &mut f.w;
    let (second, _) = f.h.run(|ctx| w.reload(ctx, &ask));
    assert!(!f.w.waits_for(more[0].id) && !f.w.waits_for(first[0].id));
    f.answer_with(&more[0], vec![R(7_000)], None);
    f.answer_with(&first[0], vec![R(8_000)], None);
    assert_eq!(f.w.len(), 50, "neither stale page changed the list");
    assert!(f.w.has_more());
    f.answer_with(&second[0], vec![R(9_000)], None);
    assert_eq!(f.w.len(), 1);
    assert_eq!(f.selected_id(), Some(9_000));
}

#[test]
fn a_superseded_page_asked_again_is_dropped() {
    let mut f = page_to_the_end(1_000);
    f.key(Action::First);
    let to_first = f.take_sent();
    assert_eq!(cursor_of(&to_first[0]), None);
    // On to page 1 before page 0 came: the selection's page supersedes.
    for _ in 0..5 {
        f.key(Action::PageDown);
    }
    assert_eq!(f.w.selected_index(), Some(50));
    let to_second = f.take_sent();
    assert_eq!(to_second.len(), 1);
    assert_eq!(cursor_of(&to_second[0]), Some(cursor(49)));
    f.answer(&to_first[0]);
    assert!(f.w.row(0).is_none(), "page 0 is no longer waited for");
    f.answer(&to_second[0]);
    assert_eq!(f.selected_id(), Some(50));
}

#[test]
fn reload_selects_the_same_row_and_starts_the_figures_over() {
    let mut f = asking_for_page_two(2_000);
    f.serve_all();
    assert_eq!(f.w.figures().0, 2, "rows 0-99: two digits at most");
    f.key(Action::Up);
    assert_eq!(f.selected_id(), Some(49));
    let w = &mut f.w;
    let (sent, _) = f.h.run(|ctx| w.reload(ctx, &ask));
    assert!(f.w.loading_first());
    // The reload's first page starts at row 40: row 49 is now the tenth.
    let rows: Vec<R> = (40..90).map(R).collect();
    f.answer_with(&sent[0], rows, Some(cursor(89)));
    assert_eq!(f.w.selected_index(), Some(9));
    assert_eq!(f.selected_id(), Some(49));
    assert_eq!(f.w.len(), 50);
    assert_eq!(f.w.figures().0, 2);
    let w = &mut f.w;
    let (sent, _) = f.h.run(|ctx| w.reload(ctx, &ask));
    f.answer_with(&sent[0], vec![R(1_500)], None);
    assert_eq!(f.w.figures().0, 4, "over the rows since the reload");
}

#[test]
fn an_empty_list_has_no_selection_and_keys_ask_nothing() {
    let mut f = Fixture::new(0);
    assert!(f.w.loaded() && f.w.is_empty());
    assert_eq!(f.w.selected_index(), None);
    f.key(Action::Down);
    f.key(Action::Last);
    assert!(f.take_sent().is_empty());
    assert_eq!(f.w.visible(10), 0..0);
}

#[test]
fn a_patched_row_is_replaced_where_it_stands_and_the_selection_stays() {
    let mut f = Fixture::new(120);
    for _ in 0..5 {
        f.key(Action::Down);
    }
    assert_eq!(f.selected_id(), Some(5));
    // Row 3 changed and still belongs; row 999 is not in the list at all.
    let outside = f.w.patch(&[3, 999], vec![R(3)]);
    assert_eq!(outside, 0);
    assert_eq!(f.w.len(), 50);
    assert_eq!(f.selected_id(), Some(5));
    assert_eq!(f.w.selected_index(), Some(5));
    assert!(f.take_sent().is_empty(), "a patch asks for no page");
}

#[test]
fn a_row_that_left_the_list_is_taken_out_and_the_rows_after_it_move_up() {
    let mut f = Fixture::new(120);
    f.key(Action::Last);
    f.key(Action::Down);
    f.serve_all();
    assert_eq!(f.w.len(), 100);
    for _ in 0..3 {
        f.key(Action::Down);
    }
    assert_eq!(f.selected_id(), Some(53));
    // Row 10 (page one) moved on to another status: gone from this list.
    assert_eq!(f.w.patch(&[10], vec![]), 0);
    assert_eq!(f.w.len(), 99);
    assert_eq!(f.selected_id(), Some(53), "the selection stays on its row");
    assert_eq!(f.w.selected_index(), Some(52));
    assert!(!f.w.holds(&10));
    // The selected row itself goes: the selection rests on the row that took its place.
    assert_eq!(f.w.patch(&[53], vec![]), 0);
    assert_eq!(f.selected_id(), Some(54));
}

#[test]
fn a_row_that_now_belongs_but_is_not_held_is_counted_for_the_next_reload() {
    let mut f = Fixture::new(120);
    assert_eq!(f.w.patch(&[500, 501], vec![R(500)]), 1);
    assert!(!f.w.holds(&500));
    assert_eq!(f.w.len(), 50);
}
