//! Parsing a key block's text: the 16-character header, the optional
//! blocks, the enciphered key data and the MAC (ANSI X9.143-2022 clause 6,
//! with the rules of `docs/vectors.md`, "Key blocks").
//!
//! Everything here is public data: it steers control flow freely. Parsing
//! borrows the caller's text and copies nothing.

use core::fmt;

use super::fields::{Algorithm, Exportability, KeyUsage, KeyVersion, ModeOfUse, Version};
use crate::Error;

/// The length of the fixed part of a header.
pub const FIXED_HEADER_LEN: usize = 16;

/// The longest key block: its length field has four decimal digits.
pub const MAX_BLOCK_LEN: usize = 9999;

/// The most optional blocks a header can count (two decimal digits).
const MAX_OPTIONAL_BLOCKS: usize = 99;

/// A two-character optional block ID.
///
/// ```
/// use paykernel::keyblock::BlockId;
/// assert_eq!(BlockId::KS.as_str(), "KS");
/// assert_eq!(BlockId(*b"KS"), BlockId::KS);
/// assert_eq!(format!("{:?}", BlockId::HM), "BlockId(HM)");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlockId(pub [u8; 2]);

impl BlockId {
    /// `AL`: asymmetric key life.
    pub const AL: BlockId = BlockId(*b"AL");
    /// `BI`: base derivation key identifier (DUKPT).
    pub const BI: BlockId = BlockId(*b"BI");
    /// `CT`: public key certificate.
    pub const CT: BlockId = BlockId(*b"CT");
    /// `DA`: derivations allowed.
    pub const DA: BlockId = BlockId(*b"DA");
    /// `FL`: flags.
    pub const FL: BlockId = BlockId(*b"FL");
    /// `HM`: the hash of an HMAC key.
    pub const HM: BlockId = BlockId(*b"HM");
    /// `IK`: initial key identifier of an AES DUKPT initial key (16 hex
    /// digits: BDK ID and derivation ID).
    pub const IK: BlockId = BlockId(*b"IK");
    /// `KC`: key check value of the wrapped key.
    pub const KC: BlockId = BlockId(*b"KC");
    /// `KP`: key check value of the KBPK.
    pub const KP: BlockId = BlockId(*b"KP");
    /// `KS`: initial key serial number of a TDES DUKPT initial key (20
    /// hex digits).
    pub const KS: BlockId = BlockId(*b"KS");
    /// `KV`: key block values (deprecated).
    pub const KV: BlockId = BlockId(*b"KV");
    /// `LB`: label.
    pub const LB: BlockId = BlockId(*b"LB");
    /// `PB`: padding, to fill the optional blocks to a cipher block.
    pub const PB: BlockId = BlockId(*b"PB");
    /// `PK`: key check value of the export KBPK.
    pub const PK: BlockId = BlockId(*b"PK");
    /// `TC`: time of creation.
    pub const TC: BlockId = BlockId(*b"TC");
    /// `TS`: time stamp.
    pub const TS: BlockId = BlockId(*b"TS");
    /// `WP`: wrapping pedigree.
    pub const WP: BlockId = BlockId(*b"WP");

    /// The ID as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Debug for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlockId({})", self.as_str())
    }
}

impl fmt::Display for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One optional block: its ID and its data (the characters after its
/// length field or fields).
///
/// ```
/// use paykernel::keyblock::{BlockId, Header};
/// // A KS block (initial KSN), length 18 hex = 24 characters in all.
/// let h = Header::parse(b"B0000B1TX00N0100KS1800604B120F9292800000")?;
/// let ks = h.optional_blocks().next().unwrap();
/// assert_eq!(ks.id(), BlockId::KS);
/// assert_eq!(ks.data(), "00604B120F9292800000");
/// assert_eq!(ks.data_bytes(), b"00604B120F9292800000");
/// assert!(!ks.is_extended());
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionalBlock<'t> {
    id: BlockId,
    data: &'t [u8],
    extended: bool,
}

impl<'t> OptionalBlock<'t> {
    /// The block's ID.
    #[must_use]
    pub fn id(&self) -> BlockId {
        self.id
    }

