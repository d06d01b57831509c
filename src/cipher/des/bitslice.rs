//! Bitsliced DES and TDES: many independent blocks under many independent
//! keys at once, in constant time.
//!
//! A pass holds up to [`LANES`] (64) blocks. Bit `q` of every block is one
//! machine word (a *slice*) whose bit `l` belongs to block `l`; the keys
//! are sliced the same way. Every DES step then works on all lanes at once:
//! IP, E, P, FP and the key schedule only choose which slices to read
//! (fixed indices from `tables.rs`), and each S-box is a Boolean circuit
//! (`sbox.rs`) on six slices. Nothing reads memory at a secret index or
//! branches on a secret, and every lane costs the same.

use zeroize::Zeroize;

use super::sbox::{s1, s2, s3, s4, s5, s6, s7, s8};
use super::tables::{BS_E, BS_IP, BS_KEY, BS_P};

/// Blocks per pass: one per bit of a `u64` slice.
pub(crate) const LANES: usize = 64;

/// Transposes a 64×64 bit matrix in place: bit `j` of row `i` trades places
/// with bit `i` of row `j`. Six rounds of swaps of `w`×`w` blocks, `w` =
/// 32, 16, ..., 1.
fn transpose64(m: &mut [u64; 64]) {
    let mut w = 32usize;
    let mut mask: u64 = 0x0000_0000_FFFF_FFFF;
    while w > 0 {
        let sh = u32::try_from(w).unwrap_or(0);
        for pair in m.chunks_exact_mut(w.saturating_mul(2)) {
            let (lo, hi) = pair.split_at_mut(w);
            for (a, b) in lo.iter_mut().zip(hi.iter_mut()) {
                let t = ((*a >> sh) ^ *b) & mask;
                *a ^= t << sh;
                *b ^= t;
            }
        }
        w >>= 1;
        mask ^= mask << w;
    }
}

/// Slices `words` (at most [`LANES`], the rest taken as zero): slice `q`
/// holds bit `q` of every word, lane `l` for `words[l]`.
pub(crate) fn slice(words: &[u64], out: &mut [u64; 64]) {
    *out = [0; 64];
    for (o, w) in out.iter_mut().zip(words) {
        *o = *w;
    }
    transpose64(out);
}

/// The inverse of [`slice()`]: writes lane `l` back to `words[l]` for every
/// `l < words.len()`.
pub(crate) fn unslice(slices: &[u64; 64], words: &mut [u64]) {
    let mut m = *slices;
    transpose64(&mut m);
    for (w, o) in words.iter_mut().zip(m.iter()) {
        *w = *o;
    }
    m.zeroize();
}

/// One operation of a pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Single DES under K1.
    DesEncrypt,
    /// E(K3, D(K2, E(K1, x))).
    TdesEncrypt,
    /// D(K1, E(K2, D(K3, x))).
    TdesDecrypt,
}

#[inline(always)]
fn at(a: &[u64], i: usize) -> u64 {
    a.get(i).copied().unwrap_or(0)
}

#[inline(always)]
fn xor_at(a: &mut [u64], i: usize, v: u64) {
    if let Some(x) = a.get_mut(i) {
        *x ^= v;
    }
}

/// One S-box of a round: its six inputs from R through E, XORed with their
/// key slices, and its four outputs XORed into L through P.
macro_rules! sbox_step {
    ($l:ident, $r:ident, $k:ident, $rk:ident, $s:literal, $f:ident) => {{
        let input = |n: usize| {
            let bit = 6 * $s + n;
            // The key slice index is below 64 by construction; the mask
            // lets the compiler see it, so the round loop has no checks.
            at($r, at_idx(&BS_E, bit)) ^ at($k, usize::from(at_u8($rk, bit) & 63))
        };
        let [o0, o1, o2, o3] = $f(input(0), input(1), input(2), input(3), input(4), input(5));
        xor_at($l, at_idx(&BS_P, 4 * $s), o0);
        xor_at($l, at_idx(&BS_P, 4 * $s + 1), o1);
        xor_at($l, at_idx(&BS_P, 4 * $s + 2), o2);
        xor_at($l, at_idx(&BS_P, 4 * $s + 3), o3);
    }};
}

#[inline(always)]
fn at_idx(a: &[usize], i: usize) -> usize {
    a.get(i).copied().unwrap_or(0)
}

