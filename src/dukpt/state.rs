//! What the two terminals' saved states share: the check value that refuses
//! a corrupt state, the test for erased storage, and [`SavedState`], the
//! bytes a terminal saves.
//!
//! See [`SavedState`] for the check value and why it is a CRC.

use core::fmt;
use core::ops::Deref;

use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroize;

use crate::Error;
use crate::ct::verdict;

/// Bit 0 of a saved state's flags byte: the terminal is exhausted.
pub(crate) const FLAG_EXHAUSTED: u8 = 0x01;

/// The length of the check value at the end of a state.
pub(crate) const CHECK_LEN: usize = 4;

/// The CRC-32C polynomial, bit-reflected.
const POLY: u32 = 0x82F6_3B78;

/// `COLUMNS[i]`: what bit `i` of a 32-bit word (little-endian, already
/// XORed with the running CRC) leaves in the CRC once the word is consumed.
/// The CRC is linear: a word's effect is the XOR of its bits' columns.
const COLUMNS: [u32; 32] = columns();

/// The columns, by running the bitwise CRC on each single-bit word.
#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "const evaluation only: a bad index or overflow fails the build"
)]
const fn columns() -> [u32; 32] {
    let mut out = [0u32; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = shift_word(1 << i);
        i += 1;
    }
    out
}

/// Thirty-two steps of the bitwise CRC: `c` shifted out bit by bit, the
/// polynomial folded in under each bit that leaves.
const fn shift_word(mut c: u32) -> u32 {
    let mut n = 0u32;
    while n < 32 {
        c = (c >> 1) ^ (POLY & (c & 1).wrapping_neg());
        n = n.wrapping_add(1);
    }
    c
}

/// CRC-32C of `bytes`, without a branch or a memory index that depends on
/// them.
///
/// Each bit of a word becomes a mask, `0 - (bit & one)`, that selects its
/// column. `one` is 1 passed through [`core::hint::black_box`]: a compiler
/// that knew the mask to be 0 or all ones could turn `column & mask` back
/// into a branch on the bit (LLVM does at opt-level "z": `bt` then a jump,
/// which ct-check caught), and it cannot know that of `bit & one`.
pub(crate) fn crc32c(bytes: &[u8]) -> u32 {
    let one = core::hint::black_box(1u32);
    let mut crc = !0u32;
    let (words, tail) = bytes.as_chunks::<4>();
    for word in words {
        let w = u32::from_le_bytes(*word) ^ crc;
        crc = 0;
        for (i, column) in (0u32..).zip(COLUMNS.iter()) {
            crc ^= column & ((w >> i) & one).wrapping_neg();
        }
    }
    for b in tail {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (POLY & (crc & one).wrapping_neg());
        }
    }
    !crc
}

/// Whether `bytes` is erased storage: every byte `00`, or every byte `FF`
/// (an empty slice counts). Every byte is read: no early exit.
fn erased(bytes: &[u8]) -> Choice {
    let (any, all) = bytes
        .iter()
        .fold((0u8, 0xFFu8), |(any, all), b| (any | b, all & b));
    any.ct_eq(&0) | all.ct_eq(&0xFF)
}

/// Refuses erased storage: [`Error::NoState`] if every byte of `state` is
/// `00` or every byte is `FF` (or there is none). The first check of every
/// saved state; the state's bytes are secret, so the answer is a verdict
/// (the kernel's one declassification point).
pub(crate) fn refuse_erased(state: &[u8]) -> Result<(), Error> {
    verdict((), !erased(state), Error::NoState)
}

/// Checks the check value at the end of `state` (whose length the caller
/// has checked): [`Error::BadMac`] if it does not match, else the state
/// without it. A verdict on secret bytes, as [`refuse_erased`].
pub(crate) fn check_value(state: &[u8]) -> Result<&[u8], Error> {
    let (body, check) = state
        .split_last_chunk::<CHECK_LEN>()
        .ok_or(Error::InvalidLength)?;
    let ok = crc32c(body).to_le_bytes().ct_eq(check);
    verdict(body, ok, Error::BadMac)
}

/// Writes the check value of `state`'s body into its last four bytes.
pub(crate) fn seal(state: &mut [u8]) {
    if let Some((body, check)) = state.split_last_chunk_mut::<CHECK_LEN>() {
        *check = crc32c(body).to_le_bytes();
    }
}