    /// The block's data as text (printable ASCII).
    #[must_use]
    pub fn data(&self) -> &'t str {
        core::str::from_utf8(self.data).unwrap_or("")
    }

    /// The block's data as bytes.
    #[must_use]
    pub fn data_bytes(&self) -> &'t [u8] {
        self.data
    }

    /// Whether its length was written in the extended form (`00`, the
    /// number of length digits, the length).
    #[must_use]
    pub fn is_extended(&self) -> bool {
        self.extended
    }
}

/// The optional blocks of a header, in order (padding blocks included).
#[derive(Clone, Debug)]
pub struct OptionalBlocks<'t> {
    rest: &'t [u8],
    left: usize,
}

impl<'t> Iterator for OptionalBlocks<'t> {
    type Item = OptionalBlock<'t>;

    fn next(&mut self) -> Option<OptionalBlock<'t>> {
        self.left = self.left.checked_sub(1)?;
        // The header was checked when it was parsed: this cannot fail.
        let (block, rest) = parse_block(self.rest).ok()?;
        self.rest = rest;
        Some(block)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

/// A checked key block header: the 16 fixed characters and the optional
/// blocks, borrowed from the text it was parsed from.
///
/// ```
/// use paykernel::keyblock::{
///     Algorithm, BlockId, Exportability, Header, KeyUsage, ModeOfUse, Version,
/// };
/// // A TDES DUKPT initial key (B1) with its initial KSN in a KS block
/// // (the layout of X9.143's KS optional block).
/// let h = Header::parse(b"B0000B1TX00N0100KS1800604B120F9292800000")?;
/// assert_eq!(h.version(), Version::B);
/// assert_eq!(h.declared_len(), 0); // filled in when wrapped
/// assert_eq!(h.key_usage(), KeyUsage::DukptInitialKey);
/// assert_eq!(h.algorithm(), Algorithm::Tdes);
/// assert_eq!(h.mode_of_use(), ModeOfUse::DeriveKeys);
/// assert!(h.key_version().is_unused());
/// assert_eq!(h.exportability(), Exportability::NotExportable);
/// assert_eq!(h.reserved(), *b"00");
/// assert_eq!(h.optional_block_count(), 1);
/// assert_eq!((h.len(), h.is_empty()), (40, false));
/// assert_eq!(h.as_str(), "B0000B1TX00N0100KS1800604B120F9292800000");
/// assert_eq!(h.as_bytes().len(), 40);
/// let ks = h.find(BlockId::KS).unwrap();
/// assert_eq!(ks.data_bytes(), b"00604B120F9292800000");
/// assert!(!ks.is_extended());
/// assert!(h.find(BlockId::LB).is_none());
///
/// // The same kind of block with its length in the extended form
/// // (`00`, two length digits, then the length `18`).
/// let h = Header::parse(b"B0000B1TX00N0100KS0002180604B120F9292800")?;
/// let ks = h.find(BlockId::KS).unwrap();
/// assert!(ks.is_extended());
/// assert_eq!(ks.data(), "0604B120F9292800");
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Header<'t> {
    text: &'t [u8],
    version: Version,
    count: usize,
}

