//! Our own trace format, `trace.json` (documented in docs/trace-format.md):
//! per-run samples, the first-import tree, every import edge and where the trace came from.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::has_control;
use crate::error::{Error, Result};
use crate::model::{EdgeKind, ImportGraph, ModuleClass, ModuleId};
use crate::model::{Sample, TraceBuilder, Within};

/// trace.json's `format` field.
pub const FORMAT: &str = "lmms-tui-trace";
/// The trace.json version this build reads and writes.
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct TraceFile<'a> {
    format: String,
    version: u32,
    #[serde(default)]
    python: Option<String>,
    #[serde(default)]
    command: Option<Vec<String>>,
    #[serde(default)]
    recorded_at: Option<String>,
    runs: u32,
    edges_complete: bool,
    #[serde(borrow)]
    modules: Vec<ModuleRecord<'a>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    measured: Vec<crate::model::Measured>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gc: Option<crate::model::GcRuns>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fingerprint: Option<crate::model::Fingerprint>,
    /// Interleaved text lines the tree was guessed across.
    #[serde(default, skip_serializing_if = "crate::model::LevelJumps::is_empty")]
    level_jumps: crate::model::LevelJumps,
    /// Runs in which the program failed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    failed_runs: Vec<crate::model::FailedRun>,
    /// Requests replayed after start-up and what each needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    requests: Option<crate::model::requests::Requests>,
}

#[derive(Serialize, Deserialize)]
struct ModuleRecord<'a> {
    #[serde(borrow)]
    name: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    parent: Option<std::borrow::Cow<'a, str>>,
    self_us: Vec<Option<u64>>,
    cumulative_us: Vec<Option<u64>>,
    #[serde(default, borrow)]
    importers: Vec<Option<std::borrow::Cow<'a, str>>>,
    /// `program`, `third-party`, `stdlib` (start-up and unknown are not stored: derived).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    class: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    origin: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    shutdown: bool,
    /// How and where each recorded import of the module ran.
    #[serde(default, borrow, skip_serializing_if = "Vec::is_empty")]
    import_sites: Vec<SiteRecord<'a>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteRecord<'a> {
    /// `null`: the program itself.
    #[serde(borrow)]
    importer: Option<std::borrow::Cow<'a, str>>,
    /// `statement`, `dynamic`, `attribute` or `call`.
    #[serde(borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    file: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    code: Option<std::borrow::Cow<'a, str>>,
    /// The function the import sits in (absent: module-level code).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    function: Option<std::borrow::Cow<'a, str>>,
    /// That function's module, when it is not the importer.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    function_module: Option<std::borrow::Cow<'a, str>>,
}

/// Reads a trace.json into the builder, its runs after those already read.
pub fn read(path: &Path, bytes: &[u8], builder: &mut TraceBuilder) -> Result<()> {
    let file: TraceFile = serde_json::from_slice(bytes).map_err(|e| {
        // Another format or version is said as such, not as the field it lacks.
        match serde_json::from_slice::<Header>(bytes) {
            Ok(h) => check_header(path, &h.format, h.version).err(),
            Err(_) => None,
        }
        .unwrap_or_else(|| Error::in_json(path, &e, "trace"))
    })?;
    check_header(path, &file.format, file.version)?;
    // Names first, so parents and importers may name modules listed later.
    let (ids, in_file) = intern(path, &file, builder)?;
    let reader = Modules {
        path,
        in_file,
        first_run: begin_runs(path, &file, builder)?,
        runs: file.runs,
    };
    for (m, &id) in file.modules.iter().zip(&ids) {
        reader.module(m, id, builder)?;
    }
    read_meta(path, file, builder)
}

/// A trace.json's first two fields, read alone when the whole does not read.
#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

fn check_header(path: &Path, format: &str, version: u32) -> Result<()> {
    if format != FORMAT {
        return Err(Error::in_file(
            path,
            format!("`format` is `{format}`, expected `{FORMAT}`"),
        ));
    }
    if version != VERSION {
        return Err(Error::in_file(
            path,
            format!(
                "trace format version {} is not supported (this lmms-tui reads version \
                 {VERSION}): record it again with this lmms-tui, or read it with the one that \
                 wrote it",
                version
            ),
        ));
    }
    Ok(())
}

