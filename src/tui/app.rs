//! The explorer's state and `update(action)`: everything the screen shows, with no terminal
//! code, so journeys can be tested by feeding actions and rendering to a test backend.

use std::path::PathBuf;
use std::time::Duration;

use crate::model::Dominators;
use crate::model::{ImportGraph, ModuleId};
use crate::plan::{self, Decision, Plan, Suggestion};
use crate::whatif::{self, Projection};

use super::cursor::{Cursor, Move};
use super::importers::ImportersView;
use super::layout::{self, Column};
use super::search::Search;
use super::tree::{Node, TreeView};
use crate::model::order::{Keys, Sort, SortKey};
use crate::model::packages::{self, Package};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Tree,
    Flat,
    Packages,
    Importers,
    /// Modules by change against the baseline (only with `--baseline`).
    Baseline,
}

impl View {
    pub const ALL: [View; 5] = [
        View::Tree,
        View::Flat,
        View::Packages,
        View::Importers,
        View::Baseline,
    ];

    pub fn label(self) -> &'static str {
        match self {
            View::Tree => "Tree",
            View::Flat => "Slowest",
            View::Packages => "Packages",
            View::Importers => "Importers of",
            View::Baseline => "Δ baseline",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Search,
    Help,
    /// The parameters panel has the keys.
    Params,
    /// A value is being typed (see `App::input`).
    Input,
    /// A yes/no question (overwriting a plan file that is not ours).
    Confirm,
}

/// What a typed value sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputTarget {
    Usage(ModuleId),
    Param(Param),
}

/// The editable parameters, in the order the panel lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    RequestsPerDay,
    ColdStartRate,
    BaseLatency,
    InitCpuFactor,
    SnapStart,
    Budget,
    ModuleBelow,
    HotPathUsage,
}

impl Param {
    pub const ALL: [Param; 8] = [
        Param::RequestsPerDay,
        Param::ColdStartRate,
        Param::BaseLatency,
        Param::InitCpuFactor,
        Param::SnapStart,
        Param::Budget,
        Param::ModuleBelow,
        Param::HotPathUsage,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Param::RequestsPerDay => "requests per day",
            Param::ColdStartRate => "cold-start rate %",
            Param::BaseLatency => "base latency ms",
            Param::InitCpuFactor => "init CPU factor (lazy cost ×)",
            Param::SnapStart => "init outside request path (SnapStart)",
            Param::Budget => "cold-start budget ms (empty: none)",
            Param::ModuleBelow => "label: module below ms",
            Param::HotPathUsage => "label: hot-path above usage %",
        }
    }

    pub fn value(self, plan: &Plan) -> String {
        let p = &plan.params;
        let t = &plan.thresholds;
        match self {
            Param::RequestsPerDay => p.requests_per_day.to_string(),
            Param::ColdStartRate => p.cold_start_rate_pct.to_string(),
            Param::BaseLatency => p.base_latency_ms.to_string(),
            Param::InitCpuFactor => p.init_cpu_factor.to_string(),
            Param::SnapStart => if p.snapstart { "yes" } else { "no" }.into(),
            Param::Budget => p.budget_ms.map_or(String::new(), |b| b.to_string()),
            Param::ModuleBelow => t.module_below_ms.to_string(),
            Param::HotPathUsage => t.hot_path_usage_pct.to_string(),
        }
    }

    /// Sets the parameter from typed text; the plan is unchanged on error.
    pub fn set(self, plan: &mut Plan, text: &str) -> Result<(), String> {
        let text = text.trim();
        let number = || -> Result<f64, String> {
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("`{text}` is not a number"))
        };
        let mut next = plan.clone();
        match self {
            Param::RequestsPerDay => next.params.requests_per_day = number()?,
            Param::ColdStartRate => next.params.cold_start_rate_pct = number()?,
            Param::BaseLatency => next.params.base_latency_ms = number()?,
            Param::InitCpuFactor => next.params.init_cpu_factor = number()?,
            Param::SnapStart => {
                next.params.snapstart = matches!(text, "y" | "yes" | "true" | "1" | "on")
            }
            Param::Budget => {
                next.params.budget_ms = if text.is_empty() {
                    None
                } else {
                    Some(number()?)
                }
            }
            Param::ModuleBelow => {
                let v = number()?;
                if v < 0.0 {
                    return Err("the threshold must be ≥ 0 ms".into());
                }
                next.thresholds.module_below_ms = v;
            }
            Param::HotPathUsage => {
                let v = number()?;
                if !(0.0..=100.0).contains(&v) {
                    return Err("the threshold must be 0 to 100 %".into());
                }
                next.thresholds.hot_path_usage_pct = v;
            }
        }
        next.params.validate()?;
        *plan = next;
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Move(Move),
    Expand,
    Collapse,
    Toggle,
    ExpandAll,
    CollapseAll,
    CycleSort,
    ReverseSort,
    StartSearch,
    SearchChar(char),
    SearchBackspace,
    SearchUp,
    SearchDown,
    SearchConfirm,
    SearchCancel,
    NextMatch,
    PrevMatch,
    NextView,
    PrevView,
    ShowView(View),
    Help,
    CloseHelp,
    /// A left click at a screen cell; `at_ms` tells double clicks apart.
    Click {
        column: u16,
        row: u16,
        at_ms: u64,
    },
    Resize {
        width: u16,
        height: u16,
    },
    Quit,
    /// `L`: defer the selected module, or make it eager again.
    ToggleLazy,
    /// `+`/`-`: usage of the selected module by ±5 points.
    UsageStep(i8),
    /// `u`: type the selected module's usage.
    EditUsage,
    InputChar(char),
    InputBackspace,
    InputConfirm,
    InputCancel,
    /// `a`: decide every module by the rule of thumb.
    ApplySuggestions,
    /// `r`: all eager, usage 100 %.
    ResetPlan,
    /// `w`: save the plan.
    SavePlan,
    /// `x`: write fast_path.py for the plan.
    ExportFastPath,
    Confirm(bool),
    /// `p`: the parameters panel.
    OpenParams,
    CloseParams,
    /// Enter in the parameters panel: edit (or toggle) the selected one.
    EditParam,
}

