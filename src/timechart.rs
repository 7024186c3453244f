//! The lineage chart on a true time axis, laid out and written as SVG by us.
//!
//! Graphviz ranks nodes; it cannot put a box at a date. So this module places every
//! initiative and body as a bar from its start to its end on a year scale, keeps each
//! line of succession on its own lane so a chain reads as one row, draws `replaced`
//! forward in time (from the predecessor, the data's TO, to the successor, its FROM),
//! and puts the Acts of Parliament in a band above the lanes, each with a thin guide
//! down to what it established. Eras are shaded bands behind; years are ticked above
//! and below.
//!
//! How an end is drawn: a dated end stops the bar; `ongoing` runs the bar to the right
//! edge with an arrowhead; an unknown end draws the start year solid, then a short
//! dashed tail that fades out, marked "?": it never reaches the edge, so it cannot be
//! mistaken for "still running".
//!
//! Pure: [`layout`] returns positions ([`Chart`]), [`svg`] writes them. Labels are
//! measured with the embedded font ([`crate::font`]), so no two label boxes overlap
//! (a test checks it). Every data string reaches the SVG through [`esc`].

use crate::export::style;
use crate::font;
use crate::graph::{EdgeIndex, NodeIndex, PolicyGraph};
use crate::model::{End, NodeKind, PartialDate, Relation};
use crate::query::bibliography::Bibliography;
use crate::view::View;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Pixels per year of the chart (the explorer asks for fewer: [`layout_scaled`]).
const YEAR: f32 = 46.0;
/// Label font size.
const FONT: f32 = 15.0;
/// Line height of a label.
const LINE: f32 = 18.0;
/// Height of a lifespan bar.
const BAR: f32 = 10.0;
/// Gap between lanes, and between families of lanes.
const LANE_GAP: f32 = 10.0;
const FAMILY_GAP: f32 = 18.0;
/// Widest a label may be before it wraps.
const LABEL_MAX: f32 = 190.0;
/// Room kept after a label before the next bar on its lane.
const LABEL_PAD: f32 = 12.0;
/// Margins.
const LEFT: f32 = 24.0;
const RIGHT: f32 = 40.0;
const TITLE: f32 = 48.0;
const AXIS: f32 = 28.0;
/// How far the dashed tail of an unknown end runs, in years.
const UNKNOWN_TAIL: f32 = 1.5;

/// A node ready to place: index, start and end (fractional years), how it ends, label
/// lines, label width and height.
type Item = (NodeIndex, f32, f32, BarEnd, Vec<String>, f32, f32);

/// A rectangle in the chart's user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f32,
    /// Top.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Rect {
    /// Whether two rectangles share area (more than half a pixel each way: bars that
    /// meet end to end, as a succession on one lane does, do not overlap).
    pub fn overlaps(&self, o: &Rect) -> bool {
        const E: f32 = 0.5;
        self.x + E < o.x + o.w
            && o.x + E < self.x + self.w
            && self.y + E < o.y + o.h
            && o.y + E < self.y + self.h
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        let (x, y) = (self.x.min(o.x), self.y.min(o.y));
        Rect {
            x,
            y,
            w: (self.x + self.w).max(o.x + o.w) - x,
            h: (self.y + self.h).max(o.y + o.h) - y,
        }
    }
}

/// How a bar ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarEnd {
    /// At its end date.
    Dated,
    /// Runs on to the chart's edge.
    Ongoing,
    /// The data does not say: a fading dashed tail.
    Unknown,
    /// A law: a marker at its date, no bar.
    Event,
}

/// One node placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The node.
    pub node: NodeIndex,
    /// Its bar (for a law, its marker).
    pub bar: Rect,
    /// How the bar ends.
    pub end: BarEnd,
    /// Its label lines, top to bottom, and the box they fill.
    pub lines: Vec<String>,
    /// The label's box.
    pub label: Rect,
    /// The lane (laws: the row of the Acts band).
    pub lane: usize,
}

impl Placed {
    /// Everything drawn for the node: bar and label.
    pub fn bounds(&self) -> Rect {
        self.bar.union(&self.label)
    }
}

/// One edge routed.
#[derive(Debug, Clone, PartialEq)]
pub struct Routed {
    /// The edge.
    pub edge: EdgeIndex,
    /// Where the line starts and ends (start: the earlier end in time).
    pub from: (f32, f32),
    /// Where the arrow points.
    pub to: (f32, f32),
    /// The relation.
    pub relation: Relation,
}

/// The chart laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Its title.
    pub title: String,
    /// Width and height in user units (pixels at 100%).
    pub width: f32,
    /// Height.
    pub height: f32,
    /// First and last year on the axis.
    pub years: (u16, u16),
    /// The nodes drawn, laws first, then lanes top to bottom.
    pub nodes: Vec<Placed>,
    /// The edges drawn.
    pub edges: Vec<Routed>,
    /// Top and bottom of the lanes (the era bands' extent).
    pub body: (f32, f32),
    /// Pixels per year.
    pub year_px: f32,
    /// The view's initiatives, bodies and laws with no start date, which have no place
    /// on the axis: named under the legend, so the chart never drops them silently.
    pub undated: Vec<NodeIndex>,
    /// Where several arrows of one succession event join (a merger) or fork (a split),
    /// with the event's type ([`crate::query::succession`]'s classification).
    pub marks: Vec<Mark>,
}

