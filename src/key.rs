//! Secret keys: [`TdesKey`] and [`AesKey`], with odd parity and key check
//! values.
//!
//! A key is made only through a constructor that checks its length; it is
//! wiped when dropped, prints as `TdesKey { length: Double, .. }` (its
//! length alone), and has no `Copy`,
//! `Clone`, `Display` or `PartialEq` (compare key check values instead).

use core::fmt;

use subtle::Choice;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;
use crate::cipher::{AesEncryptor, TdesCipher};

/// The length of a TDES key: keying option 3, 2 or 1 of NIST SP 800-67.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TdesKeyLength {
    /// 8 bytes: single DES (K1 = K2 = K3).
    Single,
    /// 16 bytes: two-key TDES (K3 = K1).
    Double,
    /// 24 bytes: three-key TDES.
    Triple,
}

impl TdesKeyLength {
    /// The length in bytes: 8, 16 or 24.
    ///
    /// ```
    /// use paykernel::TdesKeyLength;
    /// assert_eq!(TdesKeyLength::Single.bytes(), 8);
    /// assert_eq!(TdesKeyLength::Double.bytes(), 16);
    /// assert_eq!(TdesKeyLength::Triple.bytes(), 24);
    /// ```
    #[must_use]
    pub const fn bytes(self) -> usize {
        match self {
            TdesKeyLength::Single => 8,
            TdesKeyLength::Double => 16,
            TdesKeyLength::Triple => 24,
        }
    }
}

/// The length of an AES key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AesKeyLength {
    /// 16 bytes.
    Aes128,
    /// 24 bytes.
    Aes192,
    /// 32 bytes.
    Aes256,
}

impl AesKeyLength {
    /// The length in bytes: 16, 24 or 32.
    ///
    /// ```
    /// use paykernel::AesKeyLength;
    /// assert_eq!(AesKeyLength::Aes128.bytes(), 16);
    /// assert_eq!(AesKeyLength::Aes192.bytes(), 24);
    /// assert_eq!(AesKeyLength::Aes256.bytes(), 32);
    /// ```
    #[must_use]
    pub const fn bytes(self) -> usize {
        match self {
            AesKeyLength::Aes128 => 16,
            AesKeyLength::Aes192 => 24,
            AesKeyLength::Aes256 => 32,
        }
    }
}

/// How a key check value is computed (ANSI X9.24-1:2017, PCI PIN 15-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KcvMethod {
    /// Encrypt one all-zero block under the key; the legacy TDES method.
    EncryptZeros,
    /// CMAC (NIST SP 800-38B) of one all-zero block under the key, with the
    /// key's own block cipher; the method X9.24-1:2017 requires for AES
    /// keys (the kernel computes both for either kind of key).
    CmacZeros,
}

/// A key check value: the leftmost bytes of a one-way function of a key.
/// It is public: it identifies a key without revealing it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kcv {
    bytes: [u8; 16],
    len: usize,
}

impl Kcv {
    /// The check value's bytes (as many as were asked for). Its `Debug`
    /// prints them in hex: a check value is public.
    ///
    /// ```
    /// use paykernel::{KcvMethod, TdesKey};
    /// // The two-key TDES key 0123456789ABCDEF FEDCBA9876543210: check
    /// // value 08D7B4 (psec 1.3.0 generate_kcv(key, 3); its docstring
    /// // shows the first two bytes, 08D7).
    /// let k = TdesKey::from_slice(&hex::decode("0123456789ABCDEFFEDCBA9876543210").unwrap())?;
    /// let kcv = k.kcv(KcvMethod::EncryptZeros, 3)?;
    /// assert_eq!(kcv.as_bytes(), [0x08, 0xD7, 0xB4]);
    /// assert_eq!(format!("{kcv:?}"), "Kcv(08D7B4)");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl fmt::Debug for Kcv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Kcv(")?;
        for b in self.as_bytes() {
            write!(f, "{b:02X}")?;
        }
        f.write_str(")")
    }
}

