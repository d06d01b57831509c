//! IBM 3624 PIN generation and verification: the natural PIN, the offset
//! of a customer-selected PIN, and the PIN from an offset (IBM CCA "3624
//! PIN Verification algorithm"; psec 1.3.0 `generate_ibm3624_pin` and
//! `generate_ibm3624_offset`; docs/vectors.md "Card and PIN verification").
//!
//! - Validation data: `length` PAN digits from position `offset` (0 = the
//!   leftmost), right-padded to 16 hexadecimal digits with `pad`.
//! - Natural PIN: TDES(PVK, validation data), each of its 16 hexadecimal
//!   digits replaced by that entry of the decimalization table; its
//!   leftmost N digits, N the PIN's (or the offset's) length.
//! - Offset = PIN − natural PIN, and PIN = natural PIN + offset, digit by
//!   digit modulo 10, without carries.
//!
//! The PAN and the validation-data parameters are public. The enciphered
//! validation data, the natural PIN, the PIN and the offset are secret:
//! the table lookup scans the table, and the digit arithmetic uses masks,
//! never division.

use core::fmt;

use subtle::Choice;
use zeroize::Zeroizing;

use super::decimal::{DecimalizationTable, add_mod10, eq, sub_mod10};
use super::digits::{Ibm3624Pin, Offset, SecretDigits};
use crate::cipher::TdesCipher;
use crate::pin::Pin;
use crate::{Error, Pan, TdesKey};

/// Which PAN digits form the IBM 3624 validation data, and the pad that
/// fills it to 16 hexadecimal digits. Public parameters, fixed per card
/// range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ValidationData {
    start: u8,
    length: u8,
    pad: u8,
}

impl ValidationData {
    /// `length` PAN digits from position `pan_offset` (0 = the leftmost
    /// digit), padded on the right with the hexadecimal digit `pad`
    /// (ASCII, either case).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a `length` outside 1 to 16, or digits
    /// that would run past the end of the longest PAN (19 digits);
    /// [`Error::InvalidDigits`] when `pad` is not a hexadecimal digit.
    ///
    /// # Example
    /// ```
    /// use paykernel::card::ValidationData;
    /// use paykernel::{Error, Pan};
    ///
    /// let v = ValidationData::new(1, 14, b'1')?;
    /// let pan: Pan = "1122334455667788".parse()?;
    /// assert_eq!(v.block(&pan)?, [0x12, 0x23, 0x34, 0x45, 0x56, 0x67, 0x78, 0x11]);
    /// // 14 digits from position 3 run past a 16-digit PAN.
    /// let far = ValidationData::new(3, 14, b'F')?;
    /// assert_eq!(far.block(&pan), Err(Error::InvalidLength));
    /// assert_eq!(ValidationData::new(0, 17, b'F'), Err(Error::InvalidLength));
    /// assert_eq!(ValidationData::new(0, 16, b'G'), Err(Error::InvalidDigits));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn new(pan_offset: usize, length: usize, pad: u8) -> Result<ValidationData, Error> {
        if !(1..=16).contains(&length) || pan_offset.saturating_add(length) > 19 {
            return Err(Error::InvalidLength);
        }
        let pad = match pad {
            b'0'..=b'9' => pad.wrapping_sub(b'0'),
            b'A'..=b'F' => pad.wrapping_sub(b'A').wrapping_add(10),
            b'a'..=b'f' => pad.wrapping_sub(b'a').wrapping_add(10),
            _ => return Err(Error::InvalidDigits),
        };
        Ok(ValidationData {
            start: u8::try_from(pan_offset).map_err(|_| Error::InvalidLength)?,
            length: u8::try_from(length).map_err(|_| Error::InvalidLength)?,
            pad,
        })
    }

    /// The position of the first PAN digit taken (0 = the leftmost).
    ///
    /// ```
    /// use paykernel::card::ValidationData;
    /// // Digits 4 to 15 of the PAN, padded with D.
    /// let v = ValidationData::new(4, 12, b'D')?;
    /// assert_eq!((v.pan_offset(), v.length(), v.pad()), (4, 12, 0xD));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn pan_offset(&self) -> usize {
        usize::from(self.start)
    }

    /// How many PAN digits are taken, 1 to 16.
    #[must_use]
    pub fn length(&self) -> usize {
        usize::from(self.length)
    }

    /// The pad nibble, 0 to 15.
    #[must_use]
    pub fn pad(&self) -> u8 {
        self.pad
    }

    /// The 8-byte validation data for `pan`.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when the digits run past the end of `pan`.
    pub fn block(&self, pan: &Pan) -> Result<[u8; 8], Error> {
        let start = usize::from(self.start);
        let end = start.saturating_add(usize::from(self.length));
        let taken = pan.digits().get(start..end).ok_or(Error::InvalidLength)?;
        let mut digits = [self.pad; 16];
        for (d, v) in digits.iter_mut().zip(taken) {
            *d = *v;
        }
        let mut out = [0u8; 8];
        let (pairs, _) = digits.as_chunks::<2>();
        for (o, [hi, lo]) in out.iter_mut().zip(pairs) {
            *o = (hi << 4) | lo;
        }
        Ok(out)
    }
}

