//! `layering`: per year, the initiatives running (known, and possibly: the band of
//! unknown ends), added beside existing ones (layering), added as a replacement, ended,
//! and drifting (running though the body that established them was dissolved), as text,
//! JSON or CSV, or drawn as an SVG chart with `-o FILE.svg`. The measures are
//! [`crate::query::layering`]'s; the chart is [`crate::layeringchart`]'s.
//!
//! Cost: loads and checks the collection; O(years × initiatives + edges).

use super::args::parse_year;
use super::print::write_json;
use super::write::{to_stdout, write_out};
use super::{Context, Failure};
use crate::graph::{NodeIndex, PolicyGraph};
use crate::query::layering::{Layering, Year, layering};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

/// How `layering` prints its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable text: a table, one row per year
    Text,
    /// One JSON object
    Json,
    /// One row per year, for a spreadsheet
    Csv,
}

/// Options of `layering`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// First year (inclusive; default: the first initiative's start)
    #[arg(long, value_name = "YEAR", value_parser = parse_year)]
    pub from: Option<u16>,

    /// Last year (inclusive; default: the last year of any dated record)
    #[arg(long, value_name = "YEAR", value_parser = parse_year)]
    pub to: Option<u16>,

    /// How to print the answer
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Draw the chart as SVG into FILE instead (`-` for stdout)
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE.svg",
        conflicts_with = "format"
    )]
    pub output: Option<PathBuf>,
}

/// The chart's title.
pub const TITLE: &str = "Initiatives per year: layering, accumulation and drift";

/// The CSV header: one column per measure.
pub const CSV_HEADER: [&str; 9] = [
    "year",
    "active",
    "possibly_active",
    "added_layered",
    "added_replacing",
    "added_first",
    "ended",
    "drifting",
    "possibly_drifting",
];

/// One row's counts, in [`CSV_HEADER`]'s order after the year.
fn counts(y: &Year) -> [usize; 8] {
    [
        y.active.len(),
        y.possibly.len(),
        y.layered.len(),
        y.replacing.len(),
        y.first.len(),
        y.ended.len(),
        y.drifting.len(),
        y.possibly_drifting.len(),
    ]
}

/// The measures as CSV, one row per year (numbers only).
pub fn csv(l: &Layering) -> String {
    let mut s = CSV_HEADER.join(",");
    s.push('\n');
    for y in &l.years {
        let cells: Vec<String> = counts(y).iter().map(usize::to_string).collect();
        s += &format!("{:04},{}\n", y.year, cells.join(","));
    }
    s
}

#[derive(Serialize)]
struct Drift<'a> {
    id: &'a str,
    bodies: Vec<&'a str>,
}

#[derive(Serialize)]
struct Ids<'a> {
    active: Vec<&'a str>,
    possibly_active: Vec<&'a str>,
    added_layered: Vec<&'a str>,
    added_replacing: Vec<&'a str>,
    added_first: Vec<&'a str>,
    ended: Vec<&'a str>,
    drifting: Vec<Drift<'a>>,
    possibly_drifting: Vec<Drift<'a>>,
}

#[derive(Serialize)]
struct YearJson<'a> {
    year: u16,
    active: usize,
    possibly_active: usize,
    added_layered: usize,
    added_replacing: usize,
    added_first: usize,
    ended: usize,
    drifting: usize,
    possibly_drifting: usize,
    ids: Ids<'a>,
}

#[derive(Serialize)]
struct Peak {
    years: Vec<u16>,
    active: usize,
}

#[derive(Serialize)]
struct Answer<'a> {
    from: Option<u16>,
    to: Option<u16>,
    peak: Peak,
    undated: Vec<&'a str>,
    years: Vec<YearJson<'a>>,
}

