//! Chains: the successor check, terminal signatures over records, and the
//! host's audit of a signed chain.
//!
//! A chain is checked link by link from any iterator of `(record,
//! signature)` pairs: nothing is collected, nothing is allocated.

use core::fmt;

use subtle::ConstantTimeEq;

use super::layout::{Fields, PREV_TAG_LEN, TAG_LEN, UntrustedFields};
use super::seal::{CardKey, IssuerKey, VerifiedRecord};
use super::update::prev_tag_of;
use crate::Error;
use crate::ct::verdict;
use crate::sign::{PublicKey, Signature, SigningKey};

/// Why a record is not the successor of another (`docs/svr1.md`, "successor
/// check"), in the order the check looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SuccessorFault {
    /// Another card.
    CardId,
    /// Another currency.
    Currency,
    /// Another exponent.
    Exponent,
    /// Another limit.
    Limit,
    /// The counter is not the previous one plus one (a replay, a skip or a
    /// rollback).
    Counter,
    /// `prev_tag` is not the first 8 bytes of the previous record's tag.
    PrevTag,
    /// The balance is not the previous balance plus the record's amount.
    Balance,
}

impl SuccessorFault {
    /// A short description (also its `Display`).
    ///
    /// ```
    /// use paykernel::record::SuccessorFault;
    /// assert_eq!(SuccessorFault::PrevTag.describe(), "prev_tag is not the previous record's tag");
    /// assert_eq!(SuccessorFault::Balance.to_string(), "balance is not the previous balance + amount");
    /// ```
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            SuccessorFault::CardId => "card_id differs from the previous record",
            SuccessorFault::Currency => "currency differs from the previous record",
            SuccessorFault::Exponent => "exponent differs from the previous record",
            SuccessorFault::Limit => "limit differs from the previous record",
            SuccessorFault::Counter => "counter is not the previous counter + 1",
            SuccessorFault::PrevTag => "prev_tag is not the previous record's tag",
            SuccessorFault::Balance => "balance is not the previous balance + amount",
        }
    }
}

impl fmt::Display for SuccessorFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// The successor check on two records known to be authentic.
fn successor_fault(
    prev: &Fields,
    prev_tag: &[u8; TAG_LEN],
    next: &Fields,
) -> Option<SuccessorFault> {
    if next.card_id != prev.card_id {
        Some(SuccessorFault::CardId)
    } else if next.currency != prev.currency {
        Some(SuccessorFault::Currency)
    } else if next.exponent != prev.exponent {
        Some(SuccessorFault::Exponent)
    } else if next.limit != prev.limit {
        Some(SuccessorFault::Limit)
    } else if prev.counter.checked_add(1) != Some(next.counter) {
        Some(SuccessorFault::Counter)
    } else if !prev_tag_matches(&next.prev_tag, prev_tag) {
        Some(SuccessorFault::PrevTag)
    } else if prev.balance.checked_add_signed(next.amount) != Some(next.balance) {
        Some(SuccessorFault::Balance)
    } else {
        None
    }
}

/// Whether `prev_tag` is the first 8 bytes of `tag`. Both records are
/// authentic by now, but these are MAC values: they are compared in
/// constant time, and the comparison becomes a decision only in the
/// kernel's one verdict (`ct::verdict`), so that nothing after a record's
/// verification branches on its tag.
fn prev_tag_matches(prev_tag: &[u8; PREV_TAG_LEN], tag: &[u8; TAG_LEN]) -> bool {
    verdict((), prev_tag.ct_eq(&prev_tag_of(tag)), Error::BadMac).is_ok()
}

