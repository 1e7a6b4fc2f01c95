#!/usr/bin/env bash
# The action's install step: puts a verified gantry on PATH.
#
#   warm     a gantry of the wanted version in the tool cache, its SHA-256 checked again (a
#            self-hosted runner's tool cache is shared by every job that runs there);
#   release  the release archive, downloaded and checked against the SHA-256 pinned in this
#            action's own tree (release/SHA256SUMS, written by the release commit) before it is
#            extracted;
#   source   `swift build` of this action's tree, for a tree that is no release (main, a branch,
#            a local checkout under act), cached under a hash of its sources.
#
# The job runs a private copy (in RUNNER_TEMP), checked after it is copied: whoever else writes to a
# shared tool cache cannot swap the binary between the check and its use. A build from source has no
# pinned checksum to check against: it trusts the tool cache, so pin a release on runners shared
# with jobs you do not trust.
#
# Inputs (environment): GANTRY_INSTALL (auto|release|source), GANTRY_VERSION, GANTRY_RELEASE_URL,
# GANTRY_SERVER_URL, GITHUB_ACTION_PATH, RUNNER_TOOL_CACHE, RUNNER_TEMP; GANTRY_DOWNLOAD_TIMEOUT
# (seconds, default 300) bounds each of the download's three attempts. Outputs: `path`, `version`,
# `source` (cache, release or build). Never falls back to anything it has not verified.
set -euo pipefail

action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
mode="${GANTRY_INSTALL:-auto}"
wanted="${GANTRY_VERSION:-}"
wanted="${wanted#v}"
release_dir="$action_path/release"

# An annotation, its data escaped as the runner reads it, so no text in it can start a command.
fail() {
    local message="$*"
    message="${message//%/%25}"
    message="${message//$'\r'/%0D}"
    message="${message//$'\n'/%0A}"
    echo "::error title=gantry install::$message" >&2
    exit 1
}
note() { echo "gantry install: $*" >&2; }

case "$mode" in
    auto | release | source) ;;
    *) fail "the install input is \"$mode\"; expected auto, release or source" ;;
esac
# The version names files and the cache directory: nothing but a semantic version may get in.
if [ -n "$wanted" ] && ! [[ "$wanted" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
    fail "the version input must be a release such as 1.4.0 (or v1.4.0), not \"$wanted\""
fi
case "$(uname -s)" in
    Linux) ;;
    *) fail "gantry runs on Linux runners only; this runner is $(uname -s)" ;;
esac
case "$(uname -m)" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) fail "no gantry build for the $(uname -m) architecture; Linux x86_64 and aarch64 are supported" ;;
esac
if ldd --version 2>&1 | grep -qi musl; then
    fail "gantry's binaries need glibc, and this runner's C library is musl (Alpine?): run the job on ubuntu-latest or in a glibc-based container such as Debian's"
fi
if [[ "${GANTRY_RELEASE_URL:-}" =~ [[:space:][:cntrl:]] ]]; then
    fail "the release-url input contains white space or control characters; expected a URL such as https://mirror.example.com/gantry/v1.4.0"
fi

cache_root="${RUNNER_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gantry-tools}/gantry"
hash_file() { sha256sum "$1" | cut -d ' ' -f 1; }

# The pinned checksum of NAME in this tree's release/SHA256SUMS, or nothing.
pinned() {
    [ -f "$release_dir/SHA256SUMS" ] || return 0
    awk -v name="$1" '$2 == name || $2 == "*" name { print $1; exit }' "$release_dir/SHA256SUMS"
}

