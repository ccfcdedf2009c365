//! The first-import tree as an icicle: each module a bar as wide as the own time of its
//! subtree, placed within its parent's bar, heaviest first. Widths sum the modules' median own
//! times, so children always fit in their parent (a median cumulative time need not hold its
//! children's). Data only; the HTML report draws it.

use super::graph::{ImportGraph, ModuleId};

/// One module's bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bar {
    /// The module.
    pub module: ModuleId,
    /// Row: 0 for a top-level import.
    pub depth: u32,
    /// Where it starts, µs from the left edge.
    pub start_us: u64,
    /// Its subtree's own time, µs.
    pub width_us: u64,
}

/// A parent's imports narrower than the least width asked for, drawn together after its
/// others (they come last, heaviest first): `+N more`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct More {
    /// Row: the imports' own.
    pub depth: u32,
    /// Where they start, µs from the left edge.
    pub start_us: u64,
    /// Their subtrees' own time together, µs.
    pub width_us: u64,
    /// How many imports.
    pub count: usize,
}

/// The bars, and what was too narrow or too deep to draw.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Icicle {
    /// Parents before their children.
    pub bars: Vec<Bar>,
    /// Each parent's narrow imports together.
    pub more: Vec<More>,
    /// The whole width, µs.
    pub total_us: u64,
    /// Bars (with what is under them) narrower than the least width asked for.
    pub narrow: usize,
    /// Bars below the deepest row asked for.
    pub deeper: usize,
}

impl Icicle {
    /// The cells a bar covers out of `width` across the whole: from the first, up to the last
    /// (equal when it is narrower than a cell). Drawing and pointing both use it.
    pub fn cells(&self, bar: &Bar, width: u16) -> (u16, u16) {
        self.span(bar.start_us, bar.width_us, width)
    }

    /// The cells a `+N more` covers, as `cells`.
    pub fn more_cells(&self, more: &More, width: u16) -> (u16, u16) {
        self.span(more.start_us, more.width_us, width)
    }

    fn span(&self, start_us: u64, width_us: u64, width: u16) -> (u16, u16) {
        let total = u128::from(self.total_us.max(1));
        let cell = |us: u64| (u128::from(us) * u128::from(width) / total) as u16;
        (cell(start_us), cell(start_us + width_us))
    }
}

/// The icicle of the modules `counts` keeps (their own time counts; imports at exit never do),
/// leaving out bars under `min_width_us` and rows past `max_depth`.
pub fn icicle(
    graph: &ImportGraph,
    counts: impl Fn(ModuleId) -> bool,
    min_width_us: u64,
    max_depth: u32,
) -> Icicle {
    Weights::of(graph, counts).icicle(graph, graph.roots(), min_width_us, max_depth)
}

/// Each module's subtree own time (of the modules counted): computed once, laid out as often
/// as a zoom or a narrowest width asks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Weights(Vec<u64>);

impl Weights {
    /// From the leaves up; imports at exit never count.
    pub fn of(graph: &ImportGraph, counts: impl Fn(ModuleId) -> bool) -> Weights {
        let own = |m: ModuleId| {
            let module = graph.module(m);
            if module.shutdown || !counts(m) {
                0
            } else {
                module.self_us
            }
        };
        // Pre-order from the roots, then summed in reverse: every child before its parent.
        let mut order = Vec::with_capacity(graph.len());
        let mut stack: Vec<ModuleId> = graph.roots().to_vec();
        while let Some(m) = stack.pop() {
            order.push(m);
            stack.extend_from_slice(graph.children(m));
        }
        let mut weight = vec![0u64; graph.len()];
        for &m in order.iter().rev() {
            weight[m.index()] += own(m);
            if let Some(p) = graph.module(m).parent {
                weight[p.index()] += weight[m.index()];
            }
        }
        Weights(weight)
    }

    /// The width of `roots` together, µs.
    pub fn total(&self, roots: &[ModuleId]) -> u64 {
        roots.iter().map(|r| self.0[r.index()]).sum()
    }

    /// The icicle of `roots` and what is under them (one module, to zoom into it), leaving
    /// out bars under `min_width_us` and rows past `max_depth`.
    pub fn icicle(
        &self,
        graph: &ImportGraph,
        roots: &[ModuleId],
        min_width_us: u64,
        max_depth: u32,
    ) -> Icicle {
        let mut out = Icicle {
            total_us: self.total(roots),
            ..Icicle::default()
        };
        // (module, row, start), popped in drawing order.
        let mut stack: Vec<(ModuleId, u32, u64)> = Vec::new();
        self.place(&mut stack, &mut out, roots, 0, 0, min_width_us);
        while let Some((m, depth, start)) = stack.pop() {
            if depth > max_depth {
                out.deeper += 1;
                continue;
            }
            out.bars.push(Bar {
                module: m,
                depth,
                start_us: start,
                width_us: self.0[m.index()],
            });
            self.place(
                &mut stack,
                &mut out,
                graph.children(m),
                depth + 1,
                start,
                min_width_us,
            );
        }
        out
    }