/// A terminal's saved state, as [`TdesTerminal::to_bytes`] and
/// [`AesTerminal::to_bytes`] make it: the exact bytes to keep (read them
/// through `Deref<Target = [u8]>` or [`SavedState::as_bytes`]) in room for
/// `N`, the largest state of the kind.
///
/// It holds the terminal's keys: it is wiped when dropped, and its `Debug`
/// shows only its length.
///
/// # The check value: CRC-32C
///
/// A saved state ends with the CRC-32C of every byte before it (the
/// Castagnoli polynomial of iSCSI, RFC 3720: reflected polynomial
/// `82F63B78`, initial value and final XOR `FFFFFFFF`), little-endian, as
/// iSCSI, ext4 and SSE4.2/Armv8 `crc32c` instructions store it. A state
/// whose CRC does not match is refused with
/// [`Error::BadMac`](crate::Error::BadMac).
///
/// The check is there to catch storage going wrong (a bit flipped in
/// flash, a write cut short by a power loss), not an attacker: whoever can
/// write the state can write keys of their own into it, and a MAC keyed
/// from the state itself would not stop that either. For that job a CRC
/// is the better tool:
///
/// - Its guarantees are certain, not probabilistic: every error of one or
///   two bits anywhere in a state of any of these lengths (at most 8,344
///   bits) is caught — the tests check every position's syndrome — and
///   every burst of up to 32 bits (any CRC-32). A 32-bit MAC would miss one
///   random change in 2^32 with no bit pattern guaranteed.
/// - It needs no key, no key schedule on the stack, and no derivation to
///   go wrong; it is what a firmware engineer puts on a flash record, and
///   a state can be checked with a hardware CRC unit.
/// - It runs in constant time here: no table is indexed by the data (a
///   table-driven CRC over key bytes would leak them through the cache);
///   each 32-bit word of the state is folded in as the XOR of 32 constant
///   columns, each masked by one bit of the word.
///
/// # Erased storage
///
/// A state made only of `00` bytes or only of `FF` bytes (erased flash),
/// or an empty one, is refused with [`Error::NoState`](crate::Error::NoState)
/// before anything else, so that firmware can tell "never saved" from
/// "corrupt". A real state never looks like that: its first byte names its
/// format (`D2` for TDES, `A2` for AES).
///
/// [`TdesTerminal::to_bytes`]: super::tdes::TdesTerminal::to_bytes
/// [`AesTerminal::to_bytes`]: super::aes::AesTerminal::to_bytes
pub struct SavedState<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> SavedState<N> {
    /// An empty state of room `N`, to be filled by a terminal.
    pub(crate) fn new() -> Self {
        SavedState {
            bytes: [0u8; N],
            len: 0,
        }
    }

    /// The room, for a terminal to write into.
    pub(crate) fn room(&mut self) -> &mut [u8; N] {
        &mut self.bytes
    }

    /// Sets how many bytes of the room are the state.
    pub(crate) fn set_len(&mut self, len: usize) {
        self.len = len.min(N);
    }

