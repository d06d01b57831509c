//! The Visa PIN verification value (PVV).
//!
//! TSP (transformed security parameter) = the 11 PAN digits left of the
//! check digit ‖ PVKI ‖ the 4 leftmost PIN digits, 16 digits packed in 8
//! bytes; PVV = the first 4 decimalized digits of TDES(PVK, TSP) (decimal
//! digits left to right, then A–F minus 10).

use core::fmt;

use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroizing;

use super::decimal::decimalize;
use super::digits::{Pvki, Pvv, SecretDigits};
use crate::cipher::TdesCipher;
use crate::pin::Pin;
use crate::{Pan, TdesKey};

/// A Visa PIN verification key (PVK, 8, 16 or 24 bytes), its schedule made
/// once: generates PVVs for the issuer's card database, and is the method
/// of a [`PinVerifier`](crate::pin::PinVerifier) that checks PIN blocks
/// against them.
///
/// # Example
/// psec 1.3.0's `generate_visa_pvv` docstring: PVK `0123456789ABCDEF` ‖
/// `FEDCBA9876543210`, PVKI 3, PIN 4524, PAN 1122334455667788 give 4021.
/// ```
/// use paykernel::card::{Pvki, Pvv, VisaPvv};
/// use paykernel::pin::Pin;
/// use paykernel::{Pan, TdesKey};
///
/// let pvk = VisaPvv::new(&TdesKey::from_slice(&[
///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
/// ])?);
/// let pan: Pan = "1122334455667788".parse()?;
/// let pvki: Pvki = "3".parse()?;
/// let pvv = pvk.generate(pvki, &Pin::from_digits(b"4524")?, &pan);
/// assert_eq!(pvv.expose_secret(), b"4021");
/// assert!(pvk.verify(pvki, &Pin::from_digits(b"4524")?, &pan, &Pvv::from_digits(b"4021")?));
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct VisaPvv {
    cipher: TdesCipher,
}

impl VisaPvv {
    /// The PVK's schedule. Any TDES key length (8, 16 or 24 bytes); Visa
    /// uses 16.
    #[must_use]
    pub fn new(pvk: &TdesKey) -> VisaPvv {
        VisaPvv {
            cipher: TdesCipher::new(pvk),
        }
    }

    /// Issuer side (PIN issuance or change): the PVV of `pin` for this
    /// card. Only the PIN's 4 leftmost digits enter it.
    ///
    /// ```
    /// use paykernel::card::VisaPvv;
    /// use paykernel::pin::Pin;
    /// use paykernel::TdesKey;
    ///
    /// // psec 1.3.0's tests: PIN 1912, PVKI 2 -> 3244; PIN 0570, PVKI 1,
    /// // another PAN -> 3144.
    /// let pvk = VisaPvv::new(&TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?);
    /// let pvv = pvk.generate("2".parse()?, &Pin::from_digits(b"1912")?, &"1122334455667788".parse()?);
    /// assert_eq!(pvv.expose_secret(), b"3244");
    /// let pvv = pvk.generate("1".parse()?, &Pin::from_digits(b"0570")?, &"1122334455667718".parse()?);
    /// assert_eq!(pvv.expose_secret(), b"3144");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn generate(&self, pvki: Pvki, pin: &Pin, pan: &Pan) -> Pvv {
        let mut block = tsp(pvki, pin, pan);
        self.cipher.encrypt_block(&mut block);
        pvv_of(&block)
    }

    /// Whether `pvv` is the PVV of the clear `pin`, compared in constant
    /// time. (To check a PIN block without deciphering it yourself, use a
    /// [`PinVerifier`](crate::pin::PinVerifier).)
    ///
    /// ```
    /// use paykernel::card::{Pvv, VisaPvv};
    /// use paykernel::pin::Pin;
    /// use paykernel::TdesKey;
    ///
    /// // psec 1.3.0's tests: PIN 8299, PVKI 1 -> 4422.
    /// let pvk = VisaPvv::new(&TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?);
    /// let pan = "1122334455667708".parse()?;
    /// let pvv = Pvv::from_digits(b"4422")?;
    /// assert!(pvk.verify("1".parse()?, &Pin::from_digits(b"8299")?, &pan, &pvv));
    /// assert!(!pvk.verify("1".parse()?, &Pin::from_digits(b"8298")?, &pan, &pvv));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn verify(&self, pvki: Pvki, pin: &Pin, pan: &Pan, pvv: &Pvv) -> bool {
        bool::from(self.check(pvki, pin, pan, pvv))
    }

    /// [`VisaPvv::verify`] as a `Choice`.
    pub(crate) fn check(&self, pvki: Pvki, pin: &Pin, pan: &Pan, pvv: &Pvv) -> Choice {
        let mut block = tsp(pvki, pin, pan);
        self.cipher.encrypt_block(&mut block);
        matches_enciphered(&block, pvv)
    }

    /// The schedule, for verification in batches.
    pub(crate) fn cipher(&self) -> &TdesCipher {
        &self.cipher
    }
}

