//! Montgomery arithmetic modulo the P-256 prime `p` and the group order `n`
//! on four 64-bit limbs with 128-bit products: the backend of 64-bit
//! targets.
//!
//! Numbers are `[u64; 4]`, least significant limb first. Field and scalar
//! elements are kept in Montgomery form `a·R mod m` with `R = 2^256`, fully
//! reduced (`< m`). Every function runs in time independent of its
//! arguments: no branch, no index, no early exit depends on a value; a
//! carry or a borrow becomes an all-zeros/all-ones mask.
//!
//! Montgomery reduction (Handbook of Applied Cryptography, algorithm 14.32)
//! of a 512-bit product, limb by limb:
//!
//! - modulo `p`: `-p^-1 mod 2^64 = 1`, so the multiple of `p` that clears a
//!   limb `m` is `m·p` itself, and `p`'s limbs are `2^64 − 1`, `2^32 − 1`,
//!   `0` and `2^64 − 2^32 + 1`: `m·(2^64 − 1) + m` carries exactly `m` into
//!   the next limb, the third limb takes no product.
//! - modulo `n`: the general step with `n' = -n^-1 mod 2^64`.
//!
//! The products are schoolbook (16 multiplications; 10 for a square).

/// `p = 2^256 − 2^224 + 2^192 + 2^96 − 1` (SEC 2, 2.4.2), limbs.
pub(super) const P: [u64; 4] = [
    0xFFFF_FFFF_FFFF_FFFF,
    0x0000_0000_FFFF_FFFF,
    0x0000_0000_0000_0000,
    0xFFFF_FFFF_0000_0001,
];

/// The group order `n` (SEC 2, 2.4.2), limbs.
pub(super) const N: [u64; 4] = [
    0xF3B9_CAC2_FC63_2551,
    0xBCE6_FAAD_A717_9E84,
    0xFFFF_FFFF_FFFF_FFFF,
    0xFFFF_FFFF_0000_0000,
];

/// `-n^-1 mod 2^64`.
const N_PRIME: u64 = 0xCCD1_C8AA_EE00_BC4F;

/// A number of four limbs.
pub(super) type Limbs = [u64; 4];

/// One limb; also the type of the all-ones/all-zeros masks.
pub(super) type Word = u64;

/// Limbs in a number.
pub(super) const LIMBS: usize = 4;

/// The number 1.
pub(super) const ONE: Limbs = [1, 0, 0, 0];

/// `R mod p = 2^256 − p`: 1 in Montgomery form.
pub(super) const R_P: Limbs = [
    0x0000_0000_0000_0001,
    0xFFFF_FFFF_0000_0000,
    0xFFFF_FFFF_FFFF_FFFF,
    0x0000_0000_FFFF_FFFE,
];

/// `R mod n = 2^256 − n`: 1 in Montgomery form.
pub(super) const R_N: Limbs = [
    0x0C46_353D_039C_DAAF,
    0x4319_0552_58E8_617B,
    0x0000_0000_0000_0000,
    0x0000_0000_FFFF_FFFF,
];

/// `acc + a·b + carry` as (low, high); never overflows 128 bits.
#[inline(always)]
const fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = (a as u128)
        .wrapping_mul(b as u128)
        .wrapping_add(acc as u128)
        .wrapping_add(carry as u128);
    ((t & 0xFFFF_FFFF_FFFF_FFFF) as u64, (t >> 64) as u64)
}

/// `a + b + carry` as (sum, carry out), `carry` in 0..=1 or a small value.
#[inline(always)]
const fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = (a as u128)
        .wrapping_add(b as u128)
        .wrapping_add(carry as u128);
    ((t & 0xFFFF_FFFF_FFFF_FFFF) as u64, (t >> 64) as u64)
}

/// `a − b − borrow` as (difference, borrow out); `borrow` is 0 or all ones
/// (only its top bit is read), and so is the borrow out.
#[inline(always)]
const fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let t = (a as u128)
        .wrapping_sub(b as u128)
        .wrapping_sub((borrow >> 63) as u128);
    ((t & 0xFFFF_FFFF_FFFF_FFFF) as u64, (t >> 64) as u64)
}