impl VerifiedRecord<'_> {
    /// Why this record is not the successor of `previous`, or `None` when
    /// it is: same card, currency, exponent and limit; counter one higher;
    /// `prev_tag` = the first 8 bytes of `previous`'s tag; balance =
    /// `previous` balance + this record's amount.
    ///
    /// Host side: refuses replayed, skipped and rolled-back records.
    #[must_use]
    pub fn successor_fault(&self, previous: &VerifiedRecord<'_>) -> Option<SuccessorFault> {
        successor_fault(previous.fields(), previous.tag(), self.fields())
    }

    /// Whether this record is the successor of `previous`.
    #[must_use]
    pub fn is_successor_of(&self, previous: &VerifiedRecord<'_>) -> bool {
        self.successor_fault(previous).is_none()
    }

    /// The terminal's signature over the 96 bytes (ECDSA P-256, SHA-256,
    /// RFC 6979).
    ///
    /// ```
    /// use paykernel::record::{Fields, IssuerKey, sign_record, verify_record_signature};
    /// use paykernel::sign::SigningKey;
    /// let card = IssuerKey::from_slice(&[0x11; 16])?.card_key(42);
    /// let record = card.seal(&Fields {
    ///     card_id: 42, currency: 978, exponent: 2, flags: 0,
    ///     balance: 10_000, limit: 50_000, counter: 0, amount: 0,
    ///     terminal_id: *b"ISSUER  ", timestamp: 1_700_000_000, prev_tag: [0; 8],
    /// })?;
    /// let terminal = SigningKey::from_slice(&[0x22; 32])?;
    /// let sig = record.sign(&terminal);
    /// // RFC 6979: the same signature as over the bytes, deterministically.
    /// assert_eq!(sig, sign_record(&terminal, record.as_bytes())?);
    /// assert!(verify_record_signature(&terminal.public_key(), record.as_bytes(), sig.as_bytes()));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn sign(&self, key: &SigningKey) -> Signature {
        key.sign(self.as_bytes())
    }
}

/// Signs a record the caller holds as bytes (one it wrote, or received):
/// ECDSA P-256 over the 96 bytes. The record is not verified: signing needs
/// no card key.
///
/// ```
/// use paykernel::Error;
/// use paykernel::record::{sign_record, verify_record_signature};
/// use paykernel::sign::SigningKey;
///
/// // vectors/svr1-chain.json, case sign-0 (python-ecdsa 0.19.2, RFC 6979).
/// let terminal = SigningKey::from_slice(&hex::decode(
///     "96AC828F0BB1E330F38D2E6418F918E24A8B0188CBE19514A28A0AAAB3642B1A",
/// ).unwrap())?;
/// let record = hex::decode(concat!(
///     "53565231DF5CA32EBAD5CCC2007C0400AE9AF1698A0C5100CD4A55577D24B397000181E2",
///     "00000000000120794631564658202020000000007304198168CE4071B318C13200000000",
///     "0000000000000000BE1B56CCCD0226CE730AEAA243EF92E2",
/// )).unwrap();
/// let sig = sign_record(&terminal, &record)?;
/// assert_eq!(hex::encode_upper(sig.as_bytes()), concat!(
///     "C27E9A2807EAD4BAE5FE00FBF29162CE9C3146F45F11D8AE1513C36E6FCC0EAB",
///     "46D13E693C1F208AAB3FE0A306990DA93719D0BA67C8FFA904CCF88848409257",
/// ));
/// let public = terminal.public_key();
/// assert!(verify_record_signature(&public, &record, sig.as_bytes()));
/// assert!(!verify_record_signature(&public, &record[..95], sig.as_bytes()));
/// assert_eq!(sign_record(&terminal, &record[..95]).err(), Some(Error::InvalidRecord));
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidRecord`] if `record` is not 96 bytes.
pub fn sign_record(key: &SigningKey, record: &[u8]) -> Result<Signature, Error> {
    UntrustedFields::decode(record)?;
    Ok(key.sign(record))
}

/// Whether `sig` (64 bytes, `r || s`) is the terminal's signature over
/// `record`. Anything malformed, a record of the wrong length included, is
/// not valid.
///
/// ```
/// use paykernel::record::verify_record_signature;
/// use paykernel::sign::SigningKey;
/// // vectors/svr1-chain.json, case sign-0, checked by the host.
/// let public = SigningKey::from_slice(&hex::decode(
///     "96AC828F0BB1E330F38D2E6418F918E24A8B0188CBE19514A28A0AAAB3642B1A",
/// ).unwrap())?.public_key();
/// let record = hex::decode(concat!(
///     "53565231DF5CA32EBAD5CCC2007C0400AE9AF1698A0C5100CD4A55577D24B397000181E2",
///     "00000000000120794631564658202020000000007304198168CE4071B318C13200000000",
///     "0000000000000000BE1B56CCCD0226CE730AEAA243EF92E2",
/// )).unwrap();
/// let mut sig = hex::decode(concat!(
///     "C27E9A2807EAD4BAE5FE00FBF29162CE9C3146F45F11D8AE1513C36E6FCC0EAB",
///     "46D13E693C1F208AAB3FE0A306990DA93719D0BA67C8FFA904CCF88848409257",
/// )).unwrap();
/// assert!(verify_record_signature(&public, &record, &sig));
/// sig[63] ^= 1;
/// assert!(!verify_record_signature(&public, &record, &sig));
/// # Ok::<(), paykernel::Error>(())
/// ```
#[must_use]
pub fn verify_record_signature(public_key: &PublicKey, record: &[u8], sig: &[u8]) -> bool {
    UntrustedFields::decode(record).is_ok() && public_key.verify(record, sig)
}

