//! The 96 bytes of an `SVR1` record: field encoding and the structural
//! rules (`docs/svr1.md`, "The record: 96 bytes").
//!
//! Everything here is public data: the fields of a record are readable by
//! anyone holding the card. What makes a record trustworthy is its tag,
//! checked in `seal.rs`.

use core::fmt;

use crate::Error;

/// Length of a record.
pub const RECORD_LEN: usize = 96;
/// Length of the bytes the tag covers (offsets 0..80).
pub const MAC_INPUT_LEN: usize = 80;
/// Length of the tag (AES-CMAC, untruncated).
pub const TAG_LEN: usize = 16;
/// Length of `prev_tag`: the first bytes of the previous record's tag.
pub const PREV_TAG_LEN: usize = 8;
/// The magic bytes at offset 0.
pub const MAGIC: [u8; 4] = *b"SVR1";
/// The largest minor-unit exponent.
pub const MAX_EXPONENT: u8 = 4;
/// The largest ISO 4217 numeric currency code (the smallest is 1).
pub const MAX_CURRENCY: u16 = 999;
/// Bit 0 of `flags`: the card is blocked. No other bit may be set.
pub const FLAG_BLOCKED: u8 = 0x01;

// The field widths of the table in `docs/svr1.md`, in order, fill the record
// exactly, and the tag closes it.
const _: () = assert!(4 + 8 + 2 + 1 + 1 + 8 + 8 + 4 + 8 + 8 + 8 + 8 + 12 + 16 == RECORD_LEN);
const _: () = assert!(MAC_INPUT_LEN + TAG_LEN == RECORD_LEN);

/// The fields of a record that carry meaning (all but `magic`, `reserved`
/// and `tag`).
///
/// A `Fields` value is plain data, trusted by nobody: it is what a caller
/// asks [`CardKey::seal`](super::CardKey::seal) to seal, or what
/// [`VerifiedRecord::fields`](super::VerifiedRecord::fields) reports after
/// the tag checked out.
///
/// ```
/// use paykernel::record::{Fields, StructureFault};
/// let mut f = Fields {
///     card_id: 42, currency: 978, exponent: 2, flags: 0,
///     balance: 10_000, limit: 50_000, counter: 0, amount: 0,
///     terminal_id: *b"ISSUER  ", timestamp: 1_700_000_000, prev_tag: [0; 8],
/// };
/// assert_eq!(f.fault(), None);
/// assert!(!f.is_blocked());
/// f.flags = 1; // bit 0: blocked
/// assert!(f.is_blocked());
/// f.balance = 60_000;
/// assert_eq!(f.fault(), Some(StructureFault::BalanceOverLimit));
/// assert_eq!(StructureFault::BalanceOverLimit.describe(), "balance is above limit");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fields {
    /// The card, as a 64-bit number.
    pub card_id: u64,
    /// ISO 4217 numeric currency code, `1..=999`.
    pub currency: u16,
    /// Minor-unit exponent, `0..=4` (2 for cents).
    pub exponent: u8,
    /// Bit 0: blocked. Other bits must be 0.
    pub flags: u8,
    /// Balance in minor units; at most `limit`.
    pub balance: u64,
    /// The most the card may hold, in minor units.
    pub limit: u64,
    /// Number of updates since issuance.
    pub counter: u32,
    /// The signed amount of the update that made this record: negative for
    /// a debit, positive for a credit, 0 at issuance.
    pub amount: i64,
    /// The terminal that wrote the record: printable ASCII, space padded.
    pub terminal_id: [u8; 8],
    /// Unix seconds.
    pub timestamp: u64,
    /// The first 8 bytes of the previous record's tag; zero at issuance.
    pub prev_tag: [u8; PREV_TAG_LEN],
}

impl Fields {
    /// Whether the blocked flag is set.
    #[must_use]
    pub fn is_blocked(&self) -> bool {
        self.flags & FLAG_BLOCKED != 0
    }