/// The IBM 3624 method of one card range: the PIN verification key's
/// schedule (8, 16 or 24 bytes), the decimalization table and the
/// validation-data rule, bound together once.
///
/// Binding the table here, at configuration, is the kernel's answer to
/// decimalization-table attacks beyond refusing bad tables: the calls
/// that generate or verify take no table, so a caller who can only make
/// them cannot choose one (see [`crate::card`]).
///
/// # Example
/// psec 1.3.0's `generate_ibm3624_pin` / `generate_ibm3624_offset`
/// docstrings: PIN 4524 is the natural PIN of PAN 1122334455667788 under
/// PVK `0123456789ABCDEF` ‖ `FEDCBA9876543210`, table `1234567890123456`,
/// all 16 PAN digits padded with F; PIN 1234 has offset 7710.
/// ```
/// use paykernel::card::{DecimalizationTable, Ibm3624, Ibm3624Pin, Offset, ValidationData};
/// use paykernel::{Pan, TdesKey};
///
/// let method = Ibm3624::new(
///     &TdesKey::from_slice(&[
///         0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
///         0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
///     ])?,
///     "1234567890123456".parse()?,
///     ValidationData::new(0, 16, b'F')?,
/// );
/// let pan: Pan = "1122334455667788".parse()?;
/// let offset = method.offset(&Ibm3624Pin::from_digits(b"1234")?, &pan)?;
/// assert_eq!(offset.expose_secret(), b"7710");
/// let natural = method.pin(&Offset::from_digits(b"0000")?, &pan)?;
/// assert_eq!(natural.expose_secret(), b"4524");
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct Ibm3624 {
    cipher: TdesCipher,
    table: DecimalizationTable,
    validation: ValidationData,
}

impl Ibm3624 {
    /// The method with this PVK, table and validation-data rule.
    #[must_use]
    pub fn new(pvk: &TdesKey, table: DecimalizationTable, validation: ValidationData) -> Ibm3624 {
        Ibm3624 {
            cipher: TdesCipher::new(pvk),
            table,
            validation,
        }
    }

