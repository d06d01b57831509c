//! Decimalization: the decimal digits that CVV, Visa PVV and IBM 3624 take
//! from the 16 hexadecimal digits of an enciphered block, and the digit
//! arithmetic modulo 10 of IBM 3624 offsets. The one place in the kernel
//! where a secret nibble becomes a decimal digit.
//!
//! Every nibble here is secret (it comes out of a cipher under a PIN
//! verification or card verification key, or it is a PIN digit). Nothing
//! below indexes memory, branches or divides on one: comparisons are byte
//! masks (0x00 or 0xFF) made by borrow arithmetic, a table lookup scans
//! all 16 entries, and the selection of "the k-th decimal digit" compares
//! every position's rank with k.

use core::fmt;
use core::str::FromStr;

use crate::Error;

/// 0xFF when `a < b`, else 0x00: the borrow out of `a − b`, without a
/// comparison the compiler could turn into a branch.
pub(crate) fn lt(a: u8, b: u8) -> u8 {
    let [_, borrow] = u16::from(a).wrapping_sub(u16::from(b)).to_le_bytes();
    borrow
}

/// 0xFF when `a == b`, else 0x00.
pub(crate) fn eq(a: u8, b: u8) -> u8 {
    !lt(0, a ^ b)
}

/// `yes` where `mask` is 0xFF, `no` where it is 0x00.
pub(crate) fn select(mask: u8, yes: u8, no: u8) -> u8 {
    (yes & mask) | (no & !mask)
}

/// `(a + b) mod 10` for digits `a`, `b` in 0..=9, without division: the sum
/// is below 19, so one conditional subtraction of 10 (by mask) reduces it.
pub(crate) fn add_mod10(a: u8, b: u8) -> u8 {
    let s = a.wrapping_add(b);
    s.wrapping_sub(10 & !lt(s, 10))
}

/// `(a − b) mod 10` for digits `a`, `b` in 0..=9: `a + (10 − b)`, reduced.
pub(crate) fn sub_mod10(a: u8, b: u8) -> u8 {
    add_mod10(a, 10u8.wrapping_sub(b))
}

/// The 16 nibbles of an 8-byte block, most significant first.
pub(crate) fn nibbles(block: &[u8; 8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    let (pairs, _) = out.as_chunks_mut::<2>();
    for (pair, b) in pairs.iter_mut().zip(block) {
        *pair = [b >> 4, b & 0x0F];
    }
    out
}

/// Writes into `out` the first `out.len()` (at most 16) decimalized digits
/// of `block`, as values 0 to 9, the way CVV and Visa PVV take them (and
/// docs/vectors.md spells out): the block's decimal digits 0–9 left to right,
/// then, if there are too few, its digits A–F minus 10, left to right.
///
/// Constant time: every nibble gets a rank, its place in that sequence
/// (decimal nibbles first, counted with masks, then the others after the
/// last decimal one), and output digit k is the OR over all 16 nibbles of
/// value & (rank == k). No branch and no index depends on a nibble; the
/// loops run over the 16 positions and `out.len()`, both public.
pub(crate) fn decimalize(block: &[u8; 8], out: &mut [u8]) {
    let n = zeroize::Zeroizing::new(nibbles(block));
    let mut rank = zeroize::Zeroizing::new([0u8; 16]);
    let mut value = zeroize::Zeroizing::new([0u8; 16]);
    let mut decimals = 0u8;
    for ((r, v), x) in rank.iter_mut().zip(value.iter_mut()).zip(n.iter()) {
        let is_decimal = lt(*x, 10);
        *r = decimals;
        *v = select(is_decimal, *x, x.wrapping_sub(10));
        decimals = decimals.wrapping_add(is_decimal & 1);
    }
    let mut letters = 0u8;
    for (r, x) in rank.iter_mut().zip(n.iter()) {
        let is_decimal = lt(*x, 10);
        *r = select(is_decimal, *r, decimals.wrapping_add(letters));
        letters = letters.wrapping_add(!is_decimal & 1);
    }
    for (k, o) in (0u8..).zip(out.iter_mut().take(16)) {
        let mut d = 0u8;
        for (r, v) in rank.iter().zip(value.iter()) {
            d |= v & eq(*r, k);
        }
        *o = d;
    }
}

/// An IBM 3624 decimalization (conversion) table: the decimal digit that
/// each hexadecimal digit 0–F of the enciphered validation data becomes.
///
/// Made only by [`DecimalizationTable::from_digits`], which refuses a table
/// that is not 16 decimal digits covering every digit 0–9 (see the module
/// documentation of [`crate::card`] for why, and for what else the kernel
/// does against decimalization-table attacks).
///
/// The table is configuration, not a secret: it prints in full. The
/// nibbles it is applied to are secret, so a lookup scans every entry.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecimalizationTable {
    /// Digit values 0 to 9, by hexadecimal digit 0 to F.
    digits: [u8; 16],
}

