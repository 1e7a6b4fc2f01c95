#!/usr/bin/env bash
# Builds gantry's release archive for this machine's architecture:
#
#   scripts/release.sh VERSION [OUTDIR]      (OUTDIR default: .build-release/dist)
#
# writes OUTDIR/gantry-VERSION-linux-ARCH.tar.gz, its .sha256, and OUTDIR/SHA256SUMS.ARCH (the
# archive's and its binary's checksums: the lines the release commit pins in release/SHA256SUMS).
#
# The binary must run on every GitHub-hosted Ubuntu runner, which have libcurl, OpenSSL, zlib and
# GSSAPI but not Debian's libgit2 1.5. So the Swift runtime and Foundation are linked statically
# (--static-swift-stdlib), so are libgit2 and the libraries Debian builds it with (mbedTLS,
# http-parser, libssh2, PCRE2), from Debian's own .a files, and the rest stays dynamic.
# scripts/check-release.sh then proves it on the archive itself. Build it on Debian 12 (glibc 2.36,
# but what gantry uses of it is at most 2.35's, which check-release.sh checks): the release
# workflow does, in the swift:6.3-bookworm image.
#
# The build is of the working tree's files as git sees them (tracked, plus new files not yet added;
# never ignored ones such as .build or local settings) copied into .build-release/src with the
# version stamped in. In CI that is exactly the dispatched commit. Both that copy and the scratch
# path are stable, so a second run rebuilds only what changed.
set -euo pipefail

