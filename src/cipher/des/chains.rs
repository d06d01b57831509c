//! Up to 64 independent CBC chains side by side in the bitsliced DES:
//! the machinery under the batch MAC checks (`crate::mac::batch`).
//!
//! Each lane has its own key (sliced once, for the whole chain) and its
//! own chaining value, which stays sliced from block to block: a step
//! slices the lanes' next data blocks (one 64×64 transpose), XORs them in
//! and enciphers every lane at once. Only the final chaining values are
//! unsliced. Which lanes take part in a step (messages of different
//! lengths) is public and handled by [`Chains::keep`]; nothing branches on
//! or indexes by a key or a data bit.

use zeroize::Zeroize;

use super::bitslice::{LANES, Mode, encrypt_sliced, slice, unslice};

/// The sliced keys and chaining values of up to [`LANES`] chains. Wiped
/// on drop.
pub(crate) struct Chains {
    keys: [[u64; 64]; 3],
    state: [u64; 64],
}

impl Chains {
    /// Chains under `keys[l]` (K1, K2, K3 read big-endian) in lane `l`,
    /// every chaining value zero. Lanes past `keys.len()` get zero keys;
    /// their results are not to be used.
    pub(crate) fn new(keys: &[[u64; 3]]) -> Self {
        let mut sliced = [[0u64; 64]; 3];
        let mut column = [0u64; LANES];
        for (j, slices) in sliced.iter_mut().enumerate() {
            for (c, k) in column.iter_mut().zip(keys) {
                *c = k.get(j).copied().unwrap_or(0);
            }
            slice(&column, slices);
        }
        column.zeroize();
        Chains {
            keys: sliced,
            state: [0; 64],
        }
    }

    /// XORs `blocks[l]` (read big-endian) into lane `l`'s chaining value;
    /// `blocks` is wiped.
    pub(crate) fn absorb(&mut self, blocks: &mut [u64; LANES]) {
        let mut s = [0u64; 64];
        slice(blocks.as_slice(), &mut s);
        self.absorb_sliced(&s);
        s.zeroize();
        blocks.zeroize();
    }

    /// XORs already sliced values into the chaining values.
    pub(crate) fn absorb_sliced(&mut self, s: &[u64; 64]) {
        for (x, v) in self.state.iter_mut().zip(s) {
            *x ^= v;
        }
    }

    /// Enciphers every chaining value: single DES under K1, or TDES
    /// E(K3, D(K2, E(K1, x))).
    pub(crate) fn encrypt(&mut self, tdes: bool) {
        let mode = if tdes {
            Mode::TdesEncrypt
        } else {
            Mode::DesEncrypt
        };
        encrypt_sliced(mode, &self.keys, &mut self.state);
    }

    /// Zeroes the chaining values of the lanes not in `lanes` (bit `l` for
    /// lane `l`; a public mask).
    pub(crate) fn keep(&mut self, lanes: u64) {
        for x in &mut self.state {
            *x &= lanes;
        }
    }

    /// The sliced chaining values.
    pub(crate) fn sliced(&self) -> &[u64; 64] {
        &self.state
    }

    /// Replaces the sliced chaining values.
    pub(crate) fn set_sliced(&mut self, s: &[u64; 64]) {
        self.state = *s;
    }

    /// The chaining values, lane `l` in `out[l]` (big-endian).
    pub(crate) fn values(&self, out: &mut [u64; LANES]) {
        unslice(&self.state, out.as_mut_slice());
    }
}

impl Drop for Chains {
    fn drop(&mut self) {
        self.keys.zeroize();
        self.state.zeroize();
    }
}
