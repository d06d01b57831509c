//! Keys, sealing and verification: the issuer key, the card key derived
//! from it, and [`VerifiedRecord`], which only a successful check makes.

use core::fmt;

use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::layout::{self, Fields, MAC_INPUT_LEN, RECORD_LEN, TAG_LEN};
use crate::Error;
use crate::ct::verdict;
use crate::key::{AesKey, AesKeyLength};
use crate::mac::AesCmac;

/// The KBKDF label of the card key (`docs/svr1.md`, "The card key").
const CARD_KEY_LABEL: &[u8] = b"SVR1 card key";

/// The issuer's master key for stored-value records: AES-128 or AES-256.
///
/// Host side (and the secure element that personalises cards). Holds the
/// AES-CMAC key schedule, made once, for deriving any number of card keys.
/// Wiped on drop; prints redacted.
///
/// ```
/// use paykernel::{AesKey, Error};
/// use paykernel::record::IssuerKey;
///
/// // vectors/svr1-seal-verify.json, case verify-0 (the independent Python
/// // implementation of docs/svr1.md, vectors/tools/svr1_reference.py): an
/// // AES-256 issuer key and a record it sealed for card 15BA2BDD177219D3.
/// let issuer = IssuerKey::new(&AesKey::from_slice(&hex::decode(
///     "8BEF718044E609DE075D77EE51E8616CE4E2862A8F2D3C3B062D532C2282825C",
/// ).unwrap())?)?;
/// let record = hex::decode(concat!(
///     "5356523115BA2BDD177219D30024010000000000000BC68800000000000DCF4C000CF182",
///     "FFFFFFFFFFFEA91920435F4B202020200000000067303AB2A364CDB9DCFE82F300000000",
///     "0000000000000000DE1F1D1B75CC1F09F8690FB4ED64020B",
/// )).unwrap();
/// // The host: the key of the card the record claims, then the record.
/// let card = issuer.card_key_for(&record)?;
/// assert_eq!(card.card_id(), 0x15BA_2BDD_1772_19D3);
/// let verified = card.verify(&record)?;
/// assert_eq!(verified.fields().balance, 771_720);
///
/// // Cards use AES-128 or AES-256 keys.
/// assert_eq!(IssuerKey::from_slice(&[0; 24]).err(), Some(Error::InvalidKey));
/// assert_eq!(IssuerKey::new(&AesKey::from_slice(&[0; 24])?).err(), Some(Error::InvalidKey));
/// assert_eq!(issuer.card_key_for(&record[..95]).err(), Some(Error::InvalidRecord));
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct IssuerKey {
    prf: AesCmac,
    length: AesKeyLength,
}

impl IssuerKey {
    /// An issuer key from 16 or 32 bytes.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for any other length (AES-192 included: the
    /// card key is as long as the issuer key, and cards use AES-128 or
    /// AES-256).
    pub fn from_slice(key: &[u8]) -> Result<Self, Error> {
        let key = AesKey::from_slice(key)?;
        IssuerKey::new(&key)
    }

    /// An issuer key from an AES key of 16 or 32 bytes.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for an AES-192 key.
    pub fn new(key: &AesKey) -> Result<Self, Error> {
        match key.length() {
            AesKeyLength::Aes128 | AesKeyLength::Aes256 => Ok(IssuerKey {
                prf: AesCmac::new(key),
                length: key.length(),
            }),
            AesKeyLength::Aes192 => Err(Error::InvalidKey),
        }
    }

