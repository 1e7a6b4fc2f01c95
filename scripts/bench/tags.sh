#!/usr/bin/env bash
# scripts/bench/tags.sh — benchmark `gantry tags` with `type=tree` on 200 services whose build
# context is the repository root.
#
# What it measures
#   `gantry tags --all --format json` on a 10,006-file repository with 200 services, every one
#   `context: .` and tagged `type=tree` only, in two configurations:
#     paths       each service `paths: [services/svc-NNN/**, libs/common-NN/**]`, `ignore: [**/*.md]`
#     dockerfile  each service `inputs: dockerfile`, its Dockerfile copying its own src/ and a library
#   in ONE run of scripts/bench/alternate.py (3 warm-up rounds, $RUNS rounds, each round runs every
#   command once in rotating order), output to /dev/null; medians of wall and CPU time (user +
#   system). With GANTRY_BEFORE, the same two commands of that binary run in the same rounds, and the
#   summary gives before → after. Before timing, every command must succeed, and with GANTRY_BEFORE
#   both binaries must print the same document (the tags are a contract).
#
# The repository: scripts/bench/generate-monorepo.py's 10k-file row of the scaling table (200
#   services of 45 files, 10 libraries of 100, no work tree checkout), plus one commit that adds a
#   real Dockerfile per service (services/svc-NNN/build.Dockerfile); HEAD is that commit. Generated
#   once into $BENCH_DIR and reused.
#
# Usage
#   scripts/bench/tags.sh
#   GANTRY_BEFORE=/tmp/gantry-main RUNS=21 scripts/bench/tags.sh
#
# Environment
#   RUNS           rounds (default 11).
#   BENCH_DIR      where the repository lives (default /tmp/gantry-bench-tags).
#   GANTRY_BIN     the gantry binary to measure; when unset, a release build of this checkout.
#   GANTRY_BEFORE  another gantry binary (an earlier build) to time beside it.
#
# Requires: bash, git, python3 (stdlib).
set -euo pipefail

RUNS="${RUNS:-11}"
BENCH_DIR="${BENCH_DIR:-/tmp/gantry-bench-tags}"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"
source "$script_dir/common.sh"

[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 2 ]] || die "RUNS must be a whole number >= 2"
for tool in git python3; do
  command -v "$tool" >/dev/null || die "$tool not found in PATH"
done
if [[ -n "${GANTRY_BEFORE:-}" ]]; then
  [[ -f "$GANTRY_BEFORE" && -x "$GANTRY_BEFORE" ]] || die "GANTRY_BEFORE=$GANTRY_BEFORE is not an executable file"
fi

unset GITHUB_ACTIONS GITHUB_OUTPUT GITHUB_EVENT_NAME GITHUB_EVENT_PATH GITHUB_REF GITHUB_SHA
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C

work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-bench-tags.XXXXXX")"
trap 'rm -rf "$work"' EXIT

t_start=$SECONDS
locate_gantry "$root"

# ------------------------------------------------------------------ repo
step "preparing the repository in $BENCH_DIR"
python3 "$script_dir/generate-monorepo.py" --dir "$BENCH_DIR" --services 200 --files-per-service 45 \
  --lib-files 100 --diff-files 10 --no-checkout >"$work/meta.json" || die "repository generation failed"
repo="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["repo"])' "$work/meta.json")"
cd "$repo"
export GIT_AUTHOR_NAME="Gantry Bench" GIT_AUTHOR_EMAIL=bench@gantry.invalid GIT_COMMITTER_NAME="Gantry Bench" \
  GIT_COMMITTER_EMAIL=bench@gantry.invalid GIT_AUTHOR_DATE=2024-01-03T00:00:00+00:00 GIT_COMMITTER_DATE=2024-01-03T00:00:00+00:00

