//! A module no run timed, in words. `importlib.import_module` runs importlib's Python code,
//! which prints no `-X importtime` line, and a module placed in `sys.modules` (`os.path`) is
//! no import at all: the recorder's tracer adds such modules to the trace without samples,
//! and their own time sits in the self time of the import being timed when they loaded.

use super::units::ms;
use lmms_core::model::{ImportGraph, ModuleId};

/// One of `m`'s times in ms, or `untimed` for a module no run timed (never a 0.0 that reads
/// as free).
pub fn ms_or_untimed(g: &ImportGraph, m: ModuleId, us: u64) -> String {
    if g.module(m).timed() {
        ms(us)
    } else {
        "untimed".into()
    }
}

/// Why `m` shows no figures, naming where its time went; `None` when a run timed it.
pub fn untimed_text(g: &ImportGraph, m: ModuleId) -> Option<String> {
    if g.module(m).timed() {
        return None;
    }
    let holder = timed_ancestor(g, m).map_or("the program", |h| g.name(h));
    Some(format!(
        "not timed separately: no -X importtime line (none is printed for what \
         importlib.import_module loads, nor for a module placed in sys.modules); its own \
         time is in {holder}'s self time"
    ))
}

/// The nearest module up the first-import tree that a run timed.
fn timed_ancestor(g: &ImportGraph, m: ModuleId) -> Option<ModuleId> {
    let mut at = g.module(m).parent;
    // Ends: the graph refuses parent links that form a cycle.
    while let Some(p) = at.filter(|&p| !g.module(p).timed()) {
        at = g.module(p).parent;
    }
    at
}
