"""The LMMS_TUI_ variables: read once, and taken out of the environment so that the program's
child processes are no part of this run."""
import os

PREFIX = "LMMS_TUI_"


class Settings:
    """What this run was asked to do (the package docstring lists the variables)."""

    def __init__(self, variables: "dict[str, str]") -> None:
        self.out = variables.get(PREFIX + "OUT")  # type: str | None
        self.defer = [d for d in variables.get(PREFIX + "DEFER", "").split(",") if d]
        self.apply = variables.get(PREFIX + "APPLY") == "1"
        self.edges = bool(variables.get(PREFIX + "EDGES"))
        self.no_gc = bool(variables.get(PREFIX + "NO_GC"))
        self.only_main = bool(variables.get(PREFIX + "ONLY_MAIN"))
        self.run_main = bool(variables.get(PREFIX + "MAIN"))
        self.ack = variables.get(PREFIX + "ACK")  # type: str | None
        self.mark = variables.get(PREFIX + "MARK")  # type: str | None
        self.stderr_fd = variables.get(PREFIX + "STDERR_FD")  # type: str | None
        self.handler = variables.get(PREFIX + "HANDLER")  # type: str | None
        self.events = variables.get(PREFIX + "EVENTS")  # type: str | None
        self.driver = variables.get(PREFIX + "DRIVER")  # type: str | None
        self.only = variables.get(PREFIX + "ONLY")  # type: str | None
        self.process = variables.get(PREFIX + "PROCESS")  # type: str | None


def take(environ: "dict[str, str] | os._Environ[str]") -> Settings:
    """The settings in `environ`, each LMMS_TUI_ variable removed from it."""
    ours = {k: environ.pop(k) for k in list(environ) if k.startswith(PREFIX)}
    return Settings(ours)


def acknowledge(path: "str | None") -> None:
    """Writes the acknowledgement file at once: lmms-tui then knows the tracer was loaded."""
    if not path:
        return
    try:
        with open(path, "w") as f:
            f.write("ack\n")
    except OSError:
        pass
