//! The Python tracer (`tracer/src/`: the `sitecustomize` shim and the `lmms_tui_tracer`
//! package), compiled in and written into a temporary directory that recorded runs put first
//! on PYTHONPATH.

use std::path::Path;

macro_rules! tracer_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../tracer/src/", $path)))),*]
    };
}

/// Every file of the tracer: its path under `tracer/src/` and its text.
pub const FILES: &[(&str, &str)] = tracer_files![
    "sitecustomize.py",
    "lmms_tui_tracer/__init__.py",
    "lmms_tui_tracer/boot.py",
    "lmms_tui_tracer/classify.py",
    "lmms_tui_tracer/edges.py",
    "lmms_tui_tracer/findings.py",
    "lmms_tui_tracer/fingerprint.py",
    "lmms_tui_tracer/frames.py",
    "lmms_tui_tracer/lazy.py",
    "lmms_tui_tracer/patch.py",
    "lmms_tui_tracer/program.py",
    "lmms_tui_tracer/replay.py",
    "lmms_tui_tracer/rewrite.py",
    "lmms_tui_tracer/settings.py",
    "lmms_tui_tracer/streams.py",
];

/// Writes the tracer's files under `dir`.
pub fn write_to(dir: &Path) -> std::io::Result<()> {
    for (path, text) in FILES {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(file, text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table lists exactly the files in `tracer/src/`, and the package's load order names
    /// exactly its modules: a module added to one and not the other fails here, not in a run.
    #[test]
    fn the_table_is_the_tracers_files_and_its_load_order() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tracer/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(root.join("lmms_tui_tracer"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".py"))
            .map(|name| format!("lmms_tui_tracer/{name}"))
            .collect();
        on_disk.push("sitecustomize.py".into());
        on_disk.sort();
        let mut listed: Vec<String> = FILES.iter().map(|(p, _)| p.to_string()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);

        let init = FILES[1].1;
        let order = init.split("MODULES = (").nth(1).unwrap();
        let order = &order[..order.find(')').unwrap()];
        let mut modules: Vec<String> = order
            .split(',')
            .map(|m| m.trim().trim_matches('"').to_string())
            .filter(|m| !m.is_empty())
            .map(|m| format!("lmms_tui_tracer/{m}.py"))
            .collect();
        modules.push("lmms_tui_tracer/__init__.py".into());
        modules.push("sitecustomize.py".into());
        modules.sort();
        assert_eq!(modules, listed);
    }
}
