//! Web links made from data: the one check every `url` and `doi` attribute passes before
//! it becomes a link anywhere (the handout's Markdown and HTML, the explorer).
//!
//! - A **URL** is a link only if it parses (the `url` crate, WHATWG rules) as an
//!   absolute `http` or `https` URL with a host and no user name or password, and the
//!   text holds no whitespace and no control or format character. The link is the
//!   parser's serialisation: non-ASCII and unsafe characters percent-encoded, the host
//!   in ASCII, so it never holds a space, `<`, `>`, `"` or a control character and
//!   cannot break out of a Markdown autolink or an HTML attribute.
//! - A **DOI** is a link, `https://doi.org/<doi>`, only if it is well-formed: `10.`,
//!   a registrant code of digits and dots, `/`, and a suffix without whitespace,
//!   control or format characters. A `doi:` or `https://doi.org/` in front is allowed.
//!   The suffix is percent-encoded where a URL path requires (`%`, `#`, `?`, spaces,
//!   quotes, brackets, non-ASCII).
//!
//! Anything else is not a link: pages show it as escaped text ([`Address::Text`]).

use crate::model::{AttrValue, Attrs};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// What a node's `doi` and `url` attributes give a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// A checked `http(s)` link (see the module documentation).
    Link(String),
    /// An address the data gives that is no well-formed web link: shown as text only.
    Text(String),
}

/// Whether a character has no place in an address: whitespace, control characters
/// and invisible format characters (bidi controls, zero-width spaces).
fn forbidden(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// `text` as a checked `http(s)` link, or `None`.
pub fn web_url(text: &str) -> Option<String> {
    if text.is_empty() || text.chars().any(forbidden) {
        return None;
    }
    let url = url::Url::parse(text).ok()?;
    let web = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|h| !h.is_empty())
        && url.username().is_empty()
        && url.password().is_none();
    web.then(|| url.to_string())
}

/// What a DOI's suffix must have percent-encoded in a URL path.
const DOI_SUFFIX: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// A DOI (`10.5334/ijic.5666`, optionally with `doi:` or a doi.org address in front)
/// as its checked `https://doi.org/` link, or `None` when it is not a well-formed DOI.
pub fn doi_url(doi: &str) -> Option<String> {
    let lower = doi.to_ascii_lowercase();
    let skip = [
        "doi:",
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
    ]
    .iter()
    .find(|p| lower.starts_with(**p))
    .map_or(0, |p| p.len());
    let doi = &doi[skip..];
    let (prefix, suffix) = doi.split_once('/')?;
    let registrant = prefix.strip_prefix("10.")?;
    let registrant_ok = !registrant.is_empty()
        && registrant
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !registrant_ok || suffix.is_empty() || suffix.chars().any(forbidden) {
        return None;
    }
    let link = format!(
        "https://doi.org/{prefix}/{}",
        utf8_percent_encode(suffix, DOI_SUFFIX)
    );
    web_url(&link)
}

fn text<'a>(attrs: &'a Attrs, key: &str) -> Option<std::borrow::Cow<'a, str>> {
    match attrs.get(key)? {
        AttrValue::String(s) if s.trim().is_empty() => None,
        AttrValue::String(s) => Some(s.trim().into()),
        AttrValue::Integer(i) => Some(i.to_string().into()),
        AttrValue::Float(f) => Some(f.to_string().into()),
        AttrValue::Bool(b) => Some(b.to_string().into()),
    }
}

/// The address of a record with these attributes: its DOI's link, else its URL's; when
/// neither is a well-formed web link, what the data gives, as text (the URL, else
/// `doi:` and the DOI); `None` when it has neither attribute.
pub fn address(attrs: &Attrs) -> Option<Address> {
    let doi = text(attrs, "doi");
    let url = text(attrs, "url");
    if let Some(link) = doi.as_deref().and_then(doi_url) {
        return Some(Address::Link(link));
    }
    if let Some(link) = url.as_deref().and_then(web_url) {
        return Some(Address::Link(link));
    }
    url.map(|u| u.into_owned())
        .or_else(|| doi.map(|d| format!("doi:{d}")))
        .map(Address::Text)
}

