//! Constant-time DES and TDES, the kernel's own: one block at a time here,
//! many independent blocks under many independent keys in [`bitslice`].
//!
//! No table is indexed by a key or data bit and no branch depends on one:
//!
//! - An S-box lookup is two register rotations by the secret 6-bit S-box
//!   input `x`. Bit `p` of `T.rotate_right(x)` is bit `p + x` of `T`, so a
//!   64-bit constant can hold an output bit's 32 values for the inputs of
//!   one parity at the places `p + x` and a second output's at `q + x`
//!   (`q - p` odd). Each rotated word is one of two such constants,
//!   chosen by `x`'s lowest bit with a mask (never an index), and it
//!   carries two of the S-box's four outputs, each landing straight at its
//!   place after the permutation P, which is folded into the constants
//!   (`tables::pair_tables`). Rotating by a variable amount is a
//!   constant-time register operation (`ror r64, cl` on x86-64). Sixteen
//!   rotations make one round.
//! - The key schedule moves key bits by fixed amounts only: PC-1 as a
//!   transpose, the rotations of C and D, and PC-2 as a fixed shuffle of
//!   16-bit columns between two transposes (tables derived at compile time
//!   from PC-1, PC-2 and the shifts in `tables.rs`).
//! - IP and FP are a byte swap, an 8×8 bit transpose (three delta swaps)
//!   and a byte shuffle.
//!
//! The round state keeps each 32-bit half rotated left by one bit, so that
//! the six input bits of every S-box (E's overlapping windows) are six
//! adjacent bits of the half doubled into a `u64`.
//!
//! What bounds it, measured on an Intel Xeon of the Sapphire Rapids class
//! (AVX-512 and AMX; the core ran at 3.6 GHz) with `benches/peers` and the
//! compiled loop:
//! a round is about 145 instructions, 160 micro-operations and 32 cycles;
//! OpenSSL's table-driven round is about 16 cycles (one TDES block: 2.0
//! times OpenSSL). An S-box costs about 19 micro-operations: the window's
//! shift, the mask of its lowest bit, two selects, two rotations (two
//! micro-operations each, both on the two shift ports of Intel cores), two
//! ANDs and the sum. Both the six-wide front end and the shift ports sit
//! at about 27 cycles a round. A cheaper lookup of the same kind does not
//! exist: a rotation of one 64-bit word by `x` delivers 64 table bits over
//! the 64 values of `x`, an S-box is 256 (four outputs for 64 inputs), so
//! every rotation-based lookup reads four words' worth: two rotations
//! after a two-way select (this one), four rotations, or one rotation
//! after a four-way select all cost 17 to 20 micro-operations.
//!
//! Alternatives measured, none kept: a 128-bit multiply by 2^x as the
//! rotation (slower); a multiply of bit-reversed truth tables by 2^x and a
//! fixed shift for half of the S-boxes (about 10% faster, but only for some
//! choices of S-boxes and code layouts, and multiplies are not constant
//! time on every core the kernel targets, Cortex-M3's among them); the
//! select's mask made without `bt`/`sbb` (twelve micro-operations a round
//! off the shift ports: no change); the select as a multiply by the bit
//! (2.12 times OpenSSL instead of 2.02: the multiply's latency); the same
//! code built with `-C target-cpu=native` (BMI2 and AVX-512: 2.45 times);
//! the bitsliced circuits on one block (about 8 times the work). Counted
//! and not built: a 6-input multiplexer tree evaluating the eight S-boxes
//! side by side (about as many operations, with P then a bit permutation
//! of its own). Byte-shuffle
//! lookups (SSSE3 `pshufb`, AVX-512 `vpermb`) are not in the baseline
//! x86-64 target (SSE2), and choosing them at run time needs `unsafe`
//! calls into `#[target_feature]` functions, which the kernel forbids.
//! Many blocks or many MAC chains go through [`bitslice`] instead
//! (`crate::mac::batch`), at a fraction of a block's cost each.

mod bitslice;
mod chains;
mod sbox;
mod tables;

use zeroize::Zeroize;

pub(crate) use self::chains::Chains;

use self::bitslice::{LANES, Mode};
use self::tables::{
    KEY_LANE_MOVE_COUNT, KEY_LANE_MOVES, KEY_ROW_SHIFTS, PAIR_MASK, PAIR_TABLE, SWAP_MASK,
    transpose_mask,
};
use crate::key::{TdesKey, TdesKeyLength};

