//! CVC3, Mastercard's dynamic card verification code for contactless
//! transactions in magnetic-stripe mode (as pyemv 1.5.0 `generate_cvc3`
//! and the jPOS `verifyCVC3` documentation describe it; docs/vectors.md
//! "Card and PIN verification").
//!
//! - IVCVC3 = the 2 rightmost bytes of the ISO/IEC 9797-1 MAC algorithm 3
//!   (the retail MAC, padding method 2) of the static track 1 or track 2
//!   data under the card's CVC3 key.
//! - CVC3 = the 2 rightmost bytes of TDES(key, IVCVC3 ‖ UN ‖ ATC), as a
//!   5-digit decimal number (0 to 65535, leading zeros kept).

use core::fmt;

use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroizing;

use super::digits::{Cvc3, SecretDigits};
use crate::mac::{Padding, RetailMac};
use crate::{Error, TdesKey};

/// A card's CVC3 key (the ICC key derived from the issuer's CVC3 master
/// key): 16 bytes, schedules made once.
///
/// # Example
/// pyemv 1.5.0's `generate_cvc3` docstring: the ICC key derived there with
/// option A, track 2 template `5123456789012345D35121010000000000000F`,
/// ATC `005E`, UN `00000899` give 29488.
/// ```
/// use paykernel::card::{Cvc3, Cvc3Key};
/// use paykernel::TdesKey;
///
/// let key = Cvc3Key::new(&TdesKey::from_slice(&[
///     0x6D, 0x64, 0x25, 0xFB, 0x94, 0x01, 0xC2, 0x1A,
///     0xA1, 0xF8, 0x04, 0x51, 0xAB, 0x85, 0xDA, 0x3B,
/// ])?)?;
/// let track = [
///     0x51, 0x23, 0x45, 0x67, 0x89, 0x01, 0x23, 0x45, 0xD3, 0x51,
///     0x21, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0F,
/// ];
/// let cvc3 = key.generate(&track, [0x00, 0x5E], [0x00, 0x00, 0x08, 0x99])?;
/// assert_eq!(cvc3.expose_secret(), b"29488");
/// let candidate = Cvc3::from_digits(b"29488")?;
/// let ok = key.verify(&track, [0x00, 0x5E], [0x00, 0x00, 0x08, 0x99], &candidate)?;
/// assert!(bool::from(ok));
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct Cvc3Key {
    mac: RetailMac,
}

impl Cvc3Key {
    /// The key's schedules.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless `key` is a 16-byte TDES key.
    pub fn new(key: &TdesKey) -> Result<Cvc3Key, Error> {
        Ok(Cvc3Key {
            mac: RetailMac::new(key)?,
        })
    }

    /// IVCVC3 of a static track image: the 2 rightmost bytes of its retail
    /// MAC (padding method 2). The card is personalised with it; the
    /// issuer may keep it per card and call
    /// [`Cvc3Key::generate_with_iv`].
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::card::Cvc3Key;
    /// // pyemv 1.5.0's generate_cvc3 docstring (see Cvc3Key): IVCVC3 of the
    /// // track is 11BA (the retail MAC 876636BE3F8711BA, recomputed with
    /// // pycryptodome); then the CVC3 of ATC 005E, UN 00000899 from it.
    /// let key = Cvc3Key::new(&TdesKey::from_slice(&hex::decode("6D6425FB9401C21AA1F80451AB85DA3B").unwrap())?)?;
    /// let track = hex::decode("5123456789012345D35121010000000000000F").unwrap();
    /// let iv = key.iv(&track)?;
    /// assert_eq!(iv, [0x11, 0xBA]);
    /// let cvc3 = key.generate_with_iv(iv, [0x00, 0x5E], [0x00, 0x00, 0x08, 0x99]);
    /// assert_eq!(cvc3.expose_secret(), b"29488");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidPadding`] only for data too long to pad (beyond any
    /// memory).
    pub fn iv(&self, track: &[u8]) -> Result<[u8; 2], Error> {
        let full = Zeroizing::new(self.mac.compute(track, Padding::Method2)?);
        let [.., a, b] = *full;
        Ok([a, b])
    }

    /// The CVC3 of a transaction: the card's static `track` data, its
    /// application transaction counter `atc` (EMV tag 9F36) and the
    /// terminal's unpredictable number `un` (9F37).
    ///
    /// # Errors
    /// As [`Cvc3Key::iv`].
    pub fn generate(&self, track: &[u8], atc: [u8; 2], un: [u8; 4]) -> Result<Cvc3, Error> {
        Ok(self.generate_with_iv(self.iv(track)?, atc, un))
    }

