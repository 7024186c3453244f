//! legislation.gov.uk CLML (Crown Legislation Markup Language) XML: the metadata of an
//! Act, read into one [`Record`] of a `legislation` node.
//!
//! Read from `ukm:Metadata` (namespaces resolved, so any prefix works): `dc:title`, the
//! first `dc:identifier` on legislation.gov.uk, and in `ukm:PrimaryMetadata` the
//! `ukm:DocumentClassification/ukm:DocumentMainType`, `ukm:Year`, `ukm:Number`,
//! `ukm:EnactmentDate` (Royal Assent), `ukm:ISBN` and `ukm:ComingIntoForce/ukm:DateTime`
//! (the dates the Act states for its coming into force, as the schema
//! `schemaLegislationMetadata.xsd` defines them). The body of the Act is skipped.
//!
//! Guards: a DOCTYPE (and with it any entity declaration: the XML bomb) is refused
//! before anything is read; elements nested deeper than [`MAX_DEPTH`] are refused; the
//! file's size and UTF-8 are checked by the command before this runs.

use super::refs::{ReadError, line_column};
use super::{Batch, Field, FileDoc, Record};
use crate::load::kebab_case;
use crate::model::{NodeKind, PartialDate};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::{NsReader, XmlVersion};

/// The attributes a CLML import owns, in the order it writes them.
pub const OWNED_ATTRS: [&str; 6] = [
    "year",
    "chapter",
    "legislation_type",
    "isbn",
    "url",
    "commencement",
];

/// The deepest nesting of elements read: CLML Acts nest about 20 deep.
pub const MAX_DEPTH: usize = 256;

const LEG: &str = "http://www.legislation.gov.uk/namespaces/legislation";
const UKM: &str = "http://www.legislation.gov.uk/namespaces/metadata";
const DC: &str = "http://purl.org/dc/elements/1.1/";

/// What the metadata of one Act says.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Act {
    /// `dc:title`.
    pub title: String,
    /// The Act's URI on legislation.gov.uk, `https://www.legislation.gov.uk/ukpga/2014/23`.
    pub uri: Option<String>,
    /// `ukm:DocumentMainType` (`UnitedKingdomPublicGeneralAct`, ...).
    pub main_type: Option<String>,
    /// `ukm:Year`.
    pub year: Option<i64>,
    /// `ukm:Number`.
    pub number: Option<String>,
    /// `ukm:EnactmentDate` (Royal Assent).
    pub enacted: Option<String>,
    /// `ukm:ISBN`.
    pub isbn: Option<String>,
    /// `ukm:ComingIntoForce/ukm:DateTime` dates, sorted, without repeats.
    pub commencement: Vec<String>,
    /// Whether the metadata is `ukm:SecondaryMetadata` (an instrument, not an Act).
    pub secondary: bool,
}

fn err(text: &str, pos: u64, message: impl Into<String>, help: impl Into<String>) -> ReadError {
    ReadError {
        at: Some(line_column(text, pos as usize)),
        message: message.into(),
        help: help.into(),
    }
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The Act's URI from a legislation.gov.uk identifier
/// (`http://www.legislation.gov.uk/id/ukpga/2014/23/contents` gives
/// `https://www.legislation.gov.uk/ukpga/2014/23`): scheme made https, `/id/` and
/// anything after the number dropped.
pub fn act_uri(identifier: &str, number: Option<&str>) -> Option<String> {
    let rest = identifier
        .trim()
        .strip_prefix("http://")
        .or_else(|| identifier.trim().strip_prefix("https://"))?;
    let rest = rest
        .strip_prefix("www.legislation.gov.uk/")
        .or_else(|| rest.strip_prefix("legislation.gov.uk/"))?;
    let rest = rest.strip_prefix("id/").unwrap_or(rest);
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    // type/year/number, or up to the segment that is the Act's number (regnal years
    // take several segments: ukpga/Geo5/1-2/34).
    let end = number
        .and_then(|n| segments.iter().skip(2).position(|s| *s == n).map(|i| i + 3))
        .unwrap_or(3);
    if segments.len() < end || end < 3 {
        return None;
    }
    Some(format!(
        "https://www.legislation.gov.uk/{}",
        segments[..end].join("/")
    ))
}

/// Normalises a legislation.gov.uk URI for comparison: no scheme, no `www.`, no `/id/`,
/// no trailing `/`, lower case.
pub fn uri_key(uri: &str) -> String {
    let u = uri.trim().to_lowercase();
    let u = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .unwrap_or(&u);
    let u = u.strip_prefix("www.").unwrap_or(u);
    let u = u.replacen("legislation.gov.uk/id/", "legislation.gov.uk/", 1);
    u.trim_end_matches('/').to_string()
}

/// An Act already in the collection, as an import matches against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownAct {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its other names.
    pub aliases: Vec<String>,
    /// The [`uri_key`]s of its legislation.gov.uk addresses (`attrs.url`,
    /// `attrs.legislation_uri`).
    pub uris: Vec<String>,
}

