//! The primary account number (PAN) of a payment card.

use core::fmt;

use crate::Error;

/// A primary account number: 12 to 19 decimal digits (ISO/IEC 7812).
///
/// A PAN is cardholder data but not a key: the kernel lets it steer control
/// flow (its length picks a derivation option, for instance). The check
/// digit is not verified, since test PANs and some issuers' numbers do not
/// carry a valid Luhn digit.
///
/// ```
/// use paykernel::{Error, Pan};
/// let pan = Pan::from_digits(b"5432101234567891")?;
/// assert_eq!(pan.len(), 16);
/// assert_eq!(pan.digits(), [5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1]);
/// // ISO 9564-1 formats 0 and 3: the 12 rightmost digits without the
/// // check digit.
/// assert_eq!(pan.rightmost_12_excluding_check(), [2, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
/// // Printed masked (PCI DSS 3.4): first six and last four at most.
/// assert_eq!(pan.to_string(), "543210******7891");
/// assert_eq!(format!("{pan:?}"), "Pan(543210******7891)");
/// // From a string too; 12 to 19 digits only.
/// assert_eq!("5432101234567891".parse::<Pan>()?, pan);
/// assert_eq!(Pan::from_digits(b"54321012345").err(), Some(Error::InvalidPan));
/// assert_eq!(Pan::from_digits(b"5432-1012-3456-7891").err(), Some(Error::InvalidPan));
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pan {
    digits: [u8; 19],
    len: usize,
}

impl Pan {
    /// Parses a PAN from its ASCII digits.
    ///
    /// # Errors
    /// [`Error::InvalidPan`] unless `pan` is 12 to 19 ASCII digits.
    pub fn from_digits(pan: &[u8]) -> Result<Self, Error> {
        if !(12..=19).contains(&pan.len()) {
            return Err(Error::InvalidPan);
        }
        let mut digits = [0u8; 19];
        for (d, c) in digits.iter_mut().zip(pan) {
            if !c.is_ascii_digit() {
                return Err(Error::InvalidPan);
            }
            *d = c.wrapping_sub(b'0');
        }
        Ok(Pan {
            digits,
            len: pan.len(),
        })
    }

    /// The digits as values 0 to 9, most significant first.
    #[must_use]
    pub fn digits(&self) -> &[u8] {
        self.digits.get(..self.len).unwrap_or(&[])
    }

    /// The number of digits, 12 to 19.
    #[must_use]
    #[allow(clippy::len_without_is_empty, reason = "a PAN is never empty")]
    pub fn len(&self) -> usize {
        self.len
    }

    /// The 12 rightmost digits excluding the check digit, as ISO 9564-1
    /// formats 0 and 3 take them.
    #[must_use]
    pub fn rightmost_12_excluding_check(&self) -> [u8; 12] {
        let mut out = [0u8; 12];
        // len >= 12, so len - 13 .. len - 1 is in range unless len == 12,
        // where ISO 9564-1 pads with one leading zero.
        let end = self.len.saturating_sub(1);
        let start = end.saturating_sub(12);
        let src = self.digits.get(start..end).unwrap_or(&[]);
        let skip = 12usize.saturating_sub(src.len());
        for (o, d) in out.iter_mut().skip(skip).zip(src) {
            *o = *d;
        }
        out
    }
}

impl Pan {
    /// How many leading digits [`Pan`]'s `Display` shows: the first six
    /// (the issuer identification number, as PCI DSS 3.4 allows at most),
    /// fewer for PANs under 16 digits so that at least six digits stay
    /// hidden (a 12-digit PAN shows its first 2).
    const fn shown_head(&self) -> usize {
        let h = self.len.saturating_sub(10);
        if h > 6 { 6 } else { h }
    }

    /// The full PAN, for the places that must write it out (a message to
    /// the issuer, a file the caller protects). `Display` and `Debug` of a
    /// [`Pan`] mask it; this is the one explicit way to all its digits.
    ///
    /// ```
    /// let pan: paykernel::Pan = "4012345678909".parse()?;
    /// assert_eq!(pan.to_string(), "401******8909");
    /// assert_eq!(pan.reveal().to_string(), "4012345678909");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn reveal(&self) -> RevealedPan<'_> {
        RevealedPan(self)
    }
}

/// Every digit of a [`Pan`], from [`Pan::reveal`].
#[derive(Clone, Copy)]
pub struct RevealedPan<'a>(&'a Pan);

impl fmt::Display for RevealedPan<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.0.digits() {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for RevealedPan<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RevealedPan(..)")
    }
}

impl fmt::Debug for Pan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pan(")?;
        fmt::Display::fmt(self, f)?;
        f.write_str(")")
    }
}

/// Masked, as PCI DSS requirement 3.4 asks of a displayed PAN: at most the
/// first six and the last four digits, `*` for the others (see
/// [`Pan::reveal`] for the full number).
impl fmt::Display for Pan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head = self.shown_head();
        let tail_from = self.len.saturating_sub(4);
        for (i, d) in self.digits().iter().enumerate() {
            if i < head || i >= tail_from {
                write!(f, "{d}")?;
            } else {
                f.write_str("*")?;
            }
        }
        Ok(())
    }
}

impl core::str::FromStr for Pan {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Pan::from_digits(s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        let p: Pan = "4012345678909".parse().unwrap();
        assert_eq!(p.len(), 13);
        assert_eq!(p.digits(), &[4, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 9]);
        for bad in [
            "",
            "12345678901",
            "12345678901234567890",
            "40123456789O9",
            "4012345678909 ",
            "+401234567890",
        ] {
            assert_eq!(bad.parse::<Pan>().err(), Some(Error::InvalidPan), "{bad:?}");
        }
        assert!("123456789012".parse::<Pan>().is_ok());
        assert!("1234567890123456789".parse::<Pan>().is_ok());
    }

    #[test]
    fn printed_masked_at_most_first_six_last_four() {
        extern crate std;
        use std::{format, string::ToString};
        let cases = [
            ("123456789012", "12******9012"),
            ("4012345678909", "401******8909"),
            ("401234567890123", "40123******0123"),
            ("5237481234567895", "523748******7895"),
            ("1234567890123456789", "123456*********6789"),
        ];
        for (digits, masked) in cases {
            let pan: Pan = digits.parse().unwrap();
            assert_eq!(pan.to_string(), masked);
            assert_eq!(format!("{pan:?}"), format!("Pan({masked})"));
            assert_eq!(pan.reveal().to_string(), digits);
            assert_eq!(format!("{:?}", pan.reveal()), "RevealedPan(..)");
            let hidden = masked.bytes().filter(|&c| c == b'*').count();
            assert!(hidden >= 6, "{masked}");
        }
    }

    #[test]
    fn rightmost_12() {
        // ISO 9564-1 format 0: PAN 4012345678909 -> 0 0 0 0 1234 5678 90 ...
        // the 12 digits left of the check digit 9 are 012345678909 -> "401234567890".
        let p: Pan = "4012345678909".parse().unwrap();
        assert_eq!(
            p.rightmost_12_excluding_check(),
            [4, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0]
        );
        // A 12-digit PAN has only 11 digits before the check digit: one
        // leading zero.
        let p: Pan = "123456789012".parse().unwrap();
        assert_eq!(
            p.rightmost_12_excluding_check(),
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]
        );
        let p: Pan = "5237481234567895".parse().unwrap();
        assert_eq!(
            p.rightmost_12_excluding_check(),
            [7, 4, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        );
    }
}
