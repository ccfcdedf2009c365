"""lmms-tui's helper for `lmms-tui record`, injected with PYTHONPATH, never in plain timed runs.

LMMS_TUI_OUT=FILE     where this run's findings go, tab-separated lines written at exit:
                      "edge  IMPORTER  MODULE  KIND  LINE  FILE  CODE"
                                                    an import (LMMS_TUI_EDGES=1): KIND
                                                    `statement` (an import statement ran) or
                                                    `dynamic` (importlib.import_module, a call
                                                    of __import__, C code); where it ran, FILE
                                                    relative to its sys.path entry, and the
                                                    statement's source for the program's own
                                                    files (LINE, FILE, CODE empty when unknown)
                      "module  NAME  CLASS  ORIGIN" each loaded module, CLASS one of program,
                                                    third-party, stdlib, startup
                      "shutdown  NAME"              first imported after the program ended
                      "loaded  NAME  IMPORTER"      a deferred module loaded anyway, and by whom
                      "fingerprint  KEY  VALUE"     python, platform, and each package the
                                                    program loaded with its version (EDGES=1)
LMMS_TUI_EDGES=1      records every import statement, imports of loaded modules included.
LMMS_TUI_NO_GC=1      disables the cyclic garbage collector (to measure its share).
LMMS_TUI_ONLY_MAIN=1  keeps child processes from printing import times into our stderr.
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
Whatever sitecustomize this one shadows still runs afterwards.
"""
import builtins
import os
import sys

_STARTUP = set(sys.modules)  # loaded before the program: interpreter start-up
_NAME = __name__
# Taken out of the environment: the program's child processes are no part of this run.
_ENV = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("LMMS_TUI_")}
_OUT = _ENV.get("LMMS_TUI_OUT")
_DEFER = [d for d in _ENV.get("LMMS_TUI_DEFER", "").split(",") if d]
_APPLY = _ENV.get("LMMS_TUI_APPLY") == "1"
if _ENV.get("LMMS_TUI_ONLY_MAIN"):
    # Child processes (multiprocessing's spawn, subprocess) inherit the environment: without
    # this they would print their own import times into the same standard error.
    os.environ.pop("PYTHONPROFILEIMPORTTIME", None)
if _ENV.get("LMMS_TUI_ACK"):
    try:
        with open(_ENV["LMMS_TUI_ACK"], "w") as _f:
            _f.write("ack\n")
    except OSError:
        pass
_findings = []
_shutting_down = []


def _norm(path):
    return os.path.normcase(os.path.realpath(path))


def _make_classifier():
    """A module's class from its origin; the same rule decides which modules the edit rewrites."""
    import site

    third = set()
    try:
        third.update(site.getsitepackages())
    except Exception:
        pass
    try:
        third.add(site.getusersitepackages())
    except Exception:
        pass
    # Each root as written and resolved: most origins match one as written, with no system call
    # (the edit runs classify every module they load, and must stay cheap).
    third = {p for p in third if p}
    third |= {_norm(p) for p in third}
    stdlib = {os.path.dirname(os.__file__)}
    stdlib |= {_norm(p) for p in stdlib}
    here = _norm(os.path.dirname(os.path.abspath(__file__)))
    marks = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep)

    def under(path, roots):
        return any(path == r or path.startswith(r + os.sep) for r in roots)

    def origin_of(module):
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None) or getattr(module, "__file__", None)
        if origin in (None, "namespace"):
            locations = list(getattr(spec, "submodule_search_locations", None) or ())
            origin = locations[0] if locations else None
        return origin

    def classify_path(origin):
        if origin is None:
            return "unknown"
        if origin in ("built-in", "frozen"):
            return "stdlib"
        for path in (origin, None):
            if path is None:
                path = _norm(origin)
            if under(path, third) or any(m in path for m in marks):
                return "third-party"
            if under(path, stdlib):
                return "stdlib"
        if under(_norm(origin), {here}):
            return "lmms-tui"
        return "program"

    def classify(name, module):
        origin = origin_of(module)
        if name == "__main__":
            return "program", origin
        if module is sys.modules.get("_lmms_tui"):
            return "lmms-tui", origin
        if name in _STARTUP:
            return "startup", origin
        return classify_path(origin), origin

    return classify, classify_path


