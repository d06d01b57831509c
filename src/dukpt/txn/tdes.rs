//! TDES DUKPT keys in use (ANSI X9.24-1:2009): data encryption under the
//! data-request and data-response keys, the ANSI X9.19 retail MAC under the
//! MAC-request and MAC-response keys, and a transaction in one call on
//! either side.
//!
//! - Either side: [`Transaction`], the keys of one KSN.
//! - Terminal side: [`terminal_request`].
//! - Host side: [`Host`] ([`Host::process`], [`Host::process_many`]).

use core::fmt;

use rand_core::TryCryptoRng;
use subtle::Choice;

use super::{
    Direction, EncipheredPin, Mac, Processed, Request, Response, TerminalInput, TerminalOutput,
    check_mac_len, mac_input, verify_full, whole_blocks,
};
use crate::cipher::des_encrypt_many;
use crate::ct::verdict;
use crate::dukpt::TdesKsn;
use crate::dukpt::tdes::{
    TdesTerminal, Variant, derive_initial_key, derive_transaction_key, derive_working_keys_many,
};
use crate::mac::{Padding, RetailMac};
use crate::mode::cbc::{self, Iv, TdesIv};
use crate::pin::{Format, PinBlock, PinBlockCipher, translate_between, translate_tdes_many};
use crate::{Error, Pan, TdesCipher, TdesKey, tdes_decrypt_many, tdes_encrypt_many};
use zeroize::Zeroize;

/// The full retail MAC: 8 bytes.
pub const MAC_LEN: usize = 8;

/// The DES block: 8 bytes.
const BLOCK: usize = 8;

/// How many requests [`Host::process_many`] derives keys for at once.
const BATCH: usize = 64;

/// The keys of one TDES DUKPT transaction: its KSN and current
/// transaction key, from which every variant comes. Either side; wiped on
/// drop.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::dukpt::{tdes, TdesKsn};
/// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
/// use paykernel::dukpt::txn::{Direction, tdes::Transaction};
/// use paykernel::mode::cbc::TdesIv;
///
/// // ANSI X9.24-1:2009 A.4: the BDK, the IPEK and counter 1.
/// let bdk = TdesKey::from_slice(&hex::decode("0123456789ABCDEFFEDCBA9876543210").unwrap())?;
/// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A").unwrap())?;
/// let ksn = TdesKsn::from_hex("FFFF9876543210E00001")?;
///
/// // Host side, from the BDK or from the device's IPEK: the same keys.
/// let host = Transaction::from_bdk(&bdk, &ksn)?;
/// let same = Transaction::from_ipek(&ipek, &ksn)?;
/// assert_eq!(host.ksn(), &ksn);
/// assert_eq!(
///     hex::encode_upper(host.key(Variant::Pin)?.expose_secret()),
///     "042666B49184CF5C68DE9628D0397B36"
/// );
/// assert_eq!(
///     same.key(Variant::Pin)?.expose_secret(),
///     host.key(Variant::Pin)?.expose_secret()
/// );
///
/// // Terminal side: the terminal's next transaction, without advancing.
/// let terminal = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
/// let mine = Transaction::from_terminal(&terminal)?;
/// assert_eq!(mine.ksn(), &ksn);
///
/// // The terminal encrypts the A.4 data (zero-padded) under its
/// // data-request key, and MACs the message in two parts; the host
/// // decrypts and checks.
/// let mut data = *b"4012345678909D987\0\0\0\0\0\0\0";
/// mine.encrypt_data(Direction::Request, &TdesIv::ZERO, &mut data)?;
/// assert_eq!(&data[..8], &[0xFC, 0x0D, 0x53, 0xB7, 0xEA, 0x1F, 0xDA, 0x9E]);
/// let mac = mine.mac_parts(Direction::Request, &[b"4012345678909", b"D987"], 4)?;
/// assert_eq!(mac.as_bytes(), &[0x9C, 0xCC, 0x78, 0x17]);
/// host.decrypt_data(Direction::Request, &TdesIv::ZERO, &mut data)?;
/// assert_eq!(&data[..17], b"4012345678909D987");
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct Transaction {
    ksn: TdesKsn,
    key: TdesKey,
}

impl Transaction {
    /// The transaction of `ksn` from the BDK. Host side.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless `bdk` is a double-length key.
    pub fn from_bdk(bdk: &TdesKey, ksn: &TdesKsn) -> Result<Transaction, Error> {
        let ipek = derive_initial_key(bdk, ksn)?;
        Transaction::from_ipek(&ipek, ksn)
    }

    /// The transaction of `ksn` from the device's IPEK. Host side.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless `ipek` is a double-length key.
    pub fn from_ipek(ipek: &TdesKey, ksn: &TdesKsn) -> Result<Transaction, Error> {
        Ok(Transaction {
            ksn: *ksn,
            key: derive_transaction_key(ipek, ksn)?,
        })
    }

    /// The terminal's next transaction, without advancing it (call
    /// [`TdesTerminal::advance`] once the transaction is done). Terminal
    /// side.
    ///
    /// # Errors
    /// [`Error::CounterExhausted`] once the terminal has used its last
    /// counter.
    pub fn from_terminal(terminal: &TdesTerminal) -> Result<Transaction, Error> {
        Ok(Transaction {
            ksn: terminal.current_ksn()?,
            key: terminal.derive_working_key(Variant::Base)?,
        })
    }

    /// The transaction's KSN.
    #[must_use]
    pub fn ksn(&self) -> &TdesKsn {
        &self.ksn
    }

    /// One variant of the transaction key.
    ///
    /// # Errors
    /// None in practice (the transaction key is double-length).
    pub fn key(&self, variant: Variant) -> Result<TdesKey, Error> {
        variant.apply(&self.key)
    }

    /// Encrypts `data` in place, TDES-CBC under the data key of
    /// `direction` (data-request or data-response).
    ///
    /// ```
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::txn::{Direction, tdes::Transaction};
    /// use paykernel::mode::cbc::TdesIv;
    /// use paykernel::TdesKey;
    ///
    /// // ANSI X9.24-1:2009 A.4, counter 1 (openemv/dukpt's transcription):
    /// // "4012345678909D987" zero-padded to 24 bytes.
    /// let bdk = TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?;
    /// let ksn = TdesKsn::from_hex("FFFF9876543210E00001")?;
    /// let t = Transaction::from_bdk(&bdk, &ksn)?;
    /// let mut data = *b"4012345678909D987\0\0\0\0\0\0\0";
    /// t.encrypt_data(Direction::Request, &TdesIv::ZERO, &mut data)?;
    /// assert_eq!(&data[..8], &[0xFC, 0x0D, 0x53, 0xB7, 0xEA, 0x1F, 0xDA, 0x9E]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless `data` is a whole, non-zero number
    /// of 8-byte blocks.
    pub fn encrypt_data(
        &self,
        direction: Direction,
        iv: &TdesIv,
        data: &mut [u8],
    ) -> Result<(), Error> {
        check_data(data)?;
        cbc::tdes_encrypt(&self.data_cipher(direction)?, iv, data)
    }

