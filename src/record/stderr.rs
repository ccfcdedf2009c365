//! A run's standard error, told apart: CPython's import-time lines, lmms-tui's helper's mark,
//! and the program's own lines. With the helper loaded (see `streams` in the tracer), the
//! program's `sys.stderr` has a pipe of its own, and the mark ends the interpreter's start-up:
//! an import-time header after it is another process's, never a run of this one.

/// Whether a standard-error line is CPython's: `import time:` then the header, figures or
/// `cached`. The program's own lines that merely mention "import time:" pass through.
pub fn is_trace_line(text: &str) -> bool {
    let Some(rest) = after_marker(text) else {
        return false;
    };
    let figures = rest.split('|').next().unwrap_or("").trim();
    rest.starts_with("self [us]")
        || (rest.contains('|')
            && (figures == "cached"
                || (!figures.is_empty() && figures.bytes().all(|b| b.is_ascii_digit()))))
}

/// Whether a line is CPython's header (`import time: self [us] | cumulative | …`): one per
/// interpreter that prints import times.
pub fn is_header(text: &str) -> bool {
    after_marker(text).is_some_and(|rest| rest.starts_with("self [us]"))
}

/// What follows `import time:` in a line, blanks trimmed.
fn after_marker(text: &str) -> Option<&str> {
    let at = text.find("import time:")?;
    Some(text[at + "import time:".len()..].trim_start())
}

/// The mark the helper writes for `nonce` (see `streams.mark` in the tracer).
fn mark_line(nonce: &str) -> String {
    format!("lmms-tui: run {nonce}")
}

/// The import-time text of one run, taken line by line from descriptor 2.
#[derive(Debug, Default)]
pub struct TraceLines {
    /// The mark to wait for; `None` when the helper is not loaded (every import-time line is
    /// taken then, as CPython printed them).
    mark: Option<String>,
    pub text: String,
    /// The mark was seen.
    pub marked: bool,
    /// After the mark, another interpreter printed a header into this stream: its lines cannot
    /// be told from the program's, so none after it is taken.
    pub other_interpreter: bool,
}

/// The import-time text kept of one run: far above any real program's (a 10,000-module
/// import is about 1 MB), so only a program flooding its standard error reaches it.
const MAX_IMPORTTIME: usize = 256 << 20;

impl TraceLines {
    pub fn new(nonce: Option<&str>) -> TraceLines {
        TraceLines {
            mark: nonce.map(mark_line),
            ..TraceLines::default()
        }
    }

    /// Takes one line of descriptor 2; returns it back when it is the program's (to be echoed).
    pub fn take<'a>(&mut self, text: &'a str) -> Option<&'a str> {
        if !self.marked && self.mark.as_deref() == Some(text.trim_end_matches(['\n', '\r'])) {
            self.marked = true;
            return None;
        }
        if !is_trace_line(text) {
            return Some(text);
        }
        if self.marked && is_header(text) {
            self.other_interpreter = true;
        }
        if !self.other_interpreter && self.text.len() + text.len() <= MAX_IMPORTTIME {
            self.text.push_str(text);
        }
        None
    }

    /// The run's import-time text; in a marked run without the helper's own `sitecustomize`
    /// line, so the trace is the program's as if the helper had not been there.
    pub fn finish(self) -> String {
        if self.marked {
            without_helper(&self.text)
        } else {
            self.text
        }
    }
}

/// One `import time:` line with figures: `PREFIX import time: SELF | CUMULATIVE | INDENT NAME`.
struct Figures<'a> {
    prefix: &'a str,
    self_us: u64,
    cumulative_us: u64,
    level: usize,
    name: &'a str,
    end: &'a str,
}

