//! Fuzzy search over module names (fuzzy-matcher's skim algorithm). Matching runs in
//! time-boxed steps so typing never waits for 200,000 names; a query that extends the
//! previous one only rescans the previous matches. A name the query is not a subsequence of
//! cannot match, so a byte scan turns it away before the scorer runs; and the results are
//! ordered in time-boxed steps too, best block first, so the list on screen is right as soon
//! as the scan ends. Each step's names are matched on every core.

use std::cmp::Reverse;
use std::time::{Duration, Instant};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rayon::prelude::*;

use lmms_core::model::{ImportGraph, ModuleId};

pub struct Search {
    pub query: String,
    matcher: SkimMatcherV2,
    /// What is left to scan: all modules, or the matches of a shorter query.
    candidates: Candidates,
    next: usize,
    /// Matches so far, each with its place in the order, gathered when it matched; the first
    /// `ordered` are in their final order (all, once `done`).
    matches: Vec<OrderKey>,
    ordered: usize,
    /// The query in ASCII lower case, for the subsequence pre-filter (`None`: not ASCII).
    ascii_query: Option<Vec<u8>>,
    pub done: bool,
    /// Selected result in the list.
    pub selected: usize,
}

/// Best score, then shorter names, then heavier modules, then import order; the module last.
type OrderKey = (Reverse<i64>, u32, Reverse<u64>, ModuleId);

/// Matches ordered per round: a block of a sixteenth of the rest (within these bounds) is
/// selected from the rest and sorted, so a round stays short however many matched.
const ORDER_BLOCK: (usize, usize) = (4096, 65536);

/// The longest query kept, in characters: longer than any module name a trace holds.
pub const MAX_QUERY: usize = 256;

/// Candidates matched per slab (spread over the cores) between looks at the clock.
const SLAB: usize = 8192;

