//! Key serial numbers: the 10-byte KSN of TDES DUKPT and the 12-byte KSN of
//! AES DUKPT, and the AES initial key ID.
//!
//! A KSN is public: it travels in clear with every message. These types
//! print as hex, compare, and may be copied.

use core::fmt;
use core::str::FromStr;

use super::{CounterRules, hex_value};
use crate::Error;

/// The TDES DUKPT counter: the rightmost 21 bits of the KSN.
const TDES_COUNTER_MASK: u32 = 0x1F_FFFF;

/// Decodes exactly `2 * N` hex digits.
fn decode_hex<const N: usize>(s: &str) -> Result<[u8; N], Error> {
    let digits = s.as_bytes();
    if digits.len() != N.saturating_mul(2) {
        return Err(Error::InvalidKsn);
    }
    let mut out = [0u8; N];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let [hi, lo] = pair else {
            return Err(Error::InvalidKsn);
        };
        let hi = hex_value(*hi).ok_or(Error::InvalidKsn)?;
        let lo = hex_value(*lo).ok_or(Error::InvalidKsn)?;
        *byte = (hi << 4) | lo;
    }
    Ok(out)
}

fn write_hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    for b in bytes {
        write!(f, "{b:02X}")?;
    }
    Ok(())
}

/// A TDES DUKPT key serial number (ANSI X9.24-1:2009): 80 bits, the
/// initial key serial number (59 bits: key set identifier, device ID) and
/// a 21-bit transaction counter.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TdesKsn {
    bytes: [u8; 10],
}

impl TdesKsn {
    /// The length of a TDES KSN in bytes.
    pub const LEN: usize = 10;

    /// The largest counter a terminal uses: ten one-bits at the top.
    pub const MAX_COUNTER: u32 = 0x1F_F800;

