//! Requests replayed in the recorded program after start-up (`record --handler`/`--driver`):
//! for each, the modules whose code ran while it was served. Stored as distinct sets of module
//! names (most requests share one), each request naming its set: what measured usage is
//! computed from.

/// The replayed requests, in the order they ran.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Requests {
    /// How they were made, e.g. `handler app:handler over events.jsonl`.
    pub source: String,
    /// Each request was a process of its own (a CLI's invocations): every one a cold start.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub processes: bool,
    /// A fixed loop of Python calls unwatched and watched, µs: how much the watching slowed
    /// the requests (their watched times are no timings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watch_overhead_us: Option<(u64, u64)>,
    /// Distinct sets of the trace's modules whose code ran during a request, names sorted.
    pub sets: Vec<Vec<String>>,
    /// Each request, in the order replayed.
    pub requests: Vec<Request>,
}

/// One replayed request.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Request {
    /// Its event file, line, or the driver's label.
    pub label: String,
    /// Its place in `Requests::sets`.
    pub set: u32,
    /// Wall time while watched (the watching slows it: not a timing of the program), µs.
    pub watched_us: u64,
    /// The exception it raised, `Type: message (file:line)`; it still counts (its code ran).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raised: Option<String>,
}

impl Requests {
    /// Builds from each request's label, outcome, watched time and module names (in any
    /// order, repeated or not), sharing equal sets.
    pub fn collect(
        source: String,
        each: impl IntoIterator<Item = (String, Option<String>, u64, Vec<String>)>,
    ) -> Requests {
        let mut out = Requests {
            source,
            ..Requests::default()
        };
        let mut index: std::collections::HashMap<Vec<String>, u32> = Default::default();
        for (label, raised, watched_us, mut names) in each {
            names.sort();
            names.dedup();
            let next = out.sets.len() as u32;
            let set = *index.entry(names.clone()).or_insert(next);
            if set == next {
                out.sets.push(names);
            }
            out.requests.push(Request {
                label,
                set,
                watched_us,
                raised,
            });
        }
        out
    }

    /// Why the stored requests cannot be used, if so: a set index out of range.
    pub fn check(&self) -> Result<(), String> {
        match self
            .requests
            .iter()
            .find(|r| r.set as usize >= self.sets.len())
        {
            Some(r) => Err(format!(
                "request {:?} names set {}, and there are {}",
                r.label,
                r.set,
                self.sets.len()
            )),
            None => Ok(()),
        }
    }

    /// The requests that raised.
    pub fn raised(&self) -> impl Iterator<Item = &Request> {
        self.requests.iter().filter(|r| r.raised.is_some())
    }
}

/// A request's kind: its label less a directory, an extension and a trailing number
/// (`events/report-7.json` → `report`, `line 12` → `line`).
pub fn kind(label: &str) -> String {
    let name = label.rsplit('/').next().unwrap_or(label);
    let name = name.strip_suffix(".json").unwrap_or(name);
    let kept = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let kept = kept.trim_end_matches(['-', '_', ' ', '.', ':', '#']);
    if kept.is_empty() { name } else { kept }.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_drop_numbers_and_extensions() {
        assert_eq!(kind("events/report-7.json"), "report");
        assert_eq!(kind("cheap_12"), "cheap");
        assert_eq!(kind("events.jsonl:3"), "events.jsonl");
        assert_eq!(kind("42"), "42");
    }

    #[test]
    fn equal_sets_are_stored_once_and_indices_checked() {
        let r = Requests::collect(
            "test".into(),
            [
                ("a".into(), None, 5, vec!["x".into(), "y".into()]),
                (
                    "b".into(),
                    Some("E: no".into()),
                    7,
                    vec!["y".into(), "x".into(), "x".into()],
                ),
                ("c".into(), None, 1, vec![]),
            ],
        );
        assert_eq!(r.sets, [vec!["x".to_string(), "y".into()], vec![]]);
        let sets: Vec<u32> = r.requests.iter().map(|q| q.set).collect();
        assert_eq!(sets, [0, 0, 1]);
        assert_eq!(r.raised().count(), 1);
        assert!(r.check().is_ok());
        let mut bad = r.clone();
        bad.requests[0].set = 9;
        assert!(bad.check().unwrap_err().contains("set 9"));
    }
}
