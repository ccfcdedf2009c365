//! `lmms-tui why MODULE`: why a module is loaded, as text or JSON, from `ImportGraph::why`.

use std::io::{self, Write};

use serde::Serialize;

use super::chain::program_chain_text;
use super::figures::site_text;
use super::units::{count, ms, percent};
use lmms_core::model::{EdgeKind, ImportGraph, ModuleClass, Reason, Why};

/// How many submodule names the one-line summary names.
const SUBMODULES_NAMED: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhyFormat {
    Text,
    Json,
}

impl WhyFormat {
    pub const ALL: [WhyFormat; 2] = [WhyFormat::Text, WhyFormat::Json];

    pub fn name(self) -> &'static str {
        match self {
            WhyFormat::Text => "text",
            WhyFormat::Json => "json",
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            WhyFormat::Text => "for a terminal",
            WhyFormat::Json => "one JSON document",
        }
    }

    /// Writes the answer, safe for a terminal: the text is guarded, and the JSON escapes every
    /// control character itself (`safe_json`).
    pub fn write(self, g: &ImportGraph, why: &Why, out: &mut impl Write) -> io::Result<()> {
        match self {
            WhyFormat::Text => write_text(g, why, &mut lmms_core::printable::Printable(out)),
            WhyFormat::Json => write_json(g, why, out),
        }
    }
}

/// Who the importer is, in words: `requests (third-party)`, `the program itself`.
pub fn importer_text(g: &ImportGraph, reason: &Reason) -> String {
    match reason.importer {
        None => "the program".into(),
        Some(i) => format!("{} ({})", g.name(i), g.module(i).class.key()),
    }
}

/// `your code`, `your code?` (origin unknown, taken as yours) or nothing (third-party,
/// standard library).
pub fn ownership(g: &ImportGraph, reason: &Reason) -> &'static str {
    match reason.importer.map(|i| g.module(i).class) {
        _ if !reason.editable => "",
        Some(ModuleClass::Unknown) => "your code?",
        _ => "your code",
    }
}

/// How an importer reaches the target: its chain, or the cycle it sits on.
pub fn reach_text(g: &ImportGraph, why: &Why, reason: &Reason) -> String {
    match &reason.chain {
        Some(chain) => program_chain_text(g, chain),
        None => format!(
            "↻ loaded only through {} itself: an import cycle, not a reason",
            g.name(why.target)
        ),
    }
}

/// What one import of the target (or a submodule) is: `import statement of urllib3.util at
/// botocore/httpsession.py:23, 24`, lines of one file together; a line each where the
/// statement's source was recorded (the program's own files).
pub fn import_lines(g: &ImportGraph, why: &Why, reason: &Reason) -> Vec<String> {
    let mut lines = Vec::new();
    for import in &reason.imports {
        let what = if import.module == why.target {
            import.kind.describe().to_string()
        } else {
            format!("{} of {}", import.kind.describe(), g.name(import.module))
        };
        if import.sites.is_empty() {
            let not = match import.kind {
                EdgeKind::Unrecorded => " (how and where not recorded)",
                _ => "",
            };
            lines.push(format!("{what}{not}"));
        }
        let mut places: Vec<String> = Vec::new();
        for site in &import.sites {
            let within = g.site_within(site).function;
            match (g.site_file(site), g.site_code(site)) {
                (Some(file), None) if within.is_none() => match places.last_mut() {
                    Some(last) if last.starts_with(&format!("{file}:")) => {
                        last.push_str(&format!(", {}", site.line));
                    }
                    _ => places.push(format!("{file}:{}", site.line)),
                },
                _ => places.push(site_text(g, site)),
            }
        }
        for place in places {
            lines.push(format!("{what} at {place}"));
        }
    }
    lines
}

/// The one-line summary of the target's own submodules.
pub fn submodules_text(g: &ImportGraph, why: &Why) -> Option<String> {
    let n = why.submodules.len();
    if n == 0 {
        return None;
    }
    let mut names: Vec<&str> = why
        .submodules
        .iter()
        .take(SUBMODULES_NAMED)
        .map(|&m| g.name(m))
        .collect();
    if n > SUBMODULES_NAMED {
        names.push("…");
    }
    Some(format!(
        "{n} of its own submodule{} need{} it as their package ({}): they load after it, so none explains it",
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" },
        names.join(", ")
    ))
}

