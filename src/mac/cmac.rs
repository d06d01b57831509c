//! CMAC (NIST SP 800-38B) over the kernel's AES and TDES.
//!
//! A keyed CMAC object ([`AesCmac`], [`TdesCmac`]) holds the key schedule
//! and the two subkeys K1, K2 (SP 800-38B 6.1: L = E(K, 0), K1 = dbl(L),
//! K2 = dbl(K1)), derived once in `new` and reused for every message, so a
//! message costs exactly its blocks. The chain itself (6.2) runs the
//! blocks through CBC from a zero block; the last one is XORed with K1 when
//! it is complete, or padded with a one bit and zero bits and XORed with K2
//! (an empty message is one padded block). With AES, a whole message goes
//! through one call into the `aes` crate's backend (its hardware detection
//! and key preparation once per message, not per block).

use core::fmt;

use aes::cipher::{BlockCipherEncrypt, BlockSizeUser};
use cipher::consts::U16;
use cipher::{BlockCipherEncBackend, BlockCipherEncClosure};
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, Zeroizing};

use crate::Error;
use crate::cipher::{AesEncInner, AesEncryptor, TdesCipher};
use crate::key::{AesKey, TdesKey};

/// A MAC tag of 1 to 16 bytes (a full or truncated CMAC, a retail MAC...).
/// Tags are public once computed.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::mac::TdesCmac;
/// // NIST SP 800-38B Appendix D.5 (two-key TDEA), the 64-bit message,
/// // truncated to 4 bytes.
/// let key = TdesKey::from_slice(&hex::decode("4CF15134A2850DD58A3D10BA80570D38").unwrap())?;
/// let tag = TdesCmac::new(&key).mac(&hex::decode("6BC1BEE22E409F96").unwrap(), 4)?;
/// assert_eq!(tag.as_bytes(), [0x4F, 0xF2, 0xAB, 0x81]);
/// assert_eq!(format!("{tag:?}"), "Tag(4FF2AB81)");
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag {
    bytes: [u8; 16],
    len: usize,
}

impl Tag {
    /// The leftmost `len` bytes of `full`; `len` must be in `1..=N`.
    pub(crate) fn truncate<const N: usize>(full: &[u8; N], len: usize) -> Result<Tag, Error> {
        if len == 0 || len > N {
            return Err(Error::InvalidLength);
        }
        let mut bytes = [0u8; 16];
        let src = full.get(..len).ok_or(Error::InvalidLength)?;
        bytes
            .get_mut(..len)
            .ok_or(Error::InvalidLength)?
            .copy_from_slice(src);
        Ok(Tag { bytes, len })
    }

    /// The tag's bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Tag(")?;
        for b in self.as_bytes() {
            write!(f, "{b:02X}")?;
        }
        f.write_str(")")
    }
}

/// Constant-time check that `candidate` equals the leftmost `len` bytes of
/// `full`. The lengths are public: a candidate that is not exactly `len`
/// bytes, or a `len` outside `1..=N`, is simply not valid.
pub(crate) fn verify_truncated<const N: usize>(
    full: &[u8; N],
    candidate: &[u8],
    len: usize,
) -> Choice {
    if len == 0 || len > N || candidate.len() != len {
        return Choice::from(0);
    }
    match full.get(..len) {
        Some(expected) => expected.ct_eq(candidate),
        None => Choice::from(0),
    }
}

/// The public check of a verifier's requested MAC length: from
/// [`MIN_MAC_LEN`](super::MIN_MAC_LEN) to the full `max`.
pub(crate) fn check_verify_len(len: usize, max: usize) -> Result<(), Error> {
    if (super::MIN_MAC_LEN..=max).contains(&len) {
        Ok(())
    } else {
        Err(Error::InvalidLength)
    }
}

/// The leftmost `len` bytes of `full`, which is then wiped: the bytes a
/// truncation drops are not left behind.
fn truncate_wiping<const N: usize>(mut full: [u8; N], len: usize) -> Result<Tag, Error> {
    let tag = Tag::truncate(&full, len);
    full.zeroize();
    tag
}