    /// The card key of `card_id`: NIST SP 800-108 counter mode with
    /// AES-CMAC, a 32-bit counter before the fixed data
    /// `"SVR1 card key" || 00 || card_id (8 bytes, big-endian) || L (32
    /// bits)`, L = 128 or 256 as the issuer key.
    ///
    /// ```
    /// use paykernel::record::IssuerKey;
    ///
    /// // vectors/svr1-card-key.json, case aes128-1 (the independent Python
    /// // implementation of docs/svr1.md, vectors/tools/svr1_reference.py).
    /// let issuer = IssuerKey::from_slice(&hex::decode("3B583BAD38C275F34AED056AD6EA8EEC").unwrap())?;
    /// let card = issuer.card_key(1);
    /// assert_eq!(hex::encode_upper(card.expose_secret()), "93EE34CE38D76C9253CD91884E8D5FB5");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn card_key(&self, card_id: u64) -> CardKey {
        let id = card_id.to_be_bytes();
        let block = |i: u32, bits: u32| {
            self.prf.compute_parts(&[
                &i.to_be_bytes(),
                CARD_KEY_LABEL,
                &[0u8],
                &id,
                &bits.to_be_bytes(),
            ])
        };
        let key = match self.length {
            AesKeyLength::Aes256 => {
                let mut okm = [0u8; 32];
                let (k1, k2) = okm.split_at_mut(16);
                let mut b1 = block(1, 256);
                let mut b2 = block(2, 256);
                k1.copy_from_slice(&b1);
                k2.copy_from_slice(&b2);
                let key = AesKey::aes256(&okm);
                b1.zeroize();
                b2.zeroize();
                okm.zeroize();
                key
            }
            AesKeyLength::Aes128 | AesKeyLength::Aes192 => {
                let mut okm = block(1, 128);
                let key = AesKey::aes128(&okm);
                okm.zeroize();
                key
            }
        };
        CardKey::with_key(key, card_id)
    }

    /// The card key of the card that `record` claims to be for (its
    /// `card_id` field, not yet trusted). Verifying `record` under the key
    /// is what makes the claim trustworthy.
    ///
    /// # Errors
    /// [`Error::InvalidRecord`] if `record` is not 96 bytes.
    pub fn card_key_for(&self, record: &[u8]) -> Result<CardKey, Error> {
        let claimed = layout::UntrustedFields::decode(record)?.claimed;
        Ok(self.card_key(claimed.card_id))
    }
}

impl ZeroizeOnDrop for IssuerKey {}

impl fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuerKey")
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}

/// The key of one card: it seals and verifies that card's records.
///
/// Card side (or the host, after [`IssuerKey::card_key`]). Holds the
/// AES-CMAC key schedule, made once. It knows its card: it refuses to seal
/// fields of another card and finds every record of another card
/// unauthentic. Wiped on drop; prints redacted.
///
/// ```
/// use paykernel::Error;
/// use paykernel::record::{CardKey, IssuerKey};
///
/// // vectors/svr1-card-key.json, case aes128-1: card 1's key, derived by
/// // the issuer and loaded into the card as bytes.
/// let issuer = IssuerKey::from_slice(&hex::decode("3B583BAD38C275F34AED056AD6EA8EEC").unwrap())?;
/// let derived = issuer.card_key(1);
/// let on_card = CardKey::from_slice(derived.expose_secret(), 1)?;
/// assert_eq!(on_card.card_id(), 1);
/// assert_eq!(hex::encode_upper(on_card.expose_secret()), "93EE34CE38D76C9253CD91884E8D5FB5");
/// assert_eq!(format!("{on_card:?}"), "CardKey { card_id: 1, length: Aes128, .. }");
/// assert_eq!(CardKey::from_slice(&[0; 24], 1).err(), Some(Error::InvalidKey));
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct CardKey {
    key: AesKey,
    mac: AesCmac,
    card_id: u64,
}

impl CardKey {
    /// The card key of `card_id`, as the card holds it (16 or 32 bytes).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for any other length.
    pub fn from_slice(key: &[u8], card_id: u64) -> Result<Self, Error> {
        let key = AesKey::from_slice(key)?;
        match key.length() {
            AesKeyLength::Aes128 | AesKeyLength::Aes256 => Ok(CardKey::with_key(key, card_id)),
            AesKeyLength::Aes192 => Err(Error::InvalidKey),
        }
    }

    fn with_key(key: AesKey, card_id: u64) -> CardKey {
        let mac = AesCmac::new(&key);
        CardKey { key, mac, card_id }
    }

    /// The card this key belongs to.
    #[must_use]
    pub fn card_id(&self) -> u64 {
        self.card_id
    }

    /// The key's bytes (16 or 32), to load into a card. Handle with care:
    /// this is the secret.
    #[must_use]
    pub fn expose_secret(&self) -> &[u8] {
        self.key.expose_secret()
    }

