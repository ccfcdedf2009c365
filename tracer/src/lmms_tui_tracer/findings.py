"""The findings file, written at exit: one finding a tab-separated line (the package docstring
lists them), and the modules first imported after the program ended."""
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterable

    from .classify import Classifier


def before_shutdown(callback: "Callable[[], None]") -> None:
    """Runs `callback` once the program's code has ended, before the interpreter shuts down:
    CPython calls threading._shutdown first when finalising (atexit handlers, which may tear
    the program down, run after it)."""
    import threading

    original = threading._shutdown  # type: ignore[attr-defined]

    def shutdown() -> None:
        callback()
        return original()

    threading._shutdown = shutdown  # type: ignore[attr-defined]


class Findings:
    """What this run found, in the order found; written once, at exit."""

    def __init__(self, out: str, classifier: "Classifier") -> None:
        self.out = out
        self.classifier = classifier
        self.lines = []  # type: list[str]
        self.at_shutdown = None  # type: set[str] | None

    def add(self, *fields: object) -> None:
        self.lines.append("\t".join("" if f is None else str(f) for f in fields))

    def extend(self, lines: "Iterable[str]") -> None:
        self.lines.extend(lines)

    def has(self, prefix: str) -> bool:
        return any(line.startswith(prefix) for line in self.lines)

    def watch_shutdown(self) -> None:
        """Marks the end of the program (`before_shutdown`): what is imported after that is
        the interpreter's, not the program's."""

        def mark() -> None:
            self.at_shutdown = set(sys.modules)

        before_shutdown(mark)

    def module_lines(self) -> "list[str]":
        """A line per loaded module with its class and origin; ours are left out."""
        lines = []
        for name, module in sorted(sys.modules.items()):
            try:
                cls, origin = self.classifier.module(name, module)
            except Exception:
                cls, origin = "unknown", None
            if cls != "lmms-tui":
                lines.append("module\t%s\t%s\t%s" % (name, cls, origin or ""))
        return lines

    def write(self) -> None:
        lines = list(self.lines)
        if self.at_shutdown is not None:
            late = sorted(set(sys.modules) - self.at_shutdown)
            lines.extend("shutdown\t" + n for n in late)
        lines.extend(self.module_lines())
        try:
            with open(self.out, "w", encoding="utf-8") as f:
                f.write("".join(line.replace("\n", " ") + "\n" for line in lines))
        except OSError:
            pass
