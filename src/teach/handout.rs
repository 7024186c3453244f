//! The seminar handout, in Markdown and in print-friendly HTML: the timeline, the
//! lineage chains, the critiques table, the layering chart, discussion questions and a
//! bibliography of every document cited, in the chosen CSL style (Cite Them Right
//! Harvard by default).
//!
//! [`handout`] gathers the content (pure); [`markdown`] and [`html`] write it. Every
//! piece of data text goes through [`md`] or maud's escaping, so a name such as
//! `<img src=x onerror=alert(1)>` is shown as text, never as markup.

use super::questions::questions;
use crate::graph::{NodeIndex, PolicyGraph};
use crate::model::{NodeKind, Relation};
use crate::query::bibliography::{Bibliography, Piece, Reference};
use crate::query::critiques::{Query, critiques};
use crate::query::stats::layering;
use crate::query::timeline::{Event, Window, timeline};
use crate::view::View;
use maud::{DOCTYPE, Markup, PreEscaped, html as markup};
use std::collections::BTreeSet;

/// One timeline row.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    /// The date as written ("2013-04-01", "1999").
    pub date: String,
    /// "began" or "ended".
    pub event: &'static str,
    /// The node's name.
    pub name: String,
    /// Its kind.
    pub kind: NodeKind,
}

/// One member of a lineage chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The node's name.
    pub name: String,
    /// "2000 to 2013", "from 2022", or empty.
    pub years: String,
    /// What it replaced, by name.
    pub replaced: Vec<String>,
    /// What replaced it, by name.
    pub replaced_by: Vec<String>,
}

/// A lineage chain as text: a straight line of succession drawn with arrows, or, when
/// the group holds a merger or a split, one line per member saying what it replaced
/// and what replaced it, so no merger or split is flattened into a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainText {
    /// "A (1999 to 2002) → B (2000 to 2013) → C (from 2013, ongoing)".
    Line(String),
    /// "B (2016 to 2022): replaced A and C (a merger)", one per member, oldest first.
    Events(Vec<String>),
}

/// `chain` as text (see [`ChainText`]). A chain is a straight line when each member
/// after the first replaced exactly the member before it, and nothing else did.
pub fn chain_text(chain: &[Link]) -> ChainText {
    let straight = chain.iter().enumerate().all(|(i, l)| {
        let before = i.checked_sub(1).map(|p| chain[p].name.as_str());
        let after = chain.get(i + 1).map(|n| n.name.as_str());
        l.replaced.iter().map(String::as_str).eq(before)
            && l.replaced_by.iter().map(String::as_str).eq(after)
    });
    let named = |l: &Link| {
        if l.years.is_empty() {
            l.name.clone()
        } else {
            format!("{} ({})", l.name, l.years)
        }
    };
    if straight {
        return ChainText::Line(chain.iter().map(named).collect::<Vec<_>>().join(" → "));
    }
    let list = |v: &[String]| {
        let names: Vec<&str> = v.iter().map(String::as_str).collect();
        crate::query::narrate::and_list(&names)
    };
    ChainText::Events(
        chain
            .iter()
            .map(|l| {
                let mut parts = Vec::new();
                if !l.replaced.is_empty() {
                    parts.push(format!(
                        "replaced {}{}",
                        list(&l.replaced),
                        if l.replaced.len() > 1 {
                            " (a merger)"
                        } else {
                            ""
                        }
                    ));
                }
                if !l.replaced_by.is_empty() {
                    parts.push(format!(
                        "replaced by {}{}",
                        list(&l.replaced_by),
                        if l.replaced_by.len() > 1 {
                            " (a split)"
                        } else {
                            ""
                        }
                    ));
                }
                format!("{}: {}", named(l), parts.join("; "))
            })
            .collect(),
    )
}