    /// Decrypts `data` in place under the data key of `direction`.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless `data` is a whole, non-zero number
    /// of 8-byte blocks.
    pub fn decrypt_data(
        &self,
        direction: Direction,
        iv: &TdesIv,
        data: &mut [u8],
    ) -> Result<(), Error> {
        check_data(data)?;
        cbc::tdes_decrypt(&self.data_cipher(direction)?, iv, data)
    }

    /// The retail MAC of `data` under the MAC key of `direction`, its
    /// leftmost `len` bytes.
    ///
    /// ```
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::txn::{Direction, tdes::Transaction};
    /// use paykernel::TdesKey;
    ///
    /// // ANSI X9.24-1:2009 A.4, counter 1: request MAC 9CCC7817.
    /// let bdk = TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?;
    /// let t = Transaction::from_bdk(&bdk, &TdesKsn::from_hex("FFFF9876543210E00001")?)?;
    /// let mac = t.mac(Direction::Request, b"4012345678909D987", 4)?;
    /// assert_eq!(mac.as_bytes(), &[0x9C, 0xCC, 0x78, 0x17]);
    /// assert!(bool::from(t.verify_mac(Direction::Request, b"4012345678909D987", mac.as_bytes())?));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for `len` outside 4 to 8.
    pub fn mac(&self, direction: Direction, data: &[u8], len: usize) -> Result<Mac, Error> {
        self.mac_parts(direction, &[data], len)
    }

    /// [`Transaction::mac`] of the concatenation of `parts`.
    ///
    /// # Errors
    /// As [`Transaction::mac`].
    pub fn mac_parts(
        &self,
        direction: Direction,
        parts: &[&[u8]],
        len: usize,
    ) -> Result<Mac, Error> {
        check_mac_len(len, MAC_LEN)?;
        let mut full = self.full_mac(direction, parts)?;
        Mac::truncate(&mut full, len)
    }

    /// Whether `mac` (4 to 8 bytes) is the leftmost bytes of the retail MAC
    /// of `data` under the MAC key of `direction`, compared in constant
    /// time. The answer is a [`Choice`] the kernel does not branch on:
    /// `bool::from` it where the caller decides.
    ///
    /// ```
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::txn::{Direction, tdes::Transaction};
    /// use paykernel::{Error, TdesKey};
    ///
    /// // ANSI X9.24-1:2009 A.4, counter 1: request MAC 9CCC7817.
    /// let bdk = TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?;
    /// let t = Transaction::from_bdk(&bdk, &TdesKsn::from_hex("FFFF9876543210E00001")?)?;
    /// let data = b"4012345678909D987";
    /// assert!(bool::from(t.verify_mac(Direction::Request, data, &[0x9C, 0xCC, 0x78, 0x17])?));
    /// assert!(!bool::from(t.verify_mac(Direction::Response, data, &[0x9C, 0xCC, 0x78, 0x17])?));
    /// // 1 to 3 bytes are guessed too easily: refused, even when they match.
    /// assert_eq!(t.verify_mac(Direction::Request, data, &[0x9C, 0xCC]).err(), Some(Error::InvalidLength));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a `mac` that is not 4 to 8 bytes.
    pub fn verify_mac(
        &self,
        direction: Direction,
        data: &[u8],
        mac: &[u8],
    ) -> Result<Choice, Error> {
        check_mac_len(mac.len(), MAC_LEN)?;
        Ok(self.verify_mac_parts(direction, &[data], mac))
    }

    /// Translates an enciphered PIN block from this transaction's PIN key
    /// (format 0 to 3) to `zone`, with an outgoing random fill from `rng`:
    /// the HSM's "translate PIN from DUKPT", the clear PIN only in the
    /// kernel's wiped buffers. Host side.
    ///
    /// ```
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::txn::{EncipheredPin, tdes::Transaction};
    /// use paykernel::pin::{Format, PinBlockCipher};
    /// use paykernel::{Error, Pan, TdesKey};
    /// # struct NoRandom;
    /// # impl rand_core::TryRng for NoRandom {
    /// #     type Error = core::convert::Infallible;
    /// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
    /// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(0) }
    /// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(0); Ok(()) }
    /// # }
    /// # impl rand_core::TryCryptoRng for NoRandom {}
    ///
    /// // ANSI X9.24-1:2009 A.4: counter 1's format-0 block (PIN 1234),
    /// // translated to a zone key that is the annex's counter-2 PIN key:
    /// // the annex's counter-2 block (format 0 draws nothing random).
    /// let bdk = TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?;
    /// let zone = PinBlockCipher::new(Format::Iso0, &[
    ///     0xC4, 0x65, 0x51, 0xCE, 0xF9, 0xFD, 0x24, 0x4F,
    ///     0xAA, 0x9A, 0xD8, 0x34, 0x13, 0x0D, 0x3B, 0x38,
    /// ])?;
    /// let t = Transaction::from_bdk(&bdk, &TdesKsn::from_hex("FFFF9876543210E00001")?)?;
    /// let pan: Pan = "4012345678909".parse()?;
    /// let block = [0x1B, 0x9C, 0x18, 0x45, 0xEB, 0x99, 0x3A, 0x7A];
    /// let pin = EncipheredPin { block: &block, format: Format::Iso0, pan: Some(&pan) };
    /// let out = t.translate_pin(&pin, &zone, &mut NoRandom)?;
    /// assert_eq!(out.as_bytes(), &[0x10, 0xA0, 0x1C, 0x8D, 0x02, 0xC6, 0x91, 0x07]);
    /// // Under another transaction's key the block does not decipher.
    /// let other = Transaction::from_bdk(&bdk, &TdesKsn::from_hex("FFFF9876543210E00002")?)?;
    /// assert_eq!(other.translate_pin(&pin, &zone, &mut NoRandom).err(), Some(Error::InvalidPinBlock));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Unsupported`] for format 4; [`Error::InvalidPinBlock`] for
    /// a block of the wrong size or one that breaks its format's rules;
    /// [`Error::InvalidPan`] when either format needs a PAN and none is
    /// given; [`Error::RngFailure`] if `rng` fails (the outgoing block's
    /// fill); [`Error::InvalidKey`] for a zone key
    /// whose key block allows only deciphering (mode `D`).
    pub fn translate_pin<R: TryCryptoRng + ?Sized>(
        &self,
        pin: &EncipheredPin<'_>,
        zone: &PinBlockCipher,
        rng: &mut R,
    ) -> Result<PinBlock, Error> {
        let from = PinBlockCipher::tdes(tdes_format(pin.format)?, &self.key(Variant::Pin)?)?;
        translate_between(&from, zone, pin.block, pin.pan, rng)
    }