/// Two clicks on the same row within this many milliseconds are a double click.
const DOUBLE_CLICK_MS: u64 = 400;

pub struct App {
    pub graph: ImportGraph,
    pub dominators: Dominators,
    /// The comparison with a baseline trace (`--baseline`).
    pub comparison: Option<crate::model::Comparison>,
    /// What loads with nothing deferred (computed once; projections start from it).
    pub baseline: whatif::Baseline,
    pub plan: Plan,
    pub projection: Projection,
    /// Where `w` saves the plan: the --plan file, or `lmms-plan.json`.
    pub plan_file: OutputFile,
    /// Where `x` writes fast_path.py.
    pub export_file: OutputFile,
    /// The selected row of the parameters panel.
    pub param_cursor: usize,
    /// A value being typed and what it is for.
    pub input: Option<(InputTarget, String)>,
    /// The question being asked in `Mode::Confirm`, and what a yes writes.
    pub question: Option<(Written, String)>,
    pub view: View,
    pub mode: Mode,
    pub sort: Sort,
    pub tree: TreeView,
    /// Every module, in the current sort (built when first shown).
    pub flat: Vec<ModuleId>,
    pub flat_cursor: Cursor,
    pub packages: Vec<Package>,
    pub packages_cursor: Cursor,
    pub importers: ImportersView,
    pub importers_cursor: Cursor,
    pub baseline_cursor: Cursor,
    pub search: Search,
    /// Position in the last search's matches, for n/N.
    pub match_index: usize,
    pub width: u16,
    pub height: u16,
    pub status: Option<String>,
    pub quit: bool,
    last_click: Option<(u16, u64)>,
    flat_sort: Option<Sort>,
    packages_sort: Option<Sort>,
}

/// Where `w` saves when no plan was loaded.
pub const DEFAULT_PLAN: &str = "lmms-plan.json";
/// Where `x` writes.
pub const DEFAULT_EXPORT: &str = "fast_path.py";

/// A file the explorer writes. It is overwritten without asking only when it holds what this
/// session loaded or wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub owned: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Plan,
    FastPath,
}

impl App {
    pub fn new(graph: ImportGraph, width: u16, height: u16) -> App {
        let plan = Plan::new(&graph);
        let plan_file = OutputFile {
            path: PathBuf::from(DEFAULT_PLAN),
            owned: false,
        };
        App::with_plan(graph, plan, plan_file, width, height)
    }

