# Shared by the benchmark scripts (sourced, not run): messages, and the gantry binary to measure.

die() { echo "error: $*" >&2; exit 1; }
step() { echo; echo "==> $*"; }

# Sets `gantry` to $GANTRY_BIN, or to a release build of the checkout at $1 (statically linked Swift
# runtime, as releases are), built first.
locate_gantry() {
  local root="$1"
  if [[ -n "${GANTRY_BIN:-}" ]]; then
    [[ -f "$GANTRY_BIN" && -x "$GANTRY_BIN" ]] || die "GANTRY_BIN=$GANTRY_BIN is not an executable file"
    gantry="$(cd "$(dirname "$GANTRY_BIN")" && pwd)/$(basename "$GANTRY_BIN")"
    step "using GANTRY_BIN=$gantry"
  else
    command -v swift >/dev/null || die "swift not found (or set GANTRY_BIN)"
    step "building gantry (swift build -c release --static-swift-stdlib --product gantry) in $root"
    (cd "$root" && swift build -c release --static-swift-stdlib --product gantry) || die "release build failed"
    gantry="$(cd "$root" && swift build -c release --show-bin-path)/gantry"
    [[ -x "$gantry" ]] || die "built binary not found at $gantry"
  fi
}
