//! The tables of FIPS 46-3 (DES) and the constants both DES
//! implementations derive from them at compile time.
//!
//! Every function here is a `const fn` evaluated only in `const` items: an
//! out-of-range index or an overflow in them is a compile error, never a
//! run-time panic, and none of them sees a key or a block.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    reason = "const evaluation only: a bad index, overflow or cast fails the build or is checked by the tests"
)]

/// The eight S-boxes, row by row (FIPS 46-3, "Primitive functions S1-S8").
pub(super) const SBOXES: [[[u8; 16]; 4]; 8] = [
    [
        [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7],
        [0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8],
        [4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0],
        [15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13],
    ],
    [
        [15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10],
        [3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5],
        [0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15],
        [13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9],
    ],
    [
        [10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8],
        [13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1],
        [13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7],
        [1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12],
    ],
    [
        [7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15],
        [13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9],
        [10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4],
        [3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14],
    ],
    [
        [2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9],
        [14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6],
        [4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14],
        [11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3],
    ],
    [
        [12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11],
        [10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8],
        [9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6],
        [4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13],
    ],
    [
        [4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1],
        [13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6],
        [1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2],
        [6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12],
    ],
    [
        [13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7],
        [1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2],
        [7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8],
        [2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11],
    ],
];

/// The initial permutation: output bit `i + 1` is input bit `IP[i]`.
pub(super) const IP: [u8; 64] = [
    58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, //
    62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8, //
    57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, //
    61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];

/// The expansion E: S-box input bit `i + 1` (of 48) is `R` bit `E[i]`.
pub(super) const E: [u8; 48] = [
    32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17, //
    16, 17, 18, 19, 20, 21, 20, 21, 22, 23, 24, 25, 24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
];

/// The permutation P: bit `i + 1` of f's output is S-box output bit `P[i]`.
pub(super) const P: [u8; 32] = [
    16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, //
    2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
];

/// Permuted choice 1: bit `i + 1` of C||D is key bit `PC1[i]`.
pub(super) const PC1: [u8; 56] = [
    57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60,
    52, 44, 36, 63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29,
    21, 13, 5, 28, 20, 12, 4,
];

/// Permuted choice 2: round-key bit `i + 1` is bit `PC2[i]` of C||D.
pub(super) const PC2: [u8; 48] = [
    14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, //
    41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];

/// Left rotations of C and D before each round.
pub(super) const SHIFTS: [u8; 16] = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

/// Output `j` (0 = leftmost) of S-box `s` (0-based) for the 6-bit input `x`
/// read with its first bit most significant: row = first and last bit,
/// column = the middle four.
pub(super) const fn sbox_bit(s: usize, j: usize, x: usize) -> u64 {
    let row = ((x >> 4) & 2) | (x & 1);
    let col = (x >> 1) & 15;
    ((SBOXES[s][row][col] >> (3 - j)) & 1) as u64
}

/// The 64-entry truth table of output `j` of S-box `s`: bit `x` is the
/// output for input `x`.
#[cfg(test)]
pub(super) const fn sbox_truth_table(s: usize, j: usize) -> u64 {
    let mut t = 0u64;
    let mut x = 0;
    while x < 64 {
        t |= sbox_bit(s, j, x) << x;
        x += 1;
    }
    t
}

/// The bit of f's output (1..=32) that S-box output bit `q` (1..=32) feeds
/// through P.
pub(super) const fn p_inverse(q: u8) -> u8 {
    let mut i = 0;
    while i < 32 {
        if P[i] == q {
            return (i + 1) as u8;
        }
        i += 1;
    }
    0
}

