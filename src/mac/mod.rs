//! Message authentication: CMAC (NIST SP 800-38B) with AES and TDES.
//!
//! Every verifier here computes the expected tag, compares it with the
//! candidate in constant time (`subtle`), and turns the result into a
//! `bool` in one place, after a public length check.

mod cmac;

pub use self::cmac::{AesCmac, Tag, TdesCmac};
pub(crate) use self::cmac::{cmac_aes_block, cmac_tdes_block};
