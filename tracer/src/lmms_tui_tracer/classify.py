"""A module's class from its origin: program, third-party, stdlib, startup — or lmms-tui for
our own files. The same rule decides which modules the measured edit rewrites."""
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterable, Optional, Tuple

    Classify = Callable[[str, object], Tuple[str, Optional[str]]]

MARKS = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep)


def norm(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _under(path: str, roots: "Iterable[str]") -> bool:
    return any(path == r or path.startswith(r + os.sep) for r in roots)


def _site_roots() -> "set[str]":
    import site

    roots = set()
    try:
        roots.update(site.getsitepackages())
    except Exception:
        pass
    try:
        roots.add(site.getusersitepackages())
    except Exception:
        pass
    return {p for p in roots if p}


def origin_of(module: object) -> "str | None":
    """Where a module was loaded from: its spec's origin, file, or first package directory."""
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) or getattr(module, "__file__", None)
    if origin in (None, "namespace"):
        locations = list(getattr(spec, "submodule_search_locations", None) or ())
        origin = locations[0] if locations else None
    return origin


class Classifier:
    """Classes modules for one interpreter: its site-packages, its stdlib, our directory."""

    def __init__(self, startup: "set[str]", here: str, third: "set[str] | None" = None,
                 stdlib: "str | None" = None) -> None:
        self.startup = startup
        # Each root as written and resolved: most origins match one as written, with no system
        # call (the edit runs classify every module they load, and must stay cheap).
        third = _site_roots() if third is None else third
        self.third = third | {norm(p) for p in third}
        stdlib = os.path.dirname(os.__file__) if stdlib is None else stdlib
        self.stdlib = {stdlib, norm(stdlib)}
        self.here = norm(here)

    def path(self, origin: "str | None") -> str:
        """The class of a file (or `built-in`, `frozen`) alone."""
        if origin is None:
            return "unknown"
        if origin in ("built-in", "frozen"):
            return "stdlib"
        for path in (origin, None):
            # Resolved only when the path as written matches no root.
            path = norm(origin) if path is None else path
            if _under(path, self.third) or any(m in path for m in MARKS):
                return "third-party"
            if _under(path, self.stdlib):
                return "stdlib"
        if _under(norm(origin), {self.here}):
            return "lmms-tui"
        return "program"

    def module(self, name: str, module: object) -> "Tuple[str, Optional[str]]":
        """(class, origin) of a loaded module."""
        origin = origin_of(module)
        if name == "__main__":
            return "program", origin
        if module is sys.modules.get("_lmms_tui"):
            return "lmms-tui", origin
        if name in self.startup:
            return "startup", origin
        return self.path(origin), origin
