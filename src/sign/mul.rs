//! Scalar multiplication: `k·G` in constant time for signing and key
//! derivation, `u1·G + u2·Q` in variable time for verification.
//!
//! `k·G` recodes `k` into 65 signed digits `d_i` in −8..=8 (`k = Σ d_i·16^i`,
//! branch-free), reads each digit's point from a table by scanning the whole
//! row (`subtle` selects, no secret index), negates it by a select, adds it
//! with the complete mixed formula and keeps the sum only if the digit is
//! not zero (a select again). With the `p256-tables` feature the table is
//! the comb of [`COMB`](super::table::COMB): the odd digits are added
//! first (in Jacobian coordinates, where no special case can arise: see
//! [`mul_base`]), the sum is multiplied by 16, then the even digits: 65
//! additions and 4 doublings. Without it, a fixed window over `G..8G`: 65
//! additions and 260 doublings.
//!
//! `u1·G + u2·Q` interleaves the width-w non-adjacent forms of `u1` (over
//! the odd multiples of `G` in flash) and `u2` (over 8 odd multiples of
//! `Q` made on the stack), sharing one chain of 256 doublings (Straus /
//! Shamir's trick) in Jacobian coordinates.

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

use super::field::Fe;
use super::point::{Affine, Jacobian, Projective};
use super::table::{G_ODD, G_ODD_LEN};

/// The signed base-16 digits of a 256-bit big-endian number: 64 digits in
/// −7..=8 and a 65th in 0..=1. Branch-free.
pub(super) fn recode_signed4(k: &[u8; 32]) -> Zeroizing<[i8; 65]> {
    let mut out = Zeroizing::new([0i8; 65]);
    let mut carry = 0u8;
    let mut slots = out.iter_mut();
    for byte in k.iter().rev() {
        for nibble in [byte & 0x0F, byte >> 4] {
            // v in 0..=16; a digit above 8 becomes v − 16 and carries 1.
            let v = nibble.wrapping_add(carry);
            carry = v.wrapping_add(7) >> 4;
            let digit = (v as i8).wrapping_sub((carry << 4) as i8);
            if let Some(slot) = slots.next() {
                *slot = digit;
            }
        }
    }
    if let Some(slot) = slots.next() {
        *slot = carry as i8;
    }
    out
}

/// `d·row[|d| − 1]` and whether `d ≠ 0`, in constant time: every entry
/// of the row is read, the sign applied by a select. For `d = 0` the point
/// is `(0, 0)`, not a point of the curve: the caller must not keep a sum
/// made with it.
fn lookup_signed(row: &[Affine; 8], digit: i8) -> (Affine, Choice) {
    let sign = digit >> 7; // 0 or −1
    let magnitude = (digit ^ sign).wrapping_sub(sign) as u8;
    let mut point = Affine::lookup(row, magnitude);
    let negative = Choice::from((sign & 1) as u8);
    point.y = Fe::conditional_select(&point.y, &point.y.neg(), negative);
    (point, !magnitude.ct_eq(&0))
}

/// `acc + d·row[|d| − 1]` (`acc` itself when `d = 0`) with the complete
/// mixed formula, in constant time.
fn add_digit(acc: &Projective, row: &[Affine; 8], digit: i8) -> Projective {
    let (point, nonzero) = lookup_signed(row, digit);
    let sum = acc.add_affine(&point);
    Projective::conditional_select(acc, &sum, nonzero)
}

/// `k·G` for any 256-bit `k` (big-endian), in constant time.
///
/// The first pass (the odd digits, rows 0..=31) adds in Jacobian
/// coordinates with the incomplete mixed formula, which is exact there:
/// before row `j` the sum is `s·G` with `|s| ≤ 8·(2^(8j) − 1)/255 <
/// 2^(8j)`, and the row adds `d·2^(8j)·G` with `1 ≤ |d| ≤ 8`, so `s ≠ ±d·2^(8j)`
/// and `|s ± d·2^(8j)| < 2^252 < n`: the two points are never equal or
/// opposite. The sum is the identity only while every digit so far was 0,
/// a case taken by a select. The second pass (the even digits, after
/// ×16) starts from a sum with no such bound and uses the complete
/// projective formula.
#[cfg(feature = "p256-tables")]
pub(crate) fn mul_base(k: &[u8; 32]) -> Projective {
    use super::table::COMB;
    let digits = recode_signed4(k);
    // k·G = 16·Σ_j d_(2j+1)·2^(8j)·G + Σ_j d_(2j)·2^(8j)·G.
    let mut acc = Jacobian::IDENTITY;
    let mut empty = Choice::from(1);
    for (d, row) in digits.iter().skip(1).step_by(2).zip(COMB.iter()) {
        let (point, nonzero) = lookup_signed(row, *d);
        let sum = acc.add_affine_unchecked(&point);
        let next = Jacobian::conditional_select(&sum, &Jacobian::from_affine(&point), empty);
        acc = Jacobian::conditional_select(&acc, &next, nonzero);
        empty &= !nonzero;
    }
    let mut acc = acc.double().double().double().double().to_projective();
    for (d, row) in digits.iter().step_by(2).zip(COMB.iter()) {
        acc = add_digit(&acc, row, *d);
    }
    acc
}

