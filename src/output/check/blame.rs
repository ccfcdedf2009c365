//! How a module comes to load, for `check`'s failures: each importer from outside it (the
//! `why` engine's), its chain from the program, and the file and line of every import along
//! that chain — the program's own ones marked, the last of them kept for an annotation.

use crate::output::chain::program_chain_text;
use crate::output::figures::site_text;
use lmms_core::model::{ImportGraph, Importer, ModuleId};

/// Importers shown; the rest are counted.
const SHOWN: usize = 3;

/// One importer's way to the module.
pub struct Blame {
    pub text: String,
    /// The program's own import nearest the module (file, line), when recorded.
    pub at: Option<(String, u32)>,
}

/// How `target` comes to load: up to `SHOWN` importers, then how many more.
pub fn blame(g: &ImportGraph, target: ModuleId) -> Vec<Blame> {
    let why = g.why(target);
    let mut out: Vec<Blame> = (why.importers.iter())
        .filter_map(|r| {
            let imported = r.imports.first().map_or(target, |i| i.module);
            let mut path = r.chain.clone()?;
            path.push(imported);
            Some(along(g, &path))
        })
        .take(SHOWN)
        .collect();
    if why.importers.len() > SHOWN {
        let more = format!(
            "… and {} more importers (lmms-tui why)",
            why.importers.len() - SHOWN
        );
        out.push(Blame {
            text: more,
            at: None,
        });
    }
    out
}

/// `program › app › helper › boto3: app.py:2 `import helper` (your code); helper.py:1 …`.
fn along(g: &ImportGraph, path: &[ModuleId]) -> Blame {
    let mut places = Vec::new();
    let mut at = None;
    let mut from: Importer = None;
    for &to in path {
        let site = g
            .sites(to)
            .iter()
            // The program's own command (`-c "import app"`: `<string>:1`) says nothing.
            .find(|s| s.importer == from && g.site_file(s).is_some_and(|f| !f.starts_with('<')));
        if let Some(site) = site {
            let yours = g.is_editable_import(from, to) && !site.kind.is_triggered();
            places.push(format!(
                "{}{}",
                site_text(g, site),
                if yours { " (your code)" } else { "" }
            ));
            if yours && let Some(file) = g.site_file(site) {
                at = Some((file.to_string(), site.line));
            }
        }
        from = Some(to);
    }
    let chain = program_chain_text(g, path);
    let text = match places.is_empty() {
        true => chain,
        false => format!("{chain}: {}", places.join("; ")),
    };
    Blame { text, at }
}
