#!/usr/bin/env bash
# Checks the action and every workflow: each validates against GitHub's schemas (SchemaStore's copies,
# built into check-jsonschema), and zizmor, offline, finds nothing of medium severity or higher
# (zizmor.yml at the root says where a finding is inherent, and why). Installs both from PyPI when
# missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v check-jsonschema >/dev/null || missing+=(check-jsonschema)
command -v zizmor >/dev/null || missing+=(zizmor)
if [ ${#missing[@]} -gt 0 ]; then
    echo "lint: installing ${missing[*]} from PyPI" >&2
    python3 -m pip install --quiet "${missing[@]}" 2>/dev/null || python3 -m pip install --quiet --break-system-packages "${missing[@]}"
fi

workflows=(workflows/*.yml .github/workflows/*.yml)
check-jsonschema --builtin-schema vendor.github-actions action.yml
check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
zizmor --offline --min-severity medium action.yml "${workflows[@]}"