impl<'t> Header<'t> {
    /// Parses a header that is the whole of `text` (as `tr31.wrap` takes
    /// it). Its four length characters must be digits, whatever they say:
    /// wrapping fills them in.
    ///
    /// # Errors
    /// [`Error::InvalidKeyBlock`] for a header that breaks the format, or
    /// text after its optional blocks.
    ///
    /// ```
    /// use paykernel::keyblock::{Header, KeyUsage, Version};
    ///
    /// let h = Header::parse(b"B0000B1TX00N0100KS1800604B120F9292800000")?;
    /// assert_eq!(h.version(), Version::B);
    /// assert_eq!(h.key_usage(), KeyUsage::DukptInitialKey);
    /// let ks = h.optional_blocks().next().unwrap();
    /// assert_eq!((ks.id().as_str(), ks.data()), ("KS", "00604B120F9292800000"));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn parse(text: &'t [u8]) -> Result<Header<'t>, Error> {
        check_printable(text)?;
        let (header, rest) = Header::parse_prefix(text)?;
        if !rest.is_empty() {
            return Err(Error::InvalidKeyBlock);
        }
        Ok(header)
    }

    /// Parses the header at the start of `text` (printable ASCII, checked
    /// by the caller) and returns it with the text after it.
    pub(crate) fn parse_prefix(text: &'t [u8]) -> Result<(Header<'t>, &'t [u8]), Error> {
        let fixed = text.get(..FIXED_HEADER_LEN).ok_or(Error::InvalidKeyBlock)?;
        if !fixed.iter().all(u8::is_ascii_alphanumeric) {
            return Err(Error::InvalidKeyBlock);
        }
        let version = Version::from_id(*fixed.first().ok_or(Error::InvalidKeyBlock)?)?;
        decimal(fixed.get(1..5).ok_or(Error::InvalidKeyBlock)?)?;
        let count = decimal(fixed.get(12..14).ok_or(Error::InvalidKeyBlock)?)?;
        let mut rest = text.get(FIXED_HEADER_LEN..).ok_or(Error::InvalidKeyBlock)?;
        let mut seen = [[0u8; 2]; MAX_OPTIONAL_BLOCKS];
        let mut blocks_len = 0usize;
        for i in 0..count {
            let (block, after) = parse_block(rest)?;
            let earlier = seen.get(..i).ok_or(Error::InvalidKeyBlock)?;
            if earlier.contains(&block.id.0) {
                return Err(Error::InvalidKeyBlock);
            }
            if let Some(slot) = seen.get_mut(i) {
                *slot = block.id.0;
            }
            blocks_len = blocks_len
                .checked_add(rest.len().saturating_sub(after.len()))
                .ok_or(Error::InvalidKeyBlock)?;
            rest = after;
        }
        // The optional blocks fill whole cipher blocks.
        if blocks_len & version.block_len().wrapping_sub(1) != 0 {
            return Err(Error::InvalidKeyBlock);
        }
        let len = FIXED_HEADER_LEN
            .checked_add(blocks_len)
            .ok_or(Error::InvalidKeyBlock)?;
        let (header_text, rest) = text.split_at_checked(len).ok_or(Error::InvalidKeyBlock)?;
        Ok((
            Header {
                text: header_text,
                version,
                count,
            },
            rest,
        ))
    }

    /// The fixed character at `i` (0 to 15).
    fn at(&self, i: usize) -> u8 {
        self.text.get(i).copied().unwrap_or(b'0')
    }

    /// The fixed characters at `i` and `i + 1`.
    fn pair(&self, i: usize) -> [u8; 2] {
        [self.at(i), self.at(i.saturating_add(1))]
    }

    /// The version ID.
    #[must_use]
    pub fn version(&self) -> Version {
        self.version
    }

    /// The key block length written in the header (for a header given to
    /// wrap, whatever it was given with).
    #[must_use]
    pub fn declared_len(&self) -> usize {
        self.text
            .get(1..5)
            .and_then(|d| decimal(d).ok())
            .unwrap_or(0)
    }

    /// The key usage.
    #[must_use]
    pub fn key_usage(&self) -> KeyUsage {
        KeyUsage::from_code(self.pair(5))
    }

    /// The algorithm.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        Algorithm::from_code(self.at(7))
    }

    /// The mode of use.
    #[must_use]
    pub fn mode_of_use(&self) -> ModeOfUse {
        ModeOfUse::from_code(self.at(8))
    }

    /// The key version number.
    #[must_use]
    pub fn key_version(&self) -> KeyVersion {
        KeyVersion::new(self.pair(9))
    }

    /// The exportability.
    #[must_use]
    pub fn exportability(&self) -> Exportability {
        Exportability::from_code(self.at(11))
    }

    /// The two reserved characters (X9.143: the key context and a
    /// reserved character; `00` in TR-31), as found.
    #[must_use]
    pub fn reserved(&self) -> [u8; 2] {
        self.pair(14)
    }

    /// How many optional blocks the header has (padding included).
    #[must_use]
    pub fn optional_block_count(&self) -> usize {
        self.count
    }

    /// The optional blocks, in order, padding blocks included.
    #[must_use]
    pub fn optional_blocks(&self) -> OptionalBlocks<'t> {
        OptionalBlocks {
            rest: self.text.get(FIXED_HEADER_LEN..).unwrap_or(&[]),
            left: self.count,
        }
    }

    /// The optional block `id`, if the header has one.
    #[must_use]
    pub fn find(&self, id: BlockId) -> Option<OptionalBlock<'t>> {
        self.optional_blocks().find(|b| b.id == id)
    }

    /// The header's text (the fixed part and the optional blocks).
    #[must_use]
    pub fn as_bytes(&self) -> &'t [u8] {
        self.text
    }

    /// The header's text as a string.
    #[must_use]
    pub fn as_str(&self) -> &'t str {
        core::str::from_utf8(self.text).unwrap_or("")
    }

    /// The header's length in characters.
    #[must_use]
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Never true: a header has at least its 16 fixed characters.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

