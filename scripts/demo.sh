#!/usr/bin/env bash
# Runs gantry's main job on the bundled example monorepo (example/): builds gantry, makes the
# example a real git repository with a main branch and a feature branch that changes the shared
# library and the web service, asks gantry which services changed and why, computes their image
# tags, runs the whole job (`gantry run`: the environment up with the process provider, health,
# smoke, certificate and latency gates, the API over HTTPS with a per-run certificate, an end-to-end
# test that verifies it, the environment down), and renders the
# consolidated report (the step summary's markdown under Actions).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/bootstrap.sh
swift build -c release --static-swift-stdlib --product gantry >&2
gantry="$(swift build -c release --show-bin-path)/gantry"

work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-example-XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R example/. "$work"
cd "$work"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=example GIT_AUTHOR_EMAIL=example@example.com
export GIT_COMMITTER_NAME=example GIT_COMMITTER_EMAIL=example@example.com
git init -q --initial-branch=main
git add -A && git commit -q -m "the example monorepo"
git checkout -q -b feature/slugs
printf '\n\ndef title(slug):\n    return slug.replace("-", " ").title()\n' >> libs/common/text.py
printf '<p>Now with slugs.</p>\n' >> services/web/index.html
printf '\nSlugs are documented here.\n' >> services/api/README.md
git commit -q -am "slugs in the shared library and the web page"

unset GITHUB_ACTIONS
"$gantry" validate
echo
"$gantry" changes --sarif "$work/gantry.sarif"
echo
echo "As JSON (gantry changes --format json):"
"$gantry" changes --format json
echo
echo "The changed services' images (gantry tags):"
"$gantry" tags
echo
echo "The whole job (gantry run): the changed services and their dependencies up, gated, tested, down:"
"$gantry" run --test "python3 tests/e2e.py"
echo
echo "The step summary's markdown (gantry summary --summary-file):"
"$gantry" summary --summary-file "$work/summary.md" >/dev/null
cat "$work/summary.md"
