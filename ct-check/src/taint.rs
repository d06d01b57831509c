//! The valgrind client requests of `taint.c` behind a safe interface: the
//! only `unsafe` code of the harness.
#![allow(
    unsafe_code,
    reason = "valgrind client requests go through C; each call is sound as documented"
)]

use core::ffi::{c_int, c_long, c_void};

unsafe extern "C" {
    fn ct_secret(p: *mut c_void, n: usize);
    fn ct_public(p: *mut c_void, n: usize);
    fn ct_running() -> c_int;
    fn ct_undefined_bytes(p: *const c_void, n: usize) -> c_long;
}

/// Marks `bytes` secret: undefined to memcheck, so that any branch or
/// memory address computed from them is reported.
pub fn secret(bytes: &mut [u8]) {
    // SAFETY: the pointer and length are those of `bytes`, which the
    // exclusive borrow keeps alive for the call; the request changes only
    // memcheck's shadow state, never the bytes themselves.
    unsafe { ct_secret(bytes.as_mut_ptr().cast(), bytes.len()) }
}

/// Marks `bytes` public again and returns how many of them carried secret
/// data (held an undefined bit) just before; `None` outside valgrind.
pub fn declassify(bytes: &mut [u8]) -> Option<usize> {
    // SAFETY: as in `secret`: a valid, borrowed range; the request only
    // reads memcheck's shadow state into a buffer local to the C function.
    let n = unsafe { ct_undefined_bytes(bytes.as_ptr().cast(), bytes.len()) };
    // SAFETY: as in `secret`.
    unsafe { ct_public(bytes.as_mut_ptr().cast(), bytes.len()) }
    usize::try_from(n).ok()
}

/// Whether the program runs under valgrind.
pub fn under_valgrind() -> bool {
    // SAFETY: no arguments; the request only asks valgrind whether it runs.
    unsafe { ct_running() != 0 }
}