/// `k·G` for any 256-bit `k` (big-endian), in constant time.
#[cfg(not(feature = "p256-tables"))]
pub(crate) fn mul_base(k: &[u8; 32]) -> Projective {
    use super::table::G_SMALL;
    let digits = recode_signed4(k);
    let mut acc = Projective::IDENTITY;
    for d in digits.iter().rev() {
        acc = acc.double().double().double().double();
        acc = add_digit(&acc, &G_SMALL, *d);
    }
    acc
}

/// Digits of a width-w non-adjacent form.
pub(super) const WNAF_LEN: usize = 257;

/// Window of the wNAF of `u1` (over `G_ODD`: digits up to `2·G_ODD_LEN − 1`).
#[cfg(feature = "p256-tables")]
const G_WINDOW: usize = 7;
#[cfg(not(feature = "p256-tables"))]
const G_WINDOW: usize = 5;

/// Window of the wNAF of `u2` (over 8 odd multiples of `Q`).
const Q_WINDOW: usize = 5;

/// Odd multiples of `Q` for verification.
const Q_ODD_LEN: usize = 8;

/// `count` (at most 8) bits of `limbs` (little-endian 64-bit limbs) from
/// bit `pos` (0 above bit 255).
fn bits_at(limbs: &[u64; 4], pos: usize, count: usize) -> u32 {
    let index = pos >> 6;
    let offset = pos & 63;
    let low = limbs.get(index).copied().unwrap_or(0) >> offset;
    let high = match offset {
        0 => 0,
        _ => limbs.get(index.wrapping_add(1)).copied().unwrap_or(0) << 64usize.wrapping_sub(offset),
    };
    let mask = (1u64 << count).wrapping_sub(1);
    ((low | high) & mask & 0xFF) as u32
}

/// The width-`w` NAF of a public 256-bit big-endian number: odd digits
/// with `|d| < 2^(w−1)`, each followed by at least `w − 1` zeros
/// (`2 ≤ w ≤ 8`). Variable time.
pub(super) fn wnaf_vartime(k: &[u8; 32], w: usize) -> [i8; WNAF_LEN] {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().zip(k.rchunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(b);
    }
    let mut out = [0i8; WNAF_LEN];
    let mut carry = 0u32;
    let mut bit = 0usize;
    while bit < WNAF_LEN {
        if bits_at(&limbs, bit, 1) == carry {
            bit = bit.wrapping_add(1);
            continue;
        }
        let now = w.min(WNAF_LEN.wrapping_sub(bit));
        let word = bits_at(&limbs, bit, now).wrapping_add(carry);
        carry = (word >> w.wrapping_sub(1)) & 1;
        // word − carry·2^w, in −2^(w−1)..2^(w−1): fits an i8 for w ≤ 8.
        let digit = i64::from(word).wrapping_sub(i64::from(carry << w));
        if let (Some(slot), Ok(d)) = (out.get_mut(bit), i8::try_from(digit)) {
            *slot = d;
        }
        bit = bit.wrapping_add(now);
    }
    out
}

/// The table index of an odd digit: `(|d| − 1) / 2`.
fn odd_index(d: i8) -> usize {
    usize::from(d.unsigned_abs() >> 1)
}

/// `u1·G + u2·Q` (big-endian `u1`, `u2`), in variable time: for
/// verification only, where all three are public.
pub(crate) fn mul_verify_vartime(u1: &[u8; 32], u2: &[u8; 32], q: &Affine) -> Jacobian {
    let naf1 = wnaf_vartime(u1, G_WINDOW);
    let naf2 = wnaf_vartime(u2, Q_WINDOW);

    // Q, 3Q, 5Q, …, 15Q.
    let q1 = Jacobian::from_affine(q);
    let q2 = q1.double();
    let mut q_odd = [q1; Q_ODD_LEN];
    let mut prev = q1;
    for slot in q_odd.iter_mut().skip(1) {
        prev = prev.add_vartime(&q2);
        *slot = prev;
    }

    let mut acc = Jacobian::IDENTITY;
    for (d1, d2) in naf1.iter().zip(naf2.iter()).rev() {
        if !acc.vartime_is_identity() {
            acc = acc.double();
        }
        if *d1 != 0 {
            let Some(p) = G_ODD.get(odd_index(*d1)) else {
                return Jacobian::IDENTITY;
            };
            acc = if *d1 > 0 {
                acc.add_affine_vartime(p)
            } else {
                acc.add_affine_vartime(&p.neg())
            };
        }
        if *d2 != 0 {
            let Some(p) = q_odd.get(odd_index(*d2)) else {
                return Jacobian::IDENTITY;
            };
            acc = if *d2 > 0 {
                acc.add_vartime(p)
            } else {
                acc.add_vartime(&p.neg())
            };
        }
    }
    acc
}

// The window of `u1` fits the table of `G`'s odd multiples.
const _: () = assert!(1usize << (G_WINDOW - 1) == 2 * G_ODD_LEN);
const _: () = assert!(1usize << (Q_WINDOW - 1) == 2 * Q_ODD_LEN);