/// The Act of the collection that an imported Act is: the one with the same
/// legislation.gov.uk address, else the one whose name or an alias is its title
/// (ignoring case and surrounding spaces).
pub fn matching<'a>(acts: &'a [KnownAct], title: &str, uri: Option<&str>) -> Option<&'a KnownAct> {
    let by_uri = uri
        .map(uri_key)
        .and_then(|u| acts.iter().find(|a| a.uris.contains(&u)));
    let title = title.trim().to_lowercase();
    let named = |a: &&KnownAct| {
        std::iter::once(&a.name)
            .chain(&a.aliases)
            .any(|n| n.trim().to_lowercase() == title)
    };
    by_uri.or_else(|| acts.iter().find(named))
}

/// Reads the metadata of the Act in `text`.
pub fn read_act(text: &str) -> Result<Act, ReadError> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().expand_empty_elements = false;
    let mut act = Act::default();
    let mut path: Vec<String> = Vec::new(); // local names of the open elements
    let mut ns_of: Vec<String> = Vec::new();
    let mut root_seen = false;
    let mut identifiers: Vec<String> = Vec::new();
    let mut title: Option<String> = None;
    let mut text_buf: Option<String> = None;
    let not_clml = |what: &str| {
        ReadError {
            at: None,
            message: format!("not a legislation.gov.uk CLML file: {what}"),
            help: "save the Act's XML from legislation.gov.uk: its page, then \"Data\" > XML, or add /data.xml to its address (https://www.legislation.gov.uk/ukpga/2014/23/data.xml)".into(),
        }
    };
    loop {
        let pos = reader.buffer_position();
        let (ns, event) = match reader.read_resolved_event() {
            Ok(x) => x,
            Err(e) => {
                let message = format!("not well-formed XML: {e}");
                return Err(err(
                    text,
                    reader.error_position(),
                    message,
                    "save the file again from legislation.gov.uk (…/data.xml); it may be cut short",
                ));
            }
        };
        let ns: String = match ns {
            ResolveResult::Bound(Namespace(n)) => n.to_string(),
            _ => String::new(),
        };
        match event {
            Event::DocType(_) => {
                return Err(err(
                    text,
                    pos,
                    "the file has a DOCTYPE; import refuses document type declarations (their entities can expand without bound)",
                    "legislation.gov.uk's XML has no DOCTYPE: save the Act's data.xml again",
                ));
            }
            Event::Start(ref e) | Event::Empty(ref e) if !root_seen => {
                root_seen = true;
                if ns != LEG || e.local_name().as_ref() != "Legislation" {
                    return Err(not_clml(&format!(
                        "its root element is `{}`, not CLML's `Legislation`",
                        e.name().as_ref()
                    )));
                }
                if matches!(event, Event::Empty(_)) {
                    break; // an empty root has no metadata: refused below
                }
                path.push("Legislation".to_string());
                ns_of.push(ns);
                continue;
            }
            Event::Start(e) => {
                if path.len() >= MAX_DEPTH {
                    return Err(err(
                        text,
                        pos,
                        format!("elements nested more than {MAX_DEPTH} deep"),
                        "legislation.gov.uk's XML nests about 20 deep: save the Act's data.xml again",
                    ));
                }
                let local = e.local_name().as_ref().to_string();
                element(&mut act, &path, &ns_of, &ns, &local, &e);
                if in_meta(&path, &ns_of) && ns == DC && (local == "title" || local == "identifier")
                {
                    text_buf = Some(String::new());
                }
                path.push(local);
                ns_of.push(ns);
            }
            Event::Empty(e) => {
                let local = e.local_name().as_ref().to_string();
                element(&mut act, &path, &ns_of, &ns, &local, &e);
            }
            Event::Text(t) => {
                if let Some(buf) = text_buf.as_mut() {
                    buf.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(buf) = text_buf.as_mut() {
                    let name = r.clone().into_inner();
                    let c = match name.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => r.resolve_char_ref().ok().flatten(),
                    };
                    match c {
                        Some(c) => buf.push(c),
                        None => {
                            return Err(err(
                                text,
                                pos,
                                format!("the entity `&{name};` is not defined"),
                                "legislation.gov.uk's XML uses only XML's own entities: save the Act's data.xml again",
                            ));
                        }
                    }
                }
            }
            Event::CData(t) => {
                if let Some(buf) = text_buf.as_mut() {
                    buf.push_str(&t.into_inner());
                }
            }
            Event::End(_) => {
                let local = path.pop().unwrap_or_default();
                let ns = ns_of.pop().unwrap_or_default();
                if ns == DC
                    && in_meta(&path, &ns_of)
                    && let Some(buf) = text_buf.take()
                {
                    let v = buf.split_whitespace().collect::<Vec<_>>().join(" ");
                    if local == "title" && title.is_none() && !v.is_empty() {
                        title = Some(v);
                    } else if local == "identifier" {
                        identifiers.push(v);
                    }
                }
                if path.is_empty() {
                    break;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        return Err(not_clml("it has no elements"));
    }
    if act.secondary {
        return Err(not_clml(
            "it is the metadata of a statutory instrument (ukm:SecondaryMetadata), not of an Act",
        ));
    }
    act.title = title.ok_or_else(|| not_clml("its ukm:Metadata has no dc:title"))?;
    if act.year.is_none() {
        return Err(not_clml("its ukm:PrimaryMetadata has no ukm:Year"));
    }
    act.uri = identifiers
        .iter()
        .find_map(|i| act_uri(i, act.number.as_deref()));
    act.commencement.sort();
    act.commencement.dedup();
    Ok(act)
}

/// Whether the innermost open element is within `Legislation/ukm:Metadata`.
fn in_meta(path: &[String], ns_of: &[String]) -> bool {
    path.len() >= 2 && path[1] == "Metadata" && ns_of[1] == UKM
}

fn element(
    act: &mut Act,
    path: &[String],
    ns_of: &[String],
    ns: &str,
    local: &str,
    e: &BytesStart,
) {
    if ns != UKM || !in_meta(path, ns_of) {
        return;
    }
    let parent = path.last().map(String::as_str).unwrap_or_default();
    match local {
        "SecondaryMetadata" if path.len() == 2 => act.secondary = true,
        "DocumentMainType" if parent == "DocumentClassification" => {
            act.main_type = attr(e, "Value")
        }
        "Year" if parent == "PrimaryMetadata" => {
            act.year = attr(e, "Value").and_then(|v| v.parse().ok())
        }
        "Number" if parent == "PrimaryMetadata" => act.number = attr(e, "Value"),
        "EnactmentDate" if parent == "PrimaryMetadata" => act.enacted = attr(e, "Date"),
        "ISBN" if parent == "PrimaryMetadata" => act.isbn = attr(e, "Value"),
        "DateTime" if parent == "ComingIntoForce" => {
            if let Some(d) = attr(e, "Date") {
                act.commencement.push(d);
            }
        }
        _ => {}
    }
}

/// The chapter as the collection writes it: `2014 c. 23` for Acts of the UK
/// Parliament (public general and local Acts), else the citation legislation.gov.uk
/// uses (`2002 asp 16`, `2018 anaw 1`).
fn chapter(act: &Act) -> Option<String> {
    let (year, number) = (act.year?, act.number.as_deref()?);
    let code = act
        .uri
        .as_deref()
        .and_then(|u| u.strip_prefix("https://www.legislation.gov.uk/"))
        .and_then(|u| u.split('/').next())
        .unwrap_or("ukpga");
    Some(match code {
        "ukpga" | "ukla" | "ukppa" | "apgb" | "aep" | "gbla" | "gbppa" => {
            format!("{year} c. {number}")
        }
        other => format!("{year} {other} {number}"),
    })
}

/// The record key: the Act's path on legislation.gov.uk (`ukpga/2014/23`), else its
/// title.
pub fn key_of(act: &Act) -> String {
    act.uri
        .as_deref()
        .and_then(|u| u.strip_prefix("https://www.legislation.gov.uk/"))
        .map_or_else(|| act.title.clone(), String::from)
}

/// Reads `text`, the CLML file `file_name`, into a batch of one record: a
/// `legislation` node with id kebab-cased from the short title (`care-act-2014`),
/// `start` the enactment date.
pub fn read(text: &str, file_name: &str) -> Result<Batch, ReadError> {
    let act = read_act(text)?;
    let mut attrs: Vec<(&'static str, Field)> = Vec::new();
    if let Some(y) = act.year {
        attrs.push(("year", Field::Integer(y)));
    }
    if let Some(c) = chapter(&act) {
        attrs.push(("chapter", Field::Text(c)));
    }
    if let Some(t) = &act.main_type {
        attrs.push(("legislation_type", Field::Text(t.clone())));
    }
    if let Some(i) = &act.isbn {
        attrs.push(("isbn", Field::Text(i.clone())));
    }
    if let Some(u) = &act.uri {
        attrs.push(("url", Field::Text(u.clone())));
    }
    if !act.commencement.is_empty() {
        attrs.push(("commencement", Field::Text(act.commencement.join("; "))));
    }
    let start = match &act.enacted {
        Some(d) if PartialDate::parse(d).is_ok() => Some(d.clone()),
        Some(d) => {
            return Err(ReadError {
                at: None,
                message: format!("the enactment date `{d}` is not a date (YYYY-MM-DD)"),
                help: "save the Act's data.xml again from legislation.gov.uk".into(),
            });
        }
        None => None,
    };
    let name = format!("legislation.gov.uk CLML file {file_name}");
    Ok(Batch {
        file: FileDoc {
            id: kebab_case(&name),
            summary: format!(
                "The legislation.gov.uk CLML (XML) file {file_name}: the Acts it cites were imported from it."
            ),
            name,
        },
        records: vec![Record {
            key: key_of(&act),
            id: kebab_case(&act.title),
            kind: NodeKind::Legislation,
            name: act.title.clone(),
            start,
            end: None,
            aliases: Vec::new(),
            attrs,
            links: Vec::new(),
        }],
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_act_is_matched_by_its_address_first_then_by_its_name_or_alias() {
        let act = |id: &str, name: &str, alias: &str, uri: &str| KnownAct {
            id: id.into(),
            name: name.into(),
            aliases: vec![alias.into()],
            uris: vec![uri_key(uri)],
        };
        let acts = [
            act(
                "care-act",
                "Care Act 2014",
                "CA 2014",
                "https://www.legislation.gov.uk/ukpga/2014/23",
            ),
            act(
                "other",
                "Other Act",
                "",
                "http://legislation.gov.uk/id/ukpga/2000/1/",
            ),
        ];
        let id =
            |title: &str, uri: Option<&str>| matching(&acts, title, uri).map(|a| a.id.as_str());
        // The address wins over the title, in any of its spellings.
        assert_eq!(
            id(
                "Care Act 2014",
                Some("https://legislation.gov.uk/ukpga/2000/1")
            ),
            Some("other")
        );
        assert_eq!(
            id("x", Some("HTTP://WWW.legislation.gov.uk/id/ukpga/2014/23/")),
            Some("care-act")
        );
        // Without an address (or an unknown one), the name or an alias, in any case.
        assert_eq!(id("  care act 2014 ", None), Some("care-act"));
        assert_eq!(
            id(
                "ca 2014",
                Some("https://www.legislation.gov.uk/ukpga/1999/8")
            ),
            Some("care-act")
        );
        assert_eq!(id("Health Act 1999", None), None);
    }
    use super::*;

    const ACT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Legislation xmlns="http://www.legislation.gov.uk/namespaces/legislation">
<m:Metadata xmlns:m="http://www.legislation.gov.uk/namespaces/metadata" xmlns:d="http://purl.org/dc/elements/1.1/">
<d:identifier>http://www.legislation.gov.uk/id/ukpga/2014/23</d:identifier>
<d:title>Care Act
 2014 &amp; more</d:title>
<m:PrimaryMetadata>
<m:DocumentClassification><m:DocumentMainType Value="UnitedKingdomPublicGeneralAct"/></m:DocumentClassification>
<m:Year Value="2014"/><m:Number Value="23"/>
<m:EnactmentDate Date="2014-05-14"/><m:ISBN Value="9780105423140"/>
<m:ComingIntoForce><m:DateTime Date="2015-04-01"/><m:DateTime Date="2014-05-14"/><m:DateTime Date="2015-04-01"/></m:ComingIntoForce>
</m:PrimaryMetadata>
</m:Metadata>
<Primary><Body><Title>Not the title</Title></Body></Primary>
</Legislation>"#;

    #[test]
    fn an_acts_metadata_is_read_with_any_prefix() {
        let act = read_act(ACT).unwrap();
        assert_eq!(act.title, "Care Act 2014 & more");
        assert_eq!(
            act.uri.as_deref(),
            Some("https://www.legislation.gov.uk/ukpga/2014/23")
        );
        assert_eq!(act.year, Some(2014));
        assert_eq!(act.number.as_deref(), Some("23"));
        assert_eq!(act.enacted.as_deref(), Some("2014-05-14"));
        assert_eq!(act.isbn.as_deref(), Some("9780105423140"));
        assert_eq!(act.commencement, ["2014-05-14", "2015-04-01"]);
        let b = read(ACT, "data.xml").unwrap();
        let r = &b.records[0];
        assert_eq!(r.id, "care-act-2014-more");
        assert_eq!(r.key, "ukpga/2014/23");
        assert!(
            r.attrs
                .contains(&("chapter", Field::Text("2014 c. 23".into())))
        );
    }

    #[test]
    fn uris_are_made_canonical() {
        assert_eq!(
            act_uri(
                "http://www.legislation.gov.uk/ukpga/2006/37/contents",
                Some("37")
            )
            .as_deref(),
            Some("https://www.legislation.gov.uk/ukpga/2006/37")
        );
        assert_eq!(
            act_uri(
                "http://www.legislation.gov.uk/ukpga/Geo5/1-2/34/enacted",
                Some("34")
            )
            .as_deref(),
            Some("https://www.legislation.gov.uk/ukpga/Geo5/1-2/34")
        );
        assert_eq!(act_uri("urn:isbn:9780105701064", None), None);
        assert_eq!(
            uri_key("http://www.legislation.gov.uk/id/ukpga/2014/23/"),
            uri_key("https://legislation.gov.uk/ukpga/2014/23")
        );
    }

    #[test]
    fn doctype_depth_and_other_xml_are_refused() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>\n<Legislation xmlns=\"http://www.legislation.gov.uk/namespaces/legislation\"/>";
        let e = read_act(bomb).unwrap_err();
        assert!(e.message.contains("DOCTYPE"), "{e:?}");
        assert_eq!(e.at, Some((2, 1)));
        let deep = format!(
            "<Legislation xmlns=\"http://www.legislation.gov.uk/namespaces/legislation\">{}",
            "<a>".repeat(100_000)
        );
        assert!(read_act(&deep).unwrap_err().message.contains("nested"));
        let other = "<rss><channel/></rss>";
        assert!(
            read_act(other)
                .unwrap_err()
                .message
                .contains("not a legislation.gov.uk CLML")
        );
        let undefined = ACT.replace("&amp;", "&nbsp;");
        assert!(read_act(&undefined).unwrap_err().message.contains("&nbsp;"));
        assert!(read_act("").is_err());
    }
}
