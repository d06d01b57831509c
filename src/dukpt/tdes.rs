//! TDES DUKPT (ANSI X9.24-1:2009, Annex A): host side and terminal side.
//!
//! - Host side: [`derive_initial_key`] (the IPEK, from the BDK),
//!   [`derive_transaction_key`] (the current transaction key of any KSN,
//!   from the IPEK), [`derive_working_key`] and
//!   [`derive_working_key_from_bdk`] (the PIN, MAC or data key of a
//!   transaction: its [`Variant`]), and the batch
//!   [`derive_working_keys_many`].
//! - Terminal side: [`TdesTerminal`], the 21 future key registers and the
//!   counter of X9.24-1 A.2, with its state as bytes that refuse to load
//!   when corrupt ([`TdesTerminal::to_bytes`], [`TdesTerminal::from_bytes`]).
//!
//! Keys are double-length TDES keys (16 bytes); the BDK must be one too.
//! No parity is adjusted anywhere: the standard's keys keep the bits the
//! derivation gives them.
//!
//! ```
//! use paykernel::TdesKey;
//! use paykernel::dukpt::TdesKsn;
//! use paykernel::dukpt::tdes::{self, TdesTerminal, Variant};
//!
//! // ANSI X9.24-1:2009 A.4: the BDK, the terminal's KSN, its IPEK.
//! let bdk = TdesKey::from_slice(&hex::decode("0123456789ABCDEFFEDCBA9876543210")?)?;
//! let ksn = TdesKsn::from_hex("FFFF9876543210E00000")?;
//! let ipek = tdes::derive_initial_key(&bdk, &ksn)?;
//!
//! // The terminal: load, transact, save, reload.
//! let mut terminal = TdesTerminal::load_initial_key(&ipek, &ksn)?;
//! let (ksn1, pin_key) = terminal.next_transaction(Variant::Pin)?;
//! let saved = terminal.to_bytes();
//! let terminal = TdesTerminal::from_bytes(&saved)?;
//! assert_eq!(terminal.current_ksn()?.counter(), 2);
//!
//! // The host derives the same key from the BDK and the KSN it received.
//! let host = tdes::derive_working_key_from_bdk(&bdk, &ksn1, Variant::Pin)?;
//! assert_eq!(host.expose_secret(), pin_key.expose_secret());
//! assert_eq!(hex::encode_upper(host.expose_secret()), "042666B49184CF5C68DE9628D0397B36");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::state::{self, CHECK_LEN, FLAG_EXHAUSTED, SavedState};
use super::{CounterRules, TdesKsn, lowest_bit_index};
use crate::cipher::{
    MaskSchedule, TdesCipher, des_encrypt_many, des_encrypt_pair_masked, des_encrypt_word,
    tdes_encrypt_many, tdes2_encrypt_pair_masked, tdes2_encrypt_words,
};
use crate::ct::verdict;
use crate::{Error, TdesKey, TdesKeyLength};

/// The mask of X9.24-1 for the right half of the IPEK and for the second
/// half of the non-reversible key generation process: `C0C0C0C000000000`
/// in each half of the key.
const KEY_MASK: u64 = 0xC0C0_C0C0_0000_0000;

/// The 21-bit transaction counter inside the rightmost 64 bits of the KSN.
const COUNTER_MASK: u64 = 0x1F_FFFF;

/// Bits of the counter, and future key registers.
const REGISTERS: usize = 21;

/// How many items of a batch go through the DES rounds together.
const CHUNK: usize = 32;

/// A double-length key as its two 64-bit halves (big-endian).
type Halves = [u64; 2];

/// The halves of a double-length key.
fn halves(key: &TdesKey) -> Result<Halves, Error> {
    if key.length() != TdesKeyLength::Double {
        return Err(Error::InvalidKey);
    }
    let mut l = [0u8; 8];
    let mut r = [0u8; 8];
    let (a, b) = key.expose_secret().split_at(8);
    l.copy_from_slice(a);
    r.copy_from_slice(b);
    let out = [u64::from_be_bytes(l), u64::from_be_bytes(r)];
    l.zeroize();
    r.zeroize();
    Ok(out)
}

/// The key made of two halves.
fn key_from_halves(k: &Halves) -> TdesKey {
    let [l, r] = k;
    let mut lb = l.to_be_bytes();
    let mut rb = r.to_be_bytes();
    let key = TdesKey::from_halves(&lb, &rb);
    lb.zeroize();
    rb.zeroize();
    key
}

/// One bit of the counter: `1 << bit` for `bit < 21`.
fn counter_bit(bit: usize) -> u64 {
    u32::try_from(bit)
        .ok()
        .and_then(|b| 1u64.checked_shl(b))
        .unwrap_or(0)
}

/// The counter bits at and above `bit`.
fn bits_from(bit: usize) -> u64 {
    counter_bit(bit).wrapping_neg()
}

/// The non-reversible key generation process (X9.24-1:2009 A.2, used by
/// both sides), in place: the key becomes
/// `E(K'l, D ^ K'r) ^ K'r || E(Kl, D ^ Kr) ^ Kr` with `K' = K ^ C0C0C0C0..`
/// and `D` the rightmost 64 bits of the KSN register. Two single DES; with
/// the mask's key schedule at hand (worth making for two or more steps),
/// the second key's schedule is the first's XOR the mask's.
fn non_reversible_key_generation(key: &mut Halves, data: u64, mask: Option<&MaskSchedule>) {
    let [l, r] = *key;
    let r2 = r ^ KEY_MASK;
    let (right, left) = match mask {
        Some(m) => des_encrypt_pair_masked(l, m, data ^ r, data ^ r2),
        None => (
            des_encrypt_word(l, data ^ r),
            des_encrypt_word(l ^ KEY_MASK, data ^ r2),
        ),
    };
    *key = [left ^ r2, right ^ r];
}

/// The IPEK's halves from the BDK's (X9.24-1:2009 A.6), for the KSN whose
/// leftmost 64 bits, counter cleared, are `data`.
fn initial_key_halves(bdk: &Halves, data: u64, mask: &MaskSchedule) -> Halves {
    let (l, r) = tdes2_encrypt_pair_masked(bdk, mask, data);
    [l, r]
}

/// The transaction key of `ksn` from the IPEK, in place (X9.24-1:2009
/// A.3): one non-reversible key generation per one-bit of the counter,
/// from the top.
fn transaction_key_halves(key: &mut Halves, ksn: &TdesKsn, mask: &MaskSchedule) {
    let counter = u64::from(ksn.counter());
    let base = ksn.right64() & !COUNTER_MASK;
    for bit in (0..REGISTERS).rev() {
        if counter & counter_bit(bit) != 0 {
            non_reversible_key_generation(key, base | (counter & bits_from(bit)), Some(mask));
        }
    }
}

/// The key schedule of `C0C0C0C000000000`, made at compile time.
static KEY_MASK_SCHEDULE: MaskSchedule = MaskSchedule::new(KEY_MASK);

/// The key schedule of `C0C0C0C000000000`.
fn key_mask() -> &'static MaskSchedule {
    &KEY_MASK_SCHEDULE
}

/// The IPEK of X9.24-1:2009 A.6 ("initial PIN encryption key", the
/// terminal's initial key) of the device whose KSN is `ksn`, from the BDK.
/// Host side (and the key-injection facility).
///
/// The counter bits of `ksn` do not matter: the IPEK is
/// `TDES(BDK, L) || TDES(BDK ^ C0C0C0C000000000C0C0C0C000000000, L)`, `L`
/// the leftmost 64 bits of the KSN with its counter cleared.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::dukpt::{tdes, TdesKsn};
///
/// // ANSI X9.24-1:2009 A.4.
/// let bdk = TdesKey::from_slice(&hex::decode("0123456789ABCDEFFEDCBA9876543210")?)?;
/// let ipek = tdes::derive_initial_key(&bdk, &TdesKsn::from_hex("FFFF9876543210E00008")?)?;
/// assert_eq!(hex::encode_upper(ipek.expose_secret()), "6AC292FAA1315B4D858AB3A3D7D5933A");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::InvalidKey`] unless `bdk` is a double-length (16-byte) key.
pub fn derive_initial_key(bdk: &TdesKey, ksn: &TdesKsn) -> Result<TdesKey, Error> {
    let mut k = Zeroizing::new(halves(bdk)?);
    *k = initial_key_halves(&k, ksn.initial_key_id().left64(), key_mask());
    Ok(key_from_halves(&k))
}

