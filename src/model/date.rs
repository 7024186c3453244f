//! Partial ISO dates: `2013`, `2013-06`, `2013-06-26`.
//!
//! Policy history is known to different precisions: an Act has a day of Royal Assent, a
//! programme often only a year. A partial date is an interval (all of 2013, all of June
//! 2013), so comparisons that warn about impossible orderings use [`PartialDate::earliest`]
//! and [`PartialDate::latest`] rather than pretending to a precision the data lacks.

use serde::{Serialize, Serializer};
use std::fmt;

/// A year, optionally with a month, optionally with a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

/// Why a date string is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the shape YYYY, YYYY-MM or YYYY-MM-DD.
    #[error("`{0}` is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")]
    Shape(String),
    /// The month is not 1 to 12.
    #[error("`{0}` has no month {1}: months run from 01 to 12")]
    Month(String, u32),
    /// The day does not exist in that month.
    #[error("`{text}` has no day {day}: {month_name} {year} has {days} days")]
    Day {
        /// The date as written.
        text: String,
        /// The day as written.
        day: u32,
        /// The month's English name.
        month_name: &'static str,
        /// The year.
        year: u16,
        /// How many days the month has.
        days: u8,
    },
}

/// The months' names in English, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

impl PartialDate {
    /// A date known to the year.
    pub fn year(year: u16) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// Builds a checked date from its parts.
    pub fn from_parts(year: u16, month: Option<u8>, day: Option<u8>) -> Result<Self, DateError> {
        let text = match (month, day) {
            (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{year:04}-{m:02}"),
            _ => format!("{year:04}"),
        };
        Self::parse(&text)
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, rejecting dates that do not exist.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let shape = || DateError::Shape(text.to_string());
        // A million-row file has two dates a row: read the bytes at their places
        // rather than splitting the text.
        let number = |digits: &[u8]| -> Result<u32, DateError> {
            digits.iter().try_fold(0u32, |n, &d| {
                d.is_ascii_digit()
                    .then(|| n * 10 + u32::from(d - b'0'))
                    .ok_or_else(shape)
            })
        };
        let b = text.as_bytes();
        let dash = |at: usize| b[at] == b'-';
        let (year, month, day) = match b.len() {
            4 => (number(b)?, None, None),
            7 if dash(4) => (number(&b[..4])?, Some(number(&b[5..])?), None),
            10 if dash(4) && dash(7) => (
                number(&b[..4])?,
                Some(number(&b[5..7])?),
                Some(number(&b[8..])?),
            ),
            _ => return Err(shape()),
        };
        let year = u16::try_from(year).map_err(|_| shape())?; // four digits: never fails
        let month = match month {
            Some(m) if !(1..=12).contains(&m) => return Err(DateError::Month(text.into(), m)),
            m => m.map(|m| m as u8),
        };
        if let (Some(m), Some(d)) = (month, day) {
            let days = days_in_month(year, m);
            if d == 0 || d > u32::from(days) {
                return Err(DateError::Day {
                    text: text.into(),
                    day: d,
                    month_name: MONTH_NAMES[usize::from(m - 1)],
                    year,
                    days,
                });
            }
        }
        Ok(PartialDate {
            year,
            month,
            day: day.map(|d| d as u8),
        })
    }

    /// Parses a year alone, `YYYY` (0000 to 9999): the rule [`PartialDate::parse`]
    /// applies to the year of a date, for the command line's years.
    pub fn parse_year(text: &str) -> Result<u16, DateError> {
        match Self::parse(text)? {
            PartialDate {
                year,
                month: None,
                day: None,
            } => Ok(year),
            _ => Err(DateError::Shape(text.to_string())),
        }
    }

    /// The year.
    pub fn year_part(self) -> u16 {
        self.year
    }

    /// The month (1 to 12), when the date gives one.
    pub fn month(self) -> Option<u8> {
        self.month
    }

    /// The day of the month, when the date gives one.
    pub fn day(self) -> Option<u8> {
        self.day
    }

    /// The first day the date can mean, as (year, month, day).
    pub fn earliest(self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day the date can mean, as (year, month, day).
    pub fn latest(self) -> (u16, u8, u8) {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        (self.year, month, day)
    }

    /// True when every day this date can mean is before every day `other` can mean.
    pub fn surely_before(self, other: PartialDate) -> bool {
        self.latest() < other.earliest()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// How a node's life ends, as far as the data says. Only a claim in the data makes a
/// node [`End::Ongoing`]: a missing or empty `end` is [`End::Unknown`], never "still
/// running".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum End {
    /// The data does not say when (or whether) it ended.
    #[default]
    Unknown,
    /// Still running when the collection's sources were written (`end = "ongoing"`).
    Ongoing,
    /// Ended at this date.
    On(PartialDate),
}

/// The spellings `end` accepts besides a date, for messages.
pub const END_WORDS: [&str; 2] = ["ongoing", "unknown"];

impl End {
    /// Parses a partial ISO date, `ongoing` or `unknown` (any case; surrounding spaces
    /// ignored).
    pub fn parse(text: &str) -> Result<End, DateError> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("ongoing") {
            Ok(End::Ongoing)
        } else if t.eq_ignore_ascii_case("unknown") {
            Ok(End::Unknown)
        } else {
            PartialDate::parse(text).map(End::On)
        }
    }

    /// The end date, when there is one.
    pub fn date(self) -> Option<PartialDate> {
        match self {
            End::On(d) => Some(d),
            End::Unknown | End::Ongoing => None,
        }
    }

    /// The year of the end date, when there is one.
    pub fn year(self) -> Option<u16> {
        self.date().map(PartialDate::year_part)
    }

    /// "dated", "ongoing" or "unknown": the `end_status` of the JSON contract.
    pub fn status(self) -> &'static str {
        match self {
            End::On(_) => "dated",
            End::Ongoing => "ongoing",
            End::Unknown => "unknown",
        }
    }
}

/// The date, `ongoing` or `unknown`: what the data would say.
impl fmt::Display for End {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            End::On(d) => d.fmt(f),
            End::Ongoing => f.write_str("ongoing"),
            End::Unknown => f.write_str("unknown"),
        }
    }
}

