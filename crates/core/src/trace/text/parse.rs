//! One line of CPython's `-X importtime` text at a time, and the lines of a file in blocks
//! (for the thread that parses beside the one building runs).

use memchr::memmem;

pub(super) const MARKER: &[u8] = b"import time:";
pub(super) const HEADER: &[u8] = b"self [us]";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Figures {
    Timed {
        self_us: u64,
        cumulative_us: u64,
    },
    /// An import of an already-loaded module; `pad` is the spaces before the name.
    Cached {
        pad: u32,
    },
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Line<'a> {
    Header,
    Entry {
        name: &'a str,
        level: u32,
        figures: Figures,
    },
}

/// One marked line, parsed, with its name's hash for the name table.
pub(super) struct Parsed<'a> {
    /// Line number in the file, 1-based.
    pub line_no: u32,
    pub line: Line<'a>,
    pub hash: u64,
}

/// Lines per block handed from the parsing thread to the one building runs.
const BLOCK: usize = 4096;
/// Parses every marked line, handing blocks of them to `sink` in file order (until it returns
/// false); the first bad line ends it with its line number and why.
pub(super) fn parse_blocks<'a>(
    bytes: &'a [u8],
    hasher: &hashbrown::DefaultHashBuilder,
    mut sink: impl FnMut(Vec<Parsed<'a>>) -> bool,
) -> std::result::Result<(), (usize, String)> {
    use std::hash::BuildHasher;
    let finder = memmem::Finder::new(MARKER);
    let mut block = Vec::with_capacity(BLOCK);
    for (index, raw) in lines(bytes).enumerate() {
        // Clean lines start with the marker; log exports put it further in.
        let at = if raw.starts_with(MARKER) {
            0
        } else {
            let Some(at) = finder.find(raw) else { continue };
            at
        };
        let line_no = index + 1;
        let line = parse_line(&raw[at + MARKER.len()..]).map_err(|why| (line_no, why))?;
        let hash = match line {
            Line::Entry { name, .. } => hasher.hash_one(name),
            Line::Header => 0,
        };
        block.push(Parsed {
            line_no: line_no.try_into().unwrap_or(u32::MAX),
            line,
            hash,
        });
        if block.len() == BLOCK && !sink(std::mem::replace(&mut block, Vec::with_capacity(BLOCK))) {
            return Ok(());
        }
    }
    if !block.is_empty() {
        sink(block);
    }
    Ok(())
}

fn parse_line(rest: &[u8]) -> std::result::Result<Line<'_>, String> {
    let trimmed = rest.trim_ascii_start();
    if trimmed.starts_with(HEADER) {
        return Ok(Line::Header);
    }
    let expected = "expected `import time: <self µs> | <cumulative µs> | <module>`";
    let Some(p1) = memchr::memchr(b'|', rest) else {
        return Err(format!("{expected}, found no `|`"));
    };
    let Some(p2) = memchr::memchr(b'|', &rest[p1 + 1..]).map(|p| p + p1 + 1) else {
        return Err(format!("{expected}, found one `|`"));
    };
    let first = rest[..p1].trim_ascii();
    let second = rest[p1 + 1..p2].trim_ascii();
    let name_field = rest[p2 + 1..].trim_ascii_end();
    let spaces = name_field.iter().take_while(|&&b| b == b' ').count();
    let name = &name_field[spaces..];
    if name.is_empty() {
        return Err(format!("{expected}, found no module name"));
    }
    let name = if name.iter().all(|&b| b > b' ' && b < 0x7f && b != b'|') {
        // Printable ASCII without spaces or bars, the usual name: valid as it stands.
        std::str::from_utf8(name).expect("ASCII is UTF-8")
    } else {
        let name =
            std::str::from_utf8(name).map_err(|_| "module name is not valid UTF-8".to_string())?;
        if name.contains(|c: char| c.is_whitespace() || c == '|') {
            return Err(format!("`{name}` is not a module name ({expected})"));
        }
        name
    };
    // The format puts one space after `|`; the rest is the indentation.
    let pad = spaces.saturating_sub(1) as u32;
    if first == b"cached" {
        if second != b"cached" {
            return Err(format!(
                "a `cached` line has `cached` in both columns, found `{}`",
                String::from_utf8_lossy(second)
            ));
        }
        return Ok(Line::Entry {
            name,
            level: 0,
            figures: Figures::Cached { pad },
        });
    }
    let self_us = parse_us(first, "self")?;
    let cumulative_us = parse_us(second, "cumulative")?;
    Ok(Line::Entry {
        name,
        level: pad / 2,
        figures: Figures::Timed {
            self_us,
            cumulative_us,
        },
    })
}

