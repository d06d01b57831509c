//! TDES DUKPT (ANSI X9.24-1:2009, Annex A): host side and terminal side.
//!
//! - Host side: [`derive_initial_key`] (the IPEK, from the BDK),
//!   [`derive_transaction_key`] (the current transaction key of any KSN,
//!   from the IPEK), [`Variant`] (the PIN, MAC and data keys of a
//!   transaction key), and the batch [`derive_keys_many`].
//! - Terminal side: [`TdesTerminal`], the 21 future key registers and the
//!   counter of X9.24-1 A.2, with its state as a fixed-size byte array.
//!
//! Keys are double-length TDES keys (16 bytes); the BDK must be one too.
//! No parity is adjusted anywhere: the standard's keys keep the bits the
//! derivation gives them.

use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::{CounterRules, TdesKsn, lowest_bit_index};
use crate::cipher::{TdesCipher, des_encrypt_many, tdes_encrypt_many};
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
/// both sides): the key becomes
/// `E(K'l, D ^ K'r) ^ K'r || E(Kl, D ^ Kr) ^ Kr` with `K' = K ^ C0C0C0C0..`
/// and `D` the rightmost 64 bits of the KSN register. The two single-DES
/// encryptions run together.
fn non_reversible_key_generation(key: &mut Halves, data: u64) -> Result<(), Error> {
    let [mut l, mut r] = *key;
    let mut des_keys = [l.to_be_bytes(), (l ^ KEY_MASK).to_be_bytes()];
    let mut blocks = [
        (data ^ r).to_be_bytes(),
        (data ^ r ^ KEY_MASK).to_be_bytes(),
    ];
    let result = des_encrypt_many(&des_keys, &mut blocks);
    let [b_right, b_left] = blocks;
    *key = [
        u64::from_be_bytes(b_left) ^ r ^ KEY_MASK,
        u64::from_be_bytes(b_right) ^ r,
    ];
    des_keys.zeroize();
    blocks.zeroize();
    l.zeroize();
    r.zeroize();
    result
}

