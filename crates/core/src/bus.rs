//! SIGBUS, which a mapped file cut short raises on the next read of it, ends the process with
//! the one-line error of the file being read and status 2, as any bad input does.

use std::sync::Once;
use std::sync::atomic::{AtomicPtr, Ordering};

/// The line written on SIGBUS while a file is mapped; null when none is.
static BUS_MESSAGE: AtomicPtr<Vec<u8>> = AtomicPtr::new(std::ptr::null_mut());
static BUS_INSTALL: Once = Once::new();

/// While the guard lives, SIGBUS writes `error` as `main` would and exits with status 2.
#[must_use = "the message is withdrawn when the guard is dropped"]
pub fn on_bus_error(error: &crate::error::Error) -> BusGuard {
    BUS_INSTALL.call_once(|| {
        // SAFETY: the action only loads a pointer, writes and exits: async-signal-safe.
        let _ = unsafe { signal_hook::low_level::register(signal_hook::consts::SIGBUS, on_bus) };
    });
    // Formatted now: nothing in a signal handler may allocate. Never freed (a line per file
    // read), so a handler on another thread can never read a line being freed.
    let line: &'static Vec<u8> = Box::leak(Box::new(
        format!(
            "lmms-tui: {}\n",
            crate::printable::printable(error.message())
        )
        .into_bytes(),
    ));
    let line = std::ptr::from_ref(line).cast_mut();
    BUS_MESSAGE.store(line, Ordering::SeqCst);
    BusGuard(line)
}

fn on_bus() {
    let line = BUS_MESSAGE.load(Ordering::SeqCst);
    if line.is_null() {
        // Not a mapped file's fault: die as SIGBUS does.
        let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGBUS);
        return;
    }
    // SAFETY: every line stored was leaked: it lives as long as the process.
    let line = unsafe { &*line };
    // SAFETY: write(2) and _exit(2) are async-signal-safe.
    unsafe {
        libc::write(2, line.as_ptr().cast(), line.len());
        libc::_exit(2);
    }
}

/// Withdraws the message when dropped.
pub struct BusGuard(*mut Vec<u8>);

impl Drop for BusGuard {
    fn drop(&mut self) {
        // Withdrawn only if it is still this guard's: a later file's line stays.
        let _ = BUS_MESSAGE.compare_exchange(
            self.0,
            std::ptr::null_mut(),
            Ordering::SeqCst,
            Ordering::SeqCst,
        );
    }
}