_classify, _classify_path = _make_classifier()

# Frames of these modules are import machinery (or this file), never an importer.
_MACHINERY = {
    "importlib._bootstrap", "importlib._bootstrap_external", "_frozen_importlib",
    "_frozen_importlib_external", _NAME, "_lmms_tui",
}


def _is_machinery(name):
    return not name or name in _MACHINERY


def _importer(frame):
    """Who imports, seen from the innermost Python frame: its module — unless that is the import
    machinery (or this file). Then C code is importing: an extension initialising, or a C
    callable run by the `from … import` machinery (a module `__getattr__`). When the machinery
    frame is the one that runs a module's own code (`_call_with_frames_removed`) or resolves a
    `from` list, the module being loaded at that moment is credited; importlib's own imports
    (`_io` to read a file) are nobody's: None, and the edge is left out, never invented."""
    name = frame.f_globals.get("__name__") if frame is not None else None
    if not _is_machinery(name):
        return name
    if frame.f_code.co_name in ("_call_with_frames_removed", "_handle_fromlist"):
        return _loading(frame)
    return None


def _loading(frame):
    """The module whose loading `frame` is part of: importlib's innermost `_load_unlocked`."""
    while frame is not None:
        if frame.f_code.co_name == "_load_unlocked":
            spec = frame.f_locals.get("spec")
            if spec is not None:
                return spec.name
        frame = frame.f_back
    return None


def _outside(frame):
    """The innermost frame that is not import machinery."""
    while frame is not None and _is_machinery(frame.f_globals.get("__name__")):
        frame = frame.f_back
    return frame


def _install_edges():
    import importlib
    import opcode

    import_name = opcode.opmap["IMPORT_NAME"]
    # (importer, module, kind) → {(file, line)}; C code has no site: (None, 0).
    edges = {}
    original_import = builtins.__import__
    original_import_module = importlib.import_module

    def resolve(name, globals, level):
        if level == 0:
            return name
        package = (globals or {}).get("__package__")
        if not package:
            package = (globals or {}).get("__name__", "")
            if "__path__" not in (globals or {}):
                package = package.rpartition(".")[0]
        base = package.rsplit(".", level - 1)[0] if package else ""
        if not base:
            return name
        return base + "." + name if name else base

    def record(importer, target, fromlist, kind, site):
        if not importer or not target or _is_machinery(importer):
            return
        edges.setdefault((importer, target, kind), set()).add(site)
        for item in fromlist or ():
            if isinstance(item, str) and item != "*":
                sub = target + "." + item
                if sub in sys.modules:
                    edges.setdefault((importer, sub, kind), set()).add(site)

    def site_of(frame):
        if frame is None or _is_machinery(frame.f_globals.get("__name__")):
            return (None, 0)
        return (frame.f_code.co_filename, frame.f_lineno)

    def traced_import(name, globals=None, locals=None, fromlist=(), level=0):
        try:
            return original_import(name, globals, locals, fromlist, level)
        finally:
            # Failed imports too: the module ran (and its time counts) before it raised.
            note_import(name, globals, fromlist, level)

    def note_import(name, globals, fromlist, level):
        try:
            frame = sys._getframe(2)
            # An import statement: the caller's frame is running IMPORT_NAME with its own
            # globals. Anything else (a call of __import__, C code) is a dynamic import.
            statement = (
                frame.f_globals is globals
                and frame.f_code.co_code[frame.f_lasti] == import_name
            )
            if isinstance(globals, dict) and not _is_machinery(globals.get("__name__")):
                importer = globals.get("__name__")
            else:
                importer = _importer(frame)
            record(importer, resolve(name, globals, level), fromlist,
                   "statement" if statement else "dynamic", site_of(frame))
        except Exception:
            pass

    def traced_import_module(name, package=None):
        module = original_import_module(name, package)
        try:
            frame = sys._getframe(1)
            record(_importer(frame), module.__name__, (), "dynamic", site_of(frame))
        except Exception:
            pass
        return module

    def dump():
        import linecache

        show = _site_path()
        for (importer, target, kind), sites in sorted(edges.items()):
            own = importer == "__main__" or _classify(
                importer, sys.modules.get(importer)
            )[0] == "program"
            for path, line in sorted(sites, key=lambda s: (s[0] or "", s[1])):
                code = ""
                if own and path:
                    code = " ".join(linecache.getline(path, line).split())
                _findings.append("edge\t%s\t%s\t%s\t%s\t%s\t%s" % (
                    importer, target, kind, line or "", show(path) if path else "", code))
        try:
            _findings.extend(_fingerprint())
        except Exception:
            pass

    builtins.__import__ = traced_import
    importlib.import_module = traced_import_module
    return dump


