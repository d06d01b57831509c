//! The digit strings of card and PIN verification: public card data
//! ([`Expiry`], [`ServiceCode`], [`Pvki`]) and the values that are checked
//! or must stay secret ([`Cvv`], [`Cvc3`], [`Pvv`], [`Offset`],
//! [`Ibm3624Pin`]).
//!
//! Every type is made only through a constructor that checks it. The
//! public ones are plain `Copy` values. The others hold their ASCII digits
//! in a fixed buffer wiped on drop, print as `Cvv { .. }`, have no `Copy`,
//! `Clone`, `Display` or `PartialEq`, and compare with
//! [`ConstantTimeEq`]: a CVV or a PVV is what an attacker wants to guess,
//! and an IBM 3624 PIN is a PIN. Their length is public (the length of the
//! caller's slice); their digits are checked without a branch on any of
//! them, and refused in the kernel's one verdict.

use core::fmt;
use core::str::FromStr;

use subtle::{Choice, ConstantTimeEq, ConstantTimeLess};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::decimal::lt;
use crate::Error;
use crate::ct::verdict;
use crate::pin::Pin;

/// Up to `N` ASCII digits and how many there are, zeros past the end;
/// wiped on drop. The shared body of the secret digit types.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct SecretDigits<const N: usize> {
    ascii: [u8; N],
    len: u8,
}

impl<const N: usize> SecretDigits<N> {
    /// `digits` (ASCII) when it has `min..=N` characters, all decimal
    /// digits; else `err`. The count is public; the digits are checked in
    /// constant time and refused through the one verdict.
    fn parse(digits: &[u8], min: usize, err: Error) -> Result<Self, Error> {
        if digits.len() < min || digits.len() > N {
            return Err(err);
        }
        let mut out = SecretDigits {
            ascii: [0; N],
            len: u8::try_from(digits.len()).map_err(|_| err)?,
        };
        let mut ok = Choice::from(1);
        for (d, c) in out.ascii.iter_mut().zip(digits) {
            ok &= c.wrapping_sub(b'0').ct_lt(&10);
            *d = *c;
        }
        verdict(out, ok, err)
    }

    /// Digits from values 0 to 9 (computed by the kernel); the count,
    /// `values.len()` (at most `N`), is public.
    pub(crate) fn from_values(values: &[u8]) -> Self {
        let mut out = SecretDigits {
            ascii: [0; N],
            len: 0,
        };
        for (d, v) in out.ascii.iter_mut().zip(values) {
            *d = v | b'0';
            out.len = out.len.wrapping_add(1);
        }
        out
    }

    /// Digits from values 0 to 9, of which the first `len` count; `len`
    /// may be secret (it only masks, never steers).
    pub(crate) fn from_values_masked(values: &[u8; N], len: u8) -> Self {
        let mut out = SecretDigits { ascii: [0; N], len };
        for (i, (d, v)) in (0u8..).zip(out.ascii.iter_mut().zip(values)) {
            *d = (v | b'0') & lt(i, len);
        }
        out
    }

    /// The value (0 to 9) of digit `i`, 0 past the end. `i` is public.
    pub(crate) fn value(&self, i: usize) -> u8 {
        self.ascii.get(i).map_or(0, |c| c & 0x0F)
    }

    /// The number of digits.
    pub(crate) fn count(&self) -> u8 {
        self.len
    }

