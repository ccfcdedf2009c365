//! "Why is this module loaded?": the modules outside it that import it (or one of its
//! submodules), how and where, each with its shortest chain from the program; its own
//! submodules, which load it as their package and so never explain it, in one summary.

use std::collections::VecDeque;

use super::graph::{ImportGraph, Importer, ModuleId};
use super::sites::{EdgeKind, Site};

/// Why a module is loaded: who imports it from outside, and by which chains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    /// The module asked about.
    pub target: ModuleId,
    /// The first-import chain, the top-level import first, the target last.
    pub first: Vec<ModuleId>,
    /// Who imports it from outside, shortest chain first (the program, then by chain length,
    /// then the importer's cumulative cost).
    pub importers: Vec<Reason>,
    /// The target's loaded submodules: each needs the target as its package.
    pub submodules: Vec<ModuleId>,
}

/// One module (or the program) outside the target that imports it or its submodules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The module that imports it (`None`: the program).
    pub importer: Importer,
    /// What it imports of the target: the target itself or submodules, how and where.
    pub imports: Vec<Import>,
    /// Its shortest chain of imports from the program, the top-level import first and the
    /// importer last (empty for the program itself); `None` when every chain to it passes
    /// through the target: it is loaded because of the target (an import cycle).
    pub chain: Option<Vec<ModuleId>>,
    /// The program's own code makes the import: an edit of the program can change it.
    pub editable: bool,
}

/// One import of the target (or a submodule of it) by an importer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The module imported: the target or one of its submodules.
    pub module: ModuleId,
    /// How it was imported.
    pub kind: EdgeKind,
    /// The recorded places of this import (empty when not recorded, or made by C code).
    pub sites: Vec<Site>,
}

impl Why {
    /// How many of the importers are the program's own code.
    pub fn yours(&self) -> usize {
        self.importers.iter().filter(|r| r.editable).count()
    }
}

impl Reason {
    /// Whether the chain stops at the target: loaded only after it.
    pub fn is_cycle(&self) -> bool {
        self.chain.is_none()
    }
}

impl ImportGraph {
    /// Whether `module` is `target` or one of its submodules (by name: `a.b.c` is within `a`
    /// even when `a.b` is not in the trace).
    pub fn is_within(&self, module: ModuleId, target: ModuleId) -> bool {
        let (name, t) = (self.name(module), self.name(target));
        name == t || (name.starts_with(t) && name.as_bytes().get(t.len()) == Some(&b'.'))
    }

    /// Why `target` is loaded. One breadth-first walk from the program finds every importer's
    /// shortest chain, so the answer costs O(modules + edges) however many paths there are.
    pub fn why(&self, target: ModuleId) -> Why {
        let within: Vec<bool> = self.ids().map(|m| self.is_within(m, target)).collect();
        let loaded = |m: ModuleId| !self.module(m).shutdown;
        let submodules: Vec<ModuleId> = self
            .ids()
            .filter(|&m| m != target && within[m.index()] && loaded(m))
            .collect();

        let mut reasons = self.outside_importers(target, &submodules, &within);
        let via = self.shortest_paths_avoiding(&within);
        for reason in &mut reasons {
            reason.chain = match reason.importer {
                None => Some(Vec::new()),
                Some(i) => via[i.index()].map(|_| chain_back(&via, i)),
            };
        }
        reasons.sort_by_key(|r| {
            (
                r.chain.as_ref().map_or(usize::MAX, Vec::len),
                r.importer
                    .map_or(0, |i| u64::MAX - self.module(i).cumulative_us),
                r.importer.map(|i| self.name(i).to_string()),
            )
        });
        Why {
            target,
            first: self.chain(target),
            importers: reasons,
            submodules,
        }
    }

    /// Outside importers of the target and its submodules, gathered per importer.
    fn outside_importers(
        &self,
        target: ModuleId,
        submodules: &[ModuleId],
        within: &[bool],
    ) -> Vec<Reason> {
        let loaded = |m: ModuleId| !self.module(m).shutdown;
        let mut reasons: Vec<Reason> = Vec::new();
        let mut slot: hashbrown::HashMap<Importer, usize> = hashbrown::HashMap::new();
        for module in std::iter::once(target).chain(submodules.iter().copied()) {
            for &importer in self.importers(module) {
                if importer.is_some_and(|i| within[i.index()] || !loaded(i)) {
                    continue;
                }
                let import = Import {
                    module,
                    kind: self.edge_kind(importer, module),
                    sites: (self.sites(module).iter())
                        .filter(|s| s.importer == importer)
                        .copied()
                        .collect(),
                };
                let i = *slot.entry(importer).or_insert_with(|| {
                    reasons.push(Reason {
                        importer,
                        imports: Vec::new(),
                        chain: None,
                        editable: importer.is_none_or(|i| self.module(i).class.is_editable()),
                    });
                    reasons.len() - 1
                });
                reasons[i].imports.push(import);
            }
        }
        // An import the importer's code does not hold (another module's function ran it) is
        // no edit of its code.
        for r in &mut reasons {
            r.editable &= r.imports.iter().any(|i| !i.kind.is_triggered());
        }
        reasons
    }