    /// The decimalization table bound to this method.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::card::{Ibm3624, ValidationData};
    /// let method = Ibm3624::new(
    ///     &TdesKey::from_slice(&[0x11; 16])?,
    ///     "0123456789012345".parse()?,
    ///     ValidationData::new(0, 16, b'F')?,
    /// );
    /// assert_eq!(method.table().digits()[10..], [0, 1, 2, 3, 4, 5]);
    /// assert_eq!(method.validation().length(), 16);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn table(&self) -> &DecimalizationTable {
        &self.table
    }

    /// The validation-data rule bound to this method.
    #[must_use]
    pub fn validation(&self) -> &ValidationData {
        &self.validation
    }

    /// Issuer side (customer-selected PIN): the offset that turns this
    /// card's natural PIN into `pin`. It has as many digits as the PIN.
    ///
    /// ```
    /// use paykernel::card::{Ibm3624, Ibm3624Pin, ValidationData};
    /// use paykernel::{Pan, TdesKey};
    ///
    /// // psec 1.3.0's tests: 14 PAN digits from the second, padded with 1,
    /// // make natural PIN 3675 (offset 0000); PIN 5635 under the whole PAN
    /// // padded with F has offset 1111.
    /// let pvk = TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?;
    /// let pan: Pan = "1122334455667788".parse()?;
    /// let m = Ibm3624::new(&pvk, "1234567890123456".parse()?, ValidationData::new(1, 14, b'1')?);
    /// assert_eq!(m.offset(&Ibm3624Pin::from_digits(b"3675")?, &pan)?.expose_secret(), b"0000");
    /// let m = Ibm3624::new(&pvk, "1234567890123456".parse()?, ValidationData::new(0, 16, b'F')?);
    /// assert_eq!(m.offset(&Ibm3624Pin::from_digits(b"5635")?, &pan)?.expose_secret(), b"1111");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when the validation data runs past the end
    /// of `pan`.
    pub fn offset(&self, pin: &Ibm3624Pin, pan: &Pan) -> Result<Offset, Error> {
        let natural = self.natural(pan)?;
        let mut values = Zeroizing::new([0u8; 16]);
        for (i, (v, n)) in values.iter_mut().zip(natural.iter()).enumerate() {
            *v = sub_mod10(pin.0.value(i), *n);
        }
        Ok(Offset(SecretDigits::from_values_masked(
            &values,
            pin.0.count(),
        )))
    }

    /// Issuer side (PIN issuance, PIN mailers): the PIN that `offset`
    /// gives for this card: the natural PIN plus the offset. With an
    /// offset of zeros this is the natural PIN itself.
    ///
    /// ```
    /// use paykernel::card::{Ibm3624, Offset, ValidationData};
    /// use paykernel::TdesKey;
    ///
    /// // psec 1.3.0's tests: 14 PAN digits from the third, padded with 1:
    /// // natural PIN 5550.
    /// let m = Ibm3624::new(
    ///     &TdesKey::from_slice(&[
    ///         0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///         0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    ///     ])?,
    ///     "1234567890123456".parse()?,
    ///     ValidationData::new(2, 14, b'1')?,
    /// );
    /// let pin = m.pin(&Offset::from_digits(b"0000")?, &"1122334455667788".parse()?)?;
    /// assert_eq!(pin.expose_secret(), b"5550");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when the validation data runs past the end
    /// of `pan`.
    pub fn pin(&self, offset: &Offset, pan: &Pan) -> Result<Ibm3624Pin, Error> {
        let natural = self.natural(pan)?;
        let mut values = Zeroizing::new([0u8; 16]);
        for (i, (v, n)) in values.iter_mut().zip(natural.iter()).enumerate() {
            *v = add_mod10(*n, offset.0.value(i));
        }
        Ok(Ibm3624Pin(SecretDigits::from_values_masked(
            &values,
            offset.0.count(),
        )))
    }

    /// Whether the clear `pin` has as many digits as `offset` and `offset`
    /// is its offset, in constant time, as a [`Choice`] (`bool::from` it;
    /// a `Result<bool, _>` would hold the answer in its `Ok`/`Err` byte).
    /// (To check a PIN block, use a [`PinVerifier`](crate::pin::PinVerifier).)
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when the validation data runs past the end
    /// of `pan`.
    ///
    /// # Example
    /// psec 1.3.0: PIN 5635 has offset 1111 (the natural PIN is 4524).
    /// ```
    /// use paykernel::card::{Ibm3624, Offset, ValidationData};
    /// use paykernel::pin::Pin;
    /// use paykernel::{Pan, TdesKey};
    ///
    /// let m = Ibm3624::new(
    ///     &TdesKey::from_slice(&[
    ///         0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///         0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    ///     ])?,
    ///     "1234567890123456".parse()?,
    ///     ValidationData::new(0, 16, b'F')?,
    /// );
    /// let pan: Pan = "1122334455667788".parse()?;
    /// let offset = Offset::from_digits(b"1111")?;
    /// assert!(bool::from(m.verify(&Pin::from_digits(b"5635")?, &pan, &offset)?));
    /// assert!(!bool::from(m.verify(&Pin::from_digits(b"56350")?, &pan, &offset)?));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn verify(&self, pin: &Pin, pan: &Pan, offset: &Offset) -> Result<Choice, Error> {
        let mut block = Zeroizing::new(self.validation.block(pan)?);
        self.cipher.encrypt_block(&mut block);
        Ok(self.matches_enciphered(&block, pin, offset))
    }

    /// Whether `pin` matches `offset` given the enciphered validation data.
    /// The PIN's length is secret: it is compared with the offset's
    /// (public) length by mask, and the digits are compared over the
    /// offset's length whatever the PIN's.
    pub(crate) fn matches_enciphered(
        &self,
        enciphered: &[u8; 8],
        pin: &Pin,
        offset: &Offset,
    ) -> Choice {
        let natural = self.table.map_block(enciphered);
        let n = usize::from(offset.0.count());
        let mut ok = eq(pin.digit_count(), offset.0.count());
        for (i, nat) in natural.iter().enumerate().take(n) {
            ok &= eq(sub_mod10(pin.digit(i), *nat), offset.0.value(i));
        }
        Choice::from(ok & 1)
    }

    /// The schedule, for verification in batches.
    pub(crate) fn cipher(&self) -> &TdesCipher {
        &self.cipher
    }

    /// The 16 natural-PIN digits of `pan`.
    fn natural(&self, pan: &Pan) -> Result<Zeroizing<[u8; 16]>, Error> {
        let mut block = Zeroizing::new(self.validation.block(pan)?);
        self.cipher.encrypt_block(&mut block);
        Ok(self.table.map_block(&block))
    }
}