    fn expose(&self) -> &[u8] {
        self.ascii.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

impl<const N: usize> ConstantTimeEq for SecretDigits<N> {
    fn ct_eq(&self, other: &Self) -> Choice {
        // Zeros past the end on both sides: all N bytes and the counts.
        self.len.ct_eq(&other.len) & self.ascii.ct_eq(&other.ascii)
    }
}

/// Defines a secret digit type over [`SecretDigits`].
macro_rules! secret_digits {
    (
        $(#[$meta:meta])*
        $name:ident, $min:literal ..= $max:literal, $err:ident, $ok:literal, $bad:literal
    ) => {
        $(#[$meta])*
        #[derive(Zeroize, ZeroizeOnDrop)]
        pub struct $name(pub(crate) SecretDigits<$max>);

        impl $name {
            /// The fewest digits.
            pub const MIN_DIGITS: usize = $min;
            /// The most digits.
            pub const MAX_DIGITS: usize = $max;

            #[doc = concat!(
                "A ", stringify!($name), " from its ASCII digits (", stringify!($min),
                " to ", stringify!($max), ").\n\n",
                "The number of digits is public; the digits are checked without a branch ",
                "on any of them.\n\n",
                "# Errors\n",
                "[`Error::", stringify!($err), "`] for any other length or a character that ",
                "is not a decimal digit.\n\n",
                "# Example\n```\n",
                "use paykernel::card::", stringify!($name), ";\n",
                "use paykernel::Error;\n\n",
                "let v = ", stringify!($name), "::from_digits(b\"", $ok, "\")?;\n",
                "assert_eq!(v.expose_secret(), b\"", $ok, "\");\n",
                "assert_eq!(", stringify!($name), "::from_digits(b\"", $bad, "\").err(), ",
                "Some(Error::", stringify!($err), "));\n",
                "# Ok::<(), Error>(())\n```"
            )]
            pub fn from_digits(digits: &[u8]) -> Result<$name, Error> {
                SecretDigits::parse(digits, $min, Error::$err).map($name)
            }

            /// The ASCII digits. Handle with care: compare with
            /// [`ConstantTimeEq`] instead of looking.
            #[must_use]
            pub fn expose_secret(&self) -> &[u8] {
                self.0.expose()
            }
        }

        impl ConstantTimeEq for $name {
            fn ct_eq(&self, other: &Self) -> Choice {
                self.0.ct_eq(&other.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name)).finish_non_exhaustive()
            }
        }
    };
}

secret_digits! {
    /// A card verification value: 3 digits (CVV or CVC on the magnetic
    /// stripe, CVV2 / CVC2 printed on the card, iCVV / chip CVC in the
    /// chip's track 2 image: one algorithm, three service codes).
    Cvv, 3..=3, InvalidDigits, "561", "56"
}

secret_digits! {
    /// A Mastercard dynamic CVC3: 5 digits, the decimal value of 2 bytes
    /// (0 to 65535) with leading zeros.
    Cvc3, 5..=5, InvalidDigits, "29488", "2948A"
}

secret_digits! {
    /// A Visa PIN verification value: 4 digits.
    Pvv, 4..=4, InvalidDigits, "4021", "40211"
}

secret_digits! {
    /// An IBM 3624 PIN offset: 4 to 16 digits, the PIN minus the natural
    /// PIN digit by digit modulo 10. Its length is the PIN's.
    Offset, 4..=16, InvalidDigits, "7710", "771"
}

secret_digits! {
    /// A PIN for the IBM 3624 method: 4 to 16 digits. The method works on
    /// up to 16 decimalized digits; an ISO 9564 PIN block carries at most
    /// 12 (a [`Pin`]), which converts with `From<&Pin>`.
    Ibm3624Pin, 4..=16, InvalidPin, "4524", "452"
}

impl From<&Pin> for Ibm3624Pin {
    /// The same digits, copied without a branch on the PIN's length (a
    /// deciphered PIN's length is secret).
    ///
    /// ```
    /// use paykernel::card::Ibm3624Pin;
    /// use paykernel::pin::Pin;
    /// let pin = Pin::from_digits(b"4524")?;
    /// assert_eq!(Ibm3624Pin::from(&pin).expose_secret(), b"4524");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    fn from(pin: &Pin) -> Ibm3624Pin {
        let mut values = zeroize::Zeroizing::new([0u8; 16]);
        for (i, v) in values.iter_mut().enumerate() {
            *v = pin.digit(i);
        }
        Ibm3624Pin(SecretDigits::from_values_masked(&values, pin.digit_count()))
    }
}

/// Decimal digit values of `digits` (ASCII) when it has exactly `N`
/// decimal digits; `Error::InvalidDigits` otherwise. For public data.
fn public_digits<const N: usize>(digits: &[u8]) -> Result<[u8; N], Error> {
    let chars: &[u8; N] = digits.try_into().map_err(|_| Error::InvalidDigits)?;
    let mut out = [0u8; N];
    for (o, c) in out.iter_mut().zip(chars) {
        if !c.is_ascii_digit() {
            return Err(Error::InvalidDigits);
        }
        *o = c.wrapping_sub(b'0');
    }
    Ok(out)
}

