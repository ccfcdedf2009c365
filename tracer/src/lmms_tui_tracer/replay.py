"""Requests replayed in the recorded program once its own code has run, one at a time, each
watched for the modules whose code runs while it is served (what it needs: design §4).

Four sources, as the LMMS_TUI_ variables say:
    HANDLER=MODULE:FUNCTION and EVENTS=PATH  FUNCTION(event, context) (a Lambda-like context)
                                             when it takes two parameters, else
                                             FUNCTION(event); PATH a JSON-lines file or a
                                             directory of *.json files (one event each)
    DRIVER=FILE.py                           FILE's `requests()` yields (label, callable)
    PROCESS=LABEL                            the whole process is the request (a CLI's
                                             invocation): watched from before the program
                                             runs, code run while a module loads left out

Watching: on 3.12+ `sys.monitoring` (a PY_START event per code object, disabled once seen and
re-armed for each request); before, `sys.setprofile`. Code objects' modules: their globals'
`__name__` (setprofile) or their file (monitoring). A request that raises is reported with its
exception, never dropped. Each request is a finding:
    "request  LABEL  OUTCOME  WATCHED_US  MODULE..."   OUTCOME `ok` or `raised TYPE: MESSAGE
                                                        (FILE:LINE)`
and "requests  SOURCE" says how they were made; "request-error  TEXT" when they could not be.
"watch-overhead  UNWATCHED_US  WATCHED_US" times a fixed loop of calls both ways: how much slower
watched code runs (the watched times are no timings; none is used as one).
With ONLY=LABEL (the measured edit's runs) that one request runs, unwatched and timed:
    "timed-request  LABEL  MICROSECONDS  OUTCOME"
"""
import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Callable, Dict, Iterator, List, Optional, Set, Tuple

    from . import findings, frames
    from .findings import Findings

    Request = Tuple[str, Callable[[], object]]
else:  # already loaded (see the package docstring)
    findings = sys.modules[__package__ + ".findings"]
    frames = sys.modules[__package__ + ".frames"]


class Source:
    """Where the requests come from (see the module docstring)."""

    def __init__(self, handler: "Optional[str]", events: "Optional[str]",
                 driver: "Optional[str]") -> None:
        self.handler = handler
        self.events = events
        self.driver = driver

    def wanted(self) -> bool:
        return bool(self.driver or (self.handler and self.events))

    def requests(self) -> "Iterator[Request]":
        """The requests, (label, callable) each: the driver's, or the handler's over the
        events."""
        if self.driver:
            return driver_requests(self.driver)
        return iter(handler_requests(self.handler or "", self.events or ""))

    def describe(self) -> str:
        if self.driver:
            return "driver %s" % os.path.basename(self.driver)
        return "handler %s over %s" % (self.handler, os.path.basename(
            (self.events or "").rstrip("/")))


class Context:
    """What AWS Lambda passes a handler as `context`, as far as handlers read it."""

    function_name = "lmms-tui-replay"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:lmms-tui-replay"
    memory_limit_in_mb = "1024"
    log_group_name = "/aws/lambda/lmms-tui-replay"
    log_stream_name = "replay"

    def __init__(self, request_id: str) -> None:
        self.aws_request_id = request_id
        self._deadline = time.monotonic() + 900.0

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


# Fields that name what an event asks for (API Gateway, EventBridge, custom), tried in order.
KIND_FIELDS = ("routeKey", "rawPath", "path", "action", "kind", "type", "detail-type")


def event_label(event: object, where: str, number: int) -> str:
    """`KIND #N` when the event names what it asks for (`report #4`), else where it is."""
    if isinstance(event, dict):
        for field in KIND_FIELDS:
            value = event.get(field)
            if isinstance(value, str) and 0 < len(value) <= 60:
                return "%s #%d" % (value, number)
    return where


def events_of(path: str) -> "List[Tuple[str, object]]":
    """(label, event) for each event: a directory's *.json files by name, or a JSON-lines
    file's non-empty lines (labelled by what they ask for, when they say)."""
    import json

    if os.path.isdir(path):
        out = []
        for name in sorted(os.listdir(path)):
            if name.endswith(".json"):
                with open(os.path.join(path, name), encoding="utf-8") as f:
                    out.append((name, json.load(f)))
        return out
    base = os.path.basename(path)
    out = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                event = json.loads(line)
                out.append((event_label(event, "%s:%d" % (base, number), number), event))
    return out


