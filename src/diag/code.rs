//! Every problem code, with its severity, a title and the general help: the one list
//! the loaders, the graph checks, the JSON output and the README's table of problems
//! (tested against it) share.

use super::Severity;
use std::fmt;

macro_rules! codes {
    ($($variant:ident $code:literal $severity:ident $title:literal $help:literal;)+) => {
        /// What kind of problem a [`super::Problem`] is. The kebab-case spelling is part of
        /// the JSON output and of scripts that filter on it: never change one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = $title] $variant),+
        }

        impl Code {
            /// Every code, in the order of the README's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The stable kebab-case spelling, e.g. `unknown-node`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code),+
                }
            }

            /// The severity problems of this code have (`file-name` is the one code
            /// reported as either: an error for a name that is not UTF-8, a warning for
            /// a data file's name in the wrong case).
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity),+
                }
            }

            /// What the problem is, in a few words (the README's table).
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$variant => $title),+
                }
            }

            /// What to do about it, in general; a problem's own help is more precise.
            pub fn help(self) -> &'static str {
                match self {
                    $(Code::$variant => $help),+
                }
            }
        }
    };
}

impl Code {
    /// The general help said for a CSV file, where [`Code::help`] speaks TOML: a cell
    /// to fill in rather than a `key = value` to add. `None` when the help fits both.
    pub fn csv_help(self) -> Option<&'static str> {
        Some(match self {
            Code::NoSource => {
                "fill in the `sources` cell: doc-id@locator, e.g. miller-glasby-dickinson-2021@Table 1, several separated by |"
            }
            Code::NoStance => "fill in the `stance` cell: critical, supportive, mixed or neutral",
            Code::DuplicateEdge => {
                "merge the two rows into one, joining their `sources` cells with |"
            }
            _ => return None,
        })
    }
}

