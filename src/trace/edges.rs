//! The tracer's edge file (`assets/tracer/sitecustomize.py`): one `importer<TAB>module` line
//! per import statement, `__main__` for the program itself. Edges between modules the trace
//! does not hold are left out: the timed runs decide what loaded.

use crate::model::TraceBuilder;

/// Adds the file's edges to the builder; returns how many were added.
pub fn read(text: &str, builder: &mut TraceBuilder) -> usize {
    let mut added = 0;
    for line in text.lines() {
        let Some((from, to)) = line.split_once('\t') else {
            continue;
        };
        let Some(to) = builder.lookup(to) else {
            continue;
        };
        let importer = if from == "__main__" {
            None
        } else {
            match builder.lookup(from) {
                Some(id) => Some(id),
                None => continue,
            }
        };
        builder.edge(importer, to);
        added += 1;
    }
    added
}

#[cfg(test)]
mod tests {
    #[test]
    fn edges_between_traced_modules_only() {
        let mut builder = crate::model::TraceBuilder::new();
        let (a, b) = (builder.module("a"), builder.module("b"));
        let n = super::read(
            "__main__\ta\na\tb\nzzz\tb\na\tmissing\nno tab\n",
            &mut builder,
        );
        assert_eq!(n, 2);
        let g = crate::model::ImportGraph::build(builder).unwrap();
        let (a, b) = (crate::model::ModuleId(a), crate::model::ModuleId(b));
        // `a` by the program, `b` by `a` (and by nobody the trace lacks).
        assert!(g.importers(a).contains(&None));
        assert!(g.importers(b).contains(&Some(a)));
        assert_eq!(g.imports(a), [b]);
    }
}