impl fmt::Debug for Header<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Header").field(&self.as_str()).finish()
    }
}

/// A checked key block: its header, its enciphered key data and its MAC,
/// borrowed from the text. Nothing is deciphered or verified here: this is
/// the format alone (see [`super::Kbpk::unwrap`]).
///
/// ```
/// use paykernel::keyblock::KeyBlock;
/// // ASC X9 TR-31:2018 A.7.2.2: header, 48 hex digits of key data, an
/// // 8-byte MAC.
/// let text = b"B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E";
/// let kb = KeyBlock::parse(text)?;
/// assert_eq!(kb.header().as_str(), "B0080P0TE00E0000");
/// assert_eq!(kb.key_data_hex(), b"94B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F534117");
/// assert_eq!(kb.mac_hex(), b"6EED7B727B8A248E");
/// assert_eq!(kb.as_bytes(), text);
/// // One character short: the length field no longer holds.
/// assert!(KeyBlock::parse(&text[..79]).is_err());
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KeyBlock<'t> {
    text: &'t [u8],
    header: Header<'t>,
    key_data: &'t [u8],
    mac: &'t [u8],
}

impl<'t> KeyBlock<'t> {
    /// Parses a key block and checks every rule of its format: printable
    /// ASCII; an alphanumeric 16-character header; a version `A` to `D`; a
    /// length field equal to the text's length; an optional block count of
    /// two digits and that many well-formed optional blocks (no ID twice,
    /// no overrun), filling whole cipher blocks; then key data of a whole,
    /// non-zero number of cipher blocks and the version's MAC, both in
    /// uppercase hex.
    ///
    /// # Errors
    /// [`Error::InvalidKeyBlock`] when any rule is broken.
    ///
    /// ```
    /// use paykernel::keyblock::{KeyBlock, Version};
    ///
    /// // ASC X9 TR-31:2018 A.7.2.2.
    /// let kb = KeyBlock::parse(
    ///     b"B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E",
    /// )?;
    /// assert_eq!(kb.header().version(), Version::B);
    /// assert_eq!(kb.key_data_len(), 24);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn parse(text: &'t [u8]) -> Result<KeyBlock<'t>, Error> {
        check_printable(text)?;
        let (header, rest) = Header::parse_prefix(text)?;
        if header.declared_len() != text.len() {
            return Err(Error::InvalidKeyBlock);
        }
        let version = header.version();
        let mac_hex = version.mac_len().saturating_mul(2);
        let block_hex = version.block_len().saturating_mul(2);
        let split = rest
            .len()
            .checked_sub(mac_hex)
            .ok_or(Error::InvalidKeyBlock)?;
        let (key_data, mac) = rest.split_at_checked(split).ok_or(Error::InvalidKeyBlock)?;
        if key_data.is_empty()
            || key_data.len() & block_hex.wrapping_sub(1) != 0
            || !key_data.iter().chain(mac).all(|c| is_upper_hex(*c))
        {
            return Err(Error::InvalidKeyBlock);
        }
        Ok(KeyBlock {
            text,
            header,
            key_data,
            mac,
        })
    }

    /// The header.
    #[must_use]
    pub fn header(&self) -> &Header<'t> {
        &self.header
    }

    /// The enciphered key data, as the block's hex text.
    #[must_use]
    pub fn key_data_hex(&self) -> &'t [u8] {
        self.key_data
    }

    /// The length of the key data in bytes: what [`super::Kbpk::unwrap`]
    /// needs as its work buffer.
    #[must_use]
    pub fn key_data_len(&self) -> usize {
        self.key_data.len() >> 1
    }

    /// The MAC, as the block's hex text.
    #[must_use]
    pub fn mac_hex(&self) -> &'t [u8] {
        self.mac
    }

    /// The whole block's text.
    #[must_use]
    pub fn as_bytes(&self) -> &'t [u8] {
        self.text
    }
}

