//! Terminal setup and teardown, in one place. Whatever happens — a normal quit, an error, a
//! panic, SIGTERM, SIGHUP, SIGINT or SIGQUIT — raw mode, the alternate screen and mouse capture
//! are undone before anything is printed or the process ends; a stop (SIGTSTP) gives the
//! terminal back until the process continues.

use std::io::{self, BufWriter, IsTerminal, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use lmms_core::error::{Error, Result};

pub type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Refuses to start without a terminal to draw on and one to read keys from: standard input,
/// or — when a trace is piped in (`lmms-tui -`) — the controlling terminal, which is where
/// crossterm reads keys then.
pub fn require_terminal() -> Result<()> {
    let keys = io::stdin().is_terminal()
        || std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .is_ok();
    if keys && io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(Error::new(
            "the explorer needs a terminal; for text or JSON output use `lmms-tui report TRACE...`",
        ))
    }
}

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Holds the terminal in explorer mode; dropping it restores the terminal.
pub struct Session {
    pub terminal: Term,
    /// Restores the terminal on SIGTERM, SIGHUP, SIGINT or SIGQUIT before the process ends.
    _signals: crate::signals::Guard,
    /// Gives the terminal back on SIGTSTP and takes it again on continuing.
    suspend: Option<signal_hook::iterator::Handle>,
}

/// Set when the process continued after a stop: the screen must be drawn whole again.
static RESUMED: AtomicBool = AtomicBool::new(false);

/// Enters explorer mode: raw input, the alternate screen, mouse reports.
fn enter() -> io::Result<()> {
    terminal::enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)
}

/// SIGTSTP (`kill -TSTP`, a job-control stop): the terminal is restored before the process
/// stops; on continuing explorer mode comes back, and SIGWINCH wakes the event loop, which then
/// draws the whole screen (`take_resumed`).
fn on_suspend() -> Option<signal_hook::iterator::Handle> {
    crate::signals::on_stop(restore, || {
        let _ = enter();
        RESUMED.store(true, Ordering::SeqCst);
        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGWINCH);
    })
}

/// Whether the process was stopped and continued since the last call.
pub fn take_resumed() -> bool {
    RESUMED.swap(false, Ordering::SeqCst)
}

impl Session {
    pub fn start() -> Result<Session> {
        require_terminal()?;
        // A panic restores the terminal first, so its message lands on a sane screen.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        let fail = |e: io::Error| {
            restore();
            Error::new(format!("cannot set up the terminal: {e}"))
        };
        let signals = crate::signals::on_signal(|_| {
            restore();
            crate::signals::After::Exit
        });
        enter().map_err(fail)?;
        let terminal = Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
            1 << 16,
            io::stdout(),
        )))
        .map_err(fail)?;
        Ok(Session {
            terminal,
            _signals: signals,
            suspend: on_suspend(),
        })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(handle) = &self.suspend {
            handle.close();
        }
        restore();
    }
}
