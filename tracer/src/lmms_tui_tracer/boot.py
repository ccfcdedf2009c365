"""Wires the tracer's parts as the LMMS_TUI_ variables ask; `sitecustomize` calls `start`."""
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, List

    from . import classify, edges, findings, program, replay, settings, streams
else:  # already loaded (see the package docstring)
    classify = sys.modules[__package__ + ".classify"]
    replay = sys.modules[__package__ + ".replay"]
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
    source = replay.Source(asked.handler, asked.events, asked.driver)
    if asked.run_main:
        # `run_main` writes the findings when the program's code ends: neither atexit nor
        # threading is loaded for them, so the edit's runs load what the program does. It
        # times one request first when asked.
        timed = (source, asked.only) if source.wanted() and asked.only else None
        program.install(program.Edit(asked.defer, asked.apply, timed), found, classifier)
        return
    if source.wanted():
        replay_before_shutdown(source, found)
        return
    if asked.process is not None:
        replay.watch_process(asked.process, found)
        return
    found.watch_shutdown()

    def finish() -> None:
        for dump in dumps:
            dump()
        found.write()

    import atexit

    atexit.register(finish)


def replay_before_shutdown(source: "replay.Source", found: "findings.Findings") -> None:
    """Replays the requests once the program's code has ended (`findings.before_shutdown`);
    then writes the findings."""

    def replay_then_write() -> None:
        try:
            replay.replay(source, found)
        finally:
            found.write()

    findings.before_shutdown(replay_then_write)