/// The sixteen round keys of one DES key, each as the two words that [`f`]
/// XORs into the half: the odd S-boxes' chunks and the even ones', each
/// at its S-box's window (`tables::packed_bit`). 128 bytes per DES key
/// (firmware: a PIN translator or an EMV session key holds one or two).
struct DesKeys([[u32; 2]; 16]);

impl DesKeys {
    /// The key schedule, all sixteen rounds at once on transposed rows
    /// (see `tables.rs`): PC-1, the rotations of C and D, one 16×16
    /// transpose per 16-bit lane, PC-2 as a shuffle of whole columns, and
    /// the transpose back.
    fn new(key: &[u8; 8]) -> Self {
        // PC-1 reads the key as an 8×8 matrix by columns: after IP's byte
        // swap and transpose, rows 0-2 and the high half of row 3 are C,
        // rows 6, 5, 4 and the low half of row 3 are D.
        let t = transpose8(u64::from_be_bytes(*key).swap_bytes());
        let c = t >> 36;
        let d = (((t >> 8) & 0xFF) << 20)
            | (((t >> 16) & 0xFF) << 12)
            | (((t >> 24) & 0xFF) << 4)
            | ((t >> 32) & 0xF);
        let (cc, dd) = (c | (c << 28), d | (d << 28));
        let mut packed = [0u64; 16];
        // `rows` in a scope of its own, wiped as soon as it is read: the
        // round keys below take its place on the stack (firmware budget).
        {
            let mut rows = [0u64; 16];
            for (row, shift) in rows.iter_mut().zip(KEY_ROW_SHIFTS) {
                *row = ((cc >> shift) & 0x0FFF_FFFF) | (((dd >> shift) & 0x0FFF_FFFF) << 32);
            }
            transpose16(&mut rows);
            // One statement per move, with its constants (a loop over the
            // table reads them, and indexes the rows, at run time: about 550
            // instructions instead of 200).
            macro_rules! lane_moves {
                ($($i:literal)*) => {$({
                    const MOVE: (u8, u8, u32, u64) = KEY_LANE_MOVES[$i];
                    let from = rows.get(usize::from(MOVE.0 & 15)).copied().unwrap_or(0);
                    if let Some(to) = packed.get_mut(usize::from(MOVE.1 & 15)) {
                        *to |= from.rotate_left(MOVE.2) & MOVE.3;
                    }
                })*};
            }
            const _: () = assert!(KEY_LANE_MOVE_COUNT == 46, "list every move below");
            lane_moves!(
                0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22
                23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45
            );
            rows.zeroize();
        }
        transpose16(&mut packed);
        // Built by value, with no borrow, so that it is built in the
        // caller's place (no temporary schedule and copy: firmware stack).
        let round_keys = packed.map(|p| [low32(p), low32(p >> 32)]);
        packed.zeroize();
        DesKeys(round_keys)
    }

    /// Sixteen rounds forward (encryption) on the halves.
    #[inline(always)]
    fn encrypt(&self, l: &mut u32, r: &mut u32) {
        if WIDE {
            self.encrypt_wide(l, r);
        } else {
            self.rounds(&NO_MASK, false, l, r);
        }
    }

    /// Sixteen rounds backward (decryption) on the halves.
    #[inline(always)]
    fn decrypt(&self, l: &mut u32, r: &mut u32) {
        if WIDE {
            self.decrypt_wide(l, r);
        } else {
            self.rounds(&NO_MASK, true, l, r);
        }
    }

    /// Sixteen rounds forward on two blocks, `a` under this schedule and
    /// `b` under this schedule XOR `mask` (the schedule of the key XOR the
    /// mask's key: the schedule is linear).
    #[inline(always)]
    fn encrypt_pair(&self, mask: &[[u32; 2]; 16], a: &mut [u32; 2], b: &mut [u32; 2]) {
        if WIDE {
            self.encrypt_pair_wide(mask, a, b);
        } else {
            self.rounds_pair(mask, false, a, b);
        }
    }

    /// As [`DesKeys::encrypt_pair`], backward.
    #[inline(always)]
    fn decrypt_pair(&self, mask: &[[u32; 2]; 16], a: &mut [u32; 2], b: &mut [u32; 2]) {
        if WIDE {
            self.decrypt_pair_wide(mask, a, b);
        } else {
            self.rounds_pair(mask, true, a, b);
        }
    }

