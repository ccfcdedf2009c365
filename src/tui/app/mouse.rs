//! Clicks: select a row, double-click to fold or show in the tree, click a header to sort.

use super::{App, DOUBLE_CLICK_MS, Mode};
use crate::tui::layout::{self, Column};
use crate::tui::views::Fold;
use lmms_core::model::{Sort, SortKey};

impl App {
    fn sort_for_column(column: Column) -> Option<SortKey> {
        match column {
            Column::Name => Some(SortKey::Name),
            Column::SelfMs => Some(SortKey::SelfTime),
            Column::CumulativeMs | Column::Percent | Column::Bar => Some(SortKey::Cumulative),
            Column::RetainedMs => Some(SortKey::Retained),
            Column::UsagePct | Column::Decision | Column::Suggestion | Column::Class => None,
        }
    }

    pub(super) fn click(&mut self, column: u16, row: u16, at_ms: u64) {
        if self.mode() != Mode::Normal {
            return;
        }
        let areas = self.areas();
        let table = areas.table;
        if column < table.x || column >= table.x + table.width {
            return;
        }
        if row == table.y {
            if !self.current().sorts() {
                return;
            }
            let columns = self.columns(table.width);
            let Some(col) = layout::column_at(&columns, column - table.x) else {
                return;
            };
            if let Some(key) = Self::sort_for_column(col) {
                let sort = if key == self.sort.key {
                    Sort {
                        descending: !self.sort.descending,
                        ..self.sort
                    }
                } else {
                    Sort::by(key)
                };
                self.set_sort(sort);
            }
            return;
        }
        let body = areas.body();
        if row < body.y || row >= body.y + body.height {
            return;
        }
        let view = self.views.get_mut(self.view);
        let index = view.row_at(column - table.x, table.width, (row - body.y) as usize);
        let len = view.len();
        if index >= len {
            return;
        }
        let height = body.height as usize;
        view.cursor_mut().select(index, len, height);
        let double = matches!(self.last_click, Some((r, t)) if r == row && at_ms.saturating_sub(t) <= DOUBLE_CLICK_MS);
        self.last_click = Some((row, at_ms));
        if double {
            self.last_click = None;
            self.fold(Fold::Toggle);
        }
    }
}
