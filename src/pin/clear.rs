//! The clear values a PIN block carries: the [`Pin`] itself and, for known
//! answers, the [`Fill`] a format would otherwise draw at random.

use core::fmt;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeLess};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;
use crate::ct::verdict;

/// A cardholder PIN: 4 to 12 decimal digits (ISO 9564-1).
///
/// The digits live in a fixed 12-byte buffer that is wiped on drop; `Debug`
/// prints `Pin { .. }`; there is no `Clone`, `Display` or `PartialEq`
/// (compare with [`ConstantTimeEq`]). A `Pin` is made only by
/// [`Pin::from_digits`] or by deciphering a PIN block that passed every
/// check of its format.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Pin {
    /// ASCII digits, then zeros up to 12 bytes.
    pub(super) digits: [u8; 12],
    /// The number of digits, 4 to 12.
    pub(crate) len: u8,
}

impl Pin {
    /// The fewest digits a PIN has.
    pub const MIN_DIGITS: usize = 4;
    /// The most digits a PIN has.
    pub const MAX_DIGITS: usize = 12;

    /// A PIN from its ASCII digits.
    ///
    /// ```
    /// use paykernel::Error;
    /// use paykernel::pin::Pin;
    /// let pin = Pin::from_digits(b"1234")?;
    /// assert_eq!(pin.expose_secret(), b"1234");
    /// assert_eq!(format!("{pin:?}"), "Pin { .. }");
    /// // 4 to 12 decimal digits only.
    /// assert_eq!(Pin::from_digits(b"123").err(), Some(Error::InvalidPin));
    /// assert_eq!(Pin::from_digits(b"12A4").err(), Some(Error::InvalidPin));
    /// assert_eq!(Pin::from_digits(b"1234567890123").err(), Some(Error::InvalidPin));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// The number of digits is taken as public (it is the length of the
    /// caller's slice); the digits are checked without a branch on any of
    /// them.
    ///
    /// # Errors
    /// [`Error::InvalidPin`] unless `digits` is 4 to 12 ASCII digits.
    pub fn from_digits(digits: &[u8]) -> Result<Pin, Error> {
        if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&digits.len()) {
            return Err(Error::InvalidPin);
        }
        let mut pin = Pin::empty();
        let mut ok = Choice::from(1);
        for (d, c) in pin.digits.iter_mut().zip(digits) {
            ok &= c.wrapping_sub(b'0').ct_lt(&10);
            *d = *c;
        }
        pin.len = u8::try_from(digits.len()).map_err(|_| Error::InvalidPin)?;
        verdict(pin, ok, Error::InvalidPin)
    }

    /// The PIN's ASCII digits. Handle with care: this is the secret, and so
    /// is its length (the length of the slice); compare PINs with
    /// [`ConstantTimeEq`] instead.
    #[must_use]
    pub fn expose_secret(&self) -> &[u8] {
        self.digits.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// A PIN of no digits, to be filled in by a decoder.
    pub(super) fn empty() -> Pin {
        Pin {
            digits: [0; 12],
            len: 0,
        }
    }

    /// The value (0 to 9) of digit `i`; 0 past the buffer. `i` is a public
    /// position; whether it is inside the PIN is for the caller to mask.
    pub(crate) fn digit(&self, i: usize) -> u8 {
        self.digits
            .get(i)
            .map_or(0, |c| c.wrapping_sub(b'0') & 0x0F)
    }
}

impl Pin {
    /// The number of digits (secret for a deciphered PIN: mask with it,
    /// never branch or index on it). For PIN verification (`card`).
    pub(crate) fn digit_count(&self) -> u8 {
        self.len
    }
}

impl ConstantTimeEq for Pin {
    fn ct_eq(&self, other: &Self) -> Choice {
        // Both buffers hold zeros past their length, so comparing all 12
        // bytes and the lengths is exact.
        self.len.ct_eq(&other.len) & self.digits.ct_eq(&other.digits)
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pin").finish_non_exhaustive()
    }
}

