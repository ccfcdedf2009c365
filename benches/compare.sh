#!/usr/bin/env bash
# Whole-process timings on synthetic traces of 1k–1M modules, in one run, alternating:
# lmms-tui's text and JSON reports next to the floor parser (benches/floor.rs: reads every
# line and links parents, nothing more) and tuna's parser (`tuna.read_import_profile`, timed
# inside Python so its interpreter start-up is not counted against it), as medians with
# ratios. The README's performance table comes from this script.
#
#   benches/compare.sh                  # 1k 10k 100k 200k 1M, 5 rounds
#   SIZES="200000" ROUNDS=9 benches/compare.sh
#   TUNA_PYTHON=/path/to/venv/bin/python benches/compare.sh   # a Python with tuna installed
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${SIZES:-1000 10000 100000 200000 1000000}"
ROUNDS="${ROUNDS:-5}"
PYTHON="${TUNA_PYTHON:-python3}"

cargo build --release --quiet --bin lmms-tui --example synth_trace --example floor_parser
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
for n in $SIZES; do
    target/release/examples/synth_trace "$n" 42 > "$dir/$n.txt"
done

"$PYTHON" - "$dir" "$ROUNDS" "$PYTHON" $SIZES <<'PY'
import os, platform, statistics, subprocess, sys, time

folder, rounds, python, sizes = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
try:
    import tuna  # noqa: F401
    have_tuna = True
except ImportError:
    have_tuna = False

TUNA = ("import sys, time, tuna\n"
        "t = time.perf_counter(); tuna.read_import_profile(sys.argv[1])\n"
        "print(time.perf_counter() - t)")

def run(cmd, capture=False):
    """(wall s, cpu s, peak RSS MiB, stdout) of one process; output goes to /dev/null unless
    captured, so no pipe's reader is timed."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    out = proc.stdout.read() if capture else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{cmd}: exit status {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out

def median(xs):
    return statistics.median(xs)

print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
      f"{platform.release()}; Python {platform.python_version()}; "
      f"tuna {'installed' if have_tuna else 'not installed (TUNA_PYTHON=...)'}; "
      f"{rounds} rounds, alternating; medians")
print()
print(f"{'modules':>9} {'floor s':>8} {'text s':>8} {'×floor':>7} {'json s':>8} {'×floor':>7} "
      f"{'tuna s':>8} {'tuna/json':>9} {'text RSS MiB':>12}")
for n in sizes:
    trace = os.path.join(folder, f"{n}.txt")
    cmds = {
        "floor": ["target/release/examples/floor_parser", trace],
        "text": ["target/release/lmms-tui", "report", trace],
        "json": ["target/release/lmms-tui", "report", "--format", "json", trace],
    }
    times = {k: [] for k in cmds}
    tuna_times, rss = [], []
    for _ in range(rounds):
        for name, cmd in cmds.items():
            wall, cpu, peak, _ = run(cmd)
            times[name].append(wall)
            if name == "text":
                rss.append(peak)
        if have_tuna:
            _, _, _, out = run([python, "-c", TUNA, trace], capture=True)
            tuna_times.append(float(out.decode().strip()))
    floor, text, js = (median(times[k]) for k in ("floor", "text", "json"))
    tuna_s = median(tuna_times) if tuna_times else None
    print(f"{int(n):>9} {floor:>8.3f} {text:>8.3f} {text / floor:>7.1f} {js:>8.3f} "
          f"{js / floor:>7.1f} "
          + (f"{tuna_s:>8.3f} {tuna_s / js:>9.1f}" if tuna_s else f"{'–':>8} {'–':>9}")
          + f" {median(rss):>12.0f}")
PY
