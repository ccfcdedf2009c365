//! The explorer's state and `update(action) -> effects`: everything the screen shows, with no
//! terminal types and no file I/O (files are written by the event loop, from `Effect`s), so
//! journeys are tested by feeding actions and rendering to a test backend.

use crate::output::units::count;
use std::path::PathBuf;
use std::time::Duration;

mod files;
mod headline;
mod mouse;
mod update;

use super::action::Written;
use super::layout::{self, Area};
use super::search::Search;
use super::views::{Fold, View, ViewId, Views};
use lmms_core::model::{ModuleId, Sort};
use lmms_core::whatif::{Analysis, Decision, check_deferrable, covered_submodules};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Search,
    Help,
    /// The parameters panel has the keys.
    Params,
    /// A value is being typed (see `App::input`).
    Input,
    /// A yes/no question (overwriting a file that is not ours, quitting with an unsaved plan).
    Confirm,
    /// The patch preview has the keys.
    Patch,
}

/// What a question in `Mode::Confirm` is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// Overwrite a file this session did not write: yes writes it.
    Overwrite(Written),
    /// Quit with a plan that differs from the one loaded or last saved: yes saves, then quits;
    /// no quits without saving; cancel stays.
    UnsavedPlan,
}

/// What has the keys, with the state that only that mode has: a value being typed exists only
/// while typing, a question only while asking.
#[derive(Debug, Clone, PartialEq)]
enum Modal {
    Normal,
    Search,
    Help,
    Params,
    /// A value being typed and what it is for.
    Input {
        target: InputTarget,
        text: String,
    },
    /// A question being asked, and its words.
    Confirm {
        question: Question,
        text: String,
    },
    /// A patch of your files for the plan, and the first line shown.
    Patch {
        text: String,
        scroll: usize,
    },
}

impl Modal {
    fn mode(&self) -> Mode {
        match self {
            Modal::Normal => Mode::Normal,
            Modal::Search => Mode::Search,
            Modal::Help => Mode::Help,
            Modal::Params => Mode::Params,
            Modal::Input { .. } => Mode::Input,
            Modal::Confirm { .. } => Mode::Confirm,
            Modal::Patch { .. } => Mode::Patch,
        }
    }
}

/// What a typed value sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputTarget {
    Usage(ModuleId),
    /// An index into `PARAMS`.
    Param(usize),
}

/// The help's scroll is kept below this; drawing clamps it to the help's wrapped length.
const HELP_SCROLL_MAX: usize = 400;

/// Two clicks on the same row within this many milliseconds are a double click.
const DOUBLE_CLICK_MS: u64 = 400;

/// Where `w` saves when no plan was loaded.
pub const DEFAULT_PLAN: &str = "lmms-plan.json";
/// Where `x` writes.
pub const DEFAULT_EXPORT: &str = "fast_path.py";
/// Where `w` in the patch preview writes.
pub const DEFAULT_PATCH: &str = "lmms-defer.patch";

/// A file the explorer writes. It is overwritten without asking only when it holds what this
/// session loaded or wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub owned: bool,
}

pub struct App {
    analysis: Analysis,
    views: Views,
    view: ViewId,
    modal: Modal,
    sort: Sort,
    search: Search,
    /// Position in the last search's matches, for n/N.
    match_index: usize,
    /// The selected row of the parameters panel.
    param_cursor: usize,
    /// The plan as last loaded or saved (its JSON): quitting with another one asks first.
    saved_plan: String,
    /// Quit once the plan being saved is written.
    quit_after_save: bool,
    /// The help screen's first line shown.
    help_scroll: usize,
    /// Where `w` saves the plan: the --plan file, or `lmms-plan.json`.
    pub plan_file: OutputFile,
    /// Where `x` writes fast_path.py.
    pub export_file: OutputFile,
    /// Where `w` in the patch preview writes the patch.
    pub patch_file: OutputFile,
    /// The program's directory, where the trace's file paths start (`P`).
    pub patch_root: PathBuf,
    width: u16,
    height: u16,
    status: Option<String>,
    /// Where the flags' defaults came from (`pyproject.toml`), when a file gave them.
    config: Option<String>,
    quit: bool,
    last_click: Option<(u16, u64)>,
    /// The name column's width for a window of rows, kept while it holds the screen.
    name_width: std::cell::Cell<Option<(NameWindow, usize)>>,
}

