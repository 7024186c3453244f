//! The explorer: one self-contained offline HTML page (styles, script, data and the
//! diagram inline; no server, no network) to search the graph, click a node to read its
//! details, edges and sources, filter by kind, relation and era, and slide through the
//! years as of which nodes are shown.
//!
//! **Invariant:** data text reaches the page only as escaped JSON in a
//! `<script type="application/json">` block (see [`super::html::json_for_script`]) or
//! as text in the Graphviz SVG (escaped by the layout engine), and the script writes it
//! into the page with `textContent` only; the only links made from data are the nodes'
//! `link`s, checked `http(s)` addresses ([`crate::weblink`]).

use super::html::{data_block, page_head, script};
use crate::graph::{EdgeIndex, NodeIndex, PolicyGraph};
use crate::json::{JsonEdge, JsonNode};
use crate::model::{End, NodeKind, Relation};
use crate::query::narrate::short_citation;
use maud::{DOCTYPE, PreEscaped, html as markup};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Node<'a> {
    #[serde(flatten)]
    node: JsonNode<'a>,
    /// First and last year known active, for the era filter and the year slider (none:
    /// ongoing).
    from: Option<u16>,
    until: Option<u16>,
    /// The end is unknown: after `until` the slider shows the node faded, as "end
    /// unknown", never as running.
    end_unknown: bool,
    /// Laws, documents and findings are events: shown from their date on, with no end.
    point: bool,
    /// Its `doi` or `url` as a checked link ([`crate::weblink`]), the only link the
    /// page makes from data.
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<String>,
}

#[derive(Serialize)]
struct Edge<'a> {
    /// The SVG element id of the edge.
    svg: String,
    #[serde(flatten)]
    edge: JsonEdge<'a>,
}

#[derive(Serialize)]
struct Doc {
    name: String,
    cite: String,
}

#[derive(Serialize)]
struct Era<'a> {
    name: &'a str,
    from: u16,
    until: Option<u16>,
}

#[derive(Serialize)]
struct Data<'a> {
    nodes: Vec<Node<'a>>,
    edges: Vec<Edge<'a>>,
    docs: BTreeMap<&'a str, Doc>,
    eras: Vec<Era<'a>>,
    years: Option<(u16, u16)>,
}

fn node(g: &PolicyGraph, n: NodeIndex) -> Node<'_> {
    let rec = g.node(n);
    Node {
        node: JsonNode::new(g, n),
        from: rec.start.map(|d| d.year_part()),
        until: match rec.end {
            End::On(d) => Some(d.year_part()),
            End::Ongoing => None,
            End::Unknown => rec.start.map(|d| d.year_part()),
        },
        end_unknown: rec.kind.has_lifespan() && rec.end == End::Unknown,
        point: !rec.kind.has_lifespan(),
        link: crate::weblink::link(&rec.attrs),
    }
}

fn data<'a>(g: &'a PolicyGraph, nodes: &[NodeIndex], edges: &[EdgeIndex]) -> Data<'a> {
    let years = g
        .nodes()
        .flat_map(|n| [g.node(n).start, g.node(n).end.date()])
        .flatten()
        .map(|d| d.year_part());
    let (lo, hi) = years.fold((u16::MAX, 0), |(lo, hi), y| (lo.min(y), hi.max(y)));
    Data {
        nodes: nodes.iter().map(|&n| node(g, n)).collect(),
        edges: edges
            .iter()
            .map(|&e| Edge {
                svg: format!("edge-{}", e.index()),
                edge: JsonEdge::new(g, e),
            })
            .collect(),
        docs: g
            .nodes()
            .filter(|&n| g.node(n).kind == NodeKind::Document)
            .map(|n| {
                (
                    g.node(n).id.as_str(),
                    Doc {
                        name: g.node(n).name.clone(),
                        cite: short_citation(g, n),
                    },
                )
            })
            .collect(),
        eras: g
            .eras
            .iter()
            .map(|e| Era {
                name: &e.name,
                from: e.start.year_part(),
                until: e.end.map(|d| d.year_part()),
            })
            .collect(),
        years: (lo <= hi).then_some((lo, hi)),
    }
}

