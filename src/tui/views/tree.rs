//! The tree view model: the first-import tree flattened into visible rows by expansion and
//! sort, with a selection. No terminal code: it is driven and tested like gitui's filetreelist.

use std::ops::Range;

use super::{Fold, Row, Rows, View, module_row};
use crate::tui::cursor::{Cursor, Move};
use lmms_core::model::csr::Csr;
use lmms_core::model::{ImportGraph, Keys, ModuleId, Sort, SortKey};
use lmms_core::whatif::Analysis;

/// A row of the tree: a module, or the group holding interpreter start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Node {
    Module(ModuleId),
    Startup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeRow {
    pub node: Node,
    pub depth: u32,
    pub expanded: bool,
    pub has_children: bool,
}

/// The heaviest path opens while one child holds at least this share of its parent's time,
/// so the first screen shows where time goes without pushing its siblings off screen.
const DOMINANT_SHARE: f64 = 2.0 / 3.0;

#[derive(Debug, Clone)]
pub struct TreeView {
    expanded: Vec<bool>,
    startup_expanded: bool,
    sort: Sort,
    /// Children of each module in the current sort order.
    children: Csr<ModuleId>,
    top: Vec<Node>,
    startup_roots: Vec<ModuleId>,
    rows: Vec<TreeRow>,
    pub cursor: Cursor,
}

impl TreeView {
    pub fn new(keys: &Keys) -> TreeView {
        let graph = keys.graph;
        let mut view = TreeView {
            expanded: vec![false; graph.len()],
            startup_expanded: false,
            sort: Sort::default(),
            children: Csr::default(),
            top: Vec::new(),
            startup_roots: Vec::new(),
            rows: Vec::new(),
            cursor: Cursor::default(),
        };
        view.apply_sort(keys, Sort::default());
        view.open_heaviest_path(graph);
        view.rebuild();
        view
    }

