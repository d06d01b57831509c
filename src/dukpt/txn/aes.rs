//! AES DUKPT keys in use (ANSI X9.24-3-2017): data encryption (AES-CBC, or
//! TDES-CBC for the 2TDEA and 3TDEA key types), CMAC for the AES key types
//! and HMAC-SHA-256 for the HMAC key types, and a transaction in one call
//! on either side.
//!
//! - Either side: [`Transaction`], the keys of one KSN; [`encrypt`],
//!   [`decrypt`], [`mac`] and [`verify_mac`] under a working key already in
//!   hand (a terminal's [`AesTerminal::derive_working_key`]).
//! - Terminal side: [`terminal_request`].
//! - Host side: [`Host`] ([`Host::process`], [`Host::process_many`]).
//!
//! The usage names the key, not the direction: a request is encrypted
//! under `data-encrypt` and MACed under `mac-generate`, a response under
//! `data-decrypt` and `mac-verify` (openemv/dukpt's convention).
//!
//! A request and its response, both ways:
//!
//! ```
//! use paykernel::AesKey;
//! use paykernel::dukpt::{aes, AesKsn};
//! use paykernel::dukpt::aes::AesTerminal;
//! use paykernel::dukpt::txn::{Request, Response, TerminalInput};
//! use paykernel::dukpt::txn::aes::{Host, KeyTypes, terminal_request};
//! use paykernel::pin::{Format, PinBlockCipher};
//! # struct NoRandom;
//! # impl rand_core::TryRng for NoRandom {
//! #     type Error = core::convert::Infallible;
//! #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
//! #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(0) }
//! #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(0); Ok(()) }
//! # }
//! # impl rand_core::TryCryptoRng for NoRandom {}
//!
//! // The X9.24-3-2017 supplement's AES-128 BDK and initial key ID.
//! let bdk = AesKey::from_slice(&hex::decode("FEDCBA9876543210F1F1F1F1F1F1F1F1").unwrap())?;
//! let ksn0 = AesKsn::from_hex("123456789012345600000000")?;
//! let ik = aes::derive_initial_key(&bdk, &ksn0.initial_key_id())?;
//! let mut terminal = AesTerminal::load_initial_key(&ik, &ksn0)?;
//!
//! // Terminal: a request with 16 bytes of data.
//! let mut data = *b"4012345678909D98";
//! let sent = terminal_request(&mut terminal, &KeyTypes::AES128, TerminalInput {
//!     pin: None, message: b"amount=100", data: &mut data, iv: None, mac_len: 8,
//! }, &mut NoRandom)?;
//!
//! // Host: check and decrypt the request, then answer it.
//! let zone = PinBlockCipher::new(Format::Iso0, &[0x11; 16])?;
//! let host = Host::new(&bdk, KeyTypes::AES128, &zone)?;
//! let done = host.process(&mut Request {
//!     ksn: sent.ksn, message: b"amount=100", pin: None, data: &mut data, iv: None,
//!     mac: sent.mac.as_bytes(),
//! }, &mut NoRandom)?;
//! assert_eq!(&data, b"4012345678909D98");
//! let mut reply = *b"approved 000123\0";
//! let reply_mac = host.respond(&done, Response { message: b"00", data: &mut reply, iv: None }, 8)?;
//!
//! // Terminal: the response keys it kept open the reply; a wrong MAC is
//! // refused and nothing is decrypted.
//! let mut tampered = reply;
//! let mut bad = reply_mac.as_bytes().to_vec();
//! bad[0] ^= 1;
//! assert_eq!(
//!     sent.response.open_response(Response { message: b"00", data: &mut tampered, iv: None }, &bad),
//!     Err(paykernel::Error::BadMac)
//! );
//! assert_eq!(tampered, reply);
//! sent.response.open_response(Response { message: b"00", data: &mut reply, iv: None }, reply_mac.as_bytes())?;
//! assert_eq!(&reply, b"approved 000123\0");
//! # Ok::<(), paykernel::Error>(())
//! ```

use core::fmt;

use hmac::{Hmac, KeyInit, Mac as _};
use rand_core::TryCryptoRng;
use sha2::Sha256;
use subtle::Choice;

use super::{
    EncipheredPin, Mac, Processed, Request, Response, TerminalInput, TerminalOutput, check_mac_len,
    mac_input, verify_full, whole_blocks,
};
use crate::ct::verdict;
use crate::dukpt::AesKsn;
use crate::dukpt::aes::{
    AesTerminal, KeyType, KeyUsage, WorkingKey, check_working_key, derive_initial_key,
    derive_transaction_key, derive_working_key_from_transaction_key,
};
use crate::mac::AesCmac;
use crate::mode::cbc::{self, AesIv, Iv, TdesIv};
use crate::pin::{Format, PinBlock, PinBlockCipher, translate_between};
use crate::{AesCipher, AesKey, AesKeyLength, Error, TdesCipher};

/// The full CMAC of the AES key types: 16 bytes.
pub const CMAC_LEN: usize = 16;

/// The full HMAC-SHA-256 of the HMAC key types: 32 bytes.
pub const HMAC_LEN: usize = 32;

/// The key types a terminal profile uses for each job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyTypes {
    /// The PIN key: an AES type (PIN block format 4) or 2TDEA/3TDEA
    /// (formats 0 to 3).
    pub pin: KeyType,
    /// The MAC key: an AES type (CMAC) or an HMAC type (HMAC-SHA-256).
    pub mac: KeyType,
    /// The data key: an AES type (AES-CBC) or 2TDEA/3TDEA (TDES-CBC).
    pub data: KeyType,
}

impl KeyTypes {
    /// AES-128 for every job: PIN block format 4, AES-CMAC, AES-CBC.
    pub const AES128: KeyTypes = KeyTypes {
        pin: KeyType::Aes128,
        mac: KeyType::Aes128,
        data: KeyType::Aes128,
    };

    /// Every key type is one an initial key of `length` gives for its job.
    fn check(&self, length: AesKeyLength) -> Result<(), Error> {
        check_working_key(length, self.pin, KeyUsage::PinEncryption)?;
        check_working_key(length, self.mac, KeyUsage::MacGeneration)?;
        full_mac_len(self.mac)?;
        data_block(self.data)?;
        check_working_key(length, self.data, KeyUsage::DataEncrypt)
    }
}

/// The full MAC of a key type: 16 bytes (CMAC) for the AES types, 32
/// (HMAC-SHA-256) for the HMAC types.
///
/// ```
/// use paykernel::Error;
/// use paykernel::dukpt::aes::KeyType;
/// use paykernel::dukpt::txn::aes::full_mac_len;
/// assert_eq!(full_mac_len(KeyType::Aes256), Ok(16));
/// assert_eq!(full_mac_len(KeyType::Hmac128), Ok(32));
/// assert_eq!(full_mac_len(KeyType::Tdea2), Err(Error::Unsupported));
/// ```
///
/// # Errors
/// [`Error::Unsupported`] for 2TDEA and 3TDEA (no MAC of theirs is
/// defined here).
pub fn full_mac_len(key_type: KeyType) -> Result<usize, Error> {
    match key_type {
        KeyType::Aes128 | KeyType::Aes192 | KeyType::Aes256 => Ok(CMAC_LEN),
        KeyType::Hmac128 | KeyType::Hmac192 | KeyType::Hmac256 => Ok(HMAC_LEN),
        KeyType::Tdea2 | KeyType::Tdea3 => Err(Error::Unsupported),
    }
}