    /// A KSN from its 10 bytes.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = TdesKsn::from_bytes([0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xE0, 0x00, 0x01]);
    /// assert_eq!(k, TdesKsn::from_hex("FFFF9876543210E00001")?);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 10]) -> Self {
        TdesKsn { bytes }
    }

    /// A KSN from a slice.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = TdesKsn::from_slice(&[0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xE0, 0x00, 0x08])?;
    /// assert_eq!(k.counter(), 8);
    /// assert!(TdesKsn::from_slice(&[0; 12]).is_err());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKsn`] unless `ksn` is 10 bytes.
    pub fn from_slice(ksn: &[u8]) -> Result<Self, Error> {
        let bytes: [u8; 10] = ksn.try_into().map_err(|_| Error::InvalidKsn)?;
        Ok(TdesKsn { bytes })
    }

    /// A KSN from 20 hex digits (either case).
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// // ANSI X9.24-1:2009 A.4: the initial KSN, counter 0.
    /// let k = TdesKsn::from_hex("ffff9876543210e00000")?;
    /// assert_eq!(k.to_string(), "FFFF9876543210E00000");
    /// assert!(TdesKsn::from_hex("FFFF9876543210E0000").is_err());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKsn`] for anything else.
    pub fn from_hex(ksn: &str) -> Result<Self, Error> {
        decode_hex::<10>(ksn).map(TdesKsn::from_bytes)
    }

    /// The KSN's bytes.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = TdesKsn::from_hex("FFFF9876543210E00001")?;
    /// assert_eq!(k.as_bytes(), &[0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xE0, 0x00, 0x01]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 10] {
        &self.bytes
    }

    /// The transaction counter (21 bits).
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// // The counter is the rightmost 21 bits: E00008 holds 8.
    /// assert_eq!(TdesKsn::from_hex("FFFF9876543210E00008")?.counter(), 8);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn counter(&self) -> u32 {
        let [.., a, b, c] = self.bytes;
        u32::from_be_bytes([0, a, b, c]) & TDES_COUNTER_MASK
    }

    /// This KSN with its counter replaced.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = TdesKsn::from_hex("FFFF9876543210E00000")?;
    /// assert_eq!(k.with_counter(0x10_0000)?.to_string(), "FFFF9876543210F00000");
    /// assert!(k.with_counter(0x20_0000).is_err());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKsn`] if `counter` does not fit in 21 bits.
    pub fn with_counter(&self, counter: u32) -> Result<Self, Error> {
        if counter > TDES_COUNTER_MASK {
            return Err(Error::InvalidKsn);
        }
        let mut bytes = self.bytes;
        let [_, x, y, z] = counter.to_be_bytes();
        let [.., a, b, c] = &mut bytes;
        *a = (*a & 0xE0) | x;
        *b = y;
        *c = z;
        Ok(TdesKsn { bytes })
    }

    /// The initial key serial number: this KSN with its counter cleared, as
    /// the terminal's KSN register held it when its initial key was loaded.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = TdesKsn::from_hex("FFFF9876543210EFF800")?;
    /// assert_eq!(k.initial_key_id().to_string(), "FFFF9876543210E00000");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn initial_key_id(&self) -> TdesKsn {
        let mut bytes = self.bytes;
        let [.., a, b, c] = &mut bytes;
        *a &= 0xE0;
        *b = 0;
        *c = 0;
        TdesKsn { bytes }
    }

    /// Whether a terminal may use this KSN's counter: not 0 and at most ten
    /// one-bits (X9.24-1:2009 A.2). The host derives keys for any counter.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = TdesKsn::from_hex("FFFF9876543210E00000")?;
    /// assert!(k.with_counter(0x1F_F800)?.is_usable()); // ten one-bits
    /// assert!(!k.with_counter(0x1F_FC00)?.is_usable()); // eleven
    /// assert!(!k.is_usable()); // counter 0
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn is_usable(&self) -> bool {
        CounterRules::TDES.is_usable(u64::from(self.counter()))
    }

    /// The KSN a terminal uses after this one, skipping counters with more
    /// than ten one-bits; `None` past the last usable counter.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// // ANSI X9.24-1:2009 A.4.3: after 0FF802 comes 0FF804 (0FF803 has
    /// // eleven one-bits).
    /// let k = TdesKsn::from_hex("FFFF9876543210EFF802")?;
    /// assert_eq!(k.next().map(|n| n.counter()), Some(0x0F_F804));
    /// assert_eq!(k.with_counter(TdesKsn::MAX_COUNTER)?.next(), None);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn next(&self) -> Option<TdesKsn> {
        let next = CounterRules::TDES.next_after(u64::from(self.counter()))?;
        self.with_counter(u32::try_from(next).ok()?).ok()
    }

    /// How many counters from this one on (this one included) a terminal
    /// may still use.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = TdesKsn::from_hex("FFFF9876543210E00001")?;
    /// assert_eq!(k.remaining(), 1_048_575);
    /// assert_eq!(k.with_counter(TdesKsn::MAX_COUNTER)?.remaining(), 1);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn remaining(&self) -> u64 {
        CounterRules::TDES.remaining_from(u64::from(self.counter()))
    }

    /// The rightmost 64 bits: what the non-reversible key generation
    /// process of X9.24-1 takes as its data.
    pub(crate) fn right64(&self) -> u64 {
        let [_, _, r @ ..] = self.bytes;
        u64::from_be_bytes(r)
    }

    /// The leftmost 64 bits.
    pub(crate) fn left64(&self) -> u64 {
        let [l @ .., _, _] = self.bytes;
        u64::from_be_bytes(l)
    }
}

impl fmt::Debug for TdesKsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TdesKsn(")?;
        write_hex(f, &self.bytes)?;
        f.write_str(")")
    }
}

impl fmt::Display for TdesKsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.bytes)
    }
}

impl FromStr for TdesKsn {
    type Err = Error;
    /// As [`TdesKsn::from_hex`]: 20 hex digits.
    ///
    /// ```
    /// use paykernel::Error;
    /// use paykernel::dukpt::TdesKsn;
    /// // ANSI X9.24-1:2009 A.4: the first transaction's KSN.
    /// let ksn: TdesKsn = "FFFF9876543210E00001".parse()?;
    /// assert_eq!(ksn.counter(), 1);
    /// assert_eq!(ksn.to_string(), "FFFF9876543210E00001");
    /// assert_eq!("FFFF9876543210E0000".parse::<TdesKsn>(), Err(Error::InvalidKsn));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self, Error> {
        TdesKsn::from_hex(s)
    }
}

/// An AES DUKPT initial key ID (ANSI X9.24-3-2017): a 32-bit BDK ID and a
/// 32-bit derivation ID.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct InitialKeyId {
    bytes: [u8; 8],
}

impl InitialKeyId {
    /// The length of an initial key ID in bytes.
    pub const LEN: usize = 8;