    /// Lays `ids` out side by side from `start`, heaviest first: the wide ones onto `stack` to
    /// be drawn (first on top), the narrow ones into one `More`.
    fn place(
        &self,
        stack: &mut Vec<(ModuleId, u32, u64)>,
        out: &mut Icicle,
        ids: &[ModuleId],
        depth: u32,
        start: u64,
        min_width_us: u64,
    ) {
        let weight = &self.0;
        let mut ids: Vec<ModuleId> = (ids.iter().copied())
            .filter(|m| weight[m.index()] > 0)
            .collect();
        ids.sort_by_key(|&m| (std::cmp::Reverse(weight[m.index()]), m));
        let wide = ids.partition_point(|m| weight[m.index()] >= min_width_us);
        let mut at = start;
        let placed: Vec<_> = (ids[..wide].iter())
            .map(|&m| {
                let bar = (m, depth, at);
                at += weight[m.index()];
                bar
            })
            .collect();
        stack.extend(placed.into_iter().rev());
        let narrow = &ids[wide..];
        if !narrow.is_empty() {
            out.narrow += narrow.len();
            out.more.push(More {
                depth,
                start_us: at,
                width_us: narrow.iter().map(|m| weight[m.index()]).sum(),
                count: narrow.len(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> ImportGraph {
        let text = "import time: self [us] | cumulative | imported package\n\
                    import time:        10 |         10 |     c\n\
                    import time:        30 |         30 |     d\n\
                    import time:        20 |         60 |   b\n\
                    import time:         5 |          5 |   e\n\
                    import time:        15 |         80 | a\n\
                    import time:         7 |          7 | z\n";
        crate::trace::from_bytes("t", text.as_bytes()).unwrap()
    }

    fn bar<'a>(g: &ImportGraph, i: &'a Icicle, name: &str) -> Option<&'a Bar> {
        i.bars.iter().find(|b| g.name(b.module) == name)
    }

    #[test]
    fn children_fit_in_their_parent_heaviest_first() {
        let g = graph();
        let i = icicle(&g, |_| true, 0, 10);
        assert_eq!(i.total_us, 87);
        let (a, b, d, c) = (
            bar(&g, &i, "a").unwrap(),
            bar(&g, &i, "b").unwrap(),
            bar(&g, &i, "d").unwrap(),
            bar(&g, &i, "c").unwrap(),
        );
        assert_eq!((a.depth, a.start_us, a.width_us), (0, 0, 80));
        assert_eq!((b.depth, b.start_us, b.width_us), (1, 0, 60));
        // d (30) before c (10), though c was imported first.
        assert_eq!((d.start_us, c.start_us), (0, 30));
        assert_eq!(bar(&g, &i, "e").unwrap().start_us, 60);
        assert_eq!(bar(&g, &i, "z").unwrap().start_us, 80);
        // Parents come before their children.
        let at = |name: &str| {
            i.bars
                .iter()
                .position(|x| g.name(x.module) == name)
                .unwrap()
        };
        assert!(at("a") < at("b") && at("b") < at("d"));
    }

    #[test]
    fn what_is_not_counted_narrow_or_deep_is_left_out() {
        let g = graph();
        // b's subtree left out (as a plan that drops it): a narrows to its own and e's.
        let b = g.find("b").unwrap();
        let (c, d) = (g.find("c").unwrap(), g.find("d").unwrap());
        let i = icicle(&g, |m| ![b, c, d].contains(&m), 0, 10);
        assert_eq!(bar(&g, &i, "a").unwrap().width_us, 20);
        assert_eq!(bar(&g, &i, "b"), None);
        assert_eq!(i.total_us, 27);
        let i = icicle(&g, |_| true, 8, 1);
        // e (5) and z (7) are too narrow; c and d are too deep.
        assert_eq!((i.narrow, i.deeper), (2, 2));
        assert_eq!(i.bars.len(), 2);
        // Each drawn after its heavier siblings: `+1 more` at the end of its row.
        let more = |depth, start_us, width_us| More {
            depth,
            start_us,
            width_us,
            count: 1,
        };
        assert_eq!(i.more, [more(0, 80, 7), more(1, 60, 5)]);
        // Zoomed into b: it is the whole width, its imports under it.
        let i = Weights::of(&g, |_| true).icicle(&g, &[b], 0, 10);
        assert_eq!(i.total_us, 60);
        let names: Vec<&str> = i.bars.iter().map(|x| g.name(x.module)).collect();
        assert_eq!(names, ["b", "d", "c"]);
    }
}
