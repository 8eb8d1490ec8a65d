#!/usr/bin/env bash
# Build the Rust fixtures into bin/ (checked in). See README.md.
#
# No wasm standard library is installed for this rustc (rustup's rust-std for
# wasm targets and rust-src need the network; Debian's libstd-rust-dev-wasm32
# is for Debian's rustc 1.63, not 1.95), so the sources are `#![no_core]`
# with a few lang items of their own (src/minicore.rs); RUSTC_BOOTSTRAP=1
# unlocks the features that needs. The linkers (rust-lld, wasm-component-ld)
# ship with rustc itself.
#
# The wasm32-none-component fixture is built for a target rustc 1.95 does not
# have, from the target-spec JSON our registry emits (targets/*.json; a test in
# packages/targets checks those files equal `targetSpecJson()`).
set -euo pipefail
cd "$(dirname "$0")"
RUSTC=${RUSTC:-rustc}
export RUSTC_BOOTSTRAP=1
mkdir -p bin

build() {
  local out=$1
  shift
  "$RUSTC" --edition 2024 --crate-type cdylib -O -C panic=abort -C debuginfo=0 \
    --remap-path-prefix "$PWD=." "$@" -o "bin/$out"
  echo "built bin/$out"
}

build p1-command.wasm --target wasm32-wasip1 src/p1_command.rs
build p1-threads-command.wasm --target wasm32-wasip1-threads src/p1_command.rs
build p2-command.wasm --target wasm32-wasip2 src/p1_command.rs
build p3-command.wasm --target wasm32-wasip3 src/p1_command.rs
build p3-async-command.wasm --target wasm32-wasip3 \
  -C link-arg=--component-type -C link-arg=src/p3_async.wit src/p3_async.rs
build unknown-add.wasm --target wasm32-unknown-unknown src/pure.rs
build v1-none-add.wasm --target wasm32v1-none src/pure.rs
build none-component-add.wasm -Z unstable-options --target targets/wasm32-none-component.json \
  -C link-arg=--component-type -C link-arg=src/pure.wit src/pure.rs

"$RUSTC" -vV > bin/RUSTC_VERSION
(cd bin && sha256sum -- *.wasm > SHA256SUMS)
echo "wrote bin/SHA256SUMS"
