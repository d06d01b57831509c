//! Key blocks: ANSI X9.143-2022 (ASC X9 TR-31-2018) versions `A`, `B`,
//! `C` and `D` — parse, wrap, unwrap, and keys bound to their use.
//!
//! Every key that reaches a terminal or a switch travels in a key block: a
//! printable-ASCII header saying what the key is for, optional blocks, the
//! enciphered key and a MAC over all of it under the key block protection
//! key (KBPK).
//!
//! - [`KeyBlock::parse`] and [`Header::parse`] check the format and give
//!   typed fields: [`Version`], [`KeyUsage`] (X9.143's whole table, unknown
//!   codes kept), [`Algorithm`], [`ModeOfUse`], [`KeyVersion`],
//!   [`Exportability`], and the optional blocks ([`Header::optional_blocks`],
//!   [`BlockId`]: `KS`, `IK`, `KC`, `KP`, `TS`, `HM`, `PB`, ... in short
//!   or extended length form).
//! - [`Kbpk`] derives the block keys of a version once;
//!   [`Kbpk::wrap`] (padding given, for known answers) and
//!   [`Kbpk::wrap_random`] (padding and key length masking from a caller's
//!   [`rand_core::TryCryptoRng`]) write a block into the caller's buffer
//!   ([`MAX_BLOCK_LEN`] bytes always suffice); [`Kbpk::unwrap`] checks the
//!   MAC in constant time before anything of the key data is read and
//!   returns an [`Unwrapped`] key that carries its header and is wiped on
//!   drop.
//! - Keys bound to their use: [`BoundKey`], [`TdesBdk`], [`AesBdk`],
//!   [`MacGenerator`], [`MacVerifier`], [`PinKey`] are made from a key
//!   block only by checked conversions, and re-wrapping checks
//!   exportability ([`KeyAttributes::check_export`]). The module `bound`
//!   explains the choice: types where they can say it, [`Error::InvalidKey`](crate::Error::InvalidKey)
//!   where only the header's data can.
//! - Key injection in one step: [`load_tdes_terminal`],
//!   [`load_aes_terminal`] (a `B1` block with its `KS` / `IK` block into a
//!   DUKPT terminal; [`load_tdes_terminal_into`] and
//!   [`load_aes_terminal_into`] load a terminal in place),
//!   [`host_tdes_bdk`], [`host_aes_bdk`] (a `B0` block).
//!
//! ## The rules
//!
//! The format and the refusals follow `docs/vectors.md` ("Key blocks"), the
//! contract of the vector suites, to the letter: a block that breaks the
//! format is [`Error::InvalidKeyBlock`](crate::Error::InvalidKeyBlock); a KBPK of a length the version
//! does not take is [`Error::InvalidKey`](crate::Error::InvalidKey); a MAC that does not check out
//! (a wrong KBPK, any change to a well-formed block) is [`Error::BadMac`](crate::Error::BadMac);
//! wrapping lengths that do not add up are [`Error::InvalidLength`](crate::Error::InvalidLength). Key
//! usage, algorithm, mode of use, key version number, exportability and the
//! reserved characters are not checked against X9.143's tables by parsing,
//! wrapping or unwrapping: the bound key types enforce them.
//!
//! ## Constant time
//!
//! The header, the enciphered key data, the MAC in the block and every
//! length are public and steer control flow. The KBPK, the derived block
//! keys, the clear key data (the key, its length field, the padding) and
//! the MAC the kernel computes do not: the MAC is compared with `subtle`,
//! and the two refusals that depend on secrets (the MAC; then the key
//! length field) go through the kernel's one verdict. Cipher text and MAC
//! are written as hex without tables. `ct-check` runs wrap and unwrap of
//! every version under valgrind with the KBPK, the key and the padding
//! marked secret.
//!
//! ```
//! use paykernel::keyblock::{Kbpk, KeyBlock, KeyUsage, Version};
//!
//! // ASC X9 TR-31:2018 A.7.3.1: a BDK in a version C block with a KS block.
//! let text = "C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C";
//! let block = KeyBlock::parse(text.as_bytes())?;
//! let header = block.header();
//! assert_eq!((header.version(), header.key_usage()), (Version::C, KeyUsage::Bdk));
//! let ks = header.optional_blocks().next().unwrap();
//! assert_eq!((ks.id().as_str(), ks.data()), ("KS", "00604B120F9292800000"));
//!
//! let kbpk = Kbpk::from_slice(&hex::decode("B8ED59E0A279A295E9F5ED7944FD06B9").unwrap(), Version::C)?;
//! let mut work = [0u8; 64];
//! let key = kbpk.unwrap(&block, &mut work)?;
//! assert_eq!(hex::encode_upper(key.expose_secret()), "EDB380DD340BC2620247D445F5B8D678");
//! # Ok::<(), paykernel::Error>(())
//! ```

mod bound;
mod fields;
mod header;
mod inject;
mod kbpk;

#[cfg(test)]
mod tests;

pub use self::bound::{
    AesBdk, BoundKey, KeyAttributes, MIN_MAC_LEN, MacGenerator, MacVerifier, PinKey, SymmetricKey,
    TdesBdk,
};
pub use self::fields::{Algorithm, Exportability, KeyUsage, KeyVersion, ModeOfUse, Version};
pub use self::header::{
    BlockId, FIXED_HEADER_LEN, Header, KeyBlock, MAX_BLOCK_LEN, OptionalBlock, OptionalBlocks,
};
pub use self::inject::{
    host_aes_bdk, host_tdes_bdk, load_aes_terminal, load_aes_terminal_into, load_tdes_terminal,
    load_tdes_terminal_into,
};
pub use self::kbpk::{Kbpk, Unwrapped, padding_len, wrapped_len};

/// The longest key data of any block, in bytes: what [`Kbpk::unwrap`]'s
/// work buffer needs to take every block the format allows (a version A
/// or C block of 9992 characters with a bare header, the longest a
/// four-digit length allows: 16 + 2 × (4984 + 4); version B's longest key
/// data is 4976 bytes).
pub const MAX_KEY_DATA_LEN: usize = 4984;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
