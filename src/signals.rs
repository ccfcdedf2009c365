//! What SIGTERM, SIGHUP, SIGINT and SIGQUIT do, in one place: every registered handler runs
//! (restore the terminal, remove a temporary file, stop the recorded program), then the process
//! ends as the signal would have (status 128 + n) — unless a handler says the work in progress
//! finishes itself (`record` stops after the run it is in and keeps what it has). A job-control
//! stop (SIGTSTP) runs a handler before the process stops and another once it continues; the
//! file-size limit (SIGXFSZ) is a write error, not an end.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};

/// What a handler wants after it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// End the process now, as the signal would.
    Exit,
    /// The caller winds down by itself (a second signal still ends the process).
    Continue,
}

type Handler = Box<dyn Fn(i32) -> After + Send>;

static HANDLERS: Mutex<Vec<(u64, Handler)>> = Mutex::new(Vec::new());
static NEXT: AtomicU64 = AtomicU64::new(0);
static INSTALL: Once = Once::new();

/// Runs `handler` on those signals until the guard is dropped.
#[must_use = "the handler is removed when the guard is dropped"]
pub fn on_signal(handler: impl Fn(i32) -> After + Send + 'static) -> Guard {
    install();
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    HANDLERS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((id, Box::new(handler)));
    Guard(id)
}

pub struct Guard(u64);

impl Drop for Guard {
    fn drop(&mut self) {
        HANDLERS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(id, _)| *id != self.0);
    }
}

fn install() {
    INSTALL.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        let Ok(mut signals) =
            signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
        else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                let mut continuing = false;
                for signal in signals.forever() {
                    let handlers = HANDLERS.lock().unwrap_or_else(|e| e.into_inner());
                    let mut after = After::Exit;
                    for (_, handler) in handlers.iter() {
                        if handler(signal) == After::Continue {
                            after = After::Continue;
                        }
                    }
                    drop(handlers);
                    if after == After::Exit || continuing {
                        let _ = signal_hook::low_level::emulate_default_handler(signal);
                        std::process::exit(128 + signal);
                    }
                    continuing = true;
                }
            });
    });
}

/// A write past the file-size limit (`ulimit -f`) fails with an error, which every writer
/// handles (the temporary file removed), instead of SIGXFSZ ending the process mid-write.
pub fn ignore_file_size_limit() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to "ignore" runs no code of ours in the handler.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// The program `cmd` starts gets SIGXFSZ as it would from a shell (an ignored signal stays
/// ignored across exec).
#[cfg(unix)]
pub fn default_file_size_limit_in_child(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: signal(2) is async-signal-safe, as code between fork and exec must be.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_DFL);
            Ok(())
        });
    }
}

/// Runs `before` when SIGTSTP arrives, then stops the process as the signal would; once it
/// continues (SIGCONT, `fg`), runs `after`. Until the handle is closed.
pub fn on_stop(
    before: impl Fn() + Send + 'static,
    after: impl Fn() + Send + 'static,
) -> Option<signal_hook::iterator::Handle> {
    use signal_hook::consts::SIGTSTP;
    let mut signals = signal_hook::iterator::Signals::new([SIGTSTP]).ok()?;
    let handle = signals.handle();
    std::thread::Builder::new()
        .name("stop".into())
        .spawn(move || {
            for _ in signals.forever() {
                before();
                let _ = signal_hook::low_level::emulate_default_handler(SIGTSTP);
                after();
            }
        })
        .ok()?;
    Some(handle)
}
