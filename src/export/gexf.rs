//! GEXF 1.3 for Gephi, with each node's and edge's time interval from its dates, so
//! Gephi's timeline plays the history. Partial dates widen to the days they can mean:
//! a start of `2013` begins on 2013-01-01, an end of `2013` lasts to 2013-12-31. An edge
//! lives while both its ends do (from its own date when it has one). A free attribute
//! is titled `attrs.<name>` ([`crate::attr_name`]), every one. An edge's GEXF 1.3
//! `kind` is its relation; the years of each interval are also plain integer
//! attributes (`start_year`, `end_year`) for readers that ignore intervals.

use super::xml::{attr, clean, typed};
use crate::attr_name::FreeAttrs;
use crate::graph::PolicyGraph;
use crate::model::field::{EDGE, Field, NODE, Value};
use crate::model::{Attrs, End, PartialDate};
use crate::view::View;
use quick_xml::Writer;
use quick_xml::events::BytesText;
use std::io::Cursor;

/// The last day a node is known to be alive, for GEXF's time intervals, where no `end`
/// means alive for ever. An ongoing node has none; an initiative or body whose end is
/// unknown is alive only to the end of its start year, the last year the data vouches
/// for (its `end_status` attribute says why); laws, documents and findings stay.
fn alive_until(node: &crate::model::Node) -> Option<PartialDate> {
    match node.end {
        End::On(e) => Some(e),
        End::Ongoing => None,
        End::Unknown if node.kind.has_lifespan() => {
            node.start.map(|s| PartialDate::year(s.year_part()))
        }
        End::Unknown => None,
    }
}

