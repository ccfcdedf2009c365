//! The explorer's views: each file owns its rows, its cursor and what its keys do, behind the
//! `View` trait. Adding a view: a file here, a `ViewId` variant with its field in `Views`.

mod changes;
mod icicle;
mod importers;
mod packages;
mod slowest;
pub mod tree;

use std::ops::Range;

pub use changes::Changes;
pub use icicle::IcicleView;
pub use importers::{Importers, Line as ImporterLine};
pub use packages::Packages;
pub use slowest::Slowest;
pub use tree::TreeView;

use super::cursor::{Cursor, Move};
use lmms_core::model::{ModuleId, Sort};
use lmms_core::whatif::Analysis;

/// One table row, ready to draw: the name cell's text and the figures beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The module behind the row, for the what-if columns and the detail panel.
    pub module: Option<ModuleId>,
    /// Indentation, fold marker, arrow, name and any note.
    pub text: String,
    pub self_us: Option<u64>,
    pub cumulative_us: Option<u64>,
    /// What the % column and the bar show.
    pub share_us: u64,
    /// Interpreter start-up: drawn dim.
    pub dim: bool,
    /// The program itself: drawn bold.
    pub bold: bool,
}

/// What a view's table holds.
pub enum Rows {
    /// The module table (name, times, what-if columns).
    Modules(Vec<Row>),
    /// Indices into the comparison's modules, drawn with before/after columns.
    Changes(Range<usize>),
    /// No table: the icicle view's bars, drawn from the view.
    Icicle,
}

/// Folding keys, which only some views use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    Expand,
    Collapse,
    Toggle,
    ExpandAll,
    CollapseAll,
}

pub trait View {
    /// The name column's header.
    fn name_header(&self) -> &'static str {
        "module"
    }
    /// The self column's header.
    fn self_header(&self) -> &'static str {
        "self ms"
    }
    /// The cumulative column's header.
    fn cumulative_header(&self) -> &'static str {
        "cumul ms"
    }
    /// Whether there is anything to show (the changes view needs a baseline).
    fn available(&self, _a: &Analysis) -> bool {
        true
    }
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn cursor(&self) -> Cursor;
    fn cursor_mut(&mut self) -> &mut Cursor;
    /// The module the detail panel describes.
    fn selected(&self, a: &Analysis) -> Option<ModuleId>;
    /// What `L` and `e` decide: the selected module, or every module of a package.
    fn targets(&self, a: &Analysis) -> Vec<ModuleId> {
        self.selected(a).into_iter().collect()
    }
    /// Whether the view has folds of its own (others show the selection in the tree instead).
    fn folds(&self) -> bool {
        false
    }
    /// Whether the sort keys reorder the view.
    fn sorts(&self) -> bool {
        true
    }
    /// Brings rows up to date with the sort (called when shown and when the sort changes).
    fn refresh(&mut self, _a: &Analysis, _sort: Sort) {}
    /// Called when the view is shown; `from` is what was selected where the user came from.
    fn on_show(&mut self, _a: &Analysis, _from: Option<ModuleId>) {}
    fn rows(&self, a: &Analysis, sort: Sort, range: Range<usize>) -> Rows;
    /// Selects `m`'s row, else its top-level package's, when the view has one: the selection
    /// follows the module across views. Whether a row was found.
    fn select(&mut self, a: &Analysis, m: ModuleId, height: usize) -> bool {
        let graph = a.graph();
        let package = graph.find(lmms_core::model::top_level_package(graph.name(m)));
        let saved = self.cursor();
        let len = self.len();
        for wanted in std::iter::once(m).chain(package.filter(|&p| p != m)) {
            for row in 0..len {
                self.cursor_mut().selected = row;
                if self.selected(a) == Some(wanted) {
                    self.cursor_mut().select(row, len, height);
                    return true;
                }
            }
        }
        *self.cursor_mut() = saved;
        false
    }
    /// The row a click at column `x` of a body `width` wide, `row` lines down, lands on.
    fn row_at(&self, _x: u16, _width: u16, row: usize) -> usize {
        self.cursor().scroll + row
    }
    fn move_cursor(&mut self, m: Move, height: usize) {
        let len = self.len();
        self.cursor_mut().apply(m, len, height);
    }
    /// A folding key. Views without folding show the selection in the tree on Expand and
    /// Toggle: the returned module is where to go.
    fn fold(&mut self, fold: Fold, a: &Analysis, _height: usize) -> Option<ModuleId> {
        match fold {
            Fold::Expand | Fold::Toggle => self.selected(a),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewId {
    Tree,
    Slowest,
    Packages,
    Importers,
    Changes,
    Icicle,
}

impl ViewId {
    /// Tab order and the number keys (1 for the first).
    pub const ALL: [ViewId; 6] = [
        ViewId::Tree,
        ViewId::Slowest,
        ViewId::Packages,
        ViewId::Importers,
        ViewId::Changes,
        ViewId::Icicle,
    ];

    /// The tab's label.
    pub fn title(self) -> &'static str {
        match self {
            ViewId::Tree => "Tree",
            ViewId::Slowest => "Slowest",
            ViewId::Packages => "Packages",
            ViewId::Importers => "Importers of",
            ViewId::Changes => "Δ baseline",
            ViewId::Icicle => "Icicle",
        }
    }
}

pub struct Views {
    pub tree: TreeView,
    pub slowest: Slowest,
    pub packages: Packages,
    pub importers: Importers,
    pub changes: Changes,
    pub icicle: IcicleView,
}

impl Views {
    pub fn new(a: &Analysis) -> Views {
        Views {
            tree: TreeView::new(&a.keys()),
            slowest: Slowest::default(),
            packages: Packages::default(),
            importers: Importers::default(),
            changes: Changes::default(),
            icicle: IcicleView::default(),
        }
    }

    pub fn get(&self, id: ViewId) -> &dyn View {
        match id {
            ViewId::Tree => &self.tree,
            ViewId::Slowest => &self.slowest,
            ViewId::Packages => &self.packages,
            ViewId::Importers => &self.importers,
            ViewId::Changes => &self.changes,
            ViewId::Icicle => &self.icicle,
        }
    }

    pub fn get_mut(&mut self, id: ViewId) -> &mut dyn View {
        match id {
            ViewId::Tree => &mut self.tree,
            ViewId::Slowest => &mut self.slowest,
            ViewId::Packages => &mut self.packages,
            ViewId::Importers => &mut self.importers,
            ViewId::Changes => &mut self.changes,
            ViewId::Icicle => &mut self.icicle,
        }
    }
}

/// The row of a module in the module table, as most views draw it.
pub fn module_row(a: &Analysis, id: ModuleId, text: String, sort: Sort) -> Row {
    let m = a.graph().module(id);
    // No run timed it: no figures (the table says `untimed`), never a 0.0 that reads as free.
    let timed = |us: u64| m.timed().then_some(us);
    Row {
        module: Some(id),
        text,
        self_us: timed(m.self_us),
        cumulative_us: timed(m.cumulative_us),
        share_us: if sort.key == lmms_core::model::SortKey::SelfTime {
            m.self_us
        } else {
            m.cumulative_us
        },
        dim: m.startup,
        bold: false,
    }
}