fn bad(path: &Path, m: &ModuleRecord, why: String) -> Error {
    Error::in_file(path, format!("module `{}`: {why}", m.name))
}

/// Each module's id, and which ids this file lists (each once).
fn intern(
    path: &Path,
    file: &TraceFile,
    builder: &mut TraceBuilder,
) -> Result<(Vec<u32>, Vec<bool>)> {
    let mut ids: Vec<u32> = Vec::with_capacity(file.modules.len());
    let mut in_file: Vec<bool> = vec![false; builder.module_count()];
    for m in &file.modules {
        if m.name.is_empty() || m.name.contains(char::is_whitespace) {
            return Err(bad(path, m, "not a module name".into()));
        }
        let id = builder.module(&m.name) as usize;
        in_file.resize(builder.module_count(), false);
        if std::mem::replace(&mut in_file[id], true) {
            return Err(bad(path, m, "listed twice".into()));
        }
        ids.push(id as u32);
    }
    Ok((ids, in_file))
}

/// Starts this file's runs after those of the files before it; the first one's number.
fn begin_runs(path: &Path, file: &TraceFile, builder: &mut TraceBuilder) -> Result<u32> {
    if builder.runs as u64 + file.runs as u64 > crate::model::MAX_RUNS as u64 {
        return Err(Error::in_file(
            path,
            format!(
                "{} runs, with the files before it {}: more than the {} runs lmms-tui reads",
                file.runs,
                builder.runs as u64 + file.runs as u64,
                crate::model::MAX_RUNS
            ),
        ));
    }
    let first_run = builder.runs;
    for _ in 0..file.runs {
        builder.begin_run();
    }
    Ok(first_run)
}

/// Reads each module's record into the builder.
struct Modules<'p> {
    path: &'p Path,
    in_file: Vec<bool>,
    first_run: u32,
    runs: u32,
}

impl Modules<'_> {
    fn module(&self, m: &ModuleRecord, id: u32, builder: &mut TraceBuilder) -> Result<()> {
        self.samples(m, id, builder)?;
        let parent = self.find(builder, m, m.parent.as_deref(), "parent")?;
        builder.tree_parent(id, parent);
        builder.edge(parent, id);
        for importer in &m.importers {
            let importer = self.find(builder, m, importer.as_deref(), "importer")?;
            builder.edge(importer, id);
        }
        for site in &m.import_sites {
            self.site(m, id, site, builder)?;
        }
        self.origin(m, id, builder)?;
        if m.shutdown {
            builder.shutdown(id);
        }
        Ok(())
    }

    /// A module this file lists, by name; `None` for no name (the program).
    fn find(
        &self,
        builder: &TraceBuilder,
        m: &ModuleRecord,
        name: Option<&str>,
        role: &str,
    ) -> Result<Option<u32>> {
        let Some(name) = name else {
            return Ok(None);
        };
        (builder.lookup(name))
            .filter(|&id| self.in_file[id as usize])
            .map(Some)
            .ok_or_else(|| bad(self.path, m, format!("{role} `{name}` is not in the trace")))
    }

    fn samples(&self, m: &ModuleRecord, id: u32, builder: &mut TraceBuilder) -> Result<()> {
        if m.self_us.len() != self.runs as usize || m.cumulative_us.len() != self.runs as usize {
            return Err(bad(
                self.path,
                m,
                format!(
                    "expected {} samples in `self_us` and `cumulative_us`, found {} and {}",
                    self.runs,
                    m.self_us.len(),
                    m.cumulative_us.len()
                ),
            ));
        }
        for (run, (s, c)) in m.self_us.iter().zip(&m.cumulative_us).enumerate() {
            match (s, c) {
                (Some(self_us), Some(cumulative_us)) => builder.sample(
                    id,
                    Sample {
                        run: self.first_run + run as u32,
                        self_us: *self_us,
                        cumulative_us: *cumulative_us,
                    },
                ),
                (None, None) => {}
                _ => {
                    let why = format!("run {run} has only one of `self_us` and `cumulative_us`");
                    return Err(bad(self.path, m, why));
                }
            }
        }
        Ok(())
    }

    fn site(
        &self,
        m: &ModuleRecord,
        id: u32,
        site: &SiteRecord,
        builder: &mut TraceBuilder,
    ) -> Result<()> {
        let importer = self.find(builder, m, site.importer.as_deref(), "importer")?;
        let kind = EdgeKind::from_key(&site.kind).ok_or_else(|| {
            let why = format!(
                "import kind `{}` is not statement, dynamic, attribute or call",
                site.kind
            );
            bad(self.path, m, why)
        })?;
        let texts = [
            &site.file,
            &site.code,
            &site.function,
            &site.function_module,
        ];
        if texts.into_iter().flatten().any(|t| has_control(t)) {
            return Err(bad(
                self.path,
                m,
                "an import site holds control characters".into(),
            ));
        }
        let at = site.file.as_deref().zip(site.line);
        let within = Within {
            function: site.function.as_deref(),
            via: site.function_module.as_deref(),
        };
        builder.site_within(importer, id, kind, (at, site.code.as_deref()), within);
        Ok(())
    }

    fn origin(&self, m: &ModuleRecord, id: u32, builder: &mut TraceBuilder) -> Result<()> {
        if m.origin.as_deref().is_some_and(has_control) {
            return Err(bad(
                self.path,
                m,
                "`origin` holds control characters".into(),
            ));
        }
        if let Some(class) = &m.class {
            let class = ModuleClass::from_key(class).ok_or_else(|| {
                let why = format!("class `{class}` is not one of program, third-party, stdlib");
                bad(self.path, m, why)
            })?;
            builder.origin(id, class, m.origin.as_deref());
        } else if let Some(origin) = &m.origin {
            // Start-up modules keep their origin; their class is derived on reading.
            builder.origin(id, ModuleClass::Unknown, Some(origin));
        }
        Ok(())
    }
}