/// Lines split at `\n` with memchr (a trailing `\r` is trimmed by the parser).
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', bytes);
    std::iter::from_fn(move || {
        if start > bytes.len() {
            return None;
        }
        let end = ends.next().unwrap_or(bytes.len());
        let line = &bytes[start..end];
        start = end + 1;
        Some(line)
    })
}

fn parse_us(field: &[u8], column: &str) -> std::result::Result<u64, String> {
    if !field.is_empty() && field.len() <= 19 && field.iter().all(u8::is_ascii_digit) {
        return Ok(field.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')));
    }
    let text = String::from_utf8_lossy(field);
    if field.first() == Some(&b'-') {
        return Err(format!(
            "negative {column} time `{text}` (expected microseconds ≥ 0)"
        ));
    }
    if field.is_empty() || !field.iter().all(u8::is_ascii_digit) {
        return Err(format!(
            "expected a whole number of microseconds in the {column} column, found `{text}`"
        ));
    }
    text.parse()
        .map_err(|_| format!("{column} time `{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> std::result::Result<Line<'_>, String> {
        parse_line(s.strip_prefix("import time:").unwrap().as_bytes())
    }

    #[test]
    fn parses_the_exact_cpython_format() {
        assert_eq!(
            line("import time:       508 |       1203 | _frozen_importlib_external"),
            Ok(Line::Entry {
                name: "_frozen_importlib_external",
                level: 0,
                figures: Figures::Timed {
                    self_us: 508,
                    cumulative_us: 1203
                }
            })
        );
        assert_eq!(
            line("import time:        63 |         63 |       _stat"),
            Ok(Line::Entry {
                name: "_stat",
                level: 3,
                figures: Figures::Timed {
                    self_us: 63,
                    cumulative_us: 63
                }
            })
        );
        assert_eq!(
            line("import time: self [us] | cumulative | imported package"),
            Ok(Line::Header)
        );
    }

    #[test]
    fn widened_numbers_still_split_on_bars() {
        assert_eq!(
            line("import time: 12345678901 | 123456789012 |   big"),
            Ok(Line::Entry {
                name: "big",
                level: 1,
                figures: Figures::Timed {
                    self_us: 12345678901,
                    cumulative_us: 123456789012
                }
            })
        );
    }

    #[test]
    fn cached_lines_keep_their_padding() {
        // "%*s" with width 2*level = 6 and name "os": 4 spaces of padding after "| ".
        assert_eq!(
            line("import time: cached    | cached     |     os"),
            Ok(Line::Entry {
                name: "os",
                level: 0,
                figures: Figures::Cached { pad: 4 }
            })
        );
    }

    #[test]
    fn refuses_bad_figures_with_reasons() {
        for (text, why) in [
            ("import time: -5 | 3 | a", "negative self"),
            ("import time: 5 | x3 | a", "cumulative column"),
            ("import time: 5 | 3 |   ", "no module name"),
            ("import time: truncated", "no `|`"),
            ("import time: cached | 4 | a", "cached"),
        ] {
            let error = line(text).unwrap_err();
            assert!(error.contains(why), "{text}: {error}");
        }
    }
}
