//! What GraphML and GEXF share: text made safe for XML, and the scalar form of a free
//! attribute.
//!
//! quick-xml escapes markup (`<`, `&`, quotes) in every attribute and text it writes;
//! [`clean`] first drops the characters XML 1.0 cannot hold at all (NUL and most other
//! control characters), which no escaping can make legal.

use crate::model::AttrValue;

/// An XML document, indented, with its declaration, written by `body`; the text ends
/// in a newline. Writing to memory cannot fail, so neither can this.
pub fn document(
    body: impl FnOnce(&mut quick_xml::Writer<std::io::Cursor<Vec<u8>>>) -> std::io::Result<()>,
) -> String {
    use quick_xml::events::{BytesDecl, Event};
    let mut w = quick_xml::Writer::new_with_indent(std::io::Cursor::new(Vec::new()), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|()| body(&mut w))
        .unwrap_or_else(|e| unreachable!("writing to memory cannot fail: {e}"));
    let mut text = String::from_utf8(w.into_inner().into_inner())
        .unwrap_or_else(|e| unreachable!("the writer wrote UTF-8: {e}"));
    text.push('\n');
    text
}

/// Text with the characters XML 1.0 forbids removed.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if text.chars().all(allowed) {
        text.into()
    } else {
        text.chars()
            .filter(|&c| allowed(c))
            .collect::<String>()
            .into()
    }
}

/// An XML attribute holding data text: [`clean`]ed and escaped, with line feeds and
/// tabs written as character references, which a reader's attribute-value
/// normalisation would otherwise turn into spaces (quick-xml already writes `\r` so).
pub fn attr<'a>(key: &'a str, value: &str) -> quick_xml::events::attributes::Attribute<'a> {
    let escaped = quick_xml::escape::escape(clean(value).as_ref())
        .replace('\n', "&#10;")
        .replace('\t', "&#9;");
    quick_xml::events::attributes::Attribute {
        key: quick_xml::name::QName(key),
        value: escaped.into(),
    }
}

/// A typed attribute's GraphML type name and text.
pub fn typed(value: &AttrValue) -> (&'static str, String) {
    match value {
        AttrValue::String(s) => ("string", s.clone()),
        AttrValue::Integer(i) => ("long", i.to_string()),
        AttrValue::Float(f) => ("double", f.to_string()),
        AttrValue::Bool(b) => ("boolean", b.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_keep_line_breaks_and_tabs() {
        let a = attr("v", "a\nb\tc\rd \"<&>'");
        assert_eq!(a.value, "a&#10;b&#9;c&#13;d &quot;&lt;&amp;&gt;&apos;");
    }

    #[test]
    fn clean_drops_what_xml_cannot_hold() {
        assert_eq!(clean("a\u{0}b\u{7}c\td\n"), "abc\td\n");
        assert_eq!(clean("<&>"), "<&>", "markup is escaped later, not dropped");
    }
}
