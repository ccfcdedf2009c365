//! What a file that does not read as a trace is, told by its content, and what the user likely
//! meant: asked only after a reader refused the file, so it never changes how a trace reads.

use std::path::Path;

/// How much of the file is looked at.
const HEAD: usize = 8192;

/// The error for a file that is a binary or Python source; `None` for anything else (the
/// reader's own error stands). A plan is told by the command line, which knows plans.
pub fn not_a_trace(path: &Path, bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(HEAD)];
    if is_binary(head) {
        return Some(
            "is a binary file, not a trace: a trace is CPython's `-X importtime` output or an \
             lmms-tui trace.json"
                .into(),
        );
    }
    let text = String::from_utf8_lossy(head);
    is_python_source(&text).then(|| {
        format!(
            "looks like Python source, not a trace: record one with `lmms-tui record -o \
             trace.json -- python {}`",
            path.display()
        )
    })
}

/// A NUL, or bytes that are not UTF-8 (a character cut at the end of the head aside).
fn is_binary(head: &[u8]) -> bool {
    head.contains(&0) || std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some())
}

/// Lines that only Python source starts with, and no import-time line.
fn is_python_source(text: &str) -> bool {
    if text.contains("import time:") {
        return false;
    }
    let python = |l: &str| {
        let l = l.trim_start();
        l.starts_with("import ")
            || (l.starts_with("from ") && l.contains(" import "))
            || l.starts_with("def ")
            || l.starts_with("class ")
            || l.starts_with("#!") && l.contains("python")
    };
    text.lines().any(python)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(bytes: &[u8]) -> Option<String> {
        not_a_trace(Path::new("f"), bytes)
    }

    #[test]
    fn binaries_and_sources_are_told_apart() {
        assert!(said(b"\x7fELF\x02\x01\x01\x00").unwrap().contains("binary"));
        assert!(said(&[0xff, 0xfe, b'a']).unwrap().contains("binary"));
        // A multi-byte character cut at the head's end is not binary.
        let mut cut = vec![b'x'; HEAD - 1];
        cut.extend("é".as_bytes());
        assert_eq!(said(&cut), None);
        let source = b"\"\"\"A handler.\"\"\"\nimport json\n\ndef handler(e, c):\n    pass\n";
        assert!(
            said(source)
                .unwrap()
                .contains("lmms-tui record -o trace.json -- python f")
        );
        // Text that is neither: the reader's own error stands.
        assert_eq!(said(b"hello\nworld\n"), None);
        assert_eq!(said(b"import time: garbled"), None);
        assert_eq!(said(br#"{"format": "lmms-tui-trace"}"#), None);
    }
}