/// The key bit (1..=64, FIPS numbering) that becomes bit `k` (0-based, of
/// 48) of the round key of round `r` (0-based): PC-1, the cumulative left
/// rotations of C and D, then PC-2.
pub(super) const fn round_key_source(r: usize, k: usize) -> u8 {
    let mut shift = 0usize;
    let mut i = 0;
    while i <= r {
        shift += SHIFTS[i] as usize;
        i += 1;
    }
    let cd = PC2[k] as usize; // 1..=56: C is 1..=28, D is 29..=56
    let (half, bit) = if cd <= 28 { (0, cd - 1) } else { (28, cd - 29) };
    let mut rotated = bit + shift;
    if rotated >= 28 {
        rotated -= 28;
    }
    PC1[half + rotated]
}

// ---------------------------------------------------------------------
// The one-block DES (`des.rs`).
//
// A 32-bit half of the round state holds FIPS bit i (1..=32) at bit
// `half_pos(i)`: first at (33 - i) mod 32 (the half rotated left by one
// bit, FIPS order descending), then with the bits of some aligned pairs
// (bits 2m and 2m + 1) swapped, as `SWAP_MASK` says. Either way the six
// input bits of S-box s (1..=8) are the six adjacent bits 32 - 4s ..=
// 37 - 4s (mod 32) of the half: E's windows are made of whole aligned
// pairs, so the swaps only reorder bits inside a window.
//
// The S-box's output bits go to four places of f's output (P). The swaps
// are chosen so that, for every S-box, two of those places are even and
// two odd: an even and an odd place then make a pair at an odd distance,
// which is what a two-output lookup needs (see `pair_tables`).

/// The lower bit (2m) of every aligned pair of a half that the round
/// state keeps swapped. Checked by `every_sbox_pairs_even_with_odd_places`
/// (one of the 120 masks that give every S-box two even and two odd
/// output places).
pub(super) const SWAP_MASK: u32 = 0x0001_1055;

/// Swaps the bits of each aligned pair of `p`'s position that
/// [`SWAP_MASK`] names (an involution on positions 0..32).
const fn swap_pos(p: u32) -> u32 {
    if (SWAP_MASK >> (p & !1)) & 1 == 1 {
        p ^ 1
    } else {
        p
    }
}

/// The bit of a half of the round state that holds FIPS bit `i` (1..=32).
#[allow(
    clippy::integer_division_remainder_used,
    reason = "built at compile time over public bit positions; no secret is divided"
)]
pub(super) const fn half_pos(i: u32) -> u32 {
    swap_pos((33 - i) % 32)
}

/// The FIPS bit (1..=32) that bit `p` (0..32) of a half holds.
#[allow(
    clippy::integer_division_remainder_used,
    reason = "built at compile time over public bit positions; no secret is divided"
)]
const fn fips_at(p: u32) -> u32 {
    let i = (33 - swap_pos(p)) % 32;
    if i == 0 { 32 } else { i }
}

/// The input (first bit most significant) of S-box `s` (0-based) when
/// the six bits of its window, read from the half's bit 32 - 4(s + 1)
/// upwards, are the number `x`.
#[allow(
    clippy::integer_division_remainder_used,
    reason = "built at compile time over public bit positions; no secret is divided"
)]
pub(super) const fn sbox_input(s: usize, x: usize) -> usize {
    let w = (32 - 4 * (s as u32 + 1)) % 32;
    let mut v = 0;
    let mut b = 0;
    while b < 6 {
        let i = fips_at((w + b) % 32);
        let mut o = 0;
        while E[6 * s + o] as u32 != i {
            o += 1;
        }
        v |= ((x >> b) & 1) << (5 - o);
        b += 1;
    }
    v
}

/// The bit of a half that output `j` (0 = leftmost) of S-box `s`
/// (0-based) goes to through P.
pub(super) const fn output_pos(s: usize, j: usize) -> u32 {
    half_pos(p_inverse((4 * s + j + 1) as u8) as u32)
}