/// The cipher block of a data key type: 8 bytes (TDES) or 16 (AES).
///
/// ```
/// use paykernel::Error;
/// use paykernel::dukpt::aes::KeyType;
/// use paykernel::dukpt::txn::aes::data_block;
/// assert_eq!(data_block(KeyType::Tdea3), Ok(8));
/// assert_eq!(data_block(KeyType::Aes128), Ok(16));
/// assert_eq!(data_block(KeyType::Hmac256), Err(Error::Unsupported));
/// ```
///
/// # Errors
/// [`Error::Unsupported`] for the HMAC types.
pub fn data_block(key_type: KeyType) -> Result<usize, Error> {
    match key_type {
        KeyType::Tdea2 | KeyType::Tdea3 => Ok(8),
        KeyType::Aes128 | KeyType::Aes192 | KeyType::Aes256 => Ok(16),
        KeyType::Hmac128 | KeyType::Hmac192 | KeyType::Hmac256 => Err(Error::Unsupported),
    }
}

fn is_data(usage: KeyUsage) -> bool {
    matches!(
        usage,
        KeyUsage::DataEncrypt | KeyUsage::DataDecrypt | KeyUsage::DataBoth
    )
}

fn is_mac(usage: KeyUsage) -> bool {
    matches!(
        usage,
        KeyUsage::MacGeneration | KeyUsage::MacVerification | KeyUsage::MacBoth
    )
}

/// The data IV of a block size: zeros by default; another size refused.
fn iv_for(block: usize, iv: Option<&Iv>) -> Result<Iv, Error> {
    match (block, iv) {
        (8, None) => Ok(Iv::Tdes(TdesIv::ZERO)),
        (16, None) => Ok(Iv::Aes(AesIv::ZERO)),
        (8, Some(Iv::Tdes(iv))) => Ok(Iv::Tdes(*iv)),
        (16, Some(Iv::Aes(iv))) => Ok(Iv::Aes(*iv)),
        _ => Err(Error::InvalidLength),
    }
}

/// Encrypts `data` in place, CBC under a data working key: AES-CBC for an
/// AES key, TDES-CBC for a 2TDEA or 3TDEA key; zero IV when `iv` is
/// `None`. Either side.
///
/// ```
/// use paykernel::dukpt::AesKsn;
/// use paykernel::dukpt::aes::{KeyType, KeyUsage};
/// use paykernel::dukpt::txn::aes::{Transaction, decrypt, encrypt};
/// use paykernel::AesKey;
///
/// // The X9.24-3-2017 supplement's AES-128 BDK, transaction 1: its
/// // data-encrypt key over "4012345678909D987" zero-padded to 32 bytes
/// // (moov-io/dukpt's tests).
/// let bdk = AesKey::from_slice(&[
///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
///     0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1,
/// ])?;
/// let t = Transaction::from_bdk(&bdk, &AesKsn::from_hex("123456789012345600000001")?)?;
/// let key = t.working_key(KeyType::Aes128, KeyUsage::DataEncrypt)?;
/// let mut data = *b"4012345678909D987\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
/// encrypt(&key, None, &mut data)?;
/// assert_eq!(&data[..8], &[0xE5, 0xAF, 0xA5, 0xB4, 0x08, 0xA3, 0x31, 0x0E]);
/// decrypt(&key, None, &mut data)?;
/// assert_eq!(&data[..17], b"4012345678909D987");
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::Unsupported`] for an HMAC key; [`Error::InvalidLength`] for
/// data that is not a whole, non-zero number of the cipher's blocks, or an
/// IV of the other cipher.
pub fn encrypt(key: &WorkingKey, iv: Option<&Iv>, data: &mut [u8]) -> Result<(), Error> {
    cbc_under(key, iv, data, true)
}

/// Decrypts `data` in place under a data working key, as [`encrypt`]
/// encrypts it. Either side.
///
/// ```
/// use paykernel::dukpt::AesKsn;
/// use paykernel::dukpt::aes::{KeyType, KeyUsage};
/// use paykernel::dukpt::txn::aes::{Transaction, decrypt};
/// use paykernel::{AesKey, Error};
///
/// // The X9.24-3-2017 supplement's AES-128 BDK, transaction 1: the
/// // first block of its data-encrypt encryption of "4012345678909D987"
/// // (moov-io/dukpt's tests; see `encrypt`), decrypted.
/// let bdk = AesKey::from_slice(&hex::decode("FEDCBA9876543210F1F1F1F1F1F1F1F1").unwrap())?;
/// let t = Transaction::from_bdk(&bdk, &AesKsn::from_hex("123456789012345600000001")?)?;
/// let key = t.working_key(KeyType::Aes128, KeyUsage::DataEncrypt)?;
/// let mut data = *b"4012345678909D987\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
/// paykernel::dukpt::txn::aes::encrypt(&key, None, &mut data)?;
/// decrypt(&key, None, &mut data)?;
/// assert_eq!(&data[..17], b"4012345678909D987");
/// // Whole 16-byte blocks only.
/// assert_eq!(decrypt(&key, None, &mut data[..8]), Err(Error::InvalidLength));
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// As [`encrypt`].
pub fn decrypt(key: &WorkingKey, iv: Option<&Iv>, data: &mut [u8]) -> Result<(), Error> {
    cbc_under(key, iv, data, false)
}

fn cbc_under(key: &WorkingKey, iv: Option<&Iv>, data: &mut [u8], enc: bool) -> Result<(), Error> {
    let block = match key {
        WorkingKey::Tdes(_) => 8,
        WorkingKey::Aes(_) => 16,
        WorkingKey::Hmac(_) => return Err(Error::Unsupported),
    };
    if data.is_empty() {
        return Err(Error::InvalidLength);
    }
    whole_blocks(data, block)?;
    match (key, iv_for(block, iv)?) {
        (WorkingKey::Tdes(k), Iv::Tdes(iv)) => {
            let c = TdesCipher::new(k);
            if enc {
                cbc::tdes_encrypt(&c, &iv, data)
            } else {
                cbc::tdes_decrypt(&c, &iv, data)
            }
        }
        (WorkingKey::Aes(k), Iv::Aes(iv)) => {
            let c = AesCipher::new(k);
            if enc {
                cbc::aes_encrypt(&c, &iv, data)
            } else {
                cbc::aes_decrypt(&c, &iv, data)
            }
        }
        _ => Err(Error::Unsupported),
    }
}

