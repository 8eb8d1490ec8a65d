//! A component that imports nothing: exports `add(s32, s32) -> s32` (see
//! pure.wit). Built for the proposed wasm32-none-component target from the
//! target-spec JSON the registry emits (targets/wasm32-none-component.json).
#![feature(no_core, lang_items, auto_traits)]
#![allow(internal_features, unused)]
#![no_core]
#![no_main]

#[path = "minicore.rs"]
mod minicore;
use minicore::*;

#[unsafe(no_mangle)]
pub extern "C" fn add(a: i32, b: i32) -> i32 {
    a + b
}
