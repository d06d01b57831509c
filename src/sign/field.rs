//! Elements of the P-256 base field GF(p), `p = 2^256 − 2^224 + 2^192 +
//! 2^96 − 1` (SEC 2 v2, 2.4.2; FIPS 186-5 / SP 800-186 G.1.2).
//!
//! An [`Fe`] is kept in Montgomery form, fully reduced. Everything here is
//! constant time in the values (the only loops count squarings of a public
//! exponent) and `const fn` where the base-point tables need it at compile
//! time.

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

use super::arith::{self, Limbs};

/// An element of GF(p), in Montgomery form `a·2^256 mod p`, `< p`.
#[derive(Clone, Copy, Zeroize)]
pub(crate) struct Fe(Limbs);

/// `R^2 mod p` (`R = 2^256`): converts into Montgomery form. Computed as
/// `R mod p` doubled 256 times.
const R2: Limbs = {
    let mut x = Fe::ONE.0;
    let mut i = 0;
    while i < 256 {
        x = arith::p_add(&x, &x);
        i += 1;
    }
    x
};

impl Fe {
    /// 0.
    pub(crate) const ZERO: Fe = Fe([0; arith::LIMBS]);
    /// 1, that is `R mod p = 2^256 − p`.
    pub(crate) const ONE: Fe = Fe(arith::R_P);

    /// The element of a canonical number (`< p`) in limbs.
    const fn from_canonical(a: &Limbs) -> Fe {
        Fe(arith::p_mul(a, &R2))
    }

    /// The element of a big-endian 32-byte number, for constants: the
    /// number must be below `p` (checked by the tests of each constant).
    pub(crate) const fn from_be_bytes_const(b: &[u8; 32]) -> Fe {
        Fe::from_canonical(&arith::from_be_bytes(b))
    }

    /// The element of a big-endian 32-byte number, and whether it is below
    /// `p` (if not, the element is the number reduced mod `p`).
    pub(crate) fn from_bytes(b: &[u8; 32]) -> (Fe, Choice) {
        let raw = arith::from_be_bytes(b);
        let ok = mask_choice(arith::lt_mask(&raw, &arith::P));
        (Fe::from_canonical(&arith::reduce_once(&raw, &arith::P)), ok)
    }

    /// The canonical big-endian bytes.
    pub(crate) fn be_bytes(&self) -> [u8; 32] {
        arith::to_be_bytes(&arith::p_mul(&self.0, &arith::ONE))
    }

    /// `self·rhs`.
    #[inline]
    pub(crate) const fn mul(&self, rhs: &Fe) -> Fe {
        Fe(arith::p_mul(&self.0, &rhs.0))
    }

    /// `self²`.
    #[inline]
    pub(crate) const fn square(&self) -> Fe {
        Fe(arith::p_square(&self.0))
    }

    /// `self^(2^k)`.
    pub(crate) const fn sqn(&self, k: u32) -> Fe {
        let mut x = *self;
        let mut i = 0;
        while i < k {
            x = x.square();
            i = i.wrapping_add(1);
        }
        x
    }

    /// `self + rhs`.
    #[inline]
    pub(crate) const fn add(&self, rhs: &Fe) -> Fe {
        Fe(arith::p_add(&self.0, &rhs.0))
    }

    /// `self − rhs`.
    #[inline]
    pub(crate) const fn sub(&self, rhs: &Fe) -> Fe {
        Fe(arith::p_sub(&self.0, &rhs.0))
    }

    /// `2·self`.
    #[inline]
    pub(crate) const fn double(&self) -> Fe {
        self.add(self)
    }

    /// `−self`.
    #[inline]
    pub(crate) const fn neg(&self) -> Fe {
        Fe::ZERO.sub(self)
    }

    /// `self^(p−2)`: the inverse of a non-zero element, 0 for 0 (Fermat).
    /// A fixed chain of 255 squarings and 12 products: `p − 2` is 32 ones,
    /// 31 zeros and a one, 96 zeros, then 94 ones, a zero and a one.
    pub(crate) const fn invert(&self) -> Fe {
        let x = *self;
        let x2 = x.square().mul(&x); // 2^2 − 1
        let x3 = x2.square().mul(&x); // 2^3 − 1
        let x6 = x3.sqn(3).mul(&x3);
        let x12 = x6.sqn(6).mul(&x6);
        let x15 = x12.sqn(3).mul(&x3);
        let x30 = x15.sqn(15).mul(&x15);
        let x32 = x30.sqn(2).mul(&x2);
        x32.sqn(32)
            .mul(&x)
            .sqn(128)
            .mul(&x32)
            .sqn(32)
            .mul(&x32)
            .sqn(30)
            .mul(&x30)
            .sqn(2)
            .mul(&x)
    }

    /// A square root, and whether `self` is a square (p ≡ 3 mod 4, so the
    /// root is `self^((p+1)/4)`, `(p+1)/4 = 2^254 − 2^222 + 2^190 + 2^94`).
    pub(crate) fn sqrt(&self) -> (Fe, Choice) {
        let x = *self;
        let x2 = x.square().mul(&x);
        let x4 = x2.sqn(2).mul(&x2);
        let x8 = x4.sqn(4).mul(&x4);
        let x16 = x8.sqn(8).mul(&x8);
        let x32 = x16.sqn(16).mul(&x16);
        let root = x32.sqn(32).mul(&x).sqn(96).mul(&x).sqn(94);
        let ok = root.square().ct_eq(self);
        (root, ok)
    }

    /// Whether this is 0.
    pub(crate) fn is_zero(&self) -> Choice {
        mask_choice(arith::is_zero_mask(&self.0))
    }

    /// Whether the canonical value is odd (the SEC1 `y` parity).
    pub(crate) fn is_odd(&self) -> Choice {
        let [low, ..] = arith::p_mul(&self.0, &arith::ONE);
        Choice::from((low & 1) as u8)
    }

    /// `self |= other` if `choice` is set, in constant time (for table
    /// scans: ORing the one selected entry into zeros).
    #[inline]
    pub(crate) fn or_assign_if(&mut self, other: &Fe, choice: Choice) {
        let mask = arith::Word::from(choice.unwrap_u8()).wrapping_neg();
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a |= b & mask;
        }
    }

    /// Equality of public values, in variable time.
    pub(crate) fn vartime_eq(&self, rhs: &Fe) -> bool {
        self.0 == rhs.0
    }
}

/// An all-ones / all-zeros mask as a [`Choice`].
fn mask_choice(mask: arith::Word) -> Choice {
    Choice::from((mask & 1) as u8)
}

impl ConstantTimeEq for Fe {
    fn ct_eq(&self, other: &Fe) -> Choice {
        // Both are fully reduced: equal values have equal limbs.
        self.0.ct_eq(&other.0)
    }
}

impl ConditionallySelectable for Fe {
    fn conditional_select(a: &Fe, b: &Fe, choice: Choice) -> Fe {
        let mut out = a.0;
        for (o, b) in out.iter_mut().zip(b.0.iter()) {
            o.conditional_assign(b, choice);
        }
        Fe(out)
    }
}

#[cfg(test)]
impl core::fmt::Debug for Fe {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for b in self.be_bytes() {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
impl PartialEq for Fe {
    fn eq(&self, other: &Fe) -> bool {
        self.vartime_eq(other)
    }
}
