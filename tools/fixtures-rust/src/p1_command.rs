//! A WASI preview 1 command: `_start` writes "hi\n" to stdout with `fd_write`
//! and exits with `proc_exit(0)`. Built for wasm32-wasip1 and wasm32-wasip2
//! (where wasm-component-ld adapts the preview 1 imports to WASI 0.2).
#![feature(no_core, lang_items, rustc_attrs, auto_traits)]
#![allow(internal_features, unused)]
#![no_core]
#![no_main]

#[path = "minicore.rs"]
mod minicore;
use minicore::*;

#[repr(C)]
pub struct Iovec {
    buf: *const u8,
    len: u32,
}

#[link(wasm_import_module = "wasi_snapshot_preview1")]
unsafe extern "C" {
    fn fd_write(fd: i32, iovs: *const Iovec, iovs_len: u32, nwritten: *mut u32) -> i32;
    fn proc_exit(code: i32) -> !;
}

#[unsafe(no_mangle)]
pub extern "C" fn _start() {
    let hi: [u8; 3] = [b'h', b'i', b'\n'];
    let mut written: u32 = 0;
    let iov = Iovec { buf: &raw const hi as *const u8, len: 3 };
    unsafe {
        fd_write(1, &iov, 1, &raw mut written);
        proc_exit(0);
    }
}