/// A TDES key of 8, 16 or 24 bytes.
///
/// Parity is not checked by [`TdesKey::from_slice`]: the DES parity bits do
/// not enter the cipher, and many systems carry keys with arbitrary parity.
/// Use [`TdesKey::from_slice_odd_parity`] where the standard requires it.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct TdesKey {
    bytes: [u8; 24],
    #[zeroize(skip)]
    length: TdesKeyLength,
}

impl TdesKey {
    /// A key from 8, 16 or 24 bytes, any parity.
    ///
    /// ```
    /// use paykernel::{Error, TdesKey, TdesKeyLength};
    /// let k = TdesKey::from_slice(&[0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF])?;
    /// assert_eq!(k.length(), TdesKeyLength::Single);
    /// assert_eq!(format!("{k:?}"), "TdesKey { length: Single, .. }");
    /// assert_eq!(TdesKey::from_slice(&[0; 15]).err(), Some(Error::InvalidKey));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for any other length.
    pub fn from_slice(key: &[u8]) -> Result<Self, Error> {
        let length = match key.len() {
            8 => TdesKeyLength::Single,
            16 => TdesKeyLength::Double,
            24 => TdesKeyLength::Triple,
            _ => return Err(Error::InvalidKey),
        };
        let mut bytes = [0u8; 24];
        bytes
            .get_mut(..key.len())
            .ok_or(Error::InvalidKey)?
            .copy_from_slice(key);
        Ok(TdesKey { bytes, length })
    }

    /// A key from 8, 16 or 24 bytes that must have odd parity in every byte.
    ///
    /// ```
    /// use paykernel::{Error, TdesKey};
    /// // Every byte of 0123456789ABCDEF has an odd number of one bits.
    /// let k = TdesKey::from_slice_odd_parity(&hex::decode("0123456789ABCDEF").unwrap())?;
    /// assert!(k.has_odd_parity());
    /// // 00 has none: refused.
    /// assert_eq!(TdesKey::from_slice_odd_parity(&[0; 16]).err(), Some(Error::InvalidKey));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a wrong length or a byte of even parity.
    pub fn from_slice_odd_parity(key: &[u8]) -> Result<Self, Error> {
        let key = TdesKey::from_slice(key)?;
        let odd = key.odd_parity();
        crate::ct::verdict(key, odd, Error::InvalidKey)
    }

    /// A double-length key from its two halves.
    pub(crate) fn from_halves(left: &[u8; 8], right: &[u8; 8]) -> Self {
        let mut bytes = [0u8; 24];
        let (l, rest) = bytes.split_at_mut(8);
        l.copy_from_slice(left);
        if let Some(r) = rest.get_mut(..8) {
            r.copy_from_slice(right);
        }
        TdesKey {
            bytes,
            length: TdesKeyLength::Double,
        }
    }

    /// A double-length key from 16 bytes.
    pub(crate) fn double(key: &[u8; 16]) -> Self {
        let mut bytes = [0u8; 24];
        if let Some(b) = bytes.get_mut(..16) {
            b.copy_from_slice(key);
        }
        TdesKey {
            bytes,
            length: TdesKeyLength::Double,
        }
    }

