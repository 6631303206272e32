use super::*;
use crate::export::fixtures::{assert_pdf_pages, doc, item};

fn at() -> NaiveDateTime {
    crate::export::fixtures::at(9, 30, 0)
}

fn big_doc(top: usize) -> BomDocument {
    let mut d = doc("PO-1001", "B-1", 2);
    for t in 0..top {
        let parent = d.items.len();
        d.items.push(item(
            None,
            0,
            &format!("T2-KIT-{t}"),
            &format!(
                "KIT NUMBER {t} WITH A RATHER LONG DESCRIPTIVE NAME THAT MUST WRAP ONTO MORE LINES"
            ),
            1,
        ));
        for c in 0..4 {
            d.items.push(item(
                Some(parent),
                1,
                &format!("P-{c}"),
                &format!("PART {c}"),
                2,
            ));
        }
    }
    d
}

#[test]
fn wrapping_keeps_every_line_inside_the_width() {
    let m = Metrics::new();
    let text = "CUSTOM PEGBOARD, 80\"W X 30\"L, SOLID, BLUE and a few more words to wrap";
    let lines = m.wrap(text, false, BODY_SIZE, 90.0, 10);
    assert!(lines.len() > 1, "{lines:?}");
    for l in &lines {
        assert!(m.width(l, false, BODY_SIZE) <= 90.0, "{l:?} is too wide");
    }
    assert_eq!(lines.join(" "), text);
    let cut = m.wrap(text, false, BODY_SIZE, 60.0, 2);
    assert_eq!(cut.len(), 2);
    assert!(cut[1].ends_with("..."), "{cut:?}");
}

#[test]
fn a_long_id_without_spaces_is_broken_at_hyphens() {
    let m = Metrics::new();
    let lines = m.wrap("T2-ADW-PB-12036-WHITE-SOLID-KIT", true, BODY_SIZE, 80.0, 4);
    assert!(lines.len() > 1);
    assert!(lines[0].ends_with('-'), "{lines:?}");
    assert_eq!(lines.concat(), "T2-ADW-PB-12036-WHITE-SOLID-KIT");
}

#[test]
fn primes_become_quotes_the_fonts_can_print() {
    assert_eq!(printable("1/2\u{2033} PEX, 3\u{2032}"), "1/2\" PEX, 3'");
}

#[test]
fn widths_follow_the_glyphs() {
    let m = Metrics::new();
    assert!(m.width("WWWW", false, 10.0) > m.width("iiii", false, 10.0));
    assert!(m.width("ABC", true, 10.0) >= m.width("ABC", false, 10.0));
}

#[test]
fn every_page_has_its_number_and_the_rows_all_appear_once() {
    let d = big_doc(40);
    let texts = page_texts(&d, at());
    let n = texts.len();
    assert!(n >= 3, "expected several pages, got {n}");
    for (i, page) in texts.iter().enumerate() {
        let label = format!("Page {} of {n}", i + 1);
        assert!(page.contains(&label), "page {} lacks {label}", i + 1);
        // The table header repeats on every page that continues a table.
        if i > 0 {
            assert!(
                page.iter().any(|t| t == "Item ID"),
                "page {} has no header",
                i + 1
            );
        }
    }
    let all: Vec<&String> = texts.iter().flatten().collect();
    for t in 0..40 {
        let id = format!("T2-KIT-{t}");
        assert_eq!(all.iter().filter(|s| ***s == id).count(), 1, "{id}");
    }
    assert!(all.iter().any(|s| *s == "PO-1001"));
    assert!(all.iter().any(|s| *s == "B-1"));
}

#[test]
fn the_file_is_a_pdf_with_one_page_object_per_page() {
    let d = big_doc(40);
    let n = page_texts(&d, at()).len();
    let bytes = render(&d, at());
    assert_pdf_pages(&bytes, n);
}

#[test]
fn an_approved_version_prints_its_approval_signature() {
    let mut d = big_doc(1);
    let signed = "Priya Natarajan | APPROVED | 2026-03-04T05:06:07Z | sha256:ab12";
    d.approval = Some(signed.into());
    let first = page_texts(&d, at()).into_iter().next().unwrap_or_default();
    assert!(first.iter().any(|t| t == "Approval signature"), "{first:?}");
    assert!(first.iter().any(|t| t.contains(signed)), "{first:?}");
    let unsigned = page_texts(&big_doc(1), at());
    assert!(!unsigned.concat().iter().any(|t| t.contains("APPROVED |")));
}
