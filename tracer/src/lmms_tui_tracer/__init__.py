"""lmms-tui's tracer: what a recorded program imports, from where, and what an edit changes.

Loaded by `sitecustomize.py` beside this package, one module per job:
    settings     the LMMS_TUI_ variables, taken out of the environment
    streams      the program's standard error moved off CPython's; the run's mark
    classify     a module's class (program, third-party, stdlib, startup) from its origin
    frames       who imports, seen from the frames; import machinery is nobody
    edges        every import statement and dynamic import, with its file:line
    fingerprint  interpreter, platform and package versions
    findings     the findings file written at exit; shutdown imports
    lazy         stand-ins that import a module on first use
    rewrite      the program's module-level imports of deferred modules made lazy
    replay       requests replayed after the program's code, each watched for what it runs
    program      run_main and the finder that compiles the program's modules through rewrite
    patch        a plan's deferrals as a diff of the program's files (run standalone)
    boot         wires the above as the variables ask

LMMS_TUI_OUT=FILE     where this run's findings go, tab-separated lines written at exit:
                      "edge  TRIGGER  MODULE  KIND  LINE  FILE  CODE  FUNCTION  SITE_MODULE"
                                                    an import (LMMS_TUI_EDGES=1): KIND
                                                    `statement` (an import statement ran),
                                                    `dynamic` (importlib.import_module, a call
                                                    of __import__, C code), or, for an import
                                                    inside a function of another module run
                                                    while TRIGGER's module-level code ran,
                                                    `attribute` (a module __getattr__) or
                                                    `call`; where it ran, FILE relative to its
                                                    sys.path entry, the statement's source for
                                                    the program's own files, the function it
                                                    sits in, and that function's module when
                                                    it is not TRIGGER (each empty when
                                                    unknown or not so); see `edges`
                      "module  NAME  CLASS  ORIGIN" each loaded module, CLASS one of program,
                                                    third-party, stdlib, startup
                      "shutdown  NAME"              first imported after the program ended
                      "loaded  NAME  IMPORTER"      a deferred module loaded anyway, and by whom
                      "harness  NAME"               a module the edit's own work loads (`ast`,
                                                    before the program; LMMS_TUI_MAIN=1)
                      "fingerprint  KEY  VALUE"     python, platform, and each package the
                                                    program loaded with its version (EDGES=1)
LMMS_TUI_HANDLER=M:F, LMMS_TUI_EVENTS=PATH, LMMS_TUI_DRIVER=FILE
                      requests replayed once the program's code has run, before the interpreter
                      shuts down: "request  LABEL  OUTCOME  WATCHED_US  MODULE..." each (see
                      `replay`); LMMS_TUI_PROCESS=LABEL: the whole process is one request
                      (a CLI invocation)
LMMS_TUI_EDGES=1      records every import statement, imports of loaded modules included.
LMMS_TUI_NO_GC=1      disables the cyclic garbage collector (to measure its share).
LMMS_TUI_ONLY_MAIN=1  keeps child processes from printing import times into our stderr.
LMMS_TUI_STDERR_FD=N  the program's sys.stderr is moved onto this descriptor (a second pipe).
LMMS_TUI_MARK=NONCE   "lmms-tui: run NONCE" is written to descriptor 2 before the program runs:
                      import-time lines before it are this interpreter's start-up, and a
                      header after it is another process's.
LMMS_TUI_ACK=FILE     written at once, so lmms-tui knows this file was loaded at all (under
                      `python -I`, `-E` or `-S`, or a launcher that resets PYTHONPATH, it is not).
LMMS_TUI_MAIN=1       for `python -c "import _lmms_tui; _lmms_tui.run_main()" PROGRAM...` where
                      PROGRAM is `-c CODE | -m MODULE | SCRIPT` and its arguments:
                      `run_main()` runs it as python would have, compiling the program's
                      own modules from source and, for LMMS_TUI_DEFER=A,B, rewriting their
                      top-level imports of A and B into bindings that import on first use —
                      the edit a developer would make. Third-party and stdlib code is untouched.
                      Without LMMS_TUI_APPLY=1 the same work is done but nothing rewritten, so
                      the two runs differ by the edit alone.

Every LMMS_TUI_ variable is taken out of the environment, so child processes never see them.
Nothing here imports a module the interpreter had not loaded at start-up before the program
runs (`typing` included: annotations are strings), so the program's own trace is unchanged.
"""
import sys

# Load order: each module uses only those before it.
MODULES = (
    "settings",
    "streams",
    "classify",
    "frames",
    "findings",
    "fingerprint",
    "edges",
    "lazy",
    "rewrite",
    "replay",
    "program",
    "patch",
    "boot",
)


def _part(name: str) -> object:
    return sys.modules[__name__ + "." + name]


def run_main() -> None:
    """Runs the program given after our `-c` code as `python` would have (see `program`)."""
    _part("program").run_main()  # type: ignore[attr-defined]


def _lazy_module(name: str, returns: "str | None" = None) -> object:
    """What a rewritten `import name` binds (see `rewrite`)."""
    return _part("lazy").lazy_module(name, returns)  # type: ignore[attr-defined]


def _lazy_attr(module: str, attr: str) -> object:
    """What a rewritten `from module import attr` binds (see `rewrite`)."""
    return _part("lazy").lazy_attr(module, attr)  # type: ignore[attr-defined]
