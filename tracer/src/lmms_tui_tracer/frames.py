"""Who imports, seen from the frames. Frames of the import machinery and of this package are
nobody: an edge is credited to a module, or left out — never invented."""
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType
    from typing import Callable, Optional

MACHINERY = {
    "importlib._bootstrap", "importlib._bootstrap_external", "_frozen_importlib",
    "_frozen_importlib_external", "sitecustomize", "_lmms_tui",
}
OURS = "lmms_tui_tracer"


def is_machinery(name: "str | None") -> bool:
    """Whether a frame of module `name` is import machinery (or lmms-tui's own code)."""
    if not name:
        return True
    return name in MACHINERY or name == OURS or name.startswith(OURS + ".")


def importer(frame: "Optional[FrameType]") -> "str | None":
    """Who imports, seen from the innermost Python frame: its module — unless that is the import
    machinery (or ours). Then C code is importing: an extension initialising, or a C callable run
    by the `from … import` machinery (a module `__getattr__`). When the machinery frame is the
    one that runs a module's own code (`_call_with_frames_removed`) or resolves a `from` list,
    the module being loaded at that moment is credited; importlib's own imports (`_io` to read a
    file) are nobody's: None."""
    name = frame.f_globals.get("__name__") if frame is not None else None
    if not is_machinery(name):
        return name
    if frame is not None and frame.f_code.co_name in (
            "_call_with_frames_removed", "_handle_fromlist"):
        return loading(frame)
    return None


def loading(frame: "Optional[FrameType]") -> "str | None":
    """The module whose loading `frame` is part of: importlib's innermost `_load_unlocked`."""
    while frame is not None:
        if frame.f_code.co_name == "_load_unlocked":
            spec = frame.f_locals.get("spec")
            if spec is not None:
                return spec.name
        frame = frame.f_back
    return None


def outside(frame: "Optional[FrameType]", also: "tuple[str, ...]" = ()) -> "Optional[FrameType]":
    """The innermost frame that is not import machinery (nor of a module in `also`)."""
    while frame is not None:
        name = frame.f_globals.get("__name__")
        if not is_machinery(name) and name not in also:
            return frame
        frame = frame.f_back
    return None


def site_namer(path_entries: "list[object]") -> "Callable[[str], str]":
    """A source file as a Python developer names it: relative to the sys.path entry it is under
    (`requests/__init__.py`, `handler.py`), the longest such entry winning; else as it is."""
    entries = sorted(
        {os.path.abspath(p or os.curdir) for p in path_entries if isinstance(p, str)},
        key=len, reverse=True)

    def show(path: str) -> str:
        if path.startswith("<"):
            return path
        full = os.path.abspath(path)
        for entry in entries:
            if full.startswith(entry.rstrip(os.sep) + os.sep):
                return full[len(entry.rstrip(os.sep)) + 1:]
        return path

    return show

