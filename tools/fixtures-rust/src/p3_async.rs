//! A WASI 0.3 command using the component model's async ABI: `run` is
//! lifted `async` with a callback (wit-component's `[async-lift]` and
//! `[callback]` export names), returns its result with `task.return`, and
//! calls `wasi:clocks/monotonic-clock@0.3.0#now`. Built for wasm32-wasip3
//! with `src/p3_async.wit` as the component type.
#![feature(no_core, lang_items, auto_traits)]
#![allow(internal_features, unused)]
#![no_core]
#![no_main]

#[path = "minicore.rs"]
mod minicore;
use minicore::*;

#[link(wasm_import_module = "wasi:clocks/monotonic-clock@0.3.0")]
unsafe extern "C" {
    #[link_name = "now"]
    fn now() -> i64;
}

#[link(wasm_import_module = "[export]wasi:cli/run@0.3.0")]
unsafe extern "C" {
    /// `task.return` for `run`: `result` without payloads lowers to one i32 (0 = ok).
    #[link_name = "[task-return]run"]
    fn task_return(result: i32);
}

/// The async lift's entry: returns a callback code; 0 is EXIT (the task is done).
#[unsafe(export_name = "[async-lift]wasi:cli/run@0.3.0#run")]
pub extern "C" fn run() -> i32 {
    unsafe {
        now();
        task_return(0);
    }
    0
}

/// The callback the runtime calls with events; never called here because `run` exits at once.
#[unsafe(export_name = "[callback][async-lift]wasi:cli/run@0.3.0#run")]
pub extern "C" fn run_callback(_event: i32, _waitable: i32, _code: i32) -> i32 {
    0
}