/// Rows the name column is sized for; the longest name cell there is kept until these change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NameWindow {
    view: ViewId,
    /// Start, end and the view's length.
    rows: (usize, usize, usize),
    sort: Sort,
    revision: u64,
    /// The first and last rows' modules: a view whose rows changed to others of the same count.
    ends: (Option<ModuleId>, Option<ModuleId>),
}

/// Rows whose names size the name column: twice as many as a screen holds, however tall.
const NAME_WINDOW: usize = 4096;

impl App {
    /// The explorer over an analysis; `w` saves to `plan_file`.
    pub fn new(analysis: Analysis, plan_file: OutputFile, width: u16, height: u16) -> App {
        let views = Views::new(&analysis);
        let search = Search::new(analysis.graph());
        let saved_plan = lmms_core::whatif::plan::to_json(analysis.plan(), analysis.graph());
        App {
            analysis,
            views,
            view: ViewId::Tree,
            modal: Modal::Normal,
            sort: Sort::default(),
            search,
            match_index: 0,
            param_cursor: 0,
            saved_plan,
            quit_after_save: false,
            help_scroll: 0,
            plan_file,
            export_file: OutputFile {
                path: PathBuf::from(DEFAULT_EXPORT),
                owned: false,
            },
            patch_file: OutputFile {
                path: PathBuf::from(DEFAULT_PATCH),
                owned: false,
            },
            patch_root: PathBuf::from("."),
            width,
            height,
            status: None,
            config: None,
            quit: false,
            last_click: None,
            name_width: std::cell::Cell::new(None),
        }
    }

    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    pub fn views(&self) -> &Views {
        &self.views
    }

    pub fn view(&self) -> ViewId {
        self.view
    }

    /// The screen's areas for the current view (a short table gives its room to the panels).
    pub fn areas(&self) -> layout::Areas {
        self.areas_in(self.size())
    }

    /// The same, for a screen of that size.
    pub fn areas_in(&self, screen: Area) -> layout::Areas {
        let whatif_lines = crate::output::figures::projection_lines(&self.analysis).len();
        layout::areas(screen, self.current().len(), whatif_lines)
    }

    /// The table's columns at `width`, the name column sized for the longest name in the rows
    /// around the screen (drawing and mouse clicks alike).
    pub fn columns(&self, width: u16) -> Vec<(crate::tui::layout::Column, u16)> {
        self.columns_wanting(width, self.longest_name())
    }

    /// The longest name cell in the window of rows holding the screen: one width while
    /// scrolling (it changes only every `NAME_WINDOW / 2` rows), computed once per window.
    fn longest_name(&self) -> usize {
        let view = self.current();
        let len = view.len();
        let start = (view.cursor().scroll / (NAME_WINDOW / 2) * (NAME_WINDOW / 2)).min(len);
        let end = (start + NAME_WINDOW).min(len);
        let key = NameWindow {
            view: self.view,
            rows: (start, end, len),
            sort: self.sort,
            revision: self.analysis.revision(),
            ends: (self.row_module(0), self.row_module(len.saturating_sub(1))),
        };
        if let Some((k, longest)) = self.name_width.get()
            && k == key
        {
            return longest;
        }
        let longest = match view.rows(&self.analysis, self.sort, start..end) {
            crate::tui::views::Rows::Modules(rows) => {
                rows.iter().map(|r| r.text.chars().count()).max()
            }
            _ => None,
        };
        let longest = longest.unwrap_or(24);
        self.name_width.set(Some((key, longest)));
        longest
    }

    /// The module on a row of the current view.
    fn row_module(&self, row: usize) -> Option<ModuleId> {
        let view = self.current();
        match view.rows(&self.analysis, self.sort, row..(row + 1).min(view.len())) {
            crate::tui::views::Rows::Modules(rows) => rows.first()?.module,
            _ => None,
        }
    }

    fn columns_wanting(
        &self,
        width: u16,
        longest: usize,
    ) -> Vec<(crate::tui::layout::Column, u16)> {
        // The header too, with room for a sort mark (` (import order ▲)`).
        let wants = longest.max(self.current().name_header().chars().count() + 17);
        crate::tui::layout::columns(width, u16::try_from(wants + 1).unwrap_or(u16::MAX))
    }