impl DecimalizationTable {
    /// `0123456789012345`: 0–9 map to themselves and A–F to 0–5, the table
    /// IBM and most issuers use.
    pub const IBM_DEFAULT: DecimalizationTable = DecimalizationTable {
        digits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5],
    };

    /// A table from its 16 ASCII digits, the digit for hexadecimal 0 first.
    ///
    /// # Errors
    /// [`Error::InvalidDecimalizationTable`] unless `table` is exactly 16
    /// ASCII decimal digits in which every digit 0–9 occurs at least once.
    ///
    /// # Example
    /// ```
    /// use paykernel::card::DecimalizationTable;
    /// use paykernel::Error;
    ///
    /// let t = DecimalizationTable::from_digits(b"0123456789012345")?;
    /// assert_eq!(t, DecimalizationTable::IBM_DEFAULT);
    /// // A permutation with repeats is fine as long as 0-9 all occur.
    /// DecimalizationTable::from_digits(b"9876543210999999")?;
    /// // Digit 9 missing: every PIN digit that needs it is given away.
    /// assert_eq!(
    ///     DecimalizationTable::from_digits(b"0123456780012345"),
    ///     Err(Error::InvalidDecimalizationTable)
    /// );
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_digits(table: &[u8]) -> Result<DecimalizationTable, Error> {
        let chars: &[u8; 16] = table
            .try_into()
            .map_err(|_| Error::InvalidDecimalizationTable)?;
        let mut digits = [0u8; 16];
        let mut seen = 0u16;
        for (d, c) in digits.iter_mut().zip(chars) {
            if !c.is_ascii_digit() {
                return Err(Error::InvalidDecimalizationTable);
            }
            *d = c.wrapping_sub(b'0');
            seen |= 1u16.checked_shl(u32::from(*d)).unwrap_or(0);
        }
        if seen != 0x03FF {
            return Err(Error::InvalidDecimalizationTable);
        }
        Ok(DecimalizationTable { digits })
    }

    /// This table if it is one of `approved` (the tables the issuer
    /// authorised), as IBM CCA's access control point X'0356' "use stored
    /// decimalization tables only" does: for hosts that receive tables
    /// with requests.
    ///
    /// # Errors
    /// [`Error::InvalidDecimalizationTable`] when it is not.
    ///
    /// # Example
    /// ```
    /// use paykernel::card::DecimalizationTable;
    /// use paykernel::Error;
    ///
    /// let approved = [DecimalizationTable::IBM_DEFAULT];
    /// let genuine: DecimalizationTable = "0123456789012345".parse()?;
    /// assert_eq!(genuine.require_approved(&approved), Ok(genuine));
    /// // One entry changed: it still uses every digit, but is not approved.
    /// let tampered: DecimalizationTable = "0123456789112345".parse()?;
    /// assert_eq!(
    ///     tampered.require_approved(&approved),
    ///     Err(Error::InvalidDecimalizationTable)
    /// );
    /// # Ok::<(), Error>(())
    /// ```
    pub fn require_approved(
        self,
        approved: &[DecimalizationTable],
    ) -> Result<DecimalizationTable, Error> {
        if approved.contains(&self) {
            Ok(self)
        } else {
            Err(Error::InvalidDecimalizationTable)
        }
    }

    /// The table's digits as values 0 to 9, the one for hexadecimal 0
    /// first.
    ///
    /// ```
    /// use paykernel::card::DecimalizationTable;
    /// let table: DecimalizationTable = "0123456789012345".parse()?;
    /// assert_eq!(table.digits(), &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn digits(&self) -> &[u8; 16] {
        &self.digits
    }

    /// The digit for the (secret) nibble `n`, found by scanning all 16
    /// entries with a mask, never by indexing at `n`.
    pub(crate) fn map(&self, n: u8) -> u8 {
        let mut d = 0u8;
        for (j, t) in (0u8..).zip(&self.digits) {
            d |= t & eq(n, j);
        }
        d
    }

    /// Every nibble of `block` through the table: 16 digit values.
    pub(crate) fn map_block(&self, block: &[u8; 8]) -> zeroize::Zeroizing<[u8; 16]> {
        let mut out = zeroize::Zeroizing::new(nibbles(block));
        for n in out.iter_mut() {
            *n = self.map(*n);
        }
        out
    }
}

impl Default for DecimalizationTable {
    fn default() -> Self {
        DecimalizationTable::IBM_DEFAULT
    }
}

impl fmt::Debug for DecimalizationTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DecimalizationTable(")?;
        for d in &self.digits {
            write!(f, "{d}")?;
        }
        f.write_str(")")
    }
}

