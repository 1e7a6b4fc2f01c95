#!/usr/bin/env bash
# scripts/bench/env.sh — benchmark gantry's ephemeral environments (the process provider).
#
# What it measures
#   1. Overhead: `gantry env up` + `gantry env down` of 20 trivial TCP services
#      (python3 server.py ${port}: bind, listen, accept and close) plus a 21st,
#      `gateway` (exec sleep 600), that depends on all 20, so `env up` returns
#      only once every one of them accepts connections (its tcp health check).
#      The reference is a plain python3 script that does the same work with no
#      bookkeeping: starts the same 21 commands through /bin/sh, each in a
#      session of its own, polls the 20 ports every 5 ms until each accepts,
#      sends SIGTERM to every session and waits until no process of any of them
#      is left. gantry's overhead = median(gantry up+down) - median(reference).
#      Goal: <= 0.2 s.
#   2. Bookkeeping alone: the same with 20 `exec sleep 600` services and no
#      health checks (nothing to wait for), against the same kind of reference.
#   3. Teardown of a service that ignores SIGTERM (`trap '' TERM; exec sleep
#      600`) with `grace: 1s` and `grace: 3s`: `gantry env down` alone, the
#      environment brought up by hyperfine's --prepare. Goal: grace + <= 0.3 s.
#   1 and 2 run gantry and its reference alternately (scripts/bench/alternate.py: 1 warm-up round,
#   $RUNS rounds, each round runs both once in rotating order), so both see the same load on a
#   shared machine; 3 compares with nothing and is a hyperfine median (it needs --prepare). Medians
#   throughout. It prints the issue's table rows it owns (figure, now, goal, met or missed), and
#   exits non-zero only if something fails to run, never because a goal is missed.
#
# Usage
#   scripts/bench/env.sh
#   RUNS=20 GANTRY_BIN=/path/to/gantry scripts/bench/env.sh
#
# Environment
#   RUNS        rounds per measurement (default 10; teardown uses half).
#   GANTRY_BIN  an existing gantry binary; when unset the script runs
#               `swift build -c release --static-swift-stdlib --product gantry`.
#
# Requires: bash, git, python3 (stdlib), hyperfine (installed with apt-get when
# missing). GITHUB_ACTIONS and GITHUB_OUTPUT are unset so gantry works in local
# mode; GANTRY_REGISTRY points into the scratch directory so the machine's
# registry is not touched.
set -euo pipefail

RUNS="${RUNS:-10}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"

source "$script_dir/common.sh"

for tool in git python3; do
  command -v "$tool" >/dev/null || die "$tool not found in PATH"
done
command -v hyperfine >/dev/null || "$root/scripts/apt-install.sh" hyperfine || die "apt-get install hyperfine failed"
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 2 ]] || die "RUNS must be an integer >= 2 (got '$RUNS')"

unset GITHUB_ACTIONS GITHUB_OUTPUT GITHUB_ENV GITHUB_STEP_SUMMARY
# Both sides run `python3` through /bin/sh, but the reference is itself a Python process: under a
# version manager (pyenv) its children find the real interpreter first on PATH, while gantry's
# find the shim, a shell script that took a second for 20 services on 2 cores. The real
# interpreter's directory goes first on PATH, so both sides start the same program.
PATH="$(dirname "$(python3 -c 'import sys; print(sys.executable)')"):$PATH"
export PATH
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C