    /// Each module's importer on a shortest chain from the program that never passes through
    /// a module `within` marks: `Some(None)` for the program's own imports, `None` unreached.
    fn shortest_paths_avoiding(&self, within: &[bool]) -> Vec<Option<Importer>> {
        let mut via: Vec<Option<Importer>> = vec![None; self.len()];
        let mut queue: VecDeque<ModuleId> = VecDeque::new();
        for &m in self.program_imports() {
            if !within[m.index()] && via[m.index()].is_none() {
                via[m.index()] = Some(None);
                queue.push_back(m);
            }
        }
        while let Some(m) = queue.pop_front() {
            for &next in self.imports(m) {
                if !within[next.index()] && via[next.index()].is_none() {
                    via[next.index()] = Some(Some(m));
                    queue.push_back(next);
                }
            }
        }
        via
    }
}

/// The chain from the program down to `m`, read back through `via`.
fn chain_back(via: &[Option<Importer>], m: ModuleId) -> Vec<ModuleId> {
    let mut chain = vec![m];
    let mut at = m;
    while let Some(Some(up)) = via[at.index()] {
        chain.push(up);
        at = up;
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use crate::model::{EdgeKind, ImportGraph, TraceBuilder};

    /// program → app → {svc, lib}; svc → lib.sub; lib → lib.sub (inside); cyc ← lib, cyc → lib.
    fn graph() -> ImportGraph {
        let mut b = TraceBuilder::new();
        b.begin_run();
        let names = ["app", "svc", "lib", "lib.sub", "cyc"];
        let ids: Vec<u32> = names.iter().map(|n| b.module(n)).collect();
        let [app, svc, lib, sub, cyc] = ids[..] else {
            unreachable!()
        };
        for (m, parent) in [
            (app, None),
            (svc, Some(app)),
            (sub, Some(svc)),
            (lib, Some(sub)),
            (cyc, Some(lib)),
        ] {
            b.tree_parent(m, parent);
            b.sample(
                m,
                crate::model::Sample {
                    run: 0,
                    self_us: 10,
                    cumulative_us: 10,
                },
            );
        }
        b.site(None, app, EdgeKind::Statement, Some(("<string>", 1)), None);
        b.site(
            Some(app),
            svc,
            EdgeKind::Statement,
            Some(("app.py", 2)),
            Some("import svc"),
        );
        b.site(
            Some(app),
            lib,
            EdgeKind::Statement,
            Some(("app.py", 3)),
            Some("import lib"),
        );
        b.site(
            Some(svc),
            sub,
            EdgeKind::Statement,
            Some(("svc.py", 1)),
            None,
        );
        b.site(
            Some(lib),
            cyc,
            EdgeKind::Statement,
            Some(("lib/__init__.py", 4)),
            None,
        );
        b.site(Some(cyc), lib, EdgeKind::Dynamic, None, None);
        b.set_edges_complete(true);
        ImportGraph::build(b).unwrap()
    }

    #[test]
    fn outside_importers_with_shortest_chains_and_cycles() {
        let g = graph();
        let id = |n| g.find(n).unwrap();
        let why = g.why(id("lib"));
        assert_eq!(why.submodules, [id("lib.sub")]);
        type Seen<'a> = (
            Option<&'a str>,
            Option<Vec<&'a str>>,
            Vec<(&'a str, EdgeKind)>,
        );
        let got: Vec<Seen> = why
            .importers
            .iter()
            .map(|r| {
                (
                    r.importer.map(|i| g.name(i)),
                    r.chain
                        .as_ref()
                        .map(|c| c.iter().map(|&m| g.name(m)).collect()),
                    r.imports
                        .iter()
                        .map(|i| (g.name(i.module), i.kind))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some("app"),
                    Some(vec!["app"]),
                    vec![("lib", EdgeKind::Statement)]
                ),
                (
                    Some("svc"),
                    Some(vec!["app", "svc"]),
                    vec![("lib.sub", EdgeKind::Statement)]
                ),
                (Some("cyc"), None, vec![("lib", EdgeKind::Dynamic)]),
            ]
        );
        let app = &why.importers[0];
        assert!(app.editable);
        assert_eq!(g.site_code(&app.imports[0].sites[0]), Some("import lib"));
        assert!(why.importers[2].is_cycle());
    }
}