    pub fn current(&self) -> &dyn View {
        self.views.get(self.view)
    }

    pub fn mode(&self) -> Mode {
        self.modal.mode()
    }

    /// The patch previewed and its first line shown, while `P` shows one.
    pub fn patch_preview(&self) -> Option<(&str, usize)> {
        match &self.modal {
            Modal::Patch { text, scroll } => Some((text, *scroll)),
            _ => None,
        }
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    pub fn search(&self) -> &Search {
        &self.search
    }

    pub fn param_cursor(&self) -> usize {
        self.param_cursor
    }

    /// The value being typed and what it sets, while one is.
    pub fn input(&self) -> Option<(InputTarget, &str)> {
        match &self.modal {
            Modal::Input { target, text } => Some((*target, text)),
            _ => None,
        }
    }

    /// A key that acts on a module, on a row that is none: said, never silently nothing.
    fn say_no_module(&mut self, what: &str) {
        self.status = Some(format!(
            "{what} acts on a module: this row is none (select a module's row)"
        ));
    }

    /// `L`/`e`: defers what the view targets (a module, or every module of a package), or makes
    /// it eager again when all of it already is deferred so.
    fn toggle_lazy(&mut self, scope: Decision) {
        let mut targets = self.current().targets(&self.analysis);
        let covered = self.covered(&targets, scope);
        targets.extend(covered.iter().map(|&(sub, _)| sub));
        let graph = self.analysis.graph();
        let (deferrable, startup): (Vec<ModuleId>, Vec<ModuleId>) = targets
            .iter()
            .partition(|&&m| check_deferrable(graph, m).is_ok());
        let first = match (deferrable.first(), targets.first()) {
            (_, None) => return self.say_no_module("deferring"),
            (None, Some(&m)) => {
                // Start-up modules only: the reason, once.
                self.status = check_deferrable(graph, m).err();
                return;
            }
            (Some(&m), _) => m,
        };
        let plan = self.analysis.plan();
        let next = if deferrable.iter().all(|&m| plan.decision(m) == scope) {
            Decision::Eager
        } else {
            scope
        };
        let n = deferrable.len();
        let many = targets.len() > 1 || self.current().selected(&self.analysis) != Some(first);
        let what = match next {
            Decision::Eager => "eager again",
            Decision::Lazy => "deferred in your code",
            Decision::LazyEverywhere => "deferred at every import",
        };
        let said = if many {
            let left = if startup.is_empty() {
                String::new()
            } else {
                format!("; {} left eager", count(startup.len(), "start-up module"))
            };
            match covered.as_slice() {
                [] => format!("{} {what}{left}", count(n, "module")),
                subs => {
                    let names: Vec<&str> = subs.iter().map(|&(s, _)| graph.name(s)).collect();
                    let package = graph.name(first);
                    let names = crate::output::units::first_names(&names, 3);
                    format!("{package} {what}, with your imports of {names}")
                }
            }
        } else {
            format!("{} {what}", graph.name(first))
        };
        let before = headline::Headline::of(self.analysis.projection());
        if let Err(why) = self
            .analysis
            .set_decisions(deferrable.into_iter().map(|m| (m, next)))
        {
            self.status = Some(why);
            return;
        }
        if next.is_lazy() && !covered.is_empty() {
            self.analysis.edit_plan(|plan| {
                for (sub, package) in covered {
                    plan.set_usage_pct(sub, plan.usage_pct(package));
                }
            });
        }
        self.status = Some(before.said(&said, self.analysis.projection()));
    }

    /// (submodule, package) for the submodules your code imports of a single target (`L` on
    /// a package defers your `import package.sub` too); a view that targets several modules
    /// (the Packages view) already targets every module of the package.
    fn covered(&self, targets: &[ModuleId], scope: Decision) -> Vec<(ModuleId, ModuleId)> {
        match targets {
            &[m] if scope == Decision::Lazy => (covered_submodules(self.analysis.graph(), m))
                .into_iter()
                .map(|sub| (sub, m))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `q`: quits, unless the plan changed since it was loaded or saved — then asks. Asked
    /// already (a second `q` or ^C), it quits.
    fn ask_before_quitting(&mut self) {
        let asked = matches!(
            self.modal,
            Modal::Confirm {
                question: Question::UnsavedPlan,
                ..
            }
        );
        if asked || !self.plan_changed() {
            self.quit = true;
            return;
        }
        self.modal = Modal::Confirm {
            question: Question::UnsavedPlan,
            text: format!(
                "the plan has unsaved changes: save to {} and quit? (y save · n discard · Esc stay)",
                self.plan_file.path.display()
            ),
        };
    }

    /// Whether the plan differs from the one loaded or last saved.
    pub fn plan_changed(&self) -> bool {
        lmms_core::whatif::plan::to_json(self.analysis.plan(), self.analysis.graph())
            != self.saved_plan
    }

    /// The help screen's scroll, in wrapped lines.
    pub fn help_scroll(&self) -> usize {
        self.help_scroll
    }

    /// The configuration file the flags' defaults came from, as the header names it.
    pub fn config(&self) -> Option<&str> {
        self.config.as_deref()
    }

    pub fn set_config(&mut self, config: Option<String>) {
        self.config = config;
    }

    /// The question being asked, in words, while one is.
    pub fn question(&self) -> Option<&str> {
        match &self.modal {
            Modal::Confirm { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    pub fn set_status(&mut self, status: Option<String>) {
        self.status = status;
    }

    pub fn quit(&self) -> bool {
        self.quit
    }

    pub fn size(&self) -> Area {
        Area::new(0, 0, self.width, self.height)
    }

    fn body_height(&self) -> usize {
        self.areas().body_height()
    }

    /// The module the detail panel describes.
    pub fn selected_module(&self) -> Option<ModuleId> {
        self.current().selected(&self.analysis)
    }

    /// The views there is something to show in (the changes view needs `--baseline`).
    pub fn available_views(&self) -> Vec<ViewId> {
        ViewId::ALL
            .into_iter()
            .filter(|&v| self.views.get(v).available(&self.analysis))
            .collect()
    }

    pub fn search_pending(&self) -> bool {
        self.modal == Modal::Search && !self.search.done
    }

    /// Advances a running search by at most `budget`.
    pub fn step_search(&mut self, budget: Duration) {
        self.search.step(self.analysis.graph(), budget);
    }

    /// Brings the current view up to date and keeps its selection on screen.
    fn refresh_view(&mut self) {
        let (sort, height) = (self.sort, self.body_height());
        let cells = self.areas().table.width;
        self.views.icicle.set_cells(&self.analysis, cells);
        let view = self.views.get_mut(self.view);
        view.refresh(&self.analysis, sort);
        let len = view.len();
        view.cursor_mut().reveal(len, height);
    }

    fn show_view(&mut self, id: ViewId) {
        if !self.views.get(id).available(&self.analysis) {
            self.status = Some("no baseline: open the explorer with --baseline OLD".into());
            return;
        }
        let from = self.selected_module();
        self.views.get_mut(id).on_show(&self.analysis, from);
        self.view = id;
        self.refresh_view();
        if let Some(m) = from {
            let height = self.body_height();
            self.views.get_mut(id).select(&self.analysis, m, height);
        }
    }

    /// Shows a module in the tree, opening its ancestors.
    pub fn jump_to(&mut self, module: ModuleId) {
        self.view = ViewId::Tree;
        let height = self.body_height();
        self.views
            .tree
            .reveal(self.analysis.graph(), module, height);
    }

    fn set_sort(&mut self, sort: Sort) {
        self.sort = sort;
        // The tree keeps its folding under every sort; other views re-sort when shown.
        let height = self.body_height();
        self.views.tree.refresh(&self.analysis, sort);
        let len = self.views.tree.len();
        self.views.tree.cursor_mut().reveal(len, height);
        self.refresh_view();
    }

    fn fold(&mut self, fold: Fold) {
        let height = self.body_height();
        let view = self.views.get_mut(self.view);
        let folds = view.folds();
        match view.fold(fold, &self.analysis, height) {
            Some(m) => self.jump_to(m),
            // Said, never silently nothing.
            None if !folds => {
                self.status = Some(format!(
                    "the {} view has no folds: Enter or → on a module shows it in the Tree",
                    self.view.title()
                ))
            }
            None => {}
        }
    }
}