    /// The first rule of `docs/svr1.md` these fields break, if any.
    #[must_use]
    pub fn fault(&self) -> Option<StructureFault> {
        if self.flags & !FLAG_BLOCKED != 0 {
            Some(StructureFault::Flags)
        } else if self.exponent > MAX_EXPONENT {
            Some(StructureFault::Exponent)
        } else if !(1..=MAX_CURRENCY).contains(&self.currency) {
            Some(StructureFault::Currency)
        } else if !is_printable(&self.terminal_id) {
            Some(StructureFault::TerminalId)
        } else if self.balance > self.limit {
            Some(StructureFault::BalanceOverLimit)
        } else {
            None
        }
    }

    /// The 96 bytes of these fields, with a zero tag.
    pub(crate) fn encode(&self) -> [u8; RECORD_LEN] {
        let mut out = [0u8; RECORD_LEN];
        let mut w = Writer { rest: &mut out };
        w.put(MAGIC);
        w.put(self.card_id.to_be_bytes());
        w.put(self.currency.to_be_bytes());
        w.put([self.exponent]);
        w.put([self.flags]);
        w.put(self.balance.to_be_bytes());
        w.put(self.limit.to_be_bytes());
        w.put(self.counter.to_be_bytes());
        w.put(self.amount.to_be_bytes());
        w.put(self.terminal_id);
        w.put(self.timestamp.to_be_bytes());
        w.put(self.prev_tag);
        w.put([0u8; 12]);
        w.put([0u8; TAG_LEN]);
        out
    }
}

/// Whether every byte is printable ASCII (0x20..=0x7E).
pub(crate) fn is_printable(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| (0x20..=0x7E).contains(b))
}

/// Which structural rule of `docs/svr1.md` a record breaks. Every one of them
/// is [`Error::InvalidRecord`]; this says which, for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StructureFault {
    /// Not 96 bytes.
    Length,
    /// The first four bytes are not `SVR1`.
    Magic,
    /// A reserved byte (offsets 68..80) is not zero.
    Reserved,
    /// A flag bit other than bit 0 is set.
    Flags,
    /// The exponent is above 4.
    Exponent,
    /// The currency is not in `1..=999`.
    Currency,
    /// A `terminal_id` byte is outside printable ASCII.
    TerminalId,
    /// The balance is above the limit.
    BalanceOverLimit,
}

impl StructureFault {
    /// A short description (also its `Display`).
    ///
    /// ```
    /// use paykernel::record::StructureFault;
    /// assert_eq!(StructureFault::Magic.describe(), "magic is not SVR1");
    /// assert_eq!(StructureFault::Length.to_string(), "record is not 96 bytes");
    /// ```
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            StructureFault::Length => "record is not 96 bytes",
            StructureFault::Magic => "magic is not SVR1",
            StructureFault::Reserved => "reserved bytes are not zero",
            StructureFault::Flags => "unknown flag bits are set",
            StructureFault::Exponent => "exponent is above 4",
            StructureFault::Currency => "currency is not in 1..=999",
            StructureFault::TerminalId => "terminal_id is not printable ASCII",
            StructureFault::BalanceOverLimit => "balance is above limit",
        }
    }
}

impl fmt::Display for StructureFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Every byte of a record that has **not** been verified, decoded for
/// display or triage. Nothing here is trusted: the tag has not been
/// checked, and the structure may break the rules ([`Self::fault`]). Only a
/// [`VerifiedRecord`](super::VerifiedRecord) carries fields one may act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UntrustedFields {
    /// Bytes 0..4 (should be `SVR1`).
    pub magic: [u8; 4],
    /// The fields as the bytes claim them.
    pub claimed: Fields,
    /// Bytes 68..80 (should be zero).
    pub reserved: [u8; 12],
    /// Bytes 80..96: the tag as found, not checked.
    pub tag: [u8; TAG_LEN],
}

