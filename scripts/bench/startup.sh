#!/usr/bin/env bash
# scripts/bench/startup.sh — what every gantry command pays before it does anything: start-up.
#
# What it measures (release build; scripts/bench/alternate.py --no-shell: no shell, 5 warm-up
# rounds, $RUNS rounds, each round runs every command once in rotating order, so every command sees
# the same load on a shared machine; medians), side by side in one run:
#   1. `gantry --version`, beside `git --version` (goal: <= 5 ms).
#   2. `gantry validate` on the bundled example (example/gantry.yml).
#   3. `gantry env status` and `gantry gate --tcp` on a listening loopback port in the example:
#      commands that need the repository's root but not libgit2 (they find it by reading `.git`).
#   4. What loading libcurl at start-up would cost again: `gantry --version` with libcurl.so.4
#      preloaded (LD_PRELOAD), as when the binary linked it, beside the same through `env` alone.
#      gantry loads libcurl with dlopen only when a command makes its first request.
#   It prints the issue's table row it owns (figure, now, goal, met or missed), and exits non-zero
#   only if something fails to run, never because a goal is missed.
#
# Usage
#   scripts/bench/startup.sh
#   RUNS=100 GANTRY_BIN=/path/to/gantry scripts/bench/startup.sh
#
# Requires: bash, git, python3 (stdlib).
set -euo pipefail

RUNS="${RUNS:-50}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"

source "$script_dir/common.sh"

[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 2 ]] || die "RUNS must be an integer >= 2 (got '$RUNS')"
for tool in git python3; do
  command -v "$tool" >/dev/null || die "$tool not found in PATH"
done

unset GITHUB_ACTIONS GITHUB_OUTPUT GITHUB_ENV GITHUB_STEP_SUMMARY RUNNER_TEMP
export LC_ALL=C

work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-bench-startup.XXXXXX")"
trap 'rm -rf "$work"' EXIT

locate_gantry "$root"
libcurl="$(ldconfig -p | awk '$1 == "libcurl.so.4" && !found { print $NF; found = 1 }')"
[[ -n "$libcurl" ]] || die "libcurl.so.4 is not in the loader's cache (ldconfig -p); install libcurl4"

cp -R "$root/example/." "$work/example"
git -C "$work/example" init -q && git -C "$work/example" add -A \
  && git -C "$work/example" -c user.name=bench -c user.email=bench@localhost commit -qm example \
  || die "cannot make the example a repository"
(cd "$work/example" && "$gantry" validate >/dev/null) || die "gantry validate fails on the example"

# A listener for `gate --tcp`: accepts and closes, for as long as the benchmark runs.
python3 -c 'import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64); print(s.getsockname()[1], flush=True); sys.stdout.close()
while True: s.accept()[0].close()' >"$work/port" &
listener=$!
trap 'kill "$listener" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [[ -s "$work/port" ]] && break; sleep 0.1; done
port="$(cat "$work/port")"
[[ -n "$port" ]] || die "the loopback listener did not start"

step "start-up: alternating, no shell, 5 warm-up rounds, $RUNS rounds (load: $(cut -d' ' -f1-3 /proc/loadavg))"
q() { printf '%q' "$1"; }
(cd "$work/example" && python3 "$script_dir/alternate.py" --no-shell --warmup 5 --runs "$RUNS" --export-json "$work/startup.json" \
  --command "git --version" "git --version" \
  --command "gantry --version" "$(q "$gantry") --version" \
  --command "gantry validate (example)" "$(q "$gantry") validate" \
  --command "gantry env status (example)" "$(q "$gantry") env status" \
  --command "gantry gate --tcp (example)" "$(q "$gantry") gate --tcp 127.0.0.1:$port" \
  --command "env gantry --version" "env $(q "$gantry") --version" \
  --command "env LD_PRELOAD=libcurl gantry --version" "env LD_PRELOAD=$(q "$libcurl") $(q "$gantry") --version") \
  || die "timing failed"

python3 - "$work/startup.json" "$RUNS" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
loaded = json.load(open(sys.argv[1]))["results"]
results = {r["name"]: r["median"] * 1000 for r in loaded}
cpu = {r["name"]: r["cpu"] * 1000 for r in loaded}
runs, load = sys.argv[2], sys.argv[3]
version, git = results["gantry --version"], results["git --version"]
curl = results["env LD_PRELOAD=libcurl gantry --version"] - results["env gantry --version"]
mark = lambda ok: "met" if ok else "missed"
print()
print("==> summary (medians of alternating runs)")
print("| figure | now | goal | |")
print("| --- | --- | --- | --- |")
print(f"| `gantry --version`, median of {runs} | {version:.1f} ms, CPU {cpu['gantry --version']:.1f} ms "
      f"(`git --version`: {git:.1f} ms, CPU {cpu['git --version']:.1f} ms) | ≤ 5 ms | {mark(version <= 5)} |")
print(f"| `gantry validate` on the example | {results['gantry validate (example)']:.1f} ms, "
      f"CPU {cpu['gantry validate (example)']:.1f} ms | | |")
for name in ("gantry env status (example)", "gantry gate --tcp (example)"):
    print(f"| `{name.split(' (')[0]}` on the example | {results[name]:.1f} ms, CPU {cpu[name]:.1f} ms | | |")
print(f"| libcurl, were it loaded at start-up | +{curl:.1f} ms | | |")
print(f"(load average {load})")
PY
