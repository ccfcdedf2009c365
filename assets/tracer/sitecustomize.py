"""lmms-tui's helper for `lmms-tui record`, injected with PYTHONPATH, never in timed runs.

LMMS_TUI_EDGES=FILE  records every import statement (importer -> imported), including imports
                     of modules already loaded, and writes them to FILE at exit, one
                     "importer<TAB>imported" a line. Imports made from C code that bypasses
                     builtins.__import__ (Cython's) are not seen before Python 3.14.
LMMS_TUI_LAZY=A,B    really defers modules A and B: their imports return lazy modules
                     (importlib.util.LazyLoader) that load on first attribute access.

Whatever sitecustomize this one shadows still runs afterwards.
"""
import builtins
import os
import sys


def _install_edges(path):
    import atexit
    import importlib

    edges = set()
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

    def record(importer, target, fromlist):
        if not importer or not target:
            return
        edges.add((importer, target))
        # A submodule needs its package: a.b.c imports a.b, which imports a.
        parts = target.split(".")
        for i in range(len(parts) - 1, 0, -1):
            edges.add((".".join(parts[: i + 1]), ".".join(parts[:i])))
        for item in fromlist or ():
            if isinstance(item, str) and item != "*":
                sub = target + "." + item
                if sub in sys.modules:
                    edges.add((importer, sub))

    def traced_import(name, globals=None, locals=None, fromlist=(), level=0):
        module = original_import(name, globals, locals, fromlist, level)
        try:
            importer = (globals or {}).get("__name__")
            record(importer, resolve(name, globals, level), fromlist)
        except Exception:
            pass
        return module

    def traced_import_module(name, package=None):
        module = original_import_module(name, package)
        try:
            importer = sys._getframe(1).f_globals.get("__name__")
            record(importer, module.__name__, ())
        except Exception:
            pass
        return module

    def dump():
        with open(path, "w", encoding="utf-8") as f:
            for importer, target in sorted(edges):
                f.write(importer + "\t" + target + "\n")

    builtins.__import__ = traced_import
    importlib.import_module = traced_import_module
    atexit.register(dump)


def _install_lazy(names):
    import importlib.abc
    import importlib.util

    class LazyFinder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name not in names:
                return None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(name, path, target)
                if spec is not None:
                    if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                        spec.loader = importlib.util.LazyLoader(spec.loader)
                    return spec
            return None

    sys.meta_path.insert(0, LazyFinder())


def _chain_to_shadowed():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    ours = sys.modules.pop("sitecustomize", None)
    try:
        import sitecustomize  # noqa: F401  (the one on the path after ours, if any)
    except ImportError:
        if ours is not None:
            sys.modules["sitecustomize"] = ours


if os.environ.get("LMMS_TUI_EDGES"):
    _install_edges(os.environ["LMMS_TUI_EDGES"])
if os.environ.get("LMMS_TUI_LAZY"):
    _install_lazy(set(filter(None, os.environ["LMMS_TUI_LAZY"].split(","))))
_chain_to_shadowed()
