#!/usr/bin/env bash
# scripts/bench/startup.sh — what every gantry command pays before it does anything: start-up.
#
# What it measures (release build, hyperfine -N: no shell, --warmup 5, --runs $RUNS, medians),
# side by side in one hyperfine run:
#   1. `gantry --version`, beside `git --version` (goal: <= 5 ms).
#   2. `gantry validate` on the bundled example (example/gantry.yml).
#   3. What loading libcurl at start-up would cost again: `gantry --version` with libcurl.so.4
#      preloaded (LD_PRELOAD), as when the binary linked it, beside the same through `env` alone.
#      gantry loads libcurl with dlopen only when a command makes its first request.
#   It exits non-zero only if something fails to run, never because a goal is missed.
#
# Usage
#   scripts/bench/startup.sh
#   RUNS=100 GANTRY_BIN=/path/to/gantry scripts/bench/startup.sh
#
# Requires: bash, git, python3 (stdlib), hyperfine (installed with apt-get when missing).
set -euo pipefail

RUNS="${RUNS:-50}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"

source "$script_dir/common.sh"

[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 2 ]] || die "RUNS must be an integer >= 2 (got '$RUNS')"
for tool in git python3; do
  command -v "$tool" >/dev/null || die "$tool not found in PATH"
done
command -v hyperfine >/dev/null || "$root/scripts/apt-install.sh" hyperfine || die "apt-get install hyperfine failed"

unset GITHUB_ACTIONS GITHUB_OUTPUT GITHUB_ENV GITHUB_STEP_SUMMARY RUNNER_TEMP
export LC_ALL=C

work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-bench-startup.XXXXXX")"
trap 'rm -rf "$work"' EXIT

locate_gantry "$root"
libcurl="$(ldconfig -p | awk '$1 == "libcurl.so.4" { print $NF; exit }')"
[[ -n "$libcurl" ]] || die "libcurl.so.4 is not in the loader's cache (ldconfig -p); install libcurl4"

cp -R "$root/example/." "$work/example"
(cd "$work/example" && "$gantry" validate >/dev/null) || die "gantry validate fails on the example"

step "start-up: hyperfine -N --warmup 5 --runs $RUNS (load: $(cut -d' ' -f1-3 /proc/loadavg))"
q() { printf '%q' "$1"; }
(cd "$work/example" && hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$work/startup.json" \
  --command-name "git --version" "git --version" \
  --command-name "gantry --version" "$(q "$gantry") --version" \
  --command-name "gantry validate (example)" "$(q "$gantry") validate" \
  --command-name "env gantry --version" "env $(q "$gantry") --version" \
  --command-name "env LD_PRELOAD=libcurl gantry --version" "env LD_PRELOAD=$(q "$libcurl") $(q "$gantry") --version" \
  >/dev/null) || die "hyperfine failed"

python3 - "$work/startup.json" <<'PY'
import json, sys
results = {r["command"]: r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
version = results["gantry --version"]
curl = results["env LD_PRELOAD=libcurl gantry --version"] - results["env gantry --version"]
print()
print(f"{'':40}  {'median':>9}")
for name, ms in results.items():
    print(f"{name:40}  {ms:7.2f} ms")
print()
print(f"gantry --version: {version:.2f} ms, {version / results['git --version']:.1f}x git --version "
      f"(goal <= 5 ms) [{'met' if version <= 5 else 'MISSED'}]")
print(f"libcurl, were it loaded at start-up: +{curl:.2f} ms")
PY