/// The full MAC of the concatenation of `parts` under a MAC working key,
/// into the first 16 (CMAC) or 32 (HMAC) bytes of a 32-byte buffer.
fn full_mac(key: &WorkingKey, parts: &[&[u8]]) -> Result<([u8; HMAC_LEN], usize), Error> {
    let mut out = [0u8; HMAC_LEN];
    match key {
        WorkingKey::Aes(k) => {
            let mut tag = AesCmac::new(k).compute_parts(parts);
            if let Some(dst) = out.get_mut(..CMAC_LEN) {
                dst.copy_from_slice(&tag);
            }
            zeroize::Zeroize::zeroize(&mut tag);
            Ok((out, CMAC_LEN))
        }
        WorkingKey::Hmac(k) => {
            let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(k.expose_secret())
                .map_err(|_| Error::InvalidKey)?;
            for p in parts {
                m.update(p);
            }
            out.copy_from_slice(&m.finalize().into_bytes());
            Ok((out, HMAC_LEN))
        }
        WorkingKey::Tdes(_) => Err(Error::Unsupported),
    }
}

/// The MAC of the concatenation of `parts` under a MAC working key, its
/// leftmost `len` bytes: AES-CMAC (16 bytes) for an AES key, HMAC-SHA-256
/// (32 bytes) for an HMAC key. Either side.
///
/// ```
/// use paykernel::dukpt::AesKsn;
/// use paykernel::dukpt::aes::{KeyType, KeyUsage};
/// use paykernel::dukpt::txn::aes::{Transaction, mac};
/// use paykernel::AesKey;
///
/// // The X9.24-3-2017 supplement's AES-128 BDK, transaction 1: the
/// // HMAC-SHA-256 of "4012345678909D987" under its HMAC128 mac-generate
/// // key, leftmost 8 bytes (moov-io/dukpt's tests).
/// let bdk = AesKey::from_slice(&[
///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
///     0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1,
/// ])?;
/// let t = Transaction::from_bdk(&bdk, &AesKsn::from_hex("123456789012345600000001")?)?;
/// let key = t.working_key(KeyType::Hmac128, KeyUsage::MacGeneration)?;
/// let tag = mac(&key, &[b"40123456", b"78909D987"], 8)?;
/// assert_eq!(tag.as_bytes(), &[0xB6, 0xF8, 0xB3, 0x15, 0x9C, 0xD4, 0xE1, 0x40]);
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::Unsupported`] for a TDES key; [`Error::InvalidLength`] for
/// `len` outside 4 to the full MAC.
pub fn mac(key: &WorkingKey, parts: &[&[u8]], len: usize) -> Result<Mac, Error> {
    let (mut full, n) = full_mac(key, parts)?;
    if let Err(e) = check_mac_len(len, n) {
        zeroize::Zeroize::zeroize(&mut full);
        return Err(e);
    }
    Mac::truncate(&mut full, len)
}

/// Whether `candidate` (4 bytes up to the full MAC) is the leftmost bytes
/// of the MAC of `parts` under a MAC working key, compared in constant
/// time. The answer is a [`Choice`] the kernel does not branch on:
/// `bool::from` it where the caller decides.
///
/// ```
/// use paykernel::dukpt::AesKsn;
/// use paykernel::dukpt::aes::{KeyType, KeyUsage};
/// use paykernel::dukpt::txn::aes::{Transaction, verify_mac};
/// use paykernel::{AesKey, Error};
///
/// // The X9.24-3-2017 supplement's AES-128 BDK, transaction 1: the
/// // HMAC-SHA-256 of "4012345678909D987" under its HMAC128 mac-generate
/// // key, leftmost 8 bytes (moov-io/dukpt's tests).
/// let bdk = AesKey::from_slice(&hex::decode("FEDCBA9876543210F1F1F1F1F1F1F1F1").unwrap())?;
/// let t = Transaction::from_bdk(&bdk, &AesKsn::from_hex("123456789012345600000001")?)?;
/// let key = t.working_key(KeyType::Hmac128, KeyUsage::MacGeneration)?;
/// let tag = [0xB6, 0xF8, 0xB3, 0x15, 0x9C, 0xD4, 0xE1, 0x40];
/// assert!(bool::from(verify_mac(&key, &[b"4012345678909D987"], &tag)?));
/// assert!(!bool::from(verify_mac(&key, &[b"4012345678909D988"], &tag)?));
/// assert_eq!(verify_mac(&key, &[b"4012345678909D987"], &tag[..3]).err(), Some(Error::InvalidLength));
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::Unsupported`] for a TDES key; [`Error::InvalidLength`] for a
/// `candidate` outside 4 bytes to the full MAC (16 bytes for CMAC, 32 for
/// HMAC): 1 to 3 bytes are guessed too easily.
pub fn verify_mac(key: &WorkingKey, parts: &[&[u8]], candidate: &[u8]) -> Result<Choice, Error> {
    check_mac_len(candidate.len(), working_mac_len(key)?)?;
    Ok(verify_choice(key, parts, candidate))
}

/// The full MAC of a MAC working key: 16 bytes (AES-CMAC) or 32
/// (HMAC-SHA-256); a TDES key makes none.
fn working_mac_len(key: &WorkingKey) -> Result<usize, Error> {
    match key {
        WorkingKey::Aes(_) => Ok(CMAC_LEN),
        WorkingKey::Hmac(_) => Ok(HMAC_LEN),
        WorkingKey::Tdes(_) => Err(Error::Unsupported),
    }
}

fn verify_choice(key: &WorkingKey, parts: &[&[u8]], candidate: &[u8]) -> Choice {
    match full_mac(key, parts) {
        Ok((mut full, n)) => {
            let ok = if candidate.len() <= n {
                verify_full(&mut full, candidate)
            } else {
                Choice::from(0)
            };
            zeroize::Zeroize::zeroize(&mut full);
            ok
        }
        Err(_) => Choice::from(0),
    }
}

/// The keys of one AES DUKPT transaction: its KSN and intermediate
/// derivation key, from which every working key comes. Host side (a
/// terminal derives its working keys from its registers:
/// [`AesTerminal::derive_working_key`]). Wiped on drop.
///
/// ```
/// use paykernel::{AesKey, AesKeyLength};
/// use paykernel::dukpt::{aes, AesKsn};
/// use paykernel::dukpt::aes::{KeyType, KeyUsage};
/// use paykernel::dukpt::txn::aes::Transaction;
///
/// // The X9.24-3-2017 supplement, AES-128: BDK, initial key, counter 1.
/// let bdk = AesKey::from_slice(&hex::decode("FEDCBA9876543210F1F1F1F1F1F1F1F1").unwrap())?;
/// let ik = AesKey::from_slice(&hex::decode("1273671EA26AC29AFA4D1084127652A1").unwrap())?;
/// let ksn = AesKsn::from_hex("123456789012345600000001")?;
/// let t = Transaction::from_initial_key(&ik, &ksn)?;
/// assert_eq!(t.ksn(), &ksn);
/// assert_eq!(t.key_length(), AesKeyLength::Aes128);
/// // Its PIN key, as aes::derive_working_key gives it.
/// let pin = t.working_key(KeyType::Aes128, KeyUsage::PinEncryption)?;
/// assert_eq!(hex::encode_upper(pin.expose_secret()), "AF8CB133A78F8DC2D1359F18527593FB");
///
/// // From the BDK, the same transaction: data both ways, a MAC in parts.
/// let host = Transaction::from_bdk(&bdk, &ksn)?;
/// let mut data = *b"4012345678909D987\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
/// t.encrypt_data(KeyType::Aes128, KeyUsage::DataEncrypt, None, &mut data)?;
/// host.decrypt_data(KeyType::Aes128, KeyUsage::DataEncrypt, None, &mut data)?;
/// assert_eq!(&data[..17], b"4012345678909D987");
/// // moov-io/dukpt's tests: the CMAC of "4012345678909D987", A2EB5C1C...
/// let mac = t.mac_parts(KeyType::Aes128, KeyUsage::MacGeneration, &[b"40123456", b"78909D987"], 4)?;
/// assert_eq!(mac.as_bytes(), &[0xA2, 0xEB, 0x5C, 0x1C]);
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct Transaction {
    ksn: AesKsn,
    key: AesKey,
}