impl<'a> Figures<'a> {
    fn parse(line: &'a str) -> Option<Figures<'a>> {
        let at = line.find("import time:")?;
        let mut parts = line[at + "import time:".len()..].splitn(3, '|');
        let self_us = parts.next()?.trim().parse().ok()?;
        let cumulative_us = parts.next()?.trim().parse().ok()?;
        let rest = parts.next()?.strip_prefix(' ')?;
        let body = rest.trim_end_matches(['\n', '\r']);
        let name = body.trim_start_matches(' ');
        Some(Figures {
            prefix: &line[..at],
            self_us,
            cumulative_us,
            level: (body.len() - name.len()) / 2,
            name,
            end: &rest[body.len()..],
        })
    }

    /// The line as CPython prints it (`import.c`: `%9ld | %10ld | %*s%s`).
    fn line(&self) -> String {
        format!(
            "{}import time: {:>9} | {:>10} | {:indent$}{}{}",
            self.prefix,
            self.self_us,
            self.cumulative_us,
            "",
            self.name,
            self.end,
            indent = 2 * self.level
        )
    }
}

/// `text` without the outermost `sitecustomize` line, the helper's (a `sitecustomize` it
/// chains to is imported inside it, one level deeper): its children move up a level and its
/// self time leaves its ancestors' cumulative times.
pub fn without_helper(text: &str) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let ours = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| Some((i, Figures::parse(l)?)))
        .filter(|(_, f)| f.name == "sitecustomize")
        .min_by_key(|(_, f)| f.level)
        .map(|(i, f)| (i, f.level, f.self_us));
    let Some((at, level, self_us)) = ours else {
        return text.to_string();
    };
    // Lines are printed as each import ends: its children come just before it.
    for line in lines[..at].iter_mut().rev() {
        match Figures::parse(line) {
            Some(mut f) if f.level > level => {
                f.level -= 1;
                *line = f.line();
            }
            _ => break,
        }
    }
    // Its ancestors come after it, one per shallower level.
    let mut want = level;
    for line in lines[at + 1..].iter_mut() {
        if want == 0 || is_header(line) {
            break;
        }
        if let Some(mut f) = Figures::parse(line)
            && f.level == want - 1
        {
            f.cumulative_us = f.cumulative_us.saturating_sub(self_us);
            *line = f.line();
            want -= 1;
        }
    }
    lines.remove(at);
    lines.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_cpythons_lines_are_taken() {
        for line in [
            "import time: self [us] | cumulative | imported package",
            "import time:       212 |        212 |   _io",
            "2024-01-01T00:00:00Z req-1 import time:     5 |      5 | json",
            "import time: cached    | cached     |   json",
        ] {
            assert!(is_trace_line(line), "{line}");
        }
        for line in [
            "warming up: import time: 5 s",
            "import time: took ages | really",
            "nothing here",
        ] {
            assert!(!is_trace_line(line), "{line}");
        }
    }

    const HEADER: &str = "import time: self [us] | cumulative | imported package\n";

    #[test]
    fn a_header_after_the_mark_is_another_interpreters_and_ends_the_run_text() {
        let mut lines = TraceLines::new(Some("n1"));
        let startup = "import time:        10 |         10 | encodings\n";
        assert_eq!(lines.take(HEADER), None);
        assert_eq!(lines.take(startup), None);
        assert_eq!(lines.take("lmms-tui: run n1\n"), None);
        assert_eq!(lines.take("hello\n"), Some("hello\n"));
        assert_eq!(lines.take("lmms-tui: run n2\n"), Some("lmms-tui: run n2\n"));
        assert!(lines.marked && !lines.other_interpreter);
        assert_eq!(lines.take(HEADER), None);
        assert_eq!(
            lines.take("import time:    999999 |     999999 | fake\n"),
            None
        );
        assert!(lines.other_interpreter);
        assert_eq!(lines.finish(), format!("{HEADER}{startup}"));
    }

    #[test]
    fn without_the_mark_every_line_is_taken_as_printed() {
        let mut lines = TraceLines::new(Some("n1"));
        let text = format!("{HEADER}import time:  1 |  1 | a\n{HEADER}import time:  2 |  2 | b\n");
        for line in text.split_inclusive('\n') {
            assert_eq!(lines.take(line), None);
        }
        assert!(!lines.marked && !lines.other_interpreter);
        assert_eq!(lines.finish(), text);
    }

    #[test]
    fn the_helpers_line_leaves_and_what_it_chained_to_moves_up() {
        let line = |s: u64, c: u64, level: usize, name: &str| {
            Figures {
                prefix: "",
                self_us: s,
                cumulative_us: c,
                level,
                name,
                end: "\n",
            }
            .line()
        };
        let traced = [
            HEADER.to_string(),
            line(5, 5, 1, "os"),
            line(7, 7, 3, "json"),
            line(20, 27, 2, "sitecustomize"),
            line(300, 327, 1, "sitecustomize"),
            line(40, 372, 0, "site"),
            line(9, 9, 0, "app"),
        ]
        .concat();
        let expected = [
            HEADER.to_string(),
            line(5, 5, 1, "os"),
            line(7, 7, 2, "json"),
            line(20, 27, 1, "sitecustomize"),
            line(40, 72, 0, "site"),
            line(9, 9, 0, "app"),
        ]
        .concat();
        assert_eq!(without_helper(&traced), expected);
        assert!(traced.contains("import time:       300 |        327 |   sitecustomize\n"));
    }
}