/// What the trace cannot say, when it cannot.
pub fn caveat(g: &ImportGraph, why: &Why) -> Option<String> {
    if g.module(why.target).class == ModuleClass::Startup {
        Some(
            "loaded by interpreter start-up, before the program's first import: \
             no edit of the program unloads it"
                .into(),
        )
    } else if !g.edges_complete() {
        Some(
            "this trace has the first-import tree only: only the first importer of each module \
             is known — `lmms-tui record` traces every import, with file and line"
                .into(),
        )
    } else {
        None
    }
}

fn write_text(g: &ImportGraph, why: &Why, out: &mut impl Write) -> io::Result<()> {
    let target = why.target;
    let m = g.module(target);
    match super::untimed::untimed_text(g, target) {
        Some(untimed) => writeln!(out, "{}: {}, {untimed}", g.name(target), m.class.key())?,
        None => writeln!(
            out,
            "{}: {}, {} ms cumulative ({}% of total), {} ms self, loaded in {}/{} runs",
            g.name(target),
            m.class.key(),
            ms(m.cumulative_us),
            percent(m.cumulative_us, g.total_us()),
            ms(m.self_us),
            m.samples,
            g.runs()
        )?,
    }
    writeln!(out, "first imported: {}", program_chain_text(g, &why.first))?;
    if let Some(caveat) = caveat(g, why) {
        writeln!(out, "note: {caveat}")?;
    }
    if why
        .importers
        .iter()
        .any(|r| ownership(g, r) == "your code?")
    {
        writeln!(
            out,
            "note: `your code?` marks importers of unknown origin, taken as yours \
             (`lmms-tui record` knows each module's origin)"
        )?;
    }
    let yours = why.yours();
    writeln!(
        out,
        "\nimported from outside it by {} ({} your code):",
        count(why.importers.len(), "importer"),
        match yours {
            0 => "none of them".to_string(),
            n if n == why.importers.len() => "all".to_string(),
            n => format!("{n} of them"),
        }
    )?;
    for reason in &why.importers {
        let mark = match ownership(g, reason) {
            "" => String::new(),
            own => format!("  [{own}]"),
        };
        writeln!(out, "  {}{mark}", importer_text(g, reason))?;
        writeln!(out, "      via {}", reach_text(g, why, reason))?;
        for line in import_lines(g, why, reason) {
            writeln!(out, "      {line}")?;
        }
    }
    if let Some(summary) = submodules_text(g, why) {
        writeln!(out, "\n{summary}")?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonWhy<'a> {
    module: &'a str,
    class: &'static str,
    self_us: u64,
    cumulative_us: u64,
    runs: u32,
    /// 0 for a module no run timed (`timed`: false).
    loaded_in_runs: u32,
    timed: bool,
    /// `full`, or `tree`: only each module's first importer is known.
    edges: &'static str,
    note: Option<String>,
    first_import: Vec<&'a str>,
    importers: Vec<JsonReason<'a>>,
    submodules: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonReason<'a> {
    /// `null`: the program itself.
    importer: Option<&'a str>,
    class: Option<&'static str>,
    your_code: bool,
    /// From the program's first import to the importer; `null` on an import cycle.
    chain: Option<Vec<&'a str>>,
    imports: Vec<JsonImport<'a>>,
}

#[derive(Serialize)]
struct JsonImport<'a> {
    module: &'a str,
    kind: &'static str,
    sites: Vec<super::json::JsonSite<'a>>,
}

fn write_json(g: &ImportGraph, why: &Why, out: &mut impl Write) -> io::Result<()> {
    let m = g.module(why.target);
    let names = |chain: &[lmms_core::model::ModuleId]| chain.iter().map(|&m| g.name(m)).collect();
    let doc = JsonWhy {
        module: g.name(why.target),
        class: m.class.key(),
        self_us: m.self_us,
        cumulative_us: m.cumulative_us,
        runs: g.runs(),
        loaded_in_runs: m.samples,
        timed: m.timed(),
        edges: super::figures::edges_label(g),
        note: caveat(g, why),
        first_import: names(&why.first),
        importers: why
            .importers
            .iter()
            .map(|r| JsonReason {
                importer: r.importer.map(|i| g.name(i)),
                class: r.importer.map(|i| g.module(i).class.key()),
                your_code: r.editable,
                chain: r.chain.as_deref().map(names),
                imports: r
                    .imports
                    .iter()
                    .map(|i| JsonImport {
                        module: g.name(i.module),
                        kind: i.kind.key(),
                        sites: i
                            .sites
                            .iter()
                            .map(|s| super::json::JsonSite::of(g, s))
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        submodules: names(&why.submodules),
    };
    lmms_core::safe_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}
