//! What deferring one module alone in your code saves, in words: a figure, or why it is
//! nothing (other modules keep it loaded, or your code holds no import of it) — never a bare
//! 0.0 ms for a module whose time others hold.

use super::units::ms;
use lmms_core::model::ModuleId;
use lmms_core::whatif::Analysis;

/// What deferring a module alone in your code saves, for people: a figure, or why nothing.
pub enum Alone<'a> {
    /// It saves this much (µs); 0 when the module costs nothing.
    Saves(u64),
    /// Your code imports it, but so do these modules, which keep it loaded.
    Shared(Vec<&'a str>),
    /// Your code holds no import of it: these modules (none but its own submodules, when
    /// empty) load it.
    NotYours(Vec<&'a str>),
}

/// What deferring `m` alone in your code saves; when nothing, who keeps it loaded: its loaded
/// importers outside it (not its own submodules), your code aside.
pub fn alone(a: &Analysis, m: ModuleId) -> Alone<'_> {
    let g = a.graph();
    let retained = a.retained_us(m);
    if retained > 0 {
        return Alone::Saves(retained);
    }
    let importers = g.importers(m);
    let yours = importers.iter().any(|&i| g.is_editable_import(i, m));
    let mut others: Vec<&str> = (importers.iter())
        .filter(|&&i| !g.is_editable_import(i, m))
        .flatten()
        .filter(|&&i| !g.is_within(i, m) && !g.module(i).shutdown)
        .map(|&i| g.name(i))
        .collect();
    others.sort_unstable();
    others.dedup();
    match (yours, others.is_empty()) {
        (false, _) => Alone::NotYours(others),
        (true, true) => Alone::Saves(0),
        (true, false) => Alone::Shared(others),
    }
}

/// What deferring `m` alone saves, in words: `12.3 ms`, `0 ms (shared with httpx)` or `0 ms
/// (your code does not import it; pandas does)` — never a bare 0.0 ms for a module whose time
/// others hold.
pub fn alone_text(a: &Analysis, m: ModuleId) -> String {
    let names = |n: &[&str]| super::units::first_names(n, 2);
    match alone(a, m) {
        Alone::Saves(us) => format!("{} ms", ms(us)),
        Alone::Shared(n) => format!("0 ms (shared with {})", names(&n)),
        Alone::NotYours(n) if n.is_empty() => "0 ms (your code does not import it)".into(),
        Alone::NotYours(n) => format!("0 ms (your code does not import it; {} does)", names(&n)),
    }
}

/// The retained column's cell: the figure, `shared` where other modules keep it loaded too,
/// `—` where your code does not import it.
pub fn retained_cell(a: &Analysis, m: ModuleId) -> String {
    match alone(a, m) {
        Alone::Saves(us) => ms(us),
        Alone::Shared(_) => "shared".into(),
        Alone::NotYours(_) => "—".into(),
    }
}