/// `a − m` if `a ≥ m`, else `a`, for a five-limb `a < 2m`.
#[inline(always)]
const fn sub_mod_once(a: [u64; 5], m: &Limbs) -> Limbs {
    let (r0, b) = sbb(a[0], m[0], 0);
    let (r1, b) = sbb(a[1], m[1], b);
    let (r2, b) = sbb(a[2], m[2], b);
    let (r3, b) = sbb(a[3], m[3], b);
    let (_, b) = sbb(a[4], 0, b);
    // b is all ones when a < m: add m back.
    let (r0, c) = adc(r0, m[0] & b, 0);
    let (r1, c) = adc(r1, m[1] & b, c);
    let (r2, c) = adc(r2, m[2] & b, c);
    let (r3, _) = adc(r3, m[3] & b, c);
    [r0, r1, r2, r3]
}

/// `a + b mod m` for `a, b < m`.
#[inline(always)]
const fn add_mod(a: &Limbs, b: &Limbs, m: &Limbs) -> Limbs {
    let (s0, c) = adc(a[0], b[0], 0);
    let (s1, c) = adc(a[1], b[1], c);
    let (s2, c) = adc(a[2], b[2], c);
    let (s3, c) = adc(a[3], b[3], c);
    sub_mod_once([s0, s1, s2, s3, c], m)
}

/// `a − b mod m` for `a, b < m`.
#[inline(always)]
const fn sub_mod(a: &Limbs, b: &Limbs, m: &Limbs) -> Limbs {
    let (d0, b0) = sbb(a[0], b[0], 0);
    let (d1, b1) = sbb(a[1], b[1], b0);
    let (d2, b2) = sbb(a[2], b[2], b1);
    let (d3, b3) = sbb(a[3], b[3], b2);
    // b3 is all ones when a < b: add m.
    let (d0, c) = adc(d0, m[0] & b3, 0);
    let (d1, c) = adc(d1, m[1] & b3, c);
    let (d2, c) = adc(d2, m[2] & b3, c);
    let (d3, _) = adc(d3, m[3] & b3, c);
    [d0, d1, d2, d3]
}

/// The 512-bit product `a·b`.
#[inline(always)]
const fn wide_mul(a: &Limbs, b: &Limbs) -> [u64; 8] {
    let (t0, c) = mac(0, a[0], b[0], 0);
    let (t1, c) = mac(0, a[0], b[1], c);
    let (t2, c) = mac(0, a[0], b[2], c);
    let (t3, t4) = mac(0, a[0], b[3], c);

    let (t1, c) = mac(t1, a[1], b[0], 0);
    let (t2, c) = mac(t2, a[1], b[1], c);
    let (t3, c) = mac(t3, a[1], b[2], c);
    let (t4, t5) = mac(t4, a[1], b[3], c);

    let (t2, c) = mac(t2, a[2], b[0], 0);
    let (t3, c) = mac(t3, a[2], b[1], c);
    let (t4, c) = mac(t4, a[2], b[2], c);
    let (t5, t6) = mac(t5, a[2], b[3], c);

    let (t3, c) = mac(t3, a[3], b[0], 0);
    let (t4, c) = mac(t4, a[3], b[1], c);
    let (t5, c) = mac(t5, a[3], b[2], c);
    let (t6, t7) = mac(t6, a[3], b[3], c);
    [t0, t1, t2, t3, t4, t5, t6, t7]
}