/// What the file says about the whole trace: where it came from, measured edits, GC pauses,
/// the fingerprint, level jumps. The first file to say a thing says it.
fn read_meta(path: &Path, file: TraceFile, builder: &mut TraceBuilder) -> Result<()> {
    check_meta_text(path, &file)?;
    let meta = &mut builder.meta;
    if meta.python.is_none() {
        meta.python = file.python;
    }
    if meta.command.is_none() {
        meta.command = file.command;
    }
    if meta.recorded_at.is_none() {
        meta.recorded_at = file.recorded_at;
    }
    meta.measured.extend(file.measured);
    if meta.gc.is_none() {
        meta.gc = file.gc;
    }
    if meta.fingerprint.is_none() {
        meta.fingerprint = file.fingerprint;
    }
    let jumps = file.level_jumps;
    let unlisted = jumps.count.saturating_sub(jumps.at.len() as u64);
    builder.level_jumps(jumps.at);
    builder.meta.level_jumps.count = builder.meta.level_jumps.count.saturating_add(unlisted);
    builder.file_edges_complete(file.edges_complete);
    builder.meta.failed_runs.extend(file.failed_runs);
    if builder.meta.requests.is_none() {
        builder.meta.requests = file.requests;
    }
    Ok(())
}

/// No control character in the names and texts the trace-wide fields hold: reports print them
/// on lines of their own (a newline there could start a CI workflow command or a heading).
fn check_meta_text(path: &Path, file: &TraceFile) -> Result<()> {
    let refuse = |field: &str, mut texts: Box<dyn Iterator<Item = &String> + '_>| match texts
        .find(|t| has_control(t))
    {
        Some(bad) => Err(Error::in_file(
            path,
            format!("`{field}` holds {bad:?}, with control characters"),
        )),
        None => Ok(()),
    };
    refuse("python", Box::new(file.python.iter()))?;
    refuse("recorded_at", Box::new(file.recorded_at.iter()))?;
    refuse("command", Box::new(file.command.iter().flatten()))?;
    for measured in &file.measured {
        let names = (measured.lazy.iter().chain(&measured.modules))
            .chain(
                measured
                    .loaded_anyway
                    .iter()
                    .flat_map(|l| [&l.module, &l.importer]),
            )
            .chain(measured.first_request.iter().map(|f| &f.label))
            .chain(measured.patch.iter().flat_map(|p| {
                let smoke = p
                    .smoke
                    .iter()
                    .flat_map(|s| [&s.command, &s.how].into_iter().chain(&s.output_tail));
                (std::iter::once(&p.file)
                    .chain(&p.still_loaded)
                    .chain(&p.also_dropped))
                .chain(smoke)
            }));
        if let Some(name) = names.into_iter().find(|n| has_control(n)) {
            return Err(Error::in_file(
                path,
                format!("`measured` names {name:?}, which holds control characters"),
            ));
        }
    }
    if let Some(f) = &file.fingerprint {
        let packages = f.packages.iter().flat_map(|(k, v)| [k, v]);
        refuse(
            "fingerprint",
            Box::new([&f.python, &f.platform].into_iter().chain(packages)),
        )?;
    }
    refuse("level_jumps", Box::new(file.level_jumps.at.iter()))?;
    if let Some(r) = &file.requests {
        r.check()
            .map_err(|e| Error::in_file(path, format!("`requests`: {e}")))?;
        let texts = (r.sets.iter().flatten())
            .chain(
                r.requests
                    .iter()
                    .flat_map(|q| std::iter::once(&q.label).chain(&q.raised)),
            )
            .chain(std::iter::once(&r.source));
        refuse("requests", Box::new(texts))?;
    }
    refuse(
        "failed_runs",
        Box::new(
            (file.failed_runs.iter()).flat_map(|f| std::iter::once(&f.how).chain(&f.stderr_tail)),
        ),
    )
}

