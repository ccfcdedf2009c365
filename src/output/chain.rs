//! Import chains as text: `a › b › c`, elided in the middle past a dozen links, so a
//! pathologically deep trace cannot make every report row megabytes long.

use lmms_core::model::{ImportGraph, ModuleId};

/// Links kept before and after the elision.
const HEAD: usize = 4;
const TAIL: usize = 6;

/// A chain of modules as text, `a › b › c` (`a › b › … 999,990 more … › y › z` past 12 links).
pub fn path_text(g: &ImportGraph, chain: &[ModuleId]) -> String {
    let mut text = String::new();
    let mut push = |part: &str| {
        if !text.is_empty() {
            text.push_str(" › ");
        }
        text.push_str(part);
    };
    if chain.len() <= HEAD + TAIL + 2 {
        chain.iter().for_each(|&m| push(g.name(m)));
    } else {
        chain[..HEAD].iter().for_each(|&m| push(g.name(m)));
        push(&format!("… {} more …", chain.len() - HEAD - TAIL));
        chain[chain.len() - TAIL..]
            .iter()
            .for_each(|&m| push(g.name(m)));
    }
    text
}

/// `boto3 › boto3.session › botocore.session`: the first-import chain down to `id`.
pub fn first_import_text(g: &ImportGraph, id: ModuleId) -> String {
    path_text(g, &g.chain(id))
}

/// `program › a › b › m`: an import chain from the program.
pub fn program_chain_text(g: &ImportGraph, chain: &[ModuleId]) -> String {
    if chain.is_empty() {
        return "program".into();
    }
    format!("program › {}", path_text(g, chain))
}