    pub fn with_plan(
        graph: ImportGraph,
        plan: Plan,
        plan_file: OutputFile,
        width: u16,
        height: u16,
    ) -> App {
        let dominators = Dominators::compute(&graph);
        let tree = TreeView::new(&Keys {
            graph: &graph,
            dominators: &dominators,
        });
        let search = Search::new(&graph);
        let baseline = whatif::Baseline::new(&graph);
        let projection = whatif::project_from(&graph, &baseline, &plan);
        App {
            comparison: None,
            dominators,
            baseline,
            plan,
            projection,
            plan_file,
            export_file: OutputFile {
                path: PathBuf::from(DEFAULT_EXPORT),
                owned: false,
            },
            param_cursor: 0,
            input: None,
            question: None,
            graph,
            view: View::Tree,
            mode: Mode::Normal,
            sort: Sort::default(),
            tree,
            flat: Vec::new(),
            flat_cursor: Cursor::default(),
            packages: Vec::new(),
            packages_cursor: Cursor::default(),
            importers: ImportersView::default(),
            importers_cursor: Cursor::default(),
            baseline_cursor: Cursor::default(),
            search,
            match_index: 0,
            width,
            height,
            status: None,
            quit: false,
            last_click: None,
            flat_sort: None,
            packages_sort: None,
        }
    }

    fn body_height(&self) -> usize {
        layout::areas(ratatui::layout::Rect::new(0, 0, self.width, self.height)).body_height()
    }

    /// Rows in the current view.
    pub fn row_count(&self) -> usize {
        match self.view {
            View::Tree => self.tree.rows().len(),
            View::Flat => self.flat.len(),
            View::Packages => self.packages.len(),
            View::Importers => self.importers.rows.len(),
            View::Baseline => self.comparison.as_ref().map_or(0, |c| c.modules.len()),
        }
    }

    pub fn cursor(&self) -> Cursor {
        match self.view {
            View::Tree => self.tree.cursor,
            View::Flat => self.flat_cursor,
            View::Packages => self.packages_cursor,
            View::Importers => self.importers_cursor,
            View::Baseline => self.baseline_cursor,
        }
    }

    fn cursor_mut(&mut self) -> &mut Cursor {
        match self.view {
            View::Tree => &mut self.tree.cursor,
            View::Flat => &mut self.flat_cursor,
            View::Packages => &mut self.packages_cursor,
            View::Importers => &mut self.importers_cursor,
            View::Baseline => &mut self.baseline_cursor,
        }
    }

    /// The module the detail panel describes.
    pub fn selected_module(&self) -> Option<ModuleId> {
        let i = self.cursor().selected;
        match self.view {
            View::Tree => self.tree.selected_module(),
            View::Flat => self.flat.get(i).copied(),
            View::Packages => self.packages.get(i).and_then(|p| self.graph.find(&p.name)),
            View::Importers => self.importers.rows.get(i).and_then(|r| r.importer),
            View::Baseline => self
                .comparison
                .as_ref()
                .and_then(|c| c.modules.get(i))
                .and_then(|d| self.graph.find(&d.name)),
        }
    }

    pub fn search_pending(&self) -> bool {
        self.mode == Mode::Search && !self.search.done
    }

    /// Advances a running search by at most `budget`.
    pub fn step_search(&mut self, budget: Duration) {
        self.search.step(&self.graph, budget);
    }

    fn ensure_view_data(&mut self) {
        match self.view {
            View::Flat if self.flat_sort != Some(self.sort) => {
                let mut ids: Vec<ModuleId> = self.graph.ids().collect();
                self.sort.sort(&self.keys(), &mut ids);
                let keep = self.flat.get(self.flat_cursor.selected).copied();
                self.flat = ids;
                self.flat_sort = Some(self.sort);
                if let Some(keep) = keep
                    && let Some(i) = self.flat.iter().position(|&m| m == keep)
                {
                    self.flat_cursor.selected = i;
                }
            }
            View::Packages if self.packages_sort != Some(self.sort) => {
                if self.packages.is_empty() {
                    self.packages = packages::packages(&self.graph);
                }
                packages::sort_packages(&mut self.packages, self.sort);
                self.packages_sort = Some(self.sort);
            }
            _ => {}
        }
        let (len, height) = (self.row_count(), self.body_height());
        self.cursor_mut().reveal(len, height);
    }