    fn verify_mac_parts(&self, direction: Direction, parts: &[&[u8]], mac: &[u8]) -> Choice {
        match self.full_mac(direction, parts) {
            Ok(mut full) => verify_full(&mut full, mac),
            Err(_) => Choice::from(0),
        }
    }

    fn full_mac(&self, direction: Direction, parts: &[&[u8]]) -> Result<[u8; MAC_LEN], Error> {
        let variant = match direction {
            Direction::Request => Variant::MacRequest,
            Direction::Response => Variant::MacResponse,
        };
        RetailMac::new(&self.key(variant)?)?.compute_parts(parts, Padding::Method1)
    }

    fn data_cipher(&self, direction: Direction) -> Result<TdesCipher, Error> {
        let variant = match direction {
            Direction::Request => Variant::DataRequest,
            Direction::Response => Variant::DataResponse,
        };
        Ok(TdesCipher::new(&self.key(variant)?))
    }
}

impl fmt::Debug for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("ksn", &self.ksn)
            .finish_non_exhaustive()
    }
}

/// `data` is a whole, non-zero number of 8-byte blocks.
fn check_data(data: &[u8]) -> Result<(), Error> {
    if data.is_empty() {
        return Err(Error::InvalidLength);
    }
    whole_blocks(data, BLOCK)
}

/// The TDES IV of an optional [`Iv`]: zeros by default, an AES IV refused.
fn tdes_iv(iv: Option<Iv>) -> Result<TdesIv, Error> {
    match iv {
        None => Ok(TdesIv::ZERO),
        Some(Iv::Tdes(iv)) => Ok(iv),
        Some(Iv::Aes(_)) => Err(Error::InvalidLength),
    }
}

/// A PIN block format a TDES PIN key enciphers: 0 to 3.
fn tdes_format(format: Format) -> Result<Format, Error> {
    if format == Format::Iso4 {
        return Err(Error::Unsupported);
    }
    Ok(format)
}

/// The terminal's next transaction in one call: the KSN, the PIN block
/// enciphered under the transaction's PIN key (format 0 to 3, random fill
/// from `rng`), `input.data` encrypted in place under the data-request key,
/// and the request MAC (retail MAC under the MAC-request key over
/// [`mac_input`]); the terminal then advances once.
/// Terminal side.
///
/// Every input is checked before the terminal advances: a refused call
/// leaves the terminal and the data as they were.
///
/// ```
/// use paykernel::dukpt::tdes::{self, TdesTerminal};
/// use paykernel::dukpt::txn::{Direction, PinEntry, TerminalInput, tdes::{terminal_request, Transaction}};
/// use paykernel::dukpt::TdesKsn;
/// use paykernel::pin::{Format, Pin};
/// use paykernel::{Pan, TdesKey};
/// # struct Rng(u64);
/// # impl rand_core::TryRng for Rng {
/// #     type Error = core::convert::Infallible;
/// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(self.try_next_u64()? as u32) }
/// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1); Ok(self.0) }
/// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { for b in d { *b = self.try_next_u64()? as u8; } Ok(()) }
/// # }
/// # impl rand_core::TryCryptoRng for Rng {}
/// # let mut rng = Rng(1);
///
/// // ANSI X9.24-1:2009 A.4: the IPEK and the first KSN.
/// let ipek = TdesKey::from_slice(&[
///     0x6A, 0xC2, 0x92, 0xFA, 0xA1, 0x31, 0x5B, 0x4D,
///     0x85, 0x8A, 0xB3, 0xA3, 0xD7, 0xD5, 0x93, 0x3A,
/// ])?;
/// let mut terminal = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
/// let pin = Pin::from_digits(b"1234")?;
/// let pan: Pan = "4012345678909".parse()?;
/// let mut data = *b"4012345678909D987\0\0\0\0\0\0\0";
/// let out = terminal_request(&mut terminal, TerminalInput {
///     pin: Some(PinEntry { pin: &pin, format: Format::Iso0, pan: Some(&pan) }),
///     message: b"",
///     data: &mut data,
///     iv: None,
///     mac_len: 4,
/// }, &mut rng)?;
/// // A.4: counter 1's PIN block, and its request data.
/// assert_eq!(out.ksn, TdesKsn::from_hex("FFFF9876543210E00001")?);
/// assert_eq!(out.pin_block.unwrap().as_bytes(), &[0x1B, 0x9C, 0x18, 0x45, 0xEB, 0x99, 0x3A, 0x7A]);
/// assert_eq!(&data[..4], &[0xFC, 0x0D, 0x53, 0xB7]);
/// assert_eq!(terminal.current_ksn()?, TdesKsn::from_hex("FFFF9876543210E00002")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::InvalidLength`] for data that is not whole 8-byte blocks, an
/// AES IV, or `mac_len` outside 4 to 8; [`Error::Unsupported`] for PIN
/// block format 4; [`Error::InvalidPan`] for a format that needs a PAN and
/// has none; [`Error::CounterExhausted`] once the terminal has used its
/// last counter; [`Error::RngFailure`] if `rng` fails (the PIN block's
/// fill).
pub fn terminal_request<R: TryCryptoRng + ?Sized>(
    terminal: &mut TdesTerminal,
    input: TerminalInput<'_>,
    rng: &mut R,
) -> Result<TerminalOutput<TdesKsn, ResponseKeys>, Error> {
    whole_blocks(input.data, BLOCK)?;
    let iv = tdes_iv(input.iv)?;
    check_mac_len(input.mac_len, MAC_LEN)?;
    if let Some(p) = &input.pin {
        tdes_format(p.format)?;
        if p.format.uses_pan() && p.pan.is_none() {
            return Err(Error::InvalidPan);
        }
    }
    let t = Transaction::from_terminal(terminal)?;
    let pin_block = match &input.pin {
        Some(p) => {
            let c = PinBlockCipher::tdes(p.format, &t.key(Variant::Pin)?)?;
            Some(c.encipher(p.pin, p.pan, rng)?)
        }
        None => None,
    };
    if !input.data.is_empty() {
        t.encrypt_data(Direction::Request, &iv, input.data)?;
    }
    let mac = t.mac_parts(
        Direction::Request,
        &mac_input(input.message, pin_block.as_ref(), input.data),
        input.mac_len,
    )?;
    let response = ResponseKeys {
        mac: t.key(Variant::MacResponse)?,
        data: t.key(Variant::DataResponse)?,
    };
    terminal.advance()?;
    Ok(TerminalOutput {
        ksn: t.ksn,
        pin_block,
        mac,
        response,
    })
}