/// The part of a PIN block that its format fills at random, given
/// explicitly: for known-answer tests, and for format 1 where the fill may be
/// a transaction-unique value (a sequence number) rather than random.
///
/// As `docs/vectors.md` defines `fill`, it is the nibbles themselves:
/// - format 1: the 14 − (PIN length) fill nibbles, each 0–F;
/// - format 3: the 14 − (PIN length) fill nibbles, each A–F;
/// - format 4: the 16 nibbles (8 random bytes) of the PIN field;
/// - formats 0 and 2 have no random part and ignore a fill.
///
/// A fill of the wrong length for the PIN, or a format-3 nibble outside
/// A–F, is refused when the block is made, with
/// [`Error::InvalidPinBlock`]: it would make a block that breaks its
/// format's rules.
///
/// ```
/// use paykernel::Error;
/// use paykernel::pin::Fill;
/// // Format 3 with a 4-digit PIN: 10 nibbles, each A to F.
/// let fill = Fill::from_hex(b"ABCDEFabcd")?;
/// assert_eq!(fill.len(), 10);
/// let same = Fill::from_nibbles(&[0xA, 0xB, 0xC, 0xD, 0xE, 0xF, 0xA, 0xB, 0xC, 0xD])?;
/// assert_eq!(same.len(), 10);
/// assert_eq!(Fill::from_hex(b"")?.len(), 0); // formats 0 and 2
/// assert_eq!(Fill::from_hex(b"XY").err(), Some(Error::InvalidPinBlock));
/// assert_eq!(Fill::from_nibbles(&[16]).err(), Some(Error::InvalidPinBlock));
/// assert_eq!(Fill::from_hex(&[b'0'; 17]).err(), Some(Error::InvalidPinBlock));
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Fill {
    /// The nibbles (values 0 to 15), then zeros up to 16.
    pub(super) nibbles: [u8; 16],
    /// How many nibbles were given, 0 to 16.
    pub(super) len: u8,
}

impl Fill {
    /// The most nibbles a fill has (format 4).
    pub const MAX_NIBBLES: usize = 16;

    /// A fill from hex digits (either case), one nibble per digit; an odd
    /// count is normal.
    ///
    /// # Errors
    /// [`Error::InvalidPinBlock`] for more than 16 digits or a character
    /// that is not a hex digit.
    pub fn from_hex(hex: &[u8]) -> Result<Fill, Error> {
        Self::build(hex, hex_value)
    }

    /// A fill from nibble values, each 0 to 15.
    ///
    /// # Errors
    /// [`Error::InvalidPinBlock`] for more than 16 nibbles or a value above
    /// 15.
    pub fn from_nibbles(nibbles: &[u8]) -> Result<Fill, Error> {
        Self::build(nibbles, |n| (n, n.ct_lt(&16)))
    }

    /// How many nibbles the fill holds.
    #[must_use]
    #[allow(
        clippy::len_without_is_empty,
        reason = "an empty fill is legal input, checked against the format"
    )]
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// The fill of `src`, each element turned by `value` into a nibble and
    /// whether it was a valid one. The count is public; the fill is part of
    /// the clear PIN field, so its values are checked without a branch and
    /// refused in one verdict.
    fn build(src: &[u8], value: impl Fn(u8) -> (u8, Choice)) -> Result<Fill, Error> {
        if src.len() > Self::MAX_NIBBLES {
            return Err(Error::InvalidPinBlock);
        }
        let mut fill = Fill {
            nibbles: [0; 16],
            len: u8::try_from(src.len()).map_err(|_| Error::InvalidPinBlock)?,
        };
        let mut ok = Choice::from(1);
        for (n, c) in fill.nibbles.iter_mut().zip(src) {
            let (v, good) = value(*c);
            *n = v;
            ok &= good;
        }
        verdict(fill, ok, Error::InvalidPinBlock)
    }
}

