//! A run's pipes (descriptor 2, and the program's own `sys.stderr` when the helper moved it),
//! read line by line on threads of their own, each line bounded.

use std::io::BufRead;
use std::sync::mpsc::{self, Receiver};

use lmms_core::error::{Error, Result};

/// The longest standard-error line kept whole; the rest of a longer one is dropped.
const MAX_LINE: usize = 1 << 20;

/// Which pipe a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Descriptor 2: CPython's import-time lines, and whatever else writes there.
    Descriptor2,
    /// The program's `sys.stderr`, moved by the helper.
    Program,
}

/// The lines of descriptor 2 and of the program's own pipe, each read on a thread of its own
/// until it closes; the receiver is disconnected once both have.
pub fn read_lines(
    stderr: std::process::ChildStderr,
    own: Option<std::io::PipeReader>,
) -> Result<Receiver<(Stream, Vec<u8>)>> {
    let (send, receive) = mpsc::sync_channel(1024);
    if let Some(own) = own {
        read_on_thread(own, Stream::Program, send.clone())?;
    }
    read_on_thread(stderr, Stream::Descriptor2, send)?;
    Ok(receive)
}

/// Sends `input`'s lines tagged `stream`. When nobody listens any more, the thread goes on
/// reading and dropping them, so a process still writing there is never broken by a closed
/// pipe.
fn read_on_thread(
    input: impl std::io::Read + Send + 'static,
    stream: Stream,
    send: mpsc::SyncSender<(Stream, Vec<u8>)>,
) -> Result<()> {
    std::thread::Builder::new()
        .name("program stderr".into())
        .spawn(move || {
            let mut reader = std::io::BufReader::new(input);
            let mut line = Vec::new();
            let mut listened = true;
            while read_line(&mut reader, &mut line) {
                listened = listened && send.send((stream, std::mem::take(&mut line))).is_ok();
            }
        })
        .map(drop)
        .map_err(|e| Error::new(format!("cannot read the program's standard error: {e}")))
}

/// Reads one line into `line` (emptied first), at most `MAX_LINE` bytes of it: the rest of a
/// longer line is read and dropped, so a program writing gigabytes without a newline costs
/// no memory. False at the end of the stream.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> bool {
    line.clear();
    let mut read_any = false;
    loop {
        let Ok(chunk) = reader.fill_buf() else {
            return read_any;
        };
        if chunk.is_empty() {
            return read_any;
        }
        read_any = true;
        let (used, done) = match memchr::memchr(b'\n', chunk) {
            Some(at) => (at + 1, true),
            None => (chunk.len(), false),
        };
        let room = MAX_LINE.saturating_sub(line.len()).min(used);
        line.extend_from_slice(&chunk[..room]);
        reader.consume(used);
        if done {
            return true;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_longer_than_the_cap_is_cut_and_the_next_one_kept() {
        let long = "a".repeat(3 * super::MAX_LINE);
        let text = format!("{long}\nimport time:   5 |   5 | json\nlast");
        let mut reader = std::io::BufReader::with_capacity(4096, text.as_bytes());
        let mut line = Vec::new();
        assert!(super::read_line(&mut reader, &mut line));
        assert_eq!(line.len(), super::MAX_LINE);
        assert!(super::read_line(&mut reader, &mut line));
        assert_eq!(line, b"import time:   5 |   5 | json\n");
        assert!(super::read_line(&mut reader, &mut line));
        assert_eq!(line, b"last");
        assert!(!super::read_line(&mut reader, &mut line));
    }
}