impl FromStr for DecimalizationTable {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        DecimalizationTable::from_digits(s.as_bytes())
    }
}

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::integer_division_remainder_used,
    reason = "the naive references the constant-time code is checked against"
)]
mod tests {
    use super::*;

    extern crate std;
    use std::string::String;
    use std::vec::Vec;

    /// The rule of docs/vectors.md read naively: decimal hex digits left to
    /// right, then A-F minus 10 left to right.
    fn reference(block: &[u8; 8], k: usize) -> Vec<u8> {
        let n = nibbles(block);
        let mut out: Vec<u8> = n.iter().copied().filter(|x| *x < 10).collect();
        out.extend(n.iter().filter(|x| **x >= 10).map(|x| x - 10));
        out.truncate(k);
        out
    }

    #[test]
    fn masks_and_mod10_agree_with_arithmetic() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert_eq!(lt(a, b), if a < b { 0xFF } else { 0 });
                assert_eq!(eq(a, b), if a == b { 0xFF } else { 0 });
            }
        }
        for a in 0..10u8 {
            for b in 0..10u8 {
                assert_eq!(add_mod10(a, b), (a + b) % 10);
                assert_eq!(sub_mod10(a, b), (a + 10 - b) % 10);
            }
        }
    }

    #[test]
    fn decimalizes_as_published() {
        // psec 1.3.0 generate_visa_pvv's rule on blocks with few decimal
        // digits, and the ordinary case. The expected digits are read off
        // the hex by hand.
        for (hex, want) in [
            ("0123456789ABCDEF", "0123456789012345"),
            ("FEDCBA9876543210", "9876543210543210"),
            ("AAAAAAAAAAAAAAA1", "1000000000000000"),
            ("ABCDEFABCDEFABCD", "0123450123450123"),
            ("9ABC8DEF7FFFFFFF", "9870123455555555"),
        ] {
            let b: [u8; 8] = hex::decode(hex).unwrap().try_into().unwrap();
            let mut out = [0u8; 16];
            decimalize(&b, &mut out);
            let got: String = out.iter().map(|d| char::from(b'0' + d)).collect();
            assert_eq!(got, want, "{hex}");
        }
    }

    #[test]
    fn decimalize_matches_the_naive_rule_on_many_blocks() {
        let mut x = 0x0123_4567_89AB_CDEFu64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Bias towards letters now and then, so that the A-F pass runs.
            let y = if x & 3 == 0 {
                x | 0xAAAA_AAAA_AAAA_AAAA
            } else {
                x
            };
            let b = y.to_be_bytes();
            for k in [3usize, 4, 16] {
                let mut out = [0u8; 16];
                decimalize(&b, &mut out[..k]);
                assert_eq!(out[..k].to_vec(), reference(&b, k), "{b:02X?}");
            }
        }
    }

    #[test]
    fn tables_are_checked() {
        for good in ["0123456789012345", "9876543210987654", "0123456789000000"] {
            assert!(DecimalizationTable::from_digits(good.as_bytes()).is_ok());
        }
        for bad in [
            "",
            "012345678901234",
            "01234567890123456",
            "0123456789A12345",
            "012345678901234 ",
            "0000000000000000",
            "0123456788012345",
            "1234567812345678",
            "3141592653589793",
        ] {
            assert_eq!(
                DecimalizationTable::from_digits(bad.as_bytes()),
                Err(Error::InvalidDecimalizationTable),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn table_lookup_is_the_table() {
        let t = DecimalizationTable::from_digits(b"8351246790735986").unwrap();
        for n in 0..16u8 {
            assert_eq!(t.map(n), t.digits()[usize::from(n)]);
        }
        let mapped = t.map_block(&[0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF]);
        assert_eq!(*mapped, *t.digits());
        assert_eq!(
            std::format!("{t:?}"),
            "DecimalizationTable(8351246790735986)"
        );
    }

    #[test]
    fn only_approved_tables_pass() {
        // Bond and Zielinski (UCAM-CL-TR-560, 2003), prevention: the IBM
        // default table with hex A's entry changed from 0 to 1 still uses
        // every digit, so only a list of approved tables stops it.
        let ibm = DecimalizationTable::IBM_DEFAULT;
        let other = DecimalizationTable::from_digits(b"9876543210987654").unwrap();
        let tampered = DecimalizationTable::from_digits(b"0123456789112345").unwrap();
        let approved = [ibm, other];
        assert_eq!(other.require_approved(&approved), Ok(other));
        assert_eq!(ibm.require_approved(&approved), Ok(ibm));
        assert_eq!(
            tampered.require_approved(&approved),
            Err(Error::InvalidDecimalizationTable)
        );
        assert_eq!(
            other.require_approved(&[]),
            Err(Error::InvalidDecimalizationTable)
        );
    }
}
