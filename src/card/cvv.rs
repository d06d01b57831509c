//! Card verification values: CVV / CVC (magnetic stripe), CVV2 / CVC2
//! (printed on the card) and iCVV / chip CVC (the chip's track 2 image).
//! One algorithm (Visa and Mastercard share it); the three differ only in
//! the service code fed in: the card's own, `000`, `999`.

use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::decimal::decimalize;
use super::digits::{Cvv, Expiry, SecretDigits, ServiceCode};
use crate::cipher::TdesCipher;
use crate::{Error, Pan, TdesKey, TdesKeyLength};

/// A card verification key (CVK, the key pair "CVK A ‖ CVK B" of the HSM
/// manuals): a 16-byte TDES key whose schedule is made once and reused.
///
/// CVV = the first 3 decimalized digits of TDES(CVK, DES(CVK A, D1) ⊕ D2),
/// where D1 ‖ D2 is PAN ‖ expiry ‖ service code right-padded with zeros to
/// 32 digits (16 bytes of BCD), and decimalization takes the block's
/// decimal digits left to right, then its digits A–F minus 10.
///
/// # Example
/// The classic Visa example: PAN 4123456789012345, expiry 8701, service
/// code 101 under CVK `0123456789ABCDEF` ‖ `FEDCBA9876543210` gives 561.
/// ```
/// use paykernel::card::{Cvk, Cvv, Expiry, ServiceCode};
/// use paykernel::{Pan, TdesKey};
///
/// let cvk = Cvk::new(&TdesKey::from_slice(&[
///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
/// ])?)?;
/// let pan: Pan = "4123456789012345".parse()?;
/// let expiry: Expiry = "8701".parse()?;
/// let service_code: ServiceCode = "101".parse()?;
/// let cvv = cvk.generate(&pan, &expiry, &service_code);
/// assert_eq!(cvv.expose_secret(), b"561");
/// assert!(cvk.verify(&pan, &expiry, &service_code, &Cvv::from_digits(b"561")?));
/// assert!(!cvk.verify(&pan, &expiry, &service_code, &Cvv::from_digits(b"562")?));
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct Cvk {
    cipher: TdesCipher,
}

impl Cvk {
    /// The CVK's key schedule.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless `key` is a 16-byte (two-key) TDES key.
    pub fn new(key: &TdesKey) -> Result<Cvk, Error> {
        if key.length() != TdesKeyLength::Double {
            return Err(Error::InvalidKey);
        }
        Ok(Cvk {
            cipher: TdesCipher::new(key),
        })
    }

    /// Issuer side (personalisation): the card verification value for
    /// these card data. Use [`ServiceCode::CVV2`] for the CVV2 / CVC2 and
    /// [`ServiceCode::ICVV`] for the iCVV / chip CVC.
    ///
    /// ```
    /// use paykernel::card::Cvk;
    /// use paykernel::TdesKey;
    ///
    /// // psec 1.3.0's generate_cvv docstring: 170.
    /// let cvk = Cvk::new(&TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?)?;
    /// let cvv = cvk.generate(&"1234567890123456".parse()?, &"9912".parse()?, &"220".parse()?);
    /// assert_eq!(cvv.expose_secret(), b"170");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn generate(&self, pan: &Pan, expiry: &Expiry, service_code: &ServiceCode) -> Cvv {
        let mut digits = Zeroizing::new([0u8; 3]);
        self.compute(pan, expiry, service_code, &mut digits);
        Cvv(SecretDigits::from_values(&*digits))
    }

    /// Issuer side (authorisation): whether `cvv` is the card verification
    /// value of these card data. The expected value is computed and
    /// compared in constant time; the answer goes back without a branch.
    ///
    /// ```
    /// use paykernel::card::{Cvk, Cvv};
    /// use paykernel::TdesKey;
    ///
    /// // psec 1.3.0's tests: CVV 361.
    /// let cvk = Cvk::new(&TdesKey::from_slice(&[
    ///     0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99,
    ///     0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88,
    /// ])?)?;
    /// let (pan, expiry, sc) = ("2222222222222222".parse()?, "3333".parse()?, "111".parse()?);
    /// assert!(cvk.verify(&pan, &expiry, &sc, &Cvv::from_digits(b"361")?));
    /// assert!(!cvk.verify(&pan, &expiry, &sc, &Cvv::from_digits(b"316")?));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn verify(
        &self,
        pan: &Pan,
        expiry: &Expiry,
        service_code: &ServiceCode,
        cvv: &Cvv,
    ) -> bool {
        let expected = self.generate(pan, expiry, service_code);
        bool::from(expected.ct_eq(cvv))
    }

    /// The 3 CVV digits (values 0 to 9) into `out`.
    fn compute(&self, pan: &Pan, expiry: &Expiry, service_code: &ServiceCode, out: &mut [u8; 3]) {
        let [mut d1, d2] = cvv_input(pan, expiry, service_code);
        self.cipher.encrypt_block_k1(&mut d1);
        for (a, b) in d1.iter_mut().zip(d2) {
            *a ^= b;
        }
        self.cipher.encrypt_block(&mut d1);
        let block = Zeroizing::new(d1);
        decimalize(&block, out);
    }
}