/// Everything before the `<svg` element (XML declaration, DOCTYPE, comments), which
/// has no place inside an HTML page.
fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| &svg[i..])
}

/// The explorer page for the nodes and edges drawn in `svg` (laid out with edge ids).
pub fn explorer_html(
    g: &PolicyGraph,
    title: &str,
    nodes: &[NodeIndex],
    edges: &[EdgeIndex],
    svg: &str,
) -> String {
    let data = data(g, nodes, edges);
    // Serialising plain data to a string cannot fail.
    let json = serde_json::to_string(&data).unwrap_or_else(|e| unreachable!("{e}"));
    let (lo, hi) = data.years.unwrap_or((0, 0));
    let kinds: Vec<NodeKind> = NodeKind::ALL
        .iter()
        .copied()
        .filter(|k| nodes.iter().any(|&n| g.node(n).kind == *k))
        .collect();
    let relations: Vec<Relation> = Relation::ALL
        .iter()
        .copied()
        .filter(|r| edges.iter().any(|&e| g.edge(e).relation == *r))
        .collect();
    markup! {
        (DOCTYPE)
        html lang="en" {
            (page_head(title, include_str!("assets/explorer.css")))
            body {
                header {
                    h1 { (title) }
                    span #count aria-live="polite" {}
                }
                div #app {
                    nav #controls {
                        label for="search" { "Search" }
                        input #search type="search" placeholder="name, alias or id" autocomplete="off";
                        ul #results {}
                        fieldset #kinds {
                            legend { "Kinds" }
                            @for k in &kinds {
                                label { input type="checkbox" name="kind" value=(k.as_str()) checked; " " (k.as_str()) }
                            }
                        }
                        fieldset #relations {
                            legend { "Relations" }
                            @for r in &relations {
                                label { input type="checkbox" name="relation" value=(r.as_str()) checked; " " (r.as_str()) }
                            }
                        }
                        label for="era" { "Era" }
                        select #era {
                            option value="" { "All eras" }
                            @for (i, e) in g.eras.iter().enumerate() {
                                option value=(i) { (e.name) }
                            }
                        }
                        label for="year" { "As of " output #year-label for="year" { "all years" } }
                        input #year type="range" min=(lo) max=(hi + 1) value=(hi + 1) step="1";
                        div.zoom {
                            button #zoom-out type="button" aria-label="Zoom out" { "−" }
                            button #zoom-fit type="button" { "Fit" }
                            button #zoom-in type="button" aria-label="Zoom in" { "+" }
                        }
                    }
                    div #diagram { (PreEscaped(inline_svg(svg))) }
                    aside #details aria-live="polite" {
                        p.hint { "Search, or click a node in the diagram, to see its details, edges and sources." }
                    }
                }
                (data_block("policygraph-data", &json))
                (script(include_str!("assets/explorer.js")))
            }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use crate::model::field::{self, EDGE, NODE, SOURCE};

    /// Every field the page's script reads of a node (`n.`), an edge (`e.`) or a
    /// source (`s.`) is one the field table writes, or one this module adds.
    #[test]
    fn the_script_reads_only_fields_the_page_has() {
        let script = include_str!("assets/explorer.js");
        let added: [(&str, &[field::Field], &[&str]); 3] = [
            // `end_status` comes with `end`; the rest are `Node`'s own, above.
            (
                "n",
                &NODE,
                &[
                    "end_status",
                    "from",
                    "until",
                    "end_unknown",
                    "point",
                    "link",
                ],
            ),
            // `svg` is `Edge`'s own; `e.key` is a keyboard event's.
            ("e", &EDGE, &["svg", "key"]),
            // `s.max` and `s.value` are the year slider's.
            ("s", &SOURCE, &["max", "value"]),
        ];
        let mut read = 0;
        for (i, _) in script.match_indices('.') {
            let before = &script[..i];
            let var = before
                .rsplit(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .next();
            let name: String = script[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            for (v, table, extra) in &added {
                if var == Some(*v) {
                    read += 1;
                    assert!(
                        field::named(table, &name).is_some() || extra.contains(&name.as_str()),
                        "explorer.js reads `{v}.{name}`, which no field gives"
                    );
                }
            }
        }
        assert!(read > 50, "{read}");
    }
}
