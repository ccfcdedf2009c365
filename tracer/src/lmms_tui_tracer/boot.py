"""Wires the tracer's parts as the LMMS_TUI_ variables ask; `sitecustomize` calls `start`."""
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, List

    from . import classify, edges, findings, program, settings, streams
else:  # already loaded (see the package docstring)
    classify = sys.modules[__package__ + ".classify"]
    edges = sys.modules[__package__ + ".edges"]
    findings = sys.modules[__package__ + ".findings"]
    program = sys.modules[__package__ + ".program"]
    settings = sys.modules[__package__ + ".settings"]
    streams = sys.modules[__package__ + ".streams"]


def start(startup: "set[str]", here: str, shim: str) -> None:
    """Starts what this run asks for. `startup`: the modules loaded before the program; `here`:
    the directory our files are in; `shim`: the module name that loaded us."""
    asked = settings.take(os.environ)
    if asked.only_main:
        # Child processes (multiprocessing's spawn, subprocess) inherit the environment: without
        # this they would print their own import times into the same standard error.
        os.environ.pop("PYTHONPROFILEIMPORTTIME", None)
    settings.acknowledge(asked.ack)
    streams.move_stderr(asked.stderr_fd)
    streams.mark(asked.mark)
    if asked.no_gc:
        import gc

        gc.disable()
    if not asked.out:
        return
    # The shim is ours (its file is under `here`), not interpreter start-up.
    classifier = classify.Classifier(startup - {shim}, here)
    found = findings.Findings(asked.out, classifier)
    dumps = []  # type: List[Callable[[], None]]
    if asked.edges:
        dumps.append(edges.install(found, classifier))
    if asked.run_main:
        # `run_main` writes the findings when the program's code ends: neither atexit nor
        # threading is loaded for them, so the edit's runs load what the program does.
        program.install(program.Edit(asked.defer, asked.apply), found, classifier)
        return
    found.watch_shutdown()

    def finish() -> None:
        for dump in dumps:
            dump()
        found.write()

    import atexit

    atexit.register(finish)