/// [`verify_truncated`], then wipes the expected tag (until the check is
/// over, it is the one value a forger wants).
fn verify_wiping<const N: usize>(mut full: [u8; N], candidate: &[u8], len: usize) -> Choice {
    let ok = verify_truncated(&full, candidate, len);
    full.zeroize();
    ok
}

/// The doubling of SP 800-38B 6.1 on a 128-bit block: a left shift, and
/// the reduction constant 0x87 XORed in when the bit shifted out was one
/// (selected by a mask, not a branch).
fn dbl128(x: &[u8; 16]) -> [u8; 16] {
    let v = u128::from_be_bytes(*x);
    let carry = (v >> 127).wrapping_neg();
    ((v << 1) ^ (carry & 0x87)).to_be_bytes()
}

/// The doubling on a 64-bit block (reduction constant 0x1B).
fn dbl64(x: &[u8; 8]) -> [u8; 8] {
    let v = u64::from_be_bytes(*x);
    let carry = (v >> 63).wrapping_neg();
    ((v << 1) ^ (carry & 0x1B)).to_be_bytes()
}

/// The subkeys K1, K2 of SP 800-38B 6.1 from `L = E(K, 0)`, which is
/// wiped.
pub(crate) fn subkeys<const N: usize>(
    mut l: [u8; N],
    dbl: impl Fn(&[u8; N]) -> [u8; N],
) -> Subkeys<N> {
    let k1 = dbl(&l);
    let k2 = dbl(&k1);
    l.zeroize();
    Subkeys {
        k1: Zeroizing::new(k1),
        k2: Zeroizing::new(k2),
    }
}

/// The two CMAC subkeys of one key; wiped on drop.
pub(crate) struct Subkeys<const N: usize> {
    pub(crate) k1: Zeroizing<[u8; N]>,
    pub(crate) k2: Zeroizing<[u8; N]>,
}

/// XORs `src` into `dst` byte by byte.
#[inline(always)]
fn xor_into(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d ^= s;
    }
}

/// The CMAC chain (SP 800-38B 6.2) over the concatenation of `parts`,
/// with `encrypt` enciphering one block in place. Lengths are public and
/// steer the loop; the data and the state never do.
#[inline(always)]
fn chain<const N: usize>(
    parts: &[&[u8]],
    keys: &Subkeys<N>,
    mut encrypt: impl FnMut(&mut [u8; N]),
) -> [u8; N] {
    // `state` holds the previous cipher block XOR the bytes of the current
    // block seen so far; `pos` counts them. A full block is enciphered only
    // when more data follows, so that the last one gets its subkey.
    let mut state = [0u8; N];
    let mut pos = 0usize;
    for part in parts {
        let mut rest: &[u8] = part;
        while !rest.is_empty() {
            if pos == N {
                encrypt(&mut state);
                pos = 0;
            }
            if pos == 0
                && let Some((block, later)) = rest.split_first_chunk::<N>()
            {
                xor_into(&mut state, block);
                pos = N;
                rest = later;
                continue;
            }
            let take = N.saturating_sub(pos).min(rest.len());
            let (now, later) = rest.split_at(take);
            if let Some(dst) = state.get_mut(pos..) {
                xor_into(dst, now);
            }
            pos = pos.saturating_add(take);
            rest = later;
        }
    }
    if pos == N {
        xor_into(&mut state, &keys.k1[..]);
    } else {
        if let Some(b) = state.get_mut(pos) {
            *b ^= 0x80;
        }
        xor_into(&mut state, &keys.k2[..]);
    }
    encrypt(&mut state);
    state
}

/// The CMAC of `parts` with AES, run inside one call into the `aes`
/// crate's backend.
struct AesChain<'a> {
    parts: &'a [&'a [u8]],
    keys: &'a Subkeys<16>,
    out: &'a mut [u8; 16],
}

impl BlockSizeUser for AesChain<'_> {
    type BlockSize = U16;
}