    /// [`DesKeys::encrypt`] on 64-bit targets: the rounds unrolled by two.
    #[inline(always)]
    fn encrypt_wide(&self, l: &mut u32, r: &mut u32) {
        let (pairs, _) = self.0.as_chunks::<2>();
        for [k0, k1] in pairs {
            *l ^= f(*r, k0);
            *r ^= f(*l, k1);
        }
        core::mem::swap(l, r);
    }

    /// [`DesKeys::decrypt`] on 64-bit targets.
    #[inline(always)]
    fn decrypt_wide(&self, l: &mut u32, r: &mut u32) {
        let (pairs, _) = self.0.as_chunks::<2>();
        for [k0, k1] in pairs.iter().rev() {
            *l ^= f(*r, k1);
            *r ^= f(*l, k0);
        }
        core::mem::swap(l, r);
    }

    /// [`DesKeys::encrypt_pair`] on 64-bit targets: the two Feistel chains
    /// side by side. They are independent: the core runs one chain's
    /// S-boxes while the other waits for its round's result, so the pair
    /// costs much less than two blocks one after the other (a single
    /// chain spends about a fifth of each round waiting).
    #[inline(always)]
    fn encrypt_pair_wide(&self, mask: &[[u32; 2]; 16], a: &mut [u32; 2], b: &mut [u32; 2]) {
        let (pairs, _) = self.0.as_chunks::<2>();
        let (masks, _) = mask.as_chunks::<2>();
        for ([k0, k1], [m0, m1]) in pairs.iter().zip(masks) {
            let (n0, n1) = (xor_key(k0, m0), xor_key(k1, m1));
            a[0] ^= f(a[1], k0);
            b[0] ^= f(b[1], &n0);
            a[1] ^= f(a[0], k1);
            b[1] ^= f(b[0], &n1);
        }
        a.swap(0, 1);
        b.swap(0, 1);
    }

    /// [`DesKeys::decrypt_pair`] on 64-bit targets.
    #[inline(always)]
    fn decrypt_pair_wide(&self, mask: &[[u32; 2]; 16], a: &mut [u32; 2], b: &mut [u32; 2]) {
        let (pairs, _) = self.0.as_chunks::<2>();
        let (masks, _) = mask.as_chunks::<2>();
        for ([k0, k1], [m0, m1]) in pairs.iter().zip(masks).rev() {
            let (n0, n1) = (xor_key(k0, m0), xor_key(k1, m1));
            a[0] ^= f(a[1], k1);
            b[0] ^= f(b[1], &n1);
            a[1] ^= f(a[0], k0);
            b[1] ^= f(b[0], &n0);
        }
        a.swap(0, 1);
        b.swap(0, 1);
    }

    /// The rounds on 32-bit targets (firmware): one loop of single rounds,
    /// shared by both directions, single blocks and pairs, and not
    /// inlined. The 64-bit versions above, inlined with two chains side by
    /// side, are about 15 KiB of Thumb-2 code in a firmware that uses them
    /// all; this is under 1 KiB, and an in-order Cortex-M core gains
    /// nothing from two chains (measured with `firmware/budget.sh`: fewer
    /// instructions, too). Compiled on every target (the branch on
    /// [`WIDE`] drops it from 64-bit builds), so the host's tests run it
    /// against the `des` crate.
    ///
    /// Sixteen rounds on the halves under this schedule XOR `mask`,
    /// forward or backward (`decrypt`, public): round `i` uses round key
    /// `i`, or `15 - i` backward; the round counter alone indexes them.
    #[inline(never)]
    fn rounds(&self, mask: &[[u32; 2]; 16], decrypt: bool, l: &mut u32, r: &mut u32) {
        let (mut x, mut y) = (*l, *r);
        for i in 0..16usize {
            let j = if decrypt { 15usize.wrapping_sub(i) } else { i };
            let k = self.0.get(j).copied().unwrap_or([0; 2]);
            let m = mask.get(j).copied().unwrap_or([0; 2]);
            let t = x ^ f(y, &xor_key(&k, &m));
            x = y;
            y = t;
        }
        // After an even number of rounds `(x, y)` is `(L16, R16)`; the
        // output is `R16 || L16`, as the 64-bit versions' final swap.
        *l = y;
        *r = x;
    }