    /// Which keying option this key is.
    ///
    /// ```
    /// use paykernel::{TdesKey, TdesKeyLength};
    /// assert_eq!(TdesKey::from_slice(&[1; 16])?.length(), TdesKeyLength::Double);
    /// assert_eq!(TdesKey::from_slice(&[1; 24])?.length(), TdesKeyLength::Triple);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn length(&self) -> TdesKeyLength {
        self.length
    }

    /// The key's bytes (8, 16 or 24). Handle with care: this is the secret.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// let k = TdesKey::from_slice(&[0x11; 16])?;
    /// assert_eq!(k.expose_secret(), [0x11; 16]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn expose_secret(&self) -> &[u8] {
        self.bytes.get(..self.length.bytes()).unwrap_or(&[])
    }

    /// The three 8-byte DES keys K1, K2, K3 (K3 = K1 for a double key,
    /// all equal for a single key).
    pub(crate) fn des_keys(&self) -> [[u8; 8]; 3] {
        let mut k = [[0u8; 8]; 3];
        for (dst, src) in k.iter_mut().zip(self.bytes.chunks_exact(8)) {
            dst.copy_from_slice(src);
        }
        let [k1, k2, k3] = k;
        match self.length {
            TdesKeyLength::Single => [k1, k1, k1],
            TdesKeyLength::Double => [k1, k2, k1],
            TdesKeyLength::Triple => [k1, k2, k3],
        }
    }

    /// Whether every byte has odd parity (an odd number of one bits).
    /// Computed over every byte without an early exit.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// assert!(TdesKey::from_slice(&hex::decode("0123456789ABCDEF").unwrap())?.has_odd_parity());
    /// assert!(!TdesKey::from_slice(&hex::decode("0123456789ABCDEE").unwrap())?.has_odd_parity());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn has_odd_parity(&self) -> bool {
        bool::from(self.odd_parity())
    }

    /// [`TdesKey::has_odd_parity`] as a `Choice`.
    fn odd_parity(&self) -> Choice {
        let mut all_odd = 1u8;
        for b in self.expose_secret() {
            all_odd &= odd_parity_bit(*b);
        }
        Choice::from(all_odd)
    }

    /// Sets the low bit of every byte so that it has odd parity.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// let mut k = TdesKey::from_slice(&hex::decode("0023456789ABCDEE").unwrap())?;
    /// k.set_odd_parity();
    /// assert_eq!(k.expose_secret(), hex::decode("0123456789ABCDEF").unwrap());
    /// assert!(k.has_odd_parity());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn set_odd_parity(&mut self) {
        let n = self.length.bytes();
        for b in self.bytes.iter_mut().take(n) {
            *b = with_odd_parity(*b);
        }
    }

    /// The key check value of `len` bytes (1 to 8) by `method`.
    ///
    /// ```
    /// use paykernel::{KcvMethod, TdesKey};
    /// // psec 1.3.0's generate_kcv docstring: 08D7.
    /// let k = TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?;
    /// assert_eq!(k.kcv(KcvMethod::EncryptZeros, 2)?.as_bytes(), [0x08, 0xD7]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for `len` outside `1..=8`.
    pub fn kcv(&self, method: KcvMethod, len: usize) -> Result<Kcv, Error> {
        if !(1..=8).contains(&len) {
            return Err(Error::InvalidLength);
        }
        let cipher = TdesCipher::new(self);
        let mut block = [0u8; 8];
        match method {
            KcvMethod::EncryptZeros => cipher.encrypt_block(&mut block),
            KcvMethod::CmacZeros => block = crate::mac::cmac_tdes_block(&cipher, &[0u8; 8]),
        }
        let mut bytes = [0u8; 16];
        if let Some(dst) = bytes.get_mut(..8) {
            dst.copy_from_slice(&block);
        }
        Ok(Kcv { bytes, len })
    }
}

impl fmt::Debug for TdesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TdesKey")
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}

/// An AES key of 16, 24 or 32 bytes.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct AesKey {
    bytes: [u8; 32],
    #[zeroize(skip)]
    length: AesKeyLength,
}