/// The current transaction key of `ksn` (X9.24-1:2009 A.3), derived from
/// the device's IPEK. Host side.
///
/// For each one-bit of the 21-bit counter, from the top, the bit is set in
/// a copy of the KSN and the key goes through the non-reversible key
/// generation process: at most 21 steps, 10 for a counter a terminal uses.
/// Any counter is derived, including 0 (the IPEK itself) and counters a
/// terminal would skip.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::dukpt::{tdes, TdesKsn};
///
/// // ANSI X9.24-1:2009 A.4.2, the second transaction.
/// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
/// let key = tdes::derive_transaction_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00002")?)?;
/// assert_eq!(hex::encode_upper(key.expose_secret()), "C46551CEF9FD24B0AA9AD834130D3BC7");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::InvalidKey`] unless `ipek` is a double-length key.
pub fn derive_transaction_key(ipek: &TdesKey, ksn: &TdesKsn) -> Result<TdesKey, Error> {
    let mut key = Zeroizing::new(halves(ipek)?);
    transaction_key_halves(&mut key, ksn, key_mask());
    Ok(key_from_halves(&key))
}

/// The working key of `ksn`'s transaction for `variant` (its PIN, MAC or
/// data key), from the IPEK: [`derive_transaction_key`] then
/// [`Variant::apply`]. Host side.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::dukpt::{tdes, TdesKsn};
/// use paykernel::dukpt::tdes::Variant;
///
/// // ANSI X9.24-1:2009 A.4.2: the PIN key of the first transaction.
/// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
/// let ksn = TdesKsn::from_hex("FFFF9876543210E00001")?;
/// let key = tdes::derive_working_key(&ipek, &ksn, Variant::Pin)?;
/// assert_eq!(hex::encode_upper(key.expose_secret()), "042666B49184CF5C68DE9628D0397B36");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::InvalidKey`] unless `ipek` is a double-length key.
pub fn derive_working_key(
    ipek: &TdesKey,
    ksn: &TdesKsn,
    variant: Variant,
) -> Result<TdesKey, Error> {
    let mut key = Zeroizing::new(halves(ipek)?);
    transaction_key_halves(&mut key, ksn, key_mask());
    variant.apply_halves(&mut key);
    Ok(key_from_halves(&key))
}

/// The working key of `ksn`'s transaction for `variant`, from the BDK:
/// the IPEK ([`derive_initial_key`]), then [`derive_working_key`], in one
/// pass over the key's halves (no intermediate [`TdesKey`]). Host side:
/// what a switch does for each PIN block it receives.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::dukpt::{tdes, TdesKsn};
/// use paykernel::dukpt::tdes::Variant;
///
/// // ANSI X9.24-1:2009 A.4.3: the key of counter 100000, after rollover.
/// let bdk = TdesKey::from_slice(&hex::decode("0123456789ABCDEFFEDCBA9876543210")?)?;
/// let ksn = TdesKsn::from_hex("FFFF9876543210F00000")?;
/// let key = tdes::derive_working_key_from_bdk(&bdk, &ksn, Variant::Base)?;
/// assert_eq!(hex::encode_upper(key.expose_secret()), "AA4D58DB653EC74A48C75F2F047DD2B5");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::InvalidKey`] unless `bdk` is a double-length key.
pub fn derive_working_key_from_bdk(
    bdk: &TdesKey,
    ksn: &TdesKsn,
    variant: Variant,
) -> Result<TdesKey, Error> {
    let mask = key_mask();
    let mut key = Zeroizing::new(halves(bdk)?);
    *key = initial_key_halves(&key, ksn.initial_key_id().left64(), mask);
    transaction_key_halves(&mut key, ksn, mask);
    variant.apply_halves(&mut key);
    Ok(key_from_halves(&key))
}

/// Renamed [`derive_working_key`] (the same name as AES DUKPT's).
///
/// # Errors
/// As [`derive_working_key`].
#[deprecated(
    since = "0.1.0",
    note = "renamed `derive_working_key`, as on the AES side"
)]
pub fn derive_key(ipek: &TdesKey, ksn: &TdesKsn, variant: Variant) -> Result<TdesKey, Error> {
    derive_working_key(ipek, ksn, variant)
}

/// Renamed [`derive_working_key_from_bdk`] (the same name as AES
/// DUKPT's).
///
/// # Errors
/// As [`derive_working_key_from_bdk`].
#[deprecated(
    since = "0.1.0",
    note = "renamed `derive_working_key_from_bdk`, as on the AES side"
)]
pub fn derive_key_from_bdk(
    bdk: &TdesKey,
    ksn: &TdesKsn,
    variant: Variant,
) -> Result<TdesKey, Error> {
    derive_working_key_from_bdk(bdk, ksn, variant)
}

/// What a transaction key is used for: the key variants of X9.24-1:2009
/// (A.4.1, Table A-1 and Figure A-2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Variant {
    /// The transaction key itself.
    Base,
    /// PIN encryption: each half XOR `00000000000000FF`.
    Pin,
    /// MAC, request or both ways: each half XOR `000000000000FF00`.
    MacRequest,
    /// MAC, response: each half XOR `00000000FF000000`.
    MacResponse,
    /// Data encryption, request or both ways: each half XOR
    /// `0000000000FF0000`, then the one-way step.
    DataRequest,
    /// Data encryption, response: each half XOR `000000FF00000000`, then
    /// the one-way step.
    DataResponse,
}

impl Variant {
    /// Every variant.
    pub const ALL: [Variant; 6] = [
        Variant::Base,
        Variant::Pin,
        Variant::MacRequest,
        Variant::MacResponse,
        Variant::DataRequest,
        Variant::DataResponse,
    ];

    /// Its name in `docs/vectors.md`: `base`, `pin`, `mac-request`,
    /// `mac-response`, `data-request`, `data-response`.
    ///
    /// ```
    /// use paykernel::dukpt::tdes::Variant;
    /// assert_eq!(Variant::Pin.name(), "pin");
    /// assert_eq!(Variant::DataResponse.name(), "data-response");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Variant::Base => "base",
            Variant::Pin => "pin",
            Variant::MacRequest => "mac-request",
            Variant::MacResponse => "mac-response",
            Variant::DataRequest => "data-request",
            Variant::DataResponse => "data-response",
        }
    }

    /// The variant named `name` (case-insensitive), if any.
    ///
    /// ```
    /// use paykernel::dukpt::tdes::Variant;
    ///
    /// assert_eq!(Variant::from_name("PIN"), Some(Variant::Pin));
    /// assert_eq!(Variant::from_name("data-request").map(Variant::name), Some("data-request"));
    /// assert_eq!(Variant::from_name("data"), None);
    ///
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(name))
    }

    /// The mask XORed into each half of the key.
    fn mask(self) -> u64 {
        match self {
            Variant::Base => 0,
            Variant::Pin => 0x0000_0000_0000_00FF,
            Variant::MacRequest => 0x0000_0000_0000_FF00,
            Variant::MacResponse => 0x0000_0000_FF00_0000,
            Variant::DataRequest => 0x0000_0000_00FF_0000,
            Variant::DataResponse => 0x0000_00FF_0000_0000,
        }
    }

    /// Whether the 2009 one-way step follows the mask: each half of the
    /// masked key TDES-encrypted under the masked key.
    fn one_way(self) -> bool {
        matches!(self, Variant::DataRequest | Variant::DataResponse)
    }

    /// This variant of a key's halves, in place.
    fn apply_halves(self, k: &mut Halves) {
        let [l, r] = *k;
        let mut masked = [l ^ self.mask(), r ^ self.mask()];
        *k = masked;
        if self.one_way() {
            tdes2_encrypt_words(&masked, k);
        }
        masked.zeroize();
    }

    /// This variant of a transaction key. Either side.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::tdes::Variant;
    ///
    /// // X9.24-1:2009 A.4.2: the key of counter 1 and its data-request
    /// // key (the one-way step: the public suite x9.24-1-variants.json).
    /// let key = TdesKey::from_slice(&hex::decode("042666B49184CFA368DE9628D0397BC9")?)?;
    /// let data = Variant::DataRequest.apply(&key)?;
    /// assert_eq!(hex::encode_upper(data.expose_secret()), "448D3F076D8304036A55A3D7E0055A78");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless `key` is a double-length key.
    pub fn apply(self, key: &TdesKey) -> Result<TdesKey, Error> {
        let mut k = Zeroizing::new(halves(key)?);
        self.apply_halves(&mut k);
        Ok(key_from_halves(&k))
    }
}

