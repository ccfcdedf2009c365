//! The recorded command taken apart: the launcher before the interpreter, the interpreter's
//! options, the program; and the commands `record` derives from it (the edit run, the script's
//! directory for runs alone).

use std::path::Path;

/// A command split where the Python interpreter is: launcher words before it (`env A=1`,
/// `uv run`, `poetry run`), its options after it, then the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// Index of the interpreter's word.
    pub python: usize,
    /// Index just after its options: where the program starts.
    pub end: usize,
    /// `-I` or `-E`: PYTHON* variables (PYTHONPATH, PYTHONPROFILEIMPORTTIME) are ignored.
    pub ignores_env: bool,
    /// `-S`: no `site`, so no sitecustomize either.
    pub no_site: bool,
    /// `-X importtime` (any level) among its options.
    pub importtime: bool,
}

/// `python`, `python3`, `python3.13`, `python3.13t`, `pypy3`, `py` — and not `python-dateutil`.
fn is_python_word(word: &str) -> bool {
    let Some(name) = Path::new(word).file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name == "py" {
        return true;
    }
    let Some(version) = name
        .strip_prefix("python")
        .or_else(|| name.strip_prefix("pypy"))
    else {
        return false;
    };
    let version = version.strip_suffix('t').unwrap_or(version);
    version.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Where the interpreter is in the command and what its options say; None when no word of it
/// is a Python interpreter (a shell script, a console entry point), whose options lmms-tui
/// cannot tell from the program's.
pub fn launch(command: &[String]) -> Option<Launch> {
    let python = command.iter().position(|w| is_python_word(w))?;
    let mut launch = Launch {
        python,
        end: command.len(),
        ignores_env: false,
        no_site: false,
        importtime: false,
    };
    let mut i = python + 1;
    while i < command.len() {
        let arg = command[i].as_str();
        match arg {
            "-c" | "-m" => break,
            "-X" | "-W" | "--check-hash-based-pycs" => {
                launch.importtime |=
                    arg == "-X" && command.get(i + 1).is_some_and(|x| is_importtime(x));
                i += 2
            }
            "-" | "--" => return None,
            _ if arg.starts_with("--") => i += 1,
            _ if arg.starts_with("-X") || arg.starts_with("-W") => {
                launch.importtime |= arg.strip_prefix("-X").is_some_and(is_importtime);
                i += 1
            }
            _ if arg.starts_with('-') => {
                let flags = &arg[1..];
                launch.ignores_env |= flags.contains(['I', 'E']);
                launch.no_site |= flags.contains('S');
                i += 1;
            }
            _ => break,
        }
    }
    launch.end = i.min(command.len());
    Some(launch)
}

/// `importtime` or `importtime=N`, the value of `-X`.
fn is_importtime(option: &str) -> bool {
    option == "importtime" || option.starts_with("importtime=")
}

/// The code our `-c` runs in an edit run: the tracer runs the program given after it.
pub(super) const RUN_MAIN: &str = "import _lmms_tui; _lmms_tui.run_main()";

/// `python [options] -c "RUN_MAIN" PROGRAM...` for `python [options] PROGRAM...`, where PROGRAM
/// is `-c CODE`, `-m MODULE` or `SCRIPT` with its arguments; None for other launchers.
pub fn edit_command(command: &[String]) -> Option<Vec<String>> {
    let i = launch(command)?.end;
    let program = command.get(i..).filter(|p| !p.is_empty())?;
    if matches!(program[0].as_str(), "-c" | "-m") && program.len() < 2 {
        return None;
    }
    let mut edited = command[..i].to_vec();
    edited.extend(["-c".to_string(), RUN_MAIN.to_string()]);
    edited.extend(program.iter().cloned());
    Some(edited)
}

/// The command with the program's own arguments replaced by `args`: those after the script,
/// `-m MODULE` or `-c CODE` — or, when no word is a Python interpreter (a console entry
/// point), after the first word.
pub fn with_program_args(command: &[String], args: &[String]) -> Vec<String> {
    let start = match launch(command) {
        Some(l) => match command.get(l.end).map(String::as_str) {
            Some("-c" | "-m") => l.end + 2,
            Some(_) => l.end + 1,
            None => l.end,
        },
        None => 1,
    };
    let mut out = command[..start.min(command.len())].to_vec();
    out.extend(args.iter().cloned());
    out
}

/// For `python path/to/script.py`, the script's directory (on sys.path when it runs).
pub(super) fn script_dir(command: &[String], launch: &Launch) -> Option<String> {
    let script = command.get(launch.end)?;
    if !script.ends_with(".py") {
        return None;
    }
    let dir = Path::new(script).parent()?;
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    Some(dir.canonicalize().ok()?.display().to_string())
}