# Copies the cached binary in DIRECTORY to a directory of this job's own, checks the copy against
# EXPECTED, and on a match puts it on PATH for the job's later steps, reports it, and ends the
# install. Returns 1 (having said why) when the copy does not match.
activate() {
    local directory="$1" version="$2" source="$3" expected="$4"
    local private
    private="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/gantry-bin-XXXXXX")"
    cp "$directory/gantry" "$private/gantry" 2>/dev/null || { rm -rf "$private"; return 1; }
    chmod 0755 "$private/gantry"
    local actual
    actual="$(hash_file "$private/gantry")"
    if [ "$actual" != "$expected" ]; then
        rm -rf "$private"
        note "the cached $directory/gantry has SHA-256 $actual, not $expected: replacing it"
        return 1
    fi
    if [ -n "${GITHUB_PATH:-}" ]; then echo "$private" >>"$GITHUB_PATH"; fi
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        {
            echo "path=$private/gantry"
            echo "version=$version"
            echo "source=$source"
        } >>"$GITHUB_OUTPUT"
    fi
    note "gantry $version ($source) at $private/gantry, checked against SHA-256 $expected"
    exit 0
}

# A binary in the cache is used only when its copy's checksum is still the one expected.
use_cached() {
    local directory="$1" version="$2" expected="$3"
    [ -f "$directory.complete" ] && [ -f "$directory/gantry" ] || return 0
    activate "$directory" "$version" cache "$expected" || rm -rf "$directory" "$directory.complete"
}

# Moves a verified binary (its SHA-256 beside it) into the cache; the .complete marker (as @actions/tool-cache writes it)
# comes last, so a job killed half-way leaves no binary that looks finished.
store() {
    local binary="$1" directory="$2" sum="$3"
    mkdir -p "$(dirname "$directory")"
    local staging
    staging="$(mktemp -d "$(dirname "$directory")/.staging-XXXXXX")"
    install -m 0755 "$binary" "$staging/gantry"
    echo "$sum" >"$staging/gantry.sha256"
    rm -rf "$directory" "$directory.complete"
    # -T: a concurrent job that installed the same version first keeps its copy (checked on use).
    mv -T "$staging" "$directory" 2>/dev/null || rm -rf "$staging"
    touch "$directory.complete"
}

install_release() {
    local version="$1"
    [ -n "$version" ] || fail "install: release needs a released tree (uses: OWNER/gantry@v1) or the version input"
    local name="gantry-$version-linux-$arch"
    local archive_sum binary_sum
    archive_sum="$(pinned "$name.tar.gz")"
    binary_sum="$(pinned "$name/gantry")"
    if [ -z "$archive_sum" ] || [ -z "$binary_sum" ]; then
        if [ -f "$release_dir/SHA256SUMS" ]; then
            fail "this action's tree pins no checksum for $name.tar.gz (release/SHA256SUMS lists $(awk '{ print $2 }' "$release_dir/SHA256SUMS" | grep -c 'tar.gz$') archives): pin the action to the release that has it (uses: ...@v$version) or remove the version input"
        fi
        fail "this action's tree is not a release, so it pins no checksum for gantry $version: pin the action to a release tag (uses: OWNER/gantry@v1) or use install: source"
    fi
    local directory="$cache_root/$version/$arch"
    use_cached "$directory" "$version" "$binary_sum"

    local base="${GANTRY_RELEASE_URL:-}"
    if [ -z "$base" ]; then
        local repository
        repository="$(cat "$release_dir/REPOSITORY" 2>/dev/null || true)"
        [ -n "$repository" ] || fail "release/REPOSITORY is missing, so the release's download address is unknown: set the release-url input"
        base="${GANTRY_SERVER_URL:-https://github.com}/$repository/releases/download/v$version"
    fi
    local url="${base%/}/$name.tar.gz"
    work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/gantry-install-XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    local started=$SECONDS
    note "downloading $url"
    # --speed-limit: a server that stops sending fails in 30 s rather than at the overall timeout.
    if ! curl --fail --silent --show-error --location --proto '=https,http' --max-redirs 5 \
        --connect-timeout 20 --max-time "${GANTRY_DOWNLOAD_TIMEOUT:-300}" --speed-limit 1024 --speed-time 30 \
        --retry 2 --retry-connrefused --output "$work/$name.tar.gz" "$url" 2>"$work/curl.err"; then
        fail "could not download $url: $(tr '\n' ' ' <"$work/curl.err")— check the release-url input and that release v$version has $name.tar.gz (a gantry hosted in a private repository needs a mirror the runner can read without a token: set release-url to it)"
    fi
    local actual
    actual="$(hash_file "$work/$name.tar.gz")"
    if [ "$actual" != "$archive_sum" ]; then
        fail "$url has SHA-256 $actual, but this action's tree pins $archive_sum ($(stat -c %s "$work/$name.tar.gz") bytes received): the download is truncated or was replaced; nothing was installed. Do not bypass this check: report it to the release's owner"
    fi
    tar -xzf "$work/$name.tar.gz" -C "$work" "$name/gantry" || fail "the verified archive $name.tar.gz has no $name/gantry"
    actual="$(hash_file "$work/$name/gantry")"
    [ "$actual" = "$binary_sum" ] || fail "the binary in $name.tar.gz has SHA-256 $actual, but this action's tree pins $binary_sum"
    store "$work/$name/gantry" "$directory" "$binary_sum"
    note "downloaded, verified and extracted in $((SECONDS - started)) s"
    activate "$directory" "$version" release "$binary_sum" || fail "the cached copy of gantry $version changed while it was installed; run the job again"
}