impl BlockCipherEncClosure for AesChain<'_> {
    #[inline(always)]
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        *self.out = chain(self.parts, self.keys, |b| {
            backend.encrypt_block_inplace(b.into());
        });
    }
}

/// The AES-CMAC of `parts` under `cipher` with its subkeys.
fn aes_cmac(cipher: &AesEncryptor, keys: &Subkeys<16>, parts: &[&[u8]]) -> [u8; 16] {
    let mut out = [0u8; 16];
    let f = AesChain {
        parts,
        keys,
        out: &mut out,
    };
    match cipher.inner() {
        AesEncInner::Aes128(c) => c.encrypt_with_backend(f),
        AesEncInner::Aes192(c) => c.encrypt_with_backend(f),
        AesEncInner::Aes256(c) => c.encrypt_with_backend(f),
    }
    out
}

/// The subkeys of an AES key.
fn aes_subkeys(cipher: &AesEncryptor) -> Subkeys<16> {
    let mut l = [0u8; 16];
    cipher.encrypt_block(&mut l);
    subkeys(l, dbl128)
}

/// The subkeys of a TDES key.
fn tdes_subkeys(cipher: &TdesCipher) -> Subkeys<8> {
    let mut l = [0u8; 8];
    cipher.encrypt_block(&mut l);
    subkeys(l, dbl64)
}

/// AES-CMAC with the key schedule and subkeys made once and reused.
///
/// ```
/// use paykernel::AesKey;
/// use paykernel::mac::AesCmac;
///
/// // NIST SP 800-38B Appendix D.1, Example 2 (AES-128, 16 bytes).
/// let key = AesKey::from_slice(&[
///     0x2B, 0x7E, 0x15, 0x16, 0x28, 0xAE, 0xD2, 0xA6,
///     0xAB, 0xF7, 0x15, 0x88, 0x09, 0xCF, 0x4F, 0x3C,
/// ])?;
/// let mac = AesCmac::new(&key);
/// let msg = [
///     0x6B, 0xC1, 0xBE, 0xE2, 0x2E, 0x40, 0x9F, 0x96,
///     0xE9, 0x3D, 0x7E, 0x11, 0x73, 0x93, 0x17, 0x2A,
/// ];
/// let tag = [
///     0x07, 0x0A, 0x16, 0xB4, 0x6B, 0x4D, 0x41, 0x44,
///     0xF7, 0x9B, 0xDD, 0x9D, 0xD0, 0x4A, 0x28, 0x7C,
/// ];
/// assert_eq!(mac.compute(&msg), tag);
/// assert_eq!(mac.mac(&msg, 8)?.as_bytes(), &tag[..8]);
/// assert!(bool::from(mac.verify(&msg, &tag[..8], 8)?));
/// assert_eq!(mac.mac(&msg, 17).err(), Some(paykernel::Error::InvalidLength));
///
/// // Example 3 (40 bytes), given in two parts that are never joined.
/// let parts: [&[u8]; 2] = [
///     &msg,
///     &hex::decode("AE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411").unwrap(),
/// ];
/// assert_eq!(
///     mac.compute_parts(&parts).to_vec(),
///     hex::decode("DFA66747DE9AE63030CA32611497C827").unwrap()
/// );
/// // Example 1: the empty message.
/// assert_eq!(
///     mac.compute(&[]).to_vec(),
///     hex::decode("BB1D6929E95937287FA37D129B756746").unwrap()
/// );
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct AesCmac {
    cipher: AesEncryptor,
    keys: Subkeys<16>,
}

impl AesCmac {
    /// Computes the key schedule and the subkeys of `key` (AES-128, -192 or
    /// -256).
    #[must_use]
    // Not inlined: built straight into the caller's place (a key block's
    // KBPK holds one), its schedule's temporary in a frame of its own
    // (firmware stack).
    #[inline(never)]
    pub fn new(key: &AesKey) -> Self {
        let cipher = AesEncryptor::new(key);
        let keys = aes_subkeys(&cipher);
        AesCmac { cipher, keys }
    }