/// What is wrong with the first broken link of a chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkFault {
    /// The record does not verify ([`Error::InvalidRecord`] or
    /// [`Error::BadMac`]); a missing record is [`Error::InvalidRecord`].
    Record(Error),
    /// The signature does not verify under the terminal's key, or is
    /// missing.
    Signature,
    /// The record is not the successor of the one before it.
    Successor(SuccessorFault),
}

impl fmt::Display for LinkFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkFault::Record(e) => write!(f, "record does not verify ({e})"),
            LinkFault::Signature => f.write_str("signature does not verify"),
            LinkFault::Successor(s) => write!(f, "not the successor of the record before: {s}"),
        }
    }
}

/// The verdict on a signed chain.
///
/// ```
/// use paykernel::record::{ChainVerdict, Fields, IssuerKey, LinkFault};
/// use paykernel::sign::SigningKey;
/// let card = IssuerKey::from_slice(&[0x11; 16])?.card_key(42);
/// let terminal = SigningKey::from_slice(&[0x22; 32])?;
/// let issued = card.seal(&Fields {
///     card_id: 42, currency: 978, exponent: 2, flags: 0,
///     balance: 10_000, limit: 50_000, counter: 0, amount: 0,
///     terminal_id: *b"ISSUER  ", timestamp: 1_700_000_000, prev_tag: [0; 8],
/// })?;
/// let sig = issued.sign(&terminal);
///
/// let ok = card.verify_chain(&terminal.public_key(), [(&issued.as_bytes()[..], &sig.as_bytes()[..])]);
/// assert_eq!(ok, ChainVerdict::Intact { links: 1 });
/// assert!(ok.is_intact());
/// assert_eq!(ok.broken_at(), None);
/// // The record without its signature.
/// let bad = card.verify_chain(&terminal.public_key(), [(&issued.as_bytes()[..], &[][..])]);
/// assert_eq!(bad, ChainVerdict::Broken { at: 0, fault: LinkFault::Signature });
/// assert_eq!(bad.broken_at(), Some(0));
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChainVerdict {
    /// Every link holds (an empty chain holds vacuously).
    Intact {
        /// How many links were checked.
        links: usize,
    },
    /// The first link that breaks.
    Broken {
        /// Its index, from 0.
        at: usize,
        /// Why it breaks.
        fault: LinkFault,
    },
}

impl ChainVerdict {
    /// Whether every link holds.
    #[must_use]
    pub fn is_intact(&self) -> bool {
        matches!(self, ChainVerdict::Intact { .. })
    }

    /// The index of the first broken link.
    #[must_use]
    pub fn broken_at(&self) -> Option<usize> {
        match self {
            ChainVerdict::Intact { .. } => None,
            ChainVerdict::Broken { at, .. } => Some(*at),
        }
    }
}