    /// Opens a record: checks its structure, then its tag.
    ///
    /// ```
    /// use paykernel::Error;
    /// use paykernel::record::IssuerKey;
    ///
    /// // vectors/svr1-update.json, case seq0-0-debit (from the independent
    /// // reference implementation of docs/svr1.md).
    /// let issuer = IssuerKey::from_slice(&hex::decode("978B215EEA9A79A094109B03E8D67842").unwrap())?;
    /// let mut stored = hex::decode(concat!(
    ///     "53565231D62256758A7D43B503E70300000000000000077F0000000000001388",
    ///     "000A399F00000000000076BF3759412020202020000000006EE462EBC61028C2",
    ///     "F5970A4D000000000000000000000000BA080A5310003DFD97D6B9CB071ACE9A",
    /// )).unwrap();
    /// let card = issuer.card_key_for(&stored)?;
    /// let record = card.verify(&stored)?;
    /// assert_eq!((record.fields().balance, record.fields().counter), (1919, 670111));
    ///
    /// // One bit changed in a field that stays well formed: the tag no
    /// // longer matches.
    /// stored[55] ^= 0x01; // the timestamp
    /// assert_eq!(card.verify(&stored).err(), Some(Error::BadMac));
    /// // A record that is not even well formed never reaches the tag.
    /// assert_eq!(card.verify(&stored[..95]).err(), Some(Error::InvalidRecord));
    /// # Ok::<(), Error>(())
    /// ```
    ///
    /// # Errors
    /// - [`Error::InvalidRecord`] for a length other than 96, a wrong magic,
    ///   non-zero reserved bytes, unknown flag bits, an exponent above 4, a
    ///   currency outside `1..=999`, a `terminal_id` byte outside printable
    ///   ASCII or a balance above the limit; all of these before the tag.
    /// - [`Error::BadMac`] for a tag that does not match (compared in
    ///   constant time), or a record of another card.
    pub fn verify(&self, record: &[u8]) -> Result<VerifiedRecord<'_>, Error> {
        let bytes: &[u8; RECORD_LEN] = record.try_into().map_err(|_| Error::InvalidRecord)?;
        let decoded = layout::decode(bytes);
        if decoded.fault().is_some() {
            return Err(Error::InvalidRecord);
        }
        let (body, tag) = layout::split_tag(bytes);
        let mut expected = self.tag(body);
        let matches = expected.ct_eq(tag);
        expected.zeroize();
        // The card_id comparison is on public data; the tag comparison
        // becomes a decision only in the kernel's one verdict.
        let same_card = Choice::from(u8::from(decoded.claimed.card_id == self.card_id));
        let record = VerifiedRecord {
            bytes: *bytes,
            fields: decoded.claimed,
            key: self,
        };
        verdict(record, matches & same_card, Error::BadMac)
    }

    /// Seals `fields` into a new record under this key.
    ///
    /// Issuer side (issuance, re-issue); terminals update records with
    /// [`VerifiedRecord::debit`] and [`VerifiedRecord::credit`].
    ///
    /// ```
    /// use paykernel::record::{Fields, IssuerKey};
    ///
    /// // docs/svr1.md's example: vectors/svr1-seal-verify.json, case seal-0.
    /// let issuer = IssuerKey::from_slice(&hex::decode(
    ///     "8BEF718044E609DE075D77EE51E8616CE4E2862A8F2D3C3B062D532C2282825C",
    /// ).unwrap())?;
    /// let card = issuer.card_key(0x15BA_2BDD_1772_19D3);
    /// let record = card.seal(&Fields {
    ///     card_id: 0x15BA_2BDD_1772_19D3,
    ///     currency: 36,
    ///     exponent: 1,
    ///     flags: 0,
    ///     balance: 771_720,
    ///     limit: 905_036,
    ///     counter: 848_258,
    ///     amount: -87_783,
    ///     terminal_id: *b" C_K    ",
    ///     timestamp: 1_731_214_002,
    ///     prev_tag: [0xA3, 0x64, 0xCD, 0xB9, 0xDC, 0xFE, 0x82, 0xF3],
    /// })?;
    /// assert_eq!(hex::encode_upper(record.tag()), "DE1F1D1B75CC1F09F8690FB4ED64020B");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// - [`Error::InvalidRecord`] for fields that [`CardKey::verify`] would
    ///   refuse as [`Error::InvalidRecord`].
    /// - [`Error::InvalidKey`] if `fields.card_id` is not this key's card.
    pub fn seal(&self, fields: &Fields) -> Result<VerifiedRecord<'_>, Error> {
        if fields.fault().is_some() {
            return Err(Error::InvalidRecord);
        }
        if fields.card_id != self.card_id {
            return Err(Error::InvalidKey);
        }
        Ok(self.seal_unchecked(fields))
    }

    /// Seals fields that keep every rule and belong to this card.
    pub(crate) fn seal_unchecked(&self, fields: &Fields) -> VerifiedRecord<'_> {
        let mut bytes = fields.encode();
        let (body, _) = layout::split_tag(&bytes);
        let tag = self.tag(body);
        let (_, tag_dst) = bytes.split_at_mut(MAC_INPUT_LEN);
        tag_dst.copy_from_slice(&tag);
        VerifiedRecord {
            bytes,
            fields: *fields,
            key: self,
        }
    }

    fn tag(&self, body: &[u8; MAC_INPUT_LEN]) -> [u8; TAG_LEN] {
        self.mac.compute(body)
    }
}

