#!/usr/bin/env python3
"""Whole-process time to the explorer's first screen: starts `lmms-tui TRACE` in a
pseudo-terminal (120×40) and times until the screen shows MARKER (a module name) and the key
bar, five times; prints the sorted times and the median.

    python3 benches/first_frame.py target/release/lmms-tui /tmp/200000.txt [MARKER]

(`target/release/examples/synth_trace 200000 42 > /tmp/200000.txt` makes a trace whose first
module is `pkg0`, the default MARKER.)
"""
import fcntl, os, pty, select, signal, struct, sys, termios, time


def once(binary, trace, marker):
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(binary, [binary, trace])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen = b""
    try:
        while marker not in seen or b"quit" not in seen:
            if not select.select([fd], [], [], 30)[0]:
                sys.exit("no first screen within 30 s")
            chunk = os.read(fd, 1 << 16)
            if b"\x1b[6n" in chunk:  # a cursor position query: answer it
                os.write(fd, b"\x1b[1;1R")
            seen += chunk
        return time.perf_counter() - start
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


if __name__ == "__main__":
    binary, trace = sys.argv[1], sys.argv[2]
    marker = (sys.argv[3] if len(sys.argv) > 3 else "pkg0").encode()
    times = sorted(once(binary, trace, marker) for _ in range(5))
    print(" ".join(f"{t * 1000:.0f}" for t in times), f"ms; median {times[2] * 1000:.0f} ms")