/// The two pairs of outputs of S-box `s` (0-based), each an even and an
/// odd place: `[[a0, a1], [b0, b1]]` (output numbers, 0 = leftmost).
pub(super) const fn output_pairs(s: usize) -> [[usize; 2]; 2] {
    let mut even = [0usize; 2];
    let mut odd = [0usize; 2];
    let (mut ne, mut no) = (0, 0);
    let mut j = 0;
    while j < 4 {
        if output_pos(s, j) & 1 == 0 {
            even[ne] = j;
            ne += 1;
        } else {
            odd[no] = j;
            no += 1;
        }
        j += 1;
    }
    [[even[0], odd[0]], [even[1], odd[1]]]
}

/// The two-output lookup tables of the round, per S-box `[t_a, d_a, t_b,
/// d_b]`: for the pair `[a0, a1]` of [`output_pairs`] at places `p0`, `p1`
/// and the window `x`, bits `p0` and `p1` of
/// `(t_a ^ (d_a if x is odd)).rotate_right(x)` are outputs `a0` and `a1`.
///
/// Why it fits in 64 bits: the word for the even `x` must hold output
/// `a0` for the 32 even `x` at bits `p0 + x` and output `a1` at bits
/// `p1 + x` (mod 64). `p1 - p0` is odd, so the second set is the odd bits
/// when the first is the even ones: each bit is set once. The same goes
/// for odd `x`, whose word is `t_a ^ d_a`. A lookup is then one select by
/// the window's lowest bit and one rotation for two output bits, each
/// landing at its place after P.
pub(super) static PAIR_TABLE: [[u64; 4]; 8] = pair_tables().0;

/// The places `(1 << p0) | (1 << p1)` of each pair in [`PAIR_TABLE`].
pub(super) const PAIR_MASK: [[u64; 2]; 8] = pair_tables().1;

/// [`PAIR_TABLE`] and [`PAIR_MASK`], and for each word the bits written
/// twice (must be none) and the bits not written (must be none).
#[allow(
    clippy::integer_division_remainder_used,
    reason = "built at compile time over public bit positions; no secret is divided"
)]
pub(super) const fn pair_tables() -> ([[u64; 4]; 8], [[u64; 2]; 8], u64, u64) {
    let mut t = [[0u64; 4]; 8];
    let mut m = [[0u64; 2]; 8];
    let (mut twice, mut unset) = (0u64, 0u64);
    let mut s = 0;
    while s < 8 {
        let pairs = output_pairs(s);
        let mut k = 0;
        while k < 2 {
            let [j0, j1] = pairs[k];
            let (p0, p1) = (output_pos(s, j0), output_pos(s, j1));
            let mut w = [0u64; 2];
            let mut seen = [0u64; 2];
            let mut x = 0;
            while x < 64 {
                let v = sbox_input(s, x);
                let (a, b) = ((p0 as usize + x) % 64, (p1 as usize + x) % 64);
                twice |= seen[x & 1] & ((1u64 << a) | (1u64 << b));
                seen[x & 1] |= (1u64 << a) | (1u64 << b);
                w[x & 1] |= (sbox_bit(s, j0, v) << a) | (sbox_bit(s, j1, v) << b);
                x += 1;
            }
            unset |= !seen[0] | !seen[1];
            t[s][2 * k] = w[0];
            t[s][2 * k + 1] = w[0] ^ w[1];
            m[s][k] = (1u64 << p0) | (1u64 << p1);
            k += 1;
        }
        s += 1;
    }
    (t, m, twice, unset)
}

// The one-block key schedule works on the transposed round keys. Rows
// `r` = 0..16 hold C and D rotated for round r + 1 (C bit i at bit 28 - i,
// D bit i at bit 60 - i); transposed within 16-bit lanes, row `i` lane `b`
// holds *column* 16b + i: that C/D bit in all sixteen rounds. PC-2 does
// not depend on the round, so it becomes a fixed shuffle of whole columns
// (`KEY_LANE_MOVES`), and transposing back gives every round key at once,
// packed: the odd S-boxes' word in bits 0..32, the even ones' in bits
// 32..64 (`packed_bit`).

/// `28 - (total left rotation of C and D before round r + 1)`: the right
/// shift that takes the rotated half out of a doubled one.
pub(super) const KEY_ROW_SHIFTS: [u32; 16] = key_row_shifts();