/// The keys a terminal keeps from one transaction for the host's response:
/// the MAC-response and data-response keys. Terminal side; wiped on drop.
pub struct ResponseKeys {
    mac: TdesKey,
    data: TdesKey,
}

impl ResponseKeys {
    /// Opens the host's response: verifies `mac` over `response.message`
    /// and the encrypted `response.data` (retail MAC, MAC-response key),
    /// then decrypts the data in place (data-response key). Nothing is
    /// decrypted unless the MAC checks out.
    ///
    /// ```
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::TdesTerminal;
    /// use paykernel::dukpt::txn::{Response, TerminalInput, tdes::terminal_request};
    /// use paykernel::{Error, TdesKey};
    /// # struct NoRandom;
    /// # impl rand_core::TryRng for NoRandom {
    /// #     type Error = core::convert::Infallible;
    /// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
    /// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(0) }
    /// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(0); Ok(()) }
    /// # }
    /// # impl rand_core::TryCryptoRng for NoRandom {}
    ///
    /// // ANSI X9.24-1:2009 A.4: the IPEK, and counter 1's response MAC
    /// // over "4012345678909D987" (20364223C1FF00FA).
    /// let ipek = TdesKey::from_slice(&[
    ///     0x6A, 0xC2, 0x92, 0xFA, 0xA1, 0x31, 0x5B, 0x4D,
    ///     0x85, 0x8A, 0xB3, 0xA3, 0xD7, 0xD5, 0x93, 0x3A,
    /// ])?;
    /// let mut terminal = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// let sent = terminal_request(&mut terminal, TerminalInput {
    ///     pin: None, message: b"", data: &mut [], iv: None, mac_len: 4,
    /// }, &mut NoRandom)?;
    /// let response = || Response { message: b"4012345678909D987", data: &mut [], iv: None };
    /// sent.response.open_response(response(), &[0x20, 0x36, 0x42, 0x23])?;
    /// assert_eq!(sent.response.open_response(response(), &[0x20, 0x36, 0x42, 0x24]), Err(Error::BadMac));
    /// // Too short to check.
    /// assert_eq!(sent.response.open_response(response(), &[0x20, 0x36]), Err(Error::InvalidLength));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for data that is not whole 8-byte blocks,
    /// an AES IV, or a `mac` that is not 4 to 8 bytes; [`Error::BadMac`]
    /// when the MAC does not check out.
    pub fn open_response(&self, response: Response<'_>, mac: &[u8]) -> Result<(), Error> {
        whole_blocks(response.data, BLOCK)?;
        let iv = tdes_iv(response.iv)?;
        check_mac_len(mac.len(), MAC_LEN)?;
        let parts = mac_input(response.message, None, response.data);
        let ok = match RetailMac::new(&self.mac)
            .and_then(|m| m.compute_parts(&parts, Padding::Method1))
        {
            Ok(mut full) => verify_full(&mut full, mac),
            Err(_) => Choice::from(0),
        };
        verdict((), ok, Error::BadMac)?;
        if response.data.is_empty() {
            return Ok(());
        }
        cbc::tdes_decrypt(&TdesCipher::new(&self.data), &iv, response.data)
    }
}

impl fmt::Debug for ResponseKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseKeys").finish_non_exhaustive()
    }
}

/// A TDES DUKPT host: the BDK and the zone PIN key every PIN is translated
/// to (its format is the outgoing format). Host side.
pub struct Host<'a> {
    bdk: &'a TdesKey,
    zone: &'a PinBlockCipher,
}