impl Transaction {
    /// The transaction of `ksn` from the BDK.
    ///
    /// # Errors
    /// None in practice.
    pub fn from_bdk(bdk: &AesKey, ksn: &AesKsn) -> Result<Transaction, Error> {
        let ik = derive_initial_key(bdk, &ksn.initial_key_id())?;
        Transaction::from_initial_key(&ik, ksn)
    }

    /// The transaction of `ksn` from the terminal's initial key.
    ///
    /// # Errors
    /// None in practice.
    pub fn from_initial_key(initial_key: &AesKey, ksn: &AesKsn) -> Result<Transaction, Error> {
        Ok(Transaction {
            ksn: *ksn,
            key: derive_transaction_key(initial_key, ksn)?,
        })
    }

    /// The transaction's KSN.
    #[must_use]
    pub fn ksn(&self) -> &AesKsn {
        &self.ksn
    }

    /// The length of the initial key, which bounds the key types.
    #[must_use]
    pub fn key_length(&self) -> AesKeyLength {
        self.key.length()
    }

    /// A working key of the transaction.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a key type stronger than the initial key,
    /// or an HMAC key type with a usage other than the MAC ones.
    pub fn working_key(&self, key_type: KeyType, usage: KeyUsage) -> Result<WorkingKey, Error> {
        derive_working_key_from_transaction_key(&self.key, &self.ksn, key_type, usage)
    }

    /// Encrypts `data` in place under the data key of `key_type` and
    /// `usage` (a `data-*` usage): [`encrypt`].
    ///
    /// ```
    /// use paykernel::dukpt::AesKsn;
    /// use paykernel::dukpt::aes::{KeyType, KeyUsage};
    /// use paykernel::dukpt::txn::aes::Transaction;
    /// use paykernel::AesKey;
    ///
    /// // The X9.24-3-2017 supplement's AES-128 BDK, transaction 1; the
    /// // values of moov-io/dukpt's tests ("4012345678909D987", zero-padded).
    /// let bdk = AesKey::from_slice(&[
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    ///     0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1,
    /// ])?;
    /// let t = Transaction::from_bdk(&bdk, &AesKsn::from_hex("123456789012345600000001")?)?;
    /// let mut data = [0u8; 32];
    /// data[..17].copy_from_slice(b"4012345678909D987");
    /// t.encrypt_data(KeyType::Aes128, KeyUsage::DataEncrypt, None, &mut data)?;
    /// assert_eq!(&data[..4], &[0xE5, 0xAF, 0xA5, 0xB4]);
    /// let mac = t.mac(KeyType::Aes128, KeyUsage::MacGeneration, b"4012345678909D987", 16)?;
    /// assert_eq!(&mac.as_bytes()[..4], &[0xA2, 0xEB, 0x5C, 0x1C]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Unsupported`] for an HMAC key type, a usage other than
    /// the data ones, or a key type stronger than the initial key;
    /// [`Error::InvalidLength`] for data that is not a whole, non-zero
    /// number of the cipher's blocks or an IV of another size.
    pub fn encrypt_data(
        &self,
        key_type: KeyType,
        usage: KeyUsage,
        iv: Option<&Iv>,
        data: &mut [u8],
    ) -> Result<(), Error> {
        let key = self.data_key(key_type, usage, iv, data)?;
        encrypt(&key, iv, data)
    }

    /// Decrypts `data` in place under the data key of `key_type` and
    /// `usage`: [`decrypt`].
    ///
    /// # Errors
    /// As [`Transaction::encrypt_data`].
    pub fn decrypt_data(
        &self,
        key_type: KeyType,
        usage: KeyUsage,
        iv: Option<&Iv>,
        data: &mut [u8],
    ) -> Result<(), Error> {
        let key = self.data_key(key_type, usage, iv, data)?;
        decrypt(&key, iv, data)
    }

    fn data_key(
        &self,
        key_type: KeyType,
        usage: KeyUsage,
        iv: Option<&Iv>,
        data: &[u8],
    ) -> Result<WorkingKey, Error> {
        let block = data_block(key_type)?;
        if !is_data(usage) {
            return Err(Error::Unsupported);
        }
        check_working_key(self.key_length(), key_type, usage)?;
        if data.is_empty() {
            return Err(Error::InvalidLength);
        }
        whole_blocks(data, block)?;
        iv_for(block, iv)?;
        self.working_key(key_type, usage)
    }

    /// The MAC of `data` under the MAC key of `key_type` and `usage` (a
    /// `mac-*` usage), its leftmost `len` bytes: [`mac`].
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a TDES key type, a usage other than the
    /// MAC ones, or a key type stronger than the initial key;
    /// [`Error::InvalidLength`] for `len` outside 4 to the full MAC.
    pub fn mac(
        &self,
        key_type: KeyType,
        usage: KeyUsage,
        data: &[u8],
        len: usize,
    ) -> Result<Mac, Error> {
        self.mac_parts(key_type, usage, &[data], len)
    }

    /// [`Transaction::mac`] of the concatenation of `parts`.
    ///
    /// # Errors
    /// As [`Transaction::mac`].
    pub fn mac_parts(
        &self,
        key_type: KeyType,
        usage: KeyUsage,
        parts: &[&[u8]],
        len: usize,
    ) -> Result<Mac, Error> {
        let full = self.check_mac(key_type, usage)?;
        check_mac_len(len, full)?;
        mac(&self.working_key(key_type, usage)?, parts, len)
    }

