//! Debit and credit: the only ways a terminal makes a new record, with
//! every rule of `docs/svr1.md` checked in its order.

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
    /// ```
    /// use paykernel::Error;
    /// use paykernel::record::Amount;
    /// assert_eq!(Amount::new(1_250)?.get(), 1_250);
    /// assert_eq!(Amount::new(0), Err(Error::InvalidAmount));
    /// assert_eq!(Amount::new(Amount::MAX + 1), Err(Error::InvalidAmount));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
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

    /// As [`Amount::new`]; the signed integers convert too.
    ///
    /// ```
    /// use paykernel::Error;
    /// use paykernel::record::Amount;
    /// assert_eq!(Amount::try_from(1_250u64)?.get(), 1_250);
    /// assert_eq!(Amount::try_from(1_250i64)?.get(), 1_250);
    /// assert_eq!(Amount::try_from(1_250i128)?.get(), 1_250);
    /// assert_eq!(Amount::try_from(-5i64), Err(Error::InvalidAmount));
    /// assert_eq!(Amount::try_from(i128::from(i64::MAX) + 1), Err(Error::InvalidAmount));
    /// assert_eq!(Amount::try_from(0u64), Err(Error::InvalidAmount));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
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
    /// the order of `docs/svr1.md` (the amount, being an [`Amount`], was
    /// checked when it was made).
    ///
    /// ```
    /// use paykernel::Error;
    /// use paykernel::record::{Amount, IssuerKey};
    ///
    /// // vectors/svr1-update.json, case seq0-0-debit (the independent
    /// // reference implementation of docs/svr1.md).
    /// let issuer = IssuerKey::from_slice(&hex::decode("978B215EEA9A79A094109B03E8D67842").unwrap())?;
    /// let stored = hex::decode(concat!(
    ///     "53565231D62256758A7D43B503E70300000000000000077F0000000000001388",
    ///     "000A399F00000000000076BF3759412020202020000000006EE462EBC61028C2",
    ///     "F5970A4D000000000000000000000000BA080A5310003DFD97D6B9CB071ACE9A",
    /// )).unwrap();
    /// let card = issuer.card_key_for(&stored)?;
    /// let current = card.verify(&stored)?;
    /// let next = current.debit(Amount::new(1687)?, b"4 Y1Z   ", 1_860_556_727)?;
    /// assert_eq!(next.fields().balance, 1919 - 1687);
    /// assert_eq!(hex::encode_upper(next.tag()), "C3BACFD82D969B33E1843DEAB8DEEA24");
    /// assert!(next.is_successor_of(&current));
    ///
    /// // More than the balance is refused, and nothing is written.
    /// assert_eq!(
    ///     current.debit(Amount::new(1920)?, b"4 Y1Z   ", 1_860_556_727).err(),
    ///     Some(Error::InsufficientFunds),
    /// );
    /// # Ok::<(), Error>(())
    /// ```
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
    /// ```
    /// use paykernel::record::{Amount, IssuerKey};
    ///
    /// // vectors/svr1-update.json, case seq1-2-credit (AES-256 issuer key).
    /// let issuer = IssuerKey::from_slice(&hex::decode(
    ///     "DAA3FD7B1658CC1169E526054B6DC46ADF1E0B9A9DC20B60B796548DE1ECFB47",
    /// ).unwrap())?;
    /// let stored = hex::decode(concat!(
    ///     "53565231998A0E311BADB4F503E7000000000000000001710000000000001388",
    ///     "000686EAFFFFFFFFFFFFFF0C31513754392020200000000064F074479475D123",
    ///     "85A156C8000000000000000000000000187052908D92680A028A64CE59599F21",
    /// )).unwrap();
    /// let card = issuer.card_key_for(&stored)?;
    /// let next = card.verify(&stored)?.credit(Amount::new(3402)?, b"BY_IDV  ", 1_693_541_119)?;
    /// assert_eq!(next.fields().balance, 369 + 3402);
    /// assert_eq!(hex::encode_upper(next.tag()), "506BE92A526A3A2B8AE28F00016199C9");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
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
