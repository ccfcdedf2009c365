"""The measured what-if's runs: `run_main` runs the program as `python` would have, and a
finder compiles the program's own modules from source through `rewrite` (never from or to .pyc
files, so an edited module cannot leak into another run). A deferred module's first load is
attributed to whoever triggered it."""
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType, ModuleType
    from typing import Any, List, Optional, Sequence, Tuple

    from . import frames, replay, rewrite
    from .classify import Classifier
    from .findings import Findings
else:  # already loaded (see the package docstring)
    frames = sys.modules[__package__ + ".frames"]
    replay = sys.modules[__package__ + ".replay"]
    rewrite = sys.modules[__package__ + ".rewrite"]


class Edit:
    """The edit of this run: which modules are deferred, whether the rewrite applies, and the
    request to time once the program's code has run (its source and label), if any."""

    def __init__(self, defer: "List[str]", apply: bool,
                 timed: "Optional[Tuple[replay.Source, str]]" = None) -> None:
        self.defer = defer
        self.apply = apply
        self.timed = timed


_edit = Edit([], False)
_findings = None  # type: Optional[Findings]


def trigger(frame: "Optional[FrameType]") -> str:
    """Who loads a module now: the module being loaded, else the innermost frame outside the
    import machinery — past `importlib.import_module`, which a lazy binding calls for the code
    that touched it."""
    importer = frames.loading(frame)
    if importer is None:
        outside = frames.outside(frame, also=("importlib",))
        importer = outside.f_globals.get("__name__") if outside else None
    return importer or "?"


def install(edit: Edit, findings: "Findings", classifier: "Classifier") -> None:
    """Puts the finder first on sys.meta_path and keeps `edit` and `findings` for `run_main`.
    Loads what `rewrite` compiles with (`ast`) now, before the program, and says so in
    `harness` lines: the unedited and the edited runs both carry it."""
    global _edit, _findings
    _edit, _findings = edit, findings
    before = set(sys.modules)
    import ast  # noqa: F401

    for name in sorted(set(sys.modules) - before):
        findings.add("harness", name)
    external = sys.modules["_frozen_importlib_external"]

    class EditLoader(external.SourceFileLoader):  # type: ignore[name-defined,misc]
        def get_code(self, fullname: str) -> "Any":
            source = self.get_data(self.path)
            return rewrite.compile_source(source, self.path, edit.defer, edit.apply)

    class Finder:
        def find_spec(self, name: str, path: "Optional[Sequence[str]]",
                      target: "Optional[ModuleType]" = None) -> "Any":
            if name in edit.defer and not findings.has("loaded\t%s\t" % name):
                findings.add("loaded", name, trigger(sys._getframe(1)))
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(name, path, target)
                if spec is None:
                    continue
                if (type(spec.loader) is external.SourceFileLoader
                        and classifier.path(spec.origin) == "program"):
                    spec.loader = EditLoader(name, spec.origin)
                return spec
            return None

    sys.meta_path.insert(0, Finder())


def run_main() -> None:
    """Runs the program given after our `-c` code as `python` would have, as `__main__`; then
    writes the findings."""
    try:
        run(sys.argv[1:])
        if _edit.timed is not None and _findings is not None:
            replay.time_one(_edit.timed[0], _edit.timed[1], _findings)
    finally:
        if _findings is not None:
            _findings.write()


def run(args: "List[str]") -> None:
    """Runs `args` (`-c CODE | -m MODULE | SCRIPT`, then the program's arguments)."""
    import __main__

    if args[0] == "-m":
        import runpy

        sys.argv = [args[1]] + args[2:]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        return
    if args[0] == "-c":
        source, filename = args[1], "<string>"  # type: str | bytes, str
        sys.argv = ["-c"] + args[2:]
    else:
        filename = args[0]
        with open(filename, "rb") as f:
            source = f.read()
        sys.argv = list(args)
        sys.path[0] = os.path.dirname(os.path.abspath(filename))
        __main__.__dict__["__file__"] = filename
    code = rewrite.compile_source(source, filename, _edit.defer, _edit.apply)
    exec(code, __main__.__dict__)
