//! Montgomery arithmetic modulo the P-256 prime `p` and the group order `n`
//! on eight 32-bit limbs: the backend of 32-bit targets (Cortex-M), where a
//! 32×32→64-bit product is one instruction (`umull`, and `umaal` with both
//! additions on Armv7E-M) and a 128-bit one a library call.
//!
//! Numbers are `[u32; 8]`, least significant limb first; field and scalar
//! elements are in Montgomery form `a·R mod m` with `R = 2^256`, fully
//! reduced (`< m`), as in the 64-bit backend. Every function runs in time
//! independent of its arguments: no branch, no index, no early exit
//! depends on a value; a carry or a borrow becomes an all-zeros/all-ones
//! mask.
//!
//! The product is Montgomery's, interleaved word by word (Koç, Acar and
//! Kaliski, "Analyzing and comparing Montgomery multiplication
//! algorithms", IEEE Micro 1996: CIOS): for each word `b_i` of `b`, add
//! `a·b_i`, then the multiple `q·m` of the modulus (`q = t_0·m' mod 2^32`,
//! `m' = −m^-1 mod 2^32`) that clears the low word, and shift down one
//! word. With `a, b < m` the running sum stays below `2m`, so one masked
//! subtraction at the end reduces it. One routine serves both moduli (for
//! `p`, `m' = 1`): a loop over the words of `b` around two unrolled passes
//! over the eight words of `a` and `m`, about 0.6 KiB of code in all, where
//! fully unrolled products (fiat-crypto's, which this backend used before)
//! took 20 KiB of a firmware's flash and three times the instructions.
//! Squares are products (`a·a`).

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

/// `−n^-1 mod 2^32` (for `p`, `−p^-1 mod 2^32 = 1`: `p ≡ −1 mod 2^32`).
const N_PRIME: u32 = 0xEE00_BC4F;

/// `acc + a·b + carry` as (low, high); never overflows 64 bits.
#[inline(always)]
const fn mac(acc: u32, a: u32, b: u32, carry: u32) -> (u32, u32) {
    let t = (a as u64)
        .wrapping_mul(b as u64)
        .wrapping_add(acc as u64)
        .wrapping_add(carry as u64);
    ((t & 0xFFFF_FFFF) as u32, (t >> 32) as u32)
}

/// `a·b·R^-1 mod m` for `a, b < m` (`m` odd, below `2^256`, `m_inv =
/// −m^-1 mod 2^32`): CIOS Montgomery multiplication, see the module docs.
#[inline(never)]
const fn mont_mul(a: &Limbs, b: &Limbs, m: &Limbs, m_inv: u32) -> Limbs {
    let [a0, a1, a2, a3, a4, a5, a6, a7] = *a;
    let [m0, m1, m2, m3, m4, m5, m6, m7] = *m;
    // The running sum: eight words and a ninth, 0 or 1 (it stays < 2m).
    let mut t = [0u32; LIMBS];
    let mut top = 0u32;
    let mut words: &[u32] = b;
    while let [bi, rest @ ..] = words {
        let bi = *bi;
        let [t0, t1, t2, t3, t4, t5, t6, t7] = t;
        // t + a·b_i, nine words and a carry bit.
        let (t0, c) = mac(t0, a0, bi, 0);
        let (t1, c) = mac(t1, a1, bi, c);
        let (t2, c) = mac(t2, a2, bi, c);
        let (t3, c) = mac(t3, a3, bi, c);
        let (t4, c) = mac(t4, a4, bi, c);
        let (t5, c) = mac(t5, a5, bi, c);
        let (t6, c) = mac(t6, a6, bi, c);
        let (t7, c) = mac(t7, a7, bi, c);
        let (t8, t9) = adc(top, c, 0);
        // + q·m clears the low word; the sum moves down one word.
        let q = t0.wrapping_mul(m_inv);
        let (_, c) = mac(t0, q, m0, 0);
        let (r0, c) = mac(t1, q, m1, c);
        let (r1, c) = mac(t2, q, m2, c);
        let (r2, c) = mac(t3, q, m3, c);
        let (r3, c) = mac(t4, q, m4, c);
        let (r4, c) = mac(t5, q, m5, c);
        let (r5, c) = mac(t6, q, m6, c);
        let (r6, c) = mac(t7, q, m7, c);
        let (r7, c) = adc(t8, c, 0);
        t = [r0, r1, r2, r3, r4, r5, r6, r7];
        top = t9.wrapping_add(c);
        words = rest;
    }
    sub_mod_once(&t, top, m)
}