/// The 512-bit square `a²`: the six cross products once, doubled, plus the
/// four squares.
#[inline(always)]
const fn wide_square(a: &Limbs) -> [u64; 8] {
    let (t1, c) = mac(0, a[0], a[1], 0);
    let (t2, c) = mac(0, a[0], a[2], c);
    let (t3, t4) = mac(0, a[0], a[3], c);
    let (t3, c) = mac(t3, a[1], a[2], 0);
    let (t4, t5) = mac(t4, a[1], a[3], c);
    let (t5, t6) = mac(t5, a[2], a[3], 0);

    let t7 = t6 >> 63;
    let t6 = (t6 << 1) | (t5 >> 63);
    let t5 = (t5 << 1) | (t4 >> 63);
    let t4 = (t4 << 1) | (t3 >> 63);
    let t3 = (t3 << 1) | (t2 >> 63);
    let t2 = (t2 << 1) | (t1 >> 63);
    let t1 = t1 << 1;

    let (t0, c) = mac(0, a[0], a[0], 0);
    let (t1, c) = adc(t1, 0, c);
    let (t2, c) = mac(t2, a[1], a[1], c);
    let (t3, c) = adc(t3, 0, c);
    let (t4, c) = mac(t4, a[2], a[2], c);
    let (t5, c) = adc(t5, 0, c);
    let (t6, c) = mac(t6, a[3], a[3], c);
    let (t7, _) = adc(t7, 0, c);
    [t0, t1, t2, t3, t4, t5, t6, t7]
}

/// One reduction step modulo `p`: clears limb `t0` by adding `t0·p`, which
/// moves into `t1..t4` (returned, with the carry out of `t4`); `carry` is
/// the previous step's carry, due at `t4`.
#[inline(always)]
const fn p_step(t0: u64, t1: u64, t2: u64, t3: u64, t4: u64, carry: u64) -> [u64; 5] {
    // t0·p = t0·2^256 − t0·2^224 + t0·2^192 + t0·2^96 − t0. The −t0 clears
    // limb 0; t0·2^96 is t0·2^32 at limb 1 (a shift, no product); the top
    // three terms are t0·(2^64 − 2^32 + 1) = t0·P[3] at limb 3.
    let (t1, c) = adc(t1, t0 << 32, 0);
    let (t2, c) = adc(t2, t0 >> 32, c);
    let (t3, c) = mac(t3, t0, P[3], c);
    let (t4, c) = adc(t4, carry, c);
    [t1, t2, t3, t4, c]
}

/// `t·R^-1 mod p` for `t < p·R`.
#[inline(always)]
const fn p_reduce(t: [u64; 8]) -> Limbs {
    let [t1, t2, t3, t4, c] = p_step(t[0], t[1], t[2], t[3], t[4], 0);
    let [t2, t3, t4, t5, c] = p_step(t1, t2, t3, t4, t[5], c);
    let [t3, t4, t5, t6, c] = p_step(t2, t3, t4, t5, t[6], c);
    let [t4, t5, t6, t7, c] = p_step(t3, t4, t5, t6, t[7], c);
    // The sum is below 2p.
    sub_mod_once([t4, t5, t6, t7, c], &P)
}

/// One reduction step modulo `n`: `m = t0·n' mod 2^64` clears limb `t0`
/// when `m·n` is added.
#[inline(always)]
const fn n_step(t0: u64, t1: u64, t2: u64, t3: u64, t4: u64, carry: u64) -> [u64; 5] {
    let m = t0.wrapping_mul(N_PRIME);
    let (_, c) = mac(t0, m, N[0], 0);
    let (t1, c) = mac(t1, m, N[1], c);
    let (t2, c) = mac(t2, m, N[2], c);
    let (t3, c) = mac(t3, m, N[3], c);
    let (t4, c) = adc(t4, carry, c);
    [t1, t2, t3, t4, c]
}

/// `t·R^-1 mod n` for `t < n·R`.
#[inline(always)]
const fn n_reduce(t: [u64; 8]) -> Limbs {
    let [t1, t2, t3, t4, c] = n_step(t[0], t[1], t[2], t[3], t[4], 0);
    let [t2, t3, t4, t5, c] = n_step(t1, t2, t3, t4, t[5], c);
    let [t3, t4, t5, t6, c] = n_step(t2, t3, t4, t5, t[6], c);
    let [t4, t5, t6, t7, c] = n_step(t3, t4, t5, t6, t[7], c);
    sub_mod_once([t4, t5, t6, t7, c], &N)
}