    /// Whether `candidate` (4 bytes up to the full MAC) is the leftmost
    /// bytes of the MAC of `data` under the MAC key of `key_type` and
    /// `usage`, compared in constant time. The answer is a [`Choice`] the
    /// kernel does not branch on: `bool::from` it where the caller decides.
    ///
    /// ```
    /// use paykernel::dukpt::AesKsn;
    /// use paykernel::dukpt::aes::{KeyType, KeyUsage};
    /// use paykernel::dukpt::txn::aes::Transaction;
    /// use paykernel::{AesKey, Error};
    ///
    /// // The X9.24-3-2017 supplement's AES-128 BDK and first KSN; the
    /// // AES-CMAC of "4012345678909D987" under transaction 1's
    /// // mac-generate key, as moov-io/dukpt's tests have it.
    /// let bdk = AesKey::from_slice(&[
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    ///     0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1,
    /// ])?;
    /// let t = Transaction::from_bdk(&bdk, &AesKsn::from_hex("123456789012345600000001")?)?;
    /// let mac = [
    ///     0xA2, 0xEB, 0x5C, 0x1C, 0x35, 0x80, 0x9E, 0x58,
    ///     0x40, 0x4E, 0x87, 0x3C, 0x3C, 0x41, 0x1E, 0x31,
    /// ];
    /// let (kt, usage) = (KeyType::Aes128, KeyUsage::MacGeneration);
    /// assert!(bool::from(t.verify_mac(kt, usage, b"4012345678909D987", &mac)?));
    /// assert!(bool::from(t.verify_mac(kt, usage, b"4012345678909D987", &mac[..4])?));
    /// assert!(!bool::from(t.verify_mac(kt, usage, b"4012345678909D988", &mac)?));
    /// // 1 to 3 bytes are guessed too easily: refused, even when they match.
    /// assert_eq!(t.verify_mac(kt, usage, b"4012345678909D987", &mac[..3]).err(), Some(Error::InvalidLength));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a key type that makes no MAC (2TDEA,
    /// 3TDEA), a usage that is not a MAC's, or a key type stronger than
    /// the initial key; [`Error::InvalidLength`] for a `candidate` outside
    /// 4 bytes to the full MAC.
    pub fn verify_mac(
        &self,
        key_type: KeyType,
        usage: KeyUsage,
        data: &[u8],
        candidate: &[u8],
    ) -> Result<Choice, Error> {
        let full = self.check_mac(key_type, usage)?;
        check_mac_len(candidate.len(), full)?;
        Ok(self.verify_mac_parts(key_type, usage, &[data], candidate))
    }

    /// Translates an enciphered PIN block from this transaction's PIN key
    /// of `key_type` (format 4 for an AES type, 0 to 3 for 2TDEA/3TDEA) to
    /// `zone`, with an outgoing random fill from `rng`: the HSM's
    /// "translate PIN from DUKPT", the clear PIN only in the kernel's wiped
    /// buffers. Host side.
    ///
    /// ```
    /// use paykernel::dukpt::AesKsn;
    /// use paykernel::dukpt::aes::KeyType;
    /// use paykernel::dukpt::txn::{EncipheredPin, aes::Transaction};
    /// use paykernel::pin::{Format, PinBlockCipher};
    /// use paykernel::{AesKey, Pan};
    /// # struct NoRandom;
    /// # impl rand_core::TryRng for NoRandom {
    /// #     type Error = core::convert::Infallible;
    /// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
    /// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(0) }
    /// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(0); Ok(()) }
    /// # }
    /// # impl rand_core::TryCryptoRng for NoRandom {}
    ///
    /// // The X9.24-3-2017 supplement: transaction 1's format-4 PIN block
    /// // (PIN 1234, PAN 4111111111111111) translated to format 0 under
    /// // ANSI X9.24-1:2009 A.4's first PIN key: TDES(K, 041234FFFFFFFFFF
    /// // XOR 0000111111111111), as pyca/cryptography computes it.
    /// let bdk = AesKey::from_slice(&[
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    ///     0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1,
    /// ])?;
    /// let zone = PinBlockCipher::new(Format::Iso0, &[
    ///     0x04, 0x26, 0x66, 0xB4, 0x91, 0x84, 0xCF, 0x5C,
    ///     0x68, 0xDE, 0x96, 0x28, 0xD0, 0x39, 0x7B, 0x36,
    /// ])?;
    /// let t = Transaction::from_bdk(&bdk, &AesKsn::from_hex("123456789012345600000001")?)?;
    /// let pan: Pan = "4111111111111111".parse()?;
    /// let block = [
    ///     0xA9, 0x12, 0x15, 0x03, 0x91, 0xAB, 0x65, 0xA6,
    ///     0x7E, 0x52, 0x88, 0x3D, 0x81, 0xCE, 0x2D, 0x15,
    /// ];
    /// let pin = EncipheredPin { block: &block, format: Format::Iso4, pan: Some(&pan) };
    /// let out = t.translate_pin(KeyType::Aes128, &pin, &zone, &mut NoRandom)?;
    /// assert_eq!(out.as_bytes(), &[0xE6, 0x25, 0x6C, 0x75, 0xDD, 0x53, 0x79, 0x6C]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a key type stronger than the initial key,
    /// an HMAC type, or a format the key type does not take;
    /// [`Error::InvalidPinBlock`] for a block of the wrong size or one that
    /// breaks its format's rules; [`Error::InvalidPan`] when either format
    /// needs a PAN and none is given; [`Error::RngFailure`] if `rng` fails
    /// (the outgoing block's fill); [`Error::InvalidKey`] for a zone key
    /// whose key block allows only deciphering (mode `D`).
    pub fn translate_pin<R: TryCryptoRng + ?Sized>(
        &self,
        key_type: KeyType,
        pin: &EncipheredPin<'_>,
        zone: &PinBlockCipher,
        rng: &mut R,
    ) -> Result<PinBlock, Error> {
        check_pin_format(key_type, pin.format)?;
        let from = pin_cipher(
            &self.working_key(key_type, KeyUsage::PinEncryption)?,
            pin.format,
        )?;
        translate_between(&from, zone, pin.block, pin.pan, rng)
    }

    fn verify_mac_parts(
        &self,
        key_type: KeyType,
        usage: KeyUsage,
        parts: &[&[u8]],
        candidate: &[u8],
    ) -> Choice {
        match self
            .check_mac(key_type, usage)
            .and_then(|_| self.working_key(key_type, usage))
        {
            Ok(key) => verify_choice(&key, parts, candidate),
            Err(_) => Choice::from(0),
        }
    }

    fn check_mac(&self, key_type: KeyType, usage: KeyUsage) -> Result<usize, Error> {
        let full = full_mac_len(key_type)?;
        if !is_mac(usage) {
            return Err(Error::Unsupported);
        }
        check_working_key(self.key_length(), key_type, usage)?;
        Ok(full)
    }
}

impl fmt::Debug for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("ksn", &self.ksn)
            .field("length", &self.key.length())
            .finish_non_exhaustive()
    }
}

/// A PIN block cipher under a PIN working key: format 4 for an AES key,
/// 0 to 3 for a TDES key.
fn pin_cipher(key: &WorkingKey, format: Format) -> Result<PinBlockCipher, Error> {
    match key {
        WorkingKey::Aes(k) if format == Format::Iso4 => Ok(PinBlockCipher::aes(k)),
        WorkingKey::Tdes(k) if format != Format::Iso4 => PinBlockCipher::tdes(format, k),
        _ => Err(Error::Unsupported),
    }
}

/// Whether `format` suits a PIN key of `key_type`.
fn check_pin_format(key_type: KeyType, format: Format) -> Result<(), Error> {
    let aes = matches!(
        key_type,
        KeyType::Aes128 | KeyType::Aes192 | KeyType::Aes256
    );
    let tdes = matches!(key_type, KeyType::Tdea2 | KeyType::Tdea3);
    if (aes && format == Format::Iso4) || (tdes && format != Format::Iso4) {
        Ok(())
    } else {
        Err(Error::Unsupported)
    }
}

