//! Batch MAC checks: many messages, each under its own TDES key, verified
//! side by side, as a switch checks the MACs of many terminals.
//!
//! The messages go through the bitsliced DES of [`crate::tdes_encrypt_many`]
//! 64 at a time: lane `l` of a pass carries message `l`'s CBC chain (its
//! key sliced once, its chaining value kept sliced from block to block),
//! and every pass advances all 64 chains by one block. Messages of
//! different lengths are aligned on their last block (a shorter message
//! starts later; its lane stays at zero until then), so that every lane
//! ends with the same step. The MACs: ISO/IEC 9797-1 MAC algorithm 3, the
//! retail MAC of ANSI X9.19 ([`verify_retail_macs`]); algorithm 1 with TDES
//! ([`verify_cbc_macs`]); CMAC with TDES, NIST SP 800-38B
//! ([`verify_tdes_cmacs`], each lane's subkeys made in one pass).
//!
//! Every verdict is computed as the single-message verifiers compute it
//! (the expected MAC compared with the candidate by `subtle`, after a
//! public length check), without a branch or an index that depends on a
//! key, the data or a tag: one message's verdict does not show in the
//! time the others take. Lengths (of data and tags) and the padding are
//! public and steer the passes. No heap: fixed buffers of 64 lanes.

use core::fmt;

use zeroize::Zeroize;

use super::cmac::verify_truncated;
use super::iso9797::Padding;
use crate::Error;
use crate::cipher::{Chains, key_words};
use crate::key::{TdesKey, TdesKeyLength};

/// Messages per pass: one per lane of the bitsliced DES.
const LANES: usize = 64;

/// One message of a batch check: the key it was MACed under, the data and
/// the MAC received with it.
#[derive(Clone, Copy)]
pub struct MacCheck<'a> {
    /// The MAC key of this message.
    pub key: &'a TdesKey,
    /// The data the MAC covers.
    pub data: &'a [u8],
    /// The MAC to check: exactly as many bytes as the batch's MAC length,
    /// or it is not valid.
    pub tag: &'a [u8],
}

impl fmt::Debug for MacCheck<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MacCheck")
            .field("data_len", &self.data.len())
            .field("tag_len", &self.tag.len())
            .finish_non_exhaustive()
    }
}

/// The MAC a batch checks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// ISO/IEC 9797-1 algorithm 3 with DES (K || K'): single DES for every
    /// block but the last, TDES (K, K', K) for the last.
    Retail(Padding),
    /// ISO/IEC 9797-1 algorithm 1 with TDES: TDES for every block.
    Cbc(Padding),
    /// CMAC with TDES.
    Cmac,
}

