//! The lessons' `fast_path.py`: what loads at cold start with profiled ms, usage and why each
//! stays, the deferred ones listed — or the same plan as PEP 810 `lazy import` statements or
//! a `__lazy_modules__` list (Python 3.15).

use std::fmt::Write;

use super::figures::{edit_sites, edit_text};
use super::units::{count, ms};
use lmms_core::model::{ModuleId, is_python_module_name};
use lmms_core::printable::is_bidi_control;
use lmms_core::whatif::{Analysis, Decision, Suggestion};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    FastPath,
    Pep810,
    LazyModules,
}

impl Style {
    /// Every style: the CLI's `--style` values and their help come from here.
    pub const ALL: [Style; 3] = [Style::FastPath, Style::Pep810, Style::LazyModules];

    pub fn name(self) -> &'static str {
        match self {
            Style::FastPath => "fast-path",
            Style::Pep810 => "pep810",
            Style::LazyModules => "lazy-modules",
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            Style::FastPath => {
                "fast_path.py: eager imports with reasons, deferred ones in comments"
            }
            Style::Pep810 => "PEP 810 `lazy import` statements for the deferred modules",
            Style::LazyModules => "a PEP 810 `__lazy_modules__` list naming the deferred modules",
        }
    }
}

/// Text from the trace (file names, versions) made safe inside a `"""` docstring: quotes and
/// backslashes escaped, control characters as Python escapes.
fn docstring_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() && (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() || is_bidi_control(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text from the trace (file names, statements) made safe inside a `#` comment: a control
/// character or line separator is written as an escape, so nothing can end the comment.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_bidi_control(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The file's text; refused when a module it would write is not a Python module name (a
/// trace is untrusted input: its names must never become code).
pub fn render(a: &Analysis, style: Style) -> Result<String, String> {
    let (deferred, eager) = listed_modules(a)?;
    let mut out = String::new();
    write_docstring(a, &mut out);
    match style {
        Style::FastPath => write_fast_path(a, &eager, &deferred, &mut out),
        Style::Pep810 => {
            let _ = writeln!(
                out,
                "\n# Python 3.15+ (PEP 810): `lazy import` loads a module on first use."
            );
            for &m in &eager {
                let _ = writeln!(out, "{}", module_line(a, m, "import "));
            }
            for &m in &deferred {
                let _ = writeln!(out, "{}", module_line(a, m, "lazy import "));
            }
        }
        Style::LazyModules => {
            let names: Vec<String> = (deferred.iter())
                .map(|&m| format!("\"{}\"", a.graph().name(m)))
                .collect();
            let _ = writeln!(
                out,
                "\n# Python 3.15+ (PEP 810): imports of these modules in this file are lazy;\n\
                 # older Pythons ignore the name and import them eagerly.\n\
                 __lazy_modules__ = [{}]",
                names.join(", ")
            );
            for &m in eager.iter().chain(&deferred) {
                let _ = writeln!(out, "{}", module_line(a, m, "import "));
            }
        }
    }
    write_edits(a, &deferred, &mut out);
    Ok(out)
}

/// The modules the file lists — the program's own imports and every deferred module, heaviest
/// first — split into (deferred, eager); an error when one is not a Python module name.
fn listed_modules(a: &Analysis) -> Result<(Vec<ModuleId>, Vec<ModuleId>), String> {
    let (g, plan) = (a.graph(), a.plan());
    let mut modules: Vec<ModuleId> = g.entry_imports();
    // Deferred modules the program does not import itself still belong in the list.
    for m in plan.lazy() {
        if !modules.contains(&m) {
            modules.push(m);
        }
    }
    if let Some(&bad) = modules.iter().find(|&&m| !is_python_module_name(g.name(m))) {
        return Err(format!(
            "module {:?} is not a Python module name: refusing to write it into Python code",
            g.name(bad)
        ));
    }
    let retained = |m: ModuleId| a.retained_us(m);
    modules.sort_by(|&a, &b| retained(b).cmp(&retained(a)).then(g.name(a).cmp(g.name(b))));
    Ok(modules.iter().partition(|&&m| plan.decision(m).is_lazy()))
}

/// Where the profile came from, cold start traced and planned, the budget and the rule.
fn write_docstring(a: &Analysis, out: &mut String) {
    let (g, plan, p) = (a.graph(), a.plan(), a.projection());
    // The recording's date; a CPython text trace has none, and today is not it.
    let profiled = match g.meta().recorded_at.as_deref().and_then(|d| d.get(..10)) {
        Some(date) => format!("Profiled {}", docstring_text(date)),
        None => "Profiled (date unknown)".to_string(),
    };
    let source = docstring_text(&g.meta().files.join(", "));
    let _ = writeln!(
        out,
        "\"\"\"fast_path.py: what loads at cold start, and why.\n"
    );
    let _ = write!(
        out,
        "{profiled} with lmms-tui from {source} ({}",
        count(g.runs(), "run")
    );
    if let Some(python) = &g.meta().python {
        let _ = write!(out, ", Python {}", docstring_text(python));
    }
    let _ = writeln!(out, ").");
    let _ = write!(
        out,
        "Cold start: {} ms traced, {} ms with this plan",
        ms(p.traced_cold_start_us),
        ms(p.cold_start_us)
    );
    let _ = match (plan.params.budget_ms, a.within_budget()) {
        (Some(budget), Some(ok)) => writeln!(
            out,
            ". Target: {budget} ms {}.",
            if ok { "✓ met" } else { "✗ not met" }
        ),
        _ => writeln!(out, ". Target: none set."),
    };
    if a.requests().is_some() {
        let _ = writeln!(out, "{}.", docstring_text(&super::usage::source(a)));
    }
    let _ = writeln!(
        out,
        "Rule of thumb: keep below {} ms at module level; defer heavier imports unless more than\n\
         {}% of requests use them (the hot-path exception). Costs are what each import adds to\n\
         cold start on its own (shared dependencies excluded).\n\"\"\"",
        plan.thresholds.module_below_ms, plan.thresholds.hot_path_usage_pct
    );
}

/// `import m  # 12.3 ms, used by 100% of requests` with what keeps a deferral from holding.
fn module_line(a: &Analysis, m: ModuleId, prefix: &str) -> String {
    let (g, plan) = (a.graph(), a.plan());
    // `alone_text` names other modules, any of the trace's, unchecked: a comment, escaped.
    let mut why = format!(
        "{}, {}",
        comment_text(&super::alone::alone_text(a, m)),
        comment_text(&super::usage::short(a, m))
    );
    // A deferral that does not hold says so where the edit is made.
    if let Some(kept) = a.projection().kept.iter().find(|k| k.module == m)
        && let Some(importer) = kept.importer()
    {
        let verb = if kept.by_package(g) {
            "needs"
        } else {
            "imports"
        };
        // The importer is any module of the trace, unchecked: a comment, escaped.
        let importer = comment_text(g.name(importer));
        why.push_str(&format!("; stays loaded: {importer} {verb} it"));
    }
    if plan.decision(m) == Decision::LazyEverywhere {
        why.push_str("; every import deferred: an upper bound");
    }
    format!("{prefix}{}  # {why}", g.name(m))
}

/// The eager modules grouped by the rule of thumb, then the deferred ones as comments.
fn write_fast_path(a: &Analysis, eager: &[ModuleId], deferred: &[ModuleId], out: &mut String) {
    let t = &a.plan().thresholds;
    let group = |s: Suggestion| -> Vec<ModuleId> {
        (eager.iter().copied())
            .filter(|&m| a.suggestion(m) == s)
            .collect()
    };
    let groups = [
        (
            format!("fast (< {} ms)", t.module_below_ms),
            group(Suggestion::Module),
        ),
        (
            format!(
                "hot-path exception (used by > {}% of requests)",
                t.hot_path_usage_pct
            ),
            group(Suggestion::HotPath),
        ),
        (
            "kept eager against the rule of thumb (consider deferring)".to_string(),
            group(Suggestion::Function),
        ),
    ];
    for (title, members) in groups.iter().filter(|(_, m)| !m.is_empty()) {
        let _ = writeln!(out, "\n# Module level: {title}");
        for &m in members {
            let _ = writeln!(out, "{}", module_line(a, m, "import "));
        }
    }
    if deferred.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n# Deferred: import these inside the functions that use them\n\
         # (Python caches modules, so each loads once per process, on first use)."
    );
    for &m in deferred {
        let _ = writeln!(
            out,
            "#   {}; loads in {:.0}% of processes",
            module_line(a, m, "import "),
            a.projection().load_probability(m) * 100.0
        );
    }
}

/// Where the program itself imports each deferred module: the lines to change.
fn write_edits(a: &Analysis, deferred: &[ModuleId], out: &mut String) {
    if deferred.is_empty() {
        return;
    }
    let g = a.graph();
    let _ = writeln!(out, "\n# The edit, in your code:");
    for &m in deferred {
        let sites = edit_sites(g, m);
        if sites.is_empty() {
            let why = if g.has_sites() {
                "no import statement of it in your code: other code imports it"
            } else {
                "lines not recorded in this trace (`lmms-tui record` finds them)"
            };
            let _ = writeln!(out, "#   {}: {why}", g.name(m));
        }
        for site in sites {
            let _ = writeln!(out, "#   {}", comment_text(&edit_text(g, site, m)));
        }
    }
}
