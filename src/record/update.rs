//! Debit and credit: the only ways a terminal makes a new record, with
//! every rule of `RECORD.md` checked in its order.

use super::layout::{self, Fields, PREV_TAG_LEN, TAG_LEN};
use super::seal::VerifiedRecord;
use crate::Error;

/// The amount of a debit or a credit, in minor units: `1..=i64::MAX`, so
/// that the record can carry it as a signed 64-bit number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(u64);

impl Amount {
    /// The largest amount: `i64::MAX` minor units.
    pub const MAX: u64 = i64::MAX.unsigned_abs();

    /// An amount of `minor_units`.
    ///
    /// # Errors
    /// [`Error::InvalidAmount`] for 0 or anything above `i64::MAX`.
    pub const fn new(minor_units: u64) -> Result<Self, Error> {
        if minor_units == 0 || minor_units > Amount::MAX {
            Err(Error::InvalidAmount)
        } else {
            Ok(Amount(minor_units))
        }
    }

    /// The amount in minor units.
    #[must_use]
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The amount as a positive `i64` (it always fits).
    fn signed(self) -> i64 {
        i64::try_from(self.0).unwrap_or(i64::MAX)
    }
}

impl TryFrom<u64> for Amount {
    type Error = Error;

    fn try_from(v: u64) -> Result<Self, Error> {
        Amount::new(v)
    }
}

impl TryFrom<i64> for Amount {
    type Error = Error;

    /// Zero and negative amounts are [`Error::InvalidAmount`].
    fn try_from(v: i64) -> Result<Self, Error> {
        u64::try_from(v)
            .map_err(|_| Error::InvalidAmount)
            .and_then(Amount::new)
    }
}

impl TryFrom<i128> for Amount {
    type Error = Error;

    /// Any value outside `1..=i64::MAX` is [`Error::InvalidAmount`].
    fn try_from(v: i128) -> Result<Self, Error> {
        u64::try_from(v)
            .map_err(|_| Error::InvalidAmount)
            .and_then(Amount::new)
    }
}

#[derive(Clone, Copy)]
enum Direction {
    Debit,
    Credit,
}

impl<'k> VerifiedRecord<'k> {
    /// Takes `amount` off the balance: the terminal side of a purchase.
    ///
    /// The new record has balance − amount, counter + 1, amount =
    /// −amount, the new terminal and time, `prev_tag` = the first 8 bytes
    /// of this record's tag, and a tag under the same card key. Checked in
    /// the order of `RECORD.md` (the amount, being an [`Amount`], was
    /// checked when it was made).
    ///
    /// # Errors
    /// 1. [`Error::InvalidRecord`]: `terminal_id` is not printable ASCII;
    /// 2. [`Error::CardBlocked`];
    /// 3. [`Error::CounterExhausted`]: the counter is `u32::MAX`;
    /// 4. [`Error::InsufficientFunds`]: `amount` is above the balance.
    pub fn debit(
        &self,
        amount: Amount,
        terminal_id: &[u8; 8],
        timestamp: u64,
    ) -> Result<VerifiedRecord<'k>, Error> {
        self.update(Direction::Debit, amount, terminal_id, timestamp)
    }

    /// Adds `amount` to the balance: a top-up. As [`VerifiedRecord::debit`]
    /// with balance + amount and amount = +amount.
    ///
    /// # Errors
    /// 1. [`Error::InvalidRecord`]: `terminal_id` is not printable ASCII;
    /// 2. [`Error::CardBlocked`];
    /// 3. [`Error::CounterExhausted`]: the counter is `u32::MAX`;
    /// 4. [`Error::LimitExceeded`]: the new balance would pass the limit.
    pub fn credit(
        &self,
        amount: Amount,
        terminal_id: &[u8; 8],
        timestamp: u64,
    ) -> Result<VerifiedRecord<'k>, Error> {
        self.update(Direction::Credit, amount, terminal_id, timestamp)
    }

    fn update(
        &self,
        direction: Direction,
        amount: Amount,
        terminal_id: &[u8; 8],
        timestamp: u64,
    ) -> Result<VerifiedRecord<'k>, Error> {
        if !layout::is_printable(terminal_id) {
            return Err(Error::InvalidRecord);
        }
        let now = self.fields();
        if now.is_blocked() {
            return Err(Error::CardBlocked);
        }
        let counter = now.counter.checked_add(1).ok_or(Error::CounterExhausted)?;
        let (balance, signed) = match direction {
            Direction::Debit => (
                now.balance
                    .checked_sub(amount.get())
                    .ok_or(Error::InsufficientFunds)?,
                // -(1..=i64::MAX) always fits.
                amount.signed().checked_neg().unwrap_or(i64::MIN),
            ),
            Direction::Credit => (
                now.balance
                    .checked_add(amount.get())
                    .filter(|b| *b <= now.limit)
                    .ok_or(Error::LimitExceeded)?,
                amount.signed(),
            ),
        };
        let next = Fields {
            balance,
            counter,
            amount: signed,
            terminal_id: *terminal_id,
            timestamp,
            prev_tag: prev_tag_of(self.tag()),
            ..*now
        };
        // Same card, same currency, exponent, flags and limit; the balance
        // stays within 0..=limit; the terminal is printable: `next` keeps
        // every rule.
        Ok(self.key().seal_unchecked(&next))
    }
}

/// The first 8 bytes of a tag: the `prev_tag` of the record after it.
pub(crate) fn prev_tag_of(tag: &[u8; TAG_LEN]) -> [u8; PREV_TAG_LEN] {
    let mut out = [0u8; PREV_TAG_LEN];
    for (d, s) in out.iter_mut().zip(tag) {
        *d = *s;
    }
    out
}
