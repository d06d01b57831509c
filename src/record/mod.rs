//! Stored-value balance records (`SVR1`, see `docs/svr1.md`): 96 bytes that
//! anyone may read and no one may forge, replay or roll back without the
//! card key; signed by the terminal for the host's audit.
//!
//! - [`IssuerKey`] derives each card's [`CardKey`] (SP 800-108 KBKDF with
//!   AES-CMAC).
//! - [`CardKey::verify`] opens a record: structure first
//!   ([`Error::InvalidRecord`](crate::Error::InvalidRecord)), then the tag
//!   in constant time ([`Error::BadMac`](crate::Error::BadMac)). The result,
//!   a [`VerifiedRecord`], is the only value that hands out fields one may
//!   act on; [`UntrustedFields`] decodes bytes for display and says so.
//! - [`VerifiedRecord::debit`] and [`VerifiedRecord::credit`] make the next
//!   record under the same key, with every rule in `docs/svr1.md`'s order.
//! - [`select`] (and [`CardKey::select`]) picks the current record of the
//!   two slots a card writes alternately.
//! - [`VerifiedRecord::sign`] signs for the audit; [`CardKey::verify_chain`]
//!   and [`IssuerKey::verify_chain`] walk a signed chain and report the
//!   first broken link.
//!
//! The record's fields are public; the keys are the secrets. No heap: a
//! chain is checked link by link from an iterator.
//!
//! ```
//! use paykernel::record::{Amount, Fields, IssuerKey};
//! use paykernel::sign::SigningKey;
//!
//! # fn main() -> Result<(), paykernel::Error> {
//! let issuer = IssuerKey::from_slice(&[0x11; 16])?;
//! let card = issuer.card_key(42);
//! let issued = card.seal(&Fields {
//!     card_id: 42,
//!     currency: 978,
//!     exponent: 2,
//!     flags: 0,
//!     balance: 10_000,
//!     limit: 50_000,
//!     counter: 0,
//!     amount: 0,
//!     terminal_id: *b"ISSUER  ",
//!     timestamp: 1_700_000_000,
//!     prev_tag: [0; 8],
//! })?;
//!
//! // A terminal: open the stored bytes, debit, sign.
//! let stored = *issued.as_bytes();
//! let current = card.verify(&stored)?;
//! let next = current.debit(Amount::new(1_250)?, b"SHOP0001", 1_700_000_100)?;
//! assert_eq!(next.fields().balance, 8_750);
//! let terminal = SigningKey::from_slice(&[0x22; 32])?;
//! let sig = next.sign(&terminal);
//!
//! // The host: the chain issued -> next, each link signed.
//! let issued_sig = issued.sign(&terminal);
//! let verdict = issuer.verify_chain(
//!     &terminal.public_key(),
//!     [(&stored[..], issued_sig.as_bytes()), (next.as_bytes(), sig.as_bytes())],
//! );
//! assert!(verdict.is_intact());
//! # Ok(())
//! # }
//! ```

mod chain;
mod layout;
mod seal;
mod select;
mod update;

pub use self::chain::{
    ChainVerdict, LinkFault, SuccessorFault, sign_record, verify_record_signature,
};
pub use self::layout::{
    FLAG_BLOCKED, Fields, MAC_INPUT_LEN, MAGIC, MAX_CURRENCY, MAX_EXPONENT, PREV_TAG_LEN,
    RECORD_LEN, StructureFault, TAG_LEN, UntrustedFields,
};
pub use self::seal::{CardKey, IssuerKey, VerifiedRecord};
pub use self::select::{Slot, select};
pub use self::update::Amount;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
