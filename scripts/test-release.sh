#!/usr/bin/env bash
# Tests the release build: scripts/release.sh 0.0.0-test must produce the archive, its checksum
# files and a passing scripts/check-release.sh, reproducibly; and check-release.sh must reject an
# archive whose binary is wrong. Slow the first time (a release build), quick after.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

version=0.0.0-test
case "$(uname -m)" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) echo "test-release: no release for $(uname -m)" >&2; exit 1 ;;
esac
name="gantry-$version-linux-$arch"
work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-test-release-XXXXXX")"
trap 'rm -rf "$work"' EXIT
failures=0
pass() { echo "test-release: ok    $*"; }
fail() { echo "test-release: FAIL  $*" >&2; failures=$((failures + 1)); }
check() { # DESCRIPTION COMMAND...
    local description="$1"
    shift
    if "$@"; then pass "$description"; else fail "$description"; fi
}

# --- VERSION is validated before anything is built ----------------------------------------------------
for bad in 1.2 v1.2.3 1.2.3.4 01.2.3 "1.2.3 " "1.2.3-" "1.2.3/../x"; do
    if scripts/release.sh "$bad" "$work/refused" >"$work/refused.log" 2>&1; then
        fail "release.sh accepted the version '$bad'"
    elif ! grep -q "MAJOR.MINOR.PATCH" "$work/refused.log"; then
        fail "release.sh refused '$bad' without saying why: $(cat "$work/refused.log")"
    fi
done
[ ! -e "$work/refused" ] || [ -z "$(ls -A "$work/refused")" ] || fail "release.sh wrote files for a refused version"
pass "release.sh refuses versions that are not MAJOR.MINOR.PATCH[-prerelease]"

# --- The release build ----------------------------------------------------------------------------------
out="$work/dist"
if ! scripts/release.sh "$version" "$out" >"$work/release.log" 2>&1; then
    cat "$work/release.log" >&2
    echo "test-release: FAIL  scripts/release.sh $version failed (its output is above)" >&2
    exit 1
fi
pass "scripts/release.sh $version"
check "check-release.sh ran and passed" grep -q "^check-release: $name passed$" "$work/release.log"

expected_files="$(printf '%s\n' "SHA256SUMS.$arch" "$name.tar.gz" "$name.tar.gz.sha256")"
check "OUTDIR holds the archive, its .sha256 and SHA256SUMS.$arch, nothing else" \
    test "$(ls -A "$out" | LC_ALL=C sort)" = "$expected_files"
check "$name.tar.gz.sha256 is sha256sum's line for the archive" \
    bash -c 'cd "$1" && sha256sum --check --status "$2.tar.gz.sha256" && [ "$(wc -l <"$2.tar.gz.sha256")" -eq 1 ]' _ "$out" "$name"

expected_entries="$(printf '%s\n' "$name/" "$name/LICENSE" "$name/README.md" "$name/THIRD_PARTY_NOTICES" "$name/gantry")"
check "the archive holds $name/ with gantry, LICENSE, README.md, THIRD_PARTY_NOTICES" \
    test "$(tar -tzf "$out/$name.tar.gz" | LC_ALL=C sort)" = "$expected_entries"
check "the archive's entries belong to 0:0 and share one mtime" \
    test "$(tar -tvzf "$out/$name.tar.gz" | awk '{print $2, $4, $5}' | sort -u | wc -l)" -eq 1
tar -xzf "$out/$name.tar.gz" -C "$work"
check "the archived binary prints $version" test "$("$work/$name/gantry" --version)" = "$version"
check "the archived LICENSE is the repository's" cmp -s "$work/$name/LICENSE" LICENSE

# What the release commit pins (release/SHA256SUMS) and the action verifies: the archive's line and
# the binary's, named exactly so.
sums="$out/SHA256SUMS.$arch"
archive_sum="$(sha256sum "$out/$name.tar.gz" | cut -d' ' -f1)"
binary_sum="$(sha256sum "$work/$name/gantry" | cut -d' ' -f1)"
check "SHA256SUMS.$arch is the archive's line, then the binary's" \
    test "$(cat "$sums")" = "$(printf '%s  %s\n%s  %s' "$archive_sum" "$name.tar.gz" "$binary_sum" "$name/gantry")"
check "SHA256SUMS.$arch verifies the archive and the extracted binary with sha256sum --check" \
    bash -c 'cp "$1" "$2" "$3/" && cd "$3" && sha256sum --check --strict --status "$(basename "$1")"' _ "$sums" "$out/$name.tar.gz" "$work"

# Reproducible: a second build of the same tree gives the same bytes (and is incremental).
if scripts/release.sh "$version" "$work/again" >"$work/again.log" 2>&1; then
    check "a second run gives a byte-identical archive" cmp -s "$out/$name.tar.gz" "$work/again/$name.tar.gz"
else
    fail "the second scripts/release.sh run failed: $(tail -n 5 "$work/again.log")"
fi

# --- check-release.sh rejects what it must ---------------------------------------------------------------
# repack DIR NAME BINARY: the good archive's files under another name, with another binary.
repack() {
    local dir="$work/$1" bad="$2"
    mkdir -p "$dir/$bad"
    cp "$work/$name/LICENSE" "$work/$name/README.md" "$work/$name/THIRD_PARTY_NOTICES" "$dir/$bad/"
    cp "$3" "$dir/$bad/gantry"
    tar -C "$dir" -czf "$dir/$bad.tar.gz" "$bad"
    echo "$dir/$bad.tar.gz"
}
rejects() { # DESCRIPTION EXPECTED-MESSAGE ARCHIVE
    if scripts/check-release.sh "$3" >"$work/rejected.log" 2>&1; then
        fail "check-release.sh passed $1"
    elif ! grep -q -- "$2" "$work/rejected.log"; then
        fail "check-release.sh rejected $1 but did not say '$2': $(cat "$work/rejected.log")"
    else
        pass "check-release.sh rejects $1 ($(grep FAILED "$work/rejected.log" | head -n 1 | cut -c1-100)…)"
    fi
}
# git itself links libpcre2-8 and libz dynamically, as a gantry linked the wrong way would.
rejects "a binary that needs libpcre2 dynamically" "needs libpcre2" \
    "$(repack dynamic "$name" "$(command -v git)")"
rejects "a binary whose --version is not the archive's" "expected '0.0.1-test'" \
    "$(repack mislabelled "gantry-0.0.1-test-linux-$arch" "$work/$name/gantry")"
mkdir -p "$work/tampered" && cp "$out/$name.tar.gz" "$work/tampered/" && echo "0000  $name.tar.gz" >"$work/tampered/$name.tar.gz.sha256"
rejects "an archive that does not match its .sha256" "does not match its checksum" "$work/tampered/$name.tar.gz"

if [ "$failures" -gt 0 ]; then
    echo "test-release: $failures failed" >&2
    exit 1
fi
echo "test-release: all passed"
