#!/usr/bin/env bash
# scripts/bench/install.sh — the action's install step (action/install.sh), as a job pays for it.
#
# What it measures (hyperfine medians, --runs $RUNS, each run the whole step as a process):
#   1. warm:    the wanted release already in the tool cache; the step checks its SHA-256 again
#               and puts it on PATH. Goal: <= 2 s.
#   2. release: an empty tool cache; the step downloads the release archive from a loopback HTTP
#               server (python3 -m http.server), checks it against the tree's pinned SHA-256,
#               extracts and caches it. Goal: <= 5 s for download, verify and extract.
#   3. source:  an unreleased tree, an empty tool cache and build folder: `swift build -c release`
#               of the whole package, once (SOURCE_RUNS, default 1; 0 skips it).
# The archive is a real release archive made by scripts/release.sh (or $ARCHIVE, an existing
# gantry-VERSION-linux-ARCH.tar.gz with its SHA256SUMS.ARCH beside it).
#
# Usage
#   scripts/bench/install.sh
#   RUNS=20 SOURCE_RUNS=0 ARCHIVE=.build-release/dist/gantry-0.0.0-bench-linux-x86_64.tar.gz scripts/bench/install.sh
#
# It exits non-zero only if something fails to run, never because a goal is missed.
set -euo pipefail

RUNS="${RUNS:-10}"
SOURCE_RUNS="${SOURCE_RUNS:-1}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"
# shellcheck source=common.sh
source "$script_dir/common.sh"

"$root/scripts/bootstrap.sh"
command -v hyperfine >/dev/null || "$root/scripts/apt-install.sh" hyperfine || die "apt-get install hyperfine failed"

work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-bench-install-XXXXXX")"
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${ARCHIVE:-}" ]; then
  step "building a release archive (scripts/release.sh 0.0.0-bench)"
  "$root/scripts/release.sh" 0.0.0-bench "$work/dist" >&2
  ARCHIVE="$(ls "$work"/dist/gantry-0.0.0-bench-linux-*.tar.gz)"
fi
[ -f "$ARCHIVE" ] || die "no archive at $ARCHIVE"
name="$(basename "$ARCHIVE" .tar.gz)"
version="${name#gantry-}"; version="${version%-linux-*}"
arch="${name##*-linux-}"
sums="$(dirname "$ARCHIVE")/SHA256SUMS.$arch"
[ -f "$sums" ] || die "no $sums beside the archive (scripts/release.sh writes it)"

# A released copy of the action: install.sh plus the release commit's files.
tree="$work/tree"
mkdir -p "$tree/action" "$tree/release" "$work/serve/v$version"
cp "$root/action/install.sh" "$tree/action/"
echo "$version" >"$tree/release/VERSION"
echo "bench/gantry" >"$tree/release/REPOSITORY"
cp "$sums" "$tree/release/SHA256SUMS"
cp "$ARCHIVE" "$work/serve/v$version/"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(cd "$work/serve" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server_pid=$!
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done

export GITHUB_ACTION_PATH="$tree" RUNNER_TEMP="$work/runner" GANTRY_INSTALL=auto GANTRY_VERSION="" \
  GANTRY_RELEASE_URL="http://127.0.0.1:$port/v$version" GITHUB_OUTPUT=/dev/null GITHUB_PATH=/dev/null
mkdir -p "$RUNNER_TEMP"
cache="$work/tool-cache"
size="$(stat -c %s "$ARCHIVE")"

step "release: download ($((size / 1024 / 1024)) MiB), verify and extract into an empty tool cache"
hyperfine --runs "$RUNS" --warmup 1 --prepare "rm -rf '$cache'" --export-json "$work/release.json" \
  -n release "RUNNER_TOOL_CACHE='$cache' '$tree/action/install.sh'"

step "warm: the same version already in the tool cache, its checksum checked again"
RUNNER_TOOL_CACHE="$cache" "$tree/action/install.sh" 2>/dev/null
hyperfine --runs "$RUNS" --warmup 1 --export-json "$work/warm.json" \
  -n warm "RUNNER_TOOL_CACHE='$cache' '$tree/action/install.sh'"

median() { python3 -c 'import json, sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"; }
source_line="(skipped: SOURCE_RUNS=0)"
if [ "$SOURCE_RUNS" -gt 0 ]; then
  step "source: an unreleased tree, an empty tool cache and build folder (swift build -c release)"
  # The unreleased tree is the checkout's own files, copied, so the build folder starts empty.
  mkdir -p "$work/source-tree"
  git -C "$root" ls-files -z | (cd "$root" && xargs -0 cp --parents -t "$work/source-tree")
  rm -rf "$work/source-tree/release"
  hyperfine --runs "$SOURCE_RUNS" --prepare "rm -rf '$work/source-cache'" --export-json "$work/source.json" \
    -n source "GITHUB_ACTION_PATH='$work/source-tree' RUNNER_TOOL_CACHE='$work/source-cache' '$work/source-tree/action/install.sh'"
  source_line="$(median "$work/source.json") s"
fi

echo
echo "| install step | median | goal |"
echo "| --- | --- | --- |"
echo "| warm (tool cache, checksum checked) | $(median "$work/warm.json") s | <= 2 s |"
echo "| release (download $((size / 1024 / 1024)) MiB from loopback, verify, extract) | $(median "$work/release.json") s | <= 5 s |"
echo "| source (cold swift build -c release) | $source_line | |"
