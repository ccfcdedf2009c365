//! Seeded synthetic traces in CPython's text format, for benchmarks and property tests:
//! the same seed always gives the same trace.

pub use crate::model::rng::Rng;

/// A synthetic import tree: parents in import order (`parent[i] < i`), self times in µs.
#[derive(Debug, Clone)]
pub struct SynthTree {
    pub names: Vec<String>,
    pub parent: Vec<Option<usize>>,
    pub self_us: Vec<u64>,
}

impl SynthTree {
    /// `modules` modules in packages of realistic shape: mostly shallow, some long chains.
    pub fn generate(modules: usize, seed: u64) -> SynthTree {
        let mut rng = Rng::new(seed);
        let mut parent = Vec::with_capacity(modules);
        let mut depth: Vec<u32> = Vec::with_capacity(modules);
        let mut names: Vec<String> = Vec::with_capacity(modules);
        let mut self_us = Vec::with_capacity(modules);
        for i in 0..modules {
            let p = if i == 0 || rng.below(40) == 0 {
                None
            } else if rng.below(3) == 0 {
                Some(i - 1) // extend the current chain
            } else {
                Some(rng.below(i as u64) as usize)
            };
            let p = p.filter(|&p| depth[p] < 60);
            depth.push(p.map_or(0, |p| depth[p] + 1));
            parent.push(p);
            names.push(match p {
                Some(p) => format!("{}.m{i}", names[p].split('.').next().unwrap_or("pkg")),
                None => format!("pkg{i}"),
            });
            // Heavy-tailed: most modules cost tens of µs, a few cost milliseconds.
            let u = rng.unit();
            self_us.push((20.0 / (1.0 - u * 0.999)).min(50_000.0) as u64 + 1);
        }
        SynthTree {
            names,
            parent,
            self_us,
        }
    }

    /// Cumulative times: self plus the children's cumulative (children come after parents).
    pub fn cumulative_us(&self) -> Vec<u64> {
        let mut cumulative = self.self_us.clone();
        for i in (0..self.names.len()).rev() {
            if let Some(p) = self.parent[i] {
                cumulative[p] += cumulative[i];
            }
        }
        cumulative
    }

    pub fn depth(&self, i: usize) -> usize {
        let mut d = 0;
        let mut at = i;
        while let Some(p) = self.parent[at] {
            d += 1;
            at = p;
        }
        d
    }

    /// CPython's `-X importtime` text for this tree: post-order, 2 spaces a level.
    pub fn to_importtime(&self) -> String {
        let n = self.names.len();
        let cumulative = self.cumulative_us();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for i in 0..n {
            match self.parent[i] {
                Some(p) => children[p].push(i),
                None => roots.push(i),
            }
        }
        let mut out = String::with_capacity(n * 64);
        out.push_str("import time: self [us] | cumulative | imported package\n");
        // (module, level, children emitted?)
        let mut stack: Vec<(usize, usize, bool)> =
            roots.iter().rev().map(|&r| (r, 0, false)).collect();
        while let Some((m, level, done)) = stack.pop() {
            if done {
                out.push_str(&format!(
                    "import time: {:>9} | {:>10} | {}{}\n",
                    self.self_us[m],
                    cumulative[m],
                    "  ".repeat(level),
                    self.names[m]
                ));
            } else {
                stack.push((m, level, true));
                stack.extend(children[m].iter().rev().map(|&c| (c, level + 1, false)));
            }
        }
        out
    }
}