work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-bench-env.XXXXXX")"
export GANTRY_REGISTRY="$work/registry"
cleanup() {
  # Whatever a failed run left up goes down before the scratch directory does.
  for repository in "$work"/*/; do
    [[ -f "$repository/gantry.yml" ]] && (cd "$repository" && "$gantry" env down --state-dir "$repository/.state" >/dev/null 2>&1 || true)
  done
  rm -rf "$work"
}
gantry=""
trap cleanup EXIT

# ------------------------------------------------------------------ binary
locate_gantry "$root"

# ------------------------------------------------------------------ fixtures
cat >"$work/server.py" <<'EOF'
# A trivial TCP service: accepts connections on 127.0.0.1:PORT and closes them.
import socket, sys
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(sys.argv[1])))
listener.listen(64)
while True:
    listener.accept()[0].close()
EOF

cat >"$work/reference.py" <<'EOF'
# The reference: the same commands started and stopped with no bookkeeping.
# usage: reference.py WAIT_FOR_PORTS COMMAND...   (${port} in a command is a free port)
import os, signal, socket, subprocess, sys, time
wait_for_ports = sys.argv[1] == "1"
def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
children, ports = [], []
for command in sys.argv[2:]:
    port = free_port()
    if "${port}" in command:
        ports.append(port)
    children.append(subprocess.Popen(["/bin/sh", "-c", command.replace("${port}", str(port))], start_new_session=True))
if wait_for_ports:
    for port in ports:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.005)
for child in children:
    os.killpg(child.pid, signal.SIGTERM)
for child in children:
    child.wait()
EOF

# make_repository NAME GANTRY_YML: a git repository with server.py and the configuration.
make_repository() {
  local directory="$work/$1"
  mkdir -p "$directory"
  cp "$work/server.py" "$directory/server.py"
  printf '%s' "$2" >"$directory/gantry.yml"
  git -C "$directory" init -q
  git -C "$directory" add -A
  git -C "$directory" -c user.name=bench -c user.email=bench@gantry.invalid commit -qm fixture
  echo "$directory"
}

servers_yml="version: 1
services:
"
sleepers_yml="$servers_yml"
depends=""
reference_servers=()
reference_sleepers=()
for i in $(seq -w 1 20); do
  servers_yml+="  s$i: {paths: [\"s$i/**\"], working_directory: \".\", run: \"exec python3 server.py \${port}\", health: [{tcp: \"127.0.0.1:\${port}\"}]}
"
  sleepers_yml+="  s$i: {paths: [\"s$i/**\"], working_directory: \".\", run: \"exec sleep 600\"}
"
  depends+="${depends:+, }s$i"
  reference_servers+=("exec python3 $work/server.py \${port}")
  reference_sleepers+=("exec sleep 600")
done
servers_yml+="  gateway: {paths: [\"gateway/**\"], working_directory: \".\", depends_on: [$depends], run: \"exec sleep 600\"}
gates: {interval: 10ms, max_interval: 50ms}
environment: {grace: 5s}
"
reference_servers+=("exec sleep 600")
sleepers_yml+="environment: {grace: 5s}
"
servers="$(make_repository servers "$servers_yml")"
sleepers="$(make_repository sleepers "$sleepers_yml")"

# updown DIRECTORY: the command timed for gantry.
updown() {
  printf 'cd %q && %q env up --state-dir .state >/dev/null && %q env down --state-dir .state >/dev/null' "$1" "$gantry" "$gantry"
}
reference() {
  local wait="$1"; shift
  printf 'python3 %q %q' "$work/reference.py" "$wait"
  printf ' %q' "$@"
}

step "sanity check: env up, status, down of 21 services"
(cd "$servers" && "$gantry" env up --state-dir .state >/dev/null) || die "gantry env up failed"
(cd "$servers" && "$gantry" env status --state-dir .state --format json) \
  | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d["endpoints"]), "services up as", d["name"])'
(cd "$servers" && "$gantry" env down --state-dir .state >/dev/null) || die "gantry env down failed"

step "1. 20 TCP services (+1 that waits for them): gantry env up + env down vs the reference (alternating, $RUNS rounds)"
python3 "$script_dir/alternate.py" --warmup 1 --runs "$RUNS" --export-json "$work/servers.json" \
  --command "reference: start 21, wait for 20 ports, stop" "$(reference 1 "${reference_servers[@]}")" \
  --command "gantry env up + env down" "$(updown "$servers")" \
  || die "timing (servers) failed"

step "2. 20 sleeps, nothing to wait for: gantry env up + env down vs the reference (alternating, $RUNS rounds)"
python3 "$script_dir/alternate.py" --warmup 1 --runs "$RUNS" --export-json "$work/sleepers.json" \
  --command "reference: start 20, stop" "$(reference 0 "${reference_sleepers[@]}")" \
  --command "gantry env up + env down" "$(updown "$sleepers")" \
  || die "timing (sleepers) failed"

teardown_runs=$(( RUNS / 2 > 3 ? RUNS / 2 : 3 ))
for grace in 1 3; do
  stubborn="$(make_repository "stubborn-$grace" "version: 1
services:
  stubborn: {paths: [\"s/**\"], working_directory: \".\", run: \"trap '' TERM; exec sleep 600\"}
environment: {grace: ${grace}s}
")"
  step "3. teardown of a service that ignores SIGTERM, grace ${grace}s (hyperfine, runs $teardown_runs)"
  hyperfine --runs "$teardown_runs" --export-json "$work/stubborn-$grace.json" \
    --prepare "cd $(printf %q "$stubborn") && $(printf %q "$gantry") env up --state-dir .state >/dev/null && sleep 0.2" \
    --command-name "gantry env down (grace ${grace}s)" \
    "cd $(printf %q "$stubborn") && $(printf %q "$gantry") env down --state-dir .state >/dev/null" \
    || die "hyperfine (teardown, grace ${grace}s) failed"
done

# ------------------------------------------------------------------ summary
python3 - "$work" "$RUNS" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'EOF'
import json, sys
work, runs, load = sys.argv[1:4]
def medians(name):
    return [result["median"] for result in json.load(open(f"{work}/{name}.json"))["results"]]
mark = lambda ok: "met" if ok else "missed"
print()
print(f"==> summary (medians; gantry and the reference alternating, {runs} rounds)")
print("| figure | now | goal | |")
print("| --- | --- | --- | --- |")
for name, what in [("servers", "20 services with TCP health checks, one waiting for the rest"),
                   ("sleepers", "20 services without health checks")]:
    reference, gantry = medians(name)
    overhead = gantry - reference
    print(f"| `env up` + `down`, {what} | {overhead:.2f} s over the reference "
          f"(gantry {gantry:.3f} s, reference {reference:.3f} s) | ≤ 0.2 s over it | {mark(overhead <= 0.2)} |")
for grace in (1, 3):
    (down,) = medians(f"stubborn-{grace}")
    print(f"| `env down` of a service ignoring SIGTERM, `grace: {grace}s` | {down:.2f} s | ≤ {grace + 0.3:.1f} s | {mark(down <= grace + 0.3)} |")
print(f"(load average {load})")
EOF
