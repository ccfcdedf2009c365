//! The tree view's folding, sorting and selection.

use super::*;

/// A tree view with the dominators it sorts by.
fn view(g: &ImportGraph) -> (TreeView, lmms_core::model::Dominators) {
    let d = lmms_core::model::Dominators::compute(g);
    let v = TreeView::new(&Keys {
        graph: g,
        dominators: &d,
    });
    (v, d)
}

fn graph(text: &str) -> ImportGraph {
    lmms_core::trace::from_bytes("t", text.as_bytes()).unwrap()
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

#[test]
fn deep_rows_are_indented_up_to_a_bound_then_numbered() {
    assert_eq!(indent(3), "      ");
    assert_eq!(indent(MAX_INDENT).len(), 2 * MAX_INDENT as usize);
    let deep = indent(1_000_000);
    assert!(deep.ends_with("·depth 1000000· "), "{deep:?}");
    assert!(deep.chars().count() < 2 * MAX_INDENT as usize + 8);
}
