#!/usr/bin/env bash
# Capture what the local rustc says about each wasm target, so the registry in
# packages/targets can be tested against rustc's own facts without needing
# rustc at test time.
#
# Usage: tools/rustc-targets/capture.sh [rustc-command...]
#   e.g. tools/rustc-targets/capture.sh            (the default `rustc`)
#        tools/rustc-targets/capture.sh rustc +nightly
#
# Writes captured/<release>/ with:
#   rustc-version.txt          `rustc -vV`
#   target-list.txt            the wasm lines of `rustc --print target-list`
#   <triple>.spec.json         `RUSTC_BOOTSTRAP=1 rustc --print target-spec-json -Z unstable-options --target <triple>`
#   <triple>.cfg               `rustc --print cfg --target <triple>`
# Targets the rustc does not know are skipped (and absent from target-list.txt).
set -euo pipefail
cd "$(dirname "$0")"
if [ "$#" -eq 0 ]; then set -- rustc; fi
RUSTC=("$@")

TARGETS=(
  wasm32-wasip1
  wasm32-wasip1-threads
  wasm32-wasip2
  wasm32-wasip3
  wasm32-unknown-unknown
  wasm32v1-none
  # Proposed targets: captured only once a rustc knows them.
  wasm32-none-component
  wasm32-webp2
)

release=$("${RUSTC[@]}" -vV | sed -n 's/^release: //p')
out="captured/$release"
rm -rf "$out"
mkdir -p "$out"
"${RUSTC[@]}" -vV > "$out/rustc-version.txt"
"${RUSTC[@]}" --print target-list | grep '^wasm' > "$out/target-list.txt"

for t in "${TARGETS[@]}"; do
  if ! grep -qx "$t" "$out/target-list.txt"; then
    echo "skip $t (unknown to rustc $release)"
    continue
  fi
  RUSTC_BOOTSTRAP=1 "${RUSTC[@]}" --print target-spec-json -Z unstable-options --target "$t" > "$out/$t.spec.json"
  "${RUSTC[@]}" --print cfg --target "$t" > "$out/$t.cfg"
  echo "captured $t"
done
echo "wrote $out"