impl<'a> Host<'a> {
    /// A host under `bdk` translating PINs to `zone`.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless `bdk` is a double-length key.
    pub fn new(bdk: &'a TdesKey, zone: &'a PinBlockCipher) -> Result<Host<'a>, Error> {
        if bdk.length() != crate::TdesKeyLength::Double {
            return Err(Error::InvalidKey);
        }
        Ok(Host { bdk, zone })
    }

    /// One request in one call: derives the transaction's keys from the
    /// BDK and the KSN, verifies the request MAC over
    /// [`mac_input`], then decrypts the data in place and
    /// translates the PIN block from the DUKPT PIN key to the zone key,
    /// with an outgoing random fill from `rng` (the HSM's "translate PIN
    /// from DUKPT"). Nothing is decrypted unless the MAC checks out.
    ///
    /// ```
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::txn::{EncipheredPin, Request, tdes::Host};
    /// use paykernel::pin::{Format, PinBlockCipher};
    /// use paykernel::{Pan, TdesKey};
    /// # struct Rng;
    /// # impl rand_core::TryRng for Rng {
    /// #     type Error = core::convert::Infallible;
    /// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(7) }
    /// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(7) }
    /// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(7); Ok(()) }
    /// # }
    /// # impl rand_core::TryCryptoRng for Rng {}
    ///
    /// // ANSI X9.24-1:2009 A.4: counter 1's format-0 PIN block, request
    /// // data and request MAC (over the encrypted data); the zone key is
    /// // counter 2's PIN key, so the translated block is A.4's counter-2
    /// // block (format 0 has no random part).
    /// let bdk = TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?;
    /// let zone = PinBlockCipher::new(Format::Iso0, &[
    ///     0xC4, 0x65, 0x51, 0xCE, 0xF9, 0xFD, 0x24, 0x4F,
    ///     0xAA, 0x9A, 0xD8, 0x34, 0x13, 0x0D, 0x3B, 0x38,
    /// ])?;
    /// let host = Host::new(&bdk, &zone)?;
    /// let ksn = TdesKsn::from_hex("FFFF9876543210E00001")?;
    /// let pan: Pan = "4012345678909".parse()?;
    /// let block = [0x1B, 0x9C, 0x18, 0x45, 0xEB, 0x99, 0x3A, 0x7A];
    /// let mut data = [
    ///     0xFC, 0x0D, 0x53, 0xB7, 0xEA, 0x1F, 0xDA, 0x9E, 0xE6, 0x8A, 0xAF, 0x2E,
    ///     0x70, 0xD9, 0xB9, 0x50, 0x62, 0x29, 0xBE, 0x2A, 0xA9, 0x93, 0xF0, 0x4F,
    /// ];
    /// // The terminal's MAC over the block and the data.
    /// let t = paykernel::dukpt::txn::tdes::Transaction::from_bdk(&bdk, &ksn)?;
    /// let mut sent = block.to_vec();
    /// sent.extend_from_slice(&data);
    /// let mac = t.mac(paykernel::dukpt::txn::Direction::Request, &sent, 4)?;
    ///
    /// let done = host.process(&mut Request {
    ///     ksn,
    ///     message: b"",
    ///     pin: Some(EncipheredPin { block: &block, format: Format::Iso0, pan: Some(&pan) }),
    ///     data: &mut data,
    ///     iv: None,
    ///     mac: mac.as_bytes(),
    /// }, &mut Rng)?;
    /// assert_eq!(done.pin_block.unwrap().as_bytes(), &[0x10, 0xA0, 0x1C, 0x8D, 0x02, 0xC6, 0x91, 0x07]);
    /// assert_eq!(&data[..17], b"4012345678909D987");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BadMac`] when the MAC does not check out;
    /// [`Error::InvalidLength`] for a MAC that is not 4 to 8 bytes, data
    /// that is not whole 8-byte blocks or an AES IV; [`Error::Unsupported`] for PIN
    /// block format 4; [`Error::InvalidPinBlock`] for a PIN block that
    /// breaks its format's rules; [`Error::InvalidPan`] when a format needs
    /// a PAN and none is given; [`Error::RngFailure`] if `rng` fails (the
    /// outgoing block's fill); [`Error::InvalidKey`] for a zone key
    /// whose key block allows only deciphering (mode `D`).
    pub fn process<R: TryCryptoRng + ?Sized>(
        &self,
        request: &mut Request<'_, TdesKsn>,
        rng: &mut R,
    ) -> Result<Processed<Transaction>, Error> {
        let t = Transaction::from_bdk(self.bdk, &request.ksn)?;
        self.finish(t, request, rng)
    }

    /// [`Host::process`] for every request, into `out` (`out[i]` for
    /// `requests[i]`; one bad request does not stop the batch): the same
    /// answers, with every step that is independent across requests run
    /// for 64 requests at once through the bitsliced DES. The transaction
    /// keys come from [`derive_working_keys_many`]; the data keys' one-way step is
    /// one pass; the request MACs run in lockstep (each single-DES chaining
    /// step of every request, then every final TDES step, in one pass); the
    /// data blocks of every accepted request, each under its own key, go 64
    /// per pass; the PIN blocks are decrypted under their DUKPT PIN keys in
    /// one pass and enciphered under the zone key in another (the outgoing
    /// fills drawn in request order). About four times the throughput of
    /// one call per request (`benches/dukpt_txn.rs`).
    ///
    /// ```
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::txn::{Processed, Request, tdes::{Host, Transaction}};
    /// use paykernel::pin::{Format, PinBlockCipher};
    /// use paykernel::{Error, TdesKey};
    /// # struct NoRandom;
    /// # impl rand_core::TryRng for NoRandom {
    /// #     type Error = core::convert::Infallible;
    /// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
    /// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(0) }
    /// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(0); Ok(()) }
    /// # }
    /// # impl rand_core::TryCryptoRng for NoRandom {}
    ///
    /// // ANSI X9.24-1:2009 A.4's request MACs over "4012345678909D987"
    /// // for counters 1 and 3 (9CCC7817, 20B59A4F), and one MAC off by a
    /// // bit: two accepted, one refused, in one batch.
    /// let bdk = TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?;
    /// let zone = PinBlockCipher::new(Format::Iso0, &[0x11; 16])?;
    /// let host = Host::new(&bdk, &zone)?;
    /// let request = |ksn: &str, mac: &'static [u8]| Request {
    ///     ksn: TdesKsn::from_hex(ksn).unwrap(),
    ///     message: b"4012345678909D987",
    ///     pin: None,
    ///     data: &mut [],
    ///     iv: None,
    ///     mac,
    /// };
    /// let mut requests = [
    ///     request("FFFF9876543210E00001", &[0x9C, 0xCC, 0x78, 0x17]),
    ///     request("FFFF9876543210E00003", &[0x20, 0xB5, 0x9A, 0x4F]),
    ///     request("FFFF9876543210E00003", &[0x20, 0xB5, 0x9A, 0x4E]),
    /// ];
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
        requests: &mut [Request<'_, TdesKsn>],
        out: &mut [Result<Processed<Transaction>, Error>],
        rng: &mut R,
    ) -> Result<(), Error> {
        if requests.len() != out.len() {
            return Err(Error::InvalidLength);
        }
        for (reqs, outs) in requests.chunks_mut(BATCH).zip(out.chunks_mut(BATCH)) {
            self.process_chunk(reqs, outs, rng)?;
        }
        Ok(())
    }

    /// One batch of at most [`BATCH`] requests: every DES or TDES step that
    /// is independent across requests runs as one bitsliced pass.
    fn process_chunk<R: TryCryptoRng + ?Sized>(
        &self,
        reqs: &mut [Request<'_, TdesKsn>],
        outs: &mut [Result<Processed<Transaction>, Error>],
        rng: &mut R,
    ) -> Result<(), Error> {
        let n = reqs.len().min(BATCH);
        // The refusals that depend on public data only.
        let mut refused: [Option<Error>; BATCH] = [None; BATCH];
        let mut ivs = [TdesIv::ZERO; BATCH];
        for ((r, e), iv) in reqs.iter().zip(refused.iter_mut()).zip(ivs.iter_mut()) {
            let check = whole_blocks(r.data, BLOCK)
                .and_then(|()| check_mac_len(r.mac.len(), MAC_LEN))
                .and_then(|()| tdes_iv(r.iv))
                .and_then(|v| {
                    *iv = v;
                    r.pin
                        .as_ref()
                        .map_or(Ok(()), |p| tdes_format(p.format).map(|_| ()))
                });
            *e = check.err();
        }
        // Transaction keys: the batch derivation from the BDK.
        let mut ksns = [TdesKsn::from_bytes([0; 10]); BATCH];
        for (k, r) in ksns.iter_mut().zip(reqs.iter()) {
            *k = r.ksn;
        }
        let mut base: [TdesKey; BATCH] = core::array::from_fn(|_| TdesKey::double(&[0; 16]));
        let (Some(ks), Some(bs)) = (ksns.get(..n), base.get_mut(..n)) else {
            return Err(Error::InvalidLength);
        };
        derive_working_keys_many(self.bdk, ks, Variant::Base, bs)?;
        let mut mac_keys: [TdesKey; BATCH] = core::array::from_fn(|_| TdesKey::double(&[0; 16]));
        for (m, b) in mac_keys.iter_mut().zip(base.iter()).take(n) {
            *m = Variant::MacRequest.apply(b)?;
        }
        // The request MACs, every chain in lockstep.
        let mut ok = [Choice::from(0); BATCH];
        batch_verify(reqs, &mac_keys, &mut ok)?;
        // The data keys (the one-way step as one pass), then the data of
        // every accepted request with its own key, 64 blocks per pass.
        let mut data_keys: [TdesKey; BATCH] = core::array::from_fn(|_| TdesKey::double(&[0; 16]));
        batch_data_keys(&base, &mut data_keys, n)?;
        let mut accepted = [false; BATCH];
        for ((a, o), e) in accepted
            .iter_mut()
            .zip(ok.iter())
            .zip(refused.iter_mut())
            .take(n)
        {
            if e.is_none() {
                // The secret verdict becomes control flow here only.
                *e = verdict((), *o, Error::BadMac).err();
                *a = e.is_none();
            }
        }
        batch_decrypt(reqs, &data_keys, &ivs, &accepted)?;
        // The PINs of the accepted requests: every block decrypted under
        // its own PIN key in one pass, every outgoing block in another.
        let mut pin_keys: [TdesKey; BATCH] = core::array::from_fn(|_| TdesKey::double(&[0; 16]));
        let mut formats = [Format::Iso0; BATCH];
        let mut blocks: [&[u8]; BATCH] = [&[]; BATCH];
        let mut pans: [Option<&Pan>; BATCH] = [None; BATCH];
        let mut which = [0usize; BATCH];
        let mut m = 0usize;
        for (i, r) in reqs.iter().enumerate().take(n) {
            let (Some(p), Some(None), Some(b)) = (&r.pin, refused.get(i), base.get(i)) else {
                continue;
            };
            if let (Some(k), Some(f), Some(bl), Some(pa), Some(w)) = (
                pin_keys.get_mut(m),
                formats.get_mut(m),
                blocks.get_mut(m),
                pans.get_mut(m),
                which.get_mut(m),
            ) {
                *k = Variant::Pin.apply(b)?;
                *f = p.format;
                *bl = p.block;
                *pa = p.pan;
                *w = i;
            }
            m = m.saturating_add(1);
        }
        let mut translated: [Result<PinBlock, Error>; BATCH] = [Err(Error::Unsupported); BATCH];
        if let (Some(k), Some(f), Some(b), Some(p), Some(o)) = (
            pin_keys.get(..m),
            formats.get(..m),
            blocks.get(..m),
            pans.get(..m),
            translated.get_mut(..m),
        ) {
            translate_tdes_many(k, f, b, p, self.zone, o, rng)?;
        }
        let mut pin_out: [Option<Result<PinBlock, Error>>; BATCH] = [None; BATCH];
        for (w, t) in which.iter().zip(translated.iter()).take(m) {
            if let Some(slot) = pin_out.get_mut(*w) {
                *slot = Some(*t);
            }
        }
        // Each accepted request keeps its keys for the response.
        for (i, ((r, o), k)) in reqs
            .iter_mut()
            .zip(outs.iter_mut())
            .zip(base.iter_mut())
            .enumerate()
        {
            if let Some(e) = refused.get(i).copied().flatten() {
                *o = Err(e);
                continue;
            }
            let key = core::mem::replace(k, TdesKey::double(&[0; 16]));
            let transaction = Transaction { ksn: r.ksn, key };
            *o = match pin_out.get(i).copied().flatten() {
                Some(Ok(b)) => Ok(Processed {
                    transaction,
                    pin_block: Some(b),
                }),
                Some(Err(e)) => Err(e),
                None => Ok(Processed {
                    transaction,
                    pin_block: None,
                }),
            };
        }
        Ok(())
    }

    /// The response to a processed request: encrypts `response.data` in
    /// place under the data-response key and gives the response MAC
    /// (MAC-response key, its leftmost `mac_len` bytes) over
    /// `response.message` and the encrypted data. Host side.
    ///
    /// ```
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::txn::{Request, Response, tdes::Host};
    /// use paykernel::pin::{Format, PinBlockCipher};
    /// use paykernel::TdesKey;
    /// # struct NoRandom;
    /// # impl rand_core::TryRng for NoRandom {
    /// #     type Error = core::convert::Infallible;
    /// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
    /// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(0) }
    /// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(0); Ok(()) }
    /// # }
    /// # impl rand_core::TryCryptoRng for NoRandom {}
    ///
    /// // ANSI X9.24-1:2009 A.4, counter 2: the host accepts the request
    /// // and answers with the annex's response MAC (D1FCA6BE...).
    /// let bdk = TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?;
    /// let zone = PinBlockCipher::new(Format::Iso0, &[0x11; 16])?;
    /// let host = Host::new(&bdk, &zone)?;
    /// let t = paykernel::dukpt::txn::tdes::Transaction::from_bdk(&bdk, &TdesKsn::from_hex("FFFF9876543210E00002")?)?;
    /// let mac = t.mac(paykernel::dukpt::txn::Direction::Request, b"", 4)?;
    /// let done = host.process(&mut Request {
    ///     ksn: TdesKsn::from_hex("FFFF9876543210E00002")?,
    ///     message: b"", pin: None, data: &mut [], iv: None, mac: mac.as_bytes(),
    /// }, &mut NoRandom)?;
    /// let answer = host.respond(&done, Response { message: b"4012345678909D987", data: &mut [], iv: None }, 4)?;
    /// assert_eq!(answer.as_bytes(), &[0xD1, 0xFC, 0xA6, 0xBE]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for data that is not whole 8-byte blocks,
    /// an AES IV, or `mac_len` outside 4 to 8.
    pub fn respond(
        &self,
        processed: &Processed<Transaction>,
        response: Response<'_>,
        mac_len: usize,
    ) -> Result<Mac, Error> {
        whole_blocks(response.data, BLOCK)?;
        let iv = tdes_iv(response.iv)?;
        check_mac_len(mac_len, MAC_LEN)?;
        let t = &processed.transaction;
        if !response.data.is_empty() {
            t.encrypt_data(Direction::Response, &iv, response.data)?;
        }
        t.mac_parts(
            Direction::Response,
            &mac_input(response.message, None, response.data),
            mac_len,
        )
    }

    fn finish<R: TryCryptoRng + ?Sized>(
        &self,
        t: Transaction,
        request: &mut Request<'_, TdesKsn>,
        rng: &mut R,
    ) -> Result<Processed<Transaction>, Error> {
        whole_blocks(request.data, BLOCK)?;
        check_mac_len(request.mac.len(), MAC_LEN)?;
        let iv = tdes_iv(request.iv)?;
        if let Some(p) = &request.pin {
            tdes_format(p.format)?;
        }
        let pin_bytes = request.pin.as_ref().map_or(&[][..], |p| p.block);
        let ok = t.verify_mac_parts(
            Direction::Request,
            &[request.message, pin_bytes, request.data],
            request.mac,
        );
        verdict((), ok, Error::BadMac)?;
        if !request.data.is_empty() {
            t.decrypt_data(Direction::Request, &iv, request.data)?;
        }
        let pin_block = match &request.pin {
            Some(p) => Some(t.translate_pin(p, self.zone, rng)?),
            None => None,
        };
        Ok(Processed {
            transaction: t,
            pin_block,
        })
    }
}

