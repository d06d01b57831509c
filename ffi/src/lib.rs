//! # paykernel-ffi
//!
//! The C interface of [`paykernel`]: the terminal's and the switch's main
//! calls behind a generated header, `include/paykernel.h` (cbindgen;
//! `tests/header.rs` fails when the checked-in header is stale).
//!
//! - **PIN blocks** (ISO 9564-1): `pk_pin_encipher`,
//!   `pk_pin_encipher_with_fill`, `pk_pin_decipher`, `pk_pin_translate`.
//! - **DUKPT terminal** (X9.24-1 TDES, X9.24-3 AES): `pk_tdes_dukpt_load`,
//!   `pk_tdes_dukpt_next`, `pk_tdes_dukpt_save`, `pk_tdes_dukpt_restore`
//!   and the same for `pk_aes_dukpt_*`; **DUKPT host**:
//!   `pk_tdes_dukpt_derive`, `pk_aes_dukpt_derive`.
//! - **MACs**: CMAC with AES or TDES (`pk_cmac_generate`,
//!   `pk_cmac_verify`), ISO/IEC 9797-1 algorithms 1 and 3
//!   (`pk_iso9797_generate`, `pk_iso9797_verify`).
//! - **Stored-value records** (SVR1): `pk_record_verify`,
//!   `pk_record_debit`, `pk_record_credit`, `pk_record_seal`.
//! - **ECDSA P-256** (SHA-256, RFC 6979): `pk_ecdsa_sign`,
//!   `pk_ecdsa_verify`, `pk_ecdsa_public_key`.
//!
//! ## The contract
//!
//! - Every function returns a `pk_status`: `PK_OK` (0), or a negative code
//!   that names one [`paykernel::Error`] (one code per kind, in the order
//!   of [`paykernel::Error::ALL`]: `PK_ERR_INVALID_KEY` is -1, ...,
//!   `PK_ERR_RNG_FAILURE` -22, `PK_ERR_NO_STATE` -23), or
//!   `PK_ERR_NULL_POINTER` (-100), the one fault of the boundary itself.
//!   `pk_status_kind` gives a code's kind string (`"invalid-key"`).
//! - Buffers belong to the caller and have fixed sizes given by the
//!   header's constants; every pointer is checked for null and every
//!   length against what the operation takes: a wrong one gets a specific
//!   code, never undefined behaviour and never a panic. On any error,
//!   output buffers are zeroed.
//! - No allocation, no global state, no panic across the boundary: nothing
//!   here can panic (the workspace's clippy lints deny the panicking
//!   forms), and the target build's panic handler only traps.
//! - Randomness: the functions that need it (PIN blocks with random fill)
//!   take a `pk_rng_fn` callback and its context; a callback that returns
//!   non-zero (a failing TRNG) makes the call return `PK_ERR_RNG_FAILURE`
//!   with no output.
//! - The DUKPT terminals live in caller-owned structs
//!   (`pk_tdes_dukpt_terminal`, `pk_aes_dukpt_terminal`) that hold the
//!   terminal's saved state as the kernel encodes it; every call checks it
//!   (`PK_ERR_UNSUPPORTED`, `PK_ERR_INVALID_LENGTH`, `PK_ERR_NO_STATE` for
//!   a struct never loaded: zeroed, or erased to all `FF`).
//!
//! ## Safety
//!
//! This is the one crate of the project where `unsafe` is allowed: raw
//! pointers from C become slices only after a null check, each in one
//! `unsafe` block that says why it is sound (`clippy::undocumented_unsafe_blocks`
//! is denied). The caller's part of the contract is C's usual one: a
//! non-null pointer points to at least the length given with it, valid for
//! the duration of the call, and output buffers do not overlap inputs.
#![cfg_attr(target_os = "none", no_std)]
#![deny(unsafe_op_in_unsafe_fn)]

mod buf;
mod dukpt;
mod mac;
mod pin;
mod record;
mod rng;
mod sign;
mod status;

pub use dukpt::*;
pub use mac::*;
pub use pin::*;
pub use record::*;
pub use rng::PkRngFn;
pub use sign::*;
pub use status::*;

/// The cipher of a MAC or key: `PK_CIPHER_DES` (ISO 9797-1 only),
/// `PK_CIPHER_TDES`, `PK_CIPHER_AES`.
pub type PkCipher = u32;
/// Single DES (8-byte keys): ISO/IEC 9797-1 MACs only.
pub const PK_CIPHER_DES: PkCipher = 1;
/// TDES (8-, 16- or 24-byte keys).
pub const PK_CIPHER_TDES: PkCipher = 2;
/// AES (16-, 24- or 32-byte keys).
pub const PK_CIPHER_AES: PkCipher = 3;

/// The largest PIN block (formats 0 to 3: 8 bytes; format 4: 16).
pub const PK_PIN_BLOCK_MAX_LEN: usize = 16;
/// The most digits a PIN has (ISO 9564-1: 4 to 12).
pub const PK_PIN_MAX_DIGITS: usize = 12;
/// A TDES DUKPT key serial number.
pub const PK_TDES_KSN_LEN: usize = 10;
/// An AES DUKPT key serial number (initial key ID and counter).
pub const PK_AES_KSN_LEN: usize = 12;
/// A TDES DUKPT transaction key (double length).
pub const PK_TDES_DUKPT_KEY_LEN: usize = 16;
/// The largest AES DUKPT working key (AES-256, HMAC-256).
pub const PK_AES_DUKPT_KEY_MAX_LEN: usize = 32;
/// An SVR1 stored-value record.
pub const PK_RECORD_LEN: usize = 96;
/// An SVR1 terminal ID.
pub const PK_TERMINAL_ID_LEN: usize = 8;
/// An ECDSA P-256 private key (a scalar, big-endian).
pub const PK_ECDSA_PRIVATE_KEY_LEN: usize = 32;
/// An ECDSA P-256 signature, r || s.
pub const PK_ECDSA_SIGNATURE_LEN: usize = 64;
/// An uncompressed SEC1 P-256 public key.
pub const PK_ECDSA_PUBLIC_KEY_LEN: usize = 65;
/// A compressed SEC1 P-256 public key.
pub const PK_ECDSA_COMPRESSED_PUBLIC_KEY_LEN: usize = 33;

// The header's sizes are the kernel's.
const _: () = {
    assert!(PK_TDES_KSN_LEN == paykernel::dukpt::TdesKsn::LEN);
    assert!(PK_AES_KSN_LEN == paykernel::dukpt::AesKsn::LEN);
    assert!(PK_PIN_MAX_DIGITS == paykernel::pin::Pin::MAX_DIGITS);
    assert!(PK_RECORD_LEN == paykernel::record::RECORD_LEN);
    assert!(PK_ECDSA_PRIVATE_KEY_LEN == paykernel::sign::SCALAR_LEN);
    assert!(PK_ECDSA_SIGNATURE_LEN == paykernel::sign::SIGNATURE_LEN);
    assert!(PK_ECDSA_PUBLIC_KEY_LEN == paykernel::sign::UNCOMPRESSED_LEN);
    assert!(PK_ECDSA_COMPRESSED_PUBLIC_KEY_LEN == paykernel::sign::COMPRESSED_LEN);
};

/// Bare metal: nothing here panics (see the crate docs), but a `no_std`
/// static library must name a handler. It traps (an undefined
/// instruction: the firmware's HardFault handler runs); it never unwinds
/// into C.
#[cfg(target_os = "none")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {
        // SAFETY: `udf` raises an UsageFault/HardFault and touches nothing
        // else; the loop covers a handler that returns.
        unsafe { core::arch::asm!("udf #0") };
    }
}
