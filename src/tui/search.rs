//! Fuzzy search over module names (fuzzy-matcher's skim algorithm). Matching runs in
//! time-boxed steps so typing never waits for 200,000 names; a query that extends the
//! previous one only rescans the previous matches.

use std::time::{Duration, Instant};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::model::{ImportGraph, ModuleId};

pub struct Search {
    pub query: String,
    matcher: SkimMatcherV2,
    /// What is left to scan: all modules, or the matches of a shorter query.
    candidates: Candidates,
    next: usize,
    /// Matches so far, best first once `done`.
    matches: Vec<(i64, ModuleId)>,
    pub done: bool,
    /// Selected result in the list.
    pub selected: usize,
}

enum Candidates {
    All(usize),
    These(Vec<ModuleId>),
}

impl Candidates {
    fn len(&self) -> usize {
        match self {
            Candidates::All(n) => *n,
            Candidates::These(v) => v.len(),
        }
    }

    fn get(&self, i: usize) -> ModuleId {
        match self {
            Candidates::All(_) => ModuleId(i as u32),
            Candidates::These(v) => v[i],
        }
    }
}

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search")
            .field("query", &self.query)
            .field("matches", &self.matches.len())
            .field("done", &self.done)
            .finish()
    }
}

impl Search {
    pub fn new(graph: &ImportGraph) -> Search {
        Search {
            query: String::new(),
            matcher: SkimMatcherV2::default().ignore_case(),
            candidates: Candidates::All(graph.len()),
            next: 0,
            matches: Vec::new(),
            done: true,
            selected: 0,
        }
    }

    pub fn push(&mut self, graph: &ImportGraph, c: char) {
        self.query.push(c);
        // Every match of "abc" is a match of "ab": narrow instead of starting over.
        let narrowed = if self.done && !self.query.is_empty() && self.query.chars().count() > 1 {
            Candidates::These(self.matches.iter().map(|&(_, id)| id).collect())
        } else {
            Candidates::All(graph.len())
        };
        self.restart(narrowed);
    }

    pub fn pop(&mut self, graph: &ImportGraph) {
        self.query.pop();
        self.restart(Candidates::All(graph.len()));
    }

    fn restart(&mut self, candidates: Candidates) {
        self.candidates = candidates;
        self.next = 0;
        self.matches.clear();
        self.selected = 0;
        self.done = self.query.is_empty();
    }

    /// Scans candidates until `budget` runs out; returns true when the search is complete.
    pub fn step(&mut self, graph: &ImportGraph, budget: Duration) -> bool {
        if self.done {
            return true;
        }
        let start = Instant::now();
        let len = self.candidates.len();
        while self.next < len {
            let end = (self.next + 2048).min(len);
            for i in self.next..end {
                let id = self.candidates.get(i);
                if let Some(score) = self.matcher.fuzzy_match(graph.name(id), &self.query) {
                    self.matches.push((score, id));
                }
            }
            self.next = end;
            if start.elapsed() >= budget {
                return false;
            }
        }
        // Best score first; ties: shorter names, then heavier modules.
        self.matches.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(graph.name(a.1).len().cmp(&graph.name(b.1).len()))
                .then(
                    graph
                        .module(b.1)
                        .cumulative_us
                        .median
                        .cmp(&graph.module(a.1).cumulative_us.median),
                )
                .then(a.1.cmp(&b.1))
        });
        self.done = true;
        true
    }

    /// Runs to completion (tests, small traces).
    pub fn finish(&mut self, graph: &ImportGraph) {
        while !self.step(graph, Duration::from_secs(3600)) {}
    }

    pub fn matches(&self) -> &[(i64, ModuleId)] {
        &self.matches
    }

    pub fn selected_module(&self) -> Option<ModuleId> {
        self.matches.get(self.selected).map(|&(_, id)| id)
    }

    /// Positions (char indices) of the matched characters in a name, for highlighting.
    pub fn indices(&self, name: &str) -> Vec<usize> {
        self.matcher
            .fuzzy_indices(name, &self.query)
            .map(|(_, i)| i)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_narrows_and_widens() {
        let text = "\
import time:        10 |         10 |     urllib3.util
import time:        20 |         30 |   urllib3
import time:         5 |         35 | botocore
import time:         5 |          5 | requests
";
        let g = crate::trace::from_bytes("t", text.as_bytes()).unwrap();
        let mut s = Search::new(&g);
        for c in "urll".chars() {
            s.push(&g, c);
            s.finish(&g);
        }
        let names: Vec<&str> = s.matches().iter().map(|&(_, id)| g.name(id)).collect();
        assert_eq!(names, ["urllib3", "urllib3.util"]);
        assert_eq!(s.indices("urllib3"), vec![0, 1, 2, 3]);
        s.push(&g, 'x');
        s.finish(&g);
        assert!(s.matches().is_empty());
        s.pop(&g);
        s.finish(&g);
        assert_eq!(s.matches().len(), 2);
        for _ in 0..4 {
            s.pop(&g);
        }
        s.push(&g, 'r');
        s.finish(&g);
        // botocore, requests and both urllib3 names hold an r.
        assert_eq!(s.matches().len(), 4);
    }
}
