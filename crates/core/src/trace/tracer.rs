//! The tracer's output file (`tracer/src/lmms_tui_tracer`), one finding a line:
//! `edge TRIGGER MODULE KIND LINE FILE CODE FUNCTION SITE_MODULE` (`__main__` is the program;
//! the fields after MODULE may be empty or absent), `module NAME CLASS ORIGIN`,
//! `shutdown NAME`, `loaded NAME IMPORTER` and `harness NAME`, tab-separated. Modules the
//! trace does not hold are left out: the timed runs decide what loaded.

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
    let mut found = Findings::default();
    for line in text.lines() {
        // Names come from the program's sys.modules: never a control character on a terminal.
        if line.chars().any(|c| c.is_control() && c != '\t') {
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
}