    /// An initial key ID from its 8 bytes.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let id = InitialKeyId::from_bytes([0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56]);
    /// assert_eq!(id, InitialKeyId::from_hex("1234567890123456")?);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 8]) -> Self {
        InitialKeyId { bytes }
    }

    /// An initial key ID from a slice.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let id = InitialKeyId::from_slice(&[0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56])?;
    /// assert_eq!(id.to_string(), "1234567890123456");
    /// assert!(InitialKeyId::from_slice(&[0; 12]).is_err());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKsn`] unless `id` is 8 bytes (the initial key ID is
    /// the left part of a KSN).
    pub fn from_slice(id: &[u8]) -> Result<Self, Error> {
        let bytes: [u8; 8] = id.try_into().map_err(|_| Error::InvalidKsn)?;
        Ok(InitialKeyId { bytes })
    }

    /// An initial key ID from 16 hex digits.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// // The X9.24-3-2017 supplement's initial key ID.
    /// let id = InitialKeyId::from_hex("1234567890123456")?;
    /// assert_eq!(id.as_bytes()[0], 0x12);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKsn`] for anything else.
    pub fn from_hex(id: &str) -> Result<Self, Error> {
        decode_hex::<8>(id).map(InitialKeyId::from_bytes)
    }

    /// The ID's bytes.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let id = InitialKeyId::from_hex("1234567890123456")?;
    /// assert_eq!(id.as_bytes(), &[0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 8] {
        &self.bytes
    }

    /// The BDK ID: the left 4 bytes.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let id = InitialKeyId::from_hex("1234567890123456")?;
    /// assert_eq!((id.bdk_id(), id.derivation_id()), (0x1234_5678, 0x9012_3456));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn bdk_id(&self) -> u32 {
        let [a, b, c, d, ..] = self.bytes;
        u32::from_be_bytes([a, b, c, d])
    }

    /// The derivation ID: the right 4 bytes, which enter every derivation
    /// after the initial key.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let id = InitialKeyId::from_hex("1234567890123456")?;
    /// assert_eq!(id.derivation_id(), 0x9012_3456);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn derivation_id(&self) -> u32 {
        let [.., a, b, c, d] = self.bytes;
        u32::from_be_bytes([a, b, c, d])
    }

    /// The KSN of this initial key ID with `counter`.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let id = InitialKeyId::from_hex("1234567890123456")?;
    /// assert_eq!(id.ksn(1).to_string(), "123456789012345600000001");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn ksn(&self, counter: u32) -> AesKsn {
        let mut bytes = [0u8; 12];
        let (id, c) = bytes.split_at_mut(8);
        id.copy_from_slice(&self.bytes);
        c.copy_from_slice(&counter.to_be_bytes());
        AesKsn { bytes }
    }
}

impl fmt::Debug for InitialKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InitialKeyId(")?;
        write_hex(f, &self.bytes)?;
        f.write_str(")")
    }
}

impl fmt::Display for InitialKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.bytes)
    }
}

impl FromStr for InitialKeyId {
    type Err = Error;
    /// As [`InitialKeyId::from_hex`]: 16 hex digits.
    ///
    /// ```
    /// use paykernel::dukpt::InitialKeyId;
    /// // The X9.24-3-2017 supplement's initial key ID.
    /// let id: InitialKeyId = "1234567890123456".parse()?;
    /// assert_eq!(id.to_string(), "1234567890123456");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self, Error> {
        InitialKeyId::from_hex(s)
    }
}

/// An AES DUKPT key serial number (ANSI X9.24-3-2017): 96 bits, the
/// initial key ID (64 bits) and a 32-bit transaction counter.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AesKsn {
    bytes: [u8; 12],
}

impl AesKsn {
    /// The length of an AES KSN in bytes.
    pub const LEN: usize = 12;

    /// The largest counter a terminal uses: sixteen one-bits at the top.
    pub const MAX_COUNTER: u32 = 0xFFFF_0000;

