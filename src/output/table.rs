//! Tables for people: aligned columns in text, pipe tables in markdown.

use std::io::{self, Write};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Text,
    Markdown,
}

/// A table both renderers understand: numbers right-aligned in text.
pub struct Table {
    pub headers: Vec<String>,
    pub right: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

pub fn write_table(out: &mut impl Write, style: Style, t: &Table) -> io::Result<()> {
    match style {
        Style::Markdown => {
            writeln!(out, "| {} |", t.headers.join(" | "))?;
            let rule: Vec<&str> = t
                .right
                .iter()
                .map(|r| if *r { "---:" } else { "---" })
                .collect();
            writeln!(out, "| {} |", rule.join(" | "))?;
            for row in &t.rows {
                // Cells hold names from traces: nothing in them may become markup.
                let cells: Vec<String> = row
                    .iter()
                    .map(|c| lmms_core::printable::markdown(c).into_owned())
                    .collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
        }
        Style::Text => {
            let cols = t.headers.len();
            let mut width: Vec<usize> = t.headers.iter().map(|h| h.chars().count()).collect();
            for row in &t.rows {
                for (i, c) in row.iter().enumerate().take(cols - 1) {
                    width[i] = width[i].max(c.chars().count());
                }
            }
            let line = |cells: &[String]| {
                let mut s = String::new();
                for (i, c) in cells.iter().enumerate() {
                    let pad = width[i].saturating_sub(c.chars().count());
                    if i > 0 {
                        s.push_str("  ");
                    }
                    if i == cols - 1 {
                        s.push_str(c);
                    } else if t.right[i] {
                        s.push_str(&" ".repeat(pad));
                        s.push_str(c);
                    } else {
                        s.push_str(c);
                        s.push_str(&" ".repeat(pad));
                    }
                }
                s.trim_end().to_string()
            };
            writeln!(out, "{}", line(&t.headers))?;
            for row in &t.rows {
                writeln!(out, "{}", line(row))?;
            }
        }
    }
    Ok(())
}