/// `a + b mod p`.
pub(super) const fn p_add(a: &Limbs, b: &Limbs) -> Limbs {
    add_mod(a, b, &P)
}

/// `a − b mod p`.
pub(super) const fn p_sub(a: &Limbs, b: &Limbs) -> Limbs {
    sub_mod(a, b, &P)
}

/// `a + b mod n`.
pub(super) const fn n_add(a: &Limbs, b: &Limbs) -> Limbs {
    add_mod(a, b, &N)
}

/// `a − b mod n`.
#[cfg(test)]
pub(super) const fn n_sub(a: &Limbs, b: &Limbs) -> Limbs {
    sub_mod(a, b, &N)
}

/// Montgomery product modulo `p`: `a·b·R^-1 mod p`, for `a·b < p·R`
/// (in particular `a, b < p`, or `a < R` and `b < p`).
pub(super) const fn p_mul(a: &Limbs, b: &Limbs) -> Limbs {
    p_reduce(wide_mul(a, b))
}

/// Montgomery square modulo `p`.
pub(super) const fn p_square(a: &Limbs) -> Limbs {
    p_reduce(wide_square(a))
}

/// Montgomery product modulo `n`: `a·b·R^-1 mod n`, for `a·b < n·R`.
pub(super) const fn n_mul(a: &Limbs, b: &Limbs) -> Limbs {
    n_reduce(wide_mul(a, b))
}

/// Montgomery square modulo `n`.
pub(super) const fn n_square(a: &Limbs) -> Limbs {
    n_reduce(wide_square(a))
}

/// All ones if `a < m`, else 0.
pub(super) const fn lt_mask(a: &Limbs, m: &Limbs) -> Word {
    let (_, b) = sbb(a[0], m[0], 0);
    let (_, b) = sbb(a[1], m[1], b);
    let (_, b) = sbb(a[2], m[2], b);
    let (_, b) = sbb(a[3], m[3], b);
    b
}

/// `a − m` if `a ≥ m`, else `a`: the one subtraction that brings any
/// `a < 2m` into range.
pub(super) const fn reduce_once(a: &Limbs, m: &Limbs) -> Limbs {
    sub_mod_once([a[0], a[1], a[2], a[3], 0], m)
}

/// Big-endian bytes to limbs.
pub(super) const fn from_be_bytes(b: &[u8; 32]) -> Limbs {
    [
        u64::from_be_bytes([b[24], b[25], b[26], b[27], b[28], b[29], b[30], b[31]]),
        u64::from_be_bytes([b[16], b[17], b[18], b[19], b[20], b[21], b[22], b[23]]),
        u64::from_be_bytes([b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]]),
        u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
    ]
}

/// Limbs to big-endian bytes.
pub(super) const fn to_be_bytes(a: &Limbs) -> [u8; 32] {
    let w0 = a[0].to_be_bytes();
    let w1 = a[1].to_be_bytes();
    let w2 = a[2].to_be_bytes();
    let w3 = a[3].to_be_bytes();
    [
        w3[0], w3[1], w3[2], w3[3], w3[4], w3[5], w3[6], w3[7], w2[0], w2[1], w2[2], w2[3], w2[4],
        w2[5], w2[6], w2[7], w1[0], w1[1], w1[2], w1[3], w1[4], w1[5], w1[6], w1[7], w0[0], w0[1],
        w0[2], w0[3], w0[4], w0[5], w0[6], w0[7],
    ]
}

/// Whether every limb is zero, as all ones / zero.
pub(super) const fn is_zero_mask(a: &Limbs) -> Word {
    let x = a[0] | a[1] | a[2] | a[3];
    // x | -x has its top bit set iff x != 0.
    ((x | x.wrapping_neg()) >> 63).wrapping_sub(1)
}
