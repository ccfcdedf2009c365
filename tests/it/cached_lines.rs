//! Python 3.14 `-X importtime=2` `cached` lines: import edges, never cost. CPython prints
//! `"import time: cached    | cached     | %*s"` with width 2×level, so a name's indentation
//! only tells its level when the name is shorter than the field.

use lmms_core::model::{ImportGraph, Importer};

fn graph(text: &str) -> ImportGraph {
    lmms_core::trace::from_bytes("t", text.as_bytes()).unwrap()
}

/// A cached line exactly as CPython formats it at `level`.
fn cached(name: &str, level: usize) -> String {
    format!(
        "import time: cached    | cached     | {name:>width$}\n",
        width = level * 2
    )
}

fn timed(self_us: u64, cumulative_us: u64, name: &str, level: usize) -> String {
    format!(
        "import time: {self_us:>9} | {cumulative_us:>10} | {}{name}\n",
        " ".repeat(level * 2)
    )
}

fn importers(g: &ImportGraph, name: &str) -> Vec<Option<String>> {
    let mut v: Vec<Option<String>> = g
        .importers(g.find(name).unwrap())
        .iter()
        .map(|i: &Importer| i.map(|m| g.name(m).to_string()))
        .collect();
    v.sort();
    v
}

const HEADER: &str = "import time: self [us] | cumulative | imported package\n";

#[test]
fn cached_lines_are_edges_not_cost() {
    // pkg imports os (fresh), then a, which imports os again (cached, padded: level 2).
    let text = [
        HEADER.to_string(),
        timed(50, 50, "os", 1),
        cached("os", 2),
        timed(10, 10, "a", 1),
        timed(40, 100, "pkg", 0),
    ]
    .concat();
    let g = graph(&text);
    assert!(g.edges_complete());
    let os = g.module(g.find("os").unwrap());
    assert_eq!((os.self_us, os.cumulative_us, os.samples), (50, 50, 1));
    assert_eq!(
        importers(&g, "os"),
        vec![Some("a".into()), Some("pkg".into())]
    );
    assert_eq!(g.module(g.find("os").unwrap()).parent, g.find("pkg"));
    assert_eq!(g.total_us(), 100);
}

#[test]
fn padded_levels_are_exact_and_anchor_long_names_in_their_block() {
    // After `a` (level 1) finishes, module b starts at level 1 and imports
    // collections.abc (too long to be padded at level 2) and os (padded: level 2),
    // then c fresh. The importer of both is b, printed after c.
    let text = [
        HEADER.to_string(),
        timed(5, 5, "collections.abc", 1),
        timed(50, 50, "os", 1),
        timed(10, 10, "a", 1),
        cached("collections.abc", 2),
        cached("os", 2),
        timed(20, 20, "c", 2),
        timed(30, 50, "b", 1),
        timed(40, 165, "pkg", 0),
    ]
    .concat();
    assert!(text.contains("|   os\n"), "os padded to width 4");
    assert!(text.contains("| collections.abc\n"), "long name unpadded");
    let g = graph(&text);
    assert_eq!(
        importers(&g, "os"),
        vec![Some("b".into()), Some("pkg".into())]
    );
    assert_eq!(
        importers(&g, "collections.abc"),
        vec![Some("b".into()), Some("pkg".into())]
    );
}

#[test]
fn unpadded_name_at_the_top_of_a_new_module_goes_to_that_module() {
    // pkg imports x (fresh, finishes), then y starts and first imports the long-named,
    // already-loaded `email.feedparser` (no anchor), then fresh z: importer y (P + 1).
    let text = [
        HEADER.to_string(),
        timed(7, 7, "email.feedparser", 1),
        timed(10, 10, "x", 1),
        cached("email.feedparser", 2),
        timed(3, 3, "z", 2),
        timed(4, 7, "y", 1),
        timed(1, 25, "pkg", 0),
    ]
    .concat();
    let g = graph(&text);
    assert_eq!(
        importers(&g, "email.feedparser"),
        vec![Some("pkg".into()), Some("y".into())]
    );
}

#[test]
fn unpadded_name_after_a_child_when_the_parent_finishes_next() {
    // Levels are bounded by the next line: after z (level 2) and before y (level 1) the
    // import stack is exactly two deep, so the importer is y.
    let text = [
        HEADER.to_string(),
        timed(7, 7, "email.feedparser", 1),
        timed(3, 3, "z", 2),
        cached("email.feedparser", 2),
        timed(4, 7, "y", 1),
        timed(1, 25, "pkg", 0),
    ]
    .concat();
    let g = graph(&text);
    assert_eq!(
        importers(&g, "email.feedparser"),
        vec![Some("pkg".into()), Some("y".into())]
    );
}

#[test]
fn cached_by_the_program_itself_and_before_tracing() {
    // Level 0 is always unpadded; after the last top-level line nothing is in progress,
    // so the program itself imported it. `sys` was loaded before
    // tracing began: it is never timed, so it is not a module of the trace.
    let text = [
        HEADER.to_string(),
        timed(50, 50, "json", 0),
        cached("sys", 1),
        timed(9, 9, "app", 0),
        cached("json", 0),
    ]
    .concat();
    let g = graph(&text);
    assert_eq!(importers(&g, "json"), vec![None]);
    assert!(g.find("sys").is_none());
    assert_eq!(g.len(), 2);
    assert_eq!(g.runs(), 1);
}

#[test]
fn deep_long_names_stay_within_what_their_length_allows() {
    // `abc` unpadded means 2 × level ≤ 3: level ≤ 1, even if the next line is deep.
    let text = [
        HEADER.to_string(),
        timed(1, 1, "abc", 1),
        timed(2, 3, "m", 0),
        cached("abc", 1),
        timed(1, 1, "deep", 3),
        timed(1, 2, "mid", 2),
        timed(1, 3, "top", 1),
        timed(1, 5, "n", 0),
    ]
    .concat();
    assert!(text.contains("| abc\n"));
    let g = graph(&text);
    assert_eq!(
        importers(&g, "abc"),
        vec![Some("m".into()), Some("n".into())]
    );
}