#[inline(always)]
fn at_u8(a: &[u8], i: usize) -> u8 {
    a.get(i).copied().unwrap_or(0)
}

/// One round: `l ^= f(r, round key)`, where `rk` names the key slice of
/// each round-key bit.
#[inline(always)]
fn round(l: &mut [u64; 32], r: &[u64; 32], k: &[u64; 64], rk: &[u8; 48]) {
    let (l, r) = (l.as_mut_slice(), r.as_slice());
    sbox_step!(l, r, k, rk, 0, s1);
    sbox_step!(l, r, k, rk, 1, s2);
    sbox_step!(l, r, k, rk, 2, s3);
    sbox_step!(l, r, k, rk, 3, s4);
    sbox_step!(l, r, k, rk, 4, s5);
    sbox_step!(l, r, k, rk, 5, s6);
    sbox_step!(l, r, k, rk, 6, s7);
    sbox_step!(l, r, k, rk, 7, s8);
}

/// Sixteen rounds, forward or backward, then the halves' swap.
fn des(l: &mut [u64; 32], r: &mut [u64; 32], k: &[u64; 64], decrypt: bool) {
    let (pairs, _) = BS_KEY.as_chunks::<2>();
    if decrypt {
        for [k0, k1] in pairs.iter().rev() {
            round(l, r, k, k1);
            round(r, l, k, k0);
        }
    } else {
        for [k0, k1] in pairs {
            round(l, r, k, k0);
            round(r, l, k, k1);
        }
    }
    core::mem::swap(l, r);
}

/// Runs `mode` on every lane of the sliced blocks `s` (slice `q` is bit
/// `q` of each block read big-endian) under the sliced keys `ks` (K1, K2,
/// K3; single DES reads K1 only): IP and FP choose slices, the rounds run
/// on all lanes at once.
pub(crate) fn encrypt_sliced(mode: Mode, ks: &[[u64; 64]; 3], s: &mut [u64; 64]) {
    let mut l = [0u64; 32];
    let mut r = [0u64; 32];
    for (dst, src) in l.iter_mut().chain(r.iter_mut()).zip(BS_IP.iter()) {
        *dst = at(s, *src);
    }

    let [k1, k2, k3] = ks;
    match mode {
        Mode::DesEncrypt => des(&mut l, &mut r, k1, false),
        Mode::TdesEncrypt => {
            des(&mut l, &mut r, k1, false);
            des(&mut l, &mut r, k2, true);
            des(&mut l, &mut r, k3, false);
        }
        Mode::TdesDecrypt => {
            des(&mut l, &mut r, k3, true);
            des(&mut l, &mut r, k2, false);
            des(&mut l, &mut r, k1, true);
        }
    }

    // FP puts preoutput bit i (R16 || L16, the halves now in l, r) back at
    // the slice IP took bit i from.
    for (src, dst) in l.iter().chain(r.iter()).zip(BS_IP.iter()) {
        if let Some(d) = s.get_mut(*dst) {
            *d = *src;
        }
    }
    l.zeroize();
    r.zeroize();
}

/// Runs `mode` on up to [`LANES`] blocks, block `i` under key `i`
/// (`keys[i]` = K1, K2, K3 read big-endian; single DES reads K1 only).
/// `keys` and `blocks` have the same length.
pub(crate) fn pass(mode: Mode, keys: &[[u64; 3]], blocks: &mut [u64]) {
    let n = blocks.len().min(keys.len()).min(LANES);
    let mut ks = [[0u64; 64]; 3];
    let mut column = [0u64; LANES];
    for (j, slices) in ks.iter_mut().enumerate() {
        if j > 0 && mode == Mode::DesEncrypt {
            break;
        }
        for (c, k) in column.iter_mut().zip(keys.iter().take(n)) {
            *c = k.get(j).copied().unwrap_or(0);
        }
        slice(column.get(..n).unwrap_or(&[]), slices);
    }
    column.zeroize();

    let mut s = [0u64; 64];
    slice(blocks.get(..n).unwrap_or(&[]), &mut s);
    encrypt_sliced(mode, &ks, &mut s);
    unslice(&s, blocks.get_mut(..n).unwrap_or(&mut []));

    ks.zeroize();
    s.zeroize();
}