/// One judgement.
#[derive(Debug, Clone, PartialEq)]
pub struct CritiqueRow {
    /// What was judged.
    pub subject: String,
    /// The finding (or the document, for a judgement recorded without one).
    pub finding: String,
    /// The stance, or "not stated".
    pub stance: String,
    /// The short citation of the document that makes it.
    pub source: String,
    /// Where it says so.
    pub locator: String,
    /// Later documents that report it, with where: "Miller et al. 2021, L149".
    pub reported_in: String,
}

/// Everything the handout says.
#[derive(Debug, Clone, PartialEq)]
pub struct Handout {
    /// The heading.
    pub title: String,
    /// The story's title (the seminar view's).
    pub subtitle: String,
    /// Starts and ends of everything in the story, in date order.
    pub timeline: Vec<TimelineRow>,
    /// Each chain of replacements, oldest first.
    pub chains: Vec<Vec<Link>>,
    /// Every judgement.
    pub critiques: Vec<CritiqueRow>,
    /// Where the sources disagree with the public record: each record's name and its
    /// `attrs.discrepancy` text ([`crate::query::discrepancies`]).
    pub discrepancies: Vec<(String, String)>,
    /// The layering chart (SVG), when initiatives are dated.
    pub chart: Option<String>,
    /// What the layering chart shows, as sentences ([`layering_sentences`]).
    pub layering: Vec<String>,
    /// Questions for discussion.
    pub questions: Vec<String>,
    /// Every document cited.
    pub bibliography: Vec<Reference>,
    /// One picture per seminar step (an era, or a span of years), in order.
    pub eras: Vec<EraFigure>,
}

/// A step's pictures in the handout: its deck slides (a crowded era has several), each
/// the story up to then with what is new outlined.
#[derive(Debug, Clone, PartialEq)]
pub struct EraFigure {
    /// The step's title: an era's name, or the years.
    pub title: String,
    /// The years it covers.
    pub years: String,
    /// The era's summary, if it has one.
    pub summary: Option<String>,
    /// The slides' SVG files, relative to the handout.
    pub files: Vec<String>,
}

fn years(g: &PolicyGraph, n: NodeIndex) -> String {
    let node = g.node(n);
    use crate::model::End;
    match (node.start, node.end) {
        (Some(s), End::On(e)) => format!("{} to {}", s.year_part(), e.year_part()),
        (Some(s), End::Unknown) if !node.kind.has_lifespan() => s.year_part().to_string(),
        (Some(s), End::Ongoing) => format!("from {}, ongoing", s.year_part()),
        (Some(s), End::Unknown) => format!("from {}, end not recorded", s.year_part()),
        (None, End::On(e)) => format!("until {}", e.year_part()),
        (None, End::Ongoing) => "ongoing".into(),
        (None, End::Unknown) => String::new(),
    }
}

/// Each chain of `replaced` edges among `nodes` (a connected group, merges and splits
/// included), its members in time order.
fn chains(g: &PolicyGraph, nodes: &BTreeSet<NodeIndex>) -> Vec<Vec<Link>> {
    let replaced = |n: NodeIndex, dir: petgraph::Direction| -> Vec<NodeIndex> {
        g.edges_of(n, dir)
            .into_iter()
            .filter(|&e| g.edge(e).relation == Relation::Replaced)
            .map(|e| {
                let (a, b) = g.endpoints(e);
                if a == n { b } else { a }
            })
            .filter(|m| nodes.contains(m))
            .collect()
    };
    let mut seen: BTreeSet<NodeIndex> = BTreeSet::new();
    let mut starts: Vec<NodeIndex> = nodes.iter().copied().collect();
    crate::query::sort_by_time(g, &mut starts);
    let mut out = Vec::new();
    for n in starts {
        if seen.contains(&n) {
            continue;
        }
        // The connected group along `replaced`, either way.
        let mut group = vec![n];
        let mut queue = vec![n];
        seen.insert(n);
        while let Some(m) = queue.pop() {
            for next in replaced(m, petgraph::Direction::Outgoing)
                .into_iter()
                .chain(replaced(m, petgraph::Direction::Incoming))
            {
                if seen.insert(next) {
                    group.push(next);
                    queue.push(next);
                }
            }
        }
        if group.len() < 2 {
            continue;
        }
        crate::query::sort_by_time(g, &mut group);
        out.push(
            group
                .into_iter()
                .map(|m| {
                    let mut before = replaced(m, petgraph::Direction::Outgoing);
                    crate::query::sort_by_time(g, &mut before);
                    let mut after = replaced(m, petgraph::Direction::Incoming);
                    crate::query::sort_by_time(g, &mut after);
                    Link {
                        name: g.node(m).name().to_string(),
                        years: years(g, m),
                        replaced: before
                            .iter()
                            .map(|&b| g.node(b).name().to_string())
                            .collect(),
                        replaced_by: after
                            .iter()
                            .map(|&a| g.node(a).name().to_string())
                            .collect(),
                    }
                })
                .collect(),
        );
    }
    out
}

