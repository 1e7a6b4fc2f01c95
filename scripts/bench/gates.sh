#!/usr/bin/env bash
# scripts/bench/gates.sh — benchmark `gantry gate`: how soon it notices readiness, how it gates
# many services at once, and the latency gate's throughput beside wrk.
#
# What it measures (release build; the drivers are in scripts/bench/gates-bench.py)
#   1. Readiness delay: a local HTTP server starts listening at a random moment 0.5–2 s after
#      `gantry gate --http URL` starts (default settings: a 200 ms interval); the delay is
#      gantry's exit time minus the moment the server became ready. $READY_RUNS runs (default
#      15): median and max (goal: median <= 0.05 s).
#   2. Many services: one Python asyncio process reserves 100 loopback ports and opens each at a
#      random moment within 5 s; a generated gantry.yml gives each service an http and a tcp
#      check, and `gantry gate --url NAME=URL …` gates all 200 checks. Wall time beside the
#      slowest readiness; $MANY_RUNS runs (default 5), medians (goal: wall <= slowest + 0.05 s).
#   3. Latency gate throughput: nginx serving a small file (access log off, one worker) on
#      127.0.0.1; `latency: {requests: 20000, concurrency: 50}` through `gantry gate --url web=…
#      --format json` (its requests_per_second), beside `wrk -t1 -c50 -d5s` on the same server.
#      Both alternate run by run (scripts/bench/alternate.py --keep-output: 1 warm-up round,
#      $RPS_RUNS rounds, each round runs both once in rotating order), so both see the same load on
#      a shared machine; medians of each side's requests/s, and their ratio (goal: gantry >= 80 %
#      of wrk).
#   It prints the issue's table rows it owns (figure, now, goal, met or missed), and exits non-zero
#   only if something fails to run, never because a goal is missed.
#
# Usage
#   scripts/bench/gates.sh
#   READY_RUNS=30 MANY_RUNS=5 RPS_RUNS=5 GANTRY_BIN=/path/to/gantry scripts/bench/gates.sh
#
# Requires: bash, python3 (stdlib), wrk and nginx (installed with apt-get when missing).
# GITHUB_ACTIONS and the other runner variables are unset so gantry works in local mode.
set -euo pipefail

READY_RUNS="${READY_RUNS:-15}"
MANY_RUNS="${MANY_RUNS:-5}"
RPS_RUNS="${RPS_RUNS:-5}"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"

source "$script_dir/common.sh"

for count in "$READY_RUNS" "$MANY_RUNS" "$RPS_RUNS"; do
  [[ "$count" =~ ^[0-9]+$ && "$count" -ge 1 ]] || die "READY_RUNS, MANY_RUNS and RPS_RUNS must be whole numbers >= 1"
done
command -v python3 >/dev/null || die "python3 not found in PATH"

unset GITHUB_ACTIONS GITHUB_OUTPUT GITHUB_ENV GITHUB_STEP_SUMMARY RUNNER_TEMP
export LC_ALL=C

# ------------------------------------------------------------------ tools
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
if [[ ${#missing[@]} -gt 0 ]]; then
  step "installing ${missing[*]} (apt-get)"
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-bench-gates.XXXXXX")"
nginx_pid=""
cleanup() {
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# ------------------------------------------------------------------ binary
locate_gantry "$root"

# ------------------------------------------------------------------ 1. readiness
step "1. readiness delay: $READY_RUNS runs, each server ready at a random moment 0.5–2 s in"
python3 "$script_dir/gates-bench.py" readiness --gantry "$gantry" --runs "$READY_RUNS" >"$work/readiness.json" \
  || die "the readiness benchmark failed"

# ------------------------------------------------------------------ 2. many services
step "2. 100 services ready at random moments within 5 s, an http and a tcp check each: $MANY_RUNS runs"
python3 "$script_dir/gates-bench.py" staggered --gantry "$gantry" --runs "$MANY_RUNS" >"$work/staggered.json" \
  || die "the many-services benchmark failed"

# ------------------------------------------------------------------ 3. latency gate vs wrk
step "3. latency gate throughput against nginx, beside wrk: $RPS_RUNS runs each"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$work/nginx/html" "$work/nginx/temp" "$work/latency"
printf 'ok\n' >"$work/nginx/html/index.html"
# nginx's workers drop root for nobody, who must be able to reach the file.
chmod a+x "$work" && chmod -R a+rX "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/temp;
  proxy_temp_path $work/nginx/temp;
  fastcgi_temp_path $work/nginx/temp;
  uwsgi_temp_path $work/nginx/temp;
  scgi_temp_path $work/nginx/temp;
  server {
    listen 127.0.0.1:$port;
    root $work/nginx/html;
  }
}
EOF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
url="http://127.0.0.1:$port/index.html"
for _ in $(seq 100); do
  python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$url" 2>/dev/null && break
  sleep 0.05
done
python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$url" \
  || die "nginx did not start (see $work/nginx/error.log)"
printf 'version: 1\nservices:\n  web:\n    paths: ["web/**"]\n    latency: {http: "${url}/index.html", requests: 20000, concurrency: 50}\n' \
  >"$work/latency/gantry.yml"
(cd "$work/latency" && python3 "$script_dir/alternate.py" --keep-output --warmup 1 --runs "$RPS_RUNS" \
  --export-json "$work/latency/times.json" \
  --command "gantry" "$(printf '%q ' "$gantry" gate --url "web=http://127.0.0.1:$port" --state-dir "$work/latency/state" --format json)" \
  --command "wrk" "wrk -t1 -c50 -d5s $url") \
  || die "the latency gate or wrk failed"

# ------------------------------------------------------------------ summary
python3 - "$work/readiness.json" "$work/staggered.json" "$work/latency/times.json" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'EOF'
import json, re, statistics, sys
readiness = json.load(open(sys.argv[1]))["delays"]
many = json.load(open(sys.argv[2]))["runs"]
gantry_runs, wrk_runs = json.load(open(sys.argv[3]))["results"]
load = sys.argv[4]
gantry = [json.loads(output)["latency"][0]["requests_per_second"] for output in gantry_runs["outputs"]]
wrk = [float(re.search(r"^Requests/sec:\s*([0-9.]+)", output, re.M).group(1)) for output in wrk_runs["outputs"]]
for number, (ours, theirs) in enumerate(zip(gantry, wrk), 1):
    print(f"  round {number}: gantry {ours:,.0f} requests/s, wrk {theirs:,.0f} requests/s")

mark = lambda ok: "met" if ok else "missed"
ready_median, ready_max = statistics.median(readiness), max(readiness)
over = statistics.median(run["over"] for run in many)
gantry_median, wrk_median = statistics.median(gantry), statistics.median(wrk)
ratio = gantry_median / wrk_median
print()
print("==> summary (medians)")
print("| figure | now | goal | |")
print("| --- | --- | --- | --- |")
print(f"| latency gate, 20,000 requests at 50, against one nginx, beside `wrk -t1 -c50` ({len(gantry)} alternating rounds) | "
      f"{ratio:.0%} of wrk ({gantry_median:,.0f} vs {wrk_median:,.0f} requests/s) | ≥ 80 % | {mark(ratio >= 0.8)} |")
print(f"| a local service becoming ready → its gate passing, default settings | {ready_median:.3f} s median, "
      f"{ready_max:.3f} s max ({len(readiness)} runs) | ≤ 0.05 s median | {mark(ready_median <= 0.05)} |")
print(f"| 100 services ready at random times: wall past the slowest | {over:.3f} s ({len(many)} runs) | ≤ 0.05 s | {mark(over <= 0.05)} |")
print(f"(load average {load})")
EOF
