#!/usr/bin/env bash
# Runs gantry's whole test suite: unit, integration (real git repositories, real servers, real
# processes) and end-to-end tests of the binary; the action (its install and run steps); the
# release archive (scripts/test-release.sh); the action and workflows against GitHub's schemas and
# zizmor; and every workflow in workflows/ under act (WorkflowTests). Installs what it needs first.
# Arguments go to `swift test` (such as --filter NAME) and then only that runs, in one pass.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build --build-tests
if [ $# -gt 0 ]; then
    exec swift test --skip-build "$@"
fi
# Gates and HTTP timeouts are checked against their deadlines (±10 %), which a 2-core machine busy
# with the rest of the suite (hundreds of git, server and service processes) cannot keep: those two
# suites each run alone, after the rest. The workflows under act build gantry from source once and
# run whole jobs, and the fuzzing suite runs the binary under time limits hundreds of times: they
# run alone too.
alone=(GateTests HTTPSessionTests WorkflowTests FuzzingTests)
# Suites that bound how long something takes (a timeout honoured, a teardown within the runner's
# window) run together in a pass of their own: in the main pass an async test may wait many seconds
# for one of the cooperative pool's threads, which the rest of the suite keeps busy, and then its
# clock measures the machine rather than gantry.
timed="PlainClientTests|ProcessProviderTests|ComposeProviderTests|CommandProviderTests|RunCommandTests|EnvCommandTests|GateCommandTests|HostileInputTests|ServerHandshakeTests|GitFetchTests|InstallTests"
skips=(--skip "$timed")
for suite in "${alone[@]}"; do skips+=(--skip "$suite"); done
swift test --skip-build "${skips[@]}"
swift test --skip-build --filter "$timed"
for suite in "${alone[@]}"; do swift test --skip-build --filter "$suite"; done
scripts/lint-workflows.sh
scripts/test-release.sh