fn write_digits(f: &mut fmt::Formatter<'_>, name: &str, digits: &[u8]) -> fmt::Result {
    f.write_str(name)?;
    f.write_str("(")?;
    for d in digits {
        write!(f, "{d}")?;
    }
    f.write_str(")")
}

/// A card's expiry date as the card carries it: 4 digits, YYMM for Visa and
/// Mastercard (some issuers use MMYY). Used as given; not checked to be a
/// date. Public card data.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Expiry {
    digits: [u8; 4],
}

impl Expiry {
    /// An expiry from its 4 ASCII digits.
    ///
    /// # Errors
    /// [`Error::InvalidDigits`] unless `digits` is exactly 4 decimal digits.
    ///
    /// # Example
    /// ```
    /// use paykernel::card::Expiry;
    /// use paykernel::Error;
    ///
    /// let e = Expiry::from_digits(b"8701")?;
    /// assert_eq!(e.digits(), &[8, 7, 0, 1]);
    /// assert_eq!(Expiry::from_digits(b"87/01"), Err(Error::InvalidDigits));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_digits(digits: &[u8]) -> Result<Expiry, Error> {
        public_digits(digits).map(|digits| Expiry { digits })
    }

    /// The digits as values 0 to 9.
    #[must_use]
    pub fn digits(&self) -> &[u8; 4] {
        &self.digits
    }
}

impl fmt::Debug for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_digits(f, "Expiry", &self.digits)
    }
}

impl FromStr for Expiry {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Expiry::from_digits(s.as_bytes())
    }
}

/// A card's 3-digit service code (ISO/IEC 7813), or the value that stands
/// in for it: [`ServiceCode::CVV2`] (`000`) for the value printed on the
/// card, [`ServiceCode::ICVV`] (`999`) for the chip's track 2 image.
/// Public card data.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServiceCode {
    digits: [u8; 3],
}

impl ServiceCode {
    /// `000`: the service code with which the CVV algorithm gives the
    /// CVV2 / CVC2 printed on the card.
    pub const CVV2: ServiceCode = ServiceCode { digits: [0, 0, 0] };
    /// `999`: the service code with which the CVV algorithm gives the
    /// iCVV / chip CVC of the chip's track 2 image.
    pub const ICVV: ServiceCode = ServiceCode { digits: [9, 9, 9] };

    /// A service code from its 3 ASCII digits.
    ///
    /// # Errors
    /// [`Error::InvalidDigits`] unless `digits` is exactly 3 decimal digits.
    ///
    /// # Example
    /// ```
    /// use paykernel::card::ServiceCode;
    /// use paykernel::Error;
    ///
    /// assert_eq!(ServiceCode::from_digits(b"999")?, ServiceCode::ICVV);
    /// assert_eq!(ServiceCode::from_digits(b"10"), Err(Error::InvalidDigits));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_digits(digits: &[u8]) -> Result<ServiceCode, Error> {
        public_digits(digits).map(|digits| ServiceCode { digits })
    }

    /// The digits as values 0 to 9.
    ///
    /// ```
    /// use paykernel::card::ServiceCode;
    /// assert_eq!(ServiceCode::from_digits(b"201")?.digits(), &[2, 0, 1]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn digits(&self) -> &[u8; 3] {
        &self.digits
    }
}

impl fmt::Debug for ServiceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_digits(f, "ServiceCode", &self.digits)
    }
}

impl FromStr for ServiceCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        ServiceCode::from_digits(s.as_bytes())
    }
}

/// A Visa PIN verification key index: one digit naming which of the
/// issuer's PVKs made a card's PVV. It enters the PVV computation.
/// Public card data (track 2 carries it beside the PVV).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pvki {
    digit: u8,
}

impl Pvki {
    /// A PVKI from its one ASCII digit.
    ///
    /// # Errors
    /// [`Error::InvalidDigits`] unless `digits` is exactly one decimal
    /// digit.
    ///
    /// # Example
    /// ```
    /// use paykernel::card::Pvki;
    /// use paykernel::Error;
    ///
    /// assert_eq!(Pvki::from_digits(b"3")?.digit(), 3);
    /// assert_eq!(Pvki::from_digits(b"12"), Err(Error::InvalidDigits));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_digits(digits: &[u8]) -> Result<Pvki, Error> {
        public_digits::<1>(digits).map(|[digit]| Pvki { digit })
    }

    /// The digit, 0 to 9.
    #[must_use]
    pub fn digit(&self) -> u8 {
        self.digit
    }
}