impl UntrustedFields {
    /// Decodes the fields of `record` without judging them.
    ///
    /// ```
    /// use paykernel::Error;
    /// use paykernel::record::{StructureFault, UntrustedFields};
    /// // vectors/svr1-seal-verify.json, case verify-0: read, not verified.
    /// let mut record = hex::decode(concat!(
    ///     "5356523115BA2BDD177219D30024010000000000000BC68800000000000DCF4C000CF182",
    ///     "FFFFFFFFFFFEA91920435F4B202020200000000067303AB2A364CDB9DCFE82F300000000",
    ///     "0000000000000000DE1F1D1B75CC1F09F8690FB4ED64020B",
    /// )).unwrap();
    /// let seen = UntrustedFields::decode(&record)?;
    /// assert_eq!(&seen.magic, b"SVR1");
    /// assert_eq!(seen.claimed.balance, 771_720);
    /// assert_eq!(seen.fault(), None);
    /// record[70] = 1; // a reserved byte
    /// assert_eq!(UntrustedFields::decode(&record)?.fault(), Some(StructureFault::Reserved));
    /// assert_eq!(UntrustedFields::decode(&record[..95]), Err(Error::InvalidRecord));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRecord`] if `record` is not 96 bytes.
    pub fn decode(record: &[u8]) -> Result<Self, Error> {
        let bytes: &[u8; RECORD_LEN] = record.try_into().map_err(|_| Error::InvalidRecord)?;
        Ok(decode(bytes))
    }

    /// The first structural rule of `docs/svr1.md` broken, in the order
    /// `docs/svr1.md` lists them (magic, reserved, flags, exponent, currency,
    /// terminal_id, balance above limit).
    #[must_use]
    pub fn fault(&self) -> Option<StructureFault> {
        if self.magic != MAGIC {
            Some(StructureFault::Magic)
        } else if self.reserved != [0u8; 12] {
            Some(StructureFault::Reserved)
        } else {
            self.claimed.fault()
        }
    }
}

/// Decodes every byte of a record.
pub(crate) fn decode(bytes: &[u8; RECORD_LEN]) -> UntrustedFields {
    let mut r = Reader { rest: bytes };
    let magic = r.take();
    let card_id = u64::from_be_bytes(r.take());
    let currency = u16::from_be_bytes(r.take());
    let [exponent] = r.take();
    let [flags] = r.take();
    let balance = u64::from_be_bytes(r.take());
    let limit = u64::from_be_bytes(r.take());
    let counter = u32::from_be_bytes(r.take());
    let amount = i64::from_be_bytes(r.take());
    let terminal_id = r.take();
    let timestamp = u64::from_be_bytes(r.take());
    let prev_tag = r.take();
    let reserved = r.take();
    let tag = r.take();
    UntrustedFields {
        magic,
        claimed: Fields {
            card_id,
            currency,
            exponent,
            flags,
            balance,
            limit,
            counter,
            amount,
            terminal_id,
            timestamp,
            prev_tag,
        },
        reserved,
        tag,
    }
}

/// The bytes the tag covers, and the tag.
pub(crate) fn split_tag(bytes: &[u8; RECORD_LEN]) -> (&[u8; MAC_INPUT_LEN], &[u8; TAG_LEN]) {
    let (body, tag) = bytes.split_first_chunk::<MAC_INPUT_LEN>().unzip();
    // `RECORD_LEN = MAC_INPUT_LEN + TAG_LEN` (checked above): both halves
    // exist; the fallbacks are never taken.
    let body = body.unwrap_or(&[0u8; MAC_INPUT_LEN]);
    let tag = tag
        .and_then(|t| <&[u8; TAG_LEN]>::try_from(t).ok())
        .unwrap_or(&[0u8; TAG_LEN]);
    (body, tag)
}

/// Reads consecutive fixed-size fields.
struct Reader<'a> {
    rest: &'a [u8],
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        match self.rest.split_first_chunk::<N>() {
            Some((head, tail)) => {
                self.rest = tail;
                *head
            }
            // The widths fill the record exactly (checked at compile time
            // above, and by the round-trip tests): never taken.
            None => [0u8; N],
        }
    }
}

/// Writes consecutive fixed-size fields.
struct Writer<'a> {
    rest: &'a mut [u8],
}