/// Writes the graph as a trace.json (per-run samples kept), e.g. to convert a text trace.
pub fn write(graph: &ImportGraph, out: &mut impl Write) -> std::io::Result<()> {
    let runs = graph.runs();
    let name = |id: ModuleId| std::borrow::Cow::Borrowed(graph.name(id));
    let modules = graph
        .ids()
        .map(|id| {
            let mut self_us = vec![None; runs as usize];
            let mut cumulative_us = vec![None; runs as usize];
            for s in graph.samples(id) {
                self_us[s.run as usize] = Some(s.self_us);
                cumulative_us[s.run as usize] = Some(s.cumulative_us);
            }
            let module = graph.module(id);
            let parent = module.parent;
            let class = match module.class {
                ModuleClass::Startup | ModuleClass::Unknown => None,
                c => Some(std::borrow::Cow::Borrowed(c.key())),
            };
            ModuleRecord {
                name: name(id),
                parent: parent.map(name),
                self_us,
                cumulative_us,
                importers: graph
                    .statement_importers(id)
                    .filter(|i| *i != parent)
                    .map(|i| i.map(name))
                    .collect(),
                class,
                origin: graph.origin(id).map(std::borrow::Cow::Borrowed),
                shutdown: module.shutdown,
                import_sites: (graph.sites(id).iter())
                    .map(|site| site_record(graph, site))
                    .collect(),
            }
        })
        .collect();
    let meta = graph.meta();
    let file = TraceFile {
        format: FORMAT.into(),
        version: VERSION,
        python: meta.python.clone(),
        command: meta.command.clone(),
        recorded_at: meta.recorded_at.clone(),
        runs,
        edges_complete: meta.edges_complete,
        modules,
        measured: meta.measured.clone(),
        gc: meta.gc.clone(),
        fingerprint: meta.fingerprint.clone(),
        level_jumps: meta.level_jumps.clone(),
        failed_runs: meta.failed_runs.clone(),
        requests: meta.requests.clone(),
    };
    crate::safe_json::to_writer(&mut *out, &file)?;
    out.write_all(b"\n")
}

/// One recorded import as trace.json stores it.
fn site_record<'g>(graph: &'g ImportGraph, site: &crate::model::Site) -> SiteRecord<'g> {
    let within = graph.site_within(site);
    SiteRecord {
        importer: site
            .importer
            .map(|i| std::borrow::Cow::Borrowed(graph.name(i))),
        kind: site.kind.key().into(),
        file: graph.site_file(site).map(Into::into),
        line: graph.site_file(site).map(|_| site.line),
        code: graph.site_code(site).map(Into::into),
        function: within.function.map(Into::into),
        function_module: within.via.map(Into::into),
    }
}