fn day((y, m, d): (u16, u8, u8)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn first_day(d: PartialDate) -> String {
    day(d.earliest())
}

fn last_day(d: PartialDate) -> String {
    day(d.latest())
}

/// The declared attributes of a class: the fields of its table, then every free
/// attribute used (titled `attrs.<name>`, [`crate::attr_name`]'s rule), with ids `0`,
/// `1`, ... in that order.
struct Declared {
    titles: Vec<(String, &'static str)>,
    free: FreeAttrs,
    fixed: usize,
}

fn declared<'a>(table: &[Field], attrs: impl Iterator<Item = &'a Attrs>) -> Declared {
    let free = FreeAttrs::collect(attrs);
    let fields: Vec<_> = table.iter().filter(|f| f.ty.is_declared_value()).collect();
    let titles = fields
        .iter()
        .map(|f| (f.name.to_string(), "string"))
        .chain(
            free.list
                .iter()
                .map(|(name, t)| (crate::attr_name::column(name), *t)),
        )
        .chain(YEARS.iter().map(|y| (y.to_string(), "integer")))
        .collect();
    Declared {
        titles,
        free,
        fixed: fields.len(),
    }
}

/// Two plain attributes after the free ones: the first and last year of the element's
/// time interval, as integers. Gephi reads the intervals themselves; graphology-gexf,
/// the reader of Gephi Lite, ignores `start`, `end` and spells (0.13.2), so these are
/// what its range filter can play the history with.
const YEARS: [&str; 2] = ["start_year", "end_year"];

impl Declared {
    /// The id of `start_year`; `end_year`'s is the next.
    fn years(&self) -> usize {
        self.titles.len() - YEARS.len()
    }
}

fn attvalue(w: &mut Writer<Cursor<Vec<u8>>>, id: usize, value: &str) -> std::io::Result<()> {
    w.create_element("attvalue")
        .with_attribute(("for", id.to_string().as_str()))
        .with_attribute(attr("value", value))
        .write_empty()?;
    Ok(())
}

/// The values of one node or edge: its fields in the table's order, each free
/// attribute at its declared place (a hash lookup, so the whole export is linear in
/// the values).
fn attvalues<'a>(
    w: &mut Writer<Cursor<Vec<u8>>>,
    values: impl IntoIterator<Item = (&'static Field, Option<Value<'a>>)>,
    declared: &Declared,
    years: [Option<PartialDate>; 2],
) -> std::io::Result<()> {
    w.create_element("attvalues").write_inner_content(|w| {
        let mut i = 0;
        for (field, value) in values {
            match value {
                Some(Value::Attrs(attrs)) => {
                    for (k, v) in attrs {
                        if let Some(p) = declared.free.position(k) {
                            attvalue(w, declared.fixed + p, &typed(v).1)?;
                        }
                    }
                }
                Some(v) if field.ty.is_declared_value() && !v.is_empty() => {
                    attvalue(w, i, &v.flat("|").unwrap_or_default())?;
                }
                _ => {}
            }
            i += usize::from(field.ty.is_declared_value());
        }
        for (k, year) in years.iter().enumerate() {
            if let Some(y) = year {
                attvalue(w, declared.years() + k, &y.year_part().to_string())?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// The GEXF text of a view.
pub fn to_gexf(g: &PolicyGraph, view: &View) -> String {
    let node_decl = declared(&NODE, view.nodes.iter().map(|&n| g.node(n).attrs()));
    let edge_decl = declared(&EDGE, view.edges.iter().map(|&e| g.edge(e).attrs()));
    super::xml::document(|w| {
        w.create_element("gexf")
            .with_attribute(("xmlns", "http://gexf.net/1.3"))
            .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
            .with_attribute((
                "xsi:schemaLocation",
                "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
            ))
            .with_attribute(("version", "1.3"))
            .write_inner_content(|w| {
                w.create_element("meta").write_inner_content(|w| {
                    w.create_element("creator")
                        .write_text_content(BytesText::new("policygraph"))?;
                    w.create_element("description")
                        .write_text_content(BytesText::new(&clean(&view.title)))?;
                    Ok(())
                })?;
                w.create_element("graph")
                    .with_attribute(("defaultedgetype", "directed"))
                    .with_attribute(("mode", "dynamic"))
                    .with_attribute(("timeformat", "date"))
                    .write_inner_content(|w| {
                        for (class, decl) in [("node", &node_decl), ("edge", &edge_decl)] {
                            w.create_element("attributes")
                                .with_attribute(("class", class))
                                .write_inner_content(|w| {
                                    for (i, (title, t)) in decl.titles.iter().enumerate() {
                                        w.create_element("attribute")
                                            .with_attribute(("id", i.to_string().as_str()))
                                            .with_attribute(attr("title", title))
                                            .with_attribute(("type", *t))
                                            .write_empty()?;
                                    }
                                    Ok(())
                                })?;
                        }
                        w.create_element("nodes").write_inner_content(|w| {
                            for &n in &view.nodes {
                                let node = g.node(n);
                                let mut el = w
                                    .create_element("node")
                                    .with_attribute(attr("id", node.id()))
                                    .with_attribute(attr("label", node.name()));
                                let end = alive_until(node);
                                if let Some(s) = node.start {
                                    el = el.with_attribute(("start", first_day(s).as_str()));
                                }
                                if let Some(e) = end {
                                    el = el.with_attribute(("end", last_day(e).as_str()));
                                }
                                el.write_inner_content(|w| {
                                    attvalues(w, node.values(), &node_decl, [node.start, end])
                                })?;
                            }
                            Ok(())
                        })?;
                        w.create_element("edges").write_inner_content(|w| {
                            let ids = super::edge_id::EdgeIds::new(g);
                            for &e in &view.edges {
                                let edge = g.edge(e);
                                let (a, b) = g.endpoints(e);
                                let (na, nb) = (g.node(a), g.node(b));
                                let mut el = w
                                    .create_element("edge")
                                    .with_attribute(attr("id", &ids.get(g, e)))
                                    .with_attribute(attr("source", na.id()))
                                    .with_attribute(attr("target", nb.id()))
                                    .with_attribute(("label", edge.relation.as_str()))
                                    .with_attribute(("kind", edge.relation.as_str()));
                                // Alive while both ends are: from the later start (or the
                                // edge's own date) to the earlier end.
                                let start = edge
                                    .date
                                    .or_else(|| na.start.max(nb.start).or(na.start).or(nb.start));
                                let end = match (alive_until(na), alive_until(nb)) {
                                    (Some(x), Some(y)) => Some(x.min(y)),
                                    (x, y) => x.or(y),
                                };
                                if let Some(s) = start {
                                    el = el.with_attribute(("start", first_day(s).as_str()));
                                }
                                let end = end
                                    .filter(|e| start.is_none_or(|s| s.earliest() <= e.latest()));
                                if let Some(e) = end {
                                    el = el.with_attribute(("end", last_day(e).as_str()));
                                }
                                el.write_inner_content(|w| {
                                    attvalues(
                                        w,
                                        edge.values(na.id(), nb.id()),
                                        &edge_decl,
                                        [start, end],
                                    )
                                })?;
                            }
                            Ok(())
                        })?;
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    })
}
