//! "Importers of": every chain from the top that reaches a module, as an inverted tree —
//! the answer to "why is this loaded at all?".

use std::ops::Range;

use super::{Row, Rows, View, module_row};
use crate::model::{ImportGraph, Importer, ModuleId, Sort};
use crate::tui::cursor::Cursor;
use crate::whatif::Analysis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvertedRow {
    /// `None` is the program itself (a top-level import).
    pub importer: Importer,
    pub depth: u32,
    /// The module already appears below on this path: an import cycle, not expanded.
    pub cycle: bool,
}

/// Rows are capped: a module imported from everywhere in a full-edge trace has an
/// exponential number of paths.
pub const MAX_ROWS: usize = 5_000;

#[derive(Debug, Clone, Default)]
pub struct Importers {
    pub target: Option<ModuleId>,
    pub rows: Vec<InvertedRow>,
    /// True when `MAX_ROWS` cut the tree short.
    pub truncated: bool,
    cursor: Cursor,
}

impl View for Importers {
    fn name_header(&self) -> &'static str {
        "imported by"
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    fn cursor(&self) -> Cursor {
        self.cursor
    }

    fn cursor_mut(&mut self) -> &mut Cursor {
        &mut self.cursor
    }

    fn selected(&self, _a: &Analysis) -> Option<ModuleId> {
        self.rows.get(self.cursor.selected).and_then(|r| r.importer)
    }

    /// "Why is this loaded?" asks about whatever was selected where the user came from.
    fn on_show(&mut self, a: &Analysis, from: Option<ModuleId>) {
        if let Some(target) = from.or(self.target) {
            *self = Importers::build(a.graph(), target);
        }
    }

    fn rows(&self, a: &Analysis, sort: Sort, range: Range<usize>) -> Rows {
        Rows::Modules(
            self.rows[range]
                .iter()
                .map(|r| {
                    let indent = "  ".repeat(r.depth as usize);
                    let arrow = if r.depth == 0 { "" } else { "← " };
                    match r.importer {
                        Some(id) => {
                            let cycle = if r.cycle { "  ↻ import cycle" } else { "" };
                            let name = a.graph().name(id);
                            module_row(a, id, format!("{indent}{arrow}{name}{cycle}"), sort)
                        }
                        None => Row {
                            module: None,
                            text: format!("{indent}{arrow}(the program itself)"),
                            self_us: None,
                            cumulative_us: None,
                            share_us: 0,
                            dim: false,
                            bold: true,
                        },
                    }
                })
                .collect(),
        )
    }
}

impl Importers {
    /// Every path from `target` up to the program, depth first, importers in import order.
    pub fn build(graph: &ImportGraph, target: ModuleId) -> Importers {
        let mut rows = Vec::new();
        let mut truncated = false;
        // (importer, depth, index in `path` of its parent); `path` holds the current chain.
        let mut path: Vec<ModuleId> = Vec::new();
        let mut stack: Vec<(Importer, u32)> = vec![(Some(target), 0)];
        while let Some((importer, depth)) = stack.pop() {
            if rows.len() >= MAX_ROWS {
                truncated = true;
                break;
            }
            path.truncate(depth as usize);
            let cycle = importer.is_some_and(|m| path.contains(&m));
            rows.push(InvertedRow {
                importer,
                depth,
                cycle,
            });
            let Some(m) = importer else { continue };
            if cycle {
                continue;
            }
            path.push(m);
            let first = stack.len();
            stack.extend(graph.statement_importers(m).map(|i| (i, depth + 1)));
            stack[first..].reverse();
        }
        Importers {
            target: Some(target),
            rows,
            truncated,
            cursor: Cursor::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chain_up_to_the_program() {
        // 3.14 trace: urllib3 first imported by botocore, then (cached) by requests.
        let text = "\
import time:        10 |         10 |     urllib3
import time:        20 |         30 |   botocore
import time:         5 |         35 | boto3
import time: cached    | cached     |   urllib3
import time:         5 |          5 | requests
";
        let g = crate::trace::from_bytes("t", text.as_bytes()).unwrap();
        let v = Importers::build(&g, g.find("urllib3").unwrap());
        let got: Vec<(String, u32)> = v
            .rows
            .iter()
            .map(|r| {
                (
                    r.importer
                        .map_or("<program>".into(), |m| g.name(m).to_string()),
                    r.depth,
                )
            })
            .collect();
        let want = [
            ("urllib3", 0),
            ("botocore", 1),
            ("boto3", 2),
            ("<program>", 3),
            ("requests", 1),
            ("<program>", 2),
        ];
        assert_eq!(got, want.map(|(n, d)| (n.to_string(), d)));
        assert!(!v.truncated);
    }
}