impl AesKey {
    /// A key from 16, 24 or 32 bytes.
    ///
    /// ```
    /// use paykernel::{AesKey, AesKeyLength, Error};
    /// let k = AesKey::from_slice(&[0x2B; 32])?;
    /// assert_eq!(k.length(), AesKeyLength::Aes256);
    /// assert_eq!(k.expose_secret(), [0x2B; 32]);
    /// assert_eq!(format!("{k:?}"), "AesKey { length: Aes256, .. }");
    /// assert_eq!(AesKey::from_slice(&[0; 20]).err(), Some(Error::InvalidKey));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for any other length.
    pub fn from_slice(key: &[u8]) -> Result<Self, Error> {
        let length = match key.len() {
            16 => AesKeyLength::Aes128,
            24 => AesKeyLength::Aes192,
            32 => AesKeyLength::Aes256,
            _ => return Err(Error::InvalidKey),
        };
        let mut bytes = [0u8; 32];
        bytes
            .get_mut(..key.len())
            .ok_or(Error::InvalidKey)?
            .copy_from_slice(key);
        Ok(AesKey { bytes, length })
    }

    /// An AES-128 key from 16 bytes the kernel derived (no length to check).
    pub(crate) fn aes128(key: &[u8; 16]) -> Self {
        let mut bytes = [0u8; 32];
        let (dst, _) = bytes.split_at_mut(16);
        dst.copy_from_slice(key);
        AesKey {
            bytes,
            length: AesKeyLength::Aes128,
        }
    }

    /// An AES-256 key from 32 bytes the kernel derived.
    pub(crate) fn aes256(key: &[u8; 32]) -> Self {
        AesKey {
            bytes: *key,
            length: AesKeyLength::Aes256,
        }
    }

    /// Which AES this key is for.
    ///
    /// ```
    /// use paykernel::{AesKey, AesKeyLength};
    /// assert_eq!(AesKey::from_slice(&[1; 16])?.length(), AesKeyLength::Aes128);
    /// assert_eq!(AesKey::from_slice(&[1; 24])?.length(), AesKeyLength::Aes192);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn length(&self) -> AesKeyLength {
        self.length
    }

    /// The key's bytes (16, 24 or 32). Handle with care: this is the secret.
    ///
    /// ```
    /// use paykernel::AesKey;
    /// assert_eq!(AesKey::from_slice(&[7; 16])?.expose_secret(), [7; 16]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn expose_secret(&self) -> &[u8] {
        self.bytes.get(..self.length.bytes()).unwrap_or(&[])
    }

    /// The key check value of `len` bytes (1 to 16) by `method`.
    ///
    /// ```
    /// use paykernel::{AesKey, KcvMethod};
    /// // NIST SP 800-38B D.1 (subkey generation): AES-128 of the zero
    /// // block under 2B7E1516... is 7DF76B0C...
    /// let k = AesKey::from_slice(&[
    ///     0x2B, 0x7E, 0x15, 0x16, 0x28, 0xAE, 0xD2, 0xA6,
    ///     0xAB, 0xF7, 0x15, 0x88, 0x09, 0xCF, 0x4F, 0x3C,
    /// ])?;
    /// assert_eq!(k.kcv(KcvMethod::EncryptZeros, 3)?.as_bytes(), [0x7D, 0xF7, 0x6B]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for `len` outside `1..=16`.
    pub fn kcv(&self, method: KcvMethod, len: usize) -> Result<Kcv, Error> {
        if !(1..=16).contains(&len) {
            return Err(Error::InvalidLength);
        }
        let cipher = AesEncryptor::new(self);
        let mut block = [0u8; 16];
        match method {
            KcvMethod::EncryptZeros => cipher.encrypt_block(&mut block),
            KcvMethod::CmacZeros => block = crate::mac::cmac_aes_block(&cipher, &[0u8; 16]),
        }
        Ok(Kcv { bytes: block, len })
    }
}

impl fmt::Debug for AesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AesKey")
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}

/// 1 when `b` has an odd number of one bits, else 0.
fn odd_parity_bit(b: u8) -> u8 {
    let mut x = b;
    x ^= x >> 4;
    x ^= x >> 2;
    x ^= x >> 1;
    x & 1
}

