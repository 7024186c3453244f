//! Pieces every page shares: the head, inline scripts and styles, and data embedded as
//! JSON. Pages are written with maud, which escapes every interpolated value.

use maud::{Markup, PreEscaped, html as markup};

/// `<head>` with a charset, a viewport, a title and an inline style sheet.
pub fn page_head(title: &str, css: &str) -> Markup {
    markup! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) }
            style { (PreEscaped(css)) }
        }
    }
}

/// An inline script from our own assets (never from data).
pub fn script(js: &str) -> Markup {
    markup! { script { (PreEscaped(js)) } }
}

/// JSON made safe to sit inside `<script type="application/json">`: `<`, `>` and `&`
/// become `\u003c`, `\u003e` and `\u0026` (they can only occur inside JSON strings,
/// where these escapes mean the same), so no `</script>` or `<!--` can end the block,
/// and U+2028 and U+2029 are escaped for older parsers.
pub fn json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A `<script type="application/json" id=...>` block holding `json`.
pub fn data_block(id: &str, json: &str) -> Markup {
    markup! { script type="application/json" id=(id) { (PreEscaped(json_for_script(json))) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_its_script() {
        let raw = serde_json::to_string(&["</script><script>alert(1)</script>", "a&b"]).unwrap();
        let safe = json_for_script(&raw);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: Vec<String> = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, ["</script><script>alert(1)</script>", "a&b"]);
    }
}