    /// A pair on 32-bit targets: `a` under this schedule, then `b` under
    /// this schedule XOR `mask`, one after the other.
    #[inline(always)]
    fn rounds_pair(
        &self,
        mask: &[[u32; 2]; 16],
        decrypt: bool,
        a: &mut [u32; 2],
        b: &mut [u32; 2],
    ) {
        let [a0, a1] = a;
        self.rounds(&NO_MASK, decrypt, a0, a1);
        let [b0, b1] = b;
        self.rounds(mask, decrypt, b0, b1);
    }
}

/// Whether the rounds are the 64-bit ones (unrolled, two chains side by
/// side) or the 32-bit loop ([`DesKeys::rounds`]). A constant: each
/// build keeps one of the two, and both are compiled and type-checked on
/// every target.
const WIDE: bool = cfg!(target_pointer_width = "64");

/// A round key XOR a mask's round key.
#[inline(always)]
fn xor_key(k: &[u32; 2], m: &[u32; 2]) -> [u32; 2] {
    let ([a, b], [c, d]) = (k, m);
    [a ^ c, b ^ d]
}

/// The schedule of the all-zero key: a pair under one key.
const NO_MASK: [[u32; 2]; 16] = [[0; 2]; 16];

/// The low 32 bits of `x`, without a cast.
#[inline(always)]
fn low32(x: u64) -> u32 {
    let [a, b, c, d, ..] = x.to_le_bytes();
    u32::from_le_bytes([a, b, c, d])
}

impl Drop for DesKeys {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// The f function on a half `r` with one round key: the eight S-boxes'
/// outputs, each at its place after P.
#[inline(always)]
fn f(r: u32, k: &[u32; 2]) -> u32 {
    let t = pair_tables();
    let [k_odd, k_even] = *k;
    let (odd, even) = (r ^ k_odd, r ^ k_even);
    let [t1, t2, t3, t4, t5, t6, t7, t8] = t;
    let [m1, m2, m3, m4, m5, m6, m7, m8] = PAIR_MASK;
    // S-box s reads bits 32 - 4s ..= 37 - 4s: S1's window wraps.
    let x = ((sbox(odd.rotate_right(28), t1, m1) ^ sbox(even >> 24, t2, m2))
        ^ (sbox(odd >> 20, t3, m3) ^ sbox(even >> 16, t4, m4)))
        ^ ((sbox(odd >> 12, t5, m5) ^ sbox(even >> 8, t6, m6))
            ^ (sbox(odd >> 4, t7, m7) ^ sbox(even, t8, m8)));
    low32(x)
}

/// The pair tables, read from memory: as immediates they would take an
/// ALU slot each (`movabs`), loads do not. Taken anew every round: with
/// the address known to be the same from round to round, the compiler
/// copies the 32 words to the stack first (64 more instructions a block).
#[inline(always)]
fn pair_tables() -> &'static [[u64; 4]; 8] {
    core::hint::black_box(&PAIR_TABLE)
}

/// The four output bits of one S-box, at their places after P, for the
/// window in the low six bits of `x` (the higher bits are ignored): two
/// lookups of two outputs each (`tables::pair_tables`), each a select by
/// the window's lowest bit and a rotation by the window.
#[inline(always)]
fn sbox(x: u32, t: &[u64; 4], m: [u64; 2]) -> u64 {
    let low = u64::from(x & 1);
    let [t_a, d_a, t_b, d_b] = *t;
    let [m_a, m_b] = m;
    (pick(low, t_a, d_a).rotate_right(x) & m_a) ^ (pick(low, t_b, d_b).rotate_right(x) & m_b)
}

/// `t`, or `t ^ d` when `bit` (0 or 1, secret) is 1, without a branch:
/// a mask. (A multiply by the bit, which x86-64 runs in constant time on
/// its own port, measured slower on a single chain: its three cycles of
/// latency sit on the round's critical path.)
#[inline(always)]
fn pick(bit: u64, t: u64, d: u64) -> u64 {
    t ^ (d & bit.wrapping_neg())
}

/// Swaps the bits of `x` under `mask` with those `delta` places higher.
#[inline(always)]
const fn delta_swap(x: u64, delta: u32, mask: u64) -> u64 {
    let t = ((x >> delta) ^ x) & mask;
    x ^ t ^ (t << delta)
}

