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