/// Derives the working key for `variant` of the transaction of every KSN
/// in `ksns` under one BDK, into `out` (`out[i]` for `ksns[i]`). Host side:
/// a switch deriving the keys of many messages at once.
///
/// The work goes in chunks of 32 KSNs and each derivation step runs for the
/// whole chunk at once: the IPEKs under one BDK key schedule, then, for
/// each counter bit from the top, one batch of single-DES encryptions for
/// every KSN with that bit set, then (data variants) one batch of TDES
/// encryptions. The BDK schedule is made once. `out` holds keys of any
/// value on entry (they are wiped as they are replaced); no memory is
/// allocated.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::dukpt::{tdes, TdesKsn};
/// use paykernel::dukpt::tdes::Variant;
///
/// let bdk = TdesKey::from_slice(&hex::decode("0123456789ABCDEFFEDCBA9876543210")?)?;
/// let ksns = [TdesKsn::from_hex("FFFF9876543210E00001")?, TdesKsn::from_hex("FFFF9876543210E00002")?];
/// let mut out = [TdesKey::from_slice(&[0; 16])?, TdesKey::from_slice(&[0; 16])?];
/// tdes::derive_working_keys_many(&bdk, &ksns, Variant::Base, &mut out)?;
/// // X9.24-1:2009 A.4.2, the first two transaction keys.
/// assert_eq!(hex::encode_upper(out[1].expose_secret()), "C46551CEF9FD24B0AA9AD834130D3BC7");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::InvalidKey`] unless `bdk` is a double-length key;
/// [`Error::InvalidLength`] if `ksns` and `out` differ in length.
pub fn derive_working_keys_many(
    bdk: &TdesKey,
    ksns: &[TdesKsn],
    variant: Variant,
    out: &mut [TdesKey],
) -> Result<(), Error> {
    if ksns.len() != out.len() {
        return Err(Error::InvalidLength);
    }
    let mut masked_bdk = halves(bdk)?;
    masked_bdk.iter_mut().for_each(|h| *h ^= KEY_MASK);
    let left_cipher = TdesCipher::new(bdk);
    let right_cipher = TdesCipher::new(&key_from_halves(&masked_bdk));
    masked_bdk.zeroize();

    let mut keys = [[0u64; 2]; CHUNK];
    let mut des_keys = [[0u8; 8]; 2 * CHUNK];
    let mut blocks = [[0u8; 8]; 2 * CHUNK];
    let mut result = Ok(());
    for (ksn_chunk, out_chunk) in ksns.chunks(CHUNK).zip(out.chunks_mut(CHUNK)) {
        // The IPEKs, under one BDK schedule.
        for (k, ksn) in keys.iter_mut().zip(ksn_chunk) {
            let data = ksn.initial_key_id().left64().to_be_bytes();
            let mut l = data;
            let mut r = data;
            left_cipher.encrypt_block(&mut l);
            right_cipher.encrypt_block(&mut r);
            *k = [u64::from_be_bytes(l), u64::from_be_bytes(r)];
            l.zeroize();
            r.zeroize();
        }
        // The non-reversible key generation steps, one counter bit at a
        // time across the chunk (the counters are public).
        for bit in (0..REGISTERS).rev() {
            let m = counter_bit(bit);
            let mut n = 0usize;
            for ((k, ksn), (dk, bl)) in keys
                .iter()
                .zip(ksn_chunk)
                .filter(|(_, ksn)| u64::from(ksn.counter()) & m != 0)
                .zip(des_keys.chunks_exact_mut(2).zip(blocks.chunks_exact_mut(2)))
            {
                let data =
                    (ksn.right64() & !COUNTER_MASK) | (u64::from(ksn.counter()) & bits_from(bit));
                let [l, r] = *k;
                if let ([dk0, dk1], [b0, b1]) = (dk, bl) {
                    *dk0 = l.to_be_bytes();
                    *dk1 = (l ^ KEY_MASK).to_be_bytes();
                    *b0 = (data ^ r).to_be_bytes();
                    *b1 = (data ^ r ^ KEY_MASK).to_be_bytes();
                }
                n = n.saturating_add(1);
            }
            if n == 0 {
                continue;
            }
            let used = n.saturating_mul(2);
            result = result.and(match (des_keys.get(..used), blocks.get_mut(..used)) {
                (Some(dk), Some(bl)) => des_encrypt_many(dk, bl),
                _ => Err(Error::InvalidLength),
            });
            for (k, bl) in keys
                .iter_mut()
                .zip(ksn_chunk)
                .filter(|(_, ksn)| u64::from(ksn.counter()) & m != 0)
                .map(|(k, _)| k)
                .zip(blocks.chunks_exact(2))
            {
                if let [b_right, b_left] = bl {
                    let r = k[1];
                    *k = [
                        u64::from_be_bytes(*b_left) ^ r ^ KEY_MASK,
                        u64::from_be_bytes(*b_right) ^ r,
                    ];
                }
            }
        }
        // The variant, and for the data keys the one-way step, every key
        // at once.
        for k in keys.iter_mut() {
            k.iter_mut().for_each(|h| *h ^= variant.mask());
        }
        if variant.one_way() {
            result = result.and(one_way_many(&mut keys, ksn_chunk.len(), &mut blocks));
        }
        for (slot, k) in out_chunk.iter_mut().zip(keys.iter()) {
            *slot = key_from_halves(k);
        }
    }
    keys.zeroize();
    des_keys.zeroize();
    blocks.zeroize();
    result
}

/// Renamed [`derive_working_keys_many`] (the same name as AES DUKPT's).
///
/// # Errors
/// As [`derive_working_keys_many`].
#[deprecated(
    since = "0.1.0",
    note = "renamed `derive_working_keys_many`, as on the AES side"
)]
pub fn derive_keys_many(
    bdk: &TdesKey,
    ksns: &[TdesKsn],
    variant: Variant,
    out: &mut [TdesKey],
) -> Result<(), Error> {
    derive_working_keys_many(bdk, ksns, variant, out)
}

/// The one-way step of the data variants for the first `n` keys: each half
/// TDES-encrypted under the key itself, as one batch.
fn one_way_many(
    keys: &mut [Halves; CHUNK],
    n: usize,
    blocks: &mut [[u8; 8]; 2 * CHUNK],
) -> Result<(), Error> {
    let tdes_keys: [TdesKey; 2 * CHUNK] =
        core::array::from_fn(|i| key_from_halves(keys.get(i >> 1).unwrap_or(&[0, 0])));
    for (k, b) in keys.iter().zip(blocks.chunks_exact_mut(2)) {
        if let [b0, b1] = b {
            *b0 = k[0].to_be_bytes();
            *b1 = k[1].to_be_bytes();
        }
    }
    let used = n.saturating_mul(2);
    let result = match (tdes_keys.get(..used), blocks.get_mut(..used)) {
        (Some(tk), Some(bl)) => tdes_encrypt_many(tk, bl),
        _ => Err(Error::InvalidLength),
    };
    for (k, b) in keys.iter_mut().zip(blocks.chunks_exact(2)) {
        if let [b0, b1] = b {
            *k = [u64::from_be_bytes(*b0), u64::from_be_bytes(*b1)];
        }
    }
    result
}

/// A TDES DUKPT terminal (X9.24-1:2009 A.2): the KSN register, the
/// encryption counter and the 21 future key registers. Terminal side.
///
/// Future key register `j` belongs to counter bit `j`. When the next
/// counter is `c`, with lowest one-bit `p`, register `p` holds the key of
/// `c` and each register `j > p` whose bit is 0 in `c` holds the key of
/// `c`'s bits above `j` with bit `j` set; the others are empty (zero).
/// Using a key derives the registers below it (when `c` has fewer than ten
/// one-bits) and wipes it: the terminal keeps no key it has used, nor the
/// IPEK.
///
/// Save the state after every transaction: [`TdesTerminal::to_bytes`] (or
/// [`TdesTerminal::save_into`], straight into the caller's buffer), and
/// [`TdesTerminal::from_bytes`] to load it back, which refuses erased
/// storage and any corruption (see the saved state's format there). The
/// struct wipes its registers when dropped; it is 352 bytes, meant to be
/// kept in one place (every move leaves a copy of its keys behind).
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct TdesTerminal {
    /// The KSN register; its counter is the next transaction's (the last
    /// one used once exhausted).
    #[zeroize(skip)]
    ksn: TdesKsn,
    /// The future key registers, by counter bit.
    registers: [Halves; REGISTERS],
    /// Past the last usable counter.
    #[zeroize(skip)]
    exhausted: bool,
}

/// The first byte of a saved TDES terminal state: TDES, format 2 (format
/// 1, `D1`, had no check value and is refused).
const TDES_STATE_FORMAT: u8 = 0xD2;

/// The format byte, the flags byte and the KSN.
const HEADER_LEN: usize = 2 + TdesKsn::LEN;

/// The size of a saved state.
const TDES_STATE_LEN: usize = HEADER_LEN + REGISTERS * 16 + CHECK_LEN;

/// Whether future key register `j` holds a key when the next counter is
/// `counter` (non-zero).
fn register_in_use(counter: u64, j: usize) -> bool {
    let p = lowest_bit_index(counter);
    j == p || (j > p && counter & counter_bit(j) == 0)
}

impl TdesTerminal {
    /// The size of a saved state in bytes: 352 (a format byte, a flags
    /// byte, the KSN, the 21 registers and the check value).
    pub const STATE_LEN: usize = TDES_STATE_LEN;