/// The value of one ASCII hex digit (either case) and whether `c` is one,
/// without a branch or a table: `0`–`9` by subtraction, `a`–`f` and `A`–`F`
/// by folding to lower case (`c | 0x20`) first.
fn hex_value(c: u8) -> (u8, Choice) {
    let digit = c.wrapping_sub(b'0');
    let is_digit = digit.ct_lt(&10);
    let letter = (c | 0x20).wrapping_sub(b'a');
    let is_letter = letter.ct_lt(&6);
    let v = u8::conditional_select(&0, &digit, is_digit)
        | u8::conditional_select(&0, &letter.wrapping_add(10), is_letter);
    (v, is_digit | is_letter)
}

impl fmt::Debug for Fill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fill")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_accepts_4_to_12_digits() {
        for s in ["1234", "0000", "99999", "123456789012"] {
            let p = Pin::from_digits(s.as_bytes()).unwrap();
            assert_eq!(p.expose_secret(), s.as_bytes());
        }
    }

    #[test]
    fn pin_refusals() {
        for s in [
            "",
            "1",
            "123",
            "1234567890123",
            "12a4",
            "12 4",
            "123/",
            "123:",
            "١٢٣٤",
            "+1234",
            "1234\0",
        ] {
            assert_eq!(
                Pin::from_digits(s.as_bytes()).err(),
                Some(Error::InvalidPin),
                "{s:?}"
            );
        }
    }

    #[test]
    fn pin_debug_is_redacted_and_eq_is_exact() {
        extern crate std;
        let p = Pin::from_digits(b"4321").unwrap();
        assert_eq!(std::format!("{p:?}"), "Pin { .. }");
        let q = Pin::from_digits(b"4321").unwrap();
        let r = Pin::from_digits(b"43210").unwrap();
        let s = Pin::from_digits(b"4322").unwrap();
        assert!(bool::from(p.ct_eq(&q)));
        assert!(!bool::from(p.ct_eq(&r)));
        assert!(!bool::from(p.ct_eq(&s)));
    }

    #[test]
    fn fill_parsing() {
        let f = Fill::from_hex(b"0aF9").unwrap();
        assert_eq!(f.len(), 4);
        assert_eq!(&f.nibbles[..5], &[0, 10, 15, 9, 0]);
        assert_eq!(Fill::from_hex(b"").unwrap().len(), 0);
        assert_eq!(Fill::from_hex(&[b'A'; 16]).unwrap().len(), 16);
        assert_eq!(
            Fill::from_hex(&[b'A'; 17]).err(),
            Some(Error::InvalidPinBlock)
        );
        assert_eq!(Fill::from_hex(b"AG").err(), Some(Error::InvalidPinBlock));
        assert_eq!(Fill::from_hex(b"A ").err(), Some(Error::InvalidPinBlock));
        assert_eq!(Fill::from_nibbles(&[0, 15]).unwrap().len(), 2);
        assert_eq!(
            Fill::from_nibbles(&[16]).err(),
            Some(Error::InvalidPinBlock)
        );
        // A fill is part of the clear PIN field: it prints its length only.
        extern crate std;
        assert_eq!(
            std::format!("{:?}", Fill::from_hex(b"C39F3E504").unwrap()),
            "Fill { len: 9, .. }"
        );
    }

    #[test]
    fn hex_value_agrees_with_core_on_every_byte() {
        for c in 0..=255u8 {
            let (v, ok) = hex_value(c);
            let want = char::from(c).to_digit(16);
            assert_eq!(bool::from(ok), want.is_some(), "{c:#04x}");
            if let Some(w) = want {
                assert_eq!(u32::from(v), w, "{c:#04x}");
            }
        }
        for n in 0..=255u8 {
            assert_eq!(Fill::from_nibbles(&[n]).is_ok(), n < 16, "{n}");
        }
    }
}