    /// The views there is something to show in (the baseline view needs `--baseline`).
    pub fn views(&self) -> Vec<View> {
        View::ALL
            .into_iter()
            .filter(|v| *v != View::Baseline || self.comparison.is_some())
            .collect()
    }

    fn show_view(&mut self, view: View) {
        if !self.views().contains(&view) {
            self.status = Some("no baseline: open the explorer with --baseline OLD".into());
            return;
        }
        if view == View::Importers {
            // "Why is this loaded?" asks about whatever was selected where the user came from.
            let target = self.selected_module().or(self.importers.target);
            if let Some(target) = target
                && (self.importers.target != Some(target) || self.view != View::Importers)
            {
                self.importers = ImportersView::build(&self.graph, target);
                self.importers_cursor = Cursor::default();
            }
        }
        self.view = view;
        self.ensure_view_data();
    }

    /// Shows a module in the tree, opening its ancestors.
    pub fn jump_to(&mut self, module: ModuleId) {
        self.view = View::Tree;
        let height = self.body_height();
        self.tree.reveal(&self.graph, module, height);
    }

    /// The app's analysis as the reports see it, so the panel and exports say what they say.
    pub fn context(&self) -> crate::report::Context<'_> {
        crate::report::Context {
            graph: &self.graph,
            dominators: &self.dominators,
            plan: &self.plan,
            projection: &self.projection,
            comparison: self.comparison.as_ref(),
        }
    }

    fn keys(&self) -> Keys<'_> {
        Keys {
            graph: &self.graph,
            dominators: &self.dominators,
        }
    }

    fn set_sort(&mut self, sort: Sort) {
        self.sort = sort;
        let keys = Keys {
            graph: &self.graph,
            dominators: &self.dominators,
        };
        self.tree.apply_sort(&keys, sort);
        let height = self.body_height();
        self.tree.cursor.reveal(self.tree.rows().len(), height);
        self.ensure_view_data();
    }

    fn sort_for_column(&self, column: Column) -> Option<SortKey> {
        match column {
            Column::Name => Some(SortKey::Name),
            Column::SelfMs => Some(SortKey::SelfTime),
            Column::CumulativeMs | Column::Percent | Column::Bar => Some(SortKey::Cumulative),
            Column::RetainedMs => Some(SortKey::Retained),
            Column::UsagePct | Column::Decision | Column::Suggestion => None,
        }
    }

    pub fn update(&mut self, action: Action) {
        self.status = None;
        let height = self.body_height();
        match action {
            Action::Quit => self.quit = true,
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
                let (len, h) = (self.row_count(), self.body_height());
                self.cursor_mut().reveal(len, h);
            }
            Action::Help => self.mode = Mode::Help,
            Action::CloseHelp => self.mode = Mode::Normal,
            Action::Move(m) if self.mode == Mode::Params => {
                let mut c = super::cursor::Cursor {
                    selected: self.param_cursor,
                    scroll: 0,
                };
                c.apply(m, Param::ALL.len(), Param::ALL.len());
                self.param_cursor = c.selected;
            }
            Action::Move(m) => {
                let len = self.row_count();
                match self.view {
                    View::Tree => self.tree.move_cursor(m, height),
                    _ => self.cursor_mut().apply(m, len, height),
                }
            }
            Action::Expand => match self.view {
                View::Tree => self.tree.expand(height),
                _ => {
                    if let Some(m) = self.selected_module() {
                        self.jump_to(m);
                    }
                }
            },
            Action::Collapse => {
                if self.view == View::Tree {
                    self.tree.collapse(&self.graph, height);
                }
            }
            Action::Toggle => {
                if self.view == View::Tree {
                    self.tree.toggle(&self.graph, height);
                }
            }
            Action::ExpandAll => {
                if self.view == View::Tree {
                    self.tree.expand_all_under(height);
                }
            }
            Action::CollapseAll => {
                if self.view == View::Tree {
                    self.tree.collapse_all(&self.graph, height);
                }
            }
            Action::CycleSort => self.set_sort(Sort::by(self.sort.key.next())),
            Action::ReverseSort => self.set_sort(Sort {
                descending: !self.sort.descending,
                ..self.sort
            }),
            Action::StartSearch => {
                self.mode = Mode::Search;
                self.search = Search::new(&self.graph);
            }
            Action::SearchChar(c) => self.search.push(&self.graph, c),
            Action::SearchBackspace => self.search.pop(&self.graph),
            Action::SearchUp => self.search.selected = self.search.selected.saturating_sub(1),
            Action::SearchDown => {
                let last = self.search.matches().len().saturating_sub(1);
                self.search.selected = (self.search.selected + 1).min(last);
            }
            Action::SearchConfirm => {
                self.search.finish(&self.graph);
                self.mode = Mode::Normal;
                match self.search.selected_module() {
                    Some(m) => {
                        self.match_index = self.search.selected;
                        self.jump_to(m);
                    }
                    None => {
                        self.status = Some(format!("no module matches “{}”", self.search.query))
                    }
                }
            }
            Action::SearchCancel => self.mode = Mode::Normal,
            Action::NextMatch | Action::PrevMatch => {
                let n = self.search.matches().len();
                if n == 0 {
                    self.status = Some("no search: press / to search".into());
                } else {
                    self.match_index = if action == Action::NextMatch {
                        (self.match_index + 1) % n
                    } else {
                        (self.match_index + n - 1) % n
                    };
                    let m = self.search.matches()[self.match_index].1;
                    self.status = Some(format!(
                        "match {}/{} for “{}”",
                        self.match_index + 1,
                        n,
                        self.search.query
                    ));
                    self.jump_to(m);
                }
            }
            Action::NextView | Action::PrevView => {
                let views = self.views();
                let i = views.iter().position(|v| *v == self.view).unwrap_or(0);
                let step = if action == Action::NextView {
                    1
                } else {
                    views.len() - 1
                };
                self.show_view(views[(i + step) % views.len()]);
            }
            Action::ShowView(v) => self.show_view(v),
            Action::Click { column, row, at_ms } => self.click(column, row, at_ms),
            Action::ToggleLazy => {
                if let Some(m) = self.selected_module() {
                    let next = match self.plan.decision(m) {
                        Decision::Eager => Decision::Lazy,
                        Decision::Lazy => Decision::Eager,
                    };
                    self.plan.set_decision(m, next);
                    self.recompute();
                }
            }
            Action::UsageStep(step) => {
                if let Some(m) = self.selected_module() {
                    // Steps land on multiples of 5, so 42 → 45 → 50.
                    let u = self.plan.usage_pct(m);
                    let next = if step > 0 {
                        ((u / 5.0).floor() + 1.0) * 5.0
                    } else {
                        ((u / 5.0).ceil() - 1.0) * 5.0
                    };
                    self.plan.set_usage_pct(m, next);
                    self.recompute();
                }
            }
            Action::EditUsage => {
                if let Some(m) = self.selected_module() {
                    self.input = Some((InputTarget::Usage(m), String::new()));
                    self.mode = Mode::Input;
                }
            }
            Action::InputChar(c) => {
                if let Some((_, text)) = &mut self.input {
                    text.push(c);
                }
            }
            Action::InputBackspace => {
                if let Some((_, text)) = &mut self.input {
                    text.pop();
                }
            }
            Action::InputCancel => self.finish_input(),
            Action::InputConfirm => {
                if let Some((target, text)) = self.input.clone() {
                    let result = match target {
                        InputTarget::Usage(m) => {
                            match text.trim().trim_end_matches('%').parse::<f64>() {
                                Ok(v) if (0.0..=100.0).contains(&v) => {
                                    self.plan.set_usage_pct(m, v);
                                    Ok(())
                                }
                                _ => Err(format!(
                                    "usage must be a number from 0 to 100, not `{text}`"
                                )),
                            }
                        }
                        InputTarget::Param(p) => p.set(&mut self.plan, &text),
                    };
                    self.finish_input();
                    match result {
                        Ok(()) => self.recompute(),
                        Err(e) => self.status = Some(e),
                    }
                }
            }
            Action::ApplySuggestions => {
                let mut deferred = 0;
                for m in self.graph.ids() {
                    let suggestion = self
                        .plan
                        .thresholds
                        .suggest(self.dominators.retained_us(m), self.plan.usage_pct(m));
                    let d = if suggestion == Suggestion::Function {
                        deferred += 1;
                        Decision::Lazy
                    } else {
                        Decision::Eager
                    };
                    self.plan.set_decision(m, d);
                }
                self.recompute();
                self.status = Some(format!(
                    "rule of thumb applied: {deferred} modules deferred"
                ));
            }
            Action::ResetPlan => {
                self.plan.reset();
                self.recompute();
                self.status = Some("plan reset: every module eager, usage 100 %".into());
            }
            Action::SavePlan => self.write_or_ask(Written::Plan),
            Action::ExportFastPath => self.write_or_ask(Written::FastPath),
            Action::Confirm(yes) => {
                self.mode = Mode::Normal;
                match self.question.take() {
                    Some((what, _)) if yes => self.write(what),
                    _ => self.status = Some("not written".into()),
                }
            }
            Action::OpenParams => self.mode = Mode::Params,
            Action::CloseParams => self.mode = Mode::Normal,
            Action::EditParam => {
                let param = Param::ALL[self.param_cursor.min(Param::ALL.len() - 1)];
                if param == Param::SnapStart {
                    self.plan.params.snapstart = !self.plan.params.snapstart;
                    self.recompute();
                } else {
                    self.input = Some((InputTarget::Param(param), param.value(&self.plan)));
                    self.mode = Mode::Input;
                }
            }
        }
    }

    fn finish_input(&mut self) {
        let back = match self.input.take() {
            Some((InputTarget::Param(_), _)) => Mode::Params,
            _ => Mode::Normal,
        };
        self.mode = back;
    }

    pub fn recompute(&mut self) {
        self.projection = whatif::project_from(&self.graph, &self.baseline, &self.plan);
    }

    fn file(&mut self, what: Written) -> &mut OutputFile {
        match what {
            Written::Plan => &mut self.plan_file,
            Written::FastPath => &mut self.export_file,
        }
    }

    fn write_or_ask(&mut self, what: Written) {
        let file = self.file(what).clone();
        if file.path.exists() && !file.owned {
            self.question = Some((
                what,
                format!(
                    "{} exists and was not written here: overwrite? (y/n)",
                    file.path.display()
                ),
            ));
            self.mode = Mode::Confirm;
        } else {
            self.write(what);
        }
    }

    fn write(&mut self, what: Written) {
        let text = match what {
            Written::Plan => plan::to_json(&self.plan, &self.graph),
            Written::FastPath => {
                crate::export::render(&self.context(), crate::export::Style::FastPath)
            }
        };
        let path = self.file(what).path.clone();
        match crate::atomic::write(&path, text.as_bytes()) {
            Ok(()) => {
                self.status = Some(format!("wrote {}", path.display()));
                self.file(what).owned = true;
            }
            Err(e) => self.status = Some(e.to_string()),
        }
    }

    fn click(&mut self, column: u16, row: u16, at_ms: u64) {
        if self.mode != Mode::Normal {
            return;
        }
        let areas = layout::areas(ratatui::layout::Rect::new(0, 0, self.width, self.height));
        let table = areas.table;
        if column < table.x || column >= table.x + table.width {
            return;
        }
        if row == table.y {
            let Some(col) = layout::column_at(table.width, column - table.x) else {
                return;
            };
            if let Some(key) = self.sort_for_column(col) {
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
        let index = self.cursor().scroll + (row - body.y) as usize;
        if index >= self.row_count() {
            return;
        }
        let height = body.height as usize;
        let len = self.row_count();
        self.cursor_mut().select(index, len, height);
        let double = matches!(self.last_click, Some((r, t)) if r == row && at_ms.saturating_sub(t) <= DOUBLE_CLICK_MS);
        self.last_click = Some((row, at_ms));
        if double {
            self.last_click = None;
            match self.view {
                View::Tree => self.tree.toggle(&self.graph, height),
                _ => self.update(Action::Expand),
            }
        }
    }

    /// The node the tree has selected (for the detail panel's start-up group).
    pub fn selected_tree_node(&self) -> Option<Node> {
        self.tree.selected().map(|r| r.node)
    }
}