    /// The largest saved state: [`TdesTerminal::STATE_LEN`], as every TDES
    /// state has the same size (the name AES terminals share).
    pub const MAX_STATE_LEN: usize = TDES_STATE_LEN;

    /// Loads an IPEK (X9.24-1:2009 A.2, "Load Initial Key") and fills the
    /// future key registers.
    ///
    /// `ksn` is the KSN register as loaded. Normally its counter is 0, and
    /// the first transaction uses counter 1. A non-zero counter starts the
    /// terminal part-way through its life, as one that has reached that
    /// counter: the first transaction uses the smallest counter at or above
    /// it that a terminal may use (never 0, at most ten one-bits). A KSN
    /// beyond the last usable counter loads an exhausted terminal.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
    ///
    /// // ANSI X9.24-1:2009 A.4: the IPEK, then the first transaction.
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let mut t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// let (ksn, key) = t.next_transaction(Variant::Base)?;
    /// assert_eq!(ksn.to_string(), "FFFF9876543210E00001");
    /// assert_eq!(hex::encode_upper(key.expose_secret()), "042666B49184CFA368DE9628D0397BC9");
    /// assert_eq!(t.remaining(), 1_048_574);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless `ipek` is a double-length key.
    // Inlined even at opt-level "z": the terminal is then built in the
    // caller's place, not in a frame of its own and copied out.
    #[inline(always)]
    pub fn load_initial_key(ipek: &TdesKey, ksn: &TdesKsn) -> Result<Self, Error> {
        let mut terminal = TdesTerminal::new();
        terminal.update_initial_key(ipek, ksn)?;
        Ok(terminal)
    }

    /// A terminal with no key: exhausted, every register empty, until
    /// [`TdesTerminal::update_initial_key`] or [`TdesTerminal::restore`]
    /// fills it in place. Firmware that keeps its terminal in one place (a
    /// `static`, a long-lived frame) starts here, so that no copy of the
    /// keys is ever made by a move.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
    ///
    /// let mut t = TdesTerminal::new();
    /// assert!(t.is_exhausted());
    /// // ANSI X9.24-1:2009 A.4, loaded in place: the first PIN key.
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// t.update_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// let (_, key) = t.next_transaction(Variant::Pin)?;
    /// assert_eq!(hex::encode_upper(key.expose_secret()), "042666B49184CF5C68DE9628D0397B36");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    #[inline(always)]
    pub const fn new() -> Self {
        TdesTerminal {
            ksn: TdesKsn::from_bytes([0; 10]),
            registers: [[0; 2]; REGISTERS],
            exhausted: true,
        }
    }

    /// Loads a new IPEK and KSN in place of the current ones (as
    /// [`TdesTerminal::load_initial_key`]): the old registers are wiped,
    /// and nothing is copied.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
    ///
    /// // ANSI X9.24-1:2009 A.4: the IPEK and the initial KSN.
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let mut t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// t.update_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210EFF800")?)?;
    /// // A.4.3: the terminal now starts at counter 0FF800.
    /// let (ksn, key) = t.next_transaction(Variant::Base)?;
    /// assert_eq!(ksn.counter(), 0x0F_F800);
    /// assert_eq!(hex::encode_upper(key.expose_secret()), "F9CDFEBF4F5B1D9EB3EC12454527E176");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless `ipek` is a double-length key; the
    /// terminal is then left unchanged.
    #[inline(never)]
    pub fn update_initial_key(&mut self, ipek: &TdesKey, ksn: &TdesKsn) -> Result<(), Error> {
        let ipek = Zeroizing::new(halves(ipek)?);
        self.registers.zeroize();
        self.ksn = *ksn;
        self.exhausted = false;
        self.load(&ipek);
        Ok(())
    }

    /// Fills the registers from the IPEK for the KSN register's counter,
    /// or marks the terminal exhausted past the last usable one.
    fn load(&mut self, ipek: &Halves) {
        match CounterRules::TDES
            .first_usable_from(u64::from(self.ksn.counter()))
            .and_then(|c| u32::try_from(c).ok())
            .and_then(|c| self.ksn.with_counter(c).ok())
        {
            None => self.exhausted = true,
            Some(ksn) => {
                self.ksn = ksn;
                self.fill_registers(ipek);
            }
        }
    }

    /// Fills every register in use from the IPEK for the KSN register's
    /// counter, walking its bits from the top.
    fn fill_registers(&mut self, ipek: &Halves) {
        let start = u64::from(self.ksn.counter());
        let base = self.ksn.right64() & !COUNTER_MASK;
        let p = lowest_bit_index(start);
        let mut running = Zeroizing::new(*ipek);
        let mut prefix = 0u64;
        let mask = key_mask();
        for (j, register) in self.registers.iter_mut().enumerate().skip(p).rev() {
            let m = counter_bit(j);
            if start & m == 0 || j == p {
                *register = *running;
                non_reversible_key_generation(register, base | prefix | m, Some(mask));
            } else {
                prefix |= m;
                non_reversible_key_generation(&mut running, base | prefix, Some(mask));
            }
        }
    }

    /// The KSN of the next transaction.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
    ///
    /// // ANSI X9.24-1:2009 A.4: the IPEK and the initial KSN.
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let mut t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// assert_eq!(t.current_ksn()?.to_string(), "FFFF9876543210E00001");
    /// t.advance()?;
    /// assert_eq!(t.current_ksn()?.counter(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::CounterExhausted`] once the last usable counter is used.
    pub fn current_ksn(&self) -> Result<TdesKsn, Error> {
        if self.exhausted {
            return Err(Error::CounterExhausted);
        }
        Ok(self.ksn)
    }