die() { echo "release: $*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: scripts/release.sh VERSION [OUTDIR], e.g. scripts/release.sh 1.4.0"
version="$1"
# Semantic versioning's MAJOR.MINOR.PATCH with an optional pre-release: it names the tag (vVERSION)
# and the file names the action downloads, so nothing else may slip in.
semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'
[[ "$version" =~ $semver ]] || die "VERSION must be MAJOR.MINOR.PATCH with an optional -prerelease (1.4.0, 2.0.0-rc.1), not '$version'"

root="$(cd "$(dirname "$0")/.." && pwd)"
build_root="$root/.build-release"
outdir="${2:-$build_root/dist}"
mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"

case "$(uname -m)" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "no release for architecture '$(uname -m)': gantry releases x86_64 and aarch64" ;;
esac
# Debian's multiarch directory, where the -dev packages put their .a files.
libdir="/usr/lib/$arch-linux-gnu"
name="gantry-$version-linux-$arch"
started=$SECONDS

# --- What the build links ---------------------------------------------------------------------
# libgit2-dev pulls in the -dev packages of everything libgit2 links; libkrb5-dev for the
# libgssapi_krb5.so symlink, since Debian's libgit2.a calls GSSAPI but its libgit2.pc omits it;
# binutils for the checks (readelf, objdump).
"$root/scripts/apt-install.sh" git pkg-config binutils gzip libgit2-dev libcurl4-openssl-dev libssl-dev libkrb5-dev zlib1g-dev libicu-dev
command -v swift >/dev/null || die "swift is not on PATH; install the Swift 6 toolchain from swift.org"

# Linked statically: libgit2 and its dependencies, each with the Debian package whose copyright
# file THIRD_PARTY_NOTICES quotes. Dynamic: what every hosted runner has (check-release.sh holds
# the list) and what libcurl loads anyway, so one copy of OpenSSL and zlib serves both.
static_libs=(git2 mbedtls mbedx509 mbedcrypto http_parser ssh2 pcre2-8)
dynamic_libs=(ssl crypto z rt gssapi_krb5)
# Debian may rebuild libgit2 against something new; decide for it here rather than link it by luck.
for flag in $(pkg-config --static --libs-only-l libgit2); do
    lib="${flag#-l}"
    [[ " ${static_libs[*]} ${dynamic_libs[*]} " == *" $lib "* ]] ||
        die "libgit2 now links '$lib' (pkg-config --static --libs libgit2); add it to static_libs or dynamic_libs in scripts/release.sh"
done

# The linker takes, for each -lNAME, the first directory on its search path (-L directories in
# order, then the system's) holding libNAME.so or libNAME.a. So a directory holding only the wanted
# .a files is searched first, and the -lgit2 of CGit2 (and the -l flags below) resolve to Debian's
# static archives while -lcrypto and the rest still find their .so in the system directory.
static_dir="$build_root/static-libs"
rm -rf "$static_dir"
mkdir -p "$static_dir"
linker_flags=()
exclude_libs=""
for lib in "${static_libs[@]}"; do
    [ -f "$libdir/lib$lib.a" ] || die "$libdir/lib$lib.a is missing; its Debian -dev package should provide it (dpkg -S lib$lib.so)"
    ln -s "$libdir/lib$lib.a" "$static_dir/lib$lib.a"
    [ "$lib" = git2 ] || linker_flags+=(-Xlinker "-l$lib")
    exclude_libs+="${exclude_libs:+:}lib$lib.a"
done
for lib in "${dynamic_libs[@]}"; do
    linker_flags+=(-Xlinker "-l$lib")
done
# SwiftPM reads CGit2's .pc file itself and, unlike pkg-config, keeps its -L/usr/lib/<multiarch>,
# which would put the system directory (and libgit2.so) ahead of ours. Its own copy comes first on
# PKG_CONFIG_PATH, pointing at the static directory. (libcurl is not linked: gantry loads it with
# dlopen when a command first makes a request.)
pc_dir="$build_root/pkgconfig"
mkdir -p "$pc_dir"
cat >"$pc_dir/libgit2.pc" <<EOF
Name: libgit2
Description: Debian's static libgit2, for scripts/release.sh
Version: $(pkg-config --modversion libgit2)
Cflags: $(pkg-config --cflags libgit2)
Libs: -L$static_dir -lgit2
EOF
# The same holds for COpenSSL's openssl.pc (libssl's -L/usr/lib/<multiarch>): its copy names the
# libraries alone, which resolve to the system's .so as the dynamic list above intends.
cat >"$pc_dir/openssl.pc" <<EOF
Name: OpenSSL
Description: Debian's libssl and libcrypto, linked dynamically, for scripts/release.sh
Version: $(pkg-config --modversion openssl)
Libs: -lssl -lcrypto
EOF
# Swift executables export their symbols; without this the static copies of libssh2 (and the rest)
# would be exported too and could interpose on the copies libcurl loads dynamically.
linker_flags+=(-Xlinker --exclude-libs -Xlinker "$exclude_libs")

# --- The source copy, version stamped ---------------------------------------------------------
src="$build_root/src"
list="$(mktemp)"
work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-release-XXXXXX")"
trap 'rm -rf "$work" "$list"' EXIT
version_file=Sources/GantryKit/Version.swift
git -C "$root" ls-files -z --cached --others --exclude-standard | LC_ALL=C sort -zu >"$list"
grep -qzx "$version_file" "$list" || die "$version_file is not in the tree; it holds gantryVersion for this script to stamp"
mkdir -p "$src"
# Files no longer in the tree go; changed files are copied, unchanged ones keep their timestamps so
# the build stays incremental.
(cd "$src" && find . -type f -printf '%P\0' | LC_ALL=C sort -z) | LC_ALL=C comm -z -23 - "$list" | (cd "$src" && xargs -0r rm -f --)
find "$src" -mindepth 1 -type d -empty -delete
while IFS= read -r -d '' file; do
    [ "$file" != "$version_file" ] || continue
    [ -e "$root/$file" ] || continue # deleted in the working tree, not yet in the index
    if ! cmp -s "$root/$file" "$src/$file"; then
        mkdir -p "$src/$(dirname "$file")"
        cp -P --preserve=mode "$root/$file" "$src/$file"
    fi
done <"$list"
stamp='^\([a-z]* *\)let gantryVersion = "[^"]*"$'
grep -qx "$stamp" "$root/$version_file" ||
    die "$version_file must hold the line '[ACCESS] let gantryVersion = \"…\"' for this script to stamp"
sed "s/$stamp/\1let gantryVersion = \"$version\"/" "$root/$version_file" >"$work/Version.swift"
cmp -s "$work/Version.swift" "$src/$version_file" || cp "$work/Version.swift" "$src/$version_file"

# --- Build --------------------------------------------------------------------------------------
scratch="$build_root/build"
echo "release: building gantry $version for linux-$arch (scratch path $scratch)" >&2
build_started=$SECONDS
(cd "$src" && PKG_CONFIG_PATH="$pc_dir" swift build -c release --static-swift-stdlib --product gantry --scratch-path "$scratch" "${linker_flags[@]}") >&2
build_seconds=$((SECONDS - build_started))
binary="$(cd "$src" && swift build -c release --scratch-path "$scratch" --show-bin-path)/gantry"
[ -x "$binary" ] || die "swift build succeeded but $binary is not there"

# --- Notices --------------------------------------------------------------------------------------
notices="$work/THIRD_PARTY_NOTICES"
section() { printf '\n%s\n%s\n%s\n\n' "================================================================================" "$1" "================================================================================"; }
{
    echo "gantry $version for linux-$arch includes the following third-party software, linked"
    echo "statically into the gantry binary. Their licenses follow."
    # One section per Debian package (libmbedtls-dev ships three of the archives).
    declare -A archives_of=()
    packages_in_order=()
    for lib in "${static_libs[@]}"; do
        package="$(dpkg -S "$(readlink -f "$libdir/lib$lib.a")" | cut -d: -f1)"
        [ -n "${archives_of[$package]:-}" ] || packages_in_order+=("$package")
        archives_of[$package]+="${archives_of[$package]:+, }lib$lib.a"
    done
    for package in "${packages_in_order[@]}"; do
        copyright="/usr/share/doc/$package/copyright"
        [ -f "$copyright" ] || die "$copyright is missing: the license of ${archives_of[$package]} (Debian package $package) must go into THIRD_PARTY_NOTICES"
        section "${archives_of[$package]}: Debian package $package $(dpkg-query -W -f='${Version}' "$package") (its debian/copyright)"
        cat "$copyright"
    done
    for package in swift-argument-parser Yams; do
        license="$(find "$scratch/checkouts/$package" -maxdepth 1 -iname 'LICENSE*' -type f | sort | head -n 1)"
        [ -n "$license" ] || die "no LICENSE file in $scratch/checkouts/$package"
        section "$package $(cd "$scratch/checkouts/$package" && git describe --tags --always 2>/dev/null || echo '') ($(basename "$license"))"
        cat "$license"
    done
    # The toolchain's license covers its runtime, Foundation and swift-foundation-icu (Foundation's
    # packaging of ICU, linked in by --static-swift-stdlib since gantry imports Foundation).
    swift_license="$(dirname "$(readlink -f "$(command -v swift)")")/../share/swift/LICENSE.txt"
    [ -f "$swift_license" ] || die "the Swift toolchain's license is not at $swift_license"
    section "The Swift runtime and standard library, Foundation, Dispatch and swift-foundation-icu ($(swift --version 2>/dev/null | head -n 1))"
    cat "$swift_license"
    # swift-foundation-icu packages ICU, whose own license (the Unicode license and the notices of
    # the code ICU includes) must travel with it; Debian's libicu-dev ships that file verbatim.
    icu_license="$(find /usr/share/icu -maxdepth 2 -name LICENSE -type f | sort | tail -n 1)"
    [ -n "$icu_license" ] || die "ICU's license is not under /usr/share/icu (Debian package libicu-dev)"
    section "ICU, as packaged by swift-foundation-icu ($(basename "$(dirname "$icu_license")")'s license text)"
    cat "$icu_license"
} >"$notices"

# --- Archive --------------------------------------------------------------------------------------
stage="$work/stage"
mkdir -p "$stage/$name"
install -m 0755 "$binary" "$stage/$name/gantry"
install -m 0644 "$root/LICENSE" "$root/README.md" "$notices" "$stage/$name/"
# Reproducible where it is cheap: the same tree and toolchain give the same bytes.
epoch="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}"
archive="$work/$name.tar.gz"
tar -C "$stage" --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner --format=gnu -cf - "$name" |
    gzip -n >"$archive"
(cd "$work" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")

echo "release: checking $name.tar.gz" >&2
"$root/scripts/check-release.sh" "$archive"

mv -f "$archive" "$archive.sha256" "$outdir/"
{
    cat "$outdir/$name.tar.gz.sha256"
    (cd "$stage" && sha256sum "$name/gantry")
} >"$outdir/SHA256SUMS.$arch"

size() { du -h --apparent-size "$1" | cut -f1; }
echo
echo "release: built $outdir/$name.tar.gz"
echo "  archive  $(size "$outdir/$name.tar.gz")  (binary $(size "$stage/$name/gantry"))"
echo "  build    ${build_seconds}s (all of release.sh: $((SECONDS - started))s)"
echo "  SHA256SUMS.$arch:"
sed 's/^/    /' "$outdir/SHA256SUMS.$arch"
