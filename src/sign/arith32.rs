//! Montgomery arithmetic modulo the P-256 prime `p` and the group order `n`
//! on eight 32-bit limbs: the backend of 32-bit targets (Cortex-M), where a
//! 64-bit product is one instruction and a 128-bit one is a library call.
//!
//! The products, squares, sums and differences are fiat-crypto's
//! (`fiat-crypto` crate, `p256_32` and `p256_scalar_32`): code generated
//! from a machine-checked proof of its correctness, constant time, with
//! the same Montgomery form as the 64-bit backend (`R = 2^256`, values
//! fully reduced). fiat's functions require their inputs below the
//! modulus; every caller here passes reduced values. The conversions, the
//! range check and the one-step reduction are written here, branch-free.

use fiat_crypto::p256_32::{
    fiat_p256_add, fiat_p256_montgomery_domain_field_element as FiatP, fiat_p256_mul,
    fiat_p256_square, fiat_p256_sub,
};
use fiat_crypto::p256_scalar_32::{
    fiat_p256_scalar_add, fiat_p256_scalar_montgomery_domain_field_element as FiatN,
    fiat_p256_scalar_mul, fiat_p256_scalar_square, fiat_p256_scalar_sub,
};

/// A number of eight limbs, least significant first.
pub(super) type Limbs = [u32; 8];

/// One limb; also the type of the all-ones/all-zeros masks.
pub(super) type Word = u32;

/// Limbs in a number.
pub(super) const LIMBS: usize = 8;

/// The number 1.
pub(super) const ONE: Limbs = [1, 0, 0, 0, 0, 0, 0, 0];

/// `R mod p = 2^256 − p`: 1 in Montgomery form.
pub(super) const R_P: Limbs = [
    0x0000_0001,
    0x0000_0000,
    0x0000_0000,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0xFFFF_FFFE,
    0x0000_0000,
];

/// `R mod n = 2^256 − n`: 1 in Montgomery form.
pub(super) const R_N: Limbs = [
    0x039C_DAAF,
    0x0C46_353D,
    0x58E8_617B,
    0x4319_0552,
    0x0000_0000,
    0x0000_0000,
    0xFFFF_FFFF,
    0x0000_0000,
];

/// `p = 2^256 − 2^224 + 2^192 + 2^96 − 1` (SEC 2, 2.4.2), limbs.
pub(super) const P: Limbs = [
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0x0000_0000,
    0x0000_0000,
    0x0000_0000,
    0x0000_0001,
    0xFFFF_FFFF,
];

/// The group order `n` (SEC 2, 2.4.2), limbs.
pub(super) const N: Limbs = [
    0xFC63_2551,
    0xF3B9_CAC2,
    0xA717_9E84,
    0xBCE6_FAAD,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0x0000_0000,
    0xFFFF_FFFF,
];

/// `a + b mod p`.
pub(super) const fn p_add(a: &Limbs, b: &Limbs) -> Limbs {
    let mut out = FiatP([0; 8]);
    fiat_p256_add(&mut out, &FiatP(*a), &FiatP(*b));
    out.0
}

/// `a − b mod p`.
pub(super) const fn p_sub(a: &Limbs, b: &Limbs) -> Limbs {
    let mut out = FiatP([0; 8]);
    fiat_p256_sub(&mut out, &FiatP(*a), &FiatP(*b));
    out.0
}

/// Montgomery product modulo `p`.
pub(super) const fn p_mul(a: &Limbs, b: &Limbs) -> Limbs {
    let mut out = FiatP([0; 8]);
    fiat_p256_mul(&mut out, &FiatP(*a), &FiatP(*b));
    out.0
}

/// Montgomery square modulo `p`.
pub(super) const fn p_square(a: &Limbs) -> Limbs {
    let mut out = FiatP([0; 8]);
    fiat_p256_square(&mut out, &FiatP(*a));
    out.0
}

/// `a + b mod n`.
pub(super) const fn n_add(a: &Limbs, b: &Limbs) -> Limbs {
    let mut out = FiatN([0; 8]);
    fiat_p256_scalar_add(&mut out, &FiatN(*a), &FiatN(*b));
    out.0
}

/// `a − b mod n`.
#[cfg(test)]
pub(super) const fn n_sub(a: &Limbs, b: &Limbs) -> Limbs {
    let mut out = FiatN([0; 8]);
    fiat_p256_scalar_sub(&mut out, &FiatN(*a), &FiatN(*b));
    out.0
}

/// Montgomery product modulo `n`.
pub(super) const fn n_mul(a: &Limbs, b: &Limbs) -> Limbs {
    let mut out = FiatN([0; 8]);
    fiat_p256_scalar_mul(&mut out, &FiatN(*a), &FiatN(*b));
    out.0
}