/// The IPEK of X9.24-1:2009 A.6 ("initial PIN encryption key", the
/// terminal's initial key) of the device whose KSN is `ksn`, from the BDK.
/// Host side (and the key-injection facility).
///
/// The counter bits of `ksn` do not matter: the IPEK is
/// `TDES(BDK, L) || TDES(BDK ^ C0C0C0C000000000C0C0C0C000000000, L)`, `L`
/// the leftmost 64 bits of the KSN with its counter cleared.
///
/// # Errors
/// [`Error::InvalidKey`] unless `bdk` is a double-length (16-byte) key.
pub fn derive_initial_key(bdk: &TdesKey, ksn: &TdesKsn) -> Result<TdesKey, Error> {
    let mut k = halves(bdk)?;
    let data = ksn.initial_key_id().left64().to_be_bytes();
    let mut left = data;
    TdesCipher::new(bdk).encrypt_block(&mut left);
    k.iter_mut().for_each(|h| *h ^= KEY_MASK);
    let masked = key_from_halves(&k);
    let mut right = data;
    TdesCipher::new(&masked).encrypt_block(&mut right);
    let ipek = TdesKey::from_halves(&left, &right);
    k.zeroize();
    left.zeroize();
    right.zeroize();
    Ok(ipek)
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
/// # Errors
/// [`Error::InvalidKey`] unless `ipek` is a double-length key.
pub fn derive_transaction_key(ipek: &TdesKey, ksn: &TdesKsn) -> Result<TdesKey, Error> {
    let mut key = halves(ipek)?;
    let counter = u64::from(ksn.counter());
    let base = ksn.right64() & !COUNTER_MASK;
    for bit in (0..REGISTERS).rev() {
        if counter & counter_bit(bit) != 0 {
            non_reversible_key_generation(&mut key, base | (counter & bits_from(bit)))?;
        }
    }
    let out = key_from_halves(&key);
    key.zeroize();
    Ok(out)
}

/// The variant of `ksn`'s transaction key for `variant`, from the IPEK.
/// Host side.
///
/// # Errors
/// [`Error::InvalidKey`] unless `ipek` is a double-length key.
pub fn derive_key(ipek: &TdesKey, ksn: &TdesKsn, variant: Variant) -> Result<TdesKey, Error> {
    let key = derive_transaction_key(ipek, ksn)?;
    variant.apply(&key)
}

/// The variant of `ksn`'s transaction key for `variant`, from the BDK:
/// [`derive_initial_key`] then [`derive_key`]. Host side.
///
/// # Errors
/// [`Error::InvalidKey`] unless `bdk` is a double-length key.
pub fn derive_key_from_bdk(
    bdk: &TdesKey,
    ksn: &TdesKsn,
    variant: Variant,
) -> Result<TdesKey, Error> {
    let ipek = derive_initial_key(bdk, ksn)?;
    derive_key(&ipek, ksn, variant)
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

    /// Its name in `VECTORS.md`: `base`, `pin`, `mac-request`,
    /// `mac-response`, `data-request`, `data-response`.
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

    /// This variant of a transaction key. Either side.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless `key` is a double-length key.
    pub fn apply(self, key: &TdesKey) -> Result<TdesKey, Error> {
        let mut k = halves(key)?;
        k.iter_mut().for_each(|h| *h ^= self.mask());
        let masked = key_from_halves(&k);
        k.zeroize();
        if !self.one_way() {
            return Ok(masked);
        }
        let cipher = TdesCipher::new(&masked);
        let (l, r) = masked.expose_secret().split_at(8);
        let mut left = [0u8; 8];
        let mut right = [0u8; 8];
        left.copy_from_slice(l);
        right.copy_from_slice(r);
        cipher.encrypt_block(&mut left);
        cipher.encrypt_block(&mut right);
        let out = TdesKey::from_halves(&left, &right);
        left.zeroize();
        right.zeroize();
        Ok(out)
    }
}

/// Derives `variant` of the transaction key of every KSN in `ksns` under
/// one BDK, into `out` (`out[i]` for `ksns[i]`). Host side: a switch
/// deriving the keys of many messages at once.
///
/// The work goes in chunks of 32 KSNs and each derivation step runs for the
/// whole chunk at once: the IPEKs under one BDK key schedule, then, for
/// each counter bit from the top, one batch of single-DES encryptions for
/// every KSN with that bit set, then (data variants) one batch of TDES
/// encryptions. The BDK schedule is made once. `out` holds keys of any
/// value on entry (they are wiped as they are replaced); no memory is
/// allocated.
///
/// # Errors
/// [`Error::InvalidKey`] unless `bdk` is a double-length key;
/// [`Error::InvalidLength`] if `ksns` and `out` differ in length.
pub fn derive_keys_many(
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
/// The state is [`TdesTerminal::STATE_LEN`] bytes ([`TdesTerminal::to_bytes`],
/// [`TdesTerminal::from_bytes`]): save it after every transaction. The
/// struct wipes its registers when dropped.
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

/// The first byte of a saved TDES terminal state (format version 1).
const TDES_STATE_TAG: u8 = 0xD1;

/// Bit 0 of the flags byte: exhausted.
const FLAG_EXHAUSTED: u8 = 0x01;

/// Whether future key register `j` holds a key when the next counter is
/// `counter` (non-zero).
fn register_in_use(counter: u64, j: usize) -> bool {
    let p = lowest_bit_index(counter);
    j == p || (j > p && counter & counter_bit(j) == 0)
}

impl TdesTerminal {
    /// The size of a saved state: a tag, a flags byte, the KSN and the 21
    /// registers.
    pub const STATE_LEN: usize = 2 + TdesKsn::LEN + REGISTERS * 16;

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
    /// # Errors
    /// [`Error::InvalidKey`] unless `ipek` is a double-length key.
    pub fn load_initial_key(ipek: &TdesKey, ksn: &TdesKsn) -> Result<Self, Error> {
        let mut ipek = halves(ipek)?;
        let mut terminal = TdesTerminal {
            ksn: *ksn,
            registers: [[0; 2]; REGISTERS],
            exhausted: false,
        };
        let result = match CounterRules::TDES.first_usable_from(u64::from(ksn.counter())) {
            None => {
                terminal.exhausted = true;
                Ok(())
            }
            Some(start) => terminal.fill_registers(&ipek, start),
        };
        ipek.zeroize();
        result.map(|()| terminal)
    }

    /// Sets the counter to `start` and fills every register in use from
    /// the IPEK, walking the bits of `start` from the top.
    fn fill_registers(&mut self, ipek: &Halves, start: u64) -> Result<(), Error> {
        self.ksn = self
            .ksn
            .with_counter(u32::try_from(start).map_err(|_| Error::InvalidKsn)?)?;
        let base = self.ksn.right64() & !COUNTER_MASK;
        let p = lowest_bit_index(start);
        let mut running = *ipek;
        let mut prefix = 0u64;
        let mut result = Ok(());
        for (j, register) in self.registers.iter_mut().enumerate().skip(p).rev() {
            let m = counter_bit(j);
            if start & m == 0 || j == p {
                let mut k = running;
                result = result.and(non_reversible_key_generation(&mut k, base | prefix | m));
                *register = k;
                k.zeroize();
            } else {
                prefix |= m;
                result = result.and(non_reversible_key_generation(&mut running, base | prefix));
            }
        }
        running.zeroize();
        result
    }

    /// The KSN of the next transaction.
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
    #[must_use]
    pub fn is_exhausted(&self) -> bool {
        self.exhausted
    }

    /// How many transactions the terminal can still make.
    #[must_use]
    pub fn remaining(&self) -> u64 {
        if self.exhausted {
            0
        } else {
            self.ksn.remaining()
        }
    }

    /// The next transaction's key, `variant` applied. The key stays in the
    /// terminal until [`TdesTerminal::advance`].
    ///
    /// # Errors
    /// [`Error::CounterExhausted`] once the last usable counter is used.
    pub fn key(&self, variant: Variant) -> Result<TdesKey, Error> {
        let c = u64::from(self.current_ksn()?.counter());
        let k = self
            .registers
            .get(lowest_bit_index(c))
            .ok_or(Error::CounterExhausted)?;
        variant.apply(&key_from_halves(k))
    }

    /// Ends the current transaction (X9.24-1:2009 A.2, "New Key"): derives
    /// the future keys below the current one if its counter has fewer than
    /// ten one-bits, wipes the current key, and moves to the next usable
    /// counter. Past the last one, the terminal is exhausted and every
    /// register is wiped.
    ///
    /// # Errors
    /// [`Error::CounterExhausted`] if the terminal was already exhausted.
    pub fn advance(&mut self) -> Result<(), Error> {
        let c = u64::from(self.current_ksn()?.counter());
        let p = lowest_bit_index(c);
        let base = self.ksn.right64() & !COUNTER_MASK;
        let (below, from_p) = self.registers.split_at_mut(p);
        let current = from_p.first_mut().ok_or(Error::CounterExhausted)?;
        let mut result = Ok(());
        if c.count_ones() < CounterRules::TDES.max_ones {
            for (j, register) in below.iter_mut().enumerate() {
                let mut k = *current;
                result = result.and(non_reversible_key_generation(
                    &mut k,
                    base | c | counter_bit(j),
                ));
                *register = k;
                k.zeroize();
            }
        }
        current.zeroize();
        match CounterRules::TDES
            .next_after(c)
            .and_then(|n| u32::try_from(n).ok())
        {
            Some(n) => self.ksn = self.ksn.with_counter(n)?,
            None => {
                self.exhausted = true;
                self.registers.zeroize();
            }
        }
        result
    }

    /// One transaction: its KSN and key (`variant` applied), then
    /// [`TdesTerminal::advance`].
    ///
    /// # Errors
    /// [`Error::CounterExhausted`] once the last usable counter is used.
    pub fn next_transaction(&mut self, variant: Variant) -> Result<(TdesKsn, TdesKey), Error> {
        let ksn = self.current_ksn()?;
        let key = self.key(variant)?;
        self.advance()?;
        Ok((ksn, key))
    }

    /// The whole state, to keep in flash: a tag (`D1`), a flags byte (bit
    /// 0: exhausted), the KSN register, then the 21 registers (bit 0
    /// first), empty ones zero. It holds keys: it is wiped when dropped.
    #[must_use]
    pub fn to_bytes(&self) -> Zeroizing<[u8; Self::STATE_LEN]> {
        let mut out = Zeroizing::new([0u8; Self::STATE_LEN]);
        let (head, regs) = out.split_at_mut(2 + TdesKsn::LEN);
        if let Some((tag_flags, ksn)) = head.split_first_chunk_mut::<2>() {
            *tag_flags = [
                TDES_STATE_TAG,
                if self.exhausted { FLAG_EXHAUSTED } else { 0 },
            ];
            ksn.copy_from_slice(self.ksn.as_bytes());
        }
        for (dst, k) in regs.chunks_exact_mut(16).zip(self.registers.iter()) {
            let (l, r) = dst.split_at_mut(8);
            l.copy_from_slice(&k[0].to_be_bytes());
            r.copy_from_slice(&k[1].to_be_bytes());
        }
        out
    }

    /// A terminal from a state saved by [`TdesTerminal::to_bytes`].
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless `state` is [`Self::STATE_LEN`]
    /// bytes; [`Error::Unsupported`] for another tag or unknown flags;
    /// [`Error::InvalidKsn`] for a counter the terminal cannot be at (zero,
    /// or more than ten one-bits) when not exhausted; [`Error::InvalidKey`]
    /// if a register that should be empty is not.
    pub fn from_bytes(state: &[u8]) -> Result<Self, Error> {
        if state.len() != Self::STATE_LEN {
            return Err(Error::InvalidLength);
        }
        let (head, regs) = state.split_at(2 + TdesKsn::LEN);
        let Some(([tag, flags], ksn)) = head.split_first_chunk::<2>() else {
            return Err(Error::InvalidLength);
        };
        if *tag != TDES_STATE_TAG || flags & !FLAG_EXHAUSTED != 0 {
            return Err(Error::Unsupported);
        }
        let exhausted = flags & FLAG_EXHAUSTED != 0;
        let ksn = TdesKsn::from_slice(ksn)?;
        let counter = u64::from(ksn.counter());
        if !exhausted && !CounterRules::TDES.is_usable(counter) {
            return Err(Error::InvalidKsn);
        }
        let mut terminal = TdesTerminal {
            ksn,
            registers: [[0; 2]; REGISTERS],
            exhausted,
        };
        let mut stray = 0u8;
        for (j, (k, src)) in terminal
            .registers
            .iter_mut()
            .zip(regs.chunks_exact(16))
            .enumerate()
        {
            if !exhausted && register_in_use(counter, j) {
                let mut l = [0u8; 8];
                let mut r = [0u8; 8];
                let (a, b) = src.split_at(8);
                l.copy_from_slice(a);
                r.copy_from_slice(b);
                *k = [u64::from_be_bytes(l), u64::from_be_bytes(r)];
                l.zeroize();
                r.zeroize();
            } else {
                // An empty register: zero in a good state. Reading it all
                // (no early exit) reveals nothing about the keys in use.
                stray |= src.iter().fold(0, |acc, b| acc | b);
            }
        }
        // The registers are secret: whether the empty ones are clear is the
        // kernel's one verdict.
        verdict(terminal, stray.ct_eq(&0), Error::InvalidKey)
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
            let k = derive_key_from_bdk(&key(BDK), &ksn(c), Variant::Base).unwrap();
            assert_eq!(k.expose_secret(), &h(want)[..], "counter {c:x}");
        }
        // Counter 0 is the IPEK itself.
        let k = derive_transaction_key(&ipek, &ksn(0)).unwrap();
        assert_eq!(k.expose_secret(), &h(IPEK)[..]);
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
                let k = derive_key(&key(IPEK), &ksn(c), v).unwrap();
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
                derive_keys_many(&k, &[ksn(1)], Variant::Pin, &mut out).err(),
                Some(Error::InvalidKey)
            );
        }
        let mut out: Vec<TdesKey> = (0..2).map(|_| key(IPEK)).collect();
        assert_eq!(
            derive_keys_many(&key(BDK), &[ksn(1)], Variant::Pin, &mut out).err(),
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
            derive_keys_many(&key(BDK), &ksns, v, &mut out).unwrap();
            for (k, o) in ksns.iter().zip(&out) {
                let want = derive_key_from_bdk(&key(BDK), k, v).unwrap();
                assert_eq!(o.expose_secret(), want.expose_secret(), "{k} {v:?}");
            }
        }
        // Against published values directly.
        let ks: Vec<TdesKsn> = ROLLOVER.iter().map(|(c, _)| ksn(*c)).collect();
        let mut out: Vec<TdesKey> = ks.iter().map(|_| key(IPEK)).collect();
        derive_keys_many(&key(BDK), &ks, Variant::Base, &mut out).unwrap();
        for (o, (_, want)) in out.iter().zip(ROLLOVER) {
            assert_eq!(o.expose_secret(), &h(want)[..]);
        }
        derive_keys_many(&key(BDK), &[], Variant::Base, &mut []).unwrap();
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
        let mut last = 0;
        let mut n = 0;
        while let Ok((k_ksn, k)) = t.next_transaction(Variant::Pin) {
            let want = derive_key(&key(IPEK), &k_ksn, Variant::Pin).unwrap();
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
        assert_eq!(t.key(Variant::Base).err(), Some(Error::CounterExhausted));
        assert_eq!(t.advance().err(), Some(Error::CounterExhausted));
        assert!(t.registers.iter().all(|r| *r == [0, 0]));
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

    #[test]
    fn state_round_trip() {
        let mut t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0)).unwrap();
        for _ in 0..7 {
            t.advance().unwrap();
        }
        let saved = t.to_bytes();
        assert_eq!(saved[0], 0xD1);
        assert_eq!(&saved[2..12], &h("FFFF9876543210E00008")[..]);
        drop(t);
        let mut t = TdesTerminal::from_bytes(&saved[..]).unwrap();
        for (i, want) in INITIAL_SEQUENCE.iter().enumerate().skip(7) {
            let (k_ksn, k) = t.next_transaction(Variant::Base).unwrap();
            assert_eq!(k_ksn.counter(), u32::try_from(i + 1).unwrap());
            assert_eq!(k.expose_secret(), &h(want)[..]);
        }
        // An exhausted terminal saves and reloads as exhausted.
        let t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0x1F_FC00)).unwrap();
        let t = TdesTerminal::from_bytes(&t.to_bytes()[..]).unwrap();
        assert!(t.is_exhausted());
    }

    #[test]
    fn state_refusals() {
        let t = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0)).unwrap();
        let good = t.to_bytes();
        assert_eq!(
            TdesTerminal::from_bytes(&good[..10]).err(),
            Some(Error::InvalidLength)
        );
        let mut long = good.to_vec();
        long.push(0);
        assert_eq!(
            TdesTerminal::from_bytes(&long).err(),
            Some(Error::InvalidLength)
        );
        let mut bad = *good;
        bad[0] = 0xD2;
        assert_eq!(
            TdesTerminal::from_bytes(&bad).err(),
            Some(Error::Unsupported)
        );
        let mut bad = *good;
        bad[1] = 0x02;
        assert_eq!(
            TdesTerminal::from_bytes(&bad).err(),
            Some(Error::Unsupported)
        );
        // Counter 0 and a counter with eleven one-bits are not states a
        // terminal can be in.
        let mut bad = *good;
        bad[11] = 0;
        assert_eq!(
            TdesTerminal::from_bytes(&bad).err(),
            Some(Error::InvalidKsn)
        );
        let mut bad = *good;
        bad[9..12].copy_from_slice(&[0x1F, 0xFC, 0x00]);
        assert_eq!(
            TdesTerminal::from_bytes(&bad).err(),
            Some(Error::InvalidKsn)
        );
        // At counter 2, register 0 must be empty.
        let mut t2 = TdesTerminal::load_initial_key(&key(IPEK), &ksn(0)).unwrap();
        t2.advance().unwrap();
        let mut bad = *t2.to_bytes();
        bad[12] = 1;
        assert_eq!(
            TdesTerminal::from_bytes(&bad).err(),
            Some(Error::InvalidKey)
        );
        // An exhausted state with a key left in it.
        let mut bad = *good;
        bad[1] = FLAG_EXHAUSTED;
        assert_eq!(
            TdesTerminal::from_bytes(&bad).err(),
            Some(Error::InvalidKey)
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