impl fmt::Debug for Pvki {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_digits(f, "Pvki", &[self.digit])
    }
}

impl FromStr for Pvki {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Pvki::from_digits(s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::format;

    #[test]
    fn secret_digit_types_check_length_and_digits() {
        assert!(Cvv::from_digits(b"000").is_ok());
        for bad in [&b""[..], b"12", b"1234", b"12a", b"1 2", b"12/", b"12:"] {
            assert_eq!(Cvv::from_digits(bad).err(), Some(Error::InvalidDigits));
        }
        assert!(Pvv::from_digits(b"0000").is_ok());
        assert_eq!(Pvv::from_digits(b"000").err(), Some(Error::InvalidDigits));
        assert!(Cvc3::from_digits(b"65535").is_ok());
        assert_eq!(Cvc3::from_digits(b"6553").err(), Some(Error::InvalidDigits));
        for n in 4..=16 {
            assert!(Offset::from_digits(&b"0123456789012345"[..n]).is_ok());
            assert!(Ibm3624Pin::from_digits(&b"0123456789012345"[..n]).is_ok());
        }
        assert_eq!(
            Offset::from_digits(b"012").err(),
            Some(Error::InvalidDigits)
        );
        assert_eq!(
            Offset::from_digits(b"01234567890123456").err(),
            Some(Error::InvalidDigits)
        );
        assert_eq!(
            Ibm3624Pin::from_digits(b"01234567890123456").err(),
            Some(Error::InvalidPin)
        );
        assert_eq!(
            Ibm3624Pin::from_digits(b"12E4").err(),
            Some(Error::InvalidPin)
        );
    }

    #[test]
    fn secret_digits_compare_exactly_and_print_redacted() {
        let a = Offset::from_digits(b"0123").unwrap();
        let b = Offset::from_digits(b"0123").unwrap();
        let c = Offset::from_digits(b"01230").unwrap();
        let d = Offset::from_digits(b"0124").unwrap();
        assert!(bool::from(a.ct_eq(&b)));
        assert!(!bool::from(a.ct_eq(&c)));
        assert!(!bool::from(a.ct_eq(&d)));
        assert_eq!(format!("{a:?}"), "Offset { .. }");
        assert_eq!(
            format!("{:?}", Cvv::from_digits(b"123").unwrap()),
            "Cvv { .. }"
        );
        assert_eq!(a.0.value(3), 3);
        assert_eq!(a.0.value(4), 0);
        assert_eq!(a.0.value(99), 0);
    }

    #[test]
    fn a_pin_converts_with_its_length() {
        for s in [&b"1234"[..], b"987654321098", b"00000"] {
            let pin = Pin::from_digits(s).unwrap();
            let long = Ibm3624Pin::from(&pin);
            assert_eq!(long.expose_secret(), s);
            assert!(bool::from(long.ct_eq(&Ibm3624Pin::from_digits(s).unwrap())));
        }
    }

    #[test]
    fn public_digit_types() {
        assert_eq!(Expiry::from_digits(b"0000").unwrap().digits(), &[0; 4]);
        assert_eq!(
            format!("{:?}", Expiry::from_digits(b"2512").unwrap()),
            "Expiry(2512)"
        );
        for bad in [&b"251"[..], b"25120", b"25a2", b"", b" 251"] {
            assert_eq!(Expiry::from_digits(bad), Err(Error::InvalidDigits));
        }
        assert_eq!(ServiceCode::from_digits(b"000").unwrap(), ServiceCode::CVV2);
        assert_eq!(format!("{:?}", ServiceCode::ICVV), "ServiceCode(999)");
        for bad in [&b"00"[..], b"0000", b"1O1"] {
            assert_eq!(ServiceCode::from_digits(bad), Err(Error::InvalidDigits));
        }
        for d in 0..10u8 {
            assert_eq!(Pvki::from_digits(&[b'0' + d]).unwrap().digit(), d);
        }
        for bad in [&b""[..], b"10", b"A", b"-"] {
            assert_eq!(Pvki::from_digits(bad), Err(Error::InvalidDigits));
        }
        assert_eq!("7".parse::<Pvki>().unwrap().digit(), 7);
        assert_eq!(format!("{:?}", Pvki::from_digits(b"1").unwrap()), "Pvki(1)");
    }
}