    /// The full 16-byte CMAC of `msg`.
    #[must_use]
    pub fn compute(&self, msg: &[u8]) -> [u8; 16] {
        self.compute_parts(&[msg])
    }

    /// The full CMAC of the concatenation of `parts`, without copying them
    /// into one buffer.
    #[must_use]
    pub fn compute_parts(&self, parts: &[&[u8]]) -> [u8; 16] {
        aes_cmac(&self.cipher, &self.keys, parts)
    }

    /// The CMAC of `msg` truncated to its leftmost `len` bytes.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for `len` outside `1..=16`.
    pub fn mac(&self, msg: &[u8], len: usize) -> Result<Tag, Error> {
        truncate_wiping(self.compute(msg), len)
    }

    /// Whether `tag` is the CMAC of `msg` truncated to `len` bytes, compared
    /// in constant time and answered without a branch on it. A tag that is
    /// not exactly `len` bytes is not valid.
    ///
    /// ```
    /// use paykernel::AesKey;
    /// use paykernel::mac::AesCmac;
    ///
    /// // NIST SP 800-38B Appendix D.1, Example 2 (16-byte message).
    /// let key = AesKey::from_slice(&hex::decode("2B7E151628AED2A6ABF7158809CF4F3C").unwrap())?;
    /// let msg = hex::decode("6BC1BEE22E409F96E93D7E117393172A").unwrap();
    /// let tag = hex::decode("070A16B46B4D4144F79BDD9DD04A287C").unwrap();
    /// let cmac = AesCmac::new(&key);
    /// assert!(bool::from(cmac.verify(&msg, &tag, 16)?));
    /// assert!(bool::from(cmac.verify(&msg, &tag[..8], 8)?));
    /// assert!(!bool::from(cmac.verify(&msg[1..], &tag, 16)?));
    /// // A 3-byte tag is guessed too easily: refused, not checked.
    /// assert_eq!(cmac.verify(&msg, &tag[..3], 3).err(), Some(paykernel::Error::InvalidLength));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for `len` outside
    /// [`MIN_MAC_LEN`](super::MIN_MAC_LEN)`..=16`.
    pub fn verify(&self, msg: &[u8], tag: &[u8], len: usize) -> Result<Choice, Error> {
        check_verify_len(len, 16)?;
        Ok(verify_wiping(self.compute(msg), tag, len))
    }
}

impl fmt::Debug for AesCmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AesCmac").finish_non_exhaustive()
    }
}

/// TDES-CMAC (two- or three-key; single DES with an 8-byte key) with the
/// key schedule and subkeys made once and reused.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::mac::TdesCmac;
///
/// // NIST SP 800-38B Appendix D.5 (two-key TDEA), Example 18 (8 bytes).
/// let key = TdesKey::from_slice(&[
///     0x4C, 0xF1, 0x51, 0x34, 0xA2, 0x85, 0x0D, 0xD5,
///     0x8A, 0x3D, 0x10, 0xBA, 0x80, 0x57, 0x0D, 0x38,
/// ])?;
/// let mac = TdesCmac::new(&key);
/// let msg = [0x6B, 0xC1, 0xBE, 0xE2, 0x2E, 0x40, 0x9F, 0x96];
/// assert_eq!(
///     mac.compute(&msg),
///     [0x4F, 0xF2, 0xAB, 0x81, 0x3C, 0x53, 0xCE, 0x83]
/// );
/// assert!(bool::from(mac.verify(&msg, &[0x4F, 0xF2, 0xAB, 0x81], 4)?));
/// assert_eq!(mac.mac(&msg, 6)?.as_bytes(), [0x4F, 0xF2, 0xAB, 0x81, 0x3C, 0x53]);
/// // The message in parts, never joined; and the empty message.
/// assert_eq!(mac.compute_parts(&[&msg[..3], &msg[3..]]), mac.compute(&msg));
/// assert_eq!(mac.compute(&[]), [0xBD, 0x2E, 0xBF, 0x9A, 0x3B, 0xA0, 0x03, 0x61]);
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct TdesCmac {
    cipher: TdesCipher,
    keys: Subkeys<8>,
}

