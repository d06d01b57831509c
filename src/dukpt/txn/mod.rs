//! DUKPT keys in use: data encryption, request and response MACs, and a
//! whole transaction in one call on each side.
//!
//! The keys come from [`dukpt::tdes`](super::tdes) and
//! [`dukpt::aes`](super::aes); this module does what a terminal and a host
//! do with them, with the conventions of openemv/dukpt
//! (`dukpt_tdes_encrypt_request`, `dukpt_aes_generate_request_cmac`, …)
//! that `docs/vectors.md` ("DUKPT keys in use") fixes:
//!
//! - TDES DUKPT ([`tdes`], ANSI X9.24-1:2009): data is TDES-CBC under the
//!   data-request or data-response key (variant, then the one-way step);
//!   MACs are the ANSI X9.19 retail MAC (ISO/IEC 9797-1 algorithm 3,
//!   padding method 1: zeros, none on whole blocks, one zero block for
//!   empty data) under the MAC-request or MAC-response key, leftmost 4 to 8
//!   bytes.
//! - AES DUKPT ([`aes`], ANSI X9.24-3-2017): the working key of a key type
//!   and usage, where the usage names the key, not the direction (a
//!   terminal's request uses `data-encrypt` and `mac-generate`, the host's
//!   response `data-decrypt` and `mac-verify`). AES key types: AES-CBC and
//!   AES-CMAC (16 bytes); 2TDEA and 3TDEA: TDES-CBC; HMAC key types:
//!   HMAC-SHA-256 (32 bytes). A TDES key type for a MAC, an HMAC key type
//!   for data, or a key type stronger than the initial key is
//!   [`Error::Unsupported`].
//! - Data is a whole number of cipher blocks (the terminal pads it;
//!   nothing here guesses a padding); the IV is one block, zero by
//!   default. Anything else is [`Error::InvalidLength`], as is a MAC
//!   length below 4 bytes or above the full MAC. Empty data means "no
//!   data" to the one-call functions (`terminal_request`, `Host::process`,
//!   the responses); the explicit encrypt and decrypt functions need at
//!   least one block.
//!
//! ## One call per transaction
//!
//! - Terminal side: `terminal_request` ([`tdes::terminal_request`],
//!   [`aes::terminal_request`]) takes the terminal state and a
//!   [`TerminalInput`] and gives the next transaction's KSN, the enciphered
//!   PIN block, the data encrypted in place and the request MAC, advancing
//!   the terminal once.
//! - Host side: `Host::process` ([`tdes::Host`], [`aes::Host`]) takes the
//!   BDK, the zone PIN key and a [`Request`] (KSN, message, PIN block,
//!   encrypted data, MAC): it verifies the MAC, decrypts the data in place
//!   and translates the PIN block from the DUKPT PIN key to the zone key
//!   (the payment HSM's "translate PIN from DUKPT"), the clear PIN only in
//!   the kernel's wiped buffers. The [`Processed`] answer keeps the
//!   transaction's keys for the response: `Host::respond` encrypts the
//!   response data and MACs the [`Response`]. `Host::process_many` does a
//!   batch.
//! - Back on the terminal, the [`TerminalOutput`] kept the response keys
//!   (the terminal's registers no longer hold them):
//!   `ResponseKeys::open_response` verifies the response MAC and decrypts
//!   the response data.
//!
//! The request MAC covers, in this order, the caller's `message` (the
//! fields of the request that travel in the clear: the protocol's choice,
//! may be empty), the enciphered PIN block (when there is one) and the
//! encrypted data (encrypt, then MAC): [`mac_input`].
//!
//! ## Constant time
//!
//! Keys, clear data, PINs and MACs being checked never steer a branch or an
//! index: the lengths, formats, key types and KSNs do (they are public). A
//! MAC is compared in constant time after a public length check; the
//! host's accept/refuse of a request MAC becomes a `Result` in the
//! kernel's one verdict, before any data is decrypted.

use core::fmt;

use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroize;

use crate::mode::cbc::Iv;
use crate::pin::{Format, Pin, PinBlock};
use crate::{Error, Pan};

pub mod aes;
pub mod tdes;