# The configurations and the Dockerfiles, written afresh (cheap) so a change here needs no regeneration.
python3 - "$work" <<'PY'
import os, sys
work = sys.argv[1]
services = range(200)
library = lambda i: f"common-{(i * 7) % 10:02d}"
head = ["version: 1", "registry: ghcr.io/acme", "tags: [type=tree]", "services:"]
paths, dockerfile = list(head), list(head)
os.makedirs(os.path.join(work, "dockerfiles"))
for i in services:
    name = f"svc-{i:03d}"
    paths += [f"  {name}:", "    context: .", f"    dockerfile: services/{name}/build.Dockerfile",
              f'    paths: ["services/{name}/**", "libs/{library(i)}/**"]', '    ignore: ["**/*.md"]']
    dockerfile += [f"  {name}:", "    context: .", f"    dockerfile: services/{name}/build.Dockerfile",
                   "    inputs: dockerfile"]
    with open(os.path.join(work, "dockerfiles", f"{name}.Dockerfile"), "w") as f:
        f.write(f"FROM alpine:3.20\nCOPY libs/{library(i)}/src /opt/lib\nCOPY services/{name}/src /app/src\n"
                f"COPY services/{name}/service.yml /app/\nRUN true\n")
for name, lines in (("tags-paths.yml", paths), ("tags-dockerfile.yml", dockerfile)):
    with open(name, "w") as f:
        f.write("\n".join(lines) + "\n")
PY
export GIT_INDEX_FILE="$work/index"
git read-tree main
for i in $(seq -f '%03g' 0 199); do
  echo "100644 $(git hash-object -w "$work/dockerfiles/svc-$i.Dockerfile")	services/svc-$i/build.Dockerfile"
done | git update-index --index-info
head="$(git commit-tree "$(git write-tree)" -p main -m "build.Dockerfile per service")"
unset GIT_INDEX_FILE
git update-ref refs/heads/tags-bench "$head"
git symbolic-ref HEAD refs/heads/tags-bench
echo "repo:  $repo ($(git ls-tree -r --name-only HEAD | wc -l) files at HEAD $head)"

# ------------------------------------------------------------------ sanity
commands=()
add() { commands+=(--command "$1" "$(printf '%q ' "$2" tags --all --format json --config "$3")"); }
for variant in paths dockerfile; do
  step "sanity check: gantry tags --all --format json --config tags-$variant.yml"
  "$gantry" tags --all --format json --config "tags-$variant.yml" >"$work/$variant.json" 2>"$work/err" \
    || { cat "$work/err" >&2; die "gantry tags failed ($variant)"; }
  python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["services"]; assert len(s) == 200, len(s); print(len(s), "services tagged, e.g.", s["svc-000"]["tags"])' "$work/$variant.json" \
    || die "gantry tags printed no 200 services ($variant)"
  if [[ -n "${GANTRY_BEFORE:-}" ]]; then
    "$GANTRY_BEFORE" tags --all --format json --config "tags-$variant.yml" >"$work/$variant-before.json" 2>"$work/err" \
      || { cat "$work/err" >&2; die "GANTRY_BEFORE tags failed ($variant)"; }
    cmp -s "$work/$variant.json" "$work/$variant-before.json" || die "the two binaries print different tags ($variant)"
    echo "GANTRY_BEFORE prints the same document"
    add "before, $variant" "$GANTRY_BEFORE" "tags-$variant.yml"
  fi
  add "gantry, $variant" "$gantry" "tags-$variant.yml"
done

# ------------------------------------------------------------------ timing
step "timing (alternating, 3 warm-up rounds, $RUNS rounds)"
python3 "$script_dir/alternate.py" --no-shell --warmup 3 --runs "$RUNS" --export-json "$work/times.json" "${commands[@]}" \
  || die "timing failed"

python3 - "$work/times.json" "$((SECONDS - t_start))" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
results = {r["name"]: r for r in json.load(open(sys.argv[1]))["results"]}
ms = lambda seconds: f"{seconds * 1000:.0f} ms"
print()
print("==> summary: gantry tags --all --format json, 200 services with context ., type=tree (medians)")
print("| services' inputs | before, wall | before, CPU | wall | CPU | per service |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for variant in ("paths", "dockerfile"):
    now, before = results[f"gantry, {variant}"], results.get(f"before, {variant}")
    was = (ms(before["median"]), ms(before["cpu"])) if before else ("", "")
    print(f"| {variant} | {was[0]} | {was[1]} | {ms(now['median'])} | {ms(now['cpu'])} | {now['median'] * 1000 / 200:.1f} ms |")
print(f"(load average {sys.argv[3]}; whole run {sys.argv[2]} s)")
PY