/// The checked link of a record with these attributes, if it has one.
pub fn link(attrs: &Attrs) -> Option<String> {
    match address(attrs)? {
        Address::Link(l) => Some(l),
        Address::Text(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_are_links() {
        for (given, link) in [
            (
                "https://doi.org/10.5334/ijic.5666",
                "https://doi.org/10.5334/ijic.5666",
            ),
            (
                "http://www.nuffieldtrust.org.uk/news-item/x",
                "http://www.nuffieldtrust.org.uk/news-item/x",
            ),
            ("https://example.org", "https://example.org/"),
            (
                "https://example.org/a b".replace(' ', "%20").as_str(),
                "https://example.org/a%20b",
            ),
            (
                "https://exämple.org/ä?q=<x>",
                "https://xn--exmple-cua.org/%C3%A4?q=%3Cx%3E",
            ),
            ("HTTPS://Example.ORG/Path", "https://example.org/Path"),
        ] {
            assert_eq!(web_url(given).as_deref(), Some(link), "{given}");
        }
    }

    #[test]
    fn anything_else_is_not_a_link() {
        for given in [
            "",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "ftp://example.org/x",
            "//example.org/x",
            "/relative/path",
            "example.org",
            "https://example.org/a b",
            " https://example.org/",
            "https://example.org/x\n[x](javascript:alert(1))",
            "https://example.org/x>\n# heading",
            "https://example.org/\t",
            "https://example.org/\u{202e}gpj.exe",
            "https://example.org/\u{200b}",
            "https://user:pw@example.org/",
            "https://google.com@evil.example/",
            "https://",
        ] {
            assert_eq!(web_url(given), None, "{given:?}");
        }
    }

    #[test]
    fn dois_are_checked_and_encoded() {
        for (given, link) in [
            ("10.5334/ijic.5666", "https://doi.org/10.5334/ijic.5666"),
            (
                "doi:10.1111/j.1365-2214.2008.00928.x",
                "https://doi.org/10.1111/j.1365-2214.2008.00928.x",
            ),
            (
                "https://doi.org/10.1332/policypress/9781447330226.003.0009",
                "https://doi.org/10.1332/policypress/9781447330226.003.0009",
            ),
            (
                "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
                "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-0",
            ),
            (
                "10.1000.10/a#b?c%d",
                "https://doi.org/10.1000.10/a%23b%3Fc%25d",
            ),
            ("10.1000/é", "https://doi.org/10.1000/%C3%A9"),
        ] {
            assert_eq!(doi_url(given).as_deref(), Some(link), "{given}");
        }
        for given in [
            "",
            "10.5334",
            "10.5334/",
            "11.5334/x",
            "10./x",
            "10.12a/x",
            "10.1000/a b",
            "10.1000/x\n[x](javascript:alert(1))",
            "10.1000/x\u{202e}",
            "javascript:alert(1)",
            "doi:",
        ] {
            assert_eq!(doi_url(given), None, "{given:?}");
        }
    }

    #[test]
    fn the_doi_wins_then_the_url_then_text() {
        let attrs = |pairs: &[(&str, &str)]| -> Attrs {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), AttrValue::String((*v).to_string())))
                .collect()
        };
        assert_eq!(
            address(&attrs(&[("doi", "10.1/x"), ("url", "https://e.org/")])),
            Some(Address::Link("https://doi.org/10.1/x".into()))
        );
        assert_eq!(
            address(&attrs(&[("doi", "bad doi"), ("url", "https://e.org/")])),
            Some(Address::Link("https://e.org/".into()))
        );
        assert_eq!(
            address(&attrs(&[("doi", "bad doi"), ("url", "javascript:x")])),
            Some(Address::Text("javascript:x".into()))
        );
        assert_eq!(
            address(&attrs(&[("doi", "bad doi")])),
            Some(Address::Text("doi:bad doi".into()))
        );
        assert_eq!(address(&attrs(&[("title", "x")])), None);
        assert_eq!(link(&attrs(&[("url", "javascript:x")])), None);
    }
}
