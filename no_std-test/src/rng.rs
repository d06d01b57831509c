//! A deterministic stand-in for a CSPRNG, so that the PIN paths that draw
//! random fill run here without an entropy source.
//!
//! It is **not** secure (SplitMix64, public seed). The blocks it helps make
//! are checked by deciphering them, or by translating them back to a
//! published block, never by their own value.

use core::convert::Infallible;

use rand_core::{TryCryptoRng, TryRng};

/// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014) from a fixed seed.
#[derive(Debug)]
pub struct TestRng(u64);

impl TestRng {
    /// A generator from `seed`.
    pub const fn new(seed: u64) -> Self {
        TestRng(seed)
    }

    fn step(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl TryRng for TestRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.step() >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.step())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let v = self.step().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}

/// Only so that the kernel's `CryptoRng` bound accepts it in this test.
impl TryCryptoRng for TestRng {}