    /// The CVC3 from a precomputed IVCVC3.
    #[must_use]
    pub fn generate_with_iv(&self, iv: [u8; 2], atc: [u8; 2], un: [u8; 4]) -> Cvc3 {
        let [i0, i1] = iv;
        let [u0, u1, u2, u3] = un;
        let [a0, a1] = atc;
        let mut block = Zeroizing::new([i0, i1, u0, u1, u2, u3, a0, a1]);
        self.mac.cipher().encrypt_block(&mut block);
        let [.., hi, lo] = *block;
        let digits = Zeroizing::new(five_digits(u16::from_be_bytes([hi, lo])));
        Cvc3(SecretDigits::from_values(&*digits))
    }

    /// Issuer side: whether `cvc3` is the transaction's CVC3, compared in
    /// constant time (all 5 digits), as a [`Choice`] (`bool::from` it):
    /// a `Result<bool, _>` would keep the answer in the byte that also
    /// says `Ok` or `Err`, so that merely matching the `Result` would read
    /// it.
    ///
    /// # Errors
    /// As [`Cvc3Key::iv`].
    pub fn verify(
        &self,
        track: &[u8],
        atc: [u8; 2],
        un: [u8; 4],
        cvc3: &Cvc3,
    ) -> Result<Choice, Error> {
        let expected = self.generate(track, atc, un)?;
        Ok(expected.ct_eq(cvc3))
    }
}

impl fmt::Debug for Cvc3Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cvc3Key").finish_non_exhaustive()
    }
}

/// The 5 decimal digits of `x`, most significant first, without division:
/// ⌊y / 10⌋ is (y · 52429) >> 19 for every y below 81920 (52429 =
/// ⌈2^19 / 10⌉), a multiplication and a shift that take the same time for
/// every value.
fn five_digits(x: u16) -> [u8; 5] {
    let mut out = [0u8; 5];
    let mut y = u32::from(x);
    for o in out.iter_mut().rev() {
        let q = y.wrapping_mul(52429) >> 19;
        let [d, ..] = y.wrapping_sub(q.wrapping_mul(10)).to_le_bytes();
        *o = d;
        y = q;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::h;

    extern crate std;

    #[test]
    fn five_digits_is_decimal_for_every_u16() {
        for x in 0..=u16::MAX {
            let s = std::format!("{x:05}");
            let want: std::vec::Vec<u8> = s.bytes().map(|c| c - b'0').collect();
            assert_eq!(five_digits(x).to_vec(), want, "{x}");
        }
    }

    #[test]
    fn pyemv_docstring() {
        // pyemv 1.5.0 generate_cvc3 docstring; the ICC CVC3 key is
        // derive_icc_mk_a(01234567899876543210012345678998, PAN
        // 5123456789012345, PSN 00) (card-verification-examples.json).
        let key =
            Cvc3Key::new(&TdesKey::from_slice(&h("6D6425FB9401C21AA1F80451AB85DA3B")).unwrap())
                .unwrap();
        let track = h("5123456789012345D35121010000000000000F");
        let c = key
            .generate(&track, [0x00, 0x5E], [0, 0, 0x08, 0x99])
            .unwrap();
        assert_eq!(c.expose_secret(), b"29488");
        let iv = key.iv(&track).unwrap();
        let c2 = key.generate_with_iv(iv, [0x00, 0x5E], [0, 0, 0x08, 0x99]);
        assert!(bool::from(c.ct_eq(&c2)));
        let wrong = Cvc3::from_digits(b"29489").unwrap();
        assert!(!bool::from(
            key.verify(&track, [0x00, 0x5E], [0, 0, 0x08, 0x99], &wrong)
                .unwrap()
        ));
    }

    #[test]
    fn key_length() {
        for n in [8usize, 24] {
            let k = TdesKey::from_slice(&[0x11; 24][..n]).unwrap();
            assert_eq!(Cvc3Key::new(&k).err(), Some(Error::InvalidKey));
        }
    }

    #[test]
    fn debug_names_the_key_and_shows_none_of_it() {
        let key =
            Cvc3Key::new(&TdesKey::from_slice(&h("6D6425FB9401C21AA1F80451AB85DA3B")).unwrap())
                .unwrap();
        assert_eq!(std::format!("{key:?}"), "Cvc3Key { .. }");
    }
}