def _site_path():
    """A source file as a Python developer names it: relative to the sys.path entry it is under
    (`requests/__init__.py`, `handler.py`), the longest such entry winning; else as it is."""
    entries = sorted(
        {os.path.abspath(p or os.curdir) for p in sys.path if isinstance(p, str)},
        key=len, reverse=True)

    def show(path):
        if path.startswith("<"):
            return path
        full = os.path.abspath(path)
        for entry in entries:
            if full.startswith(entry.rstrip(os.sep) + os.sep):
                return full[len(entry.rstrip(os.sep)) + 1:]
        return path

    return show


def _fingerprint():
    """What the timings depend on besides the code: interpreter, platform, package versions."""
    import platform

    yield "fingerprint\tpython\t%s %s" % (platform.python_implementation(), platform.python_version())
    yield "fingerprint\tplatform\t%s %s" % (sys.platform, platform.machine())
    try:
        from importlib import metadata
    except ImportError:  # 3.7
        return
    tops = {name.partition(".")[0] for name in list(sys.modules)}
    by_top = getattr(metadata, "packages_distributions", None)
    if by_top is not None:
        owners = by_top()
        names = {d for top in tops for d in owners.get(top, ())}
    else:  # 3.8, 3.9: every installed distribution
        names = {d.metadata["Name"] for d in metadata.distributions()}
    for name in sorted(n for n in names if n):
        try:
            yield "fingerprint\tpackage\t%s %s" % (name, metadata.version(name))
        except Exception:
            pass


def _watch_shutdown():
    """Marks the end of the program: CPython calls threading._shutdown first when finalising."""
    import threading

    original = threading._shutdown

    def shutdown():
        _shutting_down.append(set(sys.modules))
        return original()

    threading._shutdown = shutdown


def _dump():
    lines = list(_findings)
    if _shutting_down:
        lines.extend("shutdown\t" + n for n in sorted(set(sys.modules) - _shutting_down[0]))
    for name, module in sorted(sys.modules.items()):
        try:
            cls, origin = _classify(name, module)
        except Exception:
            cls, origin = "unknown", None
        if cls != "lmms-tui":
            lines.append("module\t%s\t%s\t%s" % (name, cls, origin or ""))
    try:
        with open(_OUT, "w", encoding="utf-8") as f:
            f.write("".join(line.replace("\n", " ") + "\n" for line in lines))
    except OSError:
        pass


# --- the measured what-if: the program's own imports made lazy -------------------------------


