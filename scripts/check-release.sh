#!/usr/bin/env bash
# Checks a release archive before anyone downloads it:
#
#   scripts/check-release.sh DIR/gantry-VERSION-linux-ARCH.tar.gz
#
# (a) its layout, and the .sha256 beside it when there is one; (b) readelf: the binary needs only
# shared libraries every GitHub-hosted Ubuntu runner has; (c) ldd: they all resolve here, and none
# is libgit2; the libraries it loads with dlopen (libcurl, on a command's first request) are in the
# same allow-list, load here, and so does all they need; (d) objdump: no glibc or libstdc++ symbol version newer than ubuntu-22.04's (glibc
# 2.35, GCC 12); (e) the binary runs: `--version` prints VERSION, and `validate` and `changes --all`
# succeed on the bundled example made a git repository. Prints each result; exits 1 on the first
# failure, saying what was expected and what was found.
set -euo pipefail

fail() { echo "check-release: FAILED: $*" >&2; exit 1; }
ok() { echo "check-release: ok  $*"; }

[ $# -eq 1 ] || fail "usage: scripts/check-release.sh DIR/gantry-VERSION-linux-ARCH.tar.gz"
archive="$1"
[ -f "$archive" ] || fail "no archive at '$archive'"
root="$(cd "$(dirname "$0")/.." && pwd)"
name="$(basename "$archive" .tar.gz)"
[[ "$name" =~ ^gantry-(.+)-linux-(x86_64|aarch64)$ ]] ||
    fail "'$(basename "$archive")' is not named gantry-VERSION-linux-ARCH.tar.gz (ARCH x86_64 or aarch64)"
version="${BASH_REMATCH[1]}"
arch="${BASH_REMATCH[2]}"
[ "$arch" = "$(uname -m)" ] || fail "the archive is for $arch but this machine is $(uname -m): it can check only its own architecture's binary"

# The oldest runner image the binary must run on, ubuntu-22.04: glibc 2.35, libstdc++ from GCC 12.
max_glibc=2.35
max_glibcxx=3.4.30
# Shared libraries on every hosted Ubuntu runner (22.04, 24.04, x86_64 and arm): glibc's, the C++
# runtime the static Foundation needs, and libcurl (loaded with dlopen when a command first makes a
# request) with what it loads (OpenSSL, zlib, GSSAPI).
allowed_needed=(
    libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libutil.so.1
    ld-linux-x86-64.so.2 ld-linux-aarch64.so.1
    libstdc++.so.6 libgcc_s.so.1
    libcurl.so.4 libssl.so.3 libcrypto.so.3 libz.so.1 libgssapi_krb5.so.2
)

work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-check-XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- (a) Layout -------------------------------------------------------------------------------------
if [ -f "$archive.sha256" ]; then
    (cd "$(dirname "$archive")" && sha256sum --check --status "$(basename "$archive").sha256") ||
        fail "$archive does not match its checksum in $archive.sha256"
    ok "sha256  $(cut -d' ' -f1 "$archive.sha256")"
fi
expected="$(printf '%s\n' "$name/" "$name/LICENSE" "$name/README.md" "$name/THIRD_PARTY_NOTICES" "$name/gantry")"
found="$(tar -tzf "$archive" | LC_ALL=C sort)"
[ "$found" = "$expected" ] || fail "the archive should hold exactly
$expected
but holds
$found"
tar -xzf "$archive" -C "$work"
gantry="$work/$name/gantry"
[ -x "$gantry" ] || fail "$name/gantry is not executable"
grep -q "Apache License" "$work/$name/LICENSE" || fail "$name/LICENSE is not the Apache License"
for notice in libgit2 libssh2 mbedtls pcre2 http-parser swift-argument-parser Yams "Runtime Library Exception" "Unicode, Inc"; do
    grep -qi -- "$notice" "$work/$name/THIRD_PARTY_NOTICES" || fail "THIRD_PARTY_NOTICES says nothing of $notice"
done
ok "layout  $name/{gantry,LICENSE,README.md,THIRD_PARTY_NOTICES}"

# --- (b) NEEDED -------------------------------------------------------------------------------------
needed="$(readelf -d "$gantry" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')"
[ -n "$needed" ] || fail "readelf -d found no NEEDED entries in $name/gantry: is it a dynamically linked ELF executable?"
for library in $needed; do
    case "$library" in
        *git2* | *mbed* | *ssh2* | *http_parser* | *pcre2*)
            fail "$name/gantry needs $library, which scripts/release.sh should have linked statically" ;;
    esac
    [[ " ${allowed_needed[*]} " == *" $library "* ]] ||
        fail "$name/gantry needs $library, which GitHub's Ubuntu runners may not have (allowed: ${allowed_needed[*]}); link it statically in scripts/release.sh"
done
ok "NEEDED  $(echo $needed)"

# --- (c) ldd ----------------------------------------------------------------------------------------
resolved="$(ldd "$gantry")" || fail "ldd $name/gantry failed:
$resolved"
if grep -q "not found" <<<"$resolved"; then
    fail "shared libraries of $name/gantry not found:
$(grep "not found" <<<"$resolved")"
fi
# Only libgit2 itself: libcurl loads its own libssh2 and OpenSSL, which is why (d) checks that the
# static copies are not exported.
if grep -q "libgit2" <<<"$resolved"; then
    fail "$name/gantry loads libgit2, which should be linked statically:
