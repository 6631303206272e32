use super::*;
use crate::domain::dhr::{NOT_RELEASED, Section, sample};
use crate::export::fixtures::assert_pdf_pages;

#[test]
fn files_are_named_after_po_build_and_utc_export_time() {
    let mut d = sample::record(true);
    d.identification.po_number = "PO 1/2".into();
    let names: Vec<String> = files(&d, DhrFormat::Both)
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(
        names,
        vec![
            "PO_1_2_B-1_DHR_20260304T170000Z.pdf",
            "PO_1_2_B-1_DHR_20260304T170000Z.json"
        ]
    );
    assert_eq!(files(&d, DhrFormat::Json).len(), 1);
    assert!(files(&d, DhrFormat::Pdf)[0].name.ends_with(".pdf"));
    assert_eq!(DhrFormat::parse(" BOTH"), Some(DhrFormat::Both));
    assert_eq!(DhrFormat::parse("csv"), None);
}

#[test]
fn the_json_has_sorted_keys_utc_times_and_a_hash_of_the_rest() {
    let d = sample::record(false);
    let doc = json::document(&d);
    let text = String::from_utf8(doc.bytes.clone()).expect("utf-8");
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("json");
    let keys: Vec<&String> = parsed.as_object().expect("object").keys().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // The file's own key order is sorted too (not only the parsed map's).
    assert!(text.find("\"assignments\"") < text.find("\"bom\""));
    assert_eq!(parsed["exportedAt"], "2026-03-04T17:00:00Z");
    assert_eq!(parsed["released"], false);
    assert_eq!(parsed["exceptions"][0]["reference"], "\u{a7}6 QC result 2");
    let mut rest = parsed.clone();
    let hash = rest
        .as_object_mut()
        .and_then(|m| m.remove("contentSha256"))
        .expect("hash");
    assert_eq!(hash, serde_json::Value::String(json::sha256_of(&rest)));
    assert_eq!(doc.content_sha256.len(), 64);
    // Any change of content changes the hash.
    let mut other = d.clone();
    other.tasks[0].notes = Some("x".into());
    assert_ne!(json::document(&other).content_sha256, doc.content_sha256);
}

#[test]
fn every_page_of_an_unreleased_record_says_so() {
    let d = sample::record(false);
    let hash = json::document(&d).content_sha256;
    let pages = pdf::page_texts(&d, &hash);
    assert!(pages.len() >= 2, "{}", pages.len());
    for (i, p) in pages.iter().enumerate() {
        assert!(p.iter().any(|t| t == NOT_RELEASED), "page {i}: {p:?}");
        assert!(p.iter().any(|t| t == "NOT RELEASED"), "page {i}");
        assert!(
            p.iter()
                .any(|t| t == &format!("Page {} of {}", i + 1, pages.len()))
        );
    }
    let all: String = pages.concat().join("\n");
    for s in Section::ALL {
        assert!(all.contains(&s.heading()), "{}", s.heading());
    }
    assert!(all.contains(&hash), "the hash is printed");
    assert!(all.contains("No nonconformance records"));
    assert_pdf_pages(&pdf::render(&d, &hash), pages.len());
}

#[test]
fn a_released_record_has_no_watermark() {
    let d = sample::record(true);
    let pages = pdf::page_texts(&d, "h");
    let all: Vec<String> = pages.concat();
    assert!(!all.iter().any(|t| t.contains("NOT RELEASED")), "{all:?}");
    assert!(all.iter().any(|t| t == "RELEASED"));
    for q in &d.qc_results {
        assert!(
            all.iter().any(|t| t.contains(&q.manifestation[..40])),
            "{}",
            q.manifestation
        );
    }
}