class _Lazy:
    """Stands for a module (or a name from one) until first used, then imports it."""

    __slots__ = ("_lmms_load", "_lmms_value")

    def __init__(self, load):
        object.__setattr__(self, "_lmms_load", load)
        object.__setattr__(self, "_lmms_value", _Lazy)

    def _lmms_get(self):
        value = object.__getattribute__(self, "_lmms_value")
        if value is _Lazy:
            value = object.__getattribute__(self, "_lmms_load")()
            object.__setattr__(self, "_lmms_value", value)
        return value

    def __getattr__(self, name):
        return getattr(self._lmms_get(), name)

    def __setattr__(self, name, value):
        setattr(self._lmms_get(), name, value)

    def __call__(self, *args, **kwargs):
        return self._lmms_get()(*args, **kwargs)

    def __getitem__(self, key):
        return self._lmms_get()[key]

    def __iter__(self):
        return iter(self._lmms_get())

    def __len__(self):
        return len(self._lmms_get())

    def __bool__(self):
        return bool(self._lmms_get())

    def __dir__(self):
        return dir(self._lmms_get())

    def __repr__(self):
        return repr(self._lmms_get())

    def __instancecheck__(self, obj):
        return isinstance(obj, self._lmms_get())

    def __subclasscheck__(self, cls):
        return issubclass(cls, self._lmms_get())

    def __mro_entries__(self, bases):
        return (self._lmms_get(),)


def _forward(name):
    def method(self, *args):
        return getattr(self._lmms_get(), name)(*args)

    method.__name__ = name
    return method


# Operators look their method up on the type, never through __getattr__: forward each.
for _op in (
    "add radd sub rsub mul rmul truediv rtruediv floordiv rfloordiv mod rmod pow rpow "
    "matmul rmatmul and rand or ror xor rxor lshift rlshift rshift rrshift neg pos abs "
    "invert eq ne lt le gt ge hash contains str int float index complex round enter exit "
    "setitem delitem reversed format bytes fspath await aiter anext aenter aexit"
).split():
    setattr(_Lazy, "__%s__" % _op, _forward("__%s__" % _op))
del _op


def _lazy_module(name, returns=None):
    """`import name` made lazy; binds `returns` (the top package for `import a.b`)."""

    def load():
        import importlib

        module = importlib.import_module(name)
        return sys.modules[returns] if returns else module

    return _Lazy(load)


def _lazy_attr(module, attr):
    """`from module import attr` made lazy."""

    def load():
        import importlib

        return getattr(importlib.import_module(module), attr)

    return _Lazy(load)


def _rewrite(tree, defer, apply):
    """Rewrites the module-level imports of deferred modules (in `if`/`try`/`with` blocks too,
    never in functions or classes). With apply=False the same walk changes nothing."""
    import ast

    # Exact names, as the projection's edges: deferring `a` leaves `import a.b` eager (and
    # `a` with it: a submodule loads its package); defer `a.b` to make that one lazy.
    def deferred(name):
        return name in defer

    def call(function, *args):
        return ast.Call(
            func=ast.Attribute(
                value=ast.Call(func=ast.Name(id="__import__", ctx=ast.Load()),
                               args=[ast.Constant(value="_lmms_tui")], keywords=[]),
                attr=function, ctx=ast.Load()),
            args=[ast.Constant(value=a) for a in args], keywords=[])

    def assign(target, value):
        return ast.Assign(targets=[ast.Name(id=target, ctx=ast.Store())], value=value)

    def statement(node):
        if isinstance(node, ast.Import):
            kept, lazy = [], []
            for alias in node.names:
                if not deferred(alias.name):
                    kept.append(alias)
                elif alias.asname:
                    lazy.append(assign(alias.asname, call("_lazy_module", alias.name)))
                else:
                    top = alias.name.partition(".")[0]
                    lazy.append(assign(top, call("_lazy_module", alias.name, top)))
            if not lazy or not apply:
                return [node]
            return ([ast.Import(names=kept)] if kept else []) + lazy
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            kept, lazy = [], []
            for alias in node.names:
                full = node.module + "." + alias.name
                bound = alias.asname or alias.name
                if alias.name != "*" and deferred(full) and not deferred(node.module):
                    lazy.append(assign(bound, call("_lazy_module", full)))
                elif alias.name != "*" and deferred(node.module):
                    lazy.append(assign(bound, call("_lazy_attr", node.module, alias.name)))
                else:
                    kept.append(alias)
            if not lazy or not apply:
                return [node]
            return ([ast.ImportFrom(module=node.module, names=kept, level=0)] if kept else []) + lazy
        for field in ("body", "orelse", "finalbody"):
            if isinstance(node, (ast.If, ast.Try, ast.With)) and hasattr(node, field):
                setattr(node, field, block(getattr(node, field)) or [ast.Pass()])
        for handler in getattr(node, "handlers", None) or ():
            handler.body = block(handler.body) or [ast.Pass()]
        return [node]

    def block(body):
        out = []
        for node in body:
            out.extend(statement(node))
        return out

    tree.body = block(tree.body)
    ast.fix_missing_locations(tree)
    return tree