/// Which way a message goes: the terminal's request or the host's
/// response. It picks the TDES DUKPT key variant; for AES DUKPT the usage
/// names the key instead.
///
/// ```
/// use paykernel::dukpt::txn::Direction;
/// assert_eq!(Direction::Request.name(), "request");
/// assert_eq!(Direction::from_name("RESPONSE"), Some(Direction::Response));
/// assert_eq!(Direction::from_name("reply"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Terminal to host.
    Request,
    /// Host to terminal.
    Response,
}

impl Direction {
    /// Its name in `docs/vectors.md`: `request` or `response`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
        }
    }

    /// The direction named `name` (case-insensitive), if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Direction> {
        [Direction::Request, Direction::Response]
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(name))
    }
}

/// The shortest MAC a DUKPT transaction sends or accepts: shorter tags are
/// guessed too easily.
pub const MIN_MAC_LEN: usize = 4;

/// A MAC of a DUKPT transaction: the leftmost 4 to 32 bytes of a retail
/// MAC, a CMAC or an HMAC-SHA-256. Public once computed.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::dukpt::TdesKsn;
/// use paykernel::dukpt::txn::{Direction, tdes::Transaction};
/// // ANSI X9.24-1:2009 A.4, counter 1: request MAC 9CCC7817.
/// let bdk = TdesKey::from_slice(&hex::decode("0123456789ABCDEFFEDCBA9876543210").unwrap())?;
/// let t = Transaction::from_bdk(&bdk, &TdesKsn::from_hex("FFFF9876543210E00001")?)?;
/// let mac = t.mac(Direction::Request, b"4012345678909D987", 4)?;
/// assert_eq!(mac.as_bytes(), [0x9C, 0xCC, 0x78, 0x17]);
/// assert_eq!(format!("{mac:?}"), "Mac(9CCC7817)");
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mac {
    bytes: [u8; 32],
    len: usize,
}

impl Mac {
    /// The MAC's bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    /// The leftmost `len` bytes of `full`, which is then wiped.
    pub(crate) fn truncate<const N: usize>(full: &mut [u8; N], len: usize) -> Result<Mac, Error> {
        let result = check_mac_len(len, N).and_then(|()| {
            let mut bytes = [0u8; 32];
            bytes
                .get_mut(..len)
                .zip(full.get(..len))
                .map(|(d, s)| d.copy_from_slice(s))
                .ok_or(Error::InvalidLength)?;
            Ok(Mac { bytes, len })
        });
        full.zeroize();
        result
    }
}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Mac(")?;
        for b in self.as_bytes() {
            write!(f, "{b:02X}")?;
        }
        f.write_str(")")
    }
}

/// `len` is a MAC length a transaction may use with a MAC of `full` bytes.
pub(crate) fn check_mac_len(len: usize, full: usize) -> Result<(), Error> {
    if (MIN_MAC_LEN..=full).contains(&len) {
        Ok(())
    } else {
        Err(Error::InvalidLength)
    }
}

/// Whether `candidate` is the leftmost bytes of `full` (4 bytes at least),
/// compared in constant time after the public length check; `full` is
/// wiped.
pub(crate) fn verify_full<const N: usize>(full: &mut [u8; N], candidate: &[u8]) -> Choice {
    let ok = match (
        check_mac_len(candidate.len(), N),
        full.get(..candidate.len()),
    ) {
        (Ok(()), Some(expected)) => expected.ct_eq(candidate),
        _ => Choice::from(0),
    };
    full.zeroize();
    ok
}

/// The parts the request MAC covers, in order: the caller's `message`, the
/// enciphered PIN block (empty when there is none), the encrypted data.
///
/// ```
/// use paykernel::dukpt::txn::mac_input;
/// use paykernel::pin::PinBlock;
/// let block = PinBlock::from_slice(&[0x1B, 0x9C, 0x18, 0x45, 0xEB, 0x99, 0x3A, 0x7A])?;
/// let parts = mac_input(b"hdr", Some(&block), b"data....");
/// assert_eq!(parts.concat(), b"hdr\x1B\x9C\x18\x45\xEB\x99\x3A\x7Adata....");
/// // No PIN: an empty middle part.
/// assert_eq!(mac_input(b"hdr", None, b"")[1], b"");
/// # Ok::<(), paykernel::Error>(())
/// ```
#[must_use]
pub fn mac_input<'a>(
    message: &'a [u8],
    pin_block: Option<&'a PinBlock>,
    data: &'a [u8],
) -> [&'a [u8]; 3] {
    [message, pin_block.map_or(&[][..], PinBlock::as_bytes), data]
}