/// Montgomery square modulo `n`.
pub(super) const fn n_square(a: &Limbs) -> Limbs {
    let mut out = FiatN([0; 8]);
    fiat_p256_scalar_square(&mut out, &FiatN(*a));
    out.0
}

/// `a − b − borrow` as (difference, borrow out), borrows 0 or all ones.
#[inline(always)]
const fn sbb(a: u32, b: u32, borrow: u32) -> (u32, u32) {
    let t = (a as u64)
        .wrapping_sub(b as u64)
        .wrapping_sub((borrow >> 31) as u64);
    ((t & 0xFFFF_FFFF) as u32, (t >> 32) as u32)
}

/// `a + b + carry` as (sum, carry out).
#[inline(always)]
const fn adc(a: u32, b: u32, carry: u32) -> (u32, u32) {
    let t = (a as u64).wrapping_add(b as u64).wrapping_add(carry as u64);
    ((t & 0xFFFF_FFFF) as u32, (t >> 32) as u32)
}

/// `a − m` with the borrow out (all ones when `a < m`).
const fn sub_borrow(a: &Limbs, m: &Limbs) -> (Limbs, Word) {
    let (r0, b) = sbb(a[0], m[0], 0);
    let (r1, b) = sbb(a[1], m[1], b);
    let (r2, b) = sbb(a[2], m[2], b);
    let (r3, b) = sbb(a[3], m[3], b);
    let (r4, b) = sbb(a[4], m[4], b);
    let (r5, b) = sbb(a[5], m[5], b);
    let (r6, b) = sbb(a[6], m[6], b);
    let (r7, b) = sbb(a[7], m[7], b);
    ([r0, r1, r2, r3, r4, r5, r6, r7], b)
}

/// All ones if `a < m`, else 0.
pub(super) const fn lt_mask(a: &Limbs, m: &Limbs) -> Word {
    sub_borrow(a, m).1
}

/// `a − m` if `a ≥ m`, else `a` (for `a < 2m`).
pub(super) const fn reduce_once(a: &Limbs, m: &Limbs) -> Limbs {
    let (r, b) = sub_borrow(a, m);
    let (r0, c) = adc(r[0], m[0] & b, 0);
    let (r1, c) = adc(r[1], m[1] & b, c);
    let (r2, c) = adc(r[2], m[2] & b, c);
    let (r3, c) = adc(r[3], m[3] & b, c);
    let (r4, c) = adc(r[4], m[4] & b, c);
    let (r5, c) = adc(r[5], m[5] & b, c);
    let (r6, c) = adc(r[6], m[6] & b, c);
    let (r7, _) = adc(r[7], m[7] & b, c);
    [r0, r1, r2, r3, r4, r5, r6, r7]
}

/// Big-endian bytes to limbs.
pub(super) const fn from_be_bytes(b: &[u8; 32]) -> Limbs {
    [
        u32::from_be_bytes([b[28], b[29], b[30], b[31]]),
        u32::from_be_bytes([b[24], b[25], b[26], b[27]]),
        u32::from_be_bytes([b[20], b[21], b[22], b[23]]),
        u32::from_be_bytes([b[16], b[17], b[18], b[19]]),
        u32::from_be_bytes([b[12], b[13], b[14], b[15]]),
        u32::from_be_bytes([b[8], b[9], b[10], b[11]]),
        u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
        u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
    ]
}

/// Limbs to big-endian bytes.
pub(super) const fn to_be_bytes(a: &Limbs) -> [u8; 32] {
    let w0 = a[0].to_be_bytes();
    let w1 = a[1].to_be_bytes();
    let w2 = a[2].to_be_bytes();
    let w3 = a[3].to_be_bytes();
    let w4 = a[4].to_be_bytes();
    let w5 = a[5].to_be_bytes();
    let w6 = a[6].to_be_bytes();
    let w7 = a[7].to_be_bytes();
    [
        w7[0], w7[1], w7[2], w7[3], w6[0], w6[1], w6[2], w6[3], w5[0], w5[1], w5[2], w5[3], w4[0],
        w4[1], w4[2], w4[3], w3[0], w3[1], w3[2], w3[3], w2[0], w2[1], w2[2], w2[3], w1[0], w1[1],
        w1[2], w1[3], w0[0], w0[1], w0[2], w0[3],
    ]
}

/// Whether every limb is zero, as all ones / zero.
pub(super) const fn is_zero_mask(a: &Limbs) -> Word {
    let x = a[0] | a[1] | a[2] | a[3] | a[4] | a[5] | a[6] | a[7];
    ((x | x.wrapping_neg()) >> 31).wrapping_sub(1)
}
