#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are not installed yet (as root, or with
# passwordless sudo), quietly; does nothing when all are there. Shared by bootstrap.sh, release.sh,
# the benchmarks and the action's install step (action/install.sh), which adds its own advice to a
# failure. It never prompts: a CI job has nobody to type a password.
set -euo pipefail

missing=()
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -gt 0 ] || exit 0
me="$(basename "$0")"
command -v apt-get >/dev/null || { echo "$me: ${missing[*]} missing, and this machine has no apt-get" >&2; exit 1; }
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || { echo "$me: installing ${missing[*]} needs root or passwordless sudo" >&2; exit 1; }
    sudo="sudo -n"
fi
echo "$me: installing ${missing[*]}" >&2
$sudo apt-get update -qq >&2 || { echo "$me: apt-get update failed (see above)" >&2; exit 1; }
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "$me: apt-get could not install ${missing[*]} (see above)" >&2; exit 1; }
