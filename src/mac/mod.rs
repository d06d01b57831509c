//! Message authentication: ISO/IEC 9797-1 MAC algorithms 1 and 3
//! ([`CbcMac`], [`RetailMac`], [`Alg3Mac`]) and CMAC (NIST SP 800-38B) with
//! AES and TDES ([`AesCmac`], [`TdesCmac`]); and batch checks of many
//! messages under their own TDES keys, 64 side by side in the bitsliced
//! DES ([`verify_retail_macs`], [`verify_cbc_macs`], [`verify_tdes_cmacs`]).
//!
//! Every MAC type holds its key schedule, made once and reused for any
//! number of messages. Every verifier computes the expected tag, compares
//! it with the candidate in constant time (`subtle`), and turns the result
//! into a `bool` in one place, after a public length check: a candidate
//! that is not exactly the requested length is simply not valid.

mod batch;
mod cmac;
mod iso9797;

pub use self::batch::{MacCheck, verify_cbc_macs, verify_retail_macs, verify_tdes_cmacs};
pub use self::cmac::{AesCmac, Tag, TdesCmac};
pub(crate) use self::cmac::{cmac_aes_block, cmac_tdes_block};
pub use self::iso9797::{
    Alg3Mac, BlockCipher, CbcMac, Iso9797Algorithm, Iso9797Mac, Padding, RetailMac,
};