const T1: u64 = transpose_mask(1);
const T2: u64 = transpose_mask(2);
const T4: u64 = transpose_mask(4);

/// Transposes `x` read as an 8×8 bit matrix (byte = row, MSB first).
#[inline(always)]
fn transpose8(x: u64) -> u64 {
    let x = delta_swap(x, 7, T1);
    let x = delta_swap(x, 14, T2);
    delta_swap(x, 28, T4)
}

/// Transposes, in each of the four 16-bit lanes, the 16×16 bit matrix of
/// the lane in the sixteen rows: lane bit `k` of row `r` trades places with
/// lane bit `r` of row `k`.
#[inline(never)]
fn transpose16(m: &mut [u64; 16]) {
    // The four stages one after the other, each with its constants (not a
    // loop over a table of them, which sat on the stack).
    transpose16_stage(m, 8, 0x00FF_00FF_00FF_00FF);
    transpose16_stage(m, 4, 0x0F0F_0F0F_0F0F_0F0F);
    transpose16_stage(m, 2, 0x3333_3333_3333_3333);
    transpose16_stage(m, 1, 0x5555_5555_5555_5555);
}

/// One stage of [`transpose16`]: swaps the `w`-bit blocks of `mask`
/// between rows `w` apart.
#[inline(always)]
fn transpose16_stage(m: &mut [u64; 16], w: u32, mask: u64) {
    let half = usize::try_from(w).unwrap_or(0);
    for pair in m.chunks_exact_mut(half.saturating_mul(2)) {
        let (lo, hi) = pair.split_at_mut(half);
        for (a, b) in lo.iter_mut().zip(hi.iter_mut()) {
            let t = ((*a >> w) ^ *b) & mask;
            *a ^= t << w;
            *b ^= t;
        }
    }
}

/// Gathers bytes 1, 3, 5, 7 of `x` (from the least significant) into a
/// 32-bit value, most significant first.
#[inline(always)]
fn odd_bytes(x: u64) -> u64 {
    let e = (x >> 8) & 0x00FF_00FF_00FF_00FF;
    let e = (e | (e >> 8)) & 0x0000_FFFF_0000_FFFF;
    (e | (e >> 16)) & 0xFFFF_FFFF
}

/// The inverse of [`odd_bytes`] (bytes 0, 2, 4, 6 left zero).
#[inline(always)]
fn spread_odd_bytes(x: u64) -> u64 {
    let e = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    let e = (e | (e << 8)) & 0x00FF_00FF_00FF_00FF;
    e << 8
}

/// IP: the halves L0 and R0 of `block` in the round's layout
/// (`tables::half_pos`).
///
/// IP reads the block as an 8×8 bit matrix: output row `r`, column `c` is
/// input row `7 - c`, column `[1, 3, 5, 7, 0, 2, 4, 6][r]`. Reversing the
/// rows (a byte swap) and transposing leaves the rows to pick: L is made of
/// rows 1, 3, 5, 7, R of rows 0, 2, 4, 6. Each half is then rotated left
/// by one bit and has the pairs of [`SWAP_MASK`] swapped.
#[inline(always)]
fn ip(block: u64) -> (u32, u32) {
    let t = transpose8(block.swap_bytes());
    let lr = (odd_bytes(t << 8) << 32) | odd_bytes(t);
    let lr = swap_pairs(rotl1_halves(lr));
    (low32(lr >> 32), low32(lr))
}

/// [`ip`] as an array `[L0, R0]`.
#[inline(always)]
fn ip2(block: u64) -> [u32; 2] {
    let (l, r) = ip(block);
    [l, r]
}

/// [`fp`] of an array `[R16, L16]` (the halves after the final swap).
#[inline(always)]
fn fp2(h: [u32; 2]) -> u64 {
    let [r, l] = h;
    fp(r, l)
}

/// FP = IP⁻¹ of the preoutput `R16 || L16`, from the halves.
#[inline(always)]
fn fp(r16: u32, l16: u32) -> u64 {
    let rl = rotr1_halves(swap_pairs((u64::from(r16) << 32) | u64::from(l16)));
    let t = (spread_odd_bytes(rl >> 32) >> 8) | spread_odd_bytes(rl & 0xFFFF_FFFF);
    transpose8(t).swap_bytes()
}

