//! # paykernel
//!
//! A constant-time, `no_std`, heap-free kernel for the cryptography of card
//! payments and stored-value cards:
//!
//! - block encryption ([`TdesCipher`], [`AesCipher`]) and key check values
//!   ([`TdesKey::kcv`], [`AesKey::kcv`]);
//! - MACs: ISO/IEC 9797-1 algorithms 1 and 3 (the retail MAC) and CMAC
//!   with AES and TDES ([`mac`]);
//! - CBC over TDES and AES, in place over whole blocks ([`mode::cbc`]);
//! - key derivation: NIST SP 800-108 counter mode with AES-CMAC ([`kdf`]);
//! - ISO 9564-1 PIN blocks ([`pin`]), DUKPT ([`dukpt`]), EMV ([`emv`]:
//!   Book 2 and the card schemes' cryptogram versions), BER-TLV ([`tlv`]),
//!   stored-value records ([`record`]) and ECDSA P-256 ([`sign`]);
//! - card and PIN verification ([`card`]): CVV, CVC3, Visa PVV, IBM 3624,
//!   and PIN verification from the enciphered block
//!   ([`pin::PinVerifier`]).
//!
//! ## Rules the kernel keeps
//!
//! 1. No `std`, no `alloc`, no `unsafe`; every buffer has a size known at
//!    compile time.
//! 2. No branch, loop bound, early return or memory index depends on a key,
//!    a PIN, a MAC being checked or a derived key. Public data (PAN, KSN
//!    counter, lengths) may steer control flow. The one exception is the
//!    verdict of a check on secrets (accept or refuse): the answer the
//!    caller receives as a `Result`, or one the kernel acts on whose outcome
//!    is public or negligible (RFC 6979's "draw another nonce", with
//!    probability about 2^-32; which key length a key block's masked
//!    length names; a chain link's `prev_tag` match, reported as the
//!    chain's verdict). It becomes a branch in a single non-inlined
//!    function, `ct::verdict`, which secret-taint checks name
//!    (`ct-check/`).
//! 3. Key and PIN types are wiped on drop, print redacted, and have no
//!    `Copy`, `Display` or `PartialEq`.
//! 4. Every public function that can fail returns `Result<_, Error>`;
//!    nothing panics on any input.
//! 5. Types carry meaning: a key of the wrong length cannot be built.
//!
//! ## Specifications
//!
//! The formats the kernel defines are specified in the repository's
//! `docs/` and, word for word, in [`specs`]: the vector-suite format that
//! drives every operation from JSON ([`specs::vectors`]) and the SVR1
//! stored-value record ([`specs::svr1`]).
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod card;
mod cipher;
mod ct;
pub mod dukpt;
pub mod emv;
mod error;
pub mod kdf;
mod key;
pub mod keyblock;
pub mod mac;
pub mod mode;
mod pan;
pub mod pin;
pub mod record;
pub mod sign;
pub mod tlv;

pub use cipher::{AesCipher, AesEncryptor, TdesCipher, tdes_decrypt_many, tdes_encrypt_many};
pub use error::Error;
pub use key::{AesKey, AesKeyLength, HmacKey, Kcv, KcvMethod, TdesKey, TdesKeyLength};
pub use pan::{Pan, RevealedPan};

/// The formats the kernel implements, specified in full (the files of the
/// repository's `docs/` folder).
pub mod specs {
    #[doc = include_str!("../docs/vectors.md")]
    pub mod vectors {}
    #[doc = include_str!("../docs/svr1.md")]
    pub mod svr1 {}
}

#[cfg(test)]
pub(crate) mod test_util {
    extern crate std;
    use std::vec::Vec;

    /// Hex to bytes, for known answers in tests.
    pub(crate) fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }
}
