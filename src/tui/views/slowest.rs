//! "Slowest": every module in one list, in the current sort — or only one class of module
//! (your code, third-party, …).

use std::ops::Range;

use super::{Row, Rows, View, module_row};
use crate::tui::cursor::Cursor;
use lmms_core::model::{ModuleClass, ModuleId, Sort};
use lmms_core::whatif::Analysis;

#[derive(Debug, Default)]
pub struct Slowest {
    ids: Vec<ModuleId>,
    /// The sort `ids` is in (built when first shown).
    sorted_by: Option<Sort>,
    /// Only modules of this class, when set.
    filter: Option<ModuleClass>,
    cursor: Cursor,
}

impl Slowest {
    /// The next class the trace has modules of, after the current one; all after the last.
    pub fn cycle_filter(&mut self, a: &Analysis) {
        let g = a.graph();
        let present = |c: ModuleClass| g.modules().iter().any(|m| m.class == c);
        let after = match self.filter {
            None => 0,
            Some(f) => ModuleClass::ALL.iter().position(|&c| c == f).unwrap_or(0) + 1,
        };
        self.filter = ModuleClass::ALL[after..]
            .iter()
            .copied()
            .find(|&c| present(c));
        self.sorted_by = None;
        self.cursor = Cursor::default();
    }

    pub fn filter(&self) -> Option<ModuleClass> {
        self.filter
    }
}

impl View for Slowest {
    fn name_header(&self) -> &'static str {
        match self.filter {
            None => "module",
            Some(ModuleClass::Program) => "module (program only: c for more)",
            Some(ModuleClass::ThirdParty) => "module (third-party only: c for more)",
            Some(ModuleClass::Stdlib) => "module (stdlib only: c for more)",
            Some(ModuleClass::Startup) => "module (start-up only: c for more)",
            Some(ModuleClass::Unknown) => "module (origin unknown only: c for all)",
        }
    }

    fn len(&self) -> usize {
        self.ids.len()
    }

    fn cursor(&self) -> Cursor {
        self.cursor
    }

    fn cursor_mut(&mut self) -> &mut Cursor {
        &mut self.cursor
    }

    fn selected(&self, _a: &Analysis) -> Option<ModuleId> {
        self.ids.get(self.cursor.selected).copied()
    }

    fn refresh(&mut self, a: &Analysis, sort: Sort) {
        if self.sorted_by == Some(sort) {
            return;
        }
        let keep = self.ids.get(self.cursor.selected).copied();
        self.ids = sort.all(&a.keys());
        if let Some(class) = self.filter {
            self.ids.retain(|&m| a.graph().module(m).class == class);
        }
        self.sorted_by = Some(sort);
        if let Some(i) = keep.and_then(|keep| self.ids.iter().position(|&m| m == keep)) {
            self.cursor.selected = i;
        }
    }

    fn rows(&self, a: &Analysis, sort: Sort, range: Range<usize>) -> Rows {
        Rows::Modules(
            self.ids[range]
                .iter()
                .map(|&id| {
                    module_row(
                        a,
                        id,
                        lmms_core::printable::printable(a.graph().name(id)).into_owned(),
                        sort,
                    )
                })
                .collect::<Vec<Row>>(),
        )
    }
}