/// Swaps the pairs of [`SWAP_MASK`] in both halves of `x` (an involution).
#[inline(always)]
fn swap_pairs(x: u64) -> u64 {
    let m = u64::from(SWAP_MASK);
    delta_swap(x, 1, m | (m << 32))
}

/// Rotates each 32-bit half of `x` left by one bit.
#[inline(always)]
fn rotl1_halves(x: u64) -> u64 {
    ((x << 1) & 0xFFFF_FFFE_FFFF_FFFE) | ((x >> 31) & 0x0000_0001_0000_0001)
}

/// Rotates each 32-bit half of `x` right by one bit.
#[inline(always)]
fn rotr1_halves(x: u64) -> u64 {
    ((x >> 1) & 0x7FFF_FFFF_7FFF_FFFF) | ((x << 31) & 0x8000_0000_8000_0000)
}

/// The key schedules of a TDES key (EDE): K1, K2, K3.
pub(crate) struct TdesSchedule {
    k1: DesKeys,
    k2: DesKeys,
    k3: DesKeys,
    /// K1 = K2 = K3 by construction (an 8-byte key): EDE is one DES.
    single: bool,
}

impl TdesSchedule {
    /// The schedules of K1, K2, K3 (EDE with three keys).
    pub(crate) fn new(keys: &[[u8; 8]; 3]) -> Self {
        let [a, b, c] = keys;
        TdesSchedule {
            k1: DesKeys::new(a),
            k2: DesKeys::new(b),
            k3: DesKeys::new(c),
            single: false,
        }
    }

    /// Single DES under `key` (K1 = K2 = K3).
    pub(crate) fn single(key: &[u8; 8]) -> Self {
        let mut s = TdesSchedule {
            k1: DesKeys::new(key),
            k2: DesKeys([[0; 2]; 16]),
            k3: DesKeys([[0; 2]; 16]),
            single: true,
        };
        s.k2.0 = s.k1.0;
        s.k3.0 = s.k1.0;
        s
    }

    /// The schedules of `key`, computing each distinct one once: the key's
    /// length (public) says which of K1, K2, K3 are the same key. An 8-byte
    /// key runs one DES instead of three.
    ///
    /// Each schedule is built in its place and a repeated one copied by
    /// assignment, so that no temporary schedule sits on the stack.
    pub(crate) fn from_key(key: &TdesKey) -> Self {
        let mut keys = key.des_keys();
        let [a, b, _] = &keys;
        let s = match key.length() {
            TdesKeyLength::Single => TdesSchedule::single(a),
            TdesKeyLength::Double => {
                let mut s = TdesSchedule {
                    k1: DesKeys::new(a),
                    k2: DesKeys::new(b),
                    k3: DesKeys([[0; 2]; 16]),
                    single: false,
                };
                s.k3.0 = s.k1.0;
                s
            }
            TdesKeyLength::Triple => TdesSchedule::new(&keys),
        };
        keys.zeroize();
        s
    }

    /// E(K3, D(K2, E(K1, x))).
    pub(crate) fn encrypt(&self, x: u64) -> u64 {
        let (mut l, mut r) = ip(x);
        self.k1.encrypt(&mut l, &mut r);
        if !self.single {
            // FP then IP cancel between the stages: only the halves' swap,
            // already done, remains.
            self.k2.decrypt(&mut l, &mut r);
            self.k3.encrypt(&mut l, &mut r);
        }
        fp(l, r)
    }

    /// E(K1, x): single DES under the first key alone.
    pub(crate) fn encrypt_k1(&self, x: u64) -> u64 {
        let (mut l, mut r) = ip(x);
        self.k1.encrypt(&mut l, &mut r);
        fp(l, r)
    }

    /// [`TdesSchedule::decrypt`] or [`TdesSchedule::encrypt`]; the
    /// direction is public.
    fn apply(&self, x: u64, decrypt: bool) -> u64 {
        if decrypt {
            self.decrypt(x)
        } else {
            self.encrypt(x)
        }
    }

    /// D(K1, E(K2, D(K3, x))).
    pub(crate) fn decrypt(&self, x: u64) -> u64 {
        let (mut l, mut r) = ip(x);
        if self.single {
            self.k1.decrypt(&mut l, &mut r);
        } else {
            self.k3.decrypt(&mut l, &mut r);
            self.k2.encrypt(&mut l, &mut r);
            self.k1.decrypt(&mut l, &mut r);
        }
        fp(l, r)
    }
}

