//! The tree view model: the first-import tree flattened into visible rows by expansion and
//! sort, with a selection. No terminal code: it is driven and tested like gitui's filetreelist.

use crate::model::csr::Csr;
use crate::model::{ImportGraph, ModuleId};

use super::cursor::{Cursor, Move};
use crate::model::order::{Keys, Sort, SortKey};

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
            .filter_map(|id| graph.module(id).parent.map(|p| (p.0, id)))
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
            .max_by_key(|r| (graph.module(*r).cumulative_us.median, std::cmp::Reverse(*r)));
        let Some(mut at) = heaviest else { return };
        loop {
            self.expanded[at.index()] = true;
            let parent_us = graph.module(at).cumulative_us.median as f64;
            let next = self
                .children
                .row(at.index())
                .iter()
                .copied()
                .max_by_key(|c| (graph.module(*c).cumulative_us.median, std::cmp::Reverse(*c)));
            match next {
                Some(c)
                    if !self.children.row(c.index()).is_empty()
                        && graph.module(c).cumulative_us.median as f64
                            >= DOMINANT_SHARE * parent_us =>
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

    pub fn move_cursor(&mut self, m: Move, height: usize) {
        self.cursor.apply(m, self.rows.len(), height);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree view with the dominators it sorts by.
    fn view(g: &ImportGraph) -> (TreeView, crate::model::Dominators) {
        let d = crate::model::Dominators::compute(g);
        let v = TreeView::new(&Keys {
            graph: g,
            dominators: &d,
        });
        (v, d)
    }

    fn graph(text: &str) -> ImportGraph {
        crate::trace::from_bytes("t", text.as_bytes()).unwrap()
    }

    const TRACE: &str = "\
import time:       100 |        100 |   _io
import time:       300 |        400 | _frozen_importlib_external
import time:       200 |        200 | site
import time:        10 |         10 |     c1
import time:        20 |         20 |     c2
import time:        30 |         60 |   b
import time:         5 |          5 |   a
import time:       900 |        900 |   z
import time:        40 |       1005 | app
import time:         7 |          7 | tiny
";

    fn names(g: &ImportGraph, v: &TreeView) -> Vec<String> {
        v.rows()
            .iter()
            .map(|r| {
                let name = match r.node {
                    Node::Module(m) => g.name(m).to_string(),
                    Node::Startup => "<startup>".into(),
                };
                format!("{}{}", "  ".repeat(r.depth as usize), name)
            })
            .collect()
    }

    #[test]
    fn opens_the_dominant_path_and_sorts_heaviest_first() {
        let g = graph(TRACE);
        let (v, _d) = view(&g);
        // app (1005) opens; z holds 900/1005 of it but has no children, so nothing more.
        assert_eq!(
            names(&g, &v),
            ["app", "  z", "  b", "  a", "<startup>", "tiny"]
        );
    }

    #[test]
    fn expand_collapse_parent_and_all() {
        let g = graph(TRACE);
        let (mut v, _d) = view(&g);
        v.move_cursor(Move::Down, 10);
        v.move_cursor(Move::Down, 10); // b
        v.expand(10);
        assert_eq!(names(&g, &v)[2..5], ["  b", "    c2", "    c1"]);
        v.expand(10); // already open: step in
        assert_eq!(v.selected_module(), g.find("c2"));
        v.collapse(&g, 10); // leaf: go to parent
        assert_eq!(v.selected_module(), g.find("b"));
        v.collapse(&g, 10);
        assert_eq!(v.rows().len(), 6);
        v.collapse_all(&g, 10);
        assert_eq!(names(&g, &v), ["app", "<startup>", "tiny"]);
        assert_eq!(v.selected_module(), g.find("app"));
        v.move_cursor(Move::Down, 10); // startup group
        v.expand_all_under(10);
        assert_eq!(
            names(&g, &v),
            [
                "app",
                "<startup>",
                "  _frozen_importlib_external",
                "    _io",
                "  site",
                "tiny"
            ]
        );
    }

    #[test]
    fn sorts_reverse_and_keep_selection() {
        let g = graph(TRACE);
        let (mut v, d) = view(&g);
        let keys = Keys {
            graph: &g,
            dominators: &d,
        };
        v.reveal(&g, g.find("c1").unwrap(), 10);
        assert_eq!(v.selected_module(), g.find("c1"));
        v.apply_sort(&keys, Sort::by(SortKey::Name));
        assert_eq!(v.selected_module(), g.find("c1"));
        assert_eq!(
            names(&g, &v),
            [
                "<startup>",
                "app",
                "  a",
                "  b",
                "    c1",
                "    c2",
                "  z",
                "tiny"
            ]
        );
        v.apply_sort(
            &keys,
            Sort {
                key: SortKey::SelfTime,
                descending: false,
            },
        );
        assert_eq!(names(&g, &v)[..3], ["<startup>", "tiny", "app"]);
        v.apply_sort(&keys, Sort::by(SortKey::ImportOrder));
        assert_eq!(names(&g, &v)[..4], ["<startup>", "app", "  b", "    c1"]);
    }

    #[test]
    fn reveal_opens_startup_group() {
        let g = graph(TRACE);
        let (mut v, _d) = view(&g);
        v.reveal(&g, g.find("_io").unwrap(), 10);
        assert_eq!(v.selected_module(), g.find("_io"));
        assert!(names(&g, &v).contains(&"    _io".to_string()));
    }
}
