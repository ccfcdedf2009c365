//! `export --patch`'s text: a header saying what the patch does and does not do (`git apply`
//! skips text before the first file), then the diff.

use super::units::ms;
use crate::patch::{Patch, PatchStyle};
use lmms_core::printable::printable;
use lmms_core::whatif::Analysis;

/// Header lines, each starting `# `, then the diff.
pub fn render(a: &Analysis, style: PatchStyle, patch: &Patch) -> String {
    let g = a.graph();
    let p = a.projection();
    // The plan's own choices: a package's covered submodules go without saying.
    let all: Vec<&str> = a.plan().lazy().map(|m| g.name(m)).collect();
    let covered = |n: &str| all.iter().any(|p| n.starts_with(&format!("{p}.")));
    let deferred: Vec<&str> = all.iter().copied().filter(|n| !covered(n)).collect();
    let mut head = vec![
        format!(
            "lmms-tui export --patch={}: defer {} in your code",
            style.name(),
            deferred.join(", ")
        ),
        format!(
            "projected cold start {} → {} ms; `git apply` this, then `lmms-tui record --lazy` \
             (or run your tests) to check it",
            ms(p.traced_cold_start_us),
            ms(p.cold_start_us)
        ),
    ];
    if style == PatchStyle::LazyModules {
        head.push("__lazy_modules__ does nothing before Python 3.15 (PEP 810)".into());
    }
    if style == PatchStyle::Lazy {
        head.push(
            "`lazy import` is Python 3.15+ syntax (PEP 810): older interpreters refuse it".into(),
        );
    }
    for place in &patch.edited {
        head.push(format!("edited {}:{} ({})", place.0, place.1, place.2));
    }
    for r in &patch.refused {
        head.push(format!("left as it is {}:{} ({}): {}", r.0, r.1, r.2, r.3));
    }
    for kept in &p.kept {
        let by = kept.importer().map_or("other code", |i| g.name(i));
        head.push(format!(
            "{} stays loaded at start-up: {by} imports it (not your file: not patched)",
            g.name(kept.module)
        ));
    }
    let mut out: String = (head.iter())
        .map(|line| format!("# {}\n", printable(line)))
        .collect();
    out.push_str(&patch.diff);
    out
}