/// The time chart of the story, written beside the handout (the deck's one layout).
pub const STORY_FILE: &str = "story.svg";

/// What the chains section says of itself.
const CHAINS_INTRO: &str = "Each line of succession is listed oldest first. A straight line is \
    drawn with arrows; where organisations merged or split, each member says what it replaced \
    and what replaced it.";

/// Gathers the handout for a seminar over `story`.
pub fn handout(g: &PolicyGraph, bib: &Bibliography, story: &View) -> Handout {
    let members: BTreeSet<NodeIndex> = story.nodes.iter().copied().collect();
    let timeline = timeline(g, &Window::default())
        .into_iter()
        .filter(|r| members.contains(&r.node))
        .map(|r| TimelineRow {
            date: r.date.to_string(),
            event: match r.event {
                Event::Start => "began",
                Event::End => "ended",
            },
            name: g.node(r.node).name().to_string(),
            kind: g.node(r.node).kind,
        })
        .collect();
    let critiques = critiques(g, &Query::default())
        .into_iter()
        .map(|r| CritiqueRow {
            subject: g.node(r.subject).name().to_string(),
            finding: r
                .finding
                .or(r.document)
                .map(|f| g.node(f).name().to_string())
                .unwrap_or_default(),
            stance: r
                .stance
                .map_or_else(|| "not stated".to_string(), |s| s.to_string()),
            source: r.document.map(|d| bib.cite(g, d)).unwrap_or_default(),
            locator: r
                .locator
                .map(|(doc, at)| match g.get(&doc) {
                    Some(d) if Some(d) != r.document => {
                        format!("{}, {at}", bib.cite(g, d))
                    }
                    _ => at,
                })
                .unwrap_or_default(),
            reported_in: r
                .reported_in
                .iter()
                .map(|(d, at)| match at {
                    Some((doc, at)) if g.get(doc) == Some(*d) => {
                        format!("{}, {at}", bib.cite(g, *d))
                    }
                    _ => bib.cite(g, *d),
                })
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let layers = layering(g);
    let (first, last) = {
        let dated: Vec<u16> = story
            .nodes
            .iter()
            .filter_map(|&n| crate::query::year(g, n))
            .collect();
        (dated.iter().min().copied(), dated.iter().max().copied())
    };
    Handout {
        title: match (first, last) {
            (Some(f), Some(l)) => format!("Seminar handout: {f} to {l}"),
            _ => "Seminar handout".to_string(),
        },
        subtitle: story.title.clone(),
        timeline,
        chains: chains(g, &members),
        critiques,
        discrepancies: crate::query::discrepancies(g)
            .into_iter()
            .map(|(n, text)| (g.node(n).name().to_string(), text.to_string()))
            .collect(),
        chart: {
            let l = crate::query::layering::layering(g, None, None);
            (!l.years.is_empty())
                .then(|| crate::layeringchart::svg(&l, crate::cmd::layering::TITLE))
        },
        layering: layering_sentences(g, &crate::query::layering::layering(g, None, None)),
        questions: questions(g, bib, &layers),
        bibliography: bib.references().to_vec(),
        // The seminar adds the era pictures, which need the chart's layout.
        eras: Vec::new(),
    }
}

/// What the layering chart shows, in a few sentences (the measures are defined in
/// [`crate::query::layering`]): the peak of initiatives known to be running, with the
/// band of unknown ends; what was added, how, and what ended; and drift. Empty when no
/// initiative is dated.
pub fn layering_sentences(g: &PolicyGraph, l: &crate::query::layering::Layering) -> Vec<String> {
    let (Some(first), Some(last)) = (l.years.first(), l.years.last()) else {
        return Vec::new();
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let and = |names: Vec<String>| match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    let mut out = Vec::new();
    let (peak_years, peak) = l.peak();
    if let Some(&py) = peak_years.first() {
        let maybe = l.year(py).map_or(0, |y| y.possibly.len());
        let when: Vec<String> = peak_years.iter().map(|y| format!("{y:04}")).collect();
        out.push(format!(
            "Initiatives known to be running peaked at {peak}, in {}; counting those whose \
             end is not recorded, up to {} may have run in {py:04}.",
            and(when),
            peak + maybe
        ));
    }
    let sum = |f: &dyn Fn(&crate::query::layering::Year) -> usize| -> usize {
        l.years.iter().map(f).sum()
    };
    let added = sum(&|y| y.added());
    let layered = sum(&|y| y.layered.len());
    let replacing = sum(&|y| y.replacing.len());
    let alone = sum(&|y| y.first.len());
    let ended = sum(&|y| y.ended.len());
    out.push(format!(
        "From {:04} to {:04}, {} added: {} beside others already running, replacing \
         none (layering), {} in place of what {} replaced, and {} with nothing earlier \
         running; {} ended.",
        first.year,
        last.year,
        plural(added, "initiative was", "initiatives were"),
        layered,
        replacing,
        if replacing == 1 { "it" } else { "they" },
        alone,
        ended
    ));
    // Each drifting initiative once, with the first year and how many years; the same
    // for those only possibly running, with the bodies that established them.
    let gather = |possibly: bool| {
        let mut found: Vec<(NodeIndex, u16, usize, Vec<NodeIndex>)> = Vec::new();
        for y in &l.years {
            let list = if possibly {
                &y.possibly_drifting
            } else {
                &y.drifting
            };
            for (n, bodies) in list {
                match found.iter_mut().find(|d| d.0 == *n) {
                    Some(d) => d.2 += 1,
                    None => found.push((*n, y.year, 1, bodies.clone())),
                }
            }
        }
        found
    };
    let drifters = gather(false);
    let maybe = gather(true);
    let maybe_text = and(maybe
        .iter()
        .map(|(n, from, _, bodies)| {
            format!(
                "{} (established by {}, gone by {from:04})",
                g.node(*n).name(),
                and(bodies
                    .iter()
                    .map(|&b| g.node(b).name().to_string())
                    .collect())
            )
        })
        .collect());
    let known = if drifters.is_empty() {
        "No initiative is known to have run on after every body that established it had \
         been dissolved (drift)"
            .to_string()
    } else {
        format!(
            "{} ran on after every body that established {} had been dissolved (drift): {}",
            plural(drifters.len(), "initiative", "initiatives"),
            if drifters.len() == 1 { "it" } else { "them" },
            and(drifters
                .iter()
                .map(|&(n, from, years, _)| {
                    format!(
                        "{} (from {from:04}, {})",
                        g.node(n).name(),
                        plural(years, "year", "years")
                    )
                })
                .collect())
        )
    };
    out.push(if maybe.is_empty() {
        format!("{known}.")
    } else {
        format!(
            "{known}; {} whose end is not recorded may have: {maybe_text}.",
            maybe.len()
        )
    });
    out
}

/// Escapes text for Markdown: every character with a meaning in Markdown or in the
/// HTML a Markdown renderer passes through is backslash-escaped, and line breaks become
/// spaces, so data text can never become a heading, link, table cell border or tag.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // At the start of a line a `-`, `+` or `=`, or digits then `.` or `)`, would begin a
    // list or underline a heading: escape that one character.
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let marker = match text.chars().next() {
        Some('-' | '+' | '=') => Some(0),
        Some(_) if digits > 0 && matches!(text[digits..].chars().next(), Some('.' | ')')) => {
            Some(digits)
        }
        _ => None,
    };
    for (i, c) in text.chars().enumerate() {
        if Some(i) == marker {
            out.push('\\');
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#' | '!' | '{'
            | '}' | '$' | '"' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text as a one-line Markdown code span: shown literally, never markup and never a
/// link (GitHub's autolinking of bare `https://...` text skips code). Line breaks and
/// other control characters become spaces; the fence is longer than any run of
/// backticks inside, and padded with a space each side, which readers strip.
pub fn md_code(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in flat.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {flat} {fence}")
}

/// What the handout says before an address that is no web link (shown as code).
const NOT_A_LINK: &str = "Address given (not a web link)";

fn md_reference(r: &Reference) -> String {
    let mut s = String::new();
    for p in &r.pieces {
        // A checked link (crate::weblink) holds no space, `<`, `>` or control
        // character, so the autolink cannot be broken out of; anything else is text.
        let text = match &p.link {
            Some(l) if *l == p.text => format!("<{l}>"),
            Some(l) => format!("[{}](<{l}>)", md(&p.text)),
            None => md(&p.text),
        };
        let text = match (p.italic, p.bold) {
            _ if text.trim().is_empty() => text,
            (true, true) => format!("***{text}***"),
            (true, false) => format!("*{text}*"),
            (false, true) => format!("**{text}**"),
            (false, false) => text,
        };
        s.push_str(&text);
    }
    if let Some(t) = &r.not_a_link {
        s.push_str(&format!(" {NOT_A_LINK}: {}", md_code(t)));
    }
    s
}

/// What the era pictures show.
const ERAS_INTRO: &str = "The slides of the seminar, era by era: the time chart up to then, what began in the era outlined in vermilion, what came before dimmed.";

fn era_alt(e: &EraFigure) -> String {
    format!(
        "{} ({}): the time chart, what is new in it outlined",
        e.title, e.years
    )
}

/// The handout as Markdown; the chart is linked as `chart_file`.
pub fn markdown(h: &Handout, chart_file: &str) -> String {
    let mut s = format!("# {}\n\n*{}*\n\n", md(&h.title), md(&h.subtitle));
    s.push_str("## Timeline\n\n| Date | Event | What | Kind |\n|---|---|---|---|\n");
    for r in &h.timeline {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            md(&r.date),
            r.event,
            md(&r.name),
            r.kind
        ));
    }
    s.push_str("\n## Lineage chains\n\n");
    s.push_str(&format!(
        "![The story on a time axis: what replaced what, and the Acts behind it]({STORY_FILE})\n\n"
    ));
    s.push_str(CHAINS_INTRO);
    s.push_str("\n\n");
    for (i, chain) in h.chains.iter().enumerate() {
        match chain_text(chain) {
            ChainText::Line(line) => s.push_str(&format!("{}. {}\n", i + 1, md(&line))),
            ChainText::Events(lines) => {
                s.push_str(&format!("{}. A merger or split:\n", i + 1));
                for line in lines {
                    s.push_str(&format!("   - {}\n", md(&line)));
                }
            }
        }
    }
    if !h.eras.is_empty() {
        s.push_str("\n## The eras\n\n");
        s.push_str(ERAS_INTRO);
        s.push('\n');
        for e in &h.eras {
            s.push_str(&format!("\n### {} ({})\n\n", md(&e.title), md(&e.years)));
            if let Some(summary) = &e.summary {
                s.push_str(&format!("{}\n\n", md(summary)));
            }
            for f in &e.files {
                s.push_str(&format!("![{}]({f})\n", md(&era_alt(e))));
            }
        }
    }
    s.push_str(
        "\n## Critiques\n\n| Judged | Finding | Stance | Source | Where | Reported in |\n|---|---|---|---|---|---|\n",
    );
    for r in &h.critiques {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            md(&r.subject),
            md(&r.finding),
            md(&r.stance),
            md(&r.source),
            md(&r.locator),
            md(&r.reported_in)
        ));
    }
    if !h.discrepancies.is_empty() {
        s.push_str(&format!("\n## {DISCREPANCIES}\n\n"));
        for (name, text) in &h.discrepancies {
            s.push_str(&format!("- {}: {}\n", md(name), md(text)));
        }
    }
    if h.chart.is_some() {
        s.push_str(&format!(
            "\n## Layering\n\n![Initiatives per year: running, possibly running, added, ended and drifting]({chart_file})\n"
        ));
        if !h.layering.is_empty() {
            s.push('\n');
            for line in &h.layering {
                s.push_str(&format!("- {}\n", md(line)));
            }
        }
    }
    s.push_str("\n## Questions for discussion\n\n");
    for (i, q) in h.questions.iter().enumerate() {
        s.push_str(&format!("{}. {}\n", i + 1, md(q)));
    }
    s.push_str("\n## Bibliography\n\n");
    for r in &h.bibliography {
        s.push_str(&format!("- {}\n", md_reference(r)));
    }
    s
}

fn html_piece(p: &Piece) -> Markup {
    let text = markup! {
        @match &p.link { Some(l) => { a href=(l) { (p.text) } } None => { (p.text) } }
    };
    markup! {
        @match (p.italic, p.bold) {
            (true, true) => { em { strong { (text) } } }
            (true, false) => { em { (text) } }
            (false, true) => { strong { (text) } }
            (false, false) => { (text) }
        }
    }
}

fn html_reference(r: &Reference) -> Markup {
    markup! {
        @for p in &r.pieces { (html_piece(p)) }
        @if let Some(t) = &r.not_a_link { " " (NOT_A_LINK) ": " code { (t) } }
    }
}

/// The heading of the handout's list of records whose sources disagree with the public
/// record.
const DISCREPANCIES: &str = "Where the sources disagree with the public record";

/// The handout as one print-friendly HTML page, the chart inline.
pub fn html(h: &Handout) -> String {
    let page = markup! {
        (DOCTYPE)
        html lang="en" {
            (super::html::page_head(&h.title, include_str!("assets/handout.css")))
            body {
                header { h1 { (h.title) } p.subtitle { (h.subtitle) } }
                section #timeline {
                    h2 { "Timeline" }
                    table {
                        thead { tr { th { "Date" } th { "Event" } th { "What" } th { "Kind" } } }
                        tbody { @for r in &h.timeline { tr { td.date { (r.date) } td { (r.event) } td { (r.name) } td { (r.kind.as_str()) } } } }
                    }
                }
                section #lineage {
                    h2 { "Lineage chains" }
                    figure.story { img src=(STORY_FILE) alt="The story on a time axis: what replaced what, and the Acts behind it"; }
                    p { (CHAINS_INTRO) }
                    ol { @for chain in &h.chains { li {
                        @match chain_text(chain) {
                            ChainText::Line(line) => { (line) }
                            ChainText::Events(lines) => {
                                "A merger or split:"
                                ul { @for line in &lines { li { (line) } } }
                            }
                        }
                    } } }
                }
                @if !h.eras.is_empty() {
                    section #eras {
                        h2 { "The eras" }
                        p { (ERAS_INTRO) }
                        @for e in &h.eras {
                            h3 { (e.title) " " span.years { "(" (e.years) ")" } }
                            @if let Some(summary) = &e.summary { p { (summary) } }
                            @for f in &e.files { figure.era { img src=(f) alt=(era_alt(e)); } }
                        }
                    }
                }
                section #critiques {
                    h2 { "Critiques" }
                    table {
                        thead { tr { th { "Judged" } th { "Finding" } th { "Stance" } th { "Source" } th { "Where" } th { "Reported in" } } }
                        tbody { @for r in &h.critiques { tr {
                            td { (r.subject) } td { (r.finding) }
                            td class={ "stance " (r.stance.replace(' ', "-")) } { (r.stance) }
                            td { (r.source) } td { (r.locator) } td { (r.reported_in) }
                        } } }
                    }
                }
                @if !h.discrepancies.is_empty() {
                    section #discrepancies {
                        h2 { (DISCREPANCIES) }
                        ul { @for (name, text) in &h.discrepancies { li { strong { (name) } ": " (text) } } }
                    }
                }
                @if let Some(svg) = &h.chart {
                    section #layering {
                        h2 { "Layering" }
                        figure.layering { (PreEscaped(svg)) }
                        @if !h.layering.is_empty() { ul { @for line in &h.layering { li { (line) } } } }
                    }
                }
                section #questions {
                    h2 { "Questions for discussion" }
                    ol { @for q in &h.questions { li { (q) } } }
                }
                section #bibliography {
                    h2 { "Bibliography" }
                    ul.references { @for r in &h.bibliography { li { (html_reference(r)) } } }
                }
            }
        }
    };
    page.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping_leaves_no_markup() {
        assert_eq!(
            md("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert(1)\\>"
        );
        assert_eq!(md("a | b\nc"), "a \\| b c");
        assert_eq!(
            md("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(md("- x"), "\\- x");
        assert_eq!(md("1986. x"), "1986\\. x");
    }

    /// A handout whose bibliography has a document for each `(key, value)` address,
    /// rendered by the real driver.
    fn with_addresses(addresses: &[(&str, &str)]) -> Handout {
        let mut text = String::new();
        for (i, (key, value)) in addresses.iter().enumerate() {
            text += &format!(
                "[[node]]\nid = \"d{i}\"\nkind = \"document\"\nname = \"Document {i}\"\n\
                 start = \"2020\"\nattrs = {{ authors = \"A. Author\", {key} = {} }}\n\
                 sources = [{{ doc = \"d{i}\", at = \"p\" }}]\n",
                toml::Value::String((*value).to_string())
            );
        }
        let g = crate::open::finish(crate::load::toml_text("t.toml", &text), false).graph;
        let bibliography = Bibliography::new(&g, Default::default())
            .references()
            .to_vec();
        assert_eq!(bibliography.len(), addresses.len());
        Handout {
            title: "Seminar handout".into(),
            subtitle: "A story".into(),
            timeline: Vec::new(),
            chains: Vec::new(),
            critiques: Vec::new(),
            discrepancies: Vec::new(),
            chart: None,
            layering: Vec::new(),
            questions: Vec::new(),
            bibliography,
            eras: Vec::new(),
        }
    }

    #[test]
    fn an_address_from_the_data_adds_no_markup_to_the_handout() {
        use pulldown_cmark::{Event, Tag, TagEnd};
        let breakout = "\n[x](javascript:alert(1))\n![img](http://evil/x.png)\n# heading\n<script>alert(1)</script>";
        let h = with_addresses(&[
            ("url", &format!("https://example.org/a>{breakout}")),
            ("doi", &format!("10.1000/x>{breakout}")),
            ("url", "javascript:alert(1)"),
            ("url", "data:text/html,<script>alert(1)</script>"),
            ("url", "https://example.org/a b"),
            ("doi", "10.1000/a b"),
            ("url", "https://example.org/ok?q=1"),
            ("doi", "10.1000/ok<1>"),
        ]);
        let md = markdown(&h, "layering.svg");
        let mut links = Vec::new();
        let mut headings = 0;
        for event in pulldown_cmark::Parser::new(&md) {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
                Event::Start(Tag::Image { dest_url, .. }) => {
                    assert_eq!(dest_url.as_ref(), STORY_FILE, "{md}")
                }
                Event::End(TagEnd::Heading(_)) => headings += 1,
                Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML {h} in\n{md}"),
                _ => {}
            }
        }
        assert_eq!(
            links,
            [
                "https://example.org/ok?q=1",
                "https://doi.org/10.1000/ok%3C1%3E"
            ],
            "{md}"
        );
        // The handout's own headings: the title, timeline, chains, critiques,
        // questions, bibliography.
        assert_eq!(headings, 6, "{md}");
        assert!(
            md.contains("Address given (not a web link): ` javascript:alert(1) `"),
            "{md}"
        );
        // The HTML twin: the same two links, the rest escaped text.
        let page = html(&h);
        let hrefs: Vec<&str> = page
            .split("href=\"")
            .skip(1)
            .map(|r| &r[..r.find('"').unwrap_or(0)])
            .collect();
        assert_eq!(
            hrefs,
            [
                "https://example.org/ok?q=1",
                "https://doi.org/10.1000/ok%3C1%3E"
            ]
        );
        assert!(!page.contains("<script>alert"), "{page}");
    }

    #[test]
    fn a_code_span_holds_any_text_literally() {
        for text in ["plain", "a `tick`", "``", "x\n# heading", "<b>", "` lead"] {
            let md = format!("x {} y", md_code(text));
            let mut code = Vec::new();
            for event in pulldown_cmark::Parser::new(&md) {
                match event {
                    pulldown_cmark::Event::Code(c) => code.push(c.to_string()),
                    pulldown_cmark::Event::Text(_)
                    | pulldown_cmark::Event::Start(pulldown_cmark::Tag::Paragraph)
                    | pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Paragraph) => {}
                    other => panic!("{other:?} from {md:?}"),
                }
            }
            assert_eq!(code, [text.replace('\n', " ")], "{md:?}");
        }
    }

    fn chain_of(spec: &str) -> ChainText {
        let g = crate::query::fixture::graph(spec);
        let members: BTreeSet<NodeIndex> = g.nodes().filter(|&n| g.node(n).id() != "src").collect();
        let found = chains(&g, &members);
        assert_eq!(found.len(), 1, "one group");
        chain_text(&found[0])
    }

    #[test]
    fn a_straight_line_is_drawn_with_arrows() {
        assert_eq!(
            chain_of(
                "a body 1999 2002; b body 2000 2013; c body 2013 ongoing; b replaced a; c replaced b"
            ),
            ChainText::Line("A (1999 to 2002) → B (2000 to 2013) → C (from 2013, ongoing)".into())
        );
    }

    #[test]
    fn a_merger_and_a_split_are_written_as_such() {
        // Monitor and the TDA merged into NHS Improvement (two predecessors).
        let merger = chain_of(
            "monitor body 2004 2022; tda body 2012 2022; nhsi body 2016 2022; \
             nhsi replaced monitor; nhsi replaced tda",
        );
        let ChainText::Events(lines) = merger else {
            panic!("a merger is not a straight line: {merger:?}")
        };
        assert!(
            lines.contains(&"Nhsi (2016 to 2022): replaced Monitor and Tda (a merger)".to_string()),
            "{lines:?}"
        );
        // Public Health England split into two successors.
        let split = chain_of(
            "phe body 2013 2021; ukhsa body 2021; ohid body 2021; ukhsa replaced phe; ohid replaced phe",
        );
        let ChainText::Events(lines) = split else {
            panic!("a split is not a straight line: {split:?}")
        };
        assert!(
            lines[0].starts_with("Phe (2013 to 2021): replaced by "),
            "{lines:?}"
        );
        assert!(lines[0].ends_with(" (a split)"), "{lines:?}");
        assert!(lines.iter().all(|l| !l.contains('→')));
    }
}