/// `t + top·2^256 − m` if that is not negative, else `t` (for `top` 0 or
/// 1 and `t + top·2^256 < 2m`).
#[inline(always)]
const fn sub_mod_once(t: &Limbs, top: u32, m: &Limbs) -> Limbs {
    let (r, borrow) = sub_borrow(t, m);
    // Keep t when the subtraction borrowed and there was no ninth word.
    let keep = borrow & top.wrapping_sub(1);
    [
        select(t[0], r[0], keep),
        select(t[1], r[1], keep),
        select(t[2], r[2], keep),
        select(t[3], r[3], keep),
        select(t[4], r[4], keep),
        select(t[5], r[5], keep),
        select(t[6], r[6], keep),
        select(t[7], r[7], keep),
    ]
}

/// `a` where `mask` is all ones, `b` where it is zero.
#[inline(always)]
const fn select(a: u32, b: u32, mask: u32) -> u32 {
    (a & mask) | (b & !mask)
}

/// `a + b mod m` for `a, b < m`.
#[inline(always)]
const fn add_mod(a: &Limbs, b: &Limbs, m: &Limbs) -> Limbs {
    let (s0, c) = adc(a[0], b[0], 0);
    let (s1, c) = adc(a[1], b[1], c);
    let (s2, c) = adc(a[2], b[2], c);
    let (s3, c) = adc(a[3], b[3], c);
    let (s4, c) = adc(a[4], b[4], c);
    let (s5, c) = adc(a[5], b[5], c);
    let (s6, c) = adc(a[6], b[6], c);
    let (s7, c) = adc(a[7], b[7], c);
    sub_mod_once(&[s0, s1, s2, s3, s4, s5, s6, s7], c, m)
}

/// `a − b mod m` for `a, b < m`.
#[inline(always)]
const fn sub_mod(a: &Limbs, b: &Limbs, m: &Limbs) -> Limbs {
    let (d, borrow) = sub_borrow(a, b);
    // borrow is all ones when a < b: add m.
    let (d0, c) = adc(d[0], m[0] & borrow, 0);
    let (d1, c) = adc(d[1], m[1] & borrow, c);
    let (d2, c) = adc(d[2], m[2] & borrow, c);
    let (d3, c) = adc(d[3], m[3] & borrow, c);
    let (d4, c) = adc(d[4], m[4] & borrow, c);
    let (d5, c) = adc(d[5], m[5] & borrow, c);
    let (d6, c) = adc(d[6], m[6] & borrow, c);
    let (d7, _) = adc(d[7], m[7] & borrow, c);
    [d0, d1, d2, d3, d4, d5, d6, d7]
}

/// `a + b mod p`. Out of line, as the other sums and differences: each
/// is about 0.2 KiB of code, and the point formulas make a dozen apiece.
#[inline(never)]
pub(super) const fn p_add(a: &Limbs, b: &Limbs) -> Limbs {
    add_mod(a, b, &P)
}

/// `a − b mod p`.
#[inline(never)]
pub(super) const fn p_sub(a: &Limbs, b: &Limbs) -> Limbs {
    sub_mod(a, b, &P)
}

/// Montgomery product modulo `p`: `a·b·R^-1 mod p`, for `a, b < p`.
pub(super) const fn p_mul(a: &Limbs, b: &Limbs) -> Limbs {
    mont_mul(a, b, &P, 1)
}

/// Montgomery square modulo `p`.
pub(super) const fn p_square(a: &Limbs) -> Limbs {
    mont_mul(a, a, &P, 1)
}

/// `a + b mod n`.
#[inline(never)]
pub(super) const fn n_add(a: &Limbs, b: &Limbs) -> Limbs {
    add_mod(a, b, &N)
}

/// `a − b mod n`.
#[cfg(test)]
pub(super) const fn n_sub(a: &Limbs, b: &Limbs) -> Limbs {
    sub_mod(a, b, &N)
}

/// Montgomery product modulo `n`: `a·b·R^-1 mod n`, for `a, b < n`.
pub(super) const fn n_mul(a: &Limbs, b: &Limbs) -> Limbs {
    mont_mul(a, b, &N, N_PRIME)
}

/// Montgomery square modulo `n`.
pub(super) const fn n_square(a: &Limbs) -> Limbs {
    mont_mul(a, a, &N, N_PRIME)
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
    sub_mod_once(a, 0, m)
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