    /// Whether the terminal has used its last counter.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
    ///
    /// // ANSI X9.24-1:2009 A.4: the IPEK and the initial KSN.
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let mut t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// assert!(!t.is_exhausted());
    /// // Loaded past the last usable counter (1FF800): nothing left.
    /// t.update_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210FFFC00")?)?;
    /// assert!(t.is_exhausted());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_exhausted(&self) -> bool {
        self.exhausted
    }

    /// How many transactions the terminal can still make.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
    ///
    /// // ANSI X9.24-1:2009 A.4: the IPEK and the initial KSN.
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let mut t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// // The counters of 21 bits with one to ten one-bits: 2^20 - 1.
    /// assert_eq!(t.remaining(), 1_048_575);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn remaining(&self) -> u64 {
        if self.exhausted {
            0
        } else {
            self.ksn.remaining()
        }
    }

    /// The next transaction's working key for `variant` (its PIN, MAC or
    /// data key). A transaction may derive several; the transaction key
    /// stays in the terminal until [`TdesTerminal::advance`].
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
    ///
    /// // ANSI X9.24-1:2009 A.4: the IPEK and the initial KSN.
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let mut t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// // A.4.2: the first transaction's PIN key, then its data key (the public
    /// // suite x9.24-1-variants.json).
    /// let pin = t.derive_working_key(Variant::Pin)?;
    /// let data = t.derive_working_key(Variant::DataRequest)?;
    /// assert_eq!(hex::encode_upper(pin.expose_secret()), "042666B49184CF5C68DE9628D0397B36");
    /// assert_eq!(hex::encode_upper(data.expose_secret()), "448D3F076D8304036A55A3D7E0055A78");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::CounterExhausted`] once the last usable counter is used.
    pub fn derive_working_key(&self, variant: Variant) -> Result<TdesKey, Error> {
        let c = u64::from(self.current_ksn()?.counter());
        let mut k = Zeroizing::new(
            *self
                .registers
                .get(lowest_bit_index(c))
                .ok_or(Error::CounterExhausted)?,
        );
        variant.apply_halves(&mut k);
        Ok(key_from_halves(&k))
    }

    /// Renamed [`TdesTerminal::derive_working_key`] (the same name as the
    /// AES terminal's).
    ///
    /// # Errors
    /// As [`TdesTerminal::derive_working_key`].
    #[deprecated(
        since = "0.1.0",
        note = "renamed `derive_working_key`, as on the AES terminal"
    )]
    pub fn key(&self, variant: Variant) -> Result<TdesKey, Error> {
        self.derive_working_key(variant)
    }

    /// Ends the current transaction (X9.24-1:2009 A.2, "New Key"): derives
    /// the future keys below the current one if its counter has fewer than
    /// ten one-bits, wipes the current key, and moves to the next usable
    /// counter. Past the last one, the terminal is exhausted and every
    /// register is wiped.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
    ///
    /// // ANSI X9.24-1:2009 A.4: the IPEK and the initial KSN.
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let mut t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// t.advance()?;
    /// // A.4.2: the key of counter 2.
    /// let key = t.derive_working_key(Variant::Base)?;
    /// assert_eq!(hex::encode_upper(key.expose_secret()), "C46551CEF9FD24B0AA9AD834130D3BC7");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::CounterExhausted`] if the terminal was already exhausted.
    pub fn advance(&mut self) -> Result<(), Error> {
        let c = u64::from(self.current_ksn()?.counter());
        let p = lowest_bit_index(c);
        let base = self.ksn.right64() & !COUNTER_MASK;
        let (below, from_p) = self.registers.split_at_mut(p);
        let current = from_p.first_mut().ok_or(Error::CounterExhausted)?;
        if c.count_ones() < CounterRules::TDES.max_ones {
            // The mask's schedule is made at compile time: every step is
            // one key schedule and its two DES side by side.
            let mask = key_mask();
            for (j, register) in below.iter_mut().enumerate() {
                *register = *current;
                non_reversible_key_generation(register, base | c | counter_bit(j), Some(mask));
            }
        }
        current.zeroize();
        match CounterRules::TDES
            .next_after(c)
            .and_then(|n| u32::try_from(n).ok())
            .and_then(|n| self.ksn.with_counter(n).ok())
        {
            Some(next) => self.ksn = next,
            None => {
                self.exhausted = true;
                self.registers.zeroize();
            }
        }
        Ok(())
    }

    /// One transaction: its KSN and working key for `variant`, then
    /// [`TdesTerminal::advance`].
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
    ///
    /// // ANSI X9.24-1:2009 A.4: the IPEK and the initial KSN.
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let mut t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// let (ksn, pin_key) = t.next_transaction(Variant::Pin)?;
    /// assert_eq!(ksn.to_string(), "FFFF9876543210E00001");
    /// assert_eq!(hex::encode_upper(pin_key.expose_secret()), "042666B49184CF5C68DE9628D0397B36");
    /// assert_eq!(t.current_ksn()?.counter(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::CounterExhausted`] once the last usable counter is used.
    pub fn next_transaction(&mut self, variant: Variant) -> Result<(TdesKsn, TdesKey), Error> {
        let ksn = self.current_ksn()?;
        let key = self.derive_working_key(variant)?;
        self.advance()?;
        Ok((ksn, key))
    }

    /// The size of this terminal's saved state:
    /// [`TdesTerminal::STATE_LEN`] (the method AES terminals share).
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
    ///
    /// // ANSI X9.24-1:2009 A.4: the IPEK and the initial KSN.
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let mut t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// assert_eq!(t.state_len(), 352);
    /// assert_eq!(t.to_bytes().len(), t.state_len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn state_len(&self) -> usize {
        Self::STATE_LEN
    }

    /// The whole state, to keep in flash ([`TdesTerminal::STATE_LEN`]
    /// bytes). It holds keys: it is wiped when dropped.
    ///
    /// The format (version 2):
    ///
    /// | bytes | content |
    /// |---|---|
    /// | 0 | `D2`: a TDES terminal state, format 2 |
    /// | 1 | flags: bit 0 set once exhausted, the others zero |
    /// | 2–11 | the KSN register |
    /// | 12–347 | the 21 future key registers, 16 bytes each, bit 0's first; empty ones zero |
    /// | 348–351 | CRC-32C of bytes 0–347, little-endian |
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::TdesTerminal;
    ///
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// let saved = t.to_bytes();
    /// assert_eq!(saved.len(), TdesTerminal::STATE_LEN);
    /// assert_eq!(hex::encode_upper(&saved[..12]), "D200FFFF9876543210E00001");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_bytes(&self) -> SavedState<TDES_STATE_LEN> {
        let mut out = SavedState::new();
        self.write_state(out.room());
        out.set_len(TDES_STATE_LEN);
        out
    }

    /// Writes the state ([`TdesTerminal::to_bytes`]) into the first
    /// [`TdesTerminal::STATE_LEN`] bytes of `out` (a flash page buffer,
    /// say) without a copy of it anywhere else, and returns its length.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
    ///
    /// // ANSI X9.24-1:2009 A.4: the IPEK and the initial KSN.
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let mut t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// let mut flash = [0xFF; 512];
    /// let n = t.save_into(&mut flash)?;
    /// assert_eq!(n, TdesTerminal::STATE_LEN);
    /// assert_eq!(&flash[..n], &t.to_bytes()[..]);
    /// assert!(t.save_into(&mut flash[..100]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] if `out` is shorter than a state.
    pub fn save_into(&self, out: &mut [u8]) -> Result<usize, Error> {
        let out = out
            .get_mut(..TDES_STATE_LEN)
            .and_then(|o| <&mut [u8; TDES_STATE_LEN]>::try_from(o).ok())
            .ok_or(Error::InvalidLength)?;
        self.write_state(out);
        Ok(TDES_STATE_LEN)
    }

    fn write_state(&self, out: &mut [u8; TDES_STATE_LEN]) {
        let (head, rest) = out.split_at_mut(HEADER_LEN);
        if let Some((format_flags, ksn)) = head.split_first_chunk_mut::<2>() {
            *format_flags = [
                TDES_STATE_FORMAT,
                if self.exhausted { FLAG_EXHAUSTED } else { 0 },
            ];
            ksn.copy_from_slice(self.ksn.as_bytes());
        }
        for (dst, k) in rest.chunks_exact_mut(16).zip(self.registers.iter()) {
            let (l, r) = dst.split_at_mut(8);
            l.copy_from_slice(&k[0].to_be_bytes());
            r.copy_from_slice(&k[1].to_be_bytes());
        }
        state::seal(out);
    }

    /// A terminal from a state saved by [`TdesTerminal::to_bytes`].
    ///
    /// The checks, in order: erased storage, the format byte, the length,
    /// the check value (which any corruption fails: every error of one or
    /// two bits and every burst of up to 32 is certain to), then what a good
    /// check value cannot rule out — a state no terminal can be in.
    ///
    /// ```
    /// use paykernel::{Error, TdesKey};
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::TdesTerminal;
    ///
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let t = TdesTerminal::load_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// let mut saved = t.to_bytes().to_vec();
    /// assert!(TdesTerminal::from_bytes(&saved).is_ok());
    /// saved[100] ^= 0x04; // one bit gone wrong in flash
    /// assert_eq!(TdesTerminal::from_bytes(&saved).err(), Some(Error::BadMac));
    /// assert_eq!(TdesTerminal::from_bytes(&[0xFF; 352]).err(), Some(Error::NoState));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NoState`] for erased storage (every byte `00`, or every
    /// byte `FF`, or none); [`Error::Unsupported`] unless the first byte is
    /// `D2` (an older or newer format, or not a TDES state);
    /// [`Error::InvalidLength`] unless `state` is
    /// [`TdesTerminal::STATE_LEN`] bytes; [`Error::BadMac`] if the check
    /// value does not match (a corrupt state); [`Error::Unsupported`] for
    /// unknown flags; [`Error::InvalidKsn`] for a counter the terminal
    /// cannot be at (zero, or more than ten one-bits) when not exhausted;
    /// [`Error::InvalidKey`] if a register that should be empty is not.
    #[inline(always)]
    pub fn from_bytes(state: &[u8]) -> Result<Self, Error> {
        let mut terminal = TdesTerminal::new();
        terminal.restore(state)?;
        Ok(terminal)
    }

    /// [`TdesTerminal::from_bytes`] in place: this terminal becomes the
    /// one saved in `state`, with no copy of its keys made by a move
    /// (firmware keeping its terminal in one place, see
    /// [`TdesTerminal::new`]). Every check is made before anything is
    /// written: a refused state leaves the terminal as it was.
    ///
    /// ```
    /// use paykernel::{Error, TdesKey};
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
    ///
    /// let ipek = TdesKey::from_slice(&hex::decode("6AC292FAA1315B4D858AB3A3D7D5933A")?)?;
    /// let mut t = TdesTerminal::new();
    /// t.update_initial_key(&ipek, &TdesKsn::from_hex("FFFF9876543210E00000")?)?;
    /// t.advance()?;
    /// let mut flash = [0xFF; TdesTerminal::STATE_LEN];
    /// t.save_into(&mut flash)?;
    ///
    /// // After a restart:
    /// let mut t = TdesTerminal::new();
    /// t.restore(&flash)?;
    /// // X9.24-1:2009 A.4.2: the key of counter 2.
    /// let k = t.derive_working_key(Variant::Base)?;
    /// assert_eq!(hex::encode_upper(k.expose_secret()), "C46551CEF9FD24B0AA9AD834130D3BC7");
    /// assert_eq!(t.restore(&[0x00; 352]).err(), Some(Error::NoState));
    /// assert_eq!(t.current_ksn()?.counter(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`TdesTerminal::from_bytes`].
    #[inline(never)]
    pub fn restore(&mut self, state: &[u8]) -> Result<(), Error> {
        state::refuse_erased(state)?;
        if state.first() != Some(&TDES_STATE_FORMAT) {
            return Err(Error::Unsupported);
        }
        if state.len() != TDES_STATE_LEN {
            return Err(Error::InvalidLength);
        }
        let body = state::check_value(state)?;
        let (head, regs) = body.split_at(HEADER_LEN);
        let Some(([_, flags], ksn)) = head.split_first_chunk::<2>() else {
            return Err(Error::InvalidLength);
        };
        if flags & !FLAG_EXHAUSTED != 0 {
            return Err(Error::Unsupported);
        }
        let exhausted = flags & FLAG_EXHAUSTED != 0;
        let ksn = TdesKsn::from_slice(ksn)?;
        let counter = u64::from(ksn.counter());
        if !exhausted && !CounterRules::TDES.is_usable(counter) {
            return Err(Error::InvalidKsn);
        }
        let in_use = |j: usize| !exhausted && register_in_use(counter, j);
        // An empty register is zero in a good state. Reading them all (no
        // early exit) reveals nothing about the keys in use; whether they
        // are clear is the kernel's one verdict (the registers are secret).
        let stray = regs
            .chunks_exact(16)
            .enumerate()
            .filter(|(j, _)| !in_use(*j))
            .flat_map(|(_, r)| r.iter())
            .fold(0u8, |acc, b| acc | b);
        verdict((), stray.ct_eq(&0), Error::InvalidKey)?;
        self.registers.zeroize();
        self.ksn = ksn;
        self.exhausted = exhausted;
        for (j, (k, src)) in self
            .registers
            .iter_mut()
            .zip(regs.chunks_exact(16))
            .enumerate()
        {
            if in_use(j) {
                let (l, r) = src.split_at(8);
                *k = [be_word(l), be_word(r)];
            }
        }
        Ok(())
    }
}