/// Orders by earliest day, then by precision (a year sorts before its months).
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.year, self.month, self.day).cmp(&(other.year, other.month, other.day))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The shape rule as first written: parts split at `-`, of 4, 2 and 2 digits.
    fn shape_by_splitting(text: &str) -> Option<(u32, Option<u32>, Option<u32>)> {
        let mut parts = text.split('-');
        let digits = |part: Option<&str>, len: usize| match part {
            None => Some(None),
            Some(p) if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) => {
                Some(Some(p.parse::<u32>().ok()?))
            }
            Some(_) => None,
        };
        let year = digits(parts.next(), 4)??;
        let month = digits(parts.next(), 2)?;
        let day = digits(parts.next(), 2)?;
        parts.next().is_none().then_some((year, month, day))
    }

    proptest! {
        /// Reading bytes at their places accepts and rejects what splitting did.
        #[test]
        fn parse_agrees_with_splitting(text in "[0-9-]{0,11}|[0-9]{4}(-[0-9]{2}){0,2}|.{0,11}") {
            let parsed = PartialDate::parse(&text);
            match shape_by_splitting(&text) {
                None => prop_assert!(matches!(parsed, Err(DateError::Shape(_)))),
                Some((year, month, day)) => match parsed {
                    Ok(d) => {
                        prop_assert_eq!(u32::from(d.year), year);
                        prop_assert_eq!(d.month.map(u32::from), month);
                        prop_assert_eq!(d.day.map(u32::from), day);
                    }
                    Err(e) => prop_assert!(!matches!(e, DateError::Shape(_)), "{e}"),
                },
            }
        }
    }

    #[test]
    fn a_year_alone_follows_the_dates_rule() {
        // Every year a date in the data can have is a year the command line takes.
        for y in 0..=9999u16 {
            let text = format!("{y:04}");
            assert_eq!(PartialDate::parse(&text).map(|d| d.year), Ok(y));
            assert_eq!(PartialDate::parse_year(&text), Ok(y), "{text}");
        }
        for bad in [
            "800",
            "+2013",
            "02013",
            "2013-01",
            "2013-01-01",
            "",
            " 2013",
            "１９９０",
        ] {
            assert!(PartialDate::parse_year(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn parses_each_precision() {
        assert_eq!(
            PartialDate::parse("2013").map(|d| d.to_string()),
            Ok("2013".into())
        );
        assert_eq!(
            PartialDate::parse("2013-06").map(|d| d.to_string()),
            Ok("2013-06".into())
        );
        assert_eq!(
            PartialDate::parse("2013-06-26").map(|d| d.to_string()),
            Ok("2013-06-26".into())
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(matches!(
            PartialDate::parse("2013-13-40"),
            Err(DateError::Month(_, 13))
        ));
        assert!(matches!(
            PartialDate::parse("2013-02-29"),
            Err(DateError::Day { days: 28, .. })
        ));
        assert!(
            PartialDate::parse("2012-02-29").is_ok(),
            "2012 is a leap year"
        );
        assert!(PartialDate::parse("1900-02-29").is_err(), "1900 is not");
        assert!(PartialDate::parse("2000-02-29").is_ok(), "2000 is");
        assert!(matches!(
            PartialDate::parse("2013-04-00"),
            Err(DateError::Day { .. })
        ));
    }

    #[test]
    fn rejects_other_shapes() {
        for bad in [
            "",
            "13",
            "2013-6",
            "2013/06",
            "2013-06-26T10:00",
            "+2013",
            "２０１３",
            "2013-",
        ] {
            assert!(
                matches!(PartialDate::parse(bad), Err(DateError::Shape(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn end_reads_a_date_ongoing_or_unknown() {
        assert_eq!(End::parse("ongoing"), Ok(End::Ongoing));
        assert_eq!(End::parse(" Unknown "), Ok(End::Unknown));
        let d = PartialDate::parse("2013-03-31").unwrap();
        assert_eq!(End::parse("2013-03-31"), Ok(End::On(d)));
        assert!(End::parse("still going").is_err());
        assert_eq!(End::default(), End::Unknown, "absent means unknown");
        assert_eq!(End::Ongoing.to_string(), "ongoing");
        assert_eq!(End::On(d).year(), Some(2013));
    }

    #[test]
    fn surely_before_respects_precision() {
        let y2013 = PartialDate::year(2013);
        let apr2013 = PartialDate::parse("2013-04").expect("valid");
        let y2012 = PartialDate::year(2012);
        assert!(!apr2013.surely_before(y2013));
        assert!(!y2013.surely_before(apr2013));
        assert!(y2012.surely_before(apr2013));
    }
}
