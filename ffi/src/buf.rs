//! Raw pointers from C to slices, after the checks.

use paykernel::Error;

use crate::status::Fault;

/// The `len` bytes at `ptr`: empty for `len == 0` (whatever `ptr`), a
/// null-pointer fault for a null `ptr` with a non-zero `len`, an
/// invalid-length fault past `isize::MAX`.
///
/// # Safety
/// A non-null `ptr` must point to `len` readable bytes that stay valid and
/// unchanged for `'a`.
pub(crate) unsafe fn input<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], Fault> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Fault::Null);
    }
    if isize::try_from(len).is_err() {
        return Err(Error::InvalidLength.into());
    }
    // SAFETY: `ptr` is non-null and, by this function's contract, points
    // to `len` readable bytes valid for `'a`; `len` fits in `isize`. A
    // `u8` has no alignment requirement.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// The `len` writable bytes at `ptr`, zeroed (so that an error leaves no
/// stale data in them): a null-pointer fault for a null `ptr` (even with
/// `len == 0`: an output is always required).
///
/// # Safety
/// A non-null `ptr` must point to `len` writable bytes, valid for `'a` and
/// not aliased by any other argument of the call.
pub(crate) unsafe fn output<'a>(ptr: *mut u8, len: usize) -> Result<&'a mut [u8], Fault> {
    if ptr.is_null() {
        return Err(Fault::Null);
    }
    if isize::try_from(len).is_err() {
        return Err(Error::InvalidLength.into());
    }
    // SAFETY: `ptr` is non-null and, by this function's contract, points
    // to `len` writable bytes valid for `'a` that nothing else aliases;
    // `len` fits in `isize`.
    let out = unsafe { core::slice::from_raw_parts_mut(ptr, len) };
    out.fill(0);
    Ok(out)
}

/// The object at `ptr`, or a null-pointer fault.
///
/// # Safety
/// A non-null `ptr` must point to a valid, aligned `T`, not written by
/// anyone else for `'a`.
pub(crate) unsafe fn object<'a, T>(ptr: *const T) -> Result<&'a T, Fault> {
    // SAFETY: by this function's contract a non-null `ptr` is a valid,
    // aligned `T` for `'a`; `as_ref` gives `None` for null.
    unsafe { ptr.as_ref() }.ok_or(Fault::Null)
}

/// The object at `ptr` to write, or a null-pointer fault.
///
/// # Safety
/// A non-null `ptr` must point to a valid, aligned `T`, not accessed by
/// anyone else for `'a`.
pub(crate) unsafe fn object_mut<'a, T>(ptr: *mut T) -> Result<&'a mut T, Fault> {
    // SAFETY: by this function's contract a non-null `ptr` is a valid,
    // aligned, unaliased `T` for `'a`; `as_mut` gives `None` for null.
    unsafe { ptr.as_mut() }.ok_or(Fault::Null)
}

/// Writes `len` to `*ptr` if `ptr` is not null (an optional length out).
///
/// # Safety
/// A non-null `ptr` must point to a writable, aligned `usize`.
pub(crate) unsafe fn set_len(ptr: *mut usize, len: usize) {
    // SAFETY: by this function's contract a non-null `ptr` is a writable,
    // aligned `usize`; `as_mut` gives `None` for null.
    if let Some(p) = unsafe { ptr.as_mut() } {
        *p = len;
    }
}

/// Copies `src` to the start of `out`: an invalid-length fault (and
/// nothing written) if `out` is shorter.
pub(crate) fn put(out: &mut [u8], src: &[u8]) -> Result<(), Fault> {
    out.get_mut(..src.len())
        .ok_or(Error::InvalidLength)?
        .copy_from_slice(src);
    Ok(())
}