/// The terminal's next transaction in one call: the KSN, the PIN block
/// enciphered under the PIN key of `key_types.pin` (format 4 for an AES
/// type, 0 to 3 for 2TDEA/3TDEA; random parts from `rng`), `input.data`
/// encrypted in place under the `data-encrypt` key of `key_types.data`, and
/// the request MAC under the `mac-generate` key of `key_types.mac` (CMAC or
/// HMAC-SHA-256 over [`mac_input`]); the terminal then
/// advances once. Terminal side.
///
/// Every input is checked before the terminal advances: a refused call
/// leaves the terminal and the data as they were.
///
/// ```
/// use paykernel::dukpt::AesKsn;
/// use paykernel::dukpt::aes::AesTerminal;
/// use paykernel::dukpt::txn::TerminalInput;
/// use paykernel::dukpt::txn::aes::{KeyTypes, terminal_request};
/// use paykernel::AesKey;
/// # struct NoRandom;
/// # impl rand_core::TryRng for NoRandom {
/// #     type Error = core::convert::Infallible;
/// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
/// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(0) }
/// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(0); Ok(()) }
/// # }
/// # impl rand_core::TryCryptoRng for NoRandom {}
///
/// // The X9.24-3-2017 supplement's AES-128 initial key and initial key ID
/// // 1234567890123456. Transaction 1: the request MAC over the message
/// // "4012345678909D987"; transaction 2: that text, zero-padded to 32
/// // bytes, encrypted (moov-io/dukpt's tests).
/// let ik = AesKey::from_slice(&[
///     0x12, 0x73, 0x67, 0x1E, 0xA2, 0x6A, 0xC2, 0x9A,
///     0xFA, 0x4D, 0x10, 0x84, 0x12, 0x76, 0x52, 0xA1,
/// ])?;
/// let mut terminal = AesTerminal::load_initial_key(&ik, &AesKsn::from_hex("123456789012345600000000")?)?;
/// let first = terminal_request(&mut terminal, &KeyTypes::AES128, TerminalInput {
///     pin: None,
///     message: b"4012345678909D987",
///     data: &mut [],
///     iv: None,
///     mac_len: 16,
/// }, &mut NoRandom)?;
/// assert_eq!(first.ksn, AesKsn::from_hex("123456789012345600000001")?);
/// assert_eq!(first.mac.as_bytes(), &[
///     0xA2, 0xEB, 0x5C, 0x1C, 0x35, 0x80, 0x9E, 0x58,
///     0x40, 0x4E, 0x87, 0x3C, 0x3C, 0x41, 0x1E, 0x31,
/// ]);
/// let mut data = *b"4012345678909D987\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
/// let second = terminal_request(&mut terminal, &KeyTypes::AES128, TerminalInput {
///     pin: None,
///     message: b"",
///     data: &mut data,
///     iv: None,
///     mac_len: 8,
/// }, &mut NoRandom)?;
/// assert_eq!(second.ksn, AesKsn::from_hex("123456789012345600000002")?);
/// assert_eq!(&data[..8], &[0xA1, 0x7A, 0x96, 0x58, 0xEE, 0x0F, 0x45, 0x1D]);
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::Unsupported`] for a key type that cannot do its job or is
/// stronger than the initial key, or a PIN block format the PIN key type
/// does not take; [`Error::InvalidLength`] for data that is not whole
/// blocks of the data cipher, an IV of another size, or `mac_len` outside
/// 4 to the full MAC; [`Error::InvalidPan`] for a format that needs a PAN
/// and has none; [`Error::CounterExhausted`] once the terminal has used its
/// last counter; [`Error::RngFailure`] if `rng` fails (the PIN block's
/// fill).
pub fn terminal_request<R: TryCryptoRng + ?Sized>(
    terminal: &mut AesTerminal,
    key_types: &KeyTypes,
    input: TerminalInput<'_>,
    rng: &mut R,
) -> Result<TerminalOutput<AesKsn, ResponseKeys>, Error> {
    key_types.check(terminal.key_length())?;
    let block = data_block(key_types.data)?;
    whole_blocks(input.data, block)?;
    let iv = iv_for(block, input.iv.as_ref())?;
    check_mac_len(input.mac_len, full_mac_len(key_types.mac)?)?;
    if let Some(p) = &input.pin {
        check_pin_format(key_types.pin, p.format)?;
        if p.format.uses_pan() && p.pan.is_none() {
            return Err(Error::InvalidPan);
        }
    }
    let ksn = terminal.current_ksn()?;
    let pin_block = match &input.pin {
        Some(p) => {
            let key = terminal.derive_working_key(key_types.pin, KeyUsage::PinEncryption)?;
            Some(pin_cipher(&key, p.format)?.encipher(p.pin, p.pan, rng)?)
        }
        None => None,
    };
    if !input.data.is_empty() {
        let key = terminal.derive_working_key(key_types.data, KeyUsage::DataEncrypt)?;
        encrypt(&key, Some(&iv), input.data)?;
    }
    let key = terminal.derive_working_key(key_types.mac, KeyUsage::MacGeneration)?;
    let mac = mac(
        &key,
        &mac_input(input.message, pin_block.as_ref(), input.data),
        input.mac_len,
    )?;
    let response = ResponseKeys {
        mac: terminal.derive_working_key(key_types.mac, KeyUsage::MacVerification)?,
        data: terminal.derive_working_key(key_types.data, KeyUsage::DataDecrypt)?,
    };
    terminal.advance()?;
    Ok(TerminalOutput {
        ksn,
        pin_block,
        mac,
        response,
    })
}

/// The keys a terminal keeps from one transaction for the host's response:
/// the `mac-verify` and `data-decrypt` working keys of its key types.
/// Terminal side; wiped on drop.
///
/// ```
/// use paykernel::AesKey;
/// use paykernel::dukpt::{aes, AesKsn};
/// use paykernel::dukpt::aes::{AesTerminal, KeyUsage};
/// use paykernel::dukpt::txn::{Response, TerminalInput};
/// use paykernel::dukpt::txn::aes::{KeyTypes, Transaction, terminal_request};
/// # struct NoRandom;
/// # impl rand_core::TryRng for NoRandom {
/// #     type Error = core::convert::Infallible;
/// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
/// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(0) }
/// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(0); Ok(()) }
/// # }
/// # impl rand_core::TryCryptoRng for NoRandom {}
///
/// // The X9.24-3-2017 supplement's AES-128 initial key; transaction 1.
/// let ik = AesKey::from_slice(&hex::decode("1273671EA26AC29AFA4D1084127652A1").unwrap())?;
/// let ksn0 = AesKsn::from_hex("123456789012345600000000")?;
/// let mut terminal = AesTerminal::load_initial_key(&ik, &ksn0)?;
/// let sent = terminal_request(&mut terminal, &KeyTypes::AES128, TerminalInput {
///     pin: None, message: b"", data: &mut [], iv: None, mac_len: 8,
/// }, &mut NoRandom)?;
///
/// // The host's reply (made here with the transaction's keys, as the
/// // host's `respond` makes it): data under data-decrypt, MAC under
/// // mac-verify.
/// let host = Transaction::from_initial_key(&ik, &sent.ksn)?;
/// let mut reply = *b"approved 000123\0";
/// host.encrypt_data(aes::KeyType::Aes128, KeyUsage::DataDecrypt, None, &mut reply)?;
/// let mac = host.mac_parts(aes::KeyType::Aes128, KeyUsage::MacVerification, &[b"00", &reply], 8)?;
///
/// // The terminal, with the keys it kept, opens it.
/// sent.response.open_response(Response { message: b"00", data: &mut reply, iv: None }, mac.as_bytes())?;
/// assert_eq!(&reply, b"approved 000123\0");
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct ResponseKeys {
    mac: WorkingKey,
    data: WorkingKey,
}