def handler_of(spec: str) -> "Callable[..., object]":
    """MODULE:FUNCTION, the module taken from sys.modules (the program loaded it), the
    program's script itself when that is the module, else imported."""
    module_name, _, function = spec.partition(":")
    module = sys.modules.get(module_name)
    main = sys.modules.get("__main__")
    main_file = getattr(main, "__file__", None) or ""
    if module is None and os.path.splitext(os.path.basename(main_file))[0] == module_name:
        module = main
    if module is None:
        import importlib

        module = importlib.import_module(module_name)
    target = module  # type: Any
    for part in function.split("."):
        target = getattr(target, part)
    return target  # type: ignore[no-any-return]


def takes_context(function: "Callable[..., object]") -> bool:
    """Whether FUNCTION takes (event, context): its code's positional parameters, a bound
    method's self left out (no `inspect`, which would load modules of its own)."""
    code = getattr(function, "__code__", None)
    if code is None:
        code = getattr(getattr(function, "__call__", None), "__code__", None)
        bound = 1
    else:
        bound = 1 if getattr(function, "__self__", None) is not None else 0
    if code is None:
        return True
    return code.co_argcount - bound >= 2 or bool(code.co_flags & 0x04)  # *args


def handler_requests(spec: str, events: str) -> "List[Request]":
    function = handler_of(spec)
    with_context = takes_context(function)

    def call(event: object, number: int) -> "Callable[[], object]":
        if with_context:
            return lambda: function(event, Context("replay-%d" % number))
        return lambda: function(event)

    return [(label, call(event, n)) for n, (label, event) in enumerate(events_of(events), 1)]


def driver_requests(path: str) -> "Iterator[Request]":
    namespace = {"__name__": "lmms_tui_driver", "__file__": path}  # type: Dict[str, Any]
    with open(path, "rb") as f:
        code = compile(f.read(), path, "exec")
    exec(code, namespace)
    for label, request in namespace["requests"]():
        yield str(label), request


class Loading:
    """How many modules are loading now: importlib's `_load_unlocked` wrapped (every import
    of a module not yet loaded goes through it), so code run by an import can be told from
    code the program runs."""

    def __init__(self) -> None:
        self.depth = 0
        bootstrap = sys.modules["_frozen_importlib"]
        original = bootstrap._load_unlocked

        def load(spec: object) -> object:
            self.depth += 1
            try:
                return original(spec)
            finally:
                self.depth -= 1

        bootstrap._load_unlocked = load


class Watch:
    """The modules whose code runs between `start` and `stop` (with `loading`, only code run
    while no module loads)."""

    def __init__(self, loading: "Optional[Loading]" = None) -> None:
        self.ran = set()  # type: Set[str]
        self.by_file = {}  # type: Dict[str, str]
        self.known = 0
        self.loading = loading
        monitoring = getattr(sys, "monitoring", None)
        self.tool = None  # type: Optional[int]
        if monitoring is not None:
            for tool in (monitoring.PROFILER_ID, 4, 3):
                if monitoring.get_tool(tool) is None:
                    monitoring.use_tool_id(tool, "lmms-tui")
                    monitoring.register_callback(tool, monitoring.events.PY_START, self._code)
                    self.tool = tool
                    break

    def _code(self, code: "CodeType", offset: int) -> object:
        if self.loading is not None and self.loading.depth:
            return None  # run by an import: it may run again for the program
        self.ran.add(code.co_filename)
        return sys.monitoring.DISABLE  # type: ignore[attr-defined]

    def _frame(self, frame: "FrameType", event: str, arg: object) -> None:
        if event == "call" and not (self.loading is not None and self.loading.depth):
            self.ran.add(frame.f_globals.get("__name__") or "")

    def start(self) -> None:
        self.ran = set()
        if self.tool is not None:
            sys.monitoring.restart_events()  # type: ignore[attr-defined]
            sys.monitoring.set_events(  # type: ignore[attr-defined]
                self.tool, sys.monitoring.events.PY_START)  # type: ignore[attr-defined]
        else:
            sys.setprofile(self._frame)

    def stop(self) -> "Set[str]":
        if self.tool is not None:
            sys.monitoring.set_events(self.tool, 0)  # type: ignore[attr-defined]
            return {m for m in (self.module_of(f) for f in self.ran) if m}
        sys.setprofile(None)
        return {m for m in self.ran if m}

    def module_of(self, filename: str) -> "Optional[str]":
        """The module a code object's file belongs to (`<frozen X>` is X)."""
        if filename.startswith("<frozen ") and filename.endswith(">"):
            return filename[len("<frozen "):-1]
        if len(sys.modules) != self.known:
            self.known = len(sys.modules)
            for name, module in list(sys.modules.items()):
                path = getattr(module, "__file__", None)
                if isinstance(path, str):
                    self.by_file.setdefault(os.path.normcase(os.path.abspath(path)), name)
        return self.by_file.get(os.path.normcase(os.path.abspath(filename)))


