//! Text for a terminal: names come from traces, which are untrusted, and a raw escape byte
//! (clear screen, OSC 52 clipboard writes, hyperlinks) must never reach the user's terminal.
//! Control characters other than newline and tab, and the bidirectional controls that reorder
//! what is shown, are written as `\u{1b}`-style escapes.

use std::borrow::Cow;
use std::io::{self, Write};

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// The invisible characters that reorder text (Unicode's bidirectional controls and marks):
/// in a name they make what is shown differ from what is there ("Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// `text` with every control character but newline and tab escaped.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_unsafe(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// A writer that escapes control characters on the way through. Writes are expected to be
/// whole UTF-8 text (as `write!` produces); invalid bytes pass as U+FFFD.
pub struct Printable<W: Write>(pub W);

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Fast path: no C0 control (but \n, \t), no DEL, no C1 lead byte sequence. Folded
        // without short-circuit a block at a time, so the check vectorises: it sees every byte
        // of every report.
        // 0xd8 and 0xe2 lead the bidi controls' encodings (U+061C; U+200E…U+2069).
        let risky_byte = |b: u8| {
            (b < 0x20 && b != b'\n' && b != b'\t')
                | (b == 0x7f)
                | (b == 0xc2)
                | (b == 0xd8)
                | (b == 0xe2)
        };
        let risky = buf
            .chunks(64)
            .any(|block| block.iter().fold(false, |acc, &b| acc | risky_byte(b)));
        if !risky {
            self.0.write_all(buf)?;
        } else {
            let text = String::from_utf8_lossy(buf);
            self.0.write_all(printable(&text).as_bytes())?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Markdown for GitHub: characters its renderer would read as markup or HTML, escaped; and at
/// the start of each line, what would open a block (a list item, a numbered item, a rule or a
/// setext heading's underline) or, printed in a CI log, a workflow command (`::`).
pub fn markdown(text: &str) -> Cow<'_, str> {
    const MARKUP: &[char] = &['\\', '`', '*', '_', '<', '>', '[', ']', '|', '~', '#', '!'];
    if !text.contains(MARKUP) && !text.split('\n').any(|l| block_opener(l).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let opener = block_opener(line);
        for (at, c) in line.char_indices() {
            if MARKUP.contains(&c) || opener == Some(at) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Where in `line` the character is that makes it open a block or a command, if any: `- `, `+ `,
/// `--`, `++`, a line of `=`, `::`, or `12. ` / `12) ` (CommonMark's markers, after indent).
fn block_opener(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let mut chars = rest.chars();
    let first = chars.next()?;
    let second = chars.next();
    let marker_end = |c: Option<char>| c.is_none_or(|c| c == ' ');
    let opens = match first {
        '-' | '+' => marker_end(second) || second == Some(first),
        '=' => rest.trim_end().chars().all(|c| c == '='),
        ':' => second == Some(':'),
        '0'..='9' => {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let mut after = rest[digits..].chars();
            return (matches!(after.next(), Some('.' | ')')) && marker_end(after.next()))
                .then_some(indent + digits);
        }
        _ => false,
    };
    opens.then_some(indent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_escape_byte_gets_through() {
        assert_eq!(printable("pandas"), "pandas");
        assert_eq!(printable("a\u{1b}[2Jb\n"), "a\\u{1b}[2Jb\n");
        assert_eq!(printable("x\u{9b}y\u{7f}"), "x\\u{9b}y\\u{7f}");
        let mut out = Printable(Vec::new());
        let osc52 = "\u{1b}]52;c;ZXZpbA==\u{7}";
        writeln!(out, "ok\t{osc52}").unwrap();
        let text = String::from_utf8(out.0).unwrap();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(text.starts_with("ok\t\\u{1b}]52"));
        assert_eq!(markdown("<img src=x>"), "\\<img src=x\\>");
        assert_eq!(markdown("[link](x)"), "\\[link\\](x)");
        assert_eq!(markdown("pandas.core"), "pandas.core");
    }

    #[test]
    fn no_line_opens_a_block_or_a_command() {
        assert_eq!(
            markdown("3.11\n# x\n- y\n::error::z"),
            "3.11\n\\# x\n\\- y\n\\::error::z"
        );
        assert_eq!(
            markdown("a\n 12. b\n===\n++c\n+ d"),
            "a\n 12\\. b\n\\===\n\\++c\n\\+ d"
        );
        assert_eq!(markdown("286.8 ms\n-5 ms\n1.5"), "286.8 ms\n-5 ms\n1.5");
        assert_eq!(markdown("a - b = c: 1. d"), "a - b = c: 1. d");
        assert!(is_bidi_control('\u{202e}') && !is_bidi_control('a'));
        assert_eq!(printable("a\u{202e}b"), "a\\u{202e}b");
    }

    proptest::proptest! {
        /// Whatever the text, no escaped line starts a block, a heading, a quote or a command.
        #[test]
        fn escaped_lines_start_as_text(text in "[ -~\n]{0,40}") {
            for line in markdown(&text).split('\n') {
                proptest::prop_assert!(block_opener(line).is_none(), "{line:?}");
                let start = line.trim_start_matches(' ');
                proptest::prop_assert!(!start.starts_with(['#', '>', '*', '`', '~', '|', '<']), "{line:?}");
            }
        }
    }
}