# What the build reads (Package.swift, Package.resolved if any, and Sources/; not .git or .build), and
# the system it links against, so a tool cache shared by several OS images keeps one build each.
source_hash() {
    (
        cat /etc/os-release 2>/dev/null || true
        cd "$action_path"
        local inputs=(Package.swift Sources)
        [ ! -f Package.resolved ] || inputs+=(Package.resolved)
        find "${inputs[@]}" -type f | LC_ALL=C sort | while IFS= read -r file; do
            printf '%s  %s\n' "$(hash_file "$file")" "$file"
        done
    ) | sha256sum | cut -c 1-16
}

# apt packages the build needs, installed only when missing and only where we may (root or
# passwordless sudo); scripts/apt-install.sh says which and why when it cannot.
install_build_packages() {
    "$action_path/scripts/apt-install.sh" git pkg-config libgit2-dev libcurl4-openssl-dev libssl-dev >&2 \
        || fail "building gantry needs libgit2, libcurl and OpenSSL development files (see above): install them in an earlier step, or pin a release"
}

install_source() {
    local why="$1"
    command -v swift >/dev/null || fail "gantry must be built from source ($why), and swift is not on PATH: set up Swift 6 first (swift.org), or pin the action to a release"
    local version
    version="source-$(source_hash)" || fail "could not hash the action's sources in $action_path (Package.swift and Sources/)"
    local directory="$cache_root/$version/$arch"
    if [ -f "$directory.complete" ] && [ -f "$directory/gantry.sha256" ]; then
        use_cached "$directory" "$version" "$(cat "$directory/gantry.sha256")"
    fi
    note "building gantry from source: $why"
    install_build_packages
    local started=$SECONDS
    # The build folder lives in the tool cache, so the next build of a changed tree is incremental.
    local scratch="$cache_root/build-$arch"
    (cd "$action_path" && swift build -c release --static-swift-stdlib --product gantry --scratch-path "$scratch") >&2 \
        || fail "swift build failed (see above)"
    local built
    built="$(cd "$action_path" && swift build -c release --static-swift-stdlib --product gantry --scratch-path "$scratch" --show-bin-path)/gantry" \
        || fail "swift build did not say where it put gantry"
    local sum
    sum="$(hash_file "$built")"
    store "$built" "$directory" "$sum"
    note "built in $((SECONDS - started)) s"
    activate "$directory" "$version" build "$sum" || fail "the cached build of gantry changed while it was installed; run the job again"
}

tree_version="$(cat "$release_dir/VERSION" 2>/dev/null || true)"
case "$mode" in
    source) install_source "install: source" ;;
    release) install_release "${wanted:-${tree_version:-}}" ;;
    auto)
        if [ -n "$wanted" ] || [ -n "$tree_version" ]; then
            install_release "${wanted:-$tree_version}"
        fi
        install_source "this action's tree is no release (it has no release/VERSION): a branch, main or a local checkout"
        ;;
esac