/// The data-request key of each transaction key: the variant's mask of
/// X9.24-1:2009 (`0000000000FF0000` in each half), then the one-way step
/// (each half TDES-encrypted under the masked key) for all `n` keys as one
/// bitsliced pass.
fn batch_data_keys(
    base: &[TdesKey; BATCH],
    out: &mut [TdesKey; BATCH],
    n: usize,
) -> Result<(), Error> {
    const MASK: [u8; 8] = [0, 0, 0, 0, 0, 0xFF, 0, 0];
    let mut keys: [TdesKey; 2 * BATCH] = core::array::from_fn(|_| TdesKey::double(&[0; 16]));
    let mut halves = [[0u8; 8]; 2 * BATCH];
    for ((b, k), h) in base
        .iter()
        .zip(keys.chunks_exact_mut(2))
        .zip(halves.chunks_exact_mut(2))
        .take(n)
    {
        let mut masked = [0u8; 16];
        for ((m, x), y) in masked
            .iter_mut()
            .zip(b.expose_secret())
            .zip(MASK.iter().cycle())
        {
            *m = x ^ y;
        }
        if let ([k0, k1], [h0, h1]) = (k, h) {
            *k0 = TdesKey::double(&masked);
            *k1 = TdesKey::double(&masked);
            if let (Some(l), Some(r)) = (masked.get(..8), masked.get(8..)) {
                h0.copy_from_slice(l);
                h1.copy_from_slice(r);
            }
        }
        masked.zeroize();
    }
    let used = n.saturating_mul(2);
    let result = match (keys.get(..used), halves.get_mut(..used)) {
        (Some(k), Some(h)) => tdes_encrypt_many(k, h),
        _ => Err(Error::InvalidLength),
    };
    for (o, h) in out.iter_mut().zip(halves.chunks_exact(2)).take(n) {
        if let [l, r] = h {
            *o = TdesKey::from_halves(l, r);
        }
    }
    halves.zeroize();
    result
}

