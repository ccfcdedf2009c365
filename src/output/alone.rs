//! What deferring one module alone in your code saves, in words: a figure, or why it is
//! nothing (other modules keep it loaded, or your code holds no import of it) — never a bare
//! 0.0 ms for a module whose time others hold.

use super::units::ms;
use lmms_core::model::ModuleId;
use lmms_core::whatif::{Analysis, covered_submodules};

/// What deferring a module alone in your code saves, for people: a figure, or why nothing.
pub enum Alone<'a> {
    /// It saves this much (µs); 0 when the module costs nothing.
    Saves(u64),
    /// Your code imports it, but so do these modules, which keep it loaded.
    Shared(Vec<&'a str>),
    /// Your code holds no import of it: these modules (none but its own submodules, when
    /// empty) load it.
    NotYours(Vec<&'a str>),
    /// Your code imports these submodules of it too, which load it: `--lazy` on it covers
    /// them (`covered_submodules`).
    Submodules(Vec<&'a str>),
    /// Your module-level code runs its code, which imports these submodules of it (a class
    /// built on one of its classes, a lazy attribute read): deferring the import statement
    /// would not stop it loading at start-up.
    UsedAtImport(Vec<&'a str>),
    /// No run timed it, nor anything only it loads (`untimed_text` says where its time is).
    Untimed,
}

/// What deferring `m` alone in your code saves; when nothing, who keeps it loaded: its loaded
/// importers outside it (not its own submodules), your code aside.
pub fn alone(a: &Analysis, m: ModuleId) -> Alone<'_> {
    let g = a.graph();
    let retained = a.retained_us(m);
    if retained > 0 {
        return Alone::Saves(retained);
    }
    if !g.module(m).timed() {
        return Alone::Untimed;
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
        (true, true) => kept_from_within(a, m),
        (true, false) => Alone::Shared(others),
    }
}

/// Why deferring `m`, which only your code imports, saves nothing: your imports of its
/// submodules, or your module-level use of it (imports it triggers in its own code).
fn kept_from_within(a: &Analysis, m: ModuleId) -> Alone<'_> {
    let g = a.graph();
    let names = |ids: Vec<ModuleId>| ids.into_iter().map(|s| g.name(s)).collect::<Vec<_>>();
    let subs = covered_submodules(g, m);
    if !subs.is_empty() {
        return Alone::Submodules(names(subs));
    }
    let mut triggered: Vec<ModuleId> = (g.submodules(m).into_iter())
        .filter(|&s| !g.module(s).shutdown)
        .filter(|&s| {
            (g.importers(s).iter()).any(|&i| {
                let yours = i.is_none_or(|i| g.module(i).class.is_editable());
                yours && g.is_triggered_edge(i, s)
            })
        })
        .collect();
    triggered.sort_unstable();
    match triggered.is_empty() {
        true => Alone::Saves(0),
        false => Alone::UsedAtImport(names(triggered)),
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
        Alone::Untimed => "untimed (its own time is in its importer's)".into(),
        Alone::UsedAtImport(n) => format!(
            "0 ms (your module-level code uses it: its code imports {} then)",
            names(&n)
        ),
        Alone::Submodules(n) => format!(
            "0 ms alone (your import of {} loads it too; deferring it covers that)",
            names(&n)
        ),
    }
}

/// The retained column's cell: the figure, `shared` where other modules keep it loaded too,
/// `—` where your code does not import it.
pub fn retained_cell(a: &Analysis, m: ModuleId) -> String {
    match alone(a, m) {
        Alone::Saves(us) => ms(us),
        Alone::Shared(_) | Alone::Submodules(_) => "shared".into(),
        Alone::UsedAtImport(_) => "in use".into(),
        Alone::Untimed => "untimed".into(),
        Alone::NotYours(_) => "—".into(),
    }
}
