//! "Δ baseline": every module by its change against the baseline (`--baseline`).

use std::ops::Range;

use super::{Rows, View};
use crate::tui::cursor::Cursor;
use lmms_core::model::{ModuleId, Sort};
use lmms_core::whatif::Analysis;

#[derive(Debug, Default)]
pub struct Changes {
    cursor: Cursor,
    len: usize,
}

impl View for Changes {
    fn available(&self, a: &Analysis) -> bool {
        a.comparison().is_some()
    }

    fn len(&self) -> usize {
        self.len
    }

    fn cursor(&self) -> Cursor {
        self.cursor
    }

    fn cursor_mut(&mut self) -> &mut Cursor {
        &mut self.cursor
    }

    fn selected(&self, a: &Analysis) -> Option<ModuleId> {
        let d = a.comparison()?.modules.get(self.cursor.selected)?;
        a.graph().find(&d.name)
    }

    /// Ordered by the change itself.
    fn sorts(&self) -> bool {
        false
    }

    fn refresh(&mut self, a: &Analysis, _sort: Sort) {
        self.len = a.comparison().map_or(0, |c| c.modules.len());
    }

    fn rows(&self, _a: &Analysis, _sort: Sort, range: Range<usize>) -> Rows {
        Rows::Changes(range)
    }
}
