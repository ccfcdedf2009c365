//! The tracer's output file (`tracer/src/lmms_tui_tracer`), one finding a line:
//! `edge TRIGGER MODULE KIND LINE FILE CODE FUNCTION SITE_MODULE` (`__main__` is the program;
//! the fields after MODULE may be empty or absent), `module NAME CLASS ORIGIN`,
//! `shutdown NAME`, `loaded NAME IMPORTER`, `harness NAME` and `untimed NAME TRIGGER`,
//! tab-separated. Modules the trace does not hold are left out — the timed runs decide what
//! loaded — except those CPython prints no `-X importtime` line for (`add_untimed`): they
//! join the trace here, with no samples (their own time is in their importer's self time).

use super::has_control;
use crate::model::{EdgeKind, ModuleClass, TraceBuilder, Within};

/// What a tracer run found beyond what goes into the builder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Findings {
    /// Import edges added to the builder.
    pub edges: usize,
    /// Modules whose class and origin were added.
    pub origins: usize,
    /// Deferred modules that loaded anyway: (module, the module that imported it first).
    pub loaded: Vec<(String, String)>,
    /// Interpreter, platform and package versions, when the tracer reported them.
    pub fingerprint: Option<crate::model::Fingerprint>,
    /// Modules the edit's own work loaded before the program (`ast`, to rewrite it).
    pub harness: Vec<String>,
    /// Modules added without samples: no `-X importtime` line names them (`add_untimed`).
    pub untimed: usize,
}

/// Adds the modules the tracer saw loaded that have no `-X importtime` line: the `untimed`
/// ones — loaded by `importlib.import_module` (under its trigger), or placed in `sys.modules`
/// by code an import ran (a Cython extension's `cython_runtime`, under that import) — and,
/// for what was placed before the tracer started (`os.path`), a `module` line whose package
/// the trace holds, under its package. The ids added.
fn add_untimed(text: &str, builder: &mut TraceBuilder) -> Vec<u32> {
    let shutdown: hashbrown::HashSet<&str> = finding(text, "shutdown").map(|(n, _)| n).collect();
    let mut added: Vec<(u32, &str)> = Vec::new();
    for (name, trigger) in finding(text, "untimed") {
        if builder.lookup(name).is_none() {
            added.push((builder.module(name), trigger));
        }
    }
    // `module` lines are sorted: a package comes before its submodules.
    for (name, _) in finding(text, "module") {
        let package = name.rsplit_once('.').map(|(p, _)| p);
        let placed = package.is_some_and(|p| builder.lookup(p).is_some());
        if placed && !shutdown.contains(name) && builder.lookup(name).is_none() {
            let id = builder.module(name);
            builder.edge(package.and_then(|p| builder.lookup(p)), id);
            added.push((id, package.unwrap_or_default()));
        }
    }
    for &(id, under) in &added {
        // Names first, parents second: a trigger may itself be untimed and listed later.
        let parent = builder.lookup(under).filter(|&p| p != id);
        builder.tree_parent(id, parent);
    }
    added.into_iter().map(|(id, _)| id).collect()
}

/// Undoes the text trace's nesting where it skipped an untimed module: CPython nests lines by
/// timed imports only, so what an untimed module imports shows under its nearest timed
/// ancestor (`from pydantic import BaseModel` runs `import_module('pydantic.main')`, whose
/// imports `-X importtime` nests under the program). Where the tracer saw that ancestor make no
/// such import (`tracer_edges`, this file's), its edge goes and the module moves under the
/// untimed one that imported it.
fn nest_under_untimed(untimed: &[u32], tracer_edges: usize, builder: &mut TraceBuilder) {
    let is_untimed: hashbrown::HashSet<u32> = untimed.iter().copied().collect();
    let recorded = builder.recorded_edges();
    let traced: hashbrown::HashSet<(Option<u32>, u32)> = recorded
        [recorded.len().min(tracer_edges)..]
        .iter()
        .copied()
        .collect();
    let timed_ancestor = |builder: &TraceBuilder, mut at: u32| {
        // At most one step per untimed module: a made-up file's parent cycle ends the walk.
        for _ in 0..=untimed.len() {
            match builder.parent_of(at).flatten() {
                Some(p) if is_untimed.contains(&p) => at = p,
                parent => return parent,
            }
        }
        None
    };
    let (mut wrong, mut moves) = (hashbrown::HashSet::new(), Vec::new());
    for &(importer, module) in &traced {
        let Some(u) = importer.filter(|u| is_untimed.contains(u)) else {
            continue;
        };
        let shown = timed_ancestor(builder, u);
        if is_untimed.contains(&module) || traced.contains(&(shown, module)) {
            continue;
        }
        wrong.insert((shown, module));
        if builder.parent_of(module) == Some(shown) {
            moves.push((module, u));
        }
    }
    // In a fixed order: a module two untimed ones import goes under the first by id.
    moves.sort_unstable();
    moves.dedup_by_key(|&mut (module, _)| module);
    for (module, u) in moves {
        builder.reparent(module, Some(u));
    }
    builder.forget_edges(&wrong);
}

