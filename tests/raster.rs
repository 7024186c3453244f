//! PNG and PDF with nothing installed: `render -t png|pdf` and `seminar --pdf` run with
//! an empty PATH (no Graphviz `dot`), and give the same bytes twice.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;

use common::policygraph;

fn no_path(args: &[&str]) -> std::process::Output {
    let out = policygraph().env("PATH", "").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn render_draws_png_and_pdf_without_graphviz() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("lineage.png");
    let args = [
        "render",
        "lineage",
        "--focus",
        "primary care trusts",
        "-o",
        png.to_str().unwrap(),
    ];
    no_path(&args);
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    no_path(&[&args[..], &["--scale", "1"]].concat());
    let small = std::fs::read(&png).unwrap();
    let half = u32::from_be_bytes([small[16], small[17], small[18], small[19]]);
    assert_eq!(width, 2 * half, "--scale 1 is half the default 2");

    let pdf = dir.path().join("critiques.pdf");
    no_path(&["render", "critiques", "-o", pdf.to_str().unwrap()]);
    let first = std::fs::read(&pdf).unwrap();
    assert!(first.starts_with(b"%PDF-"));
    no_path(&["render", "critiques", "-o", pdf.to_str().unwrap()]);
    assert_eq!(first, std::fs::read(&pdf).unwrap(), "the same bytes twice");
}

#[test]
fn a_picture_too_large_fails_with_advice() {
    let out = policygraph()
        .args(["render", "-t", "png", "--scale", "16"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("too large to draw") && stderr.contains("lower --scale"),
        "{stderr}"
    );
}

#[test]
fn the_deck_prints_a_page_per_slide_the_same_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    no_path(&[
        "--data",
        "tests/data/policy",
        "seminar",
        "--pdf",
        "--out",
        d,
    ]);
    let pdf = std::fs::read(dir.path().join("deck.pdf")).unwrap();
    let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let slides = index.matches("<section").count();
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains(&format!("/Type/Pages/Count {slides}/")),
        "a page per slide ({slides})"
    );
    assert_eq!(
        text.matches("/MediaBox[0 0 1440 810]").count(),
        slides,
        "16:9 pages"
    );
    no_path(&[
        "--data",
        "tests/data/policy",
        "seminar",
        "--pdf",
        "--out",
        d,
    ]);
    assert_eq!(pdf, std::fs::read(dir.path().join("deck.pdf")).unwrap());
    // Without --pdf, an earlier deck.pdf is removed: it would not match the deck.
    no_path(&["--data", "tests/data/policy", "seminar", "--out", d]);
    assert!(!dir.path().join("deck.pdf").exists());
}
