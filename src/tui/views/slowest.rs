//! "Slowest": every module in one list, in the current sort.

use std::ops::Range;

use super::{Row, Rows, View, module_row};
use crate::model::{ModuleId, Sort};
use crate::tui::cursor::Cursor;
use crate::whatif::Analysis;

#[derive(Debug, Default)]
pub struct Slowest {
    ids: Vec<ModuleId>,
    /// The sort `ids` is in (built when first shown).
    sorted_by: Option<Sort>,
    cursor: Cursor,
}

impl View for Slowest {
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
        self.sorted_by = Some(sort);
        if let Some(i) = keep.and_then(|keep| self.ids.iter().position(|&m| m == keep)) {
            self.cursor.selected = i;
        }
    }

    fn rows(&self, a: &Analysis, sort: Sort, range: Range<usize>) -> Rows {
        Rows::Modules(
            self.ids[range]
                .iter()
                .map(|&id| module_row(a, id, a.graph().name(id).to_string(), sort))
                .collect::<Vec<Row>>(),
        )
    }
}