const fn key_row_shifts() -> [u32; 16] {
    let mut out = [0u32; 16];
    let mut total = 0u32;
    let mut r = 0;
    while r < 16 {
        total += SHIFTS[r] as u32;
        out[r] = 28 - total;
        r += 1;
    }
    out
}

/// The column (bit of a row) of C||D bit `cd` (1..=56).
const fn cd_column(cd: usize) -> usize {
    if cd <= 28 { 28 - cd } else { 88 - cd }
}

/// The bit of the packed round key that is input bit `o` (0 = first) of
/// S-box `s` (1..=8): the place in a half of the R bit that E feeds
/// there, in the low word (bits 0..32) for the odd S-boxes and in the high
/// word (bits 32..64) for the even ones. Windows of S-boxes of one parity
/// do not overlap, so each word holds four S-boxes' chunks.
const fn packed_bit(s: usize, o: usize) -> usize {
    let p = half_pos(E[6 * (s - 1) + o] as u32) as usize;
    if s & 1 == 1 { p } else { p + 32 }
}

/// The packed round keys of the constant `key` (a big-endian word), bit
/// by bit from PC-1, the shifts and PC-2 (`round_key_source`) into the
/// places of `packed_bit`: the schedule of a public mask, made at compile
/// time (DUKPT's `C0C0C0C000000000`). The same answer as `DesKeys::new`,
/// which the tests check.
#[allow(
    clippy::integer_division_remainder_used,
    reason = "built at compile time over public bit positions; no secret is divided"
)]
pub(super) const fn constant_schedule(key: u64) -> [[u32; 2]; 16] {
    let mut out = [[0u32; 2]; 16];
    let mut r = 0;
    while r < 16 {
        let mut k = 0;
        while k < 48 {
            let b = round_key_source(r, k) as u64;
            let bit = ((key >> (64 - b)) & 1) as u32;
            let p = packed_bit(k / 6 + 1, k % 6);
            out[r][p / 32] |= bit << (p % 32);
            k += 1;
        }
        r += 1;
    }
    out
}

/// For each (source row, destination row, lane shift), the mask of the
/// destination lanes that take a column from there.
const fn lane_move_masks() -> [[[u64; 4]; 16]; 16] {
    let mut m = [[[0u64; 4]; 16]; 16];
    let mut s = 1;
    while s <= 8 {
        let mut o = 0;
        while o < 6 {
            let src = cd_column(PC2[6 * (s - 1) + o] as usize);
            let dst = packed_bit(s, o);
            let lanes = ((dst >> 4) + 4 - (src >> 4)) & 3;
            m[src & 15][dst & 15][lanes] |= 0xFFFFu64 << (16 * (dst >> 4));
            o += 1;
        }
        s += 1;
    }
    m
}

/// How many (source row, destination row, lane shift) moves there are
/// (`DesKeys::new` lists them one by one: the count is checked there).
pub(super) const KEY_LANE_MOVE_COUNT: usize = lane_move_count();

