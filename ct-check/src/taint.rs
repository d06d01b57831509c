//! The valgrind client requests of `taint.c` behind a safe interface: the
//! only `unsafe` code of the harness.
#![allow(
    unsafe_code,
    reason = "valgrind client requests go through C; each call is sound as documented"
)]

use core::ffi::{CStr, c_char, c_int, c_long, c_void};

unsafe extern "C" {
    fn ct_secret(p: *mut c_void, n: usize);
    fn ct_public(p: *mut c_void, n: usize);
    fn ct_running() -> c_int;
    fn ct_undefined_bytes(p: *const c_void, n: usize) -> c_long;
    fn ct_error_count() -> c_long;
    fn ct_log(line: *const c_char);
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

/// How many errors memcheck has reported so far (not the suppressed
/// ones); `None` outside valgrind.
pub fn error_count() -> Option<u64> {
    // SAFETY: no arguments; the request only reads valgrind's counter.
    u64::try_from(unsafe { ct_error_count() }).ok()
}

/// Writes `line` to valgrind's log (nothing outside valgrind).
pub fn log(line: &CStr) {
    // SAFETY: `line` is a valid NUL-terminated string for the call; the C
    // side only formats it into valgrind's log.
    unsafe { ct_log(line.as_ptr()) }
}

/// Whether the program runs under valgrind.
pub fn under_valgrind() -> bool {
    // SAFETY: no arguments; the request only asks valgrind whether it runs.
    unsafe { ct_running() != 0 }
}

/// [`declassify`] over the whole in-memory representation of `value`: for
/// an output the kernel returns as a struct (a PIN block), declassified
/// before any of its accessors run. (The compiler may copy such a struct
/// in chunks that mix a public field with secret bytes and then compare
/// the chunk as a whole; memcheck's compare of a partly undefined word is
/// not exact, and it would report the caller's own code.)
pub fn declassify_value<T>(value: &mut T) -> Option<usize> {
    let n = core::mem::size_of::<T>();
    let p: *mut T = value;
    // SAFETY: `p` points to the `n` bytes of `value`, exclusively borrowed
    // for the call; the requests only read and change memcheck's shadow
    // state, never the bytes.
    let k = unsafe { ct_undefined_bytes(p.cast::<c_void>().cast_const(), n) };
    // SAFETY: as above.
    unsafe { ct_public(p.cast(), n) }
    usize::try_from(k).ok()
}