/// Passes of up to this many blocks run block by block: a bitsliced pass
/// costs about as much as six or seven blocks with their own schedules.
const BATCH_MIN: usize = 6;

/// A key's K1, K2, K3 read big-endian.
pub(crate) fn key_words(key: &TdesKey) -> [u64; 3] {
    let mut k = key.des_keys();
    let [a, b, c] = &k;
    let w = [
        u64::from_be_bytes(*a),
        u64::from_be_bytes(*b),
        u64::from_be_bytes(*c),
    ];
    k.zeroize();
    w
}

/// Runs `mode` on `blocks[i]` for every `i`, in bitsliced passes of up to
/// 64 blocks with `keys(i)` as the keys; a pass of at most [`BATCH_MIN`]
/// blocks runs block by block through `one(i, block)` instead.
fn run_many(
    mode: Mode,
    keys: impl Fn(usize) -> [u64; 3],
    one: impl Fn(usize, u64) -> u64,
    blocks: &mut [[u8; 8]],
) {
    let mut base = 0usize;
    for chunk in blocks.chunks_mut(LANES) {
        let n = chunk.len();
        if n <= BATCH_MIN {
            // Only the last chunk can be this small.
            for (i, c) in (base..).zip(chunk.iter_mut()) {
                *c = one(i, u64::from_be_bytes(*c)).to_be_bytes();
            }
            return;
        }
        let mut kbuf = [[0u64; 3]; LANES];
        let mut bbuf = [0u64; LANES];
        for (i, k) in (base..).zip(kbuf.iter_mut().take(n)) {
            *k = keys(i);
        }
        for (b, c) in bbuf.iter_mut().zip(chunk.iter()) {
            *b = u64::from_be_bytes(*c);
        }
        bitslice::pass(
            mode,
            kbuf.get(..n).unwrap_or(&[]),
            bbuf.get_mut(..n).unwrap_or(&mut []),
        );
        for (c, b) in chunk.iter_mut().zip(bbuf.iter()) {
            *c = b.to_be_bytes();
        }
        kbuf.zeroize();
        bbuf.zeroize();
        base = base.saturating_add(n);
    }
}

/// The bitsliced mode of TDES in one direction.
fn tdes_mode(decrypt: bool) -> Mode {
    if decrypt {
        Mode::TdesDecrypt
    } else {
        Mode::TdesEncrypt
    }
}

/// TDES on `blocks[i]` under `keys[i]` for every `i` (the lengths are the
/// caller's to check): bitsliced, constant time.
pub(crate) fn tdes_many(keys: &[TdesKey], blocks: &mut [[u8; 8]], decrypt: bool) {
    run_many(
        tdes_mode(decrypt),
        |i| keys.get(i).map(key_words).unwrap_or([0; 3]),
        |i, x| {
            keys.get(i)
                .map(|k| TdesSchedule::from_key(k).apply(x, decrypt))
                .unwrap_or(x)
        },
        blocks,
    );
}

/// TDES on every block under one key, given as its words `k` (for the
/// bitsliced passes) and its schedule `s` (for a short tail). On 64-bit
/// targets only: elsewhere the blocks go one by one (`TdesCipher`).
#[cfg(target_pointer_width = "64")]
pub(crate) fn tdes_one_key_many(
    k: &[u64; 3],
    s: &TdesSchedule,
    blocks: &mut [[u8; 8]],
    decrypt: bool,
) {
    run_many(
        tdes_mode(decrypt),
        |_| *k,
        |_, x| s.apply(x, decrypt),
        blocks,
    );
}

/// Single DES encryption of `blocks[i]` under `keys[i]` for every `i`.
pub(crate) fn des_encrypt_many(keys: &[[u8; 8]], blocks: &mut [[u8; 8]]) {
    run_many(
        Mode::DesEncrypt,
        |i| {
            let k = keys.get(i).map(|k| u64::from_be_bytes(*k)).unwrap_or(0);
            [k, k, k]
        },
        |i, x| {
            keys.get(i)
                .map(|k| TdesSchedule::single(k).encrypt(x))
                .unwrap_or(x)
        },
        blocks,
    );
}