impl TdesCmac {
    /// Computes the key schedule and the subkeys of `key`.
    #[must_use]
    // Not inlined: built straight into the caller's place (a key block's
    // KBPK holds one), its schedule's temporary in a frame of its own
    // (firmware stack).
    #[inline(never)]
    pub fn new(key: &TdesKey) -> Self {
        let cipher = TdesCipher::new(key);
        let keys = tdes_subkeys(&cipher);
        TdesCmac { cipher, keys }
    }

    /// The full 8-byte CMAC of `msg`.
    #[must_use]
    pub fn compute(&self, msg: &[u8]) -> [u8; 8] {
        self.compute_parts(&[msg])
    }

    /// The full CMAC of the concatenation of `parts`, without copying them
    /// into one buffer.
    #[must_use]
    pub fn compute_parts(&self, parts: &[&[u8]]) -> [u8; 8] {
        let c = &self.cipher;
        chain(parts, &self.keys, |b| c.encrypt_block(b))
    }

    /// The CMAC of `msg` truncated to its leftmost `len` bytes.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for `len` outside `1..=8`.
    pub fn mac(&self, msg: &[u8], len: usize) -> Result<Tag, Error> {
        truncate_wiping(self.compute(msg), len)
    }

    /// Whether `tag` is the CMAC of `msg` truncated to `len` bytes, compared
    /// in constant time and answered without a branch on it. A tag that is
    /// not exactly `len` bytes is not valid.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::mac::TdesCmac;
    ///
    /// // NIST SP 800-38B Appendix D.5 (two-key TDEA), Example 18.
    /// let key = TdesKey::from_slice(&hex::decode("4CF15134A2850DD58A3D10BA80570D38").unwrap())?;
    /// let msg = hex::decode("6BC1BEE22E409F96").unwrap();
    /// let cmac = TdesCmac::new(&key);
    /// assert!(bool::from(cmac.verify(&msg, &hex::decode("4FF2AB813C53CE83").unwrap(), 8)?));
    /// assert_eq!(cmac.verify(&msg, &[0x4F], 1).err(), Some(paykernel::Error::InvalidLength));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for `len` outside
    /// [`MIN_MAC_LEN`](super::MIN_MAC_LEN)`..=8`.
    pub fn verify(&self, msg: &[u8], tag: &[u8], len: usize) -> Result<Choice, Error> {
        check_verify_len(len, 8)?;
        Ok(verify_wiping(self.compute(msg), tag, len))
    }
}

impl fmt::Debug for TdesCmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TdesCmac").finish_non_exhaustive()
    }
}

/// CMAC of one block under an existing TDES schedule (key check values).
pub(crate) fn cmac_tdes_block(cipher: &TdesCipher, block: &[u8; 8]) -> [u8; 8] {
    let keys = tdes_subkeys(cipher);
    chain(&[block], &keys, |b| cipher.encrypt_block(b))
}

