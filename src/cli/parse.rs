//! The command line as read: clap's parse, with the flags a `[tool.lmms-tui]` table gives
//! spliced in where the command line gives none (`config.rs` turns the table into flags).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{CommandFactory, FromArgMatches};

use super::{Cli, config};
use lmms_core::error::Result;

/// Why the command line gave no command to run.
#[derive(Debug)]
pub enum Failed {
    /// clap's own answer: help, the version, or a usage error.
    Usage(clap::Error),
    /// A configuration file that cannot be used, or flags it gives that do not parse.
    Input(lmms_core::error::Error),
}

/// The configuration file in force, and the flags it gave (those the command line did not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromConfig {
    pub path: PathBuf,
    pub flags: Vec<OsString>,
}

impl FromConfig {
    /// The modules the file names with `flag` (`lazy = ["pandas"]` is `--lazy=pandas`, `usage
    /// = { pandas = 5 }` is `--usage=pandas=5`): a trace without one is not an error, since one
    /// file serves every trace below it.
    pub fn module_names(&self, flag: &str) -> Vec<String> {
        let prefix = format!("--{flag}=");
        (self.flags.iter())
            .filter_map(|f| f.to_str()?.strip_prefix(&prefix))
            .map(|value| match flag {
                "usage" => value.rsplit_once('=').map_or(value, |(name, _)| name),
                _ => value,
            })
            .map(str::to_string)
            .collect()
    }

    /// As the outputs say it.
    pub fn gave(&self) -> lmms_core::whatif::ConfigGave {
        lmms_core::whatif::ConfigGave {
            file: self.path.display().to_string(),
            flags: (self.flags.iter())
                .map(|f| f.to_string_lossy().into_owned())
                .collect(),
        }
    }

    /// `pyproject.toml gives --budget-ms 900 --lazy pandas`: said on standard error, so no
    /// figure comes from a file without a word.
    pub fn said(&self) -> Option<String> {
        let gave = self.gave();
        (!gave.flags.is_empty()).then(|| {
            format!(
                "{} [tool.lmms-tui] gives {}",
                gave.file,
                gave.flags.join(" ")
            )
        })
    }
}

impl From<lmms_core::error::Error> for Failed {
    fn from(e: lmms_core::error::Error) -> Self {
        Failed::Input(e)
    }
}

/// The command line, with the defaults of a `[tool.lmms-tui]` table (the nearest one from
/// `cwd` up, or `--config`'s, relative to `cwd`) for the flags it does not give; and the file they came from.
/// Reads the configuration file and nothing else: no exit, no output.
pub fn parse(
    argv: Vec<OsString>,
    cwd: &Path,
) -> std::result::Result<(Cli, Option<FromConfig>), Failed> {
    let mut cli = Cli::command();
    // Built, so each argument says how many values it takes.
    cli.build();
    let argv = subcommand_first(&cli, argv);
    let matches = cli
        .clone()
        .try_get_matches_from(&argv)
        .map_err(Failed::Usage)?;
    let (command, sub) = match matches.subcommand() {
        Some((name, sub)) => (cli.find_subcommand(name).expect("parsed"), sub),
        None => (&cli, &matches),
    };
    let explicit = sub.get_one::<PathBuf>("config").map(PathBuf::as_path);
    let Some(config) = config::Config::find(explicit, cwd)? else {
        return Ok((from_matches(&matches)?, None));
    };
    let flags = config.flags(&cli, command, sub)?;
    let from = |flags| FromConfig {
        path: config.path.clone(),
        flags,
    };
    if flags.is_empty() {
        return Ok(with_config(from_matches(&matches)?, from(flags)));
    }
    let from = from(flags.clone());
    // The file's flags go right after the subcommand's name (first, for the explorer), so they
    // never land among a program's own arguments (`record … -- python …`).
    let at = match matches.subcommand_name() {
        Some(name) => subcommand_position(&cli, &argv, |w| w == name) + 1,
        None => 1,
    };
    let mut full = argv;
    full.splice(at..at, flags.iter().cloned());
    let matches = cli
        .try_get_matches_from(&full)
        .map_err(|e| config.error(clap_message(&e)))?;
    Ok(with_config(from_matches(&matches)?, from))
}

/// The command line, its what-if flags knowing the file in force (their JSON names it, and a
/// module it names that a trace lacks is a note).
fn with_config(mut cli: Cli, from: FromConfig) -> (Cli, Option<FromConfig>) {
    if let Some(whatif) = cli.whatif_mut() {
        whatif.config = Some(from.clone());
    }
    (cli, Some(from))
}

/// `lmms-tui --config FILE check …` as `lmms-tui check --config FILE …`: a subcommand must
/// come before any argument of the explorer's, and a global option given first would otherwise
/// make `check` read as a trace file.
fn subcommand_first(cli: &clap::Command, mut argv: Vec<OsString>) -> Vec<OsString> {
    let at = subcommand_position(cli, &argv, |word| cli.find_subcommand(word).is_some());
    if at > 1 && at < argv.len() {
        let name = argv.remove(at);
        argv.insert(1, name);
    }
    argv
}

