"""Loads the tracer's package for a test: each module in its load order, as `sitecustomize`
does, with `tracer/src` first on sys.path."""
import importlib
import os
import sys

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def tracer() -> object:
    """The package, every module loaded."""
    if SRC not in sys.path:
        sys.path.insert(0, SRC)
    package = importlib.import_module("lmms_tui_tracer")
    for part in package.MODULES:  # type: ignore[attr-defined]
        importlib.import_module("lmms_tui_tracer." + part)
    sys.modules.setdefault("_lmms_tui", package)  # what rewritten code calls
    return package


def part(name: str) -> object:
    tracer()
    return sys.modules["lmms_tui_tracer." + name]
