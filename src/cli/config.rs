//! `[tool.lmms-tui]` in `pyproject.toml`: defaults for the long flags, keyed by the flags' own
//! names (`budget-ms = 150`, `lazy = ["pandas"]`, `usage = { pandas = 5 }`). The table is turned
//! into the flags it stands for and parsed by the same definitions as the command line, so a
//! value is checked exactly as the flag is; flags given on the command line win.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::{ArgMatches, Command};

use lmms_core::error::{Error, Result};

/// Flags a file cannot set: where output goes, and this file itself.
const NOT_IN_FILE: &[&str] = &["config", "output", "force", "dir", "help", "version"];

/// Keys a subcommand does not take from the file though it has a flag of that name: `lazy` is a
/// what-if decision everywhere else, but for `record` it would add timed runs of an edit.
const NOT_FOR: &[(&str, &str)] = &[("record", "lazy")];

/// The configuration in force: the file and its table.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    table: toml::Table,
}

impl Config {
    /// `--config FILE` (relative to `start`), else the nearest `pyproject.toml` with a `[tool.lmms-tui]` table from
    /// `start` up; `None` when there is none.
    pub fn find(explicit: Option<&Path>, start: &Path) -> Result<Option<Config>> {
        if let Some(path) = explicit {
            // Relative to `start`, the directory the command runs in; named as given.
            return match Config::read(&start.join(path))? {
                Some(config) => Ok(Some(Config {
                    path: path.to_path_buf(),
                    ..config
                })),
                None => Err(Error::in_file(path, "has no [tool.lmms-tui] table")),
            };
        }
        for dir in start.ancestors() {
            let path = dir.join("pyproject.toml");
            if path.is_file()
                && let Some(config) = Config::read(&path)?
            {
                return Ok(Some(config));
            }
        }
        Ok(None)
    }

    fn read(path: &Path) -> Result<Option<Config>> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::in_file(path, format!("cannot read: {e}")))?;
        let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map(|s| text[..s.start].matches('\n').count() + 1)
                .map_or(String::new(), |l| format!(":{l}"));
            Error::new(format!(
                "{}{line}: not valid TOML: {}",
                path.display(),
                e.message()
            ))
        })?;
        let Some(tool) = doc.get("tool").and_then(|t| t.get("lmms-tui")) else {
            return Ok(None);
        };
        let table = tool
            .as_table()
            .cloned()
            .ok_or_else(|| Error::in_file(path, "[tool.lmms-tui] is not a table"))?;
        Ok(Some(Config {
            path: path.to_path_buf(),
            table,
        }))
    }

    /// A path as written in the file, relative to the file's directory.
    fn resolve(&self, path: &str) -> String {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        dir.join(path).display().to_string()
    }

    pub fn error(&self, message: impl std::fmt::Display) -> Error {
        Error::new(format!(
            "{}: [tool.lmms-tui] {message}",
            self.path.display()
        ))
    }

    /// The flags the table stands for, for `command` (a subcommand's definition, or the top
    /// one for the explorer), leaving out those `matches` got from the command line. Keys of
    /// other subcommands are skipped; keys of none are an error.
    pub fn flags(
        &self,
        cli: &Command,
        command: &Command,
        matches: &ArgMatches,
    ) -> Result<Vec<OsString>> {
        let mut flags = Vec::new();
        for (key, value) in &self.table {
            if NOT_IN_FILE.contains(&key.as_str()) {
                return Err(self.error(format!("`{key}` can only be given on the command line")));
            }
            if NOT_FOR.contains(&(command.get_name(), key.as_str())) {
                continue;
            }
            let Some(arg) = command.get_arguments().find(|a| a.get_long() == Some(key)) else {
                let elsewhere = std::iter::once(cli)
                    .chain(cli.get_subcommands())
                    .any(|c| c.get_arguments().any(|a| a.get_long() == Some(key)));
                if elsewhere {
                    continue;
                }
                return Err(self.error(format!(
                    "unknown key `{key}` (keys are the long flags, such as budget-ms, tolerance, \
                     lazy, usage, requests-per-day, cold-start-rate)"
                )));
            };
            let id = arg.get_id().as_str();
            if matches.value_source(id) == Some(ValueSource::CommandLine) {
                continue;
            }
            let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
            // A path in the file is relative to the file, wherever lmms-tui runs from.
            let is_path =
                arg.get_value_parser().type_id() == clap::value_parser!(PathBuf).type_id();
            let value = match value {
                toml::Value::String(p) if is_path => toml::Value::String(self.resolve(p)),
                toml::Value::Array(items) if is_path => toml::Value::Array(
                    items
                        .iter()
                        .map(|v| match v {
                            toml::Value::String(p) => toml::Value::String(self.resolve(p)),
                            v => v.clone(),
                        })
                        .collect(),
                ),
                v => v.clone(),
            };
            self.push(&mut flags, key, &value, takes_value)?;
        }
        Ok(flags)
    }

    fn push(
        &self,
        flags: &mut Vec<OsString>,
        key: &str,
        value: &toml::Value,
        takes_value: bool,
    ) -> Result<()> {
        use toml::Value;
        let scalar = |v: &Value| -> Option<String> {
            match v {
                Value::String(s) => Some(s.clone()),
                Value::Integer(i) => Some(i.to_string()),
                Value::Float(f) => Some(f.to_string()),
                _ => None,
            }
        };
        match value {
            Value::Boolean(on) if !takes_value => {
                if *on {
                    flags.push(format!("--{key}").into());
                }
            }
            Value::Array(items) if takes_value => {
                for item in items {
                    let v = scalar(item)
                        .ok_or_else(|| self.error(format!("`{key}`: {item} is not a value")))?;
                    flags.push(format!("--{key}={v}").into());
                }
            }
            // `usage = { pandas = 5 }` is `--usage pandas=5`.
            Value::Table(entries) if takes_value => {
                for (name, v) in entries {
                    let v = scalar(v)
                        .ok_or_else(|| self.error(format!("`{key}.{name}`: {v} is not a value")))?;
                    flags.push(format!("--{key}={name}={v}").into());
                }
            }
            v if takes_value => {
                let v =
                    scalar(v).ok_or_else(|| self.error(format!("`{key}`: {v} is not a value")))?;
                flags.push(format!("--{key}={v}").into());
            }
            v => {
                return Err(self.error(format!("`{key}` is a switch: true or false, not {v}")));
            }
        }
        Ok(())
    }
}
