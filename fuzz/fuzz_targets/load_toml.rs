//! Any bytes as a TOML collection: load, build, check (lenient and strict), draw every
//! problem, and on clean data write every export of every standard view.

#![no_main]

use libfuzzer_sys::fuzz_target;
use policygraph::load::toml_text;
use policygraph::open::finish;

#[path = "common.rs"]
mod common;

fuzz_target!(|bytes: &[u8]| {
    // The file loader turns bytes that are not UTF-8 into an encoding error before
    // parsing; the TOML parser itself sees only text.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let opened = finish(toml_text("fuzz.toml", text), false);
    common::draw_problems(&opened);
    if opened.errors() == 0 {
        common::export_everything(&opened);
    }
    let strict = finish(toml_text("fuzz.toml", text), true);
    common::draw_problems(&strict);
});