    /// A KSN from its 12 bytes.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = AesKsn::from_bytes([0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56, 0, 0, 0, 1]);
    /// assert_eq!(k, AesKsn::from_hex("123456789012345600000001")?);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 12]) -> Self {
        AesKsn { bytes }
    }

    /// A KSN from a slice.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = AesKsn::from_slice(&[0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56, 0, 0, 0, 7])?;
    /// assert_eq!(k.counter(), 7);
    /// assert!(AesKsn::from_slice(&[0; 10]).is_err());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKsn`] unless `ksn` is 12 bytes.
    pub fn from_slice(ksn: &[u8]) -> Result<Self, Error> {
        let bytes: [u8; 12] = ksn.try_into().map_err(|_| Error::InvalidKsn)?;
        Ok(AesKsn { bytes })
    }

    /// A KSN from 24 hex digits.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// // The X9.24-3-2017 supplement: initial key ID 1234567890123456, counter 1.
    /// let k = AesKsn::from_hex("123456789012345600000001")?;
    /// assert_eq!(k.counter(), 1);
    /// assert!(AesKsn::from_hex("12345678901234560000000G").is_err());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKsn`] for anything else.
    pub fn from_hex(ksn: &str) -> Result<Self, Error> {
        decode_hex::<12>(ksn).map(AesKsn::from_bytes)
    }

    /// The KSN's bytes.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = AesKsn::from_hex("123456789012345600000001")?;
    /// assert_eq!(k.as_bytes()[11], 1);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 12] {
        &self.bytes
    }

    /// The initial key ID: the left 8 bytes.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = AesKsn::from_hex("123456789012345600000001")?;
    /// assert_eq!(k.initial_key_id().to_string(), "1234567890123456");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn initial_key_id(&self) -> InitialKeyId {
        let [id @ .., _, _, _, _] = self.bytes;
        InitialKeyId { bytes: id }
    }

    /// The transaction counter: the right 4 bytes.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// assert_eq!(AesKsn::from_hex("12345678901234560001FFFE")?.counter(), 0x1_FFFE);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn counter(&self) -> u32 {
        let [.., a, b, c, d] = self.bytes;
        u32::from_be_bytes([a, b, c, d])
    }

    /// This KSN with its counter replaced.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = AesKsn::from_hex("123456789012345600000001")?;
    /// assert_eq!(k.with_counter(0xFFFF_0000).to_string(), "1234567890123456FFFF0000");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn with_counter(&self, counter: u32) -> AesKsn {
        self.initial_key_id().ksn(counter)
    }

    /// Whether a terminal may use this KSN's counter: not 0 and at most
    /// sixteen one-bits (X9.24-3-2017). The host derives keys for any
    /// counter.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = AesKsn::from_hex("123456789012345600000001")?;
    /// assert!(k.is_usable());
    /// assert!(!k.with_counter(0x1_FFFF).is_usable()); // seventeen one-bits
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn is_usable(&self) -> bool {
        CounterRules::AES.is_usable(u64::from(self.counter()))
    }

    /// The KSN a terminal uses after this one, skipping counters with more
    /// than sixteen one-bits; `None` past the last usable counter.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// // The supplement: 0001FFFF (seventeen one-bits) is skipped.
    /// let k = AesKsn::from_hex("12345678901234560001FFFE")?;
    /// assert_eq!(k.next().map(|n| n.counter()), Some(0x2_0000));
    /// assert_eq!(k.with_counter(AesKsn::MAX_COUNTER).next(), None);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn next(&self) -> Option<AesKsn> {
        let next = CounterRules::AES.next_after(u64::from(self.counter()))?;
        Some(self.with_counter(u32::try_from(next).ok()?))
    }

    /// How many counters from this one on (this one included) a terminal
    /// may still use.
    ///
    /// ```
    /// use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
    ///
    /// let k = AesKsn::from_hex("1234567890123456FFFE2000")?;
    /// // FFFE2000, FFFE4000, FFFE8000, FFFF0000.
    /// assert_eq!(k.remaining(), 4);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn remaining(&self) -> u64 {
        CounterRules::AES.remaining_from(u64::from(self.counter()))
    }
}

impl fmt::Debug for AesKsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AesKsn(")?;
        write_hex(f, &self.bytes)?;
        f.write_str(")")
    }
}

impl fmt::Display for AesKsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.bytes)
    }
}

impl FromStr for AesKsn {
    type Err = Error;
    /// As [`AesKsn::from_hex`]: 24 hex digits.
    ///
    /// ```
    /// use paykernel::dukpt::AesKsn;
    /// // The X9.24-3-2017 supplement's first KSN.
    /// let ksn: AesKsn = "123456789012345600000001".parse()?;
    /// assert_eq!(ksn.counter(), 1);
    /// assert_eq!(ksn.initial_key_id().to_string(), "1234567890123456");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self, Error> {
        AesKsn::from_hex(s)
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::string::ToString;
    use std::{format, vec};

