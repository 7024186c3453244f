//! Cells a spreadsheet would run as formulas, and the quote that stops it.
//!
//! Excel, LibreOffice and Google Sheets treat a cell that begins with `=`, `+`, `-` or
//! `@` (or a tab or carriage return before one) as a formula, so a name such as
//! `=HYPERLINK("http://evil","click")` in a CSV export would become a live link or
//! worse. Following OWASP's advice, our CSV export prefixes such a cell with one `'`,
//! which spreadsheets show as text and do not display.
//!
//! The rule is a bijection, so the interchange format still round-trips:
//!
//! - **export** ([`guard`]): a cell that, after any leading `'`s, begins with `=`, `+`,
//!   `-`, `@`, tab or carriage return gets one more `'` in front, unless the whole cell
//!   is a plain number (`-3`, `+1.5`, `2e-3`), which no spreadsheet runs;
//! - **load** ([`unguard`]): a cell that is one or more `'`s followed by one of those
//!   characters loses exactly one `'`.
//!
//! So `=SUM(A1)` is written `'=SUM(A1)`, `'=x` (a value that really begins with a
//! quote) is written `''=x`, and `'ok` or `O'Neill` are written as they are. A person
//! typing `'=x` in a spreadsheet, its own convention for "this is text", loads `=x`.

use std::borrow::Cow;

/// Characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn after_quotes(cell: &str) -> &str {
    cell.trim_start_matches('\'')
}

fn starts_with_trigger(text: &str) -> bool {
    text.starts_with(TRIGGERS)
}

/// A plain decimal number, optionally signed, with an optional fraction and exponent.
fn is_number(cell: &str) -> bool {
    let body = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

/// The cell as written to a CSV export: with a leading `'` when a spreadsheet would
/// otherwise run it.
pub fn guard(cell: &str) -> Cow<'_, str> {
    if starts_with_trigger(after_quotes(cell)) && !is_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The value a CSV cell holds: the cell without the one `'` that [`guard`] adds.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_with_trigger(after_quotes(rest)) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_quoted_and_unquoted() {
        for (value, cell) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+cmd", "'+cmd"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("'=x", "''=x"),
            ("''@x", "'''@x"),
            ("-", "'-"),
        ] {
            assert_eq!(guard(value), cell, "{value:?}");
            assert_eq!(unguard(cell), value, "{cell:?}");
        }
    }

    #[test]
    fn harmless_cells_are_left_alone() {
        for value in [
            "", "plain", "O'Neill", "'ok", "''", "'", "a=b", " =1", "-3", "+1.5", "2e-3",
            "-0.25E+4", "2013-04",
        ] {
            assert_eq!(guard(value), value, "{value:?}");
            assert_eq!(unguard(value), value, "{value:?}");
        }
        for not_number in ["-1.", "-.5", "-1e", "--1", "-1-2", "+1e+"] {
            assert_eq!(guard(not_number).chars().next(), Some('\''), "{not_number}");
        }
    }

    #[test]
    fn guard_and_unguard_are_inverse_on_every_short_string() {
        let alphabet = ['\'', '=', '-', '+', '@', '\t', '1', 'a', '.', 'e'];
        let mut cells = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = cells
                .iter()
                .flat_map(|c| alphabet.iter().map(move |a| format!("{c}{a}")))
                .collect();
            cells.extend(longer);
        }
        cells.sort();
        cells.dedup();
        for value in &cells {
            assert_eq!(unguard(&guard(value)), value, "{value:?}");
            let g = guard(value);
            assert!(
                !g.starts_with(TRIGGERS) || is_number(value),
                "{value:?} guarded as {g:?}"
            );
        }
    }
}