/// What the walk keeps of the previous link: its fields and tag (public).
struct Link {
    fields: Fields,
    tag: [u8; TAG_LEN],
}

impl From<VerifiedRecord<'_>> for Link {
    fn from(r: VerifiedRecord<'_>) -> Link {
        Link {
            fields: *r.fields(),
            tag: *r.tag(),
        }
    }
}

/// Walks `links` from index 0 and stops at the first index whose record
/// does not open, whose signature does not verify, or (from index 1) that
/// is not the successor of the record before.
fn walk<I, R, S>(
    public_key: &PublicKey,
    links: I,
    mut open: impl FnMut(&[u8]) -> Result<Link, Error>,
) -> ChainVerdict
where
    I: IntoIterator<Item = (R, S)>,
    R: AsRef<[u8]>,
    S: AsRef<[u8]>,
{
    let mut previous: Option<Link> = None;
    let mut count = 0usize;
    for (at, (record, sig)) in links.into_iter().enumerate() {
        let record = record.as_ref();
        let link = match open(record) {
            Ok(link) => link,
            Err(e) => {
                return ChainVerdict::Broken {
                    at,
                    fault: LinkFault::Record(e),
                };
            }
        };
        if !public_key.verify(record, sig.as_ref()) {
            return ChainVerdict::Broken {
                at,
                fault: LinkFault::Signature,
            };
        }
        if let Some(prev) = &previous
            && let Some(f) = successor_fault(&prev.fields, &prev.tag, &link.fields)
        {
            return ChainVerdict::Broken {
                at,
                fault: LinkFault::Successor(f),
            };
        }
        previous = Some(link);
        count = at.saturating_add(1);
    }
    ChainVerdict::Intact { links: count }
}

impl CardKey {
    /// Audits a chain of one card's records, each signed by the terminal
    /// that wrote it: walking from index 0, the first index whose record
    /// does not verify under this key, whose signature does not verify
    /// under `public_key`, or (from index 1) that is not the successor of
    /// the record before, breaks the chain.
    ///
    /// `links` yields `(record, signature)` pairs; pass an empty slice for
    /// a missing partner (a record without its signature breaks as
    /// [`LinkFault::Signature`], a signature without its record as
    /// [`LinkFault::Record`]). A record of another card does not verify
    /// under this key ([`Error::BadMac`]).
    ///
    /// ```
    /// use paykernel::Error;
    /// use paykernel::record::{Amount, ChainVerdict, Fields, IssuerKey, LinkFault};
    /// use paykernel::sign::SigningKey;
    /// let card = IssuerKey::from_slice(&[0x11; 16])?.card_key(42);
    /// let terminal = SigningKey::from_slice(&[0x22; 32])?;
    /// let issued = card.seal(&Fields {
    ///     card_id: 42, currency: 978, exponent: 2, flags: 0,
    ///     balance: 10_000, limit: 50_000, counter: 0, amount: 0,
    ///     terminal_id: *b"ISSUER  ", timestamp: 1_700_000_000, prev_tag: [0; 8],
    /// })?;
    /// let next = issued.debit(Amount::new(1_250)?, b"SHOP0001", 1_700_000_100)?;
    /// let (s0, s1) = (issued.sign(&terminal), next.sign(&terminal));
    /// let public = terminal.public_key();
    /// let chain = [(&issued.as_bytes()[..], &s0.as_bytes()[..]), (&next.as_bytes()[..], &s1.as_bytes()[..])];
    /// assert_eq!(card.verify_chain(&public, chain), ChainVerdict::Intact { links: 2 });
    /// // A record changed on its way: it no longer verifies.
    /// let mut forged = *next.as_bytes();
    /// forged[30] ^= 1;
    /// let chain = [(&issued.as_bytes()[..], &s0.as_bytes()[..]), (&forged[..], &s1.as_bytes()[..])];
    /// assert_eq!(
    ///     card.verify_chain(&public, chain),
    ///     ChainVerdict::Broken { at: 1, fault: LinkFault::Record(Error::BadMac) }
    /// );
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn verify_chain<I, R, S>(&self, public_key: &PublicKey, links: I) -> ChainVerdict
    where
        I: IntoIterator<Item = (R, S)>,
        R: AsRef<[u8]>,
        S: AsRef<[u8]>,
    {
        walk(public_key, links, |record| {
            self.verify(record).map(Link::from)
        })
    }
}