/// A merger or split marked on the chart: a small labelled ring where its arrows join
/// (at the successor) or fork (at the predecessor).
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Merger or split.
    pub kind: crate::query::succession::Type,
    /// The node the arrows meet at: the successor of a merger, the predecessor of a split.
    pub node: NodeIndex,
    /// Where the ring is drawn.
    pub at: (f32, f32),
    /// Its words: type, parts and date.
    pub title: String,
}

impl Chart {
    /// The x of a date's first day.
    pub fn x(&self, year: f32) -> f32 {
        LEFT + (year - f32::from(self.years.0)) * self.year_px
    }

    /// The top of the legend under the chart (the year axis below the lanes ends there).
    pub fn legend_top(&self) -> f32 {
        self.body.1 + AXIS
    }

    /// Whether the year axis below the lanes, with its labels, lies inside `r`: a camera
    /// on `r` then needs no ruler of its own.
    pub fn shows_bottom_axis(&self, r: Rect) -> bool {
        r.y <= self.body.1 && r.y + r.h >= self.body.1 + AXIS * 0.8
    }
}

/// A date as a fractional year: its first day, or with `last`, the end of its last day.
fn frac(d: PartialDate, last: bool) -> f32 {
    let y = f32::from(d.year_part());
    let end = if last { 0.0 } else { 1.0 };
    match (d.month().map(f32::from), d.day().map(f32::from)) {
        (Some(m), Some(day)) => y + (m - 1.0) / 12.0 + (day - end) / 365.0,
        (Some(m), None) => y + (m - end) / 12.0,
        _ => y + if last { 1.0 } else { 0.0 },
    }
}

/// A label's lines and its size.
fn label_lines(name: &str, bold: bool) -> (Vec<String>, f32, f32) {
    let lines = font::wrap(name, FONT, bold, LABEL_MAX);
    let w = lines
        .iter()
        .map(|l| font::text_width(l, FONT, bold))
        .fold(0.0, f32::max);
    (lines.clone(), w, lines.len() as f32 * LINE)
}

/// The nodes the chart draws as bars (initiatives and bodies with a start) and as
/// markers (laws with a start); anything else in the view is left out.
fn drawable(g: &PolicyGraph, n: NodeIndex) -> Option<bool> {
    let node = g.node(n);
    node.start?;
    match node.kind {
        NodeKind::Initiative | NodeKind::Body => Some(true),
        NodeKind::Legislation => Some(false),
        _ => None,
    }
}

/// Lays out `view` on a time axis.
pub fn layout(g: &PolicyGraph, view: &View) -> Chart {
    layout_scaled(g, view, YEAR)
}

