//! Message authentication: ISO/IEC 9797-1 MAC algorithms 1 and 3
//! ([`CbcMac`], [`RetailMac`], [`Alg3Mac`]) and CMAC (NIST SP 800-38B) with
//! AES and TDES ([`AesCmac`], [`TdesCmac`]); and batch checks of many
//! messages under their own TDES keys, 64 side by side in the bitsliced
//! DES ([`verify_retail_macs`], [`verify_cbc_macs`], [`verify_tdes_cmacs`]).
//!
//! Every MAC type holds its key schedule, made once and reused for any
//! number of messages. Every verifier computes the expected tag and
//! compares it with the candidate in constant time (`subtle`), answering a
//! [`subtle::Choice`] without a branch on it (the batch checks write one
//! `bool` per message, computed the same way), after public length checks:
//! a requested length under [`MIN_MAC_LEN`] (or over the block) is refused
//! as [`Error::InvalidLength`](crate::Error::InvalidLength), and a
//! candidate that is not exactly the requested length is simply not valid.

mod batch;

/// The shortest MAC a verifier accepts to check: 4 bytes. A tag of 1 to 3
/// bytes is guessed too easily (one chance in 2^8 to 2^24 per try); ISO/IEC
/// 9797-1 retail MACs and EMV cryptograms are at least 4 bytes in use
/// (ANSI X9.19, EMV Book 2 8.1), and NIST SP 800-38B Appendix A advises
/// against CMAC tags shorter than 64 bits without an analysis of the
/// guessing risk; 32 bits is the floor this kernel keeps for every MAC.
pub const MIN_MAC_LEN: usize = 4;
mod cmac;
mod iso9797;

pub use self::batch::{MacCheck, verify_cbc_macs, verify_retail_macs, verify_tdes_cmacs};
pub use self::cmac::{AesCmac, Tag, TdesCmac};
pub(crate) use self::cmac::{cmac_aes_block, cmac_tdes_block};
pub use self::iso9797::{
    Alg3Mac, BlockCipher, CbcMac, Iso9797Algorithm, Iso9797Mac, Padding, RetailMac,
};
