//! The icicle view: the import tree as nested bars, each module as wide as its own time and
//! its imports', under its first importer, heaviest first. The cursor walks the bars in tree
//! order (↑↓); Enter or → zooms into the selected bar, ← zooms out a level.

use std::ops::Range;

use super::{Fold, Rows, View};
use crate::tui::cursor::Cursor;
use lmms_core::model::icicle::{Icicle, Weights};
use lmms_core::model::{ModuleId, Sort};
use lmms_core::whatif::Analysis;

/// Bars narrower than this share of the width are left out (a screen has a few hundred cells).
const NARROWEST: u64 = 4000;
/// Rows computed; the screen shows what fits.
const MAX_DEPTH: u32 = 64;

#[derive(Default)]
pub struct IcicleView {
    /// The module zoomed into; `None`: the whole program.
    zoom: Option<ModuleId>,
    /// Each module's subtree own time: the graph's alone, computed when first shown.
    weights: Option<Weights>,
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

    fn build(&mut self, a: &Analysis) {
        let g = a.graph();
        let zoom = self.zoom;
        let roots: Vec<ModuleId> = zoom.map_or_else(|| g.roots().to_vec(), |m| vec![m]);
        let weights = self.weights.get_or_insert_with(|| Weights::of(g, |_| true));
        let total = weights.total(&roots);
        self.bars = weights.icicle(g, &roots, total / NARROWEST, MAX_DEPTH);
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
        if self.weights.is_none() {
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
