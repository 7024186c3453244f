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