/// The replay run's findings: each `request` line (label, outcome, watched µs, modules), the
/// modules kept to those the trace holds; `Err` with the tracer's words when it could not
/// replay; `None` when it wrote no `requests` line.
pub fn read_requests(
    text: &str,
    builder: &TraceBuilder,
) -> Option<std::result::Result<crate::model::requests::Requests, String>> {
    let field = |line: &str, kind: &str| {
        let rest = line.strip_prefix(kind)?.strip_prefix('\t')?;
        Some(crate::printable::printable(rest).into_owned())
    };
    if let Some(error) = text.lines().find_map(|l| field(l, "request-error")) {
        return Some(Err(error));
    }
    let source = text.lines().find_map(|l| field(l, "requests"))?;
    let each = text.lines().filter_map(|line| {
        let mut fields = line.split('\t');
        if fields.next() != Some("request") {
            return None;
        }
        let label = crate::printable::printable(fields.next()?).into_owned();
        let outcome = fields.next()?;
        let watched_us = fields.next()?.parse().unwrap_or(0);
        let raised = (outcome != "ok").then(|| {
            let said = outcome.strip_prefix("raised ").unwrap_or(outcome);
            crate::printable::printable(said).into_owned()
        });
        let names = (fields.filter(|n| !has_control(n)))
            .filter(|n| builder.lookup(n).is_some())
            .map(str::to_string)
            .collect();
        Some((label, raised, watched_us, names))
    });
    let mut requests = crate::model::requests::Requests::collect(source, each);
    requests.watch_overhead_us = text.lines().find_map(|line| {
        let mut f = line.strip_prefix("watch-overhead\t")?.split('\t');
        Some((f.next()?.parse().ok()?, f.next()?.parse().ok()?))
    });
    Some(Ok(requests))
}

/// (name, second field) of each `kind` line whose fields hold no control character.
fn finding<'t>(text: &'t str, kind: &'t str) -> impl Iterator<Item = (&'t str, &'t str)> {
    text.lines().filter_map(move |line| {
        let mut fields = line.split('\t');
        if fields.next() != Some(kind) || line.split('\t').any(has_control) {
            return None;
        }
        let name = fields.next().filter(|n| !n.is_empty())?;
        Some((name, fields.next().unwrap_or("")))
    })
}

/// One `edge` line (its fields after the trigger) into the builder; false when it names a
/// module the trace does not hold.
fn edge<'a>(
    trigger: &str,
    module: Option<&str>,
    mut fields: impl Iterator<Item = &'a str>,
    builder: &mut TraceBuilder,
) -> bool {
    let Some(to) = module.and_then(|n| builder.lookup(n)) else {
        return false;
    };
    let importer = match trigger {
        "__main__" => None,
        _ => match builder.lookup(trigger) {
            Some(id) => Some(id),
            None => return false,
        },
    };
    match fields.next().and_then(EdgeKind::from_key) {
        Some(kind) => {
            let line = fields.next().and_then(|l| l.parse::<u32>().ok());
            let at = fields.next().zip(line);
            let code = fields.next();
            let within = Within {
                function: fields.next(),
                via: fields.next(),
            };
            builder.site_within(importer, to, kind, (at, code), within);
        }
        None => builder.edge(importer, to),
    }
    true
}

