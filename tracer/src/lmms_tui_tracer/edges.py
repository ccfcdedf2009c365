"""Every import: `builtins.__import__` and `importlib.import_module` wrapped, each import
credited to its trigger with the site it ran at. `import_module` prints no `-X importtime`
line, so these loads are seen here or nowhere.

The site is the statement or call that ran the import: file:line, and the function it sits in
when it is not module-level code. The trigger is the module whose module-level code was running
then: the site's own module for module-level code; for an import inside a function (a module
`__getattr__`, a lazy loader, a helper), the innermost module being loaded (`frames.loading`),
or the program's main code. `import numpy.ma` in numpy's `__getattr__`, run when
matplotlib.rcsetup touches `np.ma`, is matplotlib.rcsetup's import: deferring matplotlib
removes it, and numpy alone never loads it."""
import builtins
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from . import fingerprint, frames
    from types import FrameType
    from typing import Callable, Dict, Optional, Set, Tuple

    from .classify import Classifier
    from .findings import Findings

    # (file, line, function or "" at module level, site's module or "" when the trigger's)
    Site = Tuple[Optional[str], int, str, str]
    Edges = Dict[Tuple[str, str, str], Set[Site]]
else:  # already loaded (see the package docstring)
    fingerprint = sys.modules[__package__ + ".fingerprint"]
    frames = sys.modules[__package__ + ".frames"]


def resolve(name: str, globals: "dict[str, object] | None", level: int) -> str:
    """The absolute name of `import name` at `level` dots, in a module of these globals."""
    if level == 0:
        return name
    globals = globals or {}
    package = globals.get("__package__")
    if not package:
        package = globals.get("__name__", "")
        if "__path__" not in globals:
            package = str(package).rpartition(".")[0]
    base = str(package).rsplit(".", level - 1)[0] if package else ""
    if not base:
        return name
    return base + "." + name if name else base


def site_of(frame: "Optional[FrameType]") -> "Site":
    """Where an import ran: (file, line, function, ""), or (None, 0, "", "") for C code and the
    machinery."""
    if frame is None or frames.is_machinery(frame.f_globals.get("__name__")):
        return (None, 0, "", "")
    function = frame.f_code.co_name
    return (frame.f_code.co_filename, frame.f_lineno,
            "" if function == "<module>" else function, "")


def triggered(importer: "str | None", kind: str, frame: "Optional[FrameType]",
              site: "Site") -> "Tuple[str | None, str, Site]":
    """(trigger, kind, site) of an import `importer`'s code ran at `site`: inside a function,
    the module being loaded (or the program's main code) triggers it — kind `attribute` for a
    module `__getattr__`, `call` for any other function — and the site keeps its module."""
    path, line, function, _ = site
    if not importer or not function or frame is None:
        return importer, kind, site
    trigger = frames.loading(frame) or "__main__"
    if trigger == importer:
        return importer, kind, site
    kind = "attribute" if function == "__getattr__" else "call"
    return trigger, kind, (path, line, function, importer)


class Recorder:
    """The edges seen so far: (importer, module, kind) → the sites it ran at."""

    def __init__(self, import_name: int) -> None:
        self.edges = {}  # type: Edges
        self.import_name = import_name  # IMPORT_NAME's opcode
        # Modules no import statement loaded → the module they came with: import_module's
        # loads (their trigger), and what code placed in sys.modules (the import it ran in).
        self.untimed = {}  # type: Dict[str, str]
        self.seen = set()  # type: Set[str]  # names a finished import already accounted for

    def placed(self, before: int, target: str, fromlist: object) -> None:
        """Accounts for the names that entered sys.modules during an import of `target` that
        began with `before` of them: inner imports finished first and took theirs; of the
        rest, any but `target`, its packages and its fromlist was placed there by code that
        ran meanwhile (a Cython extension's `cython_runtime`), with no line of its own.
        Dicts keep insertion order, so the new names are the last ones."""
        grown = len(sys.modules) - before
        if grown <= 0:
            return
        try:
            last = reversed(sys.modules)  # type: ignore[call-overload]
            new = [next(last) for _ in range(grown)]
        except TypeError:  # 3.7: dicts are not reversible
            new = list(sys.modules)[-grown:]
        own = set(with_packages(target))
        own.update(target + "." + str(item) for item in fromlist or ())  # type: ignore
        for name in new:
            if name not in self.seen:
                self.seen.add(name)
                if name not in own and target:
                    self.untimed.setdefault(name, target)

    def add(self, importer: "str | None", target: str, fromlist: object, kind: str,
            site: "Site") -> None:
        if not importer or not target or frames.is_machinery(importer):
            return
        self.edges.setdefault((importer, target, kind), set()).add(site)
        for item in fromlist or ():  # type: ignore[attr-defined]
            if isinstance(item, str) and item != "*":
                sub = target + "." + item
                if sub in sys.modules:
                    self.edges.setdefault((importer, sub, kind), set()).add(site)

    def lines(self, classifier: "Classifier") -> "list[str]":
        """`untimed` then `edge` finding lines; the program's own statements carry their
        source."""
        import linecache

        show = frames.site_namer(sys.path)
        out = ["untimed\t%s\t%s" % item for item in sorted(self.untimed.items())]
        for (importer, target, kind), sites in sorted(self.edges.items()):
            for path, line, function, via in sorted(sites, key=lambda s: (s[0] or "",) + s[1:]):
                where = via or importer
                own = where == "__main__" or classifier.module(
                    where, sys.modules.get(where))[0] == "program"
                code = ""
                if own and path:
                    code = " ".join(linecache.getline(path, line).split())
                out.append("edge\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s" % (
                    importer, target, kind, line or "", show(path) if path else "", code,
                    function, via))
        return out