def _compile(source, filename, defer, apply):
    import ast

    tree = _rewrite(ast.parse(source, filename), defer, apply)
    return compile(tree, filename, "exec", dont_inherit=True)


def _install_edit(defer, apply):
    """Program modules compile from source through `_rewrite` (never from or to .pyc files, so an
    edited module cannot leak into another run); a deferred module's first load is attributed."""
    external = sys.modules["_frozen_importlib_external"]

    class EditLoader(external.SourceFileLoader):
        def get_code(self, fullname):
            source = self.get_data(self.path)
            return _compile(source, self.path, defer, apply)

    class Finder:
        def find_spec(self, name, path, target=None):
            if name in defer and not any(f.startswith("loaded\t%s\t" % name) for f in _findings):
                frame = sys._getframe(1)
                importer = _loading(frame)
                if importer is None:
                    outside = _outside(frame)
                    importer = outside.f_globals.get("__name__") if outside else None
                _findings.append("loaded\t%s\t%s" % (name, importer or "?"))
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(name, path, target)
                if spec is None:
                    continue
                if (type(spec.loader) is external.SourceFileLoader
                        and _classify_path(spec.origin) == "program"):
                    spec.loader = EditLoader(name, spec.origin)
                return spec
            return None

    sys.meta_path.insert(0, Finder())


def run_main():
    """Runs the program given after our `-c` code as `python` would have, as `__main__`."""
    import __main__

    args = sys.argv[1:]
    if args[0] == "-m":
        import runpy

        sys.argv = [args[1]] + args[2:]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        return
    if args[0] == "-c":
        source, filename = args[1], "<string>"
        sys.argv = ["-c"] + args[2:]
    else:
        filename = args[0]
        with open(filename, "rb") as f:
            source = f.read()
        sys.argv = list(args)
        sys.path[0] = os.path.dirname(os.path.abspath(filename))
        __main__.__dict__["__file__"] = filename
    code = _compile(source, filename, _DEFER, _APPLY)
    exec(code, __main__.__dict__)


def _chain_to_shadowed():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    ours = sys.modules.pop(_NAME, None)
    sys.modules["_lmms_tui"] = ours
    try:
        import sitecustomize  # noqa: F401  (the one on the path after ours, if any)
    except ImportError:
        if ours is not None:
            sys.modules[_NAME] = ours


if _ENV.get("LMMS_TUI_NO_GC"):
    import gc

    gc.disable()
if _OUT:
    _dumps = []
    if _ENV.get("LMMS_TUI_EDGES"):
        _dumps.append(_install_edges())
    if _ENV.get("LMMS_TUI_MAIN"):
        _install_edit(_DEFER, _APPLY)
    _watch_shutdown()

    def _finish():
        for dump in _dumps:
            dump()
        _dump()

    import atexit

    atexit.register(_finish)
_chain_to_shadowed()