/// Lays out `view` on a time axis of `year_px` pixels per year: fewer make a narrower
/// chart, with more lanes where labels are wider than their bars.
pub fn layout_scaled(g: &PolicyGraph, view: &View, year_px: f32) -> Chart {
    let bars: Vec<NodeIndex> = view
        .nodes
        .iter()
        .copied()
        .filter(|&n| drawable(g, n) == Some(true))
        .collect();
    let laws: Vec<NodeIndex> = view
        .nodes
        .iter()
        .copied()
        .filter(|&n| drawable(g, n) == Some(false))
        .collect();
    let in_view: BTreeSet<EdgeIndex> = view.edges.iter().copied().collect();
    // Years: from the earliest start to the latest date drawn, plus a margin.
    let mut first = f32::MAX;
    let mut last = f32::MIN;
    for &n in bars.iter().chain(&laws) {
        let node = g.node(n);
        if let Some(s) = node.start {
            first = first.min(frac(s, false));
            last = last.max(frac(s, true));
        }
        if let Some(e) = node.end.date() {
            last = last.max(frac(e, true));
        }
    }
    if first > last {
        (first, last) = (2000.0, 2001.0);
    }
    let y0 = (first.floor() as u16).saturating_sub(1);
    let ongoing_edge = last.ceil() + 1.0;
    let y1 = ongoing_edge as u16 + 1;
    let x = |year: f32| LEFT + (year - f32::from(y0)) * year_px;
    let mut chart = Chart {
        title: view.title.clone(),
        width: LEFT + f32::from(y1 - y0) * year_px + RIGHT,
        height: 0.0,
        years: (y0, y1),
        nodes: Vec::new(),
        edges: Vec::new(),
        body: (0.0, 0.0),
        year_px,
        undated: view
            .nodes
            .iter()
            .copied()
            .filter(|&n| {
                let node = g.node(n);
                node.start.is_none()
                    && matches!(
                        node.kind,
                        NodeKind::Initiative | NodeKind::Body | NodeKind::Legislation
                    )
            })
            .collect(),
        marks: Vec::new(),
    };

    // The Acts band: markers at their dates, labels packed into rows.
    let mut row_ends: Vec<f32> = Vec::new();
    let mut acts: Vec<NodeIndex> = laws.clone();
    crate::query::sort_by_time(g, &mut acts);
    let band_top = TITLE + AXIS;
    let mut act_rows: Vec<(NodeIndex, usize, f32, Vec<String>, f32, f32)> = Vec::new();
    for &n in &acts {
        let node = g.node(n);
        let at = node.start.map_or(first, |s| frac(s, false));
        let (lines, w, h) = label_lines(node.name(), false);
        let left = x(at) - 6.0;
        let row = row_ends
            .iter()
            .position(|&end| end + LABEL_PAD <= left)
            .unwrap_or_else(|| {
                row_ends.push(f32::MIN);
                row_ends.len() - 1
            });
        row_ends[row] = left + 14.0 + w;
        act_rows.push((n, row, at, lines, w, h));
    }
    let act_row_height = 3.0 * LINE + 6.0;
    for (n, row, at, lines, w, h) in act_rows {
        let top = band_top + row as f32 * act_row_height;
        let marker = Rect {
            x: x(at) - 6.0,
            y: top + 2.0,
            w: 12.0,
            h: 12.0,
        };
        chart.nodes.push(Placed {
            node: n,
            bar: marker,
            end: BarEnd::Event,
            label: Rect {
                x: x(at) + 9.0,
                y: top,
                w,
                h,
            },
            lines,
            lane: row,
        });
    }
    let lanes_top = band_top + row_ends.len() as f32 * act_row_height + FAMILY_GAP + 18.0;

    // Families: connected groups along `replaced` among the bars.
    let bar_set: BTreeSet<NodeIndex> = bars.iter().copied().collect();
    let replaced: Vec<(NodeIndex, NodeIndex, EdgeIndex)> = view
        .edges
        .iter()
        .copied()
        .filter(|e| in_view.contains(e) && g.edge(*e).relation == Relation::Replaced)
        .map(|e| {
            let (succ, pred) = g.endpoints(e);
            (succ, pred, e)
        })
        .filter(|(s, p, _)| bar_set.contains(s) && bar_set.contains(p))
        .collect();
    let mut family: BTreeMap<NodeIndex, usize> = BTreeMap::new();
    let mut sorted = bars.clone();
    crate::query::sort_by_time(g, &mut sorted);
    let mut families: Vec<Vec<NodeIndex>> = Vec::new();
    for &n in &sorted {
        if family.contains_key(&n) {
            continue;
        }
        let id = families.len();
        let mut members = vec![n];
        family.insert(n, id);
        let mut i = 0;
        while i < members.len() {
            let m = members[i];
            for &(s, p, _) in &replaced {
                let other = if s == m {
                    p
                } else if p == m {
                    s
                } else {
                    continue;
                };
                if let std::collections::btree_map::Entry::Vacant(v) = family.entry(other) {
                    v.insert(id);
                    members.push(other);
                }
            }
            i += 1;
        }
        crate::query::sort_by_time(g, &mut members);
        families.push(members);
    }
    // Singletons share lanes at the end; families with succession come first, by start.
    let (chains, singles): (Vec<_>, Vec<_>) = families.into_iter().partition(|f| f.len() > 1);

    struct Lane {
        /// Where the lane is free from.
        free: f32,
        /// Its height (tallest label plus bar).
        height: f32,
    }
    let extent = |n: NodeIndex| -> (f32, f32, BarEnd, Vec<String>, f32, f32) {
        let node = g.node(n);
        let s = node.start.map_or(first, |d| frac(d, false));
        let (end_year, kind) = match node.end {
            End::On(e) => (frac(e, true).max(s + 0.25), BarEnd::Dated),
            End::Ongoing => (ongoing_edge, BarEnd::Ongoing),
            End::Unknown => ((s.floor() + 1.0).max(s + 0.25), BarEnd::Unknown),
        };
        let (lines, w, h) = label_lines(node.name(), false);
        (s, end_year, kind, lines, w, h)
    };
    let mut placed_lane: BTreeMap<NodeIndex, usize> = BTreeMap::new();
    let mut y = lanes_top;
    let mut all_lanes: Vec<(f32, f32, Vec<Item>)> = Vec::new();
    let mut place_group = |group: &[Vec<NodeIndex>], y: &mut f32, prefer_predecessor: bool| {
        let mut lanes: Vec<Lane> = Vec::new();
        let mut rows: Vec<Vec<Item>> = Vec::new();
        // Lanes are shared within one call: a family's, or all the nodes outside any.
        let base = 0;
        for members in group {
            for &n in members {
                let (s, e, kind, lines, w, h) = extent(n);
                let left = x(s);
                let tail = if kind == BarEnd::Unknown {
                    UNKNOWN_TAIL * year_px + 14.0
                } else {
                    0.0
                };
                let right = (x(e) + tail).max(left + w + LABEL_PAD);
                // Take a predecessor's lane if it is free by now, so a chain reads as
                // one row; else the first free lane of this family; else a new one.
                let preds: Vec<NodeIndex> = replaced
                    .iter()
                    .filter(|(succ, _, _)| *succ == n)
                    .map(|&(_, p, _)| p)
                    .collect();
                let from_pred = preds
                    .iter()
                    .filter_map(|p| placed_lane.get(p).copied())
                    .find(|&l| l >= base && lanes[l].free <= left + 2.0 && prefer_predecessor);
                let lane = from_pred
                    .or_else(|| (base..lanes.len()).find(|&l| lanes[l].free <= left + 2.0))
                    .unwrap_or_else(|| {
                        lanes.push(Lane {
                            free: f32::MIN,
                            height: 0.0,
                        });
                        rows.push(Vec::new());
                        lanes.len() - 1
                    });
                lanes[lane].free = right;
                lanes[lane].height = lanes[lane].height.max(h + BAR + 4.0);
                rows[lane].push((n, s, e, kind, lines, w, h));
                placed_lane.insert(n, lane);
            }
        }
        for (lane, row) in lanes.iter().zip(rows) {
            all_lanes.push((*y, lane.height, row));
            *y += lane.height + LANE_GAP;
        }
        *y += FAMILY_GAP - LANE_GAP;
    };
    for f in &chains {
        place_group(std::slice::from_ref(f), &mut y, true);
    }
    if !singles.is_empty() {
        place_group(&singles, &mut y, false);
    }
    for (lane_no, (top, height, row)) in all_lanes.into_iter().enumerate() {
        for (n, s, e, kind, lines, w, h) in row {
            let bar_y = top + height - BAR - 2.0;
            let bar = Rect {
                x: x(s),
                y: bar_y,
                w: (x(e) - x(s)).max(4.0),
                h: BAR,
            };
            chart.nodes.push(Placed {
                node: n,
                bar,
                end: kind,
                label: Rect {
                    x: x(s),
                    y: bar_y - 2.0 - h,
                    w,
                    h,
                },
                lines,
                lane: lane_no,
            });
        }
    }
    chart.body = (lanes_top - 8.0, y);
    // Wide enough for every label and an ongoing bar's arrowhead.
    let right = chart
        .nodes
        .iter()
        .map(|p| (p.label.x + p.label.w).max(p.bar.x + p.bar.w + 12.0))
        .fold(0.0, f32::max);
    chart.width = chart
        .width
        .max(right + RIGHT)
        .max(LEFT + legend_width() + RIGHT);
    chart.height = y + AXIS + legend_height();
    if !chart.undated.is_empty() {
        chart.height += undated_lines(g, &chart).len() as f32 * LINE + 10.0;
    }

    // Edges: `replaced` forward in time; `established-by` from an Act's marker.
    let at: BTreeMap<NodeIndex, &Placed> = chart.nodes.iter().map(|p| (p.node, p)).collect();
    let mut edges = Vec::new();
    for &e in &view.edges {
        let (a, b) = g.endpoints(e);
        let (Some(pa), Some(pb)) = (at.get(&a), at.get(&b)) else {
            continue;
        };
        let relation = g.edge(e).relation;
        match relation {
            Relation::Replaced => {
                // pb is the predecessor: from where its bar stands at the successor's
                // start (its end, or earlier when they overlap) to the successor's start.
                // With its own date the replacement is drawn at that date, between the
                // two bars (Monitor's 2022 merger into NHS England is not at 2012).
                // A date inside neither bar's run (they may not overlap) is drawn as
                // if it were not there.
                let within = |at: f32, r: &Rect| at >= r.x - 0.5 && at <= r.x + r.w + 0.5;
                let dated = g
                    .edge(e)
                    .date
                    .map(|d| x(frac(d, false)))
                    .map(|at| at.clamp(pa.bar.x, pa.bar.x + pa.bar.w))
                    .filter(|&at| within(at, &pb.bar));
                let (fx, tx) = match dated {
                    Some(at) => (at, at),
                    None => (
                        (pb.bar.x + pb.bar.w).min(pa.bar.x).max(pb.bar.x + 2.0),
                        pa.bar.x,
                    ),
                };
                edges.push(Routed {
                    edge: e,
                    from: (fx, pb.bar.y + BAR / 2.0),
                    to: (tx, pa.bar.y + BAR / 2.0),
                    relation,
                });
            }
            Relation::EstablishedBy if pb.end == BarEnd::Event => edges.push(Routed {
                edge: e,
                from: (pb.bar.x + pb.bar.w / 2.0, pb.bar.y + pb.bar.h),
                to: (pa.bar.x, pa.bar.y + BAR / 2.0),
                relation,
            }),
            // A reform acts on what is already running: straight down from the Act to
            // the bar at the Act's date (or the nearest point of the bar).
            Relation::ReformedBy if pb.end == BarEnd::Event => {
                let at = (pb.bar.x + pb.bar.w / 2.0).clamp(pa.bar.x, pa.bar.x + pa.bar.w);
                edges.push(Routed {
                    edge: e,
                    from: (pb.bar.x + pb.bar.w / 2.0, pb.bar.y + pb.bar.h),
                    to: (at, pa.bar.y),
                    relation,
                });
            }
            _ => {}
        }
    }
    chart.edges = edges;
    chart.marks = marks(g, &chart);
    chart
}