/// Adds edges, origins and shutdown marks to the builder.
pub fn read(text: &str, builder: &mut TraceBuilder) -> Findings {
    let untimed = add_untimed(text, builder);
    let tracer_edges = builder.recorded_edges().len();
    let mut found = Findings {
        untimed: untimed.len(),
        ..Findings::default()
    };
    for line in text.lines() {
        // Names come from the program's sys.modules: never a control character on a terminal.
        if line.split('\t').any(has_control) {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(kind), Some(name)) = (fields.next(), fields.next()) else {
            continue;
        };
        let second = fields.next();
        match kind {
            "edge" => found.edges += usize::from(edge(name, second, fields, builder)),
            "module" => {
                let (Some(id), Some(class)) =
                    (builder.lookup(name), second.and_then(ModuleClass::from_key))
                else {
                    continue;
                };
                let origin = fields.next().filter(|o| !o.is_empty());
                builder.origin(id, class, origin);
                found.origins += 1;
            }
            "shutdown" => {
                if let Some(id) = builder.lookup(name) {
                    builder.shutdown(id);
                }
            }
            "loaded" => found
                .loaded
                .push((name.to_string(), second.unwrap_or("?").to_string())),
            "harness" => found.harness.push(name.to_string()),
            "fingerprint" => {
                let f = found.fingerprint.get_or_insert_with(Default::default);
                let value = second.unwrap_or("").to_string();
                match name {
                    "python" => f.python = value,
                    "platform" => f.platform = value,
                    "package" => {
                        if let Some((package, version)) = value.split_once(' ') {
                            f.packages.insert(package.into(), version.into());
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    nest_under_untimed(&untimed, tracer_edges, builder);
    found
}

#[cfg(test)]
mod tests {
    use crate::model::{EdgeKind, ImportGraph, ModuleClass, ModuleId, TraceBuilder};

    #[test]
    fn findings_about_traced_modules_only() {
        let mut builder = TraceBuilder::new();
        let (a, b) = (builder.module("a"), builder.module("b"));
        let found = super::read(
            "edge\t__main__\ta\tstatement\t3\tapp.py\timport a\nedge\ta\tb\tdynamic\t\t\t\n\
             edge\tzzz\tb\nedge\ta\tmissing\nno tab\n\
             module\ta\tprogram\t/src/a.py\nmodule\tb\tthird-party\t\nmodule\tb\tnonsense\tx\n\
             module\tmissing\tstdlib\tx\nloaded\tb\ta\nshutdown\tb\nloaded\ta\t\x1b[2Jevil\n\
             fingerprint\tpython\tCPython 3.11.7\nfingerprint\tpackage\tboto3 1.35.0\n",
            &mut builder,
        );
        assert_eq!((found.edges, found.origins), (2, 2));
        assert_eq!(found.loaded, [("b".to_string(), "a".to_string())]);
        let fingerprint = found.fingerprint.unwrap();
        assert_eq!(fingerprint.python, "CPython 3.11.7");
        assert_eq!(fingerprint.packages["boto3"], "1.35.0");
        let g = ImportGraph::build(builder).unwrap();
        let (a, b) = (ModuleId::new(a), ModuleId::new(b));
        // `a` by the program, `b` by `a` (and by nobody the trace lacks).
        assert!(g.importers(a).contains(&None));
        assert!(g.importers(b).contains(&Some(a)));
        let site = g.sites(a)[0];
        assert_eq!((site.importer, site.kind), (None, EdgeKind::Statement));
        assert_eq!(g.site_place(&site).as_deref(), Some("app.py:3"));
        assert_eq!(g.site_code(&site), Some("import a"));
        assert_eq!(g.edge_kind(Some(a), b), EdgeKind::Dynamic);
        assert_eq!(g.site_place(&g.sites(b)[0]), None);
        assert_eq!(g.module(a).class, ModuleClass::Program);
        assert_eq!(g.origin(a), Some("/src/a.py"));
        assert_eq!(g.module(b).class, ModuleClass::ThirdParty);
        assert_eq!(g.origin(b), None);
        // Imported at shutdown: no part of what the program loads.
        assert!(g.module(b).shutdown);
        assert!(g.imports(a).is_empty());
    }

    /// What `import_module` loaded joins under its trigger (even one listed later), what a
    /// package placed in sys.modules under the package; neither has samples. Shutdown
    /// imports, modules of no traced package, and names with control characters stay out.
    #[test]
    fn modules_without_a_line_join_untimed() {
        let mut builder = TraceBuilder::new();
        let a = builder.module("a");
        builder.tree_parent(a, None);
        let run = builder.begin_run();
        let one = crate::model::Sample {
            run,
            self_us: 5,
            cumulative_us: 5,
        };
        builder.sample(a, one);
        let found = super::read(
            "untimed\tdyn.inner\tdyn\nuntimed\tdyn\ta\nuntimed\tevil\x1b\ta\n\
             module\ta.placed\tstdlib\t\nmodule\ta.late\tstdlib\t\nshutdown\ta.late\n\
             module\tloose\tstdlib\t\n",
            &mut builder,
        );
        assert_eq!(found.untimed, 3);
        let g = ImportGraph::build(builder).unwrap();
        let id = |n| g.find(n).unwrap();
        let parent = |n| g.module(id(n)).parent.map(|p| g.name(p));
        assert_eq!(parent("dyn"), Some("a"));
        assert_eq!(parent("dyn.inner"), Some("dyn"));
        assert_eq!(parent("a.placed"), Some("a"));
        assert!(g.importers(id("a.placed")).contains(&Some(id("a"))));
        assert!(
            ["dyn", "dyn.inner", "a.placed"]
                .iter()
                .all(|&n| !g.module(id(n)).timed())
        );
        assert!(g.module(id("a")).timed());
        assert_eq!(g.module(id("a.placed")).class, ModuleClass::Stdlib);
        assert!(g.find("a.late").is_none() && g.find("loose").is_none());
        assert_eq!(g.len(), 4);
    }
}
