//! CMAC (NIST SP 800-38B) over the kernel's AES and TDES.

use core::fmt;

use ::cmac::Cmac;
use ::cmac::block_api::CmacCipher;
use ::cmac::digest::{InnerInit, Mac};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::Error;
use crate::cipher::{AesEncInner, AesEncryptor, TdesCipher};
use crate::key::{AesKey, TdesKey};

/// A MAC tag of 1 to 16 bytes (a full or truncated CMAC, a retail MAC...).
/// Tags are public once computed.
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
) -> bool {
    if len == 0 || len > N || candidate.len() != len {
        return false;
    }
    match full.get(..len) {
        Some(expected) => bool::from(expected.ct_eq(candidate)),
        None => false,
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
fn verify_wiping<const N: usize>(mut full: [u8; N], candidate: &[u8], len: usize) -> bool {
    let ok = verify_truncated(&full, candidate, len);
    full.zeroize();
    ok
}

/// CMAC of the concatenation of `parts` under `cipher`.
fn cmac_parts<C: CmacCipher>(cipher: C, parts: &[&[u8]]) -> ::cmac::digest::Output<Cmac<C>> {
    let mut mac = <Cmac<C> as InnerInit>::inner_init(cipher);
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes()
}

/// AES-CMAC with a key schedule made once and reused.
pub struct AesCmac {
    cipher: AesEncryptor,
}

impl AesCmac {
    /// Computes the key schedule of `key` (AES-128, -192 or -256).
    #[must_use]
    pub fn new(key: &AesKey) -> Self {
        AesCmac {
            cipher: AesEncryptor::new(key),
        }
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
        match self.cipher.inner() {
            AesEncInner::Aes128(c) => cmac_parts(c, parts).into(),
            AesEncInner::Aes192(c) => cmac_parts(c, parts).into(),
            AesEncInner::Aes256(c) => cmac_parts(c, parts).into(),
        }
    }

    /// The CMAC of `msg` truncated to its leftmost `len` bytes.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for `len` outside `1..=16`.
    pub fn mac(&self, msg: &[u8], len: usize) -> Result<Tag, Error> {
        truncate_wiping(self.compute(msg), len)
    }

    /// Whether `tag` is the CMAC of `msg` truncated to `len` bytes, compared
    /// in constant time. A tag that is not exactly `len` bytes, or a `len`
    /// outside `1..=16`, is not valid.
    #[must_use]
    pub fn verify(&self, msg: &[u8], tag: &[u8], len: usize) -> bool {
        verify_wiping(self.compute(msg), tag, len)
    }
}

impl fmt::Debug for AesCmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AesCmac").finish_non_exhaustive()
    }
}

/// TDES-CMAC (two- or three-key; single DES with an 8-byte key) with a key
/// schedule made once and reused.
pub struct TdesCmac {
    cipher: TdesCipher,
}

impl TdesCmac {
    /// Computes the key schedule of `key`.
    #[must_use]
    pub fn new(key: &TdesKey) -> Self {
        TdesCmac {
            cipher: TdesCipher::new(key),
        }
    }

    /// The full 8-byte CMAC of `msg`.
    #[must_use]
    pub fn compute(&self, msg: &[u8]) -> [u8; 8] {
        cmac_parts(&self.cipher, &[msg]).into()
    }

    /// The full CMAC of the concatenation of `parts`, without copying them
    /// into one buffer.
    #[must_use]
    pub fn compute_parts(&self, parts: &[&[u8]]) -> [u8; 8] {
        cmac_parts(&self.cipher, parts).into()
    }

    /// The CMAC of `msg` truncated to its leftmost `len` bytes.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for `len` outside `1..=8`.
    pub fn mac(&self, msg: &[u8], len: usize) -> Result<Tag, Error> {
        truncate_wiping(self.compute(msg), len)
    }

    /// Whether `tag` is the CMAC of `msg` truncated to `len` bytes, compared
    /// in constant time. A tag that is not exactly `len` bytes, or a `len`
    /// outside `1..=8`, is not valid.
    #[must_use]
    pub fn verify(&self, msg: &[u8], tag: &[u8], len: usize) -> bool {
        verify_wiping(self.compute(msg), tag, len)
    }
}

impl fmt::Debug for TdesCmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TdesCmac").finish_non_exhaustive()
    }
}

/// CMAC of one block under an existing TDES schedule (key check values).
pub(crate) fn cmac_tdes_block(cipher: &TdesCipher, block: &[u8; 8]) -> [u8; 8] {
    cmac_parts(cipher, &[block]).into()
}

/// CMAC of one block under an existing AES schedule (key check values).
pub(crate) fn cmac_aes_block(cipher: &AesEncryptor, block: &[u8; 16]) -> [u8; 16] {
    match cipher.inner() {
        AesEncInner::Aes128(c) => cmac_parts(c, &[block]).into(),
        AesEncInner::Aes192(c) => cmac_parts(c, &[block]).into(),
        AesEncInner::Aes256(c) => cmac_parts(c, &[block]).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::h;

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
            assert!(c.verify(&m[..n], &h(tag), 16));
            assert!(c.verify(&m[..n], &h(tag)[..4], 4));
            // Truncated tag checked against a wrong length, and a tampered tag.
            assert!(!c.verify(&m[..n], &h(tag)[..4], 16));
            let mut bad = h(tag);
            bad[15] ^= 1;
            assert!(!c.verify(&m[..n], &bad, 16));
        }
        // Split input gives the same tag as the whole.
        assert_eq!(c.compute_parts(&[&m[..7], &m[7..40]]), c.compute(&m[..40]));
        assert_eq!(c.mac(&m, 0).err(), Some(Error::InvalidLength));
        assert_eq!(c.mac(&m, 17).err(), Some(Error::InvalidLength));
        assert!(!c.verify(&m, &[], 0));
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
        assert!(c.verify(&h("6BC1BEE22E409F96"), &h("8E8F2931"), 4));
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
        assert!(c.verify(&[], &h("2BAF1159714D1922"), 8));
        assert!(c.verify(&[], &h("2B"), 1));
        assert!(!c.verify(&[], &h("2BAF1159714D192200"), 9));
        assert!(!c.verify(&[], &h("2BAF1159714D1922"), 4));
        assert!(!c.verify(&[], &h("2BAF1159"), 8));
        assert!(!c.verify(&[0], &h("2BAF1159714D1922"), 8));
    }
}