/// Single DES encryption of the block `x` under `key` (both big-endian
/// words), with a key schedule made for this block alone and wiped when it
/// goes. TDES DUKPT's non-reversible key generation (X9.24-1 A.2) runs one
/// such DES per key half, each under a key it will never use again.
pub(crate) fn des_encrypt_word(key: u64, x: u64) -> u64 {
    let mut k = key.to_be_bytes();
    let schedule = DesKeys::new(&k);
    k.zeroize();
    let (mut l, mut r) = ip(x);
    schedule.encrypt(&mut l, &mut r);
    fp(l, r)
}

/// Two-key TDES (EDE, K3 = K1) encryption of every block under the key
/// halves `key` (big-endian words): two key schedules, no copy of either;
/// blocks two at a time ([`DesKeys::encrypt_pair`]).
pub(crate) fn tdes2_encrypt_words(key: &[u64; 2], blocks: &mut [u64]) {
    let [a, b] = key;
    let mut k = a.to_be_bytes();
    let k1 = DesKeys::new(&k);
    k = b.to_be_bytes();
    let k2 = DesKeys::new(&k);
    k.zeroize();
    let mut pairs = blocks.chunks_exact_mut(2);
    for pair in &mut pairs {
        if let [x, y] = pair {
            let (mut p, mut q) = (ip2(*x), ip2(*y));
            k1.encrypt_pair(&NO_MASK, &mut p, &mut q);
            k2.decrypt_pair(&NO_MASK, &mut p, &mut q);
            k1.encrypt_pair(&NO_MASK, &mut p, &mut q);
            (*x, *y) = (fp2(p), fp2(q));
        }
    }
    for x in pairs.into_remainder() {
        let (mut l, mut r) = ip(*x);
        k1.encrypt(&mut l, &mut r);
        k2.decrypt(&mut l, &mut r);
        k1.encrypt(&mut l, &mut r);
        *x = fp(l, r);
    }
}

/// The key schedule of a fixed, public key mask (DUKPT's
/// `C0C0C0C000000000`), made at compile time, for
/// [`des_encrypt_pair_masked`] and [`tdes2_encrypt_pair_masked`].
///
/// The DES key schedule only moves key bits about (PC-1, the rotations of
/// C and D, PC-2), so it is linear: the schedule of `k ^ m` is the XOR of
/// the schedules of `k` and `m`. A pair of keys that differ by the mask
/// then costs one schedule, and the XOR is done round by round.
pub(crate) struct MaskSchedule([[u32; 2]; 16]);

impl MaskSchedule {
    /// The schedule of `mask` (a big-endian word, public: not wiped).
    pub(crate) const fn new(mask: u64) -> Self {
        MaskSchedule(tables::constant_schedule(mask))
    }
}

/// DES encryptions of `a` under `key` and of `b` under `key ^ mask` (all
/// big-endian words), from one key schedule, side by side
/// ([`DesKeys::encrypt_pair`]): TDES DUKPT's non-reversible key
/// generation (X9.24-1 A.2) encrypts under a key half and under the same
/// half XOR `C0C0C0C000000000`.
pub(crate) fn des_encrypt_pair_masked(key: u64, mask: &MaskSchedule, a: u64, b: u64) -> (u64, u64) {
    let mut k = key.to_be_bytes();
    let schedule = DesKeys::new(&k);
    k.zeroize();
    let (mut p, mut q) = (ip2(a), ip2(b));
    schedule.encrypt_pair(&mask.0, &mut p, &mut q);
    (fp2(p), fp2(q))
}

/// Two-key TDES encryptions of `x` under `key` and under `key` with both
/// halves XOR `mask`, from two key schedules, side by side (TDES DUKPT's
/// initial key, X9.24-1 A.6: the BDK and the BDK XOR
/// `C0C0C0C000000000C0C0C0C000000000`).
pub(crate) fn tdes2_encrypt_pair_masked(key: &[u64; 2], mask: &MaskSchedule, x: u64) -> (u64, u64) {
    let [a, b] = key;
    let mut k = a.to_be_bytes();
    let k1 = DesKeys::new(&k);
    k = b.to_be_bytes();
    let k2 = DesKeys::new(&k);
    k.zeroize();
    let (mut p, mut q) = (ip2(x), ip2(x));
    k1.encrypt_pair(&mask.0, &mut p, &mut q);
    k2.decrypt_pair(&mask.0, &mut p, &mut q);
    k1.encrypt_pair(&mask.0, &mut p, &mut q);
    (fp2(p), fp2(q))
}

#[cfg(test)]
mod tests;