    pub fn rows(&self) -> &[TreeRow] {
        &self.rows
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    pub fn selected(&self) -> Option<TreeRow> {
        self.rows.get(self.cursor.selected).copied()
    }

    pub fn selected_module(&self) -> Option<ModuleId> {
        match self.selected()?.node {
            Node::Module(m) => Some(m),
            Node::Startup => None,
        }
    }

    fn children_of(&self, node: Node) -> &[ModuleId] {
        match node {
            Node::Module(m) => self.children.row(m.index()),
            Node::Startup => &self.startup_roots,
        }
    }

    fn is_expanded(&self, node: Node) -> bool {
        match node {
            Node::Module(m) => self.expanded[m.index()],
            Node::Startup => self.startup_expanded,
        }
    }

    fn set_expanded(&mut self, node: Node, open: bool) {
        match node {
            Node::Module(m) => self.expanded[m.index()] = open,
            Node::Startup => self.startup_expanded = open,
        }
    }

    fn parent_of(graph: &ImportGraph, node: Node) -> Option<Node> {
        let Node::Module(m) = node else { return None };
        match graph.module(m).parent {
            Some(p) => Some(Node::Module(p)),
            None if graph.module(m).startup => Some(Node::Startup),
            None => None,
        }
    }

    /// Re-sorts every level, keeping the selection on the same node.
    pub fn apply_sort(&mut self, keys: &Keys, sort: Sort) {
        let graph = keys.graph;
        self.sort = sort;
        let pairs: Vec<(u32, ModuleId)> = graph
            .ids()
            .filter_map(|id| graph.module(id).parent.map(|p| (p.raw(), id)))
            .collect();
        self.children = Csr::from_pairs(graph.len(), &pairs);
        for i in 0..graph.len() {
            let row = self.children.row_mut(i);
            if row.len() > 1 {
                sort.sort(keys, row);
            }
        }
        let mut program: Vec<ModuleId> = Vec::new();
        let mut startup: Vec<ModuleId> = Vec::new();
        for &r in graph.roots() {
            if graph.module(r).startup {
                startup.push(r);
            } else {
                program.push(r);
            }
        }
        sort.sort(keys, &mut program);
        sort.sort(keys, &mut startup);
        self.top = program.into_iter().map(Node::Module).collect();
        if !startup.is_empty() {
            // The group sorts like a module worth all of start-up, first in import order.
            let group_us = match sort.key {
                SortKey::SelfTime => Some(0),
                SortKey::Cumulative | SortKey::Retained => Some(graph.startup_us()),
                SortKey::Name | SortKey::ImportOrder => None,
            };
            let at = match group_us {
                Some(group) => self.top.partition_point(|n| {
                    let Node::Module(m) = *n else { return true };
                    let v = keys.time_us(sort.key, m).unwrap_or(0);
                    if sort.descending {
                        v >= group
                    } else {
                        v <= group
                    }
                }),
                None if sort.descending => self.top.len(),
                None => 0,
            };
            self.top.insert(at, Node::Startup);
        }
        self.startup_roots = startup;
        self.rebuild();
    }

    fn open_heaviest_path(&mut self, graph: &ImportGraph) {
        let heaviest = graph
            .roots()
            .iter()
            .copied()
            .filter(|r| !graph.module(*r).startup)
            .max_by_key(|r| (graph.module(*r).cumulative_us, std::cmp::Reverse(*r)));
        let Some(mut at) = heaviest else { return };
        loop {
            self.expanded[at.index()] = true;
            let parent_us = graph.module(at).cumulative_us as f64;
            let next = self
                .children
                .row(at.index())
                .iter()
                .copied()
                .max_by_key(|c| (graph.module(*c).cumulative_us, std::cmp::Reverse(*c)));
            match next {
                Some(c)
                    if !self.children.row(c.index()).is_empty()
                        && graph.module(c).cumulative_us as f64 >= DOMINANT_SHARE * parent_us =>
                {
                    at = c
                }
                _ => break,
            }
        }
    }

    /// Flattens the visible tree (iteratively), keeping the selected node selected, or its
    /// nearest visible ancestor.
    fn rebuild(&mut self) {
        let previous = self.selected().map(|r| r.node);
        let mut rows = std::mem::take(&mut self.rows);
        rows.clear();
        let mut stack: Vec<(Node, u32)> = self.top.iter().rev().map(|&n| (n, 0)).collect();
        while let Some((node, depth)) = stack.pop() {
            let children = self.children_of(node);
            let expanded = self.is_expanded(node);
            rows.push(TreeRow {
                node,
                depth,
                expanded,
                has_children: !children.is_empty(),
            });
            if expanded {
                stack.extend(children.iter().rev().map(|&c| (Node::Module(c), depth + 1)));
            }
        }
        self.rows = rows;
        if let Some(node) = previous
            && let Some(i) = self.rows.iter().position(|r| r.node == node)
        {
            self.cursor.selected = i;
        }
    }

    fn find_row(&self, node: Node) -> Option<usize> {
        self.rows.iter().position(|r| r.node == node)
    }

    /// Selects a node that the caller knows is visible, or its nearest visible ancestor.
    fn select_node(&mut self, graph: &ImportGraph, node: Node, height: usize) {
        let mut at = Some(node);
        while let Some(n) = at {
            if let Some(i) = self.find_row(n) {
                self.cursor.select(i, self.rows.len(), height);
                return;
            }
            at = Self::parent_of(graph, n);
        }
        self.cursor.reveal(self.rows.len(), height);
    }

    /// `l`/→/Enter: open, or step into the first child when already open.
    pub fn expand(&mut self, height: usize) {
        let Some(row) = self.selected() else { return };
        if !row.has_children {
            return;
        }
        if row.expanded {
            self.move_cursor(Move::Down, height);
        } else {
            self.set_expanded(row.node, true);
            self.rebuild();
            self.cursor.reveal(self.rows.len(), height);
        }
    }

    /// `h`/←: close, or go to the parent when already closed.
    pub fn collapse(&mut self, graph: &ImportGraph, height: usize) {
        let Some(row) = self.selected() else { return };
        if row.expanded {
            self.set_expanded(row.node, false);
            self.rebuild();
            self.cursor.reveal(self.rows.len(), height);
        } else if let Some(parent) = Self::parent_of(graph, row.node) {
            self.select_node(graph, parent, height);
        }
    }

    pub fn toggle(&mut self, graph: &ImportGraph, height: usize) {
        match self.selected() {
            Some(row) if row.expanded => self.collapse(graph, height),
            Some(_) => self.expand(height),
            None => {}
        }
    }

    /// `E`/`*`: opens everything under the selection.
    pub fn expand_all_under(&mut self, height: usize) {
        let Some(row) = self.selected() else { return };
        let mut stack = vec![row.node];
        while let Some(node) = stack.pop() {
            self.set_expanded(node, true);
            let children: Vec<Node> = self
                .children_of(node)
                .iter()
                .map(|&c| Node::Module(c))
                .collect();
            stack.extend(children);
        }
        self.rebuild();
        self.cursor.reveal(self.rows.len(), height);
    }

    /// `C`: closes everything; the selection moves to its top-level ancestor.
    pub fn collapse_all(&mut self, graph: &ImportGraph, height: usize) {
        let selected = self.selected().map(|r| r.node);
        self.expanded.fill(false);
        self.startup_expanded = false;
        self.rebuild();
        match selected {
            Some(node) => self.select_node(graph, node, height),
            None => self.cursor.reveal(self.rows.len(), height),
        }
    }

    /// Opens every ancestor of a module and selects it.
    pub fn reveal(&mut self, graph: &ImportGraph, module: ModuleId, height: usize) {
        let mut at = Self::parent_of(graph, Node::Module(module));
        while let Some(node) = at {
            self.set_expanded(node, true);
            at = Self::parent_of(graph, node);
        }
        self.rebuild();
        self.select_node(graph, Node::Module(module), height);
    }

    /// Clicks land on rows by index.
    pub fn select_row(&mut self, row: usize, height: usize) {
        if row < self.rows.len() {
            self.cursor.select(row, self.rows.len(), height);
        }
    }
}

/// Deepest nesting drawn as spaces; below it the depth is written as a number, so a
/// pathologically deep chain costs a row no more than a shallow one.
const MAX_INDENT: u32 = 32;

/// Two spaces a level, up to `MAX_INDENT` levels; deeper, `·depth 123456·` after them.
fn indent(depth: u32) -> String {
    if depth <= MAX_INDENT {
        "  ".repeat(depth as usize)
    } else {
        format!("{}·depth {depth}· ", "  ".repeat(MAX_INDENT as usize - 6))
    }
}

impl View for TreeView {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn cursor(&self) -> Cursor {
        self.cursor
    }