codes! {
    Syntax "syntax" Error "a file that is not valid TOML or CSV"
        "fix the syntax at the place shown";
    Encoding "encoding" Error "a file that is not UTF-8"
        "save the file as UTF-8";
    EmptyFile "empty-file" Error "an empty CSV file"
        "the first line must be the header";
    TooLarge "too-large" Error "a file larger than 4 GiB, or a TOML table too large to parse in one piece"
        "split it: a collection may hold any number of files";
    UnknownField "unknown-field" Error "a field the data model does not have"
        "check the spelling against the fields the README lists";
    WrongType "wrong-type" Error "a field of the wrong type (a number where text belongs)"
        "write the value as the README's field list says";
    MissingField "missing-field" Error "a required field that is absent or empty"
        "add the field";
    MissingColumn "missing-column" Error "a CSV header without a required column"
        "add the column to the header";
    DuplicateColumn "duplicate-column" Error "a CSV header naming a column twice"
        "remove one of the two columns";
    WrongFieldCount "wrong-field-count" Error "a CSV row with more or fewer fields than its header"
        "quote fields that contain commas";
    InvalidId "invalid-id" Error "an id that is not kebab-case"
        "ids are lower-case letters, digits and single hyphens";
    UnknownKind "unknown-kind" Error "a node kind the data model does not have"
        "use one of the kinds the README lists";
    UnknownRelation "unknown-relation" Error "a relation the data model does not have"
        "use one of the relations the README lists";
    UnknownStance "unknown-stance" Error "a stance the data model does not have"
        "use critical, supportive, mixed or neutral";
    StanceNotAllowed "stance-not-allowed" Error "a stance on a node that is not a finding, or on an edge that is not `evaluated-by`"
        "remove the stance";
    InvalidDate "invalid-date" Error "a date that is not a real date (such as 2013-13-40)"
        "write YYYY, YYYY-MM or YYYY-MM-DD";
    EndBeforeStart "end-before-start" Error "a node that ends before it starts"
        "check both dates";
    DuplicateId "duplicate-id" Error "two nodes with one id"
        "rename one of them, or merge them";
    UnknownNode "unknown-node" Error "an edge end or source naming no node (with \"did you mean\")"
        "use the id of an existing node, or add the node";
    SourceNotDocument "source-not-document" Error "a source naming a node that is not a document"
        "cite the document that says this (add it as a node of kind \"document\" if it is missing)";
    ReplacedKindMismatch "replaced-kind-mismatch" Error "`replaced` joining nodes of different kinds"
        "a successor has the kind of what it replaced (an initiative and a body may follow each other); for a body set up under an Act, use `established-by`";
    RelationKinds "relation-kinds" Error "an edge joining kinds its relation may not join"
        "see which relation joins which kinds in the README";
    ReplacedCycle "replaced-cycle" Error "`replaced` edges forming a cycle (the cycle is printed)"
        "lineage runs one way in time: remove or reverse one `replaced` edge on the cycle";
    ControlCharacter "control-character" Error "a control character in a text field"
        "remove the character";
    LineBreak "line-break" Error "a line break in a one-line field"
        "write the value on one line";
    FormatCharacter "format-character" Error "a bidirectional control or invisible character in a text field"
        "remove the character";
    Noncharacter "noncharacter" Error "a Unicode noncharacter in a text field"
        "remove the character";
    InvalidEraName "invalid-era-name" Error "an era whose name is empty or too long"
        "give the era a short name";
    DuplicateCollection "duplicate-collection" Error "a second [collection] table"
        "describe the collection once";
    FileName "file-name" Error "a file name that is not UTF-8 (a data file's name in the wrong case is a warning)"
        "rename the file";
    NotAFile "not-a-file" Error "a data file that is not a regular file (a pipe, a device or a socket)"
        "policygraph reads only regular files";
    MissingFile "missing-file" Error "edges.csv without nodes.csv beside it"
        "the CSV format needs nodes.csv and edges.csv in the same directory";
    NoData "no-data" Error "no data files under --data"
        "a collection is *.toml files with [[node]] and [[edge]] tables, or nodes.csv and edges.csv";
    Io "io" Error "a file that cannot be read"
        "check that the file exists and is readable";
    SuccessorStartsFirst "successor-starts-first" Warning "FROM replaced TO but started before it, and the edge is not dated as an absorption"
        "check both start dates, or whether the edge runs the other way (FROM replaced TO); if FROM absorbed TO, give the edge the `date` it did";
    EstablisherStartsLater "establisher-starts-later" Warning "FROM was established by TO, which began more than a year after FROM"
        "a law or plan that reformed something already running is `reformed-by`; else check both start dates";
    ActsAfterEnd "acts-after-end" Warning "a node that establishes, evaluates or publishes after its own end"
        "check the end date of the acting node and the date of what it acts on";
    NoSource "no-source" Warning "a node or edge without sources"
        "add sources = [{ doc = \"document-id\", at = \"p. 12\" }] saying where this comes from";
    DuplicateEdge "duplicate-edge" Warning "an edge repeating an earlier one's FROM, relation and TO"
        "merge the two edges, keeping both sources in one `sources` list";
    Orphan "orphan" Warning "a node with no edges that no source cites"
        "add an edge that says how it relates to the rest of the graph, or remove it";
    NoStance "no-stance" Warning "a finding without a stance"
        "add stance = \"critical\", \"supportive\", \"mixed\" or \"neutral\"";
    NotFollowed "not-followed" Warning "a link to a folder under --data (not read)"
        "move or copy the folder into the collection, or pass it with another --data";
    LookAlike "look-alike" Warning "a name or alias with a word mixing scripts (a Cyrillic letter among Latin ones)"
        "retype the word in one script: it prints like another word but will not match it";
    BibliographyField "bibliography-field" Warning "a document attribute named like a bibliography field but not one (`author` for `authors`, `year` for `start`), which its reference leaves out"
        "rename it as the README's \"Bibliography fields\" lists";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<&crate::text::Unsafe> for Code {
    /// The code a report of an unsafe character uses.
    fn from(found: &crate::text::Unsafe) -> Code {
        use crate::text::Class;
        match found.class {
            Class::Control => Code::ControlCharacter,
            Class::LineBreak => Code::LineBreak,
            Class::Bidi | Class::Invisible => Code::FormatCharacter,
            Class::Noncharacter => Code::Noncharacter,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's table of problems ("### Problems `validate` reports") lists every code
    /// with its severity and title, in [`Code::ALL`]'s order, and nothing else.
    #[test]
    fn the_readme_table_is_the_list_of_codes() {
        let readme = include_str!("../../README.md");
        let section = readme
            .split("### Problems `validate` reports")
            .nth(1)
            .expect("the README has the section");
        let rows: Vec<(String, String, String)> = section
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .skip(2) // header and rule
            .map(|l| {
                let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
                assert_eq!(cells.len(), 3, "{l}");
                let code = cells[0].trim_matches('`');
                (code.to_string(), cells[1].to_string(), cells[2].to_string())
            })
            .collect();
        let expected: Vec<(String, String, String)> = Code::ALL
            .iter()
            .map(|c| {
                let severity = match c.severity() {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                (c.as_str().into(), severity.into(), c.title().into())
            })
            .collect();
        assert_eq!(rows, expected);
    }

    #[test]
    fn codes_are_kebab_case_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(
                s.split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
                "{s}"
            );
            assert!(seen.insert(s), "{s} twice");
        }
    }
}
