//! One error type for everything a user can get wrong: always a single line that names the
//! file (and the line, where there is one), so `main` can print it and exit with status 2.

use std::fmt;
use std::path::Path;

/// An error for the user: one line, naming the file (and line) when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl Error {
    /// An error that is not about one input file (bad flag combination, terminal missing…).
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: one_line(message.into()),
        }
    }

    /// An error about a whole file.
    pub fn in_file(path: &Path, message: impl fmt::Display) -> Self {
        Error::new(format!("{}: {message}", path.display()))
    }

    /// An error about one line of a file (1-based line number).
    pub fn at_line(path: &Path, line: usize, message: impl fmt::Display) -> Self {
        Error::new(format!("{}:{line}: {message}", path.display()))
    }

    /// A JSON file that does not parse as `what` (`trace`, `plan`): where, and why in brief.
    pub fn in_json(path: &Path, e: &serde_json::Error, what: &str) -> Self {
        let why = match e.classify() {
            serde_json::error::Category::Eof => "truncated JSON".to_string(),
            serde_json::error::Category::Syntax => format!("invalid JSON: {e}"),
            _ => format!("not an lmms-tui {what}: {e}"),
        };
        // serde_json appends " at line L column C"; the line leads the message instead.
        let why = why.split(" at line ").next().unwrap_or(&why);
        Error::at_line(path, e.line(), format!("{why} (column {})", e.column()))
    }

    /// The line, without the `lmms-tui:` prefix.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Messages may quote input; never let it break the one-line promise.
fn one_line(message: String) -> String {
    if message.contains(['\n', '\r']) {
        message.replace(['\n', '\r'], " ")
    } else {
        message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// A result whose error is the user's one-line [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