/// What a request's MAC covers: [`mac_input`].
fn request_parts<'r>(r: &'r Request<'_, TdesKsn>) -> [&'r [u8]; 3] {
    [
        r.message,
        r.pin.as_ref().map_or(&[][..], |p| p.block),
        &*r.data,
    ]
}

/// Block `s` of the zero-padded concatenation of `parts` (padding method
/// 1: an empty message is one zero block). Lengths are public.
fn block_of(parts: &[&[u8]; 3], s: usize) -> [u8; 8] {
    let mut out = [0u8; 8];
    let start = s.saturating_mul(8);
    let mut offset = 0usize;
    for p in parts {
        let end = offset.saturating_add(p.len());
        // The overlap of [start, start + 8) with this part.
        let lo = start.max(offset);
        let hi = start.saturating_add(8).min(end);
        if lo < hi
            && let (Some(dst), Some(src)) = (
                out.get_mut(lo.saturating_sub(start)..hi.saturating_sub(start)),
                p.get(lo.saturating_sub(offset)..hi.saturating_sub(offset)),
            )
        {
            dst.copy_from_slice(src);
        }
        offset = end;
    }
    out
}

/// The retail MAC (padding method 1) of every request's
/// [`mac_input`] in lockstep: each single-DES chaining
/// step of every request that still has a block before its last in one
/// bitsliced pass, then every final TDES step in one pass; each compared
/// with the request's MAC in constant time into `ok`.
fn batch_verify(
    reqs: &[Request<'_, TdesKsn>],
    mac_keys: &[TdesKey; BATCH],
    ok: &mut [Choice; BATCH],
) -> Result<(), Error> {
    let n = reqs.len().min(BATCH);
    let mut blocks_of = [0usize; BATCH];
    for (q, r) in blocks_of.iter_mut().zip(reqs.iter()) {
        let pin = r.pin.as_ref().map_or(0, |p| p.block.len());
        let len = r
            .message
            .len()
            .saturating_add(pin)
            .saturating_add(r.data.len());
        *q = len.div_ceil(8).max(1);
    }
    let mut k1 = [[0u8; 8]; BATCH];
    for (k, m) in k1.iter_mut().zip(mac_keys.iter()).take(n) {
        if let Some(src) = m.expose_secret().get(..8) {
            k.copy_from_slice(src);
        }
    }
    let mut state = [[0u8; 8]; BATCH];
    let mut lane_keys = [[0u8; 8]; BATCH];
    let mut lane_blocks = [[0u8; 8]; BATCH];
    let mut lane_of = [0usize; BATCH];
    let steps = blocks_of.iter().take(n).copied().max().unwrap_or(1);
    let mut result = Ok(());
    for s in 0..steps.saturating_sub(1) {
        let mut m = 0usize;
        for (i, r) in reqs.iter().enumerate().take(n) {
            if blocks_of.get(i).copied().unwrap_or(0) > s.saturating_add(1) {
                let mut x = block_of(&request_parts(r), s);
                if let (Some(h), Some(kk), Some(lk), Some(lb), Some(lo)) = (
                    state.get(i),
                    k1.get(i),
                    lane_keys.get_mut(m),
                    lane_blocks.get_mut(m),
                    lane_of.get_mut(m),
                ) {
                    for (a, b) in x.iter_mut().zip(h) {
                        *a ^= b;
                    }
                    *lk = *kk;
                    *lb = x;
                    *lo = i;
                }
                x.zeroize();
                m = m.saturating_add(1);
            }
        }
        result = result.and(match (lane_keys.get(..m), lane_blocks.get_mut(..m)) {
            (Some(k), Some(b)) => des_encrypt_many(k, b),
            _ => Err(Error::InvalidLength),
        });
        for (lb, lo) in lane_blocks.iter().zip(lane_of.iter()).take(m) {
            if let Some(h) = state.get_mut(*lo) {
                *h = *lb;
            }
        }
    }
    // The last block of each: the full TDES (K, K', K).
    for (i, r) in reqs.iter().enumerate().take(n) {
        let last = blocks_of.get(i).copied().unwrap_or(1).saturating_sub(1);
        let x = block_of(&request_parts(r), last);
        if let Some(h) = state.get_mut(i) {
            for (a, b) in h.iter_mut().zip(x) {
                *a ^= b;
            }
        }
    }
    result = result.and(match (mac_keys.get(..n), state.get_mut(..n)) {
        (Some(k), Some(b)) => tdes_encrypt_many(k, b),
        _ => Err(Error::InvalidLength),
    });
    for ((o, h), r) in ok.iter_mut().zip(state.iter_mut()).zip(reqs.iter()) {
        *o = verify_full(h, r.mac);
    }
    k1.zeroize();
    state.zeroize();
    lane_keys.zeroize();
    lane_blocks.zeroize();
    result
}

/// CBC decryption of the data of every accepted request in place, each
/// under its own data key: the blocks of all of them go through the
/// bitsliced TDES 64 at a time, then each is XORed with the ciphertext
/// before it in its own request (or the request's IV).
fn batch_decrypt(
    reqs: &mut [Request<'_, TdesKsn>],
    data_keys: &[TdesKey; BATCH],
    ivs: &[TdesIv; BATCH],
    accepted: &[bool; BATCH],
) -> Result<(), Error> {
    let mut keys: [TdesKey; BATCH] = core::array::from_fn(|_| TdesKey::double(&[0; 16]));
    let mut blocks = [[0u8; 8]; BATCH];
    let mut cts = [[0u8; 8]; BATCH];
    // Where each lane goes: request, block.
    let mut lane = [(0usize, 0usize); BATCH];
    let mut carry = ((usize::MAX, 0usize), [0u8; 8]);
    let mut m = 0usize;
    let mut result = Ok(());
    let total = reqs.len().min(BATCH);
    for i in 0..total {
        if !accepted.get(i).copied().unwrap_or(false) {
            continue;
        }
        let nblocks = reqs.get(i).map_or(0, |r| r.data.len() >> 3);
        for j in 0..nblocks {
            if let (Some(r), Some(k), Some(b), Some(c), Some(l), Some(dk)) = (
                reqs.get(i),
                keys.get_mut(m),
                blocks.get_mut(m),
                cts.get_mut(m),
                lane.get_mut(m),
                data_keys.get(i),
            ) {
                if let Some(src) = r
                    .data
                    .get(j.saturating_mul(BLOCK)..j.saturating_add(1).saturating_mul(BLOCK))
                {
                    b.copy_from_slice(src);
                    c.copy_from_slice(src);
                }
                *k = TdesKey::from_slice(dk.expose_secret())
                    .unwrap_or_else(|_| TdesKey::double(&[0; 16]));
                *l = (i, j);
            }
            m = m.saturating_add(1);
            if m == BATCH {
                result = result.and(flush(
                    reqs,
                    &keys,
                    &mut blocks,
                    &cts,
                    &lane,
                    m,
                    ivs,
                    &mut carry,
                ));
                m = 0;
            }
        }
    }
    if m > 0 {
        result = result.and(flush(
            reqs,
            &keys,
            &mut blocks,
            &cts,
            &lane,
            m,
            ivs,
            &mut carry,
        ));
    }
    blocks.zeroize();
    result
}

/// Decrypts the first `m` lanes and writes each plaintext block back:
/// D(C_j) XOR C_(j-1), C_(-1) the request's IV. A request's blocks sit in
/// consecutive lanes, so C_(j-1) is the lane before, or, for the first
/// lane, the last ciphertext of the flush before (`carry`).
#[allow(clippy::too_many_arguments, reason = "the batch's parallel arrays")]
fn flush(
    reqs: &mut [Request<'_, TdesKsn>],
    keys: &[TdesKey; BATCH],
    blocks: &mut [[u8; 8]; BATCH],
    cts: &[[u8; 8]; BATCH],
    lane: &[(usize, usize); BATCH],
    m: usize,
    ivs: &[TdesIv; BATCH],
    carry: &mut ((usize, usize), [u8; 8]),
) -> Result<(), Error> {
    let result = match (keys.get(..m), blocks.get_mut(..m)) {
        (Some(k), Some(b)) => tdes_decrypt_many(k, b),
        _ => Err(Error::InvalidLength),
    };
    for x in 0..m {
        let (Some(&(i, j)), Some(mut p)) = (lane.get(x), blocks.get(x).copied()) else {
            continue;
        };
        let prev = match j.checked_sub(1) {
            None => ivs.get(i).map_or([0; 8], |v| *v.as_bytes()),
            Some(pj) => match x.checked_sub(1) {
                Some(y) => cts.get(y).copied().unwrap_or([0; 8]),
                None if carry.0 == (i, pj) => carry.1,
                None => [0; 8],
            },
        };
        for (a, b) in p.iter_mut().zip(prev) {
            *a ^= b;
        }
        if let Some(dst) = reqs.get_mut(i).and_then(|r| {
            r.data
                .get_mut(j.saturating_mul(BLOCK)..j.saturating_add(1).saturating_mul(BLOCK))
        }) {
            dst.copy_from_slice(&p);
        }
        p.zeroize();
    }
    if let (Some(l), Some(c)) = (
        m.checked_sub(1).and_then(|y| lane.get(y)),
        m.checked_sub(1).and_then(|y| cts.get(y)),
    ) {
        *carry = (*l, *c);
    }
    result
}

impl fmt::Debug for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Host")
            .field("zone_format", &self.zone.format())
            .finish_non_exhaustive()
    }
}
