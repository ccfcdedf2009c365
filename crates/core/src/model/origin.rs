//! Where a module comes from. `record` asks the interpreter (each module's file against its
//! site-packages and standard-library directories); a CPython text trace only has names, so
//! start-up comes from the trace's shape and the standard library from per-version name lists,
//! and anything else is `Unknown`.

use super::stdlib_names::STDLIB;

/// Where a module comes from, which decides whether an edit of the program can defer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ModuleClass {
    /// The user's own code: the program, its modules.
    Program,
    /// Installed packages: site-packages, dist-packages, a virtual environment.
    ThirdParty,
    /// The standard library.
    Stdlib,
    /// Loaded by the interpreter before the program runs; no edit of the program defers it.
    Startup,
    /// A text trace's non-standard module: the program's or a package's, nobody can tell.
    Unknown,
}

impl ModuleClass {
    /// Every class, in the order filters cycle through them.
    pub const ALL: [ModuleClass; 5] = [
        ModuleClass::Program,
        ModuleClass::ThirdParty,
        ModuleClass::Stdlib,
        ModuleClass::Startup,
        ModuleClass::Unknown,
    ];

    /// The name in trace.json, reports and the tracer's output.
    pub fn key(self) -> &'static str {
        match self {
            ModuleClass::Program => "program",
            ModuleClass::ThirdParty => "third-party",
            ModuleClass::Stdlib => "stdlib",
            ModuleClass::Startup => "startup",
            ModuleClass::Unknown => "unknown",
        }
    }

    /// A class by its key (`program`, `third-party`, …).
    pub fn from_key(key: &str) -> Option<ModuleClass> {
        ModuleClass::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Whether an import statement in a module of this class is the user's to edit. Unknown
    /// counts as the user's: the projection then says it assumed so.
    pub fn is_editable(self) -> bool {
        matches!(self, ModuleClass::Program | ModuleClass::Unknown)
    }
}

/// `major.minor` of a version string such as `3.11.7`.
fn minor_version(python: &str) -> Option<u32> {
    let mut parts = python.split('.');
    (parts.next()? == "3").then_some(())?;
    parts.next()?.parse().ok()
}

/// Whether `name`'s top-level package is in the standard library of that Python (any of
/// 3.7–3.13 when the version is unknown).
pub fn is_stdlib_name(name: &str, python: Option<&str>) -> bool {
    // One hash lookup: every module of a trace asks.
    static BY_NAME: std::sync::OnceLock<hashbrown::HashMap<&str, u8>> = std::sync::OnceLock::new();
    let top = super::names::top_level_package(name);
    let Some(&mask) = BY_NAME
        .get_or_init(|| STDLIB.iter().copied().collect())
        .get(top)
    else {
        return false;
    };
    match python.and_then(minor_version) {
        Some(minor) => mask & (1 << (minor.clamp(7, 13) - 7)) != 0,
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdlib_names_by_version() {
        assert!(is_stdlib_name("json.decoder", None));
        assert!(is_stdlib_name("_ssl", Some("3.7.16")));
        assert!(!is_stdlib_name("numpy", None));
        assert!(!is_stdlib_name("jsonschema", None));
        // distutils left the standard library in 3.12; tomllib joined in 3.11.
        assert!(is_stdlib_name("distutils", Some("3.11.7")));
        assert!(!is_stdlib_name("distutils", Some("3.12.1")));
        assert!(!is_stdlib_name("tomllib", Some("3.10.13")));
        assert!(is_stdlib_name("tomllib", Some("3.14.0")));
        for c in ModuleClass::ALL {
            assert_eq!(ModuleClass::from_key(c.key()), Some(c));
        }
    }
}