const fn lane_move_count() -> usize {
    let m = lane_move_masks();
    let mut n = 0;
    let mut i = 0;
    while i < 16 * 16 * 4 {
        if m[i >> 6][(i >> 2) & 15][i & 3] != 0 {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The column shuffle of PC-2 on the transposed rows: `(source row,
/// destination row, rotation, mask)`, meaning
/// `dst |= src.rotate_left(rotation) & mask`.
pub(super) const KEY_LANE_MOVES: [(u8, u8, u32, u64); KEY_LANE_MOVE_COUNT] = lane_moves();

const fn lane_moves() -> [(u8, u8, u32, u64); KEY_LANE_MOVE_COUNT] {
    let m = lane_move_masks();
    let mut out = [(0u8, 0u8, 0u32, 0u64); KEY_LANE_MOVE_COUNT];
    let mut n = 0;
    let mut i = 0;
    while i < 16 * 16 * 4 {
        let mask = m[i >> 6][(i >> 2) & 15][i & 3];
        if mask != 0 {
            out[n] = (
                (i >> 6) as u8,
                ((i >> 2) & 15) as u8,
                16 * (i & 3) as u32,
                mask,
            );
            n += 1;
        }
        i += 1;
    }
    out
}

/// The mask of the lower bit of each pair one step of an 8×8 bit transpose
/// swaps: elements (row, col) with `row & h != 0` and `col & h == 0`, bit
/// (row, col) being `63 - 8 row - col` (rows are bytes, most significant
/// first; columns are bits, most significant first).
pub(super) const fn transpose_mask(h: usize) -> u64 {
    let mut m = 0u64;
    let mut row = 0;
    while row < 8 {
        let mut col = 0;
        while col < 8 {
            if row & h != 0 && col & h == 0 {
                m |= 1u64 << (63 - 8 * row - col);
            }
            col += 1;
        }
        row += 1;
    }
    m
}

// ---------------------------------------------------------------------
// The bitsliced DES (`bitslice.rs`). Slice q holds bit q (0 = least
// significant) of each block or key read big-endian: FIPS bit b is slice
// 64 - b.

/// For each of the 64 bits of the halves L0 || R0 (0-based), the slice of
/// the input block it comes from; FP puts the preoutput's bit i back at
/// the same slice.
pub(super) const BS_IP: [usize; 64] = bs_ip();

const fn bs_ip() -> [usize; 64] {
    let mut out = [0usize; 64];
    let mut i = 0;
    while i < 64 {
        out[i] = 64 - IP[i] as usize;
        i += 1;
    }
    out
}

/// For each of the 48 S-box input bits, the bit of R (0-based) E takes.
pub(super) const BS_E: [usize; 48] = bs_e();

const fn bs_e() -> [usize; 48] {
    let mut out = [0usize; 48];
    let mut i = 0;
    while i < 48 {
        out[i] = E[i] as usize - 1;
        i += 1;
    }
    out
}

/// For each of the 32 S-box output bits, the bit of f's output (0-based)
/// P sends it to.
pub(super) const BS_P: [usize; 32] = bs_p();

const fn bs_p() -> [usize; 32] {
    let mut out = [0usize; 32];
    let mut q = 0;
    while q < 32 {
        out[q] = p_inverse((q + 1) as u8) as usize - 1;
        q += 1;
    }
    out
}

/// For each round, the key slice of each of the 48 round-key bits.
pub(super) const BS_KEY: [[u8; 48]; 16] = bs_key();

const fn bs_key() -> [[u8; 48]; 16] {
    let mut out = [[0u8; 48]; 16];
    let mut r = 0;
    while r < 16 {
        let mut k = 0;
        while k < 48 {
            out[r][k] = 64 - round_key_source(r, k);
            k += 1;
        }
        r += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sbox_row_is_a_permutation() {
        for sbox in &SBOXES {
            for row in sbox {
                let mut seen = [false; 16];
                for v in row {
                    seen[usize::from(*v)] = true;
                }
                assert!(seen.iter().all(|s| *s));
            }
        }
    }

    #[test]
    fn permutations_are_permutations() {
        let mut seen = [false; 65];
        for b in IP {
            seen[usize::from(b)] = true;
        }
        assert!(seen[1..].iter().all(|s| *s));
        let mut seen = [false; 33];
        for b in P {
            seen[usize::from(b)] = true;
        }
        assert!(seen[1..].iter().all(|s| *s));
        // PC-1 drops exactly the parity bits 8, 16, ..., 64.
        let mut seen = [false; 65];
        for b in PC1 {
            seen[usize::from(b)] = true;
        }
        for (i, s) in seen.iter().enumerate().skip(1) {
            assert_eq!(*s, i & 7 != 0, "key bit {i}");
        }
        assert_eq!(SHIFTS.iter().map(|s| u32::from(*s)).sum::<u32>(), 28);
    }
}