def note_import(recorder: Recorder, frame: "FrameType", name: str,
                globals: "dict[str, object] | None", fromlist: object, level: int) -> None:
    """Records one call of `__import__` seen from `frame`, its caller. Imports nothing: it
    runs inside the wrapped `__import__`."""
    # An import statement: the caller's frame is running IMPORT_NAME with its own globals.
    # Anything else (a call of __import__, C code) is a dynamic import.
    statement = (frame.f_globals is globals
                 and frame.f_code.co_code[frame.f_lasti] == recorder.import_name)
    if isinstance(globals, dict) and not frames.is_machinery(globals.get("__name__")):
        importer = globals.get("__name__")  # type: Optional[str]
    else:
        importer = frames.importer(frame)
    trigger, kind, site = triggered(importer, "statement" if statement else "dynamic", frame,
                                    site_of(frame))
    recorder.add(trigger, resolve(name, globals, level), fromlist, kind, site)


def not_loaded(name: str, package: "str | None") -> "list[str]":
    """The modules `import_module(name, package)` would load itself, outermost first: the
    named module and its packages not yet loaded. Only these miss a `-X importtime` line (the
    call runs importlib's Python code, not the timed C path); modules their code imports by
    statement print their own."""
    level = len(name) - len(name.lstrip("."))
    if level and not package:
        return []  # import_module raises
    names = with_packages(resolve(name[level:], {"__package__": package}, level))
    return [n for n in names if n not in sys.modules]


def with_packages(name: str) -> "list[str]":
    """`a`, `a.b` and `a.b.c` for `a.b.c`: a module and its packages, outermost first."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def install(findings: "Findings", classifier: "Classifier") -> "Callable[[], None]":
    """Wraps the import functions; returns what adds the edges to the findings at exit."""
    import importlib
    import opcode

    recorder = Recorder(opcode.opmap["IMPORT_NAME"])
    original_import = builtins.__import__
    original_import_module = importlib.import_module

    def traced_import(name, globals=None, locals=None, fromlist=(), level=0):  # type: ignore
        before = len(sys.modules)
        try:
            return original_import(name, globals, locals, fromlist, level)
        finally:
            # Failed imports too: the module ran (and its time counts) before it raised.
            try:
                note_import(recorder, sys._getframe(1), name, globals, fromlist, level)
                recorder.placed(before, resolve(name, globals, level), fromlist)
            except Exception:
                pass

    def traced_import_module(name, package=None):  # type: ignore
        try:
            fresh = not_loaded(name, package)
        except Exception:  # a bad name: import_module says so below
            fresh = []
        before = len(sys.modules)
        module = original_import_module(name, package)
        try:
            frame = sys._getframe(1)
            trigger, kind, site = triggered(frames.importer(frame), "dynamic", frame,
                                            site_of(frame))
            for loaded in fresh:
                if trigger and loaded in sys.modules:
                    recorder.untimed[loaded] = trigger
                    recorder.add(trigger, loaded, (), kind, site)
            recorder.add(trigger, module.__name__, (), kind, site)
            recorder.placed(before, module.__name__, ())
        except Exception:
            pass
        return module

    def dump() -> None:
        findings.extend(recorder.lines(classifier))
        try:
            findings.extend(fingerprint.fingerprint())
        except Exception:
            pass

    builtins.__import__ = traced_import
    importlib.import_module = traced_import_module  # type: ignore[assignment]
    return dump