impl ZeroizeOnDrop for CardKey {}

impl fmt::Debug for CardKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardKey")
            .field("card_id", &self.card_id)
            .field("length", &self.key.length())
            .finish_non_exhaustive()
    }
}

/// A record whose structure and tag have been checked under a card key.
///
/// Only [`CardKey::verify`], [`CardKey::seal`], [`VerifiedRecord::debit`],
/// [`VerifiedRecord::credit`] and [`select`](super::select) make one. It
/// borrows the key that checked it, so that its successor is sealed under
/// the same key.
///
/// Nothing outside the kernel can build one from bytes or fields:
///
/// ```compile_fail,E0451
/// use paykernel::record::{CardKey, Fields, VerifiedRecord};
/// fn forge<'k>(key: &'k CardKey, fields: Fields) -> VerifiedRecord<'k> {
///     VerifiedRecord { bytes: [0u8; 96], fields, key }
/// }
/// ```
///
/// What one holds:
///
/// ```
/// use paykernel::record::{Amount, IssuerKey, SuccessorFault};
///
/// // vectors/svr1-seal-verify.json, case verify-0 (see IssuerKey).
/// let issuer = IssuerKey::from_slice(&hex::decode(
///     "8BEF718044E609DE075D77EE51E8616CE4E2862A8F2D3C3B062D532C2282825C",
/// ).unwrap())?;
/// let record = hex::decode(concat!(
///     "5356523115BA2BDD177219D30024010000000000000BC68800000000000DCF4C000CF182",
///     "FFFFFFFFFFFEA91920435F4B202020200000000067303AB2A364CDB9DCFE82F300000000",
///     "0000000000000000DE1F1D1B75CC1F09F8690FB4ED64020B",
/// )).unwrap();
/// let card = issuer.card_key_for(&record)?;
/// let current = card.verify(&record)?;
/// assert_eq!(current.as_bytes()[..], record[..]);
/// assert_eq!(current.tag()[..], record[80..]);
/// let f = current.fields();
/// assert_eq!((f.currency, f.exponent, f.counter, f.amount), (36, 1, 848_258, -87_783));
///
/// // Its successor (a debit) links back to it; the reverse is no link.
/// let next = current.debit(Amount::new(720)?, b"SHOP0001", 1_731_214_100)?;
/// assert!(next.is_successor_of(&current));
/// assert_eq!(next.successor_fault(&current), None);
/// assert_eq!(current.successor_fault(&next), Some(SuccessorFault::Counter));
/// assert_eq!(SuccessorFault::Counter.describe(), "counter is not the previous counter + 1");
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Clone)]
pub struct VerifiedRecord<'k> {
    bytes: [u8; RECORD_LEN],
    fields: Fields,
    key: &'k CardKey,
}

impl<'k> VerifiedRecord<'k> {
    /// The fields (all but magic, reserved bytes and tag).
    #[must_use]
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The 96 bytes, to store or transmit.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; RECORD_LEN] {
        &self.bytes
    }

    /// The tag (bytes 80..96).
    #[must_use]
    pub fn tag(&self) -> &[u8; TAG_LEN] {
        layout::split_tag(&self.bytes).1
    }

    /// The key that checked or sealed this record.
    pub(crate) fn key(&self) -> &'k CardKey {
        self.key
    }
}

impl fmt::Debug for VerifiedRecord<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedRecord")
            .field("fields", &self.fields)
            .field("tag", self.tag())
            .finish_non_exhaustive()
    }
}