/// The big-endian word of (up to) eight bytes, built in a register: no
/// copy of the secret bytes is left in memory.
fn be_word(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
}

impl Default for TdesTerminal {
    /// [`TdesTerminal::new`]: no key, exhausted.
    fn default() -> Self {
        TdesTerminal::new()
    }
}

impl fmt::Debug for TdesTerminal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TdesTerminal")
            .field("ksn", &self.ksn)
            .field("exhausted", &self.exhausted)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::integer_division_remainder_used,
    reason = "test arithmetic on small public values"
)]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::*;
    use crate::test_util::h;

    // ANSI X9.24-1:2009 A.4 (as transcribed in openemv/dukpt
    // test/dukpt_tdes_test.c): BDK, initial KSN and IPEK.
    const BDK: &str = "0123456789ABCDEFFEDCBA9876543210";
    const KSN0: &str = "FFFF9876543210E00000";
    const IPEK: &str = "6AC292FAA1315B4D858AB3A3D7D5933A";

    /// A.4.2: the keys of counters 1 to 21.
    const INITIAL_SEQUENCE: [&str; 21] = [
        "042666B49184CFA368DE9628D0397BC9",
        "C46551CEF9FD24B0AA9AD834130D3BC7",
        "0DF3D9422ACA56E547676D07AD6BADFA",
        "279C0F6AEED0BE652B2C733E1383AE91",
        "5F8DC6D2C845C125508DDC048093B83F",
        "5E415CB0BAF9F03CD0C14B63FB62FF43",
        "0C8F780B7C8B49D0AE84A9EB2A6CE660",
        "27F66D5244FF62E1AA6F6120EDEB4280",
        "27E31064FDC565698900E2057F658E7E",
        "6CF2500A22507C7CC776CEADC1E33014",
        "3E8260BA04B2D620C01482B3819A18B7",
        "B716E1E11CF53D80726CAEE75C3A624F",
        "E072EDF95340535FB6C581C58FBF2533",
        "A80046087F5B8F245AAD95E18429084F",
        "93DD5B956C4878472E453AAEFD32A5AA",
        "59598DCBD9BD94C094165CE453585F57",
        "2B5F01F4F0CC05EA639D523231BF1BA2",
        "9CF640F279C2AEE615F725EEEAC2CBAF",
        "C3DF489FDF1153B4F03DE97C27DC4C2F",
        "658488507721B3F14737FA93F923CBD2",
        "E161D1956A61F6D2F37AFD7F9CC3699A",
    ];

    /// A.4.3: the rollover sequence, as a terminal uses it.
    const ROLLOVER: [(u32, &str); 13] = [
        (0x0F_F800, "F9CDFEBF4F5B1D9EB3EC12454527E176"),
        (0x0F_F801, "5BEE92627E97825C911BF619DF72CA3B"),
        (0x0F_F802, "64CA2F8AB93F61B01620B00BF77C7301"),
        (0x0F_F804, "35A168695B3BA83307E871C42021DD37"),
        (0x0F_F808, "12C380FCB72ED3C26FC6079AF63F4787"),
        (0x0F_F810, "D8007C833A1E3C49C6889B97A68C54FF"),
        (0x0F_F820, "A9C9FF9B735FDD49591F296B0BF0FD70"),
        (0x0F_F840, "0E3E221062CB5E03A384602783A004FA"),
        (0x0F_F880, "CA8225C587124DFBB87F279C0BE29727"),
        (0x0F_F900, "906AAC1751D4971A144D52C76C6E1F97"),
        (0x0F_FA00, "2B9E2CE7C2750337E10B54D2989EA6AF"),
        (0x0F_FC00, "F9430DF975082491C77BE4EF4FDB91EE"),
        (0x10_0000, "AA4D58DB653EC74A48C75F2F047DD2B5"),
    ];

    fn key(s: &str) -> TdesKey {
        TdesKey::from_slice(&h(s)).unwrap()
    }

    fn ksn(counter: u32) -> TdesKsn {
        TdesKsn::from_hex(KSN0)
            .unwrap()
            .with_counter(counter)
            .unwrap()
    }

    #[test]
    fn ipek_annex_a() {
        let ipek = derive_initial_key(&key(BDK), &ksn(0)).unwrap();
        assert_eq!(ipek.expose_secret(), &h(IPEK)[..]);
        // The counter bits of the KSN do not enter the IPEK.
        let ipek = derive_initial_key(&key(BDK), &ksn(0x1F_FFFF)).unwrap();
        assert_eq!(ipek.expose_secret(), &h(IPEK)[..]);
    }

    #[test]
    fn transaction_keys_annex_a() {
        let ipek = key(IPEK);
        for (i, want) in INITIAL_SEQUENCE.iter().enumerate() {
            let k = derive_transaction_key(&ipek, &ksn(u32::try_from(i + 1).unwrap())).unwrap();
            assert_eq!(k.expose_secret(), &h(want)[..], "counter {}", i + 1);
        }
        for (c, want) in ROLLOVER {
            let k = derive_working_key_from_bdk(&key(BDK), &ksn(c), Variant::Base).unwrap();
            assert_eq!(k.expose_secret(), &h(want)[..], "counter {c:x}");
        }
        // Counter 0 is the IPEK itself.
        let k = derive_transaction_key(&ipek, &ksn(0)).unwrap();
        assert_eq!(k.expose_secret(), &h(IPEK)[..]);
    }

    #[test]
    fn non_reversible_key_generation_with_and_without_the_mask_schedule() {
        // A.4.2: one step from the IPEK with the KSN register's rightmost
        // 64 bits at counter 1 gives the key of counter 1, the same with
        // the mask's key schedule made at compile time or without it.
        for mask in [None, Some(key_mask())] {
            let mut k = halves(&key(IPEK)).unwrap();
            non_reversible_key_generation(&mut k, ksn(1).right64(), mask);
            assert_eq!(
                key_from_halves(&k).expose_secret(),
                &h(INITIAL_SEQUENCE[0])[..]
            );
            // Counter 3 from counter 2's key (A.3: bit 0 after bit 1).
            let mut k = halves(&key(INITIAL_SEQUENCE[1])).unwrap();
            non_reversible_key_generation(&mut k, ksn(3).right64(), mask);
            assert_eq!(
                key_from_halves(&k).expose_secret(),
                &h(INITIAL_SEQUENCE[2])[..]
            );
        }
    }

    #[test]
    fn host_derives_counters_a_terminal_skips() {
        // pydukpt 0.1.0 (PyPI), derive_key, for counters with 21, 10 and
        // 11 one-bits.
        let ipek = key(IPEK);
        for (c, want) in [
            (0x1F_FFFF, "9D3A9BED76215A4F2137EA76BC0D6176"),
            (0x1F_F800, "4124BC9650E70B10DED3378C9F4E2E42"),
            (0x15_5555, "728A8BAAFBDBB27DC1E0884BFFA7A9F0"),
        ] {
            let k = derive_transaction_key(&ipek, &ksn(c)).unwrap();
            assert_eq!(k.expose_secret(), &h(want)[..], "{c:x}");
        }
    }

    #[test]
    fn variants() {
        // pydukpt 0.1.0: pin_key, mac_request_key, mac_response_key,
        // data_request_key, data_response_key of the keys of counters 1, 2
        // and 5. (The PIN keys are those of X9.24-1:2009 A.4.2's PIN
        // blocks; the data-request keys those of the public suite
        // x9.24-1-variants.json.)
        let table = [
            (
                1,
                [
                    "042666B49184CFA368DE9628D0397BC9",
                    "042666B49184CF5C68DE9628D0397B36",
                    "042666B4918430A368DE9628D03984C9",
                    "042666B46E84CFA368DE96282F397BC9",
                    "448D3F076D8304036A55A3D7E0055A78",
                    "AD7BFC8B06AD3A08A560B4105CF8D9E5",
                ],
            ),
            (
                2,
                [
                    "C46551CEF9FD24B0AA9AD834130D3BC7",
                    "C46551CEF9FD244FAA9AD834130D3B38",
                    "C46551CEF9FDDBB0AA9AD834130DC4C7",
                    "C46551CE06FD24B0AA9AD834EC0D3BC7",
                    "F1BE73B36135C5C26CF937D50ABBE5AF",
                    "C1C0E2D663C50EE9C001E56D3793A479",
                ],
            ),
            (
                5,
                [
                    "5F8DC6D2C845C125508DDC048093B83F",
                    "5F8DC6D2C845C1DA508DDC048093B8C0",
                    "5F8DC6D2C8453E25508DDC048093473F",
                    "5F8DC6D23745C125508DDC047F93B83F",
                    "F3054D8B7471284BDB4EE18AFC3B091B",
                    "4A7F338B00982E60E5569FD4774B3ED7",
                ],
            ),
        ];
        for (c, wants) in table {
            for (v, want) in Variant::ALL.into_iter().zip(wants) {
                let k = derive_working_key(&key(IPEK), &ksn(c), v).unwrap();
                assert_eq!(k.expose_secret(), &h(want)[..], "{c} {v:?}");
            }
        }
    }

    #[test]
    fn variant_names() {
        for v in Variant::ALL {
            assert_eq!(Variant::from_name(v.name()), Some(v));
        }
        assert_eq!(Variant::from_name("PIN"), Some(Variant::Pin));
        assert_eq!(Variant::from_name("data"), None);
    }

    #[test]
    fn refusals() {
        for n in [8usize, 24] {
            let k = TdesKey::from_slice(&[0x11; 24][..n]).unwrap();
            assert_eq!(
                derive_initial_key(&k, &ksn(0)).err(),
                Some(Error::InvalidKey)
            );
            assert_eq!(
                derive_transaction_key(&k, &ksn(1)).err(),
                Some(Error::InvalidKey)
            );
            assert_eq!(Variant::Pin.apply(&k).err(), Some(Error::InvalidKey));
            assert_eq!(
                TdesTerminal::load_initial_key(&k, &ksn(0)).err(),
                Some(Error::InvalidKey)
            );
            let mut out: Vec<TdesKey> = (0..1).map(|_| key(IPEK)).collect();
            assert_eq!(
                derive_working_keys_many(&k, &[ksn(1)], Variant::Pin, &mut out).err(),
                Some(Error::InvalidKey)
            );
        }
        let mut out: Vec<TdesKey> = (0..2).map(|_| key(IPEK)).collect();
        assert_eq!(
            derive_working_keys_many(&key(BDK), &[ksn(1)], Variant::Pin, &mut out).err(),
            Some(Error::InvalidLength)
        );
    }

    #[test]
    fn batch_matches_single() {
        // 70 KSNs (three chunks), two devices, counters of every shape.
        let other = TdesKsn::from_hex("FFFF0123456789A00000").unwrap();
        let mut ksns = Vec::new();
        for i in 0..70u32 {
            let base = if i % 2 == 0 { ksn(0) } else { other };
            let c = match i % 5 {
                0 => i + 1,
                1 => 0x1F_F800 >> (i % 11),
                2 => 0x1F_FFFF ^ (1 << (i % 21)),
                3 => 0,
                _ => 0x0F_F800 + i,
            };
            ksns.push(base.with_counter(c & 0x1F_FFFF).unwrap());
        }
        for v in Variant::ALL {
            let mut out: Vec<TdesKey> = ksns.iter().map(|_| key(IPEK)).collect();
            derive_working_keys_many(&key(BDK), &ksns, v, &mut out).unwrap();
            for (k, o) in ksns.iter().zip(&out) {
                let want = derive_working_key_from_bdk(&key(BDK), k, v).unwrap();
                assert_eq!(o.expose_secret(), want.expose_secret(), "{k} {v:?}");
            }
        }
        // Against published values directly.
        let ks: Vec<TdesKsn> = ROLLOVER.iter().map(|(c, _)| ksn(*c)).collect();
        let mut out: Vec<TdesKey> = ks.iter().map(|_| key(IPEK)).collect();
        derive_working_keys_many(&key(BDK), &ks, Variant::Base, &mut out).unwrap();
        for (o, (_, want)) in out.iter().zip(ROLLOVER) {
            assert_eq!(o.expose_secret(), &h(want)[..]);
        }
        derive_working_keys_many(&key(BDK), &[], Variant::Base, &mut []).unwrap();
    }

    #[test]
    fn terminal_initial_sequence() {
        let mut t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0)).unwrap();
        for (i, want) in INITIAL_SEQUENCE.iter().enumerate() {
            let (k_ksn, k) = t.next_transaction(Variant::Base).unwrap();
            assert_eq!(k_ksn, ksn(u32::try_from(i + 1).unwrap()));
            assert_eq!(k.expose_secret(), &h(want)[..], "transaction {}", i + 1);
        }
        // The next transaction uses counter 22.
        assert_eq!(t.current_ksn().unwrap(), ksn(22));
    }

    #[test]
    fn terminal_rollover_sequence() {
        // Started at 0FF800 (A.4.3), the terminal skips the counters with
        // more than ten one-bits exactly as the standard lists them.
        let mut t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0x0F_F800)).unwrap();
        for (c, want) in ROLLOVER {
            let (k_ksn, k) = t.next_transaction(Variant::Base).unwrap();
            assert_eq!(k_ksn.counter(), c);
            assert_eq!(k.expose_secret(), &h(want)[..], "counter {c:x}");
        }
        // A counter with too many one-bits starts at the next usable one.
        let mut t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0x0F_F7FF)).unwrap();
        let (k_ksn, k) = t.next_transaction(Variant::Base).unwrap();
        assert_eq!(k_ksn.counter(), 0x0F_F800);
        assert_eq!(k.expose_secret(), &h(ROLLOVER[0].1)[..]);
    }

    #[test]
    fn terminal_exhaustion() {
        let mut t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0x1F_F000)).unwrap();
        assert!(!t.is_exhausted());
        let mut last = 0;
        let mut n = 0;
        while let Ok((k_ksn, k)) = t.next_transaction(Variant::Pin) {
            let want = derive_working_key(&key(IPEK), &k_ksn, Variant::Pin).unwrap();
            assert_eq!(k.expose_secret(), want.expose_secret());
            assert!(k_ksn.counter() > last && k_ksn.is_usable());
            last = k_ksn.counter();
            n += 1;
        }
        assert_eq!(last, TdesKsn::MAX_COUNTER);
        assert_eq!(u64::try_from(n).unwrap(), ksn(0x1F_F000).remaining());
        assert!(t.is_exhausted());
        assert_eq!(t.remaining(), 0);
        assert_eq!(t.current_ksn().err(), Some(Error::CounterExhausted));
        assert_eq!(
            t.derive_working_key(Variant::Base).err(),
            Some(Error::CounterExhausted)
        );
        assert_eq!(t.advance().err(), Some(Error::CounterExhausted));
        assert!(t.registers.iter().all(|r| *r == [0, 0]));
        // Loaded at the last usable counter (1FF800, ten one-bits): one
        // transaction left, then exhausted.
        let mut t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0x1F_F800)).unwrap();
        assert!(!t.is_exhausted());
        assert_eq!(t.remaining(), 1);
        t.advance().unwrap();
        assert!(t.is_exhausted());
        // Loaded past the end: exhausted at once.
        let t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0x1F_FC00)).unwrap();
        assert!(t.is_exhausted());
    }

    #[test]
    fn terminal_keeps_no_used_key() {
        let mut t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0)).unwrap();
        for _ in 0..300 {
            let c = u64::from(t.current_ksn().unwrap().counter());
            for (j, r) in t.registers.iter().enumerate() {
                assert_eq!(
                    *r != [0, 0],
                    register_in_use(c, j),
                    "counter {c:x} register {j}"
                );
            }
            t.advance().unwrap();
        }
    }

    /// Re-seals a state edited by a test, so that the check value lets
    /// the edit through to the checks behind it.
    fn resealed(mut state: Vec<u8>) -> Vec<u8> {
        let n = state.len();
        let crc = super::super::state::crc32c(&state[..n - 4]);
        state[n - 4..].copy_from_slice(&crc.to_le_bytes());
        state
    }

    #[test]
    fn state_round_trip() {
        let mut t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0)).unwrap();
        for _ in 0..7 {
            t.advance().unwrap();
        }
        let saved = t.to_bytes();
        assert_eq!(saved.len(), 352);
        // 2 + 10 + 21 * 16 + 4 bytes, for every terminal.
        assert_eq!(t.state_len(), 352);
        assert_eq!(TdesTerminal::new().state_len(), TdesTerminal::STATE_LEN);
        assert_eq!(saved[0], 0xD2);
        assert_eq!(&saved[2..12], &h("FFFF9876543210E00008")[..]);
        // Register 3 holds the key of counter 8 (A.4.2: the eighth key).
        assert_eq!(
            &saved[12 + 3 * 16..12 + 4 * 16],
            &h(INITIAL_SEQUENCE[7])[..]
        );
        // The check value: CRC-32C of the rest (RFC 3720 parameters),
        // here checked against the bitwise definition.
        let mut c = !0u32;
        for b in &saved[..348] {
            c ^= u32::from(*b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    (c >> 1) ^ 0x82F6_3B78
                } else {
                    c >> 1
                };
            }
        }
        assert_eq!(&saved[348..], &(!c).to_le_bytes());
        let mut buf = [0u8; 400];
        assert_eq!(t.save_into(&mut buf), Ok(352));
        assert_eq!(&buf[..352], &saved[..]);
        assert_eq!(t.save_into(&mut buf[..351]), Err(Error::InvalidLength));
        drop(t);
        let mut t = TdesTerminal::from_bytes(&saved).unwrap();
        for (i, want) in INITIAL_SEQUENCE.iter().enumerate().skip(7) {
            let (k_ksn, k) = t.next_transaction(Variant::Base).unwrap();
            assert_eq!(k_ksn.counter(), u32::try_from(i + 1).unwrap());
            assert_eq!(k.expose_secret(), &h(want)[..]);
        }
        // An exhausted terminal saves and reloads as exhausted.
        let t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0x1F_FC00)).unwrap();
        let saved = t.to_bytes();
        assert_eq!(saved[1], FLAG_EXHAUSTED);
        let t = TdesTerminal::from_bytes(&saved).unwrap();
        assert!(t.is_exhausted());
    }

    #[test]
    fn state_with_any_bit_flipped_is_refused() {
        // One bit flipped in each byte, every bit of every byte, in a fresh
        // state, one part-way through its life and an exhausted one: every
        // one refused.
        let mut mid = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0x0F_F7F0)).unwrap();
        for _ in 0..9 {
            mid.advance().unwrap();
        }
        for t in [
            TdesTerminal::load_initial_key(&key(IPEK), &ksn(0)).unwrap(),
            mid,
            TdesTerminal::load_initial_key(&key(IPEK), &ksn(0x1F_FC00)).unwrap(),
        ] {
            let good = t.to_bytes().to_vec();
            assert!(TdesTerminal::from_bytes(&good).is_ok());
            for byte in 0..good.len() {
                for bit in 0..8 {
                    let mut bad = good.clone();
                    bad[byte] ^= 1 << bit;
                    let err = TdesTerminal::from_bytes(&bad).err();
                    let want = if byte == 0 {
                        Error::Unsupported
                    } else {
                        Error::BadMac
                    };
                    assert_eq!(err, Some(want), "byte {byte} bit {bit}");
                }
            }
        }
    }

    #[test]
    fn state_refusals() {
        let t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0)).unwrap();
        let good = t.to_bytes().to_vec();
        // Erased flash, of a state's length or any other.
        for fill in [0x00u8, 0xFF] {
            for n in [0usize, 1, 348, 352, 4096] {
                assert_eq!(
                    TdesTerminal::from_bytes(&std::vec![fill; n]).err(),
                    Some(Error::NoState),
                    "{fill:02X} x {n}"
                );
            }
        }
        assert_eq!(
            TdesTerminal::from_bytes(&good[..10]).err(),
            Some(Error::InvalidLength)
        );
        let mut long = good.clone();
        long.push(0);
        assert_eq!(
            TdesTerminal::from_bytes(&long).err(),
            Some(Error::InvalidLength)
        );
        // Format 1 (no check value) and foreign data: not this format.
        let mut v1 = good[..348].to_vec();
        v1[0] = 0xD1;
        assert_eq!(
            TdesTerminal::from_bytes(&v1).err(),
            Some(Error::Unsupported)
        );
        let mut bad = good.clone();
        bad[0] = 0xA2;
        assert_eq!(
            TdesTerminal::from_bytes(&resealed(bad)).err(),
            Some(Error::Unsupported)
        );
        // A torn write: the start saved, the rest still erased.
        let mut torn = good.clone();
        torn[200..].fill(0xFF);
        assert_eq!(TdesTerminal::from_bytes(&torn).err(), Some(Error::BadMac));
        // With a good check value, what no terminal's state can be: unknown
        // flags, counter 0, eleven one-bits, a key in an empty register,
        // exhausted with a key left.
        let mut bad = good.clone();
        bad[1] = 0x02;
        assert_eq!(
            TdesTerminal::from_bytes(&resealed(bad)).err(),
            Some(Error::Unsupported)
        );
        let mut bad = good.clone();
        bad[11] = 0;
        assert_eq!(
            TdesTerminal::from_bytes(&resealed(bad)).err(),
            Some(Error::InvalidKsn)
        );
        let mut bad = good.clone();
        bad[9..12].copy_from_slice(&[0x1F, 0xFC, 0x00]);
        assert_eq!(
            TdesTerminal::from_bytes(&resealed(bad)).err(),
            Some(Error::InvalidKsn)
        );
        // At counter 2, register 0 must be empty.
        let mut t2 = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0)).unwrap();
        t2.advance().unwrap();
        let mut bad = t2.to_bytes().to_vec();
        bad[12] = 1;
        assert_eq!(
            TdesTerminal::from_bytes(&resealed(bad)).err(),
            Some(Error::InvalidKey)
        );
        // Two equal stray bytes (their XOR is zero, their OR is not): still
        // a key in an empty register.
        let mut bad = t2.to_bytes().to_vec();
        bad[12] = 0x5A;
        bad[27] = 0x5A;
        assert_eq!(
            TdesTerminal::from_bytes(&resealed(bad)).err(),
            Some(Error::InvalidKey)
        );
        let mut bad = good.clone();
        bad[1] = FLAG_EXHAUSTED;
        assert_eq!(
            TdesTerminal::from_bytes(&resealed(bad)).err(),
            Some(Error::InvalidKey)
        );
    }

    #[test]
    fn update_initial_key_reloads_in_place() {
        let mut t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0x1F_FC00)).unwrap();
        assert!(t.is_exhausted());
        t.update_initial_key(&key(IPEK), &ksn(0)).unwrap();
        let (k_ksn, k) = t.next_transaction(Variant::Base).unwrap();
        assert_eq!(k_ksn, ksn(1));
        assert_eq!(k.expose_secret(), &h(INITIAL_SEQUENCE[0])[..]);
        let single = TdesKey::from_slice(&[1; 8]).unwrap();
        assert_eq!(
            t.update_initial_key(&single, &ksn(0)).err(),
            Some(Error::InvalidKey)
        );
        // Refused: left as it was, at counter 2.
        assert_eq!(t.current_ksn().unwrap(), ksn(2));
    }

    #[test]
    #[allow(deprecated, reason = "the old names must keep working")]
    fn deprecated_names_still_answer() {
        let k = derive_key(&key(IPEK), &ksn(1), Variant::Pin).unwrap();
        let k2 = derive_key_from_bdk(&key(BDK), &ksn(1), Variant::Pin).unwrap();
        assert_eq!(
            k.expose_secret(),
            &h("042666B49184CF5C68DE9628D0397B36")[..]
        );
        assert_eq!(k.expose_secret(), k2.expose_secret());
        let mut out = [key(IPEK)];
        derive_keys_many(&key(BDK), &[ksn(1)], Variant::Pin, &mut out).unwrap();
        assert_eq!(out[0].expose_secret(), k.expose_secret());
        let t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0)).unwrap();
        assert_eq!(
            t.key(Variant::Pin).unwrap().expose_secret(),
            k.expose_secret()
        );
    }

    #[test]
    fn debug_is_redacted() {
        let t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0)).unwrap();
        let s = std::format!("{t:?}");
        assert_eq!(
            s,
            "TdesTerminal { ksn: TdesKsn(FFFF9876543210E00001), exhausted: false, .. }"
        );
    }
}
