#!/usr/bin/env bash
# Runs gantry's whole test suite: unit, integration (real git repositories, real servers, real
# processes) and end-to-end tests of the binary. Installs what it needs first. Arguments go to
# `swift test` (such as --filter NAME) and then run in one pass.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build --build-tests
if [ $# -gt 0 ]; then
    exec swift test --skip-build "$@"
fi
# Gates and HTTP timeouts are checked against their deadlines (±10 %), which a 2-core machine busy
# with the rest of the suite (hundreds of git, server and service processes) cannot keep: those two
# suites each run alone, after the rest.
timed=(GateTests HTTPSessionTests)
skips=()
for suite in "${timed[@]}"; do skips+=(--skip "$suite"); done
# The fuzzing suite runs the binary under time limits hundreds of times: it runs alone too, last.
skips+=(--skip FuzzingTests)
swift test --skip-build "${skips[@]}"
for suite in "${timed[@]}"; do swift test --skip-build --filter "$suite"; done
swift test --skip-build --filter FuzzingTests
