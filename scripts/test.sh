#!/usr/bin/env bash
# Runs gantry's whole test suite: unit, integration (real git repositories, real processes) and
# end-to-end tests of the binary. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build --build-tests
swift test --skip-build "$@"
