//! The deterministic nonce of RFC 6979, section 3.2, with HMAC-SHA-256:
//! an HMAC-DRBG seeded with the private key and the message digest.
//!
//! For P-256 with SHA-256, `qlen = hlen = 256`: each candidate `T` is one
//! HMAC output, and `bits2int(T)` is `T` itself. Whether a candidate is
//! usable (`0 < k < n`, and then `r ≠ 0`, `s ≠ 0`, section 3.4) is the
//! signer's call; [`NonceGenerator::reseed`] moves to the next candidate
//! (step h.3: `K = HMAC_K(V || 0x00)`, `V = HMAC_K(V)`).
//!
//! `K` and `V` are secret (they determine every nonce); they are wiped on
//! drop, and so are the keyed HMAC states.

use hmac::digest::Key;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;

/// The state `(K, V)` of RFC 6979's HMAC-DRBG.
pub(crate) struct NonceGenerator {
    /// HMAC keyed with `K` (its key schedule made once per `K`).
    mac: HmacSha256,
    v: Zeroizing<[u8; 32]>,
}

/// `HMAC_K(parts…)` with `mac` keyed with `K`. Every HMAC of the DRBG
/// goes through here: one copy of the `hmac` crate's update and finish
/// code instead of one per step (about 1.5 KiB of a firmware's flash).
#[inline(never)]
fn tag(mac: &HmacSha256, parts: &[&[u8]]) -> Zeroizing<[u8; 32]> {
    let mut m = mac.clone();
    for part in parts {
        m.update(part);
    }
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&m.finalize().into_bytes());
    out
}

/// An HMAC-SHA-256 keyed with a 32-byte key: the key zero-padded to the
/// 64-byte block, which is what HMAC does with a shorter key (RFC 2104).
#[inline(never)]
fn keyed(key: &[u8; 32]) -> HmacSha256 {
    let mut block = Zeroizing::new(Key::<HmacSha256>::default());
    for (dst, src) in block.iter_mut().zip(key) {
        *dst = *src;
    }
    HmacSha256::new(&block)
}

impl NonceGenerator {
    /// Steps b–g of section 3.2 with `int2octets(x)` = `x` and
    /// `bits2octets(h1)` = `h1` (both already in their octet forms; for
    /// P-256 with SHA-256, 32 bytes each).
    pub(crate) fn new(x: &[u8], h1: &[u8]) -> NonceGenerator {
        // b, c: V = 0x01…, K = 0x00…
        let v = Zeroizing::new([0x01u8; 32]);
        // d: K = HMAC_K(V || 0x00 || x || h1); e: V = HMAC_K(V).
        let mac = keyed(&tag(&keyed(&[0x00; 32]), &[&*v, &[0x00], x, h1]));
        let v = tag(&mac, &[&*v]);
        // f: K = HMAC_K(V || 0x01 || x || h1); g: V = HMAC_K(V).
        let mac = keyed(&tag(&mac, &[&*v, &[0x01], x, h1]));
        let v = tag(&mac, &[&*v]);
        NonceGenerator { mac, v }
    }

    /// The next candidate `T` (step h.2: `V = HMAC_K(V)`, `T = V`).
    pub(crate) fn candidate(&mut self) -> Zeroizing<[u8; 32]> {
        self.v = tag(&self.mac, &[&*self.v]);
        self.v.clone()
    }

    /// Step h.3, after a candidate that could not be used: `K =
    /// HMAC_K(V || 0x00)`, `V = HMAC_K(V)`.
    pub(crate) fn reseed(&mut self) {
        self.mac = keyed(&tag(&self.mac, &[&*self.v, &[0x00]]));
        self.v = tag(&self.mac, &[&*self.v]);
    }
}

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    reason = "test arithmetic on known small values"
)]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::*;
    use crate::test_util::h;

    /// RFC 6979 A.1.2 (the detailed example, K-163 with SHA-256, message
    /// "sample"): the first candidate's leading 21 bytes are
    /// 9305A46D…5E7656C, its 163-bit `bits2int` is not below `q`, and the
    /// generator moves on until `k = 023AF407…DD81B`. The only published
    /// run through the retry step.
    #[test]
    fn rfc6979_a12_detailed_example_with_retry() {
        let x = h("009A4D6792295A7F730FC3F2B49CBC0F62E862272F");
        let h1 = h("01795EDF0D54DB760F156D0DAC04C0322B3A204224");
        let q = h("04000000000000000000020108A2E0CC0D99F8A5EF");
        let mut g = NonceGenerator::new(&x, &h1);
        // bits2int of a 256-bit T for qlen = 163: T >> 93, as 21 bytes.
        let bits2int = |t: &[u8; 32]| -> Vec<u8> {
            let mut n = num_from(t);
            n >>= 93;
            let bytes = n.to_be_bytes();
            bytes[bytes.len() - 21..].to_vec()
        };
        let first = g.candidate();
        assert_eq!(
            first[..21].to_vec(),
            h("9305A46DE7FF8EB107194DEBD3FD48AA20D5E7656C")
        );
        let mut k = bits2int(&first);
        assert!(k >= q, "the first candidate is out of range");
        let mut tries = 1;
        while !(k < q && k.iter().any(|b| *b != 0)) {
            g.reseed();
            k = bits2int(&g.candidate());
            tries += 1;
            assert!(tries < 10);
        }
        assert_eq!(k, h("023AF4074C90A02B3FE61D286D5C87F425E6BDD81B"));
    }

    /// A 256-bit big-endian number as a u256 stand-in (two u128 halves).
    fn num_from(t: &[u8; 32]) -> U256 {
        let mut hi = [0u8; 16];
        let mut lo = [0u8; 16];
        hi.copy_from_slice(&t[..16]);
        lo.copy_from_slice(&t[16..]);
        U256 {
            hi: u128::from_be_bytes(hi),
            lo: u128::from_be_bytes(lo),
        }
    }

    struct U256 {
        hi: u128,
        lo: u128,
    }

    impl core::ops::ShrAssign<u32> for U256 {
        fn shr_assign(&mut self, s: u32) {
            // 64 < s < 128 only.
            self.lo = (self.lo >> s) | (self.hi << (128 - s));
            self.hi >>= s;
        }
    }

    impl U256 {
        fn to_be_bytes(&self) -> [u8; 32] {
            let mut out = [0u8; 32];
            out[..16].copy_from_slice(&self.hi.to_be_bytes());
            out[16..].copy_from_slice(&self.lo.to_be_bytes());
            out
        }
    }
}
