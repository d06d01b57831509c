//! Multiples of the base point `G`, computed by the compiler (`const fn`
//! evaluation of the kernel's own point arithmetic) and stored in the
//! binary's read-only data: nothing is built at run time, nothing lives in
//! RAM, no lock, no first-use cost.
//!
//! - [`COMB`] (feature `p256-tables`, 16.5 KiB): `m·2^(8j)·G` for `m` in
//!   1..=8 and `j` in 0..=32, the table of the signed 4-bit comb that makes
//!   `k·G` 65 additions and 4 doublings.
//! - [`G_SMALL`] (without the feature, 512 bytes): `G, 2G, …, 8G`, the
//!   table of the plain signed 4-bit window.
//! - [`G_ODD`]: the odd multiples `G, 3G, 5G, …` for the wNAF of `u1·G` in
//!   verification (32 of them, 2 KiB, with the feature; 8, 512 bytes,
//!   without).
//!
//! Each table is made in projective coordinates and normalised with one
//! inversion for the whole table (Montgomery's batch inversion). The tests
//! check entries against independent values.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::integer_division_remainder_used,
    reason = "const evaluation only: a bad index or an overflow here fails the build, it cannot happen at run time"
)]

use super::field::Fe;
use super::point::{Affine, G, Projective};

/// Rows of the comb table: one per byte position `8j`, `j` in 0..=32 (the
/// top digit of the recoding sits at bit 256).
#[cfg(feature = "p256-tables")]
pub(crate) const COMB_ROWS: usize = 33;

/// `COMB[j][m] = (m + 1)·2^(8j)·G`.
#[cfg(feature = "p256-tables")]
#[allow(
    long_running_const_eval,
    reason = "264 points and their batch inversion take rustc's const evaluator past its \
              lint threshold with the 32-bit arithmetic (Cortex-M): a build-time cost only"
)]
pub(crate) static COMB: [[Affine; 8]; COMB_ROWS] = comb();

/// `G_SMALL[m] = (m + 1)·G`.
#[cfg(not(feature = "p256-tables"))]
pub(crate) static G_SMALL: [Affine; 8] = small();

/// Number of odd multiples of `G` for verification.
#[cfg(feature = "p256-tables")]
pub(crate) const G_ODD_LEN: usize = 32;
/// Number of odd multiples of `G` for verification.
#[cfg(not(feature = "p256-tables"))]
pub(crate) const G_ODD_LEN: usize = 8;

/// `G_ODD[i] = (2i + 1)·G`.
pub(crate) static G_ODD: [Affine; G_ODD_LEN] = odd_multiples();

/// The affine points of `pts` (none of them the identity), with one field
/// inversion for all of them.
const fn normalize<const K: usize>(pts: &[Projective; K]) -> [Affine; K] {
    // prefix[i] = Z0·Z1·…·Zi
    let mut prefix = [Fe::ONE; K];
    let mut acc = Fe::ONE;
    let mut i = 0;
    while i < K {
        let (_, _, z) = pts[i].coordinates();
        acc = acc.mul(&z);
        prefix[i] = acc;
        i += 1;
    }
    // inv = (Z0·…·Zi)^-1, walking down.
    let mut inv = acc.invert();
    let mut out = [G; K];
    let mut i = K;
    while i > 0 {
        i -= 1;
        let (x, y, z) = pts[i].coordinates();
        let zinv = if i == 0 { inv } else { inv.mul(&prefix[i - 1]) };
        inv = inv.mul(&z);
        out[i] = Affine {
            x: x.mul(&zinv),
            y: y.mul(&zinv),
        };
    }
    out
}

#[cfg(feature = "p256-tables")]
const fn comb() -> [[Affine; 8]; COMB_ROWS] {
    let mut flat = [Projective::IDENTITY; COMB_ROWS * 8];
    let mut base = Projective::from_affine(&G);
    let mut j = 0;
    while j < COMB_ROWS {
        let mut acc = base;
        let mut m = 0;
        while m < 8 {
            flat[j * 8 + m] = acc;
            acc = acc.add(&base);
            m += 1;
        }
        let mut d = 0;
        while d < 8 {
            base = base.double();
            d += 1;
        }
        j += 1;
    }
    let flat = normalize(&flat);
    let mut out = [[G; 8]; COMB_ROWS];
    let mut i = 0;
    while i < COMB_ROWS * 8 {
        out[i / 8][i % 8] = flat[i];
        i += 1;
    }
    out
}

#[cfg(not(feature = "p256-tables"))]
const fn small() -> [Affine; 8] {
    let g = Projective::from_affine(&G);
    let mut pts = [g; 8];
    let mut m = 1;
    while m < 8 {
        pts[m] = pts[m - 1].add_affine(&G);
        m += 1;
    }
    normalize(&pts)
}

const fn odd_multiples() -> [Affine; G_ODD_LEN] {
    let g = Projective::from_affine(&G);
    let g2 = g.double();
    let mut pts = [g; G_ODD_LEN];
    let mut i = 1;
    while i < G_ODD_LEN {
        pts[i] = pts[i - 1].add(&g2);
        i += 1;
    }
    normalize(&pts)
}