/// `b` with its low bit set so that the byte has odd parity.
fn with_odd_parity(b: u8) -> u8 {
    let high = b & 0xFE;
    high | (odd_parity_bit(high) ^ 1)
}

/// An HMAC key of 1 to [`HmacKey::MAX_LEN`] bytes: the HMAC key types of
/// AES DUKPT (16, 24 or 32 bytes, for HMAC-SHA-256, X9.24-3-2017) and HMAC
/// keys carried in key blocks. Wiped on drop, printed redacted.
///
/// ```
/// use paykernel::{Error, HmacKey};
/// let k = HmacKey::from_slice(b"key")?;
/// assert_eq!(k.len(), 3);
/// assert!(!k.is_empty());
/// assert_eq!(k.expose_secret(), b"key");
/// assert_eq!(format!("{k:?}"), "HmacKey { len: 3, .. }");
/// // Empty, or longer than one SHA-256 block: refused.
/// assert_eq!(HmacKey::from_slice(b"").err(), Some(Error::InvalidKey));
/// assert_eq!(HmacKey::from_slice(&[0; 65]).err(), Some(Error::InvalidKey));
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct HmacKey {
    bytes: [u8; HmacKey::MAX_LEN],
    #[zeroize(skip)]
    len: usize,
}

impl HmacKey {
    /// The longest key held: one SHA-256 block (a longer HMAC key would be
    /// hashed down to 32 bytes first, RFC 2104 2).
    pub const MAX_LEN: usize = 64;

    /// A key from 1 to [`HmacKey::MAX_LEN`] bytes.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for an empty or longer key.
    pub fn from_slice(key: &[u8]) -> Result<Self, Error> {
        if key.is_empty() {
            return Err(Error::InvalidKey);
        }
        let mut bytes = [0u8; HmacKey::MAX_LEN];
        bytes
            .get_mut(..key.len())
            .ok_or(Error::InvalidKey)?
            .copy_from_slice(key);
        Ok(HmacKey {
            bytes,
            len: key.len(),
        })
    }