$(grep "libgit2" <<<"$resolved")"
fi
ok "ldd     every library resolves ($(wc -l <<<"$resolved") loaded), libgit2 not among them"

# What gantry loads with dlopen, as the loader reports it (LD_DEBUG=files) while a command makes a
# request: a TCP check of a port nobody listens on. Each name must be allowed and load with all it needs.
loads="$(env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work/home" LD_DEBUG=files "$gantry" gate --tcp 127.0.0.1:1 --deadline 1s 2>&1 >/dev/null || true)"
opened="$(sed -n 's/.*file=\([^ ]*\) *\[0\]; *dynamically loaded by .*gantry .*/\1/p' <<<"$loads" | sort -u)"
[ -n "$opened" ] || fail "gantry gate --tcp loaded no library with dlopen, though it loads libcurl for its checks:
$(grep -v 'file=' <<<"$loads" | tail -n 5)"
for library in $opened; do
    [[ " ${allowed_needed[*]} " == *" $library "* ]] ||
        fail "$name/gantry loads $library with dlopen, which GitHub's Ubuntu runners may not have (allowed: ${allowed_needed[*]})"
done
if grep -q "could not be loaded" <<<"$loads"; then
    fail "$name/gantry could not load what it loads with dlopen:
$(grep "could not be loaded" <<<"$loads")"
fi
for library in $opened; do
    # awk reads to the end: exiting at the first match would SIGPIPE ldconfig, and pipefail would
    # then end this script at random, silently.
    path="$(ldconfig -p | awk -v name="$library" '$1 == name && !found { print $NF; found = 1 }')"
    [ -n "$path" ] || fail "$library, which $name/gantry loads with dlopen, is not in the loader's cache (ldconfig -p)"
    missing="$(ldd "$path" | grep "not found" || true)"
    [ -z "$missing" ] || fail "$library ($path) needs libraries not found here:
$missing"
done
ok "dlopen  $(echo $opened) allowed, loads with all it needs"

# --- (d) Symbol versions ----------------------------------------------------------------------------
symbols="$(objdump -T "$gantry")"
highest() { grep -oE "\b$1_[0-9]+(\.[0-9]+)*\b" <<<"$symbols" | sed "s/^$1_//" | sort -uV | tail -n 1; }
glibc="$(highest GLIBC)"
glibcxx="$(highest GLIBCXX)"
[ -n "$glibc" ] || fail "objdump -T found no GLIBC_ symbol versions in $name/gantry"
newest() { printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n 1; }
[ "$(newest "$glibc" "$max_glibc")" = "$max_glibc" ] ||
    fail "$name/gantry needs GLIBC_$glibc, newer than ubuntu-22.04's $max_glibc; it needs these symbols:
$(grep -E "GLIBC_$glibc\b" <<<"$symbols" | awk '{print $NF}' | sort -u)"
if [ -n "$glibcxx" ] && [ "$(newest "$glibcxx" "$max_glibcxx")" != "$max_glibcxx" ]; then
    fail "$name/gantry needs GLIBCXX_$glibcxx, newer than ubuntu-22.04's $max_glibcxx"
fi
exported="$(grep -cE '\b(git_|libssh2_|mbedtls_|http_parser|pcre2_)' <<<"$symbols" || true)"
[ "$exported" -eq 0 ] ||
    fail "$name/gantry exports $exported symbols of its static libraries, which could interpose on libcurl's own libssh2 (is --exclude-libs in scripts/release.sh?)"
ok "symbols highest GLIBC_$glibc (at most $max_glibc), GLIBCXX_${glibcxx:-none} (at most $max_glibcxx); no static library's symbols exported"

# --- (e) It runs ------------------------------------------------------------------------------------
# A bare environment, as on a runner without Swift, and without GITHUB_* variables: outside Actions.
run() { env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work/home" LANG=C.UTF-8 "$gantry" "$@"; }
mkdir -p "$work/home"
printed="$(run --version 2>&1)" || fail "gantry --version failed:
$printed"
[ "$printed" = "$version" ] || fail "gantry --version printed '$printed', expected '$version'"
ok "runs    gantry --version: $printed"

repository="$work/example"
cp -R "$root/example/." "$repository"
(
    cd "$repository"
    export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
    export GIT_AUTHOR_NAME=example GIT_AUTHOR_EMAIL=example@example.com
    export GIT_COMMITTER_NAME=example GIT_COMMITTER_EMAIL=example@example.com
    git init -q --initial-branch=main
    git add -A
    git commit -q -m "the example monorepo"
)
output="$(cd "$repository" && run validate 2>&1)" || fail "gantry validate failed on the example:
$output"
output="$(cd "$repository" && run changes --all --format json 2>&1)" || fail "gantry changes --all --format json failed on the example:
$output"
if command -v python3 >/dev/null; then
    services="$(python3 -c 'import json, sys; print(len(json.load(sys.stdin)["services"]))' <<<"$output" 2>/dev/null)" ||
        fail "gantry changes --all --format json did not print a JSON object with services:
$output"
    ok "runs    gantry validate; gantry changes --all --format json: $services services"
else
    ok "runs    gantry validate; gantry changes --all --format json"
fi
echo "check-release: $name passed"
