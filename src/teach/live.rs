//! Live reload for `build --watch`, with no server: a page opened from a file cannot
//! fetch another file, but it can load a script. In watch mode every page written
//! (`*.html`) gets a small script ([`with_reloader`], `assets/live.js`) that loads
//! `build-stamp.js` from its own folder once a second and reloads the page when the
//! hash that file sets changes; the build writes the stamp ([`stamp`]) after every
//! other file, so a reload finds the new files in place.
//!
//! Pages written without `--watch` do not go through here: they are byte for byte what
//! they were, with no poller, and no stamp is written.

/// The stamp's file name, beside each page.
pub const STAMP: &str = "build-stamp.js";

/// `html` with the reloader inserted just before its last `</body>` (at the end if it
/// has none). Our own script, no data: nothing in it needs escaping.
pub fn with_reloader(html: &[u8]) -> Vec<u8> {
    let script = format!("<script>{}</script>", include_str!("assets/live.js"));
    let at = memchr::memmem::rfind(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The stamp's text: the script that sets `window.policygraphBuild` to the build's
/// content hash, as hexadecimal digits (nothing else reaches the file).
pub fn stamp(hash: u64) -> String {
    format!("window.policygraphBuild = \"{hash:016x}\";\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reloader_goes_before_the_end_of_the_body() {
        let page = with_reloader(b"<html><body><p>x</p></body></html>");
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with("<html><body><p>x</p><script>"), "{page}");
        assert!(page.ends_with("</script></body></html>"), "{page}");
        assert!(page.contains("build-stamp.js?"));
        // The script cannot end its own element early.
        let js = include_str!("assets/live.js");
        assert!(!js.contains("</") && !js.contains("<!--"));
    }

    #[test]
    fn the_stamp_sets_one_global_to_the_hash() {
        assert_eq!(
            stamp(0xabc),
            "window.policygraphBuild = \"0000000000000abc\";\n"
        );
    }
}