/// CMAC of one block under an existing AES schedule (key check values).
pub(crate) fn cmac_aes_block(cipher: &AesEncryptor, block: &[u8; 16]) -> [u8; 16] {
    aes_cmac(cipher, &aes_subkeys(cipher), &[block])
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_util::h;

    /// A verifier's answer as a `bool`, for assertions.
    pub(crate) fn v(r: Result<Choice, Error>) -> bool {
        bool::from(r.unwrap())
    }

    const M64: &str = "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710";

    #[test]
    fn sp800_38b_aes128() {
        // NIST SP 800-38B Appendix D.1, Examples 1-4.
        let k = AesKey::from_slice(&h("2B7E151628AED2A6ABF7158809CF4F3C")).unwrap();
        let c = AesCmac::new(&k);
        let m = h(M64);
        for (n, tag) in [
            (0, "BB1D6929E95937287FA37D129B756746"),
            (16, "070A16B46B4D4144F79BDD9DD04A287C"),
            (40, "DFA66747DE9AE63030CA32611497C827"),
            (64, "51F0BEBF7E3B9D92FC49741779363CFE"),
        ] {
            assert_eq!(c.compute(&m[..n]).to_vec(), h(tag), "mlen {n}");
            assert!(v(c.verify(&m[..n], &h(tag), 16)));
            assert!(v(c.verify(&m[..n], &h(tag)[..4], 4)));
            // Truncated tag checked against a wrong length, and a tampered tag.
            assert!(!v(c.verify(&m[..n], &h(tag)[..4], 16)));
            let mut bad = h(tag);
            bad[15] ^= 1;
            assert!(!v(c.verify(&m[..n], &bad, 16)));
        }
        // Split input gives the same tag as the whole.
        assert_eq!(c.compute_parts(&[&m[..7], &m[7..40]]), c.compute(&m[..40]));
        assert_eq!(c.mac(&m, 0).err(), Some(Error::InvalidLength));
        assert_eq!(c.mac(&m, 17).err(), Some(Error::InvalidLength));
        // Lengths under 4 (and past the block) are refused, not checked.
        for len in [0, 1, 3, 17] {
            assert_eq!(c.verify(&m, &[0; 3], len).err(), Some(Error::InvalidLength));
        }
    }

    #[test]
    fn tags_print_as_hex() {
        // SP 800-38B D.1 Example 2, cut to 8 bytes.
        let k = AesKey::from_slice(&h("2B7E151628AED2A6ABF7158809CF4F3C")).unwrap();
        let tag = AesCmac::new(&k).mac(&h(M64)[..16], 8).unwrap();
        extern crate std;
        assert_eq!(std::format!("{tag:?}"), "Tag(070A16B46B4D4144)");
    }

    #[test]
    fn cmacs_print_no_key() {
        extern crate std;
        let aes =
            AesCmac::new(&AesKey::from_slice(&h("2B7E151628AED2A6ABF7158809CF4F3C")).unwrap());
        assert_eq!(std::format!("{aes:?}"), "AesCmac { .. }");
        let tdes =
            TdesCmac::new(&TdesKey::from_slice(&h("0123456789ABCDEFFEDCBA9876543210")).unwrap());
        assert_eq!(std::format!("{tdes:?}"), "TdesCmac { .. }");
    }

    #[test]
    fn an_empty_tag_never_verifies() {
        // No length check upstream may be relied on: a zero-length MAC,
        // or one longer than the block, is not valid even when the
        // candidate has that length.
        let full = h("BB1D6929E95937287FA37D129B756746");
        let full: [u8; 16] = full.try_into().unwrap();
        assert!(!bool::from(verify_truncated(&full, &[], 0)));
        assert!(!bool::from(verify_truncated(&full, &[0xBB; 17], 17)));
        assert!(!bool::from(verify_truncated(&full, &full[..4], 5)));
        assert!(bool::from(verify_truncated(&full, &full[..4], 4)));
    }

    #[test]
    fn sp800_38b_aes256_and_tdes() {
        // SP 800-38B D.3, Example 12 (AES-256, 64 bytes).
        let k = AesKey::from_slice(&h(
            "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4",
        ))
        .unwrap();
        assert_eq!(
            AesCmac::new(&k).compute(&h(M64)).to_vec(),
            h("E1992190549F6ED5696A2C056C315410")
        );
        // SP 800-38B D.4 (three-key TDEA), Example 15: Mlen = 64 bits.
        let k =
            TdesKey::from_slice(&h("8AA83BF8CBDA10620BC1BF19FBB6CD58BC313D4A371CA8B5")).unwrap();
        let c = TdesCmac::new(&k);
        assert_eq!(
            c.compute(&h("6BC1BEE22E409F96")).to_vec(),
            h("8E8F293136283797")
        );
        assert!(v(c.verify(&h("6BC1BEE22E409F96"), &h("8E8F2931"), 4)));
        // D.5 (two-key TDEA): Mlen = 0 and Mlen = 64 bits.
        let k = TdesKey::from_slice(&h("4CF15134A2850DD58A3D10BA80570D38")).unwrap();
        let c = TdesCmac::new(&k);
        assert_eq!(c.compute(&[]).to_vec(), h("BD2EBF9A3BA00361"));
        assert_eq!(
            c.compute(&h("6BC1BEE22E409F96")).to_vec(),
            h("4FF2AB813C53CE83")
        );
        // In parts, split inside and between blocks: the same tag.
        assert_eq!(
            c.compute_parts(&[&h("6BC1BE"), &[], &h("E22E409F96")])
                .to_vec(),
            h("4FF2AB813C53CE83")
        );
    }

    #[test]
    fn tdes_single_key_and_lengths() {
        // An 8-byte TDES key is single DES (K1 = K2 = K3), as everywhere in
        // the kernel; value from pyca/cryptography 48 CMAC over TripleDES
        // with the same 8-byte key (empty message).
        let k = TdesKey::from_slice(&h("4CF15134A2850DD5")).unwrap();
        let c = TdesCmac::new(&k);
        assert_eq!(c.compute(&[]).to_vec(), h("2BAF1159714D1922"));
        assert_eq!(
            c.mac(&[], 8).unwrap().as_bytes(),
            &h("2BAF1159714D1922")[..]
        );
        assert_eq!(c.mac(&[], 1).unwrap().as_bytes(), &h("2B")[..]);
        assert_eq!(c.mac(&[], 9).err(), Some(Error::InvalidLength));
        assert_eq!(c.mac(&[], 0).err(), Some(Error::InvalidLength));
        assert!(v(c.verify(&[], &h("2BAF1159714D1922"), 8)));
        assert_eq!(c.verify(&[], &h("2B"), 1).err(), Some(Error::InvalidLength));
        assert_eq!(
            c.verify(&[], &h("2BAF1159714D192200"), 9).err(),
            Some(Error::InvalidLength)
        );
        assert!(v(c.verify(&[], &h("2BAF1159"), 4)));
        assert!(!v(c.verify(&[], &h("2BAF1159714D1922"), 4)));
        assert!(!v(c.verify(&[], &h("2BAF1159"), 8)));
        assert!(!v(c.verify(&[0], &h("2BAF1159714D1922"), 8)));
    }

    /// RustCrypto's `cmac` over its own `aes` / `des` ciphers: an
    /// independent implementation (its own chaining, padding and subkeys).
    fn oracle_aes(key: &[u8], msg: &[u8]) -> [u8; 16] {
        use ::cmac::{KeyInit, Mac};
        let mut m = ::cmac::Cmac::<aes::Aes128>::new_from_slice(key).unwrap();
        m.update(msg);
        m.finalize().into_bytes().into()
    }

    fn oracle_tdes(key: &[u8], msg: &[u8]) -> [u8; 8] {
        use ::cmac::{KeyInit, Mac};
        let mut m = ::cmac::Cmac::<des::TdesEde3>::new_from_slice(key).unwrap();
        m.update(msg);
        m.finalize().into_bytes().into()
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_rustcrypto_cmac(
            key in proptest::collection::vec(proptest::num::u8::ANY, 24),
            msg in proptest::collection::vec(proptest::num::u8::ANY, 0..80),
            split in 0usize..80,
        ) {
            // Every length around the block boundaries, whole or in parts,
            // one keyed object for several messages.
            let split = split.min(msg.len());
            let aes = AesCmac::new(&AesKey::from_slice(&key[..16]).unwrap());
            let want = oracle_aes(&key[..16], &msg);
            proptest::prop_assert_eq!(aes.compute(&msg), want);
            proptest::prop_assert_eq!(aes.compute_parts(&[&msg[..split], &[], &msg[split..]]), want);
            proptest::prop_assert_eq!(aes.compute(&[]), oracle_aes(&key[..16], &[]));
            let tdes = TdesCmac::new(&TdesKey::from_slice(&key).unwrap());
            let want = oracle_tdes(&key, &msg);
            proptest::prop_assert_eq!(tdes.compute(&msg), want);
            proptest::prop_assert_eq!(tdes.compute_parts(&[&msg[..split], &msg[split..]]), want);
        }
    }
}
