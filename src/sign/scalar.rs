//! Integers modulo the P-256 group order `n` (SEC 2 v2, 2.4.2): private
//! keys, nonces and the arithmetic of ECDSA's `s`.
//!
//! A [`Scalar`] is kept in Montgomery form, fully reduced; every operation
//! is constant time in the values.

use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroize;

use super::arith::{self, Limbs};

/// An integer modulo `n`, in Montgomery form `a·2^256 mod n`, `< n`.
#[derive(Clone, Copy, Zeroize)]
pub(crate) struct Scalar(Limbs);

/// `R^2 mod n` (`R = 2^256`), computed as `R mod n` doubled 256 times.
const R2: Limbs = {
    let mut x = arith::R_N;
    let mut i = 0;
    while i < 256 {
        x = arith::n_add(&x, &x);
        i += 1;
    }
    x
};

impl Scalar {
    /// 1.
    #[cfg(test)]
    pub(crate) const ONE: Scalar = Scalar(arith::R_N);

    /// The scalar of a big-endian 32-byte number, and whether the number is
    /// below `n` (if not, the scalar is the number reduced mod `n`: every
    /// 32-byte number is below `2n`).
    pub(crate) fn from_bytes(b: &[u8; 32]) -> (Scalar, Choice) {
        let raw = arith::from_be_bytes(b);
        let ok = Choice::from((arith::lt_mask(&raw, &arith::N) & 1) as u8);
        let reduced = arith::reduce_once(&raw, &arith::N);
        (Scalar(arith::n_mul(&reduced, &R2)), ok)
    }

    /// The canonical big-endian bytes.
    pub(crate) fn be_bytes(&self) -> [u8; 32] {
        arith::to_be_bytes(&arith::n_mul(&self.0, &arith::ONE))
    }

    /// `self·rhs mod n`.
    #[inline]
    pub(crate) fn mul(&self, rhs: &Scalar) -> Scalar {
        Scalar(arith::n_mul(&self.0, &rhs.0))
    }

    /// `self^(2^k) mod n`.
    fn sqn(&self, k: u32) -> Scalar {
        let mut x = *self;
        for _ in 0..k {
            x = Scalar(arith::n_square(&x.0));
        }
        x
    }

    /// `self + rhs mod n`.
    #[inline]
    pub(crate) fn add(&self, rhs: &Scalar) -> Scalar {
        Scalar(arith::n_add(&self.0, &rhs.0))
    }

    /// `n − self` (0 for 0).
    #[cfg(test)]
    pub(crate) fn neg(&self) -> Scalar {
        Scalar(arith::n_sub(&[0; arith::LIMBS], &self.0))
    }

    /// `self^(n−2) mod n`: the inverse of a non-zero scalar, 0 for 0
    /// (Fermat). The exponent is public, so the chain is fixed: `n − 2` is
    /// 32 ones, 32 zeros, 64 ones, then 128 bits taken in windows of up to
    /// four bits over the odd powers `x, x^3, …, x^15`. 256 squarings and
    /// 41 products, whatever the value.
    pub(crate) fn invert(&self) -> Scalar {
        let x = *self;
        let x2 = x.sqn(1).mul(&x); // x^(2^2 − 1)
        let x4 = x2.sqn(2).mul(&x2);
        let x8 = x4.sqn(4).mul(&x4);
        let x16 = x8.sqn(8).mul(&x8);
        let x32 = x16.sqn(16).mul(&x16);
        let mut t = x32.sqn(64).mul(&x32).sqn(32).mul(&x32);

        // Odd powers for the low 128 bits.
        let sq = x.sqn(1);
        let mut odd = [x; 8];
        let mut prev = x;
        for o in odd.iter_mut().skip(1) {
            prev = prev.mul(&sq);
            *o = prev;
        }
        let [x1, x3, x5, x7, x9, x11, x13, x15] = odd;
        // 0xBCE6FAADA7179E84F3B9CAC2FC63254F, most significant bit first.
        t = t.sqn(4).mul(&x11);
        t = t.sqn(2).mul(&x3);
        t = t.sqn(5).mul(&x7);
        t = t.sqn(6).mul(&x13);
        t = t.sqn(4).mul(&x15);
        t = t.sqn(4).mul(&x5);
        t = t.sqn(5).mul(&x11);
        t = t.sqn(5).mul(&x13);
        t = t.sqn(5).mul(&x7);
        t = t.sqn(7).mul(&x11);
        t = t.sqn(2).mul(&x3);
        t = t.sqn(6).mul(&x15);
        t = t.sqn(2).mul(&x1);
        t = t.sqn(8).mul(&x9);
        t = t.sqn(3).mul(&x7);
        t = t.sqn(5).mul(&x7);
        t = t.sqn(4).mul(&x7);
        t = t.sqn(5).mul(&x7);
        t = t.sqn(5).mul(&x5);
        t = t.sqn(3).mul(&x3);
        t = t.sqn(8).mul(&x11);
        t = t.sqn(4).mul(&x15);
        t = t.sqn(5).mul(&x3);
        t = t.sqn(5).mul(&x3);
        t = t.sqn(6).mul(&x9);
        t = t.sqn(4).mul(&x5);
        t = t.sqn(6).mul(&x15);
        odd.zeroize();
        t
    }

    /// Whether this is 0.
    pub(crate) fn is_zero(&self) -> Choice {
        Choice::from((arith::is_zero_mask(&self.0) & 1) as u8)
    }
}

impl ConstantTimeEq for Scalar {
    fn ct_eq(&self, other: &Scalar) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

#[cfg(test)]
impl core::fmt::Debug for Scalar {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for b in self.be_bytes() {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
impl PartialEq for Scalar {
    fn eq(&self, other: &Scalar) -> bool {
        self.0 == other.0
    }
}