impl IssuerKey {
    /// Audits a signed chain as [`CardKey::verify_chain`] does, each record
    /// verified under the card key of the card it claims (derived once for
    /// the card of the first record, again only for a record of another
    /// card — which then breaks the chain as [`SuccessorFault::CardId`] if
    /// it is authentic).
    ///
    /// Host side.
    ///
    /// ```
    /// use paykernel::record::IssuerKey;
    /// use paykernel::sign::PublicKey;
    ///
    /// // vectors/svr1-chain.json, case intact-2: an issued record and its
    /// // first debit, each signed by the terminal (values from the
    /// // independent reference implementation, python-ecdsa signatures).
    /// let issuer = IssuerKey::from_slice(&hex::decode("83291E269764797CDCDE87C4B18ACFCB").unwrap())?;
    /// let terminal = PublicKey::from_sec1(&hex::decode(
    ///     "0328F85B97D7EBFD02217C8E6116800CA9CC02ACED961721CE73681FB47E74A83D",
    /// ).unwrap())?;
    /// let h = |s: &str| hex::decode(s).unwrap();
    /// let records = [
    ///     h(concat!(
    ///         "535652316AE75E6F5677AF4A02F4020000000000000F4240000000000098968000000000",
    ///         "00000000000000004F41544C46302020000000006D53B73A000000000000000000000000",
    ///         "0000000000000000B4102D1E8DE6BF73CD6D9F7AB9288132",
    ///     )),
    ///     h(concat!(
    ///         "535652316AE75E6F5677AF4A02F4020000000000000F409A000000000098968000000001",
    ///         "FFFFFFFFFFFFFE5A4A3744202020202000000000853100D1B4102D1E8DE6BF7300000000",
    ///         "0000000000000000EDA826E46DCE412278E9F0FF9F4059EF",
    ///     )),
    /// ];
    /// let sigs = [
    ///     h(concat!(
    ///         "0FCAB23AA68FC8C9393550A5D3377BA797E2893F6801FCD03705A105C9676F53",
    ///         "229B53FA0EAC67E19ADA6FDE0485459E8ABEFE13C808467BFD4E0D25C6622A5C",
    ///     )),
    ///     h(concat!(
    ///         "51DD92C0B01D213670B01B5D195F1026C292B8234C731AA8107BE481CCB57FA7",
    ///         "71BACD47AC56324D4AC8AD12CCCF9139CEA98F11ECF0FB662ED660BEA41769CD",
    ///     )),
    /// ];
    /// assert!(issuer.verify_chain(&terminal, records.iter().zip(&sigs)).is_intact());
    ///
    /// // The debit presented twice: the second copy is no successor of the
    /// // first (same counter, wrong prev_tag), so the chain breaks at 1.
    /// let replay = [(&records[1], &sigs[1]), (&records[1], &sigs[1])];
    /// assert_eq!(issuer.verify_chain(&terminal, replay).broken_at(), Some(1));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn verify_chain<I, R, S>(&self, public_key: &PublicKey, links: I) -> ChainVerdict
    where
        I: IntoIterator<Item = (R, S)>,
        R: AsRef<[u8]>,
        S: AsRef<[u8]>,
    {
        let mut card: Option<CardKey> = None;
        walk(public_key, links, |record| {
            let claimed = UntrustedFields::decode(record)?.claimed.card_id;
            match &card {
                Some(key) if key.card_id() == claimed => key.verify(record).map(Link::from),
                Some(_) => self.card_key(claimed).verify(record).map(Link::from),
                None => {
                    let key = card.insert(self.card_key(claimed));
                    key.verify(record).map(Link::from)
                }
            }
        })
    }
}