def watch_process(label: str, found: "Findings") -> None:
    """The whole process as one request (a CLI invocation): watched from now (before the
    program) until the interpreter shuts down; code run while a module loads is the
    import's, not the invocation's. An uncaught exception is its outcome."""
    watch = Watch(Loading())
    raised = []  # type: List[str]
    ran = []  # type: List[Set[str]]
    original_hook = sys.excepthook

    def hook(kind: "Any", error: "Any", tb: "Any") -> None:
        # The watch ends here: printing the traceback runs code of its own.
        ran.append(watch.stop())
        raised.append(raised_text(error))
        original_hook(kind, error, tb)

    sys.excepthook = hook

    def write() -> None:
        took = time.perf_counter() - began
        modules = program_modules(ran[0] if ran else watch.stop())
        outcome = "raised " + raised[0] if raised else "ok"
        found.add("requests", "invocations")
        found.add("request", " ".join(label.split()), outcome, int(took * 1e6), *modules)
        found.write()

    # Hooked before the watch starts: loading threading is no part of the invocation.
    findings.before_shutdown(write)
    began = time.perf_counter()
    watch.start()


def program_modules(ran: "Set[str]") -> "List[str]":
    """The modules watched, sorted, less ours, the driver, the import machinery and
    `__main__` (no module of the trace)."""
    return sorted(m for m in ran if m not in ("__main__", "lmms_tui_driver")
                  and not frames.is_machinery(m))


def raised_text(error: BaseException) -> str:
    """`Type: message (file:line)` of the innermost frame, on one line."""
    where = ""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is not None:
        where = " (%s:%d)" % (os.path.basename(tb.tb_frame.f_code.co_filename), tb.tb_lineno)
    text = "%s: %s%s" % (type(error).__name__, error, where)
    return " ".join(text.split())[:300]


def time_one(source: Source, label: str, found: "Findings") -> None:
    """Runs the request labelled `label` alone, unwatched, timed: "timed-request  LABEL  US
    OUTCOME". The measured edit's runs call it once the program's code has run, so what a
    deferral moves into the request path is measured."""
    try:
        requests = source.requests()
        request = next((r for l, r in requests if " ".join(l.split()) == label), None)
    except BaseException as e:
        found.add("request-error", raised_text(e))
        return
    if request is None:
        found.add("request-error", "no request is labelled %s" % label)
        return
    error = None  # type: Optional[BaseException]
    began = time.perf_counter()
    try:
        request()
    except BaseException as e:
        error = e
    took = time.perf_counter() - began
    outcome = "ok" if error is None else "raised " + raised_text(error)
    found.add("timed-request", label, int(took * 1e6), outcome)


def _calls(n: int) -> int:
    """A fixed workload of Python calls, for `overhead`."""
    total = 0
    for i in range(n):
        total += _one(i)
    return total


def _one(i: int) -> int:
    return i & 7


def overhead(watch: "Watch", calls: int = 20000) -> "Tuple[int, int]":
    """The same Python calls unwatched and watched, µs (best of three each): how much the
    watching slows code, said beside the watched times."""
    def best(watched: bool) -> int:
        times = []
        for _ in range(3):
            if watched:
                watch.start()
            began = time.perf_counter()
            _calls(calls)
            times.append(time.perf_counter() - began)
            if watched:
                watch.stop()
        return int(min(times) * 1e6)

    return best(False), best(True)


def replay(source: Source, found: "Findings") -> None:
    """Runs every request, each watched; a finding per request, and the watching's cost."""
    try:
        requests = source.requests()
        watch = Watch()
    except BaseException as e:  # a bad event file or handler: said, not a crash
        found.add("request-error", raised_text(e))
        return
    found.add("requests", source.describe())
    found.add("watch-overhead", *overhead(watch))
    while True:
        try:
            label, request = next(requests)
        except StopIteration:
            break
        except BaseException as e:
            found.add("request-error", raised_text(e))
            break
        error = None  # type: Optional[BaseException]
        watch.start()
        began = time.perf_counter()
        try:
            request()
        except BaseException as e:
            error = e
        finally:
            took = time.perf_counter() - began
            ran = watch.stop()
        # Said once the watch is off: the telling runs code of its own.
        outcome = "ok" if error is None else "raised " + raised_text(error)
        found.add("request", " ".join(label.split()), outcome, int(took * 1e6),
                  *program_modules(ran))