    use super::*;
    use crate::test_util::h;

    #[test]
    fn tdes_ksn_parts() {
        // X9.24-1:2009 A.4: initial KSN FFFF9876543210E00000.
        let k = TdesKsn::from_hex("FFFF9876543210E00008").unwrap();
        assert_eq!(k.counter(), 8);
        assert_eq!(k.initial_key_id().to_string(), "FFFF9876543210E00000");
        assert_eq!(
            k.with_counter(0x0F_F800).unwrap().to_string(),
            "FFFF9876543210EFF800"
        );
        assert_eq!(
            k.with_counter(0x10_0000).unwrap().to_string(),
            "FFFF9876543210F00000"
        );
        assert_eq!(k.with_counter(0x20_0000), Err(Error::InvalidKsn));
        let k = TdesKsn::from_hex("ffff9876543210effc00").unwrap();
        assert_eq!(k.counter(), 0x0F_FC00);
        assert_eq!(k.next().unwrap().to_string(), "FFFF9876543210F00000");
        assert_eq!(k.right64(), 0x9876_5432_10EF_FC00);
        assert_eq!(k.left64(), 0xFFFF_9876_5432_10EF);
        let last = k.with_counter(TdesKsn::MAX_COUNTER).unwrap();
        assert!(last.is_usable());
        assert_eq!(last.next(), None);
        assert_eq!(last.remaining(), 1);
        assert!(!k.with_counter(0).unwrap().is_usable());
        assert_eq!(format!("{k:?}"), "TdesKsn(FFFF9876543210EFFC00)");
    }

    #[test]
    fn tdes_ksn_refusals() {
        for bad in [
            "",
            "FFFF9876543210E0000",
            "FFFF9876543210E000000",
            "FFFF9876543210E0000G",
            "FFFF9876543210E0000 ",
        ] {
            assert_eq!(TdesKsn::from_hex(bad), Err(Error::InvalidKsn), "{bad:?}");
        }
        for n in [0usize, 8, 9, 11, 12] {
            assert_eq!(TdesKsn::from_slice(&vec![0u8; n]), Err(Error::InvalidKsn));
        }
        assert_eq!(
            TdesKsn::from_slice(&h("FFFF9876543210E00000"))
                .unwrap()
                .counter(),
            0
        );
        assert_eq!(
            "FFFF9876543210E00001".parse::<TdesKsn>().unwrap().counter(),
            1
        );
    }

    #[test]
    fn aes_ksn_parts() {
        // X9.24-3-2017 supplement: initial key ID 1234567890123456.
        let k = AesKsn::from_hex("123456789012345600000001").unwrap();
        assert_eq!(k.counter(), 1);
        assert_eq!(k.initial_key_id().to_string(), "1234567890123456");
        assert_eq!(k.initial_key_id().bdk_id(), 0x1234_5678);
        assert_eq!(k.initial_key_id().derivation_id(), 0x9012_3456);
        // Public: the ID and the KSN print as hex.
        assert_eq!(
            format!("{:?}", k.initial_key_id()),
            "InitialKeyId(1234567890123456)"
        );
        assert_eq!(format!("{k:?}"), "AesKsn(123456789012345600000001)");
        assert_eq!(
            "1234567890123456".parse::<InitialKeyId>(),
            Ok(k.initial_key_id())
        );
        let k = k.with_counter(0x1_FFFE);
        assert_eq!(k.to_string(), "12345678901234560001FFFE");
        assert_eq!(k.next().unwrap().to_string(), "123456789012345600020000");
        let last = k.with_counter(AesKsn::MAX_COUNTER);
        assert_eq!(last.next(), None);
        assert!(last.is_usable());
        assert!(!k.with_counter(0x1_FFFF).is_usable());
        for bad in [
            "12345678901234560000000",
            "1234567890123456000000010",
            "12345678901234560000000x",
        ] {
            assert_eq!(AesKsn::from_hex(bad), Err(Error::InvalidKsn));
        }
        assert_eq!(AesKsn::from_slice(&[0u8; 10]), Err(Error::InvalidKsn));
        assert_eq!(InitialKeyId::from_slice(&[0u8; 12]), Err(Error::InvalidKsn));
        assert_eq!(
            InitialKeyId::from_hex("12345678901234"),
            Err(Error::InvalidKsn)
        );
    }
}