/// Whether `query` (ASCII, lower case) is a subsequence of `name`, ignoring ASCII case: the
/// skim matcher finds nothing otherwise (names that are not ASCII go to the scorer).
fn could_match(name: &str, query: &[u8]) -> bool {
    if !name.is_ascii() {
        return true;
    }
    let mut rest = query;
    for &b in name.as_bytes() {
        match rest.split_first() {
            Some((&q, tail)) if b.to_ascii_lowercase() == q => rest = tail,
            Some(_) => {}
            None => break,
        }
    }
    rest.is_empty()
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
            Candidates::All(_) => ModuleId::new(i as u32),
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
            ordered: 0,
            ascii_query: Some(Vec::new()),
            done: true,
            selected: 0,
        }
    }

    /// Adds a character to the query; past `MAX_QUERY` characters (a paste, not a name) the
    /// rest is ignored, so a megabyte pasted costs a megabyte of key events and nothing more.
    pub fn push(&mut self, graph: &ImportGraph, c: char) {
        let typed = self.query.chars().count();
        if typed >= MAX_QUERY {
            return;
        }
        self.query.push(c);
        // Every match of "abc" is a match of "ab": narrow instead of starting over.
        let narrowed = if self.done && typed > 0 {
            Candidates::These(self.matched().collect())
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
        self.ordered = 0;
        self.ascii_query = self
            .query
            .is_ascii()
            .then(|| self.query.to_ascii_lowercase().into_bytes());
        self.selected = 0;
        self.done = self.query.is_empty();
    }

    /// Scans candidates, then orders the matches, until `budget` runs out; returns true when
    /// the search is complete.
    pub fn step(&mut self, graph: &ImportGraph, budget: Duration) -> bool {
        if self.done {
            return true;
        }
        let start = Instant::now();
        let len = self.candidates.len();
        while self.next < len {
            // A slab at a time, matched on every core; results keep the candidates' order.
            let end = (self.next + SLAB).min(len);
            let (candidates, matcher) = (&self.candidates, &self.matcher);
            let (query, ascii_query) = (self.query.as_str(), self.ascii_query.as_deref());
            let found: Vec<OrderKey> = (self.next..end)
                .into_par_iter()
                .with_min_len(1024)
                .filter_map(|i| {
                    let id = candidates.get(i);
                    let name = graph.name(id);
                    if ascii_query.is_some_and(|q| !could_match(name, q)) {
                        return None;
                    }
                    let score = matcher.fuzzy_match(name, query)?;
                    Some((
                        Reverse(score),
                        name.len() as u32,
                        Reverse(graph.module(id).cumulative_us),
                        id,
                    ))
                })
                .collect();
            self.matches.extend(found);
            self.next = end;
            if start.elapsed() >= budget {
                return false;
            }
        }
        // Best first, a block per round: the block's best are selected from the rest (linear)
        // and sorted, so the head of the list is right first and no round sorts everything.
        while self.ordered < self.matches.len() {
            let rest = &mut self.matches[self.ordered..];
            let block = (rest.len() / 16)
                .clamp(ORDER_BLOCK.0, ORDER_BLOCK.1)
                .min(rest.len());
            if block < rest.len() {
                rest.select_nth_unstable(block);
            }
            rest[..block].sort_unstable();
            self.ordered += block;
            if self.ordered < self.matches.len() && start.elapsed() >= budget {
                return false;
            }
        }
        self.done = true;
        true
    }

    /// Runs to completion (tests, small traces).
    pub fn finish(&mut self, graph: &ImportGraph) {
        while !self.step(graph, Duration::from_secs(3600)) {}
    }

    /// The match above the selected one (the first stays).
    pub fn select_previous(&mut self) {
        self.selected = self.selected.saturating_sub(1);
    }

    /// The match below the selected one (the last stays).
    pub fn select_next(&mut self) {
        self.selected = (self.selected + 1).min(self.match_count().saturating_sub(1));
    }

    pub fn match_count(&self) -> usize {
        self.matches.len()
    }

    /// The matching modules, best first once `done`.
    pub fn matched(&self) -> impl ExactSizeIterator<Item = ModuleId> + '_ {
        self.matched_from(0)
    }

    /// The matches from the `first`-th on (a slice, so the list on screen starts there at once).
    pub fn matched_from(&self, first: usize) -> impl ExactSizeIterator<Item = ModuleId> + '_ {
        let first = first.min(self.matches.len());
        self.matches[first..].iter().map(|key| key.3)
    }

    /// The `i`-th match.
    pub fn match_at(&self, i: usize) -> Option<ModuleId> {
        self.matches.get(i).map(|key| key.3)
    }

    pub fn selected_module(&self) -> Option<ModuleId> {
        self.match_at(self.selected)
    }

    /// Whether `name` matches the query (none matches an empty one): the icicle marks these.
    pub fn is_match(&self, name: &str) -> bool {
        let passes = |q: &[u8]| could_match(name, q);
        !self.query.is_empty()
            && self.ascii_query.as_deref().is_none_or(passes)
            && self.matcher.fuzzy_match(name, &self.query).is_some()
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

    /// The pre-filter turns away only names the scorer would not match, and the ordering in
    /// rounds gives the order one full sort gives.
    #[test]
    fn prefilter_and_rounds_agree_with_the_scorer_and_one_sort() {
        let text = lmms_core::synth::SynthTree::generate(20_000, 3).to_importtime();
        let g = lmms_core::trace::from_bytes("t", text.as_bytes()).unwrap();
        let matcher = SkimMatcherV2::default().ignore_case();
        for query in ["m", "M1", "ab", "pkg.z9", "xyzq", "e.e"] {
            let mut s = Search::new(&g);
            for c in query.chars() {
                s.push(&g, c);
            }
            s.finish(&g);
            let mut expected: Vec<OrderKey> = g
                .ids()
                .filter_map(|id| {
                    let name = g.name(id);
                    let score = matcher.fuzzy_match(name, query)?;
                    Some((
                        Reverse(score),
                        name.len() as u32,
                        Reverse(g.module(id).cumulative_us),
                        id,
                    ))
                })
                .collect();
            expected.sort_unstable();
            if query == "m" {
                assert!(expected.len() > 2 * ORDER_BLOCK.0, "several rounds");
            }
            assert_eq!(s.matches, expected, "{query}");
        }
        assert!(could_match("Botocore.Utils", b"bcu"));
        assert!(!could_match("botocore", b"bcu"));
    }

    #[test]
    fn finds_narrows_and_widens() {
        let text = "\
import time:        10 |         10 |     urllib3.util
import time:        20 |         30 |   urllib3
import time:         5 |         35 | botocore
import time:         5 |          5 | requests
";
        let g = lmms_core::trace::from_bytes("t", text.as_bytes()).unwrap();
        let mut s = Search::new(&g);
        for c in "urll".chars() {
            s.push(&g, c);
            s.finish(&g);
        }
        let names: Vec<&str> = s.matched().map(|id| g.name(id)).collect();
        assert_eq!(names, ["urllib3", "urllib3.util"]);
        assert_eq!(s.indices("urllib3"), vec![0, 1, 2, 3]);
        s.push(&g, 'x');
        s.finish(&g);
        assert_eq!(s.match_count(), 0);
        s.pop(&g);
        s.finish(&g);
        assert_eq!(s.match_count(), 2);
        for _ in 0..4 {
            s.pop(&g);
        }
        s.push(&g, 'r');
        s.finish(&g);
        // botocore, requests and both urllib3 names hold an r.
        assert_eq!(s.match_count(), 4);
        // A paste stops at the cap; what fits still narrows.
        for _ in 0..2 * MAX_QUERY {
            s.push(&g, 'r');
        }
        s.finish(&g);
        assert_eq!(s.query.chars().count(), MAX_QUERY);
        assert_eq!(s.match_count(), 0);
    }
}
