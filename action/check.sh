#!/usr/bin/env bash
# The action's work after installing (action.yml): record, then check with GitHub annotations
# and a job summary. Inputs come as INPUT_* variables; tests/it/action.rs runs this script.
set -euo pipefail

: "${INPUT_COMMAND:?the command input is required}"
runs="${INPUT_RUNS:-7}"
trace="${INPUT_TRACE:-lmms-trace.json}"

# The command is the workflow author's own command line, split as the shell splits it.
eval "command=($INPUT_COMMAND)"
lmms-tui record --runs "$runs" -o "$trace" -- "${command[@]}"

args=(check "$trace" --format github)
if [ -n "${INPUT_BASELINE:-}" ]; then
    args+=(--baseline "$INPUT_BASELINE")
fi
if [ -n "${INPUT_BUDGET_MS:-}" ]; then
    args+=(--budget-ms "$INPUT_BUDGET_MS")
fi
if [ -n "${INPUT_ARGS:-}" ]; then
    eval "extra=($INPUT_ARGS)"
    args+=("${extra[@]}")
fi
lmms-tui "${args[@]}"
