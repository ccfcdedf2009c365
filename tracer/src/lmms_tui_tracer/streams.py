"""Keeps the program's own standard error apart from CPython's import-time lines.

CPython prints `-X importtime` lines to file descriptor 2, where the program's `sys.stderr`
writes too: a line the program printed could not be told from one the interpreter did (a
program relaying a child's import times would add runs and modules). lmms-tui passes a second
pipe: the program's `sys.stderr` is moved onto it, and a mark with lmms-tui's nonce, written to
descriptor 2 before the program runs, ends this interpreter's start-up: an import-time header
after it is not this run's.
"""
import os
import sys


def move_stderr(fd: "str | None") -> None:
    """Points `sys.stderr` (and `sys.__stderr__`, which programs restore) at descriptor `fd`,
    with the same encoding and error handler; children started later do not inherit it."""
    if not fd or sys.stderr is None:
        return
    try:
        number = int(fd)
        os.set_inheritable(number, False)
    except (ValueError, OSError):
        return
    old = sys.stderr
    old.flush()
    # Loads nothing new: `io` and the stream's codec are loaded at start-up.
    import io

    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.FileIO(number, "w"),
        encoding=getattr(old, "encoding", None) or "utf-8",
        errors=getattr(old, "errors", None) or "backslashreplace",
        line_buffering=True,
        write_through=True,
    )


def mark(nonce: "str | None") -> None:
    """Writes the run's mark straight to descriptor 2, where CPython's lines go."""
    if nonce:
        os.write(2, ("lmms-tui: run " + nonce + "\n").encode("ascii", "replace"))
