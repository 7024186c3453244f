//! Parsers of argument values, and the filters several queries share.

/// Parses a count that must be at least 1: `--limit` of every command that has one
/// (`path --all`, `search`), and `path --max-steps`. Zero would ask for an empty answer
/// (it used to print "no node matches"), so it is a usage error, exit 2; leave the
/// option out for the default.
pub fn parse_limit(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1 (leave the option out for the default)".to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "expected a whole number of at least 1, not `{text}`"
        )),
    }
}

/// `--from` and `--to` in order: years given the wrong way round (`--from 2015 --to
/// 2010`) are read as the range they name, 2010 to 2015, as `diff 2020 2010` is, with a
/// note on stderr saying so, rather than an empty answer.
pub fn year_range(from: Option<u16>, to: Option<u16>) -> (Option<u16>, Option<u16>) {
    match (from, to) {
        (Some(f), Some(t)) if f > t => {
            eprintln!("note: --from {f:04} is after --to {t:04}: read as {t:04} to {f:04}");
            (Some(t), Some(f))
        }
        _ => (from, to),
    }
}

/// Parses a year for `--from`, `--to`, `--as-of` and `diff`: by the data's own rule
/// ([`crate::model::PartialDate::parse_year`]), so every year a date in the data can
/// have, 0000 to 9999, can be asked about.
pub fn parse_year(text: &str) -> Result<u16, String> {
    crate::model::PartialDate::parse_year(text).map_err(|_| {
        "expected a year of four digits as the data writes it, 0000 to 9999: 2013, or 0800 \
         for the year 800"
            .to_string()
    })
}

/// The filters several queries share, flattened into their arguments.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only follow these relations, comma-separated: established-by, replaced,
    /// evaluated-by, cites, published-by
    #[arg(long, value_delimiter = ',', value_parser = str::parse::<crate::model::Relation>)]
    pub relations: Vec<crate::model::Relation>,

    /// Only visit nodes of these kinds, comma-separated: initiative, body, legislation,
    /// document, finding
    #[arg(long, value_delimiter = ',', value_parser = str::parse::<crate::model::NodeKind>)]
    pub kinds: Vec<crate::model::NodeKind>,
}

impl FilterArgs {
    /// As a query filter.
    pub fn filter(&self) -> crate::query::Filter {
        crate::query::Filter {
            relations: self.relations.clone(),
            kinds: self.kinds.clone(),
        }
    }
}

/// Parses `--style`: a CSL style hayagriva bundles, by name. An unknown name is a usage
/// error (exit 2) that lists the styles.
pub fn parse_style(text: &str) -> Result<crate::query::bibliography::Style, String> {
    use crate::query::bibliography::Style;
    Style::by_name(text).ok_or_else(|| {
        let names: Vec<&str> = Style::all().into_iter().map(Style::name).collect();
        format!(
            "no citation style `{}`; the styles are: harvard (the default, \
             harvard-cite-them-right), {}",
            crate::text::visible(text),
            names.join(", ")
        )
    })
}

/// `--style`, for the commands that print citations and references.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct StyleArgs {
    /// The citation style of references and in-text citations: harvard (Cite Them Right,
    /// the default), apa, chicago-author-date, vancouver, or any other author-date or
    /// numeric CSL style hayagriva bundles (an unknown name lists them)
    #[arg(long, value_name = "NAME", value_parser = parse_style)]
    pub style: Option<crate::query::bibliography::Style>,
}

impl StyleArgs {
    /// The style chosen, or Cite Them Right Harvard.
    pub fn style(&self) -> crate::query::bibliography::Style {
        self.style.unwrap_or_default()
    }
}