/// The mergers and splits whose arrows the chart draws (at least two of them): one
/// [`Mark`] each, where the arrows join or fork.
fn marks(g: &PolicyGraph, chart: &Chart) -> Vec<Mark> {
    use crate::query::succession::{Type, successions};
    let routed: BTreeMap<EdgeIndex, &Routed> = chart
        .edges
        .iter()
        .filter(|r| r.relation == Relation::Replaced)
        .map(|r| (r.edge, r))
        .collect();
    let mut out = Vec::new();
    for event in successions(g) {
        let drawn: Vec<&Routed> = event
            .edges
            .iter()
            .filter_map(|e| routed.get(e).copied())
            .collect();
        if drawn.len() < 2 {
            continue;
        }
        let (node, at) = match event.kind {
            Type::Merger => (event.after[0], drawn[0].to),
            Type::Split => (event.before[0], drawn[0].from),
            _ => continue,
        };
        let names = |v: &[NodeIndex]| {
            v.iter()
                .map(|&n| g.node(n).name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let date = event.date.map(|d| format!(", {d}")).unwrap_or_default();
        out.push(Mark {
            kind: event.kind,
            node,
            at,
            title: format!(
                "{}: {} into {}{date}",
                if event.kind == Type::Merger {
                    "Merger"
                } else {
                    "Split"
                },
                names(&event.before),
                names(&event.after)
            ),
        });
    }
    out
}

/// Draws the marks of mergers and splits: a ring at the join or fork, its type above
/// to the left (where the arrows come from, clear of the successor's label).
fn draw_marks(s: &mut String, chart: &Chart) {
    for m in &chart.marks {
        let (x, y) = m.at;
        let word = m.kind.as_str();
        let _ = writeln!(
            s,
            r##"<g class="succession {word}"><title>{}</title><circle cx="{x:.1}" cy="{y:.1}" r="7" fill="#ffffff" stroke="#000000" stroke-width="2.2"/><circle cx="{x:.1}" cy="{y:.1}" r="2.5" fill="#000000"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="13" font-weight="bold" fill="#000000" stroke="#ffffff" stroke-width="4" paint-order="stroke">{word}</text></g>"##,
            esc(&m.title),
            x - 9.0,
            y - 9.0
        );
    }
}

/// Width of the legend's widest row (the second: three line samples and their words).
fn legend_width() -> f32 {
    60.0 + font::text_width("replaced by (forward in time)", 15.0, false)
        + 60.0
        + font::text_width("established by an Act", 15.0, false)
        + 48.0
        + font::text_width("reformed by an Act", 15.0, false)
}

/// The sentence under the legend naming the undated nodes, wrapped to the chart.
fn undated_lines(g: &PolicyGraph, chart: &Chart) -> Vec<String> {
    let mut names: Vec<&str> = chart.undated.iter().map(|&n| g.node(n).name()).collect();
    names.sort_unstable();
    let text = format!(
        "Not on the time axis (no start date recorded): {}.",
        names.join("; ")
    );
    font::wrap(&text, FONT, false, chart.width - LEFT - RIGHT)
}

/// Height of the legend under the chart.
fn legend_height() -> f32 {
    3.0 * LINE + 20.0
}

/// Text made safe for SVG text and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 cannot hold other control characters; show them as a space.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The tooltip of a node: name, dates, summary, sources.
fn tooltip(g: &PolicyGraph, bib: &Bibliography, n: NodeIndex) -> String {
    let node = g.node(n);
    let mut t = node.name().to_string();
    if let Some(y) = crate::query::timeline::dates(node) {
        t += &format!(" ({y})");
    }
    if let Some(s) = node.summary() {
        t += &format!("\n{s}");
    }
    if !node.sources().is_empty() {
        t += &format!("\nSources: {}", bib.cite_list(g, node.sources()));
    }
    t
}

/// The chart as a standalone SVG.
pub fn svg(g: &PolicyGraph, chart: &Chart) -> String {
    // The tooltips' citations, in the default style.
    let bib = Bibliography::of_sources(
        g,
        Default::default(),
        chart
            .nodes
            .iter()
            .flat_map(|p| g.node(p.node).sources().iter()),
    );
    let mut s = String::new();
    let (w, h) = (chart.width.ceil(), chart.height.ceil());
    // Writing to a String cannot fail.
    let _ = writeln!(
        s,
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{}" font-size="{FONT}" role="img" aria-labelledby="chart-title">
<title id="chart-title">{}</title>
<defs>
<marker id="pg-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="12" markerHeight="12" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#000000"/></marker>
<marker id="pg-arrow-blue" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#0072B2"/></marker>
<linearGradient id="pg-fade" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-opacity="0.9"/><stop offset="1" stop-opacity="0"/></linearGradient>
</defs>
<rect width="{w}" height="{h}" fill="#ffffff"/>
<text id="pg-chart-title" x="{LEFT}" y="30" font-size="22" font-weight="bold">{}</text>"##,
        esc(font::CSS_FAMILY),
        esc(&chart.title),
        esc(&chart.title)
    );
    // Eras: shaded bands behind, names on top.
    let (top, bottom) = chart.body;
    let band_top = TITLE + 4.0;
    for (i, era) in g.eras.iter().enumerate() {
        let from = f32::from(era.start.year_part()).max(f32::from(chart.years.0));
        let to = crate::query::timeline::era_last_year(&g.eras, i)
            .map_or(f32::from(chart.years.1), |y| f32::from(y) + 1.0)
            .min(f32::from(chart.years.1));
        if to <= from {
            continue;
        }
        let (x0, x1) = (chart.x(from), chart.x(to));
        let fill = if i % 2 == 0 { "#eef2f7" } else { "#f7f4ee" };
        let _ = writeln!(
            s,
            r##"<g class="era"><rect x="{x0:.1}" y="{band_top:.1}" width="{:.1}" height="{:.1}" fill="{fill}"/><text x="{:.1}" y="{:.1}" font-size="16" font-weight="bold" fill="#445566">{}</text></g>"##,
            x1 - x0,
            bottom - band_top,
            x0 + 6.0,
            band_top + 16.0,
            esc(&era.name)
        );
    }
    // Year ticks above the lanes and below.
    let _ = writeln!(s, r##"<g class="axis" font-size="14" fill="#444444">"##);
    for year in chart.years.0..=chart.years.1 {
        let x = chart.x(f32::from(year));
        let major = year % 5 == 0;
        let len = if major { 8.0 } else { 4.0 };
        for y in [top, bottom] {
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="#888888"/>"##,
                y - len / 2.0,
                y + len / 2.0
            );
        }
        if major {
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" x2="{x:.1}" y1="{top:.1}" y2="{bottom:.1}" stroke="#dddddd" stroke-width="1"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{year}</text><text x="{x:.1}" y="{:.1}" text-anchor="middle">{year}</text>"##,
                bottom + 20.0,
                top - 6.0
            );
        }
    }
    let _ = writeln!(s, "</g>");
    // Edges behind the nodes.
    for r in &chart.edges {
        let (x0, y0) = r.from;
        let (x1, y1) = r.to;
        let (path, stroke, width, marker, dash) = match r.relation {
            Relation::EstablishedBy => (
                // Down from the Act, then across to the start of what it established.
                format!(
                    "M{x0:.1},{y0:.1} L{x0:.1},{y1:.1} L{:.1},{y1:.1}",
                    x1.max(x0 + 0.1)
                ),
                style::edge(Relation::EstablishedBy).color,
                "1.2",
                "pg-arrow-blue",
                r#" stroke-dasharray="5 3" stroke-opacity="0.7""#,
            ),
            Relation::ReformedBy => (
                // Straight down from the Act onto the bar it reformed.
                format!("M{x0:.1},{y0:.1} L{x1:.1},{y1:.1}"),
                style::edge(Relation::ReformedBy).color,
                "1.2",
                "pg-arrow-blue",
                r#" stroke-dasharray="1.5 3" stroke-opacity="0.8""#,
            ),
            _ => {
                let mid = (x0 + x1) / 2.0;
                let c = if (y1 - y0).abs() < 1.0 {
                    // End to end on one lane: a short stroke so the arrowhead has a
                    // direction to point in.
                    format!("M{:.1},{y0:.1} L{x1:.1},{y1:.1}", x0.min(x1 - 10.0))
                } else {
                    let bend = (x1 - x0).abs().max(24.0) / 2.0;
                    format!(
                        "M{x0:.1},{y0:.1} C{:.1},{y0:.1} {:.1},{y1:.1} {x1:.1},{y1:.1}",
                        (mid).max(x0 + bend.min(40.0)),
                        (mid).min(x1 - bend.min(40.0))
                    )
                };
                (c, "#000000", "2.2", "pg-arrow", "")
            }
        };
        let (a, b) = g.endpoints(r.edge);
        let _ = writeln!(
            s,
            r##"<g id="edge-{}" class="edge {}"><title>{}</title><path d="{path}" fill="none" stroke="{stroke}" stroke-width="{width}" marker-end="url(#{marker})"{dash}/></g>"##,
            r.edge.index(),
            r.relation.as_str(),
            esc(&format!(
                "{} {} {}",
                g.node(a).name(),
                r.relation.as_str(),
                g.node(b).name()
            ))
        );
    }
    // Nodes.
    for p in &chart.nodes {
        let node = g.node(p.node);
        let fill = style::node(node.kind).fill;
        let _ = write!(
            s,
            r##"<g id="node-{}" class="node {}"><title>{}</title>"##,
            esc(node.id()),
            node.kind.as_str(),
            esc(&tooltip(g, &bib, p.node))
        );
        let b = p.bar;
        match p.end {
            BarEnd::Event => {
                let (cx, cy) = (b.x + b.w / 2.0, b.y + b.h / 2.0);
                let _ = write!(
                    s,
                    r##"<path d="M{cx:.1},{:.1} L{:.1},{cy:.1} L{cx:.1},{:.1} L{:.1},{cy:.1} z" fill="{fill}" stroke="#333333" stroke-width="1.2"/>"##,
                    b.y,
                    b.x + b.w,
                    b.y + b.h,
                    b.x
                );
            }
            _ => {
                let rx = if node.kind == NodeKind::Initiative {
                    5.0
                } else {
                    0.0
                };
                let _ = write!(
                    s,
                    r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="{rx}" fill="{fill}" stroke="#333333" stroke-width="1"/>"##,
                    b.x, b.y, b.w, b.h
                );
                let end = b.x + b.w;
                match p.end {
                    BarEnd::Ongoing => {
                        let _ = write!(
                            s,
                            r##"<path d="M{end:.1},{:.1} L{:.1},{:.1} L{end:.1},{:.1} z" fill="{fill}" stroke="#333333"/>"##,
                            b.y - 3.0,
                            end + 10.0,
                            b.y + b.h / 2.0,
                            b.y + b.h + 3.0
                        );
                    }
                    BarEnd::Unknown => {
                        let tail = UNKNOWN_TAIL * chart.year_px;
                        let _ = write!(
                            s,
                            r##"<line x1="{end:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="{fill}" stroke-width="{BAR}" stroke-dasharray="6 5" stroke-opacity="0.55"/><text x="{:.1}" y="{:.1}" font-weight="bold" fill="#555555">?</text>"##,
                            end + tail,
                            b.y + b.h / 2.0,
                            b.y + b.h / 2.0,
                            end + tail + 3.0,
                            b.y + b.h
                        );
                    }
                    _ => {}
                }
            }
        }
        for (i, line) in p.lines.iter().enumerate() {
            let _ = write!(
                s,
                r##"<text class="pg-label" x="{:.1}" y="{:.1}">{}</text>"##,
                p.label.x,
                p.label.y + LINE * (i as f32 + 1.0) - 4.0,
                esc(line)
            );
        }
        let _ = writeln!(s, "</g>");
    }
    draw_marks(&mut s, chart);
    legend(&mut s, chart);
    if !chart.undated.is_empty() {
        let top = chart.body.1 + AXIS + legend_height() + 14.0;
        let _ = writeln!(s, r##"<g class="undated" font-size="15" fill="#333333">"##);
        for (i, line) in undated_lines(g, chart).iter().enumerate() {
            let _ = writeln!(
                s,
                r##"<text x="{LEFT:.1}" y="{:.1}">{}</text>"##,
                top + i as f32 * LINE,
                esc(line)
            );
        }
        let _ = writeln!(s, "</g>");
    }
    s.push_str("</svg>\n");
    s
}

fn legend(s: &mut String, chart: &Chart) {
    let y = chart.body.1 + AXIS + 14.0;
    let items: [(&str, &str); 3] = [
        ("initiative", style::node(NodeKind::Initiative).fill),
        ("body", style::node(NodeKind::Body).fill),
        ("Act (law)", style::node(NodeKind::Legislation).fill),
    ];
    let _ = writeln!(s, r##"<g class="legend" font-size="15">"##);
    let mut x = LEFT;
    for (name, fill) in items {
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{:.1}" width="28" height="10" fill="{fill}" stroke="#333333"/><text x="{:.1}" y="{:.1}">{name}</text>"##,
            y - 9.0,
            x + 34.0,
            y
        );
        x += 44.0 + font::text_width(name, 15.0, false) + 16.0;
    }
    let y2 = y + LINE + 4.0;
    let _ = write!(
        s,
        r##"<path d="M{LEFT:.1},{:.1} L{:.1},{:.1}" stroke="#000000" stroke-width="2.2" marker-end="url(#pg-arrow)"/><text x="{:.1}" y="{y2:.1}">replaced by (forward in time)</text>"##,
        y2 - 4.0,
        LEFT + 40.0,
        y2 - 4.0,
        LEFT + 48.0
    );
    let x2 = LEFT + 60.0 + font::text_width("replaced by (forward in time)", 15.0, false);
    let _ = write!(
        s,
        r##"<path d="M{x2:.1},{:.1} L{:.1},{:.1}" stroke="#0072B2" stroke-width="1.2" stroke-dasharray="5 3" marker-end="url(#pg-arrow-blue)"/><text x="{:.1}" y="{y2:.1}">established by an Act</text>"##,
        y2 - 4.0,
        x2 + 40.0,
        y2 - 4.0,
        x2 + 48.0
    );
    if chart
        .edges
        .iter()
        .any(|r| r.relation == Relation::ReformedBy)
    {
        let x4 = x2 + 60.0 + font::text_width("established by an Act", 15.0, false);
        let _ = write!(
            s,
            r##"<path d="M{x4:.1},{:.1} L{:.1},{:.1}" stroke="#0072B2" stroke-width="1.2" stroke-dasharray="1.5 3" marker-end="url(#pg-arrow-blue)"/><text x="{:.1}" y="{y2:.1}">reformed by an Act</text>"##,
            y2 - 4.0,
            x4 + 40.0,
            y2 - 4.0,
            x4 + 48.0
        );
    }
    let y3 = y2 + LINE + 4.0;
    let _ = write!(
        s,
        r##"<rect x="{LEFT:.1}" y="{:.1}" width="30" height="10" fill="#cccccc" stroke="#333333"/><path d="M{:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} z" fill="#cccccc" stroke="#333333"/><text x="{:.1}" y="{y3:.1}">still running (ongoing)</text>"##,
        y3 - 9.0,
        LEFT + 30.0,
        y3 - 12.0,
        LEFT + 40.0,
        y3 - 4.0,
        LEFT + 30.0,
        y3 + 4.0,
        LEFT + 48.0
    );
    let x3 = LEFT + 64.0 + font::text_width("still running (ongoing)", 15.0, false);
    let _ = write!(
        s,
        r##"<rect x="{x3:.1}" y="{:.1}" width="14" height="10" fill="#cccccc" stroke="#333333"/><line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#cccccc" stroke-width="10" stroke-dasharray="6 5"/><text x="{:.1}" y="{y3:.1}" font-weight="bold" fill="#555555">?</text><text x="{:.1}" y="{y3:.1}">end not recorded</text>"##,
        y3 - 9.0,
        x3 + 14.0,
        x3 + 44.0,
        y3 - 4.0,
        y3 - 4.0,
        x3 + 47.0,
        x3 + 60.0
    );
    let _ = writeln!(s, "</g>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture::graph;
    use crate::view::{Narrow, ViewSpec, view};

    fn chart(spec: &str) -> (PolicyGraph, Chart) {
        let g = graph(spec);
        let v = view(&g, &ViewSpec::Lineage(None), &Narrow::default());
        let c = layout(&g, &v);
        (g, c)
    }

    fn placed<'a>(g: &PolicyGraph, c: &'a Chart, id: &str) -> &'a Placed {
        c.nodes
            .iter()
            .find(|p| g.node(p.node).id() == id)
            .unwrap_or_else(|| panic!("{id} placed"))
    }

    const CHAIN: &str = "pcg body 1999-04-01 2002-03-31; pct body 2002-04-01 2013-03-31; ccg body 2013-04-01 2022-06-30; \
        icb body 2022-07-01 ongoing; act legislation 2012-03; pct replaced pcg; ccg replaced pct; \
        icb replaced ccg; ccg established-by act";

    #[test]
    fn a_chain_reads_as_one_row_in_time_order_with_arrows_forward() {
        let (g, c) = chart(CHAIN);
        let lane = placed(&g, &c, "pct").lane;
        for id in ["pcg", "ccg", "icb"] {
            assert_eq!(placed(&g, &c, id).lane, lane, "{id} on the chain's row");
        }
        assert!(placed(&g, &c, "pcg").bar.x < placed(&g, &c, "pct").bar.x);
        assert!(placed(&g, &c, "ccg").bar.x < placed(&g, &c, "icb").bar.x);
        for r in c.edges.iter().filter(|r| r.relation == Relation::Replaced) {
            assert!(r.from.0 <= r.to.0, "forward in time: {r:?}");
        }
        assert_eq!(placed(&g, &c, "icb").end, BarEnd::Ongoing);
        assert_eq!(placed(&g, &c, "act").end, BarEnd::Event);
    }

    #[test]
    fn a_merger_and_a_split_converge_and_diverge() {
        let (g, c) = chart(
            "monitor body 2004 2016-03; tda body 2012 2016-03; nhsi body 2016-04 2022; \
             nhsi replaced monitor; nhsi replaced tda; phe body 2013 2021; ukhsa body 2021-04 ongoing; \
             ohid body 2021-10 ongoing; ukhsa replaced phe; ohid replaced phe",
        );
        let into = |id: &str| {
            let p = placed(&g, &c, id);
            c.edges
                .iter()
                .filter(|r| r.to == (p.bar.x, p.bar.y + BAR / 2.0))
                .count()
        };
        assert_eq!(into("nhsi"), 2, "two arrows converge on the merger");
        let phe = placed(&g, &c, "phe");
        let out = c
            .edges
            .iter()
            .filter(|r| (r.from.1 - (phe.bar.y + BAR / 2.0)).abs() < 0.01)
            .count();
        assert_eq!(out, 2, "two arrows leave the split");
        let (ukhsa, ohid) = (placed(&g, &c, "ukhsa").lane, placed(&g, &c, "ohid").lane);
        assert!(
            ukhsa.abs_diff(ohid) == 1,
            "a split's successors sit on adjacent lanes"
        );
    }

    #[test]
    fn an_unknown_end_never_reaches_the_edge() {
        let (g, c) = chart("a body 2000; b body 2005 ongoing; b replaced a");
        let a = placed(&g, &c, "a");
        let b = placed(&g, &c, "b");
        assert_eq!(a.end, BarEnd::Unknown);
        assert!(a.bar.x + a.bar.w < b.bar.x + b.bar.w - 3.0 * YEAR);
        let text = svg(&g, &c);
        assert!(text.contains(">?</text>"));
    }

    #[test]
    fn no_two_labels_or_bars_overlap() {
        let (g, c) = chart(&format!(
            "{CHAIN}; x initiative 2000; y initiative 2000; z initiative 2001 2003; \
             w initiative 2001 ongoing; long-named-programme-of-integration initiative 2002"
        ));
        let _ = &g;
        for (i, a) in c.nodes.iter().enumerate() {
            for b in &c.nodes[i + 1..] {
                assert!(!a.label.overlaps(&b.label), "{a:?} and {b:?}");
                if a.end != BarEnd::Event && b.end != BarEnd::Event {
                    assert!(!a.bar.overlaps(&b.bar), "{a:?} and {b:?}");
                    assert!(!a.label.overlaps(&b.bar) && !b.label.overlaps(&a.bar));
                }
            }
        }
    }

    #[test]
    fn hostile_names_stay_text() {
        let mut g = graph("a body 2000; b body 2005; b replaced a");
        let _ = &mut g;
        assert_eq!(esc("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(esc("a\u{1b}b"), "a b");
    }
}