impl fmt::Debug for Cvk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cvk").finish_non_exhaustive()
    }
}

/// D1 and D2: PAN ‖ expiry ‖ service code, right-padded with zeros to 32
/// digits, packed two digits a byte. Public card data only.
fn cvv_input(pan: &Pan, expiry: &Expiry, service_code: &ServiceCode) -> [[u8; 8]; 2] {
    let mut digits = [0u8; 32];
    let all = pan
        .digits()
        .iter()
        .chain(expiry.digits())
        .chain(service_code.digits());
    for (d, v) in digits.iter_mut().zip(all) {
        *d = *v;
    }
    let mut out = [[0u8; 8]; 2];
    let (pairs, _) = digits.as_chunks::<2>();
    for (o, [hi, lo]) in out.as_flattened_mut().iter_mut().zip(pairs) {
        *o = (hi << 4) | lo;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::h;

    fn cvv(key: &str, pan: &str, exp: &str, sc: &str) -> std::vec::Vec<u8> {
        extern crate std;
        let cvk = Cvk::new(&TdesKey::from_slice(&h(key)).unwrap()).unwrap();
        cvk.generate(
            &pan.parse().unwrap(),
            &exp.parse().unwrap(),
            &sc.parse().unwrap(),
        )
        .expose_secret()
        .to_vec()
    }

    extern crate std;

    #[test]
    fn published_values() {
        // The classic Visa CVV example (card-verification-examples.json).
        assert_eq!(
            cvv(
                "0123456789ABCDEFFEDCBA9876543210",
                "4123456789012345",
                "8701",
                "101"
            ),
            b"561"
        );
        // psec 1.3.0 generate_cvv docstring and tests/test_cvv.py.
        assert_eq!(
            cvv(
                "0123456789ABCDEFFEDCBA9876543210",
                "1234567890123456",
                "9912",
                "220"
            ),
            b"170"
        );
        assert_eq!(
            cvv(
                "99999999999999998888888888888888",
                "2222222222222222",
                "3333",
                "111"
            ),
            b"361"
        );
    }

    #[test]
    fn input_blocks() {
        // 19-digit PAN: 26 digits, then 6 zeros.
        let [d1, d2] = cvv_input(
            &"1234567890123456789".parse().unwrap(),
            &"2512".parse().unwrap(),
            &"999".parse().unwrap(),
        );
        assert_eq!(d1.to_vec(), h("1234567890123456"));
        assert_eq!(d2.to_vec(), h("7892512999000000"));
        // 12-digit PAN.
        let [d1, d2] = cvv_input(
            &"123456789012".parse().unwrap(),
            &"0101".parse().unwrap(),
            &"000".parse().unwrap(),
        );
        assert_eq!(d1.to_vec(), h("1234567890120101"));
        assert_eq!(d2.to_vec(), h("0000000000000000"));
    }

    #[test]
    fn refusals_and_verify() {
        for n in [8usize, 24] {
            let k = TdesKey::from_slice(&[0x5A; 24][..n]).unwrap();
            assert_eq!(Cvk::new(&k).err(), Some(Error::InvalidKey));
        }
        let cvk = Cvk::new(&TdesKey::from_slice(&h("0123456789ABCDEFFEDCBA9876543210")).unwrap())
            .unwrap();
        let pan: Pan = "4123456789012345".parse().unwrap();
        let e: Expiry = "8701".parse().unwrap();
        let sc: ServiceCode = "101".parse().unwrap();
        for (c, want) in [
            ("561", true),
            ("560", false),
            ("651", false),
            ("000", false),
        ] {
            assert_eq!(
                cvk.verify(&pan, &e, &sc, &Cvv::from_digits(c.as_bytes()).unwrap()),
                want
            );
        }
        assert_eq!(std::format!("{cvk:?}"), "Cvk { .. }");
    }
}
