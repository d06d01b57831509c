//! The caller's random source: a C callback behind the kernel's RNG trait.

use core::convert::Infallible;
use core::ffi::c_void;

use paykernel::Error;
use rand_core::{TryCryptoRng, TryRng};

use crate::status::Fault;

/// A random source: fills `len` bytes at `out` with random bytes from a
/// cryptographically secure generator (a TRNG, a DRBG seeded from one) and
/// returns 0, or returns non-zero if it cannot (the call then fails with
/// `PK_ERR_RNG_FAILURE` and gives no output). `ctx` is the caller's, passed
/// through unchanged.
pub type PkRngFn = Option<unsafe extern "C" fn(ctx: *mut c_void, out: *mut u8, len: usize) -> i32>;

/// The kernel's infallible RNG over a fallible callback: a failure is
/// remembered (the bytes it gives are zeros) and [`CallbackRng::finish`]
/// turns it into [`Error::RngFailure`] before any output leaves.
pub(crate) struct CallbackRng {
    f: unsafe extern "C" fn(*mut c_void, *mut u8, usize) -> i32,
    ctx: *mut c_void,
    failed: bool,
}

impl CallbackRng {
    /// The callback, or a null-pointer fault.
    pub(crate) fn new(f: PkRngFn, ctx: *mut c_void) -> Result<Self, Fault> {
        Ok(CallbackRng {
            f: f.ok_or(Fault::Null)?,
            ctx,
            failed: false,
        })
    }

    /// `Err(RngFailure)` if the callback failed at any point.
    pub(crate) fn finish(&self) -> Result<(), Fault> {
        if self.failed {
            Err(Error::RngFailure.into())
        } else {
            Ok(())
        }
    }
}

impl TryRng for CallbackRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        if dst.is_empty() || self.failed {
            dst.fill(0);
            return Ok(());
        }
        // SAFETY: the caller's contract for `pk_rng_fn`: a callback that
        // writes at most `len` bytes at `out` and returns; `dst` is a
        // valid, exclusive buffer of `dst.len()` bytes for the call.
        let rc = unsafe { (self.f)(self.ctx, dst.as_mut_ptr(), dst.len()) };
        if rc != 0 {
            self.failed = true;
            dst.fill(0);
        }
        Ok(())
    }
}

/// The callback is the caller's CSPRNG (`pk_rng_fn`'s contract).
impl TryCryptoRng for CallbackRng {}
