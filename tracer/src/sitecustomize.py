"""lmms-tui's tracer for `lmms-tui record`, put first on PYTHONPATH (never in plain timed runs).

The work is done by the package `lmms_tui_tracer` beside this file (its docstring says what
the LMMS_TUI_ variables ask for). Its modules are loaded straight from their files, not
imported: an import would print `-X importtime` lines of ours into the program's trace.
Whatever sitecustomize this one shadows still runs afterwards.
"""
import os
import sys

_STARTUP = set(sys.modules)  # loaded before the program: interpreter start-up
_HERE = os.path.dirname(os.path.abspath(__file__))


def _load(name: str, path: str, package_dir: "str | None" = None) -> object:
    """Executes one file of ours as module `name`, through importlib's own loader (always
    loaded at start-up), which prints no import-time line."""
    external = sys.modules["_frozen_importlib_external"]
    bootstrap = sys.modules["_frozen_importlib"]
    locations = [package_dir] if package_dir else None
    spec = external.spec_from_file_location(name, path, submodule_search_locations=locations)
    module = bootstrap.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _load_tracer() -> object:
    root = os.path.join(_HERE, "lmms_tui_tracer")
    package = _load("lmms_tui_tracer", os.path.join(root, "__init__.py"), root)
    for part in package.MODULES:
        module = _load("lmms_tui_tracer." + part, os.path.join(root, part + ".py"))
        setattr(package, part, module)
    return package


def _chain_to_shadowed(ours: object) -> None:
    """Runs the sitecustomize ours shadows (the next one on sys.path), if there is one."""
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
    shim = sys.modules.pop(__name__, None)
    sys.modules["_lmms_tui"] = ours  # what edited programs call: lazy bindings, run_main
    try:
        import sitecustomize  # noqa: F401  (the one on the path after ours, if any)
    except ImportError:
        if shim is not None:
            sys.modules[__name__] = shim


_tracer = _load_tracer()
_tracer.boot.start(_STARTUP, _HERE, __name__)
_chain_to_shadowed(_tracer)