impl fmt::Debug for VisaPvv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VisaPvv").finish_non_exhaustive()
    }
}

/// The TSP of `pin` for this card: 11 PAN digits left of the check digit,
/// the PVKI and the PIN's 4 leftmost digits (a PIN has at least 4, so no
/// digit here depends on its secret length), packed. Wiped on drop.
pub(crate) fn tsp(pvki: Pvki, pin: &Pin, pan: &Pan) -> Zeroizing<[u8; 8]> {
    let mut digits = Zeroizing::new([0u8; 16]);
    let account = pan.rightmost_12_excluding_check();
    let pin_digits = (0..4).map(|i| pin.digit(i));
    let all = account
        .iter()
        .skip(1)
        .copied()
        .chain(core::iter::once(pvki.digit()))
        .chain(pin_digits);
    for (d, v) in digits.iter_mut().zip(all) {
        *d = v;
    }
    let mut out = Zeroizing::new([0u8; 8]);
    let (pairs, _) = digits.as_chunks::<2>();
    for (o, [hi, lo]) in out.iter_mut().zip(pairs) {
        *o = (hi << 4) | lo;
    }
    out
}

/// The PVV of an enciphered TSP.
fn pvv_of(enciphered: &[u8; 8]) -> Pvv {
    let mut digits = Zeroizing::new([0u8; 4]);
    decimalize(enciphered, &mut *digits);
    Pvv(SecretDigits::from_values(&*digits))
}

/// Whether `pvv` is the PVV of an enciphered TSP, in constant time.
pub(crate) fn matches_enciphered(enciphered: &[u8; 8], pvv: &Pvv) -> Choice {
    pvv_of(enciphered).ct_eq(pvv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::h;

    extern crate std;

    fn pvv(key: &str, pvki: &str, pin: &str, pan: &str) -> std::vec::Vec<u8> {
        VisaPvv::new(&TdesKey::from_slice(&h(key)).unwrap())
            .generate(
                pvki.parse().unwrap(),
                &Pin::from_digits(pin.as_bytes()).unwrap(),
                &pan.parse().unwrap(),
            )
            .expose_secret()
            .to_vec()
    }

    #[test]
    fn psec_values() {
        // psec 1.3.0 docstring and tests/test_pin.py
        // (card-verification-examples.json).
        let k = "0123456789ABCDEFFEDCBA9876543210";
        assert_eq!(pvv(k, "3", "4524", "1122334455667788"), b"4021");
        assert_eq!(pvv(k, "1", "4524", "1122334455667788"), b"8523");
        assert_eq!(pvv(k, "2", "1912", "1122334455667788"), b"3244");
        assert_eq!(pvv(k, "1", "0570", "1122334455667718"), b"3144");
        assert_eq!(pvv(k, "1", "8299", "1122334455667708"), b"4422");
        // Only the 4 leftmost PIN digits enter the PVV.
        assert_eq!(pvv(k, "3", "452499", "1122334455667788"), b"4021");
    }

    #[test]
    fn verify_accepts_the_psec_pvv_only() {
        // psec 1.3.0 tests/test_pin.py: PVKI 1, PIN 8299, PAN
        // 1122334455667708 give PVV 4422.
        let pvk =
            VisaPvv::new(&TdesKey::from_slice(&h("0123456789ABCDEFFEDCBA9876543210")).unwrap());
        let pan = "1122334455667708".parse().unwrap();
        let pvv = Pvv::from_digits(b"4422").unwrap();
        let pin = |p: &[u8]| Pin::from_digits(p).unwrap();
        assert!(pvk.verify("1".parse().unwrap(), &pin(b"8299"), &pan, &pvv));
        assert!(!pvk.verify("1".parse().unwrap(), &pin(b"8298"), &pan, &pvv));
        assert!(!pvk.verify("2".parse().unwrap(), &pin(b"8299"), &pan, &pvv));
        assert_eq!(std::format!("{pvk:?}"), "VisaPvv { .. }");
    }

    #[test]
    fn tsp_layout() {
        let pin = Pin::from_digits(b"4524").unwrap();
        // psec: pan[-12:-1] + pvki + pin.
        let t = tsp(
            "3".parse().unwrap(),
            &pin,
            &"1122334455667788".parse().unwrap(),
        );
        assert_eq!(t.to_vec(), h("3344556677834524"));
        // A 12-digit PAN: its 11 digits before the check digit.
        let t = tsp("0".parse().unwrap(), &pin, &"123456789012".parse().unwrap());
        assert_eq!(t.to_vec(), h("1234567890104524"));
        // A 19-digit PAN.
        let t = tsp(
            "9".parse().unwrap(),
            &pin,
            &"1234567890123456789".parse().unwrap(),
        );
        assert_eq!(t.to_vec(), h("8901234567894524"));
    }
}
