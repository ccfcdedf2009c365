//! JSON that stays JSON on a terminal. serde_json escapes the C0 controls, quotes and
//! backslashes; names from traces can also hold DEL and the C1 controls (U+007F–U+009F), which
//! a terminal acts on (U+009B starts a control sequence) and which escaping at the terminal
//! (`printable`) would turn into text that is no longer JSON, and bidi controls, which reorder
//! what is displayed around them. Here they are written as `\uXXXX`, so every JSON document we
//! print is valid, reads back the same strings, and holds none of them raw.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// `value` as compact JSON.
pub fn to_writer<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(
        out,
        Safe(CompactFormatter),
    ))
}

/// `value` as indented JSON.
pub fn to_writer_pretty<W: Write, T: Serialize + ?Sized>(
    out: W,
    value: &T,
) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(
        out,
        Safe(PrettyFormatter::new()),
    ))
}

/// `value` as indented JSON text.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    to_writer_pretty(&mut out, value).expect("JSON values serialise");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// A string as a JSON string: the plain case (printable ASCII, no quote or backslash, as most
/// module names are) written as it stands, anything else through the escaper.
pub fn write_str(out: &mut impl Write, s: &str) -> io::Result<()> {
    if s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        out.write_all(b"\"")?;
        out.write_all(s.as_bytes())?;
        out.write_all(b"\"")
    } else {
        to_writer(out, s).map_err(io::Error::from)
    }
}

fn is_terminal_control(c: char) -> bool {
    ('\u{7f}'..='\u{9f}').contains(&c) || crate::printable::is_bidi_control(c)
}

/// A formatter that escapes what serde_json leaves raw; layout is `F`'s.
struct Safe<F>(F);

impl<F: Formatter> Formatter for Safe<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut plain = 0;
        for (at, c) in fragment.char_indices() {
            if is_terminal_control(c) {
                writer.write_all(&fragment.as_bytes()[plain..at])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                plain = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[plain..])
    }

    // Layout: forwarded, so an indenting formatter keeps its depth.
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_the_json_reads_back() {
        let name = "a\u{7f}b\u{9b}2J\u{1b}c\u{a0}é\"\\";
        let mut out = Vec::new();
        write_str(&mut out, name).unwrap();
        let text = String::from_utf8(out).unwrap();
        // U+00A0 and é are not controls: they stay as they are.
        assert_eq!(text, "\"a\\u007fb\\u009b2J\\u001bc\u{a0}é\\\"\\\\\"");
        assert_eq!(serde_json::from_str::<String>(&text).unwrap(), name);
        let pretty = to_string_pretty(&serde_json::json!({"names": [name, "plain"]}));
        assert!(pretty.contains("\n    \"a\\u007fb\\u009b2J"), "{pretty}");
        let back: serde_json::Value = serde_json::from_str(&pretty).unwrap();
        assert_eq!(back["names"][0], name);
        assert!(!pretty.chars().any(|c| c.is_control() && c != '\n'));
    }
}