/// Where in `argv` the subcommand is: the first word `is_name` accepts that is not the value
/// of an option before it (`--config check check t`: the second `check`); `argv.len()` when
/// there is none.
fn subcommand_position(
    cli: &clap::Command,
    argv: &[OsString],
    is_name: impl Fn(&str) -> bool,
) -> usize {
    let takes_value = |word: &str| {
        cli.get_arguments().any(|a| {
            a.get_action().takes_values()
                && !a.is_positional()
                && (a.get_long().is_some_and(|l| word == format!("--{l}"))
                    || a.get_short().is_some_and(|s| word == format!("-{s}")))
        })
    };
    let mut i = 1;
    while i < argv.len() {
        let word = argv[i].to_string_lossy();
        if is_name(&word) {
            return i;
        }
        if !word.starts_with('-') {
            // A positional argument: the explorer's, so no subcommand follows.
            return argv.len();
        }
        i += if takes_value(&word) { 2 } else { 1 };
    }
    argv.len()
}

fn from_matches(matches: &clap::ArgMatches) -> Result<Cli> {
    Cli::from_arg_matches(matches).map_err(|e| lmms_core::error::Error::new(clap_message(&e)))
}

/// clap's message in one line, without its `error:` prefix and usage.
fn clap_message(e: &clap::Error) -> String {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or_default();
    first.trim_start_matches("error: ").to_string()
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;
    use std::path::PathBuf;

    use super::{Failed, parse};
    use crate::cli::Command;

    fn argv(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    /// A directory with a pyproject.toml whose table sets `tolerance` (a `check` flag).
    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let table = "[tool.lmms-tui]\ntolerance = 20\n";
        std::fs::write(dir.path().join("pyproject.toml"), table).unwrap();
        std::fs::write(dir.path().join("check"), table).unwrap();
        dir
    }

    #[test]
    fn the_nearest_table_from_the_directory_given_is_used() {
        let dir = project();
        let below = dir.path().join("src");
        std::fs::create_dir(&below).unwrap();
        let (cli, config) = parse(argv(&["lmms-tui", "check", "t"]), &below).unwrap();
        let config = config.unwrap();
        assert_eq!(config.path, dir.path().join("pyproject.toml"));
        let said = config.said().unwrap();
        assert!(
            said.ends_with("pyproject.toml [tool.lmms-tui] gives --tolerance=20"),
            "{said}"
        );
        let Some(Command::Check(check)) = cli.command else {
            panic!("check")
        };
        assert_eq!(check.tolerance, Some(20.0));
        assert_eq!(check.traces, [PathBuf::from("t")]);
        // Elsewhere, no table: the flag's own default.
        let elsewhere = tempfile::tempdir().unwrap();
        let (cli, config) = parse(argv(&["lmms-tui", "check", "t"]), elsewhere.path()).unwrap();
        assert!(config.is_none());
        let Some(Command::Check(check)) = cli.command else {
            panic!("check")
        };
        assert_eq!(check.tolerance, None);
    }

    /// `--config check check t`: the file's flags go after the subcommand, not after the
    /// option's value that happens to be spelt like it.
    #[test]
    fn the_subcommand_is_found_past_an_option_value_spelt_like_it() {
        let dir = project();
        let file = dir.path().join("check");
        let words = ["lmms-tui", "--config", "check", "check", "t"];
        let (cli, config) = parse(argv(&words), dir.path()).unwrap();
        assert_eq!(config.map(|c| dir.path().join(c.path)), Some(file));
        let Some(Command::Check(check)) = cli.command else {
            panic!("check: {cli:?}")
        };
        assert_eq!(check.traces, [PathBuf::from("t")]);
        assert_eq!(check.tolerance, Some(20.0));
    }

    #[test]
    fn help_and_usage_errors_are_returned_not_exited() {
        let dir = tempfile::tempdir().unwrap();
        for words in [
            &["lmms-tui", "--help"][..],
            &["lmms-tui", "report"],
            &["lmms-tui", "--version"],
        ] {
            assert!(
                matches!(parse(argv(words), dir.path()), Err(Failed::Usage(_))),
                "{words:?}"
            );
        }
    }

    use clap::CommandFactory;

    /// Every flag and argument of every command says what it is (help and README come from
    /// these definitions).
    #[test]
    fn every_flag_and_argument_has_a_description() {
        let cli = super::Cli::command();
        let mut commands = vec![&cli];
        commands.extend(cli.get_subcommands());
        for command in commands {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if matches!(id, "help" | "version") {
                    continue;
                }
                assert!(
                    arg.get_help().is_some() || arg.get_long_help().is_some(),
                    "`{} {id}` has no description",
                    command.get_name()
                );
            }
        }
    }
}
