//! "Packages": top-level packages by the sum of their modules' self time.

use crate::output::units::count;
use std::ops::Range;

use super::{Row, Rows, View};
use crate::tui::cursor::Cursor;
use lmms_core::model::packages::{self, Package};
use lmms_core::model::{ModuleId, Sort};
use lmms_core::whatif::Analysis;

#[derive(Debug, Default)]
pub struct Packages {
    pub list: Vec<Package>,
    sorted_by: Option<Sort>,
    cursor: Cursor,
}

impl View for Packages {
    fn name_header(&self) -> &'static str {
        "package"
    }

    fn self_header(&self) -> &'static str {
        "self Σ ms"
    }

    /// The package module's own import (`import pydantic`), which need not hold what loads
    /// later under it (lazy submodules): not a sum, and it can be below the self sum.
    fn cumulative_header(&self) -> &'static str {
        "own ms"
    }

    fn len(&self) -> usize {
        self.list.len()
    }

    fn cursor(&self) -> Cursor {
        self.cursor
    }

    fn cursor_mut(&mut self) -> &mut Cursor {
        &mut self.cursor
    }

    fn selected(&self, a: &Analysis) -> Option<ModuleId> {
        let p = self.list.get(self.cursor.selected)?;
        a.graph().find(&p.name)
    }

    /// The whole package: every module in it, under the key's scope.
    fn targets(&self, a: &Analysis) -> Vec<ModuleId> {
        self.list
            .get(self.cursor.selected)
            .map_or_else(Vec::new, |p| packages::members(a.graph(), &p.name))
    }

    fn refresh(&mut self, a: &Analysis, sort: Sort) {
        if self.sorted_by == Some(sort) {
            return;
        }
        if self.list.is_empty() {
            self.list = packages::packages(a.graph());
        }
        packages::sort_packages(&mut self.list, &a.keys(), sort);
        self.sorted_by = Some(sort);
    }

    fn rows(&self, a: &Analysis, _sort: Sort, range: Range<usize>) -> Rows {
        Rows::Modules(
            self.list[range]
                .iter()
                .map(|p| Row {
                    // The package's own module: its what-if columns, and `L` defers it.
                    module: p.root,
                    text: format!("{}  ({})", p.name, count(p.modules, "module")),
                    self_us: Some(p.self_us),
                    cumulative_us: p.root.map(|m| a.graph().module(m).cumulative_us),
                    share_us: p.self_us,
                    dim: false,
                    bold: false,
                })
                .collect(),
        )
    }
}