fn answer<'a>(g: &'a PolicyGraph, l: &Layering) -> Answer<'a> {
    let ids = |v: &[NodeIndex]| -> Vec<&'a str> { v.iter().map(|&n| g.node(n).id()).collect() };
    let drift = |v: &[(NodeIndex, Vec<NodeIndex>)]| -> Vec<Drift<'a>> {
        v.iter()
            .map(|(n, bodies)| Drift {
                id: g.node(*n).id(),
                bodies: ids(bodies),
            })
            .collect()
    };
    let (years, active) = l.peak();
    Answer {
        from: l.years.first().map(|y| y.year),
        to: l.years.last().map(|y| y.year),
        peak: Peak { years, active },
        undated: ids(&l.undated),
        years: l
            .years
            .iter()
            .map(|y| YearJson {
                year: y.year,
                active: y.active.len(),
                possibly_active: y.possibly.len(),
                added_layered: y.layered.len(),
                added_replacing: y.replacing.len(),
                added_first: y.first.len(),
                ended: y.ended.len(),
                drifting: y.drifting.len(),
                possibly_drifting: y.possibly_drifting.len(),
                ids: Ids {
                    active: ids(&y.active),
                    possibly_active: ids(&y.possibly),
                    added_layered: ids(&y.layered),
                    added_replacing: ids(&y.replacing),
                    added_first: ids(&y.first),
                    ended: ids(&y.ended),
                    drifting: drift(&y.drifting),
                    possibly_drifting: drift(&y.possibly_drifting),
                },
            })
            .collect(),
    }
}

fn write_text(out: &mut dyn Write, g: &PolicyGraph, l: &Layering) -> std::io::Result<()> {
    let (Some(first), Some(last)) = (l.years.first(), l.years.last()) else {
        writeln!(out, "no dated initiative in these years")?;
        return Ok(());
    };
    let (peak_years, peak) = l.peak();
    let years: Vec<String> = peak_years.iter().map(|y| format!("{y:04}")).collect();
    writeln!(
        out,
        "layering, {:04} to {:04}: initiatives per year (peak {peak} running in {})",
        first.year,
        last.year,
        if years.is_empty() {
            "no year".to_string()
        } else {
            years.join(", ")
        }
    )?;
    let head = [
        "year",
        "running",
        "possibly",
        "layered",
        "replacing",
        "first",
        "ended",
        "drifting",
    ];
    let widths: Vec<usize> = head.iter().map(|h| h.len()).collect();
    let line = |cells: &[String]| {
        let mut s = String::from(" ");
        for (c, w) in cells.iter().zip(&widths) {
            s += &format!(" {c:>w$}");
        }
        s
    };
    writeln!(
        out,
        "{}",
        line(&head.iter().map(|h| h.to_string()).collect::<Vec<_>>())
    )?;
    for y in &l.years {
        let c = counts(y);
        let drift = if y.possibly_drifting.is_empty() {
            c[6].to_string()
        } else {
            format!("{}+{}?", c[6], c[7])
        };
        let cells = [
            format!("{:04}", y.year),
            c[0].to_string(),
            c[1].to_string(),
            c[2].to_string(),
            c[3].to_string(),
            c[4].to_string(),
            c[5].to_string(),
            drift,
        ];
        writeln!(out, "{}", line(&cells))?;
    }
    writeln!(
        out,
        "\nrunning: known to run that year; possibly: started earlier, end not recorded;\n\
         layered/replacing/first: added that year beside running initiatives, in place of\n\
         something, or with nothing earlier running; drifting: running though every body\n\
         that established it had been dissolved (n+m?: m more among the possibly running)"
    )?;
    if !l.undated.is_empty() {
        let names: Vec<String> = l
            .undated
            .iter()
            .map(|&n| crate::text::visible(g.node(n).name()).into_owned())
            .collect();
        writeln!(
            out,
            "not counted, no start date ({}): {}",
            names.len(),
            names.join("; ")
        )?;
    }
    Ok(())
}

/// Runs `layering`.
pub fn run(ctx: &Context, args: &Args) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let (from, to) = super::args::year_range(args.from, args.to);
    let l = layering(g, from, to);
    if let Some(path) = &args.output {
        return write_out(
            Some(path.as_path()),
            crate::layeringchart::svg(&l, TITLE).as_bytes(),
        );
    }
    to_stdout(|out| match args.format {
        Format::Json => write_json(out, &answer(g, &l)),
        Format::Csv => out.write_all(csv(&l).as_bytes()),
        Format::Text => write_text(out, g, &l),
    })
}
