//! The icicle view: the import tree as nested bars, each module as wide as its own time and
//! its imports', under its first importer, heaviest first; imports narrower than a cell drawn
//! together as `+N`. The cursor walks the bars in tree order (↑↓); Enter or → zooms into the
//! selected bar, ← zooms out a level; `b` shows the tree as traced or with the plan applied.

use std::ops::Range;

use super::{Fold, Rows, View};
use crate::tui::cursor::Cursor;
use lmms_core::model::icicle::{Icicle, Weights};
use lmms_core::model::{ModuleId, Sort};
use lmms_core::whatif::Analysis;

/// Rows computed; the screen shows what fits.
const MAX_DEPTH: u32 = 64;

#[derive(Default)]
pub struct IcicleView {
    /// The module zoomed into; `None`: the whole program.
    zoom: Option<ModuleId>,
    /// Each module's subtree own time as traced, computed when first shown.
    traced: Option<Weights>,
    /// With the plan applied (what it leaves out of cold start counts nothing), for the
    /// analysis revision it was computed at.
    planned: Option<(u64, Weights)>,
    /// Showing the tree with the plan applied.
    after: bool,
    /// The screen's width in cells: an import narrower than one joins its siblings' `+N`.
    cells: u16,
    /// Laid out for `zoom` (every zoom lays them out again).
    bars: Icicle,
    cursor: Cursor,
}

impl IcicleView {
    /// The bars on screen.
    pub fn icicle(&self) -> &Icicle {
        &self.bars
    }

    /// The module zoomed into; `None`: the whole program.
    pub fn zoom(&self) -> Option<ModuleId> {
        self.zoom
    }

    /// Whether the plan is applied.
    pub fn after(&self) -> bool {
        self.after
    }

    /// `b`: as traced, or with the plan applied; the selection stays where it is drawn.
    pub fn toggle_after(&mut self, a: &Analysis) {
        self.after = !self.after;
        self.rebuild(a);
    }

    /// The screen's width changed: imports narrower than a cell are grouped anew.
    pub fn set_cells(&mut self, a: &Analysis, cells: u16) {
        if cells != self.cells {
            self.cells = cells;
            if self.traced.is_some() {
                self.rebuild(a);
            }
        }
    }

    /// After a plan edit: the plan applied is laid out again.
    pub fn follow_plan(&mut self, a: &Analysis) {
        let stale = self.planned.as_ref().is_some_and(|p| p.0 != a.revision());
        if self.after && stale {
            self.rebuild(a);
        }
    }

    fn rebuild(&mut self, a: &Analysis) {
        let selected = self.selected(a);
        self.zoom_to(a, self.zoom, selected);
    }

    fn weights(&mut self, a: &Analysis) -> &Weights {
        let g = a.graph();
        if !self.after {
            return self.traced.get_or_insert_with(|| Weights::of(g, |_| true));
        }
        if self.planned.as_ref().is_none_or(|p| p.0 != a.revision()) {
            let w = Weights::of(g, |m| !a.leaves_cold_start(m));
            self.planned = Some((a.revision(), w));
        }
        &self.planned.as_ref().expect("computed above").1
    }

    fn build(&mut self, a: &Analysis) {
        let g = a.graph();
        let roots: Vec<ModuleId> = self.zoom.map_or_else(|| g.roots().to_vec(), |m| vec![m]);
        let cells = u64::from(self.cells.max(1));
        let weights = self.weights(a);
        let total = weights.total(&roots);
        self.bars = weights.icicle(g, &roots, total / cells, MAX_DEPTH);
    }

    /// Zooms to `m` (`None`: the whole), keeping `select` selected when it is drawn.
    fn zoom_to(&mut self, a: &Analysis, m: Option<ModuleId>, select: Option<ModuleId>) {
        self.zoom = m;
        self.build(a);
        let at = select.and_then(|s| self.bars.bars.iter().position(|b| b.module == s));
        self.cursor = Cursor {
            selected: at.unwrap_or(0),
            scroll: 0,
        };
    }
}

impl View for IcicleView {
    fn len(&self) -> usize {
        self.bars.bars.len()
    }

    fn cursor(&self) -> Cursor {
        self.cursor
    }

    fn cursor_mut(&mut self) -> &mut Cursor {
        &mut self.cursor
    }

    fn selected(&self, _a: &Analysis) -> Option<ModuleId> {
        self.bars.bars.get(self.cursor.selected).map(|b| b.module)
    }

    /// The module's bar; zoomed out to the whole when it lies outside the zoom.
    fn select(&mut self, a: &Analysis, m: ModuleId, _height: usize) -> bool {
        if !self.bars.bars.iter().any(|b| b.module == m) && self.zoom.is_some() {
            self.zoom_to(a, None, None);
        }
        match self.bars.bars.iter().position(|b| b.module == m) {
            Some(at) => {
                self.cursor.selected = at;
                true
            }
            None => false,
        }
    }

    /// The bar drawn there: its row is its depth, its cells its share of the width.
    fn row_at(&self, x: u16, width: u16, row: usize) -> usize {
        (self.bars.bars.iter())
            .position(|b| {
                let (x0, x1) = self.bars.cells(b, width);
                b.depth as usize == row && x0 <= x && x < x1
            })
            .unwrap_or(usize::MAX)
    }

    fn folds(&self) -> bool {
        true
    }

    /// Heaviest first, whatever the sort.
    fn sorts(&self) -> bool {
        false
    }

    fn refresh(&mut self, a: &Analysis, _sort: Sort) {
        if self.traced.is_none() {
            self.build(a);
        }
    }

    /// Enter or → zooms into the selected bar; ← zooms out a level; the fold-all keys show the
    /// whole.
    fn fold(&mut self, fold: Fold, a: &Analysis, _height: usize) -> Option<ModuleId> {
        let selected = self.selected(a);
        match fold {
            Fold::Expand | Fold::Toggle => {
                if selected.is_some() && selected != self.zoom {
                    self.zoom_to(a, selected, selected);
                }
            }
            Fold::Collapse => {
                if let Some(z) = self.zoom {
                    let parent = a.graph().module(z).parent;
                    self.zoom_to(a, parent, Some(z));
                }
            }
            Fold::ExpandAll | Fold::CollapseAll => self.zoom_to(a, None, selected),
        }
        None
    }

    fn rows(&self, _a: &Analysis, _sort: Sort, _range: Range<usize>) -> Rows {
        Rows::Icicle
    }
}