/// A PIN a terminal enciphers: the PIN, the block format, and the PAN when
/// the format uses one (formats 0, 3 and 4).
#[derive(Debug)]
pub struct PinEntry<'a> {
    /// The cardholder's PIN.
    pub pin: &'a Pin,
    /// The PIN block format: 0 to 3 under a TDES PIN key, 4 under an AES
    /// one.
    pub format: Format,
    /// The PAN, for formats 0, 3 and 4.
    pub pan: Option<&'a Pan>,
}

/// An enciphered PIN block as a host receives it.
#[derive(Debug, Clone, Copy)]
pub struct EncipheredPin<'a> {
    /// The block: 8 bytes (formats 0 to 3) or 16 (format 4).
    pub block: &'a [u8],
    /// Its format.
    pub format: Format,
    /// The PAN, for formats 0, 3 and 4 (on either side of the translation).
    pub pan: Option<&'a Pan>,
}

/// What the terminal puts into one transaction.
#[derive(Debug)]
pub struct TerminalInput<'a> {
    /// The PIN to encipher, if the transaction has one.
    pub pin: Option<PinEntry<'a>>,
    /// The request's fields that travel in the clear and that the MAC
    /// covers (may be empty).
    pub message: &'a [u8],
    /// The data to encrypt in place: whole blocks of the data key's cipher
    /// (empty: no data).
    pub data: &'a mut [u8],
    /// The data IV (one block of the data key's cipher); zeros when `None`.
    pub iv: Option<Iv>,
    /// How many bytes of the request MAC to send.
    pub mac_len: usize,
}

/// What the terminal sends for one transaction (with the data, encrypted
/// in place), and the keys it keeps for the host's response. `K` is the
/// KSN type, `R` the response keys ([`tdes::ResponseKeys`],
/// [`aes::ResponseKeys`]).
#[derive(Debug)]
pub struct TerminalOutput<K, R> {
    /// The transaction's KSN.
    pub ksn: K,
    /// The enciphered PIN block, if there was a PIN.
    pub pin_block: Option<PinBlock>,
    /// The request MAC over [`mac_input`].
    pub mac: Mac,
    /// The transaction's response keys (MAC and data), kept after the
    /// terminal has advanced: the terminal's registers no longer hold them.
    pub response: R,
}

/// A response as the host sends it or the terminal receives it. The
/// response MAC covers `message` and then the encrypted `data`.
#[derive(Debug)]
pub struct Response<'a> {
    /// The response's clear fields that the MAC covers (may be empty).
    pub message: &'a [u8],
    /// The response data: encrypted in place by the host, decrypted in
    /// place by the terminal (empty: no data).
    pub data: &'a mut [u8],
    /// The data IV; zeros when `None`.
    pub iv: Option<Iv>,
}

/// One request as the host receives it. `K` is the KSN type.
#[derive(Debug)]
pub struct Request<'a, K> {
    /// The KSN that came with the request.
    pub ksn: K,
    /// The request's clear fields that the MAC covers (may be empty).
    pub message: &'a [u8],
    /// The enciphered PIN block, if any.
    pub pin: Option<EncipheredPin<'a>>,
    /// The encrypted data, decrypted in place once the MAC checks out
    /// (empty: no data).
    pub data: &'a mut [u8],
    /// The data IV; zeros when `None`.
    pub iv: Option<Iv>,
    /// The request MAC (4 bytes up to the full MAC).
    pub mac: &'a [u8],
}

/// The host's answer to one request: the PIN block under the zone key and
/// the transaction's keys, kept for the response.
#[derive(Debug)]
pub struct Processed<T> {
    /// The transaction (its KSN and keys), for the response
    /// (`Host::respond`).
    pub transaction: T,
    /// The PIN block translated to the zone key, if the request had one.
    pub pin_block: Option<PinBlock>,
}

/// `data` is whole blocks of `block` bytes (none at all included).
pub(crate) fn whole_blocks(data: &[u8], block: usize) -> Result<(), Error> {
    if block == 0 || !data.len().is_multiple_of(block) {
        return Err(Error::InvalidLength);
    }
    Ok(())
}
