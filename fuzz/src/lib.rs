//! Helpers shared by the fuzz targets: a deterministic RNG and ways to draw
//! inputs that are mostly of a valid shape (key lengths, PAN digits) so
//! that the fuzzer reaches past the first length check.

use std::convert::Infallible;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use rand_core::{TryCryptoRng, TryRng};

/// SplitMix64 from a seed the input chooses: deterministic, so that a
/// crash reproduces from its input. Not secure; only for fuzzing.
#[derive(Debug)]
pub struct FuzzRng(u64);

impl FuzzRng {
    /// A generator from `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        FuzzRng(seed)
    }

    fn step(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl TryRng for FuzzRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> std::result::Result<u32, Infallible> {
        Ok((self.step() >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> std::result::Result<u64, Infallible> {
        Ok(self.step())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> std::result::Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let v = self.step().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}

/// Only so that the kernel's `CryptoRng` bound accepts it while fuzzing.
impl TryCryptoRng for FuzzRng {}

/// `n` bytes from the input (zeros once it runs out).
pub fn bytes(u: &mut Unstructured<'_>, n: usize) -> Result<Vec<u8>> {
    let mut out = vec![0u8; n];
    let avail = u.len().min(n);
    out[..avail].copy_from_slice(u.bytes(avail)?);
    Ok(out)
}

/// A length from `usual` most of the time, any length up to `max`
/// otherwise.
pub fn length(u: &mut Unstructured<'_>, usual: &[usize], max: usize) -> Result<usize> {
    if u.ratio(7, 8)? {
        Ok(*u.choose(usual)?)
    } else {
        u.int_in_range(0..=max)
    }
}

/// Key bytes of a usual length for the cipher (or any other length, at
/// times).
pub fn key(u: &mut Unstructured<'_>, usual: &[usize]) -> Result<Vec<u8>> {
    let n = length(u, usual, 80)?;
    bytes(u, n)
}

/// ASCII decimal digits, `min..=max` of them, with a stray non-digit at
/// times.
pub fn digits(u: &mut Unstructured<'_>, min: usize, max: usize) -> Result<Vec<u8>> {
    let n = u.int_in_range(min..=max)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(b'0' + u.int_in_range(0..=9)?);
    }
    if !out.is_empty() && u.ratio(1, 16)? {
        let i = u.choose_index(out.len())?;
        out[i] = u.arbitrary()?;
    }
    Ok(out)
}

/// A PAN of 12 to 19 digits most of the time, of any shape at times.
pub fn pan_digits(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    if u.ratio(15, 16)? {
        digits(u, 12, 19)
    } else {
        digits(u, 0, 24)
    }
}
