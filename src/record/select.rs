//! Two-slot select: a card writes its records alternately into two slots,
//! so that a write torn by pulling the card keeps the last good record.

use super::seal::{CardKey, VerifiedRecord};
use crate::Error;

/// One of the card's two record slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The first slot.
    A,
    /// The second slot.
    B,
}

impl Slot {
    /// The other slot: where the next record goes.
    ///
    /// ```
    /// use paykernel::record::Slot;
    /// assert_eq!(Slot::A.other(), Slot::B);
    /// assert_eq!(Slot::B.other(), Slot::A);
    /// ```
    #[must_use]
    pub const fn other(self) -> Slot {
        match self {
            Slot::A => Slot::B,
            Slot::B => Slot::A,
        }
    }
}

/// Picks the current record from the outcomes of verifying both slots
/// (each under the key that fits it: the card's own key on a card, the key
/// derived for each slot's claimed card on a host).
///
/// - Both verify: the one with the higher counter. Equal counters never
///   happen on a card that works as it should (every write adds one); when
///   they do, someone wrote a second, different successor of one record (a
///   replayed or cloned card). The choice is then the **lower balance**, the
///   one that gives the holder nothing, and slot A if the balances are equal
///   too (identical records, or records that differ only in terminal or
///   time).
/// - One verifies: that one (the other was torn, or is garbage).
/// - Neither: [`Error::BadMac`] if either slot failed only its tag (its
///   structure was sound), otherwise [`Error::InvalidRecord`].
///
/// # Errors
/// As above, when neither slot verifies.
///
/// ```
/// use paykernel::Error;
/// use paykernel::record::{Amount, Fields, IssuerKey, Slot, select};
/// let card = IssuerKey::from_slice(&[0x11; 16])?.card_key(42);
/// let issued = card.seal(&Fields {
///     card_id: 42, currency: 978, exponent: 2, flags: 0,
///     balance: 10_000, limit: 50_000, counter: 0, amount: 0,
///     terminal_id: *b"ISSUER  ", timestamp: 1_700_000_000, prev_tag: [0; 8],
/// })?;
/// let next = issued.debit(Amount::new(1_250)?, b"SHOP0001", 1_700_000_100)?;
/// let (a, b) = (*issued.as_bytes(), *next.as_bytes());
///
/// // Both verify: the higher counter wins; the next write goes to the other slot.
/// let (slot, current) = select(card.verify(&a), card.verify(&b))?;
/// assert_eq!((slot, current.fields().counter), (Slot::B, 1));
/// assert_eq!(slot.other(), Slot::A);
/// // Slot B torn (its tag no longer checks): slot A's record stands.
/// let mut torn = b;
/// torn[90] ^= 1;
/// let (slot, _) = select(card.verify(&a), card.verify(&torn))?;
/// assert_eq!(slot, Slot::A);
/// // Neither: bad-mac when a slot was sound but for its tag.
/// assert_eq!(select(card.verify(&torn), card.verify(&[0; 96])).err(), Some(Error::BadMac));
/// # Ok::<(), paykernel::Error>(())
/// ```
pub fn select<'k>(
    slot_a: Result<VerifiedRecord<'k>, Error>,
    slot_b: Result<VerifiedRecord<'k>, Error>,
) -> Result<(Slot, VerifiedRecord<'k>), Error> {
    match (slot_a, slot_b) {
        (Ok(a), Ok(b)) => {
            let (fa, fb) = (a.fields(), b.fields());
            let b_wins =
                fb.counter > fa.counter || (fb.counter == fa.counter && fb.balance < fa.balance);
            Ok(if b_wins { (Slot::B, b) } else { (Slot::A, a) })
        }
        (Ok(a), Err(_)) => Ok((Slot::A, a)),
        (Err(_), Ok(b)) => Ok((Slot::B, b)),
        (Err(ea), Err(eb)) => Err(if ea == Error::BadMac || eb == Error::BadMac {
            Error::BadMac
        } else {
            Error::InvalidRecord
        }),
    }
}

impl CardKey {
    /// Verifies both slots under this card's key and picks the current
    /// record as [`select`] says.
    ///
    /// Card side: the result tells which slot to overwrite next
    /// ([`Slot::other`]).
    ///
    /// ```
    /// use paykernel::record::{IssuerKey, Slot};
    ///
    /// // vectors/svr1-select.json, cases both-good-a-newer-0 and
    /// // b-torn-0-cut43 (independent reference implementation).
    /// let issuer = IssuerKey::from_slice(&hex::decode(
    ///     "BD5BCBB0F1D7BDA6EC8707D777C6F13FA60DE6281C5F78DE3F618B1A923F03BB",
    /// ).unwrap())?;
    /// let a = hex::decode(concat!(
    ///     "53565231DE11CC9DEA959C21007C010000000000000182C700000000000F4240",
    ///     "0009E307FFFFFFFFFFFFFC27384E4C4D2020202000000000F770C2260077D1DC",
    ///     "1B0438730000000000000000000000001B6BE0835E1D66EAC6736CE032503899",
    /// )).unwrap();
    /// let b = hex::decode(concat!(
    ///     "53565231DE11CC9DEA959C21007C010000000000000186A000000000000F4240",
    ///     "0009E306000000000000000041414E2020202020000000007229769537F5FB2A",
    ///     "DF2A4A500000000000000000000000000077D1DC1B04387326DC3FECD5530BC4",
    /// )).unwrap();
    /// let card = issuer.card_key_for(&a)?;
    /// let (slot, current) = card.select(&a, &b)?;
    /// assert_eq!((slot, current.fields().counter), (Slot::A, 0x0009_E307));
    ///
    /// // Slot B torn mid-write: a newer record written over it up to byte
    /// // 43, the rest still the old one. Slot A is still the current one.
    /// let torn = hex::decode(concat!(
    ///     "53565231DE11CC9DEA959C21007C01000000000000017EEA00000000000F4240",
    ///     "0009E308FFFFFFFFFFFFFC0041414E2020202020000000007229769537F5FB2A",
    ///     "DF2A4A500000000000000000000000000077D1DC1B04387326DC3FECD5530BC4",
    /// )).unwrap();
    /// assert_eq!(card.select(&a, &torn)?.0, Slot::A);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BadMac`] or [`Error::InvalidRecord`] when neither slot
    /// verifies, as [`select`] says.
    pub fn select(
        &self,
        slot_a: &[u8],
        slot_b: &[u8],
    ) -> Result<(Slot, VerifiedRecord<'_>), Error> {
        select(self.verify(slot_a), self.verify(slot_b))
    }
}