    /// The key's bytes. Handle with care: this is the secret.
    #[must_use]
    pub fn expose_secret(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    /// The key's length in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Never true: an HMAC key has at least one byte.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacKey")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::h;

    #[test]
    fn lengths_are_checked() {
        for n in [0usize, 1, 7, 9, 15, 17, 23, 25, 32] {
            assert_eq!(
                TdesKey::from_slice(&[0u8; 32][..n]).err(),
                Some(Error::InvalidKey),
                "tdes {n}"
            );
        }
        for n in [0usize, 8, 15, 17, 23, 25, 31, 33] {
            assert_eq!(
                AesKey::from_slice(&[0u8; 40][..n]).err(),
                Some(Error::InvalidKey),
                "aes {n}"
            );
        }
        assert_eq!(
            TdesKey::from_slice(&[0; 8]).unwrap().length(),
            TdesKeyLength::Single
        );
        assert_eq!(
            TdesKey::from_slice(&[0; 16]).unwrap().length(),
            TdesKeyLength::Double
        );
        assert_eq!(
            TdesKey::from_slice(&[0; 24]).unwrap().length(),
            TdesKeyLength::Triple
        );
    }

    #[test]
    fn parity() {
        // 0123456789ABCDEF, the classic DES test key, has odd parity in
        // every byte; 0x00 has none.
        let k = TdesKey::from_slice(&h("0123456789ABCDEF")).unwrap();
        assert!(k.has_odd_parity());
        let k = TdesKey::from_slice(&h("0023456789ABCDEF")).unwrap();
        assert!(!k.has_odd_parity());
        assert_eq!(
            TdesKey::from_slice_odd_parity(&h("0023456789ABCDEF")).err(),
            Some(Error::InvalidKey)
        );
        // Adjusting: 00 -> 01, FF -> FE, 03 -> 02; 7F, 80, 01, 02, 04 are
        // already odd.
        let mut k = TdesKey::from_slice(&h("00FF7F8001020304")).unwrap();
        k.set_odd_parity();
        assert_eq!(k.expose_secret(), &h("01FE7F8001020204")[..]);
        assert!(k.has_odd_parity());
    }

    #[test]
    fn debug_is_redacted() {
        extern crate std;
        let k = TdesKey::from_slice(&h("0123456789ABCDEFFEDCBA9876543210")).unwrap();
        let s = std::format!("{k:?}");
        assert_eq!(s, "TdesKey { length: Double, .. }");
        let k = AesKey::from_slice(&[0xAB; 16]).unwrap();
        let s = std::format!("{k:?}");
        assert!(!s.contains("AB") && !s.contains("171"), "{s}");
        assert_eq!(s, "AesKey { length: Aes128, .. }");
        let k = AesKey::from_slice(&[0xAB; 32]).unwrap();
        assert_eq!(std::format!("{k:?}"), "AesKey { length: Aes256, .. }");
        // A key check value is public and prints in full, as hex (psec
        // 1.3.0 docs: 0123456789ABCDEFFEDCBA9876543210 has KCV 08D7).
        let k = TdesKey::from_slice(&h("0123456789ABCDEFFEDCBA9876543210")).unwrap();
        let kcv = k.kcv(KcvMethod::EncryptZeros, 2).unwrap();
        assert_eq!(std::format!("{kcv:?}"), "Kcv(08D7)");
    }

    #[test]
    fn kcv_known_answers() {
        // psec 1.3.0 docs, des.generate_kcv: 0123456789ABCDEFFEDCBA9876543210 -> 08D7.
        let k = TdesKey::from_slice(&h("0123456789ABCDEFFEDCBA9876543210")).unwrap();
        assert_eq!(
            k.kcv(KcvMethod::EncryptZeros, 2).unwrap().as_bytes(),
            &h("08D7")[..]
        );
        // SP 800-38B D.1, subkey generation: AES-128(2B7E...3C, 0^128).
        let a = AesKey::from_slice(&h("2B7E151628AED2A6ABF7158809CF4F3C")).unwrap();
        assert_eq!(
            a.kcv(KcvMethod::EncryptZeros, 16).unwrap().as_bytes(),
            &h("7DF76B0C1AB899B33E42F047B91B546F")[..]
        );
        // CMAC KCVs (X9.24-1:2017: CMAC of one zero block, leftmost bytes);
        // values from pyca/cryptography 48 CMAC, an independent implementation.
        assert_eq!(
            a.kcv(KcvMethod::CmacZeros, 5).unwrap().as_bytes(),
            &h("7AD386C376")[..]
        );
        assert_eq!(
            k.kcv(KcvMethod::CmacZeros, 8).unwrap().as_bytes(),
            &h("0A8245866490475B")[..]
        );
        assert_eq!(
            k.kcv(KcvMethod::EncryptZeros, 0).err(),
            Some(Error::InvalidLength)
        );
        assert_eq!(
            k.kcv(KcvMethod::EncryptZeros, 9).err(),
            Some(Error::InvalidLength)
        );
        assert_eq!(
            a.kcv(KcvMethod::CmacZeros, 17).err(),
            Some(Error::InvalidLength)
        );
    }

    #[test]
    fn hmac_key_lengths_are_checked() {
        assert_eq!(HmacKey::from_slice(&[]).err(), Some(Error::InvalidKey));
        assert_eq!(
            HmacKey::from_slice(&[7u8; 65]).err(),
            Some(Error::InvalidKey)
        );
        let k = HmacKey::from_slice(&[7u8; 64]).unwrap();
        assert_eq!((k.len(), k.expose_secret()), (64, &[7u8; 64][..]));
        extern crate std;
        assert_eq!(std::format!("{k:?}"), "HmacKey { len: 64, .. }");
    }
}