    fn cursor_mut(&mut self) -> &mut Cursor {
        &mut self.cursor
    }

    fn selected(&self, _a: &Analysis) -> Option<ModuleId> {
        self.selected_module()
    }

    /// Opens the module's ancestors to select it.
    fn select(&mut self, a: &Analysis, m: ModuleId, height: usize) -> bool {
        self.reveal(a.graph(), m, height);
        self.selected_module() == Some(m)
    }

    fn refresh(&mut self, a: &Analysis, sort: Sort) {
        if self.sort != sort {
            self.apply_sort(&a.keys(), sort);
        }
    }

    fn rows(&self, a: &Analysis, sort: Sort, range: Range<usize>) -> Rows {
        let g = a.graph();
        Rows::Modules(
            self.rows[range]
                .iter()
                .map(|row| {
                    let marker = match (row.has_children, row.expanded) {
                        (false, _) => "  ",
                        (true, true) => "▾ ",
                        (true, false) => "▸ ",
                    };
                    let indent = indent(row.depth);
                    match row.node {
                        Node::Module(id) => {
                            let mut r = module_row(
                                a,
                                id,
                                format!(
                                    "{indent}{marker}{}",
                                    lmms_core::printable::printable(g.name(id))
                                ),
                                sort,
                            );
                            // The tree's bars always show cumulative time: the nesting is of it.
                            r.share_us = g.module(id).cumulative_us;
                            r
                        }
                        Node::Startup => Row {
                            module: None,
                            text: format!("{indent}{marker}(interpreter start-up)"),
                            self_us: None,
                            cumulative_us: Some(g.startup_us()),
                            share_us: g.startup_us(),
                            dim: true,
                            bold: false,
                        },
                    }
                })
                .collect(),
        )
    }

    fn move_cursor(&mut self, m: Move, height: usize) {
        self.cursor.apply(m, self.rows.len(), height);
    }

    fn folds(&self) -> bool {
        true
    }

    fn fold(&mut self, fold: Fold, a: &Analysis, height: usize) -> Option<ModuleId> {
        let graph = a.graph();
        match fold {
            Fold::Expand => self.expand(height),
            Fold::Collapse => self.collapse(graph, height),
            Fold::Toggle => self.toggle(graph, height),
            Fold::ExpandAll => self.expand_all_under(height),
            Fold::CollapseAll => self.collapse_all(graph, height),
        }
        None
    }
}

#[cfg(test)]
#[path = "tree_tests.rs"]
mod tests;