/// Checks the retail MAC (ISO/IEC 9797-1 MAC algorithm 3, ANSI X9.19) of
/// every message: `verdicts[i]` is whether `items[i].tag` is the MAC of
/// `items[i].data` padded by `padding` under `items[i].key`, truncated to
/// `len` bytes, exactly as [`RetailMac::verify`](super::RetailMac::verify)
/// answers it.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::mac::{MacCheck, Padding, verify_retail_macs};
///
/// // ICAO Doc 9303 Part 11, Appendix D.3: the retail MAC of the terminal's
/// // authentication data (padding method 2).
/// let key = TdesKey::from_slice(&[
///     0x79, 0x62, 0xD9, 0xEC, 0xE0, 0x3D, 0x1A, 0xCD,
///     0x4C, 0x76, 0x08, 0x9D, 0xCE, 0x13, 0x15, 0x43,
/// ])?;
/// let data = [
///     0x72, 0xC2, 0x9C, 0x23, 0x71, 0xCC, 0x9B, 0xDB,
///     0x65, 0xB7, 0x79, 0xB8, 0xE8, 0xD3, 0x7B, 0x29,
///     0xEC, 0xC1, 0x54, 0xAA, 0x56, 0xA8, 0x79, 0x9F,
///     0xAE, 0x2F, 0x49, 0x8F, 0x76, 0xED, 0x92, 0xF2,
/// ];
/// let good = [0x5F, 0x14, 0x48, 0xEE, 0xA8, 0xAD, 0x90, 0xA7];
/// let bad = [0x5F, 0x14, 0x48, 0xEE, 0xA8, 0xAD, 0x90, 0xA6];
/// let items = [
///     MacCheck { key: &key, data: &data, tag: &good },
///     MacCheck { key: &key, data: &data, tag: &bad },
/// ];
/// let mut verdicts = [false; 2];
/// verify_retail_macs(&items, Padding::Method2, 8, &mut verdicts)?;
/// assert_eq!(verdicts, [true, false]);
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidLength`] when `verdicts` and `items` differ in length
/// or `len` is outside [`MIN_MAC_LEN`](super::MIN_MAC_LEN)`..=8`; [`Error::InvalidKey`] when a key is not a
/// 16-byte (K || K') key. A tag of another length than `len`, or data the
/// padding cannot encode, is a `false` verdict, not an error.
pub fn verify_retail_macs(
    items: &[MacCheck<'_>],
    padding: Padding,
    len: usize,
    verdicts: &mut [bool],
) -> Result<(), Error> {
    if items
        .iter()
        .any(|i| i.key.length() != TdesKeyLength::Double)
    {
        return Err(Error::InvalidKey);
    }
    verify_many(Kind::Retail(padding), items, len, verdicts)
}

/// Checks ISO/IEC 9797-1 MAC algorithm 1 with TDES (an 8-byte key is
/// single DES, as everywhere in the kernel) for every message, as
/// [`CbcMac::verify`](super::CbcMac::verify) answers it for a
/// [`CbcMac::tdes`](super::CbcMac::tdes) key. Keys of different lengths
/// may share a batch.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::mac::{MacCheck, Padding, verify_cbc_macs};
///
/// // FIPS 113: the DES CBC-MAC of "7654321 Now is the time for ",
/// // 4 bytes.
/// let key = TdesKey::from_slice(&[0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF])?;
/// let data = b"7654321 Now is the time for ";
/// let items = [MacCheck { key: &key, data, tag: &[0xF1, 0xD3, 0x0F, 0x68] }];
/// let mut verdicts = [false];
/// verify_cbc_macs(&items, Padding::Method1, 4, &mut verdicts)?;
/// assert_eq!(verdicts, [true]);
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidLength`] when `verdicts` and `items` differ in length
/// or `len` is outside [`MIN_MAC_LEN`](super::MIN_MAC_LEN)`..=8`.
pub fn verify_cbc_macs(
    items: &[MacCheck<'_>],
    padding: Padding,
    len: usize,
    verdicts: &mut [bool],
) -> Result<(), Error> {
    verify_many(Kind::Cbc(padding), items, len, verdicts)
}

/// Checks the TDES-CMAC (NIST SP 800-38B) of every message, as
/// [`TdesCmac::verify`](super::TdesCmac::verify) answers it. Keys of
/// different lengths may share a batch.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::mac::{MacCheck, verify_tdes_cmacs};
///
/// // NIST SP 800-38B Appendix D.5 (two-key TDEA): the empty message and
/// // a 64-bit one.
/// let key = TdesKey::from_slice(&[
///     0x4C, 0xF1, 0x51, 0x34, 0xA2, 0x85, 0x0D, 0xD5,
///     0x8A, 0x3D, 0x10, 0xBA, 0x80, 0x57, 0x0D, 0x38,
/// ])?;
/// let msg = [0x6B, 0xC1, 0xBE, 0xE2, 0x2E, 0x40, 0x9F, 0x96];
/// let items = [
///     MacCheck { key: &key, data: &[], tag: &[0xBD, 0x2E, 0xBF, 0x9A, 0x3B, 0xA0, 0x03, 0x61] },
///     MacCheck { key: &key, data: &msg, tag: &[0x4F, 0xF2, 0xAB, 0x81, 0x3C, 0x53, 0xCE, 0x83] },
///     MacCheck { key: &key, data: &msg, tag: &[0xBD, 0x2E, 0xBF, 0x9A, 0x3B, 0xA0, 0x03, 0x61] },
/// ];
/// let mut verdicts = [false; 3];
/// verify_tdes_cmacs(&items, 8, &mut verdicts)?;
/// assert_eq!(verdicts, [true, true, false]);
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidLength`] when `verdicts` and `items` differ in length
/// or `len` is outside [`MIN_MAC_LEN`](super::MIN_MAC_LEN)`..=8`.
pub fn verify_tdes_cmacs(
    items: &[MacCheck<'_>],
    len: usize,
    verdicts: &mut [bool],
) -> Result<(), Error> {
    verify_many(Kind::Cmac, items, len, verdicts)
}

fn verify_many(
    kind: Kind,
    items: &[MacCheck<'_>],
    len: usize,
    verdicts: &mut [bool],
) -> Result<(), Error> {
    if verdicts.len() != items.len() || !(super::MIN_MAC_LEN..=8).contains(&len) {
        return Err(Error::InvalidLength);
    }
    for (chunk, out) in items.chunks(LANES).zip(verdicts.chunks_mut(LANES)) {
        verify_chunk(kind, chunk, len, out);
    }
    Ok(())
}

/// How many blocks a message takes, or `None` when its padding cannot
/// encode it (which makes its verdict `false`).
fn block_count(kind: Kind, data_len: usize) -> Option<usize> {
    match kind {
        Kind::Retail(p) | Kind::Cbc(p) => p.padded_len(data_len, 8).ok().map(|n| n >> 3),
        Kind::Cmac => Some((data_len.saturating_add(7) >> 3).max(1)),
    }
}

/// Block `i` (big-endian) of a message as `kind` pads it.
fn block(kind: Kind, data: &[u8], i: usize) -> u64 {
    match kind {
        // Method 3: the bit length of the data first, then the data padded
        // as by method 1.
        Kind::Retail(Padding::Method3) | Kind::Cbc(Padding::Method3) => match i.checked_sub(1) {
            None => u64::try_from(data.len())
                .ok()
                .and_then(|n| n.checked_mul(8))
                .unwrap_or(0),
            Some(j) => data_block(data, j, false),
        },
        Kind::Retail(Padding::Method2) | Kind::Cbc(Padding::Method2) | Kind::Cmac => {
            data_block(data, i, true)
        }
        Kind::Retail(Padding::Method1) | Kind::Cbc(Padding::Method1) => data_block(data, i, false),
    }
}

/// The data's block `i`, zero bits after its end, and with `marker` the
/// byte `80` right after the last data byte (padding method 2; CMAC's
/// padding of an incomplete last block).
fn data_block(data: &[u8], i: usize, marker: bool) -> u64 {
    let start = i.saturating_mul(8);
    if let Some(chunk) = data.get(start..).and_then(|d| d.first_chunk::<8>()) {
        return u64::from_be_bytes(*chunk);
    }
    let mut b = [0u8; 8];
    if let Some(tail) = data.get(start..) {
        if let Some(dst) = b.get_mut(..tail.len()) {
            dst.copy_from_slice(tail);
        }
        if marker && let Some(m) = b.get_mut(tail.len()) {
            *m = 0x80;
        }
    }
    let w = u64::from_be_bytes(b);
    b.zeroize();
    w
}

/// The CMAC doubling (SP 800-38B 6.1, 64-bit blocks) of every lane of a
/// sliced value: slice `q` is bit `q` of each lane's block, so the shift is
/// a move of slices and the reduction XORs the top slice into slices 0, 1,
/// 3 and 4 (the constant `1B`).
fn dbl_sliced(x: &[u64; 64]) -> [u64; 64] {
    let mut out = [0u64; 64];
    if let (Some(dst), Some(src)) = (out.get_mut(1..), x.get(..63)) {
        dst.copy_from_slice(src);
    }
    let top = x.last().copied().unwrap_or(0);
    for q in [0usize, 1, 3, 4] {
        if let Some(s) = out.get_mut(q) {
            *s ^= top;
        }
    }
    out
}

/// One pass of up to [`LANES`] messages.
fn verify_chunk(kind: Kind, items: &[MacCheck<'_>], len: usize, verdicts: &mut [bool]) {
    let mut keys = [[0u64; 3]; LANES];
    let mut blocks = [0usize; LANES];
    let mut valid = [false; LANES];
    let mut complete = 0u64;
    for (l, item) in items.iter().enumerate().take(LANES) {
        if let Some(k) = keys.get_mut(l) {
            *k = key_words(item.key);
        }
        if let (Some(b), Some(v), Some(n)) = (
            blocks.get_mut(l),
            valid.get_mut(l),
            block_count(kind, item.data.len()),
        ) {
            *b = n;
            *v = true;
        }
        // CMAC: the last block is complete (subkey K1), or padded (K2).
        if !item.data.is_empty() && item.data.len() & 7 == 0 {
            complete |= 1u64 << l;
        }
    }
    let mut chains = Chains::new(&keys);
    keys.zeroize();
    let steps = blocks.iter().copied().max().unwrap_or(0);

    // CMAC's subkeys, lane by lane: L = E(K, 0) from the zero chaining
    // values, then the last block's subkey, K1 or K2 by lane.
    let mut last_key = [0u64; 64];
    if kind == Kind::Cmac {
        chains.encrypt(true);
        let mut k1 = dbl_sliced(chains.sliced());
        let mut k2 = dbl_sliced(&k1);
        for ((d, a), b) in last_key.iter_mut().zip(&k1).zip(&k2) {
            *d = (a & complete) | (b & !complete);
        }
        chains.set_sliced(&[0; 64]);
        k1.zeroize();
        k2.zeroize();
    }

    let mut words = [0u64; LANES];
    for t in 0..steps {
        // Lane l runs its block t - (steps - blocks[l]) once it has started.
        let mut started = 0u64;
        for (l, ((w, n), item)) in words.iter_mut().zip(&blocks).zip(items).enumerate() {
            if let Some(i) = (t.saturating_add(*n)).checked_sub(steps) {
                *w = block(kind, item.data, i);
                started |= 1u64 << l;
            }
        }
        chains.absorb(&mut words);
        let last = t.saturating_add(1) == steps;
        if last && kind == Kind::Cmac {
            chains.absorb_sliced(&last_key);
        }
        let tdes = match kind {
            Kind::Retail(_) => last,
            Kind::Cbc(_) | Kind::Cmac => true,
        };
        chains.encrypt(tdes);
        chains.keep(started);
    }
    last_key.zeroize();

    let mut macs = [0u64; LANES];
    chains.values(&mut macs);
    for (((v, ok), mac), item) in verdicts.iter_mut().zip(&valid).zip(&macs).zip(items) {
        let mut full = mac.to_be_bytes();
        *v = *ok & bool::from(verify_truncated(&full, item.tag, len));
        full.zeroize();
    }
    macs.zeroize();
}

#[cfg(test)]
mod tests;