impl Writer<'_> {
    fn put<const N: usize>(&mut self, value: [u8; N]) {
        let rest = core::mem::take(&mut self.rest);
        if let Some((head, tail)) = rest.split_first_chunk_mut::<N>() {
            *head = value;
            self.rest = tail;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Fields {
        Fields {
            card_id: 0x0102_0304_0506_0708,
            currency: 978,
            exponent: 2,
            flags: 0,
            balance: 1234,
            limit: 50_000,
            counter: 7,
            amount: -250,
            terminal_id: *b"TERM0001",
            timestamp: 1_700_000_000,
            prev_tag: [0xA5; 8],
        }
    }

    #[test]
    fn offsets_follow_the_table() {
        // Offsets and big-endian encodings of docs/svr1.md's table, written
        // out by hand.
        let f = sample();
        let b = f.encode();
        assert_eq!(&b[0..4], b"SVR1");
        assert_eq!(&b[4..12], &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(&b[12..14], &[0x03, 0xD2]); // 978
        assert_eq!(b[14], 2);
        assert_eq!(b[15], 0);
        assert_eq!(&b[16..24], &[0, 0, 0, 0, 0, 0, 0x04, 0xD2]); // 1234
        assert_eq!(&b[24..32], &[0, 0, 0, 0, 0, 0, 0xC3, 0x50]); // 50000
        assert_eq!(&b[32..36], &[0, 0, 0, 7]);
        assert_eq!(
            &b[36..44],
            &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x06]
        ); // -250
        assert_eq!(&b[44..52], b"TERM0001");
        assert_eq!(&b[52..60], &[0, 0, 0, 0, 0x65, 0x53, 0xF1, 0x00]); // 1700000000
        assert_eq!(&b[60..68], &[0xA5; 8]);
        assert_eq!(&b[68..96], &[0u8; 28]);
        let d = decode(&b);
        assert_eq!(d.claimed, f);
        assert_eq!(d.magic, MAGIC);
        assert_eq!(d.fault(), None);
        let (body, tag) = split_tag(&b);
        assert_eq!(body[..], b[..80]);
        assert_eq!(tag[..], b[80..]);
    }

    #[test]
    fn every_rule_has_its_fault() {
        let ok = sample().encode();
        let fault = |edit: &dyn Fn(&mut [u8; 96])| {
            let mut b = ok;
            edit(&mut b);
            decode(&b).fault()
        };
        assert_eq!(fault(&|b| b[3] = b'2'), Some(StructureFault::Magic));
        assert_eq!(fault(&|b| b[68] = 1), Some(StructureFault::Reserved));
        assert_eq!(fault(&|b| b[79] = 0x80), Some(StructureFault::Reserved));
        assert_eq!(fault(&|b| b[15] = 0x02), Some(StructureFault::Flags));
        assert_eq!(fault(&|b| b[15] = 0x80), Some(StructureFault::Flags));
        assert_eq!(fault(&|b| b[15] = 0x01), None);
        assert_eq!(fault(&|b| b[14] = 5), Some(StructureFault::Exponent));
        assert_eq!(fault(&|b| b[14] = 4), None);
        assert_eq!(fault(&|b| b[14] = 0), None);
        assert_eq!(
            fault(&|b| b[12..14].copy_from_slice(&[0, 0])),
            Some(StructureFault::Currency)
        );
        assert_eq!(
            fault(&|b| b[12..14].copy_from_slice(&1000u16.to_be_bytes())),
            Some(StructureFault::Currency)
        );
        assert_eq!(fault(&|b| b[12..14].copy_from_slice(&[0, 1])), None);
        assert_eq!(
            fault(&|b| b[12..14].copy_from_slice(&999u16.to_be_bytes())),
            None
        );
        assert_eq!(fault(&|b| b[44] = 0x1F), Some(StructureFault::TerminalId));
        assert_eq!(fault(&|b| b[51] = 0x7F), Some(StructureFault::TerminalId));
        assert_eq!(fault(&|b| b[51] = 0x20), None);
        assert_eq!(fault(&|b| b[51] = 0x7E), None);
        // balance = limit is fine, limit + 1 is not.
        assert_eq!(
            fault(&|b| b[16..24].copy_from_slice(&50_000u64.to_be_bytes())),
            None
        );
        assert_eq!(
            fault(&|b| b[16..24].copy_from_slice(&50_001u64.to_be_bytes())),
            Some(StructureFault::BalanceOverLimit)
        );
        // The first rule in docs/svr1.md's order wins.
        assert_eq!(
            fault(&|b| {
                b[0] = 0;
                b[14] = 9;
            }),
            Some(StructureFault::Magic)
        );
        assert_eq!(
            UntrustedFields::decode(&ok[..95]),
            Err(Error::InvalidRecord)
        );
        assert_eq!(UntrustedFields::decode(&[]), Err(Error::InvalidRecord));
    }
}