impl ResponseKeys {
    /// Opens the host's response: verifies `mac` over `response.message`
    /// and the encrypted `response.data` (`mac-verify` key), then decrypts
    /// the data in place (`data-decrypt` key). Nothing is decrypted unless
    /// the MAC checks out.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for data that is not whole blocks of the
    /// data cipher, an IV of another size, or a MAC of a length outside 4
    /// to the full MAC; [`Error::BadMac`] when the MAC does not check out.
    pub fn open_response(&self, response: Response<'_>, mac: &[u8]) -> Result<(), Error> {
        let block = match self.data {
            WorkingKey::Tdes(_) => 8,
            _ => 16,
        };
        whole_blocks(response.data, block)?;
        let iv = iv_for(block, response.iv.as_ref())?;
        check_mac_len(mac.len(), working_mac_len(&self.mac)?)?;
        let ok = verify_choice(
            &self.mac,
            &mac_input(response.message, None, response.data),
            mac,
        );
        verdict((), ok, Error::BadMac)?;
        if response.data.is_empty() {
            return Ok(());
        }
        decrypt(&self.data, Some(&iv), response.data)
    }
}

impl fmt::Debug for ResponseKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseKeys").finish_non_exhaustive()
    }
}

/// An AES DUKPT host: the BDK, the key types its terminals use, and the
/// zone PIN key every PIN is translated to (its format is the outgoing
/// format). Host side.
pub struct Host<'a> {
    bdk: &'a AesKey,
    key_types: KeyTypes,
    zone: &'a PinBlockCipher,
}