impl fmt::Debug for KeyBlock<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyBlock")
            .field("header", &self.header)
            .field("key_data_len", &self.key_data_len())
            .finish_non_exhaustive()
    }
}

/// Every character printable ASCII (20 to 7E, space included).
fn check_printable(text: &[u8]) -> Result<(), Error> {
    if text.iter().all(|c| (0x20..=0x7E).contains(c)) {
        Ok(())
    } else {
        Err(Error::InvalidKeyBlock)
    }
}

/// An uppercase hex digit.
pub(crate) fn is_upper_hex(c: u8) -> bool {
    c.is_ascii_digit() || (b'A'..=b'F').contains(&c)
}

/// The value of a string of decimal digits (at most 4 here).
fn decimal(digits: &[u8]) -> Result<usize, Error> {
    digits.iter().try_fold(0usize, |n, c| {
        if !c.is_ascii_digit() {
            return Err(Error::InvalidKeyBlock);
        }
        n.checked_mul(10)
            .and_then(|n| n.checked_add(usize::from(c.wrapping_sub(b'0'))))
            .ok_or(Error::InvalidKeyBlock)
    })
}

/// The value of a string of uppercase hex digits; one too large for a
/// `usize` is refused (no block that long fits a key block).
fn upper_hex(digits: &[u8]) -> Result<usize, Error> {
    digits.iter().try_fold(0usize, |n, c| {
        let v = match c {
            b'0'..=b'9' => c.wrapping_sub(b'0'),
            b'A'..=b'F' => c.wrapping_sub(b'A').wrapping_add(10),
            _ => return Err(Error::InvalidKeyBlock),
        };
        n.checked_mul(16)
            .and_then(|n| n.checked_add(usize::from(v)))
            .ok_or(Error::InvalidKeyBlock)
    })
}

/// Parses one optional block at the start of `rest`: an alphanumeric ID,
/// its length in two uppercase hex digits counting the whole block, and its
/// data; length `00` starts the extended form, two hex digits giving how
/// many hex digits follow, then the block's length in that many.
fn parse_block(rest: &[u8]) -> Result<(OptionalBlock<'_>, &[u8]), Error> {
    let id = rest.get(..2).ok_or(Error::InvalidKeyBlock)?;
    if !id.iter().all(u8::is_ascii_alphanumeric) {
        return Err(Error::InvalidKeyBlock);
    }
    let id = BlockId([
        id.first().copied().unwrap_or(0),
        id.get(1).copied().unwrap_or(0),
    ]);
    let short = upper_hex(rest.get(2..4).ok_or(Error::InvalidKeyBlock)?)?;
    let (total, data_start, extended) = if short == 0 {
        let n = upper_hex(rest.get(4..6).ok_or(Error::InvalidKeyBlock)?)?;
        if n == 0 {
            return Err(Error::InvalidKeyBlock);
        }
        let end = n.checked_add(6).ok_or(Error::InvalidKeyBlock)?;
        let total = upper_hex(rest.get(6..end).ok_or(Error::InvalidKeyBlock)?)?;
        (total, end, true)
    } else {
        (short, 4, false)
    };
    if total < data_start {
        return Err(Error::InvalidKeyBlock);
    }
    let (block, after) = rest.split_at_checked(total).ok_or(Error::InvalidKeyBlock)?;
    let data = block.get(data_start..).ok_or(Error::InvalidKeyBlock)?;
    Ok((OptionalBlock { id, data, extended }, after))
}
