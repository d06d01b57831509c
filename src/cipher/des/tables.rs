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
// A 32-bit half is kept rotated left by one bit: FIPS bit i (1..=32) of a
// half sits at bit (33 - i) mod 32 of the low word. Doubled into a u64
// (`h | h << 32`), the six input bits of S-box s (1..=8) are the adjacent
// bits 32 - 4s ..= 37 - 4s, first bit highest.

/// For S-box `s` and output bit `j`: the output bit's truth table rotated
/// left by its place `p` in f's output (after P, in a rotated half). Bit
/// `p` of `SP_TABLE[s][j].rotate_right(x)` is the output for input `x`.
pub(super) static SP_TABLE: [[u64; 4]; 8] = split_sp(0);

/// The mask `1 << p` of each [`SP_TABLE`] entry's place.
pub(super) const SP_MASK: [[u64; 4]; 8] = split_sp(1);

const fn split_sp(which: usize) -> [[u64; 4]; 8] {
    let sp = sp_constants();
    let mut out = [[0u64; 4]; 8];
    let mut s = 0;
    while s < 8 {
        let mut j = 0;
        while j < 4 {
            out[s][j] = if which == 0 { sp[s][j].0 } else { sp[s][j].1 };
            j += 1;
        }
        s += 1;
    }
    out
}

const fn sp_constants() -> [[(u64, u64); 4]; 8] {
    let mut out = [[(0u64, 0u64); 4]; 8];
    let mut s = 0;
    while s < 8 {
        let mut j = 0;
        while j < 4 {
            // S-box output bit q (1..=32) is f's bit i through P.
            let q = (4 * s + j + 1) as u8;
            let i = p_inverse(q) as u32;
            let p = (33 - i) & 31;
            out[s][j] = (sbox_truth_table(s, j).rotate_left(p), 1u64 << p);
            j += 1;
        }
        s += 1;
    }
    out
}

// The one-block key schedule works on the transposed round keys. Rows
// `r` = 0..16 hold C and D rotated for round r + 1 (C bit i at bit 28 - i,
// D bit i at bit 60 - i); transposed within 16-bit lanes, row `i` lane `b`
// holds *column* 16b + i: that C/D bit in all sixteen rounds. PC-2 does
// not depend on the round, so it becomes a fixed shuffle of whole columns
// (`KEY_LANE_MOVES`), and transposing back gives every round key at once,
// packed: the odd S-boxes' word (bits 4..=33) in bits 0..=29, the even
// ones' (bits 0..=29) in bits 32..=61.

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
/// S-box `s` (1..=8).
const fn packed_bit(s: usize, o: usize) -> usize {
    let window = 37 - 4 * s - o;
    if s & 1 == 1 { window - 4 } else { window + 32 }
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

/// How many (source row, destination row, lane shift) moves there are.
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