impl<'a> Host<'a> {
    /// A host under `bdk` for terminals using `key_types`, translating PINs
    /// to `zone`.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a key type that cannot do its job or is
    /// stronger than the BDK (and so than every initial key).
    pub fn new(
        bdk: &'a AesKey,
        key_types: KeyTypes,
        zone: &'a PinBlockCipher,
    ) -> Result<Host<'a>, Error> {
        key_types.check(bdk.length())?;
        Ok(Host {
            bdk,
            key_types,
            zone,
        })
    }

    /// One request in one call: derives the transaction's keys from the
    /// BDK and the KSN, verifies the request MAC (`mac-generate` key) over
    /// [`mac_input`], then decrypts the data in place
    /// (`data-encrypt` key) and translates the PIN block from the DUKPT PIN
    /// key to the zone key, with an outgoing random fill from `rng`.
    /// Nothing is decrypted unless the MAC checks out. The response uses
    /// the transaction's `mac-verify` and `data-decrypt` keys.
    ///
    /// ```
    /// use paykernel::dukpt::AesKsn;
    /// use paykernel::dukpt::aes::{KeyType, KeyUsage};
    /// use paykernel::dukpt::txn::{EncipheredPin, Request, aes::{Host, KeyTypes, Transaction}};
    /// use paykernel::pin::{Format, PinBlockCipher};
    /// use paykernel::{AesKey, Pan};
    /// # struct Rng;
    /// # impl rand_core::TryRng for Rng {
    /// #     type Error = core::convert::Infallible;
    /// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(7) }
    /// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(7) }
    /// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(7); Ok(()) }
    /// # }
    /// # impl rand_core::TryCryptoRng for Rng {}
    ///
    /// // The X9.24-3-2017 supplement: AES-128 BDK, transaction 1's format-4
    /// // PIN block (PIN 1234, PAN 4111111111111111), translated to format 0
    /// // under ANSI X9.24-1:2009 A.4's counter-1 PIN key.
    /// let bdk = AesKey::from_slice(&[
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    ///     0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1,
    /// ])?;
    /// let zone = PinBlockCipher::new(Format::Iso0, &[
    ///     0x04, 0x26, 0x66, 0xB4, 0x91, 0x84, 0xCF, 0x5C,
    ///     0x68, 0xDE, 0x96, 0x28, 0xD0, 0x39, 0x7B, 0x36,
    /// ])?;
    /// let host = Host::new(&bdk, KeyTypes::AES128, &zone)?;
    /// let ksn = AesKsn::from_hex("123456789012345600000001")?;
    /// let pan: Pan = "4111111111111111".parse()?;
    /// let block = [
    ///     0xA9, 0x12, 0x15, 0x03, 0x91, 0xAB, 0x65, 0xA6,
    ///     0x7E, 0x52, 0x88, 0x3D, 0x81, 0xCE, 0x2D, 0x15,
    /// ];
    /// let t = Transaction::from_bdk(&bdk, &ksn)?;
    /// let mac = t.mac(KeyType::Aes128, KeyUsage::MacGeneration, &block, 8)?;
    /// let done = host.process(&mut Request {
    ///     ksn,
    ///     message: b"",
    ///     pin: Some(EncipheredPin { block: &block, format: Format::Iso4, pan: Some(&pan) }),
    ///     data: &mut [],
    ///     iv: None,
    ///     mac: mac.as_bytes(),
    /// }, &mut Rng)?;
    /// // TDES(K, 041234FFFFFFFFFF XOR 0000111111111111), pyca/cryptography.
    /// assert_eq!(done.pin_block.unwrap().as_bytes(), &[0xE6, 0x25, 0x6C, 0x75, 0xDD, 0x53, 0x79, 0x6C]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a PIN block format its PIN key type does
    /// not take (key types stronger than the BDK are refused by
    /// [`Host::new`]); [`Error::BadMac`] when the MAC does not check out;
    /// [`Error::InvalidLength`] for a MAC of a length outside 4 to the full
    /// MAC, data that is not whole blocks of the data cipher or an IV of
    /// another size; [`Error::InvalidPinBlock`] for a PIN block that breaks its
    /// format's rules; [`Error::InvalidPan`] when a format needs a PAN and
    /// none is given; [`Error::RngFailure`] if `rng` fails (the outgoing
    /// block's fill); [`Error::InvalidKey`] for a zone key
    /// whose key block allows only deciphering (mode `D`).
    pub fn process<R: TryCryptoRng + ?Sized>(
        &self,
        request: &mut Request<'_, AesKsn>,
        rng: &mut R,
    ) -> Result<Processed<Transaction>, Error> {
        let kt = self.key_types;
        let block = data_block(kt.data)?;
        whole_blocks(request.data, block)?;
        check_mac_len(request.mac.len(), full_mac_len(kt.mac)?)?;
        let iv = iv_for(block, request.iv.as_ref())?;
        if let Some(p) = &request.pin {
            check_pin_format(kt.pin, p.format)?;
        }
        let t = Transaction::from_bdk(self.bdk, &request.ksn)?;
        let pin_bytes = request.pin.as_ref().map_or(&[][..], |p| p.block);
        let ok = t.verify_mac_parts(
            kt.mac,
            KeyUsage::MacGeneration,
            &[request.message, pin_bytes, request.data],
            request.mac,
        );
        verdict((), ok, Error::BadMac)?;
        if !request.data.is_empty() {
            t.decrypt_data(kt.data, KeyUsage::DataEncrypt, Some(&iv), request.data)?;
        }
        let pin_block = match &request.pin {
            Some(p) => Some(t.translate_pin(kt.pin, p, self.zone, rng)?),
            None => None,
        };
        Ok(Processed {
            transaction: t,
            pin_block,
        })
    }

    /// The response to a processed request: encrypts `response.data` in
    /// place under the `data-decrypt` key and gives the response MAC
    /// (`mac-verify` key, its leftmost `mac_len` bytes) over
    /// `response.message` and the encrypted data. Host side.
    ///
    /// ```
    /// use paykernel::AesKey;
    /// use paykernel::dukpt::AesKsn;
    /// use paykernel::dukpt::aes::{KeyType, KeyUsage};
    /// use paykernel::dukpt::txn::{Request, Response, aes::{Host, KeyTypes, Transaction}};
    /// use paykernel::pin::{Format, PinBlockCipher};
    /// # struct NoRandom;
    /// # impl rand_core::TryRng for NoRandom {
    /// #     type Error = core::convert::Infallible;
    /// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
    /// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(0) }
    /// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(0); Ok(()) }
    /// # }
    /// # impl rand_core::TryCryptoRng for NoRandom {}
    ///
    /// // The X9.24-3-2017 supplement's AES-128 BDK: transaction 1's request
    /// // (the CMAC of "4012345678909D987", moov-io/dukpt's tests), then
    /// // the response, which the transaction's own keys check.
    /// let bdk = AesKey::from_slice(&hex::decode("FEDCBA9876543210F1F1F1F1F1F1F1F1").unwrap())?;
    /// let zone = PinBlockCipher::new(Format::Iso0, &[0x11; 16])?;
    /// let host = Host::new(&bdk, KeyTypes::AES128, &zone)?;
    /// let ksn = AesKsn::from_hex("123456789012345600000001")?;
    /// let done = host.process(&mut Request {
    ///     ksn, message: b"4012345678909D987", pin: None, data: &mut [], iv: None,
    ///     mac: &[0xA2, 0xEB, 0x5C, 0x1C, 0x35, 0x80, 0x9E, 0x58],
    /// }, &mut NoRandom)?;
    /// let mut reply = *b"approved 000123\0";
    /// let mac = host.respond(&done, Response { message: b"00", data: &mut reply, iv: None }, 8)?;
    /// let t = Transaction::from_bdk(&bdk, &ksn)?;
    /// assert_eq!(t.mac_parts(KeyType::Aes128, KeyUsage::MacVerification, &[b"00", &reply], 8)?, mac);
    /// t.decrypt_data(KeyType::Aes128, KeyUsage::DataDecrypt, None, &mut reply)?;
    /// assert_eq!(&reply, b"approved 000123\0");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for data that is not whole blocks of the
    /// data cipher, an IV of another size, or `mac_len` outside 4 to the
    /// full MAC; [`Error::Unsupported`] if the transaction's initial key is
    /// weaker than the host's key types.
    pub fn respond(
        &self,
        processed: &Processed<Transaction>,
        response: Response<'_>,
        mac_len: usize,
    ) -> Result<Mac, Error> {
        let kt = self.key_types;
        let block = data_block(kt.data)?;
        whole_blocks(response.data, block)?;
        let iv = iv_for(block, response.iv.as_ref())?;
        check_mac_len(mac_len, full_mac_len(kt.mac)?)?;
        let t = &processed.transaction;
        if !response.data.is_empty() {
            t.encrypt_data(kt.data, KeyUsage::DataDecrypt, Some(&iv), response.data)?;
        }
        t.mac_parts(
            kt.mac,
            KeyUsage::MacVerification,
            &mac_input(response.message, None, response.data),
            mac_len,
        )
    }

    /// [`Host::process`] for every request, into `out` (`out[i]` for
    /// `requests[i]`; one bad request does not stop the batch). AES runs
    /// one block at a time either way, so this is a loop that saves the
    /// caller the bookkeeping.
    ///
    /// ```
    /// use paykernel::dukpt::AesKsn;
    /// use paykernel::dukpt::txn::{Processed, Request, aes::{Host, KeyTypes, Transaction}};
    /// use paykernel::pin::{Format, PinBlockCipher};
    /// use paykernel::{AesKey, Error};
    /// # struct NoRandom;
    /// # impl rand_core::TryRng for NoRandom {
    /// #     type Error = core::convert::Infallible;
    /// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
    /// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(0) }
    /// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(0); Ok(()) }
    /// # }
    /// # impl rand_core::TryCryptoRng for NoRandom {}
    ///
    /// // The X9.24-3-2017 supplement's AES-128 BDK: the request CMACs of
    /// // transactions 1 and 2 over "4012345678909D987" (moov-io/dukpt's
    /// // tests), and transaction 2's with transaction 1's MAC.
    /// let bdk = AesKey::from_slice(&[
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    ///     0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1,
    /// ])?;
    /// let zone = PinBlockCipher::new(Format::Iso0, &[0x11; 16])?;
    /// let host = Host::new(&bdk, KeyTypes::AES128, &zone)?;
    /// let request = |counter: &str, mac: &'static [u8]| Request {
    ///     ksn: AesKsn::from_hex(&format!("12345678901234560000000{counter}")).unwrap(),
    ///     message: b"4012345678909D987",
    ///     pin: None,
    ///     data: &mut [],
    ///     iv: None,
    ///     mac,
    /// };
    /// let one = &[0xA2, 0xEB, 0x5C, 0x1C, 0x35, 0x80, 0x9E, 0x58];
    /// let two = &[0x4D, 0x10, 0x47, 0x04, 0xC5, 0x34, 0x91, 0xA6];
    /// let mut requests = [request("1", one), request("2", two), request("2", one)];
    /// let mut out: [Result<Processed<Transaction>, Error>; 3] = core::array::from_fn(|_| Err(Error::Unsupported));
    /// host.process_many(&mut requests, &mut out, &mut NoRandom)?;
    /// assert!(out[0].is_ok() && out[1].is_ok());
    /// assert_eq!(out[2].as_ref().err(), Some(&Error::BadMac));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] if `out` is not as long as `requests`; then
    /// nothing is processed.
    pub fn process_many<R: TryCryptoRng + ?Sized>(
        &self,
        requests: &mut [Request<'_, AesKsn>],
        out: &mut [Result<Processed<Transaction>, Error>],
        rng: &mut R,
    ) -> Result<(), Error> {
        if requests.len() != out.len() {
            return Err(Error::InvalidLength);
        }
        for (r, o) in requests.iter_mut().zip(out.iter_mut()) {
            *o = self.process(r, rng);
        }
        Ok(())
    }
}

impl fmt::Debug for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Host")
            .field("key_types", &self.key_types)
            .field("zone_format", &self.zone.format())
            .finish_non_exhaustive()
    }
}