impl fmt::Debug for Ibm3624 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ibm3624")
            .field("table", &self.table)
            .field("validation", &self.validation)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::h;

    extern crate std;
    use std::vec::Vec;

    const PVK: &str = "0123456789ABCDEFFEDCBA9876543210";

    fn method(table: &str, start: usize, len: usize, pad: u8) -> Ibm3624 {
        Ibm3624::new(
            &TdesKey::from_slice(&h(PVK)).unwrap(),
            table.parse().unwrap(),
            ValidationData::new(start, len, pad).unwrap(),
        )
    }

    fn pin_of(m: &Ibm3624, offset: &str, pan: &str) -> Vec<u8> {
        m.pin(
            &Offset::from_digits(offset.as_bytes()).unwrap(),
            &pan.parse().unwrap(),
        )
        .unwrap()
        .expose_secret()
        .to_vec()
    }

    fn offset_of(m: &Ibm3624, pin: &str, pan: &str) -> Vec<u8> {
        m.offset(
            &Ibm3624Pin::from_digits(pin.as_bytes()).unwrap(),
            &pan.parse().unwrap(),
        )
        .unwrap()
        .expose_secret()
        .to_vec()
    }

    #[test]
    fn psec_values() {
        // psec 1.3.0 docstrings and tests/test_pin.py
        // (card-verification-examples.json).
        let pan = "1122334455667788";
        let m = method("1234567890123456", 0, 16, b'F');
        assert_eq!(pin_of(&m, "0000", pan), b"4524");
        assert_eq!(pin_of(&m, "1111", pan), b"5635");
        assert_eq!(pin_of(&m, "7710", pan), b"1234");
        assert_eq!(offset_of(&m, "4524", pan), b"0000");
        assert_eq!(offset_of(&m, "5635", pan), b"1111");
        assert_eq!(offset_of(&m, "1234", pan), b"7710");
        let m = method("1234567890123456", 0, 14, b'f');
        assert_eq!(pin_of(&m, "0000", pan), b"5518");
        let m = method("1234567890123456", 1, 14, b'1');
        assert_eq!(pin_of(&m, "0000", pan), b"3675");
        let m = method("1234567890123456", 2, 14, b'1');
        assert_eq!(pin_of(&m, "0000", pan), b"5550");
    }

    #[test]
    fn validation_data() {
        let pan: Pan = "1122334455667788".parse().unwrap();
        let v = ValidationData::new(0, 16, b'F').unwrap();
        assert_eq!(v.block(&pan).unwrap().to_vec(), h("1122334455667788"));
        let v = ValidationData::new(2, 14, b'1').unwrap();
        assert_eq!(v.block(&pan).unwrap().to_vec(), h("2233445566778811"));
        let v = ValidationData::new(15, 1, b'a').unwrap();
        assert_eq!(v.block(&pan).unwrap().to_vec(), h("8AAAAAAAAAAAAAAA"));
        // Past the PAN's end.
        let v = ValidationData::new(16, 1, b'F').unwrap();
        assert_eq!(v.block(&pan), Err(Error::InvalidLength));
        let v = ValidationData::new(3, 16, b'F').unwrap();
        assert_eq!(v.block(&pan), Err(Error::InvalidLength));
        let long: Pan = "1234567890123456789".parse().unwrap();
        assert_eq!(v.block(&long).unwrap().to_vec(), h("4567890123456789"));
        for (start, len) in [(0usize, 0usize), (0, 17), (4, 16), (19, 1), (usize::MAX, 1)] {
            assert_eq!(
                ValidationData::new(start, len, b'F'),
                Err(Error::InvalidLength),
                "{start} {len}"
            );
        }
        for pad in [b'G', b'g', b' ', b'/', b':', b'@', 0] {
            assert_eq!(ValidationData::new(0, 16, pad), Err(Error::InvalidDigits));
        }
    }

    #[test]
    fn validation_data_keeps_its_rule() {
        // The rule as IBM CCA's PIN-generation data states it: start
        // position, length, pad character (a hex digit as its value).
        for (start, len, pad, value) in [
            (0usize, 16usize, b'F', 15u8),
            (2, 14, b'1', 1),
            (15, 1, b'a', 10),
            (3, 16, b'0', 0),
        ] {
            let v = ValidationData::new(start, len, pad).unwrap();
            assert_eq!((v.pan_offset(), v.length(), v.pad()), (start, len, value));
        }
    }

    #[test]
    fn debug_shows_the_table_and_rule_not_the_key() {
        let m = method("0123456789012345", 2, 14, b'1');
        let text = std::format!("{m:?}");
        assert!(
            text.starts_with("Ibm3624 { table: DecimalizationTable(0123456789012345)"),
            "{text}"
        );
        assert!(
            text.contains("validation") && text.ends_with(", .. }"),
            "{text}"
        );
        assert!(
            !text.contains(&PVK[8..20]) && !text.contains("key"),
            "{text}"
        );
    }

    #[test]
    fn verify_needs_the_offset_length() {
        let m = method("1234567890123456", 0, 16, b'F');
        let pan: Pan = "1122334455667788".parse().unwrap();
        let off = |s: &str| Offset::from_digits(s.as_bytes()).unwrap();
        let pin = |s: &str| Pin::from_digits(s.as_bytes()).unwrap();
        assert!(bool::from(
            m.verify(&pin("1234"), &pan, &off("7710")).unwrap()
        ));
        assert!(!bool::from(
            m.verify(&pin("1235"), &pan, &off("7710")).unwrap()
        ));
        // The PIN 12340's first four digits match, but it has five.
        assert!(!bool::from(
            m.verify(&pin("12340"), &pan, &off("7710")).unwrap()
        ));
        assert!(!bool::from(
            m.verify(&pin("1234"), &pan, &off("77100")).unwrap()
        ));
        // Offsets longer than any ISO 9564 PIN never match.
        assert!(!bool::from(
            m.verify(&pin("123456789012"), &pan, &off("7710000000000000"))
                .unwrap()
        ));
    }

    #[test]
    fn long_pins_and_offsets_round_trip() {
        let m = method("9081726354908172", 0, 16, b'F');
        let pan = "5237481234567895";
        for n in 4..=16 {
            let digits = &"3141592653589793"[..n];
            let off = offset_of(&m, digits, pan);
            assert_eq!(off.len(), n);
            assert_eq!(
                pin_of(&m, core::str::from_utf8(&off).unwrap(), pan),
                digits.as_bytes()
            );
        }
    }
}