    /// The state's bytes. Handle with care: they are the terminal's keys.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::TdesTerminal;
    ///
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// let saved = t.to_bytes();
    /// assert_eq!(saved.as_bytes().len(), 352);
    /// assert_eq!(saved.as_bytes()[0], 0xD2); // TDES, format 2
    /// assert_eq!(format!("{saved:?}"), "SavedState { len: 352, .. }");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl<const N: usize> Deref for SavedState<N> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl<const N: usize> AsRef<[u8]> for SavedState<N> {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl<const N: usize> Drop for SavedState<N> {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl<const N: usize> fmt::Debug for SavedState<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SavedState")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::integer_division_remainder_used,
    reason = "test arithmetic on small public values"
)]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::*;

    #[test]
    fn crc32c_known_answers() {
        // The CRC-32C check value (the "CRC-32/ISCSI" entry of the
        // Catalogue of parametrised CRC algorithms): "123456789".
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        // RFC 3720 (iSCSI) B.4: 32 bytes of 00, of FF, ascending and
        // descending.
        assert_eq!(crc32c(&[0u8; 32]), 0x8A91_36AA);
        assert_eq!(crc32c(&[0xFFu8; 32]), 0x62A8_AB43);
        let up: Vec<u8> = (0u8..32).collect();
        assert_eq!(crc32c(&up), 0x46DD_794E);
        let down: Vec<u8> = (0u8..32).rev().collect();
        assert_eq!(crc32c(&down), 0x113F_DB5C);
        assert_eq!(crc32c(&[]), 0);
    }

    #[test]
    fn crc32c_matches_the_bitwise_definition_at_every_length() {
        // The word-at-a-time columns against the plain bit-by-bit CRC, for
        // lengths 0 to 40 (every tail length).
        fn bitwise(bytes: &[u8]) -> u32 {
            let mut c = !0u32;
            for b in bytes {
                c ^= u32::from(*b);
                for _ in 0..8 {
                    c = if c & 1 == 1 { (c >> 1) ^ POLY } else { c >> 1 };
                }
            }
            !c
        }
        let data: Vec<u8> = (0u32..40)
            .map(|i| u8::try_from(i.wrapping_mul(151).wrapping_add(7) & 0xFF).unwrap())
            .collect();
        for n in 0..=data.len() {
            assert_eq!(crc32c(&data[..n]), bitwise(&data[..n]), "{n}");
        }
    }

    /// The syndromes of a `len`-byte state: for each bit, what flipping it
    /// does to the comparison of computed and stored check values (zero
    /// would let the flip through). The CRC is affine in the bytes, so a
    /// flip's effect does not depend on the state: for a bit of the body it
    /// is the linear CRC of that one bit followed by the rest of the body
    /// as zeros (eight bitwise steps per byte, the definition the test
    /// above holds `crc32c` to); for a bit of the check value, that bit.
    fn syndromes(len: usize) -> Vec<u32> {
        let step8 = |mut c: u32| {
            for _ in 0..8 {
                c = if c & 1 == 1 { (c >> 1) ^ POLY } else { c >> 1 };
            }
            c
        };
        let body = len - CHECK_LEN;
        let mut out = std::vec![0u32; len * 8];
        // From the last body byte back: `tail[k]` is the syndrome of bit k
        // of the current byte.
        let mut tail: Vec<u32> = (0..8).map(|k| step8(1 << k)).collect();
        for i in (0..body).rev() {
            for k in 0..8 {
                out[i * 8 + k] = tail[k];
                tail[k] = step8(tail[k]);
            }
        }
        for (k, slot) in out[body * 8..].iter_mut().enumerate() {
            *slot = 1 << k;
        }
        out
    }

    #[test]
    fn syndromes_match_real_flips() {
        // The shortcut above against flipping bits of a real state.
        let mut state: Vec<u8> = (0u8..=255).cycle().take(352).collect();
        seal(&mut state);
        let s = syndromes(352);
        for bit in [0usize, 7, 8, 1000, 2783, 2784, 2790, 2815] {
            let mut f = state.clone();
            f[bit / 8] ^= 1 << (bit % 8);
            let (body, check) = f.split_at(348);
            let got = crc32c(body) ^ u32::from_le_bytes(check.try_into().unwrap());
            assert_eq!(got, s[bit], "{bit}");
        }
    }

    #[test]
    fn every_one_and_two_bit_error_is_caught_at_every_state_length() {
        // An error pattern passes unseen exactly when the XOR of its bits'
        // syndromes is zero. All syndromes non-zero: every 1-bit error is
        // caught; all distinct: every 2-bit error is. The lengths are the
        // TDES state and the AES-128, -192 and -256 states.
        for len in [352usize, 531, 787, 1043] {
            let mut s = syndromes(len);
            assert!(s.iter().all(|x| *x != 0), "{len}");
            s.sort_unstable();
            let before = s.len();
            s.dedup();
            assert_eq!(s.len(), before, "{len}: two bits share a syndrome");
        }
    }

    #[test]
    fn erased_storage() {
        assert!(bool::from(erased(&[])));
        assert!(bool::from(erased(&[0; 40])));
        assert!(bool::from(erased(&[0xFF; 40])));
        assert!(!bool::from(erased(&[0xFF, 0])));
        // Equal bytes that are neither 00 nor FF (their XOR is zero).
        assert!(!bool::from(erased(&[1, 1])));
        assert!(!bool::from(erased(&[0x5A, 0x5A, 0, 0])));
        assert_eq!(refuse_erased(&[0xA2, 0xA2]), Ok(()));
        let mut v = [0u8; 40];
        v[39] = 1;
        assert!(!bool::from(erased(&v)));
        assert_eq!(refuse_erased(&[0xFF; 3]), Err(Error::NoState));
        assert_eq!(refuse_erased(&[]), Err(Error::NoState));
        assert_eq!(refuse_erased(&[0xA2]), Ok(()));
    }

    #[test]
    fn check_value_refusals() {
        let mut state = [0x5Au8; 12];
        seal(&mut state);
        assert_eq!(check_value(&state), Ok(&state[..8]));
        assert_eq!(check_value(&state[..3]), Err(Error::InvalidLength));
        for byte in 0..12 {
            for bit in 0..8 {
                let mut f = state;
                f[byte] ^= 1 << bit;
                assert_eq!(check_value(&f), Err(Error::BadMac), "{byte} {bit}");
            }
        }
    }

    #[test]
    fn saved_state_shows_its_length_only() {
        let mut s = SavedState::<8>::new();
        s.room().copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        s.set_len(3);
        assert_eq!(&s[..], &[1, 2, 3]);
        assert_eq!(s.as_bytes(), &[1, 2, 3]);
        assert_eq!(AsRef::<[u8]>::as_ref(&s), &[1, 2, 3]);
        assert_eq!(std::format!("{s:?}"), "SavedState { len: 3, .. }");
    }
}
